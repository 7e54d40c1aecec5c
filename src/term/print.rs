//! Printing terms exactly as `io_lib:format("~w", [T])` does in OTP 25.
//!
//! `~w` goes through `io_lib:write/2` with encoding `latin1`: integers in
//! decimal, floats as `float_to_list(F, [short])`, atoms quoted where the
//! Erlang scanner would need it (characters above 255 escaped as `\x{..}`),
//! lists always as lists (never strings), binaries as bytes. Pids, ports,
//! references and funs are printed by erts's C term printer
//! (`pid_to_list/1`, `erlang:fun_to_list/1`, ...), whose atom quoting
//! differs: it works on the UTF-8 bytes of the name, ignores reserved words
//! and emits non-ASCII bytes one per character.
//!
//! The printer keeps its own work stack, so term depth is bounded by memory,
//! not by the Rust stack.

use super::atom::atoms;
use super::build::is_this_node;
use super::float_fmt::write_float;
use super::{Atom, Bitstring, MapRef, RefId, Term, View};
use crate::code::{Export, FunEntry};

/// Appends the `~w` text of `term` to `out`.
pub fn write_term(out: &mut String, term: Term) {
    let mut work = vec![Work::Term(term)];
    while let Some(item) = work.pop() {
        match item {
            Work::Term(t) => write_one(out, &mut work, t),
            Work::Text(s) => out.push_str(s),
            Work::ListTail(tail) => match tail.view() {
                View::Nil => out.push(']'),
                View::Cons(head, rest) => {
                    out.push(',');
                    work.push(Work::ListTail(rest));
                    work.push(Work::Term(head));
                }
                _ => {
                    out.push('|');
                    work.push(Work::Text("]"));
                    work.push(Work::Term(tail));
                }
            },
            Work::TupleRest(rest) => match rest.split_first() {
                None => out.push('}'),
                Some((first, rest)) => {
                    out.push(',');
                    work.push(Work::TupleRest(rest));
                    work.push(Work::Term(*first));
                }
            },
            Work::MapRest(mut pairs) => match pairs.next() {
                None => out.push('}'),
                Some((key, value)) => {
                    out.push(',');
                    push_map_pair(&mut work, pairs, key, value);
                }
            },
        }
    }
}

/// The `~w` text of `term`.
pub fn to_string(term: Term) -> String {
    let mut out = String::new();
    write_term(&mut out, term);
    out
}

/// A float as `~w` and `float_to_list(F, [short])` print it.
pub fn format_float(value: f64) -> String {
    let mut out = String::new();
    write_float(&mut out, value);
    out
}

/// What is left to print, innermost last.
enum Work<'a> {
    Term(Term),
    Text(&'static str),
    /// The tail of a list whose elements so far are printed: `]`, `,X...`
    /// or `|X]`.
    ListTail(Term),
    /// Tuple elements not yet printed.
    TupleRest(&'a [Term]),
    /// Map associations not yet printed.
    MapRest(std::vec::IntoIter<(Term, Term)>),
}

/// Prints `term` if it is atomic, else opens it and pushes its parts.
fn write_one<'a>(out: &mut String, work: &mut Vec<Work<'a>>, term: Term) {
    match term.view::<'a>() {
        View::Small(n) => push_display(out, n),
        View::Big { negative, limbs } => write_big(out, negative, limbs),
        View::Float(f) => write_float(out, f),
        View::Atom(a) => write_atom(out, a),
        View::Nil => out.push_str("[]"),
        View::Cons(head, tail) => {
            out.push('[');
            work.push(Work::ListTail(tail));
            work.push(Work::Term(head));
        }
        View::Tuple(elements) => {
            out.push('{');
            match elements.split_first() {
                None => out.push('}'),
                Some((first, rest)) => {
                    work.push(Work::TupleRest(rest));
                    work.push(Work::Term(*first));
                }
            }
        }
        View::Map(map) => {
            out.push_str("#{");
            let mut pairs = map_print_order(&map).into_iter();
            match pairs.next() {
                None => out.push('}'),
                Some((key, value)) => push_map_pair(work, pairs, key, value),
            }
        }
        View::Bitstring(bits) => write_bitstring(out, &bits),
        View::Pid(pid) => write_pid(out, 0, pid.number, pid.serial),
        View::ExternalPid {
            node,
            number,
            serial,
            ..
        } => write_pid(out, channel(node), number, serial),
        View::Port(number) => write_port(out, 0, number),
        View::ExternalPort { node, number, .. } => write_port(out, channel(node), number),
        View::Ref(id) => write_ref(out, &id),
        View::Fun(fun) => write_local_fun(out, fun.entry),
        View::Export(export) => write_export_fun(out, export),
        // Neither is a value Erlang code can see; the texts are for debugging
        // (the second is what erts's printer writes).
        View::Catch(index) => {
            out.push_str("#Catch<");
            push_display(out, index);
            out.push('>');
        }
        View::MatchContext => out.push_str("#MatchState"),
    }
}

/// Maps of more keys than this are HAMTs in erts (smaller ones are flat).
const FLATMAP_MAX_KEYS: usize = 32;

/// The order `io_lib` prints a map in, that of `maps:iterator/1`: for a
/// flat map the key order of `maps:to_list/1`, for a HAMT its reverse
/// (erl prints `maps:from_list([{K,K} || K <- lists:seq(1,40)])` from key
/// 16 to key 33, while `maps:keys/1` gives 33 first and 16 last).
fn map_print_order(map: &MapRef<'_>) -> Vec<(Term, Term)> {
    let mut pairs = map.to_list_order();
    if pairs.len() > FLATMAP_MAX_KEYS {
        pairs.reverse();
    }
    pairs
}

/// Pushes `Key => Value` and then the remaining `pairs`.
fn push_map_pair(
    work: &mut Vec<Work<'_>>,
    pairs: std::vec::IntoIter<(Term, Term)>,
    key: Term,
    value: Term,
) {
    work.push(Work::MapRest(pairs));
    work.push(Work::Term(value));
    work.push(Work::Text(" => "));
    work.push(Work::Term(key));
}

fn write_big(out: &mut String, negative: bool, limbs: &[u64]) {
    let digits: Vec<u32> = limbs
        .iter()
        .flat_map(|&limb| [limb as u32, (limb >> 32) as u32])
        .collect();
    let magnitude = num_bigint::BigUint::from_slice(&digits);
    if negative {
        out.push('-');
    }
    out.push_str(&magnitude.to_str_radix(10));
}

/// `<<1,2,3>>`, and a last partial byte as `Value:Bits`: `<<1,5:3>>`.
fn write_bitstring(out: &mut String, bits: &Bitstring<'_>) {
    out.push_str("<<");
    let mut first = true;
    let mut separate = |out: &mut String| {
        if !std::mem::take(&mut first) {
            out.push(',');
        }
    };
    for i in 0..bits.byte_len() {
        separate(out);
        push_display(out, bits.byte(i));
    }
    let trailing = bits.trailing_bits();
    if trailing > 0 {
        separate(out);
        let value = bits.byte(bits.byte_len()) >> (8 - trailing);
        push_display(out, value);
        out.push(':');
        push_display(out, trailing);
    }
    out.push_str(">>");
}

/// erts's "channel number" of a node, printed first in pids, ports and
/// refs: 0 for this node, else the index of the node name's atom.
fn channel(node: Atom) -> u32 {
    if node == atoms::NONODE {
        0
    } else {
        node.index()
    }
}

fn write_pid(out: &mut String, channel: u32, number: u32, serial: u32) {
    push_display(out, format_args!("<{channel}.{number}.{serial}>"));
}

fn write_port(out: &mut String, channel: u32, number: u64) {
    push_display(out, format_args!("#Port<{channel}.{number}>"));
}

/// Id words of this node's references in erts.
const LOCAL_REF_WORDS: usize = 3;

/// `#Ref<Channel.Id...>`, the most significant id word first. erts keeps
/// this node's references as three words, so shorter ones print with zeros
/// in front (`#Ref<0.0.0.1>`); other nodes' print the words they have.
fn write_ref(out: &mut String, id: &RefId<'_>) {
    out.push_str("#Ref<");
    push_display(out, channel(id.node));
    let mut words: Vec<u32> = id.ids().collect();
    if is_this_node(id.node, id.creation) && words.len() < LOCAL_REF_WORDS {
        words.resize(LOCAL_REF_WORDS, 0);
    }
    for word in words.iter().rev() {
        out.push('.');
        push_display(out, word);
    }
    out.push('>');
}

/// `#Fun<Module.OldIndex.OldUniq>`: the module name's bytes unquoted and
/// unescaped, the numbers as signed 32-bit values (as erl prints funs
/// decoded with out-of-range fields).
fn write_local_fun(out: &mut String, entry: &FunEntry) {
    out.push_str("#Fun<");
    push_bytes_as_chars(out, entry.module.name().as_bytes());
    push_display(
        out,
        format_args!(".{}.{}>", entry.old_index as i32, entry.old_uniq as i32),
    );
}

/// `fun Module:Function/Arity`, atoms quoted as erts's printer does.
fn write_export_fun(out: &mut String, export: &Export) {
    out.push_str("fun ");
    write_atom_as_erts(out, export.module);
    out.push(':');
    write_atom_as_erts(out, export.function);
    out.push('/');
    push_display(out, export.arity);
}

// ---- atoms as io_lib writes them -------------------------------------------

/// The reserved words of OTP 25's `erl_scan` (`maybe` and `else` only with
/// the `maybe_expr` feature, off by default, so they are not quoted).
const RESERVED_WORDS: [&str; 27] = [
    "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case",
    "catch", "cond", "div", "end", "fun", "if", "let", "not", "of", "or", "orelse", "receive",
    "rem", "try", "when", "xor",
];

/// An atom as `io_lib:write_atom_as_latin1/1` writes it.
fn write_atom(out: &mut String, atom: Atom) {
    let name = atom.name();
    if !atom_needs_quotes(name) {
        out.push_str(name);
        return;
    }
    out.push('\'');
    for c in name.chars() {
        push_quoted_char(out, c);
    }
    out.push('\'');
}

/// Lowercase letters: `a..z` and Latin-1 `ß..ÿ` but `÷`.
fn is_latin1_lower(c: char) -> bool {
    c.is_ascii_lowercase() || (('ß'..='ÿ').contains(&c) && c != '÷')
}

/// Characters allowed after the first in an unquoted atom.
fn is_name_char(c: char) -> bool {
    is_latin1_lower(c)
        || c.is_ascii_uppercase()
        || (('À'..='Þ').contains(&c) && c != '×')
        || c.is_ascii_digit()
        || c == '_'
        || c == '@'
}

fn atom_needs_quotes(name: &str) -> bool {
    if RESERVED_WORDS.contains(&name) {
        return true;
    }
    let mut chars = name.chars();
    match chars.next() {
        Some(first) if is_latin1_lower(first) => !chars.all(is_name_char),
        _ => true,
    }
}

/// One character inside single quotes, escaped as `io_lib` does with
/// encoding `latin1`.
fn push_quoted_char(out: &mut String, c: char) {
    match c {
        '\'' => out.push_str("\\'"),
        '\\' => out.push_str("\\\\"),
        ' '..='~' | '\u{a0}'..='\u{ff}' => out.push(c),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{0b}' => out.push_str("\\v"),
        '\u{08}' => out.push_str("\\b"),
        '\u{0c}' => out.push_str("\\f"),
        '\u{1b}' => out.push_str("\\e"),
        '\u{7f}' => out.push_str("\\d"),
        '\u{0}'..='\u{9f}' => push_display(out, format_args!("\\{:03o}", c as u32)),
        _ => push_display(out, format_args!("\\x{{{:X}}}", c as u32)),
    }
}

// ---- atoms as erts's C printer writes them ----------------------------------

/// An atom as erts's term printer writes it (in `fun M:F/A`): quoted unless
/// it starts with a Latin-1 lowercase letter and goes on with Latin-1
/// alphanumerics and `_`, judged on its UTF-8 bytes; non-ASCII characters
/// come out as their UTF-8 bytes, one character per byte.
fn write_atom_as_erts(out: &mut String, atom: Atom) {
    let bytes = atom.name().as_bytes();
    if bytes.is_empty() {
        out.push_str("''");
        return;
    }
    let quoted = !is_erts_lower(erts_latin1_char(bytes, 0))
        || (1..bytes.len()).any(|i| {
            let c = erts_latin1_char(bytes, i);
            !(is_erts_alnum(c) || c == u32::from(b'_'))
        });
    if quoted {
        out.push('\'');
    }
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        i += 1;
        match byte {
            b'\'' => out.push_str("\\'"),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            0x0c => out.push_str("\\f"),
            b'\t' => out.push_str("\\t"),
            b'\r' => out.push_str("\\r"),
            0x08 => out.push_str("\\b"),
            0x0b => out.push_str("\\v"),
            0..=0x1f => push_display(out, format_args!("\\{byte:03o}")),
            0x80.. => {
                let next = bytes.get(i).copied().unwrap_or(0);
                if byte == 0xc2 && next < 0xa0 {
                    // U+0080..U+009F, control characters: octal of the
                    // second byte.
                    push_display(out, format_args!("\\{next:03o}"));
                    i += 1;
                } else {
                    let len = utf8_sequence_len(byte);
                    let end = (i - 1 + len).min(bytes.len());
                    push_bytes_as_chars(out, &bytes[i - 1..end]);
                    i = end;
                }
            }
            _ => out.push(byte as char),
        }
    }
    if quoted {
        out.push('\'');
    }
}

/// What erts's quoting test takes the byte at `i` for: ASCII as is, a
/// two-byte sequence as its code point, a continuation byte as a letter,
/// the start of a longer sequence as something that needs quotes (0).
fn erts_latin1_char(bytes: &[u8], i: usize) -> u32 {
    let c = u32::from(bytes[i]);
    if c & 0x80 == 0 {
        c
    } else if c & 0xe0 == 0xc0 {
        let next = u32::from(bytes.get(i + 1).copied().unwrap_or(0));
        (c & 0x1f) << 6 | (next & 0x3f)
    } else if c & 0xc0 == 0x80 {
        u32::from(b'a')
    } else {
        0
    }
}

fn is_erts_lower(c: u32) -> bool {
    (u32::from(b'a')..=u32::from(b'z')).contains(&c) || ((223..=255).contains(&c) && c != 247)
}

fn is_erts_alnum(c: u32) -> bool {
    let upper =
        (u32::from(b'A')..=u32::from(b'Z')).contains(&c) || ((192..=222).contains(&c) && c != 215);
    is_erts_lower(c) || upper || (u32::from(b'0')..=u32::from(b'9')).contains(&c)
}

fn utf8_sequence_len(lead: u8) -> usize {
    match lead {
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

/// Appends `value` as `Display` writes it, without a temporary string.
fn push_display(out: &mut String, value: impl std::fmt::Display) {
    use std::fmt::Write;
    write!(out, "{value}").expect("writing to a String cannot fail");
}

/// Each byte as the character with that code (erts builds its text as
/// bytes, and the BIFs hand it back as a list of those).
fn push_bytes_as_chars(out: &mut String, bytes: &[u8]) {
    out.extend(bytes.iter().map(|&b| char::from(b)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::{export_entry, fun_entry};
    use crate::heap::LiteralArea;
    use crate::term::{build, map, LocalPid};
    use num_bigint::BigInt;

    fn atom(text: &str) -> Term {
        Term::atom(Atom::intern(text).unwrap())
    }

    #[test]
    fn integers_print_in_decimal() {
        // erl: io:format("~w", [[1,-1,0,576460752303423487,576460752303423488,
        //   -576460752303423488,-576460752303423489,18446744073709551616,
        //   -(1 bsl 200), 7 bsl 64]])
        let mut heap = LiteralArea::new();
        let mut ints = vec![Term::small(1), Term::small(-1), Term::small(0)];
        for v in [
            576460752303423487,
            576460752303423488,
            -576460752303423488,
            -576460752303423489,
        ] {
            ints.push(build::int(&mut heap, v));
        }
        ints.push(build::big_from_limbs(&mut heap, false, &[0, 1]));
        ints.push(build::bigint(&mut heap, &-(BigInt::from(1) << 200usize)));
        ints.push(build::big_from_limbs(&mut heap, false, &[0, 7]));
        let list = build::list(&mut heap, &ints);
        assert_eq!(
            to_string(list),
            "[1,-1,0,576460752303423487,576460752303423488,-576460752303423488,\
             -576460752303423489,18446744073709551616,\
             -1606938044258990275541962092341162602522202993782792835301376,\
             129127208515966861312]"
        );
    }

    #[test]
    fn lists_and_tuples() {
        // erl: io:format("~w", [[[], [1|2], [1,2|3], "abc", [[]], [[1],[2,3]], [a|b],
        //   {}, {a}, {a,{b,c},[]}, [{}|{}], [1.5|-0.0]]])
        let mut heap = LiteralArea::new();
        let h = &mut heap;
        let one_two = build::list_with_tail(h, &[Term::small(1)], Term::small(2));
        let one_two_three =
            build::list_with_tail(h, &[Term::small(1), Term::small(2)], Term::small(3));
        let abc = build::list(h, &[Term::small(97), Term::small(98), Term::small(99)]);
        let nil_in_list = build::list(h, &[Term::NIL]);
        let l1 = build::list(h, &[Term::small(1)]);
        let l23 = build::list(h, &[Term::small(2), Term::small(3)]);
        let nested = build::list(h, &[l1, l23]);
        let a_b = build::cons(h, atom("a"), atom("b"));
        let empty = build::tuple(h, &[]);
        let t_a = build::tuple(h, &[atom("a")]);
        let t_bc = build::tuple(h, &[atom("b"), atom("c")]);
        let t_abc = build::tuple(h, &[atom("a"), t_bc, Term::NIL]);
        let empties = build::cons(h, empty, empty);
        let f1 = build::float(h, 1.5);
        let f2 = build::float(h, -0.0);
        let floats = build::cons(h, f1, f2);
        let all = build::list(
            h,
            &[
                Term::NIL,
                one_two,
                one_two_three,
                abc,
                nil_in_list,
                nested,
                a_b,
                empty,
                t_a,
                t_abc,
                empties,
                floats,
            ],
        );
        assert_eq!(
            to_string(all),
            "[[],[1|2],[1,2|3],[97,98,99],[[]],[[1],[2,3]],[a|b],{},{a},{a,{b,c},[]},\
             [{}|{}],[1.5|-0.0]]"
        );
    }

    #[test]
    fn binaries_and_bitstrings() {
        // erl: {_, Sub} = split_binary(<<1,2,3,4>>, 1),
        //   <<_:3, Odd:13/bitstring, _/bitstring>> = <<1,2,3>>,
        //   <<_:5, Odd2:19/bitstring>> = <<200,201,202>>,
        //   io:format("~w", [[<<>>, <<1,2,3>>, <<"abc">>, <<1,2:3>>, <<5:3>>,
        //     <<255,0:1>>, Sub, Odd, Odd2, <<0:7>>, <<127:7>>]])
        let mut heap = LiteralArea::new();
        let h = &mut heap;
        let whole = build::binary(h, &[1, 2, 3, 4]);
        let sub = build::sub_binary(h, whole, 1, 3, 0, 0);
        let bytes = build::binary(h, &[1, 2, 3]);
        let odd = build::sub_binary(h, bytes, 0, 1, 5, 3);
        let bytes2 = build::binary(h, &[200, 201, 202]);
        let odd2 = build::sub_binary(h, bytes2, 0, 2, 3, 5);
        let items = [
            build::binary(h, &[]),
            build::binary(h, &[1, 2, 3]),
            build::binary(h, b"abc"),
            build::bitstring(h, &[1, 2 << 5], 11),
            build::bitstring(h, &[5 << 5], 3),
            build::bitstring(h, &[255, 0], 9),
            sub,
            odd,
            odd2,
            build::bitstring(h, &[0], 7),
            build::bitstring(h, &[127 << 1], 7),
        ];
        let list = build::list(h, &items);
        assert_eq!(
            to_string(list),
            "[<<>>,<<1,2,3>>,<<97,98,99>>,<<1,2:3>>,<<5:3>>,<<255,0:1>>,<<2,3,4>>,\
             <<8,2:5>>,<<25,57,2:3>>,<<0:7>>,<<127:7>>]"
        );
        // A refc (off-heap) binary prints the same way.
        let big: Vec<u8> = (0..100).collect();
        let text: Vec<String> = big.iter().map(|b| b.to_string()).collect();
        let refc = build::binary(h, &big);
        assert_eq!(to_string(refc), format!("<<{}>>", text.join(",")));
    }

    #[test]
    fn local_pids_ports_and_refs() {
        // erl: io:format("~w", [[list_to_pid("<0.80.3>"), list_to_port("#Port<0.7>"),
        //   list_to_ref("#Ref<0.1.2.3>"), list_to_ref("#Ref<0.4294967295.2.3>")]])
        let mut heap = LiteralArea::new();
        let h = &mut heap;
        let pid = Term::local_pid(LocalPid {
            number: 80,
            serial: 3,
        });
        let port = Term::local_port(7);
        let r1 = build::reference(h, atoms::NONODE, 0, &[3, 2, 1]);
        let r2 = build::reference(h, atoms::NONODE, 0, &[3, 2, u32::MAX]);
        let list = build::list(h, &[pid, port, r1, r2]);
        assert_eq!(
            to_string(list),
            "[<0.80.3>,#Port<0.7>,#Ref<0.1.2.3>,#Ref<0.4294967295.2.3>]"
        );
    }

    #[test]
    fn short_local_refs_print_three_words() {
        // erl: R = fun(Ids) -> binary_to_term(<<131,90,(length(Ids)):16,119,13,
        //   "nonode@nohost",0:32,(<< <<I:32>> || I <- Ids >>)/binary>>) end,
        //   io:format("~w", [[R([1]), R([1,2]), R([1,2,3])]])
        let mut heap = LiteralArea::new();
        let h = &mut heap;
        let refs = [
            build::reference(h, atoms::NONODE, 0, &[1]),
            build::reference(h, atoms::NONODE, 0, &[1, 2]),
            build::reference(h, atoms::NONODE, 0, &[1, 2, 3]),
        ];
        let list = build::list(h, &refs);
        assert_eq!(
            to_string(list),
            "[#Ref<0.0.0.1>,#Ref<0.0.2.1>,#Ref<0.3.2.1>]"
        );
    }

    #[test]
    fn other_nodes_pids_ports_and_refs() {
        // erl prints the node as its "channel number", the index of the node
        // name's atom (foo@bar was atom 8618 there):
        //   R = fun(Ids) -> binary_to_term(<<131,90,(length(Ids)):16,119,7,"foo@bar",
        //     1:32,(<< <<I:32>> || I <- Ids >>)/binary>>) end,
        //   io:format("~w", [[R([1]), R([1,2,3]), R([1,2,3,4]), R([1,2,3,4,5])]])
        //   -> [#Ref<8618.1>,#Ref<8618.3.2.1>,#Ref<8618.4.3.2.1>,#Ref<8618.5.4.3.2.1>]
        // Pids and ports likewise (<8452.7.3>, #Port<8452.9>); pids and refs
        // of nonode@nohost with another creation print channel 0 (<0.7.3>,
        // #Ref<0.1>).
        let mut heap = LiteralArea::new();
        let h = &mut heap;
        let node = Atom::intern("foo@bar").unwrap();
        let n = node.index();
        let terms = [
            build::reference(h, node, 1, &[1]),
            build::reference(h, node, 1, &[1, 2, 3]),
            build::reference(h, node, 1, &[1, 2, 3, 4]),
            build::reference(h, node, 1, &[1, 2, 3, 4, 5]),
            build::pid(h, node, 7, 3, 1),
            build::port(h, node, 9, 1),
            build::pid(h, atoms::NONODE, 7, 3, 5),
            build::reference(h, atoms::NONODE, 5, &[1]),
        ];
        let list = build::list(h, &terms);
        assert_eq!(
            to_string(list),
            format!(
                "[#Ref<{n}.1>,#Ref<{n}.3.2.1>,#Ref<{n}.4.3.2.1>,#Ref<{n}.5.4.3.2.1>,\
                 <{n}.7.3>,#Port<{n}.9>,<0.7.3>,#Ref<0.1>]"
            )
        );
    }

    #[test]
    fn funs() {
        // erl: io:format("~w", [[fun lists:map/2, erlang:make_fun('Foo', 'bar baz', 255)]])
        //   -> [fun lists:map/2,fun 'Foo':'bar baz'/255]
        // A fun of erl_eval printed as #Fun<erl_eval.42.3316493>; one decoded
        // with OldIndex 16#ffffffff and OldUniq -5 as #Fun<foo.-1.-5>; one of
        // module 'Foo Bar' as #Fun<Foo Bar.0.27927907>.
        let mut heap = LiteralArea::new();
        let h = &mut heap;
        let lists_map = export_entry(
            Atom::intern("lists").unwrap(),
            Atom::intern("map").unwrap(),
            2,
        );
        let foo = export_entry(
            Atom::intern("Foo").unwrap(),
            Atom::intern("bar baz").unwrap(),
            255,
        );
        let pid = Term::local_pid(LocalPid {
            number: 80,
            serial: 0,
        });
        let eval = fun_entry(
            Atom::intern("erl_eval").unwrap(),
            42,
            [0; 16],
            42,
            3316493,
            1,
        );
        let odd = fun_entry(
            Atom::intern("foo").unwrap(),
            0,
            [1; 16],
            u32::MAX,
            -5i32 as u32,
            0,
        );
        let spaced = fun_entry(Atom::intern("Foo Bar").unwrap(), 0, [2; 16], 0, 27927907, 0);
        let terms = [
            build::export_fun(h, lists_map),
            build::export_fun(h, foo),
            build::closure(h, eval, pid, &[Term::small(1)]),
            build::closure(h, odd, pid, &[]),
            build::closure(h, spaced, pid, &[]),
        ];
        let list = build::list(h, &terms);
        assert_eq!(
            to_string(list),
            "[fun lists:map/2,fun 'Foo':'bar baz'/255,#Fun<erl_eval.42.3316493>,\
             #Fun<foo.-1.-5>,#Fun<Foo Bar.0.27927907>]"
        );
    }

    /// `~w` of atoms, and of `fun A:A/0` (erts's own quoting), as erl
    /// printed them; see the header of the file.
    const ERL_ATOMS: &str = include_str!("testdata/atoms_w.txt");

    /// Checks lines `<hex code points> TAB <~w of atom> TAB <~w of fun A:A/0>`;
    /// returns how many.
    fn check_atom_lines(lines: &str) -> usize {
        let mut heap = LiteralArea::new();
        let mut checked = 0;
        for line in lines.lines().filter(|l| !l.starts_with('%')) {
            let mut fields = line.split('\t');
            let (Some(code_points), Some(expected_atom), Some(expected_fun), None) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                panic!("bad atom line {line:?}");
            };
            let name: String = code_points
                .split(',')
                .filter(|hex| !hex.is_empty())
                .map(|hex| char::from_u32(u32::from_str_radix(hex, 16).unwrap()).unwrap())
                .collect();
            let a = Atom::intern(&name).unwrap();
            assert_eq!(to_string(Term::atom(a)), expected_atom, "atom {name:?}");
            let fun = build::export_fun(&mut heap, export_entry(a, a, 0));
            assert_eq!(to_string(fun), expected_fun, "fun of atom {name:?}");
            checked += 1;
        }
        checked
    }

    #[test]
    fn atoms_print_as_erl_prints_them() {
        assert!(check_atom_lines(ERL_ATOMS) > 350);
    }

    /// Compares with erl on many random atoms: `cargo test -- --ignored`.
    #[test]
    #[ignore = "needs erl on the PATH"]
    fn random_atoms_print_as_erl_prints_them() {
        let eval = "io:setopts([{encoding, unicode}]), \
            Alphabet = lists:seq($a, $z) ++ \"AZ09_@'\\\"\\\\ .~\" ++ [0, 1, 7, 8, 9, 10, 11, \
              12, 13, 27, 31, 127, 128, 159, 160, 173, 191, 192, 208, 215, 222, 223, 233, \
              246, 247, 248, 255, 256, 955, 16#7ff, 16#800, 16#ffff, 16#10000, 16#1F600], \
            Words = [\"after\", \"cond\", \"maybe\", \"fun\"], \
            Random = fun() -> [lists:nth(rand:uniform(length(Alphabet)), Alphabet) \
              || _ <- lists:seq(1, rand:uniform(6))] end, \
            [begin S = case rand:uniform(20) of \
                 1 -> lists:nth(rand:uniform(4), Words) ++ Random(); _ -> Random() end, \
               A = list_to_atom(S), \
               io:put_chars(unicode:characters_to_binary([ \
                 lists:join(\",\", [integer_to_list(C, 16) || C <- S]), 9, \
                 io_lib:format(\"~w\", [A]), 9, \
                 io_lib:format(\"~w\", [erlang:make_fun(A, A, 0)]), 10])) \
             end || _ <- lists:seq(1, 20000)].";
        let output = std::process::Command::new("erl")
            .args(["-noshell", "-eval", eval, "-s", "init", "stop"])
            .output()
            .expect("run erl");
        assert!(output.status.success());
        let lines = String::from_utf8(output.stdout).expect("UTF-8 output");
        assert_eq!(check_atom_lines(&lines), 20000);
    }

    #[test]
    fn a_million_deep_list_prints() {
        let mut heap = LiteralArea::new();
        let depth = 1_000_000;
        let mut term = Term::NIL;
        for _ in 0..depth {
            term = build::cons(&mut heap, term, Term::NIL);
        }
        let text = to_string(term);
        let expected = format!("{}[]{}", "[".repeat(depth), "]".repeat(depth));
        assert!(text == expected, "deep list text differs");
    }

    #[test]
    fn deep_tuples_and_improper_tails_print() {
        let mut heap = LiteralArea::new();
        let depth = 200_000;
        let mut term = Term::small(0);
        for _ in 0..depth {
            let t = build::tuple(&mut heap, &[term, Term::small(1)]);
            term = build::cons(&mut heap, Term::small(2), t);
        }
        // Each level is [2|{Inner,1}].
        let text = to_string(term);
        let expected = format!("{}0{}", "[2|{".repeat(depth), ",1}]".repeat(depth));
        assert!(text == expected, "deep term text differs");
    }

    #[test]
    fn long_list_prints() {
        let mut heap = LiteralArea::new();
        let items: Vec<Term> = (0..100_000).map(Term::small).collect();
        let list = build::list(&mut heap, &items);
        let expected: Vec<String> = (0..100_000).map(|i: i64| i.to_string()).collect();
        assert_eq!(to_string(list), format!("[{}]", expected.join(",")));
    }

    #[test]
    fn format_float_matches_erl() {
        // erl: io:format("~w ~w", [0.1, 1.0e-5]) -> 0.1 1.0e-5
        assert_eq!(format_float(0.1), "0.1");
        assert_eq!(format_float(1.0e-5), "1.0e-5");
    }

    // ---- maps: need `map::from_pairs` and `to_list_order` --------------------

    #[test]
    fn small_maps_print() {
        // erl: io:format("~w~n~w~n~w", [#{}, #{b=>2,a=>1}, #{[] => {}, 1 => #{}, a => [1.0]}])
        let mut heap = LiteralArea::new();
        let h = &mut heap;
        let (empty, _) = map::from_pairs(h, &[]);
        assert_eq!(to_string(empty), "#{}");
        let (ab, _) = map::from_pairs(
            h,
            &[(atom("b"), Term::small(2)), (atom("a"), Term::small(1))],
        );
        assert_eq!(to_string(ab), "#{a => 1,b => 2}");
        let tuple = build::tuple(h, &[]);
        let one = build::float(h, 1.0);
        let floats = build::list(h, &[one]);
        let (mixed, _) = map::from_pairs(
            h,
            &[
                (Term::NIL, tuple),
                (Term::small(1), empty),
                (atom("a"), floats),
            ],
        );
        assert_eq!(to_string(mixed), "#{1 => #{},a => [1.0],[] => {}}");
    }

    #[test]
    fn large_map_prints_in_iterator_order() {
        // erl: io:format("~w", [maps:from_list([{K, K*K} || K <- lists:seq(1,40)])])
        // (maps:keys/1 of that map is [33,12,23,...,5,18,16], the reverse)
        let mut heap = LiteralArea::new();
        let pairs: Vec<(Term, Term)> = (1..=40)
            .map(|k| (Term::small(k), Term::small(k * k)))
            .collect();
        let (m, _) = map::from_pairs(&mut heap, &pairs);
        assert_eq!(
            to_string(m),
            "#{16 => 256,18 => 324,5 => 25,19 => 361,27 => 729,35 => 1225,10 => 100,\
             24 => 576,36 => 1296,4 => 16,21 => 441,22 => 484,17 => 289,3 => 9,8 => 64,\
             1 => 1,7 => 49,2 => 4,14 => 196,15 => 225,20 => 400,40 => 1600,13 => 169,\
             38 => 1444,6 => 36,28 => 784,25 => 625,34 => 1156,32 => 1024,9 => 81,\
             37 => 1369,11 => 121,31 => 961,26 => 676,39 => 1521,30 => 900,29 => 841,\
             23 => 529,12 => 144,33 => 1089}"
        );
    }
}
