//! The `erlang` module's native functions, by area. Each file declares its
//! own table of natives; [`NATIVES`] joins them for the registry.

use std::borrow::Cow;

use super::Native;
use crate::term::{build, Atom, Bitstring, Term, View};
use crate::vm::process::Process;

mod arith;
mod atoms;
pub(crate) mod binaries;
mod checksums;
mod code;
mod compare;
mod dictionary;
pub(crate) mod display;
mod etf;
mod floats;
mod hash;
mod identity;
mod lists;
mod misc;
mod numbers;
pub(crate) mod processes;
mod raise;
pub(crate) mod time;
mod timezone;
mod tuples;
mod types;

/// The tables of every area: every native function of the `erlang` module.
pub(crate) const TABLES: &[&[Native]] = &[
    arith::NATIVES,
    atoms::NATIVES,
    binaries::NATIVES,
    checksums::NATIVES,
    code::NATIVES,
    compare::NATIVES,
    dictionary::NATIVES,
    display::NATIVES,
    etf::NATIVES,
    floats::NATIVES,
    hash::NATIVES,
    identity::NATIVES,
    lists::NATIVES,
    misc::NATIVES,
    numbers::NATIVES,
    processes::NATIVES,
    raise::NATIVES,
    time::NATIVES,
    tuples::NATIVES,
    types::NATIVES,
];

// ---- helpers shared by the areas ------------------------------------------

/// The atom with this text (names the natives use are always valid atoms).
pub(super) fn atom(name: &str) -> Term {
    Term::atom(Atom::intern(name).expect("a short name is a valid atom"))
}

/// A list of the code points of `text`.
pub(super) fn char_list(process: &mut Process, text: &str) -> Term {
    let chars: Vec<Term> = text.chars().map(|c| Term::small(c as i64)).collect();
    build::list(&mut process.heap, &chars)
}

/// A list of bytes.
pub(super) fn byte_list(process: &mut Process, bytes: &[u8]) -> Term {
    let items: Vec<Term> = bytes.iter().map(|&b| Term::small(b as i64)).collect();
    build::list(&mut process.heap, &items)
}

/// The elements of a proper list of small non-negative integers (not
/// checked against any upper bound), or `None`.
pub(super) fn int_list(term: Term) -> Option<Vec<u64>> {
    let mut iter = term.list_iter();
    let mut out = Vec::new();
    for item in iter.by_ref() {
        match item.as_small() {
            Some(v) if v >= 0 => out.push(v as u64),
            _ => return None,
        }
    }
    iter.rest().is_nil().then_some(out)
}

/// The bytes of a bitstring that is a whole number of bytes (realigned
/// when a sub binary starts inside a byte), or `None`.
pub(super) fn whole_bytes<'a>(bits: &Bitstring<'a>) -> Option<Cow<'a, [u8]>> {
    if bits.trailing_bits() != 0 {
        return None;
    }
    Some(match bits.as_bytes() {
        Some(bytes) => Cow::Borrowed(bytes),
        None => Cow::Owned((0..bits.byte_len()).map(|i| bits.byte(i)).collect()),
    })
}

/// The bytes of a binary (not a bitstring with a partial byte), or `None`.
pub(super) fn binary_bytes<'a>(term: Term) -> Option<Cow<'a, [u8]>> {
    match term.view() {
        View::Bitstring(bits) => whole_bytes(&bits),
        _ => None,
    }
}

/// The length of a proper list, or `None` for anything else.
pub(super) fn proper_length(term: Term) -> Option<usize> {
    let mut iter = term.list_iter();
    let n = iter.by_ref().count();
    iter.rest().is_nil().then_some(n)
}

/// A non-negative integer that fits in 64 bits (erts's `term_to_Uint`).
pub(crate) fn term_to_u64(term: Term) -> Option<u64> {
    match term.view() {
        View::Small(v) => u64::try_from(v).ok(),
        View::Big {
            negative: false,
            limbs: &[limb],
        } => Some(limb),
        _ => None,
    }
}

/// An integer that fits in a signed 64-bit word (erts's `term_to_Sint`).
pub(crate) fn term_to_i64(term: Term) -> Option<i64> {
    match term.view() {
        View::Small(v) => Some(v),
        View::Big {
            negative,
            limbs: &[limb],
        } => {
            if negative {
                0i64.checked_sub_unsigned(limb)
            } else {
                i64::try_from(limb).ok()
            }
        }
        _ => None,
    }
}

/// `true`/`false` as a Rust bool.
pub(super) fn as_bool(term: Term) -> Option<bool> {
    if term == Term::TRUE {
        Some(true)
    } else if term == Term::FALSE {
        Some(false)
    } else {
        None
    }
}

/// Test helpers: run natives on a fresh process and show results as `~w`.
#[cfg(test)]
pub(crate) mod testing {
    use crate::bif::{Class, NativeFn};
    use crate::term::{parse::parse_term, print::to_string, LocalPid, Term};
    use crate::vm::process::Process;

    pub(crate) fn process() -> Process {
        Process::new(LocalPid {
            number: 80,
            serial: 0,
        })
    }

    /// The terms of an Erlang list written as text (`"[1, {a}]"`).
    pub(crate) fn terms(process: &mut Process, text: &str) -> Vec<Term> {
        let list = parse_term(text, &mut process.heap).expect("test arguments parse");
        list.list_to_vec().expect("test arguments are a list")
    }

    /// What erl's `try F(Args) of V -> V catch C:R -> {C,R} end` prints
    /// with `~w`.
    pub(crate) fn show(result: crate::bif::NativeResult) -> String {
        match result {
            Ok(term) => to_string(term),
            Err(raised) => {
                let class = match raised.class {
                    Class::Error => "error",
                    Class::Exit => "exit",
                    Class::Throw => "throw",
                };
                format!("{{{class},{}}}", to_string(raised.reason))
            }
        }
    }

    /// Calls `fun` with the arguments in `args` (an Erlang list as text).
    pub(crate) fn call_in(process: &mut Process, fun: NativeFn, args: &str) -> String {
        let args = terms(process, args);
        show(fun(process, &args))
    }

    /// [`call_in`] on a fresh process.
    pub(crate) fn call(fun: NativeFn, args: &str) -> String {
        call_in(&mut process(), fun, args)
    }

    /// Checks `(function, arguments, erl's result)` rows.
    pub(crate) fn check(rows: &[(NativeFn, &str, &str)]) {
        for (fun, args, expected) in rows {
            assert_eq!(&call(*fun, args), expected, "arguments {args}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_native_of_every_area_is_registered() {
        let erlang = Atom::intern("erlang").unwrap();
        for n in TABLES.iter().flat_map(|t| t.iter()) {
            assert_eq!(n.module, "erlang");
            let f = Atom::intern(n.function).unwrap();
            assert!(super::super::lookup(erlang, f, n.arity).is_some());
        }
    }
}
