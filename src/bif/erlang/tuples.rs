//! Tuples: `element/2`, `setelement/3`, `tuple_size/1`, `make_tuple/2,3`,
//! `append_element/2`, `insert_element/3`, `delete_element/2`,
//! `tuple_to_list/1`, `list_to_tuple/1`, and `size/1`.

use crate::bif::{Native, NativeResult, Raised};
use crate::term::{build, Term, View};
use crate::vm::process::Process;

/// BEAM's largest tuple (`ERTS_MAX_TUPLE_SIZE`).
pub(super) const MAX_TUPLE_SIZE: usize = (1 << 24) - 1;

fn tuple_arg<'a>(term: Term) -> Result<&'a [Term], Raised> {
    term.as_tuple().ok_or_else(Raised::badarg)
}

/// A 1-based index from a small integer in `1..=limit`.
fn index_arg(term: Term, limit: usize) -> Result<usize, Raised> {
    match term.as_small() {
        Some(i) if i >= 1 && i as u64 <= limit as u64 => Ok(i as usize),
        _ => Err(Raised::badarg()),
    }
}

fn element(_: &mut Process, args: &[Term]) -> NativeResult {
    // The index must be a small integer even when the tuple is not a tuple.
    if !args[0].is_small() {
        return Err(Raised::badarg());
    }
    let tuple = tuple_arg(args[1])?;
    Ok(tuple[index_arg(args[0], tuple.len())? - 1])
}

fn setelement(process: &mut Process, args: &[Term]) -> NativeResult {
    if !args[0].is_small() {
        return Err(Raised::badarg());
    }
    let tuple = tuple_arg(args[1])?;
    let i = index_arg(args[0], tuple.len())?;
    let mut elements = tuple.to_vec();
    elements[i - 1] = args[2];
    Ok(build::tuple(&mut process.heap, &elements))
}

fn tuple_size(_: &mut Process, args: &[Term]) -> NativeResult {
    Ok(Term::small(tuple_arg(args[0])?.len() as i64))
}

/// `size/1`: a tuple's size or a bitstring's whole bytes.
fn size(_: &mut Process, args: &[Term]) -> NativeResult {
    match args[0].view() {
        View::Tuple(t) => Ok(Term::small(t.len() as i64)),
        View::Bitstring(b) => Ok(Term::small(b.byte_len() as i64)),
        _ => Err(Raised::badarg()),
    }
}

fn size_arg(term: Term) -> Result<usize, Raised> {
    match term.as_small() {
        Some(n) if n >= 0 && n as u64 <= MAX_TUPLE_SIZE as u64 => Ok(n as usize),
        _ => Err(Raised::badarg()),
    }
}

fn make_tuple_2(process: &mut Process, args: &[Term]) -> NativeResult {
    let n = size_arg(args[0])?;
    Ok(build::tuple(&mut process.heap, &vec![args[1]; n]))
}

/// `make_tuple(N, Default, [{Index, Value}])`: later pairs win.
fn make_tuple_3(process: &mut Process, args: &[Term]) -> NativeResult {
    let n = size_arg(args[0])?;
    let mut elements = vec![args[1]; n];
    let mut rest = args[2].list_iter();
    for pair in rest.by_ref() {
        match pair.as_tuple() {
            Some(&[index, value]) => elements[index_arg(index, n)? - 1] = value,
            _ => return Err(Raised::badarg()),
        }
    }
    if !rest.rest().is_nil() {
        return Err(Raised::badarg());
    }
    Ok(build::tuple(&mut process.heap, &elements))
}

fn append_element(process: &mut Process, args: &[Term]) -> NativeResult {
    let tuple = tuple_arg(args[0])?;
    if tuple.len() + 1 > MAX_TUPLE_SIZE {
        return Err(Raised::badarg());
    }
    let mut elements = tuple.to_vec();
    elements.push(args[1]);
    Ok(build::tuple(&mut process.heap, &elements))
}

fn insert_element(process: &mut Process, args: &[Term]) -> NativeResult {
    let tuple = tuple_arg(args[1])?;
    let i = index_arg(args[0], tuple.len() + 1)?;
    let mut elements = tuple.to_vec();
    elements.insert(i - 1, args[2]);
    Ok(build::tuple(&mut process.heap, &elements))
}

fn delete_element(process: &mut Process, args: &[Term]) -> NativeResult {
    let tuple = tuple_arg(args[1])?;
    let i = index_arg(args[0], tuple.len())?;
    let mut elements = tuple.to_vec();
    elements.remove(i - 1);
    Ok(build::tuple(&mut process.heap, &elements))
}

fn tuple_to_list(process: &mut Process, args: &[Term]) -> NativeResult {
    let tuple = tuple_arg(args[0])?;
    Ok(build::list(&mut process.heap, tuple))
}

fn list_to_tuple(process: &mut Process, args: &[Term]) -> NativeResult {
    match args[0].list_to_vec() {
        Some(elements) if elements.len() <= MAX_TUPLE_SIZE => {
            Ok(build::tuple(&mut process.heap, &elements))
        }
        _ => Err(Raised::badarg()),
    }
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "element"/2 => element,
    "setelement"/3 => setelement,
    "tuple_size"/1 => tuple_size,
    "size"/1 => size,
    "make_tuple"/2 => make_tuple_2,
    "make_tuple"/3 => make_tuple_3,
    "append_element"/2 => append_element,
    "insert_element"/3 => insert_element,
    "delete_element"/2 => delete_element,
    "tuple_to_list"/1 => tuple_to_list,
    "list_to_tuple"/1 => list_to_tuple,
);

#[cfg(test)]
mod tests {
    use super::super::testing::check;
    use super::*;

    #[test]
    fn tuple_natives_follow_erl() {
        // Each expected value is what erl printed for erlang:F(Args) (~w).
        check(&[
            (element, "[2, {a,b,c}]", "b"),
            (element, "[0, {a}]", "{error,badarg}"),
            (element, "[1.0, {a}]", "{error,badarg}"),
            (element, "[2, {a}]", "{error,badarg}"),
            (element, "[1, [a]]", "{error,badarg}"),
            (setelement, "[2, {a,b}, x]", "{a,x}"),
            (setelement, "[2, {a}, b]", "{error,badarg}"),
            (tuple_size, "[{a,b}]", "2"),
            (tuple_size, "[[]]", "{error,badarg}"),
            (size, "[{a,b,c}]", "3"),
            (size, "[<<1:3>>]", "0"),
            (size, "[<<1,2,3:3>>]", "2"),
            (size, "[[]]", "{error,badarg}"),
            (make_tuple_2, "[3, x]", "{x,x,x}"),
            (make_tuple_2, "[-1, x]", "{error,badarg}"),
            (make_tuple_2, "[16777216, x]", "{error,badarg}"),
            (make_tuple_2, "[1073741824, x]", "{error,badarg}"),
            (make_tuple_3, "[2, x, [{1,a},{1,b}]]", "{b,x}"),
            (make_tuple_3, "[2, x, [{3,a}]]", "{error,badarg}"),
            (make_tuple_3, "[2, x, [{0,a}]]", "{error,badarg}"),
            (make_tuple_3, "[2, x, [{1,a}|b]]", "{error,badarg}"),
            (make_tuple_3, "[2, x, [{1,a,b}]]", "{error,badarg}"),
            (make_tuple_3, "[0, x, []]", "{}"),
            (append_element, "[{a}, b]", "{a,b}"),
            (append_element, "[[], b]", "{error,badarg}"),
            (insert_element, "[2, {a}, b]", "{a,b}"),
            (insert_element, "[1, {}, b]", "{b}"),
            (insert_element, "[3, {a}, b]", "{error,badarg}"),
            (delete_element, "[1, {}]", "{error,badarg}"),
            (delete_element, "[2, {a,b,c}]", "{a,c}"),
            (tuple_to_list, "[{a,{b},[c]}]", "[a,{b},[c]]"),
            (tuple_to_list, "[{}]", "[]"),
            (list_to_tuple, "[[a|b]]", "{error,badarg}"),
            (list_to_tuple, "[[a,b]]", "{a,b}"),
        ]);
    }
}
