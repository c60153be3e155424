//! What the derives refuse, and the exact errors they give (the `.stderr`
//! beside each case in `tests/ui/`; `TRYBUILD=overwrite cargo test -p
//! siyu-derive --test compile_fail` writes them anew after a change of
//! wording, to be read before committing).
//!
//! Each refusal is a compile error rather than a silent difference from
//! what `Serialize` would write or a wrong reading of the input.

#[test]
fn refusals() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
