//! The list of every partner unit, a page at a time.

use super::*;

/// Puts the page's data into `cx`; its title.
pub(super) fn context(source: &PageSource, page: u32, cx: &mut Values) -> tera::TeraResult<String> {
    let site = source.site;
    let per = site.config.items_per_page;
    #[derive(Serialize)]
    struct UnitRow<'a> {
        id: &'a str,
        name: &'a str,
        url: String,
        #[serde(rename = "type")]
        unit_type: &'static str,
        type_label: String,
        members_reported: Option<u32>,
        totals: TotalsData<'a>,
    }
    let all: Vec<u32> = (0..site.units.len() as u32).collect();
    let rows: Vec<UnitRow> = page_slice(&all, page, per)
        .iter()
        .map(|&u| {
            let unit = &site.units[u as usize];
            UnitRow {
                id: &unit.meta.id,
                name: &unit.name,
                url: pages::unit_url(&unit.meta.id),
                unit_type: unit.unit_type.key(),
                type_label: source.t(&format!("type_{}", unit.unit_type.key())),
                members_reported: unit.members_reported,
                totals: totals(&site.stats.units[u as usize]),
            }
        })
        .collect();
    cx.put("units", &rows)?;
    cx.put(
        "pagination",
        &pagination(pages::UNITS_URL, page, pages::page_count(all.len(), per)),
    )?;
    Ok(source.t("units"))
}
