//! Lookups by a string key (a SKU, a template id, a category) in the lists
//! of the rules, which may be long: a catalog of 20,000 items and campaigns
//! naming 49,000 took 2.7 s to validate when each lookup scanned its list,
//! as validation (and a quote) looks one list up once per item of another.
//!
//! A list looked up inside such a loop keeps an [`Index`] beside it, in the
//! module that owns the list: its positions sorted by key, built the first
//! time a lookup needs it (once per rule set, so once per operation call)
//! and binary-searched after. Answers do not change: a lookup finds the
//! first item with the key, as a scan does, and nothing is ever iterated
//! in hash order.

use std::sync::OnceLock;

use crate::sorting;

/// Lists this short are scanned: that is cheaper than sorting them, and it
/// is nearly every list of a real rule set (a scope of a few categories).
const SCAN: usize = 16;

/// The positions of a list sorted by key (stably: equal keys in list
/// order), built on first use.
#[derive(Clone, Default)]
pub(crate) struct Index(OnceLock<Vec<u32>>);

/// Not its positions: a rule set's debug text is its rules.
impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Index")
    }
}

/// An index follows from the list it indexes: it never makes two rule sets
/// differ.
impl PartialEq for Index {
    fn eq(&self, _: &Index) -> bool {
        true
    }
}

impl Index {
    /// The position of the first item of `list` whose `key` is `k`.
    #[inline]
    pub(crate) fn find<T>(&self, list: &[T], key: impl Fn(&T) -> &str + Copy, k: &str) -> Option<usize> {
        self.search(list.len(), &|i| list.get(i).map(key), k)
    }

    /// [`Index::find`] over positions: written once, not once per kind of
    /// list (each copy was Wasm code).
    fn search<'a>(&self, n: usize, key: &dyn Fn(usize) -> Option<&'a str>, k: &str) -> Option<usize> {
        // A list edited after the index was built (its fields are public)
        // is scanned rather than searched with a stale order.
        let order = match n {
            n if n <= SCAN => None,
            n => Some(self.0.get_or_init(|| sorted(n, key))).filter(|o| o.len() == n),
        };
        let Some(order) = order else {
            return (0..n).find(|&i| key(i) == Some(k));
        };
        // The first position whose key is not below `k`: with a stable
        // order, the first item of the list with that key.
        let i = order.partition_point(|&p| key(p as usize).is_some_and(|x| x < k));
        let p = *order.get(i)? as usize;
        (key(p)? == k).then_some(p)
    }
}

/// The positions `0..n` sorted stably by key.
fn sorted<'a>(n: usize, key: &dyn Fn(usize) -> Option<&'a str>) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    sorting::sort_by(&mut order, |&a, &b| key(a as usize).cmp(&key(b as usize)));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finds what a scan finds (the first item with the key), short lists
    /// and long, keys present, repeated and absent.
    #[test]
    fn finds_the_first_item_as_a_scan_does() {
        for n in [0usize, 1, 5, 16, 17, 100, 1000] {
            let list: Vec<String> = (0..n).map(|i| format!("k{}", (i * 7919) % (n / 2 + 1))).collect();
            let index = Index::default();
            for probe in (0..n + 3).map(|i| format!("k{i}")) {
                let scan = list.iter().position(|x| *x == probe);
                assert_eq!(index.find(&list, String::as_str, &probe), scan, "n = {n}, {probe}");
            }
        }
    }
}
