//! A poster template: the canvas, its background and its elements, placed
//! absolutely in integer CSS px, with `{field}` placeholders in text and QR
//! content (`docs/rules.md` §14). [`validate`] reports every problem at
//! once, each with a path and a stable code, like a rule set's.

use crate::code;
use crate::decode::{self, Decode};
use crate::error::{clip, Problems, Result};
use crate::sorting;

use super::{qr, text};

/// Widest and tallest canvas, in CSS px (iOS refuses larger canvases).
pub const MAX_CANVAS_SIDE: u32 = 4096;
/// Most elements a template has.
pub const MAX_ELEMENTS: usize = 64;
/// Longest field value, in characters (Unicode scalar values).
pub const MAX_FIELD_CHARS: usize = 200;
/// Longest `scene` or `code` value (a 小程序码 scene's limit).
pub const MAX_SCENE_CHARS: usize = 32;
/// Longest text or QR content written in a template, in characters.
pub const MAX_TEMPLATE_TEXT: usize = 1000;
/// Most lines a text element shows.
pub const MAX_TEXT_LINES: u32 = 20;
/// Widest quiet zone around a QR code, in modules.
pub const MAX_QUIET_ZONE: u32 = 4;

/// The field names a template may use, in order.
pub const FIELDS: [&str; 10] =
    ["nickname", "store", "guide", "code", "scene", "link", "product", "price", "tier", "title"];

/// The font family of every text, on every host.
pub const FONT_FAMILY: &str =
    "'WenQuanYi Micro Hei','PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC',sans-serif";

/// A poster template (JSON; integers are CSS px).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Clone, Decode)]
#[serde(deny_unknown_fields)]
#[decode(expected(en = "a poster template", zh = "海报模板"))]
pub struct PosterTemplate {
    /// 1 … 4096.
    pub width: u32,
    /// 1 … 4096.
    pub height: u32,
    #[serde(default)]
    pub background: PosterBackground,
    /// At most 64, drawn in order.
    pub elements: Vec<PosterElement>,
}

/// `sha256:` and 64 hex digits: the SHA-256 of a template as canonical JSON
/// (as a rule set's fingerprint is made), from the template's JSON, which
/// only `validate_poster` answers with: a render does not write it out.
pub fn fingerprint(template: &decode::Json) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut canonical = String::new();
    crate::encode::append_json(&mut canonical, template);
    let mut s = String::with_capacity(71);
    s.push_str("sha256:");
    for b in crate::sha256::digest(canonical.as_bytes()) {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

/// The canvas's background: a colour (default `#FFFFFF`), and an image
/// drawn over it.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Clone, Default, Decode)]
#[serde(deny_unknown_fields)]
pub struct PosterBackground {
    #[serde(default)]
    pub color: Option<String>,
    /// An image name (`images` of the input).
    #[serde(default)]
    pub image: Option<String>,
    /// How the image fills the canvas (default `cover`).
    #[serde(default)]
    pub fit: Option<ImageFit>,
}

/// One element, drawn in order.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Clone, Decode)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum PosterElement {
    Rect {
        x: u32,
        y: u32,
        width: u32,
        height: u32,
        #[serde(default)]
        fill: Option<String>,
        /// Corner radius, at most half the shorter side.
        #[serde(default)]
        radius: u32,
        /// `stroke` and `stroke_width`: both or neither.
        #[serde(default)]
        stroke: Option<String>,
        #[serde(default)]
        stroke_width: Option<u32>,
    },
    Image {
        /// The image's name: `[a-z][a-z0-9_]{0,31}`.
        image: String,
        x: u32,
        y: u32,
        width: u32,
        height: u32,
        #[serde(default)]
        fit: ImageFit,
        /// Corner radius (or `clip`, not both).
        #[serde(default)]
        radius: u32,
        #[serde(default)]
        clip: Option<ImageClip>,
        /// The colour of the box when the image is missing (default `#EEEEEE`).
        #[serde(default)]
        placeholder: Option<String>,
    },
    Text {
        /// The text box's top-left.
        x: u32,
        y: u32,
        /// The widest a line may be.
        width: u32,
        /// With `{field}`s; `{{` and `}}` are braces.
        text: String,
        /// 8 … 200.
        size: u32,
        /// Default `#333333`.
        #[serde(default)]
        color: Option<String>,
        #[serde(default)]
        weight: FontWeight,
        #[serde(default)]
        align: TextAlign,
        /// Default `size * 7 / 5`.
        #[serde(default)]
        line_height: Option<u32>,
        /// 1 … 20, default 1.
        #[serde(default)]
        max_lines: Option<u32>,
    },
    Qr {
        x: u32,
        y: u32,
        /// The square box, quiet zone included.
        size: u32,
        /// With `{field}`s: a link or a scene.
        content: String,
        #[serde(default)]
        level: QrLevel,
        /// Default `#000000`.
        #[serde(default)]
        color: Option<String>,
        /// Default `#FFFFFF`.
        #[serde(default)]
        background: Option<String>,
        /// Modules, 0 … 4, default 2.
        #[serde(default)]
        quiet_zone: Option<u32>,
    },
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Clone, Copy, Default, PartialEq, Eq, Decode)]
#[serde(rename_all = "snake_case")]
pub enum ImageFit {
    /// Fill the box, cropping the image (centred).
    #[default]
    Cover,
    /// The whole image inside the box (centred).
    Contain,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Clone, Copy, PartialEq, Eq, Decode)]
#[serde(rename_all = "snake_case")]
pub enum ImageClip {
    /// A circle of the box's shorter side, centred.
    Circle,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Clone, Copy, Default, PartialEq, Eq, Decode, crate::Encode)]
#[serde(rename_all = "snake_case")]
pub enum FontWeight {
    #[default]
    Normal,
    Bold,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Clone, Copy, Default, PartialEq, Eq, Decode, crate::Encode)]
#[serde(rename_all = "snake_case")]
pub enum TextAlign {
    #[default]
    Left,
    Center,
    Right,
}

/// A QR code's error-correction level (L 7 %, M 15 %, Q 25 %, H 30 %).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Clone, Copy, Default, PartialEq, Eq, Decode)]
pub enum QrLevel {
    L = 0,
    #[default]
    M,
    Q,
    H,
}

/// A piece of a text with fields.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Lit(&'a str),
    /// A field name (checked against [`FIELDS`] by the caller).
    Field(&'a str),
}

/// `text` cut into literal runs and `{field}`s; `{{` and `}}` are braces.
/// By bytes (the braces are ASCII; every cut is next to one, so on a
/// character boundary), with `str::get`: no pattern searcher, no slicing
/// that could panic.
pub(crate) fn pieces(text: &str) -> std::result::Result<Vec<Piece<'_>>, (&'static str, &'static str)> {
    let b = text.as_bytes();
    // The first brace at or after `from`.
    let brace = |from: usize| b.get(from..)?.iter().position(|&c| c == b'{' || c == b'}').map(|i| from + i);
    let mut out = Vec::new();
    let mut at = 0;
    while at < b.len() {
        let cut = brace(at).unwrap_or(b.len());
        if cut > at {
            out.push(Piece::Lit(text.get(at..cut).unwrap_or("")));
        }
        at = cut;
        match (b.get(at), b.get(at + 1)) {
            (Some(b'{'), Some(b'{')) => {
                out.push(Piece::Lit("{"));
                at += 2;
            }
            (Some(b'}'), Some(b'}')) => {
                out.push(Piece::Lit("}"));
                at += 2;
            }
            (Some(b'{'), _) => match brace(at + 1) {
                Some(end) if b.get(end) == Some(&b'}') => {
                    out.push(Piece::Field(text.get(at + 1..end).unwrap_or("")));
                    at = end + 1;
                }
                _ => {
                    return Err((
                        "`{` 没有对应的 `}`（字面的花括号写作 `{{`）",
                        "a `{` without its `}` (write a literal brace as `{{`)",
                    ))
                }
            },
            (Some(_), _) => {
                return Err(("单独的 `}`（字面的花括号写作 `}}`）", "a lone `}` (write a literal brace as `}}`)"))
            }
            (None, _) => {}
        }
    }
    Ok(out)
}

/// The field's index in [`FIELDS`].
pub(crate) fn field(name: &str) -> Option<&'static str> {
    FIELDS.iter().copied().find(|f| *f == name)
}

/// Whether `s` is `#RRGGBB` or `#RRGGBBAA`.
pub(crate) fn is_color(s: &str) -> bool {
    let b = s.as_bytes();
    (b.len() == 7 || b.len() == 9) && b[0] == b'#' && b[1..].iter().all(u8::is_ascii_hexdigit)
}

/// Whether `s` is an image name: `[a-z][a-z0-9_]{0,31}`.
pub(crate) fn is_image_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 32
        && b[0].is_ascii_lowercase()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
}

/// A text element's line height (default `size * 7 / 5`) and line count.
pub(crate) fn text_lines(size: u32, line_height: Option<u32>, max_lines: Option<u32>) -> (u32, u32) {
    (line_height.unwrap_or(size * 7 / 5), max_lines.unwrap_or(1))
}

/// A QR element's quiet zone (default 2).
pub(crate) fn quiet(q: Option<u32>) -> u32 {
    q.unwrap_or(2)
}

/// The bytes validation counts for a field in a QR code: `scene` and
/// `code` at their longest, 32 printable ASCII characters (what a scene can
/// be, so a template that holds the longest scene holds every scene); any
/// other field (a `link` above all) at none, because its length is the
/// host's choice: a template is refused only if it can never fit, and the
/// real content is checked when the poster is rendered. (Counting a `link`
/// at its 200 characters would refuse every linked code at level Q or H.)
fn validated_bytes(field: &str) -> usize {
    match field {
        "scene" | "code" => MAX_SCENE_CHARS,
        _ => 0,
    }
}

/// What a valid template uses: the field and image names, sorted.
pub struct Used {
    pub fields: Vec<&'static str>,
    pub images: Vec<String>,
    /// Checking before a render, which makes each QR code from its real
    /// content: a literal content is not encoded twice.
    render: bool,
}

/// [`validate`], before a render.
pub(crate) fn validate_for_render(t: &PosterTemplate) -> Result<Used> {
    checked(t, true)
}

/// Every problem of `t` (paths from the template's root), or what it uses.
pub fn validate(t: &PosterTemplate) -> Result<Used> {
    checked(t, false)
}

fn checked(t: &PosterTemplate, render: bool) -> Result<Used> {
    let mut p = Problems::new();
    let mut used = Used { fields: Vec::new(), images: Vec::new(), render };
    check(t, &mut p, &mut used);
    p.finish(code::TEMPLATE_INVALID, "海报模板无效", "the poster template is invalid")?;
    sorting::sort_dedup(&mut used.fields);
    sorting::sort_dedup(&mut used.images);
    Ok(used)
}

// The checks are not generic over their paths (`at` and a field name,
// joined only when a problem is found), and each message is written in
// one function: each is in the module once, not once per call site.

/// The path of field `f` of the object at `at` (`f` alone at the root).
#[inline(never)]
pub(crate) fn sub(at: &str, f: &str) -> String {
    if at.is_empty() {
        f.to_string()
    } else {
        format!("{at}.{f}")
    }
}

/// The field names, as the messages list them.
const FIELD_LIST_ZH: &str = "nickname、store、guide、code、scene、link、product、price、tier、title";
const FIELD_LIST_EN: &str = "nickname, store, guide, code, scene, link, product, price, tier, title";

/// `UNKNOWN_TEMPLATE_FIELD` for `name` (quoted between `open` and
/// `close`: `{` and `}` in a template's text, nothing in the input).
#[cold]
#[inline(never)]
pub(crate) fn unknown_field(p: &mut Problems, path: String, name: &str, open: &str, close: &str) {
    let name = clip(name, 32);
    p.push(
        code::UNKNOWN_TEMPLATE_FIELD,
        path,
        format!("未知字段 `{open}{name}{close}`（可用：{FIELD_LIST_ZH}）"),
        format!("unknown field `{open}{name}{close}` (known: {FIELD_LIST_EN})"),
    );
}

/// `BAD_COLOR` at `at.f` unless `c` is absent or a colour.
#[inline(never)]
fn color(p: &mut Problems, c: &Option<String>, at: &str, f: &str) {
    if let Some(c) = c {
        if !is_color(c) {
            let c = clip(c, 16);
            p.push(
                code::BAD_COLOR,
                sub(at, f),
                format!("颜色 `{c}` 须写作 #RRGGBB 或 #RRGGBBAA"),
                format!("colour `{c}` must be #RRGGBB or #RRGGBBAA"),
            );
        }
    }
}

fn image_name(p: &mut Problems, used: &mut Used, name: &str, path: String) {
    if is_image_name(name) {
        used.images.push(name.to_string());
    } else {
        p.push(
            code::BAD_IMAGE_NAME,
            path,
            "图片名须为小写字母开头、由小写字母、数字和 _ 组成，至多 32 个字符",
            "an image name is a lower-case letter, then lower-case letters, digits or _, at most 32 characters",
        );
    }
}

/// `OUT_OF_RANGE` at `at.f` unless `min` ≤ `v` ≤ `max`.
#[inline(never)]
fn range(p: &mut Problems, v: u64, min: u64, max: u64, at: &str, f: &str) {
    if v < min || v > max {
        p.push(
            code::OUT_OF_RANGE,
            sub(at, f),
            format!("{v} 不在 {min} 到 {max} 之间"),
            format!("{v} is not between {min} and {max}"),
        );
    }
}

/// A template text's fields, checked; they join `used`. `Some(pieces)`
/// when it is well formed.
fn template_text<'t>(p: &mut Problems, used: &mut Used, text: &'t str, path: &str) -> Option<Vec<Piece<'t>>> {
    if text.chars().count() > MAX_TEMPLATE_TEXT {
        p.push(code::BAD_TEXT, path, "文字超过 1000 个字符", "the text is over 1,000 characters");
        return None;
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        p.push(
            code::BAD_TEXT,
            path,
            "文字含有控制字符（换行 \\n 除外）",
            "the text holds a control character (other than \\n)",
        );
        return None;
    }
    let pieces = match pieces(text) {
        Ok(pieces) => pieces,
        Err((zh, en)) => {
            p.push(code::BAD_TEXT, path, zh, en);
            return None;
        }
    };
    let mut ok = true;
    for piece in &pieces {
        if let Piece::Field(name) = piece {
            match field(name) {
                Some(f) => {
                    used.fields.push(f);
                }
                None => {
                    ok = false;
                    unknown_field(p, path.to_string(), name, "{", "}");
                }
            }
        }
    }
    ok.then_some(pieces)
}

fn check(t: &PosterTemplate, p: &mut Problems, used: &mut Used) {
    for (v, name) in [(t.width, "width"), (t.height, "height")] {
        if v == 0 {
            range(p, 0, 1, u64::from(MAX_CANVAS_SIDE), "", name);
        } else if v > MAX_CANVAS_SIDE {
            p.push(
                code::CANVAS_TOO_LARGE,
                name,
                format!("画布宽高至多 4096，这里是 {v}"),
                format!("a canvas is at most 4096 px each way; this is {v}"),
            );
        }
    }
    let bg = &t.background;
    color(p, &bg.color, "background", "color");
    match &bg.image {
        Some(name) => image_name(p, used, name, "background.image".into()),
        None if bg.fit.is_some() => {
            p.push(code::REQUIRED, "background.image", "给了 fit 却没有 image", "`fit` is given without an `image`")
        }
        None => {}
    }
    if t.elements.len() > MAX_ELEMENTS {
        p.push(
            code::TOO_MANY,
            "elements",
            format!("至多 64 个元素，这里有 {}", t.elements.len()),
            format!("at most 64 elements; there are {}", t.elements.len()),
        );
        return;
    }
    for (i, e) in t.elements.iter().enumerate() {
        if p.full() {
            return;
        }
        element(t, e, p, used, &format!("elements[{i}]"));
    }
}

/// The element's box: x, y, width, height.
pub(crate) fn bounds(e: &PosterElement) -> (u32, u32, u64, u64) {
    match *e {
        PosterElement::Rect { x, y, width, height, .. } | PosterElement::Image { x, y, width, height, .. } => {
            (x, y, u64::from(width), u64::from(height))
        }
        PosterElement::Text { x, y, width, size, line_height, max_lines, .. } => {
            let (lh, n) = text_lines(size, line_height, max_lines);
            (x, y, u64::from(width), u64::from(lh) * u64::from(n))
        }
        PosterElement::Qr { x, y, size, .. } => (x, y, u64::from(size), u64::from(size)),
    }
}

/// Whether the canvas's size is valid (else no element is said to be off it).
fn canvas_ok(t: &PosterTemplate) -> bool {
    (1..=MAX_CANVAS_SIDE).contains(&t.width) && (1..=MAX_CANVAS_SIDE).contains(&t.height)
}

fn element(t: &PosterTemplate, e: &PosterElement, p: &mut Problems, used: &mut Used, at: &str) {
    let path = |f: &str| sub(at, f);
    let (x, y, w, h) = bounds(e);
    let shorter = w.min(h);
    match e {
        PosterElement::Rect { fill, radius, stroke, stroke_width, .. } => {
            color(p, fill, at, "fill");
            color(p, stroke, at, "stroke");
            range(p, u64::from(*radius), 0, shorter / 2, at, "radius");
            match (stroke, stroke_width) {
                (Some(_), None) => p.push(
                    code::REQUIRED,
                    path("stroke_width"),
                    "有 stroke 须给 stroke_width",
                    "`stroke` needs a `stroke_width`",
                ),
                (None, Some(_)) => p.push(
                    code::REQUIRED,
                    path("stroke"),
                    "有 stroke_width 须给 stroke",
                    "`stroke_width` needs a `stroke`",
                ),
                (Some(_), Some(sw)) => range(p, u64::from(*sw), 1, shorter.max(2) / 2, at, "stroke_width"),
                (None, None) => {}
            }
        }
        PosterElement::Image { image, radius, clip, placeholder, .. } => {
            image_name(p, used, image, path("image"));
            color(p, placeholder, at, "placeholder");
            if clip.is_some() && *radius > 0 {
                p.push(
                    code::CLIP_AMBIGUOUS,
                    path("clip"),
                    "radius 与 clip 只能给一个",
                    "give `radius` or `clip`, not both",
                );
            }
            range(p, u64::from(*radius), 0, shorter / 2, at, "radius");
        }
        PosterElement::Text { text, size, color: c, line_height, max_lines, width, .. } => {
            color(p, c, at, "color");
            range(p, u64::from(*size), 8, 200, at, "size");
            if let Some(lh) = line_height {
                range(p, u64::from(*lh), 1, u64::from(MAX_CANVAS_SIDE), at, "line_height");
            }
            if let Some(n) = max_lines {
                range(p, u64::from(*n), 1, u64::from(MAX_TEXT_LINES), at, "max_lines");
            }
            template_text(p, used, text, &path("text"));
            // One grapheme and the "…" on a line, at the widest advance.
            let need = u64::from(text::MAX_ADVANCE + text::advance("…")) * u64::from(*size);
            if u64::from(*width) * 1000 < need {
                let px = need.div_ceil(1000);
                p.push(
                    code::TEXT_TOO_NARROW,
                    path("width"),
                    format!("宽 {width} 放不下一个字加“…”，至少需要 {px}"),
                    format!("width {width} cannot hold one character and the \"…\"; it needs at least {px}"),
                );
            }
        }
        PosterElement::Qr { content, level, color: c, background, quiet_zone, size, .. } => {
            color(p, c, at, "color");
            color(p, background, at, "background");
            let q = quiet(*quiet_zone);
            range(p, u64::from(q), 0, u64::from(MAX_QUIET_ZONE), at, "quiet_zone");
            if let Some(pieces) = template_text(p, used, content, &path("content")) {
                // The content with `scene` and `code` at their longest and
                // other fields empty, in byte mode (the table: no code is
                // made); a literal content as it is (made once, here or
                // when rendering).
                let fields = pieces.iter().any(|x| matches!(x, Piece::Field(_)));
                let modules = if fields {
                    let worst: usize = pieces
                        .iter()
                        .map(|x| match x {
                            Piece::Lit(s) => s.len(),
                            Piece::Field(f) => validated_bytes(f),
                        })
                        .sum();
                    qr::modules_for_bytes(worst, *level)
                } else if used.render {
                    Some(0)
                } else {
                    qr::modules(content, *level)
                };
                match modules {
                    // Checked when the code is made.
                    Some(0) => {}
                    None => p.push(
                        code::QR_TOO_LONG,
                        path("content"),
                        "内容（scene、code 取最长 32 个字符时）在此纠错等级下超出版本 10 的容量",
                        "the content (with `scene` and `code` at 32 characters) is too long for a version 10 code at this level",
                    ),
                    Some(n) if u64::from(*size) < u64::from(n + 2 * q.min(MAX_QUIET_ZONE)) => {
                        let min = n + 2 * q.min(MAX_QUIET_ZONE);
                        p.push(
                            code::OUT_OF_RANGE,
                            path("size"),
                            format!("二维码（{n}×{n} 模块，含留白 {min}）至少需要 {min} 像素"),
                            format!("the code ({n}×{n} modules, {min} with its quiet zone) needs at least {min} px"),
                        );
                    }
                    Some(_) => {}
                }
            }
        }
    }
    if w == 0 || h == 0 {
        p.push(code::OUT_OF_RANGE, at, "元素的宽和高须至少为 1", "an element's width and height must be at least 1");
    } else if canvas_ok(t) && (u64::from(x) + w > u64::from(t.width) || u64::from(y) + h > u64::from(t.height)) {
        p.push(
            code::OFF_CANVAS,
            at,
            format!("元素（{x}, {y}, {w}×{h}）超出了 {}×{} 的画布", t.width, t.height),
            format!("the element ({x}, {y}, {w}×{h}) is not inside the {}×{} canvas", t.width, t.height),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_lists_are_the_fields() {
        assert_eq!(FIELD_LIST_ZH, FIELDS.join("、"));
        assert_eq!(FIELD_LIST_EN, FIELDS.join(", "));
    }

    #[test]
    fn pieces_read_fields_and_braces() {
        let p = pieces("a{nickname}b{{c}}").unwrap();
        assert!(
            p == [
                Piece::Lit("a"),
                Piece::Field("nickname"),
                Piece::Lit("b"),
                Piece::Lit("{"),
                Piece::Lit("c"),
                Piece::Lit("}")
            ]
        );
        for bad in ["{", "a}", "{a{b}", "{nick"] {
            assert!(pieces(bad).is_err(), "{bad}");
        }
        assert!(pieces("{}").unwrap() == [Piece::Field("")]);
    }
}
