//! The wasm-bindgen JS face: every operation of [`siyu::ops::OPERATIONS`]
//! as a camelCase JS function over plain JS objects, plus `call(op, json)`
//! for exact JSON text in and out.
//!
//! - Every function and `call` run in the instance's one session: after
//!   `prepareRules(rules)`, inputs may name those rules by fingerprint,
//!   `{rules: {prepared: "sha256:…"}}`, for the same answers.
//! - A function carries JSON *text* across the boundary and runs exactly the
//!   path of the raw ABI and `call`: the input is written with
//!   `JSON.stringify` (in `wasm/js/to_json.js`), answered by
//!   [`siyu::ops::answer`] and read back with `JSON.parse`. So
//!   `JSON.stringify` of a result equals the `ok` of `call`. `undefined` and
//!   `null` read as `{}`.
//! - A refusal is thrown as a JS `Error` (`name` = `"SiyuError"`) whose
//!   message reads `CODE at path: english / 中文` and which carries `code`,
//!   `path`, `zh`, `en` and, when there are several, `problems`.
//! - JS numbers are exact only up to 2^53 − 1. An input number beyond that
//!   is read as the float it is, so where an integer is expected it is
//!   refused (`INPUT_INVALID`, `WRONG_TYPE` at its path); a `BigInt` is read
//!   as the number of the same value, so only up to 2^53 − 1. A result
//!   holding an integer beyond 2^53 − 1 is refused (`UNSAFE_INTEGER`)
//!   rather than rounded by `JSON.parse`; `call` has no such limit.
//! - What JSON cannot carry — a function, a symbol, a cycle — is refused
//!   (`INPUT_INVALID` with a `WRONG_TYPE` problem at its path), never
//!   dropped. Nesting deeper than 128 levels is refused by the core, as
//!   for JSON text.
//!
//! TypeScript: every parameter and result is typed with declarations that
//! `tsify` derives from the core's serde types, so the `.d.ts` cannot drift
//! from the Rust (feature `ts`: a second build, see `scripts/build-wasm.sh`).

use siyu::ops;
use siyu::{code, Error};
use std::borrow::Cow;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/to_json.js")]
extern "C" {
    /// `JSON.stringify(value)`, or throws `[path, why]` if it cannot be
    /// written. (`catch` and the `String` make wasm-bindgen import it
    /// through its glue, so the module imports from `./siyu_wasm_bg.js`
    /// only.)
    #[wasm_bindgen(js_name = toJson, catch)]
    fn to_json(value: &JsValue) -> Result<String, JsValue>;
}

// The few JS built-ins this face calls, declared here rather than taken
// from js-sys, whose wrappers are a little larger and whose exports bring
// closure shims along (without feature `ts`, the module links no js-sys).
#[wasm_bindgen]
extern "C" {
    /// A JS `Error`.
    #[wasm_bindgen(js_name = Error)]
    type JsErr;
    #[wasm_bindgen(constructor, js_class = Error)]
    fn new(message: &str) -> JsErr;
    #[wasm_bindgen(method, setter, js_class = Error, js_name = name)]
    fn set_name(this: &JsErr, name: &str);

    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub(crate) fn json_parse(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    pub(crate) fn reflect_get(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = Object, js_name = assign)]
    fn object_assign(target: &JsValue, source: &JsValue) -> JsValue;
}

/// A JS `Error` carrying the fields of `e`.
pub(crate) fn to_js_error(e: Error) -> JsValue {
    let err = JsErr::new(&e.to_string());
    err.set_name("SiyuError");
    // The fields as the envelope writes them (`problems` only when there are any).
    if let Ok(env) = json_parse(&ops::envelope(Err(e))) {
        if let Ok(fields) = reflect_get(&env, &JsValue::from_str("error")) {
            object_assign(&err, &fields);
        }
    }
    err.into()
}

/// Run one operation on a JS value; `undefined` and `null` read as `{}`.
fn run(op: &str, input: JsValue) -> Result<JsValue, JsValue> {
    run_text(op, &input_text(&input)?)
}

/// The JSON text of an input (`undefined` and `null` read as `{}`), or the
/// refusal of what JSON cannot carry.
pub(crate) fn input_text(input: &JsValue) -> Result<String, JsValue> {
    if input.is_undefined() || input.is_null() {
        Ok(String::from("{}"))
    } else {
        to_json(input).map_err(|why| to_js_error(not_json(why)))
    }
}

/// Run one operation on the JSON text of a JS value.
fn run_text(op: &str, text: &str) -> Result<JsValue, JsValue> {
    let out = crate::in_session(|s| s.answer(op, &unsafe_integers_as_floats(text))).map_err(to_js_error)?;
    if let Some((start, end)) = unsafe_integer(out.as_bytes(), 0) {
        // ASCII digits; `get` because a `str` index that could panic brings
        // core's panic message code into the module.
        let n = out.get(start..end).unwrap_or_default();
        return Err(to_js_error(Error::new(
            code::UNSAFE_INTEGER,
            "",
            format!("结果中的数字 {n} 超出 JS 安全整数范围（2^53），请用 call() 取得精确的 JSON 文本"),
            format!(
                "the result holds {n}, beyond JavaScript's safe integer range (2^53); use call() for exact JSON text"
            ),
        )));
    }
    json_parse(&out).map_err(|_| {
        to_js_error(Error::new(code::INTERNAL, "", "内部错误：结果不是 JSON", "internal error: the answer is not JSON"))
    })
}

/// The refusal of a value `toJson` could not write; `why` is what it threw,
/// `[path, why]`.
fn not_json(why: JsValue) -> Error {
    // `why[i]`, as a string (`toJson` throws strings there).
    let at = |i: u32| reflect_get(&why, &JsValue::from(i)).ok().and_then(|v| v.as_string()).unwrap_or_default();
    let mut top = Error::new(code::INPUT_INVALID, "", "输入无效", "the input is invalid");
    top.problems.push(Error::new(
        code::WRONG_TYPE,
        at(0),
        "输入含有无法转换为 JSON 的 JS 值（函数、Symbol、循环引用），或嵌套过深",
        at(1),
    ));
    top
}

/// Largest integer a JS number holds exactly: 2^53 − 1.
const MAX_SAFE: &[u8] = b"9007199254740991";

/// The byte range of the first integer literal at or after `from` in JSON
/// text `json`, outside strings, whose magnitude is beyond 2^53 − 1, sign
/// included. Floats (with `.` or an exponent) do not count.
fn unsafe_integer(json: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while i < json.len() {
        match json[i] {
            b'"' => {
                i += 1;
                while i < json.len() && json[i] != b'"' {
                    i += if json[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let sign = i;
                if json[i] == b'-' {
                    i += 1;
                }
                let start = i;
                while i < json.len() && json[i].is_ascii_digit() {
                    i += 1;
                }
                let digits = &json[start..i];
                let float = i < json.len() && matches!(json[i], b'.' | b'e' | b'E');
                while i < json.len() && matches!(json[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') {
                    i += 1;
                }
                // JSON integers have no leading zeros: more digits = larger.
                if !float && (digits.len() > MAX_SAFE.len() || (digits.len() == MAX_SAFE.len() && digits > MAX_SAFE)) {
                    return Some((sign, start + digits.len()));
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// `json` with every integer beyond 2^53 − 1 written as a float (`….0`):
/// that is what the JS number was, so where the core expects an integer it
/// refuses it at its path, instead of reading digits that `JSON.stringify`
/// wrote for a rounded number.
pub(crate) fn unsafe_integers_as_floats(json: &str) -> Cow<'_, str> {
    let Some(mut at) = unsafe_integer(json.as_bytes(), 0) else { return Cow::Borrowed(json) };
    let mut out = String::with_capacity(json.len() + 8);
    let mut done = 0;
    loop {
        out.push_str(json.get(done..at.1).unwrap_or_default());
        out.push_str(".0");
        done = at.1;
        match unsafe_integer(json.as_bytes(), done) {
            Some(next) => at = next,
            None => break,
        }
    }
    out.push_str(json.get(done..).unwrap_or_default());
    Cow::Owned(out)
}

/// Run operation `op` (its table name, e.g. `"apply_event"`) on JSON text
/// and return JSON text: `{"ok":…}` or `{"error":{…}}`, keys sorted. Never
/// throws; exact for any number the core accepts. An `op` or `json` that is
/// not a string (an object passed where its JSON text belongs) is answered
/// with the error envelope (`INPUT_INVALID`, a `WRONG_TYPE` problem at
/// `op` or at the input).
#[wasm_bindgen(js_name = call)]
pub fn call(
    #[wasm_bindgen(unchecked_param_type = "string")] op: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] json: JsValue,
) -> String {
    // Taken as `JsValue`, not `&str`: the glue's string conversion would
    // throw a JS `TypeError` on a non-string before Rust saw the call.
    match (op.as_string(), json.as_string()) {
        (Some(op), Some(json)) => crate::in_session(|s| s.call(&op, &json)),
        (op, _) => {
            let mut top = Error::new(code::INPUT_INVALID, "", "输入无效", "the input is invalid");
            top.problems.push(if op.is_none() {
                Error::new(
                    code::WRONG_TYPE,
                    "op",
                    "call 的第一个参数是操作名（字符串，如 \"quote\"）",
                    "call's first argument is the operation's name, a string such as \"quote\"",
                )
            } else {
                Error::new(
                    code::WRONG_TYPE,
                    "",
                    "call 的第二个参数是 JSON 文本（字符串）：请传 JSON.stringify(输入)，或改用该操作的函数，如 quote(对象)",
                    "call's second argument is JSON text (a string): pass JSON.stringify(input), or use the operation's function, such as quote(object)",
                )
            });
            ops::envelope(Err(top))
        }
    }
}

/// Rules from anywhere (JSON read from a file, a form, the network) as
/// `Rules`: the same value back once `validateRules` accepts it, else the
/// `SiyuError` listing every problem (paths start at `rules`).
#[wasm_bindgen(js_name = checkRules, unchecked_return_type = "Rules")]
pub fn check_rules(#[wasm_bindgen(unchecked_param_type = "unknown")] rules: JsValue) -> Result<JsValue, JsValue> {
    let text = if rules.is_undefined() {
        String::from("null")
    } else {
        to_json(&rules).map_err(|why| to_js_error(not_json(why)))?
    };
    run_text("validate_rules", &format!("{{\"rules\":{text}}}"))?;
    Ok(rules)
}

/// One exported function per operation, and [`EXPORTS`] listing them, from
/// one list, so the two cannot disagree.
macro_rules! exports {
    ($( $(#[$meta:meta])* $op:ident => $js:ident ($param:ident = $in_ts:tt) -> $out_ts:tt; )*) => {
        $(
            $(#[$meta])*
            #[wasm_bindgen(js_name = $js, unchecked_return_type = $out_ts)]
            pub fn $op(#[wasm_bindgen($param = $in_ts)] input: JsValue) -> Result<JsValue, JsValue> {
                run(stringify!($op), input)
            }
        )*
        /// `(operation, JS export)` for every function above.
        pub const EXPORTS: &[(&str, &str)] = &[$((stringify!($op), stringify!($js))),*];
    };
}

// Docs as `#[doc = "…"]`, not `///`: through `macro_rules`, a `///` line
// reaches wasm-bindgen as a raw string token, which it wrote into the
// `.d.ts` as `r" Price a cart…`.
exports! {
    #[doc = "Check a rule set; its fingerprint and counts. Throws `RULES_INVALID`"]
    #[doc = "listing every problem."]
    validate_rules => validateRules(unchecked_param_type = "RulesInput") -> "RulesCheck";
    #[doc = "Check a rule set and keep it in this instance (at most 4; a fifth drops the"]
    #[doc = "one prepared longest ago): later calls pass `{rules: {prepared: fingerprint}}`"]
    #[doc = "and are answered the same. Throws as `validateRules`; refused rules are not kept."]
    prepare_rules => prepareRules(unchecked_param_type = "RulesInput") -> "RulesCheck";
    #[doc = "Price a cart for a member (or a guest) at a moment."]
    quote => quote(unchecked_param_type = "QuoteInput") -> "Quote";
    #[doc = "Book one event on a member's state: the new state and the events it makes"]
    #[doc = "for other members (append both in one transaction), and for `order_refunded`"]
    #[doc = "the `refund` receipt of what went back; or throw why not."]
    apply_event => applyEvent(unchecked_param_type = "ApplyEventInput") -> "Booked";
    #[doc = "Fold a member's whole event log into a state."]
    replay => replay(unchecked_param_type = "ReplayInput") -> "Member";
    #[doc = "Tier, progress, review outlook, points and benefits."]
    member_summary => memberSummary(unchecked_param_type = "MemberViewInput") -> "Summary";
    #[doc = "Points balance, lots and history."]
    points_history => pointsHistory(unchecked_param_type = "MemberViewInput") -> "History";
    #[doc = "Every coupon the member holds, with its status."]
    coupon_wallet => couponWallet(unchecked_param_type = "MemberViewInput") -> "WalletEntry[]";
    #[doc = "Which members a targeted coupon template reaches."]
    eligible_members => eligibleMembers(unchecked_param_type = "EligibleMembersInput") -> "Targeting";
    #[doc = "A member's, guide's, store's or channel's code and its 小程序码 scene (at most"]
    #[doc = "32 characters), with the scene as a URL query value. Numbers up to 2^53 − 1."]
    make_scene => makeScene(unchecked_param_type = "SceneParts") -> "Made";
    #[doc = "What a scene (or a bare code) names; throws `SCENE_*` when it is too long,"]
    #[doc = "has a bad character, is malformed or fails its check."]
    parse_scene => parseScene(unchecked_param_type = "ParseSceneInput") -> "Parsed";
    #[doc = "A channel scan's staff member (smooth weighted round-robin from the host's"]
    #[doc = "counter) and tags; throws `UNKNOWN_CHANNEL` when no channel matches."]
    assign_contact => assignContact(unchecked_param_type = "AssignContactInput") -> "Assigned";
    #[doc = "Scans, joins, first orders, GMV, refunds and conversion per channel and per"]
    #[doc = "guide over local days (at most 10,000 contacts a call)."]
    channel_stats => channelStats(unchecked_param_type = "ChannelStatsInput") -> "ChannelStats";
    #[doc = "Who changed lifecycle segment since a date (at most 10,000 members a call),"]
    #[doc = "with the action the rules attach to the move."]
    lifecycle_alerts => lifecycleAlerts(unchecked_param_type = "LifecycleAlertsInput") -> "Alerts";
    #[doc = "Check a poster template: its size, the fields and images it uses and its"]
    #[doc = "fingerprint. Throws `TEMPLATE_INVALID` listing every problem."]
    validate_poster => validatePoster(unchecked_param_type = "ValidatePosterInput") -> "PosterCheck";
    #[doc = "A poster as one self-contained SVG string (images inlined, QR as paths),"]
    #[doc = "the same bytes on every host; missing images are drawn as placeholders."]
    render_poster => renderPoster(unchecked_param_type = "PosterInput") -> "PosterSvg";
    #[doc = "The same poster as Canvas 2D drawing commands (integer CSS px) to replay on"]
    #[doc = "a context scaled to the device-pixel ratio."]
    poster_commands => posterCommands(unchecked_param_type = "PosterInput") -> "PosterCommands";
    #[doc = "Every operation's name and summary."]
    operations => operations(unchecked_optional_param_type = "NoInput") -> "OperationInfo[]";
}

#[wasm_bindgen(typescript_custom_section)]
const TS_HAND_WRITTEN: &str = r#"
/**
 * Rules `prepareRules` kept in this instance, named by the fingerprint it
 * returned. Unknown to the instance: `RULES_NOT_PREPARED` (prepare, retry).
 */
export interface PreparedRules {
    prepared: string;
}

/** What `validateRules` and `prepareRules` return. */
export interface RulesCheck {
    fingerprint: string;
    schema: number;
    tiers: number;
    coupons: number;
    campaigns: number;
}

/** One entry of `operations()`. */
export interface OperationInfo {
    /** The table name, as `call` takes it, e.g. `"apply_event"`. */
    name: string;
    summary: string;
}

/**
 * A thrown refusal: a JS `Error` with the fields of `ErrorInfo`. Tell it
 * from other errors with `isSiyuError(e)`.
 */
export interface SiyuError extends globalThis.Error, ErrorInfo {
    name: "SiyuError";
}

/** Money: an integer number of fen (分, ¥0.01). */
export type Fen = number;

/** An instant: integer milliseconds since the Unix epoch, UTC. */
export type Millis = number;

/** The JSON envelope `call` returns. */
export type Envelope<T = unknown> = { ok: T } | { error: ErrorInfo };
"#;

/// The union of every code (`ErrorCode`), generated from `siyu::code::ALL`
/// and checked against it by `wasm/tests/error_codes.rs`.
#[wasm_bindgen(typescript_custom_section)]
const TS_ERROR_CODES: &str = include_str!("../js/error_codes.d.ts");

/// JS-style name of an operation: `apply_event` → `applyEvent`.
pub fn js_name(op: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in op.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_integers_outside_strings() {
        fn find(s: &str) -> Option<&str> {
            unsafe_integer(s.as_bytes(), 0).map(|(a, b)| &s[a..b])
        }
        assert_eq!(find(r#"{"a":9007199254740991,"b":-9007199254740991}"#), None);
        assert_eq!(find(r#"{"a":9007199254740992}"#), Some("9007199254740992"));
        assert_eq!(find(r#"[-9007199254740992]"#), Some("-9007199254740992"));
        assert_eq!(find(r#"[1,12345678901234567890]"#), Some("12345678901234567890"));
        assert_eq!(find(r#"[1e300,-1.5e-300,90071992547409920.5,1E+21]"#), None);
        assert_eq!(find(r#"{"9007199254740992":"9007199254740992 \" 99999999999999999"}"#), None);
        assert_eq!(find(r#"["\\",99999999999999999]"#), Some("99999999999999999"));
        assert_eq!(find("0"), None);
    }

    #[test]
    fn unsafe_integers_become_floats() {
        assert!(matches!(unsafe_integers_as_floats(r#"{"a":[1,2,"x"]}"#), Cow::Borrowed(_)));
        assert_eq!(
            unsafe_integers_as_floats(r#"{"a":9007199254740992,"b":"99999999999999999","c":[-1152921504606846976,1]}"#),
            r#"{"a":9007199254740992.0,"b":"99999999999999999","c":[-1152921504606846976.0,1]}"#
        );
    }

    /// A new operation in the core's table cannot be forgotten here.
    #[test]
    fn every_operation_has_a_js_export() {
        let table: Vec<&str> = ops::OPERATIONS.iter().map(|o| o.name).collect();
        let exported: Vec<&str> = EXPORTS.iter().map(|e| e.0).collect();
        for op in &table {
            assert!(exported.contains(op), "operation `{op}` has no JS export in wasm/src/js.rs");
        }
        for op in &exported {
            assert!(table.contains(op), "JS export `{op}` is not in siyu::ops::OPERATIONS");
        }
        for (op, js) in EXPORTS {
            assert_eq!(js_name(op), *js, "JS name of `{op}`");
        }
    }
}
