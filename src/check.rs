//! `shiji check`: the first two stages run, their problems gathered into one report.

use std::path::Path;

use crate::content::fields::Choice;
use crate::content::records::Status;
use crate::diagnostics::{self, Report};
use crate::site::Site;
use crate::{config, content, site};

/// A site that passed every check, or every problem found.
pub enum Outcome {
    Ok(Box<Site>),
    Failed(Report),
}

/// Checks the site under `root` as a normal build would (drafts left out): records,
/// templates, and every internal link of every page. Writes nothing.
pub fn check(root: &Path) -> Outcome {
    match crate::generate::check(root) {
        Ok(site) => Outcome::Ok(site),
        Err(report) => Outcome::Failed(report),
    }
}

/// The first two stages, shared by every command that needs a site.
pub fn load_site(root: &Path, drafts: bool) -> Outcome {
    let config = match config::load(root) {
        Ok(c) => c,
        Err(diags) => return Outcome::Failed(diagnostics::finish(root, diags)),
    };
    let (records, mut diags) = content::load(root, &config);
    // Cross-record checks on a partly broken set would mostly repeat the same mistakes, but
    // they are still run so that one pass shows every independent problem.
    match site::resolve(records, config, drafts) {
        Ok(site) if diags.is_empty() => Outcome::Ok(Box::new(site)),
        Ok(_) => Outcome::Failed(diagnostics::finish(root, diags)),
        Err(more) => {
            diags.extend(more);
            Outcome::Failed(diagnostics::finish(root, diags))
        }
    }
}

/// One line: records per kind and items by status.
pub fn summary(site: &Site) -> String {
    let t = &site.stats.site;
    let records = site.record_count();
    format!(
        "ok: {records} records ({} streets, {} communities, {} units, {} agreements, {} items, {} reports, {} evaluations, {} pages); \
         items: {} {}, {} {}, {} {}, {} {}, {} 已逾期 (as of {})",
        site.streets.len(),
        site.communities.len(),
        site.units.len(),
        site.agreements.len(),
        site.items.len(),
        site.reports.len(),
        site.evaluations.len(),
        site.pages.len(),
        t.counts.claimed,
        Status::Claimed.label(),
        t.counts.in_progress,
        Status::InProgress.label(),
        t.counts.completed,
        Status::Completed.label(),
        t.counts.cancelled,
        Status::Cancelled.label(),
        t.counts.overdue,
        site.as_of,
    )
}

/// The outcome as JSON: `errors` (file, line, column, code, message, hint) and, on success,
/// the counts of the summary.
pub fn to_json(outcome: &Outcome) -> String {
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
        Outcome::Failed(report) => serde_json::json!({ "ok": false, "errors": report.to_json() }),
    };
    serde_json::to_string_pretty(&value).unwrap_or_default()
}
