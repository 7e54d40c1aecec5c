//! Why a `.beam` file could not be loaded.

use std::fmt;

/// A four-letter chunk name such as `Code` or `LitT`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChunkId(pub [u8; 4]);

impl ChunkId {
    /// The IFF container itself (its header and the chunk headers).
    pub const FORM: ChunkId = ChunkId(*b"FOR1");
    pub const ATU8: ChunkId = ChunkId(*b"AtU8");
    pub const ATOM: ChunkId = ChunkId(*b"Atom");
    pub const CODE: ChunkId = ChunkId(*b"Code");
    pub const STRT: ChunkId = ChunkId(*b"StrT");
    pub const IMPT: ChunkId = ChunkId(*b"ImpT");
    pub const EXPT: ChunkId = ChunkId(*b"ExpT");
    pub const LOCT: ChunkId = ChunkId(*b"LocT");
    pub const FUNT: ChunkId = ChunkId(*b"FunT");
    pub const LITT: ChunkId = ChunkId(*b"LitT");
    pub const LINE: ChunkId = ChunkId(*b"Line");
    pub const ATTR: ChunkId = ChunkId(*b"Attr");
    pub const CINF: ChunkId = ChunkId(*b"CInf");
    pub const TYPE: ChunkId = ChunkId(*b"Type");
    pub const META: ChunkId = ChunkId(*b"Meta");
    pub const DBGI: ChunkId = ChunkId(*b"Dbgi");
    pub const DOCS: ChunkId = ChunkId(*b"Docs");
    pub const EXCK: ChunkId = ChunkId(*b"ExCk");
}

impl fmt::Display for ChunkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for &b in &self.0 {
            if b.is_ascii_graphic() {
                write!(f, "{}", b as char)?;
            } else {
                write!(f, "\\x{b:02x}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for ChunkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChunkId({self})")
    }
}

/// A malformed `.beam` file: which chunk ([`ChunkId::FORM`] for the
/// container itself), the byte offset in the file where the problem was
/// found, and what it was.
#[derive(Clone, PartialEq, Eq)]
pub struct LoadError {
    inner: Box<Inner>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
struct Inner {
    chunk: ChunkId,
    offset: usize,
    message: String,
}

impl LoadError {
    #[cold]
    pub fn new(chunk: ChunkId, offset: usize, message: impl Into<String>) -> LoadError {
        LoadError {
            inner: Box::new(Inner {
                chunk,
                offset,
                message: message.into(),
            }),
        }
    }

    /// The chunk at fault.
    pub fn chunk(&self) -> ChunkId {
        self.inner.chunk
    }

    /// Byte offset in the file.
    pub fn offset(&self) -> usize {
        self.inner.offset
    }

    pub fn message(&self) -> &str {
        &self.inner.message
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Inner {
            chunk,
            offset,
            message,
        } = &*self.inner;
        write!(f, "chunk {chunk}, offset {offset}: {message}")
    }
}

impl fmt::Debug for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LoadError({self})")
    }
}

impl std::error::Error for LoadError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_one_word_and_reads_well() {
        assert_eq!(
            std::mem::size_of::<LoadError>(),
            std::mem::size_of::<usize>()
        );
        let e = LoadError::new(ChunkId::CODE, 120, "label 7 out of range");
        assert_eq!(
            e.to_string(),
            "chunk Code, offset 120: label 7 out of range"
        );
        let e = LoadError::new(ChunkId::FORM, 0, "not an IFF file");
        assert_eq!(e.to_string(), "chunk FOR1, offset 0: not an IFF file");
        assert_eq!(ChunkId(*b"A\0b\xff").to_string(), "A\\x00b\\xff");
    }
}
