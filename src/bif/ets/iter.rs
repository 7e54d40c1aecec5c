//! Walking a table: `first/next/last/prev` by key, `slot/2`, and whole
//! table traversals in erl's order (`match_object/2`, behind `tab2list/1`).

use super::object::Object;
use super::table::{Access, Store};
use super::{badarg, copy_list, read_contents, table_for};
use crate::bif::NativeResult;
use crate::heap::copy_term;
use crate::term::Term;
use crate::vm::process::Process;

fn end_of_table() -> Term {
    super::atom("$end_of_table")
}

/// The key of `obj` copied onto the heap, or `'$end_of_table'`.
fn key_of(process: &mut Process, keypos: usize, obj: Option<&Object>) -> Term {
    match obj {
        Some(o) => copy_term(o.key(keypos), &mut process.heap),
        None => end_of_table(),
    }
}

/// `first/1`, and `last/1` (an ordered set from the other end; a hash
/// table's last is its first, as in erl).
fn first_or_last(process: &mut Process, tab: Term, last: bool) -> NativeResult {
    let table = table_for(process, tab, Access::Read)?;
    let contents = read_contents(&table)?;
    let obj = match &contents.store {
        Store::Hash(h) => h.first().map(|p| h.at(p)),
        Store::Tree(t) if last => t.last(),
        Store::Tree(t) => t.first(),
    };
    Ok(key_of(process, table.keypos(), obj))
}

/// `next/2`, and `prev/2`: for an ordered set the neighbouring key (the
/// given key need not be in the table); for a hash table the key after
/// the given key's objects (which must be in the table).
fn next_or_prev(process: &mut Process, tab: Term, key: Term, prev: bool) -> NativeResult {
    let table = table_for(process, tab, Access::Read)?;
    let contents = read_contents(&table)?;
    let obj = match &contents.store {
        Store::Hash(h) => match h.after_key(key) {
            Ok(pos) => pos.map(|p| h.at(p)),
            Err(()) => return badarg(),
        },
        Store::Tree(t) if prev => t.prev(key),
        Store::Tree(t) => t.next(key),
    };
    Ok(key_of(process, table.keypos(), obj))
}

pub(super) fn first(process: &mut Process, args: &[Term]) -> NativeResult {
    first_or_last(process, args[0], false)
}

pub(super) fn last(process: &mut Process, args: &[Term]) -> NativeResult {
    first_or_last(process, args[0], true)
}

pub(super) fn next(process: &mut Process, args: &[Term]) -> NativeResult {
    next_or_prev(process, args[0], args[1], false)
}

pub(super) fn prev(process: &mut Process, args: &[Term]) -> NativeResult {
    next_or_prev(process, args[0], args[1], true)
}

/// `slot(Tab, I)`: a hash table's bucket `I`, an ordered set's `I`th
/// object; `'$end_of_table'` just past the end, `badarg` beyond.
pub(super) fn slot(process: &mut Process, args: &[Term]) -> NativeResult {
    let table = table_for(process, args[0], Access::Read)?;
    let contents = read_contents(&table)?;
    let i = match args[1].as_small() {
        Some(i) if i >= 0 => i as usize,
        _ => return badarg(),
    };
    let objects = match &contents.store {
        Store::Hash(h) => h.slot(i),
        Store::Tree(t) => match i.cmp(&t.len()) {
            std::cmp::Ordering::Less => Some(Some(t.nth(i).into_iter().collect())),
            std::cmp::Ordering::Equal => Some(None),
            std::cmp::Ordering::Greater => None,
        },
    };
    match objects {
        Some(Some(objects)) => Ok(copy_list(process, objects.into_iter())),
        Some(None) => Ok(end_of_table()),
        None => badarg(),
    }
}
