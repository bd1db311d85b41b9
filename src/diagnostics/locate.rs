//! Finds the line of a field in a record's YAML text, for error messages.
//!
//! serde_yaml gives positions for syntax errors only, so a problem found after parsing (an
//! unknown reference, a bad date) is kept as a path of keys and list positions and turned
//! into a line here, only when it is reported. This reads block-style YAML by indentation,
//! which is how editors write records; inside a flow collection (`units: [a, b]`) the line
//! of its key is the answer. When a step cannot be followed, the deepest position found so
//! far is given, so an error always points somewhere sensible.

use super::FieldAt;

/// One step of a path into a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// The path `a.b` as segments, for the common case of keys only.
pub fn keys(path: &[&str]) -> Vec<Seg> {
    path.iter().map(|k| Seg::Key((*k).to_string())).collect()
}

/// A significant line: not blank, not only a comment.
struct Line<'a> {
    /// 1-based line number in the file.
    number: usize,
    /// Columns (0-based) of the `- ` markers that open the line.
    dashes: Vec<usize>,
    /// Column (0-based) and text of what follows the indentation and the dashes.
    body_col: usize,
    body: &'a str,
}

impl Line<'_> {
    /// Column of the line's first token.
    fn first(&self) -> usize {
        self.dashes.first().copied().unwrap_or(self.body_col)
    }
}

/// Where a node's content starts: a line index and the column of its first key or dash.
#[derive(Clone, Copy)]
struct Node {
    line: usize,
    col: usize,
    end: usize,
}

/// The 1-based (line, column) of `field` in the whole file text (BOM already removed).
pub fn field_position(text: &str, field: &FieldAt) -> (usize, usize) {
    let offset = (field.yaml.offset as usize).min(text.len());
    let first_line = text[..offset].matches('\n').count() + 1;
    let lines = significant_lines(&text[offset..], first_line);
    let Some(first) = lines.first() else {
        return (first_line.saturating_sub(1).max(1), 1);
    };
    let mut best = (first.number, first.first() + 1);
    let mut node = Node {
        line: 0,
        col: first.first(),
        end: lines.len(),
    };
    if let Some(index) = field.yaml.index {
        match element(&lines, node, index as usize) {
            Some((n, pos)) => {
                best = pos;
                node = n;
            }
            None => return best,
        }
    }
    for seg in &field.path {
        let step = match seg {
            Seg::Key(k) => key(&lines, node, k),
            Seg::Index(i) => element(&lines, node, *i),
        };
        match step {
            Some((n, pos)) => {
                best = pos;
                node = n;
            }
            None => break,
        }
    }
    best
}

/// The 1-based (line, column) of the second occurrence of `key` in one mapping of `text`,
/// for the duplicate-key error (serde_yaml's own position for it is the mapping's start).
pub fn duplicate_key(text: &str, key: &str) -> Option<(usize, usize)> {
    let lines = significant_lines(text, 1);
    for (j, l2) in lines.iter().enumerate() {
        if key_of(l2.body) != Some(key) {
            continue;
        }
        let c = l2.body_col;
        // Walk back within the same mapping: stop at a shallower line or a new list element.
        let mut i = j;
        let starts_element = |l: &Line| l.dashes.iter().any(|&d| d < c);
        if starts_element(l2) {
            continue;
        }
        while i > 0 {
            i -= 1;
            let l1 = &lines[i];
            if l1.body_col == c && key_of(l1.body) == Some(key) {
                return Some((l2.number, c + 1));
            }
            if l1.first() < c || starts_element(l1) {
                break;
            }
        }
    }
    None
}

fn significant_lines(text: &str, first_number: usize) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = raw.trim_start_matches(' ');
        let mut col = raw.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if col == 0 && (trimmed.starts_with("---") || trimmed.starts_with("...")) {
            if out.is_empty() {
                continue;
            }
            break;
        }
        let mut rest = trimmed;
        let mut dashes = Vec::new();
        while rest == "-" || rest.starts_with("- ") {
            dashes.push(col);
            let after = &rest[1..];
            let body = after.trim_start_matches(' ');
            col += 1 + after.len() - body.len();
            rest = body;
        }
        out.push(Line {
            number: first_number + i,
            dashes,
            body_col: col,
            body: rest,
        });
    }
    out
}

/// The value of `name` in the mapping at `node`.
fn key(lines: &[Line], node: Node, name: &str) -> Option<(Node, (usize, usize))> {
    let i = (node.line..node.end).find(|&i| {
        let l = &lines[i];
        l.body_col == node.col
            && (i == node.line || l.dashes.is_empty())
            && key_of(l.body) == Some(name)
    })?;
    let pos = (lines[i].number, lines[i].body_col + 1);
    let line = &lines[i];
    let rest = line.body.split_once(':').map_or("", |(_, r)| r).trim();
    if !rest.is_empty() && !rest.starts_with('#') {
        // An inline value (scalar, flow collection or block scalar): its key line it is.
        return Some((
            Node {
                line: i,
                col: usize::MAX,
                end: i + 1,
            },
            pos,
        ));
    }
    let next = i + 1;
    if next >= node.end {
        return Some((
            Node {
                line: i,
                col: usize::MAX,
                end: i + 1,
            },
            pos,
        ));
    }
    let c = node.col;
    let child = &lines[next];
    let (col, same_col_seq) = if child.first() > c {
        (child.first(), false)
    } else if child.first() == c && !child.dashes.is_empty() {
        (c, true)
    } else {
        return Some((
            Node {
                line: i,
                col: usize::MAX,
                end: i + 1,
            },
            pos,
        ));
    };
    let end = (next..node.end)
        .find(|&j| {
            let f = lines[j].first();
            f < c || (f == c && !(same_col_seq && lines[j].dashes.first() == Some(&c)))
        })
        .unwrap_or(node.end);
    Some((
        Node {
            line: next,
            col,
            end,
        },
        pos,
    ))
}

/// The `n`th element of the block sequence at `node`.
fn element(lines: &[Line], node: Node, n: usize) -> Option<(Node, (usize, usize))> {
    let starts: Vec<usize> = (node.line..node.end)
        .filter(|&i| lines[i].dashes.first() == Some(&node.col))
        .collect();
    let &i = starts.get(n)?;
    let end = starts.get(n + 1).copied().unwrap_or(node.end);
    let line = &lines[i];
    let col = line.dashes.get(1).copied().unwrap_or(line.body_col);
    let pos = (line.number, col + 1);
    if line.dashes.len() == 1 && line.body.is_empty() {
        // `-` alone: the element's content starts on the next line.
        let next = i + 1;
        if next < end {
            let c = lines[next].first();
            return Some((
                Node {
                    line: next,
                    col: c,
                    end,
                },
                (lines[next].number, c + 1),
            ));
        }
    }
    Some((Node { line: i, col, end }, pos))
}

/// The key of a `key: value` line, unquoted.
fn key_of(body: &str) -> Option<&str> {
    let (k, _) = if let Some(q) = body.strip_prefix('"') {
        let end = q.find('"')?;
        return q[end + 1..]
            .trim_start()
            .starts_with(':')
            .then(|| &q[..end]);
    } else if let Some(q) = body.strip_prefix('\'') {
        let end = q.find('\'')?;
        return q[end + 1..]
            .trim_start()
            .starts_with(':')
            .then(|| &q[..end]);
    } else {
        body.split_once(':')?
    };
    Some(k.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::YamlAt;

    fn at(text: &str, index: Option<u32>, path: Vec<Seg>) -> (usize, usize) {
        let f = FieldAt {
            yaml: YamlAt { offset: 0, index },
            path,
        };
        field_position(text, &f)
    }

    const ITEM: &str = "title: 修水管\ncommunity: c1\nclaimed_by:\n  unit: u1\n  member: 张三\n\
                        photos:\n  - src: a.png\n    alt: x\n  - src: b.png\n    alt: y\nunits: [a, b]\n";

    #[test]
    fn top_level_and_nested_keys() {
        assert_eq!(at(ITEM, None, keys(&["community"])), (2, 1));
        assert_eq!(at(ITEM, None, keys(&["claimed_by", "member"])), (5, 3));
    }

    #[test]
    fn list_elements_and_flow_lists() {
        let p = vec![
            Seg::Key("photos".into()),
            Seg::Index(1),
            Seg::Key("alt".into()),
        ];
        assert_eq!(at(ITEM, None, p), (10, 5));
        let p = vec![Seg::Key("units".into()), Seg::Index(1)];
        assert_eq!(at(ITEM, None, p), (11, 1));
    }

    #[test]
    fn records_of_a_sequence() {
        let text = "# evaluations\n- id: e1\n  rating: good\n\n- id: e2\n  of:\n    unit: u9\n";
        assert_eq!(at(text, Some(1), vec![]), (5, 3));
        assert_eq!(at(text, Some(1), keys(&["of", "unit"])), (7, 5));
        assert_eq!(at(text, Some(0), keys(&["rating"])), (3, 3));
    }

    #[test]
    fn sequence_at_the_key_column() {
        let text = "units:\n- u1\n- u2\ntitle: x\n";
        assert_eq!(
            at(text, None, vec![Seg::Key("units".into()), Seg::Index(1)]),
            (3, 3)
        );
        assert_eq!(at(text, None, keys(&["title"])), (4, 1));
    }

    #[test]
    fn second_occurrence_of_a_duplicate_key() {
        assert_eq!(
            duplicate_key("name: a\ndistrict: b\nname: c\n", "name"),
            Some((3, 1))
        );
        let nested = "title: t\nclaimed_by:\n  unit: a\n  unit: b\n";
        assert_eq!(duplicate_key(nested, "unit"), Some((4, 3)));
        // The same key in two records of a sequence is no duplicate; in one record it is.
        let seq = "- id: a\n  rating: x\n- id: b\n  rating: y\n  rating: z\n";
        assert_eq!(duplicate_key(seq, "rating"), Some((5, 3)));
        assert_eq!(duplicate_key(seq, "id"), None);
    }

    #[test]
    fn front_matter_offset_and_missing_key() {
        let text = "---\ntitle: a\ndue: 2018-01-01\n---\nbody\n";
        let f = FieldAt {
            yaml: YamlAt {
                offset: 4,
                index: None,
            },
            path: keys(&["due"]),
        };
        assert_eq!(field_position(text, &f), (3, 1));
        let f = FieldAt {
            yaml: YamlAt {
                offset: 4,
                index: None,
            },
            path: keys(&["nothing"]),
        };
        assert_eq!(field_position(text, &f), (2, 1));
    }
}
