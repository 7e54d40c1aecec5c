%% Maps: syntax, update and match, the maps module, errors, and the
%% iteration order of small (flat) and large (hashed) maps with non-atom keys.
-module(t_map).
-export([main/0, id/1]).

main() ->
    M = id(#{a => 1, b => 2, c => 3}),
    Ints = fun(N) -> maps:from_list([{I, I * I} || I <- lists:seq(1, N)]) end,
    M32 = Ints(32),
    M33 = Ints(33),
    M100 = Ints(100),
    M1000 = Ints(1000),
    Mixed = id(#{1 => int, 1.0 => float, "1" => string, {1} => tuple, [1] => list, <<"1">> => binary,
                 one => atom, -1 => neg, 1 bsl 70 => big, #{1 => 1} => map}),
    Strings = maps:from_list([{integer_to_list(I), I} || I <- lists:seq(1, 50)]),
    Tuples = maps:from_list([{{I, I rem 3}, I} || I <- lists:seq(1, 40)]),
    Floats = maps:from_list([{I / 4, I} || I <- lists:seq(-20, 20)]),
    [{literal, M},
     {empty, #{}},
     {build_var_keys, (fun(K1, K2) -> #{K1 => x, K2 => y} end)(id(k1), id(k2))},
     {duplicate_key_last_wins, #{id(a) => 1, id(a) => 2}},
     {update_assoc, M#{b => 20, d => 4}},
     {update_exact, M#{a := 10}},
     {update_keeps_original, M},
     {match, (fun(#{a := A, c := C}) -> {A, C} end)(M)},
     {match_in_case, [case X of #{b := B} when B > 1 -> {b, B}; #{} -> none end || X <- [M, #{b => 1}, #{}]]},
     {map_size, [map_size(X) || X <- [#{}, M, M33, M1000]]},
     {is_map_key, {is_map_key(a, M), is_map_key(z, M)}},
     {map_get, map_get(c, M)},
     {get, {maps:get(a, M), maps:get(z, M, default)}},
     {find, {maps:find(b, M), maps:find(z, M)}},
     {put, maps:put(z, 26, M)},
     {remove, {maps:remove(a, M), maps:remove(zz, M)}},
     {update_fn, maps:update(a, 100, M)},
     {update_with, {maps:update_with(a, fun(V) -> V + 1 end, M),
                    maps:update_with(q, fun(V) -> V + 1 end, 0, M)}},
     {merge, maps:merge(M, #{c => 30, d => 40})},
     {merge_with, maps:merge_with(fun(_K, V1, V2) -> V1 + V2 end, M, #{c => 30, d => 40})},
     {keys_values, {maps:keys(M), maps:values(M)}},
     {to_from_list, {maps:to_list(M), maps:from_list([{x, 1}, {y, 2}, {x, 3}])}},
     {from_keys, maps:from_keys([a, b], 0)},
     {fold, maps:fold(fun(K, V, Acc) -> [{K, V} | Acc] end, [], M)},
     {map_fn, maps:map(fun(K, V) -> {K, V * 2} end, M)},
     {filter, maps:filter(fun(_, V) -> V rem 2 =:= 1 end, M)},
     {filtermap, maps:filtermap(fun(a, _) -> false; (_, V) -> {true, V * 100} end, M)},
     {with_without, {maps:with([a, c, z], M), maps:without([a, z], M)}},
     {take, {maps:take(a, M), maps:take(z, M)}},
     {intersect, maps:intersect(M, #{b => x, c => y, d => z})},
     {groups_from_list, maps:groups_from_list(fun(X) -> X rem 3 end, lists:seq(1, 10))},
     {iterator, iterate(maps:iterator(M), [])},
     {iterator_large, length(iterate(maps:iterator(M100), []))},
     {foreach, (fun() -> maps:foreach(fun(K, V) -> put({t_map, K}, V) end, #{p => 1, q => 2}),
                         {erase({t_map, p}), erase({t_map, q})} end)()},
     {is_key_size, {maps:is_key(b, M), maps:size(M)}},
     {order_32, maps:keys(M32)},
     {order_33, maps:keys(M33)},
     {order_100_to_list, maps:to_list(M100)},
     {order_100_fold, maps:fold(fun(K, _, Acc) -> [K | Acc] end, [], M100)},
     {order_1000_head, lists:sublist(maps:keys(M1000), 40)},
     {order_1000_hash, erlang:phash2(maps:to_list(M1000))},
     {order_mixed, maps:keys(Mixed)},
     {order_strings, maps:keys(Strings)},
     {order_tuples, maps:keys(Tuples)},
     {order_floats, maps:keys(Floats)},
     {order_negative, maps:keys(maps:from_list([{-I, I} || I <- lists:seq(1, 40)]))},
     {order_bignums, maps:keys(maps:from_list([{(1 bsl 64) + I, I} || I <- lists:seq(1, 35)]))},
     {large_get, [maps:get(K, M1000) || K <- [1, 500, 1000]]},
     {large_update, maps:get(77, M100#{77 := changed})},
     {large_put_new, map_size(M100#{new => 1})},
     {shrink_to_32, maps:keys(maps:remove(33, M33))},
     {shrink_to_32_equal, maps:remove(33, M33) =:= M32},
     {grow_from_32, maps:keys(M32#{33 => 1089})},
     {grow_equal, M32#{33 => 1089} =:= M33},
     {large_match, (fun(#{50 := V, 99 := W}) -> {V, W} end)(M100)},
     {large_filter, maps:keys(maps:filter(fun(K, _) -> K rem 10 =:= 0 end, M100))},
     {large_map_fn_order, lists:sublist(maps:to_list(maps:map(fun(_, V) -> V + 1 end, M100)), 10)},
     {large_merge, map_size(maps:merge(M100, Ints(150)))},
     {large_without, maps:keys(maps:without(lists:seq(1, 90), M100))},
     {mixed_get, [maps:get(K, Mixed) || K <- [1, 1.0, "1", one, 1 bsl 70, #{1 => 1}]]},
     {int_float_keys, {maps:get(1, #{1 => a, 1.0 => b}), maps:get(1.0, #{1 => a, 1.0 => b}),
                       map_size(#{1 => a, 1.0 => b})}},
     {equality, {#{a => 1} =:= #{a => 1}, #{a => 1} == #{a => 1.0}, #{a => 1} =:= #{a => 1.0},
                 M100 =:= maps:from_list(lists:reverse(maps:to_list(M100)))}},
     {compare, lists:sort([#{b => 1}, #{a => 1, b => 1}, #{a => 2}, M32, M33, #{c => 1}])},
     {nested, nested_put([a, b, c, d, e], leaf, #{})},
     {nested_get, nested_get([a, b, c, d, e], nested_put([a, b, c, d, e], leaf, #{}))},
     {nested_update, deep_update(#{x => #{y => #{z => 1}}})},
     {deep_map_size, deep_size(build_deep(6))},
     {counter_map, count_chars("mississippi")},
     {map_of_lists, maps:to_list(lists:foldl(fun(W, Acc) -> maps:update_with(length(W), fun(L) -> [W | L] end, [W], Acc) end,
                                              #{}, ["a", "bb", "cc", "d", "eee"]))},
     {badkey_get, ex(fun() -> maps:get(z, M) end)},
     {badkey_update, ex(fun() -> (id(M))#{z := 1} end)},
     {badkey_map_get, ex(fun() -> map_get(z, M) end)},
     {badkey_large, ex(fun() -> maps:get(0, M1000) end)},
     {badmap_update, ex(fun() -> (id(not_a_map))#{a => 1} end)},
     {badmap_update_exact, ex(fun() -> (id([1]))#{a := 1} end)},
     {badmap_get, ex(fun() -> maps:get(a, id(x)) end)},
     {badmap_size, ex(fun() -> map_size(id(x)) end)},
     {badmap_keys, ex(fun() -> maps:keys(id({})) end)},
     {badmap_merge, ex(fun() -> maps:merge(M, id(x)) end)},
     {badarg_from_list, ex(fun() -> maps:from_list(id([a])) end)},
     {badkey_update_fn, ex(fun() -> maps:update(z, 1, M) end)},
     {badmatch_map, ex(fun() -> #{a := 2} = id(M) end)}].

id(X) -> X.

%% Value of F(), or {Class, Reason} of the exception it raises.
ex(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

iterate(It, Acc) ->
    case maps:next(It) of
        none -> lists:reverse(Acc);
        {K, V, Next} -> iterate(Next, [{K, V} | Acc])
    end.

nested_put([K], V, M) -> M#{K => V};
nested_put([K | Ks], V, M) -> M#{K => nested_put(Ks, V, maps:get(K, M, #{}))}.

nested_get([], V) -> V;
nested_get([K | Ks], M) -> nested_get(Ks, maps:get(K, M)).

deep_update(#{x := #{y := #{z := Z} = Y} = X} = M) ->
    M#{x := X#{y := Y#{z := Z + 1, w => new}}}.

build_deep(0) -> leaf;
build_deep(N) -> maps:from_list([{I, build_deep(N - 1)} || I <- lists:seq(1, 4)]).

deep_size(M) when is_map(M) -> maps:fold(fun(_, V, Acc) -> Acc + deep_size(V) end, 1, M);
deep_size(_) -> 1.

count_chars(S) ->
    lists:foldl(fun(C, Acc) -> maps:update_with(C, fun(N) -> N + 1 end, 1, Acc) end, #{}, S).
