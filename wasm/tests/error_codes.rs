//! `wasm/js/error_codes.d.ts`, the TypeScript union `ErrorCode` that types
//! `ErrorInfo.code` and `SiyuError.code` in the package's `.d.ts`, is
//! generated from `siyu::code::ALL` and committed; this test fails when the
//! two differ. Regenerate it with
//!
//! ```text
//! SIYU_BLESS=1 cargo test -p siyu-wasm --test error_codes
//! ```

use std::fs;
use std::path::Path;

fn render() -> String {
    let mut out = String::from(
        "\n/**\n * Every code an answer can carry: refusals, the problems inside them, why a\n \
         * coupon does not apply, and the notes of a quote (docs/rules.md §8.2).\n \
         * Generated from `siyu::code::ALL` by wasm/tests/error_codes.rs: do not edit.\n */\n\
         export type ErrorCode =\n",
    );
    for code in siyu::code::ALL {
        out.push_str(&format!("    | \"{code}\"\n"));
    }
    out.push_str("    ;\n");
    out
}

#[test]
fn the_committed_union_is_code_all() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("js").join("error_codes.d.ts");
    let want = render();
    if std::env::var_os("SIYU_BLESS").is_some() {
        fs::write(&path, &want).expect("writable");
        return;
    }
    let have = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{} differs from siyu::code::ALL: run `SIYU_BLESS=1 cargo test -p siyu-wasm --test error_codes` and commit it",
        path.display()
    );
}
