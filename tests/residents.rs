//! What residents and portals get beyond the pages: charts, QR codes, the notice sheet and
//! open data, read back from a build of the demonstration site and checked against the
//! records and their derived figures.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use scraper::{ElementRef, Html};
use serde_json::Value;

mod common;
use common::*;

const BASE_URL: &str = "https://www.example.gov.cn/jcdj/shiji/";

/// One build of the demonstration site, shared by the tests of this file.
fn demo() -> &'static (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    static BUILT: OnceLock<(tempfile::TempDir, BTreeMap<String, Vec<u8>>)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build_ok(&repo(), &out, &[]);
        let all = files(&out);
        (dir, all)
    })
}

fn text(path: &str) -> String {
    let bytes = demo()
        .1
        .get(path)
        .unwrap_or_else(|| panic!("{path} is missing"));
    String::from_utf8(bytes.clone()).unwrap()
}

fn page(path: &str) -> Html {
    Html::parse_document(&text(path))
}

fn records() -> Value {
    serde_json::from_str(&text("data/records.json")).unwrap()
}

fn list<'a>(v: &'a Value, kind: &str) -> &'a Vec<Value> {
    v[kind].as_array().unwrap()
}

/// The bars of one chart of a page: (data-label, data-value, drawn length).
fn bars(doc: &Html, chart: &str) -> Vec<(String, u64, f64)> {
    let fig = doc
        .select(&sel(&format!("figure.chart[data-chart={chart}]")))
        .next()
        .unwrap_or_else(|| panic!("no {chart} chart"));
    let columns = chart == "months";
    fig.select(&sel("svg rect[data-value]"))
        .map(|r| {
            let a = |k: &str| r.value().attr(k).unwrap().to_string();
            let length = a(if columns { "height" } else { "width" });
            (
                a("data-label"),
                a("data-value").parse().unwrap(),
                length.parse().unwrap(),
            )
        })
        .collect()
}

/// The text table of a chart: (label, value) per row.
fn chart_table(doc: &Html, chart: &str) -> Vec<(String, u64)> {
    let fig = doc
        .select(&sel(&format!("figure.chart[data-chart={chart}]")))
        .next()
        .unwrap();
    fig.select(&sel("table tbody tr"))
        .map(|tr| {
            let th: String = tr.select(&sel("th")).next().unwrap().text().collect();
            let td: String = tr.select(&sel("td")).next().unwrap().text().collect();
            (th, td.parse().unwrap())
        })
        .collect()
}

/// Lengths are proportional to values: the longest bar is the largest value.
fn assert_proportional(bars: &[(String, u64, f64)], full: f64) {
    let max = bars.iter().map(|b| b.1).max().unwrap();
    for (label, v, len) in bars {
        let want = *v as f64 / max as f64 * full;
        assert!(
            (len - want).abs() < 0.11 || (*v > 0 && want < 1.5 && (len - 1.5).abs() < 0.01),
            "{label}: {v} of {max} drawn {len}, expected {want}"
        );
    }
}

fn count<'a>(values: impl Iterator<Item = &'a str>) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for v in values {
        *m.entry(v.to_string()).or_insert(0) += 1;
    }
    m
}

#[test]
fn community_charts_show_the_counts_of_the_records() {
    let data = records();
    let items = list(&data, "items");
    let reports = list(&data, "reports");
    let evaluations = list(&data, "evaluations");
    let as_of = data["as_of"].as_str().unwrap();
    for c in list(&data, "communities") {
        let id = c["id"].as_str().unwrap();
        let doc = page(&format!("communities/{id}/index.html"));
        let mine: Vec<&Value> = items.iter().filter(|i| i["community"] == id).collect();
        let ids: BTreeSet<&str> = mine.iter().map(|i| i["id"].as_str().unwrap()).collect();

        // Items by status: the four statuses, then the overdue ones.
        let by_status = count(mine.iter().map(|i| i["status"].as_str().unwrap()));
        let overdue = mine.iter().filter(|i| i["overdue"] == true).count() as u64;
        let status = bars(&doc, "status");
        let got: Vec<u64> = status.iter().map(|b| b.1).collect();
        let want: Vec<u64> = ["claimed", "in_progress", "completed", "cancelled"]
            .iter()
            .map(|s| by_status.get(*s).copied().unwrap_or(0))
            .chain([overdue])
            .collect();
        assert_eq!(got, want, "{id}: status chart");
        assert_proportional(&status, 140.0);
        let table: Vec<u64> = chart_table(&doc, "status").iter().map(|r| r.1).collect();
        assert_eq!(table, want, "{id}: status table");

        // Items by category, in the order of site.toml.
        let by_category = count(mine.iter().map(|i| i["category_name"].as_str().unwrap()));
        for (label, v, _) in bars(&doc, "categories") {
            assert_eq!(
                v,
                by_category.get(&label).copied().unwrap_or(0),
                "{id}: {label}"
            );
        }

        // Completions per month: final reports of its items, over the 12 months to as_of.
        let finals = count(
            reports
                .iter()
                .filter(|r| r["final"] == true && ids.contains(r["item"].as_str().unwrap()))
                .map(|r| &r["date"].as_str().unwrap()[..7]),
        );
        let months = bars(&doc, "months");
        assert_eq!(months.len(), 12);
        assert_eq!(months.last().unwrap().0, as_of[..7]);
        let in_window: u64 = months.iter().map(|m| m.1).sum();
        let expected: u64 = finals
            .iter()
            .filter(|(m, _)| months.iter().any(|b| &b.0 == *m))
            .map(|(_, n)| n)
            .sum();
        assert_eq!(in_window, expected, "{id}: months");
        for (m, v, _) in &months {
            assert_eq!(*v, finals.get(m).copied().unwrap_or(0), "{id}: {m}");
        }

        // Satisfaction: evaluations of the community and of its items.
        let received: Vec<&str> = evaluations
            .iter()
            .filter(|e| {
                (e["of_kind"] == "community" && e["of"] == id)
                    || (e["of_kind"] == "item" && ids.contains(e["of"].as_str().unwrap()))
            })
            .map(|e| e["rating"].as_str().unwrap())
            .collect();
        let by_rating = count(received.iter().copied());
        let want: Vec<u64> = ["satisfied", "fair", "unsatisfied"]
            .iter()
            .map(|r| by_rating.get(*r).copied().unwrap_or(0))
            .collect();
        if received.is_empty() {
            let fig = doc
                .select(&sel("figure.chart[data-chart=satisfaction]"))
                .next()
                .unwrap();
            assert!(fig.select(&sel("svg")).next().is_none());
            assert!(fig.select(&sel(".no-data")).next().is_some());
        } else {
            let got: Vec<u64> = bars(&doc, "satisfaction").iter().map(|b| b.1).collect();
            assert_eq!(got, want, "{id}: satisfaction");
        }
    }
}

#[test]
fn wenmiao_charts_match_hand_counts() {
    // Counted by hand from content/items, reports and evaluations of 文庙社区.
    let doc = page("communities/wenmiao/index.html");
    let values = |chart| bars(&doc, chart).iter().map(|b| b.1).collect::<Vec<_>>();
    assert_eq!(values("status"), [1, 2, 4, 0, 1]);
    assert_eq!(values("satisfaction"), [5, 2, 1]);
    assert_eq!(values("months").iter().sum::<u64>(), 4);
}

#[test]
fn every_scope_page_has_its_charts_and_home_counts_everything() {
    for path in [
        "index.html",
        "streets/nanjie/index.html",
        "units/renmin-yiyuan/index.html",
        "categories/repair/index.html",
    ] {
        let doc = page(path);
        let charts: Vec<&str> = doc
            .select(&sel("figure.chart"))
            .map(|f| f.value().attr("data-chart").unwrap())
            .collect();
        let want: &[&str] = if path.starts_with("categories/") {
            &["status", "months", "satisfaction"]
        } else {
            &["status", "months", "categories", "satisfaction"]
        };
        assert_eq!(charts, want, "{path}");
        // The SVG is hidden from screen readers; the table holds the same numbers.
        for svg in doc.select(&sel("figure.chart svg")) {
            assert_eq!(svg.value().attr("aria-hidden"), Some("true"));
        }
    }
    let data = records();
    let items = list(&data, "items");
    let home = page("index.html");
    let by_category = count(items.iter().map(|i| i["category_name"].as_str().unwrap()));
    let drawn: BTreeMap<String, u64> = bars(&home, "categories")
        .into_iter()
        .filter(|b| b.1 > 0)
        .map(|b| (b.0, b.1))
        .collect();
    assert_eq!(drawn, by_category);
    let total: u64 = bars(&home, "status").iter().take(4).map(|b| b.1).sum();
    assert_eq!(total, items.len() as u64);
}

/// Reads the QR code drawn as one SVG path of unit squares, at 4 pixels a module.
fn decode_qr(svg: ElementRef) -> String {
    let view = svg.value().attr("viewBox").unwrap();
    let size: usize = view.split(' ').nth(2).unwrap().parse().unwrap();
    let d = svg
        .select(&sel("path"))
        .next()
        .unwrap()
        .value()
        .attr("d")
        .unwrap();
    let mut dark = vec![false; size * size];
    for cmd in d.split('M').filter(|s| !s.is_empty()) {
        // "x yhRUNv1h-RUNz"
        let (xy, rest) = cmd.split_once('h').unwrap();
        let (x, y) = xy.split_once(' ').unwrap();
        let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
        let run: usize = rest.split_once('v').unwrap().0.parse().unwrap();
        for dx in 0..run {
            dark[y * size + x + dx] = true;
        }
    }
    const PX: usize = 4;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(size * PX, size * PX, |x, y| {
        if dark[(y / PX) * size + x / PX] {
            0
        } else {
            255
        }
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().expect("a readable QR code").1
}

#[test]
fn qr_codes_on_community_pages_and_notice_sheets_lead_to_the_community_page() {
    let data = records();
    for c in list(&data, "communities") {
        let id = c["id"].as_str().unwrap();
        let url = format!("{BASE_URL}communities/{id}/");
        assert_eq!(c["url"], url.as_str());
        for path in [
            format!("communities/{id}/index.html"),
            format!("communities/{id}/notice/index.html"),
        ] {
            let doc = page(&path);
            let svg = doc.select(&sel(".qr-box svg")).next().unwrap();
            assert_eq!(decode_qr(svg), url, "{path}");
            let label = doc.select(&sel(".qr-box[role=img]")).next().unwrap();
            assert!(
                label
                    .value()
                    .attr("aria-label")
                    .unwrap()
                    .contains(c["name"].as_str().unwrap())
            );
        }
    }
}

#[test]
fn the_notice_sheet_lists_the_community_without_navigation() {
    let doc = page("communities/wenmiao/notice/index.html");
    assert!(doc.select(&sel("nav")).next().is_none(), "no navigation");
    let h1: String = doc.select(&sel("h1")).next().unwrap().text().collect();
    assert!(h1.contains("文庙社区"), "{h1}");
    let data = records();
    let want: BTreeSet<String> = list(&data, "items")
        .iter()
        .filter(|i| i["community"] == "wenmiao")
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    let shown: BTreeSet<String> = doc
        .select(&sel("table.notice-items tbody th a"))
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(shown, want);
    let time = doc.select(&sel(".notice-meta time")).next().unwrap();
    assert_eq!(time.value().attr("datetime"), data["as_of"].as_str());
    // The community page links to its sheet.
    let community = text("communities/wenmiao/index.html");
    assert!(community.contains("/jcdj/shiji/communities/wenmiao/notice/"));
}

/// The text of the first element matching `css`, without spaces (minified or not alike).
fn text_of(doc: &Html, css: &str) -> String {
    let el = doc
        .select(&sel(css))
        .next()
        .unwrap_or_else(|| panic!("no {css}"));
    el.text().collect::<String>().split_whitespace().collect()
}

#[test]
fn the_notice_sheet_says_its_period_phone_issuer_and_completion_dates() {
    let doc = page("communities/wenmiao/notice/index.html");
    // A week from the as-of date, both days included; the community's own phone; signed by
    // the community, with room for the seal.
    let terms = text_of(&doc, ".notice-terms");
    assert!(terms.contains("公示期"), "{terms}");
    assert!(terms.contains("2018-10-24至2018-10-30（共7天）"), "{terms}");
    assert!(terms.contains("监督电话0839-3266001"), "{terms}");
    let sign = text_of(&doc, ".notice-sign");
    assert!(sign.contains("发布单位：文庙社区"), "{sign}");
    assert!(sign.contains("（盖章）"), "{sign}");
    assert!(sign.contains("日期：2018-10-24"), "{sign}");
    // Completed items show the date of their final report, the others their due date.
    let data = records();
    let mut completed = 0;
    for row in doc.select(&sel("table.notice-items tbody tr")) {
        let title: String = row.select(&sel("th a")).next().unwrap().text().collect();
        let item = list(&data, "items")
            .iter()
            .find(|i| i["title"] == title.as_str())
            .unwrap();
        let date = row.select(&sel("td.date time")).next();
        let shown = date.map(|t| t.value().attr("datetime").unwrap().to_string());
        if item["status"] == "completed" {
            completed += 1;
            assert_eq!(shown.as_deref(), item["completed_on"].as_str(), "{title}");
        } else {
            assert_eq!(shown.as_deref(), item["due"].as_str(), "{title}");
        }
    }
    assert!(completed > 0);
}

#[test]
fn site_toml_sets_the_notice_period_phone_and_issuer_for_every_sheet() {
    let site = copy_site(&repo());
    let toml = site.path().join("site.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    text.push_str(
        "\n[notice]\nstart = 2018-10-25\nend = 2018-11-08\nphone = \"0839-12345\"\nissuer = \"青山市东城区南街街道办事处\"\n\n[accessibility]\ncontact = \"青山市委组织部 0839-3260000\"\n",
    );
    std::fs::write(&toml, text).unwrap();
    let out = site.path().join("public");
    build_ok(site.path(), &out, &[]);
    let all = files(&out);
    let read = |p: &str| Html::parse_document(std::str::from_utf8(&all[p]).unwrap());
    for id in ["wenmiao", "dukou"] {
        let doc = read(&format!("communities/{id}/notice/index.html"));
        let terms = text_of(&doc, ".notice-terms");
        assert!(
            terms.contains("2018-10-25至2018-11-08（共15天）"),
            "{terms}"
        );
        assert!(terms.contains("监督电话0839-12345"), "{terms}");
        let sign = text_of(&doc, ".notice-sign");
        assert!(
            sign.contains("发布单位：青山市东城区南街街道办事处"),
            "{sign}"
        );
        assert!(sign.contains("日期：2018-10-25"), "{sign}");
    }
    let statement = text_of(&read("accessibility/index.html"), "main");
    assert!(
        statement.contains("青山市委组织部0839-3260000"),
        "{statement}"
    );
}

#[test]
fn the_accessibility_statement_is_linked_from_every_page_and_in_the_sitemap() {
    let doc = page("accessibility/index.html");
    let main = text_of(&doc, "main");
    for words in [
        "WCAG",
        "2.1AA",
        "GB/T37668-2019",
        "长辈模式",
        "axe-core",
        "联系",
    ] {
        assert!(main.contains(words), "{words} missing: {main}");
    }
    let sitemap = text("sitemap.xml");
    assert!(sitemap.contains(&format!("<loc>{BASE_URL}accessibility/</loc>")));
    let pages: Vec<&String> = demo()
        .1
        .keys()
        .filter(|p| p.ends_with(".html") && !p.contains("/notice/"))
        .collect();
    assert!(pages.len() > 100);
    for p in pages {
        let doc = page(p);
        let linked = doc
            .select(&sel("footer a"))
            .any(|a| a.value().attr("href") == Some("/jcdj/shiji/accessibility/"));
        assert!(linked, "{p} does not link the accessibility statement");
    }
}

/// A CSV file: its header and rows, after checking the byte-order mark.
fn read_csv(path: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = demo().1.get(path).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "{path} starts with a BOM"
    );
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// A JSON value as the CSV writes it.
fn as_csv(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

#[test]
fn csv_files_json_and_the_data_dictionary_agree_with_the_records() {
    let data = records();
    let dictionary = page("data/index.html");
    let kinds = [
        "streets",
        "communities",
        "units",
        "agreements",
        "items",
        "reports",
        "evaluations",
    ];
    for kind in kinds {
        let (header, rows) = read_csv(&format!("data/{kind}.csv"));
        let json = list(&data, kind);
        assert_eq!(rows.len(), json.len(), "{kind}");
        for (row, obj) in rows.iter().zip(json) {
            let keys: BTreeSet<&String> = obj.as_object().unwrap().keys().collect();
            assert_eq!(keys, header.iter().collect(), "{kind} fields");
            for (h, cell) in header.iter().zip(row) {
                let v = &obj[h];
                if let Some(x) = v.as_f64().filter(|_| !v.is_u64()) {
                    assert_eq!(cell.parse::<f64>().unwrap(), x, "{kind}.{h}");
                } else {
                    assert_eq!(*cell, as_csv(v), "{kind}.{h}");
                }
            }
        }
        // The download list says how many rows the file has.
        let line: String = dictionary
            .select(&sel(&format!(
                "ul.downloads li:has(a[href$='/{kind}.csv'])"
            )))
            .next()
            .unwrap_or_else(|| panic!("no download line for {kind}"))
            .text()
            .collect();
        assert!(line.contains(&format!("{} ", rows.len())), "{kind}: {line}");
        // The dictionary describes exactly these fields.
        let described: Vec<String> = dictionary
            .select(&sel(&format!("h3#{kind} + .table-wrap tbody th code")))
            .map(|c| c.text().collect())
            .collect();
        assert_eq!(described, header, "{kind} dictionary");
    }
    // The records are the site's: each item has its page, with the same title and status.
    for item in list(&data, "items") {
        let id = item["id"].as_str().unwrap();
        let doc = page(&format!("items/{id}/index.html"));
        let h1: String = doc.select(&sel("h1")).next().unwrap().text().collect();
        assert!(h1.starts_with(item["title"].as_str().unwrap()), "{id}");
        let status: String = doc
            .select(&sel(".status-line .tag"))
            .next()
            .unwrap()
            .text()
            .collect();
        assert_eq!(status, item["status_label"].as_str().unwrap(), "{id}");
    }
    // …and every published item page has its record.
    let pages: BTreeSet<&str> = demo()
        .1
        .keys()
        .filter_map(|k| k.strip_prefix("items/")?.strip_suffix("/index.html"))
        .collect();
    let ids: BTreeSet<&str> = list(&data, "items")
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, pages);
}

#[test]
fn each_community_json_holds_its_own_records_and_only_them() {
    let data = records();
    for c in list(&data, "communities") {
        let id = c["id"].as_str().unwrap();
        let own: Value =
            serde_json::from_str(&text(&format!("data/communities/{id}.json"))).unwrap();
        assert_eq!(list(&own, "communities"), &vec![c.clone()]);
        let items: Vec<&Value> = list(&data, "items")
            .iter()
            .filter(|i| i["community"] == id)
            .collect();
        assert_eq!(list(&own, "items").iter().collect::<Vec<_>>(), items);
        let ids: BTreeSet<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
        for r in list(&own, "reports") {
            assert!(ids.contains(r["item"].as_str().unwrap()), "{id}: {r}");
        }
        for a in list(&own, "agreements") {
            assert_eq!(a["community"], id);
        }
    }
}
