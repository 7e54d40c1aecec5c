#!/usr/bin/env bash
# Sets up what is missing and runs every test: Rust unit tests and the
# integration tests that compare oxbeam with erl.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo test --release "$@"
