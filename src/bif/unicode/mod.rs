//! The natives of OTP's `unicode` module: `characters_to_binary/2`,
//! `characters_to_list/2` and `bin_is_7bit/1` (the rest of the module is
//! Erlang code over them).
//!
//! erts converts Latin-1 and UTF-8 data itself (`chardata.rs`) and passes
//! UTF-16 and UTF-32 to Erlang code in `unicode.erl`, whose results and
//! errors `utf16_32.rs` reproduces. Either way a failure is `badarg` with
//! this native's frame on top, as erl reports it.

mod chardata;
mod utf16_32;

use chardata::Outcome;
use utf16_32::{Walked, Wide};

use super::erlang::atom;
use crate::bif::{Native, NativeResult, Raised};
use crate::term::{build, Atom, Term, View};
use crate::vm::process::Process;

/// An input encoding.
enum Encoding {
    Latin1,
    Utf8,
    Wide(Wide),
}

fn encoding_arg(term: Term) -> Option<Encoding> {
    let big_endian = |t: Term| match t.as_atom().map(Atom::name) {
        Some("big") => Some(true),
        Some("little") => Some(false),
        _ => None,
    };
    if let Some(&[width, order]) = term.as_tuple() {
        let big = big_endian(order)?;
        return match width.as_atom().map(Atom::name) {
            Some("utf16") => Some(Encoding::Wide(Wide::Utf16 { big })),
            Some("utf32") => Some(Encoding::Wide(Wide::Utf32 { big })),
            _ => None,
        };
    }
    match term.as_atom().map(Atom::name)? {
        "latin1" => Some(Encoding::Latin1),
        "unicode" | "utf8" => Some(Encoding::Utf8),
        "utf16" => Some(Encoding::Wide(Wide::Utf16 { big: true })),
        "utf32" => Some(Encoding::Wide(Wide::Utf32 { big: true })),
        _ => None,
    }
}

/// A conversion's result: the UTF-8 so far, and how it ended.
enum Result8 {
    Done(Vec<u8>),
    Error(Vec<u8>, Term),
    Incomplete(Vec<u8>, Term),
}

/// Converts `data` in `encoding` to UTF-8; `badarg` where erl raises it.
fn convert(process: &mut Process, data: Term, encoding: Encoding) -> Result<Result8, Raised> {
    let converted = match encoding {
        Encoding::Latin1 | Encoding::Utf8 => {
            let latin1 = matches!(encoding, Encoding::Latin1);
            match chardata::to_utf8(process, data, latin1).ok_or_else(Raised::badarg)? {
                Outcome::Done(bytes) => Result8::Done(bytes),
                Outcome::Error(bytes, rest) => Result8::Error(bytes, rest),
                Outcome::Incomplete(bytes, rest) => Result8::Incomplete(bytes, rest),
            }
        }
        Encoding::Wide(wide) => {
            match utf16_32::to_utf8(process, data, wide).ok_or_else(Raised::badarg)? {
                Walked::Done(bytes) => Result8::Done(bytes),
                Walked::Error(bytes, rest) => Result8::Error(bytes, rest),
                Walked::Incomplete(bytes, rest) => {
                    let rest = build::binary(&mut process.heap, &rest);
                    Result8::Incomplete(bytes, rest)
                }
            }
        }
    };
    Ok(converted)
}

/// `{Tag, Converted, Rest}`, or the converted term alone.
fn result_term(
    process: &mut Process,
    result: Result8,
    make: impl Fn(&mut Process, &[u8]) -> Term,
) -> Term {
    let (tag, bytes, rest) = match result {
        Result8::Done(bytes) => return make(process, &bytes),
        Result8::Error(bytes, rest) => ("error", bytes, rest),
        Result8::Incomplete(bytes, rest) => ("incomplete", bytes, rest),
    };
    let converted = make(process, &bytes);
    build::tuple(&mut process.heap, &[atom(tag), converted, rest])
}

fn utf8_binary(process: &mut Process, bytes: &[u8]) -> Term {
    build::binary(&mut process.heap, bytes)
}

/// The code points of valid UTF-8.
fn utf8_list(process: &mut Process, bytes: &[u8]) -> Term {
    let text = std::str::from_utf8(bytes).expect("conversions make valid UTF-8");
    let chars: Vec<Term> = text.chars().map(|c| Term::small(c as i64)).collect();
    build::list(&mut process.heap, &chars)
}

/// `characters_to_binary(Data, InEncoding)`: UTF-8. erts reads `[Binary]`
/// as `Binary`, which shows in the rest of an error.
fn characters_to_binary(process: &mut Process, args: &[Term]) -> NativeResult {
    let encoding = encoding_arg(args[1]).ok_or_else(Raised::badarg)?;
    let data = match (&encoding, args[0].view()) {
        (Encoding::Latin1 | Encoding::Utf8, View::Cons(head, tail))
            if head.is_bitstring() && tail.is_nil() =>
        {
            head
        }
        _ => args[0],
    };
    let result = convert(process, data, encoding)?;
    Ok(result_term(process, result, utf8_binary))
}

/// `characters_to_list(Data, InEncoding)`: code points.
fn characters_to_list(process: &mut Process, args: &[Term]) -> NativeResult {
    let encoding = encoding_arg(args[1]).ok_or_else(Raised::badarg)?;
    let result = convert(process, args[0], encoding)?;
    Ok(result_term(process, result, utf8_list))
}

/// `bin_is_7bit(Binary)`: is every byte below 128? (`false` for anything
/// but a binary.)
fn bin_is_7bit(_: &mut Process, args: &[Term]) -> NativeResult {
    let ascii = super::erlang::binary_bytes(args[0]).is_some_and(|b| b.is_ascii());
    Ok(Term::bool(ascii))
}

pub(crate) const NATIVES: &[Native] = crate::natives!("unicode";
    "characters_to_binary"/2 => characters_to_binary,
    "characters_to_list"/2 => characters_to_list,
    "bin_is_7bit"/1 => bin_is_7bit,
);
