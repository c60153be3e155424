//! An `arbitrary`-derived mutation of the demo cart, priced for the demo
//! member (or a guest) under the demo rules near the demo moment. A quote
//! that succeeds must keep the engine's invariants (shares add up, nothing
//! negative); one that fails must fail with an error value. A successful
//! quote is then booked as an order and refunded whole, which must give the
//! points back.
#![no_main]

use std::sync::OnceLock;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
// Every engine path this target uses, here and nowhere else.
use siyu::{
    demo, from_str, quote, replay, Cart, CartLine, CouponChoice, Event, EventKind, Member, PointsChoice, QuoteLine,
    Rules,
};

#[derive(Arbitrary, Debug)]
enum Edit {
    /// Add a catalog SKU (index into the catalog) at its price or another.
    Add {
        item: u8,
        price: Price,
        quantity: Qty,
    },
    Remove(u8),
    SetQuantity(u8, Qty),
    SetPrice(u8, Price),
    Duplicate(u8),
    /// A SKU or category the rules have never heard of.
    Rename {
        line: u8,
        sku: String,
        category: String,
    },
}

#[derive(Arbitrary, Debug)]
enum Price {
    List,
    Fen(u32),
    Raw(i64),
}

#[derive(Arbitrary, Debug)]
enum Qty {
    Small(u8),
    Raw(i64),
}

#[derive(Arbitrary, Debug)]
enum Coupons {
    Best,
    None,
    Wallet(Vec<u8>),
    Ids(Vec<String>),
}

#[derive(Arbitrary, Debug)]
enum Points {
    Zero,
    Max,
    Units(u8),
    Raw(i64),
}

#[derive(Arbitrary, Debug)]
struct Input {
    from_demo_cart: bool,
    edits: Vec<Edit>,
    coupons: Coupons,
    points: Points,
    guest: bool,
    /// Minutes from the demo moment (±22 days).
    minutes: i16,
    sold: Vec<(u8, i64)>,
}

struct Setup {
    rules: Rules,
    member: Member,
    cart: Cart,
}

fn setup() -> &'static Setup {
    static S: OnceLock<Setup> = OnceLock::new();
    S.get_or_init(|| {
        let rules = Rules::parse(demo::RULES).expect("demo rules");
        let events: Vec<Event> = from_str(demo::MEMBER_EVENTS).expect("demo events");
        let member = replay(&rules, &events).expect("demo member");
        let cart: Cart = from_str(demo::CART).expect("demo cart");
        Setup { rules, member, cart }
    })
}

fn price(p: &Price, list: i64) -> i64 {
    match p {
        Price::List => list,
        Price::Fen(f) => *f as i64,
        Price::Raw(r) => *r,
    }
}

fn qty(q: &Qty) -> i64 {
    match q {
        Qty::Small(n) => *n as i64 % 12,
        Qty::Raw(r) => *r,
    }
}

fuzz_target!(|input: Input| {
    let s = setup();
    let catalog = &s.rules.catalog;
    let mut cart = if input.from_demo_cart { s.cart.clone() } else { Cart::default() };
    for e in input.edits.iter().take(64) {
        let n = cart.lines.len();
        match e {
            Edit::Add { item, price: p, quantity } => {
                let c = &catalog[*item as usize % catalog.len()];
                cart.lines.push(CartLine {
                    sku: c.sku.clone(),
                    category: c.category.clone(),
                    unit_price: price(p, c.price),
                    quantity: qty(quantity),
                });
            }
            Edit::Remove(i) if n > 0 => {
                cart.lines.remove(*i as usize % n);
            }
            Edit::SetQuantity(i, q) if n > 0 => cart.lines[*i as usize % n].quantity = qty(q),
            Edit::SetPrice(i, p) if n > 0 => {
                let l = &mut cart.lines[*i as usize % n];
                l.unit_price = price(p, l.unit_price);
            }
            Edit::Duplicate(i) if n > 0 => {
                let l = cart.lines[*i as usize % n].clone();
                cart.lines.push(l);
            }
            Edit::Rename { line, sku, category } if n > 0 => {
                let l = &mut cart.lines[*line as usize % n];
                l.sku = sku.clone();
                l.category = category.clone();
            }
            _ => {}
        }
    }
    let wallet = &s.member.wallet;
    cart.coupons = match &input.coupons {
        Coupons::Best => CouponChoice::Best,
        Coupons::None => CouponChoice::None,
        Coupons::Wallet(ix) => {
            CouponChoice::Ids(ix.iter().take(8).map(|&i| wallet[i as usize % wallet.len()].id.clone()).collect())
        }
        Coupons::Ids(ids) => CouponChoice::Ids(ids.iter().take(8).cloned().collect()),
    };
    cart.points = match input.points {
        Points::Zero => PointsChoice::Points(0),
        Points::Max => PointsChoice::Max,
        Points::Units(u) => PointsChoice::Points(u as i64 * 100),
        Points::Raw(r) => PointsChoice::Points(r),
    };
    for (c, n) in input.sold.iter().take(4) {
        let id = s.rules.campaigns[*c as usize % s.rules.campaigns.len()].id.clone();
        let sku = catalog[*c as usize % catalog.len()].sku.clone();
        // `SortedMap`'s entry has `or_insert` only (no `or_default`); an
        // empty `SortedMap` is an empty `Vec`, so building one eagerly is free.
        cart.sold.entry(id).or_insert(Default::default()).insert(sku, *n);
    }
    let now = demo::NOW + input.minutes as i64 * 60_000 * 30;
    let member = if input.guest { None } else { Some(&s.member) };

    let q = match quote(&s.rules, member, &cart, now) {
        Ok(q) => q,
        Err(e) => {
            assert!(siyu::code::ALL.contains(&e.code), "{}", e.code);
            return;
        }
    };
    // Invariants of every quote.
    let t = &q.totals;
    let sum = |f: &dyn Fn(&QuoteLine) -> i64| q.lines.iter().map(f).sum::<i64>();
    assert_eq!(sum(&|l| l.paid) + t.shipping, t.payable);
    assert_eq!(sum(&|l| l.goods), t.goods);
    assert_eq!(sum(&|l| l.points_deduction), t.points_deduction);
    assert_eq!(sum(&|l| l.points_used), q.points.used);
    assert_eq!(sum(&|l| l.points_to_earn), q.points.to_earn);
    assert_eq!(sum(&|l| l.growth_to_earn), q.growth_to_earn);
    assert!(t.payable >= 0 && t.goods >= 0 && t.shipping >= 0 && t.shipping <= t.shipping_fee);
    for l in &q.lines {
        let d: i64 = l.discounts.iter().map(|d| d.amount).sum();
        assert!(l.discounts.iter().all(|d| d.amount > 0), "{l:?}");
        assert_eq!(l.list - d, l.goods);
        assert!(l.goods >= 0 && l.paid >= 0 && l.points_deduction >= 0 && l.points_deduction <= l.goods, "{l:?}");
    }
    let _ = siyu::to_json(&q);

    // Book it and refund it whole: points come back to where they were.
    if let Some(m) = member {
        let placed = Event {
            id: "fz-place".into(),
            at: now.max(m.clock),
            kind: EventKind::OrderPlaced {
                order: "fz".into(),
                cart: cart.clone(),
                expect_payable: None,
                expect_fingerprint: None,
            },
        };
        let Ok(after) = apply(&s.rules, m, &placed) else { return };
        let refund = Event {
            id: "fz-refund".into(),
            at: placed.at,
            kind: EventKind::OrderRefunded { order: "fz".into(), lines: None },
        };
        let back = apply(&s.rules, &after, &refund).expect("a whole refund of a fresh order is booked");
        assert_eq!(
            back.points.balance(placed.at),
            apply(&s.rules, m, &Event { id: "fz-t".into(), at: placed.at, kind: EventKind::TimeAdvanced {} })
                .unwrap()
                .points
                .balance(placed.at)
        );
        assert_eq!(back.orders["fz"].refunded, back.orders["fz"].payable);
    }
});

/// Book `e` on a copy of `m`.
fn apply(rules: &Rules, m: &Member, e: &Event) -> siyu::Result<Member> {
    siyu::apply(rules, m.clone(), e).map(|b| b.member)
}
