//! Making a photo's copies: decode, turn upright by its EXIF orientation, resize, encode.
//!
//! Nothing of the source but its pixels reaches a copy: the encoders write a bare image (a
//! JFIF header for JPEG; IHDR, IDAT and IEND for PNG), so EXIF with its GPS position, XMP,
//! maker notes, comments, ICC profiles and PNG text chunks are all left behind.
//!
//! Every function here is non-generic, so that the image crates' code is compiled in this
//! crate, optimised even in a debug build (see Cargo.toml).

use std::io::{BufRead, BufReader, Cursor, Seek};
use std::path::Path;

use fast_image_resize::{ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader};

pub use image;

/// The formats read and written; a copy keeps its source's format (a PNG may be a drawing
/// with transparency, which JPEG would spoil).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

/// How a photo is resized: the widths wanted (narrowest first) and the JPEG quality.
#[derive(Clone, Copy, Debug)]
pub struct Settings<'a> {
    pub widths: &'a [u32],
    pub jpeg_quality: u8,
}

impl Settings<'_> {
    /// The widths of a photo `width` pixels wide: those wanted below it, then its own width
    /// or the widest wanted, whichever is less. Never larger than the photo.
    pub fn widths_for(&self, width: u32) -> Vec<u32> {
        let top = width.min(self.widths.last().copied().unwrap_or(width));
        let mut out: Vec<u32> = self.widths.iter().copied().filter(|&w| w < top).collect();
        out.push(top);
        out
    }
}

/// The height of a copy `w` wide of a `width` × `height` photo, rounded, at least 1.
pub fn scaled_height(width: u32, height: u32, w: u32) -> u32 {
    let h = (u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width.max(1));
    (h as u32).max(1)
}

/// The upright size of the image in `bytes` (width and height swapped when the phone was held
/// on its side), from its header alone.
pub fn upright_size(bytes: &[u8]) -> Result<(u32, u32), String> {
    size_of(Cursor::new(bytes))
}

/// [`upright_size`] of the image file at `path`, reading only its header.
pub fn upright_size_of_file(path: &Path) -> Result<(u32, u32), String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    size_of(BufReader::new(file))
}

fn size_of(reader: impl BufRead + Seek) -> Result<(u32, u32), String> {
    let mut decoder = decoder(reader).map_err(|e| e.to_string())?;
    let (w, h) = decoder.dimensions();
    Ok(match decoder.orientation().map_err(|e| e.to_string())? {
        Orientation::Rotate90
        | Orientation::Rotate270
        | Orientation::Rotate90FlipH
        | Orientation::Rotate270FlipH => (h, w),
        _ => (w, h),
    })
}

fn decoder<'a>(reader: impl BufRead + Seek + 'a) -> image::ImageResult<impl ImageDecoder + 'a> {
    ImageReader::new(reader)
        .with_guessed_format()
        .map_err(image::ImageError::IoError)?
        .into_decoder()
}

/// The image in `bytes`, upright. A JPEG cut short is an error (see [`jpeg_is_complete`]).
pub fn decode_upright(bytes: &[u8]) -> Result<DynamicImage, String> {
    if bytes.starts_with(&[0xFF, 0xD8]) && !jpeg_is_complete(bytes) {
        return Err("the JPEG file ends before its image does (cut short while copying?)".into());
    }
    let mut decoder = decoder(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// A photo's upright size (width, height) and the bytes of each of its copies.
pub type Copies = ((u32, u32), Vec<Vec<u8>>);

/// The copies of the photo in `bytes` in `format`, narrowest first, one for each width of
/// [`Settings::widths_for`]: the upright size, and each copy's bytes.
pub fn make_copies(bytes: &[u8], format: Format, settings: &Settings) -> Result<Copies, String> {
    let image = decode_upright(bytes)?;
    // Eight bits per channel, alpha kept only where the format can show it.
    let image = match format != Format::Jpeg && image.color().has_alpha() {
        true => DynamicImage::ImageRgba8(image.into_rgba8()),
        false => DynamicImage::ImageRgb8(image.into_rgb8()),
    };
    let (width, height) = (image.width(), image.height());
    let widths = settings.widths_for(width);
    let mut resizer = Resizer::new();
    let mut out = Vec::with_capacity(widths.len());
    // Widest first, each from the one before: a 480 px copy resized from the 960 px one
    // looks the same and costs a quarter of the work.
    let mut from = image;
    for &w in widths.iter().rev() {
        if w != from.width() {
            let mut to = DynamicImage::new(w, scaled_height(width, height, w), from.color());
            resizer
                .resize(&from, &mut to, &ResizeOptions::new())
                .map_err(|e| e.to_string())?;
            from = to;
        }
        out.push(encode(&from, format, settings.jpeg_quality).map_err(|e| e.to_string())?);
    }
    out.reverse();
    Ok(((width, height), out))
}

fn encode(image: &DynamicImage, format: Format, quality: u8) -> image::ImageResult<Vec<u8>> {
    let mut bytes = Vec::new();
    match format {
        Format::Jpeg => {
            image.write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, quality))?
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

/// `image` as a JPEG of `quality`, with no metadata (for tests and generated photos).
pub fn encode_jpeg(image: &DynamicImage, quality: u8) -> Vec<u8> {
    let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
    encode(&rgb, Format::Jpeg, quality).expect("encoding into memory does not fail")
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

#[cfg(test)]
mod tests {
    use super::*;

    const SETTINGS: Settings = Settings {
        widths: &[480, 960, 1600],
        jpeg_quality: 82,
    };

    #[test]
    fn widths_are_never_upscaled() {
        assert_eq!(SETTINGS.widths_for(4000), [480, 960, 1600]);
        assert_eq!(SETTINGS.widths_for(1600), [480, 960, 1600]);
        assert_eq!(SETTINGS.widths_for(1200), [480, 960, 1200]);
        assert_eq!(SETTINGS.widths_for(960), [480, 960]);
        assert_eq!(SETTINGS.widths_for(300), [300]);
    }

    #[test]
    fn heights_keep_the_proportions() {
        assert_eq!(scaled_height(4000, 3000, 1600), 1200);
        assert_eq!(scaled_height(3000, 4000, 1600), 2133);
        assert_eq!(scaled_height(5000, 1, 480), 1);
    }
}
