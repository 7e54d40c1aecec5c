//! The natives of direct mode's `init` (`erl/init.erl`): what the command
//! line says, as erl's init answers it.

use crate::bif::{Native, NativeResult};
use crate::direct::{command_line, string};
use crate::term::{atoms, build, Atom, Term};
use crate::vm::process::Process;

fn strings(process: &mut Process, values: &[String]) -> Term {
    let items: Vec<Term> = values
        .iter()
        .map(|v| string(&mut process.heap, v))
        .collect();
    build::list(&mut process.heap, &items)
}

/// `init:get_arguments()`: `[{Flag, Values}]`, every flag in order.
fn get_arguments(process: &mut Process, _: &[Term]) -> NativeResult {
    let mut pairs = Vec::new();
    for (flag, values) in &command_line().flags {
        let Ok(name) = Atom::intern(flag) else {
            continue;
        };
        let values = strings(process, values);
        pairs.push(build::tuple(&mut process.heap, &[Term::atom(name), values]));
    }
    Ok(build::list(&mut process.heap, &pairs))
}

/// `init:get_argument(Flag)`: `{ok, [Values]}` with the values of each
/// occurrence, or `error`.
fn get_argument(process: &mut Process, args: &[Term]) -> NativeResult {
    let Some(flag) = args[0].as_atom() else {
        return Ok(Term::atom(atoms::ERROR));
    };
    let occurrences: Vec<Vec<String>> = command_line()
        .flag_values(flag.name())
        .map(<[String]>::to_vec)
        .collect();
    if occurrences.is_empty() {
        return Ok(Term::atom(atoms::ERROR));
    }
    let lists: Vec<Term> = occurrences.iter().map(|v| strings(process, v)).collect();
    let lists = build::list(&mut process.heap, &lists);
    Ok(build::tuple(
        &mut process.heap,
        &[Term::atom(atoms::OK), lists],
    ))
}

/// `init:get_plain_arguments()`.
fn get_plain_arguments(process: &mut Process, _: &[Term]) -> NativeResult {
    Ok(strings(process, &command_line().plain))
}

pub(super) const NATIVES: &[Native] = crate::natives!("init";
    "get_arguments"/0 => get_arguments,
    "get_argument"/1 => get_argument,
    "get_plain_arguments"/0 => get_plain_arguments,
);
