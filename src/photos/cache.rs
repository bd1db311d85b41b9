//! The cache of processed photos, `.<output>.shiji-photos/` beside the output (like the spare
//! tree): each photo's copies, named by the hash of its bytes and the settings, and an index
//! that says which source file has which hash, and what each copy's bytes hash to.
//!
//! The index lets an unchanged rebuild plan every photo without opening it (a source is known
//! by its length, inode and mtime, the quick check `rsync` makes), and lets the output writer
//! settle an unchanged copy from its manifest without reading it. The cache is never trusted
//! beyond that: a copy missing from the folder is made again. Deleting the folder is harmless;
//! the next build only processes every photo again.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use filetime::FileTime;
use rustc_hash::FxHashMap;

use super::Format;

/// The index's file in the cache folder.
const INDEX: &str = "index";
/// Its first line; an index of another version is ignored.
const HEADER: &str = "shiji photo cache 1";

/// What identifies a source file's version without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    ino: u64,
    mtime: i128,
}

impl Stamp {
    pub fn of(meta: &fs::Metadata) -> Stamp {
        #[cfg(unix)]
        let ino = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let ino = 0;
        let t = FileTime::from_last_modification_time(meta);
        Stamp {
            len: meta.len(),
            ino,
            mtime: i128::from(t.unix_seconds()) * 1_000_000_000 + i128::from(t.nanoseconds()),
        }
    }
}

/// A photo processed: its upright size and the hash of each copy's bytes, narrowest first
/// (the widths follow from the size, `super::widths`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Done {
    pub width: u32,
    pub height: u32,
    pub hashes: Vec<u128>,
}

/// The cache's index, read at the start of a build and written at its end.
#[derive(Debug, Default)]
pub struct Index {
    /// The cache folder it was read from.
    dir: Option<PathBuf>,
    /// Source path under `static/` → its stamp and key.
    sources: FxHashMap<String, (Stamp, u128)>,
    /// Key → the photo processed.
    done: FxHashMap<u128, Done>,
}

impl Index {
    /// The index in folder `dir`; empty when there is none or it cannot be read.
    pub fn read(dir: &Path) -> Index {
        let mut index = Index {
            dir: Some(dir.to_path_buf()),
            ..Index::default()
        };
        let Ok(text) = fs::read_to_string(dir.join(INDEX)) else {
            return index;
        };
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return index;
        }
        for line in lines {
            // A line that does not parse is left out: that photo is processed again.
            let _ = index.read_line(line);
        }
        index
    }

    fn read_line(&mut self, line: &str) -> Option<()> {
        let mut f = line.split('\t');
        match f.next()? {
            "s" => {
                let len = f.next()?.parse().ok()?;
                let ino = f.next()?.parse().ok()?;
                let mtime = f.next()?.parse().ok()?;
                let key = u128::from_str_radix(f.next()?, 16).ok()?;
                let rel = f.next()?.to_string();
                self.sources.insert(rel, (Stamp { len, ino, mtime }, key));
            }
            "k" => {
                let key = u128::from_str_radix(f.next()?, 16).ok()?;
                let width = f.next()?.parse().ok()?;
                let height = f.next()?.parse().ok()?;
                let hashes = f
                    .next()?
                    .split(',')
                    .map(|h| u128::from_str_radix(h, 16).ok())
                    .collect::<Option<Vec<u128>>>()?;
                self.done.insert(
                    key,
                    Done {
                        width,
                        height,
                        hashes,
                    },
                );
            }
            _ => return None,
        }
        Some(())
    }

    /// The key of source `rel` when it is the file the index knows by `stamp`.
    pub fn key_of(&self, rel: &str, stamp: &Stamp) -> Option<u128> {
        self.sources
            .get(rel)
            .filter(|(s, _)| s == stamp)
            .map(|(_, k)| *k)
    }

    /// The photo of key `key` in `format`, when it was processed and its copies are still in
    /// the cache folder.
    pub fn done(&self, key: u128, format: Format) -> Option<&Done> {
        let done = self.done.get(&key)?;
        let dir = self.dir.as_deref()?;
        let all_there = super::widths(done.width)
            .into_iter()
            .all(|w| copy_path(dir, key, w, format).is_file());
        (all_there && done.hashes.len() == super::widths(done.width).len()).then_some(done)
    }

    /// Whether the photo of key `key` was processed.
    pub fn has(&self, key: u128) -> bool {
        self.done.contains_key(&key)
    }

    /// The hashes of the copies of the photo of key `key`, narrowest first, as recorded
    /// (whether the copies are still there is for [`done`](Self::done) to say).
    pub fn hashes(&self, key: u128) -> Option<&[u128]> {
        self.done.get(&key).map(|d| d.hashes.as_slice())
    }

    /// Records a photo processed.
    pub fn insert(&mut self, key: u128, done: Done) {
        self.done.insert(key, done);
    }

    /// Records that source `rel` is now the file of `stamp`, with key `key`.
    pub fn know(&mut self, rel: &str, stamp: Stamp, key: u128) {
        self.sources.insert(rel.to_string(), (stamp, key));
    }

    /// Keeps only the sources in `rels` and the keys in `keys`, and removes from `dir` every
    /// copy of another key: the cache holds the site's photos as they are now, no more.
    pub fn retain(&mut self, dir: &Path, keep: &FxHashMap<String, u128>) {
        self.sources.retain(|rel, _| keep.contains_key(rel));
        let keys: rustc_hash::FxHashSet<u128> = keep.values().copied().collect();
        self.done.retain(|k, _| keys.contains(k));
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let Some(name) = name.to_str() else { continue };
            let stale = match name.split_once('-') {
                Some((key, _)) => {
                    u128::from_str_radix(key, 16).map_or(true, |k| !keys.contains(&k))
                }
                None => name != INDEX,
            };
            if stale {
                let _ = fs::remove_file(e.path());
            }
        }
    }

    /// Writes the index into `dir` (aside, then renamed). Sources with a tab or a line
    /// break in their path are left out: they are read and hashed at every build.
    pub fn save(&self, dir: &Path) -> io::Result<()> {
        let mut text = String::from(HEADER);
        text.push('\n');
        let mut sources: Vec<_> = self.sources.iter().collect();
        sources.sort_by(|a, b| a.0.cmp(b.0));
        for (rel, (s, key)) in sources {
            if rel.contains(['\t', '\n', '\r']) {
                continue;
            }
            text.push_str(&format!(
                "s\t{}\t{}\t{}\t{key:032x}\t{rel}\n",
                s.len, s.ino, s.mtime
            ));
        }
        let mut done: Vec<_> = self.done.iter().collect();
        done.sort_by_key(|(k, _)| **k);
        for (key, d) in done {
            let hashes: Vec<String> = d.hashes.iter().map(|h| format!("{h:032x}")).collect();
            text.push_str(&format!(
                "k\t{key:032x}\t{}\t{}\t{}\n",
                d.width,
                d.height,
                hashes.join(",")
            ));
        }
        let aside = dir.join(format!("{INDEX}.{}", std::process::id()));
        let mut f = fs::File::create(&aside)?;
        f.write_all(text.as_bytes())?;
        drop(f);
        fs::rename(&aside, dir.join(INDEX))
    }
}

/// The cached copy `width` pixels wide of the photo of key `key`.
pub fn copy_path(dir: &Path, key: u128, width: u32, format: Format) -> PathBuf {
    dir.join(format!("{key:032x}-{width}.{}", super::ext(format)))
}
