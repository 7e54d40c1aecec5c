//! `ets`: tables of tuples shared between processes, as erl's `erl_db.c`.
//!
//! - `table.rs`: the registry (by tid and name), owners, heirs, access
//!   rights, and the end of a table when its owner exits;
//! - `hash.rs`: `set`, `bag`, `duplicate_bag` as erl's linear hash table
//!   (same bucket layout and growth, so the same iteration order);
//! - `tree.rs`: `ordered_set` in term order;
//! - `object.rs`: an object copied into memory of its own;
//! - `iter.rs`: `first`/`next`/`last`/`prev`, `slot`, and whole-table
//!   traversals.
//!
//! Objects live outside process heaps; every read copies onto the reader's
//! heap, so an object's memory is freed as soon as it is deleted or
//! replaced. `ets.erl`'s Erlang functions (`foldl`, `tab2list`, …) run on
//! these natives.

mod hash;
mod iter;
mod object;
mod select;
mod table;
mod tree;
mod update;

pub use table::process_exited;

use std::sync::Arc;

use parking_lot::{RwLockReadGuard, RwLockWriteGuard};

use super::erlang::atom;
use super::erlang::processes::ref_key;
use crate::bif::{Native, NativeResult, Raised};
use crate::heap::copy_term;
use crate::term::{atoms, build, Atom, Term};
use crate::vm::process::Process;
use object::Object;
use table::{Access, Contents, Heir, Options, Protection, Store, Table, TableType};

fn badarg<T>() -> Result<T, Raised> {
    Err(Raised::badarg())
}

/// The table `tab` names (a name or a tid), if it exists.
fn find_table(tab: Term) -> Option<Arc<Table>> {
    match tab.as_atom() {
        Some(name) => table::by_name(name),
        None => table::by_id(ref_key(tab)?),
    }
}

/// `badarg` with erl's `cause` for the error info.
fn fail<T>(cause: &str) -> Result<T, Raised> {
    Err(crate::bif::badarg_with_cause(cause))
}

/// The table `tab` names, if `process` may do `access` on it; erl's
/// causes: `type` (not a name or reference), `id` (no such table),
/// `access`.
fn table_for(process: &Process, tab: Term, access: Access) -> Result<Arc<Table>, Raised> {
    let is_tid = ref_key(tab).is_some_and(table::is_tid);
    if !tab.is_atom() && !is_tid {
        return fail("type");
    }
    let Some(table) = find_table(tab) else {
        return fail("id");
    };
    if !table.allows(process.pid, access) {
        return fail("access");
    }
    Ok(table)
}

/// The contents of `table` for reading (`id` once deleted).
fn read_contents(table: &Table) -> Result<RwLockReadGuard<'_, Contents>, Raised> {
    table.read().map_or_else(|| fail("id"), Ok)
}

/// Fails with `id` if `table` has been deleted.
fn ensure_alive(table: &Table) -> Result<(), Raised> {
    read_contents(table).map(|_| ())
}

/// The contents of `table` for writing (`id` once deleted).
fn write_contents(table: &Table) -> Result<RwLockWriteGuard<'_, Contents>, Raised> {
    table.write().map_or_else(|| fail("id"), Ok)
}

/// Runs `f` on the contents of the table for reading.
fn reading<R>(
    process: &Process,
    tab: Term,
    f: impl FnOnce(&Table, &Contents) -> Result<R, Raised>,
) -> Result<R, Raised> {
    let table = table_for(process, tab, Access::Read)?;
    let contents = read_contents(&table)?;
    f(&table, &contents)
}

/// Runs `f` on the contents of the table for writing.
fn writing<R>(
    process: &Process,
    tab: Term,
    f: impl FnOnce(&Table, &mut Contents) -> Result<R, Raised>,
) -> Result<R, Raised> {
    let table = table_for(process, tab, Access::Write)?;
    let mut contents = write_contents(&table)?;
    f(&table, &mut contents)
}

/// A copy of a stored object on the process heap.
fn copy_out(process: &mut Process, obj: &Object) -> Term {
    copy_term(obj.term(), &mut process.heap)
}

fn copy_list<'a>(process: &mut Process, objects: impl Iterator<Item = &'a Object>) -> Term {
    let items: Vec<Term> = objects.map(|o| copy_out(process, o)).collect();
    build::list(&mut process.heap, &items)
}

/// Is `term` a tuple with an element at `keypos`?
fn is_object(term: Term, keypos: usize) -> bool {
    term.as_tuple().is_some_and(|t| t.len() >= keypos)
}

// ---- new ---------------------------------------------------------------------

fn new(process: &mut Process, args: &[Term]) -> NativeResult {
    let name = args[0].as_atom().ok_or_else(Raised::badarg)?;
    let mut options = Options {
        kind: TableType::Set,
        keypos: 1,
        protection: Protection::Protected,
        named: false,
        read_concurrency: false,
        write_concurrency: "false",
        compressed: false,
        decentralized_counters: false,
    };
    let mut decentralized = false;
    let mut decentralized_option = None;
    let mut heir: Option<(crate::term::LocalPid, Term)> = None;
    let mut list = args[1];
    while let Some((option, rest)) = list.as_cons() {
        list = rest;
        if let Some(a) = option.as_atom() {
            match a.name() {
                // erl ignores `set` and `protected` (the defaults), so
                // `[bag, set]` is a bag and `[public, protected]` public.
                "set" | "protected" => {}
                "bag" => options.kind = TableType::Bag,
                "duplicate_bag" => options.kind = TableType::DuplicateBag,
                "ordered_set" => {
                    decentralized = true;
                    options.kind = TableType::OrderedSet
                }
                "public" => options.protection = Protection::Public,
                "private" => options.protection = Protection::Private,
                "named_table" => options.named = true,
                "compressed" => options.compressed = true,
                _ => return badarg(),
            }
            continue;
        }
        let Some(t) = option.as_tuple() else {
            return badarg();
        };
        let flag = |t: Term| match t.as_atom().map(Atom::name) {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ => None,
        };
        match (t.len(), t[0].as_atom().map(Atom::name)) {
            (2, Some("keypos")) => match t[1].as_small() {
                Some(n) if n > 0 => options.keypos = n as usize,
                _ => return badarg(),
            },
            (2, Some("write_concurrency")) => match t[1].as_atom().map(Atom::name) {
                Some("auto") => {
                    decentralized = true;
                    options.write_concurrency = "auto";
                }
                Some("true") => {
                    if options.kind != TableType::OrderedSet {
                        decentralized = false;
                    }
                    options.write_concurrency = "true";
                }
                Some("false") => options.write_concurrency = "false",
                _ => return badarg(),
            },
            (2, Some("read_concurrency")) => {
                options.read_concurrency = flag(t[1]).ok_or_else(Raised::badarg)?
            }
            (2, Some("decentralized_counters")) => {
                decentralized_option = Some(flag(t[1]).ok_or_else(Raised::badarg)?)
            }
            (2, Some("heir")) if t[1] == atom("none") => heir = None,
            (3, Some("heir")) => match t[1].as_local_pid() {
                Some(pid) => heir = Some((pid, t[2])),
                None => return badarg(),
            },
            _ => return badarg(),
        }
    }
    if !list.is_nil() {
        return badarg();
    }
    let fine_locked =
        options.write_concurrency != "false" && options.protection != Protection::Private;
    options.decentralized_counters = fine_locked && decentralized_option.unwrap_or(decentralized);
    let named = options.named;
    let heir = heir.map(|(pid, data)| Heir {
        pid,
        data: Object::new(data),
    });
    let Some(table) = table::create(name, options, process.pid, heir) else {
        return fail("already_exists");
    };
    Ok(if named {
        args[0]
    } else {
        table.tid(&mut process.heap)
    })
}

// ---- insert and lookup ------------------------------------------------------

/// The objects of `insert/2`'s argument, checked: one tuple or a proper
/// list of tuples, each with an element at `keypos`.
fn objects_arg(arg: Term, keypos: usize) -> Result<Vec<Term>, Raised> {
    if arg.is_tuple() {
        return if is_object(arg, keypos) {
            Ok(vec![arg])
        } else {
            badarg()
        };
    }
    let items = arg.list_to_vec().ok_or_else(Raised::badarg)?;
    if items.iter().all(|&o| is_object(o, keypos)) {
        Ok(items)
    } else {
        badarg()
    }
}

/// The longest list inserted in list order into a set. erl's limit is
/// what the caller has left of its time slice (up to about 16,000 in a
/// fresh slice, measured; less after the work that usually builds the
/// list), which oxbeam does not track: 4000 matches erl for lists built
/// just before the call in the cases measured. Only the order within a
/// bucket and which of two equal keys wins depend on it.
const LIST_INSERT_IN_ORDER: usize = 4000;

fn store_objects(table: &Table, contents: &mut Contents, objects: Vec<Term>) {
    let fixed = contents.is_fixed();
    // erl inserts a list into a bag last object first, and so any long
    // list (see LIST_INSERT_IN_ORDER); others in list order.
    let reverse = table.kind() == TableType::Bag || objects.len() > LIST_INSERT_IN_ORDER;
    let ordered: Box<dyn Iterator<Item = Term>> = if reverse {
        Box::new(objects.into_iter().rev())
    } else {
        Box::new(objects.into_iter())
    };
    for term in ordered {
        let obj = Object::new(term);
        match &mut contents.store {
            Store::Hash(h) => h.insert(obj, fixed),
            Store::Tree(t) => t.insert(obj),
        }
    }
}

fn insert(process: &mut Process, args: &[Term]) -> NativeResult {
    writing(process, args[0], |table, contents| {
        let objects = objects_arg(args[1], table.keypos())?;
        store_objects(table, contents, objects);
        Ok(Term::TRUE)
    })
}

fn insert_new(process: &mut Process, args: &[Term]) -> NativeResult {
    writing(process, args[0], |table, contents| {
        let keypos = table.keypos();
        let objects = objects_arg(args[1], keypos)?;
        let taken = objects.iter().any(|o| {
            let key = o.as_tuple().expect("checked")[keypos - 1];
            contains(&contents.store, key)
        });
        if taken {
            return Ok(Term::FALSE);
        }
        store_objects(table, contents, objects);
        Ok(Term::TRUE)
    })
}

fn contains(store: &Store, key: Term) -> bool {
    match store {
        Store::Hash(h) => h.contains(key),
        Store::Tree(t) => t.lookup(key).is_some(),
    }
}

/// The objects of `key` in `lookup/2`'s order.
fn objects_of(store: &Store, key: Term) -> Vec<&Object> {
    match store {
        Store::Hash(h) => h.lookup(key),
        Store::Tree(t) => t.lookup(key).into_iter().collect(),
    }
}

fn lookup(process: &mut Process, args: &[Term]) -> NativeResult {
    let table = table_for(process, args[0], Access::Read)?;
    let contents = read_contents(&table)?;
    let objects = objects_of(&contents.store, args[1]);
    Ok(copy_list(process, objects.into_iter()))
}

fn member(process: &mut Process, args: &[Term]) -> NativeResult {
    reading(process, args[0], |_, contents| {
        Ok(Term::bool(contains(&contents.store, args[1])))
    })
}

fn lookup_element(process: &mut Process, args: &[Term]) -> NativeResult {
    let table = table_for(process, args[0], Access::Read)?;
    let contents = read_contents(&table)?;
    let pos = match args[2].as_small() {
        Some(p) if p >= 1 => p as usize,
        _ => return badarg(),
    };
    let objects = objects_of(&contents.store, args[1]);
    if objects.is_empty() {
        return fail("badkey");
    }
    if objects.iter().any(|o| o.elements().len() < pos) {
        return badarg();
    }
    let elements: Vec<Term> = objects
        .iter()
        .map(|o| copy_term(o.elements()[pos - 1], &mut process.heap))
        .collect();
    Ok(match table.kind() {
        TableType::Set | TableType::OrderedSet => elements[0],
        _ => build::list(&mut process.heap, &elements),
    })
}

// ---- deleting ------------------------------------------------------------------

fn delete_1(process: &mut Process, args: &[Term]) -> NativeResult {
    let table = table_for(process, args[0], Access::Write)?;
    ensure_alive(&table)?;
    table::delete(&table);
    Ok(Term::TRUE)
}

fn remove_key(contents: &mut Contents, key: Term) -> Vec<Object> {
    let fixed = contents.is_fixed();
    match &mut contents.store {
        Store::Hash(h) => h.remove_key(key, fixed),
        Store::Tree(t) => t.remove_key(key).into_iter().collect(),
    }
}

fn delete_2(process: &mut Process, args: &[Term]) -> NativeResult {
    writing(process, args[0], |_, contents| {
        remove_key(contents, args[1]);
        Ok(Term::TRUE)
    })
}

fn take(process: &mut Process, args: &[Term]) -> NativeResult {
    let table = table_for(process, args[0], Access::Write)?;
    let mut contents = write_contents(&table)?;
    let removed = remove_key(&mut contents, args[1]);
    drop(contents);
    Ok(copy_list(process, removed.iter()))
}

fn delete_object(process: &mut Process, args: &[Term]) -> NativeResult {
    writing(process, args[0], |table, contents| {
        let object = args[1];
        if !is_object(object, table.keypos()) {
            return badarg();
        }
        let fixed = contents.is_fixed();
        match &mut contents.store {
            Store::Hash(h) => {
                h.remove_object(object, fixed);
            }
            Store::Tree(t) => {
                let key = object.as_tuple().expect("checked")[table.keypos() - 1];
                if t.lookup(key)
                    .is_some_and(|o| crate::term::order::exact_eq(o.term(), object))
                {
                    t.remove_key(key);
                }
            }
        }
        Ok(Term::TRUE)
    })
}

/// `internal_delete_all(Tab, undefined)` (behind `delete_all_objects/1`):
/// empties the table, returning how many objects it had.
fn internal_delete_all(process: &mut Process, args: &[Term]) -> NativeResult {
    writing(process, args[0], |_, contents| {
        let count = contents.store.len();
        contents.store = match &contents.store {
            Store::Hash(h) => Store::Hash(h.emptied()),
            Store::Tree(t) => Store::Tree(t.emptied()),
        };
        Ok(Term::small(count as i64))
    })
}

// ---- ownership -----------------------------------------------------------------

fn give_away(process: &mut Process, args: &[Term]) -> NativeResult {
    let table = table_for(process, args[0], Access::Write)?;
    ensure_alive(&table)?;
    let to = args[1]
        .as_local_pid()
        .filter(|&pid| crate::vm::runtime::runtime().lookup(pid).is_some());
    let Some(to) = to else {
        return badarg();
    };
    if table.owner() != process.pid {
        return fail("not_owner");
    }
    if to == process.pid {
        return fail("owner");
    }
    table::set_owner(&table, to);
    table::send_transfer(&table, to, process.pid, args[2]);
    Ok(Term::TRUE)
}

fn setopts(process: &mut Process, args: &[Term]) -> NativeResult {
    let table = table_for(process, args[0], Access::Write)?;
    ensure_alive(&table)?;
    if table.owner() != process.pid {
        return fail("not_owner");
    }
    let options = if args[1].is_tuple() {
        vec![args[1]]
    } else {
        args[1].list_to_vec().ok_or_else(Raised::badarg)?
    };
    let mut heir = None;
    for option in options {
        match option.as_tuple() {
            Some([tag, none]) if *tag == atom("heir") && *none == atom("none") => heir = Some(None),
            Some([tag, pid, data]) if *tag == atom("heir") => match pid.as_local_pid() {
                Some(pid) => heir = Some(Some((pid, *data))),
                None => return badarg(),
            },
            _ => return badarg(),
        }
    }
    if let Some(heir) = heir {
        table.meta.lock().heir = heir.map(|(pid, data)| Heir {
            pid,
            data: Object::new(data),
        });
    }
    Ok(Term::TRUE)
}

fn rename(process: &mut Process, args: &[Term]) -> NativeResult {
    let name = args[1].as_atom().ok_or_else(Raised::badarg)?;
    let table = table_for(process, args[0], Access::Write)?;
    ensure_alive(&table)?;
    if !table::rename(&table, name) {
        return badarg();
    }
    // erl answers the name for a named table, the tid for another.
    Ok(if table.options.named {
        args[1]
    } else {
        table.tid(&mut process.heap)
    })
}

fn whereis(process: &mut Process, args: &[Term]) -> NativeResult {
    let name = args[0].as_atom().ok_or_else(Raised::badarg)?;
    match table::by_name(name) {
        Some(table) => Ok(table.tid(&mut process.heap)),
        None => Ok(Term::atom(atoms::UNDEFINED)),
    }
}

/// `all()`: every table, named ones by name.
fn all(process: &mut Process, _: &[Term]) -> NativeResult {
    let handles: Vec<Term> = table::all()
        .iter()
        .map(|t| t.handle(&mut process.heap))
        .collect();
    Ok(build::list(&mut process.heap, &handles))
}

fn safe_fixtable(process: &mut Process, args: &[Term]) -> NativeResult {
    let fix = match args[1] {
        Term::TRUE => true,
        Term::FALSE => false,
        _ => return badarg(),
    };
    let table = table_for(process, args[0], Access::Read)?;
    let mut contents = write_contents(&table)?;
    table::fixation(&mut contents, process.pid, fix);
    Ok(Term::TRUE)
}

// ---- info ------------------------------------------------------------------------

const INFO_ITEMS: &[&str] = &[
    "id",
    "decentralized_counters",
    "read_concurrency",
    "write_concurrency",
    "compressed",
    "memory",
    "owner",
    "heir",
    "name",
    "size",
    "node",
    "named_table",
    "type",
    "keypos",
    "protection",
];

/// One `info/2` item; `None` for an unknown item.
fn info_item(
    process: &mut Process,
    table: &Table,
    contents: &Contents,
    item: &str,
) -> Option<Term> {
    let heap = &mut process.heap;
    Some(match item {
        "id" => table.tid(heap),
        "decentralized_counters" => Term::bool(table.options.decentralized_counters),
        "read_concurrency" => Term::bool(table.options.read_concurrency),
        "write_concurrency" => atom(table.options.write_concurrency),
        "compressed" => Term::bool(table.options.compressed),
        "memory" => build::int(
            heap,
            match &contents.store {
                Store::Hash(h) => h.memory_words(),
                Store::Tree(t) => t.memory_words(),
            } as i64,
        ),
        "owner" => Term::local_pid(table.owner()),
        "heir" => match &table.meta.lock().heir {
            Some(h) => Term::local_pid(h.pid),
            None => atom("none"),
        },
        "name" => Term::atom(table.meta.lock().name),
        "size" => build::int(heap, contents.store.len() as i64),
        "node" => Term::atom(atoms::NONODE),
        "named_table" => Term::bool(table.options.named),
        "type" => atom(table.kind().name()),
        "keypos" => Term::small(table.keypos() as i64),
        "protection" => atom(table.options.protection.name()),
        "fixed" => Term::bool(contents.is_fixed()),
        "safe_fixed" | "safe_fixed_monotonic_time" if !contents.is_fixed() => Term::FALSE,
        "safe_fixed" | "safe_fixed_monotonic_time" => {
            let fixes: Vec<Term> = contents
                .fixes
                .iter()
                .map(|&(p, n)| build::tuple(heap, &[Term::local_pid(p), Term::small(n as i64)]))
                .collect();
            let fixes = build::list(heap, &fixes);
            build::tuple(heap, &[Term::small(0), fixes])
        }
        "binary" => Term::NIL,
        _ => return None,
    })
}

fn info_1(process: &mut Process, args: &[Term]) -> NativeResult {
    if !args[0].is_atom() && ref_key(args[0]).is_none() {
        return fail("type");
    }
    let Some(table) = find_table(args[0]) else {
        return Ok(Term::atom(atoms::UNDEFINED));
    };
    let Some(contents) = table.read() else {
        return Ok(Term::atom(atoms::UNDEFINED));
    };
    let mut pairs = Vec::new();
    for item in INFO_ITEMS {
        let value = info_item(process, &table, &contents, item).expect("a known item");
        pairs.push(build::tuple(&mut process.heap, &[atom(item), value]));
    }
    Ok(build::list(&mut process.heap, &pairs))
}

fn info_2(process: &mut Process, args: &[Term]) -> NativeResult {
    if !args[0].is_atom() && ref_key(args[0]).is_none() {
        return fail("type");
    }
    let item = args[1].as_atom().ok_or_else(Raised::badarg)?;
    let Some(table) = find_table(args[0]) else {
        return Ok(Term::atom(atoms::UNDEFINED));
    };
    let Some(contents) = table.read() else {
        return Ok(Term::atom(atoms::UNDEFINED));
    };
    if item.name() == "stats" {
        return badarg();
    }
    info_item(process, &table, &contents, item.name()).ok_or_else(Raised::badarg)
}

pub(crate) const NATIVES: &[Native] = crate::natives!("ets";
    "new"/2 => new,
    "insert"/2 => insert,
    "insert_new"/2 => insert_new,
    "lookup"/2 => lookup,
    "lookup_element"/3 => lookup_element,
    "member"/2 => member,
    "delete"/1 => delete_1,
    "delete"/2 => delete_2,
    "delete_object"/2 => delete_object,
    "internal_delete_all"/2 => internal_delete_all,
    "take"/2 => take,
    "update_counter"/3 => update::update_counter_3,
    "update_counter"/4 => update::update_counter_4,
    "update_element"/3 => update::update_element,
    "first"/1 => iter::first,
    "next"/2 => iter::next,
    "last"/1 => iter::last,
    "prev"/2 => iter::prev,
    "slot"/2 => iter::slot,
    "match"/1 => select::match_1,
    "match"/2 => select::match_2,
    "match"/3 => select::match_3,
    "match_object"/1 => select::match_object_1,
    "match_object"/2 => select::match_object_2,
    "match_object"/3 => select::match_object_3,
    "select"/1 => select::select_1,
    "select"/2 => select::select_2,
    "select"/3 => select::select_3,
    "select_reverse"/1 => select::select_reverse_1,
    "select_reverse"/2 => select::select_reverse_2,
    "select_reverse"/3 => select::select_reverse_3,
    "select_count"/2 => select::select_count,
    "internal_select_delete"/2 => select::select_delete,
    "select_replace"/2 => select::select_replace,
    "info"/1 => info_1,
    "info"/2 => info_2,
    "all"/0 => all,
    "whereis"/1 => whereis,
    "rename"/2 => rename,
    "give_away"/3 => give_away,
    "setopts"/2 => setopts,
    "safe_fixtable"/2 => safe_fixtable,
);
