//! The natively implemented functions of OTP's `os` module: the
//! environment, the OS process id and the clocks.

use super::erlang::time;
use super::{Native, NativeResult, Raised};
use crate::term::{build, Term};
use crate::vm::process::Process;

/// Text from a flat list of character codes.
fn text_arg(term: Term) -> Result<String, Raised> {
    let mut text = String::new();
    let mut items = term.list_iter();
    for item in items.by_ref() {
        let c = item
            .as_small()
            .and_then(|c| u32::try_from(c).ok())
            .and_then(char::from_u32)
            .ok_or_else(Raised::badarg)?;
        text.push(c);
    }
    if !items.rest().is_nil() {
        return Err(Raised::badarg());
    }
    Ok(text)
}

fn string(process: &mut Process, text: &str) -> Term {
    let chars: Vec<Term> = text.chars().map(|c| Term::small(c as i64)).collect();
    build::list(&mut process.heap, &chars)
}

/// A variable name: not empty and without `=` (erl's rule).
fn name_arg(term: Term) -> Result<String, Raised> {
    let name = text_arg(term)?;
    if name.is_empty() || name.contains('=') || name.contains('\0') {
        return Err(Raised::badarg());
    }
    Ok(name)
}

/// `os:env()`: `[{Name, Value}]`.
fn env(process: &mut Process, _: &[Term]) -> NativeResult {
    let pairs: Vec<Term> = std::env::vars_os()
        .map(|(k, v)| {
            let (k, v) = (
                string(process, &k.to_string_lossy()),
                string(process, &v.to_string_lossy()),
            );
            build::tuple(&mut process.heap, &[k, v])
        })
        .collect();
    Ok(build::list(&mut process.heap, &pairs))
}

fn getenv(process: &mut Process, args: &[Term]) -> NativeResult {
    let name = text_arg(args[0])?;
    if name.is_empty() || name.contains('\0') {
        return Ok(Term::FALSE);
    }
    Ok(match std::env::var_os(&name) {
        Some(value) => string(process, &value.to_string_lossy()),
        None => Term::FALSE,
    })
}

fn putenv(_: &mut Process, args: &[Term]) -> NativeResult {
    let name = name_arg(args[0])?;
    let value = text_arg(args[1])?;
    if value.contains('\0') {
        return Err(Raised::badarg());
    }
    // The environment is the OS process's, shared as on erl.
    std::env::set_var(name, value);
    Ok(Term::TRUE)
}

fn unsetenv(_: &mut Process, args: &[Term]) -> NativeResult {
    let name = name_arg(args[0])?;
    std::env::remove_var(name);
    Ok(Term::TRUE)
}

fn getpid(process: &mut Process, _: &[Term]) -> NativeResult {
    Ok(string(process, &std::process::id().to_string()))
}

pub(super) const NATIVES: &[Native] = crate::natives!("os";
    "env"/0 => env,
    "getenv"/1 => getenv,
    "putenv"/2 => putenv,
    "unsetenv"/1 => unsetenv,
    "getpid"/0 => getpid,
    "perf_counter"/0 => time::monotonic_time_0,
    "system_time"/0 => time::system_time_0,
    "system_time"/1 => time::system_time_1,
    "timestamp"/0 => time::timestamp,
);
