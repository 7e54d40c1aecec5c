//! Natives of OTP's `code` module for direct mode, where no code server
//! process runs: `code:call/1` (the function through which every request
//! of `code` reaches the code server) answers those requests itself, with
//! the code server's replies, over the module table and code path of
//! `code::module`; `which/1` and `ensure_modules_loaded/1`, which would
//! go through the prim loader, are natives too.

use std::path::{Path, PathBuf};

use super::erlang::{atom, binary_bytes, int_list};
use crate::bif::{Native, NativeResult, Raised};
use crate::code::module::{self, LoadFailure, Origin};
use crate::direct::{command_line, string};
use crate::term::{atoms, build, Atom, Term, View};
use crate::vm::process::Process;

/// The modules erl has preloaded (`erlang:pre_loaded()` on OTP 25):
/// `code` reports them as `preloaded` wherever oxbeam loaded them from.
const PRELOADED: &[&str] = &[
    "persistent_term",
    "counters",
    "atomics",
    "erts_dirty_process_signal_handler",
    "erts_literal_area_collector",
    "erl_tracer",
    "erts_internal",
    "erlang",
    "erl_prim_loader",
    "prim_zip",
    "prim_net",
    "prim_socket",
    "socket_registry",
    "zlib",
    "prim_file",
    "prim_inet",
    "prim_eval",
    "prim_buffer",
    "init",
    "erl_init",
    "erts_code_purger",
];

/// The applications whose modules are sticky (erl sticks their
/// directories at start): they cannot be reloaded.
const STICKY_APPS: &[&str] = &["kernel", "stdlib", "compiler"];

/// Is `m` one of the modules erl preloads?
pub(crate) fn is_erl_preloaded(m: Atom) -> bool {
    PRELOADED.contains(&m.name())
}

fn is_preloaded(m: Atom) -> bool {
    PRELOADED.contains(&m.name()) || module::origin(m) == Some(Origin::Preloaded)
}

fn is_sticky(m: Atom) -> bool {
    if is_preloaded(m) {
        return true;
    }
    match module::origin(m) {
        Some(Origin::File(file)) => file
            .parent()
            .and_then(app_of_dir)
            .is_some_and(|(app, _)| STICKY_APPS.contains(&app.as_str())),
        _ => false,
    }
}

/// A file name argument: a flat string, an atom or a binary.
fn filename_arg(term: Term) -> Option<String> {
    if let Some(a) = term.as_atom() {
        return Some(a.name().to_string());
    }
    if let Some(bytes) = binary_bytes(term) {
        return String::from_utf8(bytes.into_owned()).ok();
    }
    int_list(term)?
        .into_iter()
        .map(|c| char::from_u32(u32::try_from(c).ok()?))
        .collect()
}

/// A directory as erl's code server keeps it (`filename:join([Dir])`):
/// no repeated or trailing slashes.
fn normalize_dir(dir: &str) -> String {
    let absolute = dir.starts_with('/');
    let parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    match (absolute, parts.is_empty()) {
        (true, _) => format!("/{}", parts.join("/")),
        (false, true) => dir.to_string(),
        (false, false) => parts.join("/"),
    }
}

fn path_term(process: &mut Process, path: &Path) -> Term {
    string(&mut process.heap, &path.to_string_lossy())
}

/// The application a code path directory belongs to, and its directory:
/// `.../Name-Vsn/ebin` or `.../Name-Vsn` gives `Name`.
fn app_of_dir(dir: &Path) -> Option<(String, PathBuf)> {
    let app_dir = if dir.file_name()? == "ebin" {
        dir.parent()?
    } else {
        dir
    };
    let base = app_dir.file_name()?.to_string_lossy().into_owned();
    let name = match base.rfind('-') {
        Some(i) if base[i + 1..].starts_with(|c: char| c.is_ascii_digit()) => base[..i].to_string(),
        _ => base,
    };
    Some((name, app_dir.to_path_buf()))
}

/// The directory of application `app`, from the code path.
fn lib_dir_of(app: &str) -> Option<PathBuf> {
    module::code_path()
        .iter()
        .filter_map(|d| app_of_dir(d))
        .find(|(name, _)| name == app)
        .map(|(_, dir)| dir)
}

/// The OTP installation: the command line's `-root`, else the directory
/// holding the `lib` directory of kernel on the code path.
fn root_dir() -> String {
    if let Some(root) = command_line()
        .flag_values("root")
        .next()
        .and_then(|v| v.first())
    {
        return root.clone();
    }
    lib_dir_of("kernel")
        .and_then(|kernel| Some(kernel.parent()?.parent()?.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

/// `{file, Loaded}`'s `Loaded`: `preloaded`, or the file it came from.
fn loaded_term(process: &mut Process, m: Atom) -> Option<Term> {
    if m == atoms::ERLANG || PRELOADED.contains(&m.name()) {
        return Some(atom("preloaded"));
    }
    Some(match module::origin(m)? {
        Origin::Preloaded => atom("preloaded"),
        Origin::File(path) => path_term(process, &path),
        Origin::Binary(name) => string(&mut process.heap, &name),
    })
}

fn error(process: &mut Process, what: &str) -> Term {
    build::tuple(&mut process.heap, &[Term::atom(atoms::ERROR), atom(what)])
}

fn module_result(process: &mut Process, m: Atom, result: Result<(), LoadFailure>) -> Term {
    match result {
        Ok(()) => build::tuple(&mut process.heap, &[atom("module"), Term::atom(m)]),
        Err(LoadFailure::NotFound) => error(process, "nofile"),
        Err(LoadFailure::Bad(_)) => error(process, "badfile"),
    }
}

fn ensure_loaded(m: Atom) -> Result<(), LoadFailure> {
    if m == atoms::ERLANG {
        return Ok(());
    }
    module::ensure_loaded(m).map(|_| ())
}

/// Adds `dir` at the front or the back of the code path (moving it if it
/// is there already); false if it is not a directory.
fn add_dir(dir: &str, front: bool) -> bool {
    let dir = normalize_dir(dir);
    if !Path::new(&dir).is_dir() {
        return false;
    }
    let dir = PathBuf::from(dir);
    module::edit_code_path(|path| {
        path.retain(|d| *d != dir);
        if front {
            path.insert(0, dir);
        } else {
            path.push(dir);
        }
    });
    true
}

/// The directories of a list of file names, or `None`.
fn dirs_arg(term: Term) -> Option<Vec<String>> {
    let mut dirs = Vec::new();
    let mut iter = term.list_iter();
    for item in iter.by_ref() {
        dirs.push(filename_arg(item)?);
    }
    iter.rest().is_nil().then_some(dirs)
}

/// Does `entry` of the code path stand for `name` (a directory, or an
/// application's name)?
fn path_entry_is(entry: &Path, name: &str) -> bool {
    entry == Path::new(&normalize_dir(name))
        || app_of_dir(entry).is_some_and(|(app, _)| app == name)
}

/// `code:call(Request)`: a request to the code server, answered as the
/// code server answers it.
fn call(process: &mut Process, args: &[Term]) -> NativeResult {
    let request = args[0];
    let (tag, fields): (Atom, &[Term]) = match request.view() {
        View::Atom(a) => (a, &[]),
        View::Tuple(elements) if !elements.is_empty() => match elements[0].as_atom() {
            Some(tag) => (tag, &elements[1..]),
            None => return Err(Raised::badarg()),
        },
        _ => return Err(Raised::badarg()),
    };
    let module_field = |i: usize| fields.get(i).and_then(|t| t.as_atom());
    Ok(match (tag.name(), fields.len()) {
        ("get_path", 0) => {
            let path = module::code_path();
            let dirs: Vec<Term> = path.iter().map(|d| path_term(process, d)).collect();
            build::list(&mut process.heap, &dirs)
        }
        ("get_mode", 0) => atom("interactive"),
        ("ensure_loaded", 1) => {
            let m = module_field(0).ok_or_else(Raised::badarg)?;
            let result = ensure_loaded(m);
            module_result(process, m, result)
        }
        ("load_file", 1) => {
            let m = module_field(0).ok_or_else(Raised::badarg)?;
            if is_sticky(m) {
                return Ok(error(process, "sticky_directory"));
            }
            let result = module::load_file(m).map(|_| ());
            module_result(process, m, result)
        }
        ("load_abs", 2) => {
            let m = module_field(1).ok_or_else(Raised::badarg)?;
            let Some(file) = filename_arg(fields[0]) else {
                return Ok(error(process, "badarg"));
            };
            if is_sticky(m) {
                return Ok(error(process, "sticky_directory"));
            }
            let path = PathBuf::from(format!("{file}.beam"));
            let result = match std::fs::read(&path) {
                Err(_) => Err(LoadFailure::NotFound),
                Ok(bytes) => {
                    let path = std::path::absolute(&path).unwrap_or(path);
                    module::load_binary(&bytes, Some(m), Origin::File(path)).map(|_| ())
                }
            };
            module_result(process, m, result)
        }
        ("load_binary", 3) => {
            let m = module_field(0).ok_or_else(Raised::badarg)?;
            let (Some(file), Some(bytes)) = (filename_arg(fields[1]), binary_bytes(fields[2]))
            else {
                return Ok(error(process, "badarg"));
            };
            if is_sticky(m) {
                return Ok(error(process, "sticky_directory"));
            }
            let result = module::load_binary(&bytes, Some(m), Origin::Binary(file)).map(|_| ());
            module_result(process, m, result)
        }
        ("delete", 1) => {
            let m = module_field(0).ok_or_else(Raised::badarg)?;
            Term::bool(module::delete(m))
        }
        // Old code is never kept apart, so there is never any to purge.
        ("purge", 1) => Term::FALSE,
        ("soft_purge", 1) => Term::TRUE,
        ("is_loaded", 1) => {
            let m = module_field(0).ok_or_else(Raised::badarg)?;
            match loaded_term(process, m) {
                Some(loaded) => build::tuple(&mut process.heap, &[atom("file"), loaded]),
                None => Term::FALSE,
            }
        }
        ("all_loaded", 0) => {
            let mut pairs = Vec::new();
            for (m, _) in module::all_loaded() {
                if let Some(loaded) = loaded_term(process, m) {
                    pairs.push(build::tuple(&mut process.heap, &[Term::atom(m), loaded]));
                }
            }
            build::list(&mut process.heap, &pairs)
        }
        ("is_sticky", 1) => Term::bool(module_field(0).is_some_and(is_sticky)),
        ("stick_dir" | "unstick_dir" | "stick_mod" | "unstick_mod", 1) => atom("ok"),
        ("get_object_code", 1) => {
            let m = module_field(0).ok_or_else(Raised::badarg)?;
            let found =
                module::find_on_path(m).and_then(|path| Some((std::fs::read(&path).ok()?, path)));
            match found {
                Some((bytes, path)) => {
                    let binary = build::binary(&mut process.heap, &bytes);
                    let path = path_term(process, &path);
                    build::tuple(&mut process.heap, &[Term::atom(m), binary, path])
                }
                None => Term::atom(atoms::ERROR),
            }
        }
        ("add_path", 2) => {
            let front = fields[0] == atom("first");
            let Some(dir) = filename_arg(fields[1]) else {
                return Ok(error(process, "bad_directory"));
            };
            if add_dir(&dir, front) {
                Term::TRUE
            } else {
                error(process, "bad_directory")
            }
        }
        ("add_paths", 2) => {
            let front = fields[0] == atom("first");
            let dirs = dirs_arg(fields[1]).unwrap_or_default();
            // Each added at the front in turn would reverse them.
            let ordered: Box<dyn Iterator<Item = &String>> = if front {
                Box::new(dirs.iter().rev())
            } else {
                Box::new(dirs.iter())
            };
            for dir in ordered {
                add_dir(dir, front);
            }
            atom("ok")
        }
        ("set_path", 1) => match dirs_arg(fields[0]) {
            Some(dirs) if dirs.iter().all(|d| Path::new(d).is_dir()) => {
                let dirs = dirs
                    .iter()
                    .map(|d| PathBuf::from(normalize_dir(d)))
                    .collect();
                module::set_code_path(dirs);
                Term::TRUE
            }
            _ => error(process, "bad_directory"),
        },
        ("del_path", 1) => match filename_arg(fields[0]) {
            Some(name) => Term::bool(module::edit_code_path(|path| {
                let before = path.len();
                if let Some(i) = path.iter().position(|d| path_entry_is(d, &name)) {
                    path.remove(i);
                }
                path.len() != before
            })),
            None => error(process, "bad_name"),
        },
        ("replace_path", 2) => {
            let (Some(name), Some(dir)) = (filename_arg(fields[0]), filename_arg(fields[1])) else {
                return Ok(error(process, "bad_name"));
            };
            let dir = normalize_dir(&dir);
            if !Path::new(&dir).is_dir() {
                return Ok(error(process, "bad_directory"));
            }
            let replaced = module::edit_code_path(|path| {
                let i = path.iter().position(|d| path_entry_is(d, &name))?;
                path[i] = PathBuf::from(&dir);
                Some(())
            });
            match replaced {
                Some(()) => Term::TRUE,
                None => error(process, "bad_name"),
            }
        }
        ("dir", 1) => dir(process, fields[0])?,
        _ => return Err(Raised::badarg()),
    })
}

/// `{dir, What}`: the root, `lib` and application directories.
fn dir(process: &mut Process, what: Term) -> NativeResult {
    let root = PathBuf::from(root_dir());
    if what == atom("root_dir") {
        return Ok(path_term(process, &root));
    }
    if what == atom("lib_dir") {
        return Ok(path_term(process, &root.join("lib")));
    }
    if what == atom("compiler_dir") {
        return Ok(match lib_dir_of("compiler") {
            Some(dir) => path_term(process, &dir),
            None => error(process, "bad_name"),
        });
    }
    let (kind, app, sub): (&str, Term, Option<Term>) = match what.view() {
        View::Tuple(&[kind, app]) => (kind.as_atom().map_or("", |a| a.name()), app, None),
        View::Tuple(&[kind, app, sub]) => (kind.as_atom().map_or("", |a| a.name()), app, Some(sub)),
        _ => return Err(Raised::badarg()),
    };
    let found = filename_arg(app).and_then(|app| lib_dir_of(&app));
    let Some(dir) = found else {
        return Ok(error(process, "bad_name"));
    };
    let dir = match (kind, sub) {
        ("lib_dir", None) => dir,
        ("lib_dir", Some(sub)) => match sub.as_atom() {
            Some(sub) => dir.join(sub.name()),
            None => return Err(Raised::badarg()),
        },
        ("priv_dir", None) => dir.join("priv"),
        _ => return Err(Raised::badarg()),
    };
    Ok(path_term(process, &dir))
}

/// `code:which(Module)`: the file a loaded module came from (or
/// `preloaded`), else the file that would be loaded, else `non_existing`.
fn which(process: &mut Process, args: &[Term]) -> NativeResult {
    let m = args[0]
        .as_atom()
        .ok_or_else(|| Raised::error(Term::atom(atoms::FUNCTION_CLAUSE)))?;
    if let Some(loaded) = loaded_term(process, m) {
        return Ok(loaded);
    }
    Ok(match module::find_on_path(m) {
        Some(path) => path_term(process, &path),
        None => atom("non_existing"),
    })
}

/// `code:ensure_modules_loaded(Modules)`: `ok`, or `{error, [{M, What}]}`
/// for those that could not be loaded.
fn ensure_modules_loaded(process: &mut Process, args: &[Term]) -> NativeResult {
    let mut modules = Vec::new();
    let mut iter = args[0].list_iter();
    for item in iter.by_ref() {
        match item.as_atom() {
            Some(m) => modules.push(m),
            None => return Err(Raised::error(Term::atom(atoms::FUNCTION_CLAUSE))),
        }
    }
    if !iter.rest().is_nil() {
        return Err(Raised::error(Term::atom(atoms::FUNCTION_CLAUSE)));
    }
    modules.sort_by(|a, b| a.name().cmp(b.name()));
    modules.dedup();
    let mut errors = Vec::new();
    for m in modules {
        let what = match ensure_loaded(m) {
            Ok(()) => continue,
            Err(LoadFailure::NotFound) => "nofile",
            Err(LoadFailure::Bad(_)) => "badfile",
        };
        errors.push(build::tuple(
            &mut process.heap,
            &[Term::atom(m), atom(what)],
        ));
    }
    if errors.is_empty() {
        return Ok(Term::atom(atoms::OK));
    }
    errors.reverse();
    let errors = build::list(&mut process.heap, &errors);
    Ok(build::tuple(
        &mut process.heap,
        &[Term::atom(atoms::ERROR), errors],
    ))
}

pub(super) const NATIVES: &[Native] = crate::natives!("code";
    "call"/1 => call,
    "which"/1 => which,
    "ensure_modules_loaded"/1 => ensure_modules_loaded,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_are_kept_as_erls_code_server_keeps_them() {
        // code:add_patha("/tmp/") then hd(code:get_path()) is "/tmp" on erl.
        assert_eq!(normalize_dir("/tmp/"), "/tmp");
        assert_eq!(normalize_dir("//a//b/"), "/a/b");
        assert_eq!(normalize_dir("."), ".");
        assert_eq!(normalize_dir("a/b/"), "a/b");
    }

    #[test]
    fn application_names_come_from_the_directory() {
        let (name, dir) = app_of_dir(Path::new("/usr/lib/erlang/lib/kernel-8.5.3/ebin")).unwrap();
        assert_eq!(name, "kernel");
        assert_eq!(dir, Path::new("/usr/lib/erlang/lib/kernel-8.5.3"));
        let (name, _) = app_of_dir(Path::new("/x/erl_interface-5.3")).unwrap();
        assert_eq!(name, "erl_interface");
        let (name, _) = app_of_dir(Path::new("/x/my-app/ebin")).unwrap();
        assert_eq!(name, "my-app");
    }
}
