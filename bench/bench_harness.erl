%% Times a benchmark inside the VM, so the VM's boot is not measured.
%% measure(Mod, N) calls Mod:run() N times and returns {BestMicros, Checksum}:
%% the fastest of the N runs, in microseconds of erlang:monotonic_time, and
%% the checksum every run returned (a run that returns another raises).
-module(bench_harness).
-export([measure/1, measure/2]).

measure(Mod) -> measure(Mod, 3).

measure(Mod, N) when is_atom(Mod), is_integer(N), N >= 1 ->
    {Micros, Checksum} = timed(Mod),
    measure(Mod, N - 1, Micros, Checksum).

measure(_Mod, 0, Best, Checksum) ->
    {Best, Checksum};
measure(Mod, N, Best, Checksum) ->
    case timed(Mod) of
        {Micros, Checksum} -> measure(Mod, N - 1, min(Micros, Best), Checksum);
        {_, Other} -> erlang:error({checksum_changed, Mod, Checksum, Other})
    end.

timed(Mod) ->
    Start = erlang:monotonic_time(microsecond),
    Checksum = Mod:run(),
    Stop = erlang:monotonic_time(microsecond),
    {Stop - Start, Checksum}.
