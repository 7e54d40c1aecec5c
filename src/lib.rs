//! oxbeam: a BEAM (the Erlang virtual machine) written in Rust.
//!
//! The modules follow the architecture in `docs/architecture.md`:
//! terms ([`term`]), memory areas ([`heap`]), code and its tables ([`code`]).

pub mod bif;
pub mod code;
pub mod direct;
pub mod dis;
pub mod etf;
pub mod heap;
pub mod isa;
pub mod loader;
pub mod term;
pub mod vm;
