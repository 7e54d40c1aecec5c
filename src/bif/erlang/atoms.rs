//! Atoms and their text: `atom_to_list/1`, `list_to_atom/1`,
//! `list_to_existing_atom/1`, `atom_to_binary/1,2`, `binary_to_atom/1,2`,
//! `binary_to_existing_atom/1,2`.

use super::{char_list, whole_bytes};
use crate::bif::{Native, NativeResult, Raised};
use crate::term::atom::{AtomError, MAX_ATOM_CHARS};
use crate::term::{build, Atom, Term, View};
use crate::vm::process::Process;

/// Why text cannot name an atom: erl raises `badarg` or `system_limit`.
enum TextError {
    Badarg,
    TooLong,
}

impl From<TextError> for Raised {
    fn from(e: TextError) -> Raised {
        match e {
            TextError::Badarg => Raised::badarg(),
            TextError::TooLong => Raised::system_limit(),
        }
    }
}

/// The text of a list of code points, as `list_to_atom/1` reads it: a
/// 256th element is `system_limit` whatever follows; before that anything
/// but a Unicode scalar value, or an improper list, is `badarg`.
fn atom_text_of_list(list: Term) -> Result<String, TextError> {
    let mut text = String::new();
    let mut count = 0;
    let mut rest = list;
    loop {
        match rest.as_cons() {
            None if rest.is_nil() => return Ok(text),
            None => return Err(TextError::Badarg),
            Some((head, tail)) => {
                if count == MAX_ATOM_CHARS {
                    return Err(TextError::TooLong);
                }
                let c = head
                    .as_small()
                    .and_then(|v| u32::try_from(v).ok())
                    .and_then(char::from_u32)
                    .ok_or(TextError::Badarg)?;
                text.push(c);
                count += 1;
                rest = tail;
            }
        }
    }
}

fn intern(text: &str) -> NativeResult {
    match Atom::intern(text) {
        Ok(a) => Ok(Term::atom(a)),
        Err(AtomError::TooLong | AtomError::TableFull) => Err(Raised::system_limit()),
    }
}

fn atom_to_list(process: &mut Process, args: &[Term]) -> NativeResult {
    let atom = args[0].as_atom().ok_or_else(Raised::badarg)?;
    Ok(char_list(process, atom.name()))
}

fn list_to_atom(_: &mut Process, args: &[Term]) -> NativeResult {
    intern(&atom_text_of_list(args[0])?)
}

fn list_to_existing_atom(_: &mut Process, args: &[Term]) -> NativeResult {
    let text = atom_text_of_list(args[0]).map_err(|_| Raised::badarg())?;
    Atom::existing(&text)
        .map(Term::atom)
        .ok_or_else(Raised::badarg)
}

/// The encodings `atom_to_binary/2` and `binary_to_atom/2` take.
#[derive(Clone, Copy, PartialEq)]
enum Encoding {
    Latin1,
    Utf8,
}

fn encoding_arg(term: Term) -> Result<Encoding, Raised> {
    match term.as_atom().map(Atom::name) {
        Some("latin1") => Ok(Encoding::Latin1),
        Some("utf8" | "unicode") => Ok(Encoding::Utf8),
        _ => Err(Raised::badarg()),
    }
}

fn to_binary(process: &mut Process, atom: Term, encoding: Encoding) -> NativeResult {
    let name = atom.as_atom().ok_or_else(Raised::badarg)?.name();
    let bytes: Vec<u8> = match encoding {
        Encoding::Utf8 => name.as_bytes().to_vec(),
        Encoding::Latin1 => name
            .chars()
            .map(|c| u8::try_from(c as u32))
            .collect::<Result<_, _>>()
            .map_err(|_| Raised::badarg())?,
    };
    Ok(build::binary(&mut process.heap, &bytes))
}

fn atom_to_binary_1(process: &mut Process, args: &[Term]) -> NativeResult {
    to_binary(process, args[0], Encoding::Utf8)
}

fn atom_to_binary_2(process: &mut Process, args: &[Term]) -> NativeResult {
    let encoding = encoding_arg(args[1])?;
    to_binary(process, args[0], encoding)
}

/// The atom text in a binary: Latin-1 bytes each one character, or UTF-8
/// (more than 4 × 255 bytes is `system_limit` before the encoding is
/// checked, as in erts).
fn atom_text_of_binary(binary: Term, encoding: Encoding) -> Result<String, TextError> {
    let View::Bitstring(bits) = binary.view() else {
        return Err(TextError::Badarg);
    };
    let bytes = whole_bytes(&bits).ok_or(TextError::Badarg)?;
    let text = match encoding {
        Encoding::Latin1 => bytes.iter().map(|&b| b as char).collect(),
        Encoding::Utf8 => {
            if bytes.len() > 4 * MAX_ATOM_CHARS {
                return Err(TextError::TooLong);
            }
            std::str::from_utf8(&bytes)
                .map_err(|_| TextError::Badarg)?
                .to_owned()
        }
    };
    if text.chars().count() > MAX_ATOM_CHARS {
        return Err(TextError::TooLong);
    }
    Ok(text)
}

fn binary_to_atom_1(_: &mut Process, args: &[Term]) -> NativeResult {
    intern(&atom_text_of_binary(args[0], Encoding::Utf8)?)
}

fn binary_to_atom_2(_: &mut Process, args: &[Term]) -> NativeResult {
    if !args[0].is_bitstring() {
        return Err(Raised::badarg());
    }
    let encoding = encoding_arg(args[1])?;
    intern(&atom_text_of_binary(args[0], encoding)?)
}

fn existing_atom_of_binary(binary: Term, encoding: Encoding) -> NativeResult {
    let text = atom_text_of_binary(binary, encoding).map_err(|_| Raised::badarg())?;
    Atom::existing(&text)
        .map(Term::atom)
        .ok_or_else(Raised::badarg)
}

fn binary_to_existing_atom_1(_: &mut Process, args: &[Term]) -> NativeResult {
    existing_atom_of_binary(args[0], Encoding::Utf8)
}

fn binary_to_existing_atom_2(_: &mut Process, args: &[Term]) -> NativeResult {
    if !args[0].is_bitstring() {
        return Err(Raised::badarg());
    }
    existing_atom_of_binary(args[0], encoding_arg(args[1])?)
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "atom_to_list"/1 => atom_to_list,
    "list_to_atom"/1 => list_to_atom,
    "list_to_existing_atom"/1 => list_to_existing_atom,
    "atom_to_binary"/1 => atom_to_binary_1,
    "atom_to_binary"/2 => atom_to_binary_2,
    "binary_to_atom"/1 => binary_to_atom_1,
    "binary_to_atom"/2 => binary_to_atom_2,
    "binary_to_existing_atom"/1 => binary_to_existing_atom_1,
    "binary_to_existing_atom"/2 => binary_to_existing_atom_2,
);

#[cfg(test)]
mod tests {
    use super::super::testing::check;
    use super::*;

    #[test]
    fn atom_conversions_follow_erl() {
        let a255 = format!("[[{}]]", vec!["97"; 255].join(","));
        let a256 = format!("[[{}]]", vec!["97"; 256].join(","));
        let a256_bad = format!("[[{},x]]", vec!["97"; 255].join(","));
        let long_atom = "a".repeat(255);
        // Expected values printed by erl (~w) for erlang:F(Args).
        check(&[
            (atom_to_list, "['\\x{e9}t\\x{e9}']", "[233,116,233]"),
            (atom_to_list, "[\"a\"]", "{error,badarg}"),
            (atom_to_list, "['']", "[]"),
            (list_to_atom, "[[256, 97]]", "'\\x{100}a'"),
            (list_to_atom, "[[16#D800]]", "{error,badarg}"),
            (list_to_atom, "[[16#110000]]", "{error,badarg}"),
            (list_to_atom, "[[-1]]", "{error,badarg}"),
            (list_to_atom, "[[a]]", "{error,badarg}"),
            (list_to_atom, "[<<\"a\">>]", "{error,badarg}"),
            (list_to_atom, "[[$a|$b]]", "{error,badarg}"),
            (list_to_atom, "[[$a, <<\"b\">>]]", "{error,badarg}"),
            (list_to_atom, "[\"hello world\"]", "'hello world'"),
            (list_to_atom, "[[]]", "''"),
            (list_to_atom, &a255, &long_atom),
            (list_to_atom, &a256, "{error,system_limit}"),
            (list_to_atom, &a256_bad, "{error,system_limit}"),
            (
                list_to_existing_atom,
                "[\"no_such_atom_zzz_q\"]",
                "{error,badarg}",
            ),
            (list_to_existing_atom, "[\"ok\"]", "ok"),
            (list_to_existing_atom, &a256, "{error,badarg}"),
            (atom_to_binary_1, "['\\x{e9}']", "<<195,169>>"),
            (atom_to_binary_2, "['\\x{e9}', latin1]", "<<233>>"),
            (atom_to_binary_2, "['\\x{100}', latin1]", "{error,badarg}"),
            (atom_to_binary_2, "[a, foo]", "{error,badarg}"),
            (atom_to_binary_2, "[a, unicode]", "<<97>>"),
            (atom_to_binary_2, "[\"a\", utf8]", "{error,badarg}"),
            (binary_to_atom_2, "[<<233>>, latin1]", "\u{e9}"),
            (binary_to_atom_2, "[<<233>>, utf8]", "{error,badarg}"),
            (binary_to_atom_2, "[<<97>>, foo]", "{error,badarg}"),
            (binary_to_atom_1, "[<<195,169>>]", "\u{e9}"),
            (binary_to_atom_1, "[<<1:3>>]", "{error,badarg}"),
            (binary_to_atom_1, "[\"abc\"]", "{error,badarg}"),
            (
                binary_to_existing_atom_1,
                "[<<\"no_such_atom_zzz_r\">>]",
                "{error,badarg}",
            ),
            (binary_to_existing_atom_2, "[<<\"ok\">>, latin1]", "ok"),
        ]);
    }
}
