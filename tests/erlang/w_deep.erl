%% Workload: deep recursion, deeply nested terms, large and nested maps, and
%% allocation-heavy loops that keep the garbage collector busy.
%%
%% Body-recursion depths stay in the tens of thousands so that a GC-stress
%% run (a collection at every safe point scans the whole stack) stays
%% affordable; nested terms go deeper because the native code that walks
%% them (comparison, hashing, copying) must not rely on the machine stack.
-module(w_deep).
-export([main/0, id/1]).

main() ->
    DeepTuple = nest_tuple(50000),
    DeepList = nest_list(50000),
    DeepMap = nest_map(2000),
    [{body_recursion_sum, body_sum(lists:seq(1, 30000))},
     {body_recursion_map, lists:sum(my_map(fun(X) -> X * 2 end, lists:seq(1, 30000)))},
     {count_down, count(30000)},
     {tail_loop, loop(1000000, 0)},
     {mutual_tail, is_even(100001)},
     {ackermann, [ack(2, 3), ack(3, 3), ack(3, 5)]},
     {tak, tak(18, 12, 6)},
     {fib_naive, fib(22)},
     {deep_tuple_equal, DeepTuple =:= nest_tuple(50000)},
     {deep_tuple_compare, {DeepTuple < nest_tuple(50001), nest_tuple(49999) < DeepTuple}},
     {deep_tuple_hash, erlang:phash2(DeepTuple)},
     {deep_tuple_depth, depth(DeepTuple, 0)},
     {deep_list_equal, DeepList == nest_list(50000)},
     {deep_list_hash, erlang:phash2(DeepList)},
     {deep_list_flatten, lists:flatten(nest_list(5000))},
     {deep_printed, nest_tuple(300)},
     {deep_printed_list, nest_list(300)},
     {deep_term_to_binary_size, byte_size(term_to_binary(nest_tuple(20000)))},
     {deep_map, nested_get(DeepMap, 2000)},
     {deep_map_equal, DeepMap =:= nest_map(2000)},
     {deep_map_hash, erlang:phash2(nest_map(500))},
     {big_map, big_map()},
     {map_of_maps, map_of_maps()},
     {gc_churn, churn(300, 0)},
     {large_live_set, live_set()},
     {long_list, long_list()},
     {string_building, string_building()},
     {tuple_churn, tuple_churn(100000, {0, 0, 0, 0})},
     {closure_chain, (closure_chain(20000))(0)},
     {exception_unwinding, unwind(5000)},
     {catch_in_loop, catch_loop(20000, 0)},
     {list_of_big_numbers, lists:sum([X * X * X * X * X * X || X <- lists:seq(100000, 110000)])},
     {reverse_big, hd(lists:reverse(lists:seq(1, 100000)))},
     {sort_big, lists:nth(7777, lists:sort([(X * 7919) rem 100003 || X <- lists:seq(1, 30000)]))}].

id(X) -> X.

body_sum([]) -> 0;
body_sum([H | T]) -> H + body_sum(T).

my_map(_, []) -> [];
my_map(F, [H | T]) -> [F(H) | my_map(F, T)].

count(0) -> 0;
count(N) -> 1 + count(N - 1).

loop(0, Acc) -> Acc;
loop(N, Acc) -> loop(N - 1, (Acc + N) rem 1000003).

is_even(0) -> true;
is_even(N) -> is_odd(N - 1).
is_odd(0) -> false;
is_odd(N) -> is_even(N - 1).

ack(0, N) -> N + 1;
ack(M, 0) -> ack(M - 1, 1);
ack(M, N) -> ack(M - 1, ack(M, N - 1)).

tak(X, Y, Z) when Y < X -> tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) -> Z.

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

nest_tuple(N) -> nest_tuple(N, leaf).
nest_tuple(0, Acc) -> Acc;
nest_tuple(N, Acc) -> nest_tuple(N - 1, {N rem 7, Acc}).

nest_list(N) -> nest_list(N, []).
nest_list(0, Acc) -> Acc;
nest_list(N, Acc) -> nest_list(N - 1, [N rem 5, Acc]).

depth({_, Inner}, D) -> depth(Inner, D + 1);
depth(leaf, D) -> D.

nest_map(N) -> nest_map(N, #{leaf => true}).
nest_map(0, Acc) -> Acc;
nest_map(N, Acc) -> nest_map(N - 1, #{level => N, inner => Acc}).

nested_get(#{inner := Inner}, N) -> nested_get(Inner, N - 1);
nested_get(#{leaf := true}, N) -> {reached_leaf, N}.

big_map() ->
    M = lists:foldl(fun(I, Acc) -> Acc#{I => I * I, {key, I} => [I]} end, #{}, lists:seq(1, 10000)),
    M2 = maps:filter(fun(K, _) -> is_integer(K) andalso K rem 3 =:= 0 end, M),
    M3 = lists:foldl(fun(I, Acc) -> maps:remove(I, Acc) end, M2, lists:seq(1, 10000, 2)),
    {map_size(M), map_size(M2), map_size(M3), maps:get(9999, M), maps:get({key, 5000}, M),
     lists:sum(maps:values(M3)), erlang:phash2(lists:sort(maps:to_list(M3)))}.

map_of_maps() ->
    Outer = maps:from_list([{I, maps:from_list([{J, I * J} || J <- lists:seq(1, 40)])} || I <- lists:seq(1, 40)]),
    Updated = maps:map(fun(_, Inner) -> maps:map(fun(_, V) -> V + 1 end, Inner) end, Outer),
    {maps:get(17, maps:get(23, Updated)), lists:sum([lists:sum(maps:values(In)) || In <- maps:values(Updated)])}.

%% Many short-lived lists: allocation without a growing live set.
churn(0, Acc) -> Acc;
churn(N, Acc) ->
    L = [{I, I * N} || I <- lists:seq(1, 1000)],
    churn(N - 1, (Acc + lists:foldl(fun({A, B}, S) -> S + A + B end, 0, L)) rem 1000000007).

%% A large live list survives while new garbage is made around it.
live_set() ->
    Live = lists:seq(1, 50000),
    Sums = [lists:sum(lists:map(fun(X) -> X * K end, Live)) || K <- lists:seq(1, 5)],
    {length(Live), lists:sum(Sums)}.

long_list() ->
    L = lists:seq(1, 100000),
    {length(L), lists:last(L), lists:sum(L), length(lists:filter(fun(X) -> X rem 7 =:= 0 end, L))}.

string_building() ->
    Parts = [integer_to_list(I) ++ "," || I <- lists:seq(1, 20000)],
    Flat = lists:flatten(Parts),
    Deep = lists:foldl(fun(P, Acc) -> [Acc, P] end, [], Parts),
    {length(Flat), lists:flatten(Deep) =:= Flat, lists:sublist(Flat, 20)}.

tuple_churn(0, T) -> T;
tuple_churn(N, {A, B, C, D}) -> tuple_churn(N - 1, {B, C, D, (A + B + C + D + N) rem 9973}).

closure_chain(0) -> fun(X) -> X end;
closure_chain(N) -> Next = closure_chain(N - 1), fun(X) -> Next(X + 1) end.

%% An exception thrown from deep in a body recursion unwinds all frames.
unwind(N) ->
    try dive(N) catch throw:{bottom, D} -> {caught_at_depth, D} end.

dive(0) -> throw({bottom, 0});
dive(N) -> [N | dive(N - 1)].

catch_loop(0, Acc) -> Acc;
catch_loop(N, Acc) ->
    V = try
            case N rem 3 of
                0 -> throw(N);
                1 -> error({odd, N});
                2 -> N
            end
        catch
            throw:X -> X * 2;
            error:{odd, X} -> -X
        end,
    catch_loop(N - 1, Acc + V).
