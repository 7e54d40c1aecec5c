//! Storage of `ordered_set` tables: objects in a `BTreeMap` in term order
//! of their keys, compared with `==` (so `1` and `1.0` are the same key).

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::ops::Bound;

use super::object::{Object, TREE_OBJECT_OVERHEAD};
use crate::term::order::compare;
use crate::term::Term;

/// A key ordered as erl orders `ordered_set` keys. The map's keys point
/// into the stored objects; a probe points into the caller's heap.
#[derive(Clone, Copy)]
struct TreeKey(Term);

impl PartialEq for TreeKey {
    fn eq(&self, other: &Self) -> bool {
        compare(self.0, other.0) == Ordering::Equal
    }
}

impl Eq for TreeKey {}

impl PartialOrd for TreeKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TreeKey {
    fn cmp(&self, other: &Self) -> Ordering {
        compare(self.0, other.0)
    }
}

pub(super) struct TreeStore {
    keypos: usize,
    map: BTreeMap<TreeKey, Object>,
    /// Object words plus per-object overhead, for `info(T, memory)`.
    words: usize,
    /// erl's empty table, for `info(T, memory)`.
    base_words: usize,
}

impl TreeStore {
    pub(super) fn new(keypos: usize) -> TreeStore {
        TreeStore {
            keypos,
            map: BTreeMap::new(),
            words: 0,
            base_words: 0,
        }
    }

    /// An empty table with the same settings (`delete_all_objects`).
    pub(super) fn emptied(&self) -> TreeStore {
        TreeStore::new(self.keypos).with_base_words(self.base_words)
    }

    /// The same table, whose `memory_words` start at `words`.
    pub(super) fn with_base_words(mut self, words: usize) -> TreeStore {
        self.base_words = words;
        self
    }

    pub(super) fn len(&self) -> usize {
        self.map.len()
    }

    /// Words for `info(T, memory)`: erl's empty tree and each object with
    /// its node.
    pub(super) fn memory_words(&self) -> usize {
        self.base_words + self.words
    }

    /// Inserts or replaces (the stored key becomes the new object's).
    pub(super) fn insert(&mut self, obj: Object) {
        let key = TreeKey(obj.key(self.keypos));
        self.words += obj.words() + TREE_OBJECT_OVERHEAD;
        if let Some(old) = self.map.remove(&key) {
            self.words -= old.words() + TREE_OBJECT_OVERHEAD;
        }
        self.map.insert(TreeKey(obj.key(self.keypos)), obj);
    }

    pub(super) fn lookup(&self, key: Term) -> Option<&Object> {
        self.map.get(&TreeKey(key))
    }

    pub(super) fn remove_key(&mut self, key: Term) -> Option<Object> {
        let old = self.map.remove(&TreeKey(key))?;
        self.words -= old.words() + TREE_OBJECT_OVERHEAD;
        Some(old)
    }

    /// Replaces the object of `key` with `obj` (an equal key).
    pub(super) fn replace(&mut self, key: Term, obj: Object) {
        self.remove_key(key);
        self.insert(obj);
    }

    /// Removes every object for which `remove` is true (in key order);
    /// returns how many.
    pub(super) fn retain(&mut self, mut remove: impl FnMut(&Object) -> bool) -> usize {
        let before = self.map.len();
        let mut freed = 0;
        self.map.retain(|_, obj| {
            let gone = remove(obj);
            if gone {
                freed += obj.words() + TREE_OBJECT_OVERHEAD;
            }
            !gone
        });
        self.words -= freed;
        before - self.map.len()
    }

    pub(super) fn first(&self) -> Option<&Object> {
        self.map.values().next()
    }

    pub(super) fn last(&self) -> Option<&Object> {
        self.map.values().next_back()
    }

    /// The first object whose key is greater than `key`.
    pub(super) fn next(&self, key: Term) -> Option<&Object> {
        let range = (Bound::Excluded(TreeKey(key)), Bound::Unbounded);
        self.map.range(range).next().map(|(_, o)| o)
    }

    /// The last object whose key is less than `key`.
    pub(super) fn prev(&self, key: Term) -> Option<&Object> {
        let range = (Bound::Unbounded, Bound::Excluded(TreeKey(key)));
        self.map.range(range).next_back().map(|(_, o)| o)
    }

    /// Every object in key order.
    pub(super) fn objects(&self) -> impl DoubleEndedIterator<Item = &Object> {
        self.map.values()
    }

    /// The `i`th object in key order (`slot/2`).
    pub(super) fn nth(&self, i: usize) -> Option<&Object> {
        self.map.values().nth(i)
    }
}
