//! Photos: every JPEG, PNG and WebP file under `static/` is published as copies resized for
//! phones and desktops, with no metadata (EXIF, GPS, XMP, maker notes, PNG text) and with
//! the orientation the phone wrote in EXIF turned into the pixels.
//!
//! Planning ([`plan`]) is cheap and comes before the pages: the sizes and names of every
//! copy, which the pages' `<img>` need. Processing ([`process::run`]) is dear and runs
//! beside the page rendering, only for photos not in the cache ([`cache`]).

pub mod cache;
pub mod process;

use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::content::StaticFiles;
use crate::diagnostics::{At, Diagnostic};
use crate::messages as m;

pub use shiji_photo_codec::Format;

/// The widths published, for phones (480), large phones and tablets (960) and desktops
/// (1600), and the JPEG quality: 82 shows no artefacts a resident would notice and halves
/// the bytes of quality 95. A photo narrower than a width is never made larger: its own
/// width is then the top.
pub const SETTINGS: shiji_photo_codec::Settings = shiji_photo_codec::Settings {
    widths: &[480, 960, 1600],
    jpeg_quality: 82,
};

/// What the cached copies depend on besides the source's bytes: [`SETTINGS`] and the way
/// they are made. Change it whenever the processing changes, so that copies made the old way
/// are made again.
const CACHE_VERSION: &str = "shiji photos 1: lanczos3 480,960,1600 jpeg82 png-best webp-lossless";

/// The format a path's extension names, or `None` for a file that is not a photo.
pub fn format_of(rel: &str) -> Option<Format> {
    let ext = rel.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => Some(Format::Jpeg),
        "png" => Some(Format::Png),
        "webp" => Some(Format::Webp),
        _ => None,
    }
}

/// The extension of a cached copy in `format`.
fn ext(format: Format) -> &'static str {
    match format {
        Format::Jpeg => "jpg",
        Format::Png => "png",
        Format::Webp => "webp",
    }
}

/// One published copy of a photo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copy {
    pub width: u32,
    pub height: u32,
    /// Its path in the output.
    pub rel: String,
}

/// What a photo under `static/` becomes.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Its path under `static/`.
    pub rel: String,
    pub format: Format,
    /// The hash of its bytes and [`SETTINGS`]: the name of its copies in the cache.
    pub key: u128,
    /// The copies, narrowest first; the last is the `src` of its `<img>`.
    pub copies: Vec<Copy>,
    /// Not in the cache: [`process::run`] makes its copies.
    pub todo: bool,
    /// The source file's version, for the cache's index.
    pub stamp: cache::Stamp,
}

impl Plan {
    /// The copy that is the `<img>`'s `src`: the widest.
    pub fn top(&self) -> &Copy {
        self.copies.last().expect("a plan has at least one copy")
    }
}

/// Every photo of the site, by its path under `static/`.
#[derive(Debug, Default)]
pub struct Photos {
    pub plans: FxHashMap<String, Plan>,
    /// `[photos] publish_originals`: the original is published at its own path too.
    pub publish_originals: bool,
}

impl Photos {
    /// The plan of the photo at `path` as a record writes it (`/photos/a.jpg` or
    /// `photos/a.jpg`).
    pub fn get(&self, path: &str) -> Option<&Plan> {
        self.plans.get(crate::content::static_path(path))
    }

    /// Whether the file `rel` under `static/` is copied as it is (not a photo, or a photo whose
    /// original is published).
    pub fn copies_as_is(&self, rel: &str) -> bool {
        self.publish_originals || !self.plans.contains_key(rel)
    }

    /// The path in the output of every copy.
    pub fn outputs(&self) -> impl Iterator<Item = &str> {
        self.plans
            .values()
            .flat_map(|p| p.copies.iter().map(|c| c.rel.as_str()))
    }

    /// How many photos need processing.
    pub fn todo(&self) -> usize {
        self.plans.values().filter(|p| p.todo).count()
    }
}

/// The widths published of a photo `width` pixels wide.
pub fn widths(width: u32) -> Vec<u32> {
    SETTINGS.widths_for(width)
}

/// The copies of photo `rel` of `width` × `height` (upright). The widest is published at the
/// photo's own path, so that a body's `![](photos/a.jpg)` and a link to it show the stripped
/// copy, unless the original is published there; every other copy at `a.<width>.jpg`.
pub fn copies(rel: &str, width: u32, height: u32, publish_originals: bool) -> Vec<Copy> {
    let ws = widths(width);
    let last = ws.len() - 1;
    let (stem, ext) = rel.rsplit_once('.').unwrap_or((rel, ""));
    ws.into_iter()
        .enumerate()
        .map(|(i, w)| Copy {
            width: w,
            height: shiji_photo_codec::scaled_height(width, height, w),
            rel: if i == last && !publish_originals {
                rel.to_string()
            } else {
                format!("{stem}.{w}.{ext}")
            },
        })
        .collect()
}

/// The key of a photo's copies in the cache: the hash of its bytes and of [`CACHE_VERSION`].
fn key_of(bytes: &[u8]) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(CACHE_VERSION.as_bytes());
    h.update(bytes);
    h.digest128()
}

/// Plans every photo under `static/`: from the cache where it knows the file (by its length,
/// inode and mtime, as `rsync` does), else by reading it. Every photo whose header cannot be
/// read is a problem. With `hash` (a build), a photo the cache does not know is read whole
/// and hashed, to find its copies in the cache or mark it to be processed; without (`check`,
/// `serve`, which process nothing), only its header is read.
pub fn plan(
    root: &Path,
    files: &StaticFiles,
    publish_originals: bool,
    cache: &cache::Index,
    hash: bool,
) -> (Photos, Vec<Diagnostic>) {
    let static_dir = root.join("static");
    let rels: Vec<&String> = files.iter().filter(|r| format_of(r).is_some()).collect();
    let results: Vec<Result<Plan, Diagnostic>> = rels
        .par_iter()
        .map(|rel| plan_one(&static_dir, rel, publish_originals, cache, hash))
        .collect();
    let mut photos = Photos {
        plans: FxHashMap::default(),
        publish_originals,
    };
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(p) => {
                photos.plans.insert(p.rel.clone(), p);
            }
            Err(d) => problems.push(d),
        }
    }
    (photos, problems)
}

fn plan_one(
    static_dir: &Path,
    rel: &str,
    publish_originals: bool,
    cache: &cache::Index,
    hash: bool,
) -> Result<Plan, Diagnostic> {
    let format = format_of(rel).expect("filtered by the caller");
    let path = static_dir.join(rel);
    let meta = std::fs::metadata(&path).map_err(|e| unreadable(rel, &e.to_string()))?;
    let stamp = cache::Stamp::of(&meta);
    let made = |key: u128, width: u32, height: u32, todo: bool| Plan {
        rel: rel.to_string(),
        format,
        key,
        copies: copies(rel, width, height, publish_originals),
        todo,
        stamp,
    };
    if let Some(key) = cache.key_of(rel, &stamp)
        && let Some(done) = cache.done(key, format)
    {
        return Ok(made(key, done.width, done.height, false));
    }
    let problem = |e: &dyn std::fmt::Display| unreadable(rel, &e.to_string());
    if !hash {
        let (width, height) =
            shiji_photo_codec::upright_size_of_file(&path).map_err(|e| problem(&e))?;
        return Ok(made(0, width, height, false));
    }
    let bytes = std::fs::read(&path).map_err(|e| problem(&e))?;
    let key = key_of(&bytes);
    if let Some(done) = cache.done(key, format) {
        return Ok(made(key, done.width, done.height, false));
    }
    let (width, height) = shiji_photo_codec::upright_size(&bytes).map_err(|e| problem(&e))?;
    Ok(made(key, width, height, true))
}

/// A photo that cannot be read: the error names the file.
pub fn unreadable(rel: &str, why: &str) -> Diagnostic {
    Diagnostic::new(
        "photo-unreadable",
        &format!("static/{rel}"),
        At::File,
        m::photo_unreadable(why),
    )
    .hint(m::photo_unreadable_hint())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_named_beside_the_photo() {
        let c = copies("photos/a.JPG", 4000, 3000, false);
        let names: Vec<(&str, u32, u32)> = c
            .iter()
            .map(|c| (c.rel.as_str(), c.width, c.height))
            .collect();
        assert_eq!(
            names,
            [
                ("photos/a.480.JPG", 480, 360),
                ("photos/a.960.JPG", 960, 720),
                ("photos/a.JPG", 1600, 1200)
            ]
        );
        let c = copies("photos/a.jpg", 3000, 4000, true);
        assert_eq!(c[2].rel, "photos/a.1600.jpg");
        assert_eq!(c[2].height, 2133);
    }
}
