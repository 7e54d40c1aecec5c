//! A process's private message queue: the messages its signal queue has
//! delivered, in arrival order, with the save pointer of a selective
//! receive and the receive markers of OTP 24's reference optimisation.

use std::collections::VecDeque;

use crate::term::Term;

/// How many receive markers a process keeps bound at once (erts keeps a
/// small fixed number too); a marker over the limit is simply not used.
const MAX_MARKERS: usize = 8;

#[derive(Default)]
pub struct Mailbox {
    /// The messages (terms in heap fragments the process heap has adopted,
    /// or on the heap after a collection): a GC root.
    messages: VecDeque<Term>,
    /// Each message's arrival number, increasing along the queue.
    arrivals: VecDeque<u64>,
    /// Arrival number the next message gets.
    next_arrival: u64,
    /// The save pointer: the index of the next message `loop_rec` looks at.
    save: usize,
    /// Bound markers: a reference (a GC root) and the arrival number from
    /// which a receive matching on it must look.
    marker_refs: Vec<Term>,
    marker_arrivals: Vec<u64>,
}

impl Mailbox {
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// Appends a delivered message.
    pub fn push(&mut self, message: Term) {
        self.messages.push_back(message);
        self.arrivals.push_back(self.next_arrival);
        self.next_arrival += 1;
    }

    /// The message under the save pointer.
    pub fn current(&self) -> Option<Term> {
        self.messages.get(self.save).copied()
    }

    /// Steps the save pointer past the current message.
    pub fn skip_current(&mut self) {
        self.save += 1;
    }

    /// Removes the current message and rewinds the save pointer.
    pub fn remove_current(&mut self) {
        if self.save < self.messages.len() {
            self.messages.remove(self.save);
            self.arrivals.remove(self.save);
        }
        self.save = 0;
    }

    /// Rewinds the save pointer (a receive ended by its timeout).
    pub fn rewind(&mut self) {
        self.save = 0;
    }

    /// A new marker: the arrival number of the next message, as a term.
    pub fn reserve_marker(&self) -> Term {
        Term::small(self.next_arrival as i64)
    }

    /// Binds `marker` to `reference`, so a receive on the reference can
    /// skip the messages that arrived before the marker.
    pub fn bind_marker(&mut self, marker: Term, reference: Term) {
        let Some(arrival) = marker.as_small() else {
            return;
        };
        self.clear_marker(reference);
        if self.marker_refs.len() < MAX_MARKERS {
            self.marker_refs.push(reference);
            self.marker_arrivals.push(arrival as u64);
        }
    }

    /// Forgets the marker bound to `reference`.
    pub fn clear_marker(&mut self, reference: Term) {
        if let Some(i) = self.marker_index(reference) {
            self.marker_refs.swap_remove(i);
            self.marker_arrivals.swap_remove(i);
        }
    }

    /// Moves the save pointer to the first message that arrived after the
    /// marker bound to `reference` (when that is further on).
    pub fn use_marker(&mut self, reference: Term) {
        if let Some(i) = self.marker_index(reference) {
            let arrival = self.marker_arrivals[i];
            let first = self.arrivals.partition_point(|&a| a < arrival);
            self.save = self.save.max(first);
        }
    }

    fn marker_index(&self, reference: Term) -> Option<usize> {
        self.marker_refs
            .iter()
            .position(|&r| crate::term::order::exact_eq(r, reference))
    }

    /// Removes the first message for which `matches` holds; was there one?
    pub fn remove_where(&mut self, matches: impl Fn(Term) -> bool) -> bool {
        let Some(i) = self.messages.iter().position(|&m| matches(m)) else {
            return false;
        };
        self.messages.remove(i);
        self.arrivals.remove(i);
        if self.save > i {
            self.save -= 1;
        }
        true
    }

    /// The messages in order (`process_info(P, messages)`).
    pub fn iter(&self) -> impl Iterator<Item = Term> + '_ {
        self.messages.iter().copied()
    }

    /// The terms a collection must treat as roots and update.
    pub fn roots_mut(&mut self) -> [&mut [Term]; 3] {
        let (a, b) = self.messages.as_mut_slices();
        [a, b, &mut self.marker_refs]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selective_receive_keeps_order_and_rewinds() {
        let mut m = Mailbox::default();
        for i in 0..4 {
            m.push(Term::small(i));
        }
        m.skip_current();
        m.skip_current();
        assert_eq!(m.current(), Some(Term::small(2)));
        m.remove_current();
        let rest: Vec<_> = m.iter().collect();
        assert_eq!(rest, [0, 1, 3].map(Term::small));
        assert_eq!(m.current(), Some(Term::small(0)));
    }

    #[test]
    fn a_marker_skips_older_messages() {
        let mut m = Mailbox::default();
        m.push(Term::small(10));
        m.push(Term::small(11));
        let marker = m.reserve_marker();
        let reference = Term::atom(crate::term::atoms::OK);
        m.bind_marker(marker, reference);
        m.push(Term::small(12));
        m.use_marker(reference);
        assert_eq!(m.current(), Some(Term::small(12)));
        m.clear_marker(reference);
        m.rewind();
        m.use_marker(reference);
        assert_eq!(m.current(), Some(Term::small(10)));
    }
}
