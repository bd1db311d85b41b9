//! The fourth stage: routes → bytes. Tera 2 templates of the theme, page contexts, Markdown,
//! and minification.

pub mod charts;
pub mod context;
pub mod html;
pub mod markdown;
pub mod qr;
pub mod theme;

use tera::Tera;

use crate::diagnostics::{At, Diagnostic};
use crate::pages::{Route, links};
use theme::Theme;

/// The template engine loaded with the theme's templates, ready to render any route.
pub struct Renderer {
    tera: Tera,
    /// Template name → where it came from, for error messages.
    origins: Vec<(String, String)>,
    minify: bool,
}

impl Renderer {
    /// Parses every template of the theme; every template error is reported.
    pub fn new(
        theme: &Theme,
        site: &context::SiteData,
        minify: bool,
    ) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        let mut origins = Vec::new();
        let mut errors = Vec::new();
        let mut sources = Vec::new();
        for t in &theme.templates {
            match std::str::from_utf8(&t.bytes) {
                Ok(text) => sources.push((t.name.as_str(), text)),
                Err(_) => errors.push(Diagnostic::new(
                    "not-utf8",
                    &t.origin,
                    At::File,
                    "the template is not UTF-8",
                )),
            }
            origins.push((t.name.clone(), t.origin.clone()));
        }
        if let Err(e) = tera.add_raw_templates(sources) {
            errors.extend(template_errors(&e, &origins));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let strings = tera::Value::try_from_serializable(&theme.strings);
        let site_value = tera::Value::try_from_serializable(site);
        match (strings, site_value) {
            (Ok(t), Ok(s)) => {
                tera.global_context().insert_value("t", t);
                tera.global_context().insert_value("site", s);
            }
            (Err(e), _) | (_, Err(e)) => return Err(vec![template_error(&e, &origins)]),
        }
        Ok(Renderer {
            tera,
            origins,
            minify,
        })
    }

    /// Renders one page: its final bytes and, read from the HTML as the theme wrote it, its
    /// links and ids for link checking.
    pub fn render(
        &self,
        shared: &context::Shared,
        route: &Route,
    ) -> Result<(Vec<u8>, links::Scan), Diagnostic> {
        let cx =
            context::page_context(shared, route).map_err(|e| template_error(&e, &self.origins))?;
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(route.kind.template(), &cx, &mut out)
            .map_err(|e| template_error(&e, &self.origins))?;
        let scan = match std::str::from_utf8(&out) {
            Ok(html) => links::scan(html),
            Err(_) => links::scan(&String::from_utf8_lossy(&out)),
        };
        Ok((if self.minify { minify_html(&out) } else { out }, scan))
    }
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
            Diagnostic::new("template", origin, At::Pos { line, column }, message)
                .hint(TEMPLATE_HINT),
        );
    }
    if out.is_empty() {
        vec![template_error(e, origins)]
    } else {
        out
    }
}

const TEMPLATE_HINT: &str =
    "fix the template; docs/templates.md lists the data every template receives";

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
    Diagnostic::new("template", &file, at, message).hint(TEMPLATE_HINT)
}

#[cfg(test)]
mod tests {
    use super::*;

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
