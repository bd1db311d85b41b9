//! The list of categories with their figures.

use super::*;

/// Puts the page's data into `cx`; its title.
pub(super) fn context(source: &PageSource, cx: &mut Values) -> tera::TeraResult<String> {
    let site = source.site;
    #[derive(Serialize)]
    struct CategoryEntry<'a> {
        #[serde(flatten)]
        link: CategoryLink<'a>,
        totals: TotalsData<'a>,
    }
    let list: Vec<CategoryEntry> = (0..site.config.categories.len())
        .map(|k| CategoryEntry {
            link: source.category_link(k),
            totals: totals(&site.stats.categories[k]),
        })
        .collect();
    cx.put("categories", &list)?;
    Ok(source.t("categories"))
}
