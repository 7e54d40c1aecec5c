//! The erl-compatible command line (`oxbeam [-noshell] [-pa DIR...] [-s M
//! [F [ARGS...]]]... [-run ...]... [-eval EXPR]... [-extra ARGS...] [+S N]`):
//! what erl's launcher (`erlexec`) and then its `init` make of the
//! arguments, read the same way here.
//!
//! The launcher takes the emulator flags (`+S N` and the other `+` flags,
//! `-env VAR VALUE`), turns `-noinput` and `-detached` into `-noshell
//! -noinput`, and puts `-root`, `-bindir`, `-progname` and `-home` first.
//! init then splits the rest: `-s`, `-run` and `-eval` items, each with the
//! words that follow it up to the next `-word`; flags (`-Name Values...`);
//! plain arguments (before any flag, after `--`, and everything after
//! `-extra`).

use std::path::{Path, PathBuf};

use oxbeam::direct::{CommandLine, StartItem};

/// What the emulator itself takes from the command line.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Emulator {
    /// `+S N` (or `+S N:M`, which makes `M` schedulers online).
    pub schedulers: Option<usize>,
}

/// The `+` flags of erlexec that take the next argument as their value
/// (`+A 10`, `+sbt db`, `+MBas aobf`); erlexec's other `+` flags carry
/// their value in the same argument.
fn plus_flag_takes_value(flag: &str) -> bool {
    let name = &flag[1..];
    matches!(
        name,
        "a" | "A"
            | "C"
            | "e"
            | "i"
            | "n"
            | "P"
            | "Q"
            | "t"
            | "T"
            | "R"
            | "W"
            | "K"
            | "J"
            | "S"
            | "SP"
            | "SDcpu"
            | "SDPcpu"
            | "SDio"
            | "pc"
            | "IOt"
            | "IOp"
            | "IOPt"
            | "IOPp"
            | "IOs"
    ) || (name.len() > 1 && name.starts_with(['M', 'h', 'r', 's', 'z']))
}

/// Splits the launcher's part: emulator settings, and the arguments that
/// go on to init. `-env` sets the variable at once (before any thread
/// starts, as erlexec does before starting the emulator).
pub fn launcher(args: &[String]) -> Result<(Emulator, Vec<String>), String> {
    let mut emulator = Emulator::default();
    let mut init_args = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        match arg {
            "-extra" => {
                init_args.extend(args[i..].iter().cloned());
                break;
            }
            "-env" => {
                let (Some(name), Some(value)) = (args.get(i + 1), args.get(i + 2)) else {
                    return Err("-env needs a variable and a value".into());
                };
                std::env::set_var(name, value);
                i += 3;
                continue;
            }
            "-noinput" | "-detached" => {
                init_args.extend(["-noshell".to_string(), "-noinput".to_string()]);
            }
            "+S" => {
                let value = args
                    .get(i + 1)
                    .ok_or_else(|| "+S needs a value".to_string())?;
                emulator.schedulers = Some(schedulers(value)?);
                i += 2;
                continue;
            }
            "+B" | "+c" => {
                // Optional values: +B [c | d | i], +c [true | false].
                let optional = if arg == "+B" {
                    &["c", "d", "i"][..]
                } else {
                    &["true", "false"][..]
                };
                if args
                    .get(i + 1)
                    .is_some_and(|v| optional.contains(&v.as_str()))
                {
                    i += 1;
                }
            }
            _ if arg.starts_with('+') && arg.len() > 1 => {
                if plus_flag_takes_value(arg) {
                    i += 1;
                }
            }
            _ => init_args.push(arg.to_string()),
        }
        i += 1;
    }
    Ok((emulator, init_args))
}

/// `+S Schedulers[:Online]`: the number that runs.
fn schedulers(value: &str) -> Result<usize, String> {
    let (total, online) = match value.split_once(':') {
        Some((total, online)) => (total, Some(online)),
        None => (value, None),
    };
    let parse = |text: &str| {
        text.parse::<usize>()
            .ok()
            .filter(|n| (1..=1024).contains(n))
            .ok_or_else(|| format!("bad number of schedulers: {value}"))
    };
    let total = parse(total)?;
    match online {
        Some(online) if !online.is_empty() => Ok(parse(online)?.min(total)),
        _ => Ok(total),
    }
}

/// How init reads an argument.
enum Word<'a> {
    Extra,
    Start { strings: bool },
    Eval,
    EndOfFlags,
    Flag(&'a str),
    Plain,
}

fn word(arg: &str) -> Word<'_> {
    match arg {
        "-extra" => Word::Extra,
        "-s" => Word::Start { strings: false },
        "-run" => Word::Start { strings: true },
        "-eval" => Word::Eval,
        "--" => Word::EndOfFlags,
        _ => match arg.strip_prefix('-') {
            Some(name) => Word::Flag(name),
            None => Word::Plain,
        },
    }
}

/// The values of a flag or item: the words up to the next `-word` (a `--`
/// ends them and is dropped). Returns them and the index after them.
fn values(args: &[String], mut i: usize) -> (Vec<String>, usize) {
    let mut values = Vec::new();
    while let Some(arg) = args.get(i) {
        match word(arg) {
            Word::Plain => values.push(arg.clone()),
            Word::EndOfFlags => return (values, i + 1),
            _ => break,
        }
        i += 1;
    }
    (values, i)
}

/// init's reading of its arguments, after `prefix` flags (those erlexec
/// puts first).
pub fn init(prefix: Vec<(String, Vec<String>)>, args: &[String]) -> CommandLine {
    let mut command_line = CommandLine {
        flags: prefix,
        ..CommandLine::default()
    };
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        match word(arg) {
            Word::Extra => {
                command_line.plain.extend(args[i + 1..].iter().cloned());
                break;
            }
            Word::Start { strings } => {
                let (words, next) = values(args, i + 1);
                command_line.items.push(StartItem::Call { words, strings });
                i = next;
            }
            Word::Eval => {
                let (mut words, next) = values(args, i + 1);
                // erl's init takes exactly one expression string.
                if !words.is_empty() {
                    command_line
                        .items
                        .push(StartItem::Eval(words.swap_remove(0)));
                }
                i = next;
            }
            Word::Flag(name) => {
                let (words, next) = values(args, i + 1);
                command_line.flags.push((name.to_string(), words));
                i = next;
            }
            Word::EndOfFlags => i += 1,
            Word::Plain => {
                command_line.plain.push(arg.clone());
                i += 1;
            }
        }
    }
    command_line
}

/// erl's code path: `.`, kernel's and stdlib's `ebin`, the other
/// applications of `root/lib` (their `ebin`, else their directory) in
/// reverse order of name; then each `-pa` directory is put first and each
/// `-pz` directory last in turn (moved if there already). Directories that
/// do not exist are left out.
pub fn code_path(root: &Path, command_line: &CommandLine) -> Vec<PathBuf> {
    let mut apps: Vec<PathBuf> = std::fs::read_dir(root.join("lib"))
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    apps.sort();
    apps.reverse();
    let is_app = |dir: &PathBuf, name: &str| {
        dir.file_name()
            .and_then(|f| f.to_str())
            .is_some_and(|f| f.split('-').next() == Some(name))
    };
    let first: Vec<PathBuf> = ["kernel", "stdlib"]
        .iter()
        .filter_map(|name| apps.iter().find(|d| is_app(d, name)).cloned())
        .collect();
    let mut path = vec![PathBuf::from(".")];
    for app in first
        .iter()
        .chain(apps.iter().filter(|d| !first.contains(d)))
    {
        let ebin = app.join("ebin");
        path.push(if ebin.is_dir() { ebin } else { app.clone() });
    }
    let dirs = |flag: &str| -> Vec<PathBuf> {
        command_line
            .flag_values(flag)
            .flatten()
            .map(|d| PathBuf::from(normalize(d)))
            .filter(|d| d.is_dir())
            .collect()
    };
    for dir in dirs("pa") {
        path.retain(|d| *d != dir);
        path.insert(0, dir);
    }
    for dir in dirs("pz") {
        path.retain(|d| *d != dir);
        path.push(dir);
    }
    path
}

/// A directory without repeated or trailing slashes, as erl keeps it.
fn normalize(dir: &str) -> String {
    let absolute = dir.starts_with('/');
    let parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return dir.to_string();
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The flags erlexec puts before the others.
pub fn launcher_flags(root: &Path) -> Vec<(String, Vec<String>)> {
    let root_text = root.to_string_lossy().into_owned();
    let bindir = std::fs::read_dir(root)
        .ok()
        .and_then(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .find(|name| name.starts_with("erts-"))
        })
        .map(|erts| format!("{root_text}/{erts}/bin"))
        .unwrap_or_else(|| format!("{root_text}/bin"));
    let home = std::env::var("HOME").unwrap_or_default();
    vec![
        ("root".into(), vec![root_text]),
        ("bindir".into(), vec![bindir]),
        ("progname".into(), vec!["erl".into()]),
        ("home".into(), vec![home]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    fn call(words: &[&str], strings_: bool) -> StartItem {
        StartItem::Call {
            words: strings(words),
            strings: strings_,
        }
    }

    #[test]
    fn the_launcher_takes_emulator_flags() {
        let (emulator, rest) = launcher(&strings(&[
            "+S", "2", "-noinput", "+A", "10", "+sbt", "db", "-eval", "x", "-extra", "+S", "3",
        ]))
        .unwrap();
        assert_eq!(emulator.schedulers, Some(2));
        assert_eq!(
            rest,
            strings(&["-noshell", "-noinput", "-eval", "x", "-extra", "+S", "3"])
        );
        assert_eq!(schedulers("4:2"), Ok(2));
        assert!(schedulers("0").is_err());
    }

    #[test]
    fn init_reads_items_flags_and_plain_arguments() {
        // erl foo -noshell -- bar baz -eval E -s init stop: plain arguments
        // ["foo","bar","baz"], flags [{noshell,[]}] (after erl's own).
        let line = init(
            vec![],
            &strings(&[
                "foo", "-noshell", "--", "bar", "baz", "-eval", "E", "-s", "init", "stop",
            ]),
        );
        assert_eq!(line.plain, strings(&["foo", "bar", "baz"]));
        assert_eq!(line.flags, vec![("noshell".to_string(), vec![])]);
        assert_eq!(
            line.items,
            vec![StartItem::Eval("E".into()), call(&["init", "stop"], false)]
        );
        // erl -noshell bar -myflag x y -myflag z -run m f a -extra -s x:
        // {noshell,["bar"]}, {myflag,["x","y"]}, {myflag,["z"]}; plain
        // ["-s","x"].
        let line = init(
            vec![],
            &strings(&[
                "-noshell", "bar", "-myflag", "x", "y", "-myflag", "z", "-run", "m", "f", "a",
                "-extra", "-s", "x",
            ]),
        );
        assert_eq!(line.flags[0], ("noshell".to_string(), strings(&["bar"])));
        assert_eq!(line.flag_values("myflag").count(), 2);
        assert_eq!(line.items, vec![call(&["m", "f", "a"], true)]);
        assert_eq!(line.plain, strings(&["-s", "x"]));
    }

    #[test]
    fn directories_are_normalized() {
        assert_eq!(normalize("/tmp/x/"), "/tmp/x");
        assert_eq!(normalize("a//b"), "a/b");
        assert_eq!(normalize("."), ".");
    }
}
