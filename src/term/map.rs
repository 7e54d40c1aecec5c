//! Maps, laid out and ordered as OTP 25 does: flat maps up to 32 keys,
//! hash array mapped tries (HAMTs) beyond.
//!
//! Every map object is a [`BoxKind::Map`] box. As for every box, the header's
//! arity is the number of words that follow. The first of them is the *info
//! word*, a small integer `kind | bits << 2`:
//!
//! ```text
//! flat map (0..=32 keys):
//!   [header(Map, n+2)] [info: FLAT | n<<2] [keys: {K1,...,Kn}] [V1] ... [Vn]
//! HAMT head (33.. keys):
//!   [header(Map, k+2)] [info: HEAD | bitmap<<2] [size: small] [C1] ... [Ck]
//! HAMT inner node:
//!   [header(Map, k+1)] [info: NODE | bitmap<<2] [C1] ... [Ck]
//! ```
//!
//! A flat map's keys are sorted by [`compare_exact`], its values follow in
//! the same order. A HAMT node has a 16-bit bitmap of occupied slots and one
//! child per set bit, in slot order; a child is a leaf — a list pointer to a
//! cons cell `[Key | Value]` — or a boxed pointer to an inner node. The slot
//! of a key at level `L` is nibble `L % 8` of [`map_key_hash`]`(Key, L / 8)`.
//! The trie is canonical, as OTP builds it: a key sits at the shallowest
//! level where no other key shares its path.
//!
//! Every payload word is a term (the info and size words are small
//! integers), so a collector can scan a map box as it scans a tuple.
//!
//! Orders (checked against `erl`): a flat map lists its pairs in key order
//! everywhere. A HAMT's `maps:iterator/1` order — which `io_lib` prints —
//! is depth first with slots ascending; `maps:to_list/1`, `maps:keys/1` and
//! `term_to_binary/1` give the exact reverse.
//!
//! [`BoxKind::Map`]: super::BoxKind::Map

use super::build;
use super::hash::map_key_hash;
use super::order::compare_exact;
use super::{make_header, BoxKind, MapRef, Term, View};
use crate::heap::TermAlloc;

/// Most keys a flat map holds (OTP's `MAP_SMALL_MAP_LIMIT`).
pub const FLAT_MAP_MAX_KEYS: usize = 32;

const KIND_FLAT: i64 = 0;
const KIND_HEAD: i64 = 1;
const KIND_NODE: i64 = 2;

/// Bits of hash that pick a slot at each HAMT level.
const SLOT_BITS: u32 = 4;
/// Levels fed by one 32-bit hash before the key is hashed again, salted.
const LEVELS_PER_HASH: u32 = 8;

/// A map box, taken apart (crate-internal: the order and hash modules walk
/// the nodes).
pub(crate) enum Node<'a> {
    Flat {
        keys: &'a [Term],
        values: &'a [Term],
    },
    Hamt {
        /// The number of keys, in a head; `None` in an inner node.
        size: Option<usize>,
        bitmap: u16,
        children: &'a [Term],
    },
}

/// The node a map box holds.
pub(crate) fn node_of(map: MapRef<'_>) -> Node<'_> {
    // SAFETY: a `MapRef` is made by `Term::view` from a live map box with
    // `words.len()` payload words; they are all terms (module doc).
    let payload = unsafe { super::boxed_payload(map.term, map.words.len()) };
    let info = payload[0].small_value();
    let (kind, bits) = (info & 0b11, info >> 2);
    match kind {
        KIND_FLAT => Node::Flat {
            keys: payload[1].as_tuple().expect("a flat map's keys are a tuple"),
            values: &payload[2..],
        },
        KIND_HEAD => Node::Hamt {
            size: Some(payload[1].small_value() as usize),
            bitmap: bits as u16,
            children: &payload[2..],
        },
        _ => Node::Hamt {
            size: None,
            bitmap: bits as u16,
            children: &payload[1..],
        },
    }
}

/// The node under a HAMT child that is not a leaf.
fn inner_node<'a>(child: Term) -> Node<'a> {
    match child.view() {
        View::Map(m) => node_of(m),
        _ => unreachable!("a HAMT child is a leaf or a map node"),
    }
}

/// The slot a key hash `hash` (for the key's current 32-bit word) picks at `level`.
#[inline]
fn slot_at(hash: u32, level: u32) -> u32 {
    (hash >> (SLOT_BITS * (level % LEVELS_PER_HASH))) & 0xF
}

/// Allocates a map box of `payload.len()` words after the header.
fn write_map_box(heap: &mut impl TermAlloc, payload: &[Term]) -> Term {
    let ptr = heap.alloc_words(payload.len() + 1);
    // SAFETY: the area handed out `payload.len() + 1` fresh 8-aligned words
    // at `ptr`; all are written here before the boxed term is made.
    unsafe {
        ptr.write(make_header(BoxKind::Map, payload.len()));
        for (i, t) in payload.iter().enumerate() {
            ptr.add(1 + i).write(t.raw());
        }
        Term::from_boxed_ptr(ptr)
    }
}

fn info_word(kind: i64, bits: usize) -> Term {
    Term::small(kind | (bits as i64) << 2)
}

/// A map of `pairs`; when a key occurs more than once the last pair wins,
/// key and value (`maps:from_list/1`: of `[{0.0,a},{-0.0,b}]` it keeps
/// `-0.0 => b`). Also reports whether there were duplicates, which
/// `binary_to_term/1` rejects.
pub fn from_pairs(heap: &mut impl TermAlloc, pairs: &[(Term, Term)]) -> (Term, bool) {
    // A stable sort keeps equal keys in input order; the last of each run wins.
    let mut sorted: Vec<(Term, Term)> = pairs.to_vec();
    sorted.sort_by(|a, b| compare_exact(a.0, b.0));
    let mut unique: Vec<(Term, Term)> = Vec::with_capacity(sorted.len());
    for pair in sorted {
        match unique.last_mut() {
            Some(last) if compare_exact(last.0, pair.0).is_eq() => *last = pair,
            _ => unique.push(pair),
        }
    }
    let had_duplicates = unique.len() != pairs.len();
    let map = if unique.len() <= FLAT_MAP_MAX_KEYS {
        flat_map(heap, &unique)
    } else {
        let mut leaves: Vec<Leaf> = unique
            .iter()
            .map(|&(key, value)| Leaf {
                key,
                value,
                hash: map_key_hash(key, 0),
                hash_depth: 0,
                slot: 0,
            })
            .collect();
        hamt_node(heap, &mut leaves, 0)
    };
    (map, had_duplicates)
}

/// A flat map of pairs already sorted and unique by key.
fn flat_map(heap: &mut impl TermAlloc, sorted: &[(Term, Term)]) -> Term {
    let keys: Vec<Term> = sorted.iter().map(|p| p.0).collect();
    let keys = build::tuple(heap, &keys);
    let mut payload = Vec::with_capacity(sorted.len() + 2);
    payload.push(info_word(KIND_FLAT, sorted.len()));
    payload.push(keys);
    payload.extend(sorted.iter().map(|p| p.1));
    write_map_box(heap, &payload)
}

/// A key/value pair while its HAMT is built.
struct Leaf {
    key: Term,
    value: Term,
    /// `map_key_hash(key, hash_depth)`.
    hash: u32,
    hash_depth: u32,
    /// The slot at the level being built.
    slot: u32,
}

impl Leaf {
    fn slot_at_level(&mut self, level: u32) -> u32 {
        let depth = level / LEVELS_PER_HASH;
        if depth != self.hash_depth {
            self.hash = map_key_hash(self.key, depth);
            self.hash_depth = depth;
        }
        slot_at(self.hash, level)
    }
}

/// The HAMT node at `level` over `leaves` (at least two, distinct keys);
/// the head when `level` is 0. Recursion depth is the trie's depth, which
/// grows by one level per 4 bits of hash two keys share.
fn hamt_node(heap: &mut impl TermAlloc, leaves: &mut [Leaf], level: u32) -> Term {
    for leaf in leaves.iter_mut() {
        leaf.slot = leaf.slot_at_level(level);
    }
    leaves.sort_by_key(|l| l.slot);
    let mut bitmap = 0usize;
    let mut children = Vec::with_capacity(16);
    for group in leaves.chunk_by_mut(|a, b| a.slot == b.slot) {
        bitmap |= 1 << group[0].slot;
        children.push(match group {
            [only] => build::cons(heap, only.key, only.value),
            _ => hamt_node(heap, group, level + 1),
        });
    }
    let mut payload = Vec::with_capacity(children.len() + 2);
    if level == 0 {
        payload.push(info_word(KIND_HEAD, bitmap));
        payload.push(Term::small(leaves.len() as i64));
    } else {
        payload.push(info_word(KIND_NODE, bitmap));
    }
    payload.extend(children);
    write_map_box(heap, &payload)
}

/// A HAMT's pairs depth first, slots ascending: `maps:iterator/1` order,
/// and the order of hashes (nibble by nibble from the root).
fn hamt_pairs_forward(children: &[Term]) -> Vec<(Term, Term)> {
    let mut out = Vec::new();
    let mut stack: Vec<&[Term]> = vec![children];
    while let Some(top) = stack.last_mut() {
        let Some((&child, rest)) = top.split_first() else {
            stack.pop();
            continue;
        };
        *top = rest;
        match child.as_cons() {
            Some(pair) => out.push(pair),
            None => match inner_node(child) {
                Node::Hamt { children, .. } => stack.push(children),
                Node::Flat { .. } => unreachable!("a HAMT node's child is a HAMT node"),
            },
        }
    }
    out
}

/// A map's pairs in hash order (for a flat map, key order).
pub(crate) fn hash_order_pairs(map: MapRef<'_>) -> Vec<(Term, Term)> {
    map.iterator_order()
}

/// Orders two distinct keys by their paths in a HAMT: slot by slot from the
/// root (OTP's `hashmap_key_hash_cmp`).
pub(crate) fn hash_path_cmp(a: Term, b: Term) -> std::cmp::Ordering {
    // Distinct keys part within a few hash words; the bound only keeps a
    // (never seen) full collision from looping.
    for depth in 0..64 {
        let (ha, hb) = (map_key_hash(a, depth), map_key_hash(b, depth));
        if ha != hb {
            // The first differing nibble from the low end decides.
            let shift = (ha ^ hb).trailing_zeros() / SLOT_BITS * SLOT_BITS;
            return ((ha >> shift) & 0xF).cmp(&((hb >> shift) & 0xF));
        }
    }
    std::cmp::Ordering::Equal
}

impl<'a> MapRef<'a> {
    /// Number of keys.
    pub fn len(&self) -> usize {
        match node_of(*self) {
            Node::Flat { keys, .. } => keys.len(),
            Node::Hamt { size, .. } => size.unwrap_or(0),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Is this map a HAMT (more than 32 keys)?
    pub fn is_hamt(&self) -> bool {
        matches!(node_of(*self), Node::Hamt { .. })
    }

    /// The value under `key` (exact match).
    pub fn get(&self, key: Term) -> Option<Term> {
        let (mut bitmap, mut children) = match node_of(*self) {
            Node::Flat { keys, values } => {
                return keys
                    .binary_search_by(|k| compare_exact(*k, key))
                    .ok()
                    .map(|i| values[i]);
            }
            Node::Hamt {
                bitmap, children, ..
            } => (bitmap, children),
        };
        let mut level = 0;
        let mut hash = map_key_hash(key, 0);
        loop {
            let bit = 1u32 << slot_at(hash, level);
            if bitmap as u32 & bit == 0 {
                return None;
            }
            let child = children[(bitmap as u32 & (bit - 1)).count_ones() as usize];
            if let Some((k, v)) = child.as_cons() {
                return compare_exact(k, key).is_eq().then_some(v);
            }
            level += 1;
            if level % LEVELS_PER_HASH == 0 {
                hash = map_key_hash(key, level / LEVELS_PER_HASH);
            }
            match inner_node(child) {
                Node::Hamt {
                    bitmap: b,
                    children: c,
                    ..
                } => (bitmap, children) = (b, c),
                Node::Flat { .. } => unreachable!("a HAMT node's child is a HAMT node"),
            }
        }
    }

    /// Key/value pairs in the order of `maps:iterator/1` and `maps:next/1`,
    /// which is the order `io_lib` (`~w`, `~p`) prints them in.
    pub fn iterator_order(&self) -> Vec<(Term, Term)> {
        match node_of(*self) {
            Node::Flat { keys, values } => keys.iter().copied().zip(values.iter().copied()).collect(),
            Node::Hamt { children, .. } => hamt_pairs_forward(children),
        }
    }

    /// Key/value pairs in the order `maps:to_list/1` returns them (also the
    /// order of `maps:keys/1` and `maps:values/1`). For a HAMT this is the
    /// reverse of [`MapRef::iterator_order`], the order `io_lib` prints.
    pub fn to_list_order(&self) -> Vec<(Term, Term)> {
        let mut pairs = self.iterator_order();
        if self.is_hamt() {
            pairs.reverse();
        }
        pairs
    }

    /// Key/value pairs in the order `term_to_binary/1` writes them (without
    /// the `deterministic` option): the same as [`MapRef::to_list_order`].
    pub fn external_order(&self) -> Vec<(Term, Term)> {
        self.to_list_order()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::LiteralArea;

    #[test]
    fn quick() {
        let mut area = LiteralArea::new();
        let pairs: Vec<(Term, Term)> = (1..=40).map(|i| (Term::small(i), Term::small(i))).collect();
        let (m, dup) = from_pairs(&mut area, &pairs);
        assert!(!dup);
        let View::Map(m) = m.view() else { panic!() };
        let order: Vec<i64> = m.iterator_order().iter().map(|p| p.0.small_value()).collect();
        println!("{order:?}");
    }
}
