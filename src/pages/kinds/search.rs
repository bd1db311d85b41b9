//! The search page, with what to browse when search cannot run.

use super::*;

/// Puts the page's data into `cx`; its title.
pub(super) fn context(source: &PageSource, cx: &mut Values) -> tera::TeraResult<String> {
    let site = source.site;
    let index = source.index;
    // What to browse when search cannot run (no JavaScript): every community by
    // street, every category.
    #[derive(Serialize)]
    struct StreetEntry<'a> {
        #[serde(flatten)]
        street: Link<'a>,
        communities: Vec<Link<'a>>,
    }
    let streets: Vec<StreetEntry> = (0..site.streets.len())
        .map(|s| StreetEntry {
            street: source.street_link(s),
            communities: index.street_communities[s]
                .iter()
                .map(|&c| source.community_link(c as usize))
                .collect(),
        })
        .collect();
    cx.put("streets", &streets)?;
    let categories: Vec<CategoryLink> = (0..site.config.categories.len())
        .map(|k| source.category_link(k))
        .collect();
    cx.put("categories", &categories)?;
    Ok(source.t("search"))
}
