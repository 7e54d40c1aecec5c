//! Floats and their text: `float_to_list/1,2`, `float_to_binary/1,2`,
//! `list_to_float/1`, `binary_to_float/1`, with erl's exact output for
//! every option.

use super::{atom, binary_bytes, byte_list, int_list};
use crate::bif::{Native, NativeResult, Raised};
use crate::term::print::format_float;
use crate::term::{build, Term};
use crate::vm::process::Process;

/// erts formats into a 256-byte buffer; longer text is `badarg`.
const BUFFER_SIZE: usize = 256;

/// Digits after the point in `float_to_list/1`'s `%.20e`.
const DEFAULT_DECIMALS: i32 = 20;

/// The format the options of `float_to_list/2` ask for.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Format {
    /// `%.*e` with the default 20 digits, or with the last `decimals` or
    /// `scientific` count when only `compact` was given.
    Legacy,
    /// Shortest round-trip text, as `~w` prints.
    Short,
    /// `{decimals, N}`: fixed notation.
    Fixed,
    /// `{scientific, N}`: `%.Ne`.
    Scientific,
}

/// Reads the option list as erts does: later options override earlier
/// ones, and the digit count is whatever the last `{decimals | scientific,
/// N}` said (cut to a C `int`, as erts does).
fn options(list: Term) -> Option<(Format, i32, bool)> {
    let (mut format, mut decimals, mut compact) = (Format::Legacy, DEFAULT_DECIMALS, false);
    let mut rest = list.list_iter();
    for option in rest.by_ref() {
        if option == atom("compact") {
            compact = true;
        } else if option == atom("short") {
            format = Format::Short;
        } else {
            let &[key, count] = option.as_tuple()? else {
                return None;
            };
            let count = count.as_small()? as i32;
            format = if key == atom("decimals") {
                Format::Fixed
            } else if key == atom("scientific") {
                Format::Scientific
            } else {
                return None;
            };
            decimals = count;
        }
    }
    rest.rest().is_nil().then_some((format, decimals, compact))
}

/// C's `%.{precision}e`: at least two exponent digits, with a sign.
pub(super) fn scientific(value: f64, precision: usize) -> String {
    let text = format!("{value:.precision$e}");
    let (mantissa, exponent) = text.split_once('e').expect("`{:e}` has an exponent");
    let exponent: i32 = exponent.parse().expect("the exponent is decimal");
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.unsigned_abs())
}

/// Strips trailing zeros but keeps one digit after a decimal point
/// (erts's `find_first_trailing_zero`; on text without a point it strips
/// the integer's zeros, as erts does).
fn strip_trailing_zeros(text: &mut String) {
    let kept = text.trim_end_matches('0').len();
    text.truncate(kept);
    if text.ends_with('.') {
        text.push('0');
    }
}

/// Powers of ten the fast fixed-notation path scales by (all exact).
const POW10: [f64; 19] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18,
];

/// `float_to_list(F, [{decimals, N}])`, as erts's
/// `sys_double_to_chars_fast` computes it: below 2^53 and 19 decimals the
/// fraction is scaled by 10^N and rounded half away from zero in double
/// arithmetic (so 0.125 gives "0.13", 1.005 gives "1.00"); otherwise exact
/// `%.Nf`. The sign follows the sign bit (`-0.0` gives "-0.00").
fn fixed(value: f64, decimals: i32, compact: bool) -> Option<String> {
    let decimals = usize::try_from(decimals).ok()?;
    let magnitude = value.abs();
    if magnitude > (1u64 << 53) as f64 || decimals >= POW10.len() {
        if decimals >= BUFFER_SIZE {
            return None;
        }
        let mut text = format!("{value:.decimals$}");
        if text.len() >= BUFFER_SIZE {
            return None;
        }
        if compact {
            strip_trailing_zeros(&mut text);
        }
        return Some(text);
    }
    let mut text = String::new();
    if value.is_sign_negative() {
        text.push('-');
    }
    if decimals == 0 {
        text.push_str(&(magnitude.round() as u64).to_string());
        return Some(text);
    }
    let whole = magnitude.floor();
    let scale = POW10[decimals];
    let fraction = ((magnitude - whole) * scale).round();
    let (whole, fraction) = if fraction >= scale {
        (whole as u64 + 1, 0)
    } else {
        (whole as u64, fraction as u64)
    };
    text.push_str(&format!("{whole}.{fraction:0decimals$}"));
    if compact {
        strip_trailing_zeros(&mut text);
    }
    Some(text)
}

/// The text `float_to_list(Float, Options)` gives, or `None` for `badarg`.
fn float_text(float: Term, options_list: Term) -> Option<String> {
    let value = float.as_float()?;
    let (format, decimals, compact) = options(options_list)?;
    match format {
        Format::Short => Some(format_float(value)),
        Format::Fixed => fixed(value, decimals, compact),
        Format::Legacy | Format::Scientific => {
            // A negative C precision means the default, 6.
            let precision = usize::try_from(decimals).unwrap_or(6);
            if precision >= BUFFER_SIZE {
                return None;
            }
            let text = scientific(value, precision);
            (text.len() < BUFFER_SIZE).then_some(text)
        }
    }
}

fn float_to_list_1(process: &mut Process, args: &[Term]) -> NativeResult {
    let text = float_text(args[0], Term::NIL).ok_or_else(Raised::badarg)?;
    Ok(byte_list(process, text.as_bytes()))
}

fn float_to_list_2(process: &mut Process, args: &[Term]) -> NativeResult {
    let text = float_text(args[0], args[1]).ok_or_else(Raised::badarg)?;
    Ok(byte_list(process, text.as_bytes()))
}

fn float_to_binary_1(process: &mut Process, args: &[Term]) -> NativeResult {
    let text = float_text(args[0], Term::NIL).ok_or_else(Raised::badarg)?;
    Ok(build::binary(&mut process.heap, text.as_bytes()))
}

fn float_to_binary_2(process: &mut Process, args: &[Term]) -> NativeResult {
    let text = float_text(args[0], args[1]).ok_or_else(Raised::badarg)?;
    Ok(build::binary(&mut process.heap, text.as_bytes()))
}

/// Reads a float as erts's `sys_chars_to_double` does: `[+-]D+[.,]D+`
/// with an optional `[eE][+-]?D+`; out-of-range values are `badarg`,
/// values too small become 0.0.
fn parse_float(text: &[u8]) -> Option<f64> {
    fn digits(text: &[u8], at: usize) -> usize {
        text[at..].iter().take_while(|b| b.is_ascii_digit()).count()
    }
    let mut at = usize::from(matches!(text.first(), Some(b'+' | b'-')));
    let whole = digits(text, at);
    if whole == 0 {
        return None;
    }
    at += whole;
    let point = at;
    if !matches!(text.get(at), Some(b'.' | b',')) {
        return None;
    }
    at += 1;
    let fraction = digits(text, at);
    if fraction == 0 {
        return None;
    }
    at += fraction;
    if matches!(text.get(at), Some(b'e' | b'E')) {
        at += 1;
        at += usize::from(matches!(text.get(at), Some(b'+' | b'-')));
        let exponent = digits(text, at);
        if exponent == 0 {
            return None;
        }
        at += exponent;
    }
    if at != text.len() {
        return None;
    }
    let mut normalised = text.to_vec();
    normalised[point] = b'.';
    let value: f64 = std::str::from_utf8(&normalised).ok()?.parse().ok()?;
    value.is_finite().then_some(value)
}

fn list_to_float(process: &mut Process, args: &[Term]) -> NativeResult {
    let bytes: Vec<u8> = int_list(args[0])
        .and_then(|chars| chars.into_iter().map(|c| u8::try_from(c).ok()).collect())
        .ok_or_else(Raised::badarg)?;
    let value = parse_float(&bytes).ok_or_else(Raised::badarg)?;
    Ok(build::float(&mut process.heap, value))
}

fn binary_to_float(process: &mut Process, args: &[Term]) -> NativeResult {
    let bytes = binary_bytes(args[0]).ok_or_else(Raised::badarg)?;
    let value = parse_float(&bytes).ok_or_else(Raised::badarg)?;
    Ok(build::float(&mut process.heap, value))
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "float_to_list"/1 => float_to_list_1,
    "float_to_list"/2 => float_to_list_2,
    "float_to_binary"/1 => float_to_binary_1,
    "float_to_binary"/2 => float_to_binary_2,
    "list_to_float"/1 => list_to_float,
    "binary_to_float"/1 => binary_to_float,
);

#[cfg(test)]
mod tests {
    use super::super::testing::{call, check};
    use super::*;

    /// The text of `float_to_list(F, Options)` given as Erlang text.
    fn text(float: &str, options: &str) -> String {
        let shown = call(float_to_binary_2, &format!("[{float}, {options}]"));
        if shown.starts_with('{') {
            return shown;
        }
        let bytes: Vec<u8> = shown
            .trim_start_matches("<<")
            .trim_end_matches(">>")
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap())
            .collect();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn float_to_list_options_follow_erl() {
        // Each pair: erl's float_to_list(F, Options), printed with ~s.
        let cases: &[(&str, &str, &str)] = &[
            ("1.0", "[]", "1.00000000000000000000e+00"),
            ("-0.0", "[]", "-0.00000000000000000000e+00"),
            ("1.0", "[{scientific, -1}]", "1.000000e+00"),
            ("1.0", "[{scientific, 250}]", "{error,badarg}"),
            ("1.0e300", "[{decimals, 18}]", "{error,badarg}"),
            ("0.1", "[{decimals, 254}]", "{error,badarg}"),
            (
                "9.5367431640625e-07",
                "[{decimals, 19}]",
                "0.0000009536743164062",
            ),
            (
                "9.5367431640625e-07",
                "[{decimals, 19}, compact]",
                "0.0000009536743164062",
            ),
            ("1.5", "[{decimals, 0}]", "2"),
            ("2.5", "[{decimals, 0}]", "3"),
            ("0.125", "[{decimals, 2}]", "0.13"),
            ("1.0", "[{decimals, -1}]", "{error,badarg}"),
            ("1.0", "[{decimals, 2}, compact]", "1.0"),
            ("1.0", "[compact]", "1.00000000000000000000e+00"),
            ("-0.0", "[{decimals, 2}]", "-0.00"),
            ("-0.001", "[{decimals, 2}]", "-0.00"),
            ("123.456", "[{decimals, 2}, short]", "123.456"),
            ("123.456", "[short, {scientific, 2}]", "1.23e+02"),
            ("1.0e20", "[{decimals, 2}]", "100000000000000000000.00"),
            ("1.0e16", "[{decimals, 2}]", "10000000000000000.00"),
            ("1.0", "[foo]", "{error,badarg}"),
            ("1.0", "[{decimals, a}]", "{error,badarg}"),
            ("1.0", "[{decimals, 2}|x]", "{error,badarg}"),
            ("-0.0", "[{decimals, 0}]", "-0"),
            ("-0.0", "[{decimals, 3}, compact]", "-0.0"),
            ("-0.4", "[{decimals, 0}]", "-0"),
            ("0.145", "[{decimals, 1}]", "0.1"),
            ("1.005", "[{decimals, 2}]", "1.00"),
            ("1.0e20", "[{decimals, 0}, compact]", "1"),
            (
                "1.0e20",
                "[{decimals, 1}, compact]",
                "100000000000000000000.0",
            ),
            ("100.0", "[{decimals, 0}, compact]", "100"),
            ("0.5", "[{decimals, 0}]", "1"),
            ("1.5e-18", "[{decimals, 18}]", "0.000000000000000002"),
            ("0.999", "[{decimals, 2}]", "1.00"),
            (
                "9007199254740992.0",
                "[{decimals, 2}]",
                "9007199254740992.00",
            ),
            (
                "18014398509481984.0",
                "[{decimals, 2}]",
                "18014398509481984.00",
            ),
            ("-1.0e-20", "[{decimals, 19}]", "-0.0000000000000000000"),
            ("-0.0", "[short]", "-0.0"),
            ("-0.0", "[{scientific, 2}]", "-0.00e+00"),
            ("0.1", "[{decimals, 10}, compact]", "0.1"),
            ("5.0e-324", "[{decimals, 18}]", "0.000000000000000000"),
            (
                "123456.789",
                "[{decimals, 18}]",
                "123456.789000000004307328",
            ),
            // Counts are cut to a C int, as in erts.
            ("1.5", "[{decimals, 4294967296}]", "2"),
            ("1.5", "[{decimals, 4294967295}]", "{error,badarg}"),
            ("1.5", "[{scientific, 4294967298}]", "1.50e+00"),
            ("1.5", "[{decimals, 1152921504606846976}]", "{error,badarg}"),
        ];
        for (float, options, expected) in cases {
            assert_eq!(&text(float, options), expected, "{float} {options}");
        }
        let long = text("1.0", "[{scientific, 249}]");
        assert_eq!(long.len(), 255);
        let long = text("0.1", "[{decimals, 253}]");
        assert!(long.starts_with("0.1000000000000000055511151231257827021181583404541015625000"));
        assert_eq!(long.len(), 255);
    }

    #[test]
    fn list_to_float_follows_erl() {
        // Expected values printed by erl (~w) for erlang:F(Args).
        check(&[
            (list_to_float, "[\"1.0e5\"]", "1.0e5"),
            (list_to_float, "[\"1,5\"]", "1.5"),
            (list_to_float, "[\"+1.5E-3\"]", "0.0015"),
            (list_to_float, "[\"1.\"]", "{error,badarg}"),
            (list_to_float, "[\"1e5\"]", "{error,badarg}"),
            (list_to_float, "[\"1.0e400\"]", "{error,badarg}"),
            (list_to_float, "[\"1.0e-400\"]", "0.0"),
            (list_to_float, "[\" 1.0\"]", "{error,badarg}"),
            (list_to_float, "[\"1.0 \"]", "{error,badarg}"),
            (list_to_float, "[\"-0.0\"]", "-0.0"),
            (list_to_float, "[\"1.0e-310\"]", "1.0e-310"),
            (list_to_float, "[\".5\"]", "{error,badarg}"),
            (list_to_float, "[\"1.5e\"]", "{error,badarg}"),
            (list_to_float, "[[49,46,48|x]]", "{error,badarg}"),
            (list_to_float, "[[305,46,48]]", "{error,badarg}"),
            (binary_to_float, "[<<\"2.5e1\">>]", "25.0"),
            (binary_to_float, "[<<>>]", "{error,badarg}"),
            (float_to_list_2, "[1, []]", "{error,badarg}"),
            (
                float_to_list_1,
                "[0.5]",
                "[53,46,48,48,48,48,48,48,48,48,48,48,48,48,48,48,48,48,48,48,48,48,101,45,48,49]",
            ),
        ]);
    }
}
