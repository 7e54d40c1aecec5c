//! Native functions: the `erlang` BIFs and the functions OTP implements
//! natively in other modules, in one registry keyed by `{M, F, A}`.
//!
//! A native function receives its process and its arguments, and returns a
//! term or an exception. It allocates on the process heap (which spills into
//! heap fragments when full) and never triggers a garbage collection, so the
//! terms it holds stay valid for the whole call. Files are organised by the
//! Erlang module they implement: `erlang/…`, `lists.rs`, `maps.rs`,
//! `persistent_term.rs`, ….

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::term::{atoms, Atom, Term};
use crate::vm::process::Process;

/// The class of an exception (`error`, `exit` or `throw`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Class {
    Error,
    Exit,
    Throw,
}

/// An exception raised by a native function. For class `error` the
/// interpreter puts the native function (with its arguments) on top of the
/// stack trace, as erl does.
#[derive(Clone, Copy, Debug)]
pub struct Raised {
    pub class: Class,
    pub reason: Term,
}

impl Raised {
    pub fn error(reason: Term) -> Raised {
        Raised {
            class: Class::Error,
            reason,
        }
    }

    pub fn badarg() -> Raised {
        Raised::error(Term::atom(atoms::BADARG))
    }

    pub fn badarith() -> Raised {
        Raised::error(Term::atom(atoms::BADARITH))
    }

    pub fn system_limit() -> Raised {
        Raised::error(Term::atom(atoms::SYSTEM_LIMIT))
    }

    pub fn throw(reason: Term) -> Raised {
        Raised {
            class: Class::Throw,
            reason,
        }
    }

    pub fn exit(reason: Term) -> Raised {
        Raised {
            class: Class::Exit,
            reason,
        }
    }
}

impl From<crate::term::arith::ArithError> for Raised {
    fn from(e: crate::term::arith::ArithError) -> Raised {
        match e {
            crate::term::arith::ArithError::Badarith => Raised::badarith(),
            crate::term::arith::ArithError::SystemLimit => Raised::system_limit(),
        }
    }
}

pub type NativeResult = Result<Term, Raised>;

thread_local! {
    /// The `cause` a failing native adds to its frame's `error_info` map
    /// (erts's `fvalue` with `EXF_HAS_EXT_INFO`), taken when the exception
    /// is built.
    static ERROR_CAUSE: std::cell::Cell<Option<Atom>> = const { std::cell::Cell::new(None) };
}

/// `badarg` whose stack frame says `#{cause => Cause, module => ...}`.
pub fn badarg_with_cause(cause: &str) -> Raised {
    ERROR_CAUSE.with(|c| c.set(Atom::intern(cause).ok()));
    Raised::badarg()
}

/// The cause a native set for the exception being built (and forgets it).
pub(crate) fn take_error_cause() -> Option<Atom> {
    ERROR_CAUSE.with(|c| c.take())
}

/// A native function: the process and the arguments (`args.len()` is the
/// function's arity).
pub type NativeFn = fn(&mut Process, &[Term]) -> NativeResult;

/// One row of a module's table of native functions.
pub struct Native {
    pub module: &'static str,
    pub function: &'static str,
    pub arity: u32,
    pub fun: NativeFn,
}

/// Declares a table of natives of one Erlang module:
/// `natives!(MODULE_NAME; "name"/arity => rust_fn, ...)`.
#[macro_export]
macro_rules! natives {
    ($module:literal; $($name:literal / $arity:literal => $fun:path),* $(,)?) => {
        &[$($crate::bif::Native {
            module: $module,
            function: $name,
            arity: $arity,
            fun: $fun,
        }),*]
    };
}

pub mod atomics;
pub mod binary;
pub mod code;
pub mod erlang;
pub mod erts_internal;
pub mod ets;
pub mod init;
pub mod io;
pub mod lists;
pub mod maps;
pub mod match_spec;
pub mod math;
pub mod net_kernel;
pub mod os;
pub mod oxbeam_io;
pub mod persistent_term;
pub mod re;
pub mod string;
#[cfg(test)]
mod testing;
pub mod unicode;
pub mod zlib;

/// Every table of natives, by Erlang module.
const TABLES: &[&[&[Native]]] = &[
    erlang::TABLES,
    &[binary::NATIVES],
    &[io::NATIVES],
    &[lists::NATIVES],
    &[maps::NATIVES],
    &[match_spec::ERLANG_NATIVES, match_spec::ETS_NATIVES],
    &[math::NATIVES],
    &[os::NATIVES],
    &[string::NATIVES],
    &[erts_internal::NATIVES],
    &[persistent_term::NATIVES],
    &[re::NATIVES],
    &[ets::NATIVES],
    &[unicode::NATIVES],
    &[code::NATIVES],
    &[init::NATIVES],
    &[net_kernel::NATIVES],
    &[oxbeam_io::NATIVES],
    &[atomics::NATIVES, atomics::ERTS_INTERNAL_NATIVES],
    &[zlib::NATIVES, zlib::ERLANG_NATIVES],
];

type Registry = HashMap<(Atom, Atom, u32), NativeFn>;

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut map = HashMap::new();
        for native in TABLES.iter().flat_map(|m| m.iter()).flat_map(|t| t.iter()) {
            let module = Atom::intern(native.module).expect("module name is an atom");
            let function = Atom::intern(native.function).expect("function name is an atom");
            let previous = map.insert((module, function, native.arity), native.fun);
            assert!(
                previous.is_none(),
                "native {}:{}/{} registered twice",
                native.module,
                native.function,
                native.arity
            );
        }
        map
    })
}

/// The module that explains (`format_error/2`) the errors raised by the
/// natives of `module`, named in their stack frames as
/// `[{error_info, #{module => M}}]`; erts's table (`beam_common.c`). Natives
/// of other modules get no `error_info`.
pub fn error_info_module(module: Atom) -> Option<&'static str> {
    match module.name() {
        "atomics" | "counters" | "erlang" | "erts_internal" | "persistent_term" => {
            Some("erl_erts_errors")
        }
        "os" => Some("erl_kernel_errors"),
        "binary" | "ets" | "lists" | "maps" | "math" | "re" | "unicode" => {
            Some("erl_stdlib_errors")
        }
        _ => None,
    }
}

/// The native function `module:function/arity`, if there is one.
pub fn lookup(module: Atom, function: Atom, arity: u32) -> Option<NativeFn> {
    registry().get(&(module, function, arity)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_finds_registered_natives_only() {
        let erlang = Atom::intern("erlang").unwrap();
        let hd = Atom::intern("hd").unwrap();
        assert!(lookup(erlang, hd, 1).is_some());
        assert!(lookup(erlang, hd, 2).is_none());
    }
}
