%% Exceptions: every error reason, the three classes, try/catch/after
%% nesting, erlang:raise, the old catch, and stack traces with line numbers.
%%
%% Stack traces keep the frames down to the last frame of this module
%% (main/0); the frames below belong to whatever called main/0. File names
%% are reduced to their base name, as they depend on how erlc was invoked.
%% Line numbers are part of the expected output: re-record after editing.
-module(t_exc).
-export([main/0, id/1, exported_raise/1]).

-record(rec, {a}).

main() ->
    [{badarith, trap(fun() -> add(id(1), id(a)) end)},
     {badarith_nested, trap(fun() -> 1 + nest_div(3) end)},
     {badarith_float, trap(fun() -> id(1.0e300) * id(1.0e300) end)},
     {badarg_element, trap(fun() -> element(id(5), id({a})) end)},
     {badarg_atom_to_list, trap(fun() -> {atom_to_list(id(1))} end)},
     {badarg_append, trap(fun() -> [id(a) ++ id([b])] end)},
     {badarg_and, trap(fun() -> id(1) and id(true) end)},
     {badarg_tuple_size, trap(fun() -> [tuple_size(id(x))] end)},
     {function_clause_local, trap(fun() -> [only_a(id(b))] end)},
     {function_clause_two_args, trap(fun() -> [two_args(id(1), id("x"))] end)},
     {function_clause_lists, trap(fun() -> [lists:nth(id(0), [a])] end)},
     {function_clause_fun, trap(fun() -> [(fun(a) -> ok end)(id(b))] end)},
     {badmatch, trap(fun() -> {ok, V} = id({error, 1}), V end)},
     {case_clause, trap(fun() -> [case id(3) of 1 -> one; 2 -> two end] end)},
     {if_clause, trap(fun() -> X = id(3), [if X > 5 -> big end] end)},
     {try_clause, trap(fun() -> [try id(x) of y -> ok catch _:_ -> caught end] end)},
     {undef_module, trap(fun() -> [(id(t_exc_no_such_module)):f(1, 2)] end)},
     {undef_function, trap(fun() -> [lists:no_such_function(id(1))] end)},
     {undef_apply, trap(fun() -> [apply(id(lists), id(nope), [1])] end)},
     {badfun, trap(fun() -> [(id(atom))(1)] end)},
     {badarity, trap(fun() -> [(id(fun(X) -> X end))(1, 2)] end)},
     {badkey_update, trap(fun() -> [(id(#{a => 1}))#{b := 2}] end)},
     {badkey_maps_get, trap(fun() -> [maps:get(id(b), id(#{a => 1}))] end)},
     {badmap, trap(fun() -> [(id(x))#{b => 2}] end)},
     {badmap_get, trap(fun() -> [maps:get(a, id([]))] end)},
     {badrecord, trap(fun() -> [(id({other, 1}))#rec.a] end)},
     {system_limit_atom, trap(fun() -> [list_to_atom(lists:duplicate(id(300), $x))] end)},
     {system_limit_bsl, trap(fun() -> [id(1) bsl id(1 bsl 40)] end)},
     {lc_error, trap(fun() -> [10 div X || X <- id([5, 2, 0, 1])] end)},
     {error_in_map_fun, trap(fun() -> [lists:map(fun(X) -> 10 div X end, id([1, 0]))] end)},
     {error_in_foldl, trap(fun() -> [lists:foldl(fun(X, A) -> X + A end, 0, id([1, x]))] end)},
     {deep_recursion_trace, trap(fun() -> [deep(20)] end)},
     {tail_call_trace, trap(fun() -> [tail_a(id(0))] end)},
     {throw, trap(fun() -> [throw(id({my, thing}))] end)},
     {exit, trap(fun() -> [exit(id(goodbye))] end)},
     {exit_normal, trap(fun() -> [exit(normal)] end)},
     {error_term, trap(fun() -> [error(id({my_error, "text", 42}))] end)},
     {error_with_args, trap(fun() -> [with_args(id(1), id(two))] end)},
     {error_with_none, trap(fun() -> [with_none(id(1))] end)},
     {error_with_info, trap(fun() -> [with_info(id(1))] end)},
     {raise_error, trap(fun() -> erlang:raise(error, id(raised), [{m, f, 1, [{file, "m.erl"}, {line, 7}]}]) end)},
     {raise_throw, trap(fun() -> erlang:raise(throw, id(ball), [{m, f, [a], []}]) end)},
     {raise_exit, trap(fun() -> erlang:raise(exit, id(bye), []) end)},
     {raise_bad_class, trap(fun() -> erlang:raise(id(oops), x, []) end)},
     {raise_bad_stack, trap(fun() -> erlang:raise(error, x, id(not_a_list)) end)},
     {raise_exported, trap(fun() -> [?MODULE:exported_raise(id(5))] end)},
     {rethrow_keeps_stack, trap(fun() -> [rethrow(fun() -> only_a(id(z)) end)] end)},
     {class_patterns, [classify(F) || F <- [fun() -> throw(t) end, fun() -> exit(e) end,
                                           fun() -> error(r) end, fun() -> id(1) + id(x) end,
                                           fun() -> ok end]]},
     {catch_throw, catch_norm(catch throw(id(thrown)))},
     {catch_exit, catch_norm(catch exit(id(exited)))},
     {catch_error, catch_norm(catch error(id(failed)))},
     {catch_badarith, catch_norm(catch add(id(1), id(b)))},
     {catch_value, catch_norm(catch id(fine))},
     {catch_nested_value, catch_norm(catch (catch throw(inner)))},
     {catch_function_clause, catch_norm(catch only_a(id(q)))},
     {after_order, after_order()},
     {after_on_throw, logged(fun() -> try try throw(x) after log(inner_after) end catch throw:T -> log({caught, T}) end end)},
     {after_value_ignored, try id(body) after id(after_value) end},
     {after_exception_wins, trap(fun() -> try error(first) after throw(second) end end)},
     {nested_rethrow, logged(fun() -> nested_rethrow() end)},
     {catch_in_after, logged(fun() -> try log(body) after log(catch throw(in_after)) end end)},
     {try_of_catch, [trap(fun() -> try_of(X) end) || X <- [1, 2, {x}, boom]]},
     {exception_in_of, trap(fun() -> try id(1) of 1 -> error(in_of) catch error:_ -> not_caught_here end end)},
     {stack_in_catch_clause, trap(fun() -> try error(first) catch error:first -> error(second) end end)},
     {exit_from_nested, logged(fun() -> catch_exit_deep() end)},
     {error_reasons_via_catch, [element(1, element(2, catch_norm(catch F()))) || F <- error_funs()]}].

id(X) -> X.

%% Raises from an exported function so the trace shows a remote call frame.
exported_raise(N) -> [error({raised_at, N})].

%% {value, V} for a normal return, {Class, Reason, Stack} for an exception.
trap(F) ->
    try F() of
        V -> {value, V}
    catch
        error:{badarity, {Fun, Args}}:Stack when is_function(Fun) ->
            {error, {badarity, {erlang:fun_info(Fun, arity), Args}}, trim(Stack)};
        Class:Reason:Stack ->
            {Class, Reason, trim(Stack)}
    end.

%% Frames down to the last one of this module (all of them if none is of
%% this module, as for a stack given to erlang:raise/3); base names for files.
trim(Stack) ->
    Kept = case lists:keymember(?MODULE, 1, Stack) of
               true ->
                   lists:reverse(lists:dropwhile(fun(Frame) -> element(1, Frame) =/= ?MODULE end,
                                                 lists:reverse(Stack)));
               false ->
                   Stack
           end,
    [frame(F) || F <- Kept].

frame({M, F, A, Loc}) -> {M, F, A, [loc(L) || L <- Loc]}.

loc({file, File}) -> {file, filename:basename(File)};
loc(Other) -> Other.

%% The old catch: {'EXIT', {Reason, Stack}} gets its stack trimmed.
catch_norm({'EXIT', {Reason, [{_, _, _, _} | _] = Stack}}) -> {'EXIT', {Reason, trim(Stack)}};
catch_norm(Other) -> Other.

add(A, B) -> A + B.

nest_div(0) -> 1 div id(0);
nest_div(N) -> 1 + nest_div(N - 1).

only_a(a) -> ok.

two_args(X, Y) when is_integer(X), is_integer(Y) -> X + Y.

%% id/1 keeps the compiler from seeing that deep/1 never returns (it would
%% then turn the recursive call into a tail call).
deep(0) -> case id(bottom) of bottom -> error(bottom); Other -> Other end;
deep(N) -> [N | deep(N - 1)].

tail_a(N) -> tail_b(N + 1).
tail_b(N) -> tail_c(N + 1).
tail_c(N) -> 1 div (N - 2).

with_args(A, B) -> error(with_args, [A, B]).

with_none(A) -> error(with_none, none) + A.

with_info(A) -> error(with_info, [A], [{error_info, #{module => ?MODULE, cause => testing}}]).

rethrow(F) ->
    try F() catch Class:Reason:Stack -> erlang:raise(Class, Reason, Stack) end.

classify(F) ->
    try F() of
        V -> {returned, V}
    catch
        throw:T -> {thrown, T};
        exit:E -> {exited, E};
        error:badarith -> arith;
        error:R -> {error, R}
    end.

%% Process-dictionary log of the order in which clauses run.
log(Event) ->
    put(t_exc_log, [Event | get_log()]),
    Event.

get_log() ->
    case get(t_exc_log) of
        undefined -> [];
        L -> L
    end.

logged(F) ->
    erase(t_exc_log),
    Result = try F() catch C:R -> {uncaught, C, R} end,
    {Result, lists:reverse(get_log())}.

after_order() ->
    logged(fun() ->
        try
            try
                log(start),
                error(boom)
            after
                log(inner_after)
            end
        catch
            error:boom -> log(caught)
        after
            log(outer_after)
        end
    end).

nested_rethrow() ->
    try
        try throw(level1)
        catch throw:level1 -> log(level1_caught), throw(level2)
        after log(level1_after)
        end
    catch throw:level2 -> log(level2_caught)
    end.

try_of(X) ->
    try id(X) of
        1 -> one;
        2 -> two;
        {Y} -> {tuple, Y};
        boom -> error(boom_in_of)
    catch
        error:E -> {error, E}
    end.

catch_exit_deep() ->
    try level(3)
    catch exit:{deep, N} -> log({exit_caught, N})
    end.

level(0) -> exit({deep, 0});
level(N) -> log({enter, N}), try level(N - 1) after log({leave, N}) end.

error_funs() ->
    [fun() -> id(1) + id(a) end, fun() -> element(id(9), {}) end, fun() -> only_a(id(b)) end,
     fun() -> {a} = id(b) end, fun() -> case id(q) of a -> ok end end, fun() -> (id(f))() end,
     fun() -> (id(#{}))#{k := 1} end, fun() -> (id(k))#{k => 1} end, fun() -> t_exc_no_mod:f() end].
