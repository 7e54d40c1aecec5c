//! `update_counter/3,4` and `update_element/3`: in-place updates of one
//! object of a `set` or `ordered_set`, checked in full before anything
//! changes (as erl does, so a bad operation changes nothing).

use std::cmp::Ordering;

use super::object::Object;
use super::table::{Contents, Store, TableType};
use super::{badarg, fail, table_for, write_contents, Access};
use crate::bif::{NativeResult, Raised};
use crate::heap::copy_term;
use crate::term::order::compare;
use crate::term::{arith, build, Term};
use crate::vm::process::Process;

/// The stored object of `key` in a set-like store.
fn stored(contents: &Contents, key: Term) -> Option<&Object> {
    match &contents.store {
        Store::Hash(h) => h.lookup(key).into_iter().next(),
        Store::Tree(t) => t.lookup(key),
    }
}

fn replace(contents: &mut Contents, key: Term, new: Term) {
    let obj = Object::new(new);
    match &mut contents.store {
        Store::Hash(h) => h.replace(key, obj),
        Store::Tree(t) => t.replace(key, obj),
    }
}

fn insert(contents: &mut Contents, new: Term) {
    let fixed = contents.is_fixed();
    let obj = Object::new(new);
    match &mut contents.store {
        Store::Hash(h) => h.insert(obj, fixed),
        Store::Tree(t) => t.insert(obj),
    }
}

/// One counter operation: position, increment, optional threshold and
/// value to set past it.
struct CounterOp {
    pos: usize,
    incr: Term,
    warp: Option<(Term, Term)>,
}

fn counter_ops(op: Term, keypos: usize, arity: usize) -> Result<(Vec<CounterOp>, bool), Raised> {
    let (ops, as_list) = if op.is_integer() {
        let t = [Term::small(keypos as i64 + 1), op];
        return Ok((vec![check_op(&t, keypos, arity)?], false));
    } else if op.is_tuple() {
        (vec![op], false)
    } else {
        (op.list_to_vec().ok_or_else(Raised::badarg)?, true)
    };
    let mut out = Vec::with_capacity(ops.len());
    for op in ops {
        let t = op.as_tuple().ok_or_else(Raised::badarg)?;
        out.push(check_op(t, keypos, arity)?);
    }
    Ok((out, as_list))
}

fn check_op(t: &[Term], keypos: usize, arity: usize) -> Result<CounterOp, Raised> {
    let warp = match t.len() {
        2 => None,
        4 if t[2].is_integer() && t[3].is_integer() => Some((t[2], t[3])),
        _ => return badarg(),
    };
    let pos = match t[0].as_small() {
        Some(p) if p as usize == keypos => return fail("keypos"),
        Some(p) if p >= 1 && p as usize <= arity => p as usize,
        Some(_) => return fail("position"),
        None => return badarg(),
    };
    if !t[1].is_integer() {
        return badarg();
    }
    Ok(CounterOp {
        pos,
        incr: t[1],
        warp,
    })
}

pub(super) fn update_counter_3(process: &mut Process, args: &[Term]) -> NativeResult {
    update_counter(process, args, None)
}

pub(super) fn update_counter_4(process: &mut Process, args: &[Term]) -> NativeResult {
    update_counter(process, args, Some(args[3]))
}

fn update_counter(process: &mut Process, args: &[Term], default: Option<Term>) -> NativeResult {
    let table = table_for(process, args[0], Access::Write)?;
    let mut contents = write_contents(&table)?;
    if !matches!(table.kind(), TableType::Set | TableType::OrderedSet) {
        return fail("table_type");
    }
    let keypos = table.keypos();
    let key = args[1];
    let (mut elements, is_new) = match stored(&contents, key) {
        Some(obj) => (obj.elements().to_vec(), false),
        None => {
            let Some(default) = default else {
                return fail("badkey");
            };
            match default.as_tuple() {
                Some(t) if t.len() >= keypos => {
                    let mut e = t.to_vec();
                    e[keypos - 1] = key;
                    (e, true)
                }
                _ => return badarg(),
            }
        }
    };
    let (ops, as_list) = counter_ops(args[2], keypos, elements.len())?;
    if ops.iter().any(|op| !elements[op.pos - 1].is_integer()) {
        return badarg();
    }
    let heap = &mut process.heap;
    let mut results = Vec::with_capacity(ops.len());
    for op in &ops {
        let mut value = arith::add(heap, elements[op.pos - 1], op.incr)?;
        if let Some((threshold, set_to)) = op.warp {
            let sign = compare(op.incr, Term::small(0));
            let past = compare(value, threshold);
            if (sign == Ordering::Less && past == Ordering::Less)
                || (sign == Ordering::Greater && past == Ordering::Greater)
            {
                value = set_to;
            }
        }
        elements[op.pos - 1] = value;
        // A result may be the stored (boxed) value itself, which the
        // replacement frees: the caller gets its own copy.
        results.push(copy_term(value, heap));
    }
    let new = build::tuple(heap, &elements);
    if is_new {
        insert(&mut contents, new);
    } else {
        replace(&mut contents, key, new);
    }
    drop(contents);
    Ok(if as_list {
        build::list(&mut process.heap, &results)
    } else {
        results[0]
    })
}

/// `update_element(Tab, Key, {Pos, Value} | [{Pos, Value}])`.
pub(super) fn update_element(process: &mut Process, args: &[Term]) -> NativeResult {
    let table = table_for(process, args[0], Access::Write)?;
    let mut contents = write_contents(&table)?;
    if !matches!(table.kind(), TableType::Set | TableType::OrderedSet) {
        return badarg();
    }
    let keypos = table.keypos();
    let key = args[1];
    let updates = if args[2].is_tuple() {
        vec![args[2]]
    } else {
        args[2].list_to_vec().ok_or_else(Raised::badarg)?
    };
    let Some(obj) = stored(&contents, key) else {
        let well_formed = updates
            .iter()
            .all(|u| u.as_tuple().is_some_and(|t| t.len() == 2));
        return if well_formed {
            Ok(Term::FALSE)
        } else {
            badarg()
        };
    };
    let mut elements = obj.elements().to_vec();
    for u in &updates {
        match u.as_tuple() {
            Some([pos, value]) => match pos.as_small() {
                Some(p) if p as usize == keypos => return fail("keypos"),
                Some(p) if p >= 1 && p as usize <= elements.len() => {
                    elements[p as usize - 1] = *value
                }
                _ => return badarg(),
            },
            _ => return badarg(),
        }
    }
    let new = build::tuple(&mut process.heap, &elements);
    replace(&mut contents, key, new);
    Ok(Term::TRUE)
}
