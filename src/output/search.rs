//! The search index of the `/search/` page: static JSON files under `search-index/`, read by
//! the theme's `search.js` in the browser, with no server.
//!
//! What a page contributes is what its template marks ([`page_doc`]): the element with
//! `data-search-body`, less what is inside `data-search-ignore`; its first `<h1>` is the
//! result's title, `data-search-weight` (above 1) marks a name that weighs most, and empty
//! elements carry the result's kind (`data-search-meta="kind:…"`) and the filter values
//! (`data-search-filter="community:…"`). Pages are read from the HTML as rendered, so names
//! are already masked.
//!
//! Chinese is not written with spaces between words, so the index holds every pair of
//! adjacent Han characters (a bigram: 维修 is found inside 水电维修 and 屋面渗漏维修, whatever a
//! dictionary would cut), every single Han character (for a query of one), and every other
//! run of letters or digits as a lower-cased word; a query must match all of its terms. The
//! browser splits the query the same way (`search.js`: [`is_han`] and the word rules must
//! stay the same on both sides).
//!
//! The files, so that a phone downloads only what its query needs:
//! - `meta.json`: the number of documents, of term shards and of documents per chunk, and
//!   `items`: the runs of document numbers `[first, end)` that are items' pages (ranked
//!   before other pages whose title matches as well: `search.js`);
//! - `terms/<n>.json`: the postings of the terms whose FNV-1a hash modulo the shard count is
//!   `n`, as `{"term": [entry, …]}`, each entry the gap from the previous document number
//!   times 4 plus where the term was found ([`Found`]);
//! - `docs/<n>.json`: documents `n × DOCS_PER_CHUNK …`, each `[url, title, kind, text,
//!   place]` (the text cut to what an excerpt shows; the place: the community and unit the
//!   page belongs to, from `data-search-meta="place:…"`, joined by " · ");
//! - `filters.json`: every filter's values, read when the filters are opened.
//!
//! Filters and whole titles are terms too (`community:文庙社区`, `=文庙社区`: no text term holds
//! `:` or `=`), so a filter is one more posting list to intersect, and a query that is a
//! page's whole name finds that page first.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::html::{self, Token};

/// The folder of the index in the output.
pub const DIR: &str = "search-index/";

/// Postings per term shard, roughly: about 30 KB of JSON, one download per query term.
const ENTRIES_PER_SHARD: usize = 8_000;

/// Documents per chunk of results: one download shows up to this many results.
const DOCS_PER_CHUNK: usize = 8;

/// Characters of a page's text kept for the excerpt under its result.
const EXCERPT_CHARS: usize = 160;

/// Where on a page a term was found: the rank of that place, highest wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Found {
    Text = 0,
    Title = 1,
    /// Inside an element with `data-search-weight` above 1: the name of the thing.
    Name = 2,
}

/// What one page gives the index.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Doc {
    pub title: String,
    pub kind: String,
    /// The text of the marked body, title included, each piece with where it was found.
    pub pieces: Vec<(String, Found)>,
    /// (filter, value), in page order.
    pub filters: Vec<(String, String)>,
    /// The start of the page's running text (not headings, nor the fields of a `<dl>` or
    /// `<table>`), for the excerpt under its result; empty on a page without any.
    pub excerpt: String,
    /// Where the page belongs (`data-search-meta="place:…"`, in page order): its community
    /// and unit, named under its result.
    pub place: Vec<String>,
}

/// Elements inside which text runs on: no word boundary at their tags.
fn is_inline(name: &str) -> bool {
    html::name_is(name, |n| {
        matches!(
            n,
            "a" | "abbr"
                | "b"
                | "code"
                | "del"
                | "em"
                | "i"
                | "mark"
                | "s"
                | "small"
                | "span"
                | "strong"
                | "sub"
                | "sup"
                | "time"
        )
    })
}

/// Elements whose text is labels and values, not running text.
fn is_field(name: &str) -> bool {
    html::name_is(name, |n| {
        matches!(n, "dl" | "table" | "h2" | "h3" | "h4" | "h5" | "h6")
    })
}

/// The tokens of `page` inside the first element that `is_start`.
fn inside<'p, 'a>(
    page: &'p [Token<'a>],
    is_start: impl Fn(&str, &str) -> bool,
) -> Option<&'p [Token<'a>]> {
    let start = page
        .iter()
        .position(|t| matches!(t, Token::Open { name, attrs } if is_start(name, attrs)))?;
    Some(&page[start + 1..])
}

/// The search document of a rendered page (its [`html::tokens`]): what its element with
/// `data-search-body` holds, or, on a page without one (a site's own template), its `<main>`
/// or else its `<body>`; `None` for a page with none of them.
pub fn page_doc(page: &[Token]) -> Option<Doc> {
    struct Open {
        ignore: bool,
        name: bool,
        title: bool,
        /// Inside a heading, `<dl>` or `<table>`: labels and values, not running text.
        field: bool,
    }
    let tokens = inside(page, |_, attrs| {
        attrs.contains("data-search-body")
            && html::attributes(attrs).any(|(n, _)| n == "data-search-body")
    })
    .or_else(|| inside(page, |name, _| name.eq_ignore_ascii_case("main")))
    .or_else(|| inside(page, |name, _| name.eq_ignore_ascii_case("body")))?;
    let mut doc = Doc::default();
    let mut stack = vec![Open {
        ignore: false,
        name: false,
        title: false,
        field: false,
    }];
    let mut title_seen = false;
    let mut piece = String::new();
    let mut found = Found::Text;
    // The piece of text so far ends; `field`: it was inside a heading, `<dl>` or `<table>`.
    let flush = |piece: &mut String, found: Found, field: bool, doc: &mut Doc| {
        let text = single_spaced(piece);
        piece.clear();
        if text.is_empty() {
            return;
        }
        if found == Found::Text && !field && doc.excerpt.chars().count() < EXCERPT_CHARS {
            if !doc.excerpt.is_empty() {
                doc.excerpt.push(' ');
            }
            doc.excerpt.push_str(&text);
        }
        doc.pieces.push((text, found));
    };
    for token in tokens {
        match *token {
            Token::Open { name, attrs } => {
                let parent = stack.last().expect("the body is open");
                if !is_inline(name) {
                    flush(&mut piece, found, parent.field, &mut doc);
                }
                let mut open = Open {
                    ignore: parent.ignore,
                    name: parent.name,
                    title: parent.title,
                    field: parent.field || is_field(name),
                };
                // Most tags carry none of the marks: not worth reading their attributes.
                let marked = if attrs.contains("data-search-") {
                    attrs
                } else {
                    ""
                };
                for (key, value) in html::attributes(marked) {
                    match key {
                        "data-search-ignore" => open.ignore = true,
                        "data-search-weight" => {
                            open.name = html::unescape(value).parse::<f32>().is_ok_and(|w| w > 1.0)
                        }
                        "data-search-meta" | "data-search-filter" => {
                            let value = html::unescape(value);
                            let Some((k, v)) = value.split_once(':') else {
                                continue;
                            };
                            let (k, v) = (k.trim().to_string(), v.trim().to_string());
                            if key == "data-search-filter" {
                                doc.filters.push((k, v));
                            } else if k == "kind" {
                                doc.kind = v;
                            } else if k == "place" && !doc.place.contains(&v) {
                                doc.place.push(v);
                            }
                        }
                        _ => {}
                    }
                }
                if name.eq_ignore_ascii_case("h1") && !title_seen {
                    title_seen = true;
                    open.title = true;
                }
                if !html::is_void(name) && !html::self_closing(attrs) {
                    stack.push(open);
                }
            }
            Token::Close(name) => {
                let field = stack.last().is_some_and(|o| o.field);
                if !is_inline(name) {
                    flush(&mut piece, found, field, &mut doc);
                }
                stack.pop();
                if stack.is_empty() {
                    break;
                }
            }
            Token::Text(text) => {
                let open = stack.last().expect("the body is open");
                let here = match (open.name, open.title) {
                    (true, _) => Found::Name,
                    (false, true) => Found::Title,
                    _ => Found::Text,
                };
                if open.title {
                    doc.title.push_str(&html::unescape(text));
                }
                if open.ignore {
                    continue;
                }
                if here != found {
                    flush(&mut piece, found, open.field, &mut doc);
                    found = here;
                }
                piece.push_str(&html::unescape(text));
            }
        }
    }
    flush(&mut piece, found, false, &mut doc);
    doc.title = single_spaced(&doc.title);
    // A page of fields only has no excerpt: labels and cells run together read as nonsense;
    // its result shows its kind and place instead.
    doc.excerpt = doc.excerpt.chars().take(EXCERPT_CHARS).collect();
    Some(doc)
}

/// `text` with each run of white space one space, and none at either end.
fn single_spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Han characters, as `search.js` tells them (the same ranges there).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3007}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2fa1f}')
}

/// A term of the index, while it is built: Han bigrams and single characters as their
/// characters packed in a number (no string for each of millions of them), other terms as
/// text.
#[derive(PartialEq, Eq, Hash)]
enum Term {
    Han(u64),
    Text(String),
}

impl Term {
    fn han(a: char, b: Option<char>) -> Term {
        Term::Han(((a as u64) << 32) | b.map_or(0, |b| b as u64))
    }

    fn key(&self) -> String {
        match self {
            Term::Han(packed) => {
                let a = char::from_u32((packed >> 32) as u32).unwrap_or('\u{fffd}');
                let b = char::from_u32((packed & 0xffff_ffff) as u32).filter(|&c| c != '\0');
                b.map_or(a.to_string(), |b| format!("{a}{b}"))
            }
            Term::Text(t) => t.clone(),
        }
    }
}

/// Calls `term` for each term of `text`: Han characters and pairs of adjacent ones, and
/// lower-cased runs of other letters and digits.
fn terms_of(text: &str, mut term: impl FnMut(Term)) {
    let mut prev_han: Option<char> = None;
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if is_han(c) {
            if let Some(p) = prev_han {
                term(Term::han(p, Some(c)));
            }
            term(Term::han(c, None));
            prev_han = Some(c);
        } else {
            prev_han = None;
        }
        if !is_han(c) && c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            term(Term::Text(std::mem::take(&mut word)));
        }
    }
}

/// A whole title as the index keeps it, to find the page that is named exactly what was
/// typed: lower case, without spaces (`search.js` does the same to the query).
fn whole_title(title: &str) -> String {
    title
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// FNV-1a (32 bits) of the term's UTF-8: its shard, here and in `search.js`.
fn fnv1a(s: &str) -> u32 {
    s.bytes()
        .fold(0x811c_9dc5, |h, b| (h ^ b as u32).wrapping_mul(0x0100_0193))
}

/// The postings of `docs`, numbered from `first`: term → entries (document number × 4 +
/// where it was found), in document order.
fn postings_of(docs: &[(String, Doc)], first: usize) -> FxHashMap<Term, Vec<u32>> {
    let mut postings: FxHashMap<Term, Vec<u32>> = FxHashMap::default();
    let mut on_page: FxHashMap<Term, Found> = FxHashMap::default();
    for (n, (_, doc)) in docs.iter().enumerate() {
        for (text, found) in &doc.pieces {
            terms_of(text, |t| {
                let best = on_page.entry(t).or_insert(*found);
                *best = (*best).max(*found);
            });
        }
        if !doc.title.is_empty() {
            on_page.insert(
                Term::Text(format!("={}", whole_title(&doc.title))),
                Found::Name,
            );
        }
        for (name, value) in &doc.filters {
            on_page.insert(Term::Text(format!("{name}:{value}")), Found::Text);
        }
        for (term, found) in on_page.drain() {
            postings
                .entry(term)
                .or_default()
                .push((((first + n) as u32) << 2) | found as u32);
        }
    }
    postings
}

/// The index files (path in the output, bytes) of `docs`: (URL relative to the base, the
/// page's document), in the order given, which numbers them.
pub fn build(docs: &[(String, Doc)]) -> Vec<(String, Vec<u8>)> {
    // Two halves at once; the second's documents all come after the first's, so appending
    // keeps every list in document order.
    // Split where half of the text is, not half of the documents: a unit's page has several
    // times an item's text, and one core waited for the other.
    let weight = |d: &Doc| 1 + d.pieces.iter().map(|(t, _)| t.len()).sum::<usize>();
    let total: usize = docs.iter().map(|(_, d)| weight(d)).sum();
    let mut so_far = 0;
    let half = docs
        .iter()
        .position(|(_, d)| {
            so_far += weight(d);
            so_far * 2 >= total
        })
        .map_or(0, |i| i + 1);
    let (first, later) = rayon::join(
        || postings_of(&docs[..half], 0),
        || postings_of(&docs[half..], half),
    );
    let mut filters: BTreeMap<&str, std::collections::BTreeSet<&str>> = BTreeMap::new();
    for (name, value) in docs.iter().flat_map(|(_, d)| &d.filters) {
        filters.entry(name).or_default().insert(value);
    }
    let entries: usize = first.values().chain(later.values()).map(Vec::len).sum();
    let shards = entries.div_ceil(ENTRIES_PER_SHARD).max(1);
    // Each half's terms into their shards, then each shard's two halves merged, all on both
    // cores: merged into one map first, the 26 million entries of a site of 100k items took
    // one core most of a second.
    let (first, later) = rayon::join(|| into_shards(first, shards), || into_shards(later, shards));
    let mut files: Vec<(String, Vec<u8>)> = first
        .into_par_iter()
        .zip(later)
        .enumerate()
        .map(|(n, (first, later))| {
            let terms = merged(first, later);
            (format!("{DIR}terms/{n}.json"), shard_json(&terms))
        })
        .collect();
    files.par_extend(
        docs.par_chunks(DOCS_PER_CHUNK)
            .enumerate()
            .map(|(n, chunk)| (format!("{DIR}docs/{n}.json"), docs_json(chunk))),
    );
    let meta = serde_json::json!({
        "version": 1,
        "docs": docs.len(),
        "shards": shards,
        "chunk": DOCS_PER_CHUNK,
        "items": item_runs(docs),
    });
    files.push((format!("{DIR}meta.json"), meta.to_string().into_bytes()));
    let filters = serde_json::to_vec(&filters).expect("strings serialise");
    files.push((format!("{DIR}filters.json"), filters));
    files
}

/// The postings of `postings` in `shards` shards by the hash of their terms' text.
fn into_shards(postings: FxHashMap<Term, Vec<u32>>, shards: usize) -> Vec<Vec<(String, Vec<u32>)>> {
    let mut sharded: Vec<Vec<(String, Vec<u32>)>> = vec![Vec::new(); shards];
    for (term, list) in postings {
        let key = term.key();
        sharded[fnv1a(&key) as usize % shards].push((key, list));
    }
    sharded
}

/// One shard's terms in order, from the postings of two runs of documents, `later`'s after
/// `first`'s: a term's entries stay in document order.
fn merged(
    mut first: Vec<(String, Vec<u32>)>,
    mut later: Vec<(String, Vec<u32>)>,
) -> Vec<(String, Vec<u32>)> {
    first.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    later.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::with_capacity(first.len().max(later.len()));
    let mut later = later.into_iter().peekable();
    for (key, mut list) in first {
        while let Some(before) = later.next_if(|(k, _)| *k < key) {
            out.push(before);
        }
        if let Some((_, more)) = later.next_if(|(k, _)| *k == key) {
            list.extend(more);
        }
        out.push((key, list));
    }
    out.extend(later);
    out
}

/// `{"term":[entry,…],…}` with each entry's document number as the gap from the previous.
fn shard_json(terms: &[(String, Vec<u32>)]) -> Vec<u8> {
    let mut out = String::from("{");
    for (i, (key, list)) in terms.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(key).expect("strings serialise"));
        out.push_str(":[");
        let mut prev = 0;
        // itoa, not `write!`: 26 million numbers at 100k items, each through `fmt` otherwise.
        let mut number = itoa::Buffer::new();
        for (j, entry) in list.iter().enumerate() {
            let (doc, found) = (entry >> 2, entry & 3);
            if j > 0 {
                out.push(',');
            }
            out.push_str(number.format(((doc - prev) << 2) | found));
            prev = doc;
        }
        out.push(']');
    }
    out.push('}');
    out.into_bytes()
}

/// `[[url, title, kind, excerpt, place], …]`.
fn docs_json(chunk: &[(String, Doc)]) -> Vec<u8> {
    let rows: Vec<(&str, &str, &str, &str, String)> = chunk
        .iter()
        .map(|(url, d)| {
            (
                url.as_str(),
                &*d.title,
                &*d.kind,
                &*d.excerpt,
                d.place.join(" · "),
            )
        })
        .collect();
    serde_json::to_vec(&rows).expect("strings serialise")
}

/// The runs `[first, end)` of document numbers that are items' pages (their URLs under
/// `items/`): one run in route order, however many items.
fn item_runs(docs: &[(String, Doc)]) -> Vec<[usize; 2]> {
    let mut runs: Vec<[usize; 2]> = Vec::new();
    for (n, (url, _)) in docs.iter().enumerate() {
        // `pages::item_url`: every item page is under `items/`.
        if !url.starts_with("items/") {
            continue;
        }
        match runs.last_mut() {
            Some(run) if run[1] == n => run[1] = n + 1,
            _ => runs.push([n, n + 1]),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_doc(page: &str) -> Option<Doc> {
        super::page_doc(&html::tokens(page).collect::<Vec<_>>())
    }

    const ITEM: &str = "<!doctype html><html lang=zh-CN><body><nav>导航菜单</nav>\
        <main><div data-search-body><span data-search-meta=\"kind:认领事项\"></span>\
        <span data-search-filter=\"community:文庙社区\"></span><h1>楼道灯 维修</h1>\
        <p>为老旧小区<a href=/x/>更换</a>楼道灯。&lt;b&gt;</p><br><img src=/p.png alt=照片>\
        <section data-search-ignore><p>评价内容</p></section><p><a href=/y/>LED</a> Lamp 2018年</p>\
        <svg><path d=\"M0\"/></svg></div>\
        <footer>页脚</footer></main></body></html>";

    #[test]
    fn a_shards_two_halves_merge_in_term_order_with_the_first_halfs_entries_first() {
        let list = |terms: &[(&str, &[u32])]| -> Vec<(String, Vec<u32>)> {
            terms
                .iter()
                .map(|(k, l)| (k.to_string(), l.to_vec()))
                .collect()
        };
        let first = list(&[("维修", &[4, 9]), ("a", &[1])]);
        let later = list(&[("z", &[40]), ("维修", &[44]), ("b", &[48]), ("0", &[52])]);
        assert_eq!(
            merged(first, later),
            list(&[
                ("0", &[52]),
                ("a", &[1]),
                ("b", &[48]),
                ("z", &[40]),
                ("维修", &[4, 9, 44]),
            ])
        );
        assert_eq!(merged(Vec::new(), Vec::new()), list(&[]));
    }

    #[test]
    fn a_page_gives_its_marked_text_title_kind_and_filters() {
        let doc = page_doc(ITEM).unwrap();
        assert_eq!(doc.title, "楼道灯 维修");
        assert_eq!(doc.kind, "认领事项");
        assert_eq!(doc.filters, vec![("community".into(), "文庙社区".into())]);
        let pieces: Vec<(&str, Found)> = doc.pieces.iter().map(|(t, f)| (t.as_str(), *f)).collect();
        assert_eq!(
            pieces,
            vec![
                ("楼道灯 维修", Found::Title),
                ("为老旧小区更换楼道灯。<b>", Found::Text),
                ("LED Lamp 2018年", Found::Text),
            ]
        );
        assert_eq!(doc.excerpt, "为老旧小区更换楼道灯。<b> LED Lamp 2018年");
        assert_eq!(page_doc("<p>a fragment</p>"), None);
        // A page of a site's own template, without the mark: its main part.
        let own =
            page_doc("<body><nav>菜单</nav><main><h1>关于</h1><p>本站</p></main></body>").unwrap();
        assert_eq!(own.title, "关于");
        assert_eq!(own.pieces.len(), 2);
    }

    #[test]
    fn tags_in_upper_case_are_read_as_in_lower_case() {
        let doc = page_doc(
            "<MAIN><H1>标题</H1><TABLE><TR><TD>字段</TD></TR></TABLE><P>水电<SPAN>维修</SPAN><BR>续</P></MAIN>",
        )
        .expect("a main element");
        // SPAN runs on, BR breaks, TABLE holds fields: "字段" is no part of the excerpt.
        assert_eq!(doc.excerpt, "水电维修 续");
    }

    /// The excerpt is running text: headings and the labels and values of a `<dl>` or
    /// `<table>` are indexed but shown only where a page has nothing else.
    #[test]
    fn the_excerpt_is_running_text_not_fields() {
        let page = "<div data-search-body><h1>事项</h1><h2>供需清单</h2><dl><dt>社区</dt><dd><a href=/c/>文庙社区</a></dd></dl>\
            <table><tr><td>走访户数</td></tr></table><div class=prose><p>为独居老人  检修</p></div></div>";
        let doc = page_doc(page).unwrap();
        assert_eq!(doc.excerpt, "为独居老人 检修");
        assert!(doc.pieces.iter().any(|(t, _)| t == "文庙社区"));
        let fields_only =
            page_doc("<main><h1>街道</h1><dl><dt>区</dt><dd>东城区</dd></dl></main>").unwrap();
        assert_eq!(fields_only.excerpt, "", "no cells run together");
    }

    #[test]
    fn a_result_names_its_place_and_items_pages_are_known_by_number() {
        let doc = page_doc(
            "<div data-search-body><span data-search-meta=\"place:文庙社区\"></span>\
             <span data-search-meta=\"place:人民医院\"></span><span data-search-meta=\"place:文庙社区\"></span><h1>义诊</h1></div>",
        )
        .unwrap();
        assert_eq!(doc.place, ["文庙社区", "人民医院"]);
        let json = String::from_utf8(docs_json(&[("items/a/".into(), doc.clone())])).unwrap();
        assert_eq!(json, r#"[["items/a/","义诊","","","文庙社区 · 人民医院"]]"#);
        let urls = [
            "units/u/",
            "items/a/",
            "items/b/",
            "categories/c/",
            "items/z/",
        ];
        let docs: Vec<(String, Doc)> = urls.iter().map(|u| (u.to_string(), doc.clone())).collect();
        assert_eq!(item_runs(&docs), [[1, 3], [4, 5]]);
    }

    #[test]
    fn a_weighted_heading_is_a_name() {
        let doc = page_doc(
            "<div data-search-body><h1 data-search-weight=\"10\">文庙社区</h1><p>x</p></div>",
        )
        .unwrap();
        assert_eq!(doc.pieces[0], ("文庙社区".into(), Found::Name));
        assert_eq!(doc.pieces[1], ("x".into(), Found::Text));
    }

    fn terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        terms_of(text, |t| out.push(t.key()));
        out
    }

    #[test]
    fn chinese_as_pairs_other_scripts_as_words() {
        assert_eq!(
            terms("水电维修"),
            ["水", "水电", "电", "电维", "维", "维修", "修"]
        );
        assert_eq!(terms("灯·Lamp 2018年"), ["灯", "lamp", "年", "2018"]);
    }

    fn index(pages: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        let docs: Vec<(String, Doc)> = pages
            .iter()
            .map(|(url, html)| (url.to_string(), page_doc(html).unwrap()))
            .collect();
        build(&docs).into_iter().collect()
    }

    /// The postings of `key` decoded back to (document, where found).
    fn postings(files: &BTreeMap<String, Vec<u8>>, key: &str) -> Vec<(u32, u32)> {
        let meta: serde_json::Value =
            serde_json::from_slice(&files[&format!("{DIR}meta.json")]).unwrap();
        let shard = fnv1a(key) as u64 % meta["shards"].as_u64().unwrap();
        let terms: serde_json::Value =
            serde_json::from_slice(&files[&format!("{DIR}terms/{shard}.json")]).unwrap();
        let mut doc = 0;
        terms[key]
            .as_array()
            .map(|l| {
                l.iter()
                    .map(|e| {
                        let e = e.as_u64().unwrap() as u32;
                        doc += e >> 2;
                        (doc, e & 3)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn postings_say_which_pages_hold_a_term_and_where() {
        let files = index(&[
            ("items/a/", ITEM),
            (
                "categories/repair/",
                "<div data-search-body><h1 data-search-weight=10>水电维修</h1></div>",
            ),
            (
                "items/b/",
                "<div data-search-body><h1>停车场</h1><p>楼道灯</p></div>",
            ),
        ]);
        assert_eq!(postings(&files, "维修"), [(0, 1), (1, 2)]);
        assert_eq!(postings(&files, "道灯"), [(0, 1), (2, 0)]);
        assert_eq!(postings(&files, "lamp"), [(0, 0)]);
        assert_eq!(postings(&files, "=水电维修"), [(1, 2)]);
        assert_eq!(postings(&files, "community:文庙社区"), [(0, 0)]);
        assert!(
            postings(&files, "评价").is_empty(),
            "ignored text is not indexed"
        );
        assert!(
            postings(&files, "导航").is_empty(),
            "outside the body is not indexed"
        );
        let docs: serde_json::Value =
            serde_json::from_slice(&files[&format!("{DIR}docs/0.json")]).unwrap();
        assert_eq!(docs[0][0], "items/a/");
        assert_eq!(docs[0][1], "楼道灯 维修");
        assert_eq!(docs[0][2], "认领事项");
        assert!(
            docs[0][3]
                .as_str()
                .unwrap()
                .starts_with("为老旧小区更换楼道灯")
        );
        let filters = String::from_utf8(files[&format!("{DIR}filters.json")].clone()).unwrap();
        assert_eq!(filters, r#"{"community":["文庙社区"]}"#);
    }

    #[test]
    fn the_same_pages_give_the_same_bytes() {
        let pages = [
            ("items/a/", ITEM),
            ("items/b/", "<div data-search-body><h1>停车场</h1></div>"),
        ];
        assert_eq!(index(&pages), index(&pages));
    }

    /// Many terms spread over several shards, each term in the shard its hash names.
    #[test]
    fn a_large_index_is_sharded_by_hash() {
        let pages: Vec<(String, String)> = (0..3000)
            .map(|i| {
                let text: String = (0..40)
                    .map(|k| char::from_u32(0x4e00 + (i * 7 + k) % 2000).unwrap())
                    .collect();
                (
                    format!("items/{i}/"),
                    format!("<div data-search-body><h1>事项{i}</h1><p>{text}</p></div>"),
                )
            })
            .collect();
        let refs: Vec<(&str, &str)> = pages
            .iter()
            .map(|(u, h)| (u.as_str(), h.as_str()))
            .collect();
        let files = index(&refs);
        let shards = files.keys().filter(|k| k.contains("/terms/")).count();
        assert!(shards > 4, "{shards} shards");
        assert_eq!(postings(&files, "=事项2999"), [(2999, 2)]);
        assert_eq!(
            files.keys().filter(|k| k.contains("/docs/")).count(),
            3000usize.div_ceil(DOCS_PER_CHUNK)
        );
    }
}
