//! A community's printable notice sheet (公示单).

use super::community::{community_data, partner_units};
use super::*;

/// Puts the page's data into `cx`; its title.
pub(super) fn context(sh: &PageSource, c: u32, cx: &mut Values) -> tera::TeraResult<String> {
    let site = sh.site;
    let ix = sh.index;
    let c = c as usize;
    let data = community_data(sh, c);
    cx.put("qr_svg", sh.community_qr(c))?;
    cx.put("community", &data)?;
    cx.put(
        "agreements",
        &agreement_rows(sh, &ix.community_agreements[c]),
    )?;
    cx.put("units", &partner_units(sh, c))?;
    cx.put("items", &sh.rows(&ix.community_items[c])?)?;
    Ok(sh
        .t("notice_title")
        .replace("{name}", &site.communities[c].name))
}
