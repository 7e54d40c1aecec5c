//! Running compiled clauses: head matching and the evaluation of guards and
//! bodies.

use std::cell::RefCell;

use super::{Clause, Expr, Pat};
use crate::term::{atoms, build, map, order::exact_eq, MapRef, Term, View};
use crate::vm::process::Process;
/// `'EXIT'`: the value of a failing body expression.
pub(super) const EXIT: Term = Term::atom(atoms::EXIT);

/// The reusable buffers of a run: variable bindings and the evaluation
/// stack of constructed terms.
#[derive(Default)]
pub(super) struct Scratch {
    pub(super) vars: Vec<Term>,
    stack: Vec<Term>,
    pairs: Vec<(Term, Term)>,
}

thread_local! {
    pub(super) static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Matches `term` against `pat`, binding slots in `vars`.
pub(super) fn match_pat(pat: &Pat, term: Term, vars: &mut [Term]) -> bool {
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
pub(super) struct Run<'a> {
    pub(super) object: Term,
    pub(super) clause: &'a Clause,
    pub(super) process: &'a mut Process,
    pub(super) scratch: &'a mut Scratch,
    /// What a trace spec's body did.
    pub(super) trace: TraceOutcome,
}

/// The result of a trace spec's body: `{message, M}`'s last `M`, and the
/// flags `{return_trace}` and `{exception_trace}` set.
#[derive(Default)]
pub(super) struct TraceOutcome {
    pub(super) message: Option<Term>,
    pub(super) return_trace: bool,
    pub(super) exception_trace: bool,
}

/// A guard expression failed (in a guard, the clause does not match).
pub(super) struct Failed;

impl Run<'_> {
    /// Evaluates `expr`. In a body (`catching`), a failing part evaluates
    /// to `'EXIT'` instead of failing.
    pub(super) fn eval(&mut self, expr: &Expr, catching: bool) -> Result<Term, Failed> {
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
