//! Direct mode (DESIGN §6): running programs without OTP's boot script.
//!
//! The VM's own Erlang modules (`erl/*.erl`, compiled by `build.rs` and
//! embedded here) are loaded from memory: `init`, which runs the command
//! line's `-s`, `-run` and `-eval` items as erl's init does, and
//! `oxbeam_io`, the io server behind `user` and `standard_error`. Other
//! modules load on demand from the code path. The command line, as erl's
//! init sees it, is kept here for `init:get_argument/1` and friends.

use std::sync::OnceLock;

use crate::code::export_entry;
use crate::code::module::{self, Origin};
use crate::heap::LiteralArea;
use crate::term::{build, Atom, LocalPid, Term};
use crate::vm::runtime::{runtime, start, SpawnOptions};

/// The project's own modules, compiled at build time.
const OWN_MODULES: &[(&str, &[u8])] = &[
    (
        "init",
        include_bytes!(concat!(env!("OUT_DIR"), "/init.beam")),
    ),
    (
        "oxbeam_io",
        include_bytes!(concat!(env!("OUT_DIR"), "/oxbeam_io.beam")),
    ),
    (
        "oxbeam_kernel",
        include_bytes!(concat!(env!("OUT_DIR"), "/oxbeam_kernel.beam")),
    ),
];

/// The command line as erl's init sees it.
#[derive(Default, Debug, Clone, PartialEq, Eq)]
pub struct CommandLine {
    /// Each flag (`-Name Values...`) in order, with its values
    /// (`init:get_arguments/0`); erl puts `root`, `bindir`, `progname` and
    /// `home` first.
    pub flags: Vec<(String, Vec<String>)>,
    /// The `-s`, `-run` and `-eval` items, in order.
    pub items: Vec<StartItem>,
    /// The plain arguments: those before the first flag, after `--`, and
    /// all after `-extra` (`init:get_plain_arguments/0`).
    pub plain: Vec<String>,
}

/// Something the command line asks to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartItem {
    /// `-eval Expressions`.
    Eval(String),
    /// `-s Module [Function [Args...]]` (`strings: false`: the arguments
    /// are passed as atoms) or `-run ...` (as strings). The function is
    /// `start` when not given; an item with no words does nothing.
    Call { words: Vec<String>, strings: bool },
}

impl CommandLine {
    /// The values of every occurrence of flag `name`.
    pub fn flag_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [String]> {
        self.flags
            .iter()
            .filter(move |(flag, _)| flag == name)
            .map(|(_, values)| values.as_slice())
    }
}

static COMMAND_LINE: OnceLock<CommandLine> = OnceLock::new();

/// Keeps the command line for the natives that answer about it (once;
/// later calls are ignored).
pub fn set_command_line(command_line: CommandLine) {
    let _ = COMMAND_LINE.set(command_line);
}

/// The command line (empty when none was set).
pub fn command_line() -> &'static CommandLine {
    COMMAND_LINE.get_or_init(CommandLine::default)
}

/// Loads the VM's own Erlang modules from memory (once).
pub fn load_own_modules() -> Result<(), String> {
    static LOADED: OnceLock<Result<(), String>> = OnceLock::new();
    LOADED
        .get_or_init(|| {
            for &(name, bytes) in OWN_MODULES {
                let name = Atom::intern(name).expect("a module name is an atom");
                module::load_binary(bytes, Some(name), Origin::Preloaded)
                    .map_err(|e| format!("loading the VM's own module {name}: {e:?}"))?;
            }
            Ok(())
        })
        .clone()
}

/// Runs the command line as erl does: the first process runs
/// `init:boot/1` with the items, on `schedulers` scheduler threads. Never
/// returns: the OS process ends with `halt` (or `init:stop`).
pub fn boot(command_line: CommandLine, schedulers: usize) -> ! {
    // The items become terms of a literal area that lives as long as the
    // VM: the init process holds them.
    let area: &'static mut LiteralArea = Box::leak(Box::new(LiteralArea::new()));
    let items = items_term(area, &command_line.items);
    set_command_line(command_line);
    if let Err(e) = load_own_modules() {
        eprintln!("oxbeam: {e}");
        std::process::exit(1);
    }
    let boot = export_entry(atom("init"), atom("boot"), 1);
    runtime().spawn(None, boot, &[items], &SpawnOptions::default(), |init| {
        init.on_exit = Some(Box::new(|init, ending| {
            let reason = ending.exit_reason(&mut init.heap);
            eprintln!(
                "oxbeam: init ended: {}",
                crate::term::print::to_string(reason)
            );
            std::process::exit(1);
        }));
    });
    start(schedulers);
    loop {
        std::thread::park();
    }
}

/// Starts the io servers `user` and `standard_error` (for code run without
/// `init`, as `oxbeam call` does); `user`'s pid.
pub fn start_io_servers() -> Result<LocalPid, String> {
    load_own_modules()?;
    let server = export_entry(atom("oxbeam_io"), atom("server"), 1);
    let mut user = None;
    for name in ["user", "standard_error"] {
        let name = atom(name);
        let pid = runtime().spawn(
            None,
            server,
            &[Term::atom(name)],
            &SpawnOptions::default(),
            |_| {},
        );
        runtime().register(name, pid);
        user.get_or_insert(pid);
    }
    Ok(user.expect("user was started"))
}

fn atom(name: &str) -> Atom {
    Atom::intern(name).expect("a short name is an atom")
}

/// The items as `init:boot/1` takes them: `{eval, String}`, or
/// `[Module, Function | Args]` (atoms, or strings for `-run`), `[Module]`,
/// or `[]`.
fn items_term(area: &mut LiteralArea, items: &[StartItem]) -> Term {
    let terms: Vec<Term> = items
        .iter()
        .map(|item| match item {
            StartItem::Eval(text) => {
                let text = string(area, text);
                build::tuple(area, &[Term::atom(atom("eval")), text])
            }
            StartItem::Call { words, strings } => {
                let words: Vec<Term> = words
                    .iter()
                    .enumerate()
                    .map(|(i, word)| {
                        if *strings && i >= 2 {
                            string(area, word)
                        } else {
                            // erl's init makes atoms of them too (and fails
                            // on one that is too long, as this does).
                            Term::atom(Atom::intern(word).unwrap_or_else(|_| {
                                eprintln!("oxbeam: {word}: not an atom");
                                std::process::exit(1)
                            }))
                        }
                    })
                    .collect();
                build::list(area, &words)
            }
        })
        .collect();
    build::list(area, &terms)
}

/// A string (a list of its code points).
pub fn string(heap: &mut impl crate::heap::TermAlloc, text: &str) -> Term {
    let chars: Vec<Term> = text.chars().map(|c| Term::small(c as i64)).collect();
    build::list(heap, &chars)
}
