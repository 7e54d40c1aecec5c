//! Executing Erlang: processes and (next) the interpreter.

pub mod dictionary;
pub mod process;
