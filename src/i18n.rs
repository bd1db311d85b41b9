//! The editor's language: which one a run speaks, and text held in both.
//!
//! Diagnostics are made deep in the loaders, before (or without) a readable `site.toml`, so a
//! message is made in both languages at once ([`Text`]) and one is picked when the report is
//! printed. Only problems pay for this: the happy path makes no message at all. The messages
//! themselves are in the `messages` catalogue.

use std::borrow::Cow;

/// A language of the site's pages and of shiji's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// Simplified Chinese: the default, since editors and residents are Chinese-speaking.
    #[default]
    ZhCn,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        }
    }

    /// `zh-CN` (also `zh`, `zh_CN`, any case) or `en` (also `en-US`…); anything else is `None`.
    pub fn parse(s: &str) -> Option<Language> {
        let s = s.trim().to_ascii_lowercase().replace('_', "-");
        let base = s.split(['-', '.']).next().unwrap_or("");
        match base {
            "zh" => Some(Language::ZhCn),
            "en" => Some(Language::En),
            _ => None,
        }
    }

    /// `SHIJI_LANG`, when set to a language shiji speaks.
    pub fn from_env() -> Option<Language> {
        std::env::var("SHIJI_LANG")
            .ok()
            .and_then(|v| Language::parse(&v))
    }
}

/// A message in both languages.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn get(&self, lang: Language) -> &str {
        match lang {
            Language::ZhCn => &self.zh,
            Language::En => &self.en,
        }
    }
}

/// A value put into a message: the same in both languages (a key, a number, a path) or
/// worded in each ([`Text`], [`Count`]).
pub trait Part {
    fn en(&self) -> Cow<'_, str>;
    fn zh(&self) -> Cow<'_, str>;
}

impl Part for str {
    fn en(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
    fn zh(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl Part for String {
    fn en(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
    fn zh(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl<T: Part + ?Sized> Part for &T {
    fn en(&self) -> Cow<'_, str> {
        (**self).en()
    }
    fn zh(&self) -> Cow<'_, str> {
        (**self).zh()
    }
}

macro_rules! same_in_both {
    ($($t:ty),*) => {$(
        impl Part for $t {
            fn en(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
            fn zh(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}
same_in_both!(usize, u32, i64, f64, chrono::NaiveDate);

impl Part for Text {
    fn en(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.en)
    }
    fn zh(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.zh)
    }
}

/// A number of things, read naturally in each language: "1 problem", "2 problems", "2 个问题".
#[derive(Debug, Clone, Copy)]
pub struct Count {
    pub n: usize,
    pub one: &'static str,
    pub many: &'static str,
    /// The Chinese measure word and noun, e.g. `个问题`.
    pub zh: &'static str,
}

impl Part for Count {
    fn en(&self) -> Cow<'_, str> {
        let noun = if self.n == 1 { self.one } else { self.many };
        Cow::Owned(format!("{} {noun}", self.n))
    }
    fn zh(&self) -> Cow<'_, str> {
        Cow::Owned(format!("{} {}", self.n, self.zh))
    }
}

/// Several parts joined into one, with the separator of each language (`, ` and `、`).
pub fn join<T: Part>(parts: &[T]) -> Text {
    Text {
        en: parts.iter().map(|p| p.en()).collect::<Vec<_>>().join(", "),
        zh: parts.iter().map(|p| p.zh()).collect::<Vec<_>>().join("、"),
    }
}

/// Defines the catalogue: for each message a function of its arguments returning a [`Text`],
/// and `messages::ENTRIES` listing every (name, English, Chinese) for the tests.
/// An argument that a template leaves out is a compile error (`format!`'s unused argument),
/// and so is a message without both languages.
macro_rules! catalogue {
    ($( $(#[$doc:meta])* $name:ident ( $($arg:ident : $ty:ty),* ) en: $en:literal, zh: $zh:literal; )*) => {
        $(
            $(#[$doc])*
            pub fn $name($($arg: $ty),*) -> $crate::i18n::Text {
                #[allow(unused_imports)]
                use $crate::i18n::Part as _;
                $crate::i18n::Text {
                    en: format!($en $(, $arg = $arg.en())*),
                    zh: format!($zh $(, $arg = $arg.zh())*),
                }
            }
        )*
        /// Every message: its name, English and Chinese templates.
        pub const ENTRIES: &[(&str, &str, &str)] = &[$((stringify!($name), $en, $zh)),*];
    };
}
pub(crate) use catalogue;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_read_leniently() {
        assert_eq!(Language::parse("zh-CN"), Some(Language::ZhCn));
        assert_eq!(Language::parse("zh_CN.UTF-8"), Some(Language::ZhCn));
        assert_eq!(Language::parse("EN"), Some(Language::En));
        assert_eq!(Language::parse("en_US.UTF-8"), Some(Language::En));
        assert_eq!(Language::parse("C.UTF-8"), None);
        assert_eq!(Language::parse("fr"), None);
    }

    #[test]
    fn counts_read_naturally() {
        let c = |n| Count {
            n,
            one: "problem",
            many: "problems",
            zh: "个问题",
        };
        assert_eq!(c(1).en(), "1 problem");
        assert_eq!(c(2).en(), "2 problems");
        assert_eq!(c(0).en(), "0 problems");
        assert_eq!(c(2).zh(), "2 个问题");
    }
}
