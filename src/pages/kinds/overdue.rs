//! The overdue items, longest overdue first, a page at a time.

use super::*;

/// Puts the page's data into `cx`; its title.
pub(super) fn context(sh: &PageSource, page: u32, cx: &mut Values) -> tera::TeraResult<String> {
    let site = sh.site;
    let ix = sh.index;
    let per = site.config.items_per_page;
    // This page's share of the list, longest overdue first.
    cx.put("items", &sh.rows(page_slice(&ix.overdue, page, per))?)?;
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
