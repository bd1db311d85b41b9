//! A fast reader for the plain block YAML that records are written in, with serde_yaml as
//! the reference and the fallback.
//!
//! Why: serde_yaml (libyaml underneath) reads about 20 MB/s here, and a large site has a
//! quarter of a million small front matters; measured, it was half the time of `shiji
//! check`. This reader accepts only an unambiguous subset (`key: plain value` lines, nested
//! mappings and lists by indentation, one-line `[a, b]` and `{k: v}`), and answers `None`
//! the moment it meets anything else (quotes, block scalars, anchors, tags, comments after
//! a value, numbers it does not type exactly as serde_yaml does, a repeated key), so that
//! serde_yaml reads that document and reports its errors. A differential property test
//! checks that whenever it answers, serde_yaml answers the same.

use std::borrow::Cow;

use super::yaml::Node;

/// The document as a [`Node`], or `None` when serde_yaml must read it.
pub fn parse(text: &str) -> Option<Node<'_>> {
    if super::chars::forbidden(text).is_some() {
        return None;
    }
    let mut lines = Vec::new();
    for raw in text.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let content = raw.trim_start_matches(' ');
        if content.starts_with('\t') {
            return None;
        }
        let content = content.trim_end_matches([' ', '\t']);
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = raw.len() - raw.trim_start_matches(' ').len();
        if indent == 0
            && (content.starts_with("---")
                || content.starts_with("...")
                || content.starts_with('%'))
        {
            return None;
        }
        lines.push(Line { indent, content });
    }
    if lines.is_empty() {
        return Some(Node::Null);
    }
    let mut p = 0;
    let first = lines[0].indent;
    let node = block(&mut lines, &mut p, first, 0)?;
    (p == lines.len()).then_some(node)
}

struct Line<'a> {
    indent: usize,
    content: &'a str,
}

fn is_dash(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// How deep mappings and lists may nest before this reader gives the document to serde_yaml,
/// whose own limit (128) then refuses it with an error: the readers recurse once per level,
/// and thousands of levels would overflow the stack.
const MAX_DEPTH: usize = 128;

fn block<'a>(
    lines: &mut [Line<'a>],
    p: &mut usize,
    indent: usize,
    depth: usize,
) -> Option<Node<'a>> {
    if depth >= MAX_DEPTH {
        return None;
    }
    if is_dash(lines[*p].content) {
        sequence(lines, p, indent, depth + 1)
    } else {
        mapping(lines, p, indent, depth + 1)
    }
}

fn mapping<'a>(
    lines: &mut [Line<'a>],
    p: &mut usize,
    indent: usize,
    depth: usize,
) -> Option<Node<'a>> {
    let mut entries: Vec<(Cow<'a, str>, Node<'a>)> = Vec::new();
    while *p < lines.len() && lines[*p].indent == indent && !is_dash(lines[*p].content) {
        let (key, rest) = split_key(lines[*p].content)?;
        if entries.iter().any(|(k, _)| k == key) {
            return None;
        }
        *p += 1;
        let value = if rest.is_empty() {
            match lines.get(*p) {
                Some(next)
                    if next.indent > indent || (next.indent == indent && is_dash(next.content)) =>
                {
                    let child = next.indent;
                    block(lines, p, child, depth)?
                }
                _ => Node::Null,
            }
        } else {
            value(rest)?
        };
        entries.push((Cow::Borrowed(key), value));
    }
    if lines.get(*p).is_some_and(|l| l.indent > indent) {
        return None; // a continuation line or odd indentation: let serde_yaml decide
    }
    Some(Node::Map(entries))
}

fn sequence<'a>(
    lines: &mut [Line<'a>],
    p: &mut usize,
    indent: usize,
    depth: usize,
) -> Option<Node<'a>> {
    let mut items = Vec::new();
    while *p < lines.len() && lines[*p].indent == indent && is_dash(lines[*p].content) {
        let content = lines[*p].content;
        let after = content.get(1..)?.trim_start_matches(' ');
        if after.is_empty() || is_dash(after) {
            return None;
        }
        let col = indent + (content.len() - after.len());
        if split_key(after).is_some() {
            // `- key: value`: a mapping whose first key stands on the dash line.
            lines[*p] = Line {
                indent: col,
                content: after,
            };
            if depth >= MAX_DEPTH {
                return None;
            }
            items.push(mapping(lines, p, col, depth + 1)?);
        } else {
            items.push(value(after)?);
            *p += 1;
        }
    }
    if lines.get(*p).is_some_and(|l| l.indent > indent) {
        return None;
    }
    Some(Node::Seq(items))
}

/// `key: rest` or `key:` with a plain ASCII key.
fn split_key(content: &str) -> Option<(&str, &str)> {
    let end = content.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))?;
    if end == 0 || content.as_bytes()[0] == b'-' {
        return None;
    }
    let (key, after) = content.split_at(end);
    let rest = after.strip_prefix(':')?;
    if rest.is_empty() {
        return Some((key, ""));
    }
    rest.strip_prefix(' ')
        .map(|r| (key, r.trim_start_matches(' ')))
}

/// What YAML trims around a flow scalar: spaces and tabs only, not the ideographic space
/// (U+3000) that Rust's `trim` also takes away.
const YAML_SPACE: [char; 2] = [' ', '\t'];

/// A one-line value: a plain scalar, `[a, b]` or `{k: v}`.
fn value<'a>(s: &'a str) -> Option<Node<'a>> {
    if let Some(inner) = s.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        if inner.trim_matches(YAML_SPACE).is_empty() {
            return Some(Node::Seq(Vec::new()));
        }
        let items = inner
            .split(',')
            .map(|x| flow_scalar(x.trim_matches(YAML_SPACE)))
            .collect::<Option<Vec<_>>>()?;
        return Some(Node::Seq(items));
    }
    if let Some(inner) = s.strip_prefix('{') {
        let inner = inner.strip_suffix('}')?;
        let mut entries: Vec<(Cow<'a, str>, Node<'a>)> = Vec::new();
        if inner.trim_matches(YAML_SPACE).is_empty() {
            return Some(Node::Map(entries));
        }
        for part in inner.split(',') {
            let (key, rest) = split_key(part.trim_matches(YAML_SPACE))?;
            if rest.is_empty() || entries.iter().any(|(k, _)| k == key) {
                return None;
            }
            entries.push((Cow::Borrowed(key), flow_scalar(rest)?));
        }
        return Some(Node::Map(entries));
    }
    plain(s)
}

/// `: ` (a mapping), ` #` (a comment) or a tab anywhere in `s`, in one pass over its bytes:
/// this runs for every value of every record.
fn has_indicator(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &c)| match c {
        b'\t' => true,
        b':' => b.get(i + 1) == Some(&b' '),
        b'#' => i > 0 && b[i - 1] == b' ',
        _ => false,
    })
}

/// A plain scalar inside `[...]` or `{...}`: no flow indicators in it.
fn flow_scalar(s: &str) -> Option<Node<'_>> {
    if s.is_empty() || s.contains(['[', ']', '{', '}', ',', ':', '#']) {
        return None;
    }
    plain(s)
}

/// Types a plain scalar exactly as serde_yaml does, for the forms it knows; `None` for any
/// other form that might not be a string.
fn plain(s: &str) -> Option<Node<'_>> {
    let first = s.chars().next()?;
    if matches!(
        first,
        '[' | ']'
            | '{'
            | '}'
            | ','
            | '#'
            | '&'
            | '*'
            | '!'
            | '|'
            | '>'
            | '\''
            | '"'
            | '%'
            | '@'
            | '`'
    ) || s.starts_with("- ")
        || s.starts_with("? ")
        || has_indicator(s)
        || s.ends_with(':')
    {
        return None;
    }
    match s {
        "~" | "null" | "Null" | "NULL" => return Some(Node::Null),
        "true" | "True" | "TRUE" => return Some(Node::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Node::Bool(false)),
        _ => {}
    }
    if ["yes", "no", "on", "off", "y", "n"]
        .iter()
        .any(|w| s.eq_ignore_ascii_case(w))
    {
        return None;
    }
    let b = s.as_bytes();
    let digits = |x: &[u8]| !x.is_empty() && x.iter().all(u8::is_ascii_digit);
    let unsigned = b.strip_prefix(b"-").unwrap_or(b);
    if digits(unsigned) && unsigned.len() <= 18 && (unsigned == b"0" || unsigned[0] != b'0') {
        return s.parse().ok().map(Node::Int);
    }
    if let Some(dot) = s.find('.')
        && digits(&b[..dot])
        && digits(&b[dot + 1..])
        && (dot == 1 || b[0] != b'0')
        && dot <= 15
        && b.len() - dot <= 16
    {
        return s.parse().ok().map(Node::Float);
    }
    if b.len() == 10
        && digits(&b[..4])
        && b[4] == b'-'
        && digits(&b[5..7])
        && b[7] == b'-'
        && digits(&b[8..])
    {
        return Some(Node::Str(Cow::Borrowed(s)));
    }
    if first.is_ascii_digit() || "+-.".contains(first) {
        return None;
    }
    Some(Node::Str(Cow::Borrowed(s)))
}

#[cfg(test)]
mod tests {
    use super::super::yaml;
    use super::*;
    use proptest::prelude::*;

    /// Whenever the fast reader answers, serde_yaml answers the same.
    fn agrees(text: &str) -> bool {
        match parse(text) {
            None => true,
            Some(fast) => yaml::parse_with_serde(text).ok() == Some(fast),
        }
    }

    #[test]
    fn reads_the_records_editors_write() {
        let item = "title: 水电维修 · 开元小区服务事项12\ncommunity: c00012\nclaimed_by:\n  unit: u00049\n  member: 王伟\n\
                    agreement: a00012-1\ncategory: repair\nclaimed: 2018-03-05\ndue: 2018-05-28\nhours: 2.5\nfinal: false\n";
        assert!(parse(item).is_some());
        assert!(agrees(item));
        let evals = "- id: e1\n  of: {item: i1}\n  by: {resident: 张三}\n  date: 2018-10-10\n  rating: satisfied\n\
                     - id: e2\n  of:\n    unit: u1\n  by: {community: c1}\n  rating: fair\n";
        assert!(parse(evals).is_some());
        assert!(agrees(evals));
        let photos = "photos:\n  - src: photos/p1.png\n    alt: 照片\n  - src: p2.png\n    alt: 二\nunits: [u1, u2]\nlist:\n- a\n- b\n";
        assert!(parse(photos).is_some());
        assert!(agrees(photos));
    }

    #[test]
    fn leaves_everything_else_to_serde_yaml() {
        for text in [
            "title: \"quoted\"\n",
            "body: |\n  text\n",
            "a: 1 # comment\n",
            "a: &x 1\nb: *x\n",
            "a: 1\na: 2\n",
            "a: yes\n",
            "a: 0x1F\n",
            "a: 1e3\n",
            "a: 007\n",
            "title: 说明: 内容\n",
            "a: first\n  continued\n",
            "---\na: 1\n",
            "\ta: 1\n",
            "a: [x, [y]]\n",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = |levels: usize, line: &dyn Fn(usize) -> String| -> String {
            (0..levels).map(line).collect::<Vec<_>>().join("\n") + "\n"
        };
        let mappings = deep(1000, &|i| format!("{}k:", " ".repeat(i)));
        let lists = deep(1000, &|i| format!("{}- k:", " ".repeat(2 * i)));
        for text in [&mappings, &lists] {
            assert_eq!(parse(text), None);
            assert!(yaml::parse(text).is_err());
        }
        // Up to the limit both readers agree, and the fast one answers.
        let ok = deep(100, &|i| format!("{}k:", " ".repeat(i)));
        assert!(parse(&ok).is_some() && agrees(&ok));
    }

    #[test]
    fn fixtures_and_demo_site_agree_with_serde_yaml() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        for dir in ["content", "tests/fixtures"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
                let path = entry.path();
                let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
                let Ok(text) = std::fs::read_to_string(path) else {
                    continue;
                };
                let text = text.trim_start_matches('\u{feff}');
                let yaml = match ext {
                    "yaml" | "yml" => text,
                    "md" => match crate::content::split_front_matter(text) {
                        Ok((fm, ..)) => fm,
                        Err(_) => continue,
                    },
                    _ => continue,
                };
                assert!(agrees(yaml), "{}", path.display());
                checked += 1;
            }
        }
        assert!(checked > 100, "only {checked} files");
    }

    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z]{1,8}",
            "[0-9]{1,4}",
            "-?[0-9]{1,3}",
            "[0-9]{1,2}\\.[0-9]{1,2}",
            "20[0-9]{2}-[01][0-9]-[0-3][0-9]",
            "(true|false|True|null|~|yes|No|on)",
            "[\\u4e00-\\u9fa5]{1,6}",
            "[a-z ]{0,3}[:#,'\"&*!|>@%\\-\\[\\]{}]?[a-z0-9 .]{0,4}",
            // Full-width digits and punctuation, as Chinese input methods type them.
            "[\u{ff01}-\u{ff5e}\u{3000}\u{3001}\u{3002}]{1,5}",
            // Control characters and the line breaks libyaml knows besides LF.
            "[a-z]{0,2}[\u{0}-\u{8}\u{b}-\u{1f}\u{7f}\u{85}\u{2028}\u{2029}\r\u{feff}][a-z]{0,2}",
            "\"[a-z]{0,2}\"",
        ]
    }

    fn document() -> impl Strategy<Value = String> {
        let line = (
            0usize..3,
            prop_oneof![Just("- ".to_string()), Just(String::new())],
            "[a-z]{1,3}",
            scalar(),
            0usize..5,
        )
            .prop_map(|(indent, dash, key, value, shape)| {
                let pad = " ".repeat(indent * 2);
                match shape {
                    0 => format!("{pad}{dash}{key}: {value}"),
                    1 => format!("{pad}{dash}{key}:"),
                    2 => format!("{pad}{dash}{value}"),
                    3 => format!("{pad}{dash}{key}: [{value}, {value}]"),
                    _ => format!("{pad}{dash}{key}: {{{key}: {value}}}"),
                }
            });
        proptest::collection::vec(line, 1..8).prop_map(|lines| lines.join("\n") + "\n")
    }

    /// Mappings and lists nested around serde_yaml's limit, a scalar at the bottom.
    fn deep_document() -> impl Strategy<Value = String> {
        (
            100usize..160,
            proptest::collection::vec(any::<bool>(), 8),
            scalar(),
        )
            .prop_map(|(depth, dashes, value)| {
                let mut text = String::new();
                for level in 0..depth {
                    let dash = if dashes[level % 8] { "- " } else { "" };
                    text.push_str(&format!("{}{dash}k:\n", " ".repeat(level * 2)));
                }
                text.push_str(&format!("{}v: {value}\n", " ".repeat(depth * 2)));
                text
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn agrees_with_serde_yaml_on_generated_documents(text in document()) {
            prop_assert!(agrees(&text), "{:?}\nfast: {:?}\nserde: {:?}", text, parse(&text), yaml::parse_with_serde(&text));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn agrees_with_serde_yaml_on_deep_documents(text in deep_document()) {
            prop_assert!(agrees(&text), "{:?}\nfast: {:?}\nserde: {:?}", text, parse(&text), yaml::parse_with_serde(&text));
        }
    }
}
