//! `persistent_term`: a global table from key to term, shared by every
//! process (`put/2`, `get/0,1,2`, `erase/1`, `info/0`).
//!
//! Each entry copies its key and value into a [`LiteralArea`] of its own.
//! `get` returns terms that point into that area, as a module's literals
//! are read: the collector leaves pointers outside a process's heap in
//! place, and sending such a term keeps the pointer (`copy_message`).
//!
//! **Memory that is never freed.** A process may still hold terms of a
//! value that `put/2` replaces or `erase/1` removes. OTP finds out with a
//! global collection that copies those terms into the processes before it
//! frees the area; oxbeam has no such collection yet, so replaced and
//! erased entries move to a retired list and stay allocated until the VM
//! exits. The leak is bounded by the total size of all the keys and values
//! ever stored; a `put/2` of a value equal (`=:=`) to the stored one stores
//! nothing, as in OTP, so re-putting the same configuration leaks nothing.

use std::collections::HashMap;
use std::sync::OnceLock;

use parking_lot::RwLock;

use super::erlang::atom;
use crate::bif::{Native, NativeResult, Raised};
use crate::heap::{copy_term, LiteralArea};
use crate::term::{build, hash::internal_hash, map, order::exact_eq, Term};
use crate::vm::process::Process;

/// A stored pair; `key` and `value` live in `area`.
struct Entry {
    key: Term,
    value: Term,
    area: LiteralArea,
}

impl Entry {
    fn new(key: Term, value: Term) -> Entry {
        let mut area = LiteralArea::new();
        let key = copy_term(key, &mut area);
        let value = copy_term(value, &mut area);
        Entry { key, value, area }
    }
}

#[derive(Default)]
struct Table {
    /// Entries by `internal_hash` of the key; keys compared with `=:=`.
    buckets: HashMap<u32, Vec<Entry>>,
    count: usize,
    /// Areas of replaced and erased entries, kept alive (see module doc).
    retired: Vec<LiteralArea>,
}

fn table() -> &'static RwLock<Table> {
    static TABLE: OnceLock<RwLock<Table>> = OnceLock::new();
    TABLE.get_or_init(Default::default)
}

fn key_hash(key: Term) -> u32 {
    internal_hash(key, 0)
}

/// The stored value of `key`.
fn lookup(key: Term) -> Option<Term> {
    let table = table().read();
    let bucket = table.buckets.get(&key_hash(key))?;
    bucket
        .iter()
        .find(|e| exact_eq(e.key, key))
        .map(|e| e.value)
}

fn put(_: &mut Process, args: &[Term]) -> NativeResult {
    let (key, value) = (args[0], args[1]);
    let hash = key_hash(key);
    let mut table = table().write();
    let table = &mut *table;
    let bucket = table.buckets.entry(hash).or_default();
    match bucket.iter().position(|e| exact_eq(e.key, key)) {
        Some(i) if exact_eq(bucket[i].value, value) => {}
        Some(i) => {
            let old = std::mem::replace(&mut bucket[i], Entry::new(key, value));
            table.retired.push(old.area);
        }
        None => {
            bucket.push(Entry::new(key, value));
            table.count += 1;
        }
    }
    Ok(atom("ok"))
}

fn get_1(_: &mut Process, args: &[Term]) -> NativeResult {
    lookup(args[0]).ok_or_else(Raised::badarg)
}

fn get_2(_: &mut Process, args: &[Term]) -> NativeResult {
    Ok(lookup(args[0]).unwrap_or(args[1]))
}

/// `get()`: every `{Key, Value}`, in no particular order.
fn get_0(process: &mut Process, _: &[Term]) -> NativeResult {
    let pairs: Vec<(Term, Term)> = {
        let table = table().read();
        let pairs = table.buckets.values().flatten();
        pairs.map(|e| (e.key, e.value)).collect()
    };
    let heap = &mut process.heap;
    let tuples: Vec<Term> = pairs
        .iter()
        .map(|&(k, v)| build::tuple(heap, &[k, v]))
        .collect();
    Ok(build::list(heap, &tuples))
}

fn erase(_: &mut Process, args: &[Term]) -> NativeResult {
    let key = args[0];
    let mut table = table().write();
    let table = &mut *table;
    let Some(bucket) = table.buckets.get_mut(&key_hash(key)) else {
        return Ok(Term::FALSE);
    };
    let Some(i) = bucket.iter().position(|e| exact_eq(e.key, key)) else {
        return Ok(Term::FALSE);
    };
    let old = bucket.swap_remove(i);
    if bucket.is_empty() {
        table.buckets.remove(&key_hash(key));
    }
    table.count -= 1;
    table.retired.push(old.area);
    Ok(Term::TRUE)
}

/// `info()`: `#{count => Entries, memory => Bytes}`, the bytes being those
/// of the live entries' areas.
fn info(process: &mut Process, _: &[Term]) -> NativeResult {
    let (count, words) = {
        let table = table().read();
        let words: usize = table
            .buckets
            .values()
            .flatten()
            .map(|e| e.area.words())
            .sum();
        (table.count, words)
    };
    let heap = &mut process.heap;
    let memory = build::int(heap, (words * 8) as i64);
    let pairs = [
        (atom("count"), build::int(heap, count as i64)),
        (atom("memory"), memory),
    ];
    Ok(map::from_pairs(heap, &pairs).0)
}

pub(crate) const NATIVES: &[Native] = crate::natives!("persistent_term";
    "put"/2 => put,
    "get"/1 => get_1,
    "get"/2 => get_2,
    "get"/0 => get_0,
    "erase"/1 => erase,
    "info"/0 => info,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bif::erlang::testing::{call_in, process, terms};
    use crate::heap::copy_term;
    use crate::term::print::to_string;

    #[test]
    fn values_outlive_the_arguments_and_replacement() {
        let mut p = process();
        let args = terms(&mut p, "[{pt_test, 1}, {[1, 2.5, <<\"abc\">>], #{a => b}}]");
        assert_eq!(to_string(put(&mut p, &args).unwrap()), "ok");
        let key = terms(&mut p, "[{pt_test, 1}]");
        let got = get_1(&mut p, &key).unwrap();
        // The stored copy is not the argument, but equal to it.
        assert!(got != args[1] && exact_eq(got, args[1]));
        // Replacing keeps the old value readable.
        let replacement = terms(&mut p, "[{pt_test, 1}, other]");
        put(&mut p, &replacement).unwrap();
        assert_eq!(to_string(got), "{[1,2.5,<<97,98,99>>],#{a => b}}");
        assert_eq!(to_string(get_1(&mut p, &key).unwrap()), "other");
        assert_eq!(call_in(&mut p, erase, "[{pt_test, 1}]"), "true");
        assert_eq!(call_in(&mut p, erase, "[{pt_test, 1}]"), "false");
        assert_eq!(call_in(&mut p, get_1, "[{pt_test, 1}]"), "{error,badarg}");
        assert_eq!(call_in(&mut p, get_2, "[{pt_test, 1}, dflt]"), "dflt");
        let mut copy_area = LiteralArea::new();
        assert_eq!(to_string(copy_term(got, &mut copy_area)), to_string(got));
    }

    #[test]
    fn keys_are_compared_exactly() {
        let mut p = process();
        call_in(&mut p, put, "[{pt_exact, 1}, int]");
        call_in(&mut p, put, "[{pt_exact, 1.0}, float]");
        assert_eq!(call_in(&mut p, get_1, "[{pt_exact, 1}]"), "int");
        assert_eq!(call_in(&mut p, get_1, "[{pt_exact, 1.0}]"), "float");
        call_in(&mut p, erase, "[{pt_exact, 1}]");
        call_in(&mut p, erase, "[{pt_exact, 1.0}]");
    }
}
