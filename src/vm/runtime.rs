//! The runtime: the process table, registered names, the run queues and
//! the scheduler threads, and the timer thread (DESIGN §4).
//!
//! A process lives in a [`ProcessCell`]: its signal queue (lock-free, any
//! thread pushes), its scheduling state, and its body, which only the
//! scheduler running it touches. A sender pushes a signal and, if the
//! receiver was waiting, makes it runnable; the receiver handles its
//! signals in order when it next runs.

use std::collections::HashMap;
use std::sync::atomic::{
    AtomicU32, AtomicU64, AtomicU8, AtomicUsize,
    Ordering::{Relaxed, SeqCst},
};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::Duration;

use crossbeam_deque::{Injector, Steal, Stealer, Worker};
use crossbeam_queue::SegQueue;
use parking_lot::RwLock;

use crate::code::Export;
use crate::heap::{copy_message, GcSettings, ProcessHeap};
use crate::term::{atoms, build, Atom, LocalPid, Term, PID_SERIAL_MAX};
use crate::vm::interp::{self, Ending, Registers, SliceEnd};
use crate::vm::process::{Monitor, Priority, Process};
use crate::vm::signal::{self, Handled, Packet, RefKey, Signal, Watched};
use crate::vm::timer::{Action, Destination, Timers};

/// Reductions in a time slice, as BEAM's `CONTEXT_REDS`.
const SLICE_REDUCTIONS: i64 = 4000;
/// The slice under `OXBEAM_REDS_STRESS=1`: a switch at almost every call.
const STRESS_SLICE_REDUCTIONS: i64 = 2;
/// How long an idle scheduler sleeps before looking for work to steal.
const IDLE_SLEEP: Duration = Duration::from_millis(20);

const WAITING: u8 = 0;
const RUNNABLE: u8 = 1;
const RUNNING: u8 = 2;
const EXITED: u8 = 3;

thread_local! {
    /// The run queue of the scheduler this thread is (none elsewhere).
    static LOCAL_QUEUE: std::cell::OnceCell<Worker<Arc<ProcessCell>>> =
        const { std::cell::OnceCell::new() };
}

/// No registered name (not an atom index in use).
const NO_NAME: u32 = u32::MAX;

/// A process as other threads see it.
pub struct ProcessCell {
    pub pid: LocalPid,
    signals: SegQueue<Signal>,
    state: AtomicU8,
    /// The process's priority as of its last time slice, for whoever
    /// wakes it.
    priority: AtomicU8,
    /// How many times a `low` process has been passed over since it last
    /// ran (see `Runtime::pass_over_low`).
    low_skips: AtomicU8,
    registered_name: AtomicU32,
    body: parking_lot::Mutex<Option<Box<Process>>>,
}

impl ProcessCell {
    /// The process's registered name.
    pub fn registered_name(&self) -> Option<Atom> {
        match self.registered_name.load(SeqCst) {
            NO_NAME => None,
            index => Atom::from_index(index),
        }
    }

    /// `process_info(P, status)`'s answer.
    pub fn status(&self) -> &'static str {
        match self.state.load(SeqCst) {
            WAITING => "waiting",
            RUNNABLE => "runnable",
            RUNNING => "running",
            _ => "exiting",
        }
    }

    fn priority(&self) -> Priority {
        match self.priority.load(SeqCst) {
            p if p == Priority::Max as u8 => Priority::Max,
            p if p == Priority::High as u8 => Priority::High,
            p if p == Priority::Low as u8 => Priority::Low,
            _ => Priority::Normal,
        }
    }

    /// Takes the oldest signal (for code that holds the process body).
    pub fn pop_signal(&self) -> Option<Signal> {
        self.signals.pop()
    }

    /// Runs `f` on the body of a process that may be running on another
    /// scheduler: waits until that slice ends (at most a second, so two
    /// processes asking about each other cannot deadlock). `None` if it
    /// is gone or still busy.
    pub fn with_idle_body<R>(&self, f: impl FnOnce(&mut Process) -> R) -> Option<R> {
        let mut guard = self.body.try_lock_for(Duration::from_secs(1))?;
        guard.as_deref_mut().map(f)
    }
}

struct Slot {
    serial: u32,
    cell: Option<Arc<ProcessCell>>,
}

#[derive(Default)]
struct Table {
    slots: Vec<Slot>,
    free: Vec<u32>,
    live: usize,
}

impl Table {
    fn get(&self, pid: LocalPid) -> Option<&Arc<ProcessCell>> {
        let slot = self.slots.get(pid.number as usize)?;
        (slot.serial == pid.serial).then_some(slot.cell.as_ref()?)
    }
}

struct RunQueues {
    /// Processes of priority `max` and `high`, before all others.
    urgent: Injector<Arc<ProcessCell>>,
    global: Injector<Arc<ProcessCell>>,
    stealers: OnceLock<Vec<Stealer<Arc<ProcessCell>>>>,
    sleepers: AtomicUsize,
    sleep_lock: Mutex<()>,
    wake: Condvar,
}

/// The one runtime of this OS process.
pub struct Runtime {
    table: RwLock<Table>,
    names: RwLock<HashMap<Atom, LocalPid>>,
    /// Active process aliases (`alias/0`, monitors with `{alias, _}`):
    /// a reference that, as a send destination, reaches its process.
    aliases: RwLock<HashMap<RefKey, LocalPid>>,
    queues: RunQueues,
    pub timers: Timers,
    slice: i64,
    started: AtomicU8,
    next_id: AtomicU64,
    references: AtomicU64,
}

/// The runtime (created on first use; schedulers start with [`start`]).
pub fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| Runtime {
        table: RwLock::new(Table::default()),
        names: RwLock::new(HashMap::new()),
        aliases: RwLock::new(HashMap::new()),
        queues: RunQueues {
            urgent: Injector::new(),
            global: Injector::new(),
            stealers: OnceLock::new(),
            sleepers: AtomicUsize::new(0),
            sleep_lock: Mutex::new(()),
            wake: Condvar::new(),
        },
        timers: Timers::default(),
        slice: if std::env::var_os("OXBEAM_REDS_STRESS").is_some_and(|v| v == "1") {
            STRESS_SLICE_REDUCTIONS
        } else {
            SLICE_REDUCTIONS
        },
        started: AtomicU8::new(0),
        next_id: AtomicU64::new(1),
        references: AtomicU64::new(0),
    })
}

/// Starts `schedulers` scheduler threads and the timer thread (once).
pub fn start(schedulers: usize) {
    let rt = runtime();
    if rt.started.swap(1, SeqCst) != 0 {
        return;
    }
    let schedulers = schedulers.max(1);
    let workers: Vec<Worker<Arc<ProcessCell>>> =
        (0..schedulers).map(|_| Worker::new_fifo()).collect();
    let _ = rt
        .queues
        .stealers
        .set(workers.iter().map(Worker::stealer).collect());
    for (index, worker) in workers.into_iter().enumerate() {
        std::thread::Builder::new()
            .name(format!("scheduler {}", index + 1))
            .spawn(move || {
                LOCAL_QUEUE.with(|local| {
                    let _ = local.set(worker);
                    let worker = local.get().expect("just set");
                    runtime().schedule(index, worker)
                })
            })
            .expect("a scheduler thread starts");
    }
    std::thread::Builder::new()
        .name("timers".into())
        .spawn(|| {
            runtime()
                .timers
                .run(|to, signal| runtime().send_to(to, signal))
        })
        .expect("the timer thread starts");
}

/// How a process is started.
pub struct SpawnOptions {
    pub link: bool,
    /// Monitor the new process under this key.
    pub monitor: Option<RefKey>,
    pub priority: Priority,
    pub gc: Option<GcSettings>,
}

impl Default for SpawnOptions {
    fn default() -> Self {
        SpawnOptions {
            link: false,
            monitor: None,
            priority: Priority::Normal,
            gc: None,
        }
    }
}

impl Runtime {
    /// A fresh number for a reference or timer (unique in this runtime).
    pub fn next_id(&self) -> u64 {
        self.next_id.fetch_add(1, SeqCst)
    }

    /// A fresh reference identity (what `make_ref/0` returns): three id
    /// words, the first holding 18 bits as in erts.
    pub fn new_ref_key(&self) -> RefKey {
        let n = self.references.fetch_add(1, SeqCst);
        [(n & 0x3_FFFF) as u32, (n >> 18) as u32, (n >> 50) as u32]
    }

    /// Creates a process that will call `export` with `args` (terms of
    /// `parent`'s heap, or literals), and makes it runnable. `setup` may
    /// adjust the new process before it first runs.
    pub fn spawn(
        &self,
        parent: Option<&mut Process>,
        export: &'static Export,
        args: &[Term],
        options: &SpawnOptions,
        setup: impl FnOnce(&mut Process),
    ) -> LocalPid {
        let (pid, cell) = self.allocate_cell();
        let mut child = Box::new(Process::new(pid));
        if let Some(gc) = options.gc {
            child.heap = ProcessHeap::with_settings(gc);
        }
        child.priority = options.priority;
        let args: Vec<Term> = match &parent {
            Some(parent) => args
                .iter()
                .map(|&a| copy_message(a, &parent.heap, &mut child.heap))
                .collect(),
            None => args.to_vec(),
        };
        child.start_with(export, &args);
        if let Some(parent) = parent {
            child.group_leader = parent.group_leader;
            if options.link {
                parent.links.push(pid);
                child.links.push(parent.pid);
            }
            if let Some(key) = options.monitor {
                let watched = Watched::Pid(pid);
                parent.monitors.push(Monitor {
                    key,
                    other: pid,
                    watched,
                });
                child.monitored_by.push(Monitor {
                    key,
                    other: parent.pid,
                    watched,
                });
            }
        }
        setup(&mut child);
        cell.priority.store(options.priority as u8, SeqCst);
        *cell.body.lock() = Some(child);
        cell.state.store(RUNNABLE, SeqCst);
        self.enqueue(cell, options.priority);
        pid
    }

    fn allocate_cell(&self) -> (LocalPid, Arc<ProcessCell>) {
        let mut table = self.table.write();
        let number = match table.free.pop() {
            Some(n) => n,
            None => {
                table.slots.push(Slot {
                    serial: 0,
                    cell: None,
                });
                (table.slots.len() - 1) as u32
            }
        };
        let slot = &mut table.slots[number as usize];
        let pid = LocalPid {
            number,
            serial: slot.serial,
        };
        let cell = Arc::new(ProcessCell {
            pid,
            signals: SegQueue::new(),
            state: AtomicU8::new(RUNNABLE),
            priority: AtomicU8::new(Priority::Normal as u8),
            low_skips: AtomicU8::new(0),
            registered_name: AtomicU32::new(NO_NAME),
            body: parking_lot::Mutex::new(None),
        });
        slot.cell = Some(cell.clone());
        table.live += 1;
        (pid, cell)
    }

    /// The process `pid`, if it is alive.
    pub fn lookup(&self, pid: LocalPid) -> Option<Arc<ProcessCell>> {
        self.table.read().get(pid).cloned()
    }

    /// Every live process, in pid order.
    pub fn pids(&self) -> Vec<LocalPid> {
        let table = self.table.read();
        table
            .slots
            .iter()
            .filter_map(|s| s.cell.as_ref().map(|c| c.pid))
            .collect()
    }

    /// Sends `signal` to `pid`; false if there is no such process (the
    /// signal is dropped).
    pub fn send(&self, pid: LocalPid, signal: Signal) -> bool {
        let woken = {
            // Pushing under the table's read lock orders the push before an
            // exiting receiver's removal and final drain (which take the
            // write lock): no signal is pushed after the drain.
            let table = self.table.read();
            let Some(cell) = table.get(pid) else {
                return false;
            };
            cell.signals.push(signal);
            cell.state
                .compare_exchange(WAITING, RUNNABLE, SeqCst, SeqCst)
                .is_ok()
                .then(|| cell.clone())
        };
        if let Some(cell) = woken {
            let priority = cell.priority();
            self.enqueue(cell, priority);
        }
        true
    }

    fn send_to(&self, to: Destination, signal: Signal) {
        let pid = match to {
            Destination::Pid(pid) => Some(pid),
            Destination::Name(name) => self.whereis(name),
        };
        if let Some(pid) = pid {
            self.send(pid, signal);
        }
    }

    /// Starts a timer that sends `message` (a term of `from`) to `to`; a
    /// timer aimed at a pid that is not alive is not started (as erl, it
    /// reads as already cancelled).
    pub fn send_after(&self, id: u64, after: Duration, to: Destination, message: Packet) {
        if let Destination::Pid(pid) = to {
            if self.lookup(pid).is_none() {
                return;
            }
        }
        self.timers.start(id, after, to, Action::Send(message));
    }

    /// Starts the timer of a `receive ... after` for process `pid`.
    pub fn start_receive_timer(&self, pid: LocalPid, after: Duration) -> u64 {
        let id = self.next_id();
        self.timers
            .start(id, after, Destination::Pid(pid), Action::ReceiveTimeout);
        id
    }

    pub fn whereis(&self, name: Atom) -> Option<LocalPid> {
        self.names.read().get(&name).copied()
    }

    /// Registers `name` for `pid`; false if the name is taken, the process
    /// already has a name, or it is not alive.
    pub fn register(&self, name: Atom, pid: LocalPid) -> bool {
        let mut names = self.names.write();
        if names.contains_key(&name) {
            return false;
        }
        let Some(cell) = self.lookup(pid) else {
            return false;
        };
        if cell
            .registered_name
            .compare_exchange(NO_NAME, name.index(), SeqCst, SeqCst)
            .is_err()
        {
            return false;
        }
        names.insert(name, pid);
        true
    }

    pub fn unregister(&self, name: Atom) -> bool {
        let Some(pid) = self.names.write().remove(&name) else {
            return false;
        };
        if let Some(cell) = self.lookup(pid) {
            cell.registered_name.store(NO_NAME, SeqCst);
        }
        true
    }

    /// Makes `key` an alias of `p`.
    pub fn add_alias(&self, p: &mut Process, key: RefKey) {
        self.aliases.write().insert(key, p.pid);
        p.aliases.push(key);
    }

    /// Deactivates the alias `key` of `p`; was it active?
    pub fn remove_alias(&self, p: &mut Process, key: RefKey) -> bool {
        let Some(i) = p.aliases.iter().position(|&a| a == key) else {
            return false;
        };
        p.aliases.swap_remove(i);
        self.aliases.write().remove(&key);
        true
    }

    /// The process the alias `key` reaches.
    pub fn alias_owner(&self, key: RefKey) -> Option<LocalPid> {
        self.aliases.read().get(&key).copied()
    }

    pub fn registered(&self) -> Vec<Atom> {
        self.names.read().keys().copied().collect()
    }

    /// Makes `cell` runnable: on the run queue of the scheduler thread
    /// doing it (a woken process runs where its waker runs, as in BEAM,
    /// and idle schedulers steal), else on the global queue.
    fn enqueue(&self, cell: Arc<ProcessCell>, priority: Priority) {
        let q = &self.queues;
        if priority >= Priority::High {
            q.urgent.push(cell);
            self.wake_one();
            return;
        }
        let queued_here = LOCAL_QUEUE.with(|local| match local.get() {
            Some(worker) => {
                worker.push(cell.clone());
                Some(worker.len())
            }
            None => None,
        });
        match queued_here {
            Some(len) => {
                if len > 1 && q.sleepers.load(SeqCst) > 0 {
                    self.wake_one();
                }
            }
            None => {
                q.global.push(cell);
                self.wake_one();
            }
        }
    }

    fn wake_one(&self) {
        let q = &self.queues;
        if q.sleepers.load(SeqCst) > 0 {
            let _guard = q.sleep_lock.lock().expect("sleep lock");
            q.wake.notify_one();
        }
    }

    /// The next process for scheduler `index` to run.
    fn find_work(
        &self,
        index: usize,
        local: &Worker<Arc<ProcessCell>>,
    ) -> Option<Arc<ProcessCell>> {
        let q = &self.queues;
        loop {
            let steal = q
                .urgent
                .steal()
                .or_else(|| local.pop().map_or(Steal::Empty, Steal::Success))
                .or_else(|| q.global.steal_batch_and_pop(local))
                .or_else(|| {
                    let stealers = q.stealers.get().map_or(&[][..], |s| &s[..]);
                    let n = stealers.len();
                    (1..n).map(|k| stealers[(index + k) % n].steal()).collect()
                });
            match steal {
                Steal::Success(cell) => return Some(cell),
                Steal::Empty => return None,
                Steal::Retry => continue,
            }
        }
    }

    /// A process taken from another scheduler's run queue.
    fn steal_from_others(&self, index: usize) -> Option<Arc<ProcessCell>> {
        let stealers = self.queues.stealers.get()?;
        let n = stealers.len();
        (1..n).find_map(|k| loop {
            match stealers[(index + k) % n].steal() {
                Steal::Success(cell) => break Some(cell),
                Steal::Empty => break None,
                Steal::Retry => continue,
            }
        })
    }

    /// A scheduler thread's loop.
    fn schedule(&self, index: usize, local: &Worker<Arc<ProcessCell>>) {
        let mut registers = Registers::new();
        let mut tick = 0u32;
        loop {
            tick = tick.wrapping_add(1);
            // Now and then take from the global queue first, so that a busy
            // local queue cannot starve it.
            let work = if tick.is_multiple_of(61) {
                match self.queues.global.steal() {
                    Steal::Success(cell) => Some(cell),
                    _ => self.find_work(index, local),
                }
            } else {
                self.find_work(index, local)
            };
            match work {
                Some(cell) if self.pass_over_low(&cell, local) => {
                    // Behind the others here; if there are none, run one
                    // from another scheduler's queue first.
                    local.push(cell);
                    if let Some(other) = self.steal_from_others(index) {
                        self.run(other, &mut registers, local);
                    }
                }
                Some(cell) => self.run(cell, &mut registers, local),
                None => self.sleep(),
            }
        }
    }

    fn sleep(&self) {
        let q = &self.queues;
        let guard = q.sleep_lock.lock().expect("sleep lock");
        q.sleepers.fetch_add(1, SeqCst);
        if q.global.is_empty() && q.urgent.is_empty() {
            let _ = q.wake.wait_timeout(guard, IDLE_SLEEP).expect("sleep lock");
        }
        q.sleepers.fetch_sub(1, SeqCst);
    }

    /// Runs one time slice of `cell`'s process.
    fn run(
        &self,
        cell: Arc<ProcessCell>,
        registers: &mut Registers,
        local: &Worker<Arc<ProcessCell>>,
    ) {
        let mut guard = cell.body.lock();
        let Some(p) = guard.as_deref_mut() else {
            return;
        };
        cell.state.store(RUNNING, SeqCst);
        while let Some(signal) = cell.signals.pop() {
            if let Handled::Exit(reason) = signal::handle(p, signal) {
                drop(guard);
                self.exit(&cell, Ending::Killed(reason));
                return;
            }
        }
        if let Some(reason) = p.pending_exit.take() {
            drop(guard);
            self.exit(&cell, Ending::Killed(reason));
            return;
        }
        if p.resume.waiting && p.mailbox.current().is_none() && !p.timed_out {
            // Woken by a signal that brought no message for the receive.
            cell.state.store(WAITING, SeqCst);
            drop(guard);
            self.recheck(cell);
            return;
        }
        let end = interp::run_slice(p, &cell.signals, registers, self.slice);
        cell.priority.store(p.priority as u8, SeqCst);
        match end {
            SliceEnd::Yield => {
                cell.state.store(RUNNABLE, SeqCst);
                let urgent = p.priority >= Priority::High;
                drop(guard);
                if urgent {
                    self.queues.urgent.push(cell);
                } else {
                    local.push(cell);
                    if self.queues.sleepers.load(SeqCst) > 0 && local.len() > 1 {
                        self.wake_one();
                    }
                }
            }
            SliceEnd::Wait => {
                cell.state.store(WAITING, SeqCst);
                drop(guard);
                self.recheck(cell);
            }
            SliceEnd::Exit(ending) => {
                drop(guard);
                self.exit(&cell, ending);
            }
        }
    }

    /// Whether to put a `low` process back instead of running it. Low and
    /// normal processes share the run queues; as in BEAM, a low one is
    /// passed over `RESCHEDULE_LOW` times while other work waits, so it
    /// gets about one slice in eight that a normal process gets.
    fn pass_over_low(&self, cell: &ProcessCell, local: &Worker<Arc<ProcessCell>>) -> bool {
        const RESCHEDULE_LOW: u8 = 8;
        if cell.priority() != Priority::Low {
            return false;
        }
        let q = &self.queues;
        let others_wait = !local.is_empty()
            || !q.global.is_empty()
            || q.stealers
                .get()
                .is_some_and(|s| s.iter().any(|s| !s.is_empty()));
        if others_wait && cell.low_skips.load(Relaxed) < RESCHEDULE_LOW {
            cell.low_skips.fetch_add(1, Relaxed);
            return true;
        }
        cell.low_skips.store(0, Relaxed);
        false
    }

    /// Makes a waiting process runnable (it has something to act on that
    /// did not come as a signal).
    pub fn wake(&self, cell: &Arc<ProcessCell>) {
        if cell
            .state
            .compare_exchange(WAITING, RUNNABLE, SeqCst, SeqCst)
            .is_ok()
        {
            let priority = cell.priority();
            self.enqueue(cell.clone(), priority);
        }
    }

    /// After a process started waiting: a signal that arrived in between
    /// must not be lost.
    fn recheck(&self, cell: Arc<ProcessCell>) {
        if !cell.signals.is_empty()
            && cell
                .state
                .compare_exchange(WAITING, RUNNABLE, SeqCst, SeqCst)
                .is_ok()
        {
            let priority = cell.priority();
            self.enqueue(cell, priority);
        }
    }

    /// Ends the process in `cell`: tells its links and monitors, answers
    /// the signals still queued, and frees it.
    fn exit(&self, cell: &Arc<ProcessCell>, ending: Ending) {
        let mut process = cell
            .body
            .lock()
            .take()
            .expect("an exiting process has a body");
        let p = &mut *process;
        let reason = ending.exit_reason(&mut p.heap);
        if let Some(hook) = p.on_exit.take() {
            hook(p, &ending);
        }
        if let Ending::Raised(e) = &ending {
            if e.class == crate::bif::Class::Error {
                crate::vm::report::process_error(p.pid, p.group_leader, reason, &mut p.heap);
            }
        }
        {
            let mut table = self.table.write();
            let slot = &mut table.slots[cell.pid.number as usize];
            slot.cell = None;
            slot.serial = if slot.serial == PID_SERIAL_MAX {
                0
            } else {
                slot.serial + 1
            };
            table.free.push(cell.pid.number);
            table.live -= 1;
        }
        cell.state.store(EXITED, SeqCst);
        if let Some(name) = cell.registered_name() {
            self.names.write().remove(&name);
        }
        p.receive_timer = None;
        self.timers.cancel_for(cell.pid);
        // Its ETS tables go to their heirs or are deleted before links and
        // monitors hear of the end, as in erl.
        crate::bif::ets::owner_exited(cell.pid);
        if !p.aliases.is_empty() {
            let mut aliases = self.aliases.write();
            for key in &p.aliases {
                aliases.remove(key);
            }
        }
        let me = p.pid;
        // Signals that came before the end: links and monitors still to
        // be answered.
        // Signals still queued came after the end: a link or monitor
        // arriving now finds no process (`noproc`, as erl answers).
        let mut late = Vec::new();
        while let Some(signal) = cell.signals.pop() {
            match signal {
                Signal::Link { from } => {
                    p.links.retain(|&l| l != from);
                    late.push((from, None));
                }
                Signal::Unlink { from } => p.links.retain(|&l| l != from),
                Signal::Monitor { from, key, watched } => late.push((from, Some((key, watched)))),
                Signal::Demonitor { from, key } => p
                    .monitored_by
                    .retain(|m| !(m.key == key && m.other == from)),
                _ => {}
            }
        }
        let noproc = Term::atom(atoms::NOPROC);
        for (to, monitor) in late {
            let reason = Packet::immediate(noproc);
            let signal = match monitor {
                None => Signal::Exit {
                    from: me,
                    reason,
                    link: true,
                },
                Some((key, watched)) => Signal::Down {
                    key,
                    watched,
                    reason,
                },
            };
            self.send(to, signal);
        }
        // Monitors this process held go first: whoever learns of the end
        // (by a link or a 'DOWN') and then asks the watched process must
        // find them gone.
        for m in &p.monitors {
            self.send(
                m.other,
                Signal::Demonitor {
                    from: me,
                    key: m.key,
                },
            );
        }
        for &linked in &p.links {
            let reason = Packet::copy(reason, &p.heap);
            self.send(
                linked,
                Signal::Exit {
                    from: me,
                    reason,
                    link: true,
                },
            );
        }
        for m in &p.monitored_by {
            let reason = Packet::copy(reason, &p.heap);
            self.send(
                m.other,
                Signal::Down {
                    key: m.key,
                    watched: m.watched,
                    reason,
                },
            );
        }
    }

    /// `link(Pid)` from `p`; false if `pid` is not alive.
    pub fn link(&self, p: &mut Process, pid: LocalPid) -> bool {
        if pid == p.pid {
            return true;
        }
        if !self.send(pid, Signal::Link { from: p.pid }) {
            return false;
        }
        if !p.links.contains(&pid) {
            p.links.push(pid);
        }
        true
    }

    pub fn unlink(&self, p: &mut Process, pid: LocalPid) {
        if p.links.contains(&pid) {
            p.links.retain(|&l| l != pid);
            self.send(pid, Signal::Unlink { from: p.pid });
        }
    }

    /// `monitor(process, ...)` from `p`: the reference's key. A monitor
    /// of a process that is not alive gets its `'DOWN'` at once.
    pub fn monitor(&self, p: &mut Process, target: Option<LocalPid>, watched: Watched) -> RefKey {
        let key = self.new_ref_key();
        let sent = target.is_some_and(|pid| {
            pid != p.pid
                && self.send(
                    pid,
                    Signal::Monitor {
                        from: p.pid,
                        key,
                        watched,
                    },
                )
        });
        match target {
            Some(pid) if sent => p.monitors.push(Monitor {
                key,
                other: pid,
                watched,
            }),
            Some(pid) if pid == p.pid => {}
            _ => {
                let reason = Term::atom(atoms::NOPROC);
                let message = signal::down_message(p, key, watched, reason);
                p.mailbox.push(message);
            }
        }
        key
    }

    /// `demonitor(Ref)` from `p`: was the monitor active?
    pub fn demonitor(&self, p: &mut Process, key: RefKey) -> bool {
        let Some(i) = p.monitors.iter().position(|m| m.key == key) else {
            return false;
        };
        let m = p.monitors.swap_remove(i);
        self.send(m.other, Signal::Demonitor { from: p.pid, key });
        self.remove_alias(p, key);
        true
    }

    /// Sends an exit signal from `p` to `pid` (`exit/2`).
    pub fn exit_signal(&self, p: &mut Process, pid: LocalPid, reason: Term) -> bool {
        let packet = Packet::copy(reason, &p.heap);
        let sent = self.send(
            pid,
            Signal::Exit {
                from: p.pid,
                reason: packet,
                link: false,
            },
        );
        if pid == p.pid {
            p.yield_requested = true;
        }
        sent
    }

    /// Sends `message` (a term of `p`) to `pid`.
    pub fn send_message(&self, p: &Process, pid: LocalPid, message: Term) -> bool {
        self.send(pid, Signal::Message(Packet::copy(message, &p.heap)))
    }

    /// The number of scheduler threads (0 before [`start`]).
    pub fn schedulers(&self) -> usize {
        self.queues.stealers.get().map_or(0, Vec::len)
    }

    /// The number of live processes.
    pub fn process_count(&self) -> usize {
        self.table.read().live
    }
}

impl Ending {
    /// The exit reason links and monitors see: `{Reason, Stack}` for an
    /// error, `{{nocatch, Value}, Stack}` for a throw.
    pub fn exit_reason(&self, heap: &mut ProcessHeap) -> Term {
        match self {
            Ending::Returned(_) => Term::atom(atoms::NORMAL),
            Ending::Killed(reason) => *reason,
            Ending::Raised(e) => match e.class {
                crate::bif::Class::Exit => e.reason,
                crate::bif::Class::Error => build::tuple(heap, &[e.reason, e.stacktrace]),
                crate::bif::Class::Throw => {
                    let nocatch = build::tuple(heap, &[Term::atom(atoms::NOCATCH), e.reason]);
                    build::tuple(heap, &[nocatch, e.stacktrace])
                }
            },
        }
    }
}
