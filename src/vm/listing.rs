//! Translated code as text: what `oxbeam dis --loaded` prints, and the
//! names and operand shapes the instruction profile counts by.
//!
//! Every [`Instr`] is described once, by [`describe`], as a name and a list
//! of [`Operand`]s; the listing prints them (registers `x0`/`y1`, float
//! registers `fr2`, constants as `~w` prints them, jump targets `@N` as
//! instruction indices, natives and imports as `M:F/A`), and [`shape`]
//! reduces them to the kinds of their register and constant operands
//! (`move x y`, `is_lt x i`), the unit instruction specialisations are
//! chosen by.

use std::fmt::Write;

use crate::code::module::Module;
use crate::code::Export;
use crate::term::{print, Term};
use crate::vm::instr::{
    BadEnd, CatchExit, Compare, Dst, FetchOp, FloatOp, Instr, Label, SmallOp, Src, SrcKind,
    TypeTest, NO_FRAME, NO_LABEL,
};

/// One operand of a described instruction.
pub enum Operand {
    Src(Src),
    Dst(Dst),
    /// A jump target ([`NO_LABEL`]: none, the instruction raises).
    Label(Label),
    /// A count, an index or an arity.
    Number(u64),
    /// A small-integer constant held in the instruction.
    Integer(i64),
    FloatReg(u32),
    /// A function named `M:F/A` (an import, a bound native, a BIF).
    Function(&'static Export),
    /// Anything else, already as text.
    Text(String),
    /// A variable-length operand list kept beside the code.
    List(Vec<Operand>),
}

/// The name and operands of `instr`, an instruction of `module`.
pub fn describe(module: &Module, instr: &Instr) -> (&'static str, Vec<Operand>) {
    use Operand as O;
    let arith = |op: SmallOp, a: Src, b: Operand, dst: Dst, call: u32, fail: Label| {
        (
            "arith",
            vec![
                O::Label(fail),
                O::Function(module.bif_calls[call as usize].export),
                O::Text(format!("{op:?}")),
                O::Src(a),
                b,
                O::Dst(dst),
            ],
        )
    };
    let sources = |start: u32, count: u32| -> Vec<Operand> {
        module.operands[start as usize..(start + count) as usize]
            .iter()
            .map(|&s| O::Src(s))
            .collect()
    };
    let selections = |start: u32, count: u32| -> Vec<Operand> {
        module.select_values[start as usize..(start + count) as usize]
            .iter()
            .flat_map(|&(value, label)| [O::Text(print::to_string(value)), O::Label(label)])
            .collect()
    };
    match *instr {
        Instr::FuncInfo {
            module: m,
            function,
            arity,
        } => (
            "func_info",
            vec![O::Text(format!(
                "{}:{}/{arity}",
                print::to_string(Term::atom(m)),
                print::to_string(Term::atom(function))
            ))],
        ),
        Instr::Allocate { slots, heap, live } => (
            "allocate",
            vec![
                O::Number(slots.into()),
                O::Number(heap.into()),
                O::Number(live.into()),
            ],
        ),
        Instr::TestHeap { words, live } => (
            "test_heap",
            vec![O::Number(words.into()), O::Number(live.into())],
        ),
        Instr::Deallocate { slots } => ("deallocate", vec![O::Number(slots.into())]),
        Instr::Trim { drop } => ("trim", vec![O::Number(drop.into())]),
        Instr::InitY { y } => ("init", vec![O::Dst(Dst::y(y))]),
        Instr::Move { src, dst } => ("move", vec![O::Src(src), O::Dst(dst)]),
        Instr::Swap { a, b } => ("swap", vec![O::Dst(a), O::Dst(b)]),
        Instr::GetList { src, head, tail } => {
            ("get_list", vec![O::Src(src), O::Dst(head), O::Dst(tail)])
        }
        Instr::GetHd { src, dst } => ("get_hd", vec![O::Src(src), O::Dst(dst)]),
        Instr::GetTl { src, dst } => ("get_tl", vec![O::Src(src), O::Dst(dst)]),
        Instr::PutList { head, tail, dst } => {
            ("put_list", vec![O::Src(head), O::Src(tail), O::Dst(dst)])
        }
        Instr::PutTuple { start, count, dst } => (
            "put_tuple",
            vec![O::Dst(dst), O::List(sources(start, count))],
        ),
        Instr::GetTupleElement { src, index, dst } => (
            "get_tuple_element",
            vec![O::Src(src), O::Number(index.into()), O::Dst(dst)],
        ),
        Instr::SetTupleElement {
            value,
            tuple,
            index,
        } => (
            "set_tuple_element",
            vec![O::Src(value), O::Src(tuple), O::Number(index.into())],
        ),
        Instr::Test { test, fail, src } => {
            (type_test_name(test), vec![O::Label(fail), O::Src(src)])
        }
        Instr::Cmp { cmp, fail, a, b } => (
            compare_name(cmp),
            vec![O::Label(fail), O::Src(a), O::Src(b)],
        ),
        Instr::TestArity { fail, src, arity } => (
            "test_arity",
            vec![O::Label(fail), O::Src(src), O::Number(arity.into())],
        ),
        Instr::IsTaggedTuple {
            fail,
            src,
            arity,
            tag,
        } => (
            "is_tagged_tuple",
            vec![
                O::Label(fail),
                O::Src(src),
                O::Number(arity.into()),
                O::Src(tag),
            ],
        ),
        Instr::IsFunction2 { fail, src, arity } => (
            "is_function2",
            vec![O::Label(fail), O::Src(src), O::Src(arity)],
        ),
        Instr::SelectVal {
            src,
            fail,
            start,
            count,
        } => (
            "select_val",
            vec![
                O::Src(src),
                O::Label(fail),
                O::List(selections(start, count)),
            ],
        ),
        Instr::SelectTupleArity {
            src,
            fail,
            start,
            count,
        } => (
            "select_tuple_arity",
            vec![
                O::Src(src),
                O::Label(fail),
                O::List(selections(start, count)),
            ],
        ),
        Instr::Jump { to } => ("jump", vec![O::Label(to)]),
        Instr::Call { to } => ("call", vec![O::Label(to)]),
        Instr::CallLast { to, slots } => ("call_last", vec![O::Label(to), O::Number(slots.into())]),
        Instr::CallOnly { to } => ("call_only", vec![O::Label(to)]),
        Instr::CallExt { export } => ("call_ext", vec![O::Function(export)]),
        Instr::CallExtLast { export, slots } => (
            "call_ext_last",
            vec![O::Function(export), O::Number(slots.into())],
        ),
        Instr::CallExtOnly { export } => ("call_ext_only", vec![O::Function(export)]),
        Instr::CallNative {
            export,
            tail,
            slots,
            ..
        } => match (tail, slots) {
            (false, _) => ("call_native", vec![O::Function(export)]),
            (true, NO_FRAME) => ("call_native_only", vec![O::Function(export)]),
            (true, slots) => (
                "call_native_last",
                vec![O::Function(export), O::Number(slots.into())],
            ),
        },
        Instr::Bif {
            fail, call, dst, ..
        } => {
            let bif = module.bif_calls[call as usize];
            (
                "bif",
                vec![
                    O::Function(bif.export),
                    O::Label(fail),
                    O::List(sources(bif.args, bif.arity)),
                    O::Number(bif.live.into()),
                    O::Dst(dst),
                ],
            )
        }
        Instr::Arith {
            op,
            a,
            b,
            dst,
            call,
            fail,
        } => arith(op, a, O::Src(b), dst, call, fail),
        Instr::ArithImm {
            op,
            a,
            imm,
            dst,
            call,
            fail,
        } => arith(op, a, O::Integer(imm.into()), dst, call, fail),
        Instr::Fetch {
            op,
            a,
            b,
            dst,
            call,
            fail,
        } => (
            match op {
                FetchOp::Element => "element",
                FetchOp::MapGet => "map_get",
            },
            vec![
                O::Label(fail),
                O::Function(module.bif_calls[call as usize].export),
                O::Src(a),
                O::Src(b),
                O::Dst(dst),
            ],
        ),
        Instr::Return => ("return", vec![]),
        Instr::GetTupleElement2 {
            src,
            index1,
            dst1,
            index2,
            dst2,
        } => (
            "get_tuple_element2",
            vec![
                O::Src(src),
                O::Number(index1.into()),
                O::Dst(dst1),
                O::Number(index2.into()),
                O::Dst(dst2),
            ],
        ),
        Instr::IsTupleOfArity { fail, src, arity } => (
            "is_tuple_of_arity",
            vec![O::Label(fail), O::Src(src), O::Number(arity.into())],
        ),
        Instr::Move2 {
            src1,
            dst1,
            src2,
            dst2,
        } => (
            "move2",
            vec![O::Src(src1), O::Dst(dst1), O::Src(src2), O::Dst(dst2)],
        ),
        Instr::MoveCall { src, dst, to } => {
            ("move_call", vec![O::Src(src), O::Dst(dst), O::Label(to)])
        }
        Instr::MoveCallOnly { src, dst, to } => (
            "move_call_only",
            vec![O::Src(src), O::Dst(dst), O::Label(to)],
        ),
        Instr::MoveCallLast {
            src,
            dst,
            to,
            slots,
        } => (
            "move_call_last",
            vec![
                O::Src(src),
                O::Dst(dst),
                O::Label(to),
                O::Number(slots.into()),
            ],
        ),
        Instr::MoveReturn { src, dst } => ("move_return", vec![O::Src(src), O::Dst(dst)]),
        Instr::DeallocateReturn { slots } => ("deallocate_return", vec![O::Number(slots.into())]),
        Instr::AllocateInit {
            slots,
            heap,
            live,
            skip,
        } => (
            "allocate_init",
            vec![
                O::Number(slots.into()),
                O::Number(heap.into()),
                O::Number(live.into()),
                O::Number(skip.into()),
            ],
        ),
        Instr::AllocateMove {
            slots,
            heap,
            live,
            src,
            dst,
        } => (
            "allocate_move",
            vec![
                O::Number(slots.into()),
                O::Number(heap.into()),
                O::Number(live.into()),
                O::Src(src),
                O::Dst(dst),
            ],
        ),
        Instr::TestHeapPutList {
            words,
            live,
            head,
            tail,
            dst,
        } => (
            "test_heap_put_list",
            vec![
                O::Number(words.into()),
                O::Number(live.into()),
                O::Src(head),
                O::Src(tail),
                O::Dst(dst),
            ],
        ),
        Instr::IsNonemptyListGetList {
            fail,
            src,
            head,
            tail,
        } => (
            "is_nonempty_list_get_list",
            vec![O::Label(fail), O::Src(src), O::Dst(head), O::Dst(tail)],
        ),
        Instr::BadEnd { kind, src } => match kind {
            BadEnd::IfClause => ("if_end", vec![]),
            BadEnd::Badmatch => ("badmatch", vec![O::Src(src)]),
            BadEnd::CaseClause => ("case_end", vec![O::Src(src)]),
            BadEnd::TryClause => ("try_case_end", vec![O::Src(src)]),
            BadEnd::Badrecord => ("badrecord", vec![O::Src(src)]),
        },
        Instr::NativeBody { export, .. } => ("native_body", vec![O::Function(export)]),
        Instr::Catch { y, handler } => ("catch", vec![O::Dst(Dst::y(y)), O::Label(handler)]),
        Instr::CatchExit { y, kind } => (
            match kind {
                CatchExit::TryEnd => "try_end",
                CatchExit::TryCase => "try_case",
                CatchExit::CatchEnd => "catch_end",
            },
            vec![O::Dst(Dst::y(y))],
        ),
        Instr::Raise { trace, reason } => ("raise", vec![O::Src(trace), O::Src(reason)]),
        Instr::RawRaise => ("raw_raise", vec![]),
        Instr::BuildStacktrace => ("build_stacktrace", vec![]),
        Instr::MakeFun {
            lambda,
            start,
            count,
            dst,
        } => {
            let (entry, label) = module.lambdas[lambda as usize];
            (
                "make_fun",
                vec![
                    O::Text(format!("fun#{}", entry.index)),
                    O::Label(label),
                    O::List(sources(start, count)),
                    O::Dst(dst),
                ],
            )
        }
        Instr::CallFun { fun, arity } => ("call_fun", vec![O::Src(fun), O::Number(arity.into())]),
        Instr::Apply { arity, last, slots } => match last {
            false => ("apply", vec![O::Number(arity.into())]),
            true => (
                "apply_last",
                vec![O::Number(arity.into()), O::Number(slots.into())],
            ),
        },
        Instr::ApplyList {
            fun_form,
            tail,
            slots,
        } => {
            let name = if fun_form { "apply2" } else { "apply3" };
            match (tail, slots) {
                (false, _) => (name, vec![]),
                (true, NO_FRAME) => (name, vec![O::Text("only".into())]),
                (true, slots) => (name, vec![O::Text("last".into()), O::Number(slots.into())]),
            }
        }
        Instr::PutMap {
            exact,
            fail,
            src,
            dst,
            start,
            count,
        } => (
            if exact {
                "put_map_exact"
            } else {
                "put_map_assoc"
            },
            vec![
                O::Label(fail),
                O::Src(src),
                O::Dst(dst),
                O::List(sources(start, 2 * count)),
            ],
        ),
        Instr::GetMapElements {
            fail,
            src,
            start,
            count,
        } => (
            "get_map_elements",
            vec![
                O::Label(fail),
                O::Src(src),
                O::List(sources(start, 2 * count)),
            ],
        ),
        Instr::HasMapFields {
            fail,
            src,
            start,
            count,
        } => (
            "has_map_fields",
            vec![O::Label(fail), O::Src(src), O::List(sources(start, count))],
        ),
        Instr::FLoad { src, fr } => ("fload", vec![O::Src(src), O::FloatReg(fr)]),
        Instr::FStore { fr, dst } => ("fstore", vec![O::FloatReg(fr), O::Dst(dst)]),
        Instr::FMove { from, to } => ("fmove", vec![O::FloatReg(from), O::FloatReg(to)]),
        Instr::FConv { src, fr } => ("fconv", vec![O::Src(src), O::FloatReg(fr)]),
        Instr::FArith { op, a, b, dst } => match op {
            FloatOp::Negate => ("fnegate", vec![O::FloatReg(a), O::FloatReg(dst)]),
            op => (
                match op {
                    FloatOp::Add => "fadd",
                    FloatOp::Sub => "fsub",
                    FloatOp::Mul => "fmul",
                    _ => "fdiv",
                },
                vec![O::FloatReg(a), O::FloatReg(b), O::FloatReg(dst)],
            ),
        },
        Instr::LoopRec { fail } => ("loop_rec", vec![O::Label(fail)]),
        Instr::LoopRecEnd { to } => ("loop_rec_end", vec![O::Label(to)]),
        Instr::RemoveMessage => ("remove_message", vec![]),
        Instr::Wait { to } => ("wait", vec![O::Label(to)]),
        Instr::WaitTimeout { to, timeout } => ("wait_timeout", vec![O::Label(to), O::Src(timeout)]),
        Instr::Timeout => ("timeout", vec![]),
        Instr::Hibernate => ("hibernate", vec![]),
        Instr::RecvMarkerReserve { dst } => ("recv_marker_reserve", vec![O::Dst(dst)]),
        Instr::RecvMarkerBind { marker, reference } => {
            ("recv_marker_bind", vec![O::Src(marker), O::Src(reference)])
        }
        Instr::RecvMarkerClear { reference } => ("recv_marker_clear", vec![O::Src(reference)]),
        Instr::RecvMarkerUse { reference } => ("recv_marker_use", vec![O::Src(reference)]),
        Instr::BsCreate {
            fail,
            start,
            count,
            dst,
            live,
            alloc,
            puts,
        } => (
            if puts { "bs_put" } else { "bs_create_bin" },
            vec![
                O::Label(fail),
                O::Number(live as u64),
                O::Number(alloc as u64),
                O::Text(format!("segments[{start}..{}]", start + count)),
                O::Dst(dst),
            ],
        ),
        Instr::BsStartMatch {
            fail,
            src,
            dst,
            live,
        } => (
            "bs_start_match",
            vec![
                O::Label(fail),
                O::Number(live as u64),
                O::Src(src),
                O::Dst(dst),
            ],
        ),
        Instr::BsGet {
            get,
            flags,
            unit,
            live,
            fail,
            ctx,
            size,
            dst,
        } => (
            "bs_get",
            vec![
                O::Text(format!("{get:?}")),
                O::Label(fail),
                O::Number(live as u64),
                O::Src(ctx),
                O::Src(size),
                O::Number(unit as u64),
                O::Number(flags as u64),
                O::Dst(dst),
            ],
        ),
        Instr::BsTest { unit, fail, ctx, n } => (
            if unit { "bs_test_unit" } else { "bs_test_tail" },
            vec![O::Label(fail), O::Src(ctx), O::Src(n)],
        ),
        Instr::BsMatchString { fail, ctx, string } => (
            "bs_match_string",
            vec![O::Label(fail), O::Src(ctx), O::Src(string)],
        ),
        Instr::BsGetTail { ctx, dst, live } => (
            "bs_get_tail",
            vec![O::Src(ctx), O::Number(live as u64), O::Dst(dst)],
        ),
        Instr::BsGetPosition { ctx, dst } => ("bs_get_position", vec![O::Src(ctx), O::Dst(dst)]),
        Instr::BsSetPosition { ctx, position } => {
            ("bs_set_position", vec![O::Src(ctx), O::Src(position)])
        }
        Instr::BsAdd {
            fail,
            a,
            b,
            unit,
            dst,
        } => (
            "bs_add",
            vec![
                O::Label(fail),
                O::Src(a),
                O::Src(b),
                O::Number(unit as u64),
                O::Dst(dst),
            ],
        ),
        Instr::BsUtfSize { utf16, src, dst } => (
            if utf16 {
                "bs_utf16_size"
            } else {
                "bs_utf8_size"
            },
            vec![O::Src(src), O::Dst(dst)],
        ),
        Instr::BsInitWritable => ("bs_init_writable", vec![]),
        Instr::Unsupported { opcode, bif } => {
            let generic = crate::isa::GenOp::from_number(opcode).map_or("?", |op| op.name());
            let mut operands = vec![O::Text(generic.to_string())];
            operands.extend(bif.map(O::Function));
            ("unsupported", operands)
        }
    }
}

fn type_test_name(test: TypeTest) -> &'static str {
    match test {
        TypeTest::Integer => "is_integer",
        TypeTest::Float => "is_float",
        TypeTest::Number => "is_number",
        TypeTest::Atom => "is_atom",
        TypeTest::Pid => "is_pid",
        TypeTest::Reference => "is_reference",
        TypeTest::Port => "is_port",
        TypeTest::Nil => "is_nil",
        TypeTest::Binary => "is_binary",
        TypeTest::Bitstring => "is_bitstr",
        TypeTest::List => "is_list",
        TypeTest::NonemptyList => "is_nonempty_list",
        TypeTest::Tuple => "is_tuple",
        TypeTest::Boolean => "is_boolean",
        TypeTest::Map => "is_map",
        TypeTest::Function => "is_function",
    }
}

fn compare_name(cmp: Compare) -> &'static str {
    match cmp {
        Compare::Lt => "is_lt",
        Compare::Ge => "is_ge",
        Compare::Eq => "is_eq",
        Compare::Ne => "is_ne",
        Compare::EqExact => "is_eq_exact",
        Compare::NeExact => "is_ne_exact",
    }
}

/// Appends the listing of `module`: a line naming it, then per function a
/// header (`function Name/Arity entry @N`) and one line per instruction,
/// its index, name and operands.
pub fn write_module(out: &mut String, module: &Module) {
    let _ = writeln!(
        out,
        "module {} ({} instructions)",
        print::to_string(Term::atom(module.name)),
        module.code.len()
    );
    let starts: Vec<usize> = module
        .functions
        .iter()
        .map(|f| f.func_info as usize)
        .collect();
    // Code before the first function (there is none in erlc's output).
    write_instructions(
        out,
        module,
        0..starts.first().copied().unwrap_or(module.code.len()),
    );
    for (i, function) in module.functions.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(module.code.len());
        let _ = writeln!(
            out,
            "function {}/{} entry @{}",
            print::to_string(Term::atom(function.name)),
            function.arity,
            function.entry
        );
        write_instructions(out, module, function.func_info as usize..end);
    }
}

fn write_instructions(out: &mut String, module: &Module, range: std::ops::Range<usize>) {
    for ip in range {
        let (name, operands) = describe(module, &module.code[ip]);
        let _ = write!(out, "  @{ip:<6} {name}");
        for operand in &operands {
            out.push(' ');
            write_operand(out, module, operand);
        }
        out.push('\n');
    }
}

fn write_operand(out: &mut String, module: &Module, operand: &Operand) {
    match operand {
        Operand::Src(src) => match src.kind() {
            SrcKind::X(i) => {
                let _ = write!(out, "x{i}");
            }
            SrcKind::Y(i) => {
                let _ = write!(out, "y{i}");
            }
            SrcKind::Const(i) => print::write_term(out, module.consts[i]),
        },
        Operand::Dst(dst) => {
            let _ = write!(out, "{dst:?}");
        }
        Operand::Label(NO_LABEL) => out.push_str("@none"),
        Operand::Label(label) => {
            let _ = write!(out, "@{label}");
        }
        Operand::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Operand::Integer(n) => {
            let _ = write!(out, "{n}");
        }
        Operand::FloatReg(r) => {
            let _ = write!(out, "fr{r}");
        }
        Operand::Function(export) => out.push_str(&function_text(export)),
        Operand::Text(text) => out.push_str(text),
        Operand::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_operand(out, module, item);
            }
            out.push(']');
        }
    }
}

/// `M:F/A`, names as `~w` prints atoms.
pub fn function_text(export: &Export) -> String {
    format!(
        "{}:{}/{}",
        print::to_string(Term::atom(export.module)),
        print::to_string(Term::atom(export.function)),
        export.arity
    )
}

/// The shape of `instr`: its name, then the kind of each register or
/// constant operand — `x`, `y`, or for a constant `i` (small integer), `a`
/// (atom), `n` (`[]`) or `c` (any other literal) — and the function a call
/// or BIF names. Labels, counts and operand lists are left out.
pub fn shape(module: &Module, instr: &Instr) -> String {
    let (name, operands) = describe(module, instr);
    let mut text = name.to_string();
    for operand in &operands {
        match operand {
            Operand::Src(src) => {
                text.push(' ');
                text.push(match src.kind() {
                    SrcKind::X(_) => 'x',
                    SrcKind::Y(_) => 'y',
                    SrcKind::Const(i) => constant_kind(module.consts[i]),
                });
            }
            Operand::Dst(dst) => {
                text.push(' ');
                text.push(if dst.register().is_ok() { 'x' } else { 'y' });
            }
            Operand::Integer(_) => text.push_str(" i"),
            Operand::Function(export) => {
                text.push(' ');
                text.push_str(&function_text(export));
            }
            Operand::List(items) if name == "bif" => {
                // A BIF's arguments are what its specialisations depend on.
                for item in items {
                    if let Operand::Src(src) = item {
                        text.push(' ');
                        text.push(match src.kind() {
                            SrcKind::X(_) => 'x',
                            SrcKind::Y(_) => 'y',
                            SrcKind::Const(i) => constant_kind(module.consts[i]),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    text
}

fn constant_kind(term: Term) -> char {
    if term.as_small().is_some() {
        'i'
    } else if term.is_atom() {
        'a'
    } else if term.is_nil() {
        'n'
    } else {
        'c'
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::term::Atom;

    /// A module of hand-made code, enough to describe instructions.
    fn module(code: Vec<Instr>, consts: Vec<Term>) -> Module {
        Module {
            name: Atom::intern("listing_test").unwrap(),
            slot: 0,
            code: code.into(),
            consts: consts.into(),
            operands: Box::new([]),
            select_values: Box::new([]),
            bif_calls: Box::new([]),
            bit_segments: Box::new([]),
            functions: Box::new([]),
            lines: Box::new([]),
            files: Box::new([]),
            exports: Box::new([]),
            lambdas: Box::new([]),
            md5: [0; 16],
            attributes: Term::NIL,
            compile_info: Term::NIL,
            literals: crate::heap::LiteralArea::new(),
        }
    }

    #[test]
    fn listing_and_shapes_name_registers_and_constants() {
        let ok = Term::atom(Atom::intern("ok").unwrap());
        let m = module(
            vec![
                Instr::Move {
                    src: Src::constant(0),
                    dst: Dst::y(1),
                },
                Instr::Cmp {
                    cmp: Compare::Lt,
                    fail: 7,
                    a: Src::x(0),
                    b: Src::constant(1),
                },
            ],
            vec![ok, Term::small(10)],
        );
        let mut text = String::new();
        write_module(&mut text, &m);
        assert_eq!(
            text,
            "module listing_test (2 instructions)\n  @0      move ok y1\n  @1      is_lt @7 x0 10\n"
        );
        assert_eq!(shape(&m, &m.code[0]), "move a y");
        assert_eq!(shape(&m, &m.code[1]), "is_lt x i");
    }
}
