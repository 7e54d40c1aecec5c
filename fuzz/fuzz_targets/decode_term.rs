//! `binary_to_term` on arbitrary bytes: an error or a term, never a panic.
//! A decoded term must print and re-encode without panicking either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxbeam::etf::{self, DecodeOptions, EncodeOptions};
use oxbeam::heap::LiteralArea;
use oxbeam::term::print;

fuzz_target!(|data: &[u8]| {
    let mut area = LiteralArea::new();
    let safe = DecodeOptions { safe: true };
    if let Ok((term, _)) = etf::decode_with(data, &mut area, safe) {
        let _ = print::to_string(term);
        let _ = etf::encode(term, EncodeOptions::default());
    }
});
