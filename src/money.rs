//! Money is integer fen (分) in `i64`. Every rounding rule lives here.
//!
//! - [`percent_off`]: a discount by rate rounds **half up to the fen**, in the
//!   shopper's favour: 8.5折 on ¥0.99 takes off 14.85 fen → 15 fen.
//! - [`split`]: shares of an amount across lines are proportional, floored,
//!   and the leftover fen go by **largest remainder, ties to the earlier
//!   line**, so the shares always add up to the whole.
//! - Points and growth from money are always **floored** (see
//!   `points/earning.rs`, `membership/tier.rs`).
//!
//! No floating point is used anywhere in a decision.

use crate::code;
use crate::error::{Error, Result};

/// Amount in fen (1 yuan = 100 fen).
pub type Fen = i64;

/// Basis points: 10000 = 100%.
pub const BP: i64 = 10_000;

pub fn add(a: Fen, b: Fen) -> Result<Fen> {
    a.checked_add(b).ok_or_else(|| Error::overflow(""))
}

pub fn sub(a: Fen, b: Fen) -> Result<Fen> {
    a.checked_sub(b).ok_or_else(|| Error::overflow(""))
}

pub fn mul(a: Fen, b: i64) -> Result<Fen> {
    a.checked_mul(b).ok_or_else(|| Error::overflow(""))
}

/// The sum of amounts the caller knows cannot overflow (each is bounded,
/// and there are few). A plain loop: an iterator chain compiles its own
/// `fold` per call site in the `.wasm`.
pub fn sum_fen(v: &[Fen]) -> Fen {
    let mut t = 0;
    for &x in v {
        t += x;
    }
    t
}

/// `a * num / den`, floored, computed in 128 bits so it cannot overflow
/// midway. `den` must be positive.
pub fn mul_div_floor(a: i64, num: i64, den: i64) -> Result<i64> {
    mul_div(a, num, den, false)
}

/// `a * num / den` rounded half up (for non-negative values).
pub fn mul_div_round(a: i64, num: i64, den: i64) -> Result<i64> {
    mul_div(a, num, den, true)
}

/// `a * num / den`, floored, or rounded half up as `(2 a num + den) /
/// 2 den` floored. In 64 bits when nothing can overflow (always, in a
/// quote): the same result without 128-bit arithmetic, a library call per
/// operation in Wasm. One function for both, so the 128-bit fallback is in
/// the module once.
fn mul_div(a: i64, num: i64, den: i64, round: bool) -> Result<i64> {
    debug_assert!(den > 0);
    let (k, c) = if round { (2, den) } else { (1, 0) };
    // |a num| < 2^61 when their bit lengths add up to 61 at most; then
    // 2 a num + den and 2 den fit too. (Not `checked_mul`: its overflow
    // test is itself a 128-bit multiply in Wasm.)
    if a.unsigned_abs().leading_zeros() + num.unsigned_abs().leading_zeros() >= 67 && den < 1 << 61 {
        return Ok((a * num * k + c).div_euclid(den * k));
    }
    let v = div_euclid_128(a as i128 * num as i128 * k as i128 + c as i128, den as i128 * k as i128).0;
    i64::try_from(v).map_err(|_| Error::overflow(""))
}

/// `n / d` and `n % d` for `d > 0` (truncated, as the operators), by
/// shift and subtract. Not the operators: they link the compiler's 128-bit
/// division, about 1 KB of the `.wasm`, and 128-bit division runs only
/// where 64 bits could overflow (once per quote, for the points it earns).
pub(crate) fn div_rem_128(n: i128, d: i128) -> (i128, i128) {
    debug_assert!(d > 0);
    let d = d as u128;
    // The dividend's bits leave at the top as the quotient's come in at
    // the bottom. Shifts by a constant only: a variable 128-bit shift is
    // a library call too.
    let (mut q, mut r) = (n.unsigned_abs(), 0u128);
    for _ in 0..128 {
        // r < d ≤ 2^127 before the shift: no bit is lost.
        r = r << 1 | q >> 127;
        q <<= 1;
        if r >= d {
            r -= d;
            q |= 1;
        }
    }
    let (q, r) = (q as i128, r as i128);
    if n < 0 {
        (q.wrapping_neg(), -r)
    } else {
        (q, r)
    }
}

/// `n.div_euclid(d)` and `n.rem_euclid(d)` for `d > 0` (see
/// [`div_rem_128`]).
pub(crate) fn div_euclid_128(n: i128, d: i128) -> (i128, i128) {
    let (q, r) = div_rem_128(n, d);
    if r < 0 {
        (q - 1, r + d)
    } else {
        (q, r)
    }
}

/// The discount when paying `pay_bp` of `base` (8.5折 = 8500 bp): the part
/// taken off, rounded half up to the fen, never more than `base`.
///
/// ```
/// use siyu::money::percent_off;
/// assert_eq!(percent_off(10000, 8500).unwrap(), 1500); // ¥100 at 8.5折: ¥15 off
/// assert_eq!(percent_off(99, 8500).unwrap(), 15);      // 14.85 fen → 15
/// ```
pub fn percent_off(base: Fen, pay_bp: i64) -> Result<Fen> {
    let off = mul_div_round(base, BP - pay_bp.clamp(0, BP), BP)?;
    Ok(off.min(base))
}

/// Split `total` across parts in proportion to `weights` (all ≥ 0). Each
/// share is floored, then the leftover fen go one each to the parts with the
/// largest remainders, ties to the earlier part. Shares add up to `total`
/// exactly. With all weights zero, nothing can be split: every share is 0 and
/// `total` must be 0.
///
/// ```
/// use siyu::money::split;
/// // ¥10 off across three lines of ¥30: 333.33 fen each; the one fen left
/// // goes to the first line (equal remainders).
/// assert_eq!(split(1000, &[3000, 3000, 3000]).unwrap(), vec![334, 333, 333]);
/// // ¥1 across ¥10, ¥20: 33.33 and 66.67 → the larger remainder gets the fen.
/// assert_eq!(split(100, &[1000, 2000]).unwrap(), vec![33, 67]);
/// ```
pub fn split(total: Fen, weights: &[Fen]) -> Result<Vec<Fen>> {
    let mut wsum: i128 = 0;
    for &w in weights {
        wsum += w.max(0) as i128;
    }
    if wsum == 0 {
        if total != 0 {
            return Err(Error::new(
                code::SPLIT_NO_BASE,
                "",
                "没有可分摊的金额",
                "there is nothing to spread the amount over",
            ));
        }
        return Ok(vec![0; weights.len()]);
    }
    if let Some(shares) = split_small(total, weights, wsum) {
        return Ok(shares);
    }
    let mut shares = Vec::with_capacity(weights.len());
    let mut rems = Vec::with_capacity(weights.len());
    let mut given: i128 = 0;
    // In 128 bits: a negative amount or weight, or a product past 64 bits
    // (no split a quote makes; those are `split_small`'s).
    for &w in weights {
        let (q, r) = div_euclid_128(total as i128 * w.max(0) as i128, wsum);
        given += q;
        shares.push(q as i64);
        rems.push(r);
    }
    let left = (total as i128 - given) as usize;
    if u64::try_from(wsum).is_ok() {
        // Every remainder is below `wsum`.
        let mut small = Vec::with_capacity(rems.len());
        for &r in &rems {
            small.push(r as u64);
        }
        give_leftover(&mut shares, &small, left);
    } else {
        // Weights adding up past `u64` (no cart comes near: at most 500
        // lines of at most ¥10⁸): the earliest largest remainder, `left`
        // times, one at a time. Quadratic, and a few bytes of code.
        for _ in 0..left.min(rems.len()) {
            let mut best = 0;
            for (i, &r) in rems.iter().enumerate() {
                if r > rems[best] {
                    best = i;
                }
            }
            shares[best] += 1;
            // Remainders are at least 0: a part given its fen comes last.
            rems[best] = -1;
        }
    }
    Ok(shares)
}

/// One more fen each to the `left` parts with the largest remainders, ties
/// to the earlier part: every part whose remainder is above the `left`-th
/// largest, then the earliest of those equal to it. (Not
/// `select_nth_unstable`: its generic selection code was ~10 KB of the
/// `.wasm`; this runs in linear time too, as splits over a 200-line cart
/// are frequent.)
/// Remainders are `u64`: 128-bit compares are several Wasm instructions
/// each, and a remainder is below the sum of the weights.
fn give_leftover(shares: &mut [Fen], rems: &[u64], left: usize) {
    if left == 0 || left > rems.len() || shares.len() != rems.len() {
        return;
    }
    let (cut, above) = nth_largest(&mut rems.to_vec(), left - 1);
    let mut ties = left - above;
    // Index loops over slices, here and in `nth_largest`: the least code.
    let mut i = 0;
    while i < rems.len() {
        let r = rems[i];
        if r > cut || (r == cut && ties > 0) {
            if r == cut {
                ties -= 1;
            }
            shares[i] += 1;
        }
        i += 1;
    }
}

/// The value at place `k` (from 0) if `v` were sorted largest first, and
/// how many values are larger: quickselect with a three-way partition. A
/// sorted copy after 32 rounds keeps the worst case at O(n log n).
/// `k < v.len()`.
fn nth_largest(v: &mut [u64], k: usize) -> (u64, usize) {
    let (mut lo, mut hi) = (0, v.len());
    for _ in 0..32 {
        let pivot = v[lo + (hi - lo) / 2];
        // v[lo..gt] > pivot, v[gt..i] == pivot, v[lt..hi] < pivot.
        let (mut gt, mut i, mut lt) = (lo, lo, hi);
        while i < lt {
            let x = v[i];
            if x > pivot {
                v[i] = v[gt];
                v[gt] = x;
                gt += 1;
                i += 1;
            } else if x < pivot {
                lt -= 1;
                v[i] = v[lt];
                v[lt] = x;
            } else {
                i += 1;
            }
        }
        if k < gt {
            hi = gt;
        } else if k < lt {
            // Everything before `lo` is larger than all of `v[lo..hi]`.
            return (pivot, gt);
        } else {
            lo = lt;
        }
    }
    let order = crate::sorting::order_by(v, |a, b| b.cmp(a));
    let cut = v[order[k] as usize];
    (cut, v.iter().filter(|&&x| x > cut).count())
}

/// [`split`] when every product `total × weight` fits in 64 bits and
/// nothing is negative (every split a quote makes): the same result without
/// 128-bit arithmetic, which is a library call per operation in Wasm.
/// `None` when it does not apply.
fn split_small(total: Fen, weights: &[Fen], wsum: i128) -> Option<Vec<Fen>> {
    let ws = i64::try_from(wsum).ok()?;
    let (mut min_w, mut max_w) = (0, 0);
    for &w in weights {
        min_w = min_w.min(w);
        max_w = max_w.max(w);
    }
    if total < 0 || min_w < 0 || total.checked_mul(max_w).is_none() {
        return None;
    }
    let n = weights.len();
    let (mut shares, mut rems) = (vec![0; n], vec![0u64; n]);
    let (s, r) = (&mut shares[..], &mut rems[..]);
    let mut given = 0;
    let mut i = 0;
    while i < n {
        // No overflow: 0 ≤ total × w ≤ total × max_w, checked above.
        let p = total * weights[i];
        s[i] = p / ws;
        r[i] = (p % ws) as u64;
        given += s[i];
        i += 1;
    }
    // Shares are floored, so 0 ≤ left < the number of parts.
    let left = (total - given) as usize;
    give_leftover(&mut shares, &rems, left);
    Some(shares)
}

/// Share of `total` that belongs to the first `k` of `n` units, so that
/// taking units back one at a time returns exactly `total` once all `n` are
/// back: `floor(total * k / n)`.
pub fn cumulative_share(total: Fen, k: i64, n: i64) -> Result<Fen> {
    if n <= 0 {
        return Ok(0);
    }
    mul_div_floor(total, k.min(n), n)
}

/// A pay rate as 折, for people: 8500 bp → `8.5折`, 9000 → `9折`,
/// 9550 → `9.55折`, 50 → `0.05折`. One 折 is 1,000 bp, so every rate
/// shows exactly, with at most three decimals and none trailing.
pub fn zhe(bp: i64) -> String {
    let (whole, mut thousandths) = (bp / 1000, (bp % 1000).unsigned_abs());
    if thousandths == 0 {
        return format!("{whole}折");
    }
    let mut digits = 3;
    while thousandths % 10 == 0 {
        thousandths /= 10;
        digits -= 1;
    }
    format!("{whole}.{thousandths:0digits$}折")
}

/// A pay rate as a percentage, for people: 8500 bp → `85%`, 8550 → `85.50%`.
pub fn pct(bp: i64) -> String {
    if bp % 100 == 0 {
        format!("{}%", bp / 100)
    } else {
        format!("{}.{:02}%", bp / 100, bp % 100)
    }
}

/// Format fen as yuan for people: `12345` → `¥123.45`, `-5` → `-¥0.05`.
pub fn yuan(f: Fen) -> String {
    let sign = if f < 0 { "-" } else { "" };
    let a = f.unsigned_abs();
    format!("{sign}¥{}.{:02}", a / 100, a % 100)
}

#[cfg(test)]
mod tests {
    #[test]
    fn division_in_128_bits_is_the_operators() {
        let big = i128::MAX;
        let ns = [
            0,
            1,
            -1,
            7,
            -7,
            999_999,
            -1_000_001,
            i64::MAX as i128,
            i64::MIN as i128,
            big,
            big - 1,
            i128::MIN,
            i128::MIN + 1,
            3 << 100,
            -(5 << 90) - 3,
        ];
        let ds = [1, 2, 3, 7, 1_000_000, i64::MAX as i128, 1 << 64, (1 << 64) + 1, big / 3, big];
        for n in ns {
            for d in ds {
                assert_eq!(super::div_rem_128(n, d), (n.wrapping_div(d), n.wrapping_rem(d)), "{n} / {d}");
                assert_eq!(super::div_euclid_128(n, d), (n.div_euclid(d), n.rem_euclid(d)), "{n} / {d}");
            }
        }
    }

    use super::*;

    #[test]
    fn split_sums_exactly_and_prefers_earlier_lines_on_ties() {
        assert_eq!(split(100, &[1, 1, 1]).unwrap(), vec![34, 33, 33]);
        assert_eq!(split(2, &[1, 1, 1]).unwrap(), vec![1, 1, 0]);
        assert_eq!(split(0, &[5, 0]).unwrap(), vec![0, 0]);
        assert_eq!(split(7, &[0, 3]).unwrap(), vec![0, 7]);
        assert!(split(1, &[0, 0]).is_err());
    }

    /// `split` as specified: 128-bit floors, then one fen each to the
    /// `left` largest remainders, ties to the earlier part (a stable sort).
    fn split_reference(total: Fen, weights: &[Fen]) -> Vec<Fen> {
        let wsum: i128 = weights.iter().map(|&w| w.max(0) as i128).sum();
        let p = |w: Fen| total as i128 * w.max(0) as i128;
        let mut shares: Vec<Fen> = weights.iter().map(|&w| p(w).div_euclid(wsum) as i64).collect();
        let left = (total as i128 - shares.iter().map(|&s| s as i128).sum::<i128>()) as usize;
        let mut order: Vec<usize> = (0..weights.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(p(weights[i]).rem_euclid(wsum)));
        for &i in order.iter().take(left) {
            shares[i] += 1;
        }
        shares
    }

    #[test]
    fn split_agrees_with_the_reference_also_past_64_bits() {
        let big = i64::MAX;
        let cases: [&[Fen]; 6] = [
            &[big, big, big, 5],
            &[big, 1, big, big, 7, big],
            &[3, big, big, 3, big],
            &[big / 3, big / 7, big / 2, 11],
            &[1000, 2000, 0, 3000],
            &[1, 1, 1, -4, 1],
        ];
        for w in cases {
            for total in [0, 1, 7, 1000, 99_999, big / 5, big, -1, -1000] {
                assert_eq!(split(total, w).unwrap(), split_reference(total, w), "{total} over {w:?}");
            }
        }
    }

    #[test]
    fn nth_largest_is_the_place_in_a_sorted_copy() {
        let mut x: u64 = 11;
        for n in [1usize, 2, 3, 7, 33, 100, 300] {
            for spread in [1u64, 3, 1000] {
                let v: Vec<u64> = (0..n)
                    .map(|_| {
                        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                        (x >> 33) % spread
                    })
                    .collect();
                let mut sorted = v.clone();
                sorted.sort_by(|a, b| b.cmp(a));
                for k in 0..n {
                    let above = sorted.iter().filter(|&&x| x > sorted[k]).count();
                    assert_eq!(nth_largest(&mut v.clone(), k), (sorted[k], above), "n = {n}, k = {k}");
                }
            }
        }
    }

    #[test]
    fn percent_rounds_half_up_and_never_exceeds_base() {
        assert_eq!(percent_off(1, 5000).unwrap(), 1); // 0.5 fen → 1
        assert_eq!(percent_off(3, 8500).unwrap(), 0); // 0.45 fen → 0
        assert_eq!(percent_off(100, 0).unwrap(), 100);
        assert_eq!(percent_off(100, BP).unwrap(), 0);
    }

    #[test]
    fn cumulative_share_returns_the_whole_when_all_units_are_back() {
        let total = 1001;
        let steps: Vec<_> = (0..=3).map(|k| cumulative_share(total, k, 3).unwrap()).collect();
        assert_eq!(steps, vec![0, 333, 667, 1001]);
    }

    #[test]
    fn rate_labels() {
        assert_eq!(zhe(8500), "8.5折");
        assert_eq!(zhe(9000), "9折");
        assert_eq!(zhe(9550), "9.55折");
        assert_eq!(zhe(9555), "9.555折");
        assert_eq!(zhe(50), "0.05折");
        assert_eq!(zhe(5), "0.005折");
        assert_eq!(zhe(10_000), "10折");
        assert_eq!(pct(8500), "85%");
        assert_eq!(pct(8550), "85.50%");
    }

    #[test]
    fn yuan_formats() {
        assert_eq!(yuan(12345), "¥123.45");
        assert_eq!(yuan(-5), "-¥0.05");
        assert_eq!(yuan(0), "¥0.00");
    }

    #[test]
    fn mul_div_in_64_bits_agrees_with_128() {
        let vals = [
            0i64,
            1,
            -1,
            7,
            99,
            10_000,
            -10_000,
            1 << 30,
            (1 << 31) - 1,
            1 << 40,
            -(1 << 40),
            (1 << 61) - 1,
            i64::MAX,
            i64::MIN,
        ];
        for &a in &vals {
            for &num in &vals {
                for den in [1i64, 3, 10_000, (1 << 61) - 1, 1 << 61, i64::MAX] {
                    let p = a as i128 * num as i128;
                    if p == 1 << 126 {
                        continue; // i64::MIN²: doubled, past i128 (as before)
                    }
                    let floor = i64::try_from(p.div_euclid(den as i128)).ok();
                    let round = i64::try_from((2 * p + den as i128).div_euclid(2 * den as i128)).ok();
                    assert_eq!(mul_div_floor(a, num, den).ok(), floor, "{a} {num} {den}");
                    assert_eq!(mul_div_round(a, num, den).ok(), round, "{a} {num} {den}");
                }
            }
        }
    }

    #[test]
    fn overflow_is_an_error() {
        assert!(add(i64::MAX, 1).is_err());
        assert!(mul(i64::MAX / 2, 3).is_err());
        assert!(mul_div_floor(i64::MAX, 3, 1).is_err());
    }
}
