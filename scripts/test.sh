#!/usr/bin/env bash
# Sets up what is missing and runs every test: Rust unit tests and the
# integration tests that compare oxbeam with erl.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo test --release "$@"
# The instruction profile is compiled only with its feature.
cargo test --release --features op-profile --lib vm::profile

# The unsafe core (term construction and reading, memory areas, the GC)
# under Miri, where the toolchain has it (rustup component add --toolchain
# nightly miri rust-src). Other modules' tests build terms a million levels
# deep and are too slow under Miri for every run; run them by hand with
# `cargo +nightly miri test --lib MODULE::`.
if cargo +nightly miri --version >/dev/null 2>&1; then
  # Terms are tagged words (integer-to-pointer casts by design).
  export MIRIFLAGS="${MIRIFLAGS:-} -Zmiri-permissive-provenance"
  for filter in term::build term::tests heap:: vm::mailbox vm::timer; do
    cargo +nightly miri test --quiet --lib "$filter"
  done
else
  echo "test.sh: Miri is not installed; skipped the Miri run" >&2
fi
