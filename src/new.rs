//! `shiji new DIR`: a small working site with a record of every kind, to start from.

use std::path::Path;

use chrono::NaiveDate;
use include_dir::{Dir, include_dir};

use crate::i18n::Text;
use crate::messages as m;

/// The starter site, built into the binary from `src/new_site/`.
static STARTER: Dir = include_dir!("$CARGO_MANIFEST_DIR/src/new_site");

/// Writes the starter site into `dir`, which must not exist or be empty, its dates set
/// around `today` so that the site makes sense the day it is made (nothing overdue yet).
/// Returns the number of files written.
pub fn new_site(dir: &Path, today: NaiveDate) -> Result<usize, Text> {
    let name = dir.display().to_string();
    if dir.exists() {
        let mut entries =
            std::fs::read_dir(dir).map_err(|e| m::new_cannot_read(name.clone(), e.to_string()))?;
        if entries.next().is_some() {
            return Err(m::new_not_empty(name));
        }
    }
    let mut count = 0;
    write_dir(&STARTER, dir, today, &mut count)
        .map_err(|e| m::new_cannot_write(name, e.to_string()))?;
    Ok(count)
}

fn write_dir(from: &Dir, to: &Path, today: NaiveDate, count: &mut usize) -> std::io::Result<()> {
    std::fs::create_dir_all(to.join(from.path()))?;
    for f in from.files() {
        let path = to.join(f.path());
        match std::str::from_utf8(f.contents()) {
            Ok(text) => std::fs::write(path, dated(text, today))?,
            Err(_) => std::fs::write(path, f.contents())?,
        }
        *count += 1;
    }
    for d in from.dirs() {
        write_dir(d, to, today, count)?;
    }
    Ok(())
}

/// The starter's text with its date marks filled in: `@YEAR@` is this year, `@DAY-30@`
/// the day 30 days before `today` (`@DAY+90@` after it), as YYYY-MM-DD.
fn dated(text: &str, today: NaiveDate) -> String {
    use chrono::Datelike;
    let mut out = String::with_capacity(text.len());
    let mut rest = text.replace("@YEAR@", &today.year().to_string());
    while let Some(start) = rest.find("@DAY") {
        let Some(len) = rest[start + 1..].find('@') else {
            break;
        };
        let mark = &rest[start + 4..start + 1 + len];
        let days: i64 = mark.trim_start_matches('+').parse().unwrap_or(0);
        out.push_str(&rest[..start]);
        let day = today + chrono::Duration::days(days);
        out.push_str(&day.to_string());
        rest = rest[start + len + 2..].to_string();
    }
    out.push_str(&rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_marks_are_filled_in() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(
            dated("a: @DAY-1@\nb: @DAY+30@ @YEAR@ 年\nc: @DAY0@", today),
            "a: 2026-02-28\nb: 2026-03-31 2026 年\nc: 2026-03-01"
        );
    }
}
