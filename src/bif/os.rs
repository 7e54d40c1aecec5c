//! The natives of OTP's `os` module about the environment and the OS
//! process: `getenv/1`, `env/0`, `putenv/2`, `unsetenv/1`, `getpid/0`.
//!
//! The environment is a copy taken at first use, which `putenv` and
//! `unsetenv` change: the OS process's own environment is never written
//! while threads run.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use super::erlang::{binary_bytes, int_list};
use crate::bif::{Native, NativeResult, Raised};
use crate::direct::string;
use crate::term::{build, Term};
use crate::vm::process::Process;

fn environment() -> &'static Mutex<BTreeMap<String, String>> {
    static ENV: OnceLock<Mutex<BTreeMap<String, String>>> = OnceLock::new();
    ENV.get_or_init(|| {
        let text = |s: std::ffi::OsString| {
            use std::os::unix::ffi::OsStringExt;
            s.into_string()
                .unwrap_or_else(|s| s.into_vec().into_iter().map(char::from).collect())
        };
        Mutex::new(
            std::env::vars_os()
                .map(|(k, v)| (text(k), text(v)))
                .collect(),
        )
    })
}

/// A name or value: a string of characters or a binary (UTF-8).
fn text_arg(term: Term) -> Option<String> {
    if let Some(bytes) = binary_bytes(term) {
        return String::from_utf8(bytes.into_owned()).ok();
    }
    int_list(term)?
        .into_iter()
        .map(|c| char::from_u32(u32::try_from(c).ok()?).filter(|&c| c != '\0'))
        .collect()
}

/// A variable's name: not empty, no `=`.
fn name_arg(term: Term) -> Result<String, Raised> {
    text_arg(term)
        .filter(|name| !name.is_empty() && !name.contains('='))
        .ok_or_else(Raised::badarg)
}

fn getenv(process: &mut Process, args: &[Term]) -> NativeResult {
    let name = name_arg(args[0])?;
    let value = environment().lock().expect("env lock").get(&name).cloned();
    Ok(match value {
        Some(value) => string(&mut process.heap, &value),
        None => Term::FALSE,
    })
}

/// `os:env()`: `[{Name, Value}]`.
fn env(process: &mut Process, _: &[Term]) -> NativeResult {
    let pairs: Vec<(String, String)> = environment()
        .lock()
        .expect("env lock")
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut items = Vec::with_capacity(pairs.len());
    for (name, value) in pairs {
        let name = string(&mut process.heap, &name);
        let value = string(&mut process.heap, &value);
        items.push(build::tuple(&mut process.heap, &[name, value]));
    }
    Ok(build::list(&mut process.heap, &items))
}

fn putenv(_: &mut Process, args: &[Term]) -> NativeResult {
    let name = name_arg(args[0])?;
    let value = text_arg(args[1]).ok_or_else(Raised::badarg)?;
    environment().lock().expect("env lock").insert(name, value);
    Ok(Term::TRUE)
}

fn unsetenv(_: &mut Process, args: &[Term]) -> NativeResult {
    let name = name_arg(args[0])?;
    environment().lock().expect("env lock").remove(&name);
    Ok(Term::TRUE)
}

/// `os:getpid()`: the OS process id, as a string.
fn getpid(process: &mut Process, _: &[Term]) -> NativeResult {
    Ok(string(&mut process.heap, &std::process::id().to_string()))
}

pub(super) const NATIVES: &[Native] = crate::natives!("os";
    "getenv"/1 => getenv,
    "env"/0 => env,
    "putenv"/2 => putenv,
    "unsetenv"/1 => unsetenv,
    "getpid"/0 => getpid,
);
