//! The open data's files and columns, said once: the data page lists and describes them,
//! `output::data` and `output::assessment` write them.

use crate::site::Site;

/// The kinds that have a table, with their fields in order. The data page describes each
/// field with the UI string `field_<key>`.
pub const FIELDS: &[(&str, &[&str])] = &[
    (
        "streets",
        &["id", "name", "district", "summary", "url", TOTALS],
    ),
    (
        "communities",
        &[
            "id",
            "name",
            "street",
            "party_org",
            "households",
            "grids",
            "address",
            "phone",
            "summary",
            "url",
            TOTALS,
        ],
    ),
    (
        "units",
        &[
            "id",
            "name",
            "type",
            "type_label",
            "party_org",
            "members_reported",
            "summary",
            "url",
            TOTALS,
        ],
    ),
    (
        "agreements",
        &[
            "id",
            "title",
            "community",
            "units",
            "signed",
            "start",
            "end",
            "needs",
            "resources",
            "projects",
            "items",
            "url",
        ],
    ),
    (
        "items",
        &[
            "id",
            "title",
            "community",
            "unit",
            "member",
            "direction",
            "agreement",
            "category",
            "category_name",
            "claimed",
            "due",
            "status",
            "status_label",
            "overdue",
            "completed_on",
            "reports",
            "url",
            SATISFACTION,
        ],
    ),
    (
        "reports",
        &[
            "id",
            "item",
            "date",
            "final",
            "summary",
            "beneficiaries",
            "volunteers",
            "hours",
            "photos",
        ],
    ),
    (
        "evaluations",
        &[
            "id", "of_kind", "of", "by_kind", "by", "date", "rating", "comment",
        ],
    ),
    ("pages", &["id", "title", "order", "body_html", "url"]),
];

/// Stands in [`FIELDS`] for the derived figures of a scope, [`TOTALS_FIELDS`] then
/// [`SATISFACTION_FIELDS`].
const TOTALS: &str = "*totals";

/// The derived figures of streets, communities and units but their evaluations, as fields.
pub const TOTALS_FIELDS: &[&str] = &[
    "agreements_total",
    "units_total",
    "members_reported_total",
    "items_total",
    "claimed_total",
    "in_progress_total",
    "completed_total",
    "cancelled_total",
    "overdue_total",
    "completion_rate",
    "beneficiaries_total",
    "volunteers_total",
    "hours_total",
];

/// Stands in [`FIELDS`] for an item's evaluations overall and by direction,
/// [`SATISFACTION_FIELDS`]; a scope's figures end with them too.
const SATISFACTION: &str = "*satisfaction";

/// An item's or a scope's evaluations, overall and by direction, as fields.
pub const SATISFACTION_FIELDS: &[&str] = &[
    "evaluations_total",
    "satisfied_total",
    "fair_total",
    "unsatisfied_total",
    "satisfaction_rate",
    "evaluations_by_resident",
    "satisfaction_rate_by_resident",
    "evaluations_by_community",
    "satisfaction_rate_by_community",
    "evaluations_by_unit",
    "satisfaction_rate_by_unit",
];

/// How many records of `kind` (one of [`FIELDS`]) the site publishes: the rows of its table.
pub fn rows(site: &Site, kind: &str) -> usize {
    match kind {
        "streets" => site.streets.len(),
        "communities" => site.communities.len(),
        "units" => site.units.len(),
        "agreements" => site.agreements.len(),
        "items" => site.items.len(),
        "reports" => site.reports.len(),
        "evaluations" => site.evaluations.len(),
        "pages" => site.pages.len(),
        _ => 0,
    }
}

/// The fields of one kind, figures spelled out.
pub fn fields(kind: &str) -> Vec<&'static str> {
    FIELDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, f)| {
            f.iter()
                .flat_map(|&f| match f {
                    TOTALS => [TOTALS_FIELDS, SATISFACTION_FIELDS].concat(),
                    SATISFACTION => SATISFACTION_FIELDS.to_vec(),
                    _ => vec![f],
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Where a community's own JSON is, relative to the base.
pub fn community_json_path(id: &str) -> String {
    format!("data/communities/{id}.json")
}

/// Where a year's ranking CSV is, relative to the base.
pub fn year_csv_path(year: i32) -> String {
    format!("data/years/{year}.csv")
}

/// Where a year's ranking workbook is, relative to the base.
pub fn year_xlsx_path(year: i32) -> String {
    format!("data/years/{year}.xlsx")
}

/// Both files of a year's assessment export, CSV first.
pub fn year_paths(year: i32) -> [String; 2] {
    [year_csv_path(year), year_xlsx_path(year)]
}
