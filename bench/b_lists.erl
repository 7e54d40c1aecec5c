%% List crunching with OTP's lists module and comprehensions: map, foldl,
%% filter, sort, reverse, zip, seq, append and nested comprehensions.
-module(b_lists).
-export([run/0]).

run() -> loop(600, 0).

loop(0, Acc) -> Acc;
loop(N, Acc) -> loop(N - 1, (Acc + one_round(N)) rem 1000000007).

one_round(N) ->
    L = lists:seq(1, 2000),
    Squares = lists:map(fun(X) -> X * X rem 9973 end, L),
    Evens = [X || X <- Squares, X band 1 =:= 0],
    Sorted = lists:sort(Squares),
    Sum = lists:foldl(fun(X, A) -> A + X end, 0, Sorted),
    Rev = lists:reverse(Evens),
    Pairs = lists:zip(L, Squares),
    Weighted = lists:foldl(fun({I, S}, A) -> (A + I * S) rem 1000003 end, 0, Pairs),
    Grid = [X * Y || X <- lists:seq(1, 40), Y <- lists:seq(1, 40), (X + Y + N) rem 3 =:= 0],
    Merged = lists:merge(lists:sort(Evens), lists:sort(Grid)),
    Desc = lists:sort(fun(A, B) -> A >= B end, Grid),
    Keyed = lists:keysort(2, [{I, (I * 7919 + N) rem 1000} || I <- lists:seq(1, 1000)]),
    {_, Middle} = lists:nth(500, Keyed),
    Sum + Weighted + length(Merged) + hd(Rev) + hd(Desc) + Middle + lists:max(Grid)
        + length(lists:append([Evens, Rev, Grid])) + lists:sum(lists:sublist(Sorted, 100)).
