//! The natively implemented functions of OTP's `math` module: a number
//! that is no number is `badarg`; a result outside the reals or too large
//! (`math:sqrt(-1)`, `math:log(0)`) is `badarith`, as on erl.

use super::{Native, NativeResult, Raised};
use crate::term::arith::integer_to_f64;
use crate::term::{build, Term};
use crate::vm::process::Process;

/// The argument as a float (integers converted as erl converts them).
fn number(term: Term) -> Result<f64, Raised> {
    term.as_float()
        .or_else(|| integer_to_f64(term))
        .ok_or_else(Raised::badarg)
}

fn result(process: &mut Process, value: f64) -> NativeResult {
    if value.is_finite() {
        Ok(build::float(&mut process.heap, value))
    } else {
        Err(Raised::badarith())
    }
}

macro_rules! unary {
    ($($name:ident => $f:expr),* $(,)?) => {
        $(
            fn $name(process: &mut Process, args: &[Term]) -> NativeResult {
                let f: fn(f64) -> f64 = $f;
                result(process, f(number(args[0])?))
            }
        )*
    };
}

unary! {
    sqrt => f64::sqrt,
    exp => f64::exp,
    log => f64::ln,
    log2 => f64::log2,
    log10 => f64::log10,
    sin => f64::sin,
    cos => f64::cos,
    tan => f64::tan,
    asin => f64::asin,
    acos => f64::acos,
    atan => f64::atan,
    sinh => f64::sinh,
    cosh => f64::cosh,
    tanh => f64::tanh,
    asinh => f64::asinh,
    acosh => f64::acosh,
    atanh => f64::atanh,
    floor => f64::floor,
    ceil => f64::ceil,
}

fn pow(process: &mut Process, args: &[Term]) -> NativeResult {
    let (x, y) = (number(args[0])?, number(args[1])?);
    result(process, x.powf(y))
}

fn atan2(process: &mut Process, args: &[Term]) -> NativeResult {
    let (y, x) = (number(args[0])?, number(args[1])?);
    result(process, y.atan2(x))
}

fn fmod(process: &mut Process, args: &[Term]) -> NativeResult {
    let (x, y) = (number(args[0])?, number(args[1])?);
    result(process, x % y)
}

pub(crate) const NATIVES: &[Native] = crate::natives!("math";
    "sqrt"/1 => sqrt, "exp"/1 => exp, "log"/1 => log, "log2"/1 => log2,
    "log10"/1 => log10, "sin"/1 => sin, "cos"/1 => cos, "tan"/1 => tan,
    "asin"/1 => asin, "acos"/1 => acos, "atan"/1 => atan, "sinh"/1 => sinh,
    "cosh"/1 => cosh, "tanh"/1 => tanh, "asinh"/1 => asinh, "acosh"/1 => acosh,
    "atanh"/1 => atanh, "floor"/1 => floor, "ceil"/1 => ceil, "pow"/2 => pow,
    "atan2"/2 => atan2, "fmod"/2 => fmod,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::term::{atoms, LocalPid};

    fn run(f: crate::bif::NativeFn, args: &[Term]) -> Result<Option<f64>, Term> {
        let mut process = Process::new(LocalPid {
            number: 1,
            serial: 0,
        });
        f(&mut process, args)
            .map(|t| t.as_float())
            .map_err(|e| e.reason)
    }

    #[test]
    fn results_and_errors_follow_erl() {
        // erl: math:sqrt(16) =:= 4.0, math:pow(2, 10) =:= 1024.0,
        // math:floor(-1.5) =:= -2.0.
        assert_eq!(run(sqrt, &[Term::small(16)]), Ok(Some(4.0)));
        assert_eq!(
            run(pow, &[Term::small(2), Term::small(10)]),
            Ok(Some(1024.0))
        );
        assert_eq!(run(floor, &[Term::small(-1)]), Ok(Some(-1.0)));
        // erl: math:sqrt(-1) and math:log(0) are badarith; math:sqrt(a) badarg.
        assert_eq!(
            run(sqrt, &[Term::small(-1)]),
            Err(Term::atom(atoms::BADARITH))
        );
        assert_eq!(
            run(log, &[Term::small(0)]),
            Err(Term::atom(atoms::BADARITH))
        );
        assert_eq!(
            run(sqrt, &[Term::atom(atoms::OK)]),
            Err(Term::atom(atoms::BADARG))
        );
    }
}
