//! Ledgers (台账) as content: workbooks and CSV read as records, every problem at its cell,
//! and `shiji export` read back into the same site.

mod common;

use std::io::Read as _;
use std::path::Path;

use common::{build, build_ok, check_json, copy_site, files, repo, shiji};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;

/// A cell to write: text, a number or a date cell.
enum C<'a> {
    T(&'a str),
    N(f64),
    D(u16, u8, u8),
}

/// Writes a workbook with the given sheets of rows.
fn workbook(path: &Path, sheets: &[(&str, Vec<Vec<C>>)]) {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (name, rows) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    C::T("") => {}
                    C::T(s) => {
                        ws.write_string(r, c, *s).unwrap();
                    }
                    C::N(n) => {
                        ws.write_number(r, c, *n).unwrap();
                    }
                    C::D(y, m, d) => {
                        let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                        ws.write_date_with_format(r, c, &dt, &date).unwrap();
                    }
                }
            }
        }
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    book.save(path).unwrap();
}

fn check_errors(root: &Path) -> Vec<Value> {
    let (_, json) = check_json(root);
    json["errors"].as_array().cloned().unwrap_or_default()
}

fn text_of(all: &std::collections::BTreeMap<String, Vec<u8>>, page: &str) -> String {
    String::from_utf8_lossy(all.get(page).unwrap_or_else(|| panic!("no page {page}"))).into_owned()
}

/// The items sheet of the acceptance check: a header of keys, three new items.
fn items_rows<'a>(due_of_third: C<'a>) -> Vec<Vec<C<'a>>> {
    use C::*;
    vec![
        [
            "id",
            "title",
            "community",
            "claimed_by.unit",
            "category",
            "claimed",
            "due",
            "status",
        ]
        .map(T)
        .into_iter()
        .collect(),
        vec![
            T("led-001"),
            T("台账事项：加装楼道扶手"),
            T("wenmiao"),
            T("zhujianju"),
            T("repair"),
            D(2018, 3, 5),
            D(2018, 5, 1),
            T(""),
        ],
        vec![
            T("led-002"),
            T("台账事项：独居老人上门理发"),
            T("wenmiao"),
            T("renmin-yiyuan"),
            T("elder"),
            T("2018-04-02"),
            T(""),
            T("办理中"),
        ],
        vec![
            T("led-003"),
            T("台账事项：活动室借用"),
            T("dukou"),
            T("tushuguan"),
            T("venue"),
            D(2018, 6, 1),
            due_of_third,
            T(""),
        ],
    ]
}

#[test]
fn items_added_as_rows_of_a_workbook_build_into_their_pages() {
    let site = copy_site(&repo());
    workbook(
        &site.path().join("content/items/台账.xlsx"),
        &[("事项", items_rows(C::D(2018, 7, 1)))],
    );
    let out = site.path().join("out");
    build_ok(site.path(), &out, &[]);
    let all = files(&out);
    for (id, title) in [
        ("led-001", "加装楼道扶手"),
        ("led-002", "独居老人上门理发"),
        ("led-003", "活动室借用"),
    ] {
        assert!(
            text_of(&all, &format!("items/{id}/index.html")).contains(title),
            "{id}"
        );
    }
    let wenmiao = text_of(&all, "communities/wenmiao/index.html");
    assert!(wenmiao.contains("/items/led-001/") && wenmiao.contains("/items/led-002/"));
    assert!(text_of(&all, "communities/dukou/index.html").contains("/items/led-003/"));
    // The written status and the date cell came through.
    assert!(text_of(&all, "items/led-002/index.html").contains("办理中"));
    assert!(text_of(&all, "items/led-001/index.html").contains("2018-05-01"));
}

#[test]
fn an_impossible_date_in_the_workbook_is_reported_at_its_cell() {
    let site = copy_site(&repo());
    workbook(
        &site.path().join("content/items/台账.xlsx"),
        &[("事项", items_rows(C::T("2018-06-31")))],
    );
    let errors = check_errors(site.path());
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    assert_eq!(e["code"], "invalid-date");
    assert_eq!(e["file"], "content/items/台账.xlsx");
    assert_eq!(e["cell"], "事项!G4");
    assert_eq!(e["value"], "2018-06-31");
    let out = site.path().join("out");
    let o = build(site.path(), &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("content/items/台账.xlsx 事项!G4"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn evaluations_in_a_gbk_csv_build_with_residents_masked() {
    let site = copy_site(&repo());
    let csv = "编号,被评事项,评价居民,评价日期,评价结果,评语\r\n\
               gbk-1,i-2018-035,欧阳秀英,2018-07-01,满意,师傅很耐心\r\n\
               gbk-2,i-2018-035,司马光明,2018-07-02,基本满意,还算及时\r\n";
    let (gbk, _, bad) = encoding_rs::GBK.encode(csv);
    assert!(!bad);
    std::fs::write(site.path().join("content/evaluations/2018台账.csv"), &gbk).unwrap();
    let out = site.path().join("out");
    build_ok(site.path(), &out, &[]);
    let all = files(&out);
    let item = text_of(&all, "items/i-2018-035/index.html");
    assert!(
        item.contains("师傅很耐心") && item.contains("还算及时"),
        "comments shown"
    );
    assert!(
        item.contains("欧***") && item.contains("司***"),
        "names masked"
    );
    for (path, bytes) in &all {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("欧阳秀英") && !text.contains("司马光明"),
            "raw name in {path}"
        );
    }
}

/// Exports `root`, makes a site of site.toml, static/ and the workbook, and builds both.
fn round_trip(root: &Path, drafts: bool) -> (tempfile::TempDir, tempfile::TempDir) {
    let ledger = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(ledger.path().join("content")).unwrap();
    std::fs::copy(root.join("site.toml"), ledger.path().join("site.toml")).unwrap();
    let copied = copy_site(root);
    std::fs::rename(copied.path().join("static"), ledger.path().join("static")).unwrap();
    let book = ledger.path().join("content/台账.xlsx");
    let o = shiji(&[
        "export",
        "--root",
        root.to_str().unwrap(),
        book.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let outs = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let extra: &[&str] = if drafts { &["--drafts"] } else { &[] };
    build_ok(root, &outs.0.path().join("p"), extra);
    build_ok(ledger.path(), &outs.1.path().join("p"), extra);
    outs
}

#[test]
fn the_demonstration_site_exported_and_read_back_builds_the_same_pages() {
    for drafts in [false, true] {
        let (a, b) = round_trip(&repo(), drafts);
        let (a, b) = (files(&a.path().join("p")), files(&b.path().join("p")));
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "drafts {drafts}"
        );
        for (path, bytes) in &a {
            assert!(bytes == &b[path], "{path} differs (drafts {drafts})");
        }
    }
}

/// The XML parts of an xlsx file.
fn parts(path: &Path) -> std::collections::BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap_or_default();
            (f.name().unwrap().to_string(), s)
        })
        .collect()
}

#[test]
fn the_exported_workbook_has_labels_validations_and_a_frozen_header() {
    use calamine::{Data, Reader};
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("x.xlsx");
    assert!(
        shiji(&[
            "export",
            "--root",
            repo().to_str().unwrap(),
            book.to_str().unwrap()
        ])
        .status
        .success()
    );
    let mut wb = calamine::open_workbook_auto(&book).unwrap();
    let names = wb.sheet_names();
    assert_eq!(
        names,
        [
            "街道",
            "社区",
            "单位",
            "协议",
            "供需清单",
            "事项",
            "报告",
            "照片",
            "评价",
            "页面",
            "_选项"
        ]
    );
    let items = wb.worksheet_range("事项").unwrap();
    assert_eq!(items.get_value((0, 0)), Some(&Data::String("编号".into())));
    assert_eq!(
        items.get_value((0, 3)),
        Some(&Data::String("认领单位".into()))
    );
    assert!(
        matches!(items.get_value((1, 8)), Some(Data::DateTime(_))),
        "claimed is a date cell"
    );
    let xml = parts(&book);
    let workbook = &xml["xl/workbook.xml"];
    // Sheet 6 is 事项: frozen header, and a list on community, unit, direction, agreement,
    // category and status, each from the hidden sheet of lists.
    let sheet = &xml["xl/worksheets/sheet6.xml"];
    assert!(
        sheet.contains(
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        ),
        "{sheet:.600}"
    );
    let lists = sheet.matches(r#"type="list""#).count();
    assert_eq!(
        lists, 7,
        "community, unit, direction, agreement, category, status, draft"
    );
    assert!(
        sheet.contains("<formula1>'_选项'!$"),
        "lists come from the hidden sheet"
    );
    assert!(
        sheet.contains(r#"type="date""#),
        "date columns only take dates"
    );
    assert!(
        workbook.contains(r#"name="_选项" sheetId="11" state="hidden""#),
        "{workbook}"
    );
    assert!(
        xml.keys().any(|k| k.starts_with("xl/comments")),
        "header notes"
    );
    assert!(xml["xl/styles.xml"].contains("<b/>"), "bold header");
}

#[test]
fn one_kind_exports_to_csv_safe_from_formulas_and_reads_back() {
    let site = copy_site(&repo());
    let yaml = site.path().join("content/evaluations/dianchang.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(
        &yaml,
        text.replace(
            "comment: 以前楼下常年冒水",
            "comment: =SUM(A1)以前楼下常年冒水",
        ),
    )
    .unwrap();
    let csv = site.path().join("eval.csv");
    let o = shiji(&[
        "export",
        "--root",
        site.path().to_str().unwrap(),
        "--kind",
        "评价",
        csv.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains(",'=SUM(A1)"), "escaped");
    assert!(
        !text.contains(",=") && !text.contains("\n=") && !text.contains("\"="),
        "no cell starts a formula"
    );
    // Read back in place of the YAML files, it builds the same pages.
    let out_a = site.path().join("a");
    build_ok(site.path(), &out_a, &[]);
    std::fs::remove_dir_all(site.path().join("content/evaluations")).unwrap();
    std::fs::create_dir(site.path().join("content/evaluations")).unwrap();
    std::fs::rename(&csv, site.path().join("content/evaluations/评价.csv")).unwrap();
    let out_b = site.path().join("b");
    build_ok(site.path(), &out_b, &[]);
    assert!(files(&out_a) == files(&out_b));
    let usage = shiji(&["export", "--root", site.path().to_str().unwrap(), "x.csv"]);
    assert_eq!(usage.status.code(), Some(2), "a CSV needs --kind");
}

#[test]
fn a_workbook_under_content_places_its_sheets_by_name_and_locates_list_rows() {
    use C::*;
    let site = copy_site(&repo());
    let agreements = vec![
        ["编号", "协议名称", "社区", "共建单位", "签订日期"]
            .map(T)
            .into_iter()
            .collect(),
        vec![
            T("led-a1"),
            T("台账协议"),
            T("wenmiao"),
            T("zhujianju、 renmin-yiyuan"),
            D(2018, 2, 1),
        ],
    ];
    let commitments = vec![
        ["协议编号", "类型", "内容"].map(T).into_iter().collect(),
        vec![T("led-a1"), T("需求"), T("楼道扶手")],
        vec![T("led-a1"), T("供给"), T("义诊")],
        vec![T("led-zz"), T("资源"), T("场地")],
    ];
    let notes = vec![vec![T("随便写写")]];
    let stray = vec![vec![T("编号")], vec![T("x")]];
    workbook(
        &site.path().join("content/ledger.xlsx"),
        &[
            ("共建协议", agreements),
            ("供需清单", commitments),
            ("_说明", notes),
            ("Sheet1", stray),
            ("Sheet2", vec![]),
        ],
    );
    let mut got: Vec<(String, String)> = check_errors(site.path())
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap().to_string(),
                e["cell"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    got.sort();
    let want = [
        ("invalid-enum", "供需清单!B3"),
        ("unknown-reference", "供需清单!A4"),
        ("unknown-sheet", "Sheet1!A1"),
    ];
    assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));
}

#[test]
fn header_cells_and_numbers_are_read_as_the_editor_means() {
    use C::*;
    let site = copy_site(&repo());
    let communities = vec![
        ["id", "社区名称", "street", "户数", "网格数", "draft"]
            .map(T)
            .into_iter()
            .collect(),
        vec![
            T("led-c1"),
            N(2018.0),
            T("nanjie"),
            T("1200"),
            N(12.0),
            T("否"),
        ],
        vec![
            T("led-c2"),
            T("草稿社区"),
            T("nanjie"),
            N(3.0),
            T(""),
            T("是"),
        ],
    ];
    workbook(
        &site.path().join("content/communities/台账.xlsx"),
        &[("社区", communities)],
    );
    let out = site.path().join("out");
    build_ok(site.path(), &out, &[]);
    let all = files(&out);
    let page = text_of(&all, "communities/led-c1/index.html");
    assert!(
        page.contains("2018"),
        "a number in a text column is its digits"
    );
    assert!(
        page.contains("1200"),
        "a number written as text in a number column"
    );
    assert!(
        !all.contains_key("communities/led-c2/index.html"),
        "a draft row is left out"
    );
}
