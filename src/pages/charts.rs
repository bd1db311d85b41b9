//! Charts as inline SVG, drawn at build time: no script and no chart library in the browser,
//! and they print. Each chart also carries its numbers as rows, which the theme shows as a
//! table for screen readers and print; the SVG itself is decoration for sighted readers.
//!
//! Bars carry `data-label` and `data-value`, so tests (and curious readers) can read the
//! numbers back; bar lengths are proportional to the values.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::kinds::PageSource;
use crate::html::xml_escape;
use crate::site::stats::Totals;

/// One chart: a title, the SVG (none when there is nothing to count, so the theme says
/// "no data" instead of drawing empty bars), and the numbers it shows.
#[derive(Debug, Serialize)]
pub struct Chart {
    /// `status`, `months`, `categories` or `satisfaction`.
    pub key: &'static str,
    pub title: String,
    /// Heading of the label column of the text table.
    pub label_col: String,
    pub svg: Option<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Serialize)]
pub struct Row {
    pub label: String,
    pub value: u32,
    /// The value as a share of the whole, e.g. `40.0%`; none where shares mean nothing.
    pub share: Option<String>,
}

/// What a set of charts counts.
#[derive(Debug, Clone, Copy)]
pub enum ChartScope {
    Site,
    Street(usize),
    Community(usize),
    Unit(usize),
    Category(usize),
}

/// Width of every chart's drawing, in SVG units (about CSS pixels on a phone).
const WIDTH: u32 = 320;

/// The charts of a scope's page: items by status, completions per month, items by category
/// (not on a category's own page) and satisfaction.
pub fn for_scope(source: &PageSource, scope: ChartScope) -> Vec<Chart> {
    let stats = &source.site.stats;
    let totals = match scope {
        ChartScope::Site => &stats.site,
        ChartScope::Street(s) => &stats.streets[s],
        ChartScope::Community(c) => &stats.communities[c],
        ChartScope::Unit(u) => &stats.units[u],
        ChartScope::Category(k) => &stats.categories[k],
    };
    let mut charts = vec![status(source, totals), months(source, totals)];
    if let Some(counts) = category_counts(source, scope) {
        charts.push(categories(source, totals, &counts));
    }
    charts.push(satisfaction(source, totals));
    charts
}

fn share(value: u32, whole: u32) -> Option<String> {
    (whole > 0).then(|| format!("{:.1}%", f64::from(value) * 100.0 / f64::from(whole)))
}

/// A horizontal bar; `class` colours it (`bar-<class>` in the stylesheet).
struct Bar {
    row: Row,
    class: &'static str,
}

fn bar(label: String, value: u32, whole: u32, class: &'static str) -> Bar {
    Bar {
        row: Row {
            label,
            value,
            share: share(value, whole),
        },
        class,
    }
}

fn status(source: &PageSource, t: &Totals) -> Chart {
    let bars = vec![
        bar(
            source.t("status_claimed"),
            t.counts.claimed,
            t.counts.items,
            "claimed",
        ),
        bar(
            source.t("status_in_progress"),
            t.counts.in_progress,
            t.counts.items,
            "in_progress",
        ),
        bar(
            source.t("status_completed"),
            t.counts.completed,
            t.counts.items,
            "completed",
        ),
        bar(
            source.t("status_cancelled"),
            t.counts.cancelled,
            t.counts.items,
            "cancelled",
        ),
        bar(
            source.t("chart_overdue_of"),
            t.counts.overdue,
            t.counts.items,
            "overdue",
        ),
    ];
    bar_chart(
        "status",
        source.t("chart_status"),
        source.t("col_status"),
        bars,
    )
}

fn satisfaction(source: &PageSource, t: &Totals) -> Chart {
    let bars = vec![
        bar(
            source.t("rating_satisfied"),
            t.satisfaction.all.satisfied,
            t.satisfaction.all.evaluations,
            "satisfied",
        ),
        bar(
            source.t("rating_fair"),
            t.satisfaction.all.fair,
            t.satisfaction.all.evaluations,
            "fair",
        ),
        bar(
            source.t("rating_unsatisfied"),
            t.satisfaction.all.unsatisfied,
            t.satisfaction.all.evaluations,
            "unsatisfied",
        ),
    ];
    bar_chart(
        "satisfaction",
        source.t("chart_satisfaction"),
        source.t("col_rating"),
        bars,
    )
}

fn categories(source: &PageSource, t: &Totals, counts: &[u32]) -> Chart {
    let bars = source
        .site
        .config
        .categories
        .iter()
        .zip(counts)
        .map(|(c, &n)| bar(c.name.clone(), n, t.counts.items, "category"))
        .collect();
    bar_chart(
        "categories",
        source.t("chart_categories"),
        source.t("col_category"),
        bars,
    )
}

/// Items per category within the scope; none for a category's own page.
fn category_counts(source: &PageSource, scope: ChartScope) -> Option<Vec<u32>> {
    let (site, index) = (source.site, source.index);
    let mut counts = vec![0u32; site.config.categories.len()];
    let mut count = |items: &[u32]| {
        for &i in items {
            counts[site.items[i as usize].category as usize] += 1;
        }
    };
    match scope {
        ChartScope::Site => {
            return Some(
                site.stats
                    .categories
                    .iter()
                    .map(|t| t.counts.items)
                    .collect(),
            );
        }
        ChartScope::Street(s) => {
            for &c in &index.street_communities[s] {
                count(&index.community_items[c as usize]);
            }
        }
        ChartScope::Community(c) => count(&index.community_items[c]),
        ChartScope::Unit(u) => count(&index.unit_items[u]),
        ChartScope::Category(_) => return None,
    }
    Some(counts)
}

/// Final reports per month, over the twelve months up to the as-of date.
fn months(source: &PageSource, t: &Totals) -> Chart {
    let names: Vec<String> = source
        .t("chart_month_names")
        .split(',')
        .map(String::from)
        .collect();
    let end = source.site.as_of;
    let months: Vec<NaiveDate> = (0..12)
        .rev()
        .filter_map(|back| first_of_month(end, back))
        .collect();
    let rows: Vec<(String, Row)> = months
        .iter()
        .map(|m| {
            let key = format!("{:04}-{:02}", m.year(), m.month());
            let value = t.completions_by_month.get(&key).copied().unwrap_or(0);
            let short = names
                .get(m.month0() as usize)
                .cloned()
                .unwrap_or_else(|| m.month().to_string());
            (
                short,
                Row {
                    label: key,
                    value,
                    share: None,
                },
            )
        })
        .collect();
    let svg = column_svg(&rows);
    Chart {
        key: "months",
        title: source.t("chart_months"),
        label_col: source.t("chart_month"),
        svg,
        rows: rows.into_iter().map(|(_, r)| r).collect(),
    }
}

/// The first day of the month `back` months before `date`'s month.
fn first_of_month(date: NaiveDate, back: u32) -> Option<NaiveDate> {
    let index = date.year() * 12 + date.month0() as i32 - back as i32;
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
}

fn bar_chart(key: &'static str, title: String, label_col: String, bars: Vec<Bar>) -> Chart {
    Chart {
        key,
        title,
        label_col,
        svg: bar_svg(&bars),
        rows: bars.into_iter().map(|b| b.row).collect(),
    }
}

/// Horizontal bars: label, bar, value (and share). None when every value is 0.
fn bar_svg(bars: &[Bar]) -> Option<String> {
    const ROW: u32 = 28;
    const LABEL_END: u32 = 100;
    const BAR_X: u32 = 106;
    const BAR_MAX: f64 = 140.0;
    let max = bars.iter().map(|b| b.row.value).max().unwrap_or(0);
    if max == 0 {
        return None;
    }
    let height = ROW * bars.len() as u32 + 4;
    let mut svg = svg_open(height);
    for (n, b) in bars.iter().enumerate() {
        let y = 4 + ROW * n as u32;
        let w = length(b.row.value, max, BAR_MAX);
        let value = match &b.row.share {
            Some(s) => format!("{} · {s}", b.row.value),
            None => b.row.value.to_string(),
        };
        let _ = write!(
            svg,
            r#"<text class="chart-label" x="{LABEL_END}" y="{ty}" text-anchor="end">{label}</text><rect class="bar bar-{class}" x="{BAR_X}" y="{y}" width="{w:.1}" height="18" data-label="{full}" data-value="{v}"/><text class="chart-value" x="{vx:.1}" y="{ty}">{value}</text>"#,
            ty = y + 14,
            label = xml_escape(&fit(&b.row.label, 7.5)),
            class = b.class,
            full = xml_escape(&b.row.label),
            v = b.row.value,
            vx = f64::from(BAR_X) + w + 5.0,
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// Columns over months: value above, month below. None when every value is 0.
fn column_svg(columns: &[(String, Row)]) -> Option<String> {
    const BASE: f64 = 118.0;
    const TALL: f64 = 90.0;
    let max = columns.iter().map(|(_, r)| r.value).max().unwrap_or(0);
    if max == 0 || columns.is_empty() {
        return None;
    }
    let slot = f64::from(WIDTH - 8) / columns.len() as f64;
    let mut svg = svg_open(140);
    let _ = write!(
        svg,
        r#"<line class="chart-axis" x1="4" x2="{}" y1="{BASE}" y2="{BASE}"/>"#,
        WIDTH - 4
    );
    for (n, (short, r)) in columns.iter().enumerate() {
        let mid = 4.0 + slot * (n as f64 + 0.5);
        let h = length(r.value, max, TALL);
        let _ = write!(
            svg,
            r#"<rect class="bar bar-completed" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" data-label="{label}" data-value="{v}"/><text class="chart-label chart-month" x="{mid:.1}" y="{ly}" text-anchor="middle">{short}</text>"#,
            x = mid - slot * 0.3,
            y = BASE - h,
            w = slot * 0.6,
            label = xml_escape(&r.label),
            v = r.value,
            ly = BASE + 16.0,
            short = xml_escape(short),
        );
        if r.value > 0 {
            let _ = write!(
                svg,
                r#"<text class="chart-value" x="{mid:.1}" y="{vy:.1}" text-anchor="middle">{}</text>"#,
                r.value,
                vy = BASE - h - 4.0,
            );
        }
    }
    svg.push_str("</svg>");
    Some(svg)
}

fn svg_open(height: u32) -> String {
    format!(
        r#"<svg class="chart-svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" aria-hidden="true" focusable="false">"#
    )
}

/// A bar's length: proportional to `value`, and at least visible when not zero.
fn length(value: u32, max: u32, full: f64) -> f64 {
    if value == 0 {
        0.0
    } else {
        (f64::from(value) / f64::from(max) * full).max(1.5)
    }
}

/// `label` cut to about `em` wide (a Chinese character is 1 em, a Latin one about half),
/// ending in "…" when cut; the table beside the chart has it in full.
fn fit(label: &str, em: f64) -> String {
    let width = |c: char| if c.is_ascii() { 0.55 } else { 1.0 };
    if label.chars().map(width).sum::<f64>() <= em {
        return label.to_string();
    }
    let mut out = String::new();
    let mut used = 1.0; // room for the ellipsis
    for c in label.chars() {
        used += width(c);
        if used > em {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_count_back_across_years() {
        let d = NaiveDate::from_ymd_opt(2018, 2, 14).unwrap();
        assert_eq!(first_of_month(d, 0), NaiveDate::from_ymd_opt(2018, 2, 1));
        assert_eq!(first_of_month(d, 2), NaiveDate::from_ymd_opt(2017, 12, 1));
        assert_eq!(first_of_month(d, 14), NaiveDate::from_ymd_opt(2016, 12, 1));
    }

    #[test]
    fn long_labels_are_cut_and_short_ones_kept() {
        assert_eq!(fit("水电维修", 7.5), "水电维修");
        assert_eq!(fit("社区环境整治与绿化美化", 7.5), "社区环境整治…");
        assert_eq!(fit("Repairs", 7.5), "Repairs");
    }

    #[test]
    fn bars_are_proportional_and_nothing_is_drawn_for_all_zero() {
        let b = |v| bar(String::from("x"), v, 10, "claimed");
        let svg = bar_svg(&[b(2), b(8), b(0)]).unwrap();
        assert!(svg.contains(r#"width="35.0" height="18" data-label="x" data-value="2""#));
        assert!(svg.contains(r#"width="140.0" height="18" data-label="x" data-value="8""#));
        assert!(svg.contains(r#"width="0.0" height="18" data-label="x" data-value="0""#));
        assert!(svg.contains("8 · 80.0%"));
        assert!(bar_svg(&[b(0), b(0)]).is_none());
    }
}
