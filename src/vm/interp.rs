//! The interpreter: runs a process's code, one [`Instr`] at a time.
//!
//! Registers: `x` lives in the [`Process`]; Y registers and saved return
//! addresses live on the process stack (BEAM's frame layout: `allocate N`
//! pushes `N + 1` words, slot 0 holding the caller's return address and
//! slots `1..=N` the Y registers). The continuation pointer `cp` holds the
//! return address of a function that has not allocated a frame.
//!
//! Garbage collections happen only at the instructions that say how many X
//! registers are live (`allocate`, `test_heap`, GC BIFs) and after native
//! calls that spilled into heap fragments.

use crate::bif::{Class, NativeFn, Raised};
use crate::code::module::{self, module_in_slot, CodeRef, LoadFailure, Module};
use crate::code::Export;
use crate::term::{atoms, build, order, Atom, Term, View};
use crate::vm::bits::{self, BuildStyle};
use crate::vm::instr::{
    BadEnd, CatchExit, Compare, Dst, FetchOp, FloatOp, Instr, SmallOp, Src, SrcKind, TypeTest,
    NO_FRAME, NO_GC, NO_LABEL,
};
use crate::vm::process::{Entry, Process};
use crate::vm::runtime::runtime;
use crate::vm::signal::{self, Handled, Signal};
use crossbeam_queue::SegQueue;

mod hot;

/// BEAM's number of X registers.
pub const X_REGISTERS: usize = 1024;

/// Native calls with at most this many arguments pass them from the stack.
const NATIVE_ARGS_ON_STACK: usize = 8;

/// Map updates with at most this many pairs keep them on the stack.
const MAP_PAIRS_ON_STACK: usize = 8;

/// Frames kept in a stack trace (erl's default `backtrace_depth`).
const BACKTRACE_DEPTH: usize = 8;

/// An exception that left the code run by [`call`].
#[derive(Debug)]
pub struct Exception {
    pub class: Class,
    pub reason: Term,
    /// `[{M, F, ArityOrArgs, Location}, ...]`, as `erlang:get_stacktrace`.
    pub stacktrace: Term,
    /// Raised by a call that matched no clause: erl drops the location of
    /// the top frame when such an exception is re-raised from its raw
    /// stack trace (`raw_raise`), and so do we.
    pub function_clause: bool,
}

/// Where execution is: a module and an instruction index in it.
#[derive(Clone, Copy)]
struct Pc {
    module: &'static Module,
    ip: usize,
}

impl Pc {
    fn code_ref(self) -> CodeRef {
        CodeRef {
            slot: self.module.slot,
            ip: self.ip as u32,
        }
    }
}

/// What raised an exception, for the top of its stack trace.
enum Origin {
    /// The instruction before `pc` in Erlang code.
    Code,
    /// A native function, called with these arguments.
    Native(&'static Export, Vec<Term>),
    /// A function that was called with these arguments and matched no
    /// clause.
    Call(Atom, Atom, Vec<Term>),
    /// A call of a function that does not exist; `tail` when the caller's
    /// frame is already gone.
    Undef(Atom, Atom, Vec<Term>, bool),
    /// The instruction before `pc` (a binary build), adding this
    /// `{error_info, Map}` to its frame.
    CodeWithInfo(Term),
}

/// How a process ended.
pub enum Ending {
    /// Its first function returned this.
    Returned(Term),
    /// An exception no `catch` took.
    Raised(Exception),
    /// An exit signal ended it, with this reason.
    Killed(Term),
}

/// Why a time slice ended.
pub enum SliceEnd {
    /// Out of reductions (or asked to yield): runnable again.
    Yield,
    /// Waiting in a receive for a message or its timeout.
    Wait,
    Exit(Ending),
}

/// A scheduler's registers: the X and float registers and a scratch
/// buffer, shared by every process the scheduler runs (a process saves the
/// live X registers when it is switched out).
pub struct Registers {
    x: Box<[Term; X_REGISTERS]>,
    fr: Box<[f64; FLOAT_REGISTERS]>,
    scratch: Vec<Term>,
}

impl Registers {
    pub fn new() -> Registers {
        Registers {
            x: Box::new([Term::NIL; X_REGISTERS]),
            fr: Box::new([0.0; FLOAT_REGISTERS]),
            scratch: Vec::new(),
        }
    }
}

impl Default for Registers {
    fn default() -> Self {
        Registers::new()
    }
}

/// Runs `process` for at most `reductions` calls: from where it was
/// suspended, or into the function it was started with.
pub fn run_slice(
    process: &mut Process,
    inbox: &SegQueue<Signal>,
    registers: &mut Registers,
    reductions: i64,
) -> SliceEnd {
    let resume = &mut process.resume;
    registers.x[..resume.x.len()].copy_from_slice(&resume.x);
    resume.waiting = false;
    let entry = resume.entry.take();
    let (pc, cp) = (resume.pc, resume.cp);
    let mut interp = Interp {
        p: process,
        x: &mut registers.x,
        fr: &mut registers.fr,
        scratch: &mut registers.scratch,
        inbox,
        cp,
        reds: reductions,
    };
    let start = match entry {
        // A native (spawn(erlang, send, ...)) runs at once, as apply runs it.
        Some(Entry::Export(export)) => interp.enter_export(export),
        Some(Entry::Fun { arity }) => {
            let fun = interp.x[arity];
            interp.enter_fun(fun, arity)
        }
        None => Ok(Entered::Code(pc_of(
            CodeRef::from_word(pc).expect("a suspended process has a pc"),
        ))),
    };
    let end = match start {
        Ok(Entered::Code(pc)) => match interp.run(pc) {
            Ok(end) => end,
            Err(exception) => SliceEnd::Exit(Ending::Raised(exception)),
        },
        Ok(Entered::Returned(value)) => SliceEnd::Exit(Ending::Returned(value)),
        Err((origin, raised)) => {
            SliceEnd::Exit(Ending::Raised(interp.exception(raised, origin, None)))
        }
    };
    let spent = reductions - interp.reds.max(0);
    process.reductions += spent as u64;
    end
}

/// Calls `export` with `args` in `process` on this thread and runs it to
/// its end (for code that does not receive: tests and tools).
pub fn call(
    process: &mut Process,
    export: &'static Export,
    args: &[Term],
) -> Result<Term, Exception> {
    process.start_with(export, args);
    let inbox = SegQueue::new();
    let mut registers = Registers::new();
    loop {
        match run_slice(process, &inbox, &mut registers, i64::MAX) {
            SliceEnd::Yield => continue,
            SliceEnd::Exit(Ending::Returned(value)) => return Ok(value),
            SliceEnd::Exit(Ending::Raised(exception)) => return Err(exception),
            SliceEnd::Exit(Ending::Killed(reason)) => {
                return Err(Exception {
                    class: Class::Exit,
                    reason,
                    stacktrace: Term::NIL,
                    function_clause: false,
                })
            }
            SliceEnd::Wait => {
                let reason = Atom::intern("oxbeam_call_blocked_in_receive").expect("atom");
                return Err(Exception {
                    class: Class::Exit,
                    reason: Term::atom(reason),
                    stacktrace: Term::NIL,
                    function_clause: false,
                });
            }
        }
    }
}

struct Interp<'p> {
    p: &'p mut Process,
    x: &'p mut [Term; X_REGISTERS],
    /// The float registers.
    fr: &'p mut [f64; FLOAT_REGISTERS],
    /// Reused buffer for building tuples from operands.
    scratch: &'p mut Vec<Term>,
    /// The process's signal queue, read when a receive runs out of
    /// messages.
    inbox: &'p SegQueue<Signal>,
    /// The return address of the running function while it has no frame.
    cp: u64,
    /// Reductions left in this time slice.
    reds: i64,
}

/// BEAM's number of float registers.
const FLOAT_REGISTERS: usize = 1024;

impl Interp<'_> {
    #[inline]
    fn read(&self, module: &Module, src: Src) -> Term {
        read_operand(self.x, &self.p.heap, module, src)
    }

    #[inline]
    fn write(&mut self, dst: Dst, value: Term) {
        write_register(self.x, &mut self.p.heap, dst, value)
    }

    /// Collects garbage if fewer than `need` words are free or natives left
    /// heap fragments (merged at the first safe point, as erts collects
    /// after a BIF that left any), with `live` X registers (and `extra`
    /// terms) as roots.
    fn gc(&mut self, need: usize, live: usize, extra: &mut [Term]) {
        let major = self.p.major_gc_requested;
        if !major && !self.p.heap.needs_gc(need) && !self.p.heap.has_fragments() {
            return;
        }
        self.collect(need, live, extra);
    }

    /// A collection whatever the free room, with `live` X registers.
    fn collect_now(&mut self, live: usize) {
        self.collect(0, live, &mut []);
    }

    fn collect(&mut self, need: usize, live: usize, extra: &mut [Term]) {
        let major = std::mem::take(&mut self.p.major_gc_requested);
        let Process {
            heap,
            dictionary,
            mailbox,
            ..
        } = &mut *self.p;
        let x = &mut *self.x;
        let [messages_front, messages_back, markers] = mailbox.roots_mut();
        let mut roots: [&mut [Term]; 5] = [
            extra,
            dictionary.roots_mut(),
            messages_front,
            messages_back,
            markers,
        ];
        let collected = if major {
            heap.garbage_collect_major(need, &mut x[..live], &mut roots)
        } else {
            heap.garbage_collect(need, &mut x[..live], &mut roots)
        };
        if collected.is_err() {
            // Past max_heap_size with `kill`: the process ends at its next
            // call, as erl ends it at its next scheduling point. Until then
            // the code needs its room, so collect without the limit.
            let settings = heap.settings();
            heap.set_max_heap_size(crate::heap::MaxHeapSize {
                size: 0,
                ..settings.max_heap_size
            });
            let _ = heap.garbage_collect(need, &mut x[..live], &mut roots);
            heap.set_max_heap_size(settings.max_heap_size);
            self.p.pending_exit = Some(Term::atom(atoms::KILLED));
            self.reds = 0;
        }
    }

    /// The code of `export`, loading its module on demand; `undef` when
    /// there is none.
    fn enter(&mut self, export: &'static Export) -> Result<Pc, (Origin, Term)> {
        if let Some(code) = export.code() {
            return Ok(pc_of(code));
        }
        if module::loaded(export.module).is_none() {
            match module::ensure_loaded(export.module) {
                Ok(_) | Err(LoadFailure::NotFound) => {}
                Err(LoadFailure::Bad(why)) => {
                    eprintln!("oxbeam: loading {}: {why}", export.module);
                }
            }
        }
        match export.code() {
            Some(code) => Ok(pc_of(code)),
            None => {
                let args = self.x[..export.arity as usize].to_vec();
                Err((
                    Origin::Undef(export.module, export.function, args, false),
                    Term::atom(atoms::UNDEF),
                ))
            }
        }
    }

    fn call_native(&mut self, native: NativeFn, arity: usize) -> Result<Term, Raised> {
        // The arguments are copied out of the X registers, which the native
        // may write (it gets the whole process); on the stack when few.
        let result = if arity <= NATIVE_ARGS_ON_STACK {
            let mut args = [Term::NIL; NATIVE_ARGS_ON_STACK];
            args[..arity].copy_from_slice(&self.x[..arity]);
            native(self.p, &args[..arity])
        } else {
            let args = self.x[..arity].to_vec();
            native(self.p, &args)
        };
        self.after_native();
        result
    }

    /// Spends a reduction on a call; true when the slice is used up (or a
    /// native asked to yield).
    #[inline]
    fn out_of_reductions(&mut self) -> bool {
        self.reds -= 1;
        self.reds <= 0
    }

    /// Saves where the process goes on (the function entry `pc`, its
    /// arguments live in X registers) and ends the slice.
    fn suspend(&mut self, pc: Pc) -> SliceEnd {
        if let Some(reason) = self.p.pending_exit.take() {
            return SliceEnd::Exit(Ending::Killed(reason));
        }
        let live = pc
            .module
            .function_at(pc.ip as u32)
            .map_or(0, |f| f.arity as usize);
        let resume = &mut self.p.resume;
        resume.pc = pc.code_ref().to_word();
        resume.cp = self.cp;
        resume.x.clear();
        resume.x.extend_from_slice(&self.x[..live]);
        SliceEnd::Yield
    }

    /// Ends the slice in a receive: the process goes on at `pc` (its
    /// `loop_rec`) once a message or the timeout comes.
    fn wait(&mut self, pc: Pc) -> SliceEnd {
        // No X register is live here: a cheap moment to fold the messages
        // that arrived in fragments into the heap (a process that only
        // receives would otherwise never collect them).
        if self.p.heap.has_fragments() {
            self.p.major_gc_requested = false;
            self.collect_now(0);
        }
        let resume = &mut self.p.resume;
        resume.pc = pc.code_ref().to_word();
        resume.cp = self.cp;
        resume.x.clear();
        resume.waiting = true;
        SliceEnd::Wait
    }

    /// `erlang:hibernate/3` with `export`'s arguments in the list `x2`:
    /// the stack goes, a major collection shrinks the heap, and the process
    /// waits for a message to start `export` afresh.
    fn hibernate(&mut self, export: &'static Export) -> SliceEnd {
        let stack = self.p.heap.stack_len();
        self.p.heap.pop_frame(stack);
        self.cp = 0;
        self.x[0] = self.x[2];
        self.p.major_gc_requested = true;
        self.collect_now(1);
        let args: Vec<Term> = self.x[0].list_iter().collect();
        self.p.mailbox.rewind();
        let resume = &mut self.p.resume;
        resume.entry = Some(Entry::Export(export));
        resume.cp = 0;
        resume.x = args;
        resume.waiting = true;
        SliceEnd::Wait
    }

    /// Handles the signals that have arrived; the exit reason if one of
    /// them ends the process.
    fn take_signals(&mut self) -> Option<Term> {
        while let Some(s) = self.inbox.pop() {
            if let Handled::Exit(reason) = signal::handle(self.p, s) {
                return Some(reason);
            }
        }
        None
    }

    /// After a native: a native that wants the process switched out (to
    /// handle a signal it sent itself, or `erlang:yield/0`) ends the slice
    /// at the next call.
    #[inline]
    fn after_native(&mut self) {
        if self.p.yield_requested {
            self.p.yield_requested = false;
            self.reds = 0;
        }
    }

    /// Calls the BIF of `bif` on `args` and writes its result to `dst`.
    fn call_bif(
        &mut self,
        native: NativeFn,
        bif: &crate::vm::instr::BifCall,
        args: &[Term],
        dst: Dst,
    ) -> Result<(), Raised> {
        let had_fragments = self.p.heap.has_fragments();
        let result = native(self.p, args);
        self.after_native();
        let mut result = result?;
        // Only a GC BIF allocates, and its live count is exact; a plain
        // BIF's is 0, so fragments left by earlier instructions wait for
        // the next safe point.
        if !had_fragments && self.p.heap.has_fragments() {
            self.gc(0, bif.live as usize, std::slice::from_mut(&mut result));
        }
        self.write(dst, result);
        Ok(())
    }

    /// Returns to `cp`, or ends the run with `x0`.
    fn return_to(&mut self) -> Option<Pc> {
        let cp = std::mem::take(&mut self.cp);
        CodeRef::from_word(cp).map(pc_of)
    }

    /// `allocate`: a frame of `slots` Y registers and the return address,
    /// and `heap` free words, collecting with `live` X registers if needed.
    #[inline]
    fn allocate(&mut self, slots: u32, heap: u32, live: u32) {
        let need = slots as usize + 1 + heap as usize;
        self.gc(need, live as usize, &mut []);
        let pushed = self.p.heap.push_frame(slots as usize + 1);
        debug_assert!(pushed, "a collection made room for the frame");
        let cp = std::mem::take(&mut self.cp);
        self.p.heap.set_return_address(0, cp);
    }

    fn deallocate(&mut self, slots: u32) {
        self.cp = self.p.heap.stack_word(0);
        self.p.heap.pop_frame(slots as usize + 1);
    }

    fn run(&mut self, mut pc: Pc) -> Result<SliceEnd, Exception> {
        // The slow path of `Arith` and `Fetch`: the BIF itself, branching to
        // `fail` or raising when it fails.
        macro_rules! call_bif2 {
            ($module:expr, $call:expr, $a:expr, $b:expr, $dst:expr, $fail:expr) => {{
                let bif = $module.bif_calls[$call as usize];
                match self.call_bif(bif.native, &bif, &[$a, $b], $dst) {
                    Ok(()) => continue,
                    Err(_) if $fail != NO_LABEL => {
                        pc.ip = $fail as usize;
                        continue;
                    }
                    Err(raised) => (raised, Origin::Native(bif.export, vec![$a, $b])),
                }
            }};
        }
        // `Arith`, `ArithImm` and `Fetch`: the value computed inline when
        // there is one, else the BIF on `a` and `b`.
        macro_rules! inline_or_bif {
            ($inline:expr, $module:expr, $a:expr, $b:expr, $dst:expr, $call:expr, $fail:expr) => {{
                if let Some(result) = $inline {
                    self.write($dst, result);
                    continue;
                }
                call_bif2!($module, $call, $a, $b, $dst, $fail)
            }};
        }
        // Goes on at a called function's entry, spending a reduction; the
        // slice ends there when they are used up.
        macro_rules! enter_call {
            ($entry:expr) => {{
                pc = $entry;
                if self.out_of_reductions() {
                    return Ok(self.suspend(pc));
                }
                continue;
            }};
        }
        // Returns to `cp`, or ends the run with `x0`.
        macro_rules! return_to_cp {
            ($module:expr) => {{
                match CodeRef::from_word(std::mem::take(&mut self.cp)) {
                    // Most returns stay in the module: no slot lookup.
                    Some(code) if code.slot == $module.slot => {
                        pc.ip = code.ip as usize;
                        continue;
                    }
                    Some(code) => {
                        pc = pc_of(code);
                        continue;
                    }
                    None => return Ok(SliceEnd::Exit(Ending::Returned(self.x[0]))),
                }
            }};
        }
        loop {
            self.run_hot(&mut pc);
            let module = pc.module;
            let instr = module.code[pc.ip];
            pc.ip += 1;
            let raised: (Raised, Origin) = match instr {
                Instr::Call { to } => {
                    self.cp = pc.code_ref().to_word();
                    enter_call!(Pc {
                        ip: to as usize,
                        ..pc
                    });
                }
                Instr::CallLast { to, slots } => {
                    self.deallocate(slots);
                    enter_call!(Pc {
                        ip: to as usize,
                        ..pc
                    });
                }
                Instr::CallOnly { to } => {
                    enter_call!(Pc {
                        ip: to as usize,
                        ..pc
                    });
                }
                Instr::Return => return_to_cp!(module),
                Instr::Allocate { slots, heap, live } => {
                    self.allocate(slots, heap, live);
                    continue;
                }
                // Superinstructions: the second instruction's work, then on
                // after it.
                Instr::MoveCall { src, dst, to } => {
                    let v = self.read(module, src);
                    self.write(dst, v);
                    pc.ip += 1;
                    self.cp = pc.code_ref().to_word();
                    enter_call!(Pc {
                        ip: to as usize,
                        ..pc
                    });
                }
                Instr::MoveCallOnly { src, dst, to } => {
                    let v = self.read(module, src);
                    self.write(dst, v);
                    enter_call!(Pc {
                        ip: to as usize,
                        ..pc
                    });
                }
                Instr::MoveCallLast {
                    src,
                    dst,
                    to,
                    slots,
                } => {
                    let v = self.read(module, src);
                    self.write(dst, v);
                    self.deallocate(slots);
                    enter_call!(Pc {
                        ip: to as usize,
                        ..pc
                    });
                }
                Instr::MoveReturn { src, dst } => {
                    let v = self.read(module, src);
                    self.write(dst, v);
                    return_to_cp!(module)
                }
                Instr::DeallocateReturn { slots } => {
                    self.deallocate(slots);
                    return_to_cp!(module)
                }
                Instr::AllocateInit {
                    slots,
                    heap,
                    live,
                    skip,
                } => {
                    self.allocate(slots, heap, live);
                    pc.ip += skip as usize;
                    continue;
                }
                Instr::AllocateMove {
                    slots,
                    heap,
                    live,
                    src,
                    dst,
                } => {
                    self.allocate(slots, heap, live);
                    let v = self.read(module, src);
                    self.write(dst, v);
                    pc.ip += 1;
                    continue;
                }
                Instr::TestHeapPutList {
                    words,
                    live,
                    head,
                    tail,
                    dst,
                } => {
                    self.gc(words as usize, live as usize, &mut []);
                    let (h, t) = (self.read(module, head), self.read(module, tail));
                    let cell = build::cons(&mut self.p.heap, h, t);
                    self.write(dst, cell);
                    pc.ip += 1;
                    continue;
                }
                Instr::TestHeap { words, live } => {
                    self.gc(words as usize, live as usize, &mut []);
                    continue;
                }
                Instr::SetTupleElement {
                    value,
                    tuple,
                    index,
                } => {
                    let (value, tuple) = (self.read(module, value), self.read(module, tuple));
                    // SAFETY: the compiler emits set_tuple_element only on
                    // a tuple just built by this code (no GC in between)
                    // and within its arity.
                    unsafe { build::set_tuple_element(tuple, index as usize, value) };
                    continue;
                }
                Instr::IsFunction2 { fail, src, arity } => {
                    let (f, arity) = (self.read(module, src), self.read(module, arity));
                    if !is_function_of_arity(f, arity) {
                        pc.ip = fail as usize;
                    }
                    continue;
                }
                Instr::CallExt { export } => {
                    let return_to = pc.code_ref().to_word();
                    match self.enter(export) {
                        Ok(next) => {
                            self.cp = return_to;
                            enter_call!(next);
                        }
                        Err((origin, reason)) => (Raised::error(reason), origin),
                    }
                }
                Instr::CallExtLast { export, slots } => {
                    self.deallocate(slots);
                    match self.enter(export) {
                        Ok(next) => {
                            enter_call!(next);
                        }
                        Err((origin, reason)) => (Raised::error(reason), as_tail(origin)),
                    }
                }
                Instr::CallExtOnly { export } => match self.enter(export) {
                    Ok(next) => {
                        enter_call!(next);
                    }
                    Err((origin, reason)) => (Raised::error(reason), as_tail(origin)),
                },
                Instr::CallNative {
                    native,
                    export,
                    tail,
                    slots,
                } => match self.call_native(native, export.arity as usize) {
                    Ok(result) => {
                        self.x[0] = result;
                        self.gc(0, 1, &mut []);
                        if !tail {
                            continue;
                        }
                        if slots != NO_FRAME {
                            self.deallocate(slots);
                        }
                        match self.return_to() {
                            Some(next) => {
                                pc = next;
                                continue;
                            }
                            None => return Ok(SliceEnd::Exit(Ending::Returned(self.x[0]))),
                        }
                    }
                    Err(raised) => {
                        let args = self.x[..export.arity as usize].to_vec();
                        (raised, Origin::Native(export, args))
                    }
                },
                Instr::NativeBody { native, export } => {
                    match self.call_native(native, export.arity as usize) {
                        Ok(result) => {
                            self.x[0] = result;
                            self.gc(0, 1, &mut []);
                            match self.return_to() {
                                Some(next) => {
                                    pc = next;
                                    continue;
                                }
                                None => return Ok(SliceEnd::Exit(Ending::Returned(self.x[0]))),
                            }
                        }
                        Err(raised) => {
                            let args = self.x[..export.arity as usize].to_vec();
                            (raised, Origin::Native(export, args))
                        }
                    }
                }
                Instr::Bif {
                    native,
                    fail,
                    call,
                    dst,
                } => {
                    let bif = module.bif_calls[call as usize];
                    let sources =
                        &module.operands[bif.args as usize..(bif.args + bif.arity) as usize];
                    // At most 3 (gc_bif3), so on the stack.
                    let mut buffer = [Term::NIL; 3];
                    let args = &mut buffer[..sources.len()];
                    for (arg, &source) in args.iter_mut().zip(sources) {
                        *arg = self.read(module, source);
                    }
                    let args = &*args;
                    match self.call_bif(native, &bif, args, dst) {
                        Ok(()) => continue,
                        Err(_) if fail != NO_LABEL => {
                            pc.ip = fail as usize;
                            continue;
                        }
                        Err(raised) => (raised, Origin::Native(bif.export, args.to_vec())),
                    }
                }
                Instr::Arith {
                    op,
                    a,
                    b,
                    dst,
                    call,
                    fail,
                } => {
                    let (a, b) = (self.read(module, a), self.read(module, b));
                    inline_or_bif!(small_arith(op, a, b), module, a, b, dst, call, fail)
                }
                Instr::ArithImm {
                    op,
                    a,
                    imm,
                    dst,
                    call,
                    fail,
                } => {
                    let (a, b) = (self.read(module, a), Term::small(imm.into()));
                    inline_or_bif!(small_arith(op, a, b), module, a, b, dst, call, fail)
                }
                Instr::Fetch {
                    op,
                    a,
                    b,
                    dst,
                    call,
                    fail,
                } => {
                    let (a, b) = (self.read(module, a), self.read(module, b));
                    inline_or_bif!(fetch(op, a, b), module, a, b, dst, call, fail)
                }
                Instr::BadEnd { kind, src } => {
                    let value = self.read(module, src);
                    let reason = match kind {
                        BadEnd::IfClause => Term::atom(atoms::IF_CLAUSE),
                        BadEnd::Badmatch => self.tagged(atoms::BADMATCH, value),
                        BadEnd::CaseClause => self.tagged(atoms::CASE_CLAUSE, value),
                        BadEnd::TryClause => self.tagged(atoms::TRY_CLAUSE, value),
                        BadEnd::Badrecord => self.tagged(atoms::BADRECORD, value),
                    };
                    (Raised::error(reason), Origin::Code)
                }
                Instr::FuncInfo {
                    module: m,
                    function,
                    arity,
                } => {
                    let args = self.x[..arity as usize].to_vec();
                    (
                        Raised::error(Term::atom(atoms::FUNCTION_CLAUSE)),
                        Origin::Call(m, function, args),
                    )
                }
                Instr::Catch { y, handler } => {
                    let tag = (module.slot as u64) << 32 | handler as u64;
                    self.p.heap.set_y(y as usize + 1, Term::catch(tag));
                    continue;
                }
                Instr::CatchExit { y, kind } => {
                    self.p.heap.set_y(y as usize + 1, Term::NIL);
                    match kind {
                        CatchExit::TryEnd => {}
                        CatchExit::TryCase => {
                            self.x[0] = self.x[1];
                            self.x[1] = self.x[2];
                            self.x[2] = self.x[3];
                        }
                        CatchExit::CatchEnd if self.x[0].is_none() => {
                            self.x[0] = self.catch_value();
                        }
                        CatchExit::CatchEnd => {}
                    }
                    continue;
                }
                Instr::Raise { trace, reason } => {
                    let (trace, reason) = (self.read(module, trace), self.read(module, reason));
                    match reraise(&mut self.p.heap, trace, reason) {
                        Some(exception) => {
                            pc = self.unwind(exception)?;
                            continue;
                        }
                        None => (Raised::badarg(), Origin::Code),
                    }
                }
                Instr::RawRaise => {
                    let (class, reason, trace) = (self.x[0], self.x[1], self.x[2]);
                    match reraise(&mut self.p.heap, trace, reason)
                        .filter(|e| Term::atom(class_atom(e.class)) == class)
                    {
                        Some(exception) => {
                            pc = self.unwind(exception)?;
                            continue;
                        }
                        None => (Raised::badarg(), Origin::Code),
                    }
                }
                Instr::BuildStacktrace => {
                    let raw = self.x[0];
                    self.x[0] = raw
                        .as_tuple()
                        .filter(|e| e.len() >= 2)
                        .map_or(Term::NIL, |e| e[1]);
                    continue;
                }
                Instr::MakeFun {
                    lambda,
                    start,
                    count,
                    dst,
                } => {
                    let (entry, _) = module.lambdas[lambda as usize];
                    let mut free = std::mem::take(self.scratch);
                    free.clear();
                    let sources = &module.operands[start as usize..(start + count) as usize];
                    free.extend(sources.iter().map(|&s| self.read(module, s)));
                    let creator = self.p.self_term();
                    let fun = build::closure(&mut self.p.heap, entry, creator, &free);
                    *self.scratch = free;
                    self.write(dst, fun);
                    continue;
                }
                Instr::CallFun { fun, arity } => {
                    let fun = self.read(module, fun);
                    let return_to = pc.code_ref().to_word();
                    match self.enter_fun(fun, arity as usize) {
                        Ok(Entered::Code(next)) => {
                            self.cp = return_to;
                            enter_call!(next);
                        }
                        Ok(Entered::Returned(result)) => {
                            self.x[0] = result;
                            continue;
                        }
                        Err((origin, raised)) => {
                            // erl shows the caller twice for a bad fun call:
                            // the call has already saved its return address.
                            if matches!(origin, Origin::Code) {
                                self.cp = return_to;
                            }
                            (raised, origin)
                        }
                    }
                }
                Instr::Apply { arity, last, slots } => {
                    let (m, f) = (self.x[arity as usize], self.x[arity as usize + 1]);
                    let (Some(m), Some(f)) = (m.as_atom(), f.as_atom()) else {
                        let exception = self.exception(Raised::badarg(), Origin::Code, Some(pc));
                        pc = self.unwind(exception)?;
                        continue;
                    };
                    let export = crate::code::export_entry(m, f, arity);
                    if last {
                        self.deallocate(slots);
                    }
                    let entered = self.enter_export(export);
                    match self.continue_call(entered, pc, last) {
                        Ok(Some(next)) => {
                            enter_call!(next);
                        }
                        Ok(None) => return Ok(SliceEnd::Exit(Ending::Returned(self.x[0]))),
                        Err((origin, raised)) => (raised, origin),
                    }
                }
                Instr::ApplyList {
                    fun_form,
                    tail,
                    slots,
                } => {
                    let (target, list) = if fun_form {
                        (self.x[0], self.x[1])
                    } else {
                        (self.x[0], self.x[2])
                    };
                    let function = self.x[1];
                    let Some(args) = list.list_to_vec() else {
                        let export = crate::code::export_entry(
                            atoms::ERLANG,
                            Atom::intern("apply").expect("atom"),
                            if fun_form { 2 } else { 3 },
                        );
                        let arity = export.arity as usize;
                        let args = self.x[..arity].to_vec();
                        let raised = Raised::badarg();
                        let exception =
                            self.exception(raised, Origin::Native(export, args), Some(pc));
                        pc = self.unwind(exception)?;
                        continue;
                    };
                    for (i, a) in args.iter().enumerate() {
                        self.x[i] = *a;
                    }
                    let arity = args.len();
                    if tail && slots != NO_FRAME {
                        self.deallocate(slots);
                    }
                    let entered = if fun_form {
                        self.enter_fun(target, arity)
                    } else {
                        match (target.as_atom(), function.as_atom()) {
                            (Some(m), Some(f)) => {
                                let export = crate::code::export_entry(m, f, arity as u32);
                                self.enter_export(export)
                            }
                            _ => Err((Origin::Code, Raised::badarg())),
                        }
                    };
                    match self.continue_call(entered, pc, tail) {
                        Ok(Some(next)) => {
                            enter_call!(next);
                        }
                        Ok(None) => return Ok(SliceEnd::Exit(Ending::Returned(self.x[0]))),
                        Err((origin, raised)) => (raised, origin),
                    }
                }
                Instr::PutMap {
                    exact,
                    fail,
                    src,
                    dst,
                    start,
                    count,
                } => {
                    let map = self.read(module, src);
                    let Some(map_ref) = crate::term::MapRef::from_term(map) else {
                        if fail != NO_LABEL {
                            pc.ip = fail as usize;
                            continue;
                        }
                        let reason = self.tagged(atoms::BADMAP, map);
                        let exception =
                            self.exception(Raised::error(reason), Origin::Code, Some(pc));
                        pc = self.unwind(exception)?;
                        continue;
                    };
                    let operands = &module.operands[start as usize..(start + 2 * count) as usize];
                    // A few pairs (the common case) on the stack.
                    let mut on_stack = [(Term::NIL, Term::NIL); MAP_PAIRS_ON_STACK];
                    let mut on_heap = Vec::new();
                    let pairs = if operands.len() <= 2 * MAP_PAIRS_ON_STACK {
                        let pairs = &mut on_stack[..operands.len() / 2];
                        for (pair, kv) in pairs.iter_mut().zip(operands.chunks(2)) {
                            *pair = (self.read(module, kv[0]), self.read(module, kv[1]));
                        }
                        &*pairs
                    } else {
                        on_heap.extend(
                            operands
                                .chunks(2)
                                .map(|kv| (self.read(module, kv[0]), self.read(module, kv[1]))),
                        );
                        &on_heap[..]
                    };
                    let result = if exact {
                        crate::term::map::update_pairs(&mut self.p.heap, map_ref, pairs)
                    } else {
                        Ok(crate::term::map::put_pairs(
                            &mut self.p.heap,
                            map_ref,
                            pairs,
                        ))
                    };
                    match result {
                        Ok(new_map) => {
                            self.write(dst, new_map);
                            continue;
                        }
                        Err(_) if fail != NO_LABEL => {
                            pc.ip = fail as usize;
                            continue;
                        }
                        Err(key) => (Raised::error(self.tagged(atoms::BADKEY, key)), Origin::Code),
                    }
                }
                Instr::GetMapElements {
                    fail,
                    src,
                    start,
                    count,
                } => {
                    let map = self.read(module, src);
                    let operands = &module.operands[start as usize..(start + 2 * count) as usize];
                    let found = crate::term::MapRef::from_term(map).is_some_and(|m| {
                        operands
                            .chunks(2)
                            .all(|kv| match m.get(self.read(module, kv[0])) {
                                Some(value) => {
                                    self.write(src_as_dst(kv[1]), value);
                                    true
                                }
                                None => false,
                            })
                    });
                    if !found {
                        pc.ip = fail as usize;
                    }
                    continue;
                }
                Instr::HasMapFields {
                    fail,
                    src,
                    start,
                    count,
                } => {
                    let map = self.read(module, src);
                    let keys = &module.operands[start as usize..(start + count) as usize];
                    let ok = crate::term::MapRef::from_term(map).is_some_and(|m| {
                        keys.iter().all(|&k| m.get(self.read(module, k)).is_some())
                    });
                    if !ok {
                        pc.ip = fail as usize;
                    }
                    continue;
                }
                Instr::FConv { src, fr } => {
                    let v = self.read(module, src);
                    match v
                        .as_float()
                        .or_else(|| crate::term::arith::integer_to_f64(v))
                    {
                        Some(f) => {
                            self.fr[fr as usize] = f;
                            continue;
                        }
                        None => (Raised::badarith(), Origin::Code),
                    }
                }
                Instr::FArith { op, a, b, dst } => {
                    let r = float_op(op, self.fr[a as usize], self.fr[b as usize]);
                    if r.is_finite() {
                        self.fr[dst as usize] = r;
                        continue;
                    }
                    (Raised::badarith(), Origin::Code)
                }
                Instr::LoopRec { fail } => {
                    let mut message = self.p.mailbox.current();
                    if message.is_none() {
                        if let Some(reason) = self.take_signals() {
                            return Ok(SliceEnd::Exit(Ending::Killed(reason)));
                        }
                        message = self.p.mailbox.current();
                    }
                    match message {
                        Some(m) => self.x[0] = m,
                        None => pc.ip = fail as usize,
                    }
                    continue;
                }
                Instr::LoopRecEnd { to } => {
                    self.p.mailbox.skip_current();
                    pc.ip = to as usize;
                    continue;
                }
                Instr::RemoveMessage => {
                    self.p.mailbox.remove_current();
                    if let Some(timer) = self.p.receive_timer.take() {
                        runtime().timers.cancel(timer);
                    }
                    self.p.timed_out = false;
                    continue;
                }
                Instr::Wait { to } => {
                    pc.ip = to as usize;
                    return Ok(self.wait(pc));
                }
                Instr::WaitTimeout { to, timeout } => {
                    if std::mem::take(&mut self.p.timed_out) {
                        continue;
                    }
                    if self.p.receive_timer.is_none() {
                        let timeout = self.read(module, timeout);
                        match receive_timeout(timeout) {
                            Some(None) => {}
                            Some(Some(0)) => continue,
                            Some(Some(ms)) => {
                                let after = std::time::Duration::from_millis(ms);
                                let timer = runtime().start_receive_timer(self.p.pid, after);
                                self.p.receive_timer = Some(timer);
                            }
                            None => {
                                let reason = Term::atom(atoms::TIMEOUT_VALUE);
                                let exception =
                                    self.exception(Raised::error(reason), Origin::Code, Some(pc));
                                pc = self.unwind(exception)?;
                                continue;
                            }
                        }
                    }
                    pc.ip = to as usize;
                    return Ok(self.wait(pc));
                }
                Instr::Timeout => {
                    self.p.mailbox.rewind();
                    self.p.receive_timer = None;
                    continue;
                }
                Instr::Hibernate => {
                    let (m, f, args) = (self.x[0], self.x[1], self.x[2]);
                    let arity = {
                        let mut items = args.list_iter();
                        let n = items.by_ref().count();
                        items.rest().is_nil().then_some(n)
                    };
                    let (Some(m), Some(f), Some(arity)) = (m.as_atom(), f.as_atom(), arity) else {
                        let export = crate::code::export_entry(
                            atoms::ERLANG,
                            Atom::intern("hibernate").expect("atom"),
                            3,
                        );
                        let args = self.x[..3].to_vec();
                        let exception = self.exception(
                            Raised::badarg(),
                            Origin::Native(export, args),
                            Some(pc),
                        );
                        pc = self.unwind(exception)?;
                        continue;
                    };
                    return Ok(self.hibernate(crate::code::export_entry(m, f, arity as u32)));
                }
                Instr::RecvMarkerReserve { dst } => {
                    let marker = self.p.mailbox.reserve_marker();
                    self.write(dst, marker);
                    continue;
                }
                Instr::RecvMarkerBind { marker, reference } => {
                    let (marker, reference) =
                        (self.read(module, marker), self.read(module, reference));
                    self.p.mailbox.bind_marker(marker, reference);
                    continue;
                }
                Instr::RecvMarkerClear { reference } => {
                    let reference = self.read(module, reference);
                    self.p.mailbox.clear_marker(reference);
                    continue;
                }
                Instr::RecvMarkerUse { reference } => {
                    let reference = self.read(module, reference);
                    self.p.mailbox.use_marker(reference);
                    continue;
                }
                Instr::BsCreate {
                    fail,
                    start,
                    count,
                    dst,
                    live,
                    alloc,
                    puts,
                } => {
                    if live != NO_GC {
                        let need = alloc as usize + bits::BUILD_HEAP_NEED;
                        self.gc(need, live as usize, &mut []);
                    }
                    let segments = &module.bit_segments[start as usize..(start + count) as usize];
                    let mut args = std::mem::take(self.scratch);
                    args.clear();
                    for s in segments {
                        args.extend([self.read(module, s.value), self.read(module, s.size)]);
                    }
                    let style = if puts {
                        BuildStyle::Puts
                    } else {
                        BuildStyle::Create
                    };
                    let built = bits::create_bin(&mut self.p.heap, style, segments, &args);
                    *self.scratch = args;
                    match built {
                        Ok(bin) => {
                            self.write(dst, bin);
                            continue;
                        }
                        Err(_) if fail != NO_LABEL => {
                            pc.ip = fail as usize;
                            continue;
                        }
                        Err(e) => {
                            let (raised, info) = e.raise(&mut self.p.heap);
                            (raised, info.map_or(Origin::Code, Origin::CodeWithInfo))
                        }
                    }
                }
                Instr::BsStartMatch {
                    fail,
                    src,
                    dst,
                    live,
                } => {
                    let mut bin = [self.read(module, src)];
                    if bin[0].is_bitstring() {
                        self.gc(bits::MATCH_HEAP_NEED, live as usize, &mut bin);
                        bin[0] = bits::start_match(&mut self.p.heap, bin[0]).expect("a bitstring");
                    }
                    if bin[0].as_match_context().is_some() {
                        self.write(dst, bin[0]);
                        continue;
                    }
                    if fail != NO_LABEL {
                        pc.ip = fail as usize;
                        continue;
                    }
                    (Raised::badarg(), Origin::Code)
                }
                Instr::BsGet {
                    get,
                    flags,
                    unit,
                    live,
                    fail,
                    ctx,
                    size,
                    dst,
                } => {
                    let mut v = [self.read(module, ctx), self.read(module, size)];
                    let need = get.heap_need(v[1], unit);
                    if need > 0 {
                        self.gc(need, live as usize, &mut v);
                    }
                    match bits::get(&mut self.p.heap, get, flags, unit, v[0], v[1]) {
                        Some(value) => {
                            if get.writes() {
                                self.write(dst, value);
                            }
                            continue;
                        }
                        None if fail == NO_LABEL => (Raised::badarg(), Origin::Code),
                        None => {
                            pc.ip = fail as usize;
                            continue;
                        }
                    }
                }
                Instr::BsTest { unit, fail, ctx, n } => {
                    let (ctx, n) = (self.read(module, ctx), self.read(module, n));
                    let ok = if unit {
                        bits::test_unit(ctx, n)
                    } else {
                        bits::test_tail(ctx, n)
                    };
                    if !ok {
                        pc.ip = fail as usize;
                    }
                    continue;
                }
                Instr::BsMatchString { fail, ctx, string } => {
                    let (ctx, string) = (self.read(module, ctx), self.read(module, string));
                    if !bits::match_string(ctx, string) {
                        pc.ip = fail as usize;
                    }
                    continue;
                }
                Instr::BsGetTail { ctx, dst, live } => {
                    let mut v = [self.read(module, ctx)];
                    self.gc(bits::MATCH_HEAP_NEED, live as usize, &mut v);
                    let tail = bits::get_tail(&mut self.p.heap, v[0]).expect("a match context");
                    self.write(dst, tail);
                    continue;
                }
                Instr::BsGetPosition { ctx, dst } => {
                    let position = bits::get_position(self.read(module, ctx));
                    self.write(dst, position);
                    continue;
                }
                Instr::BsSetPosition { ctx, position } => {
                    bits::set_position(self.read(module, ctx), self.read(module, position));
                    continue;
                }
                Instr::BsAdd {
                    fail,
                    a,
                    b,
                    unit,
                    dst,
                } => match bits::add(self.read(module, a), self.read(module, b), unit) {
                    Ok(sum) => {
                        self.write(dst, sum);
                        continue;
                    }
                    Err(_) if fail != NO_LABEL => {
                        pc.ip = fail as usize;
                        continue;
                    }
                    Err(raised) => (raised, Origin::Code),
                },
                Instr::BsUtfSize { utf16, src, dst } => {
                    let v = self.read(module, src);
                    let size = if utf16 {
                        bits::utf16_size(v)
                    } else {
                        bits::utf8_size(v)
                    };
                    self.write(dst, Term::small(size));
                    continue;
                }
                Instr::BsInitWritable => {
                    self.gc(bits::BUILD_HEAP_NEED, 1, &mut []);
                    self.x[0] = bits::init_writable(&mut self.p.heap, self.x[0]);
                    continue;
                }
                // Run in full by the hot loop, never handed back.
                Instr::Move { .. }
                | Instr::Move2 { .. }
                | Instr::Test { .. }
                | Instr::Cmp { .. }
                | Instr::Deallocate { .. }
                | Instr::PutList { .. }
                | Instr::GetList { .. }
                | Instr::GetHd { .. }
                | Instr::GetTl { .. }
                | Instr::IsNonemptyListGetList { .. }
                | Instr::GetTupleElement { .. }
                | Instr::GetTupleElement2 { .. }
                | Instr::IsTupleOfArity { .. }
                | Instr::TestArity { .. }
                | Instr::IsTaggedTuple { .. }
                | Instr::SelectVal { .. }
                | Instr::SelectTupleArity { .. }
                | Instr::Jump { .. }
                | Instr::InitY { .. }
                | Instr::Swap { .. }
                | Instr::FLoad { .. }
                | Instr::FStore { .. }
                | Instr::FMove { .. }
                | Instr::Trim { .. }
                | Instr::PutTuple { .. } => unreachable!("{instr:?} is run by the hot loop"),
                // A BIF with no native yet: `undef`, naming it.
                Instr::Unsupported {
                    bif: Some(export), ..
                } => {
                    let args = self.x[..export.arity as usize].to_vec();
                    (
                        Raised::error(Term::atom(atoms::UNDEF)),
                        Origin::Call(export.module, export.function, args),
                    )
                }
                Instr::Unsupported { opcode, bif: None } => {
                    let name = crate::isa::GenOp::from_number(opcode).map_or("?", |op| op.name());
                    let what = Term::atom(Atom::intern(name).expect("opcode names are atoms"));
                    let tag =
                        Term::atom(Atom::intern("oxbeam_unsupported_instruction").expect("atom"));
                    let reason = build::tuple(&mut self.p.heap, &[tag, what]);
                    (Raised::error(reason), Origin::Code)
                }
            };
            let (raised, origin) = raised;
            let exception = self.exception(raised, origin, Some(pc));
            pc = self.unwind(exception)?;
        }
    }

    /// Hands an exception to the innermost `try`/`catch` on the stack: cuts
    /// the stack back to the frame holding the catch tag and returns the
    /// handler, with `x0 = NONE` (an exception happened), `x1` its class,
    /// `x2` its reason and `x3` its raw stack trace. Without a catch, the
    /// exception leaves the run.
    fn unwind(&mut self, exception: Exception) -> Result<Pc, Exception> {
        let heap = &mut self.p.heap;
        let mut frame_start = None;
        let mut handler = None;
        for i in 0..heap.stack_len() {
            let word = heap.stack_word(i);
            if word & 0b111 == 0 {
                frame_start = Some(i);
            } else if let Some(tag) = heap.y(i).as_catch() {
                handler = frame_start.map(|start| (start, tag));
                break;
            }
        }
        let Some((frame_start, tag)) = handler else {
            return Err(exception);
        };
        heap.pop_frame(frame_start);
        self.cp = 0;
        let class = Term::atom(class_atom(exception.class));
        let raw = if exception.function_clause {
            let mark = Term::atom(atoms::FUNCTION_CLAUSE);
            build::tuple(heap, &[class, exception.stacktrace, mark])
        } else {
            build::tuple(heap, &[class, exception.stacktrace])
        };
        self.x[0] = Term::NONE;
        self.x[1] = class;
        self.x[2] = exception.reason;
        self.x[3] = raw;
        Ok(pc_of(CodeRef {
            slot: (tag >> 32) as u32,
            ip: tag as u32,
        }))
    }

    /// The value of `catch Expr` for the exception in `x1..x3`: the thrown
    /// term, `{'EXIT', {Reason, Stacktrace}}` for an error, `{'EXIT',
    /// Reason}` for an exit.
    fn catch_value(&mut self) -> Term {
        let (class, reason, raw) = (self.x[1], self.x[2], self.x[3]);
        let stacktrace = raw.as_tuple().map_or(Term::NIL, |e| e[1]);
        let heap = &mut self.p.heap;
        match class.as_atom() {
            Some(atoms::THROW) => reason,
            Some(atoms::ERROR) => {
                let inner = build::tuple(heap, &[reason, stacktrace]);
                build::tuple(heap, &[Term::atom(atoms::EXIT), inner])
            }
            _ => build::tuple(heap, &[Term::atom(atoms::EXIT), reason]),
        }
    }

    /// Where a call that was entered goes on: into the callee's code (after
    /// saving the return address unless `tail`), or, when a native already
    /// returned its result into `x0`, to the next instruction or (for a
    /// tail call) back to the caller. `Ok(None)` ends the run.
    fn continue_call(
        &mut self,
        entered: Result<Entered, (Origin, Raised)>,
        pc: Pc,
        tail: bool,
    ) -> Result<Option<Pc>, (Origin, Raised)> {
        let entered = entered
            .map_err(|(origin, raised)| (if tail { as_tail(origin) } else { origin }, raised))?;
        match entered {
            Entered::Code(next) => {
                if !tail {
                    self.cp = pc.code_ref().to_word();
                }
                Ok(Some(next))
            }
            Entered::Returned(result) => {
                self.x[0] = result;
                if tail {
                    Ok(self.return_to())
                } else {
                    Ok(Some(pc))
                }
            }
        }
    }

    /// Enters `export` as `apply` does: a native runs at once, Erlang code
    /// is returned to be jumped to.
    fn enter_export(&mut self, export: &'static Export) -> Result<Entered, (Origin, Raised)> {
        if let Some(native) = crate::bif::lookup(export.module, export.function, export.arity) {
            let arity = export.arity as usize;
            return match self.call_native(native, arity) {
                Ok(result) => Ok(Entered::Returned(result)),
                Err(raised) => {
                    let args = self.x[..arity].to_vec();
                    Err((Origin::Native(export, args), raised))
                }
            };
        }
        self.enter(export)
            .map(Entered::Code)
            .map_err(|(origin, reason)| (origin, Raised::error(reason)))
    }

    /// Enters the fun `fun` called with `x0..arity`.
    fn enter_fun(&mut self, fun: Term, arity: usize) -> Result<Entered, (Origin, Raised)> {
        match fun.view() {
            View::Fun(closure) if closure.entry.arity as usize == arity => {
                for (i, v) in closure.free.iter().enumerate() {
                    self.x[arity + i] = *v;
                }
                let entry = closure.entry;
                if entry.code().is_none() {
                    let _ = module::ensure_loaded(entry.module);
                }
                match entry.code() {
                    Some(code) => Ok(Entered::Code(pc_of(code))),
                    None => Err((Origin::Code, Raised::error(self.tagged(atoms::BADFUN, fun)))),
                }
            }
            View::Export(export) if export.arity as usize == arity => self.enter_export(export),
            View::Fun(_) | View::Export(_) => {
                let args = self.x[..arity].to_vec();
                let heap = &mut self.p.heap;
                let args = build::list(heap, &args);
                let pair = build::tuple(heap, &[fun, args]);
                Err((
                    Origin::Code,
                    Raised::error(self.tagged(atoms::BADARITY, pair)),
                ))
            }
            _ => Err((Origin::Code, Raised::error(self.tagged(atoms::BADFUN, fun)))),
        }
    }

    fn tagged(&mut self, tag: Atom, value: Term) -> Term {
        build::tuple(&mut self.p.heap, &[Term::atom(tag), value])
    }

    /// Builds the exception, its stack trace made of the raising frame, the
    /// continuation pointer and the return addresses on the stack.
    fn exception(&mut self, raised: Raised, origin: Origin, pc: Option<Pc>) -> Exception {
        // The BIFs that raise on purpose leave no frame of their own: the
        // caller's frame is on top, with error/2,3's Args instead of its arity.
        let mut caller_args = None;
        let mut error_info_item = None;
        let cause = crate::bif::take_error_cause();
        let origin = match origin {
            Origin::Native(export, args) if export.module == atoms::ERLANG => {
                match (export.function.name(), export.arity) {
                    ("error" | "exit" | "throw" | "nif_error", 1) => Origin::Code,
                    ("error" | "nif_error", 2) | ("error", 3) => {
                        caller_args = Some(args[1]).filter(|a| a.is_list() || a.is_nil());
                        if export.arity == 3 {
                            error_info_item = error_info_option(args[2]);
                        }
                        Origin::Code
                    }
                    ("raise", 3) => {
                        return Exception {
                            class: raised.class,
                            reason: raised.reason,
                            stacktrace: args[2],
                            function_clause: false,
                        };
                    }
                    _ => Origin::Native(export, args),
                }
            }
            Origin::CodeWithInfo(info) => {
                error_info_item = Some(info);
                Origin::Code
            }
            other => other,
        };
        let mut frames: Vec<Term> = Vec::new();
        let heap = &mut self.p.heap;
        match &origin {
            Origin::Native(export, args) => {
                let args = build::list(heap, args);
                let location = match crate::bif::error_info_module(export.module) {
                    Some(info_module) => error_info(heap, info_module, cause),
                    None => Term::NIL,
                };
                frames.push(build::tuple(
                    heap,
                    &[
                        Term::atom(export.module),
                        Term::atom(export.function),
                        args,
                        location,
                    ],
                ));
            }
            Origin::Call(m, f, args) => {
                let args = build::list(heap, args);
                let location = match pc {
                    Some(pc) => location_term(heap, pc.module, pc.ip.saturating_sub(1)),
                    None => Term::NIL,
                };
                frames.push(build::tuple(
                    heap,
                    &[Term::atom(*m), Term::atom(*f), args, location],
                ));
            }
            Origin::Undef(m, f, args, _) => {
                let args = build::list(heap, args);
                frames.push(build::tuple(
                    heap,
                    &[Term::atom(*m), Term::atom(*f), args, Term::NIL],
                ));
            }
            Origin::Code | Origin::CodeWithInfo(_) => {}
        }
        // The frame of the code that raised (for a function_clause, the
        // function itself is the frame above).
        let caller_frame_gone = matches!(origin, Origin::Call(..) | Origin::Undef(.., true));
        if let (Some(pc), false) = (pc, caller_frame_gone) {
            let mut frame = code_frame(heap, pc.module, pc.ip.saturating_sub(1));
            if caller_args.is_some() || error_info_item.is_some() {
                let e = frame.as_tuple().expect("a frame is a tuple");
                let args = caller_args.unwrap_or(e[2]);
                let mut location = e[3];
                if let Some(info) = error_info_item {
                    // error/3's {error_info, Map} ends the location list.
                    let mut items = location.list_to_vec().unwrap_or_default();
                    items.push(info);
                    location = build::list(heap, &items);
                }
                frame = build::tuple(heap, &[e[0], e[1], args, location]);
            }
            frames.push(frame);
        }
        let addresses = return_addresses(heap, self.cp);
        push_return_frames(heap, &addresses, &mut frames);
        frames.truncate(BACKTRACE_DEPTH);
        let stacktrace = build::list(heap, &frames);
        Exception {
            class: raised.class,
            reason: raised.reason,
            stacktrace,
            function_clause: matches!(origin, Origin::Call(..)),
        }
    }
}

/// The `{error_info, Map}` option of `error/3`'s options list, if any.
fn error_info_option(options: Term) -> Option<Term> {
    options.list_iter().find(|item| {
        item.as_tuple().is_some_and(|e| {
            e.len() == 2 && e[0].as_atom().is_some_and(|a| a.name() == "error_info")
        })
    })
}

/// A receive's timeout: `Some(None)` for `infinity`, `Some(Some(ms))` for
/// a number of milliseconds, `None` for anything else (`timeout_value`).
fn receive_timeout(t: Term) -> Option<Option<u64>> {
    if t == Term::atom(atoms::INFINITY) {
        return Some(None);
    }
    // erl takes timeouts up to 2^32 - 1 milliseconds.
    t.as_small()
        .filter(|&ms| (0..=u32::MAX as i64).contains(&ms))
        .map(|ms| Some(ms as u64))
}

/// An `undef` from a tail call: the caller's frame is gone.
fn as_tail(origin: Origin) -> Origin {
    match origin {
        Origin::Undef(m, f, args, _) => Origin::Undef(m, f, args, true),
        other => other,
    }
}

/// Where a call leads: code to jump to, or the result of a native.
enum Entered {
    Code(Pc),
    Returned(Term),
}

fn class_atom(class: Class) -> Atom {
    match class {
        Class::Error => atoms::ERROR,
        Class::Exit => atoms::EXIT_CLASS,
        Class::Throw => atoms::THROW,
    }
}

/// The exception a raw stack trace (`{Class, Frames}`, or `{Class,
/// Frames, function_clause}`) and a reason make.
fn reraise(heap: &mut crate::heap::ProcessHeap, raw: Term, reason: Term) -> Option<Exception> {
    let (class, stacktrace, function_clause) = match *raw.as_tuple()? {
        [class, stacktrace] => (class, stacktrace, false),
        [class, stacktrace, _] => (class, stacktrace, true),
        _ => return None,
    };
    let class = match class.as_atom()? {
        atoms::ERROR => Class::Error,
        atoms::EXIT_CLASS => Class::Exit,
        atoms::THROW => Class::Throw,
        _ => return None,
    };
    let stacktrace = if function_clause {
        without_top_location(heap, stacktrace)
    } else {
        stacktrace
    };
    Some(Exception {
        class,
        reason,
        stacktrace,
        function_clause: false,
    })
}

/// The stack trace with the location of its first frame emptied.
fn without_top_location(heap: &mut crate::heap::ProcessHeap, stacktrace: Term) -> Term {
    let Some((top, rest)) = stacktrace.as_cons() else {
        return stacktrace;
    };
    match *top.as_tuple().unwrap_or(&[]) {
        [m, f, args, _] => {
            let top = build::tuple(heap, &[m, f, args, Term::NIL]);
            build::cons(heap, top, rest)
        }
        _ => stacktrace,
    }
}

/// A destination register that was stored in the operand table as a source.
fn src_as_dst(src: Src) -> Dst {
    match src.kind() {
        SrcKind::Y(i) => Dst::y(i as u32),
        SrcKind::X(i) | SrcKind::Const(i) => Dst::x(i as u32),
    }
}

fn pc_of(code: CodeRef) -> Pc {
    Pc {
        module: module_in_slot(code.slot),
        ip: code.ip as usize,
    }
}

/// The return addresses a stack trace walks: the continuation pointer
/// `cp` (0 for none), then those saved on the stack, innermost first.
pub(crate) fn return_addresses(heap: &crate::heap::ProcessHeap, cp: u64) -> Vec<u64> {
    let on_stack = (0..heap.stack_len())
        .map(|i| heap.stack_word(i))
        .filter(|&word| word != 0 && word & 0b111 == 0);
    (cp != 0)
        .then_some(cp)
        .into_iter()
        .chain(on_stack)
        .collect()
}

/// Appends a frame for each return address to `frames`, up to erl's depth.
pub(crate) fn push_return_frames(
    out: &mut impl crate::heap::TermAlloc,
    addresses: &[u64],
    frames: &mut Vec<Term>,
) {
    let mut previous = None;
    for &word in addresses {
        if frames.len() >= BACKTRACE_DEPTH {
            break;
        }
        // As erts's gather_stacktrace: a return address equal to the one
        // before (deep recursion at one call site) is recorded once.
        if previous == Some(word) {
            continue;
        }
        previous = Some(word);
        if let Some(code) = CodeRef::from_word(word) {
            let module = module_in_slot(code.slot);
            // A return address points after the call: the call's location.
            frames.push(code_frame(
                out,
                module,
                (code.ip as usize).saturating_sub(1),
            ));
        }
    }
}

/// `{M, F, Arity, Location}` for instruction `ip` of `module`.
fn code_frame(heap: &mut impl crate::heap::TermAlloc, module: &Module, ip: usize) -> Term {
    let (name, arity) = module
        .function_at(ip as u32)
        .map_or((atoms::UNDEFINED, 0), |f| (f.name, f.arity));
    let location = location_term(heap, module, ip);
    build::tuple(
        heap,
        &[
            Term::atom(module.name),
            Term::atom(name),
            Term::small(arity as i64),
            location,
        ],
    )
}

/// `[{file, File}, {line, Line}]` for instruction `ip`, or `[]` (always
/// for the modules erl preloads, which it builds without line information,
/// wherever oxbeam loaded them from).
fn location_term(heap: &mut impl crate::heap::TermAlloc, module: &Module, ip: usize) -> Term {
    if crate::bif::code::is_erl_preloaded(module.name) {
        return Term::NIL;
    }
    match module.location_at(ip as u32) {
        Some((file, line)) if line > 0 => {
            let chars: Vec<Term> = file.chars().map(|c| Term::small(c as i64)).collect();
            let file = build::list(heap, &chars);
            let file = build::tuple(heap, &[Term::atom(atoms::FILE), file]);
            let line = build::tuple(heap, &[Term::atom(atoms::LINE), Term::small(line as i64)]);
            build::list(heap, &[file, line])
        }
        _ => Term::NIL,
    }
}

/// `[{error_info, #{module => Module}}]`.
fn error_info(heap: &mut crate::heap::ProcessHeap, module: &str, cause: Option<Atom>) -> Term {
    let key = Term::atom(Atom::intern("module").expect("atom"));
    let value = Term::atom(Atom::intern(module).expect("atom"));
    let mut pairs = vec![(key, value)];
    if let Some(cause) = cause {
        let key = Term::atom(Atom::intern("cause").expect("atom"));
        pairs.push((key, Term::atom(cause)));
    }
    let (map, _) = crate::term::map::from_pairs(heap, &pairs);
    let tag = Term::atom(Atom::intern("error_info").expect("atom"));
    let pair = build::tuple(heap, &[tag, map]);
    build::list(heap, &[pair])
}

/// The value of a source operand (X registers indexed within their
/// array, so no bounds check).
#[inline]
pub(super) fn read_operand(
    x: &[Term; X_REGISTERS],
    heap: &crate::heap::ProcessHeap,
    module: &Module,
    src: Src,
) -> Term {
    match src.kind() {
        SrcKind::X(i) => x[i & (X_REGISTERS - 1)],
        SrcKind::Y(i) => heap.y(i + 1),
        SrcKind::Const(i) => module.consts[i],
    }
}

/// Writes a destination register.
#[inline]
pub(super) fn write_register(
    x: &mut [Term; X_REGISTERS],
    heap: &mut crate::heap::ProcessHeap,
    dst: Dst,
    value: Term,
) {
    match dst.register() {
        Ok(i) => x[i & (X_REGISTERS - 1)] = value,
        Err(y) => heap.set_y(y + 1, value),
    }
}

/// A float register operation (`b` unused by `Negate`).
#[inline]
fn float_op(op: FloatOp, a: f64, b: f64) -> f64 {
    match op {
        FloatOp::Add => a + b,
        FloatOp::Sub => a - b,
        FloatOp::Mul => a * b,
        FloatOp::Div => a / b,
        FloatOp::Negate => -a,
    }
}

/// `a op b` when both are small integers and so is the result.
#[inline]
fn small_arith(op: SmallOp, a: Term, b: Term) -> Option<Term> {
    if !Term::both_small(a, b) {
        return None;
    }
    let (x, y) = (a.small_value(), b.small_value());
    let result = match op {
        SmallOp::Add => return Term::small_add(a, b),
        SmallOp::Sub => return Term::small_sub(a, b),
        SmallOp::Mul => x.checked_mul(y)?,
        SmallOp::Div => x.checked_div(y)?,
        SmallOp::Rem => x.checked_rem(y)?,
        SmallOp::Band => x & y,
        SmallOp::Bor => x | y,
        SmallOp::Bxor => x ^ y,
    };
    Term::try_small(result)
}

fn type_test(test: TypeTest, t: Term) -> bool {
    match test {
        TypeTest::Integer => t.is_integer(),
        TypeTest::Float => t.is_float(),
        TypeTest::Number => t.is_number(),
        TypeTest::Atom => t.is_atom(),
        TypeTest::Nil => t.is_nil(),
        TypeTest::List => t.is_nil() || t.is_list(),
        TypeTest::NonemptyList => t.is_list(),
        TypeTest::Tuple => t.is_tuple(),
        TypeTest::Boolean => t == Term::TRUE || t == Term::FALSE,
        TypeTest::Map => t.is_map(),
        _ => match t.view() {
            View::Pid(_) | View::ExternalPid { .. } => test == TypeTest::Pid,
            View::Port(_) | View::ExternalPort { .. } => test == TypeTest::Port,
            View::Ref(_) => test == TypeTest::Reference,
            View::Fun(_) | View::Export(_) => test == TypeTest::Function,
            View::Bitstring(bits) => {
                test == TypeTest::Bitstring || (test == TypeTest::Binary && bits.bit_len % 8 == 0)
            }
            _ => false,
        },
    }
}

/// `element(a, b)` or `map_get(a, b)` when it has a value (else the BIF
/// raises the error).
#[inline]
fn fetch(op: FetchOp, a: Term, b: Term) -> Option<Term> {
    match op {
        FetchOp::Element => {
            let elements = b.as_tuple()?;
            let index = usize::try_from(a.as_small()?).ok()?;
            index.checked_sub(1).and_then(|i| elements.get(i)).copied()
        }
        FetchOp::MapGet => crate::term::MapRef::from_term(b)?.get(a),
    }
}

/// The label paired with `value` in a `select_val` table (sorted by word):
/// an immediate is found by its word, anything else by exact equality.
#[inline]
fn select(table: &[(Term, u32)], value: Term) -> Option<u32> {
    if value.is_immediate() {
        let i = table
            .binary_search_by_key(&value.raw(), |(v, _)| v.raw())
            .ok()?;
        return Some(table[i].1);
    }
    table
        .iter()
        .find(|(v, _)| !v.is_immediate() && order::exact_eq(*v, value))
        .map(|&(_, label)| label)
}

/// A comparison test; two small integers, two floats and equality of
/// immediates are decided here, anything else by term order.
#[inline]
fn compare(cmp: Compare, a: Term, b: Term) -> bool {
    match cmp {
        Compare::Lt => less_than(a, b),
        Compare::Ge => !less_than(a, b),
        Compare::Eq => equal(a, b),
        Compare::Ne => !equal(a, b),
        Compare::EqExact => exactly_equal(a, b),
        Compare::NeExact => !exactly_equal(a, b),
    }
}

#[inline]
fn less_than(a: Term, b: Term) -> bool {
    // Small integers order as their words do.
    if Term::both_small(a, b) {
        return (a.raw() as i64) < (b.raw() as i64);
    }
    if let (Some(x), Some(y)) = (a.as_float(), b.as_float()) {
        return x < y;
    }
    order::compare(a, b) == std::cmp::Ordering::Less
}

/// `==`: the same word is equal; two different immediates are not (a float
/// equal to an integer is boxed).
#[inline]
fn equal(a: Term, b: Term) -> bool {
    a == b || (!(a.is_immediate() && b.is_immediate()) && order::eq(a, b))
}

/// `=:=`: an immediate is exactly equal only to its own word.
#[inline]
fn exactly_equal(a: Term, b: Term) -> bool {
    a == b || (!a.is_immediate() && !b.is_immediate() && order::exact_eq(a, b))
}

fn is_function_of_arity(f: Term, arity: Term) -> bool {
    let Some(arity) = arity.as_small() else {
        return false;
    };
    match f.view() {
        View::Fun(fun) => fun.entry.arity as i64 == arity,
        View::Export(export) => export.arity as i64 == arity,
        _ => false,
    }
}
