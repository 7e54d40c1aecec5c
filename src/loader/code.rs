//! The `Code` chunk: generic instructions with their operands decoded from
//! the compact term encoding and checked against the module's tables.

use num_bigint::BigInt;

use super::error::{ChunkId, LoadError};
use super::reader::{unsigned_value, RawValue, Reader, Tag};
use crate::isa::{GenOp, MAX_OPCODE};
use crate::term::Atom;

/// Registers (`x`, `y`, float) per kind, as in BEAM (`MAX_REG`).
pub const MAX_REG: u64 = 1024;

/// The `Code` chunk's instruction set version (`BEAM_FORMAT_NUMBER`).
const FORMAT_NUMBER: u32 = 0;

/// One decoded operand.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Operand {
    /// `u`: an unsigned number (counts, sizes, table indices).
    Unsigned(u64),
    /// `i`: an integer that fits an `i64`.
    Integer(i64),
    /// `i`: a larger integer, an index into [`Code::big_integers`].
    BigInteger(u32),
    /// `a`: an atom.
    Atom(Atom),
    /// `a` 0: `[]`.
    Nil,
    X(u32),
    Y(u32),
    /// `f`: a label; 0 means "no failure label".
    Label(u32),
    /// `h`: a character.
    Char(u32),
    /// The obsolete inline float (extended tag 0, superseded in R16B).
    Float(f64),
    /// An extended list of `n` operands; they follow this one.
    List(u32),
    /// A float register.
    FloatReg(u32),
    /// An allocation list: words, floats and funs to allocate.
    AllocList(AllocList),
    /// An index into the literal table.
    Literal(u32),
    /// A register with an index into the type table (OTP 25).
    TypedReg(Register, u32),
}

/// The `x` or `y` register of a typed register.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Register {
    X(u32),
    Y(u32),
}

/// What an allocation list asks for.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct AllocList {
    pub words: u32,
    pub floats: u32,
    pub funs: u32,
}

/// Decoded code: instructions as opcodes plus ranges into one flat operand
/// vector, the label table and the functions.
#[derive(Debug, Default)]
pub struct Code {
    ops: Vec<GenOp>,
    /// `starts[i]..starts[i + 1]` are instruction `i`'s operands.
    starts: Vec<u32>,
    operands: Vec<Operand>,
    /// Instruction index of each label's definition; `u32::MAX` if the label
    /// is not defined (label 0 never is).
    labels: Vec<u32>,
    pub functions: Vec<Function>,
    pub big_integers: Vec<BigInt>,
    /// Highest opcode used, from the chunk header.
    pub max_opcode: u32,
    /// Functions claimed by the chunk header.
    pub header_function_count: u32,
}

/// A function: its `func_info` and the instructions that belong to it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Function {
    pub name: Atom,
    pub arity: u32,
    /// The label right after `func_info`, where calls enter.
    pub entry_label: u32,
    /// Index of the first instruction: the labels and `line` that precede
    /// `func_info` belong to the function, as in `beam_disasm`.
    pub start: u32,
    /// Index of the `func_info` instruction.
    pub func_info: u32,
    /// One past the last instruction.
    pub end: u32,
}

/// One instruction, borrowed from [`Code`].
#[derive(Clone, Copy, Debug)]
pub struct Instr<'a> {
    pub op: GenOp,
    /// The operands; a trailing [`Operand::List`] is followed by its items.
    pub args: &'a [Operand],
}

impl<'a> Instr<'a> {
    /// The items of the instruction's trailing extended list, if it has one.
    pub fn list_items(&self) -> Option<&'a [Operand]> {
        let last = self.op.arity().checked_sub(1)?;
        match self.args.get(last) {
            Some(Operand::List(_)) => Some(&self.args[last + 1..]),
            _ => None,
        }
    }
}

impl Code {
    /// Number of instructions (`int_code_end` included).
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    pub fn instr(&self, index: usize) -> Instr<'_> {
        let (start, end) = (self.starts[index] as usize, self.starts[index + 1] as usize);
        Instr {
            op: self.ops[index],
            args: &self.operands[start..end],
        }
    }

    pub fn instrs(&self) -> impl ExactSizeIterator<Item = Instr<'_>> + '_ {
        (0..self.ops.len()).map(move |i| self.instr(i))
    }

    /// Number of labels, label 0 included (from the chunk header).
    pub fn label_count(&self) -> u32 {
        self.labels.len() as u32
    }

    /// Instruction index where `label` is defined.
    pub fn label_target(&self, label: u32) -> Option<u32> {
        self.labels
            .get(label as usize)
            .copied()
            .filter(|&i| i != u32::MAX)
    }

    /// Name and arity of the function whose entry is `label` (the label
    /// right after a `func_info`).
    pub fn function_at_entry(&self, label: u32) -> Option<(Atom, u32)> {
        let target = self.label_target(label)? as usize;
        let info = self.instr(target.checked_sub(1)?);
        match *info.args {
            [Operand::Atom(_), Operand::Atom(name), Operand::Unsigned(arity)]
                if info.op == GenOp::FuncInfo =>
            {
                Some((name, arity as u32))
            }
            _ => None,
        }
    }

    fn instr_args_first(&self, index: usize) -> Option<Operand> {
        let start = *self.starts.get(index)? as usize;
        self.operands.get(start).copied()
    }

    /// Total operands stored, list items included.
    pub fn operand_count(&self) -> usize {
        self.operands.len()
    }
}

/// What the code may refer to, for range checks.
pub(crate) struct Tables<'t> {
    /// Atom table; file index `n` (1-based) is `atoms[n - 1]`.
    pub atoms: &'t [Atom],
    pub literal_count: usize,
    /// `None` when there is no usable type table: type indices are then not
    /// checked, as OTP treats such registers as untyped.
    pub type_count: Option<usize>,
    pub import_count: usize,
    pub lambda_count: usize,
    /// Line items, the implicit "undefined location" 0 included.
    pub line_item_count: usize,
    pub string_bytes: usize,
}

/// Decodes the `Code` chunk whose data starts at file offset `base`.
pub(crate) fn decode(data: &[u8], base: usize, tables: &Tables<'_>) -> Result<Code, LoadError> {
    let mut r = Reader::new(data, base, ChunkId::CODE);
    let header_size = r.u32("code header size")? as usize;
    let header_start = r.pos();
    let header = r.bytes(header_size, "code header")?;
    let mut h = Reader::new(header, base + header_start, ChunkId::CODE);
    let version = h.u32("instruction set version")?;
    if version != FORMAT_NUMBER {
        return Err(h.error_at(0, format!("unknown instruction set version {version}")));
    }
    let max_opcode = h.u32("highest opcode")?;
    if max_opcode > u32::from(MAX_OPCODE) {
        return Err(h.error_at(
            4,
            format!("highest opcode {max_opcode} is newer than OTP 25's {MAX_OPCODE}"),
        ));
    }
    let label_count = h.u32("label count")?;
    let function_count = h.u32("function count")?;
    // Every label but 0 is defined by a `label` instruction of two bytes or more.
    if label_count as usize > r.remaining() / 2 + 1 {
        return Err(h.error_at(
            8,
            format!(
                "label count {label_count} cannot fit in {} bytes of code",
                r.remaining()
            ),
        ));
    }

    let mut decoder = Decoder {
        r,
        tables,
        code: Code {
            ops: Vec::with_capacity(data.len() / 4),
            starts: Vec::with_capacity(data.len() / 4 + 1),
            operands: Vec::with_capacity(data.len() / 2),
            labels: vec![u32::MAX; label_count as usize],
            max_opcode,
            header_function_count: function_count,
            ..Code::default()
        },
        first_label_use: vec![u32::MAX; label_count as usize],
    };
    decoder.instructions()?;
    decoder.check_label_uses()?;
    let mut code = decoder.code;
    code.functions = find_functions(&code, base)?;
    if code.functions.len() != function_count as usize {
        return Err(LoadError::new(
            ChunkId::CODE,
            base + header_start + 12,
            format!(
                "header claims {function_count} functions, the code has {}",
                code.functions.len()
            ),
        ));
    }
    Ok(code)
}

struct Decoder<'a, 't> {
    r: Reader<'a>,
    tables: &'t Tables<'t>,
    code: Code,
    /// File offset of the first reference to each label, to report labels
    /// used but never defined.
    first_label_use: Vec<u32>,
}

impl Decoder<'_, '_> {
    fn instructions(&mut self) -> Result<(), LoadError> {
        loop {
            if self.r.is_empty() {
                return Err(self.r.error("code ends without int_code_end"));
            }
            let at = self.r.pos();
            let opcode = self.r.u8("opcode")?;
            let op = match GenOp::from_number(opcode) {
                Some(op) if u32::from(opcode) <= self.code.max_opcode => op,
                _ => return Err(self.r.error_at(at, format!("unknown opcode {opcode}"))),
            };
            let start = self.code.operands.len();
            self.code.starts.push(start as u32);
            let arity = op.arity();
            for i in 0..arity {
                self.operand(i + 1 == arity)?;
            }
            self.check(op, start, at)?;
            self.code.ops.push(op);
            if op == GenOp::IntCodeEnd {
                self.code.starts.push(self.code.operands.len() as u32);
                return Ok(());
            }
        }
    }

    /// Decodes one operand; an extended list is allowed only as the last.
    fn operand(&mut self, last: bool) -> Result<(), LoadError> {
        let at = self.r.pos();
        let operand = self.simple_operand()?;
        if let Operand::List(len) = operand {
            if !last {
                return Err(self.r.error_at(at, "extended list before the last operand"));
            }
            // Every item takes at least a byte.
            if len as usize > self.r.remaining() {
                return Err(self.r.error_at(
                    at,
                    format!("list of {len} operands cannot fit in the code left"),
                ));
            }
            self.code.operands.push(operand);
            for _ in 0..len {
                let item_at = self.r.pos();
                let item = self.simple_operand()?;
                if matches!(item, Operand::List(_)) {
                    return Err(self.r.error_at(item_at, "extended list inside a list"));
                }
                self.code.operands.push(item);
            }
        } else {
            self.code.operands.push(operand);
        }
        Ok(())
    }

    /// Decodes one compact term; for a list, only its header.
    fn simple_operand(&mut self) -> Result<Operand, LoadError> {
        let at = self.r.pos();
        let (tag, value) = self.r.tagged()?;
        let word = |what: &str| -> Result<u64, LoadError> {
            unsigned_value(value).ok_or_else(|| self.r.error_at(at, format!("{what} too large")))
        };
        Ok(match tag {
            Tag::U => Operand::Unsigned(word("unsigned operand")?),
            Tag::I => self.integer(value, at)?,
            Tag::A => {
                let index = word("atom index")?;
                if index == 0 {
                    Operand::Nil
                } else {
                    match self.tables.atoms.get(index as usize - 1) {
                        Some(&atom) => Operand::Atom(atom),
                        None => {
                            return Err(self.r.error_at(
                                at,
                                format!(
                                    "atom index {index} out of range ({} atoms)",
                                    self.tables.atoms.len()
                                ),
                            ))
                        }
                    }
                }
            }
            Tag::X => Operand::X(self.register(word("x register")?, "x register", at)?),
            Tag::Y => Operand::Y(self.register(word("y register")?, "y register", at)?),
            Tag::F => {
                let label = word("label")?;
                if label >= self.code.labels.len() as u64 {
                    return Err(self.r.error_at(
                        at,
                        format!(
                            "label {label} out of range ({} labels)",
                            self.code.labels.len()
                        ),
                    ));
                }
                let label = label as u32;
                if label != 0 && self.first_label_use[label as usize] == u32::MAX {
                    self.first_label_use[label as usize] = self.r_offset(at);
                }
                Operand::Label(label)
            }
            Tag::H => {
                let c = word("character")?;
                match u32::try_from(c)
                    .ok()
                    .filter(|&c| char::from_u32(c).is_some())
                {
                    Some(c) => Operand::Char(c),
                    None => return Err(self.r.error_at(at, format!("bad character {c}"))),
                }
            }
            Tag::Z => self.extended(word("extended tag")?, at)?,
        })
    }

    fn r_offset(&self, pos: usize) -> u32 {
        (self.r.file_offset() - self.r.pos() + pos) as u32
    }

    fn integer(&mut self, value: RawValue<'_>, at: usize) -> Result<Operand, LoadError> {
        Ok(match value {
            RawValue::Word(n) => Operand::Integer(n as i64),
            RawValue::Bytes(bytes) if bytes.len() <= 8 => {
                // Sign-extend the big-endian two's complement bytes.
                let mut word = if bytes[0] & 0x80 != 0 { -1i64 } else { 0 };
                for &b in bytes {
                    word = word << 8 | i64::from(b);
                }
                Operand::Integer(word)
            }
            RawValue::Bytes(bytes) => {
                let big = BigInt::from_signed_bytes_be(bytes);
                // As BEAM, accept at most one redundant leading byte.
                let magnitude_bytes = big.magnitude().bits().div_ceil(8) as usize;
                if bytes.len() >= magnitude_bytes + 2 {
                    return Err(self.r.error_at(at, "integer not normalised"));
                }
                match i64::try_from(&big) {
                    Ok(n) => Operand::Integer(n),
                    Err(_) => {
                        self.code.big_integers.push(big);
                        Operand::BigInteger(self.code.big_integers.len() as u32 - 1)
                    }
                }
            }
        })
    }

    fn register(&self, n: u64, what: &str, at: usize) -> Result<u32, LoadError> {
        if n < MAX_REG {
            Ok(n as u32)
        } else {
            Err(self
                .r
                .error_at(at, format!("{what} {n} out of range (max {})", MAX_REG - 1)))
        }
    }

    fn extended(&mut self, kind: u64, at: usize) -> Result<Operand, LoadError> {
        Ok(match kind {
            0 => {
                let bytes = self.r.bytes(8, "float")?;
                Operand::Float(f64::from_be_bytes(bytes.try_into().expect("8 bytes")))
            }
            1 => {
                let len = self.r.tagged_unsigned("list length")?;
                match u32::try_from(len) {
                    Ok(len) => Operand::List(len),
                    Err(_) => return Err(self.r.error_at(at, "list too long")),
                }
            }
            2 => {
                let n = self.r.tagged_unsigned("float register")?;
                Operand::FloatReg(self.register(n, "float register", at)?)
            }
            3 => Operand::AllocList(self.alloc_list(at)?),
            4 => {
                let index = self.r.tagged_unsigned("literal index")?;
                if index >= self.tables.literal_count as u64 {
                    return Err(self.r.error_at(
                        at,
                        format!(
                            "literal {index} out of range ({} literals)",
                            self.tables.literal_count
                        ),
                    ));
                }
                Operand::Literal(index as u32)
            }
            5 => {
                let reg_at = self.r.pos();
                let reg = match self.r.tagged()? {
                    (Tag::X, value) => Register::X(self.register(
                        unsigned_value(value).unwrap_or(u64::MAX),
                        "x register",
                        reg_at,
                    )?),
                    (Tag::Y, value) => Register::Y(self.register(
                        unsigned_value(value).unwrap_or(u64::MAX),
                        "y register",
                        reg_at,
                    )?),
                    _ => {
                        return Err(self
                            .r
                            .error_at(reg_at, "typed register is not an x or y register"))
                    }
                };
                let type_index = self.r.tagged_unsigned("type index")?;
                if let Some(count) = self.tables.type_count {
                    if type_index >= count as u64 {
                        return Err(self.r.error_at(
                            at,
                            format!("type {type_index} out of range ({count} types)"),
                        ));
                    }
                }
                Operand::TypedReg(reg, u32::try_from(type_index).unwrap_or(u32::MAX))
            }
            _ => return Err(self.r.error_at(at, format!("unknown extended tag {kind}"))),
        })
    }

    fn alloc_list(&mut self, at: usize) -> Result<AllocList, LoadError> {
        let count = self.r.tagged_unsigned("allocation list length")?;
        if count > 3 {
            return Err(self
                .r
                .error_at(at, format!("allocation list of {count} entries")));
        }
        let mut list = AllocList::default();
        for _ in 0..count {
            let kind = self.r.tagged_unsigned("allocation kind")?;
            let n = self.r.tagged_unsigned("allocation size")?;
            let n = u32::try_from(n)
                .ok()
                .filter(|&n| n < 1 << 28)
                .ok_or_else(|| self.r.error_at(at, format!("allocation of {n} too large")))?;
            let slot = match kind {
                0 => &mut list.words,
                1 => &mut list.floats,
                2 => &mut list.funs,
                _ => {
                    return Err(self
                        .r
                        .error_at(at, format!("unknown allocation kind {kind}")))
                }
            };
            *slot = slot.saturating_add(n);
        }
        Ok(list)
    }

    /// Checks what operands mean for this instruction: label definitions,
    /// and indices into the import, lambda, line and string tables.
    fn check(&mut self, op: GenOp, start: usize, at: usize) -> Result<(), LoadError> {
        if op == GenOp::Label {
            let label_count = self.code.labels.len();
            let label = match self.code.operands[start] {
                Operand::Unsigned(l) if l > 0 && l < label_count as u64 => l as usize,
                other => {
                    return Err(self.r.error_at(
                        at,
                        format!("label: bad label {other:?} ({label_count} labels)"),
                    ))
                }
            };
            if self.code.labels[label] != u32::MAX {
                return Err(self.r.error_at(at, format!("label {label} defined twice")));
            }
            self.code.labels[label] = self.code.ops.len() as u32;
            return Ok(());
        }
        let args = &self.code.operands[start..];
        let err = |message: String| Err(self.r.error_at(at, format!("{}: {message}", op.name())));
        let import = |i: usize| -> Result<(), LoadError> {
            match args[i] {
                Operand::Unsigned(n) if n < self.tables.import_count as u64 => Ok(()),
                other => Err(self.r.error_at(
                    at,
                    format!(
                        "{}: import {other:?} out of range ({} imports)",
                        op.name(),
                        self.tables.import_count
                    ),
                )),
            }
        };
        let string = |offset: &Operand, len: u64| -> Result<(), LoadError> {
            match offset {
                Operand::Unsigned(off)
                    if off
                        .checked_add(len)
                        .is_some_and(|end| end <= self.tables.string_bytes as u64) =>
                {
                    Ok(())
                }
                _ => Err(self.r.error_at(
                    at,
                    format!(
                        "{}: string {offset:?} of {len} bytes outside the {}-byte string table",
                        op.name(),
                        self.tables.string_bytes
                    ),
                )),
            }
        };
        match op {
            GenOp::FuncInfo
                if !matches!(
                    args,
                    [Operand::Atom(_), Operand::Atom(_), Operand::Unsigned(a)] if *a <= 255
                ) =>
            {
                return err(format!("bad operands {args:?}"));
            }
            GenOp::CallExt | GenOp::CallExtLast | GenOp::CallExtOnly => import(1)?,
            GenOp::Bif0 => import(0)?,
            GenOp::Bif1 | GenOp::Bif2 => import(1)?,
            GenOp::GcBif1 | GenOp::GcBif2 | GenOp::GcBif3 => import(2)?,
            GenOp::MakeFun2 | GenOp::MakeFun3 => match args[0] {
                Operand::Unsigned(n) if n < self.tables.lambda_count as u64 => {}
                other => {
                    return err(format!(
                        "lambda {other:?} out of range ({} lambdas)",
                        self.tables.lambda_count
                    ))
                }
            },
            GenOp::Line => match args[0] {
                Operand::Unsigned(n)
                    if self.tables.line_item_count == 0
                        || n < self.tables.line_item_count as u64 => {}
                other => {
                    return err(format!(
                        "line item {other:?} out of range ({} items)",
                        self.tables.line_item_count
                    ))
                }
            },
            GenOp::BsPutString => match args[0] {
                Operand::Unsigned(len) => string(&args[1], len)?,
                other => return err(format!("bad length {other:?}")),
            },
            GenOp::BsMatchString => match args[2] {
                Operand::Unsigned(bits) => string(&args[3], bits.div_ceil(8))?,
                other => return err(format!("bad bit count {other:?}")),
            },
            GenOp::BsCreateBin => {
                // Segments of six: type, segment, unit, flags, value, size;
                // a `string` segment's value is an offset into the string
                // table and its size a byte count.
                let items = &args[6..];
                if !items.len().is_multiple_of(6) {
                    return err(format!(
                        "{} segment operands, not a multiple of 6",
                        items.len()
                    ));
                }
                for segment in items.chunks_exact(6) {
                    if let Operand::Atom(kind) = segment[0] {
                        if kind.name() == "string" {
                            match segment[5] {
                                Operand::Integer(len) if len >= 0 => {
                                    string(&segment[4], len as u64)?
                                }
                                Operand::Unsigned(len) => string(&segment[4], len)?,
                                other => return err(format!("bad string size {other:?}")),
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn check_label_uses(&self) -> Result<(), LoadError> {
        for (label, &offset) in self.first_label_use.iter().enumerate() {
            if offset != u32::MAX && self.code.labels[label] == u32::MAX {
                return Err(LoadError::new(
                    ChunkId::CODE,
                    offset as usize,
                    format!("label {label} is used but never defined"),
                ));
            }
        }
        Ok(())
    }
}

/// Splits the code into functions. A function starts at the run of `label`
/// and `line` instructions before its `func_info`, which must be followed by
/// the entry label; it ends where the next one starts or at `int_code_end`.
fn find_functions(code: &Code, base: usize) -> Result<Vec<Function>, LoadError> {
    let mut functions: Vec<Function> = Vec::new();
    let end = code.len().saturating_sub(1) as u32; // before int_code_end
    for i in 0..code.len() {
        let instr = code.instr(i);
        if instr.op != GenOp::FuncInfo {
            continue;
        }
        // Both shapes were checked when decoded.
        let [Operand::Atom(_), Operand::Atom(name), Operand::Unsigned(arity)] = *instr.args else {
            continue;
        };
        let arity = arity as u32;
        let entry_label = match (code.ops.get(i + 1), code.instr_args_first(i + 1)) {
            (Some(GenOp::Label), Some(Operand::Unsigned(l))) => l as u32,
            _ => {
                return Err(LoadError::new(
                    ChunkId::CODE,
                    base,
                    format!(
                        "func_info of {}/{arity} is not followed by a label",
                        name.name()
                    ),
                ))
            }
        };
        let mut start = i;
        let floor = functions.last().map_or(0, |f| f.func_info as usize + 2);
        while start > floor && matches!(code.ops[start - 1], GenOp::Label | GenOp::Line) {
            start -= 1;
        }
        if let Some(previous) = functions.last_mut() {
            previous.end = start as u32;
        }
        functions.push(Function {
            name,
            arity,
            entry_label,
            start: start as u32,
            func_info: i as u32,
            end,
        });
    }
    Ok(functions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operands_stay_small() {
        assert_eq!(std::mem::size_of::<Operand>(), 16);
    }
}
