//! Prepared rule sets: a [`Session`] keeps the rules `prepare_rules` checked,
//! so later calls name them by fingerprint (`"rules": {"prepared":
//! "sha256:…"}`) instead of sending, parsing and validating the whole set
//! again. The answers are the same bytes either way.
//!
//! The core stays pure: a session is a value its owner passes in. The Wasm
//! module keeps one per instance; `siyu::ops::call` uses a fresh, empty one
//! each call.

use super::{checked, OPERATIONS};
use crate::code;
use crate::decode::{self, Decode, Decoder, Json};
use crate::error::{clip, Error, Result};
use crate::rules::Rules;
use crate::schema::{self, Defs, InputSchema, Value};

/// Most rule sets a session holds: preparing one more drops the one
/// prepared longest ago.
pub const MAX_PREPARED: usize = 4;

/// Rule sets prepared by `prepare_rules`, oldest first (at most
/// [`MAX_PREPARED`]): no clock, no hash order, so which set is dropped
/// depends only on the calls made.
///
/// ```
/// use siyu::ops::Session;
/// let mut s = Session::new();
/// let check = s.call("prepare_rules", &format!(r#"{{"rules":{}}}"#, siyu::demo::RULES));
/// let fp = &check[check.find("sha256:").unwrap()..][..71];
/// let out = s.call("validate_rules", &format!(r#"{{"rules":{{"prepared":"{fp}"}}}}"#));
/// assert_eq!(out, check);
/// // Another session (or `siyu::ops::call`) has not prepared them.
/// let other = siyu::ops::call("validate_rules", &format!(r#"{{"rules":{{"prepared":"{fp}"}}}}"#));
/// assert!(other.contains("RULES_NOT_PREPARED"));
/// ```
#[derive(Default)]
pub struct Session {
    prepared: Vec<Rules>,
}

impl Session {
    /// A session holding no rule sets.
    pub const fn new() -> Session {
        Session { prepared: Vec::new() }
    }

    /// [`super::call`] in this session: a `prepare_rules` keeps its rules
    /// here, and inputs may name them by fingerprint.
    pub fn call(&mut self, op: &str, input: &str) -> String {
        self.call_after("", op, input)
    }

    /// [`super::call_after`] in this session.
    pub fn call_after(&mut self, prefix: &str, op: &str, input: &str) -> String {
        let mut out = prefix.to_string() + "{\"ok\":";
        match self.answer_after(&mut out, op, input) {
            Ok(()) => out.push('}'),
            Err(e) => {
                out.truncate(prefix.len());
                out.push_str(&super::envelope(Err(e)));
            }
        }
        out
    }

    /// [`super::answer`] in this session.
    pub fn answer(&mut self, op: &str, input: &str) -> Result<String> {
        let mut out = String::new();
        self.answer_after(&mut out, op, input)?;
        Ok(out)
    }

    fn answer_after(&mut self, out: &mut String, op: &str, input: &str) -> Result<()> {
        // Malformed JSON is reported before an unknown operation.
        let json = decode::parse(input)?;
        let op = OPERATIONS.iter().find(|o| o.name == op).ok_or_else(|| unknown(op))?;
        // Room for an answer as long as the input (longer for a quote, much
        // shorter for a view): a start that saves most of the buffer's
        // doublings, each a copy of all written so far. At most 256 KB: a
        // huge input may well be refused.
        out.reserve(input.len().clamp(1024, 256 << 10));
        (op.run)(&json, self, out)
    }

    /// The rules an input gives or names: given rules checked, named ones
    /// as they were prepared (checked then).
    pub(super) fn rules<'a>(&'a self, arg: &'a RulesArg) -> Result<&'a Rules> {
        match arg {
            RulesArg::Given(r) => checked(r).map(|()| r),
            RulesArg::Prepared(fp) => {
                self.prepared.iter().find(|r| r.fingerprint() == fp).ok_or_else(|| not_prepared(fp))
            }
        }
    }

    /// The set named `fp`, made the newest.
    pub(super) fn renew(&mut self, fp: &str) -> Result<&Rules> {
        let i = self.prepared.iter().position(|r| r.fingerprint() == fp).ok_or_else(|| not_prepared(fp))?;
        let r = self.prepared.remove(i);
        self.prepared.push(r);
        self.prepared.last().ok_or_else(|| not_prepared(fp))
    }

    /// Keep checked `rules` as the newest set, in place of any with their
    /// fingerprint, dropping the oldest past [`MAX_PREPARED`].
    pub(super) fn keep(&mut self, rules: Rules) {
        self.prepared.retain(|r| r.fingerprint() != rules.fingerprint());
        if self.prepared.len() >= MAX_PREPARED {
            self.prepared.remove(0);
        }
        self.prepared.push(rules);
    }
}

#[cold]
fn unknown(op: &str) -> Error {
    Error::new(
        code::UNKNOWN_OPERATION,
        "op",
        format!("未知操作 `{}`", clip(op, 64)),
        format!("unknown operation `{}`", clip(op, 64)),
    )
}

#[cold]
fn not_prepared(fp: &str) -> Error {
    let fp = clip(fp, 80);
    Error::new(
        code::RULES_NOT_PREPARED,
        "rules.prepared",
        format!("规则 `{fp}` 未在此实例中预备：请用完整规则调用 prepare_rules，然后重试"),
        format!(
            "the rules `{fp}` are not prepared in this instance: call prepare_rules with the full rules, then retry"
        ),
    )
}

/// An input's `rules`: the rule set itself, or `{"prepared": "sha256:…"}`
/// naming one the session holds. An object with a `prepared` key is a
/// reference, and any other key beside it is an unknown field.
// One per input, read once and borrowed: boxing the rules would only add
// an allocation to every call that gives them in full.
#[allow(clippy::large_enum_variant)]
pub(super) enum RulesArg {
    Given(Rules),
    Prepared(String),
}

impl Decode for RulesArg {
    fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
        if let Json::Obj(m) = v {
            if m.iter().any(|(k, _)| k == "prepared") {
                let mut o = d.keys(m, &["prepared"], true);
                let fp: String = o.value(0, true);
                return o.ok().then_some(RulesArg::Prepared(fp));
            }
        }
        Rules::decode(v, d).map(RulesArg::Given)
    }
}

/// The rules object, or `{"prepared": "sha256:…"}` (named `PreparedRules`).
impl InputSchema for RulesArg {
    fn input_schema(defs: &mut Defs) -> Value {
        let given = Rules::input_schema(defs);
        let rust = std::any::type_name::<RulesArg>();
        let prepared = match defs.seen(rust, "PreparedRules") {
            Some(r) => r,
            None => {
                let fp = Value::of_type("string")
                    .with("description", "the fingerprint prepare_rules answered, \"sha256:…\"".into());
                let o = schema::object(vec![("prepared".to_string(), fp)], vec!["prepared"], true, Vec::new());
                defs.define(rust, o.with("description", "rules prepared in this instance, by fingerprint".into()))
            }
        };
        Value::obj([("oneOf", Value::Arr(vec![given, prepared]))])
    }
}
