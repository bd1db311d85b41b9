//! The columns of a ledger (台账): each kind's fields as spreadsheet columns, with their
//! Chinese labels and the type a cell is read as; the sheet names that place a sheet.
//!
//! One table serves the reader (headers by key or label) and `shiji export` (headers,
//! notes and validations), so the two cannot disagree. docs/ledgers.md lists it for editors.

use crate::content::labels;
use crate::content::records::Kind;

/// How a cell of a column becomes a field value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellType {
    Text,
    /// A whole number (counts, `order`).
    Whole,
    /// A number with decimals allowed (`hours`).
    Decimal,
    /// `TRUE`/`FALSE`, `是`/`否`.
    YesNo,
    Date,
    /// Several values in one cell, separated by `、` or `,` (an agreement's `units`).
    List,
}

/// What a column's values must be, for export's drop-down validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    Any,
    /// One of an enumeration's labels.
    Choice(ChoiceOf),
    /// A category of site.toml.
    Category,
    /// The id of a record of this kind.
    IdOf(Kind),
}

/// The enumerations a column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoiceOf {
    UnitType,
    CommitmentKind,
    Direction,
    Status,
    Rating,
}

/// One column: the field's key (`claimed_by.unit` for a nested one), its Chinese label,
/// how its cells are read, and what they may hold.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub key: &'static str,
    pub label: &'static str,
    pub cell: CellType,
    pub allowed: Allowed,
    /// One line for the header's note in an exported workbook.
    pub note: &'static str,
}

const fn col(key: &'static str, label: &'static str, cell: CellType, note: &'static str) -> Column {
    Column {
        key,
        label,
        cell,
        allowed: Allowed::Any,
        note,
    }
}

const fn pick(
    key: &'static str,
    label: &'static str,
    allowed: Allowed,
    note: &'static str,
) -> Column {
    Column {
        key,
        label,
        cell: CellType::Text,
        allowed,
        note,
    }
}

use Allowed::{Category, Choice, IdOf};
use CellType::{Date, Decimal, List, Text, Whole, YesNo};

const ID: Column = col(
    "id",
    "编号",
    Text,
    "必填。小写字母、数字和 -，在本类记录中唯一",
);
const DRAFT: Column = col("draft", "草稿", YesNo, "填“是”则不发布（预览时显示）");
const BODY: Column = col("body", "正文", Text, "Markdown 正文，可空");

const STREETS: &[Column] = &[
    ID,
    col("name", "街道名称", Text, "必填"),
    col("district", "所属区县", Text, ""),
    col("summary", "简介", Text, "一句话"),
    DRAFT,
    BODY,
];

const COMMUNITIES: &[Column] = &[
    ID,
    col("name", "社区名称", Text, "必填"),
    pick(
        "street",
        "所属街道",
        IdOf(Kind::Streets),
        "必填。街道的编号",
    ),
    col("party_org", "党组织", Text, ""),
    col("households", "户数", Whole, "0 或正整数"),
    col("grids", "网格数", Whole, "0 或正整数"),
    col("address", "办公地址", Text, ""),
    col("phone", "办公电话", Text, "公开的办公电话，不填个人手机"),
    col("summary", "简介", Text, "一句话"),
    DRAFT,
    BODY,
];

const UNITS: &[Column] = &[
    ID,
    col("name", "单位名称", Text, "必填"),
    pick(
        "type",
        "单位类型",
        Choice(ChoiceOf::UnitType),
        "必填。从下拉列表选择",
    ),
    col("party_org", "党组织", Text, ""),
    col("members_reported", "报到党员数", Whole, "0 或正整数"),
    col("summary", "简介", Text, "一句话"),
    DRAFT,
    BODY,
];

const AGREEMENTS: &[Column] = &[
    ID,
    col("title", "协议名称", Text, "必填"),
    pick(
        "community",
        "社区",
        IdOf(Kind::Communities),
        "必填。社区的编号",
    ),
    col(
        "units",
        "共建单位",
        List,
        "必填。单位编号，多个用“、”或“,”隔开",
    ),
    col("signed", "签订日期", Date, "必填。日期，如 2018-03-01"),
    col("start", "开始日期", Date, "日期"),
    col("end", "结束日期", Date, "日期，不早于开始日期"),
    col(
        "document",
        "协议文件",
        Text,
        "static/ 下的文件路径，如 docs/xieyi.pdf",
    ),
    DRAFT,
    BODY,
];

/// An agreement's 供需清单, one row per entry, keyed by the agreement's id.
const COMMITMENTS: &[Column] = &[
    pick(
        "agreement",
        "协议编号",
        IdOf(Kind::Agreements),
        "必填。本条所属协议的编号",
    ),
    pick(
        "kind",
        "类型",
        Choice(ChoiceOf::CommitmentKind),
        "必填。需求、资源或项目",
    ),
    col("title", "内容", Text, "必填"),
    pick("category", "类别", Category, "site.toml 中的类别"),
];

const ITEMS: &[Column] = &[
    ID,
    col("title", "事项名称", Text, "必填"),
    pick(
        "community",
        "社区",
        IdOf(Kind::Communities),
        "必填。社区的编号",
    ),
    pick(
        "claimed_by.unit",
        "认领单位",
        IdOf(Kind::Units),
        "必填。单位的编号",
    ),
    col(
        "claimed_by.member",
        "认领党员",
        Text,
        "报到党员姓名，发布时只显示姓",
    ),
    pick(
        "direction",
        "领办方向",
        Choice(ChoiceOf::Direction),
        "不填即单位领办社区事项",
    ),
    pick(
        "agreement",
        "所属协议",
        IdOf(Kind::Agreements),
        "协议的编号，可空",
    ),
    pick("category", "类别", Category, "必填。site.toml 中的类别"),
    col("claimed", "认领日期", Date, "必填。日期，如 2018-03-01"),
    col("due", "完成时限", Date, "日期，不早于认领日期"),
    pick(
        "status",
        "状态",
        Choice(ChoiceOf::Status),
        "可空：由完成报告推算",
    ),
    DRAFT,
    BODY,
];

const REPORTS: &[Column] = &[
    ID,
    pick(
        "item",
        "事项编号",
        IdOf(Kind::Items),
        "必填。所报事项的编号",
    ),
    col("date", "报告日期", Date, "必填。日期，不早于认领日期"),
    col(
        "final",
        "完成报告",
        YesNo,
        "“是”为完成报告（默认），“否”为进展",
    ),
    col("summary", "完成情况", Text, "必填。一句话"),
    col("beneficiaries", "受益群众", Whole, "人数"),
    col("volunteers", "参与人数", Whole, "人数"),
    col("hours", "服务时长", Decimal, "小时，可有小数"),
    DRAFT,
    BODY,
];

/// A report's photos, one row per photo, keyed by the report's id.
const PHOTOS: &[Column] = &[
    pick(
        "report",
        "报告编号",
        IdOf(Kind::Reports),
        "必填。照片所属报告的编号",
    ),
    col(
        "src",
        "照片路径",
        Text,
        "必填。static/ 下的路径，如 photos/a.jpg",
    ),
    col("alt", "照片说明", Text, "必填。为看不见照片的人描述照片"),
];

const EVALUATIONS: &[Column] = &[
    ID,
    pick(
        "of.item",
        "被评事项",
        IdOf(Kind::Items),
        "被评价的事项、单位、社区，三者填一",
    ),
    pick(
        "of.unit",
        "被评单位",
        IdOf(Kind::Units),
        "被评价的事项、单位、社区，三者填一",
    ),
    pick(
        "of.community",
        "被评社区",
        IdOf(Kind::Communities),
        "被评价的事项、单位、社区，三者填一",
    ),
    pick(
        "by.unit",
        "评价单位",
        IdOf(Kind::Units),
        "评价方：单位、社区、居民，三者填一",
    ),
    pick(
        "by.community",
        "评价社区",
        IdOf(Kind::Communities),
        "评价方：单位、社区、居民，三者填一",
    ),
    col("by.resident", "评价居民", Text, "居民姓名，发布时只显示姓"),
    col("date", "评价日期", Date, "必填。日期"),
    pick(
        "rating",
        "评价结果",
        Choice(ChoiceOf::Rating),
        "必填。满意、基本满意或不满意",
    ),
    col("comment", "评语", Text, ""),
    DRAFT,
    BODY,
];

const PAGES: &[Column] = &[
    ID,
    col("title", "标题", Text, "必填"),
    col("order", "排序", Whole, "在导航中的位置"),
    DRAFT,
    BODY,
];

/// What a sheet holds: the records of a kind, or the rows of a kind's list field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetOf {
    Records(Kind),
    /// Rows of the list field `field` of the records of `kind`, each naming its record in
    /// the column `parent`.
    Rows {
        kind: Kind,
        field: &'static str,
        parent: &'static str,
    },
}

impl SheetOf {
    /// Every kind of sheet, in the order an exported workbook has them, with its name there
    /// and the other names a sheet of it may have.
    pub const ALL: &'static [(SheetOf, &'static str, &'static [&'static str])] = &[
        (SheetOf::Records(Kind::Streets), "街道", &["streets"]),
        (
            SheetOf::Records(Kind::Communities),
            "社区",
            &["communities"],
        ),
        (
            SheetOf::Records(Kind::Units),
            "单位",
            &["units", "驻区单位"],
        ),
        (
            SheetOf::Records(Kind::Agreements),
            "协议",
            &["agreements", "共建协议"],
        ),
        (SheetOf::COMMITMENTS, "供需清单", &["commitments"]),
        (
            SheetOf::Records(Kind::Items),
            "事项",
            &["items", "认领事项"],
        ),
        (
            SheetOf::Records(Kind::Reports),
            "报告",
            &["reports", "完成报告"],
        ),
        (SheetOf::PHOTOS, "照片", &["photos"]),
        (
            SheetOf::Records(Kind::Evaluations),
            "评价",
            &["evaluations"],
        ),
        (SheetOf::Records(Kind::Pages), "页面", &["pages"]),
    ];

    pub const COMMITMENTS: SheetOf = SheetOf::Rows {
        kind: Kind::Agreements,
        field: "commitments",
        parent: "agreement",
    };
    pub const PHOTOS: SheetOf = SheetOf::Rows {
        kind: Kind::Reports,
        field: "photos",
        parent: "report",
    };

    /// The sheet named `name` (its exported name or another of its names, spaces around
    /// ignored, keys in any case).
    pub fn named(name: &str) -> Option<SheetOf> {
        let n = name.trim();
        Self::ALL
            .iter()
            .find(|(_, main, others)| {
                *main == n || others.iter().any(|o| o.eq_ignore_ascii_case(n))
            })
            .map(|(s, _, _)| *s)
    }

    /// The name of this sheet in an exported workbook.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(s, _, _)| *s == self)
            .map_or("", |(_, n, _)| n)
    }

    pub fn kind(self) -> Kind {
        match self {
            SheetOf::Records(kind) | SheetOf::Rows { kind, .. } => kind,
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            SheetOf::Records(kind) => records(kind),
            SheetOf::Rows {
                field: "commitments",
                ..
            } => COMMITMENTS,
            SheetOf::Rows { .. } => PHOTOS,
        }
    }

    /// The column of `header` (a key or a label, spaces around ignored). The label of the
    /// field in docs/content.md ([`labels`](crate::content::labels)), where it differs from
    /// the ledger's shorter one (评价意见 for 评语), is taken too.
    pub fn column(self, header: &str) -> Option<&'static Column> {
        let h = header.trim();
        self.columns()
            .iter()
            .find(|c| c.key == h || c.label == h || self.field_label(c) == Some(h))
    }

    /// The label docs/content.md gives the field of column `c`.
    fn field_label(self, c: &Column) -> Option<&'static str> {
        let label = match self {
            SheetOf::Records(kind) => labels::find(kind, c.key),
            SheetOf::Rows { kind, field, .. } => labels::find(kind, &format!("{field}.{}", c.key)),
        };
        label.map(|l| l.zh)
    }
}

/// The columns of the records of `kind`.
fn records(kind: Kind) -> &'static [Column] {
    match kind {
        Kind::Streets => STREETS,
        Kind::Communities => COMMUNITIES,
        Kind::Units => UNITS,
        Kind::Agreements => AGREEMENTS,
        Kind::Items => ITEMS,
        Kind::Reports => REPORTS,
        Kind::Evaluations => EVALUATIONS,
        Kind::Pages => PAGES,
    }
}

/// The sheets of `kind`'s list fields (供需清单, 照片).
pub fn list_sheets(kind: Kind) -> impl Iterator<Item = SheetOf> {
    SheetOf::ALL
        .iter()
        .map(|(s, _, _)| *s)
        .filter(move |s| matches!(s, SheetOf::Rows { kind: k, .. } if *k == kind))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::fields::Choice;
    use crate::content::records::known_fields;

    #[test]
    fn every_field_has_a_column_and_labels_are_unique() {
        for (kind, _, _) in Kind::ALL {
            let sheet = SheetOf::Records(*kind);
            let cols = sheet.columns();
            for f in known_fields(*kind) {
                if matches!(f, "commitments" | "photos") {
                    continue;
                }
                assert!(
                    cols.iter()
                        .any(|c| c.key == f || c.key.starts_with(&format!("{f}."))),
                    "{kind:?}.{f}"
                );
            }
            for (i, c) in cols.iter().enumerate() {
                let root = c.key.split('.').next().unwrap_or(c.key);
                assert!(known_fields(*kind).contains(&root), "{}", c.key);
                assert!(
                    cols[i + 1..]
                        .iter()
                        .all(|d| d.label != c.label && d.key != c.key)
                );
                assert!(sheet.column(c.label).is_some() && sheet.column(c.key).is_some());
            }
        }
    }

    /// A header written with the label of docs/content.md finds its column, and that label is
    /// no other column's header.
    #[test]
    fn the_field_labels_of_the_content_docs_are_headers_too() {
        let evaluations = SheetOf::Records(Kind::Evaluations);
        let key = |sheet: SheetOf, header| sheet.column(header).map(|c| c.key);
        assert_eq!(key(evaluations, "评价意见"), Some("comment"));
        assert_eq!(key(SheetOf::COMMITMENTS, "清单内容"), Some("title"));
        for (sheet, _, _) in SheetOf::ALL {
            for c in sheet.columns() {
                if let Some(label) = sheet.field_label(c) {
                    assert_eq!(sheet.column(label).map(|d| d.key), Some(c.key), "{label}");
                }
            }
        }
    }

    #[test]
    fn docs_list_every_column() {
        let doc = include_str!("../../../docs/ledgers.md");
        for (sheet, _, _) in SheetOf::ALL {
            for c in sheet.columns() {
                let (plain, bold) = (
                    format!("| {} | {} |", c.key, c.label),
                    format!("| **{}** | {} |", c.key, c.label),
                );
                assert!(
                    doc.contains(&plain) || doc.contains(&bold),
                    "docs/ledgers.md lacks {plain}"
                );
            }
        }
    }

    #[test]
    fn sheets_are_placed_by_name_key_or_label() {
        assert_eq!(SheetOf::named("事项"), Some(SheetOf::Records(Kind::Items)));
        assert_eq!(
            SheetOf::named(" Items "),
            Some(SheetOf::Records(Kind::Items))
        );
        assert_eq!(
            SheetOf::named("认领事项"),
            Some(SheetOf::Records(Kind::Items))
        );
        assert_eq!(SheetOf::named("供需清单"), Some(SheetOf::COMMITMENTS));
        assert_eq!(SheetOf::named("Sheet1"), None);
        for (s, name, _) in SheetOf::ALL {
            assert_eq!(SheetOf::named(name), Some(*s));
            assert_eq!(s.name(), *name);
        }
        assert_eq!(
            list_sheets(Kind::Reports).collect::<Vec<_>>(),
            vec![SheetOf::PHOTOS]
        );
    }
}
