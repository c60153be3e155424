//! The demo rule set without its whitespace (`$OUT_DIR/rules.json`, its
//! path in `siyu_demo_rules`), for `siyu::demo::RULES`.
//! `src/demo/rules.json` is laid out for people to read; the `.wasm`
//! carries the text itself (the `demo_rules` operation parses it and writes
//! it back canonically), and its indentation and line breaks were 1.5 KB of
//! the module. No dependency: whitespace outside strings is all that is
//! dropped, so the value is the same.

use std::{env, fs, path::Path};

fn main() {
    let src = "src/demo/rules.json";
    println!("cargo:rerun-if-changed={src}");
    let text = fs::read_to_string(src).expect("src/demo/rules.json");
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else if matches!(c, ' ' | '\t' | '\n' | '\r') {
            continue;
        }
        out.push(c);
    }
    let dest = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("rules.json");
    fs::write(&dest, out).expect("write the compact demo rules");
    println!("cargo:rustc-env=siyu_demo_rules={}", dest.display());
}
