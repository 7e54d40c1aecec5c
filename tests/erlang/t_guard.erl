%% Guards, type tests and pattern matching in function clauses, case and if.
-module(t_guard).
-export([main/0, id/1]).

-record(point, {x, y}).

main() ->
    Values = [42, -1, 1 bsl 70, 3.5, -0.0, atom, true, false, [], [1, 2], "str", [1 | 2], {}, {a, b},
              {point, 1, 2}, #{}, #{a => 1}, <<"bin">>, <<1:5>>, fun id/1, fun(X, Y) -> {X, Y} end,
              fun lists:map/2],
    [{classify, [classify(V) || V <- Values]},
     {type_tests, [type_tests(V) || V <- Values]},
     {is_function_arity, [{is_function(V, 1), is_function(V, 2)} || V <- Values, is_function(V)]},
     {is_record, [{is_record(V, point), is_record(V, point, 3), is_record(V, point, 2)} || V <- Values, is_tuple(V)]},
     {guard_bifs, [guard_bifs(V) || V <- Values]},
     {guard_exception_fails, [guard_exc(V) || V <- [{a}, {a, b, c}, [], [x], 0, 3]]},
     {andalso_orelse, [logic(X, Y) || X <- [-5, 0, 5, 50], Y <- [a, 1]]},
     {semicolon_guard, [semi(V) || V <- [1, 2.0, a, "x", {}, -3]]},
     {not_xor, [{not id(true), id(true) xor id(false), id(true) xor id(true), id(false) or id(true),
                 id(true) and id(false)}]},
     {andalso_value, [id(true) andalso id(5), id(false) andalso id(5), id(false) orelse id(x),
                      id(true) orelse id(x)]},
     {and_badarg, ex(fun() -> id(1) and id(true) end)},
     {not_badarg, ex(fun() -> not id(0) end)},
     {andalso_badarg, ex(fun() -> id(3) andalso id(true) end)},
     {repeated_var, [same(V) || V <- [{1, 1}, {1, 1.0}, {a, b}, {[x], [x]}, {{}, {}}]]},
     {string_prefix, [prefix(S) || S <- ["GET /index", "POST /form", "PUT", "get /x"]]},
     {alias_match, [alias_pat(V) || V <- [{a, 1}, {b, {c, d}}, [1, 2, 3], x]]},
     {nested_pattern, [nested(V) || V <- [{ok, [1, {x, 2}]}, {ok, []}, {error, {reason, "why"}}, {ok, [1]}]]},
     {float_int_pattern, [num_pat(V) || V <- [1, 1.0, 0, 0.0, -0.0, 2]]},
     {map_pattern, [map_pat(V) || V <- [#{a => 1}, #{a => 1, b => 2}, #{b => 3}, #{}, #{a => x, c => 1}]]},
     {bound_key_pattern, [bound_key(K, #{1 => one, x => ex, "s" => str}) || K <- [1, x, "s", 2]]},
     {list_patterns, [list_pat(V) || V <- [[], [a], [a, b], [a, b, c], [a | b], "hello"]]},
     {if_expr, [if_expr(N) || N <- [-10, 0, 7, 100, 1000]]},
     {case_guard_order, [case_order(V) || V <- [0, 1, 2, 15, -1, 3.0]]},
     {compare_guards, [cmp_guard(A, B) || A <- [1, 1.0, a], B <- [1, 2.0]]},
     {clause_arity, {f(), f(1), f(1, 2), f(1, 2, 3)}},
     {match_result, (fun() -> {A, B} = id({1, 2}), C = [_ | _] = id([A, B]), {A, B, C} end)()},
     {underscore_vars, (fun({_Ignored, X}) -> X end)(id({a, b}))},
     {size_guards, [size_guard(V) || V <- [{}, {1, 2}, <<1, 2, 3>>, [1, 2], #{a => 1}]]},
     {map_guard_bifs, [map_guard(V) || V <- [#{k => 1}, #{k => 0}, #{}, not_a_map]]},
     {abs_guard, [abs_guard(V) || V <- [-5, 5, -2.5, 0]]},
     {function_clause, ex(fun() -> classify_int(id(x)) end)},
     {case_clause, ex(fun() -> case id(z) of a -> 1; b -> 2 end end)},
     {if_clause, ex(fun() -> X = id(5), if X > 10 -> big; X < 0 -> neg end end)},
     {badmatch, ex(fun() -> {ok, _} = id({error, nope}) end)},
     {badmatch_list, ex(fun() -> [_, _] = id([1, 2, 3]) end)},
     {match_nested_badmatch, ex(fun() -> {X, X} = id({1, 2}) end)}].

id(X) -> X.

%% Value of F(), or {Class, Reason} of the exception it raises.
ex(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

classify(X) when is_integer(X), X > 1 bsl 60 -> big_integer;
classify(X) when is_integer(X), X < 0 -> negative_integer;
classify(X) when is_integer(X) -> integer;
classify(X) when is_float(X) -> float;
classify(X) when is_boolean(X) -> boolean;
classify(X) when is_atom(X) -> atom;
classify([]) -> nil;
classify([_ | T]) when is_list(T) -> list;
classify([_ | _]) -> improper_list;
classify(#point{}) -> point;
classify(X) when tuple_size(X) =:= 0 -> empty_tuple;
classify(X) when is_tuple(X) -> tuple;
classify(X) when is_map(X), map_size(X) =:= 0 -> empty_map;
classify(X) when is_map(X) -> map;
classify(X) when is_binary(X) -> binary;
classify(X) when is_bitstring(X) -> bitstring;
classify(X) when is_function(X, 2) -> fun2;
classify(X) when is_function(X) -> 'fun'.

type_tests(X) ->
    [T || {T, true} <- [{atom, is_atom(X)}, {binary, is_binary(X)}, {bitstring, is_bitstring(X)},
                        {boolean, is_boolean(X)}, {float, is_float(X)}, {function, is_function(X)},
                        {integer, is_integer(X)}, {list, is_list(X)}, {map, is_map(X)},
                        {number, is_number(X)}, {tuple, is_tuple(X)}, {pid, is_pid(X)},
                        {port, is_port(X)}, {reference, is_reference(X)}]].

guard_bifs(X) when is_list(X), length(X) > 1 -> {long_list, hd(X), tl(X)};
guard_bifs(X) when tuple_size(X) >= 2 -> {tuple_first, element(1, X)};
guard_bifs(X) when is_number(X), abs(X) > 10 -> {big_abs, abs(X)};
guard_bifs(X) when is_float(X), round(X) =:= 4 -> {rounds_to_4, trunc(X), float(round(X))};
guard_bifs(X) when is_binary(X), byte_size(X) > 2 -> {binary_size, byte_size(X), bit_size(X)};
guard_bifs(X) when is_bitstring(X) -> {bits, bit_size(X)};
guard_bifs(X) when is_map(X), map_size(X) > 0 -> {map_size, map_size(X)};
guard_bifs(_) -> other.

%% element/2 and hd/1 that raise in a guard make the guard fail, not the call.
guard_exc(X) when element(2, X) =:= b -> second_is_b;
guard_exc(X) when hd(X) =:= x -> head_is_x;
guard_exc(X) when 10 div X > 3 -> small_divisor;
guard_exc(_) -> no_guard_matched.

logic(X, Y) when X > 0 andalso (Y =:= a orelse X > 10) -> {both, X, Y};
logic(X, Y) when X < 0 orelse Y =:= 1 -> {either, X, Y};
logic(X, Y) -> {neither, X, Y}.

semi(X) when is_integer(X), X > 0; is_float(X) -> number;
semi(X) when is_atom(X); is_list(X) -> atom_or_list;
semi(_) -> other.

same({X, X}) -> same;
same({_, _}) -> different.

prefix("GET " ++ Path) -> {get, Path};
prefix("POST " ++ Path) -> {post, Path};
prefix(Other) -> {unknown, Other}.

alias_pat({a, _} = T) -> {a_tuple, T};
alias_pat({b, {_, _} = Inner} = Whole) -> {b_tuple, Inner, Whole};
alias_pat([H | _] = L) -> {list, H, length(L)};
alias_pat(X) -> {other, X}.

nested({ok, [_, {x, N}]}) -> {x_at_2, N};
nested({ok, []}) -> empty;
nested({error, {reason, Why}}) -> {why, Why};
nested(Other) -> {nomatch, Other}.

num_pat(1) -> int_one;
num_pat(1.0) -> float_one;
num_pat(0) -> int_zero;
num_pat(0.0) -> float_zero;
num_pat(X) -> {other, X}.

map_pat(#{a := 1, b := B}) -> {a1_b, B};
map_pat(#{a := 1}) -> a1;
map_pat(#{a := A}) -> {a, A};
map_pat(#{b := B}) -> {b, B};
map_pat(#{}) -> empty_or_other.

bound_key(K, M) ->
    case M of
        #{K := V} -> {found, V};
        #{} -> not_found
    end.

list_pat([]) -> empty;
list_pat([X]) -> {one, X};
list_pat([X, Y]) -> {two, X, Y};
list_pat([X, _ | T]) when is_list(T) -> {many, X, length(T)};
list_pat([_ | T]) -> {improper_tail, T}.

if_expr(N) ->
    if N < 0 -> negative;
       N =:= 0 -> zero;
       N < 10, N rem 2 =:= 1 -> small_odd;
       N >= 1000 -> huge;
       true -> other
    end.

case_order(X) ->
    case X of
        0 -> zero;
        N when is_integer(N), N rem 15 =:= 0 -> fizzbuzz;
        N when is_integer(N), N < 0 -> negative;
        N when N == 3 -> three_ish;
        _ -> other
    end.

cmp_guard(A, B) when A == B -> equal;
cmp_guard(A, B) when A < B -> less;
cmp_guard(_, _) -> greater.

f() -> zero_args.
f(_) -> one_arg.
f(_, _) -> two_args.
f(_, _, _) -> three_args.

size_guard(X) when size(X) > 2 -> {size_over_2, size(X)};
size_guard(X) when is_tuple(X); is_binary(X) -> {small, size(X)};
size_guard(_) -> no_size.

map_guard(M) when is_map_key(k, M), map_get(k, M) > 0 -> positive_k;
map_guard(M) when is_map_key(k, M) -> other_k;
map_guard(M) when is_map(M) -> no_k;
map_guard(_) -> not_map.

abs_guard(X) when abs(X) > 3 -> large;
abs_guard(X) when -X > 0 -> small_negative;
abs_guard(_) -> small.

classify_int(X) when is_integer(X) -> int.
