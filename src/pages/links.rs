//! Link checking: every internal link and anchor of every rendered page must lead somewhere.
//!
//! Pages are scanned as they are rendered, from the tokens the search index reads too. A
//! link without an anchor is checked at once against the files the build writes; a link with
//! an anchor to another page is kept until every page's ids are known.

use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::html;
use crate::i18n::Text;
use crate::messages as m;

/// The `href`/`src` values and `id`s of one page, borrowed from it where nothing was
/// escaped (most are: a copy of each would cost more than checking it).
#[derive(Debug, Default, PartialEq)]
pub struct Scan<'a> {
    pub links: Vec<Cow<'a, str>>,
    pub ids: Vec<Cow<'a, str>>,
}

/// Finds the `href`, `src` and `id` attributes of a page's tags (values quoted with `"` or
/// `'`, or bare). Text between tags is not looked at, so escaped markup in it is no link.
pub fn scan<'a>(page: &[html::Token<'a>]) -> Scan<'a> {
    let mut out = Scan::default();
    for token in page {
        let html::Token::Open { attrs, .. } = token else {
            continue;
        };
        for (name, value) in html::attributes(attrs) {
            let list = if name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("src") {
                &mut out.links
            } else if name.eq_ignore_ascii_case("id") {
                &mut out.ids
            } else {
                continue;
            };
            list.push(html::unescape(value));
        }
    }
    out
}

/// What the links of the pages may point at.
pub struct Targets<'a> {
    /// The base path (`/jcdj/shiji/`): internal links start with it.
    pub base: &'a str,
    /// Every file the build writes, relative to the output folder, in one set or the other
    /// (pages and generated files; copied files).
    pub files: [&'a FileSet; 2],
}

/// Paths in the output. Looked up for every link of every page, so with a fast hash.
pub type FileSet = FxHashSet<String>;

/// The ids on each page (output file → its ids), for the anchors of links from other pages.
pub type PageIds = FxHashMap<String, FxHashSet<String>>;

/// A link that leads nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The page (output file) that has the link.
    pub page: String,
    pub link: String,
    pub why: Text,
}

/// Checks one page's links; links with an anchor on another page go into `pending`.
pub fn check_page(
    targets: &Targets,
    page: &str,
    scan: &Scan,
    pending: &mut Vec<(String, String, String)>,
) -> Vec<Broken> {
    let mut broken = Vec::new();
    let mut target = String::new();
    for link in &scan.links {
        let l = link.trim();
        let scheme = |p: &str| l.get(..p.len()).is_some_and(|s| s.eq_ignore_ascii_case(p));
        if l.is_empty()
            || ["http:", "https:", "mailto:", "tel:", "data:"]
                .iter()
                .any(|p| scheme(p))
            || l.starts_with("//")
        {
            continue;
        }
        let (path, anchor) = l.split_once('#').map_or((l, None), |(p, a)| (p, Some(a)));
        target.clear();
        if path.is_empty() {
            target.push_str(page);
        } else if let Some(rel) = path.strip_prefix(targets.base) {
            let rel = rel.split('?').next().unwrap_or(rel);
            target.push_str(rel);
            if rel.is_empty() || rel.ends_with('/') {
                target.push_str("index.html");
            }
        } else {
            // A relative link (written by an editor in a body): resolved against the page's folder.
            match resolve_relative(page, path) {
                Some(t) => target = t,
                None => {
                    broken.push(Broken {
                        page: page.to_string(),
                        link: link.to_string(),
                        why: m::link_outside(),
                    });
                    continue;
                }
            }
        }
        let decoded = percent_decode(&target);
        let target = decoded.as_ref();
        if !targets.files.iter().any(|set| set.contains(target)) {
            broken.push(Broken {
                page: page.to_string(),
                link: link.to_string(),
                why: m::link_no_target(target),
            });
            continue;
        }
        if let Some(a) = anchor.filter(|a| !a.is_empty()) {
            if target == page {
                if !scan.ids.iter().any(|id| id == a) {
                    broken.push(Broken {
                        page: page.to_string(),
                        link: link.to_string(),
                        why: m::link_no_anchor(a),
                    });
                }
            } else {
                pending.push((page.to_string(), link.to_string(), target.to_string()));
            }
        }
    }
    broken
}

/// Checks the anchors kept for later, now that every page's ids are known.
pub fn check_pending(
    pending: &[(String, String, String)],
    has_id: impl Fn(&str, &str) -> bool,
) -> Vec<Broken> {
    pending
        .iter()
        .filter_map(|(page, link, target)| {
            let anchor = link.split_once('#').map(|(_, a)| a).unwrap_or("");
            let known = has_id(target, anchor);
            (!known).then(|| Broken {
                page: page.clone(),
                link: link.clone(),
                why: m::link_no_anchor_on(anchor, target),
            })
        })
        .collect()
}

/// `%E7%85%A7` → `照`: links to files with Chinese or spaced names are percent-encoded.
pub fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return s.into();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned().into()
}

/// `path` relative to the folder of `page` (an output file), or `None` above the output.
fn resolve_relative(page: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut joined = parts.join("/");
    if path.ends_with('/') || joined.is_empty() {
        if !joined.is_empty() {
            joined.push('/');
        }
        joined.push_str("index.html");
    }
    Some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(page: &str) -> Scan<'_> {
        super::scan(&html::tokens(page).collect::<Vec<_>>())
    }

    #[test]
    fn scans_attributes_in_any_quoting() {
        let s = scan(
            "<a href=\"/b/x/\" id=top>x</a><img src='/b/p.png' alt=\"a=b > c\"><div data-id=\"no\"><p id=\"h-1\">",
        );
        assert_eq!(s.links, vec!["/b/x/", "/b/p.png"]);
        assert_eq!(s.ids, vec!["top", "h-1"]);
        // Escaped markup in text and comments is not a tag.
        let s = scan("<p>&lt;img src=x onerror=y&gt; a src=b</p><!-- <a href=\"/c\"> -->");
        assert!(s.links.is_empty(), "{:?}", s.links);
    }

    #[test]
    fn finds_missing_pages_and_anchors() {
        let files: FileSet = ["index.html", "items/a/index.html", "other/index.html"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let copied: FileSet = ["style.css".to_string()].into_iter().collect();
        let t = Targets {
            base: "/b/",
            files: [&files, &copied],
        };
        let page = scan(
            r##"<a href="/b/items/a/">ok</a><a href="/b/items/zz/">bad</a><a href="#main">skip</a><main id="main"></main><a href="#nope">x</a><a href="/b/other/#fn-1">fn</a><a href="../../style.css">rel</a><a href="https://x.cn/">ext</a>"##,
        );
        let mut pending = Vec::new();
        let broken = check_page(&t, "items/a/index.html", &page, &mut pending);
        let links: Vec<&str> = broken.iter().map(|b| b.link.as_str()).collect();
        assert_eq!(links, vec!["/b/items/zz/", "#nope"]);
        assert_eq!(pending.len(), 1);
        let mut ids = PageIds::default();
        ids.insert(
            "other/index.html".to_string(),
            ["fn-1".to_string()].into_iter().collect(),
        );
        let has = |ids: &PageIds, f: &str, a: &str| ids.get(f).is_some_and(|s| s.contains(a));
        assert!(check_pending(&pending, |f, a| has(&ids, f, a)).is_empty());
        ids.clear();
        assert_eq!(check_pending(&pending, |f, a| has(&ids, f, a)).len(), 1);
    }

    #[test]
    fn percent_encoded_names() {
        assert_eq!(
            percent_decode("photos/%E7%85%A7%E7%89%87%201.png"),
            "photos/照片 1.png"
        );
        assert_eq!(percent_decode("a%2"), "a%2");
    }

    #[test]
    fn relative_links() {
        assert_eq!(
            resolve_relative("guide/index.html", "../overdue/").as_deref(),
            Some("overdue/index.html")
        );
        assert_eq!(resolve_relative("guide/index.html", "../../x"), None);
        assert_eq!(
            resolve_relative("index.html", "data/").as_deref(),
            Some("data/index.html")
        );
    }
}
