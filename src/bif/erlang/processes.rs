//! Processes: spawning, sending, links, monitors, exits, registered
//! names, process flags and `process_info`, group leaders, timers and
//! `halt`. Everything that touches another process goes through the
//! runtime as a signal (DESIGN §4).

use std::time::Duration;

use super::{as_bool, atom, proper_length};
use crate::bif::{Native, NativeResult, Raised};
use crate::code::export_entry;
use crate::heap::{GcSettings, HeapFragment, MaxHeapSize};
use crate::term::{atoms, build, Atom, LocalPid, Term, View};
use crate::vm::process::{Priority, Process};
use crate::vm::runtime::{runtime, SpawnOptions};
use crate::vm::signal::{Handled, RefKey, Signal, Watched};
use crate::vm::timer::Destination;

fn pid_arg(term: Term) -> Result<LocalPid, Raised> {
    match term.view() {
        View::Pid(pid) => Ok(pid),
        _ => Err(Raised::badarg()),
    }
}

fn atom_arg(term: Term) -> Result<Atom, Raised> {
    term.as_atom().ok_or_else(Raised::badarg)
}

/// The three id words of a local reference.
pub(crate) fn ref_key(term: Term) -> Option<RefKey> {
    match term.view() {
        View::Ref(r) if r.node == atoms::NONODE && r.id_count() == 3 => {
            let mut key = [0u32; 3];
            for (slot, id) in key.iter_mut().zip(r.ids()) {
                *slot = id;
            }
            Some(key)
        }
        _ => None,
    }
}

fn ref_term(process: &mut Process, key: RefKey) -> Term {
    build::reference(&mut process.heap, atoms::NONODE, 0, &key)
}

// ---- spawning ----------------------------------------------------------------

/// What to start: `M:F(Args)` or `Fun()`.
enum Start<'a> {
    Mfa(Atom, Atom, &'a [Term]),
    Fun(Term),
}

fn start_of(args: &[Term], storage: &mut Vec<Term>) -> Result<(), Raised> {
    let list = args[2];
    if proper_length(list).is_none() {
        return Err(Raised::badarg());
    }
    atom_arg(args[0])?;
    atom_arg(args[1])?;
    storage.extend(list.list_iter());
    Ok(())
}

fn spawn_with(process: &mut Process, start: Start, options: &SpawnOptions) -> LocalPid {
    match start {
        // spawn(erlang, apply, [M, F, Args] | [Fun, Args]) starts the
        // applied function itself, as BEAM's apply trap does.
        Start::Mfa(m, f, &[target, function, list])
            if is_apply(m, f) && proper_length(list).is_some() =>
        {
            match (target.as_atom(), function.as_atom()) {
                (Some(m), Some(f)) => {
                    let args: Vec<Term> = list.list_iter().collect();
                    spawn_with(process, Start::Mfa(m, f, &args), options)
                }
                _ => spawn_export(process, m, f, &[target, function, list], options),
            }
        }
        Start::Mfa(m, f, &[fun, list])
            if is_apply(m, f) && fun_arg(fun).is_ok() && proper_length(list).is_some() =>
        {
            let apply = export_entry(m, f, 2);
            runtime().spawn(Some(process), apply, &[fun, list], options, |child| {
                let [fun, list] = [child.resume_args()[0], child.resume_args()[1]];
                let args: Vec<Term> = list.list_iter().collect();
                child.start_with_fun(fun, &args);
            })
        }
        Start::Mfa(m, f, args) => spawn_export(process, m, f, args, options),
        Start::Fun(fun) => {
            // The fun is copied with the (empty) argument list, then set as
            // the call of the new process.
            let apply = export_entry(atoms::ERLANG, Atom::intern("apply").expect("atom"), 2);
            runtime().spawn(Some(process), apply, &[fun], options, |child| {
                let fun = child.resume_args()[0];
                child.start_with_fun(fun, &[]);
            })
        }
    }
}

fn is_apply(m: Atom, f: Atom) -> bool {
    m == atoms::ERLANG && f.name() == "apply"
}

fn spawn_export(
    process: &mut Process,
    m: Atom,
    f: Atom,
    args: &[Term],
    options: &SpawnOptions,
) -> LocalPid {
    let export = export_entry(m, f, args.len() as u32);
    runtime().spawn(Some(process), export, args, options, |_| {})
}

fn fun_arg(term: Term) -> Result<Term, Raised> {
    match term.view() {
        View::Fun(_) | View::Export(_) => Ok(term),
        _ => Err(Raised::badarg()),
    }
}

fn spawn_fun(process: &mut Process, args: &[Term], options: SpawnOptions) -> NativeResult {
    let fun = fun_arg(args[0])?;
    let monitor = options.monitor;
    let pid = spawn_with(process, Start::Fun(fun), &options);
    Ok(spawned(process, pid, monitor))
}

fn spawn_mfa(process: &mut Process, args: &[Term], options: SpawnOptions) -> NativeResult {
    let mut call_args = Vec::new();
    start_of(args, &mut call_args)?;
    let (m, f) = (atom_arg(args[0])?, atom_arg(args[1])?);
    let monitor = options.monitor;
    let pid = spawn_with(process, Start::Mfa(m, f, &call_args), &options);
    Ok(spawned(process, pid, monitor))
}

/// The pid, or `{Pid, MonitorRef}` for a monitored spawn.
fn spawned(process: &mut Process, pid: LocalPid, monitor: Option<RefKey>) -> Term {
    match monitor {
        Some(key) => {
            let reference = ref_term(process, key);
            build::tuple(&mut process.heap, &[Term::local_pid(pid), reference])
        }
        None => Term::local_pid(pid),
    }
}

fn spawn_1(p: &mut Process, args: &[Term]) -> NativeResult {
    spawn_fun(p, args, SpawnOptions::default())
}

fn spawn_3(p: &mut Process, args: &[Term]) -> NativeResult {
    spawn_mfa(p, args, SpawnOptions::default())
}

fn spawn_link_1(p: &mut Process, args: &[Term]) -> NativeResult {
    let options = SpawnOptions {
        link: true,
        ..SpawnOptions::default()
    };
    spawn_fun(p, args, options)
}

fn spawn_link_3(p: &mut Process, args: &[Term]) -> NativeResult {
    let options = SpawnOptions {
        link: true,
        ..SpawnOptions::default()
    };
    spawn_mfa(p, args, options)
}

fn spawn_monitor_1(p: &mut Process, args: &[Term]) -> NativeResult {
    let options = SpawnOptions {
        monitor: Some(runtime().new_ref_key()),
        ..SpawnOptions::default()
    };
    spawn_fun(p, args, options)
}

fn spawn_monitor_3(p: &mut Process, args: &[Term]) -> NativeResult {
    let options = SpawnOptions {
        monitor: Some(runtime().new_ref_key()),
        ..SpawnOptions::default()
    };
    spawn_mfa(p, args, options)
}

/// The options of `spawn_opt`.
fn spawn_options(list: Term) -> Result<SpawnOptions, Raised> {
    if proper_length(list).is_none() {
        return Err(Raised::badarg());
    }
    let mut options = SpawnOptions::default();
    let mut gc = GcSettings::default();
    let mut gc_changed = false;
    for option in list.list_iter() {
        if option == atom("link") {
            options.link = true;
        } else if option == atom("monitor") {
            options.monitor = Some(runtime().new_ref_key());
        } else if let Some(&[key, value]) = option.as_tuple() {
            match key.as_atom().map(|a| a.name()) {
                Some("monitor") => options.monitor = Some(runtime().new_ref_key()),
                Some("priority") => options.priority = priority_arg(value)?,
                Some("min_heap_size") => {
                    gc.min_heap_size = size_arg(value)?;
                    gc_changed = true;
                }
                Some("max_heap_size") => {
                    gc.max_heap_size = max_heap_size_arg(value)?;
                    gc_changed = true;
                }
                Some("fullsweep_after") => {
                    gc.fullsweep_after = size_arg(value)?.min(u32::MAX as usize) as u32;
                    gc_changed = true;
                }
                Some("min_bin_vheap_size") => {
                    size_arg(value)?;
                }
                Some("message_queue_data") => {
                    if value != atom("on_heap") && value != atom("off_heap") {
                        return Err(Raised::badarg());
                    }
                }
                _ => return Err(Raised::badarg()),
            }
        } else {
            return Err(Raised::badarg());
        }
    }
    if gc_changed {
        options.gc = Some(gc);
    }
    Ok(options)
}

fn size_arg(term: Term) -> Result<usize, Raised> {
    term.as_small()
        .filter(|&n| n >= 0)
        .map(|n| n as usize)
        .ok_or_else(Raised::badarg)
}

fn priority_arg(term: Term) -> Result<Priority, Raised> {
    match term.as_atom().map(|a| a.name()) {
        Some("low") => Ok(Priority::Low),
        Some("normal") => Ok(Priority::Normal),
        Some("high") => Ok(Priority::High),
        Some("max") => Ok(Priority::Max),
        _ => Err(Raised::badarg()),
    }
}

fn priority_term(priority: Priority) -> Term {
    atom(match priority {
        Priority::Low => "low",
        Priority::Normal => "normal",
        Priority::High => "high",
        Priority::Max => "max",
    })
}

/// `max_heap_size`: a size, or `#{size, kill, error_logger}`.
fn max_heap_size_arg(term: Term) -> Result<MaxHeapSize, Raised> {
    if let Some(size) = term.as_small() {
        return Ok(MaxHeapSize {
            size: usize::try_from(size).map_err(|_| Raised::badarg())?,
            ..MaxHeapSize::default()
        });
    }
    let View::Map(map) = term.view() else {
        return Err(Raised::badarg());
    };
    let mut max = MaxHeapSize::default();
    if let Some(size) = map.get(atom("size")) {
        max.size = size_arg(size)?;
    }
    if let Some(kill) = map.get(atom("kill")) {
        max.kill = as_bool(kill).ok_or_else(Raised::badarg)?;
    }
    if let Some(logger) = map.get(atom("error_logger")) {
        max.error_logger = as_bool(logger).ok_or_else(Raised::badarg)?;
    }
    Ok(max)
}

fn max_heap_size_term(process: &mut Process, max: MaxHeapSize) -> Term {
    let pairs = [
        (atom("error_logger"), Term::bool(max.error_logger)),
        (atom("kill"), Term::bool(max.kill)),
        (atom("size"), Term::small(max.size as i64)),
    ];
    crate::term::map::from_pairs(&mut process.heap, &pairs).0
}

fn spawn_opt_2(p: &mut Process, args: &[Term]) -> NativeResult {
    let options = spawn_options(args[1])?;
    spawn_fun(p, args, options)
}

fn spawn_opt_4(p: &mut Process, args: &[Term]) -> NativeResult {
    let options = spawn_options(args[3])?;
    spawn_mfa(p, args, options)
}

// ---- messages ------------------------------------------------------------------

/// `erlang:send(Dest, Msg)` and `Dest ! Msg`.
fn send(process: &mut Process, args: &[Term]) -> NativeResult {
    let (dest, message) = (args[0], args[1]);
    let rt = runtime();
    match dest.view() {
        View::Pid(pid) => {
            rt.send_message(process, pid, message);
        }
        View::Atom(name) => {
            let pid = rt.whereis(name).ok_or_else(Raised::badarg)?;
            rt.send_message(process, pid, message);
        }
        View::Tuple(&[name, node]) if name.is_atom() && node.is_atom() => {
            // {Name, Node}: an unknown name on this node drops the message.
            if node == Term::atom(atoms::NONODE) {
                if let Some(pid) = rt.whereis(name.as_atom().expect("an atom")) {
                    rt.send_message(process, pid, message);
                }
            }
        }
        View::Ref(_) => {
            // An alias: delivered while it is active, dropped otherwise.
            if let Some(pid) = ref_key(dest).and_then(|key| rt.alias_owner(key)) {
                rt.send_message(process, pid, message);
            }
        }
        View::Port(_) | View::ExternalPid { .. } | View::ExternalPort { .. } => {}
        _ => return Err(Raised::badarg()),
    }
    Ok(message)
}

/// `erlang:send(Dest, Msg, Options)`: `nosuspend` and `noconnect` change
/// nothing on one node; any other option is `badarg`.
fn send_3(process: &mut Process, args: &[Term]) -> NativeResult {
    if proper_length(args[2]).is_none()
        || !args[2]
            .list_iter()
            .all(|o| o == atom("nosuspend") || o == atom("noconnect"))
    {
        return Err(Raised::badarg());
    }
    send(process, &args[..2])?;
    Ok(atom("ok"))
}

// ---- links, monitors, exits ----------------------------------------------------------

fn link(process: &mut Process, args: &[Term]) -> NativeResult {
    let pid = match args[0].view() {
        View::Pid(pid) => pid,
        View::Port(_) => return Ok(Term::TRUE),
        _ => return Err(Raised::badarg()),
    };
    if runtime().link(process, pid) {
        return Ok(Term::TRUE);
    }
    if !process.trap_exit {
        return Err(Raised::error(Term::atom(atoms::NOPROC)));
    }
    let message = build::tuple(
        &mut process.heap,
        &[Term::atom(atoms::EXIT), args[0], Term::atom(atoms::NOPROC)],
    );
    process.mailbox.push(message);
    Ok(Term::TRUE)
}

fn unlink(process: &mut Process, args: &[Term]) -> NativeResult {
    match args[0].view() {
        View::Pid(pid) => runtime().unlink(process, pid),
        View::Port(_) => {}
        _ => return Err(Raised::badarg()),
    }
    Ok(Term::TRUE)
}

fn monitor_2(process: &mut Process, args: &[Term]) -> NativeResult {
    if args[0] != Term::atom(atoms::PROCESS) {
        // Ports and time offsets are not monitored yet.
        return Err(Raised::badarg());
    }
    let target = args[1];
    let (pid, watched) = match target.view() {
        View::Pid(pid) => (Some(pid), Watched::Pid(pid)),
        View::Atom(name) => (runtime().whereis(name), Watched::Name(name)),
        View::Tuple(&[name, node]) if name.is_atom() && node == Term::atom(atoms::NONODE) => {
            let name = name.as_atom().expect("an atom");
            (runtime().whereis(name), Watched::Name(name))
        }
        _ => return Err(Raised::badarg()),
    };
    let key = runtime().monitor(process, pid, watched);
    Ok(ref_term(process, key))
}

/// `monitor(process, Target, Options)`: `{alias, Mode}` makes the
/// monitor's reference an alias of the caller (gen:call replies through
/// it); `{tag, Tag}` is accepted.
fn monitor_3(process: &mut Process, args: &[Term]) -> NativeResult {
    if proper_length(args[2]).is_none() {
        return Err(Raised::badarg());
    }
    let mut alias = false;
    for option in args[2].list_iter() {
        match option.as_tuple() {
            Some(&[key, mode]) if key == atom("alias") => {
                let modes = ["explicit_unalias", "demonitor", "reply_demonitor"];
                if !mode.as_atom().is_some_and(|m| modes.contains(&m.name())) {
                    return Err(Raised::badarg());
                }
                alias = true;
            }
            Some(&[key, _]) if key == atom("tag") => {}
            _ => return Err(Raised::badarg()),
        }
    }
    let reference = monitor_2(process, &args[..2])?;
    if alias {
        let key = ref_key(reference).expect("a monitor reference is local");
        runtime().add_alias(process, key);
    }
    Ok(reference)
}

/// `alias()` and `alias(Options)`: a reference that reaches the caller.
fn alias_0(process: &mut Process, _: &[Term]) -> NativeResult {
    let key = runtime().new_ref_key();
    runtime().add_alias(process, key);
    Ok(ref_term(process, key))
}

fn alias_1(process: &mut Process, args: &[Term]) -> NativeResult {
    if proper_length(args[0]).is_none() {
        return Err(Raised::badarg());
    }
    for option in args[0].list_iter() {
        if option != atom("explicit_unalias") && option != atom("reply") {
            return Err(Raised::badarg());
        }
    }
    alias_0(process, &[])
}

fn unalias(process: &mut Process, args: &[Term]) -> NativeResult {
    let key = ref_key(args[0]).ok_or_else(Raised::badarg)?;
    Ok(Term::bool(runtime().remove_alias(process, key)))
}

fn demonitor_1(process: &mut Process, args: &[Term]) -> NativeResult {
    let key = ref_key(args[0]).ok_or_else(Raised::badarg)?;
    runtime().demonitor(process, key);
    Ok(Term::TRUE)
}

/// `demonitor(Ref, Options)`: `flush` removes a `'DOWN'` already
/// delivered; `info` answers whether the monitor was still active.
fn demonitor_2(process: &mut Process, args: &[Term]) -> NativeResult {
    let key = ref_key(args[0]).ok_or_else(Raised::badarg)?;
    if proper_length(args[1]).is_none() {
        return Err(Raised::badarg());
    }
    let (mut flush, mut info) = (false, false);
    for option in args[1].list_iter() {
        match option.as_atom().map(|a| a.name()) {
            Some("flush") => flush = true,
            Some("info") => info = true,
            _ => return Err(Raised::badarg()),
        }
    }
    let active = runtime().demonitor(process, key);
    if flush {
        absorb_own_signals(process);
        process.mailbox.remove_where(|m| is_down_of(m, args[0]));
    }
    Ok(Term::bool(!info || active))
}

/// Is `message` `{'DOWN', Ref, _, _, _}`?
fn is_down_of(message: Term, reference: Term) -> bool {
    message.as_tuple().is_some_and(|e| {
        e.len() == 5
            && e[0] == Term::atom(atoms::DOWN)
            && crate::term::order::exact_eq(e[1], reference)
    })
}

/// Handles the signals already sent to the calling process, so that what
/// it reads of its own mailbox is up to date.
fn absorb_own_signals(process: &mut Process) {
    let Some(cell) = runtime().lookup(process.pid) else {
        return;
    };
    while let Some(signal) = cell.pop_signal() {
        if let Handled::Exit(reason) = crate::vm::signal::handle(process, signal) {
            process.pending_exit = Some(reason);
            process.yield_requested = true;
            break;
        }
    }
}

/// `exit(Pid, Reason)`.
fn exit_2(process: &mut Process, args: &[Term]) -> NativeResult {
    match args[0].view() {
        View::Pid(pid) => {
            runtime().exit_signal(process, pid, args[1]);
        }
        View::Port(_) | View::ExternalPid { .. } | View::ExternalPort { .. } => {}
        _ => return Err(Raised::badarg()),
    }
    Ok(Term::TRUE)
}

fn is_process_alive(_: &mut Process, args: &[Term]) -> NativeResult {
    let pid = pid_arg(args[0])?;
    Ok(Term::bool(runtime().lookup(pid).is_some()))
}

fn processes(process: &mut Process, _: &[Term]) -> NativeResult {
    let pids: Vec<Term> = runtime().pids().into_iter().map(Term::local_pid).collect();
    Ok(build::list(&mut process.heap, &pids))
}

// ---- names ------------------------------------------------------------------------

fn register(process: &mut Process, args: &[Term]) -> NativeResult {
    let name = atom_arg(args[0])?;
    let pid = pid_arg(args[1])?;
    if name == atoms::UNDEFINED || !runtime().register(name, pid) {
        return Err(Raised::badarg());
    }
    let _ = process;
    Ok(Term::TRUE)
}

fn unregister(_: &mut Process, args: &[Term]) -> NativeResult {
    let name = atom_arg(args[0])?;
    if runtime().unregister(name) {
        Ok(Term::TRUE)
    } else {
        Err(Raised::badarg())
    }
}

fn whereis(_: &mut Process, args: &[Term]) -> NativeResult {
    let name = atom_arg(args[0])?;
    Ok(runtime()
        .whereis(name)
        .map_or(Term::atom(atoms::UNDEFINED), Term::local_pid))
}

fn registered(process: &mut Process, _: &[Term]) -> NativeResult {
    let names: Vec<Term> = runtime().registered().into_iter().map(Term::atom).collect();
    Ok(build::list(&mut process.heap, &names))
}

// ---- flags ---------------------------------------------------------------------------

fn process_flag(process: &mut Process, args: &[Term]) -> NativeResult {
    let (flag, value) = (args[0], args[1]);
    match flag.as_atom().map(|a| a.name()) {
        Some("trap_exit") => {
            let on = as_bool(value).ok_or_else(Raised::badarg)?;
            let old = std::mem::replace(&mut process.trap_exit, on);
            Ok(Term::bool(old))
        }
        Some("priority") => {
            let new = priority_arg(value)?;
            let old = std::mem::replace(&mut process.priority, new);
            Ok(priority_term(old))
        }
        Some("min_heap_size") => {
            let words = size_arg(value)?;
            let old = process.heap.settings().min_heap_size;
            process.heap.set_min_heap_size(words);
            Ok(Term::small(old as i64))
        }
        Some("max_heap_size") => {
            let new = max_heap_size_arg(value)?;
            let old = process.heap.settings().max_heap_size;
            process.heap.set_max_heap_size(new);
            Ok(max_heap_size_term(process, old))
        }
        Some("fullsweep_after") => {
            let n = size_arg(value)?.min(u32::MAX as usize) as u32;
            let old = process.heap.settings().fullsweep_after;
            process.heap.set_fullsweep_after(n);
            Ok(Term::small(old as i64))
        }
        Some("message_queue_data") if value == atom("on_heap") || value == atom("off_heap") => {
            Ok(atom("on_heap"))
        }
        Some("sensitive") => {
            as_bool(value).ok_or_else(Raised::badarg)?;
            Ok(Term::FALSE)
        }
        Some("save_calls") => {
            size_arg(value)?;
            Ok(Term::small(0))
        }
        Some("error_handler") => {
            atom_arg(value)?;
            Ok(atom("error_handler"))
        }
        _ => Err(Raised::badarg()),
    }
}

// ---- process_info ------------------------------------------------------------------------

/// The items `process_info/1` answers, in erl's order.
const DEFAULT_ITEMS: &[&str] = &[
    "current_function",
    "initial_call",
    "status",
    "message_queue_len",
    "links",
    "dictionary",
    "trap_exit",
    "error_handler",
    "priority",
    "group_leader",
    "total_heap_size",
    "heap_size",
    "stack_size",
    "reductions",
    "garbage_collection",
    "suspending",
];

/// Every item `process_info/2` knows.
const ITEMS: &[&str] = &[
    "backtrace",
    "binary",
    "catchlevel",
    "current_function",
    "current_location",
    "current_stacktrace",
    "dictionary",
    "error_handler",
    "garbage_collection",
    "garbage_collection_info",
    "group_leader",
    "heap_size",
    "initial_call",
    "links",
    "last_calls",
    "memory",
    "message_queue_data",
    "message_queue_len",
    "messages",
    "min_heap_size",
    "min_bin_vheap_size",
    "monitored_by",
    "monitors",
    "parent",
    "priority",
    "reductions",
    "registered_name",
    "sequential_trace_token",
    "stack_size",
    "status",
    "suspending",
    "total_heap_size",
    "trace",
    "trap_exit",
];

/// Reads `pid` (the caller itself, or another process while no scheduler
/// runs it) and builds an answer in a fragment that then joins the
/// caller's heap; `None` when `pid` is not alive.
fn read_process(
    caller: &mut Process,
    pid: LocalPid,
    read: impl FnOnce(&Process, &'static str, &mut HeapFragment) -> Result<Term, Raised>,
) -> Result<Option<Term>, Raised> {
    let mut fragment = HeapFragment::new();
    let answer = if pid == caller.pid {
        absorb_own_signals(caller);
        Some(read(caller, "running", &mut fragment))
    } else {
        let Some(cell) = runtime().lookup(pid) else {
            return Ok(None);
        };
        // The signals it has not handled yet count (a message sent before
        // the call is in its queue), so they are handled first; one that
        // ends it is left for its scheduler to act on.
        let answer = cell.with_idle_body(|target| {
            while let Some(signal) = cell.pop_signal() {
                if let Handled::Exit(reason) = crate::vm::signal::handle(target, signal) {
                    target.pending_exit = Some(reason);
                    break;
                }
            }
            let ending = target.pending_exit.is_some();
            (read(target, cell.status(), &mut fragment), ending)
        });
        match answer {
            Some((answer, ending)) => {
                if ending {
                    runtime().wake(&cell);
                }
                Some(answer)
            }
            None => None,
        }
    };
    caller.heap.attach_fragment(fragment);
    answer.transpose()
}

/// The value of one `process_info` item of `p`, copied into `out`.
fn info_value(
    p: &Process,
    item: &str,
    status: &'static str,
    out: &mut HeapFragment,
) -> Result<Term, Raised> {
    let copy = |t: Term, out: &mut HeapFragment| crate::heap::copy_message(t, &p.heap, out);
    let pids = |pids: &mut dyn Iterator<Item = LocalPid>, out: &mut HeapFragment| {
        let items: Vec<Term> = pids.map(Term::local_pid).collect();
        build::list(out, &items)
    };
    let words = |n: usize| Term::small(n as i64);
    Ok(match item {
        "current_function" | "initial_call" => {
            let (m, f, a) = if item == "initial_call" {
                p.initial_call
            } else {
                p.current_function()
            };
            build::tuple(out, &[Term::atom(m), Term::atom(f), Term::small(a as i64)])
        }
        "status" => atom(status),
        "message_queue_len" => words(p.mailbox.len()),
        "messages" => {
            let messages: Vec<Term> = p.mailbox.iter().map(|m| copy(m, out)).collect();
            build::list(out, &messages)
        }
        "links" => pids(&mut p.links.iter().copied(), out),
        "monitored_by" => pids(&mut p.monitored_by.iter().map(|m| m.other), out),
        "monitors" => {
            let items: Vec<Term> = p
                .monitors
                .iter()
                .map(|m| {
                    let object = match m.watched {
                        Watched::Pid(pid) => Term::local_pid(pid),
                        Watched::Name(name) => {
                            build::tuple(out, &[Term::atom(name), Term::atom(atoms::NONODE)])
                        }
                    };
                    build::tuple(out, &[Term::atom(atoms::PROCESS), object])
                })
                .collect();
            build::list(out, &items)
        }
        "dictionary" => {
            let pairs: Vec<Term> = p
                .dictionary
                .pairs()
                .into_iter()
                .map(|(k, v)| {
                    let (k, v) = (copy(k, out), copy(v, out));
                    build::tuple(out, &[k, v])
                })
                .collect();
            build::list(out, &pairs)
        }
        "trap_exit" => Term::bool(p.trap_exit),
        "error_handler" => atom("error_handler"),
        "priority" => priority_term(p.priority),
        "group_leader" => p.group_leader,
        "registered_name" => match runtime().lookup(p.pid).and_then(|c| c.registered_name()) {
            Some(name) => Term::atom(name),
            None => Term::NIL,
        },
        "heap_size" => words(p.heap.heap_size()),
        "total_heap_size" => words(p.heap.total_heap_size()),
        "stack_size" => words(p.heap.stack_len()),
        "reductions" => build::int(out, p.reductions as i64),
        "memory" => words(p.memory_bytes()),
        "min_heap_size" => words(p.heap.settings().min_heap_size),
        "min_bin_vheap_size" => words(46422),
        "garbage_collection" => {
            let settings = p.heap.settings();
            let max = settings.max_heap_size;
            let (max_map, _) = crate::term::map::from_pairs(
                out,
                &[
                    (atom("error_logger"), Term::bool(max.error_logger)),
                    (atom("kill"), Term::bool(max.kill)),
                    (atom("size"), Term::small(max.size as i64)),
                ],
            );
            let items = [
                build::tuple(out, &[atom("max_heap_size"), max_map]),
                build::tuple(out, &[atom("min_bin_vheap_size"), words(46422)]),
                build::tuple(out, &[atom("min_heap_size"), words(settings.min_heap_size)]),
                build::tuple(
                    out,
                    &[
                        atom("fullsweep_after"),
                        words(settings.fullsweep_after as usize),
                    ],
                ),
                build::tuple(
                    out,
                    &[atom("minor_gcs"), words(p.heap.minor_gcs() as usize)],
                ),
            ];
            build::list(out, &items)
        }
        "current_stacktrace" => {
            // The callers on the stack (a native does not know the caller's
            // own position, which erl lists first).
            let addresses = crate::vm::interp::return_addresses(&p.heap, 0);
            let mut frames = Vec::new();
            crate::vm::interp::push_return_frames(out, &addresses, &mut frames);
            build::list(out, &frames)
        }
        "message_queue_data" => atom("on_heap"),
        "catchlevel" => Term::small(0),
        "suspending" | "binary" | "last_calls" | "trace" => {
            if item == "last_calls" {
                Term::FALSE
            } else if item == "trace" {
                Term::small(0)
            } else {
                Term::NIL
            }
        }
        "sequential_trace_token" => Term::NIL,
        "parent" => Term::atom(atoms::UNDEFINED),
        _ => return Ok(Term::atom(atoms::UNDEFINED)),
    })
}

/// `{Item, Value}`; `registered_name` of an unnamed process is `[]` alone.
fn info_pair(
    p: &Process,
    item: Atom,
    status: &'static str,
    out: &mut HeapFragment,
    in_list: bool,
) -> Result<Term, Raised> {
    let name = item.name();
    if !ITEMS.contains(&name) {
        return Err(Raised::badarg());
    }
    let value = info_value(p, name, status, out)?;
    if name == "registered_name" && value.is_nil() && !in_list {
        return Ok(Term::NIL);
    }
    Ok(build::tuple(out, &[Term::atom(item), value]))
}

fn process_info_2(process: &mut Process, args: &[Term]) -> NativeResult {
    let pid = pid_arg(args[0])?;
    let spec = args[1];
    let items: Vec<Atom> = if let Some(item) = spec.as_atom() {
        vec![item]
    } else {
        if proper_length(spec).is_none() {
            return Err(Raised::badarg());
        }
        spec.list_iter().map(atom_arg).collect::<Result<_, _>>()?
    };
    if items.iter().any(|i| !ITEMS.contains(&i.name())) {
        return Err(Raised::badarg());
    }
    let single = spec.is_atom();
    let answer = read_process(process, pid, |target, status, out| {
        if single {
            return info_pair(target, items[0], status, out, false);
        }
        let pairs = items
            .iter()
            .map(|&i| info_pair(target, i, status, out, true))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(build::list(out, &pairs))
    })?;
    Ok(answer.unwrap_or(Term::atom(atoms::UNDEFINED)))
}

fn process_info_1(process: &mut Process, args: &[Term]) -> NativeResult {
    let pid = pid_arg(args[0])?;
    let answer = read_process(process, pid, |target, status, out| {
        let mut pairs = Vec::new();
        let named = runtime()
            .lookup(target.pid)
            .and_then(|c| c.registered_name())
            .is_some();
        if named {
            pairs.push(info_pair(
                target,
                Atom::intern("registered_name").expect("atom"),
                status,
                out,
                true,
            )?);
        }
        for item in DEFAULT_ITEMS {
            let item = Atom::intern(item).expect("atom");
            pairs.push(info_pair(target, item, status, out, true)?);
        }
        Ok(build::list(out, &pairs))
    })?;
    Ok(answer.unwrap_or(Term::atom(atoms::UNDEFINED)))
}

// ---- group leaders -------------------------------------------------------------------------

fn group_leader_0(process: &mut Process, _: &[Term]) -> NativeResult {
    Ok(process.group_leader)
}

fn group_leader_2(process: &mut Process, args: &[Term]) -> NativeResult {
    let leader = pid_arg(args[0])?;
    let pid = pid_arg(args[1])?;
    if pid == process.pid {
        process.group_leader = args[0];
    } else if !runtime().send(pid, Signal::GroupLeader { leader }) {
        return Err(Raised::badarg());
    }
    Ok(Term::TRUE)
}

// ---- scheduling ------------------------------------------------------------------------------

fn yield_0(process: &mut Process, _: &[Term]) -> NativeResult {
    process.yield_requested = true;
    Ok(Term::TRUE)
}

/// `erlang:bump_reductions(N)`: spends `N` reductions (at most a time
/// slice's worth, as erts); a slice's worth ends the slice.
fn bump_reductions(process: &mut Process, args: &[Term]) -> NativeResult {
    const SLICE: i64 = 4000;
    match args[0].as_small() {
        Some(n) if n >= 0 => {
            if n >= SLICE {
                process.yield_requested = true;
            }
            Ok(Term::TRUE)
        }
        _ => Err(Raised::badarg()),
    }
}

// ---- timers ------------------------------------------------------------------------------------

fn timer_destination(term: Term, allow_name: bool) -> Result<Destination, Raised> {
    match term.view() {
        View::Pid(pid) => Ok(Destination::Pid(pid)),
        View::Atom(name) if allow_name => Ok(Destination::Name(name)),
        _ => Err(Raised::badarg()),
    }
}

fn timer_time(term: Term) -> Result<u64, Raised> {
    term.as_small()
        .filter(|&t| (0..=u32::MAX as i64).contains(&t))
        .map(|t| t as u64)
        .ok_or_else(Raised::badarg)
}

/// The timer options `[{abs, Bool}]`: is the time absolute (in
/// `erlang:monotonic_time(millisecond)`)?
fn timer_options(list: Term) -> Result<bool, Raised> {
    if proper_length(list).is_none() {
        return Err(Raised::badarg());
    }
    let mut absolute = false;
    for option in list.list_iter() {
        match option.as_tuple() {
            Some(&[key, value]) if key == atom("abs") => {
                absolute = as_bool(value).ok_or_else(Raised::badarg)?;
            }
            _ => return Err(Raised::badarg()),
        }
    }
    Ok(absolute)
}

/// The relative time of an absolute timer (a monotonic time in ms).
fn relative_time(process: &mut Process, time: Term) -> Result<Term, Raised> {
    let deadline = time.as_small().ok_or_else(Raised::badarg)?;
    let now = super::time::monotonic_millis();
    Ok(build::int(&mut process.heap, (deadline - now).max(0)))
}

/// Starts a timer sending `message` (`{timeout, Ref, Msg}` for
/// start_timer); returns the timer's reference.
fn start_timer(
    process: &mut Process,
    time: Term,
    dest: Term,
    message: Term,
    wrap: bool,
) -> NativeResult {
    let ms = timer_time(time)?;
    let to = timer_destination(dest, true)?;
    let key = runtime().new_ref_key();
    let reference = ref_term(process, key);
    let message = if wrap {
        build::tuple(&mut process.heap, &[atom("timeout"), reference, message])
    } else {
        message
    };
    let packet = crate::vm::signal::Packet::copy(message, &process.heap);
    runtime().send_after(timer_id(key), Duration::from_millis(ms), to, packet);
    Ok(reference)
}

/// The timer id a timer reference stands for.
fn timer_id(key: RefKey) -> u64 {
    // Timer ids of references live in the upper half of the id space;
    // receive timers count up from 1.
    1 << 63 | (key[2] as u64) << 50 | (key[1] as u64) << 18 | key[0] as u64
}

fn send_after_3(p: &mut Process, args: &[Term]) -> NativeResult {
    start_timer(p, args[0], args[1], args[2], false)
}

fn send_after_4(p: &mut Process, args: &[Term]) -> NativeResult {
    let time = if timer_options(args[3])? {
        relative_time(p, args[0])?
    } else {
        args[0]
    };
    start_timer(p, time, args[1], args[2], false)
}

fn start_timer_3(p: &mut Process, args: &[Term]) -> NativeResult {
    start_timer(p, args[0], args[1], args[2], true)
}

fn start_timer_4(p: &mut Process, args: &[Term]) -> NativeResult {
    let time = if timer_options(args[3])? {
        relative_time(p, args[0])?
    } else {
        args[0]
    };
    start_timer(p, time, args[1], args[2], true)
}

/// Milliseconds left, rounded as erl rounds them (up).
fn millis_left(left: Duration) -> i64 {
    left.as_micros().div_ceil(1000) as i64
}

fn cancel_timer_1(_: &mut Process, args: &[Term]) -> NativeResult {
    let key = ref_key(args[0]).ok_or_else(Raised::badarg)?;
    Ok(match runtime().timers.cancel(timer_id(key)) {
        Some(left) => Term::small(millis_left(left)),
        None => Term::FALSE,
    })
}

/// `cancel_timer(Ref, Options)`: `{async, _}` and `{info, false}` give `ok`.
fn cancel_timer_2(p: &mut Process, args: &[Term]) -> NativeResult {
    if proper_length(args[1]).is_none() {
        return Err(Raised::badarg());
    }
    let (mut asynchronous, mut info) = (false, true);
    for option in args[1].list_iter() {
        match option.as_tuple() {
            Some(&[key, value]) if key == atom("async") => {
                asynchronous = as_bool(value).ok_or_else(Raised::badarg)?
            }
            Some(&[key, value]) if key == atom("info") => {
                info = as_bool(value).ok_or_else(Raised::badarg)?
            }
            _ => return Err(Raised::badarg()),
        }
    }
    let result = cancel_timer_1(p, &args[..1])?;
    Ok(match (asynchronous, info) {
        (_, false) => atom("ok"),
        (true, true) => {
            // The answer comes as a message: {cancel_timer, Ref, Result}.
            let message = build::tuple(&mut p.heap, &[atom("cancel_timer"), args[0], result]);
            p.mailbox.push(message);
            atom("ok")
        }
        (false, true) => result,
    })
}

fn read_timer_1(_: &mut Process, args: &[Term]) -> NativeResult {
    let key = ref_key(args[0]).ok_or_else(Raised::badarg)?;
    Ok(match runtime().timers.remaining(timer_id(key)) {
        Some(left) => Term::small(millis_left(left)),
        None => Term::FALSE,
    })
}

/// `read_timer(Ref, [{async, Bool}])`: with `async`, the answer comes as
/// the message `{read_timer, Ref, Result}` and the call returns `ok`.
fn read_timer_2(p: &mut Process, args: &[Term]) -> NativeResult {
    if proper_length(args[1]).is_none() {
        return Err(Raised::badarg());
    }
    let mut asynchronous = false;
    for option in args[1].list_iter() {
        match option.as_tuple() {
            Some(&[key, value]) if key == atom("async") => {
                asynchronous = as_bool(value).ok_or_else(Raised::badarg)?
            }
            _ => return Err(Raised::badarg()),
        }
    }
    let result = read_timer_1(p, &args[..1])?;
    if !asynchronous {
        return Ok(result);
    }
    let message = build::tuple(&mut p.heap, &[atom("read_timer"), args[0], result]);
    p.mailbox.push(message);
    Ok(atom("ok"))
}

// ---- memory ---------------------------------------------------------------------------------------

/// The kinds `erlang:memory/0` lists, in erl's order.
const MEMORY_KINDS: &[&str] = &[
    "total",
    "processes",
    "processes_used",
    "system",
    "atom",
    "atom_used",
    "binary",
    "code",
    "ets",
];

/// Bytes the OS process has resident (`/proc/self/statm`), 0 if unknown.
fn resident_bytes() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4096)
}

/// Bytes of each kind: `total` is what the OS process has resident,
/// `processes` what the processes' heaps, stacks and mailboxes take (the
/// caller's and those not running now), `system` the rest. Binaries, code
/// and atoms are not counted separately yet and are part of `system`.
fn memory_of(process: &Process, kind: &str) -> usize {
    let processes = || {
        runtime()
            .pids()
            .into_iter()
            .filter(|&pid| pid != process.pid)
            .filter_map(|pid| runtime().lookup(pid))
            .filter_map(|cell| cell.with_idle_body(|p| p.memory_bytes()))
            .sum::<usize>()
            + process.memory_bytes()
    };
    match kind {
        "total" => resident_bytes().max(processes()),
        "processes" | "processes_used" => processes(),
        "system" => resident_bytes().saturating_sub(processes()),
        _ => 0,
    }
}

/// `[{Kind, Bytes}]` for each of `kinds`.
fn memory_list(process: &mut Process, kinds: &[&str]) -> Term {
    let pairs: Vec<Term> = kinds
        .iter()
        .map(|kind| {
            let bytes = memory_of(process, kind) as i64;
            let bytes = build::int(&mut process.heap, bytes);
            build::tuple(&mut process.heap, &[atom(kind), bytes])
        })
        .collect();
    build::list(&mut process.heap, &pairs)
}

fn memory_0(process: &mut Process, _: &[Term]) -> NativeResult {
    Ok(memory_list(process, MEMORY_KINDS))
}

/// `memory(Kind)` or `memory([Kind])`.
fn memory_1(process: &mut Process, args: &[Term]) -> NativeResult {
    let kind_of = |t: Term| {
        t.as_atom()
            .map(|a| a.name())
            .filter(|name| MEMORY_KINDS.contains(name))
            .ok_or_else(Raised::badarg)
    };
    if let Some(kind) = args[0].as_atom() {
        let kind = kind_of(Term::atom(kind))?;
        let bytes = memory_of(process, kind) as i64;
        return Ok(build::int(&mut process.heap, bytes));
    }
    if proper_length(args[0]).is_none() {
        return Err(Raised::badarg());
    }
    let kinds: Vec<&str> = args[0].list_iter().map(kind_of).collect::<Result<_, _>>()?;
    Ok(memory_list(process, &kinds))
}

// ---- halt -----------------------------------------------------------------------------------------

/// `halt(Status)`: ends the OS process at once with the status (an
/// integer, or `abort`; a string is a crash slogan, status 1).
fn halt_status(status: Term) -> Result<i32, Raised> {
    if let Some(n) = status.as_small() {
        return (n >= 0)
            .then_some(n as i32 & 0xFF)
            .ok_or_else(Raised::badarg);
    }
    if status == atom("abort") {
        return Ok(134);
    }
    let slogan = slogan(status).ok_or_else(Raised::badarg)?;
    crate::vm::report::crash_slogan(&slogan);
    Ok(1)
}

/// The characters of a slogan, as erts reads it: a list of code points,
/// of which the first 1023 count (the rest is not looked at).
fn slogan(status: Term) -> Option<String> {
    const SLOGAN_MAX: usize = 1023;
    let mut text = String::new();
    let mut rest = status;
    for _ in 0..SLOGAN_MAX {
        match rest.view() {
            View::Nil => return Some(text),
            View::Cons(head, tail) => {
                let c = u32::try_from(head.as_small()?).ok()?;
                text.push(char::from_u32(c)?);
                rest = tail;
            }
            _ => return None,
        }
    }
    (rest.is_nil() || matches!(rest.view(), View::Cons(..))).then_some(text)
}

fn halt_now(code: i32) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    std::process::exit(code)
}

fn halt_0(_: &mut Process, _: &[Term]) -> NativeResult {
    halt_now(0)
}

fn halt_1(_: &mut Process, args: &[Term]) -> NativeResult {
    halt_now(halt_status(args[0])?)
}

fn halt_2(_: &mut Process, args: &[Term]) -> NativeResult {
    if proper_length(args[1]).is_none() {
        return Err(Raised::badarg());
    }
    halt_now(halt_status(args[0])?)
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "spawn"/1 => spawn_1,
    "spawn"/3 => spawn_3,
    "spawn_link"/1 => spawn_link_1,
    "spawn_link"/3 => spawn_link_3,
    "spawn_monitor"/1 => spawn_monitor_1,
    "spawn_monitor"/3 => spawn_monitor_3,
    "spawn_opt"/2 => spawn_opt_2,
    "spawn_opt"/4 => spawn_opt_4,
    "send"/2 => send,
    "send"/3 => send_3,
    "link"/1 => link,
    "unlink"/1 => unlink,
    "monitor"/2 => monitor_2,
    "monitor"/3 => monitor_3,
    "alias"/0 => alias_0,
    "alias"/1 => alias_1,
    "unalias"/1 => unalias,
    "demonitor"/1 => demonitor_1,
    "demonitor"/2 => demonitor_2,
    "exit"/2 => exit_2,
    "is_process_alive"/1 => is_process_alive,
    "processes"/0 => processes,
    "register"/2 => register,
    "unregister"/1 => unregister,
    "whereis"/1 => whereis,
    "registered"/0 => registered,
    "process_flag"/2 => process_flag,
    "process_info"/1 => process_info_1,
    "process_info"/2 => process_info_2,
    "group_leader"/0 => group_leader_0,
    "group_leader"/2 => group_leader_2,
    "yield"/0 => yield_0,
    "bump_reductions"/1 => bump_reductions,
    "send_after"/3 => send_after_3,
    "send_after"/4 => send_after_4,
    "start_timer"/3 => start_timer_3,
    "start_timer"/4 => start_timer_4,
    "cancel_timer"/1 => cancel_timer_1,
    "cancel_timer"/2 => cancel_timer_2,
    "read_timer"/1 => read_timer_1,
    "read_timer"/2 => read_timer_2,
    "memory"/0 => memory_0,
    "memory"/1 => memory_1,
    "halt"/0 => halt_0,
    "halt"/1 => halt_1,
    "halt"/2 => halt_2,
);
