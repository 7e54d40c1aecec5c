//! The hot loop: the instructions that straight-line Erlang code spends its
//! time in (moves, tests, local and remote calls, frames, lists, tuples,
//! small-integer arithmetic, float registers), run by a function of their
//! own.
//!
//! Kept apart from the loop that runs everything else so that the compiler
//! can hold its state in registers: the instruction index, the module and
//! its code live in locals here, where the full loop, with its hundred-odd
//! arms, keeps them on the stack. It hands back every instruction it does
//! not run, and also the uncommon cases of those it does (a collection, the
//! end of a time slice, a bignum result, a module to load, an exception):
//! it bails out *before* changing anything, so the full loop runs the
//! instruction from the start.

use super::{
    compare, fetch, float_op, pc_of, read_operand, select, small_arith, type_test, write_register,
    Interp, Pc,
};
use crate::code::module::CodeRef;
use crate::term::{build, Term};
use crate::vm::instr::Instr;
use crate::vm::process::Process;

/// Tuples built from operands on the stack up to this size.
const SMALL_TUPLE: usize = 16;

impl Interp<'_> {
    /// Runs instructions from `pc` until one that the full loop must run,
    /// and leaves `pc` at it.
    #[inline(never)]
    pub(super) fn run_hot(&mut self, pc: &mut Pc) {
        let mut module = pc.module;
        assert!(pc.ip < module.code.len(), "pc in the code");
        // The next instruction, as a pointer into `module.code` (the
        // instruction index kept in a register costs a bounds check and
        // the reloads of the module's code on every instruction).
        let mut code = module.code.as_ptr();
        // SAFETY: `pc.ip` is in the code (checked above).
        let mut ip = unsafe { code.add(pc.ip) };
        // The interpreter's state in locals (registers), written back when
        // the loop hands over.
        let mut cp = self.cp;
        let mut reds = self.reds;
        let x = &mut *self.x;
        let floats = &mut *self.fr;
        let p = &mut *self.p;
        // The index of the next instruction.
        macro_rules! index {
            () => {
                // SAFETY: `ip` points into the code that starts at `code`.
                unsafe { ip.offset_from(code) as usize }
            };
        }
        // Goes on at instruction `index` of `module`. Every index that
        // reaches here is in the code: labels are checked when a module is
        // translated (and its code ends in an instruction that raises rather
        // than run off the end), return addresses and function entries were
        // made from such indices, and modules are never unloaded.
        macro_rules! goto {
            ($index:expr) => {{
                let index = $index as usize;
                debug_assert!(index < module.code.len());
                // SAFETY: see above.
                ip = unsafe { code.add(index) };
            }};
        }
        // Switches to `module`'s code at `index`.
        macro_rules! enter {
            ($module:expr, $index:expr) => {{
                module = $module;
                code = module.code.as_ptr();
                goto!($index);
            }};
        }
        // Steps over `n` instructions that a superinstruction has done.
        macro_rules! skip {
            ($n:expr) => {{
                let n = $n as usize;
                debug_assert!(index!() + n < module.code.len());
                // SAFETY: a superinstruction is always followed by the
                // instructions it does; the code's last one is none of them.
                ip = unsafe { ip.add(n) };
            }};
        }
        // Leaves the instruction just fetched to the full loop.
        macro_rules! bail {
            () => {{
                *pc = Pc {
                    module,
                    ip: index!() - 1,
                };
                self.cp = cp;
                self.reds = reds;
                return;
            }};
        }
        // A call spends a reduction; the full loop makes the call that ends
        // the slice (it saves the process's state).
        macro_rules! has_reductions {
            () => {
                reds > 1
            };
        }
        // The return address of a call, which goes on at `$next`.
        macro_rules! return_address {
            ($next:expr) => {
                CodeRef::word(module.slot, $next as usize - code as usize)
            };
        }
        // Returns to `cp` (which is not 0).
        macro_rules! return_to {
            () => {{
                let (slot, offset) = CodeRef::split_word(std::mem::take(&mut cp));
                if slot == module.slot {
                    // SAFETY: a return address into this module's code
                    // (see `goto!`).
                    ip = unsafe { code.byte_add(offset) };
                } else {
                    let to = CodeRef::from_word(CodeRef::word(slot, offset)).expect("not 0");
                    enter!(pc_of(to).module, to.ip);
                }
            }};
        }
        macro_rules! read {
            ($src:expr) => {
                read_operand(x, &p.heap, module, $src)
            };
        }
        macro_rules! write {
            ($dst:expr, $value:expr) => {{
                let value = $value;
                write_register(x, &mut p.heap, $dst, value)
            }};
        }
        macro_rules! deallocate {
            ($slots:expr) => {{
                cp = p.heap.stack_word(0);
                p.heap.pop_frame($slots as usize + 1);
            }};
        }
        // A frame of `slots` Y registers and the return address, and `heap`
        // more words, when they fit without a collection.
        macro_rules! can_allocate {
            ($slots:expr, $heap:expr) => {
                has_room(p, $slots as usize + 1 + $heap as usize)
            };
        }
        macro_rules! push_frame {
            ($slots:expr) => {{
                let pushed = p.heap.push_frame($slots as usize + 1);
                debug_assert!(pushed, "room was checked");
                p.heap.set_return_address(0, std::mem::take(&mut cp));
            }};
        }
        loop {
            // `ip` is always in the code: labels are checked when the module
            // is translated, and its code ends in an instruction that raises
            // rather than run off the end.
            // SAFETY: `ip` is in the code (see `goto!`).
            let instr = unsafe { &*ip };
            #[cfg(feature = "op-profile")]
            crate::vm::profile::record(module.slot, index!());
            // SAFETY: at most one past the end of the code.
            ip = unsafe { ip.add(1) };
            match *instr {
                Instr::Move { src, dst } => {
                    let v = read!(src);
                    write!(dst, v);
                }
                Instr::Move2 {
                    src1,
                    dst1,
                    src2,
                    dst2,
                } => {
                    let v = read!(src1);
                    write!(dst1, v);
                    let v = read!(src2);
                    write!(dst2, v);
                    skip!(1);
                }
                Instr::Test { test, fail, src } => {
                    if !type_test(test, read!(src)) {
                        goto!(fail);
                    }
                }
                Instr::Cmp { cmp, fail, a, b } => {
                    let (a, b) = (read!(a), read!(b));
                    if !compare(cmp, a, b) {
                        goto!(fail);
                    }
                }
                Instr::Call { to } if has_reductions!() => {
                    reds -= 1;
                    cp = return_address!(ip);
                    goto!(to);
                }
                Instr::CallLast { to, slots } if has_reductions!() => {
                    reds -= 1;
                    deallocate!(slots);
                    goto!(to);
                }
                Instr::CallOnly { to } if has_reductions!() => {
                    reds -= 1;
                    goto!(to);
                }
                Instr::MoveCall { src, dst, to } if has_reductions!() => {
                    reds -= 1;
                    let v = read!(src);
                    write!(dst, v);
                    cp = return_address!(ip.wrapping_add(1));
                    goto!(to);
                }
                Instr::MoveCallOnly { src, dst, to } if has_reductions!() => {
                    reds -= 1;
                    let v = read!(src);
                    write!(dst, v);
                    goto!(to);
                }
                Instr::MoveCallLast {
                    src,
                    dst,
                    to,
                    slots,
                } if has_reductions!() => {
                    reds -= 1;
                    let v = read!(src);
                    write!(dst, v);
                    deallocate!(slots);
                    goto!(to);
                }
                Instr::CallExt { export } if has_reductions!() => match export.code() {
                    Some(code) => {
                        reds -= 1;
                        cp = return_address!(ip);
                        enter!(pc_of(code).module, code.ip);
                    }
                    None => bail!(),
                },
                Instr::CallExtLast { export, slots } if has_reductions!() => match export.code() {
                    Some(code) => {
                        reds -= 1;
                        deallocate!(slots);
                        enter!(pc_of(code).module, code.ip);
                    }
                    None => bail!(),
                },
                Instr::CallExtOnly { export } if has_reductions!() => match export.code() {
                    Some(code) => {
                        reds -= 1;
                        enter!(pc_of(code).module, code.ip);
                    }
                    None => bail!(),
                },
                Instr::Return if cp != 0 => return_to!(),
                Instr::MoveReturn { src, dst } if cp != 0 => {
                    let v = read!(src);
                    write!(dst, v);
                    return_to!()
                }
                Instr::DeallocateReturn { slots } if p.heap.stack_word(0) != 0 => {
                    deallocate!(slots);
                    return_to!()
                }
                Instr::Deallocate { slots } => deallocate!(slots),
                Instr::Allocate { slots, heap, .. } if can_allocate!(slots, heap) => {
                    push_frame!(slots);
                }
                Instr::AllocateInit {
                    slots, heap, skip, ..
                } if can_allocate!(slots, heap) => {
                    push_frame!(slots);
                    skip!(skip);
                }
                Instr::AllocateMove {
                    slots,
                    heap,
                    src,
                    dst,
                    ..
                } if can_allocate!(slots, heap) => {
                    push_frame!(slots);
                    let v = read!(src);
                    write!(dst, v);
                    skip!(1);
                }
                Instr::TestHeap { words, .. } if has_room(p, words as usize) => {}
                Instr::TestHeapPutList {
                    words,
                    head,
                    tail,
                    dst,
                    ..
                } if has_room(p, words as usize) => {
                    let (h, t) = (read!(head), read!(tail));
                    let cell = build::cons(&mut p.heap, h, t);
                    write!(dst, cell);
                    skip!(1);
                }
                Instr::PutList { head, tail, dst } => {
                    let (h, t) = (read!(head), read!(tail));
                    let cell = build::cons(&mut p.heap, h, t);
                    write!(dst, cell);
                }
                Instr::GetList { src, head, tail } => {
                    let (h, t) = read!(src).as_cons().expect("get_list on a checked cons");
                    write!(head, h);
                    write!(tail, t);
                }
                Instr::GetHd { src, dst } => {
                    let (h, _) = read!(src).as_cons().expect("get_hd on a cons");
                    write!(dst, h);
                }
                Instr::GetTl { src, dst } => {
                    let (_, t) = read!(src).as_cons().expect("get_tl on a cons");
                    write!(dst, t);
                }
                Instr::IsNonemptyListGetList {
                    fail,
                    src,
                    head,
                    tail,
                } => match read!(src).as_cons() {
                    Some((h, t)) => {
                        write!(head, h);
                        write!(tail, t);
                        skip!(1);
                    }
                    None => goto!(fail),
                },
                Instr::GetTupleElement { src, index, dst } => {
                    let elements = read!(src)
                        .as_tuple()
                        .expect("get_tuple_element on a checked tuple");
                    write!(dst, elements[index as usize]);
                }
                Instr::GetTupleElement2 {
                    src,
                    index1,
                    dst1,
                    index2,
                    dst2,
                } => {
                    let elements = read!(src)
                        .as_tuple()
                        .expect("get_tuple_element on a checked tuple");
                    write!(dst1, elements[index1 as usize]);
                    write!(dst2, elements[index2 as usize]);
                    skip!(1);
                }
                Instr::IsTupleOfArity { fail, src, arity } => {
                    let ok = read!(src)
                        .as_tuple()
                        .is_some_and(|e| e.len() == arity as usize);
                    if ok {
                        skip!(1);
                    } else {
                        goto!(fail);
                    }
                }
                Instr::TestArity { fail, src, arity } => {
                    let ok = read!(src)
                        .as_tuple()
                        .is_some_and(|e| e.len() == arity as usize);
                    if !ok {
                        goto!(fail);
                    }
                }
                Instr::IsTaggedTuple {
                    fail,
                    src,
                    arity,
                    tag,
                } => {
                    let tag = read!(tag);
                    let ok = read!(src)
                        .as_tuple()
                        .is_some_and(|e| e.len() == arity as usize && e[0] == tag);
                    if !ok {
                        goto!(fail);
                    }
                }
                Instr::SelectVal {
                    src,
                    fail,
                    start,
                    count,
                } => {
                    let value = read!(src);
                    let table = &module.select_values[start as usize..(start + count) as usize];
                    goto!(select(table, value).unwrap_or(fail));
                }
                Instr::SelectTupleArity {
                    src,
                    fail,
                    start,
                    count,
                } => {
                    let arity = read!(src).as_tuple().map(|e| e.len());
                    let table = &module.select_values[start as usize..(start + count) as usize];
                    goto!(arity
                        .and_then(|n| select(table, Term::small(n as i64)))
                        .unwrap_or(fail));
                }
                Instr::Jump { to } => goto!(to),
                Instr::Arith { op, a, b, dst, .. } => {
                    let (a, b) = (read!(a), read!(b));
                    match small_arith(op, a, b) {
                        Some(result) => write!(dst, result),
                        None => bail!(),
                    }
                }
                Instr::ArithImm {
                    op, a, imm, dst, ..
                } => match small_arith(op, read!(a), Term::small(imm.into())) {
                    Some(result) => write!(dst, result),
                    None => bail!(),
                },
                Instr::Fetch { op, a, b, dst, .. } => {
                    let (a, b) = (read!(a), read!(b));
                    match fetch(op, a, b) {
                        Some(value) => write!(dst, value),
                        None => bail!(),
                    }
                }
                Instr::InitY { y } => p.heap.set_y(y as usize + 1, Term::NIL),
                Instr::Swap { a, b } => {
                    let (va, vb) = (read!(a.as_src()), read!(b.as_src()));
                    write!(a, vb);
                    write!(b, va);
                }
                Instr::FLoad { src, fr } => {
                    let v = read!(src);
                    floats[fr as usize] = v.as_float().expect("fmove of a float term");
                }
                Instr::FStore { fr, dst } => {
                    let f = build::float(&mut p.heap, floats[fr as usize]);
                    write!(dst, f);
                }
                Instr::FMove { from, to } => floats[to as usize] = floats[from as usize],
                Instr::FConv { src, fr } => {
                    let v = read!(src);
                    match v
                        .as_float()
                        .or_else(|| crate::term::arith::integer_to_f64(v))
                    {
                        Some(f) => floats[fr as usize] = f,
                        None => bail!(),
                    }
                }
                Instr::FArith { op, a, b, dst } => {
                    let r = float_op(op, floats[a as usize], floats[b as usize]);
                    if !r.is_finite() {
                        bail!();
                    }
                    floats[dst as usize] = r;
                }
                Instr::Trim { drop } => {
                    // The return address moves up over the dropped slots.
                    let saved = p.heap.stack_word(0);
                    p.heap.pop_frame(drop as usize);
                    p.heap.set_return_address(0, saved);
                }
                Instr::PutTuple { start, count, dst } => {
                    let sources = &module.operands[start as usize..(start + count) as usize];
                    let tuple = if sources.len() <= SMALL_TUPLE {
                        let mut elements = [Term::NIL; SMALL_TUPLE];
                        for (e, &s) in elements.iter_mut().zip(sources) {
                            *e = read!(s);
                        }
                        build::tuple(&mut p.heap, &elements[..sources.len()])
                    } else {
                        let elements: Vec<Term> = sources.iter().map(|&s| read!(s)).collect();
                        build::tuple(&mut p.heap, &elements)
                    };
                    write!(dst, tuple);
                }
                _ => bail!(),
            }
        }
    }
}

/// True when `words` are free and no collection is due (neither asked for,
/// nor owed to heap fragments that natives left).
#[inline]
fn has_room(p: &Process, words: usize) -> bool {
    !p.major_gc_requested && !p.heap.needs_gc(words) && !p.heap.has_fragments()
}
