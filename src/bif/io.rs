//! The natives of OTP's `io` module.

use crate::bif::{Native, NativeResult};
use crate::term::{Atom, Term};
use crate::vm::process::Process;

/// `io:printable_range()`: the characters `~p` takes for printable, as
/// erl's `+pc` sets them; erl's default is `latin1`.
fn printable_range(_: &mut Process, _: &[Term]) -> NativeResult {
    Ok(Term::atom(Atom::intern("latin1").expect("atom")))
}

pub(super) const NATIVES: &[Native] = crate::natives!("io";
    "printable_range"/0 => printable_range,
);
