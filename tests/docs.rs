//! The project documents itself: every field the loader accepts is in docs/content.md with
//! its Chinese label, every site.toml key too, every problem code in docs/errors.md, and
//! README.md and docs/ link nothing outside the repository.

use std::path::{Path, PathBuf};

use shiji::content::fields::Choice;
use shiji::content::labels;
use shiji::content::records::Kind;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The part of `text` from the heading that names `kind` to the next heading of its level.
fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let start = text
        .find(heading)
        .unwrap_or_else(|| panic!("no heading {heading}"));
    let rest = &text[start + heading.len()..];
    let end = rest
        .find("\n### ")
        .or_else(|| rest.find("\n## "))
        .unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn every_field_of_every_kind_is_documented_with_its_label() {
    let doc = read("docs/content.md");
    let mut missing = Vec::new();
    for (kind, key, _) in Kind::ALL {
        let part = section(&doc, &format!("### `{key}`"));
        for f in labels::of_kind(*kind) {
            let row = format!("| `{}` | {} |", f.key, f.zh);
            if !part.contains(&row) {
                missing.push(format!("{key}: {row}"));
            }
        }
    }
    for f in labels::COMMON {
        if !doc.contains(&format!("| `{}` | {} |", f.key, f.zh)) {
            missing.push(format!("common: `{}`", f.key));
        }
    }
    assert!(
        missing.is_empty(),
        "not in docs/content.md:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_site_toml_key_is_documented() {
    use shiji::config::*;
    let doc = read("docs/content.md");
    let part = section(&doc, "## 七、`site.toml`");
    let tables = [
        ("", TOP_KEYS),
        ("categories.", CATEGORY_KEYS),
        ("privacy.", PRIVACY_KEYS),
        ("search.", SEARCH_KEYS),
        ("portal.", PORTAL_KEYS),
        ("notice.", NOTICE_KEYS),
        ("accessibility.", ACCESSIBILITY_KEYS),
        ("photos.", PHOTOS_KEYS),
    ];
    for (prefix, keys) in tables {
        for key in keys {
            let row = format!("| `{prefix}{key}` |");
            assert!(part.contains(&row), "site.toml key {row} is not documented");
        }
    }
}

#[test]
fn every_problem_code_is_documented() {
    let doc = read("docs/errors.md");
    for code in shiji::diagnostics::CODES {
        assert!(
            doc.contains(&format!("| `{code}` |")),
            "problem code `{code}` is not in docs/errors.md"
        );
    }
}

/// Every `Diagnostic::new("code", …)` in the source names a listed code (a code passed in a
/// variable is checked when the diagnostic is made, in debug builds).
#[test]
fn every_code_written_in_the_source_is_listed() {
    let mut unlisted = Vec::new();
    for entry in walkdir::WalkDir::new(repo().join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for (i, _) in text.match_indices("Diagnostic::new(") {
            let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
            if text[line_start..i].trim_start().starts_with("//") {
                continue;
            }
            let after = text[i + "Diagnostic::new(".len()..].trim_start();
            if let Some(rest) = after.strip_prefix('"') {
                let code = &rest[..rest.find('"').unwrap()];
                if !shiji::diagnostics::CODES.contains(&code) {
                    unlisted.push(format!("{}: {code}", entry.path().display()));
                }
            }
        }
    }
    assert!(unlisted.is_empty(), "codes not in CODES: {unlisted:?}");
}

/// Links in README.md and docs/*.md lead to files of the repository, and nothing points at
/// the design notes outside it.
#[test]
fn the_docs_link_nothing_outside_the_repository() {
    let mut files = vec![repo().join("README.md")];
    for e in std::fs::read_dir(repo().join("docs")).unwrap() {
        files.push(e.unwrap().path());
    }
    let mut bad = Vec::new();
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "md"))
    {
        let text = std::fs::read_to_string(file).unwrap();
        let name = file.strip_prefix(repo()).unwrap().display().to_string();
        if text.contains("../shared") || text.contains("/work/") {
            bad.push(format!("{name}: mentions a folder outside the repository"));
        }
        for (i, _) in text.match_indices("](") {
            let target = &text[i + 2..];
            let target = &target[..target.find(')').unwrap_or(target.len())];
            let path = target.split('#').next().unwrap_or("");
            if path.is_empty() {
                continue;
            }
            let dir = file.parent().unwrap();
            let resolved = dir.join(path);
            let inside = std::path::absolute(&resolved)
                .map(|p| normalise(&p).starts_with(repo()))
                .unwrap_or(false);
            if path.contains("://") || !inside || !resolved.exists() {
                bad.push(format!("{name}: link to {target}"));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// `a/b/../c` → `a/c`, without touching the file system.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}
