//! A year's figures and ranking tables.

use super::*;

/// Puts the page's data into `cx`; its title.
pub(super) fn context(source: &PageSource, year: i32, cx: &mut Values) -> tera::TeraResult<String> {
    let site = source.site;
    cx.put("year", &year_page(source, year))?;
    cx.put("years", &year_links(site))?;
    Ok(source.t("year_title").replace("{year}", &year.to_string()))
}

/// A year's page: the site's figures of that year, and every unit and community ranked
/// ([`ranking::rank`]) with theirs.
#[derive(Serialize)]
struct YearPage<'a> {
    year: i32,
    totals: YearData<'a>,
    units: Vec<RankRow<'a>>,
    communities: Vec<RankRow<'a>>,
    csv: String,
    xlsx: String,
}

/// A unit or a community in a year's ranking.
#[derive(Serialize)]
struct RankRow<'a> {
    rank: usize,
    name: &'a str,
    url: String,
    /// A unit's type in words (`null` for a community).
    type_label: Option<String>,
    #[serde(flatten)]
    figures: YearData<'a>,
}

fn year_page<'a>(source: &PageSource<'a>, year: i32) -> YearPage<'a> {
    let site = source.site;
    let order = ranking::rank(site, year);
    YearPage {
        year,
        totals: year_data(ranking::year_of(&site.stats.site, year)),
        units: order
            .units
            .iter()
            .enumerate()
            .map(|(k, &u)| {
                let unit = &site.units[u as usize];
                RankRow {
                    rank: k + 1,
                    name: &unit.name,
                    url: pages::unit_url(&unit.meta.id),
                    type_label: Some(source.t(&format!("type_{}", unit.unit_type.key()))),
                    figures: year_data(ranking::year_of(&site.stats.units[u as usize], year)),
                }
            })
            .collect(),
        communities: order
            .communities
            .iter()
            .enumerate()
            .map(|(k, &c)| {
                let com = &site.communities[c as usize];
                RankRow {
                    rank: k + 1,
                    name: &com.name,
                    url: pages::community_url(&com.meta.id),
                    type_label: None,
                    figures: year_data(ranking::year_of(&site.stats.communities[c as usize], year)),
                }
            })
            .collect(),
        csv: open_data::year_csv_path(year),
        xlsx: open_data::year_xlsx_path(year),
    }
}
