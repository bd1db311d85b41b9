//! A spreadsheet file's bytes → its sheets as tables of cells: workbooks through calamine
//! (xlsx, xlsm, xls, ods), CSV through the csv crate, in UTF-8 or GB18030/GBK.

use std::io::Cursor;

use calamine::{Data, Range, Reader};

use crate::i18n::Text;
use crate::messages as m;

/// One sheet: its name as Excel shows it and its cells (absolute positions, 0-based).
pub struct Table {
    pub name: String,
    pub cells: Range<Data>,
}

/// Whether `rel` is a spreadsheet by its name.
pub fn is_spreadsheet(rel: &str) -> bool {
    is_csv(rel) || WORKBOOK.iter().any(|ext| ends_with_ignore_case(rel, ext))
}

/// Workbook files, read by calamine.
const WORKBOOK: [&str; 4] = [".xlsx", ".xlsm", ".xls", ".ods"];

pub fn is_csv(rel: &str) -> bool {
    ends_with_ignore_case(rel, ".csv")
}

fn ends_with_ignore_case(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.as_bytes()[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// The sheets of the file `rel`, in the workbook's order, or why it cannot be read.
pub fn read(rel: &str, bytes: &[u8]) -> Result<Vec<Table>, Text> {
    if is_csv(rel) {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        return Ok(vec![Table {
            name: stem.to_string(),
            cells: read_csv(bytes)?,
        }]);
    }
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| m::workbook_cannot_open(e.to_string()))?;
    let mut tables = Vec::new();
    for name in book.sheet_names() {
        let cells = book
            .worksheet_range(&name)
            .map_err(|e| m::sheet_cannot_read(&name, e.to_string()))?;
        tables.push(Table { name, cells });
    }
    Ok(tables)
}

/// The text of a CSV file: UTF-8 (with or without a byte-order mark), UTF-16 with its mark
/// (Excel's "Unicode text"), else GB18030, the superset of GBK that Chinese Excel and WPS
/// write when they save "CSV".
pub fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.into(),
        Err(_) => encoding_rs::GB18030.decode_without_bom_handling(bytes).0,
    }
}

/// Comma or tab, whichever the first line has more of outside quotes.
fn separator(text: &str) -> u8 {
    let (mut tabs, mut commas, mut quoted) = (0, 0, false);
    for c in text.chars() {
        match c {
            '\n' if !quoted => break,
            '"' => quoted = !quoted,
            '\t' if !quoted => tabs += 1,
            ',' if !quoted => commas += 1,
            _ => {}
        }
    }
    if tabs > commas { b'\t' } else { b',' }
}

fn read_csv(bytes: &[u8]) -> Result<Range<Data>, Text> {
    let text = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator(&text))
        .from_reader(text.as_bytes());
    let mut cells = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|e| m::csv_cannot_read(e.to_string()))?;
        for (col, value) in record.iter().enumerate() {
            if !value.is_empty() {
                let value = unescape(value).to_string();
                cells.push(calamine::Cell::new(
                    (row as u32, col as u32),
                    Data::String(value),
                ));
            }
        }
    }
    Ok(Range::from_sparse(cells))
}

/// Characters that make a spreadsheet read a cell as a formula when they start it.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text value as a CSV cell that no spreadsheet runs as a formula: one that starts with
/// `= + - @`, a tab or a carriage return (after any `'`) gets a leading `'`, which the
/// reader takes off.
pub fn escape(value: &str) -> std::borrow::Cow<'_, str> {
    if value.trim_start_matches('\'').starts_with(FORMULA_START) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// The inverse of [`escape`].
fn unescape(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_START) => rest,
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::cell_name;

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(3, 6), "G4");
        assert_eq!(cell_name(9, 25), "Z10");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(0, 701), "ZZ1");
        assert_eq!(cell_name(0, 702), "AAA1");
    }

    #[test]
    fn gbk_utf8_and_bom_are_told_apart() {
        let text = "编号,评语\ne1,很好\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode(&gbk), text);
        assert_eq!(decode(text.as_bytes()), text);
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(decode(&bom), text);
    }

    #[test]
    fn csv_by_comma_or_tab_with_quotes() {
        let cells = read_csv("id\ttitle\n\"a\"\t\"x, y\"\n".as_bytes()).unwrap();
        assert_eq!(cells.get_value((1, 1)), Some(&Data::String("x, y".into())));
        let cells = read_csv("id,title\na,\"x\ty\"\n".as_bytes()).unwrap();
        assert_eq!(cells.get_value((1, 1)), Some(&Data::String("x\ty".into())));
    }

    #[test]
    fn formulas_are_escaped_and_read_back() {
        for v in [
            "=1+1", "+86", "-x", "@a", "\tx", "\rx", "plain", "'quoted", "'=x",
        ] {
            let e = escape(v);
            assert!(!e.starts_with(FORMULA_START), "{v:?}");
            assert_eq!(unescape(&e), v);
        }
    }
}
