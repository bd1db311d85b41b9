//! A free page (about, guide…).

use super::*;

/// Puts the page's data into `cx`; its title.
pub(super) fn context(sh: &PageSource, p: u32, cx: &mut Values) -> tera::TeraResult<String> {
    let site = sh.site;
    let pg = &site.pages[p as usize];
    cx.put("body_html", &body(sh, &pg.meta.body, "p-"))?;
    cx.put("draft", &pg.meta.draft)?;
    Ok(pg.title.clone())
}
