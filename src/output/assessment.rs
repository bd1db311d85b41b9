//! The assessment export (述职评议考核): a year's ranking tables of units and communities
//! (`data/years/<yyyy>.csv`), the same rows as the year's page, for the organisation
//! department's file.

use std::borrow::Cow;

use crate::content::fields::Choice;
use crate::pages::open_data::year_csv_path;
use crate::site::Site;
use crate::site::ranking::{self, year_of};
use crate::site::stats::{Evaluator, Ratings, YearTotals};

/// The columns of a year's CSV, in order: English keys, as the other data files.
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

/// Every year's CSV: (path, text), oldest year first.
pub fn files(site: &Site, t: &(dyn Fn(&str) -> String + Sync)) -> Vec<(String, String)> {
    crate::pages::years(site)
        .into_iter()
        .map(|year| (year_csv_path(year), year_csv(site, year, t)))
        .collect()
}

/// A year's units, then its communities, each in ranking order, as CSV with a byte-order
/// mark (Excel and WPS read it as UTF-8) and CRLF line ends; text that a spreadsheet would
/// take for a formula is made safe ([`spreadsheet_text`]).
fn year_csv(site: &Site, year: i32, t: &(dyn Fn(&str) -> String + Sync)) -> String {
    let order = ranking::rank(site, year);
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(YEAR_FIELDS);
    for (k, &u) in order.units.iter().enumerate() {
        let unit = &site.units[u as usize];
        let type_label = t(&format!("type_{}", unit.unit_type.key()));
        let head = [
            "unit",
            &(k + 1).to_string(),
            &unit.meta.id,
            &unit.name,
            &type_label,
        ];
        let _ = w.write_record(row(&head, year_of(&site.stats.units[u as usize], year)));
    }
    for (k, &c) in order.communities.iter().enumerate() {
        let com = &site.communities[c as usize];
        let head = [
            "community",
            &(k + 1).to_string(),
            &com.meta.id,
            &com.name,
            "",
        ];
        let _ = w.write_record(row(
            &head,
            year_of(&site.stats.communities[c as usize], year),
        ));
    }
    let bytes = w.into_inner().unwrap_or_default();
    let mut text = String::from('\u{feff}');
    text.push_str(&String::from_utf8_lossy(&bytes));
    text
}

/// The fields of one row: its first five as given, then the year's figures.
fn row(head: &[&str; 5], y: &YearTotals) -> Vec<String> {
    let mut out: Vec<String> = head
        .iter()
        .map(|s| spreadsheet_text(s).into_owned())
        .collect();
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
        .iter()
        .map(u32::to_string),
    );
    out.push(rate(y.counts.completion_rate()));
    out.push(y.beneficiaries.to_string());
    let ratings = |r: &Ratings| [r.evaluations.to_string(), rate(r.satisfaction_rate())];
    out.extend(ratings(&y.satisfaction.all));
    for e in Evaluator::ALL {
        out.extend(ratings(y.satisfaction.by(e)));
    }
    out
}

/// A rate 0–1 with four decimals, or nothing (no rate), as the other data files write it.
fn rate(r: Option<f64>) -> String {
    r.map_or(String::new(), |r| {
        ((r * 10000.0).round() / 10000.0).to_string()
    })
}

/// Text that Excel or WPS would read as a formula (starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return) gets a leading `'`, so it shows as typed and runs nothing.
pub fn spreadsheet_text(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_shown_as_text() {
        for s in ["=1+1", "+86", "-3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(spreadsheet_text(s), format!("'{s}"));
        }
        assert_eq!(spreadsheet_text("南街街道"), "南街街道");
        assert_eq!(spreadsheet_text("a=b"), "a=b");
    }
}
