//! A category's page: its figures and charts, then its items a page at a time.

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
        cx.put("charts", &source.charts(ChartScope::Category(k))?)?;
    }
    let list = &index.category_items[k];
    cx.put("items", &source.rows(page_slice(list, page, per))?)?;
    let url = pages::category_url(&cat.slug);
    cx.put(
        "pagination",
        &pagination(&url, page, pages::page_count(list.len(), per)),
    )?;
    Ok(cat.name.clone())
}
