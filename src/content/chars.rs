//! Characters a content file may not hold: control characters and line breaks other than
//! `\n` and `\r\n`.
//!
//! libyaml refuses control characters only inside the documents it reads, and reads a lone
//! CR, NEL (U+0085), U+2028 and U+2029 as line breaks where editors' tools and shiji's line
//! numbers do not, so the two YAML readers disagreed and errors pointed at the wrong line. A
//! NUL in a text also makes `feed.xml` invalid XML. Both readers therefore leave them to
//! this one check, which names the character and its exact line.

use crate::i18n::Text;
use crate::messages as m;

/// The byte offset and the character of the first character that no content file may hold.
pub fn forbidden(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    // Every such character starts with a control byte or one of these lead bytes, so the
    // common text is passed over a byte at a time without decoding it.
    let suspect = |b: u8| b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xe2 || b == 0xef;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !suspect(b) || b == b'\t' || b == b'\n' {
            i += 1;
            continue;
        }
        if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 2;
            continue;
        }
        let c = text[i..].chars().next()?;
        if is_forbidden(c) {
            return Some((i, c));
        }
        i += c.len_utf8();
    }
    None
}

/// Control characters (C0 but tab and LF, DEL, C1), the lone CR, the Unicode line and
/// paragraph separators, and the non-characters U+FFFE/U+FFFF.
fn is_forbidden(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}')
}

/// How an editor can recognise `c`: its code point and, for the usual ones, its name.
pub fn describe(c: char) -> Text {
    let code = format!("U+{:04X}", c as u32);
    let name = match c {
        '\0' => m::char_nul(),
        '\r' => m::char_lone_cr(),
        '\u{1b}' => m::char_esc(),
        '\u{85}' => m::char_nel(),
        '\u{2028}' => m::char_line_separator(),
        '\u{2029}' => m::char_paragraph_separator(),
        _ => {
            return Text {
                zh: format!("字符 {code}"),
                en: code,
            };
        }
    };
    m::char_named(&code, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_control_characters_and_odd_line_breaks() {
        for (text, at) in [
            ("a: x\0y\n", 4),
            ("a: x\u{1b}[31m\n", 4),
            ("a: x\ry\n", 4),
            ("a: 甲\u{85}乙\n", 6),
            ("a: 甲\u{2028}乙\n", 6),
            ("a: 甲\u{2029}\n", 6),
            ("a: \u{7f}\n", 3),
        ] {
            assert_eq!(forbidden(text).map(|f| f.0), Some(at), "{text:?}");
        }
        for text in ["a: x\ty\r\nb: “引号”\u{a0}é\n", "", "\u{feff}a: 1"] {
            assert_eq!(forbidden(text), None, "{text:?}");
        }
    }
}
