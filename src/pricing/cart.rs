//! The cart a quote prices: its lines, which coupons and how many points
//! to use, and the flash-sale units the host has counted as sold.

use crate::code;
use crate::decode::{Decode, Decoder, Expected, Json};
use crate::encode::{Encode, Writer};
use crate::error::Problems;
use crate::money::Fen;
use crate::rules::MAX_ID_LEN;
use crate::schema::{self, AnswerSchema, Defs, InputSchema, Value};
use crate::sorting::SortedMap;

/// Most lines in one cart.
pub const MAX_LINES: usize = 500;
/// Most units of one line.
pub const MAX_QUANTITY: i64 = 9_999;
/// Highest unit price: ¥100,000,000.
pub const MAX_UNIT_PRICE: Fen = 10_000_000_000;

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct CartLine {
    pub sku: String,
    pub category: String,
    /// Unit list price in fen.
    pub unit_price: Fen,
    pub quantity: i64,
}

/// Which coupons to use: the best combination (default), none, or these ids.
/// Written as `"best"`, `"none"` or a list of ids, both ways, so a cart (and
/// an event carrying one) reads back as what was written.
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "\"best\" | \"none\" | string[]"))]
#[derive(Debug, Clone, PartialEq, Default)]
pub enum CouponChoice {
    #[default]
    Best,
    None,
    Ids(Vec<String>),
}

impl Encode for CouponChoice {
    fn encode(&self, w: &mut Writer) {
        match self {
            CouponChoice::Best => w.string("best"),
            CouponChoice::None => w.string("none"),
            CouponChoice::Ids(v) => v.encode(w),
        }
    }
}

const COUPON_CHOICE: Expected =
    Expected { en: "\"best\", \"none\" or an array of coupon ids", zh: "\"best\"、\"none\" 或优惠券 id 数组" };

impl InputSchema for CouponChoice {
    fn input_schema(_: &mut Defs) -> Value {
        let ids = schema::array(Value::of_type("string"));
        Value::obj([("anyOf", Value::Arr(vec![schema::one_of(&["best", "none"]), ids]))]).described(&COUPON_CHOICE)
    }
}

impl AnswerSchema for CouponChoice {
    fn answer_schema(defs: &mut Defs) -> Value {
        Self::input_schema(defs)
    }
}

impl Decode for CouponChoice {
    fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
        match v {
            Json::Str(w) if w == "best" => Some(CouponChoice::Best),
            Json::Str(w) if w == "none" => Some(CouponChoice::None),
            Json::Arr(_) => Vec::decode(v, d).map(CouponChoice::Ids),
            _ => d.wrong(v, &COUPON_CHOICE),
        }
    }
}

/// How many points to use: a number, or `"max"` (written the same way back).
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "number | \"max\""))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointsChoice {
    Max,
    Points(i64),
}

impl Encode for PointsChoice {
    fn encode(&self, w: &mut Writer) {
        match self {
            PointsChoice::Max => w.string("max"),
            PointsChoice::Points(n) => w.int(*n),
        }
    }
}

impl Default for PointsChoice {
    fn default() -> Self {
        PointsChoice::Points(0)
    }
}

const POINTS_CHOICE: Expected =
    Expected { en: "a whole number of points or \"max\"", zh: "积分数（整数）或 \"max\"" };

impl InputSchema for PointsChoice {
    fn input_schema(defs: &mut Defs) -> Value {
        let max = schema::one_of(&["max"]);
        Value::obj([("anyOf", Value::Arr(vec![i64::input_schema(defs), max]))]).described(&POINTS_CHOICE)
    }
}

impl AnswerSchema for PointsChoice {
    fn answer_schema(defs: &mut Defs) -> Value {
        Self::input_schema(defs)
    }
}

impl Decode for PointsChoice {
    fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
        match v {
            Json::Str(w) if w == "max" => Some(PointsChoice::Max),
            Json::Num(_) => i64::decode(v, d).map(PointsChoice::Points),
            _ => d.wrong(v, &POINTS_CHOICE),
        }
    }
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Default, Encode, Decode)]
#[serde(deny_unknown_fields)]
#[decode(expected(en = "the cart object", zh = "购物车对象"))]
pub struct Cart {
    pub lines: Vec<CartLine>,
    #[serde(default)]
    pub coupons: CouponChoice,
    #[serde(default)]
    pub points: PointsChoice,
    /// Flash-sale units already sold, per campaign and SKU (the host counts).
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, Record<string, number>>"))]
    pub sold: SortedMap<String, SortedMap<String, i64>>,
}

/// Check the cart's numbers, every problem at once.
pub(crate) fn check(cart: &Cart, p: &mut Problems) {
    if cart.lines.is_empty() {
        p.push(code::CART_EMPTY, "cart.lines", "购物车为空", "the cart is empty");
    }
    if cart.lines.len() > MAX_LINES {
        p.push(
            code::TOO_MANY,
            "cart.lines",
            format!("购物车最多 {MAX_LINES} 行"),
            format!("at most {MAX_LINES} cart lines"),
        );
    }
    for (i, l) in cart.lines.iter().enumerate() {
        // Full: nothing more would be recorded (more than 500 lines are
        // refused but still checked).
        if p.full() {
            break;
        }
        // The path is written only for a problem (nearly never).
        let at = |field: &str| format!("cart.lines[{i}].{field}");
        if l.sku.is_empty() || l.sku.len() > MAX_ID_LEN {
            p.push(code::BAD_ID, at("sku"), "SKU 须为 1 到 64 字节", "a SKU must be 1 to 64 bytes");
        }
        if l.category.len() > MAX_ID_LEN {
            p.push(code::BAD_ID, at("category"), "类目最长 64 字节", "a category is at most 64 bytes");
        }
        if !(1..=MAX_QUANTITY).contains(&l.quantity) {
            p.push(
                code::BAD_QUANTITY,
                at("quantity"),
                format!("数量须在 1 到 {MAX_QUANTITY} 之间"),
                format!("quantity must be between 1 and {MAX_QUANTITY}"),
            );
        }
        if !(0..=MAX_UNIT_PRICE).contains(&l.unit_price) {
            p.push(
                code::BAD_PRICE,
                at("unit_price"),
                "单价须在 0 到 ¥100,000,000 之间",
                "unit price must be between 0 and ¥100,000,000",
            );
        }
    }
    if let PointsChoice::Points(n) = cart.points {
        if n < 0 {
            p.push(code::NEGATIVE, "cart.points", "不能为负数", "must not be negative");
        }
    }
    for (c, skus) in &cart.sold {
        for (s, n) in skus {
            if *n < 0 {
                p.push(code::NEGATIVE, format!("cart.sold.{c}.{s}"), "不能为负数", "must not be negative");
            }
        }
    }
}
