//! The garbage collector of a process heap: generational and copying
//! (Cheney), with BEAM's policy (`erl_gc.c`).
//!
//! A *minor* collection copies the live young objects — those from the
//! young heap and the fragments — out of their blocks: objects below the
//! high-water mark (they survived the previous collection) go to the old
//! heap, the others to a fresh young block. A *major* collection copies
//! everything live, old heap included, into a fresh young block and frees
//! the old heap. Roots are the X registers the caller passes, the stack,
//! and extra root slices (process dictionary, …). Pointers to anything
//! outside the collected blocks (module literals, the old heap in a minor
//! collection) are left as they are.
//!
//! An object that moves leaves a forwarding marker where it was: a boxed
//! object's header becomes the boxed pointer to its copy; a cons cell's head
//! becomes [`MOVED_CONS`] and its tail the list pointer to the copy. So a
//! subterm shared by several referrers is copied once.
//!
//! The copy is scanned word by word, as BEAM does: a word tagged as a header
//! starts a boxed object, whose payload words that hold terms
//! ([`term_words`]) are visited and the rest (raw data) stepped over; any
//! other word belongs to a cons cell and holds a term.
//!
//! Old objects never point to young ones: terms are immutable, so an object
//! refers only to older ones, and everything older than a mature object is
//! mature or old too. So a minor collection does not scan the old heap, and
//! the objects it promotes (at most the mature words, which the old heap has
//! room for) refer only to promoted, old or literal objects.

use std::ops::Range;

use super::process_heap::{in_words, release_off_heap, OffHeapList, ProcessHeap};
use super::Chunk;
use crate::term::{
    header_arity, header_kind, make_header, BoxKind, Term, PRIMARY_MASK, TAG_BOXED, TAG_HEADER,
    TAG_LIST,
};

// ---- heap sizes --------------------------------------------------------------

const HEAP_SIZE_SLOTS: usize = 160;
/// BEAM's limit on 64-bit machines: 2^53 bytes of heap, in words.
const MAX_HEAP_WORDS: usize = (1 << 53) / 8;

struct HeapSizes {
    sizes: [usize; HEAP_SIZE_SLOTS],
    /// Sizes in use; `sizes[len]` is valid too (BEAM drops the last size it
    /// computes below the limit from the list but still steps to it).
    len: usize,
}

/// BEAM's heap sizes: a Fibonacci-like sequence (each the sum of the two
/// before plus one, from 12 and 38, so 233 is the sixth) for 23 steps, then
/// 20% growth up to [`MAX_HEAP_WORDS`].
const fn heap_size_table() -> HeapSizes {
    let mut sizes = [0usize; HEAP_SIZE_SLOTS];
    sizes[0] = 12;
    sizes[1] = 38;
    let mut i = 2;
    while i < 23 {
        sizes[i] = sizes[i - 1] + sizes[i - 2] + 1;
        i += 1;
    }
    while i < HEAP_SIZE_SLOTS {
        let next = sizes[i - 1] + sizes[i - 1] / 5;
        if next > MAX_HEAP_WORDS {
            break;
        }
        sizes[i] = next;
        i += 1;
    }
    HeapSizes { sizes, len: i - 1 }
}

static HEAP_SIZES: HeapSizes = heap_size_table();

/// The heap sizes in use, as `erlang:system_info(heap_sizes)` lists them.
pub fn heap_sizes() -> &'static [usize] {
    &HEAP_SIZES.sizes[..HEAP_SIZES.len]
}

/// BEAM's `erts_next_heap_size`: with `offset` 0 the smallest heap size at
/// least `size`, with `offset` 1 the one after it (anything below the first
/// size gives the first size). Past the largest size, `size` itself.
pub fn next_heap_size(size: usize, offset: usize) -> usize {
    let sizes = &HEAP_SIZES.sizes[..=HEAP_SIZES.len];
    if size < sizes[0] {
        return sizes[0];
    }
    let at_least = sizes.partition_point(|&s| s < size);
    sizes.get(at_least + offset).copied().unwrap_or(size)
}

// ---- what the collector reports --------------------------------------------------

/// What a collection did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GcReport {
    pub major: bool,
    /// Words in use before minus words in use after (heap, old heap when
    /// collected, fragments).
    pub reclaimed: usize,
    /// What the collection costs in reductions (BEAM's `gc_cost`).
    pub reductions: usize,
    /// The total heap size that passed `max_heap_size` when its `kill` flag
    /// is off: the process lives on; the caller reports it.
    pub max_heap_size_reached: Option<usize>,
}

/// The process passed `max_heap_size` with `kill` set: nothing was
/// collected, and the caller kills the process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaxHeapSizeReached {
    pub total_heap_size: usize,
}

fn gc_cost(moved_live_words: usize, resize_moved_words: usize) -> usize {
    (moved_live_words / 10 + resize_moved_words / 100).max(1)
}

// ---- layouts -------------------------------------------------------------------

/// The head of a cons cell that has moved (its tail is the new list
/// pointer): a header-tagged word that no term is and no cell holds, as the
/// only header-tagged word safe code can make is `Term::NONE`; no object
/// has it as header either (a resource reference has a payload).
pub(super) const MOVED_CONS: u64 = make_header(BoxKind::ResourceRef, 0);

/// The payload words (counted after the header) of a boxed object that hold
/// terms; the others are raw data the collector and copier step over.
pub(super) fn term_words(header: u64) -> Range<usize> {
    let arity = header_arity(header);
    match header_kind(header) {
        BoxKind::Tuple => 0..arity,
        // Word 0 is the `*const FunEntry`; the creator and free variables follow.
        BoxKind::Fun => 1..arity,
        // Word 0 is the node info (kind, bitmap, size); keys, values and
        // children follow.
        BoxKind::Map => 1..arity,
        // Size, offset and bit fields, then the original binary.
        BoxKind::SubBinary => 3..4,
        // The binary matched, then offsets (see `term::binary`).
        BoxKind::MatchContext => 0..1,
        // Raw data only (the node of an external pid, port or ref is an
        // atom, an immediate).
        BoxKind::PosBig
        | BoxKind::NegBig
        | BoxKind::Ref
        | BoxKind::Float
        | BoxKind::Export
        | BoxKind::RefcBinary
        | BoxKind::HeapBinary
        | BoxKind::ExternalPid
        | BoxKind::ExternalPort
        | BoxKind::ExternalRef
        | BoxKind::ResourceRef => 0..0,
    }
}

/// Visits every term-holding word of the object (or cons cell word) at
/// `at`, and returns how many words it covers.
///
/// # Safety
/// `at` is the start of an object or a word of a cons cell in a live,
/// initialised area, with the whole object inside it.
pub(super) unsafe fn scan_object(at: *mut u64, mut visit: impl FnMut(*mut u64)) -> usize {
    let word = at.read();
    if word & PRIMARY_MASK != TAG_HEADER {
        visit(at);
        return 1;
    }
    for i in term_words(word) {
        visit(at.add(1 + i));
    }
    1 + header_arity(word)
}

// ---- the collection ----------------------------------------------------------------

/// A block a collection copies out of: its used words as addresses, and a
/// pointer to its first word to derive accesses from.
#[derive(Clone, Copy)]
struct FromSpan {
    start: usize,
    end: usize,
    base: *mut u64,
}

/// A block a collection copies into.
struct ToSpace {
    base: *mut u64,
    top: usize,
    limit: usize,
}

impl ToSpace {
    fn alloc(&mut self, words: usize) -> Option<*mut u64> {
        if self.limit - self.top < words {
            return None;
        }
        // SAFETY: `top + words <= limit`, inside the block `base` points at.
        let ptr = unsafe { self.base.add(self.top) };
        self.top += words;
        Some(ptr)
    }

    fn contains(&self, addr: usize) -> bool {
        in_words(addr, self.base, self.limit)
    }

    /// A pointer with this block's provenance to address `addr` inside it.
    fn ptr_to(&self, addr: usize) -> *mut u64 {
        debug_assert!(self.contains(addr));
        // SAFETY: `addr` lies inside the block (checked by the callers).
        unsafe { self.base.add((addr - self.base as usize) / 8) }
    }
}

/// The state of one collection.
struct Collector {
    /// Blocks being emptied, sorted by address.
    from: Vec<FromSpan>,
    /// Addresses of the young objects that survived the previous collection
    /// (minor collections only): they go to the old heap.
    mature: Range<usize>,
    young: ToSpace,
    /// Where a minor collection promotes to.
    old: Option<ToSpace>,
}

impl Collector {
    fn new(
        mut from: Vec<FromSpan>,
        mature: Range<usize>,
        young: ToSpace,
        old: Option<ToSpace>,
    ) -> Self {
        from.retain(|span| span.start < span.end);
        from.sort_by_key(|span| span.start);
        Collector {
            from,
            mature,
            young,
            old,
        }
    }

    /// A pointer to the word at `addr` if `addr` is in from-space.
    #[inline]
    fn in_from_space(&self, addr: usize) -> Option<*mut u64> {
        let after = self.from.partition_point(|span| span.start <= addr);
        let span = self.from.get(after.checked_sub(1)?)?;
        // SAFETY: `start <= addr < end`: a word of the span's block.
        (addr < span.end).then(|| unsafe { span.base.add((addr - span.start) / 8) })
    }

    /// Room for a copy of the `words` words of the object at `addr`: in the
    /// old heap if it is mature, else in the young heap. Each object is
    /// copied once, so the young to-space (as large as all of from-space)
    /// and the old heap (with room for all mature words) never run out.
    fn destination(&mut self, addr: usize, words: usize) -> *mut u64 {
        let space = match &mut self.old {
            Some(old) if self.mature.contains(&addr) => old,
            _ => &mut self.young,
        };
        space
            .alloc(words)
            .expect("to-space has room for all live data")
    }

    /// Makes the term in `slot` point at the live copy of what it points
    /// to, copying it first if this is its first referrer.
    ///
    /// # Safety
    /// `slot` holds a valid term; from-space and to-space blocks are alive.
    #[inline]
    unsafe fn evacuate(&mut self, slot: *mut u64) {
        let word = slot.read();
        let tag = word & PRIMARY_MASK;
        if tag != TAG_LIST && tag != TAG_BOXED {
            return;
        }
        let addr = (word & !PRIMARY_MASK) as usize;
        let Some(object) = self.in_from_space(addr) else {
            return;
        };
        if tag == TAG_LIST {
            if object.read() == MOVED_CONS {
                slot.write(object.add(1).read());
                return;
            }
            let copy = self.destination(addr, 2);
            std::ptr::copy_nonoverlapping(object, copy, 2);
            let moved = copy as u64 | TAG_LIST;
            object.write(MOVED_CONS);
            object.add(1).write(moved);
            slot.write(moved);
        } else {
            let header = object.read();
            if header & PRIMARY_MASK == TAG_BOXED {
                slot.write(header);
                return;
            }
            let words = 1 + header_arity(header);
            debug_assert!(addr + words * 8 <= self.span_end(addr));
            let copy = self.destination(addr, words);
            std::ptr::copy_nonoverlapping(object, copy, words);
            let moved = copy as u64 | TAG_BOXED;
            object.write(moved);
            slot.write(moved);
        }
    }

    fn span_end(&self, addr: usize) -> usize {
        let after = self.from.partition_point(|span| span.start <= addr);
        self.from[after - 1].end
    }

    /// Evacuates every term in `slots`.
    ///
    /// # Safety
    /// As [`Collector::evacuate`].
    unsafe fn evacuate_all(&mut self, slots: &mut [Term]) {
        for slot in slots {
            self.evacuate(slot as *mut Term as *mut u64);
        }
    }

    /// Scans the copies until everything they refer to is copied too. The
    /// young copies and the promoted ones are scanned in turn, since
    /// scanning either can add to both.
    ///
    /// # Safety
    /// The to-space blocks hold whole objects up to their tops.
    unsafe fn scan(&mut self, mut young_scan: usize, mut old_scan: usize) {
        loop {
            let mut progressed = false;
            while young_scan < self.young.top {
                let at = self.young.base.add(young_scan);
                young_scan += scan_object(at, |slot| self.evacuate(slot));
                progressed = true;
            }
            while let Some(old) = &self.old {
                if old_scan >= old.top {
                    break;
                }
                let at = old.base.add(old_scan);
                old_scan += scan_object(at, |slot| self.evacuate(slot));
                progressed = true;
            }
            if !progressed {
                break;
            }
        }
    }

    /// Sorts the off-heap objects (refc binaries, resource references) of
    /// `list` (all in from-space): those that
    /// moved are relinked at their copies, in `young` or `old` by where the
    /// copy is; the count of each dead one is dropped.
    ///
    /// # Safety
    /// Every member is an object in from-space, alive until the collection
    /// ends, holding its count.
    unsafe fn sweep_binaries(
        &self,
        list: &mut OffHeapList,
        young: &mut OffHeapList,
        old: &mut OffHeapList,
    ) {
        while let Some(object) = list.pop() {
            debug_assert!(self.in_from_space(object as usize).is_some());
            let header = object.read();
            if header & PRIMARY_MASK == TAG_BOXED {
                let addr = (header & !PRIMARY_MASK) as usize;
                match &self.old {
                    Some(space) if space.contains(addr) => old.push(space.ptr_to(addr)),
                    _ => young.push(self.young.ptr_to(addr)),
                }
            } else {
                release_off_heap(object);
            }
        }
    }
}

impl ProcessHeap {
    /// Collects at a safe point, minor or major as the policy says, and
    /// leaves at least `need` words free. `x` holds the live X registers and
    /// `extra` any other roots; every term in them, on the stack, and
    /// reachable from them stays valid (possibly moved: the slots are
    /// updated). Any other term into this heap is invalid afterwards.
    pub fn garbage_collect(
        &mut self,
        need: usize,
        x: &mut [Term],
        extra: &mut [&mut [Term]],
    ) -> Result<GcReport, MaxHeapSizeReached> {
        self.collect(need, x, extra, false)
    }

    /// A major collection (`erlang:garbage_collect/0`).
    pub fn garbage_collect_major(
        &mut self,
        need: usize,
        x: &mut [Term],
        extra: &mut [&mut [Term]],
    ) -> Result<GcReport, MaxHeapSizeReached> {
        self.collect(need, x, extra, true)
    }

    fn collect(
        &mut self,
        need: usize,
        x: &mut [Term],
        extra: &mut [&mut [Term]],
        force_major: bool,
    ) -> Result<GcReport, MaxHeapSizeReached> {
        let minor_wanted =
            !force_major && self.minor_gcs < self.settings.fullsweep_after && !self.need_fullsweep;
        if minor_wanted {
            if let Some(report) = self.minor_collection(need, x, extra)? {
                return Ok(report);
            }
            self.need_fullsweep = true;
        }
        self.major_collection(need, x, extra)
    }

    /// BEAM's `next_heap_size`: never below the minimum heap size.
    fn next_size(&self, size: usize, offset: usize) -> usize {
        next_heap_size(size, offset).max(self.settings.min_heap_size)
    }

    /// Words in use in the young generation: heap and fragments.
    fn young_usage(&self) -> usize {
        self.htop + self.fragment_words()
    }

    /// The blocks of the young generation: the heap and every fragment.
    fn young_from_spans(&self) -> Vec<FromSpan> {
        let mut spans = vec![span(self.young.base.as_ptr(), self.htop)];
        for fragment in &self.fragments {
            spans.extend(fragment.used_spans().map(|(base, used)| span(base, used)));
        }
        spans
    }

    /// Checks `max_heap_size` against what the collection would make the
    /// total heap size; `Err` if the process must die.
    fn check_max_heap_size(&self, total: usize) -> Result<Option<usize>, MaxHeapSizeReached> {
        let max = self.settings.max_heap_size;
        if max.size == 0 || total <= max.size {
            return Ok(None);
        }
        if max.kill {
            return Err(MaxHeapSizeReached {
                total_heap_size: total,
            });
        }
        Ok(Some(total))
    }

    /// A minor collection, or `None` (nothing done) when the old heap has
    /// no room for the survivors to promote.
    fn minor_collection(
        &mut self,
        need: usize,
        x: &mut [Term],
        extra: &mut [&mut [Term]],
    ) -> Result<Option<GcReport>, MaxHeapSizeReached> {
        let mature_words = self.high_water;
        let size_before = self.young_usage();
        let stack = self.stack_len();

        let mut total = size_before + (self.young.len - self.htop);
        match &self.old {
            None if mature_words != 0 => total += next_heap_size(size_before, 1),
            None => {}
            Some(old) => total += old.len,
        }
        total += self.next_size(stack + size_before, 0);
        let max_heap_size_reached = self.check_max_heap_size(total)?;

        if self.old.is_none() && mature_words != 0 {
            // Larger than needed, which BEAM found saves major collections.
            self.old = Some(Chunk::new(next_heap_size(size_before, 1)));
            self.old_htop = 0;
        }
        let Some(old) = &self.old else {
            return Ok(None);
        };
        if mature_words > old.len - self.old_htop {
            return Ok(None);
        }

        let new_size = self.next_size(stack + size_before, 0);
        let new_young = Chunk::new(new_size);
        let young_start = self.young.base.as_ptr() as usize;
        let mut collector = Collector::new(
            self.young_from_spans(),
            young_start..young_start + mature_words * 8,
            ToSpace {
                base: new_young.base.as_ptr(),
                top: 0,
                limit: new_size - stack,
            },
            Some(ToSpace {
                base: old.base.as_ptr(),
                top: self.old_htop,
                limit: old.len,
            }),
        );
        let old_scan = self.old_htop;
        // SAFETY: the roots hold valid terms; the stack words are terms or
        // header-tagged return addresses (left alone); from-space (the young
        // block and the fragments) and both to-spaces are alive until the
        // end of this function; the young list's members are all in
        // from-space.
        unsafe {
            self.evacuate_roots(&mut collector, x, extra);
            collector.scan(0, old_scan);
            let mut young = OffHeapList::new();
            collector.sweep_binaries(&mut self.young_binaries, &mut young, &mut self.old_binaries);
            self.young_binaries = young;
        }
        let new_old_htop = collector.old.as_ref().map_or(self.old_htop, |o| o.top);
        let promoted = new_old_htop - self.old_htop;
        let new_htop = collector.young.top;
        self.install_young(new_young, new_htop);
        self.old_htop = new_old_htop;
        self.minor_gcs += 1;

        let size_after = promoted + self.htop;
        let need_after = self.htop + need + stack;
        let heap_size = self.young.len;
        let old_size = self.old_heap_size();
        let mut resize_moved = 0;
        // Shrink an excessively large heap, but not a small one: right after
        // promotion little of it is in use.
        if heap_size > 3000
            && 4 * need_after < heap_size
            && (heap_size > 8000 || heap_size > old_size)
        {
            let mut wanted = 3 * need_after;
            // Not too small next to the old generation.
            if wanted * 9 < old_size {
                wanted = wanted.max(old_size / 8);
            }
            let wanted = if wanted < self.settings.min_heap_size {
                self.settings.min_heap_size
            } else {
                self.next_size(wanted, 0)
            };
            if wanted < heap_size {
                self.resize_young(wanted, x, extra);
                resize_moved = self.htop;
            }
        } else if need_after > heap_size {
            self.resize_young(self.next_size(need_after, 0), x, extra);
            resize_moved = self.htop;
        }
        Ok(Some(GcReport {
            major: false,
            reclaimed: size_before.saturating_sub(size_after),
            reductions: gc_cost(size_after, resize_moved),
            max_heap_size_reached,
        }))
    }

    fn major_collection(
        &mut self,
        need: usize,
        x: &mut [Term],
        extra: &mut [&mut [Term]],
    ) -> Result<GcReport, MaxHeapSizeReached> {
        let size_before = self.young_usage() + self.old_htop;
        let stack = self.stack_len();
        let mut new_size = self.next_size(stack + size_before, 0);
        if new_size == self.young.len && self.grow_at_fullsweep {
            new_size = self.next_size(self.young.len, 1);
        }
        let total = size_before
            + (self.old_heap_size() - self.old_htop)
            + (self.young.len - self.htop)
            + new_size;
        let max_heap_size_reached = self.check_max_heap_size(total)?;
        self.grow_at_fullsweep = false;
        self.need_fullsweep = false;

        let new_young = Chunk::new(new_size);
        let mut from = self.young_from_spans();
        if let Some(old) = &self.old {
            from.push(span(old.base.as_ptr(), self.old_htop));
        }
        let mut collector = Collector::new(
            from,
            0..0,
            ToSpace {
                base: new_young.base.as_ptr(),
                top: 0,
                limit: new_size - stack,
            },
            None,
        );
        // SAFETY: as in the minor collection, with the old heap part of
        // from-space too, so both binary lists' members are in from-space.
        unsafe {
            self.evacuate_roots(&mut collector, x, extra);
            collector.scan(0, 0);
            let mut young = OffHeapList::new();
            let mut unused_old = OffHeapList::new();
            collector.sweep_binaries(&mut self.young_binaries, &mut young, &mut unused_old);
            collector.sweep_binaries(&mut self.old_binaries, &mut young, &mut unused_old);
            debug_assert!(unused_old.is_empty());
            self.young_binaries = young;
        }
        let new_htop = collector.young.top;
        self.old = None;
        self.old_htop = 0;
        self.install_young(new_young, new_htop);
        self.minor_gcs = 0;

        let size_after = self.htop;
        let adjusted = self.adjust_after_fullsweep(need, x, extra);
        Ok(GcReport {
            major: true,
            reclaimed: size_before.saturating_sub(size_after),
            reductions: gc_cost(size_after, if adjusted { size_after } else { 0 }),
            max_heap_size_reached,
        })
    }

    /// Grows or shrinks the young block after a major collection, as BEAM
    /// does; true if it moved.
    fn adjust_after_fullsweep(
        &mut self,
        need: usize,
        x: &mut [Term],
        extra: &mut [&mut [Term]],
    ) -> bool {
        let need_after = self.htop + need + self.stack_len();
        let heap_size = self.young.len;
        if heap_size < need_after {
            self.resize_young(self.next_size(need_after, 0), x, extra);
            true
        } else if 3 * heap_size < 4 * need_after {
            // Over 75% in use: grow at the next major collection.
            self.grow_at_fullsweep = true;
            false
        } else if 4 * need_after < heap_size
            && heap_size > super::process_heap::DEFAULT_MIN_HEAP_SIZE
        {
            // Under 25% in use: shrink.
            let wanted = 2 * need_after;
            let size = if wanted < self.settings.min_heap_size {
                self.settings.min_heap_size
            } else {
                self.next_size(wanted, 0)
            };
            if size < heap_size {
                self.resize_young(size, x, extra);
                return true;
            }
            false
        } else {
            false
        }
    }

    /// Evacuates the roots: X registers, extra slices and stack words.
    ///
    /// # Safety
    /// As [`Collector::evacuate`]; the stack lies in the current young block.
    unsafe fn evacuate_roots(
        &self,
        collector: &mut Collector,
        x: &mut [Term],
        extra: &mut [&mut [Term]],
    ) {
        collector.evacuate_all(x);
        for slice in extra.iter_mut() {
            collector.evacuate_all(slice);
        }
        let base = self.young.base.as_ptr();
        for i in self.stop..self.young.len {
            collector.evacuate(base.add(i));
        }
    }

    /// Makes `block` (holding `htop` words of copies) the young block: the
    /// stack moves to its end, fragments are freed, everything in it counts
    /// as having survived.
    fn install_young(&mut self, block: Chunk, htop: usize) {
        let stack = self.stack_len();
        let new_stop = block.len - stack;
        // SAFETY: the stack's `stack` words at `stop` in the current block
        // go to the last `stack` words of the new one, which the copying
        // left free (its to-space ended at `len - stack`); distinct blocks.
        unsafe {
            std::ptr::copy_nonoverlapping(
                self.young.base.as_ptr().add(self.stop),
                block.base.as_ptr().add(new_stop),
                stack,
            );
        }
        self.young = block;
        self.htop = htop;
        self.stop = new_stop;
        self.high_water = htop;
        self.fragments.clear();
    }

    /// Moves the young heap and the stack to a block of `new_size` words and
    /// fixes every pointer into it: in the heap itself, the stack, the roots
    /// and the young binary list (the old heap never points into it).
    fn resize_young(&mut self, new_size: usize, x: &mut [Term], extra: &mut [&mut [Term]]) {
        let stack = self.stack_len();
        debug_assert!(self.htop + stack <= new_size);
        let block = Chunk::new(new_size);
        let from = self.young.base.as_ptr();
        let to = block.base.as_ptr();
        let from_start = from as usize;
        let from_end = from_start + self.htop * 8;
        let to_start = to as usize;
        let relocate = |slot: *mut u64| {
            // SAFETY: `slot` is a term word of a live area (the callers
            // below pass only such words).
            unsafe {
                let word = slot.read();
                let tag = word & PRIMARY_MASK;
                let addr = (word & !PRIMARY_MASK) as usize;
                if (tag == TAG_LIST || tag == TAG_BOXED) && addr >= from_start && addr < from_end {
                    slot.write((to_start + (addr - from_start)) as u64 | tag);
                }
            }
        };
        // SAFETY: the heap's `htop` words and the stack's words are copied
        // into the new block (distinct from the old one), then every term
        // word is visited: the new heap walked object by object (it holds
        // whole objects up to `htop`), the stack words and the roots. The young list's
        // members all lie in the old block below `htop` (a collection just
        // relinked them there), so their copies are at the same offsets.
        unsafe {
            std::ptr::copy_nonoverlapping(from, to, self.htop);
            std::ptr::copy_nonoverlapping(from.add(self.stop), to.add(new_size - stack), stack);
            let mut at = 0;
            while at < self.htop {
                at += scan_object(to.add(at), relocate);
            }
            for i in new_size - stack..new_size {
                relocate(to.add(i));
            }
            for slot in x
                .iter_mut()
                .chain(extra.iter_mut().flat_map(|s| s.iter_mut()))
            {
                relocate(slot as *mut Term as *mut u64);
            }
            let mut moved = OffHeapList::new();
            while let Some(object) = self.young_binaries.pop() {
                debug_assert!(in_words(object as usize, from, self.htop));
                moved.push(to.offset(object.offset_from(from)));
            }
            self.young_binaries = moved;
        }
        self.young = block;
        self.stop = new_size - stack;
    }
}

fn span(base: *mut u64, words: usize) -> FromSpan {
    FromSpan {
        start: base as usize,
        end: base as usize + words * 8,
        base,
    }
}

/// Helpers for the heap tests: a term generator, structural equality and a
/// heap checker.
#[cfg(test)]
pub(super) mod testing {
    use std::sync::Arc;

    use super::super::process_heap::{in_words, OffHeapList, ProcessHeap, REFC_NEXT_WORD};
    use super::super::{BinaryBuf, LiteralArea, Resource, TermAlloc};
    use super::{scan_object, MOVED_CONS};
    use crate::code::{export_entry, fun_entry, Export, FunEntry};
    use crate::term::build;
    use crate::term::{
        atoms, header_kind, make_header, Atom, BoxKind, LocalPid, Term, View, PRIMARY_MASK,
        TAG_BOXED, TAG_HEADER, TAG_LIST,
    };

    /// xorshift64*: deterministic, so a structure can be built twice.
    pub struct Rng(u64);

    impl Rng {
        pub fn new(seed: u64) -> Rng {
            Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
        }

        pub fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        pub fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// A flat map laid out as `map.rs` lays one out: an info word (raw; here
    /// any value), the keys tuple, then the values.
    pub fn flat_map(area: &mut impl TermAlloc, info: u64, keys: &[Term], values: &[Term]) -> Term {
        assert_eq!(keys.len(), values.len());
        let keys_tuple = build::tuple(area, keys);
        let arity = 2 + values.len();
        let ptr = area.alloc_words(1 + arity);
        // SAFETY: `1 + arity` fresh words, all written before the term is made.
        unsafe {
            ptr.write(make_header(BoxKind::Map, arity));
            ptr.add(1).write(info);
            ptr.add(2).write(keys_tuple.raw());
            for (i, v) in values.iter().enumerate() {
                ptr.add(3 + i).write(v.raw());
            }
            Term::from_boxed_ptr(ptr)
        }
    }

    /// Builds random terms of every kind, sharing subterms through a pool.
    /// The same seed builds the same structure in any area.
    pub struct Generator {
        pub rng: Rng,
        pub binaries: Vec<Arc<BinaryBuf>>,
        resource: Arc<Resource>,
        fun: &'static FunEntry,
        export: &'static Export,
        /// A term in a literal area that generated terms may point to.
        pub literal: Option<Term>,
    }

    impl Generator {
        pub fn new(seed: u64, binaries: &[Arc<BinaryBuf>], literal: Option<Term>) -> Generator {
            let m = Atom::intern("gc_test_module").unwrap();
            Generator {
                rng: Rng::new(seed),
                binaries: binaries.to_vec(),
                resource: Resource::new(()),
                fun: fun_entry(m, 3, [7; 16], 3, 12345, 2),
                export: export_entry(m, Atom::intern("f").unwrap(), 1),
                literal,
            }
        }

        pub fn term(
            &mut self,
            area: &mut impl TermAlloc,
            depth: u32,
            pool: &mut Vec<Term>,
        ) -> Term {
            let kinds = if depth == 0 { 10 } else { 21 };
            let t = match self.rng.below(kinds) {
                0 => Term::small(self.rng.below(1 << 40) as i64 - (1 << 39)),
                1 => Term::atom(atoms::OK),
                2 => Term::NIL,
                3 => build::pid(area, atoms::NONODE, self.rng.below(1000) as u32, 0, 0),
                4 => build::float(area, self.rng.next() as f64 / 7.0),
                5 => {
                    let limbs: Vec<u64> = (0..1 + self.rng.below(3))
                        .map(|_| self.rng.next() | 1 << 63)
                        .collect();
                    build::big_from_limbs(area, self.rng.below(2) == 0, &limbs)
                }
                6 => {
                    let bytes: Vec<u8> = (0..self.rng.below(70))
                        .map(|_| self.rng.next() as u8)
                        .collect();
                    build::binary(area, &bytes)
                }
                7 => {
                    let ids: Vec<u32> = (0..3).map(|_| self.rng.next() as u32).collect();
                    build::reference(area, atoms::NONODE, 0, &ids)
                }
                8 => self.literal.unwrap_or(Term::small(8)),
                9 => match pool.len() {
                    0 => Term::small(9),
                    n => pool[self.rng.below(n as u64) as usize],
                },
                10 | 11 => {
                    let n = self.rng.below(5) as usize;
                    let elems: Vec<Term> =
                        (0..n).map(|_| self.term(area, depth - 1, pool)).collect();
                    build::tuple(area, &elems)
                }
                12 | 13 => {
                    let n = self.rng.below(6) as usize;
                    let elems: Vec<Term> =
                        (0..n).map(|_| self.term(area, depth - 1, pool)).collect();
                    let tail = if self.rng.below(4) == 0 {
                        self.term(area, depth - 1, pool)
                    } else {
                        Term::NIL
                    };
                    build::list_with_tail(area, &elems, tail)
                }
                14 => {
                    let i = self.rng.below(self.binaries.len() as u64) as usize;
                    build::refc_binary(area, self.binaries[i].clone())
                }
                15 => {
                    let original = if self.rng.below(2) == 0 {
                        let i = self.rng.below(self.binaries.len() as u64) as usize;
                        build::refc_binary(area, self.binaries[i].clone())
                    } else {
                        build::binary(area, &[1, 2, 3, 4, 5, 6, 7, 8, 9])
                    };
                    let bit_offset = self.rng.below(8) as u8;
                    build::sub_binary(area, original, 1, 3, self.rng.below(8) as u8, bit_offset)
                }
                16 => {
                    let n = self.rng.below(3) as usize;
                    let free: Vec<Term> =
                        (0..n).map(|_| self.term(area, depth - 1, pool)).collect();
                    let creator = Term::local_pid(crate::term::LocalPid {
                        number: 5,
                        serial: 0,
                    });
                    build::closure(area, self.fun, creator, &free)
                }
                17 => match self.rng.below(5) {
                    0 => build::export_fun(area, self.export),
                    1 => build::pid(area, Atom::intern("a@b").unwrap(), 7, 8, 9),
                    2 => build::port(area, Atom::intern("a@b").unwrap(), 77, 3),
                    3 => build::resource_ref(area, &[3, 2, 1], self.resource.clone()),
                    _ => build::reference(area, Atom::intern("a@b").unwrap(), 4, &[1, 2, 3, 4, 5]),
                },
                18 => {
                    let n = self.rng.below(4) as usize;
                    let keys: Vec<Term> = (0..n).map(|i| Term::small(i as i64)).collect();
                    let values: Vec<Term> =
                        (0..n).map(|_| self.term(area, depth - 1, pool)).collect();
                    let info = self.rng.next();
                    flat_map(area, info, &keys, &values)
                }
                19 => {
                    let n = self.rng.below(30) as usize;
                    let head = self.term(area, depth - 1, pool);
                    (0..n).fold(Term::NIL, |acc, _| build::cons(area, head, acc))
                }
                _ => {
                    // A subterm shared by two referrers within one object.
                    let shared = self.term(area, depth - 1, pool);
                    build::tuple(area, &[shared, shared])
                }
            };
            if !t.is_immediate() && self.rng.below(3) == 0 {
                pool.push(t);
            }
            t
        }
    }

    pub fn binaries(n: usize) -> Vec<Arc<BinaryBuf>> {
        (0..n)
            .map(|i| BinaryBuf::new(vec![i as u8; 100 + i].into()))
            .collect()
    }

    /// Does `addr` lie in the literal area?
    pub fn in_area(area: &LiteralArea) -> impl Fn(usize) -> bool + '_ {
        move |addr| {
            area.chunks
                .iter()
                .any(|c| in_words(addr, c.base.as_ptr(), c.len))
        }
    }

    /// One term of every kind (in a list), the same in any area.
    pub fn every_kind(area: &mut impl TermAlloc, bins: &[Arc<BinaryBuf>], literal: Term) -> Term {
        let m = Atom::intern("gc_test_module").unwrap();
        let node = Atom::intern("a@b").unwrap();
        let fun = crate::code::fun_entry(m, 1, [3; 16], 1, 99, 0);
        let creator = Term::local_pid(LocalPid {
            number: 1,
            serial: 2,
        });
        let heap_bin = build::binary(area, b"a heap binary");
        let refc = build::refc_binary(area, bins[0].clone());
        let elems = [
            Term::small(-42),
            Term::atom(atoms::OK),
            Term::NIL,
            creator,
            Term::local_port(9),
            build::float(area, 1.5),
            build::int(area, i64::MIN),
            build::big_from_limbs(area, false, &[1, 2, 3]),
            build::tuple(area, &[]),
            build::tuple(area, &[Term::small(1), Term::NIL]),
            build::list_with_tail(area, &[Term::small(1)], Term::small(2)),
            heap_bin,
            refc,
            build::sub_binary(area, heap_bin, 2, 3, 4, 5),
            build::sub_binary(area, refc, 10, 20, 0, 0),
            build::bitstring(area, &[0xAB, 0xC0], 11),
            build::export_fun(area, crate::code::export_entry(m, m, 3)),
            build::closure(area, fun, creator, &[heap_bin, Term::small(7)]),
            build::reference(area, atoms::NONODE, 0, &[1, 2, 3]),
            build::reference(area, node, 5, &[4, 5, 6, 7, 8]),
            build::resource_ref(area, &[7, 8, 9], Resource::new(0u8)),
            build::pid(area, node, 1, 2, 3),
            build::port(area, node, 4, 5),
            flat_map(area, 0x1234_5678_9ABC_DEF1, &[Term::small(1)], &[refc]),
            literal,
        ];
        build::list(area, &elems)
    }

    /// Structural equality, word for word where words are raw data; no
    /// recursion.
    pub fn same(a: Term, b: Term) -> bool {
        let mut pending = vec![(a, b)];
        while let Some((a, b)) = pending.pop() {
            if a.raw() == b.raw() {
                continue;
            }
            let equal = match (a.view(), b.view()) {
                (View::Cons(h1, t1), View::Cons(h2, t2)) => {
                    pending.push((h1, h2));
                    pending.push((t1, t2));
                    true
                }
                (View::Tuple(x), View::Tuple(y)) => {
                    pending.extend(x.iter().copied().zip(y.iter().copied()));
                    x.len() == y.len()
                }
                (View::Float(x), View::Float(y)) => x.to_bits() == y.to_bits(),
                (
                    View::Big {
                        negative: n1,
                        limbs: l1,
                    },
                    View::Big {
                        negative: n2,
                        limbs: l2,
                    },
                ) => n1 == n2 && l1 == l2,
                (View::Bitstring(x), View::Bitstring(y)) => {
                    x.bit_len == y.bit_len && x.to_padded_vec() == y.to_padded_vec()
                }
                (View::Map(x), View::Map(y)) => {
                    let terms = |w: &[u64]| -> Vec<Term> {
                        // SAFETY: map payload words after the info word are terms.
                        w[1..]
                            .iter()
                            .map(|&t| unsafe { Term::from_raw(t) })
                            .collect()
                    };
                    pending.extend(terms(x.words).into_iter().zip(terms(y.words)));
                    x.words.len() == y.words.len() && x.words[0] == y.words[0]
                }
                (View::Fun(x), View::Fun(y)) => {
                    pending.push((x.creator, y.creator));
                    pending.extend(x.free.iter().copied().zip(y.free.iter().copied()));
                    std::ptr::eq(x.entry, y.entry) && x.free.len() == y.free.len()
                }
                (View::Export(x), View::Export(y)) => std::ptr::eq(x, y),
                (View::Ref(x), View::Ref(y)) => {
                    x.node == y.node && x.creation == y.creation && x.ids().eq(y.ids())
                }
                (
                    View::ExternalPid {
                        node: n1,
                        number: a1,
                        serial: s1,
                        creation: c1,
                    },
                    View::ExternalPid {
                        node: n2,
                        number: a2,
                        serial: s2,
                        creation: c2,
                    },
                ) => (n1, a1, s1, c1) == (n2, a2, s2, c2),
                (
                    View::ExternalPort {
                        node: n1,
                        number: a1,
                        creation: c1,
                    },
                    View::ExternalPort {
                        node: n2,
                        number: a2,
                        creation: c2,
                    },
                ) => (n1, a1, c1) == (n2, a2, c2),
                _ => false,
            };
            if !equal {
                return false;
            }
        }
        true
    }

    /// The members of an off-heap list, in order, without changing it.
    pub fn list_members(list: &OffHeapList) -> Vec<*mut u64> {
        let mut members = Vec::new();
        let mut at = list.head;
        while !at.is_null() {
            members.push(at);
            // SAFETY: members of a live heap's list are live objects.
            at = unsafe { at.add(REFC_NEXT_WORD).read() } as *mut u64;
        }
        members
    }

    /// The refc binary objects in the `used` words at `base`, checking on
    /// the way that every pointer in them points into `heap` or satisfies
    /// `elsewhere` (literals), and that no forwarding marker is left.
    fn check_area(
        heap: &ProcessHeap,
        base: *mut u64,
        used: usize,
        elsewhere: &impl Fn(usize) -> bool,
        young_allowed: bool,
    ) -> Vec<*mut u64> {
        let young_start = heap.young.base.as_ptr();
        let mut refc = Vec::new();
        let mut at = 0;
        while at < used {
            // SAFETY: `base` holds whole objects up to `used`.
            unsafe {
                let p = base.add(at);
                let word = p.read();
                if word & PRIMARY_MASK == TAG_HEADER {
                    assert_ne!(word, MOVED_CONS, "forwarding marker left in a heap");
                    if matches!(
                        header_kind(word),
                        BoxKind::RefcBinary | BoxKind::ResourceRef
                    ) {
                        refc.push(p);
                    }
                }
                at += scan_object(p, |slot| {
                    let w = slot.read();
                    let tag = w & PRIMARY_MASK;
                    if tag == TAG_LIST || tag == TAG_BOXED {
                        let addr = (w & !PRIMARY_MASK) as usize;
                        let in_young = in_words(addr, young_start, heap.htop);
                        assert!(
                            young_allowed || !in_young,
                            "old heap points into young heap"
                        );
                        assert!(
                            heap.contains(addr) || elsewhere(addr),
                            "pointer {addr:#x} to nowhere"
                        );
                        if tag == TAG_LIST {
                            assert_ne!((addr as *const u64).read(), MOVED_CONS);
                        } else {
                            assert_eq!((addr as *const u64).read() & PRIMARY_MASK, TAG_HEADER);
                        }
                    }
                });
            }
        }
        refc
    }

    /// Checks a heap right after a collection: no fragments, every pointer
    /// into the heap or a literal, no old-to-young pointer, and the binary
    /// lists holding exactly the refc binaries of their generation.
    pub fn check_heap(heap: &ProcessHeap, literal: &impl Fn(usize) -> bool) {
        assert!(heap.fragments.is_empty());
        let young = check_area(heap, heap.young.base.as_ptr(), heap.htop, literal, true);
        let mut listed = list_members(&heap.young_binaries);
        listed.sort();
        assert_eq!(listed, young);
        let old = match &heap.old {
            Some(old) => check_area(heap, old.base.as_ptr(), heap.old_htop, literal, false),
            None => Vec::new(),
        };
        let mut listed = list_members(&heap.old_binaries);
        listed.sort();
        assert_eq!(listed, old);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::{BinaryBuf, HeapFragment, LiteralArea, Resource};
    use super::testing::{
        binaries, check_heap, every_kind, flat_map, in_area, same, Generator, Rng,
    };
    use super::*;
    use crate::heap::{GcSettings, MaxHeapSize};
    use crate::term::{atoms, build, Atom, View};

    #[test]
    fn heap_sizes_are_erls() {
        // erl: erlang:system_info(heap_sizes), first 24 of 137 and the last.
        let erl = [
            12, 38, 51, 90, 142, 233, 376, 610, 987, 1598, 2586, 4185, 6772, 10958, 17731, 28690,
            46422, 75113, 121536, 196650, 318187, 514838, 833026, 999631,
        ];
        let sizes = heap_sizes();
        assert_eq!(sizes.len(), 137);
        assert_eq!(&sizes[..erl.len()], &erl);
        assert_eq!(sizes[136], 885767171276247);
        assert_eq!(next_heap_size(0, 0), 12);
        assert_eq!(next_heap_size(0, 1), 12);
        assert_eq!(next_heap_size(233, 0), 233);
        assert_eq!(next_heap_size(233, 1), 376);
        assert_eq!(next_heap_size(234, 0), 376);
        assert_eq!(next_heap_size(234, 1), 610);
        // erl: process_flag(min_heap_size, 1000) makes min_heap_size 1598.
        assert_eq!(next_heap_size(1000, 0), 1598);
    }

    #[test]
    fn new_heaps_have_erls_sizes() {
        // erl: a fresh process has heap_size 233; spawn_opt with
        // {min_heap_size, 1000} gives min_heap_size and heap_size 1598.
        assert_eq!(ProcessHeap::new().heap_size(), 233);
        let heap = ProcessHeap::with_settings(GcSettings {
            min_heap_size: 1000,
            ..GcSettings::default()
        });
        assert_eq!(heap.settings().min_heap_size, 1598);
        assert_eq!(heap.heap_size(), 1598);
    }

    #[test]
    fn every_kind_survives_minor_and_major_collections() {
        let bins = binaries(1);
        let mut lits = LiteralArea::new();
        let literal = build::tuple(&mut lits, &[Term::small(1), Term::atom(atoms::TRUE)]);
        let mut reference = LiteralArea::new();
        let expected = every_kind(&mut reference, &bins, literal);
        let mut heap = ProcessHeap::new();
        let mut x = [every_kind(&mut heap, &bins, literal), Term::small(3)];
        for round in 0..6 {
            let report = if round == 4 {
                heap.garbage_collect_major(0, &mut x, &mut []).unwrap()
            } else {
                heap.garbage_collect(0, &mut x, &mut []).unwrap()
            };
            // The first collection is major (there is no old heap yet), the
            // next one promotes everything, and so on.
            assert_eq!(report.major, round == 0 || round == 4, "round {round}");
            check_heap(&heap, &in_area(&lits));
            assert!(same(x[0], expected), "round {round}");
            assert_eq!(x[1], Term::small(3));
            // The literal was left where it is.
            let items = x[0].list_to_vec().unwrap();
            assert_eq!(items.last().unwrap().raw(), literal.raw());
        }
        assert!(heap.old_heap_used() == 0 || heap.heap_used() == 0);
    }

    #[test]
    fn stack_words_are_roots_and_return_addresses_stay() {
        let mut heap = ProcessHeap::new();
        let mut reference = LiteralArea::new();
        let expected = build::list(&mut reference, &[Term::small(1), Term::small(2)]);
        let t = build::list(&mut heap, &[Term::small(1), Term::small(2)]);
        let garbage = build::tuple(&mut heap, &[Term::small(0); 20]);
        assert!(heap.push_frame(4));
        heap.set_return_address(0, 0x7f00_1000);
        heap.set_y(1, t);
        heap.set_y(2, Term::catch(17));
        heap.set_y(3, garbage);
        assert!(heap.push_frame(1));
        heap.set_y(0, t);
        assert_eq!(heap.y(1), Term::NONE, "a return address reads as NONE");
        let used_before = heap.heap_used();
        heap.pop_frame(1);
        heap.set_y(3, Term::NIL);
        heap.garbage_collect_major(0, &mut [], &mut []).unwrap();
        check_heap(&heap, &|_| false);
        assert_eq!(heap.stack_len(), 4);
        assert_eq!(heap.stack_word(0), 0x7f00_1000);
        assert!(same(heap.y(1), expected));
        assert_eq!(heap.y(2), Term::catch(17));
        assert_eq!(heap.y(3), Term::NIL);
        assert_eq!(heap.heap_used(), 4, "only the list survived");
        assert!(used_before > 4);
    }

    #[test]
    fn extra_roots_and_shared_subterms() {
        let mut heap = ProcessHeap::new();
        let shared = build::tuple(&mut heap, &(1..=10).map(Term::small).collect::<Vec<_>>());
        // erl: M = [T,T] with T = list_to_tuple(lists:seq(1,10)):
        // erts_debug:size(M) is 15, erts_debug:flat_size(M) 26.
        let m = build::list(&mut heap, &[shared, shared]);
        assert_eq!(crate::heap::size_of_term(m), 26);
        let mut dictionary = vec![Term::small(0), m];
        let mut extra = [dictionary.as_mut_slice()];
        heap.garbage_collect_major(0, &mut [], &mut extra).unwrap();
        check_heap(&heap, &|_| false);
        assert_eq!(heap.heap_used(), 15);
        let items = dictionary[1].list_to_vec().unwrap();
        assert_eq!(items[0].raw(), items[1].raw(), "still one tuple");
        assert_eq!(items[0].as_tuple().unwrap()[9], Term::small(10));
    }

    #[test]
    fn fragments_are_merged() {
        let bins = binaries(2);
        let mut heap = ProcessHeap::new();
        // Fill the heap, so the next objects go to fragments.
        while heap.free_words() > 0 {
            build::cons(&mut heap, Term::NIL, Term::NIL);
            if heap.free_words() == 1 {
                build::tuple(&mut heap, &[]);
            }
        }
        let mut reference = LiteralArea::new();
        let mut gen = Generator::new(11, &bins, None);
        let expected = gen.term(&mut reference, 4, &mut Vec::new());
        let mut gen = Generator::new(11, &bins, None);
        let mut x = [gen.term(&mut heap, 4, &mut Vec::new())];
        let big = build::tuple(&mut heap, &[Term::small(5); 1000]);
        assert!(heap.fragment_words() > 1000);
        let mut extra = [big];
        heap.garbage_collect(0, &mut x, &mut [&mut extra]).unwrap();
        assert_eq!(heap.fragment_words(), 0);
        check_heap(&heap, &|_| false);
        assert!(same(x[0], expected));
        assert_eq!(extra[0].as_tuple().unwrap().len(), 1000);
    }

    #[test]
    fn attached_message_fragments_are_merged() {
        let bins = binaries(3);
        let mut sender = LiteralArea::new();
        let mut gen = Generator::new(5, &bins, None);
        let message = gen.term(&mut sender, 4, &mut Vec::new());
        let size = crate::heap::size_of_term(message);
        let mut fragment = HeapFragment::with_capacity(size);
        let copied = crate::heap::copy_term(message, &mut fragment);
        assert_eq!(fragment.words_used(), size);
        let mut heap = ProcessHeap::new();
        heap.attach_fragment(fragment);
        let mut x = [copied];
        heap.garbage_collect(0, &mut x, &mut []).unwrap();
        check_heap(&heap, &|_| false);
        assert!(same(x[0], message));
    }

    #[test]
    fn dead_refc_binaries_are_released() {
        let buf = BinaryBuf::new(vec![7u8; 200].into());
        let kept = BinaryBuf::new(vec![8u8; 200].into());
        let mut heap = ProcessHeap::new();
        build::refc_binary(&mut heap, buf.clone());
        build::refc_binary(&mut heap, buf.clone());
        let mut x = [build::refc_binary(&mut heap, kept.clone())];
        assert_eq!(Arc::strong_count(&buf), 3);
        heap.garbage_collect(0, &mut x, &mut []).unwrap();
        assert_eq!(Arc::strong_count(&buf), 1, "both dead copies released");
        assert_eq!(Arc::strong_count(&kept), 2);
        // Promote it with a minor collection; it stays alive in the old heap.
        let report = heap.garbage_collect(0, &mut x, &mut []).unwrap();
        assert!(!report.major);
        assert!(heap.old_heap_used() > 0 && heap.heap_used() == 0);
        check_heap(&heap, &|_| false);
        assert_eq!(Arc::strong_count(&kept), 2);
        // Dead in the old heap: minor collections leave it, a major one frees it.
        x[0] = Term::NIL;
        heap.garbage_collect(0, &mut x, &mut []).unwrap();
        assert_eq!(Arc::strong_count(&kept), 2);
        heap.garbage_collect_major(0, &mut x, &mut []).unwrap();
        assert_eq!(Arc::strong_count(&kept), 1);
        // A heap dropped with live binaries releases them.
        x[0] = build::refc_binary(&mut heap, kept.clone());
        heap.garbage_collect(0, &mut x, &mut []).unwrap();
        heap.garbage_collect(0, &mut x, &mut []).unwrap();
        build::refc_binary(&mut heap, kept.clone());
        assert_eq!(Arc::strong_count(&kept), 3);
        drop(heap);
        assert_eq!(Arc::strong_count(&kept), 1);
    }

    /// A resource whose drop is observable.
    struct Tracked(Arc<()>);

    #[test]
    fn dead_resource_refs_are_released() {
        let witness = Arc::new(());
        let resource = Resource::new(Tracked(witness.clone()));
        let mut heap = ProcessHeap::new();
        build::resource_ref(&mut heap, &[1, 2, 3], resource.clone());
        let r = build::resource_ref(&mut heap, &[4, 5, 6], resource.clone());
        let mut x = [build::tuple(&mut heap, &[r, Term::small(1)])];
        assert_eq!(Arc::strong_count(&resource), 3);
        heap.garbage_collect(0, &mut x, &mut []).unwrap();
        check_heap(&heap, &|_| false);
        assert_eq!(Arc::strong_count(&resource), 2, "the dead one released");
        let r = x[0].as_tuple().unwrap()[0];
        let View::Ref(id) = r.view() else {
            panic!("a resource reference views as a reference")
        };
        assert_eq!(id.ids().collect::<Vec<_>>(), [4, 5, 6]);
        let held = r.resource().unwrap();
        let tracked = held.downcast_ref::<Tracked>().unwrap();
        assert!(Arc::ptr_eq(&tracked.0, &witness));
        drop(held);
        assert!(r.resource().unwrap().downcast_ref::<u32>().is_none());
        assert!(Term::small(1).resource().is_none());
        // Promoted by a minor collection, freed by a major one once dead.
        heap.garbage_collect(0, &mut x, &mut []).unwrap();
        assert!(heap.old_heap_used() > 0);
        check_heap(&heap, &|_| false);
        x[0] = Term::NIL;
        heap.garbage_collect(0, &mut x, &mut []).unwrap();
        assert_eq!(Arc::strong_count(&resource), 2);
        heap.garbage_collect_major(0, &mut x, &mut []).unwrap();
        assert_eq!(Arc::strong_count(&resource), 1);
        drop(resource);
        assert_eq!(Arc::strong_count(&witness), 1, "the object itself dropped");
    }

    #[test]
    fn copies_of_resource_refs_hold_their_own_counts() {
        let resource = Resource::new(7u64);
        let mut heap = ProcessHeap::new();
        let r = build::resource_ref(&mut heap, &[9, 8, 7], resource.clone());
        let t = build::tuple(&mut heap, &[r, r]);
        // A message in a fragment, then a literal-area copy.
        let fragment_copy = {
            let mut fragment = HeapFragment::new();
            let c = crate::heap::copy_term(t, &mut fragment);
            assert_eq!(Arc::strong_count(&resource), 4, "sharing is not kept");
            assert!(same(c, t));
            fragment
        };
        let mut area = LiteralArea::new();
        crate::heap::copy_term(t, &mut area);
        assert_eq!(Arc::strong_count(&resource), 6);
        drop(fragment_copy);
        drop(area);
        assert_eq!(Arc::strong_count(&resource), 2);
        // A fragment chained to the heap hands its objects to the heap.
        let mut fragment = HeapFragment::new();
        let moved = build::resource_ref(&mut fragment, &[1, 1, 1], resource.clone());
        heap.attach_fragment(fragment);
        let mut x = [moved];
        heap.garbage_collect(0, &mut x, &mut []).unwrap();
        check_heap(&heap, &|_| false);
        assert_eq!(Arc::strong_count(&resource), 2, "the first one died");
        assert_eq!(*x[0].resource().unwrap().downcast_ref::<u64>().unwrap(), 7);
        drop(heap);
        assert_eq!(Arc::strong_count(&resource), 1);
    }

    #[test]
    fn raw_payload_words_are_not_scanned() {
        // Raw words that look like pointers to live heap objects must come
        // through a collection unchanged.
        let mut heap = ProcessHeap::new();
        let target = build::list(&mut heap, &[Term::small(1)]);
        let boxed_target = build::tuple(&mut heap, &[Term::small(2)]);
        let fake = [target.raw(), boxed_target.raw()];
        let m = Atom::intern("gc_test_module").unwrap();
        let objects = [
            build::big_from_limbs(&mut heap, false, &fake),
            build::float(&mut heap, f64::from_bits(fake[1])),
            flat_map(&mut heap, fake[0], &[], &[]),
            build::pid(
                &mut heap,
                atoms::NONODE,
                fake[1] as u32,
                (fake[1] >> 32) as u32,
                1,
            ),
            build::closure(
                &mut heap,
                crate::code::fun_entry(m, 0, [0; 16], 0, 0, 0),
                target,
                &[],
            ),
        ];
        let raw_words: Vec<Vec<u64>> = objects
            .iter()
            .map(|t| match t.view() {
                View::Big { limbs, .. } => limbs.to_vec(),
                View::Float(f) => vec![f.to_bits()],
                View::Map(r) => vec![r.words[0]],
                View::ExternalPid { number, serial, .. } => {
                    vec![number as u64 | (serial as u64) << 32]
                }
                View::Fun(f) => vec![f.entry as *const _ as u64],
                _ => unreachable!(),
            })
            .collect();
        let mut x = objects.to_vec();
        x.push(target);
        heap.garbage_collect_major(0, &mut x, &mut []).unwrap();
        check_heap(&heap, &|_| false);
        assert_eq!(
            raw_words[0],
            match x[0].view() {
                View::Big { limbs, .. } => limbs.to_vec(),
                _ => unreachable!(),
            }
        );
        assert_eq!(raw_words[1][0], x[1].as_float().unwrap().to_bits());
        let View::Map(map) = x[2].view() else {
            unreachable!()
        };
        assert_eq!(raw_words[2][0], map.words[0]);
        let View::ExternalPid { number, serial, .. } = x[3].view() else {
            unreachable!()
        };
        assert_eq!(raw_words[3][0], number as u64 | (serial as u64) << 32);
        let View::Fun(fun) = x[4].view() else {
            unreachable!()
        };
        assert_eq!(raw_words[4][0], fun.entry as *const _ as u64);
        assert_eq!(
            fun.creator.raw(),
            x[5].raw(),
            "the creator is a term and moved"
        );
    }

    #[test]
    fn generations_follow_fullsweep_after() {
        let mut heap = ProcessHeap::with_settings(GcSettings {
            fullsweep_after: 2,
            ..GcSettings::default()
        });
        let mut x = [build::list(&mut heap, &[Term::small(1), Term::small(2)])];
        let majors: Vec<bool> = (0..7)
            .map(|_| {
                x[0] = build::cons(&mut heap, Term::small(0), x[0]);
                heap.garbage_collect(0, &mut x, &mut []).unwrap().major
            })
            .collect();
        // No old heap at first: major; then two minors, then a major...
        assert_eq!(majors, [true, false, false, true, false, false, true]);
        assert_eq!(x[0].list_to_vec().unwrap().len(), 9);

        heap.set_fullsweep_after(0);
        assert!(heap.garbage_collect(0, &mut x, &mut []).unwrap().major);
        assert!(heap.garbage_collect(0, &mut x, &mut []).unwrap().major);
        assert_eq!(heap.old_heap_size(), 0);
    }

    #[test]
    fn minor_collections_promote_only_survivors_of_one_collection() {
        let mut heap = ProcessHeap::new();
        let mut x = [build::tuple(&mut heap, &[Term::small(1)]), Term::NIL];
        heap.garbage_collect(0, &mut x, &mut []).unwrap();
        // The tuple survived once; a new list has not.
        x[1] = build::list(&mut heap, &[Term::small(2)]);
        let report = heap.garbage_collect(0, &mut x, &mut []).unwrap();
        assert!(!report.major);
        assert_eq!(heap.old_heap_used(), 2, "the tuple was promoted");
        assert_eq!(heap.heap_used(), 2, "the list stayed young");
        check_heap(&heap, &|_| false);
        assert_eq!(x[0].as_tuple().unwrap(), &[Term::small(1)]);
        assert_eq!(x[1].list_to_vec().unwrap(), vec![Term::small(2)]);
    }

    #[test]
    fn heaps_grow_for_need_and_shrink_when_mostly_empty() {
        let mut heap = ProcessHeap::new();
        heap.garbage_collect(10_000, &mut [], &mut []).unwrap();
        assert!(heap.free_words() >= 10_000);
        assert_eq!(heap.heap_size(), next_heap_size(10_000, 0));
        let n = if cfg!(miri) { 5_000 } else { 20_000 };
        let list = |heap: &mut ProcessHeap| build::list(heap, &vec![Term::small(3); n]);
        let mut x = [list(&mut heap)];
        heap.garbage_collect(0, &mut x, &mut []).unwrap();
        assert!(heap.heap_size() >= 2 * n);
        assert_eq!(x[0].list_to_vec().unwrap().len(), n);
        // A minor collection that finds a large heap mostly dead shrinks it,
        // though not below an eighth of the old heap (BEAM's rule).
        x[0] = Term::NIL;
        let before = heap.heap_size();
        let report = heap.garbage_collect(0, &mut x, &mut []).unwrap();
        assert!(!report.major);
        assert_eq!(report.reclaimed, 2 * n);
        assert!(heap.heap_size() < before);
        assert_eq!(
            heap.heap_size(),
            next_heap_size(heap.old_heap_size() / 8, 0)
        );
        // So does a major one.
        x[0] = list(&mut heap);
        heap.garbage_collect_major(0, &mut x, &mut []).unwrap();
        assert!(heap.heap_size() >= 2 * n);
        x[0] = Term::NIL;
        heap.garbage_collect_major(0, &mut x, &mut []).unwrap();
        assert_eq!(heap.heap_size(), 233);
        assert_eq!(heap.heap_used(), 0);
    }

    #[test]
    fn max_heap_size_is_reported() {
        let mut heap = ProcessHeap::new();
        let mut x = [build::list(&mut heap, &[Term::small(1); 100])];
        heap.set_max_heap_size(MaxHeapSize {
            size: 300,
            kill: true,
            error_logger: true,
        });
        let err = heap.garbage_collect(0, &mut x, &mut []).unwrap_err();
        assert!(err.total_heap_size > 300);
        // Nothing was collected; the terms are where they were.
        assert_eq!(x[0].list_to_vec().unwrap().len(), 100);
        heap.set_max_heap_size(MaxHeapSize {
            size: 300,
            kill: false,
            error_logger: true,
        });
        let report = heap.garbage_collect(0, &mut x, &mut []).unwrap();
        assert!(report.max_heap_size_reached.is_some());
        assert_eq!(x[0].list_to_vec().unwrap().len(), 100);
    }

    #[test]
    fn stack_frames_need_room() {
        let mut heap = ProcessHeap::new();
        assert!(!heap.needs_gc(233));
        assert!(heap.needs_gc(234));
        assert!(heap.push_frame(200));
        assert!(!heap.push_frame(34));
        assert_eq!(heap.stack_len(), 200);
        heap.garbage_collect(34, &mut [], &mut []).unwrap();
        assert!(heap.push_frame(34));
        assert_eq!(heap.y(33), Term::NIL);
        heap.pop_frame(234);
        assert_eq!(heap.stack_len(), 0);
        heap.set_gc_stress(true);
        assert!(heap.needs_gc(0));
    }

    #[test]
    fn a_million_deep_list_is_collected_without_recursion() {
        let n = if cfg!(miri) { 2_000 } else { 1_000_000 };
        let mut heap = ProcessHeap::new();
        let mut tail_deep = Term::NIL;
        let mut head_deep = Term::NIL;
        for i in 0..n {
            tail_deep = build::cons(&mut heap, Term::small(i as i64), tail_deep);
            head_deep = build::cons(&mut heap, head_deep, Term::NIL);
        }
        let mut x = [tail_deep, head_deep];
        heap.garbage_collect(0, &mut x, &mut []).unwrap();
        heap.garbage_collect(0, &mut x, &mut []).unwrap();
        assert_eq!(heap.old_heap_used(), 4 * n);
        let mut depth = 0;
        let mut t = x[1];
        while let Some((head, _)) = t.as_cons() {
            t = head;
            depth += 1;
        }
        assert_eq!(depth, n);
        assert_eq!(x[0].list_iter().count(), n);
        assert_eq!(x[0].list_iter().next(), Some(Term::small(n as i64 - 1)));
    }

    /// Random structures, some kept as roots (X registers, stack, extra),
    /// collected again and again and compared with copies built in a
    /// literal area from the same seeds.
    #[test]
    fn random_structures_survive_repeated_collections() {
        let rounds = if cfg!(miri) { 12 } else { 300 };
        let depth = if cfg!(miri) { 3 } else { 5 };
        let bins = binaries(4);
        let mut lits = LiteralArea::new();
        let literal = build::list(&mut lits, &[Term::atom(atoms::FALSE), Term::small(4)]);
        let mut reference = LiteralArea::new();
        let mut rng = Rng::new(2024);
        for settings_seed in 0..3u64 {
            let mut heap = ProcessHeap::with_settings(GcSettings {
                fullsweep_after: [65535, 3, 0][settings_seed as usize],
                ..GcSettings::default()
            });
            // (root slot, expected) pairs; slot kind 0: x, 1: stack, 2: extra.
            let mut x: Vec<Term> = Vec::new();
            let mut extra: Vec<Term> = Vec::new();
            let mut x_expected = Vec::new();
            let mut extra_expected = Vec::new();
            let mut stack_expected: Vec<Term> = Vec::new();
            let mut ref_pool = Vec::new();
            let mut heap_pool = Vec::new();
            for round in 0..rounds {
                let seed = rng.next();
                let built = Generator::new(seed, &bins, Some(literal)).term(
                    &mut heap,
                    depth,
                    &mut heap_pool,
                );
                let expected = Generator::new(seed, &bins, Some(literal)).term(
                    &mut reference,
                    depth,
                    &mut ref_pool,
                );
                match rng.below(4) {
                    0 | 1 => {
                        x.push(built);
                        x_expected.push(expected);
                    }
                    2 => {
                        if !heap.push_frame(1) {
                            heap.garbage_collect(1, &mut x, &mut [&mut extra]).unwrap();
                            assert!(heap.push_frame(1));
                        }
                        heap.set_y(0, built);
                        stack_expected.push(expected);
                    }
                    _ => {
                        extra.push(built);
                        extra_expected.push(expected);
                    }
                }
                // Drop some roots now and then.
                if rng.below(4) == 0 && !x.is_empty() {
                    let i = rng.below(x.len() as u64) as usize;
                    x.swap_remove(i);
                    x_expected.swap_remove(i);
                }
                if rng.below(8) == 0 && !stack_expected.is_empty() {
                    heap.pop_frame(1);
                    stack_expected.pop();
                }
                // The pools hold terms that are not roots: forget them at
                // each collection, in both areas alike.
                if rng.below(2) == 0 || heap.needs_gc(64) {
                    heap_pool.clear();
                    ref_pool.clear();
                    let major = rng.below(5) == 0;
                    let need = rng.below(100) as usize;
                    let report = if major {
                        heap.garbage_collect_major(need, &mut x, &mut [&mut extra])
                    } else {
                        heap.garbage_collect(need, &mut x, &mut [&mut extra])
                    }
                    .unwrap();
                    assert!(report.reductions >= 1);
                    assert!(heap.free_words() >= need);
                    check_heap(&heap, &in_area(&lits));
                    for (t, e) in x.iter().zip(&x_expected) {
                        assert!(same(*t, *e), "x root, round {round}");
                    }
                    for (t, e) in extra.iter().zip(&extra_expected) {
                        assert!(same(*t, *e), "extra root, round {round}");
                    }
                    let n = stack_expected.len();
                    for (i, e) in stack_expected.iter().enumerate() {
                        assert!(same(heap.y(n - 1 - i), *e), "stack root, round {round}");
                    }
                }
            }
        }
        drop(reference);
        for b in &bins {
            assert_eq!(Arc::strong_count(b), 1, "every count released");
        }
    }
}
