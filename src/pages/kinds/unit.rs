//! A partner unit's page: its figures, agreements, communities, items, reports and evaluations.

use super::*;

/// Puts the page's data into `cx`; its title.
pub(super) fn context(source: &PageSource, u: u32, cx: &mut Values) -> tera::TeraResult<String> {
    let site = source.site;
    let index = source.index;
    let u = u as usize;
    let unit = &site.units[u];
    #[derive(Serialize)]
    struct UnitData<'a> {
        id: &'a str,
        name: &'a str,
        #[serde(rename = "type")]
        unit_type: &'static str,
        type_label: String,
        party_org: Option<&'a str>,
        members_reported: Option<u32>,
        summary: Option<&'a str>,
        body_html: String,
        totals: TotalsData<'a>,
        draft: bool,
    }
    cx.put(
        "unit",
        &UnitData {
            id: &unit.meta.id,
            name: &unit.name,
            unit_type: unit.unit_type.key(),
            type_label: source.t(&format!("type_{}", unit.unit_type.key())),
            party_org: unit.party_org.as_deref(),
            members_reported: unit.members_reported,
            summary: unit.summary.as_deref(),
            body_html: body(source, &unit.meta.body, "u-"),
            totals: scope_totals(&site.stats.units[u]),
            draft: unit.meta.draft,
        },
    )?;
    cx.put("charts", &source.charts(ChartScope::Unit(u))?)?;
    cx.put("years", &years_of(&site.stats.units[u], site))?;
    cx.put(
        "agreements",
        &agreement_rows(source, &index.unit_agreements[u]),
    )?;
    let communities: Vec<Link> = index.unit_communities[u]
        .iter()
        .map(|&c| source.community_link(c as usize))
        .collect();
    cx.put("communities", &communities)?;
    cx.put("items", &source.rows(&index.unit_items[u])?)?;
    cx.put("reports", &source.reports(&index.unit_reports[u], LATEST))?;
    cx.put(
        "evaluations_received",
        &source.evaluations(&index.unit_evaluations_received[u]),
    )?;
    cx.put(
        "evaluations_given",
        &source.evaluations(&index.unit_evaluations_given[u]),
    )?;
    Ok(unit.name.clone())
}
