#!/bin/sh
# Records tests/erlang/expected/<name>.txt from erl for each tests/erlang/<name>.erl:
# exactly what io_lib:format("~w~n", [<name>:main()]) gives.
#
#   tests/erlang/record.sh [--check] [NAME...]
#
# NAMEs default to every module in the directory except the concurrency
# programs c_*.erl, which record_conc.sh records. With --check nothing is
# written: each module's output is compared with its expected file, and the
# exit status is 1 if any differs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mode=record
if [ "${1:-}" = "--check" ]; then mode=check; shift; fi
cd "$here"
# The expected files are erl's output on OTP 25 (stack traces name lines of
# OTP's own modules, formats changed across releases): refuse any other erl.
release=$(erl -noshell -eval 'io:format("~s", [erlang:system_info(otp_release)]), halt().')
if [ "$release" != 25 ]; then
    echo "record.sh: needs erl from OTP 25, found OTP $release" >&2
    exit 2
fi
if [ $# -eq 0 ]; then
    set -- $(ls *.erl | grep -v '^c_' | sed 's/\.erl$//')
fi
for name in "$@"; do
    case "$name" in
        c_*) echo "record.sh: $name is a concurrency program: use record_conc.sh" >&2; exit 2 ;;
    esac
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for name in "$@"; do
    erlc +warnings_as_errors -o "$tmp" "$name.erl"
done
mkdir -p expected
export ERL_CRASH_DUMP_SECONDS=0
erl -noshell -pa "$tmp" -eval '
    [Mode, Dir | Names] = init:get_plain_arguments(),
    Run = fun(Name) ->
        Mod = list_to_atom(Name),
        Text = unicode:characters_to_binary(io_lib:format("~w~n", [Mod:main()])),
        File = filename:join(Dir, Name ++ ".txt"),
        case Mode of
            "record" ->
                ok = file:write_file(File, Text),
                io:format("recorded ~s (~B bytes)~n", [File, byte_size(Text)]),
                true;
            "check" ->
                Same = file:read_file(File) =:= {ok, Text},
                io:format("~s ~s~n", [case Same of true -> "ok  "; false -> "DIFF" end, Name]),
                Same
        end
    end,
    Results = [Run(N) || N <- Names],
    halt(case lists:all(fun(R) -> R end, Results) of true -> 0; false -> 1 end).
' -extra "$mode" "$here/expected" "$@"
