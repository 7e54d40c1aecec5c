//! Floats as OTP 25's `float_to_list(F, [short])` writes them, which is also
//! what `io_lib:format("~w", [F])` prints.
//!
//! The digits are the shortest ones that read back to the same float, as
//! Ryu gives them in erts: Rust's `{:e}`, corrected where the float lies
//! exactly halfway between two shortest candidates. erts then chooses between
//! fixed (`123.45`, `0.001`) and scientific (`1.2345e-7`) layout; the rules
//! below restate those of `erts/emulator/ryu/to_chars.h`, checked against
//! `erl` on millions of floats (see the tests).

/// Appends the `~w` text of `value` to `out`.
///
/// Erlang floats are always finite; a NaN or infinity (which no term holds)
/// is written as Rust writes it rather than panicking.
pub fn write_float(out: &mut String, value: f64) {
    if !value.is_finite() {
        out.push_str(&value.to_string());
        return;
    }
    if value.is_sign_negative() {
        out.push('-');
    }
    // `{:e}` of a finite non-negative float: "D[.DDD]e[-]X", shortest digits.
    let scientific = format!("{:e}", value.abs());
    let (mantissa, exponent) = scientific
        .split_once('e')
        .expect("`{:e}` output has an exponent");
    let exponent: i32 = exponent.parse().expect("`{:e}` exponent is decimal");
    let digits: String = mantissa.chars().filter(|&c| c != '.').collect();
    let digits = round_ties_to_even(value.abs(), digits, exponent);
    layout(out, &digits, exponent);
}

/// When the value lies exactly halfway between two shortest candidates,
/// erts's Ryu takes the even one; Rust's `{:e}` may take the odd one
/// (`90071992547400.125` prints as `90071992547400.12` in erl). Returns the
/// digits erts prints.
fn round_ties_to_even(value: f64, digits: String, exponent: i32) -> String {
    let Ok(shortest) = digits.parse::<u64>() else {
        return digits;
    };
    if shortest % 2 == 0 {
        return digits;
    }
    let unit_exponent = exponent - (digits.len() as i32 - 1);
    // value = odd * 2^power
    let (mut odd, mut power) = binary_parts(value);
    if odd == 0 {
        return digits;
    }
    power += odd.trailing_zeros() as i32;
    odd >>= odd.trailing_zeros();
    // A midpoint (2 * shortest ± 1) * 10^unit_exponent / 2 has exactly
    // unit_exponent - 1 factors of two.
    if power != unit_exponent - 1 {
        return digits;
    }
    // With that, value == midpoint means odd * 5^-u == 2 * shortest ± 1
    // (u < 0) or odd == (2 * shortest ± 1) * 5^u (u >= 0).
    let five_power = 5u128.checked_pow(unit_exponent.unsigned_abs());
    let is_midpoint = |twice: u128| match five_power {
        None => false,
        Some(p) if unit_exponent < 0 => u128::from(odd).checked_mul(p) == Some(twice),
        Some(p) => twice.checked_mul(p) == Some(u128::from(odd)),
    };
    let twice = 2 * u128::from(shortest);
    let neighbour = if is_midpoint(twice - 1) {
        shortest - 1
    } else if is_midpoint(twice + 1) {
        shortest + 1
    } else {
        return digits;
    };
    let candidate = neighbour.to_string();
    let round_trips = candidate.len() == digits.len()
        && format!("{candidate}e{unit_exponent}").parse::<f64>() == Ok(value);
    if round_trips {
        candidate
    } else {
        digits
    }
}

/// A finite non-negative float as `mantissa * 2^exponent`.
fn binary_parts(value: f64) -> (u64, i32) {
    let bits = value.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, biased - 1075)
    }
}

/// Writes the decimal `digits` (shortest, no leading or trailing zeros
/// except for zero itself) whose first digit has weight `10^exponent`.
fn layout(out: &mut String, digits: &str, exponent: i32) {
    let count = digits.len() as i32;
    // The value is `digits * 10^unit_exponent`.
    let unit_exponent = exponent - (count - 1);
    let (lowest, highest) = if count == 1 {
        (-4, 2)
    } else if exponent >= 10 {
        (-(count + 2), 2)
    } else {
        (-(count + 2), 1)
    };
    if (lowest..=highest).contains(&unit_exponent) && !beyond_exact_integers(digits, unit_exponent)
    {
        write_fixed(out, digits, unit_exponent);
    } else {
        write_scientific(out, digits, exponent);
    }
}

/// erts writes integral values from 2^53 up in scientific notation even
/// where the rules above would pick fixed notation.
fn beyond_exact_integers(digits: &str, unit_exponent: i32) -> bool {
    let Ok(mantissa) = digits.parse::<u64>() else {
        return true;
    };
    match unit_exponent {
        0 => mantissa >= 1 << 53,
        1 => mantissa > (1 << 52) / 5,
        2 => mantissa > (1 << 51) / 25,
        _ => false,
    }
}

/// `12300.0`, `123.0`, `1.23`, `0.00123`.
fn write_fixed(out: &mut String, digits: &str, unit_exponent: i32) {
    let whole_digits = digits.len() as i32 + unit_exponent;
    if unit_exponent >= 0 {
        out.push_str(digits);
        push_zeros(out, unit_exponent);
        out.push_str(".0");
    } else if whole_digits > 0 {
        let (whole, fraction) = digits.split_at(whole_digits as usize);
        out.push_str(whole);
        out.push('.');
        out.push_str(fraction);
    } else {
        out.push_str("0.");
        push_zeros(out, -whole_digits);
        out.push_str(digits);
    }
}

/// `1.23e7`, `1.0e-5`: always a fraction part, no `+` and no leading zeros
/// in the exponent.
fn write_scientific(out: &mut String, digits: &str, exponent: i32) {
    let (first, rest) = digits.split_at(1);
    out.push_str(first);
    out.push('.');
    out.push_str(if rest.is_empty() { "0" } else { rest });
    out.push('e');
    out.push_str(&exponent.to_string());
}

fn push_zeros(out: &mut String, count: i32) {
    out.extend(std::iter::repeat_n('0', count.max(0) as usize));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: f64) -> String {
        let mut out = String::new();
        write_float(&mut out, value);
        out
    }

    /// Lines `<f64 bits in hex> <~w text>` produced by erl; see the header of
    /// the file for the erl code.
    const ERL_FLOATS: &str = include_str!("testdata/float_w.txt");

    fn check_lines(lines: &str) -> usize {
        let mut checked = 0;
        for line in lines.lines().filter(|l| !l.starts_with('%')) {
            let (bits, expected) = line.split_once(' ').expect("`<hex> <text>` line");
            let value = f64::from_bits(u64::from_str_radix(bits, 16).expect("hex bits"));
            assert_eq!(text(value), expected, "float with bits {bits}");
            checked += 1;
        }
        checked
    }

    #[test]
    fn floats_print_as_erl_prints_them() {
        assert!(check_lines(ERL_FLOATS) > 300);
    }

    #[test]
    fn float_edge_cases() {
        // erl -noshell -eval 'io:format("~w ~w ~w ~w ~w ~w~n",
        //   [0.0, -0.0, 0.0001, 0.00012, 1.0e3, 9007199254740991.0])'
        // prints: 0.0 -0.0 0.0001 1.2e-4 1.0e3 9007199254740991.0
        assert_eq!(text(0.0), "0.0");
        assert_eq!(text(-0.0), "-0.0");
        assert_eq!(text(0.0001), "0.0001");
        assert_eq!(text(0.00012), "1.2e-4");
        assert_eq!(text(1.0e3), "1.0e3");
        assert_eq!(text(9007199254740991.0), "9007199254740991.0");
        // io:format("~w ~w ~w ~w~n", [9007199254740992.0, 12345678900.0,
        //   5.0e-324, 1.7976931348623157e308])
        // prints: 9.007199254740992e15 12345678900.0 5.0e-324 1.7976931348623157e308
        assert_eq!(text(9007199254740992.0), "9.007199254740992e15");
        assert_eq!(text(12345678900.0), "12345678900.0");
        assert_eq!(text(f64::from_bits(1)), "5.0e-324");
        assert_eq!(text(f64::MAX), "1.7976931348623157e308");
        assert_eq!(text(-f64::MAX), "-1.7976931348623157e308");
    }

    /// Compares with erl on many random floats: `cargo test -- --ignored`.
    #[test]
    #[ignore = "needs erl on the PATH; slow"]
    fn random_floats_print_as_erl_prints_them() {
        let output = std::process::Command::new("erl")
            .args([
                "-noshell",
                "-eval",
                &erl_random_floats(1_000_000),
                "-s",
                "init",
                "stop",
            ])
            .output()
            .expect("run erl");
        assert!(output.status.success());
        let lines = String::from_utf8(output.stdout).expect("ASCII output");
        assert_eq!(check_lines(&lines), 1_000_000);
    }

    /// Erlang code printing `count` random floats as `<hex bits> <~w text>`:
    /// random bit patterns, decimal fractions, integers (around 2^53 too)
    /// small multiples of powers of ten, so every layout rule is hit, and
    /// binary fractions, whose exact values are often halfway between two
    /// shortest candidates.
    fn erl_random_floats(count: usize) -> String {
        format!(
            "G = fun() -> case rand:uniform(6) of \
               1 -> B = rand:uniform(1 bsl 64) - 1, \
                    case <<B:64>> of <<F/float>> -> F; _ -> 1.5 end; \
               2 -> (rand:uniform(1 bsl 60) - (1 bsl 59)) / math:pow(10, rand:uniform(40) - 10); \
               3 -> float(rand:uniform(1 bsl rand:uniform(62))); \
               4 -> rand:uniform(100000) * math:pow(10, rand:uniform(60) - 30); \
               5 -> float((1 bsl 53) + rand:uniform(2000) - 1000) * math:pow(10, rand:uniform(5) - 3); \
               6 -> rand:uniform(1 bsl 53) / (1 bsl rand:uniform(70)) \
             end end, \
             [begin F = G(), <<B:64>> = <<F/float>>, \
                io:format(\"~16.16.0b ~w~n\", [B, F]) end || _ <- lists:seq(1, {count})]."
        )
    }
}
