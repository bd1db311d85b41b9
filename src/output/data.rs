//! Open data under `/data/`: `records.json` (every published record with its derived
//! fields), one CSV per kind, and a JSON of each community's own records.
//!
//! One table per kind is built here, and every file (and the data dictionary of the `/data/`
//! page, through `pages::open_data::FIELDS`) is written from it, so the JSON, the CSV and
//! the dictionary cannot disagree. Names are already masked in the site; records keep the site's order,
//! which is stable, and fields keep the order of `FIELDS`.

use rayon::prelude::*;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::content::fields::Choice;
use crate::content::records::Party;
use crate::output::cells::inert_text;
use crate::output::{MadeFile, assessment};
use crate::pages::open_data::{FIELDS, community_json_path, fields};
use crate::pages::{self, Index};
use crate::render::markdown;
use crate::site::Site;
use crate::site::stats::{Evaluator, Satisfaction, Totals};

/// One value of a table.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    Int(u64),
    Num(f64),
    Bool(bool),
    List(Vec<String>),
    Null,
}

impl Cell {
    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
    fn opt_text(s: Option<&str>) -> Cell {
        s.map_or(Cell::Null, Cell::text)
    }
    fn opt_int(n: Option<u32>) -> Cell {
        n.map_or(Cell::Null, |n| Cell::Int(n.into()))
    }
    fn opt_date(d: Option<chrono::NaiveDate>) -> Cell {
        d.map_or(Cell::Null, |d| Cell::Text(d.to_string()))
    }
    fn rate(r: Option<f64>) -> Cell {
        r.map_or(Cell::Null, |r| Cell::Num((r * 10000.0).round() / 10000.0))
    }

    /// The value as one CSV field: lists joined by "; ", nothing for null; text that a
    /// spreadsheet would run as a formula is made inert ([`inert_text`]).
    fn csv(&self) -> String {
        match self {
            Cell::Text(s) => inert_text(s).into_owned(),
            Cell::Int(n) => n.to_string(),
            Cell::Num(x) => x.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::List(l) => inert_text(&l.join("; ")).into_owned(),
            Cell::Null => String::new(),
        }
    }
}

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Text(t) => s.serialize_str(t),
            Cell::Int(n) => s.serialize_u64(*n),
            Cell::Num(x) => s.serialize_f64(*x),
            Cell::Bool(b) => s.serialize_bool(*b),
            Cell::List(l) => l.serialize(s),
            Cell::Null => s.serialize_none(),
        }
    }
}

/// The records of one kind: a row of cells per record, in the order of `fields`.
struct Table {
    kind: &'static str,
    fields: Vec<&'static str>,
    rows: Vec<Vec<Cell>>,
}

/// A row as a JSON object, fields in table order.
struct Object<'a>(&'a [&'static str], &'a [Cell]);

impl Serialize for Object<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0.iter().zip(self.1) {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

struct Objects<'a>(&'a Table, Stop<'a>);

impl Serialize for Objects<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.rows.len()))?;
        for row in &self.0.rows {
            if (self.1)() {
                return Err(serde::ser::Error::custom("stopped"));
            }
            seq.serialize_element(&Object(&self.0.fields, row))?;
        }
        seq.end()
    }
}

/// A whole data file: the site's header and every table by kind.
struct Document<'a> {
    site: &'a Site,
    tables: &'a [Table],
    stop: Stop<'a>,
}

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3 + self.tables.len()))?;
        map.serialize_entry("title", &self.site.config.title)?;
        map.serialize_entry("base_url", &self.site.config.base_url)?;
        map.serialize_entry("as_of", &self.site.as_of.to_string())?;
        for t in self.tables {
            map.serialize_entry(t.kind, &Objects(t, self.stop))?;
        }
        map.end()
    }
}

/// Which records of each kind go into a file, by index.
struct Selection {
    streets: Vec<u32>,
    communities: Vec<u32>,
    units: Vec<u32>,
    agreements: Vec<u32>,
    items: Vec<u32>,
    reports: Vec<u32>,
    evaluations: Vec<u32>,
    pages: Vec<u32>,
}

fn all(len: usize) -> Vec<u32> {
    (0..len as u32).collect()
}

impl Selection {
    fn everything(site: &Site) -> Selection {
        Selection {
            streets: all(site.streets.len()),
            communities: all(site.communities.len()),
            units: all(site.units.len()),
            agreements: all(site.agreements.len()),
            items: all(site.items.len()),
            reports: all(site.reports.len()),
            evaluations: all(site.evaluations.len()),
            pages: all(site.pages.len()),
        }
    }

    /// A community, its street, agreements, partner units, items, their reports, and the
    /// evaluations of or by the community or of its items. Indices ascending, so the file
    /// keeps the site's order.
    fn community(site: &Site, index: &Index, c: usize) -> Selection {
        let sorted = |mut v: Vec<u32>| {
            v.sort_unstable();
            v.dedup();
            v
        };
        let items = sorted(index.community_items[c].clone());
        let evaluations = index.community_evaluations_received[c]
            .iter()
            .chain(&index.community_evaluations_given[c])
            .chain(
                items
                    .iter()
                    .flat_map(|&i| &index.item_evaluations[i as usize]),
            )
            .copied()
            .collect();
        Selection {
            streets: vec![site.communities[c].street.idx],
            communities: vec![c as u32],
            units: index.community_units[c].clone(),
            agreements: sorted(index.community_agreements[c].clone()),
            reports: sorted(index.community_reports[c].clone()),
            evaluations: sorted(evaluations),
            items,
            pages: Vec::new(),
        }
    }
}

/// The data files to write: (path in the output, bytes). Files are made in parallel.
pub fn files(
    site: &Site,
    index: &Index,
    strings: &(dyn Fn(&str) -> String + Sync),
) -> Vec<MadeFile> {
    files_unless(site, index, strings, &|| false).unwrap_or_default()
}

/// Whether to give up making the files: `serve` makes them after the pages are served, and
/// gives up when a newer change waits, rather than keep the editor waiting for them. It is
/// asked between files and before each row written, so giving up takes milliseconds.
pub type Stop<'a> = &'a (dyn Fn() -> bool + Sync);

/// [`files`], or `None` as soon as `stop` says so.
pub fn files_unless(
    site: &Site,
    index: &Index,
    strings: &(dyn Fn(&str) -> String + Sync),
    stop: Stop,
) -> Option<Vec<MadeFile>> {
    if stop() {
        return None;
    }
    let whole = tables(site, index, &Selection::everything(site), strings, stop);
    let ((records, csvs), (communities, years)) = rayon::join(
        || {
            rayon::join(
                || json(site, &whole, stop),
                || {
                    whole
                        .par_iter()
                        .map(|t| Some((format!("data/{}.csv", t.kind), csv(t, stop)?)))
                        .collect::<Option<Vec<_>>>()
                },
            )
        },
        || {
            // The assessment files beside the communities' JSON: the workbooks take a while.
            rayon::join(
                || community_files(site, index, strings, stop),
                || assessment::files(site, strings),
            )
        },
    );
    // A table cut short may have made a file without noticing: stopping is for good.
    if stop() {
        // Freeing the cells of every record takes longer than the wait this is about.
        std::thread::spawn(move || drop(whole));
        return None;
    }
    let text = |(path, text): (String, String)| (path, text.into_bytes());
    let mut out = vec![text(("data/records.json".to_string(), records?))];
    out.extend(csvs?.into_iter().map(text));
    out.extend(years);
    out.extend(communities?.into_iter().map(text));
    Some(out)
}

/// Each community's JSON (path, text); `None` once `stop` says so.
fn community_files(
    site: &Site,
    index: &Index,
    strings: &(dyn Fn(&str) -> String + Sync),
    stop: Stop,
) -> Option<Vec<(String, String)>> {
    site.communities
        .par_iter()
        .enumerate()
        .map(|(c, community)| {
            if stop() {
                return None;
            }
            let sel = Selection::community(site, index, c);
            Some((
                community_json_path(&community.meta.id),
                json(site, &tables(site, index, &sel, strings, stop), stop)?,
            ))
        })
        .collect::<Option<Vec<_>>>()
}

/// The paths of the files [`files`] makes, without making them.
pub fn paths(site: &Site) -> Vec<String> {
    let mut out = vec!["data/records.json".to_string()];
    out.extend(FIELDS.iter().map(|(kind, _)| format!("data/{kind}.csv")));
    out.extend(
        pages::years(site)
            .into_iter()
            .flat_map(crate::pages::open_data::year_paths),
    );
    out.extend(
        site.communities
            .iter()
            .map(|c| community_json_path(&c.meta.id)),
    );
    out
}

fn json(site: &Site, tables: &[Table], stop: Stop) -> Option<String> {
    let doc = Document { site, tables, stop };
    // Serialising owned strings and numbers fails only when stopped.
    let mut text = serde_json::to_string(&doc).ok()?;
    text.push('\n');
    Some(text)
}

/// A CSV with a byte-order mark, so Excel and WPS read it as UTF-8, and CRLF line ends.
fn csv(table: &Table, stop: Stop) -> Option<String> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(&table.fields);
    for row in &table.rows {
        if stop() {
            return None;
        }
        let _ = w.write_record(row.iter().map(Cell::csv));
    }
    let bytes = w.into_inner().unwrap_or_default();
    let mut text = String::from('\u{feff}');
    text.push_str(&String::from_utf8_lossy(&bytes));
    Some(text)
}

/// The tables of the records of `sel`; rows stop being made once `stop` says so (the caller
/// then drops the tables).
fn tables(
    site: &Site,
    index: &Index,
    sel: &Selection,
    t: &(dyn Fn(&str) -> String + Sync),
    stop: Stop,
) -> Vec<Table> {
    let cx = RowContext {
        site,
        index,
        t,
        // Free pages' bodies as on their pages, links under the base URL's path.
        base: crate::config::base_path(&site.config.base_url),
    };
    let table = |kind: &'static str, list: &[u32], row: fn(&RowContext, u32) -> Vec<Cell>| Table {
        kind,
        fields: fields(kind),
        rows: list
            .par_iter()
            .take_any_while(|_| !stop())
            .map(|&r| row(&cx, r))
            .collect(),
    };
    vec![
        table("streets", &sel.streets, street_row),
        table("communities", &sel.communities, community_row),
        table("units", &sel.units, unit_row),
        table("agreements", &sel.agreements, agreement_row),
        table("items", &sel.items, item_row),
        table("reports", &sel.reports, report_row),
        table("evaluations", &sel.evaluations, evaluation_row),
        table("pages", &sel.pages, page_row),
    ]
}

/// What every row of the open data is made from.
struct RowContext<'a> {
    site: &'a Site,
    index: &'a Index,
    t: &'a (dyn Fn(&str) -> String + Sync),
    base: String,
}

impl RowContext<'_> {
    /// A page's full URL as a cell.
    fn url(&self, u: String) -> Cell {
        Cell::Text(format!("{}{u}", self.site.config.base_url))
    }
}

/// One row of `streets`.
fn street_row(cx: &RowContext, s: u32) -> Vec<Cell> {
    let site = cx.site;
    let st = &site.streets[s as usize];
    let mut row = vec![
        Cell::text(&st.meta.id),
        Cell::text(&st.name),
        Cell::opt_text(st.district.as_deref()),
        Cell::opt_text(st.summary.as_deref()),
        cx.url(pages::street_url(&st.meta.id)),
    ];
    row.extend(totals(&site.stats.streets[s as usize]));
    row
}

/// One row of `communities`.
fn community_row(cx: &RowContext, c: u32) -> Vec<Cell> {
    let site = cx.site;
    let com = &site.communities[c as usize];
    let mut row = vec![
        Cell::text(&com.meta.id),
        Cell::text(&com.name),
        Cell::text(&com.street.id),
        Cell::opt_text(com.party_org.as_deref()),
        Cell::opt_int(com.households),
        Cell::opt_int(com.grids),
        Cell::opt_text(com.address.as_deref()),
        Cell::opt_text(com.phone.as_deref()),
        Cell::opt_text(com.summary.as_deref()),
        cx.url(pages::community_url(&com.meta.id)),
    ];
    row.extend(totals(&site.stats.communities[c as usize]));
    row
}

/// One row of `units`.
fn unit_row(cx: &RowContext, u: u32) -> Vec<Cell> {
    let site = cx.site;
    let t = cx.t;
    let unit = &site.units[u as usize];
    let mut row = vec![
        Cell::text(&unit.meta.id),
        Cell::text(&unit.name),
        Cell::text(unit.unit_type.key()),
        Cell::Text(t(&format!("type_{}", unit.unit_type.key()))),
        Cell::opt_text(unit.party_org.as_deref()),
        Cell::opt_int(unit.members_reported),
        Cell::opt_text(unit.summary.as_deref()),
        cx.url(pages::unit_url(&unit.meta.id)),
    ];
    row.extend(totals(&site.stats.units[u as usize]));
    row
}

/// One row of `agreements`.
fn agreement_row(cx: &RowContext, a: u32) -> Vec<Cell> {
    let site = cx.site;
    let index = cx.index;
    let ag = &site.agreements[a as usize];
    let of_kind = |key: &str| {
        Cell::List(
            ag.commitments
                .iter()
                .filter(|c| c.kind.key() == key)
                .map(|c| c.title.clone())
                .collect(),
        )
    };
    vec![
        Cell::text(&ag.meta.id),
        Cell::text(&ag.title),
        Cell::text(&ag.community.id),
        Cell::List(ag.units.iter().map(|u| u.id.clone()).collect()),
        Cell::Text(ag.signed.to_string()),
        Cell::opt_date(ag.start),
        Cell::opt_date(ag.end),
        of_kind("need"),
        of_kind("resource"),
        of_kind("project"),
        Cell::Int(index.agreement_items[a as usize].len() as u64),
        cx.url(pages::agreement_url(&ag.meta.id)),
    ]
}

/// One row of `items`.
fn item_row(cx: &RowContext, i: u32) -> Vec<Cell> {
    let site = cx.site;
    let t = cx.t;
    let i = i as usize;
    let it = &site.items[i];
    let status = site.item_status[i];
    let category = &site.config.categories[it.category as usize];
    let mut row = vec![
        Cell::text(&it.meta.id),
        Cell::text(&it.title),
        Cell::text(&it.community.id),
        Cell::text(&it.unit.id),
        Cell::opt_text(it.member.as_deref()),
        Cell::text(it.direction.key()),
        Cell::opt_text(it.agreement.as_ref().map(|a| a.id.as_str())),
        Cell::text(&category.slug),
        Cell::text(&category.name),
        Cell::Text(it.claimed.to_string()),
        Cell::opt_date(it.due),
        Cell::text(status.key()),
        Cell::Text(t(&format!("status_{}", status.key()))),
        Cell::Bool(site.item_overdue[i]),
        Cell::opt_date(site.completed_on(i)),
        Cell::Int(site.item_reports[i].len() as u64),
        cx.url(pages::item_url(&it.meta.id)),
    ];
    let evaluations = &cx.index.item_evaluations[i];
    row.extend(satisfaction(&Satisfaction::of(site, evaluations)));
    row
}

/// One row of `reports`.
fn report_row(cx: &RowContext, r: u32) -> Vec<Cell> {
    let site = cx.site;
    let rep = &site.reports[r as usize];
    vec![
        Cell::text(&rep.meta.id),
        Cell::text(&rep.item.id),
        Cell::Text(rep.date.to_string()),
        Cell::Bool(rep.is_final),
        Cell::text(&rep.summary),
        Cell::opt_int(rep.beneficiaries),
        Cell::opt_int(rep.volunteers),
        rep.hours.map_or(Cell::Null, Cell::Num),
        Cell::Int(rep.photos.len() as u64),
    ]
}

/// One row of `evaluations`.
fn evaluation_row(cx: &RowContext, e: u32) -> Vec<Cell> {
    let site = cx.site;
    let ev = &site.evaluations[e as usize];
    let (of_kind, of) = party(&ev.of);
    let (by_kind, by) = party(&ev.by);
    vec![
        Cell::text(&ev.meta.id),
        Cell::text(of_kind),
        Cell::text(of),
        Cell::text(by_kind),
        Cell::text(by),
        Cell::Text(ev.date.to_string()),
        Cell::text(ev.rating.key()),
        Cell::opt_text(ev.comment.as_deref()),
    ]
}

/// One row of `pages`.
fn page_row(cx: &RowContext, p: u32) -> Vec<Cell> {
    let site = cx.site;
    let base = &cx.base;
    let pg = &site.pages[p as usize];
    let body = &pg.meta.body;
    vec![
        Cell::text(&pg.meta.id),
        Cell::text(&pg.title),
        pg.order.map_or(Cell::Null, |n| Cell::Text(n.to_string())),
        if body.trim().is_empty() {
            Cell::Null
        } else {
            Cell::Text(markdown::to_html(body, base, "p-"))
        },
        cx.url(format!("{}/", pg.meta.id)),
    ]
}

/// A party's kind and its id (a resident's masked name).
fn party(p: &Party) -> (&'static str, &str) {
    match p {
        Party::Item(r) => ("item", &r.id),
        Party::Unit(r) => ("unit", &r.id),
        Party::Community(r) => ("community", &r.id),
        Party::Resident(name) => ("resident", name),
    }
}

/// The cells of [`TOTALS_FIELDS`](crate::pages::open_data::TOTALS_FIELDS) and
/// [`SATISFACTION_FIELDS`](crate::pages::open_data::SATISFACTION_FIELDS).
fn totals(t: &Totals) -> Vec<Cell> {
    let mut cells = vec![
        Cell::Int(t.agreements.into()),
        Cell::Int(t.units.into()),
        Cell::Int(t.members_reported),
        Cell::Int(t.counts.items.into()),
        Cell::Int(t.counts.claimed.into()),
        Cell::Int(t.counts.in_progress.into()),
        Cell::Int(t.counts.completed.into()),
        Cell::Int(t.counts.cancelled.into()),
        Cell::Int(t.counts.overdue.into()),
        Cell::rate(t.completion_rate()),
        Cell::Int(t.beneficiaries),
        Cell::Int(t.volunteers),
        Cell::Num(t.hours),
    ];
    cells.extend(satisfaction(&t.satisfaction));
    cells
}

/// The cells of [`SATISFACTION_FIELDS`](crate::pages::open_data::SATISFACTION_FIELDS).
fn satisfaction(s: &Satisfaction) -> Vec<Cell> {
    let mut cells = vec![
        Cell::Int(s.all.evaluations.into()),
        Cell::Int(s.all.satisfied.into()),
        Cell::Int(s.all.fair.into()),
        Cell::Int(s.all.unsatisfied.into()),
        Cell::rate(s.all.satisfaction_rate()),
    ];
    for e in Evaluator::ALL {
        let r = s.by(e);
        cells.push(Cell::Int(r.evaluations.into()));
        cells.push(Cell::rate(r.satisfaction_rate()));
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::open_data;

    #[test]
    fn csv_quotes_what_it_must_and_starts_with_a_bom() {
        let t = Table {
            kind: "x",
            fields: vec!["a", "b", "c"],
            rows: vec![vec![
                Cell::text("逗号,引号\"换行\n"),
                Cell::List(vec!["u1".into(), "u2".into()]),
                Cell::Null,
            ]],
        };
        assert_eq!(
            csv(&t, &|| false).as_deref(),
            Some("\u{feff}a,b,c\r\n\"逗号,引号\"\"换行\n\",u1; u2,\r\n")
        );
        assert_eq!(csv(&t, &|| true), None, "told to stop");
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        let t = Table {
            kind: "x",
            fields: vec!["a", "b", "c", "d"],
            rows: vec![vec![
                Cell::text("=HYPERLINK(\"http://evil.example\",\"x\")"),
                Cell::text("+cmd|' /C calc'!A0"),
                Cell::List(vec!["@a".into(), "b".into()]),
                Cell::Num(-0.5),
            ]],
        };
        assert_eq!(
            csv(&t, &|| false).as_deref(),
            Some(
                "\u{feff}a,b,c,d\r\n\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",'+cmd|' /C calc'!A0,'@a; b,-0.5\r\n"
            )
        );
    }

    #[test]
    fn the_figures_fill_their_fields() {
        let scope = open_data::TOTALS_FIELDS.len() + open_data::SATISFACTION_FIELDS.len();
        assert_eq!(totals(&Totals::default()).len(), scope);
        assert_eq!(fields("streets").len(), 5 + scope);
        let item = satisfaction(&Satisfaction::default()).len();
        assert_eq!(item, open_data::SATISFACTION_FIELDS.len());
        assert_eq!(fields("items").len(), 17 + item);
        assert!(fields("categories").is_empty());
    }
}
