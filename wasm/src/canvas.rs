//! `drawPoster`: a poster drawn onto a Canvas 2D context through web-sys —
//! a browser's `CanvasRenderingContext2D`, a WeChat `type="2d"` canvas's
//! context (the same interface), or a Node canvas's. The core lays the
//! poster out (`siyu::ops::poster_layout`, the `poster_commands` input and
//! refusals); this file only replays the typed commands at a device-pixel
//! ratio, in the order `docs/rules.md` §14.2 describes, and never measures
//! or wraps text itself.
//!
//! Every context method is called through web-sys's
//! `CanvasRenderingContext2d`, reached by an unchecked cast, so any object
//! with those methods works; images likewise (`drawImage` takes whatever
//! the host's canvas draws: an `HTMLImageElement`, an `ImageBitmap`, a
//! WeChat `canvas.createImage()` image, a Node canvas `Image`). Rounded
//! rectangles and clips are paths of `arcTo` (no `roundRect`, no `Path2D`:
//! WeChat's canvas has `arcTo`). Lean on purpose: one function per command
//! kind, no closures.

use siyu::poster::template::FONT_FAMILY;
use siyu::poster::{FontWeight, Layout, PosterClip, PosterCommand, TextAlign, MAX_CANVAS_SIDE};
use siyu::{code, Error};
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d as Ctx, ImageBitmap};

use crate::js::{input_text, json_parse, reflect_get, to_js_error, unsafe_integers_as_floats};

/// The largest device-pixel ratio `drawPoster` takes (phones are 2 or 3).
pub const MAX_DPR: f64 = 4.0;

/// Draw a poster onto a Canvas 2D context at device-pixel ratio `dpr`
/// (default 1; at most 4): `input` is `posterCommands`'s (`{template,
/// fields, images}`, whose `data:` URLs the layout reads image sizes from),
/// `images` maps each image name the poster draws to the same image,
/// already loaded. Size the canvas first (setting its size clears it), in
/// device px: `canvas.width = Math.round(template.width * dpr)`,
/// `canvas.height = Math.round(template.height * dpr)`, and show it at
/// `template.width` × `template.height` CSS px. The transform is set to
/// `dpr` inside `save()`/`restore()`, so the context's state is as it was
/// afterwards. Answers `{width, height, missing_images}` (CSS px).
///
/// ```js
/// canvas.width = Math.round(template.width * dpr);
/// canvas.height = Math.round(template.height * dpr);
/// drawPoster(canvas.getContext('2d'), { template, fields, images: urls }, loaded, dpr);
/// ```
///
/// Refusals (nothing drawn): a bad `dpr` (`INPUT_INVALID`, `OUT_OF_RANGE` or
/// `WRONG_TYPE` at `dpr`), a `context` without canvas methods
/// (`INPUT_INVALID`, `WRONG_TYPE` at `context`), every refusal of
/// `posterCommands`, a canvas over 4096 device px either way
/// (`CANVAS_TOO_LARGE` at `dpr`), an image the poster draws that `images`
/// lacks (`INPUT_INVALID`, `MISSING_FIELD` at `images.<name>`). What the
/// context itself throws (a broken image) is thrown as it is.
#[wasm_bindgen(js_name = drawPoster, unchecked_return_type = "PosterDrawn")]
pub fn draw_poster(
    #[wasm_bindgen(unchecked_param_type = "PosterContext2D")] context: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PosterInput")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PosterImages")] images: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "number")] dpr: JsValue,
) -> Result<JsValue, JsValue> {
    let ratio = ratio(&dpr).map_err(to_js_error)?;
    let is_context = match reflect_get(&context, &JsValue::from_str("fillText")) {
        Ok(f) => f.is_function(),
        Err(_) => false,
    };
    if !is_context {
        return Err(to_js_error(invalid(
            code::WRONG_TYPE,
            "context",
            "context 须是 Canvas 2D 上下文（canvas.getContext('2d')）",
            "context must be a Canvas 2D context (canvas.getContext('2d'))",
        )));
    }
    let text = input_text(&input)?;
    let layout = siyu::ops::poster_layout(&unsafe_integers_as_floats(&text)).map_err(to_js_error)?;
    fits(&layout, ratio).map_err(to_js_error)?;
    let loaded = loaded(&layout, &images).map_err(to_js_error)?;
    let ctx: &Ctx = context.unchecked_ref();
    ctx.save();
    let drawn = draw(ctx, &layout, ratio, &loaded);
    ctx.restore();
    drawn?;
    json_parse(&answer(&layout))
}

#[wasm_bindgen(typescript_custom_section)]
const TS_DRAW_POSTER: &str = r#"
/**
 * What `drawPoster` draws on: a Canvas 2D context. The browser's
 * `CanvasRenderingContext2D` (also an `OffscreenCanvas`'s), the context of a
 * WeChat `<canvas type="2d">` (`canvas.getContext('2d')`, which WeChat's
 * typings declare as `any`) and a Node canvas's (`@napi-rs/canvas`'s
 * `SKRSContext2D`) all are one. Declared by the members `drawPoster` uses,
 * so that no DOM type library is needed.
 */
export interface PosterContext2D {
    fillStyle: unknown;
    strokeStyle: unknown;
    lineWidth: number;
    font: string;
    textAlign: string;
    textBaseline: string;
    save(): void;
    restore(): void;
    setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void;
    clearRect(x: number, y: number, w: number, h: number): void;
    fillRect(x: number, y: number, w: number, h: number): void;
    beginPath(): void;
    moveTo(x: number, y: number): void;
    arcTo(x1: number, y1: number, x2: number, y2: number, radius: number): void;
    closePath(): void;
    clip(): void;
    fill(): void;
    stroke(): void;
    fillText(text: string, x: number, y: number, maxWidth?: number): void;
    /** (`never`: every context's `drawImage` fits; the images are typed by `PosterImages`.) */
    drawImage(image: never, sx: number, sy: number, sw: number, sh: number,
              dx: number, dy: number, dw: number, dh: number): void;
}

/**
 * An image already loaded, of the kind the context's `drawImage` takes: an
 * `HTMLImageElement` (after `onload`/`decode()`), an `ImageBitmap`, a canvas,
 * a WeChat `canvas.createImage()` image (after `onload`), a Node canvas
 * `Image` (`loadImage`).
 */
export interface PosterImage {
    readonly width: number;
    readonly height: number;
}

/** Image name → the image loaded (the names of `input.images`). */
export type PosterImages = { [name: string]: PosterImage };

/** What `drawPoster` answers: the poster's size in CSS px and the images drawn as placeholders. */
export interface PosterDrawn {
    width: number;
    height: number;
    /** Images the template uses that `input.images` lacks (sorted). */
    missing_images: string[];
}
"#;

/// `INPUT_INVALID` listing `problems`.
#[cold]
#[inline(never)]
fn invalid_all(problems: Vec<Error>) -> Error {
    let mut top = Error::new(code::INPUT_INVALID, "", "输入无效", "the input is invalid");
    top.problems = problems;
    top
}

/// `INPUT_INVALID` with one problem.
#[cold]
#[inline(never)]
fn invalid(problem: code::Code, path: &str, zh: &str, en: &str) -> Error {
    invalid_all(vec![Error::new(problem, path, zh, en)])
}

/// The device-pixel ratio: a number in (0, 4]; `undefined` is 1.
fn ratio(dpr: &JsValue) -> Result<f64, Error> {
    if dpr.is_undefined() {
        return Ok(1.0);
    }
    match dpr.as_f64() {
        // Also false for NaN.
        Some(d) if d > 0.0 && d <= MAX_DPR => Ok(d),
        Some(_) => Err(invalid(
            code::OUT_OF_RANGE,
            "dpr",
            "dpr（设备像素比）须是大于 0、至多 4 的有限数",
            "dpr (the device-pixel ratio) must be a finite number above 0 and at most 4",
        )),
        None => Err(invalid(
            code::WRONG_TYPE,
            "dpr",
            "dpr（设备像素比）须是数字，如 wx.getWindowInfo().pixelRatio 或 devicePixelRatio",
            "dpr (the device-pixel ratio) must be a number, such as devicePixelRatio",
        )),
    }
}

/// `CANVAS_TOO_LARGE` when the canvas at `ratio` is over 4096 device px
/// either way (iOS's canvas limit).
fn fits(l: &Layout, ratio: f64) -> Result<(), Error> {
    let side = MAX_CANVAS_SIDE as f64;
    if l.width as f64 * ratio <= side && l.height as f64 * ratio <= side {
        return Ok(());
    }
    // Whole device px (no float formatting in the module).
    let (w, h) = ((l.width as f64 * ratio).ceil() as u32, (l.height as f64 * ratio).ceil() as u32);
    Err(Error::new(
        code::CANVAS_TOO_LARGE,
        "dpr",
        format!("按此 dpr 画布为 {w} × {h} 设备像素，超过 4096（iOS 画布上限）：请用更小的 dpr"),
        format!("at this dpr the canvas is {w} × {h} device px, over 4096 (iOS's canvas limit): use a smaller dpr"),
    ))
}

/// The loaded image of each image command, in drawing order; every one
/// `images` lacks is a problem.
fn loaded(l: &Layout, images: &JsValue) -> Result<Vec<JsValue>, Error> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for c in &l.commands {
        if let PosterCommand::Image { image, .. } = c {
            // `Reflect.get` throws on a non-object: lacking, too.
            let img = reflect_get(images, &JsValue::from_str(image)).unwrap_or(JsValue::UNDEFINED);
            if img.is_undefined() || img.is_null() {
                problems.push(Error::new(
                    code::MISSING_FIELD,
                    format!("images.{image}"),
                    format!("海报要画图片 `{image}`：请在 images 中传入已加载的图片（canvas.createImage()、Image）"),
                    format!("the poster draws the image `{image}`: pass it loaded in images (an Image, an ImageBitmap, canvas.createImage())"),
                ));
            }
            out.push(img);
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(invalid_all(problems))
    }
}

/// `{width, height, missing_images}` as JSON text (image names are
/// `[a-z][a-z0-9_]*`: nothing to escape).
fn answer(l: &Layout) -> String {
    let mut s = format!("{{\"width\":{},\"height\":{},\"missing_images\":[", l.width, l.height);
    for (i, name) in l.missing_images.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push('"');
        s.push_str(name);
        s.push('"');
    }
    s.push_str("]}");
    s
}

fn draw(ctx: &Ctx, l: &Layout, ratio: f64, images: &[JsValue]) -> Result<(), JsValue> {
    ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0)?;
    ctx.clear_rect(0.0, 0.0, l.width.into(), l.height.into());
    ctx.set_text_baseline("alphabetic");
    let mut images = images.iter();
    for c in &l.commands {
        match c {
            PosterCommand::Fill { color } => {
                ctx.set_fill_style_str(color);
                ctx.fill_rect(0.0, 0.0, l.width.into(), l.height.into());
            }
            PosterCommand::Rect { x, y, width, height, radius, fill, stroke, stroke_width } => {
                let b = PosterClip { x: *x, y: *y, width: *width, height: *height, radius: *radius };
                rect(ctx, &b, fill.as_deref(), stroke.as_deref(), stroke_width.unwrap_or(0))?;
            }
            PosterCommand::Image { sx, sy, sw, sh, dx, dy, dw, dh, clip, .. } => {
                // One loaded image per image command (`loaded`).
                if let Some(img) = images.next() {
                    image(ctx, img, [*sx, *sy, *sw, *sh, *dx, *dy, *dw, *dh], clip.as_ref())?;
                }
            }
            PosterCommand::Text { text: t, x, y, align, size, weight, color, max_width, .. } => {
                text(ctx, t, *x, *y, *align, *size, *weight, color, *max_width)?;
            }
            PosterCommand::Qr { x, y, size, background, code_x, code_y, module, color, runs } => {
                ctx.set_fill_style_str(background);
                ctx.fill_rect((*x).into(), (*y).into(), (*size).into(), (*size).into());
                ctx.set_fill_style_str(color);
                let m = f64::from(*module);
                for r in runs {
                    let [col, row, len] = r.0;
                    ctx.fill_rect(
                        f64::from(*code_x) + f64::from(col) * m,
                        f64::from(*code_y) + f64::from(row) * m,
                        f64::from(len) * m,
                        m,
                    );
                }
            }
        }
    }
    Ok(())
}

/// The path of a rounded rectangle (a circle when the radius is half its
/// side), by `arcTo`: a radius of 0 is straight corners.
fn path(ctx: &Ctx, b: &PosterClip) -> Result<(), JsValue> {
    let (x, y, r) = (f64::from(b.x), f64::from(b.y), f64::from(b.radius));
    let (right, bottom) = (x + f64::from(b.width), y + f64::from(b.height));
    ctx.begin_path();
    ctx.move_to(x + r, y);
    ctx.arc_to(right, y, right, bottom, r)?;
    ctx.arc_to(right, bottom, x, bottom, r)?;
    ctx.arc_to(x, bottom, x, y, r)?;
    ctx.arc_to(x, y, right, y, r)?;
    ctx.close_path();
    Ok(())
}

/// A (rounded) rectangle: filled, then stroked (centred on the edge, as
/// the SVG's).
fn rect(ctx: &Ctx, b: &PosterClip, fill: Option<&str>, stroke: Option<&str>, width: u32) -> Result<(), JsValue> {
    path(ctx, b)?;
    if let Some(f) = fill {
        ctx.set_fill_style_str(f);
        ctx.fill();
    }
    if let Some(s) = stroke {
        ctx.set_stroke_style_str(s);
        ctx.set_line_width(width.into());
        ctx.stroke();
    }
    Ok(())
}

/// `drawImage(img, sx, sy, sw, sh, dx, dy, dw, dh)`, inside its clip.
fn image(ctx: &Ctx, img: &JsValue, r: [u32; 8], clip: Option<&PosterClip>) -> Result<(), JsValue> {
    ctx.save();
    let mut drawn = Ok(());
    if let Some(b) = clip {
        drawn = path(ctx, b);
        ctx.clip();
    }
    if drawn.is_ok() {
        let [sx, sy, sw, sh, dx, dy, dw, dh] = r.map(f64::from);
        // Any image source the context draws; the cast checks nothing.
        drawn = ctx.draw_image_with_image_bitmap_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
            img.unchecked_ref::<ImageBitmap>(),
            sx,
            sy,
            sw,
            sh,
            dx,
            dy,
            dw,
            dh,
        );
    }
    ctx.restore();
    drawn
}

/// `fillText(text, x, y, max_width)` in `"<weight> <size>px <family>"`.
#[allow(clippy::too_many_arguments)]
fn text(
    ctx: &Ctx,
    t: &str,
    x: u32,
    y: u32,
    align: TextAlign,
    size: u32,
    weight: FontWeight,
    color: &str,
    max_width: u32,
) -> Result<(), JsValue> {
    let w = if weight == FontWeight::Bold { "bold" } else { "normal" };
    ctx.set_font(&format!("{w} {size}px {FONT_FAMILY}"));
    ctx.set_text_align(match align {
        TextAlign::Left => "left",
        TextAlign::Center => "center",
        TextAlign::Right => "right",
    });
    ctx.set_fill_style_str(color);
    ctx.fill_text_with_max_width(t, x.into(), y.into(), max_width.into())
}
