//! Storage of `set`, `bag` and `duplicate_bag` tables: erl's linear hash
//! table (`erl_db_hash.c`), reproduced so that iteration (`first/next`,
//! `tab2list`, `select`) visits objects in erl's order.
//!
//! A key hashes as erl's `MAKE_HASH`: an atom by `hashpjw` of its text,
//! anything else by `make_internal_hash(Key, 0)`. The table starts with
//! 256 active buckets; a new object that makes the (estimated) count exceed
//! the active buckets splits one bucket (`grow`), and deletions below the
//! shrink limit join the top bucket into its partner (`shrink`), with the
//! segment bookkeeping (`nslots`) that decides when shrinking is allowed.
//! A bucket is a chain: a new key goes at its end, a new object of a bag
//! key goes before the key's other objects; a split keeps the relative
//! order of both halves. Iteration visits buckets in erl's lock-stride
//! order (`next_slot`): with `nlocks` locks, bucket `i`, `i + nlocks`, …
//! for `i` in `0..nlocks`.

use super::object::{Object, HASH_OBJECT_OVERHEAD};
use crate::term::hash::internal_hash;
use crate::term::order::exact_eq;
use crate::term::{Atom, Term};

const FIRST_SEGSZ: usize = 256;
const EXT_SEGSZ: usize = 2048;
/// Buckets erl keeps item counters for (decentralized counters).
const NLOCKS_WITH_ITEM_COUNTERS: usize = 64;
/// Splits or joins at most this many buckets per operation, as erl.
const RESIZE_LOOP_LIMIT: u32 = 5;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum HashKind {
    Set,
    Bag,
    DuplicateBag,
}

struct Entry {
    hval: u32,
    obj: Object,
}

/// A position in the table: bucket and index in its chain.
#[derive(Clone, Copy, Debug)]
pub(super) struct Position {
    slot: usize,
    index: usize,
}

pub(super) struct HashStore {
    kind: HashKind,
    keypos: usize,
    /// The active buckets (erl's `nactive` is their number).
    buckets: Vec<Vec<Entry>>,
    /// Mask of the hash bits in use (`szm`).
    szm: usize,
    /// Allocated buckets (whole segments).
    nslots: usize,
    shrink_limit: usize,
    count: usize,
    /// Lock count: the stride of iteration (1 without fine locking).
    nlocks: usize,
    /// Per-lock item counts when the table has decentralized counters:
    /// erl then estimates the size from one lock's count.
    lock_counts: Option<Vec<i64>>,
    /// Object words plus per-object overhead, for `info(T, memory)`.
    words: usize,
    /// The words of the table's locks, for `info(T, memory)`.
    lock_words: usize,
}

/// erl's `MAKE_HASH` of a key.
pub(super) fn key_hash(key: Term) -> u32 {
    match key.as_atom() {
        Some(atom) => atom_hash(atom),
        None => internal_hash(key, 0),
    }
}

/// The hash erts keeps for an atom (`atom_hash` in `atom.c`): `hashpjw`
/// over its Latin-1 text (two-byte UTF-8 sequences folded to one byte).
fn atom_hash(atom: Atom) -> u32 {
    let bytes = atom.name().as_bytes();
    let mut h: u32 = 0;
    let mut i = 0;
    while i < bytes.len() {
        let mut v = bytes[i] as u32;
        i += 1;
        if i < bytes.len() && (v & 0xFE) == 0xC2 && (bytes[i] & 0xC0) == 0x80 {
            v = ((v << 6) | (bytes[i] as u32 & 0x3F)) & 0xFF;
            i += 1;
        }
        h = (h << 4).wrapping_add(v);
        let g = h & 0xf000_0000;
        if g != 0 {
            h ^= g >> 24;
            h ^= g;
        }
    }
    h
}

impl HashStore {
    pub(super) fn new(
        kind: HashKind,
        keypos: usize,
        nlocks: usize,
        decentralized: bool,
    ) -> HashStore {
        let mut store = HashStore {
            kind,
            keypos,
            buckets: (0..FIRST_SEGSZ).map(|_| Vec::new()).collect(),
            szm: FIRST_SEGSZ - 1,
            nslots: FIRST_SEGSZ,
            shrink_limit: 0,
            count: 0,
            nlocks,
            lock_counts: decentralized.then(|| vec![0; NLOCKS_WITH_ITEM_COUNTERS]),
            words: 0,
            lock_words: 0,
        };
        store.calc_shrink_limit();
        store
    }

    /// The same table, counting `words` for its locks in `memory_words`.
    pub(super) fn with_lock_words(mut self, words: usize) -> HashStore {
        self.lock_words = words;
        self
    }

    /// An empty table with the same settings (`delete_all_objects`).
    pub(super) fn emptied(&self) -> HashStore {
        HashStore::new(
            self.kind,
            self.keypos,
            self.nlocks,
            self.lock_counts.is_some(),
        )
        .with_lock_words(self.lock_words)
    }

    pub(super) fn len(&self) -> usize {
        self.count
    }

    /// Words for `info(T, memory)` as erl counts them (measured on erl
    /// 25): the empty table (305), each extra segment (2048) and the
    /// larger segment table the first one brings (262), the locks of a
    /// fine-locked table and its decentralized counters (34), and each
    /// object with its header.
    pub(super) fn memory_words(&self) -> usize {
        let segments = match self.nslots - FIRST_SEGSZ {
            0 => 0,
            extra => extra + 262,
        };
        let counters = if self.lock_counts.is_some() { 34 } else { 0 };
        305 + segments + self.lock_words + counters + self.words
    }

    fn slot_of(&self, hval: u32) -> usize {
        let mut ix = hval as usize & self.szm;
        if ix >= self.buckets.len() {
            ix &= self.szm >> 1;
        }
        ix
    }

    fn has_key(&self, e: &Entry, hval: u32, key: Term) -> bool {
        e.hval == hval && exact_eq(e.obj.key(self.keypos), key)
    }

    /// The chain of `key` and the range of its objects there.
    fn find(&self, key: Term) -> (u32, usize, std::ops::Range<usize>) {
        let hval = key_hash(key);
        let slot = self.slot_of(hval);
        let chain = &self.buckets[slot];
        let start = chain.iter().position(|e| self.has_key(e, hval, key));
        let range = match start {
            None => chain.len()..chain.len(),
            Some(s) => {
                let end = chain[s..]
                    .iter()
                    .position(|e| !self.has_key(e, hval, key))
                    .map_or(chain.len(), |n| s + n);
                s..end
            }
        };
        (hval, slot, range)
    }

    fn estimate(&self, hval: u32) -> usize {
        match &self.lock_counts {
            Some(counts) => {
                let n = counts[hval as usize % NLOCKS_WITH_ITEM_COUNTERS];
                n.max(0) as usize * NLOCKS_WITH_ITEM_COUNTERS
            }
            None => self.count,
        }
    }

    fn add_count(&mut self, hval: u32, delta: i64) {
        self.count = (self.count as i64 + delta) as usize;
        if let Some(counts) = &mut self.lock_counts {
            counts[hval as usize % NLOCKS_WITH_ITEM_COUNTERS] += delta;
        }
    }

    /// Inserts `obj` (`insert/2` semantics of the table type); `fixed`
    /// tables do not resize.
    pub(super) fn insert(&mut self, obj: Object, fixed: bool) {
        let key = obj.key(self.keypos);
        let (hval, slot, range) = self.find(key);
        let words = obj.words() + HASH_OBJECT_OVERHEAD;
        let entry = Entry { hval, obj };
        if range.is_empty() {
            self.buckets[slot].push(entry);
        } else {
            match self.kind {
                HashKind::Set => {
                    let old = std::mem::replace(&mut self.buckets[slot][range.start], entry);
                    self.words = self.words + words - (old.obj.words() + HASH_OBJECT_OVERHEAD);
                    return;
                }
                HashKind::Bag => {
                    let chain = &self.buckets[slot];
                    if chain[range.clone()]
                        .iter()
                        .any(|e| exact_eq(e.obj.term(), entry.obj.term()))
                    {
                        return;
                    }
                    self.buckets[slot].insert(range.start, entry);
                }
                HashKind::DuplicateBag => self.buckets[slot].insert(range.start, entry),
            }
        }
        self.words += words;
        self.add_count(hval, 1);
        if !fixed {
            self.grow(self.estimate(hval));
        }
    }

    pub(super) fn contains(&self, key: Term) -> bool {
        !self.find(key).2.is_empty()
    }

    /// The objects of `key` in the order `lookup/2` returns them.
    pub(super) fn lookup(&self, key: Term) -> Vec<&Object> {
        let (_, slot, range) = self.find(key);
        self.buckets[slot][range]
            .iter()
            .rev()
            .map(|e| &e.obj)
            .collect()
    }

    /// Removes the objects of `key`, returning them in `lookup/2`'s order.
    pub(super) fn remove_key(&mut self, key: Term, fixed: bool) -> Vec<Object> {
        let (hval, slot, range) = self.find(key);
        if range.is_empty() {
            return Vec::new();
        }
        let mut removed: Vec<Object> = self.buckets[slot].drain(range).map(|e| e.obj).collect();
        removed.reverse();
        self.removed(hval, &removed, fixed);
        removed
    }

    /// Removes the objects `=:=` to `object` (which has the key's arity);
    /// true if any was removed.
    pub(super) fn remove_object(&mut self, object: Term, fixed: bool) -> bool {
        let Some(key) = object.as_tuple().map(|t| t[self.keypos - 1]) else {
            return false;
        };
        let (hval, slot, range) = self.find(key);
        let chain = &mut self.buckets[slot];
        let mut removed = Vec::new();
        let mut i = range.start;
        let mut end = range.end;
        while i < end {
            if exact_eq(chain[i].obj.term(), object) {
                removed.push(chain.remove(i).obj);
                end -= 1;
            } else {
                i += 1;
            }
        }
        if removed.is_empty() {
            return false;
        }
        self.removed(hval, &removed, fixed);
        true
    }

    /// Replaces the object of `key` in a set with `obj` (same key).
    pub(super) fn replace(&mut self, key: Term, obj: Object) {
        let (_, slot, range) = self.find(key);
        let words = obj.words() + HASH_OBJECT_OVERHEAD;
        let entry = &mut self.buckets[slot][range.start];
        let old = std::mem::replace(&mut entry.obj, obj);
        self.words = self.words + words - (old.words() + HASH_OBJECT_OVERHEAD);
    }

    fn removed(&mut self, hval: u32, objects: &[Object], fixed: bool) {
        for obj in objects {
            self.words -= obj.words() + HASH_OBJECT_OVERHEAD;
            self.add_count(hval, -1);
        }
        if !fixed {
            self.shrink(self.estimate(hval));
        }
    }

    /// Removes every object for which `remove` is true (visiting in
    /// iteration order), then shrinks once as erl does after a traversal
    /// of a fixed table; returns how many were removed.
    pub(super) fn retain(&mut self, mut remove: impl FnMut(&Object) -> bool, fixed: bool) -> usize {
        let mut removed = 0;
        let mut last_hval = 0;
        let mut slot = Some(0);
        while let Some(s) = slot {
            let chain = std::mem::take(&mut self.buckets[s]);
            let mut kept = Vec::with_capacity(chain.len());
            for e in chain {
                if remove(&e.obj) {
                    self.words -= e.obj.words() + HASH_OBJECT_OVERHEAD;
                    self.add_count(e.hval, -1);
                    last_hval = e.hval;
                    removed += 1;
                } else {
                    kept.push(e);
                }
            }
            self.buckets[s] = kept;
            slot = self.next_slot(s);
        }
        if removed > 0 && !fixed {
            self.shrink(self.estimate(last_hval));
        }
        removed
    }

    /// The objects of the buckets holding `keys` (each bucket once, in
    /// the order of the keys), in chain order: what erl visits for a
    /// match with bound keys.
    pub(super) fn chains_of(&self, keys: &[Term]) -> Vec<&Object> {
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for &key in keys {
            let slot = self.slot_of(key_hash(key));
            if !seen.contains(&slot) {
                seen.push(slot);
                out.extend(self.buckets[slot].iter().map(|e| &e.obj));
            }
        }
        out
    }

    /// The objects of bucket `slot` in chain order.
    pub(super) fn bucket(&self, slot: usize) -> impl Iterator<Item = &Object> {
        self.buckets[slot].iter().map(|e| &e.obj)
    }

    /// The bucket after `slot` in iteration order; `None` at the end.
    pub(super) fn following_slot(&self, slot: usize) -> Option<usize> {
        self.next_slot(slot)
    }

    /// The number of active buckets.
    pub(super) fn active_buckets(&self) -> usize {
        self.buckets.len()
    }

    /// Replaces the stored object `old` (found by identity) with `new`,
    /// which has the same key, in place.
    pub(super) fn replace_object(&mut self, old: Term, new: Object) {
        let key = new.key(self.keypos);
        let (_, slot, range) = self.find(key);
        let words = new.words() + HASH_OBJECT_OVERHEAD;
        if let Some(e) = self.buckets[slot][range]
            .iter_mut()
            .find(|e| e.obj.term() == old)
        {
            let old = std::mem::replace(&mut e.obj, new);
            self.words = self.words + words - (old.words() + HASH_OBJECT_OVERHEAD);
        }
    }

    fn next_slot(&self, ix: usize) -> Option<usize> {
        let next = ix + self.nlocks;
        if next < self.buckets.len() {
            return Some(next);
        }
        let next = (next + 1) & (self.nlocks - 1);
        (next != 0).then_some(next)
    }

    /// The first live position at or after `pos` in iteration order.
    fn live_from(&self, mut slot: usize, mut index: usize) -> Option<Position> {
        loop {
            if index < self.buckets[slot].len() {
                return Some(Position { slot, index });
            }
            slot = self.next_slot(slot)?;
            index = 0;
        }
    }

    pub(super) fn first(&self) -> Option<Position> {
        self.live_from(0, 0)
    }

    /// The position after the objects of `key`; `Err(())` if the key is
    /// not in the table.
    pub(super) fn after_key(&self, key: Term) -> Result<Option<Position>, ()> {
        let (_, slot, range) = self.find(key);
        if range.is_empty() {
            return Err(());
        }
        Ok(self.live_from(slot, range.end))
    }

    pub(super) fn at(&self, pos: Position) -> &Object {
        &self.buckets[pos.slot][pos.index].obj
    }

    /// Every object in iteration (`first/next`) order.
    pub(super) fn objects(&self) -> Vec<&Object> {
        let mut out = Vec::with_capacity(self.count);
        let mut slot = Some(0);
        while let Some(s) = slot {
            out.extend(self.buckets[s].iter().map(|e| &e.obj));
            slot = self.next_slot(s);
        }
        out
    }

    /// `slot(T, I)`: the objects of bucket `i` (`Some(None)` just past the
    /// last bucket, `None` beyond).
    pub(super) fn slot(&self, i: usize) -> Option<Option<Vec<&Object>>> {
        match i.cmp(&self.buckets.len()) {
            std::cmp::Ordering::Less => {
                Some(Some(self.buckets[i].iter().rev().map(|e| &e.obj).collect()))
            }
            std::cmp::Ordering::Equal => Some(None),
            std::cmp::Ordering::Greater => None,
        }
    }

    fn calc_shrink_limit(&mut self) {
        let sample_is_enough =
            self.lock_counts.is_none() || self.nslots >= 100 * NLOCKS_WITH_ITEM_COUNTERS;
        let floor = (self.nlocks + EXT_SEGSZ).max(FIRST_SEGSZ + 2 * EXT_SEGSZ);
        self.shrink_limit = if sample_is_enough && self.nslots >= floor {
            (self.nslots - EXT_SEGSZ) / 2
        } else {
            0
        };
    }

    /// erl's `grow`: splits buckets while `nitems` exceeds the active ones.
    fn grow(&mut self, nitems: usize) {
        let mut loops = RESIZE_LOOP_LIMIT;
        while nitems > self.buckets.len() && loops > 0 {
            loops -= 1;
            let nactive = self.buckets.len();
            if nactive == self.nslots {
                self.nslots += EXT_SEGSZ;
                self.calc_shrink_limit();
            }
            let (from, szm) = if nactive <= self.szm {
                (nactive & (self.szm >> 1), self.szm)
            } else {
                (0, (self.szm << 1) | 1)
            };
            if from == 0 {
                self.szm = szm;
            }
            let chain = std::mem::take(&mut self.buckets[from]);
            let (stay, moved): (Vec<Entry>, Vec<Entry>) = chain
                .into_iter()
                .partition(|e| e.hval as usize & szm == from);
            self.buckets[from] = stay;
            self.buckets.push(moved);
        }
    }

    /// erl's `shrink`: joins the top bucket into its partner while
    /// `nitems` is below the shrink limit.
    fn shrink(&mut self, nitems: usize) {
        let mut loops = RESIZE_LOOP_LIMIT;
        while nitems < self.shrink_limit && loops > 0 {
            loops -= 1;
            let src = self.buckets.len() - 1;
            let low_szm = self.szm >> 1;
            let dst = src & low_szm;
            if dst == 0 {
                self.szm = low_szm;
            }
            if self.nslots - src >= EXT_SEGSZ {
                self.nslots -= EXT_SEGSZ;
                self.calc_shrink_limit();
            }
            let mut joined = self.buckets.pop().expect("more than one bucket");
            joined.append(&mut self.buckets[dst]);
            self.buckets[dst] = joined;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::LiteralArea;
    use crate::term::build;

    fn object(area: &mut LiteralArea, key: i64, value: i64) -> Object {
        Object::new(build::tuple(area, &[Term::small(key), Term::small(value)]))
    }

    fn keys(store: &HashStore) -> Vec<i64> {
        store
            .objects()
            .iter()
            .map(|o| o.key(1).as_small().unwrap())
            .collect()
    }

    #[test]
    fn grows_and_shrinks_keeping_every_object_once() {
        let mut area = LiteralArea::new();
        let mut store = HashStore::new(HashKind::Set, 1, 1, false);
        for k in 0..10_000 {
            store.insert(object(&mut area, k, 0), false);
        }
        assert_eq!(store.len(), 10_000);
        assert_eq!(store.buckets.len(), 10_000);
        let mut seen = keys(&store);
        seen.sort_unstable();
        assert_eq!(seen, (0..10_000).collect::<Vec<_>>());
        for k in 0..9_990 {
            assert_eq!(store.remove_key(Term::small(k), false).len(), 1);
        }
        // Shrinking stops at two segments' worth of buckets.
        assert!(store.buckets.len() < 10_000 && store.nslots >= FIRST_SEGSZ + EXT_SEGSZ);
        let mut rest = keys(&store);
        rest.sort_unstable();
        assert_eq!(rest, (9_990..10_000).collect::<Vec<_>>());
        for k in 9_990..10_000 {
            assert!(store.contains(Term::small(k)));
        }
    }

    #[test]
    fn bags_keep_distinct_objects_and_lookup_in_insertion_order() {
        let mut area = LiteralArea::new();
        let mut bag = HashStore::new(HashKind::Bag, 1, 1, false);
        let mut dup = HashStore::new(HashKind::DuplicateBag, 1, 1, false);
        for v in [1, 2, 1, 3] {
            bag.insert(object(&mut area, 7, v), false);
            dup.insert(object(&mut area, 7, v), false);
        }
        let values = |s: &HashStore| -> Vec<i64> {
            s.lookup(Term::small(7))
                .iter()
                .map(|o| o.elements()[1].as_small().unwrap())
                .collect()
        };
        assert_eq!(values(&bag), [1, 2, 3]);
        assert_eq!(values(&dup), [1, 2, 1, 3]);
        let one = build::tuple(&mut area, &[Term::small(7), Term::small(1)]);
        assert!(dup.remove_object(one, false));
        assert_eq!(values(&dup), [2, 3]);
    }

    #[test]
    fn atom_hash_is_hashpjw() {
        // hashpjw("a") = 97; ("ab") = 97*16 + 98.
        assert_eq!(atom_hash(Atom::intern("a").unwrap()), 97);
        assert_eq!(atom_hash(Atom::intern("ab").unwrap()), 97 * 16 + 98);
    }
}
