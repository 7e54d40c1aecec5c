//! What the runtime reports itself: the error report of a process that
//! crashed, handed to the logger process as erts hands it, and the slogan
//! and crash dump of a halt with a slogan.

use crate::heap::ProcessHeap;
use crate::term::{atom::Atom, build, map, print, LocalPid, Term};
use crate::vm::runtime::runtime;
use crate::vm::signal::{Packet, Signal};

/// Who receives the runtime's reports (`erlang:system_flag(system_logger,
/// Logger)`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SystemLogger {
    /// The process registered as `logger` at the time of a report (erts's
    /// default, given as the atom `logger`).
    Registered,
    /// Nobody: reports go to stderr.
    Undefined,
    Process(LocalPid),
}

static SYSTEM_LOGGER: parking_lot::Mutex<SystemLogger> =
    parking_lot::Mutex::new(SystemLogger::Registered);

/// Makes `logger` the system logger; returns the one before.
pub fn set_system_logger(logger: SystemLogger) -> SystemLogger {
    std::mem::replace(&mut *SYSTEM_LOGGER.lock(), logger)
}

/// Reports a process that died of an error: as erts does, a `{log, error,
/// Format, [Pid, Reason], Metadata}` message to the system logger, whose
/// handlers format it (`Error in process ~p with exit value:~n~p~n`).
/// Without a logger the report goes to stderr.
pub fn process_error(pid: LocalPid, group_leader: Term, reason: Term, heap: &mut ProcessHeap) {
    let logger = match *SYSTEM_LOGGER.lock() {
        SystemLogger::Registered => Atom::intern("logger")
            .ok()
            .and_then(|name| runtime().whereis(name)),
        SystemLogger::Undefined => None,
        SystemLogger::Process(pid) => Some(pid),
    };
    match logger {
        Some(logger) => {
            let message = logger_message(pid, group_leader, reason, heap);
            if !runtime().send(logger, Signal::Message(Packet::copy(message, heap))) {
                to_stderr(pid, reason);
            }
        }
        None => to_stderr(pid, reason),
    }
}

/// The message erts's `erts_send_error_term_to_logger` builds.
fn logger_message(pid: LocalPid, group_leader: Term, reason: Term, heap: &mut ProcessHeap) -> Term {
    let atom = |name: &str| Term::atom(Atom::intern(name).expect("a short atom name"));
    let format: Vec<Term> = "Error in process ~p with exit value:~n~p~n"
        .bytes()
        .map(|b| Term::small(i64::from(b)))
        .collect();
    let format = build::list(heap, &format);
    let pid_term = Term::local_pid(pid);
    let args = build::list(heap, &[pid_term, reason]);
    let emulator = map::from_pairs(
        heap,
        &[(atom("emulator"), Term::TRUE), (atom("tag"), atom("error"))],
    )
    .0;
    let micros = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64);
    let time = build::int(heap, micros);
    let metadata = map::from_pairs(
        heap,
        &[
            (atom("error_logger"), emulator),
            (atom("gl"), group_leader),
            (atom("pid"), pid_term),
            (atom("time"), time),
        ],
    )
    .0;
    build::tuple(heap, &[atom("log"), atom("error"), format, args, metadata])
}

/// The report as erl's default handler would print it, on stderr.
fn to_stderr(pid: LocalPid, reason: Term) {
    eprintln!(
        "=ERROR REPORT==== {} ===\nError in process <0.{}.{}> with exit value:\n{}\n",
        timestamp(),
        pid.number,
        pid.serial,
        print::to_string(reason)
    );
}

/// The time as seconds since the epoch (erl prints a local date; stderr
/// is not part of what tests compare).
fn timestamp() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    format!("{}.{:06}", now.as_secs(), now.subsec_micros())
}

/// What erts writes when it halts with a slogan (`halt("...")`, a crash
/// of init): the slogan on stderr and, unless `ERL_CRASH_DUMP_SECONDS=0`
/// turns dumps off, a crash dump (`ERL_CRASH_DUMP`, else
/// `erl_crash.dump`) and the line saying so. erts ends these lines with
/// `\r\n`. The dump holds the slogan and the system version only.
pub fn crash_slogan(slogan: &str) {
    use std::io::Write;
    let mut stderr = std::io::stderr().lock();
    let _ = write!(stderr, "{slogan}\r\n");
    if std::env::var("ERL_CRASH_DUMP_SECONDS").is_ok_and(|s| s.trim() == "0") {
        return;
    }
    let file = std::env::var("ERL_CRASH_DUMP").unwrap_or_else(|_| "erl_crash.dump".into());
    let dump = format!(
        "=erl_crash_dump:0.5\n{}\nSlogan: {slogan}\nSystem version: Erlang/OTP 25 [erts-13.1.5] [oxbeam]\n=end\n",
        utc_date()
    );
    let _ = std::fs::write(&file, dump);
    let _ = write!(
        stderr,
        "\r\nCrash dump is being written to: {file}...done\r\n"
    );
}

/// The time as a crash dump's second line gives it (`Sun Nov 22 07:09:01
/// 2026`), in UTC.
fn utc_date() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let t = crate::bif::erlang::time::date_time(secs);
    // 1970-01-01 was a Thursday.
    let weekday = (secs.div_euclid(86_400) + 4).rem_euclid(7) as usize;
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{} {} {:2} {:02}:{:02}:{:02} {}",
        DAYS[weekday],
        MONTHS[(t.month - 1) as usize],
        t.day,
        t.hour,
        t.minute,
        t.second,
        t.year
    )
}
