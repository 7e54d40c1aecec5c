//! Type tests as functions: `is_atom/1`, `is_function/2`, `is_record/3`, ...

use crate::bif::{Native, NativeResult, Raised};
use crate::term::{Term, View};
use crate::vm::process::Process;

fn test(value: bool) -> NativeResult {
    Ok(Term::bool(value))
}

fn is_atom(_: &mut Process, args: &[Term]) -> NativeResult {
    test(args[0].is_atom())
}

fn is_binary(_: &mut Process, args: &[Term]) -> NativeResult {
    test(matches!(args[0].view(), View::Bitstring(b) if b.bit_len % 8 == 0))
}

fn is_bitstring(_: &mut Process, args: &[Term]) -> NativeResult {
    test(args[0].is_bitstring())
}

fn is_boolean(_: &mut Process, args: &[Term]) -> NativeResult {
    test(args[0] == Term::TRUE || args[0] == Term::FALSE)
}

fn is_float(_: &mut Process, args: &[Term]) -> NativeResult {
    test(args[0].is_float())
}

/// The arity of a fun (as called), if the term is one.
pub(super) fn fun_arity(term: Term) -> Option<u32> {
    match term.view() {
        View::Fun(f) => Some(f.entry.arity),
        View::Export(e) => Some(e.arity),
        _ => None,
    }
}

fn is_function_1(_: &mut Process, args: &[Term]) -> NativeResult {
    test(fun_arity(args[0]).is_some())
}

/// `is_function(F, Arity)`: `Arity` must be a non-negative integer; a
/// bignum never matches.
fn is_function_2(_: &mut Process, args: &[Term]) -> NativeResult {
    let arity = match args[1].view() {
        View::Small(a) if a >= 0 => Some(a),
        View::Big {
            negative: false, ..
        } => None,
        _ => return Err(Raised::badarg()),
    };
    test(arity.is_some() && fun_arity(args[0]).map(i64::from) == arity)
}

fn is_integer(_: &mut Process, args: &[Term]) -> NativeResult {
    test(args[0].is_integer())
}

fn is_list(_: &mut Process, args: &[Term]) -> NativeResult {
    test(args[0].is_list() || args[0].is_nil())
}

fn is_map(_: &mut Process, args: &[Term]) -> NativeResult {
    test(args[0].is_map())
}

fn is_number(_: &mut Process, args: &[Term]) -> NativeResult {
    test(args[0].is_number())
}

fn is_pid(_: &mut Process, args: &[Term]) -> NativeResult {
    test(matches!(
        args[0].view(),
        View::Pid(_) | View::ExternalPid { .. }
    ))
}

fn is_port(_: &mut Process, args: &[Term]) -> NativeResult {
    test(matches!(
        args[0].view(),
        View::Port(_) | View::ExternalPort { .. }
    ))
}

fn is_reference(_: &mut Process, args: &[Term]) -> NativeResult {
    test(matches!(args[0].view(), View::Ref(_)))
}

fn is_tuple(_: &mut Process, args: &[Term]) -> NativeResult {
    test(args[0].is_tuple())
}

/// `is_record(Term, Tag)`: a tuple whose first element is the atom `Tag`.
fn is_record_2(_: &mut Process, args: &[Term]) -> NativeResult {
    if !args[1].is_atom() {
        return Err(Raised::badarg());
    }
    test(args[0].as_tuple().and_then(|t| t.first()) == Some(&args[1]))
}

/// `is_record(Term, Tag, Size)`: also checks the tuple's size.
fn is_record_3(_: &mut Process, args: &[Term]) -> NativeResult {
    let (Some(_), Some(size)) = (args[1].as_atom(), args[2].as_small()) else {
        return Err(Raised::badarg());
    };
    test(
        args[0]
            .as_tuple()
            .is_some_and(|t| t.len() as i64 == size && t.first() == Some(&args[1])),
    )
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "is_atom"/1 => is_atom,
    "is_binary"/1 => is_binary,
    "is_bitstring"/1 => is_bitstring,
    "is_boolean"/1 => is_boolean,
    "is_float"/1 => is_float,
    "is_function"/1 => is_function_1,
    "is_function"/2 => is_function_2,
    "is_integer"/1 => is_integer,
    "is_list"/1 => is_list,
    "is_map"/1 => is_map,
    "is_number"/1 => is_number,
    "is_pid"/1 => is_pid,
    "is_port"/1 => is_port,
    "is_record"/2 => is_record_2,
    "is_record"/3 => is_record_3,
    "is_reference"/1 => is_reference,
    "is_tuple"/1 => is_tuple,
);

#[cfg(test)]
mod tests {
    use super::super::testing::{call_in, check, process};
    use super::*;
    use crate::code::{export_entry, fun_entry};
    use crate::term::{build, Atom};

    #[test]
    fn type_tests_on_plain_terms() {
        // erl: [erlang:F(X) || X <- [a, <<1>>, <<1:3>>, true, 1.5, 7,
        //   1 bsl 70, [], [a|b], #{}, {}]] for each F.
        let values =
            "[a, <<1>>, <<1:3>>, true, 1.5, 7, 1180591620717411303424, [], [a|b], #{}, {}]";
        let table: &[(crate::bif::NativeFn, &str)] = &[
            (
                is_atom,
                "[true,false,false,true,false,false,false,false,false,false,false]",
            ),
            (
                is_binary,
                "[false,true,false,false,false,false,false,false,false,false,false]",
            ),
            (
                is_bitstring,
                "[false,true,true,false,false,false,false,false,false,false,false]",
            ),
            (
                is_boolean,
                "[false,false,false,true,false,false,false,false,false,false,false]",
            ),
            (
                is_float,
                "[false,false,false,false,true,false,false,false,false,false,false]",
            ),
            (
                is_integer,
                "[false,false,false,false,false,true,true,false,false,false,false]",
            ),
            (
                is_number,
                "[false,false,false,false,true,true,true,false,false,false,false]",
            ),
            (
                is_list,
                "[false,false,false,false,false,false,false,true,true,false,false]",
            ),
            (
                is_map,
                "[false,false,false,false,false,false,false,false,false,true,false]",
            ),
            (
                is_tuple,
                "[false,false,false,false,false,false,false,false,false,false,true]",
            ),
            (
                is_pid,
                "[false,false,false,false,false,false,false,false,false,false,false]",
            ),
            (
                is_function_1,
                "[false,false,false,false,false,false,false,false,false,false,false]",
            ),
        ];
        for (fun, expected) in table {
            let mut p = process();
            let items = super::super::testing::terms(&mut p, values);
            let results: Vec<String> = items
                .iter()
                .map(|&x| super::super::testing::show(fun(&mut p, &[x])))
                .collect();
            assert_eq!(format!("[{}]", results.join(",")), *expected);
        }
    }

    #[test]
    fn pids_ports_refs_and_funs() {
        let mut p = process();
        let me = p.self_term();
        let port = Term::local_port(3);
        let r = build::reference(&mut p.heap, crate::term::atoms::NONODE, 0, &[1, 2, 3]);
        let m = Atom::intern("lists").unwrap();
        let f = Atom::intern("map").unwrap();
        let export = build::export_fun(&mut p.heap, export_entry(m, f, 2));
        let entry = fun_entry(m, 0, [0; 16], 0, 0, 1);
        let closure = build::closure(&mut p.heap, entry, me, &[Term::small(5)]);
        let t = Term::TRUE;
        let f_ = Term::FALSE;
        assert_eq!(is_pid(&mut p, &[me]).unwrap(), t);
        assert_eq!(is_port(&mut p, &[port]).unwrap(), t);
        assert_eq!(is_port(&mut p, &[me]).unwrap(), f_);
        assert_eq!(is_reference(&mut p, &[r]).unwrap(), t);
        assert_eq!(is_function_1(&mut p, &[export]).unwrap(), t);
        // erl: is_function(fun lists:map/2, 2) -> true; (fun(X) -> X end, 1) -> true.
        assert_eq!(is_function_2(&mut p, &[export, Term::small(2)]).unwrap(), t);
        assert_eq!(
            is_function_2(&mut p, &[export, Term::small(1)]).unwrap(),
            f_
        );
        assert_eq!(
            is_function_2(&mut p, &[closure, Term::small(1)]).unwrap(),
            t
        );
        assert_eq!(
            call_in(&mut p, is_function_2, "[x, 18446744073709551616]"),
            "false"
        );
    }

    #[test]
    fn argument_errors_follow_erl() {
        // erl: erlang:is_function(x, a), (F, -1) -> badarg; is_record/2,3 as
        // in erl_bif_op.c (checked through apply on erl).
        check(&[
            (is_function_2, "[x, a]", "{error,badarg}"),
            (is_function_2, "[x, -1]", "{error,badarg}"),
            (is_record_2, "[{a,1}, 1]", "{error,badarg}"),
            (is_record_2, "[{a,1}, a]", "true"),
            (is_record_2, "[{}, a]", "false"),
            (is_record_3, "[{a,1}, a, 2]", "true"),
            (is_record_3, "[{a,1}, a, x]", "{error,badarg}"),
            (is_record_3, "[{a,1}, b, x]", "{error,badarg}"),
            (is_record_3, "[x, 1, 2]", "{error,badarg}"),
            (is_record_3, "[{a,1}, a, -1]", "false"),
            (is_record_3, "[{}, a, 0]", "false"),
        ]);
    }
}
