//! The `oxbeam` command line.

mod erl_args;

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: oxbeam dis [--normalized | --normalized-with-literals] FILE.beam...
       oxbeam dis --loaded [--otp-root DIR] [-pa DIR]... [-pz DIR]... (FILE.beam | MODULE)...
       oxbeam load FILE.beam...
       oxbeam call [--otp-root DIR] [-pa DIR]... [-pz DIR]... MODULE FUNCTION [ARG...]";

/// The command line of `erl` that oxbeam takes (direct mode).
const ERL_USAGE: &str =
    "       oxbeam [-noshell] [-noinput] [-pa DIR...] [-pz DIR...] [-s MOD [FUN [ARG...]]]...
              [-run MOD [FUN [ARG...]]]... [-eval EXPRS]... [+S N] [-extra ARG...]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os().skip(1).map(arg_text).collect();
    match args.first().map(String::as_str) {
        Some("dis") => dis(&args[1..]),
        Some("load") if args.len() > 1 => load(&args[1..]),
        Some("call") => call(&args[1..]),
        Some("load") | None => {
            eprintln!("{USAGE}\n{ERL_USAGE}");
            ExitCode::from(2)
        }
        Some(_) => erl(&args),
    }
}

/// An argument's characters, as erl's init reads them: UTF-8, or else
/// each byte a Latin-1 character.
fn arg_text(arg: std::ffi::OsString) -> String {
    use std::os::unix::ffi::OsStringExt;
    match arg.into_string() {
        Ok(text) => text,
        Err(arg) => arg.into_vec().into_iter().map(char::from).collect(),
    }
}

/// `oxbeam [erl's flags]...`: runs the command line as `erl -noshell` does
/// (direct mode, DESIGN §6): the `-s`, `-run` and `-eval` items in order,
/// then on until `halt` or `init:stop`, whose status is the exit status.
/// (There is no shell: without `-noshell` it runs as with it.)
fn erl(args: &[String]) -> ExitCode {
    let (emulator, init_args) = match erl_args::launcher(args) {
        Ok(split) => split,
        Err(e) => {
            eprintln!("oxbeam: {e}");
            return ExitCode::from(1);
        }
    };
    let root = std::env::var_os("OXBEAM_OTP_ROOT")
        .map(std::path::PathBuf::from)
        .or_else(find_otp_root);
    let Some(root) = root else {
        eprintln!(
            "oxbeam: cannot find the OTP installation: put erl on PATH or set OXBEAM_OTP_ROOT"
        );
        return ExitCode::from(1);
    };
    let command_line = erl_args::init(erl_args::launcher_flags(&root), &init_args);
    oxbeam::code::module::set_code_path(erl_args::code_path(&root, &command_line));
    oxbeam::direct::boot(command_line, emulator.schedulers.unwrap_or_else(schedulers))
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
        Some("--loaded") => return dis_loaded(&args[1..]),
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

/// `oxbeam call [--otp-root DIR] [-pa DIR]... [-pz DIR]... MOD FUN [ARG...]`:
/// calls `MOD:FUN(ARG...)` (each ARG an Erlang term) in one process and
/// prints what `io_lib:format("~w~n", [catch MOD:FUN(ARG...)])` prints on
/// erl: the value, `{'EXIT',{Reason,Stacktrace}}` for an error or exit, the
/// thrown term for a throw.
fn call(args: &[String]) -> ExitCode {
    use oxbeam::term::Atom;
    let rest = match code_path_options(args) {
        Ok(rest) => rest,
        Err(status) => return status,
    };
    let [module, function, call_args @ ..] = rest else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };

    let mut literals = oxbeam::heap::LiteralArea::new();
    let mut terms = Vec::new();
    for text in call_args {
        match oxbeam::term::parse::parse_term(text, &mut literals) {
            Ok(t) => terms.push(t),
            Err(e) => {
                eprintln!("oxbeam: argument {text}: {e}");
                return ExitCode::from(1);
            }
        }
    }
    let (Ok(module), Ok(function)) = (Atom::intern(module), Atom::intern(function)) else {
        eprintln!("oxbeam: module and function names must be atoms");
        return ExitCode::from(1);
    };
    let export = oxbeam::code::export_entry(module, function, terms.len() as u32);
    let user = match oxbeam::direct::start_io_servers() {
        Ok(user) => user,
        Err(e) => {
            eprintln!("oxbeam: {e}");
            return ExitCode::from(1);
        }
    };
    let (done, result) = std::sync::mpsc::channel();
    let rt = oxbeam::vm::runtime::runtime();
    rt.spawn(None, export, &terms, &Default::default(), move |process| {
        process.group_leader = oxbeam::term::Term::local_pid(user);
        process.on_exit = Some(Box::new(move |process, ending| {
            let _ = done.send(caught_text(process, ending));
        }));
    });
    oxbeam::vm::runtime::start(schedulers());
    let Ok(text) = result.recv() else {
        eprintln!("oxbeam: the process ended without a result");
        return ExitCode::from(1);
    };
    println!("{text}");
    write_op_profile();
    ExitCode::SUCCESS
}

/// What `io_lib:format("~w", [catch F()])` prints for how a call ended.
fn caught_text(
    process: &mut oxbeam::vm::process::Process,
    ending: &oxbeam::vm::interp::Ending,
) -> String {
    use oxbeam::term::{atoms, build, print, Term};
    use oxbeam::vm::interp::Ending;
    let exit = |process: &mut oxbeam::vm::process::Process, inner| {
        build::tuple(&mut process.heap, &[Term::atom(atoms::EXIT), inner])
    };
    let caught = match ending {
        Ending::Returned(value) => *value,
        Ending::Raised(e) if e.class == oxbeam::bif::Class::Throw => e.reason,
        Ending::Raised(e) if e.class == oxbeam::bif::Class::Error => {
            let inner = build::tuple(&mut process.heap, &[e.reason, e.stacktrace]);
            exit(process, inner)
        }
        Ending::Raised(e) => exit(process, e.reason),
        Ending::Killed(reason) => exit(process, *reason),
    };
    print::to_string(caught)
}

/// Scheduler threads: one per core (erl's default).
fn schedulers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Writes the instruction profile to the file named by
/// `OXBEAM_PROFILE_OPS`, if set (counted only in a build with the
/// `op-profile` feature).
fn write_op_profile() {
    let Some(path) = std::env::var_os("OXBEAM_PROFILE_OPS") else {
        return;
    };
    #[cfg(feature = "op-profile")]
    if let Err(e) = std::fs::write(&path, oxbeam::vm::profile::report()) {
        eprintln!("oxbeam: {}: {e}", std::path::Path::new(&path).display());
    }
    #[cfg(not(feature = "op-profile"))]
    eprintln!(
        "oxbeam: OXBEAM_PROFILE_OPS={} ignored: build with --features op-profile",
        std::path::Path::new(&path).display()
    );
}

/// Reads the leading `--otp-root DIR`, `-pa DIR` and `-pz DIR` options and
/// sets the code path: the `-pa` dirs, OTP's (from `--otp-root`,
/// `OXBEAM_OTP_ROOT` or `erl` on PATH), then the `-pz` dirs. Returns the
/// arguments that follow, or the exit status of a failure it reported.
fn code_path_options(args: &[String]) -> Result<&[String], ExitCode> {
    let mut front = Vec::new();
    let mut back = Vec::new();
    let mut otp_root = std::env::var_os("OXBEAM_OTP_ROOT").map(std::path::PathBuf::from);
    let mut rest = args;
    loop {
        match rest {
            [flag, dir, tail @ ..] if flag == "-pa" => {
                front.push(std::path::PathBuf::from(dir));
                rest = tail;
            }
            [flag, dir, tail @ ..] if flag == "-pz" => {
                back.push(std::path::PathBuf::from(dir));
                rest = tail;
            }
            [flag, dir, tail @ ..] if flag == "--otp-root" => {
                otp_root = Some(std::path::PathBuf::from(dir));
                rest = tail;
            }
            _ => break,
        }
    }
    let Some(root) = otp_root.or_else(find_otp_root) else {
        eprintln!("oxbeam: cannot find the OTP installation: put erl on PATH, set OXBEAM_OTP_ROOT or pass --otp-root");
        return Err(ExitCode::from(1));
    };
    let mut path = front;
    path.extend(otp_code_path(&root));
    path.extend(back);
    oxbeam::code::module::set_code_path(path);
    Ok(rest)
}

/// `oxbeam dis --loaded [CODE PATH OPTIONS] (FILE.beam | MODULE)...`: the
/// translated code of each file, or of each module loaded from the code
/// path. Exits with status 1 on the first that cannot be loaded.
fn dis_loaded(args: &[String]) -> ExitCode {
    let names = match code_path_options(args) {
        Ok(names) => names,
        Err(status) => return status,
    };
    if names.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    let mut text = String::new();
    for name in names {
        let module = if name.ends_with(".beam") {
            load_file(name)
        } else {
            load_module(name)
        };
        let module = match module {
            Ok(module) => module,
            Err(e) => {
                eprintln!("oxbeam: {name}: {e}");
                return ExitCode::from(1);
            }
        };
        text.clear();
        oxbeam::vm::listing::write_module(&mut text, module);
        if stdout.write_all(text.as_bytes()).is_err() {
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

/// Loads and translates a `.beam` file (it is not installed: its exports
/// stay as they are).
fn load_file(file: &str) -> Result<&'static oxbeam::code::module::Module, String> {
    let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
    let beam = oxbeam::loader::load(&bytes).map_err(|e| e.to_string())?;
    let module = oxbeam::vm::translate::translate(beam, 0)?;
    Ok(Box::leak(Box::new(module)))
}

/// The module `name`, loaded from the code path.
fn load_module(name: &str) -> Result<&'static oxbeam::code::module::Module, String> {
    use oxbeam::code::module::{ensure_loaded, LoadFailure};
    let atom = oxbeam::term::Atom::intern(name).map_err(|e| format!("{e:?}"))?;
    ensure_loaded(atom).map_err(|e| match e {
        LoadFailure::NotFound => "not found in the code path".to_string(),
        LoadFailure::Bad(why) => why,
    })
}

/// The OTP installation that `erl` on PATH belongs to: `erl` is
/// `ROOT/bin/erl`, usually reached through a symlink.
fn find_otp_root() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    let erl = std::env::split_paths(&path)
        .map(|dir| dir.join("erl"))
        .find(|p| p.is_file())?;
    let erl = std::fs::canonicalize(erl).ok()?;
    let root = erl.parent()?.parent()?.to_path_buf();
    root.join("lib").is_dir().then_some(root)
}

/// `ROOT/lib/*/ebin`, then the erts `ebin` (preloaded modules), as erl's
/// default code path.
fn otp_code_path(root: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("lib"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path().join("ebin"))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    if let Ok(entries) = std::fs::read_dir(root) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with("erts-") {
                let ebin = entry.path().join("ebin");
                if ebin.is_dir() {
                    dirs.push(ebin);
                }
            }
        }
    }
    dirs
}
