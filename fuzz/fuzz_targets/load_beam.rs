//! The loader on arbitrary bytes: an error or a module, never a panic.
//! A loaded module must also disassemble without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxbeam::{dis, loader};

fuzz_target!(|data: &[u8]| {
    if let Ok(beam) = loader::load(data) {
        let mut out = String::new();
        dis::write_listing(&mut out, &beam);
    }
});
