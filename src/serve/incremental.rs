//! The rebuild of `serve`: the stages of `build`, each fed what it kept from the last good
//! build, so that an edit re-reads one file and re-renders only the pages that show it.
//!
//! What is kept: the records as read (with each file's own problems), and the last good
//! [`Prepared`] site with the ids of every page (for anchor checks). On a change:
//! - an edited record file is read again alone; a created or deleted one, a `static/` file
//!   that appeared or went, or site.toml, reads the content again (records are matched by id
//!   afterwards, so this still re-renders only what differs);
//! - edits of items, reports or evaluations that keep every id, reference and category (the
//!   common save) patch the good site in place ([`site::patch`]), mark what they changed
//!   ([`deps::patched`]) and render the pages near it that read a mark
//!   ([`deps::Near`], [`deps::reads_changed`]): at 100k items, tens of milliseconds;
//! - any other change resolves the records again in memory and loads the theme and templates
//!   again (a few files); [`deps::diff`] marks what differs between the old and the new site,
//!   and every route of both whose page reads a marked record or figure is rendered again; a
//!   changed page template re-renders its pages, any other template or the UI strings every
//!   page (about 2 s at 100k items).
//!
//! Nothing is kept until a rebuild succeeds: a problem leaves the last good site served (a
//! patch is undone) and the changed paths pending, so that the next rebuild compares against
//! that site.
//!
//! A patch publishes in two steps: first the pages near the edit, then the long lists and the
//! home page ([`Preview::render_later`]): a status or a final report changes figures that
//! every page of the item's category and every overdue page shows, hundreds of pages at 100k
//! items, and the item's own page need not wait for them. The open data files are made after
//! both ([`Preview::data_update`]).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::content::{self, Records};
use crate::diagnostics::{Diagnostic, Problems};
use crate::generate::{self, Prepared};
use crate::output::{MadeFile, data, feeds};
use crate::pages::kinds::site_data;
use crate::pages::{self, PageKind, Route, deps, links, page_count};
use crate::site;

/// One file to serve.
#[derive(Debug, Clone)]
pub enum Body {
    Bytes(axum::body::Bytes),
    /// A file of the site's `static/`, read when asked for (photos may be large).
    File(PathBuf),
}

/// What a rebuild changes in the served files.
#[derive(Debug, Default)]
pub struct Update {
    pub put: Vec<(String, Body)>,
    pub remove: Vec<String>,
    /// Pages rendered.
    pub pages: usize,
    /// Only stylesheets changed: the browser may swap them without a reload.
    pub css_only: bool,
    /// Made by patching the last good site (an edit that kept ids and references), not by
    /// resolving every record again.
    pub patched: bool,
    /// Only the pages put or removed show something new (a patch's steps): the other open
    /// pages need not reload. Otherwise a static file or a template may have changed any page.
    pub only_pages: bool,
}

impl Update {
    pub fn is_empty(&self) -> bool {
        self.put.is_empty() && self.remove.is_empty()
    }

    /// The paths, as served, of the pages put or removed: `/items/x/` for `items/x/index.html`.
    pub fn page_urls(&self) -> Vec<String> {
        let files = self.put.iter().map(|(f, _)| f).chain(&self.remove);
        files
            .filter(|f| f.ends_with(".html"))
            .map(|f| format!("/{}", f.strip_suffix("index.html").unwrap_or(f)))
            .collect()
    }

    /// Makes the served files those of the rebuilt site.
    pub fn apply(self, files: &mut HashMap<String, Body>) {
        for f in &self.remove {
            files.remove(f);
        }
        files.extend(self.put);
    }
}

/// The state kept between rebuilds.
pub struct Preview {
    root: PathBuf,
    base_url: String,
    read: Option<Read>,
    good: Option<Good>,
    /// Paths (relative to the root) changed since the last good build.
    dirty: HashSet<String>,
    /// The open data files of the good site are out of date: [`Preview::data_update`] makes
    /// them after the pages are served.
    data_stale: bool,
    /// Everything was read again since the last good build (site.toml, a record file or a
    /// static file appeared or went): the next rebuild resolves everything.
    reread: bool,
    /// Routes of the good site whose served pages are out of date until
    /// [`Preview::render_later`] renders them: the long lists and the home page a patch left
    /// for after the pages near the edit, in route order. The next rebuild renders those
    /// still waiting.
    later: Vec<usize>,
}

/// site.toml and the records as last read from disk, with the problems each file had.
struct Read {
    config: Config,
    records: Records,
    problems: Vec<Diagnostic>,
}

/// The last site that built without a problem.
struct Good {
    prepared: Prepared,
    /// Output file → the ids on that page.
    ids: links::PageIds,
}

impl Preview {
    /// Nothing built yet; the first [`Preview::rebuild`] builds everything.
    pub fn new(root: &Path, base_url: &str) -> Preview {
        Preview {
            root: root.to_path_buf(),
            base_url: base_url.to_string(),
            read: None,
            good: None,
            dirty: HashSet::new(),
            data_stale: false,
            reread: false,
            later: Vec::new(),
        }
    }

    /// Rebuilds after `paths` changed (relative to the root, `/`-separated); on success the
    /// files to serve anew, else every problem, with the last good site kept.
    pub fn rebuild(&mut self, paths: &[String]) -> Result<Update, Problems> {
        self.dirty.extend(paths.iter().cloned());
        let fail = |root: &Path, d: Vec<Diagnostic>| content::finish(root, d);
        self.read_changes(paths).map_err(|d| fail(&self.root, d))?;
        let read = self.read.as_ref().expect("read above");
        if !read.problems.is_empty() {
            return Err(fail(&self.root, read.problems.clone()));
        }
        if let Some(patched) = self.patch() {
            return patched.map_err(|d| fail(&self.root, d));
        }
        let read = self.read.as_ref().expect("read above");
        let mut new_site = site::resolve(read.records.clone(), read.config.clone(), true)
            .map_err(|d| fail(&self.root, d))?;
        generate::set_base_url(&mut new_site, &self.base_url);
        let mut next = Prepared::new(&self.root, Box::new(new_site), true, false, None)?;
        if !next.photo_problems.is_empty() {
            return Err(fail(&self.root, std::mem::take(&mut next.photo_problems)));
        }
        let plan = match &self.good {
            Some(good) => {
                let mut plan = plan(&good.prepared, &next, &self.dirty);
                // The pages a patch left for later are rendered now, with the rest.
                plan.render
                    .extend(same_pages(&good.prepared.routes, &self.later, &next.routes));
                plan.render.sort_unstable();
                plan.render.dedup();
                plan
            }
            None => Plan::everything(&next),
        };
        let (made, fresh, data_stale) =
            generated(self.good.as_ref().map(|g| &g.prepared), &next, &plan);
        next.generated = made;
        next.made = next.made_files();
        let rendered = Mutex::new(Vec::new());
        let empty = links::PageIds::default();
        let known = self.good.as_ref().map_or(&empty, |g| &g.ids);
        let (errors, new_ids) = next.render_routes(
            &plan.render,
            |file, bytes, _| {
                if let Ok(mut r) = rendered.lock() {
                    r.push((file.to_string(), bytes.to_vec()));
                }
                Ok(())
            },
            false,
            known,
        );
        if !errors.is_empty() {
            return Err(fail(&self.root, errors));
        }
        let mut update = Update {
            pages: plan.render.len(),
            ..Update::default()
        };
        let bytes = |b: Vec<u8>| Body::Bytes(b.into());
        for (file, b) in rendered.into_inner().unwrap_or_default() {
            update.put.push((file, bytes(b)));
        }
        for (path, contents) in &next.generated {
            if fresh.contains(path) {
                update.put.push((path.clone(), bytes(contents.clone())));
            }
        }
        update.remove = plan.remove;
        if let Some(g) = &self.good {
            let gone = g.prepared.generated.iter().map(|(p, _)| p);
            update
                .remove
                .extend(gone.filter(|p| !next.made.contains(*p)).cloned());
        }
        self.assets(&next, &mut update);
        update.css_only = update.pages == 0
            && !update.put.is_empty()
            && update.put.iter().all(|(p, _)| p.ends_with(".css"));
        let mut ids = self
            .good
            .as_mut()
            .map_or_else(links::PageIds::default, |g| std::mem::take(&mut g.ids));
        for f in &update.remove {
            ids.remove(f);
        }
        ids.extend(new_ids);
        let old = self.good.replace(Good {
            prepared: next,
            ids,
        });
        // Freeing a large site takes a while; the editor need not wait for it.
        std::thread::spawn(move || drop(old));
        self.dirty.clear();
        self.reread = false;
        self.later.clear();
        self.data_stale |= data_stale;
        Ok(update)
    }

    /// Renders the pages a patch left for later ([`is_later`]), a few at a time, giving up
    /// between two chunks as soon as `stop` says a newer change waits: what is rendered by
    /// then is returned, the rest waits for the next rebuild. `None` when no page waits. On a
    /// problem nothing is returned and every page still waits.
    pub fn render_later(&mut self, stop: data::Stop) -> Option<Result<Update, Problems>> {
        let good = self.good.as_mut()?;
        if self.later.is_empty() {
            return None;
        }
        let p = &good.prepared;
        let rendered = Mutex::new(Vec::new());
        let mut ids = links::PageIds::default();
        let mut done = 0;
        for chunk in self.later.chunks(LATER_CHUNK) {
            if stop() {
                break;
            }
            let (errors, new_ids) = p.render_routes(
                chunk,
                |file, bytes, _| {
                    if let Ok(mut r) = rendered.lock() {
                        r.push((file.to_string(), Body::Bytes(bytes.to_vec().into())));
                    }
                    Ok(())
                },
                false,
                &good.ids,
            );
            if !errors.is_empty() {
                return Some(Err(content::finish(&self.root, errors)));
            }
            ids.extend(new_ids);
            done += chunk.len();
        }
        self.later.drain(..done);
        good.ids.extend(ids);
        Some(Ok(Update {
            put: rendered.into_inner().unwrap_or_default(),
            pages: done,
            patched: true,
            only_pages: true,
            ..Update::default()
        }))
    }

    /// The open data files of the last good site, made again when a rebuild left them out of
    /// date: they hold every record, so making them takes longer than the pages an edit
    /// touches, and the editor's page need not wait for them. `None` when they are current,
    /// or when `stop` said to give up (a newer change waits; they stay out of date).
    pub fn data_update(&mut self, stop: data::Stop) -> Option<Update> {
        let good = self.good.as_mut()?;
        if !self.data_stale {
            return None;
        }
        let p = &good.prepared;
        let shared = p.page_source();
        let made = data::files_unless(&p.site, &p.index, &|key| shared.t(key), stop)?;
        self.data_stale = false;
        let mut update = Update::default();
        let mut fresh: HashMap<String, Vec<u8>> = made.into_iter().collect();
        for (path, contents) in &mut good.prepared.generated {
            if let Some(new) = fresh.remove(path.as_str())
                && *contents != new
            {
                update
                    .put
                    .push((path.clone(), Body::Bytes(new.clone().into())));
                *contents = new;
            }
        }
        Some(update)
    }

    /// The rebuild of edits that keep every id and reference, made by patching the good site
    /// in place ([`site::patch`]) instead of resolving every record again: only the routes of
    /// that site are asked whether they read what the patch marked. `None` when the changes
    /// since the last good build are not such edits: the full rebuild takes them. On a problem
    /// the good site is left as it was.
    fn patch(&mut self) -> Option<Result<Update, Vec<Diagnostic>>> {
        if self.reread {
            return None;
        }
        let (read, good) = (self.read.as_ref()?, self.good.as_mut()?);
        let mut swaps = Vec::new();
        for path in &self.dirty {
            if !path.starts_with("content/") {
                return None;
            }
            // Any other path under content/ is no record file (read_changes saw to that).
            let Some(f) = read.records.files.iter().position(|x| x == path) else {
                continue;
            };
            if good.prepared.site.files.get(f) != Some(path) {
                return None;
            }
            let records = site::patch::records_of(&read.records, f as u32);
            swaps.extend(site::patch::fit(&good.prepared.site, f as u32, records)?);
        }
        let p = &mut good.prepared;
        let old_overdue = p.index.overdue.clone();
        let old_years = pages::years(&p.site);
        let patched = match site::patch::apply(&mut p.site, swaps) {
            Ok(x) => x,
            Err(d) => return Some(Err(d)),
        };
        let old_categories = p.index.patch(&p.site, &patched);
        let ch = deps::patched(&p.site, &p.index, &patched, &old_overdue, &old_categories);
        // Only the number of overdue pages and the years with items can change the routes.
        let per = p.site.config.items_per_page;
        let old_routes = (page_count(old_overdue.len(), per)
            != page_count(p.index.overdue.len(), per)
            || old_years != pages::years(&p.site))
        .then(|| std::mem::replace(&mut p.routes, pages::routes(&p.site, &p.index)));
        let old_urls: Option<HashSet<String>> = old_routes
            .as_ref()
            .map(|r| r.iter().map(|r| r.url.clone()).collect());
        let near = deps::Near::of(&p.site, &p.index, &ch);
        let render: Vec<usize> = (0..p.routes.len())
            .into_par_iter()
            .filter(|&k| {
                let route = &p.routes[k];
                let asked = near.as_ref().is_none_or(|n| n.may_read(route.kind));
                (asked && deps::reads_changed(route, &p.site, &p.index, &ch))
                    || old_urls.as_ref().is_some_and(|u| !u.contains(&route.url))
            })
            .collect();
        let mut remove = Vec::new();
        // A year that came or went brings or takes its assessment CSV and workbook (open data,
        // made later).
        let year_csvs = |years: &[i32]| -> Vec<String> {
            years
                .iter()
                .flat_map(|&y| crate::pages::open_data::year_paths(y))
                .collect()
        };
        let (old_csvs, new_csvs) = (year_csvs(&old_years), year_csvs(&pages::years(&p.site)));
        if let Some(old) = &old_routes {
            let urls: HashSet<&str> = p.routes.iter().map(|r| r.url.as_str()).collect();
            remove = old
                .iter()
                .filter(|r| !urls.contains(r.url.as_str()))
                .map(|r| r.file())
                .chain(old_csvs.iter().filter(|f| !new_csvs.contains(f)).cloned())
                .collect();
        }
        // The long lists and the home page wait until the pages near the edit are served, with
        // those an earlier patch left for later and [`Preview::render_later`] did not render.
        let waiting = match &old_routes {
            Some(old) => same_pages(old, &self.later, &p.routes),
            None => self.later.clone(),
        };
        let (now, mut later): (Vec<usize>, Vec<usize>) =
            render.iter().partition(|&&k| !is_later(p.routes[k].kind));
        later.extend(waiting);
        later.sort_unstable();
        later.dedup();
        let rendered = Mutex::new(Vec::new());
        let made_before = old_routes.as_ref().map(|_| p.made.clone());
        if old_routes.is_some() {
            for f in &remove {
                p.made.remove(f);
            }
            p.made.extend(p.routes.iter().map(|r| r.file()));
            p.made.extend(new_csvs.iter().cloned());
        }
        let (errors, new_ids) = p.render_routes(
            &now,
            |file, bytes, _| {
                if let Ok(mut r) = rendered.lock() {
                    r.push((file.to_string(), bytes.to_vec()));
                }
                Ok(())
            },
            false,
            &good.ids,
        );
        if !errors.is_empty() {
            // Undone the same way it was done, so that the good site stays the one served.
            let undone = site::patch::apply(&mut p.site, patched.undo)
                .expect("the records as they were passed the checks");
            p.index.patch(&p.site, &undone);
            if let (Some(routes), Some(made)) = (old_routes, made_before) {
                p.routes = routes;
                p.made = made;
            }
            return Some(Err(errors));
        }
        let mut update = Update {
            pages: now.len(),
            patched: true,
            only_pages: true,
            ..Update::default()
        };
        let bytes = |b: Vec<u8>| Body::Bytes(b.into());
        for (file, b) in rendered.into_inner().unwrap_or_default() {
            update.put.push((file, bytes(b)));
        }
        for (path, text) in patched_generated(p, &now, old_routes.is_some()) {
            let text = text.into_bytes();
            match p.generated.iter_mut().find(|(x, _)| *x == path) {
                Some((_, old)) => old.clone_from(&text),
                None => p.generated.push((path.clone(), text.clone())),
            }
            update.put.push((path, bytes(text)));
        }
        for f in &remove {
            good.ids.remove(f);
        }
        // The new years' files are made with the open data ([`Preview::data_update`]).
        p.generated.retain(|(path, _)| !remove.contains(path));
        for f in new_csvs.into_iter().filter(|f| !old_csvs.contains(f)) {
            p.generated.push((f, Vec::new()));
        }
        update.remove = remove;
        good.ids.extend(new_ids);
        self.data_stale |= !render.is_empty();
        self.later = later;
        self.dirty.clear();
        Some(Ok(update))
    }

    /// Brings site.toml and the records up to date with the changed paths: one record file
    /// read again when it was edited, everything read again otherwise.
    fn read_changes(&mut self, paths: &[String]) -> Result<(), Vec<Diagnostic>> {
        let root = self.root.clone();
        let whole = match &self.read {
            None => true,
            Some(read) => paths.iter().any(|p| {
                p == config::FILE
                    || static_set_changed(&root, &read.records.static_files, p)
                    || (p.starts_with("content/") && content_set_changed(&root, &read.records, p))
            }),
        };
        if whole {
            // Until site.toml reads again, nothing read with the old one may be used.
            self.read = None;
            self.reread = true;
            let config = config::load(&root)?;
            let (records, problems) = content::load(&root, &config);
            self.read = Some(Read {
                config,
                records,
                problems,
            });
            return Ok(());
        }
        let read = self.read.as_mut().expect("checked above");
        for p in paths.iter().filter(|p| p.starts_with("content/")) {
            if let Some((records, problems)) = content::reload_file(
                &root,
                p,
                &read.config,
                &read.records.static_files,
                &read.records.names,
            ) {
                read.records.replace_file(p, records);
                read.problems.retain(|d| &d.file != p);
                read.problems.extend(problems);
            }
        }
        Ok(())
    }

    /// Puts the theme's static files that changed and the site's `static/` files that
    /// appeared or changed (served from disk, put again so that the browser is told).
    fn assets(&self, next: &Prepared, update: &mut Update) {
        let old = self.good.as_ref().map(|g| &g.prepared);
        for f in &next.theme.statics {
            let before = old.and_then(|o| o.theme.statics.iter().find(|x| x.name == f.name));
            if before.is_none_or(|b| b.bytes != f.bytes) {
                update
                    .put
                    .push((f.name.clone(), Body::Bytes(f.bytes.clone().into())));
            }
        }
        let static_dir = self.root.join("static");
        // A photo's copies are served as the original itself: serve processes no photo, so
        // that it shows one at once and never waits for one (the browser turns it upright
        // and scales it).
        let served = |p: &Prepared, rel: &String| -> Vec<String> {
            match p.photos.get(rel) {
                Some(plan) => plan
                    .copies
                    .iter()
                    .map(|c| c.rel.clone())
                    .chain([rel.clone()])
                    .collect(),
                None => vec![rel.clone()],
            }
        };
        for rel in next.site.static_files.iter() {
            let known = old.is_some_and(|o| o.site.static_files.problem(rel).is_none());
            if !known || self.dirty.contains(&format!("static/{rel}")) {
                for path in served(next, rel) {
                    update.put.push((path, Body::File(static_dir.join(rel))));
                }
            }
        }
        if let Some(o) = old {
            for rel in o.site.static_files.iter() {
                if next.site.static_files.problem(rel).is_some() {
                    update.remove.extend(served(o, rel));
                }
            }
        }
    }
}

/// Whether `path` under `content/` is a file that appeared or went, or a folder: a record
/// file that is only edited is read alone. A file that came and went (an editor's temporary
/// file) changes nothing.
fn content_set_changed(root: &Path, records: &Records, path: &str) -> bool {
    let full = root.join(path);
    let known = records.files.iter().any(|f| f == path);
    match std::fs::metadata(&full) {
        Ok(m) => m.is_dir() || !known,
        Err(_) => known || !path.contains('.'),
    }
}

/// Whether `path` is a file under `static/` that appeared or went.
fn static_set_changed(root: &Path, known: &content::StaticFiles, path: &str) -> bool {
    let Some(rel) = path.strip_prefix("static/") else {
        return path == "static";
    };
    let exists = root.join(path).is_file();
    exists != known.problem(rel).is_none() || root.join(path).is_dir()
}

/// A newer change waits at most for this many pages of [`Preview::render_later`] (tens of
/// milliseconds).
const LATER_CHUNK: usize = 16;

/// Whether a patch renders a page after the pages near the edit are served: a page of a long
/// list beyond its first (a category's, the overdue items'), or the home page, which lists
/// every community with its figures. At 100k items a category has a hundred pages and the
/// overdue list hundreds, each showing the list's figures or count, and the home page alone
/// takes as long to render as all the pages near an edit (a year's page, ranking every unit
/// and community, longer still); the first pages of the lists are
/// as cheap as the record's own and stay with it.
fn is_later(kind: PageKind) -> bool {
    match kind {
        PageKind::Home | PageKind::Year(_) => true,
        PageKind::Category { page, .. } | PageKind::Overdue { page } => page > 1,
        _ => false,
    }
}

/// The routes of `next` at the URLs of the routes `which` of `old` (those whose URL is gone
/// left out), in order.
fn same_pages(old: &[Route], which: &[usize], next: &[Route]) -> Vec<usize> {
    if which
        .iter()
        .all(|&k| next.get(k).is_some_and(|r| r.url == old[k].url))
    {
        return which.to_vec();
    }
    let by_url: HashMap<&str, usize> = next
        .iter()
        .enumerate()
        .map(|(k, r)| (r.url.as_str(), k))
        .collect();
    let mut out: Vec<usize> = which
        .iter()
        .filter_map(|&k| by_url.get(old[k].url.as_str()).copied())
        .collect();
    out.sort_unstable();
    out
}

/// The whole-site files a patch changes: the site's feed when an item's or unit's page was
/// rendered (it shows final reports with their items and units), a community's feed with its
/// first page, the sitemap when the routes changed.
fn patched_generated(
    p: &Prepared,
    render: &[usize],
    routes_changed: bool,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if routes_changed {
        out.push((
            "sitemap.xml".to_string(),
            crate::output::sitemap::sitemap(&p.site, &p.routes),
        ));
    }
    let kinds = || render.iter().map(|&k| p.routes[k].kind);
    if kinds().any(|k| matches!(k, PageKind::Item(_) | PageKind::Unit(_))) {
        out.push(feeds::site_feed(&p.site));
    }
    for kind in kinds() {
        if let PageKind::Community { idx, page: 1 } = kind {
            out.push(feeds::community_feed(&p.site, &p.index, idx as usize));
        }
    }
    out
}

/// Which routes of the new site to render, and which old files to drop.
struct Plan {
    render: Vec<usize>,
    remove: Vec<String>,
    /// The routes are those of the old site, in the same order.
    same_routes: bool,
    /// Every community feed changes (the site's title, say).
    all: bool,
}

impl Plan {
    fn everything(next: &Prepared) -> Plan {
        Plan {
            render: (0..next.routes.len()).collect(),
            remove: Vec::new(),
            same_routes: false,
            all: true,
        }
    }
}

/// The routes of `next` whose pages differ from those of `old`: those that read a record or
/// figure that changed (in either site), new ones, and those of changed templates.
fn plan(old: &Prepared, next: &Prepared, dirty: &HashSet<String>) -> Plan {
    let (mut o, mut n) = deps::diff((&old.site, &old.index), (&next.site, &next.index), dirty);
    let templates = changed_templates(old, next);
    let site_data = |p: &Prepared| serde_json::to_value(site_data(&p.site, &p.base, true)).ok();
    let all = templates.is_none()
        || old.theme.strings != next.theme.strings
        || site_data(old) != site_data(next)
        || old.site.config.items_per_page != next.site.config.items_per_page;
    if all {
        o.all = true;
        n.all = true;
    }
    let templates = templates.unwrap_or_default();
    let mut render: Vec<bool> = next
        .routes
        .par_iter()
        .map(|r| {
            templates.contains(r.kind.template())
                || deps::reads_changed(r, &next.site, &next.index, &n)
        })
        .collect();
    let old_hits: Vec<usize> = (0..old.routes.len())
        .into_par_iter()
        .filter(|&k| deps::reads_changed(&old.routes[k], &old.site, &old.index, &o))
        .collect();
    let same_routes = old.routes.len() == next.routes.len()
        && old
            .routes
            .iter()
            .zip(&next.routes)
            .all(|(a, b)| a.url == b.url);
    let mut remove = Vec::new();
    if same_routes {
        for k in old_hits {
            render[k] = true;
        }
    } else {
        let by_url: HashMap<&str, usize> = next
            .routes
            .iter()
            .enumerate()
            .map(|(k, r)| (r.url.as_str(), k))
            .collect();
        for k in old_hits {
            if let Some(&at) = by_url.get(old.routes[k].url.as_str()) {
                render[at] = true;
            }
        }
        let old_urls: HashSet<&str> = old.routes.iter().map(|r| r.url.as_str()).collect();
        for (k, r) in next.routes.iter().enumerate() {
            render[k] |= !old_urls.contains(r.url.as_str());
        }
        remove = old
            .routes
            .iter()
            .filter(|r| !by_url.contains_key(r.url.as_str()))
            .map(|r| r.file())
            .collect();
    }
    Plan {
        render: (0..render.len()).filter(|&k| render[k]).collect(),
        remove,
        same_routes,
        all,
    }
}

/// The templates whose pages must be rendered again, or `None` for every page: a template
/// that is not a page template of its own (base.html, components) is part of every page.
fn changed_templates(old: &Prepared, next: &Prepared) -> Option<HashSet<&'static str>> {
    let source = |p: &Prepared, name: &str| {
        p.theme
            .templates
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.bytes.clone())
    };
    let names: HashSet<&str> = old
        .theme
        .templates
        .iter()
        .chain(&next.theme.templates)
        .map(|t| t.name.as_str())
        .collect();
    let page_templates: HashSet<&'static str> =
        next.routes.iter().map(|r| r.kind.template()).collect();
    let mut out = HashSet::new();
    for name in names {
        if source(old, name) == source(next, name) {
            continue;
        }
        let quoted = format!("\"{name}\"");
        let used_by_others = next
            .theme
            .templates
            .iter()
            .any(|t| t.name != name && String::from_utf8_lossy(&t.bytes).contains(&quoted));
        match page_templates.get(name) {
            Some(&t) if !used_by_others => {
                out.insert(t);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// The whole-site files of `next` (those of `old` where nothing they show changed), the
/// paths of those made anew, and whether the open data files are out of date (then they keep
/// their old contents, a new one is empty, until [`Preview::data_update`]).
fn generated(
    old: Option<&Prepared>,
    next: &Prepared,
    plan: &Plan,
) -> (Vec<MadeFile>, HashSet<String>, bool) {
    let (Some(old), false) = (old, plan.all) else {
        let all = generate::whole_site_files(next);
        let fresh = all.iter().map(|(p, _)| p.clone()).collect();
        return (all, fresh, false);
    };
    let site = &next.site;
    let mut kept: HashSet<&str> = old.generated.iter().map(|(p, _)| p.as_str()).collect();
    let mut out = Vec::new();
    let mut made = HashSet::new();
    let mut fresh = |(path, text): (String, String)| {
        kept.remove(path.as_str());
        made.insert(path.clone());
        out.push((path, text.into_bytes()));
    };
    if !plan.same_routes {
        fresh((
            "sitemap.xml".to_string(),
            crate::output::sitemap::sitemap(site, &next.routes),
        ));
    }
    // The site's feed shows final reports with their items and units.
    let rendered_any =
        |kind: fn(PageKind) -> bool| plan.render.iter().any(|&k| kind(next.routes[k].kind));
    if rendered_any(|k| matches!(k, PageKind::Item(_) | PageKind::Unit(_)))
        || old.site.reports.len() != site.reports.len()
    {
        fresh(feeds::site_feed(site));
    }
    for &k in &plan.render {
        if let PageKind::Community { idx, page: 1 } = next.routes[k].kind {
            fresh(feeds::community_feed(site, &next.index, idx as usize));
        }
    }
    // Open data holds every record: any page to render means some record differs.
    let data_stale = !plan.render.is_empty() || !plan.same_routes;
    if data_stale {
        let before: HashSet<&str> = old.generated.iter().map(|(p, _)| p.as_str()).collect();
        for path in data::paths(site) {
            if !before.contains(path.as_str()) {
                fresh((path, String::new()));
            }
        }
    }
    let urls: HashSet<&str> = next.routes.iter().map(|r| r.url.as_str()).collect();
    for (path, text) in &old.generated {
        let community_gone = path
            .strip_suffix("feed.xml")
            .is_some_and(|page| page.starts_with("communities/") && !urls.contains(page));
        // A year's CSV and workbook go with its page.
        let year_gone = path
            .strip_prefix("data/")
            .and_then(|p| p.strip_suffix(".csv").or_else(|| p.strip_suffix(".xlsx")))
            .is_some_and(|y| y.starts_with("years/") && !urls.contains(format!("{y}/").as_str()));
        if kept.contains(path.as_str()) && !community_gone && !year_gone {
            out.push((path.clone(), text.clone()));
        }
    }
    out.sort();
    (out, made, data_stale)
}
