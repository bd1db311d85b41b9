//! A community's page: its figures, agreements, partner units and items (its later pages:
//! the item list continued).

use super::*;

/// Puts the page's data into `cx`; its title.
pub(super) fn context(
    source: &PageSource,
    idx: u32,
    page: u32,
    cx: &mut Values,
) -> tera::TeraResult<String> {
    let site = source.site;
    let index = source.index;
    let per = site.config.items_per_page;
    let c = idx as usize;
    let com = &site.communities[c];
    let url = pages::community_url(&com.meta.id);
    let data = community_data(source, c);
    cx.put("community", &data)?;
    let list = &index.community_items[c];
    cx.put("items", &source.rows(page_slice(list, page, per))?)?;
    cx.put(
        "pagination",
        &pagination(&url, page, pages::page_count(list.len(), per)),
    )?;
    // Later pages are the list continued: the rest of the community is on its first.
    if page == 1 {
        cx.put("charts", &source.charts(ChartScope::Community(c))?)?;
        cx.put("years", &years_of(&site.stats.communities[c], site))?;
        cx.put("qr_svg", source.community_qr(c))?;
        cx.put(
            "agreements",
            &agreement_rows(source, &index.community_agreements[c]),
        )?;
        cx.put("units", &partner_units(source, c))?;
        let overdue: Vec<u32> = list
            .iter()
            .copied()
            .filter(|&i| site.item_overdue[i as usize])
            .collect();
        cx.put("overdue_items", &source.rows(&overdue)?)?;
        cx.put(
            "reports",
            &source.reports(&index.community_reports[c], LATEST),
        )?;
        cx.put(
            "evaluations_received",
            &source.evaluations(&index.community_evaluations_received[c]),
        )?;
        cx.put(
            "evaluations_given",
            &source.evaluations(&index.community_evaluations_given[c]),
        )?;
    }
    Ok(com.name.clone())
}

#[derive(Serialize)]
pub(super) struct CommunityData<'a> {
    id: &'a str,
    name: &'a str,
    url: String,
    street: Link<'a>,
    party_org: Option<&'a str>,
    households: Option<u32>,
    grids: Option<u32>,
    address: Option<&'a str>,
    phone: Option<&'a str>,
    summary: Option<&'a str>,
    body_html: String,
    totals: TotalsData<'a>,
    draft: bool,
}

/// The units a community works with, as links (its page and its notice sheet list them).
pub(super) fn partner_units<'a>(source: &PageSource<'a>, c: usize) -> Vec<Link<'a>> {
    source.index.community_units[c]
        .iter()
        .map(|&u| source.unit_link(u as usize))
        .collect()
}

/// A community as its page and its notice sheet show it.
pub(super) fn community_data<'a>(source: &PageSource<'a>, c: usize) -> CommunityData<'a> {
    let com = &source.site.communities[c];
    CommunityData {
        id: &com.meta.id,
        name: &com.name,
        url: pages::community_url(&com.meta.id),
        street: source.street_link(com.street.idx()),
        party_org: com.party_org.as_deref(),
        households: com.households,
        grids: com.grids,
        address: com.address.as_deref(),
        phone: com.phone.as_deref(),
        summary: com.summary.as_deref(),
        body_html: body(source, &com.meta.body, "c-"),
        totals: scope_totals(&source.site.stats.communities[c]),
        draft: com.meta.draft,
    }
}
