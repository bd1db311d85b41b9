//! Every known person's name masked everywhere: the names of members (`claimed_by.member`) and
//! residents (`by: {resident: …}`) are masked in their own fields and in every other text of
//! the site where they are written (titles, summaries, comments, alt texts, bodies), not only
//! where they are declared. A name in a comment would otherwise be published raw.
//!
//! Records are read with the raw names; [`mask`] runs once all are read (a name declared in
//! one file may be written in any other), so no later stage holds a raw name.

use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::records::{Party, Record};
use crate::privacy::mask_name;

/// The raw names of the site's members and residents, and a finder for them.
#[derive(Debug, Clone, Default)]
pub struct KnownNames {
    raw: Vec<String>,
    finder: Option<Arc<AhoCorasick>>,
}

impl KnownNames {
    /// Names of one character are left out: masked, they are the same.
    pub fn new(names: impl IntoIterator<Item = String>) -> KnownNames {
        let mut raw: Vec<String> = names
            .into_iter()
            .filter(|n| n.chars().count() > 1)
            .collect();
        raw.sort_unstable();
        raw.dedup();
        // Every published text is searched, and most hold no name: a DFA searches several
        // times faster than the default NFA (tens of MB for 40k names); the NFA is the
        // fallback where the DFA would be too large.
        let build = |kind| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(kind)
                .build(&raw)
        };
        let finder = (!raw.is_empty())
            .then(|| {
                build(Some(AhoCorasickKind::DFA))
                    .or_else(|_| build(None))
                    .ok()
            })
            .flatten()
            .map(Arc::new);
        KnownNames { raw, finder }
    }

    /// These names and `more`.
    pub fn with(&self, more: impl IntoIterator<Item = String>) -> KnownNames {
        KnownNames::new(self.raw.iter().cloned().chain(more))
    }

    /// `text` with every known name in it masked.
    pub fn mask_in(&self, text: &mut String) {
        let Some(finder) = &self.finder else { return };
        if !finder.is_match(text.as_str()) {
            return;
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for m in finder.find_iter(text.as_str()) {
            out.push_str(&text[last..m.start()]);
            out.push_str(&mask_name(&self.raw[m.pattern().as_usize()]));
            last = m.end();
        }
        out.push_str(&text[last..]);
        *text = out;
    }
}

/// The raw person names declared in `record`.
pub fn declared(record: &Record) -> Vec<String> {
    match record {
        Record::Item(x) => x.member.iter().cloned().collect(),
        Record::Evaluation(x) => [&x.of, &x.by]
            .into_iter()
            .filter_map(|p| match p {
                Party::Resident(name) => Some(name.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Masks the declared names of `record` in their fields and every known name in its texts.
pub fn mask(record: &mut Record, names: &KnownNames) {
    match record {
        Record::Item(x) => {
            if let Some(m) = &mut x.member {
                *m = mask_name(m);
            }
        }
        Record::Evaluation(x) => {
            for p in [&mut x.of, &mut x.by] {
                if let Party::Resident(name) = p {
                    *name = mask_name(name);
                }
            }
        }
        _ => {}
    }
    for text in texts(record) {
        names.mask_in(text);
    }
}

/// Every free text of a record that is published: not ids, references, dates or paths.
fn texts(record: &mut Record) -> Vec<&mut String> {
    let mut out: Vec<&mut String> = Vec::new();
    match record {
        Record::Street(x) => {
            out.extend([&mut x.meta.body, &mut x.name]);
            out.extend(x.district.as_mut());
            out.extend(x.summary.as_mut());
        }
        Record::Community(x) => {
            out.extend([&mut x.meta.body, &mut x.name]);
            out.extend(x.party_org.as_mut());
            out.extend(x.address.as_mut());
            out.extend(x.summary.as_mut());
        }
        Record::Unit(x) => {
            out.extend([&mut x.meta.body, &mut x.name]);
            out.extend(x.party_org.as_mut());
            out.extend(x.summary.as_mut());
        }
        Record::Agreement(x) => {
            out.extend([&mut x.meta.body, &mut x.title]);
            out.extend(x.commitments.iter_mut().map(|c| &mut c.title));
        }
        Record::Item(x) => out.extend([&mut x.meta.body, &mut x.title]),
        Record::Report(x) => {
            out.extend([&mut x.meta.body, &mut x.summary]);
            out.extend(x.photos.iter_mut().map(|p| &mut p.alt));
        }
        Record::Evaluation(x) => {
            out.push(&mut x.meta.body);
            out.extend(x.comment.as_mut());
        }
        Record::Page(x) => out.extend([&mut x.meta.body, &mut x.title]),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_name_is_masked_in_a_text() {
        let names = KnownNames::new(["王小明".to_string(), "李四".to_string(), "张".to_string()]);
        let mut text = "王小明和李四来了，王小明很满意；张师傅也在。".to_string();
        names.mask_in(&mut text);
        assert_eq!(text, "王**和李*来了，王**很满意；张师傅也在。");
        let more = names.with(["赵六".to_string()]);
        let mut text = "赵六".to_string();
        more.mask_in(&mut text);
        assert_eq!(text, "赵*");
    }
}
