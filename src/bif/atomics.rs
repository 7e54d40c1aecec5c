//! `atomics` and `counters`: arrays of 64-bit integers shared between
//! processes, behind resource references (erts's `erl_bif_atomics.c`,
//! `erl_bif_counters.c`).
//!
//! `atomics:new/2`, `counters:new/2` and the `counters` functions are
//! Erlang code in OTP's preloaded modules that call the natives here
//! (`erts_internal:atomics_new/2`, `erts_internal:counters_*`); the other
//! `atomics` functions are natives themselves. Arithmetic wraps in 64
//! bits, as erts's does. erts spreads a `write_concurrency` counter over
//! one cache line per scheduler and sums them on `get`; one atomic per
//! counter gives the same values, and `info/1` reports erts's size.

use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::sync::Arc;

use super::erlang::{atom, term_to_i64, term_to_u64};
use crate::bif::{Native, NativeResult, Raised};
use crate::heap::Resource;
use crate::term::{atoms, build, map, Term};
use crate::vm::process::Process;

/// An `atomics` array. Values are stored as their 64 bits; `signed` says
/// how they read.
struct Atomics {
    signed: bool,
    cells: Box<[AtomicU64]>,
}

/// A `write_concurrency` `counters` array: signed 64-bit counters.
struct Counters {
    cells: Box<[AtomicU64]>,
}

/// The largest array oxbeam makes. erts allows up to `2^64 / 8` elements
/// and dies when the memory is not there; oxbeam raises `system_limit`
/// past 2^32 elements (32 GB) instead.
const MAX_CELLS: u64 = 1 << 32;

/// erts's `term_to_UWord` as the size of a new array: `badarg` for a
/// non-integer or a negative one, `system_limit` for one past 64 bits.
fn array_size(term: Term) -> Result<u64, Raised> {
    if let Some(n) = term_to_u64(term) {
        return Ok(n);
    }
    match term.view() {
        crate::term::View::Big {
            negative: false, ..
        } => Err(Raised::system_limit()),
        _ => Err(Raised::badarg()),
    }
}

/// `n` zeroed cells, or `system_limit` when oxbeam will not make them.
fn zeroed_cells(n: u64) -> Result<Box<[AtomicU64]>, Raised> {
    if n > MAX_CELLS {
        return Err(Raised::system_limit());
    }
    let mut cells = Vec::new();
    cells
        .try_reserve_exact(n as usize)
        .map_err(|_| Raised::system_limit())?;
    cells.extend((0..n).map(|_| AtomicU64::new(0)));
    Ok(cells.into_boxed_slice())
}

/// A new resource reference to `value` on the process's heap.
fn new_resource_ref<T: std::any::Any + Send + Sync>(process: &mut Process, value: T) -> Term {
    let ids = crate::vm::runtime::runtime().new_ref_key();
    build::resource_ref(&mut process.heap, &ids, Resource::new(value))
}

/// The resource behind `term` if it is a resource reference of a `T`.
fn resource_of<T: std::any::Any>(term: Term) -> Option<Arc<Resource>> {
    term.resource().filter(|r| r.downcast_ref::<T>().is_some())
}

/// The cell at 1-based `index` of `cells`, or `None`.
fn cell(cells: &[AtomicU64], index: Term) -> Option<&AtomicU64> {
    let i = term_to_u64(index)?.checked_sub(1)?;
    cells.get(usize::try_from(i).ok()?)
}

/// An increment: any integer that fits in 64 bits, signed or not (erts's
/// `get_incr`), as its 64 bits.
fn increment(term: Term) -> Option<u64> {
    term_to_i64(term)
        .map(|v| v as u64)
        .or_else(|| term_to_u64(term))
}

fn uint(process: &mut Process, value: u64) -> Term {
    build::big_from_limbs(&mut process.heap, false, &[value])
}

// ---- atomics ---------------------------------------------------------------

/// `erts_internal:atomics_new(Arity, Options)`: Options is the encoded
/// option word of `atomics:new/2` (bit 0: signed).
fn atomics_new(process: &mut Process, args: &[Term]) -> NativeResult {
    let n = array_size(args[0])?;
    if n == 0 {
        return Err(Raised::badarg());
    }
    let options = array_size(args[1])?;
    if n > u64::MAX / 8 {
        return Err(Raised::system_limit());
    }
    let cells = zeroed_cells(n)?;
    Ok(new_resource_ref(
        process,
        Atomics {
            signed: options & 1 != 0,
            cells,
        },
    ))
}

/// The array and the cell that `(Ref, Index)` name.
fn atomic_cell(
    args: &[Term],
    with: impl FnOnce(&Atomics, &AtomicU64) -> Result<Term, Raised>,
) -> NativeResult {
    let resource = resource_of::<Atomics>(args[0]).ok_or_else(Raised::badarg)?;
    let atomics = resource.downcast_ref::<Atomics>().expect("checked above");
    let cell = cell(&atomics.cells, args[1]).ok_or_else(Raised::badarg)?;
    with(atomics, cell)
}

impl Atomics {
    /// A value to store: in the array's range (erts's `get_value`).
    fn value(&self, term: Term) -> Result<u64, Raised> {
        let v = if self.signed {
            term_to_i64(term).map(|v| v as u64)
        } else {
            term_to_u64(term)
        };
        v.ok_or_else(Raised::badarg)
    }

    /// A stored value as a term.
    fn term(&self, process: &mut Process, bits: u64) -> Term {
        if self.signed {
            build::int(&mut process.heap, bits as i64)
        } else {
            uint(process, bits)
        }
    }
}

fn atomics_put(_: &mut Process, args: &[Term]) -> NativeResult {
    atomic_cell(args, |a, cell| {
        cell.store(a.value(args[2])?, SeqCst);
        Ok(Term::atom(atoms::OK))
    })
}

fn atomics_get(process: &mut Process, args: &[Term]) -> NativeResult {
    atomic_cell(args, |a, cell| Ok(a.term(process, cell.load(SeqCst))))
}

fn atomics_add(_: &mut Process, args: &[Term]) -> NativeResult {
    atomic_cell(args, |_, cell| {
        let incr = increment(args[2]).ok_or_else(Raised::badarg)?;
        cell.fetch_add(incr, SeqCst);
        Ok(Term::atom(atoms::OK))
    })
}

fn atomics_add_get(process: &mut Process, args: &[Term]) -> NativeResult {
    atomic_cell(args, |a, cell| {
        let incr = increment(args[2]).ok_or_else(Raised::badarg)?;
        let new = cell.fetch_add(incr, SeqCst).wrapping_add(incr);
        Ok(a.term(process, new))
    })
}

fn atomics_exchange(process: &mut Process, args: &[Term]) -> NativeResult {
    atomic_cell(args, |a, cell| {
        let was = cell.swap(a.value(args[2])?, SeqCst);
        Ok(a.term(process, was))
    })
}

/// `compare_exchange(Ref, Ix, Expected, Desired)`: `ok` if the value was
/// `Expected` (and is now `Desired`), else the value.
fn atomics_compare_exchange(process: &mut Process, args: &[Term]) -> NativeResult {
    atomic_cell(args, |a, cell| {
        let expected = a.value(args[2])?;
        let desired = a.value(args[3])?;
        match cell.compare_exchange(expected, desired, SeqCst, SeqCst) {
            Ok(_) => Ok(Term::atom(atoms::OK)),
            Err(was) => Ok(a.term(process, was)),
        }
    })
}

/// `info(Ref)`: `#{size, max, min, memory}`; `memory` is what erts reports
/// (its magic binary of a 16-byte header and the cells, plus 24 bytes).
fn atomics_info(process: &mut Process, args: &[Term]) -> NativeResult {
    let resource = resource_of::<Atomics>(args[0]).ok_or_else(Raised::badarg)?;
    let atomics = resource.downcast_ref::<Atomics>().expect("checked above");
    let n = atomics.cells.len() as u64;
    let (max, min) = if atomics.signed {
        (i64::MAX as u64, build::int(&mut process.heap, i64::MIN))
    } else {
        (u64::MAX, Term::small(0))
    };
    let pairs = [
        (atom("max"), uint(process, max)),
        (atom("min"), min),
        (atom("size"), uint(process, n)),
        (atom("memory"), uint(process, 40 + 8 * n)),
    ];
    Ok(map::from_pairs(&mut process.heap, &pairs).0)
}

// ---- counters (write_concurrency) ----------------------------------------------

/// `erts_internal:counters_new(Size)`.
fn counters_new(process: &mut Process, args: &[Term]) -> NativeResult {
    let n = array_size(args[0])?;
    if n == 0 {
        return Err(Raised::badarg());
    }
    let schedulers = erts_schedulers() as u64;
    if n > u64::MAX / (8 * 2 * (schedulers + 1)) {
        return Err(Raised::system_limit());
    }
    let cells = zeroed_cells(n)?;
    Ok(new_resource_ref(process, Counters { cells }))
}

/// The scheduler count erts sizes a counter by.
fn erts_schedulers() -> usize {
    match crate::vm::runtime::runtime().schedulers() {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

fn counter_cell(
    args: &[Term],
    with: impl FnOnce(&AtomicU64) -> Result<Term, Raised>,
) -> NativeResult {
    let resource = resource_of::<Counters>(args[0]).ok_or_else(Raised::badarg)?;
    let counters = resource.downcast_ref::<Counters>().expect("checked above");
    with(cell(&counters.cells, args[1]).ok_or_else(Raised::badarg)?)
}

fn counters_get(process: &mut Process, args: &[Term]) -> NativeResult {
    counter_cell(args, |cell| {
        Ok(build::int(&mut process.heap, cell.load(SeqCst) as i64))
    })
}

fn counters_add(_: &mut Process, args: &[Term]) -> NativeResult {
    counter_cell(args, |cell| {
        let incr = increment(args[2]).ok_or_else(Raised::badarg)?;
        cell.fetch_add(incr, SeqCst);
        Ok(Term::atom(atoms::OK))
    })
}

fn counters_put(_: &mut Process, args: &[Term]) -> NativeResult {
    counter_cell(args, |cell| {
        let value = term_to_i64(args[2]).ok_or_else(Raised::badarg)?;
        cell.store(value as u64, SeqCst);
        Ok(Term::atom(atoms::OK))
    })
}

/// `#{size, memory}`; `memory` as erts reports it: a word of size, one
/// 64-byte cache line per scheduler and one more for every 8 counters,
/// and its 24 bytes of magic binary.
fn counters_info(process: &mut Process, args: &[Term]) -> NativeResult {
    let resource = resource_of::<Counters>(args[0]).ok_or_else(Raised::badarg)?;
    let counters = resource.downcast_ref::<Counters>().expect("checked above");
    let n = counters.cells.len() as u64;
    let lines = (erts_schedulers() as u64 + 1) * n.div_ceil(8);
    let pairs = [
        (atom("size"), uint(process, n)),
        (atom("memory"), uint(process, 32 + 64 * lines)),
    ];
    Ok(map::from_pairs(&mut process.heap, &pairs).0)
}

pub const NATIVES: &[Native] = crate::natives!("atomics";
    "put"/3 => atomics_put,
    "get"/2 => atomics_get,
    "add"/3 => atomics_add,
    "add_get"/3 => atomics_add_get,
    "exchange"/3 => atomics_exchange,
    "compare_exchange"/4 => atomics_compare_exchange,
    "info"/1 => atomics_info,
);

pub const ERTS_INTERNAL_NATIVES: &[Native] = crate::natives!("erts_internal";
    "atomics_new"/2 => atomics_new,
    "counters_new"/1 => counters_new,
    "counters_get"/2 => counters_get,
    "counters_add"/3 => counters_add,
    "counters_put"/3 => counters_put,
    "counters_info"/1 => counters_info,
);
