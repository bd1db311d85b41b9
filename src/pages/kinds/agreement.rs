//! A co-construction agreement's page: its parties, commitments and items.

use super::*;

/// Puts the page's data into `cx`; its title.
pub(super) fn context(source: &PageSource, a: u32, cx: &mut Values) -> tera::TeraResult<String> {
    let site = source.site;
    let index = source.index;
    let a = a as usize;
    let ag = &site.agreements[a];
    #[derive(Serialize)]
    struct CommitmentData<'a> {
        kind: &'static str,
        kind_label: String,
        title: &'a str,
        category: Option<CategoryLink<'a>>,
    }
    #[derive(Serialize)]
    struct AgreementData<'a> {
        id: &'a str,
        title: &'a str,
        community: Link<'a>,
        units: Vec<Link<'a>>,
        signed: String,
        start: Option<String>,
        end: Option<String>,
        document: Option<String>,
        body_html: String,
        draft: bool,
        commitments: Vec<CommitmentData<'a>>,
    }
    cx.put(
        "agreement",
        &AgreementData {
            id: &ag.meta.id,
            title: &ag.title,
            community: source.community_link(ag.community.idx()),
            units: ag.units.iter().map(|u| source.unit_link(u.idx())).collect(),
            signed: ag.signed.to_string(),
            start: ag.start.map(|d| d.to_string()),
            end: ag.end.map(|d| d.to_string()),
            document: ag.document.as_deref().map(static_url),
            body_html: body(source, &ag.meta.body, "a-"),
            draft: ag.meta.draft,
            commitments: ag
                .commitments
                .iter()
                .map(|c| CommitmentData {
                    kind: c.kind.key(),
                    kind_label: source.t(&format!("kind_{}", c.kind.key())),
                    title: &c.title,
                    category: c.category.map(|k| source.category_link(k as usize)),
                })
                .collect(),
        },
    )?;
    cx.put("items", &source.rows(&index.agreement_items[a])?)?;
    Ok(ag.title.clone())
}
