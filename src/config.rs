//! `site.toml`: the site's settings, read with every problem reported at its line.
//!
//! The file is walked as a spanned TOML tree rather than deserialised into a struct, so that
//! every unknown key and every bad value of one run is reported, each at its own line.

use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{At, Diagnostic, did_you_mean};
use crate::i18n::Text;
use crate::messages as m;
use crate::syntax::{is_valid_id, parse_date};

pub const FILE: &str = "site.toml";

pub use crate::i18n::Language;

impl Language {
    /// The language of messages for the site under `root`: `explicit` (`--lang`), else
    /// `SHIJI_LANG`, else site.toml's `language` (read leniently, so that a broken site.toml
    /// still gives its language), else zh-CN.
    pub fn for_site(root: &Path, explicit: Option<Language>) -> Language {
        explicit
            .or_else(Language::from_env)
            .or_else(|| {
                let text = std::fs::read_to_string(root.join(FILE)).ok()?;
                language_line(&text)
            })
            .unwrap_or_default()
    }
}

/// The value of a top-level `language = "…"` line, found without parsing the TOML.
fn language_line(text: &str) -> Option<Language> {
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            return None;
        }
        if let Some(rest) = line.strip_prefix("language")
            && let Some(value) = rest.trim_start().strip_prefix('=')
        {
            let value = value.split('#').next().unwrap_or("").trim();
            return Language::parse(value.trim_matches(['"', '\'']));
        }
    }
    None
}

/// The path part of a base URL, always starting and ending with `/`.
pub fn base_path(base_url: &str) -> String {
    let rest = match base_url.split_once("://") {
        Some((_, after)) => after.find('/').map_or("/", |i| &after[i..]),
        None => base_url,
    };
    let path = rest.split(['?', '#']).next().unwrap_or("/");
    let mut p = String::from("/");
    p.push_str(path.trim_matches('/'));
    if !p.ends_with('/') {
        p.push('/');
    }
    p
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

/// The community notice sheet's settings (`[notice]`): its publication period (公示期), the
/// number residents call to object (监督电话) and who issues it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub period: NoticePeriod,
    /// 监督电话, for every sheet; a community without it shows its own phone.
    pub phone: Option<String>,
    /// 发布单位, signing every sheet; without it each sheet is signed by its community.
    pub issuer: Option<String>,
}

/// 公示期: a number of days from the as-of date, or dates of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticePeriod {
    /// Days counted from the as-of date, that day included.
    Days(u32),
    /// First and last day, both included.
    Dates(NaiveDate, NaiveDate),
}

impl Default for Notice {
    fn default() -> Notice {
        Notice {
            period: NoticePeriod::Days(DEFAULT_NOTICE_DAYS),
            phone: None,
            issuer: None,
        }
    }
}

/// A week, the usual 公示期 of a community notice.
pub const DEFAULT_NOTICE_DAYS: u32 = 7;

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub base_url: String,
    pub language: Language,
    pub theme: String,
    /// The date written in site.toml, if any; see `site::as_of_date` for the rule.
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
    pub notice: Notice,
    /// Whom the accessibility statement names for problems with the site (`[accessibility]`).
    pub accessibility_contact: Option<String>,
}

pub const TOP_KEYS: &[&str] = &[
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
    "notice",
    "accessibility",
];
pub const PORTAL_KEYS: &[&str] = &[
    "site_name",
    "site_domain",
    "site_code",
    "column",
    "sponsor",
    "icp",
    "police",
];
pub const NOTICE_KEYS: &[&str] = &["days", "start", "end", "phone", "issuer"];
pub const ACCESSIBILITY_KEYS: &[&str] = &["contact"];
pub const CATEGORY_KEYS: &[&str] = &["slug", "name"];
pub const PRIVACY_KEYS: &[&str] = &["mask_names", "allow"];
pub const SEARCH_KEYS: &[&str] = &["enabled"];
pub const PHOTOS_KEYS: &[&str] = &["publish_originals"];

/// Reads `site.toml` under `root`. On failure, every problem found.
pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join(FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            return Err(vec![
                Diagnostic::new(
                    "config-missing",
                    FILE,
                    At::File,
                    m::config_missing(e.to_string()),
                )
                .hint(m::config_missing_hint()),
            ]);
        }
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(vec![
            Diagnostic::new(
                "not-utf8",
                FILE,
                At::Pos { line: 1, column: 1 },
                m::config_not_utf8(),
            )
            .hint(m::config_not_utf8_hint()),
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
                    m::config_syntax(e.message().trim().to_string()),
                )
                .hint(m::config_doc_hint()),
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
            m::config_bad_base_url(url),
            m::config_base_url_hint(),
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
                    m::config_bad_language(&l),
                    m::config_language_hint(),
                );
                Language::ZhCn
            }
        },
        _ => Language::ZhCn,
    };
    let theme = r
        .string(&table, "theme", false)
        .unwrap_or_else(|| "default".to_string());
    let as_of = r.date(&table, "as_of", "as_of");
    let minify = r.boolean(&table, "minify").unwrap_or(true);
    let items_per_page = match (
        r.integer(&table, "items_per_page"),
        table.get("items_per_page"),
    ) {
        (Some(n), Some(v)) if !(1..=10_000).contains(&n) => {
            r.error(
                "config-invalid",
                v.span(),
                m::config_items_per_page(n),
                m::config_items_per_page_hint(),
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

    let notice = match r.table(&table, "notice") {
        Some(t) => r.notice(t),
        None => Notice::default(),
    };
    let accessibility_contact = r.table(&table, "accessibility").and_then(|t| {
        r.unknown_keys(t, ACCESSIBILITY_KEYS, "accessibility.");
        r.string(t, "contact", false)
    });
    // The site's own text (title, [portal], category names) is published on every page.
    r.errors
        .extend(crate::diagnostics::personal::problems_in_text(
            FILE,
            text,
            &privacy_allow,
        ));
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
        notice,
        accessibility_contact,
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

    fn error(&mut self, code: &'static str, span: Range<usize>, message: Text, hint: Text) {
        let at = self.at(span);
        self.errors
            .push(Diagnostic::new(code, FILE, at, message).hint(hint));
    }

    fn unknown_keys(&mut self, table: &Table, known: &[&str], prefix: &str) {
        for key in table.keys() {
            let name: &str = key.get_ref();
            if !known.contains(&name) {
                let hint = match did_you_mean(name, known) {
                    Some(s) => m::did_you_mean(&format!("{prefix}{s}")),
                    None => m::config_known_keys(known.join(", ")),
                };
                self.error(
                    "config-unknown-key",
                    key.span(),
                    m::config_unknown_key(format!("{prefix}{name}")),
                    hint,
                );
            }
        }
    }

    fn wrong_type(&mut self, v: &Spanned<DeValue>, name: &str, expected: Text) {
        self.error(
            "config-invalid",
            v.span(),
            m::config_wrong_type(name, expected, v.get_ref().type_str()),
            m::config_doc_hint(),
        );
    }

    fn string(&mut self, t: &Table, name: &str, required: bool) -> Option<String> {
        match t.get(name) {
            None if required => {
                self.error(
                    "config-invalid",
                    0..0,
                    m::config_needs(name),
                    m::config_needs_hint(name),
                );
                None
            }
            None => None,
            Some(v) => match v.get_ref().as_str() {
                Some(s) if s.trim().is_empty() && required => {
                    self.error(
                        "config-invalid",
                        v.span(),
                        m::config_empty(name),
                        m::config_empty_hint(),
                    );
                    None
                }
                Some(s) => Some(s.to_string()),
                None => {
                    self.wrong_type(v, name, m::expect_string());
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
                self.wrong_type(v, name, m::expect_date_string());
                None
            }
        }
    }

    fn boolean(&mut self, t: &Table, name: &str) -> Option<bool> {
        let v = t.get(name)?;
        let b = v.get_ref().as_bool();
        if b.is_none() {
            self.wrong_type(v, name, m::expect_bool());
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
            self.wrong_type(v, name, m::expect_integer());
        }
        n
    }

    fn table<'a, 'i>(&mut self, t: &'a Table<'i>, name: &str) -> Option<&'a Table<'i>> {
        let v = t.get(name)?;
        let table = v.get_ref().as_table();
        if table.is_none() {
            self.wrong_type(v, name, m::expect_table());
        }
        table
    }

    fn string_list(&mut self, t: &Table, name: &str) -> Vec<String> {
        let Some(v) = t.get(name) else {
            return Vec::new();
        };
        let Some(items) = v.get_ref().as_array() else {
            self.wrong_type(v, name, m::expect_string_list());
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref().as_str() {
                Some(s) => out.push(s.to_string()),
                None => self.wrong_type(item, name, m::expect_string_list()),
            }
        }
        out
    }

    /// `[notice]`: a period in days or as two dates (not both), the phone and the issuer.
    fn notice(&mut self, t: &Table) -> Notice {
        self.unknown_keys(t, NOTICE_KEYS, "notice.");
        let days = match (self.integer(t, "days"), t.get("days")) {
            (Some(n), Some(v)) if !(1..=366).contains(&n) => {
                self.error(
                    "config-invalid",
                    v.span(),
                    m::config_notice_days(n),
                    m::config_notice_days_hint(),
                );
                None
            }
            (Some(n), _) => Some(n as u32),
            _ => None,
        };
        let start = self.date(t, "start", "notice.start");
        let end = self.date(t, "end", "notice.end");
        let period = match (days, start, end) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                let span = t.get("days").map_or(0..0, |v| v.span());
                self.error(
                    "config-invalid",
                    span,
                    m::config_notice_both(),
                    m::config_notice_both_hint(),
                );
                NoticePeriod::Days(DEFAULT_NOTICE_DAYS)
            }
            (_, Some(s), Some(e)) if e < s => {
                let span = t.get("end").map_or(0..0, |v| v.span());
                self.error(
                    "config-invalid",
                    span,
                    m::config_notice_end_before(&e.to_string(), &s.to_string()),
                    m::config_notice_end_before_hint(),
                );
                NoticePeriod::Days(DEFAULT_NOTICE_DAYS)
            }
            (_, Some(s), Some(e)) => NoticePeriod::Dates(s, e),
            (_, Some(_), None) | (_, None, Some(_)) => {
                let key = if start.is_some() { "start" } else { "end" };
                let span = t.get(key).map_or(0..0, |v| v.span());
                self.error(
                    "config-invalid",
                    span,
                    m::config_notice_half(key),
                    m::config_notice_half_hint(),
                );
                NoticePeriod::Days(DEFAULT_NOTICE_DAYS)
            }
            (days, None, None) => NoticePeriod::Days(days.unwrap_or(DEFAULT_NOTICE_DAYS)),
        };
        Notice {
            period,
            phone: self.string(t, "phone", false),
            issuer: self.string(t, "issuer", false),
        }
    }

    /// A date key of a table; `name` is how the error names it.
    fn date(&mut self, t: &Table, key: &str, name: &str) -> Option<NaiveDate> {
        let s = self.string_or_date(t, key)?;
        let d = parse_date(&s);
        if d.is_none() {
            let span = t.get(key).map_or(0..0, |v| v.span());
            self.error(
                "config-invalid",
                span,
                m::config_bad_date(name, &s),
                m::config_date_hint(),
            );
        }
        d
    }

    /// Refuses a personal number in the value of `key` (`table.key`), as in content files.
    fn categories(&mut self, t: &Table) -> Vec<Category> {
        let Some(v) = t.get("categories") else {
            return Vec::new();
        };
        let Some(items) = v.get_ref().as_array() else {
            self.wrong_type(v, "categories", m::expect_category_tables());
            return Vec::new();
        };
        let mut out: Vec<Category> = Vec::new();
        for item in items.iter() {
            let Some(ct) = item.get_ref().as_table() else {
                self.wrong_type(item, "categories", m::expect_category_tables());
                continue;
            };
            self.unknown_keys(ct, CATEGORY_KEYS, "categories.");
            let slug = self.string(ct, "slug", false);
            let name = self.string(ct, "name", false);
            let (Some(slug), Some(name)) = (slug, name) else {
                self.error(
                    "config-invalid",
                    item.span(),
                    m::category_incomplete(),
                    m::category_incomplete_hint(),
                );
                continue;
            };
            let slug_span = ct.get("slug").map_or(item.span(), |s| s.span());
            if !is_valid_id(&slug) {
                self.error(
                    "config-invalid",
                    slug_span.clone(),
                    m::category_bad_slug(&slug),
                    m::category_bad_slug_hint(),
                );
            }
            if out.iter().any(|c| c.slug == slug) {
                self.error(
                    "config-invalid",
                    slug_span,
                    m::category_slug_twice(&slug),
                    m::category_slug_twice_hint(),
                );
            } else if out.iter().any(|c| c.name == name) {
                let span = ct.get("name").map_or(item.span(), |s| s.span());
                self.error(
                    "config-invalid",
                    span,
                    m::category_name_twice(&name),
                    m::category_name_twice_hint(),
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

    #[test]
    fn base_paths() {
        assert_eq!(
            base_path("https://www.example.gov.cn/jcdj/shiji/"),
            "/jcdj/shiji/"
        );
        assert_eq!(
            base_path("https://www.example.gov.cn/jcdj/shiji"),
            "/jcdj/shiji/"
        );
        assert_eq!(base_path("https://www.example.gov.cn"), "/");
        assert_eq!(base_path("https://x.cn/"), "/");
        assert_eq!(base_path("/sub/"), "/sub/");
        assert_eq!(base_path("http://localhost:1111/"), "/");
    }

    #[test]
    fn a_broken_site_toml_still_gives_its_language() {
        assert_eq!(
            language_line("title = \"x\nlanguage = \"en\" # comment\n[portal\n"),
            Some(Language::En)
        );
        assert_eq!(language_line("[portal]\nlanguage = \"en\"\n"), None);
        assert_eq!(language_line("title = 1\n"), None);
    }

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
        assert!(e[0].hint.as_ref().unwrap().en.contains("`title`"));
    }

    const HEAD: &str = "title = \"t\"\nbase_url = \"https://x.cn/\"\n";

    #[test]
    fn the_notice_period_is_a_week_unless_set() {
        let c = parse(HEAD).unwrap();
        assert_eq!(c.notice, Notice::default());
        assert_eq!(c.notice.period, NoticePeriod::Days(7));
        let c = parse(&format!("{HEAD}[notice]\ndays = 10\nphone = \"0839-3266000\"\nissuer = \"南街街道办事处\"\n[accessibility]\ncontact = \"0839-12345\"\n")).unwrap();
        assert_eq!(c.notice.period, NoticePeriod::Days(10));
        assert_eq!(c.notice.phone.as_deref(), Some("0839-3266000"));
        assert_eq!(c.notice.issuer.as_deref(), Some("南街街道办事处"));
        assert_eq!(c.accessibility_contact.as_deref(), Some("0839-12345"));
        let c = parse(&format!(
            "{HEAD}[notice]\nstart = 2018-10-24\nend = \"2018-10-31\"\n"
        ))
        .unwrap();
        let d = |day| NaiveDate::from_ymd_opt(2018, 10, day).unwrap();
        assert_eq!(c.notice.period, NoticePeriod::Dates(d(24), d(31)));
    }

    #[test]
    fn a_wrong_notice_table_is_reported_at_its_lines() {
        let e = parse(&format!(
            "{HEAD}[notice]\ndays = 0\nphon = \"1\"\nstart = 2018-10-24\n[accessibility]\ncontact = \"13812345678\"\n"
        ))
        .unwrap_err();
        assert_eq!(
            lines(&e),
            vec![
                ("config-unknown-key", 5),
                ("config-invalid", 4),
                ("config-invalid", 6),
                ("phone-number", 8)
            ]
        );
        assert!(
            e[0].hint
                .as_deref()
                .unwrap()
                .get(crate::i18n::Language::En)
                .contains("`notice.phone`")
        );
        let e = parse(&format!(
            "{HEAD}[notice]\ndays = 5\nstart = 2018-10-24\nend = 2018-10-20\n"
        ))
        .unwrap_err();
        assert_eq!(lines(&e), vec![("config-invalid", 4)]);
        let e = parse(&format!(
            "{HEAD}[notice]\nstart = 2018-10-24\nend = 2018-10-20\n"
        ))
        .unwrap_err();
        assert_eq!(lines(&e), vec![("config-invalid", 5)]);
        // A number listed as public is printed.
        let c = parse(&format!(
            "{HEAD}[notice]\nphone = \"13812345678\"\n[privacy]\nallow = [\"13812345678\"]\n"
        ))
        .unwrap();
        assert_eq!(c.notice.phone.as_deref(), Some("13812345678"));
    }
}
