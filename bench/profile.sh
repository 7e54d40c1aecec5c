#!/bin/sh
# Counts the internal instructions oxbeam executes on the benchmark programs
# of bench/ and the test programs of tests/erlang/ (those in passing.txt),
# with a build that has the op-profile feature, and prints the most frequent
# instruction kinds, operand shapes and fall-through pairs (see
# src/vm/profile.rs). Each workload weighs the same: a row's share is the
# mean of its share of each workload's executed instructions.
#
#   bench/profile.sh [--top N] [--out DIR] [--no-build] [NAME...]
#
#   --top N      rows per section (default 25)
#   --out DIR    keep each workload's report in DIR (default: a temporary directory)
#   --no-build   use target/op-profile/release/oxbeam as it is
#   NAME...      workloads: bench programs (b_fib or fib) or tests/erlang programs
#                (default: every benchmark and every program in passing.txt)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
tests="$root/tests/erlang"
top=25
out=
build=yes
while [ $# -gt 0 ]; do
    case "$1" in
        --top) top=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --no-build) build=no; shift ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "profile.sh: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
if [ $# -eq 0 ]; then
    set -- $(cd "$here" && ls b_*.erl | sed 's/\.erl$//') $(grep -v '^#' "$tests/passing.txt")
fi

oxbeam="$root/target/op-profile/release/oxbeam"
if [ "$build" = yes ]; then
    (cd "$root" && cargo build --release --quiet --features op-profile --target-dir target/op-profile)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "$out" ]; then out="$tmp/reports"; fi
mkdir -p "$out"

erlc +warnings_as_errors -o "$tmp" "$here/bench_harness.erl"
for name in "$@"; do
    case "$name" in
        t_*|w_*) erlc -o "$tmp" "$tests/$name.erl" ;;
        b_*) erlc -o "$tmp" "$here/$name.erl" ;;
        *) erlc -o "$tmp" "$here/b_$name.erl" ;;
    esac
done
# profile REPORT ARGS...: oxbeam call ARGS..., its profile in $out/REPORT.txt.
profile() {
    report=$1
    shift
    OXBEAM_PROFILE_OPS="$out/$report.txt" "$oxbeam" call -pa "$tmp" "$@" >/dev/null
}
for name in "$@"; do
    case "$name" in
        t_*|w_*) profile "$name" "$name" main ;;
        b_*) profile "$name" bench_harness measure "$name" 1 ;;
        *) profile "b_$name" bench_harness measure "b_$name" 1 ;;
    esac
done

# section, mean share over the workloads, total count, key; then the top
# rows of each section.
awk -F '\t' '
    FNR == 1 { files++ }
    /^# executed/ { total = $2; next }
    /^\[/ { section = substr($0, 2, length($0) - 2); next }
    /^#/ { next }
    total > 0 { share[section "\t" $3] += $1 / total; count[section "\t" $3] += $1 }
    END {
        for (k in share) {
            split(k, parts, "\t")
            printf "%s\t%.2f\t%.0f\t%s\n", parts[1], 100 * share[k] / files, count[k], parts[2]
        }
    }' "$out"/*.txt > "$tmp/merged.tsv"
echo "Instruction profile of $(ls "$out"/*.txt | wc -l) workloads: mean share per workload, total count."
for section in kinds shapes pairs pair-shapes; do
    echo
    echo "[$section]"
    grep "^$section	" "$tmp/merged.tsv" | sort -t "	" -k2,2gr -k3,3nr | head -n "$top" |
        awk -F '\t' '{ printf "%6.2f%%  %12.0f  %s\n", $2, $3, $4 }'
done
