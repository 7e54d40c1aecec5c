//! The natively implemented functions of OTP's `string` module:
//! `list_to_integer/1` and `list_to_float/1`, which read a number from the
//! front of a character list and return it with the rest.

use super::{Native, NativeResult};
use crate::term::{atoms, build, Atom, Term};
use crate::vm::process::Process;

/// The characters at the front of `list` that are ASCII, with the term
/// that follows each prefix (the rest after taking `n` characters is
/// `rests[n]`).
fn ascii_prefix(list: Term) -> (Vec<u8>, Vec<Term>) {
    let (mut chars, mut rests) = (Vec::new(), vec![list]);
    let mut rest = list;
    while let Some((head, tail)) = rest.as_cons() {
        match head.as_small().filter(|c| (0..128).contains(c)) {
            Some(c) => chars.push(c as u8),
            None => break,
        }
        rest = tail;
        rests.push(rest);
    }
    (chars, rests)
}

fn error(process: &mut Process, why: &str) -> Term {
    let why = Term::atom(Atom::intern(why).expect("atom"));
    build::tuple(&mut process.heap, &[Term::atom(atoms::ERROR), why])
}

fn is_list(term: Term) -> bool {
    term.is_nil() || term.is_list()
}

/// Length of the run of ASCII digits at the front of `chars`.
fn digits(chars: &[u8]) -> usize {
    chars.iter().take_while(|c| c.is_ascii_digit()).count()
}

/// `string:list_to_integer(Chars)`: `{Integer, Rest}`, `{error,
/// no_integer}` or `{error, not_a_list}`.
fn list_to_integer(process: &mut Process, args: &[Term]) -> NativeResult {
    if !is_list(args[0]) {
        return Ok(error(process, "not_a_list"));
    }
    let (chars, rests) = ascii_prefix(args[0]);
    let sign = usize::from(matches!(chars.first(), Some(b'+' | b'-')));
    let n = digits(&chars[sign..]);
    if n == 0 {
        return Ok(error(process, "no_integer"));
    }
    let text = std::str::from_utf8(&chars[..sign + n]).expect("ASCII");
    let value: num_bigint::BigInt = text.parse().expect("sign and digits");
    let value = build::bigint(&mut process.heap, &value);
    Ok(build::tuple(&mut process.heap, &[value, rests[sign + n]]))
}

/// `string:list_to_float(Chars)`: digits, a point, digits, and an optional
/// exponent; `{error, no_float}` otherwise or when it overflows.
fn list_to_float(process: &mut Process, args: &[Term]) -> NativeResult {
    if !is_list(args[0]) {
        return Ok(error(process, "not_a_list"));
    }
    let (chars, rests) = ascii_prefix(args[0]);
    let sign = usize::from(matches!(chars.first(), Some(b'+' | b'-')));
    let whole = digits(&chars[sign..]);
    let point = sign + whole;
    let fraction = if whole > 0 && chars.get(point) == Some(&b'.') {
        digits(&chars[point + 1..])
    } else {
        0
    };
    if fraction == 0 {
        return Ok(error(process, "no_float"));
    }
    let mut end = point + 1 + fraction;
    if matches!(chars.get(end), Some(b'e' | b'E')) {
        let exp_sign = usize::from(matches!(chars.get(end + 1), Some(b'+' | b'-')));
        let exp_digits = digits(&chars[(end + 1 + exp_sign).min(chars.len())..]);
        if exp_digits > 0 {
            end += 1 + exp_sign + exp_digits;
        }
    }
    let text = std::str::from_utf8(&chars[..end]).expect("ASCII");
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() => {
            let value = build::float(&mut process.heap, value);
            Ok(build::tuple(&mut process.heap, &[value, rests[end]]))
        }
        _ => Ok(error(process, "no_float")),
    }
}

pub(super) const NATIVES: &[Native] = crate::natives!("string";
    "list_to_integer"/1 => list_to_integer,
    "list_to_float"/1 => list_to_float,
);

#[cfg(test)]
mod tests {
    use super::super::testing::check_table;

    #[test]
    fn numbers_from_the_front_of_a_list() {
        // Expected values printed by erl (~w) for string:F(Arg).
        check_table(
            "string",
            &[
                ("list_to_integer", &["\"123abc\""], "{ok,{123,[97,98,99]}}"),
                ("list_to_integer", &["\"abc\""], "{ok,{error,no_integer}}"),
                ("list_to_integer", &["\"-12\""], "{ok,{-12,[]}}"),
                ("list_to_integer", &["\"+5\""], "{ok,{5,[]}}"),
                ("list_to_integer", &["\"-\""], "{ok,{error,no_integer}}"),
                ("list_to_integer", &["[49|foo]"], "{ok,{1,foo}}"),
                (
                    "list_to_integer",
                    &["\"99999999999999999999999z\""],
                    "{ok,{99999999999999999999999,[122]}}",
                ),
                ("list_to_integer", &["a"], "{ok,{error,not_a_list}}"),
                ("list_to_integer", &["[a]"], "{ok,{error,no_integer}}"),
                ("list_to_float", &["\"1.5e3x\""], "{ok,{1.5e3,[120]}}"),
                ("list_to_float", &["\"1\""], "{ok,{error,no_float}}"),
                ("list_to_float", &["\"1.\""], "{ok,{error,no_float}}"),
                ("list_to_float", &["\"1.0e+\""], "{ok,{1.0,[101,43]}}"),
                ("list_to_float", &["\"1.0e-2z\""], "{ok,{0.01,[122]}}"),
                ("list_to_float", &["\"+2.5\""], "{ok,{2.5,[]}}"),
                ("list_to_float", &["\".5\""], "{ok,{error,no_float}}"),
                ("list_to_float", &["\"1.5E2\""], "{ok,{150.0,[]}}"),
                ("list_to_float", &["\"1.5e400\""], "{ok,{error,no_float}}"),
                ("list_to_float", &["[49,46,50|x]"], "{ok,{1.2,x}}"),
                ("list_to_float", &["a"], "{ok,{error,not_a_list}}"),
            ],
        );
    }
}
