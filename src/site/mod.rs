//! The second stage: [`Records`] → the resolved [`Site`].
//!
//! Checks what needs more than one record (duplicate ids, references, agreement and date
//! consistency, written status against reports, self-evaluation, static files), hides drafts
//! and everything that hangs on them, resolves references to indexes, and derives status,
//! overdue and the figures of records.md.

pub mod patch;
pub mod ranking;
pub mod stats;

use rustc_hash::FxHashMap as HashMap;

use chrono::NaiveDate;

use crate::config::Config;
use crate::content::fields::Choice;
use crate::content::records::{
    Agreement, Community, Direction, Evaluation, Item, Kind, Meta, Page, Party, Ref, Report,
    Status, Street, Unit,
};
use crate::content::{Records, StaticFiles};
use crate::diagnostics::locate::{Seg, keys};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::i18n::Text;
use crate::messages as m;
use stats::Stats;

/// The resolved site: only the records this build publishes, references as indexes.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// The date against which items are overdue.
    pub as_of: NaiveDate,
    /// Record files, relative to the site root; `Meta::file` indexes this.
    pub files: Vec<String>,
    pub streets: Vec<Street>,
    pub communities: Vec<Community>,
    pub units: Vec<Unit>,
    pub agreements: Vec<Agreement>,
    pub items: Vec<Item>,
    pub reports: Vec<Report>,
    pub evaluations: Vec<Evaluation>,
    pub pages: Vec<Page>,
    /// Derived status of each item (written, else from its reports).
    pub item_status: Vec<Status>,
    /// Whether each item is overdue on `as_of`.
    pub item_overdue: Vec<bool>,
    /// Reports of each item, by date.
    pub item_reports: Vec<Vec<u32>>,
    /// The files under `static/`, copied to the output as they are.
    pub static_files: StaticFiles,
    pub stats: Stats,
}

impl Site {
    /// The date item `i` was completed: that of its last final report, if any.
    pub fn completed_on(&self, i: usize) -> Option<NaiveDate> {
        self.item_reports[i]
            .iter()
            .map(|&r| &self.reports[r as usize])
            .filter(|r| r.is_final)
            .map(|r| r.date)
            .max()
    }

    /// How many days item `i` is past its due date on the as-of date, when it is overdue.
    pub fn overdue_days(&self, i: usize) -> Option<i64> {
        let due = self.items[i].due.filter(|_| self.item_overdue[i])?;
        Some((self.as_of - due).num_days())
    }

    /// How many records the site publishes, of every kind.
    pub fn record_count(&self) -> usize {
        self.streets.len()
            + self.communities.len()
            + self.units.len()
            + self.agreements.len()
            + self.items.len()
            + self.reports.len()
            + self.evaluations.len()
            + self.pages.len()
    }
}

/// The as-of date: site.toml's `as_of`, else SOURCE_DATE_EPOCH (UTC), else today.
pub fn as_of_date(config: &Config) -> NaiveDate {
    if let Some(d) = config.as_of {
        return d;
    }
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok());
    match epoch.and_then(|s| chrono::DateTime::from_timestamp(s, 0)) {
        Some(t) => t.date_naive(),
        None => chrono::Local::now().date_naive(),
    }
}

/// The records of one kind by id.
struct Ids<'a> {
    kind: Kind,
    map: HashMap<&'a str, usize>,
    /// Ids written in this kind's files that could not be read ([`Records::unread`]).
    unread: Vec<&'a str>,
}

/// Collects the checks' problems with the files they are in.
struct Checker<'a> {
    files: &'a [String],
    diags: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// Written status against the reports this build publishes (`report_item`: the item of
    /// each report; `report_hidden`: the reports left out).
    fn written_statuses(
        &mut self,
        r: &Records,
        report_item: &[Option<usize>],
        report_hidden: &[bool],
    ) {
        let mut has_final = vec![false; r.items.len()];
        for (k, rep) in r.reports.iter().enumerate() {
            if let (Some(i), false) = (report_item[k], report_hidden[k])
                && rep.is_final
                && !rep.meta.broken
            {
                has_final[i] = true;
            }
        }
        for (it, has_final) in r.items.iter().zip(has_final) {
            self.written_status(it, has_final);
        }
    }

    /// A free page is published at /<id>/: it must not take the place of a section.
    fn reserved_ids(&mut self, r: &Records) {
        for p in &r.pages {
            if RESERVED_PAGE_IDS.contains(&p.meta.id.as_str()) {
                self.push(
                    &p.meta,
                    "reserved-id",
                    keys(&["id"]),
                    m::reserved_id(&p.meta.id),
                    m::reserved_id_hint(),
                );
            }
        }
    }

    /// An item under agreement `ai` must be of the agreement's community and one of its
    /// units (`parties`: the item's community and unit; `agreement`: the agreement's).
    fn agreement_parties(
        &mut self,
        r: &Records,
        it: &Item,
        ai: usize,
        (ci, ui): (usize, usize),
        (ag_c, ag_us): &(Option<usize>, Vec<Option<usize>>),
    ) {
        let ag = &r.agreements[ai];
        if it.meta.broken || ag.meta.broken {
            return;
        }
        if ag_c.is_some_and(|x| x != ci) {
            self.push(
                &it.meta,
                "agreement-mismatch",
                keys(&["agreement"]),
                m::agreement_other_community(&ag.meta.id, &ag.community.id, &it.community.id),
                m::agreement_other_community_hint(),
            );
        } else if !ag_us.contains(&Some(ui)) {
            self.push(
                &it.meta,
                "agreement-mismatch",
                keys(&["agreement"]),
                m::agreement_lacks_unit(&ag.meta.id, &it.unit.id),
                m::agreement_lacks_unit_hint(),
            );
        }
    }

    fn push(&mut self, meta: &Meta, code: &'static str, path: Vec<Seg>, message: Text, hint: Text) {
        let file = &self.files[meta.file as usize];
        self.diags
            .push(Diagnostic::new(code, file, meta.yaml.field(path), message).hint(hint));
    }

    /// Looks `r` up in `ids`; a missing target is reported at `path` of `meta`'s record.
    /// An empty id was reported missing when the record was read.
    fn reference(&mut self, ids: &Ids, r: &Ref, meta: &Meta, path: Vec<Seg>) -> Option<usize> {
        match ids.map.get(r.id.as_str()) {
            Some(&i) => Some(i),
            None if r.id.is_empty() || ids.unread.contains(&r.id.as_str()) => None,
            None => {
                let kind = ids.kind.key();
                let hint = if ids.map.len() <= 20_000 {
                    let all: Vec<&str> = ids.map.keys().copied().collect();
                    did_you_mean(&r.id, &all).map(m::did_you_mean)
                } else {
                    None
                }
                .unwrap_or_else(|| m::unknown_reference_hint(kind));
                self.push(
                    meta,
                    "unknown-reference",
                    path,
                    m::unknown_reference(singular(ids.kind), &r.id),
                    hint,
                );
                None
            }
        }
    }

    /// A report dated before its item was claimed.
    fn date_order(&mut self, rep: &Report, it: &Item) {
        if !rep.meta.broken && !it.meta.broken && rep.date < it.claimed {
            self.push(
                &rep.meta,
                "date-order",
                keys(&["date"]),
                m::report_before_claim(rep.date, &rep.item.id, it.claimed),
                m::report_before_claim_hint(),
            );
        }
    }

    /// A report's photos, which must be files under `static/` of a format shiji resizes and
    /// strips: an SVG may hold scripts and links, a GIF or HEIC is not read.
    fn photos(&mut self, files: &StaticFiles, rep: &Report) {
        for (k, p) in rep.photos.iter().enumerate() {
            let path = || {
                vec![
                    Seg::Key("photos".into()),
                    Seg::Index(k),
                    Seg::Key("src".into()),
                ]
            };
            if crate::photos::format_of(&p.src).is_none() {
                self.push(
                    &rep.meta,
                    "photo-format",
                    path(),
                    m::photo_format(&p.src),
                    m::photo_format_hint(),
                );
                continue;
            }
            self.static_file(files, &p.src, &rep.meta, path());
        }
    }

    /// An item's written status against whether a published final report exists.
    fn written_status(&mut self, it: &Item, has_final: bool) {
        if it.meta.broken {
            return;
        }
        match it.status {
            Some(Status::Completed) if !has_final => self.push(
                &it.meta,
                "status-conflict",
                keys(&["status"]),
                m::completed_without_final(),
                m::completed_without_final_hint(),
            ),
            Some(s) if s != Status::Completed && has_final => self.push(
                &it.meta,
                "status-conflict",
                keys(&["status"]),
                m::final_with_status(s.key()),
                m::final_with_status_hint(),
            ),
            _ => {}
        }
    }

    /// An evaluation of item `it` by the party that carried the item out.
    fn self_evaluation(&mut self, ev: &Evaluation, it: &Item) {
        if ev.meta.broken {
            return;
        }
        let doer = match (it.direction, &ev.by) {
            (Direction::ToCommunity, Party::Unit(u)) => u.id == it.unit.id,
            (Direction::ToUnit, Party::Community(c)) => c.id == it.community.id,
            _ => false,
        };
        if doer {
            self.push(
                &ev.meta,
                "self-evaluation",
                keys(&["by"]),
                m::evaluated_by_doer(&it.meta.id),
                m::evaluated_by_doer_hint(),
            );
        }
    }

    fn static_file(&mut self, files: &StaticFiles, src: &str, meta: &Meta, path: Vec<Seg>) {
        if let Some(problem) = files.problem(src) {
            self.push(
                meta,
                "missing-static-file",
                path,
                m::static_problem(src, problem),
                m::static_hint(),
            );
        }
    }
}

fn singular(kind: Kind) -> Text {
    match kind {
        Kind::Streets => m::kind_street(),
        Kind::Communities => m::kind_community(),
        Kind::Units => m::kind_unit(),
        Kind::Agreements => m::kind_agreement(),
        Kind::Items => m::kind_item(),
        Kind::Reports => m::kind_report(),
        Kind::Evaluations => m::kind_evaluation(),
        Kind::Pages => m::kind_page(),
    }
}

/// Builds the id index of one kind, reporting duplicates on the later record.
fn index<'a>(
    kind: Kind,
    metas: impl Iterator<Item = &'a Meta>,
    records: &'a Records,
    checker: &mut Checker,
) -> Ids<'a> {
    let mut map: HashMap<&str, usize> = HashMap::default();
    for (i, meta) in metas.enumerate() {
        if meta.id.is_empty() {
            continue;
        }
        if let Some(&first) = map.get(meta.id.as_str()) {
            let other = map_file(records, kind, first);
            checker.push(
                meta,
                "duplicate-id",
                keys(&["id"]),
                m::duplicate_id(&meta.id, other),
                m::duplicate_id_hint(),
            );
        } else {
            map.insert(meta.id.as_str(), i);
        }
    }
    let unread = records
        .unread
        .iter()
        .filter(|(k, _)| *k == kind)
        .map(|(_, id)| id.as_str())
        .collect();
    Ids { kind, map, unread }
}

/// The file of the `i`th record of `kind`.
fn map_file(records: &Records, kind: Kind, i: usize) -> &str {
    let m = match kind {
        Kind::Streets => &records.streets[i].meta,
        Kind::Communities => &records.communities[i].meta,
        Kind::Units => &records.units[i].meta,
        Kind::Agreements => &records.agreements[i].meta,
        Kind::Items => &records.items[i].meta,
        Kind::Reports => &records.reports[i].meta,
        Kind::Evaluations => &records.evaluations[i].meta,
        Kind::Pages => &records.pages[i].meta,
    };
    &records.files[m.file as usize]
}

/// Resolves and checks the records. `drafts`: publish drafts too (build --drafts, serve).
pub fn resolve(records: Records, config: Config, drafts: bool) -> Result<Site, Vec<Diagnostic>> {
    let links = link(&records, drafts)?;
    Ok(publish(records, config, links, drafts))
}

/// What each record's references point at (indexes into the records as read), and what
/// this build leaves out.
struct Links {
    street_hidden: Vec<bool>,
    community_street: Vec<Option<usize>>,
    community_hidden: Vec<bool>,
    unit_hidden: Vec<bool>,
    agreement_refs: Vec<(Option<usize>, Vec<Option<usize>>)>,
    agreement_hidden: Vec<bool>,
    item_refs: Vec<(Option<usize>, Option<usize>, Option<usize>)>,
    item_hidden: Vec<bool>,
    report_item: Vec<Option<usize>>,
    report_hidden: Vec<bool>,
    eval_refs: Vec<[Option<usize>; 2]>,
    eval_hidden: Vec<bool>,
}

/// Every id indexed and every reference checked: the links, or every problem found.
fn link(r: &Records, drafts: bool) -> Result<Links, Vec<Diagnostic>> {
    let mut checker = Checker {
        files: &r.files,
        diags: Vec::new(),
    };
    let (streets, communities, units, agreements, items) = index_all(r, &mut checker);
    checker.reserved_ids(r);

    // Each record's references, checked; `hidden` marks what this build leaves out: a draft,
    // or a record that hangs on one. Kinds are visited in the order they depend on each other.
    let hide = |draft: bool, deps: &[Option<usize>], hidden_deps: &[bool]| -> bool {
        !drafts && (draft || deps.iter().zip(hidden_deps).any(|(d, h)| d.is_some() && *h))
    };
    let street_hidden: Vec<bool> = r.streets.iter().map(|s| !drafts && s.meta.draft).collect();

    let mut community_street = Vec::with_capacity(r.communities.len());
    let mut community_hidden = Vec::with_capacity(r.communities.len());
    for c in &r.communities {
        let s = checker.reference(&streets, &c.street, &c.meta, keys(&["street"]));
        community_street.push(s);
        community_hidden.push(hide(
            c.meta.draft,
            &[s],
            &[s.is_some_and(|s| street_hidden[s])],
        ));
    }
    let unit_hidden: Vec<bool> = r.units.iter().map(|u| !drafts && u.meta.draft).collect();

    let mut agreement_refs = Vec::with_capacity(r.agreements.len());
    let mut agreement_hidden = Vec::with_capacity(r.agreements.len());
    for a in &r.agreements {
        let c = checker.reference(&communities, &a.community, &a.meta, keys(&["community"]));
        let us: Vec<Option<usize>> = a
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| {
                checker.reference(
                    &units,
                    u,
                    &a.meta,
                    vec![Seg::Key("units".into()), Seg::Index(i)],
                )
            })
            .collect();
        if let Some(doc) = &a.document {
            checker.static_file(&r.static_files, doc, &a.meta, keys(&["document"]));
        }
        let hidden = !drafts
            && (a.meta.draft
                || c.is_some_and(|c| community_hidden[c])
                || us.iter().flatten().any(|&u| unit_hidden[u]));
        agreement_hidden.push(hidden);
        agreement_refs.push((c, us));
    }

    let mut item_refs = Vec::with_capacity(r.items.len());
    let mut item_hidden = Vec::with_capacity(r.items.len());
    for it in &r.items {
        let c = checker.reference(&communities, &it.community, &it.meta, keys(&["community"]));
        let u = checker.reference(&units, &it.unit, &it.meta, keys(&["claimed_by", "unit"]));
        let a = it
            .agreement
            .as_ref()
            .and_then(|a| checker.reference(&agreements, a, &it.meta, keys(&["agreement"])));
        if let (Some(ai), Some(ci), Some(ui)) = (a, c, u) {
            checker.agreement_parties(r, it, ai, (ci, ui), &agreement_refs[ai]);
        }
        let hidden = hide(
            it.meta.draft,
            &[c, u, a],
            &[
                c.is_some_and(|c| community_hidden[c]),
                u.is_some_and(|u| unit_hidden[u]),
                a.is_some_and(|a| agreement_hidden[a]),
            ],
        );
        item_hidden.push(hidden);
        item_refs.push((c, u, a));
    }

    let mut report_item = Vec::with_capacity(r.reports.len());
    let mut report_hidden = Vec::with_capacity(r.reports.len());
    for rep in &r.reports {
        let i = checker.reference(&items, &rep.item, &rep.meta, keys(&["item"]));
        if let Some(i) = i {
            checker.date_order(rep, &r.items[i]);
        }
        checker.photos(&r.static_files, rep);
        report_hidden.push(hide(
            rep.meta.draft,
            &[i],
            &[i.is_some_and(|i| item_hidden[i])],
        ));
        report_item.push(i);
    }

    checker.written_statuses(r, &report_item, &report_hidden);

    let mut eval_hidden = Vec::with_capacity(r.evaluations.len());
    let mut eval_refs = Vec::with_capacity(r.evaluations.len());
    for ev in &r.evaluations {
        let mut deps = Vec::new();
        let mut hidden_deps = Vec::new();
        let mut resolved = [None, None];
        for (side, (party, name)) in [(&ev.of, "of"), (&ev.by, "by")].into_iter().enumerate() {
            let (ids, hidden, key): (&Ids, &[bool], &str) = match party {
                Party::Item(_) => (&items, &item_hidden, "item"),
                Party::Unit(_) => (&units, &unit_hidden, "unit"),
                Party::Community(_) => (&communities, &community_hidden, "community"),
                Party::Resident(_) => continue,
            };
            let rf = party_ref(party).expect("not a resident");
            let found = checker.reference(ids, rf, &ev.meta, keys(&[name, key]));
            resolved[side] = found;
            deps.push(found);
            hidden_deps.push(found.is_some_and(|x| hidden[x]));
        }
        if let (Party::Item(_), Some(i)) = (&ev.of, resolved[0]) {
            checker.self_evaluation(ev, &r.items[i]);
        }
        eval_hidden.push(hide(ev.meta.draft, &deps, &hidden_deps));
        eval_refs.push(resolved);
    }

    let diags = std::mem::take(&mut checker.diags);
    // A file that could not be read has its problem reported already; references to its
    // ids were let through, so the site is not whole.
    if !diags.is_empty() || any_broken(r) || !r.unread.is_empty() {
        return Err(diags);
    }
    Ok(Links {
        street_hidden,
        community_street,
        community_hidden,
        unit_hidden,
        agreement_refs,
        agreement_hidden,
        item_refs,
        item_hidden,
        report_item,
        report_hidden,
        eval_refs,
        eval_hidden,
    })
}

/// Indexes every kind's ids (duplicates reported); reports, evaluations and pages are
/// indexed for their duplicates only.
fn index_all<'a>(
    r: &'a Records,
    checker: &mut Checker,
) -> (Ids<'a>, Ids<'a>, Ids<'a>, Ids<'a>, Ids<'a>) {
    let streets = index(Kind::Streets, r.streets.iter().map(|x| &x.meta), r, checker);
    let communities = index(
        Kind::Communities,
        r.communities.iter().map(|x| &x.meta),
        r,
        checker,
    );
    let units = index(Kind::Units, r.units.iter().map(|x| &x.meta), r, checker);
    let agreements = index(
        Kind::Agreements,
        r.agreements.iter().map(|x| &x.meta),
        r,
        checker,
    );
    let items = index(Kind::Items, r.items.iter().map(|x| &x.meta), r, checker);
    index(Kind::Reports, r.reports.iter().map(|x| &x.meta), r, checker);
    index(
        Kind::Evaluations,
        r.evaluations.iter().map(|x| &x.meta),
        r,
        checker,
    );
    index(Kind::Pages, r.pages.iter().map(|x| &x.meta), r, checker);

    (streets, communities, units, agreements, items)
}

/// Keeps what this build publishes, points references at the kept records, and derives
/// every item's values and every figure.
fn publish(records: Records, config: Config, links: Links, drafts: bool) -> Site {
    let Links {
        street_hidden,
        community_street,
        community_hidden,
        unit_hidden,
        agreement_refs,
        agreement_hidden,
        item_refs,
        item_hidden,
        report_item,
        report_hidden,
        eval_refs,
        eval_hidden,
    } = links;

    // Keep what this build publishes and point references at the kept records.
    let keep = |hidden: &[bool]| -> Vec<u32> {
        let mut next = 0u32;
        hidden
            .iter()
            .map(|h| {
                if *h {
                    u32::MAX
                } else {
                    next += 1;
                    next - 1
                }
            })
            .collect()
    };
    let street_new = keep(&street_hidden);
    let community_new = keep(&community_hidden);
    let unit_new = keep(&unit_hidden);
    let agreement_new = keep(&agreement_hidden);
    let item_new = keep(&item_hidden);
    let page_hidden: Vec<bool> = records
        .pages
        .iter()
        .map(|p| !drafts && p.meta.draft)
        .collect();
    let set = |rf: &mut Ref, old: Option<usize>, new: &[u32]| {
        rf.idx = old.map_or(u32::MAX, |o| new[o]);
    };

    let Records {
        files,
        static_files,
        streets,
        communities,
        units,
        agreements,
        items,
        reports,
        evaluations,
        pages,
        ..
    } = records;
    let streets: Vec<Street> = filter(streets, &street_hidden, |_, _| {});
    let communities = filter(communities, &community_hidden, |k, c: &mut Community| {
        set(&mut c.street, community_street[k], &street_new)
    });
    let units = filter(units, &unit_hidden, |_, _| {});
    let agreements = filter(agreements, &agreement_hidden, |k, a: &mut Agreement| {
        let (c, us) = &agreement_refs[k];
        set(&mut a.community, *c, &community_new);
        for (u, old) in a.units.iter_mut().zip(us) {
            set(u, *old, &unit_new);
        }
    });
    let items = filter(items, &item_hidden, |k, it: &mut Item| {
        let (c, u, a) = item_refs[k];
        set(&mut it.community, c, &community_new);
        set(&mut it.unit, u, &unit_new);
        if let Some(ar) = &mut it.agreement {
            set(ar, a, &agreement_new);
        }
    });
    let reports = filter(reports, &report_hidden, |k, rep: &mut Report| {
        set(&mut rep.item, report_item[k], &item_new)
    });
    let evaluations = filter(evaluations, &eval_hidden, |k, ev: &mut Evaluation| {
        for (side, party) in [&mut ev.of, &mut ev.by].into_iter().enumerate() {
            let new: &[u32] = match party {
                Party::Item(_) => &item_new,
                Party::Unit(_) => &unit_new,
                Party::Community(_) => &community_new,
                Party::Resident(_) => continue,
            };
            if let Some(rf) = party_ref_mut(party) {
                set(rf, eval_refs[k][side], new);
            }
        }
    });
    let mut pages = filter(pages, &page_hidden, |_, _| {});
    pages.sort_by(|a, b| {
        (a.order.unwrap_or(i64::MAX), &a.meta.id).cmp(&(b.order.unwrap_or(i64::MAX), &b.meta.id))
    });

    let as_of = as_of_date(&config);
    let mut item_reports: Vec<Vec<u32>> = vec![Vec::new(); items.len()];
    for (k, rep) in reports.iter().enumerate() {
        item_reports[rep.item.idx()].push(k as u32);
    }
    let n_items = items.len();
    let mut site = Site {
        config,
        as_of,
        files,
        streets,
        communities,
        units,
        agreements,
        items,
        reports,
        evaluations,
        pages,
        item_status: vec![Status::Claimed; n_items],
        item_overdue: vec![false; n_items],
        item_reports,
        static_files,
        stats: Stats::default(),
    };
    for i in 0..n_items {
        site.derive_item(i);
    }
    site.stats = stats::compute(&site);
    site
}

impl Site {
    /// Derives item `i`'s values from the item and its reports (already listed in
    /// `item_reports`): the order of its reports, its status and whether it is overdue.
    fn derive_item(&mut self, i: usize) {
        let reports = &self.reports;
        let list = &mut self.item_reports[i];
        list.sort_by_key(|&k| (reports[k as usize].date, k));
        let status = self.items[i].status.unwrap_or_else(|| {
            if list.iter().any(|&k| reports[k as usize].is_final) {
                Status::Completed
            } else if list.is_empty() {
                Status::Claimed
            } else {
                Status::InProgress
            }
        });
        self.item_status[i] = status;
        self.item_overdue[i] = is_overdue(status, self.items[i].due, self.as_of);
    }
}

/// URL sections of the site that a free page's id would collide with.
pub const RESERVED_PAGE_IDS: &[&str] = &[
    "streets",
    "communities",
    "units",
    "agreements",
    "items",
    "categories",
    "overdue",
    "search",
    "data",
    "page",
    "search-index",
    "accessibility",
];

/// Whether any record had problems of its own (reported when it was read).
fn any_broken(r: &Records) -> bool {
    let broken = |m: &Meta| m.broken;
    r.streets.iter().any(|x| broken(&x.meta))
        || r.communities.iter().any(|x| broken(&x.meta))
        || r.units.iter().any(|x| broken(&x.meta))
        || r.agreements.iter().any(|x| broken(&x.meta))
        || r.items.iter().any(|x| broken(&x.meta))
        || r.reports.iter().any(|x| broken(&x.meta))
        || r.evaluations.iter().any(|x| broken(&x.meta))
        || r.pages.iter().any(|x| broken(&x.meta))
}

/// The first `n` of `all` in the order `cmp`, each equal value once: what sorting, removing
/// repeats and keeping `n` gives, in one pass (the newest final reports out of 100k, for the
/// home page and the site's feed, without sorting them all).
pub fn first_sorted<T: Copy>(
    all: impl Iterator<Item = T>,
    n: usize,
    cmp: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(n + 1);
    for x in all {
        if out.len() == n && out.last().is_none_or(|last| cmp(&x, last).is_ge()) {
            continue;
        }
        if let Err(at) = out.binary_search_by(|y| cmp(y, &x)) {
            out.insert(at, x);
            out.truncate(n);
        }
    }
    out
}

/// Not completed or cancelled, and due before the as-of date.
pub fn is_overdue(status: Status, due: Option<NaiveDate>, as_of: NaiveDate) -> bool {
    !matches!(status, Status::Completed | Status::Cancelled) && due.is_some_and(|d| d < as_of)
}

fn party_ref(p: &Party) -> Option<&Ref> {
    match p {
        Party::Item(r) | Party::Unit(r) | Party::Community(r) => Some(r),
        Party::Resident(_) => None,
    }
}

fn party_ref_mut(p: &mut Party) -> Option<&mut Ref> {
    match p {
        Party::Item(r) | Party::Unit(r) | Party::Community(r) => Some(r),
        Party::Resident(_) => None,
    }
}

/// The records not hidden, each passed to `fix` with its old index.
fn filter<T>(records: Vec<T>, hidden: &[bool], mut fix: impl FnMut(usize, &mut T)) -> Vec<T> {
    records
        .into_iter()
        .enumerate()
        .filter(|(k, _)| !hidden[*k])
        .map(|(k, mut x)| {
            fix(k, &mut x);
            x
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::content::fields::parse_date(s).unwrap()
    }

    #[test]
    fn first_sorted_is_sort_dedup_take() {
        let all = [5, 3, 9, 3, 1, 7, 1, 8, 2, 2];
        for n in 0..12 {
            let mut want = all.to_vec();
            want.sort_by(|a, b| b.cmp(a));
            want.dedup();
            want.truncate(n);
            assert_eq!(
                first_sorted(all.into_iter(), n, |a, b| b.cmp(a)),
                want,
                "{n}"
            );
        }
    }

    #[test]
    fn overdue_rules() {
        let as_of = d("2018-10-24");
        assert!(is_overdue(Status::Claimed, Some(d("2018-10-23")), as_of));
        assert!(is_overdue(Status::InProgress, Some(d("2018-01-01")), as_of));
        assert!(
            !is_overdue(Status::Claimed, Some(d("2018-10-24")), as_of),
            "due on the day is not late"
        );
        assert!(!is_overdue(Status::Completed, Some(d("2018-01-01")), as_of));
        assert!(!is_overdue(Status::Cancelled, Some(d("2018-01-01")), as_of));
        assert!(!is_overdue(Status::Claimed, None, as_of));
    }
}
