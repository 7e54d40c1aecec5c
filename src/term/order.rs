//! Term order and equality, as `erts_cmp` defines them.
//! (API fixed; bodies written by the order/maps work package.)

use std::cmp::Ordering;

use super::Term;

/// Erlang term order with arithmetic comparison of numbers (`<`, `==`):
/// `1 == 1.0` is `Equal`.
pub fn compare(a: Term, b: Term) -> Ordering {
    let _ = (a, b);
    todo!("term order")
}

/// Exact term order (`=:=`, and the order of map keys): `1` and `1.0` differ.
pub fn compare_exact(a: Term, b: Term) -> Ordering {
    let _ = (a, b);
    todo!("exact term order")
}

/// `A == B`.
pub fn eq(a: Term, b: Term) -> bool {
    compare(a, b) == Ordering::Equal
}

/// `A =:= B`.
pub fn exact_eq(a: Term, b: Term) -> bool {
    compare_exact(a, b) == Ordering::Equal
}
