//! The memory side of the bit syntax: match contexts, the off-heap buffer
//! behind a refc binary, and building binaries from bytes already in a
//! vector. The bit-syntax semantics themselves live in `vm::bits`.
//!
//! A match context (BEAM's `ErlBinMatchState`) is a boxed object of kind
//! [`BoxKind::MatchContext`] with four payload words:
//! `[original, offset, end, 0]`. `original` is the heap or refc binary that
//! holds the bits (never a sub binary: starting a match on one resolves
//! it), `offset` the position of the next bit to match and `end` the
//! position after the last one, both in bits from the start of
//! `original`'s bytes. The last word is padding: a context is as large as
//! a sub binary, so copying one out of its process (which compiled code
//! never does) can turn it into the sub binary of its unmatched bits in
//! place. The collector treats word 0 as a term and the rest as raw data.

use std::sync::Arc;

use super::{boxed_words, header_arity, make_header, Bitstring, BoxKind, Term, View};
use crate::heap::{BinaryBuf, TermAlloc};

/// Payload words of a match context.
pub const MATCH_CONTEXT_WORDS: usize = 4;

/// A match context, read.
#[derive(Clone, Copy, Debug)]
pub struct MatchContext<'a> {
    /// The heap or refc binary matched.
    pub original: Term,
    /// Its bits (`bit_offset` 0).
    pub bits: Bitstring<'a>,
    /// Next bit to match, from the start of `bits.bytes`.
    pub offset: u64,
    /// End of the matched region.
    pub end: u64,
}

impl MatchContext<'_> {
    /// Bits left to match.
    pub fn remaining(&self) -> u64 {
        self.end - self.offset
    }
}

/// A new match context over `end - offset` bits of `original` (a heap or
/// refc binary) starting `offset` bits into it.
pub fn match_context(heap: &mut impl TermAlloc, original: Term, offset: u64, end: u64) -> Term {
    debug_assert!(matches!(
        original.box_kind(),
        Some(BoxKind::HeapBinary | BoxKind::RefcBinary)
    ));
    let ptr = heap.alloc_words(1 + MATCH_CONTEXT_WORDS);
    // SAFETY: the area handed out these words, unused so far; all five are
    // written before the term is made.
    unsafe {
        ptr.write(make_header(BoxKind::MatchContext, MATCH_CONTEXT_WORDS));
        ptr.add(1).write(original.raw());
        ptr.add(2).write(offset);
        ptr.add(3).write(end);
        ptr.add(4).write(0);
        Term::from_boxed_ptr(ptr)
    }
}

impl Term {
    /// This term as a match context.
    pub fn as_match_context<'a>(self) -> Option<MatchContext<'a>> {
        if self.box_kind() != Some(BoxKind::MatchContext) {
            return None;
        }
        // SAFETY: a match context has the four payload words documented
        // above (type invariant).
        let words = unsafe { boxed_words(self, MATCH_CONTEXT_WORDS) };
        // SAFETY: word 0 is the term written by `match_context` (kept
        // valid by the collector, which treats it as a term).
        let original = unsafe { Term::from_raw(words[0]) };
        let View::Bitstring(bits) = original.view() else {
            unreachable!("a match context refers to a binary")
        };
        Some(MatchContext {
            original,
            bits,
            offset: words[1],
            end: words[2],
        })
    }

    /// The off-heap buffer of a refc binary and the object's byte size.
    pub fn refc_buffer(self) -> Option<(Arc<BinaryBuf>, usize)> {
        if self.box_kind() != Some(BoxKind::RefcBinary) {
            return None;
        }
        // SAFETY: a refc binary's payload is `[byte size, *const BinaryBuf,
        // next]` and the object holds a strong count of the buffer, so the
        // pointer is a live `Arc` allocation; we take one more count.
        unsafe {
            let words = boxed_words(self, 2);
            let buf = words[1] as *const BinaryBuf;
            Arc::increment_strong_count(buf);
            Some((Arc::from_raw(buf), words[0] as usize))
        }
    }
}

/// Moves the match position of the match context `ctx` to `offset`
/// (at most its end).
///
/// Match contexts are made only by [`match_context`] on the heap of the
/// process that matches and are used only by it, so no one else reads the
/// word; the word is raw data, so the collector does not care.
pub fn set_match_offset(ctx: Term, offset: u64) {
    let header = ctx.header().expect("a match context is boxed");
    assert!(
        ctx.box_kind() == Some(BoxKind::MatchContext)
            && header_arity(header) == MATCH_CONTEXT_WORDS,
        "set_match_offset on a match context"
    );
    // SAFETY: checked just above that `ctx` is a match context, whose
    // payload word 1 is its offset; see the function's doc for why writing
    // it is not a race.
    unsafe {
        let at = (ctx.boxed_ptr() as *mut u64).add(2);
        debug_assert!(offset <= at.add(1).read());
        at.write(offset);
    }
}

/// A refc binary of the first `len` bytes of `buf` (which must be visible).
pub fn refc_binary_prefix(heap: &mut impl TermAlloc, buf: Arc<BinaryBuf>, len: usize) -> Term {
    assert!(len <= buf.bytes().len(), "a refc binary within its buffer");
    let term = super::build::refc_binary(heap, buf);
    // SAFETY: `refc_binary` just built this refc object; word 1 of its
    // payload is its byte size, which may shrink to any visible prefix.
    unsafe { (term.boxed_ptr() as *mut u64).add(1).write(len as u64) };
    term
}

/// A bitstring of `bit_len` bits held at the start of `bytes` (the bits of
/// a partial last byte past `bit_len` must be zero), taking the vector
/// without copying it when the binary goes off the heap.
pub fn bitstring_from_vec(heap: &mut impl TermAlloc, bytes: Vec<u8>, bit_len: u64) -> Term {
    debug_assert_eq!(bytes.len() as u64, bit_len.div_ceil(8));
    let whole = bit_len / 8;
    let extra = (bit_len % 8) as u8;
    let original = if bytes.len() <= super::build::HEAP_BINARY_MAX {
        super::build::binary(heap, &bytes)
    } else {
        super::build::refc_binary(heap, BinaryBuf::new(bytes.into_boxed_slice()))
    };
    if extra == 0 {
        original
    } else {
        super::build::sub_binary(heap, original, 0, whole, extra, 0)
    }
}

/// A bitstring of `bit_len` bits at the start of the visible bytes of
/// `buf` (whose partial last byte, if any, is zero past `bit_len`).
pub fn bitstring_in_buffer(heap: &mut impl TermAlloc, buf: Arc<BinaryBuf>, bit_len: u64) -> Term {
    let whole = bit_len / 8;
    let extra = (bit_len % 8) as u8;
    let original = refc_binary_prefix(heap, buf, bit_len.div_ceil(8) as usize);
    if extra == 0 {
        original
    } else {
        super::build::sub_binary(heap, original, 0, whole, extra, 0)
    }
}

/// The binary a bitstring term's bits come from, and where they start in
/// it (in bits): the term itself for a heap or refc binary, a sub binary's
/// original otherwise.
pub fn bits_origin(term: Term) -> Option<(Term, u64)> {
    match term.box_kind()? {
        BoxKind::HeapBinary | BoxKind::RefcBinary => Some((term, 0)),
        BoxKind::SubBinary => {
            // SAFETY: a sub binary's payload is `[byte size, byte offset,
            // bit size | bit offset << 8, original]`.
            let words = unsafe { boxed_words(term, 4) };
            let bit_offset = (words[2] >> 8) & 0xFF;
            // SAFETY: word 3 is the original binary, a valid term.
            let original = unsafe { Term::from_raw(words[3]) };
            Some((original, words[1] * 8 + bit_offset))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::LiteralArea;

    #[test]
    fn match_contexts_read_back_and_move() {
        let mut area = LiteralArea::new();
        let bin = super::super::build::binary(&mut area, &[0xF0, 0x0F]);
        let ctx = match_context(&mut area, bin, 4, 12);
        let mc = ctx.as_match_context().unwrap();
        assert_eq!((mc.offset, mc.end, mc.remaining()), (4, 12, 8));
        assert_eq!(mc.original, bin);
        set_match_offset(ctx, 10);
        assert_eq!(ctx.as_match_context().unwrap().offset, 10);
        assert!(bin.as_match_context().is_none());
    }

    #[test]
    fn refc_prefixes_and_bitstrings_share_a_buffer() {
        let mut area = LiteralArea::new();
        let buf = BinaryBuf::with_capacity(&[1, 2, 3, 0x80], 16);
        let whole = refc_binary_prefix(&mut area, buf.clone(), 4);
        let part = bitstring_in_buffer(&mut area, buf.clone(), 25);
        let (shared, len) = whole.refc_buffer().unwrap();
        assert!(Arc::ptr_eq(&shared, &buf) && len == 4);
        let View::Bitstring(b) = part.view() else {
            panic!("a bitstring")
        };
        assert_eq!((b.bit_len, b.to_padded_vec()), (25, vec![1, 2, 3, 0x80]));
        assert_eq!(bits_origin(part).map(|(_, at)| at), Some(0));
        let v = bitstring_from_vec(&mut area, vec![7; 100], 800);
        assert!(v.refc_buffer().is_some_and(|(_, n)| n == 100));
    }
}
