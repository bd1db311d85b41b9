//! A street's page: its figures and its communities.

use super::*;

/// Puts the page's data into `cx`; its title.
pub(super) fn context(source: &PageSource, s: u32, cx: &mut Values) -> tera::TeraResult<String> {
    let site = source.site;
    let s = s as usize;
    let st = &site.streets[s];
    #[derive(Serialize)]
    struct StreetData<'a> {
        id: &'a str,
        name: &'a str,
        district: Option<&'a str>,
        summary: Option<&'a str>,
        body_html: String,
        totals: TotalsData<'a>,
        communities: Vec<CommunityEntry<'a>>,
        draft: bool,
    }
    let data = StreetData {
        id: &st.meta.id,
        name: &st.name,
        district: st.district.as_deref(),
        summary: st.summary.as_deref(),
        body_html: body(source, &st.meta.body, "s-"),
        totals: scope_totals(&site.stats.streets[s]),
        communities: community_entries(source, s),
        draft: st.meta.draft,
    };
    cx.put("street", &data)?;
    cx.put("charts", &source.charts(ChartScope::Street(s))?)?;
    cx.put("years", &years_of(&site.stats.streets[s], site))?;
    Ok(st.name.clone())
}
