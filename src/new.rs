//! `shiji new DIR`: a small working site with a record of every kind, to start from.

use std::path::Path;

use include_dir::{Dir, include_dir};

/// The starter site, built into the binary from `src/new_site/`.
static STARTER: Dir = include_dir!("$CARGO_MANIFEST_DIR/src/new_site");

/// Writes the starter site into `dir`, which must not exist or be empty. Returns the
/// number of files written.
pub fn new_site(dir: &Path) -> Result<usize, String> {
    if dir.exists() {
        let mut entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        if entries.next().is_some() {
            return Err(format!(
                "{} is not empty; choose a new folder",
                dir.display()
            ));
        }
    }
    let mut count = 0;
    write_dir(&STARTER, dir, &mut count)
        .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
    Ok(count)
}

fn write_dir(from: &Dir, to: &Path, count: &mut usize) -> std::io::Result<()> {
    std::fs::create_dir_all(to.join(from.path()))?;
    for f in from.files() {
        std::fs::write(to.join(f.path()), f.contents())?;
        *count += 1;
    }
    for d in from.dirs() {
        write_dir(d, to, count)?;
    }
    Ok(())
}
