//! The natives of OTP's `net_kernel` module.

use crate::bif::{Native, NativeResult, Raised};
use crate::term::{Term, View};
use crate::vm::process::Process;

/// `net_kernel:dflag_unicode_io(Pid)`: whether the node of `Pid` takes
/// unicode io requests; always so for this node (`io` asks before each
/// request).
fn dflag_unicode_io(_: &mut Process, args: &[Term]) -> NativeResult {
    match args[0].view() {
        View::Pid(_) | View::ExternalPid { .. } => Ok(Term::TRUE),
        _ => Err(Raised::badarg()),
    }
}

pub(super) const NATIVES: &[Native] = crate::natives!("net_kernel";
    "dflag_unicode_io"/1 => dflag_unicode_io,
);
