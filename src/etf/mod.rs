//! The external term format (`term_to_binary/1,2`, `binary_to_term/1,2`).
//! (API fixed; bodies written by the ETF work package.)

use crate::heap::TermAlloc;
use crate::term::Term;

/// Why bytes are not a valid external term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Byte offset where decoding failed.
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
    /// `safe`: do not create atoms or fun entries that do not exist yet.
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

/// Decodes a whole external term (starting with the version byte 131);
/// trailing bytes are an error, as in `binary_to_term/1`.
pub fn decode(bytes: &[u8], heap: &mut impl TermAlloc) -> Result<Term, DecodeError> {
    decode_with(bytes, heap, DecodeOptions::default()).and_then(|(term, used)| {
        if used == bytes.len() {
            Ok(term)
        } else {
            Err(DecodeError {
                offset: used,
                reason: "trailing bytes after the term",
            })
        }
    })
}

/// Decodes an external term at the start of `bytes`; returns it and the
/// number of bytes used (`binary_to_term(B, [used])`).
pub fn decode_with(
    bytes: &[u8],
    heap: &mut impl TermAlloc,
    options: DecodeOptions,
) -> Result<(Term, usize), DecodeError> {
    let _ = (bytes, heap, options);
    todo!("etf decode")
}

/// Encodes `term` exactly as `term_to_binary(Term, Options)` does.
pub fn encode(term: Term, options: EncodeOptions) -> Vec<u8> {
    let _ = (term, options);
    todo!("etf encode")
}
