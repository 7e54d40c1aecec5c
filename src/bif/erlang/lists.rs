//! Lists: `hd/1`, `tl/1`, `length/1`, `'++'/2` (`append/2`) and `'--'/2`
//! (`subtract/2`).

use std::cmp::Ordering;

use super::proper_length;
use crate::bif::{Native, NativeResult, Raised};
use crate::term::order::compare_exact;
use crate::term::{build, Term};
use crate::vm::process::Process;

fn hd(_: &mut Process, args: &[Term]) -> NativeResult {
    args[0].as_cons().map(|(h, _)| h).ok_or_else(Raised::badarg)
}

fn tl(_: &mut Process, args: &[Term]) -> NativeResult {
    args[0].as_cons().map(|(_, t)| t).ok_or_else(Raised::badarg)
}

fn length(_: &mut Process, args: &[Term]) -> NativeResult {
    proper_length(args[0])
        .map(|n| Term::small(n as i64))
        .ok_or_else(Raised::badarg)
}

/// `A ++ B`: a copy of the proper list `A` ending in `B`, whatever `B` is
/// (`[] ++ 3` is `3`, `[1] ++ 3` is `[1|3]`).
fn append(process: &mut Process, args: &[Term]) -> NativeResult {
    let elements = args[0].list_to_vec().ok_or_else(Raised::badarg)?;
    Ok(build::list_with_tail(&mut process.heap, &elements, args[1]))
}

/// Below this many elements on the right, `--` scans instead of sorting.
const LINEAR_SUBTRACT_MAX: usize = 16;

/// `A -- B`: `A` without the first occurrence (by `=:=`) of each element of
/// `B`; both must be proper lists. Long right-hand sides are sorted so the
/// work is `O((|A| + |B|) log |B|)`, not `|A| * |B|`.
fn subtract(process: &mut Process, args: &[Term]) -> NativeResult {
    let (Some(left), Some(right)) = (args[0].list_to_vec(), args[1].list_to_vec()) else {
        return Err(Raised::badarg());
    };
    let kept: Vec<Term> = if right.len() <= LINEAR_SUBTRACT_MAX {
        let mut pending = right;
        left.into_iter()
            .filter(
                |&x| match pending.iter().position(|&y| compare_exact(x, y).is_eq()) {
                    Some(i) => {
                        pending.remove(i);
                        false
                    }
                    None => true,
                },
            )
            .collect()
    } else {
        let mut sorted = right;
        sorted.sort_unstable_by(|a, b| compare_exact(*a, *b));
        // Distinct values with how many times each is still to be removed.
        let mut counts: Vec<(Term, usize)> = Vec::new();
        for y in sorted {
            match counts.last_mut() {
                Some((last, n)) if compare_exact(*last, y) == Ordering::Equal => *n += 1,
                _ => counts.push((y, 1)),
            }
        }
        left.into_iter()
            .filter(
                |&x| match counts.binary_search_by(|(y, _)| compare_exact(*y, x)) {
                    Ok(i) if counts[i].1 > 0 => {
                        counts[i].1 -= 1;
                        false
                    }
                    _ => true,
                },
            )
            .collect()
    };
    Ok(build::list(&mut process.heap, &kept))
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "hd"/1 => hd,
    "tl"/1 => tl,
    "length"/1 => length,
    "++"/2 => append,
    "append"/2 => append,
    "--"/2 => subtract,
    "subtract"/2 => subtract,
);

#[cfg(test)]
mod tests {
    use super::super::testing::{call_in, check, process};
    use super::*;

    #[test]
    fn list_natives_follow_erl() {
        // Expected values printed by erl for the same calls.
        check(&[
            (hd, "[[a|b]]", "a"),
            (hd, "[[]]", "{error,badarg}"),
            (tl, "[[a|b]]", "b"),
            (length, "[[a,b,c]]", "3"),
            (length, "[[a|b]]", "{error,badarg}"),
            (length, "[[]]", "0"),
            (append, "[[1|2], [1]]", "{error,badarg}"),
            (append, "[[], 3]", "3"),
            (append, "[[1], 3]", "[1|3]"),
            (append, "[a, []]", "{error,badarg}"),
            (append, "[[1,2], [3]]", "[1,2,3]"),
            (subtract, "[[0.0], [-0.0]]", "[]"),
            (subtract, "[[1,2,3,1,2,3], [3,1,1,1]]", "[2,2,3]"),
            (subtract, "[[1|2], [1]]", "{error,badarg}"),
            (subtract, "[[1], [1|2]]", "{error,badarg}"),
            (subtract, "[[], [1|2]]", "{error,badarg}"),
            (subtract, "[[1, 1.0, 1], [1.0]]", "[1,1]"),
            (subtract, "[a, []]", "{error,badarg}"),
        ]);
    }

    #[test]
    fn long_subtraction_matches_the_linear_rule() {
        // Self-consistency: the sorted path gives what the linear rule
        // gives (erl: lists:seq(1,40) -- ([5,5,7] ++ lists:seq(30,60)) is
        // [1,2,3,4,6,8,...,29]).
        let mut p = process();
        let left: Vec<String> = (1..=40).map(|i| i.to_string()).collect();
        let right: Vec<String> = [5, 5, 7]
            .iter()
            .copied()
            .chain(30..=60)
            .map(|i| i.to_string())
            .collect();
        let args = format!("[[{}], [{}]]", left.join(","), right.join(","));
        let expected: Vec<String> = (1..=29)
            .filter(|&i| i != 5 && i != 7)
            .map(|i| i.to_string())
            .collect();
        assert_eq!(
            call_in(&mut p, subtract, &args),
            format!("[{}]", expected.join(","))
        );
        // erl: [a,b,a,c,a] -- [a,a,x,y,z,...] removes the first two a's.
        let filler: Vec<String> = (0..20).map(|i| format!("x{i}")).collect();
        let args = format!("[[a,b,a,c,a], [a,a,{}]]", filler.join(","));
        assert_eq!(call_in(&mut p, subtract, &args), "[b,c,a]");
    }
}
