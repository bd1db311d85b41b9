//! Messages in the editor's language, on a copy of the good fixture with the slips of a
//! Chinese keyboard typed in: each named at its own line and column with its fix, in both
//! languages; no cascade from a file that cannot be read; counts without "(s)"; `--help`
//! in both languages against its snapshot.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{copy_site, repo};
use serde_json::Value;

/// `shiji ARGS` with no language in the environment, so that only `--lang` and the site
/// decide.
fn shiji(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shiji"))
        .env_remove("SHIJI_LANG")
        .args(args)
        .output()
        .expect("run shiji")
}

fn errors(root: &Path, lang: &str) -> Vec<Value> {
    let out = shiji(&[
        "check",
        "--content-only",
        "--format",
        "json",
        "--lang",
        lang,
        "--root",
        root.to_str().unwrap(),
    ]);
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    json["errors"].as_array().cloned().unwrap_or_default()
}

/// The good fixture with `file` (relative to content/) written as `text`.
fn site_with(file: &str, text: &str) -> tempfile::TempDir {
    let site = copy_site(&repo().join("tests/fixtures/good"));
    std::fs::write(site.path().join("content").join(file), text).unwrap();
    site
}

/// The one problem of the site, in both languages: (zh, en) errors.
fn only_problem(site: &Path) -> (Value, Value) {
    let zh = errors(site, "zh-CN");
    let en = errors(site, "en");
    assert_eq!(zh.len(), 1, "want exactly one problem, got {zh:#?}");
    assert_eq!(en.len(), 1, "{en:#?}");
    (zh[0].clone(), en[0].clone())
}

fn at(e: &Value) -> (&str, i64, i64, &str) {
    (
        e["file"].as_str().unwrap(),
        e["line"].as_i64().unwrap(),
        e["column"].as_i64().unwrap(),
        e["code"].as_str().unwrap(),
    )
}

fn text<'a>(e: &'a Value, field: &str) -> &'a str {
    e[field].as_str().unwrap_or("")
}

#[test]
fn a_full_width_colon_is_named_at_its_own_line_with_no_cascade() {
    // nanmen is the community of an item: no "there is no community nanmen" there.
    let site = site_with(
        "communities/nanmen.yaml",
        "name: 南门社区\nstreet：nanjie\nhouseholds: 1800\n",
    );
    let (zh, en) = only_problem(site.path());
    assert_eq!(
        at(&zh),
        (
            "content/communities/nanmen.yaml",
            2,
            7,
            "full-width-punctuation"
        )
    );
    assert!(text(&zh, "message").contains("全角冒号"), "{zh}");
    assert!(text(&zh, "hint").contains("`street: `"), "{zh}");
    assert!(text(&en, "message").contains("full-width colon"), "{en}");
    assert!(text(&en, "hint").contains("`street: `"), "{en}");
}

#[test]
fn a_full_width_comma_in_a_list() {
    let site = site_with(
        "agreements/junmen-2018.yaml",
        "title: 协议\ncommunity: junmen\nunits: [shuiwu，yiyuan]\nsigned: 2018-01-15\n",
    );
    let (zh, en) = only_problem(site.path());
    assert_eq!(
        at(&zh),
        (
            "content/agreements/junmen-2018.yaml",
            3,
            15,
            "full-width-punctuation"
        )
    );
    assert!(text(&zh, "message").contains("全角逗号"), "{zh}");
    assert!(text(&en, "message").contains("full-width comma"), "{en}");
}

#[test]
fn full_width_spaces_as_indentation_are_one_problem() {
    let site = site_with(
        "items/parking.yaml",
        "title: 停车场夜间开放\ncommunity: dongba\nclaimed_by:\n\u{3000}\u{3000}unit: ranqi\n\
         category: repair\nclaimed: 2018-04-01\nstatus: cancelled\n",
    );
    let (zh, en) = only_problem(site.path());
    assert_eq!(
        at(&zh),
        ("content/items/parking.yaml", 4, 1, "full-width-punctuation")
    );
    assert!(text(&zh, "message").contains("全角空格"), "{zh}");
    assert!(text(&zh, "hint").contains("半角空格"), "{zh}");
    assert!(text(&en, "message").contains("full-width space"), "{en}");
}

#[test]
fn full_width_quotes_around_an_id() {
    let site = site_with(
        "items/parking.yaml",
        "title: 停车场夜间开放\ncommunity: dongba\nclaimed_by: {unit: ranqi}\n\
         agreement: “dongba-2018”\ncategory: repair\nclaimed: 2018-04-01\nstatus: cancelled\n",
    );
    let (zh, en) = only_problem(site.path());
    assert_eq!(
        at(&zh),
        (
            "content/items/parking.yaml",
            4,
            12,
            "full-width-punctuation"
        )
    );
    assert!(text(&zh, "message").contains("全角引号"), "{zh}");
    assert!(text(&en, "message").contains("full-width quotes"), "{en}");
}

#[test]
fn a_tab_is_named_and_shown() {
    let site = site_with(
        "items/parking.yaml",
        "title: 停车场夜间开放\ncommunity: dongba\nclaimed_by:\n\tunit: ranqi\n\
         category: repair\nclaimed: 2018-04-01\nstatus: cancelled\n",
    );
    let (zh, en) = only_problem(site.path());
    assert_eq!(at(&zh), ("content/items/parking.yaml", 4, 1, "yaml-syntax"));
    assert!(text(&zh, "message").contains("Tab"), "{zh}");
    assert!(text(&en, "message").contains("tab"), "{en}");
    let human = shiji(&["check", "--root", site.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&human.stderr);
    assert!(stderr.contains("4 | →unit: ranqi"), "{stderr}");
}

#[test]
fn dates_in_other_forms_are_answered_with_the_date_to_write() {
    let site = site_with(
        "items/parking.yaml",
        "title: 停车场夜间开放\ncommunity: dongba\nclaimed_by: {unit: ranqi}\ncategory: repair\n\
         claimed: 2018年4月1日\ndue: 2018/6/30\nstatus: cancelled\n",
    );
    let zh = errors(site.path(), "zh-CN");
    let en = errors(site.path(), "en");
    assert_eq!(zh.len(), 2, "{zh:#?}");
    assert_eq!(
        at(&zh[0]),
        ("content/items/parking.yaml", 5, 1, "invalid-date")
    );
    assert!(
        text(&zh[0], "hint").contains("`claimed: 2018-04-01`"),
        "{}",
        zh[0]
    );
    assert!(text(&zh[0], "message").contains("格式"), "{}", zh[0]);
    assert_eq!(at(&zh[1]).1, 6);
    assert!(
        text(&zh[1], "hint").contains("`due: 2018-06-30`"),
        "{}",
        zh[1]
    );
    assert!(
        text(&en[0], "hint").contains("write `claimed: 2018-04-01`"),
        "{}",
        en[0]
    );
}

#[test]
fn a_misspelt_required_field_is_one_problem() {
    let site = site_with(
        "items/parking.yaml",
        "titel: 停车场夜间开放\ncommunity: dongba\nclaimed_by: {unit: ranqi}\ncategory: repair\n\
         claimed: 2018-04-01\nstatus: cancelled\n",
    );
    let (zh, en) = only_problem(site.path());
    assert_eq!(
        at(&zh),
        ("content/items/parking.yaml", 1, 1, "unknown-field")
    );
    assert!(text(&zh, "message").contains("`titel`"), "{zh}");
    assert!(text(&zh, "hint").contains("`title`"), "{zh}");
    assert!(text(&en, "hint").contains("did you mean `title`"), "{en}");
}

#[test]
fn a_record_with_a_syntax_error_still_counts_for_references() {
    // health-check is evaluated in evaluations/2018.yaml; its file cannot be read.
    let site = site_with(
        "items/health-check.yaml",
        "title: \"东坝小区健康义诊\ncommunity: dongba\n",
    );
    let all = errors(site.path(), "zh-CN");
    assert!(
        all.iter().all(|e| e["code"] != "unknown-reference"),
        "{all:#?}"
    );
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0]["code"], "yaml-syntax");
    assert!(
        text(&all[0], "message").contains("YAML 格式有误"),
        "{}",
        all[0]
    );
}

/// The caret under a line with Chinese characters is as wide as what it underlines.
#[test]
fn carets_are_measured_in_display_columns() {
    let site = site_with(
        "items/parking.yaml",
        "title: 停车场夜间开放\ncommunity: dongba\nclaimed_by: {unit: ranqi}\ncategory: repair\n\
         claimed: 2018-04-01\nstatus: 取消了吧\n",
    );
    let out = shiji(&["check", "--root", site.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    let source = lines
        .iter()
        .position(|l| l.ends_with("| status: 取消了吧"))
        .unwrap_or_else(|| panic!("{stderr}"));
    let carets = lines[source + 1].matches('^').count();
    // "status: " is 8 columns, each of the four characters 2.
    assert_eq!(carets, 8 + 4 * 2, "{stderr}");
}

/// Every headline of every bad fixture has Chinese words beyond its quoted values, and no
/// line says "(s)"; in English, the counts are singular or plural as they should be.
#[test]
fn every_problem_of_every_bad_fixture_is_told_in_chinese() {
    let mut dirs: Vec<_> = std::fs::read_dir(repo().join("tests/fixtures/bad"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    let han = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let mut bad = Vec::new();
    for dir in &dirs {
        let out = shiji(&["check", "--root", dir.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        for line in stderr.lines().filter(|l| l.starts_with("错误")) {
            // The headline without the values quoted in it and the code.
            let words: String = line.split('`').step_by(2).collect::<Vec<_>>().concat();
            let words = words.split(" [").next().unwrap_or("");
            if !han(words.trim_start_matches("错误")) {
                bad.push(format!("{}: {line}", dir.display()));
            }
        }
        if stderr.contains("(s)") || !stderr.contains("个问题") {
            bad.push(format!("{}: {stderr}", dir.display()));
        }
        let en = shiji(&["check", "--lang", "en", "--root", dir.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&en.stderr);
        let last = stderr.lines().last().unwrap_or("");
        let ok = last.starts_with("error: 1 problem found")
            || (last.contains(" problems found") && !last.starts_with("error: 1 "));
        if !ok {
            bad.push(format!("{}: {last}", dir.display()));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_language_comes_from_the_flag_the_environment_or_the_site() {
    // A site.toml that does not parse still says its language.
    let site = site_with("items/parking.yaml", "titel: x\n");
    let toml = site.path().join("site.toml");
    let good = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("language = \"en\"\n{good}\n[broken\n")).unwrap();
    let root = site.path().to_str().unwrap();
    let stderr = |o: Output| String::from_utf8_lossy(&o.stderr).into_owned();
    let en = stderr(shiji(&["check", "--root", root]));
    assert!(en.contains("site.toml is not valid TOML"), "{en}");
    let zh = stderr(shiji(&["check", "--lang", "zh-CN", "--root", root]));
    assert!(zh.contains("site.toml 格式有误"), "{zh}");
    let env = Command::new(env!("CARGO_BIN_EXE_shiji"))
        .env("SHIJI_LANG", "zh-CN")
        .args(["check", "--root", root])
        .output()
        .unwrap();
    assert!(stderr(env).contains("错误：发现 1 个问题"));
    // Without a language line: Chinese.
    std::fs::write(&toml, "[broken\n").unwrap();
    let zh = stderr(shiji(&["check", "--root", root]));
    assert!(zh.contains("site.toml 格式有误"), "{zh}");
}

/// `--help` of every command, in each language, against `tests/snapshots/help.<lang>.txt`.
/// `SHIJI_UPDATE_SNAPSHOTS=1` writes them anew (then read the diff).
#[test]
fn help_in_both_languages() {
    for lang in ["zh-CN", "en"] {
        let mut all = String::new();
        for cmd in [
            &[][..],
            &["new"],
            &["build"],
            &["serve"],
            &["export"],
            &["check"],
        ] {
            let mut args: Vec<&str> = cmd.to_vec();
            args.extend(["--help", "--lang", lang]);
            let out = shiji(&args);
            assert!(out.status.success(), "{args:?}");
            all.push_str(&format!("$ shiji {}\n", args.join(" ")));
            all.push_str(&String::from_utf8_lossy(&out.stdout));
            all.push('\n');
        }
        let path = repo().join(format!("tests/snapshots/help.{lang}.txt"));
        if std::env::var_os("SHIJI_UPDATE_SNAPSHOTS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &all).unwrap();
        }
        let want = std::fs::read_to_string(&path).expect("snapshot");
        assert_eq!(
            all,
            want,
            "--help in {lang} changed; see {}",
            path.display()
        );
    }
}
