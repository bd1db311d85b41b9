//! The overdue items, grouped by community, a page at a time.

use super::*;

/// Puts the page's data into `cx`; its title.
pub(super) fn context(sh: &PageSource, page: u32, cx: &mut Values) -> tera::TeraResult<String> {
    let site = sh.site;
    let ix = sh.index;
    let per = site.config.items_per_page;
    // This page's share of the list, grouped by community.
    let community = |i: &u32| site.items[*i as usize].community.idx();
    let groups = page_slice(&ix.overdue, page, per)
        .chunk_by(|a, b| community(a) == community(b))
        .map(|run| {
            let link = sh.community_link(community(&run[0]));
            let group = BTreeMap::from([
                ("community", tera::Value::try_from_serializable(&link)?),
                ("items", sh.rows(run)?.0),
            ]);
            Ok(tera::Value::from(group))
        })
        .collect::<tera::TeraResult<Vec<tera::Value>>>()?;
    let groups = Made(tera::Value::from(groups));
    cx.put("communities", &groups)?;
    cx.put("count", &ix.overdue.len())?;
    cx.put(
        "pagination",
        &pagination(
            pages::OVERDUE_URL,
            page,
            pages::page_count(ix.overdue.len(), per),
        ),
    )?;
    Ok(sh.t("overdue_items"))
}
