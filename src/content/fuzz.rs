//! Bounded fuzzing of every loader, run by `cargo test`: arbitrary bytes and structured
//! mutations of the real records of the demonstration site and the fixtures (the corpus) go
//! into the content reader for each kind, `site.toml`'s parser and the Markdown renderer.
//! Whatever goes in, each must answer with records or problems, never panic or overflow.
//! (cargo-fuzz needs a nightly toolchain; these run on stable, in CI, in a fixed time.)

use std::path::Path;

use proptest::prelude::*;

use super::fields::Choice;
use super::records::Kind;
use super::{StaticFiles, read_file};

/// Every record file of the demonstration site and of the fixtures, with its kind.
fn corpus() -> &'static [(Kind, String, Vec<u8>)] {
    static CORPUS: std::sync::OnceLock<Vec<(Kind, String, Vec<u8>)>> = std::sync::OnceLock::new();
    CORPUS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        for dir in ["content", "tests/fixtures"] {
            for e in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
                let path = e.path().to_string_lossy().into_owned();
                let Some(kind) = path
                    .split('/')
                    .find_map(Kind::from_folder)
                    .filter(|_| super::walk::is_record(&path))
                else {
                    continue;
                };
                let name = e.file_name().to_string_lossy().into_owned();
                out.push((kind, name, std::fs::read(e.path()).unwrap_or_default()));
            }
        }
        assert!(out.len() > 100, "corpus of {} files", out.len());
        out
    })
}

/// What editors and attackers put into records: YAML and Markdown syntax, control and
/// full-width characters, escapes, entities, names and numbers.
const TOKENS: &[&str] = &[
    "\0",
    "\r",
    "\u{85}",
    "\u{2028}",
    "\u{1b}",
    "\t",
    "\u{feff}",
    "\u{200b}",
    "\n",
    "\n---\n",
    "---\n",
    ": ",
    "- ",
    "  ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "\"",
    "'",
    "|\n",
    ">-\n",
    "&a ",
    "*a",
    "!!str ",
    "? ",
    "#",
    "\\x31",
    "\\u0031",
    "&#49;",
    "１３８",
    "＠",
    "13812345678",
    "王小明",
    "<script>",
    "<img src=x onerror=1>",
    "<!--",
    "-->",
    "**",
    "[^1]",
    "![a](b)",
    "> ",
    "```",
    "~",
    "null",
    "yes",
    "0x1F",
    "1e9",
    "2018-13-45",
    "9999999999999999999999",
];

fn config() -> crate::config::Config {
    crate::config::parse("title = \"t\"\nbase_url = \"https://x.cn/\"\n[[categories]]\nslug = \"repair\"\nname = \"水电维修\"\n").unwrap()
}

/// `bytes` with each edit applied: at a place (a fraction of the length), delete some
/// bytes, insert a token, or repeat a stretch (deep nesting, long lines).
fn mutate(mut bytes: Vec<u8>, edits: &[(f64, u8, usize)]) -> Vec<u8> {
    for &(at, op, n) in edits {
        let at = ((bytes.len() as f64) * at) as usize;
        match op % 4 {
            0 => {
                let end = (at + n % 8).min(bytes.len());
                bytes.drain(at..end);
            }
            1 | 2 => {
                let token = TOKENS[n % TOKENS.len()].as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            _ => {
                let end = (at + 1 + n % 24).min(bytes.len());
                let stretch = bytes[at..end].to_vec();
                for _ in 0..(n % 300) {
                    bytes.splice(at..at, stretch.iter().copied());
                }
            }
        }
    }
    bytes
}

fn read_any(kind: Kind, name: &str, bytes: &[u8]) {
    let rel = format!("content/{}/{name}", kind.key());
    let _ = read_file(bytes, &rel, kind, &config(), &StaticFiles::default());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn mutated_records_of_every_kind_never_crash_the_reader(
        pick in any::<prop::sample::Index>(),
        edits in prop::collection::vec((0.0..1.0f64, any::<u8>(), any::<usize>()), 1..6),
    ) {
        let (kind, name, bytes) = pick.get(corpus());
        read_any(*kind, name, &mutate(bytes.clone(), &edits));
    }

    #[test]
    fn arbitrary_bytes_as_each_kind_never_crash_the_reader(
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        kind in 0usize..8,
        md in any::<bool>(),
    ) {
        read_any(Kind::ALL[kind].0, if md { "x.md" } else { "x.yaml" }, &bytes);
    }

    #[test]
    fn mutated_site_toml_never_crashes_its_parser(
        edits in prop::collection::vec((0.0..1.0f64, any::<u8>(), any::<usize>()), 1..6),
    ) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read(root.join("site.toml")).unwrap();
        let _ = crate::config::parse(&String::from_utf8_lossy(&mutate(text, &edits)));
    }

    #[test]
    fn mutated_bodies_never_crash_the_markdown_renderer(
        pick in any::<prop::sample::Index>(),
        edits in prop::collection::vec((0.0..1.0f64, any::<u8>(), any::<usize>()), 1..6),
    ) {
        let (_, _, bytes) = pick.get(corpus());
        let text = String::from_utf8_lossy(&mutate(bytes.clone(), &edits)).into_owned();
        let html = crate::render::markdown::to_html(&text, "/base/", "r-");
        prop_assert!(!html.contains("<script"), "{}", html);
    }
}

#[test]
fn deep_nesting_in_every_loader_is_a_problem_not_a_crash() {
    let yaml: String = (0..9000)
        .map(|i| format!("{}k:\n", " ".repeat(i % 60 + i / 60)))
        .collect();
    let flow = "[".repeat(9000);
    let quotes = "> ".repeat(9000) + "x";
    let lists = "- ".repeat(9000) + "x";
    for text in [&yaml, &flow, &quotes, &lists] {
        for kind in Kind::ALL {
            read_any(kind.0, "x.yaml", text.as_bytes());
            read_any(
                kind.0,
                "x.md",
                format!("---\ntitle: t\n---\n{text}").as_bytes(),
            );
        }
        let _ = crate::render::markdown::to_html(text, "/", "r-");
    }
    let toml = format!("title = {}", "[".repeat(9000));
    let _ = crate::config::parse(&toml);
}
