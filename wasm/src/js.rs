//! The wasm-bindgen JS face: every operation of [`siyu::ops::OPERATIONS`]
//! as a camelCase JS function over plain JS objects, plus `call(op, json)`
//! for exact JSON text in and out.
//!
//! - Inputs are read with serde-wasm-bindgen into a `serde_json::Value`, then
//!   run through the very same [`siyu::ops::call_value`] the raw ABI and the
//!   native API use. Outputs are written with
//!   `Serializer::json_compatible()`, so objects are plain objects, `None` is
//!   `null`, and `JSON.stringify` of a result equals the `ok` of `call`.
//! - A refusal is thrown as a JS `Error` (`name` = `"SiyuError"`) whose
//!   message reads `CODE at path: english / 中文` and which carries `code`,
//!   `path`, `zh`, `en` and, when there are several, `problems`.
//! - JS numbers are exact only up to 2^53 − 1. An input number beyond that
//!   (or a `BigInt` outside `i64`) is refused, and so is a result holding
//!   one (`UNSAFE_INTEGER`); `call` has no such limit.
//!
//! TypeScript: every parameter and result is typed with declarations that
//! `tsify` derives from the core's serde types (feature `ts` of `siyu`), so
//! the `.d.ts` cannot drift from the Rust.

use serde::Serialize;
use serde_json::Value;
use siyu::error::Error;
use siyu::ops;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const JSON: serde_wasm_bindgen::Serializer = serde_wasm_bindgen::Serializer::json_compatible();

/// A JS `Error` carrying the fields of `e`.
fn to_js_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("SiyuError");
    if let Ok(fields) = e.serialize(&JSON) {
        let (target, source): (&js_sys::Object, &js_sys::Object) = (err.unchecked_ref(), fields.unchecked_ref());
        js_sys::Object::assign(target, source);
    }
    err.into()
}

/// Run one operation on a JS value; `undefined` and `null` read as `{}`.
fn run(op: &str, input: JsValue) -> Result<JsValue, JsValue> {
    let input: Value = if input.is_undefined() || input.is_null() {
        Value::Object(Default::default())
    } else {
        serde_wasm_bindgen::from_value(input).map_err(|e| {
            let mut top = Error::new("INPUT_INVALID", "", "输入无效", "the input is invalid");
            top.problems.push(Error::new(
                "WRONG_TYPE",
                "",
                "输入不是可转换为 JSON 的 JS 值（超出 2^53 的数字请用 BigInt 或 call()）",
                e.to_string(),
            ));
            to_js_error(&top)
        })?
    };
    let out = ops::call_value(op, &input).map_err(|e| to_js_error(&e))?;
    out.serialize(&JSON).map_err(|e| {
        to_js_error(&Error::new(
            "UNSAFE_INTEGER",
            "",
            "结果中的数字超出 JS 安全整数范围（2^53），请用 call() 取得精确的 JSON 文本",
            format!("the result holds a number beyond JavaScript's safe integer range (2^53); use call() for exact JSON text ({e})"),
        ))
    })
}

/// Run operation `op` (its table name, e.g. `"apply_event"`) on JSON text
/// and return JSON text: `{"ok":…}` or `{"error":{…}}`, keys sorted. Never
/// throws; exact for any number the core accepts.
#[wasm_bindgen(js_name = call)]
pub fn call(op: &str, json: &str) -> String {
    ops::call(op, json)
}

/// An optional argument: `undefined`, `null` or an object.
trait Arg {
    fn into_value(self) -> JsValue;
}
impl Arg for JsValue {
    fn into_value(self) -> JsValue {
        self
    }
}
impl Arg for Option<js_sys::Object> {
    fn into_value(self) -> JsValue {
        self.map_or(JsValue::UNDEFINED, Into::into)
    }
}

/// One exported function per operation, and [`EXPORTS`] listing them, from
/// one list, so the two cannot disagree.
macro_rules! exports {
    ($( $(#[$meta:meta])* $op:ident => $js:ident ($arg:ty : $in_ts:tt) -> $out_ts:tt; )*) => {
        $(
            $(#[$meta])*
            #[wasm_bindgen(js_name = $js, unchecked_return_type = $out_ts)]
            pub fn $op(#[wasm_bindgen(unchecked_param_type = $in_ts)] input: $arg) -> Result<JsValue, JsValue> {
                run(stringify!($op), Arg::into_value(input))
            }
        )*
        /// `(operation, JS export)` for every function above.
        pub const EXPORTS: &[(&str, &str)] = &[$((stringify!($op), stringify!($js))),*];
    };
}

exports! {
    /// Check a rule set; its fingerprint and counts. Throws `RULES_INVALID`
    /// listing every problem.
    validate_rules => validateRules(JsValue: "RulesInput") -> "RulesCheck";
    /// Price a cart for a member (or a guest) at a moment.
    quote => quote(JsValue: "QuoteInput") -> "Quote";
    /// Book one event on a member's state (the new state), or throw why not.
    apply_event => applyEvent(JsValue: "ApplyEventInput") -> "Member";
    /// Fold a member's whole event log into a state.
    replay => replay(JsValue: "ReplayInput") -> "Member";
    /// Tier, progress, review outlook, points and benefits.
    member_summary => memberSummary(JsValue: "MemberViewInput") -> "Summary";
    /// Points balance, lots and history.
    points_history => pointsHistory(JsValue: "MemberViewInput") -> "History";
    /// Every coupon the member holds, with its status.
    coupon_wallet => couponWallet(JsValue: "MemberViewInput") -> "WalletEntry[]";
    /// Which members a targeted coupon template reaches.
    eligible_members => eligibleMembers(JsValue: "EligibleMembersInput") -> "Targeting";
    /// The built-in demo rule set.
    demo_rules => demoRules(Option<js_sys::Object>: "NoInput") -> "Rules";
    /// Every operation's name and summary.
    operations => operations(Option<js_sys::Object>: "NoInput") -> "OperationInfo[]";
}

#[wasm_bindgen(typescript_custom_section)]
const TS_HAND_WRITTEN: &str = r#"
/** What `validateRules` returns. */
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

/** A thrown refusal: a JS `Error` with the fields of `ErrorInfo`. */
export interface SiyuError extends globalThis.Error, ErrorInfo {
    name: "SiyuError";
}

/** The JSON envelope `call` returns. */
export type Envelope<T = unknown> = { ok: T } | { error: ErrorInfo };
"#;

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
