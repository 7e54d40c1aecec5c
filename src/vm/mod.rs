//! Executing Erlang: processes, the instruction set they run, the
//! translator that produces it, the interpreter, and the runtime that
//! schedules processes and carries signals between them.

pub mod bits;
pub mod dictionary;
pub mod instr;
pub mod interp;
pub mod mailbox;
pub mod process;
pub mod report;
pub mod runtime;
pub mod signal;
pub mod timer;
pub mod translate;
