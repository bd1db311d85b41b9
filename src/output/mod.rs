//! The output folder: atomic, mtime-preserving writes, and the files made from the whole site.

pub mod assessment;
pub mod data;
pub mod feeds;
pub mod manifest;
pub mod search;
pub mod sitemap;
pub mod write;
