//! The third stage: the route table, the one list of every page of the site.
//!
//! Rendering, the sitemap and link checking all read this list instead of rediscovering
//! pages. A route says where a page lives and what it shows (by index into the site); the
//! template context is built from it by its kind's module in [`kinds`], and rendered with
//! the theme's template by [`crate::render`].

pub mod charts;
pub mod deps;
pub mod kinds;
pub mod links;
pub mod open_data;

use std::cmp::Ordering;

use crate::content::records::Party;
use crate::site::Site;
use crate::site::patch::Patched;
use kinds::latest_completed;

/// What a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    Home,
    Street(u32),
    /// A community's page; `page` counts from 1 over its items.
    Community {
        idx: u32,
        page: u32,
    },
    Units {
        page: u32,
    },
    Unit(u32),
    Agreement(u32),
    Item(u32),
    Categories,
    Category {
        idx: u32,
        page: u32,
    },
    /// The overdue items, by community; `page` counts from 1.
    Overdue {
        page: u32,
    },
    /// A community's printable notice sheet (公示单).
    Notice(u32),
    /// The open data page, describing the downloads under `data/`.
    Data,
    /// A year's figures and ranking tables (`years/<yyyy>/`).
    Year(i32),
    /// A free page (about, guide…).
    Page(u32),
    /// The search page (when `search.enabled`).
    Search,
    /// The accessibility statement (无障碍声明).
    Accessibility,
    NotFound,
}

impl PageKind {
    /// The theme template that renders this kind of page.
    pub fn template(self) -> &'static str {
        match self {
            PageKind::Home => "index.html",
            PageKind::Street(_) => "street.html",
            PageKind::Community { .. } => "community.html",
            PageKind::Units { .. } => "units.html",
            PageKind::Unit(_) => "unit.html",
            PageKind::Agreement(_) => "agreement.html",
            PageKind::Item(_) => "item.html",
            PageKind::Categories => "categories.html",
            PageKind::Category { .. } => "category.html",
            PageKind::Overdue { .. } => "overdue.html",
            PageKind::Notice(_) => "notice.html",
            PageKind::Data => "data.html",
            PageKind::Year(_) => "year.html",
            PageKind::Page(_) => "page.html",
            PageKind::Search => "search.html",
            PageKind::Accessibility => "accessibility.html",
            PageKind::NotFound => "404.html",
        }
    }

    /// The `page.kind` name templates see.
    pub fn name(self) -> &'static str {
        match self {
            PageKind::Home => "home",
            PageKind::Street(_) => "street",
            PageKind::Community { .. } => "community",
            PageKind::Units { .. } => "units",
            PageKind::Unit(_) => "unit",
            PageKind::Agreement(_) => "agreement",
            PageKind::Item(_) => "item",
            PageKind::Categories => "categories",
            PageKind::Category { .. } => "category",
            PageKind::Overdue { .. } => "overdue",
            PageKind::Notice(_) => "notice",
            PageKind::Data => "data",
            PageKind::Year(_) => "year",
            PageKind::Page(_) => "page",
            PageKind::Search => "search",
            PageKind::Accessibility => "accessibility",
            PageKind::NotFound => "404",
        }
    }

    /// Whether the search index holds this page: the pages of one thing a resident looks
    /// for (not lists, whose every line is a page of its own, nor later pages of a list).
    pub fn indexed(self) -> bool {
        match self {
            PageKind::Street(_)
            | PageKind::Unit(_)
            | PageKind::Agreement(_)
            | PageKind::Item(_)
            | PageKind::Page(_) => true,
            PageKind::Community { page, .. } | PageKind::Category { page, .. } => page == 1,
            PageKind::Home
            | PageKind::Units { .. }
            | PageKind::Categories
            | PageKind::Overdue { .. }
            | PageKind::Notice(_)
            | PageKind::Data
            | PageKind::Year(_)
            | PageKind::Search
            | PageKind::Accessibility
            | PageKind::NotFound => false,
        }
    }
}

/// One page: its URL relative to the base (`items/i-1/`, `""` for home) and what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub url: String,
    pub kind: PageKind,
}

impl Route {
    /// The file that holds the page in the output folder.
    pub fn file(&self) -> String {
        if self.url.ends_with(".html") {
            self.url.clone()
        } else {
            format!("{}index.html", self.url)
        }
    }

    /// Whether the page belongs in sitemap.xml: not the 404 page, nor a notice sheet (a
    /// print view of its community's page).
    pub fn in_sitemap(&self) -> bool {
        !matches!(self.kind, PageKind::NotFound | PageKind::Notice(_))
    }
}

/// URL of the `page`th page (from 1) of a paginated list at `url`.
pub fn paged_url(url: &str, page: u32) -> String {
    if page <= 1 {
        url.to_string()
    } else {
        format!("{url}page/{page}/")
    }
}

/// How many pages a list of `len` entries takes (at least one).
pub fn page_count(len: usize, per_page: u32) -> u32 {
    (len.div_ceil(per_page.max(1) as usize)).max(1) as u32
}

pub fn street_url(id: &str) -> String {
    format!("streets/{id}/")
}
pub fn community_url(id: &str) -> String {
    format!("communities/{id}/")
}
pub fn unit_url(id: &str) -> String {
    format!("units/{id}/")
}
pub fn agreement_url(id: &str) -> String {
    format!("agreements/{id}/")
}
pub fn item_url(id: &str) -> String {
    format!("items/{id}/")
}
pub fn notice_url(community_id: &str) -> String {
    format!("communities/{community_id}/notice/")
}
pub fn category_url(slug: &str) -> String {
    format!("categories/{slug}/")
}
pub fn year_url(year: i32) -> String {
    format!("years/{year}/")
}

/// The years with items (by their `claimed` date), oldest first: each has a page.
pub fn years(site: &Site) -> Vec<i32> {
    site.stats
        .site
        .years
        .iter()
        .filter(|(_, y)| y.counts.items > 0)
        .map(|(&year, _)| year)
        .collect()
}
pub const UNITS_URL: &str = "units/";
pub const CATEGORIES_URL: &str = "categories/";
pub const OVERDUE_URL: &str = "overdue/";
pub const DATA_URL: &str = "data/";
pub const SEARCH_URL: &str = "search/";
pub const ACCESSIBILITY_URL: &str = "accessibility/";

/// Every page of the site, in a stable order.
pub fn routes(site: &Site, index: &Index) -> Vec<Route> {
    let per = site.config.items_per_page;
    let mut out = vec![Route {
        url: String::new(),
        kind: PageKind::Home,
    }];
    let route = |url: String, kind| Route { url, kind };
    for (i, s) in site.streets.iter().enumerate() {
        out.push(route(street_url(&s.meta.id), PageKind::Street(i as u32)));
    }
    for (i, c) in site.communities.iter().enumerate() {
        let base = community_url(&c.meta.id);
        for page in 1..=page_count(index.community_items[i].len(), per) {
            out.push(route(
                paged_url(&base, page),
                PageKind::Community {
                    idx: i as u32,
                    page,
                },
            ));
        }
        out.push(route(notice_url(&c.meta.id), PageKind::Notice(i as u32)));
    }
    for page in 1..=page_count(site.units.len(), per) {
        out.push(route(paged_url(UNITS_URL, page), PageKind::Units { page }));
    }
    for (i, u) in site.units.iter().enumerate() {
        out.push(route(unit_url(&u.meta.id), PageKind::Unit(i as u32)));
    }
    for (i, a) in site.agreements.iter().enumerate() {
        out.push(route(
            agreement_url(&a.meta.id),
            PageKind::Agreement(i as u32),
        ));
    }
    for (i, it) in site.items.iter().enumerate() {
        out.push(route(item_url(&it.meta.id), PageKind::Item(i as u32)));
    }
    out.push(route(CATEGORIES_URL.to_string(), PageKind::Categories));
    for (i, c) in site.config.categories.iter().enumerate() {
        let base = category_url(&c.slug);
        for page in 1..=page_count(index.category_items[i].len(), per) {
            out.push(route(
                paged_url(&base, page),
                PageKind::Category {
                    idx: i as u32,
                    page,
                },
            ));
        }
    }
    for page in 1..=page_count(index.overdue.len(), per) {
        out.push(route(
            paged_url(OVERDUE_URL, page),
            PageKind::Overdue { page },
        ));
    }
    out.push(route(DATA_URL.to_string(), PageKind::Data));
    for year in years(site) {
        out.push(route(year_url(year), PageKind::Year(year)));
    }
    for (i, p) in site.pages.iter().enumerate() {
        out.push(route(format!("{}/", p.meta.id), PageKind::Page(i as u32)));
    }
    if site.config.search_enabled {
        out.push(route(SEARCH_URL.to_string(), PageKind::Search));
    }
    out.push(route(
        ACCESSIBILITY_URL.to_string(),
        PageKind::Accessibility,
    ));
    out.push(route("404.html".to_string(), PageKind::NotFound));
    out
}

/// Who shows what: the lists each page needs, computed once per build. Lists of items are
/// ordered newest claim first (then by id), reports and evaluations newest first.
#[derive(Debug, Default)]
pub struct Index {
    pub street_communities: Vec<Vec<u32>>,
    pub community_items: Vec<Vec<u32>>,
    pub community_agreements: Vec<Vec<u32>>,
    pub community_units: Vec<Vec<u32>>,
    pub unit_items: Vec<Vec<u32>>,
    pub unit_agreements: Vec<Vec<u32>>,
    pub unit_communities: Vec<Vec<u32>>,
    pub agreement_items: Vec<Vec<u32>>,
    pub category_items: Vec<Vec<u32>>,
    /// Evaluations of each item.
    pub item_evaluations: Vec<Vec<u32>>,
    /// Evaluations of, and by, each community and unit.
    pub community_evaluations_received: Vec<Vec<u32>>,
    pub community_evaluations_given: Vec<Vec<u32>>,
    pub unit_evaluations_received: Vec<Vec<u32>>,
    pub unit_evaluations_given: Vec<Vec<u32>>,
    /// Every overdue item, longest overdue first (earliest due date); equal ones by community,
    /// in site order, then as the community lists them.
    pub overdue: Vec<u32>,
    /// Reports about items of each community / unit, newest first.
    pub community_reports: Vec<Vec<u32>>,
    pub unit_reports: Vec<Vec<u32>>,
    /// The latest completed items the home page shows ([`latest_completed`]), kept so that
    /// choosing the pages an edit touches need not look through every report.
    pub latest_completed: Vec<u32>,
}

impl Index {
    pub fn new(site: &Site) -> Index {
        let n = |len: usize| vec![Vec::new(); len];
        let mut index = Index {
            street_communities: n(site.streets.len()),
            community_items: n(site.communities.len()),
            community_agreements: n(site.communities.len()),
            community_units: n(site.communities.len()),
            unit_items: n(site.units.len()),
            unit_agreements: n(site.units.len()),
            unit_communities: n(site.units.len()),
            agreement_items: n(site.agreements.len()),
            category_items: n(site.config.categories.len()),
            item_evaluations: n(site.items.len()),
            community_evaluations_received: n(site.communities.len()),
            community_evaluations_given: n(site.communities.len()),
            unit_evaluations_received: n(site.units.len()),
            unit_evaluations_given: n(site.units.len()),
            community_reports: n(site.communities.len()),
            unit_reports: n(site.units.len()),
            overdue: Vec::new(),
            latest_completed: latest_completed(site),
        };
        for (i, c) in site.communities.iter().enumerate() {
            index.street_communities[c.street.idx()].push(i as u32);
        }
        let mut item_order: Vec<u32> = (0..site.items.len() as u32).collect();
        item_order.sort_by(items_newest_first(site));
        for &i in &item_order {
            let it = &site.items[i as usize];
            index.community_items[it.community.idx()].push(i);
            index.unit_items[it.unit.idx()].push(i);
            index.category_items[it.category as usize].push(i);
            if let Some(a) = &it.agreement {
                index.agreement_items[a.idx()].push(i);
            }
        }
        index.overdue = overdue(site, &index.community_items);
        for (k, a) in site.agreements.iter().enumerate() {
            index.community_agreements[a.community.idx()].push(k as u32);
            for u in &a.units {
                index.unit_agreements[u.idx()].push(k as u32);
            }
        }
        // Units of a community, and communities of a unit: through agreements and items.
        for (c, list) in index.community_units.iter_mut().enumerate() {
            let mut units: Vec<u32> = index.community_agreements[c]
                .iter()
                .flat_map(|&a| site.agreements[a as usize].units.iter().map(|u| u.idx))
                .chain(
                    index.community_items[c]
                        .iter()
                        .map(|&i| site.items[i as usize].unit.idx),
                )
                .collect();
            units.sort_unstable();
            units.dedup();
            *list = units;
        }
        for (c, units) in index.community_units.iter().enumerate() {
            for &u in units {
                index.unit_communities[u as usize].push(c as u32);
            }
        }
        let mut report_order: Vec<u32> = (0..site.reports.len() as u32).collect();
        report_order.sort_by(reports_newest_first(site));
        for &r in &report_order {
            let it = &site.items[site.reports[r as usize].item.idx()];
            index.community_reports[it.community.idx()].push(r);
            index.unit_reports[it.unit.idx()].push(r);
        }
        let mut eval_order: Vec<u32> = (0..site.evaluations.len() as u32).collect();
        eval_order.sort_by(evaluations_newest_first(site));
        for &e in &eval_order {
            let ev = &site.evaluations[e as usize];
            match &ev.of {
                Party::Item(r) => index.item_evaluations[r.idx()].push(e),
                Party::Unit(r) => index.unit_evaluations_received[r.idx()].push(e),
                Party::Community(r) => index.community_evaluations_received[r.idx()].push(e),
                Party::Resident(_) => {}
            }
            match &ev.by {
                Party::Unit(r) => index.unit_evaluations_given[r.idx()].push(e),
                Party::Community(r) => index.community_evaluations_given[r.idx()].push(e),
                _ => {}
            }
        }
        index
    }

    /// Brings the lists up to date after [`crate::site::patch::apply`]: the lists holding a
    /// record whose date changed are sorted again, the overdue list made again. Returns the
    /// category lists sorted again, as they were (their pages may shift).
    pub fn patch(&mut self, site: &Site, p: &Patched) -> Vec<(usize, Vec<u32>)> {
        let mut categories = Vec::new();
        for &i in &p.moved_items {
            let it = &site.items[i as usize];
            let order = items_newest_first(site);
            self.community_items[it.community.idx()].sort_by(&order);
            self.unit_items[it.unit.idx()].sort_by(&order);
            if let Some(a) = &it.agreement {
                self.agreement_items[a.idx()].sort_by(&order);
            }
            let k = it.category as usize;
            if !categories.iter().any(|(c, _)| *c == k) {
                categories.push((k, self.category_items[k].clone()));
                self.category_items[k].sort_by(&order);
            }
        }
        for &r in &p.moved_reports {
            let it = &site.items[site.reports[r as usize].item.idx()];
            let order = reports_newest_first(site);
            self.community_reports[it.community.idx()].sort_by(&order);
            self.unit_reports[it.unit.idx()].sort_by(&order);
        }
        for &e in &p.moved_evaluations {
            let ev = &site.evaluations[e as usize];
            let order = evaluations_newest_first(site);
            match &ev.of {
                Party::Item(r) => self.item_evaluations[r.idx()].sort_by(&order),
                Party::Unit(r) => self.unit_evaluations_received[r.idx()].sort_by(&order),
                Party::Community(r) => self.community_evaluations_received[r.idx()].sort_by(&order),
                Party::Resident(_) => {}
            }
            match &ev.by {
                Party::Unit(r) => self.unit_evaluations_given[r.idx()].sort_by(&order),
                Party::Community(r) => self.community_evaluations_given[r.idx()].sort_by(&order),
                _ => {}
            }
        }
        if !p.moved_items.is_empty() || !p.derived.is_empty() {
            self.overdue = overdue(site, &self.community_items);
        }
        if !p.reports.is_empty() {
            self.latest_completed = latest_completed(site);
        }
        categories
    }
}

/// The order of lists of items: newest claim first, then by id.
fn items_newest_first(site: &Site) -> impl Fn(&u32, &u32) -> Ordering + '_ {
    |&a, &b| {
        let (x, y) = (&site.items[a as usize], &site.items[b as usize]);
        y.claimed
            .cmp(&x.claimed)
            .then_with(|| x.meta.id.cmp(&y.meta.id))
    }
}

/// The order of lists of reports: newest first, then by id.
fn reports_newest_first(site: &Site) -> impl Fn(&u32, &u32) -> Ordering + '_ {
    |&a, &b| {
        let (x, y) = (&site.reports[a as usize], &site.reports[b as usize]);
        y.date.cmp(&x.date).then_with(|| x.meta.id.cmp(&y.meta.id))
    }
}

/// The order of lists of evaluations: newest first, then by id.
fn evaluations_newest_first(site: &Site) -> impl Fn(&u32, &u32) -> Ordering + '_ {
    |&a, &b| {
        let (x, y) = (&site.evaluations[a as usize], &site.evaluations[b as usize]);
        y.date.cmp(&x.date).then_with(|| x.meta.id.cmp(&y.meta.id))
    }
}

/// Every overdue item, longest overdue first: see [`Index::overdue`].
fn overdue(site: &Site, community_items: &[Vec<u32>]) -> Vec<u32> {
    let mut list: Vec<u32> = community_items
        .iter()
        .flatten()
        .copied()
        .filter(|&i| site.item_overdue[i as usize])
        .collect();
    // Stable: equal due dates keep the community order above.
    list.sort_by_key(|&i| site.items[i as usize].due);
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_urls_and_counts() {
        assert_eq!(paged_url("units/", 1), "units/");
        assert_eq!(paged_url("units/", 3), "units/page/3/");
        assert_eq!(page_count(0, 50), 1);
        assert_eq!(page_count(50, 50), 1);
        assert_eq!(page_count(51, 50), 2);
    }

    #[test]
    fn files_of_routes() {
        let r = Route {
            url: "items/a/".into(),
            kind: PageKind::Item(0),
        };
        assert_eq!(r.file(), "items/a/index.html");
        let home = Route {
            url: String::new(),
            kind: PageKind::Home,
        };
        assert_eq!(home.file(), "index.html");
        let nf = Route {
            url: "404.html".into(),
            kind: PageKind::NotFound,
        };
        assert_eq!(nf.file(), "404.html");
    }
}
