//! Optional means optional: each field of each kind of record is taken out of every record of
//! that kind in the demonstration site, one field at a time, and the site checked (content,
//! templates, every page rendered and its links). A field the records need gives a content
//! error in a content file (`missing-field`); any other outcome, a template error above all,
//! means a valid record would break the build.

use std::path::Path;

use serde_yaml::{Mapping, Value};

mod common;
use common::*;

/// Where a field stands in a record: a top-level key, a key of a mapping value, or a key of
/// the mappings in a list value (`photos: [- src, alt]`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum FieldPath {
    Top(String),
    Nested(String, String),
    InList(String, String),
}

fn paths_of(record: &Mapping, out: &mut Vec<FieldPath>) {
    for (key, value) in record {
        let Some(key) = key.as_str() else { continue };
        out.push(FieldPath::Top(key.to_string()));
        match value {
            Value::Mapping(m) => {
                for k in m.keys().filter_map(Value::as_str) {
                    out.push(FieldPath::Nested(key.to_string(), k.to_string()));
                }
            }
            Value::Sequence(list) => {
                for m in list.iter().filter_map(Value::as_mapping) {
                    for k in m.keys().filter_map(Value::as_str) {
                        out.push(FieldPath::InList(key.to_string(), k.to_string()));
                    }
                }
            }
            _ => {}
        }
    }
}

fn remove(record: &mut Mapping, path: &FieldPath) {
    match path {
        FieldPath::Top(k) => {
            record.remove(k.as_str());
        }
        FieldPath::Nested(k, inner) => {
            if let Some(Value::Mapping(m)) = record.get_mut(k.as_str()) {
                m.remove(inner.as_str());
            }
        }
        FieldPath::InList(k, inner) => {
            if let Some(Value::Sequence(list)) = record.get_mut(k.as_str()) {
                for m in list.iter_mut().filter_map(Value::as_mapping_mut) {
                    m.remove(inner.as_str());
                }
            }
        }
    }
}

/// A record file: its front matter (or whole YAML) as records, and a Markdown body if any.
struct RecordFile {
    rel: String,
    records: Value,
    body: Option<String>,
}

impl RecordFile {
    fn read(root: &Path, rel: &str) -> RecordFile {
        let text = std::fs::read_to_string(root.join(rel)).unwrap();
        let (yaml, body) = match rel.ends_with(".md") {
            true => {
                let rest = text.strip_prefix("---\n").expect("front matter");
                let end = rest.find("\n---\n").expect("closed front matter");
                (
                    rest[..end + 1].to_string(),
                    Some(rest[end + 5..].to_string()),
                )
            }
            false => (text, None),
        };
        let records = serde_yaml::from_str(&yaml).unwrap();
        RecordFile {
            rel: rel.to_string(),
            records,
            body,
        }
    }

    fn mappings(&mut self) -> Vec<&mut Mapping> {
        match &mut self.records {
            Value::Mapping(m) => vec![m],
            Value::Sequence(list) => list.iter_mut().filter_map(Value::as_mapping_mut).collect(),
            _ => Vec::new(),
        }
    }

    fn write(&self, root: &Path) {
        let yaml = serde_yaml::to_string(&self.records).unwrap();
        let text = match &self.body {
            Some(body) => format!("---\n{yaml}---\n{body}"),
            None => yaml,
        };
        std::fs::write(root.join(&self.rel), text).unwrap();
    }
}

#[test]
fn every_optional_field_of_every_kind_can_be_left_out() {
    let site = copy_site(&repo());
    let root = site.path();
    let content = root.join("content");
    let mut kinds: Vec<String> = std::fs::read_dir(&content)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    kinds.sort();
    let mut failures = Vec::new();
    let mut tried = 0;
    for kind in &kinds {
        let mut files: Vec<RecordFile> = walkdir::WalkDir::new(content.join(kind))
            .into_iter()
            .flatten()
            // The YAML and Markdown files: a ledger's empty cells are tested in tests/sheets.rs.
            .filter(|e| {
                let name = e.file_name().to_string_lossy();
                e.file_type().is_file()
                    && [".yaml", ".yml", ".md"].iter().any(|x| name.ends_with(x))
            })
            .map(|e| {
                let rel = e.path().strip_prefix(root).unwrap().to_string_lossy();
                RecordFile::read(root, &rel)
            })
            .collect();
        let mut paths = Vec::new();
        for f in &mut files {
            for m in f.mappings() {
                paths_of(m, &mut paths);
            }
        }
        paths.sort();
        paths.dedup();
        for path in &paths {
            let originals: Vec<String> = files
                .iter()
                .map(|f| std::fs::read_to_string(root.join(&f.rel)).unwrap())
                .collect();
            for f in &mut files {
                let mut changed = f.mappings();
                changed.iter_mut().for_each(|m| remove(m, path));
                f.write(root);
            }
            tried += 1;
            if let shiji::generate::Outcome::Failed(report) = shiji::generate::check(root) {
                let outside: Vec<String> = report
                    .errors
                    .iter()
                    .filter(|e| !e.file.starts_with("content/"))
                    .map(|e| format!("{} [{}] {}", e.file, e.code, e.message.en))
                    .collect();
                if !outside.is_empty() {
                    failures.push(format!("{kind} without {path:?}: {outside:?}"));
                }
            }
            for (f, text) in files.iter().zip(&originals) {
                std::fs::write(root.join(&f.rel), text).unwrap();
            }
            for f in &mut files {
                *f = RecordFile::read(root, &f.rel);
            }
        }
    }
    assert!(tried > 40, "only {tried} fields tried");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
