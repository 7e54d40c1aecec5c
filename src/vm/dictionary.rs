//! The process dictionary (`put/2`, `get/1`, `erase/1`, ...), organised
//! exactly as erts's (`erl_process_dict.c`, OTP 25) so that `get/0` and
//! `get_keys/0,1` list it in erl's order.
//!
//! erts keeps the pairs in a linear hash table (Litwin's linear hashing):
//! `used` slots, starting at 8; when the pairs are as many as the slots,
//! 1 to 15 slots are split, and an erase that leaves fewer than half shrinks
//! it by 30%. A key's hash is its value for a small integer (the low 32
//! bits), its atom-table index for an atom, and `make_internal_hash(Key, 0)`
//! for anything else; keys are compared with `=:=`. A slot holds its pairs
//! in a list whose order each operation changes in a fixed way (a new key
//! goes to the front, a split reverses, ...), and `get/0` walks slot by slot
//! building its result by prepending, so it lists the pairs in reverse walk
//! order. Everything here reproduces those orders.
//!
//! Atom keys therefore come out in erl's order only when the atoms have
//! the same table indices as in erl.

use crate::term::hash::internal_hash;
use crate::term::order::compare_exact;
use crate::term::Term;

/// Slots of a new table (erts's default `+pds`).
const INITIAL_SLOTS: usize = 8;

/// The process dictionary. Keys and values are terms on the process heap.
#[derive(Default)]
pub struct Dictionary {
    /// Every pair as `[K0, V0, K1, V1, ...]`, in no particular order: the
    /// collector takes it whole as a root slice.
    entries: Vec<Term>,
    /// The hash of each pair's key.
    hashes: Vec<u32>,
    /// The table's slots, each the pair numbers it holds in erts's list
    /// order. Empty until the first `put` (erts allocates it then too).
    slots: Vec<Vec<u32>>,
    /// Mask for the full hash range of the current round of splits.
    size_mask: u32,
    /// The next slot to split.
    split_position: usize,
}

/// erts's `MAKE_HASH` for the process dictionary.
fn key_hash(key: Term) -> u32 {
    if let Some(v) = key.as_small() {
        v as u32
    } else if let Some(a) = key.as_atom() {
        a.index()
    } else {
        internal_hash(key, 0)
    }
}

impl Dictionary {
    /// The words the garbage collector must treat as roots.
    pub fn roots_mut(&mut self) -> &mut [Term] {
        &mut self.entries
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    fn key(&self, pair: u32) -> Term {
        self.entries[2 * pair as usize]
    }

    fn value(&self, pair: u32) -> Term {
        self.entries[2 * pair as usize + 1]
    }

    /// The slot of a hash (erts's `pd_hash_value_to_ix`).
    fn slot_of(&self, hash: u32) -> usize {
        let high = (hash & self.size_mask) as usize;
        if high >= self.slots.len() {
            (hash & (self.size_mask >> 1)) as usize
        } else {
            high
        }
    }

    /// The slot of `key` (whose hash is `hash`) and its position there.
    fn find(&self, key: Term, hash: u32) -> Option<(usize, usize)> {
        if self.slots.is_empty() {
            return None;
        }
        let slot = self.slot_of(hash);
        self.slots[slot]
            .iter()
            .position(|&p| compare_exact(self.key(p), key).is_eq())
            .map(|at| (slot, at))
    }

    /// `get(Key)`.
    pub fn get(&self, key: Term) -> Option<Term> {
        self.find(key, key_hash(key))
            .map(|(slot, at)| self.value(self.slots[slot][at]))
    }

    /// `put(Key, Value)`: the previous value, if any.
    pub fn put(&mut self, key: Term, value: Term) -> Option<Term> {
        if self.slots.is_empty() {
            self.slots = vec![Vec::new(); INITIAL_SLOTS];
            self.size_mask = (2 * INITIAL_SLOTS - 1) as u32;
            self.split_position = 0;
        }
        let hash = key_hash(key);
        if let Some((slot, at)) = self.find(key, hash) {
            let pair = self.slots[slot][at];
            let old = self.value(pair);
            self.entries[2 * pair as usize + 1] = value;
            // erts overwrites an immediate value in place; otherwise it
            // makes a new pair, which goes to the front of a shared slot.
            if !value.is_immediate() {
                self.entries[2 * pair as usize] = key;
                let moved = self.slots[slot].remove(at);
                self.slots[slot].insert(0, moved);
            }
            return Some(old);
        }
        let pair = self.hashes.len() as u32;
        self.entries.extend([key, value]);
        self.hashes.push(hash);
        let slot = self.slot_of(hash);
        self.slots[slot].insert(0, pair);
        if self.slots.len() <= self.len() {
            self.grow();
        }
        None
    }

    /// `erase(Key)`: the value it had, if any.
    pub fn erase(&mut self, key: Term) -> Option<Term> {
        if self.slots.is_empty() {
            return None;
        }
        let old = self.find(key, key_hash(key)).map(|(slot, at)| {
            let pair = self.slots[slot].remove(at);
            let value = self.value(pair);
            self.remove_pair(pair);
            value
        });
        let used = self.slots.len();
        if used > INITIAL_SLOTS && used / 2 > self.len() {
            self.shrink();
        }
        old
    }

    /// `erase()`: drops every pair and the table.
    pub fn clear(&mut self) {
        *self = Dictionary::default();
    }

    /// Removes a pair no slot refers to any more: the last pair takes its
    /// number.
    fn remove_pair(&mut self, pair: u32) {
        let last = (self.hashes.len() - 1) as u32;
        if pair != last {
            let moved_slot = self.slot_of(self.hashes[last as usize]);
            let at = self.slots[moved_slot]
                .iter()
                .position(|&p| p == last)
                .expect("every pair is in the slot of its hash");
            self.slots[moved_slot][at] = pair;
            let (i, j) = (pair as usize, last as usize);
            self.entries[2 * i] = self.entries[2 * j];
            self.entries[2 * i + 1] = self.entries[2 * j + 1];
            self.hashes[i] = self.hashes[j];
        }
        self.entries.truncate(2 * last as usize);
        self.hashes.pop();
    }

    /// Splits 1 to 15 slots (erts's `grow`).
    fn grow(&mut self) {
        let steps = ((self.slots.len() / 4) & 0xF).max(1);
        let mut home_size = self.slots.len() - self.split_position;
        for _ in 0..steps {
            if self.split_position == home_size {
                home_size *= 2;
                self.size_mask = (home_size * 2 - 1) as u32;
                self.split_position = 0;
            }
            let pos = self.split_position;
            self.split_position += 1;
            self.slots.push(Vec::new());
            let pairs = std::mem::take(&mut self.slots[pos]);
            let (mut stay, mut moved) = (Vec::new(), Vec::new());
            if let [only] = pairs[..] {
                if self.slot_of(self.hashes[only as usize]) == pos {
                    stay.push(only);
                } else {
                    moved.push(only);
                }
            } else {
                // A list is split by prepending: both halves come out
                // reversed.
                for &p in pairs.iter().rev() {
                    if self.slot_of(self.hashes[p as usize]) == pos {
                        stay.push(p);
                    } else {
                        moved.push(p);
                    }
                }
            }
            self.slots[pos] = stay;
            self.slots[pos + home_size] = moved;
        }
    }

    /// Merges back 30% of the slots (erts's `shrink`).
    fn shrink(&mut self) {
        let used = self.slots.len();
        let steps = (used * 3 / 10).min(used - INITIAL_SLOTS);
        for _ in 0..steps {
            if self.split_position == 0 {
                self.size_mask = (self.slots.len() - 1) as u32;
                self.split_position = self.slots.len() / 2;
            }
            self.split_position -= 1;
            let high = self.slots.pop().expect("more slots than the initial ones");
            let low = &mut self.slots[self.split_position];
            if high.is_empty() {
                continue;
            }
            *low = match low.len() {
                0 => high,
                // One pair (a tuple in erts) goes in front of the other slot.
                1 => low.iter().chain(&high).copied().collect(),
                // Two lists: the high one's pairs are prepended one by one.
                _ => high.iter().rev().chain(low.iter()).copied().collect(),
            };
        }
    }

    /// Pair numbers slot by slot, in each slot's order.
    fn walk(&self) -> impl Iterator<Item = u32> + '_ {
        self.slots.iter().flatten().copied()
    }

    /// The pairs in `get/0` order.
    pub fn pairs(&self) -> Vec<(Term, Term)> {
        let mut pairs: Vec<(Term, Term)> =
            self.walk().map(|p| (self.key(p), self.value(p))).collect();
        pairs.reverse();
        pairs
    }

    /// The keys in `get_keys/0` order.
    pub fn keys(&self) -> Vec<Term> {
        let mut keys: Vec<Term> = self.walk().map(|p| self.key(p)).collect();
        keys.reverse();
        keys
    }

    /// The keys whose value is `=:=` `value`, in `get_keys/1` order.
    pub fn keys_with_value(&self, value: Term) -> Vec<Term> {
        let mut keys: Vec<Term> = self
            .walk()
            .filter(|&p| compare_exact(self.value(p), value).is_eq())
            .map(|p| self.key(p))
            .collect();
        keys.reverse();
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(terms: &[Term]) -> Vec<i64> {
        terms.iter().map(|t| t.as_small().unwrap()).collect()
    }

    /// The keys of `put(I, I)` for each of `keys`, in `get_keys/0` order.
    fn keys_after_puts(keys: impl IntoIterator<Item = i64>) -> (Dictionary, Vec<i64>) {
        let mut d = Dictionary::default();
        for k in keys {
            d.put(Term::small(k), Term::small(k));
        }
        let order = ints(&d.keys());
        (d, order)
    }

    #[test]
    fn small_tables_list_in_reverse_slot_order() {
        // erl: [put(I, I*2) || I <- lists:seq(1,20)], get_keys().
        let (_, order) = keys_after_puts(1..=20);
        assert_eq!(order, (1..=20).rev().collect::<Vec<_>>());
    }

    #[test]
    fn larger_tables_follow_erl() {
        // erl: [put(I, I) || I <- lists:seq(1,100)], get_keys() (and the
        // same with the keys put in the order 100..1).
        let (_, order) = keys_after_puts(1..=100);
        assert_eq!(order, (1..=100).rev().collect::<Vec<_>>());
        let (_, order) = keys_after_puts((1..=100).rev());
        assert_eq!(order, ERL_100_DOWN.to_vec());
    }

    /// erl: [put(I, I) || I <- lists:seq(100, 1, -1)], get_keys().
    const ERL_100_DOWN: [i64; 100] = [
        100, 99, 98, 97, 96, 95, 94, 93, 92, 91, 90, 89, 88, 87, 86, 85, 84, 83, 82, 81, 80, 79,
        78, 77, 76, 75, 74, 73, 72, 71, 70, 69, 68, 67, 66, 65, 64, 63, 62, 61, 60, 59, 58, 57, 56,
        55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33,
        32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10,
        9, 8, 7, 6, 5, 4, 3, 2, 1,
    ];

    #[test]
    fn erase_shrinks_and_keeps_erl_order() {
        // erl: [put(I, I) || I <- lists:seq(1,100)],
        //      [erase(I) || I <- lists:seq(1,100), I rem 3 =/= 0], get_keys().
        let (mut d, _) = keys_after_puts(1..=100);
        for k in (1..=100).filter(|k| k % 3 != 0) {
            assert_eq!(d.erase(Term::small(k)), Some(Term::small(k)));
        }
        assert_eq!(ints(&d.keys()), ERL_ERASED.to_vec());
        assert_eq!(d.len(), 33);
        assert_eq!(d.erase(Term::small(1)), None);
    }

    /// See `erase_shrinks_and_keeps_erl_order`.
    const ERL_ERASED: [i64; 33] = [
        51, 48, 45, 42, 39, 36, 99, 33, 96, 63, 30, 93, 60, 27, 90, 57, 24, 87, 54, 21, 84, 18, 81,
        15, 78, 12, 75, 9, 72, 6, 69, 3, 66,
    ];

    #[test]
    fn negative_keys_hash_by_their_low_bits() {
        // erl: [put(I, I) || I <- lists:seq(-50,50)], get_keys().
        let (_, order) = keys_after_puts(-50..=50);
        let expected: Vec<i64> = [
            -25, -26, -27, -28, -29, -30, -31, -32, -33, -34, -35, -36, -37, -38, -39, -40, -41,
            -42, -43, -44, -45, -46, -47, -48, -49, -50, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10,
            -11, -12, -13, -14, 50, -15, 49, -16, 48, -17, 47, -18, 46, -19, 45, -20, 44, -21, 43,
            -22, 42, -23, 41, -24, 40,
        ]
        .into_iter()
        .chain((0..=39).rev())
        .collect();
        assert_eq!(order, expected);
    }

    #[test]
    fn tuple_keys_use_the_internal_hash() {
        // erl: [put({I}, I) || I <- lists:seq(1,40)], get_keys().
        let mut area = crate::heap::LiteralArea::new();
        let mut d = Dictionary::default();
        for i in 1..=40 {
            let key = crate::term::build::tuple(&mut area, &[Term::small(i)]);
            d.put(key, Term::small(i));
        }
        let order: Vec<i64> = d
            .keys()
            .iter()
            .map(|k| k.as_tuple().unwrap()[0].as_small().unwrap())
            .collect();
        assert_eq!(
            order,
            [
                33, 40, 11, 36, 19, 16, 23, 12, 13, 3, 30, 31, 10, 8, 39, 4, 22, 24, 2, 7, 9, 29,
                6, 25, 28, 35, 27, 21, 20, 1, 5, 18, 17, 32, 34, 37, 15, 14, 38, 26
            ]
        );
    }

    #[test]
    fn updates_erases_and_splits_follow_erl() {
        // erl: [put(I * 1000003, I) || I <- lists:seq(1,60)],
        //      [put(I * 1000003, {I}) || I <- lists:seq(1,60,7)],
        //      [erase(I * 1000003) || I <- lists:seq(1,60,2)],
        //      {get_keys(), get_keys({8})}.
        let mut area = crate::heap::LiteralArea::new();
        let mut d = Dictionary::default();
        let key = |i: i64| Term::small(i * 1_000_003);
        for i in 1..=60 {
            d.put(key(i), Term::small(i));
        }
        let mut boxed = Vec::new();
        for i in (1..=60).step_by(7) {
            let value = crate::term::build::tuple(&mut area, &[Term::small(i)]);
            boxed.push(value);
            d.put(key(i), value);
        }
        for i in (1..=60).step_by(2) {
            d.erase(key(i));
        }
        assert_eq!(
            ints(&d.keys()),
            [
                36000108, 14000042, 56000168, 34000102, 12000036, 54000162, 32000096, 42000126,
                10000030, 20000060, 52000156, 30000090, 40000120, 8000024, 18000054, 50000150,
                60000180, 28000084, 38000114, 6000018, 16000048, 48000144, 58000174, 26000078,
                4000012, 46000138, 24000072, 2000006, 44000132, 22000066
            ]
        );
        let eight = crate::term::build::tuple(&mut area, &[Term::small(8)]);
        assert_eq!(ints(&d.keys_with_value(eight)), [8000024]);
    }

    #[test]
    fn pairs_list_values_in_get_order() {
        // erl: [put(I, I) || I <- lists:seq(1,30)], put(5, {x}), put(17, y),
        //      put(9, [a]), get(): {30,30},...,{17,y},...,{9,[a]},...,{5,{x}},...,{1,1}.
        let mut area = crate::heap::LiteralArea::new();
        let mut d = Dictionary::default();
        for i in 1..=30 {
            d.put(Term::small(i), Term::small(i));
        }
        let x = crate::term::build::tuple(
            &mut area,
            &[Term::atom(crate::term::Atom::intern("x").unwrap())],
        );
        d.put(Term::small(5), x);
        let pairs = d.pairs();
        let keys: Vec<i64> = pairs.iter().map(|(k, _)| k.as_small().unwrap()).collect();
        assert_eq!(keys, (1..=30).rev().collect::<Vec<_>>());
        assert_eq!(pairs[25].1, x);
    }

    #[test]
    fn the_collector_moves_keys_and_values_through_the_roots() {
        // Self-consistency: after a major collection with the dictionary as
        // a root, every key still finds its value and the order is kept.
        let mut heap = crate::heap::ProcessHeap::new();
        let mut d = Dictionary::default();
        for i in 0..50 {
            let key = crate::term::build::tuple(&mut heap, &[Term::small(i)]);
            let value = crate::term::build::list(&mut heap, &[Term::small(i * 2)]);
            d.put(key, value);
        }
        let _garbage = crate::term::build::tuple(&mut heap, &[Term::NIL; 100]);
        let order_before: Vec<String> = d
            .keys()
            .iter()
            .map(|&k| crate::term::print::to_string(k))
            .collect();
        heap.garbage_collect_major(0, &mut [], &mut [d.roots_mut()])
            .unwrap();
        let order_after: Vec<String> = d
            .keys()
            .iter()
            .map(|&k| crate::term::print::to_string(k))
            .collect();
        assert_eq!(order_before, order_after);
        let mut area = crate::heap::LiteralArea::new();
        for i in 0..50 {
            let key = crate::term::build::tuple(&mut area, &[Term::small(i)]);
            let value = d.get(key).expect("every key survives");
            assert_eq!(value.list_to_vec().unwrap(), vec![Term::small(i * 2)]);
        }
    }

    #[test]
    fn put_replaces_and_reports_the_old_value() {
        let mut d = Dictionary::default();
        let (a, b) = (Term::small(1), Term::small(9));
        assert_eq!(d.put(a, b), None);
        assert_eq!(d.put(a, a), Some(b));
        assert_eq!(d.get(a), Some(a));
        assert_eq!(d.get(b), None);
        assert_eq!(d.keys_with_value(a), vec![a]);
        d.clear();
        assert!(d.is_empty());
        assert_eq!(d.get(a), None);
    }
}
