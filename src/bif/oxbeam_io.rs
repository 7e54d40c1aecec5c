//! The natives of `oxbeam_io`, direct mode's io server (`erl/oxbeam_io.erl`):
//! writing converted characters to standard output or error, and reading
//! standard input on a thread of its own.
//!
//! Standard output is Rust's one locked `Stdout`, which
//! `erlang:display/1` and the command line write to as well, so their
//! output never interleaves within a write. Standard input is read by a
//! thread that waits for a request, reads once, and sends what it read to
//! the asking process as `{oxbeam_io_input, Binary | eof | {error, Reason}}`:
//! no scheduler thread ever blocks on input.

use std::io::{Read, Write};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Mutex, OnceLock};

use super::erlang::{atom, binary_bytes};
use crate::bif::{Native, NativeResult, Raised};
use crate::heap::HeapFragment;
use crate::term::{build, LocalPid, Term, View};
use crate::vm::process::Process;
use crate::vm::runtime::runtime;
use crate::vm::signal::{Packet, Signal};

/// Bytes read from standard input at most at a time.
const READ_CHUNK: usize = 4096;

/// The encodings of the io protocol.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Encoding {
    Latin1,
    Unicode,
}

fn encoding_arg(term: Term) -> Result<Encoding, Raised> {
    match term.as_atom().map(|a| a.name()) {
        Some("latin1") => Ok(Encoding::Latin1),
        Some("unicode" | "utf8") => Ok(Encoding::Unicode),
        _ => Err(Raised::badarg()),
    }
}

/// Where output goes.
#[derive(Clone, Copy)]
enum Device {
    Stdout,
    Stderr,
}

fn device_arg(term: Term) -> Result<Device, Raised> {
    match term.as_atom().map(|a| a.name()) {
        Some("stdout") => Ok(Device::Stdout),
        Some("stderr") => Ok(Device::Stderr),
        _ => Err(Raised::badarg()),
    }
}

/// Writes `bytes` to the device (write errors are ignored, as erl's
/// standard output ignores a closed pipe).
fn write_to(device: Device, bytes: &[u8]) {
    let _ = match device {
        Device::Stdout => std::io::stdout().lock().write_all(bytes),
        Device::Stderr => std::io::stderr().lock().write_all(bytes),
    };
}

/// The bytes that chardata `chars` in encoding `from` makes on a device
/// in encoding `to`, as OTP 25's `user` converts it: a binary in the
/// device's own encoding is taken as it is; otherwise the chardata must be
/// valid in `from` (bytes and integers up to 255 for latin1; code points
/// and UTF-8 binaries for unicode), and a character a latin1 device cannot
/// hold is written as `\x{HEX}`. `None` for anything that is not chardata.
fn device_bytes(chars: Term, from: Encoding, to: Encoding) -> Option<Vec<u8>> {
    if from == to {
        if let Some(bytes) = binary_bytes(chars) {
            return Some(bytes.into_owned());
        }
    }
    let mut out = Vec::new();
    let push_char = |c: u32, out: &mut Vec<u8>| match to {
        Encoding::Latin1 if c <= 0xFF => out.push(c as u8),
        Encoding::Latin1 => {
            let _ = write!(out, "\\x{{{c:X}}}");
        }
        Encoding::Unicode => {
            let c = char::from_u32(c).expect("checked to be a character");
            let mut utf8 = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        }
    };
    // The lists still to walk (their remaining tails), innermost last.
    let mut pending = vec![chars];
    while let Some(term) = pending.pop() {
        match term.view() {
            View::Nil => {}
            View::Cons(head, tail) => {
                pending.push(tail);
                match head.view() {
                    View::Small(c) => {
                        let c = u32::try_from(c).ok()?;
                        let valid = match from {
                            Encoding::Latin1 => c <= 0xFF,
                            Encoding::Unicode => char::from_u32(c).is_some(),
                        };
                        if !valid {
                            return None;
                        }
                        push_char(c, &mut out);
                    }
                    View::Cons(..) | View::Nil | View::Bitstring(_) => pending.push(head),
                    _ => return None,
                }
            }
            View::Bitstring(_) => {
                let bytes = binary_bytes(term)?;
                match from {
                    Encoding::Latin1 => {
                        for &b in bytes.iter() {
                            push_char(b as u32, &mut out);
                        }
                    }
                    Encoding::Unicode => {
                        let text = std::str::from_utf8(&bytes).ok()?;
                        if to == Encoding::Unicode {
                            out.extend_from_slice(text.as_bytes());
                        } else {
                            for c in text.chars() {
                                push_char(c as u32, &mut out);
                            }
                        }
                    }
                }
            }
            // A list's tail may be a binary, nothing else; the top must be
            // a list or a binary.
            _ => return None,
        }
    }
    Some(out)
}

/// `oxbeam_io:put_chars(Device, Encoding, DeviceEncoding, Chars)`: `ok`,
/// or `error` (nothing written) when `Chars` is not chardata.
fn put_chars(_: &mut Process, args: &[Term]) -> NativeResult {
    let device = device_arg(args[0])?;
    let from = encoding_arg(args[1])?;
    let to = encoding_arg(args[2])?;
    Ok(match device_bytes(args[3], from, to) {
        Some(bytes) => {
            write_to(device, &bytes);
            atom("ok")
        }
        None => atom("error"),
    })
}

/// `oxbeam_io:flush(Device)`.
fn flush(_: &mut Process, args: &[Term]) -> NativeResult {
    let _ = match device_arg(args[0])? {
        Device::Stdout => std::io::stdout().lock().flush(),
        Device::Stderr => std::io::stderr().lock().flush(),
    };
    Ok(atom("ok"))
}

/// The thread reading standard input: it reads once for each process
/// that asks.
fn input_requests() -> &'static Mutex<Sender<LocalPid>> {
    static REQUESTS: OnceLock<Mutex<Sender<LocalPid>>> = OnceLock::new();
    REQUESTS.get_or_init(|| {
        let (requests, asked) = channel::<LocalPid>();
        std::thread::Builder::new()
            .name("stdin".into())
            .spawn(move || {
                let mut buffer = vec![0u8; READ_CHUNK];
                let mut stdin = std::io::stdin().lock();
                while let Ok(pid) = asked.recv() {
                    let read = loop {
                        match stdin.read(&mut buffer) {
                            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                            other => break other,
                        }
                    };
                    runtime().send(pid, Signal::Message(input_message(read, &buffer)));
                }
            })
            .expect("the stdin thread starts");
        Mutex::new(requests)
    })
}

/// `{oxbeam_io_input, Binary | eof | {error, eio}}` for what a read gave.
fn input_message(read: std::io::Result<usize>, buffer: &[u8]) -> Packet {
    let mut fragment = HeapFragment::new();
    let data = match read {
        Ok(0) => atom("eof"),
        Ok(n) => build::binary(&mut fragment, &buffer[..n]),
        Err(_) => build::tuple(&mut fragment, &[atom("error"), atom("eio")]),
    };
    let message = build::tuple(&mut fragment, &[atom("oxbeam_io_input"), data]);
    Packet::from_fragment(message, fragment)
}

/// `oxbeam_io:read_input()`: asks for one read of standard input for the
/// calling process.
fn read_input(process: &mut Process, _: &[Term]) -> NativeResult {
    let requests = input_requests().lock().expect("stdin request lock");
    // The thread only ends with the OS process.
    let _ = requests.send(process.pid);
    Ok(atom("ok"))
}

pub(super) const NATIVES: &[Native] = crate::natives!("oxbeam_io";
    "put_chars"/4 => put_chars,
    "flush"/1 => flush,
    "read_input"/0 => read_input,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bif::erlang::testing::{process, terms};

    /// The bytes of `chars` (Erlang text) converted, as `od` shows erl's
    /// output for `io:put_chars` / `io:format("~ts")` on a latin1 or
    /// unicode (after `io:setopts([{encoding, unicode}])`) device.
    fn convert(chars: &str, from: Encoding, to: Encoding) -> Option<Vec<u8>> {
        let mut p = process();
        let args = terms(&mut p, &format!("[{chars}]"));
        device_bytes(args[0], from, to)
    }

    #[test]
    fn conversions_match_erls_user() {
        use Encoding::{Latin1, Unicode};
        // io:format("~ts~n", [[1024]]) on erl -noshell: "\x{400}\n".
        assert_eq!(
            convert("[1024, 10]", Unicode, Latin1).unwrap(),
            b"\\x{400}\n"
        );
        // io:format("~s~n", [[200]]): byte 200.
        assert_eq!(convert("[200, 10]", Unicode, Latin1).unwrap(), [200, 10]);
        // io:put_chars(<<"é"/utf8>>): byte 233; on a unicode device 195, 169.
        assert_eq!(convert("<<195, 169>>", Unicode, Latin1).unwrap(), [233]);
        assert_eq!(
            convert("<<195, 169>>", Unicode, Unicode).unwrap(),
            [195, 169]
        );
        // After setopts encoding unicode, ~ts of [1024] is UTF-8, ~s of
        // [200] is U+00C8 in UTF-8.
        assert_eq!(convert("[1024]", Unicode, Unicode).unwrap(), [208, 128]);
        assert_eq!(convert("[200]", Unicode, Unicode).unwrap(), [195, 136]);
        // Deep lists, binary tails.
        assert_eq!(
            convert("[$a, [$b, <<\"c\">>] | <<\"d\">>]", Latin1, Latin1).unwrap(),
            b"abcd"
        );
        // io:put_chars(<<255>>) fails on a latin1 device (invalid UTF-8)...
        assert_eq!(convert("<<255>>", Unicode, Latin1), None);
        // ... and a binary in the device's own encoding is taken as it is.
        assert_eq!(convert("<<255>>", Unicode, Unicode).unwrap(), [255]);
        // Not chardata.
        assert_eq!(convert("[a]", Unicode, Latin1), None);
        assert_eq!(convert("foo", Unicode, Latin1), None);
        assert_eq!(convert("[256]", Latin1, Latin1), None);
        assert_eq!(convert("[55296]", Unicode, Unicode), None);
        assert_eq!(convert("[$a | b]", Unicode, Unicode), None);
    }
}
