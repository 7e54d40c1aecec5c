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

/// Unicode character data (code points, UTF-8 binaries, nested lists) as
/// UTF-8, or `None` where `characters_to_binary(Data, unicode)` would not
/// return a binary (for `re`'s unicode subjects and patterns).
pub(crate) fn chardata_to_utf8(process: &mut Process, data: Term) -> Option<Vec<u8>> {
    match chardata::to_utf8(process, data, false)? {
        Outcome::Done(bytes) => Some(bytes),
        Outcome::Error(..) | Outcome::Incomplete(..) => None,
    }
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

#[cfg(test)]
mod tests {
    use crate::bif::testing::check_table;

    /// `(Function, Args, Outcome)`: erl 25.2.3 printed `Outcome` with
    /// `io:format("~w~n", [try unicode:Function(Args...) of V -> {ok, V}
    /// catch error:R -> {error, R} end])`.
    const CASES: &[(&str, &[&str], &str)] = &[
        (
            "characters_to_binary",
            &["[<<195>>, 65]", "utf8"],
            "{ok,{error,<<>>,[<<195>>,[65]]}}",
        ),
        (
            "characters_to_binary",
            &["[<<\"a\",255>>]", "utf8"],
            "{ok,{error,<<97>>,<<255>>}}",
        ),
        (
            "characters_to_list",
            &["[<<\"a\",255>>]", "unicode"],
            "{ok,{error,[97],[<<255>>]}}",
        ),
        (
            "characters_to_binary",
            &["[[1, 99999999999999999999] | atom]", "utf8"],
            "{ok,{error,<<1>>,[[99999999999999999999]|atom]}}",
        ),
        (
            "characters_to_binary",
            &["[[1|atom], 99999999999999999999]", "utf8"],
            "{error,badarg}",
        ),
        (
            "characters_to_binary",
            &["<<224,128>>", "utf8"],
            "{ok,{incomplete,<<>>,<<224,128>>}}",
        ),
        (
            "characters_to_list",
            &["<<224,128>>", "utf8"],
            "{ok,{incomplete,[],<<224,128>>}}",
        ),
        (
            "characters_to_binary",
            &["[<<226>>, <<130>>, <<172, 120>>]", "utf8"],
            "{ok,<<226,130,172,120>>}",
        ),
        (
            "characters_to_binary",
            &["[<<226>>, <<65>>]", "utf8"],
            "{ok,{error,<<>>,<<226,65>>}}",
        ),
        (
            "characters_to_binary",
            &["[97, [98, -1, 99], 100]", "utf8"],
            "{ok,{error,<<97,98>>,[[-1,99],100]}}",
        ),
        (
            "characters_to_binary",
            &["[256]", "latin1"],
            "{ok,{error,<<>>,[256]}}",
        ),
        (
            "characters_to_list",
            &["[228, <<228>>]", "latin1"],
            "{ok,[228,228]}",
        ),
        (
            "characters_to_binary",
            &["<<245>>", "utf8"],
            "{ok,{incomplete,<<>>,<<245>>}}",
        ),
        (
            "characters_to_binary",
            &["<<0,97,216>>", "utf16"],
            "{ok,{incomplete,<<97>>,<<216>>}}",
        ),
        (
            "characters_to_binary",
            &["[<<0,97,216>>, 65]", "utf16"],
            "{ok,{error,<<97>>,[<<216>>,65]}}",
        ),
        (
            "characters_to_binary",
            &["[<<0,97,216>>, <<0>>, <<220, 0, 0>>]", "utf16"],
            "{ok,{incomplete,<<97,240,144,128,128>>,<<0>>}}",
        ),
        (
            "characters_to_binary",
            &["[1,2|<<0,0,0>>]", "{utf32,little}"],
            "{ok,{incomplete,<<1,2>>,<<0,0,0>>}}",
        ),
        (
            "characters_to_list",
            &["<<97,0,98,0,99>>", "{utf16,little}"],
            "{ok,{incomplete,[97,98],<<99>>}}",
        ),
        (
            "characters_to_binary",
            &["[<<\"ab\">>, atom]", "utf16"],
            "{error,badarg}",
        ),
        (
            "characters_to_binary",
            &["[1114112, atom]", "utf32"],
            "{ok,{error,<<>>,[[1114112],atom]}}",
        ),
        (
            "characters_to_binary",
            &["\"a\"", "{utf8,big}"],
            "{error,badarg}",
        ),
        ("bin_is_7bit", &["<<\"abc\">>"], "{ok,true}"),
        ("bin_is_7bit", &["<<128>>"], "{ok,false}"),
        ("bin_is_7bit", &["abc"], "{ok,false}"),
    ];

    #[test]
    fn natives_follow_erl() {
        check_table("unicode", CASES);
    }
}
