//! Binaries and bitstrings: `binary_to_list/1,3`, `bitstring_to_list/1`,
//! `list_to_binary/1`, `list_to_bitstring/1`, `iolist_to_binary/1`,
//! `iolist_size/1`, `split_binary/2`, `binary_part/2,3`, `byte_size/1`,
//! `bit_size/1`.

use super::{binary_bytes, byte_list, term_to_i64, term_to_u64, whole_bytes};
use crate::bif::{Native, NativeResult, Raised};
use crate::term::{build, Bitstring, Term, View};
use crate::vm::process::Process;

fn binary_to_list(process: &mut Process, args: &[Term]) -> NativeResult {
    let bytes = binary_bytes(args[0]).ok_or_else(Raised::badarg)?;
    Ok(byte_list(process, &bytes))
}

/// `binary_to_list(Binary, Start, Stop)`: bytes `Start..=Stop` (from 1) of
/// the whole bytes of a bitstring.
fn binary_to_list_3(process: &mut Process, args: &[Term]) -> NativeResult {
    let View::Bitstring(bits) = args[0].view() else {
        return Err(Raised::badarg());
    };
    let (start, stop) = match (term_to_u64(args[1]), term_to_u64(args[2])) {
        (Some(start), Some(stop)) => (start, stop),
        _ => return Err(Raised::badarg()),
    };
    let size = bits.byte_len() as u64;
    if start < 1 || stop > size || stop < start {
        return Err(Raised::badarg());
    }
    let bytes: Vec<u8> = (start - 1..stop).map(|i| bits.byte(i as usize)).collect();
    Ok(byte_list(process, &bytes))
}

/// `bitstring_to_list/1`: the bytes, then the last bits as a bitstring.
fn bitstring_to_list(process: &mut Process, args: &[Term]) -> NativeResult {
    let View::Bitstring(bits) = args[0].view() else {
        return Err(Raised::badarg());
    };
    let whole = bits.byte_len();
    let mut items: Vec<Term> = (0..whole)
        .map(|i| Term::small(bits.byte(i) as i64))
        .collect();
    if bits.trailing_bits() != 0 {
        let rest = bits.bit_len - whole as u64 * 8;
        items.push(build::extract_sub_binary(
            &mut process.heap,
            args[0],
            whole as u64 * 8,
            rest,
        ));
    }
    Ok(build::list(&mut process.heap, &items))
}

/// Bits appended one byte or bitstring at a time.
#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    bit_len: u64,
}

impl BitWriter {
    fn push_bits(&mut self, value: u8, count: u8) {
        let used = (self.bit_len % 8) as u8;
        let value = value & (0xFFu16 << (8 - count)) as u8;
        if used == 0 {
            self.bytes.push(value);
        } else {
            let last = self.bytes.last_mut().expect("a partial byte");
            *last |= value >> used;
            if used + count > 8 {
                self.bytes.push(value << (8 - used));
            }
        }
        self.bit_len += count as u64;
    }

    fn push_bitstring(&mut self, bits: &Bitstring<'_>) {
        if self.bit_len.is_multiple_of(8) && bits.bit_offset == 0 {
            self.bytes.extend_from_slice(&bits.bytes[..bits.byte_len()]);
            self.bit_len += bits.byte_len() as u64 * 8;
        } else {
            for i in 0..bits.byte_len() {
                self.push_bits(bits.byte(i), 8);
            }
        }
        if bits.trailing_bits() != 0 {
            self.push_bits(bits.byte(bits.byte_len()), bits.trailing_bits());
        }
    }
}

/// `list_to_bitstring/1`: bytes, bitstrings and such lists, with `[]` or a
/// bitstring as any tail.
fn list_to_bitstring(process: &mut Process, args: &[Term]) -> NativeResult {
    match args[0].view() {
        View::Nil => return Ok(build::binary(&mut process.heap, &[])),
        View::Cons(head, tail) if head.is_bitstring() && tail.is_nil() => return Ok(head),
        View::Cons(..) => {}
        _ => return Err(Raised::badarg()),
    }
    let mut out = BitWriter::default();
    let mut pending = vec![args[0]];
    while let Some(term) = pending.pop() {
        match term.view() {
            View::Nil => {}
            View::Cons(head, tail) => {
                pending.push(tail);
                match head.view() {
                    View::Small(b) => {
                        let byte = u8::try_from(b).map_err(|_| Raised::badarg())?;
                        out.push_bits(byte, 8);
                    }
                    View::Cons(..) | View::Nil => pending.push(head),
                    View::Bitstring(bits) => out.push_bitstring(&bits),
                    _ => return Err(Raised::badarg()),
                }
            }
            View::Bitstring(bits) => out.push_bitstring(&bits),
            _ => return Err(Raised::badarg()),
        }
    }
    Ok(build::bitstring(&mut process.heap, &out.bytes, out.bit_len))
}

/// The byte range `(start, length)` that `binary_part(Bin, Pos, Len)` takes
/// from a binary of `size` bytes (a negative `Len` counts back from `Pos`),
/// or `None` where erts's `erts_binary_part` raises `badarg`.
pub(crate) fn part_range(size: u64, pos: Term, len: Term) -> Option<(u64, u64)> {
    let mut pos = term_to_u64(pos)?;
    let len = term_to_i64(len)?;
    let len = if len < 0 {
        let back = len.checked_neg()? as u64;
        pos = pos.checked_sub(back)?;
        back
    } else {
        len as u64
    };
    let end = pos.checked_add(len)?;
    (end <= size).then_some((pos, len))
}

/// `binary_part(Bin, Pos, Len)` of a bitstring (its whole bytes).
pub(crate) fn binary_part(process: &mut Process, bin: Term, pos: Term, len: Term) -> NativeResult {
    let View::Bitstring(bits) = bin.view() else {
        return Err(Raised::badarg());
    };
    let (start, len) = part_range(bits.byte_len() as u64, pos, len).ok_or_else(Raised::badarg)?;
    Ok(build::extract_sub_binary(
        &mut process.heap,
        bin,
        start * 8,
        len * 8,
    ))
}

/// `{Pos, Len}` of `binary_part/2` and `binary:part/2`.
pub(crate) fn pos_len(term: Term) -> Option<(Term, Term)> {
    match term.as_tuple()? {
        &[pos, len] => Some((pos, len)),
        _ => None,
    }
}

fn binary_part_2(process: &mut Process, args: &[Term]) -> NativeResult {
    let (pos, len) = pos_len(args[1]).ok_or_else(Raised::badarg)?;
    binary_part(process, args[0], pos, len)
}

fn binary_part_3(process: &mut Process, args: &[Term]) -> NativeResult {
    binary_part(process, args[0], args[1], args[2])
}

/// `split_binary(Bin, Pos)`: the first `Pos` bytes and the rest (which
/// keeps any last partial byte).
fn split_binary(process: &mut Process, args: &[Term]) -> NativeResult {
    let View::Bitstring(bits) = args[0].view() else {
        return Err(Raised::badarg());
    };
    let at = term_to_u64(args[1])
        .filter(|&at| at <= bits.byte_len() as u64)
        .ok_or_else(Raised::badarg)?;
    let heap = &mut process.heap;
    let left = build::extract_sub_binary(heap, args[0], 0, at * 8);
    let right = build::extract_sub_binary(heap, args[0], at * 8, bits.bit_len - at * 8);
    Ok(build::tuple(heap, &[left, right]))
}

/// Appends the bytes of an iolist (bytes, binaries and iolists, with `[]`
/// or a binary as any tail) to `out`; `None` if it is not one. Walks with
/// an explicit stack so deep nesting cannot overflow.
pub(crate) fn flatten_iolist(iolist: Term, out: &mut Vec<u8>) -> Option<()> {
    let mut pending = vec![iolist];
    while let Some(term) = pending.pop() {
        match term.view() {
            View::Nil => {}
            View::Cons(head, tail) => {
                pending.push(tail);
                match head.view() {
                    View::Small(b) => out.push(u8::try_from(b).ok()?),
                    View::Cons(..) | View::Nil => pending.push(head),
                    View::Bitstring(bits) => out.extend_from_slice(&whole_bytes(&bits)?),
                    _ => return None,
                }
            }
            View::Bitstring(bits) => out.extend_from_slice(&whole_bytes(&bits)?),
            _ => return None,
        }
    }
    Some(())
}

pub(crate) fn list_to_binary(process: &mut Process, args: &[Term]) -> NativeResult {
    if !(args[0].is_list() || args[0].is_nil()) {
        return Err(Raised::badarg());
    }
    iolist_to_binary(process, args)
}

fn iolist_to_binary(process: &mut Process, args: &[Term]) -> NativeResult {
    if args[0].is_bitstring() {
        return binary_bytes(args[0])
            .map(|_| args[0])
            .ok_or_else(Raised::badarg);
    }
    let mut bytes = Vec::new();
    flatten_iolist(args[0], &mut bytes).ok_or_else(Raised::badarg)?;
    Ok(build::binary(&mut process.heap, &bytes))
}

fn iolist_size(_: &mut Process, args: &[Term]) -> NativeResult {
    let mut bytes = Vec::new();
    flatten_iolist(args[0], &mut bytes).ok_or_else(Raised::badarg)?;
    Ok(Term::small(bytes.len() as i64))
}

/// `byte_size/1`: bytes of a bitstring, a partial last byte counted.
fn byte_size(_: &mut Process, args: &[Term]) -> NativeResult {
    match args[0].view() {
        View::Bitstring(b) => Ok(Term::small(b.bit_len.div_ceil(8) as i64)),
        _ => Err(Raised::badarg()),
    }
}

/// `bit_size/1`.
fn bit_size(_: &mut Process, args: &[Term]) -> NativeResult {
    match args[0].view() {
        View::Bitstring(b) => Ok(Term::small(b.bit_len as i64)),
        _ => Err(Raised::badarg()),
    }
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "byte_size"/1 => byte_size,
    "bit_size"/1 => bit_size,
    "binary_to_list"/1 => binary_to_list,
    "binary_to_list"/3 => binary_to_list_3,
    "bitstring_to_list"/1 => bitstring_to_list,
    "list_to_bitstring"/1 => list_to_bitstring,
    "split_binary"/2 => split_binary,
    "binary_part"/2 => binary_part_2,
    "binary_part"/3 => binary_part_3,
    "list_to_binary"/1 => list_to_binary,
    "iolist_to_binary"/1 => iolist_to_binary,
    "iolist_size"/1 => iolist_size,
);

#[cfg(test)]
mod tests {
    use super::super::testing::check;
    use super::*;

    #[test]
    fn binary_conversions_follow_erl() {
        // Expected values printed by erl (~w) for erlang:F(Args).
        check(&[
            (binary_to_list, "[<<1,2,3>>]", "[1,2,3]"),
            (binary_to_list, "[<<1,2,3:3>>]", "{error,badarg}"),
            (binary_to_list, "[[1]]", "{error,badarg}"),
            (list_to_binary, "[[1,[2,<<3>>],<<4:4>>]]", "{error,badarg}"),
            (list_to_binary, "[[1,[2,<<3>>]|<<4>>]]", "<<1,2,3,4>>"),
            (list_to_binary, "[<<1>>]", "{error,badarg}"),
            (list_to_binary, "[[256]]", "{error,badarg}"),
            (list_to_binary, "[[-1]]", "{error,badarg}"),
            (list_to_binary, "[[[]|[]]]", "<<>>"),
            (list_to_binary, "[[1|2]]", "{error,badarg}"),
            (list_to_binary, "[\"abc\"]", "<<97,98,99>>"),
            (iolist_to_binary, "[<<1>>]", "<<1>>"),
            (iolist_to_binary, "[<<1:1>>]", "{error,badarg}"),
            (
                iolist_to_binary,
                "[[<<1,2>>, [[3]], 4 | <<5>>]]",
                "<<1,2,3,4,5>>",
            ),
            (iolist_to_binary, "[a]", "{error,badarg}"),
            (iolist_size, "[[<<1,2>>, [[3]], 4 | <<5>>]]", "5"),
            (iolist_size, "[<<1,2>>]", "2"),
            (iolist_size, "[[a]]", "{error,badarg}"),
        ]);
    }

    #[test]
    fn binaries_starting_inside_a_byte_are_realigned() {
        // erl: <<_:4, B:2/binary, _:4>> = <<16#0F, 16#F0, 16#AB>>,
        // binary_to_list(B) -> [255,10], list_to_binary([B]) -> <<255,10>>.
        let mut p = super::super::testing::process();
        let original = build::binary(&mut p.heap, &[0x0F, 0xF0, 0xAB]);
        let sub = build::sub_binary(&mut p.heap, original, 0, 2, 0, 4);
        let list = binary_to_list(&mut p, &[sub]).unwrap();
        assert_eq!(crate::term::print::to_string(list), "[255,10]");
        let wrapped = build::list(&mut p.heap, &[sub]);
        let joined = list_to_binary(&mut p, &[wrapped]).unwrap();
        assert_eq!(crate::term::print::to_string(joined), "<<255,10>>");
    }
}
