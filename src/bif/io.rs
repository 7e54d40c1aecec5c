//! The natively implemented function of OTP's `io` module.

use super::{Native, NativeResult};
use crate::term::{Atom, Term};
use crate::vm::process::Process;

/// `io:printable_range()`: what `~p` treats as printable characters;
/// `latin1`, erl's default (`+pc latin1`).
fn printable_range(_: &mut Process, _: &[Term]) -> NativeResult {
    Ok(Term::atom(Atom::intern("latin1").expect("atom")))
}

pub(super) const NATIVES: &[Native] = crate::natives!("io";
    "printable_range"/0 => printable_range,
);
