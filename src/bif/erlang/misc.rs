//! Map guards as functions (`is_map_key/2`, `map_get/2`, `map_size/1`) and
//! `garbage_collect/0`.

use crate::bif::{Native, NativeResult, Raised};
use crate::term::{atoms, build, MapRef, Term, View};
use crate::vm::process::Process;

/// The map in `term`, or the error `{badmap, Term}`.
fn map_arg<'a>(process: &mut Process, term: Term) -> Result<MapRef<'a>, Raised> {
    match term.view() {
        View::Map(map) => Ok(map),
        _ => {
            let reason = build::tuple(&mut process.heap, &[Term::atom(atoms::BADMAP), term]);
            Err(Raised::error(reason))
        }
    }
}

fn is_map_key(process: &mut Process, args: &[Term]) -> NativeResult {
    let map = map_arg(process, args[1])?;
    Ok(Term::bool(map.get(args[0]).is_some()))
}

/// `map_get(Key, Map)`: `{badkey, Key}` when it is missing.
fn map_get(process: &mut Process, args: &[Term]) -> NativeResult {
    let map = map_arg(process, args[1])?;
    map.get(args[0]).ok_or_else(|| {
        let reason = build::tuple(&mut process.heap, &[Term::atom(atoms::BADKEY), args[0]]);
        Raised::error(reason)
    })
}

fn map_size(process: &mut Process, args: &[Term]) -> NativeResult {
    let map = map_arg(process, args[0])?;
    Ok(Term::small(map.len() as i64))
}

/// `garbage_collect()`: `true`. Natives never collect: the interpreter runs
/// the major collection when this native has returned.
fn garbage_collect(process: &mut Process, _: &[Term]) -> NativeResult {
    process.major_gc_requested = true;
    Ok(Term::TRUE)
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "is_map_key"/2 => is_map_key,
    "map_get"/2 => map_get,
    "map_size"/1 => map_size,
    "garbage_collect"/0 => garbage_collect,
);

#[cfg(test)]
mod tests {
    use super::super::testing::check;
    use super::*;

    #[test]
    fn map_natives_follow_erl() {
        // Expected values printed by erl (~w) for erlang:F(Args).
        check(&[
            (map_get, "[a, x]", "{error,{badmap,x}}"),
            (map_get, "[a, #{}]", "{error,{badkey,a}}"),
            (map_get, "[a, #{a => 1}]", "1"),
            (map_get, "[1.0, #{1 => x}]", "{error,{badkey,1.0}}"),
            (map_size, "[x]", "{error,{badmap,x}}"),
            (map_size, "[#{a => 1, b => 2}]", "2"),
            (is_map_key, "[a, x]", "{error,{badmap,x}}"),
            (is_map_key, "[a, #{a => 1}]", "true"),
            (is_map_key, "[b, #{a => 1}]", "false"),
            (garbage_collect, "[]", "true"),
        ]);
    }
}
