//! One error type for every stage: what is wrong, where, and how to fix it.
//!
//! Stages push [`Diagnostic`] values instead of returning early, so one run reports every
//! problem. A problem found after parsing (a dangling reference, say) points at a field by
//! its path; [`Diagnostics::finish`] turns that path into a line and column by reading the
//! file once more, so the happy path keeps no source text around.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

pub mod locate;
pub mod personal;

use crate::i18n::{Count, Language, Text};
use crate::messages;
use locate::Seg;

/// Where in a file a problem stands.
#[derive(Debug, Clone, PartialEq)]
pub enum At {
    /// The whole file or folder.
    File,
    /// A known 1-based line and column.
    Pos { line: usize, column: usize },
    /// A field of a record, found in the YAML text (or the spreadsheet) when the diagnostic
    /// is reported.
    Field(Box<FieldAt>),
    /// A cell of a spreadsheet, known when it was read.
    Cell(Box<CellAt>),
}

/// A cell of a spreadsheet: its sheet, 0-based row and column, and what it holds, so that
/// the editor sees `事项!G4` and the value there.
#[derive(Debug, Clone, PartialEq)]
pub struct CellAt {
    pub sheet: String,
    pub row: u32,
    pub col: u32,
    pub value: String,
}

impl CellAt {
    /// `事项!G4`, as Excel and WPS name the cell.
    pub fn name(&self) -> String {
        format!("{}!{}", self.sheet, cell_name(self.row, self.col))
    }
}

/// A cell's position as Excel shows it: `G4`.
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let r = (n - 1) % 26;
        letters.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// A field of a record: which record of the file, where its YAML starts, and the path of
/// keys and list positions down to the field (empty: the record itself).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldAt {
    pub yaml: YamlAt,
    pub path: Vec<Seg>,
}

/// Where a record's YAML stands in its file. For a record read from a spreadsheet, `offset`
/// is its sheet's position in the workbook and `index` its 0-based row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YamlAt {
    /// Byte offset of the YAML text in the file (after a BOM and a front-matter fence).
    pub offset: u32,
    /// The record's position in a YAML sequence, or `None` for a single-record file.
    pub index: Option<u32>,
}

impl YamlAt {
    /// The field `path` of this record.
    pub fn field(self, path: Vec<Seg>) -> At {
        At::Field(Box::new(FieldAt { yaml: self, path }))
    }
}

/// One problem, with the file it is in (relative to the site root, `/`-separated).
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub file: String,
    pub at: At,
    /// Boxed: a diagnostic travels in the `Err` of every render, where its size counts.
    pub message: Box<Text>,
    pub hint: Option<Box<Text>>,
}

/// Every problem code shiji reports; each is documented in docs/errors.md (a test checks).
pub const CODES: &[&str] = &[
    "config-missing",
    "config-syntax",
    "config-unknown-key",
    "config-invalid",
    "no-content",
    "unknown-kind-folder",
    "unexpected-file",
    "outside-link",
    "unreadable",
    "not-utf8",
    "control-character",
    "workbook-unreadable",
    "unknown-sheet",
    "photo-unreadable",
    "photo-format",
    "front-matter",
    "yaml-syntax",
    "full-width-punctuation",
    "duplicate-key",
    "empty-file",
    "not-a-mapping",
    "missing-id",
    "invalid-id",
    "duplicate-id",
    "unknown-field",
    "missing-field",
    "wrong-type",
    "invalid-enum",
    "invalid-date",
    "empty-list",
    "body-twice",
    "unknown-reference",
    "unknown-category",
    "agreement-mismatch",
    "date-order",
    "status-conflict",
    "invalid-party",
    "self-evaluation",
    "missing-static-file",
    "external-image",
    "reserved-id",
    "theme-missing",
    "theme-i18n",
    "template",
    "broken-link",
    "static-conflict",
    "active-svg",
    "output",
    "internal",
    "phone-number",
    "id-number",
    "personal-email",
];

impl Diagnostic {
    /// A problem `code` (one of [`CODES`]) with its message from [`crate::messages`].
    pub fn new(code: &'static str, file: &str, at: At, message: Text) -> Self {
        debug_assert!(CODES.contains(&code), "undocumented problem code {code}");
        Diagnostic {
            code,
            file: file.to_string(),
            at,
            message: Box::new(message),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: Text) -> Self {
        self.hint = Some(Box::new(hint));
        self
    }
}

/// A diagnostic whose position is known, ready to show.
#[derive(Debug, Clone)]
pub struct Located {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub code: &'static str,
    pub message: Text,
    pub hint: Option<Text>,
    /// The spreadsheet cell (`事项!G4`) and its value, for a problem in a spreadsheet; `line`
    /// and `column` are then the cell's 1-based row and column.
    pub cell: Option<String>,
    pub value: Option<String>,
    source_line: Option<String>,
}

/// A located problem in one language, as `check --format json` and `serve` show it.
#[derive(Debug, Serialize)]
struct LocatedJson<'a> {
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    code: &'static str,
    message: &'a str,
    hint: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
}

/// Every problem of a run, located and sorted by file, line and column.
#[derive(Debug, Default)]
pub struct Problems {
    pub errors: Vec<Located>,
}

impl Problems {
    /// The report without the personal data it quotes, for `serve`'s pages: a problem about a
    /// phone number keeps its file, line and words, but not the number nor the line that holds
    /// it. A page's scripts can read what the live-reload socket sends; the terminal and
    /// `check` still show all.
    pub fn without_personal_data(mut self) -> Problems {
        for e in &mut self.errors {
            if crate::privacy::is_personal_code(e.code) {
                e.source_line = None;
                for text in [&mut e.message.en, &mut e.message.zh] {
                    if let [before, _, after] = text.splitn(3, '`').collect::<Vec<_>>()[..] {
                        *text = format!("{before}`…`{after}");
                    }
                }
            }
        }
        self
    }
}

/// Turns collected diagnostics into a sorted [`Problems`], reading each file named by a
/// field-level diagnostic once to find its line. A spreadsheet's problems are at their cells
/// already (`content::finish` places them, as only the content reader knows the sheets).
pub fn finish(root: &Path, diagnostics: Vec<Diagnostic>) -> Problems {
    let mut texts: HashMap<String, Option<String>> = HashMap::new();
    let mut errors: Vec<Located> = diagnostics
        .into_iter()
        .map(|d| {
            if let At::Cell(c) = &d.at {
                let cell = (**c).clone();
                return located_cell(d, cell);
            }
            let text = if matches!(d.at, At::File | At::Cell(_)) {
                None
            } else {
                texts
                    .entry(d.file.clone())
                    .or_insert_with(|| match crate::builtin_theme::built_in_text(&d.file) {
                        Some(text) => Some(text.to_string()),
                        None => read_lossy(&root.join(&d.file)),
                    })
                    .as_deref()
            };
            let pos = match (&d.at, text) {
                (At::File | At::Cell(_), _) => None,
                (At::Pos { line, column }, _) => Some((*line, *column)),
                (At::Field(f), Some(text)) => Some(locate::field_position(text, f)),
                (At::Field(_), None) => Some((1, 1)),
            };
            let source_line = match (pos, text) {
                (Some((line, _)), Some(text)) => {
                    text.lines().nth(line.saturating_sub(1)).map(str::to_string)
                }
                _ => None,
            };
            Located {
                file: d.file,
                line: pos.map(|p| p.0),
                column: pos.map(|p| p.1),
                code: d.code,
                message: *d.message,
                hint: d.hint.map(|h| *h),
                cell: None,
                value: None,
                source_line,
            }
        })
        .collect();
    errors.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
    });
    errors.dedup_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.message)
            == (&b.file, b.line, b.column, b.code, &b.message)
    });
    Problems { errors }
}

/// A problem at a spreadsheet cell: its row and column stand for line and column.
fn located_cell(d: Diagnostic, cell: CellAt) -> Located {
    Located {
        line: Some(cell.row as usize + 1),
        column: Some(cell.col as usize + 1),
        cell: Some(cell.name()),
        value: Some(cell.value),
        file: d.file,
        code: d.code,
        message: *d.message,
        hint: d.hint.map(|h| *h),
        source_line: None,
    }
}

/// A file's text for snippets; bytes that are not UTF-8 are replaced, since the snippet only
/// shows the editor where to look.
fn read_lossy(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    Some(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}

impl Problems {
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Human form in `lang`: one snippet per problem, with colours when `styled`.
    pub fn render_human(&self, styled: bool, lang: Language) -> String {
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut out = String::new();
        for e in &self.errors {
            let title = format!("{} [{}]", e.message.get(lang), e.code);
            let location = match (&e.cell, e.line, e.column) {
                (Some(cell), _, _) => format!("{} {cell}", e.file),
                (None, Some(l), Some(c)) => format!("{}:{}:{}", e.file, l, c),
                _ => e.file.clone(),
            };
            let group = Level::ERROR
                .with_name(messages::level_error().get(lang).to_string())
                .primary_title(title.as_str());
            let shown = e.source_line.as_deref().map(visible);
            let snippet_group = match (&shown, e.line, e.column) {
                (Some(src), Some(line), Some(column)) => {
                    let start = char_to_byte(src, column.saturating_sub(1));
                    let end = src.trim_end().len().max(start);
                    group.element(
                        Snippet::source(src.as_str())
                            .line_start(line)
                            .path(e.file.as_str())
                            .annotation(AnnotationKind::Primary.span(start..end)),
                    )
                }
                _ => group.element(annotate_snippets::Origin::path(location.as_str())),
            };
            let mut report = vec![snippet_group];
            let value_note;
            if let (Some(cell), Some(value)) = (&e.cell, &e.value) {
                value_note = messages::cell_holds(cell, value).get(lang).to_string();
                report.push(Group::with_title(
                    Level::NOTE
                        .with_name(messages::level_note().get(lang).to_string())
                        .secondary_title(value_note.as_str()),
                ));
            }
            if let Some(h) = &e.hint {
                report.push(Group::with_title(
                    Level::HELP
                        .with_name(messages::level_help().get(lang).to_string())
                        .secondary_title(h.get(lang)),
                ));
            }
            let _ = writeln!(out, "{}\n", renderer.render(&report));
        }
        out
    }

    /// JSON form for tools, in `lang`: each problem with file, line, column, code, message
    /// and hint.
    pub fn to_json(&self, lang: Language) -> serde_json::Value {
        let rows: Vec<LocatedJson> = self
            .errors
            .iter()
            .map(|e| LocatedJson {
                file: &e.file,
                line: e.line,
                column: e.column,
                code: e.code,
                message: e.message.get(lang),
                hint: e.hint.as_ref().map(|h| h.get(lang)),
                cell: e.cell.as_deref(),
                value: e.value.as_deref(),
            })
            .collect();
        serde_json::to_value(rows).unwrap_or_default()
    }

    /// The closing line: how many problems, and that nothing was written.
    pub fn summary_line(&self, lang: Language, build: bool) -> String {
        let n = Count {
            n: self.errors.len(),
            one: "problem",
            many: "problems",
            zh: "个问题",
        };
        let text = if build {
            messages::problems_found_build(n)
        } else {
            messages::problems_found_check(n)
        };
        text.get(lang).to_string()
    }
}

/// A source line as the snippet shows it: a tab as `→`, so that an editor sees it is not
/// spaces (one character for one, so columns still match).
fn visible(line: &str) -> String {
    line.replace('\t', "→")
}

/// The byte index of the `n`th character of `s` (columns count characters, not bytes).
fn char_to_byte(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// The known word closest to `word`, when one is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(word, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
