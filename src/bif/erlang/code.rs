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
    let exported = if m == crate::term::atoms::ERLANG {
        // The VM's own module: its natives, and apply/2,3 (run by the
        // interpreter itself).
        crate::bif::lookup(m, f, arity).is_some()
            || (f.name() == "apply" && (arity == 2 || arity == 3))
    } else {
        module::loaded(m).is_some()
            && (export_entry(m, f, arity).code().is_some()
                || crate::bif::lookup(m, f, arity).is_some())
    };
    Ok(Term::bool(exported))
}

/// `erlang:module_loaded(M)`.
fn module_loaded(_process: &mut Process, args: &[Term]) -> NativeResult {
    let m = args[0].as_atom().ok_or_else(Raised::badarg)?;
    Ok(Term::bool(
        m == crate::term::atoms::ERLANG || module::loaded(m).is_some(),
    ))
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
    Ok(build::export_fun(
        &mut process.heap,
        export_entry(m, f, arity),
    ))
}

/// `erlang:system_info(Item)` for the items OTP's libraries and programs
/// ask, answered as erl 25 answers them where they describe the system
/// rather than the implementation.
fn system_info(process: &mut Process, args: &[Term]) -> NativeResult {
    if let Some(&[key, value]) = args[0].as_tuple() {
        return match (
            key.as_atom().map(|a| a.name()),
            value.as_atom().map(|a| a.name()),
        ) {
            (Some("wordsize"), Some("internal" | "external")) => Ok(Term::small(8)),
            _ => Err(Raised::badarg()),
        };
    }
    let item = args[0].as_atom().ok_or_else(Raised::badarg)?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let schedulers = match crate::vm::runtime::runtime().schedulers() {
        0 => cores,
        n => n,
    };
    let small = |n: usize| Ok(Term::small(n as i64));
    match item.name() {
        "os_type" => Ok(build::tuple(
            &mut process.heap,
            &[atom("unix"), atom("linux")],
        )),
        "os_version" => {
            let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
            let numbers: Vec<Term> = release
                .split(|c: char| !c.is_ascii_digit())
                .filter(|part| !part.is_empty())
                .take(3)
                .map(|part| Term::small(part.parse::<i64>().unwrap_or(0)))
                .collect();
            Ok(build::tuple(&mut process.heap, &numbers))
        }
        "wordsize" => small(8),
        "otp_release" => Ok(super::char_list(process, "25")),
        "version" => Ok(super::char_list(process, "13.1.5")),
        "machine" => Ok(super::char_list(process, "BEAM")),
        "system_version" => {
            let text = format!(
                "Erlang/OTP 25 [erts-13.1.5] [oxbeam] [64-bit] [smp:{schedulers}:{schedulers}]\n"
            );
            Ok(super::char_list(process, &text))
        }
        "system_architecture" => {
            let text = format!("{}-pc-linux-gnu", std::env::consts::ARCH);
            Ok(super::char_list(process, &text))
        }
        "schedulers"
        | "schedulers_online"
        | "dirty_cpu_schedulers"
        | "dirty_cpu_schedulers_online" => small(schedulers),
        "logical_processors" | "logical_processors_available" | "logical_processors_online" => {
            small(cores)
        }
        "dirty_io_schedulers" => small(10),
        "thread_pool_size" => small(1),
        "process_count" => small(crate::vm::runtime::runtime().process_count()),
        "process_limit" => small(262_144),
        "port_count" => small(0),
        "port_limit" => small(65_536),
        "atom_count" => small(crate::term::Atom::count()),
        "atom_limit" => small(1_048_576),
        "ets_limit" => small(8192),
        "compat_rel" => small(25),
        "creation" => small(0),
        "smp_support" | "threads" | "time_correction" => Ok(Term::TRUE),
        "debug_compiled" | "break_ignored" => Ok(Term::FALSE),
        "heap_type" => Ok(atom("private")),
        "build_type" | "emu_type" => Ok(atom("opt")),
        // An interpreter: erl's flavor without the JIT.
        "emu_flavor" => Ok(atom("emu")),
        "nif_version" => Ok(super::char_list(process, "2.16")),
        "driver_version" => Ok(super::char_list(process, "3.3")),
        "sequential_tracer" => Ok(build::tuple(
            &mut process.heap,
            &[atom("sequential_tracer"), Term::FALSE],
        )),
        _ => Err(Raised::badarg()),
    }
}

/// `erlang:get_module_info(M)`: what `M:module_info()` returns.
fn get_module_info_1(process: &mut Process, args: &[Term]) -> NativeResult {
    let items = ["module", "exports", "attributes", "compile", "md5"];
    let mut pairs = Vec::new();
    for item in items {
        let value = module_info(process, args[0], atom(item))?;
        pairs.push(build::tuple(&mut process.heap, &[atom(item), value]));
    }
    Ok(build::list(&mut process.heap, &pairs))
}

/// `erlang:get_module_info(M, Item)`: what `M:module_info(Item)` returns.
fn get_module_info_2(process: &mut Process, args: &[Term]) -> NativeResult {
    module_info(process, args[0], args[1])
}

fn module_info(process: &mut Process, module: Term, item: Term) -> NativeResult {
    let m = module.as_atom().ok_or_else(Raised::badarg)?;
    let loaded = module::loaded(m).ok_or_else(Raised::badarg)?;
    let item = item.as_atom().ok_or_else(Raised::badarg)?;
    let heap = &mut process.heap;
    let pair = |heap: &mut crate::heap::ProcessHeap, f: crate::term::Atom, a: u32| {
        build::tuple(heap, &[Term::atom(f), Term::small(a as i64)])
    };
    Ok(match item.name() {
        "module" => Term::atom(m),
        "exports" => {
            let items: Vec<Term> = loaded
                .exports
                .iter()
                .map(|&(f, a, _)| pair(heap, f, a))
                .collect();
            build::list(heap, &items)
        }
        "functions" => {
            let items: Vec<Term> = loaded
                .functions
                .iter()
                .map(|f| pair(heap, f.name, f.arity))
                .collect();
            build::list(heap, &items)
        }
        "attributes" => loaded.attributes,
        "compile" => loaded.compile_info,
        "md5" => build::binary(heap, &loaded.md5),
        "native" => Term::FALSE,
        _ => return Err(Raised::badarg()),
    })
}

/// `erlang:fun_info(Fun, Item)`.
fn fun_info(process: &mut Process, args: &[Term]) -> NativeResult {
    use crate::term::View;
    let item = args[1].as_atom().ok_or_else(Raised::badarg)?;
    let heap = &mut process.heap;
    let value = match (args[0].view(), item.name()) {
        (View::Fun(f), "arity") => Term::small(f.entry.arity as i64),
        (View::Fun(f), "module") => Term::atom(f.entry.module),
        (View::Fun(f), "name") => {
            let name = f.entry.code().and_then(|code| {
                let m = module::module_in_slot(code.slot);
                m.function_at(code.ip).map(|info| info.name)
            });
            Term::atom(name.unwrap_or(crate::term::atoms::UNDEFINED))
        }
        (View::Fun(f), "env") => build::list(heap, f.free),
        (View::Fun(_), "type") => atom("local"),
        (View::Fun(f), "index") => Term::small(f.entry.old_index as i64),
        (View::Fun(f), "uniq") => Term::small(f.entry.old_uniq as i64),
        (View::Fun(f), "new_index") => Term::small(f.entry.index as i64),
        (View::Fun(f), "new_uniq") => build::binary(heap, &f.entry.uniq),
        (View::Fun(f), "pid") => f.creator,
        (View::Export(e), "arity") => Term::small(e.arity as i64),
        (View::Export(e), "module") => Term::atom(e.module),
        (View::Export(e), "name") => Term::atom(e.function),
        (View::Export(_), "env") => Term::NIL,
        (View::Export(_), "type") => atom("external"),
        (View::Export(_), "pid")
        | (View::Export(_), "index")
        | (View::Export(_), "uniq")
        | (View::Export(_), "new_index")
        | (View::Export(_), "new_uniq") => atom("undefined"),
        _ => return Err(Raised::badarg()),
    };
    Ok(build::tuple(heap, &[Term::atom(item), value]))
}

/// `erlang:fun_info(Fun)`: every item, in erl's order.
fn fun_info_1(process: &mut Process, args: &[Term]) -> NativeResult {
    let items: &[&str] = match args[0].view() {
        crate::term::View::Fun(_) => &[
            "pid",
            "module",
            "new_index",
            "new_uniq",
            "index",
            "uniq",
            "name",
            "arity",
            "env",
            "type",
        ],
        crate::term::View::Export(_) => &["module", "name", "arity", "env", "type"],
        _ => return Err(Raised::badarg()),
    };
    let mut pairs = Vec::new();
    for item in items {
        pairs.push(fun_info(process, &[args[0], atom(item)])?);
    }
    Ok(build::list(&mut process.heap, &pairs))
}

/// `erlang:is_builtin(M, F, A)`: whether `M:F/A` is a native function.
fn is_builtin(_process: &mut Process, args: &[Term]) -> NativeResult {
    let (Some(m), Some(f), Some(a)) = (args[0].as_atom(), args[1].as_atom(), args[2].as_small())
    else {
        return Err(Raised::badarg());
    };
    let arity = u32::try_from(a).map_err(|_| Raised::badarg())?;
    Ok(Term::bool(crate::bif::lookup(m, f, arity).is_some()))
}

/// `erlang:fun_to_list(Fun)`: the fun as `~w` prints it.
fn fun_to_list(process: &mut Process, args: &[Term]) -> NativeResult {
    match args[0].view() {
        crate::term::View::Fun(_) | crate::term::View::Export(_) => {
            let text = crate::term::print::to_string(args[0]);
            Ok(super::char_list(process, &text))
        }
        _ => Err(Raised::badarg()),
    }
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "fun_to_list"/1 => fun_to_list,
    "fun_info"/1 => fun_info_1,
    "is_builtin"/3 => is_builtin,
    "get_module_info"/1 => get_module_info_1,
    "get_module_info"/2 => get_module_info_2,
    "fun_info"/2 => fun_info,
    "function_exported"/3 => function_exported,
    "module_loaded"/1 => module_loaded,
    "make_fun"/3 => make_fun,
    "system_info"/1 => system_info,
    "system_flag"/2 => system_flag,
);

/// `erlang:system_flag/2`: the flags the runtime has, answering the old
/// value; others are badarg.
fn system_flag(process: &mut Process, args: &[Term]) -> NativeResult {
    use crate::vm::report::{set_system_logger, SystemLogger};
    match args[0].as_atom().map(|a| a.name()) {
        Some("system_logger") => {
            let new = match (args[1].as_local_pid(), args[1].as_atom().map(|a| a.name())) {
                (Some(pid), _) => SystemLogger::Process(pid),
                (None, Some("logger")) => SystemLogger::Registered,
                (None, Some("undefined")) => SystemLogger::Undefined,
                _ => return Err(Raised::badarg()),
            };
            Ok(match set_system_logger(new) {
                SystemLogger::Registered => atom("logger"),
                SystemLogger::Undefined => atom("undefined"),
                SystemLogger::Process(pid) => Term::local_pid(pid),
            })
        }
        _ => {
            let _ = process;
            Err(Raised::badarg())
        }
    }
}
