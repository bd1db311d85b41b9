//! Photos in a built site: a phone's 4000 × 3000 photo with GPS and orientation added to a
//! report of the demonstration site is published upright, resized and without metadata,
//! with srcset on its `<img>`; a rebuild touches no image file; a broken photo is an error.

mod common;
#[path = "common/phone_jpeg.rs"]
mod phone_jpeg;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use common::{build, build_ok, copy_site, sel};
use phone_jpeg::{has_metadata, phone_jpeg};

const REPORT: &str = "content/reports/2018/dianchang/r-2018-035.yaml";

/// The demonstration site with a phone photo (stored 4000 × 3000, to be turned upright to
/// 3000 × 4000) added to report r-2018-035.
fn site_with_phone_photo() -> tempfile::TempDir {
    let site = copy_site(&common::repo());
    fs::write(
        site.path().join("static/photos/phone.jpg"),
        phone_jpeg(4000, 3000, 6),
    )
    .unwrap();
    let report = site.path().join(REPORT);
    let text = fs::read_to_string(&report).unwrap();
    assert!(
        text.trim_end().ends_with("工人在沟边检修"),
        "the report changed"
    );
    fs::write(
        &report,
        format!(
            "{}\n  - src: photos/phone.jpg\n    alt: 手机拍摄的管网抢修现场\n",
            text.trim_end()
        ),
    )
    .unwrap();
    site
}

/// Every image file of the output: path → (inode, mtime in ns).
fn images(out: &Path) -> BTreeMap<String, (u64, i128)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().to_lowercase();
            e.file_type().is_file() && [".jpg", ".png", ".webp"].iter().any(|x| n.ends_with(x))
        })
        .map(|e| {
            let m = e.metadata().unwrap();
            let rel = e
                .path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (
                rel,
                (
                    m.ino(),
                    i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
                ),
            )
        })
        .collect()
}

/// The `<img>` of the phone photo on the item page of r-2018-035.
fn phone_img(out: &Path) -> BTreeMap<String, String> {
    let page = fs::read_to_string(out.join("items/i-2018-035/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&page);
    let img = doc
        .select(&sel("img[alt='手机拍摄的管网抢修现场']"))
        .next()
        .expect("the photo's <img>");
    img.value()
        .attrs()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn size_of(path: &Path) -> (u32, u32) {
    shiji_photo_codec::upright_size_of_file(path).unwrap()
}

#[test]
fn a_phone_photo_is_published_resized_upright_and_without_location() {
    let site = site_with_phone_photo();
    let out = site.path().join("public");
    build_ok(site.path(), &out, &[]);

    let img = phone_img(&out);
    assert_eq!(img["src"], "/jcdj/shiji/photos/phone.jpg");
    assert_eq!(
        (img["width"].as_str(), img["height"].as_str()),
        ("1600", "2133")
    );
    assert_eq!(
        img["srcset"],
        "/jcdj/shiji/photos/phone.480.jpg 480w, /jcdj/shiji/photos/phone.960.jpg 960w, /jcdj/shiji/photos/phone.jpg 1600w"
    );
    assert_eq!(img["loading"], "lazy");
    assert!(img["sizes"].ends_with("100vw"), "{}", img["sizes"]);
    for (file, size) in [
        ("phone.480.jpg", (480, 640)),
        ("phone.960.jpg", (960, 1280)),
        ("phone.jpg", (1600, 2133)),
    ] {
        assert_eq!(size_of(&out.join("photos").join(file)), size, "{file}");
    }
    // No image file of the output carries metadata: neither the phone photo's copies nor the
    // demonstration site's own photos.
    let all = images(&out);
    assert!(all.len() > 30, "{all:?}");
    for rel in all.keys() {
        let bytes = fs::read(out.join(rel)).unwrap();
        assert!(!has_metadata(&bytes), "{rel} has metadata");
    }
    // The copies are in the cache beside the output, not in the site.
    assert!(site.path().join(".public.shiji-photos/index").is_file());
}

#[test]
fn an_unchanged_rebuild_touches_no_image_file() {
    let site = site_with_phone_photo();
    let out = site.path().join("public");
    build_ok(site.path(), &out, &[]);
    let cache = site.path().join(".public.shiji-photos");
    let (before, cached) = (images(&out), images(&cache));
    assert!(before.contains_key("photos/phone.480.jpg"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    build_ok(site.path(), &out, &[]);
    assert_eq!(
        images(&out),
        before,
        "an image file of the output was touched"
    );
    assert_eq!(images(&cache), cached, "a copy in the cache was made again");

    // A changed photo is processed again, and only it.
    fs::write(
        site.path().join("static/photos/phone.jpg"),
        phone_jpeg(1200, 900, 1),
    )
    .unwrap();
    build_ok(site.path(), &out, &[]);
    let after = images(&out);
    assert!(!after.contains_key("photos/phone.1600.jpg"));
    assert_eq!(size_of(&out.join("photos/phone.jpg")), (1200, 900));
    for (rel, stamp) in &after {
        if !rel.starts_with("photos/phone") {
            assert_eq!(before.get(rel), Some(stamp), "{rel} touched");
        }
    }
    // The old photo's copies left the cache.
    assert_eq!(images(&cache).len(), cached.len(), "{:?}", images(&cache));
}

#[test]
fn originals_are_published_only_when_asked() {
    let site = site_with_phone_photo();
    let out = site.path().join("public");
    let toml = site.path().join("site.toml");
    let text = fs::read_to_string(&toml).unwrap();
    fs::write(
        &toml,
        format!("{text}\n[photos]\npublish_originals = true\n"),
    )
    .unwrap();
    build_ok(site.path(), &out, &[]);
    assert_eq!(
        fs::read(out.join("photos/phone.jpg")).unwrap(),
        fs::read(site.path().join("static/photos/phone.jpg")).unwrap()
    );
    let img = phone_img(&out);
    assert_eq!(img["src"], "/jcdj/shiji/photos/phone.1600.jpg");
    assert_eq!(size_of(&out.join("photos/phone.1600.jpg")), (1600, 2133));
}

#[test]
fn a_broken_photo_is_an_error_naming_it_and_nothing_is_written() {
    let site = site_with_phone_photo();
    let out = site.path().join("public");
    build_ok(site.path(), &out, &[]);
    let before = common::files(&out);
    let good = phone_jpeg(800, 600, 1);
    // Cut short: the header reads, the image does not.
    fs::write(
        site.path().join("static/photos/phone.jpg"),
        &good[..good.len() / 2],
    )
    .unwrap();
    // Not an image at all.
    fs::write(
        site.path().join("static/photos/zz-broken.png"),
        b"not a png",
    )
    .unwrap();
    let o = build(site.path(), &out, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("static/photos/phone.jpg"), "{err}");
    assert!(err.contains("static/photos/zz-broken.png"), "{err}");
    assert!(err.contains("photo-unreadable"), "{err}");
    assert_eq!(common::files(&out), before, "the output changed");
}
