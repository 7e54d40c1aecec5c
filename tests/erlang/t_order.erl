%% Comparison operators and the standard term order across all types.
-module(t_order).
-export([main/0, id/1]).

main() ->
    Fun = fun(X) -> X end,
    Mixed = [{b, 2}, "abc", 3.0, [], atom, {a}, 42, <<"bin">>, #{k => v}, [1 | 2], -(1 bsl 70),
             {a, 1, x}, 'Atom', 1 bsl 80, <<>>, [a], #{}, -1.5, {}, "ab", ab, a, #{a => 1, b => 2},
             #{a => 2}, 2, 2.0, <<1:3>>, [[]], {[]}, #{1 => a}, #{1.0 => a}],
    [{sort_mixed, lists:sort(Mixed)},
     {sort_mixed_reverse, lists:sort(fun(A, B) -> A >= B end, Mixed)},
     {usort_mixed, lists:usort(Mixed ++ Mixed)},
     {type_order, [id(1) < a, a < {}, {} < #{}, #{} < [], [] < [a], [a] < <<>>,
                   1.0e300 < a, (1 bsl 200) < a, 'zzz' < {a}, {a, b, c} < #{}]},
     {fun_order, [a < Fun, Fun < {}, Fun == Fun, is_function(Fun, 1)]},
     {num_compare, [{A, B, A < B, A == B, A =:= B, A > B} || {A, B} <- [{1, 1.0}, {1, 2.0}, {2, 1.0},
                   {-0.0, 0}, {1 bsl 64, 1.8446744073709552e19}, {(1 bsl 64) + 1, 1.8446744073709552e19},
                   {-(1 bsl 64), -1.8446744073709552e19}, {1 bsl 1100, 1.0e300}, {-(1 bsl 1100), -1.0e300}]]},
     {sort_numbers, lists:sort([3, 1.0, 1, -2, 2.0, 1 bsl 64, 1.8446744073709552e19, -0.5, 0, 0.0])},
     {usort_numbers, lists:usort([1, 1.0, 2, 2.0, 3, 1])},
     {atom_order, lists:sort(['b', 'a', 'ab', 'B', 'aa', 'a b', '', 'Ä', 'z', '1'])},
     {tuple_order, lists:sort([{b}, {a, a}, {a}, {z, z, z}, {a, b}, {1, 2}, {1.0, 2}, {}])},
     {list_order, lists:sort([[2], [1, 2], [1], [1 | 1], [1, 1], [], "b", "ab", [a], [1.0]])},
     {map_order, lists:sort([#{b => 1}, #{a => 2}, #{a => 1}, #{a => 1, b => 1}, #{}, #{c => 0},
                             #{1 => x}, #{2 => x}, #{1.0 => x}, #{a => 1, c => 0}])},
     {binary_order, lists:sort([<<2>>, <<1, 2>>, <<1>>, <<>>, <<1:1>>, <<255>>, <<1, 2, 3>>, <<0:7>>])},
     {exact_eq, [id(X) =:= id(Y) || {X, Y} <- [{[1, 2], [1, 2]}, {{a, 1.0}, {a, 1}}, {#{1 => a}, #{1.0 => a}},
                                              {"abc", [$a, $b, $c]}, {1 bsl 70, 1 bsl 70}]]},
     {eq, [id(X) == id(Y) || {X, Y} <- [{[1, 2], [1.0, 2]}, {{a, 1.0}, {a, 1}}, {#{1 => a}, #{1.0 => a}},
                                       {#{a => 1}, #{a => 1.0}}, {[1 | 2], [1 | 2.0]}]]},
     {neq, [id(X) /= id(Y) || {X, Y} <- [{1, 1.0}, {a, b}, {[], []}, {{}, {}}]]},
     {exact_neq, [id(X) =/= id(Y) || {X, Y} <- [{1, 1.0}, {a, a}, {[], [a]}]]},
     {ge_le, [{id(X) >= id(Y), id(X) =< id(Y)} || {X, Y} <- [{1, 1.0}, {a, 1}, {[], {}}, {"b", "ab"}]]},
     {max_min_mixed, [max(a, 1), min(a, 1), max({}, []), min("a", a), max(1, 1.0), max(1.0, 1),
                      min(1, 1.0), min(1.0, 1), lists:max(Mixed), lists:min(Mixed)]},
     {keysort_stable, lists:keysort(1, [{2, a}, {1, b}, {2.0, c}, {1.0, d}, {1, e}])},
     {sort_stable_equal, lists:sort([{1}, {1.0}, 1.0, 1, {1}])},
     {sort_desc_fun, lists:sort(fun(A, B) -> A > B end, [5, 3, 9, 1, 9, 3])},
     {nested_compare, [[1, {2, [3]}] == [1, {2, [3.0]}], [1, {2, [3]}] < [1, {2, [4]}],
                       {a, [b, {c, #{d => e}}]} < {a, [b, {c, #{d => f}}]}]},
     {compare_improper, [[1 | a] < [1 | b], [1 | a] < [1, 2], [1 | {}] > [1 | a]]}].

id(X) -> X.
