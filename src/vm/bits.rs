//! The bit syntax: building binaries (`bs_create_bin` and the older
//! `bs_init2`/`bs_put_*` sequences, which the translator fuses into the
//! same segment lists) and matching them (`bs_start_match3/4`,
//! `bs_get_*`, `bs_skip_*`, `bs_test_*`, `bs_match_string`, positions),
//! with erl's results and errors.
//!
//! Building runs in three passes, as erts's `i_bs_create_bin` does, which
//! fixes which error wins: sizes and `binary`/`utf32` types are checked
//! for every segment first, then the binary appended to, then each segment
//! is written in order. Bits are written to a [`BitWriter`] and the
//! result allocated once at the end. Appending (`<<Acc/binary, ...>>`)
//! writes into spare capacity of `Acc`'s off-heap buffer when `Acc` ends
//! where the buffer's bytes end (see `heap::BinaryBuf::try_append`), so a
//! loop that grows a binary is linear.
//!
//! Matching works on a match context (`term::binary`): the binary matched
//! and a bit offset into it.

use crate::bif::Raised;
use crate::heap::{BinaryBuf, ProcessHeap, TermAlloc};
use crate::term::binary::{self as layout, MatchContext};
use std::sync::OnceLock;

use crate::term::{build, Atom, Bitstring, Term, View};
use crate::vm::instr::Src;

/// `little` in a segment's flags (after `native` is resolved).
pub const FLAG_LITTLE: u8 = 0x02;
/// `signed` in a segment's flags.
pub const FLAG_SIGNED: u8 = 0x04;
/// `native` in a generic instruction's flags.
pub const FLAG_NATIVE: u8 = 0x10;

/// Flags of a generic instruction as the builder and matcher read them:
/// `native` becomes the machine's byte order.
pub fn resolve_flags(flags: u64) -> u8 {
    let mut f = (flags as u8) & (FLAG_LITTLE | FLAG_SIGNED);
    if flags & FLAG_NATIVE as u64 != 0 && cfg!(target_endian = "little") {
        f |= FLAG_LITTLE;
    }
    f
}

/// The largest binary built, in bytes: beyond it building raises
/// `system_limit` rather than allocating (erl would try and run out of
/// memory).
const MAX_BUILD_BYTES: u64 = 1 << 32;

/// Heap words the result of a build takes at most (a heap binary of 64
/// bytes or a refc binary, and a sub binary), for the collection before it.
pub const BUILD_HEAP_NEED: usize = 9 + 5;

/// Heap words one match instruction allocates at most outside of integers:
/// a match context or a sub binary.
pub const MATCH_HEAP_NEED: usize = 5;

/// What a segment of a build is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SegmentKind {
    Integer,
    Float,
    /// A bitstring: `size` units of it, or all of it (`size` the atom `all`).
    Binary,
    Utf8,
    Utf16,
    Utf32,
    /// Literal bytes: `value` is a binary constant.
    String,
    /// The binary the build appends to (`value`), first segment only.
    Append,
    /// The same, for a binary the code knows to be its own (comprehensions).
    PrivateAppend,
    /// First segment of an old-style build (`bs_init2`): `size` bytes.
    InitBytes,
    /// First segment of an old-style build (`bs_init_bits`): `size` bits.
    InitBits,
}

/// One segment of a build, as the translator leaves it beside the code.
#[derive(Clone, Copy, Debug)]
pub struct Segment {
    pub kind: SegmentKind,
    /// [`FLAG_LITTLE`] (resolved from `native` too).
    pub flags: u8,
    pub unit: u16,
    /// The segment's number in the source, for error reports (0 in old
    /// style builds).
    pub number: u32,
    pub value: Src,
    /// A size in units, the atom `all`, or for an old-style append or
    /// init the size of the whole build.
    pub size: Src,
}

/// How a build reports errors.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BuildStyle {
    /// `bs_create_bin`: erl's `{error_info, ...}` names the segment.
    Create,
    /// A fused `bs_init2`/`bs_append` + `bs_put_*` sequence: plain errors.
    Puts,
}

/// Why a build failed: the exception's reason and, for `bs_create_bin`,
/// the cause erl's `erl_erts_errors:format_bs_fail` reads.
#[derive(Clone, Copy, Debug)]
pub struct BuildError {
    pub system_limit: bool,
    pub cause: Option<(u32, Atom, Atom, Term)>,
}

impl BuildError {
    /// The exception, and the `{error_info, Map}` to add to the raising
    /// frame's location (for `bs_create_bin`).
    pub fn raise(&self, heap: &mut ProcessHeap) -> (Raised, Option<Term>) {
        let raised = if self.system_limit {
            Raised::system_limit()
        } else {
            Raised::badarg()
        };
        let info = self.cause.map(|(number, op, info, value)| {
            let cause = build::tuple(
                heap,
                &[
                    Term::small(number as i64),
                    Term::atom(op),
                    Term::atom(info),
                    value,
                ],
            );
            let pairs = [
                (atom("cause"), cause),
                (atom("function"), atom("format_bs_fail")),
                (atom("module"), atom("erl_erts_errors")),
            ];
            let (map, _) = crate::term::map::from_pairs(heap, &pairs);
            build::tuple(heap, &[atom("error_info"), map])
        });
        (raised, info)
    }
}

/// The size `all` of a binary segment.
fn is_all(size: Term) -> bool {
    static ALL: OnceLock<Term> = OnceLock::new();
    size == *ALL.get_or_init(|| atom("all"))
}

fn atom(name: &str) -> Term {
    Term::atom(Atom::intern(name).expect("a short atom"))
}

fn fail(segment: &Segment, info: &str, value: Term) -> BuildError {
    BuildError {
        system_limit: false,
        cause: Some((segment.number, op_name(segment.kind), name(info), value)),
    }
}

fn name(text: &str) -> Atom {
    Atom::intern(text).expect("a short atom")
}

/// The segment type erl names in a cause.
fn op_name(kind: SegmentKind) -> Atom {
    name(match kind {
        SegmentKind::Integer => "integer",
        SegmentKind::Float => "float",
        SegmentKind::Utf8 => "utf8",
        SegmentKind::Utf16 => "utf16",
        SegmentKind::Utf32 => "utf32",
        _ => "binary",
    })
}

// ---- bit buffers ------------------------------------------------------------

/// Reads `n <= 64` bits at bit `pos` of `bytes`, most significant first.
/// The bits must lie within `bytes`.
pub fn read_bits(bytes: &[u8], pos: u64, n: u32) -> u64 {
    debug_assert!(n <= 64);
    if n == 0 {
        return 0;
    }
    let first = (pos / 8) as usize;
    let last = ((pos + n as u64 - 1) / 8) as usize;
    let mut acc: u128 = 0;
    for &b in &bytes[first..=last] {
        acc = acc << 8 | b as u128;
    }
    let span = (last - first + 1) as u64 * 8;
    let shift = span - (pos % 8) - n as u64;
    let mask = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
    (acc >> shift) as u64 & mask
}

/// Bits being written, most significant bit of each byte first; the unused
/// low bits of a partial last byte are zero.
#[derive(Default, Debug)]
pub struct BitWriter {
    bytes: Vec<u8>,
    bits: u64,
}

impl BitWriter {
    pub fn with_capacity(bits: u64) -> BitWriter {
        BitWriter {
            bytes: Vec::with_capacity(bits.div_ceil(8) as usize),
            bits: 0,
        }
    }

    /// A writer that continues `bits` bits already in `bytes`.
    fn continuing(mut bytes: Vec<u8>, bits: u64) -> BitWriter {
        bytes.truncate(bits.div_ceil(8) as usize);
        if !bits.is_multiple_of(8) {
            if let Some(last) = bytes.last_mut() {
                *last &= 0xFFu8 << (8 - bits % 8);
            }
        }
        BitWriter { bytes, bits }
    }

    pub fn bit_len(&self) -> u64 {
        self.bits
    }

    pub fn into_parts(self) -> (Vec<u8>, u64) {
        (self.bytes, self.bits)
    }

    /// Appends the low `n <= 64` bits of `value`, most significant first.
    pub fn push_u64(&mut self, value: u64, n: u32) {
        let mut left = n;
        while left > 0 {
            let used = (self.bits % 8) as u32;
            if used == 0 {
                if left >= 8 {
                    self.bytes.push((value >> (left - 8)) as u8);
                    self.bits += 8;
                    left -= 8;
                    continue;
                }
                self.bytes.push(0);
            }
            let free = 8 - used;
            let take = free.min(left);
            let chunk = (value >> (left - take)) as u8 & ((1u16 << take) - 1) as u8;
            *self.bytes.last_mut().expect("a partial byte") |= chunk << (free - take);
            self.bits += take as u64;
            left -= take;
        }
    }

    /// Appends `n` bits of `bytes` starting at bit `pos`.
    pub fn push_bits(&mut self, bytes: &[u8], pos: u64, n: u64) {
        if n == 0 {
            return;
        }
        if self.bits.is_multiple_of(8) && pos.is_multiple_of(8) {
            let start = (pos / 8) as usize;
            let whole = (n / 8) as usize;
            self.bytes.extend_from_slice(&bytes[start..start + whole]);
            self.bits += whole as u64 * 8;
            let rest = (n % 8) as u32;
            if rest > 0 {
                self.push_u64(read_bits(bytes, pos + whole as u64 * 8, rest), rest);
            }
            return;
        }
        let mut at = pos;
        let end = pos + n;
        while end - at >= 56 {
            self.push_u64(read_bits(bytes, at, 56), 56);
            at += 56;
        }
        let rest = (end - at) as u32;
        self.push_u64(read_bits(bytes, at, rest), rest);
    }

    /// Appends a bitstring's bits (`n` of them from its start).
    pub fn push_bitstring(&mut self, bits: &Bitstring<'_>, n: u64) {
        self.push_bits(bits.bytes, bits.bit_offset as u64, n);
    }
}

// ---- integers ----------------------------------------------------------------

/// An integer term's two's complement, little-endian, cut or sign-extended
/// to `len` bytes.
fn int_le_bytes(value: Term, len: usize) -> Option<Vec<u8>> {
    match value.view() {
        View::Small(v) => Some((0..len).map(|i| (v >> (8 * i).min(63)) as u8).collect()),
        View::Big { negative, limbs } => {
            let mut out: Vec<u8> = limbs
                .iter()
                .flat_map(|l| l.to_le_bytes())
                .take(len)
                .collect();
            out.resize(len, 0);
            if negative {
                negate_le(&mut out);
            }
            Some(out)
        }
        _ => None,
    }
}

/// Two's complement negation of a little-endian number, in place.
fn negate_le(bytes: &mut [u8]) {
    let mut carry = true;
    for b in bytes.iter_mut() {
        let (v, c) = (!*b).overflowing_add(carry as u8);
        *b = v;
        carry = c;
    }
}

/// The low 64 bits of an integer's two's complement.
fn int_low_u64(value: Term) -> Option<u64> {
    match value.view() {
        View::Small(v) => Some(v as u64),
        View::Big { .. } => {
            let bytes = int_le_bytes(value, 8)?;
            Some(u64::from_le_bytes(bytes.try_into().expect("8 bytes")))
        }
        _ => None,
    }
}

/// Writes `value` (an integer) as an `n`-bit field; false if it is not an
/// integer.
fn put_integer(w: &mut BitWriter, value: Term, n: u64, little: bool) -> bool {
    if n <= 64 {
        let Some(v) = int_low_u64(value) else {
            return false;
        };
        let n = n as u32;
        if !little || n <= 8 {
            w.push_u64(v, n);
        } else {
            for i in 0..n / 8 {
                w.push_u64(v >> (8 * i), 8);
            }
            if !n.is_multiple_of(8) {
                w.push_u64(v >> (8 * (n / 8)), n % 8);
            }
        }
        return true;
    }
    let len = n.div_ceil(8) as usize;
    let Some(mut le) = int_le_bytes(value, len) else {
        return false;
    };
    let pad = ((8 - n % 8) % 8) as u32;
    if little {
        // Whole bytes least significant first, then the top `n % 8` bits.
        if pad != 0 {
            le[len - 1] <<= pad;
        }
        w.push_bits(&le, 0, n);
    } else {
        le.reverse();
        shift_left(&mut le, pad);
        w.push_bits(&le, 0, n);
    }
    true
}

/// Shifts a big-endian byte string left by `by < 8` bits.
fn shift_left(bytes: &mut [u8], by: u32) {
    if by == 0 {
        return;
    }
    for i in 0..bytes.len() {
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        bytes[i] = bytes[i] << by | next >> (8 - by);
    }
}

/// Reads an `n`-bit integer at bit `pos` of `bytes`.
fn get_integer(heap: &mut impl TermAlloc, bytes: &[u8], pos: u64, n: u64, flags: u8) -> Term {
    let little = flags & FLAG_LITTLE != 0;
    let signed = flags & FLAG_SIGNED != 0;
    if n <= 64 {
        let n32 = n as u32;
        let raw = if !little || n <= 8 {
            read_bits(bytes, pos, n32)
        } else {
            let mut v = 0u64;
            for i in 0..n32 / 8 {
                v |= read_bits(bytes, pos + 8 * i as u64, 8) << (8 * i);
            }
            if !n32.is_multiple_of(8) {
                v |= read_bits(bytes, pos + 8 * (n32 / 8) as u64, n32 % 8) << (8 * (n32 / 8));
            }
            v
        };
        let value = if signed && n > 0 && raw >> (n - 1) & 1 == 1 {
            raw as i128 - (1i128 << n)
        } else {
            raw as i128
        };
        return match i64::try_from(value) {
            Ok(v) => build::int(heap, v),
            Err(_) => build::big_from_limbs(heap, false, &[value as u64]),
        };
    }
    // Left-align the field into bytes, then read it as little-endian
    // magnitude bytes.
    let mut field = BitWriter::with_capacity(n);
    field.push_bits(bytes, pos, n);
    let (mut be, _) = field.into_parts();
    let pad = ((8 - n % 8) % 8) as u32;
    let len = be.len();
    let mut le = if little {
        if pad != 0 {
            be[len - 1] >>= pad;
        }
        be
    } else {
        shift_right(&mut be, pad);
        be.reverse();
        be
    };
    let negative = signed && {
        let top_bit = (n - 1) % 8;
        le[len - 1] >> top_bit & 1 == 1
    };
    if negative {
        // Sign-extend the top byte, then negate for the magnitude.
        let keep = (n - 8 * (len as u64 - 1)) as u32;
        if keep < 8 {
            le[len - 1] |= 0xFFu8 << keep;
        }
        negate_le(&mut le);
    }
    let limbs: Vec<u64> = le
        .chunks(8)
        .map(|c| {
            let mut word = [0u8; 8];
            word[..c.len()].copy_from_slice(c);
            u64::from_le_bytes(word)
        })
        .collect();
    build::big_from_limbs(heap, negative, &limbs)
}

/// Shifts a big-endian byte string right by `by < 8` bits.
fn shift_right(bytes: &mut [u8], by: u32) {
    if by == 0 {
        return;
    }
    for i in (0..bytes.len()).rev() {
        let prev = if i == 0 { 0 } else { bytes[i - 1] };
        bytes[i] = bytes[i] >> by | prev << (8 - by);
    }
}

// ---- floats -------------------------------------------------------------------

/// An f64 as IEEE half precision, rounded to nearest even (as a C
/// `_Float16` conversion): too large is infinity.
pub fn f16_from_f64(x: f64) -> u16 {
    let bits = x.to_bits();
    let sign = ((bits >> 48) & 0x8000) as u16;
    let exp = ((bits >> 52) & 0x7FF) as i32;
    let mant = bits & ((1u64 << 52) - 1);
    if exp == 0x7FF {
        return sign | 0x7C00 | if mant != 0 { 0x200 } else { 0 };
    }
    // Value = 1.mant * 2^(exp - 1023); half: 1.m10 * 2^(e - 15).
    let e = exp - 1023 + 15;
    if e >= 0x1F {
        return sign | 0x7C00;
    }
    let (m, shift) = if e <= 0 {
        if e < -10 {
            // Below half the smallest subnormal (or exactly zero).
            return sign;
        }
        // Subnormal: the implicit one joins the mantissa.
        (mant | 1u64 << 52, (42 + 1 - e) as u32)
    } else {
        (mant, 42u32)
    };
    let kept = m >> shift;
    let rest = m & ((1u64 << shift) - 1);
    let half = 1u64 << (shift - 1);
    let rounded = if rest > half || (rest == half && kept & 1 == 1) {
        kept + 1
    } else {
        kept
    };
    let base = if e <= 0 { 0 } else { (e as u64) << 10 };
    // A mantissa carry rolls into the exponent (and to infinity at the top).
    sign | (base + rounded) as u16
}

/// A half-precision value as an f64.
pub fn f64_from_f16(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = ((h >> 10) & 0x1F) as i32;
    let mant = (h & 0x3FF) as f64;
    sign * match exp {
        0 => mant * 2f64.powi(-24),
        0x1F if mant == 0.0 => f64::INFINITY,
        0x1F => f64::NAN,
        _ => (1.0 + mant / 1024.0) * 2f64.powi(exp - 15),
    }
}

/// Why a float segment could not be written: erl's info atom and value.
enum FloatError {
    /// Not a number.
    Type,
    /// A bignum too large for a float.
    NoFloat,
    /// A size other than 16, 32 or 64.
    Invalid,
}

fn put_float(w: &mut BitWriter, value: Term, n: u64, little: bool) -> Result<(), FloatError> {
    if !matches!(n, 16 | 32 | 64) {
        return Err(FloatError::Invalid);
    }
    let f = match value.view() {
        View::Float(f) => f,
        View::Small(v) => v as f64,
        View::Big { .. } => crate::term::arith::integer_to_f64(value).ok_or(FloatError::NoFloat)?,
        _ => return Err(FloatError::Type),
    };
    let raw = match n {
        64 => f.to_bits(),
        32 => (f as f32).to_bits() as u64,
        _ => f16_from_f64(f) as u64,
    };
    let n = n as u32;
    if little {
        for i in 0..n / 8 {
            w.push_u64(raw >> (8 * i), 8);
        }
    } else {
        w.push_u64(raw, n);
    }
    Ok(())
}

// ---- unicode --------------------------------------------------------------------

/// A code point erl accepts in a `utf*` segment.
fn code_point(value: Term) -> Option<u32> {
    let v = value.as_small()?;
    ((0..=0x10FFFF).contains(&v) && !(0xD800..=0xDFFF).contains(&v)).then_some(v as u32)
}

fn put_utf8(w: &mut BitWriter, c: u32) {
    let mut buf = [0u8; 4];
    let s = char::from_u32(c)
        .expect("a checked code point")
        .encode_utf8(&mut buf);
    for &b in s.as_bytes() {
        w.push_u64(b as u64, 8);
    }
}

fn put_utf16(w: &mut BitWriter, c: u32, little: bool) {
    let mut buf = [0u16; 2];
    let units = char::from_u32(c)
        .expect("a checked code point")
        .encode_utf16(&mut buf);
    for &u in units.iter() {
        let u = if little { u.swap_bytes() } else { u };
        w.push_u64(u as u64, 16);
    }
}

/// Bytes `bs_utf8_size` reserves for a value (no check: the build checks).
pub fn utf8_size(value: Term) -> i64 {
    match value.as_small() {
        Some(v) if v < 0x80 => 1,
        Some(v) if v < 0x800 => 2,
        Some(v) if v < 0x10000 => 3,
        _ => 4,
    }
}

/// Bytes `bs_utf16_size` reserves for a value.
pub fn utf16_size(value: Term) -> i64 {
    match value.as_small() {
        Some(v) if v < 0x10000 => 2,
        _ => 4,
    }
}

// ---- building ---------------------------------------------------------------------

/// A segment's size in bits from its size term: `Err` with erl's reason
/// (`system_limit` for a non-negative integer that is too large).
fn size_bits(size: Term, unit: u16) -> Result<u64, bool> {
    match size.view() {
        View::Small(s) if s >= 0 => (s as u64)
            .checked_mul(unit as u64)
            .filter(|&b| b < 1 << 63)
            .ok_or(true),
        View::Big { negative, .. } => Err(!negative),
        _ => Err(false),
    }
}

/// The bits and cause of a bad size in segment `seg`.
fn size_error(seg: &Segment, size: Term, system_limit: bool) -> BuildError {
    BuildError {
        system_limit,
        cause: Some((seg.number, op_name(seg.kind), name("size"), size)),
    }
}

fn too_big() -> BuildError {
    BuildError {
        system_limit: true,
        cause: None,
    }
}

/// Builds a binary from `segments`, whose values and sizes (read from the
/// registers) are `args[2 * i]` and `args[2 * i + 1]`.
pub fn create_bin(
    heap: &mut ProcessHeap,
    style: BuildStyle,
    segments: &[Segment],
    args: &[Term],
) -> Result<Term, BuildError> {
    let plain = |e: BuildError| match style {
        BuildStyle::Create => e,
        BuildStyle::Puts => BuildError {
            system_limit: e.system_limit,
            cause: None,
        },
    };
    let value = |i: usize| args[2 * i];
    let size = |i: usize| args[2 * i + 1];
    // Pass 1: the size of what is built, checking sizes and some types.
    let mut total: u64 = 0;
    let mut body = segments;
    let mut first = 0;
    let head = segments.first().map(|s| s.kind);
    if matches!(
        head,
        Some(
            SegmentKind::Append
                | SegmentKind::PrivateAppend
                | SegmentKind::InitBytes
                | SegmentKind::InitBits
        )
    ) {
        body = &segments[1..];
        first = 1;
    }
    for (i, seg) in body.iter().enumerate() {
        let i = i + first;
        let bits = match seg.kind {
            SegmentKind::Binary if is_all(size(i)) => match value(i).view() {
                View::Bitstring(b) => b.bit_len,
                _ => return Err(plain(fail(seg, "type", value(i)))),
            },
            SegmentKind::Integer | SegmentKind::Float | SegmentKind::Binary => {
                size_bits(size(i), seg.unit)
                    .map_err(|limit| plain(size_error(seg, size(i), limit)))?
            }
            SegmentKind::String => match value(i).view() {
                View::Bitstring(b) => b.bit_len,
                _ => 0,
            },
            SegmentKind::Utf8 => 8 * utf8_size(value(i)) as u64,
            SegmentKind::Utf16 => 8 * utf16_size(value(i)) as u64,
            SegmentKind::Utf32 => {
                if code_point(value(i)).is_none() {
                    return Err(plain(fail(seg, "type", value(i))));
                }
                32
            }
            _ => 0,
        };
        total = total.saturating_add(bits);
    }
    // Pass 2: where the bits go.
    let mut appending = None;
    let mut writer = match segments.first() {
        Some(seg) if matches!(seg.kind, SegmentKind::Append | SegmentKind::PrivateAppend) => {
            let acc = value(0);
            let View::Bitstring(bits) = acc.view() else {
                return Err(plain(fail(seg, "type", acc)));
            };
            if style == BuildStyle::Puts {
                // The old instructions pass the size of what is appended.
                total = size_bits(size(0), 1).map_err(|limit| BuildError {
                    system_limit: limit,
                    cause: None,
                })?;
            }
            let unit = seg.unit.max(1) as u64;
            if bits.bit_len % unit != 0 {
                return Err(plain(fail(seg, "unit", acc)));
            }
            if bits.bit_len.saturating_add(total) > MAX_BUILD_BYTES * 8 {
                return Err(too_big());
            }
            appending = Some((acc, bits.bit_len));
            BitWriter::with_capacity(total)
        }
        Some(seg) if matches!(seg.kind, SegmentKind::InitBytes | SegmentKind::InitBits) => {
            let unit = if seg.kind == SegmentKind::InitBytes {
                8
            } else {
                1
            };
            total = size_bits(size(0), unit).map_err(|limit| BuildError {
                system_limit: limit,
                cause: None,
            })?;
            if total > MAX_BUILD_BYTES * 8 {
                return Err(too_big());
            }
            BitWriter::with_capacity(total)
        }
        _ => {
            if total > MAX_BUILD_BYTES * 8 {
                return Err(too_big());
            }
            BitWriter::with_capacity(total)
        }
    };
    // Pass 3: the segments, in order.
    for (i, seg) in body.iter().enumerate() {
        let i = i + first;
        write_segment(&mut writer, seg, value(i), size(i)).map_err(plain)?;
    }
    let (mut bytes, mut bits) = writer.into_parts();
    if style == BuildStyle::Puts && appending.is_none() && bits != total {
        // Compiled code always fills exactly what bs_init reserved; cut or
        // pad anything else to that size.
        bytes.resize(total.div_ceil(8) as usize, 0);
        (bytes, bits) = BitWriter::continuing(bytes, total).into_parts();
    }
    Ok(match appending {
        None => layout::bitstring_from_vec(heap, bytes, bits),
        // Nothing appended: the binary itself, as erts returns it.
        Some((acc, _)) if bits == 0 => acc,
        Some((acc, acc_bits)) => append(heap, acc, acc_bits, bytes, bits),
    })
}

/// Writes one segment.
fn write_segment(
    w: &mut BitWriter,
    seg: &Segment,
    value: Term,
    size: Term,
) -> Result<(), BuildError> {
    let little = seg.flags & FLAG_LITTLE != 0;
    match seg.kind {
        SegmentKind::Integer => {
            let n = size_bits(size, seg.unit).map_err(|limit| size_error(seg, size, limit))?;
            if !value.is_integer() {
                return Err(fail(seg, "type", value));
            }
            if w.bit_len().saturating_add(n) > MAX_BUILD_BYTES * 8 {
                return Err(too_big());
            }
            put_integer(w, value, n, little);
        }
        SegmentKind::Float => {
            let n = size_bits(size, seg.unit).map_err(|limit| size_error(seg, size, limit))?;
            put_float(w, value, n, little).map_err(|e| match e {
                FloatError::Type => fail(seg, "type", value),
                FloatError::NoFloat => fail(seg, "no_float", value),
                FloatError::Invalid => fail(seg, "invalid", Term::small(n.min(1 << 40) as i64)),
            })?;
        }
        SegmentKind::Binary => {
            let View::Bitstring(bits) = value.view() else {
                return Err(fail(seg, "type", value));
            };
            if is_all(size) {
                let unit = seg.unit.max(1) as u64;
                if bits.bit_len % unit != 0 {
                    return Err(fail(seg, "unit", value));
                }
                w.push_bitstring(&bits, bits.bit_len);
            } else {
                let n = size_bits(size, seg.unit).map_err(|limit| size_error(seg, size, limit))?;
                if n > bits.bit_len {
                    return Err(fail(seg, "short", value));
                }
                w.push_bitstring(&bits, n);
            }
        }
        SegmentKind::String => {
            if let View::Bitstring(bits) = value.view() {
                w.push_bitstring(&bits, bits.bit_len);
            }
        }
        SegmentKind::Utf8 => {
            let c = code_point(value).ok_or_else(|| fail(seg, "type", value))?;
            put_utf8(w, c);
        }
        SegmentKind::Utf16 => {
            let c = code_point(value).ok_or_else(|| fail(seg, "type", value))?;
            put_utf16(w, c, little);
        }
        SegmentKind::Utf32 => {
            let c = code_point(value).ok_or_else(|| fail(seg, "type", value))?;
            put_integer(w, Term::small(c as i64), 32, little);
        }
        SegmentKind::Append
        | SegmentKind::PrivateAppend
        | SegmentKind::InitBytes
        | SegmentKind::InitBits => {}
    }
    Ok(())
}

/// Smallest off-heap buffer an append creates.
const MIN_APPEND_CAPACITY: usize = 256;

/// `acc` (of `acc_bits` bits) followed by `tail_bits` bits of `tail`: in
/// place in `acc`'s buffer when it can be, else in a new buffer with room
/// to grow.
fn append(heap: &mut ProcessHeap, acc: Term, acc_bits: u64, tail: Vec<u8>, tail_bits: u64) -> Term {
    let bits = acc_bits + tail_bits;
    if acc_bits.is_multiple_of(8) && tail_bits.is_multiple_of(8) {
        if let Some((buf, len)) = acc.refc_buffer() {
            if buf.try_append(len, &tail) {
                return layout::refc_binary_prefix(heap, buf, len + tail.len());
            }
        }
    }
    let View::Bitstring(old) = acc.view() else {
        unreachable!("checked to be a bitstring")
    };
    let bytes = bits.div_ceil(8) as usize;
    let mut w = BitWriter::continuing(Vec::with_capacity(bytes), 0);
    w.push_bitstring(&old, acc_bits);
    w.push_bits(&tail, 0, tail_bits);
    let (data, written) = w.into_parts();
    debug_assert_eq!(written, bits);
    let capacity = (2 * bytes).max(MIN_APPEND_CAPACITY);
    layout::bitstring_in_buffer(heap, BinaryBuf::with_capacity(&data, capacity), bits)
}

/// `bs_init_writable`: an empty binary with room for `size` bytes.
pub fn init_writable(heap: &mut impl TermAlloc, size: Term) -> Term {
    let capacity = match size.as_small() {
        Some(s) if s >= 0 => (s as usize).min(1 << 20),
        _ => 1024,
    };
    layout::refc_binary_prefix(heap, BinaryBuf::with_capacity(&[], capacity), 0)
}

/// `bs_add`: `a + b * unit`, both non-negative integers.
pub fn add(a: Term, b: Term, unit: u32) -> Result<Term, Raised> {
    let check = |t: Term| match t.view() {
        View::Small(v) if v >= 0 => Ok(v as u64),
        View::Big {
            negative: false, ..
        } => Err(Raised::system_limit()),
        _ => Err(Raised::badarg()),
    };
    let (a, b) = (check(a)?, check(b)?);
    b.checked_mul(unit as u64)
        .and_then(|b| a.checked_add(b))
        .and_then(|s| i64::try_from(s).ok())
        .and_then(Term::try_small)
        .ok_or_else(Raised::system_limit)
}

// ---- matching -----------------------------------------------------------------------

/// `bs_start_match3/4` on a bitstring: a new match context over it. `None`
/// for anything else (a match context is reused by the caller).
pub fn start_match(heap: &mut impl TermAlloc, term: Term) -> Option<Term> {
    let View::Bitstring(bits) = term.view() else {
        return None;
    };
    let (original, start) = layout::bits_origin(term)?;
    Some(layout::match_context(
        heap,
        original,
        start,
        start + bits.bit_len,
    ))
}

/// What a `bs_get_*`/`bs_skip_*` instruction matches.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Get {
    Integer,
    Float,
    Binary,
    /// `bs_skip_bits2`.
    Skip,
    Utf8,
    Utf16,
    Utf32,
    SkipUtf8,
    SkipUtf16,
    SkipUtf32,
}

impl Get {
    /// Whether the instruction has a destination (skips have none).
    pub fn writes(self) -> bool {
        !matches!(
            self,
            Get::Skip | Get::SkipUtf8 | Get::SkipUtf16 | Get::SkipUtf32
        )
    }

    /// Heap words matching it may allocate (at most; more spills into a
    /// fragment), to collect for beforehand.
    pub fn heap_need(self, size: Term, unit: u16) -> usize {
        match self {
            Get::Integer => {
                match_size(size, unit).map_or(0, |bits| 2 + (bits / 64).min(1 << 16) as usize)
            }
            Get::Float => 2,
            Get::Binary => MATCH_HEAP_NEED,
            _ => 0,
        }
    }
}

/// The size in bits a match segment asks for: `None` fails the match.
fn match_size(size: Term, unit: u16) -> Option<u64> {
    let s = size.as_small().filter(|&s| s >= 0)?;
    (s as u64).checked_mul(unit as u64)
}

/// Matches one segment at the context's position, moving past it: the
/// value (`[]` for skips), or `None` if it does not match (the position
/// then stays).
pub fn get(
    heap: &mut impl TermAlloc,
    kind: Get,
    flags: u8,
    unit: u16,
    ctx: Term,
    size: Term,
) -> Option<Term> {
    let mc = ctx.as_match_context()?;
    let bytes = mc.bits.bytes;
    let pos = mc.offset;
    let remaining = mc.remaining();
    let little = flags & FLAG_LITTLE != 0;
    let (value, used) = match kind {
        Get::Integer => {
            let n = match_size(size, unit).filter(|&n| n <= remaining)?;
            (get_integer(heap, bytes, pos, n, flags), n)
        }
        Get::Float => {
            let n = match_size(size, unit).filter(|&n| n <= remaining)?;
            let raw = match n {
                16 | 32 | 64 => read_uint(bytes, pos, n as u32, little),
                _ => return None,
            };
            let f = match n {
                64 => f64::from_bits(raw),
                32 => f32::from_bits(raw as u32) as f64,
                _ => f64_from_f16(raw as u16),
            };
            if !f.is_finite() {
                return None;
            }
            (build::float(heap, f), n)
        }
        Get::Binary | Get::Skip => {
            let n = if is_all(size) {
                (remaining % unit.max(1) as u64 == 0).then_some(remaining)?
            } else {
                match_size(size, unit).filter(|&n| n <= remaining)?
            };
            let value = if kind == Get::Binary {
                sub_binary(heap, &mc, pos, n)
            } else {
                Term::NIL
            };
            (value, n)
        }
        Get::Utf8 | Get::SkipUtf8 => {
            let (c, n) = decode_utf8(bytes, pos, remaining)?;
            (Term::small(c as i64), n)
        }
        Get::Utf16 | Get::SkipUtf16 => {
            let (c, n) = decode_utf16(bytes, pos, remaining, little)?;
            (Term::small(c as i64), n)
        }
        Get::Utf32 | Get::SkipUtf32 => {
            if remaining < 32 {
                return None;
            }
            let c = read_uint(bytes, pos, 32, little);
            let c = code_point(Term::small(c as i64))?;
            (Term::small(c as i64), 32)
        }
    };
    layout::set_match_offset(ctx, pos + used);
    Some(value)
}

/// An unsigned field of `n <= 64` bits (a multiple of 8 when `little`).
fn read_uint(bytes: &[u8], pos: u64, n: u32, little: bool) -> u64 {
    let v = read_bits(bytes, pos, n);
    if little {
        v.swap_bytes() >> (64 - n)
    } else {
        v
    }
}

/// The sub binary of `n` bits at bit `pos` of the context's binary.
fn sub_binary(heap: &mut impl TermAlloc, mc: &MatchContext<'_>, pos: u64, n: u64) -> Term {
    build::sub_binary(
        heap,
        mc.original,
        pos / 8,
        n / 8,
        (n % 8) as u8,
        (pos % 8) as u8,
    )
}

/// A UTF-8 character at `pos` (erts's rules: no overlong forms, no
/// surrogates, nothing above U+10FFFF) and its size in bits.
fn decode_utf8(bytes: &[u8], pos: u64, remaining: u64) -> Option<(u32, u64)> {
    if remaining < 8 {
        return None;
    }
    let b0 = read_bits(bytes, pos, 8) as u32;
    let len = match b0 {
        0x00..=0x7F => return Some((b0, 8)),
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => return None,
    };
    if remaining < 8 * len {
        return None;
    }
    let mut c = b0 & (0x7F >> len);
    for i in 1..len {
        let b = read_bits(bytes, pos + 8 * i, 8) as u32;
        if b & 0xC0 != 0x80 {
            return None;
        }
        c = c << 6 | (b & 0x3F);
    }
    let min = [0, 0, 0x80, 0x800, 0x10000][len as usize];
    if c < min || c > 0x10FFFF || (0xD800..=0xDFFF).contains(&c) {
        return None;
    }
    Some((c, 8 * len))
}

/// A UTF-16 character at `pos` and its size in bits.
fn decode_utf16(bytes: &[u8], pos: u64, remaining: u64, little: bool) -> Option<(u32, u64)> {
    if remaining < 16 {
        return None;
    }
    let w1 = read_uint(bytes, pos, 16, little) as u32;
    if !(0xD800..=0xDFFF).contains(&w1) {
        return Some((w1, 16));
    }
    if w1 > 0xDBFF || remaining < 32 {
        return None;
    }
    let w2 = read_uint(bytes, pos + 16, 16, little) as u32;
    if !(0xDC00..=0xDFFF).contains(&w2) {
        return None;
    }
    Some((0x10000 + ((w1 - 0xD800) << 10 | (w2 - 0xDC00)), 32))
}

/// `bs_get_tail`: the unmatched bits as a bitstring.
pub fn get_tail(heap: &mut impl TermAlloc, ctx: Term) -> Option<Term> {
    let mc = ctx.as_match_context()?;
    Some(sub_binary(heap, &mc, mc.offset, mc.remaining()))
}

/// `bs_test_tail2`: exactly `bits` bits are left.
pub fn test_tail(ctx: Term, bits: Term) -> bool {
    ctx.as_match_context()
        .zip(bits.as_small())
        .is_some_and(|(mc, n)| mc.remaining() as i128 == n as i128)
}

/// `bs_test_unit`: the bits left are a multiple of `unit`.
pub fn test_unit(ctx: Term, unit: Term) -> bool {
    ctx.as_match_context()
        .zip(unit.as_small().filter(|&u| u > 0))
        .is_some_and(|(mc, u)| mc.remaining() % u as u64 == 0)
}

/// `bs_match_string`: the next bits are those of `string` (a literal
/// bitstring); moves past them if so.
pub fn match_string(ctx: Term, string: Term) -> bool {
    let (Some(mc), View::Bitstring(s)) = (ctx.as_match_context(), string.view()) else {
        return false;
    };
    let n = s.bit_len;
    if n > mc.remaining() {
        return false;
    }
    let mut at = 0;
    while at < n {
        let k = (n - at).min(56) as u32;
        let theirs = read_bits(s.bytes, s.bit_offset as u64 + at, k);
        let ours = read_bits(mc.bits.bytes, mc.offset + at, k);
        if theirs != ours {
            return false;
        }
        at += k as u64;
    }
    layout::set_match_offset(ctx, mc.offset + n);
    true
}

/// `bs_get_position`: the context's position, as an integer.
pub fn get_position(ctx: Term) -> Term {
    let offset = ctx.as_match_context().map_or(0, |mc| mc.offset);
    Term::try_small(offset as i64).unwrap_or(Term::small(0))
}

/// `bs_set_position`: back to a position `bs_get_position` returned.
pub fn set_position(ctx: Term, position: Term) {
    if let (Some(mc), Some(p)) = (ctx.as_match_context(), position.as_small()) {
        if p >= 0 && (p as u64) <= mc.end {
            layout::set_match_offset(ctx, p as u64);
        }
    }
}

#[cfg(test)]
mod tests;
