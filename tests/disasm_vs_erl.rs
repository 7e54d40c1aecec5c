//! The loader's acceptance test: for every `.beam` file of the installed
//! OTP and Elixir, `oxbeam dis --normalized` must agree instruction for
//! instruction with OTP's own `beam_disasm:file/1`, as printed by
//! `tests/tools/disasm_listing.erl`. Needs `erl` and `erlc` on PATH.

mod support;

use std::path::Path;
use std::process::Command;

use support::{beam_files, run, scratch_dir, tool_path, INSTALL_ROOTS};

/// Mismatching modules shown in full before giving up.
const SHOWN_MISMATCHES: usize = 10;

/// Splits a listing into `(module line, lines)` blocks.
fn modules(listing: &str) -> Vec<(&str, Vec<&str>)> {
    let mut blocks: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in listing.lines() {
        if line.starts_with("module ") || line.starts_with("error ") {
            blocks.push((line, Vec::new()));
        } else if let Some(block) = blocks.last_mut() {
            block.1.push(line);
        }
    }
    blocks
}

/// Whether two listings of a module agree. A line holding a map literal may
/// list the map's pairs in another order: erl orders maps of more than 32
/// keys by a hash of its atom-table indices when the keys hold atoms, which
/// no other VM can share, so such lines are compared by their characters.
fn listings_agree(erl: &(&str, Vec<&str>), ours: &(&str, Vec<&str>)) -> bool {
    erl.0 == ours.0
        && erl.1.len() == ours.1.len()
        && erl
            .1
            .iter()
            .zip(&ours.1)
            .all(|(e, o)| e == o || (e.contains("#{") && sorted_chars(e) == sorted_chars(o)))
}

fn sorted_chars(text: &str) -> Vec<char> {
    let mut chars: Vec<char> = text.chars().collect();
    chars.sort_unstable();
    chars
}

/// A readable account of where two listings of one module first differ.
fn describe_mismatch(file: &Path, erl: &(&str, Vec<&str>), ours: &(&str, Vec<&str>)) -> String {
    let mut text = format!("{}:\n", file.display());
    if erl.0 != ours.0 {
        text += &format!("  beam_disasm: {}\n  oxbeam:      {}\n", erl.0, ours.0);
        return text;
    }
    let first = (0..erl.1.len().max(ours.1.len()))
        .find(|&i| erl.1.get(i) != ours.1.get(i))
        .unwrap_or(0);
    let function = erl.1[..first.min(erl.1.len())]
        .iter()
        .rev()
        .find(|l| l.starts_with("function "))
        .copied()
        .unwrap_or("(before the first function)");
    text += &format!("  in {function}, line {} of the module:\n", first + 1);
    for i in first.saturating_sub(2)..(first + 3) {
        let (e, o) = (erl.1.get(i).copied(), ours.1.get(i).copied());
        if e == o {
            if let Some(line) = e {
                text += &format!("      {line}\n");
            }
        } else {
            text += &format!(
                "    - {}\n    + {}\n",
                e.unwrap_or("<end>"),
                o.unwrap_or("<end>")
            );
        }
    }
    text
}

#[test]
fn every_installed_beam_file_disassembles_as_beam_disasm_does() {
    compare_with_beam_disasm(false);
}

/// The same with literal operands printed with `~w` on both sides: checks
/// the literal table's decoding (crate::etf) and printing
/// (crate::term::print) too.
#[test]
fn literal_operands_print_as_beam_disasm_shows_them() {
    compare_with_beam_disasm(true);
}

fn compare_with_beam_disasm(literals: bool) {
    let erl = tool_path("erl");
    let erlc = tool_path("erlc");
    let mut files = Vec::new();
    for root in INSTALL_ROOTS {
        let before = files.len();
        beam_files(Path::new(root), &mut files);
        assert!(files.len() > before, "no .beam files under {root}");
    }
    files.sort();

    let dir = scratch_dir(if literals {
        "disasm-literals"
    } else {
        "disasm"
    });
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/disasm_listing.erl");
    run(Command::new(&erlc).arg("-o").arg(&dir).arg(&tool));
    let list = dir.join("files.txt");
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    std::fs::write(&list, names.join("\n") + "\n").unwrap();
    let erl_out = dir.join("beam_disasm.txt");
    run(Command::new(&erl)
        .args(["-noshell", "-pa"])
        .arg(&dir)
        .args(["-run", "disasm_listing", "main"])
        .arg(&list)
        .arg(&erl_out)
        .arg(if literals { "literals" } else { "no_literals" }));
    let erl_listing = std::fs::read_to_string(&erl_out).unwrap();
    let our_listing = String::from_utf8(run(Command::new(env!("CARGO_BIN_EXE_oxbeam"))
        .arg("dis")
        .arg(if literals {
            "--normalized-with-literals"
        } else {
            "--normalized"
        })
        .args(&files)))
    .unwrap();

    let erl_modules = modules(&erl_listing);
    let our_modules = modules(&our_listing);
    assert_eq!(
        erl_modules.len(),
        files.len(),
        "beam_disasm listed a different number of files"
    );
    assert_eq!(
        our_modules.len(),
        files.len(),
        "oxbeam listed a different number of files"
    );
    let mut report = String::new();
    let mut mismatches = 0;
    for ((file, erl), ours) in files.iter().zip(&erl_modules).zip(&our_modules) {
        if !listings_agree(erl, ours) {
            mismatches += 1;
            if mismatches <= SHOWN_MISMATCHES {
                report += &describe_mismatch(file, erl, ours);
            }
        }
    }
    let instructions = our_listing
        .lines()
        .filter(|l| !l.starts_with("module ") && !l.starts_with("function "))
        .count();
    eprintln!(
        "{} of {} files agree with beam_disasm ({instructions} instructions)",
        files.len() - mismatches,
        files.len()
    );
    assert!(
        mismatches == 0,
        "{mismatches} files differ from beam_disasm:\n{report}"
    );
}

/// The instruction set table against OTP's `beam_opcodes:opname/1`.
#[test]
fn instruction_set_matches_beam_opcodes() {
    let erl = tool_path("erl");
    let output = run(Command::new(erl).args([
        "-noshell",
        "-eval",
        "[io:format(\"~w ~w ~w~n\", [N | tuple_to_list(beam_opcodes:opname(N))]) \
         || N <- lists:seq(1, beam_opcodes:opcode(badrecord, 1))], halt().",
    ]));
    let output = String::from_utf8(output).unwrap();
    let mut count = 0;
    for line in output.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        let number: u8 = fields[0].parse().unwrap();
        let op =
            oxbeam::isa::GenOp::from_number(number).unwrap_or_else(|| panic!("no opcode {number}"));
        assert_eq!(op.name(), fields[1].trim_matches('\''), "opcode {number}");
        assert_eq!(op.arity().to_string(), fields[2], "arity of {}", op.name());
        count += 1;
    }
    assert_eq!(count, oxbeam::isa::GenOp::ALL.len());
}
