//! `shiji build`: every stage in order, the output written beside the old one and swapped in
//! only when complete.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostics::{At, Diagnostic, Problems};
use crate::html;
use crate::i18n::{Count, Text};
use crate::messages as m;
use crate::output::write::{Staging, photo_cache_dir};
use crate::output::{MadeFile, data, feeds, search, sitemap};
use crate::pages::kinds;
use crate::pages::{self, Index, Route, links};
use crate::photos;
use crate::render::{self, Renderer, theme};
use crate::site::Site;
use crate::{config, content, site};

/// What `shiji build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    /// Replaces `base_url` of site.toml (e.g. for a staging portal).
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Show a progress bar (on a terminal, for long builds).
    pub progress: bool,
}

/// What a build produced.
#[derive(Debug)]
pub struct Summary {
    pub records: usize,
    pub pages: usize,
    pub files: usize,
    pub unchanged: usize,
    pub seconds: f64,
    /// How long each stage took, in order (`shiji build --timings`).
    pub stages: Stages,
}

/// The seconds each stage of a build took, in order: where a large build's time goes.
#[derive(Debug)]
pub struct Stages {
    last: Instant,
    pub seconds: Vec<(&'static str, f64)>,
}

impl Stages {
    fn start() -> Stages {
        Stages {
            last: Instant::now(),
            seconds: Vec::new(),
        }
    }

    /// Ends the stage `name`: the time since the last one ended.
    fn end(&mut self, name: &'static str) {
        let now = Instant::now();
        self.seconds
            .push((name, now.duration_since(self.last).as_secs_f64()));
        self.last = now;
    }

    /// The seconds of stage `name`, if it ran.
    pub fn of(&self, name: &str) -> Option<f64> {
        self.seconds.iter().find(|(n, _)| *n == name).map(|s| s.1)
    }
}

/// Publishes the site under `url` instead of site.toml's `base_url`.
pub fn set_base_url(site: &mut Site, url: &str) {
    site.config.base_url = if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    };
}

/// Everything needed to render: the resolved site, theme, templates and route table.
pub struct Prepared {
    pub site: Box<Site>,
    pub theme: theme::Theme,
    pub renderer: Renderer,
    pub index: Index,
    pub routes: Vec<Route>,
    pub base: String,
    /// Files made from the whole site besides the pages (sitemap, robots.txt, feeds, data):
    /// path in the output and contents (text but for the assessment workbooks).
    pub generated: Vec<MadeFile>,
    /// The path in the output of every page and generated file.
    pub made: links::FileSet,
    /// Every photo under `static/` and its copies.
    pub photos: photos::Photos,
    /// The photos that cannot be read (they have no plan).
    pub photo_problems: Vec<Diagnostic>,
    /// The cache of processed photos, as read (empty for `check` and `serve`, which process
    /// nothing).
    pub photo_index: photos::cache::Index,
}

/// The first stages: records, theme, templates, routes. `base_url` replaces site.toml's;
/// `write` says the pages will be written (else they are only checked, and not minified).
pub fn prepare(
    root: &Path,
    drafts: bool,
    base_url: Option<&str>,
    write: bool,
) -> Result<Prepared, Problems> {
    prepare_timed(root, drafts, base_url, write, None, &mut Stages::start())
}

fn prepare_timed(
    root: &Path,
    drafts: bool,
    base_url: Option<&str>,
    write: bool,
    photo_cache: Option<&Path>,
    stages: &mut Stages,
) -> Result<Prepared, Problems> {
    let mut site = match load_site(root, drafts) {
        Outcome::Ok(site) => site,
        Outcome::Failed(report) => return Err(report),
    };
    stages.end("records");
    if let Some(url) = base_url {
        set_base_url(&mut site, url);
    }
    let mut prepared = Prepared::new(root, site, drafts, write, photo_cache)?;
    stages.end("theme and routes");
    prepared.generated = whole_site_files(&prepared);
    prepared.made = prepared.made_files();
    stages.end("feeds, sitemap, open data");
    Ok(prepared)
}

/// The stage whose time the summary line gives.
pub const STAGE_SEARCH: &str = "search index";

/// The files made from the whole site besides the pages: sitemap, robots.txt, feeds, open
/// data.
pub fn whole_site_files(p: &Prepared) -> Vec<MadeFile> {
    // Each on its own core: at 100k items they took 1.4 s one after the other.
    let ((sitemap_xml, feeds), data) = rayon::join(
        || {
            rayon::join(
                || sitemap::sitemap(&p.site, &p.routes),
                || feeds::feeds(&p.site, &p.index),
            )
        },
        || p.data_files(),
    );
    let mut generated = vec![
        ("sitemap.xml".to_string(), sitemap_xml.into_bytes()),
        (
            "robots.txt".to_string(),
            sitemap::robots(&p.site).into_bytes(),
        ),
    ];
    generated.extend(
        feeds
            .into_iter()
            .map(|(path, text)| (path, text.into_bytes())),
    );
    generated.extend(data);
    generated
}

impl Prepared {
    /// Theme, templates, routes and photos for a resolved site; `generated` and `made` are
    /// left empty for the caller, which may make all of them or only those a change affects.
    /// `photo_cache`: the cache folder of a build, which processes photos; without one, the
    /// photos' sizes are read from the default output's cache or the files' headers.
    pub fn new(
        root: &Path,
        site: Box<Site>,
        drafts: bool,
        write: bool,
        photo_cache: Option<&Path>,
    ) -> Result<Prepared, Problems> {
        let fail = |diags: Vec<Diagnostic>| content::finish(root, diags);
        let (photo_index, hash) = match photo_cache {
            Some(dir) => (photos::cache::Index::read(dir), true),
            None => (
                photo_cache_dir(&root.join("public"))
                    .map(|dir| photos::cache::Index::read(&dir))
                    .unwrap_or_default(),
                false,
            ),
        };
        let (photos, photo_problems) = photos::plan(
            root,
            &site.static_files,
            site.config.publish_originals,
            &photo_index,
            hash,
        );

        let theme = theme::load(root, &site.config).map_err(fail)?;
        let base = config::base_path(&site.config.base_url);
        let site_data = kinds::site_data(&site, &base, drafts);
        let renderer =
            Renderer::new(&theme, &site_data, write && site.config.minify).map_err(fail)?;
        let index = Index::new(&site);
        let routes = pages::routes(&site, &index);
        Ok(Prepared {
            site,
            theme,
            renderer,
            index,
            routes,
            base,
            generated: Vec::new(),
            made: links::FileSet::default(),
            photos,
            photo_problems,
            photo_index,
        })
    }

    /// What every page's context is built from.
    pub(crate) fn page_source(&self) -> kinds::PageSource<'_> {
        kinds::PageSource {
            site: &self.site,
            index: &self.index,
            strings: &self.theme.strings,
            base: &self.base,
            photos: &self.photos,
            qr: (0..self.site.communities.len())
                .map(|_| OnceLock::new())
                .collect(),
            rows: (0..self.site.items.len())
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    /// The open data files under `data/` (they name statuses and unit types in the site's
    /// language, hence the UI strings).
    pub fn data_files(&self) -> Vec<MadeFile> {
        let shared = self.page_source();
        data::files(&self.site, &self.index, &|key| shared.t(key))
    }

    /// The path in the output of every page and generated file.
    pub fn made_files(&self) -> links::FileSet {
        self.routes
            .iter()
            .map(Route::file)
            .chain(self.generated.iter().map(|(path, _)| path.clone()))
            .collect()
    }

    /// The files the build copies: the theme's and the site's static files, of photos their
    /// copies (and the original only when it is published).
    pub fn assets(&self) -> links::FileSet {
        let theme = self.theme.statics.iter().map(|f| f.name.clone());
        let statics = self
            .site
            .static_files
            .iter()
            .filter(|rel| self.photos.copies_as_is(rel))
            .cloned();
        let photos = self.photos.outputs().map(str::to_string);
        theme.chain(statics).chain(photos).collect()
    }

    /// Renders every page and hands it to `sink` (file, bytes, the page's tags); checks every
    /// internal link and anchor. Returns every problem, each once.
    pub fn render_all(
        &self,
        sink: impl Fn(&str, &[u8], &[html::Token]) -> Result<(), Diagnostic> + Sync,
        progress: bool,
    ) -> Vec<Diagnostic> {
        let all: Vec<usize> = (0..self.routes.len()).collect();
        self.render_routes(&all, sink, progress, &links::PageIds::default())
            .0
    }

    /// Renders the routes at the positions `which` (for `serve`, the pages a change affects)
    /// and checks their links; an anchor on a page not rendered now is looked up in `known`
    /// (output file → its ids). Returns every problem, each once, and the ids of the pages
    /// rendered.
    pub fn render_routes(
        &self,
        which: &[usize],
        sink: impl Fn(&str, &[u8], &[html::Token]) -> Result<(), Diagnostic> + Sync,
        progress: bool,
        known: &links::PageIds,
    ) -> (Vec<Diagnostic>, links::PageIds) {
        let mut shared = self.page_source();
        let assets = self.assets();
        let targets = links::Targets {
            base: &self.base,
            files: [&self.made, &assets],
        };
        let bar = progress_bar(progress && which.len() > 2000, which.len(), "pages");
        type PageResult = (
            Vec<Diagnostic>,
            Vec<(&'static str, links::Broken)>,
            (&'static str, Vec<(String, String, String)>),
            Option<(String, FxHashSet<String>)>,
        );
        let results: Vec<PageResult> = which
            .par_iter()
            .map(|&k| {
                let route = &self.routes[k];
                let file = route.file();
                let mut pending = Vec::new();
                let out = match kinds::render(&self.renderer, &shared, route).and_then(|bytes| {
                    // One reading of the page's tags serves the link check and the sink
                    // (the search index).
                    let page = render::text(&bytes);
                    // Pages hold about one token per ten bytes: sized once, never regrown.
                    let mut tokens = Vec::with_capacity(page.len() / 8);
                    tokens.extend(html::tokens(&page));
                    sink(&file, &bytes, &tokens)?;
                    let scan = links::scan(&tokens);
                    let broken = links::check_page(&targets, &file, &scan, &mut pending);
                    let ids: FxHashSet<String> =
                        scan.ids.into_iter().map(Cow::into_owned).collect();
                    Ok((broken, ids))
                }) {
                    Err(d) => (vec![d], Vec::new(), (route.kind.template(), pending), None),
                    Ok((broken, ids)) => {
                        let broken = broken
                            .into_iter()
                            .map(|b| (route.kind.template(), b))
                            .collect();
                        (
                            Vec::new(),
                            broken,
                            (route.kind.template(), pending),
                            Some((file, ids)),
                        )
                    }
                };
                if let Some(b) = &bar {
                    b.inc(1);
                }
                out
            })
            .collect();
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        drop_aside(std::mem::take(&mut shared.rows));
        let mut errors = Vec::new();
        let mut broken = Vec::new();
        let mut pending = Vec::new();
        let mut ids = links::PageIds::default();
        ids.reserve(results.len());
        for (d, b, p, i) in results {
            errors.extend(d);
            broken.extend(b);
            pending.push(p);
            ids.extend(i);
        }
        // Anchors on other pages, now that every page's ids are known.
        for (template, page_pending) in pending {
            let has_id = |file: &str, id: &str| {
                ids.get(file)
                    .or_else(|| known.get(file))
                    .is_some_and(|set| set.contains(id))
            };
            broken.extend(
                links::check_pending(&page_pending, has_id)
                    .into_iter()
                    .map(|b| (template, b)),
            );
        }
        errors.extend(broken_links(broken));
        // One broken template fails every page the same way: report each problem once.
        errors.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
        errors.dedup_by(|a, b| a.file == b.file && a.message == b.message && a.at == b.at);
        (errors, ids)
    }
}

/// Broken links as problems: one per template and link, naming the first page that has it,
/// since a link in a template breaks on every page it renders.
fn broken_links(mut broken: Vec<(&'static str, links::Broken)>) -> Vec<Diagnostic> {
    broken.sort_by(|a, b| (a.0, &a.1.link, &a.1.page).cmp(&(b.0, &b.1.link, &b.1.page)));
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut i = 0;
    while i < broken.len() {
        let (template, first) = &broken[i];
        let n = broken[i..]
            .iter()
            .take_while(|(t, b)| t == template && b.link == first.link)
            .count();
        // The file name is the same in both languages; the count of pages goes in English.
        let pages = if n > 1 {
            m::more_pages(Count {
                n: n - 1,
                one: "page",
                many: "pages",
                zh: "个页面",
            })
            .en
        } else {
            String::new()
        };
        out.push(
            Diagnostic::new(
                "broken-link",
                &format!("{}{pages}", first.page),
                At::File,
                m::broken_link(&first.link, first.why.clone()),
            )
            .hint(m::broken_link_hint(template)),
        );
        i += n;
    }
    out
}

/// A site that passed every check, or every problem found.
pub enum Outcome {
    Ok(Box<Site>),
    Failed(Problems),
}

/// Checks the site under `root` as a normal build would (drafts left out): records,
/// templates, every internal link of every page, static files that clash with made files,
/// and photos that cannot be read. Writes nothing.
pub fn check(root: &Path) -> Outcome {
    let prepared = match prepare(root, false, None, false) {
        Ok(p) => p,
        Err(report) => return Outcome::Failed(report),
    };
    let mut errors = prepared.render_all(|_, _, _| Ok(()), false);
    let mut statics: Vec<&String> = prepared.site.static_files.iter().collect();
    statics.sort();
    let search = prepared.site.config.search_enabled;
    errors.extend(
        statics
            .into_iter()
            .filter(|rel| clashes(rel, &[&prepared.made], &prepared.theme, search))
            .map(|rel| static_conflict(rel, rel)),
    );
    errors.extend(prepared.photo_problems.iter().cloned());
    if errors.is_empty() {
        Outcome::Ok(prepared.site)
    } else {
        Outcome::Failed(content::finish(root, errors))
    }
}

/// The first two stages, shared by every command that needs a site.
pub fn load_site(root: &Path, drafts: bool) -> Outcome {
    let config = match config::load(root) {
        Ok(c) => c,
        Err(diags) => return Outcome::Failed(content::finish(root, diags)),
    };
    let (records, mut diags) = content::load(root, &config);
    // Cross-record checks on a partly broken set would mostly repeat the same mistakes, but
    // they are still run so that one pass shows every independent problem.
    match site::resolve(records, config, drafts) {
        Ok(site) if diags.is_empty() => Outcome::Ok(Box::new(site)),
        Ok(_) => Outcome::Failed(content::finish(root, diags)),
        Err(more) => {
            diags.extend(more);
            Outcome::Failed(content::finish(root, diags))
        }
    }
}

/// Builds the site; on any problem, every problem found and the old output untouched.
pub fn build(opts: &BuildOptions) -> Result<Summary, Problems> {
    let started = Instant::now();
    let fail = |diags: Vec<Diagnostic>| content::finish(&opts.root, diags);
    if let Some(problem) = output_problem(&opts.root, &opts.output) {
        return Err(fail(vec![
            Diagnostic::new("output", &opts.output.to_string_lossy(), At::File, problem)
                .hint(m::output_own_hint()),
        ]));
    }
    let mut stages = Stages::start();
    // Beside the output, like the spare tree; an output without a UTF-8 name is refused by
    // `Staging::new` below.
    let photo_dir = photo_cache_dir(&opts.output).unwrap_or_else(|| opts.output.join(".."));
    let mut prepared = prepare_timed(
        &opts.root,
        opts.drafts,
        opts.base_url.as_deref(),
        true,
        Some(&photo_dir),
        &mut stages,
    )?;
    let staging =
        Staging::new(&opts.output).map_err(|e| fail(vec![io_problem(&opts.output, &e)]))?;
    let write = |file: &str, bytes: &[u8]| {
        staging
            .write(file, bytes)
            .map_err(|e| io_problem(&opts.output, &e))
    };
    // The search index takes each indexed page's text as the page is written, in whichever
    // order the pages render, and numbers them in route order afterwards (the index is the
    // same from build to build).
    let indexed: FxHashMap<String, usize> = match prepared.site.config.search_enabled {
        true => prepared
            .routes
            .iter()
            .filter(|r| r.kind.indexed())
            .enumerate()
            .map(|(i, r)| (r.file(), i))
            .collect(),
        false => FxHashMap::default(),
    };
    let docs: Vec<OnceLock<search::Doc>> = (0..indexed.len()).map(|_| OnceLock::new()).collect();
    // Photos not in the cache are processed on the cores the pages leave (a page takes
    // microseconds, a photo a good part of a second).
    let (mut errors, processed) = rayon::join(
        || {
            prepared.render_all(
                |file, bytes, tokens| {
                    write(file, bytes)?;
                    if let Some(&i) = indexed.get(file)
                        && let Some(doc) = search::page_doc(tokens)
                    {
                        let _ = docs[i].set(doc);
                    }
                    Ok(())
                },
                opts.progress,
            )
        },
        || process_photos(&opts.root, &photo_dir, &prepared.photos, opts.progress),
    );
    stages.end("pages and photos");
    errors.extend(keep_photos(&mut prepared, &photo_dir, processed));
    errors.extend(std::mem::take(&mut prepared.photo_problems));
    let mut index = Vec::new();
    if prepared.site.config.search_enabled && errors.is_empty() {
        let docs: Vec<(String, search::Doc)> = prepared
            .routes
            .iter()
            .filter(|r| r.kind.indexed())
            .zip(docs)
            .filter_map(|(r, doc)| Some((r.url.clone(), doc.into_inner()?)))
            .collect();
        index = search::build(&docs);
        drop_aside(docs);
        stages.end(STAGE_SEARCH);
    }
    let index_paths: links::FileSet = index.iter().map(|(path, _)| path.clone()).collect();
    errors.extend(write_assets(
        opts,
        &prepared,
        &photo_dir,
        &staging,
        [&prepared.made, &index_paths],
    ));
    if !errors.is_empty() {
        return Err(fail(errors));
    }
    stages.end("static files");
    // In parallel: at 100k items these are over 100,000 files (the search index's fragments
    // above all), and creating a file is mostly waiting on the file system.
    let generated: Vec<(&String, &[u8])> = prepared
        .generated
        .iter()
        .map(|(path, bytes)| (path, bytes.as_slice()))
        .chain(index.iter().map(|(path, bytes)| (path, bytes.as_slice())))
        .collect();
    let errors: Vec<Diagnostic> = generated
        .par_iter()
        .filter_map(|(path, bytes)| staging.write(path, bytes).err())
        .map(|e| io_problem(&opts.output, &e))
        .collect();
    if !errors.is_empty() {
        return Err(fail(errors));
    }
    stages.end("feeds, data and index written");
    let (files, unchanged) = staging.counts();
    staging
        .commit()
        .map_err(|e| fail(vec![io_problem(&opts.output, &e)]))?;
    stages.end("old files removed, output swapped in");
    let summary = Summary {
        records: prepared.site.record_count(),
        pages: prepared.routes.len(),
        files,
        unchanged,
        seconds: started.elapsed().as_secs_f64(),
        stages,
    };
    drop_aside(prepared);
    Ok(summary)
}

/// What processing the photos gave: each photo made, by key, and the problems.
type Processed = (Vec<(u128, photos::cache::Done)>, Vec<Diagnostic>);

/// Processes the photos the cache does not hold, with a progress bar counting them.
fn process_photos(root: &Path, dir: &Path, all: &photos::Photos, progress: bool) -> Processed {
    let mut todo: Vec<&photos::Plan> = all.plans.values().filter(|p| p.todo).collect();
    if todo.is_empty() {
        return (Vec::new(), Vec::new());
    }
    todo.sort_by(|a, b| a.rel.cmp(&b.rel));
    let bar = progress_bar(progress && todo.len() > 10, todo.len(), "photos");
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let out = photos::process::run(&root.join("static"), dir, &todo, &tick);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    out
}

/// Enters the photos just processed in the cache's index and writes it, keeping in the cache
/// only the copies of the site's photos as they are now. Returns the problems of processing.
fn keep_photos(prepared: &mut Prepared, dir: &Path, processed: Processed) -> Vec<Diagnostic> {
    let (done, problems) = processed;
    let index = &mut prepared.photo_index;
    for (key, d) in done {
        index.insert(key, d);
    }
    let mut keep = FxHashMap::default();
    for plan in prepared.photos.plans.values() {
        if index.has(plan.key) {
            index.know(&plan.rel, plan.stamp, plan.key);
            keep.insert(plan.rel.clone(), plan.key);
        }
    }
    index.retain(dir, &keep);
    // Best effort: without an index, the next build reads and hashes every photo again.
    if !keep.is_empty() || dir.exists() {
        let _ = std::fs::create_dir_all(dir).and_then(|()| index.save(dir));
    }
    problems
}

/// Frees `value` on a thread of its own. A large site's records, item rows and search
/// documents are millions of small allocations: freeing them took the build's one thread
/// about a second at 100k items, with the other core idle.
fn drop_aside<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// The theme's static files (the stylesheet minified), the site's `static/` folder, and the
/// copies of its photos from the cache `photo_dir`.
fn write_assets(
    opts: &BuildOptions,
    prepared: &Prepared,
    photo_dir: &Path,
    staging: &Staging,
    made: [&links::FileSet; 2],
) -> Vec<Diagnostic> {
    let (site, theme) = (&prepared.site, &prepared.theme);
    let (photos, photo_index) = (&prepared.photos, &prepared.photo_index);
    let mut errors = Vec::new();
    for f in &theme.statics {
        let bytes = if site.config.minify && f.name.ends_with(".css") {
            render::minify_css(&f.bytes)
        } else {
            f.bytes.clone()
        };
        if let Err(e) = staging.write(&f.name, &bytes) {
            errors.push(io_problem(&opts.output, &e));
        }
    }
    let static_dir = opts.root.join("static");
    let mut files: Vec<&String> = site
        .static_files
        .iter()
        .filter(|rel| photos.copies_as_is(rel))
        .collect();
    files.sort();
    let made_here = |rel: &str| clashes(rel, &made, theme, false);
    errors.extend(
        files
            .par_iter()
            .filter_map(|rel| {
                if made_here(rel) {
                    return Some(static_conflict(rel, rel));
                }
                staging
                    .copy(rel, &static_dir.join(rel))
                    .err()
                    .map(|e| io_problem(&opts.output, &e))
            })
            .collect::<Vec<_>>(),
    );
    // Each photo's copies, from the cache. A copy may not take the place of a file made or
    // copied, nor of another photo's copy.
    let as_is: HashSet<&str> = files.iter().map(|r| r.as_str()).collect();
    let mut plans: Vec<&photos::Plan> = photos.plans.values().collect();
    plans.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut copies = Vec::new();
    let mut claimed: HashSet<&str> = HashSet::new();
    for plan in plans {
        // A photo that failed to process is a problem already.
        let Some(hashes) = photo_index.hashes(plan.key) else {
            continue;
        };
        for (copy, hash) in plan.copies.iter().zip(hashes) {
            let rel = copy.rel.as_str();
            if made_here(rel) || (as_is.contains(rel) && rel != plan.rel) || !claimed.insert(rel) {
                errors.push(static_conflict(&plan.rel, rel));
                continue;
            }
            let from = photos::cache::copy_path(photo_dir, plan.key, copy.width, plan.format);
            copies.push((rel, from, *hash));
        }
    }
    errors.extend(
        copies
            .par_iter()
            .filter_map(|(rel, from, hash)| staging.copy_hashed(rel, from, *hash).err())
            .map(|e| io_problem(&opts.output, &e))
            .collect::<Vec<_>>(),
    );
    errors
}

/// Whether `rel` is also a file shiji makes: a page or generated file of `made`, a file of
/// the theme, or (with `search_folder`, for `check`, which makes no index) any file under
/// `search-index/`.
fn clashes(rel: &str, made: &[&links::FileSet], theme: &theme::Theme, search_folder: bool) -> bool {
    made.iter().any(|m| m.contains(rel))
        || theme.statics.iter().any(|f| f.name == rel)
        || (search_folder && rel.starts_with(search::DIR))
}

/// The file `static/{rel}` would be published at `out`, where shiji puts another file.
fn static_conflict(rel: &str, out: &str) -> Diagnostic {
    let message = match rel == out {
        true => m::static_conflict(rel),
        false => m::photo_copy_conflict(out),
    };
    Diagnostic::new(
        "static-conflict",
        &format!("static/{rel}"),
        At::File,
        message,
    )
    .hint(m::static_conflict_hint())
}

fn io_problem(output: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        "output",
        &output.to_string_lossy(),
        At::File,
        m::output_write(e.to_string()),
    )
    .hint(m::output_write_hint())
}

/// Why `output` must not be used: it would swallow the site's own files.
fn output_problem(root: &Path, output: &Path) -> Option<Text> {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (root, out) = (abs(root), abs(output));
    if root.starts_with(&out) {
        return Some(m::output_is_site());
    }
    for own in ["content", "static", "templates", "themes"] {
        if out.starts_with(root.join(own)) {
            return Some(m::output_inside(own));
        }
    }
    None
}

/// A progress bar of `len` `what` (pages, photos), when `show`. The bars of one build are
/// drawn together, one line each.
fn progress_bar(show: bool, len: usize, what: &str) -> Option<indicatif::ProgressBar> {
    static BARS: std::sync::LazyLock<indicatif::MultiProgress> =
        std::sync::LazyLock::new(indicatif::MultiProgress::new);
    show.then(|| {
        let bar = BARS.add(indicatif::ProgressBar::new(len as u64));
        let template = format!("{{bar:40}} {{pos}}/{{len}} {what} {{elapsed}}");
        if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
            bar.set_style(style);
        }
        bar
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_must_not_swallow_the_site() {
        let root = Path::new("/srv/site");
        assert!(output_problem(root, Path::new("/srv/site")).is_some());
        assert!(output_problem(root, Path::new("/srv")).is_some());
        assert!(output_problem(root, Path::new("/srv/site/content/out")).is_some());
        assert!(output_problem(root, Path::new("/srv/site/public")).is_none());
        assert!(output_problem(root, Path::new("/tmp/out")).is_none());
    }
}
