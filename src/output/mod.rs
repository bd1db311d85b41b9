//! The output folder: atomic, mtime-preserving writes, and the files made from the whole site.

pub mod cells;
pub mod data;
pub mod feeds;
pub mod manifest;
pub mod search;
pub mod write;

/// Text as XML character data or attribute value.
pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
