//! A free page (about, guide…).

use super::*;

/// Puts the page's data into `cx`; its title.
pub(super) fn context(source: &PageSource, p: u32, cx: &mut Values) -> tera::TeraResult<String> {
    let site = source.site;
    let pg = &site.pages[p as usize];
    cx.put("body_html", &body(source, &pg.meta.body, "p-"))?;
    cx.put("draft", &pg.meta.draft)?;
    Ok(pg.title.clone())
}
