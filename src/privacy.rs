//! Personal information (个人信息保护): masking names and refusing personal numbers.
//!
//! Names of reporting Party members and residents are masked when records are read, so the
//! raw name never reaches a later stage. Text that looks like a mainland mobile number, a
//! resident ID number with a valid check digit, or a personal e-mail address is refused
//! (unless `privacy.allow` lists it), wherever it stands in a content file.

use smallvec::SmallVec;

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

/// Whether a problem's code is about personal data, whose message and line quote it.
pub fn is_personal_code(code: &str) -> bool {
    [Personal::Phone, Personal::IdNumber, Personal::Email]
        .iter()
        .any(|p| p.code() == code)
}

impl Personal {
    pub fn code(self) -> &'static str {
        match self {
            Personal::Phone => "phone-number",
            Personal::IdNumber => "id-number",
            Personal::Email => "personal-email",
        }
    }

    /// What the number is, in words of the run's language.
    pub fn what(self) -> Text {
        match self {
            Personal::Phone => m::personal_phone(),
            Personal::IdNumber => m::personal_id_number(),
            Personal::Email => m::personal_email(),
        }
    }
}

/// A personal number found in a text: its byte range as written, its kind, and its
/// normalised form (the digits, `+86` taken off; an e-mail address in lower case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub start: usize,
    pub end: usize,
    pub kind: Personal,
    pub normalised: String,
}

/// Every personal number in `text` whose normalised form `allow` does not list.
///
/// The text is read as a reader of the published page would see it: full-width characters
/// as ASCII (NFKC), HTML entities and YAML escapes decoded, zero-width characters and HTML
/// comments left out; digits joined across the separators people write inside numbers
/// (` -.()`) and Markdown emphasis (`*`, `_`, `~`). `+86` and `0086` before a mobile number
/// are taken off. Byte ranges stay those of the text as written, so errors point at it.
pub fn find_personal(text: &str, allow: &[String]) -> Vec<Finding> {
    if !may_hold_personal(text) {
        return Vec::new();
    }
    let mut found = read_personal(text);
    if !found.is_empty() && !allow.is_empty() {
        let allowed = normalised_allow(allow);
        found.retain(|f| !allowed.contains(&f.normalised));
    }
    found
}

/// Every personal number in `text`, the text read character by character.
fn read_personal(text: &str) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut i = 0;
    // Where the e-mail local part that ends at `i` starts, if one does.
    let mut local_start: Option<usize> = None;
    while i < text.len() {
        let (c, len) = decode(text, i);
        match c {
            Logical::Char(d) if d.is_ascii_digit() => {
                let run = digit_run(text, i);
                judge_digits(&run, &mut found);
                local_start = if run.local {
                    Some(local_start.unwrap_or(i))
                } else {
                    run.groups.last().map(|g| g.1)
                };
                i = run.end;
                continue;
            }
            Logical::Char(b'@') => {
                if let Some(start) = local_start
                    && let Some(f) = email_from(text, start, i + len)
                {
                    found.push(f);
                }
                local_start = None;
            }
            Logical::Char(b) if is_local(b) => {
                local_start.get_or_insert(i);
            }
            Logical::Ignorable => {}
            _ => local_start = None,
        }
        i += len;
    }
    found
}

/// False only for a text that surely holds no personal number: no `@` in any form, nothing
/// that could be one (an entity, an escape, a comment), and no run of 11
/// or more digits with only separators and invisible characters between them. Most record
/// files are such texts (a date has 8 digits), and this byte scan is several times faster
/// than reading them as [`read_personal`] does, which it is tested against.
fn may_hold_personal(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut digits = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let len = if b < 0x80 { 1 } else { utf8_len(b) };
        match quick_class(bytes.get(i..i + len).unwrap_or_default()) {
            Quick::Digit => {
                digits += 1;
                if digits >= 11 {
                    return true;
                }
            }
            Quick::Suspect => return true,
            Quick::Joiner => {}
            Quick::Other => digits = 0,
        }
        i += len;
    }
    false
}

/// What one character (its UTF-8 bytes) is to [`may_hold_personal`].
enum Quick {
    /// A digit, ASCII or full-width.
    Digit,
    /// `@` in any form, or what may stand for anything (an entity, an escape, a comment).
    Suspect,
    /// A separator inside a number, or a character the reading passes over.
    Joiner,
    /// Anything else: it ends a number.
    Other,
}

fn quick_class(c: &[u8]) -> Quick {
    match c {
        [b'0'..=b'9'] | [0xef, 0xbc, 0x90..=0x99] => Quick::Digit,
        [b'@' | b'&' | b'\\' | b'<'] | [0xef, 0xbc, 0xa0] => Quick::Suspect,
        [b' ' | b'-' | b'.' | b'(' | b')' | b'+' | b'*' | b'_' | b'~']
        // Their full-width forms, and the no-break and ideographic spaces.
        | [0xef, 0xbc, 0x88..=0x8b | 0x8d | 0x8e | 0xbf]
        | [0xef, 0xbd, 0x9e]
        | [0xc2, 0xa0]
        | [0xe3, 0x80, 0x80]
        // Zero-width characters, the soft hyphen, the byte order mark.
        | [0xc2, 0xad]
        | [0xe2, 0x80, 0x8b..=0x8d]
        | [0xe2, 0x81, 0xa0]
        | [0xef, 0xbb, 0xbf] => Quick::Joiner,
        _ => Quick::Other,
    }
}

/// The normalised forms of the `privacy.allow` entries: an entry written in any form allows
/// the number in every form.
fn normalised_allow(allow: &[String]) -> Vec<String> {
    let mut out: Vec<String> = allow.iter().map(|a| a.trim().to_string()).collect();
    for a in allow {
        out.extend(find_personal(a, &[]).into_iter().map(|f| f.normalised));
    }
    out
}

/// One character of the text as a reader sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Logical {
    /// An ASCII character (full-width forms, entities and escapes decoded).
    Char(u8),
    /// Shown as nothing: a zero-width character, a soft hyphen, an HTML comment.
    Ignorable,
    /// Any other character.
    Other,
}

/// The character at byte `i` and how many bytes it takes as written. Plain ASCII and CJK text
/// (lead bytes other than C2, E2, E3 and EF) are told apart by their first byte alone: this
/// runs over every byte of every content file.
fn decode(text: &str, i: usize) -> (Logical, usize) {
    let bytes = text.as_bytes();
    let b = bytes[i];
    match b {
        b'&' => entity(text, i).unwrap_or((Logical::Char(b), 1)),
        b'\\' => escape(text, i).unwrap_or((Logical::Ignorable, 1)),
        b'<' if bytes[i..].starts_with(b"<!--") => {
            let end = text[i + 4..]
                .find("-->")
                .map_or(text.len(), |e| i + 4 + e + 3);
            (Logical::Ignorable, end - i)
        }
        0..0x80 => (Logical::Char(b), 1),
        0xc2 | 0xe2 | 0xe3 | 0xef => {
            let c = text[i..].chars().next().unwrap_or('\u{fffd}');
            (logical(c), c.len_utf8())
        }
        _ => (Logical::Other, utf8_len(b)),
    }
}

fn utf8_len(lead: u8) -> usize {
    match lead {
        0..0xe0 => 2,
        0xe0..0xf0 => 3,
        _ => 4,
    }
}

/// NFKC for what matters here: full-width ASCII forms (U+FF01–U+FF5E) and the ideographic and
/// no-break spaces as ASCII; zero-width characters and the soft hyphen as nothing.
fn logical(c: char) -> Logical {
    match c {
        '\0'..='\u{7f}' => Logical::Char(c as u8),
        '\u{ff01}'..='\u{ff5e}' => Logical::Char((c as u32 - 0xfee0) as u8),
        '\u{3000}' | '\u{a0}' => Logical::Char(b' '),
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => Logical::Ignorable,
        _ => Logical::Other,
    }
}

/// `&#49;`, `&#x31;`, `&commat;`, `&nbsp;` at byte `i`.
fn entity(text: &str, i: usize) -> Option<(Logical, usize)> {
    let rest = &text[i + 1..];
    let semi = rest.bytes().take(12).position(|b| b == b';')?;
    let name = &rest[..semi];
    let c = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        match name {
            "commat" => '@',
            "nbsp" => ' ',
            "period" => '.',
            "hyphen" | "dash" => '-',
            _ => return None,
        }
    };
    Some((logical(c), semi + 2))
}

/// A YAML double-quoted escape at byte `i`: `\x31`, `\u0031`, `\U00000031`.
fn escape(text: &str, i: usize) -> Option<(Logical, usize)> {
    let digits = match text.as_bytes().get(i + 1)? {
        b'x' => 2,
        b'u' => 4,
        b'U' => 8,
        _ => return None,
    };
    let hex = text.get(i + 2..i + 2 + digits)?;
    let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
    Some((logical(c), 2 + digits))
}

/// Characters of an e-mail address's local part.
fn is_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"._%+-".contains(&b)
}

/// Digits read as one number, in the groups the writer separated them into. Kept on the stack:
/// every date of every content file is such a run.
struct DigitRun {
    /// After the last digit (as written).
    end: usize,
    digits: SmallVec<[u8; 24]>,
    /// Each group: the index of its first digit, and its byte range as written.
    groups: SmallVec<[(usize, usize, usize); 6]>,
    /// Whether every character from the first digit to the last could be part of an e-mail
    /// address's local part (`138.1234@qq.com`).
    local: bool,
    /// The end of an ID number's check character `X` after the last digit, if one follows.
    x_end: Option<usize>,
}

/// How many separators may stand between two groups of one number (`138 - 1234`).
const MAX_JOINERS: usize = 3;
/// Digits beyond this in one run are not read: no personal number is that long.
const MAX_DIGITS: usize = 64;

/// The number starting with the digit at byte `start`. Separators (` -.()+`) start a new
/// group; Markdown emphasis and ignorable characters do not (`138**1234**5678` is one group
/// of three as written, and `1<!-- -->38` one group).
fn digit_run(text: &str, start: usize) -> DigitRun {
    let mut run = DigitRun {
        end: start,
        digits: SmallVec::new(),
        groups: SmallVec::new(),
        local: true,
        x_end: None,
    };
    let (mut pos, mut joiners, mut split) = (start, 0, true);
    while pos < text.len() && run.digits.len() < MAX_DIGITS {
        let (c, len) = decode(text, pos);
        match c {
            Logical::Char(d) if d.is_ascii_digit() => {
                if split {
                    run.groups.push((run.digits.len(), pos, pos + len));
                    split = false;
                }
                run.digits.push(d);
                joiners = 0;
                run.end = pos + len;
                if let Some(g) = run.groups.last_mut() {
                    g.2 = run.end;
                }
            }
            Logical::Ignorable => {}
            Logical::Char(b'*' | b'_' | b'~') if joiners < MAX_JOINERS => {
                joiners += 1;
                run.local &= c == Logical::Char(b'_');
            }
            Logical::Char(b' ' | b'-' | b'.' | b'(' | b')' | b'+') if joiners < MAX_JOINERS => {
                joiners += 1;
                split = true;
                run.local &= matches!(c, Logical::Char(b'-' | b'.' | b'+'));
            }
            _ => break,
        }
        pos += len;
    }
    if run.digits.len() >= 17 {
        let mut pos = run.end;
        while pos < text.len() {
            match decode(text, pos) {
                (Logical::Ignorable | Logical::Char(b' '), len) => pos += len,
                (Logical::Char(b'X' | b'x'), len) => {
                    run.x_end = Some(pos + len);
                    break;
                }
                _ => break,
            }
        }
    }
    run
}

/// The mobile and ID numbers in a run: any stretch of whole groups that is one. A group of one
/// or two digits joins a stretch only as its `86`/`0086` prefix, so that a list of small
/// numbers (`13.5 12.3 45.6 78`) is not read as one.
fn judge_digits(run: &DigitRun, found: &mut Vec<Finding>) {
    let d = &run.digits[..];
    let n = run.groups.len();
    let mut i = 0;
    while i < n {
        let mut hit = None;
        for j in i..n {
            let (from, start, _) = run.groups[i];
            let (_, _, end) = run.groups[j];
            let to = run.groups.get(j + 1).map_or(d.len(), |g| g.0);
            let short = |k: usize| {
                let len = run.groups.get(k + 1).map_or(d.len(), |g| g.0) - run.groups[k].0;
                len < 3
            };
            let prefix = matches!(
                &d[from..run.groups.get(i + 1).map_or(d.len(), |g| g.0)],
                b"86" | b"0086"
            );
            if (i..=j).any(|k| short(k) && !(k == i && prefix)) {
                if j > i {
                    break;
                }
                continue;
            }
            let x_end = run.x_end.filter(|_| j == n - 1);
            if let Some(f) = judge_number(&d[from..to], start, end, x_end) {
                hit = Some((f, j));
                break;
            }
        }
        match hit {
            Some((f, j)) => {
                found.push(f);
                i = j + 1;
            }
            None => i += 1,
        }
    }
}

/// A mobile or ID number, if `d` (written from byte `start` to `end`) is one.
fn judge_number(d: &[u8], start: usize, end: usize, x_end: Option<usize>) -> Option<Finding> {
    let mobile = if d.len() == 15 && d.starts_with(b"0086") {
        &d[4..]
    } else if d.len() == 13 && d.starts_with(b"86") {
        &d[2..]
    } else {
        d
    };
    let finding = |kind, end, normalised: &[u8]| Finding {
        start,
        end,
        kind,
        normalised: String::from_utf8_lossy(normalised).into_owned(),
    };
    if mobile.len() == 11 && mobile[0] == b'1' && (b'3'..=b'9').contains(&mobile[1]) {
        return Some(finding(Personal::Phone, end, mobile));
    }
    if d.len() == 18 && is_resident_id(d) {
        return Some(finding(Personal::IdNumber, end, d));
    }
    if let Some(x_end) = x_end.filter(|_| d.len() == 17) {
        let mut id = d.to_vec();
        id.push(b'X');
        if is_resident_id(&id) {
            return Some(finding(Personal::IdNumber, x_end, &id));
        }
    }
    None
}

/// The personal e-mail address whose local part starts at `start` and whose domain starts at
/// byte `domain_start`, if it is one.
fn email_from(text: &str, start: usize, domain_start: usize) -> Option<Finding> {
    let mut domain = String::new();
    let (mut pos, mut end) = (domain_start, domain_start);
    while pos < text.len() {
        match decode(text, pos) {
            (Logical::Char(b), len) if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' => {
                domain.push(b.to_ascii_lowercase() as char);
                pos += len;
                if b != b'.' {
                    end = pos;
                }
            }
            (Logical::Ignorable, len) => pos += len,
            _ => break,
        }
    }
    let domain = domain.trim_end_matches('.');
    if domain.starts_with('.') || !domain.contains('.') || !is_personal_mail_domain(domain) {
        return None;
    }
    let mut local = String::new();
    let mut p = start;
    while p < domain_start {
        let (c, len) = decode(text, p);
        if let Logical::Char(b) = c
            && b != b'@'
        {
            local.push(b.to_ascii_lowercase() as char);
        }
        p += len;
    }
    Some(Finding {
        start,
        end,
        kind: Personal::Email,
        normalised: format!("{local}@{domain}"),
    })
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

/// A provider's domain or any of its subdomains (`mail.qq.com`); `domain` is in lower case.
fn is_personal_mail_domain(domain: &str) -> bool {
    PERSONAL_MAIL_DOMAINS.iter().any(|d| {
        domain
            .strip_suffix(d)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    /// A number split by any character the reading passes over is not passed over.
    #[test]
    fn the_quick_scan_sees_numbers_split_by_invisible_characters() {
        for c in [
            '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}', '\u{ad}', '\u{a0}',
            '\u{3000}', '－', '．', '（', '）', '＋', '＊', '＿', '～',
        ] {
            let text = format!("电话138{c}1234{c}5678。");
            assert!(!read_personal(&text).is_empty(), "{c:?}");
            assert!(may_hold_personal(&text), "{c:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(2000))]
        /// The quick scan never passes over a text in which the whole reading finds something.
        #[test]
        fn the_quick_scan_passes_over_nothing_found(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    3 => proptest::sample::select(vec!["138", "1234", "5678", "0", "9", "１３８", "５"]),
                    2 => proptest::sample::select(vec![
                        "\u{200b}", "\u{200d}", "\u{2060}", "\u{feff}", "\u{ad}", "\u{a0}",
                        "\u{3000}", " ", "-", ".", "(", ")", "+", "*", "_", "~", "（", "）", "＋",
                        "＊", "＿", "～", "－", "．", "，", "：", "＂",
                    ]),
                    1 => proptest::sample::select(vec![
                        "&#49;", "&#x31;", "\\x31", "\\u0031", "<!---->", "@", "＠", "&commat;",
                        "qq.com", "zhang", "a", "甲", "，", "、", "\n", ":", "X",
                        "11010519491231002", "\u{2061}", "\u{3001}",
                    ]),
                ],
                0..24,
            ).prop_map(|p| p.concat())
        ) {
            proptest::prop_assert!(
                read_personal(&parts).is_empty() || may_hold_personal(&parts),
                "{:?}", parts
            );
        }
    }

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
    fn mobile_numbers_in_every_written_form() {
        for text in [
            "电话138-1234-5678。",
            "电话 138 1234 5678",
            "电话１３８１２３４５６７８",
            "电话１３８－１２３４－５６７８",
            "电话+8613812345678",
            "电话 +86 138 1234 5678",
            "电话(+86)13812345678",
            "电话008613812345678",
            "电话138**1234**5678",
            "电话&#49;3812345678",
            "电话&#x31;&#x33;812345678",
            "电话138\u{200b}12345678",
            "电话138<!-- -->12345678",
            "\"\\x31\\x33\\x38\\x31\\x32\\x33\\x34\\x35\\x36\\x37\\x38\"",
            "\"\\u0031\\u00338\\U000000312345678\"",
            "2018-10-24 13812345678",
        ] {
            let found = find_personal(text, &[]);
            assert_eq!(found.len(), 1, "{text:?}: {found:?}");
            assert_eq!(
                (found[0].kind, found[0].normalised.as_str()),
                (Personal::Phone, "13812345678"),
                "{text:?}"
            );
        }
        for text in [
            "13.5 12.3 45.6 78",
            "1 3 8 1 2 3 4 5 6 7 8",
            "2018-10-24 13:00",
            "共13812345678900人",
        ] {
            assert!(none_in(text), "{text:?}");
        }
    }

    #[test]
    fn id_numbers_and_mail_in_every_written_form() {
        let id = valid_id("51080219800101123");
        let spaced = format!("{} {} {}", &id[..6], &id[6..14], &id[14..]);
        let wide: String = id
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xfee0).unwrap())
            .collect();
        for text in [spaced, wide, "110105 19491231 002 X".to_string()] {
            assert_eq!(kinds(&text), vec![Personal::IdNumber], "{text:?}");
        }
        for text in [
            "zhang＠qq.com",
            "zhang&#64;qq.com",
            "zhang@mail.qq.com",
            "zhang@ＱＱ.com",
            "a.b-c@vip.163.com",
        ] {
            assert_eq!(kinds(text), vec![Personal::Email], "{text:?}");
        }
        assert!(none_in("jcdj@gov.qq.com.cn office@example.gov.cn"));
    }

    #[test]
    fn allow_list_works_on_the_normalised_form() {
        let allow = vec!["138-0000-0000".to_string()];
        assert!(find_personal("热线 +86 138 0000 0000", &allow).is_empty());
        assert!(find_personal("热线１３８０００００００００", &allow).is_empty());
        assert_eq!(find_personal("热线13800000001", &allow).len(), 1);
    }

    #[test]
    fn byte_ranges_point_at_the_number() {
        let text = "电话13812345678";
        let f = &find_personal(text, &[])[0];
        assert_eq!(&text[f.start..f.end], "13812345678");
    }
}
