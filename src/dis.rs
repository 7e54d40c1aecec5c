//! The disassembler: a loaded [`BeamFile`] as text.
//!
//! [`write_listing`] prints everything readable: a line naming the module,
//! then per function a header line (`function Name/Arity entry Label`) and
//! one line per instruction, the generic instruction's name first, then its
//! operands separated by spaces: `x0`, `y1`, `fr2`, labels `f5`, atoms and
//! literals as `~w` prints them, integers, lists `[a,b]`, allocation lists
//! `{alloc,[{words,3},{floats,1}]}`, typed registers `x0:t3` (type index),
//! imports `M:F/A`, lambdas `fun#N`, and line items `File:Line`.
//!
//! [`write_normalized`] prints the form the checker compares with OTP's
//! `beam_disasm` (see `tests/tools/disasm_listing.erl`): names unquoted,
//! and per instruction only its name and its register, label, atom and
//! integer operands (and, if asked, its literals).

use std::fmt::Write;

use crate::isa::GenOp;
use crate::loader::{AllocList, BeamFile, Instr, Operand, Register};
use crate::term::print;
use crate::term::{Atom, Term};

/// Appends the readable listing of `beam` to `out`.
pub fn write_listing(out: &mut String, beam: &BeamFile) {
    let _ = writeln!(
        out,
        "module {} md5 {}",
        atom_text(beam.module),
        beam.md5
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    for function in &beam.code.functions {
        let _ = writeln!(
            out,
            "function {}/{} entry {}",
            atom_text(function.name),
            function.arity,
            function.entry_label
        );
        for i in function.start..function.end {
            let instr = beam.code.instr(i as usize);
            out.push_str("  ");
            out.push_str(instr.op.name());
            write_operands(out, beam, instr);
            out.push('\n');
        }
    }
}

fn write_operands(out: &mut String, beam: &BeamFile, instr: Instr<'_>) {
    let fixed = instr.op.arity();
    for (position, operand) in instr.args[..fixed].iter().enumerate() {
        out.push(' ');
        if let Some(text) = resolved(beam, instr.op, position, operand) {
            out.push_str(&text);
            continue;
        }
        match operand {
            Operand::List(_) => {
                out.push('[');
                for (i, item) in instr.args[fixed..].iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_operand(out, beam, item);
                }
                out.push(']');
            }
            other => write_operand(out, beam, other),
        }
    }
}

/// Table indices shown as what they name.
fn resolved(beam: &BeamFile, op: GenOp, position: usize, operand: &Operand) -> Option<String> {
    let Operand::Unsigned(index) = *operand else {
        return None;
    };
    let import_position = match op {
        GenOp::CallExt | GenOp::CallExtLast | GenOp::CallExtOnly | GenOp::Bif1 | GenOp::Bif2 => 1,
        GenOp::Bif0 => 0,
        GenOp::GcBif1 | GenOp::GcBif2 | GenOp::GcBif3 => 2,
        GenOp::MakeFun2 | GenOp::MakeFun3 if position == 0 => return Some(format!("fun#{index}")),
        GenOp::Line => {
            let lines = beam.lines.as_ref()?;
            let location = lines.items.get(index as usize)?;
            let file = lines.names.get(location.name as usize)?;
            return Some(format!("{file}:{}", location.line));
        }
        _ => return None,
    };
    if position != import_position {
        return None;
    }
    let import = beam.imports.get(index as usize)?;
    Some(format!(
        "{}:{}/{}",
        atom_text(import.module),
        atom_text(import.function),
        import.arity
    ))
}

fn write_operand(out: &mut String, beam: &BeamFile, operand: &Operand) {
    let _ = match *operand {
        Operand::Unsigned(n) => write!(out, "{n}"),
        Operand::Integer(n) => write!(out, "{n}"),
        Operand::BigInteger(i) => write!(out, "{}", beam.code.big_integers[i as usize]),
        Operand::Atom(atom) => write!(out, "{}", atom_text(atom)),
        Operand::Nil => write!(out, "[]"),
        Operand::X(n) => write!(out, "x{n}"),
        Operand::Y(n) => write!(out, "y{n}"),
        Operand::Label(n) => write!(out, "f{n}"),
        Operand::Char(c) => write!(out, "char({c})"),
        Operand::Float(f) => write!(out, "{}", print::format_float(f)),
        Operand::List(n) => write!(out, "list({n})"),
        Operand::FloatReg(n) => write!(out, "fr{n}"),
        Operand::AllocList(list) => write_alloc_list(out, list),
        Operand::Literal(i) => write!(out, "{}", print::to_string(beam.literals[i as usize])),
        Operand::TypedReg(Register::X(n), t) => write!(out, "x{n}:t{t}"),
        Operand::TypedReg(Register::Y(n), t) => write!(out, "y{n}:t{t}"),
    };
}

fn write_alloc_list(out: &mut String, list: AllocList) -> std::fmt::Result {
    out.push_str("{alloc,[");
    let mut first = true;
    for (kind, n) in [
        ("words", list.words),
        ("floats", list.floats),
        ("funs", list.funs),
    ] {
        if n > 0 || kind == "words" {
            if !first {
                out.push(',');
            }
            first = false;
            write!(out, "{{{kind},{n}}}")?;
        }
    }
    out.push_str("]}");
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An atom as `~w` prints it.
fn atom_text(atom: Atom) -> String {
    print::to_string(Term::atom(atom))
}

/// Appends the checker's normalised form of `beam` to `out`:
/// `module M MD5` (hex), then per function `function F A Entry` and per
/// instruction its name followed by its `x`/`y`/`fr` registers (typed ones
/// by their register), labels `fN`, atoms (raw text), `[]` and integers, in
/// operand order, list items included. With `literals`, literal operands
/// (and obsolete inline floats) are included too, as `~w` prints them.
pub fn write_normalized(out: &mut String, beam: &BeamFile, literals: bool) {
    let _ = writeln!(out, "module {} {}", beam.module.name(), hex(&beam.md5));
    for function in &beam.code.functions {
        let _ = writeln!(
            out,
            "function {} {} {}",
            function.name.name(),
            function.arity,
            function.entry_label
        );
        for i in function.start..function.end {
            let instr = beam.code.instr(i as usize);
            out.push_str(instr.op.name());
            for operand in instr.args {
                let _ = match *operand {
                    Operand::X(n) | Operand::TypedReg(Register::X(n), _) => write!(out, " x{n}"),
                    Operand::Y(n) | Operand::TypedReg(Register::Y(n), _) => write!(out, " y{n}"),
                    Operand::FloatReg(n) => write!(out, " fr{n}"),
                    Operand::Label(n) => write!(out, " f{n}"),
                    Operand::Atom(atom) => write!(out, " {}", atom.name()),
                    Operand::Nil => write!(out, " []"),
                    Operand::Integer(n) => write!(out, " {n}"),
                    Operand::BigInteger(i) => {
                        write!(out, " {}", beam.code.big_integers[i as usize])
                    }
                    Operand::Literal(i) if literals => {
                        write!(out, " {}", print::to_string(beam.literals[i as usize]))
                    }
                    Operand::Float(f) if literals => write!(out, " {}", print::format_float(f)),
                    _ => Ok(()),
                };
            }
            out.push('\n');
        }
    }
}
