%% The process dictionary, apply/2,3, erlang:function_exported/3, phash and
%% phash2, and assorted BIFs sequential code uses.
-module(t_bif).
-export([main/0, id/1, exported_two/2]).
%% phash/2 is deprecated but still used (dict and sets v1 hash with it).
-compile({nowarn_deprecated_function, [{erlang, phash, 2}]}).

main() ->
    Terms = [0, 1, -1, 255, 256, 1 bsl 27, 1 bsl 59, (1 bsl 59) - 1, -(1 bsl 59), 1 bsl 64, -(1 bsl 100),
             0.0, -0.0, 1.0, 3.14, -1.5e300, a, abc, '', 'hello world', [], [a], "abc", [1 | 2], {}, {a},
             {a, b, c}, #{}, #{a => 1}, #{1 => 2, 3 => 4}, <<>>, <<"abc">>, <<1:3>>, [[]], {[], {}},
             lists:seq(1, 100), maps:from_list([{I, I} || I <- lists:seq(1, 40)]), "Ünïcödé", [955, 8364]],
    [{pdict, pdict()},
     {apply_2, [apply(fun erlang:'+'/2, [1, 2]), apply(fun(X) -> X end, [x]), apply(fun lists:max/1, [[3, 9, 2]])]},
     {apply_3, [apply(lists, reverse, [[1, 2, 3]]), apply(?MODULE, exported_two, [a, b]),
                apply(erlang, element, [2, {x, y}]), apply(id(lists), id(seq), id([1, 3]))]},
     {erlang_apply, erlang:apply(string, to_upper, ["abc"])},
     {apply_undef, ex(fun() -> apply(?MODULE, not_exported, []) end)},
     {apply_badarg, ex(fun() -> apply(lists, reverse, id(not_a_list)) end)},
     {apply_bad_module, ex(fun() -> apply(id({not_atom}), f, []) end)},
     {function_exported, [erlang:function_exported(?MODULE, main, 0), erlang:function_exported(?MODULE, id, 1),
                          erlang:function_exported(?MODULE, pdict, 0), erlang:function_exported(?MODULE, main, 1),
                          erlang:function_exported(lists, reverse, 1), erlang:function_exported(lists, reverse, 3),
                          erlang:function_exported(erlang, length, 1), erlang:function_exported(erlang, no_bif, 1)]},
     {module_info_exports, lists:sort(?MODULE:module_info(exports))},
     {phash2, [erlang:phash2(T) || T <- Terms]},
     {phash2_range, [erlang:phash2(T, 1000) || T <- Terms]},
     {phash2_range_1, lists:usort([erlang:phash2(T, 1) || T <- Terms])},
     {phash2_big_range, [erlang:phash2(T, 1 bsl 32) || T <- lists:sublist(Terms, 10)]},
     {phash, [erlang:phash(T, 1 bsl 32) || T <- Terms]},
     {phash_range, [erlang:phash(T, 97) || T <- Terms]},
     {phash2_equal_terms, {erlang:phash2(1) =:= erlang:phash2(1.0), erlang:phash2([a, b]) =:= erlang:phash2([a, b]),
                           erlang:phash2(#{a => 1, b => 2}) =:= erlang:phash2(#{b => 2, a => 1})}},
     {phash2_bad_range, ex(fun() -> erlang:phash2(a, id(0)) end)},
     {length, [length(L) || L <- [[], "abc", lists:seq(1, 500)]]},
     {abs_min_max, {abs(-5), abs(5), min(2, 1), max(a, 1), min("a", "b")}},
     {size_bifs, {tuple_size({1, 2, 3}), map_size(#{x => 1}), byte_size(<<1, 2, 3>>), bit_size(<<1:5>>),
                  size(<<1, 2>>), size({a})}},
     {conversions, {atom_to_list(hello), list_to_atom("world"), integer_to_list(42), list_to_integer("-42"),
                    tuple_to_list({1, 2}), list_to_tuple([3, 4]), float_to_list(0.5, [{decimals, 2}]),
                    atom_to_binary(abc), binary_to_atom(<<"xyz">>), list_to_binary("hi"), binary_to_list(<<"yo">>),
                    integer_to_binary(255, 16), binary_to_integer(<<"-77">>), term_to_binary({a, 1}),
                    binary_to_term(<<131, 100, 0, 1, 97>>), iolist_to_binary(["a", [$b], <<"c">>]),
                    iolist_size([<<1, 2>>, [3]]), list_to_binary([1, [2, <<3>>]])}},
     {type_conversion_errors, [ex(F) || F <- [fun() -> atom_to_list(id("x")) end, fun() -> list_to_tuple(id(x)) end,
                                             fun() -> integer_to_list(id(x)) end, fun() -> binary_to_atom(id(x)) end,
                                             fun() -> length(id(x)) end, fun() -> abs(id(x)) end]]},
     {hd_tl, {hd([1, 2]), tl([1, 2]), tl([1])}},
     {element_setelement, {element(2, {a, b}), setelement(1, {a, b}, z)}},
     {make_tuple, erlang:make_tuple(2, q)},
     {is_builtin, [erlang:is_builtin(erlang, length, 1), erlang:is_builtin(lists, map, 2)]},
     {list_to_existing, list_to_existing_atom("ok")},
     {bool_ops, {true and true, true or false, not false, true xor true}},
     {integer_bifs, {trunc(5), round(5), ceil(-1.5), floor(-1.5), trunc(-1.5), round(-1.5)}},
     {atom_funs, {atom_to_list('Quoted Atom'), list_to_atom("with'quote")}},
     {tuple_apply, apply(fun({A, B}) -> A * B end, [{6, 7}])},
     {split_binary, split_binary(<<1, 2, 3, 4>>, 1)},
     {garbage_collect, erlang:garbage_collect()}].

id(X) -> X.

exported_two(A, B) -> {two, A, B}.

%% Value of F(), or {Class, Reason} of the exception it raises.
ex(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

%% Every key used here is a {t_bif, _} tuple, so whatever the caller keeps in
%% the dictionary does not show; get/0 and get_keys/0 are sorted for the same
%% reason (their order follows the dictionary's internal hashing).
pdict() ->
    K = fun(N) -> {t_bif, N} end,
    Mine = fun(L) -> lists:sort([E || E <- L, is_mine(E)]) end,
    R1 = put(K(a), 1),
    R2 = put(K(a), 2),
    R3 = get(K(a)),
    R4 = get(K(missing)),
    [put(K(I), I * I) || I <- lists:seq(1, 50)],
    R5 = get(K(7)),
    R6 = Mine(get_keys()),
    R7 = Mine(get_keys(49)),
    R8 = length(Mine(get())),
    R9 = erase(K(7)),
    R10 = erase(K(7)),
    R11 = get(K(7)),
    put(K(b), same),
    put(K(c), same),
    R12 = Mine(get_keys(same)),
    R13 = lists:sublist(Mine(get()), 5),
    [erase(X) || X <- get_keys(), is_mine(X)],
    R14 = Mine(get_keys()),
    put(K(list), [1, 2, 3]),
    R15 = get(K(list)),
    put(K(nested), #{deep => {structure, [1.5, "str"]}}),
    R16 = get(K(nested)),
    erase(K(list)), erase(K(nested)),
    [R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13, R14, R15, R16].

is_mine({{t_bif, _}, _}) -> true;
is_mine({t_bif, _}) -> true;
is_mine(_) -> false.
