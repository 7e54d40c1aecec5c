//! The natives of OTP's `re` module (`erl_bif_re.c`): `compile/1,2`,
//! `run/2,3`, `internal_run/4`, `inspect/2` and `version/0`. `replace` and
//! `split` are OTP's Erlang code (`re.erl`) over `run`.
//!
//! erl runs PCRE 8; oxbeam runs PCRE2 (the C library, through
//! `pcre2-sys`, wrapped in `pcre.rs`), which matches ordinary patterns the
//! same way. Options are read as erts reads them (PCRE 8's flags, so two
//! `{newline, _}` options combine as erts's bits do) and translated to
//! PCRE2's. Where erts hands work to Erlang code in `re.erl` (`grun` for
//! `global`, `urun`/`ucompile` for unicode character data), that code's
//! results are built here natively: the global loop, with its retry after
//! an empty match, is `re.erl`'s `loopexec`.
//!
//! A compiled pattern is `{re_pattern, Groups, Unicode, UseCRLF, Binary}` as
//! in erl, but its binary holds the pattern's source and options (erl's
//! holds PCRE's compiled code); each scheduler thread keeps a bounded cache
//! from those bytes to the compiled `Regex`, so running a compiled (or a
//! textual) pattern again does not compile it again.

mod pcre;

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use pcre::{Found, Limits, Regex};
use pcre2_sys::*;

use super::erlang::binaries::flatten_iolist;
use super::erlang::{atom, binary_bytes};
use super::unicode::chardata_to_utf8;
use crate::bif::{Native, NativeResult, Raised};
use crate::term::{build, Term};
use crate::vm::process::Process;

/// The options of one call, read as erts's `parse_options` reads them.
#[derive(Default)]
struct Options {
    /// PCRE2 compile flags.
    compile: u32,
    /// PCRE 8's newline field: the OR of the codes (1 CR, 2 LF, 3 CRLF,
    /// 4 ANY, 5 ANYCRLF) of every `{newline, _}` given; 0 for none.
    newline: u8,
    /// Bit 1: `bsr_anycrlf`, bit 2: `bsr_unicode`.
    bsr: u8,
    /// PCRE2 match flags.
    exec: u32,
    unicode: bool,
    /// A compile-only option was given (not allowed with a compiled pattern).
    compile_only: bool,
    /// A run-only option was given (not allowed in `compile`).
    run_only: bool,
    global: bool,
    report_errors: bool,
    offset: usize,
    /// The last `{capture, Values}` / `{capture, Values, Type}`.
    capture: Option<(Term, Term)>,
    limits: Limits,
}

/// erts's `term_to_int`: a small integer from 0 to `i32::MAX`.
fn term_to_int(term: Term) -> Option<u32> {
    term.as_small()
        .and_then(|v| u32::try_from(v).ok())
        .filter(|&v| v <= i32::MAX as u32)
}

/// The exception for options `parse_options` refused (erl's cause
/// `badopt`, also for options that are not a list).
fn bad_options() -> Raised {
    crate::bif::badarg_with_cause("badopt")
}

fn parse_options(list: Term) -> Option<Options> {
    let mut o = Options::default();
    let mut iter = list.list_iter();
    for item in iter.by_ref() {
        if let Some(elements) = item.as_tuple() {
            match elements {
                [tag, values, kind] if tag.as_atom().is_some_and(|a| a.name() == "capture") => {
                    o.capture = Some((*values, *kind));
                    o.run_only = true;
                }
                [tag, value] => {
                    let name = tag.as_atom()?.name();
                    match name {
                        "capture" => {
                            o.capture = Some((*value, atom("index")));
                            o.run_only = true;
                        }
                        "offset" => {
                            o.offset = term_to_int(*value)? as usize;
                            o.run_only = true;
                        }
                        "match_limit" => {
                            o.limits.match_limit = Some(term_to_int(*value)?);
                            o.run_only = true;
                        }
                        "match_limit_recursion" => {
                            o.limits.depth_limit = Some(term_to_int(*value)?);
                            o.run_only = true;
                        }
                        "newline" => {
                            o.newline |= match value.as_atom()?.name() {
                                "cr" => 1,
                                "lf" => 2,
                                "crlf" => 3,
                                "any" => 4,
                                "anycrlf" => 5,
                                _ => return None,
                            };
                        }
                        _ => return None,
                    }
                }
                _ => return None,
            }
            continue;
        }
        let name = item.as_atom()?.name();
        let (compile, exec) = match name {
            "anchored" => (PCRE2_ANCHORED, PCRE2_ANCHORED),
            "notempty" => (0, PCRE2_NOTEMPTY),
            "notempty_atstart" => (0, PCRE2_NOTEMPTY_ATSTART),
            "notbol" => (0, PCRE2_NOTBOL),
            "noteol" => (0, PCRE2_NOTEOL),
            "no_start_optimize" => (PCRE2_NO_START_OPTIMIZE, 0),
            "caseless" => (PCRE2_CASELESS, 0),
            "dollar_endonly" => (PCRE2_DOLLAR_ENDONLY, 0),
            "dotall" => (PCRE2_DOTALL, 0),
            "extended" => (PCRE2_EXTENDED, 0),
            "firstline" => (PCRE2_FIRSTLINE, 0),
            "multiline" => (PCRE2_MULTILINE, 0),
            "no_auto_capture" => (PCRE2_NO_AUTO_CAPTURE, 0),
            "dupnames" => (PCRE2_DUPNAMES, 0),
            "ungreedy" => (PCRE2_UNGREEDY, 0),
            "ucp" => (PCRE2_UCP, 0),
            "never_utf" => (PCRE2_NEVER_UTF, 0),
            "unicode" => (PCRE2_UTF, 0),
            "report_errors" | "global" | "bsr_anycrlf" | "bsr_unicode" => (0, 0),
            _ => return None,
        };
        o.compile |= compile;
        o.exec |= exec;
        match name {
            "anchored" => {}
            "bsr_anycrlf" => o.bsr |= 1,
            "bsr_unicode" => o.bsr |= 2,
            "report_errors" => {
                o.report_errors = true;
                o.run_only = true;
            }
            "global" => {
                o.global = true;
                o.run_only = true;
            }
            _ if exec != 0 => o.run_only = true,
            "unicode" => {
                o.unicode = true;
                o.compile_only = true;
            }
            _ => o.compile_only = true,
        }
    }
    iter.rest().is_nil().then_some(o)
}

// ---- compiled patterns -----------------------------------------------------

/// The first bytes of the binary of a compiled pattern.
const MAGIC: &[u8; 4] = b"OXRE";
/// Magic, compile flags (4 bytes, little-endian), newline field, bsr field.
const HEADER_LEN: usize = 10;

/// What a pattern is compiled from; its encoding is the binary of
/// `{re_pattern, …}` and the key of the cache.
struct Spec {
    compile: u32,
    newline: u8,
    bsr: u8,
    pattern: Vec<u8>,
}

impl Spec {
    fn encode(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(HEADER_LEN + self.pattern.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&self.compile.to_le_bytes());
        bytes.push(self.newline);
        bytes.push(self.bsr);
        bytes.extend_from_slice(&self.pattern);
        bytes
    }

    fn decode(bytes: &[u8]) -> Option<Spec> {
        if bytes.len() < HEADER_LEN || &bytes[..4] != MAGIC {
            return None;
        }
        Some(Spec {
            compile: u32::from_le_bytes(bytes[4..8].try_into().ok()?),
            newline: bytes[8],
            bsr: bytes[9],
            pattern: bytes[HEADER_LEN..].to_vec(),
        })
    }
}

/// A compile error: PCRE 8's message and the offset in the pattern.
type CompileError = (String, usize);

/// At most this many compiled patterns per thread; the cache is emptied
/// when it is full.
const CACHE_LIMIT: usize = 512;

thread_local! {
    static CACHE: RefCell<HashMap<Vec<u8>, Rc<Regex>>> = RefCell::new(HashMap::new());
}

/// The compiled regex of an encoded spec, from the cache or compiled now.
fn regex(key: &[u8]) -> Result<Rc<Regex>, CompileError> {
    if let Some(found) = CACHE.with(|c| c.borrow().get(key).cloned()) {
        return Ok(found);
    }
    let spec = Spec::decode(key).ok_or_else(|| (String::new(), 0))?;
    let inconsistent = || ("inconsistent NEWLINE options".to_string(), 0);
    let newline = match spec.newline {
        0..=5 => u32::from(spec.newline),
        _ => return Err(inconsistent()),
    };
    let bsr = match spec.bsr {
        0 => 0,
        1 => PCRE2_BSR_ANYCRLF,
        2 => PCRE2_BSR_UNICODE,
        _ => return Err(inconsistent()),
    };
    // In UTF mode without `ucp`, PCRE2's JIT takes Latin-1 letters for a
    // repeated `\w` where its interpreter, like PCRE 8, takes ASCII only.
    let jit = spec.compile & (PCRE2_UTF | PCRE2_UCP) != PCRE2_UTF;
    let compiled = Regex::new(&spec.pattern, compile_flags(&spec), newline, bsr, jit)
        .map_err(|(code, offset)| pcre8_error(&spec.pattern, code, offset))?;
    let compiled = Rc::new(compiled);
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(key.to_vec(), compiled.clone());
    });
    Ok(compiled)
}

/// The PCRE2 compile flags for a spec. In UTF mode without `ucp`, PCRE2's
/// start-of-match optimisation assumes that `\w` and the POSIX classes
/// match ASCII only, but with erts's Latin-1 tables (see `pcre.rs`) they
/// match letters such as `é` too: such patterns are compiled without it.
fn compile_flags(spec: &Spec) -> u32 {
    let latin1_classes = spec.pattern.windows(2).any(|w| w == b"\\w" || w == b"[:");
    if spec.compile & (PCRE2_UTF | PCRE2_UCP) == PCRE2_UTF && latin1_classes {
        spec.compile | PCRE2_NO_START_OPTIMIZE
    } else {
        spec.compile
    }
}

/// PCRE 8's message and offset for a PCRE2 compile error: the text where
/// it changed between the two (PCRE2's own text otherwise), and the offset
/// where PCRE 8 reports it for the errors PCRE2 reports elsewhere.
fn pcre8_error(pattern: &[u8], code: i32, offset: usize) -> CompileError {
    if (PCRE2_ERROR_UTF8_ERR21..=PCRE2_ERROR_UTF8_ERR1).contains(&code) {
        return ("invalid UTF-8 string".to_string(), offset);
    }
    let pcre2_text = pcre::error_message(code);
    let (text, offset) = match pcre2_text.as_str() {
        "quantifier does not follow a repeatable item" => ("nothing to repeat", offset),
        "missing closing parenthesis" => ("missing )", offset),
        "missing ) after (?# comment" => ("missing ) after comment", offset),
        "unmatched closing parenthesis" => ("unmatched parentheses", offset),
        "missing closing parenthesis for condition" => {
            ("malformed number or name after (?(", offset)
        }
        "length of lookbehind assertion is not limited" => {
            ("lookbehind assertion is not fixed length", offset)
        }
        "atomic assertion expected after (?( or (?(?C)" => ("assertion expected after (?(", offset),
        "syntax error in subpattern name (missing terminator?)" => (
            "syntax error in subpattern name (missing terminator)",
            offset,
        ),
        "two named subpatterns have the same name (PCRE2_DUPNAMES not set)" => (
            "two named subpatterns have the same name",
            offset.saturating_sub(1),
        ),
        "subpattern name must start with a non-digit" => {
            ("group name must start with a non-digit", offset)
        }
        "unknown property after \\P or \\p" => (
            "unknown property name after \\P or \\p",
            offset.saturating_sub(1),
        ),
        "subpattern name is too long (maximum 32 code units)" => (
            "subpattern name is too long (maximum 32 characters)",
            offset,
        ),
        "subpattern name expected" => ("unrecognized character after (?<", offset),
        "using UTF is disabled by the application" => {
            ("setting UTF is disabled by the application", 0)
        }
        "\\k is not followed by a braced, angle-bracketed, or quoted name" => {
            (pcre2_text.as_str(), offset.saturating_sub(1))
        }
        // PCRE 8 reports it after `[:`, PCRE2 after `:]`.
        "unknown POSIX class name" => {
            let before = &pattern[..offset.min(pattern.len())];
            let at = before
                .windows(2)
                .rposition(|w| w == b"[:")
                .map_or(offset, |at| at + 2);
            ("unknown POSIX class name", at)
        }
        other => (other, offset),
    };
    (text.to_string(), offset)
}

/// The pattern's bytes as erts reads them: unicode character data as
/// UTF-8, else an iolist; cut at the first zero byte (PCRE 8 takes a C
/// string).
fn pattern_bytes(process: &mut Process, term: Term, unicode: bool) -> Option<Vec<u8>> {
    let mut bytes = if let Some(b) = binary_bytes(term) {
        b.into_owned()
    } else if unicode {
        chardata_to_utf8(process, term)?
    } else {
        let mut out = Vec::new();
        flatten_iolist(term, &mut out)?;
        out
    };
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        bytes.truncate(nul);
    }
    Some(bytes)
}

/// `{re_pattern, Groups, Unicode, UseCRLF, Binary}`.
fn pattern_tuple(process: &mut Process, regex: &Regex, key: &[u8], unicode: bool) -> Term {
    let crlf = matches!(
        regex.newline,
        PCRE2_NEWLINE_CRLF | PCRE2_NEWLINE_ANY | PCRE2_NEWLINE_ANYCRLF
    );
    let binary = build::binary(&mut process.heap, key);
    build::tuple(
        &mut process.heap,
        &[
            atom("re_pattern"),
            Term::small(i64::from(regex.capture_count)),
            Term::small(i64::from(unicode)),
            Term::small(i64::from(crlf)),
            binary,
        ],
    )
}

/// `{Message, Offset}` as a term.
fn error_term(process: &mut Process, (message, offset): &CompileError) -> Term {
    let chars: Vec<Term> = message.bytes().map(|b| Term::small(i64::from(b))).collect();
    let text = build::list(&mut process.heap, &chars);
    build::tuple(&mut process.heap, &[text, Term::small(*offset as i64)])
}

fn compile(process: &mut Process, pattern: Term, options: Term) -> NativeResult {
    let o = parse_options(options)
        .filter(|o| !o.run_only)
        .ok_or_else(bad_options)?;
    let bytes = pattern_bytes(process, pattern, o.unicode).ok_or_else(Raised::badarg)?;
    let key = Spec {
        compile: o.compile,
        newline: o.newline,
        bsr: o.bsr,
        pattern: bytes,
    }
    .encode();
    match regex(&key) {
        Ok(compiled) => {
            let tuple = pattern_tuple(process, &compiled, &key, o.unicode);
            Ok(build::tuple(&mut process.heap, &[atom("ok"), tuple]))
        }
        Err(error) => {
            let reason = error_term(process, &error);
            Ok(build::tuple(&mut process.heap, &[atom("error"), reason]))
        }
    }
}

fn compile_1(process: &mut Process, args: &[Term]) -> NativeResult {
    compile(process, args[0], Term::NIL)
}

fn compile_2(process: &mut Process, args: &[Term]) -> NativeResult {
    compile(process, args[0], args[1])
}

/// The spec in the binary of a `{re_pattern, …}` tuple erts accepts.
fn compiled_spec(term: Term) -> Option<Spec> {
    match term.as_tuple()? {
        [tag, n, u, c, bin]
            if tag.as_atom().is_some_and(|a| a.name() == "re_pattern")
                && n.is_small()
                && u.is_small()
                && c.is_small() =>
        {
            Spec::decode(&binary_bytes(*bin)?)
        }
        _ => None,
    }
}

// ---- what a match returns --------------------------------------------------

/// One value asked for by `{capture, Values}`.
enum Slot {
    /// A group by number (one that does not exist gives `{-1, 0}`).
    Group(i64),
    /// The groups of a duplicated name: the first of them that is set.
    Named(Vec<u32>),
}

/// Which values of a match are returned.
enum Select {
    All,
    AllButFirst,
    Slots(Vec<Slot>),
    /// `none`: only `match`.
    Nothing,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Index,
    List,
    Binary,
}

/// The slot of a group name: its group, or the groups sharing it.
fn name_slot(regex: &Regex, name: &[u8]) -> Slot {
    let groups: Vec<u32> = regex
        .names
        .iter()
        .filter(|(n, _)| n == name)
        .map(|&(_, g)| g)
        .collect();
    match groups[..] {
        [] => Slot::Group(-1),
        [one] => Slot::Group(i64::from(one)),
        _ => Slot::Named(groups),
    }
}

/// The names of the pattern in table order, each once.
fn distinct_names(regex: &Regex) -> Vec<&[u8]> {
    let mut names: Vec<&[u8]> = Vec::new();
    for (name, _) in &regex.names {
        if names.last() != Some(&name.as_slice()) {
            names.push(name);
        }
    }
    names
}

/// A value of a capture list: a group number or a name.
fn value_slot(regex: &Regex, value: Term) -> Option<Slot> {
    if let Some(n) = term_to_int(value) {
        return Some(Slot::Group(i64::from(n)));
    }
    let name = if let Some(a) = value.as_atom() {
        a.name().as_bytes().to_vec()
    } else if let Some(b) = binary_bytes(value) {
        b.into_owned()
    } else if value.is_list() || value.is_nil() {
        let mut out = Vec::new();
        flatten_iolist(value, &mut out)?;
        out
    } else {
        return None;
    };
    Some(name_slot(regex, &name))
}

fn value_slots(regex: &Regex, list: Term) -> Option<Vec<Slot>> {
    let mut iter = list.list_iter();
    let slots = iter
        .by_ref()
        .map(|v| value_slot(regex, v))
        .collect::<Option<Vec<_>>>()?;
    iter.rest().is_nil().then_some(slots)
}

fn all_names_select(regex: &Regex) -> Select {
    let names = distinct_names(regex);
    if names.is_empty() {
        return Select::Nothing;
    }
    Select::Slots(names.into_iter().map(|n| name_slot(regex, n)).collect())
}

/// erts's `build_capture` for a run without `global`.
fn select_of(regex: &Regex, values: Term) -> Option<Select> {
    Some(match values.as_atom().map(|a| a.name()) {
        Some("all") => Select::All,
        Some("none") => Select::Nothing,
        Some("all_but_first") => Select::AllButFirst,
        Some("first") => Select::Slots(vec![Slot::Group(0)]),
        Some("all_names") => all_names_select(regex),
        Some(_) => return None,
        None if values.is_nil() => Select::Nothing,
        None if values.is_list() => Select::Slots(value_slots(regex, values)?),
        None => return None,
    })
}

fn kind_of(term: Term) -> Option<Kind> {
    match term.as_atom()?.name() {
        "index" => Some(Kind::Index),
        "list" => Some(Kind::List),
        "binary" => Some(Kind::Binary),
        _ => None,
    }
}

/// The values `select` picks from one match (`None`: `{-1, 0}`).
fn pick(select: &Select, found: &[Option<(usize, usize)>]) -> Vec<Option<(usize, usize)>> {
    let group = |g: i64| {
        usize::try_from(g)
            .ok()
            .and_then(|g| found.get(g).copied().flatten())
    };
    match select {
        Select::All | Select::Nothing => found.to_vec(),
        Select::AllButFirst => found[1..].to_vec(),
        Select::Slots(slots) => slots
            .iter()
            .map(|slot| match slot {
                Slot::Group(g) => group(*g),
                Slot::Named(groups) => groups.iter().find_map(|&g| group(i64::from(g))),
            })
            .collect(),
    }
}

/// The subject of a run and how to return parts of it.
struct Subject<'a> {
    bytes: Cow<'a, [u8]>,
    /// The binary term the bytes are, if they are one (parts of it are
    /// returned as sub binaries).
    binary: Option<Term>,
    unicode: bool,
}

impl Subject<'_> {
    /// One value of a match as `kind` asks.
    fn value(&self, process: &mut Process, kind: Kind, part: Option<(usize, usize)>) -> Term {
        let heap = &mut process.heap;
        match (kind, part) {
            (Kind::Index, None) => build::tuple(heap, &[Term::small(-1), Term::small(0)]),
            (Kind::Index, Some((start, end))) => build::tuple(
                heap,
                &[
                    Term::small(start as i64),
                    Term::small(end as i64 - start as i64),
                ],
            ),
            (Kind::Binary, None) => build::binary(heap, &[]),
            // PCRE2 never reports a match ending before it starts (`\K` in
            // a lookaround is refused at compile time); an empty part if so.
            (Kind::Binary | Kind::List, Some((start, end))) if end < start => {
                self.value(process, kind, Some((start, start)))
            }
            (Kind::Binary, Some((start, end))) => match self.binary {
                Some(bin) => {
                    build::extract_sub_binary(heap, bin, start as u64 * 8, (end - start) as u64 * 8)
                }
                None => build::binary(heap, &self.bytes[start..end]),
            },
            (Kind::List, None) => Term::NIL,
            (Kind::List, Some((start, end))) => {
                let part = &self.bytes[start..end];
                let items: Vec<Term> = if self.unicode {
                    String::from_utf8_lossy(part)
                        .chars()
                        .map(|c| Term::small(c as i64))
                        .collect()
                } else {
                    part.iter().map(|&b| Term::small(i64::from(b))).collect()
                };
                build::list(heap, &items)
            }
        }
    }

    fn values(&self, process: &mut Process, kind: Kind, parts: &[Option<(usize, usize)>]) -> Term {
        let items: Vec<Term> = parts
            .iter()
            .map(|&p| self.value(process, kind, p))
            .collect();
        build::list(&mut process.heap, &items)
    }
}

// ---- running ---------------------------------------------------------------

/// A failed match's result: erl's `nomatch`, `{error, Limit}` with
/// `report_errors`, or `badarg` (bad UTF-8, a bad offset).
fn match_error(process: &mut Process, code: i32, report: bool) -> NativeResult {
    let limit = match code {
        PCRE2_ERROR_MATCHLIMIT => "match_limit",
        PCRE2_ERROR_DEPTHLIMIT | PCRE2_ERROR_HEAPLIMIT => "match_limit_recursion",
        _ => return Err(Raised::badarg()),
    };
    Ok(if report {
        build::tuple(&mut process.heap, &[atom("error"), atom(limit)])
    } else {
        atom("nomatch")
    })
}

fn run(process: &mut Process, subject: Term, pattern: Term, options: Term) -> NativeResult {
    let o = parse_options(options).ok_or_else(bad_options)?;
    let (mut spec, textual) = if pattern.is_tuple() {
        if o.compile_only {
            return Err(Raised::badarg());
        }
        (compiled_spec(pattern).ok_or_else(Raised::badarg)?, false)
    } else if binary_bytes(pattern).is_some() || pattern.is_list() || pattern.is_nil() {
        let bytes = pattern_bytes(process, pattern, o.unicode).ok_or_else(Raised::badarg)?;
        let spec = Spec {
            compile: o.compile,
            newline: o.newline,
            bsr: o.bsr,
            pattern: bytes,
        };
        (spec, true)
    } else {
        return Err(Raised::badarg());
    };
    // PCRE 8 takes newline and `\R` conventions at match time too; PCRE2
    // only at compile time, so a compiled pattern is compiled again.
    if !textual {
        if o.newline != 0 {
            spec.newline = o.newline;
        }
        if o.bsr != 0 {
            spec.bsr = o.bsr;
        }
    }
    let unicode = spec.compile & PCRE2_UTF != 0;
    // erl converts unicode character data (re.erl's urun) before compiling.
    let converted = match binary_bytes(subject) {
        Some(_) => None,
        None if unicode => Some(chardata_to_utf8(process, subject).ok_or_else(Raised::badarg)?),
        None => None,
    };
    let regex = match regex(&spec.encode()) {
        Ok(r) => r,
        Err(error) if textual && o.report_errors => {
            let reason = error_term(process, &error);
            let reason = build::tuple(&mut process.heap, &[atom("compile"), reason]);
            return Ok(build::tuple(&mut process.heap, &[atom("error"), reason]));
        }
        Err(_) => return Err(Raised::badarg()),
    };
    if o.global {
        return run_global(process, &o, &regex, subject, converted, unicode);
    }
    // Where erts hands a unicode run to re.erl's `urun`, that code takes
    // the capture type out of the options (an unknown one returns indexes).
    let list_capture = o.capture.is_some_and(|(_, kind)| kind == atom("list"));
    let via_urun = unicode
        && ((textual && binary_bytes(pattern).is_none())
            || binary_bytes(subject).is_none()
            || list_capture);
    let (select, kind) = match o.capture {
        None => (Select::All, Kind::Index),
        Some((values, kind)) => (
            select_of(&regex, values).ok_or_else(Raised::badarg)?,
            kind_of(kind)
                .or(via_urun.then_some(Kind::Index))
                .ok_or_else(Raised::badarg)?,
        ),
    };
    let subject = subject_of(subject, converted, unicode)?;
    match regex.find(&subject.bytes, o.offset, o.exec, o.limits) {
        Found::NoMatch => Ok(atom("nomatch")),
        Found::Error(code) => match_error(process, code, o.report_errors),
        Found::Match(_) if matches!(select, Select::Nothing) => Ok(atom("match")),
        Found::Match(found) => {
            let values = subject.values(process, kind, &pick(&select, &found));
            Ok(build::tuple(&mut process.heap, &[atom("match"), values]))
        }
    }
}

/// The subject's bytes: a binary as it is, converted character data, or an
/// iolist.
fn subject_of<'a>(
    term: Term,
    converted: Option<Vec<u8>>,
    unicode: bool,
) -> Result<Subject<'a>, Raised> {
    let (bytes, binary) = if let Some(bytes) = binary_bytes(term) {
        (bytes, Some(term))
    } else if let Some(bytes) = converted {
        (Cow::Owned(bytes), None)
    } else {
        let mut out = Vec::new();
        flatten_iolist(term, &mut out).ok_or_else(Raised::badarg)?;
        (Cow::Owned(out), None)
    };
    Ok(Subject {
        bytes,
        binary,
        unicode,
    })
}

/// What `re.erl`'s `process_parameters` makes of the capture option for a
/// global run: what each match is asked for, and what is done with it.
enum Post {
    Keep,
    StripFirst,
    Nothing,
}

fn global_select(regex: &Regex, values: Term) -> Option<(Select, Post)> {
    let first = || Select::Slots(vec![Slot::Group(0)]);
    Some(match values.as_atom().map(|a| a.name()) {
        Some("all") => (Select::All, Post::Keep),
        Some("all_names") => match all_names_select(regex) {
            Select::Slots(mut slots) => {
                slots.insert(0, Slot::Group(0));
                (Select::Slots(slots), Post::StripFirst)
            }
            _ => (first(), Post::Nothing),
        },
        Some("first") => (first(), Post::Keep),
        Some("all_but_first") => (Select::All, Post::StripFirst),
        Some("none") => (first(), Post::Nothing),
        Some(_) => return None,
        None if values.is_nil() => (first(), Post::Nothing),
        None if values.is_list() => {
            let mut slots = vec![Slot::Group(0)];
            slots.extend(value_slots(regex, values)?);
            (Select::Slots(slots), Post::StripFirst)
        }
        None => return None,
    })
}

/// The byte after the character at `at` (a CRLF counts as one when the
/// newline convention has CRLF in it): `re.erl`'s `forward`.
fn forward(bytes: &[u8], at: usize, unicode: bool, crlf: bool) -> usize {
    if crlf && bytes.get(at..at + 2) == Some(b"\r\n") {
        return at + 2;
    }
    let step = match bytes.get(at) {
        Some(&b) if unicode && b & 0xE0 == 0xC0 => 2,
        Some(&b) if unicode && b & 0xF0 == 0xE0 => 3,
        Some(&b) if unicode && b & 0xF8 == 0xF0 => 4,
        _ => 1,
    };
    at + step
}

/// A global run, as `re.erl`'s `grun` does it with `internal_run`: after a
/// match, go on at its end; after an empty match, first try a non-empty
/// match anchored where that search started.
fn run_global(
    process: &mut Process,
    o: &Options,
    regex: &Regex,
    subject: Term,
    converted: Option<Vec<u8>>,
    unicode: bool,
) -> NativeResult {
    let (select, post, kind) = match o.capture {
        None => (Select::All, Post::Keep, None),
        Some((values, kind)) => {
            let (select, post) = global_select(regex, values).ok_or_else(Raised::badarg)?;
            (select, post, Some(kind))
        }
    };
    let subject = subject_of(subject, converted, unicode)?;
    let bytes = &subject.bytes[..];
    let crlf = matches!(
        regex.newline,
        PCRE2_NEWLINE_CRLF | PCRE2_NEWLINE_ANY | PCRE2_NEWLINE_ANYCRLF
    );
    let mut matches: Vec<Vec<Option<(usize, usize)>>> = Vec::new();
    let mut at = o.offset;
    let mut checked = false;
    while at <= bytes.len() {
        // The subject's UTF-8 is checked by the first search only (later
        // ones start on a character boundary of the same bytes).
        let boundary = !unicode || bytes.get(at).is_none_or(|&b| b & 0xC0 != 0x80);
        let no_check = if checked && boundary {
            PCRE2_NO_UTF_CHECK
        } else {
            0
        };
        checked = true;
        let found = match regex.find(bytes, at, o.exec | no_check, o.limits) {
            Found::NoMatch => break,
            Found::Error(code) => return match_error(process, code, o.report_errors),
            Found::Match(found) => found,
        };
        let (start, end) = found[0].unwrap_or((at, at));
        matches.push(pick(&select, &found));
        if end > start {
            at = end;
            continue;
        }
        let retry_options = o.exec | PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED | no_check;
        match regex.find(bytes, at, retry_options, o.limits) {
            Found::Match(retry) => {
                let step = retry[0].map_or(0, |(s, e)| e.saturating_sub(s));
                matches.push(pick(&select, &retry));
                at = if step > 0 {
                    start + step
                } else {
                    forward(bytes, start, unicode, crlf)
                };
            }
            Found::NoMatch => at = forward(bytes, start, unicode, crlf),
            Found::Error(code) => {
                // re.erl's loop has no clause for an error here.
                let error = match_error(process, code, o.report_errors)?;
                if error == atom("nomatch") {
                    at = forward(bytes, start, unicode, crlf);
                    continue;
                }
                let reason = build::tuple(&mut process.heap, &[atom("case_clause"), error]);
                return Err(Raised::error(reason));
            }
        }
    }
    if matches.is_empty() {
        return Ok(atom("nomatch"));
    }
    if matches!(post, Post::Nothing) {
        return Ok(atom("match"));
    }
    let kind = match kind {
        None => Kind::Index,
        Some(k) => kind_of(k).ok_or_else(|| Raised::error(atom("function_clause")))?,
    };
    let lists: Vec<Term> = matches
        .iter()
        .map(|parts| {
            let parts = match post {
                Post::StripFirst => parts.get(1..).unwrap_or(&[]),
                _ => &parts[..],
            };
            subject.values(process, kind, parts)
        })
        .collect();
    let list = build::list(&mut process.heap, &lists);
    Ok(build::tuple(&mut process.heap, &[atom("match"), list]))
}

fn run_2(process: &mut Process, args: &[Term]) -> NativeResult {
    run(process, args[0], args[1], Term::NIL)
}

fn run_3(process: &mut Process, args: &[Term]) -> NativeResult {
    run(process, args[0], args[1], args[2])
}

/// `internal_run(Subject, RE, Options, FirstCall)`: `run/3` for `re.erl`'s
/// global loop. erl skips the UTF-8 check when `FirstCall` is `false`;
/// PCRE2 is undefined on bad UTF-8 then, so oxbeam always checks.
fn internal_run(process: &mut Process, args: &[Term]) -> NativeResult {
    if !(args[3] == Term::bool(true) || args[3] == Term::bool(false)) {
        return Err(Raised::badarg());
    }
    run(process, args[0], args[1], args[2])
}

/// `inspect(MP, namelist)`: `{namelist, [Name]}`.
fn inspect(process: &mut Process, args: &[Term]) -> NativeResult {
    let spec = compiled_spec(args[0]).ok_or_else(Raised::badarg)?;
    if args[1] != atom("namelist") {
        return Err(Raised::badarg());
    }
    let regex = regex(&spec.encode()).map_err(|_| Raised::badarg())?;
    let names: Vec<Term> = distinct_names(&regex)
        .into_iter()
        .map(|n| build::binary(&mut process.heap, n))
        .collect();
    let list = build::list(&mut process.heap, &names);
    Ok(build::tuple(&mut process.heap, &[atom("namelist"), list]))
}

/// `version()`: the PCRE2 library's version (erl's names its PCRE 8).
fn version(process: &mut Process, _: &[Term]) -> NativeResult {
    Ok(build::binary(&mut process.heap, pcre::version().as_bytes()))
}

pub(crate) const NATIVES: &[Native] = crate::natives!("re";
    "compile"/1 => compile_1,
    "compile"/2 => compile_2,
    "run"/2 => run_2,
    "run"/3 => run_3,
    "internal_run"/4 => internal_run,
    "inspect"/2 => inspect,
    "version"/0 => version,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bif::erlang::testing::{check, process, terms};

    #[test]
    fn newline_options_combine_as_pcre8_bits() {
        let mut p = process();
        let parse =
            |p: &mut Process, text: &str| parse_options(terms(p, text)[0]).map(|o| o.newline);
        assert_eq!(parse(&mut p, "[[{newline, cr}, {newline, lf}]]"), Some(3));
        assert_eq!(parse(&mut p, "[[{newline, cr}, {newline, any}]]"), Some(5));
        assert_eq!(parse(&mut p, "[[{offset, -1}]]"), None);
    }

    #[test]
    fn natives_follow_erl() {
        // Each expected value is what erl 25 printed for the call with ~w.
        check(&[
            (run_2, "[\"ab\", \"(a)|(b)\"]", "{match,[{0,1},{0,1}]}"),
            (
                run_3,
                "[\"aaa\", \"a*?\", [global]]",
                "{match,[[{0,0}],[{0,1}],[{1,0}],[{1,1}],[{2,0}],[{2,1}],[{3,0}]]}",
            ),
            (
                run_3,
                "[\"abc\", \"b\", [{capture, all, foo}]]",
                "{error,badarg}",
            ),
            (
                run_3,
                "[\"abc\", \"b\", [{capture, all, foo}, global]]",
                "{error,function_clause}",
            ),
            (
                run_3,
                "[\"abc\", \"(\", [report_errors]]",
                "{error,{compile,{[109,105,115,115,105,110,103,32,41],1}}}",
            ),
            (
                run_2,
                "[<<\"a\", 0, \"b\">>, <<\"a\", 0, \"b\">>]",
                "{match,[{0,1}]}",
            ),
        ]);
    }

    #[test]
    fn spec_round_trips_and_rejects_other_binaries() {
        let spec = Spec {
            compile: PCRE2_UTF | PCRE2_CASELESS,
            newline: 3,
            bsr: 1,
            pattern: b"a(b)".to_vec(),
        };
        let back = Spec::decode(&spec.encode()).expect("decodes");
        assert_eq!(
            (back.compile, back.newline, back.bsr, back.pattern),
            (spec.compile, 3, 1, b"a(b)".to_vec())
        );
        assert!(Spec::decode(b"ERCP\0\0\0\0\0\0").is_none());
        assert!(Spec::decode(b"OXRE").is_none());
    }

    #[test]
    fn forward_steps_over_a_character_or_a_crlf() {
        let text = "aé\r\nx".as_bytes();
        assert_eq!(forward(text, 0, true, false), 1);
        assert_eq!(forward(text, 1, true, false), 3);
        assert_eq!(forward(text, 1, false, false), 2);
        assert_eq!(forward(text, 3, false, true), 5);
        assert_eq!(forward(text, 3, false, false), 4);
    }

    #[test]
    fn compile_errors_carry_pcre8_messages() {
        let error = regex(
            &Spec {
                compile: 0,
                newline: 0,
                bsr: 0,
                pattern: b"a(b".to_vec(),
            }
            .encode(),
        )
        .err()
        .expect("an error");
        assert_eq!(error, ("missing )".to_string(), 3));
        let error = regex(
            &Spec {
                compile: 0,
                newline: 6,
                bsr: 0,
                pattern: b"a".to_vec(),
            }
            .encode(),
        )
        .err()
        .expect("an error");
        assert_eq!(error, ("inconsistent NEWLINE options".to_string(), 0));
    }
}
