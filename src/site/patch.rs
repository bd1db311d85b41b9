//! Patching a resolved site in place, for `serve`: the edit editors make most (a title, a
//! text, a status, a date, a score of one item, report or evaluation) changes a few records
//! and keeps every id and reference, so resolving all records again is not needed.
//!
//! [`fit`] accepts only such edits: the records of a file of items, reports or evaluations,
//! with the same ids, references and (for items) category as those the site holds. Anything
//! else (a record added, removed or renamed, a reference or category changed, any other kind)
//! is left to [`super::resolve`]. [`apply`] puts the records in place and runs again the checks
//! that involve them, with the functions `resolve` uses; the checks that read only ids and
//! references (duplicates, unknown references, agreement mismatches) cannot change. It then
//! derives the values of the items concerned and the figures of their scopes again.
//!
//! This relies on the site publishing every record (drafts shown, as `serve` does), so that a
//! record's position in the site is its position among the records read.

use std::collections::BTreeSet;

use chrono::Datelike;

use super::stats::{self, Scope, Want};
use super::{Checker, Site};
use crate::content::records::{Evaluation, Item, Party, Record, Report, Status};
use crate::content::{Records, file_range};
use crate::diagnostics::Diagnostic;

/// A record to put at a position of the site, in place of the one with its id.
#[derive(Debug, Clone)]
pub enum Swap {
    Item(u32, Box<Item>),
    Report(u32, Box<Report>),
    Evaluation(u32, Box<Evaluation>),
}

/// What [`apply`] changed, for the index and for what pages to render again.
#[derive(Debug, Default)]
pub struct Patched {
    /// Positions of the records put in place.
    pub items: Vec<u32>,
    pub reports: Vec<u32>,
    pub evaluations: Vec<u32>,
    /// Items whose derived values (status, overdue, order of reports) changed.
    pub derived: Vec<u32>,
    /// Records whose date the index sorts by changed (`claimed`, a report's or evaluation's
    /// `date`).
    pub moved_items: Vec<u32>,
    pub moved_reports: Vec<u32>,
    pub moved_evaluations: Vec<u32>,
    /// Scopes whose figures changed.
    pub scopes: Vec<Scope>,
    /// The records as they were: applying them undoes the patch.
    pub undo: Vec<Swap>,
}

/// The swaps that put `records`, all those now read from the `file`th record file, in place
/// of the site's records of that file; `None` unless they keep kinds, count, ids, references
/// and categories.
pub fn fit(site: &Site, file: u32, records: Vec<Record>) -> Option<Vec<Swap>> {
    let (mut items, mut reports, mut evaluations) = (Vec::new(), Vec::new(), Vec::new());
    for r in records {
        match r {
            Record::Item(x) => items.push(x),
            Record::Report(x) => reports.push(x),
            Record::Evaluation(x) => evaluations.push(x),
            _ => return None,
        }
    }
    let mut swaps = Vec::new();
    let at = file_range(&site.items, |x| &x.meta, file);
    if at.len() != items.len() {
        return None;
    }
    for (k, mut new) in at.zip(items) {
        let old = &site.items[k];
        let same = old.meta.id == new.meta.id
            && old.community.id == new.community.id
            && old.unit.id == new.unit.id
            && old.agreement.as_ref().map(|a| &a.id) == new.agreement.as_ref().map(|a| &a.id)
            && old.category == new.category;
        if !same {
            return None;
        }
        new.meta.file = file;
        new.community.idx = old.community.idx;
        new.unit.idx = old.unit.idx;
        if let (Some(n), Some(o)) = (&mut new.agreement, &old.agreement) {
            n.idx = o.idx;
        }
        swaps.push(Swap::Item(k as u32, Box::new(new)));
    }
    let at = file_range(&site.reports, |x| &x.meta, file);
    if at.len() != reports.len() {
        return None;
    }
    for (k, mut new) in at.zip(reports) {
        let old = &site.reports[k];
        if old.meta.id != new.meta.id || old.item.id != new.item.id {
            return None;
        }
        new.meta.file = file;
        new.item.idx = old.item.idx;
        swaps.push(Swap::Report(k as u32, Box::new(new)));
    }
    let at = file_range(&site.evaluations, |x| &x.meta, file);
    if at.len() != evaluations.len() {
        return None;
    }
    for (k, mut new) in at.zip(evaluations) {
        let old = &site.evaluations[k];
        if old.meta.id != new.meta.id
            || !same_party(&old.of, &mut new.of)
            || !same_party(&old.by, &mut new.by)
        {
            return None;
        }
        new.meta.file = file;
        swaps.push(Swap::Evaluation(k as u32, Box::new(new)));
    }
    // A ledger of many rows is saved whole: only its rows that changed are put in place, so
    // that only their pages are made again. A file saved unchanged still puts every record.
    if swaps.iter().any(|s| !unchanged(site, s)) {
        swaps.retain(|s| !unchanged(site, s));
    }
    Some(swaps)
}

/// Whether the swap puts in place a record equal to the one there.
fn unchanged(site: &Site, swap: &Swap) -> bool {
    match swap {
        Swap::Item(k, new) => site.items[*k as usize] == **new,
        Swap::Report(k, new) => site.reports[*k as usize] == **new,
        Swap::Evaluation(k, new) => site.evaluations[*k as usize] == **new,
    }
}

/// Whether `new` is the party `old` is (a resident's name may change), taking its position.
fn same_party(old: &Party, new: &mut Party) -> bool {
    match (old, new) {
        (Party::Item(o), Party::Item(n))
        | (Party::Unit(o), Party::Unit(n))
        | (Party::Community(o), Party::Community(n))
            if o.id == n.id =>
        {
            n.idx = o.idx;
            true
        }
        (Party::Resident(_), Party::Resident(_)) => true,
        _ => false,
    }
}

/// Puts the records of `swaps` in place, checks them, derives what depends on them. On a
/// problem the site is left as it was and the problems returned.
pub fn apply(site: &mut Site, swaps: Vec<Swap>) -> Result<Patched, Vec<Diagnostic>> {
    let undo = put(site, swaps);
    let problems = check(site, &undo);
    if !problems.is_empty() {
        put(site, undo);
        return Err(problems);
    }
    let mut p = Patched::default();
    let mut want = Want::all(site, false);
    let mut wanted = false;
    let mut derive = BTreeSet::new();
    for swap in &undo {
        match swap {
            Swap::Item(i, old) => {
                p.items.push(*i);
                derive.insert(*i as usize);
                let claimed = site.items[*i as usize].claimed;
                if old.claimed != claimed {
                    p.moved_items.push(*i);
                }
                // The year an item counts in is that of its claim (stats, years).
                if old.claimed.year() != claimed.year() {
                    want.item(site, *i as usize);
                    wanted = true;
                }
            }
            Swap::Report(k, old) => {
                p.reports.push(*k);
                let new = &site.reports[*k as usize];
                derive.insert(new.item.idx());
                if old.date != new.date {
                    p.moved_reports.push(*k);
                }
                let counted = |r: &Report| {
                    let month = r.is_final.then(|| (r.date.year(), r.date.month()));
                    (month, r.beneficiaries, r.volunteers, r.hours)
                };
                if counted(old) != counted(new) {
                    want.item(site, new.item.idx());
                    wanted = true;
                }
            }
            Swap::Evaluation(e, old) => {
                p.evaluations.push(*e);
                let new = &site.evaluations[*e as usize];
                if old.date != new.date {
                    p.moved_evaluations.push(*e);
                }
                // An evaluation of a unit or a community counts in the year of its date.
                if old.rating != new.rating || old.date.year() != new.date.year() {
                    match &new.of {
                        Party::Item(r) => want.item(site, r.idx()),
                        Party::Unit(r) => want.units[r.idx()] = true,
                        Party::Community(r) => want.community(site, r.idx()),
                        Party::Resident(_) => {}
                    }
                    wanted = true;
                }
            }
        }
    }
    for i in derive {
        let before = derived(site, i);
        site.derive_item(i);
        let after = derived(site, i);
        if before != after {
            p.derived.push(i as u32);
            if (before.0, before.1) != (after.0, after.1) {
                want.item(site, i);
                wanted = true;
            }
        }
    }
    if wanted {
        p.scopes = stats::update(site, &want);
    }
    p.undo = undo;
    Ok(p)
}

/// Item `i`'s derived values.
fn derived(site: &Site, i: usize) -> (Status, bool, Vec<u32>) {
    (
        site.item_status[i],
        site.item_overdue[i],
        site.item_reports[i].clone(),
    )
}

/// Puts each record in its place; returns the records it replaced.
fn put(site: &mut Site, swaps: Vec<Swap>) -> Vec<Swap> {
    swaps
        .into_iter()
        .map(|swap| match swap {
            Swap::Item(i, x) => {
                let old = std::mem::replace(&mut site.items[i as usize], *x);
                Swap::Item(i, Box::new(old))
            }
            Swap::Report(k, x) => {
                let old = std::mem::replace(&mut site.reports[k as usize], *x);
                Swap::Report(k, Box::new(old))
            }
            Swap::Evaluation(e, x) => {
                let old = std::mem::replace(&mut site.evaluations[e as usize], *x);
                Swap::Evaluation(e, Box::new(old))
            }
        })
        .collect()
}

/// The checks of `resolve` that involve the records at the positions of `swaps`.
fn check(site: &Site, swaps: &[Swap]) -> Vec<Diagnostic> {
    let mut status = BTreeSet::new();
    let mut dates = BTreeSet::new();
    let mut photos = BTreeSet::new();
    let mut by_doer = BTreeSet::new();
    let evaluations_of = |i: u32| {
        site.evaluations
            .iter()
            .enumerate()
            .filter(move |(_, ev)| matches!(&ev.of, Party::Item(r) if r.idx == i))
    };
    for swap in swaps {
        match swap {
            Swap::Item(i, _) => {
                status.insert(*i as usize);
                dates.extend(site.item_reports[*i as usize].iter().map(|&k| k as usize));
                by_doer.extend(evaluations_of(*i).map(|(e, _)| e));
            }
            Swap::Report(k, _) => {
                status.insert(site.reports[*k as usize].item.idx());
                dates.insert(*k as usize);
                photos.insert(*k as usize);
            }
            Swap::Evaluation(e, _) => {
                by_doer.insert(*e as usize);
            }
        }
    }
    let mut ck = Checker {
        files: &site.files,
        diags: Vec::new(),
    };
    for k in dates {
        let rep = &site.reports[k];
        ck.date_order(rep, &site.items[rep.item.idx()]);
    }
    for k in photos {
        ck.photos(&site.static_files, &site.reports[k]);
    }
    for i in status {
        let has_final = site.item_reports[i]
            .iter()
            .any(|&k| site.reports[k as usize].is_final);
        ck.written_status(&site.items[i], has_final);
    }
    for e in by_doer {
        let ev = &site.evaluations[e];
        if let Party::Item(r) = &ev.of {
            ck.self_evaluation(ev, &site.items[r.idx()]);
        }
    }
    ck.diags
}

/// The records read from the `file`th record file, of every kind.
pub fn records_of(records: &Records, file: u32) -> Vec<Record> {
    macro_rules! of {
        ($field:ident, $variant:ident) => {
            records.$field[file_range(&records.$field, |x| &x.meta, file)]
                .iter()
                .cloned()
                .map(Record::$variant)
        };
    }
    of!(streets, Street)
        .chain(of!(communities, Community))
        .chain(of!(units, Unit))
        .chain(of!(agreements, Agreement))
        .chain(of!(items, Item))
        .chain(of!(reports, Report))
        .chain(of!(evaluations, Evaluation))
        .chain(of!(pages, Page))
        .collect()
}
