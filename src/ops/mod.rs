//! The operation table: every public operation, once. Each takes one JSON
//! object and returns one JSON value or a typed error. The native API, the
//! wasm-bindgen face and the raw JSON ABI are all thin maps over
//! [`OPERATIONS`], so a new operation added here appears in every host.
//!
//! One file per family of operations: `rules.rs` (validating a rule set),
//! `pricing.rs` (quotes), `ledger.rs` (booking and replaying events),
//! `views.rs` (read-only answers about a member), `growth.rs` (codes and
//! scenes), `poster.rs` (share posters); `session.rs` keeps the rule sets
//! `prepare_rules` prepared, for inputs that name them by fingerprint.
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

mod growth;
mod ledger;
mod poster;
mod pricing;
mod rules;
pub mod schema;
mod session;
mod views;

use crate::code;
use crate::decode::{self, Decode, Json};
use crate::encode::{self, Encode};
use crate::error::Result;
use crate::rules::Rules;

pub use ledger::MAX_EVENTS;
use session::RulesArg;
pub use session::{Session, MAX_PREPARED};

/// Written (by `operations`) as its name and summary.
#[derive(Encode)]
pub struct Operation {
    pub name: &'static str,
    pub summary: &'static str,
    /// The op: its input, parsed, the session (its prepared rules), and
    /// the buffer to append its answer to, as canonical JSON text (the
    /// buffer may hold the envelope's start).
    #[serde(skip)]
    run: fn(&Json, &mut Session, &mut String) -> Result<()>,
}

pub const OPERATIONS: &[Operation] = &[
    Operation {
        name: "validate_rules",
        summary: "check a rule set and return its fingerprint",
        run: rules::validate_rules,
    },
    Operation {
        name: "prepare_rules",
        summary: "check a rule set and keep it, for later calls to name by fingerprint",
        run: rules::prepare_rules,
    },
    Operation { name: "quote", summary: "price a cart for a member (or a guest) at a moment", run: pricing::quote },
    Operation {
        name: "apply_event",
        summary: "book one event on a member's state, or refuse it",
        run: ledger::apply_event,
    },
    Operation { name: "replay", summary: "fold a member's whole event log into a state", run: ledger::replay },
    Operation {
        name: "member_summary",
        summary: "tier, progress, review outlook, points and benefits",
        run: views::member_summary,
    },
    Operation { name: "points_history", summary: "points balance, lots and history", run: views::points_history },
    Operation {
        name: "coupon_wallet",
        summary: "every coupon the member holds, with its status",
        run: views::coupon_wallet,
    },
    Operation {
        name: "eligible_members",
        summary: "which members a targeted coupon template reaches",
        run: views::eligible_members,
    },
    Operation {
        name: "make_scene",
        summary: "a member's, guide's, store's or channel's code and its 小程序码 scene",
        run: growth::make_scene,
    },
    Operation {
        name: "parse_scene",
        summary: "what a scene (or a code) names, or why it is refused",
        run: growth::parse_scene,
    },
    Operation {
        name: "assign_contact",
        summary: "a channel scan's staff member (weighted round-robin) and tags",
        run: growth::assign_contact,
    },
    Operation {
        name: "channel_stats",
        summary: "scans, joins, orders, GMV and conversion per channel and guide",
        run: growth::channel_stats,
    },
    Operation {
        name: "lifecycle_alerts",
        summary: "who changed lifecycle segment since a date, and what to do",
        run: views::lifecycle_alerts,
    },
    Operation {
        name: "validate_poster",
        summary: "check a poster template: every problem, or what it uses",
        run: poster::validate_poster,
    },
    Operation { name: "render_poster", summary: "a poster as one SVG string", run: poster::render_poster },
    Operation {
        name: "poster_commands",
        summary: "a poster as Canvas 2D drawing commands",
        run: poster::poster_commands,
    },
    Operation { name: "operations", summary: "the names of every operation", run: operations },
];

/// Run operation `op` on JSON text; always returns JSON text:
/// `{"ok": …}` or `{"error": {"code", "path", "zh", "en", "problems"?}}`,
/// with every object's keys in sorted order (canonical JSON). Stateless: a
/// fresh [`Session`] each call, so `"rules": {"prepared": …}` is refused
/// (`RULES_NOT_PREPARED`); use [`Session::call`] to prepare rules once.
pub fn call(op: &str, input: &str) -> String {
    Session::new().call(op, input)
}

/// [`call`]'s text after `prefix`, in one buffer: the answer is written
/// straight into its envelope, and a host's framing (the raw ABI's length
/// word) costs no copy of it either. (Answers run to 133 KB for a 200-line
/// quote; in Wasm each copy is a `memory.copy`, a runtime call in V8 and
/// Cranelift.)
pub fn call_after(prefix: &str, op: &str, input: &str) -> String {
    Session::new().call_after(prefix, op, input)
}

/// Run operation `op` on JSON text: the answer as canonical JSON text (what
/// `call` puts under `ok`), or the refusal.
pub fn answer(op: &str, input: &str) -> Result<String> {
    Session::new().answer(op, input)
}

/// The input of `poster_commands` (JSON text) laid out, typed: what the JS
/// face's `drawPoster` replays on a canvas, with the operation's refusals.
pub fn poster_layout(input: &str) -> Result<crate::poster::Layout> {
    poster::layout(&decode::parse(input)?)
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
    decode::from_json(v, code::INPUT_INVALID, "输入无效", "the input is invalid")
}

/// Given rules, checked (their shape was checked as they were read).
fn checked(rules: &Rules) -> Result<()> {
    rules.validate().map_err(|e| e.under("rules"))
}

/// An answer as canonical JSON text, written in one pass after what `out`
/// holds. (Through `dyn Encode`: one writer for every answer type.)
fn answer_text(out: &mut String, t: &dyn Encode) -> Result<()> {
    encode::append_json(out, t);
    Ok(())
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "NoInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
pub(super) struct Nothing {}

fn operations(v: &Json, _: &mut Session, out: &mut String) -> Result<()> {
    let _: Nothing = input(v)?;
    answer_text(out, &OPERATIONS)
}
