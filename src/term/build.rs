//! Building terms in a [`TermAlloc`] area, in the layouts [`BoxKind`]
//! documents. Every constructor writes all the words it allocates.

use std::sync::Arc;

use num_bigint::{BigInt, Sign};

use super::{make_header, Atom, BoxKind, LocalPid, Term, PID_SERIAL_MAX};
use crate::code::{Export, FunEntry};
use crate::heap::{BinaryBuf, Resource, TermAlloc};

/// Binaries up to this many bytes live on the heap; larger ones off it.
pub const HEAP_BINARY_MAX: usize = 64;

/// Allocates a boxed object of `kind` with `arity` words after the header,
/// writes the header and the words from `fill`, and returns the boxed term.
fn boxed(
    heap: &mut impl TermAlloc,
    kind: BoxKind,
    arity: usize,
    fill: impl FnOnce(&mut [u64]),
) -> Term {
    let ptr = heap.alloc_words(arity + 1);
    // SAFETY: the area handed out `arity + 1` writable words at `ptr`, which
    // nothing else refers to yet; we initialise every one of them (the payload
    // is zeroed before `fill` so no word stays uninitialised) before making
    // the term.
    unsafe {
        ptr.write(make_header(kind, arity));
        let payload = std::slice::from_raw_parts_mut(ptr.add(1), arity);
        payload.fill(0);
        fill(payload);
        Term::from_boxed_ptr(ptr)
    }
}

/// `{Elements...}`.
pub fn tuple(heap: &mut impl TermAlloc, elements: &[Term]) -> Term {
    boxed(heap, BoxKind::Tuple, elements.len(), |w| {
        for (slot, e) in w.iter_mut().zip(elements) {
            *slot = e.raw();
        }
    })
}

/// Overwrites element `index` (0-based) of `tuple` in place, as BEAM's
/// `set_tuple_element` does.
///
/// # Safety
/// `tuple` must be a tuple with more than `index` elements, built by the
/// calling process since its last garbage collection and not yet visible to
/// anything that expects it unchanged (the compiler emits the instruction
/// only right after building the tuple). `value` must be a valid term.
pub unsafe fn set_tuple_element(tuple: Term, index: usize, value: Term) {
    debug_assert!(tuple.as_tuple().is_some_and(|e| index < e.len()));
    // SAFETY: the caller guarantees a live tuple with more than `index`
    // elements that nothing else reads; element `index` is the word after
    // the header at offset `index`.
    (tuple.boxed_ptr() as *mut u64)
        .add(1 + index)
        .write(value.raw());
}

/// `[Head | Tail]`.
pub fn cons(heap: &mut impl TermAlloc, head: Term, tail: Term) -> Term {
    let ptr = heap.alloc_words(2);
    // SAFETY: two fresh words, both written before the term is made.
    unsafe {
        ptr.write(head.raw());
        ptr.add(1).write(tail.raw());
        Term::from_cons_ptr(ptr as *const Term)
    }
}

/// A list of `elements` ending in `tail` (`[]` for a proper list).
pub fn list_with_tail(heap: &mut impl TermAlloc, elements: &[Term], tail: Term) -> Term {
    elements
        .iter()
        .rev()
        .fold(tail, |acc, &e| cons(heap, e, acc))
}

/// A proper list.
pub fn list(heap: &mut impl TermAlloc, elements: &[Term]) -> Term {
    list_with_tail(heap, elements, Term::NIL)
}

pub fn float(heap: &mut impl TermAlloc, value: f64) -> Term {
    boxed(heap, BoxKind::Float, 1, |w| w[0] = value.to_bits())
}

/// An integer: an immediate when it fits, else a bignum.
pub fn int(heap: &mut impl TermAlloc, value: i64) -> Term {
    match Term::try_small(value) {
        Some(t) => t,
        None => big_from_limbs(heap, value < 0, &[value.unsigned_abs()]),
    }
}

/// An integer from sign and magnitude limbs (least significant first),
/// normalised: leading zero limbs dropped, an immediate when it fits.
pub fn big_from_limbs(heap: &mut impl TermAlloc, negative: bool, limbs: &[u64]) -> Term {
    let len = limbs.iter().rposition(|&l| l != 0).map_or(0, |i| i + 1);
    let limbs = &limbs[..len];
    if len <= 1 {
        let magnitude = limbs.first().copied().unwrap_or(0);
        if magnitude <= super::SMALL_MAX as u64 {
            let v = magnitude as i64;
            return Term::small(if negative { -v } else { v });
        }
        if negative && magnitude == 1 << 59 {
            return Term::small(super::SMALL_MIN);
        }
    }
    let kind = if negative {
        BoxKind::NegBig
    } else {
        BoxKind::PosBig
    };
    boxed(heap, kind, len, |w| w.copy_from_slice(limbs))
}

/// An integer from a `BigInt`.
pub fn bigint(heap: &mut impl TermAlloc, value: &BigInt) -> Term {
    let (sign, limbs) = value.to_u64_digits();
    big_from_limbs(heap, sign == Sign::Minus, &limbs)
}

/// The value of any integer term as a `BigInt`.
pub fn to_bigint(term: Term) -> Option<BigInt> {
    match term.view() {
        super::View::Small(v) => Some(BigInt::from(v)),
        super::View::Big { negative, limbs } => {
            let magnitude = num_bigint::BigUint::from_slice(
                &limbs
                    .iter()
                    .flat_map(|l| [*l as u32, (*l >> 32) as u32])
                    .collect::<Vec<u32>>(),
            );
            let sign = if negative { Sign::Minus } else { Sign::Plus };
            Some(BigInt::from_biguint(sign, magnitude))
        }
        _ => None,
    }
}

/// A binary holding a copy of `bytes`: on the heap when small, else off it.
pub fn binary(heap: &mut impl TermAlloc, bytes: &[u8]) -> Term {
    if bytes.len() <= HEAP_BINARY_MAX {
        let words = bytes.len().div_ceil(8);
        boxed(heap, BoxKind::HeapBinary, 1 + words, |w| {
            w[0] = bytes.len() as u64;
            // SAFETY: `w[1..]` is `words * 8 >= bytes.len()` bytes long.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    bytes.as_ptr(),
                    w[1..].as_mut_ptr() as *mut u8,
                    bytes.len(),
                );
            }
        })
    } else {
        refc_binary(heap, BinaryBuf::new(bytes.into()))
    }
}

/// A binary over an off-heap buffer (shared, not copied).
pub fn refc_binary(heap: &mut impl TermAlloc, buf: Arc<BinaryBuf>) -> Term {
    let len = buf.bytes().len() as u64;
    let raw = Arc::as_ptr(&buf) as u64;
    let term = boxed(heap, BoxKind::RefcBinary, 3, |w| {
        w[0] = len;
        w[1] = raw;
        w[2] = 0;
    });
    // SAFETY: `boxed` just allocated the object from `heap` and wrote all of
    // it, its buffer word being `raw`; it is adopted only here.
    unsafe { heap.adopt_binary(term.boxed_ptr() as *mut u64, buf) };
    term
}

/// A bitstring of `bit_len` bits taken from the start of `bytes` (the unused
/// low bits of a partial last byte are ignored).
pub fn bitstring(heap: &mut impl TermAlloc, bytes: &[u8], bit_len: u64) -> Term {
    let whole = (bit_len / 8) as usize;
    let extra = (bit_len % 8) as u8;
    if extra == 0 {
        return binary(heap, &bytes[..whole]);
    }
    let mut data = bytes[..=whole].to_vec();
    data[whole] &= 0xFFu8 << (8 - extra);
    let original = binary(heap, &data);
    sub_binary(heap, original, 0, whole as u64, extra, 0)
}

/// A sub binary of `byte_size` bytes and `bit_size` extra bits, starting
/// `byte_offset` bytes and `bit_offset` bits into `original`, which must be
/// a heap or refc binary large enough to hold it.
pub fn sub_binary(
    heap: &mut impl TermAlloc,
    original: Term,
    byte_offset: u64,
    byte_size: u64,
    bit_size: u8,
    bit_offset: u8,
) -> Term {
    debug_assert!(matches!(
        original.box_kind(),
        Some(BoxKind::HeapBinary | BoxKind::RefcBinary)
    ));
    debug_assert!(bit_size < 8 && bit_offset < 8);
    boxed(heap, BoxKind::SubBinary, 4, |w| {
        w[0] = byte_size;
        w[1] = byte_offset;
        w[2] = bit_size as u64 | (bit_offset as u64) << 8;
        w[3] = original.raw();
    })
}

/// `bit_len` bits of the bitstring `bits` from bit `bit_offset` on (a range
/// within it), made as erts's `erts_extract_sub_binary` makes them: a heap
/// binary holding a copy when they are at most [`HEAP_BINARY_MAX`] whole
/// bytes, else a sub binary of the binary that holds them.
pub fn extract_sub_binary(
    heap: &mut impl TermAlloc,
    bits: Term,
    bit_offset: u64,
    bit_len: u64,
) -> Term {
    let (Some((original, start)), super::View::Bitstring(view)) =
        (bits.binary_origin(), bits.view())
    else {
        panic!("extract_sub_binary of a term that is not a bitstring")
    };
    if bit_len.is_multiple_of(8) && bit_len / 8 <= HEAP_BINARY_MAX as u64 {
        let slice = view.slice(bit_offset, bit_len);
        let bytes: Vec<u8> = (0..slice.byte_len()).map(|i| slice.byte(i)).collect();
        return binary(heap, &bytes);
    }
    let at = start + bit_offset;
    sub_binary(
        heap,
        original,
        at / 8,
        bit_len / 8,
        (bit_len % 8) as u8,
        (at % 8) as u8,
    )
}

/// `fun M:F/A`.
pub fn export_fun(heap: &mut impl TermAlloc, export: &'static Export) -> Term {
    boxed(heap, BoxKind::Export, 1, |w| {
        w[0] = export as *const Export as u64
    })
}

/// A closure over `free` variables, created by `creator`.
pub fn closure(
    heap: &mut impl TermAlloc,
    entry: &'static FunEntry,
    creator: Term,
    free: &[Term],
) -> Term {
    boxed(heap, BoxKind::Fun, 2 + free.len(), |w| {
        w[0] = entry as *const FunEntry as u64;
        w[1] = creator.raw();
        for (slot, t) in w[2..].iter_mut().zip(free) {
            *slot = t.raw();
        }
    })
}

fn pack_ids(words: &mut [u64], ids: &[u32]) {
    for (i, id) in ids.iter().enumerate() {
        words[i / 2] |= (*id as u64) << (32 * (i % 2));
    }
}

/// A reference with these 32-bit id words (least significant first):
/// local when the node is this one, external otherwise.
pub fn reference(heap: &mut impl TermAlloc, node: Atom, creation: u32, ids: &[u32]) -> Term {
    let packed = ids.len().div_ceil(2);
    if is_this_node(node, creation) {
        boxed(heap, BoxKind::Ref, 1 + packed, |w| {
            w[0] = ids.len() as u64;
            pack_ids(&mut w[1..], ids);
        })
    } else {
        boxed(heap, BoxKind::ExternalRef, 2 + packed, |w| {
            w[0] = Term::atom(node).raw();
            w[1] = creation as u64 | (ids.len() as u64) << 32;
            pack_ids(&mut w[2..], ids);
        })
    }
}

/// A resource reference of this node with these 32-bit id words (at most
/// four; a new one takes a fresh key as `make_ref/0` does): it prints,
/// compares and encodes as a local reference, and keeps `resource` alive
/// while any copy of it does.
pub fn resource_ref(heap: &mut impl TermAlloc, ids: &[u32], resource: Arc<Resource>) -> Term {
    assert!(ids.len() <= 4, "a resource reference has at most four ids");
    let raw = Arc::as_ptr(&resource) as u64;
    let term = boxed(heap, BoxKind::ResourceRef, 5, |w| {
        w[0] = ids.len() as u64;
        w[1] = raw;
        w[2] = 0;
        pack_ids(&mut w[3..], ids);
    });
    // SAFETY: `boxed` just allocated the object from `heap` and wrote all of
    // it, its resource word being `raw`; it is adopted only here.
    unsafe { heap.adopt_resource(term.boxed_ptr() as *mut u64, resource) };
    term
}

/// A pid: an immediate when it is this node's, boxed otherwise.
pub fn pid(heap: &mut impl TermAlloc, node: Atom, number: u32, serial: u32, creation: u32) -> Term {
    if is_this_node(node, creation) && serial <= PID_SERIAL_MAX {
        Term::local_pid(LocalPid { number, serial })
    } else {
        boxed(heap, BoxKind::ExternalPid, 3, |w| {
            w[0] = Term::atom(node).raw();
            w[1] = number as u64 | (serial as u64) << 32;
            w[2] = creation as u64;
        })
    }
}

/// A port: an immediate when it is this node's, boxed otherwise.
pub fn port(heap: &mut impl TermAlloc, node: Atom, number: u64, creation: u32) -> Term {
    if is_this_node(node, creation) && number < 1 << 60 {
        Term::local_port(number)
    } else {
        boxed(heap, BoxKind::ExternalPort, 3, |w| {
            w[0] = Term::atom(node).raw();
            w[1] = number;
            w[2] = creation as u64;
        })
    }
}

/// The name and creation of this (non-distributed) node.
pub fn is_this_node(node: Atom, creation: u32) -> bool {
    node == super::atoms::NONODE && creation == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::LiteralArea;
    use crate::term::View;

    #[test]
    fn tuples_lists_and_floats_read_back() {
        let mut area = LiteralArea::new();
        let f = float(&mut area, 2.5);
        let l = list(&mut area, &[Term::small(1), f]);
        let t = tuple(&mut area, &[l, Term::NIL, Term::small(-3)]);
        let elems = t.as_tuple().unwrap();
        assert_eq!(elems.len(), 3);
        assert_eq!(elems[2].as_small(), Some(-3));
        let items = elems[0].list_to_vec().unwrap();
        assert_eq!(items[0].as_small(), Some(1));
        assert_eq!(items[1].as_float(), Some(2.5));
        let improper = list_with_tail(&mut area, &[Term::small(1)], Term::small(2));
        assert!(improper.list_to_vec().is_none());
    }

    #[test]
    fn integers_normalise_between_small_and_big() {
        let mut area = LiteralArea::new();
        assert!(int(&mut area, super::super::SMALL_MAX).is_small());
        let big = int(&mut area, i64::MAX);
        assert!(matches!(
            big.view(),
            View::Big {
                negative: false,
                ..
            }
        ));
        assert_eq!(to_bigint(big), Some(BigInt::from(i64::MAX)));
        let min = int(&mut area, i64::MIN);
        assert_eq!(to_bigint(min), Some(BigInt::from(i64::MIN)));
        assert!(big_from_limbs(&mut area, true, &[1 << 59, 0]).is_small());
        let huge: BigInt = BigInt::from(7u8).pow(100u32) * -1;
        assert_eq!(to_bigint(bigint(&mut area, &huge)), Some(huge));
    }

    #[test]
    fn binaries_and_bitstrings_read_back() {
        let mut area = LiteralArea::new();
        for len in [0usize, 1, 8, 64, 65, 1000] {
            let bytes: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let b = binary(&mut area, &bytes);
            let View::Bitstring(bits) = b.view() else {
                panic!()
            };
            assert_eq!(bits.as_bytes(), Some(&bytes[..]));
        }
        let b = bitstring(&mut area, &[1, 2, 0b1010_1111], 19);
        let View::Bitstring(bits) = b.view() else {
            panic!()
        };
        assert_eq!(bits.bit_len, 19);
        assert_eq!(bits.as_bytes(), None);
        assert_eq!(bits.to_padded_vec(), vec![1, 2, 0b1010_0000]);
    }

    #[test]
    fn resource_refs_are_references_to_everything_but_their_object() {
        use crate::heap::Resource;
        use crate::term::{atoms, hash, order, print};
        let mut area = LiteralArea::new();
        let object = Resource::new(String::from("native"));
        let with = resource_ref(&mut area, &[3, 2, 1], object.clone());
        let plain = reference(&mut area, atoms::NONODE, 0, &[3, 2, 1]);
        let other = reference(&mut area, atoms::NONODE, 0, &[4, 2, 1]);
        assert_eq!(with.box_kind(), Some(BoxKind::ResourceRef));
        assert!(matches!(with.view(), View::Ref(r) if r.ids().eq([3, 2, 1])));
        // erl: list_to_ref("#Ref<0.1.2.3>") prints so; a resource
        // reference with the same ids prints, compares, hashes and encodes
        // as that reference does.
        assert_eq!(print::to_string(with), "#Ref<0.1.2.3>");
        assert!(order::exact_eq(with, plain));
        assert!(order::compare(with, other).is_lt());
        assert_eq!(hash::phash2(with), hash::phash2(plain));
        assert_eq!(hash::internal_hash(with, 0), hash::internal_hash(plain, 0));
        let options = crate::etf::EncodeOptions::default();
        assert_eq!(
            crate::etf::encode(with, options),
            crate::etf::encode(plain, options)
        );
        let held = with.resource().expect("a resource reference");
        assert!(Arc::ptr_eq(&held, &object));
        assert_eq!(held.downcast_ref::<String>().unwrap(), "native");
        assert!(plain.resource().is_none());
        assert_eq!(Arc::strong_count(&object), 3, "ours, the area's, `held`");
        drop(area);
        assert_eq!(Arc::strong_count(&object), 2);
    }

    #[test]
    fn extracted_slices_copy_small_whole_bytes_and_share_the_rest() {
        let mut area = LiteralArea::new();
        let bytes: Vec<u8> = (0..200).map(|i| i as u8).collect();
        let big = binary(&mut area, &bytes);
        let bits_of = |t: Term| match t.view() {
            View::Bitstring(b) => b.to_padded_vec(),
            _ => panic!("not a bitstring"),
        };
        // At most 64 whole bytes: a heap binary of its own.
        let small = extract_sub_binary(&mut area, big, 8 * 10, 8 * 64);
        assert_eq!(small.box_kind(), Some(BoxKind::HeapBinary));
        assert_eq!(bits_of(small), bytes[10..74]);
        // More: a slice of the refc binary, and a slice of that slice
        // refers to the refc binary too.
        let shared = extract_sub_binary(&mut area, big, 8 * 10, 8 * 100);
        assert_eq!(shared.binary_origin(), Some((big, 80)));
        let inner = extract_sub_binary(&mut area, shared, 8 * 5, 8 * 90 + 3);
        assert_eq!(inner.binary_origin(), Some((big, 120)));
        let mut expected = bytes[15..106].to_vec();
        expected[90] &= 0b1110_0000;
        assert_eq!(bits_of(inner), expected);
        // A slice that starts inside a byte is realigned when read.
        let odd = extract_sub_binary(&mut area, big, 8 * 100 + 4, 8 * 70);
        assert_eq!(odd.binary_origin(), Some((big, 804)));
        let want: Vec<u8> = (100..170)
            .map(|i| (bytes[i] << 4) | (bytes[i + 1] >> 4))
            .collect();
        assert_eq!(bits_of(odd), want);
        let copied = extract_sub_binary(&mut area, odd, 8, 8 * 3);
        assert_eq!(bits_of(copied), want[1..4]);
    }
}
