//! Scenes: a code, with an optional channel and campaign, in at most 32
//! characters — the `scene` of a WeChat 小程序码 and the `scene` query value
//! of the storefront's share link (`docs/rules.md` §9).
//!
//! ```text
//! scene  = kind number [ "-C" number ] [ "-K" number ] check
//! kind   = "M" | "G" | "S" | "C"          member, guide, store, channel
//! number = Crockford base32, no leading zero ("0" is zero), ≤ 2^53 − 1
//! check  = Crockford's mod-37 check symbol of everything before it,
//!          each "-" counting as the value 32
//! ```
//!
//! Without a channel or campaign the scene *is* the code: `kind number
//! check`, a standard Crockford numeral with its check symbol. Reading is
//! case-insensitive and takes `I`/`L` as `1`, `O` as `0`; what is written is
//! upper case. Every scene has one reading and every reading one written
//! scene: leading zeros, parts out of order and repeated parts are refused.

use super::code::{self, check_of, check_symbol, check_value, push_number, value};
use super::Kind;
use crate::code as codes;
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::{Error, Problems, Result};

/// The longest scene WeChat takes: 32 characters.
pub const MAX_SCENE_LEN: u32 = 32;

/// The largest number a code, a channel or a campaign part carries:
/// 2^53 − 1, so every host — JavaScript's numbers included — holds it
/// exactly.
pub const MAX_CODE_NUMBER: u64 = (1 << 53) - 1;

/// The value `-` counts as in the check.
const DASH: u32 = 32;

/// What a scene says.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct SceneParts {
    /// What the code names.
    pub kind: Kind,
    /// The host's number for it (0 … 2^53 − 1).
    pub number: u64,
    /// The channel the scan came through, a host-assigned number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<u64>,
    /// The campaign, a host-assigned number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<u64>,
}

/// What `make_scene` answers.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode)]
pub struct Made {
    /// The scene, upper case, at most 32 characters.
    pub scene: String,
    /// The code alone (kind, number, check): what a person reads out.
    pub code: String,
    /// The scene as a URL query value (RFC 3986: every character but
    /// `A–Z a–z 0–9 - . _ ~` percent-encoded; here only the check symbols
    /// `*`, `$`, `=` ever are): `?scene=` followed by this.
    pub url_value: String,
}

/// What `parse_scene` answers: the parts, and the scene and code as written
/// (upper case, aliases resolved).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode)]
pub struct Parsed {
    pub kind: Kind,
    pub number: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub campaign: Option<u64>,
    pub scene: String,
    pub code: String,
}

impl Parsed {
    pub fn parts(&self) -> SceneParts {
        SceneParts { kind: self.kind, number: self.number, channel: self.channel, campaign: self.campaign }
    }
}

/// `body` followed by its check symbol.
fn with_check(mut body: String) -> String {
    let c = check_of(body.bytes().map(|b| if b == b'-' { DASH } else { value(b).unwrap_or(0) }));
    body.push(char::from(check_symbol(c)));
    body
}

/// The code of `kind` and `number`: kind letter, number, check. (Any
/// `u64`; scenes take numbers up to [`MAX_CODE_NUMBER`].)
pub fn code_of(kind: Kind, number: u64) -> String {
    let mut body = String::with_capacity(15);
    body.push(char::from(kind.letter()));
    push_number(&mut body, number);
    with_check(body)
}

/// `s` as a URL query value: everything outside RFC 3986's unreserved set
/// percent-encoded.
pub fn url_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 6);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

/// Make the scene of `p`, or say why not: a number past
/// [`MAX_CODE_NUMBER`] (`INPUT_INVALID`, `CODE_NUMBER_TOO_LARGE` at each),
/// or a scene over 32 characters (`SCENE_TOO_LONG`).
pub fn make(p: &SceneParts) -> Result<Made> {
    let mut problems = Problems::new();
    for (path, n) in [("number", Some(p.number)), ("channel", p.channel), ("campaign", p.campaign)] {
        if let Some(n) = n.filter(|&n| n > MAX_CODE_NUMBER) {
            problems.push(
                codes::CODE_NUMBER_TOO_LARGE,
                path,
                format!("{n} 超过编号上限 {MAX_CODE_NUMBER}（2^53 − 1）"),
                format!("{n} is over the largest number, {MAX_CODE_NUMBER} (2^53 − 1)"),
            );
        }
    }
    problems.finish(codes::INPUT_INVALID, "输入无效", "the input is invalid")?;
    let mut body = String::with_capacity(40);
    body.push(char::from(p.kind.letter()));
    push_number(&mut body, p.number);
    for (marker, n) in [("-C", p.channel), ("-K", p.campaign)] {
        if let Some(n) = n {
            body.push_str(marker);
            push_number(&mut body, n);
        }
    }
    let scene = with_check(body);
    let len = scene.len();
    if len > MAX_SCENE_LEN as usize {
        return Err(Error::new(
            codes::SCENE_TOO_LONG,
            "",
            format!("场景值有 {len} 个字符，超过小程序码上限 {MAX_SCENE_LEN}：请用更小的编号，或少带渠道、活动"),
            format!("the scene would be {len} characters, over the 小程序码 limit of {MAX_SCENE_LEN}: use smaller numbers, or leave out the channel or campaign"),
        ));
    }
    Ok(Made { url_value: url_value(&scene), code: code_of(p.kind, p.number), scene })
}

fn malformed(zh: impl Into<String>, en: impl Into<String>) -> Error {
    Error::new(codes::SCENE_MALFORMED, "scene", zh, en)
}

/// The characters a scene may hold at all: Crockford symbols and aliases
/// in either case, `-`, and the check symbols `*~$=`.
fn allowed(b: u8) -> bool {
    b == b'-' || check_value(b).is_some()
}

/// Read a number part at the start of `s` (values already checked to be
/// symbols): the number and how many symbols it took.
fn read_number(s: &[u32], what: (&str, &str)) -> Result<(u64, usize)> {
    let n = s.iter().take_while(|&&v| v < 32).count();
    let digits = s.get(..n).unwrap_or_default();
    match digits {
        [] => return Err(malformed(format!("{}缺少编号", what.0), format!("the {} has no number", what.1))),
        [0, _, ..] => {
            return Err(malformed(
                format!("{}的编号以 0 开头", what.0),
                format!("the {}'s number starts with a 0", what.1),
            ))
        }
        _ => {}
    }
    let mut m: u64 = 0;
    for &d in digits {
        m = m.checked_mul(32).and_then(|m| m.checked_add(u64::from(d))).unwrap_or(u64::MAX);
    }
    if n > 11 || m > MAX_CODE_NUMBER {
        return Err(Error::new(
            codes::CODE_NUMBER_TOO_LARGE,
            "scene",
            format!("{}的编号超过上限 {MAX_CODE_NUMBER}（2^53 − 1）", what.0),
            format!("the {}'s number is over the largest, {MAX_CODE_NUMBER} (2^53 − 1)", what.1),
        ));
    }
    Ok((m, n))
}

/// Read a scene: what it says, or why not — over 32 characters
/// (`SCENE_TOO_LONG`), a character no scene has (`SCENE_BAD_CHARACTER`),
/// not in the grammar (`SCENE_MALFORMED`), a number past
/// [`MAX_CODE_NUMBER`] (`CODE_NUMBER_TOO_LARGE`), or a check symbol that
/// does not match (`SCENE_CHECK_FAILED`).
pub fn parse(scene: &str) -> Result<Parsed> {
    let chars = scene.chars().take(MAX_SCENE_LEN as usize + 1).count();
    if chars > MAX_SCENE_LEN as usize {
        let all = scene.chars().count();
        return Err(Error::new(
            codes::SCENE_TOO_LONG,
            "scene",
            format!("场景值有 {all} 个字符，超过上限 {MAX_SCENE_LEN}"),
            format!("the scene has {all} characters, over the limit of {MAX_SCENE_LEN}"),
        ));
    }
    if let Some((i, c)) = scene.chars().enumerate().find(|&(_, c)| !c.is_ascii() || !allowed(c as u8)) {
        let hint_zh = if c == '%' { "（场景值是否仍是 URL 编码？请先解码）" } else { "" };
        let hint_en = if c == '%' { " (is the scene still URL-encoded? decode it first)" } else { "" };
        return Err(Error::new(
            codes::SCENE_BAD_CHARACTER,
            "scene",
            format!("场景值第 {} 个字符 `{c}` 不可用{hint_zh}", i + 1),
            format!("character {} of the scene, `{c}`, is not allowed{hint_en}", i + 1),
        ));
    }
    let bytes = scene.as_bytes();
    let Some((&last, body)) = bytes.split_last() else {
        return Err(malformed("场景值为空", "the scene is empty"));
    };
    // Body values: symbols 0–31, `-` 32, a check-only symbol 33+ (refused
    // below wherever it stands).
    let vals: Vec<u32> = body.iter().map(|&b| if b == b'-' { DASH } else { value(b).unwrap_or(DASH + 1) }).collect();
    let Some(kind) = body.first().and_then(|b| Kind::from_letter(b.to_ascii_uppercase())) else {
        return Err(malformed(
            "场景值须以 M（会员）、G（导购）、S（门店）或 C（渠道）开头，后接编号和校验字符",
            "a scene starts with M (member), G (guide), S (store) or C (channel), then a number and a check character",
        ));
    };
    let rest = vals.get(1..).unwrap_or_default();
    let (number, used) = read_number(rest, ("代码", "code"))?;
    let mut rest = rest.get(used..).unwrap_or_default();
    let (mut channel, mut campaign) = (None, None);
    while !rest.is_empty() {
        let marker = match rest {
            [DASH, m, ..] => *m,
            _ => {
                return Err(malformed(
                    "编号之后只能是 -C（渠道）、-K（活动）或校验字符",
                    "after a number comes -C (channel), -K (campaign) or the check character",
                ))
            }
        };
        let tail = rest.get(2..).unwrap_or_default();
        // `C` is 12, `K` is 19 in Crockford's alphabet.
        let (slot, what) = match marker {
            12 if channel.is_none() && campaign.is_none() => (&mut channel, ("渠道", "channel")),
            19 if campaign.is_none() => (&mut campaign, ("活动", "campaign")),
            12 | 19 => {
                return Err(malformed(
                    "渠道（-C）和活动（-K）各至多一个，渠道在前",
                    "at most one channel (-C) and one campaign (-K), the channel first",
                ))
            }
            _ => {
                return Err(malformed(
                    "未知的部分：只有 -C（渠道）和 -K（活动）",
                    "unknown part: only -C (channel) and -K (campaign)",
                ))
            }
        };
        let (n, used) = read_number(tail, what)?;
        *slot = Some(n);
        rest = tail.get(used..).unwrap_or_default();
    }
    let Some(check) = check_value(last).filter(|_| last != b'-') else {
        return Err(malformed("场景值缺少校验字符", "the scene has no check character"));
    };
    let expected = check_of(vals.iter().copied());
    if check != expected {
        return Err(Error::new(
            codes::SCENE_CHECK_FAILED,
            "scene",
            "场景值校验不符：可能抄错或被改动了一个字符",
            "the scene fails its check: a character was probably mistyped or changed",
        ));
    }
    let parts = SceneParts { kind, number, channel, campaign };
    let mut canonical = String::with_capacity(scene.len());
    for &b in body {
        canonical.push(if b == b'-' { '-' } else { char::from(code::symbol(value(b).unwrap_or(0))) });
    }
    canonical.push(char::from(check_symbol(check)));
    Ok(Parsed { kind, number, channel, campaign, scene: canonical, code: code_of(parts.kind, parts.number) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(kind: Kind, number: u64, channel: Option<u64>, campaign: Option<u64>) -> SceneParts {
        SceneParts { kind, number, channel, campaign }
    }

    #[test]
    fn a_round_trip() {
        let p = parts(Kind::Member, 1234, Some(7), Some(31));
        let m = make(&p).unwrap();
        let back = parse(&m.scene).unwrap();
        assert_eq!(back.parts(), p);
        assert_eq!(back.scene, m.scene);
        assert_eq!(parse(&m.scene.to_lowercase()).unwrap().parts(), p);
    }

    #[test]
    fn a_bare_scene_is_the_code() {
        let m = make(&parts(Kind::Guide, 42, None, None)).unwrap();
        assert_eq!(m.scene, m.code);
    }

    #[test]
    fn refusals() {
        assert_eq!(parse("").unwrap_err().code, "SCENE_MALFORMED");
        assert_eq!(parse("X1A").unwrap_err().code, "SCENE_MALFORMED");
        assert_eq!(parse("M1%").unwrap_err().code, "SCENE_BAD_CHARACTER");
        assert_eq!(parse(&"M".repeat(33)).unwrap_err().code, "SCENE_TOO_LONG");
        assert_eq!(parse("M01B").unwrap_err().code, "SCENE_MALFORMED");
        assert_eq!(parse("M-").unwrap_err().code, "SCENE_MALFORMED");
    }
}
