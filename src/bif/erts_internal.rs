//! The `erts_internal` natives that stdlib's Erlang code calls.

use std::sync::OnceLock;

use super::{Native, NativeResult, Raised};
use crate::term::{build, Atom, MapRef, Term, View};
use crate::vm::process::Process;

/// Pairs the first step of a HAMT iteration returns (OTP caps it at
/// `MAP_SMALL_MAP_LIMIT`, so that peeking at a big map stays cheap).
const FIRST_STEP_PAIRS: usize = 32;
/// Pairs a later step returns. OTP returns a quarter of the reductions the
/// process has left (at most 1000 of a 4000 slice), so erl's chunks vary;
/// only the pairs and their order are observable in stdlib's use.
const STEP_PAIRS: usize = 1000;

fn atom(cell: &'static OnceLock<Atom>, name: &str) -> Term {
    Term::atom(*cell.get_or_init(|| Atom::intern(name).expect("a short atom")))
}

/// The digits of a HAMT path as `map_next` reads an integer: a small
/// integer's low 60 bits (erts's `unsigned_val`), a positive bignum's limbs.
fn path_digits(path: Term) -> Option<Vec<u64>> {
    match path.view() {
        View::Small(v) => Some(vec![v as u64 & ((1 << 60) - 1)]),
        View::Big {
            negative: false,
            limbs,
        } => Some(limbs.to_vec()),
        _ => None,
    }
}

/// `erts_internal:map_next(Path, Map, Mode)`, the step of `maps:next/1`
/// (Mode `iterator`) and `maps:to_list/1` (Mode a list, the accumulator).
///
/// * `iterator`: `{K1, V1, {K2, V2, ... Next}}` where `Next` is
///   `[NextPath | Map]`, or `none` at the end.
/// * list `Acc`: `[{K, V}, ... | Acc]`, preceded by `NextPath, Map` when
///   pairs remain. A HAMT's pairs are consed on one at a time, so a whole
///   `maps:to_list/1` comes out in the reverse of iterator order.
///
/// A flat map is returned whole, in key order, whatever the path (which
/// must be a small integer no larger than its size). Anything else is
/// `badarg`, as is a path that leads nowhere in a HAMT.
fn map_next(process: &mut Process, args: &[Term]) -> NativeResult {
    static ITERATOR: OnceLock<Atom> = OnceLock::new();
    static NONE: OnceLock<Atom> = OnceLock::new();
    let (path, map_term, mode) = (args[0], args[1], args[2]);
    let map = MapRef::from_term(map_term).ok_or_else(Raised::badarg)?;
    let as_iterator = if mode == atom(&ITERATOR, "iterator") {
        true
    } else if mode.is_list() || mode.is_nil() {
        false
    } else {
        return Err(Raised::badarg());
    };
    let digits = path_digits(path).ok_or_else(Raised::badarg)?;
    let heap = &mut process.heap;
    let (pairs, next) = if map.is_hamt() {
        let max = if path == Term::small(0) {
            FIRST_STEP_PAIRS
        } else {
            STEP_PAIRS
        };
        let chunk = map
            .hamt_pairs_from(&digits, max)
            .ok_or_else(Raised::badarg)?;
        let next = chunk
            .next
            .map(|digits| build::big_from_limbs(heap, false, &digits));
        (chunk.pairs, next)
    } else {
        match path.as_small() {
            Some(p) if p >= 0 && p as usize <= map.len() => (map.iterator_order(), None),
            _ => return Err(Raised::badarg()),
        }
    };
    if as_iterator {
        let mut result = match next {
            Some(next_path) => build::cons(heap, next_path, map_term),
            None => atom(&NONE, "none"),
        };
        for &(key, value) in pairs.iter().rev() {
            result = build::tuple(heap, &[key, value, result]);
        }
        return Ok(result);
    }
    let mut result = mode;
    if map.is_hamt() {
        for &(key, value) in &pairs {
            let pair = build::tuple(heap, &[key, value]);
            result = build::cons(heap, pair, result);
        }
    } else {
        for &(key, value) in pairs.iter().rev() {
            let pair = build::tuple(heap, &[key, value]);
            result = build::cons(heap, pair, result);
        }
    }
    if let Some(next_path) = next {
        result = build::cons(heap, map_term, result);
        result = build::cons(heap, next_path, result);
    }
    Ok(result)
}

pub(crate) const NATIVES: &[Native] = crate::natives!("erts_internal";
    "map_next"/3 => map_next,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bif::testing::check_table;
    use crate::term::{map, LocalPid};

    /// `(Function, Args, Outcome)`: erl 25.2.3 printed `Outcome` with
    /// `io:format("~w~n", [try erts_internal:Function(Args...) of V -> {ok, V}
    /// catch error:R -> {error, R} end])`, each call after
    /// `erlang:yield()`. In `Args`, `seq(A,B)` stands for the map
    /// `#{A=>A,...,B=>B}`, `pairs(A,B)` for `[{A,A},...,{B,B}]` and
    /// `keys(A,B)` for `[A,...,B]` (see `bif::testing`).
    const CASES: &[(&str, &[&str], &str)] = &[
        ("map_next", &["0", "#{b=>2,a=>1}", "iterator"], "{ok,{a,1,{b,2,none}}}"),
        ("map_next", &["0", "#{b=>2,a=>1}", "[x]"], "{ok,[{a,1},{b,2},x]}"),
        ("map_next", &["1", "#{b=>2,a=>1}", "[]"], "{ok,[{a,1},{b,2}]}"),
        ("map_next", &["2", "#{b=>2,a=>1}", "[]"], "{ok,[{a,1},{b,2}]}"),
        ("map_next", &["3", "#{b=>2,a=>1}", "iterator"], "{error,badarg}"),
        ("map_next", &["-1", "#{a=>1}", "[]"], "{error,badarg}"),
        ("map_next", &["0", "notmap", "[]"], "{error,badarg}"),
        ("map_next", &["0", "#{}", "foo"], "{error,badarg}"),
        ("map_next", &["0", "#{}", "iterator"], "{ok,none}"),
        ("map_next", &["0", "seq(1,40)", "[]"], "{ok,[11,#{16 => 16,18 => 18,5 => 5,19 => 19,27 => 27,35 => 35,10 => 10,24 => 24,36 => 36,4 => 4,21 => 21,22 => 22,17 => 17,3 => 3,8 => 8,1 => 1,7 => 7,2 => 2,14 => 14,15 => 15,20 => 20,40 => 40,13 => 13,38 => 38,6 => 6,28 => 28,25 => 25,34 => 34,32 => 32,9 => 9,37 => 37,11 => 11,31 => 31,26 => 26,39 => 39,30 => 30,29 => 29,23 => 23,12 => 12,33 => 33},{11,11},{37,37},{9,9},{32,32},{34,34},{25,25},{28,28},{6,6},{38,38},{13,13},{40,40},{20,20},{15,15},{14,14},{2,2},{7,7},{1,1},{8,8},{3,3},{17,17},{22,22},{21,21},{4,4},{36,36},{24,24},{10,10},{35,35},{27,27},{19,19},{5,5},{18,18},{16,16}]}"),
        ("map_next", &["0", "seq(1,40)", "iterator"], "{ok,{16,16,{18,18,{5,5,{19,19,{27,27,{35,35,{10,10,{24,24,{36,36,{4,4,{21,21,{22,22,{17,17,{3,3,{8,8,{1,1,{7,7,{2,2,{14,14,{15,15,{20,20,{40,40,{13,13,{38,38,{6,6,{28,28,{25,25,{34,34,{32,32,{9,9,{37,37,{11,11,[11|#{16 => 16,18 => 18,5 => 5,19 => 19,27 => 27,35 => 35,10 => 10,24 => 24,36 => 36,4 => 4,21 => 21,22 => 22,17 => 17,3 => 3,8 => 8,1 => 1,7 => 7,2 => 2,14 => 14,15 => 15,20 => 20,40 => 40,13 => 13,38 => 38,6 => 6,28 => 28,25 => 25,34 => 34,32 => 32,9 => 9,37 => 37,11 => 11,31 => 31,26 => 26,39 => 39,30 => 30,29 => 29,23 => 23,12 => 12,33 => 33}]}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}"),
        ("map_next", &["11", "seq(1,40)", "[]"], "{ok,[{33,33},{12,12},{23,23},{29,29},{30,30},{39,39},{26,26},{31,31}]}"),
        ("map_next", &["11", "seq(1,40)", "iterator"], "{ok,{31,31,{26,26,{39,39,{30,30,{29,29,{23,23,{12,12,{33,33,none}}}}}}}}}"),
        ("map_next", &["20", "seq(1,40)", "[done]"], "{ok,[{33,33},{12,12},{23,23},{29,29},{30,30},{39,39},{26,26},{31,31},{11,11},{37,37},{9,9},{32,32},{34,34},{25,25},{28,28},{6,6},{38,38},{13,13},{40,40},{20,20},{15,15},{14,14},{2,2},{7,7},{1,1},{8,8},{3,3},{17,17},done]}"),
        ("map_next", &["15", "seq(1,40)", "[]"], "{error,badarg}"),
        ("map_next", &["18446744073709551616", "seq(1,40)", "[]"], "{ok,[{33,33},{12,12},{23,23},{29,29},{30,30},{39,39},{26,26},{31,31},{11,11},{37,37},{9,9},{32,32},{34,34},{25,25},{28,28},{6,6},{38,38},{13,13},{40,40},{20,20},{15,15},{14,14},{2,2},{7,7},{1,1},{8,8},{3,3},{17,17},{22,22},{21,21},{4,4},{36,36},{24,24},{10,10},{35,35},{27,27},{19,19},{5,5},{18,18},{16,16}]}"),
        ("map_next", &["-18446744073709551616", "seq(1,40)", "[]"], "{error,badarg}"),
        ("map_next", &["1.0", "seq(1,40)", "[]"], "{error,badarg}"),
        ("map_next", &["0", "seq(1,40)", "tail"], "{error,badarg}"),
    ];

    #[test]
    fn results_and_errors_are_erls() {
        check_table("erts_internal", CASES);
    }

    /// stdlib's `maps:to_list/1` and `maps:next/1` loops over `map_next`
    /// give `maps:to_list/1` order and iterator order, over many steps.
    #[test]
    fn stdlib_loops_over_map_next_see_every_pair() {
        let mut process = Process::new(LocalPid {
            number: 81,
            serial: 0,
        });
        let pairs: Vec<(Term, Term)> = (0..5000)
            .map(|i| (Term::small(i * 7), Term::small(i)))
            .collect();
        let map_term = map::from_pairs(&mut process.heap, &pairs).0;
        let map = MapRef::from_term(map_term).unwrap();
        let iterator = Term::atom(Atom::intern("iterator").unwrap());

        // to_list_internal([Iter, Map | Acc]) when is_integer(Iter) ->
        //     to_list_internal(erts_internal:map_next(Iter, Map, Acc));
        // to_list_internal(Acc) -> Acc.
        let mut result = map_next(&mut process, &[Term::small(0), map_term, Term::NIL]).unwrap();
        let mut steps = 1;
        while let Some((path, rest)) = result.as_cons().filter(|(p, _)| p.is_integer()) {
            let (map_again, acc) = rest.as_cons().unwrap();
            result = map_next(&mut process, &[path, map_again, acc]).unwrap();
            steps += 1;
        }
        let listed: Vec<(Term, Term)> = result
            .list_to_vec()
            .unwrap()
            .iter()
            .map(|t| (t.as_tuple().unwrap()[0], t.as_tuple().unwrap()[1]))
            .collect();
        assert_eq!(listed, map.to_list_order());
        assert!(steps > 2);

        // next({K, V, I}) -> {K, V, I}; next([Path | Map]) ->
        //     erts_internal:map_next(Path, Map, iterator); next(none) -> none.
        let mut iterated = Vec::new();
        let mut next = map_next(&mut process, &[Term::small(0), map_term, iterator]).unwrap();
        loop {
            match next.as_tuple() {
                Some(&[k, v, rest]) => {
                    iterated.push((k, v));
                    next = rest;
                }
                _ => match next.as_cons() {
                    Some((path, m)) => next = map_next(&mut process, &[path, m, iterator]).unwrap(),
                    None => break,
                },
            }
        }
        assert_eq!(iterated, map.iterator_order());
    }
}
