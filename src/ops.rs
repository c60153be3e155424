//! The operation table: every public operation, once. Each takes one JSON
//! object and returns one JSON value or a typed error. The native API, the
//! wasm-bindgen face and the raw JSON ABI are all thin maps over
//! [`OPERATIONS`], so a new operation added here appears in every host.
//!
//! ```
//! let out = siyu::ops::call("validate_rules", &format!(r#"{{"rules":{}}}"#, siyu::demo::RULES));
//! let v: serde_json::Value = serde_json::from_str(&out).unwrap();
//! assert_eq!(v["ok"]["tiers"], 4);
//! assert!(v["ok"]["fingerprint"].as_str().unwrap().starts_with("sha256:"));
//!
//! let bad: serde_json::Value = serde_json::from_str(&siyu::ops::call("quote", "{")).unwrap();
//! assert_eq!(bad["error"]["code"], "INPUT_INVALID");
//! assert_eq!(bad["error"]["problems"][0]["code"], "JSON_SYNTAX");
//! ```

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::checkout::{self, Cart};
use crate::decode;
use crate::error::{Error, Result};
use crate::events::{self, Event};
use crate::member::Member;
use crate::rules::Rules;
use crate::time::Millis;
use crate::views;

pub struct Operation {
    pub name: &'static str,
    pub summary: &'static str,
    run: fn(&Value) -> Result<Value>,
}

pub const OPERATIONS: &[Operation] = &[
    Operation { name: "validate_rules", summary: "check a rule set and return its fingerprint", run: validate_rules },
    Operation { name: "quote", summary: "price a cart for a member (or a guest) at a moment", run: quote },
    Operation { name: "apply_event", summary: "book one event on a member's state, or refuse it", run: apply_event },
    Operation { name: "replay", summary: "fold a member's whole event log into a state", run: replay },
    Operation { name: "member_summary", summary: "tier, progress, review outlook, points and benefits", run: member_summary },
    Operation { name: "points_history", summary: "points balance, lots and history", run: points_history },
    Operation { name: "coupon_wallet", summary: "every coupon the member holds, with its status", run: coupon_wallet },
    Operation { name: "eligible_members", summary: "which members a targeted coupon template reaches", run: eligible_members },
    Operation { name: "demo_rules", summary: "the built-in demo rule set", run: demo_rules },
    Operation { name: "operations", summary: "the names of every operation", run: operations },
];

/// Most events one `replay` folds.
pub const MAX_EVENTS: usize = 100_000;

/// Run operation `op` on a parsed input.
pub fn call_value(op: &str, input: &Value) -> Result<Value> {
    let o = OPERATIONS.iter().find(|o| o.name == op).ok_or_else(|| {
        Error::new("UNKNOWN_OPERATION", "op", format!("未知操作 `{}`", clip(op)), format!("unknown operation `{}`", clip(op)))
    })?;
    (o.run)(input)
}

/// Run operation `op` on JSON text; always returns JSON text:
/// `{"ok": …}` or `{"error": {"code", "path", "zh", "en", "problems"?}}`,
/// with every object's keys in sorted order (canonical JSON).
pub fn call(op: &str, input: &str) -> String {
    let result = decode::from_str(input, "INPUT_INVALID").and_then(|v| call_value(op, &v));
    envelope(result)
}

/// Wrap a result in the `{ok}` / `{error}` envelope.
pub fn envelope(result: Result<Value>) -> String {
    let v = match result {
        Ok(v) => json!({ "ok": v }),
        Err(e) => json!({ "error": e }),
    };
    v.to_string()
}

fn clip(s: &str) -> &str {
    match s.char_indices().nth(64) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn input<T: DeserializeOwned>(v: &Value) -> Result<T> {
    decode::from_value(v, "INPUT_INVALID", "输入无效", "the input is invalid")
}

fn checked(rules: &Rules) -> Result<()> {
    rules.validate().map_err(|e| e.under("rules"))
}

fn out<T: Serialize>(t: &T) -> Result<Value> {
    serde_json::to_value(t).map_err(|e| Error::new("INTERNAL", "", "内部错误：结果无法序列化", e.to_string()))
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "RulesInput"))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesIn {
    rules: Rules,
}

fn validate_rules(v: &Value) -> Result<Value> {
    let i: RulesIn = input(v)?;
    checked(&i.rules)?;
    let r = &i.rules;
    Ok(json!({
        "fingerprint": r.fingerprint(),
        "schema": r.schema,
        "tiers": r.membership.tiers.len(),
        "coupons": r.coupons.len(),
        "campaigns": r.campaigns.len(),
    }))
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "QuoteInput"))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuoteIn {
    rules: Rules,
    #[serde(default)]
    member: Option<Member>,
    cart: Cart,
    now: Millis,
}

fn quote(v: &Value) -> Result<Value> {
    let i: QuoteIn = input(v)?;
    checked(&i.rules)?;
    if let Some(m) = &i.member {
        m.check()?;
    }
    out(&checkout::quote(&i.rules, i.member.as_ref(), &i.cart, i.now)?)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "ApplyEventInput"))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApplyIn {
    rules: Rules,
    #[serde(default)]
    member: Option<Member>,
    event: Event,
}

fn apply_event(v: &Value) -> Result<Value> {
    let i: ApplyIn = input(v)?;
    checked(&i.rules)?;
    if let Some(m) = &i.member {
        m.check()?;
    }
    out(&events::apply(&i.rules, &i.member.unwrap_or_default(), &i.event)?)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "ReplayInput"))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplayIn {
    rules: Rules,
    events: Vec<Event>,
}

fn replay(v: &Value) -> Result<Value> {
    let i: ReplayIn = input(v)?;
    checked(&i.rules)?;
    if i.events.len() > MAX_EVENTS {
        return Err(Error::new("TOO_MANY", "events", format!("一次最多回放 {MAX_EVENTS} 个事件"), format!("at most {MAX_EVENTS} events per replay")));
    }
    out(&events::replay(&i.rules, &i.events)?)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "MemberViewInput"))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberIn {
    rules: Rules,
    member: Member,
    now: Millis,
}

fn member_summary(v: &Value) -> Result<Value> {
    let i: MemberIn = input(v)?;
    checked(&i.rules)?;
    i.member.check()?;
    out(&views::summary(&i.rules, &i.member, i.now)?)
}

fn points_history(v: &Value) -> Result<Value> {
    let i: MemberIn = input(v)?;
    checked(&i.rules)?;
    i.member.check()?;
    out(&views::points_history(&i.rules, &i.member, i.now)?)
}

fn coupon_wallet(v: &Value) -> Result<Value> {
    let i: MemberIn = input(v)?;
    checked(&i.rules)?;
    i.member.check()?;
    out(&views::coupon_wallet(&i.rules, &i.member, i.now)?)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "EligibleMembersInput"))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetIn {
    rules: Rules,
    template: String,
    members: Vec<Member>,
    now: Millis,
}

fn eligible_members(v: &Value) -> Result<Value> {
    let i: TargetIn = input(v)?;
    checked(&i.rules)?;
    for (k, m) in i.members.iter().enumerate() {
        m.check().map_err(|e| e.under(&format!("members[{k}]")))?;
    }
    out(&views::eligible_members(&i.rules, &i.template, &i.members, i.now)?)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "NoInput"))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Nothing {}

fn demo_rules(v: &Value) -> Result<Value> {
    let _: Nothing = input(v)?;
    decode::from_str(crate::demo::RULES, "INTERNAL")
}

fn operations(v: &Value) -> Result<Value> {
    let _: Nothing = input(v)?;
    out(&OPERATIONS.iter().map(|o| json!({"name": o.name, "summary": o.summary})).collect::<Vec<_>>())
}
