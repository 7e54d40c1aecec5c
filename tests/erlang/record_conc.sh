#!/bin/sh
# Records tests/erlang/expected/NAME.txt from erl for the concurrency
# programs (c_*.erl) and the command-line cases (cli_cases.txt): erl's
# standard output, then a line `[exit N]` with its exit status. A program
# runs as `erl -noshell -pa DIR -eval 'NAME:main(), halt().'`, a case as
# `erl -pa DIR ARGS...`, where DIR holds the compiled c_*.erl modules.
#
#   tests/erlang/record_conc.sh [--check] [NAME...]
#
# NAMEs default to every program and every case. With --check nothing is
# written: each is run with erl's default schedulers, with +S 1 and with
# +S 2, and compared with its expected file (the same output whatever the
# scheduling is part of what the programs promise); the exit status is 1
# if any differs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mode=record
if [ "${1:-}" = "--check" ]; then mode=check; shift; fi
cd "$here"
release=$(erl -noshell -eval 'io:format("~s", [erlang:system_info(otp_release)]), halt().')
if [ "$release" != 25 ]; then
    echo "record_conc.sh: needs erl from OTP 25, found OTP $release" >&2
    exit 2
fi

# The arguments of case NAME, as sh words (the quoting rules are checked:
# single quotes only, a small set of characters outside them, as
# cli_cases.txt describes and tests/concurrency_vs_erl.rs parses).
case_args() {
    line=$(grep "^$1 " cli_cases.txt) || { echo "record_conc.sh: no case $1" >&2; exit 2; }
    args=${line#"$1 "}
    unquoted=$(printf '%s' "$args" | sed "s/'[^']*'//g")
    case "$unquoted" in
        *[!A-Za-z0-9_./+:=@%,\ -]*)
            echo "record_conc.sh: $1: only single quotes and [A-Za-z0-9_./+:=@%, -] outside them" >&2
            exit 2 ;;
    esac
    printf '%s' "$args"
}

if [ $# -eq 0 ]; then
    set -- $(ls c_*.erl | sed 's/\.erl$//') $(grep '^cli_' cli_cases.txt | cut -d' ' -f1)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Compiled from here with relative names, as the Rust harness does: stack
# traces name the source file as it was given to erlc.
erlc +warnings_as_errors -o "$tmp" c_*.erl
mkdir -p expected "$tmp/run"
# No crash dump: a case that crashes init would write one.
export ERL_CRASH_DUMP_SECONDS=0

# run_erl OUT ERL_ARGS...: runs erl (in a scratch directory, with no input,
# at most 60 s) and writes its stdout and `[exit N]` to OUT.
run_erl() {
    out=$1
    shift
    status=0
    (cd "$tmp/run" && timeout 60 erl "$@" </dev/null >"$tmp/stdout" 2>"$tmp/stderr") || status=$?
    if [ "$status" = 124 ]; then
        echo "record_conc.sh: erl $* did not finish in 60 s" >&2
        exit 1
    fi
    { cat "$tmp/stdout"; printf '[exit %s]\n' "$status"; } >"$out"
}

# run NAME ERL_FLAGS OUT: runs program or case NAME with extra emulator
# flags (+S ...) placed first.
run() {
    name=$1
    flags=$2
    out=$3
    case "$name" in
        c_*) run_erl "$out" $flags -noshell -pa "$tmp" -eval "$name:main(), halt()." ;;
        cli_*) args=$(case_args "$name") || exit 2
               eval "run_erl \"\$out\" $flags -pa \"\$tmp\" $args" ;;
        *) echo "record_conc.sh: $name is neither c_* nor cli_*" >&2; exit 2 ;;
    esac
}

failed=0
for name in "$@"; do
    file="expected/$name.txt"
    case $mode in
        record)
            run "$name" "" "$file"
            echo "recorded $file ($(wc -c <"$file") bytes, $(tail -n 1 "$file"))"
            case "$name" in
                c_*) if [ "$(tail -n 1 "$file")" != "[exit 0]" ]; then
                         echo "  warning: $name did not exit with status 0; its stderr:" >&2
                         cat "$tmp/stderr" >&2
                     fi ;;
            esac ;;
        check)
            for flags in "" "+S 1" "+S 2"; do
                run "$name" "$flags" "$tmp/got"
                if cmp -s "$tmp/got" "$file"; then
                    echo "ok   $name ${flags:-(default schedulers)}"
                else
                    echo "DIFF $name ${flags:-(default schedulers)}"
                    failed=1
                fi
            done ;;
    esac
done
exit $failed
