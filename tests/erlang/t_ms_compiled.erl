%% Compiled match specifications: ets:match_spec_compile/1 gives a
%% reference that ets:is_compiled_ms/1 knows, ets:match_spec_run/2 runs it
%% over a list (results in list order, non-matching objects left out,
%% body failures as 'EXIT'), and bad specs, bad lists and things that are
%% not compiled specs are badarg.
-module(t_ms_compiled).
-export([main/0]).

%% The result of F, or the class, reason and top frame's function.
t(F) ->
    try F()
    catch C:R:S -> {M, Fn, _, _} = hd(S), {C, R, {M, Fn}}
    end.

main() ->
    Swap = ets:match_spec_compile([{{'$1', '$2'}, [{'>', '$2', 1}], [{{'$2', '$1'}}]},
                                   {'$1', [{is_atom, '$1'}], ['$_']}]),
    Bindings = ets:match_spec_compile([{{'$1', '_', '$2'}, [], ['$$']}]),
    Failing = ets:match_spec_compile([{{'$1'}, [], [{'+', '$1', 1}]}]),
    Objects = [{a, 1}, {b, 2}, x, {c, 3}, "s", {d, x}, {e, 1.5}, 7, y],
    [{is_compiled, [ets:is_compiled_ms(Swap), ets:is_compiled_ms(make_ref()),
                    ets:is_compiled_ms(foo), ets:is_compiled_ms({a, b}),
                    is_reference(Swap), Swap =:= Swap, Swap =:= Bindings]},
     {run_swap, ets:match_spec_run(Objects, Swap)},
     {run_empty, ets:match_spec_run([], Swap)},
     {run_bindings, ets:match_spec_run([{1, 2, 3}, {4, 5}, {6, 7, 8}, {a, b, c}], Bindings)},
     {run_body_failure, ets:match_spec_run([{1}, {a}, {2.5}, {}], Failing)},
     {run_r_acc, ets:match_spec_run_r([{x, 5}, {y, 6}], Swap, [acc])},
     {many, length(ets:match_spec_run(lists:duplicate(10000, {k, 2}), Swap))},
     {survives_gc, begin erlang:garbage_collect(),
                         ets:match_spec_run([{z, 9}], Swap) end},
     {in_a_table_of_its_own, begin
                                 T = ets:new(t, [set]),
                                 ets:insert(T, {spec, Swap}),
                                 [{spec, Again}] = ets:lookup(T, spec),
                                 ets:delete(T),
                                 ets:match_spec_run([{q, 4}], Again)
                             end},
     {bad_spec, t(fun() -> ets:match_spec_compile([{x}]) end)},
     {bad_spec_guard, t(fun() -> ets:match_spec_compile([{'_', [{nonsense, '$1'}], [true]}]) end)},
     {not_a_list, t(fun() -> ets:match_spec_compile(foo) end)},
     {run_plain_ref, t(fun() -> ets:match_spec_run([a], make_ref()) end)},
     {run_not_list, t(fun() -> ets:match_spec_run_r(a, Swap, []) end)},
     {run_improper, t(fun() -> ets:match_spec_run_r([{a, 5} | b], Swap, []) end)}].
