//! Shared by the integration tests that use `erl` as the oracle.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Where Debian installs OTP and Elixir, whose `.beam` files the tests use.
pub const INSTALL_ROOTS: [&str; 2] = ["/usr/lib/erlang", "/usr/lib/elixir"];

/// Fails the test with a clear message when OTP's tools are not installed:
/// these tests are the project's oracle and must not pass silently without it.
pub fn require_erl() {
    for tool in ["erl", "erlc"] {
        tool_path(tool);
    }
}

/// The path of a program on PATH; fails the test clearly when it is absent.
pub fn tool_path(program: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!("`{program}` is not on PATH: install OTP 25 (scripts/setup.sh does)")
        })
}

/// Every `.beam` file below `dir`, appended to `out`.
pub fn beam_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            beam_files(&path, out);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "beam") {
            out.push(path);
        }
    }
}

/// The installed file called `name` (e.g. `lists.beam`), under the OTP or
/// Elixir installation.
pub fn installed_file(name: &str) -> PathBuf {
    fn find(dir: &Path, name: &str) -> Option<PathBuf> {
        for entry in std::fs::read_dir(dir).ok()?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if let Some(found) = find(&path, name) {
                    return Some(found);
                }
            } else if path.file_name().is_some_and(|n| n == name) {
                return Some(path);
            }
        }
        None
    }
    INSTALL_ROOTS
        .iter()
        .find_map(|root| find(Path::new(root), name))
        .unwrap_or_else(|| panic!("{name} not found: this test needs OTP 25 and Elixir installed"))
}

/// Runs a command that must succeed and returns its stdout.
pub fn run(command: &mut Command) -> Vec<u8> {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// A fresh scratch directory for one test.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Compiles the project's Erlang tool `tests/tools/NAME.erl` into `out`.
pub fn compile_tool(name: &str, out: &Path) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/tools")
        .join(format!("{name}.erl"));
    let status = Command::new("erlc")
        .arg("-o")
        .arg(out)
        .arg(&src)
        .status()
        .expect("run erlc");
    assert!(status.success(), "erlc failed on {}", src.display());
}

/// Runs `erl -noshell -pa DIR -eval EXPR` and returns its stdout.
pub fn run_erl(code_dir: &Path, expr: &str) -> String {
    let out = run(Command::new("erl")
        .arg("-noshell")
        .arg("-pa")
        .arg(code_dir)
        .arg("-eval")
        .arg(format!("{expr}, halt().")));
    String::from_utf8(out).expect("erl printed UTF-8")
}

/// `tests/erlang`: the project's Erlang test programs.
pub fn erlang_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/erlang")
}

/// Compiles `tests/erlang/NAME.erl` for each name into `out`, in one erlc
/// run. The sources are named relative to `tests/erlang`, as the record
/// scripts name them, so stack traces show the same file names.
pub fn compile_erlang(names: &[String], out: &Path) {
    if names.is_empty() {
        return;
    }
    run(Command::new("erlc")
        .current_dir(erlang_dir())
        .arg("-o")
        .arg(out)
        .args(names.iter().map(|name| format!("{name}.erl"))));
}

/// The names listed in a file of `tests/erlang` (one a line; blank lines
/// and `#` comments skipped); empty if there is no such file.
pub fn name_list(file: &str) -> Vec<String> {
    std::fs::read_to_string(erlang_dir().join(file))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// What a program run under a time limit gave.
pub struct Outcome {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// `None` when it was killed at the time limit.
    pub status: Option<ExitStatus>,
}

/// Runs `command` with no input, killing it after `limit`; both output
/// pipes are drained while it runs, so a large output cannot stall it.
pub fn run_with_limit(command: &mut Command, limit: Duration) -> Result<Outcome, String> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
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
            Ok(None) if start.elapsed() <= limit => std::thread::sleep(Duration::from_millis(5)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    Ok(Outcome {
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        status,
    })
}

/// The first point where two outputs differ, with some context.
pub fn first_difference(expected: &str, got: &str) -> String {
    let at = expected
        .bytes()
        .zip(got.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(got.len()));
    let from = at.saturating_sub(60);
    let clip = |s: &str| -> String {
        String::from_utf8_lossy(&s.as_bytes()[from.min(s.len())..])
            .chars()
            .take(160)
            .collect()
    };
    format!(
        "at byte {at}:\n    erl:    {}\n    oxbeam: {}",
        clip(expected),
        clip(got)
    )
}

pub fn from_hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}
