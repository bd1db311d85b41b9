//! The shape of the code, read from its sources: the top-level modules of `src/` import one
//! way (a stage never reaches back into one that uses it), and no function is longer than a
//! reader can hold in mind.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Longest function allowed in `src/`, in lines from `fn` to its closing brace.
const LONGEST_FUNCTION: usize = 150;

fn sources() -> Vec<(PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<(PathBuf, String)> = walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let rel = e.path().strip_prefix(&src).unwrap().to_path_buf();
            let text = std::fs::read_to_string(e.path()).unwrap();
            (rel, text)
        })
        .collect();
    files.sort();
    files
}

/// The top-level module a file of `src/` belongs to (`render/mod.rs` → `render`).
fn top_module(rel: &Path) -> String {
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every top-level module a file names: `crate::x` anywhere (a `use` line, a path in code or
/// in a doc link), and each name at the top of a `use crate::{x, y::z}` group.
fn named_modules(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0usize;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && is_ident(c) => {
                        let end = group[i..]
                            .find(|c| !is_ident(c))
                            .map_or(group.len(), |e| i + e);
                        names.insert(group[i..end].to_string());
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let end = rest.find(|c| !is_ident(c)).unwrap_or(rest.len());
            if end > 0 {
                names.insert(rest[..end].to_string());
            }
        }
    }
    names
}

/// Which top-level module uses which, from the sources.
fn module_graph(files: &[(PathBuf, String)]) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<String> = files.iter().map(|(rel, _)| top_module(rel)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in files {
        let from = top_module(rel);
        let uses = graph.entry(from.clone()).or_default();
        for to in named_modules(text) {
            if to != from && modules.contains(&to) {
                uses.insert(to);
            }
        }
    }
    graph
}

/// A cycle in `graph`, as the modules along it, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn top_level_modules_import_one_way() {
    let graph = module_graph(&sources());
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "the top-level modules of src/ import each other in a cycle: {}; move what both \
             need into the lower one (or a small module of its own)",
            cycle.join(" → ")
        );
    }
}

#[test]
fn cycle_finder_finds_cycles() {
    let files = vec![
        (PathBuf::from("a.rs"), "use crate::b::x;".to_string()),
        (
            PathBuf::from("b/mod.rs"),
            "use crate::{c::y, d};".to_string(),
        ),
        (PathBuf::from("c.rs"), "/// [`crate::a::z`]".to_string()),
        (PathBuf::from("d.rs"), String::new()),
    ];
    let graph = module_graph(&files);
    assert_eq!(
        find_cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    let files = &files[..2];
    assert_eq!(find_cycle(&module_graph(files)), None);
}

/// Each function of `text`: its name, first line (1-based) and length in lines. Reads code
/// as rustfmt lays it out: a body closes with `}` at the indentation of its `fn`.
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        let indent = &line[..line.len() - code.len()];
        let Some(at) = code.find("fn ") else {
            continue;
        };
        let before = &code[..at];
        let is_fn = before.split_whitespace().all(|w| {
            [
                "pub",
                "pub(crate)",
                "pub(super)",
                "const",
                "async",
                "unsafe",
                "extern",
            ]
            .contains(&w)
        });
        if !is_fn || code.starts_with("//") {
            continue;
        }
        let name: String = code[at + 3..]
            .chars()
            .take_while(|&c| is_ident(c))
            .collect();
        // Where the signature ends: a body opened with `{` or a declaration ended with `;`.
        let Some(open) = (i..lines.len()).find(|&j| {
            let l = lines[j].trim_end();
            l.ends_with('{') || l.ends_with(';') || l.ends_with('}')
        }) else {
            continue;
        };
        let open_line = lines[open].trim_end();
        if !open_line.ends_with('{') {
            found.push((name, i + 1, open - i + 1));
            continue;
        }
        let close = format!("{indent}}}");
        if let Some(end) = (open + 1..lines.len()).find(|&j| lines[j].trim_end() == close) {
            found.push((name, i + 1, end - i + 1));
        }
    }
    found
}

#[test]
fn no_function_is_too_long() {
    let mut long = Vec::new();
    for (rel, text) in sources() {
        for (name, line, len) in functions(&text) {
            if len > LONGEST_FUNCTION {
                long.push(format!(
                    "src/{}:{line} `{name}`: {len} lines",
                    rel.display()
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {LONGEST_FUNCTION} lines (split them by what each part does):\n{}",
        long.join("\n")
    );
}

#[test]
fn function_lengths_are_measured() {
    let text = "fn one() -> u32 { 1 }\n\nimpl A {\n    pub fn two(\n        x: u32,\n    ) -> u32 {\n        x\n    }\n}\ntrait T {\n    fn three(&self);\n}\n";
    assert_eq!(
        functions(text),
        vec![
            ("one".to_string(), 1, 1),
            ("two".to_string(), 4, 5),
            ("three".to_string(), 11, 1),
        ]
    );
}
