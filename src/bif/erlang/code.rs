//! BIFs about loaded code and the system: `function_exported/3`,
//! `module_loaded/1`, `make_fun/3`, `system_info/1`.

use super::atom;
use crate::bif::{Native, NativeResult, Raised};
use crate::code::{export_entry, module};
use crate::term::{build, Term};
use crate::vm::process::Process;

/// `erlang:function_exported(M, F, A)`: true for a loaded module's export
/// and for a BIF (erl counts BIFs as exported functions of their module).
fn function_exported(_process: &mut Process, args: &[Term]) -> NativeResult {
    let (Some(m), Some(f), Some(a)) = (args[0].as_atom(), args[1].as_atom(), args[2].as_small())
    else {
        return Err(Raised::badarg());
    };
    let arity = u32::try_from(a).map_err(|_| Raised::badarg())?;
    let exported = module::loaded(m).is_some()
        && (export_entry(m, f, arity).code().is_some() || crate::bif::lookup(m, f, arity).is_some());
    Ok(Term::bool(exported))
}

/// `erlang:module_loaded(M)`.
fn module_loaded(_process: &mut Process, args: &[Term]) -> NativeResult {
    let m = args[0].as_atom().ok_or_else(Raised::badarg)?;
    Ok(Term::bool(module::loaded(m).is_some()))
}

/// `erlang:make_fun(M, F, A)`: `fun M:F/A`.
fn make_fun(process: &mut Process, args: &[Term]) -> NativeResult {
    let (Some(m), Some(f), Some(a)) = (args[0].as_atom(), args[1].as_atom(), args[2].as_small())
    else {
        return Err(Raised::badarg());
    };
    let arity = u32::try_from(a)
        .ok()
        .filter(|&a| a <= 255)
        .ok_or_else(Raised::badarg)?;
    Ok(build::export_fun(&mut process.heap, export_entry(m, f, arity)))
}

/// `erlang:system_info(Item)` for the items stdlib asks in sequential code.
fn system_info(process: &mut Process, args: &[Term]) -> NativeResult {
    let item = args[0].as_atom().ok_or_else(Raised::badarg)?;
    match item.name() {
        "os_type" => Ok(build::tuple(&mut process.heap, &[atom("unix"), atom("linux")])),
        "wordsize" => Ok(Term::small(8)),
        "otp_release" => Ok(super::char_list(process, "25")),
        "version" => Ok(super::char_list(process, "13.1.5")),
        "machine" => Ok(super::char_list(process, "BEAM")),
        "schedulers" | "schedulers_online" | "logical_processors" => {
            let n = std::thread::available_parallelism().map_or(1, |n| n.get());
            Ok(Term::small(n as i64))
        }
        "atom_count" => Ok(Term::small(crate::term::Atom::count() as i64)),
        _ => Err(Raised::badarg()),
    }
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "function_exported"/3 => function_exported,
    "module_loaded"/1 => module_loaded,
    "make_fun"/3 => make_fun,
    "system_info"/1 => system_info,
);
