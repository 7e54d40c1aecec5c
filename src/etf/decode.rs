//! Bytes → terms, with the checks OTP 25's `binary_to_term` makes.
//!
//! Compound terms are decoded with two explicit stacks instead of recursion:
//! `values` holds finished terms, `frames` the tuples, lists, maps and funs
//! whose elements are still being read. Every value and every frame consumes
//! at least one input byte, so both stacks are bounded by the input size, and
//! claimed lengths are checked against the bytes left before anything is
//! read for them.

use flate2::{Decompress, FlushDecompress, Status};

use super::tag;
use super::{DecodeError, DecodeOptions};
use crate::code::{self, FunEntry};
use crate::heap::TermAlloc;
use crate::term::atom::{AtomError, MAX_ATOM_CHARS};
use crate::term::{build, map, Atom, Term};

/// Largest bignum magnitude `binary_to_term` accepts, in bytes
/// (OTP 25: `BIG_ARITY_MAX` = 2^19 - 1 words of 8 bytes).
const BIG_BYTES_MAX: usize = ((1 << 19) - 1) * 8;
/// Most free variables a fun can have (`MAX_ARG`).
const FUN_FREE_MAX: u32 = 255;
/// Most 32-bit words in a reference.
const REF_WORDS_MAX: usize = 5;
/// Words of a reference made by this node.
const LOCAL_REF_WORDS: usize = 3;
/// Largest first word of a local reference, and of any REFERENCE_EXT or
/// NEW_REFERENCE_EXT (18 bits).
const REF_WORD0_MAX: u32 = (1 << 18) - 1;
/// Limits of pids and ports of this node (OTP 25's internal layouts).
const LOCAL_PID_NUMBER_MAX: u32 = (1 << 15) - 1;
const LOCAL_PID_SERIAL_MAX: u32 = (1 << 13) - 1;
const LOCAL_PORT_NUMBER_MAX: u64 = (1 << 28) - 1;
/// PID_EXT, PORT_EXT and the old references carry a 2-bit creation.
const TINY_CREATION_MAX: u8 = 3;
/// Longest UTF-8 atom text in bytes (255 characters of up to 4 bytes).
const ATOM_UTF8_BYTES_MAX: usize = 4 * MAX_ATOM_CHARS;

/// Decodes `bytes` (version byte first); returns the term and the bytes used.
pub(super) fn decode_external(
    bytes: &[u8],
    heap: &mut impl TermAlloc,
    options: DecodeOptions,
) -> Result<(Term, usize), DecodeError> {
    if bytes.first() != Some(&tag::VERSION) {
        return Err(DecodeError {
            offset: 0,
            reason: "not an external term (no version byte 131)",
        });
    }
    if bytes.get(1) == Some(&tag::COMPRESSED) {
        let mut header = Reader {
            bytes,
            pos: 2,
            base: 0,
        };
        let size = header.u32()? as usize;
        let (data, compressed_len) = inflate(&bytes[6..], size)?;
        // The inflated bytes stand where they would follow the version byte.
        let mut decoder = Decoder {
            r: Reader {
                bytes: &data,
                pos: 0,
                base: 1,
            },
            heap,
            safe: options.safe,
        };
        let term = decoder.term()?;
        Ok((term, 6 + compressed_len))
    } else {
        let mut decoder = Decoder {
            r: Reader {
                bytes,
                pos: 1,
                base: 0,
            },
            heap,
            safe: options.safe,
        };
        let term = decoder.term()?;
        Ok((term, decoder.r.pos))
    }
}

/// Inflates a zlib stream that must expand to exactly `size` bytes; returns
/// the data and the number of compressed bytes the stream used. Memory grows
/// with the output actually produced and never past `size` (plus one byte to
/// notice a stream that is too long).
fn inflate(input: &[u8], size: usize) -> Result<(Vec<u8>, usize), DecodeError> {
    const AT: usize = 6;
    let fail = |reason| DecodeError { offset: AT, reason };
    let limit = size.saturating_add(1);
    let mut z = Decompress::new(true);
    let mut out: Vec<u8> = Vec::new();
    loop {
        if out.len() == out.capacity() {
            if out.capacity() >= limit {
                return Err(fail("compressed data longer than its declared size"));
            }
            let grow = out.capacity().max(4096).min(limit - out.capacity());
            out.reserve_exact(grow);
        }
        let (in_before, out_before) = (z.total_in(), z.total_out());
        let rest = input.get(in_before as usize..).unwrap_or(&[]);
        let status = z
            .decompress_vec(rest, &mut out, FlushDecompress::None)
            .map_err(|_| fail("corrupt compressed data"))?;
        if status == Status::StreamEnd {
            break;
        }
        if z.total_in() == in_before && z.total_out() == out_before {
            return Err(fail("truncated compressed data"));
        }
    }
    if out.len() != size {
        return Err(fail("compressed data size differs from its declared size"));
    }
    Ok((out, z.total_in() as usize))
}

/// A cursor over the input that reports errors at absolute offsets.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Added to positions in `bytes` to give offsets in the caller's input.
    base: usize,
}

impl<'a> Reader<'a> {
    fn error(&self, at: usize, reason: &'static str) -> DecodeError {
        DecodeError {
            offset: self.base + at,
            reason,
        }
    }

    fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// Fails unless `n` more bytes are available (checked before trusting a
    /// length field).
    fn need(&self, n: usize) -> Result<(), DecodeError> {
        if n <= self.remaining() {
            Ok(())
        } else {
            Err(self.error(self.pos, "unexpected end of data"))
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        self.need(n)?;
        let slice = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Result<u16, DecodeError> {
        self.array().map(u16::from_be_bytes)
    }

    fn u32(&mut self) -> Result<u32, DecodeError> {
        self.array().map(u32::from_be_bytes)
    }

    fn u64(&mut self) -> Result<u64, DecodeError> {
        self.array().map(u64::from_be_bytes)
    }
}

/// A compound term whose elements are being decoded.
struct Frame {
    /// Index in `values` of its first element.
    start: usize,
    /// Number of elements it takes from `values`.
    elements: usize,
    kind: FrameKind,
}

enum FrameKind {
    Tuple,
    /// `len` cons cells; the last element is the tail.
    List {
        len: usize,
    },
    /// Keys and values alternate; `at` is the offset of the MAP_EXT tag.
    Map {
        at: usize,
    },
    Fun {
        entry: &'static FunEntry,
        creator: Term,
    },
}

/// What reading one tag produced.
enum Step {
    Value(Term),
    Open(Frame),
}

struct Decoder<'a, 'h, H: TermAlloc> {
    r: Reader<'a>,
    heap: &'h mut H,
    safe: bool,
}

impl<H: TermAlloc> Decoder<'_, '_, H> {
    fn error(&self, at: usize, reason: &'static str) -> DecodeError {
        self.r.error(at, reason)
    }

    /// Decodes one whole term.
    fn term(&mut self) -> Result<Term, DecodeError> {
        let mut values: Vec<Term> = Vec::new();
        let mut frames: Vec<Frame> = Vec::new();
        loop {
            match self.step(values.len())? {
                Step::Value(term) => values.push(term),
                Step::Open(frame) => frames.push(frame),
            }
            while let Some(top) = frames.last() {
                if values.len() - top.start < top.elements {
                    break;
                }
                let frame = frames.pop().expect("the stack has a top frame");
                let term = self.close(&frame, &values[frame.start..])?;
                values.truncate(frame.start);
                values.push(term);
            }
            if frames.is_empty() {
                return Ok(values.pop().expect("a finished term is on the stack"));
            }
        }
    }

    /// Builds a compound term from its decoded elements.
    fn close(&mut self, frame: &Frame, elements: &[Term]) -> Result<Term, DecodeError> {
        Ok(match frame.kind {
            FrameKind::Tuple => build::tuple(self.heap, elements),
            FrameKind::List { len } => {
                build::list_with_tail(self.heap, &elements[..len], elements[len])
            }
            FrameKind::Map { at } => {
                let pairs: Vec<(Term, Term)> = elements.chunks(2).map(|p| (p[0], p[1])).collect();
                let (map, duplicates) = map::from_pairs(self.heap, &pairs);
                if duplicates {
                    return Err(self.error(at, "duplicate map key"));
                }
                map
            }
            FrameKind::Fun { entry, creator } => {
                build::closure(self.heap, entry, creator, elements)
            }
        })
    }

    /// Reads one tag: a whole term when it has no sub-terms, otherwise the
    /// frame that collects them (`start` is where they will begin in `values`).
    fn step(&mut self, start: usize) -> Result<Step, DecodeError> {
        let at = self.r.pos;
        let tag = self.r.u8()?;
        let open = |elements, kind| {
            Ok(Step::Open(Frame {
                start,
                elements,
                kind,
            }))
        };
        let term = match tag {
            tag::SMALL_INTEGER_EXT | tag::INTEGER_EXT | tag::SMALL_BIG_EXT | tag::LARGE_BIG_EXT => {
                self.integer(tag, at)?
            }
            tag::NEW_FLOAT_EXT => {
                let value = f64::from_bits(self.r.u64()?);
                if !value.is_finite() {
                    return Err(self.error(at, "float is not finite"));
                }
                build::float(self.heap, value)
            }
            tag::FLOAT_EXT => {
                let text = self.r.take(31)?;
                let value =
                    parse_float_text(text).ok_or_else(|| self.error(at, "bad float text"))?;
                build::float(self.heap, value)
            }
            tag::ATOM_EXT | tag::SMALL_ATOM_EXT | tag::ATOM_UTF8_EXT | tag::SMALL_ATOM_UTF8_EXT => {
                Term::atom(self.atom_body(at, tag)?)
            }
            tag::NIL_EXT => Term::NIL,
            tag::SMALL_TUPLE_EXT | tag::LARGE_TUPLE_EXT => {
                let arity = if tag == tag::SMALL_TUPLE_EXT {
                    self.r.u8()?.into()
                } else {
                    self.r.u32()? as usize
                };
                self.r.need(arity)?;
                return open(arity, FrameKind::Tuple);
            }
            tag::LIST_EXT => {
                let len = self.r.u32()? as usize;
                // Each element and the tail take at least one byte.
                self.r.need(len + 1)?;
                return open(len + 1, FrameKind::List { len });
            }
            tag::STRING_EXT => {
                let len = self.r.u16()?.into();
                let bytes = self.r.take(len)?;
                let chars: Vec<Term> = bytes.iter().map(|&b| Term::small(b.into())).collect();
                build::list(self.heap, &chars)
            }
            tag::MAP_EXT => {
                let pairs = self.r.u32()? as usize;
                self.r.need(2 * pairs)?;
                return open(2 * pairs, FrameKind::Map { at });
            }
            tag::BINARY_EXT => {
                let len = self.r.u32()? as usize;
                let bytes = self.r.take(len)?;
                build::binary(self.heap, bytes)
            }
            tag::BIT_BINARY_EXT => {
                let len = self.r.u32()? as usize;
                let bits = self.r.u8()?;
                if (bits == 0) != (len == 0) || bits > 8 {
                    return Err(self.error(at, "bad bit count in BIT_BINARY_EXT"));
                }
                let bytes = self.r.take(len)?;
                // Only `bits` bits of the last byte belong to the bitstring.
                let bit_len = (len as u64 * 8 + u64::from(bits)).saturating_sub(8);
                build::bitstring(self.heap, bytes, bit_len)
            }
            tag::PID_EXT | tag::NEW_PID_EXT => self.pid(at, tag)?,
            tag::PORT_EXT | tag::NEW_PORT_EXT | tag::V4_PORT_EXT => self.port(at, tag)?,
            tag::REFERENCE_EXT | tag::NEW_REFERENCE_EXT | tag::NEWER_REFERENCE_EXT => {
                self.reference(at, tag)?
            }
            tag::EXPORT_EXT => self.export(at)?,
            tag::NEW_FUN_EXT => {
                let (entry, creator, free) = self.fun_head(at)?;
                return open(free, FrameKind::Fun { entry, creator });
            }
            tag::FUN_EXT => return Err(self.error(at, "FUN_EXT is not accepted since OTP 23")),
            _ => return Err(self.error(at, "unknown tag")),
        };
        Ok(Step::Value(term))
    }

    /// The sign byte and `len` little-endian magnitude bytes of a bignum.
    fn bignum(&mut self, len: usize) -> Result<Term, DecodeError> {
        let negative = self.r.u8()? != 0;
        let digits = self.r.take(len)?;
        let limbs: Vec<u64> = digits
            .chunks(8)
            .map(|chunk| {
                chunk
                    .iter()
                    .rev()
                    .fold(0, |acc, &b| acc << 8 | u64::from(b))
            })
            .collect();
        Ok(build::big_from_limbs(self.heap, negative, &limbs))
    }

    /// An atom term (any of the four atom tags), as node names and fun and
    /// export modules must be.
    fn atom(&mut self) -> Result<Atom, DecodeError> {
        let at = self.r.pos;
        match self.r.u8()? {
            tag @ (tag::ATOM_EXT
            | tag::SMALL_ATOM_EXT
            | tag::ATOM_UTF8_EXT
            | tag::SMALL_ATOM_UTF8_EXT) => self.atom_body(at, tag),
            _ => Err(self.error(at, "expected an atom")),
        }
    }

    /// The length and text of an atom whose tag (at `at`) has been read.
    fn atom_body(&mut self, at: usize, tag: u8) -> Result<Atom, DecodeError> {
        let len = match tag {
            tag::ATOM_EXT | tag::ATOM_UTF8_EXT => self.r.u16()?.into(),
            _ => self.r.u8()?.into(),
        };
        let utf8 = matches!(tag, tag::ATOM_UTF8_EXT | tag::SMALL_ATOM_UTF8_EXT);
        let limit = if utf8 {
            ATOM_UTF8_BYTES_MAX
        } else {
            MAX_ATOM_CHARS
        };
        if len > limit {
            return Err(self.error(at, "atom too long"));
        }
        let bytes = self.r.take(len)?;
        let latin1: String;
        let text = match std::str::from_utf8(bytes) {
            Ok(text) if utf8 || bytes.is_ascii() => text,
            Err(_) if utf8 => return Err(self.error(at, "atom text is not valid UTF-8")),
            _ => {
                latin1 = bytes.iter().map(|&b| char::from(b)).collect();
                &latin1
            }
        };
        if utf8 && text.chars().count() > MAX_ATOM_CHARS {
            return Err(self.error(at, "atom too long"));
        }
        if self.safe {
            return Atom::existing(text).ok_or_else(|| self.error(at, "atom does not exist"));
        }
        Atom::intern(text).map_err(|e| match e {
            AtomError::TooLong => self.error(at, "atom too long"),
            AtomError::TableFull => self.error(at, "atom table full"),
        })
    }

    /// An integer term that must be a small integer (arities and the old
    /// index and uniq of funs).
    fn small_integer(&mut self) -> Result<i64, DecodeError> {
        let at = self.r.pos;
        let tag = self.r.u8()?;
        let term = match tag {
            tag::SMALL_INTEGER_EXT | tag::INTEGER_EXT | tag::SMALL_BIG_EXT | tag::LARGE_BIG_EXT => {
                self.integer(tag, at)?
            }
            _ => return Err(self.error(at, "expected an integer")),
        };
        term.as_small()
            .ok_or_else(|| self.error(at, "integer out of range"))
    }

    /// The body of an integer of one of the four integer tags (read at `at`).
    fn integer(&mut self, tag: u8, at: usize) -> Result<Term, DecodeError> {
        Ok(match tag {
            tag::SMALL_INTEGER_EXT => Term::small(self.r.u8()?.into()),
            tag::INTEGER_EXT => Term::small((self.r.u32()? as i32).into()),
            tag::SMALL_BIG_EXT => {
                let len = self.r.u8()?.into();
                self.bignum(len)?
            }
            _ => {
                let len = self.r.u32()? as usize;
                if len > BIG_BYTES_MAX {
                    return Err(self.error(at, "bignum too large"));
                }
                self.bignum(len)?
            }
        })
    }

    fn tiny_creation(&mut self) -> Result<u32, DecodeError> {
        let at = self.r.pos;
        let creation = self.r.u8()?;
        if creation > TINY_CREATION_MAX {
            return Err(self.error(at, "creation out of range"));
        }
        Ok(creation.into())
    }

    /// PID_EXT or NEW_PID_EXT (the tag, at `at`, has been read).
    fn pid(&mut self, at: usize, tag: u8) -> Result<Term, DecodeError> {
        let node = self.atom()?;
        let number = self.r.u32()?;
        let serial = self.r.u32()?;
        let creation = if tag == tag::PID_EXT {
            self.tiny_creation()?
        } else {
            self.r.u32()?
        };
        if build::is_this_node(node, creation)
            && (number > LOCAL_PID_NUMBER_MAX || serial > LOCAL_PID_SERIAL_MAX)
        {
            return Err(self.error(at, "local pid out of range"));
        }
        Ok(build::pid(self.heap, node, number, serial, creation))
    }

    /// PORT_EXT, NEW_PORT_EXT or V4_PORT_EXT.
    fn port(&mut self, at: usize, tag: u8) -> Result<Term, DecodeError> {
        let node = self.atom()?;
        let number = if tag == tag::V4_PORT_EXT {
            self.r.u64()?
        } else {
            self.r.u32()?.into()
        };
        let creation = if tag == tag::PORT_EXT {
            self.tiny_creation()?
        } else {
            self.r.u32()?
        };
        if build::is_this_node(node, creation) && number > LOCAL_PORT_NUMBER_MAX {
            return Err(self.error(at, "local port out of range"));
        }
        Ok(build::port(self.heap, node, number, creation))
    }

    /// REFERENCE_EXT, NEW_REFERENCE_EXT or NEWER_REFERENCE_EXT.
    fn reference(&mut self, at: usize, tag: u8) -> Result<Term, DecodeError> {
        let (node, creation, mut ids) = if tag == tag::REFERENCE_EXT {
            let node = self.atom()?;
            let id = self.r.u32()?;
            (node, self.tiny_creation()?, vec![id])
        } else {
            let len = usize::from(self.r.u16()?);
            if len > REF_WORDS_MAX {
                return Err(self.error(at, "too many reference words"));
            }
            let node = self.atom()?;
            let creation = if tag == tag::NEW_REFERENCE_EXT {
                self.tiny_creation()?
            } else {
                self.r.u32()?
            };
            let ids = (0..len)
                .map(|_| self.r.u32())
                .collect::<Result<Vec<u32>, _>>()?;
            (node, creation, ids)
        };
        let first_checked = tag != tag::NEWER_REFERENCE_EXT;
        let local = build::is_this_node(node, creation);
        if (first_checked || local) && ids.first().is_some_and(|&id| id > REF_WORD0_MAX) {
            return Err(self.error(at, "reference word out of range"));
        }
        if local {
            if ids.is_empty() || ids.len() > LOCAL_REF_WORDS {
                return Err(self.error(at, "bad local reference length"));
            }
            ids.resize(LOCAL_REF_WORDS, 0);
        }
        Ok(build::reference(self.heap, node, creation, &ids))
    }

    /// EXPORT_EXT: module, function and arity.
    fn export(&mut self, at: usize) -> Result<Term, DecodeError> {
        let module = self.atom()?;
        let function = self.atom()?;
        let arity =
            u32::try_from(self.small_integer()?).map_err(|_| self.error(at, "bad export arity"))?;
        let export = if self.safe {
            code::find_export(module, function, arity)
                .ok_or_else(|| self.error(at, "export does not exist"))?
        } else {
            code::export_entry(module, function, arity)
        };
        Ok(build::export_fun(self.heap, export))
    }

    /// The fields of NEW_FUN_EXT before its free variables: the fun entry,
    /// the creator pid and the number of free variables.
    fn fun_head(&mut self, at: usize) -> Result<(&'static FunEntry, Term, usize), DecodeError> {
        let _size = self.r.u32()?; // not checked, as in OTP 25
        let arity = self.r.u8()?;
        let uniq: [u8; 16] = self.r.array()?;
        let index = self.r.u32()?;
        let free = self.r.u32()?;
        if free > FUN_FREE_MAX {
            return Err(self.error(at, "too many free variables"));
        }
        let module = self.atom()?;
        // OTP 25 keeps the old index and uniq as 32-bit fields.
        let old_index = self.small_integer()? as u32;
        let old_uniq = self.small_integer()? as u32;
        let pid_at = self.r.pos;
        let creator = match self.r.u8()? {
            tag @ (tag::PID_EXT | tag::NEW_PID_EXT) => self.pid(pid_at, tag)?,
            _ => return Err(self.error(pid_at, "fun creator is not a pid")),
        };
        let free = free as usize;
        self.r.need(free)?;
        let entry = code::fun_entry(module, index, uniq, old_index, old_uniq, arity.into());
        Ok((entry, creator, free))
    }
}

/// The value of a FLOAT_EXT field: the text before the first NUL must be
/// `[+-]digits(.|,)digits[(e|E)[+-]digits]` and a finite double (underflow
/// gives zero), as OTP's `sys_chars_to_double` requires.
fn parse_float_text(field: &[u8]) -> Option<f64> {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    let text = &field[..end];
    let digits_at = |i: usize| {
        text[i.min(text.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut i = usize::from(matches!(text.first(), Some(b'+' | b'-')));
    let n = digits_at(i);
    if n == 0 {
        return None;
    }
    i += n;
    if !matches!(text.get(i), Some(b'.' | b',')) {
        return None;
    }
    i += 1;
    let n = digits_at(i);
    if n == 0 {
        return None;
    }
    i += n;
    if matches!(text.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(text.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let n = digits_at(i);
        if n == 0 {
            return None;
        }
        i += n;
    }
    if i != text.len() {
        return None;
    }
    let normalised: String = text
        .iter()
        .map(|&b| if b == b',' { '.' } else { char::from(b) })
        .collect();
    let value: f64 = normalised.parse().ok()?;
    value.is_finite().then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> [u8; 31] {
        let mut field = [0u8; 31];
        field[..s.len()].copy_from_slice(s.as_bytes());
        field
    }

    // Accepted and rejected FLOAT_EXT texts, each checked with
    // binary_to_term(<<131,99,Text/binary, 0:((31-byte_size(Text))*8)>>).
    #[test]
    fn float_text_follows_sys_chars_to_double() {
        assert_eq!(parse_float_text(&text("1.5")), Some(1.5));
        assert_eq!(parse_float_text(&text("1,5")), Some(1.5));
        assert_eq!(parse_float_text(&text("+1.5")), Some(1.5));
        assert_eq!(parse_float_text(&text("1.5E+3")), Some(1.5e3));
        assert_eq!(parse_float_text(&text("1.5e-400")), Some(0.0));
        assert_eq!(parse_float_text(&text("-1.5e-310")), Some(-1.5e-310));
        let mut field = text("1.5");
        field[4..7].copy_from_slice(b"abc"); // bytes after the NUL are ignored
        assert_eq!(parse_float_text(&field), Some(1.5));
        for bad in [
            "1", "1.e5", ".5", " 1.5", "1.5x", "1.5e", "1.5e400", "inf", "nan", "",
        ] {
            assert_eq!(parse_float_text(&text(bad)), None, "{bad}");
        }
        assert_eq!(parse_float_text(&[b'1'; 31]), None);
    }
}
