//! A category's page: its figures and charts, then its items a page at a time.

use super::*;

/// Puts the page's data into `cx`; its title.
pub(super) fn context(
    sh: &PageSource,
    idx: u32,
    page: u32,
    cx: &mut Values,
) -> tera::TeraResult<String> {
    let site = sh.site;
    let ix = sh.index;
    let per = site.config.items_per_page;
    let k = idx as usize;
    #[derive(Serialize)]
    struct CategoryData<'a> {
        slug: &'a str,
        name: &'a str,
        totals: TotalsData<'a>,
    }
    let cat = &site.config.categories[k];
    cx.put(
        "category",
        &CategoryData {
            slug: &cat.slug,
            name: &cat.name,
            totals: scope_totals(&site.stats.categories[k]),
        },
    )?;
    // Later pages are the list continued: the figures and charts are on the first.
    if page == 1 {
        cx.put("charts", &sh.charts(ChartScope::Category(k))?)?;
    }
    let list = &ix.category_items[k];
    cx.put("items", &sh.rows(page_slice(list, page, per))?)?;
    let url = pages::category_url(&cat.slug);
    cx.put(
        "pagination",
        &pagination(&url, page, pages::page_count(list.len(), per)),
    )?;
    Ok(cat.name.clone())
}
