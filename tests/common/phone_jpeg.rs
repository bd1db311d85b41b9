//! A JPEG as a phone writes it: EXIF with the orientation and the GPS position, XMP and a
//! comment, made here rather than committed as a binary. Shared by the tests
//! (`tests/photos.rs`, `src/photos/process.rs`) and `examples/gen_photos.rs`.
#![allow(dead_code)] // each user takes its share of these

use shiji_photo_codec::image::{DynamicImage, Rgb, RgbImage};

/// The GPS latitude written into every photo, as text that must never reach the output.
pub const GPS_LATITUDE: [(u32, u32); 3] = [(32, 1), (26, 1), (1234, 100)];

/// A `width` × `height` JPEG as stored (before its EXIF `orientation` is applied), whose left
/// third is red and the rest blue, with EXIF (orientation, GPS), XMP and a comment.
pub fn phone_jpeg(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, _| {
        if x < width / 3 {
            Rgb([220, 30, 30])
        } else {
            Rgb([30, 30, 220])
        }
    });
    let plain = shiji_photo_codec::encode_jpeg(&DynamicImage::ImageRgb8(img), 80);
    with_metadata(&plain, orientation, "")
}

/// `jpeg` with an EXIF, an XMP and a comment segment (ending in `note`) inserted after its
/// start marker.
pub fn with_metadata(jpeg: &[u8], orientation: u16, note: &str) -> Vec<u8> {
    assert_eq!(&jpeg[..2], [0xFF, 0xD8], "not a JPEG");
    let mut out = jpeg[..2].to_vec();
    segment(&mut out, 0xE1, &exif(orientation));
    let xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF><rdf:Description exif:GPSLatitude=\"32,26.2N\"/></rdf:RDF></x:xmpmeta>";
    segment(&mut out, 0xE1, xmp);
    segment(
        &mut out,
        0xFE,
        format!("taken at home, 3-2-401 {note}").as_bytes(),
    );
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn segment(out: &mut Vec<u8>, marker: u8, data: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&(data.len() as u16 + 2).to_be_bytes());
    out.extend_from_slice(data);
}

/// The APP1 body: `Exif\0\0`, then a big-endian TIFF with IFD0 (orientation, GPS pointer)
/// and a GPS IFD (latitude and longitude with their references).
fn exif(orientation: u16) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(b"MM\0\x2A");
    t.extend_from_slice(&8u32.to_be_bytes());
    // IFD0 at 8: two entries; the GPS IFD follows it at 8 + 2 + 2 * 12 + 4 = 38.
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        t.extend_from_slice(&tag.to_be_bytes());
        t.extend_from_slice(&kind.to_be_bytes());
        t.extend_from_slice(&count.to_be_bytes());
        t.extend_from_slice(&value);
    };
    t.extend_from_slice(&2u16.to_be_bytes());
    let o = orientation.to_be_bytes();
    entry(&mut t, 0x0112, 3, 1, [o[0], o[1], 0, 0]);
    entry(&mut t, 0x8825, 4, 1, 38u32.to_be_bytes());
    t.extend_from_slice(&0u32.to_be_bytes());
    // GPS IFD at 38: four entries, its rationals after it at 38 + 2 + 4 * 12 + 4 = 92.
    t.extend_from_slice(&4u16.to_be_bytes());
    entry(&mut t, 0x0001, 2, 2, *b"N\0\0\0");
    entry(&mut t, 0x0002, 5, 3, 92u32.to_be_bytes());
    entry(&mut t, 0x0003, 2, 2, *b"E\0\0\0");
    entry(&mut t, 0x0004, 5, 3, 116u32.to_be_bytes());
    t.extend_from_slice(&0u32.to_be_bytes());
    let longitude = [(105, 1), (50, 1), (5678, 100)];
    for (n, d) in GPS_LATITUDE.iter().chain(longitude.iter()) {
        t.extend_from_slice(&n.to_be_bytes());
        t.extend_from_slice(&d.to_be_bytes());
    }
    let mut out = b"Exif\0\0".to_vec();
    out.extend_from_slice(&t);
    out
}

/// Whether `bytes` (any image file) holds metadata: an EXIF or XMP block, a JPEG comment or
/// APP segment other than JFIF's, a PNG text or EXIF chunk.
pub fn has_metadata(bytes: &[u8]) -> bool {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    has(b"Exif")
        || has(b"xmpmeta")
        || has(b"3-2-401")
        || has(b"tEXt")
        || has(b"iTXt")
        || has(b"zTXt")
        || has(b"eXIf")
        || jpeg_markers(bytes)
            .iter()
            .any(|&m| m == 0xFE || (0xE1..=0xEF).contains(&m))
}

/// The markers of a JPEG's segments before its image data.
fn jpeg_markers(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    if bytes.len() < 4 || bytes[..2] != [0xFF, 0xD8] {
        return out;
    }
    let mut i = 2;
    while i + 4 <= bytes.len() && bytes[i] == 0xFF {
        let marker = bytes[i + 1];
        out.push(marker);
        if marker == 0xDA {
            break;
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        i += 2 + len;
    }
    out
}
