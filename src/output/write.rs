//! Writing the output folder: atomically, and without touching files that did not change.
//!
//! Publishers copy the output folder onto government portals, so `shiji build` must never
//! leave a half-written site behind. Everything here follows from three promises:
//!
//! - **Atomic.** The new site is written into a *staging* folder beside the old output (same
//!   parent, so the final rename stays on one file system). Nothing is written into the output
//!   folder itself before [`Staging::commit`]. On Linux (and Apple systems) the commit is a single
//!   `renameat2(RENAME_EXCHANGE)`: at every instant the output path is either the complete old
//!   folder or the complete new one, so an error, a crash or a `SIGKILL` at any moment leaves the
//!   previous output byte-for-byte untouched. After the exchange the old site sits at the staging
//!   path and is removed.
//! - **Unchanged files keep their modification time.** When the old output holds a file with
//!   the same path and the same bytes, the new file gets the old file's mtime, so `rsync -t` and
//!   portal upload tools send only what changed. The [manifest](super::manifest) of the last
//!   build says what each old file holds without reading it; where it cannot tell, lengths are
//!   compared first (metadata only) and the old bytes read only when the lengths match.
//! - **Deterministic.** The writer stores exactly the bytes it is given: no headers, no
//!   timestamps, no permission bits copied from source files (copies get the same default mode as
//!   written files). Writing the same path twice in one build is an error rather than a race
//!   whose winner depends on thread scheduling.
//!
//! # The spare tree: the previous output as the base of the next
//!
//! Creating a folder or a file is the dearest part of a build on a large site (every page is a
//! folder). So after a commit the old output is not deleted: it is renamed to
//! `.<name>.shiji-spare`, and the next build takes that folder as its staging folder and updates
//! it in place instead of starting from an empty one. A file whose bytes equal the current
//! output's is a hard link to it (the same inode), so in a spare tree two builds old most files
//! already *are* the current output's files, and a rebuild that changed nothing creates, links
//! and deletes nothing. Anything in the spare tree that the new build did not write is removed
//! before the commit. What the spare tree holds comes from its own manifest (the old output's,
//! kept with it): the files it lists and the folders on their paths, except in a folder
//! modified since that manifest was written, whose entries are read. Without such a manifest
//! the spare tree is listed by a background thread as the build starts (reading its folders
//! is mostly waiting on the disk, done while the pages render). Every entry the build did not
//! write goes. A failed build leaves that manifest as it was: the folders it changed are newer
//! than it. The spare's contents are never trusted: a file
//! stays only if it is the very file (inode, length, mtime) that the last build's manifest
//! recorded with the same bytes, or the same inode as an identical output file; every other
//! is replaced, so a spare left half-updated by a killed or failed build is as good a base as
//! any. Deleting the spare folder is harmless; the next build is only slower. Since
//! output files may share inodes with the spare, nothing ever writes into an existing file: a
//! changed file is unlinked and created anew.
//!
//! # Stale staging folders
//!
//! A killed run leaves its staging folder, `.<name>.shiji-staging-<pid>`, behind. [`Staging::new`]
//! removes every such folder whose process no longer exists (checked through `/proc/<pid>`); a
//! folder carrying this process's own pid is stale unless this process is building that output
//! right now. Where liveness cannot be checked (no `/proc`, e.g. macOS or Windows), every
//! earlier staging folder counts as stale: two concurrent builds of the *same* output are then
//! not supported — the other build fails (its staging root is never re-created, and `commit`
//! checks that the staging folder is still the one it created), but the output is never
//! corrupted. A folder of a live process is left alone. Staging folders in a pid namespace we
//! cannot see (another container sharing the volume) look dead and are removed, with the same
//! "the other build fails cleanly" outcome.
//!
//! # Fallback commit (rename aside)
//!
//! Where `RENAME_EXCHANGE` is unavailable (other systems, or a file system that refuses it),
//! the commit renames the old output to `.<name>.shiji-old-<pid>`, renames the staging folder to
//! the output path, then removes the old folder. **Window:** between the two renames the output
//! path does not exist. A crash inside that window leaves the complete old site at the `-old-`
//! path, and the next [`Staging::new`] renames it back, so the previous output is restored, never
//! lost. If the second rename fails, the old folder is renamed back at once.
//!
//! # What the output folder may be
//!
//! The output path must be a real folder (or not exist yet; its parent is created if missing).
//! A file or a symbolic link there is an error: swapping a symlink would silently replace the link
//! instead of updating the folder it points to. A folder that does not look like a shiji output
//! is *not* inspected: it is simply swapped out and deleted like any old output.
//!
//! Not covered: durability across power loss (no `fsync`; a killed process is covered because
//! the kernel keeps its page cache), and directory mtimes (tools compare files, not folders).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use filetime::FileTime;
use rustc_hash::FxHashSet;

use super::manifest::{self, Manifest};

/// Marker between the output name and the kind of a folder this module owns.
const MARKER: &str = ".shiji-";
/// Kind of a folder holding a new output under construction.
const KIND_STAGING: &str = "staging";
/// Kind of a folder holding the old output during a rename-aside commit.
const KIND_OLD: &str = "old";
/// Kind of the folder that keeps the previous output as the base of the next build.
const KIND_SPARE: &str = "spare";
/// Kind of the file that describes the output's files (`super::manifest`); with a pid, the
/// manifest being written.
const KIND_MANIFEST: &str = "manifest";

/// Outputs (absolute paths) that this process is building right now: their `-<our pid>`
/// folders are live, every other folder carrying our pid is a leftover of an earlier process.
static BUILDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A new output being written beside the old one; nothing is visible until `commit`.
///
/// `Staging` is `Sync`: many threads may call [`write`](Staging::write) and
/// [`copy`](Staging::copy) at once.
#[derive(Debug)]
pub struct Staging {
    /// The output folder (absolute), e.g. `/srv/site/public`.
    out: PathBuf,
    /// The staging folder (absolute), e.g. `/srv/site/.public.shiji-staging-4242`.
    root: PathBuf,
    /// Where the old output goes during a rename-aside commit.
    aside: PathBuf,
    /// Identity (device, inode) of the staging folder we created, checked before committing.
    #[cfg(unix)]
    root_id: (u64, u64),
    /// The staging folder as a manifest names it.
    #[cfg(unix)]
    tree: manifest::Tree,
    /// The staging folder, held open so that its inode cannot be freed and its number reused
    /// by a look-alike folder while we build: `root_id` stays a proof of identity.
    #[cfg(unix)]
    _root_handle: File,
    /// Where the old output is kept after the commit, as the base of the next build.
    spare: PathBuf,
    /// Whether the staging folder is a recycled spare tree (holding files of an earlier build)
    /// rather than a new, empty folder.
    recycled: bool,
    /// Folders (relative, '/'-separated) known to exist in the staging folder.
    dirs: Mutex<FxHashSet<String>>,
    /// Files (relative, '/'-separated) written or copied by this build.
    files: Mutex<FxHashSet<String>>,
    /// Where the manifest of the output is kept, and where it is written before a rename.
    manifest_path: PathBuf,
    manifest_aside: PathBuf,
    /// What the last build wrote, as its manifest says.
    previous: Manifest,
    /// The manifest entries of the files this build wrote.
    entries: Mutex<Vec<(String, manifest::Entry)>>,
    /// Where the spare tree's manifest is kept (`super::manifest`).
    spare_manifest_path: PathBuf,
    /// The recycled tree's manifest, when it lists every file the tree held, and when it was
    /// written: the entries of the tree's folders not modified since then (see
    /// [`Staging::prune`]).
    spare_files: Option<(Manifest, FileTime)>,
    /// Folders of the recycled tree (relative; "" for the tree's own) modified since its
    /// manifest was written: their entries are read, not taken from it.
    changed_dirs: Mutex<HashSet<String>>,
    /// The recycled tree's entries, listed in the background from the start of the build, when
    /// its manifest cannot tell them (see [`Staging::prune`]).
    listing: Option<Listing>,
    /// Files written or copied.
    written: AtomicUsize,
    /// Files that kept the old output's modification time.
    kept: AtomicUsize,
    /// Set once the new output is in place; `Drop` then leaves the file system alone.
    committed: bool,
}

impl Staging {
    /// Starts a new output for `out` (e.g. "public"): a staging folder next to it (same parent,
    /// so the final rename stays on one file system), named `.<name>.shiji-staging-<pid>`, after
    /// removing stale staging folders of earlier killed runs (see the module documentation for
    /// the rule) and restoring an old output left aside by a rename-aside commit that was
    /// interrupted. The staging folder is the spare tree of the last build when there is one,
    /// else a new folder.
    ///
    /// Errors if `out` exists but is not a folder (or is a symbolic link), if its name is not
    /// UTF-8, or if this process is already building the same output.
    pub fn new(out: &Path) -> io::Result<Staging> {
        let out = std::path::absolute(out)?;
        let name = match out.file_name().map(|n| n.to_str()) {
            Some(Some(name)) => name.to_owned(),
            Some(None) => {
                return Err(invalid(format!(
                    "{}: output folder name is not UTF-8",
                    out.display()
                )));
            }
            None => {
                return Err(invalid(format!(
                    "{}: not a usable output folder path",
                    out.display()
                )));
            }
        };
        let parent = out
            .parent()
            .ok_or_else(|| invalid(format!("{}: output folder has no parent", out.display())))?
            .to_path_buf();

        match fs::symlink_metadata(&out) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(invalid(format!(
                    "{}: output is a symbolic link; point the output at the real folder",
                    out.display()
                )));
            }
            Ok(meta) if !meta.is_dir() => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{}: output exists but is not a folder", out.display()),
                ));
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir_all(&parent).map_err(|e| at(&parent, e))?;
            }
            Err(e) => return Err(at(&out, e)),
        }

        let mut building = lock(&BUILDING);
        if building.contains(&out) {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{}: this output is already being built", out.display()),
            ));
        }

        clean_stale(&parent, &name, &out)?;

        let pid = std::process::id();
        let root = parent.join(folder_name(&name, KIND_STAGING, pid));
        let aside = parent.join(folder_name(&name, KIND_OLD, pid));
        let spare = parent.join(spare_name(&name));
        let manifest_path = parent.join(manifest_name(&name));
        let manifest_aside = parent.join(folder_name(&name, KIND_MANIFEST, pid));
        let spare_manifest_path = parent.join(spare_manifest_name(&name));
        // Both at once: 230k lines each at 100k items.
        let (previous, spare_manifest) = rayon::join(
            || Manifest::load(&manifest_path),
            || Manifest::load(&spare_manifest_path),
        );
        let recycled = match fs::symlink_metadata(&spare) {
            Ok(meta) if meta.is_dir() => fs::rename(&spare, &root).is_ok(),
            Ok(_) => {
                remove_any(&spare);
                false
            }
            Err(_) => false,
        };
        if !recycled {
            fs::create_dir(&root).map_err(|e| at(&root, e))?;
        }
        #[cfg(unix)]
        let (root_id, tree, root_handle, spare_files, root_changed) = {
            use std::os::unix::fs::MetadataExt;
            let handle = File::open(&root).map_err(|e| at(&root, e))?;
            let meta = handle.metadata().map_err(|e| at(&root, e))?;
            let root_id = (meta.dev(), meta.ino());
            let tree = manifest::Tree::of(&meta).unwrap_or_default();
            let spare_files = recycled
                .then(|| spare_manifest.complete_for(tree))
                .flatten()
                .map(|written| (spare_manifest, written));
            let root_changed = spare_files
                .as_ref()
                .is_some_and(|(_, written)| modified_since(&meta, *written));
            (root_id, tree, handle, spare_files, root_changed)
        };
        #[cfg(not(unix))]
        let (spare_files, root_changed) = {
            drop(spare_manifest);
            (None, false)
        };
        building.push(out.clone());
        drop(building);
        let listing = (recycled && spare_files.is_none()).then(|| Listing::start(root.clone()));
        let changed_dirs: HashSet<String> = match root_changed {
            true => [String::new()].into(),
            false => HashSet::new(),
        };

        Ok(Staging {
            out,
            root,
            aside,
            spare,
            recycled,
            #[cfg(unix)]
            root_id,
            #[cfg(unix)]
            tree,
            #[cfg(unix)]
            _root_handle: root_handle,
            dirs: Mutex::new(FxHashSet::default()),
            files: Mutex::new(FxHashSet::default()),
            manifest_path,
            manifest_aside,
            previous,
            entries: Mutex::new(Vec::new()),
            spare_manifest_path,
            spare_files,
            changed_dirs: Mutex::new(changed_dirs),
            listing,
            written: AtomicUsize::new(0),
            kept: AtomicUsize::new(0),
            committed: false,
        })
    }

    /// Writes one file at `rel` ("items/i-1/index.html": '/'-separated, relative, without
    /// empty, "." or ".." components — anything else is an `InvalidInput` error), creating parent
    /// folders. If the old output has a file at the same path with identical bytes, the new file
    /// gets the old file's modification time. Writing the same `rel` twice is an error.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.claim(rel)?;
        let (hash, len) = (manifest::hash(bytes), bytes.len() as u64);
        self.put(
            rel,
            hash,
            len,
            |file| next_bytes_are(file, bytes),
            |file| file.write_all(bytes),
        )
    }

    /// Copies the file `from`, whose bytes are known to hash to `hash` (a processed photo in
    /// its cache), into the output at `rel`: like [`write`](Staging::write), an unchanged file
    /// is settled by the manifest without reading either copy, and keeps its mtime.
    pub fn copy_hashed(&self, rel: &str, from: &Path, hash: u128) -> io::Result<()> {
        self.claim(rel)?;
        let len = fs::metadata(from).map_err(|e| at(from, e))?.len();
        let open = || File::open(from).map_err(|e| at(from, e));
        self.put(
            rel,
            hash,
            len,
            |file| same_content(file, &mut open()?),
            |file| io::copy(&mut open()?, file).map(|_| ()),
        )
    }

    /// Places a claimed file `rel` of bytes hashing to `hash`: kept when the spare tree or the
    /// old output holds them (the manifest says so, or `same` finds it by reading the old
    /// file), else written by `fill`; and listed in the new manifest.
    fn put(
        &self,
        rel: &str,
        hash: u128,
        len: u64,
        same: impl FnOnce(&mut File) -> io::Result<bool>,
        fill: impl FnOnce(&mut File) -> io::Result<()>,
    ) -> io::Result<()> {
        // On a recycled tree, the spare's file is usually the very file the last build wrote
        // here, and then holds these bytes already: settled by one look at the spare tree and
        // none at the output (on a cold disk, half the metadata to read).
        let in_spare = match self.recycled {
            true => self.previous_holds(rel, &self.root.join(rel), hash, len),
            false => Unknown,
        };
        let placed = match in_spare {
            Known(Some(meta)) => {
                self.count_kept();
                meta
            }
            _ => {
                let old = self.out.join(rel);
                let same = match self.previous_holds(rel, &old, hash, len) {
                    Known(same) => same,
                    Unknown => old_if_same(&old, len, same),
                };
                self.place(rel, &old, same, fill)?
            }
        };
        if let Some(entry) = manifest::entry(hash, len, &placed) {
            lock(&self.entries).push((rel.to_owned(), entry));
        }
        Ok(())
    }

    /// What the last build's manifest says of the file at `path`, the output's or the spare
    /// tree's file for `rel`: whether it holds bytes of hash `hash` and length `len`, from one
    /// look at its metadata.
    fn previous_holds(&self, rel: &str, old: &Path, hash: u128, len: u64) -> Verdict {
        match fs::symlink_metadata(old) {
            Ok(meta) => match self.previous.holds(rel, &meta, hash, len) {
                Some(true) => Known(Some(meta)),
                Some(false) => Known(None),
                None => Unknown,
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => Known(None),
            Err(_) => Unknown,
        }
    }

    /// Copies a file (static assets, photos) into the output at `rel`, with the same path rules
    /// and keep-mtime rule as [`write`](Staging::write) (length first, then content). The copy
    /// gets default permissions, not the source's.
    pub fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        check_rel(rel)?;
        let mut src = File::open(from).map_err(|e| at(from, e))?;
        let meta = src.metadata().map_err(|e| at(from, e))?;
        if !meta.is_file() {
            return Err(invalid(format!("{}: not a file", from.display())));
        }
        self.claim(rel)?;
        let old = self.out.join(rel);
        let same = old_if_same(&old, meta.len(), |file| same_content(file, &mut src));
        let placed = self.place(rel, &old, same, |file| {
            // A comparison may have consumed part of the source.
            src.seek(SeekFrom::Start(0))?;
            io::copy(&mut src, file).map(|_| ())
        })?;
        // Listed without a hash, so that the manifest names every file of the output.
        if let Some(entry) = manifest::entry(manifest::NOT_HASHED, meta.len(), &placed) {
            lock(&self.entries).push((rel.to_owned(), entry));
        }
        Ok(())
    }

    /// Checks `rel` and records it as written by this build: a second write of one path is a
    /// bug in the caller, not a race to be won by one thread.
    fn claim(&self, rel: &str) -> io::Result<()> {
        check_rel(rel)?;
        if !lock(&self.files).insert(rel.to_owned()) {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{}: output file written twice",
                    self.root.join(rel).display()
                ),
            ));
        }
        self.ensure_parent(rel)
    }

    /// Puts the file `rel` in place: kept as it is when the spare tree already holds the old
    /// output's identical file, else hard-linked from the old output when `same` says its bytes
    /// are the new ones (see [`link_old`](Self::link_old)), else written by `fill` into a new
    /// file. Whatever the spare tree held at `rel` is removed first, never written into.
    /// Returns the metadata of the file as placed (for the manifest).
    fn place(
        &self,
        rel: &str,
        old: &Path,
        same: Option<fs::Metadata>,
        fill: impl FnOnce(&mut File) -> io::Result<()>,
    ) -> io::Result<fs::Metadata> {
        let dest = self.root.join(rel);
        if self.recycled {
            if let Some(old_meta) = same.as_ref()
                && same_inode(&dest, old_meta)
            {
                self.count_kept();
                return Ok(old_meta.clone());
            }
            clear(&dest)?;
        }
        if let Some(old_meta) = same.as_ref()
            && self.link_old(old, &dest)
        {
            return Ok(old_meta.clone());
        }
        // `create_new`: whatever was at `dest` is gone, and a second write of one path was
        // refused by `claim`.
        let mut file = File::create_new(&dest).map_err(|e| at(&dest, e))?;
        fill(&mut file).map_err(|e| at(&dest, e))?;
        let written = file.metadata().map_err(|e| at(&dest, e))?;
        drop(file);
        match same {
            None => {
                self.written.fetch_add(1, Ordering::Relaxed);
                Ok(written)
            }
            Some(old_meta) => {
                self.keep_mtime(&dest, FileTime::from_last_modification_time(&old_meta))?;
                fs::symlink_metadata(&dest).map_err(|e| at(&dest, e))
            }
        }
    }

    /// How many files were written/copied, and how many of them kept their old mtime.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.written.load(Ordering::Relaxed),
            self.kept.load(Ordering::Relaxed),
        )
    }

    /// Swaps the new output in. With `renameat2(RENAME_EXCHANGE)` where available (atomic: at
    /// every instant `out` is either the complete old or the complete new folder), then removes
    /// the old one (now at the staging path; best effort — a leftover is cleaned by the next
    /// [`Staging::new`]). If `out` does not exist, a plain rename. Otherwise the rename-aside
    /// fallback described in the module documentation.
    ///
    /// Errors if the staging folder is no longer the one this `Staging` created (another process
    /// removed it); `out` is then left untouched.
    pub fn commit(mut self) -> io::Result<()> {
        self.check_root()?;
        if self.recycled {
            self.prune()?;
        }
        // The old output's manifest goes before the swap, the new one comes after it: a
        // manifest beside the output is always the output's. The old one describes the tree
        // that becomes the spare.
        remove_any(&self.spare_manifest_path);
        if fs::rename(&self.manifest_path, &self.spare_manifest_path).is_err() {
            remove_any(&self.manifest_path);
        }
        self.swap()?;
        self.save_manifest();
        Ok(())
    }

    /// Writes the manifest of the output just swapped in. Best effort: without one, the next
    /// build compares by reading.
    fn save_manifest(&self) {
        let mut entries = std::mem::take(&mut *lock(&self.entries));
        #[cfg(unix)]
        let saved = manifest::save(
            &self.manifest_path,
            &self.manifest_aside,
            self.tree,
            &mut entries,
        );
        #[cfg(not(unix))]
        let saved: io::Result<()> = {
            let _ = (&self.manifest_aside, &mut entries);
            Ok(())
        };
        if saved.is_err() {
            remove_any(&self.manifest_path);
        }
    }

    /// The swap of [`commit`](Self::commit), once the staging folder holds the new output.
    fn swap(&mut self) -> io::Result<()> {
        #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
        {
            use rustix::fs::{CWD, RenameFlags, renameat_with};
            use rustix::io::Errno;
            match renameat_with(CWD, &self.root, CWD, &self.out, RenameFlags::EXCHANGE) {
                Ok(()) => {
                    self.committed = true;
                    // The old output now lives at the staging path: the next build's base.
                    self.keep_as_spare();
                    return Ok(());
                }
                Err(e) if e == Errno::NOENT => {
                    // `out` does not exist (the staging folder was checked just above).
                    fs::rename(&self.root, &self.out).map_err(|e| at(&self.out, e))?;
                    self.committed = true;
                    remove_any(&self.spare_manifest_path);
                    return Ok(());
                }
                Err(e)
                    if e == Errno::INVAL
                        || e == Errno::NOSYS
                        || e == Errno::NOTSUP
                        || e == Errno::OPNOTSUPP => {}
                Err(e) => return Err(at(&self.out, e.into())),
            }
        }

        swap_aside(&self.root, &self.out, &self.aside)?;
        self.committed = true;
        // The old output is gone, not kept.
        remove_any(&self.spare_manifest_path);
        Ok(())
    }

    /// Removes from a recycled staging folder every file and folder that this build did not
    /// write, so that it holds exactly the new output.
    ///
    /// What the tree held when the build started comes from its manifest where that can tell:
    /// the files it lists and the folders on their paths, and for each folder modified since
    /// the manifest was written (its mtime says so: adding, removing or renaming an entry
    /// sets it), the entries read from the folder itself. Reading over 100,000 folders costs
    /// seconds, mostly waiting on the disk (their blocks are rarely still cached a build
    /// later). A folder is looked at ([`ensure_parent`](Self::ensure_parent)) before this
    /// build changes anything in it; a listed entry the build has removed meanwhile is no
    /// longer there, and clearing it does nothing.
    ///
    /// Without a manifest that lists every file, the tree's entries were listed while the
    /// pages rendered. The build itself makes only what it records, and never renames, so an
    /// entry it removes or replaces while the listing runs is either listed or no longer there.
    fn prune(&mut self) -> io::Result<()> {
        let listing = self.listing.take();
        let files = lock(&self.files);
        let dirs = lock(&self.dirs);
        // Under a folder this build did not make, everything went with that folder (or with
        // the file this build put in its place).
        let goes = |rel: &Path| {
            let parent_kept = match rel.parent().and_then(slashed) {
                Some(parent) => parent.is_empty() || dirs.contains(&*parent),
                None => false,
            };
            let written = slashed(rel).is_some_and(|r| files.contains(&*r) || dirs.contains(&*r));
            parent_kept && !written
        };
        let mut read = Vec::new();
        match (&self.spare_files, listing) {
            (Some((manifest, _)), _) => {
                // On each file's path, the first entry that is no folder of this build goes,
                // unless this build wrote a file there.
                let mut gone = FxHashSet::default();
                for path in manifest.paths() {
                    let ends = path.match_indices('/').map(|(i, _)| i).chain([path.len()]);
                    for end in ends {
                        let rel = &path[..end];
                        if !dirs.contains(rel) {
                            if !files.contains(rel) && gone.insert(rel) {
                                clear(&self.root.join(rel))?;
                            }
                            break;
                        }
                    }
                }
                for dir in lock(&self.changed_dirs).iter() {
                    let path = self.root.join(dir);
                    let listed = match fs::read_dir(&path) {
                        Ok(listed) => listed,
                        Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                        Err(e) => return Err(at(&path, e)),
                    };
                    for entry in listed {
                        let entry = entry.map_err(|e| at(&path, e))?;
                        read.push(Path::new(dir).join(entry.file_name()));
                    }
                }
            }
            (None, Some(listing)) => read = listing.finish()?,
            (None, None) => {}
        }
        for rel in read {
            if goes(&rel) {
                clear(&self.root.join(&rel))?;
            }
        }
        Ok(())
    }

    /// Moves the staging folder (after the exchange: the old output) to the spare path, where
    /// the next build picks it up; failing that, removes it, and the spare manifest with it.
    /// Best effort: a leftover is cleaned by the next [`Staging::new`].
    fn keep_as_spare(&self) {
        remove_any(&self.spare);
        if fs::rename(&self.root, &self.spare).is_err() {
            let _ = fs::remove_dir_all(&self.root);
            remove_any(&self.spare_manifest_path);
        }
    }

    /// Errors unless the staging folder is still the one created by [`Staging::new`].
    fn check_root(&self) -> io::Result<()> {
        let meta = fs::symlink_metadata(&self.root).map_err(|e| at(&self.root, e))?;
        #[cfg(unix)]
        let same = {
            use std::os::unix::fs::MetadataExt;
            meta.is_dir() && (meta.dev(), meta.ino()) == self.root_id
        };
        #[cfg(not(unix))]
        let same = meta.is_dir();
        if same {
            Ok(())
        } else {
            Err(io::Error::other(format!(
                "{}: staging folder was replaced by someone else; output left untouched",
                self.root.display()
            )))
        }
    }

    /// Makes sure the parent folder of `rel` exists in the staging folder (a real folder, not a
    /// link to one). Created or found folders are remembered, so writing many files into the
    /// same folder costs no extra system call. The staging root itself is never (re-)created:
    /// if someone removed it, writes fail.
    fn ensure_parent(&self, rel: &str) -> io::Result<()> {
        let Some((dir, _)) = rel.rsplit_once('/') else {
            return Ok(());
        };
        if lock(&self.dirs).contains(dir) {
            return Ok(());
        }
        let ends = dir.match_indices('/').map(|(i, _)| i).chain([dir.len()]);
        for end in ends {
            let prefix = &dir[..end];
            if lock(&self.dirs).contains(prefix) {
                continue;
            }
            let path = self.root.join(prefix);
            // In a recycled tree the folder is usually there already: one look instead of a
            // failed `create_dir` and a look. Not following links: a link is not a folder.
            if self.recycled {
                match fs::symlink_metadata(&path) {
                    Ok(meta) if meta.is_dir() => {
                        if let Some((_, written)) = &self.spare_files
                            && modified_since(&meta, *written)
                        {
                            lock(&self.changed_dirs).insert(prefix.to_owned());
                        }
                        lock(&self.dirs).insert(prefix.to_owned());
                        continue;
                    }
                    // A file of the spare tree where this build has a folder. `remove_file`
                    // refuses a folder, so a folder another thread has just made there stays.
                    Ok(_) => match fs::remove_file(&path) {
                        Ok(()) => {}
                        Err(e)
                            if matches!(
                                e.kind(),
                                io::ErrorKind::NotFound | io::ErrorKind::IsADirectory
                            ) => {}
                        Err(e) => return Err(at(&path, e)),
                    },
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(at(&path, e)),
                }
            }
            match fs::create_dir(&path) {
                Ok(()) => {}
                // Another thread was faster; anything else there (a file) is an error.
                Err(e)
                    if e.kind() == io::ErrorKind::AlreadyExists
                        && fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) => {}
                Err(e) => return Err(at(&path, e)),
            }
            lock(&self.dirs).insert(prefix.to_owned());
        }
        Ok(())
    }

    /// An unchanged file is hard-linked from the old output instead of written again: no new
    /// inode, no data written, and its modification time is the old one by nature. On a large
    /// site most files of a rebuild are unchanged, and creating files is the dearest part of a
    /// build. Nothing ever writes into an output file in place, and the old output is removed
    /// after the swap, so sharing the inode meanwhile is safe. `false` when the file system
    /// refuses the link: the caller writes the file.
    fn link_old(&self, old: &Path, dest: &Path) -> bool {
        if fs::hard_link(old, dest).is_err() {
            return false;
        }
        self.count_kept();
        true
    }

    /// Counts a file written whose bytes did not change.
    fn count_kept(&self) {
        self.kept.fetch_add(1, Ordering::Relaxed);
        self.written.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a finished file whose bytes did not change, and gives it the old mtime. The
    /// mtime is set by path after the file is closed, so no later write-back can bump it.
    fn keep_mtime(&self, dest: &Path, mtime: FileTime) -> io::Result<()> {
        filetime::set_file_mtime(dest, mtime).map_err(|e| at(dest, e))?;
        self.count_kept();
        Ok(())
    }
}

impl Drop for Staging {
    /// If not committed, keeps the staging folder as the spare tree of the next build (its
    /// contents are never trusted, see the module documentation), unless it is no longer the
    /// folder this `Staging` created. Never touches `out`.
    fn drop(&mut self) {
        if let Some(listing) = self.listing.take() {
            listing.stop.store(true, Ordering::Relaxed);
            let _ = listing.finish();
        }
        if !self.committed && self.check_root().is_ok() {
            // The spare tree's manifest stays as it was: every folder this build changed is
            // newer than it, and is read by the next build.
            self.keep_as_spare();
        }
        lock(&BUILDING).retain(|p| p != &self.out);
    }
}

/// The entries of a folder (relative paths, parents before their contents), listed by a
/// thread of its own.
#[derive(Debug)]
struct Listing {
    thread: std::thread::JoinHandle<io::Result<Vec<PathBuf>>>,
    /// Set to end the listing early (the build failed).
    stop: Arc<AtomicBool>,
}

impl Listing {
    fn start(root: PathBuf) -> Listing {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let mut entries = Vec::new();
            for entry in walkdir::WalkDir::new(&root).min_depth(1) {
                if stopped.load(Ordering::Relaxed) {
                    break;
                }
                let entry = match entry {
                    Ok(entry) => entry,
                    // Removed or replaced by the build meanwhile, with all it held.
                    Err(e)
                        if e.io_error().is_some_and(|e| {
                            matches!(
                                e.kind(),
                                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                            )
                        }) =>
                    {
                        continue;
                    }
                    Err(e) => return Err(at(&root, e.into())),
                };
                if let Ok(rel) = entry.path().strip_prefix(&root) {
                    entries.push(rel.to_path_buf());
                }
            }
            Ok(entries)
        });
        Listing { thread, stop }
    }

    fn finish(self) -> io::Result<Vec<PathBuf>> {
        self.thread
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("listing the spare tree failed")))
    }
}

/// `rel` '/'-separated, as this module records paths; `None` if it is not UTF-8 (then this
/// build did not write it).
fn slashed(rel: &Path) -> Option<Cow<'_, str>> {
    let rel = rel.to_str()?;
    Some(if cfg!(windows) {
        Cow::Owned(rel.replace('\\', "/"))
    } else {
        Cow::Borrowed(rel)
    })
}

/// `.<name>.shiji-spare`: the previous output, kept as the base of the next build.
fn spare_name(name: &str) -> OsString {
    format!(".{name}{MARKER}{KIND_SPARE}").into()
}

/// `.<name>.shiji-photos` beside output `out`: processed photos, kept from build to build
/// (`crate::photos::cache`). `None` when the output has no UTF-8 name.
pub fn photo_cache_dir(out: &Path) -> Option<PathBuf> {
    let name = out.file_name()?.to_str()?;
    Some(
        out.parent()
            .unwrap_or(Path::new("."))
            .join(format!(".{name}{MARKER}photos")),
    )
}

/// `.<name>.shiji-manifest`: what the output's files hold (`super::manifest`).
fn manifest_name(name: &str) -> OsString {
    format!(".{name}{MARKER}{KIND_MANIFEST}").into()
}

/// `.<name>.shiji-spare-manifest`: the files of the spare tree (`super::manifest`).
fn spare_manifest_name(name: &str) -> OsString {
    format!(".{name}{MARKER}{KIND_SPARE}-{KIND_MANIFEST}").into()
}

/// Whether a folder may have had entries added or removed since `written`: its mtime is not
/// older. (The same coarse clock stamps both, so an equal time may be a later change.)
fn modified_since(meta: &fs::Metadata, written: FileTime) -> bool {
    FileTime::from_last_modification_time(meta) >= written
}

/// `.<name>.shiji-<kind>-<pid>`.
fn folder_name(name: &str, kind: &str, pid: u32) -> OsString {
    format!(".{name}{MARKER}{kind}-{pid}").into()
}

/// Splits a folder name made by [`folder_name`] for output `name` into kind and pid.
fn parse_folder_name<'a>(file_name: &'a str, name: &str) -> Option<(&'a str, u32)> {
    let rest = file_name
        .strip_prefix('.')?
        .strip_prefix(name)?
        .strip_prefix(MARKER)?;
    let (kind, pid) = rest.rsplit_once('-')?;
    if ![KIND_STAGING, KIND_OLD, KIND_MANIFEST].contains(&kind)
        || !pid.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some((kind, pid.parse().ok()?))
}

/// Whether process `pid` exists; `None` when this system cannot tell (no `/proc`).
fn process_alive(pid: u32) -> Option<bool> {
    if cfg!(any(target_os = "linux", target_os = "android")) && Path::new("/proc/self").exists() {
        Some(Path::new("/proc").join(pid.to_string()).exists())
    } else {
        None
    }
}

/// Removes stale staging folders of output `name` in `parent`, and restores (or removes) old
/// outputs left aside by interrupted rename-aside commits. Must be called with [`BUILDING`]
/// locked and `out` not in it, so every folder with our own pid is stale.
fn clean_stale(parent: &Path, name: &str, out: &Path) -> io::Result<()> {
    let own = std::process::id();
    let mut stale_old = Vec::new();
    for entry in fs::read_dir(parent).map_err(|e| at(parent, e))? {
        let entry = entry.map_err(|e| at(parent, e))?;
        let file_name = entry.file_name();
        let Some((kind, pid)) = file_name.to_str().and_then(|f| parse_folder_name(f, name)) else {
            continue;
        };
        if pid != own && process_alive(pid) == Some(true) {
            continue;
        }
        if kind == KIND_OLD {
            stale_old.push(entry.path());
        } else {
            remove_any(&entry.path());
        }
    }
    // A complete old output whose replacement never arrived: put it back.
    stale_old.sort();
    for old in stale_old {
        if fs::symlink_metadata(out).is_err() {
            fs::rename(&old, out).map_err(|e| at(out, e))?;
        } else {
            remove_any(&old);
        }
    }
    Ok(())
}

/// Best-effort removal of a folder (or a stray file) of ours.
fn remove_any(path: &Path) {
    let _ = clear(path);
}

/// The rename-aside commit: `out` → `aside`, `root` → `out`, remove `aside`. Between the two
/// renames `out` does not exist; see the module documentation.
fn swap_aside(root: &Path, out: &Path, aside: &Path) -> io::Result<()> {
    match fs::rename(out, aside) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return fs::rename(root, out).map_err(|e| at(out, e));
        }
        Err(e) => return Err(at(out, e)),
    }
    if let Err(e) = fs::rename(root, out) {
        let _ = fs::rename(aside, out);
        return Err(at(out, e));
    }
    let _ = fs::remove_dir_all(aside);
    Ok(())
}

/// Refuses anything but a relative, '/'-separated path of normal components.
fn check_rel(rel: &str) -> io::Result<()> {
    let bad = rel.is_empty()
        || rel.contains(['\\', '\0'])
        || rel
            .split('/')
            .any(|c| c.is_empty() || c == "." || c == "..")
        || (cfg!(windows) && rel.contains(':'));
    if bad {
        Err(invalid(format!(
            "{rel:?}: output paths must be relative, '/'-separated, without empty, \".\" or \"..\" parts"
        )))
    } else {
        Ok(())
    }
}

/// What the manifest tells of an old file: `Known(Some(meta))` when it holds the new bytes,
/// `Known(None)` when it does not (or is not there), `Unknown` when it must be read to know.
enum Verdict {
    Known(Option<fs::Metadata>),
    Unknown,
}
use Verdict::{Known, Unknown};

/// The old file's metadata when it is a regular file of length `len` and `same` says its
/// bytes match (`same` may take the length as read). Any trouble reading the old output just
/// means "changed".
fn old_if_same(
    old: &Path,
    len: u64,
    same: impl FnOnce(&mut File) -> io::Result<bool>,
) -> Option<fs::Metadata> {
    let mut file = open_no_follow(old).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() != len {
        return None;
    }
    same(&mut file).ok()?.then_some(meta)
}

/// Opens `path` for reading, its metadata then taken from the open file: one path lookup
/// instead of two. A symbolic link is refused rather than followed (it is not an old file of
/// ours), and a FIFO does not block the open (it is then refused as not a regular file).
#[cfg(unix)]
fn open_no_follow(path: &Path) -> io::Result<File> {
    use rustix::fs::OFlags;
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> io::Result<File> {
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(invalid(format!("{}: a symbolic link", path.display())));
    }
    File::open(path)
}

/// Whether `path` is the very file (same device and inode) that `meta` describes.
fn same_inode(path: &Path, meta: &fs::Metadata) -> bool {
    let Some(id) = manifest::identity(meta) else {
        return false;
    };
    fs::symlink_metadata(path).is_ok_and(|m| manifest::identity(&m) == Some(id))
}

/// Removes whatever is at `path` (a file, a link or a folder with its contents); nothing there
/// is fine.
fn clear(path: &Path) -> io::Result<()> {
    let result = match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    };
    result.map_err(|e| at(path, e))
}

/// Bytes read at a time when comparing: most pages fit in one read.
const CHUNK: usize = 64 * 1024;

thread_local! {
    /// The buffer old files are read into for comparing, one per thread: a page's comparison
    /// allocates and clears nothing.
    static OLD_BYTES: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Whether the next `expected.len()` bytes of `old` are `expected`; reads no further (the
/// caller knows the old length from its metadata).
fn next_bytes_are(old: &mut impl Read, expected: &[u8]) -> io::Result<bool> {
    OLD_BYTES.with_borrow_mut(|buf| {
        buf.resize(CHUNK, 0);
        for want in expected.chunks(CHUNK) {
            let got = &mut buf[..want.len()];
            if fill(old, got)? != want.len() || got != want {
                return Ok(false);
            }
        }
        Ok(true)
    })
}

/// Whether `old` and `new` yield the same bytes, to the end of both.
fn same_content(old: &mut impl Read, new: &mut impl Read) -> io::Result<bool> {
    let mut chunk = vec![0; CHUNK];
    loop {
        let n = fill(new, &mut chunk)?;
        if !next_bytes_are(old, &chunk[..n])? {
            return Ok(false);
        }
        if n < CHUNK {
            return Ok(fill(old, &mut [0])? == 0);
        }
    }
}

/// Reads until `buf` is full or the reader is exhausted; returns how many bytes were read.
fn fill(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // The guarded data stay consistent even if a holder panicked.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

/// Adds the path to an I/O error, keeping its kind.
fn at(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;
    use std::collections::BTreeMap;

    /// A fresh, empty folder under the system temp folder, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> TempDir {
            static N: AtomicUsize = AtomicUsize::new(0);
            let n = N.fetch_add(1, Ordering::Relaxed);
            let path = std::env::temp_dir()
                .join(format!("shiji-write-test-{}-{tag}-{n}", std::process::id()));
            let _ = fs::remove_dir_all(&path);
            fs::create_dir_all(&path).unwrap();
            TempDir(path)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    /// Every entry under `dir`: relative path → file contents (`None` for folders).
    fn snapshot(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
        fn walk(base: &Path, dir: &Path, map: &mut BTreeMap<String, Option<Vec<u8>>>) {
            for entry in fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                if path.is_dir() {
                    map.insert(rel, None);
                    walk(base, &path, map);
                } else {
                    map.insert(rel, Some(fs::read(&path).unwrap()));
                }
            }
        }
        let mut map = BTreeMap::new();
        walk(dir, dir, &mut map);
        map
    }

    /// Names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    fn mtime(path: &Path) -> FileTime {
        FileTime::from_last_modification_time(&fs::metadata(path).unwrap())
    }

    /// A pid no process can have on Linux (above the 2^22 maximum of `pid_max`).
    const DEAD_PID: u32 = 2_000_000_000;

    fn build(out: &Path, files: &[(&str, &[u8])]) {
        let staging = Staging::new(out).unwrap();
        for (rel, bytes) in files {
            staging.write(rel, bytes).unwrap();
        }
        staging.commit().unwrap();
    }

    #[test]
    fn staging_is_sync_and_send() {
        fn check<T: Sync + Send>() {}
        check::<Staging>();
    }

    #[test]
    fn first_commit_creates_the_output() {
        let tmp = TempDir::new("first");
        let out = tmp.0.join("site").join("public");
        let staging = Staging::new(&out).unwrap();
        staging.write("index.html", b"<h1>hi</h1>").unwrap();
        staging.write("items/i-1/index.html", b"one").unwrap();
        staging.write("items/i-2/index.html", b"").unwrap();
        assert!(!out.exists(), "nothing may appear before commit");
        assert_eq!(staging.counts(), (3, 0));
        staging.commit().unwrap();

        let snap = snapshot(&out);
        assert_eq!(snap["index.html"].as_deref(), Some(&b"<h1>hi</h1>"[..]));
        assert_eq!(snap["items/i-1/index.html"].as_deref(), Some(&b"one"[..]));
        assert_eq!(snap["items/i-2/index.html"].as_deref(), Some(&b""[..]));
        assert_eq!(snap.len(), 6, "{snap:?}");
        assert_eq!(
            names(&tmp.0.join("site")),
            [".public.shiji-manifest", "public"],
            "no staging folder left behind, the manifest beside the output"
        );
    }

    #[test]
    fn second_commit_keeps_mtime_of_unchanged_files_only() {
        let tmp = TempDir::new("second");
        let out = tmp.0.join("public");
        let asset = tmp.0.join("photo.jpg");
        fs::write(&asset, vec![7u8; 200_000]).unwrap(); // several comparison chunks
        let staging = Staging::new(&out).unwrap();
        staging.write("same.html", b"unchanged").unwrap();
        staging.write("changed.html", b"version-1").unwrap();
        staging.write("gone/removed.html", b"bye").unwrap();
        staging.copy("img/photo.jpg", &asset).unwrap();
        staging.copy("img/edited.jpg", &asset).unwrap();
        staging.commit().unwrap();

        let past = FileTime::from_unix_time(1_000_000_000, 0);
        for rel in [
            "same.html",
            "changed.html",
            "img/photo.jpg",
            "img/edited.jpg",
        ] {
            filetime::set_file_mtime(out.join(rel), past).unwrap();
        }

        let mut edited = vec![7u8; 200_000];
        edited[150_000] = 8; // same length, different bytes in a later chunk
        let edited_path = tmp.0.join("edited.jpg");
        fs::write(&edited_path, &edited).unwrap();

        let staging = Staging::new(&out).unwrap();
        staging.write("same.html", b"unchanged").unwrap();
        staging.write("changed.html", b"version-2").unwrap(); // same length
        staging.copy("img/photo.jpg", &asset).unwrap();
        staging.copy("img/edited.jpg", &edited_path).unwrap();
        staging.write("new.html", b"fresh").unwrap();
        assert_eq!(staging.counts(), (5, 2));
        staging.commit().unwrap();

        assert_eq!(mtime(&out.join("same.html")), past);
        assert_eq!(mtime(&out.join("img/photo.jpg")), past);
        assert_ne!(mtime(&out.join("changed.html")), past);
        assert_ne!(mtime(&out.join("img/edited.jpg")), past);
        assert_eq!(fs::read(out.join("changed.html")).unwrap(), b"version-2");
        assert_eq!(fs::read(out.join("img/edited.jpg")).unwrap(), edited);
        assert_eq!(
            fs::read(out.join("img/photo.jpg")).unwrap(),
            vec![7u8; 200_000]
        );
        assert!(
            !out.join("gone").exists(),
            "removed files and folders are gone"
        );
        assert_eq!(
            names(&out),
            ["changed.html", "img", "new.html", "same.html"]
        );
        assert_eq!(
            names(&tmp.0),
            [
                ".public.shiji-manifest",
                ".public.shiji-spare",
                ".public.shiji-spare-manifest",
                "edited.jpg",
                "photo.jpg",
                "public"
            ],
            "the old output is kept as the next build's base"
        );
    }

    #[test]
    fn drop_without_commit_leaves_old_output_untouched() {
        let tmp = TempDir::new("drop");
        let out = tmp.0.join("public");
        build(&out, &[("a.html", b"old a"), ("d/b.html", b"old b")]);
        let before = snapshot(&out);

        let staging = Staging::new(&out).unwrap();
        staging.write("a.html", b"new a").unwrap();
        staging.write("d/b.html", b"old b").unwrap();
        staging.write("d/c.html", b"new c").unwrap();
        assert_eq!(
            snapshot(&out),
            before,
            "nothing is written into out before commit"
        );
        assert_eq!(
            names(&tmp.0).len(),
            3,
            "staging folder sits beside out and its manifest"
        );
        drop(staging);

        assert_eq!(snapshot(&out), before);
        assert_eq!(
            names(&tmp.0),
            [".public.shiji-manifest", ".public.shiji-spare", "public"],
            "staging folder kept as the next build's base, nothing else"
        );
    }

    #[test]
    fn stale_staging_of_a_killed_run_is_cleaned_without_touching_out() {
        let tmp = TempDir::new("stale");
        let out = tmp.0.join("public");
        build(&out, &[("index.html", b"live site")]);
        let before = snapshot(&out);

        let dead = tmp.0.join(folder_name("public", KIND_STAGING, DEAD_PID));
        fs::create_dir_all(dead.join("items")).unwrap();
        fs::write(dead.join("items/half.html"), b"half").unwrap();
        let half_manifest = tmp.0.join(folder_name("public", KIND_MANIFEST, DEAD_PID));
        fs::write(&half_manifest, b"shiji output manifest 1 0\n").unwrap();
        // Left by an earlier process that happened to have our pid.
        let own = tmp
            .0
            .join(folder_name("public", KIND_STAGING, std::process::id()));
        fs::create_dir_all(&own).unwrap();
        fs::write(own.join("x"), b"x").unwrap();
        // Not ours: other outputs, other names.
        let other = tmp.0.join(folder_name("docs", KIND_STAGING, DEAD_PID));
        fs::create_dir_all(&other).unwrap();
        let unrelated = tmp.0.join(".public.shiji-staging-abc");
        fs::create_dir_all(&unrelated).unwrap();

        let staging = Staging::new(&out).unwrap();
        assert!(!dead.exists(), "dead run's staging folder removed");
        assert!(
            !half_manifest.exists(),
            "dead run's manifest being written removed"
        );
        assert!(
            tmp.0.join(".public.shiji-manifest").exists(),
            "the output's kept"
        );
        assert!(own.exists(), "our own new staging folder uses our pid");
        assert!(
            !own.join("x").exists(),
            "stale content under our pid removed"
        );
        assert!(other.exists() && unrelated.exists());
        assert_eq!(snapshot(&out), before);
        staging.write("index.html", b"new").unwrap();
        drop(staging);
        assert_eq!(snapshot(&out), before);
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn staging_folder_of_a_live_process_is_kept() {
        let tmp = TempDir::new("live");
        let out = tmp.0.join("public");
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let live = tmp.0.join(folder_name("public", KIND_STAGING, child.id()));
        fs::create_dir_all(&live).unwrap();
        let staging = Staging::new(&out);
        let kept = live.exists();
        let _ = child.kill();
        let _ = child.wait();
        drop(staging.unwrap());
        assert!(kept, "a running build's staging folder must not be removed");
    }

    #[test]
    fn old_output_left_aside_by_an_interrupted_commit_is_restored() {
        let tmp = TempDir::new("aside");
        let out = tmp.0.join("public");
        build(&out, &[("index.html", b"old site"), ("a/b.html", b"b")]);
        let before = snapshot(&out);
        // Crash between "out → aside" and "staging → out".
        let aside = tmp.0.join(folder_name("public", KIND_OLD, DEAD_PID));
        fs::rename(&out, &aside).unwrap();
        fs::create_dir(tmp.0.join(folder_name("public", KIND_STAGING, DEAD_PID))).unwrap();

        let staging = Staging::new(&out).unwrap();
        assert_eq!(snapshot(&out), before, "old output restored");
        drop(staging);
        assert_eq!(snapshot(&out), before);
        assert_eq!(
            names(&tmp.0),
            [".public.shiji-manifest", ".public.shiji-spare", "public"]
        );

        // Crash after both renames: the aside copy is just removed.
        let aside_copy = tmp.0.join(folder_name("public", KIND_OLD, DEAD_PID));
        fs::create_dir_all(aside_copy.join("z")).unwrap();
        drop(Staging::new(&out).unwrap());
        assert_eq!(snapshot(&out), before);
        assert_eq!(
            names(&tmp.0),
            [".public.shiji-manifest", ".public.shiji-spare", "public"]
        );
    }

    #[cfg(unix)]
    fn inode(path: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(path).unwrap().ino()
    }

    /// A rebuild on the spare tree gives exactly the new output, whatever the spare holds:
    /// files and folders of the old output that are gone, a file where a folder now is and
    /// the other way round, and junk left by a failed build.
    #[test]
    fn a_build_on_the_spare_tree_gives_exactly_the_new_output() {
        let tmp = TempDir::new("spare");
        let out = tmp.0.join("public");
        build(
            &out,
            &[
                ("index.html", b"home"),
                ("x", b"a file, later a folder"),
                ("y/index.html", b"a folder, later a file"),
                ("gone/deep/index.html", b"removed later"),
                ("keep/index.html", b"kept"),
            ],
        );
        build(
            &out,
            &[("index.html", b"home"), ("keep/index.html", b"kept")],
        );
        let spare = tmp.0.join(spare_name("public"));
        fs::write(spare.join("junk.html"), b"left by a failed build").unwrap();
        fs::create_dir_all(spare.join("junk-dir/a")).unwrap();

        let files: [(&str, &[u8]); 4] = [
            ("index.html", b"home, edited"),
            ("x/index.html", b"now a folder"),
            ("y", b"now a file"),
            ("keep/index.html", b"kept"),
        ];
        build(&out, &files);
        let mut expected = BTreeMap::new();
        for (rel, bytes) in files {
            expected.insert(rel.to_string(), Some(bytes.to_vec()));
        }
        for dir in ["x", "keep"] {
            expected.insert(dir.to_string(), None);
        }
        assert_eq!(snapshot(&out), expected);
    }

    /// Hand-added entries anywhere in the spare tree are removed: beside kept files, deep in
    /// kept folders, in folders of their own, under a folder that is now a file, and with names
    /// that are not UTF-8.
    #[test]
    fn entries_hand_added_to_the_spare_tree_are_removed() {
        let tmp = TempDir::new("handadded");
        let out = tmp.0.join("public");
        let files: [(&str, &[u8]); 3] = [
            ("index.html", b"home"),
            ("items/a/index.html", b"a"),
            ("items/b/deep/index.html", b"b"),
        ];
        build(&out, &files);
        build(&out, &files);
        let spare = tmp.0.join(spare_name("public"));
        for junk in [
            "junk.html",
            "items/junk.html",
            "items/a/junk.html",
            "items/b/deep/junk/x.html",
            "items/c/index.html",
            "index.html.d/x",
        ] {
            let path = spare.join(junk);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, b"junk").unwrap();
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let odd = std::ffi::OsStr::from_bytes(b"items/a/\xff.html");
            fs::write(spare.join(odd), b"junk").unwrap();
        }
        let mut expected = snapshot(&out);

        // "index.html.d" stays a folder of this build; "items/b/deep" becomes a file.
        let staging = Staging::new(&out).unwrap();
        for (rel, bytes) in &files[..2] {
            staging.write(rel, bytes).unwrap();
        }
        staging.write("index.html.d/y", b"y").unwrap();
        staging.write("items/b/deep", b"now a file").unwrap();
        staging.commit().unwrap();
        expected.retain(|rel, _| !rel.starts_with("items/b/"));
        expected.insert("items/b/deep".into(), Some(b"now a file".to_vec()));
        expected.insert("index.html.d".into(), None);
        expected.insert("index.html.d/y".into(), Some(b"y".to_vec()));
        assert_eq!(snapshot(&out), expected);
    }

    /// A failed build leaves the spare tree's manifest as it was: what the failed build left
    /// in the spare tree is in folders it changed, which the next build reads; and an entry
    /// added by hand to a folder the failed build never reached is still found.
    #[cfg(unix)]
    #[test]
    fn what_a_failed_build_or_a_hand_left_in_the_spare_tree_is_removed() {
        let tmp = TempDir::new("failedspare");
        let out = tmp.0.join("public");
        let files: [(&str, &[u8]); 3] = [
            ("index.html", b"home"),
            ("items/a/index.html", b"a"),
            ("units/u/index.html", b"u"),
        ];
        build(&out, &files);
        build(&out, &files);
        let expected = snapshot(&out);
        let spare = tmp.0.join(spare_name("public"));
        let manifest = tmp.0.join(spare_manifest_name("public"));
        let before = fs::read(&manifest).unwrap();
        fs::write(spare.join("units/u/by-hand.html"), b"junk").unwrap();
        {
            let failed = Staging::new(&out).unwrap();
            failed.write("index.html", b"home").unwrap();
            failed.write("left.html", b"of a failed build").unwrap();
            failed.write("items/b/index.html", b"b").unwrap();
            failed.write("items/a/extra.html", b"extra").unwrap();
        }
        assert!(spare.join("items/b/index.html").exists());
        assert!(spare.join("units/u/by-hand.html").exists());
        assert_eq!(
            fs::read(&manifest).unwrap(),
            before,
            "the spare manifest as it was"
        );
        build(&out, &files);
        assert_eq!(snapshot(&out), expected);
    }

    /// A spare manifest is believed only of the tree it was written for: here the spare tree
    /// is replaced by another folder (its mtimes set back), and its entries are read instead.
    #[cfg(unix)]
    #[test]
    fn a_spare_manifest_of_another_tree_is_not_believed() {
        let tmp = TempDir::new("otherspare");
        let out = tmp.0.join("public");
        let files: [(&str, &[u8]); 1] = [("index.html", b"home")];
        build(&out, &files);
        build(&out, &files);
        let expected = snapshot(&out);
        let spare = tmp.0.join(spare_name("public"));
        assert!(tmp.0.join(spare_manifest_name("public")).exists());
        let old = FileTime::from_last_modification_time(&fs::metadata(&spare).unwrap());
        fs::remove_dir_all(&spare).unwrap();
        fs::create_dir_all(spare.join("junk")).unwrap();
        fs::write(spare.join("junk/x.html"), b"junk").unwrap();
        fs::write(spare.join("index.html"), b"home").unwrap();
        filetime::set_file_mtime(spare.join("junk"), old).unwrap();
        filetime::set_file_mtime(&spare, old).unwrap();
        build(&out, &files);
        assert_eq!(snapshot(&out), expected);
    }

    /// A rebuild that changes nothing makes no new file: every file of the output is the same
    /// inode as before, and keeps its mtime.
    #[cfg(unix)]
    #[test]
    fn an_unchanged_rebuild_creates_no_file() {
        let tmp = TempDir::new("unchanged");
        let out = tmp.0.join("public");
        let files: [(&str, &[u8]); 3] = [
            ("index.html", b"home"),
            ("items/a/index.html", b"a"),
            ("items/b/index.html", b"b"),
        ];
        build(&out, &files);
        build(&out, &files);
        let before: Vec<u64> = files.iter().map(|(rel, _)| inode(&out.join(rel))).collect();
        for _ in 0..2 {
            let staging = Staging::new(&out).unwrap();
            for (rel, bytes) in files {
                staging.write(rel, bytes).unwrap();
            }
            assert_eq!(staging.counts(), (3, 3));
            staging.commit().unwrap();
            let after: Vec<u64> = files.iter().map(|(rel, _)| inode(&out.join(rel))).collect();
            assert_eq!(after, before);
        }
    }

    /// A file of the spare tree that is the one the manifest recorded is kept as it is, with
    /// its mtime, whatever became of the output's file meanwhile: the output is not looked at.
    #[cfg(unix)]
    #[test]
    fn the_spare_trees_file_recorded_by_the_manifest_is_kept_without_looking_at_the_output() {
        let tmp = TempDir::new("manifest-spare");
        let out = tmp.0.join("public");
        let files: [(&str, &[u8]); 1] = [("a.html", b"one")];
        build(&out, &files);
        build(&out, &files);
        let (recorded, ino) = (mtime(&out.join("a.html")), inode(&out.join("a.html")));
        assert_eq!(
            inode(&tmp.0.join(".public.shiji-spare/a.html")),
            ino,
            "the spare tree shares the unchanged file"
        );
        // The output's file replaced by another one: reading it would find it changed.
        fs::remove_file(out.join("a.html")).unwrap();
        fs::write(out.join("a.html"), b"ONE").unwrap();
        build(&out, &files);
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"one");
        assert_eq!(inode(&out.join("a.html")), ino);
        assert_eq!(mtime(&out.join("a.html")), recorded);
    }

    /// Overwrites `path` in place (same inode) with `bytes`, its mtime then set to `mtime`.
    #[cfg(unix)]
    fn overwrite_in_place(path: &Path, bytes: &[u8], mtime: Option<FileTime>) {
        let mut f = fs::OpenOptions::new().write(true).open(path).unwrap();
        f.write_all(bytes).unwrap();
        drop(f);
        if let Some(mtime) = mtime {
            filetime::set_file_mtime(path, mtime).unwrap();
        }
    }

    /// The manifest, not the old bytes, decides what is unchanged: an output file
    /// rewritten behind the build's back, same inode, length and mtime, passes for unchanged
    /// (the quick check of `rsync`, see `manifest.rs`). Without a manifest, or once the
    /// file's mtime shows the change, it is read, found changed and replaced.
    #[cfg(unix)]
    #[test]
    fn the_manifest_says_which_old_files_are_unchanged() {
        let tmp = TempDir::new("manifest");
        let out = tmp.0.join("public");
        let files: [(&str, &[u8]); 2] = [("a.html", b"one"), ("b.html", b"two")];
        build(&out, &files);
        assert!(tmp.0.join(".public.shiji-manifest").is_file());
        let recorded = mtime(&out.join("a.html"));
        overwrite_in_place(&out.join("a.html"), b"ONE", Some(recorded));
        build(&out, &files);
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"ONE");

        // Touched: the manifest no longer describes the file, so it is read.
        overwrite_in_place(&out.join("a.html"), b"ONE", None);
        let staging = Staging::new(&out).unwrap();
        for (rel, bytes) in files {
            staging.write(rel, bytes).unwrap();
        }
        assert_eq!(staging.counts(), (2, 1), "only b.html is unchanged");
        staging.commit().unwrap();
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"one");

        // Without a manifest, every old file is read.
        let b_inode = inode(&out.join("b.html"));
        overwrite_in_place(
            &out.join("a.html"),
            b"ONE",
            Some(mtime(&out.join("a.html"))),
        );
        fs::remove_file(tmp.0.join(".public.shiji-manifest")).unwrap();
        build(&out, &files);
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"one");
        assert_eq!(inode(&out.join("b.html")), b_inode, "b.html kept");
    }

    /// A build that fails leaves the old manifest, which still describes the old output; a
    /// commit replaces it with one of the new output, written aside and renamed.
    #[cfg(unix)]
    #[test]
    fn the_manifest_is_always_the_outputs() {
        let tmp = TempDir::new("manifest-failed");
        let out = tmp.0.join("public");
        build(&out, &[("a.html", b"one")]);
        let first = fs::read(tmp.0.join(".public.shiji-manifest")).unwrap();
        {
            let staging = Staging::new(&out).unwrap();
            staging.write("a.html", b"two").unwrap();
            // Dropped without a commit: a failed build.
        }
        assert_eq!(
            fs::read(tmp.0.join(".public.shiji-manifest")).unwrap(),
            first
        );
        let staging = Staging::new(&out).unwrap();
        staging.write("a.html", b"two").unwrap();
        assert_eq!(staging.counts(), (1, 0), "a.html changed");
        staging.commit().unwrap();
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"two");
        let second = Manifest::load(&tmp.0.join(".public.shiji-manifest"));
        let meta = fs::symlink_metadata(out.join("a.html")).unwrap();
        assert_eq!(
            second.holds("a.html", &meta, manifest::hash(b"two"), 3),
            Some(true)
        );
        assert_eq!(
            names(&tmp.0),
            [
                ".public.shiji-manifest",
                ".public.shiji-spare",
                ".public.shiji-spare-manifest",
                "public"
            ],
            "nothing left aside"
        );
    }

    /// A link in the spare tree where this build has a folder is replaced by a real folder,
    /// even when the file it leads to is the output's own identical file.
    #[cfg(unix)]
    #[test]
    fn a_link_in_the_spare_tree_where_a_folder_belongs_is_replaced() {
        let tmp = TempDir::new("sparelink");
        let out = tmp.0.join("public");
        let files: [(&str, &[u8]); 1] = [("d/index.html", b"same")];
        build(&out, &files);
        build(&out, &files);
        let elsewhere = tmp.0.join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        fs::hard_link(out.join("d/index.html"), elsewhere.join("index.html")).unwrap();
        let spare_d = tmp.0.join(spare_name("public")).join("d");
        fs::remove_dir_all(&spare_d).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &spare_d).unwrap();

        build(&out, &files);
        assert!(fs::symlink_metadata(out.join("d")).unwrap().is_dir());
        assert_eq!(fs::read(out.join("d/index.html")).unwrap(), b"same");
        assert_eq!(
            names(&elsewhere),
            ["index.html"],
            "the link's target is left alone"
        );
    }

    /// An old output "file" that is a link or a FIFO is not an unchanged file: the new file is
    /// written, and the FIFO does not block the build.
    #[cfg(unix)]
    #[test]
    fn links_and_fifos_in_the_old_output_count_as_changed() {
        use rustix::fs::{CWD, FileType, Mode, mknodat};
        let tmp = TempDir::new("oddold");
        let out = tmp.0.join("public");
        build(&out, &[("index.html", b"home")]);
        let target = tmp.0.join("target.html");
        fs::write(&target, b"link").unwrap();
        std::os::unix::fs::symlink(&target, out.join("link.html")).unwrap();
        mknodat(
            CWD,
            out.join("fifo.html"),
            FileType::Fifo,
            Mode::from(0o644),
            0,
        )
        .unwrap();

        let staging = Staging::new(&out).unwrap();
        staging.write("link.html", b"link").unwrap();
        staging.write("fifo.html", b"").unwrap();
        assert_eq!(staging.counts(), (2, 0));
        staging.commit().unwrap();
        for (rel, bytes) in [("link.html", &b"link"[..]), ("fifo.html", b"")] {
            assert!(
                fs::symlink_metadata(out.join(rel)).unwrap().is_file(),
                "{rel}"
            );
            assert_eq!(fs::read(out.join(rel)).unwrap(), bytes);
        }
    }

    /// The spare tree shares inodes with the output; a changed file must be created anew in
    /// the staging folder, never written into the shared inode, so the live output stays as it
    /// was until the commit.
    #[test]
    fn changing_a_file_of_the_spare_tree_leaves_the_output_untouched() {
        let tmp = TempDir::new("shared");
        let out = tmp.0.join("public");
        let asset = tmp.0.join("new.jpg");
        fs::write(&asset, b"new photo").unwrap();
        let files: [(&str, &[u8]); 2] = [("a.html", b"old a"), ("img/p.jpg", b"old photo")];
        build(&out, &files);
        build(&out, &files);
        let before = snapshot(&out);

        let staging = Staging::new(&out).unwrap();
        staging.write("a.html", b"new a").unwrap();
        staging.copy("img/p.jpg", &asset).unwrap();
        assert_eq!(
            snapshot(&out),
            before,
            "the output changed before the commit"
        );
        drop(staging);
        assert_eq!(snapshot(&out), before);

        let staging = Staging::new(&out).unwrap();
        staging.write("a.html", b"new a").unwrap();
        staging.copy("img/p.jpg", &asset).unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"new a");
        assert_eq!(fs::read(out.join("img/p.jpg")).unwrap(), b"new photo");
    }

    #[test]
    fn rename_aside_fallback_swaps_and_cleans() {
        let tmp = TempDir::new("fallback");
        let out = tmp.0.join("public");
        build(&out, &[("old.html", b"old")]);
        let staging = Staging::new(&out).unwrap();
        staging.write("new.html", b"new").unwrap();
        swap_aside(&staging.root, &staging.out, &staging.aside).unwrap();
        assert_eq!(names(&out), ["new.html"]);
        assert!(!staging.aside.exists());
        std::mem::forget(staging); // its folder is now the output
        lock(&BUILDING).retain(|p| p != &out);

        // Without an old output: plain rename.
        let fresh = tmp.0.join("fresh");
        let staging = Staging::new(&fresh).unwrap();
        staging.write("x", b"x").unwrap();
        swap_aside(&staging.root, &staging.out, &staging.aside).unwrap();
        assert_eq!(names(&fresh), ["x"]);
        std::mem::forget(staging);
        lock(&BUILDING).retain(|p| p != &fresh);
    }

    #[test]
    fn bad_relative_paths_are_refused() {
        let tmp = TempDir::new("badpaths");
        let out = tmp.0.join("public");
        let staging = Staging::new(&out).unwrap();
        let asset = tmp.0.join("asset");
        fs::write(&asset, b"a").unwrap();
        for rel in [
            "../x",
            "/etc/x",
            "a/../../b",
            "",
            "a//b",
            "./a",
            "a/",
            "a\\..\\b",
            "a/./b",
            "..",
        ] {
            let err = staging.write(rel, b"evil").unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{rel:?}");
            let err = staging.copy(rel, &asset).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{rel:?}");
        }
        staging.write("ok/.well-known..txt", b"fine").unwrap();
        assert_eq!(staging.counts(), (1, 0));
        staging.commit().unwrap();
        assert_eq!(
            names(&tmp.0),
            [".public.shiji-manifest", "asset", "public"],
            "nothing written outside but the manifest"
        );
    }

    #[test]
    fn writing_one_path_twice_is_an_error() {
        let tmp = TempDir::new("twice");
        let staging = Staging::new(&tmp.0.join("public")).unwrap();
        staging.write("a/b.html", b"1").unwrap();
        let err = staging.write("a/b.html", b"2").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        // A file where a folder is needed.
        let err = staging.write("a/b.html/c", b"3").unwrap_err();
        assert!(err.to_string().contains("b.html"), "{err}");
    }

    #[test]
    fn concurrent_writes_into_shared_folders() {
        let tmp = TempDir::new("concurrent");
        let out = tmp.0.join("public");
        build(
            &out,
            &[("d0/s0/f0.html", b"page 0"), ("d1/s1/f1.html", b"old")],
        );
        filetime::set_file_mtime(out.join("d0/s0/f0.html"), FileTime::from_unix_time(10, 0))
            .unwrap();

        let staging = Staging::new(&out).unwrap();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(8)
            .build()
            .unwrap();
        pool.install(|| {
            (0..3000).into_par_iter().try_for_each(|i| {
                let rel = format!("d{}/s{}/f{i}.html", i % 7, i % 3);
                staging.write(&rel, format!("page {i}").as_bytes())
            })
        })
        .unwrap();
        assert_eq!(staging.counts(), (3000, 1));
        staging.commit().unwrap();

        let snap = snapshot(&out);
        let files = snap.values().filter(|v| v.is_some()).count();
        assert_eq!(files, 3000);
        for i in [0, 1, 1234, 2999] {
            let rel = format!("d{}/s{}/f{i}.html", i % 7, i % 3);
            assert_eq!(snap[&rel].as_deref(), Some(format!("page {i}").as_bytes()));
        }
        assert_eq!(
            mtime(&out.join("d0/s0/f0.html")),
            FileTime::from_unix_time(10, 0)
        );
    }

    #[test]
    fn out_must_be_a_folder() {
        let tmp = TempDir::new("notdir");
        let out = tmp.0.join("public");
        fs::write(&out, b"a file").unwrap();
        assert!(Staging::new(&out).is_err());
        assert_eq!(fs::read(&out).unwrap(), b"a file");
        assert_eq!(names(&tmp.0), ["public"]);

        #[cfg(unix)]
        {
            let real = tmp.0.join("real");
            fs::create_dir(&real).unwrap();
            let link = tmp.0.join("link");
            std::os::unix::fs::symlink(&real, &link).unwrap();
            assert_eq!(
                Staging::new(&link).unwrap_err().kind(),
                io::ErrorKind::InvalidInput
            );
        }
    }

    #[test]
    fn one_output_cannot_be_staged_twice_at_once() {
        let tmp = TempDir::new("twiceout");
        let out = tmp.0.join("public");
        let first = Staging::new(&out).unwrap();
        first.write("a", b"a").unwrap();
        assert_eq!(
            Staging::new(&out).unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        assert!(
            first.root.join("a").exists(),
            "the running build is not disturbed"
        );
        first.commit().unwrap();
        drop(Staging::new(&out).unwrap()); // free again after commit
    }

    #[test]
    fn removed_staging_folder_is_never_committed() {
        let tmp = TempDir::new("removed");
        let out = tmp.0.join("public");
        build(&out, &[("index.html", b"old")]);
        let before = snapshot(&out);

        let staging = Staging::new(&out).unwrap();
        staging.write("index.html", b"new").unwrap();
        // Another process wrongly decides our folder is stale.
        fs::remove_dir_all(&staging.root).unwrap();
        assert!(
            staging.write("items/a.html", b"a").is_err(),
            "root is not re-created"
        );
        assert!(!staging.root.exists());
        // ... and even a look-alike folder at the staging path is refused.
        fs::create_dir(&staging.root).unwrap();
        fs::write(staging.root.join("index.html"), b"intruder").unwrap();
        assert!(staging.commit().is_err());
        assert_eq!(snapshot(&out), before);
    }
}
