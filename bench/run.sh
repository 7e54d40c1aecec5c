#!/bin/sh
# Runs the benchmark programs of bench/ on erl and on oxbeam and prints a
# Markdown table: the best time of N runs of each program's run/0 on each
# VM, measured inside the VM by bench_harness (so VM boot and loading are
# not counted), the ratio oxbeam/erl, and the geometric mean of the ratios.
# Both VMs must return the same checksum.
#
#   bench/run.sh [-n N] [-S N] [--no-build] [--oxbeam PATH] [NAME...]
#
#   -n N           runs per program and VM, the best counts (default 3)
#   -S N           N scheduler threads on both VMs (erl +S N; default: one per core)
#   --no-build     use the oxbeam binary as it is (default: cargo build --release first)
#   --oxbeam PATH  the oxbeam binary (default: target/release/oxbeam)
#   NAME...        programs to run, as b_fib or fib (default: every bench/b_*.erl)
#
# BENCH_TIMEOUT (seconds, default 900) bounds each VM's run of a program.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
runs=3
schedulers=
build=yes
oxbeam="$root/target/release/oxbeam"
while [ $# -gt 0 ]; do
    case "$1" in
        -n) runs=$2; shift 2 ;;
        -S) schedulers=$2; shift 2 ;;
        --no-build) build=no; shift ;;
        --oxbeam) oxbeam=$2; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
case "$runs" in
    ''|*[!0-9]*|0) echo "run.sh: -n needs a positive number" >&2; exit 2 ;;
esac
case "$schedulers" in
    '') vm_flags= ;;
    *[!0-9]*|0) echo "run.sh: -S needs a positive number" >&2; exit 2 ;;
    *) vm_flags="+S $schedulers" ;;
esac
timeout=${BENCH_TIMEOUT:-900}

if [ $# -eq 0 ]; then
    set -- $(cd "$here" && ls b_*.erl | sed 's/\.erl$//')
fi
programs=
for name in "$@"; do
    case "$name" in b_*) ;; *) name="b_$name" ;; esac
    if [ ! -f "$here/$name.erl" ]; then
        echo "run.sh: no program $here/$name.erl" >&2
        exit 2
    fi
    programs="$programs $name"
done

if [ "$build" = yes ]; then
    (cd "$root" && cargo build --release --quiet)
fi
if [ ! -x "$oxbeam" ]; then
    echo "run.sh: no oxbeam binary at $oxbeam" >&2
    exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
erlc +warnings_as_errors -o "$tmp" "$here/bench_harness.erl"
for name in $programs; do
    erlc +warnings_as_errors -o "$tmp" "$here/$name.erl"
done

erl_info=$(erl -noshell -eval 'io:format("OTP ~s, erts ~s, emu_flavor ~s", [erlang:system_info(otp_release), erlang:system_info(version), erlang:system_info(emu_flavor)]), halt().')

# One VM's result for a program: "MICROS CHECKSUM", or "error TEXT".
measure_erl() {
    timeout "$timeout" erl $vm_flags -noshell -pa "$tmp" -eval "$(measure_expr "$1")" 2>&1 |
        head -c 2000 | tr '\n' ' '
}
measure_oxbeam() {
    timeout "$timeout" "$oxbeam" $vm_flags -noshell -pa "$tmp" -eval "$(measure_expr "$1")" 2>&1 |
        head -c 2000 | tr '\n' ' '
}
measure_expr() {
    echo "R = (catch bench_harness:measure($1, $runs)), io:format(\"~w~n\", [R]), halt()."
}
# "{Micros,Checksum} " -> "Micros Checksum"; anything else -> "error ...".
parse() {
    case "$1" in
        "{"[0-9]*","*"} ") echo "$1" | sed 's/^{\([0-9]*\),\(.*\)} $/\1 \2/' ;;
        *) echo "error $1" ;;
    esac
}

echo "Best of $runs runs of run/0, timed inside each VM; erl: $erl_info${schedulers:+; +S $schedulers}."
echo
echo "| program | erl ms | oxbeam ms | oxbeam/erl |"
echo "| --- | ---: | ---: | ---: |"
ratios=
failed=0
for name in $programs; do
    erl_result=$(parse "$(measure_erl "$name")")
    ox_result=$(parse "$(measure_oxbeam "$name")")
    erl_us=${erl_result%% *}
    ox_us=${ox_result%% *}
    if [ "$erl_us" = error ]; then
        echo "| $name | failed | | |"
        echo "run.sh: $name on erl: ${erl_result#error }" >&2
        failed=1
        continue
    fi
    erl_ms=$(awk -v u="$erl_us" 'BEGIN { printf "%.0f", u / 1000 }')
    if [ "$ox_us" = error ]; then
        echo "| $name | $erl_ms | failed | |"
        echo "run.sh: $name on oxbeam: ${ox_result#error }" >&2
        failed=1
        continue
    fi
    if [ "${erl_result#* }" != "${ox_result#* }" ]; then
        echo "| $name | $erl_ms | wrong checksum | |"
        echo "run.sh: $name: erl returned ${erl_result#* }, oxbeam ${ox_result#* }" >&2
        failed=1
        continue
    fi
    ratio=$(awk -v a="$ox_us" -v b="$erl_us" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 1) }')
    ox_ms=$(awk -v u="$ox_us" 'BEGIN { printf "%.0f", u / 1000 }')
    echo "| $name | $erl_ms | $ox_ms | $ratio |"
    ratios="$ratios $ratio"
done
if [ -n "$ratios" ]; then
    echo "$ratios" | awk '{ s = 0; for (i = 1; i <= NF; i++) s += log($i);
        printf "| geometric mean (%d programs) | | | %.2f |\n", NF, exp(s / NF) }'
fi
exit $failed
