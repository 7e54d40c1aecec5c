//! A bounds-checked cursor over one chunk, and the compact term encoding's
//! raw form (a tag and a number of any size).

use super::error::{ChunkId, LoadError};

/// Reads big-endian numbers from a chunk; every failure is a [`LoadError`]
/// naming the chunk and the file offset.
#[derive(Clone)]
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    /// File offset of `data[0]`.
    base: usize,
    chunk: ChunkId,
}

/// The three low bits of the first byte of a compact term.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Tag {
    /// `u`: an unsigned number (indices, counts, sizes).
    U = 0,
    /// `i`: an integer of any size.
    I = 1,
    /// `a`: an atom index (0 is `[]`).
    A = 2,
    /// `x` register.
    X = 3,
    /// `y` register.
    Y = 4,
    /// `f`: a label (0 is "no label").
    F = 5,
    /// `h`: a character.
    H = 6,
    /// `z`: extended; the value says which.
    Z = 7,
}

impl Tag {
    fn from_bits(bits: u8) -> Tag {
        match bits & 7 {
            0 => Tag::U,
            1 => Tag::I,
            2 => Tag::A,
            3 => Tag::X,
            4 => Tag::Y,
            5 => Tag::F,
            6 => Tag::H,
            _ => Tag::Z,
        }
    }
}

/// The value of a compact term before it is given a meaning.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum RawValue<'a> {
    /// A value small enough for the one- and two-byte forms (below 2048).
    Word(u64),
    /// Big-endian bytes of the multi-byte form (two's complement for `i`).
    Bytes(&'a [u8]),
}

/// Longest length prefix accepted for a multi-byte value: far more than
/// any real file uses, small enough that no count overflows.
const MAX_VALUE_BYTES: u64 = 1 << 24;

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8], base: usize, chunk: ChunkId) -> Reader<'a> {
        Reader {
            data,
            pos: 0,
            base,
            chunk,
        }
    }

    /// An error at the current position.
    #[cold]
    pub(crate) fn error(&self, message: impl Into<String>) -> LoadError {
        self.error_at(self.pos, message)
    }

    /// An error at `pos` (relative to the chunk data).
    #[cold]
    pub(crate) fn error_at(&self, pos: usize, message: impl Into<String>) -> LoadError {
        LoadError::new(self.chunk, self.base + pos, message)
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// File offset of the current position.
    pub(crate) fn file_offset(&self) -> usize {
        self.base + self.pos
    }

    pub(crate) fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.pos == self.data.len()
    }

    pub(crate) fn bytes(&mut self, len: usize, what: &str) -> Result<&'a [u8], LoadError> {
        if len > self.remaining() {
            return Err(self.error(format!(
                "{what}: needs {len} bytes, only {} left",
                self.remaining()
            )));
        }
        let bytes = &self.data[self.pos..self.pos + len];
        self.pos += len;
        Ok(bytes)
    }

    pub(crate) fn u8(&mut self, what: &str) -> Result<u8, LoadError> {
        Ok(self.bytes(1, what)?[0])
    }

    pub(crate) fn u16(&mut self, what: &str) -> Result<u16, LoadError> {
        let b = self.bytes(2, what)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    pub(crate) fn u32(&mut self, what: &str) -> Result<u32, LoadError> {
        let b = self.bytes(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(crate) fn i64(&mut self, what: &str) -> Result<i64, LoadError> {
        let b = self.bytes(8, what)?;
        Ok(i64::from_be_bytes(b.try_into().expect("8 bytes")))
    }

    /// A 32-bit count of items of at least `min_item_bytes` bytes each,
    /// refused if the rest of the chunk cannot hold that many.
    pub(crate) fn count(&mut self, what: &str, min_item_bytes: usize) -> Result<usize, LoadError> {
        let at = self.pos;
        let count = self.u32(what)? as usize;
        if count.saturating_mul(min_item_bytes) > self.remaining() {
            return Err(self.error_at(
                at,
                format!(
                    "{what} {count} cannot fit in the {} bytes left",
                    self.remaining()
                ),
            ));
        }
        Ok(count)
    }

    /// One compact term in its raw form.
    pub(crate) fn tagged(&mut self) -> Result<(Tag, RawValue<'a>), LoadError> {
        let first = self.u8("compact term")?;
        let tag = Tag::from_bits(first);
        if first & 0x08 == 0 {
            return Ok((tag, RawValue::Word(u64::from(first >> 4))));
        }
        if first & 0x10 == 0 {
            let low = self.u8("compact term")?;
            return Ok((
                tag,
                RawValue::Word(u64::from(first >> 5) << 8 | u64::from(low)),
            ));
        }
        let length_code = first >> 5;
        let len = if length_code < 7 {
            u64::from(length_code) + 2
        } else {
            let at = self.pos;
            match self.tagged()? {
                (Tag::U, value) => match unsigned_value(value) {
                    Some(n) if n <= MAX_VALUE_BYTES => n + 9,
                    _ => return Err(self.error_at(at, "length prefix of a long number too large")),
                },
                _ => return Err(self.error_at(at, "bad length prefix of a long number")),
            }
        };
        Ok((tag, RawValue::Bytes(self.bytes(len as usize, "number")?)))
    }

    /// One compact term that must be an unsigned number fitting a `u64`.
    pub(crate) fn tagged_unsigned(&mut self, what: &str) -> Result<u64, LoadError> {
        let at = self.pos;
        match self.tagged()? {
            (Tag::U, value) => {
                unsigned_value(value).ok_or_else(|| self.error_at(at, format!("{what} too large")))
            }
            (tag, _) => Err(self.error_at(
                at,
                format!("{what}: expected an unsigned number, got tag {tag:?}"),
            )),
        }
    }
}

/// An unsigned raw value as a `u64`, if it fits.
pub(crate) fn unsigned_value(value: RawValue<'_>) -> Option<u64> {
    match value {
        RawValue::Word(n) => Some(n),
        RawValue::Bytes(bytes) => {
            let significant = &bytes[bytes.iter().take_while(|&&b| b == 0).count()..];
            if significant.len() > 8 {
                return None;
            }
            Some(
                significant
                    .iter()
                    .fold(0u64, |acc, &b| acc << 8 | u64::from(b)),
            )
        }
    }
}

/// An `i` raw value as a `u64`, if it is not negative and fits.
pub(crate) fn nonnegative_value(value: RawValue<'_>) -> Option<u64> {
    match value {
        RawValue::Bytes(bytes) if bytes[0] & 0x80 != 0 => None,
        other => unsigned_value(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8]) -> (Tag, RawValue<'_>) {
        let mut r = Reader::new(bytes, 0, ChunkId::CODE);
        let v = r.tagged().unwrap();
        assert!(r.is_empty(), "all bytes used");
        v
    }

    /// Encodings from OTP 25's `beam_asm:encode/2`, as listed in
    /// `beam_disasm.erl`: e.g. `beam_asm:encode(1, 1000)` is `[105,232]`.
    #[test]
    fn decodes_beam_asm_encodings() {
        assert_eq!(read_all(&[81]), (Tag::I, RawValue::Word(5)));
        assert_eq!(read_all(&[105, 232]), (Tag::I, RawValue::Word(1000)));
        assert_eq!(read_all(&[233, 255]), (Tag::I, RawValue::Word(2047)));
        assert_eq!(read_all(&[25, 8, 0]), (Tag::I, RawValue::Bytes(&[8, 0])));
        assert_eq!(
            read_all(&[25, 255, 255]),
            (Tag::I, RawValue::Bytes(&[255, 255]))
        );
        assert_eq!(
            read_all(&[121, 0, 255, 255, 255, 255]),
            (Tag::I, RawValue::Bytes(&[0, 255, 255, 255, 255]))
        );
    }

    #[test]
    fn long_numbers_use_a_length_prefix() {
        // 7 << 5 | 0x18 | tag u, then length prefix u(1) => 10 bytes.
        let mut bytes = vec![0xF8, 0x10];
        bytes.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 1, 2]);
        let (tag, value) = read_all(&bytes);
        assert_eq!(tag, Tag::U);
        assert_eq!(unsigned_value(value), Some(0x0102));
        let mut r = Reader::new(&[0xF8, 0x10, 1], 0, ChunkId::CODE);
        assert!(r.tagged().is_err());
    }

    #[test]
    fn counts_are_checked_against_the_bytes_left() {
        let mut r = Reader::new(&[0, 0, 0, 3, 1, 2, 3], 0, ChunkId::IMPT);
        assert!(r.clone().count("imports", 1).is_ok());
        let e = r.count("imports", 12).unwrap_err();
        assert_eq!(e.offset(), 0);
    }
}
