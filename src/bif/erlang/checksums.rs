//! Checksums of iodata: `md5/1`, `md5_init/0`, `md5_update/2`,
//! `md5_final/1`, `crc32/1,2`, `crc32_combine/3`, `adler32/1,2`,
//! `adler32_combine/3`.
//!
//! `md5/1` and CRC-32 use the `md-5` and `crc32fast` crates. The MD5
//! context of `md5_init/0` is the 88-byte binary erts makes of its C
//! struct (four state words, the bit count, the 64-byte block buffer, all
//! little-endian), so contexts pass between erl and oxbeam; `md-5` keeps
//! its state private, so the block function for contexts is written here.
//! Adler-32 is computed here too, as zlib computes it: erl takes any 32-bit
//! start value, and zlib leaves some unreduced start values unreduced
//! where a crate would reduce them.

use md5::Digest;

use super::binaries::flatten_iolist;
use super::term_to_u64;
use crate::bif::{Native, NativeResult, Raised};
use crate::term::{build, Term};
use crate::vm::process::Process;

/// The bytes of iodata, or `badarg`.
fn iodata(term: Term) -> Result<Vec<u8>, Raised> {
    let mut bytes = Vec::new();
    flatten_iolist(term, &mut bytes).ok_or_else(Raised::badarg)?;
    Ok(bytes)
}

/// A checksum argument: an integer of at most 32 bits.
fn u32_arg(term: Term) -> Result<u32, Raised> {
    term_to_u64(term)
        .and_then(|v| u32::try_from(v).ok())
        .ok_or_else(Raised::badarg)
}

fn md5_1(process: &mut Process, args: &[Term]) -> NativeResult {
    let digest = md5::Md5::digest(iodata(args[0])?);
    Ok(build::binary(&mut process.heap, &digest))
}

/// Bytes in an MD5 context: state, bit count, block buffer.
const MD5_CONTEXT_BYTES: usize = 88;

/// erts's `MD5_CTX` (RSA's reference MD5), read from and written to the
/// context binary.
struct Md5Context {
    state: [u32; 4],
    bit_count: u64,
    buffer: [u8; 64],
}

impl Md5Context {
    fn new() -> Md5Context {
        Md5Context {
            state: [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476],
            bit_count: 0,
            buffer: [0; 64],
        }
    }

    fn from_bytes(bytes: &[u8]) -> Option<Md5Context> {
        if bytes.len() != MD5_CONTEXT_BYTES {
            return None;
        }
        let word = |i: usize| u32::from_le_bytes(bytes[4 * i..4 * i + 4].try_into().unwrap());
        Some(Md5Context {
            state: [word(0), word(1), word(2), word(3)],
            bit_count: u64::from_le_bytes(bytes[16..24].try_into().unwrap()),
            buffer: bytes[24..88].try_into().unwrap(),
        })
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(MD5_CONTEXT_BYTES);
        for word in self.state {
            bytes.extend_from_slice(&word.to_le_bytes());
        }
        bytes.extend_from_slice(&self.bit_count.to_le_bytes());
        bytes.extend_from_slice(&self.buffer);
        bytes
    }

    /// RSA's `MD5Update`: the buffer is written only where input lands (a
    /// 32-bit length, as in erts, which feeds it in small chunks).
    fn update(&mut self, input: &[u8]) {
        let index = ((self.bit_count >> 3) & 0x3F) as usize;
        self.bit_count = self.bit_count.wrapping_add((input.len() as u64) << 3);
        let part = 64 - index;
        if input.len() >= part {
            self.buffer[index..].copy_from_slice(&input[..part]);
            let block = self.buffer;
            md5_block(&mut self.state, &block);
            let mut done = part;
            while done + 64 <= input.len() {
                md5_block(&mut self.state, input[done..done + 64].try_into().unwrap());
                done += 64;
            }
            self.buffer[..input.len() - done].copy_from_slice(&input[done..]);
        } else {
            self.buffer[index..index + input.len()].copy_from_slice(input);
        }
    }

    /// RSA's `MD5Final`: padding, the bit count, the digest.
    fn finish(mut self) -> [u8; 16] {
        let bits = self.bit_count.to_le_bytes();
        let index = ((self.bit_count >> 3) & 0x3F) as usize;
        let pad_len = if index < 56 { 56 - index } else { 120 - index };
        let mut padding = [0u8; 64];
        padding[0] = 0x80;
        self.update(&padding[..pad_len]);
        self.update(&bits);
        let mut digest = [0u8; 16];
        for (out, word) in digest.chunks_exact_mut(4).zip(self.state) {
            out.copy_from_slice(&word.to_le_bytes());
        }
        digest
    }
}

/// MD5's per-round constants (RFC 1321: `floor(abs(sin(i + 1)) * 2^32)`).
const MD5_K: [u32; 64] = [
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
];

/// MD5's rotation amounts, four per round.
const MD5_SHIFTS: [[u32; 4]; 4] = [
    [7, 12, 17, 22],
    [5, 9, 14, 20],
    [4, 11, 16, 23],
    [6, 10, 15, 21],
];

/// MD5's block function (RFC 1321 `MD5Transform`).
fn md5_block(state: &mut [u32; 4], block: &[u8; 64]) {
    let x: Vec<u32> = block
        .chunks_exact(4)
        .map(|w| u32::from_le_bytes(w.try_into().unwrap()))
        .collect();
    let [mut a, mut b, mut c, mut d] = *state;
    for i in 0..64 {
        let round = i / 16;
        let (f, g) = match round {
            0 => ((b & c) | (!b & d), i),
            1 => ((b & d) | (c & !d), (5 * i + 1) % 16),
            2 => (b ^ c ^ d, (3 * i + 5) % 16),
            _ => (c ^ (b | !d), (7 * i) % 16),
        };
        let sum = a.wrapping_add(f).wrapping_add(x[g]).wrapping_add(MD5_K[i]);
        let rotated = b.wrapping_add(sum.rotate_left(MD5_SHIFTS[round][i % 4]));
        (a, b, c, d) = (d, rotated, b, c);
    }
    for (s, v) in state.iter_mut().zip([a, b, c, d]) {
        *s = s.wrapping_add(v);
    }
}

/// The context in a context binary, or `badarg`.
fn md5_context(term: Term) -> Result<Md5Context, Raised> {
    super::binary_bytes(term)
        .and_then(|bytes| Md5Context::from_bytes(&bytes))
        .ok_or_else(Raised::badarg)
}

fn md5_init(process: &mut Process, _: &[Term]) -> NativeResult {
    Ok(build::binary(
        &mut process.heap,
        &Md5Context::new().to_bytes(),
    ))
}

fn md5_update(process: &mut Process, args: &[Term]) -> NativeResult {
    let mut context = md5_context(args[0])?;
    context.update(&iodata(args[1])?);
    Ok(build::binary(&mut process.heap, &context.to_bytes()))
}

fn md5_final(process: &mut Process, args: &[Term]) -> NativeResult {
    let digest = md5_context(args[0])?.finish();
    Ok(build::binary(&mut process.heap, &digest))
}

fn crc32(initial: u32, data: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new_with_initial(initial);
    hasher.update(data);
    hasher.finalize()
}

fn crc32_1(_: &mut Process, args: &[Term]) -> NativeResult {
    Ok(Term::small(crc32(0, &iodata(args[0])?) as i64))
}

fn crc32_2(_: &mut Process, args: &[Term]) -> NativeResult {
    let initial = u32_arg(args[0])?;
    Ok(Term::small(crc32(initial, &iodata(args[1])?) as i64))
}

/// `crc32_combine(Crc1, Crc2, Size2)`: the CRC of two runs from theirs.
/// zlib (since 1.2.12, as erl links it) gives `Crc1 bxor Crc2` for an empty
/// second run, where `crc32fast` gives `Crc1`.
fn crc32_combine(_: &mut Process, args: &[Term]) -> NativeResult {
    let first = u32_arg(args[0])?;
    let second = u32_arg(args[1])?;
    let second_len = u32_arg(args[2])?;
    if second_len == 0 {
        return Ok(Term::small((first ^ second) as i64));
    }
    let mut combined = crc32fast::Hasher::new_with_initial(first);
    combined.combine(&crc32fast::Hasher::new_with_initial_len(
        second,
        second_len as u64,
    ));
    Ok(Term::small(combined.finalize() as i64))
}

/// Adler-32's modulus.
const ADLER_BASE: u32 = 65521;
/// Bytes zlib sums before reducing (the most that cannot overflow).
const ADLER_NMAX: usize = 5552;

/// zlib's `adler32(Adler, Data, Len)`, its short-input shortcuts included
/// (they reduce by one subtraction only).
fn adler32(adler: u32, data: &[u8]) -> u32 {
    let mut sum2 = adler >> 16;
    let mut sum1 = adler & 0xFFFF;
    if data.len() == 1 {
        sum1 += data[0] as u32;
        if sum1 >= ADLER_BASE {
            sum1 -= ADLER_BASE;
        }
        sum2 += sum1;
        if sum2 >= ADLER_BASE {
            sum2 -= ADLER_BASE;
        }
        return sum1 | sum2 << 16;
    }
    if data.len() < 16 {
        for &b in data {
            sum1 += b as u32;
            sum2 += sum1;
        }
        if sum1 >= ADLER_BASE {
            sum1 -= ADLER_BASE;
        }
        return sum1 | (sum2 % ADLER_BASE) << 16;
    }
    for chunk in data.chunks(ADLER_NMAX) {
        for &b in chunk {
            sum1 += b as u32;
            sum2 += sum1;
        }
        sum1 %= ADLER_BASE;
        sum2 %= ADLER_BASE;
    }
    sum1 | sum2 << 16
}

/// The Adler-32 of iodata from `initial`: zlib is called once per binary
/// and run of bytes, as erts's `do_chksum` calls it (an empty binary is a
/// call that reduces, `[]` is none).
fn adler32_of(initial: u32, data: Term) -> Result<u32, Raised> {
    let runs = iodata_runs(data).ok_or_else(Raised::badarg)?;
    Ok(runs.iter().fold(initial, |sum, run| adler32(sum, run)))
}

/// The runs erts's `do_chksum` hands to its checksum function: each binary
/// on its own, each run of consecutive bytes of one list level together.
fn iodata_runs(term: Term) -> Option<Vec<Vec<u8>>> {
    use crate::term::View;
    let mut runs = Vec::new();
    let mut pending = vec![term];
    while let Some(term) = pending.pop() {
        match term.view() {
            View::Nil => {}
            View::Bitstring(bits) => runs.push(super::whole_bytes(&bits)?.into_owned()),
            View::Cons(..) => {
                let mut bytes: Option<Vec<u8>> = None;
                let mut rest = term;
                while let Some((head, tail)) = rest.as_cons() {
                    match head.view() {
                        View::Small(b) => {
                            bytes
                                .get_or_insert_with(Vec::new)
                                .push(u8::try_from(b).ok()?);
                            rest = tail;
                            continue;
                        }
                        View::Nil => {}
                        View::Cons(..) | View::Bitstring(_) => {
                            runs.extend(bytes.take());
                            // The sublist (or binary) first, then the rest.
                            pending.push(tail);
                            pending.push(head);
                            rest = Term::NIL;
                            break;
                        }
                        _ => return None,
                    }
                    runs.extend(bytes.take());
                    rest = tail;
                }
                runs.extend(bytes.take());
                if !rest.is_nil() {
                    pending.push(rest);
                    if !rest.is_bitstring() {
                        return None;
                    }
                }
            }
            _ => return None,
        }
    }
    Some(runs)
}

fn adler32_1(_: &mut Process, args: &[Term]) -> NativeResult {
    Ok(Term::small(adler32_of(1, args[0])? as i64))
}

fn adler32_2(_: &mut Process, args: &[Term]) -> NativeResult {
    let initial = u32_arg(args[0])?;
    Ok(Term::small(adler32_of(initial, args[1])? as i64))
}

/// zlib's `adler32_combine`; erts returns the first checksum for an empty
/// second run.
fn adler32_combine(_: &mut Process, args: &[Term]) -> NativeResult {
    let first = u32_arg(args[0])?;
    let second = u32_arg(args[1])?;
    let second_len = u32_arg(args[2])?;
    if second_len == 0 {
        return Ok(Term::small(first as i64));
    }
    let base = ADLER_BASE as u64;
    let rem = second_len as u64 % base;
    let (first, second) = (first as u64, second as u64);
    let mut sum1 = first & 0xFFFF;
    let mut sum2 = (rem * sum1) % base;
    sum1 += (second & 0xFFFF) + base - 1;
    sum2 += ((first >> 16) & 0xFFFF) + ((second >> 16) & 0xFFFF) + base - rem;
    if sum1 >= base {
        sum1 -= base;
    }
    if sum1 >= base {
        sum1 -= base;
    }
    if sum2 >= base << 1 {
        sum2 -= base << 1;
    }
    if sum2 >= base {
        sum2 -= base;
    }
    Ok(Term::small((sum1 | sum2 << 16) as i64))
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "md5"/1 => md5_1,
    "md5_init"/0 => md5_init,
    "md5_update"/2 => md5_update,
    "md5_final"/1 => md5_final,
    "crc32"/1 => crc32_1,
    "crc32"/2 => crc32_2,
    "crc32_combine"/3 => crc32_combine,
    "adler32"/1 => adler32_1,
    "adler32"/2 => adler32_2,
    "adler32_combine"/3 => adler32_combine,
);

#[cfg(test)]
mod tests {
    use super::super::testing::check;
    use super::*;

    #[test]
    fn context_md5_equals_one_shot_md5() {
        // Self-consistency: the block function written here against the
        // md-5 crate, across block boundaries and split updates.
        let data: Vec<u8> = (0..300u32).map(|i| (i * 7 + 3) as u8).collect();
        for len in [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 300] {
            for split in [0, len.min(1), len / 2, len] {
                let mut context = Md5Context::new();
                context.update(&data[..split]);
                context.update(&data[split..len]);
                let bytes = context.to_bytes();
                let digest = Md5Context::from_bytes(&bytes).unwrap().finish();
                assert_eq!(
                    digest[..],
                    md5::Md5::digest(&data[..len])[..],
                    "{len}/{split}"
                );
            }
        }
    }

    #[test]
    fn checksums_follow_erl() {
        // Expected values printed by erl (~w) for erlang:F(Args).
        check(&[
            (crc32_1, "[<<\"abc\">>]", "891568578"),
            (crc32_2, "[4294967296, \"a\"]", "{error,badarg}"),
            (crc32_2, "[-1, \"a\"]", "{error,badarg}"),
            (crc32_combine, "[5, 7, 0]", "2"),
            (crc32_combine, "[4294967295, 4294967295, 4294967295]", "0"),
            (adler32_1, "[\"abc\"]", "38600999"),
            (adler32_2, "[4294967295, <<>>]", "917518"),
            (adler32_2, "[4294967295, []]", "4294967295"),
            (adler32_2, "[4294967295, <<1>>]", "1900559"),
            (adler32_2, "[4294967295, <<1,2,3>>]", "4325396"),
            (adler32_combine, "[5, 7, 0]", "5"),
            (adler32_combine, "[1, 2, 3]", "2"),
            (
                adler32_combine,
                "[4294967295, 4294967295, 4294967295]",
                "192741388",
            ),
            (
                md5_1,
                "[\"abc\"]",
                "<<144,1,80,152,60,210,79,176,214,150,63,125,40,225,127,114>>",
            ),
            (md5_final, "[<<1,2>>]", "{error,badarg}"),
            (md5_update, "[<<1,2>>, \"a\"]", "{error,badarg}"),
        ]);
    }
}
