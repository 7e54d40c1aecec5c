#!/usr/bin/env bash
# Sets up what is missing, builds oxbeam, and disassembles OTP's own
# `lists` module with it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo build --release --quiet
stdlib=$(erl -noshell -eval 'io:format("~s", [code:lib_dir(stdlib)]), halt().')
target/release/oxbeam dis "$stdlib/ebin/lists.beam"
