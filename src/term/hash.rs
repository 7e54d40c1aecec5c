//! OTP 25's term hashes: the internal hash (`make_internal_hash`,
//! `make_map_hash`), which shapes a large map's HAMT and so decides the order
//! in which `maps:to_list/1`, `io_lib` and `term_to_binary/1` list its pairs,
//! and the portable hash of `erlang:phash2` (`make_hash2`, see
//! [`make_hash2`]).
//!
//! The hash mixes 32-bit words with Bob Jenkins' `mix`, walking the term
//! depth first with an explicit stack (deep terms cannot overflow the Rust
//! stack). Immediates are hashed through their OTP word: small integers,
//! atoms and `[]` have the same word here as in BEAM (an atom's word holds
//! its atom-table index, so atom keys only lay out as in `erl` when the
//! indices agree); local pids and ports are rebuilt into the word OTP 25
//! gives them with its default table sizes.
//!
//! OTP hashes a few things by the address of a C structure (an export fun's
//! export entry, the node of an external pid, port or ref), which is not
//! reproducible even between two runs of `erl`. Here the export entry's
//! address is used likewise, and a node by its name and creation.

use super::{map, Bitstring, Term, View};

const HCONST: u32 = 0x9e37_79b9;
const HCONST_4: u32 = 0x78dd_e6e4;
const HCONST_5: u32 = 0x1715_609d;
const HCONST_6: u32 = 0xb54c_da56;
const HCONST_7: u32 = 0x5384_540f;
const HCONST_8: u32 = 0xf1bb_cdc8;
const HCONST_9: u32 = 0x8ff3_4781;
const HCONST_10: u32 = 0x2e2a_c13a;
const HCONST_11: u32 = 0xcc62_3af3;
const HCONST_12: u32 = 0x6a99_b4ac;
const HCONST_13: u32 = 0x08d1_2e65;
const HCONST_14: u32 = 0xa708_a81e;
const HCONST_15: u32 = 0x4540_21d7;
const HCONST_16: u32 = 0xe377_9b90;
const HCONST_17: u32 = 0x81af_1549;
const HCONST_18: u32 = 0x1fe6_8f02;
const HCONST_20: u32 = 0x5c55_8274;
const HCONST_21: u32 = 0xfa8c_fc2d;
const HCONST_22: u32 = 0x98c4_75e6;

/// Mixed into every internal hash so it differs from `phash2`.
const INTERNAL_HASH_SALT: u32 = 3_432_918_353;

/// Bob Jenkins' 96-bit mix of `a`, `b` into `c` (erts' `MIX`).
#[inline]
fn mix(a: &mut u32, b: &mut u32, c: &mut u32) {
    macro_rules! step {
        ($x:ident, $y:ident, $z:ident, $op:tt, $s:expr) => {
            *$x = $x.wrapping_sub(*$y).wrapping_sub(*$z) ^ (*$z $op $s);
        };
    }
    step!(a, b, c, >>, 13);
    step!(b, c, a, <<, 8);
    step!(c, a, b, >>, 13);
    step!(a, b, c, >>, 12);
    step!(b, c, a, <<, 16);
    step!(c, a, b, >>, 5);
    step!(a, b, c, >>, 3);
    step!(b, c, a, <<, 10);
    step!(c, a, b, >>, 15);
}

/// `UINT32_HASH_2`: mixes two words, each offset by a type constant, into `hash`.
#[inline]
fn hash2(hash: &mut u32, x: u32, y: u32, konst: u32) {
    let mut a = konst.wrapping_add(x);
    let mut b = konst.wrapping_add(y);
    mix(&mut a, &mut b, hash);
}

/// `CONST_HASH`: a light mix of a type constant.
#[inline]
fn const_hash(hash: &mut u32, konst: u32) {
    *hash = (*hash ^ konst).rotate_left(17);
}

/// Jenkins' hash of a byte block (erts' `block_hash`), seeded with `init`.
fn block_hash(bytes: &[u8], init: u32) -> u32 {
    let (mut a, mut b, mut c) = (HCONST, HCONST, init);
    let word = |w: &[u8]| {
        w.iter()
            .enumerate()
            .fold(0u32, |acc, (i, &x)| acc.wrapping_add((x as u32) << (8 * i)))
    };
    let whole = bytes.len() - bytes.len() % 12;
    for chunk in bytes[..whole].chunks_exact(12) {
        a = a.wrapping_add(word(&chunk[0..4]));
        b = b.wrapping_add(word(&chunk[4..8]));
        c = c.wrapping_add(word(&chunk[8..12]));
        mix(&mut a, &mut b, &mut c);
    }
    // The last 0..=11 bytes; the low byte of `c` is taken by the length.
    let tail = &bytes[whole..];
    c = c.wrapping_add(bytes.len() as u32);
    a = a.wrapping_add(word(&tail[..tail.len().min(4)]));
    if tail.len() > 4 {
        b = b.wrapping_add(word(&tail[4..tail.len().min(8)]));
    }
    if tail.len() > 8 {
        c = c.wrapping_add(word(&tail[8..]) << 8);
    }
    mix(&mut a, &mut b, &mut c);
    c
}

/// Hashes the leading run of byte-sized integers of a list four bytes to a
/// word, as both of OTP's hashes do; returns the rest of the list and the
/// bytes of a last, partial word (`count` of them, packed), which each
/// hash finishes its own way.
fn hash_byte_run(hash: &mut u32, list: Term) -> (Term, u32, u32) {
    let (mut packed, mut count) = (0u32, 0u32);
    let mut rest = list;
    while let Some((head, tail)) = rest.as_cons() {
        match head.as_small() {
            Some(b @ 0..=255) => {
                packed = (packed << 8).wrapping_add(b as u32);
                if count == 3 {
                    hash2(hash, packed, 0, HCONST_4);
                    (packed, count) = (0, 0);
                } else {
                    count += 1;
                }
                rest = tail;
            }
            _ => break,
        }
    }
    (rest, packed, count)
}

/// Process-table geometry of OTP 25's defaults (`+P 262144`, `+Q 65536`):
/// the table index interleaves ids over cache lines of 8 slots.
const PROC_TABLE_BITS: u32 = 18;
const PORT_TABLE_BITS: u32 = 16;

/// The table index that OTP keeps in the high half of a pid or port word.
fn table_index(data: u64, table_bits: u32) -> u64 {
    let line_bits = table_bits - 3;
    let n = data as u32 as u64;
    ((n & ((1 << line_bits) - 1)) << 3) + ((n >> line_bits) & 7)
}

/// The 64-bit word BEAM (OTP 25, 64-bit) uses for an immediate.
fn otp_immediate_word(term: Term) -> u64 {
    // OTP's pid and port data is 28 bits: a pid's 15-bit number under its
    // 13-bit serial, a port's number. Ids beyond that (which OTP cannot
    // make) keep our own word, so distinct ids never hash alike.
    match (term.as_local_pid(), term.as_local_port()) {
        (Some(pid), _) if pid.number < 1 << 15 && pid.serial < 1 << 13 => {
            let data = (pid.serial as u64) << 15 | pid.number as u64;
            table_index(data, PROC_TABLE_BITS) << 32 | data << 4 | 0x3
        }
        (_, Some(number)) if number < 1 << 28 => {
            table_index(number, PORT_TABLE_BITS) << 32 | number << 4 | 0x7
        }
        // Small integers, atoms, [] and catches share BEAM's encoding.
        _ => term.raw(),
    }
}

/// A node's stand-in for OTP's node-structure address (lossless: an atom's
/// word fits in 32 bits).
fn node_hash(hash: &mut u32, node: super::Atom, creation: u32, konst: u32) {
    hash2(hash, Term::atom(node).raw() as u32, creation, konst);
}

/// Hashes a bitstring's bits the way erts hashes binaries.
fn bitstring_hash(hash: u32, bits: &Bitstring<'_>) -> u32 {
    let seed = HCONST_13.wrapping_add(hash);
    if bits.bit_len == 0 {
        return seed;
    }
    let whole = bits.byte_len();
    let mut h = if bits.bit_offset == 0 {
        block_hash(&bits.bytes[..whole], seed)
    } else {
        block_hash(&bits.to_padded_vec()[..whole], seed)
    };
    let trailing = bits.trailing_bits();
    if trailing > 0 {
        let last = bits.byte(whole) >> (8 - trailing);
        hash2(&mut h, trailing as u32, last as u32, HCONST_15);
    }
    h
}

/// What is left to do on the hash's work stack.
enum Work {
    Term(Term),
    /// Mark the start of a cons cell's improper tail.
    ConsTail,
}

/// `make_internal_hash(Term, Salt)` of OTP 25.
pub fn internal_hash(term: Term, salt: u32) -> u32 {
    let mut hash = salt ^ INTERNAL_HASH_SALT;
    if term.is_immediate() {
        let word = otp_immediate_word(term);
        hash2(&mut hash, word as u32, (word >> 32) as u32, HCONST);
        return hash;
    }
    let mut stack: Vec<Work> = Vec::new();
    let mut next = Some(term);
    loop {
        let term = match next.take() {
            Some(t) => t,
            None => match stack.pop() {
                None => return hash,
                Some(Work::ConsTail) => {
                    const_hash(&mut hash, HCONST_18);
                    continue;
                }
                Some(Work::Term(t)) => t,
            },
        };
        match term.view() {
            View::Cons(..) => {
                // A run of byte-sized integers is packed four to a word.
                let (rest, packed, count) = hash_byte_run(&mut hash, term);
                if count > 0 {
                    hash2(&mut hash, packed, count, HCONST_22);
                }
                match rest.as_cons() {
                    Some((head, tail)) => {
                        const_hash(&mut hash, HCONST_17);
                        stack.push(Work::Term(tail));
                        if !tail.is_list() {
                            stack.push(Work::ConsTail);
                        }
                        next = Some(head);
                    }
                    // The tail after a byte run is hashed as a plain term.
                    None => next = Some(rest),
                }
            }
            View::Tuple(elements) => {
                hash2(&mut hash, elements.len() as u32, 0, HCONST_9);
                if let Some((first, rest)) = elements.split_first() {
                    stack.extend(rest.iter().rev().map(|&e| Work::Term(e)));
                    next = Some(*first);
                }
            }
            View::Map(m) => match map::node_of(m) {
                map::Node::Flat { keys, values } => {
                    hash2(&mut hash, keys.len() as u32, 0, HCONST_16);
                    for (k, v) in keys.iter().zip(values).rev() {
                        stack.push(Work::Term(*v));
                        stack.push(Work::Term(*k));
                    }
                }
                map::Node::Hamt { size, children, .. } => {
                    if let Some(size) = size {
                        hash2(&mut hash, size as u32, 0, HCONST_16);
                    }
                    // Children are taken last to first, a leaf's key
                    // before its value.
                    for &child in children {
                        match child.as_cons() {
                            Some((k, v)) => {
                                stack.push(Work::Term(v));
                                stack.push(Work::Term(k));
                            }
                            None => stack.push(Work::Term(child)),
                        }
                    }
                }
            },
            View::Fun(f) => {
                let module = Term::atom(f.entry.module).raw() as u32;
                hash2(&mut hash, f.free.len() as u32, module, HCONST_20);
                hash2(&mut hash, f.entry.index, f.entry.old_uniq, HCONST_21);
                if let Some((first, rest)) = f.free.split_first() {
                    stack.extend(rest.iter().rev().map(|&e| Work::Term(e)));
                    next = Some(*first);
                }
            }
            View::Export(e) => {
                let addr = e as *const _ as u64;
                hash2(&mut hash, addr as u32, (addr >> 32) as u32, HCONST_14);
            }
            View::Bitstring(bits) => hash = bitstring_hash(hash, &bits),
            View::Big { negative, limbs } => {
                let konst = if negative { HCONST_10 } else { HCONST_11 };
                for &limb in limbs {
                    hash2(&mut hash, limb as u32, (limb >> 32) as u32, konst);
                }
            }
            View::Ref(r) => {
                let mut ids = r.ids().chain(std::iter::repeat(0));
                let mut id = || ids.next().unwrap_or(0);
                if !super::build::is_this_node(r.node, r.creation) {
                    node_hash(&mut hash, r.node, r.creation, HCONST_7);
                }
                let first = id();
                hash2(&mut hash, first, 0, HCONST_7);
                let (second, third) = (id(), id());
                hash2(&mut hash, second, third, HCONST_8);
                // OTP refs have 3 ids; longer ones (ours only) hash their
                // further ids, up to the last non-zero one (zeros at the top
                // do not count in comparisons).
                let extra: Vec<u32> = r.ids().skip(3).collect();
                let used = extra.iter().rposition(|&x| x != 0).map_or(0, |i| i + 1);
                for &x in &extra[..used] {
                    hash2(&mut hash, x, 0, HCONST_8);
                }
            }
            View::ExternalPid {
                node,
                number,
                serial,
                creation,
            } => {
                node_hash(&mut hash, node, creation, HCONST_5);
                hash2(&mut hash, number, serial, HCONST_5);
            }
            View::ExternalPort {
                node,
                number,
                creation,
            } => {
                node_hash(&mut hash, node, creation, HCONST_6);
                hash2(&mut hash, number as u32, (number >> 32) as u32, HCONST_6);
            }
            View::Float(f) => {
                // -0.0 hashes as 0.0: they are the same key.
                let bits = if f == 0.0 { 0 } else { f.to_bits() };
                hash2(&mut hash, bits as u32, (bits >> 32) as u32, HCONST_12);
            }
            View::Small(_)
            | View::Atom(_)
            | View::Nil
            | View::Pid(_)
            | View::Port(_)
            | View::Catch(_) => {
                let word = otp_immediate_word(term);
                hash2(&mut hash, word as u32, (word >> 32) as u32, HCONST);
            }
            View::MatchContext => {}
        }
    }
}

/// `make_map_hash(Key, Depth)`: the hash of a key at HAMT level
/// `8 * depth` and below (each 32-bit hash feeds 8 levels of 4 bits).
pub fn map_key_hash(key: Term, depth: u32) -> u32 {
    let mut salt = 0;
    if depth > 0 {
        hash2(&mut salt, depth, 1, HCONST_22);
    }
    internal_hash(key, salt)
}

/// The text hash of an atom (`atom_hash` in erts: hashpjw over its UTF-8,
/// with a two-byte Latin-1 character taken as one).
pub(crate) fn atom_text_hash(atom: super::Atom) -> u32 {
    let bytes = atom.name().as_bytes();
    let mut h: u32 = 0;
    let mut i = 0;
    while i < bytes.len() {
        let mut v = bytes[i];
        i += 1;
        if i < bytes.len() && v & 0xFE == 0xC2 && bytes[i] & 0xC0 == 0x80 {
            v = (v << 6) | (bytes[i] & 0x3F);
            i += 1;
        }
        h = (h << 4).wrapping_add(v as u32);
        let g = h & 0xf000_0000;
        if g != 0 {
            h ^= g >> 24;
            h ^= g;
        }
    }
    h
}

/// `SINT32_HASH` / `NOT_SSMALL28_HASH`: an integer that fits in a word.
fn portable_small_hash(hash: &mut u32, value: i64) {
    if (-(1 << 27)..1 << 27).contains(&value) {
        let y = value as i32;
        if y < 0 {
            hash2(hash, y.wrapping_neg() as u32, 0, HCONST);
        }
        hash2(hash, y as u32, 0, HCONST);
    } else {
        let konst = if value < 0 { HCONST_10 } else { HCONST_11 };
        let t = value.unsigned_abs();
        hash2(hash, t as u32, (t >> 32) as u32, konst);
    }
}

const HCONST_2: u32 = 0x3c6e_f372;
const HCONST_3: u32 = 0xdaa6_6d2b;
const HCONST_19: u32 = 0xbe1e_08bb;

/// What is left to do on the portable hash's work stack.
enum Work2 {
    Term(Term),
    /// End of a map's pairs: restore the enclosing hash and pair sum.
    MapEnd {
        hash: u32,
        xor_pairs: u32,
    },
    /// End of one key/value pair of a map.
    MapPair,
}

/// `make_hash2(Term)` of OTP 25: the portable hash behind `erlang:phash2`.
/// It depends only on the term's value (atoms by their text), and a map's
/// hash does not depend on the order of its pairs. `erlang:phash2(T, R)` is
/// this modulo `R` (all 32 bits for `R` = 2^32).
pub fn make_hash2(term: Term) -> u32 {
    let mut hash = 0u32;
    let mut xor_pairs = 0u32;
    let mut stack: Vec<Work2> = Vec::new();
    let mut next = Some(term);
    loop {
        let term = match next.take() {
            Some(t) => t,
            None => match stack.pop() {
                None => return hash,
                Some(Work2::MapEnd {
                    hash: outer,
                    xor_pairs: outer_pairs,
                }) => {
                    hash = outer;
                    hash2(&mut hash, xor_pairs, 0, HCONST_19);
                    xor_pairs = outer_pairs;
                    continue;
                }
                Some(Work2::MapPair) => {
                    xor_pairs ^= hash;
                    hash = 0;
                    continue;
                }
                Some(Work2::Term(t)) => t,
            },
        };
        match term.view() {
            View::Cons(..) => {
                let (rest, packed, count) = hash_byte_run(&mut hash, term);
                if count > 0 {
                    hash2(&mut hash, packed, 0, HCONST_4);
                }
                match rest.as_cons() {
                    Some((head, tail)) => {
                        stack.push(Work2::Term(tail));
                        next = Some(head);
                    }
                    None => next = Some(rest),
                }
            }
            View::Tuple(elements) => {
                hash2(&mut hash, elements.len() as u32, 0, HCONST_9);
                if let Some((first, rest)) = elements.split_first() {
                    stack.extend(rest.iter().rev().map(|&e| Work2::Term(e)));
                    next = Some(*first);
                }
            }
            View::Map(m) => {
                let node = map::node_of(m);
                let pairs_follow = match node {
                    map::Node::Flat { keys, .. } => Some(keys.len()),
                    map::Node::Hamt { size, .. } => size,
                };
                if let Some(size) = pairs_follow {
                    hash2(&mut hash, size as u32, 0, HCONST_16);
                    if size == 0 {
                        continue;
                    }
                    stack.push(Work2::MapEnd { hash, xor_pairs });
                    (hash, xor_pairs) = (0, 0);
                }
                let push_pair = |stack: &mut Vec<Work2>, k: Term, v: Term| {
                    stack.extend([Work2::MapPair, Work2::Term(v), Work2::Term(k)]);
                };
                match node {
                    map::Node::Flat { keys, values } => {
                        for (&k, &v) in keys.iter().zip(values).rev() {
                            push_pair(&mut stack, k, v);
                        }
                    }
                    map::Node::Hamt { children, .. } => {
                        for &child in children {
                            match child.as_cons() {
                                Some((k, v)) => push_pair(&mut stack, k, v),
                                None => stack.push(Work2::Term(child)),
                            }
                        }
                    }
                }
            }
            View::Fun(f) => {
                let module = atom_text_hash(f.entry.module);
                hash2(&mut hash, f.free.len() as u32, module, HCONST);
                hash2(&mut hash, f.entry.index, f.entry.old_uniq, HCONST);
                if let Some((first, rest)) = f.free.split_first() {
                    stack.extend(rest.iter().rev().map(|&e| Work2::Term(e)));
                    next = Some(*first);
                }
            }
            View::Export(e) => {
                hash2(&mut hash, e.arity, atom_text_hash(e.module), HCONST);
                hash2(&mut hash, atom_text_hash(e.function), 0, HCONST_14);
            }
            View::Bitstring(bits) => hash = bitstring_hash(hash, &bits),
            View::Big { negative, limbs } => {
                let konst = if negative { HCONST_10 } else { HCONST_11 };
                for &limb in limbs {
                    hash2(&mut hash, limb as u32, (limb >> 32) as u32, konst);
                }
            }
            // Only the first id word of a ref, and a pid's number, count.
            View::Ref(r) => hash2(&mut hash, r.ids().next().unwrap_or(0), 0, HCONST_7),
            View::Pid(p) => hash2(&mut hash, p.number & 0x7FFF, 0, HCONST_5),
            View::ExternalPid { number, .. } => hash2(&mut hash, number, 0, HCONST_5),
            View::Port(number) | View::ExternalPort { number, .. } => {
                hash2(&mut hash, number as u32, (number >> 32) as u32, HCONST_6)
            }
            View::Float(f) => {
                let bits = if f == 0.0 { 0 } else { f.to_bits() };
                hash2(&mut hash, (bits >> 32) as u32, bits as u32, HCONST_12);
            }
            View::Atom(a) => {
                if hash == 0 {
                    hash = atom_text_hash(a);
                } else {
                    hash2(&mut hash, atom_text_hash(a), 0, HCONST_3);
                }
            }
            View::Nil => {
                if hash == 0 {
                    hash = 3_468_870_702;
                } else {
                    // NIL_DEF, the `[]` class in erts' term order.
                    hash2(&mut hash, 2, 0, HCONST_2);
                }
            }
            View::Small(v) => portable_small_hash(&mut hash, v),
            View::Catch(_) | View::MatchContext => {}
        }
    }
}

/// `erlang:phash2(Term)`: the portable hash in 0..2^27.
pub fn phash2(term: Term) -> u32 {
    make_hash2(term) & ((1 << 27) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::LiteralArea;
    use crate::term::{atoms, build, map, LocalPid};

    #[test]
    fn block_hash_takes_every_byte() {
        // Self-consistency: changing any byte of blocks of every tail length
        // changes the hash.
        for len in 1..40usize {
            let base: Vec<u8> = (0..len as u8).collect();
            let h = block_hash(&base, 7);
            for i in 0..len {
                let mut changed = base.clone();
                changed[i] ^= 0x5a;
                assert_ne!(block_hash(&changed, 7), h, "len {len} byte {i}");
            }
        }
    }

    /// Terms that are `=:=` hash alike whatever their representation.
    #[test]
    fn equal_terms_hash_alike() {
        let mut area = LiteralArea::new();
        let same = |a: Term, b: Term| {
            for salt in [0, 1, 0xdead_beef] {
                assert_eq!(internal_hash(a, salt), internal_hash(b, salt));
            }
        };
        same(build::float(&mut area, 0.0), build::float(&mut area, -0.0));
        let nonode = crate::term::atoms::NONODE;
        same(
            build::reference(&mut area, nonode, 0, &[1, 2, 3]),
            build::reference(&mut area, nonode, 0, &[1, 2, 3, 0]),
        );
        // 10 bits 1011001101: aligned, and from bit 3 of a larger binary.
        let aligned = build::bitstring(&mut area, &[0b1011_0011, 0b0100_0000], 10);
        let original = build::binary(&mut area, &[0b0001_0110, 0b0110_1000, 0xFF]);
        same(aligned, build::sub_binary(&mut area, original, 0, 1, 2, 3));
        // 200 bytes off the heap, and the same bytes as a sub binary.
        let bytes: Vec<u8> = (0..=255).collect();
        let big = build::binary(&mut area, &bytes);
        same(
            build::binary(&mut area, &bytes[10..210]),
            build::sub_binary(&mut area, big, 10, 200, 0, 0),
        );
        let mut area2 = LiteralArea::new();
        let a = build::tuple(&mut area, &[Term::small(1), Term::NIL]);
        let b = build::tuple(&mut area2, &[Term::small(1), Term::NIL]);
        same(a, b);
    }

    #[test]
    fn the_salt_changes_the_hash() {
        let t = Term::small(42);
        assert_ne!(map_key_hash(t, 0), map_key_hash(t, 1));
        assert_ne!(map_key_hash(t, 1), map_key_hash(t, 2));
    }

    /// Self-consistency: hashing a term nested far deeper than recursion
    /// could go runs on the explicit stack, and the leaf still counts.
    #[test]
    fn deep_terms_hash_without_recursion() {
        let mut area = LiteralArea::new();
        let nested = |area: &mut LiteralArea, leaf: i64| {
            let mut t = Term::small(leaf);
            for i in 0..300_000 {
                t = if i % 2 == 0 {
                    build::cons(area, t, Term::NIL)
                } else {
                    build::tuple(area, &[t])
                };
            }
            t
        };
        let (x, y) = (nested(&mut area, 1), nested(&mut area, 2));
        assert_ne!(internal_hash(x, 0), internal_hash(y, 0));
    }

    /// `[erlang:phash2(T) || T <- oxg:terms()]`: the terms of the order
    /// tests (see `order::tests::sample_terms`).
    const PHASH2_SAMPLE: [u32; 102] = [
        88723725, 2614250, 44071773, 30328728, 27520264, 35173814, 26969617, 36462311, 32970872,
        85075112, 23185601, 7052001, 100626700, 63894875, 55691757, 119088650, 84771912, 56184129,
        39447972, 86106176, 2889750, 49783137, 123897603, 40529190, 38003152, 79000135, 97, 98,
        1649, 66, 0, 233, 252, 2074, 25442, 424084, 424085, 118531908, 75004615, 90543893,
        118531908, 83047960, 83047960, 16710585, 85550853, 108220320, 61580975, 57895931,
        109367417, 82605442, 27471588, 34981515, 31217788, 49033471, 125905316, 101549390,
        25105897, 123197638, 131498469, 17179711, 114177937, 131498469, 131498469, 131498469,
        86620282, 87486268, 110528523, 130610761, 91564110, 113425870, 126521268, 17320229,
        39679005, 59617982, 92619614, 108954384, 94058669, 103634663, 7671078, 81884910, 129392561,
        113427502, 84609158, 86124794, 13006701, 23864141, 117343302, 109637629, 96416884, 8851781,
        38136133, 13708901, 76691218, 102233125, 77524856, 114275383, 22968450, 78681268,
        116266720, 81620844, 48424272, 6479071,
    ];

    /// For `Extras` below: `[erlang:phash2(T) || T <- Extras]`, and
    /// `[erlang:phash2(T, 4294967296) || T <- Extras]` (all 32 bits).
    const PHASH2_EXTRAS: [u32; 30] = [
        55048502, 50635928, 39679005, 124727853, 3752561, 111460725, 126389480, 126628501,
        10296741, 15147785, 133543196, 233, 4129, 3480, 0, 7258927, 112602999, 12354923, 69672967,
        76739502, 27520264, 35173814, 44071773, 56244722, 20875736, 20875736, 10380315, 84608636,
        60244271, 96416884,
    ];
    const HASH2_EXTRAS: [u32; 30] = [
        2202532150, 1661248664, 844985373, 2943300141, 3761848945, 514113909, 1871219944,
        3482071701, 3365739941, 820454153, 3354768668, 233, 4129, 3480, 0, 7258927, 4273352567,
        2562491755, 874979335, 1418916782, 1638133000, 2316875190, 1117813597, 2740599282,
        423528920, 423528920, 2023646235, 2634745468, 2476163375, 499070068,
    ];

    /// ```erlang
    /// Extras =
    ///     [maps:from_list([{I, I} || I <- lists:seq(1, 40)]), #{a => 1, b => [1, 2]}, #{},
    ///      "hello world", [1, 2, 3, 4, 5, 6, 7, 8, 9], [256, 1], [$a, $b | $c], [a, "b" | []],
    ///      binary:copy(<<"0123456789">>, 10), <<1, 2, 3, 4:5>>, <<5:3>>,
    ///      list_to_atom([233]), list_to_atom([252, 97]), list_to_atom([1000]), '', hello,
    ///      134217727, 134217728, -134217728, -134217729, (1 bsl 59) - 1, -(1 bsl 59), -1, -7,
    ///      0.0, -0.0, 1.5, -1.0e-300,
    ///      {[], [[]], {}}, [[] | []]].
    /// ```
    fn extras(area: &mut LiteralArea) -> Vec<Term> {
        let s = Term::small;
        let atom = |name: &str| Term::atom(crate::term::Atom::intern(name).unwrap());
        let string = |area: &mut LiteralArea, text: &str| {
            let chars: Vec<Term> = text.bytes().map(|b| s(b as i64)).collect();
            build::list(area, &chars)
        };
        let pairs: Vec<(Term, Term)> = (1..=40).map(|i| (s(i), s(i))).collect();
        let mut t = vec![map::from_pairs(area, &pairs).0];
        let one_two = build::list(area, &[s(1), s(2)]);
        t.push(map::from_pairs(area, &[(atom("a"), s(1)), (atom("b"), one_two)]).0);
        t.push(map::from_pairs(area, &[]).0);
        t.push(string(area, "hello world"));
        t.push(build::list(area, &(1..=9).map(s).collect::<Vec<_>>()));
        t.push(build::list(area, &[s(256), s(1)]));
        t.push(build::list_with_tail(area, &[s(97), s(98)], s(99)));
        let b = string(area, "b");
        t.push(build::list(area, &[atom("a"), b]));
        t.push(build::binary(area, &b"0123456789".repeat(10)));
        t.push(build::bitstring(area, &[1, 2, 3, 4 << 3], 29));
        t.push(build::bitstring(area, &[5 << 5], 3));
        for name in ["é", "üa", "Ϩ", "", "hello"] {
            t.push(atom(name));
        }
        for v in [
            134217727,
            134217728,
            -134217728,
            -134217729,
            (1 << 59) - 1,
            -(1 << 59),
            -1,
            -7,
        ] {
            t.push(s(v));
        }
        for f in [0.0, -0.0, 1.5, -1.0e-300] {
            t.push(build::float(area, f));
        }
        let empty_tuple = build::tuple(area, &[]);
        let nil_in_list = build::list(area, &[Term::NIL]);
        t.push(build::tuple(area, &[Term::NIL, nil_in_list, empty_tuple]));
        t.push(build::list(area, &[Term::NIL]));
        t
    }

    #[test]
    fn phash2_is_erlangs() {
        let mut area = LiteralArea::new();
        let sample = crate::term::order::tests::sample_terms(&mut area);
        let got: Vec<u32> = sample.iter().map(|&t| phash2(t)).collect();
        assert_eq!(got, PHASH2_SAMPLE);
        let extras = extras(&mut area);
        let got: Vec<u32> = extras.iter().map(|&t| phash2(t)).collect();
        assert_eq!(got, PHASH2_EXTRAS);
        let got: Vec<u32> = extras.iter().map(|&t| make_hash2(t)).collect();
        assert_eq!(got, HASH2_EXTRAS);
    }

    /// `make_internal_hash(T, 0)` read from erl with
    /// `erts_debug:set_internal_state(available_internal_state, true)` and
    /// `erts_debug:get_internal_state({internal_hash, T})`, for these `T`:
    ///
    /// ```erlang
    /// [0, 1, -1, 1 bsl 59 - 1, -(1 bsl 59), 1 bsl 64, -(1 bsl 64), 1.0, 0.0, -0.0, [], {},
    ///  {1, 2}, "abc", [1 | 2], [300], [1, 2, 3, 4, 5, 300, 6 | 7], <<>>, <<"abc">>,
    ///  binary:copy(<<"0123456789">>, 10), <<1, 2, 3, 4:5>>, #{}, #{1 => 2, 3 => [4]},
    ///  maps:from_list([{I, I} || I <- lists:seq(1, 40)]), list_to_pid("<0.77.3>"),
    ///  list_to_pid("<0.32767.8191>"), list_to_port("#Port<0.9>"),
    ///  list_to_port("#Port<0.123456>"), Ref, {[], [[]], {{}}}]
    /// ```
    ///
    /// where `Ref` is the local ref with ids `[5, 6, 7]` (`binary_to_term` of
    /// a NEWER_REFERENCE_EXT).
    #[test]
    fn internal_hash_is_erlangs() {
        const EXPECTED: [u32; 30] = [
            3620831944, 2441450838, 559702020, 2748343757, 767231620, 1670597026, 1776020955,
            1476340101, 2778859731, 2778859731, 2464209347, 904478834, 240741374, 4050146831,
            813403020, 3431643858, 1506094169, 3580844982, 298319117, 1509164731, 3100549020,
            4050418618, 99360246, 2742925189, 2180052302, 3115696546, 4034794312, 3682114213,
            2122491385, 4292670992,
        ];
        let mut area = LiteralArea::new();
        let s = Term::small;
        let list = |area: &mut LiteralArea, items: &[i64]| {
            build::list(area, &items.iter().map(|&i| s(i)).collect::<Vec<_>>())
        };
        let mut t = vec![s(0), s(1), s(-1), s((1 << 59) - 1), s(-(1 << 59))];
        t.push(build::big_from_limbs(&mut area, false, &[0, 1]));
        t.push(build::big_from_limbs(&mut area, true, &[0, 1]));
        for f in [1.0, 0.0, -0.0] {
            t.push(build::float(&mut area, f));
        }
        t.push(Term::NIL);
        t.push(build::tuple(&mut area, &[]));
        t.push(build::tuple(&mut area, &[s(1), s(2)]));
        t.push(list(&mut area, &[97, 98, 99]));
        t.push(build::cons(&mut area, s(1), s(2)));
        t.push(list(&mut area, &[300]));
        let items: Vec<Term> = [1, 2, 3, 4, 5, 300, 6].map(s).to_vec();
        t.push(build::list_with_tail(&mut area, &items, s(7)));
        t.push(build::binary(&mut area, b""));
        t.push(build::binary(&mut area, b"abc"));
        t.push(build::binary(&mut area, &b"0123456789".repeat(10)));
        t.push(build::bitstring(&mut area, &[1, 2, 3, 4 << 3], 29));
        t.push(map::from_pairs(&mut area, &[]).0);
        let four = list(&mut area, &[4]);
        t.push(map::from_pairs(&mut area, &[(s(1), s(2)), (s(3), four)]).0);
        let pairs: Vec<(Term, Term)> = (1..=40).map(|i| (s(i), s(i))).collect();
        t.push(map::from_pairs(&mut area, &pairs).0);
        t.push(Term::local_pid(LocalPid {
            number: 77,
            serial: 3,
        }));
        t.push(Term::local_pid(LocalPid {
            number: 32767,
            serial: 8191,
        }));
        t.push(Term::local_port(9));
        t.push(Term::local_port(123456));
        t.push(build::reference(&mut area, atoms::NONODE, 0, &[5, 6, 7]));
        let empty = build::tuple(&mut area, &[]);
        let nested = build::tuple(&mut area, &[empty]);
        let nil_list = build::list(&mut area, &[Term::NIL]);
        t.push(build::tuple(&mut area, &[Term::NIL, nil_list, nested]));
        let got: Vec<u32> = t.iter().map(|&term| internal_hash(term, 0)).collect();
        assert_eq!(got, EXPECTED);
    }
}
