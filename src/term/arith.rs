//! Erlang arithmetic on terms: `+ - * / div rem`, the bitwise operators,
//! negation and `abs`, with erl's error rules — `badarith` for non-numbers,
//! division by zero and floats that overflow; `system_limit` for integers
//! larger than BEAM allows.
//!
//! Small integers take a fast path; anything else goes through `BigInt`.
//! The interpreter inlines its own small-integer cases and calls these for
//! the rest.

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};

use super::build;
use super::{Term, View};
use crate::heap::TermAlloc;

/// Why an arithmetic operation failed (the exception's reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithError {
    Badarith,
    SystemLimit,
}

pub type ArithResult = Result<Term, ArithError>;

/// BEAM's largest integer has this many 64-bit limbs (`1 bsl 33554367` is
/// the largest power of two; found on erl).
const MAX_BIG_LIMBS: u64 = (1 << 19) - 1;

/// A number taken out of a term.
enum Number {
    Int(BigInt),
    Float(f64),
}

fn number(term: Term) -> Result<Number, ArithError> {
    match term.view() {
        View::Float(f) => Ok(Number::Float(f)),
        _ => build::to_bigint(term)
            .map(Number::Int)
            .ok_or(ArithError::Badarith),
    }
}

fn integer(term: Term) -> Result<BigInt, ArithError> {
    build::to_bigint(term).ok_or(ArithError::Badarith)
}

/// An integer as erts converts it to a float (`big_to_double`): limb by
/// limb from the most significant, each step rounded, so a few bignums
/// round differently from a correctly rounded conversion; `None` when the
/// result is not finite (or the term is no integer).
pub fn integer_to_f64(term: Term) -> Option<f64> {
    match term.view() {
        View::Small(v) => Some(v as f64),
        View::Big { negative, limbs } => limbs_to_f64(negative, limbs),
        _ => None,
    }
}

fn limbs_to_f64(negative: bool, limbs: &[u64]) -> Option<f64> {
    let mut d = 0.0f64;
    for &limb in limbs.iter().rev() {
        d = d * 18_446_744_073_709_551_616.0 + limb as f64;
        if !d.is_finite() {
            return None;
        }
    }
    Some(if negative { -d } else { d })
}

/// An integer to a float, as erl converts in mixed arithmetic: `badarith`
/// when it does not fit.
fn int_to_float(value: &BigInt) -> Result<f64, ArithError> {
    let (sign, limbs) = value.to_u64_digits();
    limbs_to_f64(sign == num_bigint::Sign::Minus, &limbs).ok_or(ArithError::Badarith)
}

fn make_int(heap: &mut impl TermAlloc, value: &BigInt) -> ArithResult {
    if value.bits() > MAX_BIG_LIMBS * 64 {
        return Err(ArithError::SystemLimit);
    }
    Ok(build::bigint(heap, value))
}

fn make_float(heap: &mut impl TermAlloc, value: f64) -> ArithResult {
    if value.is_finite() {
        Ok(build::float(heap, value))
    } else {
        Err(ArithError::Badarith)
    }
}

/// Applies an operation that works on integers exactly and on floats.
fn mixed(
    heap: &mut impl TermAlloc,
    a: Term,
    b: Term,
    small: fn(i64, i64) -> Option<i64>,
    int: fn(&BigInt, &BigInt) -> BigInt,
    float: fn(f64, f64) -> f64,
) -> ArithResult {
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        if let Some(r) = small(x, y) {
            return Ok(build::int(heap, r));
        }
    }
    match (number(a)?, number(b)?) {
        (Number::Int(x), Number::Int(y)) => make_int(heap, &int(&x, &y)),
        (Number::Float(x), Number::Float(y)) => make_float(heap, float(x, y)),
        (Number::Int(x), Number::Float(y)) => make_float(heap, float(int_to_float(&x)?, y)),
        (Number::Float(x), Number::Int(y)) => make_float(heap, float(x, int_to_float(&y)?)),
    }
}

/// `A + B`.
pub fn add(heap: &mut impl TermAlloc, a: Term, b: Term) -> ArithResult {
    mixed(heap, a, b, i64::checked_add, |x, y| x + y, |x, y| x + y)
}

/// `A - B`.
pub fn sub(heap: &mut impl TermAlloc, a: Term, b: Term) -> ArithResult {
    mixed(heap, a, b, i64::checked_sub, |x, y| x - y, |x, y| x - y)
}

/// `A * B`.
pub fn mul(heap: &mut impl TermAlloc, a: Term, b: Term) -> ArithResult {
    mixed(heap, a, b, i64::checked_mul, |x, y| x * y, |x, y| x * y)
}

/// `A / B`: always a float; dividing by zero is `badarith`.
pub fn divide(heap: &mut impl TermAlloc, a: Term, b: Term) -> ArithResult {
    let x = match number(a)? {
        Number::Int(i) => int_to_float(&i)?,
        Number::Float(f) => f,
    };
    let y = match number(b)? {
        Number::Int(i) => int_to_float(&i)?,
        Number::Float(f) => f,
    };
    if y == 0.0 {
        return Err(ArithError::Badarith);
    }
    make_float(heap, x / y)
}

/// `A div B`: integer division truncating toward zero.
pub fn int_div(heap: &mut impl TermAlloc, a: Term, b: Term) -> ArithResult {
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        if y == 0 {
            return Err(ArithError::Badarith);
        }
        // Cannot overflow: |x| < 2^59.
        return Ok(build::int(heap, x / y));
    }
    let (x, y) = (integer(a)?, integer(b)?);
    if y.is_zero() {
        return Err(ArithError::Badarith);
    }
    // BigInt's `/` truncates toward zero, as `div` does.
    make_int(heap, &(x / y))
}

/// `A rem B`: the remainder, with the sign of `A`.
pub fn int_rem(heap: &mut impl TermAlloc, a: Term, b: Term) -> ArithResult {
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        if y == 0 {
            return Err(ArithError::Badarith);
        }
        return Ok(build::int(heap, x % y));
    }
    let (x, y) = (integer(a)?, integer(b)?);
    if y.is_zero() {
        return Err(ArithError::Badarith);
    }
    make_int(heap, &(x % y))
}

fn bitwise(
    heap: &mut impl TermAlloc,
    a: Term,
    b: Term,
    small: fn(i64, i64) -> i64,
    big: fn(&BigInt, &BigInt) -> BigInt,
) -> ArithResult {
    if let (Some(x), Some(y)) = (a.as_small(), b.as_small()) {
        return Ok(Term::small(small(x, y)));
    }
    let (x, y) = (integer(a)?, integer(b)?);
    make_int(heap, &big(&x, &y))
}

/// `A band B`.
pub fn band(heap: &mut impl TermAlloc, a: Term, b: Term) -> ArithResult {
    bitwise(heap, a, b, |x, y| x & y, |x, y| x & y)
}

/// `A bor B`.
pub fn bor(heap: &mut impl TermAlloc, a: Term, b: Term) -> ArithResult {
    bitwise(heap, a, b, |x, y| x | y, |x, y| x | y)
}

/// `A bxor B`.
pub fn bxor(heap: &mut impl TermAlloc, a: Term, b: Term) -> ArithResult {
    bitwise(heap, a, b, |x, y| x ^ y, |x, y| x ^ y)
}

/// `bnot A`.
pub fn bnot(heap: &mut impl TermAlloc, a: Term) -> ArithResult {
    if let Some(x) = a.as_small() {
        return Ok(Term::small(!x));
    }
    make_int(heap, &!integer(a)?)
}

/// `A bsl B`; a negative `B` shifts right.
pub fn bsl(heap: &mut impl TermAlloc, a: Term, b: Term) -> ArithResult {
    shift(heap, a, b, false)
}

/// `A bsr B`; a negative `B` shifts left.
pub fn bsr(heap: &mut impl TermAlloc, a: Term, b: Term) -> ArithResult {
    shift(heap, a, b, true)
}

fn shift(heap: &mut impl TermAlloc, a: Term, b: Term, right: bool) -> ArithResult {
    let value = integer(a)?;
    let amount = integer(b)?;
    let left_amount = if right { -amount } else { amount };
    if value.is_zero() {
        return Ok(Term::small(0));
    }
    if left_amount.is_negative() {
        // Right shift: floor division by a power of two; past the value's
        // width the result is 0 or -1.
        let bits = (-left_amount).to_u64().unwrap_or(u64::MAX);
        let result = if bits > value.bits() {
            if value.is_negative() {
                BigInt::from(-1)
            } else {
                BigInt::zero()
            }
        } else {
            value >> bits
        };
        return make_int(heap, &result);
    }
    let bits = left_amount.to_u64().ok_or(ArithError::SystemLimit)?;
    if value.bits().saturating_add(bits) > MAX_BIG_LIMBS * 64 {
        return Err(ArithError::SystemLimit);
    }
    make_int(heap, &(value << bits))
}

/// `-A`.
pub fn neg(heap: &mut impl TermAlloc, a: Term) -> ArithResult {
    match number(a)? {
        Number::Int(i) => make_int(heap, &-i),
        Number::Float(f) => make_float(heap, -f),
    }
}

/// `+A`: the number itself; `badarith` for anything else.
pub fn plus(a: Term) -> ArithResult {
    number(a).map(|_| a)
}

/// `abs(A)`; `None` when `A` is not a number (`badarg`, as for any BIF).
/// Like erl 25, the absolute value of `-0.0` stays `-0.0`.
pub fn abs(heap: &mut impl TermAlloc, a: Term) -> Option<Term> {
    match number(a).ok()? {
        Number::Int(i) if i.is_negative() => Some(build::bigint(heap, &-i)),
        Number::Int(_) => Some(a),
        Number::Float(f) if f < 0.0 => Some(build::float(heap, -f)),
        Number::Float(_) => Some(a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::LiteralArea;

    fn big(area: &mut LiteralArea, text: &str) -> Term {
        build::bigint(area, &text.parse::<BigInt>().unwrap())
    }

    fn int_of(t: Term) -> BigInt {
        build::to_bigint(t).unwrap()
    }

    // Expected values below come from erl 25, e.g.
    // erl -noshell -eval 'io:format("~p~n", [7 rem -2]), halt().'
    #[test]
    #[cfg_attr(miri, ignore)] // no unsafe here; Miri perturbs floats and is slow on bignums
    fn integer_division_and_remainder_follow_erl() {
        let mut area = LiteralArea::new();
        let s = Term::small;
        assert_eq!(int_rem(&mut area, s(7), s(-2)).unwrap().as_small(), Some(1));
        assert_eq!(
            int_rem(&mut area, s(-7), s(2)).unwrap().as_small(),
            Some(-1)
        );
        assert_eq!(
            int_div(&mut area, s(-7), s(2)).unwrap().as_small(),
            Some(-3)
        );
        assert_eq!(int_div(&mut area, s(1), s(0)), Err(ArithError::Badarith));
        assert_eq!(int_rem(&mut area, s(1), s(0)), Err(ArithError::Badarith));
    }

    #[test]
    #[cfg_attr(miri, ignore)] // no unsafe here; Miri perturbs floats and is slow on bignums
    fn small_overflow_becomes_big_and_back() {
        let mut area = LiteralArea::new();
        let max = Term::small(super::super::SMALL_MAX);
        let over = add(&mut area, max, Term::small(1)).unwrap();
        assert!(!over.is_small());
        assert_eq!(int_of(over), BigInt::from(1i64 << 59));
        let back = sub(&mut area, over, Term::small(1)).unwrap();
        assert_eq!(back, max);
        let x = big(&mut area, "123456789012345678901234567890");
        let y = big(&mut area, "-987654321098765432109876543210");
        let p = mul(&mut area, x, y).unwrap();
        assert_eq!(
            int_of(p).to_string(),
            "-121932631137021795226185032733622923332237463801111263526900"
        );
    }

    #[test]
    #[cfg_attr(miri, ignore)] // no unsafe here; Miri perturbs floats and is slow on bignums
    fn floats_and_mixed_operands() {
        let mut area = LiteralArea::new();
        let ten = build::float(&mut area, 10.0);
        // erl: 10.0 / 3 =:= 3.3333333333333335
        let q = divide(&mut area, ten, Term::small(3)).unwrap();
        assert_eq!(q.as_float(), Some(3.3333333333333335));
        // erl: 1/0 and 1.0e308*10 are badarith.
        assert_eq!(
            divide(&mut area, Term::small(1), Term::small(0)),
            Err(ArithError::Badarith)
        );
        let huge = build::float(&mut area, 1.0e308);
        assert_eq!(
            mul(&mut area, huge, Term::small(10)),
            Err(ArithError::Badarith)
        );
        // erl: (1 bsl 2000) * 1.0 is badarith; -(1 bsl 1023) + 0.0 is -8.98846567431158e307.
        let b2000 = bsl(&mut area, Term::small(1), Term::small(2000)).unwrap();
        let one = build::float(&mut area, 1.0);
        assert_eq!(mul(&mut area, b2000, one), Err(ArithError::Badarith));
        let b1023 = bsl(&mut area, Term::small(-1), Term::small(1023)).unwrap();
        let zero = build::float(&mut area, 0.0);
        let r = add(&mut area, b1023, zero).unwrap();
        assert_eq!(r.as_float(), Some(-8.98846567431158e307));
        assert_eq!(add(&mut area, Term::NIL, one), Err(ArithError::Badarith));
    }

    #[test]
    #[cfg_attr(miri, ignore)] // no unsafe here; Miri perturbs floats and is slow on bignums
    fn shifts_follow_erl_limits() {
        let mut area = LiteralArea::new();
        let s = Term::small;
        // erl: 5 bsl -1 =:= 2, -5 bsr -2 =:= -20, -1 bsr 1000 =:= -1.
        assert_eq!(bsl(&mut area, s(5), s(-1)).unwrap().as_small(), Some(2));
        assert_eq!(bsr(&mut area, s(-5), s(-2)).unwrap().as_small(), Some(-20));
        assert_eq!(bsr(&mut area, s(-1), s(1000)).unwrap().as_small(), Some(-1));
        // erl: 1 bsl 33554367 works, 1 bsl 33554368 is system_limit.
        assert!(bsl(&mut area, s(1), s(33554367)).is_ok());
        assert_eq!(
            bsl(&mut area, s(1), s(33554368)),
            Err(ArithError::SystemLimit)
        );
        let huge = big(&mut area, "100000000000000000000");
        assert_eq!(bsr(&mut area, s(1), huge).unwrap().as_small(), Some(0));
    }

    #[test]
    #[cfg_attr(miri, ignore)] // no unsafe here; Miri perturbs floats and is slow on bignums
    fn bitwise_and_negation() {
        let mut area = LiteralArea::new();
        let x = big(&mut area, "-340282366920938463463374607431768211457");
        let r = band(&mut area, x, Term::small(0xFFFF)).unwrap();
        // erl: -340282366920938463463374607431768211457 band 16#FFFF =:= 65535
        assert_eq!(r.as_small(), Some(65535));
        assert_eq!(
            bnot(&mut area, Term::small(5)).unwrap().as_small(),
            Some(-6)
        );
        let m = neg(&mut area, x).unwrap();
        assert_eq!(
            int_of(m).to_string(),
            "340282366920938463463374607431768211457"
        );
        let negzero = build::float(&mut area, -0.0);
        // erl 25: abs(-0.0) prints -0.0.
        let a = abs(&mut area, negzero).unwrap();
        assert!(a.as_float().unwrap().is_sign_negative());
        assert_eq!(abs(&mut area, Term::NIL), None);
    }
}
