//! The `oxbeam` command line.

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: oxbeam dis [--normalized | --normalized-with-literals] FILE.beam...
       oxbeam load FILE.beam...";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("dis") => dis(&args[1..]),
        Some("load") if args.len() > 1 => load(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The forms `oxbeam dis` prints.
enum Listing {
    Readable,
    /// The form compared with `beam_disasm`, with or without literals.
    Normalized {
        literals: bool,
    },
}

/// `oxbeam dis [--normalized | --normalized-with-literals] FILE...`:
/// disassembles each file; on the first file that fails to load, reports it
/// and exits with status 1.
fn dis(args: &[String]) -> ExitCode {
    let (listing, files) = match args.first().map(String::as_str) {
        Some("--normalized") => (Listing::Normalized { literals: false }, &args[1..]),
        Some("--normalized-with-literals") => (Listing::Normalized { literals: true }, &args[1..]),
        _ => (Listing::Readable, args),
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
        match listing {
            Listing::Readable => oxbeam::dis::write_listing(&mut text, &beam),
            Listing::Normalized { literals } => {
                oxbeam::dis::write_normalized(&mut text, &beam, literals)
            }
        }
        if stdout.write_all(text.as_bytes()).is_err() {
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

/// `oxbeam load FILE...`: reads and loads every file, in parallel, and says
/// how many loaded and how long it took; reports each failure. Exits with
/// status 1 if any failed.
fn load(files: &[String]) -> ExitCode {
    let start = std::time::Instant::now();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Vec<(usize, Result<usize, String>)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut results = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(file) = files.get(i) else { break };
                        let result = std::fs::read(file)
                            .map_err(|e| e.to_string())
                            .and_then(|bytes| {
                                oxbeam::loader::load(&bytes).map_err(|e| e.to_string())
                            })
                            .map(|beam| beam.code.len());
                        results.push((i, result));
                    }
                    results
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("loader thread"))
            .collect()
    });
    let elapsed = start.elapsed();
    let mut loaded = 0;
    let mut instructions = 0;
    let mut failed = false;
    for (i, result) in results.into_iter().flatten() {
        match result {
            Ok(n) => {
                loaded += 1;
                instructions += n;
            }
            Err(e) => {
                eprintln!("oxbeam: {}: {e}", files[i]);
                failed = true;
            }
        }
    }
    println!(
        "loaded {loaded} of {} files ({instructions} instructions) in {:.1} ms on {threads} threads",
        files.len(),
        elapsed.as_secs_f64() * 1000.0
    );
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
