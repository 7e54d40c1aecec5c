//! Executing Erlang: processes, the instruction set they run, the
//! translator that produces it, the interpreter, the listing of
//! translated code, and the runtime that schedules processes and carries
//! signals between them.

pub mod bits;
pub mod dictionary;
pub mod instr;
pub mod interp;
pub mod listing;
pub mod mailbox;
pub mod process;
#[cfg(feature = "op-profile")]
pub mod profile;
pub mod report;
pub mod runtime;
pub mod signal;
pub mod timer;
pub mod translate;
