//! Spreadsheets under `content/` (ledgers, 台账) → records, through the YAML records' reader.
//!
//! Each row becomes the same tree of [`Node`]s a YAML record is (nested fields from dotted
//! headers, lists from `、`-separated cells and from the rows of a list sheet), and goes
//! through [`super::read_one`] and every later check like any YAML record. Its [`YamlAt`] is
//! its sheet and row, so that a problem found later (a reference, a date order) is located at
//! its cell by [`Locator`], which reads the file again only when there is a problem to show.

mod columns;
mod tables;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use calamine::Data;
use rayon::prelude::*;

use super::fields::Choice;
use super::records::Kind;
use super::yaml::Node;
use super::{FileCtx, FileResult, read_one};
pub use crate::diagnostics::cell_name;
use crate::diagnostics::{At, CellAt, Diagnostic, FieldAt, YamlAt};
use crate::messages as m;
use crate::privacy;
pub use columns::{Allowed, CellType, ChoiceOf, Column, SheetOf, list_sheets};
use tables::Table;
pub use tables::{decode, escape, is_csv, is_spreadsheet};

use super::fields::Ctx;
use crate::diagnostics::locate::Seg;

/// Reads the records of a spreadsheet: of `kind` in a kind folder, of the kinds its sheets
/// name when `kind` is `None` (a workbook directly under `content/`).
pub(super) fn read_file(bytes: &[u8], rel: &str, kind: Option<Kind>, fc: &FileCtx) -> FileResult {
    let mut out = FileResult {
        records: Vec::new(),
        diags: Vec::new(),
        unread: Vec::new(),
    };
    let tables = match tables::read(rel, bytes) {
        Ok(t) => t,
        Err(message) => {
            out.diags.push(
                Diagnostic::new("workbook-unreadable", rel, At::File, message)
                    .hint(m::workbook_unreadable_hint()),
            );
            return out;
        }
    };
    let placed = place_sheets(&tables, rel, kind, &mut out.diags);
    // List sheets first: their rows become fields of the records of the record sheets.
    let mut lists = Lists::default();
    for (i, sheet) in placed.iter().enumerate() {
        if let Some(s @ SheetOf::Rows { .. }) = sheet {
            lists.read(i, *s, &tables[i], rel, fc, &mut out.diags);
        }
    }
    for (i, sheet) in placed.iter().enumerate() {
        if let Some(s @ SheetOf::Records(_)) = sheet {
            read_records(i, *s, &tables[i], rel, fc, &mut lists, &mut out);
        }
    }
    lists.report_orphans(rel, &tables, &mut out.diags);
    out
}

/// What each sheet holds; `None` for a sheet left out (empty, or named with a leading `_`).
fn place_sheets(
    tables: &[Table],
    rel: &str,
    kind: Option<Kind>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Option<SheetOf>> {
    tables
        .iter()
        .map(|t| {
            if t.name.starts_with('_') || t.cells.used_cells().next().is_none() {
                return None;
            }
            let named = SheetOf::named(&t.name);
            match kind {
                Some(kind) => Some(match named {
                    Some(s @ SheetOf::Rows { kind: k, .. }) if k == kind => s,
                    _ => SheetOf::Records(kind),
                }),
                None if named.is_some() => named,
                None => {
                    let names: Vec<&str> = SheetOf::ALL.iter().map(|(_, n, _)| *n).collect();
                    diags.push(
                        Diagnostic::new(
                            "unknown-sheet",
                            rel,
                            first_cell(t),
                            m::unknown_sheet(&t.name),
                        )
                        .hint(m::unknown_sheet_hint(names.join("、"))),
                    );
                    None
                }
            }
        })
        .collect()
}

fn first_cell(t: &Table) -> At {
    let (row, col) = t.cells.start().unwrap_or((0, 0));
    cell_at(t, row, col)
}

/// The cell at (`row`, `col`) of `t`, with its value.
fn cell_of(t: &Table, row: u32, col: u32) -> CellAt {
    CellAt {
        sheet: t.name.clone(),
        row,
        col,
        value: t
            .cells
            .get_value((row, col))
            .map_or_else(String::new, shown),
    }
}

fn cell_at(t: &Table, row: u32, col: u32) -> At {
    At::Cell(Box::new(cell_of(t, row, col)))
}

/// A cell's value as the editor sees it.
fn shown(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::DateTime(dt) => date_text(dt).unwrap_or_else(|| dt.to_string()),
        Data::Float(f) => number_text(*f),
        other => other.to_string(),
    }
}

/// A number as text: whole numbers without a decimal point.
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

fn date_text(dt: &calamine::ExcelDateTime) -> Option<String> {
    if !dt.is_datetime() {
        return None;
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// A sheet's header: the column of each field, by position.
struct Header {
    /// Absolute row of the header.
    row: u32,
    columns: Vec<(u32, &'static Column)>,
}

impl Header {
    /// Reads row 1 (the first used row); every header that is no field is reported.
    fn read(sheet: SheetOf, t: &Table, rel: &str, diags: &mut Vec<Diagnostic>) -> Header {
        let (row, first_col) = t.cells.start().unwrap_or((0, 0));
        let mut columns: Vec<(u32, &'static Column)> = Vec::new();
        let width = t.cells.width() as u32;
        for col in first_col..first_col + width {
            let text = match t.cells.get_value((row, col)) {
                None | Some(Data::Empty) => {
                    if column_has_values(t, row, col) {
                        diags.push(
                            Diagnostic::new(
                                "unknown-field",
                                rel,
                                cell_at(t, row, col),
                                m::column_without_header(),
                            )
                            .hint(m::column_without_header_hint()),
                        );
                    }
                    continue;
                }
                Some(d) => shown(d),
            };
            match sheet.column(&text) {
                Some(c) if columns.iter().any(|(_, k)| k.key == c.key) => diags.push(
                    Diagnostic::new(
                        "duplicate-key",
                        rel,
                        cell_at(t, row, col),
                        m::column_twice(c.key),
                    )
                    .hint(m::column_twice_hint()),
                ),
                Some(c) => columns.push((col, c)),
                None => {
                    let known: Vec<&str> = sheet
                        .columns()
                        .iter()
                        .flat_map(|c| [c.key, c.label])
                        .collect();
                    let hint = match crate::diagnostics::did_you_mean(text.trim(), &known) {
                        Some(s) => m::did_you_mean(s),
                        None => m::columns_of_sheet(
                            sheet
                                .columns()
                                .iter()
                                .map(|c| format!("{} ({})", c.label, c.key))
                                .collect::<Vec<_>>()
                                .join(", "),
                        ),
                    };
                    diags.push(
                        Diagnostic::new(
                            "unknown-field",
                            rel,
                            cell_at(t, row, col),
                            m::unknown_column(text.trim()),
                        )
                        .hint(hint),
                    );
                }
            }
        }
        Header { row, columns }
    }

    fn col(&self, key: &str) -> Option<u32> {
        self.columns
            .iter()
            .find(|(_, c)| c.key == key)
            .map(|(i, _)| *i)
    }
}

fn column_has_values(t: &Table, header_row: u32, col: u32) -> bool {
    let end = t.cells.end().map_or(0, |e| e.0);
    (header_row + 1..=end).any(|r| {
        t.cells
            .get_value((r, col))
            .is_some_and(|d| *d != Data::Empty)
    })
}

/// Whether a row holds nothing: it is skipped.
fn is_empty_row(t: &Table, row: u32, header: &Header) -> bool {
    header
        .columns
        .iter()
        .all(|(c, _)| t.cells.get_value((row, *c)).is_none_or(is_blank))
}

fn is_blank(d: &Data) -> bool {
    match d {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// The rows of list sheets (供需清单, 照片), by the id of the record they belong to.
#[derive(Default)]
struct Lists {
    /// (kind, field, parent id) → the rows, each with its sheet, row and value.
    rows: HashMap<(Kind, &'static str, String), Vec<ListRow>>,
}

struct ListRow {
    sheet: usize,
    row: u32,
    parent_col: u32,
    node: Node<'static>,
}

impl Lists {
    fn read(
        &mut self,
        sheet_index: usize,
        sheet: SheetOf,
        t: &Table,
        rel: &str,
        fc: &FileCtx,
        diags: &mut Vec<Diagnostic>,
    ) {
        let SheetOf::Rows {
            kind,
            field,
            parent,
        } = sheet
        else {
            return;
        };
        let header = Header::read(sheet, t, rel, diags);
        let Some(parent_col) = header.col(parent) else {
            diags.push(
                Diagnostic::new(
                    "missing-id",
                    rel,
                    first_cell(t),
                    m::sheet_without_parent(&t.name, parent),
                )
                .hint(m::sheet_without_parent_hint(
                    sheet.column(parent).map_or("", |c| c.label),
                    parent,
                )),
            );
            return;
        };
        let end = t.cells.end().map_or(0, |e| e.0);
        for row in header.row + 1..=end {
            if is_empty_row(t, row, &header) {
                continue;
            }
            let parent_id = t
                .cells
                .get_value((row, parent_col))
                .map_or_else(String::new, shown);
            let entries = row_entries(t, row, &header, rel, fc, diags, Some(parent));
            self.rows
                .entry((kind, field, parent_id.trim().to_string()))
                .or_default()
                .push(ListRow {
                    sheet: sheet_index,
                    row,
                    parent_col,
                    node: Node::Map(entries),
                });
        }
    }

    /// Takes the rows of the record `id`'s list field `field`.
    fn take(&mut self, kind: Kind, field: &'static str, id: &str) -> Option<Vec<ListRow>> {
        self.rows.remove(&(kind, field, id.to_string()))
    }

    /// Rows left over name a record this workbook does not have.
    fn report_orphans(self, rel: &str, tables: &[Table], diags: &mut Vec<Diagnostic>) {
        for ((kind, _, id), rows) in self.rows {
            for r in rows {
                let at = cell_at(&tables[r.sheet], r.row, r.parent_col);
                diags.push(
                    Diagnostic::new(
                        "unknown-reference",
                        rel,
                        at,
                        m::row_of_no_record(kind.label(), &id),
                    )
                    .hint(m::row_of_no_record_hint()),
                );
            }
        }
    }
}

/// Reads every row of a record sheet into a record.
fn read_records(
    sheet_index: usize,
    sheet: SheetOf,
    t: &Table,
    rel: &str,
    fc: &FileCtx,
    lists: &mut Lists,
    out: &mut FileResult,
) {
    let kind = sheet.kind();
    let header = Header::read(sheet, t, rel, &mut out.diags);
    let Some(id_col) = header.col("id") else {
        out.diags.push(
            Diagnostic::new(
                "missing-id",
                rel,
                first_cell(t),
                m::sheet_without_id(&t.name),
            )
            .hint(m::sheet_without_id_hint()),
        );
        return;
    };
    let fc = FileCtx { kind, ..*fc };
    let end = t.cells.end().map_or(0, |e| e.0);
    // Each row with the rows of list sheets that belong to it, taken from the map in order.
    let mut rows: Vec<(u32, Vec<Entry>)> = (header.row + 1..=end)
        .filter(|row| !is_empty_row(t, *row, &header))
        .map(|row| {
            let mut children = Vec::new();
            for list in list_sheets(kind) {
                let SheetOf::Rows { field, .. } = list else {
                    continue;
                };
                let id = t
                    .cells
                    .get_value((row, id_col))
                    .map_or_else(String::new, shown);
                if let Some(rows) = lists.take(kind, field, id.trim()) {
                    children.push((
                        Cow::Borrowed(field),
                        Node::Seq(rows.into_iter().map(|r| r.node).collect()),
                    ));
                }
            }
            (row, children)
        })
        .collect();
    // Rows are read on every core: a ledger of 100,000 rows is one file, where a YAML site
    // spreads its records over as many files read in parallel.
    let parts: Vec<FileResult> = rows
        .par_chunks_mut(ROWS_PER_TASK)
        .map(|chunk| {
            let mut part = FileResult {
                records: Vec::with_capacity(chunk.len()),
                diags: Vec::new(),
                unread: Vec::new(),
            };
            let mut diags = Vec::new();
            for (row, children) in chunk {
                let mut entries = row_entries(t, *row, &header, rel, &fc, &mut diags, None);
                entries.append(children);
                let yaml = YamlAt {
                    offset: sheet_index as u32,
                    index: Some(*row),
                };
                let mut cx = Ctx {
                    file: rel,
                    diags: &mut diags,
                };
                read_one(
                    &fc,
                    entries,
                    yaml,
                    None,
                    (String::new(), 0),
                    &mut cx,
                    &mut part,
                );
            }
            part.diags.append(&mut diags);
            part
        })
        .collect();
    for mut part in parts {
        out.records.append(&mut part.records);
        out.diags.append(&mut part.diags);
    }
}

/// Rows read by one task: enough that a task is worth its scheduling.
const ROWS_PER_TASK: usize = 1024;

/// A field of a record, as the YAML reader has it.
type Entry = (Cow<'static, str>, Node<'static>);

/// The fields of one row: each non-empty cell as its field's value, dotted keys nested.
/// `skip` is a column already read (a list row's parent id). Personal data in any cell and
/// Excel's error values are reported at their cell.
fn row_entries(
    t: &Table,
    row: u32,
    header: &Header,
    rel: &str,
    fc: &FileCtx,
    diags: &mut Vec<Diagnostic>,
    skip: Option<&str>,
) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::with_capacity(header.columns.len());
    for (col, column) in &header.columns {
        let Some(data) = t.cells.get_value((row, *col)).filter(|d| !is_blank(d)) else {
            continue;
        };
        if Some(column.key) == skip {
            continue;
        }
        if let Data::Error(e) = data {
            diags.push(
                Diagnostic::new(
                    "wrong-type",
                    rel,
                    cell_at(t, row, *col),
                    m::cell_error(e.to_string()),
                )
                .hint(m::cell_error_hint()),
            );
            continue;
        }
        if let Data::String(text) = data {
            for f in privacy::find_personal(text, &fc.config.privacy_allow) {
                diags.push(
                    Diagnostic::new(
                        f.kind.code(),
                        rel,
                        cell_at(t, row, *col),
                        m::personal(&text[f.start..f.end], f.kind.what()),
                    )
                    .hint(m::personal_hint()),
                );
            }
        }
        let node = cell_node(data, column.cell);
        match column.key.split_once('.') {
            None => entries.push((Cow::Borrowed(column.key), node)),
            Some((outer, inner)) => {
                let pos = entries.iter().position(|(k, _)| k == outer);
                let i = pos.unwrap_or_else(|| {
                    entries.push((Cow::Borrowed(outer), Node::Map(Vec::new())));
                    entries.len() - 1
                });
                if let Node::Map(m) = &mut entries[i].1 {
                    m.push((Cow::Borrowed(inner), node));
                }
            }
        }
    }
    entries
}

/// A cell as the value of a field of type `cell`, typed as YAML would type what the editor
/// means: a number in a text column is its digits, `12` written as text in a number column
/// is the number.
fn cell_node(data: &Data, cell: CellType) -> Node<'static> {
    let text = || -> Cow<'static, str> {
        match data {
            Data::String(s) => Cow::Owned(s.trim().to_string()),
            Data::DateTimeIso(s) => Cow::Owned(s.get(..10).unwrap_or(s).to_string()),
            other => Cow::Owned(shown(other)),
        }
    };
    match (cell, data) {
        (CellType::Text, Data::String(s)) if s.contains('\r') => {
            Node::Str(Cow::Owned(s.replace("\r\n", "\n").trim().to_string()))
        }
        (CellType::Text | CellType::Date, _) => Node::Str(text()),
        (CellType::Whole | CellType::Decimal, Data::Int(i)) => Node::Int(*i),
        (CellType::Whole | CellType::Decimal, Data::Float(f))
            if f.fract() == 0.0 && f.abs() < 9e15 =>
        {
            Node::Int(*f as i64)
        }
        (CellType::Whole | CellType::Decimal, Data::Float(f)) => Node::Float(*f),
        (CellType::Whole | CellType::Decimal, Data::String(s)) => {
            let s = s.trim();
            s.parse::<i64>()
                .map(Node::Int)
                .or_else(|_| {
                    s.parse::<f64>().map(|f| {
                        if f.is_finite() {
                            Node::Float(f)
                        } else {
                            Node::Str(Cow::Owned(s.to_string()))
                        }
                    })
                })
                .unwrap_or_else(|_| Node::Str(Cow::Owned(s.to_string())))
        }
        (CellType::YesNo, Data::Bool(b)) => Node::Bool(*b),
        (CellType::YesNo, _) => match text().as_ref() {
            "是" | "true" | "TRUE" | "True" | "yes" => Node::Bool(true),
            "否" | "false" | "FALSE" | "False" | "no" => Node::Bool(false),
            other => Node::Str(Cow::Owned(other.to_string())),
        },
        (CellType::List, _) => Node::Seq(
            text()
                .split(['、', ',', '，'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Node::Str(Cow::Owned(s.to_string())))
                .collect(),
        ),
        (_, _) => Node::Str(text()),
    }
}

/// Places the problems of spreadsheets' fields at their cells (`事项!G4`), reading each
/// spreadsheet once; a field whose cell is not found keeps its place.
pub fn place_cells(root: &Path, diags: &mut [Diagnostic]) {
    let mut sheets = Locator::new(root);
    for d in diags {
        if let At::Field(f) = &d.at
            && is_spreadsheet(&d.file)
            && let Some(cell) = sheets.cell(&d.file, f)
        {
            d.at = At::Cell(Box::new(cell));
        }
    }
}

/// Finds the cells of problems in spreadsheets, reading each file once.
pub struct Locator<'a> {
    root: &'a Path,
    files: HashMap<String, Option<Vec<Table>>>,
}

impl<'a> Locator<'a> {
    pub fn new(root: &'a Path) -> Self {
        Locator {
            root,
            files: HashMap::new(),
        }
    }

    /// The cell of the field `field` of a record of the spreadsheet `rel`.
    pub fn cell(&mut self, rel: &str, field: &FieldAt) -> Option<CellAt> {
        let root = self.root;
        let tables = self
            .files
            .entry(rel.to_string())
            .or_insert_with(|| {
                let bytes = std::fs::read(root.join(rel)).ok()?;
                tables::read(rel, &bytes).ok()
            })
            .as_ref()?;
        let kind = kind_of(rel);
        locate(tables, rel, kind, field)
    }
}

/// The kind of a spreadsheet's records by its folder, `None` directly under `content/`.
fn kind_of(rel: &str) -> Option<Kind> {
    let mut parts = rel.split('/');
    let (_, folder, _) = (parts.next(), parts.next()?, parts.next()?);
    Kind::from_folder(folder)
}

fn locate(tables: &[Table], rel: &str, kind: Option<Kind>, field: &FieldAt) -> Option<CellAt> {
    let sheet_index = field.yaml.offset as usize;
    let (t, row) = (tables.get(sheet_index)?, field.yaml.index?);
    let mut ignored = Vec::new();
    let placed = place_sheets(tables, rel, kind, &mut ignored);
    let sheet = placed.get(sheet_index).copied().flatten()?;
    let header = Header::read(sheet, t, rel, &mut ignored);
    let id_col = header
        .col("id")
        .or(header.columns.first().map(|c| c.0))
        .unwrap_or(0);
    let keys: Vec<&str> = field
        .path
        .iter()
        .filter_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) => None,
        })
        .collect();
    let Some(first) = keys.first() else {
        return Some(cell_of(t, row, id_col));
    };
    let list = list_sheets(sheet.kind())
        .find(|s| matches!(s, SheetOf::Rows { field, .. } if field == first));
    if let (Some(list), Some(Seg::Index(i))) = (list, field.path.get(1)) {
        let id = t
            .cells
            .get_value((row, id_col))
            .map_or_else(String::new, shown);
        let lt = &tables[placed.iter().position(|p| *p == Some(list))?];
        return list_cell(list, lt, id.trim(), *i, keys.get(1).copied());
    }
    let col = header.col(&keys.join(".")).or_else(|| {
        // A mapping (`claimed_by`, `of`): its column written in this row, else its first.
        let prefix = format!("{first}.");
        let cols: Vec<u32> = header
            .columns
            .iter()
            .filter(|(_, c)| c.key.starts_with(&prefix))
            .map(|(i, _)| *i)
            .collect();
        let written = cols
            .iter()
            .copied()
            .find(|c| t.cells.get_value((row, *c)).is_some_and(|d| !is_blank(d)));
        written.or(cols.first().copied())
    });
    Some(cell_of(t, row, col.unwrap_or(id_col)))
}

/// The cell of `key` in the `index`th row of the list sheet `lt` that belongs to `id`.
fn list_cell(
    list: SheetOf,
    lt: &Table,
    id: &str,
    index: usize,
    key: Option<&str>,
) -> Option<CellAt> {
    let SheetOf::Rows { parent, .. } = list else {
        return None;
    };
    let header = Header::read(list, lt, "", &mut Vec::new());
    let pc = header.col(parent)?;
    let end = lt.cells.end().map_or(0, |e| e.0);
    let row = (header.row + 1..=end)
        .filter(|r| !is_empty_row(lt, *r, &header))
        .filter(|r| {
            lt.cells
                .get_value((*r, pc))
                .map_or_else(String::new, shown)
                .trim()
                == id
        })
        .nth(index)?;
    Some(cell_of(
        lt,
        row,
        key.and_then(|k| header.col(k)).unwrap_or(pc),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::StaticFiles;
    use proptest::prelude::*;

    fn read(bytes: &[u8], rel: &str) -> FileResult {
        let config = crate::config::parse(
            "title = \"t\"\nbase_url = \"https://x.cn/\"\n[[categories]]\nslug = \"repair\"\nname = \"水电维修\"\n",
        )
        .unwrap();
        let statics = StaticFiles::default();
        let fc = FileCtx {
            kind: Kind::Items,
            config: &config,
            static_files: &statics,
        };
        let kind = kind_of(rel);
        let out = read_file(bytes, rel, kind, &fc);
        // Every problem can be located, as `shiji check` would.
        if let Ok(tables) = tables::read(rel, bytes) {
            for d in &out.diags {
                if let At::Field(f) = &d.at {
                    let _ = locate(&tables, rel, kind, f);
                }
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            read(&bytes, "content/items/a.csv");
            read(&bytes, "content/items/a.xlsx");
            read(&bytes, "content/a.ods");
        }

        #[test]
        fn csv_like_text_never_panics(
            text in "((id|title|编号|claimed_by\\.unit|claimed|due|status|draft|body|x\\.y|)[,\t]){0,6}\n([a-z0-9\u{4e00}-\u{4e10}'=\"、,\t -]{0,12}\r?\n){0,6}",
        ) {
            read(text.as_bytes(), "content/items/a.csv");
            read(text.as_bytes(), "content/evaluations/a.csv");
        }
    }

    #[test]
    fn rows_become_records_with_typed_fields() {
        let csv = "编号,事项名称,社区,claimed_by.unit,类别,认领日期,status\n\
                   a1,修灯,c1,u1,水电维修,2018-03-01,办理中\n\
                   ,,,,,,\n\
                   a2,修水管,c1,u1,repair,2018-03-02,\n";
        let out = read(csv.as_bytes(), "content/items/a.csv");
        assert!(out.diags.is_empty(), "{:?}", out.diags);
        let items: Vec<_> = out
            .records
            .iter()
            .map(|r| match r {
                crate::content::records::Record::Item(i) => {
                    (i.meta.id.clone(), i.unit.id.clone(), i.status)
                }
                _ => panic!("not an item"),
            })
            .collect();
        use crate::content::records::Status;
        assert_eq!(
            items,
            vec![
                ("a1".to_string(), "u1".to_string(), Some(Status::InProgress)),
                ("a2".to_string(), "u1".to_string(), None),
            ]
        );
    }
}
