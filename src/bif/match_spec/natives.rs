//! The natives `erlang:match_spec_test/3`, `ets:match_spec_compile/1`,
//! `ets:match_spec_run_r/3` and `ets:is_compiled_ms/1`. A compiled spec is
//! a resource reference to its [`MatchSpec`], as erl's is a magic
//! reference.

use super::{MatchSpec, MsError, TraceOutcome};
use crate::bif::{Native, NativeResult, Raised};
use crate::heap::Resource;
use crate::term::{atoms, build, Atom, Term};
use crate::vm::process::Process;

/// `erlang:match_spec_test(Term, MatchSpec, table)`: `{ok, Result, [],
/// Warnings}` (`Result` is `false` when no clause matches) or `{error,
/// Errors}`, each error `{error, String}`.
fn match_spec_test(process: &mut Process, args: &[Term]) -> NativeResult {
    let (object, spec, kind) = (args[0], args[1], args[2]);
    let trace = match kind.as_atom().map(Atom::name) {
        Some("table") => false,
        Some("trace") if object.is_list() || object.is_nil() => true,
        _ => return Err(Raised::badarg()),
    };
    let compiled = if trace {
        MatchSpec::compile_trace(spec)
    } else {
        MatchSpec::compile(spec)
    };
    let compiled = match compiled {
        Ok(compiled) => compiled,
        Err(error) => return Ok(error_result(process, &error)),
    };
    let (result, flags) = if trace {
        let outcome = compiled.run_trace(object, process).unwrap_or(TraceOutcome {
            message: Some(Term::FALSE),
            ..TraceOutcome::default()
        });
        let mut flags = Vec::new();
        if outcome.return_trace {
            flags.push(atom_term("return_trace"));
        }
        if outcome.exception_trace {
            flags.push(atom_term("exception_trace"));
        }
        let flags = build::list(&mut process.heap, &flags);
        (outcome.message.unwrap_or(Term::TRUE), flags)
    } else {
        let result = compiled.run(object, process).unwrap_or(Term::FALSE);
        (result, Term::NIL)
    };
    let ok = Term::atom(atoms::OK);
    Ok(build::tuple(
        &mut process.heap,
        &[ok, result, flags, Term::NIL],
    ))
}

fn atom_term(name: &str) -> Term {
    Term::atom(Atom::intern(name).expect("an atom"))
}

/// `{error, [{error, String}]}` for a spec that does not compile.
fn error_result(process: &mut Process, error: &MsError) -> Term {
    let heap = &mut process.heap;
    let error_atom = Term::atom(atoms::ERROR);
    let items: Vec<Term> = error
        .errors
        .iter()
        .map(|text| {
            let chars: Vec<Term> = text.chars().map(|c| Term::small(c as i64)).collect();
            let string = build::list(heap, &chars);
            build::tuple(heap, &[error_atom, string])
        })
        .collect();
    let list = build::list(heap, &items);
    build::tuple(heap, &[error_atom, list])
}

/// The spec behind a compiled match spec's reference.
fn compiled(term: Term) -> Option<std::sync::Arc<Resource>> {
    let resource = term.resource()?;
    resource.downcast_ref::<MatchSpec>()?;
    Some(resource)
}

fn is_compiled_ms(_: &mut Process, args: &[Term]) -> NativeResult {
    Ok(Term::bool(compiled(args[0]).is_some()))
}

fn match_spec_compile(process: &mut Process, args: &[Term]) -> NativeResult {
    let spec = MatchSpec::compile(args[0]).map_err(|error| error.raised())?;
    let ids = crate::vm::runtime::runtime().new_ref_key();
    Ok(build::resource_ref(
        &mut process.heap,
        &ids,
        Resource::new(spec),
    ))
}

/// `ets:match_spec_run_r(List, Compiled, Acc)`: the results of the objects
/// that match, pushed onto `Acc` in list order (so reversed).
fn match_spec_run_r(process: &mut Process, args: &[Term]) -> NativeResult {
    let resource = compiled(args[1]).ok_or_else(Raised::badarg)?;
    let spec = resource
        .downcast_ref::<MatchSpec>()
        .expect("compiled() checked the type");
    if !args[0].is_list() && !args[0].is_nil() {
        return Err(Raised::badarg());
    }
    let mut acc = args[2];
    let mut rest = args[0];
    while let Some((object, tail)) = rest.as_cons() {
        if let Some(result) = spec.run(object, process) {
            acc = build::cons(&mut process.heap, result, acc);
        }
        rest = tail;
    }
    if !rest.is_nil() {
        return Err(Raised::badarg());
    }
    Ok(acc)
}

pub(crate) const ERLANG_NATIVES: &[Native] = crate::natives!("erlang";
    "match_spec_test"/3 => match_spec_test,
);

pub(crate) const ETS_NATIVES: &[Native] = crate::natives!("ets";
    "is_compiled_ms"/1 => is_compiled_ms,
    "match_spec_compile"/1 => match_spec_compile,
    "match_spec_run_r"/3 => match_spec_run_r,
);
