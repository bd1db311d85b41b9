//! Personal information (个人信息保护): masking names and refusing personal numbers.
//!
//! Names of reporting Party members and residents are masked when records are read, so the
//! raw name never reaches a later stage. Text that looks like a mainland mobile number, a
//! resident ID number with a valid check digit, or a personal e-mail address is refused
//! (unless `privacy.allow` lists it), wherever it stands in a content file.

use crate::i18n::Text;
use crate::messages as m;

/// `张三丰` → `张**`: the first character kept, every other one replaced by `*`.
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

/// What kind of personal number a piece of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Personal {
    Phone,
    IdNumber,
    Email,
}

impl Personal {
    /// What personal data a finding is, in words.
    pub fn what(self) -> Text {
        match self {
            Personal::Phone => m::personal_phone(),
            Personal::IdNumber => m::personal_id_number(),
            Personal::Email => m::personal_email(),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Personal::Phone => "phone-number",
            Personal::IdNumber => "id-number",
            Personal::Email => "personal-email",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Personal::Phone => "a mobile phone number",
            Personal::IdNumber => "a resident ID number",
            Personal::Email => "a personal e-mail address",
        }
    }
}

/// A personal number found in a text: its byte range and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub start: usize,
    pub end: usize,
    pub kind: Personal,
}

/// Every personal number in `text` that `allow` does not list exactly.
pub fn find_personal(text: &str, allow: &[String]) -> Vec<Finding> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let digits = &bytes[start..i];
            let with_x = digits.len() == 17 && matches!(bytes.get(i), Some(b'X' | b'x'));
            if digits.len() == 11 && digits[0] == b'1' && (b'3'..=b'9').contains(&digits[1]) {
                found.push(Finding {
                    start,
                    end: i,
                    kind: Personal::Phone,
                });
            } else if (digits.len() == 18 || with_x) && is_resident_id(&bytes[start..start + 18]) {
                found.push(Finding {
                    start,
                    end: start + 18,
                    kind: Personal::IdNumber,
                });
            }
            if with_x {
                i += 1;
            }
        } else if b == b'@' {
            if let Some((start, end)) = email_around(bytes, i)
                && is_personal_mail_domain(&text[i + 1..end])
            {
                found.push(Finding {
                    start,
                    end,
                    kind: Personal::Email,
                });
            }
            i += 1;
        } else {
            i += 1;
        }
    }
    found.retain(|f| !allow.iter().any(|a| a == &text[f.start..f.end]));
    found
}

/// GB 11643-1999: 17 digits and a check character computed from them.
pub fn is_resident_id(id: &[u8]) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    if id.len() != 18 || !id[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = id[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize] == id[17].to_ascii_uppercase()
}

/// The byte range of an e-mail address whose `@` is at `at`, if it is one.
fn email_around(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    let local = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
    let domain = |b: u8| b.is_ascii_alphanumeric() || b".-".contains(&b);
    let mut start = at;
    while start > 0 && local(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = at + 1;
    while end < bytes.len() && domain(bytes[end]) {
        end += 1;
    }
    while end > at + 1 && bytes[end - 1] == b'.' {
        end -= 1;
    }
    let dom = &bytes[at + 1..end];
    (start < at && dom.contains(&b'.') && !dom.starts_with(b".")).then_some((start, end))
}

/// Public mailbox providers: an address there belongs to a person, not to an office.
/// Addresses on an organisation's own domain are its public contact points.
const PERSONAL_MAIL_DOMAINS: &[&str] = &[
    "qq.com",
    "vip.qq.com",
    "foxmail.com",
    "163.com",
    "vip.163.com",
    "126.com",
    "vip.126.com",
    "yeah.net",
    "188.com",
    "sina.com",
    "sina.cn",
    "vip.sina.com",
    "sohu.com",
    "139.com",
    "189.cn",
    "wo.cn",
    "aliyun.com",
    "tom.com",
    "21cn.com",
    "gmail.com",
    "googlemail.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "msn.com",
    "yahoo.com",
    "yahoo.com.cn",
    "icloud.com",
    "me.com",
    "proton.me",
    "protonmail.com",
];

fn is_personal_mail_domain(domain: &str) -> bool {
    let domain = domain.to_ascii_lowercase();
    PERSONAL_MAIL_DOMAINS.contains(&domain.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid ID made from 17 digits by computing its check character.
    fn valid_id(first17: &str) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = first17
            .bytes()
            .zip(weights)
            .map(|(d, w)| (d - b'0') as u32 * w)
            .sum();
        format!(
            "{first17}{}",
            "10X98765432".as_bytes()[(sum % 11) as usize] as char
        )
    }

    fn kinds(text: &str) -> Vec<Personal> {
        find_personal(text, &[])
            .into_iter()
            .map(|f| f.kind)
            .collect()
    }

    #[test]
    fn masks_every_character_but_the_first() {
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("李四"), "李*");
        assert_eq!(mask_name("王"), "王");
        assert_eq!(mask_name(" 欧阳娜娜 "), "欧***");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn id_check_digit_by_hand() {
        // 11010519491231002X is the standard's own example: sum 167, 167 mod 11 = 2 → X.
        assert!(is_resident_id(b"11010519491231002X"));
        assert!(is_resident_id(b"11010519491231002x"));
        assert!(!is_resident_id(b"110105194912310021"));
        // 44052418800101001: sum 195, 195 mod 11 = 8 → 4.
        assert!(is_resident_id(b"440524188001010014"));
        assert!(!is_resident_id(b"440524188001010015"));
        assert!(is_resident_id(valid_id("51080219800101123").as_bytes()));
    }

    #[test]
    fn mobile_numbers_inside_chinese_text() {
        assert_eq!(kinds("电话13812345678联系"), vec![Personal::Phone]);
        assert_eq!(kinds("拨打19912345678"), vec![Personal::Phone]);
        // 12 is not a mobile prefix; 12 digits and 10 digits are not mobile numbers.
        assert!(kinds("12812345678").is_empty());
        assert!(none_in("138123456789 1381234567"));
        // Landlines and dates are not flagged.
        assert!(none_in("0839-3266001 2018-10-24"));
    }

    fn none_in(text: &str) -> bool {
        kinds(text).is_empty()
    }

    #[test]
    fn id_numbers_need_a_valid_check_digit() {
        let id = valid_id("51080219800101123");
        assert_eq!(kinds(&format!("身份证{id}。")), vec![Personal::IdNumber]);
        assert_eq!(kinds("号码11010519491231002X后"), vec![Personal::IdNumber]);
        assert!(none_in("110105194912310021"));
    }

    #[test]
    fn personal_mail_but_not_office_mail() {
        assert_eq!(kinds("邮箱zhangsan@qq.com。"), vec![Personal::Email]);
        assert_eq!(kinds("a.b+c@Gmail.com"), vec![Personal::Email]);
        assert!(none_in("jcdj@gy.gov.cn @qq.com x@"));
    }

    #[test]
    fn allow_list_exempts_exact_strings() {
        let allow = vec!["13800000000".to_string()];
        assert!(find_personal("热线13800000000", &allow).is_empty());
        assert_eq!(find_personal("热线13800000001", &allow).len(), 1);
    }

    #[test]
    fn byte_ranges_point_at_the_number() {
        let text = "电话13812345678";
        let f = &find_personal(text, &[])[0];
        assert_eq!(&text[f.start..f.end], "13812345678");
    }
}
