//! YAML text → a plain tree of [`Node`]s, through serde_yaml.
//!
//! serde_yaml lets a repeated key silently replace the first one; records.md makes it an
//! error. Keys are read through a seed that knows the keys seen so far, so the error is
//! raised while the parser stands on the second key and carries that key's line.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// A YAML value as records need it. Mapping keys keep their order of writing. Text is
/// borrowed from the file where the reader can, so keys that are only compared cost nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Cow<'a, str>),
    Seq(Vec<Node<'a>>),
    Map(Vec<(Cow<'a, str>, Node<'a>)>),
}

impl Node<'_> {
    /// What kind of value this is, in words for an error message.
    pub fn describe(&self) -> crate::i18n::Text {
        use crate::messages as m;
        match self {
            Node::Null => m::value_nothing(),
            Node::Bool(_) => m::value_bool(),
            Node::Int(_) | Node::Float(_) => m::value_number(),
            Node::Str(_) => m::value_text(),
            Node::Seq(_) => m::value_list(),
            Node::Map(_) => m::value_mapping(),
        }
    }
}

/// A YAML parse failure with the parser's 1-based line and column when it has one.
#[derive(Debug)]
pub struct YamlError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The key written twice, when that is the problem.
    pub duplicate_key: Option<String>,
}

const DUPLICATE: &str = "duplicate key ";

/// Parses one YAML document. An empty document (or only comments) gives `Node::Null`.
pub fn parse(text: &str) -> Result<Node<'_>, YamlError> {
    match super::yaml_fast::parse(text) {
        Some(node) => Ok(node),
        None => parse_with_serde(text),
    }
}

/// Parses one YAML document with serde_yaml: the reference for [`super::yaml_fast`].
pub fn parse_with_serde(text: &str) -> Result<Node<'_>, YamlError> {
    let de = serde_yaml::Deserializer::from_str(text);
    match NodeSeed.deserialize(de) {
        Ok(node) => Ok(node),
        Err(e) => {
            let message = e.to_string();
            // serde_yaml appends " at line L column C" to the message; keep the plain words.
            let message = match message.find(" at line ") {
                Some(i) => message[..i].to_string(),
                None => message,
            };
            let mut pos = e.location().map(|l| (l.line(), l.column()));
            let duplicate = message
                .find(DUPLICATE)
                .map(|i| message[i + DUPLICATE.len()..].trim_matches('`').to_string());
            if let Some(key) = &duplicate {
                pos = crate::diagnostics::locate::duplicate_key(text, key).or(pos);
            }
            Err(YamlError {
                message,
                line: pos.map(|p| p.0),
                column: pos.map(|p| p.1),
                duplicate_key: duplicate,
            })
        }
    }
}

struct NodeSeed;

impl<'de> DeserializeSeed<'de> for NodeSeed {
    type Value = Node<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Node<'de>, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node<'de>, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node<'de>, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node<'de>, E> {
        Ok(Node::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node<'de>, E> {
        Ok(i64::try_from(v).map_or(Node::Float(v as f64), Node::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node<'de>, E> {
        Ok(Node::Float(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Owned(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(n) = seq.next_element_seed(NodeSeed)? {
            items.push(n);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        let mut seen = HashSet::new();
        let mut entries = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed { seen: &mut seen })? {
            let value = map.next_value_seed(NodeSeed)?;
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

/// Reads a mapping key as text and refuses one already seen in the same mapping.
struct KeySeed<'a> {
    seen: &'a mut HashSet<String>,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        let key = match NodeSeed.deserialize(d)? {
            Node::Str(s) => s,
            Node::Int(i) => i.to_string().into(),
            Node::Float(f) => f.to_string().into(),
            Node::Bool(b) => b.to_string().into(),
            Node::Null => "null".into(),
            other => {
                return Err(de::Error::custom(format!(
                    "a mapping key must be a plain word, not {}",
                    other.describe().en
                )));
            }
        };
        if !self.seen.insert(key.to_string()) {
            return Err(de::Error::custom(format!("{DUPLICATE}`{key}`")));
        }
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_key_points_at_second_occurrence() {
        let e = parse("title: a\nsummary: b\ntitle: c\n").unwrap_err();
        assert!(e.duplicate_key.is_some(), "{}", e.message);
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn keys_keep_their_order_and_scalars_their_types() {
        let n = parse("b: 1\na: x\nc: [true, 2.5]\n").unwrap();
        assert_eq!(
            n,
            Node::Map(vec![
                ("b".into(), Node::Int(1)),
                ("a".into(), Node::Str("x".into())),
                (
                    "c".into(),
                    Node::Seq(vec![Node::Bool(true), Node::Float(2.5)])
                ),
            ])
        );
    }

    #[test]
    fn empty_and_comment_only_documents_are_null() {
        assert_eq!(parse("").unwrap(), Node::Null);
        assert_eq!(parse("# only a comment\n").unwrap(), Node::Null);
    }

    #[test]
    fn syntax_error_has_a_line() {
        let e = parse("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(e.duplicate_key.is_none());
        assert!(e.line.is_some());
    }
}
