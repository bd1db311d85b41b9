//! The output folder: atomic, mtime-preserving writes, and the files made from the whole site.

pub mod assessment;
pub mod cells;
pub mod data;
pub mod feeds;
pub mod manifest;
pub mod search;
pub mod write;

/// A file made from the whole site (sitemap, feeds, open data): its path in the output and
/// its bytes (text, but for the assessment workbooks).
pub type MadeFile = (String, Vec<u8>);

/// Text as XML character data or attribute value. Characters XML 1.0 cannot hold (control
/// characters, which site.toml's escapes can write) are left out: a feed must stay XML.
pub fn xml_escape(s: &str) -> String {
    let s: std::borrow::Cow<str> = if s.chars().any(|c| !is_xml_char(c)) {
        s.chars()
            .filter(|&c| is_xml_char(c))
            .collect::<String>()
            .into()
    } else {
        s.into()
    };
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// XML 1.0's `Char`: tab, line feed, carriage return and the rest from U+0020 but the
/// surrogates and U+FFFE/U+FFFF.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    #[test]
    fn xml_escape_leaves_out_what_xml_cannot_hold() {
        assert_eq!(super::xml_escape("a\0b\u{1b}c<&\u{fffe}"), "abc&lt;&amp;");
        assert_eq!(super::xml_escape("标题\t\n"), "标题\t\n");
    }
}
