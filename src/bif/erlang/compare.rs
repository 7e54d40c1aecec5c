//! Comparison and boolean operators as functions, and `min/2`, `max/2`.

use std::cmp::Ordering;

use super::as_bool;
use crate::bif::{Native, NativeResult, Raised};
use crate::term::order::{compare as term_compare, compare_exact};
use crate::term::Term;
use crate::vm::process::Process;

fn eq(_: &mut Process, args: &[Term]) -> NativeResult {
    Ok(Term::bool(term_compare(args[0], args[1]).is_eq()))
}

fn ne(_: &mut Process, args: &[Term]) -> NativeResult {
    Ok(Term::bool(term_compare(args[0], args[1]).is_ne()))
}

fn exact_eq(_: &mut Process, args: &[Term]) -> NativeResult {
    Ok(Term::bool(compare_exact(args[0], args[1]).is_eq()))
}

fn exact_ne(_: &mut Process, args: &[Term]) -> NativeResult {
    Ok(Term::bool(compare_exact(args[0], args[1]).is_ne()))
}

fn lt(_: &mut Process, args: &[Term]) -> NativeResult {
    Ok(Term::bool(term_compare(args[0], args[1]) == Ordering::Less))
}

fn gt(_: &mut Process, args: &[Term]) -> NativeResult {
    Ok(Term::bool(
        term_compare(args[0], args[1]) == Ordering::Greater,
    ))
}

fn le(_: &mut Process, args: &[Term]) -> NativeResult {
    Ok(Term::bool(
        term_compare(args[0], args[1]) != Ordering::Greater,
    ))
}

fn ge(_: &mut Process, args: &[Term]) -> NativeResult {
    Ok(Term::bool(term_compare(args[0], args[1]) != Ordering::Less))
}

fn bools(args: &[Term]) -> Result<(bool, bool), Raised> {
    match (as_bool(args[0]), as_bool(args[1])) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(Raised::badarg()),
    }
}

/// `erlang:'and'/2`: both arguments must be booleans (no short cut).
fn and(_: &mut Process, args: &[Term]) -> NativeResult {
    let (a, b) = bools(args)?;
    Ok(Term::bool(a && b))
}

fn or(_: &mut Process, args: &[Term]) -> NativeResult {
    let (a, b) = bools(args)?;
    Ok(Term::bool(a || b))
}

fn xor(_: &mut Process, args: &[Term]) -> NativeResult {
    let (a, b) = bools(args)?;
    Ok(Term::bool(a ^ b))
}

fn not(_: &mut Process, args: &[Term]) -> NativeResult {
    as_bool(args[0])
        .map(|a| Term::bool(!a))
        .ok_or_else(Raised::badarg)
}

/// `min(A, B)`: `A` when the two compare equal (`min(1, 1.0)` is `1`).
fn min(_: &mut Process, args: &[Term]) -> NativeResult {
    Ok(if term_compare(args[1], args[0]) == Ordering::Less {
        args[1]
    } else {
        args[0]
    })
}

/// `max(A, B)`: `A` when the two compare equal (`max(1.0, 1)` is `1.0`).
fn max(_: &mut Process, args: &[Term]) -> NativeResult {
    Ok(if term_compare(args[1], args[0]) == Ordering::Greater {
        args[1]
    } else {
        args[0]
    })
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "=="/2 => eq,
    "/="/2 => ne,
    "=:="/2 => exact_eq,
    "=/="/2 => exact_ne,
    "<"/2 => lt,
    ">"/2 => gt,
    "=<"/2 => le,
    ">="/2 => ge,
    "and"/2 => and,
    "or"/2 => or,
    "xor"/2 => xor,
    "not"/1 => not,
    "min"/2 => min,
    "max"/2 => max,
);

#[cfg(test)]
mod tests {
    use super::super::testing::check;
    use super::*;

    #[test]
    fn comparisons_follow_erl() {
        // erl: erlang:'=='(1, 1.0) -> true, '=:='(1, 1.0) -> false,
        // '=<'(1, 1.0) -> true, and number < atom < tuple < list.
        check(&[
            (eq, "[1, 1.0]", "true"),
            (ne, "[1, 1.0]", "false"),
            (exact_eq, "[1, 1.0]", "false"),
            (exact_ne, "[1, 1.0]", "true"),
            (le, "[1, 1.0]", "true"),
            (lt, "[1, 1.0]", "false"),
            (ge, "[1, 1.0]", "true"),
            (lt, "[1, a]", "true"),
            (gt, "[[], {a}]", "true"),
            (lt, "[{b}, {a, a}]", "true"),
        ]);
    }

    #[test]
    fn booleans_and_min_max_follow_erl() {
        // erl: erlang:'and'(true, 1) -> badarg, erlang:'xor'(true, false)
        // -> true, erlang:'not'(1) -> badarg, max(1, 1.0) -> 1,
        // max(1.0, 1) -> 1.0, min(1, 1.0) -> 1, min(1.0, 1) -> 1.0.
        check(&[
            (and, "[true, 1]", "{error,badarg}"),
            (and, "[false, 1]", "{error,badarg}"),
            (and, "[true, true]", "true"),
            (or, "[false, true]", "true"),
            (or, "[false, false]", "false"),
            (xor, "[true, false]", "true"),
            (xor, "[true, true]", "false"),
            (not, "[1]", "{error,badarg}"),
            (not, "[false]", "true"),
            (max, "[1, 1.0]", "1"),
            (max, "[1.0, 1]", "1.0"),
            (min, "[1, 1.0]", "1"),
            (min, "[1.0, 1]", "1.0"),
            (min, "[a, 3]", "3"),
            (max, "[a, 3]", "a"),
        ]);
    }
}
