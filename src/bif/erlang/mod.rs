//! The `erlang` module's native functions, by area.

use super::{Native, NativeResult, Raised};
use crate::term::Term;
use crate::vm::process::Process;

/// `erlang:hd/1`.
fn hd(_process: &mut Process, args: &[Term]) -> NativeResult {
    args[0].as_cons().map(|(h, _)| h).ok_or_else(Raised::badarg)
}

/// `erlang:tl/1`.
fn tl(_process: &mut Process, args: &[Term]) -> NativeResult {
    args[0].as_cons().map(|(_, t)| t).ok_or_else(Raised::badarg)
}

pub(crate) const NATIVES: &[Native] = crate::natives!("erlang";
    "hd"/1 => hd,
    "tl"/1 => tl,
);
