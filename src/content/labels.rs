//! Every field of every kind: its key, the Chinese label an office writes in a ledger's
//! header, and a few English words on what it holds. One table serves the messages (a
//! missing field is named by its label), docs/content.md (a test checks every row is
//! documented there) and readers of spreadsheets whose headers are these labels.

use super::records::Kind;
use crate::i18n::Text;

/// One field: `key` as written in YAML (a nested field as `parent.key`), its Chinese label,
/// and what it holds in English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

const fn l(key: &'static str, zh: &'static str, en: &'static str) -> Label {
    Label { key, zh, en }
}

/// Fields every kind has.
pub const COMMON: &[Label] = &[
    l("id", "编号", "the record's id"),
    l("draft", "草稿", "true keeps the record unpublished"),
    l("body", "正文", "the Markdown text"),
];

const STREETS: &[Label] = &[
    l("name", "街道名称", "the street's name"),
    l("district", "所属区县", "the district it belongs to"),
    l("summary", "简介", "one line about it"),
];

const COMMUNITIES: &[Label] = &[
    l("name", "社区名称", "the community's name"),
    l("street", "所属街道", "the id of its street"),
    l("party_org", "党组织名称", "its Party organisation"),
    l("households", "户数", "households, a whole number"),
    l("grids", "网格数", "grids, a whole number"),
    l("address", "办公地址", "the office's public address"),
    l("phone", "办公电话", "the office's public phone"),
    l("summary", "简介", "one line about it"),
];

const UNITS: &[Label] = &[
    l("name", "单位名称", "the unit's name"),
    l(
        "type",
        "单位类型",
        "agency, soe, institution, school, hospital, private or other",
    ),
    l("party_org", "党组织名称", "the unit's Party organisation"),
    l(
        "members_reported",
        "报到党员数",
        "Party members who reported, a whole number",
    ),
    l("summary", "简介", "one line about it"),
];

const AGREEMENTS: &[Label] = &[
    l("title", "协议名称", "the agreement's title"),
    l("community", "签约社区", "the id of the community"),
    l("units", "签约单位", "the ids of the units that signed it"),
    l("signed", "签订日期", "the day it was signed, YYYY-MM-DD"),
    l("start", "开始日期", "the first day of its term"),
    l("end", "结束日期", "the last day of its term"),
    l("commitments", "供需清单", "needs, resources and projects"),
    l(
        "commitments.kind",
        "清单类别",
        "need (需求), resource (资源) or project (项目)",
    ),
    l("commitments.title", "清单内容", "what is needed or offered"),
    l(
        "commitments.category",
        "清单分类",
        "a category slug or name from site.toml",
    ),
    l(
        "document",
        "协议文本",
        "the scanned agreement's path under static/",
    ),
];

const ITEMS: &[Label] = &[
    l("title", "事项名称", "what the item is"),
    l("community", "所属社区", "the id of the community"),
    l(
        "claimed_by",
        "认领方",
        "`unit: <id>` and optionally `member: <name>`",
    ),
    l("claimed_by.unit", "认领单位", "the id of the unit"),
    l(
        "claimed_by.member",
        "认领党员",
        "the reporting Party member's name (masked)",
    ),
    l("direction", "领办方向", "to_community (default) or to_unit"),
    l("agreement", "所属协议", "the id of the agreement"),
    l(
        "category",
        "事项分类",
        "a category slug or name from site.toml",
    ),
    l("claimed", "认领日期", "the day it was claimed, YYYY-MM-DD"),
    l("due", "承诺完成日期", "the day it is due, YYYY-MM-DD"),
    l(
        "status",
        "办理状态",
        "claimed, in_progress, completed or cancelled",
    ),
];

const REPORTS: &[Label] = &[
    l("item", "所属事项", "the id of the item reported on"),
    l("date", "报告日期", "the day of delivery, YYYY-MM-DD"),
    l(
        "final",
        "是否办结",
        "true: completed; false: a progress report",
    ),
    l("summary", "完成情况", "one line: what was delivered"),
    l("beneficiaries", "受益群众", "people served, a whole number"),
    l(
        "volunteers",
        "参与人数",
        "people who took part, a whole number",
    ),
    l("hours", "服务时长", "volunteer hours in total"),
    l("photos", "照片", "photos, each with src and alt"),
    l("photos.src", "照片路径", "the photo's path under static/"),
    l(
        "photos.alt",
        "照片说明",
        "what the photo shows, for people who cannot see it",
    ),
];

const EVALUATIONS: &[Label] = &[
    l(
        "of",
        "评价对象",
        "one of item, unit or community, with its id",
    ),
    l("of.item", "被评价事项", "the id of an item"),
    l("of.unit", "被评价单位", "the id of a unit"),
    l("of.community", "被评价社区", "the id of a community"),
    l("by", "评价方", "one of unit, community or resident"),
    l("by.unit", "评价单位", "the id of a unit"),
    l("by.community", "评价社区", "the id of a community"),
    l("by.resident", "评价居民", "the resident's name (masked)"),
    l("date", "评价日期", "the day of the evaluation, YYYY-MM-DD"),
    l(
        "rating",
        "评价结果",
        "satisfied (满意), fair (基本满意) or unsatisfied (不满意)",
    ),
    l("comment", "评价意见", "what the evaluator wrote"),
];

const PAGES: &[Label] = &[
    l("title", "页面标题", "the page's title"),
    l(
        "order",
        "排序",
        "its place in the navigation, a whole number",
    ),
];

/// The fields of one kind (after [`COMMON`]), in the order the documentation lists them.
pub fn of_kind(kind: Kind) -> &'static [Label] {
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

/// The label of field `key` of `kind`, or of a common field.
pub fn find(kind: Kind, key: &str) -> Option<Label> {
    of_kind(kind)
        .iter()
        .chain(COMMON)
        .find(|f| f.key == key)
        .copied()
}

/// What field `key` of `kind` holds, in both languages, for a "required field" hint.
pub fn what(kind: Kind, key: &str) -> Text {
    match find(kind, key) {
        Some(f) => Text {
            en: f.en.to_string(),
            zh: f.zh.to_string(),
        },
        None => Text {
            en: key.to_string(),
            zh: key.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::fields::Choice;
    use crate::content::records::known_fields;

    #[test]
    fn every_field_the_reader_accepts_has_a_label() {
        for (kind, _, _) in Kind::ALL {
            for key in known_fields(*kind) {
                assert!(
                    find(*kind, key).is_some(),
                    "{}: `{key}` has no label",
                    kind.key()
                );
            }
            for f in of_kind(*kind) {
                let top = f.key.split('.').next().unwrap_or(f.key);
                assert!(
                    known_fields(*kind).contains(&top),
                    "{}: `{}` is labelled but not read",
                    kind.key(),
                    f.key
                );
            }
        }
    }
}
