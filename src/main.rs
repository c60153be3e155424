//! The `siyu` command.
//!
//! - `siyu` — price the demo cart for the demo member and print a table;
//! - `siyu --json` — the same quote as JSON;
//! - `siyu call OP` — run any operation on JSON from standard input.

use std::io::{ErrorKind, Read, Write};
use std::process::ExitCode;

use siyu::money::yuan;
use siyu::{demo, ops, Cart, Event, Rules};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => demo_table(false),
        Some("--json") => demo_table(true),
        Some("call") if args.len() == 2 => {
            let mut input = String::new();
            if std::io::stdin().read_to_string(&mut input).is_err() {
                eprintln!("siyu: standard input is not UTF-8");
                return ExitCode::from(2);
            }
            let out = ops::call(&args[1], &input);
            let printed = print(&out);
            if printed != ExitCode::SUCCESS || out.starts_with("{\"ok\"") {
                printed
            } else {
                ExitCode::from(1)
            }
        }
        _ => {
            eprintln!("usage: siyu [--json | call OP < input.json]");
            ExitCode::from(2)
        }
    }
}

fn demo_table(as_json: bool) -> ExitCode {
    let run = || -> siyu::Result<siyu::Quote> {
        let rules = Rules::parse(demo::RULES)?;
        let events: Vec<Event> = siyu::from_str(demo::MEMBER_EVENTS)?;
        let member = siyu::replay(&rules, &events)?;
        let cart: Cart = siyu::from_str(demo::CART)?;
        siyu::quote(&rules, Some(&member), &cart, demo::NOW)
    };
    let q = match run() {
        Ok(q) => q,
        Err(e) => {
            eprintln!("siyu: {e}");
            return ExitCode::from(1);
        }
    };
    if as_json {
        print(&pretty(&siyu::to_json(&q)))
    } else {
        print(&table(&q))
    }
}

/// Write `text` and a newline to standard output. A reader that went away
/// (`siyu call … | head`) is not an error of ours: stop quietly, where
/// `println!` would panic.
fn print(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.write_all(b"\n")).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => {
            eprintln!("siyu: cannot write the answer: {e}");
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// One line of the table: `format!` arguments, or none for an empty line.
macro_rules! row {
    ($out:ident) => {
        $out.push('\n')
    };
    ($out:ident, $($arg:tt)*) => {{
        $out.push_str(&format!($($arg)*));
        $out.push('\n');
    }};
}

/// The demo quote as a table for people.
fn table(q: &siyu::Quote) -> String {
    let mut out = String::new();
    row!(
        out,
        "山茶小铺 demo — member m-demo ({}), 2026-11-25 12:00 Beijing time",
        q.tier.as_deref().unwrap_or("guest")
    );
    row!(out, "rules {}", q.fingerprint);
    row!(out);
    row!(
        out,
        "{:<15} {:>4} {:>11} {:>11} {:>11} {:>9} {:>11}  how it was priced",
        "sku",
        "qty",
        "list",
        "discounts",
        "goods",
        "points",
        "paid"
    );
    for l in &q.lines {
        let disc: i64 = l.discounts.iter().map(|d| d.amount).sum();
        let why: Vec<&str> = l.notes.iter().map(|n| n.zh.as_str()).collect();
        row!(
            out,
            "{:<15} {:>4} {:>11} {:>11} {:>11} {:>9} {:>11}  {}",
            l.sku,
            l.quantity,
            yuan(l.list),
            yuan(-disc),
            yuan(l.goods),
            yuan(-l.points_deduction),
            yuan(l.paid),
            why.join("；")
        );
    }
    row!(out);
    for c in &q.campaigns {
        let mark = if c.applied { "✓" } else { "·" };
        row!(out, "{mark} 活动 {:<32} {}  −{}", c.name, c.zh, yuan(c.saving));
    }
    for c in &q.coupons.applied {
        row!(out, "✓ 券   {:<32} −{}", c.name, yuan(c.saving));
    }
    for c in &q.coupons.usable {
        row!(out, "· 券   {:<32} 可用，单独使用省 {}", c.name, yuan(c.saving));
    }
    for c in &q.coupons.unusable {
        row!(out, "✗ 券   {:<32} {} ({})", c.name, c.zh, c.code);
    }
    for g in &q.gifts {
        row!(out, "🎁 赠品 {} ({})", g.name, g.campaign);
    }
    let t = &q.totals;
    row!(out);
    row!(out, "list price           {:>12}", yuan(t.list));
    row!(out, "campaign prices      {:>12}", yuan(-t.campaign_discount));
    row!(out, "member price         {:>12}", yuan(-t.member_discount));
    row!(out, "full reductions      {:>12}", yuan(-t.full_reduction_discount));
    row!(out, "coupons              {:>12}", yuan(-t.coupon_discount));
    row!(out, "goods                {:>12}", yuan(t.goods));
    row!(out, "points ({:>5} used)  {:>12}", q.points.used, yuan(-t.points_deduction));
    row!(
        out,
        "shipping             {:>12}   (fee {}{})",
        yuan(t.shipping),
        yuan(t.shipping_fee),
        q.shipping.free_because.as_ref().map_or(String::new(), |n| format!(", {}", n.zh))
    );
    row!(out, "payable              {:>12}", yuan(t.payable));
    row!(out, "saved                {:>12}", yuan(t.saved));
    row!(
        out,
        "earns                {:>6} points (pending until the order completes), {} growth",
        q.points.to_earn,
        q.growth_to_earn
    );
    out.pop(); // print adds the last newline
    out
}

/// Canonical JSON text indented two spaces a level, for reading.
fn pretty(json: &str) -> String {
    let mut out = String::with_capacity(json.len() * 2);
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut chars = json.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' if matches!(chars.peek(), Some('}' | ']')) => {
                out.push(c);
                out.extend(chars.next());
            }
            '{' | '[' => {
                out.push(c);
                depth += 1;
                newline(&mut out, depth);
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}
