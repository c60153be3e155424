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

use serde::Serialize;

use crate::checkout::{self, Cart};
use crate::decode::{self, Decode, Json};
use crate::encode::{self, Encode};
use crate::error::{clip, Error, Result};
use crate::events::{self, Event};
use crate::member::Member;
use crate::rules::Rules;
use crate::time::Millis;
use crate::views;

/// Written (by `operations`) as its name and summary.
#[derive(Encode)]
pub struct Operation {
    pub name: &'static str,
    pub summary: &'static str,
    /// The op: its input, parsed, and the buffer to append its answer to,
    /// as canonical JSON text (the buffer may hold the envelope's start).
    #[serde(skip)]
    run: fn(&Json, &mut String) -> Result<()>,
}

/// An answer as canonical JSON text, written in one pass after what `out`
/// holds. (Through `dyn Encode`: one writer for every answer type.)
fn answer_text(out: &mut String, t: &dyn Encode) -> Result<()> {
    encode::append_json(out, t);
    Ok(())
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
    Operation { name: "operations", summary: "the names of every operation", run: operations },
];

/// Most events one `replay` folds.
pub const MAX_EVENTS: usize = 100_000;

fn find(op: &str) -> Result<&'static Operation> {
    OPERATIONS.iter().find(|o| o.name == op).ok_or_else(|| {
        Error::new("UNKNOWN_OPERATION", "op", format!("未知操作 `{}`", clip(op, 64)), format!("unknown operation `{}`", clip(op, 64)))
    })
}

/// Run operation `op` on JSON text; always returns JSON text:
/// `{"ok": …}` or `{"error": {"code", "path", "zh", "en", "problems"?}}`,
/// with every object's keys in sorted order (canonical JSON).
pub fn call(op: &str, input: &str) -> String {
    call_after("", op, input)
}

/// [`call`]'s text after `prefix`, in one buffer: the answer is written
/// straight into its envelope, and a host's framing (the raw ABI's length
/// word) costs no copy of it either. (Answers run to 133 KB for a 200-line
/// quote; in Wasm each copy is a `memory.copy`, a runtime call in V8 and
/// Cranelift.)
pub fn call_after(prefix: &str, op: &str, input: &str) -> String {
    let mut out = prefix.to_string() + "{\"ok\":";
    match answer_after(&mut out, op, input) {
        Ok(()) => out.push('}'),
        Err(e) => {
            out.truncate(prefix.len());
            out.push_str(&envelope(Err(e)));
        }
    }
    out
}

/// Run operation `op` on JSON text: the answer as canonical JSON text (what
/// `call` puts under `ok`), or the refusal.
pub fn answer(op: &str, input: &str) -> Result<String> {
    let mut out = String::new();
    answer_after(&mut out, op, input)?;
    Ok(out)
}

/// [`answer`], appended to `out`.
fn answer_after(out: &mut String, op: &str, input: &str) -> Result<()> {
    // Malformed JSON is reported before an unknown operation.
    let json = decode::parse(input)?;
    let op = find(op)?;
    // Room for an answer as long as the input (longer for a quote, much
    // shorter for a view): a start that saves most of the buffer's
    // doublings, each a copy of all written so far. At most 256 KB: a huge
    // input may well be refused.
    out.reserve(input.len().clamp(1024, 256 << 10));
    (op.run)(&json, out)
}

/// Wrap an answer's canonical text, or a refusal, in the `{ok}` /
/// `{error}` envelope.
pub fn envelope(result: Result<String>) -> String {
    match result {
        Ok(text) => {
            let mut out = String::with_capacity(text.len() + 7);
            out.push_str("{\"ok\":");
            out.push_str(&text);
            out.push('}');
            out
        }
        Err(e) => format!("{{\"error\":{}}}", encode::to_json(&e)),
    }
}

/// The op's typed input, or every problem with it.
fn input<T: Decode>(v: &Json) -> Result<T> {
    decode::from_json(v, "INPUT_INVALID", "输入无效", "the input is invalid")
}

fn checked(rules: &Rules) -> Result<()> {
    rules.validate().map_err(|e| e.under("rules"))
}


#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "RulesInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
struct RulesIn {
    rules: Rules,
}

#[derive(Serialize, Encode)]
struct RulesCheck {
    fingerprint: String,
    schema: u32,
    tiers: usize,
    coupons: usize,
    campaigns: usize,
}

fn validate_rules(v: &Json, out: &mut String) -> Result<()> {
    let i: RulesIn = input(v)?;
    checked(&i.rules)?;
    let r = &i.rules;
    answer_text(out, &RulesCheck {
        fingerprint: r.fingerprint(),
        schema: r.schema,
        tiers: r.membership.tiers.len(),
        coupons: r.coupons.len(),
        campaigns: r.campaigns.len(),
    })
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "QuoteInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
struct QuoteIn {
    rules: Rules,
    #[serde(default)]
    member: Option<Member>,
    cart: Cart,
    now: Millis,
}

fn quote(v: &Json, out: &mut String) -> Result<()> {
    let mut i: QuoteIn = input(v)?;
    checked(&i.rules)?;
    if let Some(m) = &i.member {
        m.check()?;
    }
    let q = checkout::quote_with(&i.rules, None, i.member.as_mut(), &i.cart, i.now)?;
    // A quote's text is about 640 bytes a line and 5 KB besides (133 KB
    // for the 200-line benchmark): room for it up front, or the buffer
    // doubles three times from the input's size, copying 180 KB.
    out.reserve((8 << 10) + 700 * i.cart.lines.len());
    answer_text(out, &q)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "ApplyEventInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
struct ApplyIn {
    rules: Rules,
    #[serde(default)]
    member: Option<Member>,
    event: Event,
}

fn apply_event(v: &Json, out: &mut String) -> Result<()> {
    let i: ApplyIn = input(v)?;
    checked(&i.rules)?;
    if let Some(m) = &i.member {
        m.check()?;
    }
    answer_text(out, &events::apply_owned(&i.rules, i.member.unwrap_or_default(), &i.event)?)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "ReplayInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
struct ReplayIn {
    rules: Rules,
    events: Vec<Event>,
}

fn replay(v: &Json, out: &mut String) -> Result<()> {
    let i: ReplayIn = input(v)?;
    checked(&i.rules)?;
    if i.events.len() > MAX_EVENTS {
        return Err(Error::new("TOO_MANY", "events", format!("一次最多回放 {MAX_EVENTS} 个事件"), format!("at most {MAX_EVENTS} events per replay")));
    }
    answer_text(out, &events::replay(&i.rules, &i.events)?)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "MemberViewInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
struct MemberIn {
    rules: Rules,
    member: Member,
    now: Millis,
}

fn member_summary(v: &Json, out: &mut String) -> Result<()> {
    let i: MemberIn = input(v)?;
    checked(&i.rules)?;
    i.member.check()?;
    answer_text(out, &views::summary_of(&i.rules, i.member, i.now)?)
}

fn points_history(v: &Json, out: &mut String) -> Result<()> {
    let i: MemberIn = input(v)?;
    checked(&i.rules)?;
    i.member.check()?;
    answer_text(out, &views::points_history_of(&i.rules, i.member, i.now)?)
}

fn coupon_wallet(v: &Json, out: &mut String) -> Result<()> {
    let i: MemberIn = input(v)?;
    checked(&i.rules)?;
    i.member.check()?;
    answer_text(out, &views::coupon_wallet_of(&i.rules, i.member, i.now)?)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "EligibleMembersInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
struct TargetIn {
    rules: Rules,
    template: String,
    members: Vec<Member>,
    now: Millis,
}

fn eligible_members(v: &Json, out: &mut String) -> Result<()> {
    let mut i: TargetIn = input(v)?;
    checked(&i.rules)?;
    for (k, m) in i.members.iter().enumerate() {
        m.check().map_err(|e| e.under(&format!("members[{k}]")))?;
    }
    answer_text(out, &views::eligible_members_of(&i.rules, &i.template, &mut i.members, i.now)?)
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "NoInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
struct Nothing {}

fn operations(v: &Json, out: &mut String) -> Result<()> {
    let _: Nothing = input(v)?;
    answer_text(out, &OPERATIONS)
}
