//! A process: its heap and stack, mailbox, links and monitors, the state
//! native functions read and change, and where its code goes on when it
//! is scheduled again.

use crate::code::Export;
use crate::heap::ProcessHeap;
use crate::term::{Atom, LocalPid, Term};
use crate::vm::mailbox::Mailbox;
use crate::vm::signal::{RefKey, Watched};

/// A monitor, as held by the watching process (`other` is the watched
/// one) and by the watched process (`other` is the watcher).
#[derive(Clone, Copy, Debug)]
pub struct Monitor {
    pub key: RefKey,
    pub other: LocalPid,
    pub watched: Watched,
}

/// `process_flag(priority, P)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    Low,
    Normal,
    High,
    Max,
}

/// What a new process calls first.
#[derive(Clone, Copy)]
pub(crate) enum Entry {
    /// The function, with the arguments in `x`.
    Export(&'static Export),
    /// The fun in `x[arity]`, with the arguments in `x[..arity]`.
    Fun { arity: usize },
}

/// Where a suspended process goes on.
#[derive(Default)]
pub(crate) struct Resume {
    /// What to call first (a new process), or none when `pc` holds the code
    /// address to go on at.
    pub(crate) entry: Option<Entry>,
    pub(crate) pc: u64,
    /// The continuation pointer (return address of a frameless function).
    pub(crate) cp: u64,
    /// The X registers that were live (the arguments of the call it was
    /// suspended at; none in a receive).
    pub(crate) x: Vec<Term>,
    /// Suspended in a receive: runs again only for a new message or a
    /// timeout.
    pub(crate) waiting: bool,
}

/// What happens once the process has exited, with how it ended (the
/// embedding or the command line reads the result there).
pub type ExitHook = Box<dyn FnOnce(&mut Process, &crate::vm::interp::Ending) + Send>;

/// An Erlang process.
pub struct Process {
    pub pid: LocalPid,
    /// Heap, stack and heap fragments; every term the process holds lives
    /// there (or in a literal area).
    pub heap: ProcessHeap,
    /// The process dictionary's entries, as terms on the heap (a GC root).
    pub dictionary: crate::vm::dictionary::Dictionary,
    /// The group leader (where `io` sends requests).
    pub group_leader: Term,
    pub mailbox: Mailbox,
    pub links: Vec<LocalPid>,
    /// Monitors this process holds on others.
    pub monitors: Vec<Monitor>,
    /// Monitors others hold on this process.
    pub monitored_by: Vec<Monitor>,
    /// This process's active aliases.
    pub aliases: Vec<RefKey>,
    pub trap_exit: bool,
    pub priority: Priority,
    /// Reductions spent so far.
    pub reductions: u64,
    /// `{M, F, A}` the process was spawned with.
    pub initial_call: (Atom, Atom, u32),
    pub(crate) resume: Resume,
    /// The timer of the receive the process waits in, if any.
    pub(crate) receive_timer: Option<u64>,
    /// That timer ran out.
    pub(crate) timed_out: bool,
    /// A native asked to end the time slice here (`erlang:yield/0`, or a
    /// signal to itself that must be handled before going on).
    pub(crate) yield_requested: bool,
    /// `erlang:garbage_collect/0` asked for a major collection, which the
    /// interpreter runs when the native has returned.
    pub(crate) major_gc_requested: bool,
    /// An exit decided outside a signal (the heap grew past
    /// `max_heap_size`): taken at the next call.
    pub(crate) pending_exit: Option<Term>,
    pub on_exit: Option<ExitHook>,
}

impl Process {
    /// A process with an empty heap.
    pub fn new(pid: LocalPid) -> Process {
        Process {
            pid,
            heap: ProcessHeap::new(),
            dictionary: Default::default(),
            group_leader: Term::local_pid(pid),
            mailbox: Mailbox::default(),
            links: Vec::new(),
            monitors: Vec::new(),
            monitored_by: Vec::new(),
            aliases: Vec::new(),
            trap_exit: false,
            priority: Priority::Normal,
            reductions: 0,
            initial_call: (crate::term::atoms::ERLANG, crate::term::atoms::UNDEFINED, 0),
            resume: Resume::default(),
            receive_timer: None,
            timed_out: false,
            yield_requested: false,
            major_gc_requested: false,
            pending_exit: None,
            on_exit: None,
        }
    }

    /// This process's pid as a term.
    pub fn self_term(&self) -> Term {
        Term::local_pid(self.pid)
    }

    /// Sets the process up to call `export` with `args` when it first runs.
    pub fn start_with(&mut self, export: &'static Export, args: &[Term]) {
        self.initial_call = (export.module, export.function, export.arity);
        self.resume = Resume {
            entry: Some(Entry::Export(export)),
            x: args.to_vec(),
            ..Resume::default()
        };
    }

    /// The arguments a new process was set up with.
    pub(crate) fn resume_args(&self) -> &[Term] {
        &self.resume.x
    }

    /// `{M, F, A}` of the function the process is suspended in (its
    /// initial call before it first ran, `erlang:hibernate/3` while it
    /// hibernates).
    pub fn current_function(&self) -> (Atom, Atom, u32) {
        if self.resume.entry.is_some() && self.resume.waiting {
            let hibernate = Atom::intern("hibernate").expect("atom");
            return (crate::term::atoms::ERLANG, hibernate, 3);
        }
        crate::code::module::CodeRef::from_word(self.resume.pc)
            .filter(|_| self.resume.entry.is_none())
            .and_then(|code| {
                let module = crate::code::module::module_in_slot(code.slot);
                module
                    .function_at(code.ip)
                    .map(|f| (module.name, f.name, f.arity))
            })
            .unwrap_or(self.initial_call)
    }

    /// Bytes the process takes: its heap blocks, fragments, stack and the
    /// process structure itself.
    pub fn memory_bytes(&self) -> usize {
        std::mem::size_of::<Process>()
            + 8 * (self.heap.total_heap_size() + self.heap.fragment_words())
            + 8 * self.mailbox.len()
    }

    /// Sets the process up to call the fun `fun` with `args` (terms on its
    /// heap) when it first runs; its initial call is `erlang:apply/2`.
    pub fn start_with_fun(&mut self, fun: Term, args: &[Term]) {
        let apply = crate::term::Atom::intern("apply").expect("atom");
        self.initial_call = (crate::term::atoms::ERLANG, apply, 2);
        let mut x = args.to_vec();
        x.push(fun);
        self.resume = Resume {
            entry: Some(Entry::Fun { arity: args.len() }),
            x,
            ..Resume::default()
        };
    }
}
