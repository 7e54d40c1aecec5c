//! Time: `monotonic_time/0,1`, `system_time/0,1`, `time_offset/0,1`,
//! `convert_time_unit/3`, `timestamp/0`, `now/0`, and the calendar
//! `time/0`, `date/0`, `localtime/0`, `universaltime/0`.
//!
//! As in erl (default "no time warp" mode): the native unit is the
//! nanosecond; monotonic time starts near -2^59 ns when the VM starts; the
//! time offset is fixed at start, and system time is monotonic time plus
//! that offset.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use num_bigint::BigInt;
use num_traits::{Signed, Zero};

use super::timezone::{days_from_civil, is_leap, local_offset_seconds};
use crate::bif::{Native, NativeResult, Raised};
use crate::term::{build, Term, SMALL_MIN};
use crate::vm::process::Process;

/// Native time units per second.
const NATIVE_PER_SECOND: i64 = 1_000_000_000;

struct Clock {
    start: Instant,
    /// System time minus monotonic time, in nanoseconds.
    offset: i64,
}

fn clock() -> &'static Clock {
    static CLOCK: OnceLock<Clock> = OnceLock::new();
    CLOCK.get_or_init(|| {
        let start = Instant::now();
        let since_epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i64);
        Clock {
            start,
            offset: since_epoch - SMALL_MIN,
        }
    })
}

/// Monotonic time in nanoseconds.
/// `erlang:monotonic_time(millisecond)` (absolute timers are given in it).
pub(crate) fn monotonic_millis() -> i64 {
    monotonic_native().div_euclid(NATIVE_PER_SECOND / 1000)
}

fn monotonic_native() -> i64 {
    let clock = clock();
    SMALL_MIN + clock.start.elapsed().as_nanos() as i64
}

fn system_native() -> i64 {
    monotonic_native() + clock().offset
}

/// A time unit argument as parts per second: `second`, `millisecond`,
/// `microsecond`, `nanosecond`, `native`, `perf_counter`, the deprecated
/// plural names, or a positive integer.
fn unit_arg(term: Term) -> Option<BigInt> {
    if let Some(atom) = term.as_atom() {
        let per_second: i64 = match atom.name() {
            "second" | "seconds" => 1,
            "millisecond" | "milli_seconds" => 1_000,
            "microsecond" | "micro_seconds" => 1_000_000,
            "nanosecond" | "nano_seconds" | "native" | "perf_counter" => NATIVE_PER_SECOND,
            _ => return None,
        };
        return Some(per_second.into());
    }
    let value = build::to_bigint(term)?;
    value.is_positive().then_some(value)
}

/// `Time` in `from` units converted to `to` units, rounded toward minus
/// infinity (as `erlang:convert_time_unit/3` computes it).
fn convert(time: &BigInt, from: &BigInt, to: &BigInt) -> BigInt {
    let scaled = time * to;
    let floor_adjust = if time.is_negative() {
        from - 1
    } else {
        BigInt::zero()
    };
    (scaled - floor_adjust) / from
}

fn native_in(process: &mut Process, native: i64, unit: Term) -> NativeResult {
    let unit = unit_arg(unit).ok_or_else(Raised::badarg)?;
    let value = convert(&native.into(), &NATIVE_PER_SECOND.into(), &unit);
    Ok(build::bigint(&mut process.heap, &value))
}

pub(crate) fn monotonic_time_0(process: &mut Process, _: &[Term]) -> NativeResult {
    Ok(build::int(&mut process.heap, monotonic_native()))
}

fn monotonic_time_1(process: &mut Process, args: &[Term]) -> NativeResult {
    native_in(process, monotonic_native(), args[0])
}

pub(crate) fn system_time_0(process: &mut Process, _: &[Term]) -> NativeResult {
    Ok(build::int(&mut process.heap, system_native()))
}

pub(crate) fn system_time_1(process: &mut Process, args: &[Term]) -> NativeResult {
    native_in(process, system_native(), args[0])
}

fn time_offset_0(process: &mut Process, _: &[Term]) -> NativeResult {
    Ok(build::int(&mut process.heap, clock().offset))
}

fn time_offset_1(process: &mut Process, args: &[Term]) -> NativeResult {
    native_in(process, clock().offset, args[0])
}

/// `convert_time_unit(Time, FromUnit, ToUnit)`; any bad argument is
/// `badarg`.
fn convert_time_unit(process: &mut Process, args: &[Term]) -> NativeResult {
    let time = build::to_bigint(args[0]).ok_or_else(Raised::badarg)?;
    let from = unit_arg(args[1]).ok_or_else(Raised::badarg)?;
    let to = unit_arg(args[2]).ok_or_else(Raised::badarg)?;
    Ok(build::bigint(
        &mut process.heap,
        &convert(&time, &from, &to),
    ))
}

/// `{MegaSecs, Secs, MicroSecs}` of `micros` microseconds.
fn mega_secs_micros(process: &mut Process, micros: i64) -> Term {
    let micros = micros.max(0);
    let parts = [
        micros / 1_000_000_000_000,
        micros / 1_000_000 % 1_000_000,
        micros % 1_000_000,
    ];
    let terms = parts.map(Term::small);
    build::tuple(&mut process.heap, &terms)
}

pub(crate) fn timestamp(process: &mut Process, _: &[Term]) -> NativeResult {
    Ok(mega_secs_micros(process, system_native().div_euclid(1_000)))
}

/// The last value `now/0` gave, in microseconds.
static LAST_NOW: AtomicI64 = AtomicI64::new(0);

/// `now()`: system time in microseconds, strictly increasing across calls.
fn now(process: &mut Process, _: &[Term]) -> NativeResult {
    let current = system_native().div_euclid(1_000);
    let mut last = LAST_NOW.load(Ordering::Relaxed);
    let value = loop {
        let next = current.max(last + 1);
        match LAST_NOW.compare_exchange_weak(last, next, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => break next,
            Err(seen) => last = seen,
        }
    };
    Ok(mega_secs_micros(process, value))
}

/// A civil date and time.
pub(crate) struct DateTime {
    pub(crate) year: i64,
    pub(crate) month: i64,
    pub(crate) day: i64,
    pub(crate) hour: i64,
    pub(crate) minute: i64,
    pub(crate) second: i64,
}

/// The proleptic Gregorian date and time of `seconds` since 1970 (Howard
/// Hinnant's `civil_from_days`).
pub(crate) fn date_time(seconds: i64) -> DateTime {
    let days = seconds.div_euclid(86_400);
    let in_day = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    DateTime {
        year,
        month,
        day,
        hour: in_day / 3600,
        minute: in_day / 60 % 60,
        second: in_day % 60,
    }
}

fn now_seconds() -> i64 {
    system_native().div_euclid(NATIVE_PER_SECOND)
}

fn local_date_time() -> DateTime {
    let utc = now_seconds();
    date_time(utc + local_offset_seconds(utc))
}

fn date_tuple(process: &mut Process, t: &DateTime) -> Term {
    let parts = [t.year, t.month, t.day].map(Term::small);
    build::tuple(&mut process.heap, &parts)
}

fn time_tuple(process: &mut Process, t: &DateTime) -> Term {
    let parts = [t.hour, t.minute, t.second].map(Term::small);
    build::tuple(&mut process.heap, &parts)
}

fn date_time_tuple(process: &mut Process, t: &DateTime) -> Term {
    let date = date_tuple(process, t);
    let time = time_tuple(process, t);
    build::tuple(&mut process.heap, &[date, time])
}

fn time(process: &mut Process, _: &[Term]) -> NativeResult {
    Ok(time_tuple(process, &local_date_time()))
}

fn date(process: &mut Process, _: &[Term]) -> NativeResult {
    Ok(date_tuple(process, &local_date_time()))
}

fn localtime(process: &mut Process, _: &[Term]) -> NativeResult {
    Ok(date_time_tuple(process, &local_date_time()))
}

fn universaltime(process: &mut Process, _: &[Term]) -> NativeResult {
    Ok(date_time_tuple(process, &date_time(now_seconds())))
}

/// Seconds since 1970 of a `{{Y, M, D}, {H, Mi, S}}` term, when it is a
/// valid date and time of a year from 0 on.
fn seconds_of_date_time(term: Term) -> Option<i64> {
    let &[date, time] = term.as_tuple()? else {
        return None;
    };
    let small = |t: Term| t.is_small().then(|| t.small_value());
    let parts = |t: Term| -> Option<[i64; 3]> {
        let &[a, b, c] = t.as_tuple()? else {
            return None;
        };
        Some([small(a)?, small(b)?, small(c)?])
    };
    let [year, month, day] = parts(date)?;
    let [hour, minute, second] = parts(time)?;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => return None,
    };
    let valid = year >= 0
        && (1..=days_in_month).contains(&day)
        && (0..24).contains(&hour)
        && (0..60).contains(&minute)
        && (0..60).contains(&second);
    valid.then(|| days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

fn posixtime_to_universaltime(process: &mut Process, args: &[Term]) -> NativeResult {
    let seconds = super::term_to_i64(args[0]).ok_or_else(Raised::badarg)?;
    Ok(date_time_tuple(process, &date_time(seconds)))
}

fn universaltime_to_posixtime(process: &mut Process, args: &[Term]) -> NativeResult {
    let seconds = seconds_of_date_time(args[0]).ok_or_else(Raised::badarg)?;
    Ok(build::int(&mut process.heap, seconds))
}

fn universaltime_to_localtime(process: &mut Process, args: &[Term]) -> NativeResult {
    let utc = seconds_of_date_time(args[0]).ok_or_else(Raised::badarg)?;
    Ok(date_time_tuple(
        process,
        &date_time(utc + local_offset_seconds(utc)),
    ))
}

/// The UTC instant whose local time is the argument: the offset is that
/// of the instant the local time names when read as UTC, corrected once.
fn localtime_to_universaltime(process: &mut Process, args: &[Term]) -> NativeResult {
    let local = seconds_of_date_time(args[0]).ok_or_else(Raised::badarg)?;
    let guess = local - local_offset_seconds(local);
    let utc = local - local_offset_seconds(guess);
    Ok(date_time_tuple(process, &date_time(utc)))
}

pub(super) const NATIVES: &[Native] = crate::natives!("erlang";
    "posixtime_to_universaltime"/1 => posixtime_to_universaltime,
    "universaltime_to_posixtime"/1 => universaltime_to_posixtime,
    "universaltime_to_localtime"/1 => universaltime_to_localtime,
    "localtime_to_universaltime"/1 => localtime_to_universaltime,
    "monotonic_time"/0 => monotonic_time_0,
    "monotonic_time"/1 => monotonic_time_1,
    "system_time"/0 => system_time_0,
    "system_time"/1 => system_time_1,
    "time_offset"/0 => time_offset_0,
    "time_offset"/1 => time_offset_1,
    "convert_time_unit"/3 => convert_time_unit,
    "timestamp"/0 => timestamp,
    "now"/0 => now,
    "time"/0 => time,
    "date"/0 => date,
    "localtime"/0 => localtime,
    "universaltime"/0 => universaltime,
);

#[cfg(test)]
mod tests {
    use super::super::testing::{call, check, process, show};
    use super::*;

    #[test]
    fn time_units_convert_as_erl() {
        // Expected values printed by erl (~w) for erlang:convert_time_unit/3.
        check(&[
            (convert_time_unit, "[1, second, native]", "1000000000"),
            (convert_time_unit, "[-1, native, second]", "-1"),
            (convert_time_unit, "[-1, nanosecond, millisecond]", "-1"),
            (
                convert_time_unit,
                "[-1500000, nanosecond, millisecond]",
                "-2",
            ),
            (convert_time_unit, "[1999, nanosecond, 3]", "0"),
            (convert_time_unit, "[-1999, nanosecond, 3]", "-1"),
            (convert_time_unit, "[7, 3, 7]", "16"),
            (convert_time_unit, "[-7, 3, 7]", "-17"),
            (
                convert_time_unit,
                "[1180591620717411303424, second, nanosecond]",
                "1180591620717411303424000000000",
            ),
            (convert_time_unit, "[1, perf_counter, nanosecond]", "1"),
            (convert_time_unit, "[1, seconds, milli_seconds]", "1000"),
            (convert_time_unit, "[1, 0, second]", "{error,badarg}"),
            (convert_time_unit, "[1.0, second, second]", "{error,badarg}"),
            (convert_time_unit, "[1, foo, second]", "{error,badarg}"),
            (monotonic_time_1, "[foo]", "{error,badarg}"),
            (system_time_1, "[-5]", "{error,badarg}"),
        ]);
    }

    #[test]
    fn clocks_are_consistent() {
        let mut p = process();
        let m1: i64 = show(monotonic_time_0(&mut p, &[])).parse().unwrap();
        let m2: i64 = show(monotonic_time_0(&mut p, &[])).parse().unwrap();
        assert!(m2 >= m1 && m1 >= SMALL_MIN);
        let offset: i64 = show(time_offset_0(&mut p, &[])).parse().unwrap();
        let s: i64 = show(system_time_0(&mut p, &[])).parse().unwrap();
        assert!(s - offset >= m2);
        let secs: i64 = call(system_time_1, "[second]").parse().unwrap();
        assert!((secs - s / NATIVE_PER_SECOND).abs() <= 1);
        // now/0 is strictly increasing.
        let a = show(now(&mut p, &[]));
        let b = show(now(&mut p, &[]));
        assert_ne!(a, b);
    }

    #[test]
    fn civil_dates() {
        // erl: calendar:gregorian_seconds_to_datetime(S + 62167219200) for
        // S = 0, 951782400 (2000-02-29), -1, 4107542399.
        let shown = |s: i64| {
            let t = date_time(s);
            (t.year, t.month, t.day, t.hour, t.minute, t.second)
        };
        assert_eq!(shown(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(shown(951_782_400), (2000, 2, 29, 0, 0, 0));
        assert_eq!(shown(-1), (1969, 12, 31, 23, 59, 59));
        assert_eq!(shown(4_107_542_399), (2100, 2, 28, 23, 59, 59));
    }
}
