//! What shiji writes cannot hurt a resident or the portal: nothing from outside the site
//! folder, no spreadsheet cell that runs, no known person's name raw in any file.

use std::path::Path;

mod common;
use common::*;

fn good() -> tempfile::TempDir {
    copy_site(&repo().join("tests/fixtures/good"))
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn symlinks_out_of_the_site_are_errors_and_publish_nothing() {
    let site = good();
    let root = site.path();
    let elsewhere = tempfile::tempdir().unwrap();
    let secret = elsewhere.path().join("passwd");
    std::fs::write(&secret, "root:x:0:0:SECRET-LINE\n").unwrap();
    std::fs::create_dir_all(elsewhere.path().join("folder")).unwrap();
    std::fs::write(elsewhere.path().join("folder/inner.txt"), "SECRET-LINE").unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    let link = |target: &Path, at: &str| std::os::unix::fs::symlink(target, root.join(at)).unwrap();
    link(&secret, "static/leak.txt");
    link(&elsewhere.path().join("folder"), "static/leaked");
    link(&secret, "content/streets/leak.yaml");
    // A link inside the site is followed.
    std::fs::write(root.join("static/inside.txt"), "fine").unwrap();
    link(&root.join("static/inside.txt"), "static/inside-link.txt");

    let out = tempfile::tempdir().unwrap();
    let o = build(root, &out.path().join("public"), &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for name in [
        "static/leak.txt",
        "static/leaked",
        "content/streets/leak.yaml",
    ] {
        assert!(
            err.contains(name) && err.contains("[outside-link]"),
            "{name}:\n{err}"
        );
    }
    assert!(!err.contains("SECRET-LINE"), "{err}");
    assert!(!out.path().join("public").exists());

    // Without the links out, the site builds, and the link inside is published.
    for at in [
        "static/leak.txt",
        "static/leaked",
        "content/streets/leak.yaml",
    ] {
        std::fs::remove_file(root.join(at)).unwrap();
    }
    build_ok(root, &out.path().join("public"), &[]);
    let published = std::fs::read_to_string(out.path().join("public/inside-link.txt")).unwrap();
    assert_eq!(published, "fine");
}

/// Replaces `from` by `to` in the file `rel` of the site at `root`, which must hold it.
fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_known_name_is_masked_wherever_it_is_written() {
    let site = good();
    let root = site.path();
    // 张三丰 is a member (claimed_by), 李秀英 a resident (by:); each is written elsewhere too.
    edit(
        root,
        "content/items/2018/fix-tap.md",
        "title: 为独居老人检修水龙头",
        "title: 张三丰为独居老人检修水龙头",
    );
    edit(
        root,
        "content/items/2018/fix-tap.md",
        "报到党员上门",
        "报到党员张三丰上门",
    );
    edit(
        root,
        "content/evaluations/2018.yaml",
        "comment: 师傅很耐心。",
        "comment: 我是李秀英，张三丰师傅很耐心。",
    );
    edit(
        root,
        "content/reports/library-final.yaml",
        "alt: 居民在图书室阅读",
        "alt: 李秀英在图书室阅读",
    );
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_ok(root, &public, &["--drafts"]);
    let mut shown = 0;
    for (file, bytes) in files(&public) {
        let text = String::from_utf8_lossy(&bytes);
        for raw in ["张三丰", "李秀英"] {
            assert!(!text.contains(raw), "raw name {raw} in {file}");
        }
        shown +=
            usize::from(text.contains("张**为独居老人") || text.contains("我是李**，张**师傅"));
    }
    assert!(shown > 3, "the masked texts are published ({shown} files)");
}

#[test]
fn check_refuses_what_build_refuses_in_static() {
    let site = good();
    let root = site.path();
    std::fs::create_dir_all(root.join("static/search-index")).unwrap();
    std::fs::write(root.join("static/feed.xml"), "<feed/>").unwrap();
    std::fs::write(root.join("static/search-index/meta.json"), "{}").unwrap();
    std::fs::write(root.join("static/style.css"), "p{}").unwrap();
    std::fs::write(
        root.join("static/photos/plan.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(document.domain)\"/>",
    )
    .unwrap();
    // A content problem stops `check` before the pages: first the SVG, then the clashes.
    let check = || {
        let o = shiji(&["check", "--root", root.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        stderr(&o)
    };
    let err = check();
    assert!(
        err.contains("static/photos/plan.svg") && err.contains("[active-svg]"),
        "{err}"
    );
    std::fs::remove_file(root.join("static/photos/plan.svg")).unwrap();
    let err = check();
    for file in [
        "static/feed.xml",
        "static/search-index/meta.json",
        "static/style.css",
    ] {
        assert!(err.contains(&format!("--> {file}\n")), "{file}:\n{err}");
    }
    assert_eq!(err.matches("[static-conflict]").count(), 3, "{err}");
}
