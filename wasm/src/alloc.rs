//! The module's memory allocator: size classes with free lists, over memory
//! taken from the end of linear memory.
//!
//! Why not Rust's default (dlmalloc): a quote makes thousands of small,
//! short-lived allocations, and dlmalloc spends a few hundred Wasm
//! instructions on each `malloc`/`free` pair and 7 KB of code. Here an
//! allocation is a table lookup and a pop (or a bump), a free is a push:
//! a few dozen instructions, under 1 KB of code.
//!
//! How it works:
//! - every request is rounded up to a *class*: 16 bytes, then four classes
//!   per doubling (20, 24, 28, 32, 40, 48, 56, 64, 80, …), so at most a
//!   quarter of a block is slack;
//! - a freed block goes on its class's free list (the list's link is kept in
//!   the block itself) and is the next one that class hands out;
//! - a class with an empty list carves a new block from the top of the heap,
//!   growing linear memory a page at a time when needed.
//!
//! Memory is never handed back (Wasm memory cannot shrink anyway); the heap
//! holds at most, per class, the most blocks that were ever live at once.
//!
//! Wasm32 without threads is single-threaded, so the state needs no lock.
//! Blocks are 16-byte aligned; a request for more alignment is refused
//! (null, which Rust turns into an allocation-failure abort) — nothing in
//! siyu asks for it.

// Raw memory is this module's whole job: each `unsafe` says why it holds.
#![allow(unsafe_code)]

#[cfg(target_arch = "wasm32")]
pub use heap::Allocator;

pub(crate) const ALIGN: usize = 16;
pub(crate) const PAGE: usize = 65536;
/// Enough classes for any size below 4 GiB.
pub(crate) const CLASSES: usize = 4 * 29;

/// The class of a request of `size` bytes, and the block size it gets.
#[inline(always)]
pub(crate) fn class(size: usize) -> (usize, usize) {
    if size <= ALIGN {
        return (0, ALIGN);
    }
    // size - 1 = 2^e + q·2^(e-2) + r with q in 0..4: the class rounds up to
    // (4 + q + 1)·2^(e-2); e ≥ 4 because size > 16.
    let s = size - 1;
    let e = (usize::BITS - 1 - s.leading_zeros()) as usize;
    let q = (s >> (e - 2)) & 3;
    // Rounded up to whole 16-byte units, so every block stays aligned.
    let block = (((4 + q + 1) << (e - 2)) + ALIGN - 1) & !(ALIGN - 1);
    (1 + (e - 4) * 4 + q, block)
}

#[cfg(target_arch = "wasm32")]
mod heap {
    use core::alloc::{GlobalAlloc, Layout};
    use core::arch::wasm32;
    use core::cell::UnsafeCell;
    use core::ptr::null_mut;

    use super::{class, ALIGN, CLASSES, PAGE};

    struct State {
        /// The head of each class's free list (0: empty).
        free: [usize; CLASSES],
        /// The next unused byte of the heap, and the end of linear memory.
        top: usize,
        end: usize,
    }

    pub struct Allocator(UnsafeCell<State>);

    // SAFETY: wasm32-unknown-unknown without the atomics feature runs one
    // thread; nothing can share the allocator.
    unsafe impl Sync for Allocator {}

    impl Allocator {
        pub const fn new() -> Self {
            Allocator(UnsafeCell::new(State { free: [0; CLASSES], top: 0, end: 0 }))
        }
    }

    impl Default for Allocator {
        fn default() -> Self {
            Self::new()
        }
    }

    impl State {
        /// A fresh block of `size` bytes from the top of the heap.
        unsafe fn carve(&mut self, size: usize) -> *mut u8 {
            if self.end == 0 {
                // The heap starts where linear memory ends at the first request:
                // the data, the stack and the static heap lie below.
                self.end = wasm32::memory_size(0) * PAGE;
                self.top = self.end;
            }
            let start = (self.top + ALIGN - 1) & !(ALIGN - 1);
            let Some(new_top) = start.checked_add(size) else { return null_mut() };
            if new_top > self.end {
                let pages = (new_top - self.end).div_ceil(PAGE);
                if wasm32::memory_grow(0, pages) == usize::MAX {
                    return null_mut();
                }
                self.end += pages * PAGE;
            }
            self.top = new_top;
            start as *mut u8
        }
    }

    unsafe impl GlobalAlloc for Allocator {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            if layout.align() > ALIGN {
                return null_mut();
            }
            let st = &mut *self.0.get();
            let (c, block) = class(layout.size());
            let head = st.free[c];
            if head != 0 {
                // The block's first word links to the next free block.
                st.free[c] = *(head as *const usize);
                return head as *mut u8;
            }
            st.carve(block)
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            let st = &mut *self.0.get();
            let (c, _) = class(layout.size());
            *(ptr as *mut usize) = st.free[c];
            st.free[c] = ptr as usize;
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // Growing or shrinking within the block's class keeps the block.
            if class(layout.size()).0 == class(new_size).0 {
                return ptr;
            }
            let new = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
            if !new.is_null() {
                core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}

#[cfg(test)]
mod tests {
    use super::class;

    #[test]
    fn classes_cover_every_size_with_at_most_a_quarter_of_slack() {
        let mut last = (0, 16);
        for size in 1..100_000usize {
            let (c, block) = class(size);
            assert!(block >= size, "{size}");
            assert!(block <= 16 + size * 5 / 4, "{size} -> {block}");
            assert_eq!(block % 16, 0);
            // Classes grow with the size, one step at a time.
            assert!(c == last.0 || (c == last.0 + 1 && block >= last.1), "{size}");
            last = (c, block);
        }
        assert_eq!(class(16), (0, 16));
        assert_eq!(class(17), (1, 32));
        assert_eq!(class(32), (4, 32));
        assert_eq!(class(33), (5, 48));
        assert!(class(u32::MAX as usize).0 < super::CLASSES);
    }
}
