//! The assessment export (述职评议考核): a year's ranking tables of units and communities
//! (`data/years/<yyyy>.csv`, and `data/years/<yyyy>.xlsx` with one sheet for each), the same
//! rows as the year's page, for the organisation department's file. Both files are written
//! from one table of values, so they cannot disagree.

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};
use unicode_width::UnicodeWidthStr;

use crate::content::fields::Choice;
use crate::output::MadeFile;
use crate::output::cells::inert_text;
use crate::pages::open_data::year_paths;
use crate::site::Site;
use crate::site::ranking::{self, year_of};
use crate::site::stats::{Evaluator, Ratings, YearTotals};

/// The columns of a year's CSV and of each sheet of its workbook, in order: English keys,
/// as the other data files (the workbook's header row says them in the site's language).
pub const YEAR_FIELDS: &[&str] = &[
    "kind",
    "rank",
    "id",
    "name",
    "type_label",
    "items",
    "completed",
    "in_progress",
    "claimed",
    "cancelled",
    "overdue",
    "completion_rate",
    "beneficiaries",
    "evaluations",
    "satisfaction_rate",
    "evaluations_by_resident",
    "satisfaction_rate_by_resident",
    "evaluations_by_community",
    "satisfaction_rate_by_community",
    "evaluations_by_unit",
    "satisfaction_rate_by_unit",
];

/// Every year's CSV and workbook: (path, bytes), oldest year first, CSV before workbook;
/// the years on all cores.
pub fn files(site: &Site, t: &(dyn Fn(&str) -> String + Sync)) -> Vec<MadeFile> {
    let labels = SheetLabels {
        sheets: [t("ranking_units"), t("ranking_communities")],
        header: YEAR_FIELDS
            .iter()
            .map(|f| t(&format!("year_col_{f}")))
            .collect(),
    };
    crate::pages::years(site)
        .into_par_iter()
        .flat_map_iter(|year| {
            let tables = year_tables(site, year, t);
            let [csv_path, xlsx_path] = year_paths(year);
            [
                (csv_path, year_csv(&tables).into_bytes()),
                (xlsx_path, year_xlsx(&tables, &labels, site.as_of)),
            ]
        })
        .collect()
}

/// One value of the ranking tables, as both files write it.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    Count(u64),
    /// A rate 0–1, or none (nothing to divide by).
    Rate(Option<f64>),
}

impl Value {
    /// Text a spreadsheet would take for a formula made safe ([`inert_text`]).
    fn text(s: &str) -> Value {
        Value::Text(inert_text(s).into_owned())
    }

    /// As a CSV field: a rate with four decimals, as the other data files write it.
    fn csv(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Count(n) => n.to_string(),
            Value::Rate(r) => r.map_or(String::new(), |r| {
                ((r * 10000.0).round() / 10000.0).to_string()
            }),
        }
    }

    /// How many columns of a spreadsheet it takes shown (a Chinese character two).
    fn width(&self) -> usize {
        match self {
            Value::Text(s) => s.width(),
            Value::Count(n) => n.to_string().len(),
            Value::Rate(_) => "100.0%".len(),
        }
    }
}

/// A year's units and communities, each in ranking order, as rows of [`YEAR_FIELDS`].
struct YearTables {
    units: Vec<Vec<Value>>,
    communities: Vec<Vec<Value>>,
}

fn year_tables(site: &Site, year: i32, t: &(dyn Fn(&str) -> String + Sync)) -> YearTables {
    let order = ranking::rank(site, year);
    let units = order.units.iter().enumerate().map(|(k, &u)| {
        let unit = &site.units[u as usize];
        let type_label = t(&format!("type_{}", unit.unit_type.key()));
        let head = ["unit", &unit.meta.id, &unit.name, &type_label];
        row(k, head, year_of(&site.stats.units[u as usize], year))
    });
    let communities = order.communities.iter().enumerate().map(|(k, &c)| {
        let com = &site.communities[c as usize];
        let head = ["community", &com.meta.id, &com.name, ""];
        row(k, head, year_of(&site.stats.communities[c as usize], year))
    });
    YearTables {
        units: units.collect(),
        communities: communities.collect(),
    }
}

/// One row: kind, rank (from `k`, counted from 0), id, name and type label, then the year's
/// figures.
fn row(k: usize, [kind, id, name, type_label]: [&str; 4], y: &YearTotals) -> Vec<Value> {
    let mut out = vec![
        Value::text(kind),
        Value::Count(k as u64 + 1),
        Value::text(id),
        Value::text(name),
        Value::text(type_label),
    ];
    let c = &y.counts;
    out.extend(
        [
            c.items,
            c.completed,
            c.in_progress,
            c.claimed,
            c.cancelled,
            c.overdue,
        ]
        .map(|n| Value::Count(n.into())),
    );
    out.push(Value::Rate(y.counts.completion_rate()));
    out.push(Value::Count(y.beneficiaries));
    let ratings = |r: &Ratings| {
        [
            Value::Count(r.evaluations.into()),
            Value::Rate(r.satisfaction_rate()),
        ]
    };
    out.extend(ratings(&y.satisfaction.all));
    for e in Evaluator::ALL {
        out.extend(ratings(y.satisfaction.by(e)));
    }
    out
}

/// Units, then communities, as CSV with a byte-order mark (Excel and WPS read it as UTF-8)
/// and CRLF line ends.
fn year_csv(tables: &YearTables) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(YEAR_FIELDS);
    for row in tables.units.iter().chain(&tables.communities) {
        let _ = w.write_record(row.iter().map(Value::csv));
    }
    let bytes = w.into_inner().unwrap_or_default();
    let mut text = String::from('\u{feff}');
    text.push_str(&String::from_utf8_lossy(&bytes));
    text
}

/// The words of a workbook in the site's language: its sheets' names (units, communities)
/// and its header row, one label per column of [`YEAR_FIELDS`] (UI strings `year_col_<key>`).
struct SheetLabels {
    sheets: [String; 2],
    header: Vec<String>,
}

/// The longest text a cell of Excel holds, in UTF-16 units; longer text is cut.
const CELL_TEXT_MAX: usize = 32_767;

/// No column wider than this (in Excel's character widths): a long name wraps the page.
const COLUMN_WIDTH_MAX: usize = 40;

/// Units and communities as one sheet each, with the CSV's columns under a header row in
/// the site's language, frozen and bold; counts as numbers, rates as numbers shown as percentages, columns as wide
/// as their text, printed on A4 landscape one page wide. Its creation date is the site's
/// as-of date, so an unchanged year makes the same bytes (the output keeps its mtime).
fn year_xlsx(tables: &YearTables, labels: &SheetLabels, as_of: NaiveDate) -> Vec<u8> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(
        u16::try_from(as_of.year()).unwrap_or(1900),
        as_of.month() as u8,
        as_of.day() as u8,
    );
    if let Ok(created) = created {
        book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    }
    for (rows, name) in [&tables.units, &tables.communities]
        .into_iter()
        .zip(&labels.sheets)
    {
        fill_sheet(book.add_worksheet(), name, &labels.header, rows);
    }
    // The workbook keeps within every limit Excel has (text cut to a cell's length, fewer
    // rows than a sheet holds, a sheet's name checked), so saving to memory does not fail.
    book.save_to_buffer().unwrap_or_default()
}

fn fill_sheet(sheet: &mut Worksheet, name: &str, header: &[String], rows: &[Vec<Value>]) {
    // A theme's name that Excel refuses (too long, `/` or `:` in it) leaves "Sheet1".
    let _ = sheet.set_name(name);
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for (col, label) in header.iter().enumerate() {
        let _ = sheet.write_string_with_format(0, col as u16, cut(label), &bold);
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (col, value) in row.iter().enumerate() {
            widths[col] = widths[col].max(value.width());
            let col = col as u16;
            let _ = match value {
                Value::Text(s) if s.is_empty() => continue,
                Value::Text(s) => sheet.write_string(r, col, cut(s)),
                Value::Count(n) => sheet.write_number(r, col, *n as f64),
                Value::Rate(Some(x)) => sheet.write_number_with_format(r, col, *x, &percent),
                Value::Rate(None) => continue,
            };
        }
    }
    for (col, w) in widths.into_iter().enumerate() {
        let _ = sheet.set_column_width(col as u16, (w + 2).min(COLUMN_WIDTH_MAX) as f64);
    }
    let _ = sheet.set_freeze_panes(1, 0);
    let _ = sheet.set_repeat_rows(0, 0);
    sheet
        .set_landscape()
        .set_paper_size(9) // A4
        .set_print_fit_to_pages(1, 0);
}

/// `s` cut to what a cell holds.
fn cut(s: &str) -> &str {
    let mut units = 0;
    for (at, c) in s.char_indices() {
        units += c.len_utf16();
        if units > CELL_TEXT_MAX {
            return &s[..at];
        }
    }
    s
}
