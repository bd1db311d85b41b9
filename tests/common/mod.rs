//! Helpers shared by the command-level tests.

use std::path::Path;

/// A copy of a site in a temporary folder (the demonstration site is the repository root).
pub fn copy_site(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["site.toml", "content", "static", "templates"] {
        let src = from.join(sub);
        if src.is_file() {
            std::fs::copy(&src, dir.path().join(sub)).unwrap();
        } else if src.is_dir() {
            for e in walkdir::WalkDir::new(&src).into_iter().flatten() {
                let rel = e.path().strip_prefix(from).unwrap();
                let to = dir.path().join(rel);
                if e.file_type().is_dir() {
                    std::fs::create_dir_all(&to).unwrap();
                } else {
                    std::fs::copy(e.path(), &to).unwrap();
                }
            }
        }
    }
    dir
}
