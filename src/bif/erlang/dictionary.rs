//! The process dictionary: `put/2`, `get/0,1`, `get_keys/0,1`,
//! `erase/0,1` (the table itself is `crate::vm::dictionary`).

use crate::bif::{Native, NativeResult};
use crate::term::{atoms, build, Term};
use crate::vm::process::Process;

fn or_undefined(value: Option<Term>) -> Term {
    value.unwrap_or(Term::atom(atoms::UNDEFINED))
}

fn put(process: &mut Process, args: &[Term]) -> NativeResult {
    Ok(or_undefined(process.dictionary.put(args[0], args[1])))
}

fn get_1(process: &mut Process, args: &[Term]) -> NativeResult {
    Ok(or_undefined(process.dictionary.get(args[0])))
}

/// `[{Key, Value}]` for the pairs, as `get/0` and `erase/0` list them.
fn pair_list(process: &mut Process, pairs: &[(Term, Term)]) -> Term {
    let tuples: Vec<Term> = pairs
        .iter()
        .map(|&(k, v)| build::tuple(&mut process.heap, &[k, v]))
        .collect();
    build::list(&mut process.heap, &tuples)
}

fn get_0(process: &mut Process, _: &[Term]) -> NativeResult {
    let pairs = process.dictionary.pairs();
    Ok(pair_list(process, &pairs))
}

fn get_keys_0(process: &mut Process, _: &[Term]) -> NativeResult {
    let keys = process.dictionary.keys();
    Ok(build::list(&mut process.heap, &keys))
}

fn get_keys_1(process: &mut Process, args: &[Term]) -> NativeResult {
    let keys = process.dictionary.keys_with_value(args[0]);
    Ok(build::list(&mut process.heap, &keys))
}

fn erase_0(process: &mut Process, _: &[Term]) -> NativeResult {
    let pairs = process.dictionary.pairs();
    process.dictionary.clear();
    Ok(pair_list(process, &pairs))
}

fn erase_1(process: &mut Process, args: &[Term]) -> NativeResult {
    Ok(or_undefined(process.dictionary.erase(args[0])))
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "put"/2 => put,
    "get"/0 => get_0,
    "get"/1 => get_1,
    "get_keys"/0 => get_keys_0,
    "get_keys"/1 => get_keys_1,
    "erase"/0 => erase_0,
    "erase"/1 => erase_1,
);

#[cfg(test)]
mod tests {
    use super::super::testing::{call_in, process};
    use super::*;

    #[test]
    fn dictionary_natives_follow_erl() {
        // erl: put(a, 1), put(a, 2), erase(a), erase(a) ->
        //      undefined, 1, 2, undefined; then the calls below.
        let mut p = process();
        assert_eq!(call_in(&mut p, put, "[a, 1]"), "undefined");
        assert_eq!(call_in(&mut p, put, "[a, 2]"), "1");
        assert_eq!(call_in(&mut p, erase_1, "[a]"), "2");
        assert_eq!(call_in(&mut p, erase_1, "[a]"), "undefined");
        // erl (continuing): put({7, 2}, "str"), put(3, v), put(-4, <<1>>),
        //   {get(), get_keys(), get_keys(v)} -> {[{-4,<<1>>},{3,v},
        //   {{7,2},[115,116,114]}], [-4,3,{7,2}], [3]}. (Keys holding atoms
        // hash by atom index, which differs from erl's, so none here.)
        call_in(&mut p, put, "[{7, 2}, \"str\"]");
        call_in(&mut p, put, "[3, v]");
        call_in(&mut p, put, "[-4, <<1>>]");
        assert_eq!(call_in(&mut p, get_1, "[{7, 2}]"), "[115,116,114]");
        assert_eq!(call_in(&mut p, get_1, "[nope]"), "undefined");
        assert_eq!(call_in(&mut p, get_keys_1, "[v]"), "[3]");
        let all = "[{-4,<<1>>},{3,v},{{7,2},[115,116,114]}]";
        assert_eq!(call_in(&mut p, get_0, "[]"), all);
        assert_eq!(call_in(&mut p, get_keys_0, "[]"), "[-4,3,{7,2}]");
        assert_eq!(call_in(&mut p, erase_0, "[]"), all);
        assert_eq!(call_in(&mut p, get_0, "[]"), "[]");
        assert_eq!(call_in(&mut p, erase_1, "[3]"), "undefined");
    }
}
