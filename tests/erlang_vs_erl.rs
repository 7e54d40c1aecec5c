//! The project's Erlang test programs (`tests/erlang/*.erl`) run on oxbeam
//! with `oxbeam call -pa DIR MODULE main`, normally and with a garbage
//! collection at every safe point, and compared with what erl printed for
//! them (`tests/erlang/expected/*.txt`, recorded by `record.sh`).
//!
//! Modules listed in `tests/erlang/passing.txt` must match; a mismatch of
//! one of them fails the test. The others are reported, and a module that
//! starts to match is named so it can be added to the list. Programs run
//! two at a time (CI has two cores); the slowest, `w_deep` under GC
//! stress (a collection at each of its calls, every one scanning a stack
//! tens of thousands of frames deep), takes about two minutes.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// How long one program may run (erl runs each in well under a second;
/// see the module doc for the slowest under GC stress).
const TIME_LIMIT: Duration = Duration::from_secs(360);

/// How many programs run at once.
const WORKERS: usize = 2;

/// Runs `module:main()` on oxbeam; its stdout, or what went wrong.
fn run_oxbeam(code: &Path, module: &str, gc_stress: bool) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_oxbeam"));
    command
        .args(["call", "-pa"])
        .arg(code)
        .args([module, "main"]);
    if gc_stress {
        command.env("OXBEAM_GC_STRESS", "1");
    }
    let outcome = match support::run_with_limit(&mut command, TIME_LIMIT) {
        Ok(outcome) => outcome,
        Err(e) => return e,
    };
    let mut text = String::from_utf8_lossy(&outcome.stdout).into_owned();
    match outcome.status {
        Some(status) if status.success() => {}
        Some(status) => {
            text += &format!(
                "[exit {status}] {}",
                String::from_utf8_lossy(&outcome.stderr)
            )
        }
        None => text += &format!("[killed after {TIME_LIMIT:?}]"),
    }
    text
}

#[test]
fn erlang_programs_give_what_erl_gives() {
    support::require_erl();
    let dir = support::erlang_dir();
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
    support::compile_erlang(&modules, &code);
    let must_pass = support::name_list("passing.txt");
    for name in &must_pass {
        assert!(
            modules.iter().any(|m| m == name),
            "passing.txt names {name}, which is not a test program"
        );
    }

    // Each module's outcome: whether it matched, and for a required one
    // that did not, what differed.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let outcomes = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(module) = modules.get(index) else {
                    break;
                };
                let outcome = check(&dir, &code, module, must_pass.contains(module));
                outcomes
                    .lock()
                    .expect("no worker panics")
                    .push((index, outcome));
            });
        }
    });
    let mut outcomes = outcomes.into_inner().expect("no worker panics");
    outcomes.sort_by_key(|(index, _)| *index);

    let mut failures = Vec::new();
    let mut newly_passing = Vec::new();
    let mut matched = 0;
    for (index, (ok, failure)) in outcomes {
        failures.extend(failure);
        if ok {
            matched += 1;
            if !must_pass.contains(&modules[index]) {
                newly_passing.push(modules[index].clone());
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

/// Runs `module` as is and under GC stress: whether both matched, and for a
/// `required` module what differed first.
fn check(dir: &Path, code: &Path, module: &str, required: bool) -> (bool, Option<String>) {
    let expected = std::fs::read_to_string(dir.join("expected").join(format!("{module}.txt")))
        .unwrap_or_else(|_| panic!("no expected output for {module}: run tests/erlang/record.sh"));
    for gc_stress in [false, true] {
        let got = run_oxbeam(code, module, gc_stress);
        if got != expected {
            let mode = if gc_stress { " (GC stress)" } else { "" };
            let failure = required.then(|| {
                format!(
                    "{module}{mode}: {}",
                    support::first_difference(&expected, &got)
                )
            });
            return (false, failure);
        }
    }
    (true, None)
}
