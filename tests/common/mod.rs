//! Helpers shared by the integration tests that build sites and read the output back.
#![allow(dead_code)] // each test binary uses its own share of these

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn shiji(args: &[&str]) -> Output {
    // The tests written before messages were bilingual read the English ones.
    Command::new(env!("CARGO_BIN_EXE_shiji"))
        .env("SHIJI_LANG", "en")
        .args(args)
        .output()
        .expect("run shiji")
}

/// `shiji check --format json` on `root`: its exit status and what it printed.
pub fn check_json(root: &Path) -> (i32, serde_json::Value) {
    let out = shiji(&[
        "check",
        "--format",
        "json",
        "--root",
        root.to_str().unwrap(),
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: not JSON ({e}): {}",
            root.display(),
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

pub fn build(root: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "--quiet",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    shiji(&args)
}

pub fn build_ok(root: &Path, out: &Path, extra: &[&str]) {
    let o = build(root, out, extra);
    assert!(
        o.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A copy of a site in a temporary folder (the demonstration site is the repository root).
pub fn copy_site(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["site.toml", "content", "static", "templates"] {
        let src = from.join(sub);
        if src.is_file() {
            std::fs::copy(&src, dir.path().join(sub)).unwrap();
        } else if src.is_dir() {
            for e in walkdir::WalkDir::new(&src).into_iter().flatten() {
                let rel = e.path().strip_prefix(from).unwrap();
                let to = dir.path().join(rel);
                if e.file_type().is_dir() {
                    std::fs::create_dir_all(&to).unwrap();
                } else {
                    std::fs::copy(e.path(), &to).unwrap();
                }
            }
        }
    }
    dir
}

/// A copy of the demonstration site with `per` items to a page of a list (20 in its
/// site.toml), so that its short lists have several pages.
pub fn demo_with_items_per_page(per: u32) -> tempfile::TempDir {
    let site = copy_site(&repo());
    let toml = site.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    assert!(
        text.contains("items_per_page = 20"),
        "site.toml has changed"
    );
    std::fs::write(
        &toml,
        text.replace("items_per_page = 20", &format!("items_per_page = {per}")),
    )
    .unwrap();
    site
}

/// Every file of an output folder: relative path → bytes.
pub fn files(out: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

pub fn html_files(all: &BTreeMap<String, Vec<u8>>) -> impl Iterator<Item = (&String, Html)> {
    all.iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(k, v)| (k, Html::parse_document(&String::from_utf8_lossy(v))))
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}
