//! Code and the global tables that name it: export entries (`M:F/A`) and
//! fun entries (the lambdas of a module).
//!
//! Entries are created once and never freed, as in BEAM, so terms can point
//! at them directly (`fun M:F/A` is a box holding an `&'static Export`).
//! Loaded code will hang off these entries.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use parking_lot::Mutex;

use crate::term::Atom;

pub mod module;

pub use module::{CodeRef, Module};

/// An exported function's identity: the target of `fun M:F/A` and of
/// remote calls.
#[derive(Debug)]
pub struct Export {
    pub module: Atom,
    pub function: Atom,
    pub arity: u32,
    /// Where the current code of the function starts (a packed
    /// [`CodeRef`]), or 0 while its module is not loaded or does not export
    /// it. Swapped when a new version of the module is loaded.
    pub address: AtomicU64,
}

impl Export {
    /// The entry of the function's current code, if loaded.
    pub fn code(&self) -> Option<CodeRef> {
        CodeRef::from_word(self.address.load(Ordering::Acquire))
    }
}

/// A lambda of a module, as the `FunT` chunk and `NEW_FUN_EXT` describe it.
#[derive(Debug)]
pub struct FunEntry {
    pub module: Atom,
    /// Index in the module's fun table.
    pub index: u32,
    /// MD5 of the module's code, identifying its version.
    pub uniq: [u8; 16],
    /// The index and 32-bit uniq that `~w` prints (`#Fun<M.OldIndex.OldUniq>`).
    pub old_index: u32,
    pub old_uniq: u32,
    /// Arity of the fun as called (free variables not counted).
    pub arity: u32,
    /// Where the lambda's code starts (a packed [`CodeRef`]; its function
    /// takes the arguments, then the free variables), or 0 while its module
    /// is not loaded.
    pub address: AtomicU64,
}

impl FunEntry {
    /// The entry of the lambda's current code, if loaded.
    pub fn code(&self) -> Option<CodeRef> {
        CodeRef::from_word(self.address.load(Ordering::Acquire))
    }
}

type FunKey = (Atom, u32, [u8; 16], u32, u32, u32);

type ExportTable = Mutex<HashMap<(Atom, Atom, u32), &'static Export>>;

fn exports() -> &'static ExportTable {
    static EXPORTS: OnceLock<ExportTable> = OnceLock::new();
    EXPORTS.get_or_init(Default::default)
}

/// The export entry of `module:function/arity`, created if new.
pub fn export_entry(module: Atom, function: Atom, arity: u32) -> &'static Export {
    let mut table = exports().lock();
    table.entry((module, function, arity)).or_insert_with(|| {
        Box::leak(Box::new(Export {
            module,
            function,
            arity,
            address: AtomicU64::new(0),
        }))
    })
}

/// The export entry of `module:function/arity` if one exists (none is created).
pub fn find_export(module: Atom, function: Atom, arity: u32) -> Option<&'static Export> {
    exports().lock().get(&(module, function, arity)).copied()
}

/// The fun entry with these fields, created if new.
pub fn fun_entry(
    module: Atom,
    index: u32,
    uniq: [u8; 16],
    old_index: u32,
    old_uniq: u32,
    arity: u32,
) -> &'static FunEntry {
    static FUNS: OnceLock<Mutex<HashMap<FunKey, &'static FunEntry>>> = OnceLock::new();
    let mut table = FUNS.get_or_init(Default::default).lock();
    let key = (module, index, uniq, old_index, old_uniq, arity);
    table.entry(key).or_insert_with(|| {
        Box::leak(Box::new(FunEntry {
            module,
            index,
            uniq,
            old_index,
            old_uniq,
            arity,
            address: AtomicU64::new(0),
        }))
    })
}
