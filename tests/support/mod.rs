//! Shared by the integration tests that use `erl` as the oracle.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Fails the test with a clear message when OTP's tools are not installed:
/// these tests are the project's oracle and must not pass silently without it.
pub fn require_erl() {
    for tool in ["erl", "erlc"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        assert!(
            found,
            "`{tool}` is not on PATH: install OTP 25 (scripts/setup.sh does: apt-get install erlang-nox)"
        );
    }
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
    let out = Command::new("erl")
        .arg("-noshell")
        .arg("-pa")
        .arg(code_dir)
        .arg("-eval")
        .arg(format!("{expr}, halt()."))
        .output()
        .expect("run erl");
    assert!(
        out.status.success(),
        "erl failed on {expr}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("erl printed UTF-8")
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
