//! PosterTemplate + fields + images → a [`Layout`]: the canvas size and the
//! drawing commands, in integer CSS px (image source rectangles in integer
//! image pixels). The SVG (`svg.rs`) and the Canvas 2D commands
//! (`poster_commands`) are both written from it, so they show one picture.

use crate::code;
use crate::encode::{Encode, Writer};
use crate::error::{clip, Error, Problems, Result};
use crate::schema::{AnswerSchema, Defs, Value};
use crate::sorting::SortedMap;

use super::image::{self, Info};
use super::qr::{self, Run};
use super::template::{
    self, field, pieces, quiet, sub, text_lines, unknown_field, FontWeight, ImageClip, ImageFit, Piece, PosterElement,
    PosterTemplate, TextAlign, Used, MAX_FIELD_CHARS, MAX_SCENE_CHARS,
};
use super::text;

/// Most images one poster takes.
pub const MAX_IMAGES: usize = 8;

/// A laid-out poster.
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "PosterCommands"))]
#[derive(Encode)]
pub struct Layout {
    pub width: u32,
    pub height: u32,
    pub commands: Vec<PosterCommand>,
    /// Images the template uses that the input lacks (sorted): drawn as
    /// their placeholder.
    pub missing_images: Vec<String>,
}

/// A clip: a rounded rectangle (a circle is a square of radius half its side).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Clone, Copy, PartialEq, Eq, Encode)]
pub struct PosterClip {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    pub radius: u32,
}

/// One Canvas 2D drawing step (the face sets the transform to the
/// device-pixel ratio first).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Encode)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum PosterCommand {
    /// `fillRect(0, 0, width, height)`: the background colour.
    Fill { color: String },
    /// A (rounded) rectangle: filled, then stroked (the stroke centred on
    /// the edge). Also a missing image's placeholder, in its clip's shape.
    Rect {
        x: u32,
        y: u32,
        width: u32,
        height: u32,
        radius: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        fill: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        stroke: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        stroke_width: Option<u32>,
    },
    /// `drawImage(img, sx, sy, sw, sh, dx, dy, dw, dh)`, inside `clip`.
    Image {
        image: String,
        sx: u32,
        sy: u32,
        sw: u32,
        sh: u32,
        dx: u32,
        dy: u32,
        dw: u32,
        dh: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        clip: Option<PosterClip>,
    },
    /// `fillText(text, x, y, max_width)`, `textBaseline = "alphabetic"`;
    /// `width` is the line's width by the core's table, rounded up.
    Text {
        text: String,
        x: u32,
        y: u32,
        align: TextAlign,
        size: u32,
        weight: FontWeight,
        color: String,
        max_width: u32,
        width: u32,
    },
    /// `fillRect(x, y, size, size)` in `background`, then each run
    /// `[col, row, len]` as `fillRect(code_x + col × module, code_y + row ×
    /// module, len × module, module)` in `color`.
    Qr {
        x: u32,
        y: u32,
        size: u32,
        background: String,
        code_x: u32,
        code_y: u32,
        module: u32,
        color: String,
        #[cfg_attr(feature = "ts", tsify(type = "[number, number, number][]"))]
        runs: Vec<Run>,
    },
}

impl Encode for Run {
    fn encode(&self, w: &mut Writer) {
        let [a, b, c] = self.0;
        w.raw("[");
        w.uint(u64::from(a));
        w.raw(",");
        w.uint(u64::from(b));
        w.raw(",");
        w.uint(u64::from(c));
        w.raw("]");
    }
}

impl AnswerSchema for Run {
    fn answer_schema(defs: &mut Defs) -> Value {
        Value::of_type("array")
            .with("items", u32::answer_schema(defs))
            .with("description", "[column, row, length] in modules".into())
    }
}

/// The input's images, read: name, URL and what its header says, in name
/// order (at most [`MAX_IMAGES`]).
pub(crate) type Images<'a> = Vec<(&'a str, &'a str, Info)>;

/// The URL and header of the image `name`, if the input has it.
pub(crate) fn find<'i>(images: &'i Images, name: &str) -> Option<(&'i str, Info)> {
    images.iter().find(|i| i.0 == name).map(|i| (i.1, i.2))
}

fn upper(c: &str) -> String {
    c.to_ascii_uppercase()
}

/// `c` in upper case, or `default` (written in upper case) when absent.
#[inline(never)]
fn color_or(c: &Option<String>, default: &str) -> String {
    upper(c.as_deref().unwrap_or(default))
}

/// Every problem of the fields and images against what the template uses
/// (`INPUT_INVALID` listing them), or the images read.
pub(crate) fn check_input<'a>(
    used: &Used,
    fields: &SortedMap<String, String>,
    images: &'a SortedMap<String, String>,
) -> Result<Images<'a>> {
    let mut p = Problems::new();
    for f in &used.fields {
        if !fields.contains_key(*f) {
            p.push(
                code::MISSING_TEMPLATE_FIELD,
                sub("fields", f),
                format!("模板用到字段 `{f}`，输入中没有"),
                format!("the template uses the field `{f}`, which the input lacks"),
            );
        }
    }
    for (name, value) in fields {
        let path = || sub("fields", clip(name, 32));
        match field(name) {
            None => unknown_field(&mut p, path(), name, "", ""),
            Some(f) if !used.fields.contains(&f) => unused(&mut p, path(), "字段", "field", f),
            Some(f) => {
                if let Some((zh, en)) = bad_value(f, value) {
                    p.push(code::BAD_TEXT, path(), zh, en);
                }
            }
        }
    }
    let mut read = Images::new();
    if images.len() > MAX_IMAGES {
        p.push(
            code::TOO_MANY,
            "images",
            format!("至多 8 张图片，这里有 {}", images.len()),
            format!("at most 8 images; there are {}", images.len()),
        );
    } else {
        for (name, url) in images {
            let path = sub("images", clip(name, 32));
            if !used.images.contains(name) {
                unused(&mut p, path, "图片", "image", clip(name, 32));
                continue;
            }
            match image::read(url) {
                Ok(info) => {
                    read.push((name.as_str(), url.as_str(), info));
                }
                Err((zh, en)) => {
                    p.push(code::BAD_IMAGE, path, format!("图片无效：{zh}"), format!("not a valid image: {en}"))
                }
            }
        }
    }
    p.finish(code::INPUT_INVALID, "输入无效", "the input is invalid")?;
    Ok(read)
}

/// `NOT_IN_TEMPLATE`: the input has a field or image (`zh`, `en`) the
/// template does not use.
#[cold]
#[inline(never)]
fn unused(p: &mut Problems, path: String, zh: &str, en: &str, name: &str) {
    p.push(
        code::NOT_IN_TEMPLATE,
        path,
        format!("模板没有用到{zh} `{name}`"),
        format!("the template does not use the {en} `{name}`"),
    );
}

/// What is wrong with a field's value, if anything.
fn bad_value(f: &str, v: &str) -> Option<(&'static str, &'static str)> {
    let chars = v.chars().count();
    let ascii = v.bytes().all(|b| b.is_ascii_graphic());
    match f {
        "scene" | "code" => (chars > MAX_SCENE_CHARS || !ascii).then_some((
            "场景值或码至多 32 个可见 ASCII 字符",
            "a scene or code is at most 32 printable ASCII characters",
        )),
        "link" => (chars > MAX_FIELD_CHARS || !ascii).then_some((
            "链接至多 200 个可见 ASCII 字符（中文须百分号编码）",
            "a link is at most 200 printable ASCII characters (percent-encode the rest)",
        )),
        _ if chars > MAX_FIELD_CHARS => Some(("字段值至多 200 个字符", "a field's value is at most 200 characters")),
        _ if v.chars().any(bad_char) => {
            Some(("字段值含有控制字符（换行 \\n 除外）", "a field's value holds a control character (other than \\n)"))
        }
        _ => None,
    }
}

/// A character no text may hold: a control character but `\n`, or one XML
/// cannot carry (U+FFFE, U+FFFF).
pub(crate) fn bad_char(c: char) -> bool {
    (c.is_control() && c != '\n') || c == '\u{FFFE}' || c == '\u{FFFF}'
}

/// `text` with its fields filled (a valid template's text: well formed).
fn fill(text: &str, fields: &SortedMap<String, String>) -> String {
    let mut out = String::new();
    for piece in pieces(text).unwrap_or_default() {
        match piece {
            Piece::Lit(s) => out.push_str(s),
            Piece::Field(f) => out.push_str(fields.get(f).map_or("", String::as_str)),
        }
    }
    out
}

/// `(sx, sy, sw, sh, dx, dy, dw, dh)` of an image of `iw` × `ih` pixels
/// in the box `x, y, w, h`: cover crops a centred source rectangle of the
/// box's aspect (floored, at least 1 pixel); contain centres a destination
/// rectangle of the image's aspect (floored, at least 1 px).
pub(crate) fn fit(f: ImageFit, iw: u32, ih: u32, x: u32, y: u32, w: u32, h: u32) -> [u32; 8] {
    let (iw64, ih64, w64, h64) = (u64::from(iw), u64::from(ih), u64::from(w), u64::from(h));
    let wider = iw64 * h64 > ih64 * w64;
    match f {
        ImageFit::Cover if wider => {
            let sw = ((ih64 * w64 / h64) as u32).clamp(1, iw);
            [(iw - sw) / 2, 0, sw, ih, x, y, w, h]
        }
        ImageFit::Cover => {
            let sh = ((iw64 * h64 / w64) as u32).clamp(1, ih);
            [0, (ih - sh) / 2, iw, sh, x, y, w, h]
        }
        ImageFit::Contain if wider => {
            let dh = ((w64 * ih64 / iw64) as u32).clamp(1, h);
            [0, 0, iw, ih, x, y + (h - dh) / 2, w, dh]
        }
        ImageFit::Contain => {
            let dw = ((h64 * iw64 / ih64) as u32).clamp(1, w);
            [0, 0, iw, ih, x + (w - dw) / 2, y, dw, h]
        }
    }
}

/// Lay out a valid template (its fields and images checked by
/// [`check_input`]).
pub(crate) fn layout(
    t: &PosterTemplate,
    fields: &SortedMap<String, String>,
    images: &Images,
    used: &Used,
) -> Result<Layout> {
    let mut commands = Vec::with_capacity(t.elements.len() + 2);
    let bg = &t.background;
    commands.push(PosterCommand::Fill { color: color_or(&bg.color, "#FFFFFF") });
    if let Some(name) = &bg.image {
        if let Some((_, info)) = find(images, name) {
            let [sx, sy, sw, sh, dx, dy, dw, dh] =
                fit(bg.fit.unwrap_or_default(), info.width, info.height, 0, 0, t.width, t.height);
            commands.push(PosterCommand::Image { image: name.clone(), sx, sy, sw, sh, dx, dy, dw, dh, clip: None });
        }
    }
    for (i, e) in t.elements.iter().enumerate() {
        element(e, i, fields, images, &mut commands)?;
    }
    let missing_images = used.images.iter().filter(|n| find(images, n).is_none()).cloned().collect();
    Ok(Layout { width: t.width, height: t.height, commands, missing_images })
}

fn element(
    e: &PosterElement,
    i: usize,
    fields: &SortedMap<String, String>,
    images: &Images,
    out: &mut Vec<PosterCommand>,
) -> Result<()> {
    match *e {
        PosterElement::Rect { x, y, width, height, ref fill, radius, ref stroke, stroke_width } => {
            out.push(PosterCommand::Rect {
                x,
                y,
                width,
                height,
                radius,
                fill: fill.as_deref().map(upper),
                stroke: stroke.as_deref().map(upper),
                stroke_width,
            })
        }
        PosterElement::Image { ref image, x, y, width, height, fit: f, radius, clip: c, ref placeholder, .. } => {
            let clip = match c {
                Some(ImageClip::Circle) => {
                    let side = width.min(height);
                    Some(PosterClip {
                        x: x + (width - side) / 2,
                        y: y + (height - side) / 2,
                        width: side,
                        height: side,
                        radius: side / 2,
                    })
                }
                None if radius > 0 => Some(PosterClip { x, y, width, height, radius }),
                None => None,
            };
            match find(images, image) {
                Some((_, info)) => {
                    let [sx, sy, sw, sh, dx, dy, dw, dh] = fit(f, info.width, info.height, x, y, width, height);
                    out.push(PosterCommand::Image { image: image.clone(), sx, sy, sw, sh, dx, dy, dw, dh, clip });
                }
                None => {
                    let b = clip.unwrap_or(PosterClip { x, y, width, height, radius: 0 });
                    out.push(PosterCommand::Rect {
                        x: b.x,
                        y: b.y,
                        width: b.width,
                        height: b.height,
                        radius: b.radius,
                        fill: Some(color_or(placeholder, "#EEEEEE")),
                        stroke: None,
                        stroke_width: None,
                    });
                }
            }
        }
        PosterElement::Text { x, y, width, ref text, size, ref color, weight, align, line_height, max_lines } => {
            let (lh, n) = text_lines(size, line_height, max_lines);
            let filled = fill(text, fields);
            let wrapped = text::wrap(&filled, size, width, n);
            let color = color_or(color, "#333333");
            let ax = match align {
                TextAlign::Left => x,
                TextAlign::Center => x + width / 2,
                TextAlign::Right => x + width,
            };
            let base = (u64::from(lh) * 100 + 76 * u64::from(size)) / 200;
            for (k, line) in wrapped.lines.into_iter().enumerate() {
                if line.text.is_empty() {
                    continue;
                }
                let by = u64::from(y) + k as u64 * u64::from(lh) + base;
                out.push(PosterCommand::Text {
                    text: line.text,
                    x: ax,
                    y: u32::try_from(by).unwrap_or(u32::MAX),
                    align,
                    size,
                    weight,
                    color: color.clone(),
                    max_width: width,
                    width: u32::try_from(line.width.div_ceil(1000)).unwrap_or(u32::MAX),
                });
            }
        }
        PosterElement::Qr { x, y, size, ref content, level, ref color, ref background, quiet_zone } => {
            let text = fill(content, fields);
            let q = quiet(quiet_zone);
            let too_long = || {
                Error::new(
                    code::QR_TOO_LONG,
                    format!("template.elements[{i}].content"),
                    "二维码内容在此纠错等级下超出版本 10 的容量，或放不进二维码的方框",
                    "the QR content is too long for a version 10 code at this level, or for the code's box",
                )
            };
            let sym = qr::symbol(&text, level).ok_or_else(too_long)?;
            let module = size / (sym.modules + 2 * q);
            if module == 0 {
                return Err(too_long());
            }
            let pad = (size - sym.modules * module) / 2;
            out.push(PosterCommand::Qr {
                x,
                y,
                size,
                background: color_or(background, "#FFFFFF"),
                code_x: x + pad,
                code_y: y + pad,
                module,
                color: color_or(color, "#000000"),
                runs: sym.runs,
            });
        }
    }
    Ok(())
}

/// Validate, check the input, and lay out: what both rendering operations
/// do first. PosterTemplate problems are under `template.`.
pub(crate) fn prepare<'a>(
    t: &PosterTemplate,
    fields: &SortedMap<String, String>,
    images: &'a SortedMap<String, String>,
) -> Result<(Layout, Images<'a>)> {
    let used = template::validate_for_render(t).map_err(|e| e.under("template"))?;
    let read = check_input(&used, fields, images)?;
    let l = layout(t, fields, &read, &used)?;
    Ok((l, read))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_and_contain_are_centred_integers() {
        // A 300 × 200 image in a 100 × 100 box.
        assert_eq!(fit(ImageFit::Cover, 300, 200, 10, 20, 100, 100), [50, 0, 200, 200, 10, 20, 100, 100]);
        assert_eq!(fit(ImageFit::Contain, 300, 200, 10, 20, 100, 100), [0, 0, 300, 200, 10, 37, 100, 66]);
        // A tall one.
        assert_eq!(fit(ImageFit::Cover, 200, 301, 0, 0, 100, 100), [0, 50, 200, 200, 0, 0, 100, 100]);
        assert_eq!(fit(ImageFit::Contain, 200, 301, 0, 0, 100, 100), [0, 0, 200, 301, 17, 0, 66, 100]);
        // Extreme aspects stay at least one pixel.
        assert_eq!(fit(ImageFit::Cover, 65535, 1, 0, 0, 1, 4096), [32767, 0, 1, 1, 0, 0, 1, 4096]);
        assert_eq!(fit(ImageFit::Contain, 65535, 1, 0, 0, 4096, 4096), [0, 0, 65535, 1, 0, 2047, 4096, 1]);
    }
}
