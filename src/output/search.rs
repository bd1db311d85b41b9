//! The search index of the `/search/` page: Pagefind's static index of the rendered pages,
//! written under `pagefind/` and searched in the browser, with no server.
//!
//! Pagefind reads the part of each page its template marks `data-pagefind-body`, and the
//! filters (`data-pagefind-filter`) and result labels (`data-pagefind-meta`) marked there, so
//! the theme decides what a resident finds. The pages are fed in route order: Pagefind numbers
//! pages in the order they come, and that order is in the index files, which must be the same
//! from build to build.
//!
//! Pagefind holds every page's words in memory until its index is written (over 100 KB a
//! page), so a large site is indexed in parts of at most [`PART_PAGES`] pages, each a Pagefind
//! index of its own that the search page merges (`mergeIndex`): memory stays bounded, at the
//! price of one more index chunk per part to download for each query.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diagnostics::{At, Diagnostic};

/// The folder of the index in the output.
pub const DIR: &str = "pagefind/";

/// The most pages in one part of the index.
const PART_PAGES: usize = 8_000;

/// The folders of the index's parts (relative to the base) for `pages` indexed pages: the
/// first is [`DIR`], which also holds Pagefind's script and WebAssembly; the others hold their
/// index only.
pub fn parts(pages: usize) -> Vec<String> {
    (0..pages.div_ceil(PART_PAGES).max(1))
        .map(|i| match i {
            0 => DIR.to_string(),
            _ => format!("{DIR}part-{}/", i + 1),
        })
        .collect()
}

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

/// Builds the index of `count` pages (URL relative to the base, and the page's HTML), in the
/// order given, in the [`parts`] for `count`. Returns the files of the index: path in the
/// output (under [`DIR`]) and bytes.
pub fn build(
    count: usize,
    mut pages: impl Iterator<Item = Result<(String, String), Diagnostic>>,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let parts = parts(count);
    let per_part = count.div_ceil(parts.len()).max(1);
    let mut out = Vec::new();
    for (i, dir) in parts.iter().enumerate() {
        let part = pages.by_ref().take(per_part);
        // Pagefind asserts what it expects of its own data with `unwrap`; a failure there is
        // a problem of this build to report, not a crash.
        let files = catch_unwind(AssertUnwindSafe(|| run(part)))
            .unwrap_or_else(|_| Err(problem("the search indexer stopped unexpectedly".into())))?;
        out.extend(
            files
                .into_iter()
                .filter(|(name, _)| i == 0 || is_index_data(name))
                .map(|(name, bytes)| (format!("{dir}{name}"), bytes)),
        );
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Whether a file of Pagefind's bundle is the index itself (what a merged part needs), not
/// its script or WebAssembly.
fn is_index_data(name: &str) -> bool {
    name == "pagefind-entry.json"
        || name.ends_with(".pf_meta")
        || ["fragment/", "index/", "filter/"]
            .iter()
            .any(|d| name.starts_with(d))
}

/// One Pagefind index of `pages`: its files, named as in Pagefind's bundle.
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
        Ok(files
            .into_iter()
            .filter_map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                let keep = !UNUSED.contains(&name.as_str()) && !name.starts_with("playground/");
                keep.then_some((name, f.contents))
            })
            .collect())
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
            2,
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

    /// A large site's pages are split into parts of at most PART_PAGES, the first holding
    /// the script, the others their index only.
    #[test]
    fn parts_of_a_large_index() {
        assert_eq!(parts(0), ["pagefind/"]);
        assert_eq!(parts(PART_PAGES), ["pagefind/"]);
        assert_eq!(
            parts(2 * PART_PAGES + 1),
            ["pagefind/", "pagefind/part-2/", "pagefind/part-3/"]
        );
        assert!(is_index_data("pagefind-entry.json"));
        assert!(is_index_data("fragment/zh-cn_1.pf_fragment"));
        assert!(!is_index_data("pagefind.js") && !is_index_data("wasm.unknown.pagefind"));
    }

    #[test]
    fn a_failing_page_is_reported() {
        let err = build(
            1,
            [Err(Diagnostic::new("output", "x", At::File, "boom"))].into_iter(),
        );
        assert_eq!(err.unwrap_err().message, "boom");
    }
}
