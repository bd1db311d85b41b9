//! Atom feeds of completion reports: `/feed.xml` for the site and
//! `/communities/<id>/feed.xml` for each community.
//!
//! Entries are the final reports, newest first, at most [`ENTRIES`] per feed (a feed tells
//! what is new; the pages hold everything). Every date comes from the records, in China's
//! time zone, never from the clock, and every id is built from the base URL and the record
//! ids, so the same site gives the same feeds.

use crate::html::xml_escape;
use crate::pages::{self, Index};
use crate::site::Site;
use rayon::prelude::*;

/// How many entries a feed carries.
pub const ENTRIES: usize = 50;

/// The feeds to write: (path in the output, Atom XML).
pub fn feeds(site: &Site, index: &Index) -> Vec<(String, String)> {
    let mut out = vec![site_feed(site)];
    out.par_extend(
        (0..site.communities.len())
            .into_par_iter()
            .map(|c| community_feed(site, index, c)),
    );
    out
}

/// `feed.xml`: the site's newest final reports.
pub fn site_feed(site: &Site) -> (String, String) {
    let finals = (0..site.reports.len() as u32).filter(|&r| site.reports[r as usize].is_final);
    let finals = crate::site::first_sorted(finals, ENTRIES, |&a, &b| {
        let (x, y) = (&site.reports[a as usize], &site.reports[b as usize]);
        y.date.cmp(&x.date).then_with(|| x.meta.id.cmp(&y.meta.id))
    });
    (
        "feed.xml".to_string(),
        feed(site, &site.config.title, "feed.xml", "", &finals),
    )
}

/// `communities/<id>/feed.xml`: the final reports of the `c`th community's items. It shows
/// nothing that community's page does not (`serve` relies on this).
pub fn community_feed(site: &Site, index: &Index, c: usize) -> (String, String) {
    let community = &site.communities[c];
    let url = pages::community_url(&community.meta.id);
    let reports: Vec<u32> = index.community_reports[c]
        .iter()
        .copied()
        .filter(|&r| site.reports[r as usize].is_final)
        .collect();
    let title = format!("{} · {}", community.name, site.config.title);
    (
        format!("{url}feed.xml"),
        feed(site, &title, &format!("{url}feed.xml"), &url, &reports),
    )
}

/// One feed at `path` (relative to the base), about the page at `page`, of `reports` (newest
/// first).
fn feed(site: &Site, title: &str, path: &str, page: &str, reports: &[u32]) -> String {
    let base = &site.config.base_url;
    let shown = &reports[..reports.len().min(ENTRIES)];
    let updated = shown
        .first()
        .map_or(site.as_of, |&r| site.reports[r as usize].date);
    let mut x = String::with_capacity(1024 + shown.len() * 700);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        site.config.language.code()
    ));
    x.push_str(&format!("<title>{}</title>\n", xml_escape(title)));
    x.push_str(&format!(
        "<id>{}</id>\n",
        xml_escape(&format!("{base}{path}"))
    ));
    x.push_str(&format!(
        "<link rel=\"self\" href=\"{}\"/>\n",
        xml_escape(&format!("{base}{path}"))
    ));
    x.push_str(&format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&format!("{base}{page}"))
    ));
    x.push_str(&format!("<updated>{}</updated>\n", timestamp(updated)));
    x.push_str(&format!(
        "<generator>shiji</generator>\n<author><name>{}</name></author>\n",
        xml_escape(&site.config.title)
    ));
    for &r in shown {
        let rep = &site.reports[r as usize];
        let item = &site.items[rep.item.idx()];
        let unit = &site.units[item.unit.idx()];
        let category = &site.config.categories[item.category as usize];
        let link = format!("{base}{}", pages::item_url(&item.meta.id));
        x.push_str("<entry>\n");
        x.push_str(&format!(
            "<id>{}</id>\n",
            xml_escape(&tag_uri(base, rep.date, &rep.meta.id))
        ));
        x.push_str(&format!("<title>{}</title>\n", xml_escape(&item.title)));
        x.push_str(&format!(
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&link)
        ));
        x.push_str(&format!(
            "<published>{0}</published>\n<updated>{0}</updated>\n",
            timestamp(rep.date)
        ));
        x.push_str(&format!(
            "<author><name>{}</name></author>\n",
            xml_escape(&unit.name)
        ));
        x.push_str(&format!(
            "<category term=\"{}\" label=\"{}\"/>\n",
            xml_escape(&category.slug),
            xml_escape(&category.name)
        ));
        x.push_str(&format!(
            "<summary>{}</summary>\n",
            xml_escape(&rep.summary)
        ));
        x.push_str("</entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// Midnight of `date` in China Standard Time, as Atom writes it.
fn timestamp(date: chrono::NaiveDate) -> String {
    format!("{date}T00:00:00+08:00")
}

/// `tag:host,date:path/reports/id` (RFC 4151): stable as long as the base URL is, and
/// unique per report.
fn tag_uri(base_url: &str, date: chrono::NaiveDate, report: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.split(':').next().unwrap_or(host);
    format!("tag:{host},{date}:/{path}reports/{report}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_uris_are_built_from_the_base_url_and_the_report() {
        let d = crate::content::fields::parse_date("2018-05-04").unwrap();
        assert_eq!(
            tag_uri("https://www.example.gov.cn/jcdj/shiji/", d, "r-1"),
            "tag:www.example.gov.cn,2018-05-04:/jcdj/shiji/reports/r-1"
        );
        assert_eq!(
            tag_uri("http://localhost:8000/", d, "r-1"),
            "tag:localhost,2018-05-04:/reports/r-1"
        );
        assert_eq!(timestamp(d), "2018-05-04T00:00:00+08:00");
    }
}
