//! Load-time translation of a loaded `.beam` file's generic instructions
//! into the internal instruction set ([`Instr`]).
//!
//! Labels are resolved to instruction indices, constants gathered into the
//! module's constant table, imports bound to export entries or to native
//! functions (a call of a registered native becomes a direct native call),
//! and the bodies of functions that have a registered native (OTP's NIF
//! stubs such as `lists:reverse/2`) are replaced by a call of the native.
//! Generic instructions not handled yet become [`Instr::Unsupported`],
//! which raises when executed.

use std::collections::HashMap;

use crate::bif;
use crate::code::module::{CodeRef, FunctionInfo, Module};
use crate::code::{export_entry, fun_entry, Export};
use crate::heap::LiteralArea;
use crate::isa::GenOp;
use crate::loader::{BeamFile, Instr as GenInstr, Location, Operand, Register};
use crate::term::{build, Term};
use crate::vm::bits::{self, Get, Segment, SegmentKind};
use crate::vm::instr::{
    BadEnd, BifCall, CatchExit, Compare, Dst, FetchOp, FloatOp, Instr, Label, SmallOp, Src,
    SrcKind, TypeTest, NO_FRAME, NO_GC, NO_LABEL,
};

/// The operator of an `erlang` arithmetic BIF that has an inline path for
/// small integers.
fn small_op(export: &Export) -> Option<SmallOp> {
    if export.module != crate::term::atoms::ERLANG || export.arity != 2 {
        return None;
    }
    Some(match export.function.name() {
        "+" => SmallOp::Add,
        "-" => SmallOp::Sub,
        "*" => SmallOp::Mul,
        "div" => SmallOp::Div,
        "rem" => SmallOp::Rem,
        "band" => SmallOp::Band,
        "bor" => SmallOp::Bor,
        "bxor" => SmallOp::Bxor,
        _ => return None,
    })
}

/// The `erlang` BIF that reads a part of a term and has an inline path.
fn fetch_op(export: &Export) -> Option<FetchOp> {
    if export.module != crate::term::atoms::ERLANG || export.arity != 2 {
        return None;
    }
    Some(match export.function.name() {
        "element" => FetchOp::Element,
        "map_get" => FetchOp::MapGet,
        _ => return None,
    })
}

/// Translates `beam` into the module that will live in `slot`.
pub fn translate(mut beam: BeamFile, slot: u32) -> Result<Module> {
    let literals = beam.take_literal_area();
    let mut t = Translator {
        beam: &beam,
        area: literals,
        code: Vec::with_capacity(beam.code.len()),
        consts: Vec::new(),
        const_index: HashMap::new(),
        operands: Vec::new(),
        select_values: Vec::new(),
        bif_calls: Vec::new(),
        bit_segments: Vec::new(),
        pending_build: None,
        functions: Vec::new(),
        lines: Vec::new(),
        label_at: vec![NO_LABEL; beam.code.label_count() as usize],
    };
    for i in 0..beam.code.len() {
        let instr = beam.code.instr(i);
        t.instruction(instr).map_err(|e| {
            format!(
                "{}: instruction {i} ({}): {e}",
                beam.module,
                instr.op.name()
            )
        })?;
    }
    t.flush_build();
    t.resolve_labels()?;
    let exports = beam
        .exports
        .iter()
        .map(|e| Ok((e.function, e.arity, t.label(e.label)?)))
        .collect::<Result<Vec<_>>>()?;
    t.replace_native_bodies();
    fuse(&mut t.code);
    if t.code.len() >= CodeRef::MAX_IP as usize {
        return Err(format!(
            "{}: more instructions than code words can address",
            beam.module
        ));
    }
    // Code that runs off its end (or jumps to a label after the last
    // instruction) reaches this and raises, so every index is in the code.
    t.emit(Instr::Unsupported {
        opcode: GenOp::IntCodeEnd as u8,
        bif: None,
    });
    let lambdas = beam
        .lambdas
        .iter()
        .map(|l| {
            let entry = fun_entry(
                beam.module,
                l.index,
                beam.md5,
                l.index,
                l.old_uniq,
                l.arity - l.num_free,
            );
            Ok((entry, t.label(l.label)?))
        })
        .collect::<Result<Vec<_>>>()?;
    let files = beam
        .lines
        .as_ref()
        .map(|l| l.names.clone())
        .unwrap_or_default();
    let files = if files.is_empty() {
        vec![format!("{}.erl", beam.module)]
    } else {
        files
    };
    Ok(Module {
        name: beam.module,
        slot,
        code: t.code.into(),
        consts: t.consts.into(),
        operands: t.operands.into(),
        select_values: t.select_values.into(),
        bif_calls: t.bif_calls.into(),
        bit_segments: t.bit_segments.into(),
        functions: t.functions.into(),
        lines: t.lines.into(),
        files: files.into(),
        exports: exports.into(),
        lambdas: lambdas.into(),
        md5: beam.md5,
        attributes: beam.attributes,
        compile_info: beam.compile_info,
        literals: t.area,
    })
}

struct Translator<'b> {
    beam: &'b BeamFile,
    /// The module's literal area: literals, and constants built here.
    area: LiteralArea,
    code: Vec<Instr>,
    consts: Vec<Term>,
    /// Constants already in `consts`, by their word.
    const_index: HashMap<u64, u32>,
    operands: Vec<Src>,
    select_values: Vec<(Term, Label)>,
    bif_calls: Vec<BifCall>,
    bit_segments: Vec<Segment>,
    /// An old-style build (`bs_init2`, `bs_append`...) whose `bs_put_*`
    /// instructions are being gathered into one `BsCreate`.
    pending_build: Option<PendingBuild>,
    functions: Vec<FunctionInfo>,
    lines: Vec<(Label, Location)>,
    /// Generic label → instruction index in `code`.
    label_at: Vec<Label>,
}

type Result<T> = std::result::Result<T, String>;

impl Translator<'_> {
    fn emit(&mut self, instr: Instr) {
        self.code.push(instr);
    }

    fn here(&self) -> Label {
        self.code.len() as Label
    }

    /// A generic label, kept as is until [`Translator::resolve_labels`];
    /// label 0 ("no label") becomes [`NO_LABEL`].
    fn fail(&self, operand: Operand) -> Result<Label> {
        match operand {
            Operand::Label(0) => Ok(NO_LABEL),
            Operand::Label(l) => Ok(l),
            other => Err(format!("expected a label, got {other:?}")),
        }
    }

    fn label(&self, generic: u32) -> Result<Label> {
        self.label_at
            .get(generic as usize)
            .copied()
            .filter(|&l| l != NO_LABEL)
            .ok_or_else(|| format!("label {generic} is not defined"))
    }

    fn constant(&mut self, term: Term) -> Src {
        let next = self.consts.len() as u32;
        let index = *self.const_index.entry(term.raw()).or_insert(next);
        if index == next {
            self.consts.push(term);
        }
        Src::constant(index)
    }

    fn src(&mut self, operand: Operand) -> Result<Src> {
        Ok(match operand {
            Operand::X(i) | Operand::TypedReg(Register::X(i), _) => Src::x(i),
            Operand::Y(i) | Operand::TypedReg(Register::Y(i), _) => Src::y(i),
            other => {
                let term = self.term(other)?;
                self.constant(term)
            }
        })
    }

    fn dst(&self, operand: Operand) -> Result<Dst> {
        match operand {
            Operand::X(i) | Operand::TypedReg(Register::X(i), _) => Ok(Dst::x(i)),
            Operand::Y(i) | Operand::TypedReg(Register::Y(i), _) => Ok(Dst::y(i)),
            other => Err(format!("expected a register, got {other:?}")),
        }
    }

    /// The term a constant operand stands for.
    fn term(&mut self, operand: Operand) -> Result<Term> {
        Ok(match operand {
            Operand::Atom(a) => Term::atom(a),
            Operand::Nil => Term::NIL,
            Operand::Integer(i) => build::int(&mut self.area, i),
            Operand::Char(c) => Term::small(c as i64),
            Operand::BigInteger(i) => {
                let value = &self.beam.code.big_integers[i as usize];
                build::bigint(&mut self.area, value)
            }
            Operand::Float(f) => build::float(&mut self.area, f),
            Operand::Literal(i) => self.beam.literals[i as usize],
            other => return Err(format!("expected a constant, got {other:?}")),
        })
    }

    fn unsigned(operand: Operand) -> Result<u32> {
        match operand {
            Operand::Unsigned(n) => u32::try_from(n).map_err(|_| "count too large".to_string()),
            other => Err(format!("expected a number, got {other:?}")),
        }
    }

    /// The heap words an allocation operand asks for (a count or an
    /// allocation list).
    fn heap_need(operand: Operand) -> Result<u32> {
        match operand {
            Operand::Unsigned(n) => u32::try_from(n).map_err(|_| "heap need too large".to_string()),
            // A float takes a header and a word; a fun is sized by make_fun.
            Operand::AllocList(list) => Ok(list.words + 2 * list.floats + 4 * list.funs),
            other => Err(format!("expected a heap need, got {other:?}")),
        }
    }

    fn import(&self, operand: Operand) -> Result<&'static Export> {
        let index = Self::unsigned(operand)? as usize;
        let import = self
            .beam
            .imports
            .get(index)
            .ok_or_else(|| format!("import {index} out of range"))?;
        Ok(export_entry(import.module, import.function, import.arity))
    }

    fn instruction(&mut self, instr: GenInstr<'_>) -> Result<()> {
        let a = instr.args;
        if !is_bs_put(instr.op) {
            self.flush_build();
        }
        match instr.op {
            op if is_bit_syntax(op) => self.bit_syntax(instr)?,
            GenOp::Label => {
                let label = Self::unsigned(a[0])? as usize;
                if let Some(slot) = self.label_at.get_mut(label) {
                    *slot = self.code.len() as Label;
                }
            }
            GenOp::Line => {
                let item = Self::unsigned(a[0])?;
                if let Some(location) = self
                    .beam
                    .lines
                    .as_ref()
                    .and_then(|l| l.items.get(item as usize))
                {
                    let here = self.here();
                    self.lines.push((here, *location));
                }
            }
            GenOp::FuncInfo => {
                let (Operand::Atom(module), Operand::Atom(function)) = (a[0], a[1]) else {
                    return Err("func_info needs atoms".into());
                };
                let arity = Self::unsigned(a[2])?;
                let at = self.here();
                self.functions.push(FunctionInfo {
                    name: function,
                    arity,
                    func_info: at,
                    entry: at + 1,
                });
                self.emit(Instr::FuncInfo {
                    module,
                    function,
                    arity,
                });
            }
            GenOp::IntCodeEnd => {}
            GenOp::Call => self.emit(Instr::Call {
                to: self.fail(a[1])?,
            }),
            GenOp::CallLast => self.emit(Instr::CallLast {
                to: self.fail(a[1])?,
                slots: Self::unsigned(a[2])?,
            }),
            GenOp::CallOnly => self.emit(Instr::CallOnly {
                to: self.fail(a[1])?,
            }),
            GenOp::CallExt | GenOp::CallExtLast | GenOp::CallExtOnly => {
                let export = self.import(a[1])?;
                let slots = match instr.op {
                    GenOp::CallExtLast => Self::unsigned(a[2])?,
                    _ => NO_FRAME,
                };
                let tail = instr.op != GenOp::CallExt;
                let is_apply = export.module == crate::term::atoms::ERLANG
                    && export.function.name() == "apply"
                    && (export.arity == 2 || export.arity == 3);
                if is_apply {
                    self.emit(Instr::ApplyList {
                        fun_form: export.arity == 2,
                        tail,
                        slots,
                    });
                    return Ok(());
                }
                let is_hibernate = export.module == crate::term::atoms::ERLANG
                    && export.function.name() == "hibernate"
                    && export.arity == 3;
                if is_hibernate {
                    self.emit(Instr::Hibernate);
                    return Ok(());
                }
                match bif::lookup(export.module, export.function, export.arity) {
                    Some(native) => self.emit(Instr::CallNative {
                        native,
                        export,
                        tail,
                        slots,
                    }),
                    None => self.emit(match instr.op {
                        GenOp::CallExt => Instr::CallExt { export },
                        GenOp::CallExtLast => Instr::CallExtLast { export, slots },
                        _ => Instr::CallExtOnly { export },
                    }),
                }
            }
            GenOp::Bif0 => self.bif(instr, Operand::Label(0), a[0], &[], 0, a[1])?,
            GenOp::Bif1 => self.bif(instr, a[0], a[1], &a[2..3], 0, a[3])?,
            GenOp::Bif2 => self.bif(instr, a[0], a[1], &a[2..4], 0, a[4])?,
            GenOp::GcBif1 => {
                let live = Self::unsigned(a[1])?;
                self.bif(instr, a[0], a[2], &a[3..4], live, a[4])?
            }
            GenOp::GcBif2 => {
                let live = Self::unsigned(a[1])?;
                self.bif(instr, a[0], a[2], &a[3..5], live, a[5])?
            }
            GenOp::GcBif3 => {
                let live = Self::unsigned(a[1])?;
                self.bif(instr, a[0], a[2], &a[3..6], live, a[6])?
            }
            GenOp::Allocate | GenOp::AllocateZero => self.emit(Instr::Allocate {
                slots: Self::unsigned(a[0])?,
                heap: 0,
                live: Self::unsigned(a[1])?,
            }),
            GenOp::AllocateHeap | GenOp::AllocateHeapZero => self.emit(Instr::Allocate {
                slots: Self::unsigned(a[0])?,
                heap: Self::heap_need(a[1])?,
                live: Self::unsigned(a[2])?,
            }),
            GenOp::TestHeap => self.emit(Instr::TestHeap {
                words: Self::heap_need(a[0])?,
                live: Self::unsigned(a[1])?,
            }),
            GenOp::Init => {
                let Operand::Y(y) = a[0] else {
                    return Err("init needs a y register".into());
                };
                self.emit(Instr::InitY { y });
            }
            GenOp::InitYregs => {
                for item in instr.list_items().unwrap_or(&[]) {
                    let Operand::Y(y) = *item else {
                        return Err("init_yregs needs y registers".into());
                    };
                    self.emit(Instr::InitY { y });
                }
            }
            GenOp::Deallocate => self.emit(Instr::Deallocate {
                slots: Self::unsigned(a[0])?,
            }),
            GenOp::Trim => self.emit(Instr::Trim {
                drop: Self::unsigned(a[0])?,
            }),
            GenOp::Return => self.emit(Instr::Return),
            GenOp::Move => {
                let (src, dst) = (self.src(a[0])?, self.dst(a[1])?);
                self.emit(Instr::Move { src, dst });
            }
            GenOp::Swap => {
                let (x, y) = (self.dst(a[0])?, self.dst(a[1])?);
                self.emit(Instr::Swap { a: x, b: y });
            }
            GenOp::GetList => {
                let src = self.src(a[0])?;
                let (head, tail) = (self.dst(a[1])?, self.dst(a[2])?);
                self.emit(Instr::GetList { src, head, tail });
            }
            GenOp::GetHd => {
                let (src, dst) = (self.src(a[0])?, self.dst(a[1])?);
                self.emit(Instr::GetHd { src, dst });
            }
            GenOp::GetTl => {
                let (src, dst) = (self.src(a[0])?, self.dst(a[1])?);
                self.emit(Instr::GetTl { src, dst });
            }
            GenOp::PutList => {
                let (head, tail) = (self.src(a[0])?, self.src(a[1])?);
                let dst = self.dst(a[2])?;
                self.emit(Instr::PutList { head, tail, dst });
            }
            GenOp::PutTuple2 => {
                let dst = self.dst(a[0])?;
                let items = instr.list_items().unwrap_or(&[]);
                let start = self.operands.len() as u32;
                for item in items {
                    let src = self.src(*item)?;
                    self.operands.push(src);
                }
                self.emit(Instr::PutTuple {
                    start,
                    count: items.len() as u32,
                    dst,
                });
            }
            GenOp::GetTupleElement => {
                let src = self.src(a[0])?;
                let index = Self::unsigned(a[1])?;
                let dst = self.dst(a[2])?;
                self.emit(Instr::GetTupleElement { src, index, dst });
            }
            GenOp::SetTupleElement => {
                let (value, tuple) = (self.src(a[0])?, self.src(a[1])?);
                let index = Self::unsigned(a[2])?;
                self.emit(Instr::SetTupleElement {
                    value,
                    tuple,
                    index,
                });
            }
            GenOp::IsLt
            | GenOp::IsGe
            | GenOp::IsEq
            | GenOp::IsNe
            | GenOp::IsEqExact
            | GenOp::IsNeExact => {
                let cmp = match instr.op {
                    GenOp::IsLt => Compare::Lt,
                    GenOp::IsGe => Compare::Ge,
                    GenOp::IsEq => Compare::Eq,
                    GenOp::IsNe => Compare::Ne,
                    GenOp::IsEqExact => Compare::EqExact,
                    _ => Compare::NeExact,
                };
                let fail = self.fail(a[0])?;
                let (x, y) = (self.src(a[1])?, self.src(a[2])?);
                self.emit(Instr::Cmp {
                    cmp,
                    fail,
                    a: x,
                    b: y,
                });
            }
            GenOp::IsInteger
            | GenOp::IsFloat
            | GenOp::IsNumber
            | GenOp::IsAtom
            | GenOp::IsPid
            | GenOp::IsReference
            | GenOp::IsPort
            | GenOp::IsNil
            | GenOp::IsBinary
            | GenOp::IsBitstr
            | GenOp::IsList
            | GenOp::IsNonemptyList
            | GenOp::IsTuple
            | GenOp::IsBoolean
            | GenOp::IsMap
            | GenOp::IsFunction => {
                let test = match instr.op {
                    GenOp::IsInteger => TypeTest::Integer,
                    GenOp::IsFloat => TypeTest::Float,
                    GenOp::IsNumber => TypeTest::Number,
                    GenOp::IsAtom => TypeTest::Atom,
                    GenOp::IsPid => TypeTest::Pid,
                    GenOp::IsReference => TypeTest::Reference,
                    GenOp::IsPort => TypeTest::Port,
                    GenOp::IsNil => TypeTest::Nil,
                    GenOp::IsBinary => TypeTest::Binary,
                    GenOp::IsBitstr => TypeTest::Bitstring,
                    GenOp::IsList => TypeTest::List,
                    GenOp::IsNonemptyList => TypeTest::NonemptyList,
                    GenOp::IsTuple => TypeTest::Tuple,
                    GenOp::IsBoolean => TypeTest::Boolean,
                    GenOp::IsMap => TypeTest::Map,
                    _ => TypeTest::Function,
                };
                let fail = self.fail(a[0])?;
                let src = self.src(a[1])?;
                self.emit(Instr::Test { test, fail, src });
            }
            GenOp::TestArity => {
                let fail = self.fail(a[0])?;
                let src = self.src(a[1])?;
                let arity = Self::unsigned(a[2])?;
                self.emit(Instr::TestArity { fail, src, arity });
            }
            GenOp::IsTaggedTuple => {
                let fail = self.fail(a[0])?;
                let src = self.src(a[1])?;
                let arity = Self::unsigned(a[2])?;
                let tag = self.src(a[3])?;
                self.emit(Instr::IsTaggedTuple {
                    fail,
                    src,
                    arity,
                    tag,
                });
            }
            GenOp::IsFunction2 => {
                let fail = self.fail(a[0])?;
                let (src, arity) = (self.src(a[1])?, self.src(a[2])?);
                self.emit(Instr::IsFunction2 { fail, src, arity });
            }
            GenOp::SelectVal | GenOp::SelectTupleArity => {
                let src = self.src(a[0])?;
                let fail = self.fail(a[1])?;
                let items = instr.list_items().unwrap_or(&[]);
                let start = self.select_values.len() as u32;
                for pair in items.chunks(2) {
                    let [value, label] = pair else {
                        return Err("select list of odd length".into());
                    };
                    let value = match (instr.op, *value) {
                        (GenOp::SelectTupleArity, Operand::Unsigned(n)) => Term::small(n as i64),
                        (_, v) => self.term(v)?,
                    };
                    let label = self.fail(*label)?;
                    self.select_values.push((value, label));
                }
                // Sorted by word: the interpreter finds an immediate value
                // (and every tuple arity) by binary search.
                self.select_values[start as usize..].sort_by_key(|(value, _)| value.raw());
                let count = self.select_values.len() as u32 - start;
                self.emit(if instr.op == GenOp::SelectVal {
                    Instr::SelectVal {
                        src,
                        fail,
                        start,
                        count,
                    }
                } else {
                    Instr::SelectTupleArity {
                        src,
                        fail,
                        start,
                        count,
                    }
                });
            }
            // `x0 ! x1` is a call of erlang:send/2 (its frame in a stack
            // trace is erlang:send/2's, as in erl).
            GenOp::Send => {
                let export = export_entry(
                    crate::term::atoms::ERLANG,
                    crate::term::Atom::intern("send").expect("atom"),
                    2,
                );
                match bif::lookup(export.module, export.function, export.arity) {
                    Some(native) => self.emit(Instr::CallNative {
                        native,
                        export,
                        tail: false,
                        slots: NO_FRAME,
                    }),
                    None => self.emit(Instr::CallExt { export }),
                }
            }
            GenOp::LoopRec => self.emit(Instr::LoopRec {
                fail: self.fail(a[0])?,
            }),
            GenOp::LoopRecEnd => self.emit(Instr::LoopRecEnd {
                to: self.fail(a[0])?,
            }),
            GenOp::RemoveMessage => self.emit(Instr::RemoveMessage),
            GenOp::Wait => self.emit(Instr::Wait {
                to: self.fail(a[0])?,
            }),
            GenOp::WaitTimeout => {
                let timeout = self.src(a[1])?;
                self.emit(Instr::WaitTimeout {
                    to: self.fail(a[0])?,
                    timeout,
                })
            }
            GenOp::Timeout => self.emit(Instr::Timeout),
            GenOp::RecvMarkerReserve => self.emit(Instr::RecvMarkerReserve {
                dst: self.dst(a[0])?,
            }),
            GenOp::RecvMarkerBind => {
                let (marker, reference) = (self.src(a[0])?, self.src(a[1])?);
                self.emit(Instr::RecvMarkerBind { marker, reference })
            }
            GenOp::RecvMarkerClear => {
                let reference = self.src(a[0])?;
                self.emit(Instr::RecvMarkerClear { reference })
            }
            GenOp::RecvMarkerUse => {
                let reference = self.src(a[0])?;
                self.emit(Instr::RecvMarkerUse { reference })
            }
            // The markers of OTP 21–23's receive optimisation: only an
            // optimisation, so running without them is correct.
            GenOp::RecvMark | GenOp::RecvSet => {}
            GenOp::Jump => self.emit(Instr::Jump {
                to: self.fail(a[0])?,
            }),
            GenOp::Badmatch | GenOp::CaseEnd | GenOp::TryCaseEnd | GenOp::Badrecord => {
                let kind = match instr.op {
                    GenOp::Badmatch => BadEnd::Badmatch,
                    GenOp::CaseEnd => BadEnd::CaseClause,
                    GenOp::TryCaseEnd => BadEnd::TryClause,
                    _ => BadEnd::Badrecord,
                };
                let src = self.src(a[0])?;
                self.emit(Instr::BadEnd { kind, src });
            }
            GenOp::IfEnd => self.emit(Instr::BadEnd {
                kind: BadEnd::IfClause,
                src: Src::x(0),
            }),
            GenOp::Try | GenOp::Catch => {
                let Operand::Y(y) = a[0] else {
                    return Err("try/catch needs a y register".into());
                };
                let handler = self.fail(a[1])?;
                self.emit(Instr::Catch { y, handler });
            }
            GenOp::TryEnd | GenOp::TryCase | GenOp::CatchEnd => {
                let Operand::Y(y) = a[0] else {
                    return Err("try_end/try_case/catch_end needs a y register".into());
                };
                let kind = match instr.op {
                    GenOp::TryEnd => CatchExit::TryEnd,
                    GenOp::TryCase => CatchExit::TryCase,
                    _ => CatchExit::CatchEnd,
                };
                self.emit(Instr::CatchExit { y, kind });
            }
            GenOp::Raise => {
                let (trace, reason) = (self.src(a[0])?, self.src(a[1])?);
                self.emit(Instr::Raise { trace, reason });
            }
            GenOp::RawRaise => self.emit(Instr::RawRaise),
            GenOp::BuildStacktrace => self.emit(Instr::BuildStacktrace),
            GenOp::MakeFun3 => {
                let lambda = Self::unsigned(a[0])?;
                if lambda as usize >= self.beam.lambdas.len() {
                    return Err(format!("lambda {lambda} out of range"));
                }
                let dst = self.dst(a[1])?;
                let start = self.operands.len() as u32;
                let items = instr.list_items().unwrap_or(&[]);
                for item in items {
                    let src = self.src(*item)?;
                    self.operands.push(src);
                }
                self.emit(Instr::MakeFun {
                    lambda,
                    start,
                    count: items.len() as u32,
                    dst,
                });
            }
            GenOp::CallFun => {
                let arity = Self::unsigned(a[0])?;
                self.emit(Instr::CallFun {
                    fun: Src::x(arity),
                    arity,
                });
            }
            GenOp::CallFun2 => {
                let arity = Self::unsigned(a[1])?;
                let fun = self.src(a[2])?;
                self.emit(Instr::CallFun { fun, arity });
            }
            GenOp::Apply => self.emit(Instr::Apply {
                arity: Self::unsigned(a[0])?,
                last: false,
                slots: 0,
            }),
            GenOp::ApplyLast => self.emit(Instr::Apply {
                arity: Self::unsigned(a[0])?,
                last: true,
                slots: Self::unsigned(a[1])?,
            }),
            GenOp::PutMapAssoc | GenOp::PutMapExact => {
                let fail = self.fail(a[0])?;
                let src = self.src(a[1])?;
                let dst = self.dst(a[2])?;
                let start = self.operands.len() as u32;
                let items = instr.list_items().unwrap_or(&[]);
                for item in items {
                    let src = self.src(*item)?;
                    self.operands.push(src);
                }
                self.emit(Instr::PutMap {
                    exact: instr.op == GenOp::PutMapExact,
                    fail,
                    src,
                    dst,
                    start,
                    count: items.len() as u32 / 2,
                });
            }
            GenOp::GetMapElements | GenOp::HasMapFields => {
                let fail = self.fail(a[0])?;
                let src = self.src(a[1])?;
                let start = self.operands.len() as u32;
                let items = instr.list_items().unwrap_or(&[]);
                for (i, item) in items.iter().enumerate() {
                    // get_map_elements pairs keys with destination registers.
                    let operand = if instr.op == GenOp::GetMapElements && i % 2 == 1 {
                        self.dst(*item)?.as_src()
                    } else {
                        self.src(*item)?
                    };
                    self.operands.push(operand);
                }
                let count = items.len() as u32;
                self.emit(if instr.op == GenOp::GetMapElements {
                    Instr::GetMapElements {
                        fail,
                        src,
                        start,
                        count: count / 2,
                    }
                } else {
                    Instr::HasMapFields {
                        fail,
                        src,
                        start,
                        count,
                    }
                });
            }
            GenOp::Fclearerror | GenOp::Fcheckerror => {}
            GenOp::Fmove => match (a[0], a[1]) {
                (Operand::FloatReg(from), Operand::FloatReg(to)) => {
                    self.emit(Instr::FMove { from, to })
                }
                (Operand::FloatReg(fr), dst) => {
                    let dst = self.dst(dst)?;
                    self.emit(Instr::FStore { fr, dst });
                }
                (src, Operand::FloatReg(fr)) => {
                    let src = self.src(src)?;
                    self.emit(Instr::FLoad { src, fr });
                }
                _ => return Err("fmove needs a float register".into()),
            },
            GenOp::Fconv => {
                let src = self.src(a[0])?;
                let Operand::FloatReg(fr) = a[1] else {
                    return Err("fconv needs a float register".into());
                };
                self.emit(Instr::FConv { src, fr });
            }
            GenOp::Fadd | GenOp::Fsub | GenOp::Fmul | GenOp::Fdiv | GenOp::Fnegate => {
                let regs: Vec<u32> = a[1..]
                    .iter()
                    .map(|o| match o {
                        Operand::FloatReg(r) => Ok(*r),
                        other => Err(format!("expected a float register, got {other:?}")),
                    })
                    .collect::<Result<_>>()?;
                let (op, a, b, dst) = match instr.op {
                    GenOp::Fadd => (FloatOp::Add, regs[0], regs[1], regs[2]),
                    GenOp::Fsub => (FloatOp::Sub, regs[0], regs[1], regs[2]),
                    GenOp::Fmul => (FloatOp::Mul, regs[0], regs[1], regs[2]),
                    GenOp::Fdiv => (FloatOp::Div, regs[0], regs[1], regs[2]),
                    _ => (FloatOp::Negate, regs[0], regs[0], regs[1]),
                };
                self.emit(Instr::FArith { op, a, b, dst });
            }
            other => self.emit(Instr::Unsupported {
                opcode: other.number(),
                bif: None,
            }),
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn bif(
        &mut self,
        instr: GenInstr<'_>,
        fail: Operand,
        import: Operand,
        args: &[Operand],
        live: u32,
        dst: Operand,
    ) -> Result<()> {
        let export = self.import(import)?;
        let Some(native) = bif::lookup(export.module, export.function, export.arity) else {
            self.emit(Instr::Unsupported {
                opcode: instr.op.number(),
                bif: Some(export),
            });
            return Ok(());
        };
        let fail = self.fail(fail)?;
        let start = self.operands.len() as u32;
        for arg in args {
            let src = self.src(*arg)?;
            self.operands.push(src);
        }
        let call = self.bif_calls.len() as u32;
        self.bif_calls.push(BifCall {
            export,
            args: start,
            arity: args.len() as u32,
            live,
            native,
        });
        let dst = self.dst(dst)?;
        if let Some(op) = small_op(export) {
            let (a, b) = (
                self.operands[start as usize],
                self.operands[start as usize + 1],
            );
            let imm = match b.kind() {
                SrcKind::Const(i) => self.consts[i]
                    .as_small()
                    .and_then(|n| i32::try_from(n).ok()),
                _ => None,
            };
            self.emit(match imm {
                Some(imm) => Instr::ArithImm {
                    op,
                    a,
                    imm,
                    dst,
                    call,
                    fail,
                },
                None => Instr::Arith {
                    op,
                    a,
                    b,
                    dst,
                    call,
                    fail,
                },
            });
            return Ok(());
        }
        if let Some(op) = fetch_op(export) {
            let (a, b) = (
                self.operands[start as usize],
                self.operands[start as usize + 1],
            );
            self.emit(Instr::Fetch {
                op,
                a,
                b,
                dst,
                call,
                fail,
            });
            return Ok(());
        }
        self.emit(Instr::Bif {
            native,
            fail,
            call,
            dst,
        });
        Ok(())
    }

    /// Turns the generic label numbers in emitted instructions into
    /// instruction indices.
    fn resolve_labels(&mut self) -> Result<()> {
        let label_at = std::mem::take(&mut self.label_at);
        let resolve = |l: &mut Label| -> Result<()> {
            if *l != NO_LABEL {
                *l = label_at
                    .get(*l as usize)
                    .copied()
                    .filter(|&t| t != NO_LABEL)
                    .ok_or_else(|| format!("label {l} is not defined"))?;
            }
            Ok(())
        };
        // Jumps and tests have nowhere to go without a label.
        let resolve_target = |l: &mut Label| -> Result<()> {
            if *l == NO_LABEL {
                return Err("a jump or test without a label".to_string());
            }
            resolve(l)
        };
        for instr in &mut self.code {
            match instr {
                Instr::Call { to } | Instr::CallLast { to, .. } | Instr::CallOnly { to } => {
                    resolve_target(to)?
                }
                Instr::Jump { to } => resolve_target(to)?,
                Instr::Test { fail, .. }
                | Instr::Cmp { fail, .. }
                | Instr::TestArity { fail, .. }
                | Instr::IsTaggedTuple { fail, .. }
                | Instr::IsFunction2 { fail, .. }
                | Instr::SelectVal { fail, .. }
                | Instr::SelectTupleArity { fail, .. } => resolve_target(fail)?,
                Instr::Bif { fail, .. }
                | Instr::Arith { fail, .. }
                | Instr::ArithImm { fail, .. }
                | Instr::Fetch { fail, .. }
                | Instr::PutMap { fail, .. }
                | Instr::GetMapElements { fail, .. }
                | Instr::HasMapFields { fail, .. }
                | Instr::LoopRec { fail, .. }
                | Instr::BsCreate { fail, .. }
                | Instr::BsStartMatch { fail, .. }
                | Instr::BsGet { fail, .. }
                | Instr::BsTest { fail, .. }
                | Instr::BsMatchString { fail, .. }
                | Instr::BsAdd { fail, .. } => resolve(fail)?,
                Instr::LoopRecEnd { to } | Instr::Wait { to } | Instr::WaitTimeout { to, .. } => {
                    resolve(to)?
                }
                Instr::Catch { handler, .. } => resolve(handler)?,
                _ => {}
            }
        }
        for (_, label) in &mut self.select_values {
            resolve_target(label)?;
        }
        self.label_at = label_at;
        Ok(())
    }

    /// Functions with a registered native run the native instead of their
    /// Erlang body (OTP's NIF stubs).
    fn replace_native_bodies(&mut self) {
        let module = self.beam.module;
        for f in &self.functions {
            if let Some(native) = bif::lookup(module, f.name, f.arity) {
                if let Some(slot) = self.code.get_mut(f.entry as usize) {
                    *slot = Instr::NativeBody {
                        native,
                        export: export_entry(module, f.name, f.arity),
                    };
                }
            }
        }
    }
}

/// Superinstructions: where an instruction is followed by one it often runs
/// with, it becomes an instruction that does both and goes on after the
/// second, which stays in place for the jumps that land on it (so no label
/// moves and return addresses and line numbers stay those of the unfused
/// code). The pairs are the most frequent fall-through pairs of the
/// instruction profile (docs/architecture.md, "Choosing superinstructions").
fn fuse(code: &mut [Instr]) {
    for i in 1..code.len() {
        if let Some(fused) = fused_pair(code[i - 1], code[i]) {
            code[i - 1] = fused;
        }
    }
    // The `init`s right after an `allocate` (from `init_yregs`) have
    // nothing to do: `allocate` sets the new Y registers to `[]`.
    for i in 0..code.len() {
        if let Instr::Allocate { slots, heap, live } = code[i] {
            let skip = code[i + 1..]
                .iter()
                .take_while(|next| matches!(next, Instr::InitY { .. }))
                .count() as u32;
            if skip > 0 {
                code[i] = Instr::AllocateInit {
                    slots,
                    heap,
                    live,
                    skip,
                };
            }
        }
    }
}

/// The superinstruction doing `first` and then `second`, if there is one.
fn fused_pair(first: Instr, second: Instr) -> Option<Instr> {
    Some(match (first, second) {
        (
            Instr::Move {
                src: src1,
                dst: dst1,
            },
            Instr::Move {
                src: src2,
                dst: dst2,
            },
        ) => Instr::Move2 {
            src1,
            dst1,
            src2,
            dst2,
        },
        (Instr::Move { src, dst }, Instr::Call { to }) => Instr::MoveCall { src, dst, to },
        (Instr::Move { src, dst }, Instr::CallOnly { to }) => Instr::MoveCallOnly { src, dst, to },
        (Instr::Move { src, dst }, Instr::CallLast { to, slots }) => Instr::MoveCallLast {
            src,
            dst,
            to,
            slots,
        },
        (Instr::Move { src, dst }, Instr::Return) => Instr::MoveReturn { src, dst },
        (Instr::Deallocate { slots }, Instr::Return) => Instr::DeallocateReturn { slots },
        (Instr::Allocate { slots, heap, live }, Instr::Move { src, dst }) => Instr::AllocateMove {
            slots,
            heap,
            live,
            src,
            dst,
        },
        (Instr::TestHeap { words, live }, Instr::PutList { head, tail, dst }) => {
            Instr::TestHeapPutList {
                words,
                live,
                head,
                tail,
                dst,
            }
        }
        (
            Instr::Test {
                test: TypeTest::NonemptyList,
                fail,
                src,
            },
            Instr::GetList {
                src: list,
                head,
                tail,
            },
        ) if list == src => Instr::IsNonemptyListGetList {
            fail,
            src,
            head,
            tail,
        },
        (
            Instr::GetTupleElement {
                src,
                index: index1,
                dst: dst1,
            },
            Instr::GetTupleElement {
                src: tuple,
                index: index2,
                dst: dst2,
            },
        ) if tuple == src && dst1.as_src() != src => Instr::GetTupleElement2 {
            src,
            index1,
            dst1,
            index2,
            dst2,
        },
        (
            Instr::Test {
                test: TypeTest::Tuple,
                fail,
                src,
            },
            Instr::TestArity {
                fail: arity_fail,
                src: tuple,
                arity,
            },
        ) if tuple == src && arity_fail == fail => Instr::IsTupleOfArity { fail, src, arity },
        _ => return None,
    })
}

/// An old-style build being gathered: its first instruction's operands and
/// where its segments start in `bit_segments`.
struct PendingBuild {
    fail: Label,
    start: u32,
    dst: Dst,
    live: u16,
    alloc: u8,
}

fn is_bs_put(op: GenOp) -> bool {
    matches!(
        op,
        GenOp::BsPutInteger
            | GenOp::BsPutBinary
            | GenOp::BsPutFloat
            | GenOp::BsPutString
            | GenOp::BsPutUtf8
            | GenOp::BsPutUtf16
            | GenOp::BsPutUtf32
    )
}

fn is_bit_syntax(op: GenOp) -> bool {
    is_bs_put(op)
        || matches!(
            op,
            GenOp::BsCreateBin
                | GenOp::BsInit2
                | GenOp::BsInitBits
                | GenOp::BsAppend
                | GenOp::BsPrivateAppend
                | GenOp::BsAdd
                | GenOp::BsUtf8Size
                | GenOp::BsUtf16Size
                | GenOp::BsInitWritable
                | GenOp::BsStartMatch3
                | GenOp::BsStartMatch4
                | GenOp::BsGetPosition
                | GenOp::BsSetPosition
                | GenOp::BsGetInteger2
                | GenOp::BsGetFloat2
                | GenOp::BsGetBinary2
                | GenOp::BsSkipBits2
                | GenOp::BsGetUtf8
                | GenOp::BsGetUtf16
                | GenOp::BsGetUtf32
                | GenOp::BsSkipUtf8
                | GenOp::BsSkipUtf16
                | GenOp::BsSkipUtf32
                | GenOp::BsTestTail2
                | GenOp::BsTestUnit
                | GenOp::BsMatchString
                | GenOp::BsGetTail
        )
}

/// The bit-syntax instructions (semantics in `vm::bits`).
impl Translator<'_> {
    fn bit_syntax(&mut self, instr: GenInstr<'_>) -> Result<()> {
        let a = instr.args;
        match instr.op {
            GenOp::BsCreateBin => {
                let fail = self.fail(a[0])?;
                let alloc = Self::heap_need(a[1])?;
                let live = Self::unsigned(a[2])?;
                let dst = self.dst(a[4])?;
                let start = self.bit_segments.len() as u32;
                let items = instr.list_items().unwrap_or(&[]);
                for seg in items.chunks_exact(6) {
                    let Operand::Atom(kind) = seg[0] else {
                        return Err("bs_create_bin: segment type is not an atom".into());
                    };
                    let kind = match kind.name() {
                        "integer" => SegmentKind::Integer,
                        "float" => SegmentKind::Float,
                        "binary" => SegmentKind::Binary,
                        "utf8" => SegmentKind::Utf8,
                        "utf16" => SegmentKind::Utf16,
                        "utf32" => SegmentKind::Utf32,
                        "string" => SegmentKind::String,
                        "append" => SegmentKind::Append,
                        "private_append" => SegmentKind::PrivateAppend,
                        other => return Err(format!("bs_create_bin: segment type {other}")),
                    };
                    let number = Self::unsigned(seg[1])?;
                    let unit = Self::unit(seg[2])?;
                    let flags = self.flags(seg[3])?;
                    let (value, size) = if kind == SegmentKind::String {
                        let len = match seg[5] {
                            Operand::Integer(n) => u64::try_from(n).map_err(|e| e.to_string())?,
                            Operand::Unsigned(n) => n,
                            other => return Err(format!("bad string size {other:?}")),
                        };
                        (self.string(seg[4], len * 8)?, Src::constant(0))
                    } else {
                        (self.src(seg[4])?, self.size(seg[5])?)
                    };
                    self.bit_segments.push(Segment {
                        kind,
                        flags,
                        unit,
                        number,
                        value,
                        size,
                    });
                }
                self.emit(Instr::BsCreate {
                    fail,
                    start,
                    count: self.bit_segments.len() as u32 - start,
                    dst,
                    live: live.min(NO_GC as u32 - 1) as u16,
                    alloc: alloc.min(u8::MAX as u32) as u8,
                    puts: false,
                });
            }
            GenOp::BsInit2 | GenOp::BsInitBits => {
                let kind = if instr.op == GenOp::BsInit2 {
                    SegmentKind::InitBytes
                } else {
                    SegmentKind::InitBits
                };
                let size = self.size(a[1])?;
                let alloc = Self::heap_need(a[2])?;
                let live = Self::unsigned(a[3])?;
                self.start_build(a[0], kind, Src::constant(0), size, 1, live, alloc, a[5])?;
            }
            GenOp::BsAppend => {
                let size = self.size(a[1])?;
                let alloc = Self::heap_need(a[2])?;
                let live = Self::unsigned(a[3])?;
                let unit = Self::unsigned(a[4])?;
                let bin = self.src(a[5])?;
                self.start_build(
                    a[0],
                    SegmentKind::Append,
                    bin,
                    size,
                    unit,
                    live,
                    alloc,
                    a[7],
                )?;
            }
            GenOp::BsPrivateAppend => {
                let size = self.size(a[1])?;
                let unit = Self::unsigned(a[2])?;
                let bin = self.src(a[3])?;
                let kind = SegmentKind::PrivateAppend;
                self.start_build(a[0], kind, bin, size, unit, NO_GC as u32, 0, a[5])?;
            }
            GenOp::BsPutInteger | GenOp::BsPutBinary | GenOp::BsPutFloat => {
                let kind = match instr.op {
                    GenOp::BsPutInteger => SegmentKind::Integer,
                    GenOp::BsPutBinary => SegmentKind::Binary,
                    _ => SegmentKind::Float,
                };
                let size = self.size(a[1])?;
                let unit = Self::unit(a[2])?;
                let flags = self.flags(a[3])?;
                let value = self.src(a[4])?;
                self.put(kind, flags, unit, value, size)?;
            }
            GenOp::BsPutString => {
                let len = Self::unsigned(a[0])? as u64;
                let value = self.string(a[1], len * 8)?;
                self.put(SegmentKind::String, 0, 8, value, Src::constant(0))?;
            }
            GenOp::BsPutUtf8 | GenOp::BsPutUtf16 | GenOp::BsPutUtf32 => {
                let kind = match instr.op {
                    GenOp::BsPutUtf8 => SegmentKind::Utf8,
                    GenOp::BsPutUtf16 => SegmentKind::Utf16,
                    _ => SegmentKind::Utf32,
                };
                let flags = self.flags(a[1])?;
                let value = self.src(a[2])?;
                self.put(kind, flags, 0, value, Src::constant(0))?;
            }
            GenOp::BsAdd => {
                let fail = self.fail(a[0])?;
                let (x, y) = (self.size(a[1])?, self.size(a[2])?);
                let unit = Self::unsigned(a[3])?;
                let dst = self.dst(a[4])?;
                self.emit(Instr::BsAdd {
                    fail,
                    a: x,
                    b: y,
                    unit,
                    dst,
                });
            }
            GenOp::BsUtf8Size | GenOp::BsUtf16Size => {
                let src = self.src(a[1])?;
                let dst = self.dst(a[2])?;
                let utf16 = instr.op == GenOp::BsUtf16Size;
                self.emit(Instr::BsUtfSize { utf16, src, dst });
            }
            GenOp::BsInitWritable => self.emit(Instr::BsInitWritable),
            GenOp::BsStartMatch3 | GenOp::BsStartMatch4 => {
                let (fail, src, live, dst) = if instr.op == GenOp::BsStartMatch3 {
                    (a[0], a[1], a[2], a[3])
                } else {
                    (a[0], a[2], a[1], a[3])
                };
                let (src, dst) = (self.src(src)?, self.dst(dst)?);
                let live = Self::unsigned(live)?;
                match fail {
                    // `resume`: the source is a context already.
                    Operand::Atom(a) if a.name() == "resume" => {
                        self.emit(Instr::Move { src, dst });
                    }
                    Operand::Atom(_) => self.emit(Instr::BsStartMatch {
                        fail: NO_LABEL,
                        src,
                        dst,
                        live,
                    }),
                    label => {
                        let fail = self.fail(label)?;
                        self.emit(Instr::BsStartMatch {
                            fail,
                            src,
                            dst,
                            live,
                        });
                    }
                }
            }
            GenOp::BsGetPosition => {
                let (ctx, dst) = (self.src(a[0])?, self.dst(a[1])?);
                self.emit(Instr::BsGetPosition { ctx, dst });
            }
            GenOp::BsSetPosition => {
                let (ctx, position) = (self.src(a[0])?, self.src(a[1])?);
                self.emit(Instr::BsSetPosition { ctx, position });
            }
            GenOp::BsGetInteger2 | GenOp::BsGetFloat2 | GenOp::BsGetBinary2 => {
                let get = match instr.op {
                    GenOp::BsGetInteger2 => Get::Integer,
                    GenOp::BsGetFloat2 => Get::Float,
                    _ => Get::Binary,
                };
                let fail = self.fail(a[0])?;
                let ctx = self.src(a[1])?;
                let live = Self::unsigned(a[2])?;
                let size = self.size(a[3])?;
                let unit = Self::unit(a[4])?;
                let flags = self.flags(a[5])?;
                let dst = self.dst(a[6])?;
                self.emit(Instr::BsGet {
                    get,
                    flags,
                    unit,
                    live: live.min(u16::MAX as u32) as u16,
                    fail,
                    ctx,
                    size,
                    dst,
                });
            }
            GenOp::BsSkipBits2 => {
                let fail = self.fail(a[0])?;
                let ctx = self.src(a[1])?;
                let size = self.size(a[2])?;
                let unit = Self::unit(a[3])?;
                let flags = self.flags(a[4])?;
                self.emit(Instr::BsGet {
                    get: Get::Skip,
                    flags,
                    unit,
                    live: 0,
                    fail,
                    ctx,
                    size,
                    dst: Dst::x(0),
                });
            }
            GenOp::BsGetUtf8
            | GenOp::BsGetUtf16
            | GenOp::BsGetUtf32
            | GenOp::BsSkipUtf8
            | GenOp::BsSkipUtf16
            | GenOp::BsSkipUtf32 => {
                let get = match instr.op {
                    GenOp::BsGetUtf8 => Get::Utf8,
                    GenOp::BsGetUtf16 => Get::Utf16,
                    GenOp::BsGetUtf32 => Get::Utf32,
                    GenOp::BsSkipUtf8 => Get::SkipUtf8,
                    GenOp::BsSkipUtf16 => Get::SkipUtf16,
                    _ => Get::SkipUtf32,
                };
                let fail = self.fail(a[0])?;
                let ctx = self.src(a[1])?;
                let flags = self.flags(a[3])?;
                let dst = match a.get(4) {
                    Some(d) => self.dst(*d)?,
                    None => Dst::x(0),
                };
                self.emit(Instr::BsGet {
                    get,
                    flags,
                    unit: 1,
                    live: 0,
                    fail,
                    ctx,
                    size: Src::constant(0),
                    dst,
                });
            }
            GenOp::BsTestTail2 | GenOp::BsTestUnit => {
                let fail = self.fail(a[0])?;
                let ctx = self.src(a[1])?;
                let n = Self::unsigned(a[2])?;
                let n = self.constant(Term::small(n as i64));
                let unit = instr.op == GenOp::BsTestUnit;
                self.emit(Instr::BsTest { unit, fail, ctx, n });
            }
            GenOp::BsMatchString => {
                let fail = self.fail(a[0])?;
                let ctx = self.src(a[1])?;
                let bits = match a[2] {
                    Operand::Unsigned(n) => n,
                    other => return Err(format!("bad bit count {other:?}")),
                };
                let string = self.string(a[3], bits)?;
                self.emit(Instr::BsMatchString { fail, ctx, string });
            }
            GenOp::BsGetTail => {
                let (ctx, dst) = (self.src(a[0])?, self.dst(a[1])?);
                let live = Self::unsigned(a[2])?;
                self.emit(Instr::BsGetTail { ctx, dst, live });
            }
            other => return Err(format!("{} is not a bit-syntax instruction", other.name())),
        }
        Ok(())
    }

    /// A size operand: a register, an integer, `all`, or a literal count.
    fn size(&mut self, operand: Operand) -> Result<Src> {
        match operand {
            Operand::Unsigned(n) => {
                let n = i64::try_from(n).map_err(|_| "size too large")?;
                let term = build::int(&mut self.area, n);
                Ok(self.constant(term))
            }
            other => self.src(other),
        }
    }

    /// A unit operand (1..=256).
    fn unit(operand: Operand) -> Result<u16> {
        let unit = Self::unsigned(operand)?;
        u16::try_from(unit).map_err(|_| format!("unit {unit} too large"))
    }

    /// Segment flags: a number (`bs_get_*`, `bs_put_*`) or a literal list of
    /// atoms (`bs_create_bin`).
    fn flags(&self, operand: Operand) -> Result<u8> {
        match operand {
            Operand::Unsigned(n) => Ok(bits::resolve_flags(n)),
            Operand::Nil => Ok(0),
            Operand::Literal(i) => {
                let list = self.beam.literals[i as usize];
                let mut flags = 0;
                for item in list.list_iter() {
                    flags |= match item.as_atom().map(|a| a.name()) {
                        Some("little") => bits::FLAG_LITTLE as u64,
                        Some("native") => bits::FLAG_NATIVE as u64,
                        Some("signed") => bits::FLAG_SIGNED as u64,
                        _ => 0,
                    };
                }
                Ok(bits::resolve_flags(flags))
            }
            other => Err(format!("bad segment flags {other:?}")),
        }
    }

    /// A constant bitstring of `bits` bits from the string table at `offset`.
    fn string(&mut self, offset: Operand, bits: u64) -> Result<Src> {
        let Operand::Unsigned(offset) = offset else {
            return Err(format!("bad string offset {offset:?}"));
        };
        let bytes = usize::try_from(bits.div_ceil(8))
            .ok()
            .zip(usize::try_from(offset).ok())
            .and_then(|(len, off)| self.beam.strings.get(off..off.checked_add(len)?))
            .ok_or("string outside the string table")?;
        let term = build::bitstring(&mut self.area, bytes, bits);
        Ok(self.constant(term))
    }

    /// Starts gathering an old-style build.
    #[allow(clippy::too_many_arguments)]
    fn start_build(
        &mut self,
        fail: Operand,
        kind: SegmentKind,
        value: Src,
        size: Src,
        unit: u32,
        live: u32,
        alloc: u32,
        dst: Operand,
    ) -> Result<()> {
        let fail = self.fail(fail)?;
        let dst = self.dst(dst)?;
        let start = self.bit_segments.len() as u32;
        self.bit_segments.push(Segment {
            kind,
            flags: 0,
            unit: u16::try_from(unit).map_err(|_| "unit too large")?,
            number: 0,
            value,
            size,
        });
        self.pending_build = Some(PendingBuild {
            fail,
            start,
            dst,
            live: live.min(NO_GC as u32) as u16,
            alloc: alloc.min(u8::MAX as u32) as u8,
        });
        Ok(())
    }

    /// Adds a `bs_put_*` to the build being gathered.
    fn put(
        &mut self,
        kind: SegmentKind,
        flags: u8,
        unit: u16,
        value: Src,
        size: Src,
    ) -> Result<()> {
        if self.pending_build.is_none() {
            return Err("bs_put_* outside a binary build".into());
        }
        self.bit_segments.push(Segment {
            kind,
            flags,
            unit,
            number: 0,
            value,
            size,
        });
        Ok(())
    }

    /// Emits the build being gathered, if any.
    fn flush_build(&mut self) {
        if let Some(b) = self.pending_build.take() {
            self.emit(Instr::BsCreate {
                fail: b.fail,
                start: b.start,
                count: self.bit_segments.len() as u32 - b.start,
                dst: b.dst,
                live: b.live,
                alloc: b.alloc,
                puts: true,
            });
        }
    }
}
