//! Compiles the project's own Erlang modules (`erl/*.erl`: direct mode's
//! `init` and io server) with OTP's `erlc` into `OUT_DIR`; the library
//! embeds the `.beam` files (`src/direct.rs`). The `.beam` files are build
//! products and never committed.

use std::path::Path;
use std::process::Command;

/// The modules, with the `erlc` options of each. `init` has no line
/// information, as erl's preloaded `init` has none: stack traces through it
/// show `{init, start_it, 1, []}` as erl's do.
const MODULES: &[(&str, &[&str])] = &[
    ("init", &["+no_line_info"]),
    ("oxbeam_io", &[]),
    ("oxbeam_kernel", &[]),
];

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for (module, options) in MODULES {
        let source = Path::new("erl").join(format!("{module}.erl"));
        println!("cargo:rerun-if-changed={}", source.display());
        let status = Command::new("erlc")
            .args(["+warnings_as_errors", "+deterministic"])
            .args(*options)
            .arg("-o")
            .arg(&out_dir)
            .arg(&source)
            .status();
        match status {
            Ok(status) if status.success() => {}
            Ok(status) => panic!("erlc failed on {} ({status})", source.display()),
            Err(e) => panic!(
                "cannot run erlc ({e}): oxbeam's build compiles its Erlang modules with \
                 OTP's erlc; install OTP 25 (scripts/setup.sh installs erlang-nox)"
            ),
        }
    }
}
