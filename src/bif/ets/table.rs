//! The table registry: every table by its identifier and by name, which
//! process owns which tables, access rights, and what happens to a table
//! when its owner exits (deleted, or handed to its heir).
//!
//! Locking: the registry's lock is taken before a table's, and never while
//! a table lock is held; no lock is held across a return to Erlang code.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use parking_lot::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::hash::{HashKind, HashStore};
use super::object::Object;
use super::tree::TreeStore;
use crate::heap::{copy_term, HeapFragment};
use crate::term::{atoms, build, Atom, LocalPid, Term};
use crate::vm::runtime::runtime;
use crate::vm::signal::{Packet, RefKey, Signal};

/// `info(T, memory)` of erl 25's empty tables, in words: an ordered set
/// and a fine-locked one, and the locks of a fine-locked hash table
/// (ordinary or frequent-read).
const TREE_WORDS: usize = 139;
const CATREE_WORDS: usize = 133;
const FINE_LOCK_WORDS: usize = 1056;
const FREQUENT_READ_LOCK_WORDS: usize = 3104;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum TableType {
    Set,
    OrderedSet,
    Bag,
    DuplicateBag,
}

impl TableType {
    pub(super) fn name(self) -> &'static str {
        match self {
            TableType::Set => "set",
            TableType::OrderedSet => "ordered_set",
            TableType::Bag => "bag",
            TableType::DuplicateBag => "duplicate_bag",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Protection {
    Public,
    Protected,
    Private,
}

impl Protection {
    pub(super) fn name(self) -> &'static str {
        match self {
            Protection::Public => "public",
            Protection::Protected => "protected",
            Protection::Private => "private",
        }
    }
}

/// What an operation does to a table, for the access check.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Access {
    Read,
    Write,
}

/// The objects of a table, by table type.
pub(super) enum Store {
    Hash(HashStore),
    Tree(TreeStore),
}

impl Store {
    pub(super) fn len(&self) -> usize {
        match self {
            Store::Hash(h) => h.len(),
            Store::Tree(t) => t.len(),
        }
    }
}

/// The contents of a table, behind its lock.
pub(super) struct Contents {
    pub(super) store: Store,
    /// Deleted (by `delete/1` or its owner's exit): every access fails.
    pub(super) deleted: bool,
    /// `safe_fixtable/2` counts by process.
    pub(super) fixes: Vec<(LocalPid, u32)>,
}

impl Contents {
    pub(super) fn is_fixed(&self) -> bool {
        !self.fixes.is_empty()
    }
}

/// The heir: who gets the table when the owner exits, with what.
pub(super) struct Heir {
    pub(super) pid: LocalPid,
    pub(super) data: Object,
}

/// What may change besides the objects.
pub(super) struct Meta {
    pub(super) name: Atom,
    pub(super) owner: LocalPid,
    pub(super) heir: Option<Heir>,
}

/// The options a table was created with.
pub(super) struct Options {
    pub(super) kind: TableType,
    pub(super) keypos: usize,
    pub(super) protection: Protection,
    pub(super) named: bool,
    pub(super) read_concurrency: bool,
    /// `false`, `true` or `auto`.
    pub(super) write_concurrency: &'static str,
    pub(super) compressed: bool,
    pub(super) decentralized_counters: bool,
}

pub(super) struct Table {
    /// The reference that names the table (its tid).
    pub(super) id: RefKey,
    pub(super) options: Options,
    pub(super) meta: Mutex<Meta>,
    contents: RwLock<Contents>,
}

impl Table {
    pub(super) fn kind(&self) -> TableType {
        self.options.kind
    }

    pub(super) fn keypos(&self) -> usize {
        self.options.keypos
    }

    pub(super) fn owner(&self) -> LocalPid {
        self.meta.lock().owner
    }

    /// May `pid` do `access` on this table?
    pub(super) fn allows(&self, pid: LocalPid, access: Access) -> bool {
        match (self.options.protection, access) {
            (Protection::Public, _) => true,
            (Protection::Protected, Access::Read) => true,
            _ => self.owner() == pid,
        }
    }

    /// The contents for reading; `None` once deleted.
    pub(super) fn read(&self) -> Option<RwLockReadGuard<'_, Contents>> {
        let guard = self.contents.read();
        (!guard.deleted).then_some(guard)
    }

    /// The contents for writing; `None` once deleted.
    pub(super) fn write(&self) -> Option<RwLockWriteGuard<'_, Contents>> {
        let guard = self.contents.write();
        (!guard.deleted).then_some(guard)
    }

    /// The term that names the table in messages and `all/0`: its name if
    /// named, else its tid.
    pub(super) fn handle(&self, heap: &mut impl crate::heap::TermAlloc) -> Term {
        if self.options.named {
            Term::atom(self.meta.lock().name)
        } else {
            self.tid(heap)
        }
    }

    pub(super) fn tid(&self, heap: &mut impl crate::heap::TermAlloc) -> Term {
        build::reference(heap, atoms::NONODE, 0, &self.id)
    }
}

#[derive(Default)]
struct Registry {
    by_id: HashMap<RefKey, Arc<Table>>,
    by_name: HashMap<Atom, Arc<Table>>,
    /// Tables by owner, for the owner's exit.
    owned: HashMap<LocalPid, Vec<RefKey>>,
    /// Ids in creation order (for `all/0`).
    order: Vec<RefKey>,
}

fn registry() -> &'static RwLock<Registry> {
    static REGISTRY: OnceLock<RwLock<Registry>> = OnceLock::new();
    REGISTRY.get_or_init(Default::default)
}

/// Creates a table owned by `owner`; `None` if it is named and the name
/// is taken.
pub(super) fn create(
    name: Atom,
    options: Options,
    owner: LocalPid,
    heir: Option<Heir>,
) -> Option<Arc<Table>> {
    let store = match options.kind {
        TableType::OrderedSet => {
            // erl's fine-locked ordered set (a contention-adapting tree)
            // starts smaller.
            let catree =
                options.write_concurrency != "false" && options.protection != Protection::Private;
            let base = if catree { CATREE_WORDS } else { TREE_WORDS };
            Store::Tree(TreeStore::new(options.keypos).with_base_words(base))
        }
        kind => {
            let kind = match kind {
                TableType::Bag => HashKind::Bag,
                TableType::DuplicateBag => HashKind::DuplicateBag,
                _ => HashKind::Set,
            };
            let fine_locked =
                options.write_concurrency != "false" && options.protection != Protection::Private;
            let nlocks = if fine_locked { 64 } else { 1 };
            let decentralized = fine_locked && options.decentralized_counters;
            let lock_words = match (fine_locked, options.read_concurrency) {
                (false, _) => 0,
                (true, false) => FINE_LOCK_WORDS,
                (true, true) => FREQUENT_READ_LOCK_WORDS,
            };
            let store = HashStore::new(kind, options.keypos, nlocks, decentralized);
            Store::Hash(store.with_lock_words(lock_words))
        }
    };
    let mut reg = registry().write();
    if options.named && reg.by_name.contains_key(&name) {
        return None;
    }
    let mut id = runtime().new_ref_key();
    id[2] |= TID_MARK;
    let named = options.named;
    let table = Arc::new(Table {
        id,
        options,
        meta: Mutex::new(Meta { name, owner, heir }),
        contents: RwLock::new(Contents {
            store,
            deleted: false,
            fixes: Vec::new(),
        }),
    });
    reg.by_id.insert(id, table.clone());
    if named {
        reg.by_name.insert(name, table.clone());
    }
    reg.owned.entry(owner).or_default().push(id);
    reg.order.push(id);
    Some(table)
}

/// A bit set in the last id word of every table's reference (references
/// of `make_ref/0` reach it only after 2^81 of them), so that a reference
/// of a deleted table (`id` error) is told from any other (`type`).
const TID_MARK: u32 = 1 << 31;

/// Is `id` the reference of a table (existing or deleted)?
pub(super) fn is_tid(id: RefKey) -> bool {
    id[2] & TID_MARK != 0
}

pub(super) fn by_id(id: RefKey) -> Option<Arc<Table>> {
    registry().read().by_id.get(&id).cloned()
}

pub(super) fn by_name(name: Atom) -> Option<Arc<Table>> {
    registry().read().by_name.get(&name).cloned()
}

/// Every table, oldest first.
pub(super) fn all() -> Vec<Arc<Table>> {
    let reg = registry().read();
    reg.order
        .iter()
        .filter_map(|id| reg.by_id.get(id).cloned())
        .collect()
}

/// Removes `table` from the registry and frees its objects.
pub(super) fn delete(table: &Table) {
    {
        let mut reg = registry().write();
        if reg.by_id.remove(&table.id).is_none() {
            return;
        }
        let meta = table.meta.lock();
        if table.options.named {
            reg.by_name.remove(&meta.name);
        }
        if let Some(ids) = reg.owned.get_mut(&meta.owner) {
            ids.retain(|&id| id != table.id);
            if ids.is_empty() {
                reg.owned.remove(&meta.owner);
            }
        }
        reg.order.retain(|&id| id != table.id);
    }
    let mut contents = table.contents.write();
    contents.deleted = true;
    contents.store = Store::Tree(TreeStore::new(1).with_base_words(0));
    if contents.is_fixed() {
        contents.fixes.clear();
        FIXED_TABLES.fetch_sub(1, Ordering::SeqCst);
    }
    table.meta.lock().heir = None;
}

/// Renames `table`; false if `name` is taken by another named table.
pub(super) fn rename(table: &Table, name: Atom) -> bool {
    let mut reg = registry().write();
    if !reg.by_id.contains_key(&table.id) {
        return false;
    }
    let mut meta = table.meta.lock();
    if table.options.named {
        if reg.by_name.contains_key(&name) {
            return false;
        }
        if let Some(t) = reg.by_name.remove(&meta.name) {
            reg.by_name.insert(name, t);
        }
    }
    meta.name = name;
    true
}

/// Makes `to` the owner of `table`.
pub(super) fn set_owner(table: &Table, to: LocalPid) {
    let mut reg = registry().write();
    let mut meta = table.meta.lock();
    if let Some(ids) = reg.owned.get_mut(&meta.owner) {
        ids.retain(|&id| id != table.id);
        if ids.is_empty() {
            reg.owned.remove(&meta.owner);
        }
    }
    meta.owner = to;
    reg.owned.entry(to).or_default().push(table.id);
}

/// Sends `{'ETS-TRANSFER', Tab, From, Data}` to `to` (built outside any
/// process heap).
pub(super) fn send_transfer(table: &Table, to: LocalPid, from: LocalPid, data: Term) {
    let mut fragment = HeapFragment::new();
    let handle = table.handle(&mut fragment);
    let data = copy_term(data, &mut fragment);
    let tag = Term::atom(Atom::intern("ETS-TRANSFER").expect("a valid atom"));
    let message = build::tuple(&mut fragment, &[tag, handle, Term::local_pid(from), data]);
    runtime().send(
        to,
        Signal::Message(Packet::from_fragment(message, fragment)),
    );
}

/// Tables fixed by `safe_fixtable/2` now (a fixation a process leaves
/// is released when it exits).
static FIXED_TABLES: AtomicUsize = AtomicUsize::new(0);

/// Adds `pid`'s fixation of `table` (`fix`) or removes one.
pub(super) fn fixation(contents: &mut Contents, pid: LocalPid, fix: bool) {
    let was_fixed = contents.is_fixed();
    let at = contents.fixes.iter().position(|&(p, _)| p == pid);
    match (fix, at) {
        (true, Some(i)) => contents.fixes[i].1 += 1,
        (true, None) => contents.fixes.push((pid, 1)),
        (false, Some(i)) => {
            contents.fixes[i].1 -= 1;
            if contents.fixes[i].1 == 0 {
                contents.fixes.remove(i);
            }
        }
        (false, None) => {}
    }
    match (was_fixed, contents.is_fixed()) {
        (false, true) => {
            FIXED_TABLES.fetch_add(1, Ordering::SeqCst);
        }
        (true, false) => {
            FIXED_TABLES.fetch_sub(1, Ordering::SeqCst);
        }
        _ => {}
    }
}

/// The process `pid` has exited: its fixations are released, and each of
/// its tables goes to its heir (if that is alive and another process)
/// with an `'ETS-TRANSFER'` message, or is deleted. Called by the runtime
/// before links and monitors hear of the exit, as in erl.
pub fn process_exited(pid: LocalPid) {
    if FIXED_TABLES.load(Ordering::SeqCst) > 0 {
        for table in all() {
            let mut contents = table.contents.write();
            if contents.fixes.iter().any(|&(p, _)| p == pid) {
                contents.fixes.retain(|&(p, _)| p != pid);
                if !contents.is_fixed() {
                    FIXED_TABLES.fetch_sub(1, Ordering::SeqCst);
                }
            }
        }
    }
    let ids = match registry().read().owned.get(&pid) {
        Some(ids) => ids.clone(),
        None => return,
    };
    for id in ids {
        let Some(table) = by_id(id) else { continue };
        // The heir stays set (as in erl, where it is then the owner). Only
        // the owner changes it, and the owner is exiting, so its data
        // stays alive while the message is built.
        let heir = {
            let meta = table.meta.lock();
            meta.heir.as_ref().map(|h| (h.pid, h.data.term()))
        };
        match heir {
            Some((heir, data)) if heir != pid && runtime().lookup(heir).is_some() => {
                set_owner(&table, heir);
                send_transfer(&table, heir, pid, data);
            }
            _ => delete(&table),
        }
    }
    let mut reg = registry().write();
    if reg.owned.get(&pid).is_some_and(|ids| ids.is_empty()) {
        reg.owned.remove(&pid);
    }
}
