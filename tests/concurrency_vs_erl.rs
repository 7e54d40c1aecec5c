//! The concurrency programs (`tests/erlang/c_*.erl`) and the command-line
//! cases (`tests/erlang/cli_cases.txt`) run on oxbeam through its erl-like
//! command line, and compared with what erl gave for them
//! (`tests/erlang/expected/NAME.txt`: standard output, then `[exit N]`;
//! recorded by `record_conc.sh`).
//!
//! A program runs as `oxbeam -noshell -pa DIR -eval 'NAME:main(), halt().'`
//! and a case as `oxbeam -pa DIR ARGS...`, where DIR holds the compiled
//! `c_*.erl`. Each runs in every mode: as is, with `OXBEAM_GC_STRESS=1`
//! (a collection at every safe point), with `OXBEAM_REDS_STRESS=1` (a tiny
//! reduction budget, so processes are switched as often as possible), and
//! with `+S 1` and `+S 2` schedulers.
//!
//! Names listed in `tests/erlang/passing_concurrency.txt` must match in
//! every mode; a mismatch of one of them fails the test. The others are
//! reported, and one that starts to match is named so it can be listed.

mod support;

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// How long one run may take (erl runs each program in well under 2 s).
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// The ways each program and case is run.
#[derive(Clone, Copy)]
enum Mode {
    Plain,
    GcStress,
    RedsStress,
    Schedulers(&'static str),
}

const MODES: [Mode; 5] = [
    Mode::Plain,
    Mode::GcStress,
    Mode::RedsStress,
    Mode::Schedulers("1"),
    Mode::Schedulers("2"),
];

impl Mode {
    fn describe(self) -> String {
        match self {
            Mode::Plain => "as is".to_string(),
            Mode::GcStress => "OXBEAM_GC_STRESS=1".to_string(),
            Mode::RedsStress => "OXBEAM_REDS_STRESS=1".to_string(),
            Mode::Schedulers(n) => format!("+S {n}"),
        }
    }

    /// An oxbeam command in this mode: emulator flags come first.
    fn command(self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_oxbeam"));
        match self {
            Mode::Plain => {}
            Mode::GcStress => {
                command.env("OXBEAM_GC_STRESS", "1");
            }
            Mode::RedsStress => {
                command.env("OXBEAM_REDS_STRESS", "1");
            }
            Mode::Schedulers(n) => {
                command.args(["+S", n]);
            }
        }
        command
    }
}

/// A program or a command-line case: its name and its arguments.
struct Run {
    name: String,
    args: Vec<OsString>,
}

/// The concurrency programs, by name, sorted.
fn programs() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(support::erlang_dir())
        .expect("tests/erlang")
        .flatten()
        .filter_map(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            file.strip_suffix(".erl")
                .filter(|name| name.starts_with("c_"))
                .map(str::to_string)
        })
        .collect();
    names.sort();
    names
}

/// The lines of `cli_cases.txt`: each case's name and its arguments as
/// written.
fn cli_case_lines() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(support::erlang_dir().join("cli_cases.txt"))
        .expect("tests/erlang/cli_cases.txt");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|line| {
            let (name, args) = line
                .split_once(' ')
                .unwrap_or_else(|| panic!("cli_cases.txt: no arguments in {line:?}"));
            assert!(
                name.starts_with("cli_")
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "cli_cases.txt: a case name is cli_ then [a-z0-9_]: {name:?}"
            );
            (name.to_string(), args.to_string())
        })
        .collect()
}

/// The cases of `cli_cases.txt`: name and arguments.
fn cli_cases() -> Vec<(String, Vec<String>)> {
    cli_case_lines()
        .into_iter()
        .map(|(name, args)| {
            let args = split_args(&args).unwrap_or_else(|e| panic!("cli_cases.txt: {name}: {e}"));
            (name, args)
        })
        .collect()
}

/// Splits a case's arguments as sh splits them, under the rules of
/// `cli_cases.txt`: spaces separate arguments, a part in single quotes is
/// taken as it is, and outside quotes only `[A-Za-z0-9_./+:=@%,-]` may
/// appear (so no other shell syntax can make the two readings differ).
fn split_args(text: &str) -> Result<Vec<String>, String> {
    let mut args = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    for c in text.chars() {
        if quoted {
            if c == '\'' {
                quoted = false;
            } else {
                word.get_or_insert_with(String::new).push(c);
            }
        } else if c == '\'' {
            quoted = true;
            word.get_or_insert_with(String::new);
        } else if c == ' ' {
            args.extend(word.take());
        } else if c.is_ascii_alphanumeric() || "_./+:=@%,-".contains(c) {
            word.get_or_insert_with(String::new).push(c);
        } else {
            return Err(format!("{c:?} outside single quotes"));
        }
    }
    if quoted {
        return Err("unterminated single quote".to_string());
    }
    args.extend(word);
    Ok(args)
}

/// Runs one program or case in one mode, in `cwd`: what it printed on
/// standard output, then `[exit N]` (as the expected files have it); and
/// the start of what it printed on standard error.
fn run_oxbeam(run: &Run, mode: Mode, cwd: &Path) -> (Vec<u8>, String) {
    let mut command = mode.command();
    command.current_dir(cwd).args(&run.args);
    let outcome = match support::run_with_limit(&mut command, TIME_LIMIT) {
        Ok(outcome) => outcome,
        Err(e) => return (format!("[{e}]\n").into_bytes(), String::new()),
    };
    let stderr = String::from_utf8_lossy(&outcome.stderr)
        .chars()
        .take(300)
        .collect();
    let mut text = outcome.stdout;
    let end = match outcome.status {
        Some(status) => match status.code() {
            Some(code) => format!("[exit {code}]\n"),
            None => format!("[{status}]\n"),
        },
        None => format!("[killed after {TIME_LIMIT:?}]\n"),
    };
    text.extend_from_slice(end.as_bytes());
    (text, stderr)
}

/// One line saying where oxbeam's output departs from erl's.
fn short_difference(expected: &[u8], got: &[u8]) -> String {
    let at = expected
        .iter()
        .zip(got)
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(got.len()));
    let from = at.saturating_sub(20).min(got.len());
    let got: String = String::from_utf8_lossy(&got[from..])
        .chars()
        .take(100)
        .collect();
    format!("at byte {at}, oxbeam gave {got:?}")
}

#[test]
fn concurrency_programs_and_command_lines_give_what_erl_gives() {
    support::require_erl();
    let dir = support::erlang_dir();
    let code = support::scratch_dir("concurrency_vs_erl");
    let cwd = code.join("run");
    std::fs::create_dir_all(&cwd).expect("create the runs' directory");
    let programs = programs();
    assert!(!programs.is_empty(), "no c_*.erl programs in tests/erlang");
    support::compile_erlang(&programs, &code);

    let mut runs: Vec<Run> = programs
        .iter()
        .map(|name| Run {
            name: name.clone(),
            args: vec![
                "-noshell".into(),
                "-pa".into(),
                code.clone().into(),
                "-eval".into(),
                format!("{name}:main(), halt().").into(),
            ],
        })
        .collect();
    runs.extend(cli_cases().into_iter().map(|(name, args)| {
        Run {
            name,
            args: ["-pa".into(), code.clone().into_os_string()]
                .into_iter()
                .chain(args.into_iter().map(OsString::from))
                .collect(),
        }
    }));
    let must_pass = support::name_list("passing_concurrency.txt");
    for name in &must_pass {
        assert!(
            runs.iter().any(|r| &r.name == name),
            "passing_concurrency.txt names {name}, which is neither a program nor a case"
        );
    }

    let mut failures = Vec::new();
    let mut not_matching = Vec::new();
    let mut newly_passing = Vec::new();
    for run in &runs {
        let expected = std::fs::read(dir.join("expected").join(format!("{}.txt", run.name)))
            .unwrap_or_else(|_| {
                panic!(
                    "no expected output for {}: run tests/erlang/record_conc.sh",
                    run.name
                )
            });
        let required = must_pass.contains(&run.name);
        let mismatch = MODES.iter().find_map(|&mode| {
            let (got, stderr) = run_oxbeam(run, mode, &cwd);
            (got != expected).then_some((mode, got, stderr))
        });
        match mismatch {
            None if !required => newly_passing.push(run.name.clone()),
            None => {}
            Some((mode, got, stderr)) if required => failures.push(format!(
                "{} ({}): {}\n    stderr: {stderr:?}",
                run.name,
                mode.describe(),
                support::first_difference(
                    &String::from_utf8_lossy(&expected),
                    &String::from_utf8_lossy(&got)
                )
            )),
            Some((mode, got, _)) => not_matching.push(format!(
                "  {} ({}): {}",
                run.name,
                mode.describe(),
                short_difference(&expected, &got)
            )),
        }
    }
    eprintln!(
        "{} of {} concurrency programs and command-line cases give what erl gives",
        runs.len() - failures.len() - not_matching.len(),
        runs.len()
    );
    if !not_matching.is_empty() {
        eprintln!(
            "not matching yet (not in passing_concurrency.txt):\n{}",
            not_matching.join("\n")
        );
    }
    if !newly_passing.is_empty() {
        eprintln!(
            "now matching erl, add to tests/erlang/passing_concurrency.txt: {}",
            newly_passing.join(" ")
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn case_arguments_split_as_sh_splits_them() {
    for (name, line) in cli_case_lines() {
        let out = support::run(Command::new("sh").args([
            "-c",
            r#"eval "set -- $1"; printf '%s\0' "$@""#,
            "sh",
            &line,
        ]));
        let by_sh: Vec<String> = String::from_utf8(out)
            .expect("UTF-8")
            .split_terminator('\0')
            .map(str::to_string)
            .collect();
        assert_eq!(split_args(&line), Ok(by_sh), "{name}");
    }
}

#[test]
fn split_args_follows_the_quoting_rules() {
    assert_eq!(
        split_args("a  'b c'd '' -x=1,2").unwrap(),
        ["a", "b cd", "", "-x=1,2"]
    );
    assert_eq!(split_args("'it''s'").unwrap(), ["its"]);
    for bad in ["\"x\"", "a$b", "'open", "a\\ b", "a;b", "a\tb"] {
        assert!(split_args(bad).is_err(), "{bad:?} accepted");
    }
}
