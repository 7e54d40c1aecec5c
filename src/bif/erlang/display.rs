//! `erlang:display/1`: a term printed by erts's own C printer (`%T` of
//! `erts_printf`, `erl_printf_term.c`), then `\r\n`, on standard output.
//!
//! The C printer is not `~w`: lists of printable Latin-1 characters print
//! as strings (raw bytes, only `"` and newline escaped), printable ASCII
//! binaries as `<<"...">>`, floats as `%e` (`1.500000e+00`), atoms are
//! quoted by erts's Latin-1 rules over their UTF-8 bytes, and a map of more
//! than 32 keys shows its HAMT nodes (`#<bitmap>{...}`). erl's tty setup
//! makes erts's printf end lines with `\r\n`, even with `-noshell` and
//! output to a file, so this does too.

use std::io::Write;

use super::floats::scientific;
use crate::bif::{Native, NativeResult};
use crate::term::map::{node_of, Node};
use crate::term::print::to_string;
use crate::term::{Atom, Term, View};
use crate::vm::process::Process;

fn display(_: &mut Process, args: &[Term]) -> NativeResult {
    let mut text = display_text(args[0]);
    text.extend_from_slice(b"\r\n");
    let mut stdout = std::io::stdout().lock();
    // erts ignores write errors here too.
    let _ = stdout.write_all(&text).and_then(|_| stdout.flush());
    Ok(Term::TRUE)
}

/// What is left to print, innermost last.
enum Work<'a> {
    Term(Term),
    Text(&'static str),
    /// The rest of a list being printed element by element.
    ListTail(Term),
    /// Elements still to print, each after a comma.
    Rest(&'a [Term]),
    /// Flat map pairs still to print, each after a comma.
    Pairs(&'a [Term], &'a [Term]),
}

/// The bytes erts's `%T` prints for `term`.
pub(crate) fn display_text(term: Term) -> Vec<u8> {
    let mut out = Vec::new();
    let mut work = vec![Work::Term(term)];
    while let Some(item) = work.pop() {
        match item {
            Work::Text(s) => out.extend_from_slice(s.as_bytes()),
            Work::ListTail(tail) => match tail.view() {
                View::Nil => out.push(b']'),
                View::Cons(head, rest) => {
                    out.push(b',');
                    work.push(Work::ListTail(rest));
                    work.push(Work::Term(head));
                }
                _ => {
                    out.push(b'|');
                    work.push(Work::Text("]"));
                    work.push(Work::Term(tail));
                }
            },
            Work::Rest(rest) => {
                if let Some((first, rest)) = rest.split_first() {
                    out.push(b',');
                    work.push(Work::Rest(rest));
                    work.push(Work::Term(*first));
                }
            }
            Work::Pairs(keys, values) => {
                if let (Some((k, keys)), Some((v, values))) =
                    (keys.split_first(), values.split_first())
                {
                    out.push(b',');
                    work.push(Work::Pairs(keys, values));
                    work.push(Work::Term(*v));
                    work.push(Work::Text("=>"));
                    work.push(Work::Term(*k));
                }
            }
            Work::Term(t) => write_one(&mut out, &mut work, t),
        }
    }
    out
}

/// Pushes the elements of a sequence: the first now, the rest after commas.
fn push_elements<'a>(work: &mut Vec<Work<'a>>, elements: &'a [Term]) {
    if let Some((first, rest)) = elements.split_first() {
        work.push(Work::Rest(rest));
        work.push(Work::Term(*first));
    }
}

fn write_one<'a>(out: &mut Vec<u8>, work: &mut Vec<Work<'a>>, term: Term) {
    match term.view() {
        View::Nil => out.extend_from_slice(b"[]"),
        View::Atom(a) => write_atom(out, a),
        View::Small(_) | View::Big { .. } | View::Pid(_) | View::Port(_) | View::Ref(_) => {
            out.extend_from_slice(to_string(term).as_bytes())
        }
        View::ExternalPid { .. } | View::ExternalPort { .. } => {
            out.extend_from_slice(to_string(term).as_bytes())
        }
        View::Float(f) => out.extend_from_slice(scientific(f, 6).as_bytes()),
        View::Cons(head, tail) => {
            if let Some(bytes) = printable_string(term) {
                out.push(b'"');
                for b in bytes {
                    match b {
                        b'\n' => out.extend_from_slice(b"\\n"),
                        b'"' => out.extend_from_slice(b"\\\""),
                        _ => out.push(b),
                    }
                }
                out.push(b'"');
            } else {
                out.push(b'[');
                work.push(Work::ListTail(tail));
                work.push(Work::Term(head));
            }
        }
        View::Tuple(elements) => {
            out.push(b'{');
            work.push(Work::Text("}"));
            push_elements(work, elements);
        }
        View::Bitstring(bits) => {
            let bytes: Vec<u8> = (0..bits.byte_len()).map(|i| bits.byte(i)).collect();
            let trailing = bits.trailing_bits();
            if trailing == 0 && !bytes.is_empty() && bytes.iter().all(|b| (32..127).contains(b)) {
                out.extend_from_slice(b"<<\"");
                for b in bytes {
                    if b == b'"' {
                        out.push(b'\\');
                    }
                    out.push(b);
                }
                out.extend_from_slice(b"\">>");
            } else {
                let mut parts: Vec<String> = bytes.iter().map(|b| b.to_string()).collect();
                if trailing > 0 {
                    let last = bits.byte(bits.byte_len()) >> (8 - trailing);
                    parts.push(format!("{last}:{trailing}"));
                }
                out.extend_from_slice(format!("<<{}>>", parts.join(",")).as_bytes());
            }
        }
        View::Fun(fun) => {
            out.extend_from_slice(b"#Fun<");
            out.extend_from_slice(fun.entry.module.name().as_bytes());
            out.extend_from_slice(
                format!(".{}.{}>", fun.entry.old_index, fun.entry.old_uniq).as_bytes(),
            );
        }
        View::Export(export) => {
            out.extend_from_slice(b"fun ");
            write_atom(out, export.module);
            out.push(b':');
            write_atom(out, export.function);
            out.extend_from_slice(format!("/{}", export.arity).as_bytes());
        }
        View::Map(map) => match node_of(map) {
            Node::Flat { keys, values } => {
                out.extend_from_slice(b"#{");
                work.push(Work::Text("}"));
                if let (Some((k, keys)), Some((v, values))) =
                    (keys.split_first(), values.split_first())
                {
                    work.push(Work::Pairs(keys, values));
                    work.push(Work::Term(*v));
                    work.push(Work::Text("=>"));
                    work.push(Work::Term(*k));
                }
            }
            Node::Hamt {
                size,
                bitmap,
                children,
            } => {
                let prefix = if size.is_some() { "#<" } else { "<" };
                out.extend_from_slice(format!("{prefix}{bitmap:x}>{{").as_bytes());
                work.push(Work::Text("}"));
                push_elements(work, children);
            }
        },
        View::MatchContext => out.extend_from_slice(b"#MatchState"),
        View::Catch(_) => out.extend_from_slice(to_string(term).as_bytes()),
    }
}

/// The bytes of a non-empty proper list of printable Latin-1 characters
/// (erts counts 32..=126, 160..=255 and `\n \t \r` as printable).
fn printable_string(list: Term) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut rest = list.list_iter();
    for item in rest.by_ref() {
        let c = u8::try_from(item.as_small()?).ok()?;
        let control = c < b' ' || c == 127 || (128..160).contains(&c);
        if control && !matches!(c, b' ' | b'\n' | b'\t' | b'\r') {
            return None;
        }
        bytes.push(c);
    }
    (rest.rest().is_nil() && !bytes.is_empty()).then_some(bytes)
}

/// erts's `latin1_char`: the Latin-1 code of the character starting at
/// `bytes[i]` (a continuation byte counts as a letter; a 3- or 4-byte
/// sequence as 0, which forces quotes).
fn latin1_char(bytes: &[u8], i: usize) -> u32 {
    let c = bytes[i];
    if c & 0x80 == 0 {
        c as u32
    } else if c & 0xE0 == 0xC0 {
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        ((c as u32 & 0x1F) << 6) | (next as u32 & 0x3F)
    } else if c & 0xC0 == 0x80 {
        b'a' as u32
    } else {
        0
    }
}

fn is_lower(c: u32) -> bool {
    (b'a' as u32..=b'z' as u32).contains(&c) || ((223..=255).contains(&c) && c != 247)
}

fn is_upper(c: u32) -> bool {
    (b'A' as u32..=b'Z' as u32).contains(&c) || ((192..=222).contains(&c) && c != 215)
}

fn is_alnum(c: u32) -> bool {
    (b'0' as u32..=b'9' as u32).contains(&c) || is_lower(c) || is_upper(c)
}

/// An atom as erts's `print_atom_name` writes it.
fn write_atom(out: &mut Vec<u8>, atom: Atom) {
    let bytes = atom.name().as_bytes();
    if bytes.is_empty() {
        out.extend_from_slice(b"''");
        return;
    }
    let quote = !is_lower(latin1_char(bytes, 0))
        || (1..bytes.len()).any(|i| {
            let c = latin1_char(bytes, i);
            !is_alnum(c) && c != b'_' as u32
        });
    if quote {
        out.push(b'\'');
    }
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        i += 1;
        match c {
            b'\'' => out.extend_from_slice(b"\\'"),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0B => out.extend_from_slice(b"\\v"),
            _ if c < b' ' => out.extend_from_slice(format!("\\{c:03o}").as_bytes()),
            0xC2 if bytes.get(i).is_some_and(|&n| n < 0xA0) => {
                // U+0080..U+009F: an octal escape of the code.
                out.extend_from_slice(format!("\\{:03o}", bytes[i]).as_bytes());
                i += 1;
            }
            _ => out.push(c),
        }
    }
    if quote {
        out.push(b'\'');
    }
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "display"/1 => display,
);

#[cfg(test)]
mod tests {
    use super::super::testing::{process, terms};
    use super::*;
    use crate::code::export_entry;
    use crate::term::build;

    fn shown(text: &str) -> Vec<u8> {
        let mut p = process();
        let t = terms(&mut p, &format!("[{text}]"))[0];
        display_text(t)
    }

    #[test]
    fn display_prints_as_erts() {
        // Each: erl -noshell -eval 'erlang:display(T)' (bytes before \r\n).
        let cases: &[(&str, &[u8])] = &[
            ("\"abc\"", b"\"abc\""),
            ("[1,2]", b"[1,2]"),
            ("1.5", b"1.500000e+00"),
            ("0.1", b"1.000000e-01"),
            ("#{a=>1,b=>\"x\"}", b"#{a=>1,b=>\"x\"}"),
            (
                "{ok, <<1,2,3>>, <<\"abc\">>}",
                b"{ok,<<1,2,3>>,<<\"abc\">>}",
            ),
            ("'Hello world'", b"'Hello world'"),
            ("[]", b"[]"),
            ("\"a\\nb\"", b"\"a\\nb\""),
            ("[$a|b]", b"[97|b]"),
            ("<<1:3>>", b"<<1:3>>"),
            (
                "1267650600228229401496703205376",
                b"1267650600228229401496703205376",
            ),
            ("[256,257]", b"[256,257]"),
            ("[233]", b"\"\xe9\""),
            ("[10]", b"\"\\n\""),
            ("1.0e100", b"1.000000e+100"),
            ("-0.0", b"-0.000000e+00"),
            ("<<\"abc\\n\">>", b"<<97,98,99,10>>"),
            ("{[],\"\",[[]],[a|\"b\"]}", b"{[],[],[[]],[a,98]}"),
            (
                "'\\001\\002\\007\\010\\011\\012\\013\\014\\015\\033\\'\\\\'",
                b"'\\001\\002\\007\\b\\t\\n\\v\\f\\r\\033\\'\\\\'",
            ),
            (
                "'\\x{c8}\\x{e9}\\x{d7}\\x{f7}\\x{df}'",
                "'Èé×÷ß'".as_bytes(),
            ),
            ("'\\x{85}\\x{100}\\x{263a}'", "'\\205Ā☺'".as_bytes()),
            ("'Abc'", b"'Abc'"),
            ("'a@b'", b"'a@b'"),
            ("aB_9", b"aB_9"),
            ("'\\x{e9}'", "é".as_bytes()),
            ("['']", b"['']"),
            ("\"a\\\"b\\\\c\\td\\re\"", b"\"a\\\"b\\c\td\re\""),
            ("[200,201]", b"\"\xc8\xc9\""),
            ("[127]", b"[127]"),
            ("[160]", b"\"\xa0\""),
            ("[159]", b"[159]"),
            ("<<\"a\\\"b\">>", b"<<\"a\\\"b\">>"),
            ("<<>>", b"<<>>"),
            ("<<1:1>>", b"<<1:1>>"),
            ("<<97,98,5:3>>", b"<<97,98,5:3>>"),
            ("[97|\"b\"]", b"\"ab\""),
            ("-12345678901234567890123", b"-12345678901234567890123"),
            ("1.0e-300", b"1.000000e-300"),
            ("123.456", b"1.234560e+02"),
            ("#{}", b"#{}"),
            ("{}", b"{}"),
            ("#{a => {1}, \"s\" => <<>>}", b"#{a=>{1},\"s\"=><<>>}"),
            ("'\\x{80}'", b"'\\200'"),
            ("'\\x{ff}a'", "ÿa".as_bytes()),
            ("'_a'", b"'_a'"),
            ("'9a'", b"'9a'"),
        ];
        for (text, expected) in cases {
            assert_eq!(
                String::from_utf8_lossy(&shown(text)),
                String::from_utf8_lossy(expected),
                "{text}"
            );
        }
    }

    #[test]
    fn funs_and_large_maps_print_as_erts() {
        let mut p = process();
        // erl: erlang:display(fun lists:map/2), (fun erlang:'+'/2).
        let m = Atom::intern("lists").unwrap();
        let f = Atom::intern("map").unwrap();
        let e = build::export_fun(&mut p.heap, export_entry(m, f, 2));
        assert_eq!(display_text(e), b"fun lists:map/2");
        let plus = Atom::intern("+").unwrap();
        let e = build::export_fun(
            &mut p.heap,
            export_entry(crate::term::atoms::ERLANG, plus, 2),
        );
        assert_eq!(display_text(e), b"fun erlang:'+'/2");
        // erl: erlang:display(maps:from_list([{I,I} || I <- lists:seq(1,33)])).
        let pairs: Vec<String> = (1..=33).map(|i| format!("{i}=>{i}")).collect();
        let text = String::from_utf8(shown(&format!("#{{{}}}", pairs.join(",")))).unwrap();
        assert_eq!(
            text,
            "#<fffb>{<1201>{[16|16],[18|18],[5|5]},<4400>{[19|19],[27|27]},<80>{<4080>{[10|10],[24|24]}},<14>{[4|4],[21|21]},<240>{[22|22],[17|17]},<2a>{[3|3],[8|8],[1|1]},<8512>{[7|7],[2|2],[14|14],[15|15],[20|20]},[13|13],[6|6],<1400>{[28|28],[25|25]},<212>{[32|32],[9|9],[11|11]},[31|31],[26|26],<2040>{[30|30],<8020>{[29|29],[23|23]}},<8200>{[12|12],[33|33]}}"
        );
    }
}
