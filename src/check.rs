//! `shiji check`: the first two stages run, their problems gathered into one report.

use crate::content::fields::Choice;
use crate::content::records::Status;
use crate::generate::Outcome;
use crate::i18n::{Count, Language, Text, join};
use crate::messages;
use crate::site::Site;

/// One line: records per kind and items by status, in `lang`.
pub fn summary(site: &Site, lang: Language) -> String {
    let t = &site.stats.site;
    let count = |n, one, many, zh| Count { n, one, many, zh };
    let kinds = join(&[
        count(site.streets.len(), "street", "streets", "个街道"),
        count(site.communities.len(), "community", "communities", "个社区"),
        count(site.units.len(), "unit", "units", "个驻区单位"),
        count(
            site.agreements.len(),
            "agreement",
            "agreements",
            "份共建协议",
        ),
        count(site.items.len(), "item", "items", "个认领事项"),
        count(site.reports.len(), "report", "reports", "份完成报告"),
        count(
            site.evaluations.len(),
            "evaluation",
            "evaluations",
            "条评价",
        ),
        count(site.pages.len(), "page", "pages", "个页面"),
    ]);
    let status = |n: u32, s: Status| Text {
        en: format!("{n} {}", s.key().replace('_', " ")),
        zh: format!("{n} {}", s.label()),
    };
    let statuses = join(&[
        status(t.counts.claimed, Status::Claimed),
        status(t.counts.in_progress, Status::InProgress),
        status(t.counts.completed, Status::Completed),
        status(t.counts.cancelled, Status::Cancelled),
        Text {
            en: format!("{} overdue", t.counts.overdue),
            zh: format!("{} 已逾期", t.counts.overdue),
        },
    ]);
    let records = count(site.record_count(), "record", "records", "条记录");
    messages::check_ok(records, kinds, statuses, site.as_of)
        .get(lang)
        .to_string()
}

/// The outcome as JSON: `errors` (file, line, column, code, message, hint) and, on success,
/// the counts of the summary.
pub fn to_json(outcome: &Outcome, lang: Language) -> String {
    let value = match outcome {
        Outcome::Ok(site) => serde_json::json!({
            "ok": true,
            "errors": [],
            "records": {
                "streets": site.streets.len(),
                "communities": site.communities.len(),
                "units": site.units.len(),
                "agreements": site.agreements.len(),
                "items": site.items.len(),
                "reports": site.reports.len(),
                "evaluations": site.evaluations.len(),
                "pages": site.pages.len(),
            },
            "as_of": site.as_of.to_string(),
            "totals": &site.stats.site,
        }),
        Outcome::Failed(report) => {
            serde_json::json!({ "ok": false, "errors": report.to_json(lang) })
        }
    };
    serde_json::to_string_pretty(&value).unwrap_or_default()
}
