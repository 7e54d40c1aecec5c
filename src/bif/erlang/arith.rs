//! Arithmetic operators as functions (`erlang:'+'/2`, `'div'/2`,
//! `'bnot'/1`, ...): `badarith` for non-numbers and division by zero, as
//! the operators raise.

use crate::bif::{Native, NativeResult};
use crate::term::{arith, Term};
use crate::vm::process::Process;

macro_rules! binary_operators {
    ($($name:ident => $op:path,)*) => {$(
        fn $name(process: &mut Process, args: &[Term]) -> NativeResult {
            Ok($op(&mut process.heap, args[0], args[1])?)
        }
    )*};
}

binary_operators! {
    add => arith::add,
    sub => arith::sub,
    mul => arith::mul,
    divide => arith::divide,
    int_div => arith::int_div,
    int_rem => arith::int_rem,
    band => arith::band,
    bor => arith::bor,
    bxor => arith::bxor,
    bsl => arith::bsl,
    bsr => arith::bsr,
}

fn bnot(process: &mut Process, args: &[Term]) -> NativeResult {
    Ok(arith::bnot(&mut process.heap, args[0])?)
}

fn neg(process: &mut Process, args: &[Term]) -> NativeResult {
    Ok(arith::neg(&mut process.heap, args[0])?)
}

fn plus(_: &mut Process, args: &[Term]) -> NativeResult {
    Ok(arith::plus(args[0])?)
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "+"/2 => add,
    "-"/2 => sub,
    "*"/2 => mul,
    "/"/2 => divide,
    "div"/2 => int_div,
    "rem"/2 => int_rem,
    "band"/2 => band,
    "bor"/2 => bor,
    "bxor"/2 => bxor,
    "bsl"/2 => bsl,
    "bsr"/2 => bsr,
    "bnot"/1 => bnot,
    "-"/1 => neg,
    "+"/1 => plus,
);

#[cfg(test)]
mod tests {
    use super::super::testing::check;
    use super::*;

    #[test]
    fn operators_as_functions_follow_erl() {
        // erl: erlang:'+'(a, 1), erlang:'+'(a), erlang:'-'(a),
        // erlang:'bnot'(1.0), erlang:'div'(1.0, 1), erlang:'bsl'(1, a),
        // erlang:'/'(1, 0) -> badarith; the values as printed by erl.
        check(&[
            (add, "[a, 1]", "{error,badarith}"),
            (add, "[1, 2.5]", "3.5"),
            (sub, "[1, 1152921504606846976]", "-1152921504606846975"),
            (mul, "[4294967296, 4294967296]", "18446744073709551616"),
            (divide, "[1, 0]", "{error,badarith}"),
            (divide, "[7, 2]", "3.5"),
            (int_div, "[1.0, 1]", "{error,badarith}"),
            (int_div, "[-7, 2]", "-3"),
            (int_rem, "[-7, 2]", "-1"),
            (band, "[12, 10]", "8"),
            (bor, "[12, 10]", "14"),
            (bxor, "[12, 10]", "6"),
            (bsl, "[1, a]", "{error,badarith}"),
            (bsl, "[1, 64]", "18446744073709551616"),
            (bsr, "[-5, 1]", "-3"),
            (bnot, "[1.0]", "{error,badarith}"),
            (bnot, "[5]", "-6"),
            (neg, "[a]", "{error,badarith}"),
            (neg, "[18446744073709551616]", "-18446744073709551616"),
            (plus, "[a]", "{error,badarith}"),
            (plus, "[2.5]", "2.5"),
        ]);
    }
}
