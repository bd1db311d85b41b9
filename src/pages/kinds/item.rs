//! A claimed item's page: its history, reports and evaluations.

use super::*;

/// Puts the page's data into `cx`; its title.
pub(super) fn context(source: &PageSource, i: u32, cx: &mut Values) -> tera::TeraResult<String> {
    let site = source.site;
    let index = source.index;
    let i = i as usize;
    let it = &site.items[i];
    #[derive(Serialize)]
    struct ItemData<'a> {
        #[serde(flatten)]
        row: ItemRow<'a>,
        member: Option<&'a str>,
        direction: &'static str,
        direction_label: String,
        agreement: Option<Link<'a>>,
        body_html: String,
    }
    #[derive(Serialize)]
    struct Event {
        date: String,
        label: String,
    }
    cx.put(
        "item",
        &ItemData {
            row: source.item_row(i as u32),
            member: it.member.as_deref(),
            direction: it.direction.key(),
            direction_label: source.t(&format!("direction_{}", it.direction.key())),
            agreement: it
                .agreement
                .as_ref()
                .map(|a| source.agreement_link(a.idx())),
            body_html: body(source, &it.meta.body, "i-"),
        },
    )?;
    let reports = &site.item_reports[i];
    let mut history = vec![Event {
        date: it.claimed.to_string(),
        label: source.t("history_claimed"),
    }];
    for &k in reports {
        let r = &site.reports[k as usize];
        let key = if r.is_final {
            "history_final"
        } else {
            "history_progress"
        };
        history.push(Event {
            date: r.date.to_string(),
            label: source.t(key),
        });
    }
    if let Some(due) = it.due {
        history.push(Event {
            date: due.to_string(),
            label: source.t("history_due"),
        });
    }
    history.sort_by(|a, b| a.date.cmp(&b.date));
    cx.put("history", &history)?;
    let newest_first: Vec<u32> = reports.iter().rev().copied().collect();
    cx.put("reports", &source.reports(&newest_first, usize::MAX))?;
    cx.put(
        "evaluations",
        &source.evaluations(&index.item_evaluations[i]),
    )?;
    cx.put(
        "satisfaction",
        &item_satisfaction(site, &index.item_evaluations[i]),
    )?;
    Ok(it.title.clone())
}

/// An item's evaluations as a scope's: the overall rate and each direction's.
#[derive(Serialize)]
struct ItemSatisfaction {
    evaluations: u32,
    satisfaction_rate: Option<String>,
    satisfaction_percent: Option<f64>,
    directions: Vec<DirectionData>,
}

fn item_satisfaction(site: &Site, list: &[u32]) -> ItemSatisfaction {
    let s = Satisfaction::of(site, list);
    let p = percent(s.all.satisfaction_rate());
    ItemSatisfaction {
        evaluations: s.all.evaluations,
        satisfaction_rate: percent_text(p),
        satisfaction_percent: p,
        directions: directions(&s),
    }
}
