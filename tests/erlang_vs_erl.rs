//! The project's Erlang test programs (`tests/erlang/*.erl`) run on oxbeam
//! with `oxbeam call -pa DIR MODULE main`, normally and with a garbage
//! collection at every safe point, and compared with what erl printed for
//! them (`tests/erlang/expected/*.txt`, recorded by `record.sh`).
//!
//! Modules listed in `tests/erlang/passing.txt` must match; a mismatch of
//! one of them fails the test. The others are reported, and a module that
//! starts to match is named so it can be added to the list.

mod support;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn erlang_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/erlang")
}

/// How long one program may run (erl runs each in well under a second).
const TIME_LIMIT: Duration = Duration::from_secs(120);

/// Runs `module:main()` on oxbeam; its stdout, or what went wrong.
fn run_oxbeam(code: &Path, module: &str, gc_stress: bool) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_oxbeam"));
    command
        .args(["call", "-pa"])
        .arg(code)
        .args([module, "main"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if gc_stress {
        command.env("OXBEAM_GC_STRESS", "1");
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => return format!("cannot run oxbeam: {e}"),
    };
    // Drain both pipes while waiting, so a large output cannot stall it.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() <= TIME_LIMIT => {
                std::thread::sleep(Duration::from_millis(5))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let mut text = stdout.join().unwrap_or_default();
    match status {
        Some(status) if status.success() => {}
        Some(status) => text += &format!("[exit {status}] {}", stderr.join().unwrap_or_default()),
        None => text += &format!("[killed after {TIME_LIMIT:?}]"),
    }
    text
}

/// The first point where two outputs differ, with some context.
fn first_difference(expected: &str, got: &str) -> String {
    let at = expected
        .bytes()
        .zip(got.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(got.len()));
    let from = at.saturating_sub(60);
    let clip = |s: &str| -> String { s.chars().skip(from).take(160).collect() };
    format!(
        "at byte {at}:\n    erl:    {}\n    oxbeam: {}",
        clip(expected),
        clip(got)
    )
}

#[test]
fn erlang_programs_give_what_erl_gives() {
    support::require_erl();
    let dir = erlang_dir();
    let code = support::scratch_dir("erlang_vs_erl");
    let mut modules: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/erlang")
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".erl").map(str::to_string)
        })
        // The concurrency programs run through the erl-like command line
        // (tests/concurrency_vs_erl.rs).
        .filter(|name| !name.starts_with("c_"))
        .collect();
    modules.sort();
    assert!(!modules.is_empty(), "no test programs in tests/erlang");
    for module in &modules {
        support::run(
            Command::new("erlc")
                .arg("-o")
                .arg(&code)
                .arg(dir.join(format!("{module}.erl"))),
        );
    }
    let passing_list = std::fs::read_to_string(dir.join("passing.txt")).unwrap_or_default();
    let must_pass: Vec<&str> = passing_list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    for name in &must_pass {
        assert!(
            modules.iter().any(|m| m == name),
            "passing.txt names {name}, which is not a test program"
        );
    }

    let mut failures = Vec::new();
    let mut newly_passing = Vec::new();
    let mut matched = 0;
    for module in &modules {
        let expected = std::fs::read_to_string(dir.join("expected").join(format!("{module}.txt")))
            .unwrap_or_else(|_| {
                panic!("no expected output for {module}: run tests/erlang/record.sh")
            });
        let required = must_pass.contains(&module.as_str());
        let mut ok = true;
        for gc_stress in [false, true] {
            let got = run_oxbeam(&code, module, gc_stress);
            if got != expected {
                ok = false;
                if required {
                    let mode = if gc_stress { " (GC stress)" } else { "" };
                    failures.push(format!(
                        "{module}{mode}: {}",
                        first_difference(&expected, &got)
                    ));
                }
                break;
            }
        }
        if ok {
            matched += 1;
            if !required {
                newly_passing.push(module.clone());
            }
        }
    }
    eprintln!(
        "{matched} of {} Erlang test programs give what erl gives",
        modules.len()
    );
    if !newly_passing.is_empty() {
        eprintln!(
            "now matching erl, add to tests/erlang/passing.txt: {}",
            newly_passing.join(" ")
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
