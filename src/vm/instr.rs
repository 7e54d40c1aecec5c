//! The internal instruction set: what the translator turns OTP's generic
//! instructions into and what the interpreter runs.
//!
//! Operands are resolved at load time: registers and constants are packed
//! into a [`Src`] or [`Dst`] word, labels become instruction indices in the
//! module's code, imports become export entries or native functions, and
//! variable-length operands (select lists, tuple elements) live in side
//! tables of the module. Every instruction is one `Instr` value; the enum
//! is kept small (a size test pins it) because it is what the interpreter
//! walks.

use crate::bif::NativeFn;
use crate::code::Export;
use crate::term::Atom;
use crate::vm::bits::Get;

/// A source operand: an X register, a Y register or a constant of the
/// module (an immediate or a literal), packed as `index << 2 | kind`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Src(u32);

/// What a [`Src`] names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SrcKind {
    X(usize),
    Y(usize),
    Const(usize),
}

impl Src {
    pub const fn x(i: u32) -> Src {
        Src(i << 2)
    }

    pub const fn y(i: u32) -> Src {
        Src(i << 2 | 1)
    }

    pub const fn constant(index: u32) -> Src {
        Src(index << 2 | 2)
    }

    #[inline]
    pub fn kind(self) -> SrcKind {
        let index = (self.0 >> 2) as usize;
        match self.0 & 3 {
            0 => SrcKind::X(index),
            1 => SrcKind::Y(index),
            _ => SrcKind::Const(index),
        }
    }
}

impl std::fmt::Debug for Src {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind() {
            SrcKind::X(i) => write!(f, "x{i}"),
            SrcKind::Y(i) => write!(f, "y{i}"),
            SrcKind::Const(i) => write!(f, "c{i}"),
        }
    }
}

/// A destination: an X or a Y register, packed as `index << 1 | is_y`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Dst(u32);

impl Dst {
    pub const fn x(i: u32) -> Dst {
        Dst(i << 1)
    }

    pub const fn y(i: u32) -> Dst {
        Dst(i << 1 | 1)
    }

    /// `Err(y)` for a Y register, `Ok(x)` for an X register.
    #[inline]
    pub fn register(self) -> Result<usize, usize> {
        let index = (self.0 >> 1) as usize;
        if self.0 & 1 == 0 {
            Ok(index)
        } else {
            Err(index)
        }
    }

    /// The same register as a source.
    pub fn as_src(self) -> Src {
        match self.register() {
            Ok(x) => Src::x(x as u32),
            Err(y) => Src::y(y as u32),
        }
    }
}

impl std::fmt::Debug for Dst {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.register() {
            Ok(x) => write!(f, "x{x}"),
            Err(y) => write!(f, "y{y}"),
        }
    }
}

/// An instruction index in a module's code.
pub type Label = u32;

/// "No failure label": the instruction raises instead of jumping.
pub const NO_LABEL: Label = u32::MAX;

/// `live` of a binary build that must not collect (`bs_private_append`
/// has no live count).
pub const NO_GC: u16 = u16::MAX;

/// A tail call from a function without a frame to drop.
pub const NO_FRAME: u32 = u32::MAX;

/// The operands of a BIF call, kept beside the code.
#[derive(Clone, Copy, Debug)]
pub struct BifCall {
    /// The BIF's identity, for the stack trace when it raises.
    pub export: &'static Export,
    /// Its arguments: `operands[args..args + arity]`.
    pub args: u32,
    pub arity: u32,
    /// X registers live across the call (a GC may run after it).
    pub live: u32,
    pub native: crate::bif::NativeFn,
}

/// An integer operator with an inline path for small integers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SmallOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Band,
    Bor,
    Bxor,
}

/// A BIF that reads a part of a term, with an inline path.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FetchOp {
    /// `element(Index, Tuple)`.
    Element,
    /// `map_get(Key, Map)`.
    MapGet,
}

/// A type test (`is_integer`, ...), one instruction for all of them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TypeTest {
    Integer,
    Float,
    Number,
    Atom,
    Pid,
    Reference,
    Port,
    Nil,
    Binary,
    Bitstring,
    List,
    NonemptyList,
    Tuple,
    Boolean,
    Map,
    Function,
}

/// A comparison test (`is_lt`, `is_eq_exact`, ...).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Compare {
    Lt,
    Ge,
    Eq,
    Ne,
    EqExact,
    NeExact,
}

/// Why a body ends in an exception raised by the code itself.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BadEnd {
    /// `{badmatch, V}`.
    Badmatch,
    /// `{case_clause, V}`.
    CaseClause,
    /// `{try_clause, V}`.
    TryClause,
    /// `if_clause`.
    IfClause,
    /// `{badrecord, V}`.
    Badrecord,
}

/// A float register operation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FloatOp {
    Add,
    Sub,
    Mul,
    Div,
    Negate,
}

/// How leaving a `try` or `catch` presents the exception it caught.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CatchExit {
    /// `try_end`: the body finished; nothing was caught.
    TryEnd,
    /// `try_case`: an exception was caught: `x0, x1, x2` become its class,
    /// reason and raw stack trace.
    TryCase,
    /// `catch_end`: `x0` becomes the value of `catch Expr`.
    CatchEnd,
}

/// One instruction.
#[derive(Clone, Copy, Debug)]
pub enum Instr {
    /// Start of a function: reached only when no clause matched, and raises
    /// `function_clause` with the arguments in `x0..arity`.
    FuncInfo {
        module: Atom,
        function: Atom,
        arity: u32,
    },
    /// Allocates a frame of `slots` Y registers (plus the saved return
    /// address) and ensures `heap` free words, collecting with `live` X
    /// registers if needed; `zero` clears the Y registers.
    Allocate {
        slots: u32,
        heap: u32,
        live: u32,
    },
    /// Ensures `words` free heap words, collecting with `live` live X
    /// registers if needed.
    TestHeap {
        words: u32,
        live: u32,
    },
    /// Drops the frame of `slots` Y registers, restoring the return address.
    Deallocate {
        slots: u32,
    },
    /// Drops the first `drop` Y registers (the rest move down).
    Trim {
        drop: u32,
    },
    /// Sets a Y register to `[]` (so the GC never sees a stale slot).
    InitY {
        y: u32,
    },
    Move {
        src: Src,
        dst: Dst,
    },
    Swap {
        a: Dst,
        b: Dst,
    },
    GetList {
        src: Src,
        head: Dst,
        tail: Dst,
    },
    GetHd {
        src: Src,
        dst: Dst,
    },
    GetTl {
        src: Src,
        dst: Dst,
    },
    PutList {
        head: Src,
        tail: Src,
        dst: Dst,
    },
    /// Builds a tuple of the `count` operands at `operands[start..]`.
    PutTuple {
        start: u32,
        count: u32,
        dst: Dst,
    },
    GetTupleElement {
        src: Src,
        index: u32,
        dst: Dst,
    },
    /// Destructively sets element `index` of the tuple in `dst`, which was
    /// built since the last GC (the compiler guarantees it).
    SetTupleElement {
        value: Src,
        tuple: Src,
        index: u32,
    },
    Test {
        test: TypeTest,
        fail: Label,
        src: Src,
    },
    Cmp {
        cmp: Compare,
        fail: Label,
        a: Src,
        b: Src,
    },
    /// Fails unless `src` is a tuple of `arity` elements.
    TestArity {
        fail: Label,
        src: Src,
        arity: u32,
    },
    /// Fails unless `src` is a tuple of `arity` whose first element is `tag`.
    IsTaggedTuple {
        fail: Label,
        src: Src,
        arity: u32,
        tag: Src,
    },
    /// Fails unless `src` is a fun of `arity`.
    IsFunction2 {
        fail: Label,
        src: Src,
        arity: Src,
    },
    /// Jumps to the label paired with the value of `src` in
    /// `select_values[start..start + count]`, or to `fail`.
    SelectVal {
        src: Src,
        fail: Label,
        start: u32,
        count: u32,
    },
    /// The same on a tuple's arity.
    SelectTupleArity {
        src: Src,
        fail: Label,
        start: u32,
        count: u32,
    },
    Jump {
        to: Label,
    },
    /// A local call: saves the return address and jumps.
    Call {
        to: Label,
    },
    /// A local tail call after dropping a frame of `slots`.
    CallLast {
        to: Label,
        slots: u32,
    },
    CallOnly {
        to: Label,
    },
    /// A remote call through an export entry (loading the module on demand).
    CallExt {
        export: &'static Export,
    },
    CallExtLast {
        export: &'static Export,
        slots: u32,
    },
    CallExtOnly {
        export: &'static Export,
    },
    /// A call of a native function with `x0..arity` as arguments; the result
    /// goes to `x0`. `tail` returns afterwards, after dropping a frame of
    /// `slots` unless `slots` is [`NO_FRAME`] (`call_ext_only`).
    CallNative {
        native: NativeFn,
        export: &'static Export,
        tail: bool,
        slots: u32,
    },
    /// A guard or body BIF call described by `bif_calls[call]`; failing
    /// jumps to `fail` or, when it is [`NO_LABEL`], raises.
    Bif {
        native: NativeFn,
        fail: Label,
        call: u32,
        dst: Dst,
    },
    /// A two-argument arithmetic BIF (`bif_calls[call]`) whose operands are
    /// kept inline: computed here when both are small integers and the
    /// result is one, else by the BIF.
    Arith {
        op: SmallOp,
        a: Src,
        b: Src,
        dst: Dst,
        call: u32,
        fail: Label,
    },
    /// [`Instr::Arith`] specialised for the operand shape that a third of
    /// them have (`N - 1`, `N rem 20`): a small-integer constant `imm` as
    /// the second operand, held in the instruction.
    ArithImm {
        op: SmallOp,
        a: Src,
        imm: i32,
        dst: Dst,
        call: u32,
        fail: Label,
    },
    /// `element/2` or `map_get/2` (`bif_calls[call]`) with its operands
    /// inline: read here when the value is there, else the BIF raises (or
    /// fails to `fail`) as erl does.
    Fetch {
        op: FetchOp,
        a: Src,
        b: Src,
        dst: Dst,
        call: u32,
        fail: Label,
    },
    Return,
    /// Raises the error `BadEnd` of the value in `src`.
    BadEnd {
        kind: BadEnd,
        src: Src,
    },
    /// A function body that is a native function (a NIF stub of an OTP
    /// module replaced by its native, as BEAM's NIF loading does).
    NativeBody {
        native: NativeFn,
        export: &'static Export,
    },
    /// `try`/`catch`: puts a catch tag for `handler` in Y register `y`.
    Catch {
        y: u32,
        handler: Label,
    },
    /// `try_end`/`catch_end`/`try_case`: removes the catch tag; `kind` says
    /// how an exception (if one was caught) is presented.
    CatchExit {
        y: u32,
        kind: CatchExit,
    },
    /// `raise Trace Reason`: raises `Reason` again with the class and stack
    /// trace held in a raw stack trace.
    Raise {
        trace: Src,
        reason: Src,
    },
    /// `raw_raise`: raises `x1` of class `x0` with the raw stack trace `x2`.
    RawRaise,
    /// `build_stacktrace`: turns the raw stack trace in `x0` into a list.
    BuildStacktrace,
    /// `make_fun3`: a closure of `lambdas[lambda]` over the free variables
    /// at `operands[start..start + count]`.
    MakeFun {
        lambda: u32,
        start: u32,
        count: u32,
        dst: Dst,
    },
    /// Calls the fun `fun` with `x0..arity` (`call_fun`, `call_fun2`).
    CallFun {
        fun: Src,
        arity: u32,
    },
    /// `apply`: calls `x[arity]:x[arity + 1](x0..arity)`; `last` drops a
    /// frame of `slots` first.
    Apply {
        arity: u32,
        last: bool,
        slots: u32,
    },
    /// `erlang:apply/2` (`fun_form`: `x0` a fun, `x1` its argument list) and
    /// `erlang:apply/3` (`x0:x1(x2...)`) called as functions; `slots` as in
    /// [`Instr::CallNative`] when `tail`.
    ApplyList {
        fun_form: bool,
        tail: bool,
        slots: u32,
    },
    /// `put_map_assoc` (`exact: false`) and `put_map_exact`: the map in
    /// `src` with the key/value pairs at `operands[start..start + 2*count]`.
    PutMap {
        exact: bool,
        fail: Label,
        src: Src,
        dst: Dst,
        start: u32,
        count: u32,
    },
    /// `get_map_elements`: for each pair `(key, dst)` at
    /// `operands[start..start + 2*count]`, reads the key's value into the
    /// register (a destination stored as a source); jumps to `fail` if any
    /// key is missing.
    GetMapElements {
        fail: Label,
        src: Src,
        start: u32,
        count: u32,
    },
    /// `has_map_fields`: jumps to `fail` unless every key at
    /// `operands[start..start + count]` is in the map.
    HasMapFields {
        fail: Label,
        src: Src,
        start: u32,
        count: u32,
    },
    /// `fmove` of a float term into float register `fr`.
    FLoad {
        src: Src,
        fr: u32,
    },
    /// `fmove` of float register `fr` into a register, as a boxed float.
    FStore {
        fr: u32,
        dst: Dst,
    },
    /// `fmove` between float registers.
    FMove {
        from: u32,
        to: u32,
    },
    /// `fconv`: a number term into float register `fr` (`badarith` for
    /// anything else).
    FConv {
        src: Src,
        fr: u32,
    },
    /// `fadd`, `fsub`, `fmul`, `fdiv` and `fnegate` (whose `b` is unused);
    /// a non-finite result is `badarith`.
    FArith {
        op: FloatOp,
        a: u32,
        b: u32,
        dst: u32,
    },
    /// `loop_rec`: the message under the save pointer into `x0`, or a jump
    /// to `fail` (the receive's `wait`) when there is none.
    LoopRec {
        fail: Label,
    },
    /// `loop_rec_end`: steps past the current message, back to `to`.
    LoopRecEnd {
        to: Label,
    },
    /// `remove_message`: takes the current message out of the mailbox.
    RemoveMessage,
    /// `wait`: suspends until a message comes, then goes on at `to`.
    Wait {
        to: Label,
    },
    /// `wait_timeout`: as `wait`, with a timeout in milliseconds (or
    /// `infinity`); falls through to `timeout` once it has run out.
    WaitTimeout {
        to: Label,
        timeout: Src,
    },
    /// `timeout`: the receive ended by its timeout.
    Timeout,
    /// A call of `erlang:hibernate(M, F, A)` (`x0..x2`): drops the stack,
    /// collects, and waits for a message, then calls `M:F(A...)`.
    Hibernate,
    /// `recv_marker_reserve`: a marker for messages that arrive from now on.
    RecvMarkerReserve {
        dst: Dst,
    },
    /// `recv_marker_bind`: ties the marker to the reference a receive will
    /// match on.
    RecvMarkerBind {
        marker: Src,
        reference: Src,
    },
    /// `recv_marker_clear`.
    RecvMarkerClear {
        reference: Src,
    },
    /// `recv_marker_use`: starts the receive at the reference's marker.
    RecvMarkerUse {
        reference: Src,
    },
    /// `bs_create_bin`, or an old-style `bs_init2`/`bs_append` + `bs_put_*`
    /// sequence (`puts`): builds the binary described by
    /// `bit_segments[start..start + count]` after making room for `alloc`
    /// more words with `live` X registers live.
    BsCreate {
        fail: Label,
        start: u32,
        count: u32,
        dst: Dst,
        live: u16,
        alloc: u8,
        puts: bool,
    },
    /// `bs_start_match3/4`: a match context for the bitstring `src` (the
    /// context itself if it is one); `fail` (or `badarg` when there is none)
    /// for anything else.
    BsStartMatch {
        fail: Label,
        src: Src,
        dst: Dst,
        live: u32,
    },
    /// `bs_get_*`, `bs_skip_*`: matches a segment of `size` units of `unit`
    /// bits at the context's position; `dst` is unused by skips.
    BsGet {
        get: Get,
        flags: u8,
        unit: u16,
        live: u16,
        fail: Label,
        ctx: Src,
        size: Src,
        dst: Dst,
    },
    /// `bs_test_tail2` (`unit: false`: exactly `n` bits left) and
    /// `bs_test_unit` (the bits left are a multiple of `n`).
    BsTest {
        unit: bool,
        fail: Label,
        ctx: Src,
        n: Src,
    },
    /// `bs_match_string`: the next bits are those of the bitstring constant.
    BsMatchString {
        fail: Label,
        ctx: Src,
        string: Src,
    },
    /// `bs_get_tail`: the bits left, as a bitstring.
    BsGetTail {
        ctx: Src,
        dst: Dst,
        live: u32,
    },
    BsGetPosition {
        ctx: Src,
        dst: Dst,
    },
    BsSetPosition {
        ctx: Src,
        position: Src,
    },
    /// `bs_add`: `a + b * unit` (a size in bits or bytes).
    BsAdd {
        fail: Label,
        a: Src,
        b: Src,
        unit: u32,
        dst: Dst,
    },
    /// `bs_utf8_size` and `bs_utf16_size`: bytes a code point takes.
    BsUtfSize {
        utf16: bool,
        src: Src,
        dst: Dst,
    },
    /// `bs_init_writable`: `x0` becomes an empty binary with room for `x0`
    /// bytes.
    BsInitWritable,
    // Superinstructions (see `translate::fuse`): each does the work of the
    // instruction at its index and of the one after it, then goes on after
    // both; the second stays in place for jumps that land on it.
    /// `move` + `move`, one after the other.
    Move2 {
        src1: Src,
        dst1: Dst,
        src2: Src,
        dst2: Dst,
    },
    /// `move` + `call`.
    MoveCall {
        src: Src,
        dst: Dst,
        to: Label,
    },
    /// `move` + `call_only`.
    MoveCallOnly {
        src: Src,
        dst: Dst,
        to: Label,
    },
    /// `move` + `call_last`.
    MoveCallLast {
        src: Src,
        dst: Dst,
        to: Label,
        slots: u32,
    },
    /// `move` + `return`.
    MoveReturn {
        src: Src,
        dst: Dst,
    },
    /// `deallocate` + `return`.
    DeallocateReturn {
        slots: u32,
    },
    /// `allocate` followed by `skip` `init` instructions, which have
    /// nothing to do: a new frame's Y registers are already `[]`.
    AllocateInit {
        slots: u32,
        heap: u32,
        live: u32,
        skip: u32,
    },
    /// `allocate` + `move`.
    AllocateMove {
        slots: u32,
        heap: u32,
        live: u32,
        src: Src,
        dst: Dst,
    },
    /// `test_heap` + `put_list`.
    TestHeapPutList {
        words: u32,
        live: u32,
        head: Src,
        tail: Src,
        dst: Dst,
    },
    /// `is_nonempty_list` + `get_list` of the same register.
    IsNonemptyListGetList {
        fail: Label,
        src: Src,
        head: Dst,
        tail: Dst,
    },
    /// `get_tuple_element` + `get_tuple_element` of the same tuple.
    GetTupleElement2 {
        src: Src,
        index1: u32,
        dst1: Dst,
        index2: u32,
        dst2: Dst,
    },
    /// `is_tuple` + `test_arity` of the same register to the same label.
    IsTupleOfArity {
        fail: Label,
        src: Src,
        arity: u32,
    },
    /// An instruction the interpreter does not run yet, or a call of a BIF
    /// with no native; executing it raises an error naming it.
    Unsupported {
        opcode: u8,
        bif: Option<&'static Export>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_stay_small() {
        // The interpreter walks arrays of these: keep them within 24 bytes.
        assert!(
            std::mem::size_of::<Instr>() <= 24,
            "{}",
            std::mem::size_of::<Instr>()
        );
    }

    #[test]
    fn operands_pack_and_unpack() {
        assert_eq!(Src::x(5).kind(), SrcKind::X(5));
        assert_eq!(Src::y(1023).kind(), SrcKind::Y(1023));
        assert_eq!(Src::constant(70000).kind(), SrcKind::Const(70000));
        assert_eq!(Dst::x(3).register(), Ok(3));
        assert_eq!(Dst::y(9).register(), Err(9));
    }
}
