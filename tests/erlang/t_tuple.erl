%% Tuples: construction, element access and update, conversions, errors.
-module(t_tuple).
-export([main/0, id/1]).

main() ->
    T = id({a, b, c, d}),
    Big = erlang:make_tuple(1000, x, [{1, first}, {500, middle}, {1000, last}]),
    [{element, [element(I, T) || I <- [1, 2, 3, 4]]},
     {tuple_size, [tuple_size(X) || X <- [{}, {1}, T, Big]]},
     {size, [size(X) || X <- [{}, T]]},
     {setelement, setelement(2, T, 'B')},
     {setelement_chain, lists:foldl(fun(I, Acc) -> setelement(I, Acc, I * I) end, T, [1, 2, 3, 4])},
     {setelement_keeps_original, {setelement(1, T, z), T}},
     {append_element, erlang:append_element(T, e)},
     {append_element_empty, erlang:append_element({}, only)},
     {insert_element, [erlang:insert_element(I, T, new) || I <- [1, 3, 5]]},
     {delete_element, [erlang:delete_element(I, T) || I <- [1, 2, 4]]},
     {make_tuple_2, erlang:make_tuple(3, zero)},
     {make_tuple_0, erlang:make_tuple(0, zero)},
     {make_tuple_3, erlang:make_tuple(5, def, [{2, two}, {4, four}, {2, again}])},
     {big_tuple, {element(1, Big), element(2, Big), element(500, Big), element(1000, Big), tuple_size(Big)}},
     {big_setelement, element(999, setelement(999, Big, changed))},
     {tuple_to_list, tuple_to_list(T)},
     {list_to_tuple, list_to_tuple([1, "two", {three}, [4]])},
     {list_to_tuple_empty, list_to_tuple([])},
     {roundtrip, list_to_tuple(tuple_to_list(Big)) =:= Big},
     {nested, element(2, element(3, {a, b, {c, {d, e}}}))},
     {tuple_pattern, [shape(X) || X <- [{}, {1}, {1, 2}, {1, 2, 3}, {point, 3, 4}, {rect, {0, 0}, {2, 3}}]]},
     {tuple_compare, [{1, 2} < {1, 3}, {2} < {1, 1}, {a, b} == {a, b}, {1, 2.0} == {1, 2}, {1, 2.0} =:= {1, 2}]},
     {keyed_tuples, lists:keyfind(b, 1, [{a, 1}, {b, 2}, {c, 3}])},
     {element_zero, ex(fun() -> element(id(0), T) end)},
     {element_past_end, ex(fun() -> element(id(5), T) end)},
     {element_not_tuple, ex(fun() -> element(1, id([a])) end)},
     {element_non_int, ex(fun() -> element(id(1.0), T) end)},
     {setelement_past_end, ex(fun() -> setelement(id(5), T, x) end)},
     {setelement_zero, ex(fun() -> setelement(id(0), T, x) end)},
     {tuple_size_list, ex(fun() -> tuple_size(id([a])) end)},
     {make_tuple_negative, ex(fun() -> erlang:make_tuple(id(-1), x) end)},
     {make_tuple_bad_init, ex(fun() -> erlang:make_tuple(3, x, id([{4, y}])) end)},
     {list_to_tuple_improper, ex(fun() -> list_to_tuple(id([a | b])) end)},
     {tuple_to_list_atom, ex(fun() -> tuple_to_list(id(a)) end)},
     {insert_element_bad, ex(fun() -> erlang:insert_element(id(6), T, x) end)},
     {delete_element_bad, ex(fun() -> erlang:delete_element(id(0), T) end)},
     {swap, swap(id({left, right}))},
     {rotate, lists:foldl(fun(_, Acc) -> rotate(Acc) end, {1, 2, 3, 4, 5}, lists:seq(1, 7))},
     {tuple_sum, tuple_sum(list_to_tuple(lists:seq(1, 100)))},
     {matrix, matrix_mul({{1, 2}, {3, 4}}, {{5, 6}, {7, 8}})},
     {matrix_pow, matrix_pow({{1, 1}, {1, 0}}, 100)}].

id(X) -> X.

%% Value of F(), or {Class, Reason} of the exception it raises.
ex(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

shape({}) -> empty;
shape({X}) -> {one, X};
shape({point, X, Y}) -> {point, X * X + Y * Y};
shape({rect, {X1, Y1}, {X2, Y2}}) -> {area, (X2 - X1) * (Y2 - Y1)};
shape(T) when tuple_size(T) =:= 2 -> pair;
shape(T) -> {size, tuple_size(T)}.

swap({A, B}) -> {B, A}.

rotate(T) ->
    [H | Rest] = tuple_to_list(T),
    list_to_tuple(Rest ++ [H]).

tuple_sum(T) -> tuple_sum(T, tuple_size(T), 0).
tuple_sum(_, 0, Acc) -> Acc;
tuple_sum(T, I, Acc) -> tuple_sum(T, I - 1, Acc + element(I, T)).

matrix_mul({{A, B}, {C, D}}, {{E, F}, {G, H}}) ->
    {{A * E + B * G, A * F + B * H}, {C * E + D * G, C * F + D * H}}.

matrix_pow(M, 1) -> M;
matrix_pow(M, N) when N rem 2 =:= 0 -> H = matrix_pow(M, N div 2), matrix_mul(H, H);
matrix_pow(M, N) -> matrix_mul(M, matrix_pow(M, N - 1)).
