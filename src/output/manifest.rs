//! The output manifest: what the last build wrote, so that the next one knows which files
//! did not change without reading them back.
//!
//! A build keeps the modification time of every file whose bytes did not change (see
//! [`super::write`]), and for that it used to read each old file back: 1.2 GB for a site of
//! 100,000 items, and on a machine whose page cache has let the old output go, most of a
//! rebuild's time (149 s of disk reads for one rebuild, against 26 s warm). Instead, each
//! commit writes a manifest beside the output, `.<name>.shiji-manifest`, with one line per
//! written file: the XXH3 hash of its bytes (128 bits), its length, and the identity of the
//! file on disk (inode and modification time, the device once for all).
//!
//! **When an entry is believed**: only while the old output's file at that path still has the
//! device, inode, length and modification time the manifest recorded (the quick check of
//! `rsync`). A file replaced, touched or rewritten since, by hand or by a tool, fails that
//! check and is read back and compared as before. The one change it cannot see is a file
//! overwritten in place with bytes of the same length whose modification time was then set
//! back to the old one to the nanosecond. Not the inode's change time: the spare tree shares
//! inodes with the output, and unlinking a shared file changes its ctime.
//!
//! **Never stale**: before the swap the old manifest is moved aside and the new one written after
//! it (written aside, then renamed), so a manifest always describes the output beside it or
//! does not exist; a missing, unreadable or malformed manifest only means every file is
//! compared by reading, as without one.
//!
//! **The spare tree's manifest**: the old output becomes the spare tree (see [`super::write`]),
//! and its manifest goes with it, as `.<name>.shiji-spare-manifest`: what the spare tree held
//! when it was last complete, so that the next build knows the entries of the spare tree's
//! folders without reading them all. It names its tree (device, inode and birth time of the
//! tree's folder) and lists every file, copied ones too (without a hash); a manifest that
//! could not list one (a name with a line break) says it is incomplete, and is not used so.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use filetime::FileTime;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// First line of a manifest, before the tree's device and inode and whether every file is
/// listed; a different one is not ours.
const HEADER: &str = "shiji output manifest 2";

/// The hash of a copied file's entry: its bytes were not hashed, so no page's hash matches it.
pub const NOT_HASHED: u128 = 0;

/// What the manifest says of one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// XXH3-128 of the file's bytes.
    pub hash: u128,
    pub len: u64,
    /// The file as written: inode and modification time.
    pub ino: u64,
    pub mtime: FileTime,
}

/// The hash a manifest keeps of a file's bytes.
pub use crate::digest::hash;

/// Which folder a manifest describes: its device and inode, and when it was made, since a
/// folder made after another was removed may be given the same inode number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tree {
    pub dev: u64,
    pub ino: u64,
    /// Where the file system keeps it.
    pub born: Option<FileTime>,
}

impl Tree {
    /// The tree whose folder has metadata `meta` (`None` where the system gives no inodes).
    pub fn of(meta: &fs::Metadata) -> Option<Tree> {
        let (dev, ino) = identity(meta)?;
        Some(Tree {
            dev,
            ino,
            born: FileTime::from_creation_time(meta),
        })
    }
}

/// The files of the output beside which the manifest was found.
#[derive(Debug, Default)]
pub struct Manifest {
    /// The folder of the tree.
    tree: Tree,
    /// Whether every file of the tree is listed.
    complete: bool,
    /// When the manifest was written (its file's modification time).
    written: Option<FileTime>,
    files: FxHashMap<String, Entry>,
}

impl Manifest {
    /// Reads the manifest at `path`; empty when there is none or it cannot be read as one.
    pub fn load(path: &Path) -> Manifest {
        let Ok(text) = fs::read_to_string(path) else {
            return Manifest::default();
        };
        let mut manifest = parse(&text).unwrap_or_default();
        manifest.written = fs::metadata(path)
            .ok()
            .map(|m| FileTime::from_last_modification_time(&m));
        manifest
    }

    /// When this manifest was written, if it lists every file of the tree `tree` (known by
    /// its birth time too): then that tree held exactly these files and the folders on their
    /// paths, except in folders modified since.
    pub fn complete_for(&self, tree: Tree) -> Option<FileTime> {
        (self.complete && tree.born.is_some() && self.tree == tree)
            .then_some(self.written)
            .flatten()
    }

    /// The paths of the files listed.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Whether the old output's file at `rel`, of metadata `old`, holds bytes of hash `hash`
    /// and length `len`: `None` when the manifest cannot tell (no entry, or the file is not
    /// the one it recorded), and the file must be read to know.
    pub fn holds(&self, rel: &str, old: &fs::Metadata, hash: u128, len: u64) -> Option<bool> {
        let entry = self.files.get(rel)?;
        let (dev, ino) = identity(old)?;
        let recorded = old.is_file()
            && dev == self.tree.dev
            && ino == entry.ino
            && old.len() == entry.len
            && FileTime::from_last_modification_time(old) == entry.mtime;
        recorded.then_some(entry.hash == hash && entry.len == len)
    }
}

/// The entry of a file of bytes of hash `hash` and length `len` that is now `meta` on disk
/// (`None` where the system gives no inode numbers).
pub fn entry(hash: u128, len: u64, meta: &fs::Metadata) -> Option<Entry> {
    let (_, ino) = identity(meta)?;
    Some(Entry {
        hash,
        len,
        ino,
        mtime: FileTime::from_last_modification_time(meta),
    })
}

/// Writes the manifest of files `files` of the tree `tree` to `path`: into `aside` first,
/// renamed over `path` when complete. Paths with a line break are left out (they are then
/// compared by reading, and the manifest says it is incomplete).
pub fn save(
    path: &Path,
    aside: &Path,
    tree: Tree,
    files: &mut [(String, Entry)],
) -> io::Result<()> {
    // Sorted, so that the same output gives the same manifest; sorted and written out on
    // every core (at 100k items, 230k lines took one core a third of a second).
    files.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let complete = u8::from(!files.iter().any(|(rel, _)| rel.contains('\n')));
    let lines: Vec<String> = files
        .par_chunks(4096)
        .map(|chunk| {
            use std::fmt::Write as _;
            let mut text = String::with_capacity(chunk.len() * 96);
            for (rel, e) in chunk.iter().filter(|(rel, _)| !rel.contains('\n')) {
                let _ = writeln!(
                    text,
                    "{:032x} {} {} {} {} {rel}",
                    e.hash,
                    e.len,
                    e.ino,
                    e.mtime.unix_seconds(),
                    e.mtime.nanoseconds()
                );
            }
            text
        })
        .collect();
    let written = (|| {
        let mut out = BufWriter::new(File::create(aside)?);
        let born = tree.born.map_or("- -".to_string(), |t| {
            format!("{} {}", t.unix_seconds(), t.nanoseconds())
        });
        writeln!(out, "{HEADER} {} {} {born} {complete}", tree.dev, tree.ino)?;
        for text in &lines {
            out.write_all(text.as_bytes())?;
        }
        out.into_inner().map_err(io::IntoInnerError::into_error)?;
        fs::rename(aside, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(aside);
    }
    written
}

fn parse(text: &str) -> Option<Manifest> {
    let mut lines = text.lines();
    let mut head = lines
        .next()?
        .strip_prefix(HEADER)?
        .strip_prefix(' ')?
        .split(' ');
    let (dev, ino) = (head.next()?.parse().ok()?, head.next()?.parse().ok()?);
    let born = match (head.next()?, head.next()?) {
        ("-", "-") => None,
        (s, ns) => Some(FileTime::from_unix_time(s.parse().ok()?, ns.parse().ok()?)),
    };
    let mut manifest = Manifest {
        tree: Tree { dev, ino, born },
        complete: head.next()? == "1",
        written: None,
        files: FxHashMap::default(),
    };
    manifest.files.reserve(text.len() / 96);
    for line in lines {
        let mut fields = line.splitn(6, ' ');
        let mut next = || fields.next();
        let hash = u128::from_str_radix(next()?, 16).ok()?;
        let len = next()?.parse().ok()?;
        let ino = next()?.parse().ok()?;
        let seconds = next()?.parse().ok()?;
        let nanos = next()?.parse().ok()?;
        let rel = next()?;
        let entry = Entry {
            hash,
            len,
            ino,
            mtime: FileTime::from_unix_time(seconds, nanos),
        };
        manifest.files.insert(rel.to_owned(), entry);
    }
    Some(manifest)
}

/// (device, inode) of a file, where the system has them.
pub fn identity(meta: &fs::Metadata) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_manifest_reads_back_the_same_and_anything_else_reads_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".public.shiji-manifest");
        let mtime = FileTime::from_unix_time(1_700_000_000, 123_456_789);
        let e = |n: u64| Entry {
            hash: u128::MAX - n as u128,
            len: n,
            ino: 1000 + n,
            mtime,
        };
        let mut files = vec![
            ("items/i-2/index.html".to_string(), e(2)),
            ("a b/index.html".to_string(), e(1)),
            ("bad\nname".to_string(), e(3)),
        ];
        let tree = Tree {
            dev: 42,
            ino: 7,
            born: Some(FileTime::from_unix_time(1_600_000_000, 5)),
        };
        save(&path, &dir.path().join("aside"), tree, &mut files).unwrap();
        let back = Manifest::load(&path);
        assert_eq!(back.tree, tree);
        assert!(!back.complete, "a name was left out");
        assert_eq!(back.complete_for(tree), None);
        assert_eq!(
            back.files.len(),
            2,
            "the name with a line break is left out"
        );
        assert_eq!(back.files["a b/index.html"], e(1));
        assert_eq!(back.files["items/i-2/index.html"], e(2));
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "nothing left aside"
        );

        files.retain(|(rel, _)| !rel.contains('\n'));
        let unknown = Tree { born: None, ..tree };
        save(&path, &dir.path().join("aside"), unknown, &mut files).unwrap();
        let back = Manifest::load(&path);
        assert_eq!(back.tree, unknown);
        assert_eq!(
            back.complete_for(unknown),
            None,
            "a tree not told from another"
        );
        save(&path, &dir.path().join("aside"), tree, &mut files).unwrap();
        let back = Manifest::load(&path);
        let written = FileTime::from_last_modification_time(&fs::metadata(&path).unwrap());
        assert_eq!(back.complete_for(tree), Some(written));
        let born_later = Tree {
            born: Some(FileTime::from_unix_time(1_600_000_001, 5)),
            ..tree
        };
        for other in [Tree { ino: 8, ..tree }, born_later] {
            assert_eq!(back.complete_for(other), None, "another tree");
        }
        let mut paths: Vec<&str> = back.paths().collect();
        paths.sort_unstable();
        assert_eq!(paths, ["a b/index.html", "items/i-2/index.html"]);

        let text = fs::read_to_string(&path).unwrap();
        for broken in [
            text.replacen(HEADER, "shiji output manifest 1", 1),
            text.replacen(" 1700000000 ", " soon ", 1),
            format!("{text}truncated line\n"),
        ] {
            fs::write(&path, broken).unwrap();
            assert!(Manifest::load(&path).files.is_empty());
        }
        assert!(Manifest::load(&dir.path().join("none")).files.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn an_entry_is_believed_only_of_the_file_it_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("index.html");
        fs::write(&file, b"page").unwrap();
        let meta = fs::symlink_metadata(&file).unwrap();
        let h = hash(b"page");
        let (dev, _) = identity(&meta).unwrap();
        let manifest = Manifest {
            tree: Tree {
                dev,
                ..Tree::default()
            },
            complete: true,
            written: None,
            files: [("index.html".to_string(), entry(h, 4, &meta).unwrap())]
                .into_iter()
                .collect(),
        };
        assert_eq!(manifest.holds("index.html", &meta, h, 4), Some(true));
        assert_eq!(
            manifest.holds("index.html", &meta, hash(b"next"), 4),
            Some(false)
        );
        assert_eq!(manifest.holds("other.html", &meta, h, 4), None);

        // Touched since: the manifest no longer knows what the file holds.
        filetime::set_file_mtime(&file, FileTime::from_unix_time(1, 0)).unwrap();
        let touched = fs::symlink_metadata(&file).unwrap();
        assert_eq!(manifest.holds("index.html", &touched, h, 4), None);

        // Replaced by another file (another inode), mtime set back.
        let other = dir.path().join("other");
        fs::write(&other, b"evil").unwrap();
        filetime::set_file_mtime(&other, FileTime::from_last_modification_time(&meta)).unwrap();
        fs::rename(&other, &file).unwrap();
        let replaced = fs::symlink_metadata(&file).unwrap();
        assert_eq!(manifest.holds("index.html", &replaced, h, 4), None);
    }
}
