//! Round trips against erl's bytes, hostile input and deep nesting.
//!
//! `corpus.rs` holds byte strings produced by erl (see `gen_corpus.escript`
//! beside it). Tests whose inputs contain maps have `map` in their names:
//! they need the maps package.

#[rustfmt::skip]
mod corpus;

use super::{decode, decode_with, encode, tag, DecodeError, DecodeOptions, EncodeOptions};
use crate::heap::LiteralArea;
use crate::term::{build, Atom, Term, View};

/// `term_to_binary(Expr, Options)` as erl wrote it.
pub struct Encoded {
    pub expr: &'static str,
    pub options: EncodeOptions,
    pub bytes: &'static [u8],
}

/// Bytes erl decodes; `used` is what `binary_to_term(B, [used])` reports and
/// `reencoded` is `term_to_binary` of the result.
pub struct Accepted {
    pub input: &'static [u8],
    pub used: usize,
    pub reencoded: &'static [u8],
}

/// Bytes erl rejects with `badarg`.
pub struct Rejected {
    pub input: &'static [u8],
}

fn check_encoded(cases: &[Encoded]) {
    let mut heap = LiteralArea::new();
    for case in cases {
        let (term, used) = decode_with(case.bytes, &mut heap, DecodeOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", case.expr));
        assert_eq!(used, case.bytes.len(), "{}: used", case.expr);
        assert_eq!(
            encode(term, case.options),
            case.bytes,
            "{} with {:?}",
            case.expr,
            case.options
        );
    }
}

fn check_accepted(cases: &[Accepted]) {
    let mut heap = LiteralArea::new();
    for case in cases {
        let (term, used) = decode_with(case.input, &mut heap, DecodeOptions::default())
            .unwrap_or_else(|e| panic!("{:?}: {e}", case.input));
        assert_eq!(used, case.used, "used of {:?}", case.input);
        assert_eq!(
            encode(term, EncodeOptions::default()),
            case.reencoded,
            "{:?}",
            case.input
        );
    }
}

fn check_rejected(cases: &[Rejected]) {
    let mut heap = LiteralArea::new();
    for case in cases {
        assert!(
            decode(case.input, &mut heap).is_err(),
            "accepted {:?}",
            case.input
        );
    }
}

#[test]
fn erl_encodings_round_trip() {
    check_encoded(corpus::PLAIN);
}

#[test]
fn erl_minor_versions_round_trip() {
    check_encoded(corpus::VERSIONS);
}

#[test]
fn erl_compressed_encodings_round_trip() {
    check_encoded(corpus::COMPRESSED);
    check_encoded(corpus::COMPRESSED_EDGES);
}

#[test]
fn erl_accepted_inputs_decode_and_reencode() {
    check_accepted(corpus::ACCEPTED);
}

#[test]
fn erl_rejected_inputs_are_errors() {
    check_rejected(corpus::REJECTED);
}

#[test]
fn map_erl_encodings_round_trip() {
    check_encoded(corpus::MAPS);
}

#[test]
fn map_erl_accepted_inputs_decode_and_reencode() {
    check_accepted(corpus::MAPS_ACCEPTED);
}

#[test]
fn map_erl_rejected_inputs_are_errors() {
    check_rejected(corpus::MAPS_REJECTED);
}

/// `[[[...[]...]]]` nested `depth` times, as erl encodes it: a LIST_EXT of
/// one element per level, the innermost `[]`, then every level's `[]` tail.
fn nested_list_bytes(depth: usize) -> Vec<u8> {
    let mut bytes = vec![tag::VERSION];
    for _ in 0..depth {
        bytes.extend_from_slice(&[tag::LIST_EXT, 0, 0, 0, 1]);
    }
    bytes.push(tag::NIL_EXT);
    bytes.resize(bytes.len() + depth, tag::NIL_EXT);
    bytes
}

#[test]
fn million_deep_nested_list_round_trips() {
    // term_to_binary([[[]]]) is <<131,108,0,0,0,1,108,0,0,0,1,106,106,106>>.
    assert_eq!(
        nested_list_bytes(2),
        [131, 108, 0, 0, 0, 1, 108, 0, 0, 0, 1, 106, 106, 106]
    );
    let bytes = nested_list_bytes(1_000_000);
    let mut heap = LiteralArea::new();
    let term = decode(&bytes, &mut heap).unwrap();
    let mut depth = 0;
    let mut level = term;
    while let Some((head, tail)) = level.as_cons() {
        assert!(tail.is_nil());
        depth += 1;
        level = head;
    }
    assert_eq!(depth, 1_000_000);
    assert!(encode(term, EncodeOptions::default()) == bytes);
}

#[test]
fn million_deep_nested_tuple_round_trips() {
    // term_to_binary({{{}}}) is <<131,104,1,104,1,104,0>>.
    let depth = 1_000_000;
    let mut bytes = vec![tag::VERSION];
    for _ in 0..depth {
        bytes.extend_from_slice(&[tag::SMALL_TUPLE_EXT, 1]);
    }
    bytes.extend_from_slice(&[tag::SMALL_TUPLE_EXT, 0]);
    let mut heap = LiteralArea::new();
    let term = decode(&bytes, &mut heap).unwrap();
    assert!(encode(term, EncodeOptions::default()) == bytes);
}

/// Decodes every prefix of `input` and `input` with each byte changed in a
/// few ways; each must give a value or an error. `skip` leaves out
/// mutations the caller cannot decode yet.
fn mutate_and_decode(input: &[u8], skip: impl Fn(&[u8]) -> bool) {
    let mut heap = LiteralArea::new();
    for len in 0..input.len() {
        let _ = decode(&input[..len], &mut heap);
    }
    let mut copy = input.to_vec();
    for i in 0..input.len() {
        for flip in [0x01, 0x80, 0xFF, 0x10, 0x7F] {
            copy[i] = input[i] ^ flip;
            if !skip(&copy) {
                if let Ok((term, used)) = decode_with(&copy, &mut heap, DecodeOptions::default()) {
                    assert!(used <= copy.len());
                    let _ = encode(term, EncodeOptions::default());
                }
            }
        }
        copy[i] = input[i];
    }
}

/// Whether decoding may reach MAP_EXT, which needs the maps package.
fn may_hold_map(bytes: &[u8]) -> bool {
    bytes.contains(&tag::MAP_EXT) || bytes.get(1) == Some(&tag::COMPRESSED)
}

fn corpus_inputs() -> impl Iterator<Item = &'static [u8]> {
    let encoded = [
        corpus::PLAIN,
        corpus::VERSIONS,
        corpus::COMPRESSED,
        corpus::COMPRESSED_EDGES,
        corpus::MAPS,
    ];
    let encoded = encoded.into_iter().flatten().map(|c| c.bytes);
    let accepted = [corpus::ACCEPTED, corpus::MAPS_ACCEPTED];
    let accepted = accepted.into_iter().flatten().map(|c| c.input);
    encoded.chain(accepted).filter(|b| b.len() <= 4096)
}

#[test]
fn truncations_and_byte_flips_never_panic() {
    for input in corpus_inputs().filter(|b| !may_hold_map(b)) {
        mutate_and_decode(input, may_hold_map);
    }
}

#[test]
fn map_truncations_and_byte_flips_never_panic() {
    for input in corpus_inputs() {
        mutate_and_decode(input, |_| false);
    }
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Random bytes after the version byte, biased towards tags and small
/// lengths so that decoding gets past the first byte.
fn random_inputs(count: usize) -> impl Iterator<Item = Vec<u8>> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    const TAGS: &[u8] = &[
        70, 77, 80, 88, 89, 90, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110,
        111, 112, 113, 114, 115, 116, 118, 119, 120,
    ];
    (0..count).map(move |_| {
        let len = (rng.next() % 40) as usize;
        let mut bytes = vec![tag::VERSION];
        for _ in 0..len {
            let r = rng.next();
            bytes.push(match r % 4 {
                0 => TAGS[(r >> 8) as usize % TAGS.len()],
                1 => 0,
                2 => (r >> 8) as u8 % 4,
                _ => (r >> 8) as u8,
            });
        }
        bytes
    })
}

#[test]
fn random_bytes_never_panic() {
    let mut heap = LiteralArea::new();
    for input in random_inputs(200_000).filter(|b| !may_hold_map(b)) {
        let _ = decode(&input, &mut heap);
    }
}

#[test]
fn map_random_bytes_never_panic() {
    let mut heap = LiteralArea::new();
    for input in random_inputs(200_000) {
        let _ = decode(&input, &mut heap);
    }
}

#[test]
fn claimed_lengths_beyond_the_input_fail_fast() {
    let mut heap = LiteralArea::new();
    let huge: &[&[u8]] = &[
        &[131, 105, 255, 255, 255, 255],
        &[131, 108, 255, 255, 255, 255],
        &[131, 109, 255, 255, 255, 255],
        &[131, 111, 0, 63, 255, 248, 0],
        &[131, 112, 0, 0, 0, 0, 0],
        // Nested claims: each is backed only by the bytes left.
        &[
            131, 105, 0, 0, 0, 20, 105, 0, 0, 0, 14, 105, 0, 0, 0, 8, 97, 1,
        ],
    ];
    for input in huge {
        let error = decode(input, &mut heap).unwrap_err();
        assert_eq!(error.reason, "unexpected end of data", "{input:?}");
    }
}

#[test]
fn decompression_stops_at_the_declared_size() {
    use std::io::Write;
    // 16 MiB of zeros in a small zlib stream, declared as 100 bytes.
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&vec![0u8; 16 << 20]).unwrap();
    let data = z.finish().unwrap();
    let mut input = vec![131, 80, 0, 0, 0, 100];
    input.extend_from_slice(&data);
    let mut heap = LiteralArea::new();
    let error = decode(&input, &mut heap).unwrap_err();
    assert_eq!(
        error,
        DecodeError {
            offset: 6,
            reason: "compressed data longer than its declared size"
        }
    );
}

#[test]
fn errors_name_the_offset() {
    let mut heap = LiteralArea::new();
    // {1, <<131>> truncated}: the binary's length runs past the end.
    let error = decode(&[131, 104, 2, 97, 1, 109, 0, 0, 0, 9, 1], &mut heap).unwrap_err();
    assert_eq!(error.offset, 10);
    // An unknown tag inside a tuple.
    let error = decode(&[131, 104, 2, 97, 1, 2], &mut heap).unwrap_err();
    assert_eq!(
        error,
        DecodeError {
            offset: 5,
            reason: "unknown tag"
        }
    );
    // Inside compressed data, offsets are those of the uncompressed form.
    // The zlib data is zlib:compress(<<104,2,97,1,2>>).
    let mut compressed = vec![131, 80, 0, 0, 0, 5];
    compressed.extend_from_slice(&[120, 156, 203, 96, 74, 100, 100, 2, 0, 3, 60, 0, 207]);
    assert_eq!(decode(&compressed, &mut heap).unwrap_err(), error);
}

#[test]
fn string_ext_holds_at_most_65535_bytes() {
    let mut heap = LiteralArea::new();
    let mut sevens = |n| build::list(&mut heap, &vec![Term::small(7); n]);
    // term_to_binary(lists:duplicate(65535, 7)) starts <<131,107,255,255,7,7>>.
    let string = encode(sevens(65535), EncodeOptions::default());
    assert_eq!(string.len(), 4 + 65535);
    assert_eq!(string[..6], [131, 107, 255, 255, 7, 7]);
    // term_to_binary(lists:duplicate(65536, 7)) starts
    // <<131,108,0,1,0,0,97,7,97,7>> and ends with 106.
    let list = encode(sevens(65536), EncodeOptions::default());
    assert_eq!(list.len(), 6 + 2 * 65536 + 1);
    assert_eq!(list[..10], [131, 108, 0, 1, 0, 0, 97, 7, 97, 7]);
    assert_eq!(list.last(), Some(&106));
    let mut heap = LiteralArea::new();
    for bytes in [string, list] {
        let term = decode(&bytes, &mut heap).unwrap();
        assert_eq!(encode(term, EncodeOptions::default()), bytes);
    }
}

#[test]
fn large_big_size_limit() {
    // binary_to_term(<<131,111,N:32,0,(binary:copy(<<1>>,N))/binary>>)
    // succeeds for N = 4194296 and raises badarg for N = 4194297.
    let mut heap = LiteralArea::new();
    for (len, ok) in [(4_194_296usize, true), (4_194_297, false)] {
        let mut input = vec![131, 111];
        input.extend_from_slice(&(len as u32).to_be_bytes());
        input.push(0);
        input.resize(input.len() + len, 1);
        let result = decode(&input, &mut heap);
        assert_eq!(result.is_ok(), ok, "{len}");
        if let Ok(term) = result {
            assert_eq!(encode(term, EncodeOptions::default()), input);
        }
    }
}

#[test]
fn safe_refuses_new_atoms_and_unknown_exports() {
    let mut heap = LiteralArea::new();
    let safe = DecodeOptions { safe: true };
    let atom = |name: &str| {
        let mut bytes = vec![131, 119, name.len() as u8];
        bytes.extend_from_slice(name.as_bytes());
        bytes
    };
    let fresh = atom("etf_test_atom_never_made_before");
    assert!(decode_with(&fresh, &mut heap, safe).is_err());
    assert!(Atom::existing("etf_test_atom_never_made_before").is_none());
    let (term, _) = decode_with(&atom("true"), &mut heap, safe).unwrap();
    assert_eq!(term, Term::TRUE);
    // A pid on a node whose name is a new atom.
    let mut pid = vec![131, 88];
    pid.extend_from_slice(&atom("etf_test_node@nowhere")[1..]);
    pid.extend_from_slice(&[0; 12]);
    assert!(decode_with(&pid, &mut heap, safe).is_err());
    // fun etf_test_mod:etf_test_fun/3 exists only after a non-safe decode.
    let export: &[u8] = &[
        131, 113, 119, 12, b'e', b't', b'f', b'_', b't', b'e', b's', b't', b'_', b'm', b'o', b'd',
        119, 12, b'e', b't', b'f', b'_', b't', b'e', b's', b't', b'_', b'f', b'u', b'n', 97, 3,
    ];
    let _ = Atom::intern("etf_test_mod");
    let _ = Atom::intern("etf_test_fun");
    assert!(decode_with(export, &mut heap, safe).is_err());
    let term = decode(export, &mut heap).unwrap();
    assert!(matches!(term.view(), View::Export(e) if e.arity == 3));
    assert!(decode_with(export, &mut heap, safe).is_ok());
}

#[test]
fn unaligned_sub_binaries_encode_their_bits() {
    // <<_:3, X:20/bitstring, _/bitstring>> = <<1,2,3,4>>, term_to_binary(X)
    // is <<131,77,0,0,0,3,4,8,16,16>>.
    let mut heap = LiteralArea::new();
    let original = build::binary(&mut heap, &[1, 2, 3, 4]);
    let sub = build::sub_binary(&mut heap, original, 0, 2, 4, 3);
    assert_eq!(
        encode(sub, EncodeOptions::default()),
        [131, 77, 0, 0, 0, 3, 4, 8, 16, 16]
    );
}
