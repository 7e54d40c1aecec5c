//! Latin-1 and UTF-8 character data to UTF-8, as erts's `erl_unicode.c`
//! converts it for `characters_to_binary/2` and `characters_to_list/2`:
//! first a pass that checks the shape of the data (`utf8_need`), whose
//! failures are `badarg`, then a pass that converts and, at the first
//! character it cannot take, returns the rest of the data built as erts
//! builds it.
//!
//! The rest: where the bad character is an element of a list, the list
//! cell holding it; where it is inside a binary, the binary from that
//! character on, in the cell (or as the tail) where the binary was; each
//! enclosing list wraps it as `[Rest | Tail]`. A multi-byte character cut
//! at the end of a binary is carried into the next binary; a character
//! still cut at the end of the data is `{incomplete, _, Bytes}` when what
//! there is could start a character, else `{error, _, Bytes}`.
//!
//! erts converts large data in slices between which it yields; the rest
//! it builds after a yield is the same, so the conversion is done here in
//! one go.

use crate::bif::erlang::binary_bytes;
use crate::term::{build, Term, View};
use crate::vm::process::Process;

/// What the conversion made of the data.
pub(super) enum Outcome {
    /// All of it, as UTF-8.
    Done(Vec<u8>),
    /// The UTF-8 of what came before the first bad character, and the rest.
    Error(Vec<u8>, Term),
    /// The UTF-8 of everything before a cut character, and its bytes.
    Incomplete(Vec<u8>, Term),
}

/// erts's `utf8_need` as a check: is the data made of integers, binaries
/// and lists, with `[]` or a binary as each tail? A bignum ends the check
/// early (the conversion then reports it as a bad character).
fn well_formed(data: Term) -> bool {
    let whole_binary = |t: Term| matches!(t.view(), View::Bitstring(b) if b.trailing_bits() == 0);
    match data.view() {
        View::Nil => return true,
        View::Bitstring(_) => return whole_binary(data),
        View::Cons(..) => {}
        _ => return false,
    }
    let mut pending = vec![data];
    while let Some(mut list) = pending.pop() {
        while let Some((head, tail)) = list.as_cons() {
            match head.view() {
                View::Small(_) | View::Nil => {}
                View::Cons(..) => {
                    pending.push(tail);
                    list = head;
                    continue;
                }
                View::Bitstring(_) if whole_binary(head) => {}
                View::Big { .. } => return true,
                _ => return false,
            }
            list = tail;
        }
        if !(list.is_nil() || whole_binary(list)) {
            return false;
        }
    }
    true
}

/// The number of bytes of a UTF-8 sequence its first byte announces
/// (erts's `utf8_len`), or `None` for a byte that cannot start one.
fn sequence_len(first: u8) -> Option<usize> {
    match first {
        0x00..=0x7F => Some(1),
        _ if first & 0xE0 == 0xC0 => Some(2),
        _ if first & 0xF0 == 0xE0 => Some(3),
        _ if first & 0xF8 == 0xF0 => Some(4),
        _ => None,
    }
}

fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// Is `seq`, as long as its first byte announces, a character erts takes
/// (no overlong form, no surrogate, nothing above U+10FFFF)?
fn valid_sequence(seq: &[u8]) -> bool {
    let rest_continues = seq[1..].iter().all(|&b| is_continuation(b));
    match seq.len() {
        1 => true,
        2 => rest_continues && seq[0] >= 0xC2,
        3 => {
            rest_continues
                && !(seq[0] == 0xE0 && seq[1] < 0xA0)
                && !(seq[0] & 0x0F == 0x0D && seq[1] & 0x20 != 0)
        }
        _ => {
            rest_continues
                && !(seq[0] == 0xF0 && seq[1] < 0x90)
                && seq[0] & 0x07 <= 4
                && !(seq[0] & 0x07 == 4 && seq[1] & 0x3F > 0x0F)
        }
    }
}

/// erts's `check_leftovers`: can the bytes of a character cut at the end
/// of the data start a character (`incomplete`) or not (`error`)?
pub(super) fn could_start_character(bytes: &[u8]) -> bool {
    match sequence_len(bytes[0]) {
        Some(2) => true,
        Some(3) => bytes.len() < 2 || is_continuation(bytes[1]),
        Some(4) => bytes[1..].iter().all(|&b| is_continuation(b)),
        _ => false,
    }
}

/// Appends the UTF-8 of `c` (a Unicode scalar value).
pub(super) fn push_utf8(out: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// The conversion pass (erts's `do_build_utf8`).
struct Converter {
    latin1: bool,
    out: Vec<u8>,
    /// The first bytes of a character cut at the end of a binary.
    leftover: Vec<u8>,
}

impl Converter {
    /// Takes an integer element; `false` if it is not a character here.
    fn push_char(&mut self, value: i64) -> bool {
        let limit = if self.latin1 { 0xFF } else { 0x10FFFF };
        match u32::try_from(value)
            .ok()
            .filter(|&v| v <= limit)
            .and_then(char::from_u32)
        {
            Some(c) => {
                push_utf8(&mut self.out, c);
                true
            }
            None => false,
        }
    }

    /// Takes a binary; on a bad character, the binary from it on.
    fn binary(&mut self, process: &mut Process, term: Term) -> Option<Term> {
        let Some(bytes) = binary_bytes(term) else {
            return Some(term);
        };
        if self.latin1 {
            for &b in bytes.iter() {
                push_utf8(&mut self.out, b as char);
            }
            return None;
        }
        let bad_at = self.utf8_bytes(&bytes)?;
        let len = bytes.len() as u64;
        let at = bad_at as u64;
        Some(build::extract_sub_binary(
            &mut process.heap,
            term,
            at * 8,
            (len - at) * 8,
        ))
    }

    /// Copies the UTF-8 of a binary (erts's `copy_utf8_bin`), completing a
    /// character cut at the end of the previous binary first; the offset
    /// of a bad character, if any (0 when completing fails).
    fn utf8_bytes(&mut self, bytes: &[u8]) -> Option<usize> {
        let mut i = 0;
        if let Some(&first) = self.leftover.first() {
            let need = sequence_len(first).expect("a cut character has a first byte");
            let from_here = need - self.leftover.len();
            if bytes.len() < from_here {
                self.leftover.extend_from_slice(bytes);
                return None;
            }
            let mut seq = self.leftover.clone();
            seq.extend_from_slice(&bytes[..from_here]);
            if !valid_sequence(&seq) {
                return Some(0);
            }
            self.out.extend_from_slice(&seq);
            self.leftover.clear();
            i = from_here;
        }
        while i < bytes.len() {
            let Some(n) = sequence_len(bytes[i]) else {
                return Some(i);
            };
            if bytes.len() - i < n {
                self.leftover.extend_from_slice(&bytes[i..]);
                return None;
            }
            if !valid_sequence(&bytes[i..i + n]) {
                return Some(i);
            }
            self.out.extend_from_slice(&bytes[i..i + n]);
            i += n;
        }
        None
    }

    /// Converts `data`; on a bad character, the rest as erts builds it.
    fn convert(&mut self, process: &mut Process, data: Term) -> Option<Term> {
        match data.view() {
            View::Nil => return None,
            View::Bitstring(_) => return self.binary(process, data),
            View::Cons(..) => {}
            _ => return Some(data),
        }
        // The tails of the lists entered, innermost last.
        let mut tails: Vec<Term> = Vec::new();
        let mut list = data;
        loop {
            let bad = loop {
                match list.view() {
                    View::Cons(head, tail) => match head.view() {
                        View::Small(v) => {
                            if !self.leftover.is_empty() || !self.push_char(v) {
                                break Some(list);
                            }
                            list = tail;
                        }
                        View::Nil => list = tail,
                        View::Cons(..) => {
                            tails.push(tail);
                            list = head;
                        }
                        View::Bitstring(_) => match self.binary(process, head) {
                            Some(rest) => break Some(build::cons(&mut process.heap, rest, tail)),
                            None => list = tail,
                        },
                        _ => break Some(list),
                    },
                    View::Nil => break None,
                    View::Bitstring(_) => break self.binary(process, list),
                    _ => break Some(list),
                }
            };
            if let Some(mut rest) = bad {
                while let Some(tail) = tails.pop() {
                    rest = build::cons(&mut process.heap, rest, tail);
                }
                return Some(rest);
            }
            match tails.pop() {
                Some(tail) => list = tail,
                None => return None,
            }
        }
    }
}

/// Converts Latin-1 (`latin1`) or UTF-8 character data to UTF-8, or
/// `None` where erts raises `badarg`.
pub(super) fn to_utf8(process: &mut Process, data: Term, latin1: bool) -> Option<Outcome> {
    if !well_formed(data) {
        return None;
    }
    let mut converter = Converter {
        latin1,
        out: Vec::new(),
        leftover: Vec::new(),
    };
    let bad = converter.convert(process, data);
    let Converter { out, leftover, .. } = converter;
    Some(match bad {
        Some(mut rest) => {
            if !leftover.is_empty() {
                let heap = &mut process.heap;
                let cut = build::binary(heap, &leftover);
                rest = build::list(heap, &[cut, rest]);
            }
            Outcome::Error(out, rest)
        }
        None if leftover.is_empty() => Outcome::Done(out),
        None => {
            let cut = build::binary(&mut process.heap, &leftover);
            if could_start_character(&leftover) {
                Outcome::Incomplete(out, cut)
            } else {
                Outcome::Error(out, cut)
            }
        }
    })
}
