//! The JSON Schema (draft 2020-12) of every operation's input and answer,
//! for hosts in other languages (docs/ABI.md §8, `docs/schema/`). Written
//! by the derives that read the inputs and write the answers
//! (`siyu::schema`), so a schema says what the decoder accepts.
//!
//! Nothing here is reachable from [`call`](super::call): none of it is
//! linked into the `.wasm`. `tests/schema.rs` compares these documents
//! with the committed files (`SIYU_BLESS=1 cargo test --test schema`
//! rewrites them) and scripts/check-schema.py validates every vector of the
//! corpus against them.

use super::{growth, ledger, poster, pricing, rules, views, Nothing, Operation};
use crate::growth::channel::{Assigned, ChannelStats};
use crate::growth::scene::{Made, Parsed, SceneParts};
use crate::ledger::views::{History, Summary, Targeting, WalletEntry};
use crate::ledger::{Booked, Member};
use crate::membership::lifecycle::Alerts;
use crate::poster::{Layout, Rendered};
use crate::pricing::Quote;
use crate::schema::{document, AnswerSchema, Defs, InputSchema, Value};

/// One operation's documents.
pub struct OpSchema {
    pub name: &'static str,
    /// The schema of the object passed to the operation.
    pub input: Value,
    /// The schema of the answer: what the envelope holds under `ok`.
    pub answer: Value,
}

type Writes = fn(&mut Defs) -> Value;

/// Each operation's input and answer types, in the order of
/// [`OPERATIONS`](super::OPERATIONS) (a test holds the two lists equal).
const TYPES: &[(&str, Writes, Writes)] = &[
    ("validate_rules", rules::RulesIn::input_schema, rules::RulesCheck::answer_schema),
    ("prepare_rules", rules::RulesIn::input_schema, rules::RulesCheck::answer_schema),
    ("quote", pricing::QuoteIn::input_schema, Quote::answer_schema),
    ("apply_event", ledger::ApplyIn::input_schema, Booked::answer_schema),
    ("replay", ledger::ReplayIn::input_schema, Member::answer_schema),
    ("member_summary", views::MemberIn::input_schema, Summary::answer_schema),
    ("points_history", views::MemberIn::input_schema, History::answer_schema),
    ("coupon_wallet", views::MemberIn::input_schema, Vec::<WalletEntry>::answer_schema),
    ("eligible_members", views::TargetIn::input_schema, Targeting::answer_schema),
    ("make_scene", SceneParts::input_schema, Made::answer_schema),
    ("parse_scene", growth::ParseIn::input_schema, Parsed::answer_schema),
    ("assign_contact", growth::AssignIn::input_schema, Assigned::answer_schema),
    ("channel_stats", growth::StatsIn::input_schema, ChannelStats::answer_schema),
    ("lifecycle_alerts", views::AlertsIn::input_schema, Alerts::answer_schema),
    ("validate_poster", poster::ValidateIn::input_schema, poster::PosterCheck::answer_schema),
    ("render_poster", poster::PosterIn::input_schema, Rendered::answer_schema),
    ("poster_commands", poster::PosterIn::input_schema, Layout::answer_schema),
    ("operations", Nothing::input_schema, Vec::<Operation>::answer_schema),
];

/// Every operation's input and answer schema, as whole documents.
pub fn schemas() -> Vec<OpSchema> {
    TYPES
        .iter()
        .map(|&(name, input, answer)| OpSchema {
            name,
            input: document(&format!("siyu {name}: input"), input),
            answer: document(&format!("siyu {name}: answer (the `ok` of the envelope)"), answer),
        })
        .collect()
}

/// The schema of the envelope's `error`: the same for every operation.
pub fn error_schema() -> Value {
    document("siyu: error (the `error` of the envelope)", crate::Error::answer_schema)
}

/// The names in [`TYPES`], to hold them equal to the operations'.
pub fn names() -> Vec<&'static str> {
    TYPES.iter().map(|t| t.0).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_operation_has_its_schemas() {
        let ops: Vec<&str> = super::super::OPERATIONS.iter().map(|o| o.name).collect();
        assert_eq!(super::names(), ops);
    }
}
