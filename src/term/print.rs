//! Printing terms exactly as `io_lib:format("~w", [T])` does.
//! (API fixed; bodies written by the printer work package.)

use super::Term;

/// Appends the `~w` text of `term` to `out`.
pub fn write_term(out: &mut String, term: Term) {
    let _ = (out, term);
    todo!("printer")
}

/// The `~w` text of `term`.
pub fn to_string(term: Term) -> String {
    let mut out = String::new();
    write_term(&mut out, term);
    out
}

/// A float as `~w` and `float_to_list(F, [short])` print it.
pub fn format_float(value: f64) -> String {
    let _ = value;
    todo!("float printing")
}
