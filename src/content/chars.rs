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
///
/// Every such character starts with a control byte or the lead byte 0xC2, 0xE2 or 0xEF, so
/// the text is passed over a byte at a time and only those bytes are looked at, with the
/// bytes after them compared as they are written in UTF-8 ([`is_forbidden`] is the rule, and
/// the reference the tests hold this against).
pub fn forbidden(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(skip) = bytes[i..].iter().position(|&b| SUSPECT[b as usize]) {
        i += skip;
        let next = |k: usize| bytes.get(i + k).copied();
        let hit = match bytes[i] {
            b'\t' | b'\n' => false,
            b'\r' => next(1) != Some(b'\n'),
            // C1 controls, U+0080–U+009F.
            0xc2 => matches!(next(1), Some(0x80..=0x9f)),
            // U+2028, U+2029.
            0xe2 => next(1) == Some(0x80) && matches!(next(2), Some(0xa8 | 0xa9)),
            // U+FFFE, U+FFFF.
            0xef => next(1) == Some(0xbf) && matches!(next(2), Some(0xbe | 0xbf)),
            _ => true,
        };
        if hit {
            return text[i..].chars().next().map(|c| (i, c));
        }
        i += 1;
    }
    None
}

/// The bytes that may start a forbidden character: C0 controls, DEL, and three lead bytes.
const SUSPECT: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[0x7f] = true;
    t[0xc2] = true;
    t[0xe2] = true;
    t[0xef] = true;
    t
};

/// Control characters (C0 but tab and LF, DEL, C1), the lone CR, the Unicode line and
/// paragraph separators, and the non-characters U+FFFE/U+FFFF.
#[cfg(test)]
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
    use proptest::strategy::Strategy;

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

    proptest::proptest! {
        /// The byte scan finds what a plain scan of the characters by the rule finds.
        #[test]
        fn the_byte_scan_agrees_with_the_rule(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::char::any().prop_map(String::from),
                    proptest::sample::select(vec![
                        "\r\n", "\r", "\u{85}", "\u{a0}", "\u{2028}", "\u{2027}", "\u{fffe}",
                        "\u{fffd}", "“", "，", "甲", "\t", "\u{9f}", "\u{1b}",
                    ]).prop_map(String::from),
                ],
                0..40,
            )
        ) {
            let text: String = parts.concat();
            let mut plain = None;
            let mut chars = text.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                let lone_cr = c == '\r' && chars.peek().map(|p| p.1) != Some('\n');
                if lone_cr || (c != '\r' && is_forbidden(c)) {
                    plain = Some((i, c));
                    break;
                }
            }
            proptest::prop_assert_eq!(forbidden(&text), plain);
        }
    }
}
