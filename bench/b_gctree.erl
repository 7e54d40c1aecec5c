%% GC-heavy allocation: the binary-trees benchmark — many short-lived trees
%% built and checked, beside one long-lived tree.
-module(b_gctree).
-export([run/0]).

-define(MAX_DEPTH, 18).
-define(MIN_DEPTH, 4).

run() ->
    Long = make(?MAX_DEPTH),
    Checks = [depth(D) || D <- lists:seq(?MIN_DEPTH, ?MAX_DEPTH, 2)],
    {check(Long), Checks}.

depth(D) ->
    Iterations = 1 bsl (?MAX_DEPTH - D + ?MIN_DEPTH),
    {D, sum_checks(Iterations, D, 0)}.

sum_checks(0, _D, Acc) -> Acc;
sum_checks(I, D, Acc) -> sum_checks(I - 1, D, Acc + check(make(D))).

make(0) -> {nil, nil};
make(D) -> {make(D - 1), make(D - 1)}.

check({nil, nil}) -> 1;
check({L, R}) -> 1 + check(L) + check(R).
