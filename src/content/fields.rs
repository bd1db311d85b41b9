//! Reading a record's fields out of a YAML mapping, with an error for each bad field.
//!
//! [`Fields`] hands out typed values one field at a time and remembers which fields were
//! read; whatever is left at the end is an unknown field. Every problem becomes a
//! [`Diagnostic`] pointing at the field, and reading goes on, so one run reports them all.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::yaml::Node;
use crate::diagnostics::locate::Seg;
use crate::diagnostics::{At, Diagnostic, YamlAt, did_you_mean};
use crate::i18n::Text;
use crate::messages as m;

pub use crate::syntax::{is_valid_id, parse_date};

/// A date written in another common form: `2018年10月1日`, `2018/10/1`, `2018.10.1`,
/// `2018-1-5`, full-width digits included. Only for telling the editor what to write: such
/// a date is still an error, since the published data says `YYYY-MM-DD`.
pub fn loose_date(s: &str) -> Option<NaiveDate> {
    let ascii: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '年' | '月' | '/' | '.' | '．' | '／' | '－' => '-',
            '日' | '号' => ' ',
            c => c,
        })
        .collect();
    let mut parts = ascii.trim().split('-');
    let (y, mo, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |p: &str, max: usize| {
        !p.is_empty() && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.next().is_some() || y.len() != 4 || !digits(y, 4) || !digits(mo, 2) || !digits(d, 2) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, mo.parse().ok()?, d.parse().ok()?)
}

/// The file being read and the problems found so far.
pub struct Ctx<'a> {
    pub file: &'a str,
    pub diags: &'a mut Vec<Diagnostic>,
}

/// An enumerated value: the English key and the Chinese label both name it.
pub trait Choice: Sized + Copy + 'static {
    const ALL: &'static [(Self, &'static str, &'static str)];
    fn key(self) -> &'static str;
    fn label(self) -> &'static str;
}

/// Defines an enum whose values are written as an English key or a Chinese label.
macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $key:literal / $label:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }
        impl $crate::content::fields::Choice for $name {
            const ALL: &'static [(Self, &'static str, &'static str)] = &[$(($name::$variant, $key, $label)),+];
            fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }
            fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }
    };
}
pub(crate) use choice;

/// The fields of one mapping (a record, or a nested mapping such as `claimed_by`).
pub struct Fields<'a> {
    entries: Vec<(Cow<'a, str>, Node<'a>)>,
    taken: Vec<bool>,
    /// Whether each entry was written with a value (`key:` alone counts as absent).
    present: Vec<bool>,
    yaml: YamlAt,
    path: Vec<Seg>,
    /// Required fields reported missing, with where their problem is in the file's list:
    /// an unknown field that is a typo of one of them takes its place (one problem per slip).
    missing: Vec<(String, usize)>,
}

impl<'a> Fields<'a> {
    pub fn new(entries: Vec<(Cow<'a, str>, Node<'a>)>, yaml: YamlAt, path: Vec<Seg>) -> Self {
        let taken = vec![false; entries.len()];
        let present = entries.iter().map(|(_, v)| *v != Node::Null).collect();
        Fields {
            entries,
            taken,
            present,
            yaml,
            path,
            missing: Vec::new(),
        }
    }

    /// Where the field `name` of this mapping is.
    pub fn at(&self, name: &str) -> At {
        let mut p = self.path.clone();
        p.push(Seg::Key(name.to_string()));
        self.yaml.field(p)
    }

    /// Where an element of the list field `name` is.
    pub fn at_element(&self, name: &str, index: usize) -> At {
        let mut p = self.path.clone();
        p.push(Seg::Key(name.to_string()));
        p.push(Seg::Index(index));
        self.yaml.field(p)
    }

    /// Where this mapping itself starts.
    pub fn at_self(&self) -> At {
        self.yaml.field(self.path.clone())
    }

    /// Takes the raw value of `name` (`None` when absent or written empty).
    pub fn take(&mut self, name: &str) -> Option<Node<'a>> {
        let i = self.entries.iter().position(|(k, _)| k == name)?;
        self.taken[i] = true;
        match std::mem::replace(&mut self.entries[i].1, Node::Null) {
            Node::Null => None,
            n => Some(n),
        }
    }

    /// Whether `name` was written with a value, read or not.
    pub fn has(&self, name: &str) -> bool {
        self.entries
            .iter()
            .zip(&self.present)
            .any(|((k, _), p)| k == name && *p)
    }

    fn wrong(&self, cx: &mut Ctx, name: &str, expected: fn() -> Text, got: &Node<'_>) {
        cx.diags.push(
            Diagnostic::new(
                "wrong-type",
                cx.file,
                self.at(name),
                m::wrong_type(name, expected(), got.describe()),
            )
            .hint(m::wrong_type_hint(name, expected())),
        );
    }

    /// A required field is absent: reported at the start of the mapping.
    pub fn missing(&mut self, cx: &mut Ctx, name: &str, what: Text) {
        self.missing_as(cx, "missing-field", name, what);
    }

    pub fn missing_as(&mut self, cx: &mut Ctx, code: &'static str, name: &str, what: Text) {
        self.missing.push((name.to_string(), cx.diags.len()));
        cx.diags.push(
            Diagnostic::new(code, cx.file, self.at_self(), m::missing_field(name))
                .hint(m::missing_field_hint(name, what)),
        );
    }

    pub fn text(&mut self, cx: &mut Ctx, name: &str) -> Option<String> {
        match self.take(name)? {
            Node::Str(s) => Some(s.into_owned()),
            Node::Int(i) => Some(i.to_string()),
            Node::Float(f) => Some(f.to_string()),
            other => {
                self.wrong(cx, name, m::expect_text, &other);
                None
            }
        }
    }

    /// Text that must be present and not blank.
    pub fn required_text(&mut self, cx: &mut Ctx, name: &str, what: Text) -> String {
        match self.text(cx, name) {
            Some(s) if !s.trim().is_empty() => s,
            Some(_) => {
                self.missing(cx, name, what);
                String::new()
            }
            None => {
                if !self.has(name) {
                    self.missing(cx, name, what);
                }
                String::new()
            }
        }
    }

    pub fn count(&mut self, cx: &mut Ctx, name: &str) -> Option<u32> {
        match self.take(name)? {
            Node::Int(i) if (0..=i64::from(u32::MAX)).contains(&i) => Some(i as u32),
            other => {
                self.wrong(cx, name, m::expect_count, &other);
                None
            }
        }
    }

    pub fn integer(&mut self, cx: &mut Ctx, name: &str) -> Option<i64> {
        match self.take(name)? {
            Node::Int(i) => Some(i),
            other => {
                self.wrong(cx, name, m::expect_integer, &other);
                None
            }
        }
    }

    pub fn amount(&mut self, cx: &mut Ctx, name: &str) -> Option<f64> {
        match self.take(name)? {
            Node::Int(i) if i >= 0 => Some(i as f64),
            Node::Float(f) if f >= 0.0 && f.is_finite() => Some(f),
            other => {
                self.wrong(cx, name, m::expect_amount, &other);
                None
            }
        }
    }

    pub fn boolean(&mut self, cx: &mut Ctx, name: &str) -> Option<bool> {
        match self.take(name)? {
            Node::Bool(b) => Some(b),
            other => {
                self.wrong(cx, name, m::expect_bool, &other);
                None
            }
        }
    }

    pub fn date(&mut self, cx: &mut Ctx, name: &str) -> Option<NaiveDate> {
        let text = self.text(cx, name)?;
        let d = parse_date(&text);
        if d.is_none() {
            let text = text.trim();
            let diag = match loose_date(text) {
                Some(date) => Diagnostic::new(
                    "invalid-date",
                    cx.file,
                    self.at(name),
                    m::date_form(name, text),
                )
                .hint(m::date_form_hint(name, date.to_string())),
                None => Diagnostic::new(
                    "invalid-date",
                    cx.file,
                    self.at(name),
                    m::invalid_date(name, text),
                )
                .hint(m::invalid_date_hint()),
            };
            cx.diags.push(diag);
        }
        d
    }

    pub fn required_date(&mut self, cx: &mut Ctx, name: &str) -> Option<NaiveDate> {
        if !self.has(name) {
            self.take(name);
            self.missing(cx, name, m::what_date());
            return None;
        }
        self.date(cx, name)
    }

    /// An enumerated value, by English key or Chinese label.
    pub fn choice<T: Choice>(&mut self, cx: &mut Ctx, name: &str) -> Option<T> {
        let text = self.text(cx, name)?;
        let t = text.trim();
        let found = T::ALL
            .iter()
            .find(|(_, k, l)| *k == t || *l == t)
            .map(|(v, _, _)| *v);
        if found.is_none() {
            let allowed: Vec<String> = T::ALL
                .iter()
                .map(|(_, k, l)| format!("{k} ({l})"))
                .collect();
            let keys: Vec<&str> = T::ALL.iter().map(|(_, k, _)| *k).collect();
            let hint = match did_you_mean(t, &keys) {
                Some(k) => m::did_you_mean_allowed(k, allowed.join(", ")),
                None => m::allowed(allowed.join(", ")),
            };
            cx.diags.push(
                Diagnostic::new(
                    "invalid-enum",
                    cx.file,
                    self.at(name),
                    m::invalid_enum(name, t),
                )
                .hint(hint),
            );
        }
        found
    }

    pub fn required_choice<T: Choice>(
        &mut self,
        cx: &mut Ctx,
        name: &str,
        what: Text,
    ) -> Option<T> {
        if !self.has(name) {
            self.take(name);
            self.missing(cx, name, what);
            return None;
        }
        self.choice(cx, name)
    }

    /// The elements of a list field (absent: empty).
    pub fn list(&mut self, cx: &mut Ctx, name: &str) -> Vec<Node<'a>> {
        match self.take(name) {
            None => Vec::new(),
            Some(Node::Seq(items)) => items,
            Some(other) => {
                self.wrong(cx, name, m::expect_list, &other);
                Vec::new()
            }
        }
    }

    /// A nested mapping, read with its own [`Fields`].
    pub fn mapping(&mut self, cx: &mut Ctx, name: &str) -> Option<Fields<'a>> {
        match self.take(name)? {
            Node::Map(entries) => {
                let mut p = self.path.clone();
                p.push(Seg::Key(name.to_string()));
                Some(Fields::new(entries, self.yaml, p))
            }
            other => {
                self.wrong(cx, name, m::expect_mapping, &other);
                None
            }
        }
    }

    /// A mapping that is an element of the list field `name`.
    pub fn element(
        &self,
        cx: &mut Ctx,
        name: &str,
        index: usize,
        node: Node<'a>,
    ) -> Option<Fields<'a>> {
        match node {
            Node::Map(entries) => {
                let mut p = self.path.clone();
                p.push(Seg::Key(name.to_string()));
                p.push(Seg::Index(index));
                Some(Fields::new(entries, self.yaml, p))
            }
            other => {
                cx.diags.push(
                    Diagnostic::new(
                        "wrong-type",
                        cx.file,
                        self.at_element(name, index),
                        m::element_not_mapping(name, other.describe()),
                    )
                    .hint(m::element_not_mapping_hint()),
                );
                None
            }
        }
    }

    /// Reports every field that no one read, with a suggestion from `known`. A misspelt
    /// required field is one problem: the unknown field, whose hint names the right one, and
    /// not also "missing".
    pub fn finish(self, cx: &mut Ctx, known: &[&str]) {
        let mut replaced = Vec::new();
        for (i, (key, _)) in self.entries.iter().enumerate() {
            if self.taken[i] {
                continue;
            }
            let suggestion = did_you_mean(key, known);
            if let Some(&(_, at)) = self
                .missing
                .iter()
                .find(|(k, _)| Some(k.as_str()) == suggestion)
            {
                replaced.push(at);
            }
            let hint = match suggestion {
                Some(s) => m::did_you_mean(s),
                None => m::fields_here(known.join(", ")),
            };
            cx.diags.push(
                Diagnostic::new(
                    "unknown-field",
                    cx.file,
                    self.at(key),
                    m::unknown_field(key),
                )
                .hint(hint),
            );
        }
        replaced.sort_unstable();
        replaced.dedup();
        for at in replaced.into_iter().rev() {
            if at < cx.diags.len() && cx.diags[at].code == "missing-field" {
                cx.diags.remove(at);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_id("i-2018-001"));
        assert!(is_valid_id("0a"));
        assert!(!is_valid_id("-a"));
        assert!(!is_valid_id("Tax"));
        assert!(!is_valid_id("a_b"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id(&"a".repeat(65)));
        assert!(is_valid_id(&"a".repeat(64)));
    }

    #[test]
    fn dates_must_exist_and_have_the_exact_form() {
        assert_eq!(
            parse_date("2018-02-28"),
            NaiveDate::from_ymd_opt(2018, 2, 28)
        );
        assert_eq!(
            parse_date("2016-02-29"),
            NaiveDate::from_ymd_opt(2016, 2, 29)
        );
        assert_eq!(parse_date("2018-02-29"), None);
        assert_eq!(parse_date("2018-02-30"), None);
        assert_eq!(parse_date("2018-04-31"), None);
        assert_eq!(parse_date("2018-13-01"), None);
        assert_eq!(parse_date("2018/03/01"), None);
        assert_eq!(parse_date("2018-3-1"), None);
        assert_eq!(parse_date("2018-03-01 "), None);
        assert_eq!(parse_date("１０１８-03-01"), None);
    }

    #[test]
    fn dates_in_other_forms_are_understood_for_the_hint() {
        let d = NaiveDate::from_ymd_opt(2018, 10, 1);
        for s in [
            "2018年10月1日",
            "2018/10/1",
            "2018.10.1",
            "2018-10-1",
            "２０１８年１０月１日",
            "2018年10月01号",
        ] {
            assert_eq!(loose_date(s), d, "{s}");
        }
        assert_eq!(loose_date("2018年2月30日"), None);
        assert_eq!(loose_date("十月一日"), None);
        assert_eq!(loose_date("18/10/1"), None);
        assert_eq!(loose_date("2018-10-1-2"), None);
    }
}
