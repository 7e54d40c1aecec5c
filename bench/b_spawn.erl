%% Process churn: spawn short-lived monitored processes in waves and reap
%% their 'DOWN' messages.
-module(b_spawn).
-export([run/0]).

-define(WAVES, 50).
-define(PER_WAVE, 2000).

run() -> waves(?WAVES, 0).

waves(0, Sum) -> Sum;
waves(W, Sum) ->
    Refs = [spawn_monitor(fun() -> exit({done, I}) end) || I <- lists:seq(1, ?PER_WAVE)],
    waves(W - 1, reap(Refs, Sum)).

reap([], Sum) -> Sum;
reap([{Pid, Ref} | Rest], Sum) ->
    receive
        {'DOWN', Ref, process, Pid, {done, I}} -> reap(Rest, Sum + I)
    end.
