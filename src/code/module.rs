//! Loaded modules, the table that names them, and loading on demand from
//! the code path.
//!
//! A loaded module is never freed (there is no purge yet), so code can be
//! referred to as `&'static Module`. Every loaded version gets a slot
//! number; a return address on a process stack is a [`CodeRef`]: slot and
//! instruction index packed into one word that the garbage collector never
//! mistakes for a term.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::OnceLock;

use parking_lot::{Mutex, RwLock};

use super::FunEntry;
use crate::heap::LiteralArea;
use crate::loader::Location;
use crate::term::{Atom, Term};
use crate::vm::instr::{BifCall, Instr, Label, Src};

/// A position in loaded code: a module slot and an instruction index.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CodeRef {
    pub slot: u32,
    pub ip: u32,
}

/// Bytes of an instruction. A return address holds the byte offset of its
/// instruction in the code, so the interpreter makes and follows one
/// without multiplying or dividing.
const INSTR_BYTES: u64 = std::mem::size_of::<Instr>() as u64;
const _: () = assert!(INSTR_BYTES.is_multiple_of(8));

/// Where a code word keeps its slot.
const SLOT_SHIFT: u32 = 35;

impl CodeRef {
    /// The largest instruction index a code word holds (a module's code is
    /// never longer: the translator refuses it).
    pub const MAX_IP: u32 = ((1u64 << SLOT_SHIFT) / INSTR_BYTES - 1) as u32;

    /// As one word: `(slot + 1) << 35 | ip * size_of::<Instr>()` —
    /// 8-aligned with the primary tag of a header, never 0, and never read
    /// as a term.
    #[inline]
    pub fn to_word(self) -> u64 {
        debug_assert!(self.ip <= Self::MAX_IP);
        Self::word(self.slot, self.ip as usize * INSTR_BYTES as usize)
    }

    #[inline]
    pub fn from_word(word: u64) -> Option<CodeRef> {
        (word != 0).then(|| {
            let (slot, offset) = Self::split_word(word);
            CodeRef {
                slot,
                ip: (offset as u64 / INSTR_BYTES) as u32,
            }
        })
    }

    /// The word of the instruction `byte_offset` bytes into the code of
    /// module slot `slot`.
    #[inline]
    pub fn word(slot: u32, byte_offset: usize) -> u64 {
        ((slot as u64 + 1) << SLOT_SHIFT) | byte_offset as u64
    }

    /// The slot and byte offset of a word that is not 0.
    #[inline]
    pub fn split_word(word: u64) -> (u32, usize) {
        let slot = ((word >> SLOT_SHIFT) - 1) as u32;
        (slot, (word & ((1 << SLOT_SHIFT) - 1)) as usize)
    }
}

/// A function of a loaded module, for stack traces and `module_info`.
#[derive(Clone, Copy, Debug)]
pub struct FunctionInfo {
    pub name: Atom,
    pub arity: u32,
    /// The `func_info` instruction; the function's code runs to the next
    /// function's `func_info`.
    pub func_info: Label,
    /// The entry point (after `func_info`).
    pub entry: Label,
}

/// A module's code, translated and ready to run.
pub struct Module {
    pub name: Atom,
    /// This version's number in the slot table.
    pub slot: u32,
    pub code: Box<[Instr]>,
    /// The constant operands ([`Src::constant`]): immediates and literals.
    pub consts: Box<[Term]>,
    /// Operand lists of variable-length instructions (tuple elements, BIF
    /// arguments).
    pub operands: Box<[Src]>,
    /// `select_val`/`select_tuple_arity` tables: value (or arity) → label.
    pub select_values: Box<[(Term, Label)]>,
    /// The operands of `Bif` instructions.
    pub bif_calls: Box<[BifCall]>,
    /// The segments of binary builds (`BsCreate` instructions).
    pub bit_segments: Box<[crate::vm::bits::Segment]>,
    /// Functions in code order.
    pub functions: Box<[FunctionInfo]>,
    /// Source locations: `(first instruction, location)`, sorted.
    pub lines: Box<[(Label, Location)]>,
    /// The module's source file names (what `Location::file` indexes).
    pub files: Box<[String]>,
    /// Exported `(function, arity, entry)`.
    pub exports: Box<[(Atom, u32, Label)]>,
    /// The module's lambdas (`make_fun3` operands index this) and the entry
    /// of each one's code.
    pub lambdas: Box<[(&'static FunEntry, Label)]>,
    pub md5: [u8; 16],
    pub attributes: Term,
    pub compile_info: Term,
    /// Keeps every literal (and the constants pointing into it) alive.
    pub literals: LiteralArea,
}

impl Module {
    /// The function whose code holds instruction `ip`.
    pub fn function_at(&self, ip: Label) -> Option<&FunctionInfo> {
        let i = self.functions.partition_point(|f| f.func_info <= ip);
        i.checked_sub(1).map(|i| &self.functions[i])
    }

    /// The source location in effect at instruction `ip`.
    pub fn location_at(&self, ip: Label) -> Option<(&str, u32)> {
        let i = self.lines.partition_point(|(start, _)| *start <= ip);
        let (_, location) = self.lines.get(i.checked_sub(1)?)?;
        let file = self.files.get(location.name as usize)?;
        Some((file.as_str(), location.line))
    }
}

/// Where the current version of a module came from (what `code:which/1`
/// answers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Read from this `.beam` file.
    File(PathBuf),
    /// Part of the VM itself: loaded from memory at start (the project's
    /// own Erlang modules), as erl's preloaded modules are.
    Preloaded,
    /// Loaded from a binary given at run time (`code:load_binary/3`), with
    /// the file name it was given.
    Binary(String),
}

struct ModuleTable {
    slots: boxcar::Vec<&'static Module>,
    current: RwLock<HashMap<Atom, &'static Module>>,
    origins: RwLock<HashMap<Atom, Origin>>,
    /// Held while a module is being loaded, so it is loaded once.
    loading: Mutex<()>,
    code_path: RwLock<Vec<PathBuf>>,
}

fn table() -> &'static ModuleTable {
    static TABLE: OnceLock<ModuleTable> = OnceLock::new();
    TABLE.get_or_init(|| ModuleTable {
        slots: boxcar::Vec::new(),
        current: RwLock::new(HashMap::new()),
        origins: RwLock::new(HashMap::new()),
        loading: Mutex::new(()),
        code_path: RwLock::new(Vec::new()),
    })
}

/// The module version in `slot`.
#[inline]
pub fn module_in_slot(slot: u32) -> &'static Module {
    table().slots[slot as usize]
}

/// The current version of a module, if loaded.
pub fn loaded(name: Atom) -> Option<&'static Module> {
    table().current.read().get(&name).copied()
}

/// Sets the directories searched, in order, for `NAME.beam` when a module
/// is needed and not loaded.
pub fn set_code_path(dirs: Vec<PathBuf>) {
    *table().code_path.write() = dirs;
}

/// The code path.
pub fn code_path() -> Vec<PathBuf> {
    table().code_path.read().clone()
}

/// Changes the code path in place (one edit at a time).
pub fn edit_code_path<R>(edit: impl FnOnce(&mut Vec<PathBuf>) -> R) -> R {
    edit(&mut table().code_path.write())
}

/// Where the current version of `name` came from, if it is loaded.
pub fn origin(name: Atom) -> Option<Origin> {
    loaded(name)?;
    table().origins.read().get(&name).cloned()
}

/// Every loaded module with where it came from.
pub fn all_loaded() -> Vec<(Atom, Origin)> {
    let current: Vec<Atom> = table().current.read().keys().copied().collect();
    let origins = table().origins.read();
    current
        .into_iter()
        .filter_map(|m| Some((m, origins.get(&m)?.clone())))
        .collect()
}

/// The first `name.beam` on the code path.
pub fn find_on_path(name: Atom) -> Option<PathBuf> {
    let file = format!("{}.beam", name.name());
    table()
        .code_path
        .read()
        .iter()
        .map(|dir| dir.join(&file))
        .find(|p| p.is_file())
}

/// Why a module could not be loaded.
#[derive(Debug)]
pub enum LoadFailure {
    NotFound,
    Bad(String),
}

/// Makes the module `build` makes the current version: gives it a slot,
/// registers it, and points the export and fun entries at its code. The
/// caller holds the loading lock, so slots are handed out one at a time.
fn install(
    origin: Origin,
    build: impl FnOnce(u32) -> Result<Module, String>,
) -> Result<&'static Module, String> {
    let table = table();
    let slot = table.slots.count() as u32;
    let module: &'static Module = Box::leak(Box::new(build(slot)?));
    let pushed = table.slots.push(module) as u32;
    assert_eq!(pushed, slot, "modules are installed under the loading lock");
    for &(function, arity, entry) in module.exports.iter() {
        let export = super::export_entry(module.name, function, arity);
        let code = CodeRef { slot, ip: entry };
        export.address.store(code.to_word(), Ordering::Release);
    }
    for &(fun, entry) in module.lambdas.iter() {
        let code = CodeRef { slot, ip: entry };
        fun.address.store(code.to_word(), Ordering::Release);
    }
    table.current.write().insert(module.name, module);
    table.origins.write().insert(module.name, origin);
    Ok(module)
}

/// The current version of `name`, loading `name.beam` from the code path
/// if it is not loaded yet.
pub fn ensure_loaded(name: Atom) -> Result<&'static Module, LoadFailure> {
    if let Some(module) = loaded(name) {
        return Ok(module);
    }
    // `erlang` is the VM's own: its functions are natives. OTP's
    // erlang.beam holds stubs for them that would call themselves forever,
    // so a function without a native is `undef` instead.
    if name == crate::term::atoms::ERLANG {
        return Err(LoadFailure::NotFound);
    }
    let _guard = table().loading.lock();
    if let Some(module) = loaded(name) {
        return Ok(module);
    }
    load_from_path(name)
}

/// Loads `name.beam` from the code path as the new current version of
/// `name`, loaded or not (`code:load_file/1`).
pub fn load_file(name: Atom) -> Result<&'static Module, LoadFailure> {
    if name == crate::term::atoms::ERLANG {
        return Err(LoadFailure::NotFound);
    }
    let _guard = table().loading.lock();
    load_from_path(name)
}

/// The loading itself; the caller holds the loading lock.
fn load_from_path(name: Atom) -> Result<&'static Module, LoadFailure> {
    let path = find_on_path(name).ok_or(LoadFailure::NotFound)?;
    let bytes = std::fs::read(&path).map_err(|e| LoadFailure::Bad(e.to_string()))?;
    let beam = crate::loader::load(&bytes)
        .map_err(|e| LoadFailure::Bad(format!("{}: {e}", path.display())))?;
    if beam.module != name {
        return Err(LoadFailure::Bad(format!(
            "{} holds module {}",
            path.display(),
            beam.module
        )));
    }
    // Kept absolute, as erl's code server keeps it.
    let file = std::path::absolute(&path).unwrap_or(path);
    install(Origin::File(file), |slot| {
        crate::vm::translate::translate(beam, slot)
    })
    .map_err(LoadFailure::Bad)
}

/// Loads a module from the bytes of a `.beam` file as the new current
/// version of the module it holds, which must be `expected` when given
/// (`code:load_binary/3`, and the VM's own modules at start).
pub fn load_binary(
    bytes: &[u8],
    expected: Option<Atom>,
    origin: Origin,
) -> Result<&'static Module, LoadFailure> {
    let beam = crate::loader::load(bytes).map_err(|e| LoadFailure::Bad(e.to_string()))?;
    if expected.is_some_and(|name| name != beam.module) || beam.module == crate::term::atoms::ERLANG
    {
        return Err(LoadFailure::Bad(format!(
            "the binary holds module {}",
            beam.module
        )));
    }
    let _guard = table().loading.lock();
    install(origin, |slot| crate::vm::translate::translate(beam, slot)).map_err(LoadFailure::Bad)
}

/// Makes the current version of `name` old: its exports and funs lead
/// nowhere, so the next call loads it again from the code path, as erl's
/// error handler does (`code:delete/1`). False if it was not loaded.
pub fn delete(name: Atom) -> bool {
    let table = table();
    let _guard = table.loading.lock();
    let Some(module) = table.current.write().remove(&name) else {
        return false;
    };
    table.origins.write().remove(&name);
    for &(function, arity, _) in module.exports.iter() {
        let export = super::export_entry(name, function, arity);
        export.address.store(0, Ordering::Release);
    }
    for &(fun, _) in module.lambdas.iter() {
        fun.address.store(0, Ordering::Release);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_refs_pack_into_non_term_words() {
        for (slot, ip) in [(0, 0), (5, 1234), ((1 << 28) - 1, CodeRef::MAX_IP)] {
            let code = CodeRef { slot, ip };
            let word = code.to_word();
            assert_ne!(word, 0);
            assert_eq!(word & 0b111, 0, "8-aligned, header-tagged");
            assert_eq!(CodeRef::from_word(word), Some(code));
        }
        assert_eq!(CodeRef::from_word(0), None);
    }
}
