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
//!   is refused (a `BigInt` within `i64` is read exactly), and so is a result
//!   holding one (`UNSAFE_INTEGER`); `call` has no such limit.
//! - Input nesting is limited to 128 levels, as for JSON text: the Rust
//!   stack on wasm32 has no guard page, so unbounded recursion would corrupt
//!   memory instead of failing.
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
        let de = serde_wasm_bindgen::Deserializer::from(input);
        serde::de::DeserializeSeed::deserialize(Depth(0), de).map_err(|e| {
            let mut top = Error::new("INPUT_INVALID", "", "输入无效", "the input is invalid");
            top.problems.push(Error::new(
                "WRONG_TYPE",
                "",
                "输入含有无法转换为 JSON 的 JS 值（如函数、Symbol），或嵌套超过 128 层",
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

/// Most nesting accepted from a JS value: serde_json's limit for JSON text,
/// so both faces refuse the same inputs. (Deeper recursion would overrun
/// the Rust stack, which on wasm32 has no guard page.)
pub const MAX_DEPTH: usize = 128;

/// Reads any JS value into a `serde_json::Value`, like `Value`'s own
/// `Deserialize`, but refusing nesting deeper than [`MAX_DEPTH`].
struct Depth(usize);

impl<'de> serde::de::DeserializeSeed<'de> for Depth {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Depth {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        serde::de::DeserializeSeed::deserialize(self, d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Depth(inner))? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        let mut out = serde_json::Map::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(Depth(inner))?;
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}

impl Depth {
    fn deeper<E: serde::de::Error>(&self) -> Result<usize, E> {
        if self.0 >= MAX_DEPTH {
            return Err(E::custom(format_args!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(self.0 + 1)
    }
}

/// Run operation `op` (its table name, e.g. `"apply_event"`) on JSON text
/// and return JSON text: `{"ok":…}` or `{"error":{…}}`, keys sorted. Never
/// throws; exact for any number the core accepts.
#[wasm_bindgen(js_name = call)]
pub fn call(op: &str, json: &str) -> String {
    ops::call(op, json)
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

exports! {
    /// Check a rule set; its fingerprint and counts. Throws `RULES_INVALID`
    /// listing every problem.
    validate_rules => validateRules(unchecked_param_type = "RulesInput") -> "RulesCheck";
    /// Price a cart for a member (or a guest) at a moment.
    quote => quote(unchecked_param_type = "QuoteInput") -> "Quote";
    /// Book one event on a member's state (the new state), or throw why not.
    apply_event => applyEvent(unchecked_param_type = "ApplyEventInput") -> "Member";
    /// Fold a member's whole event log into a state.
    replay => replay(unchecked_param_type = "ReplayInput") -> "Member";
    /// Tier, progress, review outlook, points and benefits.
    member_summary => memberSummary(unchecked_param_type = "MemberViewInput") -> "Summary";
    /// Points balance, lots and history.
    points_history => pointsHistory(unchecked_param_type = "MemberViewInput") -> "History";
    /// Every coupon the member holds, with its status.
    coupon_wallet => couponWallet(unchecked_param_type = "MemberViewInput") -> "WalletEntry[]";
    /// Which members a targeted coupon template reaches.
    eligible_members => eligibleMembers(unchecked_param_type = "EligibleMembersInput") -> "Targeting";
    /// The built-in demo rule set.
    demo_rules => demoRules(unchecked_optional_param_type = "NoInput") -> "Rules";
    /// Every operation's name and summary.
    operations => operations(unchecked_optional_param_type = "NoInput") -> "OperationInfo[]";
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

/** Money: an integer number of fen (分, ¥0.01). */
export type Fen = number;

/** An instant: integer milliseconds since the Unix epoch, UTC. */
export type Millis = number;

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
