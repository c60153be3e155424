//! What a quote answers: each line with its discounts and notes, the
//! totals, and the reports of each step (campaigns, coupons, points,
//! shipping, what the order will earn).

use std::rc::Rc;

use crate::campaign::reduction::ReductionOutcome;
use crate::code::Code;
use crate::coupon::step::CouponReport;
use crate::encode::{Encode, Writer};
use crate::money::Fen;
use crate::points::redeem::PointsReport;
use crate::pricing::shipping::ShippingReport;
use crate::time::Millis;

/// How a quote line was priced.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode)]
#[serde(rename_all = "snake_case")]
pub enum PriceKind {
    List,
    Member,
    Flash,
    Limited,
    LimitedAndMember,
}

/// The pipeline step a discount comes from.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 1. A flash-sale price (秒杀).
    Flash,
    /// 1. A limited-time price (限时折扣).
    Limited,
    /// 2. The member price.
    Member,
    /// 3. A quantity discount (第二件半价).
    Quantity,
    /// 4. A full reduction (满减送).
    FullReduction,
    /// 5. A coupon.
    Coupon,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode)]
pub struct Discount {
    pub step: Step,
    /// What it came from, by the id the rules give it, so a host can show
    /// that thing's name: a campaign's id, a coupon template's id (the
    /// wallet coupons applied are in the quote's `coupons`), or for a member
    /// price the member's tier id, the paid plan's id, or `member_day`.
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub source: Text,
    pub amount: Fen,
}

/// Why a line or the shipping is priced as it is, in Chinese and English.
/// The messages are [`Text`]: a fixed message costs nothing, and a note
/// copied to many lines (the member price's, a campaign's) shares its text.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode)]
pub struct Note {
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub code: Code,
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub zh: Text,
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub en: Text,
}

pub(crate) fn note(code: Code, zh: impl Into<Text>, en: impl Into<Text>) -> Note {
    Note { code, zh: zh.into(), en: en.into() }
}

/// A discount's source: fixed (a member benefit), or shared by every line
/// the campaign or coupon reaches, so that each line's copy costs a
/// reference count, not an allocation and a free (a 200-line quote has
/// about 800 discounts; as Strings they cost 0.15 M Wasm instructions more).
/// `Rc<String>` rather than `Rc<str>`: the same speed, 1 KB less code.
/// Written, compared and printed as the plain string.
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    Shared(Rc<String>),
}

impl Text {
    /// A source to be copied to many lines.
    pub(crate) fn shared(s: &str) -> Text {
        Text(Repr::Shared(Rc::new(s.to_string())))
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(s) => s,
            Repr::Shared(s) => s,
        }
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&'static str> for Text {
    fn from(s: &'static str) -> Text {
        Text(Repr::Static(s))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Repr::Shared(Rc::new(s)))
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl crate::schema::AnswerSchema for Text {
    fn answer_schema(_: &mut crate::schema::Defs) -> crate::schema::Value {
        crate::schema::Value::of_type("string")
    }
}

impl Encode for Text {
    fn encode(&self, w: &mut Writer) {
        w.string(self.as_str())
    }
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode)]
pub struct QuoteLine {
    /// Index of the cart line this came from (a cart line can become two
    /// quote lines when a campaign limit splits it).
    pub cart_line: u32,
    pub sku: String,
    pub category: String,
    pub quantity: i64,
    pub unit_price: Fen,
    pub list: Fen,
    pub price: PriceKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    pub coupons_allowed: bool,
    pub points_allowed: bool,
    pub discounts: Vec<Discount>,
    /// After every discount, before points.
    pub goods: Fen,
    pub points_used: i64,
    pub points_deduction: Fen,
    pub paid: Fen,
    pub points_to_earn: i64,
    pub growth_to_earn: i64,
    pub notes: Vec<Note>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode)]
pub struct Totals {
    pub list: Fen,
    pub campaign_discount: Fen,
    pub member_discount: Fen,
    pub full_reduction_discount: Fen,
    pub coupon_discount: Fen,
    pub goods: Fen,
    pub points_deduction: Fen,
    pub shipping_fee: Fen,
    pub shipping_discount: Fen,
    pub shipping: Fen,
    pub payable: Fen,
    /// Everything taken off the list price and the shipping fee (points
    /// are a way to pay, not a saving).
    pub saved: Fen,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode)]
pub struct GiftLine {
    pub sku: String,
    pub name: String,
    pub campaign: String,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode)]
pub struct IssueCoupon {
    pub template: String,
    pub campaign: String,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode)]
pub struct Quote {
    pub fingerprint: String,
    pub now: Millis,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    pub member_day: bool,
    pub birthday: bool,
    pub lines: Vec<QuoteLine>,
    pub totals: Totals,
    pub campaigns: Vec<ReductionOutcome>,
    pub coupons: CouponReport,
    pub points: PointsReport,
    pub growth_to_earn: i64,
    pub shipping: ShippingReport,
    pub gifts: Vec<GiftLine>,
    pub coupons_to_issue: Vec<IssueCoupon>,
}
