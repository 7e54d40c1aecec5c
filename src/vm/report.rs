//! What the runtime writes to stderr itself: the error report of a
//! process that crashed (erl's logger writes one for each).

use crate::term::{print, LocalPid, Term};

/// `Error in process <0.N.0> with exit value: Reason`, as erl's logger
/// reports a process that died of an error.
pub fn process_error(pid: LocalPid, reason: Term) {
    eprintln!(
        "=ERROR REPORT==== {} ===\nError in process <0.{}.{}> with exit value:\n{}\n",
        timestamp(),
        pid.number,
        pid.serial,
        print::to_string(reason)
    );
}

/// The time as seconds since the epoch (erl prints a local date; stderr
/// is not part of what tests compare).
fn timestamp() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    format!("{}.{:06}", now.as_secs(), now.subsec_micros())
}
