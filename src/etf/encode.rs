//! Terms → bytes, exactly as OTP 25's `term_to_binary/2` writes them.
//!
//! The walk keeps its pending work on an explicit stack, so deeply nested
//! terms need no native stack; list spines are followed cell by cell.

use std::io::Write;

use flate2::write::ZlibEncoder;
use flate2::Compression;

use super::tag;
use super::EncodeOptions;
use crate::term::{atoms, Atom, Bitstring, RefId, Term, View};

/// Longest list written as STRING_EXT.
const STRING_MAX: usize = 0xFFFF;
/// Ports with larger numbers need V4_PORT_EXT.
const NEW_PORT_NUMBER_MAX: u64 = (1 << 28) - 1;

/// The external format of `term`, version byte first.
pub(super) fn encode_external(term: Term, options: EncodeOptions) -> Vec<u8> {
    let mut encoder = Encoder {
        out: vec![tag::VERSION],
        utf8_atoms: options.minor_version >= 2,
        new_floats: options.minor_version >= 1,
    };
    encoder.encode(term);
    match options.compressed {
        Some(level) if level > 0 => compress(encoder.out, level.min(9)),
        _ => encoder.out,
    }
}

/// The compressed form (`131, 80, Size:32, zlib data`) when it is not longer
/// than `plain`, else `plain`, as `term_to_binary` decides. With the system
/// zlib and its default window and memory settings the zlib data is
/// byte-identical to erl's.
fn compress(plain: Vec<u8>, level: u32) -> Vec<u8> {
    let raw = &plain[1..];
    let Ok(size) = u32::try_from(raw.len()) else {
        return plain;
    };
    let mut zlib = ZlibEncoder::new(Vec::new(), Compression::new(level));
    let Ok(data) = zlib.write_all(raw).and_then(|()| zlib.finish()) else {
        return plain; // erl also falls back to the plain form on a zlib error
    };
    if data.len() + 5 > raw.len() {
        return plain;
    }
    let mut out = Vec::with_capacity(6 + data.len());
    out.extend_from_slice(&[tag::VERSION, tag::COMPRESSED]);
    out.extend_from_slice(&size.to_be_bytes());
    out.extend_from_slice(&data);
    out
}

/// Work still to do, innermost last.
enum Work<'a> {
    Term(Term),
    /// The rest of a LIST_EXT spine: its cells' heads, then its tail.
    Cells(Term),
    /// Tuple elements or fun free variables.
    Elements(&'a [Term]),
    /// Map pairs in external order.
    Pairs(std::vec::IntoIter<(Term, Term)>),
    /// Write the size of the NEW_FUN_EXT whose tag is at this offset.
    FunSize(usize),
}

struct Encoder {
    out: Vec<u8>,
    /// minor_version 2: every atom in UTF-8.
    utf8_atoms: bool,
    /// minor_version 1 and 2: NEW_FLOAT_EXT instead of FLOAT_EXT text.
    new_floats: bool,
}

impl Encoder {
    fn encode(&mut self, term: Term) {
        let mut stack = vec![Work::Term(term)];
        while let Some(work) = stack.pop() {
            match work {
                Work::Term(term) => self.term(term, &mut stack),
                Work::Cells(list) => match list.as_cons() {
                    Some((head, tail)) => {
                        stack.push(Work::Cells(tail));
                        stack.push(Work::Term(head));
                    }
                    None => stack.push(Work::Term(list)),
                },
                Work::Elements(elements) => {
                    if let Some((first, rest)) = elements.split_first() {
                        if !rest.is_empty() {
                            stack.push(Work::Elements(rest));
                        }
                        stack.push(Work::Term(*first));
                    }
                }
                Work::Pairs(mut pairs) => {
                    if let Some((key, value)) = pairs.next() {
                        stack.push(Work::Pairs(pairs));
                        stack.push(Work::Term(value));
                        stack.push(Work::Term(key));
                    }
                }
                Work::FunSize(at) => {
                    let size = (self.out.len() - at - 1) as u32;
                    self.out[at + 1..at + 5].copy_from_slice(&size.to_be_bytes());
                }
            }
        }
    }

    /// Writes the head of `term`, pushing the work for its sub-terms.
    fn term<'a>(&mut self, term: Term, stack: &mut Vec<Work<'a>>) {
        match term.view::<'a>() {
            View::Small(value) => self.integer(value),
            View::Big { negative, limbs } => self.bignum(negative, limbs),
            View::Float(value) => self.float(value),
            View::Atom(atom) => self.atom(atom),
            View::Nil => self.out.push(tag::NIL_EXT),
            View::Pid(pid) => self.pid(atoms::NONODE, pid.number, pid.serial, 0),
            View::ExternalPid {
                node,
                number,
                serial,
                creation,
            } => self.pid(node, number, serial, creation),
            View::Port(number) => self.port(atoms::NONODE, number, 0),
            View::ExternalPort {
                node,
                number,
                creation,
            } => self.port(node, number, creation),
            View::Ref(id) => self.reference(&id),
            View::Cons(..) => self.list(term, stack),
            View::Tuple(elements) => {
                match u8::try_from(elements.len()) {
                    Ok(arity) => self.out.extend_from_slice(&[tag::SMALL_TUPLE_EXT, arity]),
                    Err(_) => {
                        self.out.push(tag::LARGE_TUPLE_EXT);
                        self.u32(elements.len() as u32);
                    }
                }
                stack.push(Work::Elements(elements));
            }
            View::Bitstring(bits) => self.bitstring(&bits),
            View::Map(map) => {
                let pairs = map.external_order();
                self.out.push(tag::MAP_EXT);
                self.u32(pairs.len() as u32);
                stack.push(Work::Pairs(pairs.into_iter()));
            }
            View::Fun(fun) => {
                let entry = fun.entry;
                let at = self.out.len();
                self.out.push(tag::NEW_FUN_EXT);
                self.u32(0); // size, written when the free variables are done
                self.out.push(entry.arity as u8);
                self.out.extend_from_slice(&entry.uniq);
                self.u32(entry.index);
                self.u32(fun.free.len() as u32);
                self.atom(entry.module);
                // OTP 25 keeps these as signed 32-bit numbers.
                self.integer(i64::from(entry.old_index as i32));
                self.integer(i64::from(entry.old_uniq as i32));
                stack.push(Work::FunSize(at));
                stack.push(Work::Elements(fun.free));
                stack.push(Work::Term(fun.creator));
            }
            View::Export(export) => {
                self.out.push(tag::EXPORT_EXT);
                self.atom(export.module);
                self.atom(export.function);
                self.integer(export.arity.into());
            }
            View::Catch(_) | View::MatchContext => {
                unreachable!("catch tags and match contexts are not terms")
            }
        }
    }

    fn u32(&mut self, value: u32) {
        self.out.extend_from_slice(&value.to_be_bytes());
    }

    fn integer(&mut self, value: i64) {
        if let Ok(byte) = u8::try_from(value) {
            self.out.extend_from_slice(&[tag::SMALL_INTEGER_EXT, byte]);
        } else if let Ok(word) = i32::try_from(value) {
            self.out.push(tag::INTEGER_EXT);
            self.out.extend_from_slice(&word.to_be_bytes());
        } else {
            self.bignum(value < 0, &[value.unsigned_abs()]);
        }
    }

    /// SMALL_BIG_EXT or LARGE_BIG_EXT with the fewest magnitude bytes.
    fn bignum(&mut self, negative: bool, limbs: &[u64]) {
        let mut digits: Vec<u8> = limbs.iter().flat_map(|l| l.to_le_bytes()).collect();
        let len = digits.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
        digits.truncate(len);
        match u8::try_from(len) {
            Ok(n) => self.out.extend_from_slice(&[tag::SMALL_BIG_EXT, n]),
            Err(_) => {
                self.out.push(tag::LARGE_BIG_EXT);
                self.u32(len as u32);
            }
        }
        self.out.push(u8::from(negative));
        self.out.extend_from_slice(&digits);
    }

    fn float(&mut self, value: f64) {
        if self.new_floats {
            self.out.push(tag::NEW_FLOAT_EXT);
            self.out.extend_from_slice(&value.to_bits().to_be_bytes());
        } else {
            self.out.push(tag::FLOAT_EXT);
            let mut text = printf_exp20(value).into_bytes();
            text.resize(31, 0);
            self.out.extend_from_slice(&text);
        }
    }

    /// ATOM_EXT (Latin-1) when the text allows and UTF-8 atoms are not asked
    /// for, else SMALL_ATOM_UTF8_EXT or ATOM_UTF8_EXT.
    fn atom(&mut self, atom: Atom) {
        let name = atom.name();
        if !self.utf8_atoms && name.chars().all(|c| u32::from(c) <= 0xFF) {
            let latin1: Vec<u8> = name.chars().map(|c| c as u8).collect();
            self.out.push(tag::ATOM_EXT);
            self.out
                .extend_from_slice(&(latin1.len() as u16).to_be_bytes());
            self.out.extend_from_slice(&latin1);
        } else {
            let bytes = name.as_bytes();
            match u8::try_from(bytes.len()) {
                Ok(len) => self.out.extend_from_slice(&[tag::SMALL_ATOM_UTF8_EXT, len]),
                Err(_) => {
                    self.out.push(tag::ATOM_UTF8_EXT);
                    self.out
                        .extend_from_slice(&(bytes.len() as u16).to_be_bytes());
                }
            }
            self.out.extend_from_slice(bytes);
        }
    }

    fn pid(&mut self, node: Atom, number: u32, serial: u32, creation: u32) {
        self.out.push(tag::NEW_PID_EXT);
        self.atom(node);
        self.u32(number);
        self.u32(serial);
        self.u32(creation);
    }

    fn port(&mut self, node: Atom, number: u64, creation: u32) {
        if number <= NEW_PORT_NUMBER_MAX {
            self.out.push(tag::NEW_PORT_EXT);
            self.atom(node);
            self.u32(number as u32);
        } else {
            self.out.push(tag::V4_PORT_EXT);
            self.atom(node);
            self.out.extend_from_slice(&number.to_be_bytes());
        }
        self.u32(creation);
    }

    fn reference(&mut self, id: &RefId) {
        self.out.push(tag::NEWER_REFERENCE_EXT);
        self.out
            .extend_from_slice(&(id.id_count() as u16).to_be_bytes());
        self.atom(id.node);
        self.u32(id.creation);
        for word in id.ids() {
            self.u32(word);
        }
    }

    /// STRING_EXT for a proper list of at most 65535 bytes, else LIST_EXT
    /// with the number of cons cells, the elements and the tail.
    fn list<'a>(&mut self, list: Term, stack: &mut Vec<Work<'a>>) {
        let mut cells = 0usize;
        let mut bytes_only = true;
        let mut rest = list.list_iter();
        for head in rest.by_ref() {
            cells += 1;
            bytes_only &= cells <= STRING_MAX && matches!(head.as_small(), Some(0..=255));
        }
        if bytes_only && rest.rest().is_nil() {
            self.out.push(tag::STRING_EXT);
            self.out.extend_from_slice(&(cells as u16).to_be_bytes());
            self.out
                .extend(list.list_iter().map(|b| b.small_value() as u8));
        } else {
            self.out.push(tag::LIST_EXT);
            self.u32(cells as u32);
            stack.push(Work::Cells(list));
        }
    }

    /// BINARY_EXT, or BIT_BINARY_EXT with the bits of the last byte.
    fn bitstring(&mut self, bits: &Bitstring) {
        let trailing = bits.trailing_bits();
        let padded;
        let bytes = match bits.as_bytes() {
            Some(bytes) => bytes,
            None => {
                padded = bits.to_padded_vec();
                &padded
            }
        };
        if trailing == 0 {
            self.out.push(tag::BINARY_EXT);
            self.u32(bytes.len() as u32);
        } else {
            self.out.push(tag::BIT_BINARY_EXT);
            self.u32(bytes.len() as u32);
            self.out.push(trailing);
        }
        self.out.extend_from_slice(bytes);
    }
}

/// C's `printf("%.20e", value)`: 21 significant digits and an exponent of
/// at least two digits with its sign (`1.50000000000000000000e+00`).
fn printf_exp20(value: f64) -> String {
    let rust = format!("{value:.20e}");
    let (mantissa, exponent) = rust.split_at(rust.find('e').unwrap_or(rust.len()));
    let exponent: i32 = exponent.get(1..).and_then(|e| e.parse().ok()).unwrap_or(0);
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.unsigned_abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    // The strings are float_to_list(F), which is printf("%.20e").
    #[test]
    fn exp20_matches_printf() {
        assert_eq!(printf_exp20(1.5), "1.50000000000000000000e+00");
        assert_eq!(printf_exp20(0.1), "1.00000000000000005551e-01");
        assert_eq!(printf_exp20(-0.0), "-0.00000000000000000000e+00");
        assert_eq!(
            printf_exp20(1.7976931348623157e308),
            "1.79769313486231570815e+308"
        );
        assert_eq!(printf_exp20(5.0e-324), "4.94065645841246544177e-324");
    }
}
