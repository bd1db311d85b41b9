//! Reading back the HTML that shiji rendered: its tags with their attributes (for link
//! checking) and the text between them (for the search index).
//!
//! Not a general HTML parser: it reads what templates and the Markdown renderer write, with
//! attribute values quoted with `"` or `'` or bare, comments, and text escaped by Tera or by
//! the sanitiser. Escaped markup in text is text, and the content of `<script>` and `<style>`
//! is skipped whole, so neither is ever taken for a tag. And the one escaping that Tera does
//! not do for us: text put into XML (feeds, SVG charts).

/// Text as XML character data or attribute value. Characters XML 1.0 cannot hold (control
/// characters, which site.toml's escapes can write) are left out: a feed must stay XML.
pub fn xml_escape(s: &str) -> String {
    let s: std::borrow::Cow<str> = if s.chars().any(|c| !is_xml_char(c)) {
        s.chars()
            .filter(|&c| is_xml_char(c))
            .collect::<String>()
            .into()
    } else {
        s.into()
    };
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// XML 1.0's `Char`: tab, line feed, carriage return and the rest from U+0020 but the
/// surrogates and U+FFFE/U+FFFF.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// One piece of a page.
#[derive(Debug, PartialEq, Eq)]
pub enum Token<'a> {
    /// `<name attrs…>` (also `<!doctype …>`); `attrs` is what follows the name, unparsed
    /// ([`attributes`] reads it).
    Open { name: &'a str, attrs: &'a str },
    /// `</name>`.
    Close(&'a str),
    /// Text between tags, still escaped ([`unescape`]).
    Text(&'a str),
}

/// The tokens of `html`, in order.
pub fn tokens(html: &str) -> Tokens<'_> {
    Tokens { rest: html }
}

pub struct Tokens<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            let Some(open) = find_lt(self.rest.as_bytes()) else {
                return Some(Token::Text(std::mem::take(&mut self.rest)));
            };
            if open > 0 {
                let text = &self.rest[..open];
                self.rest = &self.rest[open..];
                return Some(Token::Text(text));
            }
            let tag = &self.rest[1..];
            if let Some(comment) = tag.strip_prefix("!--") {
                self.rest = comment.find("-->").map_or("", |e| &comment[e + 3..]);
                continue;
            }
            let end = tag_end(tag);
            let inner = &tag[..end];
            self.rest = tag.get(end + 1..).unwrap_or("");
            if let Some(name) = inner.strip_prefix('/') {
                return Some(Token::Close(name.trim_end()));
            }
            let name_end = inner
                .bytes()
                .position(|c| c.is_ascii_whitespace() || c == b'/')
                .unwrap_or(inner.len());
            let (name, attrs) = inner.split_at(name_end);
            if ["script", "style"]
                .iter()
                .any(|r| name.eq_ignore_ascii_case(r))
            {
                self.rest = skip_raw_text(self.rest, name);
            }
            return Some(Token::Open { name, attrs });
        }
    }
}

/// The first `<` of `b`: most text between two tags is a few bytes long, shorter than a
/// vector search takes to start, so the first bytes are looked at one by one.
fn find_lt(b: &[u8]) -> Option<usize> {
    let near = b.len().min(16);
    match b[..near].iter().position(|&c| c == b'<') {
        Some(at) => Some(at),
        None => memchr::memchr(b'<', &b[near..]).map(|at| near + at),
    }
}

/// Where a tag ends: the first `>` outside a quoted value. A plain loop: tags are short, and
/// a vector search costs more to start than it saves on them.
fn tag_end(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'>' => return i,
            quote @ (b'"' | b'\'') => match b[i + 1..].iter().position(|&c| c == quote) {
                Some(close) => i += close + 2,
                None => return s.len(),
            },
            _ => i += 1,
        }
    }
    s.len()
}

/// What follows the content of a `<script>` or `<style>` element: its closing tag on.
fn skip_raw_text<'a>(rest: &'a str, name: &str) -> &'a str {
    let closing = format!("</{}", name.to_ascii_lowercase());
    let lower_at = rest
        .as_bytes()
        .windows(closing.len())
        .position(|w| w.eq_ignore_ascii_case(closing.as_bytes()));
    lower_at.map_or("", |i| &rest[i..])
}

/// The attributes of a tag's `attrs` as (name, value) pairs, the value still escaped
/// (`&amp;`); an attribute without a value has the value `""`.
pub fn attributes(attrs: &str) -> impl Iterator<Item = (&str, &str)> {
    let b = attrs.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() {
                return None;
            }
            let name_start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
                i += 1;
            }
            let name = &attrs[name_start..i];
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= b.len() || b[i] != b'=' {
                if i == name_start {
                    i += 1;
                    continue;
                }
                return Some((name, ""));
            }
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let value = match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let close = memchr::memchr(q, &b[i + 1..]).map_or(b.len(), |p| i + 1 + p);
                    let v = &attrs[i + 1..close];
                    i = close + 1;
                    v
                }
                _ => {
                    let start = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    &attrs[start..i]
                }
            };
            return Some((name, value));
        }
    })
}

/// Whether a tag's `attrs` end it as `<tag … />`. A bare value that ends with `/`
/// (`href=/x/`) keeps its `/`, as in the HTML tokenizer.
pub fn self_closing(attrs: &str) -> bool {
    attrs == "/" || attrs.ends_with(" /") || attrs.ends_with("\"/") || attrs.ends_with("'/")
}

/// Elements that have no closing tag.
pub fn is_void(name: &str) -> bool {
    name_is(name, |n| {
        matches!(
            n,
            "area"
                | "base"
                | "br"
                | "col"
                | "embed"
                | "hr"
                | "img"
                | "input"
                | "link"
                | "meta"
                | "source"
                | "track"
                | "wbr"
                | "!doctype"
        )
    })
}

/// `test` of a tag name in lower case. Names are matched with `matches!` (a jump on the
/// length, then one comparison) rather than a list of case-blind comparisons: the readers of
/// a page ask this of every tag. Pages written by shiji have lower-case names already.
pub fn name_is(name: &str, test: impl Fn(&str) -> bool) -> bool {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        test(&name.to_ascii_lowercase())
    } else {
        test(name)
    }
}

/// Text or an attribute value with its character references decoded: the ones Tera, the
/// Markdown renderer and the sanitiser write (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#x27;`,
/// `&nbsp;`, any numeric one). An unknown name is left as written.
pub fn unescape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest[1..].find(';').filter(|&e| e <= 10).and_then(|e| {
            let name = &rest[1..1 + e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => name.strip_prefix('#').and_then(|n| {
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => n.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            };
            c.map(|c| (c, e + 2))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escape_leaves_out_what_xml_cannot_hold() {
        assert_eq!(xml_escape("a\0b\u{1b}c<&\u{fffe}"), "abc&lt;&amp;");
        assert_eq!(xml_escape("标题\t\n"), "标题\t\n");
    }

    #[test]
    fn tags_text_and_comments() {
        let t: Vec<Token> =
            tokens("<p class=a>x &lt;b&gt;<!-- <a href=y> --><br/></p>tail").collect();
        assert_eq!(
            t,
            vec![
                Token::Open {
                    name: "p",
                    attrs: " class=a"
                },
                Token::Text("x &lt;b&gt;"),
                Token::Open {
                    name: "br",
                    attrs: "/"
                },
                Token::Close("p"),
                Token::Text("tail"),
            ]
        );
    }

    /// Text of every length around the point where the search for `<` turns to memchr.
    #[test]
    fn text_of_any_length_ends_at_its_tag() {
        for n in 0..40 {
            let text = "字a".repeat(n);
            let page = format!("{text}<p>{text}");
            let t: Vec<Token> = tokens(&page).collect();
            let mut want = Vec::new();
            if n > 0 {
                want.push(Token::Text(&text));
            }
            want.push(Token::Open {
                name: "p",
                attrs: "",
            });
            if n > 0 {
                want.push(Token::Text(&text));
            }
            assert_eq!(t, want, "text of {n} × 4 bytes");
        }
    }

    #[test]
    fn script_and_style_content_is_no_tag() {
        let t: Vec<Token> =
            tokens("<script>if (a<b) x='<a href=z>'</script><STYLE>p>a{}</style>end").collect();
        assert_eq!(t.len(), 5, "{t:?}");
        assert_eq!(t[1], Token::Close("script"));
        assert_eq!(t[3], Token::Close("style"));
        assert_eq!(t[4], Token::Text("end"));
    }

    #[test]
    fn attributes_in_any_quoting() {
        let a: Vec<(&str, &str)> =
            attributes(" href=\"/b/x/\" id=top hidden alt='a=b > c' data-x = y/").collect();
        assert_eq!(
            a,
            vec![
                ("href", "/b/x/"),
                ("id", "top"),
                ("hidden", ""),
                ("alt", "a=b > c"),
                ("data-x", "y/"),
            ]
        );
    }

    #[test]
    fn void_elements_in_any_case() {
        assert!(is_void("br") && is_void("IMG") && is_void("!DOCTYPE") && is_void("Meta"));
        assert!(!is_void("p") && !is_void("brr") && !is_void("B") && !is_void(""));
    }

    #[test]
    fn self_closing_tags() {
        assert!(self_closing("/") && self_closing(" d=\"M0\"/") && self_closing(" x /"));
        assert!(!self_closing(" href=/x/") && !self_closing(" class=a"));
    }

    #[test]
    fn character_references() {
        assert_eq!(
            unescape("a &amp; b &lt;i&gt; &#x27;q&#39; &quot;&nbsp;&#20013; &bogus; &"),
            "a & b <i> 'q' \"\u{a0}中 &bogus; &"
        );
        assert!(matches!(unescape("plain"), std::borrow::Cow::Borrowed(_)));
    }
}
