//! Adds phone-sized photos to a site made by `scripts/gen-site`, for benchmarks: run by
//! `scripts/gen-photos` (see docs/benchmarks.md).
//!
//!     cargo run --example gen_photos -- --site /tmp/site-10k --count 2000 [--width 4000 --height 3000]
//!
//! Every photo is a JPEG of busy pixels (a phone photo's size in bytes, about 3 MB at
//! 4000 × 3000) with EXIF orientation and GPS, XMP and a comment, as a phone writes it. They
//! share one encoded image and differ in their comment, so that each has bytes of its own (and
//! is processed on its own) while making them costs seconds. Photo `k` is added to the `k`-th
//! report, in the order of their paths.

#[path = "../tests/common/phone_jpeg.rs"]
mod phone_jpeg;

use std::fs;
use std::path::{Path, PathBuf};

use shiji_photo_codec::image::{DynamicImage, Rgb, RgbImage};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str, default: Option<&str>| -> String {
        match args.iter().position(|a| a == name) {
            Some(i) => args.get(i + 1).cloned().unwrap_or_else(|| usage()),
            None => default.map(str::to_string).unwrap_or_else(|| usage()),
        }
    };
    let site = PathBuf::from(value("--site", None));
    let count: usize = value("--count", None).parse().unwrap_or_else(|_| usage());
    let width: u32 = value("--width", Some("4000"))
        .parse()
        .unwrap_or_else(|_| usage());
    let height: u32 = value("--height", Some("3000"))
        .parse()
        .unwrap_or_else(|_| usage());

    let mut reports: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content/reports"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    reports.sort();
    if reports.len() < count {
        eprintln!(
            "the site has {} reports in Markdown, fewer than {count}",
            reports.len()
        );
        std::process::exit(2);
    }
    let plain = busy_jpeg(width, height);
    fs::create_dir_all(site.join("static/photos")).expect("static/photos");
    for (k, report) in reports.iter().take(count).enumerate() {
        let rel = format!("photos/phone-{k:05}.jpg");
        let bytes = phone_jpeg::with_metadata(&plain, 6, &format!("photo {k}"));
        fs::write(site.join("static").join(&rel), bytes).expect("write photo");
        add_photo(report, &rel);
    }
    println!(
        "added {count} photos of {width} × {height} ({} KB each) to {}",
        plain.len() / 1024,
        site.display()
    );
}

/// A JPEG whose pixels vary like a photo's (a gradient with noise), at quality 90.
fn busy_jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let img = RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let noise = (state & 0x0F) as u32;
        let base = (x * 160 / width.max(1)) + (y * 60 / height.max(1));
        Rgb([
            (base + noise) as u8,
            (200 - base / 2 + noise) as u8,
            (noise * 4 + 40) as u8,
        ])
    });
    shiji_photo_codec::encode_jpeg(&DynamicImage::ImageRgb8(img), 90)
}

/// Adds the photo `rel` to the front matter of the Markdown report `path`.
fn add_photo(path: &Path, rel: &str) {
    let text = fs::read_to_string(path).expect("read report");
    let entry = format!("  - src: {rel}\n    alt: 手机拍摄的服务现场照片\n");
    let text = if let Some(i) = text.find("\nphotos:\n") {
        let at = i + "\nphotos:\n".len();
        format!("{}{entry}{}", &text[..at], &text[at..])
    } else {
        let end = text[4..].find("\n---\n").expect("front matter") + 4 + 1;
        format!("{}photos:\n{entry}{}", &text[..end], &text[end..])
    };
    fs::write(path, text).expect("write report");
}

fn usage() -> ! {
    eprintln!("usage: gen_photos --site DIR --count N [--width 4000] [--height 3000]");
    std::process::exit(2);
}
