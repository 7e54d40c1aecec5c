//! Runs a program of bit-syntax match operations, decoded from bytes, over
//! a bitstring also taken from the bytes, checking what can be stated:
//! nothing panics; the position stays within the bitstring, moves by
//! exactly what a match consumed and not at all when a match fails; every
//! matched value, built again with the same segment type, size and flags,
//! gives back the very bits it was matched from; a collection in the
//! middle changes nothing. Shared by `tests/bits_matcher.rs` and the
//! `match_bits` fuzz target.

use oxbeam::heap::ProcessHeap;
use oxbeam::term::{build, Term, View};
use oxbeam::vm::bits::{self, BitWriter, BuildStyle, Get, Segment, SegmentKind};
use oxbeam::vm::instr::Src;

/// The bits of a bitstring term, padded to bytes, and their count.
fn bits_of(term: Term) -> (Vec<u8>, u64) {
    let View::Bitstring(b) = term.view() else {
        panic!("not a bitstring: {term:?}")
    };
    (b.to_padded_vec(), b.bit_len)
}

/// `n` bits of `bytes` from bit `at`, padded.
fn slice(bytes: &[u8], at: u64, n: u64) -> (Vec<u8>, u64) {
    let mut w = BitWriter::default();
    w.push_bits(bytes, at, n);
    w.into_parts()
}

/// Builds `value` as one segment of `kind`.
fn rebuild(heap: &mut ProcessHeap, kind: SegmentKind, flags: u8, value: Term, size: u64) -> Term {
    let segment = Segment {
        kind,
        flags,
        unit: 1,
        number: 1,
        value: Src::x(0),
        size: Src::x(1),
    };
    let size = Term::small(size as i64);
    bits::create_bin(heap, BuildStyle::Create, &[segment], &[value, size])
        .expect("a matched value builds again")
}

fn position(ctx: Term) -> u64 {
    bits::get_position(ctx)
        .as_small()
        .expect("a small position") as u64
}

/// Runs `data`; returns, per operation code (0..10), how many matches
/// succeeded, so callers can see the valid paths were reached.
pub fn run(data: &[u8]) -> [usize; 10] {
    let mut hits = [0; 10];
    let Some((&head, rest)) = data.split_first() else {
        return hits;
    };
    let program_len = (2 * (head as usize >> 3)).min(rest.len());
    let (program, payload) = rest.split_at(program_len);
    let lead = (head & 7) as u64;
    let mut heap = ProcessHeap::new();
    // The subject: the payload less its first `lead` bits, so that it is
    // a sub binary starting inside a byte when `lead` is not 0.
    let whole = build::binary(&mut heap, payload);
    let ctx0 = bits::start_match(&mut heap, whole).expect("a binary");
    let mut subject = match bits::get(&mut heap, Get::Skip, 0, 1, ctx0, Term::small(lead as i64)) {
        Some(_) => bits::get_tail(&mut heap, ctx0).expect("a context"),
        None => whole,
    };
    let (reference, len) = bits_of(subject);
    let mut ctx = bits::start_match(&mut heap, subject).expect("a bitstring");
    // Positions count from the start of the binary holding the bits.
    let base = position(ctx);
    let end = base + len;
    let mut saved = vec![base];
    for op in program.chunks_exact(2) {
        let (code, param) = (op[0], op[1] as u64);
        let flags = code >> 4 & (bits::FLAG_LITTLE | bits::FLAG_SIGNED);
        let at = position(ctx);
        assert!(at <= end, "position {at} past the end {end}");
        let left = end - at;
        let get = |heap: &mut ProcessHeap, g: Get, unit: u16, size: i64| {
            bits::get(heap, g, flags, unit, ctx, Term::small(size))
        };
        let before = position(ctx);
        match code % 10 {
            0 => {
                let n = param % 80;
                match get(&mut heap, Get::Integer, 1, n as i64) {
                    Some(v) => {
                        assert_eq!(position(ctx), at + n);
                        let again = rebuild(&mut heap, SegmentKind::Integer, flags, v, n);
                        assert_eq!(bits_of(again), slice(&reference, at - base, n));
                    }
                    None => assert!(n > left && position(ctx) == at),
                }
            }
            1 => {
                let n = [16, 32, 64][(param % 3) as usize];
                match get(&mut heap, Get::Float, 1, n as i64) {
                    Some(v) => {
                        assert_eq!(position(ctx), at + n);
                        let again = rebuild(&mut heap, SegmentKind::Float, flags, v, n);
                        assert_eq!(bits_of(again), slice(&reference, at - base, n));
                    }
                    None => assert_eq!(position(ctx), at),
                }
            }
            2 | 3 => {
                let unit = if param & 1 == 0 { 1 } else { 8 };
                let size = (param >> 1) as i64 % 12;
                let kind = if code % 10 == 2 {
                    Get::Binary
                } else {
                    Get::Skip
                };
                let n = size as u64 * unit as u64;
                match get(&mut heap, kind, unit, size) {
                    Some(v) => {
                        assert_eq!(position(ctx), at + n);
                        if kind == Get::Binary {
                            assert_eq!(bits_of(v), slice(&reference, at - base, n));
                        }
                    }
                    None => assert!(n > left && position(ctx) == at),
                }
            }
            4..=6 => {
                let (g, kind) = match code % 10 {
                    4 => (Get::Utf8, SegmentKind::Utf8),
                    5 => (Get::Utf16, SegmentKind::Utf16),
                    _ => (Get::Utf32, SegmentKind::Utf32),
                };
                match get(&mut heap, g, 1, 0) {
                    Some(v) => {
                        let n = position(ctx) - at;
                        let again = rebuild(&mut heap, kind, flags, v, 0);
                        assert_eq!(bits_of(again), slice(&reference, at - base, n));
                    }
                    None => assert_eq!(position(ctx), at),
                }
            }
            7 => {
                let unit = param % 17 + 1;
                assert!(bits::test_tail(ctx, Term::small(left as i64)));
                assert!(!bits::test_tail(ctx, Term::small(left as i64 + 1)));
                assert_eq!(
                    bits::test_unit(ctx, Term::small(unit as i64)),
                    left.is_multiple_of(unit)
                );
                saved.push(at);
                hits[7] += 1;
            }
            8 => {
                let to = saved[(param as usize) % saved.len()];
                bits::set_position(ctx, Term::small(to as i64));
                assert_eq!(position(ctx), to);
                hits[8] += 1;
            }
            _ => {
                hits[9] += 1;
                let tail = bits::get_tail(&mut heap, ctx).expect("a context");
                assert_eq!(bits_of(tail), slice(&reference, at - base, left));
                let mut x = [ctx, subject, tail];
                heap.garbage_collect(param as usize, &mut x, &mut [])
                    .expect("no heap limit");
                (ctx, subject) = (x[0], x[1]);
                assert_eq!(position(ctx), at);
                assert_eq!(bits_of(x[1]), (reference.clone(), len));
                assert_eq!(bits_of(x[2]), slice(&reference, at - base, left));
            }
        }
        if (code % 10) < 7 && position(ctx) != before {
            hits[(code % 10) as usize] += 1;
        }
    }
    hits
}
