//! The open data page: every download and its fields.

use super::*;

/// Puts the page's data into `cx`; its title.
pub(super) fn context(source: &PageSource, cx: &mut Values) -> tera::TeraResult<String> {
    let site = source.site;
    #[derive(Serialize)]
    struct Field {
        key: &'static str,
        description: String,
    }
    #[derive(Serialize)]
    struct Dataset {
        kind: &'static str,
        title: String,
        csv: String,
        count: usize,
        fields: Vec<Field>,
    }
    let sets: Vec<Dataset> = open_data::FIELDS
        .iter()
        .map(|&(kind, _)| Dataset {
            kind,
            title: source.t(&format!("data_{kind}")),
            csv: format!("{}{kind}.csv", pages::DATA_URL),
            count: open_data::rows(site, kind),
            fields: open_data::fields(kind)
                .into_iter()
                .map(|key| Field {
                    key,
                    description: source.t(&format!("field_{key}")),
                })
                .collect(),
        })
        .collect();
    cx.put("datasets", &sets)?;
    cx.put("years", &year_links(site))?;
    cx.put(
        "community_example",
        &site
            .communities
            .first()
            .map(|c| open_data::community_json_path(&c.meta.id)),
    )?;
    Ok(source.t("open_data"))
}
