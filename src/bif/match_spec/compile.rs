//! The compiler: heads to [`Pat`] trees, guards and bodies to [`Expr`]
//! trees, and erl's error strings for invalid specs.

use std::collections::HashMap;

use super::{Clause, Expr, MsError, Pat};
use crate::bif::erlang::display::display_text;
use crate::bif::{lookup, NativeResult, Raised};
use crate::term::{atoms, Atom, MapRef, Term, View};
use crate::vm::process::Process;
/// `term` as erts's `%T` prints it (error strings are built with it), one
/// character per byte.
fn shown(term: Term) -> String {
    display_text(term).into_iter().map(char::from).collect()
}

/// Deepest nesting of heads, guards and bodies the compiler accepts (erl's
/// limit is its C stack; ours keeps the Rust stack of the compiler and the
/// runner safe).
pub(super) const MAX_DEPTH: usize = 1000;

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
pub(super) struct Compiler {
    /// The `trace` dialect (`erlang:match_spec_test(Args, Spec, trace)`).
    pub(super) trace: bool,
    pub(super) errors: Vec<String>,
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
pub(super) fn variable_number(term: Term) -> Option<u64> {
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

pub(super) fn is_atom_named(term: Term, name: &str) -> bool {
    term.as_atom().is_some_and(|a| a.name() == name)
}

impl Compiler {
    /// A compiler of the `trace` dialect.
    pub(super) fn for_trace() -> Compiler {
        Compiler {
            trace: true,
            ..Compiler::default()
        }
    }

    fn error(&mut self, message: String) {
        self.errors
            .push(message.chars().take(ERROR_STRING_MAX).collect());
    }

    pub(super) fn into_error(self) -> MsError {
        MsError {
            errors: self.errors,
            system_limit: self.system_limit,
        }
    }

    /// The clauses of a spec; `None` (with an error) when it is not a
    /// proper list of 3-tuples or a clause has errors.
    pub(super) fn spec(&mut self, spec: Term) -> Option<Vec<Clause>> {
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
    pub(super) fn clause_parts(
        &mut self,
        head: Term,
        guards: Term,
        body: Option<Term>,
    ) -> Option<Clause> {
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
