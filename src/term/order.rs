//! Term order and equality, as OTP 25's `erts_cmp` defines them.
//!
//! `number < atom < reference < fun < port < pid < tuple < map < [] <
//! non-empty list < bitstring`; within a type:
//!
//! - numbers by value, integers against floats exactly (no rounding); in the
//!   exact order (`=:=`, map keys) every integer is below every float.
//!   `-0.0` and `0.0` are equal in both orders, as in OTP 25.
//! - atoms by their UTF-8 text, bytewise.
//! - references by node name, creation, then id words from the most
//!   significant down (missing high words count as 0).
//! - funs: local funs before export funs; local ones by module, index, old
//!   uniq, number of free variables, then the free variables; export funs by
//!   module, function, arity.
//! - ports by node name, creation, number; pids by serial, number, node name,
//!   creation (a local pid or port belongs to node `nonode@nohost`, creation 0).
//! - tuples by size, then elements; lists element by element, then the tails.
//! - maps by size, then their keys in key order compared exactly, then the
//!   values in key order. HAMTs are compared the way OTP does it (walking both
//!   in hash order and keeping the smallest key that decides), which gives
//!   that same result without sorting.
//! - bitstrings bit by bit, a proper prefix first.
//!
//! Comparison runs on an explicit work stack, so deep terms do not grow the
//! Rust stack.

use std::cmp::Ordering;

use num_bigint::{BigInt, BigUint};
use num_traits::FromPrimitive;

use super::map::{self, Node};
use super::{atoms, Atom, Bitstring, MapRef, Term, View};

/// Erlang term order with arithmetic comparison of numbers (`<`, `==`):
/// `1 == 1.0` is `Equal`.
pub fn compare(a: Term, b: Term) -> Ordering {
    Comparison::run(a, b, false)
}

/// Exact term order (`=:=`, and the order of map keys): `1` and `1.0` differ,
/// and every integer sorts before every float.
pub fn compare_exact(a: Term, b: Term) -> Ordering {
    Comparison::run(a, b, true)
}

/// `A == B`.
pub fn eq(a: Term, b: Term) -> bool {
    compare(a, b) == Ordering::Equal
}

/// `A =:= B`.
pub fn exact_eq(a: Term, b: Term) -> bool {
    compare_exact(a, b) == Ordering::Equal
}

/// Work left in a comparison. `exact` says which order applies.
enum Task<'a> {
    Pair(Term, Term, bool),
    /// Two equally long runs of elements, compared left to right.
    Elements(&'a [Term], &'a [Term], bool),
    /// The sub-comparison of the innermost [`HamtComparison`] ended equal.
    Resume,
}

/// A comparison in progress.
struct Comparison<'a> {
    tasks: Vec<Task<'a>>,
    hamts: Vec<HamtComparison>,
}

impl<'a> Comparison<'a> {
    fn run(a: Term, b: Term, exact: bool) -> Ordering {
        if a == b {
            return Ordering::Equal;
        }
        let mut cmp = Comparison {
            tasks: vec![Task::Pair(a, b, exact)],
            hamts: Vec::new(),
        };
        loop {
            let mut outcome = match cmp.tasks.pop() {
                None => return Ordering::Equal,
                Some(Task::Pair(a, b, exact)) => cmp.pair(a, b, exact),
                Some(Task::Elements(xs, ys, exact)) => match (xs.split_first(), ys.split_first())
                {
                    (Some((&x, xs)), Some((&y, ys))) => {
                        if !xs.is_empty() {
                            cmp.tasks.push(Task::Elements(xs, ys, exact));
                        }
                        cmp.pair(x, y, exact)
                    }
                    _ => Ordering::Equal,
                },
                Some(Task::Resume) => cmp.resume_hamt(Ordering::Equal),
            };
            // A difference ends the comparison, unless a HAMT comparison
            // asked for it: then it is that comparison's answer.
            while outcome.is_ne() {
                loop {
                    match cmp.tasks.pop() {
                        None => return outcome,
                        Some(Task::Resume) => break,
                        Some(_) => {}
                    }
                }
                outcome = cmp.resume_hamt(outcome);
            }
        }
    }

    /// Compares `a` and `b` one level deep; pushes what remains to compare.
    fn pair(&mut self, a: Term, b: Term, exact: bool) -> Ordering {
        if a == b {
            return Ordering::Equal;
        }
        let (va, vb) = (a.view(), b.view());
        let (ra, rb) = (rank(&va), rank(&vb));
        if ra != rb {
            return ra.cmp(&rb);
        }
        match (va, vb) {
            (View::Atom(x), View::Atom(y)) => compare_atoms(x, y),
            (View::Cons(ha, ta), View::Cons(hb, tb)) => {
                self.tasks.push(Task::Pair(ta, tb, exact));
                self.tasks.push(Task::Pair(ha, hb, exact));
                Ordering::Equal
            }
            (View::Tuple(xs), View::Tuple(ys)) => self.elements(xs, ys, exact),
            (View::Map(x), View::Map(y)) => self.maps(x, y, exact),
            (View::Bitstring(x), View::Bitstring(y)) => compare_bits(&x, &y),
            (View::Ref(x), View::Ref(y)) => compare_nodes(x.node, x.creation, y.node, y.creation)
                .then_with(|| {
                    let (xs, ys): (Vec<u32>, Vec<u32>) = (x.ids().collect(), y.ids().collect());
                    (0..xs.len().max(ys.len())).rev().fold(Ordering::Equal, |acc, i| {
                        acc.then_with(|| {
                            let id = |v: &[u32]| v.get(i).copied().unwrap_or(0);
                            id(&xs).cmp(&id(&ys))
                        })
                    })
                }),
            (View::Fun(x), View::Fun(y)) => {
                let (ex, ey) = (x.entry, y.entry);
                let by_identity = compare_atoms(ex.module, ey.module)
                    .then((ex.index as i32).cmp(&(ey.index as i32)))
                    // OTP subtracts the two ints; keep its wrap-around.
                    .then((ex.old_uniq as i32).wrapping_sub(ey.old_uniq as i32).cmp(&0))
                    .then(x.free.len().cmp(&y.free.len()));
                by_identity.then_with(|| self.elements(x.free, y.free, exact))
            }
            (View::Export(x), View::Export(y)) => compare_atoms(x.module, y.module)
                .then_with(|| compare_atoms(x.function, y.function))
                .then(x.arity.cmp(&y.arity)),
            (View::Fun(_), View::Export(_)) => Ordering::Less,
            (View::Export(_), View::Fun(_)) => Ordering::Greater,
            (x, y) if ra == Rank::Number => compare_numbers(&x, &y, exact),
            (x, y) if ra == Rank::Port => {
                let (nx, cx, px) = port_parts(&x);
                let (ny, cy, py) = port_parts(&y);
                compare_nodes(nx, cx, ny, cy).then(px.cmp(&py))
            }
            (x, y) if ra == Rank::Pid => {
                let (nx, cx, numx, serx) = pid_parts(&x);
                let (ny, cy, numy, sery) = pid_parts(&y);
                serx.cmp(&sery)
                    .then(numx.cmp(&numy))
                    .then_with(|| compare_nodes(nx, cx, ny, cy))
            }
            // [] against [], and what is not a real term (catch tags, match
            // contexts): by word.
            _ => a.raw().cmp(&b.raw()),
        }
    }

    /// Queues two element runs; `Less`/`Greater` if their lengths differ.
    fn elements(&mut self, xs: &'a [Term], ys: &'a [Term], exact: bool) -> Ordering {
        let by_len = xs.len().cmp(&ys.len());
        if by_len.is_eq() && !xs.is_empty() {
            self.tasks.push(Task::Elements(xs, ys, exact));
        }
        by_len
    }

    fn maps(&mut self, x: MapRef<'a>, y: MapRef<'a>, exact: bool) -> Ordering {
        let by_size = x.len().cmp(&y.len());
        if by_size.is_ne() {
            return by_size;
        }
        match (map::node_of(x), map::node_of(y)) {
            (
                Node::Flat {
                    keys: kx,
                    values: vx,
                },
                Node::Flat {
                    keys: ky,
                    values: vy,
                },
            ) => {
                // Keys (exactly) first, then the values.
                if !vx.is_empty() {
                    self.tasks.push(Task::Elements(vx, vy, exact));
                    self.tasks.push(Task::Elements(kx, ky, true));
                }
                Ordering::Equal
            }
            (Node::Hamt { .. }, Node::Hamt { .. }) => {
                let hamt = HamtComparison {
                    a: map::hash_order_pairs(x),
                    b: map::hash_order_pairs(y),
                    ia: 0,
                    ib: 0,
                    values_exact: exact,
                    min_key: Term::NIL,
                    result: Ordering::Equal,
                    step: HamtStep::KeysEqual,
                };
                let (ka, kb) = (hamt.a[0].0, hamt.b[0].0);
                self.hamts.push(hamt);
                self.sub(ka, kb, true)
            }
            // A flat map and a HAMT of the same size: not made by
            // `map::from_pairs`; order by representation.
            (Node::Flat { .. }, _) => Ordering::Less,
            (_, Node::Flat { .. }) => Ordering::Greater,
        }
    }

    /// Asks for the comparison of `a` and `b` on behalf of the innermost
    /// HAMT comparison, which gets the answer in [`Comparison::resume_hamt`].
    fn sub(&mut self, a: Term, b: Term, exact: bool) -> Ordering {
        self.tasks.push(Task::Resume);
        self.tasks.push(Task::Pair(a, b, exact));
        Ordering::Equal
    }

    /// Hands `answer` to the innermost HAMT comparison; returns `Equal` when
    /// it continues (or ended equal), its result when it ended otherwise.
    fn resume_hamt(&mut self, answer: Ordering) -> Ordering {
        let h = self.hamts.last_mut().expect("a Resume task has its HAMT comparison");
        let next = h.advance(answer);
        match next {
            Next::Compare(a, b, exact) => self.sub(a, b, exact),
            Next::Done(result) => {
                self.hamts.pop();
                result
            }
        }
    }
}

/// Comparison of two HAMTs of the same size, as OTP 25 does it. Both are
/// walked in hash order. Phase 1, while the keys match: compare values,
/// keeping the smallest key whose values differ. Phase 2, once the key sets
/// differ: ignore values, advance whichever side is behind in hash order
/// and keep the smallest key found in only one map; the map holding it is
/// the smaller one.
struct HamtComparison {
    a: Vec<(Term, Term)>,
    b: Vec<(Term, Term)>,
    ia: usize,
    ib: usize,
    values_exact: bool,
    /// The smallest deciding key so far, and what it decides.
    min_key: Term,
    result: Ordering,
    /// What the pending sub-comparison was.
    step: HamtStep,
}

#[derive(Clone, Copy)]
enum HamtStep {
    /// Phase 1: are `a[ia]` and `b[ib]` the same key?
    KeysEqual,
    /// Phase 1: is the key below `min_key`?
    IsMinKey,
    /// Phase 1: the values under the same key.
    Values,
    /// Phase 2: are `a[ia]` and `b[ib]` the same key?
    SkipEqualKeys,
    /// Phase 2: is `a[ia]` (resp. `b[ib]`) below `min_key`?
    IsMinKeyA,
    IsMinKeyB,
}

enum Next {
    Compare(Term, Term, bool),
    Done(Ordering),
}

impl HamtComparison {
    fn advance(&mut self, answer: Ordering) -> Next {
        match self.step {
            HamtStep::KeysEqual if answer.is_ne() => {
                if map::hash_path_cmp(self.a[self.ia].0, self.b[self.ib].0).is_lt() {
                    self.min_key = self.a[self.ia].0;
                    self.result = Ordering::Less;
                    self.ia += 1;
                } else {
                    self.min_key = self.b[self.ib].0;
                    self.result = Ordering::Greater;
                    self.ib += 1;
                }
                self.phase2_next_pair()
            }
            HamtStep::KeysEqual if self.result.is_ne() => {
                self.ask(HamtStep::IsMinKey, self.a[self.ia].0, self.min_key, true)
            }
            HamtStep::KeysEqual => self.ask_values(),
            HamtStep::IsMinKey if answer.is_lt() => self.ask_values(),
            HamtStep::IsMinKey => self.phase1_next_pair(),
            HamtStep::Values => {
                if answer.is_ne() {
                    self.result = answer;
                    self.min_key = self.a[self.ia].0;
                }
                self.phase1_next_pair()
            }
            HamtStep::SkipEqualKeys if answer.is_eq() => {
                self.ia += 1;
                self.ib += 1;
                self.phase2_next_pair()
            }
            HamtStep::SkipEqualKeys => self.phase2_step(),
            HamtStep::IsMinKeyA => {
                if answer.is_lt() {
                    self.min_key = self.a[self.ia].0;
                    self.result = Ordering::Less;
                }
                self.ia += 1;
                self.phase2_next_pair()
            }
            HamtStep::IsMinKeyB => {
                if answer.is_lt() {
                    self.min_key = self.b[self.ib].0;
                    self.result = Ordering::Greater;
                }
                self.ib += 1;
                self.phase2_next_pair()
            }
        }
    }

    fn ask(&mut self, step: HamtStep, a: Term, b: Term, exact: bool) -> Next {
        self.step = step;
        Next::Compare(a, b, exact)
    }

    fn ask_values(&mut self) -> Next {
        let (va, vb) = (self.a[self.ia].1, self.b[self.ib].1);
        self.ask(HamtStep::Values, va, vb, self.values_exact)
    }

    fn phase1_next_pair(&mut self) -> Next {
        self.ia += 1;
        self.ib += 1;
        match (self.a.get(self.ia), self.b.get(self.ib)) {
            (Some(&(ka, _)), Some(&(kb, _))) => self.ask(HamtStep::KeysEqual, ka, kb, true),
            _ => Next::Done(self.result),
        }
    }

    fn phase2_next_pair(&mut self) -> Next {
        match (self.a.get(self.ia), self.b.get(self.ib)) {
            (Some(&(ka, _)), Some(&(kb, _))) => self.ask(HamtStep::SkipEqualKeys, ka, kb, true),
            _ => self.phase2_step(),
        }
    }

    /// Moves the side that is behind in hash order.
    fn phase2_step(&mut self) -> Next {
        let behind_a = match (self.a.get(self.ia), self.b.get(self.ib)) {
            (None, None) => return Next::Done(self.result),
            (Some(&(ka, _)), Some(&(kb, _))) => map::hash_path_cmp(ka, kb).is_lt(),
            (a, _) => a.is_some(),
        };
        if behind_a {
            self.ask(HamtStep::IsMinKeyA, self.a[self.ia].0, self.min_key, true)
        } else {
            self.ask(HamtStep::IsMinKeyB, self.b[self.ib].0, self.min_key, true)
        }
    }
}

/// The type classes of term order, in order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Rank {
    /// Not a real term (catch tag, match context).
    Internal,
    Number,
    Atom,
    Ref,
    Fun,
    Port,
    Pid,
    Tuple,
    Map,
    Nil,
    List,
    Bitstring,
}

fn rank(v: &View<'_>) -> Rank {
    match v {
        View::Small(_) | View::Big { .. } | View::Float(_) => Rank::Number,
        View::Atom(_) => Rank::Atom,
        View::Ref(_) => Rank::Ref,
        View::Fun(_) | View::Export(_) => Rank::Fun,
        View::Port(_) | View::ExternalPort { .. } => Rank::Port,
        View::Pid(_) | View::ExternalPid { .. } => Rank::Pid,
        View::Tuple(_) => Rank::Tuple,
        View::Map(_) => Rank::Map,
        View::Nil => Rank::Nil,
        View::Cons(..) => Rank::List,
        View::Bitstring(_) => Rank::Bitstring,
        View::Catch(_) | View::MatchContext => Rank::Internal,
    }
}

/// Atoms by text: erts compares UTF-8 bytes, which is `str` order.
fn compare_atoms(a: Atom, b: Atom) -> Ordering {
    if a == b {
        Ordering::Equal
    } else {
        a.name().cmp(b.name())
    }
}

/// Nodes by name, then creation.
fn compare_nodes(na: Atom, ca: u32, nb: Atom, cb: u32) -> Ordering {
    compare_atoms(na, nb).then(ca.cmp(&cb))
}

/// Node, creation and number of a port.
fn port_parts(v: &View<'_>) -> (Atom, u32, u64) {
    match *v {
        View::ExternalPort {
            node,
            number,
            creation,
        } => (node, creation, number),
        View::Port(number) => (atoms::NONODE, 0, number),
        _ => unreachable!("a port"),
    }
}

/// Node, creation, number and serial of a pid.
fn pid_parts(v: &View<'_>) -> (Atom, u32, u32, u32) {
    match *v {
        View::ExternalPid {
            node,
            number,
            serial,
            creation,
        } => (node, creation, number, serial),
        View::Pid(p) => (atoms::NONODE, 0, p.number, p.serial),
        _ => unreachable!("a pid"),
    }
}

/// erts' float comparison (Erlang floats are never NaN).
fn compare_floats(x: f64, y: f64) -> Ordering {
    if x < y {
        Ordering::Less
    } else if x == y {
        Ordering::Equal
    } else {
        Ordering::Greater
    }
}

/// Two bignums (normalised: outside the small range).
fn compare_bigs(na: bool, la: &[u64], nb: bool, lb: &[u64]) -> Ordering {
    let magnitude = || la.len().cmp(&lb.len()).then_with(|| la.iter().rev().cmp(lb.iter().rev()));
    match (na, nb) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (false, false) => magnitude(),
        (true, true) => magnitude().reverse(),
    }
}

/// An integer term against a float, exactly.
fn compare_int_float(int: &View<'_>, f: f64) -> Ordering {
    let whole = f.trunc();
    let fraction = f - whole;
    let by_whole = match *int {
        View::Small(i) => {
            const TWO_63: f64 = 9_223_372_036_854_775_808.0;
            if whole >= TWO_63 {
                Ordering::Less
            } else if whole < -TWO_63 {
                Ordering::Greater
            } else {
                i.cmp(&(whole as i64))
            }
        }
        View::Big { negative, limbs } => {
            let digits = limbs.iter().flat_map(|&l| [l as u32, (l >> 32) as u32]);
            let magnitude = BigInt::from(BigUint::new(digits.collect()));
            let int = if negative { -magnitude } else { magnitude };
            match BigInt::from_f64(whole) {
                Some(w) => int.cmp(&w),
                None => Ordering::Equal,
            }
        }
        _ => unreachable!("an integer"),
    };
    by_whole.then(compare_floats(0.0, fraction))
}

fn compare_numbers(x: &View<'_>, y: &View<'_>, exact: bool) -> Ordering {
    match (*x, *y) {
        (View::Small(a), View::Small(b)) => a.cmp(&b),
        (View::Small(_), View::Big { negative, .. }) => {
            if negative {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (View::Big { negative, .. }, View::Small(_)) => {
            if negative {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
        (
            View::Big {
                negative: na,
                limbs: la,
            },
            View::Big {
                negative: nb,
                limbs: lb,
            },
        ) => compare_bigs(na, la, nb, lb),
        (View::Float(a), View::Float(b)) => compare_floats(a, b),
        // In exact order an integer is below every float.
        (_, View::Float(_)) if exact => Ordering::Less,
        (View::Float(_), _) if exact => Ordering::Greater,
        (int, View::Float(f)) => compare_int_float(&int, f),
        (View::Float(f), int) => compare_int_float(&int, f).reverse(),
        _ => unreachable!("numbers"),
    }
}

/// Bitstrings bit by bit; a proper prefix sorts first.
fn compare_bits(a: &Bitstring<'_>, b: &Bitstring<'_>) -> Ordering {
    let common = a.bit_len.min(b.bit_len);
    let whole = (common / 8) as usize;
    let by_bytes = if a.bit_offset == 0 && b.bit_offset == 0 {
        a.bytes[..whole].cmp(&b.bytes[..whole])
    } else {
        (0..whole).map(|i| a.byte(i)).cmp((0..whole).map(|i| b.byte(i)))
    };
    let rest = (common % 8) as u32;
    by_bytes
        .then_with(|| {
            if rest == 0 {
                return Ordering::Equal;
            }
            let mask = 0xFFu8 << (8 - rest);
            (a.byte(whole) & mask).cmp(&(b.byte(whole) & mask))
        })
        .then(a.bit_len.cmp(&b.bit_len))
}
