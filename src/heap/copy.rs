//! Copying a term into another area, as a message send, `spawn` or an ETS
//! insert does (BEAM's `size_object` / `copy_struct`).
//!
//! The copy is flat: a subterm shared by several referrers is copied once
//! per referrer, so the copy's size is [`size_of_term`] (erl's
//! `erts_debug:flat_size/1`), as in BEAM, whose sends do not preserve
//! sharing (it is built without `SHCOPY`). The copy shares each refc
//! binary's buffer, taking a new count of it.
//!
//! Literals: BEAM since OTP 20 leaves pointers to module literals as they are
//! when it copies a message (`copy_struct_litopt`); erl confirms that the
//! receiver gets the very same literal (`erts_debug:same/2` is true). So does
//! [`copy_message`]: it copies only what lies in the sender's heap, which
//! relies on literal areas outliving every process that can reach them.
//! [`copy_term`] copies everything, for destinations that may outlive the
//! module (ETS tables, persistent terms).
//!
//! Neither recurses: sizing keeps its pending subterms in a `Vec`, and
//! copying scans the copy itself (Cheney), so a list a million cells deep
//! in either direction is fine.

use std::sync::Arc;

use super::gc::{scan_object, term_words};
use super::process_heap::{HeapFragment, ProcessHeap, REFC_BUF_WORD, REFC_NEXT_WORD};
use super::{BinaryBuf, Resource, TermAlloc};
use crate::term::{
    header_arity, header_kind, make_header, BoxKind, Term, PRIMARY_MASK, TAG_BOXED, TAG_LIST,
};

/// Words a full copy of `term` takes (0 for an immediate).
pub fn size_of_term(term: Term) -> usize {
    size_where(term, |_| true)
}

/// A full copy of `term` in `dst`, literals included.
pub fn copy_term(term: Term, dst: &mut impl TermAlloc) -> Term {
    copy_where(term, dst, |_| true)
}

/// Words [`copy_message`] takes for `term`, which lives in `from`.
pub fn size_of_message(term: Term, from: &ProcessHeap) -> usize {
    size_where(term, |addr| from.contains(addr))
}

/// A copy of `term`, which lives in `from`, in `dst`: what lies in `from`
/// is copied, pointers to anything else (literals) are kept.
pub fn copy_message(term: Term, from: &ProcessHeap, dst: &mut impl TermAlloc) -> Term {
    copy_where(term, dst, |addr| from.contains(addr))
}

/// A copy of `term`, which lives in `from`, in `dst` (a message moved out
/// of the fragment it travelled in).
pub fn copy_out_of_fragment(term: Term, from: &HeapFragment, dst: &mut impl TermAlloc) -> Term {
    copy_where(term, dst, |addr| from.contains(addr))
}

/// The address a list or boxed word points to, if it is one.
#[inline]
fn pointee(word: u64) -> Option<usize> {
    let tag = word & PRIMARY_MASK;
    (tag == TAG_LIST || tag == TAG_BOXED).then_some((word & !PRIMARY_MASK) as usize)
}

/// Words a copy of `term` takes when the objects at addresses for which
/// `copies` is false are kept rather than copied.
fn size_where(term: Term, copies: impl Fn(usize) -> bool) -> usize {
    let mut total = 0usize;
    let mut pending = vec![term];
    while let Some(mut t) = pending.pop() {
        // Follow tails in this loop and heads through `pending`.
        while let Some(addr) = pointee(t.raw()).filter(|&a| copies(a)) {
            if let Some((head, tail)) = t.as_cons() {
                total = total.saturating_add(2);
                if pointee(head.raw()).is_some() {
                    pending.push(head);
                }
                t = tail;
                continue;
            }
            let header = t.header().expect("a pointer term is a list or boxed");
            total = total.saturating_add(1 + header_arity(header));
            for i in term_words(header) {
                // SAFETY: `addr` is a live boxed object (type invariant) and
                // `i` indexes one of its payload words that hold terms.
                let word = unsafe { (addr as *const u64).add(1 + i).read() };
                if pointee(word).is_some() {
                    // SAFETY: a term word of a live object holds a valid term.
                    pending.push(unsafe { Term::from_raw(word) });
                }
            }
            break;
        }
    }
    total
}

/// Copies `term` into `dst`, keeping the objects at addresses for which
/// `copies` is false.
fn copy_where(term: Term, dst: &mut impl TermAlloc, copies: impl Fn(usize) -> bool) -> Term {
    if !pointee(term.raw()).is_some_and(&copies) {
        return term;
    }
    let size = size_where(term, &copies);
    let mut copier = Copier {
        base: dst.alloc_words(size),
        top: 0,
        size,
    };
    let mut root = term.raw();
    // SAFETY: `base` holds `size` fresh words, which is what the objects
    // reachable from `term` (except kept ones) take, each copied once per
    // referrer as `size_where` counted them; `Copier::copy` checks the
    // bound anyway. The scan walks the copies object by object; each term
    // word it visits still holds the source's term (valid by the term
    // invariant) until `copy` replaces it with the copy's.
    unsafe {
        copier.copy(&mut root, dst, &copies);
        let mut scan = 0;
        while scan < copier.top {
            let at = copier.base.add(scan);
            scan += scan_object(at, |slot| copier.copy(slot, dst, &copies));
        }
        debug_assert_eq!(copier.top, size);
        Term::from_raw(root)
    }
}

/// The destination block of a copy.
struct Copier {
    base: *mut u64,
    top: usize,
    size: usize,
}

impl Copier {
    /// Replaces the term in `slot` by a copy of it (one level: the copy's
    /// own term words still point at the source), unless it is immediate or
    /// kept.
    ///
    /// # Safety
    /// `slot` holds a valid term; `base` has `size` words writable.
    unsafe fn copy(
        &mut self,
        slot: *mut u64,
        dst: &mut impl TermAlloc,
        copies: &impl Fn(usize) -> bool,
    ) {
        let word = slot.read();
        let Some(addr) = pointee(word).filter(|&a| copies(a)) else {
            return;
        };
        let source = addr as *const u64;
        let (words, tag) = if word & PRIMARY_MASK == TAG_LIST {
            (2, TAG_LIST)
        } else {
            (1 + header_arity(source.read()), TAG_BOXED)
        };
        assert!(words <= self.size - self.top, "copy larger than its size");
        let copy = self.base.add(self.top);
        self.top += words;
        std::ptr::copy_nonoverlapping(source, copy, words);
        slot.write(copy as u64 | tag);
        if tag == TAG_BOXED && header_kind(copy.read()) == BoxKind::RefcBinary {
            let buf = copy.add(REFC_BUF_WORD).read() as *const BinaryBuf;
            // The source object holds a count, so the buffer is alive; the
            // copy takes one more, which `dst` now owns.
            Arc::increment_strong_count(buf);
            copy.add(REFC_NEXT_WORD).write(0);
            // The copy is a whole refc binary object `dst` allocated, adopted once.
            dst.adopt_binary(copy, Arc::from_raw(buf));
        }
        if tag == TAG_BOXED && header_kind(copy.read()) == BoxKind::ResourceRef {
            let resource = copy.add(REFC_BUF_WORD).read() as *const Resource;
            // As for a refc binary: the source holds a count, the copy takes
            // one more for `dst`.
            Arc::increment_strong_count(resource);
            copy.add(REFC_NEXT_WORD).write(0);
            // The copy is a whole resource reference `dst` allocated, adopted once.
            dst.adopt_resource(copy, Arc::from_raw(resource));
        }
        if tag == TAG_BOXED && header_kind(copy.read()) == BoxKind::MatchContext {
            // A match context never leaves its process: its copy is the
            // sub binary of the bits it has not matched, in the same words.
            let (offset, end) = (copy.add(2).read(), copy.add(3).read());
            let original = copy.add(1).read();
            let bits = end - offset;
            copy.write(make_header(BoxKind::SubBinary, 4));
            copy.add(1).write(bits / 8);
            copy.add(2).write(offset / 8);
            copy.add(3).write((bits % 8) | ((offset % 8) << 8));
            copy.add(4).write(original);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::gc::testing::{binaries, every_kind, in_area, same, Generator};
    use super::super::{BinaryBuf, HeapFragment, LiteralArea, ProcessHeap};
    use super::*;
    use crate::term::{atoms, build};

    #[test]
    fn immediates_are_not_copied() {
        let mut fragment = HeapFragment::new();
        for t in [
            Term::small(5),
            Term::NIL,
            Term::atom(atoms::OK),
            Term::catch(3),
        ] {
            assert_eq!(size_of_term(t), 0);
            assert_eq!(copy_term(t, &mut fragment), t);
        }
        assert_eq!(fragment.words_used(), 0);
    }

    #[test]
    fn every_kind_copies_in_exactly_its_size() {
        let bins = binaries(1);
        let mut lits = LiteralArea::new();
        let literal = build::tuple(&mut lits, &[Term::small(1), Term::atom(atoms::TRUE)]);
        let mut source = ProcessHeap::new();
        let term = every_kind(&mut source, &bins, literal);
        let size = size_of_term(term);
        let mut fragment = HeapFragment::with_capacity(size);
        let copy = copy_term(term, &mut fragment);
        assert_eq!(fragment.words_used(), size);
        assert!(same(copy, term));
        assert!(!source.contains(copy.raw() as usize & !3));
        // The literal was copied too, so the copy holds no pointer into `lits`.
        let last = *copy.list_to_vec().unwrap().last().unwrap();
        assert!(!in_area(&lits)(last.raw() as usize & !3));
        assert!(same(last, literal));
    }

    #[test]
    fn messages_keep_literals_where_they_are() {
        // erl: a literal sent to another process arrives as the same term
        // (erts_debug:same(X, f()) is true in the receiver).
        let mut lits = LiteralArea::new();
        let literal = build::list(&mut lits, &[Term::small(1), Term::small(2)]);
        let mut sender = ProcessHeap::new();
        let message = build::tuple(&mut sender, &[literal, Term::small(3)]);
        assert_eq!(size_of_message(message, &sender), 3);
        assert_eq!(size_of_term(message), 7);
        let mut fragment = HeapFragment::with_capacity(3);
        let copy = copy_message(message, &sender, &mut fragment);
        assert_eq!(fragment.words_used(), 3);
        assert_ne!(copy.raw(), message.raw());
        assert_eq!(copy.as_tuple().unwrap()[0].raw(), literal.raw());
        // A message that is a literal is the literal itself.
        assert_eq!(
            copy_message(literal, &sender, &mut fragment).raw(),
            literal.raw()
        );
        assert_eq!(fragment.words_used(), 3);
    }

    #[test]
    fn copies_are_flat() {
        // erl: M = [T,T] with T = list_to_tuple(lists:seq(1,10)) sent to
        // another process arrives with erts_debug:size/1 and flat_size/1
        // both 26.
        let mut sender = ProcessHeap::new();
        let t = build::tuple(&mut sender, &(1..=10).map(Term::small).collect::<Vec<_>>());
        let m = build::list(&mut sender, &[t, t]);
        assert_eq!(size_of_message(m, &sender), 26);
        let mut receiver = ProcessHeap::new();
        let mut x = [copy_message(m, &sender, &mut receiver)];
        assert_eq!(receiver.heap_used(), 26);
        let items = x[0].list_to_vec().unwrap();
        assert_ne!(items[0].raw(), items[1].raw());
        receiver.garbage_collect(0, &mut x, &mut []).unwrap();
        assert_eq!(receiver.heap_used(), 26);
        assert!(same(x[0], m));
    }

    #[test]
    fn copies_take_their_own_binary_counts() {
        let buf = BinaryBuf::new(vec![1u8; 300].into());
        let mut source = LiteralArea::new();
        let bin = build::refc_binary(&mut source, buf.clone());
        let sub = build::sub_binary(&mut source, bin, 5, 10, 0, 0);
        let term = build::tuple(&mut source, &[bin, sub, bin]);
        assert_eq!(Arc::strong_count(&buf), 2);
        let mut fragment = HeapFragment::new();
        let copy = copy_term(term, &mut fragment);
        assert_eq!(Arc::strong_count(&buf), 5, "one count per copied object");
        assert!(same(copy, term));
        let mut heap = ProcessHeap::new();
        heap.attach_fragment(fragment);
        let mut x = [copy.as_tuple().unwrap()[1]];
        heap.garbage_collect(0, &mut x, &mut []).unwrap();
        assert_eq!(
            Arc::strong_count(&buf),
            3,
            "the sub binary's original lives"
        );
        drop(heap);
        assert_eq!(Arc::strong_count(&buf), 2);
        let dropped = copy_term(term, &mut HeapFragment::new());
        assert!(!dropped.is_immediate());
        assert_eq!(
            Arc::strong_count(&buf),
            2,
            "a dropped fragment releases its counts"
        );
        drop(source);
        assert_eq!(Arc::strong_count(&buf), 1);
    }

    #[test]
    fn a_million_deep_list_is_copied_without_recursion() {
        let n = if cfg!(miri) { 2_000 } else { 1_000_000 };
        let mut source = LiteralArea::new();
        let mut tail_deep = Term::NIL;
        let mut head_deep = Term::NIL;
        for i in 0..n {
            tail_deep = build::cons(&mut source, Term::small(i as i64), tail_deep);
            head_deep = build::cons(&mut source, head_deep, Term::NIL);
        }
        let term = build::tuple(&mut source, &[tail_deep, head_deep]);
        assert_eq!(size_of_term(term), 3 + 4 * n);
        let mut heap = ProcessHeap::new();
        let copy = copy_term(term, &mut heap);
        assert!(same(copy, term));
    }

    #[test]
    fn random_messages_between_heaps() {
        let rounds = if cfg!(miri) { 6 } else { 200 };
        let bins = binaries(3);
        let mut lits = LiteralArea::new();
        let literal = build::tuple(&mut lits, &[Term::small(42)]);
        let mut receiver = ProcessHeap::new();
        let mut received = Vec::new();
        let mut expected = Vec::new();
        let mut reference = LiteralArea::new();
        for seed in 0..rounds {
            let mut sender = ProcessHeap::new();
            let mut gen = Generator::new(seed, &bins, Some(literal));
            let message = gen.term(&mut sender, 4, &mut Vec::new());
            let mut gen = Generator::new(seed, &bins, Some(literal));
            expected.push(gen.term(&mut reference, 4, &mut Vec::new()));
            let mut fragment = HeapFragment::with_capacity(size_of_message(message, &sender));
            received.push(copy_message(message, &sender, &mut fragment));
            drop(sender);
            receiver.attach_fragment(fragment);
            if seed % 3 == 0 {
                receiver.garbage_collect(0, &mut received, &mut []).unwrap();
                super::super::gc::testing::check_heap(&receiver, &in_area(&lits));
            }
            for (r, e) in received.iter().zip(&expected) {
                assert!(same(*r, *e));
            }
        }
        drop(receiver);
        drop(reference);
        for b in &bins {
            assert_eq!(Arc::strong_count(b), 1);
        }
    }
}
