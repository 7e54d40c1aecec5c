//! The heap of one process, laid out as BEAM lays it out.
//!
//! One block of words holds the young heap, growing up from the bottom
//! (`htop`), and the stack, growing down from the top (`stop`); the words in
//! between are free. Objects below the high-water mark have survived a
//! collection and move to the old heap, a second block, at the next minor
//! collection. When native code needs more words than are free, they come
//! from a [`HeapFragment`] chained to the process; a message arrives as a
//! fragment too. The next collection (`gc.rs`) copies what is live out
//! of the fragments and frees them.
//!
//! Refc binaries and resource references the process points to (its
//! off-heap objects) are linked through their `next` word into two lists,
//! one for the young generation (heap and fragments) and one for the old
//! heap, so a collection can drop the counts of dead ones without scanning
//! the old heap.

use std::sync::{Arc, OnceLock};

use super::{BinaryBuf, Chunk, Resource, TermAlloc};
use crate::term::{header_kind, BoxKind, Term, PRIMARY_MASK, TAG_HEADER};

/// Word index of the `*const BinaryBuf` in a refc binary object (the header
/// is word 0), and of the `*const Resource` in a resource reference.
pub(super) const REFC_BUF_WORD: usize = 2;
/// Word index of the `next` link in a refc binary object or a resource
/// reference.
pub(super) const REFC_NEXT_WORD: usize = 3;

/// Off-heap objects (refc binaries and resource references) linked through
/// their `next` word (0 ends the list). Each member holds one strong count
/// of its `BinaryBuf` or `Resource`.
pub(super) struct OffHeapList {
    pub(super) head: *mut u64,
}

impl OffHeapList {
    pub(super) const fn new() -> OffHeapList {
        OffHeapList {
            head: std::ptr::null_mut(),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.head.is_null()
    }

    /// Adds `object` at the front.
    ///
    /// # Safety
    /// `object` points at a live refc binary object that is in no list and
    /// whose memory outlives its membership.
    pub(super) unsafe fn push(&mut self, object: *mut u64) {
        object.add(REFC_NEXT_WORD).write(self.head as u64);
        self.head = object;
    }

    /// Takes the first member out.
    ///
    /// # Safety
    /// Every member's memory is still alive (the list invariant).
    pub(super) unsafe fn pop(&mut self) -> Option<*mut u64> {
        if self.head.is_null() {
            return None;
        }
        let object = self.head;
        self.head = object.add(REFC_NEXT_WORD).read() as *mut u64;
        Some(object)
    }

    /// Moves every member of `other` into this list.
    ///
    /// # Safety
    /// Both lists' members are alive.
    pub(super) unsafe fn take_all(&mut self, other: &mut OffHeapList) {
        while let Some(object) = other.pop() {
            self.push(object);
        }
    }

    /// Drops the strong count each member holds and empties the list.
    ///
    /// # Safety
    /// Every member's memory is still alive, and its count is not released
    /// anywhere else.
    pub(super) unsafe fn release_all(&mut self) {
        while let Some(object) = self.pop() {
            release_off_heap(object);
        }
    }
}

/// Drops the strong count a dead refc binary or resource reference object
/// held.
///
/// # Safety
/// `object` is a refc binary or resource reference object whose count was
/// taken by `adopt_binary` or `adopt_resource` and is released only here,
/// once.
pub(super) unsafe fn release_off_heap(object: *mut u64) {
    let target = object.add(REFC_BUF_WORD).read();
    if header_kind(object.read()) == BoxKind::ResourceRef {
        drop(Arc::from_raw(target as *const Resource));
    } else {
        drop(Arc::from_raw(target as *const BinaryBuf));
    }
}

/// Takes ownership of the strong count `counted` carries into `object`.
///
/// # Safety
/// `object` is a written refc binary or resource reference object (as
/// `adopt_binary` and `adopt_resource` require) whose pointer word holds
/// `Arc::as_ptr(&counted)`.
unsafe fn leak_into_object<T>(object: *mut u64, counted: Arc<T>) {
    // SAFETY: the caller guarantees such an object at `object`; we only
    // read its pointer word.
    let stored = unsafe { object.add(REFC_BUF_WORD).read() };
    assert_eq!(
        stored,
        Arc::as_ptr(&counted) as u64,
        "an off-heap object adopts what it points to"
    );
    let _ = Arc::into_raw(counted);
}

/// Smallest chunk a fragment allocates when it grows.
const FRAGMENT_CHUNK_WORDS: usize = 256;

/// A block of words outside the process heap: where native code allocates
/// when the heap is full, and what a message travels in. Its words never
/// move; its refc binaries keep their counts until the fragment is dropped
/// or attached to a process (which takes them over).
pub struct HeapFragment {
    /// Each chunk with the number of words used in it.
    chunks: Vec<(Chunk, usize)>,
    binaries: OffHeapList,
}

impl HeapFragment {
    pub fn new() -> HeapFragment {
        HeapFragment {
            chunks: Vec::new(),
            binaries: OffHeapList::new(),
        }
    }

    /// A fragment with room for `words` in one block (a message of known size).
    pub fn with_capacity(words: usize) -> HeapFragment {
        HeapFragment {
            chunks: vec![(Chunk::new(words), 0)],
            binaries: OffHeapList::new(),
        }
    }

    /// Words allocated so far.
    pub fn words_used(&self) -> usize {
        self.chunks.iter().map(|(_, used)| used).sum()
    }

    /// The used part of each chunk: its first word and length.
    pub(super) fn used_spans(&self) -> impl Iterator<Item = (*mut u64, usize)> + '_ {
        self.chunks
            .iter()
            .map(|(chunk, used)| (chunk.base.as_ptr(), *used))
    }

    /// Does any chunk's used part hold address `addr`?
    pub(super) fn contains(&self, addr: usize) -> bool {
        self.used_spans()
            .any(|(base, used)| in_words(addr, base, used))
    }
}

impl Default for HeapFragment {
    fn default() -> HeapFragment {
        HeapFragment::new()
    }
}

impl TermAlloc for HeapFragment {
    fn alloc_words(&mut self, words: usize) -> *mut u64 {
        let fits = self
            .chunks
            .last()
            .is_some_and(|(chunk, used)| chunk.len - used >= words);
        if !fits {
            self.chunks
                .push((Chunk::new(words.max(FRAGMENT_CHUNK_WORDS)), 0));
        }
        let (chunk, used) = self.chunks.last_mut().expect("a chunk was just ensured");
        // SAFETY: `used + words <= chunk.len` (checked or fresh chunk), so
        // the pointer stays inside the chunk's allocation, which never moves.
        let ptr = unsafe { chunk.base.as_ptr().add(*used) };
        *used += words;
        ptr
    }

    unsafe fn adopt_binary(&mut self, object: *mut u64, buf: Arc<BinaryBuf>) {
        debug_assert!(self.contains(object as usize + REFC_NEXT_WORD * 8));
        // SAFETY: the caller guarantees a written refc binary object
        // allocated in this fragment, adopted once, so it lives as long as
        // the list that now holds it and its count is released once.
        unsafe {
            leak_into_object(object, buf);
            self.binaries.push(object);
        }
    }

    unsafe fn adopt_resource(&mut self, object: *mut u64, resource: Arc<Resource>) {
        debug_assert!(self.contains(object as usize + REFC_NEXT_WORD * 8));
        // SAFETY: as for `adopt_binary`: a written resource reference object
        // of this fragment, adopted once.
        unsafe {
            leak_into_object(object, resource);
            self.binaries.push(object);
        }
    }
}

impl Drop for HeapFragment {
    fn drop(&mut self) {
        // SAFETY: the members live in this fragment's chunks, which are
        // dropped only after this; the counts are released only here.
        unsafe { self.binaries.release_all() };
    }
}

// SAFETY: a fragment owns its words and the strong counts of its binaries
// and resources (`BinaryBuf` and `Resource` are Send + Sync); terms in it
// point only into itself or into literal areas, which are Sync. It moves
// between threads as a message.
unsafe impl Send for HeapFragment {}

/// Is `addr` within the `len` words starting at `base`?
#[inline]
pub(super) fn in_words(addr: usize, base: *const u64, len: usize) -> bool {
    let start = base as usize;
    addr >= start && addr < start + len * 8
}

/// `max_heap_size` of `erlang:process_flag/2`: a size in words (0: no
/// limit) and what to do when a collection finds the process past it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaxHeapSize {
    pub size: usize,
    pub kill: bool,
    pub error_logger: bool,
}

impl Default for MaxHeapSize {
    /// erl's default: `#{size => 0, kill => true, error_logger => true}`.
    fn default() -> MaxHeapSize {
        MaxHeapSize {
            size: 0,
            kill: true,
            error_logger: true,
        }
    }
}

/// The garbage collection settings of a process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GcSettings {
    /// Words; always one of the heap sizes (`erts_next_heap_size`).
    pub min_heap_size: usize,
    pub max_heap_size: MaxHeapSize,
    /// Minor collections between two major ones.
    pub fullsweep_after: u32,
}

/// erl's default minimum heap size, in words.
pub const DEFAULT_MIN_HEAP_SIZE: usize = 233;
/// erl's default `fullsweep_after`.
pub const DEFAULT_FULLSWEEP_AFTER: u32 = 65535;

impl Default for GcSettings {
    fn default() -> GcSettings {
        GcSettings {
            min_heap_size: DEFAULT_MIN_HEAP_SIZE,
            max_heap_size: MaxHeapSize::default(),
            fullsweep_after: DEFAULT_FULLSWEEP_AFTER,
        }
    }
}

/// Whether `OXBEAM_GC_STRESS` asks for a collection at every safe point
/// (set and not `0`); read once.
pub fn gc_stress_from_env() -> bool {
    static STRESS: OnceLock<bool> = OnceLock::new();
    *STRESS.get_or_init(|| std::env::var_os("OXBEAM_GC_STRESS").is_some_and(|v| v != "0"))
}

/// The heap, stack, old heap and fragments of one process.
pub struct ProcessHeap {
    /// The young heap (words `0..htop`) and the stack (words `stop..len`).
    pub(super) young: Chunk,
    pub(super) htop: usize,
    pub(super) stop: usize,
    /// Young objects below this word survived the last collection.
    pub(super) high_water: usize,
    /// The old generation (words `0..old_htop` used), created by the first
    /// minor collection that has survivors to promote.
    pub(super) old: Option<Chunk>,
    pub(super) old_htop: usize,
    pub(super) fragments: Vec<HeapFragment>,
    /// Refc binaries in the young heap and the fragments.
    pub(super) young_binaries: OffHeapList,
    /// Refc binaries in the old heap.
    pub(super) old_binaries: OffHeapList,
    pub(super) settings: GcSettings,
    /// Minor collections since the last major one.
    pub(super) minor_gcs: u32,
    /// The next collection must be major (a minor one found no room).
    pub(super) need_fullsweep: bool,
    /// The last major collection left the heap over 75% full: grow at the
    /// next one even if the live data would fit.
    pub(super) grow_at_fullsweep: bool,
    gc_stress: bool,
}

impl ProcessHeap {
    /// A heap with erl's default settings.
    pub fn new() -> ProcessHeap {
        ProcessHeap::with_settings(GcSettings::default())
    }

    /// A heap of `settings.min_heap_size` words (rounded up to a heap size).
    pub fn with_settings(mut settings: GcSettings) -> ProcessHeap {
        settings.min_heap_size = super::gc::next_heap_size(settings.min_heap_size, 0);
        let size = settings.min_heap_size;
        ProcessHeap {
            young: Chunk::new(size),
            htop: 0,
            stop: size,
            high_water: 0,
            old: None,
            old_htop: 0,
            fragments: Vec::new(),
            young_binaries: OffHeapList::new(),
            old_binaries: OffHeapList::new(),
            settings,
            minor_gcs: 0,
            need_fullsweep: false,
            grow_at_fullsweep: false,
            gc_stress: gc_stress_from_env(),
        }
    }

    pub fn settings(&self) -> GcSettings {
        self.settings
    }

    /// `process_flag(min_heap_size, Words)`: rounded up to a heap size, as
    /// erl does; takes effect at the next collection.
    pub fn set_min_heap_size(&mut self, words: usize) {
        self.settings.min_heap_size = super::gc::next_heap_size(words, 0);
    }

    pub fn set_max_heap_size(&mut self, max: MaxHeapSize) {
        self.settings.max_heap_size = max;
    }

    pub fn set_fullsweep_after(&mut self, minor_gcs: u32) {
        self.settings.fullsweep_after = minor_gcs;
    }

    /// Collect at every safe point ([`ProcessHeap::needs_gc`] always true).
    pub fn set_gc_stress(&mut self, on: bool) {
        self.gc_stress = on;
    }

    /// Must a safe point that wants `need` free words collect first? True
    /// when they are not free, and always under GC stress.
    #[inline]
    pub fn needs_gc(&self, need: usize) -> bool {
        self.gc_stress || self.free_words() < need
    }

    /// Words between the heap top and the stack top.
    #[inline]
    pub fn free_words(&self) -> usize {
        self.stop - self.htop
    }

    /// Size of the block holding the young heap and the stack (erl's
    /// `heap_size`).
    pub fn heap_size(&self) -> usize {
        self.young.len
    }

    /// Words used by the young heap.
    pub fn heap_used(&self) -> usize {
        self.htop
    }

    /// Size of the old heap (0 when there is none).
    pub fn old_heap_size(&self) -> usize {
        self.old.as_ref().map_or(0, |c| c.len)
    }

    /// Words used in the old heap.
    pub fn old_heap_used(&self) -> usize {
        self.old_htop
    }

    /// Are there heap fragments (to merge at the next collection)?
    #[inline]
    pub fn has_fragments(&self) -> bool {
        !self.fragments.is_empty()
    }

    /// Words allocated in heap fragments.
    pub fn fragment_words(&self) -> usize {
        self.fragments.iter().map(HeapFragment::words_used).sum()
    }

    /// erl's `total_heap_size`: young block, old heap and fragments.
    pub fn total_heap_size(&self) -> usize {
        self.heap_size() + self.old_heap_size() + self.fragment_words()
    }

    /// Minor collections since the last major one (erl's `minor_gcs`).
    pub fn minor_gcs(&self) -> u32 {
        self.minor_gcs
    }

    /// Chains a fragment (a received message) to the process; its terms
    /// stay valid where they are until the next collection copies them in.
    pub fn attach_fragment(&mut self, mut fragment: HeapFragment) {
        // SAFETY: the members live in the fragment's chunks, which this heap
        // owns from now on and frees only after a collection has swept the
        // young list (which moves or releases every member).
        unsafe { self.young_binaries.take_all(&mut fragment.binaries) };
        self.fragments.push(fragment);
    }

    /// Does `addr` lie in a used part of this heap: the young or old heap
    /// or a fragment? (Anything else a term points to is a literal.)
    pub fn contains(&self, addr: usize) -> bool {
        in_words(addr, self.young.base.as_ptr(), self.htop)
            || self
                .old
                .as_ref()
                .is_some_and(|old| in_words(addr, old.base.as_ptr(), self.old_htop))
            || self.fragments.iter().any(|f| f.contains(addr))
    }

    // ---- the stack ---------------------------------------------------------

    /// Words on the stack.
    #[inline]
    pub fn stack_len(&self) -> usize {
        self.young.len - self.stop
    }

    /// Pushes a frame of `words` words, each `[]`, whose slots are then
    /// `y(0)..y(words)` (BEAM's `allocate`). False, with nothing pushed,
    /// when they are not free: collect with that need, then push.
    #[inline]
    pub fn push_frame(&mut self, words: usize) -> bool {
        if self.free_words() < words {
            return false;
        }
        self.stop -= words;
        // SAFETY: `htop <= stop` and `stop + words <= len` (they were free):
        // words of the young block that no term points to.
        unsafe {
            let top = self.young.base.as_ptr().add(self.stop);
            for i in 0..words {
                top.add(i).write(Term::NIL.raw());
            }
        }
        true
    }

    /// The top of the stack (slot 0) and the end of the young block, for
    /// code that reads and writes stack slots through pointers. They stay
    /// valid until the stack next grows or shrinks, or the heap is
    /// collected.
    #[inline]
    pub fn stack_bounds(&mut self) -> (*mut u64, *mut u64) {
        let base = self.young.base.as_ptr();
        // SAFETY: `stop <= len`: both within (or one past) the block.
        unsafe { (base.add(self.stop), base.add(self.young.len)) }
    }

    /// Pops `words` words (BEAM's `deallocate`).
    #[inline]
    pub fn pop_frame(&mut self, words: usize) {
        assert!(
            words <= self.stack_len(),
            "popping more than the stack holds"
        );
        self.stop += words;
    }

    /// Stack slot `i` counted from the top, as a term. A slot holding a
    /// return address reads as `Term::NONE`.
    #[inline]
    pub fn y(&self, i: usize) -> Term {
        let word = self.read_stack(i);
        if word & PRIMARY_MASK == TAG_HEADER {
            Term::NONE
        } else {
            // SAFETY: a stack word not tagged as a header was written by
            // `set_y` from a term, and the collector keeps it valid.
            unsafe { Term::from_raw(word) }
        }
    }

    #[inline]
    pub fn set_y(&mut self, i: usize, term: Term) {
        self.write_stack(i, term.raw());
    }

    /// Stack slot `i` as a raw word (a return address).
    #[inline]
    pub fn stack_word(&self, i: usize) -> u64 {
        self.read_stack(i)
    }

    /// Stores a return address (or any 8-aligned word that is not a term) in
    /// stack slot `i`; the collector leaves such words alone.
    #[inline]
    pub fn set_return_address(&mut self, i: usize, address: u64) {
        assert!(address & 0b111 == 0, "a return address is 8-aligned");
        self.write_stack(i, address);
    }

    #[inline]
    fn read_stack(&self, i: usize) -> u64 {
        assert!(i < self.stack_len(), "stack slot out of range");
        // SAFETY: `stop + i < len`, a word of the young block.
        unsafe { self.young.base.as_ptr().add(self.stop + i).read() }
    }

    #[inline]
    fn write_stack(&mut self, i: usize, word: u64) {
        assert!(i < self.stack_len(), "stack slot out of range");
        // SAFETY: `stop + i < len`, a word of the young block that no term
        // points to (terms point below `htop <= stop`).
        unsafe { self.young.base.as_ptr().add(self.stop + i).write(word) }
    }
}

impl Default for ProcessHeap {
    fn default() -> ProcessHeap {
        ProcessHeap::new()
    }
}

impl TermAlloc for ProcessHeap {
    /// From the heap when the words are free, else from a fragment.
    #[inline]
    fn alloc_words(&mut self, words: usize) -> *mut u64 {
        if self.free_words() >= words {
            // SAFETY: `htop + words <= stop <= len`: free words of the block.
            let ptr = unsafe { self.young.base.as_ptr().add(self.htop) };
            self.htop += words;
            ptr
        } else {
            if self.fragments.is_empty() {
                self.fragments.push(HeapFragment::new());
            }
            let fragment = self
                .fragments
                .last_mut()
                .expect("a fragment was just ensured");
            fragment.alloc_words(words)
        }
    }

    unsafe fn adopt_binary(&mut self, object: *mut u64, buf: Arc<BinaryBuf>) {
        debug_assert!({
            let addr = object as usize + REFC_NEXT_WORD * 8;
            in_words(addr, self.young.base.as_ptr(), self.htop)
                || self.fragments.iter().any(|f| f.contains(addr))
        });
        // SAFETY: the caller guarantees a written refc binary object
        // allocated by this heap (in the young heap or a fragment), adopted
        // once, whose memory lives until a collection sweeps this list.
        unsafe {
            leak_into_object(object, buf);
            self.young_binaries.push(object);
        }
    }

    unsafe fn adopt_resource(&mut self, object: *mut u64, resource: Arc<Resource>) {
        debug_assert!({
            let addr = object as usize + REFC_NEXT_WORD * 8;
            in_words(addr, self.young.base.as_ptr(), self.htop)
                || self.fragments.iter().any(|f| f.contains(addr))
        });
        // SAFETY: as for `adopt_binary`: a written resource reference object
        // allocated by this heap, adopted once.
        unsafe {
            leak_into_object(object, resource);
            self.young_binaries.push(object);
        }
    }
}

impl Drop for ProcessHeap {
    fn drop(&mut self) {
        // SAFETY: every member lives in the young block, the old heap or a
        // fragment, all still alive here; counts are released only here or
        // by a collection, which removes what it released.
        unsafe {
            self.young_binaries.release_all();
            self.old_binaries.release_all();
        }
    }
}

// SAFETY: a process heap owns its blocks and the strong counts of its
// binaries and resources (`BinaryBuf` and `Resource` are Send + Sync); its
// terms point only into itself and into literal areas, which are Sync. A process moves between
// scheduler threads but is run by one at a time.
unsafe impl Send for ProcessHeap {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::term::build;

    #[test]
    fn allocation_overflows_into_fragments() {
        let mut heap = ProcessHeap::new();
        let first = heap.alloc_words(200);
        assert!(heap.contains(first as usize));
        assert_eq!(heap.heap_used(), 200);
        assert!(heap.push_frame(20));
        // 13 words are free; 14 go to a fragment, and so does what follows
        // once the rest is used.
        let in_fragment = heap.alloc_words(14);
        assert_eq!(heap.heap_used(), 200);
        assert_eq!(heap.fragment_words(), 14);
        assert!(heap.contains(in_fragment as usize));
        let on_heap = heap.alloc_words(13);
        assert_eq!(heap.free_words(), 0);
        assert!(heap.contains(on_heap as usize));
        assert_eq!(heap.total_heap_size(), 233 + 14);
        assert!(!heap.contains(0x10));
    }

    #[test]
    fn fragments_hand_out_stable_disjoint_words() {
        let mut fragment = HeapFragment::new();
        let mut spans = Vec::new();
        for size in [1usize, 300, 2, 256, 7] {
            let p = fragment.alloc_words(size);
            // SAFETY: the fragment just handed out `size` words at `p`.
            unsafe {
                for i in 0..size {
                    p.add(i).write(size as u64);
                }
            }
            spans.push((p, size));
        }
        assert_eq!(fragment.words_used(), 1 + 300 + 2 + 256 + 7);
        for &(p, size) in &spans {
            assert!(fragment.contains(p as usize));
            // SAFETY: as above; the fragment is alive and never moves words.
            unsafe {
                for i in 0..size {
                    assert_eq!(p.add(i).read(), size as u64);
                }
            }
        }
    }

    #[test]
    fn binaries_adopted_by_a_fragment_pass_to_the_heap() {
        let buf = BinaryBuf::new(vec![3u8; 100].into());
        let mut fragment = HeapFragment::new();
        build::refc_binary(&mut fragment, buf.clone());
        let mut heap = ProcessHeap::new();
        build::refc_binary(&mut heap, buf.clone());
        assert_eq!(Arc::strong_count(&buf), 3);
        heap.attach_fragment(fragment);
        assert!(heap.fragments[0].binaries.is_empty());
        heap.garbage_collect(0, &mut [], &mut []).unwrap();
        assert_eq!(Arc::strong_count(&buf), 1);
    }
}
