//! Signals: everything one process tells another — messages, exits, links,
//! monitors — travels as a [`Signal`] through the receiver's lock-free
//! queue and is handled by the receiver, in order (DESIGN §4). A term in a
//! signal travels in a [`Packet`]: copied by the sender into a heap
//! fragment that the receiver's heap adopts.

use crate::heap::{copy_message, copy_out_of_fragment, size_of_message, HeapFragment, ProcessHeap};
use crate::term::{atoms, build, Atom, LocalPid, Term};
use crate::vm::process::{Monitor, Process};

/// The identity of a local reference: its three id words.
pub type RefKey = [u32; 3];

/// A term copied out of its sender's heap, with the fragment holding it
/// (none for immediates and literals).
pub struct Packet {
    term: Term,
    fragment: Option<HeapFragment>,
}

impl Packet {
    /// A copy of `term`, which lives in `from` (or is a literal).
    pub fn copy(term: Term, from: &ProcessHeap) -> Packet {
        let words = size_of_message(term, from);
        if words == 0 {
            return Packet {
                term,
                fragment: None,
            };
        }
        let mut fragment = HeapFragment::with_capacity(words);
        let term = copy_message(term, from, &mut fragment);
        Packet {
            term,
            fragment: Some(fragment),
        }
    }

    /// A packet of a term that points into no process heap.
    pub fn immediate(term: Term) -> Packet {
        Packet {
            term,
            fragment: None,
        }
    }

    /// A packet of `term`, built in `fragment` outside any process (by a
    /// thread that reads input, for example).
    pub fn from_fragment(term: Term, fragment: HeapFragment) -> Packet {
        Packet {
            term,
            fragment: Some(fragment),
        }
    }

    /// The term, now held by `heap`: copied onto the heap when it has the
    /// room (a heap full of small fragments would make every later copy
    /// and collection slower), else with its fragment chained to it.
    pub fn deliver(self, heap: &mut ProcessHeap) -> Term {
        let Some(fragment) = self.fragment else {
            return self.term;
        };
        if fragment.words_used() <= heap.free_words() {
            return copy_out_of_fragment(self.term, &fragment, heap);
        }
        heap.attach_fragment(fragment);
        self.term
    }
}

/// Who a `'DOWN'` message names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Watched {
    Pid(LocalPid),
    /// A process monitored by its registered name: `{Name, Node}`.
    Name(Atom),
}

pub enum Signal {
    Message(Packet),
    /// An exit signal from `from`: through a link, or sent with `exit/2`.
    Exit {
        from: LocalPid,
        reason: Packet,
        link: bool,
    },
    Link {
        from: LocalPid,
    },
    Unlink {
        from: LocalPid,
    },
    Monitor {
        from: LocalPid,
        key: RefKey,
        watched: Watched,
    },
    Demonitor {
        from: LocalPid,
        key: RefKey,
    },
    /// The process that `key` monitored has gone, with `reason`.
    Down {
        key: RefKey,
        watched: Watched,
        reason: Packet,
    },
    /// The timer of a `receive ... after` ran out.
    ReceiveTimeout {
        timer: u64,
    },
    GroupLeader {
        leader: LocalPid,
    },
}

/// What a handled signal asks of the receiver.
pub enum Handled {
    Continue,
    /// The process must exit with this reason (a term on its heap).
    Exit(Term),
}

/// Handles one signal in the receiving process `p`.
pub fn handle(p: &mut Process, signal: Signal) -> Handled {
    match signal {
        Signal::Message(packet) => {
            let term = packet.deliver(&mut p.heap);
            p.mailbox.push(term);
        }
        Signal::Exit { from, reason, link } => {
            if link && !p.links.contains(&from) {
                // The link was removed before the exit arrived.
                return Handled::Continue;
            }
            if link {
                p.links.retain(|&l| l != from);
            }
            let reason = reason.deliver(&mut p.heap);
            let from_term = Term::local_pid(from);
            let kill = Term::atom(atoms::KILL);
            if !link && reason == kill {
                return Handled::Exit(Term::atom(atoms::KILLED));
            }
            if p.trap_exit {
                let message =
                    build::tuple(&mut p.heap, &[Term::atom(atoms::EXIT), from_term, reason]);
                p.mailbox.push(message);
            } else if reason != Term::atom(atoms::NORMAL) || (!link && from == p.pid) {
                return Handled::Exit(reason);
            }
        }
        Signal::Link { from } => {
            if !p.links.contains(&from) {
                p.links.push(from);
            }
        }
        Signal::Unlink { from } => p.links.retain(|&l| l != from),
        Signal::Monitor { from, key, watched } => p.monitored_by.push(Monitor {
            key,
            other: from,
            watched,
        }),
        Signal::Demonitor { from, key } => p
            .monitored_by
            .retain(|m| !(m.key == key && m.other == from)),
        Signal::Down {
            key,
            watched,
            reason,
        } => {
            // A demonitored monitor's 'DOWN' is dropped.
            let Some(i) = p.monitors.iter().position(|m| m.key == key) else {
                return Handled::Continue;
            };
            p.monitors.swap_remove(i);
            crate::vm::runtime::runtime().remove_alias(p, key);
            let reason = reason.deliver(&mut p.heap);
            let message = down_message(p, key, watched, reason);
            p.mailbox.push(message);
        }
        Signal::ReceiveTimeout { timer } => {
            if p.receive_timer == Some(timer) {
                p.receive_timer = None;
                p.timed_out = true;
            }
        }
        Signal::GroupLeader { leader } => p.group_leader = Term::local_pid(leader),
    }
    Handled::Continue
}

/// `{'DOWN', Ref, process, PidOrNameNode, Reason}`.
pub fn down_message(p: &mut Process, key: RefKey, watched: Watched, reason: Term) -> Term {
    let heap = &mut p.heap;
    let reference = build::reference(heap, atoms::NONODE, 0, &key);
    let object = match watched {
        Watched::Pid(pid) => Term::local_pid(pid),
        Watched::Name(name) => build::tuple(heap, &[Term::atom(name), Term::atom(atoms::NONODE)]),
    };
    build::tuple(
        heap,
        &[
            Term::atom(atoms::DOWN),
            reference,
            Term::atom(atoms::PROCESS),
            object,
            reason,
        ],
    )
}
