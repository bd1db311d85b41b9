//! A community's printable notice sheet (公示单).

use super::community::{community_data, partner_units};
use super::*;

/// Puts the page's data into `cx`; its title.
pub(super) fn context(source: &PageSource, c: u32, cx: &mut Values) -> tera::TeraResult<String> {
    let site = source.site;
    let index = source.index;
    let c = c as usize;
    let data = community_data(source, c);
    cx.put("qr_svg", source.community_qr(c))?;
    cx.put("community", &data)?;
    cx.put(
        "agreements",
        &agreement_rows(source, &index.community_agreements[c]),
    )?;
    cx.put("units", &partner_units(source, c))?;
    cx.put("items", &source.rows(&index.community_items[c])?)?;
    Ok(source
        .t("notice_title")
        .replace("{name}", &site.communities[c].name))
}
