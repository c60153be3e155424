//! One stable sort for the whole crate.
//!
//! The standard library's sorts are generic over the element type and the
//! comparison: every `sort_by` call site compiles its own copy of driftsort
//! (about 5 KB of Wasm each; a dozen call sites were 57 KB of the module).
//! Here the sorting itself is written once, over `u32` positions with the
//! comparison behind a `dyn`, and only the few lines that move the items
//! into place are generic. Lists in siyu are short (a cart's lines, a
//! wallet's coupons, a member's lots), so a plain merge sort is plenty.
//!
//! ```
//! let mut v = vec![(2, "b"), (1, "z"), (2, "a"), (1, "y")];
//! siyu::sorting::sort_by(&mut v, |a, b| a.0.cmp(&b.0));
//! assert_eq!(v, [(1, "z"), (1, "y"), (2, "b"), (2, "a")]); // stable
//! ```

use std::cmp::Ordering;

/// Sort `v` stably by `cmp`.
pub fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = positions(v.len(), &|a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.iter().filter_map(|&i| slots[i as usize].take()));
}

/// Sort `v` stably by the key `key` gives each item.
pub fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)))
}

/// Sort `v` by its own order and drop repeats.
pub fn sort_dedup<T: Ord>(v: &mut Vec<T>) {
    sort_by(v, T::cmp);
    v.dedup();
}

/// The positions `0..n` in the stable order `cmp` defines: a bottom-up
/// merge sort, not generic.
fn positions(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<u32> {
    let mut a: Vec<u32> = (0..n as u32).collect();
    let mut b = a.clone();
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j) = (start, mid);
            for slot in &mut b[start..end] {
                // Take from the right only when it is strictly smaller: stable.
                let right = j < end && (i >= mid || cmp(a[j] as usize, a[i] as usize) == Ordering::Less);
                if right {
                    *slot = a[j];
                    j += 1;
                } else {
                    *slot = a[i];
                    i += 1;
                }
            }
            start = end;
        }
        std::mem::swap(&mut a, &mut b);
        width *= 2;
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        // A fixed pseudo-random sequence with many ties.
        let mut x: u64 = 7;
        for n in [0usize, 1, 2, 3, 5, 16, 17, 100, 257] {
            let v: Vec<(u64, usize)> = (0..n)
                .map(|i| {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((x >> 60) % 5, i)
                })
                .collect();
            let mut ours = v.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = v.clone();
            std.sort_by(|a, b| a.0.cmp(&b.0));
            assert_eq!(ours, std, "n = {n}");
        }
    }
}
