#!/usr/bin/env bash
# Installs what oxbeam's build and tests need, when it is missing:
# OTP 25 (the oracle, and the .beam files oxbeam runs), Elixir (whose
# .beam files the loader is tested on), zlib's headers and a C compiler. Safe to run again: it only installs
# what is absent. Sourced by scripts/example.sh and scripts/test.sh.
set -euo pipefail

missing=()
command -v erlc >/dev/null 2>&1 || missing+=(erlang-nox)
command -v elixir >/dev/null 2>&1 || missing+=(elixir)
# The system zlib that erl links: flate2 builds against it so that
# compressed term_to_binary output is byte-identical to erl's.
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
# A C compiler: pcre2-sys builds PCRE2 (behind `re`) from its bundled source.
command -v cc >/dev/null 2>&1 || missing+=(gcc)
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo is missing: install a Rust toolchain (https://rustup.rs) first" >&2
  exit 1
fi
