//! The ranking tables of a year (`/years/<yyyy>/` and `data/years/<yyyy>.csv`): every
//! published unit and every community with that year's figures, in the order the
//! organisation department's assessment (述职评议考核) reads them.

use std::cmp::Ordering;

use super::Site;
use super::stats::{Totals, YearTotals};

/// The figures of a scope in `year`; none (zeros) when it had nothing that year.
pub fn year_of(t: &Totals, year: i32) -> &YearTotals {
    static NONE: std::sync::OnceLock<YearTotals> = std::sync::OnceLock::new();
    t.years
        .get(&year)
        .unwrap_or_else(|| NONE.get_or_init(YearTotals::default))
}

/// One year's ranking: indexes of units and of communities, first place first.
#[derive(Debug)]
pub struct Ranking {
    pub units: Vec<u32>,
    pub communities: Vec<u32>,
}

/// Ranks every unit and every community by `year`'s completion rate, highest first (no rate
/// last); ties by overall satisfaction rate (the same), then by name, then by id.
pub fn rank(site: &Site, year: i32) -> Ranking {
    let order = |totals: &[Totals], names: Vec<(&str, &str)>| -> Vec<u32> {
        let mut list: Vec<u32> = (0..totals.len() as u32).collect();
        list.sort_by(|&a, &b| {
            let (ya, yb) = (
                year_of(&totals[a as usize], year),
                year_of(&totals[b as usize], year),
            );
            higher_first(ya.counts.completion_rate(), yb.counts.completion_rate())
                .then_with(|| {
                    higher_first(
                        ya.satisfaction.all.satisfaction_rate(),
                        yb.satisfaction.all.satisfaction_rate(),
                    )
                })
                .then_with(|| names[a as usize].cmp(&names[b as usize]))
        });
        list
    };
    Ranking {
        units: order(
            &site.stats.units,
            site.units
                .iter()
                .map(|u| (u.name.as_str(), u.meta.id.as_str()))
                .collect(),
        ),
        communities: order(
            &site.stats.communities,
            site.communities
                .iter()
                .map(|c| (c.name.as_str(), c.meta.id.as_str()))
                .collect(),
        ),
    }
}

/// Higher rates first; a rate before no rate.
fn higher_first(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.total_cmp(&a),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn higher_rates_come_first_and_no_rate_last() {
        let mut v = vec![None, Some(0.5), Some(1.0), None, Some(0.0)];
        v.sort_by(|a, b| higher_first(*a, *b));
        assert_eq!(v, vec![Some(1.0), Some(0.5), Some(0.0), None, None]);
    }
}
