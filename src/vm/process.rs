//! A process: its heap and stack, X registers, process dictionary and the
//! state native functions read and change.

use crate::heap::ProcessHeap;
use crate::term::{LocalPid, Term};

/// BEAM's number of X registers.
pub const X_REGISTERS: usize = 1024;

/// An Erlang process.
pub struct Process {
    pub pid: LocalPid,
    /// Heap, stack and heap fragments; every term the process holds lives
    /// there (or in a literal area).
    pub heap: ProcessHeap,
    /// The argument and scratch registers. Only `x[0..live]` are roots at a
    /// garbage collection; the interpreter says how many are live.
    pub x: Box<[Term; X_REGISTERS]>,
    /// The process dictionary's entries, as terms on the heap (a GC root).
    pub dictionary: crate::vm::dictionary::Dictionary,
    /// The group leader (where `io` sends requests).
    pub group_leader: Term,
}

impl Process {
    /// A process with an empty heap.
    pub fn new(pid: LocalPid) -> Process {
        Process {
            pid,
            heap: ProcessHeap::new(),
            x: Box::new([Term::NIL; X_REGISTERS]),
            dictionary: Default::default(),
            group_leader: Term::local_pid(pid),
        }
    }

    /// This process's pid as a term.
    pub fn self_term(&self) -> Term {
        Term::local_pid(self.pid)
    }
}
