//! `term_to_binary/1,2` and `binary_to_term/1,2` on top of `crate::etf`.

use super::atom;
use crate::bif::{Native, NativeResult, Raised};
use crate::etf::{self, DecodeOptions, EncodeOptions};
use crate::term::{build, Term, View};
use crate::vm::process::Process;

fn term_to_binary_1(process: &mut Process, args: &[Term]) -> NativeResult {
    let bytes = etf::encode(args[0], EncodeOptions::default());
    Ok(build::binary(&mut process.heap, &bytes))
}

/// Options: `compressed`, `{compressed, 0..9}`, `{minor_version, 0..2}`.
fn term_to_binary_2(process: &mut Process, args: &[Term]) -> NativeResult {
    let mut options = EncodeOptions::default();
    let items = args[1].list_to_vec().ok_or_else(Raised::badarg)?;
    for item in items {
        if item == atom("compressed") {
            options.compressed = Some(6);
            continue;
        }
        match item.as_tuple() {
            Some([key, value]) if *key == atom("compressed") => {
                let level = value.as_small().filter(|l| (0..=9).contains(l));
                options.compressed = Some(level.ok_or_else(Raised::badarg)? as u32);
            }
            Some([key, value]) if *key == atom("minor_version") => {
                let minor = value.as_small().filter(|v| (0..=2).contains(v));
                options.minor_version = minor.ok_or_else(Raised::badarg)? as u8;
            }
            Some([key, _]) if *key == atom("deterministic") => {}
            _ => return Err(Raised::badarg()),
        }
    }
    let bytes = etf::encode(args[0], options);
    Ok(build::binary(&mut process.heap, &bytes))
}

fn decode(process: &mut Process, binary: Term, options: DecodeOptions) -> NativeResult {
    let View::Bitstring(bits) = binary.view() else {
        return Err(Raised::badarg());
    };
    let bytes = bits.as_bytes().ok_or_else(Raised::badarg)?;
    etf::decode_with(bytes, &mut process.heap, options)
        .map(|(term, _)| term)
        .map_err(|_| Raised::badarg())
}

fn binary_to_term_1(process: &mut Process, args: &[Term]) -> NativeResult {
    decode(process, args[0], DecodeOptions::default())
}

fn binary_to_term_2(process: &mut Process, args: &[Term]) -> NativeResult {
    let items = args[1].list_to_vec().ok_or_else(Raised::badarg)?;
    let mut options = DecodeOptions::default();
    for item in items {
        if item == atom("safe") {
            options.safe = true;
        } else {
            return Err(Raised::badarg());
        }
    }
    decode(process, args[0], options)
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "term_to_binary"/1 => term_to_binary_1,
    "term_to_binary"/2 => term_to_binary_2,
    "binary_to_term"/1 => binary_to_term_1,
    "binary_to_term"/2 => binary_to_term_2,
);
