//! The resolved model of the good fixture against figures counted by hand in
//! `tests/fixtures/good/EXPECTED.md`, and the privacy promise of the first stage: raw names
//! of members and residents never reach the resolved site.

use std::path::Path;

use shiji::content::records::Party;
use shiji::generate::{Outcome, load_site};
use shiji::site::Site;

fn good(drafts: bool) -> Box<Site> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good");
    match load_site(&root, drafts) {
        Outcome::Ok(site) => site,
        Outcome::Failed(report) => {
            panic!("{}", report.render_human(false, shiji::i18n::Language::En))
        }
    }
}

#[test]
fn per_community_figures_match_hand_counts() {
    let site = good(false);
    // (id, items, completed, in_progress, claimed, cancelled, overdue, people served)
    let expected = [
        ("junmen", 2, 1, 1, 0, 0, 0, 25),
        ("nanmen", 1, 0, 0, 1, 0, 0, 0),
        ("dongba", 3, 1, 0, 1, 1, 1, 40),
    ];
    for (id, items, completed, in_progress, claimed, cancelled, overdue, served) in expected {
        let c = site
            .communities
            .iter()
            .position(|c| c.meta.id == id)
            .expect(id);
        let t = &site.stats.communities[c];
        assert_eq!(
            (
                t.counts.items,
                t.counts.completed,
                t.counts.in_progress,
                t.counts.claimed,
                t.counts.cancelled,
                t.counts.overdue,
                t.beneficiaries
            ),
            (
                items,
                completed,
                in_progress,
                claimed,
                cancelled,
                overdue,
                served
            ),
            "{id}"
        );
    }
    let t = &site.stats.site;
    assert_eq!(t.completion_rate(), Some(2.0 / 5.0));
    assert_eq!(t.satisfaction_rate(), Some(5.0 / 6.0));
    assert_eq!((t.agreements, t.units, t.members_reported), (2, 4, 125));
}

#[test]
fn drafts_and_what_hangs_on_them_are_out_unless_asked_for() {
    let normal = good(false);
    assert!(normal.items.iter().all(|i| i.meta.id != "draft-lights"));
    assert!(
        normal
            .reports
            .iter()
            .all(|r| r.meta.id != "draft-lights-final")
    );
    let with = good(true);
    assert_eq!(
        (with.items.len(), with.reports.len(), with.evaluations.len()),
        (7, 5, 7)
    );
}

#[test]
fn names_are_masked_in_the_resolved_model() {
    let site = good(true);
    let members: Vec<&str> = site
        .items
        .iter()
        .filter_map(|i| i.member.as_deref())
        .collect();
    assert!(members.contains(&"张**"), "{members:?}");
    let residents: Vec<&str> = site
        .evaluations
        .iter()
        .filter_map(|e| match &e.by {
            Party::Resident(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        residents.contains(&"李**") && residents.contains(&"王**"),
        "{residents:?}"
    );
    let debug = format!("{:?}", (&site.items, &site.evaluations));
    for raw in ["张三丰", "李秀英", "王建国", "赵四"] {
        assert!(
            !debug.contains(raw),
            "raw name {raw} reached the resolved site"
        );
    }
}
