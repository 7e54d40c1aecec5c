//! Executing Erlang: processes, the instruction set they run, the
//! translator that produces it, the interpreter, and the listing of
//! translated code.

pub mod dictionary;
pub mod instr;
pub mod interp;
pub mod listing;
pub mod process;
#[cfg(feature = "op-profile")]
pub mod profile;
pub mod translate;
