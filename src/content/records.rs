//! The typed records of records.md, one struct per kind, and how each is read from its
//! fields. Names of members and residents are read as written here and masked by
//! `names.rs` once every file is read, when the site masks names: the raw name goes no
//! further than the content stage.

use chrono::NaiveDate;

use super::fields::{Choice, Ctx, Fields, choice};
use super::labels;
use super::yaml::Node;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, YamlAt, did_you_mean};
use crate::i18n::{Text, join};
use crate::messages as m;

choice!(
    /// The top folders under `content/`.
    Kind {
        Streets = "streets" / "街道",
        Communities = "communities" / "社区",
        Units = "units" / "驻区单位",
        Agreements = "agreements" / "共建协议",
        Items = "items" / "认领事项",
        Reports = "reports" / "完成报告",
        Evaluations = "evaluations" / "评价",
        Pages = "pages" / "页面",
    }
);

impl Kind {
    pub fn from_folder(name: &str) -> Option<Kind> {
        Kind::ALL
            .iter()
            .find(|(_, k, _)| *k == name)
            .map(|(v, _, _)| *v)
    }
}

choice!(
    UnitType {
        Agency = "agency" / "机关",
        Soe = "soe" / "国有企业",
        Institution = "institution" / "事业单位",
        School = "school" / "学校",
        Hospital = "hospital" / "医院",
        Private = "private" / "两新组织",
        Other = "other" / "其他",
    }
);

choice!(
    /// An entry of an agreement's 供需清单.
    CommitmentKind {
        Need = "need" / "需求",
        Resource = "resource" / "资源",
        Project = "project" / "项目",
    }
);

choice!(
    Direction {
        ToCommunity = "to_community" / "单位领办社区事项",
        ToUnit = "to_unit" / "社区领办单位事项",
    }
);

choice!(
    Status {
        Claimed = "claimed" / "已认领",
        InProgress = "in_progress" / "办理中",
        Completed = "completed" / "已完成",
        Cancelled = "cancelled" / "已取消",
    }
);

choice!(
    Rating {
        Satisfied = "satisfied" / "满意",
        Fair = "fair" / "基本满意",
        Unsatisfied = "unsatisfied" / "不满意",
    }
);

/// A reference to another record by id; `idx` is its position once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    pub id: String,
    pub idx: u32,
}

impl Ref {
    pub fn new(id: String) -> Self {
        Ref { id, idx: u32::MAX }
    }
    pub fn idx(&self) -> usize {
        self.idx as usize
    }
}

/// What every record has: its id, where it was written, draft flag and Markdown body.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub id: String,
    /// Index into [`super::Records::files`].
    pub file: u32,
    pub yaml: YamlAt,
    pub draft: bool,
    /// Markdown, with LF line endings; empty when there is none.
    pub body: String,
    /// 1-based line of the body's first line in a `.md` file (0 for a YAML `body:` field).
    pub body_line: u32,
    /// The record had problems of its own (already reported): its values may be defaults,
    /// so checks that need them pass it over, while references still count.
    pub broken: bool,
}

#[derive(Debug, Clone)]
pub struct Street {
    pub meta: Meta,
    pub name: String,
    pub district: Option<String>,
    pub summary: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Community {
    pub meta: Meta,
    pub name: String,
    pub street: Ref,
    pub party_org: Option<String>,
    pub households: Option<u32>,
    pub grids: Option<u32>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub summary: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Unit {
    pub meta: Meta,
    pub name: String,
    pub unit_type: UnitType,
    pub party_org: Option<String>,
    pub members_reported: Option<u32>,
    pub summary: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Commitment {
    pub kind: CommitmentKind,
    pub title: String,
    /// Index into the site's categories.
    pub category: Option<u16>,
}

#[derive(Debug, Clone)]
pub struct Agreement {
    pub meta: Meta,
    pub title: String,
    pub community: Ref,
    pub units: Vec<Ref>,
    pub signed: NaiveDate,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub commitments: Vec<Commitment>,
    /// Path under `static/`.
    pub document: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub meta: Meta,
    pub title: String,
    pub community: Ref,
    /// The partner unit (`claimed_by.unit`).
    pub unit: Ref,
    /// The reporting Party member, masked when the site masks names.
    pub member: Option<String>,
    pub direction: Direction,
    pub agreement: Option<Ref>,
    /// Index into the site's categories.
    pub category: u16,
    pub claimed: NaiveDate,
    pub due: Option<NaiveDate>,
    /// The status as written; the derived one is in the site stage.
    pub status: Option<Status>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Photo {
    /// Path under `static/`.
    pub src: String,
    pub alt: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub meta: Meta,
    pub item: Ref,
    pub date: NaiveDate,
    pub is_final: bool,
    pub summary: String,
    pub beneficiaries: Option<u32>,
    pub volunteers: Option<u32>,
    pub hours: Option<f64>,
    pub photos: Vec<Photo>,
}

/// One side of an evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum Party {
    Item(Ref),
    Unit(Ref),
    Community(Ref),
    /// A resident, masked when the site masks names.
    Resident(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub meta: Meta,
    pub of: Party,
    pub by: Party,
    pub date: NaiveDate,
    pub rating: Rating,
    pub comment: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub meta: Meta,
    pub title: String,
    pub order: Option<i64>,
}

/// A record of any kind, as read from one file.
#[derive(Debug, Clone)]
pub enum Record {
    Street(Street),
    Community(Community),
    Unit(Unit),
    Agreement(Agreement),
    Item(Item),
    Report(Report),
    Evaluation(Evaluation),
    Page(Page),
}

impl Record {
    pub fn meta_mut(&mut self) -> &mut Meta {
        match self {
            Record::Street(x) => &mut x.meta,
            Record::Community(x) => &mut x.meta,
            Record::Unit(x) => &mut x.meta,
            Record::Agreement(x) => &mut x.meta,
            Record::Item(x) => &mut x.meta,
            Record::Report(x) => &mut x.meta,
            Record::Evaluation(x) => &mut x.meta,
            Record::Page(x) => &mut x.meta,
        }
    }
}

const COMMON: &[&str] = &["id", "draft", "body"];

/// The fields each kind may have, for "did you mean" and the documentation.
pub fn known_fields(kind: Kind) -> Vec<&'static str> {
    let own: &[&str] = match kind {
        Kind::Streets => &["name", "district", "summary"],
        Kind::Communities => &[
            "name",
            "street",
            "party_org",
            "households",
            "grids",
            "address",
            "phone",
            "summary",
        ],
        Kind::Units => &["name", "type", "party_org", "members_reported", "summary"],
        Kind::Agreements => &[
            "title",
            "community",
            "units",
            "signed",
            "start",
            "end",
            "commitments",
            "document",
        ],
        Kind::Items => &[
            "title",
            "community",
            "claimed_by",
            "direction",
            "agreement",
            "category",
            "claimed",
            "due",
            "status",
        ],
        Kind::Reports => &[
            "item",
            "date",
            "final",
            "summary",
            "beneficiaries",
            "volunteers",
            "hours",
            "photos",
        ],
        Kind::Evaluations => &["of", "by", "date", "rating", "comment"],
        Kind::Pages => &["title", "order"],
    };
    COMMON.iter().chain(own).copied().collect()
}

/// Everything a record reader needs besides the fields: the site's settings and the
/// record's meta (its body already set).
pub struct ReadCtx<'a, 'b> {
    pub cx: Ctx<'a>,
    pub config: &'b Config,
}

/// Reads the kind-specific fields of one record. A field that cannot be read is reported
/// and left at a default value; the caller marks such a record broken.
pub fn read(kind: Kind, mut f: Fields, meta: Meta, rc: &mut ReadCtx) -> Record {
    let cx = &mut rc.cx;
    let config = rc.config;
    let record = match kind {
        Kind::Streets => Record::Street(Street {
            name: f.required_text(cx, "name", labels::what(Kind::Streets, "name")),
            district: f.text(cx, "district"),
            summary: f.text(cx, "summary"),
            meta,
        }),
        Kind::Communities => Record::Community(Community {
            name: f.required_text(cx, "name", labels::what(Kind::Communities, "name")),
            street: reference(
                &mut f,
                cx,
                "street",
                labels::what(Kind::Communities, "street"),
            ),
            party_org: f.text(cx, "party_org"),
            households: f.count(cx, "households"),
            grids: f.count(cx, "grids"),
            address: f.text(cx, "address"),
            phone: f.text(cx, "phone"),
            summary: f.text(cx, "summary"),
            meta,
        }),
        Kind::Units => {
            let name = f.required_text(cx, "name", labels::what(Kind::Units, "name"));
            let unit_type = f.required_choice(cx, "type", labels::what(Kind::Units, "type"));
            let party_org = f.text(cx, "party_org");
            let members_reported = f.count(cx, "members_reported");
            let summary = f.text(cx, "summary");
            let unit_type = unit_type.unwrap_or(UnitType::Other);
            Record::Unit(Unit {
                meta,
                name,
                unit_type,
                party_org,
                members_reported,
                summary,
            })
        }
        Kind::Agreements => read_agreement(&mut f, cx, config, meta),
        Kind::Items => read_item(&mut f, cx, config, meta),
        Kind::Reports => read_report(&mut f, cx, meta),
        Kind::Evaluations => read_evaluation(&mut f, cx, meta),
        Kind::Pages => Record::Page(Page {
            title: f.required_text(cx, "title", labels::what(Kind::Pages, "title")),
            order: f.integer(cx, "order"),
            meta,
        }),
    };
    f.finish(cx, &known_fields(kind));
    record
}

fn reference(f: &mut Fields, cx: &mut Ctx, name: &str, what: Text) -> Ref {
    Ref::new(f.required_text(cx, name, what).trim().to_string())
}

/// A category written as slug or name, as an index into the site's categories.
fn category(
    f: &mut Fields,
    cx: &mut Ctx,
    config: &Config,
    name: &str,
    required: bool,
) -> Option<u16> {
    let Some(text) = f.text(cx, name) else {
        if required && !f.has(name) {
            f.missing(cx, name, labels::what(Kind::Items, "category"));
        }
        return None;
    };
    let t = text.trim();
    let found = config
        .categories
        .iter()
        .position(|c| c.slug == t || c.name == t);
    if found.is_none() {
        let slugs: Vec<&str> = config.categories.iter().map(|c| c.slug.as_str()).collect();
        let names: Vec<&str> = config.categories.iter().map(|c| c.name.as_str()).collect();
        let suggestion = did_you_mean(t, &slugs).or_else(|| did_you_mean(t, &names));
        let list: Vec<String> = config
            .categories
            .iter()
            .map(|c| format!("{} ({})", c.slug, c.name))
            .collect();
        let hint = match suggestion {
            Some(s) => m::unknown_category_suggest(s, list.join(", ")),
            None if list.is_empty() => m::no_categories(),
            None => m::use_category(list.join(", ")),
        };
        cx.diags.push(
            Diagnostic::new(
                "unknown-category",
                cx.file,
                f.at(name),
                m::unknown_category(t),
            )
            .hint(hint),
        );
    }
    found.map(|i| i as u16)
}

fn read_agreement(f: &mut Fields, cx: &mut Ctx, config: &Config, meta: Meta) -> Record {
    let title = f.required_text(cx, "title", labels::what(Kind::Agreements, "title"));
    let community = reference(
        f,
        cx,
        "community",
        labels::what(Kind::Agreements, "community"),
    );
    let had_units = f.has("units");
    let mut units = Vec::new();
    for (i, n) in f.list(cx, "units").into_iter().enumerate() {
        match n {
            Node::Str(s) => units.push(Ref::new(s.trim().to_string())),
            other => cx.diags.push(
                Diagnostic::new(
                    "wrong-type",
                    cx.file,
                    f.at_element("units", i),
                    m::unit_not_id(other.describe()),
                )
                .hint(m::unit_not_id_hint()),
            ),
        }
    }
    if units.is_empty() && cx.diags.last().is_none_or(|d| d.code != "wrong-type") {
        if had_units {
            cx.diags.push(
                Diagnostic::new("empty-list", cx.file, f.at("units"), m::empty_units())
                    .hint(m::empty_units_hint()),
            );
        } else {
            f.missing(cx, "units", labels::what(Kind::Agreements, "units"));
        }
    }
    let signed = f.required_date(cx, "signed");
    let start = f.date(cx, "start");
    let end = f.date(cx, "end");
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        cx.diags.push(
            Diagnostic::new("date-order", cx.file, f.at("end"), m::term_order(s, e))
                .hint(m::term_order_hint()),
        );
    }
    let mut commitments = Vec::new();
    for (i, n) in f.list(cx, "commitments").into_iter().enumerate() {
        let Some(mut c) = f.element(cx, "commitments", i, n) else {
            continue;
        };
        let kind = c.required_choice(
            cx,
            "kind",
            labels::what(Kind::Agreements, "commitments.kind"),
        );
        let title = c.required_text(
            cx,
            "title",
            labels::what(Kind::Agreements, "commitments.title"),
        );
        let category = category(&mut c, cx, config, "category", false);
        c.finish(cx, &["kind", "title", "category"]);
        if let Some(kind) = kind {
            commitments.push(Commitment {
                kind,
                title,
                category,
            });
        }
    }
    let document = f.text(cx, "document");
    Record::Agreement(Agreement {
        meta,
        title,
        community,
        units,
        signed: signed.unwrap_or_default(),
        start,
        end,
        commitments,
        document,
    })
}

fn read_item(f: &mut Fields, cx: &mut Ctx, config: &Config, meta: Meta) -> Record {
    let title = f.required_text(cx, "title", labels::what(Kind::Items, "title"));
    let community = reference(f, cx, "community", labels::what(Kind::Items, "community"));
    let (mut unit, mut member) = (None, None);
    match f.mapping(cx, "claimed_by") {
        Some(mut c) => {
            unit = Some(reference(
                &mut c,
                cx,
                "unit",
                labels::what(Kind::Items, "claimed_by.unit"),
            ));
            member = c.text(cx, "member").map(|m| person_name(&m));
            c.finish(cx, &["unit", "member"]);
        }
        None if !f.has("claimed_by") => {
            f.missing(cx, "claimed_by", labels::what(Kind::Items, "claimed_by"))
        }
        None => {}
    }
    let direction = f.choice(cx, "direction").unwrap_or(Direction::ToCommunity);
    let agreement = f
        .text(cx, "agreement")
        .map(|a| Ref::new(a.trim().to_string()));
    let category = category(f, cx, config, "category", true);
    let claimed = f.required_date(cx, "claimed");
    let due = f.date(cx, "due");
    if let (Some(c), Some(d)) = (claimed, due)
        && d < c
    {
        cx.diags.push(
            Diagnostic::new("date-order", cx.file, f.at("due"), m::due_order(c, d))
                .hint(m::due_order_hint()),
        );
    }
    let status = f.choice(cx, "status");
    Record::Item(Item {
        meta,
        title,
        community,
        unit: unit.unwrap_or_else(|| Ref::new(String::new())),
        member,
        direction,
        agreement,
        category: category.unwrap_or_default(),
        claimed: claimed.unwrap_or_default(),
        due,
        status,
    })
}

fn read_report(f: &mut Fields, cx: &mut Ctx, meta: Meta) -> Record {
    let item = reference(f, cx, "item", labels::what(Kind::Reports, "item"));
    let date = f.required_date(cx, "date");
    let is_final = f.boolean(cx, "final").unwrap_or(true);
    let summary = f.required_text(cx, "summary", labels::what(Kind::Reports, "summary"));
    let beneficiaries = f.count(cx, "beneficiaries");
    let volunteers = f.count(cx, "volunteers");
    let hours = f.amount(cx, "hours");
    let mut photos = Vec::new();
    for (i, n) in f.list(cx, "photos").into_iter().enumerate() {
        let Some(mut p) = f.element(cx, "photos", i, n) else {
            continue;
        };
        let src = p.required_text(cx, "src", labels::what(Kind::Reports, "photos.src"));
        let alt = p.required_text(cx, "alt", labels::what(Kind::Reports, "photos.alt"));
        p.finish(cx, &["src", "alt"]);
        photos.push(Photo { src, alt });
    }
    Record::Report(Report {
        meta,
        item,
        date: date.unwrap_or_default(),
        is_final,
        summary,
        beneficiaries,
        volunteers,
        hours,
        photos,
    })
}

fn read_evaluation(f: &mut Fields, cx: &mut Ctx, meta: Meta) -> Record {
    let of = party(f, cx, "of", &["item", "unit", "community"]);
    let by = party(f, cx, "by", &["unit", "community", "resident"]);
    let date = f.required_date(cx, "date");
    let rating = f.required_choice(cx, "rating", labels::what(Kind::Evaluations, "rating"));
    let comment = f.text(cx, "comment");
    // A side that could not be read stands as an empty resident: it refers to nothing.
    let nobody = || Party::Resident(String::new());
    let (of, by) = (of.unwrap_or_else(nobody), by.unwrap_or_else(nobody));
    if let (Party::Unit(a), Party::Unit(b)) | (Party::Community(a), Party::Community(b)) =
        (&of, &by)
        && a.id == b.id
    {
        cx.diags.push(
            Diagnostic::new(
                "self-evaluation",
                cx.file,
                f.at("by"),
                m::evaluates_itself(&a.id),
            )
            .hint(m::evaluates_itself_hint()),
        );
    }
    let (date, rating) = (
        date.unwrap_or_default(),
        rating.unwrap_or(Rating::Satisfied),
    );
    Record::Evaluation(Evaluation {
        meta,
        of,
        by,
        date,
        rating,
        comment,
    })
}

/// `of:` / `by:`: a mapping with exactly one of `allowed`.
fn party(f: &mut Fields, cx: &mut Ctx, name: &str, allowed: &[&str]) -> Option<Party> {
    let Some(mut inner) = f.mapping(cx, name) else {
        if !f.has(name) {
            f.missing(cx, name, m::what_party(join(allowed)));
        }
        return None;
    };
    let present: Vec<&str> = allowed.iter().copied().filter(|k| inner.has(k)).collect();
    if present.len() != 1 {
        let what = if present.is_empty() {
            m::party_none()
        } else {
            join(&present)
        };
        cx.diags.push(
            Diagnostic::new(
                "invalid-party",
                cx.file,
                f.at(name),
                m::invalid_party(name, join(allowed), what),
            )
            .hint(m::invalid_party_hint(name, allowed[0])),
        );
        for k in allowed {
            inner.take(k);
        }
        inner.finish(cx, allowed);
        return None;
    }
    let key = present[0];
    let value = inner
        .required_text(cx, key, m::what_id())
        .trim()
        .to_string();
    inner.finish(cx, allowed);
    Some(match key {
        "item" => Party::Item(Ref::new(value)),
        "unit" => Party::Unit(Ref::new(value)),
        "community" => Party::Community(Ref::new(value)),
        _ => Party::Resident(person_name(&value)),
    })
}

/// A person's name as written; [`super::names::mask`] masks it once every file is read.
fn person_name(name: &str) -> String {
    name.trim().to_string()
}
