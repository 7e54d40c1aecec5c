//! Executing Erlang: processes, the instruction set they run, the
//! translator that produces it, and the interpreter.

pub mod bits;
pub mod dictionary;
pub mod instr;
pub mod interp;
pub mod process;
pub mod translate;
