//! Maps: flat maps up to 32 keys, HAMTs beyond, laid out and ordered as
//! OTP 25 does. (API fixed; bodies written by the order/maps work package.)

use super::{MapRef, Term};
use crate::heap::TermAlloc;

/// A map of `pairs`; when a key occurs more than once the last value wins
/// (`maps:from_list/1`). Also reports whether there were duplicates, which
/// `binary_to_term/1` rejects.
pub fn from_pairs(heap: &mut impl TermAlloc, pairs: &[(Term, Term)]) -> (Term, bool) {
    let _ = (heap, pairs);
    todo!("maps")
}

impl<'a> MapRef<'a> {
    /// Number of keys.
    pub fn len(&self) -> usize {
        todo!("maps")
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value under `key` (exact match).
    pub fn get(&self, key: Term) -> Option<Term> {
        let _ = key;
        todo!("maps")
    }

    /// Key/value pairs in the order `maps:to_list/1` returns them (which is
    /// the order `io_lib` prints them in).
    pub fn to_list_order(&self) -> Vec<(Term, Term)> {
        todo!("maps")
    }

    /// Key/value pairs in the order `term_to_binary/1` writes them.
    pub fn external_order(&self) -> Vec<(Term, Term)> {
        todo!("maps")
    }
}
