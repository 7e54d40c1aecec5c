%% List crunching: naive reverse (quadratic appends of a 30-element list),
%% the classic Prolog/Erlang benchmark.
-module(b_nrev).
-export([run/0]).

run() ->
    L = lists:seq(1, 30),
    loop(220000, L, 0).

loop(0, _L, Acc) -> Acc;
loop(N, L, Acc) ->
    [H | _] = nrev(L),
    loop(N - 1, L, Acc + H).

nrev([]) -> [];
nrev([H | T]) -> app(nrev(T), [H]).

app([], L) -> L;
app([H | T], L) -> [H | app(T, L)].
