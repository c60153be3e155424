//! Differential testing: the engine compiled natively (the `siyu` crate,
//! linked into this binary) against the shipped `.wasm` (through the raw
//! ABI on wasmtime), on generated inputs. Every case is one operation and
//! one input text; both answers must be the same bytes.
//!
//! Inputs are generated from a seed with a small deterministic PRNG
//! (SplitMix64), so a case is reproducible from the seed and its number:
//!
//! - **rules**: the demo rules, as they are or varied (UTC offsets incl.
//!   the extremes and one past them, shipping, catalog prices up to the
//!   limits, tier thresholds, scopes, any number in the document jittered
//!   to an edge value);
//! - **carts**: lines of the rules' catalog, list or other prices (up to
//!   ¥100,000,000), quantities up to 9,999 and past it, 1–500 lines, coupon
//!   and points choices;
//! - **event logs**: every event kind in random order and times, starting
//!   anywhere in 2000–2199, with refunds of real and absent lines; member
//!   states for the other operations are folded natively from such logs;
//! - **the corpus**: every input of `tests/vectors`, as it is and mutated;
//! - **prepared rules**: every eighth case that gives rules in full has them
//!   prepared first (`prepare_rules`, on both sides: the native side keeps
//!   a `siyu::ops::Session` as the instance keeps its own) and then names
//!   them by fingerprint;
//! - **hostile numbers and shapes** spliced into any of these at a random
//!   node: 2^31, 2^32, 2^53 ± 1, the i64 and u64 bounds and one past them,
//!   `-0`, `1e3`, `0.5`, huge strings, nesting at and past the depth limit,
//!   wrong types, lone surrogates, duplicate keys.
//!
//! across every operation of `siyu::ops::OPERATIONS` (and an unknown one).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{json, Map, Value};

use crate::canonical::canonical;
use crate::{Result, Siyu, Wasm};

// ------------------------------------------------------------------ the PRNG

/// SplitMix64: tiny, fast, and the same sequence everywhere.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The generator of case `n` of a run seeded `seed`.
    pub fn case(seed: u64, n: u64) -> Rng {
        let mut r = Rng(seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo.wrapping_add(self.below((hi.wrapping_sub(lo) as u64).wrapping_add(1).max(1)) as i64)
    }

    /// True with probability `k` in 100.
    pub fn pct(&mut self, k: u64) -> bool {
        self.below(100) < k
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

// ------------------------------------------------------------- edge values

const MIN_T: i64 = 946_684_800_000;
const MAX_T: i64 = 7_258_118_399_999;
const DAY: i64 = 86_400_000;

/// Integers at the edges of every width and limit the engine knows.
const EDGE_INTS: &[i64] = &[
    0,
    1,
    -1,
    2,
    99,
    100,
    127,
    128,
    255,
    256,
    9_999,
    10_000,
    10_001,
    65_535,
    65_536,
    1_000_000,
    2_147_483_647,
    2_147_483_648,
    -2_147_483_648,
    -2_147_483_649,
    4_294_967_295,
    4_294_967_296,
    4_294_967_297,
    10_000_000_000,
    10_000_000_001,
    10_000_000_000_000,
    10_000_000_000_001,
    1_000_000_000_000_000,
    1_000_000_000_000_001,
    9_007_199_254_740_991,
    9_007_199_254_740_992,
    -9_007_199_254_740_991,
    i64::MAX,
    i64::MIN,
    MIN_T,
    MIN_T - 1,
    MAX_T,
    MAX_T + 1,
];

/// Number literals JSON allows (or not) that no `Value` writes as such.
const EDGE_LITERALS: &[&str] = &[
    "-0",
    "0.0",
    "-0.0",
    "1e3",
    "1E3",
    "1e-3",
    "0.5",
    "1.0",
    "100.00",
    "1e400",
    "-1e400",
    "9007199254740993",
    "-9007199254740993",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "123456789012345678901234567890",
    "00",
    "01",
    "+1",
    ".5",
    "1.",
    "NaN",
    "Infinity",
    "0x10",
];

/// Anything else a field could be given.
fn hostile_literal(r: &mut Rng) -> String {
    match r.below(16) {
        0..=4 => r.pick(EDGE_LITERALS).to_string(),
        5..=7 => r.pick(EDGE_INTS).to_string(),
        8 => "null".into(),
        9 => r.pick(&["true", "false", "{}", "[]", "\"\"", "[0]", "{\"\":0}"]).to_string(),
        10 => {
            // a huge string: 4 KiB to 1 MiB
            let n = 1usize << r.range(12, 20);
            let c = *r.pick(&["a", "价", "😀", "\\u0000", "\\\""]);
            format!("\"{}\"", c.repeat(n / c.len().max(1)))
        }
        11 => {
            // nesting at and around the depth limit (128)
            let d = *r.pick(&[100usize, 127, 128, 129, 130, 1_000]);
            format!("{}{}", "[".repeat(d), "]".repeat(d))
        }
        12 => r.pick(&["\"\\ud800\"", "\"\\udc00x\"", "\"\\u00e9\"", "\"a\\u0000b\"", "\"\\/\""]).to_string(),
        13 => r
            .pick(&[
                "\"2026-02-29\"",
                "\"2028-02-29\"",
                "\"1999-12-31\"",
                "\"10000-01-01\"",
                "\"2026-13-01\"",
                "\"12-31\"",
                "\"02-30\"",
                "\"2026-11-25T24:00\"",
                "\"2026-11-25T10:00\"",
            ])
            .to_string(),
        14 => format!("{{\"a\":{},\"a\":{}}}", r.range(0, 9), r.range(0, 9)),
        _ => format!(
            "\"{}\"",
            r.pick(&["best", "none", "max", "year", "month", "never", "type", "kind", "tea", "x".repeat(65).as_str()])
        ),
    }
}

// ---------------------------------------------------------- the rule sets

/// Names a generator takes from a rule set, so events and carts refer to
/// what exists (whatever the format calls its fields).
#[derive(Default, Clone)]
struct Names {
    catalog: Vec<(String, String, i64)>,
    coupons: Vec<String>,
    activities: Vec<String>,
    mall: Vec<String>,
    plans: Vec<String>,
}

fn names(rules: &Value) -> Names {
    let ids = |v: &Value| -> Vec<String> {
        v.as_array().map(|a| a.iter().filter_map(|x| x["id"].as_str().map(String::from)).collect()).unwrap_or_default()
    };
    let catalog = rules["catalog"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| {
                    Some((c["sku"].as_str()?.to_string(), c["category"].as_str()?.to_string(), c["price"].as_i64()?))
                })
                .collect()
        })
        .unwrap_or_default();
    Names {
        catalog,
        coupons: ids(&rules["coupons"]),
        activities: rules["points"]["activities"].as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default(),
        mall: ids(&rules["points"]["mall"]),
        plans: ids(&rules["membership"]["paid_plans"]),
    }
}

/// Every number node of a value, as paths.
fn number_paths(v: &Value, path: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    match v {
        Value::Number(_) => out.push(path.clone()),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(PathStep::Index(i));
                number_paths(x, path, out);
                path.pop();
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                path.push(PathStep::Key(k.clone()));
                number_paths(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn at_mut<'a>(v: &'a mut Value, path: &[PathStep]) -> Option<&'a mut Value> {
    let mut cur = v;
    for s in path {
        cur = match s {
            PathStep::Key(k) => cur.get_mut(k.as_str())?,
            PathStep::Index(i) => cur.get_mut(*i)?,
        };
    }
    Some(cur)
}

/// A number near `n`: a neighbour, a multiple, an edge.
fn near(r: &mut Rng, n: i64) -> i64 {
    match r.below(8) {
        0 => n.saturating_add(1),
        1 => n.saturating_sub(1),
        2 => n.saturating_mul(r.range(2, 1000)),
        3 => n / r.range(2, 100),
        4 => n.saturating_neg(),
        5 => 0,
        _ => *r.pick(EDGE_INTS),
    }
}

/// The demo rules, as they are (a third), varied within what a merchant
/// writes, or with any number jittered.
fn rules(r: &mut Rng, demo: &Value) -> Value {
    let mut v = demo.clone();
    match r.below(6) {
        0 | 1 => {}
        2..=4 => {
            if r.pct(70) {
                v["utc_offset_minutes"] = json!(if r.pct(30) {
                    *r.pick(&[-720i64, -721, -719, -60, -1, 0, 1, 345, 480, 839, 840, 841])
                } else {
                    r.range(-720, 840)
                });
            }
            if r.pct(40) {
                v["shipping"]["fee"] = json!(r.range(0, 5_000));
                if r.pct(50) {
                    v["shipping"]["free_over"] = json!(r.range(0, 100_000));
                }
            }
            if r.pct(40) {
                if let Some(cat) = v["catalog"].as_array_mut() {
                    for c in cat {
                        if r.pct(50) {
                            // up, mostly (a campaign price must stay below it)
                            let p = c["price"].as_i64().unwrap_or(100);
                            let up = [p + 1, p * r.range(2, 10_000), 10_000_000_000, r.range(1, 100_000)];
                            c["price"] = json!(up[if r.pct(90) { r.below(3) as usize } else { 3 }].min(10_000_000_000));
                        }
                    }
                }
            }
            if r.pct(30) {
                if let Some(ts) = v["membership"]["tiers"].as_array_mut() {
                    let mut at = 0;
                    for (i, t) in ts.iter_mut().enumerate() {
                        if i > 0 {
                            at += r.range(1, 1_000_000);
                            t["threshold"] = json!(at);
                            if t.get("retain").is_some() {
                                t["retain"] = json!(r.range(0, at));
                            }
                        }
                    }
                }
            }
            if r.pct(30) {
                v["membership"]["review"] = json!({ "period": *r.pick(&["month", "quarter", "year"]) });
            }
            if r.pct(30) {
                // a scope: every campaign and coupon that has one gets another
                let cats = ["tea", "teaware", "snacks", "gifts", "giftcard", "none"];
                let scope = match r.below(4) {
                    0 => json!({}),
                    1 => json!({ "categories": [*r.pick(&cats)] }),
                    2 => json!({ "exclude_categories": [*r.pick(&cats)] }),
                    _ => json!({ "skus": ["tea-longjing", "pot-clay"] }),
                };
                for c in v["coupons"].as_array_mut().into_iter().flatten() {
                    if c.get("scope").is_some() && r.pct(50) {
                        c["scope"] = scope.clone();
                    }
                }
                for c in v["campaigns"].as_array_mut().into_iter().flatten() {
                    if c["kind"].get("scope").is_some() && r.pct(50) {
                        c["kind"]["scope"] = scope.clone();
                    }
                }
            }
        }
        _ => {
            let mut paths = Vec::new();
            number_paths(&v, &mut Vec::new(), &mut paths);
            for _ in 0..r.range(1, 3) {
                if paths.is_empty() {
                    break;
                }
                let p = r.pick(&paths).clone();
                if let Some(x) = at_mut(&mut v, &p) {
                    let n = x.as_i64().unwrap_or(0);
                    *x = json!(near(r, n));
                }
            }
        }
    }
    v
}

// --------------------------------------------------------------- carts

fn cart(r: &mut Rng, n: &Names, coupons_held: &[String]) -> Value {
    // One cart in six tries the cart limits; the rest stay within them.
    let edgy = r.pct(16);
    let lines = match r.below(10) {
        0 => r.range(30, 500),
        1 if edgy => 0,
        2 if edgy => 501,
        _ => r.range(1, 8),
    };
    let mut out = Vec::new();
    for _ in 0..lines {
        let (sku, cat, price) = if n.catalog.is_empty() || r.pct(3) {
            ("no-such-sku".to_string(), "tea".to_string(), 100)
        } else {
            r.pick(&n.catalog).clone()
        };
        let unit_price = match r.below(10) {
            0 => r.range(0, 100_000),
            1 if edgy => *r.pick(&[10_000_000_000i64, 9_999_999_999, 10_000_000_001, 0, -1]),
            1 => *r.pick(&[10_000_000_000i64, 9_999_999_999, 1]),
            _ => price,
        };
        let quantity = match r.below(12) {
            0 if edgy => *r.pick(&[9_999i64, 10_000, 0, -1, 1_000, 1_001]),
            0 => *r.pick(&[9_999i64, 1_000, 1_001]),
            1 => r.range(1, 9_999),
            _ => r.range(1, 4),
        };
        out.push(json!({ "sku": sku, "category": cat, "unit_price": unit_price, "quantity": quantity }));
    }
    let mut c = Map::new();
    c.insert("lines".into(), Value::Array(out));
    match r.below(4) {
        0 => {}
        1 => {
            c.insert("coupons".into(), json!("best"));
        }
        2 => {
            c.insert("coupons".into(), json!("none"));
        }
        _ => {
            let k = r.range(0, 3) as usize;
            let ids: Vec<Value> =
                (0..k)
                    .map(|_| {
                        if coupons_held.is_empty() || r.pct(20) {
                            json!("c-none")
                        } else {
                            json!(r.pick(coupons_held))
                        }
                    })
                    .collect();
            c.insert("coupons".into(), Value::Array(ids));
        }
    }
    match r.below(4) {
        0 => {}
        1 => {
            c.insert("points".into(), json!("max"));
        }
        _ => {
            c.insert("points".into(), json!(*r.pick(&[0i64, 1, 100, 150, 10_000, 1_000_000])));
        }
    }
    Value::Object(c)
}

// ------------------------------------------------------------- event logs

struct Log {
    events: Vec<Value>,
    clock: i64,
    orders: Vec<String>,
    coupons: Vec<String>,
}

fn start_time(r: &mut Rng) -> i64 {
    match r.below(6) {
        0 => MIN_T + r.range(0, 3 * DAY),
        1 => MAX_T - r.range(0, 60 * DAY),
        2 => r.range(MIN_T, MAX_T),
        _ => 1_767_578_400_000 + r.range(0, 400 * DAY), // 2026, where the demo's dates are
    }
}

fn event_log(r: &mut Rng, n: &Names, len: usize) -> Log {
    let mut at = start_time(r);
    let mut log = Log { events: Vec::new(), clock: at, orders: Vec::new(), coupons: Vec::new() };
    log.events.push(json!({ "id": "e0", "at": at, "type": "joined", "member": "m1" }));
    for k in 1..=len {
        at += match r.below(10) {
            0 => 0,
            1 => r.range(1, 400) * DAY,
            2 => -r.range(1, 1000),
            _ => r.range(1, 6 * 60) * 60_000,
        };
        let id = if r.pct(2) { "e0".to_string() } else { format!("e{k}") };
        let mut e = json!({ "id": id, "at": at });
        let pick = |r: &mut Rng, xs: &[String], none: &str| -> String {
            if xs.is_empty() || r.pct(5) {
                none.to_string()
            } else {
                r.pick(xs).clone()
            }
        };
        match r.below(18) {
            0..=2 => {
                let order = format!("o{k}");
                e["type"] = json!("order_placed");
                e["order"] = json!(order);
                e["cart"] = cart(r, n, &log.coupons);
                if r.pct(10) {
                    e["expect_payable"] = json!(r.range(0, 100_000));
                }
                log.orders.push(order);
            }
            3 | 4 => {
                e["type"] = json!("order_completed");
                e["order"] = json!(pick(r, &log.orders, "o-none"));
            }
            5 | 6 => {
                e["type"] = json!("order_refunded");
                e["order"] = json!(pick(r, &log.orders, "o-none"));
                if r.pct(60) {
                    let line = match r.below(5) {
                        0 => *r.pick(&[4_294_967_296i64, 4_294_967_297, 2_147_483_648, 9_007_199_254_740_991, -1]),
                        _ => r.range(0, 3),
                    };
                    e["lines"] = json!([{ "line": line, "quantity": r.range(0, 3) }]);
                }
            }
            7 => e["type"] = json!("checked_in"),
            8 => {
                e["type"] = json!("activity");
                e["name"] = json!(pick(r, &n.activities, "no-such-activity"));
            }
            9 => {
                let coupon = format!("c{k}");
                e["type"] = json!("coupon_claimed");
                e["template"] = json!(pick(r, &n.coupons, "no-such-template"));
                if r.pct(70) {
                    e["coupon"] = json!(coupon);
                    log.coupons.push(coupon);
                } else {
                    log.coupons.push(format!("e{k}"));
                }
                if r.pct(10) {
                    e["stock_left"] = json!(r.range(-1, 2));
                }
            }
            10 => {
                e["type"] = json!("mall_exchanged");
                e["item"] = json!(pick(r, &n.mall, "no-such-item"));
            }
            11 => {
                e["type"] = json!("membership_purchased");
                e["plan"] = json!(pick(r, &n.plans, "no-such-plan"));
            }
            12 => {
                e["type"] = json!(*r.pick(&["coupon_used", "coupon_restored"]));
                e["coupon"] = json!(pick(r, &log.coupons, "c-none"));
                if e["type"] == "coupon_used" {
                    e["reference"] = json!("pos-1");
                }
            }
            13 => {
                e["type"] = json!("referral_bound");
                e["inviter"] = json!(*r.pick(&["m-ann", "m1", "m-cy", ""]));
                e["scene"] = json!(*r.pick(&["M9V61", "M9W61", "G1A-C7-K1ZA1", "m9v61"]));
                e["first_scan_at"] = json!(at - r.range(-1, 40) * DAY);
                if r.pct(30) {
                    e["chain"] = json!(*r.pick(&[&["m-cy"][..], &["m-cy", "m1"], &[]]));
                }
                if r.pct(70) {
                    e["fingerprints"] = json!(["device:d1", "phone:p1"]);
                }
                if r.pct(20) {
                    e["seen"] = json!(*r.pick(&["device:d1", "phone:p9"]));
                    e["seen"] = json!([e["seen"].clone()]);
                }
            }
            14 => {
                e["type"] = json!("referral_reward");
                e["invitee"] = json!(*r.pick(&["m-bo", "m1", "m-cy"]));
                e["reason"] = json!(*r.pick(&["joined", "first_order", "first_order", "shared"]));
                if r.pct(50) {
                    e["order"] = json!("o1");
                }
                e["points"] = json!(*r.pick(&[0i64, 500, -1, 10_000_000_001]));
                if r.pct(50) {
                    e["coupon"] = json!(pick(r, &n.coupons, "no-such-template"));
                }
                e["growth"] = json!(r.range(0, 100));
                if r.pct(60) {
                    e["budget_used"] = json!(r.range(0, 12_000));
                }
            }
            15 => {
                e["type"] = json!("commission");
                e["buyer"] = json!(*r.pick(&["m-bo", "m1", ""]));
                e["order"] = json!(*r.pick(&["o1", "o2"]));
                e["level"] = json!(*r.pick(&[1, 2, 2, 3, 0]));
                e["stage"] = json!(*r.pick(&["placed", "placed", "completed", "refunded", "paid"]));
                if r.pct(70) {
                    e["rate_bp"] = json!(*r.pick(&[1000, 500, 0, 3001]));
                }
                let lines: Vec<Value> = (0..r.range(0, 3))
                    .map(|i| json!({ "line": if r.pct(90) { i } else { 7 }, "money": r.range(-1, 20_000) }))
                    .collect();
                e["lines"] = json!(lines);
            }
            16 => {
                e["type"] = json!("commission_withdrawn");
                e["amount"] = json!(*r.pick(&[0i64, 500, 1000, 5000, 10_000_000_000_001]));
            }
            _ => {
                if r.pct(30) {
                    // Invite tasks: a friend follows or leaves; a step on an inviter.
                    match r.below(3) {
                        0 => e["type"] = json!("followed"),
                        1 => e["type"] = json!("left"),
                        _ => {
                            e["type"] = json!("invite_task_step");
                            e["task"] = json!(*r.pick(&["tb-winter", "tb-winter", "no-such-task"]));
                            e["invitee"] = json!(*r.pick(&["m-bo", "m-cy", "m1", ""]));
                            e["standing"] = json!(*r.pick(&["pending", "qualified", "qualified", "dropped", "shared"]));
                        }
                    }
                } else if r.pct(50) {
                    e["type"] = json!("time_advanced");
                } else {
                    e["type"] = json!("profile_set");
                    e["birthday"] = json!(*r.pick(&["11-03", "02-29", "12-31", "13-01"]));
                    e["tags"] = json!(["tea-lover"]);
                }
            }
        }
        log.clock = log.clock.max(at);
        log.events.push(e);
    }
    log
}

/// The state natively folded from the longest prefix of `events` that
/// replays (the engine's own answer, as a host would have cached it).
fn fold(rules: &Value, events: &[Value]) -> Option<(Value, usize)> {
    let mut n = events.len();
    loop {
        let input = json!({ "rules": rules, "events": &events[..n] });
        let out: Value = serde_json::from_str(&siyu::ops::call("replay", &canonical(&input))).ok()?;
        if let Some(m) = out.get("ok") {
            return Some((m.clone(), n));
        }
        // `events[i]…` names the event that was refused: fold before it.
        let path = out["error"]["path"].as_str().unwrap_or("");
        let i = path.strip_prefix("events[").and_then(|p| p.split(']').next()).and_then(|p| p.parse::<usize>().ok());
        match i {
            Some(i) if i < n && i > 0 => n = i,
            _ => return None,
        }
    }
}

// -------------------------------------------------------------- the cases

/// One generated case: an operation and its input text.
pub struct Case {
    pub op: String,
    pub input: String,
    /// how it was made, for the report of a mismatch
    pub how: &'static str,
}

/// What a generator draws from: the demo rules, the corpus inputs by op.
pub struct Sources {
    demo: Value,
    corpus: Vec<(String, Value)>,
    ops: Vec<String>,
}

impl Sources {
    pub fn load(vectors: &Path) -> Result<Sources> {
        let demo: Value = serde_json::from_str(siyu::demo::RULES).map_err(|e| format!("demo rules: {e}"))?;
        let corpus = match crate::conformance::load(vectors) {
            Ok(vs) => vs
                .into_iter()
                .filter(|v| v.input.len() < 300_000)
                .filter_map(|v| crate::canonical::parse(&v.input).ok().map(|i| (v.op, i)))
                .collect(),
            Err(_) => Vec::new(),
        };
        let ops = siyu::ops::OPERATIONS.iter().map(|o| o.name.to_string()).collect();
        Ok(Sources { demo, corpus, ops })
    }
}

fn now_after(r: &mut Rng, clock: i64) -> i64 {
    match r.below(6) {
        0 => clock,
        1 => clock - 1,
        2 => MAX_T,
        _ => clock.saturating_add(r.range(0, 800) * DAY).min(MAX_T + 1),
    }
}

/// A valid-looking input for `op`.
fn input_for(r: &mut Rng, s: &Sources, op: &str) -> (Value, &'static str) {
    let rules_v = rules(r, &s.demo);
    let n = names(&rules_v);
    let member = |r: &mut Rng| -> (Value, i64, Vec<String>) {
        let len = r.range(0, 12) as usize;
        let log = event_log(r, &n, len);
        match fold(&rules_v, &log.events) {
            Some((m, _)) => {
                let clock = m["clock"].as_i64().unwrap_or(log.clock);
                (m, clock, log.coupons)
            }
            None => (Value::Null, log.clock, log.coupons),
        }
    };
    match op {
        "validate_rules" | "prepare_rules" => (json!({ "rules": rules_v }), "rules"),
        "quote" => {
            let (m, clock, coupons) = if r.pct(80) { member(r) } else { (Value::Null, start_time(r), Vec::new()) };
            let mut i = json!({ "rules": rules_v, "cart": cart(r, &n, &coupons), "now": now_after(r, clock) });
            if !m.is_null() {
                i["member"] = m;
            }
            (i, "quote of a generated cart and member")
        }
        "apply_event" => {
            let len = r.range(1, 14) as usize;
            let log = event_log(r, &n, len);
            let cut = r.range(0, len as i64) as usize;
            let (m, k) = fold(&rules_v, &log.events[..cut.max(1)]).unwrap_or((Value::Null, 0));
            let e = log.events.get(k.max(cut).min(len)).cloned().unwrap_or(json!({}));
            let mut i = json!({ "rules": rules_v, "event": e });
            if !m.is_null() && r.pct(90) {
                i["member"] = m;
            }
            (i, "apply_event on a generated log")
        }
        "replay" => {
            let len = r.range(0, 30) as usize;
            let mut events = event_log(r, &n, len).events;
            if r.pct(60) {
                // the part of it that books, mostly: a log a host would hold
                let k = fold(&rules_v, &events).map_or(1, |(_, k)| k);
                events.truncate(k);
            }
            (json!({ "rules": rules_v, "events": events }), "replay of a generated log")
        }
        "member_summary" | "points_history" | "coupon_wallet" => {
            let (m, clock, _) = member(r);
            (json!({ "rules": rules_v, "member": m, "now": now_after(r, clock) }), "view of a generated member")
        }
        "eligible_members" => {
            let k = r.range(0, 4);
            let mut ms = Vec::new();
            let mut clock = MIN_T;
            for _ in 0..k {
                let (m, c, _) = member(r);
                clock = clock.max(c);
                ms.push(m);
            }
            let t = if n.coupons.is_empty() { "none".to_string() } else { r.pick(&n.coupons).clone() };
            (
                json!({ "rules": rules_v, "template": t, "members": ms, "now": now_after(r, clock) }),
                "eligible_members of generated members",
            )
        }
        "make_scene" => (scene_parts(r), "make_scene of generated numbers"),
        "parse_scene" => {
            // A scene the engine made, or a bare code, then changed a little:
            // case, an alias, one character, a cut, a doubled part.
            let p = scene_parts(r);
            let mut s = siyu::ops::answer("make_scene", &p.to_string())
                .ok()
                .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                .and_then(|v| v["scene"].as_str().map(str::to_string))
                .unwrap_or_else(|| "M9V61".to_string());
            let mut b = s.clone().into_bytes();
            match r.below(8) {
                0 => s = s.to_lowercase(),
                1 => s = s.replace('1', "l").replace('0', "O"),
                2 if !b.is_empty() => {
                    let i = r.below(b.len() as u64) as usize;
                    b[i] = *r.pick(&SCENE_BYTES);
                    s = String::from_utf8(b).unwrap_or_default();
                }
                3 => s.truncate(r.below(s.len() as u64 + 1) as usize),
                4 => s = format!("{s}{s}"),
                5 => s = format!("{s}%3D"),
                _ => {}
            }
            (json!({ "scene": s }), "parse_scene of a made scene, changed")
        }
        "lifecycle_alerts" => {
            // Members' order marks around one `now`: gaps of days to
            // months, amounts to the state limit, a few past `now`.
            let now = r.range(MIN_T + 400 * DAY, MAX_T);
            let mut ms = Vec::new();
            for k in 0..r.range(0, 6) {
                let joined = now - r.range(0, 900) * DAY - r.range(0, DAY);
                let mut at = joined - r.range(0, 60) * DAY;
                let mut orders = Vec::new();
                for _ in 0..r.range(0, 12) {
                    at += r.range(0, 90) * DAY + r.range(0, DAY);
                    let paid = if r.pct(10) { *r.pick(EDGE_INTS) } else { r.range(0, 100_000) };
                    orders.push(json!({ "at": at.min(now + r.range(-1, 1)), "paid": paid }));
                }
                ms.push(json!({ "id": format!("m{k}"), "joined_at": joined, "orders": orders }));
            }
            let days = r.range(-2, 800);
            let since_ms = now - days * DAY;
            let since = siyu::time::Zone::new(0).date(since_ms.clamp(MIN_T, MAX_T)).to_string();
            (
                json!({ "rules": rules_v, "since": since, "now": now, "members": ms }),
                "lifecycle_alerts of generated orders",
            )
        }
        "assign_contact" => {
            // Random channels (weights to the 1,000 limit and past it),
            // by scene or id, counters at the edges of 2^53.
            let mut rules_v = rules_v.clone();
            rules_v["channels"] = channels(r);
            let number = *r.pick(&[1u64, 2, 3, 1111, (1 << 53) - 1]);
            let mut i = json!({ "rules": rules_v });
            i["counter"] = json!(match r.below(4) {
                0 => r.below(10),
                1 => (1u64 << 53) - 1 - r.below(3),
                _ => r.below(1 << 53),
            });
            match r.below(3) {
                0 => i["channel"] = json!(format!("ch{}", r.below(4))),
                1 => {
                    let p = json!({ "kind": "channel", "number": number });
                    i["scene"] = siyu::ops::answer("make_scene", &p.to_string())
                        .ok()
                        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                        .map_or(json!("C35Z"), |v| v["scene"].clone());
                }
                _ => i["scene"] = json!(*r.pick(&["C35Z", "G1A-C7=", "M9V61", "c35z", "C35A"])),
            }
            (i, "assign_contact on generated channels")
        }
        "channel_stats" => {
            // Contacts' events around local-day edges, at a random offset.
            let mut rules_v = rules_v.clone();
            rules_v["channels"] = channels(r);
            rules_v["utc_offset_minutes"] = json!(*r.pick(&[-720, -300, 0, 330, 480, 840]));
            let t0 = r.range(MIN_T, MAX_T - 40 * DAY);
            let mut cs = Vec::new();
            for k in 0..r.range(0, 6) {
                let mut events = Vec::new();
                for _ in 0..r.range(0, 8) {
                    let kind = *r.pick(&["scanned", "joined", "paid", "refunded"]);
                    let fen = if kind == "paid" || kind == "refunded" {
                        if r.pct(10) {
                            *r.pick(EDGE_INTS)
                        } else {
                            r.range(0, 100_000)
                        }
                    } else {
                        0
                    };
                    let within = r.range(0, DAY);
                    let at = t0 + r.range(0, 10) * DAY + *r.pick(&[-1, 0, 1, within]);
                    events.push(json!({ "kind": kind, "at": at, "fen": fen }));
                }
                // Mostly a channel the rules have; now and then one they lack.
                let known = rules_v["channels"].as_array().map_or(0, Vec::len) as u64;
                let ch = if r.pct(90) && known > 0 { r.below(known) } else { r.below(5) };
                let mut c = json!({ "member": format!("m{k}"), "channel": format!("ch{ch}"), "events": events });
                if r.pct(70) {
                    c["guide"] = json!(format!("g{}", r.below(3)));
                }
                cs.push(c);
            }
            let day = |ms: i64| siyu::time::Zone::new(0).date(ms.clamp(MIN_T, MAX_T)).to_string();
            let from = t0 + r.range(-1, 6) * DAY;
            let to = from + r.range(-1, 6) * DAY;
            (
                json!({ "rules": rules_v, "from": day(from), "to": day(to), "contacts": cs }),
                "channel_stats of generated contacts",
            )
        }
        "validate_poster" => (json!({ "template": poster_template(r) }), "validate_poster of a generated template"),
        "render_poster" | "poster_commands" => (poster_input(r), "a generated poster"),
        _ => (json!({}), "empty input"),
    }
}

/// Text for a poster: CJK, Latin, emoji sequences, newlines, braces, and
/// lengths around the 200-character limit.
fn poster_text(r: &mut Rng) -> String {
    const BITS: &[&str] =
        &["山茶小铺", "Siyu ", "👨‍👩‍👧‍👦", "👍🏽", "🇨🇳", "\n", "\n\n", "{{", "}}", "…", "<&>", " ", "é", "会员日积分翻倍，"];
    let mut t = String::new();
    for _ in 0..r.range(0, 12) {
        let bit: &str = BITS[r.below(BITS.len() as u64) as usize];
        t.push_str(bit);
    }
    if r.pct(10) {
        t = "长".repeat(r.range(190, 210) as usize);
    }
    t.replace("\\n", "\n")
}

/// A poster template of random elements, numbers near their limits.
fn poster_template(r: &mut Rng) -> Value {
    let (w, h) = (r.range(1, 1200) as u64, r.range(1, 1600) as u64);
    let mut els = Vec::new();
    let num = |r: &mut Rng, max: u64| -> u64 { r.below(max.max(1)) };
    for _ in 0..r.range(0, 8) {
        let (x, y) = (num(r, w), num(r, h));
        let (ew, eh) = (num(r, w - x + 2) + 1, num(r, h - y + 2) + 1);
        let e = match r.below(4) {
            0 => json!({ "type": "rect", "x": x, "y": y, "width": ew, "height": eh, "fill": "#FFEEDD",
                         "radius": num(r, ew.min(eh) / 2 + 2) }),
            1 => {
                let mut e = json!({ "type": "image", "image": *r.pick(&["avatar", "logo", "photo"]), "x": x, "y": y,
                                    "width": ew, "height": eh, "fit": *r.pick(&["cover", "contain"]) });
                if r.pct(40) {
                    e["clip"] = json!("circle");
                } else if r.pct(40) {
                    e["radius"] = json!(num(r, ew.min(eh) / 2 + 2));
                }
                e
            }
            2 => {
                let text = *r.pick(&["{nickname}", "邀请你加入{store}", "¥{price}", "{title}", "a{{b}}c {product}"]);
                json!({ "type": "text", "x": x, "y": y, "width": ew, "text": text, "size": r.range(6, 80),
                        "max_lines": r.range(1, 4), "align": *r.pick(&["left", "center", "right"]),
                        "weight": *r.pick(&["normal", "bold"]) })
            }
            _ => json!({ "type": "qr", "x": x, "y": y, "size": ew.min(eh),
                         "content": *r.pick(&["https://mall.example.com/s?scene={scene}", "{link}", "{code}", "HELLO"]),
                         "level": *r.pick(&["L", "M", "Q", "H"]), "quiet_zone": r.range(0, 5) }),
        };
        els.push(e);
    }
    json!({ "width": w, "height": h, "background": { "color": "#FFF7E8" }, "elements": els })
}

/// `bytes` as a `data:image/png;base64,` URL.
pub fn png_data_url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::from("data:image/png;base64,");
    for c in bytes.chunks(3) {
        let byte = |i: usize| u32::from(c.get(i).copied().unwrap_or(0));
        let n = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        for k in 0..4 {
            if k <= c.len() {
                s.push(A[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// A template with fields and images for it (now and then one too many,
/// one missing, or a broken image).
fn poster_input(r: &mut Rng) -> Value {
    let t = poster_template(r);
    let text = t.to_string();
    let mut fields = serde_json::Map::new();
    for f in ["nickname", "store", "price", "title", "product", "scene", "link", "code"] {
        if text.contains(&format!("{{{f}}}")) && !r.pct(3) {
            let v = match f {
                "scene" | "code" => (*r.pick(&["M8K2D7", "S12C3X-K9", "x"])).to_string(),
                "link" => "https://mall.example.com/p/123".to_string(),
                _ => poster_text(r),
            };
            fields.insert(f.to_string(), json!(v));
        }
    }
    let png = png_data_url(siyu::demo::AVATAR_PNG);
    let mut images = serde_json::Map::new();
    for name in ["avatar", "logo", "photo"] {
        if text.contains(&format!("\"image\":\"{name}\"")) && r.pct(85) {
            let url = match r.below(10) {
                0 => png.replacen("iVBOR", "iVBOr", 1),
                1 => png[..png.len() - 3].to_string(),
                _ => png.clone(),
            };
            images.insert(name.to_string(), json!(url));
        }
    }
    json!({ "template": t, "fields": fields, "images": images })
}

/// A `channels` block: up to 4 channels `ch0`…, numbers that may repeat,
/// staff weights that may pass the limits.
fn channels(r: &mut Rng) -> Value {
    let mut out = Vec::new();
    for k in 0..r.range(0, 4) {
        let mut staff = Vec::new();
        for g in 0..r.range(0, 5) {
            let w = if r.pct(2) { 1001 } else { r.range(0, 250) };
            staff.push(json!({ "id": format!("g{g}"), "weight": w }));
        }
        // Numbers repeat now and then (a DUPLICATE_ID).
        let number = if r.pct(90) { k as u64 + 1 } else { *r.pick(&[1u64, 2, 3, 1111, (1 << 53) - 1]) };
        let kind = *r.pick(&["store", "guide", "event", "poster_batch"]);
        out.push(json!({ "id": format!("ch{k}"), "kind": kind, "number": number, "staff": staff, "tags": ["t"] }));
    }
    json!(out)
}

/// Characters of scenes, aliases and some no scene holds.
const SCENE_BYTES: [u8; 24] = *b"019AZaziIlLoOuU-*~$=!%_.";

/// A `make_scene` input: a kind, a number, maybe a channel and a campaign,
/// at the edges of the numbers' range (2^53 − 1) and past it.
fn scene_parts(r: &mut Rng) -> Value {
    let number = |r: &mut Rng| -> u64 {
        match r.below(5) {
            0 => r.below(64),
            1 => (1u64 << 53) - 1 - r.below(3),
            2 => 1u64 << r.below(54),
            3 => r.below(1 << 53),
            _ => r.below(1 << 20),
        }
    };
    let kind = *r.pick(&["member", "guide", "store", "channel"]);
    let mut i = json!({ "kind": kind, "number": number(r) });
    if r.pct(50) {
        i["channel"] = json!(number(r));
    }
    if r.pct(50) {
        i["campaign"] = json!(number(r));
    }
    i
}

/// Case `n` of a run seeded `seed`.
pub fn case(s: &Sources, seed: u64, n: u64) -> Case {
    let mut r = Rng::case(seed, n);
    let mut op = r.pick(&s.ops).clone();
    if r.pct(1) {
        op = (*r.pick(&["", "Quote", "quote ", "no_such_op", "operations\u{0}"])).to_string();
    }
    let (mut input, mut how) = if !s.corpus.is_empty() && r.pct(35) {
        let (o, i) = r.pick(&s.corpus).clone();
        op = o;
        (i, "corpus input")
    } else {
        input_for(&mut r, s, &op)
    };
    // Semantic mutations: a number nudged to an edge.
    if r.pct(25) {
        let mut paths = Vec::new();
        number_paths(&input, &mut Vec::new(), &mut paths);
        for _ in 0..r.range(1, 3) {
            if paths.is_empty() {
                break;
            }
            let p = r.pick(&paths).clone();
            if let Some(x) = at_mut(&mut input, &p) {
                let v = x.as_i64().unwrap_or(0);
                *x = json!(near(&mut r, v));
            }
        }
        how = "mutated numbers";
    }
    // Textual splices: a hostile literal in place of a random node.
    let text = if r.pct(30) {
        let total = count_nodes(&input);
        let at = r.below(total.max(1) as u64) as usize;
        let lit = hostile_literal(&mut r);
        let mut out = String::new();
        let mut k = 0;
        write_with(&input, at, &lit, &mut k, &mut out);
        how = "hostile splice";
        out
    } else {
        canonical(&input)
    };
    Case { op, input: text, how }
}

fn count_nodes(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count_nodes).sum(),
        Value::Object(o) => o.values().map(count_nodes).sum(),
        _ => 0,
    }
}

/// Canonical text of `v` with node number `at` (pre-order) written as `lit`.
fn write_with(v: &Value, at: usize, lit: &str, k: &mut usize, out: &mut String) {
    let me = *k;
    *k += 1;
    if me == at {
        out.push_str(lit);
        // keep the count of the skipped subtree
        *k += count_nodes(v) - 1;
        return;
    }
    match v {
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_with(x, at, lit, k, out);
            }
            out.push(']');
        }
        Value::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_with(&o[key], at, lit, k, out);
            }
            out.push('}');
        }
        other => out.push_str(&canonical(other)),
    }
}

// ----------------------------------------------------------------- a run

#[derive(Default)]
pub struct OpCount {
    pub cases: u64,
    /// answers that were `{"ok": …}` (the rest are typed errors)
    pub ok: u64,
}

pub struct Report {
    pub seed: u64,
    pub cases: u64,
    pub identical: u64,
    pub per_op: BTreeMap<String, OpCount>,
    /// how often each error code was the answer (both sides agreeing)
    pub codes: BTreeMap<String, u64>,
    /// cases per way of making them
    pub per_how: BTreeMap<&'static str, OpCount>,
    pub failures: Vec<PathBuf>,
    pub seconds: f64,
}

/// Run cases `0..cases` (`cases == 0`: until `stop` says so) of seed
/// `seed`; write each mismatch to `out_dir/diff-<seed>-<case>.json`.
/// `progress` is called every `every` cases.
pub fn run(
    wasm: &Wasm,
    vectors: &Path,
    seed: u64,
    cases: u64,
    out_dir: &Path,
    progress: &mut dyn FnMut(&Report),
) -> Result<Report> {
    let sources = Sources::load(vectors)?;
    let mut inst: Siyu = wasm.instantiate()?;
    let started = Instant::now();
    let mut rep = Report {
        seed,
        cases: 0,
        identical: 0,
        per_op: BTreeMap::new(),
        codes: BTreeMap::new(),
        per_how: BTreeMap::new(),
        failures: Vec::new(),
        seconds: 0.0,
    };
    // The native side of the instance's session: prepared rules on both.
    let mut session = siyu::ops::Session::new();
    let mut n = 0u64;
    while cases == 0 || n < cases {
        let mut c = case(&sources, seed, n);
        if n % 8 == 7 {
            by_fingerprint(&mut c, &mut session, &mut inst);
        }
        let native = session.call(&c.op, &c.input);
        let wasm_answer = match inst.call(&c.op, c.input.as_bytes()) {
            Ok(a) => a.text,
            Err(f) => {
                // A trap: record it, and start a fresh instance (and session).
                inst = wasm.instantiate()?;
                session = siyu::ops::Session::new();
                format!("<no answer: {f}>")
            }
        };
        let ok = native.starts_with("{\"ok\"");
        let entry = rep.per_op.entry(c.op.clone()).or_default();
        entry.cases += 1;
        entry.ok += u64::from(ok);
        let entry = rep.per_how.entry(c.how).or_default();
        entry.cases += 1;
        entry.ok += u64::from(ok);
        let code = native.strip_prefix("{\"error\":{\"code\":\"").and_then(|t| t.split('"').next());
        if let (false, Some(code)) = (ok, code) {
            *rep.codes.entry(code.to_string()).or_default() += 1;
        }
        rep.cases += 1;
        if native == wasm_answer {
            rep.identical += 1;
        } else {
            std::fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
            let file = out_dir.join(format!("diff-{seed}-{n}.json"));
            let doc = json!({
                "seed": seed, "case": n, "how": c.how, "op": c.op, "input": c.input,
                "native": native, "wasm": wasm_answer,
            });
            std::fs::write(&file, serde_json::to_string_pretty(&doc).unwrap_or_default())
                .map_err(|e| format!("{}: {e}", file.display()))?;
            rep.failures.push(file);
        }
        n += 1;
        if n.is_multiple_of(1000) {
            rep.seconds = started.elapsed().as_secs_f64();
            progress(&rep);
        }
    }
    rep.seconds = started.elapsed().as_secs_f64();
    Ok(rep)
}

/// Every eighth case that gives rules in full: the rules prepared on both
/// sides first (`prepare_rules`), then named by the fingerprint the native
/// side answered, so the case compares the prepared path. (If the two
/// sides disagree on the prepare, the case's own comparison shows it: the
/// one side then answers `RULES_NOT_PREPARED`.)
fn by_fingerprint(c: &mut Case, session: &mut siyu::ops::Session, inst: &mut Siyu) {
    let Ok(mut input) = crate::canonical::parse(&c.input) else { return };
    let Some(rules) = input.get("rules").filter(|r| r.is_object() && r.get("prepared").is_none()) else { return };
    let prepare = canonical(&json!({ "rules": rules }));
    let answer = session.call("prepare_rules", &prepare);
    let _ = inst.call("prepare_rules", prepare.as_bytes());
    let Ok(answer) = serde_json::from_str::<Value>(&answer) else { return };
    if let Some(fp) = answer["ok"]["fingerprint"].as_str() {
        input["rules"] = json!({ "prepared": fp });
        c.input = canonical(&input);
        c.how = "by fingerprint, after prepare_rules";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_reproducible_from_seed_and_number() {
        let s = Sources {
            demo: serde_json::from_str(siyu::demo::RULES).unwrap(),
            corpus: Vec::new(),
            ops: siyu::ops::OPERATIONS.iter().map(|o| o.name.to_string()).collect(),
        };
        for n in 0..40 {
            let (a, b) = (case(&s, 7, n), case(&s, 7, n));
            assert_eq!((a.op, a.input), (b.op, b.input));
        }
    }

    #[test]
    fn a_splice_replaces_exactly_one_node() {
        let v = json!({ "b": [1, 2], "a": { "c": 3 } });
        let mut out = String::new();
        write_with(&v, 4, "X", &mut 0, &mut out);
        assert_eq!(out, r#"{"a":{"c":3},"b":[X,2]}"#);
        let mut out = String::new();
        write_with(&v, 3, "X", &mut 0, &mut out);
        assert_eq!(out, r#"{"a":{"c":3},"b":X}"#);
        let mut out = String::new();
        write_with(&v, 1, "X", &mut 0, &mut out);
        assert_eq!(out, r#"{"a":X,"b":[1,2]}"#);
    }
}
