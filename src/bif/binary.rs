//! The natives of OTP's `binary` module (`lib/stdlib/src/binary.erl`, the
//! functions it leaves to `erl_bif_binary.c`): searching (`compile_pattern`,
//! `match`, `matches`, `split`), slicing and bytes (`part`, `at`, `first`,
//! `last`, `list_to_bin`, `copy`, `referenced_byte_size`,
//! `longest_common_prefix`, `longest_common_suffix`) and unsigned integers
//! (`decode_unsigned`, `encode_unsigned`). `bin_to_list` and `replace` are
//! Erlang code over these.
//!
//! Searching follows erts: one pattern is found with a substring search
//! (the `memchr` crate's `memmem`), several with Aho-Corasick (the
//! `aho-corasick` crate), leftmost first and, of the patterns that match at
//! the leftmost position, the longest; `matches` and `split` with `global`
//! take the matches that do not overlap, each search going on after the
//! previous match.
//!
//! A compiled pattern is `{bm, Ref}` for one pattern and `{ac, Ref}` for
//! several, as in erl: `Ref` is a resource reference to the prepared
//! search (a `memmem` finder or an Aho-Corasick automaton). Patterns given
//! as binaries are prepared on each call, several through a small
//! per-thread cache of automata.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, MatchKind};
use memchr::memmem;

use super::erlang::binaries::{binary_part, list_to_binary, part_range, pos_len};
use super::erlang::{atom, binary_bytes, term_to_u64};
use crate::bif::{Native, NativeResult, Raised};
use crate::heap::Resource;
use crate::term::{build, Atom, Term, View};
use crate::vm::process::Process;

/// A search pattern: one byte string or several, none empty, or a
/// compiled one (a resource holding a [`Searcher`]).
enum Pattern {
    One(Vec<u8>),
    Several(Vec<Vec<u8>>),
    Compiled(Arc<Resource>),
}

/// The prepared search behind a compiled pattern's reference.
enum Searcher {
    One(Box<memmem::Finder<'static>>),
    Several(AhoCorasick),
}

fn several(patterns: &[Vec<u8>]) -> Result<AhoCorasick, Raised> {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(patterns)
        .map_err(|_| Raised::system_limit())
}

/// The bytes of a non-empty binary.
fn nonempty_binary(term: Term) -> Option<Vec<u8>> {
    binary_bytes(term)
        .filter(|b| !b.is_empty())
        .map(|b| b.into_owned())
}

/// The patterns of a non-empty proper list of non-empty binaries.
fn binary_list(term: Term) -> Option<Vec<Vec<u8>>> {
    let mut iter = term.list_iter();
    let patterns = iter
        .by_ref()
        .map(nonempty_binary)
        .collect::<Option<Vec<_>>>()?;
    (iter.rest().is_nil() && !patterns.is_empty()).then_some(patterns)
}

fn is_atom(term: Term, name: &str) -> bool {
    term.as_atom().is_some_and(|a| a.name() == name)
}

/// A pattern argument: a binary, a list of binaries, or a compiled pattern.
fn pattern_arg(term: Term) -> Option<Pattern> {
    if let Some(&[tag, compiled]) = term.as_tuple() {
        let resource = compiled.resource()?;
        let tag_fits = match resource.downcast_ref::<Searcher>()? {
            Searcher::One(_) => is_atom(tag, "bm"),
            Searcher::Several(_) => is_atom(tag, "ac"),
        };
        return tag_fits.then_some(Pattern::Compiled(resource));
    }
    if term.is_bitstring() {
        return nonempty_binary(term).map(Pattern::One);
    }
    let mut patterns = binary_list(term)?;
    Some(if patterns.len() == 1 {
        Pattern::One(patterns.pop().expect("one pattern"))
    } else {
        Pattern::Several(patterns)
    })
}

/// The Aho-Corasick automaton for `patterns`, from a small cache: code
/// that compiles a pattern once and searches with it many times would
/// otherwise build it on every search.
fn automaton(patterns: &[Vec<u8>]) -> Result<Rc<AhoCorasick>, Raised> {
    const CACHED: usize = 32;
    thread_local! {
        static CACHE: RefCell<HashMap<Vec<Vec<u8>>, Rc<AhoCorasick>>> = RefCell::default();
    }
    CACHE.with(|cache| {
        if let Some(found) = cache.borrow().get(patterns) {
            return Ok(found.clone());
        }
        let built = Rc::new(several(patterns)?);
        let mut cache = cache.borrow_mut();
        if cache.len() >= CACHED {
            cache.clear();
        }
        cache.insert(patterns.to_vec(), built.clone());
        Ok(built)
    })
}

/// The first match `(start, length)` of `pattern` in `haystack`.
fn find_first(pattern: &Pattern, haystack: &[u8]) -> Result<Option<(usize, usize)>, Raised> {
    Ok(match pattern {
        Pattern::One(needle) => memmem::find(haystack, needle).map(|at| (at, needle.len())),
        Pattern::Several(patterns) => automaton(patterns)?
            .find(haystack)
            .map(|m| (m.start(), m.len())),
        Pattern::Compiled(resource) => match searcher(resource) {
            Searcher::One(finder) => finder.find(haystack).map(|at| (at, finder.needle().len())),
            Searcher::Several(automaton) => automaton.find(haystack).map(|m| (m.start(), m.len())),
        },
    })
}

/// The search of a compiled pattern (`pattern_arg` checked the kind).
fn searcher(resource: &Resource) -> &Searcher {
    resource
        .downcast_ref::<Searcher>()
        .expect("a compiled pattern holds a searcher")
}

/// Every match of `pattern` in `haystack` that does not overlap an earlier
/// one.
fn find_all(pattern: &Pattern, haystack: &[u8]) -> Result<Vec<(usize, usize)>, Raised> {
    Ok(match pattern {
        Pattern::One(needle) => memmem::find_iter(haystack, needle)
            .map(|at| (at, needle.len()))
            .collect(),
        Pattern::Several(patterns) => automaton(patterns)?
            .find_iter(haystack)
            .map(|m| (m.start(), m.len()))
            .collect(),
        Pattern::Compiled(resource) => match searcher(resource) {
            Searcher::One(finder) => finder
                .find_iter(haystack)
                .map(|at| (at, finder.needle().len()))
                .collect(),
            Searcher::Several(automaton) => automaton
                .find_iter(haystack)
                .map(|m| (m.start(), m.len()))
                .collect(),
        },
    })
}

/// The `{scope, {Start, Length}}` of an options list: the byte range
/// `start..end` of a subject of `size` bytes.
fn scope_option(option: Term, size: u64) -> Option<(u64, u64)> {
    let &[tag, part] = option.as_tuple()? else {
        return None;
    };
    if !is_atom(tag, "scope") {
        return None;
    }
    let (pos, len) = pos_len(part)?;
    let (start, len) = part_range(size, pos, len)?;
    Some((start, start + len))
}

/// The options of `match/3` and `split/3`.
struct SearchOptions {
    start: u64,
    end: u64,
    global: bool,
    trim: bool,
    trim_all: bool,
}

/// Reads an options list as erts does: each element in turn (the last
/// scope wins); an improper tail ends the list unread. `split_flags`
/// allows `global`, `trim` and `trim_all`.
fn search_options(options: Term, size: u64, split_flags: bool) -> Option<SearchOptions> {
    let mut parsed = SearchOptions {
        start: 0,
        end: size,
        global: false,
        trim: false,
        trim_all: false,
    };
    if !(options.is_nil() || options.is_list()) {
        return None;
    }
    for option in options.list_iter() {
        match option.as_atom().map(Atom::name) {
            Some("global") if split_flags => parsed.global = true,
            Some("trim") if split_flags => parsed.trim = true,
            Some("trim_all") if split_flags => parsed.trim_all = true,
            _ => (parsed.start, parsed.end) = scope_option(option, size)?,
        }
    }
    Some(parsed)
}

/// `{Pos, Len}`.
fn pos_len_term(process: &mut Process, (pos, len): (usize, usize)) -> Term {
    let heap = &mut process.heap;
    let pos = build::int(heap, pos as i64);
    let len = build::int(heap, len as i64);
    build::tuple(heap, &[pos, len])
}

/// `match/2,3` and `matches/2,3`.
fn search(process: &mut Process, args: &[Term], global: bool) -> NativeResult {
    let subject = binary_bytes(args[0]).ok_or_else(Raised::badarg)?;
    let options = args.get(2).copied().unwrap_or(Term::NIL);
    let options =
        search_options(options, subject.len() as u64, false).ok_or_else(Raised::badarg)?;
    let not_found = if global { Term::NIL } else { atom("nomatch") };
    if options.end == 0 {
        return Ok(not_found);
    }
    let pattern = pattern_arg(args[1]).ok_or_else(Raised::badarg)?;
    let (start, end) = (options.start as usize, options.end as usize);
    let haystack = &subject[start..end];
    let shift = |(pos, len): (usize, usize)| (pos + start, len);
    if global {
        let found = find_all(&pattern, haystack)?;
        let items: Vec<Term> = found
            .into_iter()
            .map(|m| pos_len_term(process, shift(m)))
            .collect();
        Ok(build::list(&mut process.heap, &items))
    } else {
        Ok(match find_first(&pattern, haystack)? {
            Some(m) => pos_len_term(process, shift(m)),
            None => not_found,
        })
    }
}

fn match_2(process: &mut Process, args: &[Term]) -> NativeResult {
    search(process, args, false)
}

fn match_3(process: &mut Process, args: &[Term]) -> NativeResult {
    search(process, args, false)
}

fn matches_2(process: &mut Process, args: &[Term]) -> NativeResult {
    search(process, args, true)
}

fn matches_3(process: &mut Process, args: &[Term]) -> NativeResult {
    search(process, args, true)
}

/// `split/2,3`: the parts between the matches, as erts's
/// `do_split_*_result` cuts them (the scope limits where matches are
/// searched, not the parts; `trim` drops the empty parts at the end,
/// `trim_all` every empty part).
fn split(process: &mut Process, args: &[Term]) -> NativeResult {
    let subject = args[0];
    let bytes = binary_bytes(subject).ok_or_else(Raised::badarg)?;
    let size = bytes.len();
    let options = args.get(2).copied().unwrap_or(Term::NIL);
    let options = search_options(options, size as u64, true).ok_or_else(Raised::badarg)?;
    let trimming = options.trim || options.trim_all;
    let whole = |process: &mut Process| {
        if trimming && size == 0 {
            Term::NIL
        } else {
            build::list(&mut process.heap, &[subject])
        }
    };
    if options.end == 0 {
        return Ok(whole(process));
    }
    let pattern = pattern_arg(args[1]).ok_or_else(Raised::badarg)?;
    let (start, end) = (options.start as usize, options.end as usize);
    let haystack = &bytes[start..end];
    let found: Vec<(usize, usize)> = if options.global {
        find_all(&pattern, haystack)?
    } else {
        find_first(&pattern, haystack)?.into_iter().collect()
    };
    if found.is_empty() {
        return Ok(whole(process));
    }
    let heap = &mut process.heap;
    let mut part = |from: usize, to: usize| {
        build::extract_sub_binary(heap, subject, from as u64 * 8, (to - from) as u64 * 8)
    };
    let mut parts = Vec::new();
    if !options.global {
        let (pos, len) = (found[0].0 + start, found[0].1);
        let rest_empty = pos + len == size;
        if trimming && rest_empty {
            if pos != 0 {
                parts.push(part(0, pos));
            }
        } else {
            if !(options.trim_all && pos == 0) {
                parts.push(part(0, pos));
            }
            parts.push(part(pos + len, size));
        }
        return Ok(build::list(heap, &parts));
    }
    // From the last part back: `trim` stops dropping at the first
    // non-empty part, `trim_all` never does.
    let mut dropping_empty = trimming;
    let mut end_of_part = size;
    for &(pos, len) in found.iter().rev() {
        let pos = pos + start;
        let from = pos + len;
        if !(from == end_of_part && dropping_empty) {
            parts.push(part(from, end_of_part));
            dropping_empty = options.trim_all;
        }
        end_of_part = pos;
    }
    if !(end_of_part == 0 && dropping_empty) {
        parts.push(part(0, end_of_part));
    }
    parts.reverse();
    Ok(build::list(heap, &parts))
}

fn compile_pattern(process: &mut Process, args: &[Term]) -> NativeResult {
    let pattern = pattern_arg(args[0])
        .filter(|_| !args[0].is_tuple())
        .ok_or_else(Raised::badarg)?;
    let (tag, searcher) = match pattern {
        Pattern::One(bytes) => (
            "bm",
            Searcher::One(Box::new(memmem::Finder::new(&bytes).into_owned())),
        ),
        Pattern::Several(patterns) => ("ac", Searcher::Several(several(&patterns)?)),
        Pattern::Compiled(_) => unreachable!("a tuple was refused above"),
    };
    let ids = crate::vm::runtime::runtime().new_ref_key();
    let heap = &mut process.heap;
    let reference = build::resource_ref(heap, &ids, Resource::new(searcher));
    Ok(build::tuple(heap, &[atom(tag), reference]))
}

fn part_2(process: &mut Process, args: &[Term]) -> NativeResult {
    let (pos, len) = pos_len(args[1]).ok_or_else(Raised::badarg)?;
    binary_part(process, args[0], pos, len)
}

fn part_3(process: &mut Process, args: &[Term]) -> NativeResult {
    binary_part(process, args[0], args[1], args[2])
}

/// The byte at `index` of a non-empty binary.
fn byte_at(term: Term, index: impl FnOnce(usize) -> Option<usize>) -> NativeResult {
    let bytes = binary_bytes(term).ok_or_else(Raised::badarg)?;
    let at = index(bytes.len())
        .filter(|&i| i < bytes.len())
        .ok_or_else(Raised::badarg)?;
    Ok(Term::small(bytes[at] as i64))
}

fn at(_: &mut Process, args: &[Term]) -> NativeResult {
    let index = term_to_u64(args[1]).and_then(|i| usize::try_from(i).ok());
    byte_at(args[0], |_| index)
}

fn first(_: &mut Process, args: &[Term]) -> NativeResult {
    byte_at(args[0], |_| Some(0))
}

fn last(_: &mut Process, args: &[Term]) -> NativeResult {
    byte_at(args[0], |len| len.checked_sub(1))
}

fn list_to_bin(process: &mut Process, args: &[Term]) -> NativeResult {
    list_to_binary(process, args)
}

/// The most bytes `copy/2` makes, where erts would try whatever the
/// machine has: larger results are `system_limit`.
const COPY_MAX_BYTES: u64 = 1 << 34;

fn copy_n(process: &mut Process, bin: Term, times: Term) -> NativeResult {
    if !bin.is_bitstring() {
        return Err(Raised::badarg());
    }
    let times = term_to_u64(times).ok_or_else(Raised::badarg)?;
    if times == 0 {
        return Ok(build::binary(&mut process.heap, &[]));
    }
    let bytes = binary_bytes(bin).ok_or_else(Raised::badarg)?;
    let total = (bytes.len() as u64)
        .checked_mul(times)
        .filter(|&t| t <= COPY_MAX_BYTES)
        .ok_or_else(Raised::system_limit)?;
    let mut out = Vec::new();
    out.try_reserve_exact(total as usize)
        .map_err(|_| Raised::system_limit())?;
    for _ in 0..times {
        out.extend_from_slice(&bytes);
    }
    Ok(build::binary(&mut process.heap, &out))
}

fn copy_1(process: &mut Process, args: &[Term]) -> NativeResult {
    copy_n(process, args[0], Term::small(1))
}

fn copy_2(process: &mut Process, args: &[Term]) -> NativeResult {
    copy_n(process, args[0], args[1])
}

/// `referenced_byte_size/1`: the size of the binary that holds the bytes
/// (for a slice of a larger binary, the larger one's).
fn referenced_byte_size(process: &mut Process, args: &[Term]) -> NativeResult {
    let (original, _) = args[0].binary_origin().ok_or_else(Raised::badarg)?;
    let View::Bitstring(bits) = original.view() else {
        unreachable!("the origin of a bitstring is a binary")
    };
    Ok(build::int(&mut process.heap, bits.byte_len() as i64))
}

/// The binaries of a non-empty proper list of binaries.
fn binaries_of(list: Term) -> Option<Vec<Vec<u8>>> {
    let mut iter = list.list_iter();
    let all = iter
        .by_ref()
        .map(|t| binary_bytes(t).map(|b| b.into_owned()))
        .collect::<Option<Vec<_>>>()?;
    (iter.rest().is_nil() && !all.is_empty()).then_some(all)
}

/// The length of the longest run that all `bins` share, each read by
/// `at(bin, i)` for `i` from 0.
fn common_length(bins: &[Vec<u8>], at: impl Fn(&[u8], usize) -> u8) -> usize {
    let shortest = bins.iter().map(Vec::len).min().unwrap_or(0);
    (0..shortest)
        .take_while(|&i| {
            let byte = at(&bins[0], i);
            bins.iter().all(|b| at(b, i) == byte)
        })
        .count()
}

fn longest_common_prefix(_: &mut Process, args: &[Term]) -> NativeResult {
    let bins = binaries_of(args[0]).ok_or_else(Raised::badarg)?;
    Ok(Term::small(common_length(&bins, |b, i| b[i]) as i64))
}

fn longest_common_suffix(_: &mut Process, args: &[Term]) -> NativeResult {
    let bins = binaries_of(args[0]).ok_or_else(Raised::badarg)?;
    let at_end = |b: &[u8], i: usize| b[b.len() - 1 - i];
    Ok(Term::small(common_length(&bins, at_end) as i64))
}

/// `big` or `little`: is it big-endian?
fn endianness(term: Term) -> Option<bool> {
    match term.as_atom().map(Atom::name) {
        Some("big") => Some(true),
        Some("little") => Some(false),
        _ => None,
    }
}

fn decode(process: &mut Process, bin: Term, endian: Term) -> NativeResult {
    let (bytes, big) = match (binary_bytes(bin), endianness(endian)) {
        (Some(bytes), Some(big)) => (bytes, big),
        _ => return Err(Raised::badarg()),
    };
    let mut little_endian = bytes.into_owned();
    if big {
        little_endian.reverse();
    }
    let limbs: Vec<u64> = little_endian
        .chunks(8)
        .map(|chunk| {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            u64::from_le_bytes(word)
        })
        .collect();
    Ok(build::big_from_limbs(&mut process.heap, false, &limbs))
}

fn decode_unsigned_1(process: &mut Process, args: &[Term]) -> NativeResult {
    decode(process, args[0], atom("big"))
}

fn decode_unsigned_2(process: &mut Process, args: &[Term]) -> NativeResult {
    decode(process, args[0], args[1])
}

fn encode(process: &mut Process, int: Term, endian: Term) -> NativeResult {
    let big = endianness(endian).ok_or_else(Raised::badarg)?;
    let mut bytes: Vec<u8> = match int.view() {
        View::Small(v) if v >= 0 => (v as u64).to_le_bytes().to_vec(),
        View::Big {
            negative: false,
            limbs,
        } => limbs.iter().flat_map(|l| l.to_le_bytes()).collect(),
        _ => return Err(Raised::badarg()),
    };
    let used = bytes.iter().rposition(|&b| b != 0).map_or(1, |i| i + 1);
    bytes.truncate(used);
    if big {
        bytes.reverse();
    }
    Ok(build::binary(&mut process.heap, &bytes))
}

fn encode_unsigned_1(process: &mut Process, args: &[Term]) -> NativeResult {
    encode(process, args[0], atom("big"))
}

fn encode_unsigned_2(process: &mut Process, args: &[Term]) -> NativeResult {
    encode(process, args[0], args[1])
}

pub(crate) const NATIVES: &[Native] = crate::natives!("binary";
    "compile_pattern"/1 => compile_pattern,
    "match"/2 => match_2,
    "match"/3 => match_3,
    "matches"/2 => matches_2,
    "matches"/3 => matches_3,
    "split"/2 => split,
    "split"/3 => split,
    "part"/2 => part_2,
    "part"/3 => part_3,
    "at"/2 => at,
    "first"/1 => first,
    "last"/1 => last,
    "list_to_bin"/1 => list_to_bin,
    "copy"/1 => copy_1,
    "copy"/2 => copy_2,
    "referenced_byte_size"/1 => referenced_byte_size,
    "longest_common_prefix"/1 => longest_common_prefix,
    "longest_common_suffix"/1 => longest_common_suffix,
    "decode_unsigned"/1 => decode_unsigned_1,
    "decode_unsigned"/2 => decode_unsigned_2,
    "encode_unsigned"/1 => encode_unsigned_1,
    "encode_unsigned"/2 => encode_unsigned_2,
);

#[cfg(test)]
mod tests {
    use crate::bif::testing::check_table;

    /// `(Function, Args, Outcome)`: erl 25.2.3 printed `Outcome` with
    /// `io:format("~w~n", [try binary:Function(Args...) of V -> {ok, V}
    /// catch error:R -> {error, R} end])`.
    const CASES: &[(&str, &[&str], &str)] = &[
        (
            "match",
            &["<<\"banana\">>", "[<<\"an\">>, <<\"nan\">>, <<\"a\">>]"],
            "{ok,{1,2}}",
        ),
        (
            "matches",
            &["<<\"banana\">>", "[<<\"an\">>, <<\"nan\">>, <<\"a\">>]"],
            "{ok,[{1,2},{3,2},{5,1}]}",
        ),
        (
            "matches",
            &[
                "<<\"abcde\">>",
                "[<<\"ab\">>, <<\"bcd\">>, <<\"abcde\">>, <<\"c\">>]",
            ],
            "{ok,[{0,5}]}",
        ),
        (
            "match",
            &["<<\"abc\">>", "<<\"b\">>", "[{scope,{3,-2}}]"],
            "{ok,{1,1}}",
        ),
        ("match", &["<<>>", "foo"], "{ok,nomatch}"),
        (
            "match",
            &["<<\"abc\">>", "<<\"a\">>", "[{scope, {0, 1}} | tail]"],
            "{ok,{0,1}}",
        ),
        (
            "split",
            &["<<\",a,,b,,\">>", "<<\",\">>", "[global, trim]"],
            "{ok,[<<>>,<<97>>,<<>>,<<98>>]}",
        ),
        (
            "split",
            &["<<\",a,,b,,\">>", "<<\",\">>", "[global, trim_all]"],
            "{ok,[<<97>>,<<98>>]}",
        ),
        (
            "split",
            &["<<\",a,,b,,\">>", "<<\",\">>", "[trim_all]"],
            "{ok,[<<97,44,44,98,44,44>>]}",
        ),
        ("split", &["<<\"a\">>", "<<\"a\">>", "[trim]"], "{ok,[]}"),
        (
            "split",
            &["<<\"abcabc\">>", "<<\"b\">>", "[global, {scope,{2,3}}]"],
            "{ok,[<<97,98,99,97>>,<<99>>]}",
        ),
        ("compile_pattern", &["[]"], "{error,badarg}"),
        ("compile_pattern", &["[<<\"a\">>, <<>>]"], "{error,badarg}"),
        ("part", &["<<1,2,3>>", "3", "-3"], "{ok,<<1,2,3>>}"),
        ("part", &["<<1,2,3>>", "1", "3"], "{error,badarg}"),
        ("at", &["<<1,2:3>>", "0"], "{error,badarg}"),
        ("copy", &["<<1:1>>", "0"], "{ok,<<>>}"),
        (
            "longest_common_prefix",
            &["[<<\"abc\">>, <<\"abd\">>]"],
            "{ok,2}",
        ),
        (
            "longest_common_suffix",
            &["[<<\"xbc\">>, <<\"abc\">>, <<\"bc\">>]"],
            "{ok,2}",
        ),
        (
            "decode_unsigned",
            &["<<0,0,0,0,0,0,0,0,0,1>>", "little"],
            "{ok,4722366482869645213696}",
        ),
        (
            "encode_unsigned",
            &["18446744073709551616", "little"],
            "{ok,<<0,0,0,0,0,0,0,0,1>>}",
        ),
        ("encode_unsigned", &["-1"], "{error,badarg}"),
    ];

    #[test]
    fn natives_follow_erl() {
        check_table("binary", CASES);
    }
}
