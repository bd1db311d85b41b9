//! shiji's built-in default theme, embedded in the binary: the theme stage reads it, and
//! error reports show the lines of its templates.

use include_dir::{Dir, include_dir};

/// shiji's own default theme, built into the binary so that a site needs no `themes/`.
pub static DEFAULT_THEME: Dir = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// How the origin of a built-in theme file begins (`(built-in theme)/templates/base.html`).
pub const BUILT_IN: &str = "(built-in theme)/";

/// The text of the built-in theme's file of origin `origin`, for the snippet of an error
/// in it (a site's template that calls a component of the default theme with the wrong
/// data fails there); `None` for any other origin.
pub fn built_in_text(origin: &str) -> Option<&'static str> {
    DEFAULT_THEME
        .get_file(origin.strip_prefix(BUILT_IN)?)?
        .contents_utf8()
}
