//! The output folder: atomic, mtime-preserving writes.

pub mod write;
