%% stdlib collections: sets (v1 and v2), ordsets, gb_trees, gb_sets, dict,
%% orddict, queue and array. Raw representations are included where they
%% are plain tuples and lists (their shape is part of what must match).
-module(t_coll).
-export([main/0, id/1]).

main() ->
    Nums = [(I * 37) rem 101 || I <- lists:seq(1, 60)],
    S1 = sets:from_list([3, 1, 4, 1, 5, 9, 2, 6]),
    S2 = sets:from_list([2, 7, 1, 8, 2, 8]),
    V2a = sets:from_list([3, 1, 4, 1, 5, 9, 2, 6], [{version, 2}]),
    V2b = sets:from_list([2, 7, 1, 8, 2, 8], [{version, 2}]),
    O1 = ordsets:from_list([c, a, b, a]),
    O2 = ordsets:from_list([b, d]),
    T = lists:foldl(fun(K, Acc) -> gb_trees:enter(K, K * K, Acc) end, gb_trees:empty(), Nums),
    G = gb_sets:from_list(Nums),
    D = lists:foldl(fun(K, Acc) -> dict:append(K rem 5, K, Acc) end, dict:new(), lists:seq(1, 20)),
    OD = orddict:from_list([{b, 2}, {a, 1}, {c, 3}]),
    Q = lists:foldl(fun queue:in/2, queue:new(), [1, 2, 3, 4, 5]),
    A = lists:foldl(fun(I, Acc) -> array:set(I, I * 10, Acc) end, array:new(), lists:seq(0, 20)),
    [{sets_to_list, sets:to_list(S1)},
     {sets_sorted, lists:sort(sets:to_list(S1))},
     {sets_ops, [lists:sort(sets:to_list(X)) || X <- [sets:union(S1, S2), sets:intersection(S1, S2),
                                                       sets:subtract(S1, S2)]]},
     {sets_queries, {sets:size(S1), sets:is_element(4, S1), sets:is_element(7, S1), sets:is_subset(sets:from_list([1, 2]), S1),
                     sets:is_disjoint(S1, sets:from_list([100])), sets:is_set(S1), sets:is_empty(sets:new())}},
     {sets_fold_filter, {sets:fold(fun(X, Acc) -> X + Acc end, 0, S1), lists:sort(sets:to_list(sets:filter(fun(X) -> X > 4 end, S1)))}},
     {sets_raw, S2},
     {sets_add_del, lists:sort(sets:to_list(sets:del_element(1, sets:add_element(10, S1))))},
     {sets_v2_to_list, sets:to_list(V2a)},
     {sets_v2_ops, [lists:sort(sets:to_list(X)) || X <- [sets:union(V2a, V2b), sets:intersection(V2a, V2b),
                                                          sets:subtract(V2a, V2b)]]},
     {sets_v2_raw, V2b},
     {sets_v2_large, sets:to_list(sets:from_list(lists:seq(1, 40), [{version, 2}]))},
     {sets_v1_large, sets:to_list(sets:from_list(lists:seq(1, 40)))},
     {ordsets, {O1, ordsets:union(O1, O2), ordsets:intersection(O1, O2), ordsets:subtract(O1, O2),
                ordsets:add_element(aa, O1), ordsets:del_element(a, O1), ordsets:is_element(b, O1),
                ordsets:is_subset([a], O1), ordsets:union([[3], [1, 2], [2, 4]])}},
     {gb_trees_lookup, [gb_trees:lookup(K, T) || K <- [37, 74, 0, 1000]]},
     {gb_trees_size, {gb_trees:size(T), gb_trees:is_defined(37, T), gb_trees:smallest(T), gb_trees:largest(T)}},
     {gb_trees_keys, gb_trees:keys(T)},
     {gb_trees_values_head, lists:sublist(gb_trees:values(T), 10)},
     {gb_trees_delete, gb_trees:to_list(lists:foldl(fun gb_trees:delete_any/2, gb_trees:from_orddict([{I, x} || I <- lists:seq(1, 10)]),
                                                    [2, 4, 6, 8, 10, 12]))},
     {gb_trees_iter, iter_tree(gb_trees:iterator_from(50, T), 5)},
     {gb_trees_take, gb_trees:take_smallest(gb_trees:from_orddict([{1, a}, {2, b}]))},
     {gb_trees_map, gb_trees:to_list(gb_trees:map(fun(K, V) -> K + V end, gb_trees:from_orddict([{1, 10}, {2, 20}])))},
     {gb_trees_raw, gb_trees:from_orddict([{1, a}, {2, b}, {3, c}])},
     {gb_trees_balanced_raw, gb_trees:balance(lists:foldl(fun(K, Acc) -> gb_trees:insert(K, v, Acc) end, gb_trees:empty(), [1, 2, 3, 4, 5, 6, 7]))},
     {gb_sets, {gb_sets:size(G), gb_sets:is_member(74, G), gb_sets:smallest(G), gb_sets:largest(G),
                lists:sublist(gb_sets:to_list(G), 10)}},
     {gb_sets_ops, [gb_sets:to_list(X) || X <- [gb_sets:union(gb_sets:from_list([1, 3, 5]), gb_sets:from_list([2, 3])),
                                               gb_sets:intersection(gb_sets:from_list([1, 3, 5]), gb_sets:from_list([2, 3])),
                                               gb_sets:difference(gb_sets:from_list([1, 3, 5]), gb_sets:from_list([2, 3])),
                                               gb_sets:filter(fun(X) -> X rem 2 =:= 0 end, gb_sets:from_list(lists:seq(1, 10)))]]},
     {gb_sets_next, gb_sets:next(gb_sets:iterator_from(10, gb_sets:from_list([5, 10, 15])))},
     {dict_to_list, dict:to_list(D)},
     {dict_sorted, lists:sort(dict:to_list(D))},
     {dict_ops, {dict:fetch(0, D), dict:find(9, D), dict:is_key(3, D), dict:size(D), lists:sort(dict:fetch_keys(D))}},
     {dict_update, lists:sort(dict:to_list(dict:update_counter(a, 5, dict:update_counter(a, 1, dict:new()))))},
     {dict_merge, lists:sort(dict:to_list(dict:merge(fun(_, X, Y) -> X + Y end, dict:from_list([{a, 1}, {b, 2}]),
                                                     dict:from_list([{b, 10}, {c, 20}]))))},
     {dict_map_filter, lists:sort(dict:to_list(dict:filter(fun(K, _) -> K > 2 end, dict:map(fun(_, V) -> length(V) end, D))))},
     {dict_raw, dict:from_list([{a, 1}, {b, 2}])},
     {dict_large_order, dict:fetch_keys(dict:from_list([{I, I} || I <- lists:seq(1, 50)]))},
     {orddict, {OD, orddict:store(d, 4, OD), orddict:erase(a, OD), orddict:fetch(b, OD), orddict:find(z, OD),
                orddict:update_counter(c, 10, OD), orddict:append(e, x, OD), orddict:fold(fun(K, V, Acc) -> [{V, K} | Acc] end, [], OD),
                orddict:merge(fun(_, X, Y) -> X * Y end, OD, [{b, 5}, {z, 0}])}},
     {queue_basic, {queue:to_list(Q), queue:len(Q), queue:peek(Q), queue:peek_r(Q), queue:is_empty(Q)}},
     {queue_out, drain(Q)},
     {queue_in_r_out_r, queue:to_list(queue:in_r(0, element(2, queue:out_r(Q))))},
     {queue_reverse_join, queue:to_list(queue:join(queue:reverse(Q), queue:from_list([a, b])))},
     {queue_split, [queue:to_list(X) || X <- tuple_to_list(queue:split(2, Q))]},
     {queue_filter, queue:to_list(queue:filter(fun(X) -> X rem 2 =:= 1 end, Q))},
     {queue_member_get, {queue:member(3, Q), queue:get(Q), queue:get_r(Q), queue:head(Q), queue:last(Q)}},
     {queue_raw, Q},
     {queue_empty_out, queue:out(queue:new())},
     {queue_empty_get, ex(fun() -> queue:get(queue:new()) end)},
     {array_basic, {array:size(A), array:get(5, A), array:get(100, A), array:default(A)}},
     {array_to_list, array:to_list(A)},
     {array_sparse, array:sparse_to_orddict(array:set(1000, x, array:set(5, y, array:new())))},
     {array_fixed, {array:size(array:new(10)), array:to_list(array:new(3, {default, z})), array:is_fix(array:new(5, fixed))}},
     {array_fixed_oob, ex(fun() -> array:set(10, x, array:new(5, fixed)) end)},
     {array_map_fold, {array:to_list(array:map(fun(I, V) -> I + V end, array:from_list([10, 20, 30]))),
                       array:foldl(fun(_, V, Acc) -> V + Acc end, 0, A), array:foldr(fun(I, _, Acc) -> [I | Acc] end, [], array:from_list([a, b, c]))}},
     {array_resize, {array:size(array:resize(3, A)), array:to_list(array:resize(3, A))}},
     {array_raw, array:from_list([a, b, c])},
     {array_large, {array:get(5000, array:from_list(lists:seq(0, 9999))), array:size(array:from_list(lists:seq(0, 9999)))}}].

id(X) -> X.

%% Value of F(), or {Class, Reason} of the exception it raises.
ex(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

iter_tree(_, 0) -> [];
iter_tree(It, N) ->
    case gb_trees:next(It) of
        none -> [];
        {K, V, It2} -> [{K, V} | iter_tree(It2, N - 1)]
    end.

drain(Q) ->
    case queue:out(Q) of
        {empty, _} -> [];
        {{value, V}, Q2} -> [V | drain(Q2)]
    end.
