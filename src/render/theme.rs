//! The theme: templates, static files and UI strings, from the built-in default theme, a
//! site's own `themes/<name>/`, and the site's `templates/` overrides.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::Dir;

use crate::builtin_theme::{BUILT_IN, DEFAULT_THEME};
use crate::config::Config;
use crate::diagnostics::{At, Diagnostic};
use crate::messages as m;

/// A file of the theme: its name, where it came from (for error messages), and its bytes.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Name inside its folder (`item.html`, `style.css`, `img/logo.svg`).
    pub name: String,
    /// Path relative to the site root, or `(built-in theme)/…`.
    pub origin: String,
    pub bytes: Vec<u8>,
}

/// The theme's script of the search page (a static file of the theme, loaded by
/// `search.html`); left out of the output when `[search] enabled = false`.
const SEARCH_SCRIPT: &str = "search.js";

/// Everything the renderer needs from the theme.
#[derive(Debug)]
pub struct Theme {
    pub templates: Vec<ThemeFile>,
    pub statics: Vec<ThemeFile>,
    /// UI strings of the site's language.
    pub strings: BTreeMap<String, String>,
}

/// Where the theme's files come from.
enum Source {
    BuiltIn,
    Folder(PathBuf, String),
}

impl Source {
    fn files(&self, sub: &str) -> Vec<ThemeFile> {
        match self {
            Source::BuiltIn => DEFAULT_THEME
                .get_dir(sub)
                .map(|d| {
                    let mut out = Vec::new();
                    collect_embedded(d, sub, &mut out);
                    out
                })
                .unwrap_or_default(),
            Source::Folder(dir, rel) => read_folder(&dir.join(sub), &format!("{rel}/{sub}")),
        }
    }
}

fn collect_embedded(dir: &Dir, sub: &str, out: &mut Vec<ThemeFile>) {
    for f in dir.files() {
        let name = f
            .path()
            .strip_prefix(sub)
            .unwrap_or(f.path())
            .to_string_lossy()
            .replace('\\', "/");
        out.push(ThemeFile {
            origin: format!("{BUILT_IN}{sub}/{name}"),
            name,
            bytes: f.contents().to_vec(),
        });
    }
    for d in dir.dirs() {
        collect_embedded(d, sub, out);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
}

/// Files under `dir`, named relative to it, sorted; `origin` is `rel` + the name.
fn read_folder(dir: &Path, rel: &str) -> Vec<ThemeFile> {
    let mut out: Vec<ThemeFile> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| {
            let name = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(e.path()).ok()?;
            Some(ThemeFile {
                origin: format!("{rel}/{name}"),
                name,
                bytes,
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Loads the theme named in site.toml, with the site's template overrides on top.
pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
    let folder = root.join("themes").join(&config.theme);
    let source = if folder.is_dir() {
        Source::Folder(folder, format!("themes/{}", config.theme))
    } else if config.theme == "default" {
        Source::BuiltIn
    } else {
        return Err(vec![
            Diagnostic::new(
                "theme-missing",
                crate::config::FILE,
                At::File,
                m::no_theme(&config.theme),
            )
            .hint(m::no_theme_hint(&config.theme)),
        ]);
    };
    let mut templates = source.files("templates");
    for over in read_folder(&root.join("templates"), "templates") {
        match templates.iter_mut().find(|t| t.name == over.name) {
            Some(t) => *t = over,
            None => templates.push(over),
        }
    }
    // Nothing links to the search script when search is off, so it is not published.
    let statics = source
        .files("static")
        .into_iter()
        .filter(|f| config.search_enabled || f.name != SEARCH_SCRIPT)
        .collect();
    let lang = config.language.code();
    let i18n = source.files("i18n");
    let Some(file) = i18n.iter().find(|f| f.name == format!("{lang}.toml")) else {
        return Err(vec![
            Diagnostic::new(
                "theme-missing",
                crate::config::FILE,
                At::File,
                m::theme_lacks_language(lang),
            )
            .hint(m::theme_lacks_language_hint(lang)),
        ]);
    };
    let strings = parse_strings(file)?;
    Ok(Theme {
        templates,
        statics,
        strings,
    })
}

fn parse_strings(file: &ThemeFile) -> Result<BTreeMap<String, String>, Vec<Diagnostic>> {
    let text = String::from_utf8_lossy(&file.bytes);
    toml::from_str::<BTreeMap<String, String>>(&text).map_err(|e| {
        let (line, column) = e
            .span()
            .map_or((1, 1), |s| crate::diagnostics::line_col(&text, s.start));
        vec![
            Diagnostic::new(
                "theme-i18n",
                &file.origin,
                At::Pos { line, column },
                m::theme_strings(e.message().to_string()),
            )
            .hint(m::theme_strings_hint()),
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_theme_has_every_page_template_and_both_languages() {
        let t = Source::BuiltIn.files("templates");
        for name in [
            "base.html",
            "index.html",
            "item.html",
            "community.html",
            "404.html",
        ] {
            assert!(t.iter().any(|f| f.name == name), "{name}");
        }
        let i18n = Source::BuiltIn.files("i18n");
        let zh = parse_strings(i18n.iter().find(|f| f.name == "zh-CN.toml").unwrap()).unwrap();
        let en = parse_strings(i18n.iter().find(|f| f.name == "en.toml").unwrap()).unwrap();
        let missing: Vec<&String> = zh
            .keys()
            .filter(|k| !en.contains_key(*k))
            .chain(en.keys().filter(|k| !zh.contains_key(*k)))
            .collect();
        assert!(missing.is_empty(), "keys in one language only: {missing:?}");
    }
}
