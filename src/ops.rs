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
use crate::json;
use crate::error::{clip, Error, Result};
use crate::events::{self, Event};
use crate::member::Member;
use crate::rules::Rules;
use crate::time::Millis;
use crate::views;

pub struct Operation {
    pub name: &'static str,
    pub summary: &'static str,
    /// The answer as canonical JSON text (the text and raw faces).
    text: fn(Input) -> Result<Text>,
    /// The answer as a `Value` (the JS face).
    value: fn(Input) -> Result<Value>,
}

/// What an operation hands back: canonical text, written in one pass, or a
/// `serde_json::Value`.
trait Answer: Sized {
    fn from<T: Serialize + ?Sized>(t: &T) -> Result<Self>;
}

struct Text(String);

impl Answer for Text {
    fn from<T: Serialize + ?Sized>(t: &T) -> Result<Self> {
        json::to_canonical(t).map(Text).map_err(|e| internal(&e))
    }
}

impl Answer for Value {
    fn from<T: Serialize + ?Sized>(t: &T) -> Result<Self> {
        serde_json::to_value(t).map_err(|e| internal(&e))
    }
}

fn internal(e: &dyn std::fmt::Display) -> Error {
    Error::new("INTERNAL", "", "内部错误：结果无法序列化", e.to_string())
}

/// One table entry: the op's function, instantiated for both answers.
macro_rules! op {
    ($name:literal, $summary:literal, $f:ident) => {
        Operation { name: $name, summary: $summary, text: $f::<Text>, value: $f::<Value> }
    };
}

/// An operation's input: JSON text (parsed straight into the op's types) or
/// an already parsed value (the JS face).
#[derive(Clone, Copy)]
enum Input<'a> {
    Text(&'a str),
    Value(&'a Value),
}

pub const OPERATIONS: &[Operation] = &[
    op!("validate_rules", "check a rule set and return its fingerprint", validate_rules),
    op!("quote", "price a cart for a member (or a guest) at a moment", quote),
    op!("apply_event", "book one event on a member's state, or refuse it", apply_event),
    op!("replay", "fold a member's whole event log into a state", replay),
    op!("member_summary", "tier, progress, review outlook, points and benefits", member_summary),
    op!("points_history", "points balance, lots and history", points_history),
    op!("coupon_wallet", "every coupon the member holds, with its status", coupon_wallet),
    op!("eligible_members", "which members a targeted coupon template reaches", eligible_members),
    op!("demo_rules", "the built-in demo rule set", demo_rules),
    op!("operations", "the names of every operation", operations),
];

/// Most events one `replay` folds.
pub const MAX_EVENTS: usize = 100_000;

fn find(op: &str) -> Result<&'static Operation> {
    OPERATIONS.iter().find(|o| o.name == op).ok_or_else(|| {
        Error::new("UNKNOWN_OPERATION", "op", format!("未知操作 `{}`", clip(op, 64)), format!("unknown operation `{}`", clip(op, 64)))
    })
}

/// Run operation `op` on a parsed input.
pub fn call_value(op: &str, input: &Value) -> Result<Value> {
    (find(op)?.value)(Input::Value(input))
}

/// Run operation `op` on JSON text; always returns JSON text:
/// `{"ok": …}` or `{"error": {"code", "path", "zh", "en", "problems"?}}`,
/// with every object's keys in sorted order (canonical JSON).
pub fn call(op: &str, input: &str) -> String {
    match answer(op, input) {
        Ok(t) => format!("{{\"ok\":{t}}}"),
        Err(e) => envelope(Err(e)),
    }
}

/// Run operation `op` on JSON text: the answer as canonical JSON text (what
/// `call` puts under `ok`), or the refusal.
pub fn answer(op: &str, input: &str) -> Result<String> {
    match find(op) {
        Ok(o) => (o.text)(Input::Text(input)).map(|Text(t)| t),
        // Malformed JSON is reported before an unknown operation.
        Err(e) => decode::from_str(input, "INPUT_INVALID").and(Err(e)),
    }
}

/// Wrap a result in the `{ok}` / `{error}` envelope.
pub fn envelope(result: Result<Value>) -> String {
    let (key, v) = match result {
        Ok(v) => ("ok", v),
        Err(e) => ("error", serde_json::to_value(e).unwrap_or(Value::Null)),
    };
    let mut m = serde_json::Map::new();
    m.insert(key.to_string(), v);
    // Value maps are ordered by key, so this writes canonical JSON.
    serde_json::to_string(&Value::Object(m)).unwrap_or_default()
}

/// The op's typed input. Text goes straight into the types; only if that
/// fails is it parsed again the slow way, to report every problem.
fn input<T: DeserializeOwned>(src: Input) -> Result<T> {
    let (zh, en) = ("输入无效", "the input is invalid");
    match src {
        Input::Text(text) => {
            decode::check_size(text)?;
            match serde_json::from_str(text) {
                Ok(t) => Ok(t),
                Err(_) => decode::from_value(&decode::from_str(text, "INPUT_INVALID")?, "INPUT_INVALID", zh, en),
            }
        }
        Input::Value(v) => decode::from_value(v, "INPUT_INVALID", zh, en),
    }
}

fn checked(rules: &Rules) -> Result<()> {
    rules.validate().map_err(|e| e.under("rules"))
}


#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "RulesInput"))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesIn {
    rules: Rules,
}

fn validate_rules<A: Answer>(v: Input) -> Result<A> {
    let i: RulesIn = input(v)?;
    checked(&i.rules)?;
    let r = &i.rules;
    A::from(&json!({
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

fn quote<A: Answer>(v: Input) -> Result<A> {
    let i: QuoteIn = input(v)?;
    checked(&i.rules)?;
    if let Some(m) = &i.member {
        m.check()?;
    }
    A::from(&checkout::quote(&i.rules, i.member.as_ref(), &i.cart, i.now)?)
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

fn apply_event<A: Answer>(v: Input) -> Result<A> {
    let i: ApplyIn = input(v)?;
    checked(&i.rules)?;
    if let Some(m) = &i.member {
        m.check()?;
    }
    A::from(&events::apply(&i.rules, &i.member.unwrap_or_default(), &i.event)?)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "ReplayInput"))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplayIn {
    rules: Rules,
    events: Vec<Event>,
}

fn replay<A: Answer>(v: Input) -> Result<A> {
    let i: ReplayIn = input(v)?;
    checked(&i.rules)?;
    if i.events.len() > MAX_EVENTS {
        return Err(Error::new("TOO_MANY", "events", format!("一次最多回放 {MAX_EVENTS} 个事件"), format!("at most {MAX_EVENTS} events per replay")));
    }
    A::from(&events::replay(&i.rules, &i.events)?)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "MemberViewInput"))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberIn {
    rules: Rules,
    member: Member,
    now: Millis,
}

fn member_summary<A: Answer>(v: Input) -> Result<A> {
    let i: MemberIn = input(v)?;
    checked(&i.rules)?;
    i.member.check()?;
    A::from(&views::summary(&i.rules, &i.member, i.now)?)
}

fn points_history<A: Answer>(v: Input) -> Result<A> {
    let i: MemberIn = input(v)?;
    checked(&i.rules)?;
    i.member.check()?;
    A::from(&views::points_history(&i.rules, &i.member, i.now)?)
}

fn coupon_wallet<A: Answer>(v: Input) -> Result<A> {
    let i: MemberIn = input(v)?;
    checked(&i.rules)?;
    i.member.check()?;
    A::from(&views::coupon_wallet(&i.rules, &i.member, i.now)?)
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

fn eligible_members<A: Answer>(v: Input) -> Result<A> {
    let i: TargetIn = input(v)?;
    checked(&i.rules)?;
    for (k, m) in i.members.iter().enumerate() {
        m.check().map_err(|e| e.under(&format!("members[{k}]")))?;
    }
    A::from(&views::eligible_members(&i.rules, &i.template, &i.members, i.now)?)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "NoInput"))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Nothing {}

fn demo_rules<A: Answer>(v: Input) -> Result<A> {
    let _: Nothing = input(v)?;
    A::from(&decode::from_str(crate::demo::RULES, "INTERNAL")?)
}

fn operations<A: Answer>(v: Input) -> Result<A> {
    let _: Nothing = input(v)?;
    A::from(&OPERATIONS.iter().map(|o| json!({"name": o.name, "summary": o.summary})).collect::<Vec<_>>())
}
