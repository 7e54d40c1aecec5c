//! The simple binary conversions: `binary_to_list/1`, `list_to_binary/1`,
//! `iolist_to_binary/1`, `iolist_size/1`. (The binary milestone brings the
//! rest.)

use super::{binary_bytes, byte_list, whole_bytes};
use crate::bif::{Native, NativeResult, Raised};
use crate::term::{build, Term, View};
use crate::vm::process::Process;

fn binary_to_list(process: &mut Process, args: &[Term]) -> NativeResult {
    let bytes = binary_bytes(args[0]).ok_or_else(Raised::badarg)?;
    Ok(byte_list(process, &bytes))
}

/// Appends the bytes of an iolist (bytes, binaries and iolists, with `[]`
/// or a binary as any tail) to `out`; `None` if it is not one. Walks with
/// an explicit stack so deep nesting cannot overflow.
fn flatten_iolist(iolist: Term, out: &mut Vec<u8>) -> Option<()> {
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

fn list_to_binary(process: &mut Process, args: &[Term]) -> NativeResult {
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
