%% Bignums: Fibonacci numbers by iteration (additions of growing bignums)
%% and by fast doubling (multiplications), compared with each other.
-module(b_bigfib).
-export([run/0]).

run() -> [check(N) || N <- [1000, 10000, 50000, 100000, 120000]].

check(N) ->
    F = iterate(N, 0, 1),
    {F, _} = doubling(N),
    {N, F rem 1000000007, bits(F, 0)}.

iterate(0, A, _B) -> A;
iterate(N, A, B) -> iterate(N - 1, B, A + B).

%% {fib(N), fib(N + 1)}.
doubling(0) -> {0, 1};
doubling(N) ->
    {A, B} = doubling(N div 2),
    C = A * (2 * B - A),
    D = A * A + B * B,
    case N rem 2 of
        0 -> {C, D};
        1 -> {D, C + D}
    end.

bits(0, Acc) -> Acc;
bits(N, Acc) -> bits(N bsr 1, Acc + 1).
