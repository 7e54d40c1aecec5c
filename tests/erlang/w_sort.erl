%% Workload: sorting algorithms written in Erlang over pseudo-random data
%% (a linear congruential generator, so every run sees the same numbers).
-module(w_sort).
-export([main/0]).

main() ->
    Small = random_list(12345, 30, 1000),
    Large = random_list(987, 5000, 1000000),
    Floats = [X / 7 || X <- random_list(42, 500, 100000)],
    Words = [word(S) || S <- random_list(7, 200, 1 bsl 40)],
    Ref = lists:sort(Large),
    Algorithms = [{quicksort, fun quicksort/1}, {mergesort, fun mergesort/1}, {insertion, fun insertion_sort/1},
                  {heapsort, fun heapsort/1}, {treesort, fun treesort/1}, {radix, fun radix_sort/1},
                  {bottom_up_merge, fun bottom_up_mergesort/1}, {selection, fun selection_sort/1}],
    [{input_small, Small},
     {quicksort_small, quicksort(Small)},
     {mergesort_small, mergesort(Small)},
     {heapsort_small, heapsort(Small)},
     {all_agree_small, [{Name, Sort(Small) =:= lists:sort(Small)} || {Name, Sort} <- Algorithms]},
     {all_agree_large, [{Name, Sort(Large) =:= Ref} || {Name, Sort} <- Algorithms, Name =/= insertion,
                                                           Name =/= selection]},
     {insertion_medium, insertion_sort(lists:sublist(Large, 400)) =:= lists:sort(lists:sublist(Large, 400))},
     {large_head_tail, {lists:sublist(Ref, 5), lists:nthtail(4995, Ref)}},
     {large_checksum, checksum(Ref)},
     {floats_sorted, lists:sublist(mergesort(Floats), 8)},
     {floats_agree, quicksort(Floats) =:= lists:sort(Floats)},
     {words_sorted, lists:sublist(mergesort(Words), 10)},
     {words_agree, quicksort(Words) =:= lists:sort(Words)},
     {sort_by_key, lists:sublist(sort_by(fun({_, B}) -> B end, [{I, (I * 7919) rem 97} || I <- lists:seq(1, 100)]), 10)},
     {stable_mergesort, mergesort_by(fun({A, _}, {B, _}) -> A =< B end, [{X rem 5, I} || {X, I} <- lists:zip(Small, lists:seq(1, 30))])},
     {dedup, length(lists:usort(Large))},
     {median, median(Large)},
     {inversions, inversions(Small)},
     {kth_smallest, [kth(K, Large) || K <- [1, 100, 2500, 5000]]},
     {already_sorted, quicksort(lists:seq(1, 2000)) =:= lists:seq(1, 2000)},
     {reverse_sorted, mergesort(lists:seq(2000, 1, -1)) =:= lists:seq(1, 2000)},
     {all_equal, heapsort(lists:duplicate(100, 7)) =:= lists:duplicate(100, 7)},
     {empty_and_single, [{quicksort([]), mergesort([]), heapsort([x]), treesort([x])}]}].

%% X(n+1) = (a * X(n) + c) mod m with the constants of Numerical Recipes.
random_list(Seed, N, Max) ->
    {L, _} = lists:mapfoldl(fun(_, S) -> S2 = (1664525 * S + 1013904223) rem 4294967296, {S2 rem Max, S2} end,
                            Seed, lists:seq(1, N)),
    L.

word(N) -> [$a + (N bsr (5 * I)) rem 26 || I <- lists:seq(0, 2 + N rem 5)].

checksum(L) -> lists:foldl(fun(X, Acc) -> (Acc * 31 + X) rem 1000000007 end, 0, L).

quicksort([]) -> [];
quicksort([P | Rest]) ->
    quicksort([X || X <- Rest, X < P]) ++ [P | quicksort([X || X <- Rest, X >= P])].

mergesort(L) -> mergesort_by(fun(A, B) -> A =< B end, L).

mergesort_by(_, []) -> [];
mergesort_by(_, [X]) -> [X];
mergesort_by(Le, L) ->
    {A, B} = lists:split(length(L) div 2, L),
    merge(Le, mergesort_by(Le, A), mergesort_by(Le, B)).

merge(_, [], B) -> B;
merge(_, A, []) -> A;
merge(Le, [X | Xs] = A, [Y | Ys] = B) ->
    case Le(X, Y) of
        true -> [X | merge(Le, Xs, B)];
        false -> [Y | merge(Le, A, Ys)]
    end.

bottom_up_mergesort([]) -> [];
bottom_up_mergesort(L) -> merge_passes([[X] || X <- L]).

merge_passes([One]) -> One;
merge_passes(Runs) -> merge_passes(merge_pairs(Runs)).

merge_pairs([A, B | Rest]) -> [merge(fun(X, Y) -> X =< Y end, A, B) | merge_pairs(Rest)];
merge_pairs(Rest) -> Rest.

insertion_sort(L) -> lists:foldl(fun insert/2, [], L).

insert(X, []) -> [X];
insert(X, [Y | _] = L) when X =< Y -> [X | L];
insert(X, [Y | Ys]) -> [Y | insert(X, Ys)].

selection_sort([]) -> [];
selection_sort(L) ->
    Min = lists:min(L),
    [Min | selection_sort(lists:delete(Min, L))].

%% A leftist heap: {Rank, Value, Left, Right} or empty.
heapsort(L) -> drain_heap(lists:foldl(fun(X, H) -> heap_merge({1, X, empty, empty}, H) end, empty, L)).

drain_heap(empty) -> [];
drain_heap({_, X, L, R}) -> [X | drain_heap(heap_merge(L, R))].

heap_merge(empty, H) -> H;
heap_merge(H, empty) -> H;
heap_merge({_, X, L1, R1}, {_, Y, _, _} = H2) when X =< Y -> make_node(X, L1, heap_merge(R1, H2));
heap_merge(H1, H2) -> heap_merge(H2, H1).

make_node(X, A, B) ->
    case rank(A) >= rank(B) of
        true -> {rank(B) + 1, X, A, B};
        false -> {rank(A) + 1, X, B, A}
    end.

rank(empty) -> 0;
rank({R, _, _, _}) -> R.

%% Unbalanced binary search tree keeping duplicates as counts.
treesort(L) -> tree_to_list(lists:foldl(fun tree_insert/2, nil, L), []).

tree_insert(X, nil) -> {nil, X, 1, nil};
tree_insert(X, {L, X, N, R}) -> {L, X, N + 1, R};
tree_insert(X, {L, Y, N, R}) when X < Y -> {tree_insert(X, L), Y, N, R};
tree_insert(X, {L, Y, N, R}) -> {L, Y, N, tree_insert(X, R)}.

tree_to_list(nil, Acc) -> Acc;
tree_to_list({L, X, N, R}, Acc) -> tree_to_list(L, lists:duplicate(N, X) ++ tree_to_list(R, Acc)).

%% LSD radix sort on non-negative integers, base 256, with tuples as buckets.
radix_sort(L) -> radix_sort(L, 0, lists:max([0 | L])).

radix_sort(L, Shift, Max) when Max bsr Shift =:= 0 -> L;
radix_sort(L, Shift, Max) ->
    Empty = erlang:make_tuple(256, []),
    Buckets = lists:foldl(fun(X, B) -> D = (X bsr Shift) band 255 + 1, setelement(D, B, [X | element(D, B)]) end,
                          Empty, L),
    radix_sort(lists:append([lists:reverse(B) || B <- tuple_to_list(Buckets)]), Shift + 8, Max).

sort_by(KeyFun, L) ->
    [X || {_, _, X} <- lists:sort([{KeyFun(X), I, X} || {I, X} <- lists:zip(lists:seq(1, length(L)), L)])].

median(L) ->
    S = lists:sort(L),
    N = length(S),
    case N rem 2 of
        1 -> lists:nth(N div 2 + 1, S);
        0 -> (lists:nth(N div 2, S) + lists:nth(N div 2 + 1, S)) / 2
    end.

%% Number of pairs out of order, counted while merging.
inversions(L) -> element(2, count_inv(L)).

count_inv([]) -> {[], 0};
count_inv([X]) -> {[X], 0};
count_inv(L) ->
    {A, B} = lists:split(length(L) div 2, L),
    {SA, IA} = count_inv(A),
    {SB, IB} = count_inv(B),
    {M, IM} = merge_count(SA, length(SA), SB, [], 0),
    {M, IA + IB + IM}.

merge_count([], _, B, Acc, N) -> {lists:reverse(Acc, B), N};
merge_count(A, _, [], Acc, N) -> {lists:reverse(Acc, A), N};
merge_count([X | Xs], LenA, [Y | _] = B, Acc, N) when X =< Y -> merge_count(Xs, LenA - 1, B, [X | Acc], N);
merge_count(A, LenA, [Y | Ys], Acc, N) -> merge_count(A, LenA, Ys, [Y | Acc], N + LenA).

%% Quickselect.
kth(K, [P | Rest]) ->
    Less = [X || X <- Rest, X < P],
    NLess = length(Less),
    if
        K =< NLess -> kth(K, Less);
        K =:= NLess + 1 -> P;
        true -> kth(K - NLess - 1, [X || X <- Rest, X >= P])
    end.
