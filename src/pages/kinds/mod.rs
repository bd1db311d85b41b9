//! The data each template sees, built from the resolved site and the route (the contract is
//! docs/templates.md). Everything here is already masked and sanitised.

mod agreement;
mod categories;
mod category;
mod community;
mod data;
mod home;
mod item;
mod notice;
mod overdue;
mod page;
mod search;
mod street;
mod unit;
mod units;
mod year;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

use super::charts::{self, ChartScope};
use super::open_data;
use crate::content::fields::Choice;
use crate::content::records::{self, Evaluation, Item, Party, Report};
use crate::diagnostics::Diagnostic;
use crate::pages::{self, Index, PageKind, Route};
use crate::render::{Renderer, markdown, qr};
use crate::site::stats::{Evaluator, ItemCounts, Satisfaction, Totals, YearTotals};
use crate::site::{Site, ranking};

/// What every page's context is built from: the site's data and the UI strings, and values
/// made once and shared by many pages.
pub struct PageSource<'a> {
    pub site: &'a Site,
    pub index: &'a Index,
    pub strings: &'a BTreeMap<String, String>,
    /// Path part of the base URL, `/…/`.
    pub base: &'a str,
    /// The copies of every photo, for the `<img>` of report photos.
    pub photos: &'a crate::photos::Photos,
    /// Each community's QR code, made once for its pages and its notice sheet.
    pub qr: Vec<OnceLock<Option<String>>>,
    /// Each item's table row as a Tera value, made once: an item is a row of four or five
    /// lists (its community's, unit's, category's and agreement's, the overdue list), and
    /// a made value is shared, not copied.
    pub rows: Vec<OnceLock<tera::Value>>,
}

impl PageSource<'_> {
    /// A UI string; its key when the theme lacks it, so a missing string shows, not breaks.
    pub(crate) fn t(&self, key: &str) -> String {
        self.strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }
}

#[derive(Serialize)]
pub struct SiteData<'a> {
    pub title: &'a str,
    pub base_url: &'a str,
    pub base: &'a str,
    pub lang: &'static str,
    pub as_of: String,
    pub portal: Option<&'a crate::config::Portal>,
    pub nav: Vec<NavLink<'a>>,
    pub search: bool,
    pub drafts: bool,
    pub notice: NoticeData<'a>,
    /// Whom the accessibility statement names (`[accessibility] contact`), or null.
    pub accessibility_contact: Option<&'a str>,
}

/// What every notice sheet prints from site.toml's `[notice]`: the 公示期 as two dates, its
/// length in days, the 监督电话 and the issuer (null when not set).
#[derive(Serialize)]
pub struct NoticeData<'a> {
    pub start: String,
    pub end: String,
    pub days: i64,
    pub phone: Option<&'a str>,
    pub issuer: Option<&'a str>,
}

fn notice_data(notice: &crate::config::Notice, as_of: chrono::NaiveDate) -> NoticeData<'_> {
    use crate::config::NoticePeriod;
    let (start, end) = match notice.period {
        NoticePeriod::Days(n) => {
            let last = as_of.checked_add_days(chrono::Days::new(u64::from(n.max(1) - 1)));
            (as_of, last.unwrap_or(chrono::NaiveDate::MAX))
        }
        NoticePeriod::Dates(s, e) => (s, e),
    };
    NoticeData {
        start: start.to_string(),
        end: end.to_string(),
        days: (end - start).num_days() + 1,
        phone: notice.phone.as_deref(),
        issuer: notice.issuer.as_deref(),
    }
}

#[derive(Serialize)]
pub struct NavLink<'a> {
    pub title: &'a str,
    pub url: String,
}

/// The `site` value of every page.
pub fn site_data<'a>(site: &'a Site, base: &'a str, drafts: bool) -> SiteData<'a> {
    SiteData {
        title: &site.config.title,
        base_url: &site.config.base_url,
        base,
        lang: site.config.language.code(),
        as_of: site.as_of.to_string(),
        portal: site.config.portal.as_ref(),
        nav: site
            .pages
            .iter()
            .map(|p| NavLink {
                title: &p.title,
                url: format!("{}/", p.meta.id),
            })
            .collect(),
        search: site.config.search_enabled,
        drafts,
        notice: notice_data(&site.config.notice, site.as_of),
        accessibility_contact: site.config.accessibility_contact.as_deref(),
    }
}

#[derive(Serialize)]
struct PageData<'a> {
    url: &'a str,
    title: String,
    kind: &'static str,
}

#[derive(Serialize)]
struct TotalsData<'a> {
    #[serde(flatten)]
    totals: &'a Totals,
    completion_rate: Option<String>,
    satisfaction_rate: Option<String>,
    completion_percent: Option<f64>,
    satisfaction_percent: Option<f64>,
    /// The satisfaction of each direction, on the page of the scope itself (not in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    directions: Option<Vec<DirectionData>>,
}

/// A rate as a number 0–100 with one decimal, for `<progress>`.
fn percent(r: Option<f64>) -> Option<f64> {
    r.map(|r| (r * 1000.0).round() / 10.0)
}

/// A rate as text (`75.0%`).
fn percent_text(p: Option<f64>) -> Option<String> {
    p.map(|p| format!("{p:.1}%"))
}

/// A scope's figures for a row of a list.
fn totals(t: &Totals) -> TotalsData<'_> {
    let (c, s) = (percent(t.completion_rate()), percent(t.satisfaction_rate()));
    TotalsData {
        totals: t,
        completion_rate: percent_text(c),
        satisfaction_rate: percent_text(s),
        completion_percent: c,
        satisfaction_percent: s,
        directions: None,
    }
}

/// A scope's figures for its own page: with the satisfaction of each direction.
fn scope_totals(t: &Totals) -> TotalsData<'_> {
    TotalsData {
        directions: Some(directions(&t.satisfaction)),
        ..totals(t)
    }
}

/// The evaluations of one direction (`key` is `resident`, `community` or `unit`).
#[derive(Serialize)]
pub(crate) struct DirectionData {
    key: &'static str,
    evaluations: u32,
    satisfaction_rate: Option<String>,
    satisfaction_percent: Option<f64>,
}

/// The evaluations of each direction, in [`Evaluator::ALL`]'s order.
pub(crate) fn directions(s: &Satisfaction) -> Vec<DirectionData> {
    Evaluator::ALL
        .iter()
        .map(|&e| {
            let r = s.by(e);
            let p = percent(r.satisfaction_rate());
            DirectionData {
                key: e.key(),
                evaluations: r.evaluations,
                satisfaction_rate: percent_text(p),
                satisfaction_percent: p,
            }
        })
        .collect()
}

/// The figures of one year of a scope (a row of a ranking or year-by-year table).
#[derive(Serialize)]
pub(crate) struct YearData<'a> {
    #[serde(flatten)]
    counts: &'a ItemCounts,
    agreements: u32,
    beneficiaries: u64,
    evaluations: u32,
    completion_rate: Option<String>,
    satisfaction_rate: Option<String>,
    completion_percent: Option<f64>,
    satisfaction_percent: Option<f64>,
    directions: Vec<DirectionData>,
}

pub(crate) fn year_data(y: &YearTotals) -> YearData<'_> {
    let (c, s) = (
        percent(y.counts.completion_rate()),
        percent(y.satisfaction.all.satisfaction_rate()),
    );
    YearData {
        counts: &y.counts,
        agreements: y.agreements,
        beneficiaries: y.beneficiaries,
        evaluations: y.satisfaction.all.evaluations,
        completion_rate: percent_text(c),
        satisfaction_rate: percent_text(s),
        completion_percent: c,
        satisfaction_percent: s,
        directions: directions(&y.satisfaction),
    }
}

/// A scope's figures year by year, oldest first, each year linking its page.
/// A community in a street's list, with its figures (the home page, a street's page).
#[derive(Serialize)]
struct CommunityEntry<'a> {
    id: &'a str,
    name: &'a str,
    url: String,
    totals: TotalsData<'a>,
}

/// The communities of street `s`, in order, with their figures.
fn community_entries<'a>(source: &PageSource<'a>, s: usize) -> Vec<CommunityEntry<'a>> {
    source.index.street_communities[s]
        .iter()
        .map(|&c| {
            let l = source.community_link(c as usize);
            CommunityEntry {
                id: l.id,
                name: l.name,
                url: l.url,
                totals: totals(&source.site.stats.communities[c as usize]),
            }
        })
        .collect()
}

#[derive(Serialize)]
struct YearRow<'a> {
    year: i32,
    url: String,
    #[serde(flatten)]
    figures: YearData<'a>,
}

/// The years of `t` that have a page (the site has items in them).
fn year_rows<'a>(t: &'a Totals, site: &Site) -> Vec<YearRow<'a>> {
    let pages = pages::years(site);
    t.years
        .iter()
        .filter(|(year, _)| pages.binary_search(year).is_ok())
        .map(|(&year, y)| YearRow {
            year,
            url: pages::year_url(year),
            figures: year_data(y),
        })
        .collect()
}

#[derive(Serialize)]
struct Link<'a> {
    id: &'a str,
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct CategoryLink<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct ItemRow<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    status: &'static str,
    status_label: String,
    overdue: bool,
    /// Days past the due date on the as-of date, when overdue (逾期 N 天): counted once here,
    /// not in every template that shows it.
    overdue_days: Option<i64>,
    draft: bool,
    claimed: String,
    due: Option<String>,
    community: Link<'a>,
    unit: Link<'a>,
    category: CategoryLink<'a>,
    /// The date of the final report, for lists of completed items.
    completed_on: Option<String>,
}

/// A report's photo as its `<img>` shows it: `src` the widest copy, `srcset` every copy, and
/// the widest copy's size, so that the page keeps its place while the photo loads.
#[derive(Serialize)]
struct Photo {
    src: String,
    srcset: String,
    sizes: &'static str,
    width: u32,
    height: u32,
    alt: String,
}

/// How wide a report photo is shown: the whole column on a phone, half of it from 48em, a
/// third of the 72rem column from 64em (the `.photos` grid of style.css).
const PHOTO_SIZES: &str = "(min-width: 64em) 23rem, (min-width: 48em) 50vw, 100vw";

#[derive(Serialize)]
struct ReportData<'a> {
    id: &'a str,
    date: String,
    #[serde(rename = "final")]
    is_final: bool,
    summary: &'a str,
    beneficiaries: Option<u32>,
    volunteers: Option<u32>,
    hours: Option<f64>,
    photos: Vec<Photo>,
    body_html: String,
    item: Link<'a>,
    draft: bool,
}

#[derive(Serialize)]
struct PartyData<'a> {
    kind: &'static str,
    kind_label: String,
    name: &'a str,
    url: Option<String>,
}

#[derive(Serialize)]
struct EvaluationData<'a> {
    id: &'a str,
    date: String,
    rating: &'static str,
    rating_label: String,
    comment: Option<&'a str>,
    of: PartyData<'a>,
    by: PartyData<'a>,
}

#[derive(Serialize)]
struct Pagination {
    current: u32,
    total: u32,
    prev_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PageNumber>,
}

#[derive(Serialize, Debug, PartialEq)]
struct PageNumber {
    number: u32,
    url: String,
    current: bool,
    /// Page numbers were left out before this one (the pager shows "…").
    gap_before: bool,
}

/// How many page numbers either side of the current one the pager links, besides the first
/// and the last: a list of 200 pages is seven links on a phone, not 200 (decisions.md).
const PAGER_REACH: u32 = 2;

fn pagination(url: &str, current: u32, total: u32) -> Option<Pagination> {
    (total > 1).then(|| Pagination {
        current,
        total,
        prev_url: (current > 1).then(|| pages::paged_url(url, current - 1)),
        next_url: (current < total).then(|| pages::paged_url(url, current + 1)),
        pages: (1..=total)
            .filter(|&n| {
                // A gap of one number would take as much room as the number.
                let near = |n: u32| n.abs_diff(current) <= PAGER_REACH;
                n == 1
                    || n == total
                    || near(n)
                    || (n == 2 && near(3))
                    || (n + 1 == total && near(n - 1))
            })
            .scan(0, |shown, n| {
                let gap_before = n > *shown + 1;
                *shown = n;
                Some(PageNumber {
                    number: n,
                    url: pages::paged_url(url, n),
                    current: n == current,
                    gap_before,
                })
            })
            .collect(),
    })
}

/// The positions in a list that page `page` (from 1) shows, `per` to a page; the list may
/// end before them.
pub fn page_range(page: u32, per: u32) -> std::ops::Range<usize> {
    let start = (page.max(1) as usize - 1) * per as usize;
    start..start + per as usize
}

/// The slice of `list` shown on page `page` (from 1).
pub fn page_slice(list: &[u32], page: u32, per: u32) -> &[u32] {
    let shown = page_range(page, per);
    list.get(shown.start..shown.end.min(list.len()))
        .unwrap_or(&[])
}

/// A record's Markdown body as HTML, as pulldown-cmark writes it: not minified, even when
/// the pages are (decisions.md, Minifying).
fn body(source: &PageSource, markdown_text: &str, id_prefix: &str) -> String {
    if markdown_text.trim().is_empty() {
        return String::new();
    }
    markdown::to_html(markdown_text, source.base, id_prefix)
}

impl<'a> PageSource<'a> {
    /// The QR code of community `c`'s page (its full URL), made once for its list pages and
    /// its notice sheet.
    fn community_qr(&self, c: usize) -> &Option<String> {
        self.qr[c].get_or_init(|| {
            let url = pages::community_url(&self.site.communities[c].meta.id);
            qr::svg(&format!("{}{url}", self.site.config.base_url))
        })
    }

    fn community_link(&self, i: usize) -> Link<'a> {
        let c = &self.site.communities[i];
        Link {
            id: &c.meta.id,
            name: &c.name,
            url: pages::community_url(&c.meta.id),
        }
    }
    fn unit_link(&self, i: usize) -> Link<'a> {
        let u = &self.site.units[i];
        Link {
            id: &u.meta.id,
            name: &u.name,
            url: pages::unit_url(&u.meta.id),
        }
    }
    fn street_link(&self, i: usize) -> Link<'a> {
        let s = &self.site.streets[i];
        Link {
            id: &s.meta.id,
            name: &s.name,
            url: pages::street_url(&s.meta.id),
        }
    }
    fn item_link(&self, i: usize) -> Link<'a> {
        let it = &self.site.items[i];
        Link {
            id: &it.meta.id,
            name: &it.title,
            url: pages::item_url(&it.meta.id),
        }
    }
    fn agreement_link(&self, i: usize) -> Link<'a> {
        let a = &self.site.agreements[i];
        Link {
            id: &a.meta.id,
            name: &a.title,
            url: pages::agreement_url(&a.meta.id),
        }
    }
    fn category_link(&self, i: usize) -> CategoryLink<'a> {
        let c = &self.site.config.categories[i];
        CategoryLink {
            slug: &c.slug,
            name: &c.name,
            url: pages::category_url(&c.slug),
        }
    }

    fn item_row(&self, i: u32) -> ItemRow<'a> {
        let i = i as usize;
        let it: &'a Item = &self.site.items[i];
        let status = self.site.item_status[i];
        let completed_on = self.site.completed_on(i).map(|d| d.to_string());
        ItemRow {
            id: &it.meta.id,
            url: pages::item_url(&it.meta.id),
            title: &it.title,
            status: status.key(),
            status_label: self.t(&format!("status_{}", status.key())),
            overdue: self.site.item_overdue[i],
            overdue_days: self.site.overdue_days(i),
            draft: it.meta.draft,
            claimed: it.claimed.to_string(),
            due: it.due.map(|d| d.to_string()),
            community: self.community_link(it.community.idx()),
            unit: self.unit_link(it.unit.idx()),
            category: self.category_link(it.category as usize),
            completed_on,
        }
    }

    fn report(&self, k: u32) -> ReportData<'a> {
        let r: &'a Report = &self.site.reports[k as usize];
        ReportData {
            id: &r.meta.id,
            date: r.date.to_string(),
            is_final: r.is_final,
            summary: &r.summary,
            beneficiaries: r.beneficiaries,
            volunteers: r.volunteers,
            hours: r.hours,
            photos: r.photos.iter().map(|p| self.photo(p)).collect(),
            body_html: body(self, &r.meta.body, &format!("r-{}-", r.meta.id)),
            item: self.item_link(r.item.idx()),
            draft: r.meta.draft,
        }
    }

    /// A report photo's `<img>`: its copies, or the file itself when it is no photo shiji
    /// resizes (an error of the checks, so only pages that are not published show it).
    fn photo(&self, p: &records::Photo) -> Photo {
        let url = |rel: &str| markdown::href_attr(&format!("{}{rel}", self.base));
        let Some(plan) = self.photos.get(&p.src) else {
            return Photo {
                src: url(&static_url(&p.src)),
                srcset: String::new(),
                sizes: PHOTO_SIZES,
                width: 0,
                height: 0,
                alt: p.alt.clone(),
            };
        };
        let top = plan.top();
        let srcset: Vec<String> = plan
            .copies
            .iter()
            .map(|c| format!("{} {}w", url(&c.rel), c.width))
            .collect();
        Photo {
            src: url(&top.rel),
            srcset: srcset.join(", "),
            sizes: PHOTO_SIZES,
            width: top.width,
            height: top.height,
            alt: p.alt.clone(),
        }
    }

    fn party(&self, p: &'a Party) -> PartyData<'a> {
        let (kind, name, url): (&'static str, &'a str, Option<String>) = match p {
            Party::Item(r) => {
                let l = self.item_link(r.idx());
                ("item", l.name, Some(l.url))
            }
            Party::Unit(r) => {
                let l = self.unit_link(r.idx());
                ("unit", l.name, Some(l.url))
            }
            Party::Community(r) => {
                let l = self.community_link(r.idx());
                ("community", l.name, Some(l.url))
            }
            Party::Resident(name) => ("resident", name.as_str(), None),
        };
        PartyData {
            kind,
            kind_label: self.t(&format!("party_{kind}")),
            name,
            url,
        }
    }

    fn evaluation(&self, e: u32) -> EvaluationData<'a> {
        let ev: &'a Evaluation = &self.site.evaluations[e as usize];
        EvaluationData {
            id: &ev.meta.id,
            date: ev.date.to_string(),
            rating: ev.rating.key(),
            rating_label: self.t(&format!("rating_{}", ev.rating.key())),
            comment: ev.comment.as_deref(),
            of: self.party(&ev.of),
            by: self.party(&ev.by),
        }
    }

    /// The charts of `scope`, made once for all the pages of a category.
    fn charts(&self, scope: ChartScope) -> tera::TeraResult<Made> {
        tera::Value::try_from_serializable(&charts::for_scope(self, scope)).map(Made)
    }

    fn rows(&self, list: &[u32]) -> tera::TeraResult<Made> {
        let rows = list
            .iter()
            .map(|&i| {
                made_once(&self.rows[i as usize], || {
                    tera::Value::try_from_serializable(&self.item_row(i))
                })
            })
            .collect::<tera::TeraResult<Vec<tera::Value>>>()?;
        Ok(Made(tera::Value::from(rows)))
    }
    fn reports(&self, list: &[u32], most: usize) -> Vec<ReportData<'a>> {
        list.iter().take(most).map(|&k| self.report(k)).collect()
    }
    fn evaluations(&self, list: &[u32]) -> Vec<EvaluationData<'a>> {
        list.iter().map(|&e| self.evaluation(e)).collect()
    }
}

/// The value in `cell`, made by `make` the first time (a made value is shared, not copied).
fn made_once(
    cell: &OnceLock<tera::Value>,
    make: impl FnOnce() -> tera::TeraResult<tera::Value>,
) -> tera::TeraResult<tera::Value> {
    if let Some(made) = cell.get() {
        return Ok(made.clone());
    }
    let made = make()?;
    Ok(cell.get_or_init(|| made).clone())
}

/// A path under `static/` as a URL relative to the base.
fn static_url(path: &str) -> String {
    crate::content::static_path(path).to_string()
}

/// How many reports a community or unit page shows as "latest".
const LATEST: usize = 10;

/// The items of the home page's "latest completed": the newest final reports' items.
pub fn latest_completed(site: &Site) -> Vec<u32> {
    let completed = site
        .reports
        .iter()
        .filter(|r| r.is_final)
        .map(|r| (r.date, r.item.idx));
    let newest = |a: &(chrono::NaiveDate, u32), b: &(chrono::NaiveDate, u32)| {
        b.0.cmp(&a.0).then(
            site.items[a.1 as usize]
                .meta
                .id
                .cmp(&site.items[b.1 as usize].meta.id),
        )
    };
    // An item finished twice on dates next to each other is shown once (the repeat is
    // dropped), so more than LATEST may be needed.
    let mut wanted = LATEST * 2;
    loop {
        let mut top = crate::site::first_sorted(completed.clone(), wanted, newest);
        let all = top.len() < wanted;
        top.dedup_by_key(|x| x.1);
        if all || top.len() >= LATEST {
            return top.into_iter().take(LATEST).map(|x| x.1).collect();
        }
        wanted *= 2;
    }
}

/// Renders one page: its context built, then its template.
pub fn render(
    renderer: &Renderer,
    source: &PageSource,
    route: &Route,
) -> Result<Vec<u8>, Diagnostic> {
    let cx = page_context(source, route).map_err(|e| renderer.error(&e))?;
    renderer.render(route.kind.template(), &cx)
}

/// A page's context as it is filled: each kind's module puts its values in.
struct Values(tera::Context);

impl Values {
    fn put(&mut self, key: &'static str, value: &dyn erased::Ser) -> tera::TeraResult<()> {
        self.0.insert_value(key, value.to_value()?);
        Ok(())
    }
}

/// Builds the context of one page as a tera value map.
pub fn page_context(source: &PageSource, route: &Route) -> tera::TeraResult<tera::Context> {
    let mut cx = Values(tera::Context::new());
    let title: String = match route.kind {
        PageKind::Home => home::context(source, &mut cx)?,
        PageKind::Street(s) => street::context(source, s, &mut cx)?,
        PageKind::Community { idx, page } => community::context(source, idx, page, &mut cx)?,
        PageKind::Units { page } => units::context(source, page, &mut cx)?,
        PageKind::Unit(u) => unit::context(source, u, &mut cx)?,
        PageKind::Agreement(a) => agreement::context(source, a, &mut cx)?,
        PageKind::Item(i) => item::context(source, i, &mut cx)?,
        PageKind::Categories => categories::context(source, &mut cx)?,
        PageKind::Category { idx, page } => category::context(source, idx, page, &mut cx)?,
        PageKind::Overdue { page } => overdue::context(source, page, &mut cx)?,
        PageKind::Notice(c) => notice::context(source, c, &mut cx)?,
        PageKind::Data => data::context(source, &mut cx)?,
        PageKind::Page(p) => page::context(source, p, &mut cx)?,
        PageKind::Year(year) => year::context(source, year, &mut cx)?,
        PageKind::Search => search::context(source, &mut cx)?,
        PageKind::Accessibility => source.t("a11y_title"),
        PageKind::NotFound => source.t("not_found"),
    };
    // Later pages of a list say which page they are, so that each has a title of its own.
    let title = match route.kind {
        PageKind::Community { page, .. }
        | PageKind::Units { page }
        | PageKind::Category { page, .. }
        | PageKind::Overdue { page }
            if page > 1 =>
        {
            source
                .t("title_paged")
                .replace("{title}", &title)
                .replace("{n}", &page.to_string())
        }
        _ => title,
    };
    let page = PageData {
        url: &route.url,
        title,
        kind: route.kind.name(),
    };
    cx.put("page", &page)?;
    Ok(cx.0)
}

/// Every year with a page, oldest first, as `{year, url}`.
#[derive(Serialize)]
struct YearLink {
    year: i32,
    url: String,
}

fn year_links(site: &Site) -> Vec<YearLink> {
    pages::years(site)
        .into_iter()
        .map(|year| YearLink {
            year,
            url: pages::year_url(year),
        })
        .collect()
}

/// A scope's year-by-year rows, or none when it has one year or none (the page's figures
/// say it all then).
fn years_of<'a>(t: &'a Totals, site: &Site) -> Vec<YearRow<'a>> {
    let rows = year_rows(t, site);
    if rows.len() > 1 { rows } else { Vec::new() }
}

fn agreement_rows<'a>(source: &PageSource<'a>, list: &[u32]) -> Vec<impl Serialize + 'a> {
    #[derive(Serialize)]
    struct AgreementRow<'a> {
        id: &'a str,
        title: &'a str,
        url: String,
        signed: String,
        start: Option<String>,
        end: Option<String>,
        community: Link<'a>,
        units: Vec<Link<'a>>,
        draft: bool,
    }
    list.iter()
        .map(|&a| {
            let ag = &source.site.agreements[a as usize];
            AgreementRow {
                id: &ag.meta.id,
                title: &ag.title,
                url: pages::agreement_url(&ag.meta.id),
                signed: ag.signed.to_string(),
                start: ag.start.map(|d| d.to_string()),
                end: ag.end.map(|d| d.to_string()),
                community: source.community_link(ag.community.idx()),
                units: ag.units.iter().map(|u| source.unit_link(u.idx())).collect(),
                draft: ag.meta.draft,
            }
        })
        .collect()
}

/// A value already made for Tera: put in a page's context as it is, where serialising it
/// again would copy it whole.
struct Made(tera::Value);

/// Serialising through a trait object, so one closure can insert values of any type.
mod erased {
    pub trait Ser {
        fn to_value(&self) -> tera::TeraResult<tera::Value>;
    }
    impl<T: serde::Serialize> Ser for T {
        fn to_value(&self) -> tera::TeraResult<tera::Value> {
            tera::Value::try_from_serializable(self)
        }
    }
    impl Ser for super::Made {
        fn to_value(&self) -> tera::TeraResult<tera::Value> {
            Ok(self.0.clone())
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::content::fields::Choice;
    use crate::content::records::{CommitmentKind, Direction, Rating, Status, UnitType};
    use crate::pages::open_data;

    /// The pager links the first and last pages and two either side of the current one,
    /// and says where numbers were left out.
    #[test]
    fn a_long_list_links_a_window_of_page_numbers() {
        let shown = |current, total| -> Vec<(u32, bool, bool)> {
            super::pagination("x/", current, total)
                .map(|p| {
                    p.pages
                        .iter()
                        .map(|n| (n.number, n.current, n.gap_before))
                        .collect()
                })
                .unwrap_or_default()
        };
        assert_eq!(shown(1, 1), vec![]);
        let all = |current, total: u32| -> Vec<(u32, bool, bool)> {
            (1..=total).map(|n| (n, n == current, false)).collect()
        };
        assert_eq!(shown(2, 5), all(2, 5));
        assert_eq!(shown(4, 7), all(4, 7));
        assert_eq!(
            shown(50, 167),
            vec![
                (1, false, false),
                (48, false, true),
                (49, false, false),
                (50, true, false),
                (51, false, false),
                (52, false, false),
                (167, false, true),
            ]
        );
        // No "…" for a single number: it is shown instead.
        let numbers =
            |current, total| -> Vec<u32> { shown(current, total).iter().map(|n| n.0).collect() };
        assert_eq!(numbers(5, 18), [1, 2, 3, 4, 5, 6, 7, 18]);
        assert_eq!(numbers(14, 18), [1, 12, 13, 14, 15, 16, 17, 18]);
        assert_eq!(numbers(6, 18), [1, 4, 5, 6, 7, 8, 18]);
        assert_eq!(
            shown(1, 167),
            vec![
                (1, true, false),
                (2, false, false),
                (3, false, false),
                (167, false, true)
            ]
        );
        let last = super::pagination("x/", 167, 167).unwrap();
        let urls: Vec<&str> = last.pages.iter().map(|n| n.url.as_str()).collect();
        assert_eq!(urls, ["x/", "x/page/165/", "x/page/166/", "x/page/167/"]);
        assert!(last.pages[1].gap_before && last.next_url.is_none());
    }

    /// Every UI string this module looks up exists in both shipped languages.
    #[test]
    fn every_label_the_pages_use_is_in_both_languages() {
        fn keys<T: Choice>(prefix: &str) -> Vec<String> {
            T::ALL
                .iter()
                .map(|(_, k, _)| format!("{prefix}_{k}"))
                .collect()
        }
        let mut wanted = [
            keys::<Status>("status"),
            keys::<Rating>("rating"),
            keys::<UnitType>("type"),
            keys::<CommitmentKind>("kind"),
            keys::<Direction>("direction"),
        ]
        .concat();
        for k in [
            "party_item",
            "party_unit",
            "party_community",
            "party_resident",
            "history_claimed",
            "history_progress",
            "history_final",
            "history_due",
            "title_paged",
            "units",
            "categories",
            "overdue_items",
            "search",
            "not_found",
            "notice_title",
            "open_data",
            "chart_status",
            "chart_months",
            "chart_categories",
            "chart_satisfaction",
            "chart_overdue_of",
            "chart_month",
            "chart_month_names",
        ] {
            wanted.push(k.to_string());
        }
        for (kind, _) in open_data::FIELDS {
            wanted.push(format!("data_{kind}"));
            for key in open_data::fields(kind) {
                wanted.push(format!("field_{key}"));
            }
        }
        let source = [
            include_str!("agreement.rs"),
            include_str!("categories.rs"),
            include_str!("category.rs"),
            include_str!("community.rs"),
            include_str!("data.rs"),
            include_str!("home.rs"),
            include_str!("item.rs"),
            include_str!("mod.rs"),
            include_str!("notice.rs"),
            include_str!("overdue.rs"),
            include_str!("page.rs"),
            include_str!("search.rs"),
            include_str!("street.rs"),
            include_str!("unit.rs"),
            include_str!("units.rs"),
            include_str!("year.rs"),
        ]
        .concat();
        for lang in ["zh-CN", "en"] {
            let path = format!(
                "{}/themes/default/i18n/{lang}.toml",
                env!("CARGO_MANIFEST_DIR")
            );
            let table: toml::Table =
                toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            let missing: Vec<&String> = wanted
                .iter()
                .filter(|k| !table.contains_key(k.as_str()))
                .collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        }
        // The prefixes above are the ones these files format keys with.
        for prefix in [
            "\"status_{}\"",
            "\"rating_{}\"",
            "\"type_{}\"",
            "\"kind_{}\"",
            "\"direction_{}\"",
            "\"party_{kind}\"",
        ] {
            assert!(source.contains(prefix), "{prefix}");
        }
    }
}
