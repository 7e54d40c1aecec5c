//! The `.beam` loader: parses the IFF container and every chunk OTP 25 and
//! Elixir 1.14 emit, decodes the code and the literals, and validates all
//! of it. A malformed file gives a [`LoadError`] naming the chunk and file
//! offset; no input makes it panic or allocate more than the input backs.
//!
//! The result, a [`BeamFile`], is the generic form of a module: the
//! translator turns it into executable code.

mod code;
mod error;
mod reader;
mod tables;

use std::io::Read;

pub use code::{AllocList, Code, Function, Instr, Operand, Register, MAX_REG};
pub use error::{ChunkId, LoadError};
pub use tables::{Import, LabeledFunction, Lambda, LineTable, Location, TypeEntry};

use crate::heap::{LiteralArea, TermAlloc};
use crate::term::{Atom, Term};
use reader::Reader;

/// A parsed and validated `.beam` file.
pub struct BeamFile {
    /// The module's name (atom 1).
    pub module: Atom,
    /// The atom table; file index `n` is `atoms[n - 1]`.
    pub atoms: Vec<Atom>,
    pub code: Code,
    /// The string table (`StrT`), used by binary construction and matching.
    pub strings: Box<[u8]>,
    pub imports: Vec<Import>,
    pub exports: Vec<LabeledFunction>,
    /// Functions not exported (`LocT`); empty if the chunk was stripped.
    pub locals: Vec<LabeledFunction>,
    pub lambdas: Vec<Lambda>,
    /// The literal table; the terms live in the file's literal area.
    pub literals: Vec<Term>,
    /// `None` without a `Line` chunk or with a version OTP 25 ignores.
    pub lines: Option<LineTable>,
    /// `None` without a `Type` chunk or with a version OTP 25 ignores.
    pub types: Option<Vec<TypeEntry>>,
    /// `Attr`: the module attributes, a list (`[]` if absent).
    pub attributes: Term,
    /// `CInf`: the compile information, a list (`[]` if absent).
    pub compile_info: Term,
    /// `Meta` (OTP 25: the enabled features), if present.
    pub meta: Option<Term>,
    /// Chunks kept as bytes: `Dbgi`, `Docs`, `ExCk` (external terms that
    /// only tools read; see [`BeamFile::decode_raw_chunk`]) and any chunk
    /// this loader does not know.
    pub raw_chunks: Vec<RawChunk>,
    /// The module checksum BEAM computes (`Module:module_info(md5)`).
    pub md5: [u8; 16],
    literal_area: LiteralArea,
}

/// A chunk kept as bytes.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RawChunk {
    pub id: ChunkId,
    /// File offset of the data.
    pub offset: usize,
    pub data: Box<[u8]>,
}

impl BeamFile {
    /// The memory the literals (and attribute terms) live in.
    pub fn literal_area(&self) -> &LiteralArea {
        &self.literal_area
    }

    /// Takes the area holding the literals, attributes and compile info, to
    /// keep them alive as long as the code made from this file. The file's
    /// terms must not be used after the area is dropped.
    pub fn take_literal_area(&mut self) -> LiteralArea {
        std::mem::take(&mut self.literal_area)
    }

    /// The bytes of a chunk kept raw, such as `Dbgi` or `Docs`.
    pub fn raw_chunk(&self, id: ChunkId) -> Option<&[u8]> {
        self.raw_chunks
            .iter()
            .find(|c| c.id == id)
            .map(|c| &*c.data)
    }

    /// Decodes a raw chunk holding an external term (`Dbgi`, `Docs`,
    /// `ExCk`) into `heap`; `None` if the file has no such chunk.
    pub fn decode_raw_chunk(
        &self,
        id: ChunkId,
        heap: &mut impl TermAlloc,
    ) -> Option<Result<Term, LoadError>> {
        let chunk = self.raw_chunks.iter().find(|c| c.id == id)?;
        Some(
            crate::etf::decode(&chunk.data, heap)
                .map_err(|e| LoadError::new(id, chunk.offset + e.offset, e.reason)),
        )
    }
}

impl std::fmt::Debug for BeamFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BeamFile")
            .field("module", &self.module)
            .field("instructions", &self.code.len())
            .field("functions", &self.code.functions.len())
            .field("literals", &self.literals.len())
            .finish_non_exhaustive()
    }
}

/// One chunk of the container: where its data is.
#[derive(Clone, Copy)]
struct ChunkRef<'a> {
    id: ChunkId,
    offset: usize,
    data: &'a [u8],
}

impl<'a> ChunkRef<'a> {
    fn reader(&self) -> Reader<'a> {
        Reader::new(self.data, self.offset, self.id)
    }
}

/// Chunks this loader decodes (the rest are kept raw).
const KNOWN_CHUNKS: [ChunkId; 14] = [
    ChunkId::ATU8,
    ChunkId::ATOM,
    ChunkId::CODE,
    ChunkId::STRT,
    ChunkId::IMPT,
    ChunkId::EXPT,
    ChunkId::LOCT,
    ChunkId::FUNT,
    ChunkId::LITT,
    ChunkId::LINE,
    ChunkId::ATTR,
    ChunkId::CINF,
    ChunkId::TYPE,
    ChunkId::META,
];

/// Splits the IFF container (`FOR1` size `BEAM`, then chunks of id, size
/// and data padded to 4 bytes) into its chunks.
fn chunks(bytes: &[u8]) -> Result<Vec<ChunkRef<'_>>, LoadError> {
    let mut r = Reader::new(bytes, 0, ChunkId::FORM);
    if r.bytes(4, "IFF header")? != b"FOR1" {
        return Err(r.error_at(0, "not an IFF file (no FOR1)"));
    }
    let form_size = r.u32("form size")? as usize;
    if form_size > r.remaining() {
        return Err(r.error_at(
            4,
            format!(
                "form size {form_size} larger than the {} bytes that follow",
                r.remaining()
            ),
        ));
    }
    let mut r = Reader::new(&bytes[8..8 + form_size], 8, ChunkId::FORM);
    if r.bytes(4, "form type")? != b"BEAM" {
        return Err(r.error_at(0, "IFF form type is not BEAM"));
    }
    let mut chunks: Vec<ChunkRef<'_>> = Vec::new();
    while !r.is_empty() {
        let at = r.pos();
        let id = ChunkId(r.bytes(4, "chunk id")?.try_into().expect("4 bytes"));
        let size = r.u32("chunk size")? as usize;
        let padded = size.div_ceil(4) * 4;
        if padded > r.remaining() {
            return Err(r.error_at(
                at + 4,
                format!(
                    "chunk {id} of {size} bytes runs past the end ({} left)",
                    r.remaining()
                ),
            ));
        }
        let offset = r.file_offset();
        let data = &r.bytes(padded, "chunk data")?[..size];
        if KNOWN_CHUNKS.contains(&id) && chunks.iter().any(|c| c.id == id) {
            return Err(r.error_at(at, format!("second {id} chunk")));
        }
        chunks.push(ChunkRef { id, offset, data });
    }
    Ok(chunks)
}

/// The two bytes a gzip stream starts with.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Parses and validates a whole `.beam` file. As `erlang:load_module/2`
/// does, a gzip-compressed file is accepted too; offsets in errors then
/// refer to the uncompressed bytes.
pub fn load(bytes: &[u8]) -> Result<BeamFile, LoadError> {
    if bytes.starts_with(&GZIP_MAGIC) {
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .take(bytes.len().saturating_mul(MAX_ZLIB_RATIO) as u64)
            .read_to_end(&mut plain)
            .map_err(|e| LoadError::new(ChunkId::FORM, 0, format!("bad gzip data: {e}")))?;
        return load_uncompressed(&plain);
    }
    load_uncompressed(bytes)
}

fn load_uncompressed(bytes: &[u8]) -> Result<BeamFile, LoadError> {
    let chunks = chunks(bytes)?;
    let find = |id: ChunkId| chunks.iter().find(|c| c.id == id).copied();
    let required = |id: ChunkId| find(id).ok_or_else(|| LoadError::new(id, 0, "missing chunk"));

    let atoms = match find(ChunkId::ATU8) {
        Some(c) => tables::atoms(c.reader(), false)?,
        None => tables::atoms(required(ChunkId::ATOM)?.reader(), true)?,
    };
    let module = atoms[0];
    let imports = tables::imports(required(ChunkId::IMPT)?.reader(), &atoms)?;
    let exports = tables::labeled_functions(required(ChunkId::EXPT)?.reader(), &atoms)?;
    let locals = match find(ChunkId::LOCT) {
        Some(c) => tables::labeled_functions(c.reader(), &atoms)?,
        None => Vec::new(),
    };
    let lambdas = match find(ChunkId::FUNT) {
        Some(c) => tables::lambdas(c.reader(), &atoms)?,
        None => Vec::new(),
    };
    let mut literal_area = LiteralArea::new();
    let literals = match find(ChunkId::LITT) {
        Some(c) => literal_table(c, &mut literal_area)?,
        None => Vec::new(),
    };
    let lines = match find(ChunkId::LINE) {
        Some(c) => tables::lines(c.reader(), module)?,
        None => None,
    };
    let types = match find(ChunkId::TYPE) {
        Some(c) => tables::types(c.reader())?,
        None => None,
    };
    let strings: Box<[u8]> = find(ChunkId::STRT).map_or_else(Box::default, |c| c.data.into());
    let code_chunk = required(ChunkId::CODE)?;
    let code = code::decode(
        code_chunk.data,
        code_chunk.offset,
        &code::Tables {
            atoms: &atoms,
            literal_count: literals.len(),
            type_count: types.as_ref().map(Vec::len),
            import_count: imports.len(),
            lambda_count: lambdas.len(),
            line_item_count: lines.as_ref().map_or(0, |l| l.items.len()),
            string_bytes: strings.len(),
        },
    )?;
    check_entries(&code, &exports, find(ChunkId::EXPT))?;
    check_entries(&code, &locals, find(ChunkId::LOCT))?;
    for (i, lambda) in lambdas.iter().enumerate() {
        if code.function_at_entry(lambda.label).is_none() {
            let chunk = find(ChunkId::FUNT).expect("lambdas come from FunT");
            return Err(LoadError::new(
                ChunkId::FUNT,
                chunk.offset + 4 + i * 24,
                format!("lambda {i}: label {} is no function's entry", lambda.label),
            ));
        }
    }

    let term_chunk = |id: ChunkId, area: &mut LiteralArea| -> Result<Option<Term>, LoadError> {
        find(id).map(|c| external_term(c, area)).transpose()
    };
    let attributes = term_chunk(ChunkId::ATTR, &mut literal_area)?.unwrap_or(Term::NIL);
    let compile_info = term_chunk(ChunkId::CINF, &mut literal_area)?.unwrap_or(Term::NIL);
    let meta = term_chunk(ChunkId::META, &mut literal_area)?;
    let raw_chunks = chunks
        .iter()
        .filter(|c| !KNOWN_CHUNKS.contains(&c.id))
        .map(|c| RawChunk {
            id: c.id,
            offset: c.offset,
            data: c.data.into(),
        })
        .collect();

    Ok(BeamFile {
        module,
        md5: checksum(&find),
        atoms,
        code,
        strings,
        imports,
        exports,
        locals,
        lambdas,
        literals,
        lines,
        types,
        attributes,
        compile_info,
        meta,
        raw_chunks,
        literal_area,
    })
}

/// Checks that each `ExpT`/`LocT` entry names a function at its entry label.
fn check_entries(
    code: &Code,
    entries: &[LabeledFunction],
    chunk: Option<ChunkRef<'_>>,
) -> Result<(), LoadError> {
    let Some(chunk) = chunk else { return Ok(()) };
    for (i, entry) in entries.iter().enumerate() {
        let found = code
            .function_at_entry(entry.label)
            .is_some_and(|(name, arity)| name == entry.function && arity == entry.arity);
        if !found {
            return Err(LoadError::new(
                chunk.id,
                chunk.offset + 4 + i * 12,
                format!(
                    "{}/{} at label {} is not a function of the module",
                    entry.function.name(),
                    entry.arity,
                    entry.label
                ),
            ));
        }
    }
    Ok(())
}

/// Zlib expands by at most about 1032:1; allowing a little more bounds what
/// a claimed uncompressed size can make us allocate.
const MAX_ZLIB_RATIO: usize = 1100;

/// Parses `LitT`: the uncompressed size, then a zlib stream of a count and
/// that many external terms, each preceded by its size.
fn literal_table(chunk: ChunkRef<'_>, area: &mut LiteralArea) -> Result<Vec<Term>, LoadError> {
    let mut r = chunk.reader();
    let size = r.u32("uncompressed size")? as usize;
    let compressed = &chunk.data[4..];
    if size > compressed.len().saturating_mul(MAX_ZLIB_RATIO) + 64 {
        return Err(r.error_at(
            0,
            format!(
                "uncompressed size {size} impossible for {} compressed bytes",
                compressed.len()
            ),
        ));
    }
    // Grow as the data really inflates rather than trusting the claim.
    let mut table = Vec::with_capacity(size.min(compressed.len().saturating_mul(8)));
    flate2::read::ZlibDecoder::new(compressed)
        .take(size as u64 + 1)
        .read_to_end(&mut table)
        .map_err(|e| r.error_at(4, format!("bad zlib data: {e}")))?;
    if table.len() != size {
        return Err(r.error_at(
            0,
            format!(
                "uncompressed size is {} bytes, not the {size} claimed",
                table.len()
            ),
        ));
    }
    // Positions inside the uncompressed table are reported in the message;
    // the offset is the chunk's.
    let err = |pos: usize, what: String| {
        LoadError::new(
            ChunkId::LITT,
            chunk.offset,
            format!("uncompressed byte {pos}: {what}"),
        )
    };
    let mut t = Reader::new(&table, 0, ChunkId::LITT);
    let count = t
        .count("literal count", 5)
        .map_err(|e| err(e.offset(), e.message().to_string()))?;
    let mut literals = Vec::with_capacity(count);
    for i in 0..count {
        let at = t.pos();
        let len = t
            .u32("literal size")
            .map_err(|e| err(e.offset(), e.message().to_string()))?;
        let bytes = t
            .bytes(len as usize, "literal")
            .map_err(|e| err(at, e.message().to_string()))?;
        let term = crate::etf::decode(bytes, area)
            .map_err(|e| err(at + 4, format!("literal {i}: {e}")))?;
        literals.push(term);
    }
    if !t.is_empty() {
        return Err(err(t.pos(), "bytes after the last literal".to_string()));
    }
    Ok(literals)
}

/// Decodes a chunk holding one external term (`Attr`, `CInf`, `Meta`).
fn external_term(chunk: ChunkRef<'_>, area: &mut LiteralArea) -> Result<Term, LoadError> {
    crate::etf::decode(chunk.data, area)
        .map_err(|e| LoadError::new(chunk.id, chunk.offset + e.offset, e.reason))
}

/// The module checksum as BEAM computes it: MD5 over the atom, code,
/// string, import and export chunks, the lambda chunk with each lambda's
/// `OldUniq` zeroed, then the literal and meta chunks.
fn checksum<'a>(find: &impl Fn(ChunkId) -> Option<ChunkRef<'a>>) -> [u8; 16] {
    use md5::{Digest, Md5};
    let mut md5 = Md5::new();
    let data = |id: ChunkId| find(id).map_or(&[][..], |c| c.data);
    let atoms = find(ChunkId::ATU8).or_else(|| find(ChunkId::ATOM));
    md5.update(atoms.map_or(&[][..], |c| c.data));
    for id in [ChunkId::CODE, ChunkId::STRT, ChunkId::IMPT, ChunkId::EXPT] {
        md5.update(data(id));
    }
    let lambdas = data(ChunkId::FUNT);
    if lambdas.len() >= 4 {
        md5.update(&lambdas[..4]);
        for entry in lambdas[4..].chunks_exact(24) {
            md5.update(&entry[..20]);
            md5.update([0; 4]);
        }
    }
    md5.update(data(ChunkId::LITT));
    md5.update(data(ChunkId::META));
    md5.finalize().into()
}

#[cfg(test)]
mod tests;
