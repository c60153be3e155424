//! One stable sort for the whole crate, and small sorted-vector maps.
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
//! siyu_wire::sorting::sort_by(&mut v, |a, b| a.0.cmp(&b.0));
//! assert_eq!(v, [(1, "z"), (1, "y"), (2, "b"), (2, "a")]); // stable
//! ```

use std::borrow::Borrow;
use std::cmp::Ordering;

use crate::decode::{Decode, Decoder, Entries, Items, Json};
use crate::encode::{Encode, Writer};

/// Sort `v` stably by `cmp`.
// `&mut Vec`, as the callers hold: taking a slice measured ~100 B more
// `.wasm` over the instances.
#[allow(clippy::ptr_arg)]
pub fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let sorted = order_by(v, cmp);
    // Only the swaps are generic: moving items through a second vector
    // was three more iterator instances per element type.
    // The positions are in range by construction; tested rather than
    // left to `swap`'s own check, which would keep a panic call (and its
    // location) in every instance.
    // The swaps walked by reference: a `Vec` consumed by value compiled
    // its own consuming iterator in every instance.
    let n = v.len();
    for &(a, b) in &swaps(&sorted) {
        let (a, b) = (a as usize, b as usize);
        if a < n && b < n {
            v.swap(a, b);
        }
    }
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

/// The positions of `v`'s items in the stable order `cmp` defines, for
/// callers that only need the order, not the items moved.
pub fn order_by<T>(v: &[T], cmp: impl Fn(&T, &T) -> Ordering) -> Vec<u32> {
    order(v.len(), &ByItems(v, cmp))
}

/// Compares the items at two positions, for [`order`]. A trait of its
/// own, not a `dyn Fn`: a closure's vtable also carries call shims, more
/// functions per item type.
trait Positions {
    fn cmp(&self, a: usize, b: usize) -> Ordering;
}

struct ByItems<'a, T, F>(&'a [T], F);

impl<T, F: Fn(&T, &T) -> Ordering> Positions for ByItems<'_, T, F> {
    // `get`: the positions are in range by construction, and an index
    // would keep two panic calls in each of the dozen instances.
    fn cmp(&self, a: usize, b: usize) -> Ordering {
        match (self.0.get(a), self.0.get(b)) {
            (Some(x), Some(y)) => (self.1)(x, y),
            _ => Ordering::Equal,
        }
    }
}

/// The positions `0..n` in the stable order `cmp` defines: a bottom-up
/// merge sort, not generic.
fn order(n: usize, cmp: &dyn Positions) -> Vec<u32> {
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
                let right = j < end && (i >= mid || cmp.cmp(a[j] as usize, a[i] as usize) == Ordering::Less);
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

/// The swaps that put items into the order `sorted` (item `sorted[k]` to
/// place `k`), done in turn. At most one per place, found in linear time by
/// tracking where each item and place stand.
fn swaps(sorted: &[u32]) -> Vec<(u32, u32)> {
    let n = sorted.len();
    // `at[p]`: the item now at place `p`; `pos[i]`: the place of item `i`.
    let mut at: Vec<u32> = (0..n as u32).collect();
    let mut pos = at.clone();
    let mut out = Vec::new();
    for (k, &want) in sorted.iter().enumerate() {
        let j = pos[want as usize];
        if j as usize != k {
            let moved = at[k];
            at[j as usize] = moved;
            pos[moved as usize] = j;
            at[k] = want;
            pos[want as usize] = k as u32;
            out.push((k as u32, j));
        }
    }
    out
}

/// A map kept as a vector sorted by key: for the small maps of siyu (claims
/// per template, counts per activity, units per SKU). Each `BTreeMap<K, V>`
/// compiles its own node machinery (4–6 KB of Wasm per pair of types); this
/// is a binary search and a `Vec`. Inserting is linear, so it is not for
/// maps that grow with a member's history (orders and event ids are in an
/// [`IdMap`]).
///
/// ```
/// let mut m = siyu_wire::sorting::SortedMap::new();
/// *m.entry("b".to_string()).or_insert(0) += 2;
/// m.insert("a".to_string(), 1);
/// assert_eq!(m.iter().map(|(k, v)| (k.as_str(), *v)).collect::<Vec<_>>(), [("a", 1), ("b", 2)]);
/// assert_eq!(m.get("b"), Some(&2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap { entries: Vec::new() }
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    pub fn new() -> Self {
        Self::default()
    }

    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        // `get`, not an index: the position is in range, and an index keeps a
        // panic call (and its location) in every instance.
        self.entries.get(self.find(key).ok()?).map(|e| &e.1)
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(key).ok()?;
        self.entries.get_mut(i).map(|e| &mut e.1)
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Insert or replace; the old value, if there was one.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => self.entries.get_mut(i).map(|e| std::mem::replace(&mut e.1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// The entry for `key`, to read or fill: `map.entry(k).or_insert(v)`.
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        Entry { map: self, key }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// In key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }
}

pub struct Entry<'a, K, V> {
    map: &'a mut SortedMap<K, V>,
    key: K,
}

impl<'a, K: Ord, V> Entry<'a, K, V> {
    pub fn or_insert(self, value: V) -> &'a mut V {
        let i = match self.map.find(&self.key) {
            Ok(i) => i,
            Err(i) => {
                self.map.entries.insert(i, (self.key, value));
                i
            }
        };
        &mut self.map.entries[i].1
    }
}

impl<'a, K: Ord, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut m = SortedMap::new();
        for (k, v) in iter {
            m.insert(k, v);
        }
        m
    }
}

/// Written as a JSON object (keys are strings in siyu's maps), in byte
/// order: canonical order.
impl<V: Encode> Encode for SortedMap<String, V> {
    fn encode(&self, w: &mut Writer) {
        w.map(self.entries.iter().map(|(k, v)| (k.as_str(), v as &dyn Encode)))
    }
}

impl<V: Decode> Decode for SortedMap<String, V> {
    fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
        d.map(v)
    }
}

impl<'v, V: Decode> Entries<'v> for SortedMap<String, V> {
    fn read(&mut self, key: &str, item: &'v Json<'v>, d: &mut Decoder<'v>) -> bool {
        V::decode(item, d).map(|t| self.insert(key.to_string(), t)).is_some()
    }
}

/// A set kept as a sorted vector (see [`SortedMap`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortedSet<K> {
    items: Vec<K>,
}

impl<K> Default for SortedSet<K> {
    fn default() -> Self {
        SortedSet { items: Vec::new() }
    }
}

impl<K: Ord> SortedSet<K> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether `k` was new.
    pub fn insert(&mut self, k: K) -> bool {
        match self.items.binary_search(&k) {
            Ok(_) => false,
            Err(i) => {
                self.items.insert(i, k);
                true
            }
        }
    }

    pub fn contains<Q: Ord + ?Sized>(&self, k: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.items.binary_search_by(|x| x.borrow().cmp(k)).is_ok()
    }
}

/// A map from string ids that grows with a member's history (orders; with
/// [`IdSet`], event ids). Sorted vectors like [`SortedMap`], which is far
/// less code than a `BTreeMap` (each `BTreeMap` compiled its own node
/// machinery: about 12 KB of the module for these two). So that a long
/// history in any id order stays cheap, an insert goes into a short sorted
/// `recent` vector, merged into `main` once it outgrows the square root of
/// `main`: n inserts move O(n √n) entries, not O(n²).
#[derive(Clone)]
pub struct IdMap<V> {
    main: Vec<(String, V)>,
    recent: Vec<(String, V)>,
}

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        IdMap { main: Vec::new(), recent: Vec::new() }
    }
}

impl<V> IdMap<V> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Where `key` is: `Ok((in recent, index))`, or `Err(index in recent
    /// to insert it at)`.
    fn locate(&self, key: &str) -> Result<(bool, usize), usize> {
        if let Ok(i) = self.main.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
            return Ok((false, i));
        }
        match self.recent.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
            Ok(i) => Ok((true, i)),
            Err(i) => Err(i),
        }
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        // `get`, not an index, here and below: the positions are in range,
        // and an index keeps a panic call in every instance.
        let (in_recent, i) = self.locate(key).ok()?;
        let side = if in_recent { &self.recent } else { &self.main };
        side.get(i).map(|e| &e.1)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        let (in_recent, i) = self.locate(key).ok()?;
        let side = if in_recent { &mut self.recent } else { &mut self.main };
        side.get_mut(i).map(|e| &mut e.1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.locate(key).is_ok()
    }

    /// Insert or replace; whether `key` was new.
    pub fn insert(&mut self, key: String, value: V) -> bool {
        match self.locate(&key) {
            Ok((in_recent, i)) => {
                let side = if in_recent { &mut self.recent } else { &mut self.main };
                if let Some(e) = side.get_mut(i) {
                    e.1 = value;
                }
            }
            Err(i) => {
                self.recent.insert(i, (key, value));
                if self.recent.len() > 8 && self.recent.len() * self.recent.len() > self.main.len() {
                    self.merge();
                }
                return true;
            }
        }
        false
    }

    /// Merge `recent` into `main` (their keys are distinct).
    /// Taken from the ends with `pop` and reversed: less code than
    /// peeking into two consuming iterators.
    fn merge(&mut self) {
        let (main, recent) = (&mut self.main, &mut self.recent);
        let mut out = Vec::with_capacity(main.len() + recent.len());
        loop {
            let from_recent = match (main.last(), recent.last()) {
                (Some(a), Some(b)) => b.0 > a.0,
                (a, _) => a.is_none(),
            };
            match if from_recent { recent.pop() } else { main.pop() } {
                Some(e) => out.push(e),
                None => break,
            }
        }
        out.reverse();
        self.main = out;
    }

    pub fn len(&self) -> usize {
        self.main.len() + self.recent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// In key order.
    pub fn iter(&self) -> IdIter<'_, V> {
        IdIter { a: &self.main, b: &self.recent }
    }

    /// In key order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.iter().map(|(_, v)| v)
    }
}

/// [`IdMap::iter`]: its two sorted vectors merged.
pub struct IdIter<'a, V> {
    a: &'a [(String, V)],
    b: &'a [(String, V)],
}

impl<'a, V> Iterator for IdIter<'a, V> {
    type Item = (&'a String, &'a V);
    fn next(&mut self) -> Option<Self::Item> {
        let from_a = match (self.a.first(), self.b.first()) {
            (Some(x), Some(y)) => x.0 < y.0,
            (x, _) => x.is_some(),
        };
        let side = if from_a { &mut self.a } else { &mut self.b };
        let (first, rest) = side.split_first()?;
        *side = rest;
        Some((&first.0, &first.1))
    }
}

impl<'a, V> IntoIterator for &'a IdMap<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = IdIter<'a, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Equal when the entries are, however they are split between the vectors.
impl<V: PartialEq> PartialEq for IdMap<V> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<V: std::fmt::Debug> std::fmt::Debug for IdMap<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// `map["id"]`, as for a `BTreeMap`: panics if there is no such entry.
impl<V, Q: AsRef<str> + ?Sized> std::ops::Index<&Q> for IdMap<V> {
    type Output = V;
    fn index(&self, key: &Q) -> &V {
        self.get(key.as_ref()).expect("no entry for the key")
    }
}

/// Written as a JSON object, keys in byte order: canonical order.
impl<V: Encode> Encode for IdMap<V> {
    fn encode(&self, w: &mut Writer) {
        w.map(self.iter().map(|(k, v)| (k.as_str(), v as &dyn Encode)))
    }
}

impl<V: Decode> Decode for IdMap<V> {
    fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
        d.map(v)
    }
}

impl<'v, V: Decode> Entries<'v> for IdMap<V> {
    fn read(&mut self, key: &str, item: &'v Json<'v>, d: &mut Decoder<'v>) -> bool {
        V::decode(item, d).map(|t| self.insert(key.to_string(), t)).is_some()
    }
}

/// A set of string ids (see [`IdMap`]), written as a sorted JSON array.
/// Its code is `#[inline]`: built where it is used, at the engine's
/// opt-level for size, not at this crate's for speed (1.5 KB more for
/// `insert` alone).
#[derive(Clone, Default, PartialEq)]
pub struct IdSet(IdMap<()>);

impl IdSet {
    pub fn new() -> Self {
        Self::default()
    }

    #[inline]
    pub fn contains(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }

    /// Whether `id` was new.
    #[inline]
    pub fn insert(&mut self, id: String) -> bool {
        self.0.insert(id, ())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// In order.
    pub fn iter(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }
}

impl std::fmt::Debug for IdSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl Encode for IdSet {
    #[inline]
    fn encode(&self, w: &mut Writer) {
        // As the writer writes an array (its own array writer is private).
        let mut sep = "[";
        for k in self.iter() {
            w.raw(sep);
            sep = ",";
            w.string(k);
        }
        w.raw(if sep == "[" { "[]" } else { "]" });
    }
}

/// From an array; a repeated id is kept once, as a `BTreeSet` did.
impl Decode for IdSet {
    #[inline]
    fn decode<'v>(v: &'v Json<'v>, d: &mut Decoder<'v>) -> Option<Self> {
        let mut out = IdSet::new();
        d.seq(v, &mut out).then_some(out)
    }
}

impl<'v> Items<'v> for IdSet {
    #[inline]
    fn read(&mut self, item: &'v Json<'v>, d: &mut Decoder<'v>) -> bool {
        String::decode(item, d).map(|k| self.insert(k)).is_some()
    }
}

// Their JSON Schema: a map is an object of any keys, a set an array.

impl<V: crate::schema::InputSchema> crate::schema::InputSchema for SortedMap<String, V> {
    fn input_schema(defs: &mut crate::schema::Defs) -> crate::schema::Value {
        crate::schema::map(V::input_schema(defs))
    }
}

impl<V: crate::schema::AnswerSchema> crate::schema::AnswerSchema for SortedMap<String, V> {
    fn answer_schema(defs: &mut crate::schema::Defs) -> crate::schema::Value {
        crate::schema::map(V::answer_schema(defs))
    }
}

impl<V: crate::schema::InputSchema> crate::schema::InputSchema for IdMap<V> {
    fn input_schema(defs: &mut crate::schema::Defs) -> crate::schema::Value {
        crate::schema::map(V::input_schema(defs))
    }
}

impl<V: crate::schema::AnswerSchema> crate::schema::AnswerSchema for IdMap<V> {
    fn answer_schema(defs: &mut crate::schema::Defs) -> crate::schema::Value {
        crate::schema::map(V::answer_schema(defs))
    }
}

/// A repeated id is read once: the input may repeat; the answer never does.
impl crate::schema::InputSchema for IdSet {
    fn input_schema(_: &mut crate::schema::Defs) -> crate::schema::Value {
        crate::schema::array(crate::schema::Value::of_type("string"))
    }
}

impl crate::schema::AnswerSchema for IdSet {
    fn answer_schema(_: &mut crate::schema::Defs) -> crate::schema::Value {
        crate::schema::array(crate::schema::Value::of_type("string"))
            .with("uniqueItems", crate::schema::Value::Bool(true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inserts in any order read back as a `BTreeMap` would, whatever the
    /// split between the two vectors.
    #[test]
    fn id_map_is_a_map_in_key_order() {
        let mut x: u64 = 11;
        let mut ours = IdMap::new();
        let mut std = std::collections::BTreeMap::new();
        for i in 0..3000u32 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let k = format!("o-{}", (x >> 40) % 2000);
            assert_eq!(ours.insert(k.clone(), i), std.insert(k.clone(), i).is_none());
            assert_eq!(ours.get(&k), Some(&i));
            if i % 500 == 0 {
                assert!(ours.iter().eq(std.iter()));
            }
        }
        assert_eq!(ours.len(), std.len());
        assert!(ours.iter().eq(std.iter()));
        assert!(!ours.contains_key("o-x"));
        let mut set = IdSet::new();
        for k in ["b", "a", "b", "c"] {
            set.insert(k.to_string());
        }
        assert_eq!(set.iter().map(String::as_str).collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(crate::encode::to_json(&set), r#"["a","b","c"]"#);
        assert_eq!(crate::encode::to_json(&IdSet::new()), "[]");
    }

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
            std.sort_by_key(|a| a.0);
            assert_eq!(ours, std, "n = {n}");
        }
    }
}
