//! The natively implemented functions of OTP 25's `maps` module (the
//! `maps:` entries of erts's `bif.tab`). The rest of `maps` is Erlang code
//! in stdlib; `maps:to_list/1`, `maps:iterator/1` and `maps:next/1` walk a
//! map through `erts_internal:map_next/3` (in `erts_internal.rs`).
//!
//! Errors are erl's: `{badmap, Map}` for a map argument that is not a map,
//! `{badkey, Key}` for a missing key, `badarg` for a bad list.

use super::{Native, NativeResult, Raised};
use crate::term::{atoms, build, map, MapRef, Term};
use crate::vm::process::Process;

/// `{badmap, Term}`.
pub(crate) fn badmap(process: &mut Process, term: Term) -> Raised {
    Raised::error(build::tuple(
        &mut process.heap,
        &[Term::atom(atoms::BADMAP), term],
    ))
}

/// `{badkey, Key}`.
pub(crate) fn badkey(process: &mut Process, key: Term) -> Raised {
    Raised::error(build::tuple(
        &mut process.heap,
        &[Term::atom(atoms::BADKEY), key],
    ))
}

/// The map `term` is, or `{badmap, Term}`.
fn map_arg<'a>(process: &mut Process, term: Term) -> Result<MapRef<'a>, Raised> {
    MapRef::from_term(term).ok_or_else(|| badmap(process, term))
}

/// `maps:find(Key, Map)`: `{ok, Value}` or `error`.
fn find(process: &mut Process, args: &[Term]) -> NativeResult {
    let map = map_arg(process, args[1])?;
    Ok(match map.get(args[0]) {
        Some(value) => build::tuple(&mut process.heap, &[Term::atom(atoms::OK), value]),
        None => Term::atom(atoms::ERROR),
    })
}

/// `maps:get(Key, Map)`.
fn get(process: &mut Process, args: &[Term]) -> NativeResult {
    let map = map_arg(process, args[1])?;
    map.get(args[0]).ok_or_else(|| badkey(process, args[0]))
}

/// `maps:is_key(Key, Map)`.
fn is_key(process: &mut Process, args: &[Term]) -> NativeResult {
    let map = map_arg(process, args[1])?;
    Ok(Term::bool(map.get(args[0]).is_some()))
}

/// The elements of a proper list, or `badarg`.
fn proper_list(list: Term) -> Result<Vec<Term>, Raised> {
    list.list_to_vec().ok_or_else(Raised::badarg)
}

/// `maps:from_list([{Key, Value}])`: the last pair of a key wins.
fn from_list(process: &mut Process, args: &[Term]) -> NativeResult {
    let pairs = proper_list(args[0])?
        .into_iter()
        .map(|element| match element.as_tuple() {
            Some(&[key, value]) => Ok((key, value)),
            _ => Err(Raised::badarg()),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(map::from_pairs(&mut process.heap, &pairs).0)
}

/// `maps:from_keys(Keys, Value)`.
fn from_keys(process: &mut Process, args: &[Term]) -> NativeResult {
    let pairs: Vec<(Term, Term)> = proper_list(args[0])?
        .into_iter()
        .map(|key| (key, args[1]))
        .collect();
    Ok(map::from_pairs(&mut process.heap, &pairs).0)
}

/// `maps:keys(Map)`, in `maps:to_list/1` order.
fn keys(process: &mut Process, args: &[Term]) -> NativeResult {
    let map = map_arg(process, args[0])?;
    let keys: Vec<Term> = map.to_list_order().into_iter().map(|p| p.0).collect();
    Ok(build::list(&mut process.heap, &keys))
}

/// `maps:values(Map)`, in `maps:to_list/1` order.
fn values(process: &mut Process, args: &[Term]) -> NativeResult {
    let map = map_arg(process, args[0])?;
    let values: Vec<Term> = map.to_list_order().into_iter().map(|p| p.1).collect();
    Ok(build::list(&mut process.heap, &values))
}

/// `maps:merge(Map1, Map2)`: where both have a key, `Map2`'s pair wins.
fn merge(process: &mut Process, args: &[Term]) -> NativeResult {
    let left = map_arg(process, args[0])?;
    let right = map_arg(process, args[1])?;
    Ok(map::merge(&mut process.heap, left, right))
}

/// `maps:put(Key, Value, Map)`.
fn put(process: &mut Process, args: &[Term]) -> NativeResult {
    let map = map_arg(process, args[2])?;
    Ok(map::put(&mut process.heap, map, args[0], args[1]))
}

/// `maps:update(Key, Value, Map)`: only a key the map has.
fn update(process: &mut Process, args: &[Term]) -> NativeResult {
    let map = map_arg(process, args[2])?;
    map::update(&mut process.heap, map, args[0], args[1]).ok_or_else(|| badkey(process, args[0]))
}

/// `maps:remove(Key, Map)`.
fn remove(process: &mut Process, args: &[Term]) -> NativeResult {
    let map = map_arg(process, args[1])?;
    Ok(map::remove(&mut process.heap, map, args[0]))
}

/// `maps:take(Key, Map)`: `{Value, MapWithoutKey}` or `error`.
fn take(process: &mut Process, args: &[Term]) -> NativeResult {
    let map = map_arg(process, args[1])?;
    Ok(match map::take(&mut process.heap, map, args[0]) {
        Some((value, rest)) => build::tuple(&mut process.heap, &[value, rest]),
        None => Term::atom(atoms::ERROR),
    })
}

pub(crate) const NATIVES: &[Native] = crate::natives!("maps";
    "find"/2 => find,
    "get"/2 => get,
    "from_list"/1 => from_list,
    "from_keys"/2 => from_keys,
    "is_key"/2 => is_key,
    "keys"/1 => keys,
    "merge"/2 => merge,
    "put"/3 => put,
    "remove"/2 => remove,
    "take"/2 => take,
    "update"/3 => update,
    "values"/1 => values,
);

#[cfg(test)]
mod tests {
    use crate::bif::testing::check_table;

    /// `(Function, Args, Outcome)`: erl 25.2.3 printed `Outcome` with
    /// `io:format("~w~n", [try maps:Function(Args...) of V -> {ok, V}
    /// catch error:R -> {error, R} end])`, each call after
    /// `erlang:yield()`. In `Args`, `seq(A,B)` stands for the map
    /// `#{A=>A,...,B=>B}`, `pairs(A,B)` for `[{A,A},...,{B,B}]` and
    /// `keys(A,B)` for `[A,...,B]` (see `bif::testing`).
    const CASES: &[(&str, &[&str], &str)] = &[
        ("find", &["a", "#{a=>1}"], "{ok,{ok,1}}"),
        ("find", &["b", "#{a=>1}"], "{ok,error}"),
        ("find", &["a", "x"], "{error,{badmap,x}}"),
        ("get", &["1", "#{1=>a}"], "{ok,a}"),
        ("get", &["1.0", "#{1=>a}"], "{error,{badkey,1.0}}"),
        ("get", &["k", "[1]"], "{error,{badmap,[1]}}"),
        ("get", &["17", "seq(1,40)"], "{ok,17}"),
        ("get", &["41", "seq(1,40)"], "{error,{badkey,41}}"),
        ("is_key", &["-0.0", "#{0.0=>a}"], "{ok,true}"),
        ("is_key", &["1", "#{1.0=>a}"], "{ok,false}"),
        ("is_key", &["1", "x"], "{error,{badmap,x}}"),
        ("is_key", &["40", "seq(1,40)"], "{ok,true}"),
        ("from_list", &["[{b,1},{a,2},{b,3}]"], "{ok,#{a => 2,b => 3}}"),
        ("from_list", &["[{0.0,a},{-0.0,b}]"], "{ok,#{-0.0 => b}}"),
        ("from_list", &["[{a,1}|x]"], "{error,badarg}"),
        ("from_list", &["[{a,1,2}]"], "{error,badarg}"),
        ("from_list", &["x"], "{error,badarg}"),
        ("from_list", &["[]"], "{ok,#{}}"),
        ("from_list", &["pairs(1,40)"], "{ok,#{16 => 16,18 => 18,5 => 5,19 => 19,27 => 27,35 => 35,10 => 10,24 => 24,36 => 36,4 => 4,21 => 21,22 => 22,17 => 17,3 => 3,8 => 8,1 => 1,7 => 7,2 => 2,14 => 14,15 => 15,20 => 20,40 => 40,13 => 13,38 => 38,6 => 6,28 => 28,25 => 25,34 => 34,32 => 32,9 => 9,37 => 37,11 => 11,31 => 31,26 => 26,39 => 39,30 => 30,29 => 29,23 => 23,12 => 12,33 => 33}}"),
        ("from_keys", &["[c,a,b,a]", "0"], "{ok,#{a => 0,b => 0,c => 0}}"),
        ("from_keys", &["[0.0,-0.0]", "x"], "{ok,#{-0.0 => x}}"),
        ("from_keys", &["[a|b]", "0"], "{error,badarg}"),
        ("from_keys", &["keys(1,36)", "k"], "{ok,#{16 => k,18 => k,5 => k,19 => k,27 => k,35 => k,10 => k,24 => k,36 => k,4 => k,21 => k,22 => k,17 => k,3 => k,8 => k,1 => k,7 => k,2 => k,14 => k,15 => k,20 => k,13 => k,6 => k,28 => k,25 => k,34 => k,32 => k,9 => k,11 => k,31 => k,26 => k,30 => k,29 => k,23 => k,12 => k,33 => k}}"),
        ("keys", &["#{b=>1,a=>2,1=>x,1.0=>y}"], "{ok,[1,1.0,a,b]}"),
        ("keys", &["foo"], "{error,{badmap,foo}}"),
        ("keys", &["seq(1,40)"], "{ok,[33,12,23,29,30,39,26,31,11,37,9,32,34,25,28,6,38,13,40,20,15,14,2,7,1,8,3,17,22,21,4,36,24,10,35,27,19,5,18,16]}"),
        ("values", &["#{b=>1,a=>2,1=>x,1.0=>y}"], "{ok,[x,y,2,1]}"),
        ("values", &["seq(1,40)"], "{ok,[33,12,23,29,30,39,26,31,11,37,9,32,34,25,28,6,38,13,40,20,15,14,2,7,1,8,3,17,22,21,4,36,24,10,35,27,19,5,18,16]}"),
        ("values", &["foo"], "{error,{badmap,foo}}"),
        ("merge", &["#{a=>1,b=>2}", "#{b=>3,c=>4}"], "{ok,#{a => 1,b => 3,c => 4}}"),
        ("merge", &["#{0.0=>a}", "#{-0.0=>b}"], "{ok,#{-0.0 => b}}"),
        ("merge", &["x", "#{}"], "{error,{badmap,x}}"),
        ("merge", &["#{}", "y"], "{error,{badmap,y}}"),
        ("merge", &["x", "y"], "{error,{badmap,x}}"),
        ("merge", &["seq(1,20)", "seq(15,40)"], "{ok,#{16 => 16,18 => 18,5 => 5,19 => 19,27 => 27,35 => 35,10 => 10,24 => 24,36 => 36,4 => 4,21 => 21,22 => 22,17 => 17,3 => 3,8 => 8,1 => 1,7 => 7,2 => 2,14 => 14,15 => 15,20 => 20,40 => 40,13 => 13,38 => 38,6 => 6,28 => 28,25 => 25,34 => 34,32 => 32,9 => 9,37 => 37,11 => 11,31 => 31,26 => 26,39 => 39,30 => 30,29 => 29,23 => 23,12 => 12,33 => 33}}"),
        ("merge", &["seq(1,40)", "seq(30,50)"], "{ok,#{16 => 16,18 => 18,5 => 5,19 => 19,42 => 42,27 => 27,49 => 49,35 => 35,10 => 10,24 => 24,50 => 50,36 => 36,4 => 4,21 => 21,22 => 22,17 => 17,3 => 3,8 => 8,1 => 1,7 => 7,2 => 2,14 => 14,15 => 15,20 => 20,41 => 41,40 => 40,13 => 13,38 => 38,6 => 6,28 => 28,25 => 25,34 => 34,32 => 32,9 => 9,37 => 37,11 => 11,31 => 31,46 => 46,26 => 26,48 => 48,45 => 45,39 => 39,43 => 43,30 => 30,47 => 47,29 => 29,23 => 23,44 => 44,12 => 12,33 => 33}}"),
        ("merge", &["seq(1,10)", "seq(5,40)"], "{ok,#{16 => 16,18 => 18,5 => 5,19 => 19,27 => 27,35 => 35,10 => 10,24 => 24,36 => 36,4 => 4,21 => 21,22 => 22,17 => 17,3 => 3,8 => 8,1 => 1,7 => 7,2 => 2,14 => 14,15 => 15,20 => 20,40 => 40,13 => 13,38 => 38,6 => 6,28 => 28,25 => 25,34 => 34,32 => 32,9 => 9,37 => 37,11 => 11,31 => 31,26 => 26,39 => 39,30 => 30,29 => 29,23 => 23,12 => 12,33 => 33}}"),
        ("merge", &["seq(5,40)", "seq(1,10)"], "{ok,#{16 => 16,18 => 18,5 => 5,19 => 19,27 => 27,35 => 35,10 => 10,24 => 24,36 => 36,4 => 4,21 => 21,22 => 22,17 => 17,3 => 3,8 => 8,1 => 1,7 => 7,2 => 2,14 => 14,15 => 15,20 => 20,40 => 40,13 => 13,38 => 38,6 => 6,28 => 28,25 => 25,34 => 34,32 => 32,9 => 9,37 => 37,11 => 11,31 => 31,26 => 26,39 => 39,30 => 30,29 => 29,23 => 23,12 => 12,33 => 33}}"),
        ("merge", &["seq(1,16)", "seq(17,32)"], "{ok,#{1 => 1,2 => 2,3 => 3,4 => 4,5 => 5,6 => 6,7 => 7,8 => 8,9 => 9,10 => 10,11 => 11,12 => 12,13 => 13,14 => 14,15 => 15,16 => 16,17 => 17,18 => 18,19 => 19,20 => 20,21 => 21,22 => 22,23 => 23,24 => 24,25 => 25,26 => 26,27 => 27,28 => 28,29 => 29,30 => 30,31 => 31,32 => 32}}"),
        ("merge", &["seq(1,16)", "seq(17,33)"], "{ok,#{16 => 16,18 => 18,5 => 5,19 => 19,27 => 27,10 => 10,24 => 24,4 => 4,21 => 21,22 => 22,17 => 17,3 => 3,8 => 8,1 => 1,7 => 7,2 => 2,14 => 14,15 => 15,20 => 20,13 => 13,6 => 6,28 => 28,25 => 25,32 => 32,9 => 9,11 => 11,31 => 31,26 => 26,30 => 30,29 => 29,23 => 23,12 => 12,33 => 33}}"),
        ("put", &["k", "v", "#{}"], "{ok,#{k => v}}"),
        ("put", &["k", "v", "nomap"], "{error,{badmap,nomap}}"),
        ("put", &["-0.0", "b", "#{0.0=>a}"], "{ok,#{0.0 => b}}"),
        ("put", &["33", "33", "seq(1,32)"], "{ok,#{16 => 16,18 => 18,5 => 5,19 => 19,27 => 27,10 => 10,24 => 24,4 => 4,21 => 21,22 => 22,17 => 17,3 => 3,8 => 8,1 => 1,7 => 7,2 => 2,14 => 14,15 => 15,20 => 20,13 => 13,6 => 6,28 => 28,25 => 25,32 => 32,9 => 9,11 => 11,31 => 31,26 => 26,30 => 30,29 => 29,23 => 23,12 => 12,33 => 33}}"),
        ("put", &["0", "x", "seq(1,40)"], "{ok,#{16 => 16,18 => 18,5 => 5,19 => 19,27 => 27,35 => 35,10 => 10,24 => 24,36 => 36,4 => 4,21 => 21,22 => 22,17 => 17,3 => 3,8 => 8,1 => 1,7 => 7,2 => 2,14 => 14,15 => 15,20 => 20,40 => 40,13 => 13,38 => 38,0 => x,6 => 6,28 => 28,25 => 25,34 => 34,32 => 32,9 => 9,37 => 37,11 => 11,31 => 31,26 => 26,39 => 39,30 => 30,29 => 29,23 => 23,12 => 12,33 => 33}}"),
        ("update", &["a", "2", "#{a=>1}"], "{ok,#{a => 2}}"),
        ("update", &["b", "2", "#{a=>1}"], "{error,{badkey,b}}"),
        ("update", &["a", "1", "x"], "{error,{badmap,x}}"),
        ("update", &["7", "x", "seq(1,40)"], "{ok,#{16 => 16,18 => 18,5 => 5,19 => 19,27 => 27,35 => 35,10 => 10,24 => 24,36 => 36,4 => 4,21 => 21,22 => 22,17 => 17,3 => 3,8 => 8,1 => 1,7 => x,2 => 2,14 => 14,15 => 15,20 => 20,40 => 40,13 => 13,38 => 38,6 => 6,28 => 28,25 => 25,34 => 34,32 => 32,9 => 9,37 => 37,11 => 11,31 => 31,26 => 26,39 => 39,30 => 30,29 => 29,23 => 23,12 => 12,33 => 33}}"),
        ("update", &["70", "x", "seq(1,40)"], "{error,{badkey,70}}"),
        ("remove", &["a", "#{a=>1,b=>2}"], "{ok,#{b => 2}}"),
        ("remove", &["z", "#{a=>1}"], "{ok,#{a => 1}}"),
        ("remove", &["a", "x"], "{error,{badmap,x}}"),
        ("remove", &["1", "seq(1,33)"], "{ok,#{2 => 2,3 => 3,4 => 4,5 => 5,6 => 6,7 => 7,8 => 8,9 => 9,10 => 10,11 => 11,12 => 12,13 => 13,14 => 14,15 => 15,16 => 16,17 => 17,18 => 18,19 => 19,20 => 20,21 => 21,22 => 22,23 => 23,24 => 24,25 => 25,26 => 26,27 => 27,28 => 28,29 => 29,30 => 30,31 => 31,32 => 32,33 => 33}}"),
        ("remove", &["7", "seq(1,40)"], "{ok,#{16 => 16,18 => 18,5 => 5,19 => 19,27 => 27,35 => 35,10 => 10,24 => 24,36 => 36,4 => 4,21 => 21,22 => 22,17 => 17,3 => 3,8 => 8,1 => 1,2 => 2,14 => 14,15 => 15,20 => 20,40 => 40,13 => 13,38 => 38,6 => 6,28 => 28,25 => 25,34 => 34,32 => 32,9 => 9,37 => 37,11 => 11,31 => 31,26 => 26,39 => 39,30 => 30,29 => 29,23 => 23,12 => 12,33 => 33}}"),
        ("remove", &["77", "seq(1,40)"], "{ok,#{16 => 16,18 => 18,5 => 5,19 => 19,27 => 27,35 => 35,10 => 10,24 => 24,36 => 36,4 => 4,21 => 21,22 => 22,17 => 17,3 => 3,8 => 8,1 => 1,7 => 7,2 => 2,14 => 14,15 => 15,20 => 20,40 => 40,13 => 13,38 => 38,6 => 6,28 => 28,25 => 25,34 => 34,32 => 32,9 => 9,37 => 37,11 => 11,31 => 31,26 => 26,39 => 39,30 => 30,29 => 29,23 => 23,12 => 12,33 => 33}}"),
        ("take", &["a", "#{a=>1,b=>2}"], "{ok,{1,#{b => 2}}}"),
        ("take", &["z", "#{a=>1}"], "{ok,error}"),
        ("take", &["a", "x"], "{error,{badmap,x}}"),
        ("take", &["33", "seq(1,33)"], "{ok,{33,#{1 => 1,2 => 2,3 => 3,4 => 4,5 => 5,6 => 6,7 => 7,8 => 8,9 => 9,10 => 10,11 => 11,12 => 12,13 => 13,14 => 14,15 => 15,16 => 16,17 => 17,18 => 18,19 => 19,20 => 20,21 => 21,22 => 22,23 => 23,24 => 24,25 => 25,26 => 26,27 => 27,28 => 28,29 => 29,30 => 30,31 => 31,32 => 32}}}"),
        ("take", &["12", "seq(1,34)"], "{ok,{12,#{16 => 16,18 => 18,5 => 5,19 => 19,27 => 27,10 => 10,24 => 24,4 => 4,21 => 21,22 => 22,17 => 17,3 => 3,8 => 8,1 => 1,7 => 7,2 => 2,14 => 14,15 => 15,20 => 20,13 => 13,6 => 6,28 => 28,25 => 25,34 => 34,32 => 32,9 => 9,11 => 11,31 => 31,26 => 26,30 => 30,29 => 29,23 => 23,33 => 33}}}"),
    ];

    #[test]
    fn results_and_errors_are_erls() {
        check_table("maps", CASES);
    }
}
