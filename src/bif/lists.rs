//! The natively implemented functions of OTP 25's `lists` module (the
//! `lists:` entries of erts's `bif.tab`); the rest of `lists` is Erlang
//! code in stdlib.

use std::sync::OnceLock;

use super::{Native, NativeResult, Raised};
use crate::term::{build, order, Atom, Term, View};
use crate::vm::process::Process;

/// `lists:reverse(List, Tail)`: the elements of `List` reversed, in front
/// of `Tail`; `badarg` if `List` is not a proper list.
fn reverse(process: &mut Process, args: &[Term]) -> NativeResult {
    let (list, tail) = (args[0], args[1]);
    let mut check = list.list_iter();
    check.by_ref().for_each(drop);
    if !check.rest().is_nil() {
        return Err(Raised::badarg());
    }
    Ok(list
        .list_iter()
        .fold(tail, |acc, e| build::cons(&mut process.heap, e, acc)))
}

/// `lists:member(Elem, List)`: is an element exactly equal (`=:=`) to
/// `Elem`? `badarg` if `List` is not a list, or is improper and has no such
/// element before its tail.
fn member(_process: &mut Process, args: &[Term]) -> NativeResult {
    let (wanted, list) = (args[0], args[1]);
    if !list.is_list() && !list.is_nil() {
        return Err(Raised::badarg());
    }
    let mut iter = list.list_iter();
    let found = if wanted.is_immediate() {
        iter.any(|e| e == wanted)
    } else {
        iter.any(|e| e == wanted || order::exact_eq(e, wanted))
    };
    if !found && !iter.rest().is_nil() {
        return Err(Raised::badarg());
    }
    Ok(Term::bool(found))
}

/// How `lists:keyfind/3` and friends compare a key with tuple elements:
/// `==`, except that an immediate key other than a small integer matches
/// only itself, and a small integer key matches a float equal to it as a
/// double (erts's `keyfind`).
enum KeyMatch {
    Small(Term, f64),
    Immediate(Term),
    Other(Term),
}

impl KeyMatch {
    fn new(key: Term) -> KeyMatch {
        match key.as_small() {
            Some(k) => KeyMatch::Small(key, k as f64),
            None if key.is_immediate() => KeyMatch::Immediate(key),
            None => KeyMatch::Other(key),
        }
    }

    fn matches(&self, element: Term) -> bool {
        match *self {
            KeyMatch::Small(key, as_float) => {
                element == key || element.as_float() == Some(as_float)
            }
            KeyMatch::Immediate(key) => element == key,
            KeyMatch::Other(key) => order::eq(key, element),
        }
    }
}

/// The first tuple in `list` whose element `pos` matches `key` (see
/// [`KeyMatch`]), `false` if there is none. `badarg` if `pos` is not a
/// positive small integer, or the list is improper and has no match before
/// its tail.
fn keyfind_in(key: Term, pos: Term, list: Term) -> NativeResult {
    let pos = match pos.as_small() {
        Some(p) if p >= 1 => p as usize,
        _ => return Err(Raised::badarg()),
    };
    let key = KeyMatch::new(key);
    let mut iter = list.list_iter();
    let found = iter.find(|t| match t.view() {
        View::Tuple(elements) => elements.get(pos - 1).is_some_and(|&e| key.matches(e)),
        _ => false,
    });
    match found {
        Some(tuple) => Ok(tuple),
        None if iter.rest().is_nil() => Ok(Term::FALSE),
        None => Err(Raised::badarg()),
    }
}

/// `lists:keyfind(Key, N, TupleList)`: the tuple or `false`.
fn keyfind(_process: &mut Process, args: &[Term]) -> NativeResult {
    keyfind_in(args[0], args[1], args[2])
}

/// `lists:keymember(Key, N, TupleList)`.
fn keymember(_process: &mut Process, args: &[Term]) -> NativeResult {
    let found = keyfind_in(args[0], args[1], args[2])?;
    Ok(Term::bool(found != Term::FALSE))
}

/// `lists:keysearch(Key, N, TupleList)`: `{value, Tuple}` or `false`.
fn keysearch(process: &mut Process, args: &[Term]) -> NativeResult {
    let found = keyfind_in(args[0], args[1], args[2])?;
    if found == Term::FALSE {
        return Ok(found);
    }
    static VALUE: OnceLock<Atom> = OnceLock::new();
    let value = *VALUE.get_or_init(|| Atom::intern("value").expect("a short atom"));
    Ok(build::tuple(&mut process.heap, &[Term::atom(value), found]))
}

pub(crate) const NATIVES: &[Native] = crate::natives!("lists";
    "reverse"/2 => reverse,
    "member"/2 => member,
    "keyfind"/3 => keyfind,
    "keymember"/3 => keymember,
    "keysearch"/3 => keysearch,
);

#[cfg(test)]
mod tests {
    use crate::bif::testing::check_table;

    /// `(Function, Args, Outcome)`: erl 25.2.3 printed `Outcome` with
    /// `io:format("~w~n", [try lists:Function(Args...) of V -> {ok, V}
    /// catch error:R -> {error, R} end])`, each call after
    /// `erlang:yield()`. In `Args`, `seq(A,B)` stands for the map
    /// `#{A=>A,...,B=>B}`, `pairs(A,B)` for `[{A,A},...,{B,B}]` and
    /// `keys(A,B)` for `[A,...,B]` (see `bif::testing`).
    const CASES: &[(&str, &[&str], &str)] = &[
        ("reverse", &["[1,2,3]", "[4]"], "{ok,[3,2,1,4]}"),
        ("reverse", &["[]", "x"], "{ok,x}"),
        ("reverse", &["[1,2]", "y"], "{ok,[2,1|y]}"),
        ("reverse", &["[1|2]", "[]"], "{error,badarg}"),
        ("reverse", &["x", "[]"], "{error,badarg}"),
        ("member", &["1", "[1.0]"], "{ok,false}"),
        ("member", &["1.0", "[1]"], "{ok,false}"),
        ("member", &["{1}", "[{1.0}]"], "{ok,false}"),
        ("member", &["{1}", "[{1}]"], "{ok,true}"),
        ("member", &["b", "[a,b|c]"], "{ok,true}"),
        ("member", &["z", "[a|c]"], "{error,badarg}"),
        ("member", &["a", "x"], "{error,badarg}"),
        ("member", &["a", "[]"], "{ok,false}"),
        ("member", &["<<\"x\">>", "[<<\"x\">>]"], "{ok,true}"),
        (
            "member",
            &["1180591620717411303424", "[1180591620717411303424]"],
            "{ok,true}",
        ),
        ("member", &["-0.0", "[0.0]"], "{ok,true}"),
        ("keyfind", &["1", "1", "[{1.0,a}]"], "{ok,{1.0,a}}"),
        ("keyfind", &["1.0", "1", "[{1,a}]"], "{ok,{1,a}}"),
        ("keyfind", &["a", "2", "[{x},{x,a}]"], "{ok,{x,a}}"),
        ("keyfind", &["a", "0", "[]"], "{error,badarg}"),
        ("keyfind", &["a", "1.0", "[]"], "{error,badarg}"),
        ("keyfind", &["a", "1", "[{a}|x]"], "{ok,{a}}"),
        ("keyfind", &["b", "1", "[{a}|x]"], "{error,badarg}"),
        ("keyfind", &["a", "1", "x"], "{error,badarg}"),
        (
            "keyfind",
            &["9007199254740993", "1", "[{9007199254740992.0}]"],
            "{ok,{9.007199254740992e15}}",
        ),
        (
            "keyfind",
            &["1180591620717411303424", "1", "[{1.1805916207174113e21}]"],
            "{ok,{1.1805916207174113e21}}",
        ),
        ("keyfind", &["{1}", "1", "[{{1.0}}]"], "{ok,{{1.0}}}"),
        (
            "keyfind",
            &["\"abc\"", "2", "[{1,\"abc\"}]"],
            "{ok,{1,[97,98,99]}}",
        ),
        ("keyfind", &["a", "1", "[x,{b},{a,1},{a,2}]"], "{ok,{a,1}}"),
        ("keymember", &["a", "1", "[x,{b},{a,1}]"], "{ok,true}"),
        ("keymember", &["c", "1", "[x,{b},{a,1}]"], "{ok,false}"),
        ("keymember", &["c", "1", "[x|y]"], "{error,badarg}"),
        ("keymember", &["c", "-1", "[]"], "{error,badarg}"),
        (
            "keysearch",
            &["a", "1", "[x,{b},{a,1}]"],
            "{ok,{value,{a,1}}}",
        ),
        ("keysearch", &["c", "1", "[x,{b},{a,1}]"], "{ok,false}"),
        ("keysearch", &["c", "1", "[x|y]"], "{error,badarg}"),
    ];

    #[test]
    fn results_and_errors_are_erls() {
        check_table("lists", CASES);
    }
}
