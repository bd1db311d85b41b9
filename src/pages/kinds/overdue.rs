//! The overdue items, longest overdue first, a page at a time.

use super::*;

/// Puts the page's data into `cx`; its title.
pub(super) fn context(source: &PageSource, page: u32, cx: &mut Values) -> tera::TeraResult<String> {
    let site = source.site;
    let index = source.index;
    let per = site.config.items_per_page;
    // This page's share of the list, longest overdue first.
    cx.put(
        "items",
        &source.rows(page_slice(&index.overdue, page, per))?,
    )?;
    cx.put("count", &index.overdue.len())?;
    cx.put(
        "pagination",
        &pagination(
            pages::OVERDUE_URL,
            page,
            pages::page_count(index.overdue.len(), per),
        ),
    )?;
    Ok(source.t("overdue_items"))
}
