//! Robustness of the loader: thousands of damaged variants of real `.beam`
//! files (truncated, bytes flipped, chunk sizes and table counts made up)
//! must each give `Ok` or `Err`, never a panic.

mod support;

use std::io::{Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};

use oxbeam::loader::{self, BeamFile};

/// A few installed modules with different chunk sets: a plain module, one
/// with funs and literals, one with floats, and Elixir modules (no Type
/// chunk, Docs and ExCk chunks).
const SAMPLES: [&str; 5] = [
    "lists.beam",
    "gen_server.beam",
    "io_lib_format.beam",
    "Elixir.URI.beam",
    "Elixir.String.beam",
];

/// Random variants per sample and kind of damage.
const RANDOM_VARIANTS: usize = 400;

fn samples() -> Vec<(String, Vec<u8>)> {
    SAMPLES
        .iter()
        .map(|name| {
            let path = support::installed_file(name);
            (name.to_string(), std::fs::read(path).unwrap())
        })
        .collect()
}

/// xorshift64*: a small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A 32-bit value biased towards the interesting ones.
    fn count(&mut self, current: u32) -> u32 {
        match self.below(8) {
            0 => 0,
            1 => u32::MAX,
            2 => 0x8000_0000,
            3 => current.wrapping_add(1),
            4 => current.wrapping_sub(1),
            5 => current.wrapping_mul(2),
            6 => self.next() as u32 & 0xFFFF,
            _ => self.next() as u32,
        }
    }
}

/// A chunk's position: header at `header`, data at `data`, `size` bytes.
struct ChunkPos {
    id: [u8; 4],
    header: usize,
    data: usize,
    size: usize,
}

fn chunk_positions(bytes: &[u8]) -> Vec<ChunkPos> {
    let mut chunks = Vec::new();
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let size = u32::from_be_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
        chunks.push(ChunkPos {
            id: bytes[at..at + 4].try_into().unwrap(),
            header: at,
            data: at + 8,
            size,
        });
        at += 8 + size.div_ceil(4) * 4;
    }
    chunks
}

fn put_u32(bytes: &mut [u8], at: usize, value: u32) {
    if at + 4 <= bytes.len() {
        bytes[at..at + 4].copy_from_slice(&value.to_be_bytes());
    }
}

fn get_u32(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at + 4)
        .map_or(0, |b| u32::from_be_bytes(b.try_into().unwrap()))
}

/// Loads `bytes`, and disassembles what loads; a panic fails the test.
struct Outcomes {
    ok: usize,
    err: usize,
}

impl Outcomes {
    fn try_load(&mut self, what: &str, bytes: &[u8]) {
        let result = catch_unwind(AssertUnwindSafe(|| {
            let loaded = loader::load(bytes);
            if let Ok(beam) = &loaded {
                exercise(beam);
            }
            loaded.map(|_| ())
        }));
        match result {
            Ok(Ok(())) => self.ok += 1,
            Ok(Err(e)) => {
                assert!(!e.to_string().is_empty());
                self.err += 1
            }
            Err(_) => panic!("the loader panicked on {what}"),
        }
    }
}

/// Uses what was loaded the way the disassembler does.
fn exercise(beam: &BeamFile) {
    let mut text = String::new();
    oxbeam::dis::write_listing(&mut text, beam);
    assert!(text.starts_with("module "));
}

/// Rebuilds a `LitT` chunk payload from an uncompressed table.
fn literal_chunk(claimed_size: u32, table: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(table).unwrap();
    let mut payload = claimed_size.to_be_bytes().to_vec();
    payload.extend(z.finish().unwrap());
    payload
}

/// `bytes` with the payload of chunk `c` replaced (sizes fixed up).
fn replace_chunk(bytes: &[u8], c: &ChunkPos, payload: &[u8]) -> Vec<u8> {
    let mut out = bytes[..c.header].to_vec();
    out.extend_from_slice(&c.id);
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
    out.resize(out.len().div_ceil(4) * 4, 0);
    out.extend_from_slice(&bytes[(c.data + c.size.div_ceil(4) * 4).min(bytes.len())..]);
    let form = out.len() as u32 - 8;
    put_u32(&mut out, 4, form);
    out
}

#[test]
fn damaged_files_never_make_the_loader_panic() {
    let mut outcomes = Outcomes { ok: 0, err: 0 };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for (name, original) in samples() {
        outcomes.try_load(name.as_str(), &original);
        assert!(loader::load(&original).is_ok(), "{name} itself must load");
        let chunks = chunk_positions(&original);

        // Truncation at and around every chunk boundary, and at random.
        let mut cuts: Vec<usize> = vec![0, 1, 4, 8, 11, 12];
        for c in &chunks {
            for at in [
                c.header,
                c.header + 4,
                c.data,
                c.data + c.size / 2,
                c.data + c.size,
            ] {
                cuts.extend([at.saturating_sub(1), at, at + 1]);
            }
        }
        cuts.extend((0..RANDOM_VARIANTS).map(|_| rng.below(original.len())));
        for cut in cuts.into_iter().filter(|&c| c < original.len()) {
            let mut bytes = original[..cut].to_vec();
            outcomes.try_load(&format!("{name} cut at {cut}"), &bytes);
            // The same with the form size claiming the cut-off part is there.
            put_u32(&mut bytes, 4, original.len() as u32 - 8);
            outcomes.try_load(&format!("{name} cut at {cut}, old form size"), &bytes);
        }

        // Flipped bytes anywhere, and concentrated in the code and tables.
        for i in 0..RANDOM_VARIANTS * 3 {
            let mut bytes = original.clone();
            let region = if i % 3 == 0 {
                (0, bytes.len())
            } else {
                let c = &chunks[rng.below(chunks.len())];
                (c.data, c.size.max(1))
            };
            for _ in 0..1 + rng.below(4) {
                let at = (region.0 + rng.below(region.1)).min(bytes.len() - 1);
                bytes[at] = match rng.below(3) {
                    0 => bytes[at] ^ (1 << rng.below(8)),
                    1 => 0xFF,
                    _ => rng.next() as u8,
                };
            }
            outcomes.try_load(&format!("{name} flip variant {i}"), &bytes);
        }

        // Bogus chunk sizes, form size, table counts and header fields: the
        // first words of every chunk (atom, import, export, lambda counts,
        // the code header's size, version, max opcode, label and function
        // counts, the literal table's uncompressed size, the line table's
        // counts, the type count).
        for i in 0..RANDOM_VARIANTS {
            let mut bytes = original.clone();
            let c = &chunks[rng.below(chunks.len())];
            match rng.below(3) {
                0 => {
                    let v = rng.count(c.size as u32);
                    put_u32(&mut bytes, c.header + 4, v);
                }
                1 => {
                    let word = rng.below(6);
                    let at = c.data + 4 * word;
                    let v = rng.count(get_u32(&bytes, at));
                    put_u32(&mut bytes, at, v);
                }
                _ => {
                    let v = rng.count(original.len() as u32 - 8);
                    put_u32(&mut bytes, 4, v);
                }
            }
            outcomes.try_load(&format!("{name} count variant {i}"), &bytes);
        }

        // Inside the compressed literal table: the literal count, each
        // literal's size and its bytes, with the chunk rebuilt around them.
        if let Some(c) = chunks.iter().find(|c| &c.id == b"LitT") {
            let payload = &original[c.data..c.data + c.size];
            let mut table = Vec::new();
            flate2::read::ZlibDecoder::new(&payload[4..])
                .read_to_end(&mut table)
                .unwrap();
            let rebuilt = replace_chunk(&original, c, &literal_chunk(table.len() as u32, &table));
            outcomes.try_load(&format!("{name} literal table rebuilt"), &rebuilt);
            assert!(
                loader::load(&rebuilt).is_ok(),
                "{name}: rebuilt LitT must load"
            );
            let mut sizes = vec![4];
            let mut at = 4;
            while at + 4 <= table.len() {
                sizes.push(at);
                at += 4 + get_u32(&table, at) as usize;
            }
            for i in 0..RANDOM_VARIANTS {
                let mut t = table.clone();
                let mut claimed = t.len() as u32;
                match rng.below(4) {
                    0 => put_u32(&mut t, 0, rng.count(get_u32(&table, 0))),
                    1 => {
                        let at = sizes[rng.below(sizes.len())];
                        let v = rng.count(get_u32(&t, at));
                        put_u32(&mut t, at, v);
                    }
                    2 => {
                        for _ in 0..1 + rng.below(4) {
                            let at = rng.below(t.len());
                            t[at] = rng.next() as u8;
                        }
                    }
                    _ => claimed = rng.count(claimed),
                }
                let bytes = replace_chunk(&original, c, &literal_chunk(claimed, &t));
                outcomes.try_load(&format!("{name} literal variant {i}"), &bytes);
            }
        }
    }
    eprintln!("{} variants loaded, {} refused", outcomes.ok, outcomes.err);
    assert!(outcomes.err > outcomes.ok, "most damage must be noticed");
}
