//! The external term format (`term_to_binary/1,2`, `binary_to_term/1,2`),
//! byte for byte as OTP 25 writes and accepts it.
//!
//! [`decode`] and [`decode_with`] accept every tag OTP 25's
//! `binary_to_term` accepts, with the same checks; bad input is a
//! [`DecodeError`], never a panic, and memory use is bounded by what the input
//! really holds. [`encode`] writes exactly what `term_to_binary/2` writes.
//! Both walk terms with explicit stacks, so nesting depth is limited only by
//! memory.

mod decode;
mod encode;
#[cfg(test)]
mod tests;

use crate::heap::TermAlloc;
use crate::term::Term;

/// Tag bytes of the external format (`erl_ext_dist`).
pub(crate) mod tag {
    pub const VERSION: u8 = 131;
    pub const COMPRESSED: u8 = 80;
    pub const NEW_FLOAT_EXT: u8 = 70;
    pub const BIT_BINARY_EXT: u8 = 77;
    pub const NEW_PID_EXT: u8 = 88;
    pub const NEW_PORT_EXT: u8 = 89;
    pub const NEWER_REFERENCE_EXT: u8 = 90;
    pub const SMALL_INTEGER_EXT: u8 = 97;
    pub const INTEGER_EXT: u8 = 98;
    pub const FLOAT_EXT: u8 = 99;
    pub const ATOM_EXT: u8 = 100;
    pub const REFERENCE_EXT: u8 = 101;
    pub const PORT_EXT: u8 = 102;
    pub const PID_EXT: u8 = 103;
    pub const SMALL_TUPLE_EXT: u8 = 104;
    pub const LARGE_TUPLE_EXT: u8 = 105;
    pub const NIL_EXT: u8 = 106;
    pub const STRING_EXT: u8 = 107;
    pub const LIST_EXT: u8 = 108;
    pub const BINARY_EXT: u8 = 109;
    pub const SMALL_BIG_EXT: u8 = 110;
    pub const LARGE_BIG_EXT: u8 = 111;
    pub const NEW_FUN_EXT: u8 = 112;
    pub const EXPORT_EXT: u8 = 113;
    pub const NEW_REFERENCE_EXT: u8 = 114;
    pub const SMALL_ATOM_EXT: u8 = 115;
    pub const MAP_EXT: u8 = 116;
    pub const FUN_EXT: u8 = 117;
    pub const ATOM_UTF8_EXT: u8 = 118;
    pub const SMALL_ATOM_UTF8_EXT: u8 = 119;
    pub const V4_PORT_EXT: u8 = 120;
}

/// Why bytes are not a valid external term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Byte offset where decoding failed. For a compressed term, an error
    /// inside the compressed data is placed where it would be in the
    /// uncompressed encoding (`131` followed by the inflated bytes).
    pub offset: usize,
    pub reason: &'static str,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.reason, self.offset)
    }
}

impl std::error::Error for DecodeError {}

/// Options of `binary_to_term/2`.
#[derive(Debug, Clone, Copy, Default)]
pub struct DecodeOptions {
    /// `safe`: do not create atoms, and accept `fun M:F/A` only when its
    /// export entry exists. As in OTP 25, a local fun may still create its
    /// fun entry (its module atom must exist).
    pub safe: bool,
}

/// Options of `term_to_binary/2`.
#[derive(Debug, Clone, Copy)]
pub struct EncodeOptions {
    /// `{minor_version, N}`: 0, 1 (the default) or 2.
    pub minor_version: u8,
    /// `compressed` / `{compressed, Level}`: zlib level 0..=9, `None` for none.
    pub compressed: Option<u32>,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        EncodeOptions {
            minor_version: 1,
            compressed: None,
        }
    }
}

/// Decodes an external term (starting with the version byte 131), as
/// `binary_to_term/1` does: bytes after the term are ignored, exactly as
/// OTP 25 ignores them (`binary_to_term(<<131,97,1,0>>)` is `1`).
pub fn decode(bytes: &[u8], heap: &mut impl TermAlloc) -> Result<Term, DecodeError> {
    decode_with(bytes, heap, DecodeOptions::default()).map(|(term, _used)| term)
}

/// Decodes an external term at the start of `bytes`; returns it and the
/// number of bytes used (`binary_to_term(B, [used])`).
pub fn decode_with(
    bytes: &[u8],
    heap: &mut impl TermAlloc,
    options: DecodeOptions,
) -> Result<(Term, usize), DecodeError> {
    decode::decode_external(bytes, heap, options)
}

/// Encodes `term` exactly as `term_to_binary(Term, Options)` does.
pub fn encode(term: Term, options: EncodeOptions) -> Vec<u8> {
    encode::encode_external(term, options)
}
