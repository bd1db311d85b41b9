//! QR codes as inline SVG, for the notice board: a phone scans the printed sheet and lands
//! on the community's page.
//!
//! The `fast_qr` crate makes the code (several times faster than `qrcode`, whose choice of a
//! mask was 2% of a build's CPU time); the SVG is drawn here rather than by a renderer of
//! its own, which would write a standalone document (fixed pixel size) where the page needs
//! an inline, scalable and labelled element.

use std::fmt::Write;

use fast_qr::{ECL, QRBuilder};

/// Light modules around the code, as the QR standard asks, so scanners find its edges.
const QUIET: usize = 4;

/// An SVG QR code of `url`, one path of dark modules; none when `url` is too long to encode.
/// It is hidden from screen readers: the page names it and prints the URL beside it.
pub fn svg(url: &str) -> Option<String> {
    let code = QRBuilder::new(url.as_bytes()).ecl(ECL::M).build().ok()?;
    let n = code.size;
    let size = n + 2 * QUIET;
    let mut path = String::new();
    for y in 0..n {
        let row = &code.data[y * n..(y + 1) * n];
        let mut x = 0;
        while x < n {
            if row[x].value() {
                let run = row[x..].iter().take_while(|m| m.value()).count();
                let _ = write!(path, "M{} {}h{run}v1h-{run}z", x + QUIET, y + QUIET);
                x += run;
            } else {
                x += 1;
            }
        }
    }
    Some(format!(
        r##"<svg class="qr" viewBox="0 0 {size} {size}" aria-hidden="true" focusable="false" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_has_its_quiet_zone_and_one_path() {
        let s = svg("https://www.example.gov.cn/jcdj/shiji/communities/wenmiao/").unwrap();
        assert!(s.starts_with(r#"<svg class="qr" viewBox="0 0 "#));
        assert_eq!(s.matches("<path").count(), 1);
        // The first dark module is the finder pattern's corner, just inside the quiet zone.
        assert!(s.contains(r#"d="M4 4h7v1h-7z"#));
        assert!(svg(&"x".repeat(5000)).is_none());
    }
}
