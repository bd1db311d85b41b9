//! What each page reads, so that a changed record re-renders only the pages that show it.
//!
//! A [`Changed`] marks, in the index space of one version of the site, the records and the
//! figures that differ from another version ([`diff`]), or what a patch of the site changed
//! ([`patched`]). [`reads_changed`] says whether a route's page reads any of them; it mirrors
//! `pages::kinds`, one module per page kind, kind by kind (a new page kind fails to compile
//! here until its reads are written down). After a full resolve `serve` asks it of every route
//! of the new site and of the old one, so a record that left a list (an item moved to another
//! community) re-renders the page it left as well; after a patch, only of the pages [`Near`]
//! leaves.

use std::collections::HashSet;

use super::kinds::{page_range, page_slice};
use crate::content::records::{Meta, Party};
use crate::site::Site;
use crate::site::patch::Patched;
use crate::site::stats::Scope;

use super::{Index, PageKind, Route};

/// Records and figures of one version of the site that differ from another version.
#[derive(Debug, Clone, Default)]
pub struct Changed {
    /// Everything: the theme, site.toml or the data every page shares changed.
    pub all: bool,
    pub streets: Vec<bool>,
    pub communities: Vec<bool>,
    pub units: Vec<bool>,
    pub agreements: Vec<bool>,
    pub items: Vec<bool>,
    pub reports: Vec<bool>,
    pub evaluations: Vec<bool>,
    pub pages: Vec<bool>,
    /// Figures, by scope.
    pub street_totals: Vec<bool>,
    pub community_totals: Vec<bool>,
    pub unit_totals: Vec<bool>,
    pub category_totals: Vec<bool>,
    pub district_totals: bool,
    pub site_totals: bool,
    /// Units were added, removed or reordered: the paginated list of units shifts.
    pub unit_list: bool,
    /// The overdue items, or their order, differ: the paginated overdue list shifts.
    pub overdue_list: bool,
    /// Per category, the positions of its list of items that differ (an item's claim date
    /// moved it): the pages over them shift.
    pub category_moved: Vec<Option<(usize, usize)>>,
}

impl Changed {
    /// Nothing changed yet, sized for `site`.
    pub fn none(site: &Site) -> Changed {
        let n = |len: usize| vec![false; len];
        Changed {
            all: false,
            streets: n(site.streets.len()),
            communities: n(site.communities.len()),
            units: n(site.units.len()),
            agreements: n(site.agreements.len()),
            items: n(site.items.len()),
            reports: n(site.reports.len()),
            evaluations: n(site.evaluations.len()),
            pages: n(site.pages.len()),
            street_totals: n(site.streets.len()),
            community_totals: n(site.communities.len()),
            unit_totals: n(site.units.len()),
            category_totals: n(site.config.categories.len()),
            district_totals: false,
            site_totals: false,
            unit_list: false,
            overdue_list: false,
            category_moved: vec![None; site.config.categories.len()],
        }
    }

    /// Whether anything at all is marked.
    pub fn any(&self) -> bool {
        let any = |v: &[bool]| v.iter().any(|&b| b);
        self.all
            || self.district_totals
            || self.site_totals
            || self.unit_list
            || self.overdue_list
            || self.category_moved.iter().any(Option::is_some)
            || [
                &self.streets,
                &self.communities,
                &self.units,
                &self.agreements,
                &self.items,
                &self.reports,
                &self.evaluations,
                &self.pages,
                &self.street_totals,
                &self.community_totals,
                &self.unit_totals,
                &self.category_totals,
            ]
            .iter()
            .any(|v| any(v))
    }
}

/// What is changed between `old` and `new`, in each one's index space, given the record files
/// that were read again (`dirty`, relative to the site root). Records are matched by id; a
/// record without a match on the other side counts as changed on its own side. The indexes
/// are each site's own (for the overdue lists they already hold).
pub fn diff(
    (old, old_ix): (&Site, &Index),
    (new, new_ix): (&Site, &Index),
    dirty: &HashSet<String>,
) -> (Changed, Changed) {
    let (mut o, mut n) = (Changed::none(old), Changed::none(new));
    // A changed folder (renamed, say) changes every file under it.
    let is_dirty = |f: &String| {
        dirty.contains(f)
            || dirty.iter().any(|d| {
                f.strip_prefix(d.as_str())
                    .is_some_and(|r| r.starts_with('/'))
            })
    };
    let in_dirty = |site: &Site| -> Vec<bool> { site.files.iter().map(is_dirty).collect() };
    let (dirty_old, dirty_new) = (in_dirty(old), in_dirty(new));
    macro_rules! kind {
        ($field:ident) => {{
            let pairs = pair(
                old.$field.iter().map(|x| &x.meta),
                new.$field.iter().map(|x| &x.meta),
            );
            mark_files(
                old.$field.iter().map(|x| &x.meta),
                &dirty_old,
                &mut o.$field,
            );
            mark_files(
                new.$field.iter().map(|x| &x.meta),
                &dirty_new,
                &mut n.$field,
            );
            link(&pairs, &mut o.$field, &mut n.$field);
            pairs
        }};
    }
    let streets = kind!(streets);
    let communities = kind!(communities);
    let units = kind!(units);
    kind!(agreements);
    let items = kind!(items);
    let reports = kind!(reports);
    kind!(evaluations);
    kind!(pages);

    // Derived values of items: status, overdue and their reports.
    for (ni, oi) in items.iter().enumerate() {
        let Some(oi) = *oi else { continue };
        let oi = oi as usize;
        let same_reports = old.item_reports[oi].len() == new.item_reports[ni].len()
            && old.item_reports[oi]
                .iter()
                .zip(&new.item_reports[ni])
                .all(|(&a, &b)| reports[b as usize] == Some(a));
        if old.item_status[oi] != new.item_status[ni]
            || old.item_overdue[oi] != new.item_overdue[ni]
            || !same_reports
        {
            o.items[oi] = true;
            n.items[ni] = true;
        }
    }

    // Figures, scope by scope.
    let totals = |pairs: &[Option<u32>],
                  old_t: &[_],
                  new_t: &[_],
                  o_v: &mut Vec<bool>,
                  n_v: &mut Vec<bool>| {
        let mut seen = vec![false; old_t.len()];
        for (ni, oi) in pairs.iter().enumerate() {
            match oi {
                Some(oi) => {
                    seen[*oi as usize] = true;
                    if old_t[*oi as usize] != new_t[ni] {
                        o_v[*oi as usize] = true;
                        n_v[ni] = true;
                    }
                }
                None => n_v[ni] = true,
            }
        }
        for (k, s) in seen.iter().enumerate() {
            o_v[k] |= !s;
        }
    };
    totals(
        &streets,
        &old.stats.streets,
        &new.stats.streets,
        &mut o.street_totals,
        &mut n.street_totals,
    );
    totals(
        &communities,
        &old.stats.communities,
        &new.stats.communities,
        &mut o.community_totals,
        &mut n.community_totals,
    );
    totals(
        &units,
        &old.stats.units,
        &new.stats.units,
        &mut o.unit_totals,
        &mut n.unit_totals,
    );
    if old.config.categories == new.config.categories {
        let same: Vec<Option<u32>> = (0..new.config.categories.len() as u32).map(Some).collect();
        totals(
            &same,
            &old.stats.categories,
            &new.stats.categories,
            &mut o.category_totals,
            &mut n.category_totals,
        );
    } else {
        o.all = true;
        n.all = true;
    }
    let districts = old.stats.districts != new.stats.districts;
    let site_totals = old.stats.site != new.stats.site;
    let unit_list = units.iter().enumerate().any(|(k, u)| *u != Some(k as u32))
        || old.units.len() != new.units.len();
    let overdue_list = item_ids(old, &old_ix.overdue) != item_ids(new, &new_ix.overdue);
    let category_moved: Vec<Option<(usize, usize)>> = if o.all {
        vec![None; new.config.categories.len()]
    } else {
        old_ix
            .category_items
            .iter()
            .zip(&new_ix.category_items)
            .map(|(a, b)| differ(&item_ids(old, a), &item_ids(new, b)))
            .collect()
    };
    for c in [&mut o, &mut n] {
        c.district_totals = districts;
        c.site_totals = site_totals;
        c.unit_list = unit_list;
        c.overdue_list = overdue_list;
        c.category_moved.clone_from(&category_moved);
    }
    (o, n)
}

/// What [`crate::site::patch::apply`] changed in `site`, indexed by `index` (patched too):
/// the records put in place, the items whose derived values changed, the scopes whose figures
/// changed, and the lists that moved against `old_overdue` and `old_categories` (those
/// [`Index::patch`] sorted again). One version of the site serves both sides: a patch keeps
/// every record where it was.
pub fn patched(
    site: &Site,
    index: &Index,
    p: &Patched,
    old_overdue: &[u32],
    old_categories: &[(usize, Vec<u32>)],
) -> Changed {
    let mut ch = Changed::none(site);
    for &i in p.items.iter().chain(&p.derived) {
        ch.items[i as usize] = true;
    }
    for &k in &p.reports {
        ch.reports[k as usize] = true;
    }
    for &e in &p.evaluations {
        ch.evaluations[e as usize] = true;
    }
    for scope in &p.scopes {
        match scope {
            Scope::Site => ch.site_totals = true,
            Scope::District(_) => ch.district_totals = true,
            Scope::Street(s) => ch.street_totals[*s] = true,
            Scope::Community(c) => ch.community_totals[*c] = true,
            Scope::Unit(u) => ch.unit_totals[*u] = true,
            Scope::Category(k) => ch.category_totals[*k] = true,
        }
    }
    ch.overdue_list = old_overdue != index.overdue.as_slice();
    for (k, old) in old_categories {
        ch.category_moved[*k] = differ(old, &index.category_items[*k]);
    }
    ch
}

/// The records whose own pages (street, community and its notice sheet, unit, agreement,
/// item) may read something a patch marked: [`reads_changed`] need not be asked of the other
/// such pages, which at 100k items is most of the time spent choosing pages. Derived from
/// `reads_changed` arm by arm, for marks of items, reports, evaluations, figures and lists
/// only; a page of any other kind is always asked.
#[derive(Debug)]
pub struct Near {
    streets: Vec<bool>,
    communities: Vec<bool>,
    units: Vec<bool>,
    agreements: Vec<bool>,
    items: Vec<bool>,
    /// Categories whose pages may read something marked (their lists are asked then).
    categories: Vec<bool>,
}

impl Near {
    /// `None` when `ch` marks more than a patch does (every route is asked then).
    pub fn of(site: &Site, index: &Index, ch: &Changed) -> Option<Near> {
        let any = |v: &[bool]| v.iter().any(|&b| b);
        if ch.all
            || ch.unit_list
            || [
                &ch.streets,
                &ch.communities,
                &ch.units,
                &ch.agreements,
                &ch.pages,
            ]
            .iter()
            .any(|v| any(v))
        {
            return None;
        }
        let none = |len: usize| vec![false; len];
        let mut n = Near {
            streets: none(site.streets.len()),
            communities: none(site.communities.len()),
            units: none(site.units.len()),
            agreements: none(site.agreements.len()),
            items: none(site.items.len()),
            categories: ch.category_totals.clone(),
        };
        let marked =
            |v: &[bool]| -> Vec<u32> { (0..v.len() as u32).filter(|&k| v[k as usize]).collect() };
        let items = marked(&ch.items);
        // Items whose row reads something marked: those marked, those of reports marked.
        let rows = items.iter().copied().chain(
            marked(&ch.reports)
                .into_iter()
                .map(|k| site.reports[k as usize].item.idx),
        );
        for i in rows {
            let it = &site.items[i as usize];
            n.items[i as usize] = true;
            n.community(site, it.community.idx());
            n.units[it.unit.idx()] = true;
            if let Some(a) = &it.agreement {
                n.agreements[a.idx()] = true;
            }
            n.categories[it.category as usize] = true;
        }
        // Evaluations that read something marked: those marked, those of items marked; the
        // pages of both their parties list them.
        let evaluations = marked(&ch.evaluations).into_iter().chain(
            items
                .iter()
                .flat_map(|&i| index.item_evaluations[i as usize].iter().copied()),
        );
        for e in evaluations {
            let ev = &site.evaluations[e as usize];
            for party in [&ev.of, &ev.by] {
                match party {
                    Party::Item(r) => n.items[r.idx()] = true,
                    Party::Unit(r) => n.units[r.idx()] = true,
                    Party::Community(r) => n.community(site, r.idx()),
                    Party::Resident(_) => {}
                }
            }
        }
        for (s, &t) in ch.street_totals.iter().enumerate() {
            n.streets[s] |= t;
        }
        for (c, &t) in ch.community_totals.iter().enumerate() {
            if t {
                n.community(site, c);
            }
        }
        for (u, &t) in ch.unit_totals.iter().enumerate() {
            n.units[u] |= t;
        }
        for (k, moved) in ch.category_moved.iter().enumerate() {
            n.categories[k] |= moved.is_some();
        }
        Some(n)
    }

    /// A community and its street (whose page reads the community's items and figures).
    fn community(&mut self, site: &Site, c: usize) {
        self.communities[c] = true;
        self.streets[site.communities[c].street.idx()] = true;
    }

    /// Whether [`reads_changed`] may say yes for a page of `kind`.
    pub fn may_read(&self, kind: PageKind) -> bool {
        match kind {
            PageKind::Street(s) => self.streets[s as usize],
            PageKind::Community { idx, .. } | PageKind::Notice(idx) => {
                self.communities[idx as usize]
            }
            PageKind::Unit(u) => self.units[u as usize],
            PageKind::Agreement(a) => self.agreements[a as usize],
            PageKind::Item(i) => self.items[i as usize],
            PageKind::Category { idx, .. } => self.categories[idx as usize],
            PageKind::Home
            | PageKind::Units { .. }
            | PageKind::Categories
            | PageKind::Overdue { .. }
            | PageKind::Data
            | PageKind::Year(_)
            | PageKind::Page(_)
            | PageKind::Search
            | PageKind::Accessibility
            | PageKind::NotFound => true,
        }
    }
}

/// The ids of the items of `list`, in its order.
fn item_ids<'a>(site: &'a Site, list: &[u32]) -> Vec<&'a str> {
    list.iter()
        .map(|&i| site.items[i as usize].meta.id.as_str())
        .collect()
}

/// The positions `from..to` where two versions of a list differ, if they do.
fn differ<T: PartialEq>(old: &[T], new: &[T]) -> Option<(usize, usize)> {
    let head = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    if head == old.len() && head == new.len() {
        return None;
    }
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    Some((head, old.len().max(new.len()) - tail))
}

/// For each record of `new`, the index of the record with its id in `old`.
fn pair<'a>(
    old: impl ExactSizeIterator<Item = &'a Meta>,
    new: impl ExactSizeIterator<Item = &'a Meta>,
) -> Vec<Option<u32>> {
    let old: Vec<&str> = old.map(|m| m.id.as_str()).collect();
    let new: Vec<&str> = new.map(|m| m.id.as_str()).collect();
    if old == new {
        return (0..new.len() as u32).map(Some).collect();
    }
    let by_id: rustc_hash::FxHashMap<&str, u32> = old
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i as u32))
        .collect();
    new.iter().map(|id| by_id.get(id).copied()).collect()
}

fn mark_files<'a>(metas: impl Iterator<Item = &'a Meta>, dirty: &[bool], marks: &mut [bool]) {
    for (m, mark) in metas.zip(marks.iter_mut()) {
        *mark |= dirty.get(m.file as usize).copied().unwrap_or(true);
    }
}

/// A record changed on one side is changed on the other; one without a match stays marked.
fn link(pairs: &[Option<u32>], o: &mut [bool], n: &mut [bool]) {
    let mut seen = vec![false; o.len()];
    for (ni, oi) in pairs.iter().enumerate() {
        match oi {
            Some(oi) => {
                let oi = *oi as usize;
                seen[oi] = true;
                let either = o[oi] || n[ni];
                o[oi] = either;
                n[ni] = either;
            }
            None => n[ni] = true,
        }
    }
    for (mark, s) in o.iter_mut().zip(seen) {
        *mark |= !s;
    }
}

/// Whether the page of `route` reads anything marked in `ch` (both of one site version).
pub fn reads_changed(route: &Route, site: &Site, index: &Index, ch: &Changed) -> bool {
    if ch.all {
        return true;
    }
    let r = Reads { site, ch };
    let any = |v: &[bool]| v.iter().any(|&b| b);
    let per = site.config.items_per_page;
    match route.kind {
        PageKind::Home => {
            ch.site_totals
                || ch.district_totals
                || any(&ch.streets)
                || any(&ch.street_totals)
                || any(&ch.communities)
                || any(&ch.community_totals)
                // Which items are the latest completed depends on every final report.
                || any(&ch.reports)
                || index.latest_completed.iter().any(|&i| r.item_row(i))
                // The chart of items by category.
                || any(&ch.category_totals)
        }
        PageKind::Street(s) => {
            let s = s as usize;
            ch.streets[s]
                || ch.street_totals[s]
                || index.street_communities[s].iter().any(|&c| {
                    ch.communities[c as usize]
                        || ch.community_totals[c as usize]
                        // The chart of items by category counts its communities' items.
                        || index.community_items[c as usize]
                            .iter()
                            .any(|&i| ch.items[i as usize])
                })
        }
        // Every page of a community lists its overdue items, so each reads all its items; its
        // notice sheet reads a part of what the page does.
        PageKind::Community { idx, .. } | PageKind::Notice(idx) => {
            let c = idx as usize;
            ch.communities[c]
                || ch.streets[site.communities[c].street.idx()]
                || ch.community_totals[c]
                || index.community_agreements[c]
                    .iter()
                    .any(|&a| r.agreement_row(a))
                || index.community_units[c]
                    .iter()
                    .any(|&u| ch.units[u as usize])
                || index.community_items[c].iter().any(|&i| r.item_row(i))
                || index.community_reports[c].iter().any(|&k| r.report(k))
                || index.community_evaluations_received[c]
                    .iter()
                    .any(|&e| r.evaluation(e))
                || index.community_evaluations_given[c]
                    .iter()
                    .any(|&e| r.evaluation(e))
        }
        // The units in site order, `per` to a page.
        PageKind::Units { page } => {
            ch.unit_list
                || page_range(page, per)
                    .take_while(|&u| u < site.units.len())
                    .any(|u| ch.units[u] || ch.unit_totals[u])
        }
        PageKind::Unit(u) => {
            let u = u as usize;
            ch.units[u]
                || ch.unit_totals[u]
                || index.unit_agreements[u].iter().any(|&a| r.agreement_row(a))
                || index.unit_communities[u]
                    .iter()
                    .any(|&c| ch.communities[c as usize])
                || index.unit_items[u].iter().any(|&i| r.item_row(i))
                || index.unit_reports[u].iter().any(|&k| r.report(k))
                || index.unit_evaluations_received[u]
                    .iter()
                    .any(|&e| r.evaluation(e))
                || index.unit_evaluations_given[u]
                    .iter()
                    .any(|&e| r.evaluation(e))
        }
        PageKind::Agreement(a) => {
            r.agreement_row(a)
                || index.agreement_items[a as usize]
                    .iter()
                    .any(|&i| r.item_row(i))
        }
        PageKind::Item(i) => {
            let it = &site.items[i as usize];
            r.item_row(i)
                || it
                    .agreement
                    .as_ref()
                    .is_some_and(|a| ch.agreements[a.idx()])
                || site.item_reports[i as usize].iter().any(|&k| r.report(k))
                || index.item_evaluations[i as usize]
                    .iter()
                    .any(|&e| r.evaluation(e))
        }
        PageKind::Categories => any(&ch.category_totals),
        PageKind::Category { idx, page } => {
            let k = idx as usize;
            let shown = page_range(page, per);
            ch.category_totals[k]
                || ch.category_moved[k]
                    .is_some_and(|(from, to)| shown.start < to && from < shown.end)
                || page_slice(&index.category_items[k], page, per)
                    .iter()
                    .any(|&i| r.item_row(i))
        }
        // Every page shows the count; a page shows its share of the list.
        PageKind::Overdue { page } => {
            ch.overdue_list
                || page_slice(&index.overdue, page, per)
                    .iter()
                    .any(|&i| r.item_row(i))
        }
        // The data page counts the records of each kind and links each year's CSV.
        PageKind::Data => {
            ch.site_totals
                || [
                    &ch.streets,
                    &ch.communities,
                    &ch.units,
                    &ch.agreements,
                    &ch.items,
                    &ch.reports,
                    &ch.evaluations,
                    &ch.pages,
                ]
                .iter()
                .any(|v| any(v))
        }
        // A year's figures, and every unit and community ranked by theirs (names, links).
        PageKind::Year(_) => {
            ch.site_totals
                || ch.unit_list
                || any(&ch.unit_totals)
                || any(&ch.community_totals)
                || any(&ch.units)
                || any(&ch.communities)
        }
        // The search page lists every street and community (and the categories of site.toml).
        PageKind::Search => any(&ch.streets) || any(&ch.communities),
        PageKind::Page(p) => ch.pages[p as usize],
        // The statement reads site.toml and the UI strings only, which re-render every page.
        PageKind::Accessibility | PageKind::NotFound => false,
    }
}

/// The reads of the pieces pages are made of (the `PageSource` helpers of `pages::kinds`).
struct Reads<'a> {
    site: &'a Site,
    ch: &'a Changed,
}

impl Reads<'_> {
    /// An item's row: the item, its community, unit, and reports (status, completion date).
    fn item_row(&self, i: u32) -> bool {
        let (ch, it) = (self.ch, &self.site.items[i as usize]);
        ch.items[i as usize]
            || ch.communities[it.community.idx()]
            || ch.units[it.unit.idx()]
            || self.site.item_reports[i as usize]
                .iter()
                .any(|&k| ch.reports[k as usize])
    }

    fn report(&self, k: u32) -> bool {
        self.ch.reports[k as usize] || self.ch.items[self.site.reports[k as usize].item.idx()]
    }

    fn party(&self, p: &Party) -> bool {
        match p {
            Party::Item(r) => self.ch.items[r.idx()],
            Party::Unit(r) => self.ch.units[r.idx()],
            Party::Community(r) => self.ch.communities[r.idx()],
            Party::Resident(_) => false,
        }
    }

    fn evaluation(&self, e: u32) -> bool {
        let ev = &self.site.evaluations[e as usize];
        self.ch.evaluations[e as usize] || self.party(&ev.of) || self.party(&ev.by)
    }

    fn agreement_row(&self, a: u32) -> bool {
        let ag = &self.site.agreements[a as usize];
        self.ch.agreements[a as usize]
            || self.ch.communities[ag.community.idx()]
            || ag.units.iter().any(|u| self.ch.units[u.idx()])
    }
}
