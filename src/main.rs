//! The `oxbeam` command line.

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: oxbeam dis [--normalized] FILE.beam...";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("dis") => dis(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// `oxbeam dis [--normalized] FILE...`: disassembles each file; on the
/// first file that fails to load, reports it and exits with status 1.
fn dis(args: &[String]) -> ExitCode {
    let (normalized, files) = match args.first().map(String::as_str) {
        Some("--normalized") => (true, &args[1..]),
        _ => (false, args),
    };
    if files.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    let mut text = String::new();
    for file in files {
        let bytes = match std::fs::read(file) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("oxbeam: {file}: {e}");
                return ExitCode::from(1);
            }
        };
        let beam = match oxbeam::loader::load(&bytes) {
            Ok(beam) => beam,
            Err(e) => {
                eprintln!("oxbeam: {file}: {e}");
                return ExitCode::from(1);
            }
        };
        text.clear();
        if normalized {
            oxbeam::dis::write_normalized(&mut text, &beam);
        } else {
            oxbeam::dis::write_listing(&mut text, &beam);
        }
        if stdout.write_all(text.as_bytes()).is_err() {
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}
