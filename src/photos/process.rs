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
    if bytes.starts_with(&[0xFF, 0xD8]) && !jpeg_is_complete(bytes) {
        return Err("the JPEG file ends before its image does (cut short while copying?)".into());
    }
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

/// Whether a JPEG's image data has its end marker. The decoder shows a file cut short as a
/// photo whose lower part is grey, which must not be published. The marker is looked for
/// after the first scan's header, found by walking the segments before it (an EXIF thumbnail
/// has markers of its own); inside scan data a 0xFF byte is always followed by 0x00 or a
/// restart marker, so the first 0xFF 0xD9 there is the end.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut i = 2;
    while i + 4 <= bytes.len() && bytes[i] == 0xFF {
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        i += 2 + len;
        if marker == 0xDA {
            return memchr::memmem::find(bytes.get(i..).unwrap_or(&[]), &[0xFF, 0xD9]).is_some();
        }
    }
    false
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

#[cfg(test)]
#[path = "../../tests/common/phone_jpeg.rs"]
mod phone_jpeg;

#[cfg(test)]
mod tests {
    use super::phone_jpeg::{has_metadata, phone_jpeg};
    use super::*;

    fn is_red(p: &image::Rgb<u8>) -> bool {
        p[0] > 150 && p[2] < 100
    }

    #[test]
    fn a_phone_photo_comes_out_upright_at_every_width_with_no_metadata() {
        // Stored 2000 × 1500, left third red; EXIF orientation 6: turn 90° clockwise to show.
        let source = phone_jpeg(2000, 1500, 6);
        assert!(has_metadata(&source));
        assert_eq!(upright_size(Cursor::new(&source)).unwrap(), (1500, 2000));
        let ((w, h), copies) = make_copies(&source, Format::Jpeg).unwrap();
        assert_eq!((w, h), (1500, 2000));
        let sizes: Vec<(u32, u32)> = copies
            .iter()
            .map(|c| {
                assert!(!has_metadata(c), "metadata left in a copy");
                let mut d = decoder(Cursor::new(c)).unwrap();
                assert_eq!(d.orientation().unwrap(), Orientation::NoTransforms);
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

    #[test]
    fn png_keeps_its_format_and_loses_its_text() {
        let img = image::RgbaImage::from_pixel(700, 10, image::Rgba([1, 2, 3, 128]));
        let mut png = Vec::new();
        DynamicImage::ImageRgba8(img)
            .write_with_encoder(PngEncoder::new(&mut png))
            .unwrap();
        // A tEXt chunk after IHDR (8-byte signature, 25-byte IHDR chunk).
        let text = b"tEXtComment\0home address";
        let mut chunk = (text.len() as u32 - 4).to_be_bytes().to_vec();
        chunk.extend_from_slice(text);
        chunk.extend_from_slice(&crc32(text).to_be_bytes());
        png.splice(33..33, chunk);
        assert!(has_metadata(&png));
        assert_eq!(upright_size(Cursor::new(&png)).unwrap(), (700, 10));
        let (_, copies) = make_copies(&png, Format::Png).unwrap();
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
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    #[test]
    fn a_broken_jpeg_is_an_error() {
        let good = phone_jpeg(400, 300, 1);
        assert!(make_copies(b"\xFF\xD8\xFF\xE0 not a photo", Format::Jpeg).is_err());
        assert!(make_copies(&good[..good.len() / 3], Format::Jpeg).is_err());
        assert!(make_copies(b"<svg onload='x'/>", Format::Jpeg).is_err());
    }
}
