//! A safe, structured view of any term: what printers, comparisons and
//! encoders match on instead of reading words.

use std::sync::Arc;

use super::{boxed_payload, boxed_words, header_arity, header_kind, Atom, LocalPid, Term};
use crate::code::{Export, FunEntry};
use crate::heap::{BinaryBuf, Resource};

/// The kind of a boxed object, from its header (BEAM's header subtags).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum BoxKind {
    /// `{...}`: the elements follow.
    Tuple = 0,
    /// A binary match context (bit-syntax matching; not yet built).
    MatchContext = 1,
    /// Non-negative bignum: little-endian u64 limbs follow.
    PosBig = 2,
    /// Negative bignum: the magnitude's limbs follow.
    NegBig = 3,
    /// Local reference: `[count, ids packed two per word...]`.
    Ref = 4,
    /// Closure: `[*const FunEntry, creator pid, free variables...]`.
    Fun = 5,
    /// One word of f64 bits.
    Float = 6,
    /// `fun M:F/A`: `[*const Export]`.
    Export = 7,
    /// Off-heap binary: `[byte size, *const BinaryBuf (an Arc), next]`.
    RefcBinary = 8,
    /// Binary of at most 64 bytes: `[byte size, bytes...]`.
    HeapBinary = 9,
    /// A slice of another binary:
    /// `[byte size, byte offset, bit size | bit offset << 8, original]`.
    SubBinary = 10,
    /// A resource ("magic") reference: a local reference that keeps a
    /// native object alive, `[count, *const Resource (an Arc), next, ids
    /// packed two per word...]` (the pointer and `next` at the words of a
    /// refc binary's, so both share the off-heap lists). BEAM marks these
    /// by their size within its reference subtag; here the unused subtag
    /// 11 holds them. A header of this kind with arity 0 is the collector's
    /// moved-cons marker, never an object.
    ResourceRef = 11,
    /// `[node atom, number | serial << 32, creation]`.
    ExternalPid = 12,
    /// `[node atom, number, creation]`.
    ExternalPort = 13,
    /// `[node atom, creation | count << 32, ids packed two per word...]`.
    ExternalRef = 14,
    /// A map; see the `map` module for its node layouts.
    Map = 15,
}

impl BoxKind {
    #[inline]
    pub(crate) fn from_bits(bits: u8) -> BoxKind {
        match bits & 0xF {
            0 => BoxKind::Tuple,
            1 => BoxKind::MatchContext,
            2 => BoxKind::PosBig,
            3 => BoxKind::NegBig,
            4 => BoxKind::Ref,
            5 => BoxKind::Fun,
            6 => BoxKind::Float,
            7 => BoxKind::Export,
            8 => BoxKind::RefcBinary,
            9 => BoxKind::HeapBinary,
            10 => BoxKind::SubBinary,
            11 => BoxKind::ResourceRef,
            12 => BoxKind::ExternalPid,
            13 => BoxKind::ExternalPort,
            14 => BoxKind::ExternalRef,
            _ => BoxKind::Map,
        }
    }
}

/// A bitstring's bits: `bit_len` bits starting `bit_offset` bits into
/// `bytes` (the offset is below 8; it is 0 for everything but some
/// sub-binaries).
#[derive(Clone, Copy, Debug)]
pub struct Bitstring<'a> {
    pub bytes: &'a [u8],
    pub bit_offset: u8,
    pub bit_len: u64,
}

impl<'a> Bitstring<'a> {
    /// Whole bytes, when the bitstring is a byte-aligned binary.
    pub fn as_bytes(&self) -> Option<&'a [u8]> {
        (self.bit_offset == 0 && self.bit_len.is_multiple_of(8))
            .then(|| &self.bytes[..(self.bit_len / 8) as usize])
    }

    pub fn byte_len(&self) -> usize {
        (self.bit_len / 8) as usize
    }

    /// Number of bits in the last, partial byte (0 if none).
    pub fn trailing_bits(&self) -> u8 {
        (self.bit_len % 8) as u8
    }

    /// The `i`th byte of the bitstring, realigned if needed; the partial last
    /// byte (index `byte_len()`) comes with its bits in the high end.
    pub fn byte(&self, i: usize) -> u8 {
        let off = self.bit_offset as u32;
        let first = self.bytes[i];
        let byte = if off == 0 {
            first
        } else {
            let next = self.bytes.get(i + 1).copied().unwrap_or(0);
            (((first as u16) << 8 | next as u16) >> (8 - off)) as u8
        };
        if i == self.byte_len() {
            let keep = self.trailing_bits();
            byte & (0xFFu8 << (8 - keep))
        } else {
            byte
        }
    }

    /// `bit_len` bits of this bitstring from bit `bit_offset` on; the range
    /// must lie within it.
    pub fn slice(&self, bit_offset: u64, bit_len: u64) -> Bitstring<'a> {
        debug_assert!(bit_offset + bit_len <= self.bit_len);
        let start = self.bit_offset as u64 + bit_offset;
        let first = (start / 8) as usize;
        let end = (start + bit_len).div_ceil(8) as usize;
        Bitstring {
            bytes: &self.bytes[first..end.max(first)],
            bit_offset: (start % 8) as u8,
            bit_len,
        }
    }

    /// The bits copied out as whole bytes, the last one padded with zeros.
    pub fn to_padded_vec(&self) -> Vec<u8> {
        let n = self.bit_len.div_ceil(8) as usize;
        (0..n).map(|i| self.byte(i)).collect()
    }
}

/// A local closure.
#[derive(Clone, Copy, Debug)]
pub struct FunRef<'a> {
    pub entry: &'static FunEntry,
    pub creator: Term,
    pub free: &'a [Term],
}

/// A map node, read by the `map` module.
#[derive(Clone, Copy, Debug)]
pub struct MapRef<'a> {
    pub(crate) term: Term,
    pub(crate) words: &'a [u64],
}

/// The identity of a reference: its node, creation and 32-bit id words
/// (least significant first, as in the external format).
#[derive(Clone, Copy, Debug)]
pub struct RefId<'a> {
    pub node: Atom,
    pub creation: u32,
    pub(crate) packed: &'a [u64],
    pub(crate) count: usize,
}

impl RefId<'_> {
    pub fn ids(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.count).map(|i| (self.packed[i / 2] >> (32 * (i % 2))) as u32)
    }

    pub fn id_count(&self) -> usize {
        self.count
    }
}

/// A term taken apart one level.
#[derive(Clone, Copy, Debug)]
pub enum View<'a> {
    Small(i64),
    Atom(Atom),
    Nil,
    Pid(LocalPid),
    Port(u64),
    Catch(u64),
    Cons(Term, Term),
    Tuple(&'a [Term]),
    Float(f64),
    /// A bignum: sign and magnitude limbs, least significant first.
    Big {
        negative: bool,
        limbs: &'a [u64],
    },
    Bitstring(Bitstring<'a>),
    Map(MapRef<'a>),
    Fun(FunRef<'a>),
    Export(&'static Export),
    /// A reference, local (node `nonode@nohost`, creation 0) or external.
    Ref(RefId<'a>),
    ExternalPid {
        node: Atom,
        number: u32,
        serial: u32,
        creation: u32,
    },
    ExternalPort {
        node: Atom,
        number: u64,
        creation: u32,
    },
    /// A match context (bit syntax); not yet produced.
    MatchContext,
}

impl Term {
    /// The native object of a resource reference; `None` for any other term.
    pub fn resource(self) -> Option<Arc<Resource>> {
        if self.box_kind()? != BoxKind::ResourceRef {
            return None;
        }
        // SAFETY: a resource reference's header is followed by its payload
        // (`BoxKind::ResourceRef`), word 1 an `Arc<Resource>` pointer whose
        // count the object holds while it lives, so the count is not zero.
        unsafe {
            let words = boxed_words(self, 2);
            let ptr = words[1] as *const Resource;
            Arc::increment_strong_count(ptr);
            Some(Arc::from_raw(ptr))
        }
    }

    /// The heap or refc binary that holds the bits of this bitstring, and
    /// the bit at which they start in it; `None` for anything else.
    pub fn binary_origin(self) -> Option<(Term, u64)> {
        match self.box_kind()? {
            BoxKind::HeapBinary | BoxKind::RefcBinary => Some((self, 0)),
            BoxKind::SubBinary => {
                // SAFETY: a sub binary's header is followed by its four
                // payload words (`BoxKind::SubBinary`), the last one the
                // original binary.
                let words = unsafe { boxed_words(self, 4) };
                let bit_offset = (words[2] >> 8) & 0xFF;
                Some((Term(words[3]), words[1] * 8 + bit_offset))
            }
            _ => None,
        }
    }

    /// This term taken apart one level.
    pub fn view<'a>(self) -> View<'a> {
        if let Some(v) = self.as_small() {
            return View::Small(v);
        }
        if let Some(a) = self.as_atom() {
            return View::Atom(a);
        }
        if self.is_nil() {
            return View::Nil;
        }
        if let Some(p) = self.as_local_pid() {
            return View::Pid(p);
        }
        if let Some(p) = self.as_local_port() {
            return View::Port(p);
        }
        if let Some(c) = self.as_catch() {
            return View::Catch(c);
        }
        if let Some((h, t)) = self.as_cons() {
            return View::Cons(h, t);
        }
        let header = self.header().expect("a term is immediate, list or boxed");
        let arity = header_arity(header);
        // SAFETY: a boxed term's header is followed by `arity` live words
        // (type invariant); each arm reads only within them, with the
        // layout its kind documents in `BoxKind`.
        unsafe {
            let words = boxed_words(self, arity);
            match header_kind(header) {
                BoxKind::Tuple => View::Tuple(boxed_payload(self, arity)),
                BoxKind::Float => View::Float(f64::from_bits(words[0])),
                BoxKind::PosBig => View::Big {
                    negative: false,
                    limbs: words,
                },
                BoxKind::NegBig => View::Big {
                    negative: true,
                    limbs: words,
                },
                BoxKind::HeapBinary => {
                    let len = words[0] as usize;
                    let bytes = std::slice::from_raw_parts(words[1..].as_ptr() as *const u8, len);
                    View::Bitstring(Bitstring {
                        bytes,
                        bit_offset: 0,
                        bit_len: len as u64 * 8,
                    })
                }
                BoxKind::RefcBinary => {
                    let len = words[0] as usize;
                    let buf = &*(words[1] as *const BinaryBuf);
                    View::Bitstring(Bitstring {
                        bytes: &buf.bytes()[..len],
                        bit_offset: 0,
                        bit_len: len as u64 * 8,
                    })
                }
                BoxKind::SubBinary => {
                    let byte_size = words[0];
                    let byte_offset = words[1] as usize;
                    let bit_size = words[2] & 0xFF;
                    let bit_offset = ((words[2] >> 8) & 0xFF) as u8;
                    let original = Term(words[3]);
                    let View::Bitstring(orig) = original.view() else {
                        unreachable!("a sub binary refers to a binary")
                    };
                    let bit_len = byte_size * 8 + bit_size;
                    let end = (byte_offset + (bit_offset as u64 + bit_len).div_ceil(8) as usize)
                        .min(orig.bytes.len());
                    View::Bitstring(Bitstring {
                        bytes: &orig.bytes[byte_offset..end],
                        bit_offset,
                        bit_len,
                    })
                }
                BoxKind::Map => View::Map(MapRef { term: self, words }),
                BoxKind::Fun => View::Fun(FunRef {
                    entry: &*(words[0] as *const FunEntry),
                    creator: Term(words[1]),
                    free: &boxed_payload(self, arity)[2..],
                }),
                BoxKind::Export => View::Export(&*(words[0] as *const Export)),
                BoxKind::Ref => View::Ref(RefId {
                    node: super::atoms::NONODE,
                    creation: 0,
                    count: words[0] as usize,
                    packed: &words[1..],
                }),
                BoxKind::ResourceRef => View::Ref(RefId {
                    node: super::atoms::NONODE,
                    creation: 0,
                    count: words[0] as usize,
                    packed: &words[3..],
                }),
                BoxKind::ExternalRef => View::Ref(RefId {
                    node: Term(words[0]).as_atom().expect("node is an atom"),
                    creation: words[1] as u32,
                    count: (words[1] >> 32) as usize,
                    packed: &words[2..],
                }),
                BoxKind::ExternalPid => View::ExternalPid {
                    node: Term(words[0]).as_atom().expect("node is an atom"),
                    number: words[1] as u32,
                    serial: (words[1] >> 32) as u32,
                    creation: words[2] as u32,
                },
                BoxKind::ExternalPort => View::ExternalPort {
                    node: Term(words[0]).as_atom().expect("node is an atom"),
                    number: words[1],
                    creation: words[2] as u32,
                },
                BoxKind::MatchContext => View::MatchContext,
            }
        }
    }
}
