//! UTF-16 and UTF-32 character data to UTF-8. erts hands these encodings
//! to Erlang code in `unicode.erl` (`characters_to_binary_int/3` and its
//! `ml_map/3`); this is that code's walk, done natively with the same
//! results: the same rest terms for errors, the same `incomplete` results,
//! and `badarg` only where the Erlang code fails, that is on reaching
//! something that is not character data (not before).
//!
//! The walk: integers are code points; each binary is decoded as far as it
//! goes; a character cut at the end of a binary waits, with the number of
//! bytes it misses, for the next binary (an integer then is an error);
//! binaries longer than 8192 bytes are walked in 8192-byte pieces, which
//! shows in the rest of an error.

use std::collections::VecDeque;

use super::chardata::push_utf8;
use crate::term::{build, Term, View};
use crate::vm::process::Process;

/// The code unit width and byte order of the input.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Wide {
    Utf16 { big: bool },
    Utf32 { big: bool },
}

/// How decoding a binary ended.
enum Decoded {
    /// Every byte was used.
    All,
    /// A character could not be decoded: the bytes from it on.
    Bad(Vec<u8>),
    /// The last character is cut: its bytes and how many it misses.
    Cut(Vec<u8>, usize),
}

fn u16_at(bytes: &[u8], big: bool) -> u16 {
    let pair = [bytes[0], bytes[1]];
    if big {
        u16::from_be_bytes(pair)
    } else {
        u16::from_le_bytes(pair)
    }
}

/// The next character of `bytes` and its length, as the bit syntax's
/// `/utf16` and `/utf32` segments match one.
fn next_char(bytes: &[u8], wide: Wide) -> Option<(char, usize)> {
    match wide {
        Wide::Utf16 { big } => {
            let first = u16_at(bytes.get(..2)?, big);
            if !(0xD800..=0xDFFF).contains(&first) {
                return Some((char::from_u32(first as u32)?, 2));
            }
            if first > 0xDBFF {
                return None;
            }
            let second = u16_at(bytes.get(2..4)?, big);
            if !(0xDC00..=0xDFFF).contains(&second) {
                return None;
            }
            let c = 0x10000 + ((first as u32 - 0xD800) << 10) + (second as u32 - 0xDC00);
            Some((char::from_u32(c)?, 4))
        }
        Wide::Utf32 { big } => {
            let word: [u8; 4] = bytes.get(..4)?.try_into().ok()?;
            let value = if big {
                u32::from_be_bytes(word)
            } else {
                u32::from_le_bytes(word)
            };
            Some((char::from_u32(value)?, 4))
        }
    }
}

/// `unicode.erl`'s `cbv/2`: how many bytes the undecodable end of a binary
/// misses to be a character, or `None` if it cannot become one.
fn missing_bytes(rest: &[u8], wide: Wide) -> Option<usize> {
    let high_surrogate = |b: u8| b >> 2 == 0x36;
    let low_surrogate = |b: u8| b >> 2 == 0x37;
    match (wide, rest) {
        (Wide::Utf16 { big: true }, &[a]) if a <= 215 || a >= 224 => Some(1),
        (Wide::Utf16 { big: true }, &[a]) if high_surrogate(a) => Some(3),
        (Wide::Utf16 { big: true }, &[a, _]) if high_surrogate(a) => Some(2),
        (Wide::Utf16 { big: true }, &[a, _, c]) if high_surrogate(a) && low_surrogate(c) => Some(1),
        (Wide::Utf16 { big: false }, &[_]) => Some(1),
        (Wide::Utf16 { big: false }, &[_, b]) if high_surrogate(b) => Some(2),
        (Wide::Utf16 { big: false }, &[_, b, _]) if high_surrogate(b) => Some(1),
        (Wide::Utf32 { big: true }, &[0]) => Some(3),
        (Wide::Utf32 { big: true }, &[0, x]) if x <= 16 => Some(2),
        (Wide::Utf32 { big: true }, &[0, x, y]) if x <= 16 && (x > 0 || y <= 215 || y >= 224) => {
            Some(1)
        }
        (Wide::Utf32 { big: false }, &[_]) => Some(3),
        (Wide::Utf32 { big: false }, &[_, _]) => Some(2),
        (Wide::Utf32 { big: false }, &[254 | 255, 255, 0]) => None,
        (Wide::Utf32 { big: false }, &[_, y, x]) if x <= 16 && (x > 0 || y <= 215 || y >= 224) => {
            Some(1)
        }
        _ => None,
    }
}

/// Decodes `bytes` as far as it goes, appending UTF-8 to `out`.
fn decode(bytes: &[u8], wide: Wide, out: &mut Vec<u8>) -> Decoded {
    let mut i = 0;
    while i < bytes.len() {
        match next_char(&bytes[i..], wide) {
            Some((c, len)) => {
                push_utf8(out, c);
                i += len;
            }
            None => {
                let rest = bytes[i..].to_vec();
                return match missing_bytes(&rest, wide) {
                    Some(missing) => Decoded::Cut(rest, missing),
                    None => Decoded::Bad(rest),
                };
            }
        }
    }
    Decoded::All
}

/// The size of the pieces long binaries are walked in.
const PIECE: usize = 8192;

/// A list being walked: binaries made by the walk itself (pieces, a cut
/// character completed) come first, then the rest of a real list term.
struct Cursor {
    made: VecDeque<Vec<u8>>,
    list: Term,
}

impl Cursor {
    fn of(list: Term) -> Cursor {
        Cursor {
            made: VecDeque::new(),
            list,
        }
    }

    /// This cursor's elements as a list term.
    fn to_term(&self, process: &mut Process) -> Term {
        let heap = &mut process.heap;
        let made: Vec<Term> = self.made.iter().map(|b| build::binary(heap, b)).collect();
        build::list_with_tail(heap, &made, self.list)
    }
}

/// A character cut at the end of a binary, waiting for more bytes.
struct Cut {
    bytes: Vec<u8>,
    missing: usize,
}

/// What the walk made of the data.
pub(super) enum Walked {
    Done(Vec<u8>),
    Error(Vec<u8>, Term),
    Incomplete(Vec<u8>, Vec<u8>),
}

/// The walk of `ml_map/3`, with its recursion into lists kept in `outer`.
struct Walk {
    wide: Wide,
    out: Vec<u8>,
    cut: Option<Cut>,
    /// The rest of each list the walk is inside of, innermost last.
    outer: Vec<Cursor>,
}

/// The next step of the walk.
enum Step {
    Go(Cursor),
    /// The current list is done (its result goes to the enclosing list).
    ListDone,
    /// An error, with the rest as this level makes it.
    Fail(Term),
}

impl Walk {
    /// Decodes one binary with the output so far (the Erlang code's fun
    /// for a binary part).
    fn take_binary(&mut self, bytes: &[u8]) -> Result<(), Vec<u8>> {
        match decode(bytes, self.wide, &mut self.out) {
            Decoded::All => Ok(()),
            Decoded::Bad(rest) => Err(rest),
            Decoded::Cut(bytes, missing) => {
                self.cut = Some(Cut { bytes, missing });
                Ok(())
            }
        }
    }

    /// A binary element of the current list (the rest after it in `next`).
    fn binary_element(&mut self, bytes: Vec<u8>, mut next: Cursor, process: &mut Process) -> Step {
        if let Some(cut) = self.cut.take() {
            if bytes.len() >= cut.missing {
                let mut completed = cut.bytes;
                completed.extend_from_slice(&bytes[..cut.missing]);
                next.made.push_front(bytes[cut.missing..].to_vec());
                next.made.push_front(completed);
            } else {
                let mut bytes_so_far = cut.bytes;
                bytes_so_far.extend_from_slice(&bytes);
                self.cut = Some(Cut {
                    bytes: bytes_so_far,
                    missing: cut.missing - bytes.len(),
                });
            }
            return Step::Go(next);
        }
        if bytes.len() > PIECE {
            next.made.push_front(bytes[PIECE..].to_vec());
            next.made.push_front(bytes[..PIECE].to_vec());
            return Step::Go(next);
        }
        match self.take_binary(&bytes) {
            Ok(()) => Step::Go(next),
            Err(rest) => {
                let rest = build::binary(&mut process.heap, &rest);
                let tail = next.to_term(process);
                Step::Fail(build::cons(&mut process.heap, rest, tail))
            }
        }
    }

    /// A binary that is a whole list level (the data itself, or a list's
    /// improper tail).
    fn binary_level(&mut self, bytes: Vec<u8>, process: &mut Process) -> Step {
        if let Some(cut) = self.cut.take() {
            if bytes.len() >= cut.missing {
                return Step::Go(Cursor {
                    made: VecDeque::from([cut.bytes, bytes]),
                    list: Term::NIL,
                });
            }
            let mut bytes_so_far = cut.bytes;
            bytes_so_far.extend_from_slice(&bytes);
            self.cut = Some(Cut {
                bytes: bytes_so_far,
                missing: cut.missing - bytes.len(),
            });
            return Step::ListDone;
        }
        if bytes.len() > PIECE {
            return Step::Go(Cursor {
                made: VecDeque::from([bytes[..PIECE].to_vec(), bytes[PIECE..].to_vec()]),
                list: Term::NIL,
            });
        }
        match self.take_binary(&bytes) {
            Ok(()) => Step::ListDone,
            Err(rest) => Step::Fail(build::binary(&mut process.heap, &rest)),
        }
    }

    /// One step at `cursor`; `Err` where the Erlang code fails.
    fn step(&mut self, mut cursor: Cursor, process: &mut Process) -> Result<Step, ()> {
        if let Some(bytes) = cursor.made.pop_front() {
            return Ok(self.binary_element(bytes, cursor, process));
        }
        let list = cursor.list;
        match list.view() {
            View::Nil => Ok(Step::ListDone),
            View::Cons(head, tail) => {
                let next = Cursor::of(tail);
                match head.view() {
                    View::Small(_) | View::Big { .. } => {
                        if let Some(cut) = &self.cut {
                            let cut = build::binary(&mut process.heap, &cut.bytes);
                            return Ok(Step::Fail(build::cons(&mut process.heap, cut, list)));
                        }
                        let c = head
                            .as_small()
                            .and_then(|v| u32::try_from(v).ok())
                            .and_then(char::from_u32);
                        Ok(match c {
                            Some(c) => {
                                push_utf8(&mut self.out, c);
                                Step::Go(next)
                            }
                            None => {
                                let heap = &mut process.heap;
                                let alone = build::list(heap, &[head]);
                                Step::Fail(build::cons(heap, alone, tail))
                            }
                        })
                    }
                    View::Nil | View::Cons(..) => {
                        self.outer.push(next);
                        Ok(Step::Go(Cursor::of(head)))
                    }
                    View::Bitstring(bits) if bits.trailing_bits() == 0 => {
                        let bytes = (0..bits.byte_len()).map(|i| bits.byte(i)).collect();
                        Ok(self.binary_element(bytes, next, process))
                    }
                    _ => Err(()),
                }
            }
            View::Bitstring(bits) if bits.trailing_bits() == 0 => {
                let bytes = (0..bits.byte_len()).map(|i| bits.byte(i)).collect();
                Ok(self.binary_level(bytes, process))
            }
            _ => Err(()),
        }
    }
}

/// Converts UTF-16 or UTF-32 character data to UTF-8, or `None` where the
/// Erlang code raises (`badarg`).
pub(super) fn to_utf8(process: &mut Process, data: Term, wide: Wide) -> Option<Walked> {
    let mut walk = Walk {
        wide,
        out: Vec::new(),
        cut: None,
        outer: Vec::new(),
    };
    let mut cursor = Cursor::of(data);
    loop {
        match walk.step(cursor, process).ok()? {
            Step::Go(next) => cursor = next,
            Step::ListDone => match walk.outer.pop() {
                Some(next) => cursor = next,
                None => break,
            },
            Step::Fail(mut rest) => {
                while let Some(outer) = walk.outer.pop() {
                    let tail = outer.to_term(process);
                    rest = build::cons(&mut process.heap, rest, tail);
                }
                return Some(Walked::Error(walk.out, rest));
            }
        }
    }
    Some(match walk.cut {
        Some(cut) => Walked::Incomplete(walk.out, cut.bytes),
        None => Walked::Done(walk.out),
    })
}
