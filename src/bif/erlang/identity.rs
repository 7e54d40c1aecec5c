//! Identity: `self/0`, `node/0,1`, `make_ref/0`, `unique_integer/0,1`, and
//! identifiers as text (`pid_to_list/1`, `port_to_list/1`, `ref_to_list/1`,
//! `list_to_pid/1`).

use std::sync::atomic::{AtomicU64, Ordering};

use super::atom;
use crate::bif::{Native, NativeResult, Raised};
use crate::term::{atoms, build, Term, View, SMALL_MIN};
use crate::vm::process::Process;

fn self_pid(process: &mut Process, _: &[Term]) -> NativeResult {
    Ok(process.self_term())
}

fn node_0(_: &mut Process, _: &[Term]) -> NativeResult {
    Ok(Term::atom(atoms::NONODE))
}

/// `node(Pid | Port | Ref)`: the node the identifier belongs to.
fn node_1(_: &mut Process, args: &[Term]) -> NativeResult {
    match args[0].view() {
        View::Pid(_) | View::Port(_) => Ok(Term::atom(atoms::NONODE)),
        View::Ref(r) => Ok(Term::atom(r.node)),
        View::ExternalPid { node, .. } | View::ExternalPort { node, .. } => Ok(Term::atom(node)),
        _ => Err(Raised::badarg()),
    }
}

/// `make_ref()`: a reference of this node, unique in the VM.
fn make_ref(process: &mut Process, _: &[Term]) -> NativeResult {
    let ids = crate::vm::runtime::runtime().new_ref_key();
    Ok(build::reference(&mut process.heap, atoms::NONODE, 0, &ids))
}

/// Counters behind `unique_integer/0,1`: one for monotonic values, one for
/// the rest (erts keeps them apart too).
static MONOTONIC: AtomicU64 = AtomicU64::new(0);
static UNIQUE: AtomicU64 = AtomicU64::new(0);

/// The `n`th value: from `SMALL_MIN` upwards, or from 1 when positive (as
/// erl, whose first `unique_integer([monotonic])` is -576460752303423488).
fn nth_unique(process: &mut Process, n: u64, positive: bool) -> Term {
    let value = if positive {
        n as i128 + 1
    } else {
        SMALL_MIN as i128 + n as i128
    };
    match i64::try_from(value) {
        Ok(v) => build::int(&mut process.heap, v),
        Err(_) => build::bigint(&mut process.heap, &value.into()),
    }
}

fn unique_integer_0(process: &mut Process, _: &[Term]) -> NativeResult {
    let n = UNIQUE.fetch_add(1, Ordering::Relaxed);
    Ok(nth_unique(process, n, false))
}

/// `unique_integer(Options)`: `positive` and `monotonic`, in any number.
fn unique_integer_1(process: &mut Process, args: &[Term]) -> NativeResult {
    let (mut positive, mut monotonic) = (false, false);
    let mut rest = args[0].list_iter();
    for option in rest.by_ref() {
        if option == atom("positive") {
            positive = true;
        } else if option == atom("monotonic") {
            monotonic = true;
        } else {
            return Err(Raised::badarg());
        }
    }
    if !rest.rest().is_nil() {
        return Err(Raised::badarg());
    }
    let counter = if monotonic { &MONOTONIC } else { &UNIQUE };
    let n = counter.fetch_add(1, Ordering::Relaxed);
    Ok(nth_unique(process, n, positive))
}

/// `pid_to_list/1`, `port_to_list/1`, `ref_to_list/1`: the identifier
/// as `~w` writes it.
fn identifier_text(process: &mut Process, term: Term, is_kind: bool) -> NativeResult {
    if !is_kind {
        return Err(Raised::badarg());
    }
    let text = crate::term::print::to_string(term);
    Ok(super::char_list(process, &text))
}

fn pid_to_list(process: &mut Process, args: &[Term]) -> NativeResult {
    let is_pid = matches!(args[0].view(), View::Pid(_) | View::ExternalPid { .. });
    identifier_text(process, args[0], is_pid)
}

fn port_to_list(process: &mut Process, args: &[Term]) -> NativeResult {
    let is_port = matches!(args[0].view(), View::Port(_) | View::ExternalPort { .. });
    identifier_text(process, args[0], is_port)
}

fn ref_to_list(process: &mut Process, args: &[Term]) -> NativeResult {
    let is_ref = matches!(args[0].view(), View::Ref(_));
    identifier_text(process, args[0], is_ref)
}

/// `list_to_pid("<0.N.S>")`: a pid of this node (node 0); pids of other
/// nodes are not made from text here.
fn list_to_pid(_: &mut Process, args: &[Term]) -> NativeResult {
    let chars = super::int_list(args[0]).ok_or_else(Raised::badarg)?;
    let text: String = chars
        .iter()
        .map(|&c| u32::try_from(c).ok().and_then(char::from_u32))
        .collect::<Option<_>>()
        .ok_or_else(Raised::badarg)?;
    let inner = text
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .ok_or_else(Raised::badarg)?;
    let parts: Vec<u32> = inner
        .split('.')
        .map(|p| {
            (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect::<Option<_>>()
        .ok_or_else(Raised::badarg)?;
    match parts[..] {
        [0, number, serial] if serial <= crate::term::PID_SERIAL_MAX => {
            Ok(Term::local_pid(crate::term::LocalPid { number, serial }))
        }
        _ => Err(Raised::badarg()),
    }
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "pid_to_list"/1 => pid_to_list,
    "port_to_list"/1 => port_to_list,
    "ref_to_list"/1 => ref_to_list,
    "list_to_pid"/1 => list_to_pid,
    "self"/0 => self_pid,
    "node"/0 => node_0,
    "node"/1 => node_1,
    "make_ref"/0 => make_ref,
    "unique_integer"/0 => unique_integer_0,
    "unique_integer"/1 => unique_integer_1,
);

#[cfg(test)]
mod tests {
    use super::super::testing::{call_in, check, process, show};
    use super::*;
    use crate::term::order::compare;

    #[test]
    fn identifiers_as_text() {
        let mut p = process();
        let me = p.self_term();
        // erl: pid_to_list(list_to_pid("<0.80.0>")) -> "<0.80.0>";
        // pid_to_list(a), list_to_pid("<0.1>"), list_to_pid("0.1.0") -> badarg.
        assert_eq!(
            show(pid_to_list(&mut p, &[me])),
            "[60,48,46,56,48,46,48,62]"
        );
        check(&[
            (list_to_pid, "[\"<0.80.0>\"]", "<0.80.0>"),
            (pid_to_list, "[a]", "{error,badarg}"),
            (ref_to_list, "[a]", "{error,badarg}"),
            (list_to_pid, "[\"<0.1>\"]", "{error,badarg}"),
            (list_to_pid, "[\"0.1.0\"]", "{error,badarg}"),
        ]);
    }

    #[test]
    fn node_and_self() {
        let mut p = process();
        let me = p.self_term();
        assert_eq!(self_pid(&mut p, &[]).unwrap(), me);
        // erl: node(self()) -> nonode@nohost; node(a) -> badarg.
        assert_eq!(show(node_1(&mut p, &[me])), "nonode@nohost");
        assert_eq!(show(node_0(&mut p, &[])), "nonode@nohost");
        check(&[(node_1, "[a]", "{error,badarg}")]);
    }

    #[test]
    fn references_are_distinct_local_refs() {
        let mut p = process();
        let a = make_ref(&mut p, &[]).unwrap();
        let b = make_ref(&mut p, &[]).unwrap();
        assert!(compare(a, b).is_ne());
        let View::Ref(id) = a.view() else { panic!() };
        assert_eq!(id.id_count(), 3);
        assert_eq!(show(node_1(&mut p, &[a])), "nonode@nohost");
    }

    #[test]
    fn unique_integers_follow_the_options() {
        let mut p = process();
        let m1 = call_in(&mut p, unique_integer_1, "[[monotonic]]");
        let m2 = call_in(&mut p, unique_integer_1, "[[monotonic]]");
        let (m1, m2): (i64, i64) = (m1.parse().unwrap(), m2.parse().unwrap());
        assert!(m2 > m1 && m1 >= SMALL_MIN);
        let pos: i64 = call_in(&mut p, unique_integer_1, "[[positive, monotonic]]")
            .parse()
            .unwrap();
        assert!(pos > 0);
        let u1 = call_in(&mut p, unique_integer_0, "[]");
        let u2 = call_in(&mut p, unique_integer_0, "[]");
        assert_ne!(u1, u2);
        // erl: erlang:unique_integer([foo]) and ([positive|x]) -> badarg.
        check(&[
            (unique_integer_1, "[[foo]]", "{error,badarg}"),
            (unique_integer_1, "[[positive|x]]", "{error,badarg}"),
        ]);
    }
}
