//! `phash/2` (erts's legacy `make_hash`, which OTP's `dict` and `sets` lay
//! out their buckets with) and `phash2/1,2` (`make_hash2`, in
//! `crate::term::hash`).

use crate::bif::{Native, NativeResult, Raised};
use crate::term::hash::{atom_text_hash, make_hash2, phash2};
use crate::term::{build, Term, View};
use crate::vm::process::Process;

// Primes just above 2^28, erts's `FUNNY_NUMBER1..14`.
const F1: u32 = 268_440_163;
const F2: u32 = 268_439_161;
const F3: u32 = 268_435_459;
const F4: u32 = 268_436_141;
const F5: u32 = 268_438_633;
const F6: u32 = 268_437_017;
const F8: u32 = 268_437_511;
const F9: u32 = 268_439_627;
const F10: u32 = 268_440_479;
const F11: u32 = 268_440_577;
const F12: u32 = 268_440_581;
const F13: u32 = 268_440_593;
const F14: u32 = 268_440_611;

/// `hash * prime + x`, wrapping.
#[inline]
fn step(hash: u32, prime: u32, x: u32) -> u32 {
    hash.wrapping_mul(prime).wrapping_add(x)
}

/// Feeds the four bytes of `x`, least significant first.
fn word_bytes(hash: u32, x: u32, prime: u32) -> u32 {
    x.to_le_bytes()
        .iter()
        .fold(hash, |h, &b| step(h, prime, b as u32))
}

/// Feeds an unsigned magnitude given as 64-bit limbs (least significant
/// first): every byte of each limb, but only four of the last limb when its
/// high half is zero — small integers and bignums hash alike.
fn magnitude_bytes(hash: u32, limbs: &[u64]) -> u32 {
    let Some((&top, low)) = limbs.split_last() else {
        return hash;
    };
    let mut h = hash;
    for &limb in low {
        h = limb
            .to_le_bytes()
            .iter()
            .fold(h, |h, &b| step(h, F2, b as u32));
    }
    let top_bytes = if top >> 32 == 0 { 4 } else { 8 };
    top.to_le_bytes()[..top_bytes]
        .iter()
        .fold(h, |h, &b| step(h, F2, b as u32))
}

/// What is left on `make_hash`'s work stack.
enum Work {
    Term(Term),
    /// The rest of a list after an element that was hashed as a term.
    ListRest(Term),
    /// `hash *= K`: the end of a list.
    Multiply(u32),
    /// `hash = hash * F9 + Arity`: the end of a tuple.
    TupleEnd(u32),
}

/// erts's `make_hash` (OTP 25): the hash behind `erlang:phash/2`. Atoms hash
/// by their text, numbers by value (a small and the equal bignum alike),
/// so the value does not depend on the term's representation.
pub fn make_hash(term: Term) -> u32 {
    let mut hash: u32 = 0;
    let mut work = vec![Work::Term(term)];
    while let Some(item) = work.pop() {
        let term = match item {
            Work::Term(t) => t,
            Work::Multiply(k) => {
                hash = hash.wrapping_mul(k);
                continue;
            }
            Work::TupleEnd(arity) => {
                hash = step(hash, F9, arity);
                continue;
            }
            Work::ListRest(rest) => {
                if rest.is_list() {
                    rest
                } else {
                    work.push(Work::Multiply(F8));
                    work.push(Work::Term(rest));
                    continue;
                }
            }
        };
        match term.view() {
            View::Nil => hash = step(hash, F3, 1),
            View::Atom(a) => hash = step(hash, F1, atom_text_hash(a)),
            View::Small(v) => {
                hash = magnitude_bytes(hash, &[v.unsigned_abs()]);
                hash = hash.wrapping_mul(if v < 0 { F4 } else { F3 });
            }
            View::Big { negative, limbs } => {
                hash = magnitude_bytes(hash, limbs);
                hash = hash.wrapping_mul(if negative { F4 } else { F3 });
            }
            View::Float(f) => {
                // -0.0 hashes as 0.0.
                let bits = if f == 0.0 { 0 } else { f.to_bits() };
                hash = step(hash, F6, (bits as u32) ^ (bits >> 32) as u32);
            }
            View::Bitstring(bits) => {
                let whole = bits.byte_len();
                for i in 0..whole {
                    hash = step(hash, F1, bits.byte(i) as u32);
                }
                let trailing = bits.trailing_bits();
                if trailing > 0 {
                    let last = bits.byte(whole) >> (8 - trailing);
                    hash = step(step(hash, F1, last as u32), F12, trailing as u32);
                }
                hash = step(hash, F4, whole as u32);
            }
            View::Cons(..) => {
                // Bytes (a string) hash inline; any other element is hashed
                // as a term and the walk continues after it.
                let mut rest = term;
                loop {
                    match rest.as_cons() {
                        Some((head, tail)) => match head.as_small() {
                            Some(b @ 0..=255) => {
                                hash = step(hash, F2, b as u32);
                                rest = tail;
                            }
                            _ => {
                                work.push(Work::ListRest(tail));
                                work.push(Work::Term(head));
                                break;
                            }
                        },
                        None => {
                            work.push(Work::Multiply(F8));
                            work.push(Work::Term(rest));
                            break;
                        }
                    }
                }
            }
            View::Tuple(elements) => {
                work.push(Work::TupleEnd(elements.len() as u32));
                work.extend(elements.iter().rev().map(|&e| Work::Term(e)));
            }
            View::Map(_) => hash = step(hash, F13, F14).wrapping_add(make_hash2(term)),
            View::Fun(fun) => {
                hash = step(hash, F10, fun.free.len() as u32);
                hash = step(hash, F1, atom_text_hash(fun.entry.module));
                hash = step(hash, F2, fun.entry.index);
                hash = step(hash, F2, fun.entry.old_uniq);
                work.extend(fun.free.iter().rev().map(|&e| Work::Term(e)));
            }
            View::Export(export) => {
                hash = step(hash, F11, export.arity);
                hash = step(hash, F1, atom_text_hash(export.module));
                hash = step(hash, F1, atom_text_hash(export.function));
            }
            View::Pid(pid) => hash = word_bytes(hash, pid.number, F5).wrapping_mul(F6),
            View::ExternalPid { number, .. } => {
                hash = word_bytes(hash, number, F5).wrapping_mul(F6)
            }
            View::Port(number) | View::ExternalPort { number, .. } => {
                let high = (number >> 32) as u32;
                if high != 0 {
                    hash = word_bytes(hash, high, F11);
                }
                hash = word_bytes(hash, number as u32, F9).wrapping_mul(F10);
            }
            View::Ref(r) => {
                let low = r.ids().next().unwrap_or(0);
                hash = word_bytes(hash, low, F9).wrapping_mul(F10);
            }
            View::Catch(_) | View::MatchContext => {}
        }
    }
    hash
}

/// The range argument of `phash/2` and `phash2/2`: an integer in
/// `1..=2^32`; 2^32 is returned as 0 (the whole 32-bit hash).
fn range_arg(term: Term) -> Result<u64, Raised> {
    let range = match term.view() {
        View::Small(r) if r >= 1 => r as u64,
        _ => return Err(Raised::badarg()),
    };
    match range {
        r if r < 1 << 32 => Ok(r),
        r if r == 1 << 32 => Ok(0),
        _ => Err(Raised::badarg()),
    }
}

/// `phash(Term, Range)`: `1..=Range`.
fn phash(process: &mut Process, args: &[Term]) -> NativeResult {
    let range = range_arg(args[1])?;
    let hash = make_hash(args[0]) as u64;
    let value = if range == 0 {
        hash + 1
    } else {
        1 + hash % range
    };
    Ok(build::int(&mut process.heap, value as i64))
}

/// `phash2(Term)`: `0..2^27`.
fn phash2_1(_: &mut Process, args: &[Term]) -> NativeResult {
    Ok(Term::small(phash2(args[0]) as i64))
}

/// `phash2(Term, Range)`: `0..Range`, all 32 bits when `Range` is 2^32.
fn phash2_2(_: &mut Process, args: &[Term]) -> NativeResult {
    let range = range_arg(args[1])?;
    let hash = make_hash2(args[0]) as u64;
    Ok(Term::small(
        if range == 0 { hash } else { hash % range } as i64
    ))
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "phash"/2 => phash,
    "phash2"/1 => phash2_1,
    "phash2"/2 => phash2_2,
);

#[cfg(test)]
mod tests {
    use super::super::testing::{check, process, terms};
    use super::*;
    use crate::code::export_entry;
    use crate::term::{atoms, Atom, LocalPid};

    #[test]
    fn phash_matches_erl() {
        // erl: erlang:phash(T, 1 bsl 32) for each T (the full hash plus 1).
        check(&[
            (phash, "[a, 4294967296]", "98"),
            (phash, "[a, 0]", "{error,badarg}"),
            (phash, "[a, 4294967297]", "{error,badarg}"),
            (phash, "[a, -1]", "{error,badarg}"),
            (phash2_2, "[a, 4294967296]", "97"),
            (phash2_1, "[a]", "97"),
            (phash2_2, "[a, 0]", "{error,badarg}"),
        ]);
    }

    #[test]
    fn make_hash_is_erls_for_every_kind_of_term() {
        // erl: {ok, [L]} = file:consult(F) of this list, then
        // [erlang:phash(T, 1 bsl 32) - 1 || T <- L].
        let mut p = process();
        let items = terms(&mut p, "[a, 'hello world', '', 0, 1, -1, 255, 256, 65535, -65536, 4294967295, 4294967296, -4294967296, 576460752303423487, -576460752303423488, 576460752303423488, 18446744073709551615, 18446744073709551616, -18446744073709551616, 340282366920938463463374607431768211456, 1.0, -1.0, 0.0, -0.0, 3.14159, 1.0e300, [], \"abc\", [1,2,3], [256], [a,b], [1|2], [a|b], [97,98|c], [[1],[2]], [1, [2, a], 300, \"x\"], {}, {a}, {1,2,3}, {[], {}, [[]]}, <<>>, <<1,2,3>>, <<1:3>>, <<1,2,3:5>>, <<\"hello world, a longer binary\">>, #{}, #{a => 1}, #{1 => [2], {x} => y}, {ok, #{k => v}}, [#{}|#{}], 'Ünïcödé', [1.5, -2.5]]");
        let expected: [u32; 52] = [
            97, 18131988, 0, 0, 2788898427, 1680185269, 2499495045, 1920229267, 2531686386,
            1613150661, 3339827844, 2788898427, 1680185269, 3114282912, 2147489128, 2147483672,
            966800008, 2788898427, 1680185269, 2788898427, 1072693248, 3220176896, 0, 0,
            2954012567, 4130836896, 1, 3654580165, 3336869157, 1015129878, 667932112, 2402949551,
            4159696707, 4219992172, 1718464616, 1533833260, 0, 268840044, 4267354533, 2358065278,
            0, 687692589, 1345689960, 2282888501, 680293481, 1113425984, 1670235873, 1338240749,
            2472123761, 2502954880, 64368073, 2951481351,
        ];
        assert_eq!(items.len(), expected.len());
        for (t, e) in items.iter().zip(expected) {
            assert_eq!(make_hash(*t), e, "{}", crate::term::print::to_string(*t));
        }
    }

    #[test]
    fn make_hash_of_identifiers_and_export_funs() {
        // erl: [erlang:phash(T, 1 bsl 32) - 1 || T <- [c:pid(0,80,0),
        //   c:pid(0,32767,3), list_to_port("#Port<0.5>"),
        //   list_to_port("#Port<0.268435455>"), list_to_ref("#Ref<0.1.2.3>"),
        //   list_to_ref("#Ref<0.4294967295.2.1>"), fun lists:map/2,
        //   fun erlang:element/2]].
        let mut p = process();
        let atom = |s: &str| Atom::intern(s).unwrap();
        let items = [
            Term::local_pid(LocalPid {
                number: 80,
                serial: 0,
            }),
            Term::local_pid(LocalPid {
                number: 32767,
                serial: 3,
            }),
            Term::local_port(5),
            Term::local_port(268435455),
            build::reference(&mut p.heap, atoms::NONODE, 0, &[3, 2, 1]),
            build::reference(&mut p.heap, atoms::NONODE, 0, &[1, 2, 4294967295]),
            build::export_fun(&mut p.heap, export_entry(atom("lists"), atom("map"), 2)),
            build::export_fun(&mut p.heap, export_entry(atoms::ERLANG, atom("element"), 2)),
        ];
        let expected: [u32; 8] = [
            1000343888, 290111366, 3777324193, 2181234216, 3125387975, 2473451757, 904024395,
            57668155,
        ];
        for (t, e) in items.iter().zip(expected) {
            assert_eq!(make_hash(*t), e, "{}", crate::term::print::to_string(*t));
        }
    }
}
