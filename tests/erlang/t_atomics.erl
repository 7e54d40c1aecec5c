%% atomics and counters: every function, signed and unsigned arrays,
%% 64-bit wrap-around, the errors (badarg, badopt, system_limit), info/1,
%% counters of both kinds, and their references: is_reference, equality
%% and order against other references, the printed shape, copies in
%% messages, persistent terms and other processes, and arrays that stay
%% usable through collections.
-module(t_atomics).
-export([main/0]).

%% The result of F, or the exception with the frame erl reports on top
%% (references and pids in it replaced: they differ between runs).
t(F) ->
    try F()
    catch C:R:S -> {C, R, scrub(hd(S))}
    end.

scrub(T) when is_reference(T) -> ref;
scrub(T) when is_pid(T) -> pid;
scrub(T) when is_list(T) -> [scrub(E) || E <- T];
scrub(T) when is_tuple(T) -> list_to_tuple(scrub(tuple_to_list(T)));
scrub(T) -> T.

%% Allocates and drops a lot, so that collections run.
churn() ->
    lists:foldl(fun(I, Acc) -> length(lists:seq(1, I rem 50)) + Acc end, 0, lists:seq(1, 20000)).

-define(MAX64, 18446744073709551615).
-define(SMAX, 9223372036854775807).
-define(SMIN, -9223372036854775808).

atomics_checks() ->
    A = atomics:new(4, []),
    U = atomics:new(2, [{signed, false}]),
    S = atomics:new(1, [{signed, true}, {signed, false}, {signed, true}]),
    [{new_zero, [atomics:get(A, I) || I <- [1, 2, 3, 4]]},
     {put, atomics:put(A, 1, 42), atomics:get(A, 1)},
     {add, atomics:add(A, 1, -50), atomics:get(A, 1)},
     {add_get, atomics:add_get(A, 2, 7), atomics:add_get(A, 2, 1 bsl 40)},
     {sub, atomics:sub(A, 2, 8), atomics:get(A, 2)},
     {sub_get, atomics:sub_get(A, 3, 5)},
     {exchange, atomics:exchange(A, 4, 99), atomics:exchange(A, 4, -1), atomics:get(A, 4)},
     {cmpxchg_ok, atomics:compare_exchange(A, 4, -1, 10), atomics:get(A, 4)},
     {cmpxchg_fail, atomics:compare_exchange(A, 4, 11, 12), atomics:get(A, 4)},
     {signed_wrap, atomics:put(A, 1, ?SMAX), atomics:add_get(A, 1, 1),
      atomics:sub_get(A, 1, 1), atomics:add_get(A, 1, ?MAX64)},
     {signed_limits, atomics:put(A, 3, ?SMIN), atomics:get(A, 3),
      t(fun() -> atomics:put(A, 3, ?SMAX + 1) end),
      t(fun() -> atomics:put(A, 3, ?SMIN - 1) end)},
     {unsigned, atomics:put(U, 1, ?MAX64), atomics:get(U, 1), atomics:add_get(U, 1, 1),
      atomics:sub_get(U, 1, 1), atomics:add_get(U, 2, -1),
      t(fun() -> atomics:put(U, 1, -1) end),
      t(fun() -> atomics:put(U, 1, ?MAX64 + 1) end),
      atomics:exchange(U, 2, 5), atomics:compare_exchange(U, 2, 5, ?MAX64),
      atomics:compare_exchange(U, 2, 0, 1), t(fun() -> atomics:compare_exchange(U, 2, -1, 1) end)},
     {incr_range, atomics:add_get(U, 1, ?SMIN), t(fun() -> atomics:add(U, 1, ?MAX64 + 1) end),
      t(fun() -> atomics:add(A, 1, ?SMIN - 1) end), t(fun() -> atomics:add(A, 1, 1.0) end)},
     {signed_option, atomics:put(S, 1, -3), atomics:get(S, 1)},
     {info, atomics:info(A), atomics:info(U), atomics:info(atomics:new(1000, []))},
     {bad_index, [t(fun() -> atomics:get(A, I) end) || I <- [0, 5, -1, a, 1.0, 1 bsl 64]]},
     {bad_ref, [t(fun() -> atomics:get(R, 1) end) || R <- [make_ref(), a, {A}, counters:new(1, [write_concurrency])]]},
     {bad_calls, t(fun() -> atomics:put(A, 1, a) end), t(fun() -> atomics:exchange(A, 9, 1) end),
      t(fun() -> atomics:info(make_ref()) end), t(fun() -> atomics:info(self()) end),
      t(fun() -> atomics:sub(A, 1, a) end), t(fun() -> atomics:sub_get(A, 0, 1) end)},
     {bad_new, [t(fun() -> atomics:new(N, O) end)
                || {N, O} <- [{0, []}, {-1, []}, {a, []}, {1, [bad]}, {1, bad}, {1, [{signed, 1}]},
                              {1 bsl 64, []}, {1 bsl 62, []}, {1 bsl 61, []}, {1.0, []}]]}].

counters_checks() ->
    C = counters:new(3, []),
    W = counters:new(20, [write_concurrency]),
    X = counters:new(2, [atomics]),
    [{kinds, element(1, C), element(1, W), element(1, X)},
     {add, counters:add(C, 1, 5), counters:add(C, 1, -2), counters:get(C, 1)},
     {sub, counters:sub(C, 2, 10), counters:get(C, 2)},
     {put, counters:put(C, 3, 77), counters:get(C, 3)},
     {wc_add, [counters:add(W, I, I * 3) || I <- lists:seq(1, 20)], [counters:get(W, I) || I <- lists:seq(1, 20)]},
     {wc_sub_put, counters:sub(W, 20, 100), counters:get(W, 20), counters:put(W, 20, -5),
      counters:add(W, 20, 1), counters:get(W, 20)},
     {wrap, counters:put(C, 1, ?SMAX), counters:add(C, 1, 1), counters:get(C, 1),
      counters:add(C, 1, ?MAX64), counters:get(C, 1),
      counters:put(W, 1, ?SMIN), counters:sub(W, 1, 1), counters:get(W, 1),
      counters:add(W, 2, ?MAX64), counters:get(W, 2)},
     {info, counters:info(C), maps:get(size, counters:info(W)),
      %% erts: a word, one 64-byte line per scheduler and one more for
      %% every 8 counters, and 24 bytes of magic binary.
      maps:get(memory, counters:info(W)) =:= 32 + 64 * (erlang:system_info(schedulers) + 1) * 3},
     {errors,
      [t(fun() -> counters:get(C, I) end) || I <- [0, 4, a]],
      [t(fun() -> counters:get(W, I) end) || I <- [0, 21, -1]],
      t(fun() -> counters:put(C, 1, ?MAX64) end), t(fun() -> counters:put(W, 1, ?SMAX + 1) end),
      t(fun() -> counters:add(W, 1, ?MAX64 + 1) end), t(fun() -> counters:add(C, 1, a) end),
      t(fun() -> counters:get({atomics, make_ref()}, 1) end),
      t(fun() -> counters:get({write_concurrency, element(2, C)}, 1) end),
      t(fun() -> counters:get({foo, element(2, C)}, 1) end),
      t(fun() -> counters:info({bar}) end),
      t(fun() -> counters:info({write_concurrency, make_ref()}) end),
      [t(fun() -> counters:new(N, O) end)
       || {N, O} <- [{0, []}, {-5, [write_concurrency]}, {x, []}, {1, [bad]}, {1, [atomics, write_concurrency]},
                     {1, bad}, {0, [write_concurrency]}, {1 bsl 64, [write_concurrency]}, {1 bsl 60, [write_concurrency]}]]}].

%% References: resource references are references.
ref_checks() ->
    A = atomics:new(1, []),
    B = atomics:new(1, []),
    R = make_ref(),
    C = element(2, counters:new(1, [write_concurrency])),
    Text = ref_to_list(A),
    Shape = fun(Ref) ->
                S = lists:flatten(io_lib:format("~w", [Ref])),
                {lists:prefix("#Ref<0.", S), lists:last(S), length(string:tokens(S, "."))}
            end,
    Copy = binary_to_term(term_to_binary(A)),
    [{is_reference, is_reference(A), is_reference(C), is_reference(R)},
     {guard, case A of X when is_reference(X) -> yes; _ -> no end},
     {equal, A =:= A, A == A, A =:= B, A =/= R, A == B},
     {order, lists:sort([B, A, R]) =:= lists:sort([R, A, B]),
      A < {}, A > 1.0, A > fun erlang:self/0, A < self(), 1 < A, a < A},
     {compare_three, length(lists:usort([A, B, R, A, B, R])), lists:member(A, [R, B, A])},
     {text, lists:prefix("#Ref<0.", Text), lists:last(Text), Shape(A), Shape(C),
      length(string:tokens(Text, ".")), node(A)},
     {encode, binary:first(term_to_binary(A)), binary:at(term_to_binary(A), 1), Copy =:= A,
      is_reference(Copy), byte_size(term_to_binary(A)) =:= byte_size(term_to_binary(R))},
     {hash, erlang:phash2(A) =:= erlang:phash2(A), erlang:phash2(A, 1) =:= 0,
      maps:get(A, #{A => found, R => other}), maps:get(Copy, #{A => copy_found}, missing)},
     {in_tuple, element(1, {A, A}) =:= element(2, {A, A})}].

%% Arrays used from other processes, through messages and persistent
%% terms, and after collections.
sharing_checks() ->
    A = atomics:new(1, []),
    C = counters:new(1, [write_concurrency]),
    Self = self(),
    N = 8,
    Pids = [spawn(fun() ->
                          receive {go, Ref, Cnt} ->
                                  [atomics:add(Ref, 1, 1) || _ <- lists:seq(1, 1000)],
                                  [counters:add(Cnt, 1, 2) || _ <- lists:seq(1, 1000)],
                                  Self ! {done, self(), Ref}
                          end
                  end) || _ <- lists:seq(1, N)],
    [P ! {go, A, C} || P <- Pids],
    Back = [receive {done, P, Ref} -> Ref end || P <- Pids],
    persistent_term:put({?MODULE, atomics}, A),
    churn(),
    erlang:garbage_collect(),
    P = persistent_term:get({?MODULE, atomics}),
    atomics:add(P, 1, 1),
    persistent_term:erase({?MODULE, atomics}),
    Kept = [atomics:new(1, []) || _ <- lists:seq(1, 100)],
    [atomics:put(K, 1, I) || {K, I} <- lists:zip(Kept, lists:seq(1, 100))],
    churn(),
    erlang:garbage_collect(),
    [{atomics_total, atomics:get(A, 1)},
     {counters_total, counters:get(C, 1)},
     {same_refs, lists:all(fun(R) -> R =:= A end, Back)},
     {persistent, P =:= A},
     {kept, lists:sum([atomics:get(K, 1) || K <- Kept])}].

main() ->
    [{atomics, atomics_checks()},
     {counters, counters_checks()},
     {refs, ref_checks()},
     {sharing, sharing_checks()}].
