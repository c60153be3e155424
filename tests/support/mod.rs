//! What the integration tests share: JSON values in and out of the
//! engine's types, through the engine's own reader and writer.

// Each test file uses some of these.
#![allow(dead_code)]

use serde_json::Value;
pub mod big_rules;

use siyu::{Decode, Encode, Event, Member, Rules};

/// A value of the engine's type `T` read from JSON.
pub fn from_value<T: Decode>(v: &Value) -> siyu::Result<T> {
    siyu::from_str(&v.to_string())
}

/// A rule set read from JSON and validated.
pub fn rules_from(v: &Value) -> siyu::Result<Rules> {
    Rules::parse(&v.to_string())
}

/// What the engine writes for `t`, as a JSON value.
pub fn to_value<T: Encode + ?Sized>(t: &T) -> Value {
    serde_json::from_str(&siyu::to_json(t)).expect("the engine writes JSON")
}

/// The canonical text of a JSON value (keys sorted, no whitespace): the byte
/// form every host compares. `Value` maps are ordered by key, so serde_json
/// writes them sorted.
pub fn canonical(v: &Value) -> String {
    serde_json::to_string(v).expect("a Value is written")
}

/// Book `e` on a copy of `m`: the new state, or the refusal.
pub fn apply(rules: &Rules, m: &Member, e: &Event) -> siyu::Result<Member> {
    siyu::apply(rules, m.clone(), e).map(|b| b.member)
}

/// The name the engine writes for a unit variant (a discount's `step`,
/// a coupon's `group`): `Step::FullReduction` → `full_reduction`.
pub fn name<T: Encode>(t: &T) -> String {
    match to_value(t) {
        Value::String(s) => s,
        other => panic!("not a name: {other}"),
    }
}
