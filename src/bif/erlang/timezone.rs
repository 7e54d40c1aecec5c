//! The local time zone, for `localtime/0`, `date/0` and `time/0`, read as
//! the C library reads it: `TZ` (a zone name, a file, or a POSIX rule) or
//! else `/etc/localtime`, both in the TZif format of the tz database; with
//! neither, UTC.

use std::sync::OnceLock;

/// Seconds to add to UTC at `utc` (seconds since 1970) for local time.
pub(super) fn local_offset_seconds(utc: i64) -> i64 {
    static ZONE: OnceLock<Zone> = OnceLock::new();
    ZONE.get_or_init(Zone::load).offset_at(utc)
}

/// A zone: offsets that changed at given instants, then a rule for the
/// times after the last change.
#[derive(Default, Debug)]
struct Zone {
    /// `(instant, offset)`: from `instant` on, the offset is `offset`.
    transitions: Vec<(i64, i64)>,
    /// The offset before the first transition.
    initial: i64,
    rule: Option<Rule>,
}

impl Zone {
    fn load() -> Zone {
        match std::env::var("TZ") {
            Ok(tz) if !tz.is_empty() => {
                let name = tz.strip_prefix(':').unwrap_or(&tz);
                let path = if name.starts_with('/') {
                    name.to_owned()
                } else {
                    format!("/usr/share/zoneinfo/{name}")
                };
                std::fs::read(path)
                    .ok()
                    .and_then(|data| parse_tzif(&data))
                    .or_else(|| {
                        Rule::parse(name).map(|rule| Zone {
                            initial: rule.standard,
                            rule: Some(rule),
                            ..Zone::default()
                        })
                    })
                    .unwrap_or_default()
            }
            _ => std::fs::read("/etc/localtime")
                .ok()
                .and_then(|data| parse_tzif(&data))
                .unwrap_or_default(),
        }
    }

    fn offset_at(&self, utc: i64) -> i64 {
        let after_last = self.transitions.last().is_none_or(|&(t, _)| utc >= t);
        if after_last {
            if let Some(rule) = &self.rule {
                return rule.offset_at(utc);
            }
        }
        match self.transitions.partition_point(|&(t, _)| t <= utc) {
            0 => self.initial,
            i => self.transitions[i - 1].1,
        }
    }
}

/// Reads a big-endian integer of `N` bytes at `*at`, advancing it.
fn read_be<const N: usize>(data: &[u8], at: &mut usize) -> Option<i64> {
    let bytes: [u8; N] = data.get(*at..*at + N)?.try_into().ok()?;
    *at += N;
    let mut value: i64 = if bytes[0] & 0x80 != 0 { -1 } else { 0 };
    for b in bytes {
        value = (value << 8) | b as i64;
    }
    Some(value)
}

/// Parses a TZif file (versions 1 to 4): the 64-bit block when there is
/// one, and the POSIX rule in its footer.
fn parse_tzif(data: &[u8]) -> Option<Zone> {
    if data.get(..4)? != b"TZif" {
        return None;
    }
    let version = *data.get(4)?;
    let counts = |at: usize| -> Option<[usize; 6]> {
        let mut at = at + 20;
        let mut out = [0usize; 6];
        for c in &mut out {
            *c = read_be::<4>(data, &mut at)? as usize;
        }
        Some(out)
    };
    let [isut, isstd, leaps, times, types, chars] = counts(0)?;
    let v1_len = times * 5 + types * 6 + chars + leaps * 8 + isstd + isut;
    let (block, time_size, [isut, isstd, leaps, times, types, chars]) = if version >= b'2' {
        let second = 44 + v1_len;
        (second + 44, 8, counts(second)?)
    } else {
        (44, 4, [isut, isstd, leaps, times, types, chars])
    };
    let mut at = block;
    let mut instants = Vec::with_capacity(times);
    for _ in 0..times {
        instants.push(if time_size == 8 {
            read_be::<8>(data, &mut at)?
        } else {
            read_be::<4>(data, &mut at)?
        });
    }
    let indices = data.get(at..at + times)?.to_vec();
    at += times;
    let mut offsets = Vec::with_capacity(types);
    let mut is_dst = Vec::with_capacity(types);
    for _ in 0..types {
        offsets.push(read_be::<4>(data, &mut at)?);
        is_dst.push(*data.get(at)? != 0);
        at += 2;
    }
    at += chars + leaps * (time_size + 4) + isstd + isut;
    let transitions = instants
        .iter()
        .zip(&indices)
        .map(|(&t, &i)| Some((t, *offsets.get(i as usize)?)))
        .collect::<Option<Vec<_>>>()?;
    // Before the first transition: the first standard-time type.
    let initial = (0..types).find(|&i| !is_dst[i]).map_or(0, |i| offsets[i]);
    let rule = if version >= b'2' {
        let footer = data.get(at..)?;
        let text = std::str::from_utf8(footer).ok()?.trim_matches('\n');
        Rule::parse(text)
    } else {
        None
    };
    Some(Zone {
        transitions,
        initial,
        rule,
    })
}

/// A POSIX `TZ` rule such as `CET-1CEST,M3.5.0,M10.5.0/3`.
#[derive(Debug)]
struct Rule {
    /// Offset from UTC in standard time (east positive).
    standard: i64,
    /// Daylight saving time: its offset and when it starts and ends.
    daylight: Option<(i64, Change, Change)>,
}

/// When a change happens: the day (`Mm.w.d`, `Jn` or `n`) and the local
/// time of day in seconds.
#[derive(Debug, Clone, Copy)]
struct Change {
    day: Day,
    time: i64,
}

#[derive(Debug, Clone, Copy)]
enum Day {
    /// Month 1..=12, week 1..=5 (5: last), weekday 0..=6 (Sunday 0).
    WeekdayOfMonth(i64, i64, i64),
    /// Day 1..=365, February 29 never counted.
    JulianNoLeap(i64),
    /// Day 0..=365, February 29 counted.
    OrdinalWithLeap(i64),
}

struct RuleParser<'a> {
    text: &'a [u8],
    at: usize,
}

impl RuleParser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        let matched = self.peek() == Some(c);
        self.at += usize::from(matched);
        matched
    }

    fn name(&mut self) -> Option<()> {
        if self.eat(b'<') {
            while self.peek()? != b'>' {
                self.at += 1;
            }
            self.at += 1;
            return Some(());
        }
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.at += 1;
        }
        (self.at - start >= 3).then_some(())
    }

    fn number(&mut self) -> Option<i64> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        std::str::from_utf8(&self.text[start..self.at])
            .ok()?
            .parse()
            .ok()
    }

    /// `[+-]hh[:mm[:ss]]` in seconds.
    fn clock(&mut self) -> Option<i64> {
        let sign = if self.eat(b'-') {
            -1
        } else {
            self.eat(b'+');
            1
        };
        let mut seconds = self.number()? * 3600;
        if self.eat(b':') {
            seconds += self.number()? * 60;
            if self.eat(b':') {
                seconds += self.number()?;
            }
        }
        Some(sign * seconds)
    }

    fn change(&mut self) -> Option<Change> {
        let day = if self.eat(b'M') {
            let month = self.number()?;
            self.eat(b'.').then_some(())?;
            let week = self.number()?;
            self.eat(b'.').then_some(())?;
            Day::WeekdayOfMonth(month, week, self.number()?)
        } else if self.eat(b'J') {
            Day::JulianNoLeap(self.number()?)
        } else {
            Day::OrdinalWithLeap(self.number()?)
        };
        let time = if self.eat(b'/') { self.clock()? } else { 7200 };
        Some(Change { day, time })
    }
}

impl Rule {
    fn parse(text: &str) -> Option<Rule> {
        let mut p = RuleParser {
            text: text.as_bytes(),
            at: 0,
        };
        p.name()?;
        // POSIX offsets are west-positive.
        let standard = -p.clock()?;
        if p.peek().is_none() {
            return Some(Rule {
                standard,
                daylight: None,
            });
        }
        p.name()?;
        let dst = if matches!(p.peek(), Some(b',') | None) {
            standard + 3600
        } else {
            -p.clock()?
        };
        p.eat(b',').then_some(())?;
        let start = p.change()?;
        p.eat(b',').then_some(())?;
        let end = p.change()?;
        Some(Rule {
            standard,
            daylight: Some((dst, start, end)),
        })
    }

    fn offset_at(&self, utc: i64) -> i64 {
        let Some((dst, start, end)) = self.daylight else {
            return self.standard;
        };
        let year = super::time::date_time(utc + self.standard).year;
        // Starts are given in standard local time, ends in daylight time.
        let starts = change_instant(year, start) - self.standard;
        let ends = change_instant(year, end) - dst;
        let in_dst = if starts < ends {
            utc >= starts && utc < ends
        } else {
            utc >= starts || utc < ends
        };
        if in_dst {
            dst
        } else {
            self.standard
        }
    }
}

pub(super) fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days from 1970-01-01 to `year`-`month`-`day` (Howard Hinnant's
/// `days_from_civil`).
pub(super) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The local instant (seconds since 1970, as if local time were UTC) of a
/// change in `year`.
fn change_instant(year: i64, change: Change) -> i64 {
    let days = match change.day {
        Day::WeekdayOfMonth(month, week, weekday) => {
            let first = days_from_civil(year, month, 1);
            // 1970-01-01 was a Thursday (weekday 4).
            let first_weekday = (first + 4).rem_euclid(7);
            let mut day = first + (weekday - first_weekday).rem_euclid(7) + (week - 1) * 7;
            let next_month = if month == 12 {
                days_from_civil(year + 1, 1, 1)
            } else {
                days_from_civil(year, month + 1, 1)
            };
            while day >= next_month {
                day -= 7;
            }
            day
        }
        Day::JulianNoLeap(n) => {
            let jan1 = days_from_civil(year, 1, 1);
            jan1 + n - 1 + i64::from(is_leap(year) && n >= 60)
        }
        Day::OrdinalWithLeap(n) => days_from_civil(year, 1, 1) + n,
    };
    days * 86_400 + change.time
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posix_rules_give_the_offsets_of_the_tz_database() {
        // date -d @T with TZ=Europe/Paris and America/New_York: 2024-03-31
        // 01:00 UTC starts CEST; 2024-10-27 01:00 UTC ends it; 2024-03-10
        // 07:00 UTC starts EDT.
        let paris = Rule::parse("CET-1CEST,M3.5.0,M10.5.0/3").unwrap();
        assert_eq!(paris.offset_at(1_711_846_799), 3600);
        assert_eq!(paris.offset_at(1_711_846_800), 7200);
        assert_eq!(paris.offset_at(1_729_990_799), 7200);
        assert_eq!(paris.offset_at(1_729_990_800), 3600);
        let new_york = Rule::parse("EST5EDT,M3.2.0,M11.1.0").unwrap();
        assert_eq!(new_york.offset_at(1_710_053_999), -5 * 3600);
        assert_eq!(new_york.offset_at(1_710_054_000), -4 * 3600);
        let fixed = Rule::parse("<+0330>-3:30").unwrap();
        assert_eq!(fixed.offset_at(0), 3 * 3600 + 1800);
        assert_eq!(Rule::parse("UTC0").unwrap().offset_at(12345), 0);
    }

    #[test]
    fn tzif_files_are_read() {
        // The tz database files of the machine (skipped when absent).
        let Ok(data) = std::fs::read("/usr/share/zoneinfo/Europe/Paris") else {
            return;
        };
        let zone = parse_tzif(&data).unwrap();
        assert_eq!(zone.offset_at(1_711_846_800), 7200);
        assert_eq!(zone.offset_at(1_729_990_800), 3600);
        // 2050-07-01, past most files' transitions: the footer's rule.
        assert_eq!(zone.offset_at(2_539_987_200), 7200);
        let utc = parse_tzif(&std::fs::read("/usr/share/zoneinfo/Etc/UTC").unwrap()).unwrap();
        assert_eq!(utc.offset_at(1_700_000_000), 0);
    }
}
