//! `siyu-wasmtime posters`: the server's path from template to PNG, checked.
//!
//! For every `render_poster` vector of the corpus that answers a poster:
//! the module (through the raw face) writes the SVG, which must be the
//! vector's; host code rasterises it (resvg, [`crate::poster`]) at a
//! device-pixel ratio of 1 and compares it with the committed reference
//! `tests/posters/<vector>.png` within the stated tolerance; then at a ratio
//! of 2 rqrr decodes every QR code out of the pixels, which must be exactly
//! the template's QR contents with the fields filled, and each `scene=` in
//! them must be a scene the module's `parse_scene` accepts.

use std::path::{Path, PathBuf};

use resvg::tiny_skia::Pixmap;
use serde_json::Value;

use crate::conformance::Vector;
use crate::poster::{compare, decode_qr, expected_qr_contents, scene_of, Rasteriser};
use crate::{Result, Wasm};

pub struct Options<'a> {
    /// where the references are (`tests/posters`)
    pub references: &'a Path,
    /// where each rendering is written, to look at (`target/posters`)
    pub out: &'a Path,
    /// write the renderings as the new references instead of comparing
    pub bless: bool,
}

pub struct Report {
    pub checked: usize,
    pub failures: Vec<String>,
    pub lines: Vec<String>,
}

/// The vector's file name without `.json`, slashes as `__`.
fn stem(v: &Vector) -> String {
    v.name.trim_end_matches(".json").replace(['/', '\\'], "__")
}

pub fn run(wasm: &Wasm, vectors: &[Vector], opt: &Options) -> Result<Report> {
    let raster = Rasteriser::new()?;
    let mut siyu = wasm.instantiate()?;
    std::fs::create_dir_all(opt.out).map_err(|e| format!("{}: {e}", opt.out.display()))?;
    if opt.bless {
        std::fs::create_dir_all(opt.references).map_err(|e| format!("{}: {e}", opt.references.display()))?;
    }
    let mut report = Report { checked: 0, failures: Vec::new(), lines: Vec::new() };
    for v in vectors.iter().filter(|v| v.op == "render_poster" && v.expected.starts_with("{\"ok\"")) {
        report.checked += 1;
        if let Err(e) = check(&mut siyu, &raster, v, opt, &mut report.lines) {
            report.failures.push(format!("{}: {e}", v.name));
        }
    }
    Ok(report)
}

fn check(
    siyu: &mut crate::Siyu,
    raster: &Rasteriser,
    v: &Vector,
    opt: &Options,
    lines: &mut Vec<String>,
) -> Result<()> {
    let answer = siyu.call(&v.op, v.input.as_bytes()).map_err(|e| e.0)?;
    if answer.text != v.expected {
        return Err("the module's answer is not the vector's (see `conformance`)".into());
    }
    let doc: Value = serde_json::from_str(&answer.text).map_err(|e| e.to_string())?;
    let svg = doc["ok"]["svg"].as_str().ok_or("the answer has no `ok.svg`")?;
    let name = stem(v);

    // The picture against its reference.
    let pixmap = raster.pixmap(svg, 1)?;
    let png = pixmap.encode_png().map_err(|e| e.to_string())?;
    write(&opt.out.join(format!("{name}.png")), &png)?;
    let reference: PathBuf = opt.references.join(format!("{name}.png"));
    if opt.bless {
        write(&reference, &png)?;
        lines.push(format!("blessed {}", reference.display()));
    } else {
        let want = Pixmap::load_png(&reference)
            .map_err(|e| format!("{}: {e} (bless with `siyu-wasmtime posters --bless`)", reference.display()))?;
        let c = compare(&pixmap, &want).ok_or_else(|| {
            format!("{}×{} px, the reference is {}×{}", pixmap.width(), pixmap.height(), want.width(), want.height())
        })?;
        lines.push(format!("{name}: {} of {} pixels differ", c.differing, c.total));
        if !c.within_tolerance() {
            return Err(format!(
                "{} of {} pixels differ from {} (look at {})",
                c.differing,
                c.total,
                reference.display(),
                opt.out.join(format!("{name}.png")).display()
            ));
        }
    }

    // The QR codes, decoded by rqrr from the picture at twice the size.
    let input: Value = serde_json::from_str(&v.input).map_err(|e| e.to_string())?;
    let mut want = expected_qr_contents(&input);
    if want.is_empty() {
        return Ok(());
    }
    let big = raster.pixmap(svg, 2)?;
    let mut got = decode_qr(big.width(), big.height(), big.data());
    want.sort();
    got.sort();
    if got != want {
        return Err(format!("the QR codes decode to {got:?}, not {want:?}"));
    }
    for content in &want {
        if let Some(scene) = scene_of(content) {
            let a = siyu
                .call("parse_scene", serde_json::json!({ "scene": scene }).to_string().as_bytes())
                .map_err(|e| e.0)?;
            if !a.text.starts_with("{\"ok\"") {
                return Err(format!("the decoded scene {scene} is refused: {}", a.text));
            }
            lines.push(format!("{name}: QR → {content} → {}", a.text));
        } else {
            lines.push(format!("{name}: QR → {content}"));
        }
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}
