//! `shiji check` on the fixture sites: each bad site breaks one rule (or several, in
//! `many-errors`) and lists in `expect.toml` the errors it must produce; the good site passes
//! with the figures counted by hand in `good/EXPECTED.md`.

mod common;

use std::path::{Path, PathBuf};

use common::{check_json, shiji};
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[derive(Debug, PartialEq)]
struct Expected {
    code: String,
    file: String,
    line: Option<i64>,
    /// For a spreadsheet: the cell as Excel names it (`事项!G4`).
    cell: Option<String>,
}

fn expected(dir: &Path) -> Vec<Expected> {
    let text = std::fs::read_to_string(dir.join("expect.toml")).expect("expect.toml");
    let table: toml::Table = toml::from_str(&text).expect("expect.toml parses");
    table["error"]
        .as_array()
        .expect("[[error]] entries")
        .iter()
        .map(|e| Expected {
            code: e["code"].as_str().unwrap().to_string(),
            file: e["file"].as_str().unwrap().to_string(),
            line: e.get("line").and_then(|l| l.as_integer()),
            cell: e.get("cell").and_then(|c| c.as_str()).map(str::to_string),
        })
        .collect()
}

#[test]
fn every_bad_fixture_reports_its_errors() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures().join("bad"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 30, "only {} bad fixtures", dirs.len());
    let mut failures = Vec::new();
    let mut codes_seen = std::collections::BTreeSet::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let want = expected(dir);
        let (status, json) = check_json(dir);
        if status != 1 {
            failures.push(format!("{name}: exit status {status}, want 1"));
            continue;
        }
        let got = json["errors"].as_array().cloned().unwrap_or_default();
        for w in &want {
            codes_seen.insert(w.code.clone());
            let hit = got.iter().any(|g| {
                g["code"] == w.code.as_str()
                    && g["file"] == w.file.as_str()
                    && w.line.is_none_or(|l| g["line"].as_i64() == Some(l))
                    && w.cell.as_ref().is_none_or(|c| g["cell"] == c.as_str())
            });
            if !hit {
                failures.push(format!("{name}: missing {w:?}; got {}", summarize(&got)));
            }
        }
        for g in &got {
            if !want.iter().any(|w| g["code"] == w.code.as_str()) {
                failures.push(format!(
                    "{name}: unexpected {}",
                    summarize(std::slice::from_ref(g))
                ));
            }
        }
        // The human form names file and line too, on stderr.
        let human = shiji(&["check", "--root", dir.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&human.stderr);
        for w in &want {
            let place = match (&w.cell, w.line) {
                (Some(c), _) => format!("{} {c}", w.file),
                (None, Some(l)) => format!("{}:{l}", w.file),
                (None, None) => w.file.clone(),
            };
            if !stderr.contains(&place) {
                failures.push(format!("{name}: human output lacks `{place}`:\n{stderr}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        codes_seen.len() >= 30,
        "fixtures cover only {} codes",
        codes_seen.len()
    );
}

fn summarize(errors: &[Value]) -> String {
    errors
        .iter()
        .map(|e| {
            format!(
                "{}:{}:{} [{}] {}",
                e["file"], e["line"], e["column"], e["code"], e["message"]
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[test]
fn good_fixture_passes_with_hand_counted_figures() {
    let (status, json) = check_json(&fixtures().join("good"));
    assert_eq!(status, 0, "{json}");
    let r = &json["records"];
    let counts: Vec<i64> = [
        "streets",
        "communities",
        "units",
        "agreements",
        "items",
        "reports",
        "evaluations",
        "pages",
    ]
    .iter()
    .map(|k| r[k].as_i64().unwrap())
    .collect();
    assert_eq!(counts, vec![2, 3, 4, 2, 6, 4, 6, 2]);
    let t = &json["totals"];
    let status: Vec<i64> = [
        "items",
        "claimed",
        "in_progress",
        "completed",
        "cancelled",
        "overdue",
    ]
    .iter()
    .map(|k| t[k].as_i64().unwrap())
    .collect();
    assert_eq!(status, vec![6, 2, 1, 2, 1, 1]);
    assert_eq!(t["beneficiaries"], 65);
    assert_eq!(t["hours"], 39.5);
    assert_eq!(
        (
            t["evaluations"].as_i64(),
            t["satisfied"].as_i64(),
            t["fair"].as_i64()
        ),
        (Some(6), Some(3), Some(2))
    );
}

#[test]
fn human_summary_and_exit_codes() {
    let good = fixtures().join("good");
    let out = shiji(&["check", "--root", good.to_str().unwrap()]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("ok: 29 records (2 streets, 3 communities"),
        "{stdout}"
    );
    assert!(stdout.contains("1 overdue"), "{stdout}");
    // In Chinese, counts with their measure words, and no "(s)".
    let out = shiji(&["check", "--lang", "zh-CN", "--root", good.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("检查通过：29 条记录（2 个街道、3 个社区"),
        "{stdout}"
    );
    assert!(stdout.contains("1 已逾期"), "{stdout}");
    // Usage errors exit 2.
    assert_eq!(
        shiji(&["check", "--root", "/nonexistent/site"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(shiji(&["check", "--bogus"]).status.code(), Some(2));
}
