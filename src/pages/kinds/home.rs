//! The home page: the site's figures by district, street and community, the lead year and
//! the latest completed items.

use super::*;

/// Puts the page's data into `cx`; its title.
pub(super) fn context(source: &PageSource, cx: &mut Values) -> tera::TeraResult<String> {
    let site = source.site;
    let mut districts: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
    for (i, s) in site.streets.iter().enumerate() {
        districts.entry(s.district.as_deref()).or_default().push(i);
    }
    #[derive(Serialize)]
    struct StreetEntry<'a> {
        id: &'a str,
        name: &'a str,
        url: String,
        totals: TotalsData<'a>,
        communities: Vec<CommunityEntry<'a>>,
    }
    #[derive(Serialize)]
    struct District<'a> {
        name: Option<&'a str>,
        totals: Option<TotalsData<'a>>,
        streets: Vec<StreetEntry<'a>>,
    }
    let list: Vec<District> = districts
        .into_iter()
        .map(|(name, streets)| District {
            name,
            totals: name
                .and_then(|n| site.stats.districts.get(n))
                .map(scope_totals),
            streets: streets
                .into_iter()
                .map(|s| {
                    let st = &site.streets[s];
                    StreetEntry {
                        id: &st.meta.id,
                        name: &st.name,
                        url: pages::street_url(&st.meta.id),
                        totals: totals(&site.stats.streets[s]),
                        communities: community_entries(source, s),
                    }
                })
                .collect(),
        })
        .collect();
    cx.put("districts", &list)?;
    cx.put("totals", &scope_totals(&site.stats.site))?;
    cx.put("years", &year_links(site))?;
    #[derive(Serialize)]
    struct LeadYear<'a> {
        year: i32,
        url: String,
        totals: YearData<'a>,
    }
    let lead = lead_year(site).map(|year| LeadYear {
        year,
        url: pages::year_url(year),
        totals: year_data(ranking::year_of(&site.stats.site, year)),
    });
    cx.put("lead_year", &lead)?;
    cx.put("latest", &source.rows(&latest_completed(site))?)?;
    cx.put("charts", &source.charts(ChartScope::Site)?)?;
    Ok(String::new())
}

/// The year the home page leads with: the as-of year when it has items, else the latest
/// year with items before it, else the earliest (`None` without items).
fn lead_year(site: &Site) -> Option<i32> {
    use chrono::Datelike;
    let years = pages::years(site);
    let as_of = site.as_of.year();
    years
        .iter()
        .rev()
        .find(|&&y| y <= as_of)
        .or(years.first())
        .copied()
}
