#!/usr/bin/env bash
# Sets up what is missing and runs every test: Rust unit tests and the
# integration tests that compare oxbeam with erl.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo test --release "$@"

# The unsafe code of terms and heaps under Miri, where the toolchain has it
# (rustup component add --toolchain nightly miri rust-src).
if cargo +nightly miri --version >/dev/null 2>&1; then
  # Terms are tagged words (integer-to-pointer casts by design).
  export MIRIFLAGS="${MIRIFLAGS:-} -Zmiri-permissive-provenance"
  for module in term:: heap::; do
    cargo +nightly miri test --quiet --lib "$module"
  done
else
  echo "test.sh: Miri is not installed; skipped the Miri run of term:: and heap::" >&2
fi
