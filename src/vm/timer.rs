//! Timers: `receive ... after`, `erlang:send_after/3,4` and
//! `erlang:start_timer/3,4`. One thread keeps the deadlines in a heap and
//! sleeps until the next one; when a timer runs out it sends its signal.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::term::{Atom, LocalPid};
use crate::vm::signal::{Packet, Signal};

/// Where a timer's message goes: a pid, or a name looked up when it fires.
#[derive(Clone, Copy)]
pub enum Destination {
    Pid(LocalPid),
    Name(Atom),
}

/// What a timer does when it runs out.
pub enum Action {
    /// Ends the receive that `timer` belongs to.
    ReceiveTimeout,
    /// Sends a message (already copied for the receiver).
    Send(Packet),
}

struct Entry {
    deadline: Instant,
    target: Destination,
    action: Action,
}

#[derive(Default)]
struct State {
    entries: HashMap<u64, Entry>,
    deadlines: BinaryHeap<Reverse<(Instant, u64)>>,
    /// The running timers aimed at each pid (cancelled when it exits).
    by_target: HashMap<LocalPid, Vec<u64>>,
    stopped: bool,
}

impl State {
    fn remove(&mut self, id: u64) -> Option<Entry> {
        let entry = self.entries.remove(&id)?;
        if let Destination::Pid(pid) = entry.target {
            if let Some(ids) = self.by_target.get_mut(&pid) {
                ids.retain(|&i| i != id);
                if ids.is_empty() {
                    self.by_target.remove(&pid);
                }
            }
        }
        Some(entry)
    }
}

#[derive(Default)]
pub struct Timers {
    state: Mutex<State>,
    changed: Condvar,
}

impl Timers {
    /// Starts timer `id` to act after `after`.
    pub fn start(&self, id: u64, after: Duration, target: Destination, action: Action) {
        let deadline = Instant::now() + after;
        let mut state = self.state.lock().expect("timer lock");
        let earliest = state.deadlines.peek().map(|Reverse((d, _))| *d);
        state.deadlines.push(Reverse((deadline, id)));
        if let Destination::Pid(pid) = target {
            state.by_target.entry(pid).or_default().push(id);
        }
        state.entries.insert(
            id,
            Entry {
                deadline,
                target,
                action,
            },
        );
        if earliest.is_none_or(|e| deadline < e) {
            self.changed.notify_one();
        }
    }

    /// Cancels timer `id`; the time that was left, if it was running.
    pub fn cancel(&self, id: u64) -> Option<Duration> {
        let mut state = self.state.lock().expect("timer lock");
        let entry = state.remove(id)?;
        Some(entry.deadline.saturating_duration_since(Instant::now()))
    }

    /// Cancels every timer aimed at `pid` (it has exited).
    pub fn cancel_for(&self, pid: LocalPid) {
        let mut state = self.state.lock().expect("timer lock");
        for id in state.by_target.remove(&pid).unwrap_or_default() {
            state.entries.remove(&id);
        }
    }

    /// The time left on timer `id`, if it is running.
    pub fn remaining(&self, id: u64) -> Option<Duration> {
        let state = self.state.lock().expect("timer lock");
        let entry = state.entries.get(&id)?;
        Some(entry.deadline.saturating_duration_since(Instant::now()))
    }

    /// The timer thread's loop: fires what is due, sleeps until the next
    /// deadline, returns when stopped.
    pub fn run(&self, fire: impl Fn(Destination, Signal)) {
        let mut state = self.state.lock().expect("timer lock");
        loop {
            if state.stopped {
                return;
            }
            let now = Instant::now();
            let mut due = Vec::new();
            while let Some(&Reverse((deadline, id))) = state.deadlines.peek() {
                if deadline > now {
                    break;
                }
                state.deadlines.pop();
                // A cancelled timer left its deadline behind; skip it.
                if state
                    .entries
                    .get(&id)
                    .is_some_and(|e| e.deadline == deadline)
                {
                    let entry = state.remove(id).expect("entry just seen");
                    due.push((id, entry));
                }
            }
            if !due.is_empty() {
                drop(state);
                for (id, entry) in due {
                    let signal = match entry.action {
                        Action::ReceiveTimeout => Signal::ReceiveTimeout { timer: id },
                        Action::Send(packet) => Signal::Message(packet),
                    };
                    fire(entry.target, signal);
                }
                state = self.state.lock().expect("timer lock");
                continue;
            }
            state = match state.deadlines.peek() {
                Some(&Reverse((deadline, _))) => {
                    let wait = deadline.saturating_duration_since(now);
                    self.changed
                        .wait_timeout(state, wait)
                        .expect("timer lock")
                        .0
                }
                None => self.changed.wait(state).expect("timer lock"),
            };
        }
    }

    pub fn stop(&self) {
        self.state.lock().expect("timer lock").stopped = true;
        self.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn timers_fire_in_deadline_order_and_cancelled_ones_do_not() {
        let timers = Arc::new(Timers::default());
        let fired = Arc::new(Mutex::new(Vec::new()));
        let pid = |n| {
            Destination::Pid(LocalPid {
                number: n,
                serial: 0,
            })
        };
        // Started in deadline order, so the order holds however slowly the
        // test runs (under Miri the clock moves between two lines).
        timers.start(2, Duration::from_millis(10), pid(2), Action::ReceiveTimeout);
        timers.start(3, Duration::from_millis(20), pid(3), Action::ReceiveTimeout);
        timers.start(1, Duration::from_millis(30), pid(1), Action::ReceiveTimeout);
        assert!(timers.remaining(3).is_some());
        assert!(timers.cancel(3).is_some());
        assert!(timers.cancel(3).is_none());
        let thread = {
            let (timers, fired) = (timers.clone(), fired.clone());
            std::thread::spawn(move || {
                timers.run(|to, signal| {
                    let Destination::Pid(pid) = to else { return };
                    let Signal::ReceiveTimeout { timer } = signal else {
                        return;
                    };
                    fired.lock().unwrap().push((pid.number, timer));
                })
            })
        };
        while fired.lock().unwrap().len() < 2 {
            std::thread::sleep(Duration::from_millis(1));
        }
        timers.stop();
        thread.join().unwrap();
        assert_eq!(*fired.lock().unwrap(), [(2, 2), (1, 1)]);
        assert!(timers.remaining(1).is_none());
    }
}
