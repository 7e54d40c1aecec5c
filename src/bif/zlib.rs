//! The natives of OTP's `zlib` module (erts's `zlib_nif.c`): a zlib stream
//! behind a resource reference, fed through an input queue and drained in
//! chunks by `zlib.erl`'s own loop (`deflate_nif/4`, `inflate_nif/4`
//! return `{continue | finished, Output}`).
//!
//! The codec is flate2 over the system zlib (the library erl links), so
//! compressed bytes are erl's: the calls into zlib are the ones erts makes
//! (input blocks of at most the chunk size with `Z_NO_FLUSH`, then the
//! requested flush once the queue is empty and there is output room).
//! flate2 exposes neither `memLevel` nor `strategy`: streams are made with
//! zlib's defaults (8, `Z_DEFAULT_STRATEGY`), which are what every
//! `zlib` helper and `deflateInit/1,2` use. Other values are accepted and
//! ignored, as is a `deflateParams/3` that would make zlib flush pending
//! data. `inflateGetDictionary/1` is not supported (`enotsup`).
//! Also here: `erlang:iolist_to_iovec/1`, which `zlib.erl` feeds the queue
//! with.

use std::collections::VecDeque;

use flate2::{
    Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status as FlateStatus,
};
use parking_lot::Mutex;

use super::erlang::atom;
use super::erlang::binaries::flatten_iolist;
use crate::bif::{Native, NativeResult, Raised};
use crate::heap::{copy_term, LiteralArea, Resource};
use crate::term::{atoms, build, Term};
use crate::vm::process::Process;

/// What a stream is doing (erts's `zlib_state_t`).
enum Codec {
    None,
    Deflate(Deflater),
    Inflate(Inflater),
    Closed,
}

struct Deflater {
    stream: Compress,
    /// The zlib level (`-1` is 6).
    level: i32,
    /// A deflate call was made since init or reset (zlib's state is no
    /// longer `INIT_STATE`).
    started: bool,
    /// A `finish` flush was made (`FINISH_STATE`).
    finishing: bool,
    /// A dictionary was set (older zlibs count it as input, after which a
    /// level change would flush).
    has_dictionary: bool,
}

/// The header an inflater expects: `Auto` (window bits 32 and up) waits
/// for the first byte to tell gzip from zlib, as zlib itself does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wrapper {
    Raw,
    Zlib,
    Gzip,
    Auto,
}

struct Inflater {
    stream: Option<Decompress>,
    wrapper: Wrapper,
    window_bits: u8,
    /// The window size asked for (8 is made 9 for flate2).
    asked_window_bits: u8,
    /// The last call asked for a dictionary.
    needs_dictionary: bool,
}

impl Inflater {
    fn new(wrapper: Wrapper, asked_window_bits: u8) -> Inflater {
        let window_bits = asked_window_bits.max(9);
        let stream = match wrapper {
            Wrapper::Raw => Some(Decompress::new_with_window_bits(false, window_bits)),
            Wrapper::Zlib => Some(Decompress::new_with_window_bits(true, window_bits)),
            Wrapper::Gzip => Some(Decompress::new_gzip(window_bits)),
            Wrapper::Auto => None,
        };
        Inflater {
            stream,
            wrapper,
            window_bits,
            asked_window_bits,
            needs_dictionary: false,
        }
    }

    /// Does a zlib header at the start of the stream ask for a window
    /// wider than 8 bits when 8 were asked for? (flate2 inflates with at
    /// least 9; zlib refuses such a header as an invalid window size.)
    fn refuses_header(&self, input: &[u8]) -> bool {
        let at_start = self.stream.as_ref().is_none_or(|s| s.total_in() == 0);
        let zlib = match self.wrapper {
            Wrapper::Zlib => true,
            Wrapper::Auto => input.first() != Some(&0x1F),
            Wrapper::Raw | Wrapper::Gzip => false,
        };
        self.asked_window_bits == 8 && zlib && at_start && input.first().is_some_and(|b| b >> 4 > 0)
    }

    /// The stream, made for the header `first` starts (auto-detection).
    fn stream_for(&mut self, first: Option<u8>) -> &mut Decompress {
        let window_bits = self.window_bits;
        self.stream.get_or_insert_with(|| {
            if first == Some(0x1F) {
                Decompress::new_gzip(window_bits)
            } else {
                Decompress::new_with_window_bits(true, window_bits)
            }
        })
    }
}

/// What to do with input after the end of the stream (`inflateInit/3`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum EndOfStream {
    Error,
    Reset,
    Cut,
}

/// zlib's return codes as erts sorts them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ZResult {
    Ok,
    StreamEnd,
    NeedDict(u32),
    BufError,
    StreamError,
    DataError,
}

struct ZStream {
    controller: Term,
    codec: Codec,
    eos_behavior: EndOfStream,
    eos_seen: bool,
    /// Queued input, in order.
    input: VecDeque<Vec<u8>>,
    /// CRC-32 of the plain data of a raw stream, for `crc32/1`.
    input_crc: u32,
    output_crc: u32,
    want_input_crc: bool,
    want_output_crc: bool,
    is_raw: bool,
    inflate_chunk_size: i32,
    /// The stash: a term in an area of its own.
    stash: Option<(LiteralArea, Term)>,
}

/// The resource: a stream shared by the references to it, used by its
/// controlling process.
struct Stream(Mutex<ZStream>);

fn raise(name: &str) -> Raised {
    Raised::error(atom(name))
}

fn ok() -> Term {
    Term::atom(atoms::OK)
}

/// The stream behind `args[0]`, checked to be used by its controlling
/// process, locked for `with`.
fn with_stream(
    process: &mut Process,
    args: &[Term],
    with: impl FnOnce(&mut Process, &mut ZStream) -> NativeResult,
) -> NativeResult {
    let resource = args[0].resource().ok_or_else(Raised::badarg)?;
    let stream = resource
        .downcast_ref::<Stream>()
        .ok_or_else(Raised::badarg)?;
    let mut z = stream.0.lock();
    if z.controller != process.self_term() {
        return Err(raise("not_on_controlling_process"));
    }
    with(process, &mut z)
}

/// An `int` argument (erts's `enif_get_int`).
fn int_arg(term: Term) -> Result<i32, Raised> {
    term.as_small()
        .and_then(|v| i32::try_from(v).ok())
        .ok_or_else(Raised::badarg)
}

/// erts's `zlib_return`: `ok`, `stream_end`, … or the exception.
fn z_return(result: ZResult) -> NativeResult {
    match result {
        ZResult::Ok => Ok(ok()),
        ZResult::StreamEnd => Ok(atom("stream_end")),
        ZResult::BufError => Ok(atom("buf_error")),
        ZResult::NeedDict(_) => Ok(atom("unknown_error")),
        ZResult::StreamError => Err(raise("stream_error")),
        ZResult::DataError => Err(raise("data_error")),
    }
}

/// An Adler-32 as erts's zlib NIF returns it (`enif_make_int`: the 32
/// bits read as signed).
fn signed_checksum(adler: u32) -> Term {
    Term::small(adler as i32 as i64)
}

/// zlib's `adler32(0, data)`: from a running value of 0 (not Adler-32's
/// initial 1), as erts computes a raw stream's dictionary checksum.
fn adler32_from_zero(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (0u32, 0u32);
    for chunk in data.chunks(5552) {
        for &byte in chunk {
            a += byte as u32;
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    b << 16 | a
}

fn crc32(initial: u32, data: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new_with_initial(initial);
    hasher.update(data);
    hasher.finalize()
}

impl ZStream {
    fn new(controller: Term) -> ZStream {
        ZStream {
            controller,
            codec: Codec::None,
            eos_behavior: EndOfStream::Cut,
            eos_seen: false,
            input: VecDeque::new(),
            input_crc: 0,
            output_crc: 0,
            want_input_crc: false,
            want_output_crc: false,
            is_raw: false,
            inflate_chunk_size: 4000,
            stash: None,
        }
    }

    fn queued_bytes(&self) -> usize {
        self.input.iter().map(Vec::len).sum()
    }

    fn reset_input(&mut self) {
        self.input.clear();
        self.stash = None;
    }

    /// Drops `n` bytes from the front of the queue.
    fn dequeue(&mut self, mut n: usize) {
        while n > 0 {
            let Some(front) = self.input.front_mut() else {
                return;
            };
            if front.len() <= n {
                n -= front.len();
                self.input.pop_front();
            } else {
                front.drain(..n);
                n = 0;
            }
        }
    }

    /// One zlib call: `(result, input consumed, output produced)`.
    fn step(&mut self, input: &[u8], output: &mut [u8], flush: i32) -> (ZResult, usize, usize) {
        match &mut self.codec {
            Codec::Deflate(d) => {
                let flush = match flush {
                    2 => FlushCompress::Sync,
                    3 => FlushCompress::Full,
                    4 => FlushCompress::Finish,
                    1 => FlushCompress::Partial,
                    _ => FlushCompress::None,
                };
                let (in0, out0) = (d.stream.total_in(), d.stream.total_out());
                let result = match d.stream.compress(input, output, flush) {
                    Ok(FlateStatus::Ok) => ZResult::Ok,
                    Ok(FlateStatus::StreamEnd) => ZResult::StreamEnd,
                    Ok(FlateStatus::BufError) => ZResult::BufError,
                    Err(_) => ZResult::StreamError,
                };
                d.started = true;
                if flush == FlushCompress::Finish {
                    d.finishing = true;
                }
                let consumed = (d.stream.total_in() - in0) as usize;
                (result, consumed, (d.stream.total_out() - out0) as usize)
            }
            Codec::Inflate(i) => {
                let flush = match flush {
                    2 => FlushDecompress::Sync,
                    4 => FlushDecompress::Finish,
                    _ => FlushDecompress::None,
                };
                if i.refuses_header(input) {
                    return (ZResult::DataError, 0, 0);
                }
                let stream = i.stream_for(input.first().copied());
                let (in0, out0) = (stream.total_in(), stream.total_out());
                let result = match stream.decompress(input, output, flush) {
                    Ok(FlateStatus::Ok) => ZResult::Ok,
                    Ok(FlateStatus::StreamEnd) => ZResult::StreamEnd,
                    Ok(FlateStatus::BufError) => ZResult::BufError,
                    Err(e) => match e.needs_dictionary() {
                        Some(adler) => ZResult::NeedDict(adler),
                        None => ZResult::DataError,
                    },
                };
                let consumed = (stream.total_in() - in0) as usize;
                let produced = (stream.total_out() - out0) as usize;
                i.needs_dictionary = matches!(result, ZResult::NeedDict(_));
                (result, consumed, produced)
            }
            Codec::None | Codec::Closed => (ZResult::StreamError, 0, 0),
        }
    }

    /// erts's `zlib_codec` over `zlib_flush_queue`: at most `input_limit`
    /// bytes of input per block, one output chunk of `output_size` bytes.
    fn codec(
        &mut self,
        process: &mut Process,
        input_limit: usize,
        output_size: usize,
        flush: i32,
    ) -> NativeResult {
        let mut output = vec![0u8; output_size];
        let mut produced = 0;
        let mut consumed = 0;
        let mut result = ZResult::Ok;
        let mut block = 0;
        while result == ZResult::Ok && block < self.input.len() && consumed < input_limit {
            let size = self.input[block].len().min(input_limit);
            let data = std::mem::take(&mut self.input[block]);
            let (r, used, made) = self.step(&data[..size], &mut output[produced..], 0);
            if self.want_input_crc {
                self.input_crc = crc32(self.input_crc, &data[..used]);
            }
            self.input[block] = data;
            result = r;
            consumed += used;
            produced += made;
            if used < self.input[block].len() {
                // The output is full (or the stream ended): the rest of
                // this block waits for the next call.
                break;
            }
            block += 1;
        }
        self.dequeue(consumed);
        let remaining = self.queued_bytes();
        if result == ZResult::Ok && remaining == 0 && produced < output_size {
            let (r, _, made) = self.step(&[], &mut output[produced..], flush);
            result = r;
            produced += made;
        }
        if matches!(result, ZResult::StreamError | ZResult::DataError) {
            return z_return(result);
        }
        if result == ZResult::StreamEnd {
            self.eos_seen = true;
        }
        if self.want_output_crc {
            self.output_crc = crc32(self.output_crc, &output[..produced]);
        }
        if consumed == 0 && produced == 0 && remaining != 0 {
            return z_return(ZResult::DataError);
        }
        let heap = &mut process.heap;
        let flushed = if produced > 0 {
            let bin = build::binary(heap, &output[..produced]);
            build::list(heap, &[bin])
        } else {
            Term::NIL
        };
        if remaining == 0 && produced < output_size {
            Ok(build::tuple(heap, &[atom("finished"), flushed]))
        } else if let ZResult::NeedDict(adler) = result {
            let adler = signed_checksum(adler);
            Ok(build::tuple(
                heap,
                &[atom("need_dictionary"), adler, flushed],
            ))
        } else {
            Ok(build::tuple(heap, &[atom("continue"), flushed]))
        }
    }

    fn deflater(&mut self) -> Result<&mut Deflater, Raised> {
        match &mut self.codec {
            Codec::Deflate(d) => Ok(d),
            _ => Err(raise("not_initialized")),
        }
    }

    fn inflater(&mut self) -> Result<&mut Inflater, Raised> {
        match &mut self.codec {
            Codec::Inflate(i) => Ok(i),
            _ => Err(raise("not_initialized")),
        }
    }
}

// ---- the natives -----------------------------------------------------------------

fn open_nif(process: &mut Process, _: &[Term]) -> NativeResult {
    let stream = Stream(Mutex::new(ZStream::new(process.self_term())));
    let ids = crate::vm::runtime::runtime().new_ref_key();
    Ok(build::resource_ref(
        &mut process.heap,
        &ids,
        Resource::new(stream),
    ))
}

fn close_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    with_stream(process, args, |_, z| {
        if matches!(z.codec, Codec::Closed) {
            return Err(raise("not_initialized"));
        }
        z.codec = Codec::Closed;
        z.stash = None;
        Ok(ok())
    })
}

fn set_controller_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    if args[1].as_local_pid().is_none() {
        return Err(Raised::badarg());
    }
    with_stream(process, args, |_, z| {
        z.controller = args[1];
        Ok(ok())
    })
}

/// `deflateInit_nif(Z, Level, Method, WindowBits, MemLevel, Strategy)`,
/// with `deflateInit2`'s checks.
fn deflate_init_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    let [level, method, window_bits, mem_level, strategy] =
        [args[1], args[2], args[3], args[4], args[5]].map(int_arg);
    let (level, method, window_bits, mem_level, strategy) =
        (level?, method?, window_bits?, mem_level?, strategy?);
    with_stream(process, args, |_, z| {
        if !matches!(z.codec, Codec::None) {
            return Err(raise("already_initialized"));
        }
        let (wrapper, bits) = match window_bits {
            -15..=-9 => (Wrapper::Raw, -window_bits),
            8..=15 => (Wrapper::Zlib, window_bits.max(9)),
            25..=31 => (Wrapper::Gzip, window_bits - 16),
            _ => return z_return(ZResult::StreamError),
        };
        if !(-1..=9).contains(&level)
            || method != 8
            || !(1..=9).contains(&mem_level)
            || !(0..=4).contains(&strategy)
        {
            return z_return(ZResult::StreamError);
        }
        let compression = Compression::new(if level < 0 { 6 } else { level as u32 });
        let stream = match wrapper {
            Wrapper::Gzip => Compress::new_gzip(compression, bits as u8),
            _ => Compress::new_with_window_bits(compression, wrapper == Wrapper::Zlib, bits as u8),
        };
        z.codec = Codec::Deflate(Deflater {
            stream,
            level: if level < 0 { 6 } else { level },
            started: false,
            finishing: false,
            has_dictionary: false,
        });
        z.eos_seen = false;
        z.is_raw = wrapper == Wrapper::Raw;
        z.want_output_crc = false;
        z.want_input_crc = z.is_raw;
        z.input_crc = 0;
        z.output_crc = 0;
        Ok(ok())
    })
}

fn iodata_arg(term: Term) -> Result<Vec<u8>, Raised> {
    let mut bytes = Vec::new();
    flatten_iolist(term, &mut bytes).ok_or_else(Raised::badarg)?;
    Ok(bytes)
}

/// A dictionary: iodata zlib can take (less than 4 GB).
fn dictionary_arg(term: Term) -> Result<Vec<u8>, Raised> {
    let bytes = iodata_arg(term)?;
    if bytes.len() >= u32::MAX as usize {
        return Err(Raised::badarg());
    }
    Ok(bytes)
}

fn deflate_set_dictionary_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    let dictionary = dictionary_arg(args[1])?;
    with_stream(process, args, |_, z| {
        let is_raw = z.is_raw;
        let d = z.deflater()?;
        match d.stream.set_dictionary(&dictionary) {
            Ok(adler) => {
                d.has_dictionary = true;
                // zlib does not keep the checksum of a raw stream's
                // dictionary; erts computes it (from 0).
                let checksum = if is_raw {
                    adler32_from_zero(&dictionary)
                } else {
                    adler
                };
                Ok(signed_checksum(checksum))
            }
            Err(_) => z_return(ZResult::StreamError),
        }
    })
}

fn deflate_reset_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    with_stream(process, args, |_, z| {
        let d = z.deflater()?;
        d.stream.reset();
        d.started = false;
        d.finishing = false;
        d.has_dictionary = false;
        z.input_crc = 0;
        z.eos_seen = false;
        z.reset_input();
        Ok(ok())
    })
}

/// `deflateEnd`: a `data_error` when input is left or the stream was
/// started and not finished (zlib's `Z_DATA_ERROR` for a busy stream).
fn deflate_end_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    with_stream(process, args, |_, z| {
        let d = z.deflater()?;
        let busy = d.started && !d.finishing;
        let result = if busy || z.queued_bytes() > 0 {
            ZResult::DataError
        } else {
            ZResult::Ok
        };
        z.reset_input();
        z.codec = Codec::None;
        z_return(result)
    })
}

/// zlib's compression function for a level: stored, fast or slow. Changing
/// it makes `deflateParams` flush, which flate2 cannot do for us.
fn level_class(level: i32) -> u8 {
    match level {
        0 => 0,
        1..=3 => 1,
        _ => 2,
    }
}

fn deflate_params_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    let level = int_arg(args[1])?;
    int_arg(args[2])?;
    with_stream(process, args, |_, z| {
        let d = z.deflater()?;
        if !(-1..=9).contains(&level) {
            return z_return(ZResult::StreamError);
        }
        let level = if level < 0 { 6 } else { level };
        let untouched = !d.started && !d.has_dictionary;
        if untouched || level_class(level) == level_class(d.level) {
            if d.stream.set_level(Compression::new(level as u32)).is_err() {
                return z_return(ZResult::BufError);
            }
            d.level = level;
        }
        Ok(ok())
    })
}

/// `deflate_nif(Z, InputChunkSize, OutputChunkSize, Flush)`, and
/// `inflate_nif` with the same arguments.
fn chunk_args(args: &[Term]) -> Result<(usize, usize, i32), Raised> {
    let input = int_arg(args[1])?;
    let output = int_arg(args[2])?;
    let flush = int_arg(args[3])?;
    // erts would allocate what it is told; oxbeam bounds it.
    let size = |n: i32| usize::try_from(n).ok().filter(|&n| n > 0 && n <= 1 << 26);
    match (size(input), size(output)) {
        (Some(i), Some(o)) => Ok((i, o, flush)),
        _ => Err(Raised::badarg()),
    }
}

fn deflate_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    let (input, output, flush) = chunk_args(args)?;
    with_stream(process, args, |process, z| {
        z.deflater()?;
        z.codec(process, input, output, flush)
    })
}

fn inflate_init_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    let window_bits = int_arg(args[1])?;
    let eos = int_arg(args[2])?;
    with_stream(process, args, |_, z| {
        if !matches!(z.codec, Codec::None) {
            return Err(raise("already_initialized"));
        }
        // inflateInit2: negative for raw, +16 gzip, +32 either; 0 (after
        // the header bits) takes the window from the header.
        let (wrapper, bits) = match window_bits {
            -15..=-8 => (Wrapper::Raw, -window_bits),
            0..=47 => {
                let wrapper = match window_bits >> 4 {
                    0 => Wrapper::Zlib,
                    1 => Wrapper::Gzip,
                    _ => Wrapper::Auto,
                };
                match window_bits & 15 {
                    0 => (wrapper, 15),
                    b @ 8..=15 => (wrapper, b),
                    _ => return z_return(ZResult::StreamError),
                }
            }
            _ => return z_return(ZResult::StreamError),
        };
        z.codec = Codec::Inflate(Inflater::new(wrapper, bits as u8));
        z.eos_behavior = match eos {
            0 => EndOfStream::Error,
            1 => EndOfStream::Reset,
            _ => EndOfStream::Cut,
        };
        z.eos_seen = false;
        z.is_raw = wrapper == Wrapper::Raw;
        z.want_output_crc = z.is_raw;
        z.want_input_crc = false;
        z.input_crc = 0;
        z.output_crc = 0;
        Ok(ok())
    })
}

fn inflate_set_dictionary_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    let dictionary = dictionary_arg(args[1])?;
    with_stream(process, args, |_, z| {
        let is_raw = z.is_raw;
        let i = z.inflater()?;
        // zlib takes a dictionary when the stream asked for one, or any
        // time for a raw stream.
        if !i.needs_dictionary && !is_raw {
            return z_return(ZResult::StreamError);
        }
        let stream = i.stream_for(None);
        match stream.set_dictionary(&dictionary) {
            Ok(_) => {
                i.needs_dictionary = false;
                Ok(ok())
            }
            Err(_) => z_return(ZResult::DataError),
        }
    })
}

fn inflate_get_dictionary_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    with_stream(process, args, |_, z| {
        z.inflater()?;
        Err(raise("not_supported"))
    })
}

fn inflate_reset(z: &mut ZStream) -> Result<(), Raised> {
    let i = z.inflater()?;
    let (wrapper, bits) = (i.wrapper, i.asked_window_bits);
    *i = Inflater::new(wrapper, bits);
    Ok(())
}

fn inflate_reset_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    with_stream(process, args, |_, z| {
        inflate_reset(z)?;
        z.output_crc = 0;
        z.eos_seen = false;
        z.reset_input();
        Ok(ok())
    })
}

fn inflate_end_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    with_stream(process, args, |_, z| {
        z.inflater()?;
        let result = if !z.eos_seen || z.queued_bytes() > 0 {
            ZResult::DataError
        } else {
            ZResult::Ok
        };
        z.reset_input();
        z.codec = Codec::None;
        z_return(result)
    })
}

fn inflate_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    let (input, output, flush) = chunk_args(args)?;
    with_stream(process, args, |process, z| {
        z.inflater()?;
        if z.eos_seen && z.queued_bytes() > 0 {
            match z.eos_behavior {
                EndOfStream::Error => return z_return(ZResult::DataError),
                EndOfStream::Reset => {
                    inflate_reset(z)?;
                    z.eos_seen = false;
                }
                EndOfStream::Cut => z.reset_input(),
            }
        }
        z.codec(process, input, output, flush)
    })
}

fn crc32_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    with_stream(process, args, |process, z| {
        let crc = match z.codec {
            Codec::Deflate(_) => z.input_crc,
            Codec::Inflate(_) => z.output_crc,
            _ => return Err(raise("not_initialized")),
        };
        Ok(build::big_from_limbs(
            &mut process.heap,
            false,
            &[crc as u64],
        ))
    })
}

fn get_stash_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    with_stream(process, args, |process, z| match &z.stash {
        None => Ok(atom("empty")),
        Some((_, term)) => {
            let copy = copy_term(*term, &mut process.heap);
            Ok(build::tuple(&mut process.heap, &[ok(), copy]))
        }
    })
}

fn clear_stash_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    with_stream(process, args, |_, z| match z.stash.take() {
        None => Err(raise("error")),
        Some(_) => Ok(ok()),
    })
}

fn set_stash_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    with_stream(process, args, |_, z| {
        if z.stash.is_some() {
            return Err(raise("error"));
        }
        let mut area = LiteralArea::new();
        let term = copy_term(args[1], &mut area);
        z.stash = Some((area, term));
        Ok(ok())
    })
}

fn get_buf_size_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    with_stream(process, args, |_, z| {
        Ok(Term::small(z.inflate_chunk_size as i64))
    })
}

fn set_buf_size_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    with_stream(process, args, |_, z| {
        z.inflate_chunk_size = int_arg(args[1])?;
        Ok(ok())
    })
}

/// `enqueue_nif(Z, IOVec)`: queues the binaries; always all of them.
fn enqueue_nif(process: &mut Process, args: &[Term]) -> NativeResult {
    with_stream(process, args, |_, z| {
        if !matches!(z.codec, Codec::Deflate(_) | Codec::Inflate(_)) {
            return Err(raise("not_initialized"));
        }
        let mut bytes = Vec::new();
        let mut items = args[1].list_iter();
        for item in items.by_ref() {
            let data = crate::bif::erlang::binary_bytes(item).ok_or_else(Raised::badarg)?;
            bytes.extend_from_slice(&data);
        }
        if !items.rest().is_nil() {
            return Err(Raised::badarg());
        }
        if !bytes.is_empty() {
            z.input.push_back(bytes);
        }
        Ok(ok())
    })
}

/// `erlang:iolist_to_iovec(IoListOrBinary)`: the bytes as a list of
/// binaries (one here, or none when there are no bytes).
fn iolist_to_iovec(process: &mut Process, args: &[Term]) -> NativeResult {
    let bytes = iodata_arg(args[0])?;
    if bytes.is_empty() {
        return Ok(Term::NIL);
    }
    let bin = build::binary(&mut process.heap, &bytes);
    Ok(build::list(&mut process.heap, &[bin]))
}

pub const NATIVES: &[Native] = crate::natives!("zlib";
    "open_nif"/0 => open_nif,
    "close_nif"/1 => close_nif,
    "set_controller_nif"/2 => set_controller_nif,
    "deflateInit_nif"/6 => deflate_init_nif,
    "deflateSetDictionary_nif"/2 => deflate_set_dictionary_nif,
    "deflateReset_nif"/1 => deflate_reset_nif,
    "deflateEnd_nif"/1 => deflate_end_nif,
    "deflateParams_nif"/3 => deflate_params_nif,
    "deflate_nif"/4 => deflate_nif,
    "inflateInit_nif"/3 => inflate_init_nif,
    "inflateSetDictionary_nif"/2 => inflate_set_dictionary_nif,
    "inflateGetDictionary_nif"/1 => inflate_get_dictionary_nif,
    "inflateReset_nif"/1 => inflate_reset_nif,
    "inflateEnd_nif"/1 => inflate_end_nif,
    "inflate_nif"/4 => inflate_nif,
    "crc32_nif"/1 => crc32_nif,
    "getStash_nif"/1 => get_stash_nif,
    "clearStash_nif"/1 => clear_stash_nif,
    "setStash_nif"/2 => set_stash_nif,
    "getBufSize_nif"/1 => get_buf_size_nif,
    "setBufSize_nif"/2 => set_buf_size_nif,
    "enqueue_nif"/2 => enqueue_nif,
);

pub const ERLANG_NATIVES: &[Native] = crate::natives!("erlang";
    "iolist_to_iovec"/1 => iolist_to_iovec,
);
