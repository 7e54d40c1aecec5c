//! A stored ETS object: a tuple copied into memory of its own, freed when
//! the object is deleted or replaced. Reads copy objects onto the reader's
//! heap, so nothing outside the table ever points into this memory.

use crate::heap::{copy_term, size_of_term, LiteralArea};
use crate::term::Term;

/// Words of table memory per object besides the tuple itself (erl's
/// `HashDbTerm` header; `ets:info(T, memory)` grows by this plus the
/// object's flat size).
pub(super) const HASH_OBJECT_OVERHEAD: usize = 4;
/// The same for an `ordered_set` node.
pub(super) const TREE_OBJECT_OVERHEAD: usize = 5;

pub(super) struct Object {
    /// The tuple, in `area`.
    term: Term,
    /// Flat size of `term` in words.
    words: usize,
    /// Holds `term`; dropped with the object.
    _area: LiteralArea,
}

impl Object {
    /// A copy of the tuple `term` (which the caller checked).
    pub(super) fn new(term: Term) -> Object {
        let words = size_of_term(term);
        let mut area = LiteralArea::with_capacity(words);
        let term = copy_term(term, &mut area);
        Object {
            term,
            words,
            _area: area,
        }
    }

    pub(super) fn term(&self) -> Term {
        self.term
    }

    pub(super) fn elements(&self) -> &[Term] {
        self.term.as_tuple().expect("a stored object is a tuple")
    }

    /// The element at 1-based `keypos` (the table checked the arity).
    pub(super) fn key(&self, keypos: usize) -> Term {
        self.elements()[keypos - 1]
    }

    /// Words this object holds (its flat size).
    pub(super) fn words(&self) -> usize {
        self.words
    }
}
