//! Unit tests of the compiler, `bound_keys`, `for_pattern` and `keeps_key`.

use super::compile::MAX_DEPTH;
use super::*;
use crate::bif::erlang::testing::process;
use crate::term::atoms;
use crate::term::parse::parse_term;
use crate::term::print::to_string;

fn compile(p: &mut Process, text: &str) -> Result<MatchSpec, MsError> {
    let spec = parse_term(text, &mut p.heap).expect("a term");
    MatchSpec::compile(spec)
}

#[test]
fn specs_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<MatchSpec>();
}

/// Each spec with the errors `ets:test_ms({a, b}, Spec)` gives on erl.
#[test]
fn invalid_specs_give_erls_errors() {
    let cases: &[(&str, &[&str])] = &[
        ("not_a_list", &["Match programs are not in a list."]),
        (
            "[{'_', [], [x]} | tail]",
            &["Match programs are not in a proper list."],
        ),
        (
            "[{'_', []}]",
            &["Match program part is not a tuple of arity 3."],
        ),
        ("[{'_', [], []}]", &["Body clause does not return anything."]),
        ("[{'_', [], x}]", &["Body clause does not return anything."]),
        (
            "[{'_', x, x}]",
            &[
                "Match expression is not a list.",
                "Body clause does not return anything.",
            ],
        ),
        (
            "[{'_', [true | x], [x]}]",
            &["Match expression is not a proper list."],
        ),
        (
            "[{'_', ['$2'], ['$1']}]",
            &["Variable $2 is unbound.", "Variable $1 is unbound."],
        ),
        ("[{'_', [], [{foo, 1}]}]", &["Function foo/1 does_not_exist."]),
        (
            "[{'_', [], [{1, 2}]}]",
            &["{1,2} is neither a function call, nor a tuple (tuples are written {{ ... }})."],
        ),
        (
            "[{'_', [], [{'and'}]}]",
            &["Special form 'and' called without arguments in {and}."],
        ),
        (
            "[{'_', [], [{return_trace}]}]",
            &["Special form 'return_trace' used in wrong dialect."],
        ),
        (
            "[{'_', [], [{set_seq_token, label, 1}]}]",
            &["Special form 'set_seq_trace' used in wrong dialect."],
        ),
        (
            "[{'_', [], [{get_tcw}]}]",
            &["Function get_tcw/0 cannot be called in this context."],
        ),
        ("[{#{'_' => a}, [], [x]}]", &["Underscore found in map key."]),
        (
            "[{'_', [{'and', '$1', '$2', '$3'}], [{foo}, '$4']}]",
            &[
                "Variable $3 is unbound.",
                "Variable $2 is unbound.",
                "Variable $1 is unbound.",
                "Function foo/0 does_not_exist.",
                "Variable $4 is unbound.",
            ],
        ),
        (
            "[{{'$1'}, [], [x]}, {'_', [], ['$1']}, {'_', [], ['$2']}]",
            &["Variable $1 is unbound."],
        ),
        (
            "[{'_', [], [{const, [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16], 2}]}]",
            &["Special form 'const' called with more than one argument in {const,[1,2,3,4,5,6,7,8,9,10,11,12,13,14"],
        ),
    ];
    let mut p = process();
    for &(spec, expected) in cases {
        let error = compile(&mut p, spec)
            .err()
            .unwrap_or_else(|| panic!("{spec} compiles"));
        assert_eq!(error.errors, expected, "{spec}");
        assert!(!error.system_limit);
    }
}

#[test]
fn deep_nesting_is_a_system_limit() {
    let mut p = process();
    // {{ {{ ... x ... }} }} in a body, deeper than the limit.
    let mut body = Term::atom(atoms::OK);
    for _ in 0..MAX_DEPTH + 10 {
        let inner = build::tuple(&mut p.heap, &[body]);
        body = build::tuple(&mut p.heap, &[inner]);
    }
    let spec = parse_term("[{'_', [], [x]}]", &mut p.heap).unwrap();
    let (clause, _) = spec.as_cons().unwrap();
    let parts = clause.as_tuple().unwrap();
    let body_list = build::list(&mut p.heap, &[body]);
    let clause = build::tuple(&mut p.heap, &[parts[0], parts[1], body_list]);
    let spec = build::list(&mut p.heap, &[clause]);
    let error = MatchSpec::compile(spec).err().expect("too deep");
    assert!(error.system_limit);
    assert_eq!(to_string(error.raised().reason), "system_limit");
}

fn keys(spec: &MatchSpec, keypos: usize) -> Option<String> {
    let keys = spec.bound_keys(keypos)?;
    Some(
        keys.iter()
            .map(|&k| to_string(k))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

#[test]
fn bound_keys_of_clauses() {
    let mut p = process();
    let spec = compile(
        &mut p,
        "[{{a, '_'}, [], ['$_']}, {{{b, 1}, '$1'}, [], ['$1']}, {{a, x}, [], [y]}]",
    )
    .unwrap();
    assert_eq!(keys(&spec, 1).as_deref(), Some("a {b,1}"));
    assert_eq!(keys(&spec, 2), None);
    assert_eq!(keys(&spec, 0), None);
    // Tuples too small match no object with a key at 3.
    assert_eq!(keys(&spec, 3).as_deref(), Some(""));

    let open = compile(&mut p, "[{{a, '_'}, [], [x]}, {'$1', [], [x]}]").unwrap();
    assert_eq!(keys(&open, 1), None);
    let wild = compile(&mut p, "[{{'_', k}, [], [x]}]").unwrap();
    assert_eq!(keys(&wild, 1), None);
    // A map in the key matches maps with more keys: no lookup.
    let map = compile(&mut p, "[{{#{a => 1}, k}, [], [x]}]").unwrap();
    assert_eq!(keys(&map, 1), None);
    // Heads that are no tuples match no object.
    let other = compile(
        &mut p,
        "[{[a], [], [x]}, {atom, [], [x]}, {{k, 1.0}, [], [x]}]",
    )
    .unwrap();
    assert_eq!(keys(&other, 1).as_deref(), Some("k"));
    assert_eq!(keys(&other, 2).as_deref(), Some("1.0"));

    let pattern = parse_term("{'$1', x, [y]}", &mut p.heap).unwrap();
    let spec = MatchSpec::for_pattern(pattern, PatternReturns::Bindings).unwrap();
    assert_eq!(keys(&spec, 1), None);
    assert_eq!(keys(&spec, 3).as_deref(), Some("[y]"));
}

#[test]
fn patterns_return_bindings_or_objects() {
    let mut p = process();
    let pattern = parse_term("{'$2', '_', '$1', #{k => '$3'}}", &mut p.heap).unwrap();
    let object = parse_term("{a, b, [c], #{k => v, z => 1}}", &mut p.heap).unwrap();
    let bindings = MatchSpec::for_pattern(pattern, PatternReturns::Bindings).unwrap();
    let objects = MatchSpec::for_pattern(pattern, PatternReturns::Object).unwrap();
    let result = bindings.run(object, &mut p).unwrap();
    assert_eq!(to_string(result), "[[c],a,v]");
    let whole = objects.run(object, &mut p).unwrap();
    // A copy, not the object itself.
    assert!(whole != object && exact_eq(whole, object));
    let other = parse_term("{a, b, c}", &mut p.heap).unwrap();
    assert!(objects.run(other, &mut p).is_none());
    let bad = parse_term("{#{'$1' => x}}", &mut p.heap).unwrap();
    let error = MatchSpec::for_pattern(bad, PatternReturns::Object)
        .err()
        .unwrap();
    assert_eq!(error.errors, ["Variable found in map key."]);
}

#[test]
fn specs_outlive_their_source_terms() {
    let mut p = process();
    let spec = compile(
        &mut p,
        "[{{'$1', '_'}, [], [{{'$1', {const, {big, 1.5}}}}]}]",
    )
    .unwrap();
    // Another process runs it: constants live in the spec.
    let mut q = process();
    let object = parse_term("{k, v}", &mut q.heap).unwrap();
    drop(p);
    assert_eq!(
        to_string(spec.run(object, &mut q).unwrap()),
        "{k,{big,1.5}}"
    );
}

/// Which specs `ets:select_replace/2` accepts on a `set` table (key
/// position 1) on erl: a count, or `badarg` for those that may change
/// the key.
#[test]
fn keeps_key_as_select_replace_decides() {
    let cases: &[(&str, bool)] = &[
        ("[{{'$1', '$2'}, [], ['$_']}]", true),
        ("[{'_', [], ['$_']}]", true),
        ("[{{'$1', '$2'}, [], [{{'$1', x}}]}]", true),
        ("[{{'$1', '$2'}, [], [{{'$2', x}}]}]", false),
        ("[{{'$1', '$2'}, [], [{{{element, 1, '$_'}, x}}]}]", true),
        ("[{{'$1', '$2'}, [], [{{{element, 2, '$_'}, x}}]}]", false),
        ("[{{a, '$2'}, [], [{{a, x}}]}]", true),
        ("[{{a, '$2'}, [], [{const, {a, x}}]}]", true),
        ("[{{'$1', '$2'}, [], [{const, {'$1', x}}]}]", false),
        ("[{{'_', '$2'}, [], [{{'_', x}}]}]", false),
        ("[{{'$1', '$2'}, [], [{{'$1', x}}, '$_']}]", false),
        ("[{{{'$1', b}, '$2'}, [], [{{{{'$1', b}}, x}}]}]", true),
        ("[{{{'$1', b}, '$2'}, [], [{{{'$1', b}, x}}]}]", false),
        (
            "[{{{'$1', b}, '$2'}, [], [{{{const, {'$1', b}}, x}}]}]",
            false,
        ),
        ("[{{[a, '$1'], '$2'}, [], [{{[a, '$1'], x}}]}]", true),
        ("[{{#{a => '$1'}, '$2'}, [], [{{#{a => '$1'}, x}}]}]", false),
        ("[{{<<\"k\">>, '$2'}, [], [{{<<\"k\">>, x}}]}]", true),
        (
            "[{{'$1', '$2'}, [], [{{'$1', x}}]}, {'_', [], [{{y, x}}]}]",
            false,
        ),
        ("[]", true),
        ("[{{'$1'}, [], [{{'$1'}}]}]", true),
    ];
    let mut p = process();
    for &(spec, expected) in cases {
        let term = parse_term(spec, &mut p.heap).expect("a term");
        assert_eq!(keeps_key(term, 1), expected, "{spec}");
    }
}
