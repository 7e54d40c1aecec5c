//! Raising exceptions: `error/1,2,3`, `throw/1`, `exit/1`, `nif_error/1,2`.
//!
//! Note for the interpreter: `error/2,3` and `nif_error/2` raise the reason
//! unchanged, but erl also puts their `Args` in the top frame of the stack
//! trace (in place of the arity), and `error/3` an `error_info` map given as
//! `[{error_info, Map}]` into that frame's location list. `Raised` carries
//! only class and reason, so the interpreter must take `Args` (the second
//! argument) and the options (the third) from the call itself when it builds
//! the stack trace of a call to these natives.

use crate::bif::{Native, NativeResult, Raised};
use crate::term::Term;
use crate::vm::process::Process;

/// `error(Reason)`, `error(Reason, Args)`, `error(Reason, Args, Options)`
/// and `nif_error/1,2`: class `error` with `Reason`.
fn error(_: &mut Process, args: &[Term]) -> NativeResult {
    Err(Raised::error(args[0]))
}

fn throw(_: &mut Process, args: &[Term]) -> NativeResult {
    Err(Raised::throw(args[0]))
}

fn exit(_: &mut Process, args: &[Term]) -> NativeResult {
    Err(Raised::exit(args[0]))
}

/// `erlang:raise(Class, Reason, Stacktrace)`: raises with the given stack
/// trace (the interpreter takes it from the arguments); with a bad class or
/// a stack trace that is not a list it returns `badarg`, as erl does.
fn raise(_: &mut Process, args: &[Term]) -> NativeResult {
    let class = match args[0].as_atom().map(|a| a.name()) {
        Some("error") => crate::bif::Class::Error,
        Some("exit") => crate::bif::Class::Exit,
        Some("throw") => crate::bif::Class::Throw,
        _ => return Ok(Term::atom(crate::term::atoms::BADARG)),
    };
    if args[2].list_to_vec().is_none() {
        return Ok(Term::atom(crate::term::atoms::BADARG));
    }
    Err(Raised {
        class,
        reason: args[1],
    })
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "raise"/3 => raise,
    "error"/1 => error,
    "error"/2 => error,
    "error"/3 => error,
    "nif_error"/1 => error,
    "nif_error"/2 => error,
    "throw"/1 => throw,
    "exit"/1 => exit,
);

#[cfg(test)]
mod tests {
    use super::super::testing::check;
    use super::*;

    #[test]
    fn exceptions_keep_their_reason() {
        // erl: catch class and reason of erlang:error(foo, bar),
        // erlang:error(foo, [1], [{error_info, #{}}]), erlang:nif_error(foo),
        // throw({x}), exit(normal).
        check(&[
            (error, "[foo]", "{error,foo}"),
            (error, "[foo, bar]", "{error,foo}"),
            (error, "[foo, [1], [{error_info, #{}}]]", "{error,foo}"),
            (error, "[{a, b}]", "{error,{a,b}}"),
            (throw, "[{x}]", "{throw,{x}}"),
            (exit, "[normal]", "{exit,normal}"),
        ]);
    }
}
