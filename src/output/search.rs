//! The search index of the `/search/` page: Pagefind's static index of the rendered pages,
//! written under `pagefind/` and searched in the browser, with no server.
//!
//! Pagefind reads the part of each page its template marks `data-pagefind-body`, and the
//! filters (`data-pagefind-filter`) and result labels (`data-pagefind-meta`) marked there, so
//! the theme decides what a resident finds. The pages are fed in route order: Pagefind numbers
//! pages in the order they come, and that order is in the index files, which must be the same
//! from build to build.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diagnostics::{At, Diagnostic};

/// The folder of the index in the output.
pub const DIR: &str = "pagefind/";

/// The index's language, whatever the language of the theme: records are written in Chinese,
/// and only for `zh` does Pagefind segment words that are not separated by spaces.
const LANGUAGE: &str = "zh-cn";

/// Files of Pagefind's bundle that the theme does not use: its own result interfaces (the
/// theme has a smaller one, with its own strings) and the highlighting script.
const UNUSED: [&str; 7] = [
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
];

/// Builds the index of `pages` (URL relative to the base, and the page's HTML), in the order
/// given. Returns the files of the index: path in the output (under [`DIR`]) and bytes.
pub fn build(
    pages: impl Iterator<Item = Result<(String, String), Diagnostic>>,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    // Pagefind asserts what it expects of its own data with `unwrap`; a failure there is a
    // problem of this build to report, not a crash.
    catch_unwind(AssertUnwindSafe(|| run(pages)))
        .unwrap_or_else(|_| Err(problem("the search indexer stopped unexpectedly".into())))
}

fn run(
    pages: impl Iterator<Item = Result<(String, String), Diagnostic>>,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| problem(format!("cannot start the search indexer: {e}")))?;
    let config = PagefindServiceConfig::builder()
        .force_language(LANGUAGE.to_string())
        .build();
    let mut index = PagefindIndex::new(Some(config)).map_err(|e| problem(e.to_string()))?;
    runtime.block_on(async {
        for page in pages {
            let (url, html) = page?;
            index
                .add_html_file(None, Some(format!("/{url}")), html)
                .await
                .map_err(|e| problem(format!("cannot index /{url}: {e}")))?;
        }
        let files = index
            .get_files()
            .await
            .map_err(|e| problem(e.to_string()))?;
        let mut out: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .filter_map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                let keep = !UNUSED.contains(&name.as_str()) && !name.starts_with("playground/");
                keep.then(|| (format!("{DIR}{name}"), f.contents))
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    })
}

fn problem(message: String) -> Diagnostic {
    Diagnostic::new("search", DIR, At::File, message)
        .hint("set `enabled = false` under [search] in site.toml to build without search")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(url: &str, title: &str, text: &str) -> Result<(String, String), Diagnostic> {
        Ok((
            url.to_string(),
            format!(
                "<!doctype html><html lang=zh-CN><body><nav>导航菜单</nav>\
                 <main data-pagefind-body><h1>{title}</h1><p>{text}</p>\
                 <span data-pagefind-filter=\"community:文庙社区\"></span></main></body></html>"
            ),
        ))
    }

    fn files() -> Vec<(String, Vec<u8>)> {
        build(
            [
                page("items/a/", "楼道灯维修", "为老旧小区更换楼道灯。"),
                page("items/b/", "停车场划线", "重新施划停车位。"),
            ]
            .into_iter(),
        )
        .unwrap()
    }

    /// What the theme's script loads is there; Pagefind's own interfaces are not.
    #[test]
    fn the_bundle_holds_the_index_and_the_search_script_only() {
        let files = files();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        for wanted in [
            "pagefind/pagefind.js",
            "pagefind/pagefind-worker.js",
            "pagefind/pagefind-entry.json",
            "pagefind/wasm.unknown.pagefind",
        ] {
            assert!(names.contains(&wanted), "{wanted} missing from {names:?}");
        }
        for prefix in ["pagefind/fragment/", "pagefind/index/", "pagefind/filter/"] {
            assert!(names.iter().any(|n| n.starts_with(prefix)), "{prefix}");
        }
        assert!(names.iter().any(|n| n.ends_with(".pf_meta")));
        assert!(
            !names
                .iter()
                .any(|n| n.contains("-ui.") || n.contains("highlight"))
        );
        let entry = &files
            .iter()
            .find(|(n, _)| n == "pagefind/pagefind-entry.json")
            .unwrap()
            .1;
        assert!(String::from_utf8_lossy(entry).contains("\"zh-cn\""));
    }

    #[test]
    fn the_same_pages_give_the_same_bytes() {
        assert_eq!(files(), files());
    }

    #[test]
    fn a_failing_page_is_reported() {
        let err = build([Err(Diagnostic::new("output", "x", At::File, "boom"))].into_iter());
        assert_eq!(err.unwrap_err().message, "boom");
    }
}
