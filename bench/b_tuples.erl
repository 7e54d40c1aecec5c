%% Tuple work: element/setelement loops over a tuple used as an array,
%% tuple construction and matching, and record updates and reads.
-module(b_tuples).
-export([run/0]).

-record(point, {x = 0, y = 0, z = 0, tag = none, hits = 0}).

run() ->
    A = array_loop(7200, erlang:make_tuple(64, 0)),
    R = record_loop(7200000, #point{}, 0),
    P = pairs_loop(7200000, {0, 1}, 0),
    {lists:sum(tuple_to_list(A)) rem 1000000007, R, P}.

%% A tuple as a mutable array: each pass increments every slot from its
%% neighbour.
array_loop(0, T) -> T;
array_loop(N, T) -> array_loop(N - 1, pass(1, T)).

pass(I, T) when I > tuple_size(T) -> T;
pass(I, T) ->
    Next = element(I rem tuple_size(T) + 1, T),
    pass(I + 1, setelement(I, T, (element(I, T) + Next + I) rem 65536)).

record_loop(0, P, Acc) -> Acc + P#point.x + P#point.y + P#point.z + P#point.hits;
record_loop(N, P = #point{x = X, y = Y, hits = H}, Acc) ->
    P1 = P#point{x = (X + N) rem 1000, y = (Y + X) rem 1000, hits = H + 1},
    P2 = case N rem 3 of
             0 -> P1#point{tag = zero, z = P1#point.z + 1};
             _ -> P1
         end,
    record_loop(N - 1, P2, Acc + P2#point.y).

pairs_loop(0, {A, B}, Acc) -> Acc + A + B;
pairs_loop(N, {A, B}, Acc) ->
    {C, D} = swap_sum({A, B}),
    pairs_loop(N - 1, {C rem 10007, D rem 10009}, Acc + element(1, {C, D, N}) rem 7).

swap_sum({A, B}) -> {B, A + B}.
