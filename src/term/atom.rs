//! The global atom table.
//!
//! Atoms are never freed (as in BEAM): an atom's text is leaked on creation,
//! so index → text is a lock-free read of an append-only vector and the text
//! is `&'static str`. Text → index goes through a read-mostly hash map.
//! The first atoms are fixed at compile time (see [`predefined_atoms!`]) so
//! the runtime can name them as constants such as [`atoms::TRUE`].

use std::collections::HashMap;
use std::sync::OnceLock;

use parking_lot::RwLock;

/// An index into the atom table.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Atom(pub(crate) u32);

/// BEAM's default limit on the number of atoms (`+t`).
pub const MAX_ATOMS: usize = 1_048_576;
/// Longest atom, in characters.
pub const MAX_ATOM_CHARS: usize = 255;

/// Why an atom could not be created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtomError {
    /// More than [`MAX_ATOM_CHARS`] characters.
    TooLong,
    /// The table already holds [`MAX_ATOMS`] atoms.
    TableFull,
}

struct AtomTable {
    names: boxcar::Vec<&'static str>,
    by_name: RwLock<HashMap<&'static str, u32>>,
}

fn table() -> &'static AtomTable {
    static TABLE: OnceLock<AtomTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let table = AtomTable {
            names: boxcar::Vec::new(),
            by_name: RwLock::new(HashMap::new()),
        };
        {
            let mut by_name = table.by_name.write();
            for (i, name) in atoms::PREDEFINED.iter().enumerate() {
                let index = table.names.push(*name);
                debug_assert_eq!(index, i);
                by_name.insert(*name, index as u32);
            }
        }
        table
    })
}

impl Atom {
    /// The atom with this text, created if new.
    ///
    /// Fails for text of more than 255 characters or when the table is full,
    /// the two reasons `list_to_atom/1` raises `system_limit`.
    pub fn intern(text: &str) -> Result<Atom, AtomError> {
        if text.len() > MAX_ATOM_CHARS && text.chars().count() > MAX_ATOM_CHARS {
            return Err(AtomError::TooLong);
        }
        let table = table();
        if let Some(&index) = table.by_name.read().get(text) {
            return Ok(Atom(index));
        }
        let mut by_name = table.by_name.write();
        if let Some(&index) = by_name.get(text) {
            return Ok(Atom(index));
        }
        if table.names.count() >= MAX_ATOMS {
            return Err(AtomError::TableFull);
        }
        let name: &'static str = Box::leak(text.to_owned().into_boxed_str());
        let index = table.names.push(name) as u32;
        by_name.insert(name, index);
        Ok(Atom(index))
    }

    /// The atom with this text if it already exists (`list_to_existing_atom`).
    pub fn existing(text: &str) -> Option<Atom> {
        table().by_name.read().get(text).map(|&i| Atom(i))
    }

    /// The atom's text.
    pub fn name(self) -> &'static str {
        table().names[self.0 as usize]
    }

    /// The atom's index in the table.
    pub fn index(self) -> u32 {
        self.0
    }

    /// The atom at `index`, if the table has one there.
    pub fn from_index(index: u32) -> Option<Atom> {
        table().names.get(index as usize).map(|_| Atom(index))
    }

    /// The number of atoms in the table.
    pub fn count() -> usize {
        table().names.count()
    }
}

impl std::fmt::Display for Atom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Declares the predefined atoms: each gets a constant and a fixed index.
macro_rules! predefined_atoms {
    ($($name:ident = $text:literal,)*) => {
        /// Atoms with fixed indices, usable as constants.
        pub mod atoms {
            use super::Atom;
            pub(super) const PREDEFINED: &[&str] = &[$($text,)*];
            predefined_atoms!(@consts 0u32; $($name)*);
        }
    };
    (@consts $i:expr; $name:ident $($rest:ident)*) => {
        pub const $name: Atom = Atom($i);
        predefined_atoms!(@consts $i + 1; $($rest)*);
    };
    (@consts $i:expr;) => {};
}

predefined_atoms! {
    FALSE = "false",
    TRUE = "true",
    UNDEFINED = "undefined",
    OK = "ok",
    ERROR = "error",
    EXIT = "EXIT",
    NONODE = "nonode@nohost",
    ERLANG = "erlang",
    BADARG = "badarg",
    BADARITH = "badarith",
    BADMATCH = "badmatch",
    CASE_CLAUSE = "case_clause",
    IF_CLAUSE = "if_clause",
    TRY_CLAUSE = "try_clause",
    FUNCTION_CLAUSE = "function_clause",
    UNDEF = "undef",
    BADFUN = "badfun",
    BADARITY = "badarity",
    BADKEY = "badkey",
    BADMAP = "badmap",
    BADRECORD = "badrecord",
    SYSTEM_LIMIT = "system_limit",
    THROW = "throw",
    EXIT_CLASS = "exit",
    NORMAL = "normal",
    KILL = "kill",
    KILLED = "killed",
    NOPROC = "noproc",
    INFINITY = "infinity",
    FILE = "file",
    LINE = "line",
    MODULE_INFO = "module_info",
    DOWN = "DOWN",
    PROCESS = "process",
    TIMEOUT_VALUE = "timeout_value",
    NOCATCH = "nocatch",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predefined_atoms_have_their_text() {
        assert_eq!(atoms::TRUE.name(), "true");
        assert_eq!(atoms::MODULE_INFO.name(), "module_info");
        assert_eq!(Atom::intern("false").unwrap(), atoms::FALSE);
    }

    #[test]
    fn intern_is_idempotent_and_checks_length() {
        let a = Atom::intern("some_fresh_atom").unwrap();
        assert_eq!(Atom::intern("some_fresh_atom").unwrap(), a);
        assert_eq!(a.name(), "some_fresh_atom");
        assert_eq!(Atom::existing("some_fresh_atom"), Some(a));
        assert_eq!(Atom::existing("never_made_this_atom_xyz"), None);
        let long: String = "é".repeat(255);
        assert!(Atom::intern(&long).is_ok());
        let too_long: String = "a".repeat(256);
        assert_eq!(Atom::intern(&too_long), Err(AtomError::TooLong));
    }
}
