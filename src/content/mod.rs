//! The first stage: content files → typed [`Records`].
//!
//! Walks `content/` (walkdir), reads every record file in parallel (rayon), decodes it,
//! splits Markdown front matter, parses YAML and reads each record's fields. Every problem
//! is collected as a [`Diagnostic`]; nothing stops at the first one.

pub mod chars;
pub mod fields;
#[cfg(test)]
mod fuzz;
pub mod labels;
pub mod names;
pub mod records;
pub mod sheet;
pub mod slips;
mod walk;
pub mod yaml;
mod yaml_fast;

use std::path::Path;

use std::collections::HashSet;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::personal;
use crate::diagnostics::{self, At, Diagnostic, YamlAt, line_col};
use crate::i18n::Text;
use crate::messages as m;
use fields::{Choice, Ctx, Fields, is_valid_id};
use records::{Kind, Meta, Record};
use walk::Walked;
use yaml::Node;

/// Every problem found, sorted and located as [`diagnostics::finish`] reports them, those of
/// a spreadsheet's fields at their cells: what every command reports.
pub fn finish(root: &Path, mut diags: Vec<Diagnostic>) -> diagnostics::Problems {
    sheet::place_cells(root, &mut diags);
    diagnostics::finish(root, diags)
}

/// Every record read, by kind, in path order. A record with problems of its own is kept,
/// marked [`Meta::broken`], so that references from and to it are still checked.
#[derive(Debug, Default, Clone)]
pub struct Records {
    /// Paths of the record files, relative to the site root, `/`-separated.
    pub files: Vec<String>,
    pub streets: Vec<records::Street>,
    pub communities: Vec<records::Community>,
    pub units: Vec<records::Unit>,
    pub agreements: Vec<records::Agreement>,
    pub items: Vec<records::Item>,
    pub reports: Vec<records::Report>,
    pub evaluations: Vec<records::Evaluation>,
    pub pages: Vec<records::Page>,
    pub static_files: StaticFiles,
    /// Ids written in files that could not be read (a syntax error, a full-width colon):
    /// references to them are not reported, since the one problem is in that file.
    pub unread: Vec<(Kind, String)>,
    /// The raw names of members and residents, to mask them in a file read again (`serve`).
    pub names: names::KnownNames,
}

/// What one file gave.
struct FileResult {
    records: Vec<Record>,
    diags: Vec<Diagnostic>,
    /// The ids of a file whose YAML could not be read.
    unread: Vec<(Kind, String)>,
}

/// Reads every record under `root/content`.
pub fn load(root: &Path, config: &Config) -> (Records, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let static_files = StaticFiles::read(root);
    diags.extend(
        static_files
            .outside
            .iter()
            .map(|rel| outside_link(&format!("static/{rel}"))),
    );
    diags.extend(static_files.active_svgs.iter().map(|rel| {
        Diagnostic::new(
            "active-svg",
            &format!("static/{rel}"),
            At::File,
            m::active_svg(),
        )
        .hint(m::active_svg_hint())
    }));
    for file in static_files.iter() {
        diags.extend(personal::problems_in_name(
            &format!("static/{file}"),
            &config.privacy_allow,
        ));
    }
    // Each kind folder is walked and its files read as one task, so that reading the files of
    // one kind goes on while another kind is still being walked.
    let (folders, workbooks) = kind_folders(root, &mut diags);
    let mut per_kind: Vec<Vec<Walked<FileResult>>> = folders
        .par_iter()
        .map(|(kind, rel)| {
            walk::walk(root, rel, &|rel: &str, bytes: std::io::Result<&[u8]>| {
                read_bytes(rel, Some(*kind), bytes, config, &static_files)
            })
        })
        .collect();
    // Workbooks directly under content/ come after the kind folders: their records are of
    // several kinds, and each list of records stays in file order.
    per_kind.push(
        workbooks
            .par_iter()
            .map(|rel| {
                let bytes = std::fs::read(root.join(rel));
                let r = match bytes {
                    Ok(b) => read_bytes(rel, None, Ok(&b), config, &static_files),
                    Err(e) => read_bytes(rel, None, Err(e), config, &static_files),
                };
                Walked::Record(rel.clone(), r)
            })
            .collect(),
    );
    let known = mask_known_names(&mut per_kind, config);
    // Files are numbered in path order: a kind folder's after those of the folders before it.
    let mut next = 0;
    let firsts: Vec<u32> = per_kind
        .iter()
        .map(|walked| {
            let first = next;
            next += walked
                .iter()
                .filter(|w| matches!(w, Walked::Record(..)))
                .count() as u32;
            first
        })
        .collect();
    // Gathered kind by kind in parallel: moving a quarter of a million records into their
    // lists was most of what `load` did on one thread.
    let parts: Vec<(Records, Vec<Diagnostic>)> = per_kind
        .into_par_iter()
        .zip(firsts)
        .map(|(walked, first)| gather(walked, first))
        .collect();
    let mut recs = Records {
        static_files,
        names: known,
        ..Records::default()
    };
    for (part, part_diags) in parts {
        recs.append(part);
        diags.extend(part_diags);
    }
    (recs, diags)
}

/// Masks every declared name of a member or resident in its field and wherever else it is
/// written, when the site masks names; the names, for files read again later.
fn mask_known_names(
    per_kind: &mut [Vec<Walked<FileResult>>],
    config: &Config,
) -> names::KnownNames {
    if !config.mask_names {
        return names::KnownNames::default();
    }
    fn results(w: &Walked<FileResult>) -> Option<&FileResult> {
        match w {
            Walked::Record(_, r) => Some(r),
            _ => None,
        }
    }
    let known = names::KnownNames::new(
        per_kind
            .iter()
            .flatten()
            .filter_map(results)
            .flat_map(|r| r.records.iter().flat_map(names::declared)),
    );
    per_kind.par_iter_mut().for_each(|walked| {
        for w in walked.iter_mut() {
            if let Walked::Record(_, r) = w {
                r.records
                    .iter_mut()
                    .for_each(|rec| names::mask(rec, &known));
            }
        }
    });
    known
}

/// Positions of the records of the `file`th record file in `list`. Each list of [`Records`]
/// (and of the resolved site) is in file order, so they are found by bisection, not by
/// visiting every record (a few milliseconds per edit at 100k items).
pub fn file_range<T>(list: &[T], meta: impl Fn(&T) -> &Meta, file: u32) -> std::ops::Range<usize> {
    let start = list.partition_point(|x| meta(x).file < file);
    let end = start + list[start..].partition_point(|x| meta(x).file <= file);
    start..end
}

/// The records of one kind folder's walk, their files numbered from `first`, and the
/// problems found.
fn gather(walked: Vec<Walked<FileResult>>, first: u32) -> (Records, Vec<Diagnostic>) {
    let mut recs = Records::default();
    let mut diags = Vec::new();
    let mut counts = [0usize; 8];
    for w in &walked {
        if let Walked::Record(_, r) = w {
            for record in &r.records {
                counts[record_kind(record) as usize] += 1;
            }
        }
    }
    recs.reserve_exact(counts);
    for w in walked {
        match w {
            Walked::Record(rel, r) => {
                let file = first + recs.files.len() as u32;
                for mut record in r.records {
                    record.meta_mut().file = file;
                    recs.push(record);
                }
                recs.files.push(rel);
                diags.extend(r.diags);
                recs.unread.extend(r.unread);
            }
            Walked::Other(rel) => diags.push(
                Diagnostic::new(
                    "unexpected-file",
                    &rel,
                    At::Pos { line: 1, column: 1 },
                    m::unexpected_file(),
                )
                .hint(m::unexpected_file_hint()),
            ),
            Walked::Unreadable(rel, e) => diags.push(unreadable(&rel, &e)),
            Walked::Outside(rel) => diags.push(outside_link(&rel)),
        }
    }
    (recs, diags)
}

/// Reads one record file again after an edit (for `serve`): its records and its own problems.
/// `None` when `rel` (relative to the root, `/`-separated) is not a file that [`load`] reads,
/// such as an editor's back-up file.
pub fn reload_file(
    root: &Path,
    rel: &str,
    config: &Config,
    static_files: &StaticFiles,
    known: &names::KnownNames,
) -> Option<(Vec<Record>, Vec<Diagnostic>)> {
    let mut parts = rel.split('/');
    let (Some("content"), Some(folder)) = (parts.next(), parts.next()) else {
        return None;
    };
    let kind = match parts.next() {
        Some(_) => Some(Kind::from_folder(folder)?),
        None if is_top_workbook(folder) => None,
        None => return None,
    };
    if !walk::is_record(rel) || rel.split('/').any(is_ignored) {
        return None;
    }
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if walk::leads_outside(root, &canonical, rel) {
        return Some((Vec::new(), vec![outside_link(rel)]));
    }
    let mut r = match std::fs::read(root.join(rel)) {
        Ok(bytes) => read_bytes(rel, kind, Ok(&bytes), config, static_files),
        Err(e) => read_bytes(rel, kind, Err(e), config, static_files),
    };
    if config.mask_names {
        // The names this file declares now count too (a name added by this edit is masked
        // in other files at the next full reading).
        let known = known.with(r.records.iter().flat_map(names::declared));
        r.records
            .iter_mut()
            .for_each(|rec| names::mask(rec, &known));
    }
    Some((r.records, r.diags))
}

impl Records {
    /// Room for exactly `counts` more records of each kind (indexed by [`Kind`]).
    fn reserve_exact(&mut self, counts: [usize; 8]) {
        self.streets.reserve_exact(counts[Kind::Streets as usize]);
        self.communities
            .reserve_exact(counts[Kind::Communities as usize]);
        self.units.reserve_exact(counts[Kind::Units as usize]);
        self.agreements
            .reserve_exact(counts[Kind::Agreements as usize]);
        self.items.reserve_exact(counts[Kind::Items as usize]);
        self.reports.reserve_exact(counts[Kind::Reports as usize]);
        self.evaluations
            .reserve_exact(counts[Kind::Evaluations as usize]);
        self.pages.reserve_exact(counts[Kind::Pages as usize]);
    }

    fn push(&mut self, record: Record) {
        match record {
            Record::Street(x) => self.streets.push(x),
            Record::Community(x) => self.communities.push(x),
            Record::Unit(x) => self.units.push(x),
            Record::Agreement(x) => self.agreements.push(x),
            Record::Item(x) => self.items.push(x),
            Record::Report(x) => self.reports.push(x),
            Record::Evaluation(x) => self.evaluations.push(x),
            Record::Page(x) => self.pages.push(x),
        }
    }

    /// Adds `other`'s files and records after these; a list that is empty here is taken over
    /// whole instead of copied (each kind folder fills one list).
    fn append(&mut self, other: Records) {
        fn join<T>(list: &mut Vec<T>, mut more: Vec<T>) {
            if list.is_empty() {
                *list = more;
            } else {
                list.append(&mut more);
            }
        }
        join(&mut self.files, other.files);
        join(&mut self.streets, other.streets);
        join(&mut self.communities, other.communities);
        join(&mut self.units, other.units);
        join(&mut self.agreements, other.agreements);
        join(&mut self.items, other.items);
        join(&mut self.reports, other.reports);
        join(&mut self.evaluations, other.evaluations);
        join(&mut self.pages, other.pages);
        join(&mut self.unread, other.unread);
    }

    /// Puts `records` in the place of those read from the file `rel`, which must be one of
    /// [`Records::files`]: the order stays that of a fresh [`load`].
    pub fn replace_file(&mut self, rel: &str, records: Vec<Record>) -> bool {
        let Some(file) = self.files.iter().position(|f| f == rel) else {
            return false;
        };
        let file = file as u32;
        fn place<T>(list: &mut Vec<T>, file: u32, meta: impl Fn(&T) -> &Meta, new: Vec<T>) {
            let at = file_range(list, meta, file);
            list.splice(at, new);
        }
        let mut by_kind: [Vec<Record>; 8] = Default::default();
        for mut r in records {
            r.meta_mut().file = file;
            by_kind[record_kind(&r) as usize].push(r);
        }
        macro_rules! put {
            ($kind:ident, $field:ident, $variant:ident) => {{
                let new = std::mem::take(&mut by_kind[Kind::$kind as usize])
                    .into_iter()
                    .filter_map(|r| match r {
                        Record::$variant(x) => Some(x),
                        _ => None,
                    })
                    .collect();
                place(&mut self.$field, file, |x| &x.meta, new);
            }};
        }
        put!(Streets, streets, Street);
        put!(Communities, communities, Community);
        put!(Units, units, Unit);
        put!(Agreements, agreements, Agreement);
        put!(Items, items, Item);
        put!(Reports, reports, Report);
        put!(Evaluations, evaluations, Evaluation);
        put!(Pages, pages, Page);
        true
    }
}

fn record_kind(r: &Record) -> Kind {
    match r {
        Record::Street(_) => Kind::Streets,
        Record::Community(_) => Kind::Communities,
        Record::Unit(_) => Kind::Units,
        Record::Agreement(_) => Kind::Agreements,
        Record::Item(_) => Kind::Items,
        Record::Report(_) => Kind::Reports,
        Record::Evaluation(_) => Kind::Evaluations,
        Record::Page(_) => Kind::Pages,
    }
}

/// Editors' back-up and lock files (Excel's `~$台账.xlsx` too), and names starting with `.`
/// or `_`, are not content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('_')
        || name.starts_with("~$")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || (name.starts_with('#') && name.ends_with('#'))
}

/// A file directly under `content/` that is read: a workbook whose sheets name their kinds.
fn is_top_workbook(name: &str) -> bool {
    sheet::is_spreadsheet(name) && !sheet::is_csv(name) && !is_ignored(name)
}

/// The kind folders under `content/`, in name order, and the workbooks directly there;
/// anything else there is reported.
fn kind_folders(root: &Path, diags: &mut Vec<Diagnostic>) -> (Vec<(Kind, String)>, Vec<String>) {
    let content = root.join("content");
    let top = match sorted_entries(&content) {
        Ok(t) => t,
        Err(_) => {
            diags.push(
                Diagnostic::new("no-content", "content", At::File, m::no_content())
                    .hint(m::no_content_hint()),
            );
            return (Vec::new(), Vec::new());
        }
    };
    let (mut kinds, mut workbooks) = (Vec::new(), Vec::new());
    for (name, is_dir) in top {
        if is_ignored(&name) {
            continue;
        }
        let rel = format!("content/{name}");
        match Kind::from_folder(&name) {
            Some(kind) if is_dir => kinds.push((kind, rel)),
            _ if !is_dir && is_top_workbook(&name) => workbooks.push(rel),
            _ if !is_dir => diags.push(
                Diagnostic::new(
                    "unexpected-file",
                    &rel,
                    At::Pos { line: 1, column: 1 },
                    m::file_at_content_top(),
                )
                .hint(m::file_at_content_top_hint(&kind_list())),
            ),
            _ => diags.push(
                Diagnostic::new(
                    "unknown-kind-folder",
                    &rel,
                    At::File,
                    m::unknown_kind_folder(&name),
                )
                .hint(m::unknown_kind_folder_hint(&kind_list())),
            ),
        }
    }
    (kinds, workbooks)
}

/// Names in a folder, sorted, with whether each is a folder.
fn sorted_entries(dir: &Path) -> std::io::Result<Vec<(String, bool)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let is_dir = entry.file_type()?.is_dir() || entry.path().is_dir();
        out.push((entry.file_name().to_string_lossy().into_owned(), is_dir));
    }
    out.sort();
    Ok(out)
}

fn kind_list() -> String {
    Kind::ALL
        .iter()
        .map(|(_, k, _)| *k)
        .collect::<Vec<_>>()
        .join(", ")
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path).to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        rel.into_owned()
    } else {
        rel.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Splits a Markdown file into its front matter (with its byte offset) and its body (with
/// the 1-based line it starts on). `None` when the file does not open with a fenced block.
pub fn split_front_matter(text: &str) -> Result<(&str, usize, &str, usize), Text> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return Err(m::front_matter_open());
    }
    let mut pos = first_end;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "---" {
            return Ok((&text[first_end..pos], first_end, &text[end..], line + 1));
        }
        pos = end;
        line += 1;
    }
    Err(m::front_matter_unclosed())
}

/// The records of one file, or why it could not be read; their `Meta::file` is set by the
/// caller, which knows the order.
fn read_bytes(
    rel: &str,
    kind: Option<Kind>,
    bytes: std::io::Result<&[u8]>,
    config: &Config,
    static_files: &StaticFiles,
) -> FileResult {
    match (bytes, kind) {
        (Ok(bytes), kind) if sheet::is_spreadsheet(rel) => {
            let fc = FileCtx {
                kind: kind.unwrap_or(Kind::Items),
                config,
                static_files,
            };
            sheet::read_file(bytes, rel, kind, &fc)
        }
        (Ok(bytes), Some(kind)) => read_file(bytes, rel, kind, config, static_files),
        (Ok(_), None) => FileResult {
            records: Vec::new(),
            diags: Vec::new(),
            unread: Vec::new(),
        },
        (Err(e), _) => FileResult {
            records: Vec::new(),
            diags: vec![unreadable(rel, &e)],
            unread: Vec::new(),
        },
    }
}

/// A symbolic link whose target is outside the site folder: nothing of it is read or published.
fn outside_link(rel: &str) -> Diagnostic {
    Diagnostic::new("outside-link", rel, At::File, m::outside_link()).hint(m::outside_link_hint())
}

fn unreadable(rel: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new("unreadable", rel, At::File, m::unreadable(e.to_string()))
}

/// Reads the records of one file's bytes.
fn read_file(
    bytes: &[u8],
    rel: &str,
    kind: Kind,
    config: &Config,
    static_files: &StaticFiles,
) -> FileResult {
    let mut out = FileResult {
        records: Vec::new(),
        diags: Vec::new(),
        unread: Vec::new(),
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // simdutf8 checks the common, valid case several times faster than `std`; `std` then
    // says where a file that is not UTF-8 goes wrong.
    let text = match simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes)) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            out.diags.push(
                Diagnostic::new("not-utf8", rel, At::Pos { line, column: 1 }, m::not_utf8())
                    .hint(m::not_utf8_hint()),
            );
            return out;
        }
    };
    out.diags
        .extend(personal::problems_in_text(rel, text, &config.privacy_allow));
    out.diags
        .extend(personal::problems_in_name(rel, &config.privacy_allow));

    if let Some((at, c)) = chars::forbidden(text) {
        let (line, column) = line_col(text, at);
        out.diags.push(
            Diagnostic::new(
                "control-character",
                rel,
                At::Pos { line, column },
                m::control_character(chars::describe(c)),
            )
            .hint(m::control_character_hint()),
        );
        return out;
    }
    let is_md = walk::is_markdown(rel);
    let (yaml_text, offset, body, body_line) = if is_md {
        match split_front_matter(text) {
            Ok(parts) => parts,
            Err(msg) => {
                out.diags.push(
                    Diagnostic::new("front-matter", rel, At::Pos { line: 1, column: 1 }, msg)
                        .hint(m::front_matter_hint()),
                );
                return out;
            }
        }
    } else {
        (text, 0, "", 0)
    };
    let offset_lines = text[..offset].matches('\n').count();
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let unread = || {
        slips::ids_written(yaml_text, stem)
            .into_iter()
            .map(|id| (kind, id))
            .collect()
    };
    // A slip makes YAML read something else than was meant: it is the one problem to show.
    let found = slips::find(yaml_text);
    if !found.is_empty() {
        for s in found {
            let at = At::Pos {
                line: s.line + offset_lines,
                column: s.column,
            };
            out.diags
                .push(Diagnostic::new(s.code, rel, at, s.message).hint(s.hint));
        }
        out.unread = unread();
        return out;
    }
    let node = match yaml::parse(yaml_text) {
        Ok(n) => n,
        Err(e) => {
            out.unread = unread();
            out.diags.push(yaml_error(&e, rel, offset_lines));
            return out;
        }
    };

    let body = if body.contains('\r') {
        body.replace("\r\n", "\n")
    } else {
        body.to_string()
    };
    let mut diags = std::mem::take(&mut out.diags);
    let mut cx = Ctx {
        file: rel,
        diags: &mut diags,
    };
    let offset = offset as u32;
    let fc = FileCtx {
        kind,
        config,
        static_files,
    };
    // Room for exactly the records of the file: a quarter of a million files each keeping
    // the default room for four records cost a quarter of a gigabyte of fresh pages.
    out.records.reserve_exact(match &node {
        Node::Seq(items) => items.len(),
        _ => 1,
    });
    let parsed = Parsed {
        stem,
        is_md,
        offset,
        body: (body, body_line),
    };
    read_node(&fc, node, parsed, &mut cx, &mut out);
    out.diags = diags;
    out
}

/// A file's YAML that does not parse: where, and in the editor's words.
fn yaml_error(e: &yaml::YamlError, rel: &str, offset_lines: usize) -> Diagnostic {
    let (code, message, hint) = if let Some(key) = &e.duplicate_key {
        (
            "duplicate-key",
            m::duplicate_key(key),
            m::duplicate_key_hint(),
        )
    } else {
        (
            "yaml-syntax",
            m::yaml_syntax(slips::yaml_words(&e.message)),
            m::yaml_syntax_hint(),
        )
    };
    let at = match (e.line, e.column) {
        (Some(l), Some(c)) => At::Pos {
            line: l + offset_lines,
            column: c,
        },
        _ => At::Pos {
            line: offset_lines.max(1),
            column: 1,
        },
    };
    Diagnostic::new(code, rel, at, message).hint(hint)
}

/// What a file's YAML is besides its records' fields: the file's name without extension,
/// whether it is Markdown, where the YAML starts and the Markdown body with its first line.
struct Parsed<'a> {
    stem: &'a str,
    is_md: bool,
    offset: u32,
    body: (String, usize),
}

/// Reads the records of a file's parsed YAML: one mapping, a list of mappings (YAML files
/// only), or nothing above a Markdown body.
fn read_node(fc: &FileCtx, node: Node, parsed: Parsed, cx: &mut Ctx, out: &mut FileResult) {
    let Parsed {
        stem,
        is_md,
        offset,
        body,
    } = parsed;
    match node {
        Node::Map(entries) => {
            let yaml = YamlAt {
                offset,
                index: None,
            };
            read_one(fc, entries, yaml, Some(stem), body, cx, out);
        }
        Node::Seq(items) if !is_md && !items.is_empty() => {
            for (i, item) in items.into_iter().enumerate() {
                let yaml = YamlAt {
                    offset,
                    index: Some(i as u32),
                };
                match item {
                    Node::Map(entries) => {
                        read_one(fc, entries, yaml, None, (String::new(), 0), cx, out)
                    }
                    other => cx.diags.push(
                        Diagnostic::new(
                            "not-a-mapping",
                            cx.file,
                            yaml.field(vec![]),
                            m::not_a_mapping_entry(other.describe()),
                        )
                        .hint(m::not_a_mapping_entry_hint()),
                    ),
                }
            }
        }
        Node::Null if is_md => {
            let yaml = YamlAt {
                offset,
                index: None,
            };
            read_one(fc, Vec::new(), yaml, Some(stem), body, cx, out);
        }
        Node::Null | Node::Seq(_) if !is_md => cx.diags.push(
            Diagnostic::new(
                "empty-file",
                cx.file,
                At::Pos { line: 1, column: 1 },
                m::empty_file(),
            )
            .hint(m::empty_file_hint()),
        ),
        other => cx.diags.push(
            Diagnostic::new(
                "not-a-mapping",
                cx.file,
                YamlAt {
                    offset,
                    index: None,
                }
                .field(vec![]),
                m::not_a_mapping(other.describe()),
            )
            .hint(m::not_a_mapping_hint()),
        ),
    }
}

/// What stays the same for every record of one file (of one sheet, in a workbook).
#[derive(Clone, Copy)]
struct FileCtx<'a> {
    kind: Kind,
    config: &'a Config,
    static_files: &'a StaticFiles,
}

/// Reads one record's common fields (id, draft, body), then its kind's fields.
fn read_one(
    fc: &FileCtx,
    entries: Vec<(std::borrow::Cow<'_, str>, Node<'_>)>,
    yaml: YamlAt,
    stem: Option<&str>,
    (md_body, md_body_line): (String, usize),
    cx: &mut Ctx,
    out: &mut FileResult,
) {
    let (kind, config) = (fc.kind, fc.config);
    let mut f = Fields::new(entries, yaml, Vec::new());
    let before = cx.diags.len();
    let written_id = f.text(cx, "id");
    let id = match (&written_id, stem) {
        (Some(id), _) => {
            let id = id.trim().to_string();
            if !is_valid_id(&id) {
                cx.diags.push(
                    Diagnostic::new("invalid-id", cx.file, f.at("id"), m::invalid_id(&id))
                        .hint(m::invalid_id_hint()),
                );
            }
            id
        }
        (None, Some(stem)) => {
            if !is_valid_id(stem) {
                cx.diags.push(
                    Diagnostic::new(
                        "invalid-id",
                        cx.file,
                        At::Pos { line: 1, column: 1 },
                        m::invalid_file_id(stem),
                    )
                    .hint(m::invalid_file_id_hint()),
                );
            }
            stem.to_string()
        }
        (None, None) => {
            if !f.has("id") {
                f.missing_as(cx, "missing-id", "id", m::what_own_id());
            }
            String::new()
        }
    };
    let draft = f.boolean(cx, "draft").unwrap_or(false);
    let yaml_body = f.text(cx, "body");
    let (body, body_line) = match yaml_body {
        Some(b) if !md_body.trim().is_empty() => {
            cx.diags.push(
                Diagnostic::new("body-twice", cx.file, f.at("body"), m::body_twice())
                    .hint(m::body_twice_hint()),
            );
            (b, 0)
        }
        Some(b) => (b, 0),
        None => (md_body, md_body_line),
    };
    check_body_images(&body, body_line, &f, fc.static_files, cx);
    let meta = Meta {
        id,
        // Set by `load`, which numbers the files in order.
        file: 0,
        yaml,
        draft,
        body,
        body_line: body_line as u32,
        broken: false,
    };
    let mut rc = records::ReadCtx {
        cx: Ctx {
            file: cx.file,
            diags: cx.diags,
        },
        config,
    };
    let mut record = records::read(kind, f, meta, &mut rc);
    record.meta_mut().broken = cx.diags.len() > before;
    out.records.push(record);
}

/// Images in a body must be files of the site: one from another host would load something
/// from outside. Only bodies that show an image at all are parsed.
fn check_body_images(
    body: &str,
    body_line: usize,
    f: &Fields,
    static_files: &StaticFiles,
    cx: &mut Ctx,
) {
    if !(body.contains("![") || body.contains("<img") || body.contains("<IMG")) {
        return;
    }
    for (offset, src) in images(body) {
        let at = if body_line > 0 {
            let (l, c) = line_col(body, offset);
            At::Pos {
                line: body_line + l - 1,
                column: c,
            }
        } else {
            f.at("body")
        };
        if is_external(&src) {
            cx.diags.push(
                Diagnostic::new("external-image", cx.file, at, m::external_image(&src))
                    .hint(m::external_image_hint()),
            );
        } else if let Some(problem) = static_files.problem(&src) {
            cx.diags.push(
                Diagnostic::new(
                    "missing-static-file",
                    cx.file,
                    at,
                    m::image_problem(&src, problem),
                )
                .hint(m::static_hint()),
            );
        }
    }
}

/// The files under `static/`, read once, so that each photo or document reference is a set
/// lookup instead of a file-system call.
#[derive(Debug, Default, Clone)]
pub struct StaticFiles {
    files: HashSet<String>,
    /// Symbolic links under `static/` that lead outside the site folder, relative to
    /// `static/`: left out of `files`, so never copied or served.
    pub outside: Vec<String>,
    /// SVG files under `static/` that could run a script, relative to `static/`.
    pub active_svgs: Vec<String>,
}

impl StaticFiles {
    pub fn read(root: &Path) -> Self {
        let dir = root.join("static");
        let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let mut out = StaticFiles::default();
        let mut entries = WalkDir::new(&dir)
            .min_depth(1)
            .follow_links(true)
            .into_iter();
        while let Some(entry) = entries.next() {
            let Ok(e) = entry else { continue };
            let rel = relative(&dir, e.path());
            if e.path_is_symlink() && walk::leads_outside(&dir, &canonical, &rel) {
                if e.file_type().is_dir() {
                    entries.skip_current_dir();
                }
                out.outside.push(rel);
            } else if !e.file_type().is_dir() {
                if ends_with_svg(&rel) && std::fs::read(e.path()).is_ok_and(|b| is_active_svg(&b)) {
                    out.active_svgs.push(rel.clone());
                }
                out.files.insert(rel);
            }
        }
        out.outside.sort();
        out.active_svgs.sort();
        out
    }

    /// Every file, relative to `static/`, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &String> {
        self.files.iter()
    }

    /// Why `path` (relative to `static/`) is not a file of the site, or `None` when it is.
    pub fn problem(&self, path: &str) -> Option<Text> {
        let p = static_path(path);
        let p = p.split(['?', '#']).next().unwrap_or(p);
        if p.is_empty() || p.contains('\\') || p.split('/').any(|s| s == "..") {
            return Some(m::static_outside());
        }
        (!self.files.contains(p)).then(m::static_missing)
    }
}

fn ends_with_svg(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    lower.ends_with(".svg") || lower.ends_with(".svgz")
}

/// Whether an SVG holds what a browser would run when it is opened at its own address (on
/// the portal's origin): a script, an event handler attribute (`onload=`), a `javascript:`
/// link, or embedded HTML. Photos and drawings need none of these.
pub fn is_active_svg(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
    let b = text.as_bytes();
    let handler = b.windows(3).enumerate().any(|(i, w)| {
        let before = i.checked_sub(1).map(|j| b[j]);
        w[..2] == *b"on"
            && w[2].is_ascii_alphabetic()
            && before
                .is_some_and(|c| c.is_ascii_whitespace() || c == b'/' || c == b'"' || c == b'\'')
            && {
                let rest = &b[i + 2..];
                let name = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
                rest[name..].iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'=')
            }
    });
    handler
        || [
            "<script",
            "javascript:",
            "<foreignobject",
            "<iframe",
            "<embed",
            "<object",
            "<handler",
        ]
        .iter()
        .any(|t| text.contains(t))
}

/// A `document`, photo or image path as written, relative to `static/` (a leading `/` is
/// allowed): the one reading of such paths, for checking them and for linking to them.
pub fn static_path(path: &str) -> &str {
    path.trim().trim_start_matches('/')
}

fn is_external(src: &str) -> bool {
    let s = src.trim().to_ascii_lowercase();
    s.starts_with("http:")
        || s.starts_with("https:")
        || s.starts_with("//")
        || s.starts_with("ftp:")
}

/// Byte offsets and sources of the images in Markdown, raw HTML `<img>` included.
pub fn images(body: &str) -> Vec<(usize, String)> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(body, Options::all()).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                out.push((range.start, dest_url.to_string()));
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let lower = html.to_ascii_lowercase();
                let mut from = 0;
                while let Some(i) = lower[from..].find("<img") {
                    let tag_start = from + i;
                    let tag_end = lower[tag_start..]
                        .find('>')
                        .map_or(lower.len(), |e| tag_start + e);
                    if let Some(s) = lower[tag_start..tag_end].find("src=") {
                        let v = html[tag_start + s + 4..tag_end].trim_start_matches(['"', '\'']);
                        let v: String = v
                            .chars()
                            .take_while(|c| !matches!(c, '"' | '\'' | ' ' | '>'))
                            .collect();
                        out.push((range.start + tag_start, v));
                    }
                    from = tag_end;
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn config() -> Config {
        crate::config::parse("title = \"t\"\nbase_url = \"https://x.cn/\"\n[[categories]]\nslug = \"repair\"\nname = \"水电维修\"\n").unwrap()
    }

    /// Reads `bytes` as a file of `kind`, then locates and renders every problem found, as
    /// `shiji check` would.
    fn read_and_report(bytes: &[u8], name: &str, kind: Kind) {
        let rel = format!("content/{}/{name}", kind.key());
        let result = read_file(bytes, &rel, kind, &config(), &StaticFiles::default());
        let text = String::from_utf8_lossy(bytes);
        for d in &result.diags {
            if let At::Field(f) = &d.at {
                let (line, column) = crate::diagnostics::locate::field_position(&text, f);
                assert!(line >= 1 && column >= 1);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), md in any::<bool>()) {
            let name = if md { "x.md" } else { "x.yaml" };
            read_and_report(&bytes, name, Kind::Items);
        }

        #[test]
        fn yaml_like_text_never_panics(
            text in "(---\n)?([ -]{0,4}[a-z_]{0,9}:? ?[\\[\\]{}:,#'\"|>&*!a-z0-9\u{4e00}-\u{4e10} -]{0,20}\r?\n){0,12}(---\n)?[^\u{0}]{0,40}",
            kind in 0usize..8,
        ) {
            let kind = Kind::ALL[kind].0;
            read_and_report(text.as_bytes(), "x.md", kind);
            read_and_report(text.as_bytes(), "x.yaml", kind);
            let _ = split_front_matter(&text);
        }
    }

    #[test]
    fn front_matter_split() {
        let (fm, off, body, line) = split_front_matter("---\ntitle: a\n---\n正文\n").unwrap();
        assert_eq!((fm, off, body, line), ("title: a\n", 4, "正文\n", 4));
        let (fm, _, body, _) = split_front_matter("---\r\ntitle: a\r\n---\r\nx").unwrap();
        assert_eq!((fm, body), ("title: a\r\n", "x"));
        assert!(split_front_matter("title: a\n").is_err());
        assert!(split_front_matter("---\ntitle: a\n").is_err());
    }

    #[test]
    fn svgs_that_could_run_a_script() {
        for svg in [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
            "<svg><script>alert(1)</script></svg>",
            "<svg><a href=\"javascript:alert(1)\"><text>x</text></a></svg>",
            "<svg><image ONERROR = 'x'/></svg>",
            "<svg><foreignObject><iframe/></foreignObject></svg>",
        ] {
            assert!(is_active_svg(svg.as_bytes()), "{svg}");
        }
        for svg in [
            "<svg viewBox=\"0 0 1 1\"><path d=\"M0 0\"/><text>donation 2018</text></svg>",
            "<svg><g id=\"one\"/></svg>",
        ] {
            assert!(!is_active_svg(svg.as_bytes()), "{svg}");
        }
    }

    #[test]
    fn ignored_names() {
        for n in [".git", "_draft.md", "a.yaml~", "a.yaml.swp", "#a.md#"] {
            assert!(is_ignored(n), "{n}");
        }
        assert!(!is_ignored("a.yaml"));
    }

    #[test]
    fn images_in_markdown_and_html() {
        let body = "文字\n\n![a](https://cdn.example.com/x.png)\n\n<img src=\"http://x.cn/y.png\">\n\n![b](/photos/ok.png)\n[link](https://ok.example.com)\n";
        let found: Vec<String> = images(body).into_iter().map(|(_, s)| s).collect();
        assert_eq!(
            found,
            vec![
                "https://cdn.example.com/x.png",
                "http://x.cn/y.png",
                "/photos/ok.png"
            ]
        );
        assert!(is_external(&found[0]) && is_external(&found[1]) && !is_external(&found[2]));
    }
}
