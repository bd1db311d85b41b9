//! The shape of the code, read from its sources: the top-level modules of `src/` import one
//! way (a stage never reaches back into one that uses it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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
