//! The output folder: atomic, mtime-preserving writes, and the files made from the whole site.

pub mod assessment;
pub mod cells;
pub mod data;
pub mod feeds;
pub mod manifest;
pub mod search;
pub mod sitemap;
pub mod write;

/// A file made from the whole site (sitemap, feeds, open data): its path in the output and
/// its bytes (text, but for the assessment workbooks).
pub type MadeFile = (String, Vec<u8>);
