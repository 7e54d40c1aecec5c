%% Match specifications in the table dialect, through ets:test_ms/2 and
%% erlang:match_spec_test/3: heads, every guard function, special forms,
%% construction in bodies, failures in guards and bodies, invalid specs and
%% erl's error strings.
-module(t_matchspec).
-export([main/0]).

-record(rec, {a, b}).

main() ->
    heads() ++ guard_types() ++ guard_functions() ++ arithmetic() ++ logic()
        ++ bodies() ++ failures() ++ errors() ++ direct().

t(Object, Spec) -> ets:test_ms(Object, Spec).

%% One clause `{Head, Guards, ['$_']}` on Object: true when it matches.
m(Object, Head) -> m(Object, Head, []).
m(Object, Head, Guards) ->
    case ets:test_ms(Object, [{Head, Guards, [matched]}]) of
        {ok, matched} -> true;
        {ok, false} -> false;
        Other -> Other
    end.

%% The value of one guard expression in a body, given '$1' and '$2'.
b(A, B, Expr) ->
    case ets:test_ms({A, B}, [{{'$1', '$2'}, [], [Expr]}]) of
        {ok, V} -> V;
        Other -> Other
    end.

%% Whether a guard expression holds for '$1' and '$2'.
g(A, B, Guard) -> m({A, B}, {'$1', '$2'}, [Guard]).

heads() ->
    Obj = {a, 1, [x, y], #{k => v, n => 1}, <<"bin">>, 2.5},
    [{head_wild, m(Obj, '_')},
     {head_var, t(Obj, [{'$1', [], ['$1']}])},
     {head_tuple, t(Obj, [{{'$1', '$2', '_', '_', '_', '_'}, [], ['$$']}])},
     {head_arity, m(Obj, {'_', '_'})},
     {head_const, m(Obj, {a, 1, '_', '_', '_', '_'})},
     {head_const_no, m(Obj, {b, 1, '_', '_', '_', '_'})},
     {head_exact_float, m({1.0}, {1})},
     {head_exact_int, m({1}, {1.0})},
     {head_float, m({2.5}, {2.5})},
     {head_zero, head_zero()},
     {head_big, m({1 bsl 80}, {1 bsl 80})},
     {head_big_var, t({1 bsl 80, 1 bsl 80}, [{{'$1', '$1'}, [], ['$1']}])},
     {head_bin, m({<<"abc">>}, {<<"abc">>})},
     {head_bin_no, m({<<"abc">>}, {<<"abd">>})},
     {head_list, t(Obj, [{{'_', '_', ['$1' | '$2'], '_', '_', '_'}, [], ['$$']}])},
     {head_list_exact, m(Obj, {'_', '_', [x, y], '_', '_', '_'})},
     {head_list_short, m(Obj, {'_', '_', [x], '_', '_', '_'})},
     {head_list_long, m(Obj, {'_', '_', ['_', '_', '_'], '_', '_', '_'})},
     {head_improper, t({[1, 2 | 3]}, [{{[1 | '$1']}, [], ['$1']}])},
     {head_repeat, m({1, 1}, {'$1', '$1'})},
     {head_repeat_no, m({1, 2}, {'$1', '$1'})},
     {head_repeat_exact, m({1, 1.0}, {'$1', '$1'})},
     {head_repeat_deep, t({{a, b}, [{a, b}]}, [{{'$1', ['$1']}, [], ['$1']}])},
     {head_map, t(Obj, [{{'_', '_', '_', #{k => '$1'}, '_', '_'}, [], ['$1']}])},
     {head_map_two, t(Obj, [{{'_', '_', '_', #{k => '$1', n => '$2'}, '_', '_'}, [], ['$$']}])},
     {head_map_missing, m(Obj, {'_', '_', '_', #{z => '_'}, '_', '_'})},
     {head_map_empty, m(Obj, {'_', '_', '_', #{}, '_', '_'})},
     {head_map_empty_no, m(Obj, {'_', '_', '_', #{}, '_', '_'})},
     {head_map_not_map, m({[]}, {#{}})},
     {head_map_const, m(Obj, {'_', '_', '_', #{n => 1}, '_', '_'})},
     {head_map_const_no, m(Obj, {'_', '_', '_', #{n => 1.0}, '_', '_'})},
     {head_map_key_tuple, t({#{{x, 1} => y}}, [{{#{{x, 1} => '$1'}}, [], ['$1']}])},
     {head_map_nested, t({#{a => #{b => c}}}, [{{#{a => #{b => '$1'}}}, [], ['$1']}])},
     {head_dollar_atoms, m({'$_', '$$'}, {'$_', '$$'})},
     {head_not_var, t({'$01', '$a', '$'}, [{{'$01', '$a', '$'}, [], [yes]}])},
     {head_var0, t({x}, [{{'$0'}, [], ['$0']}])},
     {head_bigvar, t({x, y}, [{{'$100000000', '$7'}, [], ['$$']}])},
     {head_nonterm_object, t([1, 2], [{['$1', '$2'], [], ['$$']}])},
     {head_atom_object, t(abc, [{abc, [], [yes]}])},
     {clauses, [t(X, [{{a, '$1'}, [], [{{first, '$1'}}]},
                      {{'$1', b}, [], [{{second, '$1'}}]},
                      {'_', [], [other]}])
                || X <- [{a, b}, {c, b}, {c, d}, c]]},
     {clause_guard_falls_through,
      t({5}, [{{'$1'}, [{'>', '$1', 10}], [big]}, {{'$1'}, [], [small]}])}].

%% -0.0 made at run time (the compiler may fold a literal -0.0 to 0.0).
head_zero() ->
    <<N/float>> = <<128, 0:56>>,
    [m({0.0}, {N}), m({N}, {N}), m({[0.0]}, {[N]}), m({a, 0.0}, {a, N}),
     m({#{a => 0.0}}, {#{a => N}}), m({0.0, N}, {'$1', '$1'}), m({{0.0}, x}, {{N}, '_'}),
     g(0.0, N, {'=:=', '$1', '$2'}), t({N}, [{{'$1'}, [], [{'<', '$1', 0.0}]}])].

guard_types() ->
    Values = [an_atom, 1, 1 bsl 70, 1.5, [], [a], {t}, #{}, <<"b">>, <<1:3>>,
              make_ref(), self(), fun lists:reverse/1, fun() -> ok end],
    Tests = [is_atom, is_float, is_integer, is_list, is_number, is_pid, is_port,
             is_reference, is_tuple, is_map, is_binary, is_function],
    [{T, [g(V, x, {T, '$1'}) || V <- Values]} || T <- Tests]
        ++ [{is_record, [g(V, x, {is_record, '$1', rec, 3})
                         || V <- [#rec{}, {rec, 1}, {other, 1, 2}, rec]]},
            {is_record_bad, [g(#rec{}, x, {is_record, '$1', '$2', 3}),
                             g(#rec{}, 3, {is_record, '$1', rec, '$2'})]}].

guard_functions() ->
    [{abs, [b(-3, x, {abs, '$1'}), b(-2.5, x, {abs, '$1'}), b(-(1 bsl 70), x, {abs, '$1'}),
            b(a, x, {abs, '$1'})]},
     {element, [b({a, b, c}, 2, {element, '$2', '$1'}), b({a}, 2, {element, '$2', '$1'}),
                b(x, 1, {element, '$2', '$1'}), b({a}, 1, {element, '$2', '$_'})]},
     {hd_tl, [b([1, 2], x, {hd, '$1'}), b([1, 2], x, {tl, '$1'}), b([], x, {hd, '$1'}),
              b(x, x, {tl, '$1'})]},
     {length, [b([1, 2, 3], x, {length, '$1'}), b([1 | 2], x, {length, '$1'}),
               b(a, x, {length, '$1'})]},
     {node, [b(x, x, {node}), b(self(), x, {node, '$1'}), b(a, x, {node, '$1'})]},
     {self, [b(x, x, {self}) =:= self(), b(x, x, {'=:=', {self}, '$1'})]},
     {round_trunc_float, [b(2.5, x, {round, '$1'}), b(-2.5, x, {round, '$1'}),
                          b(2.7, x, {trunc, '$1'}), b(3, x, {float, '$1'}),
                          b(a, x, {round, '$1'}), b(1.0e300, x, {trunc, '$1'})]},
     {size, [b({a, b}, x, {size, '$1'}), b(<<"abc">>, x, {size, '$1'}), b([a], x, {size, '$1'})]},
     {maps, [b(#{a => 1}, a, {map_get, '$2', '$1'}), b(#{a => 1}, b, {map_get, '$2', '$1'}),
             b(#{a => 1}, a, {is_map_key, '$2', '$1'}), b(#{a => 1}, b, {is_map_key, '$2', '$1'}),
             b(#{a => 1, b => 2}, x, {map_size, '$1'}), b(x, x, {map_size, '$1'}),
             b(x, a, {map_get, '$2', '$1'})]},
     {bin_sizes, [b(<<1, 2, 3>>, x, {byte_size, '$1'}), b(<<1:10>>, x, {byte_size, '$1'}),
                  b(<<1:10>>, x, {bit_size, '$1'}), b(a, x, {bit_size, '$1'})]},
     {binary_part, [b(<<"hello">>, {1, 3}, {binary_part, '$1', '$2'}),
                    b(<<"hello">>, x, {binary_part, '$1', 4, -2}),
                    b(<<"hello">>, {4, 3}, {binary_part, '$1', '$2'}),
                    b(x, {0, 1}, {binary_part, '$1', '$2'})]},
     {comparisons, [[b(A, B, {Op, '$1', '$2'}) || {A, B} <- [{1, 1.0}, {1, 2}, {b, a}, {[], {}}]]
                    || Op <- ['>', '>=', '<', '=<', '=:=', '==', '=/=', '/=']]},
     {not_xor, [b(true, false, {'not', '$1'}), b(false, x, {'not', '$1'}), b(x, x, {'not', '$1'}),
                b(true, false, {'xor', '$1', '$2'}), b(true, true, {'xor', '$1', '$2'}),
                b(true, 1, {'xor', '$1', '$2'})]}].

arithmetic() ->
    Pairs = [{7, 2}, {-7, 2}, {7, 0}, {1 bsl 62, 1 bsl 62}, {2.5, 2}, {a, 1}, {1, 0.0}],
    [{Op, [b(A, B, {Op, '$1', '$2'}) || {A, B} <- Pairs]}
     || Op <- ['+', '-', '*', '/', 'div', 'rem', 'band', 'bor', 'bxor', 'bsl', 'bsr']]
        ++ [{unary, [b(A, x, {Op, '$1'}) || A <- [5, -5, 2.5, 1 bsl 64, a]]}
            || Op <- ['-', '+', 'bnot']]
        ++ [{nested_arith, b(3, 4, {'+', {'*', '$1', '$1'}, {'*', '$2', '$2'}})},
            {guard_arith, [g(A, x, {'>', {'*', '$1', 2}, 10}) || A <- [4, 6, a]]}].

logic() ->
    Bools = [{true, true}, {true, false}, {false, true}, {false, false}, {true, x}, {x, true},
             {false, x}, {x, false}],
    [{Op, [b(A, B, {Op, '$1', '$2'}) || {A, B} <- Bools]}
     || Op <- ['and', 'or', 'andalso', 'orelse', 'andthen']]
        ++ [{guard_ops, [[g(A, B, {Op, '$1', '$2'}) || {A, B} <- Bools]
                         || Op <- ['and', 'or', 'andalso', 'orelse']]},
            {and3, [b(true, true, {'and', '$1', '$2', true}), b(true, true, {'and', '$1', '$2', false})]},
            {or1, [b(true, x, {'or', '$1'}), b(false, x, {'or', '$1'})]},
            {andalso1, [b(5, x, {'andalso', '$1'}), b(5, x, {'orelse', '$1'})]},
            {andalso_last, [b(true, 5, {'andalso', '$1', '$2'}), b(false, 5, {'orelse', '$1', '$2'})]},
            {short_circuit, [b(false, x, {'andalso', '$1', {hd, '$2'}}),
                             b(true, x, {'orelse', '$1', {hd, '$2'}}),
                             g(false, x, {'orelse', {hd, '$2'}, true}),
                             g(false, x, {'orelse', '$1', true})]},
            {const_guards, [g(x, x, true), g(x, x, false), g(x, x, 1), g(x, x, {const, true})]},
            {several_guards, [m({A}, {'$1'}, [{is_integer, '$1'}, {'>', '$1', 2}]) || A <- [1, 3, a]]}].

bodies() ->
    Obj = {k, 1, [x]},
    [{whole, t(Obj, [{{'$1', '_', '_'}, [], ['$_']}])},
     {bindings, t(Obj, [{{'$3', '$1', '$2'}, [], ['$$']}])},
     {bindings_none, t(Obj, [{'_', [], ['$$']}])},
     {bindings_gap, t(Obj, [{{'$10', '$2', '_'}, [], ['$$']}])},
     {last_expr, t(Obj, [{'_', [], [first, second, '$_']}])},
     {const, t(Obj, [{'_', [], [{const, {'$1', '$_'}}]}])},
     {const_atom, t(Obj, [{'_', [], [{const, '$$'}]}])},
     {tuple, t(Obj, [{{'$1', '$2', '$3'}, [], [{{'$3', {{'$2', '$1'}}, {{}}, {{a}}}}]}])},
     {tuple_const, t(Obj, [{'_', [], [{{a, b, {{c}}}}]}])},
     {list, t(Obj, [{{'$1', '$2', '$3'}, [], [['$1', ['$2'] | '$3']]}])},
     {list_const, t(Obj, [{'_', [], [[a, b, c]]}])},
     {map, t(Obj, [{{'$1', '$2', '$3'}, [], [#{'$1' => '$2', list => '$3', c => {const, '$1'}}]}])},
     {map_dup_keys, t({a, a}, [{{'$1', '$2'}, [], [#{'$1' => 1, '$2' => 2}]}])},
     {map_nested, t(Obj, [{{'$1', '$2', '_'}, [], [#{m => #{'$1' => [{{'$2'}}]}}]}])},
     {map_const, t(Obj, [{'_', [], [#{a => b}]}])},
     {object_parts, t(Obj, [{'_', [], [{{{element, 1, '$_'}, {size, '$_'}}}]}])},
     {strings, t({"abc"}, [{{'$1'}, [], [{hd, '$1'}]}])},
     {binary_body, t({<<"xy">>}, [{{'$1'}, [], [{{'$1', {byte_size, '$1'}}}]}])},
     {big_result, t({1 bsl 100}, [{{'$1'}, [], [{'*', '$1', '$1'}]}])},
     {float_result, t({1.5}, [{{'$1'}, [], [{'/', '$1', 3}]}])},
     {no_match, t(Obj, [{{a}, [], [x]}])},
     {empty_spec, t(Obj, [])},
     {trailing_body_value, t(Obj, [{'_', [], [{hd, a}, ok]}])}].

failures() ->
    Obj = {a, [], 0},
    [{guard_fail, t(Obj, [{{'$1', '$2', '$3'}, [{'>', {hd, '$2'}, 1}], [yes]}])},
     {guard_div0, t(Obj, [{{'$1', '$2', '$3'}, [{'==', {'div', 1, '$3'}, 1}], [yes]}])},
     {guard_not_bool, t(Obj, [{{'$1', '$2', '$3'}, [{'+', '$3', 1}], [yes]}])},
     {guard_and_bad, t(Obj, [{{'$1', '$2', '$3'}, [{'and', true, '$1'}], [yes]}])},
     {body_fail, t(Obj, [{{'$1', '$2', '$3'}, [], [{hd, '$2'}]}])},
     {body_fail_inside, t(Obj, [{{'$1', '$2', '$3'}, [],
                                 [{{ok, {hd, '$2'}, ['$1', {'div', 1, '$3'}], #{k => {tl, '$2'}}}}]}])},
     {body_fail_map_key, t(Obj, [{{'$1', '$2', '$3'}, [], [#{{hd, '$2'} => 1}]}])},
     {body_fail_arg, t(Obj, [{{'$1', '$2', '$3'}, [], [{'+', {hd, '$2'}, 1}]}])},
     {body_and_bad, t(Obj, [{{'$1', '$2', '$3'}, [], [{'and', '$1', true}]}])},
     {body_andalso_bad, t(Obj, [{{'$1', '$2', '$3'}, [], [{{{'andalso', '$1', true}, x}}]}])},
     {body_or_mixed, t(Obj, [{{'$1', '$2', '$3'}, [], [{'or', true, '$1'}]}])},
     {body_element_bad, t(Obj, [{{'$1', '$2', '$3'}, [], [{element, 5, '$_'}]}])},
     {body_bsl_limit, t({1}, [{{'$1'}, [], [{'bsl', '$1', 1 bsl 40}]}])}].

errors() ->
    Obj = {a, b},
    Specs =
        [not_a_list, [{'_', [], [x]} | tail], [{'_', []}], [{'_', [], [x], extra}], [x],
         [{'_', [], []}], [{'_', [], x}], [{'_', x, [x]}], [{'_', x, x}],
         [{'_', [true | x], [x]}], [{'_', [], [x | y]}],
         [{'_', [], ['$1']}], [{'_', ['$2'], ['$1']}],
         [{{'$1'}, [], [{{'$1', '$2', '$3'}}]}],
         [{'_', [], [{foo, 1}]}], [{'_', [], [{is_atom, 1, 2}]}], [{'_', [], [{'$1', 1}]}],
         [{'_', [], [{1, 2}]}], [{'_', [], [{}]}], [{'_', [], [{"str", 1}]}],
         [{'_', [], [{const}]}], [{'_', [], [{const, 1, 2}]}],
         [{'_', [], [{'and'}]}], [{'_', [], [{'or'}]}], [{'_', [], [{'andalso'}]}],
         [{'_', [], [{'orelse'}]}], [{'_', [], [{'andthen'}]}], [{'_', [], [{self, 1}]}],
         [{'_', [], [{message, 1}]}], [{'_', [], [{return_trace}]}], [{'_', [], [{exception_trace}]}],
         [{'_', [], [{display, 1}]}], [{'_', [], [{caller}]}], [{'_', [], [{caller_line}]}],
         [{'_', [], [{silent, true}]}], [{'_', [], [{process_dump}]}], [{'_', [], [{trace, [], []}]}],
         [{'_', [], [{enable_trace, send}]}], [{'_', [], [{disable_trace, send}]}],
         [{'_', [], [{set_seq_token, label, 1}]}], [{'_', [], [{get_seq_token}]}],
         [{'_', [{is_seq_trace}], [x]}], [{'_', [], [{get_tcw}]}], [{'_', [], [{set_tcw, 1}]}],
         [{'_', [], [{is_boolean, 1}]}], [{'_', [], [{tuple_size, {{}}}]}], [{'_', [], [{min, 1, 2}]}],
         [{#{'$1' => a}, [], [x]}], [{#{'_' => a}, [], [x]}], [{{#{'$1' => a}, '$2'}, [], ['$3']}],
         [{'_', [], [#{'$1' => '$2'}]}],
         [{'_', [], [{{'$1', [{'$2'} | '$3'], #{'$4' => '$5'}}}]}],
         [{'_', [{'and', '$1', '$2', '$3'}], [{foo}, '$4']}],
         [{'_', [{'andalso', '$1', '$2', '$3'}], [{'orelse', '$4', '$5'}]}],
         [{{'$1'}, [], [x]}, {'_', [], ['$1']}, {'_', [], ['$2']}],
         [{'_', [], [{{1.5, {1, 2}, "string", <<"bin">>, 'Quoted', 'and'}}, {nope, 1.5, "string", <<1, 2>>}]}],
         [{'_', [], [{nope, [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w, x, y, z,
                             aa, bb, cc, dd, ee, ff, gg, hh, ii, jj, kk, ll]}]}],
         [{'_', [], [{const, lists:seq(1, 60), 2}]}],
         [{'_', [], [{[a, "string", 1.5, -3, <<"bin">>, 'Q', 'and', lists:seq(100, 140)], 1}]}],
         [{'_', [], [{1.5, 2}]}],
         [{'_', [], [{{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb}}, {x, y}]}]],
    Big = fun(F) -> maps:from_list([{I, F(I)} || I <- lists:seq(1, 40)]) end,
    Var = fun(I) -> list_to_atom("$" ++ integer_to_list(I)) end,
    Maps =
        [[{'_', [], [#{'$1' => a}]}], [{'_', [], [#{{foo} => a, b => {bar}}]}],
         [{'_', [], [#{{foo} => a, b => c}]}], [{'_', [], [#{{foo} => '$1'}]}],
         [{'_', [], [Big(Var)]}], [{'_', [], [Big(fun(_) -> '$1' end)]}],
         [{'_', [], [Big(fun(I) when I < 20 -> I; (I) -> Var(I) end)]}],
         [{'_', [], [maps:put({bad}, x, Big(fun(I) -> I end))]}],
         [{{'$1'}, [], [Big(fun(I) -> {{I, '$1'}} end)]}]],
    [{error_specs, [t(Obj, S) || S <- Specs]},
     {map_specs, [t({x}, S) || S <- Maps]}].

direct() ->
    [{mst_trace, trace()},
     {mst_table, erlang:match_spec_test({a, 1}, [{{'$1', '$2'}, [{is_integer, '$2'}], [{{'$2', '$1'}}]}], table)},
     {mst_table_nomatch, erlang:match_spec_test({a, 1}, [{{'$1', '$1'}, [], ['$_']}], table)},
     {mst_table_error, erlang:match_spec_test({a, 1}, [{'_', [], []}], table)},
     {mst_bad_kind, try erlang:match_spec_test({a, 1}, [{'_', [], [x]}], other) catch error:R -> R end},
     {is_compiled_ms, [ets:is_compiled_ms(X) || X <- [a, [], [{'_', [], ['$_']}], make_ref()]]}].

%% The trace dialect as match_spec_test/3 runs it (in a BIF: no caller, no
%% seq_trace token, set_tcw changes nothing).
trace() ->
    A = [a, 1, [x]],
    Specs = [
        [{'_', [], []}],
        [{'$1', [], [{message, '$1'}]}],
        [{['$1', '$2', '_'], [{is_integer, '$2'}], [{message, {{'$2', '$1'}}}]}],
        [{['$1', '$2'], [], [{message, x}]}],
        [{{'$1', '$2', '$3'}, [], [{message, '$_'}]}],
        [{['$1', '$2', '$3'], [], [{return_trace}]}],
        [{['$1', '$2', '$3'], [], [{exception_trace}, {return_trace}, {message, false}]}],
        [{['$1', '$2', '$3'], [], [{message, {caller}}, {caller_line}]}],
        [{['$1', '$2', '$3'], [{is_seq_trace}], [x]}],
        [{['$1', '$2', '$3'], [{'not', {is_seq_trace}}], [{message, {get_seq_token}}]}],
        [{['$1', '$2', '$3'], [], [{message, {get_tcw}}]}],
        [{['$1', '$2', '$3'], [], [{message, {set_tcw, 5}}]}],
        [{['$1', '$2', '$3'], [], [{message, {set_tcw, -5}}]}],
        [{['$1', '$2', '$3'], [{get_tcw}], [x]}],
        [{['$1', '$2', '$3'], [{set_tcw, 1}], [x]}],
        [{['$1', '$2', '$3'], [{message, 1}], [x]}],
        [{['$1', '$2', '$3'], [{return_trace}], [x]}],
        [{['$1', '$2', '$3'], [{caller}], [x]}],
        [{['$1', '$2', '$3'], [], [{message, 1, 2}]}],
        [{['$1', '$2', '$3'], [], [{return_trace, 1}]}],
        [{['$1', '$2', '$3'], [], [{caller, 1}]}],
        [{['$1', '$2', '$3'], [], [{silent, true}, {message, s}]}],
        [{['$1', '$2', '$3'], [], [{silent}]}],
        [{['$1', '$2', '$3'], [], [{is_seq_trace, 1}]}],
        [{foo, [], []}],
        [{#{}, [], []}],
        [{[a | b], [], []}],
        [{[], [], []}],
        [{['$1', '$1', '_'], [], []}],
        [{['$1', '$2', '$3'], [], x}],
        [{['$1', '$2', '$3'], [], [{message, {hd, '$1'}}]}],
        [{['$1', '$2', '$3'], [], [{message, {{'$1', {const, '$2'}}}}]}],
        [{[a, 1, '$1'], [], [{message, '$1'}]}, {'_', [], [{message, other}]}],
        [{[b, '_', '_'], [], [{message, no}]}, {'_', [], [{message, '$_'}]}]
    ],
    [erlang:match_spec_test(A, S, trace) || S <- Specs]
        ++ [erlang:match_spec_test([], [{[], [], [{message, empty}]}], trace),
            try erlang:match_spec_test(notalist, [{'_', [], []}], trace) catch error:R -> R end].
