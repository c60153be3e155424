//! `quote`.

use super::{answer_text, input, RulesArg, Session};
use crate::decode::{Decode, Json};
use crate::error::Result;
use crate::ledger::Member;
use crate::pricing::{self, Cart};
use crate::time::Millis;

#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(rename = "QuoteInput"))]
#[derive(Decode)]
#[serde(deny_unknown_fields)]
pub(super) struct QuoteIn {
    #[cfg_attr(feature = "ts", tsify(type = "Rules | PreparedRules"))]
    rules: RulesArg,
    #[serde(default)]
    member: Option<Member>,
    cart: Cart,
    now: Millis,
}

pub(super) fn quote(v: &Json, s: &mut Session, out: &mut String) -> Result<()> {
    let i: QuoteIn = input(v)?;
    let rules = s.rules(&i.rules)?;
    if let Some(m) = &i.member {
        m.check()?;
    }
    let q = pricing::quote(rules, i.member.as_ref(), &i.cart, i.now)?;
    // A quote's text is about 640 bytes a line and 5 KB besides (133 KB
    // for the 200-line benchmark): room for it up front, or the buffer
    // doubles three times from the input's size, copying 180 KB.
    out.reserve((8 << 10) + 700 * i.cart.lines.len());
    answer_text(out, &q)
}
