//! Match specifications over tables: `match/1,2,3`, `match_object/1,2,3`,
//! `select/1,2,3`, `select_reverse/1,2,3`, `select_count/2`,
//! `internal_select_delete/2` (behind `select_delete/2` and
//! `match_delete/2`) and `select_replace/2`, on the engine of
//! `bif/match_spec/`.
//!
//! Order, as erl: a hash table is visited in iteration order (or, when the
//! spec binds the key, only the buckets of those keys) and each match is
//! consed onto the result, so results come in reverse; a chunk of
//! `select/3` is the next `Limit` matches of the visit, reversed. An
//! ordered set gives key order (descending for `select_reverse`).
//!
//! A continuation is `{'$ets_cont', Kind, Tab, Spec, Limit, Reverse,
//! Position}` (erl's holds a compiled spec; the chunks are the same): the
//! spec is compiled again for each chunk. `Position` is `{Slot, Rest}` for
//! a hash table (the next bucket, -1 at the end, and the matches found
//! but not yet returned, as erl keeps them) and `{LastKey}` (or `{}`) for
//! an ordered set.

use super::object::Object;
use super::table::{Store, TableType};
use super::{atom, badarg, fail, read_contents, table_for, write_contents, Access};
use crate::bif::match_spec::{MatchSpec, PatternReturns};
use crate::bif::{NativeResult, Raised};
use crate::term::order::{compare, exact_eq};
use crate::term::{build, Term};
use crate::vm::process::Process;

/// What a spec was made from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A match specification (`select`).
    Spec,
    /// A pattern whose variables are returned (`match`).
    Bindings,
    /// A pattern whose objects are returned (`match_object`).
    Objects,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Spec => "select",
            Kind::Bindings => "match",
            Kind::Objects => "match_object",
        }
    }

    fn from_name(term: Term) -> Option<Kind> {
        match term.as_atom()?.name() {
            "select" => Some(Kind::Spec),
            "match" => Some(Kind::Bindings),
            "match_object" => Some(Kind::Objects),
            _ => None,
        }
    }
}

fn compile(process: &mut Process, kind: Kind, spec: Term) -> Result<MatchSpec, Raised> {
    let compiled = match kind {
        // An empty spec matches nothing: the engine wants clauses, so it
        // gets one whose guard never holds.
        Kind::Spec if spec.is_nil() => {
            let heap = &mut process.heap;
            let guards = build::list(heap, &[Term::FALSE]);
            let body = build::list(heap, &[Term::TRUE]);
            let clause = build::tuple(heap, &[atom("_"), guards, body]);
            MatchSpec::compile(build::list(heap, &[clause]))
        }
        Kind::Spec => MatchSpec::compile(spec),
        Kind::Bindings => MatchSpec::for_pattern(spec, PatternReturns::Bindings),
        Kind::Objects => MatchSpec::for_pattern(spec, PatternReturns::Object),
    };
    compiled.map_err(|e| e.raised())
}

/// The objects a traversal visits, in erl's visiting order.
fn visit<'a>(store: &'a Store, spec: &MatchSpec, keypos: usize, reverse: bool) -> Vec<&'a Object> {
    let keys = spec.bound_keys(keypos);
    match store {
        Store::Hash(h) => match keys {
            Some(keys) => h.chains_of(&keys),
            None => h.objects(),
        },
        Store::Tree(t) => {
            let mut objects: Vec<&Object> = match keys {
                Some(keys) => {
                    let mut found: Vec<&Object> =
                        keys.iter().filter_map(|&k| t.lookup(k)).collect();
                    found.sort_by(|a, b| compare(a.key(keypos), b.key(keypos)));
                    found.dedup_by(|a, b| std::ptr::eq(*a, *b));
                    found
                }
                None => t.objects().collect(),
            };
            if reverse {
                objects.reverse();
            }
            objects
        }
    }
}

fn is_hash(store: &Store) -> bool {
    matches!(store, Store::Hash(_))
}

/// The whole-table forms: `match/2`, `match_object/2`, `select/2`,
/// `select_reverse/2`.
fn run_all(
    process: &mut Process,
    tab: Term,
    spec: Term,
    kind: Kind,
    reverse: bool,
) -> NativeResult {
    let table = table_for(process, tab, Access::Read)?;
    let compiled = compile(process, kind, spec)?;
    let contents = read_contents(&table)?;
    let objects = visit(&contents.store, &compiled, table.keypos(), reverse);
    let mut results: Vec<Term> = objects
        .iter()
        .filter_map(|o| compiled.run(o.term(), process))
        .collect();
    if is_hash(&contents.store) {
        results.reverse();
    }
    Ok(build::list(&mut process.heap, &results))
}

/// Where a chunked traversal goes on.
enum Resume {
    /// A hash table: the next bucket (`None`: the visit is over) and the
    /// matches already found but not yet returned, in list order.
    Hash {
        slot: Option<usize>,
        rest: Vec<Term>,
    },
    /// An ordered set: after this key (`None`: from the start).
    Tree { after: Option<Term> },
}

/// A chunk of results and whether the traversal may go on.
struct Chunk {
    results: Vec<Term>,
    resume: Option<Resume>,
}

/// erl's chunked traversal of a hash table (`match_traverse` with
/// `select_chunk_*`): whole buckets are visited until at least `limit`
/// matches are collected (newest first, as erl conses them); the oldest
/// `limit` are returned and the others kept for the next call, in list
/// order on the first call and reversed on later calls, as erl does. A
/// spec that binds the key visits the keys' buckets all at once.
fn hash_chunk(
    process: &mut Process,
    h: &super::hash::HashStore,
    compiled: &MatchSpec,
    keypos: usize,
    limit: usize,
    resume: Option<(Option<usize>, Vec<Term>)>,
) -> Chunk {
    let continuing = resume.is_some();
    let (mut slot, rest) = resume.unwrap_or((Some(0), Vec::new()));
    // Matches oldest first (the list is this reversed).
    let mut found: Vec<Term> = rest.into_iter().rev().collect();
    let mut visited_any = false;
    if !continuing {
        if let Some(keys) = compiled.bound_keys(keypos) {
            for obj in h.chains_of(&keys) {
                visited_any = true;
                found.extend(compiled.run(obj.term(), process));
            }
            slot = None;
        }
    }
    while let Some(s) = slot {
        if found.len() >= limit || s >= h.active_buckets() {
            break;
        }
        visited_any = true;
        for obj in h.bucket(s) {
            if let Some(r) = compiled.run(obj.term(), process) {
                found.push(r);
            }
        }
        slot = h.following_slot(s);
    }
    if !continuing && !visited_any {
        return Chunk {
            results: Vec::new(),
            resume: None,
        };
    }
    let mut list: Vec<Term> = found.into_iter().rev().collect();
    let mut rest = Vec::new();
    if list.len() > limit {
        rest = list.drain(..list.len() - limit).collect();
        if continuing {
            rest.reverse();
        }
    }
    let resume = (!rest.is_empty() || slot.is_some()).then_some(Resume::Hash { slot, rest });
    Chunk {
        results: list,
        resume,
    }
}

/// A chunk of an ordered set: the next `limit` matches in key order (or
/// reverse key order) after `after`.
fn tree_chunk(
    process: &mut Process,
    t: &super::tree::TreeStore,
    compiled: &MatchSpec,
    keypos: usize,
    limit: usize,
    reverse: bool,
    after: Option<Term>,
) -> Chunk {
    let mut results = Vec::new();
    let mut last = after;
    let next = |key: Option<Term>| match (key, reverse) {
        (None, false) => t.first(),
        (None, true) => t.last(),
        (Some(k), false) => t.next(k),
        (Some(k), true) => t.prev(k),
    };
    let mut current = next(after);
    while let Some(obj) = current {
        if results.len() >= limit {
            break;
        }
        if let Some(r) = compiled.run(obj.term(), process) {
            results.push(r);
        }
        last = Some(obj.key(keypos));
        current = next(last);
    }
    let resume = current.map(|_| Resume::Tree {
        after: last.map(|k| crate::heap::copy_term(k, &mut process.heap)),
    });
    Chunk { results, resume }
}

/// One chunk of at most `limit` results with the continuation, or
/// `'$end_of_table'`.
#[allow(clippy::too_many_arguments)]
fn run_chunk(
    process: &mut Process,
    tab: Term,
    spec: Term,
    kind: Kind,
    limit: usize,
    reverse: bool,
    resume: Option<Resume>,
) -> NativeResult {
    let table = table_for(process, tab, Access::Read)?;
    let compiled = compile(process, kind, spec)?;
    let contents = read_contents(&table)?;
    let keypos = table.keypos();
    let chunk = match (&contents.store, resume) {
        (Store::Hash(h), None) => hash_chunk(process, h, &compiled, keypos, limit, None),
        (Store::Hash(h), Some(Resume::Hash { slot, rest })) => {
            hash_chunk(process, h, &compiled, keypos, limit, Some((slot, rest)))
        }
        (Store::Tree(t), None) => tree_chunk(process, t, &compiled, keypos, limit, reverse, None),
        (Store::Tree(t), Some(Resume::Tree { after })) => {
            tree_chunk(process, t, &compiled, keypos, limit, reverse, after)
        }
        _ => return badarg(),
    };
    drop(contents);
    let end = atom("$end_of_table");
    let heap = &mut process.heap;
    let continuation = match chunk.resume {
        None if chunk.results.is_empty() => return Ok(end),
        None => end,
        Some(resume) => {
            let position = match resume {
                Resume::Hash { slot, rest } => {
                    let slot = slot.map_or(-1, |s| s as i64);
                    let rest = build::list(heap, &rest);
                    build::tuple(heap, &[Term::small(slot), rest])
                }
                Resume::Tree { after } => match after {
                    Some(key) => build::tuple(heap, &[key]),
                    None => build::tuple(heap, &[]),
                },
            };
            let items = [
                atom("$ets_cont"),
                atom(kind.name()),
                tab,
                spec,
                Term::small(limit as i64),
                Term::bool(reverse),
                position,
            ];
            build::tuple(heap, &items)
        }
    };
    let list = build::list(heap, &chunk.results);
    Ok(build::tuple(heap, &[list, continuation]))
}

fn limit_arg(term: Term) -> Result<usize, Raised> {
    match term.as_small() {
        Some(n) if n > 0 => Ok(n as usize),
        _ => badarg(),
    }
}

/// A continuation's position (see [`run_chunk`]).
fn resume_of(position: Term) -> Option<Resume> {
    match position.as_tuple()? {
        [slot, rest] => {
            let slot = slot.as_small()?;
            Some(Resume::Hash {
                slot: (slot >= 0).then_some(slot as usize),
                rest: rest.list_to_vec()?,
            })
        }
        [key] => Some(Resume::Tree { after: Some(*key) }),
        [] => Some(Resume::Tree { after: None }),
        _ => None,
    }
}

/// The `/1` forms: the next chunk of a continuation.
fn continue_chunk(process: &mut Process, cont: Term, kind: Kind, reverse: bool) -> NativeResult {
    if cont == atom("$end_of_table") {
        return Ok(cont);
    }
    let Some(&[tag, k, tab, spec, limit, rev, position]) = cont.as_tuple() else {
        return badarg();
    };
    match (Kind::from_name(k), resume_of(position)) {
        (Some(k), Some(resume))
            if tag == atom("$ets_cont") && k == kind && rev == Term::bool(reverse) =>
        {
            let limit = limit_arg(limit)?;
            run_chunk(process, tab, spec, kind, limit, reverse, Some(resume))
        }
        _ => badarg(),
    }
}

pub(super) fn match_2(process: &mut Process, args: &[Term]) -> NativeResult {
    run_all(process, args[0], args[1], Kind::Bindings, false)
}

pub(super) fn match_object_2(process: &mut Process, args: &[Term]) -> NativeResult {
    run_all(process, args[0], args[1], Kind::Objects, false)
}

pub(super) fn select_2(process: &mut Process, args: &[Term]) -> NativeResult {
    run_all(process, args[0], args[1], Kind::Spec, false)
}

pub(super) fn select_reverse_2(process: &mut Process, args: &[Term]) -> NativeResult {
    run_all(process, args[0], args[1], Kind::Spec, true)
}

pub(super) fn match_3(process: &mut Process, args: &[Term]) -> NativeResult {
    let limit = limit_arg(args[2])?;
    run_chunk(
        process,
        args[0],
        args[1],
        Kind::Bindings,
        limit,
        false,
        None,
    )
}

pub(super) fn match_object_3(process: &mut Process, args: &[Term]) -> NativeResult {
    let limit = limit_arg(args[2])?;
    run_chunk(process, args[0], args[1], Kind::Objects, limit, false, None)
}

pub(super) fn select_3(process: &mut Process, args: &[Term]) -> NativeResult {
    let limit = limit_arg(args[2])?;
    run_chunk(process, args[0], args[1], Kind::Spec, limit, false, None)
}

pub(super) fn select_reverse_3(process: &mut Process, args: &[Term]) -> NativeResult {
    let limit = limit_arg(args[2])?;
    run_chunk(process, args[0], args[1], Kind::Spec, limit, true, None)
}

pub(super) fn match_1(process: &mut Process, args: &[Term]) -> NativeResult {
    continue_chunk(process, args[0], Kind::Bindings, false)
}

pub(super) fn match_object_1(process: &mut Process, args: &[Term]) -> NativeResult {
    continue_chunk(process, args[0], Kind::Objects, false)
}

pub(super) fn select_1(process: &mut Process, args: &[Term]) -> NativeResult {
    continue_chunk(process, args[0], Kind::Spec, false)
}

pub(super) fn select_reverse_1(process: &mut Process, args: &[Term]) -> NativeResult {
    continue_chunk(process, args[0], Kind::Spec, true)
}

/// `select_count(Tab, Spec)`: the objects for which the spec returns
/// `true`.
pub(super) fn select_count(process: &mut Process, args: &[Term]) -> NativeResult {
    let table = table_for(process, args[0], Access::Read)?;
    let compiled = compile(process, Kind::Spec, args[1])?;
    let contents = read_contents(&table)?;
    let objects = visit(&contents.store, &compiled, table.keypos(), false);
    let count = objects
        .iter()
        .filter(|o| compiled.run(o.term(), process) == Some(Term::TRUE))
        .count();
    Ok(build::int(&mut process.heap, count as i64))
}

/// `internal_select_delete(Tab, Spec)`: deletes the objects for which the
/// spec returns `true`; their number.
pub(super) fn select_delete(process: &mut Process, args: &[Term]) -> NativeResult {
    let table = table_for(process, args[0], Access::Write)?;
    let compiled = compile(process, Kind::Spec, args[1])?;
    let mut contents = write_contents(&table)?;
    let fixed = contents.is_fixed();
    let mut delete = |o: &Object| compiled.run(o.term(), process) == Some(Term::TRUE);
    let count = match &mut contents.store {
        Store::Hash(h) => h.retain(&mut delete, fixed),
        Store::Tree(t) => t.retain(&mut delete),
    };
    drop(contents);
    Ok(build::int(&mut process.heap, count as i64))
}

/// `select_replace(Tab, Spec)`: replaces each object for which the spec
/// returns an object with the same key; how many were replaced.
pub(super) fn select_replace(process: &mut Process, args: &[Term]) -> NativeResult {
    let table = table_for(process, args[0], Access::Write)?;
    if table.kind() == TableType::Bag {
        return fail("table_type");
    }
    let compiled = compile(process, Kind::Spec, args[1])?;
    if !crate::bif::match_spec::keeps_key(args[1], table.keypos()) {
        return badarg();
    }
    let keypos = table.keypos();
    let mut contents = write_contents(&table)?;
    let replacements: Vec<(Term, Term)> = {
        let objects = visit(&contents.store, &compiled, keypos, false);
        objects
            .iter()
            .filter_map(|o| {
                let new = compiled.run(o.term(), process)?;
                let same_key = new
                    .as_tuple()
                    .and_then(|t| t.get(keypos - 1))
                    .is_some_and(|&k| exact_eq(k, o.key(keypos)));
                same_key.then_some((o.term(), new))
            })
            .collect()
    };
    for &(old, new) in &replacements {
        let obj = Object::new(new);
        match &mut contents.store {
            Store::Hash(h) => h.replace_object(old, obj),
            Store::Tree(t) => t.replace(obj.key(keypos), obj),
        }
    }
    drop(contents);
    Ok(build::int(&mut process.heap, replacements.len() as i64))
}
