//! Which specs `ets:select_replace/2` accepts (erl's `db_match_keeps_key`).

use super::compile::{is_atom_named, variable_number};
use crate::term::{order::exact_eq, Term};
/// Whether every clause of `spec` returns an object with the same key
/// (element `keypos`, 1-based) as the object it matched, as
/// `ets:select_replace/2` requires (erl's `db_match_keeps_key`, which looks
/// at the spec's terms, not at compiled code): the body is one expression,
/// `'$_'` or a tuple construction (`{{...}}` or `{const, {...}}`) whose key
/// element is the head's key term rebuilt (the same variables and
/// constants, no map, no `'_'`) or `{element, KeyPos, '$_'}`. `false` for
/// anything that is not a proper list of 3-tuples.
pub fn keeps_key(spec: Term, keypos: usize) -> bool {
    let Some(clauses) = spec.list_to_vec() else {
        return false;
    };
    clauses.iter().all(|clause| match clause.as_tuple() {
        Some(&[head, _, body]) => clause_keeps_key(keypos, head, body),
        _ => false,
    })
}

/// Element `keypos` (1-based) of a tuple.
fn element_at(term: Term, keypos: usize) -> Option<Term> {
    term.as_tuple()?.get(keypos.checked_sub(1)?).copied()
}

fn clause_keeps_key(keypos: usize, head: Term, body: Term) -> bool {
    let single = match body.as_cons() {
        Some((single, rest)) if rest.is_nil() => single,
        _ => return false,
    };
    if is_atom_named(single, "$_") {
        return true;
    }
    let Some(head_key) = element_at(head, keypos) else {
        return false;
    };
    let (built, const_mode) = match single.as_tuple() {
        Some(&[tag, constant]) if is_atom_named(tag, "const") => (constant, true),
        Some(&[inner]) => (inner, false),
        _ => return false,
    };
    let Some(built_key) = element_at(built, keypos) else {
        return false;
    };
    if rebuilds(head_key, built_key, const_mode) {
        return true;
    }
    // {element, KeyPos, '$_'}
    !const_mode
        && matches!(built_key.as_tuple(), Some(&[f, pos, whole])
            if is_atom_named(f, "element")
                && pos.as_small() == Some(keypos as i64)
                && is_atom_named(whole, "$_"))
}

/// Whether the body term `built` always builds the term the head term
/// `matched` matched (erl's `db_match_eq_body`); `const_mode` inside
/// `{const, T}`.
fn rebuilds(matched: Term, built: Term, const_mode: bool) -> bool {
    let mut work = vec![(matched, built, const_mode)];
    while let Some((a, mut b, const_mode)) = work.pop() {
        if let Some((bh, bt)) = b.as_cons() {
            let Some((ah, at)) = a.as_cons() else {
                return false;
            };
            work.push((at, bt, const_mode));
            work.push((ah, bh, const_mode));
            continue;
        }
        if b.is_tuple() {
            if !const_mode {
                match b.as_tuple() {
                    Some(&[inner]) if inner.is_tuple() => b = inner,
                    Some(&[tag, constant]) if is_atom_named(tag, "const") => {
                        work.push((a, constant, true));
                        continue;
                    }
                    _ => return false,
                }
            }
            match (a.as_tuple(), b.as_tuple()) {
                (Some(ae), Some(be)) if ae.len() == be.len() => {
                    work.extend(ae.iter().zip(be).map(|(&x, &y)| (x, y, const_mode)));
                }
                _ => return false,
            }
            continue;
        }
        if b.is_map() {
            // The matched map may have more pairs.
            return false;
        }
        if b.is_boxed() {
            if !exact_eq(a, b) {
                return false;
            }
            continue;
        }
        let special = ["_", "$$", "$_"].iter().any(|name| is_atom_named(a, name))
            || (const_mode && variable_number(a).is_some());
        if a != b || special {
            return false;
        }
    }
    true
}
