//! HAMT layout of maps whose keys hold atoms, against `erl`.
//!
//! An atom hashes by its atom-table index, so these orders only match when
//! the atoms have the indices they had in `erl`. This test runs in a process
//! of its own (an integration test), where the atom table is fresh: it fills
//! the table up to the index `erl` was at, then creates the atoms in `erl`'s
//! order.
//!
//! The expected orders come from this module, compiled with erlc and run as
//! `erl -noshell -pa . -eval 'oxn:atoms(), halt().'` (OTP 25.2.3):
//!
//! ```erlang
//! order(Name, Keys) ->
//!     M = maps:from_list([{K, I} || {I, K} <- lists:zip(lists:seq(0, length(Keys) - 1), Keys)]),
//!     io:format("~s tolist=~w~n", [Name, [V || {_, V} <- maps:to_list(M)]]).
//! atoms() ->
//!     N0 = erlang:system_info(atom_count),          % 8629
//!     Names = ["oxt_" ++ integer_to_list(I) || I <- lists:seq(1, 40)]
//!             ++ ["oxt_a", "oxt_b", "oxt_x", "oxt_foo", "oxt_k", "oxt_v"],
//!     As = [list_to_atom(N) || N <- Names],
//!     N1 = erlang:system_info(atom_count),          % 8675: indices N0..N1-1
//!     [A, B, X, Foo, K, V] = lists:nthtail(40, As),
//!     order("atoms", lists:sublist(As, 40)),
//!     order("atomtuples", [{I, A} || I <- lists:seq(1, 40)]),
//!     order("atomlists", [[7, Foo, -1], [1 | X]] ++ [integer_to_list(I) || I <- lists:seq(1, 40)]),
//!     order("atomflatmaps", [#{I => X} || I <- lists:seq(1, 30)]
//!                           ++ [#{A => 1, B => 2}, #{B => 1, A => 2, K => V}, #{}]),
//!     order("atommixed", [A, B, K, V, {A, B}, [A | B], #{K => V}] ++ lists:seq(1, 30)),
//!     io:format("bigatommap tolist=~w~n",
//!               [[I || {_, I} <- maps:to_list(maps:from_list(lists:zip(As, lists:seq(0, 45))))]]).
//! ```

use oxbeam::heap::LiteralArea;
use oxbeam::term::map::from_pairs;
use oxbeam::term::{build, Atom, Term, View};

const FIRST_INDEX: usize = 8629;

const ATOMS: [usize; 40] = [
    38, 12, 29, 7, 26, 20, 17, 2, 3, 36, 27, 4, 24, 21, 30, 19, 31, 15, 16, 23, 32, 22, 18, 5, 1,
    37, 13, 10, 0, 28, 25, 33, 35, 11, 39, 9, 6, 8, 34, 14,
];
const ATOM_TUPLES: [usize; 40] = [
    1, 11, 39, 31, 7, 9, 24, 15, 34, 18, 2, 16, 37, 0, 3, 10, 23, 32, 19, 22, 13, 5, 6, 38, 20, 17,
    29, 8, 27, 35, 30, 21, 26, 28, 14, 12, 33, 4, 36, 25,
];
const ATOM_LISTS: [usize; 42] = [
    28, 5, 14, 41, 8, 18, 20, 38, 40, 10, 37, 19, 26, 35, 2, 16, 30, 15, 4, 34, 0, 32, 17, 29, 36,
    25, 39, 7, 23, 31, 13, 21, 27, 11, 24, 12, 3, 9, 6, 1, 22, 33,
];
const ATOM_FLAT_MAPS: [usize; 33] = [
    27, 18, 4, 26, 13, 31, 1, 17, 15, 32, 8, 29, 0, 5, 9, 11, 24, 23, 19, 16, 10, 20, 2, 21, 14,
    30, 3, 7, 6, 22, 12, 25, 28,
];
const ATOM_MIXED: [usize; 37] = [
    18, 0, 4, 29, 35, 36, 32, 17, 15, 31, 34, 6, 12, 3, 19, 26, 21, 20, 8, 13, 7, 14, 9, 5, 23, 1,
    28, 27, 10, 30, 16, 2, 33, 25, 11, 24, 22,
];
const BIG_ATOM_MAP: [usize; 46] = [
    38, 40, 12, 29, 7, 26, 20, 17, 2, 3, 36, 27, 4, 24, 21, 30, 19, 31, 15, 16, 23, 32, 22, 18, 5,
    45, 1, 37, 42, 13, 10, 41, 0, 28, 25, 33, 35, 11, 43, 44, 39, 9, 6, 8, 34, 14,
];

/// `[I || {_, I} <- maps:to_list(M)]` of the map `keys` makes, each key
/// carrying its index.
fn to_list_indices(area: &mut LiteralArea, keys: &[Term]) -> Vec<usize> {
    let pairs: Vec<(Term, Term)> = keys
        .iter()
        .enumerate()
        .map(|(i, &k)| (k, Term::small(i as i64)))
        .collect();
    let (map, had_duplicates) = from_pairs(area, &pairs);
    assert!(!had_duplicates);
    let View::Map(map) = map.view() else {
        panic!("not a map")
    };
    for (i, &k) in keys.iter().enumerate() {
        assert_eq!(map.get(k), Some(Term::small(i as i64)));
    }
    map.to_list_order()
        .iter()
        .map(|p| p.1.as_small().unwrap() as usize)
        .collect()
}

#[test]
fn atom_keys_lay_out_as_in_erl_when_atom_indices_agree() {
    let mut filler = 0;
    while Atom::count() < FIRST_INDEX {
        Atom::intern(&format!("oxbeam_filler_{filler}")).unwrap();
        filler += 1;
    }
    assert_eq!(Atom::count(), FIRST_INDEX, "the atom table is fresh");
    let mut names: Vec<String> = (1..=40).map(|i| format!("oxt_{i}")).collect();
    names.extend(["oxt_a", "oxt_b", "oxt_x", "oxt_foo", "oxt_k", "oxt_v"].map(String::from));
    let atoms: Vec<Term> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let atom = Atom::intern(name).unwrap();
            assert_eq!(atom.index() as usize, FIRST_INDEX + i);
            Term::atom(atom)
        })
        .collect();
    let [a, b, x, foo, k, v] = atoms[40..] else {
        unreachable!()
    };
    let mut area = LiteralArea::new();

    assert_eq!(to_list_indices(&mut area, &atoms[..40]), ATOMS);
    assert_eq!(to_list_indices(&mut area, &atoms), BIG_ATOM_MAP);

    let tuples: Vec<Term> = (1..=40)
        .map(|i| build::tuple(&mut area, &[Term::small(i), a]))
        .collect();
    assert_eq!(to_list_indices(&mut area, &tuples), ATOM_TUPLES);

    let mut lists = vec![
        build::list(&mut area, &[Term::small(7), foo, Term::small(-1)]),
        build::cons(&mut area, Term::small(1), x),
    ];
    for i in 1..=40 {
        let chars: Vec<Term> = i
            .to_string()
            .bytes()
            .map(|c| Term::small(c as i64))
            .collect();
        lists.push(build::list(&mut area, &chars));
    }
    assert_eq!(to_list_indices(&mut area, &lists), ATOM_LISTS);

    let mut maps: Vec<Term> = (1..=30)
        .map(|i| from_pairs(&mut area, &[(Term::small(i), x)]).0)
        .collect();
    maps.push(from_pairs(&mut area, &[(a, Term::small(1)), (b, Term::small(2))]).0);
    maps.push(
        from_pairs(
            &mut area,
            &[(b, Term::small(1)), (a, Term::small(2)), (k, v)],
        )
        .0,
    );
    maps.push(from_pairs(&mut area, &[]).0);
    assert_eq!(to_list_indices(&mut area, &maps), ATOM_FLAT_MAPS);

    let mut mixed = vec![a, b, k, v];
    mixed.push(build::tuple(&mut area, &[a, b]));
    mixed.push(build::cons(&mut area, a, b));
    mixed.push(from_pairs(&mut area, &[(k, v)]).0);
    mixed.extend((1..=30).map(Term::small));
    assert_eq!(to_list_indices(&mut area, &mixed), ATOM_MIXED);
}
