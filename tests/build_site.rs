//! `shiji build` on the demonstration site and the fixtures, read back with an HTML parser:
//! links, figures, privacy, determinism, atomic output and sanitising.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::process::Command;

use scraper::Html;

/// The theme's line in every page's head that applies 长辈模式 before the page is drawn.
const ELDER_HEAD: &str = r#"(function(c){c.add("js");try{if(localStorage.getItem("shiji-elder")==="1")c.add("elder")}catch(e){}})(document.documentElement.classList)"#;
mod common;
use common::*;

/// Every internal link and resource of every page resolves to a file of the output, and
/// every `#anchor` to an id on its target page. `base` is the path the site is served under.
fn assert_links_resolve(out: &Path, base: &str) {
    let all = files(out);
    let mut ids: BTreeMap<String, HashSet<String>> = BTreeMap::new();
    let mut links = Vec::new();
    let any = sel("[href], [src]");
    let with_id = sel("[id]");
    for (file, doc) in html_files(&all) {
        ids.insert(
            file.clone(),
            doc.select(&with_id)
                .filter_map(|e| e.value().attr("id").map(str::to_string))
                .collect(),
        );
        for e in doc.select(&any) {
            for attr in ["href", "src"] {
                if let Some(v) = e.value().attr(attr) {
                    links.push((file.clone(), v.to_string()));
                }
            }
        }
    }
    let mut broken = Vec::new();
    for (file, link) in &links {
        if link.starts_with("http://")
            || link.starts_with("https://")
            || link.starts_with("mailto:")
            || link.starts_with("tel:")
        {
            continue;
        }
        let (path, anchor) = link
            .split_once('#')
            .map_or((link.as_str(), None), |(p, a)| (p, Some(a)));
        let target = if path.is_empty() {
            file.clone()
        } else if let Some(rel) = path.strip_prefix(base) {
            if rel.is_empty() || rel.ends_with('/') {
                format!("{rel}index.html")
            } else {
                rel.to_string()
            }
        } else if !path.starts_with('/') {
            // A relative link an editor wrote in a body: from the page's folder.
            let mut parts: Vec<&str> = file.split('/').collect();
            parts.pop();
            for seg in path.split('/') {
                match seg {
                    "" | "." => {}
                    ".." => {
                        parts.pop();
                    }
                    s => parts.push(s),
                }
            }
            let joined = parts.join("/");
            if path.ends_with('/') {
                format!("{joined}/index.html")
            } else {
                joined
            }
        } else {
            broken.push(format!(
                "{file}: `{link}` does not start with the base {base}"
            ));
            continue;
        };
        if !all.contains_key(&target) {
            broken.push(format!("{file}: `{link}` → missing {target}"));
        } else if let Some(a) = anchor.filter(|a| !a.is_empty())
            && !ids.get(&target).is_some_and(|set| set.contains(a))
        {
            broken.push(format!("{file}: `{link}` → no id `{a}` in {target}"));
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
    assert!(links.len() > 50, "only {} links checked", links.len());
}

#[test]
fn demo_site_links_resolve_under_its_sub_path_and_at_the_root() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_ok(&repo(), &public, &[]);
    assert_links_resolve(&public, "/jcdj/shiji/");
    let root_out = out.path().join("at-root");
    build_ok(
        &repo(),
        &root_out,
        &["--base-url", "http://localhost:8000/"],
    );
    assert_links_resolve(&root_out, "/");
}

#[test]
fn every_page_of_the_route_table_is_written() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_ok(&repo(), &public, &[]);
    let all = files(&public);
    for page in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "style.css",
        "units/index.html",
        "categories/index.html",
        "categories/repair/index.html",
        "overdue/index.html",
        "about/index.html",
        "guide/index.html",
        "communities/wenmiao/index.html",
        "items/i-2018-001/index.html",
        "search/index.html",
        "search.js",
        "search-index/meta.json",
        "search-index/filters.json",
        "search-index/terms/0.json",
        "search-index/docs/0.json",
    ] {
        assert!(all.contains_key(page), "{page} missing");
    }
    // Drafts are out of a normal build and in with --drafts.
    assert!(!all.keys().any(|k| k.starts_with("agreements/jinxiu-2019/")));
    let drafts = out.path().join("drafts");
    build_ok(&repo(), &drafts, &["--drafts"]);
    assert!(drafts.join("agreements/jinxiu-2019/index.html").is_file());
}

/// Every output file is scanned, the search index's files included.
#[test]
fn raw_names_never_reach_any_output_file_nor_the_search_index_and_masked_ones_do() {
    let site = repo().join("tests/fixtures/good");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_ok(&site, &public, &["--drafts"]);
    let all = files(&public);
    let texts: BTreeMap<&str, String> = all
        .iter()
        .map(|(k, v)| (k.as_str(), String::from_utf8_lossy(v).into_owned()))
        .collect();
    for (file, text) in &texts {
        for raw in ["张三丰", "李秀英", "王建国", "赵四"] {
            assert!(!text.contains(raw), "raw name {raw} in {file}");
        }
    }
    // The scan above read the open data and the search index too; the masked name is in
    // them, as on the page, so the scan read the text they really hold.
    for file in [
        "items/fix-tap/index.html",
        "data/records.json",
        "data/items.csv",
    ] {
        assert!(
            texts[file].contains("张**"),
            "masked member missing in {file}"
        );
    }
    // The index holds characters and pairs of characters: no pair of a raw name may be a
    // term, and the masked name's one character is.
    let mut terms = HashSet::new();
    for (file, text) in &texts {
        if file.starts_with("search-index/terms/") {
            let shard: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(text).unwrap();
            terms.extend(shard.keys().cloned());
        }
    }
    for raw in ["张三丰", "李秀英", "王建国"] {
        let chars: Vec<char> = raw.chars().collect();
        for pair in chars.windows(2) {
            let pair: String = pair.iter().collect();
            assert!(
                !terms.contains(&pair),
                "{pair} of the raw name {raw} is a search term"
            );
        }
    }
    assert!(
        terms.contains("张") && terms.contains("=为独居老人检修水龙头"),
        "{} terms",
        terms.len()
    );
}

/// A UI string missing from the theme shows as its key (`history_final`): no page of the
/// demonstration site, in either shipped language, may show one.
#[test]
fn every_text_shown_is_a_ui_string_not_its_key() {
    let is_key = |t: &str| {
        t.contains('_') && t.len() > 3 && t.chars().all(|c| c.is_ascii_lowercase() || c == '_')
    };
    for language in ["zh-CN", "en"] {
        let copy = copy_site(&repo());
        let site = copy.path();
        let toml = site.join("site.toml");
        let text = std::fs::read_to_string(&toml).unwrap();
        let text = text.replace(
            "language = \"zh-CN\"",
            &format!("language = \"{language}\""),
        );
        std::fs::write(&toml, text).unwrap();
        let public = site.join("public");
        build_ok(site, &public, &[]);
        let all = files(&public);
        for (file, doc) in html_files(&all) {
            // Column names of the open data are shown as code, on purpose.
            let keys: Vec<&str> = doc
                .root_element()
                .descendants()
                .filter(|n| {
                    n.parent()
                        .and_then(|p| p.value().as_element())
                        .is_none_or(|e| e.name() != "code")
                })
                .filter_map(|n| n.value().as_text().map(|t| t.trim()))
                .filter(|t| is_key(t))
                .collect();
            assert!(keys.is_empty(), "{language}: {file} shows {keys:?}");
        }
    }
}

/// A document as a tree of (element, sorted attributes, children) and text, each run of
/// whitespace as one space: what minifying must not change.
fn tree(node: scraper::ElementRef) -> String {
    let e = node.value();
    // An empty class (a template's `class="{% if … %}…{% endif %}"`) is no class.
    let mut attrs: Vec<String> = e
        .attrs()
        .filter(|(k, v)| !(*k == "class" && v.is_empty()))
        .map(|(k, v)| format!("{k}={v:?}"))
        .collect();
    attrs.sort();
    let mut out = format!("<{} {}>", e.name(), attrs.join(" "));
    for child in node.children() {
        if let Some(el) = scraper::ElementRef::wrap(child) {
            out.push_str(&tree(el));
        } else if let Some(text) = child.value().as_text() {
            let mut collapsed = String::new();
            for c in text.chars() {
                if !c.is_whitespace() {
                    collapsed.push(c);
                } else if !collapsed.ends_with(' ') {
                    collapsed.push(' ');
                }
            }
            out.push_str(&collapsed);
            out.push('|');
        }
    }
    out.push_str("</>");
    out
}

/// The templates are minified once as they are loaded, not every page: every page comes out
/// as the same document as the page rendered from the templates as written and minified
/// alone (minify-html, as render::minify_html does).
#[test]
fn pages_from_minified_templates_are_the_pages_minified_one_by_one() {
    for extra in [&[][..], &["--drafts"][..]] {
        let copy = copy_site(&repo());
        let site = copy.path();
        let minified = site.join("minified");
        build_ok(site, &minified, extra);
        let toml = site.join("site.toml");
        let text = std::fs::read_to_string(&toml).unwrap();
        std::fs::write(&toml, text.replace("minify = true", "minify = false")).unwrap();
        let plain = site.join("plain");
        build_ok(site, &plain, extra);
        assert!(same_documents(&files(&minified), &files(&plain)) > 100);
    }
}

/// A site's own template that cannot be minified as it is loaded (a tag between two
/// attributes) still gives minified pages, each minified alone, and the same documents.
#[test]
fn a_template_that_cannot_be_minified_gives_pages_minified_one_by_one() {
    let copy = copy_site(&repo());
    let site = copy.path();
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(
        site.join("templates/404.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n\
         <h1{% if page.kind == \"404\" %} class=\"lost\"{% endif %}>{{ t.not_found }}</h1>\n\
         <p>  {{ t.not_found_text }}  </p>\n{% endblock content %}\n",
    )
    .unwrap();
    let minified = site.join("minified");
    build_ok(site, &minified, &[]);
    let page = std::fs::read_to_string(minified.join("404.html")).unwrap();
    assert!(page.contains("<h1 class=lost>"), "{page}");
    assert!(!page.contains('\n'), "not minified: {page}");
    let toml = site.join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replace("minify = true", "minify = false")).unwrap();
    let plain = site.join("plain");
    build_ok(site, &plain, &[]);
    assert!(same_documents(&files(&minified), &files(&plain)) > 100);
}

/// Compares every page of a minified build, minified again, with the same page of an
/// unminified one minified alone; returns how many pages.
fn same_documents(
    minified: &BTreeMap<String, Vec<u8>>,
    plain: &BTreeMap<String, Vec<u8>>,
) -> usize {
    let cfg = minify_html::Cfg {
        minify_css: true,
        keep_closing_tags: true,
        ..minify_html::Cfg::new()
    };
    let mut pages = 0;
    for (file, bytes) in plain {
        if !file.ends_with(".html") {
            continue;
        }
        let one_by_one = String::from_utf8(minify_html::minify(bytes, &cfg)).unwrap();
        let from_templates = String::from_utf8(minified[file].clone()).unwrap();
        // Smaller than as rendered; a few per cent larger than minified alone, as values
        // that held a template tag keep their quotes.
        assert!(
            from_templates.len() < bytes.len()
                && from_templates.len() <= one_by_one.len() * 107 / 100,
            "{file}: {} bytes, {} as rendered, {} minified alone",
            from_templates.len(),
            bytes.len(),
            one_by_one.len()
        );
        // Markdown bodies go in as pulldown-cmark writes them (a line break between
        // blocks): minified again, the page must be the page minified alone.
        let again =
            String::from_utf8(minify_html::minify(from_templates.as_bytes(), &cfg)).unwrap();
        let a = tree(Html::parse_document(&one_by_one).root_element());
        let b = tree(Html::parse_document(&again).root_element());
        if a != b {
            let at = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
            let around = |t: &str| {
                t.chars()
                    .skip(at.saturating_sub(150))
                    .take(300)
                    .collect::<String>()
            };
            panic!("{file} differs:\n{}\n{}", around(&a), around(&b));
        }
        pages += 1;
    }
    pages
}

#[test]
fn overdue_items_are_listed() {
    let site = repo().join("tests/fixtures/good");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_ok(&site, &public, &[]);
    let page =
        Html::parse_document(&std::fs::read_to_string(public.join("overdue/index.html")).unwrap());
    let hrefs: Vec<String> = page
        .select(&sel("main a[href]"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert!(
        hrefs.iter().any(|h| h.ends_with("items/health-check/")),
        "{hrefs:?}"
    );
    assert!(
        !hrefs.iter().any(|h| h.ends_with("items/fix-tap/")),
        "a completed item listed as overdue"
    );
}

#[test]
fn a_long_overdue_list_is_split_into_pages_each_item_once() {
    let site = demo_with_items_per_page(2);
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_ok(site.path(), &public, &[]);
    // The demonstration site has 5 overdue items: pages of 2, 2 and 1.
    let mut seen = Vec::new();
    for (n, file) in [
        "overdue/index.html",
        "overdue/page/2/index.html",
        "overdue/page/3/index.html",
    ]
    .iter()
    .enumerate()
    {
        let page = Html::parse_document(&std::fs::read_to_string(public.join(file)).unwrap());
        let items: Vec<String> = page
            .select(&sel("table.items tbody th a"))
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect();
        assert_eq!(items.len(), if n < 2 { 2 } else { 1 }, "{file}");
        let count: String = page
            .select(&sel(".overdue-count"))
            .next()
            .unwrap()
            .text()
            .collect();
        assert!(count.contains('5'), "{file}: {count}");
        let title: String = page.select(&sel("title")).next().unwrap().text().collect();
        let paged = title.contains(&format!("（第 {} 页）", n + 1));
        assert_eq!(paged, n > 0, "{file}: {title}");
        seen.extend(items);
    }
    assert!(!public.join("overdue/page/4/index.html").exists());
    let distinct: HashSet<&String> = seen.iter().collect();
    assert_eq!(distinct.len(), 5, "{seen:?}");
    assert_links_resolve(&public, "/jcdj/shiji/");
}

/// Page 2 of a community's or a category's list is the list continued: that page's items, a
/// link back to the community, and none of what the first page holds besides the list.
#[test]
fn later_pages_of_a_community_or_a_category_are_the_list_continued() {
    let site = demo_with_items_per_page(2);
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_ok(site.path(), &public, &[]);
    let read =
        |file: &str| Html::parse_document(&std::fs::read_to_string(public.join(file)).unwrap());
    let items = |page: &Html| -> Vec<String> {
        page.select(&sel("#items table.items tbody th a"))
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect()
    };
    let has = |page: &Html, css: &str| page.select(&sel(css)).next().is_some();
    let first_only = [".figures", ".charts", ".qr-box", "#overdue"];
    for (first, second) in [
        (
            "communities/wenmiao/index.html",
            "communities/wenmiao/page/2/index.html",
        ),
        (
            "categories/repair/index.html",
            "categories/repair/page/2/index.html",
        ),
    ] {
        let (one, two) = (read(first), read(second));
        let (on_one, on_two) = (items(&one), items(&two));
        assert_eq!(on_one.len(), 2, "{first}");
        assert!(!on_two.is_empty(), "{second}");
        assert!(
            on_two.iter().all(|i| !on_one.contains(i)),
            "{on_one:?} {on_two:?}"
        );
        assert!(has(&one, ".figures") && has(&one, ".charts"), "{first}");
        for css in first_only {
            assert!(!has(&two, css), "{second} has {css}");
        }
        let h1: String = two.select(&sel("h1")).next().unwrap().text().collect();
        assert!(h1.contains("（第 2 页）"), "{second}: {h1}");
        assert!(has(&two, "nav.pager a[rel=prev]"), "{second}");
    }
    let community = read("communities/wenmiao/index.html");
    assert!(has(&community, ".qr-box") && has(&community, "#overdue"));
    let back: Vec<String> = read("communities/wenmiao/page/2/index.html")
        .select(&sel("main p.lead a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(back, ["/jcdj/shiji/communities/wenmiao/"]);
    assert_links_resolve(&public, "/jcdj/shiji/");
}

/// On a long list the pager links the first and last pages and two either side of the
/// current one, with a hidden "…" where numbers are left out, and every link it has works.
#[test]
fn the_pager_of_a_long_list_links_a_window_of_pages() {
    let site = demo_with_items_per_page(1);
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_ok(site.path(), &public, &[]);
    let units = std::fs::read_dir(site.path().join("content/units"))
        .unwrap()
        .count();
    assert!(units >= 12, "the demonstration site has {units} units");
    let page = Html::parse_document(
        &std::fs::read_to_string(public.join("units/page/6/index.html")).unwrap(),
    );
    // The numbered links and the gaps, in order; "…" for a gap.
    let shown: Vec<String> = page
        .select(&sel("nav.pager li"))
        .filter(|li| li.select(&sel("a[rel]")).next().is_none())
        .map(|li| match li.value().attr("class") {
            Some("pager-gap") => {
                assert_eq!(li.value().attr("aria-hidden"), Some("true"));
                "…".to_string()
            }
            _ => li.text().collect(),
        })
        .collect();
    let last = units.to_string();
    assert_eq!(
        shown,
        ["1", "…", "4", "5", "6", "7", "8", "…", last.as_str()]
    );
    let current: Vec<String> = page
        .select(&sel("nav.pager a[aria-current=page]"))
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(current, ["6"]);
    assert_links_resolve(&public, "/jcdj/shiji/");
}

#[test]
fn pages_load_nothing_from_outside() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_ok(&repo(), &public, &[]);
    let resources =
        sel("link[href], script[src], img[src], iframe, source[src], video, audio, object, embed");
    for (file, doc) in html_files(&files(&public)) {
        for e in doc.select(&resources) {
            let url = e
                .value()
                .attr("href")
                .or(e.value().attr("src"))
                .unwrap_or("");
            let rel = e.value().attr("rel").unwrap_or("");
            if rel == "canonical" || rel == "alternate" {
                continue; // a link to this page's address, not a resource
            }
            assert!(
                !(url.starts_with("http:") || url.starts_with("https:") || url.starts_with("//"))
                    && e.value().name() != "iframe",
                "{file} loads {url}"
            );
        }
        // Scripts are the theme's own: 长辈模式's line in the head and its file on every page
        // (only the line on a notice sheet), the search page's file.
        let scripts: Vec<String> = doc
            .select(&sel("script"))
            .map(|e| match e.value().attr("src") {
                Some(src) => src.to_string(),
                None => e.text().collect(),
            })
            .collect();
        let expected: &[&str] = if file == "search/index.html" {
            &[ELDER_HEAD, "/jcdj/shiji/elder.js", "/jcdj/shiji/search.js"]
        } else if file.ends_with("/notice/index.html") {
            &[ELDER_HEAD]
        } else {
            &[ELDER_HEAD, "/jcdj/shiji/elder.js"]
        };
        assert_eq!(scripts, expected, "{file}");
    }
}

#[test]
fn timings_give_every_stage_in_order_with_its_seconds() {
    let site = copy_site(&repo().join("tests/fixtures/good"));
    let out = tempfile::tempdir().unwrap();
    let o = shiji(&[
        "build",
        "--timings",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        out.path().join("o").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    let stages: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| {
            let (seconds, stage) = l.trim().split_once(" s  ").expect(l);
            assert!(seconds.parse::<f64>().is_ok_and(|s| s >= 0.0), "{l}");
            stage
        })
        .collect();
    assert_eq!(
        stages,
        [
            "records",
            "theme and routes",
            "feeds, sitemap, open data",
            "pages and photos",
            "search index",
            "static files",
            "feeds, data and index written",
            "old files removed, output swapped in"
        ],
        "{text}"
    );
}

#[test]
fn search_enabled_false_leaves_out_the_page_the_index_and_every_way_to_them() {
    let site = copy_site(&repo().join("tests/fixtures/good"));
    let out = tempfile::tempdir().unwrap();
    // The build's summary line, printed without --quiet.
    let summary = |out: &Path| {
        let o = shiji(&[
            "build",
            "--root",
            site.path().to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let on = out.path().join("on");
    let line = summary(&on);
    assert!(line.contains(", search index "), "{line}");
    assert!(on.join("search/index.html").is_file() && on.join("search-index/meta.json").is_file());
    let home = std::fs::read_to_string(on.join("index.html")).unwrap();
    assert!(home.contains("role=search") || home.contains("role=\"search\""));

    let toml = site.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}\n[search]\nenabled = false\n")).unwrap();
    let off = out.path().join("off");
    let line = summary(&off);
    assert!(!line.contains("search index"), "{line}");
    let all = files(&off);
    assert!(
        !all.keys().any(|k| k.starts_with("search/")
            || k.starts_with("search-index/")
            || k == "search.js"),
        "search files written with search off"
    );
    for (file, bytes) in &all {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("search/") && !text.contains("role=search"),
            "{file} leads to search"
        );
    }
}

#[test]
fn two_builds_are_byte_identical_wherever_site_and_output_are() {
    let a = copy_site(&repo());
    let b = copy_site(&repo());
    let out = tempfile::tempdir().unwrap();
    build_ok(a.path(), &out.path().join("one"), &[]);
    build_ok(b.path(), &out.path().join("two/deeper"), &[]);
    let (x, y) = (
        files(&out.path().join("one")),
        files(&out.path().join("two/deeper")),
    );
    assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>());
    for (k, v) in &x {
        assert!(v == &y[k], "{k} differs between builds");
    }
}

#[test]
fn unchanged_files_keep_their_modification_time() {
    let site = copy_site(&repo().join("tests/fixtures/good"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_ok(site.path(), &public, &[]);
    let old = filetime::FileTime::from_unix_time(1_000_000_000, 0);
    for f in files(&public).keys() {
        filetime::set_file_mtime(public.join(f), old).unwrap();
    }
    // Change one item's title: its page and the lists showing it change, the rest does not.
    let path = site.path().join("content/items/health-check.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("title: ", "title: 改 ", 1)).unwrap();
    build_ok(site.path(), &public, &[]);
    let mtime = |f: &str| {
        filetime::FileTime::from_last_modification_time(&std::fs::metadata(public.join(f)).unwrap())
    };
    assert_eq!(
        mtime("about/index.html"),
        old,
        "an unchanged page got a new mtime"
    );
    assert_eq!(mtime("style.css"), old);
    assert_ne!(
        mtime("items/health-check/index.html"),
        old,
        "a changed page kept its old mtime"
    );
}

fn snapshot(out: &Path) -> BTreeMap<String, Vec<u8>> {
    files(out)
}

#[test]
fn a_content_error_or_a_template_error_leaves_the_old_output_as_it_was() {
    let site = copy_site(&repo().join("tests/fixtures/good"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_ok(site.path(), &public, &[]);
    let before = snapshot(&public);

    let item = site.path().join("content/items/health-check.yaml");
    let good = std::fs::read_to_string(&item).unwrap();
    std::fs::write(&item, format!("{good}\nbogus_field: 1\n")).unwrap();
    let o = build(site.path(), &public, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("content/items/health-check.yaml"));
    assert!(
        snapshot(&public) == before,
        "a content error changed the output"
    );
    std::fs::write(&item, good).unwrap();

    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(site.path().join("templates/item.html"), "{% extends \"base.html\" %}\n{% block content %}\n{{ item.title | nosuchfilter }}\n{% endblock %}\n").unwrap();
    let o = build(site.path(), &public, &[]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("templates/item.html:3"), "{stderr}");
    assert!(
        snapshot(&public) == before,
        "a template error changed the output"
    );
    let mut beside: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(
        beside,
        [".public.shiji-manifest", ".public.shiji-photos", "public"],
        "staging folders left behind"
    );
}

/// A site's template that hands a component of the default theme the wrong data fails inside
/// the built-in theme: the error still shows that template's line, from the binary.
#[test]
fn an_error_inside_the_built_in_theme_shows_its_line() {
    let site = copy_site(&repo().join("tests/fixtures/good"));
    let out = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/item.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n\
         {{ <ui.items items={item.title} caption=\"x\" community={false} empty=\"y\" /> }}\n\
         {% endblock %}\n",
    )
    .unwrap();
    let o = build(site.path(), &out.path().join("public"), &[]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    let components =
        std::fs::read_to_string(repo().join("themes/default/templates/components.html")).unwrap();
    let (line, column) = place_after(&stderr, "(built-in theme)/templates/components.html:");
    let text = components.lines().nth(line - 1).unwrap();
    let at_column: String = text.chars().skip(column - 1).take(12).collect();
    assert!(
        stderr.contains(&format!("{line} |")) && stderr.contains(&at_column),
        "no snippet of components.html:{line} ({at_column:?}) in\n{stderr}"
    );
}

/// The `line:column` that follows `prefix` in `text`.
fn place_after(text: &str, prefix: &str) -> (usize, usize) {
    let at = text.find(prefix).expect("the place is named") + prefix.len();
    let mut numbers = text[at..].split(|c: char| !c.is_ascii_digit());
    let mut next = || numbers.next().unwrap().parse().unwrap();
    (next(), next())
}

#[test]
fn a_build_killed_midway_leaves_the_old_output_as_it_was() {
    let site = repo();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_ok(&site, &public, &[]);
    let before = snapshot(&public);
    // Kill builds at several moments; whatever the moment, the output is the old one.
    for delay_ms in [5u64, 20, 60, 120] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_shiji"))
            .args([
                "build",
                "--quiet",
                "--drafts",
                "--root",
                site.to_str().unwrap(),
                "--output",
                public.to_str().unwrap(),
            ])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.success() {
            // Finished before the kill: that is a complete new output; restore the old one.
            build_ok(&site, &public, &[]);
        }
        assert!(
            snapshot(&public) == before,
            "killed after {delay_ms} ms: output changed"
        );
    }
}

#[test]
fn script_and_event_handler_payloads_never_reach_the_output() {
    let site = copy_site(&repo().join("tests/fixtures/good"));
    let page = site.path().join("content/pages/about.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let payload = "\n\n<script>alert('x1')</script>\n\n<img src=\"photos/fix-tap-1.png\" onerror=\"alert('x2')\">\n\n[点我](javascript:alert('x3'))\n\n<iframe src=\"https://evil.example\"></iframe>\n\n<p style=\"color:red\" onclick=\"alert('x4')\">样式</p>\n";
    std::fs::write(&page, format!("{text}{payload}")).unwrap();
    // A YAML text field with markup in it is text, shown escaped.
    let unit = site.path().join("content/units/ranqi.yaml");
    let u = std::fs::read_to_string(&unit).unwrap();
    let u = u.replace(
        "summary: 负责城区燃气供应",
        "summary: \"<script>alert('x5')</script><img src=x onerror=alert('x6')>\"",
    );
    std::fs::write(&unit, u).unwrap();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_ok(site.path(), &public, &[]);
    let all = files(&public);
    let every = sel("*");
    for (file, doc) in html_files(&all) {
        for e in doc.select(&every) {
            let el = e.value();
            // The theme's own scripts are the ones allowed: the search page's and 长辈模式's
            // from their files, and 长辈模式's line in the head.
            let text: String = e.text().collect();
            let theme_script = el.name() == "script"
                && match el.attr("src") {
                    Some(src) => {
                        text.is_empty()
                            && (src == "/elder.js"
                                || (file == "search/index.html" && src == "/search.js"))
                    }
                    None => text == ELDER_HEAD,
                };
            assert!(
                theme_script
                    || !["script", "iframe", "style", "object", "embed"].contains(&el.name()),
                "{file} has <{}>",
                el.name()
            );
            for (name, value) in el.attrs() {
                assert!(
                    !name.starts_with("on") && name != "style",
                    "{file}: <{} {name}=…>",
                    el.name()
                );
                assert!(
                    !value.trim().to_lowercase().starts_with("javascript:"),
                    "{file}: {name}={value}"
                );
            }
        }
    }
    // The markup written in a YAML text field is shown as text.
    let unit = std::fs::read_to_string(public.join("units/ranqi/index.html")).unwrap();
    assert!(
        unit.contains("&lt;script>") || unit.contains("&lt;script&gt;"),
        "the summary's text is not shown escaped"
    );
    let about = std::fs::read_to_string(public.join("about/index.html")).unwrap();
    assert!(
        about.contains("样式"),
        "the harmless text of the payload is kept"
    );
}

/// The figure cards of a page's first `dl.figures`, label → value, and its rates.
fn figures(doc: &Html) -> (BTreeMap<String, String>, Vec<String>) {
    let text = |e: scraper::ElementRef| e.text().collect::<String>().trim().to_string();
    let block = doc
        .select(&sel(".figures-block"))
        .next()
        .expect("a figures block");
    let cards = block
        .select(&sel("dl.figures > div"))
        .map(|d| {
            (
                text(d.select(&sel("dt")).next().unwrap()),
                text(d.select(&sel("dd")).next().unwrap()),
            )
        })
        .collect();
    let rates = block.select(&sel("dl.rates dd")).map(text).collect();
    (cards, rates)
}

#[test]
fn community_figures_on_the_pages_match_hand_counts() {
    let site = repo().join("tests/fixtures/good");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_ok(&site, &public, &[]);
    let t: toml::Table = toml::from_str(
        &std::fs::read_to_string(repo().join("themes/default/i18n/zh-CN.toml")).unwrap(),
    )
    .unwrap();
    let label = |k: &str| t[k].as_str().unwrap().to_string();
    // tests/fixtures/good/EXPECTED.md, "Per community"; rates = completed ÷ (items − cancelled).
    let expected = [
        ("junmen", [2, 1, 1, 0, 0, 0, 25], "50.0%"),
        ("nanmen", [1, 0, 0, 1, 0, 0, 0], "0.0%"),
        ("dongba", [3, 1, 0, 1, 1, 1, 40], "50.0%"),
    ];
    let keys = [
        "fig_items",
        "status_completed",
        "status_in_progress",
        "status_claimed",
        "status_cancelled",
        "overdue",
        "fig_beneficiaries",
    ];
    for (id, numbers, rate) in expected {
        let html =
            std::fs::read_to_string(public.join(format!("communities/{id}/index.html"))).unwrap();
        let (cards, rates) = figures(&Html::parse_document(&html));
        for (key, n) in keys.iter().zip(numbers) {
            assert_eq!(cards.get(&label(key)), Some(&n.to_string()), "{id}: {key}");
        }
        assert!(
            rates[0].contains(rate),
            "{id}: completion rate {:?}",
            rates[0]
        );
    }
    // No evaluation of nanmen or its item: no satisfaction rate, never a misleading 0%.
    let html = std::fs::read_to_string(public.join("communities/nanmen/index.html")).unwrap();
    let (_, rates) = figures(&Html::parse_document(&html));
    assert_eq!(rates[1], label("no_data"));
}

#[test]
fn a_new_site_builds_at_once_and_new_refuses_a_folder_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("my-site");
    let o = shiji(&["new", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for kind in [
        "streets",
        "communities",
        "units",
        "agreements",
        "items",
        "reports",
        "evaluations",
        "pages",
    ] {
        assert!(
            std::fs::read_dir(site.join("content").join(kind))
                .unwrap()
                .next()
                .is_some(),
            "no {kind}"
        );
    }
    let public = dir.path().join("public");
    build_ok(&site, &public, &[]);
    assert!(public.join("items/fix-taps/index.html").is_file());
    // Its dates are set around the day it is made: nothing is overdue on day one, one item
    // is completed and one still open.
    let check = shiji(&[
        "check",
        "--format",
        "json",
        "--root",
        site.to_str().unwrap(),
    ]);
    let json: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(json["totals"]["overdue"], 0, "{json}");
    assert_eq!(json["totals"]["completed"], 1, "{json}");
    assert_eq!(json["totals"]["claimed"], 1, "{json}");
    let toml = std::fs::read_to_string(site.join("site.toml")).unwrap();
    assert!(toml.contains("docs/content.md"), "{toml}");
    assert!(!toml.contains("@DAY"), "a date mark left unfilled: {toml}");
    let again = shiji(&["new", site.to_str().unwrap()]);
    assert_eq!(
        again.status.code(),
        Some(2),
        "new must not write into a folder in use"
    );
}

#[test]
fn check_finds_a_broken_link_in_a_body_and_content_only_skips_pages() {
    let site = copy_site(&repo().join("tests/fixtures/good"));
    let page = site.path().join("content/pages/about.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        format!("{text}\n见[逾期事项](/overdue/)与[旧页面](/old-page/)。\n"),
    )
    .unwrap();
    let root = site.path().to_str().unwrap();
    let full = shiji(&["check", "--format", "json", "--root", root]);
    assert_eq!(full.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&full.stdout).unwrap();
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["code"], "broken-link");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("/old-page/")
    );
    assert!(
        errors[0]["file"]
            .as_str()
            .unwrap()
            .starts_with("about/index.html")
    );
    let content = shiji(&["check", "--content-only", "--root", root]);
    assert!(
        content.status.success(),
        "{}",
        String::from_utf8_lossy(&content.stderr)
    );
}

#[test]
fn atom_feeds_are_well_formed_with_dates_from_the_records() {
    let site = repo().join("tests/fixtures/good");
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_ok(&site, &public, &[]);
    const ATOM: &str = "http://www.w3.org/2005/Atom";
    fn text(n: roxmltree::Node, name: &str) -> String {
        n.children()
            .find(|c| c.has_tag_name((ATOM, name)))
            .and_then(|c| c.text())
            .unwrap_or("")
            .to_string()
    }
    let mut ids = HashSet::new();
    for (path, expected_entries) in [
        ("feed.xml", 2),
        ("communities/dongba/feed.xml", 1),
        ("communities/nanmen/feed.xml", 0),
    ] {
        let xml = std::fs::read_to_string(public.join(path)).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{path}: {e}"));
        let feed = doc.root_element();
        assert!(feed.has_tag_name((ATOM, "feed")), "{path}");
        for required in ["id", "title", "updated"] {
            assert!(
                !text(feed, required).is_empty(),
                "{path}: feed has no {required}"
            );
        }
        let entries: Vec<_> = feed
            .children()
            .filter(|c| c.has_tag_name((ATOM, "entry")))
            .collect();
        assert_eq!(entries.len(), expected_entries, "{path}");
        for e in entries {
            for required in ["id", "title", "updated"] {
                assert!(
                    !text(e, required).is_empty(),
                    "{path}: entry has no {required}"
                );
            }
            let href = e
                .children()
                .find(|c| c.has_tag_name((ATOM, "link")))
                .and_then(|l| l.attribute("href"))
                .unwrap();
            let rel = href
                .strip_prefix("https://example.org/")
                .expect("absolute link under base_url");
            assert!(
                public.join(rel).join("index.html").is_file(),
                "{href} is no page"
            );
            assert!(
                ids.insert((path, text(e, "id"))),
                "{path}: an entry id twice"
            );
        }
    }
    // Dates are those of the final reports (fix-tap-final 2018-04-20, library-final), newest first.
    let site_feed = std::fs::read_to_string(public.join("feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&site_feed).unwrap();
    let updated: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .map(|e| text(e, "updated"))
        .collect();
    let finals: Vec<String> = ["fix-tap-final.md", "library-final.yaml"]
        .iter()
        .map(|f| {
            let t = std::fs::read_to_string(site.join("content/reports").join(f)).unwrap();
            let d = t
                .lines()
                .find_map(|l| l.strip_prefix("date: "))
                .unwrap()
                .trim()
                .to_string();
            format!("{d}T00:00:00+08:00")
        })
        .collect();
    let mut want = finals.clone();
    want.sort_by(|a, b| b.cmp(a));
    assert_eq!(updated, want);
    assert_eq!(
        text(doc.root_element(), "updated"),
        want[0],
        "the feed is as new as its newest entry"
    );
}

#[test]
fn the_portal_table_fills_meta_tags_and_footer_and_rejects_unknown_keys() {
    let site = copy_site(&repo().join("tests/fixtures/good"));
    let toml_path = site.path().join("site.toml");
    let base = std::fs::read_to_string(&toml_path).unwrap();
    let portal = "\n[portal]\nsite_name = \"示例市人民政府\"\nsite_code = \"5108000001\"\ncolumn = \"基层党建\"\nsponsor = \"中共示例市委组织部\"\nicp = \"蜀ICP备00000001号\"\n";
    std::fs::write(&toml_path, format!("{base}{portal}")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_ok(site.path(), &public, &[]);
    let doc = Html::parse_document(
        &std::fs::read_to_string(public.join("items/fix-tap/index.html")).unwrap(),
    );
    let meta = |name: &str| {
        doc.select(&sel(&format!("meta[name=\"{name}\"]")))
            .next()
            .and_then(|m| m.value().attr("content").map(str::to_string))
    };
    assert_eq!(meta("SiteName").as_deref(), Some("示例市人民政府"));
    assert_eq!(meta("SiteIDCode").as_deref(), Some("5108000001"));
    assert_eq!(meta("ColumnName").as_deref(), Some("基层党建"));
    assert_eq!(meta("SiteDomain"), None, "a key not written gives no tag");
    let footer: String = doc.select(&sel("footer")).flat_map(|f| f.text()).collect();
    assert!(
        footer.contains("中共示例市委组织部") && footer.contains("蜀ICP备00000001号"),
        "{footer}"
    );

    std::fs::write(&toml_path, format!("{base}{portal}sponser = \"x\"\n")).unwrap();
    let o = shiji(&[
        "check",
        "--format",
        "json",
        "--root",
        site.path().to_str().unwrap(),
    ]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["errors"][0]["code"], "config-unknown-key", "{json}");
    assert!(
        json["errors"][0]["hint"]
            .as_str()
            .unwrap()
            .contains("portal.sponsor")
    );
}

#[test]
fn a_static_file_in_the_place_of_a_made_file_is_an_error() {
    let site = copy_site(&repo().join("tests/fixtures/good"));
    std::fs::write(site.path().join("static/feed.xml"), "<feed/>").unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), &out.path().join("public"), &[]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("static-conflict") && stderr.contains("static/feed.xml"),
        "{stderr}"
    );
    assert!(
        !out.path().join("public").exists(),
        "nothing may be written"
    );
    // The search index's files are made files too.
    std::fs::remove_file(site.path().join("static/feed.xml")).unwrap();
    std::fs::create_dir(site.path().join("static/search-index")).unwrap();
    std::fs::write(site.path().join("static/search-index/meta.json"), "").unwrap();
    let o = build(site.path(), &out.path().join("public"), &[]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("static/search-index/meta.json"), "{stderr}");
}
