//! The slips of a Chinese keyboard in YAML, named for what they are.
//!
//! With a Chinese input method on, `title：修路` (full-width colon), `units: [a，b]`
//! (full-width comma), `　　unit: x` (full-width space as indentation) and
//! `community: “junmen”` (full-width quotes) are easy to type and hard to see. YAML reads
//! them as something else (a longer text, one odd id, a syntax error a line later), so the
//! problems it leads to point elsewhere. This module looks for them in the YAML text itself
//! and says which character, where, and what to write instead. Tabs in indentation too.

use crate::i18n::Text;
use crate::messages as m;

/// One slip: its 1-based line (in the YAML text) and column (in characters), and the words.
#[derive(Debug, Clone, PartialEq)]
pub struct Slip {
    /// `full-width-punctuation`, or `yaml-syntax` for a tab.
    pub code: &'static str,
    pub line: usize,
    pub column: usize,
    pub message: Text,
    pub hint: Text,
}

/// Every slip in `yaml`. Lines inside a block scalar (`body: |`) are text, not syntax, and
/// are left alone; so are comments.
pub fn find(yaml: &str) -> Vec<Slip> {
    // The common case, a file without any of these characters, costs one pass of memchr.
    if memchr::memchr3(b'\t', 0xEF, 0xE3, yaml.as_bytes()).is_none()
        && memchr::memchr(0xE2, yaml.as_bytes()).is_none()
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    // The indentation of a `key: |` line while its block scalar's lines follow.
    let mut block: Option<usize> = None;
    for (i, line) in yaml.lines().enumerate() {
        let indent: usize = line
            .chars()
            .take_while(|c| matches!(c, ' ' | '\t' | '\u{3000}'))
            .count();
        let rest: String = line.chars().skip(indent).collect();
        if let Some(b) = block {
            if rest.is_empty() || indent > b {
                continue;
            }
            block = None;
        }
        if rest.is_empty() || rest.starts_with('#') || rest.starts_with("---") {
            continue;
        }
        let at = |column: usize, message: Text, hint: Text| Slip {
            code: "full-width-punctuation",
            line: i + 1,
            column: column + 1,
            message,
            hint,
        };
        // A list entry's dash, then the key.
        let (dash, entry) = match rest.strip_prefix("- ") {
            Some(e) => (
                2 + e.chars().take_while(|c| *c == ' ').count(),
                e.trim_start(),
            ),
            None => (0, rest.as_str()),
        };
        let key: String = entry
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let after = entry[key.len()..].trim_start_matches(' ');
        // Indentation is syntax only before a key or a list entry; elsewhere it may be the
        // continuation of a text.
        let is_syntax = dash > 0 || (!key.is_empty() && after.starts_with([':', '：']));
        let lead: String = line.chars().take(indent).collect();
        if let Some(c) = lead.chars().position(|c| c == '\u{3000}')
            && is_syntax
        {
            out.push(at(c, m::slip_space(), m::slip_space_hint()));
        } else if let Some(c) = lead.chars().position(|c| c == '\t')
            && is_syntax
        {
            out.push(Slip {
                code: "yaml-syntax",
                ..at(c, m::slip_tab(), m::slip_tab_hint())
            });
        }
        if key.is_empty() {
            continue;
        }
        let key_end = indent + dash + entry[..entry.len() - after.len()].chars().count();
        if after.starts_with('：') {
            out.push(at(key_end, m::slip_colon(&key), m::slip_colon_hint(&key)));
            continue;
        }
        let Some(value) = after.strip_prefix(':') else {
            continue;
        };
        let value_start = key_end + 1 + value.chars().take_while(|c| *c == ' ').count();
        let value = value.trim();
        if value.starts_with('[')
            && let Some(c) = value.chars().position(|c| c == '，')
        {
            out.push(at(value_start + c, m::slip_comma(), m::slip_comma_hint()));
        } else if let Some(inner) = value.strip_prefix('“').and_then(|v| v.strip_suffix('”'))
            && !inner.is_empty()
            && inner
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            out.push(at(value_start, m::slip_quote(), m::slip_quote_hint()));
        } else if matches!(value.trim_end_matches(['-', '+']), "|" | ">") {
            block = Some(indent);
        }
    }
    out
}

/// The ids a file that could not be read would have given: its name's stem (a one-record
/// file) and every `id:` line. They still count as existing, so that the records that refer
/// to them do not each report a misleading "no such id" (one slip, one problem).
pub fn ids_written(yaml: &str, stem: &str) -> Vec<String> {
    let mut ids = vec![stem.to_string()];
    for line in yaml.lines() {
        let entry = line.trim_start_matches([' ', '\t', '\u{3000}']);
        let entry = entry.strip_prefix('-').unwrap_or(entry).trim_start();
        if let Some(rest) = entry.strip_prefix("id")
            && let Some(value) = rest.trim_start().strip_prefix([':', '：'])
        {
            let value = value.split('#').next().unwrap_or("").trim();
            let value = value.trim_matches(['"', '\'', '“', '”']);
            if !value.is_empty() {
                ids.push(value.to_string());
            }
        }
    }
    ids
}

/// libyaml's own words for a syntax error (English only), said in both languages where
/// they have a common cause, and passed on as written otherwise.
pub fn yaml_words(raw: &str) -> Text {
    if raw.contains("mapping values are not allowed") {
        m::yaml_mapping_values()
    } else if raw.contains("cannot start any token") {
        m::yaml_bad_token()
    } else if raw.contains("tab character") {
        m::slip_tab()
    } else if raw.contains("could not find expected ':'") {
        m::yaml_simple_key()
    } else if raw.contains("did not find expected key")
        || raw.contains("did not find expected '-'")
        || raw.contains("block mapping")
    {
        m::yaml_block_end()
    } else if raw.contains("end of stream") || raw.contains("expected ',' or") {
        m::yaml_unclosed()
    } else {
        m::yaml_other(raw.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Language;

    fn one(yaml: &str) -> (usize, usize, String, String) {
        let slips = find(yaml);
        assert_eq!(slips.len(), 1, "{slips:?}");
        let s = &slips[0];
        (
            s.line,
            s.column,
            s.message.get(Language::ZhCn).to_string(),
            s.message.get(Language::En).to_string(),
        )
    }

    #[test]
    fn a_full_width_colon_is_named_at_its_own_line_and_column() {
        let (line, column, zh, en) = one("title: 修路\nstatus：claimed\ndue: 2018-01-01\n");
        assert_eq!((line, column), (2, 7));
        assert!(zh.contains("全角冒号") && zh.contains("`status`"), "{zh}");
        assert!(en.contains("full-width colon"), "{en}");
        let (line, column, ..) = one("- id: a\n  - rating：fair\n");
        assert_eq!((line, column), (2, 11));
    }

    #[test]
    fn a_full_width_colon_in_a_value_is_text() {
        assert!(find("summary: 时间：上午九点\ntitle: 修路\n").is_empty());
    }

    #[test]
    fn a_full_width_comma_in_a_list() {
        let (line, column, zh, _) = one("title: x\nunits: [tax，power]\n");
        assert_eq!((line, column), (2, 12));
        assert!(zh.contains("全角逗号"), "{zh}");
        assert!(find("summary: 修路，补灯\n").is_empty());
    }

    #[test]
    fn a_full_width_space_as_indentation() {
        let (line, column, zh, _) = one("claimed_by:\n\u{3000}\u{3000}unit: x\n");
        assert_eq!((line, column), (2, 1));
        assert!(zh.contains("全角空格"), "{zh}");
    }

    #[test]
    fn full_width_quotes_around_an_id() {
        let (line, column, zh, _) = one("community: “junmen”\n");
        assert_eq!((line, column), (1, 12));
        assert!(zh.contains("全角引号"), "{zh}");
        assert!(find("title: “一老一小”服务\n").is_empty());
    }

    #[test]
    fn a_tab_in_indentation() {
        let (line, column, zh, en) = one("claimed_by:\n\tunit: x\n");
        assert_eq!((line, column), (2, 1));
        assert!(zh.contains("Tab"), "{zh}");
        assert!(en.contains("tab"), "{en}");
    }

    #[test]
    fn a_continued_text_may_start_with_a_full_width_space() {
        assert!(find("summary: 第一行\n\u{3000}\u{3000}第二行\n").is_empty());
    }

    #[test]
    fn block_scalars_are_text() {
        assert!(find("body: |\n\u{3000}\u{3000}社区：你好\n\tx：y\ntitle: a\n").is_empty());
        assert_eq!(find("body: |\n  a\nstatus：x\n").len(), 1);
    }

    #[test]
    fn ids_of_an_unreadable_file() {
        assert_eq!(
            ids_written("- id: a\n  x：y\n- id：b\n", "f"),
            ["f", "a", "b"]
        );
    }

    #[test]
    fn libyaml_words_in_chinese() {
        let t = yaml_words("mapping values are not allowed in this context");
        assert!(t.zh.contains("冒号"), "{}", t.zh);
        let t = yaml_words("something new");
        assert!(t.en.contains("something new"));
    }
}
