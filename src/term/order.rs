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
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        return x.cmp(&y);
    }
    if let (Some(x), Some(y)) = (a.as_atom(), b.as_atom()) {
        return compare_atoms(x, y);
    }
    Comparison::run(a, b, false)
}

/// Exact term order (`=:=`, and the order of map keys): `1` and `1.0` differ,
/// and every integer sorts before every float.
pub fn compare_exact(a: Term, b: Term) -> Ordering {
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        return x.cmp(&y);
    }
    if let (Some(x), Some(y)) = (a.as_atom(), b.as_atom()) {
        return compare_atoms(x, y);
    }
    Comparison::run(a, b, true)
}

/// Equality decided from the words alone: the same word is the same term,
/// and two different immediates are never equal (a float equal to an
/// integer is boxed). `None` when the terms must be compared.
#[inline]
fn equal_by_word(a: Term, b: Term) -> Option<bool> {
    if a == b {
        Some(true)
    } else if a.is_immediate() && b.is_immediate() {
        Some(false)
    } else {
        None
    }
}

/// `A == B`.
pub fn eq(a: Term, b: Term) -> bool {
    equal_by_word(a, b).unwrap_or_else(|| compare(a, b) == Ordering::Equal)
}

/// `A =:= B`. An immediate is exactly equal to nothing but its own word.
pub fn exact_eq(a: Term, b: Term) -> bool {
    if a == b {
        true
    } else if a.is_immediate() || b.is_immediate() {
        false
    } else {
        compare_exact(a, b) == Ordering::Equal
    }
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
        // The stacks only allocate once something is pushed: comparing two
        // immediates or floats costs no allocation.
        let mut cmp = Comparison {
            tasks: Vec::new(),
            hamts: Vec::new(),
        };
        let mut outcome = cmp.pair(a, b, exact);
        loop {
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
            outcome = match cmp.tasks.pop() {
                None => return Ordering::Equal,
                Some(Task::Pair(a, b, exact)) => cmp.pair(a, b, exact),
                Some(Task::Elements(xs, ys, exact)) => match (xs.split_first(), ys.split_first()) {
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
                    (0..xs.len().max(ys.len()))
                        .rev()
                        .fold(Ordering::Equal, |acc, i| {
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
                    .then(
                        (ex.old_uniq as i32)
                            .wrapping_sub(ey.old_uniq as i32)
                            .cmp(&0),
                    )
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
                    // A HAMT's iterator order is its hash order.
                    a: x.iterator_order(),
                    b: y.iterator_order(),
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
        let h = self
            .hamts
            .last_mut()
            .expect("a Resume task has its HAMT comparison");
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
    let magnitude = || {
        la.len()
            .cmp(&lb.len())
            .then_with(|| la.iter().rev().cmp(lb.iter().rev()))
    };
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
        (0..whole)
            .map(|i| a.byte(i))
            .cmp((0..whole).map(|i| b.byte(i)))
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

#[cfg(test)]
pub(crate) mod tests {
    //! Expected orders come from `erl` (OTP 25.2.3), as said over each test.

    use std::cmp::Ordering::{self, Equal, Greater, Less};

    use super::*;
    use crate::code::{export_entry, fun_entry};
    use crate::heap::LiteralArea;
    use crate::term::map::from_pairs;
    use crate::term::{build, LocalPid};

    fn atom(name: &str) -> Term {
        Term::atom(Atom::intern(name).unwrap())
    }

    fn map(area: &mut LiteralArea, pairs: &[(Term, Term)]) -> Term {
        from_pairs(area, pairs).0
    }

    /// `Terms` of the Erlang module below (`oxg:terms()`), built here in the
    /// same order.
    ///
    /// ```erlang
    /// ref(Node, Cr, Ids) ->       % a ref with these ids (NEWER_REFERENCE_EXT)
    ///     N = atom_to_binary(Node),
    ///     binary_to_term(<<131, 90, (length(Ids)):16, 119, (byte_size(N)), N/binary,
    ///                      Cr:32, << <<I:32>> || I <- Ids >>/binary>>).
    /// epid(Node, Num, Ser, Cr) -> % NEW_PID_EXT
    ///     N = atom_to_binary(Node),
    ///     binary_to_term(<<131, 88, 119, (byte_size(N)), N/binary, Num:32, Ser:32, Cr:32>>).
    /// eport(Node, Num, Cr) ->     % V4_PORT_EXT
    ///     N = atom_to_binary(Node),
    ///     binary_to_term(<<131, 120, 119, (byte_size(N)), N/binary, Num:64, Cr:32>>).
    /// funs() -> funs(5, 7) ++ [clo(6)].
    /// clo(Y) -> fun(X) -> X + Y end.
    /// funs(Y, Z) ->
    ///     [fun() -> ok end, fun(X) -> X end, fun(X) -> X + Y end, fun(X) -> X - Z end,
    ///      fun(X) -> {X, Y, Z} end, clo(Y)].
    /// terms() ->
    ///     [0, 1, -1, 42, (1 bsl 59) - 1, -(1 bsl 59), 1 bsl 59, -(1 bsl 59) - 1,
    ///      (1 bsl 64) + 1, -(1 bsl 64) - 1, 1 bsl 200, -(1 bsl 200),
    ///      2.5, -2.5, 0.5, 1.0e300, -1.0e300, 9007199254740993, 9007199254740992.0,
    ///      18446744073709551616.0, 1.0e19, 10000000000000000001, 3.0e17, 300000000000000001,
    ///      -3.0e17, -300000000000000001,
    ///      a, b, aa, 'B', '', list_to_atom([233]), list_to_atom([252]), zz, 'a b', abcd, abce,
    ///      ref(nonode@nohost, 0, [1,2,3]), ref(nonode@nohost, 0, [3,2,1]),
    ///      ref(nonode@nohost, 0, [4,0,0]),
    ///      ref('a@b', 7, [1,2,3]), ref('a@b', 8, [0,0,0]), ref('b@b', 1, [0,0,0])]
    ///     ++ funs() ++
    ///     [fun erlang:abs/1, fun lists:map/2, fun erlang:abs/2, fun lists:all/2,
    ///      list_to_port("#Port<0.5>"), list_to_port("#Port<0.7>"), eport('a@b', 3, 1),
    ///      eport('a@b', 2, 2),
    ///      list_to_pid("<0.5.0>"), list_to_pid("<0.6.0>"), list_to_pid("<0.4.2>"),
    ///      epid('a@b', 5, 1, 7), epid('b@c', 5, 1, 7), epid('a@b', 5, 1, 8), epid('a@b', 3, 0, 1),
    ///      {}, {1}, {2}, {1,2}, {a,b,c}, {1,{2}}, {1,{1}},
    ///      #{}, #{a=>1}, #{b=>0}, #{1=>a}, #{1.0=>a}, #{a=>1,b=>2}, #{a=>2,b=>1}, #{2=>x},
    ///      #{a=>1,c=>0},
    ///      [], [1], [1|2], [1,2], [a], "abc", "abd", [[]], [1,2|3], [1|a],
    ///      <<>>, <<1>>, <<1:1>>, <<0:1>>, <<1,2>>, <<1,2:3>>, <<255>>, <<0:7>>, <<128:8>>,
    ///      <<1:7>>, <<1,2,3>>].
    /// ```
    ///
    /// `erlang:fun_info/2` of the seven funs: module `oxg`, uniq 97650900,
    /// new_index 1, 2, 3, 4, 5, 0, 0, env [], [], [5], [7], [5,7], [5], [6].
    pub(crate) fn sample_terms(area: &mut LiteralArea) -> Vec<Term> {
        let mut t = Vec::new();
        let big = |area: &mut LiteralArea, negative: bool, limbs: &[u64]| {
            build::big_from_limbs(area, negative, limbs)
        };
        t.extend([0, 1, -1, 42, (1 << 59) - 1, -(1 << 59)].map(Term::small));
        t.push(big(area, false, &[1 << 59]));
        t.push(big(area, true, &[(1 << 59) + 1]));
        t.push(big(area, false, &[1, 1]));
        t.push(big(area, true, &[1, 1]));
        t.push(big(area, false, &[0, 0, 0, 1 << 8]));
        t.push(big(area, true, &[0, 0, 0, 1 << 8]));
        for f in [2.5, -2.5, 0.5, 1.0e300, -1.0e300] {
            t.push(build::float(area, f));
        }
        t.push(build::int(area, 9007199254740993));
        t.push(build::float(area, 9007199254740992.0));
        t.push(build::float(area, 18446744073709551616.0));
        t.push(build::float(area, 1.0e19));
        t.push(big(area, false, &[10000000000000000001]));
        t.push(build::float(area, 3.0e17));
        t.push(Term::small(300000000000000001));
        t.push(build::float(area, -3.0e17));
        t.push(Term::small(-300000000000000001));
        for name in [
            "a", "b", "aa", "B", "", "é", "ü", "zz", "a b", "abcd", "abce",
        ] {
            t.push(atom(name));
        }
        let nonode = atoms::NONODE;
        let (a_b, b_b, b_c) = (
            Atom::intern("a@b").unwrap(),
            Atom::intern("b@b").unwrap(),
            Atom::intern("b@c").unwrap(),
        );
        t.push(build::reference(area, nonode, 0, &[1, 2, 3]));
        t.push(build::reference(area, nonode, 0, &[3, 2, 1]));
        t.push(build::reference(area, nonode, 0, &[4, 0, 0]));
        t.push(build::reference(area, a_b, 7, &[1, 2, 3]));
        t.push(build::reference(area, a_b, 8, &[0, 0, 0]));
        t.push(build::reference(area, b_b, 1, &[0, 0, 0]));
        let oxg = Atom::intern("oxg").unwrap();
        let creator = Term::local_pid(LocalPid {
            number: 80,
            serial: 0,
        });
        let funs: [(u32, u32, &[i64]); 7] = [
            (1, 0, &[]),
            (2, 1, &[]),
            (3, 1, &[5]),
            (4, 1, &[7]),
            (5, 1, &[5, 7]),
            (0, 1, &[5]),
            (0, 1, &[6]),
        ];
        for (index, arity, env) in funs {
            let entry = fun_entry(oxg, index, [0; 16], index, 97650900, arity);
            let free: Vec<Term> = env.iter().map(|&v| Term::small(v)).collect();
            t.push(build::closure(area, entry, creator, &free));
        }
        let (erlang, lists) = (atoms::ERLANG, Atom::intern("lists").unwrap());
        let (abs, map_f, all) = (
            Atom::intern("abs").unwrap(),
            Atom::intern("map").unwrap(),
            Atom::intern("all").unwrap(),
        );
        for (m, f, a) in [
            (erlang, abs, 1),
            (lists, map_f, 2),
            (erlang, abs, 2),
            (lists, all, 2),
        ] {
            t.push(build::export_fun(area, export_entry(m, f, a)));
        }
        t.push(Term::local_port(5));
        t.push(Term::local_port(7));
        t.push(build::port(area, a_b, 3, 1));
        t.push(build::port(area, a_b, 2, 2));
        for (number, serial) in [(5, 0), (6, 0), (4, 2)] {
            t.push(Term::local_pid(LocalPid { number, serial }));
        }
        t.push(build::pid(area, a_b, 5, 1, 7));
        t.push(build::pid(area, b_c, 5, 1, 7));
        t.push(build::pid(area, a_b, 5, 1, 8));
        t.push(build::pid(area, a_b, 3, 0, 1));
        let (one, two) = (Term::small(1), Term::small(2));
        let (a, b, c, x) = (atom("a"), atom("b"), atom("c"), atom("x"));
        t.push(build::tuple(area, &[]));
        t.push(build::tuple(area, &[one]));
        t.push(build::tuple(area, &[two]));
        t.push(build::tuple(area, &[one, two]));
        t.push(build::tuple(area, &[a, b, c]));
        let t2 = build::tuple(area, &[two]);
        t.push(build::tuple(area, &[one, t2]));
        let t1 = build::tuple(area, &[one]);
        t.push(build::tuple(area, &[one, t1]));
        let one_float = build::float(area, 1.0);
        let zero = Term::small(0);
        let maps: [&[(Term, Term)]; 9] = [
            &[],
            &[(a, one)],
            &[(b, zero)],
            &[(one, a)],
            &[(one_float, a)],
            &[(a, one), (b, two)],
            &[(a, two), (b, one)],
            &[(two, x)],
            &[(a, one), (c, zero)],
        ];
        for pairs in maps {
            t.push(map(area, pairs));
        }
        let string = |area: &mut LiteralArea, s: &str| {
            let chars: Vec<Term> = s.bytes().map(|b| Term::small(b as i64)).collect();
            build::list(area, &chars)
        };
        t.push(Term::NIL);
        t.push(build::list(area, &[one]));
        t.push(build::cons(area, one, two));
        t.push(build::list(area, &[one, two]));
        t.push(build::list(area, &[a]));
        t.push(string(area, "abc"));
        t.push(string(area, "abd"));
        t.push(build::list(area, &[Term::NIL]));
        t.push(build::list_with_tail(area, &[one, two], Term::small(3)));
        t.push(build::cons(area, one, a));
        let bits: [(&[u8], u64); 11] = [
            (&[], 0),
            (&[1], 8),
            (&[0x80], 1),
            (&[0], 1),
            (&[1, 2], 16),
            (&[1, 0x40], 11),
            (&[255], 8),
            (&[0], 7),
            (&[128], 8),
            (&[2], 7),
            (&[1, 2, 3], 24),
        ];
        for (bytes, len) in bits {
            t.push(build::bitstring(area, bytes, len));
        }
        t
    }

    /// `[idx(T, Terms, 0) || T <- lists:sort(Terms)]`: positions in
    /// `sample_terms` in ascending `<` order (no two are `==`).
    const ARITH_ORDER: [usize; 102] = [
        16, 11, 9, 7, 5, 25, 24, 13, 2, 0, 14, 1, 12, 3, 18, 17, 22, 23, 4, 6, 20, 21, 19, 8, 10,
        15, 30, 29, 26, 34, 28, 35, 36, 27, 33, 31, 32, 40, 41, 42, 39, 38, 37, 48, 49, 43, 44, 45,
        46, 47, 50, 52, 53, 51, 56, 57, 54, 55, 64, 58, 59, 61, 63, 62, 60, 65, 66, 67, 68, 71, 70,
        69, 72, 75, 79, 76, 73, 74, 77, 78, 80, 81, 83, 90, 82, 89, 84, 86, 87, 85, 88, 91, 94, 98,
        92, 95, 101, 96, 100, 93, 99, 97,
    ];

    /// The same in exact order: `lists:sort(fun(A, B) -> A =:= B orelse
    /// hd(maps:keys(#{A => 0, B => 0})) =:= A end, Terms)` (a flat map
    /// keeps its keys in exact order).
    const EXACT_ORDER: [usize; 102] = [
        11, 9, 7, 5, 25, 2, 0, 1, 3, 17, 23, 4, 6, 21, 8, 10, 16, 24, 13, 14, 12, 18, 22, 20, 19,
        15, 30, 29, 26, 34, 28, 35, 36, 27, 33, 31, 32, 40, 41, 42, 39, 38, 37, 48, 49, 43, 44, 45,
        46, 47, 50, 52, 53, 51, 56, 57, 54, 55, 64, 58, 59, 61, 63, 62, 60, 65, 66, 67, 68, 71, 70,
        69, 72, 75, 79, 76, 73, 74, 77, 78, 80, 81, 83, 90, 82, 89, 84, 86, 87, 85, 88, 91, 94, 98,
        92, 95, 101, 96, 100, 93, 99, 97,
    ];

    fn sorted_positions(terms: &[Term], cmp: fn(Term, Term) -> Ordering) -> Vec<usize> {
        // Start from a scrambled order so the sort has work to do.
        let mut order: Vec<usize> = (0..terms.len()).map(|i| (i * 37) % terms.len()).collect();
        order.sort_by(|&i, &j| cmp(terms[i], terms[j]));
        order
    }

    #[test]
    fn sorts_every_kind_of_term_as_erl() {
        let mut area = LiteralArea::new();
        let terms = sample_terms(&mut area);
        assert_eq!(terms.len(), 102);
        assert_eq!(sorted_positions(&terms, compare), ARITH_ORDER);
        assert_eq!(sorted_positions(&terms, compare_exact), EXACT_ORDER);
        // Antisymmetry and consistency of every pair.
        for &x in &terms {
            for &y in &terms {
                assert_eq!(compare(x, y), compare(y, x).reverse());
                assert_eq!(compare_exact(x, y), compare_exact(y, x).reverse());
                assert_eq!(compare(x, y).is_eq(), x == y);
            }
        }
    }

    /// erl: `1 == 1.0`, `1 =/= 1.0`; `-0.0 == 0.0` and `-0.0 =:= 0.0` (OTP 25);
    /// `0 == -0.0`; `2 bsl 63 == 18446744073709551616.0`;
    /// `#{a => 1} == #{a => 1.0}` but not `=:=`; `#{1 => a} < #{1.0 => a}`;
    /// `[a | b] < [a, b]`; `<<1, 0:1>> > <<1>>`, `<<1, 0:1>> < <<1, 0>>`.
    #[test]
    fn arithmetic_and_exact_equality() {
        let mut area = LiteralArea::new();
        let (one, one_f) = (Term::small(1), build::float(&mut area, 1.0));
        assert_eq!(compare(one, one_f), Equal);
        assert_eq!(compare_exact(one, one_f), Less);
        let (zero_f, minus_zero) = (build::float(&mut area, 0.0), build::float(&mut area, -0.0));
        assert!(eq(zero_f, minus_zero) && exact_eq(zero_f, minus_zero));
        assert!(eq(Term::small(0), minus_zero) && !exact_eq(Term::small(0), minus_zero));
        let two_64 = build::big_from_limbs(&mut area, false, &[0, 1]);
        let two_64_f = build::float(&mut area, 18446744073709551616.0);
        assert!(eq(two_64, two_64_f) && !exact_eq(two_64, two_64_f));
        let a = atom("a");
        let m1 = map(&mut area, &[(a, one)]);
        let m1f = map(&mut area, &[(a, one_f)]);
        assert!(eq(m1, m1f) && !exact_eq(m1, m1f));
        let k1 = map(&mut area, &[(one, a)]);
        let k1f = map(&mut area, &[(one_f, a)]);
        assert_eq!(compare(k1, k1f), Less);
        let improper = build::cons(&mut area, a, atom("b"));
        let proper = build::list(&mut area, &[a, atom("b")]);
        assert_eq!(compare(improper, proper), Less);
        let b1 = build::bitstring(&mut area, &[1], 8);
        let b10 = build::bitstring(&mut area, &[1, 0], 9);
        let b1_0 = build::bitstring(&mut area, &[1, 0], 16);
        assert_eq!(compare(b10, b1), Greater);
        assert_eq!(compare(b10, b1_0), Less);
    }

    /// A sub binary that starts mid-byte compares like the same bits aligned.
    #[test]
    fn unaligned_bitstrings_compare_by_their_bits() {
        let mut area = LiteralArea::new();
        // Bits 3..13 of the original: 10110 01101.
        let original = build::binary(&mut area, &[0b0001_0110, 0b0110_1000, 0xFF]);
        let shifted = build::sub_binary(&mut area, original, 0, 1, 2, 3);
        let aligned = build::bitstring(&mut area, &[0b1011_0011, 0b0100_0000], 10);
        assert_eq!(compare(shifted, aligned), Equal);
        let longer = build::bitstring(&mut area, &[0b1011_0011, 0b0100_0000], 11);
        assert_eq!(compare(shifted, longer), Less);
        let bigger = build::bitstring(&mut area, &[0b1011_0011, 0b1000_0000], 10);
        assert_eq!(compare(shifted, bigger), Less);
    }

    fn ordering_of(word: &str) -> Ordering {
        match word {
            "lt" => Less,
            "gt" => Greater,
            _ => Equal,
        }
    }

    fn parse_matrix(text: &str) -> Vec<Vec<Ordering>> {
        text.split("],[")
            .map(|row| {
                row.trim_matches(|c| c == '[' || c == ']')
                    .split(',')
                    .map(ordering_of)
                    .collect()
            })
            .collect()
    }

    /// The HAMTs A..H of this erl code, compared pairwise with `<`/`>` (the
    /// first matrix) and in exact order (`hd(maps:keys(#{X => 0, Y => 0}))`,
    /// the second).
    ///
    /// ```erlang
    /// A = maps:from_list([{I, I} || I <- lists:seq(1, 40)]),
    /// B = A#{40 => 0},
    /// C = maps:remove(40, A#{41 => 41}),
    /// D = maps:remove(40, A#{40.0 => 40}),
    /// E = A#{1 => 1.0},
    /// F = A#{3 => 2, 39 => 100},
    /// G = maps:remove(1, A#{0 => 1}),
    /// H = maps:remove(2, maps:remove(1, A#{100 => 1, -5 => 0})),
    /// ```
    #[test]
    fn hamts_compare_as_in_erl() {
        const ARITH: &str = "[[eq,gt,lt,lt,eq,gt,gt,gt],[lt,eq,lt,lt,lt,gt,gt,gt],\
            [gt,gt,eq,lt,gt,gt,gt,gt],[gt,gt,gt,eq,gt,gt,gt,gt],[eq,gt,lt,lt,eq,gt,gt,gt],\
            [lt,lt,lt,lt,lt,eq,gt,gt],[lt,lt,lt,lt,lt,lt,eq,gt],[lt,lt,lt,lt,lt,lt,lt,eq]]";
        const EXACT: &str = "[[eq,gt,lt,lt,lt,gt,gt,gt],[lt,eq,lt,lt,lt,gt,gt,gt],\
            [gt,gt,eq,lt,gt,gt,gt,gt],[gt,gt,gt,eq,gt,gt,gt,gt],[gt,gt,lt,lt,eq,gt,gt,gt],\
            [lt,lt,lt,lt,lt,eq,gt,gt],[lt,lt,lt,lt,lt,lt,eq,gt],[lt,lt,lt,lt,lt,lt,lt,eq]]";
        let mut area = LiteralArea::new();
        let base: Vec<(Term, Term)> = (1..=40).map(|i| (Term::small(i), Term::small(i))).collect();
        let with = |area: &mut LiteralArea, drop: &[i64], add: &[(Term, Term)]| {
            let mut pairs: Vec<(Term, Term)> = base
                .iter()
                .filter(|p| !drop.contains(&p.0.small_value()))
                .copied()
                .collect();
            pairs.extend_from_slice(add);
            map(area, &pairs)
        };
        let s = Term::small;
        let forty_f = build::float(&mut area, 40.0);
        let one_f = build::float(&mut area, 1.0);
        let maps = [
            with(&mut area, &[], &[]),
            with(&mut area, &[40], &[(s(40), s(0))]),
            with(&mut area, &[40], &[(s(41), s(41))]),
            with(&mut area, &[40], &[(forty_f, s(40))]),
            with(&mut area, &[1], &[(s(1), one_f)]),
            with(&mut area, &[3, 39], &[(s(3), s(2)), (s(39), s(100))]),
            with(&mut area, &[1], &[(s(0), s(1))]),
            with(&mut area, &[1, 2], &[(s(100), s(1)), (s(-5), s(0))]),
        ];
        for (expected, cmp) in [
            (ARITH, compare as fn(Term, Term) -> Ordering),
            (EXACT, compare_exact),
        ] {
            let expected = parse_matrix(expected);
            for (i, &x) in maps.iter().enumerate() {
                for (j, &y) in maps.iter().enumerate() {
                    assert_eq!(cmp(x, y), expected[i][j], "maps {i} and {j}");
                }
            }
        }
    }

    /// HAMTs inside HAMTs, as keys and values; `Nest(K, V)` is
    /// `maps:from_list([{I, I} || I <- lists:seq(1, 35)] ++ [{K, V}])` and the
    /// terms are `[Nest(0, A), Nest(0, E), Nest(A, 0), Nest(E, 0), Nest(0, 1),
    /// Nest(0, 1.0), Nest(1.0, 0)]` with A and E as above.
    #[test]
    fn nested_hamts_compare_as_in_erl() {
        const ARITH: &str =
            "[[eq,eq,lt,lt,gt,gt,lt],[eq,eq,lt,lt,gt,gt,lt],[gt,gt,eq,lt,gt,gt,gt],\
            [gt,gt,gt,eq,gt,gt,gt],[lt,lt,lt,lt,eq,eq,lt],[lt,lt,lt,lt,eq,eq,lt],\
            [gt,gt,lt,lt,gt,gt,eq]]";
        const EXACT: &str =
            "[[eq,lt,lt,lt,gt,gt,lt],[gt,eq,lt,lt,gt,gt,lt],[gt,gt,eq,lt,gt,gt,gt],\
            [gt,gt,gt,eq,gt,gt,gt],[lt,lt,lt,lt,eq,lt,lt],[lt,lt,lt,lt,gt,eq,lt],\
            [gt,gt,lt,lt,gt,gt,eq]]";
        let mut area = LiteralArea::new();
        let s = Term::small;
        let one_f = build::float(&mut area, 1.0);
        let a_pairs: Vec<(Term, Term)> = (1..=40).map(|i| (s(i), s(i))).collect();
        let a = map(&mut area, &a_pairs);
        let mut e_pairs = a_pairs.clone();
        e_pairs[0].1 = one_f;
        let e = map(&mut area, &e_pairs);
        let nest = |area: &mut LiteralArea, k: Term, v: Term| {
            let mut pairs: Vec<(Term, Term)> = (1..=35).map(|i| (s(i), s(i))).collect();
            pairs.push((k, v));
            map(area, &pairs)
        };
        let terms = [
            nest(&mut area, s(0), a),
            nest(&mut area, s(0), e),
            nest(&mut area, a, s(0)),
            nest(&mut area, e, s(0)),
            nest(&mut area, s(0), s(1)),
            nest(&mut area, s(0), one_f),
            nest(&mut area, one_f, s(0)),
        ];
        for (expected, cmp) in [
            (ARITH, compare as fn(Term, Term) -> Ordering),
            (EXACT, compare_exact),
        ] {
            let expected = parse_matrix(expected);
            for (i, &x) in terms.iter().enumerate() {
                for (j, &y) in terms.iter().enumerate() {
                    assert_eq!(cmp(x, y), expected[i][j], "terms {i} and {j}");
                }
            }
        }
    }

    /// Self-consistency: comparing terms nested far deeper than a recursive
    /// comparison could go runs on the explicit stack.
    #[test]
    fn deep_terms_do_not_overflow_the_stack() {
        const DEPTH: usize = 300_000;
        let mut area = LiteralArea::new();
        let nested =
            |area: &mut LiteralArea, leaf: i64, wrap: fn(&mut LiteralArea, Term) -> Term| {
                let mut t = Term::small(leaf);
                for _ in 0..DEPTH {
                    t = wrap(area, t);
                }
                t
            };
        let in_list: fn(&mut LiteralArea, Term) -> Term = |area, t| build::cons(area, t, Term::NIL);
        let in_tuple: fn(&mut LiteralArea, Term) -> Term = |area, t| build::tuple(area, &[t]);
        let in_map: fn(&mut LiteralArea, Term) -> Term =
            |area, t| from_pairs(area, &[(Term::NIL, t)]).0;
        for wrap in [in_list, in_tuple, in_map] {
            let x = nested(&mut area, 1, wrap);
            let y = nested(&mut area, 1, wrap);
            let z = nested(&mut area, 2, wrap);
            assert_eq!(compare(x, y), Equal);
            assert_eq!(compare_exact(x, z), Less);
            assert_eq!(compare(z, x), Greater);
        }
    }
}
