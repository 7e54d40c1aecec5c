//! Running natives in tests against tables of results recorded from erl.

use super::{lookup, NativeResult};
use crate::term::{parse::parse_term, print, Atom, LocalPid, Term};
use crate::vm::process::Process;

/// The text of an argument: `seq(A,B)` is the map `#{A=>A,...,B=>B}`,
/// `pairs(A,B)` the list `[{A,A},...,{B,B}]`, `keys(A,B)` the list
/// `[A,...,B]`; anything else is a term as written.
fn expand(arg: &str) -> String {
    let range = |prefix: &str| -> Option<std::ops::RangeInclusive<i64>> {
        let inner = arg.strip_prefix(prefix)?.strip_suffix(')')?;
        let (a, b) = inner.split_once(',')?;
        Some(a.parse().ok()?..=b.parse().ok()?)
    };
    let join = |items: Vec<String>| items.join(",");
    if let Some(r) = range("seq(") {
        format!("#{{{}}}", join(r.map(|i| format!("{i}=>{i}")).collect()))
    } else if let Some(r) = range("pairs(") {
        format!("[{}]", join(r.map(|i| format!("{{{i},{i}}}")).collect()))
    } else if let Some(r) = range("keys(") {
        format!("[{}]", join(r.map(|i| i.to_string()).collect()))
    } else {
        arg.to_owned()
    }
}

/// What erl printed for `try M:F(Args) of V -> {ok, V} catch error:R ->
/// {error, R} end` with `~w`, from the same call here.
pub(crate) fn outcome(result: NativeResult) -> String {
    match result {
        Ok(value) => format!("{{ok,{}}}", print::to_string(value)),
        Err(raised) => format!("{{error,{}}}", print::to_string(raised.reason)),
    }
}

/// Calls the registered native `module:function` on `args` (term texts, see
/// [`expand`]) in a fresh process, and returns its [`outcome`].
pub(crate) fn call(module: &str, function: &str, args: &[&str]) -> String {
    let mut process = Process::new(LocalPid {
        number: 80,
        serial: 0,
    });
    let args: Vec<Term> = args
        .iter()
        .map(|a| parse_term(&expand(a), &mut process.heap).expect("a term"))
        .collect();
    let native = lookup(
        Atom::intern(module).unwrap(),
        Atom::intern(function).unwrap(),
        args.len() as u32,
    )
    .unwrap_or_else(|| panic!("no native {module}:{function}/{}", args.len()));
    outcome(native(&mut process, &args))
}

/// Checks every `(function, args, erl's outcome)` of `module`.
pub(crate) fn check_table(module: &str, cases: &[(&str, &[&str], &str)]) {
    let mut failures = Vec::new();
    for &(function, args, expected) in cases {
        let got = call(module, function, args);
        if got != expected {
            failures.push(format!(
                "{module}:{function}({})\n  erl:    {expected}\n  oxbeam: {got}",
                args.join(", ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
