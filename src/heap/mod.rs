//! Memory areas that hold terms.
//!
//! Everything that builds terms does it through [`TermAlloc`]: a bump
//! allocator of 8-aligned words that stay put for the area's life. The
//! [`LiteralArea`] of a module is the first such area; the [`ProcessHeap`]
//! and its [`HeapFragment`]s implement the same trait with the same layouts,
//! the collector (`gc.rs`) moves what is live in them, and `copy.rs` copies
//! terms between areas.

use std::any::Any;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

mod copy;
mod gc;
mod process_heap;

pub use copy::{copy_message, copy_out_of_fragment, copy_term, size_of_message, size_of_term};
pub use gc::{heap_sizes, next_heap_size, GcReport, MaxHeapSizeReached};
pub use process_heap::{
    gc_stress_from_env, GcSettings, HeapFragment, MaxHeapSize, ProcessHeap,
    DEFAULT_FULLSWEEP_AFTER, DEFAULT_MIN_HEAP_SIZE,
};

/// The bytes of an off-heap (reference-counted) binary.
///
/// A buffer may have spare capacity past its bytes, so that appending to
/// the binary that ends where the buffer's bytes end (`<<Acc/binary, X>>`
/// in a loop) writes in place instead of copying, as BEAM's writable
/// binaries do. Bytes once visible never change: an appender first
/// reserves the bytes after the visible ones (only one can), writes them,
/// then makes them visible. Terms refer to a prefix of the visible bytes,
/// so sharing a buffer between processes is sound whoever appends.
#[derive(Debug)]
pub struct BinaryBuf {
    /// `capacity` bytes, from `Box::into_raw` of a boxed slice.
    data: NonNull<u8>,
    capacity: usize,
    /// Bytes written and visible: `bytes()` is `data[..len]`.
    len: AtomicUsize,
    /// Bytes claimed by appenders: `len <= reserved <= capacity`.
    reserved: AtomicUsize,
}

impl BinaryBuf {
    /// A buffer holding exactly `bytes`, with no room to append.
    pub fn new(bytes: Box<[u8]>) -> Arc<BinaryBuf> {
        let len = bytes.len();
        let raw: *mut [u8] = Box::into_raw(bytes);
        Arc::new(BinaryBuf {
            data: NonNull::new(raw as *mut u8).expect("Box::into_raw is never null"),
            capacity: len,
            len: AtomicUsize::new(len),
            reserved: AtomicUsize::new(len),
        })
    }

    /// A buffer holding `bytes` with room for `capacity` bytes in all
    /// (at least `bytes.len()`), for appending in place.
    pub fn with_capacity(bytes: &[u8], capacity: usize) -> Arc<BinaryBuf> {
        let mut storage = vec![0u8; capacity.max(bytes.len())];
        storage[..bytes.len()].copy_from_slice(bytes);
        let buf = BinaryBuf::new(storage.into_boxed_slice());
        buf.len.store(bytes.len(), Ordering::Relaxed);
        buf.reserved.store(bytes.len(), Ordering::Relaxed);
        buf
    }

    /// The visible bytes.
    pub fn bytes(&self) -> &[u8] {
        let len = self.len.load(Ordering::Acquire);
        // SAFETY: `data` holds `capacity >= len` initialised bytes, and
        // bytes below `len` are never written again (appends write only at
        // or above `len`, see `try_append`).
        unsafe { std::slice::from_raw_parts(self.data.as_ptr(), len) }
    }

    /// Bytes the buffer can hold in all.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Appends `tail` in place if the visible bytes end at `at` (nobody
    /// appended past the caller's binary yet) and it fits; otherwise
    /// changes nothing and returns false.
    pub fn try_append(&self, at: usize, tail: &[u8]) -> bool {
        let Some(end) = at.checked_add(tail.len()).filter(|&e| e <= self.capacity) else {
            return false;
        };
        if self.len.load(Ordering::Acquire) != at {
            return false;
        }
        // `len == at` was just seen and `len <= reserved`; the reservation
        // succeeds only if `reserved == at` too, that is, no appender is
        // between reserving and publishing.
        if self
            .reserved
            .compare_exchange(at, end, Ordering::AcqRel, Ordering::Relaxed)
            .is_err()
        {
            return false;
        }
        // SAFETY: bytes `at..end` lie within the allocation (`end <=
        // capacity`), are reserved for this call alone, and no slice covers
        // them: `bytes()` hands out `..len` and `len == at` until the store
        // below.
        unsafe {
            std::ptr::copy_nonoverlapping(tail.as_ptr(), self.data.as_ptr().add(at), tail.len());
        }
        self.len.store(end, Ordering::Release);
        true
    }
}

impl Drop for BinaryBuf {
    fn drop(&mut self) {
        // SAFETY: `data` and `capacity` came from `Box::into_raw` of a boxed
        // slice of `capacity` bytes in `BinaryBuf::new`; freed only here.
        unsafe {
            drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(
                self.data.as_ptr(),
                self.capacity,
            )));
        }
    }
}

// SAFETY: the buffer owns its allocation; the bytes below `len` are
// immutable and those above are written only by the one appender that
// reserved them (atomically), published with release/acquire ordering.
unsafe impl Send for BinaryBuf {}
unsafe impl Sync for BinaryBuf {}

/// The native object behind a resource ("magic") reference: NIF
/// resources, atomics and counters arrays, zlib streams. Terms refer to it
/// through an `Arc` whose count each referring object holds, as a refc
/// binary holds its buffer's, so it lives while any copy of the term does.
pub struct Resource {
    value: Box<dyn Any + Send + Sync>,
}

impl Resource {
    pub fn new<T: Any + Send + Sync>(value: T) -> Arc<Resource> {
        Arc::new(Resource {
            value: Box::new(value),
        })
    }

    /// The object, if it is a `T`.
    pub fn downcast_ref<T: Any>(&self) -> Option<&T> {
        self.value.downcast_ref()
    }
}

impl std::fmt::Debug for Resource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Resource")
    }
}

/// Somewhere terms can be allocated.
pub trait TermAlloc {
    /// `words` uninitialised, 8-aligned words that stay valid and unmoved for
    /// the area's life. The caller initialises all of them before any term
    /// refers to them.
    fn alloc_words(&mut self, words: usize) -> *mut u64;

    /// Takes one strong count of an off-heap binary that a refc binary object
    /// just written at `object` refers to; the area releases it when the
    /// object dies.
    ///
    /// # Safety
    /// `object` is a refc binary object that this area allocated and that is
    /// fully written, its buffer word being `Arc::as_ptr(&buf)`; each object
    /// is adopted once. (A process heap links it into a list through its
    /// `next` word.)
    unsafe fn adopt_binary(&mut self, object: *mut u64, buf: Arc<BinaryBuf>);

    /// Takes one strong count of the resource that a resource reference
    /// object just written at `object` refers to, as `adopt_binary` does
    /// for a binary.
    ///
    /// # Safety
    /// `object` is a resource reference object that this area allocated and
    /// that is fully written, its resource word being
    /// `Arc::as_ptr(&resource)`; each object is adopted once.
    unsafe fn adopt_resource(&mut self, object: *mut u64, resource: Arc<Resource>);
}

/// Words per chunk of a literal area; larger objects get a chunk of their own.
const CHUNK_WORDS: usize = 1024;

/// A block of words owned by an area. Kept as a raw pointer, not a `Box`:
/// pointers handed out into it must stay valid while the area allocates more,
/// and re-borrowing a `Box` mutably would invalidate them.
struct Chunk {
    base: NonNull<u64>,
    len: usize,
}

impl Chunk {
    fn new(len: usize) -> Chunk {
        let raw: *mut [u64] = Box::into_raw(vec![0u64; len].into_boxed_slice());
        Chunk {
            base: NonNull::new(raw as *mut u64).expect("Box::into_raw is never null"),
            len,
        }
    }
}

impl Drop for Chunk {
    fn drop(&mut self) {
        // SAFETY: `base` and `len` came from `Box::into_raw` of a boxed slice
        // of `len` words in `Chunk::new`, and are freed only here, once.
        unsafe {
            drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(
                self.base.as_ptr(),
                self.len,
            )));
        }
    }
}

/// A module's literals (and any terms that live as long as their owner):
/// chunks of words that are never moved or collected, only dropped whole.
#[derive(Default)]
pub struct LiteralArea {
    chunks: Vec<Chunk>,
    /// Words used in the last chunk.
    used: usize,
    binaries: Vec<Arc<BinaryBuf>>,
    resources: Vec<Arc<Resource>>,
}

impl LiteralArea {
    pub fn new() -> LiteralArea {
        LiteralArea::default()
    }

    /// An area of exactly `words` words in one chunk, for a term whose
    /// size is known (an ETS object): no chunk-sized slack per term.
    pub fn with_capacity(words: usize) -> LiteralArea {
        LiteralArea {
            chunks: vec![Chunk::new(words.max(1))],
            used: 0,
            binaries: Vec::new(),
            resources: Vec::new(),
        }
    }

    /// Total words allocated, for memory accounting.
    pub fn words(&self) -> usize {
        self.chunks.iter().map(|c| c.len).sum()
    }
}

impl TermAlloc for LiteralArea {
    fn alloc_words(&mut self, words: usize) -> *mut u64 {
        let fits = self
            .chunks
            .last()
            .is_some_and(|c| c.len - self.used >= words);
        if !fits {
            if words > CHUNK_WORDS / 4 {
                // A big object gets a chunk of its own, kept before the
                // current one so the current one's free space is not lost.
                let chunk = Chunk::new(words);
                let ptr = chunk.base.as_ptr();
                let at = self.chunks.len().saturating_sub(1);
                self.chunks.insert(at, chunk);
                if self.chunks.len() == 1 {
                    // It is the only chunk, and full.
                    self.used = words;
                }
                return ptr;
            }
            self.chunks.push(Chunk::new(CHUNK_WORDS));
            self.used = 0;
        }
        let chunk = self.chunks.last().expect("a chunk was just ensured");
        // SAFETY: `used + words <= chunk.len` was checked above, so the
        // pointer stays inside the chunk's allocation, which never moves.
        let ptr = unsafe { chunk.base.as_ptr().add(self.used) };
        self.used += words;
        ptr
    }

    unsafe fn adopt_binary(&mut self, _object: *mut u64, buf: Arc<BinaryBuf>) {
        self.binaries.push(buf);
    }

    unsafe fn adopt_resource(&mut self, _object: *mut u64, resource: Arc<Resource>) {
        self.resources.push(resource);
    }
}

// SAFETY: a literal area is plain owned memory (its chunks, Arcs of
// immutable bytes and of resources, which are Send + Sync); terms in it are
// only read once it is shared.
unsafe impl Send for LiteralArea {}
unsafe impl Sync for LiteralArea {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_append_in_place_only_at_their_end() {
        let fixed = BinaryBuf::new(vec![1, 2].into());
        assert!(!fixed.try_append(2, &[3]), "no spare capacity");
        let buf = BinaryBuf::with_capacity(&[1, 2], 5);
        let before = buf.bytes();
        assert!(buf.try_append(2, &[3, 4]));
        assert_eq!(before, [1, 2], "visible bytes never change");
        assert_eq!(buf.bytes(), [1, 2, 3, 4]);
        assert!(!buf.try_append(2, &[9]), "someone appended past 2");
        assert!(!buf.try_append(4, &[5, 6]), "beyond the capacity");
        assert!(buf.try_append(4, &[5]));
        assert_eq!(buf.bytes(), [1, 2, 3, 4, 5]);
        assert_eq!(buf.capacity(), 5);
    }

    #[test]
    fn one_of_racing_appenders_wins() {
        let buf = BinaryBuf::with_capacity(&[0], 64);
        let wins: usize = std::thread::scope(|s| {
            let handles: Vec<_> = (1..=4u8)
                .map(|i| {
                    let buf = &buf;
                    s.spawn(move || buf.try_append(1, &[i; 8]) as usize)
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        assert_eq!(wins, 1);
        let bytes = buf.bytes();
        assert_eq!(bytes.len(), 9);
        assert!(bytes[1..].iter().all(|&b| b == bytes[1]));
    }

    #[test]
    fn allocations_are_aligned_disjoint_and_stable() {
        let mut area = LiteralArea::new();
        let mut spans = Vec::new();
        for size in [1usize, 3, 1000, 2, 5000, 7, 1024, 1] {
            let p = area.alloc_words(size);
            assert_eq!(p as usize % 8, 0);
            // SAFETY: the area just handed out `size` words at `p`.
            unsafe {
                for i in 0..size {
                    *p.add(i) = size as u64;
                }
            }
            spans.push((p, size));
        }
        for &(p, size) in &spans {
            // SAFETY: as above; the area is still alive and never moves words.
            unsafe {
                for i in 0..size {
                    assert_eq!(*p.add(i), size as u64);
                }
            }
        }
    }
}
