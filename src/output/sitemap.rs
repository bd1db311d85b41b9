//! The sitemap (every page that search engines should list) and robots.txt pointing at it.

use crate::html::xml_escape;
use crate::pages::Route;
use crate::site::Site;

/// sitemap.xml: every page but the 404 page.
pub fn sitemap(site: &Site, routes: &[Route]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for r in routes.iter().filter(|r| r.in_sitemap()) {
        out.push_str("<url><loc>");
        out.push_str(&xml_escape(&format!("{}{}", site.config.base_url, r.url)));
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// robots.txt: everything may be crawled, and the sitemap is here.
pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
        site.config.base_url
    )
}
