%% persistent_term: put, get with and without a default, erase, get/0 and
%% info/0 (only the entries of this module and counts relative to the
%% start: erl's own boot stores entries too), exact key comparison, and
%% values read before a replacement or an erase that stay usable through
%% collections and heavy allocation.
-module(t_pterm).
-export([main/0, id/1]).

id(X) -> X.

%% The result of F, or the exception with the frame erl reports on top.
t(F) ->
    try F()
    catch C:R:S -> {C, R, hd(S)}
    end.

key(N) -> {?MODULE, N}.

%% This module's entries, sorted.
mine() ->
    lists:sort([KV || {{M, _}, _} = KV <- persistent_term:get(), M =:= ?MODULE]).

count() -> maps:get(count, persistent_term:info()).

%% Allocates and drops a lot, so that collections run.
churn() ->
    lists:foldl(fun(I, Acc) -> length(lists:seq(1, I rem 50)) + Acc end, 0, lists:seq(1, 20000)).

main() ->
    Count0 = count(),
    Big = lists:seq(1, 100000),
    BigBin = list_to_binary([I rem 256 || I <- lists:seq(1, 5000)]),
    Map = maps:from_list([{I, integer_to_list(I)} || I <- lists:seq(1, 100)]),
    Values = [atom, 42, 1 bsl 100, 3.14, "text", <<"bin">>, BigBin, {nested, [1, {2, [3]}], #{k => v}}, Map,
              [], {}, Big],
    Puts = [persistent_term:put(key(I), V) || {I, V} <- lists:zip(lists:seq(1, length(Values)), Values)],
    Gets = [persistent_term:get(key(I)) =:= V || {I, V} <- lists:zip(lists:seq(1, length(Values)), Values)],
    Count1 = count(),
    Old = persistent_term:get(key(8)),
    OldBig = persistent_term:get(key(12)),
    OldBin = persistent_term:get(key(7)),
    Slice = binary:part(OldBin, 100, 1000),
    ok = persistent_term:put(key(8), replaced),
    true = persistent_term:erase(key(12)),
    ok = persistent_term:put(key(7), <<"small">>),
    erlang:garbage_collect(),
    Churned = churn(),
    Fun = fun(X) -> X * 2 end,
    ok = persistent_term:put(key(fun_value), Fun),
    Results =
        [{puts, Puts},
         {gets, Gets},
         {added, Count1 - Count0},
         {old_values_survive, {Old, length(OldBig), lists:sum(OldBig), byte_size(OldBin), erlang:md5(OldBin),
                               byte_size(Slice), binary:first(Slice), binary:last(Slice), Churned}},
         {replaced, [persistent_term:get(key(8)), persistent_term:get(key(7)),
                     persistent_term:get(key(12), gone)]},
         {fun_value, (persistent_term:get(key(fun_value)))(21)},
         {get_default, [persistent_term:get(key(1), dflt), persistent_term:get(key(nope), dflt),
                        persistent_term:get(key(nope), key(1))]},
         {missing, [t(fun() -> persistent_term:get(id(key(nope))) end),
                    t(fun() -> persistent_term:get(id({t_pterm_never_stored})) end)]},
         {erase, [persistent_term:erase(key(nope)), persistent_term:erase(key(1)), persistent_term:erase(key(1)),
                  persistent_term:get(key(1), erased)]},
         {exact_keys, exact_keys()},
         {same_value_again, [persistent_term:put(key(2), 42), persistent_term:get(key(2)),
                             persistent_term:put(key(2), 42.0), persistent_term:get(key(2))]},
         {mine, [K || {K, _} <- mine()]},
         {mine_values, [V || {{_, N}, V} <- mine(), is_integer(N), N =< 6]},
         {info_keys, lists:sort(maps:keys(persistent_term:info()))},
         {memory_is_integer, is_integer(maps:get(memory, persistent_term:info()))},
         {many, many()},
         {large_keys, large_keys()}],
    [persistent_term:erase(K) || {K, _} <- mine()],
    Results ++ [{cleaned, {mine(), count() - Count0}}].

exact_keys() ->
    ok = persistent_term:put(key(1), int_one),
    ok = persistent_term:put(key(1.0), float_one),
    ok = persistent_term:put(key([1]), list_one),
    ok = persistent_term:put(key(<<1>>), bin_one),
    R = [persistent_term:get(K) || K <- [key(1), key(1.0), key([1]), key(<<1>>)]],
    [persistent_term:erase(K) || K <- [key(1.0), key([1]), key(<<1>>)]],
    R.

%% Many keys: put, read back, replace, erase half.
many() ->
    Before = count(),
    [ok = persistent_term:put(key({many, I}), {value, I}) || I <- lists:seq(1, 500)],
    Added = count() - Before,
    AllThere = lists:all(fun(I) -> persistent_term:get(key({many, I})) =:= {value, I} end, lists:seq(1, 500)),
    [ok = persistent_term:put(key({many, I}), {new, I}) || I <- lists:seq(1, 500, 2)],
    [true = persistent_term:erase(key({many, I})) || I <- lists:seq(2, 500, 2)],
    Left = [persistent_term:get(key({many, I}), missing) || I <- lists:seq(1, 10)],
    {Added, AllThere, Left, count() - Before}.

%% Keys that are themselves large terms.
large_keys() ->
    K1 = key(lists:seq(1, 1000)),
    K2 = key(list_to_binary(lists:duplicate(300, $k))),
    ok = persistent_term:put(K1, list_key),
    ok = persistent_term:put(K2, binary_key),
    churn(),
    [persistent_term:get(key(lists:seq(1, 1000))), persistent_term:get(key(binary:copy(<<"k">>, 300))),
     persistent_term:get(key(lists:seq(1, 999)), none)].
