//! The instruction profile: how often each translated instruction ran, for
//! choosing instruction specialisations and superinstructions by
//! measurement. Built only with the cargo feature `op-profile` (the
//! interpreter then calls [`record`] once per instruction; without the
//! feature there is no trace of it in the run loop); `oxbeam call` writes
//! the report to the file named by `OXBEAM_PROFILE_OPS` when it ends.
//!
//! Counting is per static instruction: for each module slot and
//! instruction index, how often it ran, and how often it ran right after
//! the instruction before it in the code (falling through, the pairs a
//! superinstruction can fuse). Names and operand shapes are derived only
//! when the report is written, from [`crate::vm::listing`].

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use crate::code::module::module_in_slot;
use crate::vm::listing::{describe, shape};

/// Counts of one module slot, indexed by instruction.
#[derive(Default)]
struct SlotCounts {
    executed: Vec<u64>,
    /// Runs that came straight from the instruction before in the code.
    after_previous: Vec<u64>,
}

#[derive(Default)]
struct Counts {
    slots: Vec<SlotCounts>,
    /// The instruction run last, as `(slot, ip)`.
    last: Option<(u32, usize)>,
}

impl Counts {
    /// Counts a run of `(slot, ip)`; `code_len` gives the length of the
    /// slot's code the first time the slot is seen.
    #[inline]
    fn record(&mut self, slot: u32, ip: usize, code_len: impl FnOnce() -> usize) {
        let s = slot as usize;
        if s >= self.slots.len() {
            self.slots.resize_with(s + 1, SlotCounts::default);
        }
        let counts = &mut self.slots[s];
        if counts.executed.is_empty() {
            let len = code_len();
            counts.executed = vec![0; len];
            counts.after_previous = vec![0; len];
        }
        counts.executed[ip] += 1;
        if ip > 0 && self.last == Some((slot, ip - 1)) {
            counts.after_previous[ip] += 1;
        }
        self.last = Some((slot, ip));
    }

    fn merge(&mut self, other: Counts) {
        if self.slots.len() < other.slots.len() {
            self.slots
                .resize_with(other.slots.len(), SlotCounts::default);
        }
        for (mine, theirs) in self.slots.iter_mut().zip(other.slots) {
            if mine.executed.is_empty() {
                *mine = theirs;
                continue;
            }
            for (a, b) in mine.executed.iter_mut().zip(theirs.executed) {
                *a += b;
            }
            for (a, b) in mine.after_previous.iter_mut().zip(theirs.after_previous) {
                *a += b;
            }
        }
    }
}

/// Every thread's counts. A thread counts into its own entry (its lock is
/// uncontended but for the report), so a report can be written while
/// scheduler threads still run.
static THREADS: Mutex<Vec<Arc<Mutex<Counts>>>> = Mutex::new(Vec::new());

thread_local! {
    static COUNTS: Arc<Mutex<Counts>> = {
        let counts = Arc::new(Mutex::new(Counts::default()));
        if let Ok(mut threads) = THREADS.lock() {
            threads.push(counts.clone());
        }
        counts
    };
}

/// Counts one run of instruction `ip` of the module in `slot`.
#[inline]
pub fn record(slot: u32, ip: usize) {
    COUNTS.with(|c| {
        if let Ok(mut counts) = c.lock() {
            counts.record(slot, ip, || module_in_slot(slot).code.len());
        }
    });
}

/// The report of everything counted so far, on every thread:
/// four sections, `[kinds]`, `[shapes]`, `[pairs]` (an instruction
/// and the one it fell through to, by kind) and `[pair-shapes]`, each a
/// line per key, `count<TAB>share of all executed instructions<TAB>key`,
/// most frequent first.
pub fn report() -> String {
    let mut counts = Counts::default();
    if let Ok(threads) = THREADS.lock() {
        for thread in threads.iter() {
            if let Ok(mut theirs) = thread.lock() {
                counts.merge(std::mem::take(&mut *theirs));
            }
        }
    }

    let mut kinds: HashMap<&'static str, u64> = HashMap::new();
    let mut shapes: HashMap<String, u64> = HashMap::new();
    let mut pairs: HashMap<String, u64> = HashMap::new();
    let mut pair_shapes: HashMap<String, u64> = HashMap::new();
    let mut total = 0;
    for (slot, counts) in counts.slots.iter().enumerate() {
        if counts.executed.is_empty() {
            continue;
        }
        let module = module_in_slot(slot as u32);
        for (ip, &n) in counts.executed.iter().enumerate() {
            if n == 0 {
                continue;
            }
            total += n;
            let instr = &module.code[ip];
            *kinds.entry(describe(module, instr).0).or_default() += n;
            *shapes.entry(shape(module, instr)).or_default() += n;
            let fell = counts.after_previous[ip];
            if fell > 0 {
                let before = &module.code[ip - 1];
                let key = format!(
                    "{} + {}",
                    describe(module, before).0,
                    describe(module, instr).0
                );
                *pairs.entry(key).or_default() += fell;
                let key = format!("{} + {}", shape(module, before), shape(module, instr));
                *pair_shapes.entry(key).or_default() += fell;
            }
        }
    }
    let mut text = format!("# oxbeam instruction profile\n# executed\t{total}\n");
    let kinds = kinds.into_iter().map(|(k, n)| (k.to_string(), n)).collect();
    for (title, table) in [
        ("kinds", kinds),
        ("shapes", shapes),
        ("pairs", pairs),
        ("pair-shapes", pair_shapes),
    ] {
        let mut rows: Vec<(String, u64)> = table.into_iter().collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let _ = writeln!(text, "[{title}]");
        for (key, n) in rows {
            let share = 100.0 * n as f64 / total.max(1) as f64;
            let _ = writeln!(text, "{n}\t{share:.2}%\t{key}");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_and_fall_throughs_are_counted_per_instruction() {
        let mut counts = Counts::default();
        // 0, 1 (falls through), a jump to 5, 6 (falls through), a jump
        // back to 1, then slot 1's instruction 1 (another module).
        for (slot, ip) in [(0, 0), (0, 1), (0, 5), (0, 6), (0, 1), (1, 1)] {
            counts.record(slot, ip, || 8);
        }
        assert_eq!(counts.slots[0].executed, [1, 2, 0, 0, 0, 1, 1, 0]);
        assert_eq!(counts.slots[0].after_previous, [0, 1, 0, 0, 0, 0, 1, 0]);
        assert_eq!(counts.slots[1].executed, [0, 1, 0, 0, 0, 0, 0, 0]);
        assert_eq!(counts.slots[1].after_previous, [0; 8]);

        let mut merged = Counts::default();
        merged.merge(Counts::default());
        let mut other = Counts::default();
        other.record(0, 1, || 8);
        other.record(0, 2, || 8);
        merged.merge(counts);
        merged.merge(other);
        assert_eq!(merged.slots[0].executed, [1, 3, 1, 0, 0, 1, 1, 0]);
        assert_eq!(merged.slots[0].after_previous, [0, 1, 1, 0, 0, 0, 1, 0]);
    }
}
