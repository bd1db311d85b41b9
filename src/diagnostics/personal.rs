//! Problems for the personal numbers that [`crate::privacy`] finds in a file's text or in its
//! path.

use crate::diagnostics::{At, Diagnostic, line_col};
use crate::messages as m;

/// A problem for each personal number in the text of the file `file`, at its line.
pub fn problems_in_text(file: &str, text: &str, allow: &[String]) -> Vec<Diagnostic> {
    crate::privacy::find_personal(text, allow)
        .into_iter()
        .map(|f| {
            let (line, column) = line_col(text, f.start);
            Diagnostic::new(
                f.kind.code(),
                file,
                At::Pos { line, column },
                m::personal(&text[f.start..f.end], f.kind.what()),
            )
            .hint(m::personal_hint())
        })
        .collect()
}

/// A problem for each personal number in the path `file` itself, which becomes an id or a
/// URL of the site.
pub fn problems_in_name(file: &str, allow: &[String]) -> Vec<Diagnostic> {
    crate::privacy::find_personal(file, allow)
        .into_iter()
        .map(|f| {
            Diagnostic::new(
                f.kind.code(),
                file,
                At::File,
                m::personal_in_file_name(&file[f.start..f.end], f.kind.what()),
            )
            .hint(m::personal_in_file_name_hint())
        })
        .collect()
}
