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

mod compile;
mod natives;
mod replace;
mod run;
#[cfg(test)]
mod tests;

use compile::Compiler;
pub(crate) use natives::{ERLANG_NATIVES, ETS_NATIVES};
pub use replace::keeps_key;
use run::{match_pat, Run, Scratch, TraceOutcome, EXIT, SCRATCH};

use crate::bif::{NativeFn, Raised};
use crate::heap::{copy_term, LiteralArea};
use crate::term::{build, order::exact_eq, Term};
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
        let mut compiler = Compiler::for_trace();
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
