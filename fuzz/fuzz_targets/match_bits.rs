//! The bit-syntax matcher on arbitrary programs and bitstrings: no panic,
//! and the invariants `tests/support/bits_driver.rs` states hold.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/bits_driver.rs"]
mod driver;

fuzz_target!(|data: &[u8]| {
    driver::run(data);
});
