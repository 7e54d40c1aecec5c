%% Funs: closures, local and external fun references, higher-order use,
%% recursion through funs, fun_info, and the badfun/badarity errors.
-module(t_fun).
-export([main/0, id/1, double/1, apply_twice/2]).

main() ->
    Add = fun(X, Y) -> X + Y end,
    N = id(10),
    AddN = fun(X) -> X + N end,
    Compose = fun(F, G) -> fun(X) -> F(G(X)) end end,
    Fact = fun Fact(0) -> 1; Fact(K) -> K * Fact(K - 1) end,
    Y = fun(F) -> (fun(G) -> G(G) end)(fun(G) -> F(fun(A) -> (G(G))(A) end) end) end,
    FibY = Y(fun(Self) -> fun(0) -> 0; (1) -> 1; (K) -> Self(K - 1) + Self(K - 2) end end),
    Counter = make_counter(0),
    Curried = curry3(fun(A, B, C) -> A * 100 + B * 10 + C end),
    [{call, Add(2, 3)},
     {closure, AddN(5)},
     {closure_list, [F(1) || F <- [fun(X) -> X + I end || I <- [1, 2, 3]]]},
     {compose, (Compose(fun(X) -> X * 2 end, fun(X) -> X + 1 end))(5)},
     {compose_many, (lists:foldl(Compose, fun(X) -> X end, [fun(X) -> X + 1 end || _ <- lists:seq(1, 50)]))(0)},
     {named_fun, Fact(20)},
     {y_combinator, FibY(20)},
     {local_ref, (fun double/1)(21)},
     {local_ref_map, lists:map(fun double/1, [1, 2, 3])},
     {external_ref, (fun lists:reverse/1)([1, 2, 3])},
     {external_ref_printed, fun lists:reverse/1},
     {external_ref_var, (fun t_fun:double/1)(4)},
     {dynamic_external, (erlang:make_fun(lists, seq, 2))(1, 4)},
     {dynamic_external_printed, erlang:make_fun(id(lists), id(seq), 2)},
     {fun_in_data, [(maps:get(Op, ops()))(6, 3) || Op <- [add, sub, mul, 'div']]},
     {fun_returning_fun, ((fun(A) -> fun(B) -> A - B end end)(10))(3)},
     {curry, ((Curried(1))(2))(3)},
     {apply_twice, apply_twice(fun(X) -> X * X end, 3)},
     {counter_state, element(2, lists:foldl(fun(_, {C, _}) -> C(next) end, {Counter, 0}, lists:seq(1, 5)))},
     {fold_funs, lists:foldl(fun(F, Acc) -> F(Acc) end, 1, [fun(X) -> X + 1 end, fun double/1, fun(X) -> X * X end])},
     {fun_apply, {apply(Add, [1, 2]), erlang:apply(fun lists:sum/1, [[1, 2, 3]])}},
     {is_function, [is_function(Add), is_function(Add, 2), is_function(Add, 1), is_function(fun lists:map/2, 2),
                    is_function(id(not_fun))]},
     {fun_info_arity, [element(2, erlang:fun_info(F, arity)) || F <- [Add, AddN, Fact, fun double/1, fun lists:map/2]]},
     {fun_info_module, [element(2, erlang:fun_info(F, module)) || F <- [Add, fun lists:map/2]]},
     {fun_info_type, [element(2, erlang:fun_info(F, type)) || F <- [Add, fun double/1, fun lists:map/2]]},
     {fun_info_name, [element(2, erlang:fun_info(F, name)) || F <- [Add, AddN, fun double/1, fun lists:map/2]]},
     {fun_info_env, [element(2, erlang:fun_info(F, env)) || F <- [Add, AddN, fun lists:map/2]]},
     {fun_info_external, erlang:fun_info(fun lists:map/2)},
     {fun_equality, {Add =:= Add, fun double/1 =:= fun double/1, fun lists:map/2 =:= fun lists:map/2,
                     make_adder(1) =:= make_adder(1), make_adder(1) =:= make_adder(2)}},
     {fun_in_sort, lists:sort(fun(A, B) -> A > B end, [3, 1, 2])},
     {recursion_via_arg, loop(fun(K, Acc) -> K + Acc end, 100, 0)},
     {mutual_funs, even_odd(17)},
     {deep_closure, (nest(50))(0)},
     {fun_with_guards, [(fun(X) when X > 0 -> pos; (X) when X < 0 -> neg; (_) -> zero end)(V) || V <- [3, -3, 0]]},
     {fun_multi_clause_patterns, [(fun({a, P}) -> P; ([H | _]) -> H; (_) -> other end)(V) || V <- [{a, 1}, [x, y], z]]},
     {badarity, badarity(fun() -> Add(1) end)},
     {badarity_apply, badarity(fun() -> apply(id(AddN), [1, 2]) end)},
     {badarity_external, badarity(fun() -> (fun lists:reverse/1)(id(1), id(2)) end)},
     {badfun_atom, ex(fun() -> (id(not_a_fun))(1) end)},
     {badfun_tuple, ex(fun() -> (id({lists, reverse}))([1]) end)},
     {badfun_int, ex(fun() -> (id(42))() end)},
     {undef_external, ex(fun() -> (fun t_fun_no_such_module:f/1)(1) end)},
     {undef_function, ex(fun() -> (erlang:make_fun(lists, id(no_such_function), 0))() end)},
     {function_clause_in_fun, ex(fun() -> (fun(a) -> ok end)(id(b)) end)},
     {fun_to_list_external, erlang:fun_to_list(fun lists:map/2)}].

id(X) -> X.

double(X) -> 2 * X.

apply_twice(F, X) -> F(F(X)).

%% Value of F(), or {Class, Reason} of the exception it raises.
ex(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

%% The badarity reason holds the fun itself, whose printed form names
%% compiler-chosen indices; keep only its arity and the arguments.
badarity(F) ->
    try F() catch error:{badarity, {Fun, Args}} -> {badarity, erlang:fun_info(Fun, arity), Args} end.

ops() ->
    #{add => fun erlang:'+'/2, sub => fun(A, B) -> A - B end, mul => fun erlang:'*'/2, 'div' => fun erlang:'div'/2}.

make_counter(C) ->
    fun(next) -> {make_counter(C + 1), C + 1} end.

make_adder(N) -> fun(X) -> X + N end.

curry3(F) -> fun(A) -> fun(B) -> fun(C) -> F(A, B, C) end end end.

loop(_, 0, Acc) -> Acc;
loop(F, K, Acc) -> loop(F, K - 1, F(K, Acc)).

even_odd(N) ->
    Even = fun(Even, Odd, 0) -> {even, Even =/= Odd}; (Even, Odd, K) -> Odd(Even, Odd, K - 1) end,
    Odd = fun(_, _, 0) -> odd; (E, O, K) -> E(E, O, K - 1) end,
    Even(Even, Odd, N).

nest(0) -> fun(X) -> X end;
nest(K) -> Inner = nest(K - 1), fun(X) -> Inner(X + K) end.
