//! The process dictionary (`put/2`, `get/1`, `erase/1`, ...).

use crate::term::Term;

/// The process dictionary: keys and values are terms on the process heap,
/// kept in `entries` as `[K1, V1, K2, V2, ...]` so the collector can take
/// the whole vector as a root slice.
#[derive(Default)]
pub struct Dictionary {
    pub(crate) entries: Vec<Term>,
}

impl Dictionary {
    /// The words the garbage collector must treat as roots.
    pub fn roots_mut(&mut self) -> &mut [Term] {
        &mut self.entries
    }
}
