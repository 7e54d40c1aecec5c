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
//! with node kinds `FLAT` = 0, `HEAD` = 1, `NODE` = 2. A flat map's keys are sorted by [`compare_exact`], its values follow in
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
//! Building and updating: [`from_pairs`], [`from_sorted`], [`put`],
//! [`update`], [`take`], [`remove`], [`merge`], and [`put_pairs`] /
//! [`update_pairs`] for the `put_map_*` instructions. Maps are immutable:
//! an update allocates a new flat map (sharing the key tuple when the keys
//! stay) or copies the HAMT nodes on the path to the key (O(log n) words)
//! and shares the rest. Every result has the layout OTP 25 gives the same
//! contents, so orders and comparisons agree with erl's whatever the
//! history of a map; only which of two equal keys (`0.0`, `-0.0`) stays
//! follows OTP's per-operation rule.
//!
//! [`BoxKind::Map`]: super::BoxKind::Map

use super::build;
use super::hash::map_key_hash;
use super::order::{compare_exact, exact_eq};
use super::{header_arity, header_kind, make_header, BoxKind, MapRef, Term, View};
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
    node_in(unsafe { super::boxed_payload(map.term, map.words.len()) })
}

/// The node whose payload (the words after the header) is `payload`.
fn node_in(payload: &[Term]) -> Node<'_> {
    let info = payload[0].small_value();
    let (kind, bits) = (info & 0b11, info >> 2);
    match kind {
        KIND_FLAT => Node::Flat {
            keys: payload[1]
                .as_tuple()
                .expect("a flat map's keys are a tuple"),
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

/// The node under a HAMT child that is not a leaf (read straight from the
/// box: this is the hot step of every HAMT walk).
fn inner_node<'a>(child: Term) -> Node<'a> {
    let header = child
        .header()
        .filter(|&h| header_kind(h) == BoxKind::Map)
        .expect("a HAMT child is a leaf or a map node");
    // SAFETY: a boxed term's header is followed by `arity` live words
    // (type invariant); in a map box they are all terms (module doc).
    node_in(unsafe { super::boxed_payload(child, header_arity(header)) })
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
    let unique = sort_unique(pairs);
    let had_duplicates = unique.len() != pairs.len();
    (from_sorted(heap, &unique), had_duplicates)
}

/// `pairs` sorted by key in exact term order; of equal keys the last pair
/// wins, key and value.
fn sort_unique(pairs: &[(Term, Term)]) -> Vec<(Term, Term)> {
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
    unique
}

/// A map of pairs already sorted by key (exact term order) and unique, as
/// the loader sorts the keys of `#{K1 => V1, ...}`: flat up to 32 keys, a
/// HAMT beyond.
pub fn from_sorted(heap: &mut impl TermAlloc, sorted: &[(Term, Term)]) -> Term {
    debug_assert!(sorted
        .windows(2)
        .all(|w| compare_exact(w[0].0, w[1].0).is_lt()));
    if sorted.len() <= FLAT_MAP_MAX_KEYS {
        flat_map(heap, sorted)
    } else {
        hamt_of_unique(heap, sorted)
    }
}

/// A flat map of pairs already sorted and unique by key.
fn flat_map(heap: &mut impl TermAlloc, sorted: &[(Term, Term)]) -> Term {
    let keys: Vec<Term> = sorted.iter().map(|p| p.0).collect();
    let keys = build::tuple(heap, &keys);
    flat_with_keys(heap, keys, sorted.iter().map(|p| p.1))
}

/// A flat map whose sorted keys are the tuple `keys`, with `values` in the
/// same order.
fn flat_with_keys(
    heap: &mut impl TermAlloc,
    keys: Term,
    values: impl ExactSizeIterator<Item = Term>,
) -> Term {
    let n = values.len();
    if n > FLAT_MAP_MAX_KEYS {
        let mut payload = Vec::with_capacity(n + 2);
        payload.push(info_word(KIND_FLAT, n));
        payload.push(keys);
        payload.extend(values);
        return write_map_box(heap, &payload);
    }
    // On the stack: map updates in loops build many of these.
    let mut payload = [Term::NIL; FLAT_MAP_MAX_KEYS + 2];
    payload[0] = info_word(KIND_FLAT, n);
    payload[1] = keys;
    for (slot, value) in payload[2..].iter_mut().zip(values) {
        *slot = value;
    }
    write_map_box(heap, &payload[..n + 2])
}

/// The key tuple of a flat map.
fn flat_keys_tuple(map: MapRef<'_>) -> Term {
    // SAFETY: as in `node_of`; a flat map's second payload word is its key
    // tuple.
    unsafe { super::boxed_payload(map.term, 2)[1] }
}

/// A HAMT head over unique pairs, whatever their number (OTP also builds
/// small ones, as a step of `maps:merge/2`).
fn hamt_of_unique(heap: &mut impl TermAlloc, pairs: &[(Term, Term)]) -> Term {
    let mut leaves: Vec<Leaf> = pairs
        .iter()
        .map(|&(key, value)| Leaf {
            value,
            hash: KeyHash::new(key),
            slot: 0,
        })
        .collect();
    hamt_node(heap, &mut leaves, 0)
}

/// Writes a HAMT node with `children` in slot order: the head of a map of
/// `size` keys when `size` is given, an inner node otherwise.
fn write_hamt(
    heap: &mut impl TermAlloc,
    size: Option<usize>,
    bitmap: u32,
    children: &[Term],
) -> Term {
    debug_assert_eq!(bitmap.count_ones() as usize, children.len());
    let mut payload = [Term::NIL; 18];
    let mut len = 0;
    let mut push = |t: Term| {
        payload[len] = t;
        len += 1;
    };
    match size {
        Some(size) => {
            push(info_word(KIND_HEAD, bitmap as usize));
            push(Term::small(size as i64));
        }
        None => push(info_word(KIND_NODE, bitmap as usize)),
    }
    children.iter().for_each(|&c| push(c));
    write_map_box(heap, &payload[..len])
}

/// A key with its hash for the level being visited: the key is hashed
/// again, salted, every 8 levels.
#[derive(Clone, Copy)]
struct KeyHash {
    key: Term,
    /// `map_key_hash(key, depth)`.
    hash: u32,
    depth: u32,
}

impl KeyHash {
    fn new(key: Term) -> KeyHash {
        KeyHash {
            key,
            hash: map_key_hash(key, 0),
            depth: 0,
        }
    }

    /// The key's slot at `level`.
    fn slot(&mut self, level: u32) -> u32 {
        let depth = level / LEVELS_PER_HASH;
        if depth != self.depth {
            self.hash = map_key_hash(self.key, depth);
            self.depth = depth;
        }
        slot_at(self.hash, level)
    }
}

/// A key/value pair while its HAMT is built.
struct Leaf {
    value: Term,
    hash: KeyHash,
    /// The slot at the level being built.
    slot: u32,
}

/// The HAMT node at `level` over `leaves` (distinct keys, at least two
/// below the head); the head when `level` is 0. Recursion depth is the
/// trie's depth, which grows by one level per 4 bits of hash two keys share.
fn hamt_node(heap: &mut impl TermAlloc, leaves: &mut [Leaf], level: u32) -> Term {
    for leaf in leaves.iter_mut() {
        leaf.slot = leaf.hash.slot(level);
    }
    leaves.sort_by_key(|l| l.slot);
    let mut bitmap = 0u32;
    let mut children = [Term::NIL; 16];
    let mut count = 0;
    for group in leaves.chunk_by_mut(|a, b| a.slot == b.slot) {
        bitmap |= 1 << group[0].slot;
        children[count] = match group {
            [only] => build::cons(heap, only.hash.key, only.value),
            _ => hamt_node(heap, group, level + 1),
        };
        count += 1;
    }
    let size = (level == 0).then_some(leaves.len());
    write_hamt(heap, size, bitmap, &children[..count])
}

/// `children` with `child` put at `pos`: in place of the child there when
/// `replace`, else inserted before it.
fn with_child(children: &[Term], pos: usize, child: Term, replace: bool) -> ([Term; 16], usize) {
    let mut out = [Term::NIL; 16];
    let rest = if replace { pos + 1 } else { pos };
    out[..pos].copy_from_slice(&children[..pos]);
    out[pos] = child;
    let tail = &children[rest..];
    out[pos + 1..pos + 1 + tail.len()].copy_from_slice(tail);
    (out, pos + 1 + tail.len())
}

/// `children` without the one at `pos`.
fn without_child(children: &[Term], pos: usize) -> ([Term; 16], usize) {
    let mut out = [Term::NIL; 16];
    out[..pos].copy_from_slice(&children[..pos]);
    let tail = &children[pos + 1..];
    out[pos..pos + tail.len()].copy_from_slice(tail);
    (out, children.len() - 1)
}

// ---- updates ---------------------------------------------------------------
//
// As in OTP, maps are immutable: an update copies the flat map (reusing its
// key tuple when the keys stay the same) or the HAMT nodes on the path to the
// key, and shares everything else. The results have exactly the layout OTP 25
// gives the same contents, so iteration orders agree.

/// One HAMT node on the way down to a key.
struct PathStep<'a> {
    bitmap: u32,
    children: &'a [Term],
    /// The key's slot bit in this node, and the position its child has (or
    /// would have) among `children`.
    bit: u32,
    pos: usize,
}

impl PathStep<'_> {
    fn occupied(&self) -> bool {
        self.bitmap & self.bit != 0
    }
}

/// Where a key's search in a HAMT ended.
enum Found {
    /// At a leaf holding the key: the leaf's key and value.
    Key(Term, Term),
    /// At a leaf holding another key.
    OtherLeaf(Term, Term),
    /// At an empty slot.
    Empty,
}

/// Walks a HAMT from its head towards `key`; the steps taken (the last one
/// is the node where the search ended) and how it ended.
fn hamt_search<'a>(map: MapRef<'a>, key: &mut KeyHash) -> (Vec<PathStep<'a>>, Found) {
    let Node::Hamt {
        bitmap, children, ..
    } = node_of(map)
    else {
        unreachable!("hamt_search is called on a HAMT")
    };
    let (mut bitmap, mut children) = (bitmap as u32, children);
    let mut path = Vec::with_capacity(8);
    for level in 0.. {
        let bit = 1u32 << key.slot(level);
        let pos = (bitmap & (bit - 1)).count_ones() as usize;
        path.push(PathStep {
            bitmap,
            children,
            bit,
            pos,
        });
        if bitmap & bit == 0 {
            return (path, Found::Empty);
        }
        let child = children[pos];
        if let Some((k, v)) = child.as_cons() {
            let found = if exact_eq(k, key.key) {
                Found::Key(k, v)
            } else {
                Found::OtherLeaf(child, k)
            };
            return (path, found);
        }
        match inner_node(child) {
            Node::Hamt {
                bitmap: b,
                children: c,
                ..
            } => (bitmap, children) = (b as u32, c),
            Node::Flat { .. } => unreachable!("a HAMT node's child is a HAMT node"),
        }
    }
    unreachable!("the level loop only ends by returning")
}

/// Puts `[Key | Value]` into a HAMT (OTP's `erts_hashmap_insert`): `None`
/// if `update_only` and the key is absent; the same map if the key is
/// already bound to this very value. A replaced leaf takes the new key.
fn hamt_put(
    heap: &mut impl TermAlloc,
    map: MapRef<'_>,
    key: Term,
    value: Term,
    update_only: bool,
) -> Option<Term> {
    let mut key_hash = KeyHash::new(key);
    let (path, found) = hamt_search(map, &mut key_hash);
    let (mut child, grew) = match found {
        Found::Key(_, old) if old == value => return Some(map.term),
        Found::Key(..) => (build::cons(heap, key, value), false),
        _ if update_only => return None,
        Found::Empty => (build::cons(heap, key, value), true),
        Found::OtherLeaf(leaf, leaf_key) => {
            let level = path.len() as u32;
            (
                split_leaf(heap, leaf, leaf_key, key_hash, value, level),
                true,
            )
        }
    };
    let size = map.len() + grew as usize;
    for (depth, step) in path.iter().enumerate().rev() {
        let (children, n) = with_child(step.children, step.pos, child, step.occupied());
        let size = (depth == 0).then_some(size);
        child = write_hamt(heap, size, step.bitmap | step.bit, &children[..n]);
    }
    Some(child)
}

/// The subtree at `level` holding the existing leaf `leaf` (key
/// `leaf_key`) and the new pair `key => value`, whose slots were equal one
/// level up: single-child nodes down to the level where they part.
fn split_leaf(
    heap: &mut impl TermAlloc,
    leaf: Term,
    leaf_key: Term,
    mut key: KeyHash,
    value: Term,
    level: u32,
) -> Term {
    let mut other = KeyHash::new(leaf_key);
    let mut shared_slots = Vec::new();
    let mut level = level;
    let (slot, other_slot) = loop {
        let (a, b) = (key.slot(level), other.slot(level));
        if a != b {
            break (a, b);
        }
        shared_slots.push(a);
        level += 1;
    };
    let new_leaf = build::cons(heap, key.key, value);
    let children = if slot < other_slot {
        [new_leaf, leaf]
    } else {
        [leaf, new_leaf]
    };
    let bitmap = (1 << slot) | (1 << other_slot);
    let mut node = write_hamt(heap, None, bitmap, &children);
    for &slot in shared_slots.iter().rev() {
        node = write_hamt(heap, None, 1 << slot, &[node]);
    }
    node
}

/// Takes the pair of `key` out of a HAMT (OTP's `hashmap_delete`): its
/// value and the map left, flat again at 32 keys.
fn hamt_take(heap: &mut impl TermAlloc, map: MapRef<'_>, key: Term) -> Option<(Term, Term)> {
    let (path, found) = hamt_search(map, &mut KeyHash::new(key));
    let Found::Key(found_key, value) = found else {
        return None;
    };
    let size = map.len() - 1;
    if size <= FLAT_MAP_MAX_KEYS {
        let mut pairs: Vec<(Term, Term)> = hamt_pairs_forward(node_children(map))
            .into_iter()
            .filter(|p| p.0 != found_key)
            .collect();
        pairs.sort_by(|a, b| compare_exact(a.0, b.0));
        return Some((value, flat_map(heap, &pairs)));
    }
    // What replaces the child on the path in its parent: nothing, a leaf
    // moving up, or a node.
    let mut replacement: Option<Term> = None;
    for (depth, step) in path.iter().enumerate().rev() {
        let n = step.children.len();
        if depth == 0 {
            let head = match replacement {
                Some(child) => {
                    let (children, n) = with_child(step.children, step.pos, child, true);
                    write_hamt(heap, Some(size), step.bitmap, &children[..n])
                }
                None => {
                    let (children, n) = without_child(step.children, step.pos);
                    write_hamt(heap, Some(size), step.bitmap ^ step.bit, &children[..n])
                }
            };
            return Some((value, head));
        }
        replacement = match replacement {
            // A node left with one leaf dissolves; the leaf moves up.
            None if n == 2 && step.children[1 - step.pos].is_list() => {
                Some(step.children[1 - step.pos])
            }
            None if n == 1 => None,
            None => {
                let (children, n) = without_child(step.children, step.pos);
                Some(write_hamt(
                    heap,
                    None,
                    step.bitmap ^ step.bit,
                    &children[..n],
                ))
            }
            Some(child) if child.is_list() && n == 1 => Some(child),
            Some(child) => {
                let (children, n) = with_child(step.children, step.pos, child, true);
                Some(write_hamt(heap, None, step.bitmap, &children[..n]))
            }
        };
    }
    unreachable!("the path starts at the head")
}

/// The children of a HAMT head or node.
fn node_children(map: MapRef<'_>) -> &[Term] {
    match node_of(map) {
        Node::Hamt { children, .. } => children,
        Node::Flat { .. } => unreachable!("a HAMT node"),
    }
}

/// Index of `key` among a flat map's sorted keys, or where it would go.
fn flat_search(keys: &[Term], key: Term) -> Result<usize, usize> {
    // An immediate key is exactly equal only to the same word: a scan of
    // at most 32 words beats a binary search that compares atoms by text.
    if key.is_immediate() {
        if let Some(i) = keys.iter().position(|&k| k == key) {
            return Ok(i);
        }
    }
    keys.binary_search_by(|k| compare_exact(*k, key))
}

/// A flat map's values with the one at `index` replaced; the same map if
/// it already holds this very value.
fn flat_replace(heap: &mut impl TermAlloc, map: MapRef<'_>, index: usize, value: Term) -> Term {
    let Node::Flat { values, .. } = node_of(map) else {
        unreachable!("flat_replace is called on a flat map")
    };
    if values[index] == value {
        return map.term;
    }
    let values = values
        .iter()
        .enumerate()
        .map(|(i, &v)| if i == index { value } else { v });
    flat_with_keys(heap, flat_keys_tuple(map), values)
}

/// `maps:put/3` and `Map#{Key => Value}`: `map` with `key` (exact match)
/// bound to `value`. A flat map of 32 keys grows into a HAMT. Replacing a
/// key keeps the old key term in a flat map and takes the new one in a HAMT
/// (as OTP; only `0.0` and `-0.0` tell them apart). The same map comes
/// back when the key is already bound to this very value.
pub fn put(heap: &mut impl TermAlloc, map: MapRef<'_>, key: Term, value: Term) -> Term {
    let Node::Flat { keys, values } = node_of(map) else {
        return hamt_put(heap, map, key, value, false).expect("a put always succeeds");
    };
    match flat_search(keys, key) {
        Ok(index) => flat_replace(heap, map, index, value),
        Err(index) => {
            let mut pairs: Vec<(Term, Term)> =
                keys.iter().copied().zip(values.iter().copied()).collect();
            pairs.insert(index, (key, value));
            from_sorted(heap, &pairs)
        }
    }
}

/// `maps:update/3` and `Map#{Key := Value}`: as [`put`] but only for a key
/// the map has; `None` if it has not.
pub fn update(heap: &mut impl TermAlloc, map: MapRef<'_>, key: Term, value: Term) -> Option<Term> {
    match node_of(map) {
        Node::Flat { keys, .. } => {
            let index = flat_search(keys, key).ok()?;
            Some(flat_replace(heap, map, index, value))
        }
        Node::Hamt { .. } => hamt_put(heap, map, key, value, true),
    }
}

/// `maps:take/2`: the value under `key` and the map without it (a HAMT
/// shrinking to 32 keys becomes flat); `None` if there is no such key.
pub fn take(heap: &mut impl TermAlloc, map: MapRef<'_>, key: Term) -> Option<(Term, Term)> {
    let Node::Flat { keys, values } = node_of(map) else {
        return hamt_take(heap, map, key);
    };
    let index = flat_search(keys, key).ok()?;
    let pairs: Vec<(Term, Term)> = keys
        .iter()
        .copied()
        .zip(values.iter().copied())
        .enumerate()
        .filter_map(|(i, p)| (i != index).then_some(p))
        .collect();
    Some((values[index], flat_map(heap, &pairs)))
}

/// `maps:remove/2`: `map` without `key`; the same map if it has no such key.
pub fn remove(heap: &mut impl TermAlloc, map: MapRef<'_>, key: Term) -> Term {
    take(heap, map, key).map_or(map.term, |(_, rest)| rest)
}

/// `Map#{K1 => V1, ...}` (the `put_map_assoc` instruction): `map` with all
/// `pairs` put, the later of equal keys winning. On a flat map the pairs
/// are merged in one go, replaced keys keeping their old key term, and the
/// result becomes a HAMT past 32 keys; on a HAMT they are put one by one in
/// key order. The layout is the same either way.
pub fn put_pairs(heap: &mut impl TermAlloc, map: MapRef<'_>, pairs: &[(Term, Term)]) -> Term {
    if let [(key, value)] = *pairs {
        return put(heap, map, key, value);
    }
    let pairs = sort_unique(pairs);
    let Node::Flat { keys, values } = node_of(map) else {
        let mut result = map.term;
        for &(key, value) in &pairs {
            let current = MapRef::from_term(result).expect("a put gives a map");
            result = put(heap, current, key, value);
        }
        return result;
    };
    let old = keys.iter().copied().zip(values.iter().copied());
    let merged = merge_sorted(old, pairs.into_iter(), |old_key, _| old_key);
    from_sorted(heap, &merged)
}

/// `Map#{K1 := V1, ...}` (the `put_map_exact` instruction): `map` with the
/// keys of `pairs`, which must all be in it, bound to new values. `Err`
/// holds the first missing key in key order (erl's `{badkey, K}`).
pub fn update_pairs(
    heap: &mut impl TermAlloc,
    map: MapRef<'_>,
    pairs: &[(Term, Term)],
) -> Result<Term, Term> {
    let Node::Flat { keys, values } = node_of(map) else {
        let pairs = sort_unique(pairs);
        let mut result = map.term;
        for &(key, value) in &pairs {
            let current = MapRef::from_term(result).expect("an update gives a map");
            result = update(heap, current, key, value).ok_or(key)?;
        }
        return Ok(result);
    };
    // The pairs in their own order (a later one of equal keys wins), with
    // the values on the stack; of several missing keys the least in key
    // order is reported.
    let mut new_values = [Term::NIL; FLAT_MAP_MAX_KEYS];
    let new_values = &mut new_values[..values.len()];
    new_values.copy_from_slice(values);
    let mut missing: Option<Term> = None;
    for &(key, value) in pairs {
        match flat_search(keys, key) {
            Ok(index) => new_values[index] = value,
            Err(_) => {
                missing = match missing {
                    Some(least) if compare_exact(least, key).is_le() => Some(least),
                    _ => Some(key),
                }
            }
        }
    }
    if let Some(key) = missing {
        return Err(key);
    }
    if new_values == values {
        return Ok(map.term);
    }
    Ok(flat_with_keys(
        heap,
        flat_keys_tuple(map),
        new_values.iter().copied(),
    ))
}

/// Merges two lists of pairs sorted and unique by key; of equal keys the
/// pair from `right` wins its value, and `key_of(left_key, right_key)`
/// says which key term stays.
fn merge_sorted(
    left: impl Iterator<Item = (Term, Term)>,
    right: impl Iterator<Item = (Term, Term)>,
    key_of: impl Fn(Term, Term) -> Term,
) -> Vec<(Term, Term)> {
    let mut out = Vec::new();
    let mut left = left.peekable();
    let mut right = right.peekable();
    loop {
        let order = match (left.peek(), right.peek()) {
            (Some(l), Some(r)) => compare_exact(l.0, r.0),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => return out,
        };
        match order {
            std::cmp::Ordering::Less => out.extend(left.next()),
            std::cmp::Ordering::Greater => out.extend(right.next()),
            std::cmp::Ordering::Equal => {
                let ((lk, _), (rk, rv)) = (left.next().unwrap(), right.next().unwrap());
                out.push((key_of(lk, rk), rv));
            }
        }
    }
}

/// `maps:merge/2`: the pairs of both maps; where both have a key, `right`'s
/// pair (key and value) wins. Subtrees only one side contributes to are
/// shared, as OTP does.
pub fn merge(heap: &mut impl TermAlloc, left: MapRef<'_>, right: MapRef<'_>) -> Term {
    if left.term == right.term {
        return left.term;
    }
    let as_hamt = |heap: &mut _, flat: MapRef<'_>| -> Option<Term> {
        let pairs = flat.iterator_order();
        (!pairs.is_empty()).then(|| hamt_of_unique(heap, &pairs))
    };
    let (left_tree, right_tree) = match (node_of(left), node_of(right)) {
        (Node::Flat { .. }, Node::Flat { .. }) => {
            if left.is_empty() {
                return right.term;
            }
            if right.is_empty() {
                return left.term;
            }
            let pairs = merge_sorted(
                left.iterator_order().into_iter(),
                right.iterator_order().into_iter(),
                |_, right_key| right_key,
            );
            return from_sorted(heap, &pairs);
        }
        (Node::Flat { .. }, Node::Hamt { .. }) => match as_hamt(heap, left) {
            Some(tree) => (tree, right.term),
            None => return right.term,
        },
        (Node::Hamt { .. }, Node::Flat { .. }) => match as_hamt(heap, right) {
            Some(tree) => (left.term, tree),
            None => return left.term,
        },
        (Node::Hamt { .. }, Node::Hamt { .. }) => (left.term, right.term),
    };
    let total = map_len(left_tree) + map_len(right_tree);
    let mut merger = HamtMerge { duplicates: 0 };
    let (children, bitmap, mix) = merger.merge_children(heap, left_tree, right_tree, 0);
    match mix {
        MIX_NONE | MIX_LEFT => left_tree,
        MIX_RIGHT => right_tree,
        _ => write_hamt(
            heap,
            Some(total - merger.duplicates),
            bitmap,
            &children[..bitmap.count_ones() as usize],
        ),
    }
}

/// The number of keys of a map term.
fn map_len(map: Term) -> usize {
    MapRef::from_term(map).map_or(0, |m| m.len())
}

/// What a merged subtree took from its two sides (OTP's `mix` bits):
/// only shared parts, something of the left only, of the right only, or
/// of both (then it is a new node).
const MIX_NONE: u8 = 0;
const MIX_LEFT: u8 = 1;
const MIX_RIGHT: u8 = 2;

/// The state of a HAMT merge: how many keys both sides have.
struct HamtMerge {
    duplicates: usize,
}

impl HamtMerge {
    /// Merges two HAMT children (leaves or nodes) at `level`.
    fn merge(
        &mut self,
        heap: &mut impl TermAlloc,
        left: Term,
        right: Term,
        level: u32,
    ) -> (Term, u8) {
        if left == right {
            self.duplicates += subtree_len(left);
            return (left, MIX_NONE);
        }
        if let (Some((lk, _)), Some((rk, _))) = (left.as_cons(), right.as_cons()) {
            if exact_eq(lk, rk) {
                self.duplicates += 1;
                return (right, MIX_RIGHT);
            }
        }
        let (children, bitmap, mix) = self.merge_children(heap, left, right, level);
        match mix {
            MIX_NONE | MIX_LEFT => (left, mix),
            MIX_RIGHT => (right, mix),
            _ => {
                let n = bitmap.count_ones() as usize;
                (write_hamt(heap, None, bitmap, &children[..n]), mix)
            }
        }
    }

    /// The merged children of two subtrees seen as nodes at `level` (a leaf
    /// as a node of one child), their bitmap and mix.
    fn merge_children(
        &mut self,
        heap: &mut impl TermAlloc,
        left: Term,
        right: Term,
        level: u32,
    ) -> ([Term; 16], u32, u8) {
        let (left_bitmap, left_children) = as_node(&left, level);
        let (right_bitmap, right_children) = as_node(&right, level);
        let bitmap = left_bitmap | right_bitmap;
        let mut out = [Term::NIL; 16];
        let (mut n, mut l, mut r) = (0, 0, 0);
        let mut mix = MIX_NONE;
        for slot in 0..16 {
            let bit = 1u32 << slot;
            out[n] = match (left_bitmap & bit != 0, right_bitmap & bit != 0) {
                (false, false) => continue,
                (true, false) => {
                    mix |= MIX_LEFT;
                    l += 1;
                    left_children[l - 1]
                }
                (false, true) => {
                    mix |= MIX_RIGHT;
                    r += 1;
                    right_children[r - 1]
                }
                (true, true) => {
                    let (child, child_mix) =
                        self.merge(heap, left_children[l], right_children[r], level + 1);
                    mix |= child_mix;
                    l += 1;
                    r += 1;
                    child
                }
            };
            n += 1;
        }
        (out, bitmap, mix)
    }
}

/// A HAMT child seen as a node at `level`: a node's bitmap and children, or
/// a leaf alone in its slot.
fn as_node(child: &Term, level: u32) -> (u32, &[Term]) {
    match child.as_cons() {
        Some((key, _)) => {
            let slot = slot_at(map_key_hash(key, level / LEVELS_PER_HASH), level);
            (1 << slot, std::slice::from_ref(child))
        }
        None => match inner_node(*child) {
            Node::Hamt {
                bitmap, children, ..
            } => (bitmap as u32, children),
            Node::Flat { .. } => unreachable!("a HAMT node's child is a HAMT node"),
        },
    }
}

/// The number of leaves under a HAMT child.
fn subtree_len(child: Term) -> usize {
    if child.is_list() {
        1
    } else {
        hamt_pairs_forward(std::slice::from_ref(&child)).len()
    }
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

/// Pairs of a HAMT from [`MapRef::hamt_pairs_from`] and the path to the
/// pair after them (`None` at the end of the map).
#[derive(Debug, PartialEq, Eq)]
pub struct HamtChunk {
    pub pairs: Vec<(Term, Term)>,
    pub next: Option<Vec<u64>>,
}

/// The children of a HAMT node that is a child in its parent.
fn node_children_of<'a>(child: Term) -> &'a [Term] {
    match inner_node(child) {
        Node::Hamt { children, .. } => children,
        Node::Flat { .. } => unreachable!("a HAMT node's child is a HAMT node"),
    }
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
    /// The map `term` is, if it is one.
    pub fn from_term(term: Term) -> Option<MapRef<'a>> {
        match term.view() {
            View::Map(map) => Some(map),
            _ => None,
        }
    }

    /// The map as a term.
    pub fn term(&self) -> Term {
        self.term
    }

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
                // An immediate is exactly equal only to its own word.
                if key.is_immediate() {
                    return keys.iter().position(|&k| k == key).map(|i| values[i]);
                }
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
            Node::Flat { keys, values } => {
                keys.iter().copied().zip(values.iter().copied()).collect()
            }
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

    /// Up to `max` (at least one) pairs of a HAMT in iterator order, from
    /// the leaf `path` leads to, and the path of the pair after them if
    /// there is one; `None` if the map is flat or `path` leads nowhere.
    ///
    /// This is the walk of `erts_internal:map_next/3`. A path holds, from
    /// the head down, the position of the child to visit among its node's
    /// children, 4 bits a level with the head's in the lowest bits, as the
    /// 64-bit digits of an integer (least significant first). Past its last
    /// level a path continues through first children down to a leaf.
    pub fn hamt_pairs_from(&self, path: &[u64], max: usize) -> Option<HamtChunk> {
        let Node::Hamt { children, .. } = node_of(*self) else {
            return None;
        };
        // The children of each node on the way down, with the position on
        // the path in each.
        let mut stack: Vec<(&[Term], usize)> = Vec::new();
        let mut pairs = Vec::new();
        let mut digits = path.iter().copied();
        let mut digit = digits.next().unwrap_or(0);
        let mut children = children;
        for level in 1.. {
            let pos = (digit & 0xF) as usize;
            let &child = children.get(pos)?;
            stack.push((children, pos));
            if let Some(pair) = child.as_cons() {
                pairs.push(pair);
                break;
            }
            children = node_children_of(child);
            digit >>= SLOT_BITS;
            if level % 16 == 0 {
                digit = digits.next().unwrap_or(0);
            }
        }
        let max = max.max(1);
        loop {
            // Step to the next position: the next sibling, or the next
            // sibling of the nearest ancestor that has one.
            loop {
                let (children, pos) = stack.last_mut()?;
                *pos += 1;
                if *pos < children.len() {
                    break;
                }
                stack.pop();
                if stack.is_empty() {
                    return Some(HamtChunk { pairs, next: None });
                }
            }
            if pairs.len() == max {
                let mut next = vec![0u64; stack.len().div_ceil(16)];
                for (level, &(_, pos)) in stack.iter().enumerate() {
                    next[level / 16] |= (pos as u64) << (SLOT_BITS as usize * (level % 16));
                }
                return Some(HamtChunk {
                    pairs,
                    next: Some(next),
                });
            }
            // Down through first children to a leaf.
            loop {
                let &(children, pos) = stack.last()?;
                match children[pos].as_cons() {
                    Some(pair) => {
                        pairs.push(pair);
                        break;
                    }
                    None => stack.push((node_children_of(children[pos]), 0)),
                }
            }
        }
    }

    /// Key/value pairs in the order `term_to_binary/1` writes them (without
    /// the `deterministic` option): the same as [`MapRef::to_list_order`].
    pub fn external_order(&self) -> Vec<(Term, Term)> {
        self.to_list_order()
    }
}

#[cfg(test)]
mod tests {
    //! Expected orders come from `erl` (OTP 25.2.3). Each map there was
    //! built as `maps:from_list([{K, I} || {I, K} <- lists:zip(lists:seq(0,
    //! length(Keys) - 1), Keys)])` — key `K` carries its position `I` in the
    //! key list — and the arrays are `[I || {_, I} <- maps:to_list(Map)]`.
    //! The comment over each test gives `Keys`.

    use super::*;
    use crate::heap::LiteralArea;
    use crate::term::{atoms, build, Atom, LocalPid};

    /// The map `erl` built from `keys`, each key carrying its index.
    fn indexed_map(area: &mut LiteralArea, keys: &[Term]) -> Term {
        let pairs: Vec<(Term, Term)> = keys
            .iter()
            .enumerate()
            .map(|(i, &k)| (k, Term::small(i as i64)))
            .collect();
        let (map, had_duplicates) = from_pairs(area, &pairs);
        assert!(!had_duplicates);
        map
    }

    fn map_ref<'a>(map: Term) -> MapRef<'a> {
        match map.view() {
            View::Map(m) => m,
            _ => panic!("not a map"),
        }
    }

    fn value_indices(pairs: &[(Term, Term)]) -> Vec<usize> {
        pairs.iter().map(|p| p.1.small_value() as usize).collect()
    }

    /// Checks the `maps:to_list/1` order of `keys` against `erl`, and that
    /// every key is found.
    fn assert_to_list(keys: &[Term], expected: &[usize]) {
        let mut area = LiteralArea::new();
        let map = map_ref(indexed_map(&mut area, keys));
        assert_eq!(map.len(), keys.len());
        assert_eq!(value_indices(&map.to_list_order()), expected);
        for (i, &k) in keys.iter().enumerate() {
            assert_eq!(map.get(k), Some(Term::small(i as i64)), "key {i}");
        }
    }

    fn ints(range: std::ops::RangeInclusive<i64>) -> Vec<Term> {
        range.map(Term::small).collect()
    }

    fn ref_term(area: &mut LiteralArea, ids: &[u32]) -> Term {
        build::reference(area, atoms::NONODE, 0, ids)
    }

    const ATOMS_TOLIST: [usize; 40] = [
        21, 23, 32, 12, 9, 3, 0, 19, 29, 10, 7, 4, 36, 13, 2, 14, 6, 34, 35, 15, 5, 38, 1, 28, 20,
        25, 33, 37, 24, 30, 39, 31, 11, 8, 16, 18, 26, 27, 22, 17,
    ];

    const INTS40_ITER: [usize; 40] = [
        16, 18, 5, 19, 27, 35, 10, 24, 36, 4, 21, 22, 17, 3, 8, 1, 7, 2, 14, 15, 20, 40, 13, 38, 6,
        28, 25, 34, 32, 9, 37, 11, 31, 26, 39, 30, 29, 23, 12, 33,
    ];

    const INTS200_TOLIST: [usize; 200] = [
        32, 167, 116, 174, 11, 191, 187, 156, 131, 72, 43, 182, 123, 169, 22, 28, 46, 88, 60, 29,
        42, 162, 38, 130, 44, 47, 144, 170, 196, 56, 142, 112, 25, 68, 87, 190, 165, 143, 140, 151,
        62, 164, 99, 70, 132, 45, 30, 157, 166, 97, 80, 10, 36, 152, 192, 8, 75, 172, 31, 183, 33,
        24, 27, 198, 194, 84, 90, 119, 63, 193, 145, 5, 108, 179, 71, 109, 67, 85, 115, 50, 79, 37,
        136, 125, 12, 58, 39, 122, 76, 94, 129, 40, 19, 77, 173, 14, 146, 13, 186, 107, 59, 1, 161,
        102, 6, 121, 139, 175, 82, 73, 138, 98, 111, 195, 0, 96, 148, 103, 7, 133, 197, 185, 2, 74,
        89, 153, 150, 57, 134, 54, 180, 188, 16, 21, 51, 110, 177, 154, 86, 189, 20, 95, 199, 3,
        127, 158, 168, 118, 147, 81, 35, 176, 137, 52, 49, 65, 23, 9, 149, 34, 69, 55, 160, 178,
        101, 141, 61, 104, 126, 120, 48, 124, 159, 26, 83, 93, 184, 91, 41, 18, 66, 92, 105, 64,
        100, 181, 155, 128, 113, 117, 4, 53, 17, 78, 135, 171, 114, 106, 163, 15,
    ];

    const NEGBIG_TOLIST: [usize; 81] = [
        42, 79, 53, 59, 20, 4, 60, 64, 68, 3, 56, 17, 15, 66, 78, 71, 28, 80, 41, 76, 1, 39, 25,
        55, 58, 12, 10, 7, 36, 16, 5, 30, 2, 43, 67, 74, 24, 18, 50, 13, 75, 45, 44, 32, 37, 63,
        27, 9, 0, 31, 38, 33, 47, 73, 52, 62, 51, 34, 29, 14, 70, 69, 54, 40, 23, 61, 21, 22, 57,
        72, 49, 65, 6, 35, 19, 8, 48, 11, 26, 77, 46,
    ];

    const FLOATS_TOLIST: [usize; 44] = [
        21, 9, 32, 12, 20, 14, 30, 28, 13, 31, 25, 22, 23, 10, 19, 41, 7, 26, 2, 38, 11, 29, 16,
        33, 1, 39, 4, 17, 42, 40, 5, 0, 8, 43, 34, 6, 15, 35, 36, 27, 18, 24, 3, 37,
    ];

    const TUPLES_TOLIST: [usize; 43] = [
        18, 35, 41, 28, 22, 0, 13, 23, 2, 1, 34, 3, 39, 30, 10, 25, 24, 4, 8, 9, 12, 42, 16, 19,
        26, 15, 37, 20, 27, 7, 21, 36, 5, 6, 11, 14, 33, 40, 31, 32, 17, 38, 29,
    ];

    const BINARIES_TOLIST: [usize; 66] = [
        48, 60, 6, 44, 57, 61, 26, 24, 13, 52, 7, 64, 35, 19, 59, 30, 47, 4, 46, 5, 65, 49, 43, 51,
        2, 42, 32, 33, 55, 25, 20, 14, 22, 11, 40, 10, 16, 9, 45, 39, 54, 17, 38, 37, 41, 34, 31,
        27, 28, 62, 29, 1, 21, 58, 23, 50, 63, 36, 53, 3, 12, 15, 56, 8, 0, 18,
    ];

    const LISTS_TOLIST: [usize; 52] = [
        26, 43, 50, 3, 47, 12, 39, 6, 16, 18, 36, 49, 38, 8, 35, 17, 24, 33, 0, 14, 44, 28, 51, 13,
        2, 32, 30, 15, 27, 34, 23, 37, 5, 21, 29, 11, 19, 25, 40, 9, 22, 10, 41, 1, 7, 42, 4, 48,
        46, 20, 31, 45,
    ];

    const PIDS_TOLIST: [usize; 40] = [
        13, 3, 4, 25, 31, 9, 10, 6, 28, 27, 5, 36, 32, 30, 24, 29, 34, 37, 7, 16, 35, 2, 18, 12, 8,
        39, 17, 14, 33, 0, 19, 11, 15, 22, 20, 26, 23, 1, 38, 21,
    ];

    const PORTS_TOLIST: [usize; 40] = [
        30, 31, 28, 38, 18, 4, 37, 5, 0, 17, 1, 20, 14, 11, 22, 9, 19, 2, 8, 24, 35, 15, 13, 34,
        12, 3, 7, 6, 23, 27, 21, 26, 33, 32, 10, 25, 29, 39, 36, 16,
    ];

    const REFS_TOLIST: [usize; 40] = [
        10, 19, 11, 4, 1, 21, 9, 8, 31, 39, 22, 13, 12, 7, 27, 2, 6, 35, 16, 36, 3, 14, 25, 38, 28,
        20, 23, 32, 34, 26, 24, 0, 30, 17, 18, 5, 33, 37, 15, 29,
    ];

    const FLATMAPS_TOLIST: [usize; 34] = [
        10, 26, 32, 18, 22, 7, 17, 6, 9, 24, 21, 5, 3, 30, 28, 1, 13, 8, 23, 31, 20, 2, 25, 27, 15,
        0, 11, 29, 16, 33, 12, 14, 19, 4,
    ];

    const HAMTS_TOLIST: [usize; 35] = [
        3, 19, 6, 21, 8, 18, 17, 12, 25, 10, 13, 14, 26, 23, 5, 7, 30, 16, 20, 0, 27, 31, 2, 9, 28,
        33, 24, 4, 11, 34, 32, 22, 1, 29, 15,
    ];

    const MIXED_TOLIST: [usize; 36] = [
        31, 15, 10, 4, 16, 14, 30, 28, 7, 18, 25, 3, 0, 32, 17, 34, 33, 21, 26, 8, 20, 27, 22, 11,
        1, 12, 23, 2, 19, 5, 13, 29, 9, 6, 24, 35,
    ];

    const INTCKS: [u32; 168] = [
        498769837, 90938157, 55908881, 651381974, 153477947, 183260758, 735308584, 277552981,
        458710214, 241662178, 144825159, 528168748, 451713134, 521154427, 49837423, 796295190,
        802439948, 560532606, 833134054, 386154777, 811328879, 151229748, 49215840, 397837088,
        589433033, 416688916, 272846186, 703135238, 52859270, 856972245, 767495905, 984864526,
        584786271, 868628951, 38741769, 366644219, 474629931, 526342629, 919875246, 828584041,
        673327992, 338577112, 237423518, 321535230, 689904098, 297400325, 219411981, 994677996,
        577160503, 236325232, 196798781, 560512542, 728398731, 262653358, 963270598, 660185500,
        502977498, 955645610, 727550899, 989632837, 202232971, 500064616, 642861093, 332984269,
        972485733, 353574847, 577786339, 649427010, 836398947, 138349064, 675568680, 280916101,
        569806469, 435200553, 491219889, 181657361, 511524796, 701788149, 38772614, 832789350,
        8342505, 625095254, 377963266, 456209159, 102942058, 602149193, 908012057, 608847839,
        194703151, 549322003, 777756016, 758568447, 57711012, 260047073, 266847338, 879663945,
        446035542, 575336798, 192164121, 282136899, 498155568, 423379357, 121221238, 758494493,
        3451820, 441496928, 582617970, 684307476, 259140256, 596423101, 517533463, 604216263,
        542924449, 15785345, 406315809, 10512197, 639037751, 344837161, 332133613, 751404868,
        403378518, 492470816, 37153093, 3446610, 552168140, 976529246, 99711400, 299871324,
        50237741, 17296658, 798423972, 751147568, 24772394, 105553624, 707478957, 359015961,
        65585347, 478481941, 748691272, 262258123, 459607789, 146733003, 28798166, 552385593,
        848929738, 991408119, 133024511, 968717174, 247703578, 483152478, 146095996, 354272217,
        529526545, 828705702, 475274985, 704069339, 189134118, 291687064, 450090927, 991624718,
        620002125, 102066665, 58554834, 463651746, 587598061, 476221668, 797584297, 849472476,
    ];

    const COLLIDE_TOLIST: [usize; 44] = [
        36, 15, 26, 32, 33, 42, 29, 0, 1, 34, 14, 40, 12, 35, 37, 28, 31, 3, 2, 9, 41, 16, 43, 23,
        18, 17, 5, 10, 4, 11, 6, 20, 25, 24, 7, 39, 27, 13, 38, 30, 22, 8, 21, 19,
    ];

    /// `cks([K || {K, _} <- maps:to_list(maps:from_list([{K, K} || K <-
    /// lists:seq(1, N)]))])` for N in 33..=200, where `cks(Keys) ->
    /// lists:foldl(fun(K, A) -> (A * 31 + K) rem 1000000007 end, 0, Keys)`.
    #[test]
    fn integer_key_hamts_of_33_to_200_keys_list_as_in_erl() {
        let mut area = LiteralArea::new();
        for (n, &expected) in (33..=200).zip(INTCKS.iter()) {
            let pairs: Vec<(Term, Term)> = ints(1..=n).into_iter().map(|k| (k, k)).collect();
            let map = map_ref(from_pairs(&mut area, &pairs).0);
            let checksum = map.to_list_order().iter().fold(0u64, |acc, p| {
                (acc * 31 + p.0.small_value() as u64) % 1_000_000_007
            });
            assert_eq!(checksum, expected as u64, "{n} keys");
        }
        // Keys = lists:seq(1, 200)
        assert_to_list(&ints(1..=200), &INTS200_TOLIST);
    }

    /// M = maps:from_list([{K, K} || K <- lists:seq(1, 40)]): `maps:next/1`
    /// from `maps:iterator(M)` gives the keys INTS40_ITER; `maps:to_list(M)`
    /// and `term_to_binary(M)` give them in reverse.
    #[test]
    fn iterator_order_is_the_reverse_of_to_list_for_hamts() {
        let mut area = LiteralArea::new();
        let pairs: Vec<(Term, Term)> = ints(1..=40).into_iter().map(|k| (k, k)).collect();
        let map = map_ref(from_pairs(&mut area, &pairs).0);
        let keys: Vec<usize> = map
            .iterator_order()
            .iter()
            .map(|p| p.0.small_value() as usize)
            .collect();
        assert_eq!(keys, INTS40_ITER);
        let mut reversed = map.to_list_order();
        reversed.reverse();
        assert_eq!(reversed, map.iterator_order());
        assert_eq!(map.external_order(), map.to_list_order());
    }

    /// Keys = lists:seq(-30, 30) ++ [(1 bsl 60) + I || I <- lists:seq(0, 9)]
    ///   ++ [-(1 bsl 64) * I || I <- lists:seq(1, 9)] ++ [1 bsl 200]
    #[test]
    fn negative_and_big_integer_keys() {
        let mut area = LiteralArea::new();
        let mut keys = ints(-30..=30);
        keys.extend((0..10).map(|i| build::int(&mut area, (1 << 60) + i)));
        keys.extend((1..10u64).map(|i| build::big_from_limbs(&mut area, true, &[0, i])));
        let mut limbs = [0u64; 4];
        limbs[3] = 1 << 8;
        keys.push(build::big_from_limbs(&mut area, false, &limbs));
        assert_to_list(&keys, &NEGBIG_TOLIST);
    }

    /// Keys = [I * 0.5 || I <- lists:seq(1, 40)] ++ [0.0, -1.5, 1.0e300, 3.0e-300]
    #[test]
    fn float_keys() {
        let mut area = LiteralArea::new();
        let mut values: Vec<f64> = (1..=40).map(|i| i as f64 * 0.5).collect();
        values.extend([0.0, -1.5, 1.0e300, 3.0e-300]);
        let keys: Vec<Term> = values.iter().map(|&f| build::float(&mut area, f)).collect();
        assert_to_list(&keys, &FLOATS_TOLIST);
        // -0.0 is the same key as 0.0 (erl: maps:get(-0.0, M) finds it).
        let map = map_ref(indexed_map(&mut area, &keys));
        assert_eq!(
            map.get(build::float(&mut area, -0.0)),
            Some(Term::small(40))
        );
        assert_eq!(map.get(Term::small(0)), None);
    }

    /// Keys = [{I, I * 2} || I <- lists:seq(1, 40)] ++ [{}, {{}}, {1, 2, 3}]
    #[test]
    fn tuple_keys() {
        let mut area = LiteralArea::new();
        let mut keys: Vec<Term> = (1..=40)
            .map(|i| build::tuple(&mut area, &[Term::small(i), Term::small(i * 2)]))
            .collect();
        let empty = build::tuple(&mut area, &[]);
        keys.push(empty);
        keys.push(build::tuple(&mut area, &[empty]));
        keys.push(build::tuple(&mut area, &ints(1..=3)));
        assert_to_list(&keys, &TUPLES_TOLIST);
    }

    /// Keys = [integer_to_binary(I) || I <- lists:seq(1, 40)]
    ///   ++ [<<>>, binary:copy(<<"xyz">>, 30), binary:copy(<<7>>, 100)]
    ///   ++ [<<I:12>> || I <- lists:seq(0, 9)] ++ [<<I:3>> || I <- lists:seq(0, 7)]
    ///   ++ [<<1, 2, 3, I:5>> || I <- lists:seq(0, 4)]
    #[test]
    fn binary_and_bitstring_keys() {
        let mut area = LiteralArea::new();
        let mut keys: Vec<Term> = (1..=40)
            .map(|i| build::binary(&mut area, i.to_string().as_bytes()))
            .collect();
        keys.push(build::binary(&mut area, b""));
        keys.push(build::binary(&mut area, &b"xyz".repeat(30)));
        keys.push(build::binary(&mut area, &[7; 100]));
        for i in 0..10u16 {
            keys.push(build::bitstring(&mut area, &(i << 4).to_be_bytes(), 12));
        }
        for i in 0..8u8 {
            keys.push(build::bitstring(&mut area, &[i << 5], 3));
        }
        for i in 0..5u8 {
            keys.push(build::bitstring(&mut area, &[1, 2, 3, i << 3], 29));
        }
        assert_to_list(&keys, &BINARIES_TOLIST);
    }

    /// Keys = [integer_to_list(I) || I <- lists:seq(1, 40)] ++ [[], [[]],
    ///   [7, 2.5, -1], [300, 1, 2, 3, 4, 5], [1 | 2.5], [1, 2 | 3], "abcdefghij"]
    ///   ++ [[I | I] || I <- lists:seq(1, 5)]
    #[test]
    fn list_keys() {
        let mut area = LiteralArea::new();
        let string = |area: &mut LiteralArea, s: &str| {
            let chars: Vec<Term> = s.bytes().map(|b| Term::small(b as i64)).collect();
            build::list(area, &chars)
        };
        let mut keys: Vec<Term> = (1..=40)
            .map(|i| string(&mut area, &i.to_string()))
            .collect();
        let two_and_a_half = build::float(&mut area, 2.5);
        keys.push(Term::NIL);
        keys.push(build::list(&mut area, &[Term::NIL]));
        keys.push(build::list(
            &mut area,
            &[Term::small(7), two_and_a_half, Term::small(-1)],
        ));
        keys.push(build::list(
            &mut area,
            &[300, 1, 2, 3, 4, 5].map(Term::small),
        ));
        keys.push(build::cons(&mut area, Term::small(1), two_and_a_half));
        keys.push(build::list_with_tail(
            &mut area,
            &ints(1..=2),
            Term::small(3),
        ));
        keys.push(string(&mut area, "abcdefghij"));
        for i in 1..=5 {
            keys.push(build::cons(&mut area, Term::small(i), Term::small(i)));
        }
        assert_to_list(&keys, &LISTS_TOLIST);
    }

    /// Keys = [list_to_pid("<0." ++ integer_to_list(I) ++ "." ++
    ///   integer_to_list(I rem 3) ++ ">") || I <- lists:seq(1, 40)]
    #[test]
    fn pid_keys() {
        let keys: Vec<Term> = (1..=40)
            .map(|i| {
                Term::local_pid(LocalPid {
                    number: i,
                    serial: i % 3,
                })
            })
            .collect();
        assert_to_list(&keys, &PIDS_TOLIST);
    }

    /// Keys = [list_to_port("#Port<0." ++ integer_to_list(I * 37) ++ ">")
    ///   || I <- lists:seq(1, 40)]
    #[test]
    fn port_keys() {
        let keys: Vec<Term> = (1..=40).map(|i| Term::local_port(i * 37)).collect();
        assert_to_list(&keys, &PORTS_TOLIST);
    }

    /// Keys = [ref(nonode@nohost, 0, [I, I * 7, 3]) || I <- lists:seq(1, 40)]
    /// where ref/3 makes a local ref with these ids by `binary_to_term` of a
    /// NEWER_REFERENCE_EXT.
    #[test]
    fn ref_keys() {
        let mut area = LiteralArea::new();
        let keys: Vec<Term> = (1..=40)
            .map(|i| ref_term(&mut area, &[i, i * 7, 3]))
            .collect();
        assert_to_list(&keys, &REFS_TOLIST);
    }

    /// Keys = [#{I => <<"x">>} || I <- lists:seq(1, 30)]
    ///   ++ [#{}, #{1 => 1, 2 => 2}, #{1.0 => 2}, #{[] => <<>>}]
    #[test]
    fn flat_map_keys() {
        let mut area = LiteralArea::new();
        let x = build::binary(&mut area, b"x");
        let mut keys: Vec<Term> = (1..=30)
            .map(|i| from_pairs(&mut area, &[(Term::small(i), x)]).0)
            .collect();
        let (one, two) = (Term::small(1), Term::small(2));
        keys.push(from_pairs(&mut area, &[]).0);
        keys.push(from_pairs(&mut area, &[(two, two), (one, one)]).0);
        let one = build::float(&mut area, 1.0);
        keys.push(from_pairs(&mut area, &[(one, Term::small(2))]).0);
        let empty = build::binary(&mut area, b"");
        keys.push(from_pairs(&mut area, &[(Term::NIL, empty)]).0);
        assert_to_list(&keys, &FLATMAPS_TOLIST);
    }

    /// Keys = [maps:from_list([{J, I} || J <- lists:seq(1, 33)]) || I <- lists:seq(1, 35)]
    #[test]
    fn hamt_keys() {
        let mut area = LiteralArea::new();
        let keys: Vec<Term> = (1..=35)
            .map(|i| {
                let pairs: Vec<(Term, Term)> =
                    (1..=33).map(|j| (Term::small(j), Term::small(i))).collect();
                from_pairs(&mut area, &pairs).0
            })
            .collect();
        assert_to_list(&keys, &HAMTS_TOLIST);
    }

    /// Keys = [0, 1.0, -1, <<"a">>, {0}, [], {}, #{}, <<>>, "x", {1, 2}, 1 bsl 70,
    ///   2.5, <<1:1>>, [1 | 2], #{<<"k">> => <<"v">>}, list_to_pid("<0.77.0>"),
    ///   list_to_port("#Port<0.9>"), ref(nonode@nohost, 0, [5, 6, 7]), -0.0,
    ///   1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]
    #[test]
    fn mixed_keys() {
        let mut area = LiteralArea::new();
        let mut keys = vec![
            Term::small(0),
            build::float(&mut area, 1.0),
            Term::small(-1),
            build::binary(&mut area, b"a"),
            build::tuple(&mut area, &[Term::small(0)]),
            Term::NIL,
            build::tuple(&mut area, &[]),
            from_pairs(&mut area, &[]).0,
            build::binary(&mut area, b""),
            build::list(&mut area, &[Term::small(b'x' as i64)]),
            build::tuple(&mut area, &ints(1..=2)),
            build::big_from_limbs(&mut area, false, &[0, 1 << 6]),
            build::float(&mut area, 2.5),
            build::bitstring(&mut area, &[0x80], 1),
            build::cons(&mut area, Term::small(1), Term::small(2)),
        ];
        let (k, v) = (
            build::binary(&mut area, b"k"),
            build::binary(&mut area, b"v"),
        );
        let kv = from_pairs(&mut area, &[(k, v)]).0;
        keys.push(kv);
        keys.push(Term::local_pid(LocalPid {
            number: 77,
            serial: 0,
        }));
        keys.push(Term::local_port(9));
        keys.push(ref_term(&mut area, &[5, 6, 7]));
        keys.push(build::float(&mut area, -0.0));
        keys.extend(ints(1..=16));
        assert_to_list(&keys, &MIXED_TOLIST);
    }

    /// Keys = [40660, 59671, 22575, 119693] ++ lists:seq(1, 40). The first
    /// two (and the next two) have the same 32-bit hash, so they part only
    /// below level 8, under the hash salted with depth 1.
    #[test]
    fn keys_with_colliding_hashes() {
        assert_eq!(
            map_key_hash(Term::small(40660), 0),
            map_key_hash(Term::small(59671), 0)
        );
        assert_eq!(
            map_key_hash(Term::small(22575), 0),
            map_key_hash(Term::small(119693), 0)
        );
        let mut keys = vec![40660, 59671, 22575, 119693]
            .into_iter()
            .map(Term::small)
            .collect::<Vec<_>>();
        keys.extend(ints(1..=40));
        assert_to_list(&keys, &COLLIDE_TOLIST);
    }

    /// Keys = [list_to_atom("oxbeam_key_" ++ integer_to_list(I)) || I <-
    /// lists:seq(1, 40)], created in a fresh `erl -noshell` whose atom table
    /// then held 8646 atoms, so they got indices 8646.. (an atom hashes by its
    /// index). Here atoms with those indices stand in for them.
    #[test]
    fn atom_keys_hash_by_atom_index() {
        const FIRST_INDEX: usize = 8646;
        let mut filler = 0;
        while Atom::count() < FIRST_INDEX + 40 {
            Atom::intern(&format!("oxbeam_map_test_filler_{filler}")).unwrap();
            filler += 1;
        }
        let keys: Vec<Term> = (0..40)
            .map(|i| Term::atom(Atom::from_index((FIRST_INDEX + i) as u32).unwrap()))
            .collect();
        assert_to_list(&keys, &ATOMS_TOLIST);
    }

    /// erl: maps:keys(#{1 => 0, 1.0 => 0, a => 0, {t} => 0, "s" => 0, <<>> => 0,
    /// [] => 0, -1 => 0, 2.5 => 0, 1 bsl 70 => 0, #{} => 0}) =
    /// [-1,1,1180591620717411303424,1.0,2.5,a,{t},#{},[],[115],<<>>]
    #[test]
    fn flat_maps_keep_keys_in_exact_order() {
        let mut area = LiteralArea::new();
        let a = Term::atom(Atom::intern("a").unwrap());
        let t = Term::atom(Atom::intern("t").unwrap());
        let expected = [
            Term::small(-1),
            Term::small(1),
            build::big_from_limbs(&mut area, false, &[0, 1 << 6]),
            build::float(&mut area, 1.0),
            build::float(&mut area, 2.5),
            a,
            build::tuple(&mut area, &[t]),
            from_pairs(&mut area, &[]).0,
            Term::NIL,
            build::list(&mut area, &[Term::small(115)]),
            build::binary(&mut area, b""),
        ];
        let mut shuffled: Vec<(Term, Term)> =
            expected.iter().map(|&k| (k, Term::small(0))).collect();
        shuffled.reverse();
        shuffled.swap(0, 5);
        let map = map_ref(from_pairs(&mut area, &shuffled).0);
        assert!(!map.is_hamt());
        let keys: Vec<Term> = map.to_list_order().iter().map(|p| p.0).collect();
        assert_eq!(keys.len(), expected.len());
        for (k, e) in keys.iter().zip(&expected) {
            assert!(crate::term::order::exact_eq(*k, *e));
        }
        assert_eq!(map.iterator_order(), map.to_list_order());
    }

    /// erl: maps:from_list([{0.0, a}, {-0.0, b}]) is #{-0.0 => b} (the last
    /// pair wins, key and value); maps:from_list([{I rem 35, I} || I <-
    /// lists:seq(1, 45)]) has 35 keys, values in to_list order DUPVALS.
    #[test]
    fn duplicate_keys_keep_the_last_pair() {
        const DUPVALS: [i64; 35] = [
            33, 12, 23, 29, 30, 26, 31, 11, 44, 32, 34, 25, 28, 41, 35, 13, 20, 15, 14, 37, 42, 36,
            43, 38, 17, 22, 21, 39, 24, 45, 27, 19, 40, 18, 16,
        ];
        let mut area = LiteralArea::new();
        let (zero, minus_zero) = (build::float(&mut area, 0.0), build::float(&mut area, -0.0));
        let (a, b) = (
            Term::atom(Atom::intern("a").unwrap()),
            Term::atom(Atom::intern("b").unwrap()),
        );
        let (map, had_duplicates) = from_pairs(&mut area, &[(zero, a), (minus_zero, b)]);
        assert!(had_duplicates);
        let pairs = map_ref(map).to_list_order();
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].0, minus_zero);
        assert_eq!(pairs[0].1, b);

        let pairs: Vec<(Term, Term)> = (1..=45)
            .map(|i| (Term::small(i % 35), Term::small(i)))
            .collect();
        let (map, had_duplicates) = from_pairs(&mut area, &pairs);
        assert!(had_duplicates);
        let values: Vec<i64> = map_ref(map)
            .to_list_order()
            .iter()
            .map(|p| p.1.small_value())
            .collect();
        assert_eq!(values, DUPVALS);
    }

    /// erl: maps:to_list(maps:from_list([{I rem 30, I} || I <- lists:seq(1, 45)]))
    /// is the flat map [{0,30},{1,31},...,{15,45},{16,16},...,{29,29}].
    #[test]
    fn duplicates_that_leave_32_keys_or_fewer_make_a_flat_map() {
        let mut area = LiteralArea::new();
        let pairs: Vec<(Term, Term)> = (1..=45)
            .map(|i| (Term::small(i % 30), Term::small(i)))
            .collect();
        let map = map_ref(from_pairs(&mut area, &pairs).0);
        assert!(!map.is_hamt());
        let got: Vec<(i64, i64)> = map
            .to_list_order()
            .iter()
            .map(|p| (p.0.small_value(), p.1.small_value()))
            .collect();
        let expected: Vec<(i64, i64)> = (0..30)
            .map(|k| (k, if k <= 15 { k + 30 } else { k }))
            .collect();
        assert_eq!(got, expected);
    }

    /// Self-consistency over large maps of several key kinds: every key is
    /// found with its value, absent keys are not, and the layout invariants
    /// hold (header arity, info word, canonical trie, leaf count = size).
    #[test]
    fn large_maps_find_every_key_and_are_canonical() {
        let mut area = LiteralArea::new();
        for n in [33usize, 100, 1000, 5000] {
            let mut keys = Vec::new();
            for i in 0..n as i64 {
                keys.push(match i % 4 {
                    0 => Term::small(i),
                    1 => build::float(&mut area, i as f64),
                    2 => build::binary(&mut area, format!("k{i}").as_bytes()),
                    _ => {
                        let inner = build::list(&mut area, &[Term::small(i)]);
                        build::tuple(&mut area, &[inner, Term::NIL])
                    }
                });
            }
            let map_term = indexed_map(&mut area, &keys);
            let map = map_ref(map_term);
            assert_eq!(map.len(), n);
            for (i, &k) in keys.iter().enumerate() {
                assert_eq!(map.get(k), Some(Term::small(i as i64)));
            }
            // 1 is a key (i = 1 is the float 1.0, not the integer 1).
            assert_eq!(map.get(Term::small(1)), None);
            assert_eq!(map.get(Term::small(n as i64 * 4)), None);
            assert_eq!(check_node(map_term, 0), n);
        }
    }

    /// Checks a HAMT node's invariants; returns how many leaves it holds.
    fn check_node(node: Term, level: u32) -> usize {
        let header = node.header().unwrap();
        let m = map_ref(node);
        assert_eq!(crate::term::header_arity(header), m.words.len());
        let Node::Hamt {
            size,
            bitmap,
            children,
        } = node_of(m)
        else {
            panic!("a HAMT node")
        };
        assert_eq!(size.is_some(), level == 0);
        assert_eq!(bitmap.count_ones() as usize, children.len());
        let mut leaves = 0;
        for (child, slot) in children
            .iter()
            .zip((0..16).filter(|s| bitmap & (1 << s) != 0))
        {
            let below = match child.as_cons() {
                Some((k, _)) => {
                    let hash = map_key_hash(k, level / LEVELS_PER_HASH);
                    assert_eq!(slot_at(hash, level), slot);
                    1
                }
                None => {
                    let below = check_node(*child, level + 1);
                    assert!(below >= 2, "an inner node holds at least two keys");
                    below
                }
            };
            leaves += below;
        }
        if let Some(size) = size {
            assert_eq!(size, leaves);
        }
        leaves
    }

    #[test]
    fn empty_and_small_maps_are_flat() {
        let mut area = LiteralArea::new();
        let empty = map_ref(from_pairs(&mut area, &[]).0);
        assert!(empty.is_empty() && !empty.is_hamt());
        assert_eq!(empty.get(Term::NIL), None);
        let pairs: Vec<(Term, Term)> = (0..32).rev().map(|i| (Term::small(i), Term::NIL)).collect();
        let map = map_ref(from_pairs(&mut area, &pairs).0);
        assert!(!map.is_hamt());
        assert_eq!(map.words.len(), 2 + 32);
        let keys: Vec<i64> = map
            .iterator_order()
            .iter()
            .map(|p| p.0.small_value())
            .collect();
        assert_eq!(keys, (0..32).collect::<Vec<_>>());
    }
}

#[cfg(test)]
mod update_tests {
    //! Updates against the canonical layout: whatever sequence of updates
    //! produced a map, it must be word for word the map `from_pairs` builds
    //! from its final contents (the HAMT is canonical, and a flat map is its
    //! sorted pairs), so every order and comparison agrees with erl's.

    use super::*;
    use crate::heap::LiteralArea;
    use crate::term::build;

    fn map_ref<'a>(map: Term) -> MapRef<'a> {
        MapRef::from_term(map).expect("a map")
    }

    /// Are two maps laid out alike, node for node, with the same key and
    /// value words (the same terms, not just equal ones)?
    fn same_layout(a: Term, b: Term) -> bool {
        let (ma, mb) = (map_ref(a), map_ref(b));
        if ma.words.len() != mb.words.len() {
            return false;
        }
        match (node_of(ma), node_of(mb)) {
            (
                Node::Flat {
                    keys: ka,
                    values: va,
                },
                Node::Flat {
                    keys: kb,
                    values: vb,
                },
            ) => ka == kb && va == vb,
            (
                Node::Hamt {
                    size: sa,
                    bitmap: ba,
                    children: ca,
                },
                Node::Hamt {
                    size: sb,
                    bitmap: bb,
                    children: cb,
                },
            ) => {
                sa == sb
                    && ba == bb
                    && ca
                        .iter()
                        .zip(cb)
                        .all(|(&x, &y)| match (x.as_cons(), y.as_cons()) {
                            (Some(px), Some(py)) => px == py,
                            (None, None) => same_layout(x, y),
                            _ => false,
                        })
            }
            _ => false,
        }
    }

    /// A small deterministic generator (xorshift64*).
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
        }
    }

    /// Keys of many kinds, each one term (so identity tells them apart):
    /// integers, floats, tuples, binaries, and two pairs of integers whose
    /// hashes collide on all 32 bits, so they part only below level 8.
    fn key_universe(area: &mut LiteralArea) -> Vec<Term> {
        let mut keys: Vec<Term> = (0..50).map(Term::small).collect();
        keys.extend([40660, 59671, 22575, 119693].map(Term::small));
        for i in 0..10 {
            keys.push(build::float(area, i as f64 + 0.5));
            keys.push(build::tuple(area, &[Term::small(i), Term::NIL]));
            keys.push(build::binary(area, format!("key{i}").as_bytes()));
        }
        keys
    }

    /// The model's pairs, in any order.
    fn model_pairs(keys: &[Term], model: &[Option<Term>]) -> Vec<(Term, Term)> {
        keys.iter()
            .zip(model)
            .filter_map(|(&k, v)| v.map(|v| (k, v)))
            .collect()
    }

    #[test]
    fn random_puts_and_removes_give_the_canonical_layout() {
        let mut area = LiteralArea::new();
        let keys = key_universe(&mut area);
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut model: Vec<Option<Term>> = vec![None; keys.len()];
        let mut map = from_pairs(&mut area, &[]).0;
        let (mut crossings, mut was_hamt) = (0, false);
        for step in 0..6000 {
            let i = rng.below(keys.len());
            let key = keys[i];
            let value = Term::small(rng.below(3) as i64);
            let len = model.iter().flatten().count();
            // Drift the size around the 32/33 boundary.
            let grow = if len < 28 {
                4
            } else if len > 38 {
                1
            } else {
                2
            };
            let m = map_ref(map);
            match rng.below(grow + 3) {
                0 => {
                    map = remove(&mut area, m, key);
                    model[i] = None;
                }
                1 => {
                    let (taken, rest) = match take(&mut area, m, key) {
                        Some((v, rest)) => (Some(v), rest),
                        None => (None, map),
                    };
                    assert_eq!(taken, model[i]);
                    map = rest;
                    model[i] = None;
                }
                2 => match update(&mut area, m, key, value) {
                    Some(updated) => {
                        assert!(model[i].is_some());
                        map = updated;
                        model[i] = Some(value);
                    }
                    None => assert!(model[i].is_none()),
                },
                _ => {
                    let before = map;
                    map = put(&mut area, m, key, value);
                    if model[i] == Some(value) {
                        assert_eq!(map, before, "putting the same value keeps the map");
                    }
                    model[i] = Some(value);
                }
            }
            let expected = from_pairs(&mut area, &model_pairs(&keys, &model)).0;
            assert!(same_layout(map, expected), "step {step}");
            let is_hamt = map_ref(map).is_hamt();
            crossings += (is_hamt != was_hamt) as usize;
            was_hamt = is_hamt;
        }
        assert!(crossings > 50, "only {crossings} crossings of 32/33 keys");
    }

    #[test]
    fn put_pairs_update_pairs_and_merge_give_the_canonical_layout() {
        let mut area = LiteralArea::new();
        let keys = key_universe(&mut area);
        let mut rng = Rng(0x1234_5678_9abc_def1);
        for round in 0..400 {
            // Two random maps, of 0 to 60 keys each.
            let mut models = [vec![None; keys.len()], vec![None; keys.len()]];
            for model in models.iter_mut() {
                let density = rng.below(100);
                for slot in model.iter_mut() {
                    if rng.below(100) < density {
                        *slot = Some(Term::small(rng.below(4) as i64));
                    }
                }
            }
            let [left_model, right_model] = &models;
            let left = from_pairs(&mut area, &model_pairs(&keys, left_model)).0;
            let right_pairs = model_pairs(&keys, right_model);
            let right = from_pairs(&mut area, &right_pairs).0;

            let mut merged_model = left_model.clone();
            for (m, r) in merged_model.iter_mut().zip(right_model) {
                if r.is_some() {
                    *m = *r;
                }
            }
            let expected = from_pairs(&mut area, &model_pairs(&keys, &merged_model)).0;
            let merged = merge(&mut area, map_ref(left), map_ref(right));
            assert!(same_layout(merged, expected), "merge, round {round}");
            // put_pairs with the pairs out of order and a duplicate key.
            let mut shuffled = right_pairs.clone();
            shuffled.reverse();
            if let Some(&(k, _)) = shuffled.first() {
                shuffled.insert(0, (k, Term::small(99)));
            }
            let put_all = put_pairs(&mut area, map_ref(left), &shuffled);
            assert!(same_layout(put_all, expected), "put_pairs, round {round}");

            // update_pairs: fine when all keys are in the map, else the
            // smallest missing key.
            let updated = update_pairs(&mut area, map_ref(left), &right_pairs);
            let mut missing: Vec<Term> = right_pairs
                .iter()
                .filter(|(k, _)| map_ref(left).get(*k).is_none())
                .map(|p| p.0)
                .collect();
            missing.sort_by(|a, b| compare_exact(*a, *b));
            match missing.first() {
                Some(&first) => assert_eq!(updated, Err(first)),
                None => assert!(same_layout(updated.unwrap(), expected)),
            }
        }
    }

    /// Merging shares what only one side has, as OTP does: subtrees the
    /// left map alone has, or the whole right map when the left adds
    /// nothing. (A key in both takes the right leaf, even with an equal
    /// value.)
    #[test]
    fn merge_shares_unchanged_subtrees() {
        let mut area = LiteralArea::new();
        let pairs: Vec<(Term, Term)> = (0..100).map(|i| (Term::small(i), Term::NIL)).collect();
        let big = from_pairs(&mut area, &pairs).0;
        let small = from_pairs(&mut area, &pairs[10..20]).0;
        let empty = from_pairs(&mut area, &[]).0;
        let merged = merge(&mut area, map_ref(big), map_ref(small));
        assert!(merged != big && same_layout(merged, big));
        let one = from_pairs(&mut area, &[(Term::small(5), Term::small(1))]).0;
        let merged = merge(&mut area, map_ref(big), map_ref(one));
        let shared = node_children(map_ref(merged))
            .iter()
            .zip(node_children(map_ref(big)))
            .filter(|(a, b)| a == b)
            .count();
        assert_eq!(shared, node_children(map_ref(big)).len() - 1);
        assert_eq!(merge(&mut area, map_ref(small), map_ref(big)), big);
        assert_eq!(merge(&mut area, map_ref(big), map_ref(empty)), big);
        assert_eq!(merge(&mut area, map_ref(empty), map_ref(small)), small);
        assert_eq!(merge(&mut area, map_ref(big), map_ref(big)), big);
    }

    /// erl: maps:put(-0.0, b, #{0.0 => a}) is #{0.0 => b}, but in a HAMT
    /// the new key replaces the old: [K || K <- maps:keys(maps:put(-0.0, b,
    /// maps:from_list([{0.0, a} | [{I, I} || I <- lists:seq(1, 40)]]))),
    /// is_float(K)] is [-0.0]. maps:merge(#{0.0 => a}, #{-0.0 => b}) is
    /// #{-0.0 => b}.
    #[test]
    fn replaced_keys_follow_otp() {
        let mut area = LiteralArea::new();
        let (zero, minus_zero) = (build::float(&mut area, 0.0), build::float(&mut area, -0.0));
        let (a, b) = (Term::small(1), Term::small(2));
        let flat = from_pairs(&mut area, &[(zero, a)]).0;
        let put_flat = put(&mut area, map_ref(flat), minus_zero, b);
        assert_eq!(map_ref(put_flat).iterator_order(), vec![(zero, b)]);
        let updated = update(&mut area, map_ref(flat), minus_zero, b).unwrap();
        assert_eq!(map_ref(updated).iterator_order(), vec![(zero, b)]);
        let other = from_pairs(&mut area, &[(minus_zero, b)]).0;
        let merged = merge(&mut area, map_ref(flat), map_ref(other));
        assert_eq!(map_ref(merged).iterator_order(), vec![(minus_zero, b)]);

        let mut pairs: Vec<(Term, Term)> = (1..=40).map(|i| (Term::small(i), a)).collect();
        pairs.push((zero, a));
        let hamt = from_pairs(&mut area, &pairs).0;
        let put_hamt = put(&mut area, map_ref(hamt), minus_zero, b);
        let floats: Vec<Term> = map_ref(put_hamt)
            .to_list_order()
            .into_iter()
            .filter(|p| p.0.is_float())
            .map(|p| p.0)
            .collect();
        assert_eq!(floats, vec![minus_zero]);
    }

    /// erl: for M = maps:from_list([{I, I} || I <- lists:seq(1, N)]),
    /// erts_internal:map_next(0, M, iterator) gave 32 pairs (12 in one run
    /// with few reductions left) and then [Path | M]: for N = 1000 the
    /// first keys FIRST1000 and Path 128; for N = 40, Path 11 after 32
    /// pairs and Path 20 after 12; for N = 33, Path 30.
    #[test]
    fn hamt_walk_steps_and_paths_are_erls() {
        const FIRST1000: [i64; 32] = [
            747, 16, 882, 786, 697, 908, 733, 226, 824, 164, 601, 873, 447, 294, 267, 935, 630,
            107, 784, 315, 525, 258, 115, 501, 445, 227, 843, 736, 799, 172, 136, 79,
        ];
        let mut area = LiteralArea::new();
        let mut seq = |n: i64| {
            let pairs: Vec<(Term, Term)> =
                (1..=n).map(|i| (Term::small(i), Term::small(i))).collect();
            from_pairs(&mut area, &pairs).0
        };
        let (m1000, m40, m33) = (seq(1000), seq(40), seq(33));
        let chunk = map_ref(m1000).hamt_pairs_from(&[0], 32).unwrap();
        let keys: Vec<i64> = chunk.pairs.iter().map(|p| p.0.small_value()).collect();
        assert_eq!(keys, FIRST1000);
        assert_eq!(chunk.next, Some(vec![128]));
        let next = |m: Term, max| map_ref(m).hamt_pairs_from(&[0], max).unwrap().next;
        assert_eq!(next(m40, 32), Some(vec![11]));
        assert_eq!(next(m40, 12), Some(vec![20]));
        assert_eq!(next(m33, 32), Some(vec![30]));
        assert_eq!(next(m33, 33), None);
        // A position beyond a node's children leads nowhere.
        assert_eq!(map_ref(m40).hamt_pairs_from(&[15], 5), None);
        assert_eq!(
            map_ref(from_pairs(&mut area, &[]).0).hamt_pairs_from(&[0], 5),
            None
        );
    }

    /// Walking a HAMT in steps of any size visits every pair once, in
    /// iterator order, also through the deep nodes of colliding hashes.
    #[test]
    fn hamt_walk_in_steps_visits_all_pairs_in_order() {
        let mut area = LiteralArea::new();
        let mut keys = key_universe(&mut area);
        keys.extend((1000..3000).map(Term::small));
        let pairs: Vec<(Term, Term)> = keys.iter().map(|&k| (k, Term::NIL)).collect();
        let map = map_ref(from_pairs(&mut area, &pairs).0);
        let all = map.iterator_order();
        for max in [1, 2, 7, 32, 1000, 5000] {
            let mut walked = Vec::new();
            let mut path = vec![0];
            loop {
                let chunk = map.hamt_pairs_from(&path, max).unwrap();
                assert!(chunk.pairs.len() == max || chunk.next.is_none());
                walked.extend(chunk.pairs);
                match chunk.next {
                    Some(next) => path = next,
                    None => break,
                }
            }
            assert_eq!(walked, all, "steps of {max}");
        }
    }

    /// 100,000 puts into one map, each copying only its path: well under a
    /// second in a release build.
    #[test]
    fn many_puts_are_fast() {
        let mut area = LiteralArea::new();
        let start = std::time::Instant::now();
        let mut map = from_pairs(&mut area, &[]).0;
        for i in 0..100_000 {
            map = put(&mut area, map_ref(map), Term::small(i), Term::small(i));
        }
        let elapsed = start.elapsed();
        let m = map_ref(map);
        assert_eq!(m.len(), 100_000);
        assert_eq!(m.get(Term::small(77_777)), Some(Term::small(77_777)));
        if !cfg!(debug_assertions) {
            assert!(elapsed.as_millis() < 500, "100,000 puts took {elapsed:?}");
        }
    }
}
