//! `site.toml`: the site's settings, read with every problem reported at its line.
//!
//! The file is walked as a spanned TOML tree rather than deserialised into a struct, so that
//! every unknown key and every bad value of one run is reported, each at its own line.

use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::content::fields::{is_valid_id, parse_date};
use crate::diagnostics::{At, Diagnostic, did_you_mean};

pub const FILE: &str = "site.toml";

/// The UI language of the theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
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
}

/// A category of items: `slug` is its URL part, `name` its Chinese label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub slug: String,
    pub name: String,
}

/// What Chinese government portal pages carry in their meta tags and footer (`[portal]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Portal {
    /// 网站名称, meta `SiteName`.
    pub site_name: Option<String>,
    /// 网站域名, meta `SiteDomain`.
    pub site_domain: Option<String>,
    /// 网站标识码, meta `SiteIDCode`.
    pub site_code: Option<String>,
    /// 栏目名称, meta `ColumnName`.
    pub column: Option<String>,
    /// 主办单位.
    pub sponsor: Option<String>,
    /// ICP 备案号.
    pub icp: Option<String>,
    /// 公安机关备案号.
    pub police: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub base_url: String,
    pub language: Language,
    pub theme: String,
    /// The date written in site.toml, if any; see [`crate::site::as_of_date`] for the rule.
    pub as_of: Option<NaiveDate>,
    pub minify: bool,
    pub items_per_page: u32,
    pub categories: Vec<Category>,
    pub mask_names: bool,
    /// Exact strings exempt from the personal-data check (public hotlines and the like).
    pub privacy_allow: Vec<String>,
    pub search_enabled: bool,
    /// `[photos] publish_originals`: publish each photo's original file beside its resized,
    /// stripped copies (off by default: originals carry GPS positions and weigh megabytes).
    pub publish_originals: bool,
    pub portal: Option<Portal>,
}

const TOP_KEYS: &[&str] = &[
    "title",
    "base_url",
    "language",
    "theme",
    "as_of",
    "minify",
    "items_per_page",
    "categories",
    "privacy",
    "search",
    "photos",
    "portal",
];
const PORTAL_KEYS: &[&str] = &[
    "site_name",
    "site_domain",
    "site_code",
    "column",
    "sponsor",
    "icp",
    "police",
];
const CATEGORY_KEYS: &[&str] = &["slug", "name"];
const PRIVACY_KEYS: &[&str] = &["mask_names", "allow"];
const SEARCH_KEYS: &[&str] = &["enabled"];
const PHOTOS_KEYS: &[&str] = &["publish_originals"];

/// Reads `site.toml` under `root`. On failure, every problem found.
pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join(FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            return Err(vec![
                Diagnostic::new("config-missing", FILE, At::File, format!("cannot read site.toml: {e}"))
                    .hint("run shiji in the site's folder or pass --root; `shiji new DIR` makes a new site"),
            ]);
        }
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(vec![
            Diagnostic::new(
                "not-utf8",
                FILE,
                At::Pos { line: 1, column: 1 },
                "site.toml is not UTF-8",
            )
            .hint("save the file as UTF-8"),
        ]);
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    parse(text)
}

/// Parses the text of a site.toml.
pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
    let mut r = Reader {
        text,
        errors: Vec::new(),
    };
    let table = match DeTable::parse(text) {
        Ok(t) => t.into_inner(),
        Err(e) => {
            let at = r.at(e.span().unwrap_or(0..0));
            return Err(vec![
                Diagnostic::new(
                    "config-syntax",
                    FILE,
                    at,
                    format!("site.toml is not valid TOML: {}", e.message().trim()),
                )
                .hint("see the site.toml section of the documentation for its form"),
            ]);
        }
    };
    r.unknown_keys(&table, TOP_KEYS, "");

    let title = r.string(&table, "title", true).unwrap_or_default();
    let base_url = r
        .string(&table, "base_url", true)
        .map(|u| normalise_base_url(&u));
    if let (Some(url), Some(v)) = (&base_url, table.get("base_url"))
        && !(url.starts_with("http://") || url.starts_with("https://") || url.starts_with('/'))
    {
        r.error(
            "config-invalid",
            v.span(),
            format!("base_url `{url}` is not an http(s) URL or a path starting with /"),
            "e.g. base_url = \"https://www.example.gov.cn/jcdj/shiji/\"",
        );
    }
    let language = match (r.string(&table, "language", false), table.get("language")) {
        (Some(l), Some(v)) => match l.as_str() {
            "zh-CN" => Language::ZhCn,
            "en" => Language::En,
            _ => {
                r.error(
                    "config-invalid",
                    v.span(),
                    format!("language `{l}` is not one the theme has"),
                    "use \"zh-CN\" or \"en\"",
                );
                Language::ZhCn
            }
        },
        _ => Language::ZhCn,
    };
    let theme = r
        .string(&table, "theme", false)
        .unwrap_or_else(|| "default".to_string());
    let as_of = match (r.string_or_date(&table, "as_of"), table.get("as_of")) {
        (Some(s), Some(v)) => {
            let d = parse_date(&s);
            if d.is_none() {
                r.error(
                    "config-invalid",
                    v.span(),
                    format!("as_of `{s}` is not a real date in the form YYYY-MM-DD"),
                    "e.g. as_of = \"2018-10-24\"",
                );
            }
            d
        }
        _ => None,
    };
    let minify = r.boolean(&table, "minify").unwrap_or(true);
    let items_per_page = match (
        r.integer(&table, "items_per_page"),
        table.get("items_per_page"),
    ) {
        (Some(n), Some(v)) if !(1..=10_000).contains(&n) => {
            r.error(
                "config-invalid",
                v.span(),
                format!("items_per_page {n} is out of range"),
                "use a number from 1 to 10000",
            );
            50
        }
        (Some(n), _) => n as u32,
        _ => 50,
    };
    let categories = r.categories(&table);

    let (mut mask_names, mut privacy_allow) = (true, Vec::new());
    if let Some(t) = r.table(&table, "privacy") {
        r.unknown_keys(t, PRIVACY_KEYS, "privacy.");
        mask_names = r.boolean(t, "mask_names").unwrap_or(true);
        privacy_allow = r.string_list(t, "allow");
    }
    let mut search_enabled = true;
    if let Some(t) = r.table(&table, "search") {
        r.unknown_keys(t, SEARCH_KEYS, "search.");
        search_enabled = r.boolean(t, "enabled").unwrap_or(true);
    }

    let mut publish_originals = false;
    if let Some(t) = r.table(&table, "photos") {
        r.unknown_keys(t, PHOTOS_KEYS, "photos.");
        publish_originals = r.boolean(t, "publish_originals").unwrap_or(false);
    }

    let portal = r.table(&table, "portal").map(|t| {
        r.unknown_keys(t, PORTAL_KEYS, "portal.");
        Portal {
            site_name: r.string(t, "site_name", false),
            site_domain: r.string(t, "site_domain", false),
            site_code: r.string(t, "site_code", false),
            column: r.string(t, "column", false),
            sponsor: r.string(t, "sponsor", false),
            icp: r.string(t, "icp", false),
            police: r.string(t, "police", false),
        }
    });

    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    Ok(Config {
        title,
        base_url: base_url.unwrap_or_default(),
        language,
        theme,
        as_of,
        minify,
        items_per_page,
        categories,
        mask_names,
        privacy_allow,
        search_enabled,
        publish_originals,
        portal,
    })
}

/// A base URL always ends with `/`, so that page URLs can be appended to it.
fn normalise_base_url(url: &str) -> String {
    let url = url.trim();
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// Walks the spanned tree, collecting errors.
struct Reader<'t> {
    text: &'t str,
    errors: Vec<Diagnostic>,
}

type Table<'i> = DeTable<'i>;

impl Reader<'_> {
    fn at(&self, span: Range<usize>) -> At {
        let start = span.start.min(self.text.len());
        let before = &self.text[..start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        At::Pos { line, column }
    }

    fn error(&mut self, code: &'static str, span: Range<usize>, message: String, hint: &str) {
        let at = self.at(span);
        self.errors
            .push(Diagnostic::new(code, FILE, at, message).hint(hint));
    }

    fn unknown_keys(&mut self, table: &Table, known: &[&str], prefix: &str) {
        for key in table.keys() {
            let name: &str = key.get_ref();
            if !known.contains(&name) {
                let hint = match did_you_mean(name, known) {
                    Some(s) => format!("did you mean `{prefix}{s}`?"),
                    None => format!("known keys here: {}", known.join(", ")),
                };
                self.error(
                    "config-unknown-key",
                    key.span(),
                    format!("unknown key `{prefix}{name}` in site.toml"),
                    &hint,
                );
            }
        }
    }

    fn wrong_type(&mut self, v: &Spanned<DeValue>, name: &str, expected: &str) {
        self.error(
            "config-invalid",
            v.span(),
            format!(
                "`{name}` must be {expected}, not {}",
                v.get_ref().type_str()
            ),
            "see the site.toml section of the documentation",
        );
    }

    fn string(&mut self, t: &Table, name: &str, required: bool) -> Option<String> {
        match t.get(name) {
            None if required => {
                self.error(
                    "config-invalid",
                    0..0,
                    format!("site.toml needs `{name}`"),
                    &format!("add a line `{name} = \"...\"`"),
                );
                None
            }
            None => None,
            Some(v) => match v.get_ref().as_str() {
                Some(s) if s.trim().is_empty() && required => {
                    self.error(
                        "config-invalid",
                        v.span(),
                        format!("`{name}` is empty"),
                        "write a value between the quotes",
                    );
                    None
                }
                Some(s) => Some(s.to_string()),
                None => {
                    self.wrong_type(v, name, "a string");
                    None
                }
            },
        }
    }

    /// A date may be written as a TOML date or a string.
    fn string_or_date(&mut self, t: &Table, name: &str) -> Option<String> {
        let v = t.get(name)?;
        match v.get_ref() {
            DeValue::Datetime(d) => Some(d.to_string()),
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.wrong_type(v, name, "a date such as \"2018-10-24\"");
                None
            }
        }
    }

    fn boolean(&mut self, t: &Table, name: &str) -> Option<bool> {
        let v = t.get(name)?;
        let b = v.get_ref().as_bool();
        if b.is_none() {
            self.wrong_type(v, name, "true or false");
        }
        b
    }

    fn integer(&mut self, t: &Table, name: &str) -> Option<i64> {
        let v = t.get(name)?;
        let n = v
            .get_ref()
            .as_integer()
            .and_then(|i| i64::from_str_radix(i.as_str(), i.radix()).ok());
        if n.is_none() {
            self.wrong_type(v, name, "a whole number");
        }
        n
    }

    fn table<'a, 'i>(&mut self, t: &'a Table<'i>, name: &str) -> Option<&'a Table<'i>> {
        let v = t.get(name)?;
        let table = v.get_ref().as_table();
        if table.is_none() {
            self.wrong_type(v, name, "a table");
        }
        table
    }

    fn string_list(&mut self, t: &Table, name: &str) -> Vec<String> {
        let Some(v) = t.get(name) else {
            return Vec::new();
        };
        let Some(items) = v.get_ref().as_array() else {
            self.wrong_type(v, name, "a list of strings");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref().as_str() {
                Some(s) => out.push(s.to_string()),
                None => self.wrong_type(item, name, "a list of strings"),
            }
        }
        out
    }

    fn categories(&mut self, t: &Table) -> Vec<Category> {
        let Some(v) = t.get("categories") else {
            return Vec::new();
        };
        let Some(items) = v.get_ref().as_array() else {
            self.wrong_type(v, "categories", "a list of [[categories]] tables");
            return Vec::new();
        };
        let mut out: Vec<Category> = Vec::new();
        for item in items.iter() {
            let Some(ct) = item.get_ref().as_table() else {
                self.wrong_type(item, "categories", "a list of [[categories]] tables");
                continue;
            };
            self.unknown_keys(ct, CATEGORY_KEYS, "categories.");
            let slug = self.string(ct, "slug", false);
            let name = self.string(ct, "name", false);
            let (Some(slug), Some(name)) = (slug, name) else {
                self.error(
                    "config-invalid",
                    item.span(),
                    "a category needs both `slug` and `name`".into(),
                    "e.g. [[categories]] slug = \"repair\" name = \"水电维修\"",
                );
                continue;
            };
            let slug_span = ct.get("slug").map_or(item.span(), |s| s.span());
            if !is_valid_id(&slug) {
                self.error(
                    "config-invalid",
                    slug_span.clone(),
                    format!("category slug `{slug}` is not a valid id"),
                    "use lower-case letters, digits and `-`, starting with a letter or digit",
                );
            }
            if out.iter().any(|c| c.slug == slug) {
                self.error(
                    "config-invalid",
                    slug_span,
                    format!("category slug `{slug}` is used twice"),
                    "give each category its own slug",
                );
            } else if out.iter().any(|c| c.name == name) {
                let span = ct.get("name").map_or(item.span(), |s| s.span());
                self.error(
                    "config-invalid",
                    span,
                    format!("category name `{name}` is used twice"),
                    "give each category its own name",
                );
            }
            out.push(Category { slug, name });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(errors: &[Diagnostic]) -> Vec<(&'static str, usize)> {
        errors
            .iter()
            .map(|d| match d.at {
                At::Pos { line, .. } => (d.code, line),
                _ => (d.code, 0),
            })
            .collect()
    }

    #[test]
    fn a_full_config_reads() {
        let c = parse(
            "title = \"t\"\nbase_url = \"https://x.cn/a\"\nlanguage = \"en\"\nas_of = 2018-10-24\n\
             [[categories]]\nslug = \"repair\"\nname = \"水电维修\"\n[privacy]\nallow = [\"0839-1\"]\n",
        )
        .unwrap();
        assert_eq!(c.base_url, "https://x.cn/a/");
        assert_eq!(c.language, Language::En);
        assert_eq!(c.as_of, NaiveDate::from_ymd_opt(2018, 10, 24));
        assert_eq!(c.categories.len(), 1);
        assert_eq!(c.privacy_allow, vec!["0839-1".to_string()]);
        assert!(c.mask_names && c.search_enabled && c.minify);
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let e = parse(
            "title = \"t\"\nbase_url = \"https://x.cn/\"\ntitel = 1\nas_of = \"2018-02-30\"\n\
             [privacy]\nmask = false\n",
        )
        .unwrap_err();
        assert_eq!(
            lines(&e),
            vec![
                ("config-unknown-key", 3),
                ("config-invalid", 4),
                ("config-unknown-key", 6)
            ]
        );
        assert!(e[0].hint.as_deref().unwrap().contains("`title`"));
    }
}
