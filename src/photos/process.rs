//! Processing the photos the cache does not hold, in parallel, into the cache folder. The
//! image work itself is `shiji_photo_codec`'s.

use std::io;
use std::path::Path;

use rayon::prelude::*;

use super::cache::{self, Done};
use super::{Plan, SETTINGS};
use crate::diagnostics::Diagnostic;

/// Processes the photos of `plans` marked `todo`, in parallel, into the cache folder `dir`:
/// what each became, by key, and a problem for each that could not be read. `tick` is called
/// once per photo (the progress bar).
pub fn run(
    static_dir: &Path,
    dir: &Path,
    plans: &[&Plan],
    tick: &(dyn Fn() + Sync),
) -> (Vec<(u128, Done)>, Vec<Diagnostic>) {
    if let Err(e) = std::fs::create_dir_all(dir) {
        let why = format!("the photo cache {} cannot be made: {e}", dir.display());
        return (
            Vec::new(),
            plans
                .iter()
                .map(|p| super::unreadable(&p.rel, &why))
                .collect(),
        );
    }
    let results: Vec<Result<(u128, Done), Diagnostic>> = plans
        .par_iter()
        .map(|plan| {
            let out = process_one(static_dir, dir, plan);
            tick();
            out
        })
        .collect();
    let mut done = Vec::new();
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(d) => done.push(d),
            Err(p) => problems.push(p),
        }
    }
    (done, problems)
}

fn process_one(static_dir: &Path, dir: &Path, plan: &Plan) -> Result<(u128, Done), Diagnostic> {
    let bytes = std::fs::read(static_dir.join(&plan.rel))
        .map_err(|e| super::unreadable(&plan.rel, &e.to_string()))?;
    let ((width, height), copies) = shiji_photo_codec::make_copies(&bytes, plan.format, &SETTINGS)
        .map_err(|e| super::unreadable(&plan.rel, &e))?;
    let mut hashes = Vec::with_capacity(copies.len());
    for (w, copy) in super::widths(width).into_iter().zip(&copies) {
        let path = cache::copy_path(dir, plan.key, w, plan.format);
        write_new(&path, copy).map_err(|e| {
            super::unreadable(
                &plan.rel,
                &format!("its copy {} cannot be written: {e}", path.display()),
            )
        })?;
        hashes.push(crate::digest::hash(copy));
    }
    Ok((
        plan.key,
        Done {
            width,
            height,
            hashes,
        },
    ))
}

/// Writes `bytes` at `path` by way of a file beside it, so that a killed build leaves no half
/// copy under a cache name. Copies are never written into: the output may hold links to them.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let aside = path.with_extension(format!("part{}", std::process::id()));
    std::fs::write(&aside, bytes)?;
    std::fs::rename(&aside, path)
}

#[cfg(test)]
#[path = "../../tests/common/phone_jpeg.rs"]
mod phone_jpeg;

#[cfg(test)]
mod tests {
    use super::phone_jpeg::{has_metadata, phone_jpeg};
    use super::*;
    use shiji_photo_codec::image::{self, DynamicImage};
    use shiji_photo_codec::{Format, decode_upright, make_copies, upright_size};

    fn is_red(p: &image::Rgb<u8>) -> bool {
        p[0] > 150 && p[2] < 100
    }

    #[test]
    fn a_phone_photo_comes_out_upright_at_every_width_with_no_metadata() {
        // Stored 2000 × 1500, left third red; EXIF orientation 6: turn 90° clockwise to show.
        let source = phone_jpeg(2000, 1500, 6);
        assert!(has_metadata(&source));
        assert_eq!(upright_size(&source).unwrap(), (1500, 2000));
        let ((w, h), copies) = make_copies(&source, Format::Jpeg, &SETTINGS).unwrap();
        assert_eq!((w, h), (1500, 2000));
        let sizes: Vec<(u32, u32)> = copies
            .iter()
            .map(|c| {
                assert!(!has_metadata(c), "metadata left in a copy");
                // Upright as stored: a copy has no orientation of its own to apply.
                assert_eq!(upright_size(c).unwrap(), (c_size(c).0, c_size(c).1));
                let img = decode_upright(c).unwrap().into_rgb8();
                // The stored left third is now the top third.
                let (cw, ch) = img.dimensions();
                assert!(is_red(img.get_pixel(cw / 2, ch / 10)), "top not red");
                assert!(!is_red(img.get_pixel(cw / 2, ch * 9 / 10)), "bottom red");
                assert!(!is_red(img.get_pixel(cw / 10, ch / 2)), "left red");
                (cw, ch)
            })
            .collect();
        assert_eq!(sizes, [(480, 640), (960, 1280), (1500, 2000)]);
    }

    /// The size a decoder reports, before any orientation.
    fn c_size(bytes: &[u8]) -> (u32, u32) {
        let img = image::load_from_memory(bytes).unwrap();
        (img.width(), img.height())
    }

    #[test]
    fn png_keeps_its_format_and_loses_its_text() {
        let img = image::RgbaImage::from_pixel(700, 10, image::Rgba([1, 2, 3, 128]));
        let mut png = Vec::new();
        DynamicImage::ImageRgba8(img)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        // A tEXt chunk after IHDR (8-byte signature, 25-byte IHDR chunk).
        let text = b"tEXtComment\0home address";
        let mut chunk = (text.len() as u32 - 4).to_be_bytes().to_vec();
        chunk.extend_from_slice(text);
        chunk.extend_from_slice(&crc32(text).to_be_bytes());
        png.splice(33..33, chunk);
        assert!(has_metadata(&png));
        assert_eq!(upright_size(&png).unwrap(), (700, 10));
        let (_, copies) = make_copies(&png, Format::Png, &SETTINGS).unwrap();
        assert_eq!(copies.len(), 2);
        for c in &copies {
            assert!(!has_metadata(c));
            assert!(decode_upright(c).unwrap().color().has_alpha());
        }
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn a_broken_jpeg_is_an_error() {
        let good = phone_jpeg(400, 300, 1);
        let copies = |b: &[u8]| make_copies(b, Format::Jpeg, &SETTINGS);
        assert!(copies(&good).is_ok());
        assert!(copies(b"\xFF\xD8\xFF\xE0 not a photo").is_err());
        assert!(copies(&good[..good.len() / 3]).is_err());
        assert!(copies(b"<svg onload='x'/>").is_err());
    }
}
