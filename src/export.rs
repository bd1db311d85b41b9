//! `shiji export`: every record of the site (drafts too) as a ledger workbook, or one kind as
//! CSV, in the columns that the spreadsheet reader reads back ([`crate::content::sheet`]).
//!
//! The workbook is made for an office to go on keeping: Chinese labels in a frozen bold
//! header, a note on each header saying what the column takes, dates as date cells, and a
//! drop-down list (data validation) on every column whose values check would otherwise
//! refuse: enumerations, categories and the ids of the records referred to.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, Formula, Note,
    Workbook, Worksheet, XlsxError,
};

use crate::config::Config;
use crate::content::fields::Choice;
use crate::content::records::{CommitmentKind, Direction, Kind, Party, Rating, Status, UnitType};
use crate::content::sheet::{Allowed, CellType, ChoiceOf, Column, SheetOf, escape, is_csv};
use crate::content::{self, Records};
use crate::diagnostics::Problems;

/// One cell of an exported row.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    YesNo(bool),
}

impl Value {
    /// The value as CSV text (dates `YYYY-MM-DD`, yes/no 是/否).
    fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::YesNo(b) => yes_no(*b).to_string(),
        }
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "是" } else { "否" }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn opt_text(s: &Option<String>) -> Value {
    s.as_deref().map_or(Value::Empty, text)
}

fn opt_number<T: Into<f64> + Copy>(n: Option<T>) -> Value {
    n.map_or(Value::Empty, |n| Value::Number(n.into()))
}

fn opt_date(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Empty, Value::Date)
}

fn label<T: Choice>(c: T) -> Value {
    text(c.label())
}

/// What was exported.
pub struct Summary {
    pub records: usize,
    pub sheets: usize,
}

/// Why nothing was exported.
pub enum Failure {
    /// The records do not read cleanly: exporting them would lose what could not be read.
    Records(Problems),
    /// A CSV file was asked for without a kind: it holds one kind of record.
    CsvWithoutKind,
    /// The file could not be written.
    Write(String),
}

/// Writes the records of the site at `root` to `file` (`.xlsx`, or `.csv` with `kind`).
pub fn export(root: &Path, file: &Path, kind: Option<Kind>) -> Result<Summary, Failure> {
    let config =
        crate::config::load(root).map_err(|d| Failure::Records(content::finish(root, d)))?;
    let (records, problems) = content::load(root, &config);
    if !problems.is_empty() {
        return Err(Failure::Records(content::finish(root, problems)));
    }
    let name = file.to_string_lossy();
    let sheets: Vec<SheetOf> = SheetOf::ALL
        .iter()
        .map(|(s, _, _)| *s)
        .filter(|s| kind.is_none_or(|k| s.kind() == k))
        .collect();
    let tables: Vec<(SheetOf, Vec<Vec<Value>>)> = sheets
        .iter()
        .map(|s| (*s, rows(&records, &config, *s)))
        .collect();
    let count = tables
        .iter()
        .filter(|(s, _)| matches!(s, SheetOf::Records(_)))
        .map(|(_, r)| r.len())
        .sum();
    if is_csv(&name) {
        let Some(kind) = kind else {
            return Err(Failure::CsvWithoutKind);
        };
        let rows = &tables
            .iter()
            .find(|(s, _)| *s == SheetOf::Records(kind))
            .expect("every kind has a sheet")
            .1;
        std::fs::write(file, csv_bytes(SheetOf::Records(kind), rows))
            .map_err(|e| Failure::Write(e.to_string()))?;
        return Ok(Summary {
            records: count,
            sheets: 1,
        });
    }
    write_workbook(file, &tables, &records, &config).map_err(|e| Failure::Write(e.to_string()))?;
    Ok(Summary {
        records: count,
        sheets: tables.len(),
    })
}

/// A field in a sheet: its column's key and its value.
type Keyed = Vec<(&'static str, Value)>;

/// The rows of `sheet`, each a value per column of the sheet.
fn rows(r: &Records, config: &Config, sheet: SheetOf) -> Vec<Vec<Value>> {
    let by_key: Vec<Keyed> = match sheet {
        SheetOf::Records(
            kind @ (Kind::Streets | Kind::Communities | Kind::Units | Kind::Agreements),
        ) => place_rows(r, kind),
        SheetOf::Records(kind) => work_rows(r, config, kind),
        SheetOf::Rows {
            field: "commitments",
            ..
        } => r
            .agreements
            .iter()
            .flat_map(|a| {
                a.commitments.iter().map(|c| {
                    vec![
                        ("agreement", text(&a.meta.id)),
                        ("kind", label(c.kind)),
                        ("title", text(&c.title)),
                        (
                            "category",
                            c.category.map_or(Value::Empty, |i| category(config, i)),
                        ),
                    ]
                })
            })
            .collect(),
        SheetOf::Rows { .. } => r
            .reports
            .iter()
            .flat_map(|rep| {
                rep.photos.iter().map(|p| {
                    vec![
                        ("report", text(&rep.meta.id)),
                        ("src", text(&p.src)),
                        ("alt", text(&p.alt)),
                    ]
                })
            })
            .collect(),
    };
    let columns = sheet.columns();
    by_key
        .into_iter()
        .map(|mut fields| {
            columns
                .iter()
                .map(|c| {
                    fields
                        .iter_mut()
                        .find(|(k, _)| *k == c.key)
                        .map_or(Value::Empty, |(_, v)| std::mem::replace(v, Value::Empty))
                })
                .collect()
        })
        .collect()
}

/// The name of a category of site.toml by its index.
fn category(config: &Config, i: u16) -> Value {
    config
        .categories
        .get(usize::from(i))
        .map_or(Value::Empty, |c| text(&c.name))
}

/// The fields every record has: its id, whether it is a draft, its body.
fn common(m: &content::records::Meta) -> [(&'static str, Value); 3] {
    [
        ("id", text(&m.id)),
        (
            "draft",
            if m.draft {
                Value::YesNo(true)
            } else {
                Value::Empty
            },
        ),
        (
            "body",
            if m.body.trim().is_empty() {
                Value::Empty
            } else {
                text(m.body.trim_end())
            },
        ),
    ]
}

/// The rows of streets, communities, units or agreements, by column key.
fn place_rows(r: &Records, kind: Kind) -> Vec<Keyed> {
    match kind {
        Kind::Streets => r
            .streets
            .iter()
            .map(|x| {
                let mut v = vec![
                    ("name", text(&x.name)),
                    ("district", opt_text(&x.district)),
                    ("summary", opt_text(&x.summary)),
                ];
                v.extend(common(&x.meta));
                v
            })
            .collect(),
        Kind::Communities => r
            .communities
            .iter()
            .map(|x| {
                let mut v = vec![
                    ("name", text(&x.name)),
                    ("street", text(&x.street.id)),
                    ("party_org", opt_text(&x.party_org)),
                    ("households", opt_number(x.households)),
                    ("grids", opt_number(x.grids)),
                    ("address", opt_text(&x.address)),
                    ("phone", opt_text(&x.phone)),
                    ("summary", opt_text(&x.summary)),
                ];
                v.extend(common(&x.meta));
                v
            })
            .collect(),
        Kind::Units => r
            .units
            .iter()
            .map(|x| {
                let mut v = vec![
                    ("name", text(&x.name)),
                    ("type", label(x.unit_type)),
                    ("party_org", opt_text(&x.party_org)),
                    ("members_reported", opt_number(x.members_reported)),
                    ("summary", opt_text(&x.summary)),
                ];
                v.extend(common(&x.meta));
                v
            })
            .collect(),
        Kind::Agreements => r
            .agreements
            .iter()
            .map(|x| {
                let units: Vec<&str> = x.units.iter().map(|u| u.id.as_str()).collect();
                let mut v = vec![
                    ("title", text(&x.title)),
                    ("community", text(&x.community.id)),
                    ("units", text(&units.join("、"))),
                    ("signed", Value::Date(x.signed)),
                    ("start", opt_date(x.start)),
                    ("end", opt_date(x.end)),
                    ("document", opt_text(&x.document)),
                ];
                v.extend(common(&x.meta));
                v
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The rows of items, reports, evaluations or pages, by column key.
fn work_rows(r: &Records, config: &Config, kind: Kind) -> Vec<Keyed> {
    match kind {
        Kind::Items => r
            .items
            .iter()
            .map(|x| {
                let mut v = vec![
                    ("title", text(&x.title)),
                    ("community", text(&x.community.id)),
                    ("claimed_by.unit", text(&x.unit.id)),
                    ("claimed_by.member", opt_text(&x.member)),
                    ("direction", label(x.direction)),
                    (
                        "agreement",
                        x.agreement.as_ref().map_or(Value::Empty, |a| text(&a.id)),
                    ),
                    ("category", category(config, x.category)),
                    ("claimed", Value::Date(x.claimed)),
                    ("due", opt_date(x.due)),
                    ("status", x.status.map_or(Value::Empty, label)),
                ];
                v.extend(common(&x.meta));
                v
            })
            .collect(),
        Kind::Reports => r
            .reports
            .iter()
            .map(|x| {
                let mut v = vec![
                    ("item", text(&x.item.id)),
                    ("date", Value::Date(x.date)),
                    ("final", Value::YesNo(x.is_final)),
                    ("summary", text(&x.summary)),
                    ("beneficiaries", opt_number(x.beneficiaries)),
                    ("volunteers", opt_number(x.volunteers)),
                    ("hours", opt_number(x.hours)),
                ];
                v.extend(common(&x.meta));
                v
            })
            .collect(),
        Kind::Evaluations => r
            .evaluations
            .iter()
            .map(|x| {
                let mut v = vec![
                    party("of", &x.of),
                    party("by", &x.by),
                    ("date", Value::Date(x.date)),
                    ("rating", label(x.rating)),
                    ("comment", opt_text(&x.comment)),
                ];
                v.extend(common(&x.meta));
                v
            })
            .collect(),
        Kind::Pages => r
            .pages
            .iter()
            .map(|x| {
                let mut v = vec![
                    ("title", text(&x.title)),
                    (
                        "order",
                        x.order.map_or(Value::Empty, |o| Value::Number(o as f64)),
                    ),
                ];
                v.extend(common(&x.meta));
                v
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// An evaluation's side as the column it is written in (`of.item`, `by.resident`…).
fn party(side: &'static str, p: &Party) -> (&'static str, Value) {
    let (key, value) = match (side, p) {
        ("of", Party::Item(r)) => ("of.item", &r.id),
        ("of", Party::Unit(r)) => ("of.unit", &r.id),
        ("of", Party::Community(r)) => ("of.community", &r.id),
        ("of", Party::Resident(n)) => ("of.resident", n),
        (_, Party::Item(r)) => ("by.item", &r.id),
        (_, Party::Unit(r)) => ("by.unit", &r.id),
        (_, Party::Community(r)) => ("by.community", &r.id),
        (_, Party::Resident(n)) => ("by.resident", n),
    };
    (key, text(value))
}

/// A CSV of one sheet: a header of Chinese labels, UTF-8 with a byte-order mark (Excel and
/// WPS otherwise guess GBK), CRLF line ends, every cell safe from formula injection.
fn csv_bytes(sheet: SheetOf, rows: &[Vec<Value>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let header: Vec<&str> = sheet.columns().iter().map(|c| c.label).collect();
    // Writing to a Vec cannot fail.
    let _ = w.write_record(&header);
    for row in rows {
        let _ = w.write_record(row.iter().map(|v| escape(&v.text()).into_owned()));
    }
    w.into_inner().unwrap_or_default()
}

/// The hidden sheet of drop-down lists.
const LISTS: &str = "_选项";

fn write_workbook(
    file: &Path,
    tables: &[(SheetOf, Vec<Vec<Value>>)],
    records: &Records,
    config: &Config,
) -> Result<(), XlsxError> {
    let mut book = Workbook::new();
    // A fixed creation time: the same records give the same bytes, so a ledger kept in git
    // changes only when its records do.
    book.set_properties(
        &DocProperties::new()
            .set_title(config.title.as_str())
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    let lists = choice_lists(records, config);
    let header = Format::new()
        .set_bold()
        .set_background_color("#E8EEF7")
        .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let wrap = Format::new().set_text_wrap();
    for (sheet, rows) in tables {
        let ws = book.add_worksheet();
        ws.set_name(sheet.name())?;
        write_sheet(ws, *sheet, rows, &lists, (&header, &date, &wrap))?;
    }
    let ws = book.add_worksheet();
    ws.set_name(LISTS)?;
    for (col, (_, values)) in lists.iter().enumerate() {
        for (row, v) in values.iter().enumerate() {
            ws.write_string(row as u32, col as u16, v)?;
        }
    }
    ws.set_hidden(true);
    book.save(file)
}

/// A drop-down list: the values a column allows, or yes/no.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListOf {
    Values(Allowed),
    YesNo,
}

/// The values of each drop-down list, in the hidden sheet's columns.
fn choice_lists(r: &Records, config: &Config) -> Vec<(ListOf, Vec<String>)> {
    fn labels<T: Choice>() -> Vec<String> {
        T::ALL.iter().map(|(_, _, l)| l.to_string()).collect()
    }
    fn ids<T>(list: &[T], meta: impl Fn(&T) -> &content::records::Meta) -> Vec<String> {
        list.iter().map(|x| meta(x).id.clone()).collect()
    }
    vec![
        (
            ListOf::Values(Allowed::Choice(ChoiceOf::UnitType)),
            labels::<UnitType>(),
        ),
        (
            ListOf::Values(Allowed::Choice(ChoiceOf::CommitmentKind)),
            labels::<CommitmentKind>(),
        ),
        (
            ListOf::Values(Allowed::Choice(ChoiceOf::Direction)),
            labels::<Direction>(),
        ),
        (
            ListOf::Values(Allowed::Choice(ChoiceOf::Status)),
            labels::<Status>(),
        ),
        (
            ListOf::Values(Allowed::Choice(ChoiceOf::Rating)),
            labels::<Rating>(),
        ),
        (
            ListOf::Values(Allowed::Category),
            config.categories.iter().map(|c| c.name.clone()).collect(),
        ),
        (
            ListOf::Values(Allowed::IdOf(Kind::Streets)),
            ids(&r.streets, |x| &x.meta),
        ),
        (
            ListOf::Values(Allowed::IdOf(Kind::Communities)),
            ids(&r.communities, |x| &x.meta),
        ),
        (
            ListOf::Values(Allowed::IdOf(Kind::Units)),
            ids(&r.units, |x| &x.meta),
        ),
        (
            ListOf::Values(Allowed::IdOf(Kind::Agreements)),
            ids(&r.agreements, |x| &x.meta),
        ),
        (
            ListOf::Values(Allowed::IdOf(Kind::Items)),
            ids(&r.items, |x| &x.meta),
        ),
        (
            ListOf::Values(Allowed::IdOf(Kind::Reports)),
            ids(&r.reports, |x| &x.meta),
        ),
        (
            ListOf::YesNo,
            vec![yes_no(true).to_string(), yes_no(false).to_string()],
        ),
    ]
}

/// The last row a validation covers: the whole column below the header.
const LAST_ROW: u32 = 1_048_575;

fn write_sheet(
    ws: &mut Worksheet,
    sheet: SheetOf,
    rows: &[Vec<Value>],
    lists: &[(ListOf, Vec<String>)],
    (header, date, wrap): (&Format, &Format, &Format),
) -> Result<(), XlsxError> {
    let columns = sheet.columns();
    let mut widths: Vec<usize> = columns.iter().map(|c| display_width(c.label) + 2).collect();
    for (col, c) in columns.iter().enumerate() {
        let col16 = col as u16;
        ws.write_string_with_format(0, col16, c.label, header)?;
        let note = if c.note.is_empty() {
            format!("{} ({})", c.label, c.key)
        } else {
            format!("{} ({})\n{}", c.label, c.key, c.note)
        };
        ws.insert_note(0, col16, &Note::new(note).add_author_prefix(false))?;
        if let Some(v) = validation(c, lists)? {
            ws.add_data_validation(1, col16, LAST_ROW, col16, &v)?;
        }
    }
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (col, v) in row.iter().enumerate() {
            let col16 = col as u16;
            match v {
                Value::Empty => {}
                Value::Text(s) if s.contains('\n') => {
                    ws.write_string_with_format(r, col16, s, wrap)?;
                }
                Value::Text(s) => {
                    ws.write_string(r, col16, s)?;
                }
                Value::Number(n) => {
                    ws.write_number(r, col16, *n)?;
                }
                Value::Date(d) => {
                    let xd =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    ws.write_date_with_format(r, col16, &xd, date)?;
                }
                Value::YesNo(b) => {
                    ws.write_string(r, col16, yes_no(*b))?;
                }
            }
            let w = match v {
                Value::Date(_) => 12,
                other => display_width(other.text().lines().next().unwrap_or("")),
            };
            widths[col] = widths[col].max(w + 2);
        }
    }
    for (col, w) in widths.iter().enumerate() {
        ws.set_column_width(col as u16, (*w).min(60) as f64)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Columns in characters, a Chinese character counting two, as Excel's widths do.
fn display_width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// The drop-down or the rule of a column, `None` for free text.
fn validation(
    c: &Column,
    lists: &[(ListOf, Vec<String>)],
) -> Result<Option<DataValidation>, XlsxError> {
    let list_of = |allowed: ListOf| -> Option<DataValidation> {
        let col = lists.iter().position(|(a, _)| *a == allowed)?;
        let len = lists[col].1.len();
        if len == 0 {
            return None;
        }
        let letter = crate::content::sheet::cell_name(0, col as u32);
        let letter = letter.trim_end_matches('1');
        Some(
            DataValidation::new().allow_list_formula(Formula::new(format!(
                "='{LISTS}'!${letter}$1:${letter}${len}"
            ))),
        )
    };
    let v = match (c.allowed, c.cell) {
        (Allowed::Any, CellType::YesNo) => list_of(ListOf::YesNo),
        (Allowed::Any, CellType::Whole) if c.key == "order" => None,
        (Allowed::Any, CellType::Whole) => Some(
            DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
        ),
        (Allowed::Any, CellType::Decimal) => Some(
            DataValidation::new()
                .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
        ),
        (Allowed::Any, CellType::Date) => Some(DataValidation::new().allow_date(
            DataValidationRule::Between(
                ExcelDateTime::from_ymd(1900, 1, 1)?,
                ExcelDateTime::from_ymd(9999, 12, 31)?,
            ),
        )),
        (Allowed::Any, _) => None,
        (allowed, _) => list_of(ListOf::Values(allowed)),
    };
    match v {
        Some(v) => Ok(Some(v.set_error_title("不是允许的值")?.set_error_message(
            format!(
                "{}：{}",
                c.label,
                if c.note.is_empty() {
                    "请按说明填写"
                } else {
                    c.note
                }
            ),
        )?)),
        None => Ok(None),
    }
}
