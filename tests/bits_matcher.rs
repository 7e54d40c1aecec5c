//! The bit-syntax matcher on a few thousand generated programs and
//! bitstrings (the seeded, deterministic counterpart of the `match_bits`
//! fuzz target); see `support/bits_driver.rs` for what is checked.

#[path = "support/bits_driver.rs"]
mod driver;

/// xorshift64*: a fixed sequence, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// Payloads that reach the matcher's valid paths more often than random
/// bytes: text in UTF-8, UTF-16 and UTF-32, and finite floats.
fn structured(rng: &mut Rng) -> Vec<u8> {
    let text: String = (0..rng.next() % 20)
        .map(|_| {
            let c = match rng.next() % 4 {
                0 => rng.next() % 0x80,
                1 => 0x80 + rng.next() % 0x780,
                2 => 0x800 + rng.next() % 0xD000,
                _ => 0x10000 + rng.next() % 0xFFFFF,
            };
            char::from_u32(c as u32).unwrap_or('x')
        })
        .collect();
    let mut out = match rng.next() % 4 {
        0 => text.into_bytes(),
        1 => text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect(),
        2 => text
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect(),
        _ => (0..4)
            .flat_map(|i| (rng.next() as f64 / (i as f64 + 0.5)).to_be_bytes())
            .collect(),
    };
    let extra = (rng.next() % 8) as usize;
    out.extend(rng.bytes(extra));
    out
}

#[test]
fn generated_programs_keep_the_matcher_invariants() {
    let mut rng = Rng(0x00DD_BA11_5EED);
    let mut hits = [0usize; 10];
    for i in 0..10_000 {
        let ops = (rng.next() % 32) as u8;
        let lead = (rng.next() % 8) as u8;
        let mut input = vec![ops << 3 | lead];
        input.extend(rng.bytes(2 * ops as usize));
        if i % 2 == 0 {
            input.extend(structured(&mut rng));
        } else {
            let n = (rng.next() % 48) as usize;
            input.extend(rng.bytes(n));
        }
        for (total, h) in hits.iter_mut().zip(driver::run(&input)) {
            *total += h;
        }
    }
    // Every kind of operation succeeded often enough to have been checked.
    for (op, &h) in hits.iter().enumerate() {
        assert!(
            h >= 100,
            "operation {op} succeeded only {h} times: {hits:?}"
        );
    }
}

#[test]
fn short_and_empty_inputs() {
    for input in [&[][..], &[0], &[0xFF], &[8, 0, 0], &[16, 9, 9, 4, 1, 0xC3]] {
        driver::run(input);
    }
}
