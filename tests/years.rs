//! Evaluations by direction and the figures of each year, counted here from the record files
//! themselves (not through shiji's own code), compared with the built pages and CSV files.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use common::{build_ok, copy_site, files, repo, sel};
use scraper::Html;
use serde_yaml::Value;

/// One record as written: its id and its fields.
struct Record {
    id: String,
    fields: Value,
}

/// Every record of one kind under `content/<kind>/`, as plainly as records.md describes
/// them: a YAML mapping or list of mappings, or Markdown with YAML front matter.
fn records(root: &Path, kind: &str) -> Vec<Record> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root.join("content").join(kind))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with(['_', '.']) {
            continue;
        }
        if name.ends_with(".xlsx") {
            out.extend(workbook_records(e.path()));
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        let text = text.trim_start_matches('\u{feff}');
        let stem = name.rsplit_once('.').unwrap().0.to_string();
        let yaml = if name.ends_with(".md") {
            text.split("---").nth(1).unwrap().to_string()
        } else {
            text.to_string()
        };
        let value: Value = serde_yaml::from_str(&yaml).unwrap();
        let list = match value {
            Value::Sequence(list) => list,
            one => vec![one],
        };
        for fields in list {
            let id = fields
                .get("id")
                .and_then(Value::as_str)
                .map_or(stem.clone(), str::to_string);
            out.push(Record { id, fields });
        }
    }
    out
}

/// The records of a ledger workbook (docs/ledgers.md): row 1 names each column by its Chinese
/// label, a dotted key (`of.unit`) stands for a nested field, 是 in 草稿 for `draft: true`.
fn workbook_records(path: &Path) -> Vec<Record> {
    use calamine::{Data, Reader};
    const LABELS: &[(&str, &str)] = &[
        ("编号", "id"),
        ("被评事项", "of.item"),
        ("被评单位", "of.unit"),
        ("被评社区", "of.community"),
        ("评价单位", "by.unit"),
        ("评价社区", "by.community"),
        ("评价居民", "by.resident"),
        ("评价日期", "date"),
        ("评价结果", "rating"),
        ("评语", "comment"),
        ("草稿", "draft"),
    ];
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        let mut rows = range.rows();
        let Some(header) = rows.next() else { continue };
        let keys: Vec<Option<&str>> = header
            .iter()
            .map(|h| {
                let h = h.to_string();
                LABELS.iter().find(|(l, _)| *l == h).map(|(_, k)| *k)
            })
            .collect();
        for row in rows {
            let mut fields = serde_yaml::Mapping::new();
            for (key, cell) in keys.iter().zip(row) {
                let (Some(key), false) = (key, matches!(cell, Data::Empty)) else {
                    continue;
                };
                let value = match cell {
                    Data::DateTime(d) => {
                        // Excel's day numbers count from 1899-12-30.
                        let day = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()
                            + chrono::Days::new(d.as_f64() as u64);
                        Value::from(day.format("%Y-%m-%d").to_string())
                    }
                    _ if *key == "draft" => Value::from(*cell == "是"),
                    _ => Value::from(cell.to_string()),
                };
                match key.split_once('.') {
                    Some((outer, inner)) => {
                        let mut m = serde_yaml::Mapping::new();
                        m.insert(inner.into(), value);
                        fields.insert(outer.into(), Value::Mapping(m));
                    }
                    None => {
                        fields.insert((*key).into(), value);
                    }
                }
            }
            let fields = Value::Mapping(fields);
            // A note sheet (`_说明`) or a blank row has no id.
            if let Some(id) = text(&fields, "id") {
                let id = id.to_string();
                out.push(Record { id, fields });
            }
        }
    }
    out
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// The one key of a mapping like `{unit: x}` and its value.
fn party(v: &Value) -> (String, String) {
    let (k, v) = v.as_mapping().unwrap().iter().next().unwrap();
    (
        k.as_str().unwrap().to_string(),
        v.as_str().unwrap().to_string(),
    )
}

fn is_draft(r: &Record) -> bool {
    r.fields.get("draft").and_then(Value::as_bool) == Some(true)
}

/// Ratings counted: (evaluations, satisfied or fair).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Count(u32, u32);

impl Count {
    fn add(&mut self, rating: &str) {
        self.0 += 1;
        if matches!(rating, "satisfied" | "满意" | "fair" | "基本满意") {
            self.1 += 1;
        }
    }
    /// As the pages write it: `88.9%`, or 暂无数据 without evaluations.
    fn page(self) -> String {
        if self.0 == 0 {
            "暂无数据".into()
        } else {
            format!("{:.1}%", f64::from(self.1) * 100.0 / f64::from(self.0))
        }
    }
    /// As the CSV writes it: 0–1 with four decimals, or nothing.
    fn csv(self) -> String {
        if self.0 == 0 {
            String::new()
        } else {
            (((f64::from(self.1) / f64::from(self.0)) * 10000.0).round() / 10000.0).to_string()
        }
    }
}

/// What the records say, counted by hand.
#[derive(Default)]
struct Counted {
    /// By direction (`resident`, `community`, `unit`) over the whole site.
    site: BTreeMap<String, Count>,
    /// By unit id, then direction.
    unit: BTreeMap<String, BTreeMap<String, Count>>,
    /// By year, then unit id: (items, completed, cancelled).
    unit_year_items: BTreeMap<i32, BTreeMap<String, (u32, u32, u32)>>,
    /// By year, then community id: (items, completed, cancelled).
    community_year_items: BTreeMap<i32, BTreeMap<String, (u32, u32, u32)>>,
    /// By year, then direction, over the site.
    year: BTreeMap<i32, BTreeMap<String, Count>>,
    /// By year, then unit id, then direction.
    unit_year: BTreeMap<i32, BTreeMap<String, BTreeMap<String, Count>>>,
    /// By item id, then direction.
    item: BTreeMap<String, BTreeMap<String, Count>>,
}

fn year_of(date: &str) -> i32 {
    date[..4].parse().unwrap()
}

fn count(root: &Path) -> Counted {
    let mut c = Counted::default();
    // Items: their year, unit, community and status (written, else from their reports).
    let items: BTreeMap<String, Record> = records(root, "items")
        .into_iter()
        .filter(|r| !is_draft(r))
        .map(|r| (r.id.clone(), r))
        .collect();
    let reports: Vec<Record> = records(root, "reports")
        .into_iter()
        .filter(|r| !is_draft(r) && items.contains_key(text(&r.fields, "item").unwrap()))
        .collect();
    let item_unit = |id: &str| party(&items[id].fields["claimed_by"]).1;
    let item_year = |id: &str| year_of(text(&items[id].fields, "claimed").unwrap());
    for (id, it) in &items {
        let written = text(&it.fields, "status");
        let has_final = reports.iter().any(|r| {
            text(&r.fields, "item") == Some(id)
                && r.fields.get("final").and_then(Value::as_bool) != Some(false)
        });
        let completed = matches!(written, Some("completed" | "已完成")) || has_final;
        let cancelled = matches!(written, Some("cancelled" | "已取消"));
        let year = item_year(id);
        let community = text(&it.fields, "community").unwrap().to_string();
        for (map, key) in [
            (&mut c.unit_year_items, item_unit(id)),
            (&mut c.community_year_items, community),
        ] {
            let e = map.entry(year).or_default().entry(key).or_default();
            e.0 += 1;
            e.1 += u32::from(completed);
            e.2 += u32::from(cancelled);
        }
    }
    for ev in records(root, "evaluations") {
        if is_draft(&ev) {
            continue;
        }
        let (of_kind, of) = party(&ev.fields["of"]);
        if of_kind == "item" && !items.contains_key(&of) {
            continue; // of a draft item
        }
        let (by_kind, _) = party(&ev.fields["by"]);
        let rating = text(&ev.fields, "rating").unwrap();
        let year = if of_kind == "item" {
            item_year(&of)
        } else {
            year_of(text(&ev.fields, "date").unwrap_or_else(|| {
                panic!("{} has no date as text", ev.id);
            }))
        };
        c.site.entry(by_kind.clone()).or_default().add(rating);
        c.year
            .entry(year)
            .or_default()
            .entry(by_kind.clone())
            .or_default()
            .add(rating);
        if of_kind == "item" {
            let by = c.item.entry(of.clone()).or_default();
            by.entry(by_kind.clone()).or_default().add(rating);
        }
        let unit = match of_kind.as_str() {
            "unit" => Some(of),
            "item" => Some(item_unit(&of)),
            _ => None,
        };
        if let Some(u) = unit {
            c.unit_year
                .entry(year)
                .or_default()
                .entry(u.clone())
                .or_default()
                .entry(by_kind.clone())
                .or_default()
                .add(rating);
            c.unit
                .entry(u)
                .or_default()
                .entry(by_kind)
                .or_default()
                .add(rating);
        }
    }
    c
}

/// The rows of the first `table.directions` inside `scope`: evaluator → (count, rate).
fn directions(doc: &Html, scope: &str) -> BTreeMap<String, (String, String)> {
    let table = doc
        .select(&sel(&format!("{scope} table.directions")))
        .next()
        .unwrap_or_else(|| panic!("no directions table in {scope}"));
    table
        .select(&sel("tbody tr"))
        .map(|tr| {
            let cells: Vec<String> = tr
                .select(&sel("th, td"))
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect();
            (cells[0].clone(), (cells[1].clone(), cells[2].clone()))
        })
        .collect()
}

const LABELS: [(&str, &str); 3] = [
    ("resident", "居民评价"),
    ("community", "社区评单位"),
    ("unit", "单位评社区"),
];

fn expected(by: &BTreeMap<String, Count>) -> BTreeMap<String, (String, String)> {
    LABELS
        .iter()
        .map(|(key, label)| {
            let n = by.get(*key).copied().unwrap_or_default();
            (label.to_string(), (n.0.to_string(), n.page()))
        })
        .collect()
}

fn page(out: &Path, path: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(out.join(path)).unwrap())
}

#[test]
fn evaluations_by_direction_and_years_match_the_records() {
    let root = repo();
    let out = tempfile::tempdir().unwrap();
    build_ok(&root, out.path(), &[]);
    let c = count(&root);
    assert!(c.year.len() >= 2, "the demonstration site has two years");

    // The home page: every year's evaluations by direction, then the lead year's.
    let home = page(out.path(), "index.html");
    assert_eq!(directions(&home, ".all-years"), expected(&c.site));
    assert_eq!(directions(&home, ".lead-year"), expected(&c.year[&2018]));
    for year in c.year.keys() {
        assert!(
            home.select(&sel(&format!("a[href$=\"years/{year}/\"]")))
                .next()
                .is_some(),
            "the home page links /years/{year}/"
        );
    }

    // Each unit's page, by direction.
    for (unit, by) in &c.unit {
        let doc = page(out.path(), &format!("units/{unit}/index.html"));
        assert_eq!(directions(&doc, ".figures-block"), expected(by), "{unit}");
    }

    // Each item's row of the open data, by direction, in records.json and items.csv.
    let json: serde_json::Value =
        serde_json::from_slice(&files(out.path())["data/records.json"]).unwrap();
    let (head, rows) = csv_table(&files(out.path())["data/items.csv"]);
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), rows.len());
    assert!(c.item.len() > 10, "items with evaluations to compare");
    for (row, csv_row) in items.iter().zip(&rows) {
        let id = row["id"].as_str().unwrap();
        assert_eq!(csv_row[col("id")], id);
        let by = c.item.get(id);
        let mut all = Count::default();
        for (key, _) in LABELS {
            let n = by.and_then(|b| b.get(key)).copied().unwrap_or_default();
            all = Count(all.0 + n.0, all.1 + n.1);
            let (count, rate) = (
                format!("evaluations_by_{key}"),
                format!("satisfaction_rate_by_{key}"),
            );
            assert_eq!(row[&count], n.0, "{id} {key}");
            assert_eq!(csv_row[col(&count)], n.0.to_string(), "{id} {key}");
            assert_eq!(csv_row[col(&rate)], n.csv(), "{id} {key}");
            let json_rate = row[&rate].as_f64().map_or(String::new(), |r| r.to_string());
            assert_eq!(json_rate, n.csv(), "{id} {key}");
        }
        assert_eq!(row["evaluations_total"], all.0, "{id}");
        assert_eq!(csv_row[col("satisfaction_rate")], all.csv(), "{id}");
    }

    // Each year: its page and its CSV name every unit and community with its figures.
    let all = files(out.path());
    let units: BTreeSet<String> = records(&root, "units").into_iter().map(|r| r.id).collect();
    let communities: BTreeSet<String> = records(&root, "communities")
        .into_iter()
        .map(|r| r.id)
        .collect();
    for year in c.unit_year_items.keys() {
        let doc = page(out.path(), &format!("years/{year}/index.html"));
        let year_dirs = directions(&doc, "main");
        assert_eq!(year_dirs, expected(&c.year[year]), "{year}");
        let csv = String::from_utf8(all[&format!("data/years/{year}.csv")].clone()).unwrap();
        assert!(csv.starts_with('\u{feff}'), "a byte-order mark for Excel");
        let mut lines = csv.trim_start_matches('\u{feff}').lines();
        let head: Vec<&str> = lines.next().unwrap().split(',').collect();
        let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
        let mut seen = BTreeMap::new();
        for line in lines {
            let f: Vec<&str> = line.split(',').collect();
            seen.insert((f[col("kind")].to_string(), f[col("id")].to_string()), f);
        }
        for (kind, ids, counted) in [
            ("unit", &units, &c.unit_year_items[year]),
            ("community", &communities, &c.community_year_items[year]),
        ] {
            for id in ids {
                let (items, completed, cancelled) = counted.get(id).copied().unwrap_or_default();
                let f = &seen[&(kind.to_string(), id.clone())];
                assert_eq!(f[col("items")], items.to_string(), "{year} {kind} {id}");
                assert_eq!(f[col("completed")], completed.to_string(), "{year} {id}");
                let rate = Count(items - cancelled, completed);
                assert_eq!(f[col("completion_rate")], rate.csv(), "{year} {id}");
                // The page names it, with the same completion rate.
                let section = if kind == "unit" {
                    "#units"
                } else {
                    "#communities"
                };
                let row = doc
                    .select(&sel(&format!("{section} tbody tr")))
                    .find(|tr| {
                        tr.select(&sel("th a"))
                            .next()
                            .and_then(|a| a.value().attr("href"))
                            .is_some_and(|h| h.ends_with(&format!("/{id}/")))
                    })
                    .unwrap_or_else(|| panic!("{year}: {kind} {id} is not ranked"));
                let cells: Vec<String> = row
                    .select(&sel("td"))
                    .map(|c| c.text().collect::<String>())
                    .collect();
                assert!(
                    cells.contains(&rate.page()),
                    "{year} {id}: {} in {cells:?}",
                    rate.page()
                );
            }
        }
    }
}

/// A unit whose items only residents evaluated has no 社区评单位 figure: 暂无数据, not 0%.
#[test]
fn a_unit_evaluated_only_by_residents_has_no_rate_from_communities() {
    let site = copy_site(&repo());
    let content = site.path().join("content");
    std::fs::write(
        content.join("units/only-residents.yaml"),
        "name: 青山市测试单位\ntype: other\n",
    )
    .unwrap();
    std::fs::write(
        content.join("items/only-residents.yaml"),
        "title: 测试事项\ncommunity: xinhua\nclaimed_by: {unit: only-residents}\n\
         category: repair\nclaimed: 2018-05-01\n",
    )
    .unwrap();
    std::fs::write(
        content.join("evaluations/only-residents.yaml"),
        "of: {item: only-residents}\nby: {resident: 周小梅}\ndate: 2018-06-01\nrating: 满意\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    build_ok(site.path(), out.path(), &[]);
    let doc = page(out.path(), "units/only-residents/index.html");
    let got = directions(&doc, ".figures-block");
    assert_eq!(got["居民评价"], ("1".into(), "100.0%".into()));
    assert_eq!(got["社区评单位"], ("0".into(), "暂无数据".into()));
    assert_eq!(got["单位评社区"], ("0".into(), "暂无数据".into()));
    // Its item's row of the open data: a rate from residents, none from communities.
    let (head, rows) = csv_table(&files(out.path())["data/items.csv"]);
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let row = rows
        .iter()
        .find(|r| r[col("id")] == "only-residents")
        .unwrap();
    assert_eq!(row[col("evaluations_by_resident")], "1");
    assert_eq!(row[col("satisfaction_rate_by_resident")], "1");
    assert_eq!(row[col("evaluations_by_community")], "0");
    assert_eq!(row[col("satisfaction_rate_by_community")], "");
}

/// A year's CSV as its header and rows (the demonstration site has no comma in a name).
fn csv_table(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let split = |l: &str| l.split(',').map(str::to_string).collect::<Vec<_>>();
    let head = split(lines.next().unwrap());
    (head, lines.map(split).collect())
}

/// The sheets of a workbook, by name, each as rows of cells.
fn sheets(bytes: &[u8]) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            (name, range.rows().map(<[Data]>::to_vec).collect())
        })
        .collect()
}

/// One part of a workbook (a zip of XML files), as text.
fn xlsx_part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    std::io::read_to_string(zip.by_name(name).unwrap()).unwrap()
}

/// A cell of the workbook as the CSV writes it: counts as integers, rates with four decimals.
fn as_csv(cell: &Data, field: &str) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(x) if field.ends_with("_rate") || field.contains("_rate_") => {
            ((x * 10000.0).round() / 10000.0).to_string()
        }
        Data::Float(x) => {
            assert_eq!(x.fract(), 0.0, "{field}: a count is whole");
            (*x as u64).to_string()
        }
        other => panic!("{field}: unexpected cell {other:?}"),
    }
}

/// The workbook holds the CSV's rows, units on one sheet and communities on the other, with
/// numbers as numbers, and each unit's figures as counted from the records.
#[test]
fn the_assessment_workbook_holds_the_csv_and_the_records_figures() {
    let root = repo();
    let out = tempfile::tempdir().unwrap();
    build_ok(&root, out.path(), &[]);
    let c = count(&root);
    let all = files(out.path());
    for year in c.unit_year_items.keys() {
        let (head, rows) = csv_table(&all[&format!("data/years/{year}.csv")]);
        let xlsx = &all[&format!("data/years/{year}.xlsx")];
        let got = sheets(xlsx);
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["驻区单位排名", "社区排名"], "{year}");
        let col = |name: &str| head.iter().position(|h| h == name).unwrap();
        for ((_, sheet), kind) in got.iter().zip(["unit", "community"]) {
            // The CSV's columns, in its order, named in Chinese.
            let header: Vec<String> = sheet[0].iter().map(|d| as_csv(d, "")).collect();
            assert_eq!(header.len(), head.len(), "{year}");
            for (key, label) in [
                ("rank", "名次"),
                ("name", "名称"),
                ("completion_rate", "完成率"),
                ("satisfaction_rate", "总满意率"),
                ("evaluations_by_resident", "居民评价条数"),
                ("satisfaction_rate_by_community", "社区评单位满意率"),
                ("satisfaction_rate_by_unit", "单位评社区满意率"),
            ] {
                assert_eq!(header[col(key)], label, "{year}");
            }
            let csv_rows: Vec<&Vec<String>> =
                rows.iter().filter(|r| r[col("kind")] == kind).collect();
            assert_eq!(sheet.len() - 1, csv_rows.len(), "{year} {kind}: every row");
            for (cells, csv_row) in sheet[1..].iter().zip(csv_rows) {
                let shown: Vec<String> = cells
                    .iter()
                    .zip(&head)
                    .map(|(d, field)| as_csv(d, field))
                    .collect();
                assert_eq!(&shown, csv_row, "{year} {kind}");
                // Numbers are numbers, rates fractions of one.
                assert!(matches!(cells[col("items")], Data::Float(_)));
                if let Data::Float(r) = cells[col("completion_rate")] {
                    assert!((0.0..=1.0).contains(&r));
                }
                if kind != "unit" {
                    continue;
                }
                // The figures of the records, counted here.
                let id = &csv_row[col("id")];
                let (items, completed, cancelled) =
                    c.unit_year_items[year].get(id).copied().unwrap_or_default();
                assert_eq!(cells[col("items")], Data::Float(items.into()), "{id}");
                assert_eq!(
                    as_csv(&cells[col("completion_rate")], "completion_rate"),
                    Count(items - cancelled, completed).csv(),
                    "{year} {id}"
                );
                let by = c.unit_year.get(year).and_then(|u| u.get(id));
                for (key, _) in LABELS {
                    let n = by.and_then(|b| b.get(key)).copied().unwrap_or_default();
                    let field = format!("satisfaction_rate_by_{key}");
                    assert_eq!(as_csv(&cells[col(&field)], &field), n.csv(), "{year} {id}");
                    let field = format!("evaluations_by_{key}");
                    assert_eq!(cells[col(&field)], Data::Float(n.0.into()), "{year} {id}");
                }
            }
        }
        // The header row frozen and bold, rates shown as percentages, columns wide enough.
        let sheet1 = xlsx_part(xlsx, "xl/worksheets/sheet1.xml");
        assert!(sheet1.contains(r#"ySplit="1""#) && sheet1.contains(r#"state="frozen""#));
        let styles = xlsx_part(xlsx, "xl/styles.xml");
        assert!(styles.contains("<b/>") && styles.contains(r#"formatCode="0.0%""#));
        let name_width = sheet1
            .split("<col ")
            .find(|c| c.contains(r#"min="4""#))
            .and_then(|c| c.split(r#"width=""#).nth(1))
            .and_then(|w| w.split('"').next())
            .map(|w| w.parse::<f64>().unwrap())
            .expect("the name column has a width");
        assert!(
            name_width >= 20.0,
            "a unit's Chinese name fits: {name_width}"
        );
    }
}

/// Text a spreadsheet would run as a formula is written as text, made inert as in the CSV.
#[test]
fn formulas_in_names_stay_text_in_the_workbook() {
    let site = copy_site(&repo());
    std::fs::write(
        site.path().join("content/units/formula.yaml"),
        "name: \"=HYPERLINK(\\\"x\\\")\"\ntype: other\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    build_ok(site.path(), out.path(), &[]);
    let all = files(out.path());
    let xlsx = &all["data/years/2018.xlsx"];
    let (_, units) = &sheets(xlsx)[0];
    assert!(
        units
            .iter()
            .any(|r| r[3] == Data::String("'=HYPERLINK(\"x\")".into())),
        "the name with a leading quote, as text"
    );
    assert!(!xlsx_part(xlsx, "xl/worksheets/sheet1.xml").contains("<f>"));
}
