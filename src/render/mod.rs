//! Templates → bytes: the Tera 2 engine loaded with the theme, Markdown, QR codes and
//! minifying; what a page shows is built in `pages::kinds` and rendered here.

pub mod markdown;
pub mod qr;
pub mod theme;

use tera::Tera;

use crate::diagnostics::{At, Diagnostic};
use crate::messages as m;
use theme::Theme;

/// The template engine loaded with the theme's templates, ready to render any route.
///
/// When the output is minified, the templates are minified once, as they are loaded
/// ([`minify_template`]), instead of every page after it is rendered: minifying 120,000 pages
/// one by one was half of a large build's CPU time. The templates as written stay loaded
/// too: errors are reported at their lines.
pub struct Renderer {
    tera: Tera,
    /// The templates minified, when the output is minified and every template could be.
    minified: Option<Tera>,
    /// Template name → where it came from, for error messages.
    origins: Vec<(String, String)>,
    /// Minify each page (the output is minified, but not every template could be).
    minify_pages: bool,
}

impl Renderer {
    /// Parses every template of the theme; every template error is reported.
    pub fn new(
        theme: &Theme,
        site: &impl serde::Serialize,
        minify: bool,
    ) -> Result<Renderer, Vec<Diagnostic>> {
        let mut origins = Vec::new();
        let mut errors = Vec::new();
        let mut sources = Vec::new();
        for t in &theme.templates {
            match std::str::from_utf8(&t.bytes) {
                Ok(text) => sources.push((t.name.as_str(), text.to_string())),
                Err(_) => errors.push(Diagnostic::new(
                    "not-utf8",
                    &t.origin,
                    At::File,
                    m::template_not_utf8(),
                )),
            }
            origins.push((t.name.clone(), t.origin.clone()));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tera = engine(&sources).map_err(|e| template_errors(&e, &origins))?;
        let strings = tera::Value::try_from_serializable(&theme.strings);
        let site_value = tera::Value::try_from_serializable(site);
        let (strings, site_value) = match (strings, site_value) {
            (Ok(t), Ok(s)) => (t, s),
            (Err(e), _) | (_, Err(e)) => return Err(vec![template_error(&e, &origins)]),
        };
        let globals = |tera: &mut Tera| {
            tera.global_context().insert_value("t", strings.clone());
            tera.global_context()
                .insert_value("site", site_value.clone());
        };
        globals(&mut tera);
        let minified_sources: Option<Vec<(&str, String)>> = match minify {
            true => sources
                .iter()
                .map(|(name, text)| Some((*name, minify_template(text)?)))
                .collect(),
            false => None,
        };
        // Templates that parse as written parse minified; should one not, its pages are
        // minified one by one like those of a template that could not be minified.
        let minified = minified_sources.and_then(|m| {
            let mut tera = engine(&m).ok()?;
            globals(&mut tera);
            Some(tera)
        });
        Ok(Renderer {
            minify_pages: minify && minified.is_none(),
            tera,
            minified,
            origins,
        })
    }

    /// Renders `template` with the page's context `cx`: the page's final bytes.
    pub fn render(&self, template: &str, cx: &tera::Context) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(16 * 1024);
        let rendered = match &self.minified {
            Some(minified) => minified.render_to(template, cx, &mut out),
            None => self.tera.render_to(template, cx, &mut out),
        };
        if let Err(e) = rendered {
            // Said at the line of the template as written, which the minified one has not.
            out.clear();
            let written = self.tera.render_to(template, cx, &mut out).err();
            return Err(template_error(
                written.as_ref().unwrap_or(&e),
                &self.origins,
            ));
        }
        Ok(if self.minify_pages {
            minify_html(&out)
        } else {
            out
        })
    }

    /// A template error met while building a page's context, said at its template.
    pub fn error(&self, e: &tera::Error) -> Diagnostic {
        template_error(e, &self.origins)
    }
}

/// A rendered page as text. Tera writes text, so this is only the check: simdutf8's, several
/// times faster than `std`'s on Chinese text. Invalid bytes, should there ever be any, are
/// replaced.
pub fn text(page: &[u8]) -> std::borrow::Cow<'_, str> {
    match simdutf8::basic::from_utf8(page) {
        Ok(text) => text.into(),
        Err(_) => String::from_utf8_lossy(page),
    }
}

/// A Tera 2 engine with `templates` (name, source), escaping HTML and XML.
fn engine(templates: &[(&str, String)]) -> Result<Tera, tera::Error> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.add_raw_templates(templates.iter().map(|(n, t)| (*n, t.as_str())))?;
    Ok(tera)
}

/// A template minified with minify-html, its template syntax kept as written (minify-html's
/// `preserve_brace_template_syntax`), or `None` when minifying could change what it renders:
/// a tag of the template altered or split (one between attributes, or a quote of its own
/// inside a quoted attribute value), or a value that holds a tag left without its quotes.
fn minify_template(source: &str) -> Option<String> {
    let cfg = minify_html::Cfg {
        minify_css: true,
        minify_js: false,
        keep_closing_tags: true,
        preserve_brace_template_syntax: true,
        ..minify_html::Cfg::new()
    };
    let joined = join_lines(source);
    let out = String::from_utf8(minify_html::minify(joined.as_bytes(), &cfg)).ok()?;
    let (mut before, mut after) = (template_tags(source), template_tags(&out));
    // minify-html may order a tag's attributes otherwise: each tag must still be there.
    before.sort_unstable();
    after.sort_unstable();
    let unquoted = |s: &str| s.matches("={{").count() + s.matches("={%").count();
    (before == after && unquoted(source) == unquoted(&out)).then_some(out)
}

/// The source with the line breaks (and indentation) between a template tag and an HTML
/// tag or another template tag taken out. minify-html sees a template tag as text, so it
/// keeps one space where such a break was; rendered first and minified after, the break was
/// removed between blocks. Templates break lines between blocks and write a space where
/// inline content needs one.
fn join_lines(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(at) = rest.find('\n') {
        let (line, next) = (&rest[..at], &rest[at + 1..]);
        let before = line.trim_end();
        let after = next.trim_start_matches([' ', '\t', '\n', '\r']);
        let ends_tag = before.ends_with("%}") || before.ends_with("}}") || before.ends_with("#}");
        let starts_tag =
            after.starts_with("{%") || after.starts_with("{{") || after.starts_with("{#");
        out.push_str(before);
        let join = (ends_tag && (starts_tag || after.starts_with('<')))
            || (starts_tag && before.ends_with('>'));
        if !join {
            out.push_str(&line[before.len()..]);
            out.push('\n');
            rest = next;
            continue;
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The `{{ … }}`, `{% … %}` and `{# … #}` of a template's source, in order.
fn template_tags(source: &str) -> Vec<&str> {
    let mut tags = Vec::new();
    let mut rest = source;
    while let Some(open) = rest.find('{') {
        let close = match rest[open..].get(1..2) {
            Some("{") => "}}",
            Some("%") => "%}",
            Some("#") => "#}",
            _ => {
                rest = &rest[open + 1..];
                continue;
            }
        };
        let Some(end) = rest[open + 2..].find(close) else {
            tags.push(&rest[open..]);
            break;
        };
        let end = open + 2 + end + 2;
        tags.push(&rest[open..end]);
        rest = &rest[end..];
    }
    tags
}

/// HTML minified with minify-html; JavaScript is left as written.
pub fn minify_html(html: &[u8]) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        minify_css: true,
        minify_js: false,
        keep_closing_tags: true,
        ..minify_html::Cfg::new()
    };
    minify_html::minify(html, &cfg)
}

/// A stylesheet minified through minify-html's CSS minifier (lightningcss), by way of a
/// `<style>` element; unchanged when that does not give a plain stylesheet back.
pub fn minify_css(css: &[u8]) -> Vec<u8> {
    let mut doc = b"<style>".to_vec();
    doc.extend_from_slice(css);
    doc.extend_from_slice(b"</style>");
    let cfg = minify_html::Cfg {
        minify_css: true,
        keep_closing_tags: true,
        ..minify_html::Cfg::new()
    };
    let out = minify_html::minify(&doc, &cfg);
    match out
        .strip_prefix(b"<style>")
        .and_then(|o| o.strip_suffix(b"</style>"))
    {
        Some(inner) if !inner.is_empty() => inner.to_vec(),
        _ => css.to_vec(),
    }
}

/// Tera's checks of a whole template set come as one message holding a report per problem
/// (`error: …` then ` --> name:line:col`): each becomes its own diagnostic.
fn template_errors(e: &tera::Error, origins: &[(String, String)]) -> Vec<Diagnostic> {
    let tera::ErrorKind::Msg(text) = e.kind() else {
        return vec![template_error(e, origins)];
    };
    let mut out = Vec::new();
    for block in text
        .split("\nerror: ")
        .map(|b| b.trim_start_matches("error: "))
    {
        let message = block.lines().next().unwrap_or("").trim();
        let place = block
            .lines()
            .find_map(|l| l.trim_start().strip_prefix("--> "));
        let parsed = place.and_then(|p| {
            let mut parts = p.rsplitn(3, ':');
            let col: usize = parts.next()?.trim().parse().ok()?;
            let line: usize = parts.next()?.trim().parse().ok()?;
            Some((parts.next()?.trim().to_string(), line, col))
        });
        let Some((name, line, column)) = parsed else {
            continue;
        };
        let origin = origins
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(name.as_str(), |(_, o)| o.as_str());
        out.push(
            Diagnostic::new(
                "template",
                origin,
                At::Pos { line, column },
                m::template_problem(message.to_string()),
            )
            .hint(m::template_hint()),
        );
    }
    if out.is_empty() {
        vec![template_error(e, origins)]
    } else {
        out
    }
}

/// A Tera error as a diagnostic at the template's file and line.
fn template_error(e: &tera::Error, origins: &[(String, String)]) -> Diagnostic {
    use std::error::Error as _;
    let (file, at, message) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let origin = origins
                .iter()
                .find(|(n, _)| n == r.filename())
                .map_or(r.filename(), |(_, o)| o.as_str());
            let span = r.span();
            (
                origin.to_string(),
                At::Pos {
                    line: span.start_line.max(1),
                    column: span.start_col + 1,
                },
                r.message().to_string(),
            )
        }
        _ => {
            let mut msg = e.to_string();
            let mut source = e.source();
            while let Some(s) = source {
                msg.push_str(": ");
                msg.push_str(&s.to_string());
                source = s.source();
            }
            ("templates".to_string(), At::File, msg)
        }
    };
    Diagnostic::new("template", &file, at, m::template_problem(message)).hint(m::template_hint())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every template of the default theme is minified once (no page of it is minified
    /// one by one), and minifying keeps every tag of it.
    #[test]
    fn the_default_theme_is_minified_as_it_is_loaded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates");
        let mut failed = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            let source = std::fs::read_to_string(&path).unwrap();
            match minify_template(&source) {
                Some(out) => assert!(out.len() < source.len(), "{path:?}"),
                None => failed.push(path),
            }
        }
        assert!(
            failed.is_empty(),
            "cannot be minified as templates: {failed:?}"
        );
    }

    /// item.html writes out the markup of ui.reports and ui.evaluations (templates.md,
    /// "Components and speed"); the copies must stay the components' markup, with the
    /// arguments item.html would pass (`item={false}`, `of={false}`) applied.
    #[test]
    fn item_html_writes_out_its_components_as_they_are() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates/");
        let read = |f: &str| std::fs::read_to_string(format!("{dir}{f}")).unwrap();
        let (components, item) = (read("components.html"), read("item.html"));
        let between = |s: &str, start: &str, end: &str| -> String {
            let i = s.find(start).unwrap();
            let j = i + s[i..].find(end).unwrap() + end.len();
            s[i..j].to_string()
        };
        let component = |name: &str| {
            between(
                &components,
                &format!("{{% component {name}("),
                &format!("{{%- endcomponent {name} %}}"),
            )
        };
        let article: Vec<String> = between(&component("ui.reports"), "<article", "</article>")
            .lines()
            .filter(|l| !l.starts_with("{%- if item %}"))
            .map(str::to_owned)
            .collect();
        assert!(
            item.contains(&article.join("\n")),
            "item.html's report differs from ui.reports'"
        );
        let table: Vec<String> = between(&component("ui.evaluations"), "<table", "</table>")
            .replace("for e in list", "for e in evaluations")
            .replace("{{ caption }}", "{{ t.evaluations }}")
            .lines()
            .filter(|l| !l.starts_with("{%- if of %}"))
            .map(|l| {
                l.strip_prefix("{%- if by %}")
                    .and_then(|l| l.strip_suffix("{% endif %}"))
                    .unwrap_or(l)
                    .to_owned()
            })
            .collect();
        assert!(
            item.contains(&table.join("\n")),
            "item.html's evaluations differ from ui.evaluations'"
        );
    }

    #[test]
    fn a_template_whose_tags_minifying_would_change_is_left_as_written() {
        assert!(minify_template("<p>\n  {{ a }}  <b> x </b>\n</p>").is_some());
        // A tag between attributes, with quotes of its own: minify-html takes it for
        // attributes.
        assert_eq!(
            minify_template(
                r#"<a href="/"{% if k == "home" %} aria-current="page"{% endif %}>x</a>"#
            ),
            None
        );
        // A value that is a tag alone loses its quotes, and a value with spaces would then
        // break the element.
        assert_eq!(minify_template(r#"<img alt="{{a}}" src="/x.png">"#), None);
        assert_eq!(
            template_tags("a {{ b }} {%- c -%} {# d #} {e} {{ f"),
            ["{{ b }}", "{%- c -%}", "{# d #}", "{{ f"]
        );
    }

    #[test]
    fn css_is_minified_and_kept_valid() {
        let css = b"body {\n  color: #1a1a1a;\n  margin: 0px;\n}\n\n/* note */\na { color: red }\n";
        let out = String::from_utf8(minify_css(css)).unwrap();
        assert!(out.len() < css.len(), "{out}");
        assert!(
            out.contains("color:#1a1a1a") && !out.contains("note"),
            "{out}"
        );
    }

    #[test]
    fn html_is_minified_but_scripts_are_untouched() {
        let html = b"<!doctype html><html lang=zh-CN><body>\n  <p>  a  </p>\n<script>var  x = 1;</script></body></html>";
        let out = String::from_utf8(minify_html(html)).unwrap();
        assert!(out.contains("var  x = 1;"), "{out}");
        assert!(out.len() < html.len());
    }
}
