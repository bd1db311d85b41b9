//! Markdown bodies to safe HTML.
//!
//! Every record kind may carry a Markdown `body` written by editors (records.md, "Common
//! rules"). This module is the one place where that text becomes HTML, so the rules that
//! protect readers and keep a page coherent live here and nowhere else:
//!
//! - CommonMark plus tables, footnotes, strikethrough and task lists, and nothing more
//!   (no smart punctuation, no heading attributes: editors write what they see).
//! - Several bodies can share one page (an item page shows every report), so every id this
//!   module generates (headings, footnotes) starts with the caller's `id_prefix`, and every
//!   in-body link to such an id stays inside its own body.
//! - Chinese is written without spaces, but editors wrap lines; a line break between two
//!   CJK characters must not turn into a visible space (see `is_cjk`).
//! - Pages load nothing from outside: an image must be a file of the site (`static/`), and
//!   its `src` is rewritten under the site's base path; a link may leave the site, and then
//!   gets `rel="noopener noreferrer"`.
//! - Raw HTML is allowed but sanitised with ammonia: no scripts, event handlers,
//!   `javascript:` URLs, frames, forms or styles ever reach a page. Markdown without raw
//!   HTML never goes through ammonia (it runs on ~200k bodies per build): pulldown-cmark
//!   escapes all text and attributes, and this module checks every link and image URL
//!   itself, so that output is already safe.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use pulldown_cmark::{Alignment, CowStr, Event, Options, Parser, Tag, TagEnd};
use rustc_hash::{FxHashMap, FxHashSet};

/// Renders a record's Markdown body to safe HTML.
/// `base` is the site's base path ("/jcdj/shiji/"), `id_prefix` makes every generated id unique on a page that shows several bodies (e.g. "r-report-7-").
pub fn to_html(markdown: &str, base: &str, id_prefix: &str) -> String {
    render(markdown, base, id_prefix).html
}

/// What [`render`] produced, and whether ammonia had to look at it.
struct Rendered {
    html: String,
    /// Read by the tests, which check when ammonia is skipped.
    #[cfg_attr(not(test), allow(dead_code))]
    sanitised: bool,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

fn render(markdown: &str, base: &str, id_prefix: &str) -> Rendered {
    let base: Cow<'_, str> = if base.is_empty() || base.ends_with('/') {
        Cow::Borrowed(base)
    } else {
        Cow::Owned(format!("{base}/"))
    };
    let mut events: Vec<Event<'_>> = Parser::new_ext(markdown, options()).collect();
    let (mut raw_html, mut footnotes) = (false, false);
    for event in &events {
        match event {
            Event::Html(_) | Event::InlineHtml(_) => raw_html = true,
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_)) => {
                footnotes = true;
            }
            _ => {}
        }
    }
    let notes = if footnotes {
        Footnotes::number(&events)
    } else {
        Footnotes::default()
    };
    let rewriter = Rewriter {
        base: &base,
        prefix: id_prefix,
        // With raw HTML, ammonia rewrites image sources and adds `rel` for every link,
        // Markdown or raw alike, so the Markdown stage must not do it a second time.
        final_urls: !raw_html,
    };
    let html = rewriter.run(&mut events, markdown.len(), notes);
    if raw_html {
        Rendered {
            html: sanitise(&html, &base, id_prefix),
            sanitised: true,
        }
    } else {
        Rendered {
            html,
            sanitised: false,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Footnotes

/// Footnote numbers: by order of first reference, then unreferenced definitions in source
/// order. Ids are `{prefix}fn:{n}` and `{prefix}fnref:{n}` (`{prefix}fnref:{n}:{k}` for the
/// k-th reference); heading slugs never contain ':', so the two can never collide.
#[derive(Default)]
struct Footnotes {
    /// Number of each outermost definition, by the index of its `Start` event.
    def_at: FxHashMap<usize, usize>,
    /// Number of the note a (case-folded) label refers to.
    by_label: FxHashMap<String, usize>,
    /// References rendered so far, by number (index 0 unused).
    seen: Vec<usize>,
}

/// pulldown-cmark matches labels with Unicode case folding; lower-casing is close enough,
/// and a reference that does not match is rendered as text, never as a dangling link.
fn fold(label: &str) -> String {
    label.to_lowercase()
}

impl Footnotes {
    fn number(events: &[Event<'_>]) -> Self {
        let mut defs = Vec::new();
        let mut first_def: FxHashMap<String, usize> = FxHashMap::default();
        let mut depth = 0usize;
        for (i, event) in events.iter().enumerate() {
            match event {
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    if depth == 0 {
                        defs.push(i);
                        first_def.entry(fold(label)).or_insert(i);
                    }
                    depth += 1;
                }
                Event::End(TagEnd::FootnoteDefinition) => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        let mut notes = Footnotes::default();
        let mut next = 1;
        // References inside an image's alt text are not rendered (alt is plain text).
        let mut in_image = 0usize;
        for event in events {
            match event {
                Event::Start(Tag::Image { .. }) => in_image += 1,
                Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
                Event::FootnoteReference(label) if in_image == 0 => {
                    let key = fold(label);
                    if let Some(&at) = first_def.get(&key)
                        && !notes.def_at.contains_key(&at)
                    {
                        notes.def_at.insert(at, next);
                        notes.by_label.insert(key, next);
                        next += 1;
                    }
                }
                _ => {}
            }
        }
        for at in defs {
            notes.def_at.entry(at).or_insert_with(|| {
                next += 1;
                next - 1
            });
        }
        notes.seen = vec![0; next];
        notes
    }
}

// ---------------------------------------------------------------------------------------
// Event rewriting

struct Rewriter<'r> {
    base: &'r str,
    prefix: &'r str,
    /// Whether image sources and link `rel`s are final here (no ammonia pass follows).
    final_urls: bool,
}

impl Rewriter<'_> {
    /// Rewrites the events in order (each is taken out of `events`; look-ahead only reads
    /// later ones) and renders them, footnotes gathered at the end.
    fn run<'a>(&self, events: &mut [Event<'a>], source_len: usize, mut notes: Footnotes) -> String {
        let mut main: Vec<Event<'a>> = Vec::with_capacity(events.len());
        let mut bodies: Vec<(usize, Vec<Event<'a>>)> = Vec::new();
        let mut in_note = false;
        let mut note_depth = 0usize;
        // The last character written in the current run of inline text.
        let mut last: Option<char> = None;
        // For each open link: whether it is kept (a refused URL keeps only its text).
        let mut links: Vec<bool> = Vec::new();
        let mut slugs = Slugs::default();
        let mut alignments: Vec<Alignment> = Vec::new();
        let (mut in_head, mut column) = (false, 0usize);

        let mut i = 0;
        while i < events.len() {
            let event = std::mem::replace(&mut events[i], Event::Rule);
            match event {
                Event::Start(Tag::FootnoteDefinition(_)) => {
                    if note_depth == 0
                        && let Some(&n) = notes.def_at.get(&i)
                    {
                        bodies.push((n, Vec::new()));
                        in_note = true;
                    }
                    note_depth += 1;
                    last = None;
                    i += 1;
                    continue;
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    note_depth = note_depth.saturating_sub(1);
                    if note_depth == 0 {
                        in_note = false;
                    }
                    last = None;
                    i += 1;
                    continue;
                }
                _ => {}
            }
            let out = match bodies.last_mut() {
                Some((_, body)) if in_note => body,
                _ => &mut main,
            };
            match event {
                event @ (Event::Text(_) | Event::Code(_)) => {
                    if let Event::Text(text) | Event::Code(text) = &event
                        && let Some(c) = text.chars().next_back()
                    {
                        last = Some(c);
                    }
                    out.push(event);
                }
                Event::SoftBreak => {
                    // Between CJK characters the break vanishes, and `last` stays.
                    if !joins(last, next_char(events, i + 1)) {
                        out.push(Event::SoftBreak);
                        last = None;
                    }
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    let slug = slugs.unique(slugify(&heading_text(events, i + 1)));
                    out.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(format!("{}{slug}", self.prefix))),
                        classes: Vec::new(),
                        attrs: Vec::new(),
                    }));
                    last = None;
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let kept = self.link(link_type, dest_url, title, id, out);
                    links.push(kept);
                }
                Event::End(TagEnd::Link) => {
                    if links.pop().unwrap_or(true) {
                        out.push(Event::End(TagEnd::Link));
                    }
                }
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }) => {
                    let (alt, end) = alt_text(events, i + 1);
                    i = end;
                    match self.image(&dest_url, &title, &alt) {
                        Some(img) => {
                            out.push(img);
                            last = None;
                        }
                        None => {
                            // Not a file of the site: keep what it shows in words.
                            last = alt.chars().next_back();
                            if !alt.is_empty() {
                                out.push(Event::Text(alt.into()));
                            }
                        }
                    }
                }
                Event::Start(Tag::Table(aligns)) => {
                    alignments = aligns;
                    // Without alignments pulldown-cmark writes no `style`; see TableCell.
                    out.push(Event::Start(Tag::Table(Vec::new())));
                    last = None;
                }
                Event::Start(Tag::TableHead) => {
                    (in_head, column) = (true, 0);
                    out.push(Event::Start(Tag::TableHead));
                }
                Event::End(TagEnd::TableHead) => {
                    in_head = false;
                    out.push(Event::End(TagEnd::TableHead));
                }
                Event::Start(Tag::TableRow) => {
                    column = 0;
                    out.push(Event::Start(Tag::TableRow));
                }
                Event::Start(Tag::TableCell) => {
                    out.push(cell_start(alignments.get(column), in_head));
                    last = None;
                }
                Event::End(TagEnd::TableCell) => {
                    column += 1;
                    out.push(Event::End(TagEnd::TableCell));
                    last = None;
                }
                Event::FootnoteReference(label) => {
                    out.push(self.footnote_ref(&label, &mut notes));
                    last = None;
                }
                // Inline wrappers leave the run of text (and `last`) as it is.
                wrapper if is_inline_wrapper(&wrapper) => out.push(wrapper),
                other => {
                    out.push(other);
                    last = None;
                }
            }
            i += 1;
        }

        let mut html = String::with_capacity(source_len + source_len / 2 + 64);
        pulldown_cmark::html::push_html(&mut html, main.into_iter());
        self.push_footnotes(&mut html, bodies, &notes);
        html
    }

    /// An image of the site as `<img>`, or `None` when its source is not a file of the site.
    fn image<'a>(&self, dest_url: &str, title: &str, alt: &str) -> Option<Event<'a>> {
        let src = image_src(self.base, dest_url)?;
        let mut html = String::with_capacity(src.len() + alt.len() + 48);
        html.push_str("<img src=\"");
        push_href(&mut html, if self.final_urls { &src } else { dest_url });
        html.push_str("\" alt=\"");
        push_escaped(&mut html, alt);
        if !title.is_empty() {
            html.push_str("\" title=\"");
            push_escaped(&mut html, title);
        }
        html.push('"');
        if self.final_urls {
            html.push_str(" loading=\"lazy\"");
        }
        html.push_str(" />");
        Some(Event::InlineHtml(html.into()))
    }

    /// A link's opening, or `false` when its URL is refused (only its text is kept).
    fn link<'a>(
        &self,
        link_type: pulldown_cmark::LinkType,
        dest_url: CowStr<'a>,
        title: CowStr<'a>,
        id: CowStr<'a>,
        out: &mut Vec<Event<'a>>,
    ) -> bool {
        let kind = if link_type == pulldown_cmark::LinkType::Email {
            UrlKind::Contact // rendered as mailto: by pulldown-cmark
        } else {
            classify(&dest_url)
        };
        match kind {
            UrlKind::Refused => false,
            UrlKind::External if self.final_urls => {
                let mut html = String::with_capacity(dest_url.len() + 48);
                html.push_str("<a href=\"");
                push_href(&mut html, &dest_url);
                if !title.is_empty() {
                    html.push_str("\" title=\"");
                    push_escaped(&mut html, &title);
                }
                html.push_str("\" rel=\"noopener noreferrer\">");
                out.push(Event::InlineHtml(html.into()));
                true
            }
            _ => {
                out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
                true
            }
        }
    }

    /// A footnote reference: its number, linked both ways, or as written when it has no note.
    fn footnote_ref<'a>(&self, label: &str, notes: &mut Footnotes) -> Event<'a> {
        match notes.by_label.get(&fold(label)).copied() {
            Some(n) => {
                let k = match notes.seen.get_mut(n) {
                    Some(seen) => {
                        *seen += 1;
                        *seen
                    }
                    None => 1,
                };
                let p = escaped(self.prefix);
                let mut html =
                    format!("<sup class=\"footnote-ref\"><a href=\"#{p}fn:{n}\" id=\"{p}fnref:{n}");
                if k > 1 {
                    let _ = write!(html, ":{k}");
                }
                let _ = write!(html, "\">{n}</a></sup>");
                Event::InlineHtml(html.into())
            }
            None => Event::Text(format!("[^{label}]").into()),
        }
    }

    /// The footnotes, numbered in order of first reference, each linked back to it.
    fn push_footnotes(
        &self,
        html: &mut String,
        mut bodies: Vec<(usize, Vec<Event<'_>>)>,
        notes: &Footnotes,
    ) {
        if bodies.is_empty() {
            return;
        }
        bodies.sort_by_key(|(n, _)| *n);
        let p = escaped(self.prefix);
        html.push_str("<section class=\"footnotes\">\n<ol>\n");
        for (n, mut body) in bodies {
            let _ = writeln!(html, "<li id=\"{p}fn:{n}\">");
            if notes.seen.get(n).is_some_and(|&seen| seen > 0) {
                let back = Event::InlineHtml(
                    format!(" <a href=\"#{p}fnref:{n}\" class=\"footnote-backref\">↩</a>").into(),
                );
                match body.last() {
                    Some(Event::End(TagEnd::Paragraph)) => body.insert(body.len() - 1, back),
                    _ => body.push(back),
                }
            }
            pulldown_cmark::html::push_html(html, body.into_iter());
            html.push_str("</li>\n");
        }
        html.push_str("</ol>\n</section>\n");
    }
}

/// A table cell's opening, its column's alignment as a class (pulldown-cmark would write a
/// `style`, and no style reaches a page).
fn cell_start<'a>(alignment: Option<&Alignment>, in_head: bool) -> Event<'a> {
    let class = match alignment {
        Some(Alignment::Left) => "align-left",
        Some(Alignment::Center) => "align-center",
        Some(Alignment::Right) => "align-right",
        _ => "",
    };
    if class.is_empty() {
        Event::Start(Tag::TableCell)
    } else {
        let cell = if in_head { "th" } else { "td" };
        Event::Html(format!("<{cell} class=\"{class}\">").into())
    }
}

/// Emphasis, strong, strikethrough and links do not interrupt a run of text.
fn is_inline_wrapper(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
            | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link)
    )
}

/// The first character of the text that follows `from`, across inline wrappers.
fn next_char(events: &[Event<'_>], from: usize) -> Option<char> {
    for event in events.get(from..).unwrap_or(&[]) {
        match event {
            Event::Text(text) | Event::Code(text) => {
                if let Some(c) = text.chars().next() {
                    return Some(c);
                }
            }
            e if is_inline_wrapper(e) => {}
            _ => return None,
        }
    }
    None
}

/// Plain text of the inline events from `from` up to the end of the enclosing heading or
/// image, with soft breaks treated as in the body. Returns the text and the index of the
/// closing event (or the last index).
fn plain_text(events: &[Event<'_>], from: usize, image: bool) -> (String, usize) {
    let mut text = String::new();
    let mut depth = 0usize;
    let mut i = from;
    while i < events.len() {
        match &events[i] {
            Event::End(TagEnd::Image) if image && depth == 0 => return (text, i),
            Event::End(TagEnd::Heading(_)) if !image => return (text, i),
            Event::Start(Tag::Image { .. }) => depth += 1,
            Event::End(TagEnd::Image) => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak if !joins(text.chars().next_back(), next_char(events, i + 1)) => {
                text.push(' ');
            }
            Event::HardBreak => text.push(' '),
            _ => {}
        }
        i += 1;
    }
    (text, events.len().saturating_sub(1))
}

fn heading_text(events: &[Event<'_>], from: usize) -> String {
    plain_text(events, from, false).0
}

fn alt_text(events: &[Event<'_>], from: usize) -> (String, usize) {
    plain_text(events, from, true)
}

// ---------------------------------------------------------------------------------------
// Heading ids

/// A heading's slug: letters and digits of any script kept (Chinese included), lower-cased;
/// runs of whitespace and '-' become one '-' (none at either end); '_' kept; all other
/// punctuation dropped. Empty → "section".
fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.extend(c.to_lowercase());
        } else if c == '-' || c.is_whitespace() {
            dash = true;
        }
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

/// Slugs already used in one body; a repeated slug gets `-1`, `-2`…
#[derive(Default)]
struct Slugs {
    used: FxHashSet<String>,
    next: FxHashMap<String, usize>,
}

impl Slugs {
    fn unique(&mut self, slug: String) -> String {
        if !self.used.contains(&slug) {
            self.used.insert(slug.clone());
            return slug;
        }
        let counter = self.next.entry(slug.clone()).or_insert(0);
        loop {
            *counter += 1;
            let candidate = format!("{slug}-{counter}");
            if !self.used.contains(&candidate) {
                self.used.insert(candidate.clone());
                return candidate;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// CJK line breaks

/// Characters written without spaces between them: Han (with radicals, strokes,
/// compatibility and all supplementary-plane extensions), kana, bopomofo, Hangul, CJK
/// symbols and punctuation (、。「」 …), enclosed and compatibility forms, vertical and
/// small forms, and halfwidth/fullwidth forms (，！？（）：Ａ１ …).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF         // Hangul Jamo
        | 0x2E80..=0x2FDF       // CJK Radicals Supplement, Kangxi Radicals
        | 0x2FF0..=0x2FFF       // Ideographic Description Characters
        | 0x3000..=0x303F       // CJK Symbols and Punctuation
        | 0x3040..=0x30FF       // Hiragana, Katakana
        | 0x3100..=0x31FF       // Bopomofo, Hangul Compatibility Jamo, Kanbun, strokes, kana ext.
        | 0x3200..=0x33FF       // Enclosed CJK Letters and Months, CJK Compatibility
        | 0x3400..=0x4DBF       // CJK Unified Ideographs Extension A
        | 0x4E00..=0x9FFF       // CJK Unified Ideographs
        | 0xA960..=0xA97F       // Hangul Jamo Extended-A
        | 0xAC00..=0xD7FF       // Hangul Syllables, Hangul Jamo Extended-B
        | 0xF900..=0xFAFF       // CJK Compatibility Ideographs
        | 0xFE10..=0xFE1F       // Vertical Forms
        | 0xFE30..=0xFE6F       // CJK Compatibility Forms, Small Form Variants
        | 0xFF00..=0xFFEF       // Halfwidth and Fullwidth Forms
        | 0x1AFF0..=0x1B16F     // Kana Extended-B, Kana Supplement, Kana Extended-A, Small Kana
        | 0x1F200..=0x1F2FF     // Enclosed Ideographic Supplement
        | 0x20000..=0x3FFFF     // Supplementary and Tertiary Ideographic Planes (Ext. B–J)
    )
}

/// Punctuation Chinese text shares with Western text (curly quotes, dashes, ellipsis,
/// middle dot): it joins a line to CJK text, but two of them alone do not.
fn is_shared_punctuation(c: char) -> bool {
    matches!(
        c,
        '\u{00B7}'
            | '\u{2014}'
            | '\u{2015}'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{2026}'
            | '\u{2027}'
            | '\u{2E3A}'
    )
}

/// Whether a soft line break between `a` and `b` should vanish.
fn joins(a: Option<char>, b: Option<char>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return false;
    };
    (is_cjk(a) || is_cjk(b))
        && (is_cjk(a) || is_shared_punctuation(a))
        && (is_cjk(b) || is_shared_punctuation(b))
}

// ---------------------------------------------------------------------------------------
// URLs

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum UrlKind {
    /// No scheme, not protocol-relative: a path of this site.
    Relative,
    /// `http:`, `https:`, or protocol-relative (`//host`, `\\host`).
    External,
    /// `mailto:`, `tel:`.
    Contact,
    /// Any other scheme (`javascript:`, `vbscript:`, `data:`, `file:`…), or something that
    /// looks like one.
    Refused,
}

/// Classifies a URL the way a browser would read it: leading spaces and controls are
/// ignored, and tabs and newlines are removed anywhere.
fn classify(url: &str) -> UrlKind {
    let url = url.trim_start_matches(|c: char| c <= ' ');
    let url: Cow<'_, str> = if url.contains(['\t', '\n', '\r']) {
        Cow::Owned(url.replace(['\t', '\n', '\r'], ""))
    } else {
        Cow::Borrowed(url)
    };
    let mut chars = url.chars();
    if let (Some('/' | '\\'), Some('/' | '\\')) = (chars.next(), chars.next()) {
        return UrlKind::External;
    }
    match url.find([':', '/', '?', '#']) {
        Some(i) if url.as_bytes()[i] == b':' => {
            let scheme = &url[..i];
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
                UrlKind::External
            } else if scheme.eq_ignore_ascii_case("mailto") || scheme.eq_ignore_ascii_case("tel") {
                UrlKind::Contact
            } else {
                UrlKind::Refused
            }
        }
        _ => UrlKind::Relative,
    }
}

/// The published `src` of an image: `photos/a.jpg` and `/photos/a.jpg` are
/// `static/photos/a.jpg`, published at `{base}photos/a.jpg`. `None` for anything that is not
/// a file of the site (another host, a `data:` URL, nothing at all).
fn image_src(base: &str, src: &str) -> Option<String> {
    if classify(src) != UrlKind::Relative {
        return None;
    }
    let path = src.trim_start_matches(|c: char| c <= ' ' || c == '/' || c == '\\');
    (!path.is_empty()).then(|| format!("{base}{path}"))
}

// ---------------------------------------------------------------------------------------
// Escaping

/// Escapes text for an attribute value or element content.
fn push_escaped(out: &mut String, s: &str) {
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        out.push_str(rep);
        from = i + 1;
    }
    out.push_str(&s[from..]);
}

fn escaped(s: &str) -> Cow<'_, str> {
    if s.contains(['&', '<', '>', '"', '\'']) {
        let mut out = String::with_capacity(s.len() + 8);
        push_escaped(&mut out, s);
        Cow::Owned(out)
    } else {
        Cow::Borrowed(s)
    }
}

/// A URL as the value of a double-quoted attribute, written as [`push_href`] writes it: ready
/// for the page as it is (a template shows it with `| safe`), with no space or quote to end
/// it early (so it can stand in a `srcset`).
pub fn href_attr(url: &str) -> String {
    let mut out = String::with_capacity(url.len() + 8);
    push_href(&mut out, url);
    out
}

/// Writes a URL into a double-quoted attribute as pulldown-cmark does: characters outside
/// the URL-safe ASCII set are percent-encoded (UTF-8), `&` and `'` become entities.
fn push_href(out: &mut String, url: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut from = 0;
    for (i, b) in url.bytes().enumerate() {
        let safe = b.is_ascii_alphanumeric() || b"-_.+!*(),%#@?=;:/$~^".contains(&b);
        if safe {
            continue;
        }
        // `from` may sit inside a multi-byte character whose bytes are all being encoded;
        // it is a boundary again by the time a kept byte is reached.
        if from < i {
            out.push_str(&url[from..i]);
        }
        match b {
            b'&' => out.push_str("&amp;"),
            b'\'' => out.push_str("&#39;"),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 0xF)] as char);
            }
        }
        from = i + 1;
    }
    out.push_str(&url[from..]);
}

// ---------------------------------------------------------------------------------------
// Sanitising raw HTML

/// Tags that may appear in a body: what Markdown produces, plus a few harmless ones editors
/// paste (span, div, u, sub, details…). Everything else is removed, keeping its text, except
/// script and style whose content goes too.
const TAGS: [&str; 51] = [
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Runs ammonia over rendered HTML that contains raw HTML, then adds `rel` to external links
/// (ammonia can only add it to every link).
fn sanitise(html: &str, base: &str, id_prefix: &str) -> String {
    let tags: HashSet<&str> = HashSet::from(TAGS);
    let attrs = |names: &[&'static str]| names.iter().copied().collect::<HashSet<&str>>();
    let mut tag_attributes: HashMap<&str, HashSet<&str>> = HashMap::from([
        ("a", attrs(&["href", "id", "class"])),
        ("img", attrs(&["src", "alt"])),
        ("li", attrs(&["id"])),
        ("ol", attrs(&["start"])),
        ("th", attrs(&["class", "colspan", "rowspan"])),
        ("td", attrs(&["class", "colspan", "rowspan"])),
        ("code", attrs(&["class"])),
        ("sup", attrs(&["class"])),
        ("section", attrs(&["class"])),
        ("input", attrs(&["type", "checked", "disabled"])),
    ]);
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        tag_attributes.insert(h, attrs(&["id"]));
    }
    let base = base.to_owned();
    let mut builder = ammonia::Builder::default();
    builder
        .tags(tags)
        .tag_attributes(tag_attributes)
        .generic_attributes(attrs(&["title", "lang"]))
        .url_schemes(attrs(&["http", "https", "mailto", "tel"]))
        .link_rel(None)
        .id_prefix((!id_prefix.is_empty()).then_some(id_prefix))
        // One forced attribute per tag: ammonia adds missing ones in hash order.
        .set_tag_attribute_value("img", "loading", "lazy")
        .set_tag_attribute_value("input", "disabled", "")
        .attribute_filter(move |element, attribute, value| {
            filter_attribute(&base, element, attribute, value)
        });
    add_rel(drop_sourceless_images(builder.clean(html).to_string()))
}

/// Replaces each `<img>` whose `src` the filter refused by its alt text: an `<img>` without
/// `src` is invalid HTML (the Nu checker's only errors on a realistic site) and shows nothing.
/// For ammonia's output only, as [`add_rel`]: every tag ends at the next `>`, and an alt
/// value is escaped as text must be.
fn drop_sourceless_images(html: String) -> String {
    if !html.contains("<img") {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(at) = rest.find("<img") {
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        let tag = &rest[at..end];
        out.push_str(&rest[..at]);
        if tag.contains(" src=\"") {
            out.push_str(tag);
        } else if let Some(a) = tag.find(" alt=\"") {
            let alt = &tag[a + 6..];
            out.push_str(alt.split('"').next().unwrap_or(""));
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn filter_attribute<'u>(
    base: &str,
    element: &str,
    attribute: &str,
    value: &'u str,
) -> Option<Cow<'u, str>> {
    match (element, attribute) {
        ("img", "src") => image_src(base, value).map(Cow::Owned),
        ("a", "href") => (classify(value) != UrlKind::Refused).then_some(Cow::Borrowed(value)),
        ("input", "type") => Some(Cow::Borrowed("checkbox")),
        ("ol", "start") | (_, "colspan" | "rowspan") => {
            let digits = !value.is_empty() && value.len() <= 9;
            (digits && value.bytes().all(|b| b.is_ascii_digit())).then_some(Cow::Borrowed(value))
        }
        (_, "class") => {
            let allowed = |class: &&str| match element {
                "th" | "td" => matches!(*class, "align-left" | "align-center" | "align-right"),
                "code" => class.starts_with("language-"),
                "sup" => *class == "footnote-ref",
                "a" => *class == "footnote-backref",
                "section" => *class == "footnotes",
                _ => false,
            };
            let kept: Vec<&str> = value.split_ascii_whitespace().filter(allowed).collect();
            (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
        }
        _ => Some(Cow::Borrowed(value)),
    }
}

/// Adds `rel="noopener noreferrer"` to every `<a>` whose `href` leaves the site.
///
/// Only for ammonia's output, whose serialiser escapes `<`, `>` and `"` in text and
/// attribute values: every `<` starts a tag, every tag ends at the next `>`, and a value
/// never contains `" href="`.
fn add_rel(html: String) -> String {
    if !html.contains("<a ") {
        return html;
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html.as_str();
    while let Some(at) = rest.find("<a ") {
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        let tag = &rest[at..end];
        out.push_str(&rest[..end]);
        let external = tag.find(" href=\"").is_some_and(|h| {
            let value = &tag[h + 7..];
            let value = value.split('"').next().unwrap_or(value);
            classify(value) == UrlKind::External
        });
        if external {
            out.push_str(" rel=\"noopener noreferrer\"");
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BASE: &str = "/jcdj/shiji/";

    fn html(md: &str) -> String {
        to_html(md, BASE, "r-")
    }

    /// Values of `name="…"` attributes, in order.
    fn attr_values(html: &str, name: &str) -> Vec<String> {
        let needle = format!(" {name}=\"");
        html.match_indices(&needle)
            .map(|(i, _)| {
                let v = &html[i + needle.len()..];
                v[..v.find('"').unwrap_or(v.len())].to_string()
            })
            .collect()
    }

    /// Every tag of rendered HTML (both renderers escape `<` and `>` in text and values), as
    /// (name, attribute names).
    fn tags(html: &str) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        for part in html.split('<').skip(1) {
            let tag = &part[..part.find('>').unwrap_or(part.len())];
            let mut words = tag.split([' ', '\n', '\t', '/']).filter(|w| !w.is_empty());
            let name = words.next().unwrap_or("").to_ascii_lowercase();
            let mut names = Vec::new();
            // Attribute values never contain '"', so odd-numbered quote splits are names.
            for (k, piece) in tag.split('"').enumerate() {
                if k % 2 == 0 {
                    for w in piece.split_whitespace().skip(usize::from(k == 0)) {
                        let n = w.trim_end_matches('=').to_ascii_lowercase();
                        if !n.is_empty() && n != "/" {
                            names.push(n);
                        }
                    }
                }
            }
            out.push((name, names));
        }
        out
    }

    #[test]
    fn headings_get_prefixed_slug_ids_with_duplicates_numbered() {
        let out = html(
            "# 社区 Party Work\n\n## Hello,  World!\n\n## Hello World\n\n## hello-world\n\n### 一、共建（2024年）\n",
        );
        assert_eq!(
            attr_values(&out, "id"),
            [
                "r-社区-party-work",
                "r-hello-world",
                "r-hello-world-1",
                "r-hello-world-2",
                "r-一共建2024年",
            ]
        );
    }

    #[test]
    fn empty_and_punctuation_headings_get_an_id() {
        let out = html("# !!!\n\n# ？\n");
        assert_eq!(attr_values(&out, "id"), ["r-section", "r-section-1"]);
    }

    #[test]
    fn heading_slug_cannot_collide_with_footnote_ids() {
        let out = html("# fn 1\n\n# fnref 1\n\nText[^1].\n\n[^1]: Note.\n");
        let ids = attr_values(&out, "id");
        let unique: HashSet<_> = ids.iter().collect();
        assert_eq!(ids.len(), unique.len(), "{out}");
    }

    /// Ids and in-page link targets of one body.
    fn ids_and_targets(out: &str) -> (Vec<String>, Vec<String>) {
        let ids = attr_values(out, "id");
        let targets = attr_values(out, "href")
            .into_iter()
            .filter_map(|h| h.strip_prefix('#').map(str::to_string))
            .collect();
        (ids, targets)
    }

    #[test]
    fn two_bodies_on_one_page_never_share_ids() {
        let md = "## 服务内容\n\n上门维修[^note]，再次回访[^note]。\n\n## 服务内容\n\n[^note]: 由社区统一安排。\n";
        for raw in ["", "\n<b>raw</b>\n"] {
            let md = format!("{md}{raw}");
            let a = to_html(&md, BASE, "r-report-7-");
            let b = to_html(&md, BASE, "r-report-8-");
            let (ids_a, targets_a) = ids_and_targets(&a);
            let (ids_b, targets_b) = ids_and_targets(&b);
            // Two headings, one note, two references.
            assert_eq!(ids_a.len(), 5, "{a}");
            let mut all: Vec<&String> = ids_a.iter().chain(&ids_b).collect();
            let count = all.len();
            all.sort();
            all.dedup();
            assert_eq!(all.len(), count, "duplicate ids:\n{a}\n{b}");
            // Two references and the back-reference, each pointing into its own body.
            assert_eq!(targets_a.len(), 3, "{a}");
            for t in &targets_a {
                assert!(ids_a.contains(t), "{t} not in {a}");
            }
            for t in &targets_b {
                assert!(ids_b.contains(t), "{t} not in {b}");
            }
        }
    }

    #[test]
    fn footnotes_are_numbered_by_first_reference_and_listed_at_the_end() {
        let out = html(
            "[^b]: Second.\n\n[^a]: First.\n\n[^unused]: Never cited.\n\nOne[^a], two[^B], one again[^a].\n",
        );
        let list = out.find("<section class=\"footnotes\">").expect(&out);
        assert!(
            out[..list].contains("<a href=\"#r-fn:1\" id=\"r-fnref:1\">1</a>"),
            "{out}"
        );
        assert!(
            out[..list].contains("<a href=\"#r-fn:2\" id=\"r-fnref:2\">2</a>"),
            "{out}"
        );
        assert!(out[..list].contains("id=\"r-fnref:1:2\""), "{out}");
        let first = out.find("<li id=\"r-fn:1\">").expect(&out);
        let second = out.find("<li id=\"r-fn:2\">").expect(&out);
        let third = out.find("<li id=\"r-fn:3\">").expect(&out);
        assert!(list < first && first < second && second < third);
        assert!(out[first..second].contains("First."));
        assert!(out[third..].contains("Never cited."));
        assert!(!out[third..].contains("footnote-backref"), "{out}");
    }

    #[test]
    fn soft_break_between_cjk_characters_vanishes() {
        assert!(html("第一行\n第二行").contains("<p>第一行第二行</p>"));
        assert!(html("你好，\n世界。").contains("<p>你好，世界。</p>"));
        assert!(html("*第一行*\n**第二行**").contains("<em>第一行</em><strong>第二行</strong>"));
        assert!(html("ひらがな\nカタカナ").contains("ひらがなカタカナ"));
        assert!(html("한국어\n문장").contains("한국어문장"));
        // A closing curly quote belongs to the Chinese sentence.
        assert!(html("他说：“好。”\n然后走了").contains("“好。”然后走了"));
        // Setext heading text and its slug are joined the same way.
        let out = html("第一\n第二\n===\n");
        assert!(out.contains("<h1 id=\"r-第一第二\">第一第二</h1>"), "{out}");
    }

    #[test]
    fn soft_break_next_to_latin_stays() {
        assert!(html("hello\nworld").contains("<p>hello\nworld</p>"));
        assert!(html("中文\nEnglish").contains("中文\nEnglish"));
        assert!(html("English\n中文").contains("English\n中文"));
        assert!(html("“quoted”\n“again”").contains("”\n“"));
    }

    const FORBIDDEN: [&str; 6] = [
        "<script",
        "onerror",
        "onload",
        "javascript:",
        "<iframe",
        "style=",
    ];

    #[test]
    fn hostile_html_is_neutralised() {
        let payloads = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<iframe src=//evil></iframe>",
            "<p style=\"background:url(x)\">p</p>",
            "<svg onload=alert(1)>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "<style>p{}</style>",
            "<object data=x></object><embed src=x>",
            "<form action=/x><input type=text name=q><button>go</button></form>",
            "<a href=\"vbscript:msgbox(1)\">v</a> <a href=\"data:text/html,x\">d</a>",
            "<a href=\"&#106;avascript:alert(1)\">e</a>",
            "text <a href=\"java\tscript:alert(1)\">t</a>",
            "[x](<java\tscript:alert(1)>) [y](JAVASCRIPT:alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[d](data:text/html;base64,PHNjcmlwdD4=) [v](vbscript:x)",
            "![x](javascript:alert(1))",
        ];
        for payload in payloads {
            for md in [payload.to_string(), format!("# 标题\n\n{payload}\n\n正文")] {
                let out = html(&md);
                let lower = out.to_ascii_lowercase();
                for bad in FORBIDDEN {
                    assert!(!lower.contains(bad), "{bad} survives {md:?}: {out}");
                }
                for bad in [
                    "<object", "<embed", "<form", "<style", "<svg", "<math", "<button",
                ] {
                    assert!(!lower.contains(bad), "{bad} survives {md:?}: {out}");
                }
                for href in attr_values(&out, "href") {
                    assert_ne!(classify(&href), UrlKind::Refused, "{md:?}: {out}");
                }
                for (name, attrs) in tags(&out) {
                    for a in attrs {
                        assert!(
                            !a.starts_with("on") && a != "style",
                            "<{name} {a}> in {out}"
                        );
                    }
                }
            }
        }
        // Inputs are only ever disabled checkboxes.
        let out = html("<input type=text name=q value=x>");
        assert!(
            out.contains("<input type=\"checkbox\" disabled=\"\">"),
            "{out}"
        );
    }

    #[test]
    fn refused_markdown_links_keep_their_text_without_ammonia() {
        for md in [
            "[点这里](javascript:alert(1))",
            "[点这里](data:text/html,x)",
            "[点这里](vbscript:x)",
        ] {
            let r = render(md, BASE, "r-");
            assert!(!r.sanitised);
            assert_eq!(r.html, "<p>点这里</p>\n");
        }
    }

    #[test]
    fn refused_autolinks_are_text_not_links() {
        let r = render("<javascript:alert(1)> <vbscript:x>", BASE, "r-");
        assert!(!r.sanitised);
        assert!(!r.html.contains("<a"), "{}", r.html);
        assert!(r.html.contains("javascript:alert(1)"), "{}", r.html);
    }

    #[test]
    fn external_links_get_rel_and_relative_links_stay() {
        for raw in ["", "\n\n<span>raw</span>"] {
            let md = format!(
                "[外](https://www.gov.cn/a?b=1&c=2) [内](items/i-1/) [根](/items/i-2/) [邮](mailto:a@b.cn) [锚](#x) [协议相对](//example.com/)\n{raw}"
            );
            let out = html(&md);
            assert!(
                out.contains(
                    "<a href=\"https://www.gov.cn/a?b=1&amp;c=2\" rel=\"noopener noreferrer\">外</a>"
                ),
                "{out}"
            );
            assert!(out.contains("<a href=\"items/i-1/\">内</a>"), "{out}");
            assert!(out.contains("<a href=\"/items/i-2/\">根</a>"), "{out}");
            assert!(out.contains("<a href=\"mailto:a@b.cn\">邮</a>"), "{out}");
            assert!(out.contains("<a href=\"#x\">锚</a>"), "{out}");
            assert!(
                out.contains("<a href=\"//example.com/\" rel=\"noopener noreferrer\">协议相对</a>"),
                "{out}"
            );
        }
        let out = html(
            "<a href=\"http://example.com\" rel=\"opener\" target=\"_blank\">x</a> <a href=\"photos/\">y</a>",
        );
        assert!(
            out.contains("<a href=\"http://example.com\" rel=\"noopener noreferrer\">x</a>"),
            "{out}"
        );
        assert!(out.contains("<a href=\"photos/\">y</a>"), "{out}");
    }

    #[test]
    fn images_are_files_of_the_site_under_the_base() {
        for raw in ["", "\n\n<span>raw</span>"] {
            let md = format!("![照片一](photos/a.jpg) ![照片二](/photos/b.jpg \"标题\")\n{raw}");
            let out = html(&md);
            let srcs = attr_values(&out, "src");
            assert_eq!(
                srcs,
                ["/jcdj/shiji/photos/a.jpg", "/jcdj/shiji/photos/b.jpg"],
                "{out}"
            );
            assert_eq!(attr_values(&out, "loading"), ["lazy", "lazy"], "{out}");
            assert_eq!(attr_values(&out, "alt"), ["照片一", "照片二"], "{out}");
            assert_eq!(attr_values(&out, "title"), ["标题"], "{out}");
        }
        let out = html("<img src=\"photos/c.jpg\" alt=\"c\"> <IMG SRC=/photos/d.jpg>");
        assert_eq!(
            attr_values(&out, "src"),
            ["/jcdj/shiji/photos/c.jpg", "/jcdj/shiji/photos/d.jpg"],
            "{out}"
        );
        assert_eq!(attr_values(&out, "loading"), ["lazy", "lazy"], "{out}");
        // Non-ASCII and spaces are percent-encoded as pulldown-cmark does.
        let out = html("![照片](<photos/照片 1.jpg>) [文件](<docs/通知 2.pdf>)");
        assert_eq!(
            attr_values(&out, "src"),
            ["/jcdj/shiji/photos/%E7%85%A7%E7%89%87%201.jpg"],
            "{out}"
        );
        assert_eq!(
            attr_values(&out, "href"),
            ["docs/%E9%80%9A%E7%9F%A5%202.pdf"],
            "{out}"
        );
        // A base without its final slash still yields one.
        assert!(to_html("![a](x.png)", "/s", "").contains("src=\"/s/x.png\""));
    }

    #[test]
    fn external_images_are_dropped_but_their_alt_text_stays() {
        for md in [
            "![外部图片](https://evil.example/x.png)",
            "![外部图片](http://evil.example/x.png)",
            "![外部图片](//evil.example/x.png)",
            "![外部图片](/\\evil.example/x.png)",
            "![外部图片](data:image/png;base64,AAAA)",
        ] {
            let r = render(md, BASE, "r-");
            assert!(!r.sanitised);
            assert!(!r.html.contains("<img"), "{md}: {}", r.html);
            assert!(!r.html.contains("evil"), "{md}: {}", r.html);
            assert!(r.html.contains("外部图片"), "{md}: {}", r.html);
        }
        let out = html(
            "<img src=\"https://evil.example/x.png\" alt=\"外部\"> <img src=//evil.example/y.png>",
        );
        assert!(!out.contains("evil"), "{out}");
        // The refused image is gone, its alt text shown in its place.
        assert!(!out.contains("<img"), "{out}");
        assert!(out.contains("外部"), "{out}");
        let out = html(
            "<p>a<img src=x:y alt=\"&lt;说明&gt;\" onerror=alert(1)>b<img src=photos/ok.png alt=ok></p>",
        );
        assert!(
            out.contains("a&lt;说明&gt;b<img src=\"/jcdj/shiji/photos/ok.png\""),
            "{out}"
        );
    }

    #[test]
    fn tables_align_with_classes_never_styles() {
        let md = "| 项目 | 人数 | 备注 |\n| :--- | ---: | :-: |\n| 义诊 | 30 | 好 |\n";
        for raw in ["", "\n<span>raw</span>\n"] {
            let out = html(&format!("{md}{raw}"));
            assert!(!out.contains("style"), "{out}");
            assert!(out.contains("<th class=\"align-left\">项目</th>"), "{out}");
            assert!(out.contains("<td class=\"align-right\">30</td>"), "{out}");
            assert!(out.contains("<td class=\"align-center\">好</td>"), "{out}");
        }
        let out = html("| a | b |\n| - | - |\n| 1 | 2 |\n");
        assert!(
            out.contains("<th>a</th>") && out.contains("<td>2</td>"),
            "{out}"
        );
    }

    #[test]
    fn task_lists_strikethrough_and_code_survive_both_paths() {
        let md = "- [x] 已完成\n- [ ] 未完成\n\n~~删除~~\n\n```rust\nlet x = 1;\n```\n";
        for raw in ["", "\n<span>raw</span>\n"] {
            let out = html(&format!("{md}{raw}"));
            let inputs: Vec<_> = tags(&out)
                .into_iter()
                .filter(|(n, _)| n == "input")
                .collect();
            assert_eq!(inputs.len(), 2, "{out}");
            for (_, attrs) in &inputs {
                assert!(attrs.contains(&"disabled".to_string()), "{out}");
                assert!(attrs.contains(&"type".to_string()), "{out}");
            }
            assert_eq!(out.matches("checked").count(), 1, "{out}");
            assert!(out.contains("<del>删除</del>"), "{out}");
            assert!(out.contains("<code class=\"language-rust\">"), "{out}");
        }
    }

    #[test]
    fn pure_markdown_skips_ammonia_and_raw_html_does_not() {
        let pure = render(
            "# 标题\n\n正文 *强调* [链接](https://a.cn) ![图](p.jpg)\n\n---\n",
            BASE,
            "r-",
        );
        assert!(!pure.sanitised);
        // ammonia would have serialised the rule as `<hr>`: this output never went through it.
        assert!(pure.html.contains("<hr />"), "{}", pure.html);
        // `a < b` and autolinks are not raw HTML.
        assert!(!render("a < b <https://a.cn>", BASE, "r-").sanitised);
        let raw = render("# 标题\n\n<b>粗</b>\n\n---\n", BASE, "r-");
        assert!(raw.sanitised);
        assert!(
            raw.html.contains("<hr>") && raw.html.contains("<b>粗</b>"),
            "{}",
            raw.html
        );
        assert!(raw.html.contains("<h1 id=\"r-标题\">"), "{}", raw.html);
    }

    #[test]
    fn raw_html_ids_are_kept_under_the_prefix() {
        let out = html("<h2 id=\"main\">x</h2>\n\n<div id=\"top\">y</div>\n");
        assert!(out.contains("<h2 id=\"r-main\">"), "{out}");
        assert!(!out.contains("\"top\""), "{out}");
    }

    #[test]
    fn url_classification() {
        use UrlKind::*;
        for (url, kind) in [
            ("photos/a.jpg", Relative),
            ("/photos/a.jpg", Relative),
            ("#top", Relative),
            ("a/b:c", Relative),
            ("HTTPS://a.cn", External),
            (" \thttp://a.cn", External),
            ("//a.cn", External),
            ("\\\\a.cn", External),
            ("/\n/a.cn", External),
            ("mailto:a@b.cn", Contact),
            ("tel:12345", Contact),
            ("javascript:x", Refused),
            ("  JavaScript:x", Refused),
            ("java\tscript:x", Refused),
            ("data:x", Refused),
            ("file:///etc", Refused),
            (":x", Refused),
        ] {
            assert_eq!(classify(url), kind, "{url:?}");
        }
    }

    fn markdownish() -> impl Strategy<Value = String> {
        let atoms = prop_oneof![
            Just("\n".to_string()),
            Just("\n\n".to_string()),
            Just("# ".to_string()),
            Just("| a | b |\n| :- | -: |\n".to_string()),
            Just("[^1]".to_string()),
            Just("[^1]: ".to_string()),
            Just("[x](javascript:alert(1))".to_string()),
            Just("![p](photos/a.jpg)".to_string()),
            Just("![p](https://e.x/a.png)".to_string()),
            Just("<img src=x onerror=alert(1)>".to_string()),
            Just("<a href=\"https://e.x\">".to_string()),
            Just("</a>".to_string()),
            Just("<script>".to_string()),
            Just("- [ ] ".to_string()),
            Just("> ".to_string()),
            Just("```\n".to_string()),
            Just("[t](".to_string()),
            Just("![t](".to_string()),
            Just(")".to_string()),
            "[a-z 中文，。“”*_~`<>!\\[\\]()^:|#-]{0,12}",
        ];
        proptest::collection::vec(atoms, 0..24).prop_map(|v| v.concat())
    }

    fn check_invariants(md: &str) {
        let out = to_html(md, BASE, "p-");
        assert_eq!(out, to_html(md, BASE, "p-"), "not deterministic");
        let lower = out.to_ascii_lowercase();
        assert!(!lower.contains("<script"), "{md:?}: {out}");
        for (name, attrs) in tags(&out) {
            for a in attrs {
                assert!(
                    !a.starts_with("on") && a != "style",
                    "<{name} {a}>: {md:?}: {out}"
                );
            }
        }
        for href in attr_values(&out, "href") {
            assert_ne!(classify(&href), UrlKind::Refused, "{md:?}: {out}");
        }
        for src in attr_values(&out, "src") {
            assert!(src.starts_with(BASE), "{md:?}: {out}");
        }
        let ids = attr_values(&out, "id");
        let generated: Vec<_> = ids.iter().filter(|id| id.starts_with("p-")).collect();
        assert_eq!(ids.len(), generated.len(), "unprefixed id: {md:?}: {out}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn arbitrary_text_never_panics(md in any::<String>()) {
            let _ = to_html(&md, BASE, "p-");
            let _ = to_html(&md, "", "");
        }

        #[test]
        fn markdownish_text_keeps_the_invariants(md in markdownish()) {
            check_invariants(&md);
        }
    }
}
