//! Spreadsheet cells that cannot run: the one rule for every CSV (and any workbook) shiji
//! writes.

use std::borrow::Cow;

/// A text cell as a spreadsheet must receive it: text starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading `'`, so that Excel and WPS show it as text instead
/// of running it as a formula or a DDE command (OWASP, "CSV Injection"). Numbers are not
/// text cells and are never passed here: a negative number stays a number.
pub fn inert_text(text: &str) -> Cow<'_, str> {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text() {
        for bad in [
            "=HYPERLINK(\"http://evil.example\",\"x\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(inert_text(bad), format!("'{bad}"), "{bad:?}");
        }
        for good in ["水电维修", "2018-10-24", "", "a=b", "'quoted"] {
            assert_eq!(inert_text(good), good);
        }
    }
}
