//! Integers and their text, and numbers converted between kinds:
//! `integer_to_list/1,2`, `list_to_integer/1,2`, `integer_to_binary/1,2`,
//! `binary_to_integer/1,2`, `float/1`, `round/1`, `trunc/1`, `ceil/1`,
//! `floor/1`, `abs/1`.

use num_bigint::BigInt;
use num_traits::FromPrimitive;

use super::{binary_bytes, byte_list, int_list};
use crate::bif::{Native, NativeResult, Raised};
use crate::term::{arith, build, Term, View};
use crate::vm::process::Process;

/// BEAM's largest integer has this many bits (`1 bsl 33554367` is the
/// largest power of two erl makes).
const MAX_INTEGER_BITS: u64 = ((1 << 19) - 1) * 64;

/// The text of an integer in `base` (2..=36), digits above 9 in upper case.
fn integer_text(term: Term, base: u32) -> Option<String> {
    match term.view() {
        View::Small(v) => {
            let mut digits = Vec::new();
            let mut magnitude = v.unsigned_abs();
            loop {
                let d = (magnitude % base as u64) as u32;
                digits.push(char::from_digit(d, base)?.to_ascii_uppercase());
                magnitude /= base as u64;
                if magnitude == 0 {
                    break;
                }
            }
            if v < 0 {
                digits.push('-');
            }
            Some(digits.iter().rev().collect())
        }
        View::Big { .. } => Some(
            build::to_bigint(term)?
                .to_str_radix(base)
                .to_ascii_uppercase(),
        ),
        _ => None,
    }
}

/// A base argument: a small integer in 2..=36.
fn base_arg(term: Term) -> Result<u32, Raised> {
    match term.as_small() {
        Some(b) if (2..=36).contains(&b) => Ok(b as u32),
        _ => Err(Raised::badarg()),
    }
}

fn integer_to_list_1(process: &mut Process, args: &[Term]) -> NativeResult {
    let text = integer_text(args[0], 10).ok_or_else(Raised::badarg)?;
    Ok(byte_list(process, text.as_bytes()))
}

fn integer_to_list_2(process: &mut Process, args: &[Term]) -> NativeResult {
    if !args[0].is_integer() {
        return Err(Raised::badarg());
    }
    let text = integer_text(args[0], base_arg(args[1])?).ok_or_else(Raised::badarg)?;
    Ok(byte_list(process, text.as_bytes()))
}

fn integer_to_binary_1(process: &mut Process, args: &[Term]) -> NativeResult {
    let text = integer_text(args[0], 10).ok_or_else(Raised::badarg)?;
    Ok(build::binary(&mut process.heap, text.as_bytes()))
}

fn integer_to_binary_2(process: &mut Process, args: &[Term]) -> NativeResult {
    if !args[0].is_integer() {
        return Err(Raised::badarg());
    }
    let text = integer_text(args[0], base_arg(args[1])?).ok_or_else(Raised::badarg)?;
    Ok(build::binary(&mut process.heap, text.as_bytes()))
}

/// An optional `+` or `-` and one or more digits of `base` (either case),
/// nothing else, as `list_to_integer/2` reads them.
fn parse_integer(process: &mut Process, text: &[u64], base: u32) -> NativeResult {
    let (negative, digits) = match text.first() {
        Some(&c) if c == b'-' as u64 => (true, &text[1..]),
        Some(&c) if c == b'+' as u64 => (false, &text[1..]),
        _ => (false, text),
    };
    let digits: Vec<u8> = digits
        .iter()
        .map(|&c| {
            u8::try_from(c)
                .ok()
                .filter(|b| (*b as char).is_digit(base))
                .ok_or_else(Raised::badarg)
        })
        .collect::<Result<_, _>>()?;
    if digits.is_empty() {
        return Err(Raised::badarg());
    }
    if digits.len() <= 15 {
        // At most 36^15 < 2^78 ... fits in i128 and quickly.
        let magnitude = digits.iter().fold(0i128, |acc, &d| {
            acc * base as i128 + (d as char).to_digit(base).unwrap_or(0) as i128
        });
        let value = if negative { -magnitude } else { magnitude };
        if let Ok(v) = i64::try_from(value) {
            return Ok(build::int(&mut process.heap, v));
        }
    }
    let magnitude =
        BigInt::parse_bytes(&digits, base).expect("the digits were checked against the base");
    if magnitude.bits() > MAX_INTEGER_BITS {
        return Err(Raised::system_limit());
    }
    let value = if negative { -magnitude } else { magnitude };
    Ok(build::bigint(&mut process.heap, &value))
}

fn list_to_integer_1(process: &mut Process, args: &[Term]) -> NativeResult {
    let text = int_list(args[0]).ok_or_else(Raised::badarg)?;
    parse_integer(process, &text, 10)
}

fn list_to_integer_2(process: &mut Process, args: &[Term]) -> NativeResult {
    let text = int_list(args[0]);
    let base = base_arg(args[1])?;
    parse_integer(process, &text.ok_or_else(Raised::badarg)?, base)
}

fn binary_to_integer_1(process: &mut Process, args: &[Term]) -> NativeResult {
    let bytes = binary_bytes(args[0]).ok_or_else(Raised::badarg)?;
    let text: Vec<u64> = bytes.iter().map(|&b| b as u64).collect();
    parse_integer(process, &text, 10)
}

fn binary_to_integer_2(process: &mut Process, args: &[Term]) -> NativeResult {
    let bytes = binary_bytes(args[0]).ok_or_else(Raised::badarg)?;
    let base = base_arg(args[1])?;
    let text: Vec<u64> = bytes.iter().map(|&b| b as u64).collect();
    parse_integer(process, &text, base)
}

fn float(process: &mut Process, args: &[Term]) -> NativeResult {
    if args[0].is_float() {
        return Ok(args[0]);
    }
    let value = crate::term::arith::integer_to_f64(args[0]).ok_or_else(Raised::badarg)?;
    Ok(build::float(&mut process.heap, value))
}

/// Applies `op` to a float and makes the (integral) result an integer;
/// integers are returned as they are.
fn float_to_integer(process: &mut Process, term: Term, op: fn(f64) -> f64) -> NativeResult {
    if term.is_integer() {
        return Ok(term);
    }
    let value = op(term.as_float().ok_or_else(Raised::badarg)?);
    if value.abs() < 9.0e18 {
        return Ok(build::int(&mut process.heap, value as i64));
    }
    let big = BigInt::from_f64(value).ok_or_else(Raised::badarg)?;
    Ok(build::bigint(&mut process.heap, &big))
}

fn round(process: &mut Process, args: &[Term]) -> NativeResult {
    float_to_integer(process, args[0], f64::round)
}

fn trunc(process: &mut Process, args: &[Term]) -> NativeResult {
    float_to_integer(process, args[0], f64::trunc)
}

fn ceil(process: &mut Process, args: &[Term]) -> NativeResult {
    float_to_integer(process, args[0], f64::ceil)
}

fn floor(process: &mut Process, args: &[Term]) -> NativeResult {
    float_to_integer(process, args[0], f64::floor)
}

fn abs(process: &mut Process, args: &[Term]) -> NativeResult {
    arith::abs(&mut process.heap, args[0]).ok_or_else(Raised::badarg)
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "integer_to_list"/1 => integer_to_list_1,
    "integer_to_list"/2 => integer_to_list_2,
    "list_to_integer"/1 => list_to_integer_1,
    "list_to_integer"/2 => list_to_integer_2,
    "integer_to_binary"/1 => integer_to_binary_1,
    "integer_to_binary"/2 => integer_to_binary_2,
    "binary_to_integer"/1 => binary_to_integer_1,
    "binary_to_integer"/2 => binary_to_integer_2,
    "float"/1 => float,
    "round"/1 => round,
    "trunc"/1 => trunc,
    "ceil"/1 => ceil,
    "floor"/1 => floor,
    "abs"/1 => abs,
);

#[cfg(test)]
mod tests {
    use super::super::testing::check;
    use super::*;

    #[test]
    fn integer_text_follows_erl() {
        // Expected values printed by erl (~w) for erlang:F(Args).
        check(&[
            (integer_to_list_1, "[-123]", "[45,49,50,51]"),
            (integer_to_list_1, "[a]", "{error,badarg}"),
            (integer_to_list_2, "[-255, 16]", "[45,70,70]"),
            (integer_to_list_2, "[255, 37]", "{error,badarg}"),
            (integer_to_list_2, "[255, 1]", "{error,badarg}"),
            (integer_to_list_2, "[1.0, 10]", "{error,badarg}"),
            (
                integer_to_list_2,
                "[-18446744073709551616, 36]",
                "[45,51,87,53,69,49,49,50,54,52,83,71,83,71]",
            ),
            (
                integer_to_binary_1,
                "[1152921504606846976]",
                "<<49,49,53,50,57,50,49,53,48,52,54,48,54,56,52,54,57,55,54>>",
            ),
            (integer_to_binary_2, "[-255, 16]", "<<45,70,70>>"),
            (list_to_integer_2, "[\"-ff\", 16]", "-255"),
            (list_to_integer_1, "[\"+10\"]", "10"),
            (list_to_integer_1, "[\"+\"]", "{error,badarg}"),
            (list_to_integer_1, "[\"-\"]", "{error,badarg}"),
            (list_to_integer_1, "[\"\"]", "{error,badarg}"),
            (list_to_integer_1, "[\"1_0\"]", "{error,badarg}"),
            (list_to_integer_1, "[\" 1\"]", "{error,badarg}"),
            (list_to_integer_1, "[\"+-1\"]", "{error,badarg}"),
            (list_to_integer_1, "[[$1|$2]]", "{error,badarg}"),
            (list_to_integer_1, "[\"007\"]", "7"),
            (
                list_to_integer_1,
                "[\"-123456789012345678901234567890\"]",
                "-123456789012345678901234567890",
            ),
            (list_to_integer_2, "[\"z\", 36]", "35"),
            (list_to_integer_2, "[\"Zz\", 36]", "1295"),
            (list_to_integer_2, "[\"12\", 1]", "{error,badarg}"),
            (list_to_integer_2, "[\"12\", 2]", "{error,badarg}"),
            (binary_to_integer_1, "[<<\"-12\">>]", "-12"),
            (binary_to_integer_2, "[<<\"ff\">>, 16]", "255"),
            (binary_to_integer_1, "[<<\"1.0\">>]", "{error,badarg}"),
        ]);
    }

    #[test]
    fn float_rounding_follows_erl() {
        // Expected values printed by erl (~w).
        check(&[
            (float, "[1180591620717411303424]", "1.1805916207174113e21"),
            (float, "[a]", "{error,badarg}"),
            // 2^128 + 2^75 + 1: erts rounds limb by limb, to 2^128 (a correctly
            // rounded conversion gives the next float up).
            (float, "[340282366920938501242306470388929921025]", "3.402823669209385e38"),
            (float, "[-340282366920938501242306470388929921025]", "-3.402823669209385e38"),
            (float, "[2.5]", "2.5"),
            (round, "[2.5]", "3"),
            (round, "[-2.5]", "-3"),
            (round, "[1.0e20]", "100000000000000000000"),
            (round, "[0.49999999999999994]", "0"),
            (round, "[7]", "7"),
            (trunc, "[-1.5]", "-1"),
            (ceil, "[-1.5]", "-1"),
            (floor, "[-1.5]", "-2"),
            (ceil, "[a]", "{error,badarg}"),
            (abs, "[a]", "{error,badarg}"),
            (abs, "[-18446744073709551616]", "18446744073709551616"),
            (trunc, "[-1.0e300]", "-1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160"),
        ]);
    }
}
