//! Terms: one tagged 64-bit word, laid out as BEAM lays them out.
//!
//! Primary tag (2 low bits): `00` header word, `01` list pointer, `10`
//! boxed pointer, `11` immediate. Immediates carry a 4-bit tag (pid, port,
//! small integer) or a 6-bit one (atom, catch, nil). A boxed pointer points at
//! a header word `arity << 6 | kind << 2` followed by `arity` words; the
//! [`BoxKind`] says how to read them. A list pointer points at a cons cell of
//! two words.
//!
//! Validity: a `Term` that points into memory is valid as long as the memory
//! area holding it (a literal area, and later a process heap between two
//! garbage collections) is alive and unmoved. The runtime upholds this; the
//! accessors below rely on it, as every accessor in BEAM does.

pub mod arith;
pub mod atom;
pub mod binary;
pub mod build;
mod float_fmt;
pub mod hash;
pub mod map;
pub mod order;
pub mod parse;
pub mod print;
mod view;

pub use atom::{atoms, Atom, AtomError};
pub use view::{Bitstring, BoxKind, FunRef, MapRef, RefId, View};

/// A tagged Erlang term.
///
/// `==` on `Term` is identity of the word (BEAM's `EQ`), not Erlang equality;
/// see the `order` module for `==`, `=:=` and term order.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Term(u64);

pub(crate) const PRIMARY_MASK: u64 = 0b11;
pub(crate) const TAG_HEADER: u64 = 0b00;
pub(crate) const TAG_LIST: u64 = 0b01;
pub(crate) const TAG_BOXED: u64 = 0b10;
pub(crate) const TAG_IMMED1: u64 = 0b11;

const IMMED1_MASK: u64 = 0xF;
const IMMED1_PID: u64 = 0x3;
const IMMED1_PORT: u64 = 0x7;
const IMMED1_SMALL: u64 = 0xF;
const IMMED1_BITS: u32 = 4;

const IMMED2_MASK: u64 = 0x3F;
const IMMED2_ATOM: u64 = 0x0B;
const IMMED2_CATCH: u64 = 0x1B;
/// `[]`, the same word as in OTP 25.
const IMMED2_NIL: u64 = 0x3B;
const IMMED2_BITS: u32 = 6;

/// Header words: kind in bits 2..6, arity (words that follow) from bit 6.
pub(crate) const HEADER_KIND_SHIFT: u32 = 2;
pub(crate) const HEADER_ARITY_SHIFT: u32 = 6;

/// The smallest integer that fits in an immediate (60-bit signed).
pub const SMALL_MIN: i64 = -(1 << 59);
/// The largest integer that fits in an immediate.
pub const SMALL_MAX: i64 = (1 << 59) - 1;

/// A local pid: process number and serial, as printed `<0.Number.Serial>`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct LocalPid {
    pub number: u32,
    pub serial: u32,
}

/// Largest serial a local pid immediate holds: the word is
/// `serial << 36 | number << 4 | 0b0011`. (OTP 25 keeps a 15-bit number and
/// 13-bit serial plus a process-table index; `hash.rs` rebuilds that word
/// where the internal hash needs it.)
pub const PID_SERIAL_MAX: u32 = (1 << 28) - 1;

impl Term {
    /// `[]`.
    pub const NIL: Term = Term(IMMED2_NIL);
    /// BEAM's `THE_NON_VALUE`: never a real term (it is a header word).
    pub const NONE: Term = Term(0);
    pub const TRUE: Term = Term::atom(atoms::TRUE);
    pub const FALSE: Term = Term::atom(atoms::FALSE);

    /// The raw word.
    #[inline]
    pub const fn raw(self) -> u64 {
        self.0
    }

    /// A term from a raw word.
    ///
    /// # Safety
    /// The word must be a valid term: an immediate, or a pointer (with its
    /// tag) to a live boxed object or cons cell.
    #[inline]
    pub const unsafe fn from_raw(word: u64) -> Term {
        Term(word)
    }

    // ---- immediates -------------------------------------------------------

    /// A small integer; the caller guarantees `SMALL_MIN <= value <= SMALL_MAX`.
    #[inline]
    pub const fn small(value: i64) -> Term {
        debug_assert!(value >= SMALL_MIN && value <= SMALL_MAX);
        Term(((value as u64) << IMMED1_BITS) | IMMED1_SMALL)
    }

    /// A small integer if `value` fits in one.
    #[inline]
    pub fn try_small(value: i64) -> Option<Term> {
        (SMALL_MIN..=SMALL_MAX)
            .contains(&value)
            .then(|| Term::small(value))
    }

    #[inline]
    pub const fn atom(atom: Atom) -> Term {
        Term(((atom.0 as u64) << IMMED2_BITS) | IMMED2_ATOM)
    }

    #[inline]
    pub const fn bool(value: bool) -> Term {
        if value {
            Term::TRUE
        } else {
            Term::FALSE
        }
    }

    #[inline]
    pub const fn local_pid(pid: LocalPid) -> Term {
        debug_assert!(pid.serial <= PID_SERIAL_MAX);
        Term(((pid.serial as u64) << 36) | ((pid.number as u64) << IMMED1_BITS) | IMMED1_PID)
    }

    /// A local port; `number` must be below 2^60.
    #[inline]
    pub const fn local_port(number: u64) -> Term {
        Term((number << IMMED1_BITS) | IMMED1_PORT)
    }

    /// A catch tag (an index into the catch table), only ever on a stack.
    #[inline]
    pub const fn catch(index: u64) -> Term {
        Term((index << IMMED2_BITS) | IMMED2_CATCH)
    }

    #[inline]
    pub const fn is_small(self) -> bool {
        self.0 & IMMED1_MASK == IMMED1_SMALL
    }

    #[inline]
    pub const fn is_atom(self) -> bool {
        self.0 & IMMED2_MASK == IMMED2_ATOM
    }

    #[inline]
    pub const fn is_nil(self) -> bool {
        self.0 == IMMED2_NIL
    }

    #[inline]
    pub const fn is_local_pid(self) -> bool {
        self.0 & IMMED1_MASK == IMMED1_PID
    }

    #[inline]
    pub const fn is_local_port(self) -> bool {
        self.0 & IMMED1_MASK == IMMED1_PORT
    }

    #[inline]
    pub const fn is_catch(self) -> bool {
        self.0 & IMMED2_MASK == IMMED2_CATCH
    }

    #[inline]
    pub const fn is_immediate(self) -> bool {
        self.0 & PRIMARY_MASK == TAG_IMMED1
    }

    #[inline]
    pub const fn is_list(self) -> bool {
        self.0 & PRIMARY_MASK == TAG_LIST
    }

    #[inline]
    pub const fn is_boxed(self) -> bool {
        self.0 & PRIMARY_MASK == TAG_BOXED
    }

    #[inline]
    pub const fn is_none(self) -> bool {
        self.0 == 0
    }

    /// The value of a small integer.
    #[inline]
    pub const fn as_small(self) -> Option<i64> {
        if self.is_small() {
            Some(self.small_value())
        } else {
            None
        }
    }

    /// True when both are small integers (one test of the two words).
    #[inline]
    pub const fn both_small(a: Term, b: Term) -> bool {
        a.0 & b.0 & IMMED1_MASK == IMMED1_SMALL
    }

    /// `a + b` of two small integers, when the sum is one: added as words,
    /// whose overflow is the overflow of the 60-bit values.
    #[inline]
    pub const fn small_add(a: Term, b: Term) -> Option<Term> {
        debug_assert!(Term::both_small(a, b));
        match (a.0 as i64).checked_add((b.0 & !IMMED1_MASK) as i64) {
            Some(word) => Some(Term(word as u64)),
            None => None,
        }
    }

    /// `a - b` of two small integers, when the difference is one.
    #[inline]
    pub const fn small_sub(a: Term, b: Term) -> Option<Term> {
        debug_assert!(Term::both_small(a, b));
        match (a.0 as i64).checked_sub((b.0 & !IMMED1_MASK) as i64) {
            Some(word) => Some(Term(word as u64)),
            None => None,
        }
    }

    /// The value of a term known to be a small integer.
    #[inline]
    pub const fn small_value(self) -> i64 {
        (self.0 as i64) >> IMMED1_BITS
    }

    #[inline]
    pub const fn as_atom(self) -> Option<Atom> {
        if self.is_atom() {
            Some(Atom((self.0 >> IMMED2_BITS) as u32))
        } else {
            None
        }
    }

    #[inline]
    pub const fn as_local_pid(self) -> Option<LocalPid> {
        if self.is_local_pid() {
            Some(LocalPid {
                number: (self.0 >> IMMED1_BITS) as u32,
                serial: (self.0 >> 36) as u32,
            })
        } else {
            None
        }
    }

    #[inline]
    pub const fn as_local_port(self) -> Option<u64> {
        if self.is_local_port() {
            Some(self.0 >> IMMED1_BITS)
        } else {
            None
        }
    }

    #[inline]
    pub const fn as_catch(self) -> Option<u64> {
        if self.is_catch() {
            Some(self.0 >> IMMED2_BITS)
        } else {
            None
        }
    }

    // ---- pointers ---------------------------------------------------------

    /// A list term pointing at a cons cell.
    ///
    /// # Safety
    /// `cell` must point at two initialised words holding terms, 8-aligned,
    /// in a memory area that outlives every use of the result.
    #[inline]
    pub unsafe fn from_cons_ptr(cell: *const Term) -> Term {
        Term(cell as u64 | TAG_LIST)
    }

    /// A boxed term pointing at a header word.
    ///
    /// # Safety
    /// `header` must point at an initialised header word followed by its
    /// `arity` initialised words, 8-aligned, in a memory area that outlives
    /// every use of the result.
    #[inline]
    pub unsafe fn from_boxed_ptr(header: *const u64) -> Term {
        Term(header as u64 | TAG_BOXED)
    }

    /// The cons cell of a list term (`[head, tail]`).
    #[inline]
    pub fn cons_ptr(self) -> *const Term {
        debug_assert!(self.is_list());
        (self.0 & !PRIMARY_MASK) as *const Term
    }

    /// The header word of a boxed term.
    #[inline]
    pub fn boxed_ptr(self) -> *const u64 {
        debug_assert!(self.is_boxed());
        (self.0 & !PRIMARY_MASK) as *const u64
    }

    /// Head and tail of a non-empty list.
    #[inline]
    pub fn as_cons(self) -> Option<(Term, Term)> {
        if self.is_list() {
            // SAFETY: a list term points at a live cons cell (type invariant).
            unsafe {
                let cell = self.cons_ptr();
                Some((*cell, *cell.add(1)))
            }
        } else {
            None
        }
    }

    /// The header word of a boxed term.
    #[inline]
    pub fn header(self) -> Option<u64> {
        if self.is_boxed() {
            // SAFETY: a boxed term points at a live header word (type invariant).
            Some(unsafe { *self.boxed_ptr() })
        } else {
            None
        }
    }

    /// The kind of a boxed term.
    #[inline]
    pub fn box_kind(self) -> Option<BoxKind> {
        self.header().map(header_kind)
    }

    #[inline]
    pub fn is_tuple(self) -> bool {
        self.box_kind() == Some(BoxKind::Tuple)
    }

    /// The elements of a tuple.
    #[inline]
    pub fn as_tuple<'a>(self) -> Option<&'a [Term]> {
        match self.header() {
            Some(h) if header_kind(h) == BoxKind::Tuple => {
                // SAFETY: a tuple's header is followed by `arity` element words
                // in a live area (type invariant).
                Some(unsafe { boxed_payload(self, header_arity(h)) })
            }
            _ => None,
        }
    }

    #[inline]
    pub fn is_float(self) -> bool {
        self.box_kind() == Some(BoxKind::Float)
    }

    #[inline]
    pub fn as_float(self) -> Option<f64> {
        match self.header() {
            Some(h) if header_kind(h) == BoxKind::Float => {
                // SAFETY: a float box is a header plus one word of f64 bits.
                Some(f64::from_bits(unsafe { *self.boxed_ptr().add(1) }))
            }
            _ => None,
        }
    }

    /// Is this an integer (small or big)?
    #[inline]
    pub fn is_integer(self) -> bool {
        self.is_small() || matches!(self.box_kind(), Some(BoxKind::PosBig | BoxKind::NegBig))
    }

    #[inline]
    pub fn is_number(self) -> bool {
        self.is_integer() || self.is_float()
    }

    #[inline]
    pub fn is_bitstring(self) -> bool {
        matches!(
            self.box_kind(),
            Some(BoxKind::HeapBinary | BoxKind::RefcBinary | BoxKind::SubBinary)
        )
    }

    #[inline]
    pub fn is_map(self) -> bool {
        self.box_kind() == Some(BoxKind::Map)
    }

    /// Iterate over the elements of a list; see [`ListIter`].
    #[inline]
    pub fn list_iter(self) -> ListIter {
        ListIter { rest: self }
    }

    /// The elements of a proper list, or `None` if it is improper.
    pub fn list_to_vec(self) -> Option<Vec<Term>> {
        let mut iter = self.list_iter();
        let items: Vec<Term> = iter.by_ref().collect();
        iter.rest().is_nil().then_some(items)
    }
}

impl std::fmt::Debug for Term {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Term({:#x})", self.0)
    }
}

/// Iterates over the heads of a list; afterwards [`ListIter::rest`] is
/// the tail that was not a cons cell (`[]` for a proper list).
pub struct ListIter {
    rest: Term,
}

impl ListIter {
    /// What is left: `[]` after a proper list, the improper tail otherwise.
    pub fn rest(&self) -> Term {
        self.rest
    }
}

impl Iterator for ListIter {
    type Item = Term;

    #[inline]
    fn next(&mut self) -> Option<Term> {
        let (head, tail) = self.rest.as_cons()?;
        self.rest = tail;
        Some(head)
    }
}

/// A header word for a boxed object of `kind` followed by `arity` words.
#[inline]
pub const fn make_header(kind: BoxKind, arity: usize) -> u64 {
    ((arity as u64) << HEADER_ARITY_SHIFT) | ((kind as u64) << HEADER_KIND_SHIFT) | TAG_HEADER
}

#[inline]
pub(crate) fn header_kind(header: u64) -> BoxKind {
    BoxKind::from_bits(((header >> HEADER_KIND_SHIFT) & 0xF) as u8)
}

/// The number of words that follow a header.
#[inline]
pub const fn header_arity(header: u64) -> usize {
    (header >> HEADER_ARITY_SHIFT) as usize
}

/// The `len` words that follow a boxed term's header, as terms.
///
/// # Safety
/// `term` must be boxed with at least `len` words after its header, in an
/// area that outlives `'a`.
#[inline]
pub(crate) unsafe fn boxed_payload<'a>(term: Term, len: usize) -> &'a [Term] {
    std::slice::from_raw_parts(term.boxed_ptr().add(1) as *const Term, len)
}

/// The `len` raw words that follow a boxed term's header.
///
/// # Safety
/// As [`boxed_payload`].
#[inline]
pub(crate) unsafe fn boxed_words<'a>(term: Term, len: usize) -> &'a [u64] {
    std::slice::from_raw_parts(term.boxed_ptr().add(1), len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_integers_round_trip_at_the_edges() {
        for v in [0, 1, -1, SMALL_MAX, SMALL_MIN, 12345, -98765] {
            let t = Term::small(v);
            assert!(t.is_small() && t.is_immediate());
            assert_eq!(t.as_small(), Some(v));
        }
        assert!(Term::try_small(SMALL_MAX + 1).is_none());
        assert!(Term::try_small(SMALL_MIN - 1).is_none());
    }

    #[test]
    fn word_arithmetic_on_smalls_agrees_with_i64() {
        let values = [
            0,
            1,
            -1,
            7,
            -300,
            SMALL_MAX,
            SMALL_MIN,
            SMALL_MAX - 5,
            SMALL_MIN + 5,
        ];
        for a in values {
            for b in values {
                let (ta, tb) = (Term::small(a), Term::small(b));
                assert!(Term::both_small(ta, tb));
                assert_eq!(Term::small_add(ta, tb), Term::try_small(a + b), "{a} + {b}");
                assert_eq!(Term::small_sub(ta, tb), Term::try_small(a - b), "{a} - {b}");
            }
        }
        assert!(!Term::both_small(Term::small(1), Term::NIL));
        assert!(!Term::both_small(Term::atom(atoms::OK), Term::small(1)));
    }

    #[test]
    fn immediate_tags_are_distinct() {
        let pid = Term::local_pid(LocalPid {
            number: 80,
            serial: 3,
        });
        let port = Term::local_port(7);
        let atom = Term::atom(atoms::OK);
        let nil = Term::NIL;
        let catch = Term::catch(5);
        let all = [pid, port, atom, nil, catch, Term::small(0)];
        for (i, a) in all.iter().enumerate() {
            assert!(a.is_immediate());
            for (j, b) in all.iter().enumerate() {
                assert_eq!(i == j, a == b);
            }
        }
        assert_eq!(
            pid.as_local_pid(),
            Some(LocalPid {
                number: 80,
                serial: 3
            })
        );
        assert_eq!(port.as_local_port(), Some(7));
        assert_eq!(atom.as_atom(), Some(atoms::OK));
        assert_eq!(catch.as_catch(), Some(5));
        assert!(nil.is_nil() && !nil.is_atom());
        assert!(Term::NONE.is_none() && !Term::NONE.is_immediate());
    }
}
