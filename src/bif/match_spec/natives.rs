//! The natives `erlang:match_spec_test/3` and `ets:is_compiled_ms/1`.

use super::{MatchSpec, MsError, TraceOutcome};
use crate::bif::{Native, NativeResult, Raised};
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

/// `ets:is_compiled_ms(Term)`: compiled specs (`ets:match_spec_compile/1`)
/// do not exist yet, so nothing is one.
fn is_compiled_ms(_: &mut Process, _: &[Term]) -> NativeResult {
    Ok(Term::FALSE)
}

pub(crate) const ERLANG_NATIVES: &[Native] = crate::natives!("erlang";
    "match_spec_test"/3 => match_spec_test,
);

pub(crate) const ETS_NATIVES: &[Native] = crate::natives!("ets";
    "is_compiled_ms"/1 => is_compiled_ms,
);
