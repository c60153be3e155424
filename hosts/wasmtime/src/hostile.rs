//! Bad input through the raw face is an error value, never a trap, never
//! memory corruption. Every check runs on ONE instance; after all of them
//! the module must still answer exactly as it did before, and 1,000 further
//! calls (good and bad mixed) must not grow linear memory.
//!
//! `hosts/python/hostile.py` runs the same checks from wasmtime-py.

use std::cell::{Cell, RefCell};

use serde_json::Value;

use crate::{Failure, Result, Siyu, Wasm};

/// Where a hostile pointer goes, given the memory size at the call.
type PtrAt = fn(u32) -> u32;

/// 16 MiB: the largest input the module reads.
pub const MAX_INPUT: u32 = 16 << 20;

pub struct Report {
    pub passed: usize,
    pub total: usize,
}

/// The demo rules (`src/demo/rules.json`), as the native crate embeds
/// them: read from a path relative to the working directory, they were
/// missing when `cargo test` ran from `hosts/wasmtime`.
fn demo_rules() -> Result<Value, Failure> {
    serde_json::from_str(siyu::demo::RULES).map_err(|e| Failure(format!("src/demo/rules.json: {e}")))
}

/// A valid quote input with Chinese text in it (the demo rules and a cart).
fn quote_input(rules: &Value) -> String {
    let cart = serde_json::json!({
        "lines": [
            {"sku": "tea-longjing", "category": "tea", "unit_price": 16800, "quantity": 3},
            {"sku": "pot-clay", "category": "teaware", "unit_price": 32800, "quantity": 1},
        ],
        "coupons": "best",
    });
    serde_json::json!({"rules": rules, "cart": cart, "now": 1_795_600_000_000_i64}).to_string()
}

/// The error code of an envelope, or why it is not one.
fn error_code(text: &str) -> Result<String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("answer is not JSON ({e}): {}", clip(text)))?;
    match v.get("error").and_then(|e| e.get("code")).and_then(Value::as_str) {
        Some(c) => Ok(c.to_string()),
        None => Err(format!("expected an error envelope, got {}", clip(text))),
    }
}

fn first_problem(text: &str) -> String {
    let v: Value = serde_json::from_str(text).unwrap_or_default();
    v["error"]["problems"][0]["code"].as_str().unwrap_or("").to_string()
}

fn clip(s: &str) -> String {
    s.chars().take(200).collect()
}

fn expect_code(text: &str, code: &str) -> Result<()> {
    let got = error_code(text)?;
    if got == code {
        Ok(())
    } else {
        Err(format!("expected {code}, got {}", clip(text)))
    }
}

fn expect_syntax(text: &str) -> Result<()> {
    expect_code(text, "INPUT_INVALID")?;
    match first_problem(text).as_str() {
        "JSON_SYNTAX" => Ok(()),
        p => Err(format!("expected problem JSON_SYNTAX, got {p:?}: {}", clip(text))),
    }
}

fn f(e: Failure) -> String {
    e.0
}

/// Run every check; `log` receives one line per check.
pub fn run(wasm: &Wasm, log: &mut dyn FnMut(String)) -> Result<Report> {
    let mut s = wasm.instantiate()?;
    let rules = demo_rules().map_err(f)?;
    let good = quote_input(&rules);
    let reference = s.call("quote", good.as_bytes()).map_err(f)?.text;
    if !reference.starts_with("{\"ok\":") {
        return Err(format!("the reference quote failed: {}", clip(&reference)));
    }
    let validate_in = serde_json::json!({ "rules": rules }).to_string();
    let validate_ref = s.call("validate_rules", validate_in.as_bytes()).map_err(f)?.text;

    let passed = Cell::new(0);
    let total = Cell::new(0);
    let lines = RefCell::new(Vec::new());
    let note = |line: String| lines.borrow_mut().push(format!("note {line}"));
    let check = |s: &mut Siyu, name: &str, body: &mut dyn FnMut(&mut Siyu) -> Result<()>| -> Result<()> {
        total.set(total.get() + 1);
        match body(s) {
            Ok(()) => {
                passed.set(passed.get() + 1);
                lines.borrow_mut().push(format!("ok   {name}"));
            }
            Err(e) => lines.borrow_mut().push(format!("FAIL {name}: {e}")),
        }
        Ok(())
    };
    // A trap poisons nothing in these checks' bookkeeping, but later checks
    // need a working instance: `call` failures are reported, not propagated.

    // --- invalid UTF-8 -------------------------------------------------
    for (label, bytes) in [
        ("0xff 0xfe", &b"\xff\xfe"[..]),
        ("lone continuation byte", b"{\"a\":\"\x80\"}"),
        ("overlong encoding", b"{\"a\":\"\xc0\xaf\"}"),
        ("UTF-16 surrogate", b"{\"a\":\"\xed\xa0\x80\"}"),
        ("cut multi-byte character", b"{\"a\":\"\xe4\xb8\"}"),
        ("beyond U+10FFFF", b"\"\xf4\x90\x80\x80\""),
    ] {
        check(&mut s, &format!("input not UTF-8 ({label}) -> INPUT_NOT_UTF8"), &mut |s| {
            let a = s.call("quote", bytes).map_err(f)?;
            expect_code(&a.text, "INPUT_NOT_UTF8")?;
            let v: Value = serde_json::from_str(&a.text).map_err(|e| e.to_string())?;
            if v["error"]["path"] != "" {
                return Err(format!("path should be \"\": {}", a.text));
            }
            Ok(())
        })?;
    }
    check(&mut s, "operation name not UTF-8 -> INPUT_NOT_UTF8 at `op`", &mut |s| {
        let op = s.put(b"quo\xffte").map_err(f)?;
        let inp = s.put(b"{}").map_err(f)?;
        let a = s.call_at(op, 6, inp, 2).map_err(f)?;
        s.free(op, 6).map_err(f)?;
        s.free(inp, 2).map_err(f)?;
        expect_code(&a.text, "INPUT_NOT_UTF8")?;
        let v: Value = serde_json::from_str(&a.text).map_err(|e| e.to_string())?;
        if v["error"]["path"] != "op" {
            return Err(format!("path should be \"op\": {}", a.text));
        }
        Ok(())
    })?;

    // --- truncated and malformed JSON ------------------------------------
    check(&mut s, "the quote input cut at 97 places -> JSON_SYNTAX (or INPUT_NOT_UTF8 mid-character)", &mut |s| {
        let bytes = good.as_bytes();
        for k in 0..97 {
            let cut = bytes.len() * k / 97;
            let a = s.call("quote", &bytes[..cut]).map_err(f)?;
            let r = if std::str::from_utf8(&bytes[..cut]).is_ok() {
                expect_syntax(&a.text)
            } else {
                expect_code(&a.text, "INPUT_NOT_UTF8")
            };
            r.map_err(|e| format!("cut at {cut}: {e}"))?;
        }
        Ok(())
    })?;
    for (label, input) in [
        ("empty input", ""),
        ("only whitespace", " \n\t "),
        ("trailing garbage", "{}}"),
        ("two documents", "{} {}"),
        ("NUL byte", "{\u{0}}"),
        ("bare word", "quote"),
        ("number with no digit after the point", "{\"now\":1.}"),
        ("unterminated string", "{\"rules\":\"abc"),
        ("lone surrogate escape", "{\"a\":\"\\ud800\"}"),
    ] {
        check(&mut s, &format!("{label} -> INPUT_INVALID/JSON_SYNTAX"), &mut |s| {
            let a = s.call("validate_rules", input.as_bytes()).map_err(f)?;
            expect_syntax(&a.text)
        })?;
    }
    check(&mut s, "nesting 100,000 deep -> JSON_SYNTAX (recursion limit), no stack overflow", &mut |s| {
        let deep = "[".repeat(100_000);
        let a = s.call("validate_rules", deep.as_bytes()).map_err(f)?;
        expect_syntax(&a.text)
    })?;
    for (label, input) in [
        ("null", "null"),
        ("array", "[]"),
        ("string", "\"x\""),
        ("rules null", "{\"rules\":null}"),
        ("a number beyond every integer type", "{\"rules\":1e400}"),
    ] {
        check(&mut s, &format!("well-formed but wrong shape ({label}) -> INPUT_INVALID"), &mut |s| {
            let a = s.call("validate_rules", input.as_bytes()).map_err(f)?;
            expect_code(&a.text, "INPUT_INVALID")
        })?;
    }

    // --- operation names ---------------------------------------------------
    for (label, op) in [
        ("empty", String::new()),
        ("unknown", "nope".into()),
        ("NUL inside", "quote\0".into()),
        ("1 MiB long", "q".repeat(1 << 20)),
    ] {
        check(&mut s, &format!("operation name {label} -> UNKNOWN_OPERATION"), &mut |s| {
            let a = s.call(&op, b"{}").map_err(f)?;
            expect_code(&a.text, "UNKNOWN_OPERATION")?;
            if a.text.len() > 2000 {
                return Err(format!("the error echoes {} bytes of the name", a.text.len()));
            }
            Ok(())
        })?;
    }

    // --- wrong lengths -------------------------------------------------------
    check(&mut s, "input length shorter than the JSON -> JSON_SYNTAX", &mut |s| {
        let op = s.put(b"quote").map_err(f)?;
        let inp = s.put(good.as_bytes()).map_err(f)?;
        let a = s.call_at(op, 5, inp, good.len() as u32 / 2).map_err(f);
        s.free(op, 5).map_err(f)?;
        s.free(inp, good.len() as u32).map_err(f)?;
        let text = a?.text;
        if std::str::from_utf8(&good.as_bytes()[..good.len() / 2]).is_ok() {
            expect_syntax(&text)
        } else {
            expect_code(&text, "INPUT_NOT_UTF8")
        }
    })?;
    check(&mut s, "input length 4 KiB past the JSON (still in memory) -> an error envelope", &mut |s| {
        let op = s.put(b"validate_rules").map_err(f)?;
        let inp = s.put(b"{}").map_err(f)?;
        let a = s.call_at(op, 14, inp, 2 + 4096).map_err(f);
        s.free(op, 14).map_err(f)?;
        s.free(inp, 2).map_err(f)?;
        error_code(&a?.text).map(|_| ())
    })?;
    check(&mut s, "operation length one short (`quot`) -> UNKNOWN_OPERATION", &mut |s| {
        let op = s.put(b"quote").map_err(f)?;
        let inp = s.put(b"{}").map_err(f)?;
        let a = s.call_at(op, 4, inp, 2).map_err(f);
        s.free(op, 5).map_err(f)?;
        s.free(inp, 2).map_err(f)?;
        expect_code(&a?.text, "UNKNOWN_OPERATION")
    })?;
    check(
        &mut s,
        "zero lengths with null pointers -> JSON_SYNTAX (the input is parsed before the name is looked up)",
        &mut |s| expect_syntax(&s.call_at(0, 0, 0, 0).map_err(f)?.text),
    )?;

    // --- pointers outside linear memory, huge lengths ---------------------------
    // Each pointer is worked out from the memory size at the moment of the
    // call (memory may have grown in between).
    let cases: [(&str, PtrAt, u32); 8] = [
        ("input at the first byte past memory", |m| m, 1),
        ("input straddling the end of memory", |m| m - 1, 2),
        ("input at 0xFFFFFFFF", |_| u32::MAX, 1),
        ("input wrapping past 2^32", |_| 0xFFFF_FFF0, 0x20),
        ("input at the null pointer", |_| 0, 5),
        ("input length 0xFFFFFFFF (-1 as i32)", |_| 1024, u32::MAX),
        ("input length 0x80000000 (i32::MIN)", |_| 1024, 0x8000_0000),
        ("input length 3 GiB", |_| 1024, 3 << 30),
    ];
    for (label, ptr, len) in cases {
        check(&mut s, &format!("{label} -> INPUT_OUT_OF_BOUNDS"), &mut |s| {
            let op = s.put(b"quote").map_err(f)?;
            let mem = s.memory_bytes() as u32;
            let a = s.call_at(op, 5, ptr(mem), len).map_err(f);
            s.free(op, 5).map_err(f)?;
            expect_code(&a?.text, "INPUT_OUT_OF_BOUNDS")
        })?;
    }
    check(&mut s, "operation name outside memory -> INPUT_OUT_OF_BOUNDS", &mut |s| {
        let inp = s.put(b"{}").map_err(f)?;
        let a = s.call_at(u32::MAX - 2, 5, inp, 2).map_err(f);
        s.free(inp, 2).map_err(f)?;
        expect_code(&a?.text, "INPUT_OUT_OF_BOUNDS")
    })?;
    check(&mut s, "zero length at a wild pointer is the empty input -> JSON_SYNTAX", &mut |s| {
        let op = s.put(b"quote").map_err(f)?;
        let a = s.call_at(op, 5, u32::MAX, 0).map_err(f);
        s.free(op, 5).map_err(f)?;
        expect_syntax(&a?.text)
    })?;

    // --- allocation limits -----------------------------------------------------
    for (label, len) in [("16 MiB + 5", MAX_INPUT + 5), ("2 GiB", 1 << 31), ("0xFFFFFFFF", u32::MAX)] {
        check(&mut s, &format!("siyu_alloc({label}) -> 0, no trap"), &mut |s| match s.alloc(len).map_err(f)? {
            0 => Ok(()),
            p => Err(format!("got a buffer at {p}")),
        })?;
    }
    check(&mut s, "siyu_alloc(0) -> a buffer that siyu_free(ptr, 0) takes back", &mut |s| {
        let p = s.alloc(0).map_err(f)?;
        if p == 0 {
            return Err("refused".into());
        }
        s.free(p, 0).map_err(f)
    })?;

    note(format!("linear memory before the huge payloads: {} B", s.memory_bytes()));
    // --- huge payloads ------------------------------------------------------------
    check(&mut s, "16 MiB string where the rules go -> INPUT_INVALID (wrong type)", &mut |s| {
        let mut big = Vec::with_capacity(MAX_INPUT as usize);
        big.extend_from_slice(b"{\"rules\":\"");
        big.resize(MAX_INPUT as usize - 2, b'a');
        big.extend_from_slice(b"\"}");
        let a = s.call("validate_rules", &big).map_err(f)?;
        note(format!(
            "the 16 MiB string answer is {} bytes ({} instructions, about 7 a byte read): the message quotes the value's first 100 characters",
            a.text.len(),
            a.fuel
        ));
        // The refusal quotes a clip of the value, never the whole of it.
        if a.text.len() >= 1024 {
            return Err(format!("a {}-byte answer to a 16 MiB string", a.text.len()));
        }
        expect_code(&a.text, "INPUT_INVALID")?;
        match first_problem(&a.text).as_str() {
            "WRONG_TYPE" => Ok(()),
            p => Err(format!("expected WRONG_TYPE, got {p}")),
        }
    })?;
    check(&mut s, "16 MiB of `[` -> JSON_SYNTAX", &mut |s| {
        let a = s.call("quote", &vec![b'['; MAX_INPUT as usize]).map_err(f)?;
        expect_syntax(&a.text)
    })?;
    check(&mut s, "16 MiB + 1 byte (in host-grown pages) -> INPUT_TOO_LARGE, unread", &mut |s| {
        let len = MAX_INPUT + 1;
        let at = s.grow((len as u64).div_ceil(65_536)).map_err(f)?;
        s.write(at, &vec![b' '; len as usize]).map_err(f)?;
        let op = s.put(b"quote").map_err(f)?;
        let a = s.call_at(op, 5, at, len).map_err(f);
        s.free(op, 5).map_err(f)?;
        expect_code(&a?.text, "INPUT_TOO_LARGE")
    })?;
    check(&mut s, "a good input in memory the module never allocated -> the same answer", &mut |s| {
        let at = s.grow((good.len() as u64).div_ceil(65_536)).map_err(f)?;
        s.write(at, good.as_bytes()).map_err(f)?;
        let op = s.put(b"quote").map_err(f)?;
        let a = s.call_at(op, 5, at, good.len() as u32).map_err(f);
        s.free(op, 5).map_err(f)?;
        let a = a?;
        if a.text == reference {
            Ok(())
        } else {
            Err(format!("differs: {}", clip(&a.text)))
        }
    })?;
    check(&mut s, "a good input at an odd address inside a buffer -> the same answer", &mut |s| {
        let n = good.len() as u32 + 3;
        let buf = s.alloc(n).map_err(f)?;
        s.write(buf + 3, good.as_bytes()).map_err(f)?;
        let op = s.put(b"quote").map_err(f)?;
        let a = s.call_at(op, 5, buf + 3, good.len() as u32).map_err(f);
        s.free(op, 5).map_err(f)?;
        s.free(buf, n).map_err(f)?;
        let a = a?;
        if a.text == reference {
            Ok(())
        } else {
            Err(format!("differs: {}", clip(&a.text)))
        }
    })?;

    // --- careless frees ----------------------------------------------------------------
    check(&mut s, "wild, double, wrong-length and null frees are ignored", &mut |s| {
        let p = s.alloc(64).map_err(f)?;
        s.free(p, 63).map_err(f)?; // wrong length: ignored, still live
        s.free(p + 8, 56).map_err(f)?; // inside a buffer: ignored
        s.free(p, 64).map_err(f)?; // the real free
        s.free(p, 64).map_err(f)?; // double free: ignored
        s.free(0, 0).map_err(f)?;
        s.free(0, 10).map_err(f)?;
        s.free(u32::MAX, 4).map_err(f)?;
        s.free(1024, 4096).map_err(f)?; // the data section
        s.free(s.memory_bytes() as u32 + 65_536, 16).map_err(f)?; // past memory
                                                                  // The allocator must be intact: two live buffers never overlap.
        let a = s.alloc(64).map_err(f)?;
        let b = s.alloc(64).map_err(f)?;
        s.write(a, &[0xAA; 64]).map_err(f)?;
        s.write(b, &[0xBB; 64]).map_err(f)?;
        let r = s.call("quote", good.as_bytes()).map_err(f)?;
        s.free(a, 64).map_err(f)?;
        s.free(b, 64).map_err(f)?;
        if a.abs_diff(b) < 64 {
            return Err(format!("overlapping buffers {a} and {b}"));
        }
        if r.text != reference {
            return Err(format!("quote differs afterwards: {}", clip(&r.text)));
        }
        Ok(())
    })?;

    // --- still working, and no unbounded growth --------------------------------------------
    check(&mut s, "after all of the above the module answers exactly as before", &mut |s| {
        let q = s.call("quote", good.as_bytes()).map_err(f)?;
        let v = s.call("validate_rules", validate_in.as_bytes()).map_err(f)?;
        if q.text != reference {
            return Err(format!("quote differs: {}", clip(&q.text)));
        }
        if v.text != validate_ref {
            return Err(format!("validate_rules differs: {}", clip(&v.text)));
        }
        Ok(())
    })?;
    // On this battered instance, and on a fresh one, where a leak of even a
    // few hundred bytes a call would cross a 64 KiB page within 1,000 calls.
    for (label, fresh) in [("this instance", false), ("a fresh instance", true)] {
        let mut growth = String::new();
        let mut other = if fresh { Some(wasm.instantiate()?) } else { None };
        let inst = match other.as_mut() {
            Some(o) => o,
            None => &mut s,
        };
        check(inst, &format!("1,000 mixed calls on {label} do not grow linear memory"), &mut |s| {
            let (warm, end) = thousand_calls(s, &good, &reference)?;
            growth = format!("{label}: linear memory after 100 calls {warm} B, after 1,000 calls {end} B");
            if end != warm {
                return Err(growth.clone());
            }
            Ok(())
        })?;
        note(growth);
    }
    for line in lines.into_inner() {
        log(line);
    }
    Ok(Report { passed: passed.get(), total: total.get() })
}

/// 1,000 calls, good and bad mixed, each one's buffers freed: a good quote,
/// invalid UTF-8, truncated JSON, an input outside memory, an unknown
/// operation, and a 64 KiB input the module must copy (it lies in pages the
/// host grew). Returns linear memory after 100 and after 1,000 calls.
pub fn thousand_calls(s: &mut Siyu, good: &str, reference: &str) -> Result<(u64, u64)> {
    let bad_utf8 = b"{\"a\":\"\xff\"}";
    let cut = &good.as_bytes()[..good.len() / 3];
    let mut padded = vec![b' '; 65_536];
    padded[..2].copy_from_slice(b"{}");
    let outside = s.grow(1).map_err(f)?;
    s.write(outside, &padded).map_err(f)?;
    let mut warm = 0;
    for i in 0..1000 {
        let text = match i % 6 {
            0 => s.call("quote", good.as_bytes()).map_err(f)?.text,
            1 => s.call("quote", bad_utf8).map_err(f)?.text,
            2 => s.call("quote", cut).map_err(f)?.text,
            3 => {
                let op = s.put(b"quote").map_err(f)?;
                let a = s.call_at(op, 5, u32::MAX - 10, 100).map_err(f);
                s.free(op, 5).map_err(f)?;
                a?.text
            }
            4 => {
                let op = s.put(b"quote").map_err(f)?;
                let a = s.call_at(op, 5, outside, padded.len() as u32).map_err(f);
                s.free(op, 5).map_err(f)?;
                a?.text
            }
            _ => s.call("no_such_op", b"{}").map_err(f)?.text,
        };
        if i % 6 == 0 && text != reference {
            return Err(format!("call {i}: the quote differs"));
        }
        if i % 6 != 0 && !text.starts_with("{\"error\":") {
            return Err(format!("call {i}: expected an error: {}", clip(&text)));
        }
        if i == 99 {
            warm = s.memory_bytes();
        }
    }
    Ok((warm, s.memory_bytes()))
}
