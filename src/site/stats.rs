//! The derived figures of records.md, per community, street, district, unit, category and
//! for the whole site.
//!
//! What counts where (records.md leaves the first three open; decided here):
//! - `agreements`: of a community, street, district, site: agreements of its communities; of
//!   a unit: agreements it signed; of a category: agreements with a commitment in it.
//! - `units`: distinct units with an agreement or an item in the scope; the site counts every
//!   published unit. `members_reported` sums `members_reported` over those units.
//! - Evaluations: of a community, its own and its items'; of a unit, its own and its items';
//!   of a street or district, those of its communities and their items; of a category, its
//!   items'; of the site, all.
//! - Every satisfaction figure is also split by who gave the evaluation ([`Evaluator`]): the
//!   双评价 system exists to show the directions apart.
//! - Years ([`YearTotals`]): an item counts in the year of its `claimed` date, with its
//!   reports and evaluations; an evaluation of a unit or a community in the year of its
//!   date; an agreement in every year of its term.

use std::collections::BTreeMap;

use chrono::Datelike;
use rustc_hash::{FxHashMap, FxHashSet};

use serde::Serialize;

use super::Site;
use crate::content::records::{Agreement, Party, Rating, Status};

/// Who gave an evaluation: its direction in the 双评价 system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evaluator {
    /// 居民评价: residents, of the items done for them.
    Resident,
    /// 社区评单位: communities, of units and of the items units carried out.
    Community,
    /// 单位评社区: units, of communities and of the items communities carried out.
    Unit,
}

impl Evaluator {
    /// In the order pages and tables show them.
    pub const ALL: [Evaluator; 3] = [Evaluator::Resident, Evaluator::Community, Evaluator::Unit];

    /// The direction of an evaluation `by` this party (an item never evaluates).
    pub fn of(by: &Party) -> Option<Evaluator> {
        match by {
            Party::Resident(_) => Some(Evaluator::Resident),
            Party::Community(_) => Some(Evaluator::Community),
            Party::Unit(_) => Some(Evaluator::Unit),
            Party::Item(_) => None,
        }
    }

    /// The key of field names and UI strings (`by_resident`…).
    pub fn key(self) -> &'static str {
        match self {
            Evaluator::Resident => "resident",
            Evaluator::Community => "community",
            Evaluator::Unit => "unit",
        }
    }
}

/// Evaluations counted by rating.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Ratings {
    pub evaluations: u32,
    pub satisfied: u32,
    pub fair: u32,
    pub unsatisfied: u32,
}

impl Ratings {
    /// (satisfied + fair) ÷ evaluations; `None` without evaluations.
    pub fn satisfaction_rate(&self) -> Option<f64> {
        (self.evaluations > 0)
            .then(|| f64::from(self.satisfied + self.fair) / f64::from(self.evaluations))
    }

    fn add(&mut self, rating: Rating) {
        self.evaluations += 1;
        match rating {
            Rating::Satisfied => self.satisfied += 1,
            Rating::Fair => self.fair += 1,
            Rating::Unsatisfied => self.unsatisfied += 1,
        }
    }
}

/// Evaluations overall and by direction ([`Evaluator::ALL`]'s order).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Satisfaction {
    /// Every evaluation, whoever gave it.
    #[serde(flatten)]
    pub all: Ratings,
    #[serde(skip)]
    pub by: [Ratings; 3],
}

impl Satisfaction {
    pub fn add(&mut self, rating: Rating, by: Option<Evaluator>) {
        self.all.add(rating);
        if let Some(e) = by {
            self.by[e as usize].add(rating);
        }
    }

    /// The evaluations given by `e`.
    pub fn by(&self, e: Evaluator) -> &Ratings {
        &self.by[e as usize]
    }

    /// The evaluations at `list` (indexes into the site's), counted: an item's, for its page
    /// and its row of the open data.
    pub fn of(site: &Site, list: &[u32]) -> Satisfaction {
        let mut s = Satisfaction::default();
        for &e in list {
            let ev = &site.evaluations[e as usize];
            s.add(ev.rating, Evaluator::of(&ev.by));
        }
        s
    }
}

/// The figures of one year of a scope: what the ranking tables of `/years/<yyyy>/` show.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YearTotals {
    pub agreements: u32,
    pub counts: ItemCounts,
    pub beneficiaries: u64,
    pub satisfaction: Satisfaction,
}

/// Items by status, and how many of them are overdue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ItemCounts {
    pub items: u32,
    pub claimed: u32,
    pub in_progress: u32,
    pub completed: u32,
    pub cancelled: u32,
    pub overdue: u32,
}

impl ItemCounts {
    /// completed ÷ (items − cancelled); `None` when nothing is left to divide by.
    pub fn completion_rate(&self) -> Option<f64> {
        let base = self.items - self.cancelled;
        (base > 0).then(|| f64::from(self.completed) / f64::from(base))
    }

    fn add(&mut self, status: Status, overdue: bool) {
        self.items += 1;
        match status {
            Status::Claimed => self.claimed += 1,
            Status::InProgress => self.in_progress += 1,
            Status::Completed => self.completed += 1,
            Status::Cancelled => self.cancelled += 1,
        }
        self.overdue += u32::from(overdue);
    }
}

/// The figures of one scope.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    pub agreements: u32,
    pub units: u32,
    pub members_reported: u64,
    #[serde(flatten)]
    pub counts: ItemCounts,
    /// 受益群众: `beneficiaries` over every published report, progress and final.
    pub beneficiaries: u64,
    pub volunteers: u64,
    pub hours: f64,
    #[serde(flatten)]
    pub satisfaction: Satisfaction,
    /// Final reports by the month of their date, `YYYY-MM` → count.
    pub completions_by_month: BTreeMap<String, u32>,
    /// The figures of each year (of the site, streets, communities and units only).
    #[serde(skip)]
    pub years: BTreeMap<i32, YearTotals>,
}

impl Totals {
    /// completed ÷ (items − cancelled); `None` when nothing is left to divide by.
    pub fn completion_rate(&self) -> Option<f64> {
        self.counts.completion_rate()
    }

    /// (satisfied + fair) ÷ evaluations, of every direction; `None` without evaluations.
    pub fn satisfaction_rate(&self) -> Option<f64> {
        self.satisfaction.all.satisfaction_rate()
    }

    fn add_item(&mut self, status: Status, overdue: bool) {
        self.counts.add(status, overdue);
    }

    fn add_report(
        &mut self,
        beneficiaries: u32,
        volunteers: u32,
        hours: f64,
        final_month: Option<&str>,
    ) {
        self.beneficiaries += u64::from(beneficiaries);
        self.volunteers += u64::from(volunteers);
        self.hours += hours;
        if let Some(m) = final_month {
            match self.completions_by_month.get_mut(m) {
                Some(n) => *n += 1,
                None => {
                    self.completions_by_month.insert(m.to_string(), 1);
                }
            }
        }
    }

    fn add_evaluation(&mut self, rating: Rating, by: Option<Evaluator>) {
        self.satisfaction.add(rating, by);
    }

    /// The figures of `year`, made when first counted.
    fn year(&mut self, year: i32) -> &mut YearTotals {
        self.years.entry(year).or_default()
    }
}

/// Figures for every scope; vectors are indexed like the site's records.
#[derive(Debug, Default, Serialize)]
pub struct Stats {
    pub site: Totals,
    pub streets: Vec<Totals>,
    pub communities: Vec<Totals>,
    pub units: Vec<Totals>,
    pub categories: Vec<Totals>,
    /// By district name; streets without a district are in no district.
    pub districts: BTreeMap<String, Totals>,
}

/// Which scopes to compute besides the site's (always computed): all for a build, those an
/// edit touched for `serve` ([`update`]). A district is computed with any of its streets.
#[derive(Debug, Clone)]
pub struct Want {
    pub streets: Vec<bool>,
    pub communities: Vec<bool>,
    pub units: Vec<bool>,
    pub categories: Vec<bool>,
}

impl Want {
    /// Every scope of `site`, or none.
    pub fn all(site: &Site, all: bool) -> Want {
        Want {
            streets: vec![all; site.streets.len()],
            communities: vec![all; site.communities.len()],
            units: vec![all; site.units.len()],
            categories: vec![all; site.config.categories.len()],
        }
    }

    /// Adds the scopes of item `i`: its community, street, unit and category.
    pub fn item(&mut self, site: &Site, i: usize) {
        let it = &site.items[i];
        self.community(site, it.community.idx());
        self.units[it.unit.idx()] = true;
        self.categories[it.category as usize] = true;
    }

    /// Adds community `c` and its street.
    pub fn community(&mut self, site: &Site, c: usize) {
        self.communities[c] = true;
        self.streets[site.communities[c].street.idx()] = true;
    }
}

/// Computes every scope's figures from the resolved site.
pub fn compute(site: &Site) -> Stats {
    compute_wanted(site, &Want::all(site, true))
}

/// A scope whose figures [`update`] changed.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    Site,
    District(String),
    Street(usize),
    Community(usize),
    Unit(usize),
    Category(usize),
}

/// Computes the figures of the scopes in `want` (and the site's) again, after an edit that
/// kept every reference; returns the scopes whose figures differ from before.
pub fn update(site: &mut Site, want: &Want) -> Vec<Scope> {
    let fresh = compute_wanted(site, want);
    let st = &mut site.stats;
    let mut changed = Vec::new();
    let mut put = |scope: Scope, old: &mut Totals, new: Totals| {
        if *old != new {
            *old = new;
            changed.push(scope);
        }
    };
    put(Scope::Site, &mut st.site, fresh.site);
    for (name, t) in fresh.districts {
        if let Some(old) = st.districts.get_mut(&name) {
            put(Scope::District(name), old, t);
        }
    }
    let lists = [
        (
            &want.streets,
            &mut st.streets,
            fresh.streets,
            Scope::Street as fn(usize) -> Scope,
        ),
        (
            &want.communities,
            &mut st.communities,
            fresh.communities,
            Scope::Community,
        ),
        (&want.units, &mut st.units, fresh.units, Scope::Unit),
        (
            &want.categories,
            &mut st.categories,
            fresh.categories,
            Scope::Category,
        ),
    ];
    for (wanted, old, new, scope) in lists {
        for (k, t) in new.into_iter().enumerate().filter(|(k, _)| wanted[*k]) {
            put(scope(k), &mut old[k], t);
        }
    }
    changed
}

/// Runs `$body` on the figures of the site and of each scope of `$s` (`$t` bound to each).
macro_rules! each_scope {
    ($st:expr, $districts:expr, $s:expr, |$t:ident| $body:expr) => {{
        {
            let $t = &mut $st.site;
            $body;
        }
        let lists = [
            ($s.community, &mut $st.communities),
            ($s.street, &mut $st.streets),
            ($s.unit, &mut $st.units),
            ($s.category, &mut $st.categories),
            ($s.district, &mut $districts),
        ];
        for (k, list) in lists {
            if let Some(k) = k {
                let $t = &mut list[k];
                $body;
            }
        }
    }};
}
/// The same for the figures of a year, kept by the site, streets, communities and units.
macro_rules! each_year_scope {
    ($st:expr, $s:expr, $year:expr, |$y:ident| $body:expr) => {{
        {
            let $y = $st.site.year($year);
            $body;
        }
        let lists = [
            ($s.community, &mut $st.communities),
            ($s.street, &mut $st.streets),
            ($s.unit, &mut $st.units),
        ];
        for (k, list) in lists {
            if let Some(k) = k {
                let $y = list[k].year($year);
                $body;
            }
        }
    }};
}

/// The scopes an item's figures go to besides the site, each only if wanted.
struct Scopes {
    community: Option<usize>,
    street: Option<usize>,
    district: Option<usize>,
    unit: Option<usize>,
    category: Option<usize>,
}

/// The figures of the site and of the scopes in `want`; the others are left empty.
fn compute_wanted(site: &Site, want: &Want) -> Stats {
    let mut st = Stats {
        site: Totals::default(),
        streets: vec![Totals::default(); site.streets.len()],
        communities: vec![Totals::default(); site.communities.len()],
        units: vec![Totals::default(); site.units.len()],
        categories: vec![Totals::default(); site.config.categories.len()],
        districts: BTreeMap::new(),
    };
    // Districts by index while counting; named in the result.
    let (district_names, street_district, district_wanted) = district_index(site, want);
    let mut districts = vec![Totals::default(); district_names.len()];
    let street_of = |c: usize| site.communities[c].street.idx();
    let district_of = |c: usize| street_district[street_of(c)];
    let wanted = |on: &[bool], k: usize| on[k].then_some(k);

    // A community's scopes: itself, its street and district.
    let community_scopes = |c: usize| Scopes {
        community: wanted(&want.communities, c),
        street: wanted(&want.streets, street_of(c)),
        district: district_of(c).filter(|&d| district_wanted[d]),
        unit: None,
        category: None,
    };
    let item_scopes: Vec<Scopes> = site
        .items
        .iter()
        .map(|it| Scopes {
            unit: wanted(&want.units, it.unit.idx()),
            category: wanted(&want.categories, it.category as usize),
            ..community_scopes(it.community.idx())
        })
        .collect();
    let item_year: Vec<i32> = site.items.iter().map(|it| it.claimed.year()).collect();
    for (i, s) in item_scopes.iter().enumerate() {
        let (status, overdue) = (site.item_status[i], site.item_overdue[i]);
        each_scope!(st, districts, s, |t| t.add_item(status, overdue));
        each_year_scope!(st, s, item_year[i], |y| y.counts.add(status, overdue));
    }
    // Months as `YYYY-MM`, formatted once each.
    let mut months: FxHashMap<(i32, u32), String> = FxHashMap::default();
    for rep in &site.reports {
        let s = &item_scopes[rep.item.idx()];
        let month = rep.is_final.then(|| {
            months
                .entry((rep.date.year(), rep.date.month()))
                .or_insert_with(|| rep.date.format("%Y-%m").to_string())
                .as_str()
        });
        let (b, v, h) = (
            rep.beneficiaries.unwrap_or(0),
            rep.volunteers.unwrap_or(0),
            rep.hours.unwrap_or(0.0),
        );
        each_scope!(st, districts, s, |t| t.add_report(b, v, h, month));
        each_year_scope!(st, s, item_year[rep.item.idx()], |y| y.beneficiaries +=
            u64::from(b));
    }
    for ev in &site.evaluations {
        let (rating, by) = (ev.rating, Evaluator::of(&ev.by));
        match &ev.of {
            Party::Item(r) => {
                let s = &item_scopes[r.idx()];
                each_scope!(st, districts, s, |t| t.add_evaluation(rating, by));
                each_year_scope!(st, s, item_year[r.idx()], |y| y
                    .satisfaction
                    .add(rating, by));
            }
            Party::Unit(r) => {
                let year = ev.date.year();
                st.site.add_evaluation(rating, by);
                st.site.year(year).satisfaction.add(rating, by);
                if want.units[r.idx()] {
                    let t = &mut st.units[r.idx()];
                    t.add_evaluation(rating, by);
                    t.year(year).satisfaction.add(rating, by);
                }
            }
            Party::Community(r) => {
                let s = community_scopes(r.idx());
                each_scope!(st, districts, s, |t| t.add_evaluation(rating, by));
                each_year_scope!(st, s, ev.date.year(), |y| y.satisfaction.add(rating, by));
            }
            Party::Resident(_) => {}
        }
    }

    // Agreements and distinct units per scope.
    let mut community_units: Vec<FxHashSet<usize>> =
        vec![FxHashSet::default(); site.communities.len()];
    let mut category_units: Vec<FxHashSet<usize>> = vec![FxHashSet::default(); st.categories.len()];
    for a in &site.agreements {
        let c = a.community.idx();
        let s = community_scopes(c);
        each_scope!(st, districts, s, |t| t.agreements += 1);
        for year in term_years(a) {
            each_year_scope!(st, s, year, |y| y.agreements += 1);
        }
        for u in &a.units {
            if want.units[u.idx()] {
                st.units[u.idx()].agreements += 1;
                for year in term_years(a) {
                    st.units[u.idx()].year(year).agreements += 1;
                }
            }
            community_units[c].insert(u.idx());
        }
        let cats: FxHashSet<u16> = a.commitments.iter().filter_map(|k| k.category).collect();
        for k in cats.into_iter().filter(|&k| want.categories[k as usize]) {
            st.categories[k as usize].agreements += 1;
        }
    }
    for it in &site.items {
        community_units[it.community.idx()].insert(it.unit.idx());
        if want.categories[it.category as usize] {
            category_units[it.category as usize].insert(it.unit.idx());
        }
    }
    count_units(
        site,
        want,
        &mut st,
        &mut districts,
        (&community_units, &category_units),
        community_scopes,
    );
    st.districts = district_names
        .iter()
        .map(|n| n.to_string())
        .zip(districts)
        .zip(district_wanted)
        .filter_map(|(d, w)| w.then_some(d))
        .collect();
    st.site.units = site.units.len() as u32;
    st.site.members_reported = site
        .units
        .iter()
        .map(|u| u64::from(u.members_reported.unwrap_or(0)))
        .sum();
    st
}

/// The districts' names in order, each street's district (an index into them), and which
/// districts are wanted (those of a wanted street).
fn district_index<'a>(
    site: &'a Site,
    want: &Want,
) -> (Vec<&'a str>, Vec<Option<usize>>, Vec<bool>) {
    let mut district_names: Vec<&str> = site
        .streets
        .iter()
        .filter_map(|s| s.district.as_deref())
        .collect();
    district_names.sort_unstable();
    district_names.dedup();
    let street_district: Vec<Option<usize>> = site
        .streets
        .iter()
        .map(|s| {
            s.district
                .as_deref()
                .and_then(|d| district_names.binary_search(&d).ok())
        })
        .collect();
    let mut district_wanted = vec![false; district_names.len()];
    for (s, d) in street_district.iter().enumerate() {
        if let (Some(d), true) = (d, want.streets[s]) {
            district_wanted[*d] = true;
        }
    }
    (district_names, street_district, district_wanted)
}

/// Distinct units and their members reported, per scope, from the units of each community
/// and category (`sets`).
fn count_units(
    site: &Site,
    want: &Want,
    st: &mut Stats,
    districts: &mut [Totals],
    (community_units, category_units): (&[FxHashSet<usize>], &[FxHashSet<usize>]),
    community_scopes: impl Fn(usize) -> Scopes,
) {
    let members = |set: &FxHashSet<usize>| -> u64 {
        set.iter()
            .map(|&u| u64::from(site.units[u].members_reported.unwrap_or(0)))
            .sum()
    };
    let mut street_units: Vec<FxHashSet<usize>> = vec![FxHashSet::default(); site.streets.len()];
    let mut district_units: Vec<FxHashSet<usize>> = vec![FxHashSet::default(); districts.len()];
    for (c, set) in community_units.iter().enumerate() {
        let Scopes {
            community,
            street,
            district,
            ..
        } = community_scopes(c);
        if let Some(c) = community {
            st.communities[c].units = set.len() as u32;
            st.communities[c].members_reported = members(set);
        }
        if let Some(s) = street {
            street_units[s].extend(set);
        }
        if let Some(d) = district {
            district_units[d].extend(set);
        }
    }
    for (s, set) in street_units
        .iter()
        .enumerate()
        .filter(|(s, _)| want.streets[*s])
    {
        st.streets[s].units = set.len() as u32;
        st.streets[s].members_reported = members(set);
    }
    for (d, set) in district_units.iter().enumerate() {
        let t = &mut districts[d];
        t.units = set.len() as u32;
        t.members_reported = members(set);
    }
    for (k, set) in category_units.iter().enumerate() {
        st.categories[k].units = set.len() as u32;
        st.categories[k].members_reported = members(set);
    }
    for (u, unit) in site.units.iter().enumerate() {
        st.units[u].units = 1;
        st.units[u].members_reported = u64::from(unit.members_reported.unwrap_or(0));
    }
}

/// The years of an agreement's term: from its start (else the day signed) to its end (else
/// the year it started).
pub fn term_years(a: &Agreement) -> std::ops::RangeInclusive<i32> {
    let from = a.start.unwrap_or(a.signed).year();
    let to = a.end.map_or(from, |d| d.year()).max(from);
    from..=to
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_have_no_value_without_a_base() {
        let mut t = Totals::default();
        assert_eq!(t.completion_rate(), None);
        assert_eq!(t.satisfaction_rate(), None);
        t.add_item(Status::Cancelled, false);
        assert_eq!(
            t.completion_rate(),
            None,
            "only cancelled items: nothing to divide by"
        );
        t.add_item(Status::Completed, false);
        t.add_item(Status::Claimed, true);
        t.add_item(Status::InProgress, false);
        // 1 completed of 4 items less 1 cancelled.
        assert_eq!(t.completion_rate(), Some(1.0 / 3.0));
        assert_eq!((t.counts.items, t.counts.overdue), (4, 1));
        t.add_evaluation(Rating::Satisfied, Some(Evaluator::Resident));
        t.add_evaluation(Rating::Fair, Some(Evaluator::Community));
        t.add_evaluation(Rating::Unsatisfied, Some(Evaluator::Resident));
        t.add_evaluation(Rating::Unsatisfied, Some(Evaluator::Community));
        assert_eq!(t.satisfaction_rate(), Some(0.5));
        assert_eq!(
            t.satisfaction.by(Evaluator::Resident).satisfaction_rate(),
            Some(0.5)
        );
        assert_eq!(t.satisfaction.by(Evaluator::Community).evaluations, 2);
        assert_eq!(
            t.satisfaction.by(Evaluator::Unit).satisfaction_rate(),
            None,
            "no evaluations by units: no rate"
        );
    }
}
