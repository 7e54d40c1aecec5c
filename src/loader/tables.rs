//! The module's tables: atoms, imports, exports and locals, lambdas, lines
//! and types.

use super::error::LoadError;
use super::reader::{nonnegative_value, unsigned_value, Reader, Tag};
use crate::term::{Atom, AtomError};

/// `M:F/A` called by the module (`ImpT`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Import {
    pub module: Atom,
    pub function: Atom,
    pub arity: u32,
}

/// A function named with its entry label (`ExpT`, `LocT`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct LabeledFunction {
    pub function: Atom,
    pub arity: u32,
    pub label: u32,
}

/// A lambda (`FunT`): the function implementing a `fun`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Lambda {
    pub function: Atom,
    /// Arity of the implementing function: the fun's own arity plus its
    /// free variables.
    pub arity: u32,
    pub label: u32,
    pub index: u32,
    pub num_free: u32,
    pub old_uniq: u32,
}

/// The `Line` chunk: what `line` instructions refer to.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct LineTable {
    /// File names; 0 is the implicit `"<module>.erl"`.
    pub names: Vec<String>,
    /// Locations; 0 is the implicit "undefined location" (line 0 of file 0),
    /// so a `line N` instruction refers to `items[N]`.
    pub items: Vec<Location>,
    /// Number of `line` instructions the compiler emitted.
    pub instr_count: u32,
    pub flags: u32,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Location {
    /// Index into [`LineTable::names`].
    pub name: u32,
    pub line: u32,
}

/// One entry of OTP 25's type table (`Type` chunk, version 1).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TypeEntry {
    /// A union of `BEAM_TYPE_*` bits (atom 1, bitstring 2, match state 4,
    /// cons 8, float 16, fun 32, integer 64, map 128, nil 256, pid 512,
    /// port 1024, reference 2048, tuple 4096).
    pub type_union: u16,
    /// Integer range; no range is known when `min > max`.
    pub min: i64,
    pub max: i64,
}

/// The only type table version OTP 25 reads.
const TYPES_VERSION: u32 = 1;
/// All `BEAM_TYPE_*` bits: the "any" type that entry 0 must be.
const TYPE_ANY: u16 = (1 << 13) - 1;

/// Parses `AtU8` (UTF-8) or the old `Atom` (Latin-1) chunk into atoms,
/// interned in the global table. A negative count (OTP 28) means lengths
/// are compact terms instead of single bytes.
pub(crate) fn atoms(mut r: Reader<'_>, latin1: bool) -> Result<Vec<Atom>, LoadError> {
    let at = r.pos();
    let raw_count = r.u32("atom count")? as i32;
    let long_lengths = raw_count < 0;
    let count = raw_count.unsigned_abs() as usize;
    if count == 0 || count > r.remaining() {
        return Err(r.error_at(
            at,
            format!("atom count {count} impossible for {} bytes", r.remaining()),
        ));
    }
    let mut atoms = Vec::with_capacity(count);
    for i in 0..count {
        let at = r.pos();
        let len = if long_lengths {
            match r.tagged()? {
                (Tag::U, value) => unsigned_value(value)
                    .filter(|&n| n <= r.remaining() as u64)
                    .ok_or_else(|| r.error_at(at, "atom length too large"))?
                    as usize,
                _ => return Err(r.error_at(at, "bad atom length")),
            }
        } else {
            r.u8("atom length")? as usize
        };
        let bytes = r.bytes(len, "atom text")?;
        let latin1_text: String;
        let text = if latin1 {
            latin1_text = bytes.iter().map(|&b| b as char).collect();
            &latin1_text
        } else {
            std::str::from_utf8(bytes)
                .map_err(|_| r.error_at(at, format!("atom {} is not UTF-8", i + 1)))?
        };
        let atom = Atom::intern(text).map_err(|e| {
            r.error_at(
                at,
                match e {
                    AtomError::TooLong => format!("atom {} longer than 255 characters", i + 1),
                    AtomError::TableFull => "atom table full".to_string(),
                },
            )
        })?;
        atoms.push(atom);
    }
    Ok(atoms)
}

/// The atom with 1-based file index `index`.
fn atom(r: &Reader<'_>, atoms: &[Atom], index: u32, at: usize) -> Result<Atom, LoadError> {
    match (index as usize).checked_sub(1).and_then(|i| atoms.get(i)) {
        Some(&atom) => Ok(atom),
        None => Err(r.error_at(
            at,
            format!("atom index {index} out of range ({} atoms)", atoms.len()),
        )),
    }
}

/// Highest arity BEAM accepts (`MAX_ARG`).
const MAX_ARITY: u32 = 255;

fn arity(r: &Reader<'_>, value: u32, at: usize) -> Result<u32, LoadError> {
    if value <= MAX_ARITY {
        Ok(value)
    } else {
        Err(r.error_at(at, format!("arity {value} above {MAX_ARITY}")))
    }
}

pub(crate) fn imports(mut r: Reader<'_>, atoms: &[Atom]) -> Result<Vec<Import>, LoadError> {
    let count = r.count("import count", 12)?;
    let mut imports = Vec::with_capacity(count);
    for _ in 0..count {
        let at = r.pos();
        let (m, f, a) = (r.u32("module")?, r.u32("function")?, r.u32("arity")?);
        imports.push(Import {
            module: atom(&r, atoms, m, at)?,
            function: atom(&r, atoms, f, at + 4)?,
            arity: arity(&r, a, at + 8)?,
        });
    }
    Ok(imports)
}

/// `ExpT` and `LocT`.
pub(crate) fn labeled_functions(
    mut r: Reader<'_>,
    atoms: &[Atom],
) -> Result<Vec<LabeledFunction>, LoadError> {
    let count = r.count("function count", 12)?;
    let mut functions = Vec::with_capacity(count);
    for _ in 0..count {
        let at = r.pos();
        let f = r.u32("function")?;
        let function = atom(&r, atoms, f, at)?;
        let a = r.u32("arity")?;
        let label = r.u32("label")?;
        functions.push(LabeledFunction {
            function,
            arity: arity(&r, a, at + 4)?,
            label,
        });
    }
    Ok(functions)
}

pub(crate) fn lambdas(mut r: Reader<'_>, atoms: &[Atom]) -> Result<Vec<Lambda>, LoadError> {
    let count = r.count("lambda count", 24)?;
    let mut lambdas = Vec::with_capacity(count);
    for _ in 0..count {
        let at = r.pos();
        let f = r.u32("function")?;
        let function = atom(&r, atoms, f, at)?;
        let a = r.u32("arity")?;
        let label = r.u32("label")?;
        let index = r.u32("index")?;
        let num_free = r.u32("free variable count")?;
        let old_uniq = r.u32("old uniq")?;
        if num_free > a {
            return Err(r.error_at(
                at,
                format!("lambda with {num_free} free variables but arity {a}"),
            ));
        }
        lambdas.push(Lambda {
            function,
            arity: arity(&r, a, at + 4)?,
            label,
            index,
            num_free,
            old_uniq,
        });
    }
    if !r.is_empty() {
        return Err(r.error("bytes after the last lambda"));
    }
    Ok(lambdas)
}

/// Parses the `Line` chunk. Returns `None` for a version OTP 25 ignores.
pub(crate) fn lines(mut r: Reader<'_>, module: Atom) -> Result<Option<LineTable>, LoadError> {
    let version = r.u32("line table version")?;
    if version != 0 {
        return Ok(None);
    }
    let flags = r.u32("flags")?;
    let instr_count = r.u32("line instruction count")?;
    let item_count = r.count("line item count", 0)?;
    let name_count = r.count("file name count", 0)?;
    // Each item takes at least one byte, each name at least two.
    if item_count.saturating_add(name_count.saturating_mul(2)) > r.remaining() {
        return Err(r.error(format!(
            "{item_count} line items and {name_count} names cannot fit in {} bytes",
            r.remaining()
        )));
    }
    let mut items = Vec::with_capacity(item_count + 1);
    items.push(Location::default());
    let mut name = 0u32;
    while items.len() <= item_count {
        let at = r.pos();
        match r.tagged()? {
            (Tag::A, value) => match unsigned_value(value) {
                Some(n) if n <= name_count as u64 => name = n as u32,
                _ => return Err(r.error_at(at, format!("file name index {value:?} out of range"))),
            },
            (Tag::I, value) => match nonnegative_value(value) {
                Some(n) if n <= u64::from(u32::MAX) => items.push(Location {
                    name,
                    line: n as u32,
                }),
                _ => return Err(r.error_at(at, format!("bad line number {value:?}"))),
            },
            (tag, _) => return Err(r.error_at(at, format!("line item with tag {tag:?}"))),
        }
    }
    let mut names = Vec::with_capacity(name_count + 1);
    names.push(format!("{}.erl", module.name()));
    for _ in 0..name_count {
        let at = r.pos();
        let len = r.u16("file name length")? as usize;
        let bytes = r.bytes(len, "file name")?;
        let text =
            std::str::from_utf8(bytes).map_err(|_| r.error_at(at, "file name is not UTF-8"))?;
        names.push(text.to_string());
    }
    Ok(Some(LineTable {
        names,
        items,
        instr_count,
        flags,
    }))
}

/// Parses the `Type` chunk. Returns `None` for a version OTP 25 does not
/// read (it then treats typed registers as untyped).
pub(crate) fn types(mut r: Reader<'_>) -> Result<Option<Vec<TypeEntry>>, LoadError> {
    let version = r.u32("type table version")?;
    if version != TYPES_VERSION {
        return Ok(None);
    }
    let at = r.pos();
    let count = r.count("type count", 18)?;
    if count == 0 {
        return Err(r.error_at(at, "empty type table"));
    }
    let mut types = Vec::with_capacity(count);
    for _ in 0..count {
        types.push(TypeEntry {
            type_union: r.u16("type")?,
            min: r.i64("lower bound")?,
            max: r.i64("upper bound")?,
        });
    }
    let any = types[0];
    if any.type_union != TYPE_ANY || any.min <= any.max {
        return Err(r.error_at(at + 4, "type 0 is not the any type"));
    }
    Ok(Some(types))
}
