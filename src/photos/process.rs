//! Making a photo's copies: decode, turn upright by its EXIF orientation, resize, encode.
//!
//! Nothing of the source but its pixels reaches a copy: the encoders write a bare image (a
//! JFIF header for JPEG; IHDR, IDAT and IEND for PNG), so EXIF with its GPS position, XMP,
//! maker notes, comments, ICC profiles and PNG text chunks are all left behind.

use std::io::{self, BufRead, Cursor, Seek};
use std::path::Path;

use fast_image_resize::{ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader};
use rayon::prelude::*;

use super::cache::{self, Done};
use super::{Format, JPEG_QUALITY, Plan};
use crate::diagnostics::Diagnostic;

/// The upright size of the image `reader` reads (width and height swapped when the phone was
/// held on its side), from its header alone.
pub fn upright_size(reader: impl BufRead + Seek) -> image::ImageResult<(u32, u32)> {
    let mut decoder = decoder(reader)?;
    let (w, h) = decoder.dimensions();
    Ok(match decoder.orientation()? {
        Orientation::Rotate90
        | Orientation::Rotate270
        | Orientation::Rotate90FlipH
        | Orientation::Rotate270FlipH => (h, w),
        _ => (w, h),
    })
}

fn decoder<'a, R: BufRead + Seek + 'a>(reader: R) -> image::ImageResult<impl ImageDecoder + 'a> {
    ImageReader::new(reader)
        .with_guessed_format()
        .map_err(image::ImageError::IoError)?
        .into_decoder()
}

/// The image in `bytes`, upright.
pub fn decode_upright(bytes: &[u8]) -> image::ImageResult<DynamicImage> {
    let mut decoder = decoder(Cursor::new(bytes))?;
    let orientation = decoder.orientation()?;
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// The copies of the photo in `bytes` in `format`, narrowest first, each of a width of
/// `super::widths`: the upright size and each copy's bytes.
pub fn make_copies(bytes: &[u8], format: Format) -> Result<((u32, u32), Vec<Vec<u8>>), String> {
    let image = decode_upright(bytes).map_err(|e| e.to_string())?;
    // Eight bits per channel, alpha kept only where the format can show it.
    let image = match format != Format::Jpeg && image.color().has_alpha() {
        true => DynamicImage::ImageRgba8(image.into_rgba8()),
        false => DynamicImage::ImageRgb8(image.into_rgb8()),
    };
    let (width, height) = (image.width(), image.height());
    let widths = super::widths(width);
    let mut resizer = Resizer::new();
    let mut out = Vec::with_capacity(widths.len());
    // Widest first, each from the one before: a 480 px copy resized from the 960 px one
    // looks the same and costs a quarter of the work.
    let mut from = image;
    for &w in widths.iter().rev() {
        let h = super::scaled_height(width, height, w);
        if w != from.width() {
            let mut to = DynamicImage::new(w, h, from.color());
            resizer
                .resize(&from, &mut to, &ResizeOptions::new())
                .map_err(|e| e.to_string())?;
            from = to;
        }
        out.push(encode(&from, format).map_err(|e| e.to_string())?);
    }
    out.reverse();
    Ok(((width, height), out))
}

fn encode(image: &DynamicImage, format: Format) -> image::ImageResult<Vec<u8>> {
    let mut bytes = Vec::new();
    match format {
        Format::Jpeg => {
            image.write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY))?
        }
        Format::Png => image.write_with_encoder(PngEncoder::new_with_quality(
            &mut bytes,
            CompressionType::Best,
            PngFilter::Adaptive,
        ))?,
        Format::Webp => image.write_with_encoder(WebPEncoder::new_lossless(&mut bytes))?,
    }
    Ok(bytes)
}

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
    let ((width, height), copies) =
        make_copies(&bytes, plan.format).map_err(|e| super::unreadable(&plan.rel, &e))?;
    let mut hashes = Vec::with_capacity(copies.len());
    for (w, copy) in super::widths(width).into_iter().zip(&copies) {
        let path = cache::copy_path(dir, plan.key, w, plan.format);
        write_new(&path, copy).map_err(|e| {
            super::unreadable(
                &plan.rel,
                &format!("its copy {} cannot be written: {e}", path.display()),
            )
        })?;
        hashes.push(crate::output::manifest::hash(copy));
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
