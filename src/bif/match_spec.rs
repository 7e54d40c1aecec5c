//! Match specifications (`[{Head, Guards, Body}]`) as ETS runs them: the
//! compiler and the runner, with erl's semantics for the `table` dialect
//! (`erl_db_util.c`), and the natives `erlang:match_spec_test/3` and
//! `ets:is_compiled_ms/1`. `match_spec_test/3` also runs the `trace`
//! dialect as erl runs it there (heads written as argument lists,
//! `message`, `return_trace`, `exception_trace`, `caller`, `silent`,
//! `display`, `get_tcw`/`set_tcw`; the forms that change trace or
//! seq_trace state — `enable_trace`, `disable_trace`, `trace`,
//! `set_seq_token`, `process_dump` — are rejected, as oxbeam has no
//! tracing).
//!
//! **Compiling.** [`MatchSpec::compile`] first copies the whole spec into a
//! [`LiteralArea`] the spec owns, so every constant the compiled clauses keep
//! (head constants, `{const, T}`, keys of map patterns) lives as long as the
//! spec and never points into a process heap. A head becomes a [`Pat`] tree:
//! ground subterms (no variable, no `'_'`, no map) collapse into one exact
//! comparison (`=:=`, but floats bit for bit, as erl's head matching); each
//! `'$N'` gets a slot on its first occurrence and later occurrences compare
//! with `=:=`. Guards and bodies become [`Expr`]
//! trees; guard functions are the registered natives of `erlang`
//! (`crate::bif::lookup`), so there is one implementation of each. Invalid
//! specs give the same error strings, in the same order, as erl's compiler
//! with error information (it goes on after an error within one clause, and
//! stops at the end of that clause).
//!
//! **Running.** [`MatchSpec::run`] tries the clauses in order. The bindings
//! of a clause and the evaluation stack live in a per-thread scratch buffer
//! that is taken out for the run and put back after, so matching a head and
//! evaluating guards allocate nothing on the Rust heap once the buffer has
//! grown (a nested run — none happens today — would just use a fresh
//! buffer). Guard BIFs may allocate on the process heap (a bignum sum), as
//! in erl. A failing guard expression makes the guard false; a failing body
//! expression evaluates to `'EXIT'` at that point of the result. The result
//! is copied onto the process heap at the end, so it never points into the
//! object's storage (an ETS table) or into the spec.
//!
//! **For ETS.** [`MatchSpec::for_pattern`] makes the specs of `ets:match/2`
//! and `match_object/2`; [`MatchSpec::bound_keys`] names the keys a spec can
//! match, so a table can look them up instead of scanning; [`keeps_key`] is
//! erl's check of the specs `ets:select_replace/2` accepts.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::bif::erlang::display::display_text;
use crate::bif::{lookup, Native, NativeFn, NativeResult, Raised};
use crate::heap::{copy_term, LiteralArea};
use crate::term::{atoms, build, map, order::exact_eq, Atom, MapRef, Term, View};
use crate::vm::process::Process;

/// What a spec made from an `ets:match/2` pattern returns.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PatternReturns {
    /// `'$$'`: the values of the pattern's variables, as a list in
    /// variable-number order (`ets:match/2`).
    Bindings,
    /// `'$_'`: the whole object (`ets:match_object/2`).
    Object,
}

/// Why a match specification does not compile.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MsError {
    /// erl's error strings, in erl's order (what
    /// `erlang:match_spec_test/3` returns as `{error, String}` items); each
    /// character is one byte of erl's C string (term texts are erts's
    /// `%T`, Latin-1 bytes).
    pub errors: Vec<String>,
    /// The spec nests too deeply: erl raises `system_limit`, not `badarg`.
    pub system_limit: bool,
}

impl MsError {
    /// The exception a BIF given this spec raises (`badarg` or
    /// `system_limit`).
    pub fn raised(&self) -> Raised {
        if self.system_limit {
            Raised::system_limit()
        } else {
            Raised::badarg()
        }
    }
}

/// A compiled match specification. It owns copies of all its constant
/// terms, so it is independent of the term it was compiled from and may be
/// kept in a table and shared between threads.
pub struct MatchSpec {
    clauses: Vec<Clause>,
    /// Holds every constant the clauses point to.
    _area: LiteralArea,
}

/// One `{Head, Guards, Body}`.
struct Clause {
    head: Pat,
    /// Number of variable slots the head binds.
    slots: usize,
    /// The slots in variable-number order (what `'$$'` lists).
    by_number: Box<[u32]>,
    guards: Box<[Expr]>,
    /// The body's last expression: the result.
    result: Expr,
    /// The body's other expressions, kept in trace specs only (in the table
    /// dialect they cannot have effects).
    effects: Box<[Expr]>,
    /// A trace spec whose head is one variable or `'_'`: it matches the
    /// list of arguments, not a tuple of them.
    head_takes_list: bool,
}

/// A compiled head pattern.
enum Pat {
    /// `'_'`.
    Skip,
    /// The first occurrence of a variable: binds its slot.
    Bind(u32),
    /// A later occurrence: must be `=:=` to the slot's value.
    Same(u32),
    /// A ground subterm: the object's part must be equal to it
    /// ([`head_constant_eq`]).
    Exact(Term),
    Tuple(Box<[Pat]>),
    /// A list: its elements and the pattern of what follows them.
    List(Box<[Pat]>, Box<Pat>),
    /// A map pattern: a map having at least these keys (compared exactly),
    /// whose values match.
    Map(Box<[(Term, Pat)]>),
}

/// A compiled guard or body expression.
enum Expr {
    Const(Term),
    Var(u32),
    /// `'$_'`.
    Object,
    /// `'$$'`.
    Bindings,
    SelfPid,
    /// `{{E1, ..., En}}`.
    Tuple(Box<[Expr]>),
    /// `[E1, ..., En | Tail]`.
    List(Box<[Expr]>, Box<Expr>),
    /// `#{K => V, ...}` with keys and values evaluated.
    Map(Box<[(Expr, Expr)]>),
    /// A guard BIF with at most 3 arguments.
    Call(NativeFn, Box<[Expr]>),
    And(Box<[Expr]>),
    Or(Box<[Expr]>),
    AndAlso(Box<[Expr]>),
    OrElse(Box<[Expr]>),
    /// Trace specs: `{message, E}` (the spec's result becomes E's value).
    Message(Box<Expr>),
    /// Trace specs: `{return_trace}`.
    ReturnTrace,
    /// Trace specs: `{exception_trace}`.
    ExceptionTrace,
    /// Trace specs: `{silent, E}` (ignored by `match_spec_test/3`).
    Silent(Box<Expr>),
    /// Stands for an expression with an error: the spec is rejected, so it
    /// never runs.
    Invalid,
}

impl Expr {
    /// Whether erl's compiler takes the expression for a constant, which
    /// decides whether it compiles a map's keys again (and reports their
    /// errors twice).
    fn is_constant(&self) -> bool {
        match self {
            Expr::Const(_) => true,
            Expr::Tuple(elements) => elements.iter().all(Expr::is_constant),
            Expr::List(elements, tail) => {
                elements.iter().all(Expr::is_constant) && tail.is_constant()
            }
            Expr::Map(pairs) => pairs
                .iter()
                .all(|(k, v)| k.is_constant() && v.is_constant()),
            _ => false,
        }
    }
}

impl MatchSpec {
    /// Compiles a match specification term (`[{Head, Guards, Body}]`, the
    /// `table` dialect). `Err` for an invalid spec: callers raise
    /// [`MsError::raised`] (`badarg`).
    pub fn compile(spec: Term) -> Result<MatchSpec, MsError> {
        let mut area = LiteralArea::new();
        let spec = copy_term(spec, &mut area);
        let mut compiler = Compiler::default();
        let clauses = compiler.spec(spec);
        match clauses {
            Some(clauses) if compiler.errors.is_empty() => Ok(MatchSpec {
                clauses,
                _area: area,
            }),
            _ => Err(compiler.into_error()),
        }
    }

    /// The spec `ets:match/2` (`[{Pattern, [], ['$$']}]`) or
    /// `ets:match_object/2` (`[{Pattern, [], ['$_']}]`) uses for a pattern.
    pub fn for_pattern(pattern: Term, returns: PatternReturns) -> Result<MatchSpec, MsError> {
        let mut area = LiteralArea::new();
        let pattern = copy_term(pattern, &mut area);
        let mut compiler = Compiler::default();
        let result = match returns {
            PatternReturns::Bindings => Expr::Bindings,
            PatternReturns::Object => Expr::Object,
        };
        match compiler.clause_parts(pattern, Term::NIL, None) {
            Some(mut clause) if compiler.errors.is_empty() => {
                clause.result = result;
                Ok(MatchSpec {
                    clauses: vec![clause],
                    _area: area,
                })
            }
            _ => Err(compiler.into_error()),
        }
    }

    /// Compiles a spec of the `trace` dialect, for `match_spec_test/3`.
    fn compile_trace(spec: Term) -> Result<MatchSpec, MsError> {
        let mut area = LiteralArea::new();
        let spec = copy_term(spec, &mut area);
        let mut compiler = Compiler {
            trace: true,
            ..Compiler::default()
        };
        match compiler.spec(spec) {
            Some(clauses) if compiler.errors.is_empty() => Ok(MatchSpec {
                clauses,
                _area: area,
            }),
            _ => Err(compiler.into_error()),
        }
    }

    /// Runs a trace spec on a call's arguments (a proper list), as
    /// `match_spec_test/3` does: `None` when no clause matches.
    fn run_trace(&self, arguments: Term, process: &mut Process) -> Option<TraceOutcome> {
        let elements = arguments.list_to_vec()?;
        let as_tuple = build::tuple(&mut process.heap, &elements);
        let mut scratch = Scratch::default();
        for clause in &self.clauses {
            scratch.vars.clear();
            scratch.vars.resize(clause.slots, Term::NONE);
            let matched = if clause.head_takes_list {
                arguments
            } else {
                as_tuple
            };
            if !match_pat(&clause.head, matched, &mut scratch.vars) {
                continue;
            }
            let mut run = Run {
                object: arguments,
                clause,
                process: &mut *process,
                scratch: &mut scratch,
                trace: TraceOutcome::default(),
            };
            let guards_hold = clause
                .guards
                .iter()
                .all(|guard| matches!(run.eval(guard, false), Ok(t) if t == Term::TRUE));
            if !guards_hold {
                continue;
            }
            for expr in clause.effects.iter().chain([&clause.result]) {
                let _ = run.eval(expr, true);
            }
            return Some(run.trace);
        }
        None
    }

    /// Runs the spec on one object: the result of the first clause whose
    /// head matches and whose guards are all `true`, built on `process`'s
    /// heap (never pointing into `object`'s storage or the spec's), or
    /// `None`. Never collects garbage.
    pub fn run(&self, object: Term, process: &mut Process) -> Option<Term> {
        SCRATCH.with(|cell| {
            let mut scratch = cell.take();
            let result = self.run_with(object, process, &mut scratch);
            cell.replace(scratch);
            result
        })
    }

    fn run_with(&self, object: Term, process: &mut Process, scratch: &mut Scratch) -> Option<Term> {
        for clause in &self.clauses {
            scratch.vars.clear();
            scratch.vars.resize(clause.slots, Term::NONE);
            if !match_pat(&clause.head, object, &mut scratch.vars) {
                continue;
            }
            let mut run = Run {
                object,
                clause,
                process,
                scratch,
                trace: TraceOutcome::default(),
            };
            let guards_hold = clause
                .guards
                .iter()
                .all(|guard| matches!(run.eval(guard, false), Ok(t) if t == Term::TRUE));
            if !guards_hold {
                continue;
            }
            let result = run.eval(&clause.result, true).unwrap_or(EXIT);
            return Some(copy_term(result, &mut process.heap));
        }
        None
    }

    /// The keys an object must have at element `keypos` (1-based) to match
    /// some clause, when every clause that can match a tuple of that size
    /// binds that element to a ground term, so ETS can look them up instead
    /// of scanning (the spec must still be run on each object found: keys
    /// are candidates, compared `=:=` by the spec). `None` when some clause
    /// leaves the key open. The terms live in the spec's own storage: they
    /// are valid while the `MatchSpec` lives. Duplicates (`=:=`) are left
    /// out.
    pub fn bound_keys(&self, keypos: usize) -> Option<Vec<Term>> {
        if keypos == 0 {
            return None;
        }
        let mut keys: Vec<Term> = Vec::new();
        for clause in &self.clauses {
            let key = match &clause.head {
                Pat::Tuple(elements) if elements.len() >= keypos => match elements[keypos - 1] {
                    Pat::Exact(key) => key,
                    _ => return None,
                },
                Pat::Exact(head) => match head.as_tuple() {
                    Some(elements) if elements.len() >= keypos => elements[keypos - 1],
                    _ => continue,
                },
                Pat::Skip | Pat::Bind(_) | Pat::Same(_) => return None,
                // Tuples too small, lists and maps match no object.
                Pat::Tuple(_) | Pat::List(..) | Pat::Map(_) => continue,
            };
            if !keys.iter().any(|&k| exact_eq(k, key)) {
                keys.push(key);
            }
        }
        Some(keys)
    }
}

/// Whether every clause of `spec` returns an object with the same key
/// (element `keypos`, 1-based) as the object it matched, as
/// `ets:select_replace/2` requires (erl's `db_match_keeps_key`, which looks
/// at the spec's terms, not at compiled code): the body is one expression,
/// `'$_'` or a tuple construction (`{{...}}` or `{const, {...}}`) whose key
/// element is the head's key term rebuilt (the same variables and
/// constants, no map, no `'_'`) or `{element, KeyPos, '$_'}`. `false` for
/// anything that is not a proper list of 3-tuples.
pub fn keeps_key(spec: Term, keypos: usize) -> bool {
    let Some(clauses) = spec.list_to_vec() else {
        return false;
    };
    clauses.iter().all(|clause| match clause.as_tuple() {
        Some(&[head, _, body]) => clause_keeps_key(keypos, head, body),
        _ => false,
    })
}

/// Element `keypos` (1-based) of a tuple.
fn element_at(term: Term, keypos: usize) -> Option<Term> {
    term.as_tuple()?.get(keypos.checked_sub(1)?).copied()
}

fn clause_keeps_key(keypos: usize, head: Term, body: Term) -> bool {
    let single = match body.as_cons() {
        Some((single, rest)) if rest.is_nil() => single,
        _ => return false,
    };
    if is_atom_named(single, "$_") {
        return true;
    }
    let Some(head_key) = element_at(head, keypos) else {
        return false;
    };
    let (built, const_mode) = match single.as_tuple() {
        Some(&[tag, constant]) if is_atom_named(tag, "const") => (constant, true),
        Some(&[inner]) => (inner, false),
        _ => return false,
    };
    let Some(built_key) = element_at(built, keypos) else {
        return false;
    };
    if rebuilds(head_key, built_key, const_mode) {
        return true;
    }
    // {element, KeyPos, '$_'}
    !const_mode
        && matches!(built_key.as_tuple(), Some(&[f, pos, whole])
            if is_atom_named(f, "element")
                && pos.as_small() == Some(keypos as i64)
                && is_atom_named(whole, "$_"))
}

/// Whether the body term `built` always builds the term the head term
/// `matched` matched (erl's `db_match_eq_body`); `const_mode` inside
/// `{const, T}`.
fn rebuilds(matched: Term, built: Term, const_mode: bool) -> bool {
    let mut work = vec![(matched, built, const_mode)];
    while let Some((a, mut b, const_mode)) = work.pop() {
        if let Some((bh, bt)) = b.as_cons() {
            let Some((ah, at)) = a.as_cons() else {
                return false;
            };
            work.push((at, bt, const_mode));
            work.push((ah, bh, const_mode));
            continue;
        }
        if b.is_tuple() {
            if !const_mode {
                match b.as_tuple() {
                    Some(&[inner]) if inner.is_tuple() => b = inner,
                    Some(&[tag, constant]) if is_atom_named(tag, "const") => {
                        work.push((a, constant, true));
                        continue;
                    }
                    _ => return false,
                }
            }
            match (a.as_tuple(), b.as_tuple()) {
                (Some(ae), Some(be)) if ae.len() == be.len() => {
                    work.extend(ae.iter().zip(be).map(|(&x, &y)| (x, y, const_mode)));
                }
                _ => return false,
            }
            continue;
        }
        if b.is_map() {
            // The matched map may have more pairs.
            return false;
        }
        if b.is_boxed() {
            if !exact_eq(a, b) {
                return false;
            }
            continue;
        }
        let special = ["_", "$$", "$_"].iter().any(|name| is_atom_named(a, name))
            || (const_mode && variable_number(a).is_some());
        if a != b || special {
            return false;
        }
    }
    true
}

/// `'EXIT'`: the value of a failing body expression.
const EXIT: Term = Term::atom(atoms::EXIT);

/// The reusable buffers of a run: variable bindings and the evaluation
/// stack of constructed terms.
#[derive(Default)]
struct Scratch {
    vars: Vec<Term>,
    stack: Vec<Term>,
    pairs: Vec<(Term, Term)>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Matches `term` against `pat`, binding slots in `vars`.
fn match_pat(pat: &Pat, term: Term, vars: &mut [Term]) -> bool {
    match pat {
        Pat::Skip => true,
        Pat::Bind(slot) => {
            vars[*slot as usize] = term;
            true
        }
        Pat::Same(slot) => exact_eq(vars[*slot as usize], term),
        Pat::Exact(constant) => head_constant_eq(*constant, term),
        Pat::Tuple(pats) => match term.as_tuple() {
            Some(elements) if elements.len() == pats.len() => pats
                .iter()
                .zip(elements)
                .all(|(p, &e)| match_pat(p, e, vars)),
            _ => false,
        },
        Pat::List(pats, tail) => {
            let mut rest = term;
            for p in pats.iter() {
                match rest.as_cons() {
                    Some((head, tail)) if match_pat(p, head, vars) => rest = tail,
                    _ => return false,
                }
            }
            match_pat(tail, rest, vars)
        }
        Pat::Map(pairs) => match MapRef::from_term(term) {
            Some(m) if m.len() >= pairs.len() => pairs.iter().all(|(key, p)| match m.get(*key) {
                Some(value) => match_pat(p, value, vars),
                None => false,
            }),
            _ => false,
        },
    }
}

/// Whether `term` equals the head constant `constant` as erl's head
/// matching decides: `=:=`, except that floats (in tuples and lists, which
/// erl walks) are compared bit for bit, so `-0.0` does not match `0.0` (it
/// does as the value of a repeated variable, which erl compares with
/// `=:=`). Recursion follows the constant's nesting, which the compiler
/// bounds; head constants hold no maps.
fn head_constant_eq(constant: Term, term: Term) -> bool {
    if constant == term {
        return true;
    }
    match (constant.view(), term.view()) {
        (View::Float(a), View::Float(b)) => a.to_bits() == b.to_bits(),
        (View::Tuple(a), View::Tuple(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(&x, &y)| head_constant_eq(x, y))
        }
        (View::Cons(..), View::Cons(..)) => {
            let (mut a, mut b) = (constant, term);
            while let (Some((ha, ta)), Some((hb, tb))) = (a.as_cons(), b.as_cons()) {
                if !head_constant_eq(ha, hb) {
                    return false;
                }
                (a, b) = (ta, tb);
            }
            head_constant_eq(a, b)
        }
        _ => exact_eq(constant, term),
    }
}

/// The state of evaluating one clause's guards and body.
struct Run<'a> {
    object: Term,
    clause: &'a Clause,
    process: &'a mut Process,
    scratch: &'a mut Scratch,
    /// What a trace spec's body did.
    trace: TraceOutcome,
}

/// The result of a trace spec's body: `{message, M}`'s last `M`, and the
/// flags `{return_trace}` and `{exception_trace}` set.
#[derive(Default)]
struct TraceOutcome {
    message: Option<Term>,
    return_trace: bool,
    exception_trace: bool,
}

/// A guard expression failed (in a guard, the clause does not match).
struct Failed;

impl Run<'_> {
    /// Evaluates `expr`. In a body (`catching`), a failing part evaluates
    /// to `'EXIT'` instead of failing.
    fn eval(&mut self, expr: &Expr, catching: bool) -> Result<Term, Failed> {
        let fail = || if catching { Ok(EXIT) } else { Err(Failed) };
        match expr {
            Expr::Const(t) => Ok(*t),
            Expr::Var(slot) => Ok(self.scratch.vars[*slot as usize]),
            Expr::Object => Ok(self.object),
            Expr::SelfPid => Ok(self.process.self_term()),
            Expr::Bindings => {
                let base = self.scratch.stack.len();
                for &slot in self.clause.by_number.iter() {
                    let value = self.scratch.vars[slot as usize];
                    self.scratch.stack.push(value);
                }
                let list = build::list(&mut self.process.heap, &self.scratch.stack[base..]);
                self.scratch.stack.truncate(base);
                Ok(list)
            }
            Expr::Tuple(elements) => {
                let base = self.scratch.stack.len();
                for e in elements.iter() {
                    let value = self.eval_or_unwind(e, catching, base)?;
                    self.scratch.stack.push(value);
                }
                let tuple = build::tuple(&mut self.process.heap, &self.scratch.stack[base..]);
                self.scratch.stack.truncate(base);
                Ok(tuple)
            }
            Expr::List(elements, tail) => {
                let base = self.scratch.stack.len();
                for e in elements.iter() {
                    let value = self.eval_or_unwind(e, catching, base)?;
                    self.scratch.stack.push(value);
                }
                let tail = self.eval_or_unwind(tail, catching, base)?;
                let list = build::list_with_tail(
                    &mut self.process.heap,
                    &self.scratch.stack[base..],
                    tail,
                );
                self.scratch.stack.truncate(base);
                Ok(list)
            }
            Expr::Map(pairs) => {
                let base = self.scratch.pairs.len();
                for (k, v) in pairs.iter() {
                    let pair = match (self.eval(k, catching), self.eval(v, catching)) {
                        (Ok(k), Ok(v)) => (k, v),
                        _ => {
                            self.scratch.pairs.truncate(base);
                            return Err(Failed);
                        }
                    };
                    self.scratch.pairs.push(pair);
                }
                let (map, _) = map::from_pairs(&mut self.process.heap, &self.scratch.pairs[base..]);
                self.scratch.pairs.truncate(base);
                Ok(map)
            }
            Expr::Call(native, args) => {
                let mut values = [Term::NONE; 3];
                for (slot, arg) in values.iter_mut().zip(args.iter()) {
                    *slot = self.eval(arg, catching)?;
                }
                match native(self.process, &values[..args.len()]) {
                    Ok(value) => Ok(value),
                    Err(_) => fail(),
                }
            }
            Expr::And(args) | Expr::Or(args) => {
                let is_and = matches!(expr, Expr::And(_));
                let mut result = is_and;
                for arg in args.iter() {
                    let value = self.eval(arg, catching)?;
                    if value == Term::bool(!is_and) {
                        result = !is_and;
                    } else if value != Term::bool(is_and) {
                        return fail();
                    }
                }
                Ok(Term::bool(result))
            }
            Expr::AndAlso(args) | Expr::OrElse(args) => {
                // Every argument but the last must be a boolean; the first
                // that decides (false for andalso, true for orelse) is the
                // value; otherwise the last argument's value, whatever it is.
                let decides = Term::bool(matches!(expr, Expr::OrElse(_)));
                let (last, first) = args.split_last().expect("at least one argument");
                for arg in first {
                    let value = self.eval(arg, catching)?;
                    if value == decides {
                        return Ok(decides);
                    } else if value != Term::TRUE && value != Term::FALSE {
                        return fail();
                    }
                }
                self.eval(last, catching)
            }
            Expr::Message(arg) => {
                let value = self.eval(arg, catching)?;
                self.trace.message = Some(value);
                Ok(Term::TRUE)
            }
            Expr::Silent(arg) => {
                self.eval(arg, catching)?;
                Ok(Term::TRUE)
            }
            Expr::ReturnTrace => {
                self.trace.return_trace = true;
                Ok(Term::TRUE)
            }
            Expr::ExceptionTrace => {
                self.trace.exception_trace = true;
                Ok(Term::TRUE)
            }
            Expr::Invalid => fail(),
        }
    }

    /// [`Run::eval`] that cuts the stack back to `base` on failure.
    fn eval_or_unwind(&mut self, expr: &Expr, catching: bool, base: usize) -> Result<Term, Failed> {
        let value = self.eval(expr, catching);
        if value.is_err() {
            self.scratch.stack.truncate(base);
        }
        value
    }
}

/// `term` as erts's `%T` prints it (error strings are built with it), one
/// character per byte.
fn shown(term: Term) -> String {
    display_text(term).into_iter().map(char::from).collect()
}

/// Deepest nesting of heads, guards and bodies the compiler accepts (erl's
/// limit is its C stack; ours keeps the Rust stack of the compiler and the
/// runner safe).
const MAX_DEPTH: usize = 1000;

/// erl keeps at most 99 characters of an error string.
const ERROR_STRING_MAX: usize = 99;

/// Whether a head pattern matches tuples only.
fn is_tuple_pat(pat: &Pat) -> bool {
    match pat {
        Pat::Tuple(_) => true,
        Pat::Exact(t) => t.is_tuple(),
        _ => false,
    }
}

/// The state of compiling one spec: errors so far and the variables of the
/// current clause.
#[derive(Default)]
struct Compiler {
    /// The `trace` dialect (`erlang:match_spec_test(Args, Spec, trace)`).
    trace: bool,
    errors: Vec<String>,
    system_limit: bool,
    /// Variable number -> slot, for the clause being compiled.
    vars: HashMap<u64, u32>,
    depth: usize,
}

/// A guard function: erl's table (`guard_tab` in `erl_db_util.c`) of the
/// BIFs a table spec may call.
const GUARD_BIFS: &[(&str, u32)] = &[
    ("is_atom", 1),
    ("is_float", 1),
    ("is_integer", 1),
    ("is_list", 1),
    ("is_number", 1),
    ("is_pid", 1),
    ("is_port", 1),
    ("is_reference", 1),
    ("is_tuple", 1),
    ("is_map", 1),
    ("is_binary", 1),
    ("is_function", 1),
    ("is_record", 3),
    ("abs", 1),
    ("element", 2),
    ("hd", 1),
    ("length", 1),
    ("node", 1),
    ("node", 0),
    ("round", 1),
    ("size", 1),
    ("map_size", 1),
    ("map_get", 2),
    ("is_map_key", 2),
    ("bit_size", 1),
    ("byte_size", 1),
    ("binary_part", 2),
    ("binary_part", 3),
    ("tl", 1),
    ("trunc", 1),
    ("float", 1),
    ("+", 1),
    ("-", 1),
    ("+", 2),
    ("-", 2),
    ("*", 2),
    ("/", 2),
    ("div", 2),
    ("rem", 2),
    ("band", 2),
    ("bor", 2),
    ("bxor", 2),
    ("bnot", 1),
    ("bsl", 2),
    ("bsr", 2),
    (">", 2),
    (">=", 2),
    ("<", 2),
    ("=<", 2),
    ("=:=", 2),
    ("==", 2),
    ("=/=", 2),
    ("/=", 2),
    ("not", 1),
    ("xor", 2),
];

/// Functions of erl's table that only trace specs may call.
const TRACE_ONLY_BIFS: &[(&str, u32)] = &[("get_tcw", 0), ("set_tcw", 1)];

/// Special forms of trace specs, with the name erl's error message uses.
const TRACE_FORMS: &[(&str, &str)] = &[
    ("message", "message"),
    ("is_seq_trace", "is_seq_trace"),
    ("set_seq_token", "set_seq_trace"),
    ("get_seq_token", "get_seq_token"),
    ("return_trace", "return_trace"),
    ("exception_trace", "exception_trace"),
    ("display", "display"),
    ("process_dump", "process_dump"),
    ("enable_trace", "enable_trace"),
    ("disable_trace", "disable_trace"),
    ("trace", "trace"),
    ("caller", "caller"),
    ("caller_line", "caller_line"),
    ("silent", "silent"),
];

/// `N` when `term` is the atom `'$N'` (a match variable; `'$0'` but no other
/// leading zero).
fn variable_number(term: Term) -> Option<u64> {
    let digits = term.as_atom()?.name().strip_prefix('$')?;
    let valid = match digits.as_bytes() {
        [b'0'] => true,
        [b'1'..=b'9', rest @ ..] => rest.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    if valid {
        digits.parse().ok()
    } else {
        None
    }
}

fn is_atom_named(term: Term, name: &str) -> bool {
    term.as_atom().is_some_and(|a| a.name() == name)
}

impl Compiler {
    fn error(&mut self, message: String) {
        self.errors
            .push(message.chars().take(ERROR_STRING_MAX).collect());
    }

    fn into_error(self) -> MsError {
        MsError {
            errors: self.errors,
            system_limit: self.system_limit,
        }
    }

    /// The clauses of a spec; `None` (with an error) when it is not a
    /// proper list of 3-tuples or a clause has errors.
    fn spec(&mut self, spec: Term) -> Option<Vec<Clause>> {
        if !spec.is_list() {
            self.error("Match programs are not in a list.".into());
            return None;
        }
        let parts: Vec<Term> = match spec.list_to_vec() {
            Some(parts) => parts,
            None => {
                self.error("Match programs are not in a proper list.".into());
                return None;
            }
        };
        let mut clauses = Vec::with_capacity(parts.len());
        let mut triples = Vec::with_capacity(parts.len());
        for part in parts {
            match part.as_tuple() {
                Some(&[head, guards, body]) => triples.push((head, guards, body)),
                _ => {
                    self.error("Match program part is not a tuple of arity 3.".into());
                    return None;
                }
            }
        }
        for (head, guards, body) in triples {
            let clause = self.clause_parts(head, guards, Some(body))?;
            if !self.errors.is_empty() {
                return None;
            }
            clauses.push(clause);
        }
        Some(clauses)
    }

    /// Compiles one clause. `body` is `None` for a pattern's spec (the
    /// caller sets the result). Errors accumulate in `self.errors`; `None`
    /// when the head itself is invalid.
    fn clause_parts(&mut self, head: Term, guards: Term, body: Option<Term>) -> Option<Clause> {
        self.vars.clear();
        self.depth = 0;
        let head = if self.trace && (head.is_list() || head.is_nil()) {
            self.arguments_pat(head)?
        } else {
            self.pat(head)?
        };
        let head_takes_list = matches!(head, Pat::Bind(_) | Pat::Skip);
        if self.trace && !head_takes_list && !is_tuple_pat(&head) {
            self.error("Match head is invalid in this context.".into());
            return None;
        }
        let slots = self.vars.len();
        let mut numbered: Vec<(u64, u32)> = self.vars.iter().map(|(&n, &s)| (n, s)).collect();
        numbered.sort_unstable();
        let by_number = numbered.into_iter().map(|(_, slot)| slot).collect();
        let guards = self.expr_list(guards, true).unwrap_or_default();
        let mut body = match body {
            None => Vec::new(),
            Some(body) => {
                if !self.trace && !body.is_list() {
                    self.error("Body clause does not return anything.".into());
                    return None;
                }
                self.expr_list(body, false).unwrap_or_default()
            }
        };
        let result = body.pop().unwrap_or(Expr::Const(Term::TRUE));
        if !self.trace {
            body.clear();
        }
        Some(Clause {
            head,
            slots,
            by_number,
            guards: guards.into_boxed_slice(),
            result,
            effects: body.into_boxed_slice(),
            head_takes_list,
        })
    }

    fn nest<T>(&mut self, near: Term, f: impl FnOnce(&mut Compiler) -> Option<T>) -> Option<T> {
        if self.depth >= MAX_DEPTH {
            self.system_limit = true;
            self.error(format!(
                "Excessive nesting; system limit reached near: {}",
                shown(near)
            ));
            return None;
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    /// The head of a trace spec written as a list: a tuple of the arguments.
    fn arguments_pat(&mut self, head: Term) -> Option<Pat> {
        let Some(elements) = head.list_to_vec() else {
            self.error(format!(
                "Match expression part {} is not a proper list.",
                shown(head)
            ));
            return None;
        };
        let pats = elements
            .iter()
            .map(|&e| self.pat(e))
            .collect::<Option<Vec<Pat>>>()?;
        Some(Pat::Tuple(pats.into_boxed_slice()))
    }

    /// A head pattern; `None` after an error (which ends the compilation).
    fn pat(&mut self, term: Term) -> Option<Pat> {
        self.nest(term, |c| c.pat_inner(term))
    }

    fn pat_inner(&mut self, term: Term) -> Option<Pat> {
        let all_exact = |pats: &[Pat]| pats.iter().all(|p| matches!(p, Pat::Exact(_)));
        match term.view() {
            View::Atom(_) => {
                if let Some(n) = variable_number(term) {
                    let next = self.vars.len() as u32;
                    Some(match self.vars.get(&n) {
                        Some(&slot) => Pat::Same(slot),
                        None => {
                            self.vars.insert(n, next);
                            Pat::Bind(next)
                        }
                    })
                } else if is_atom_named(term, "_") {
                    Some(Pat::Skip)
                } else {
                    Some(Pat::Exact(term))
                }
            }
            View::Tuple(elements) => {
                let pats = elements
                    .iter()
                    .map(|&e| self.pat(e))
                    .collect::<Option<Vec<Pat>>>()?;
                Some(if all_exact(&pats) {
                    Pat::Exact(term)
                } else {
                    Pat::Tuple(pats.into_boxed_slice())
                })
            }
            View::Cons(..) => {
                let mut pats = Vec::new();
                let mut rest = term;
                while let Some((head, tail)) = rest.as_cons() {
                    pats.push(self.pat(head)?);
                    rest = tail;
                }
                let tail = self.pat(rest)?;
                Some(if all_exact(&pats) && matches!(tail, Pat::Exact(_)) {
                    Pat::Exact(term)
                } else {
                    Pat::List(pats.into_boxed_slice(), Box::new(tail))
                })
            }
            View::Map(m) => {
                let mut pairs = Vec::new();
                for (key, value) in m.iterator_order().into_iter() {
                    if variable_number(key).is_some() {
                        self.error("Variable found in map key.".into());
                        return None;
                    }
                    if is_atom_named(key, "_") {
                        self.error("Underscore found in map key.".into());
                        return None;
                    }
                    pairs.push((key, self.pat(value)?));
                }
                Some(Pat::Map(pairs.into_boxed_slice()))
            }
            _ => Some(Pat::Exact(term)),
        }
    }

    /// The expressions of a guard or body list; `None` when the list is
    /// not a list (the error is recorded).
    fn expr_list(&mut self, list: Term, in_guard: bool) -> Option<Vec<Expr>> {
        if list.is_nil() {
            return Some(Vec::new());
        }
        if !list.is_list() {
            self.error("Match expression is not a list.".into());
            return None;
        }
        let mut exprs = Vec::new();
        let mut rest = list;
        while let Some((head, tail)) = rest.as_cons() {
            exprs.push(self.expr(head, in_guard));
            rest = tail;
        }
        if !rest.is_nil() {
            self.error("Match expression is not a proper list.".into());
        }
        Some(exprs)
    }

    /// A guard or body expression. After an error the expression returned
    /// is a placeholder (the spec is rejected anyway).
    fn expr(&mut self, term: Term, in_guard: bool) -> Expr {
        self.nest(term, |c| Some(c.expr_inner(term, in_guard)))
            .unwrap_or(Expr::Invalid)
    }

    fn expr_inner(&mut self, term: Term, in_guard: bool) -> Expr {
        match term.view() {
            View::Atom(_) => {
                if let Some(n) = variable_number(term) {
                    match self.vars.get(&n) {
                        Some(&slot) => Expr::Var(slot),
                        None => {
                            self.error(format!("Variable ${n} is unbound."));
                            Expr::Invalid
                        }
                    }
                } else if is_atom_named(term, "$_") {
                    Expr::Object
                } else if is_atom_named(term, "$$") {
                    Expr::Bindings
                } else {
                    Expr::Const(term)
                }
            }
            View::Cons(..) => {
                let mut elements = Vec::new();
                let mut rest = term;
                while let Some((head, tail)) = rest.as_cons() {
                    elements.push(self.expr(head, in_guard));
                    rest = tail;
                }
                let tail = self.expr(rest, in_guard);
                Expr::List(elements.into_boxed_slice(), Box::new(tail))
            }
            View::Map(m) => self.map_expr(m, in_guard),
            View::Tuple(&[inner]) if inner.is_tuple() => {
                let elements = inner.as_tuple().unwrap_or_default();
                Expr::Tuple(self.exprs_last_first(elements, in_guard))
            }
            View::Tuple(elements)
                if !elements.is_empty()
                    && elements[0].is_atom()
                    && variable_number(elements[0]).is_none() =>
            {
                self.call(term, elements, in_guard)
            }
            View::Tuple(_) => {
                self.error(format!(
                    "{} is neither a function call, nor a tuple (tuples are written {{{{ ... }}}}).",
                    shown(term)
                ));
                Expr::Invalid
            }
            _ => Expr::Const(term),
        }
    }

    /// A map construction, compiled in erl's order, which orders its
    /// errors (and repeats some of them, as erl compiles some parts twice).
    fn map_expr(&mut self, map: MapRef<'_>, in_guard: bool) -> Expr {
        let pairs = map.iterator_order();
        let (key_terms, value_terms): (Vec<Term>, Vec<Term>) = pairs.iter().copied().unzip();
        if map.is_hamt() {
            // erl first compiles pairs (key, value), in `maps:to_list/1`'s
            // order, until one is not constant, then every pair again.
            let pairs = map.to_list_order();
            for &(k, v) in &pairs {
                let errors = self.errors.len();
                let constant =
                    self.expr(k, in_guard).is_constant() & self.expr(v, in_guard).is_constant();
                if !constant || self.errors.len() > errors {
                    break;
                }
            }
            return Expr::Map(
                pairs
                    .iter()
                    .map(|&(k, v)| (self.expr(k, in_guard), self.expr(v, in_guard)))
                    .collect(),
            );
        }
        // A flat map: the values, last first, then the keys, last first; the
        // keys once more when only the values were constant.
        let values = self.exprs_last_first(&value_terms, in_guard);
        let mut keys = self.exprs_last_first(&key_terms, in_guard);
        let values_constant = values.iter().all(Expr::is_constant);
        if values_constant && !keys.iter().all(Expr::is_constant) {
            keys = self.exprs_last_first(&key_terms, in_guard);
        }
        Expr::Map(keys.into_vec().into_iter().zip(values.into_vec()).collect())
    }

    /// Compiles `terms` last first (erl's order, which orders its errors)
    /// and returns them in their own order.
    fn exprs_last_first(&mut self, terms: &[Term], in_guard: bool) -> Box<[Expr]> {
        let mut exprs: Vec<Expr> = terms
            .iter()
            .rev()
            .map(|&t| self.expr(t, in_guard))
            .collect();
        exprs.reverse();
        exprs.into_boxed_slice()
    }

    /// `{Name, Args...}`: a special form or a guard BIF.
    fn call(&mut self, term: Term, elements: &[Term], in_guard: bool) -> Expr {
        let name = elements[0].as_atom().map(Atom::name).unwrap_or_default();
        let args = &elements[1..];
        match name {
            "const" => {
                if args.len() == 1 {
                    Expr::Const(args[0])
                } else {
                    self.error(format!(
                        "Special form 'const' called with more than one argument in {}.",
                        shown(term)
                    ));
                    Expr::Invalid
                }
            }
            "and" | "or" | "andalso" | "andthen" | "orelse" if args.is_empty() => {
                let form = if name == "andthen" { "andalso" } else { name };
                self.error(format!(
                    "Special form '{form}' called without arguments in {}.",
                    shown(term)
                ));
                Expr::Invalid
            }
            "and" => Expr::And(self.exprs_last_first(args, in_guard)),
            "or" => Expr::Or(self.exprs_last_first(args, in_guard)),
            "andalso" | "andthen" => {
                Expr::AndAlso(args.iter().map(|&a| self.expr(a, in_guard)).collect())
            }
            "orelse" => Expr::OrElse(args.iter().map(|&a| self.expr(a, in_guard)).collect()),
            "self" => {
                if args.is_empty() {
                    Expr::SelfPid
                } else {
                    self.error(format!(
                        "Special form 'self' called with arguments in {}.",
                        shown(term)
                    ));
                    Expr::Invalid
                }
            }
            _ => {
                if let Some(&(_, form)) = TRACE_FORMS.iter().find(|(n, _)| *n == name) {
                    if !self.trace {
                        self.error(format!("Special form '{form}' used in wrong dialect."));
                        return Expr::Invalid;
                    }
                    return self.trace_form(term, name, form, args, in_guard);
                }
                let arity = args.len() as u32;
                let function = shown(elements[0]);
                match (name, arity) {
                    ("get_tcw", 0) if self.trace => return Expr::Call(get_tcw, Box::new([])),
                    ("set_tcw", 1) if self.trace && !in_guard => {
                        return Expr::Call(set_tcw_fake, self.exprs_last_first(args, in_guard))
                    }
                    _ if TRACE_ONLY_BIFS.contains(&(name, arity)) => {
                        self.error(format!(
                            "Function {function}/{arity} cannot be called in this context."
                        ));
                        return Expr::Invalid;
                    }
                    _ => {}
                }
                let native = GUARD_BIFS
                    .contains(&(name, arity))
                    .then(|| {
                        let erlang = Atom::intern("erlang").expect("an atom");
                        lookup(erlang, elements[0].as_atom()?, arity)
                    })
                    .flatten();
                match native {
                    Some(native) => Expr::Call(native, self.exprs_last_first(args, in_guard)),
                    None => {
                        self.error(format!("Function {function}/{arity} does_not_exist."));
                        Expr::Invalid
                    }
                }
            }
        }
    }
}

impl Compiler {
    /// A special form of trace specs, as `match_spec_test/3` runs it: in a
    /// BIF, so `{caller}` is `undefined`; oxbeam has no sequential tracing,
    /// so there is no token. The forms that change trace or seq_trace state
    /// are not supported.
    fn trace_form(
        &mut self,
        term: Term,
        name: &str,
        form: &str,
        args: &[Term],
        in_guard: bool,
    ) -> Expr {
        // erl checks the context first (these may not be in guards, but
        // is_seq_trace), then the arguments.
        if in_guard && name != "is_seq_trace" {
            self.error(format!("Special form '{form}' called in guard context."));
            return Expr::Invalid;
        }
        let one_argument = match name {
            "message" | "display" | "silent" => true,
            "return_trace" | "exception_trace" | "is_seq_trace" | "get_seq_token" | "caller"
            | "caller_line" => false,
            _ => {
                self.error(format!("Special form '{form}' is not supported by oxbeam."));
                return Expr::Invalid;
            }
        };
        if args.len() != usize::from(one_argument) {
            let problem = if one_argument {
                "with wrong number of arguments"
            } else {
                "with arguments"
            };
            self.error(format!(
                "Special form '{form}' called {problem} in {}.",
                shown(term)
            ));
            return Expr::Invalid;
        }
        match name {
            "message" => Expr::Message(Box::new(self.expr(args[0], in_guard))),
            "silent" => Expr::Silent(Box::new(self.expr(args[0], in_guard))),
            "display" => {
                let erlang = Atom::intern("erlang").expect("an atom");
                let display = Atom::intern("display").expect("an atom");
                match lookup(erlang, display, 1) {
                    Some(native) => Expr::Call(native, Box::new([self.expr(args[0], in_guard)])),
                    None => Expr::Const(Term::TRUE),
                }
            }
            "return_trace" => Expr::ReturnTrace,
            "exception_trace" => Expr::ExceptionTrace,
            "is_seq_trace" => Expr::Const(Term::FALSE),
            "get_seq_token" => Expr::Const(Term::NIL),
            _ => Expr::Const(Term::atom(atoms::UNDEFINED)),
        }
    }
}

/// `get_tcw()` in trace specs: the trace control word, which only
/// `erlang:system_flag/2` would set (not in oxbeam), so 0.
fn get_tcw(_: &mut Process, _: &[Term]) -> NativeResult {
    Ok(Term::small(0))
}

/// `set_tcw(Word)` as `match_spec_test/3` runs it (erl's fake, which sets
/// nothing): the old word, for a word of 32 bits.
fn set_tcw_fake(_: &mut Process, args: &[Term]) -> NativeResult {
    match args[0].as_small() {
        Some(word) if (0..=u32::MAX as i64).contains(&word) => Ok(Term::small(0)),
        _ => Err(Raised::badarg()),
    }
}

/// `erlang:match_spec_test(Term, MatchSpec, table)`: `{ok, Result, [],
/// Warnings}` (`Result` is `false` when no clause matches) or `{error,
/// Errors}`, each error `{error, String}`.
fn match_spec_test(process: &mut Process, args: &[Term]) -> NativeResult {
    let (object, spec, kind) = (args[0], args[1], args[2]);
    let trace = match kind.as_atom().map(Atom::name) {
        Some("table") => false,
        Some("trace") if object.is_list() || object.is_nil() => true,
        _ => return Err(Raised::badarg()),
    };
    let compiled = if trace {
        MatchSpec::compile_trace(spec)
    } else {
        MatchSpec::compile(spec)
    };
    let compiled = match compiled {
        Ok(compiled) => compiled,
        Err(error) => return Ok(error_result(process, &error)),
    };
    let (result, flags) = if trace {
        let outcome = compiled.run_trace(object, process).unwrap_or(TraceOutcome {
            message: Some(Term::FALSE),
            ..TraceOutcome::default()
        });
        let mut flags = Vec::new();
        if outcome.return_trace {
            flags.push(atom_term("return_trace"));
        }
        if outcome.exception_trace {
            flags.push(atom_term("exception_trace"));
        }
        let flags = build::list(&mut process.heap, &flags);
        (outcome.message.unwrap_or(Term::TRUE), flags)
    } else {
        let result = compiled.run(object, process).unwrap_or(Term::FALSE);
        (result, Term::NIL)
    };
    let ok = Term::atom(atoms::OK);
    Ok(build::tuple(
        &mut process.heap,
        &[ok, result, flags, Term::NIL],
    ))
}

fn atom_term(name: &str) -> Term {
    Term::atom(Atom::intern(name).expect("an atom"))
}

/// `{error, [{error, String}]}` for a spec that does not compile.
fn error_result(process: &mut Process, error: &MsError) -> Term {
    let heap = &mut process.heap;
    let error_atom = Term::atom(atoms::ERROR);
    let items: Vec<Term> = error
        .errors
        .iter()
        .map(|text| {
            let chars: Vec<Term> = text.chars().map(|c| Term::small(c as i64)).collect();
            let string = build::list(heap, &chars);
            build::tuple(heap, &[error_atom, string])
        })
        .collect();
    let list = build::list(heap, &items);
    build::tuple(heap, &[error_atom, list])
}

/// `ets:is_compiled_ms(Term)`: compiled specs (`ets:match_spec_compile/1`)
/// do not exist yet, so nothing is one.
fn is_compiled_ms(_: &mut Process, _: &[Term]) -> NativeResult {
    Ok(Term::FALSE)
}

pub(crate) const ERLANG_NATIVES: &[Native] = crate::natives!("erlang";
    "match_spec_test"/3 => match_spec_test,
);

pub(crate) const ETS_NATIVES: &[Native] = crate::natives!("ets";
    "is_compiled_ms"/1 => is_compiled_ms,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bif::erlang::testing::process;
    use crate::term::parse::parse_term;
    use crate::term::print::to_string;

    fn compile(p: &mut Process, text: &str) -> Result<MatchSpec, MsError> {
        let spec = parse_term(text, &mut p.heap).expect("a term");
        MatchSpec::compile(spec)
    }

    #[test]
    fn specs_are_send_and_sync() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<MatchSpec>();
    }

    /// Each spec with the errors `ets:test_ms({a, b}, Spec)` gives on erl.
    #[test]
    fn invalid_specs_give_erls_errors() {
        let cases: &[(&str, &[&str])] = &[
            ("not_a_list", &["Match programs are not in a list."]),
            (
                "[{'_', [], [x]} | tail]",
                &["Match programs are not in a proper list."],
            ),
            (
                "[{'_', []}]",
                &["Match program part is not a tuple of arity 3."],
            ),
            ("[{'_', [], []}]", &["Body clause does not return anything."]),
            ("[{'_', [], x}]", &["Body clause does not return anything."]),
            (
                "[{'_', x, x}]",
                &[
                    "Match expression is not a list.",
                    "Body clause does not return anything.",
                ],
            ),
            (
                "[{'_', [true | x], [x]}]",
                &["Match expression is not a proper list."],
            ),
            (
                "[{'_', ['$2'], ['$1']}]",
                &["Variable $2 is unbound.", "Variable $1 is unbound."],
            ),
            ("[{'_', [], [{foo, 1}]}]", &["Function foo/1 does_not_exist."]),
            (
                "[{'_', [], [{1, 2}]}]",
                &["{1,2} is neither a function call, nor a tuple (tuples are written {{ ... }})."],
            ),
            (
                "[{'_', [], [{'and'}]}]",
                &["Special form 'and' called without arguments in {and}."],
            ),
            (
                "[{'_', [], [{return_trace}]}]",
                &["Special form 'return_trace' used in wrong dialect."],
            ),
            (
                "[{'_', [], [{set_seq_token, label, 1}]}]",
                &["Special form 'set_seq_trace' used in wrong dialect."],
            ),
            (
                "[{'_', [], [{get_tcw}]}]",
                &["Function get_tcw/0 cannot be called in this context."],
            ),
            ("[{#{'_' => a}, [], [x]}]", &["Underscore found in map key."]),
            (
                "[{'_', [{'and', '$1', '$2', '$3'}], [{foo}, '$4']}]",
                &[
                    "Variable $3 is unbound.",
                    "Variable $2 is unbound.",
                    "Variable $1 is unbound.",
                    "Function foo/0 does_not_exist.",
                    "Variable $4 is unbound.",
                ],
            ),
            (
                "[{{'$1'}, [], [x]}, {'_', [], ['$1']}, {'_', [], ['$2']}]",
                &["Variable $1 is unbound."],
            ),
            (
                "[{'_', [], [{const, [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16], 2}]}]",
                &["Special form 'const' called with more than one argument in {const,[1,2,3,4,5,6,7,8,9,10,11,12,13,14"],
            ),
        ];
        let mut p = process();
        for &(spec, expected) in cases {
            let error = compile(&mut p, spec)
                .err()
                .unwrap_or_else(|| panic!("{spec} compiles"));
            assert_eq!(error.errors, expected, "{spec}");
            assert!(!error.system_limit);
        }
    }

    #[test]
    fn deep_nesting_is_a_system_limit() {
        let mut p = process();
        // {{ {{ ... x ... }} }} in a body, deeper than the limit.
        let mut body = Term::atom(atoms::OK);
        for _ in 0..MAX_DEPTH + 10 {
            let inner = build::tuple(&mut p.heap, &[body]);
            body = build::tuple(&mut p.heap, &[inner]);
        }
        let spec = parse_term("[{'_', [], [x]}]", &mut p.heap).unwrap();
        let (clause, _) = spec.as_cons().unwrap();
        let parts = clause.as_tuple().unwrap();
        let body_list = build::list(&mut p.heap, &[body]);
        let clause = build::tuple(&mut p.heap, &[parts[0], parts[1], body_list]);
        let spec = build::list(&mut p.heap, &[clause]);
        let error = MatchSpec::compile(spec).err().expect("too deep");
        assert!(error.system_limit);
        assert_eq!(to_string(error.raised().reason), "system_limit");
    }

    fn keys(spec: &MatchSpec, keypos: usize) -> Option<String> {
        let keys = spec.bound_keys(keypos)?;
        Some(
            keys.iter()
                .map(|&k| to_string(k))
                .collect::<Vec<_>>()
                .join(" "),
        )
    }

    #[test]
    fn bound_keys_of_clauses() {
        let mut p = process();
        let spec = compile(
            &mut p,
            "[{{a, '_'}, [], ['$_']}, {{{b, 1}, '$1'}, [], ['$1']}, {{a, x}, [], [y]}]",
        )
        .unwrap();
        assert_eq!(keys(&spec, 1).as_deref(), Some("a {b,1}"));
        assert_eq!(keys(&spec, 2), None);
        assert_eq!(keys(&spec, 0), None);
        // Tuples too small match no object with a key at 3.
        assert_eq!(keys(&spec, 3).as_deref(), Some(""));

        let open = compile(&mut p, "[{{a, '_'}, [], [x]}, {'$1', [], [x]}]").unwrap();
        assert_eq!(keys(&open, 1), None);
        let wild = compile(&mut p, "[{{'_', k}, [], [x]}]").unwrap();
        assert_eq!(keys(&wild, 1), None);
        // A map in the key matches maps with more keys: no lookup.
        let map = compile(&mut p, "[{{#{a => 1}, k}, [], [x]}]").unwrap();
        assert_eq!(keys(&map, 1), None);
        // Heads that are no tuples match no object.
        let other = compile(
            &mut p,
            "[{[a], [], [x]}, {atom, [], [x]}, {{k, 1.0}, [], [x]}]",
        )
        .unwrap();
        assert_eq!(keys(&other, 1).as_deref(), Some("k"));
        assert_eq!(keys(&other, 2).as_deref(), Some("1.0"));

        let pattern = parse_term("{'$1', x, [y]}", &mut p.heap).unwrap();
        let spec = MatchSpec::for_pattern(pattern, PatternReturns::Bindings).unwrap();
        assert_eq!(keys(&spec, 1), None);
        assert_eq!(keys(&spec, 3).as_deref(), Some("[y]"));
    }

    #[test]
    fn patterns_return_bindings_or_objects() {
        let mut p = process();
        let pattern = parse_term("{'$2', '_', '$1', #{k => '$3'}}", &mut p.heap).unwrap();
        let object = parse_term("{a, b, [c], #{k => v, z => 1}}", &mut p.heap).unwrap();
        let bindings = MatchSpec::for_pattern(pattern, PatternReturns::Bindings).unwrap();
        let objects = MatchSpec::for_pattern(pattern, PatternReturns::Object).unwrap();
        let result = bindings.run(object, &mut p).unwrap();
        assert_eq!(to_string(result), "[[c],a,v]");
        let whole = objects.run(object, &mut p).unwrap();
        // A copy, not the object itself.
        assert!(whole != object && exact_eq(whole, object));
        let other = parse_term("{a, b, c}", &mut p.heap).unwrap();
        assert!(objects.run(other, &mut p).is_none());
        let bad = parse_term("{#{'$1' => x}}", &mut p.heap).unwrap();
        let error = MatchSpec::for_pattern(bad, PatternReturns::Object)
            .err()
            .unwrap();
        assert_eq!(error.errors, ["Variable found in map key."]);
    }

    #[test]
    fn specs_outlive_their_source_terms() {
        let mut p = process();
        let spec = compile(
            &mut p,
            "[{{'$1', '_'}, [], [{{'$1', {const, {big, 1.5}}}}]}]",
        )
        .unwrap();
        // Another process runs it: constants live in the spec.
        let mut q = process();
        let object = parse_term("{k, v}", &mut q.heap).unwrap();
        drop(p);
        assert_eq!(
            to_string(spec.run(object, &mut q).unwrap()),
            "{k,{big,1.5}}"
        );
    }

    /// Which specs `ets:select_replace/2` accepts on a `set` table (key
    /// position 1) on erl: a count, or `badarg` for those that may change
    /// the key.
    #[test]
    fn keeps_key_as_select_replace_decides() {
        let cases: &[(&str, bool)] = &[
            ("[{{'$1', '$2'}, [], ['$_']}]", true),
            ("[{'_', [], ['$_']}]", true),
            ("[{{'$1', '$2'}, [], [{{'$1', x}}]}]", true),
            ("[{{'$1', '$2'}, [], [{{'$2', x}}]}]", false),
            ("[{{'$1', '$2'}, [], [{{{element, 1, '$_'}, x}}]}]", true),
            ("[{{'$1', '$2'}, [], [{{{element, 2, '$_'}, x}}]}]", false),
            ("[{{a, '$2'}, [], [{{a, x}}]}]", true),
            ("[{{a, '$2'}, [], [{const, {a, x}}]}]", true),
            ("[{{'$1', '$2'}, [], [{const, {'$1', x}}]}]", false),
            ("[{{'_', '$2'}, [], [{{'_', x}}]}]", false),
            ("[{{'$1', '$2'}, [], [{{'$1', x}}, '$_']}]", false),
            ("[{{{'$1', b}, '$2'}, [], [{{{{'$1', b}}, x}}]}]", true),
            ("[{{{'$1', b}, '$2'}, [], [{{{'$1', b}, x}}]}]", false),
            (
                "[{{{'$1', b}, '$2'}, [], [{{{const, {'$1', b}}, x}}]}]",
                false,
            ),
            ("[{{[a, '$1'], '$2'}, [], [{{[a, '$1'], x}}]}]", true),
            ("[{{#{a => '$1'}, '$2'}, [], [{{#{a => '$1'}, x}}]}]", false),
            ("[{{<<\"k\">>, '$2'}, [], [{{<<\"k\">>, x}}]}]", true),
            (
                "[{{'$1', '$2'}, [], [{{'$1', x}}]}, {'_', [], [{{y, x}}]}]",
                false,
            ),
            ("[]", true),
            ("[{{'$1'}, [], [{{'$1'}}]}]", true),
        ];
        let mut p = process();
        for &(spec, expected) in cases {
            let term = parse_term(spec, &mut p.heap).expect("a term");
            assert_eq!(keeps_key(term, 1), expected, "{spec}");
        }
    }
}
