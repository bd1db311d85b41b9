//! Watching the site's folders (notify, debounced) and turning events into changed paths.
//!
//! Folders are watched, never single files: editors that save by writing a new file and
//! renaming it over the old one (vim, VS Code, WPS) replace the file's inode, which a watch
//! on the file itself would lose after the first save. The site root is watched without
//! recursion for site.toml and for a watched folder that is created, deleted or renamed; such
//! a folder is watched again whenever the root reports it.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, NoCache, RecommendedCache};

use crate::content::is_ignored;

/// The folders of a site whose files the site is made of.
pub const FOLDERS: [&str; 4] = ["content", "static", "templates", "themes"];

/// How long a burst of events must be quiet before it is handed on: an editor's save is a
/// few events within a millisecond or two; a rename-save a few more.
const QUIET: Duration = Duration::from_millis(20);
/// Polling (network drives, where change events do not arrive) is slower by nature.
const POLL_EVERY: Duration = Duration::from_millis(300);

/// A running watch; dropping it stops watching.
pub enum Watch {
    Native(Debouncer<notify::RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<notify::PollWatcher, NoCache>),
}

impl Watch {
    /// Watches `root` and sends each debounced burst of changes as paths relative to it.
    pub fn start(root: &Path, poll: bool, tx: Sender<Vec<String>>) -> notify::Result<Watch> {
        let base = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let handler = move |result: DebounceEventResult| {
            let Ok(events) = result else { return };
            let mut paths: Vec<String> = events
                .iter()
                // Reading a file (as every rebuild does) is no change.
                .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
                .flat_map(|e| e.paths.iter())
                .filter_map(|p| relevant(&base, p))
                .collect();
            paths.sort();
            paths.dedup();
            if !paths.is_empty() {
                // The receiver is gone only when serve is ending.
                let _ = tx.send(paths);
            }
        };
        let mut watch = if poll {
            let config = notify::Config::default().with_poll_interval(POLL_EVERY);
            Watch::Poll(notify_debouncer_full::new_debouncer_opt(
                POLL_EVERY / 2,
                None,
                handler,
                NoCache,
                config,
            )?)
        } else {
            Watch::Native(notify_debouncer_full::new_debouncer(QUIET, None, handler)?)
        };
        watch.add(root, RecursiveMode::NonRecursive)?;
        watch.folders(root);
        Ok(watch)
    }

    /// Watches those of the site's folders that exist now. A folder already watched is
    /// watched again (after a delete and re-create its old watch is gone).
    pub fn folders(&mut self, root: &Path) {
        for f in FOLDERS {
            let dir = root.join(f);
            if dir.is_dir() {
                // A folder deleted meanwhile is watched again when it comes back.
                let _ = self.add(&dir, RecursiveMode::Recursive);
            }
        }
    }

    fn add(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Watch::Native(d) => d.watch(path, mode),
            Watch::Poll(d) => d.watch(path, mode),
        }
    }
}

/// `path` relative to the site root, `/`-separated, when it is a file the site is made of:
/// site.toml or anything under the watched folders but editors' swap and back-up files.
fn relevant(base: &Path, path: &Path) -> Option<String> {
    let rel: PathBuf = path.strip_prefix(base).ok()?.to_path_buf();
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let first = parts.first()?;
    let ours =
        (parts.len() == 1 && first == crate::config::FILE) || FOLDERS.contains(&first.as_str());
    if !ours || parts.iter().any(|p| is_ignored(p)) {
        return None;
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_sites_own_files_count() {
        let base = Path::new("/s");
        let rel = |p: &str| relevant(base, Path::new(p));
        assert_eq!(rel("/s/site.toml").as_deref(), Some("site.toml"));
        assert_eq!(
            rel("/s/content/items/a.yaml").as_deref(),
            Some("content/items/a.yaml")
        );
        assert_eq!(rel("/s/content").as_deref(), Some("content"));
        assert_eq!(rel("/s/content/items/.a.yaml.swp"), None);
        assert_eq!(rel("/s/content/items/a.yaml~"), None);
        assert_eq!(rel("/s/public/index.html"), None);
        assert_eq!(rel("/s/target/x"), None);
        assert_eq!(rel("/elsewhere/site.toml"), None);
    }
}
