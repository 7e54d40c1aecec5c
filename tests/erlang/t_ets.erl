%% ETS in one process: table creation and its options, info items, every
%% table type's insert/lookup/delete semantics, keypos, update_counter and
%% update_element in all forms, iteration order (ordered_set in term order
%% with mixed key types; set and bag in erl's hash order, compared in full
%% and by hash on larger tables), slot/2, fold, rename/whereis/all, match
%% patterns and match specifications (whole, chunked, count, delete,
%% replace), and the errors erl raises with their error_info causes.
%% Table ids (references) are never printed: they differ between runs.
-module(t_ets).
-export([main/0]).

%% The result of F, or the exception with the frame erl reports on top
%% (references and pids in its arguments replaced by `tid` and `pid`).
t(F) ->
    try F()
    catch C:R:S -> {C, R, frame(hd(S))}
    end.

frame({M, F, A, Info}) when is_list(A) -> {M, F, [scrub(X) || X <- A], Info};
frame(Frame) -> Frame.

scrub(R) when is_reference(R) -> tid;
scrub(P) when is_pid(P) -> pid;
scrub([H | T]) -> [scrub(H) | scrub(T)];
scrub(T) when is_tuple(T) -> list_to_tuple(scrub(tuple_to_list(T)));
scrub(X) -> X.

keys(T) -> keys(T, ets:first(T)).
keys(_, '$end_of_table') -> [];
keys(T, K) -> [K | keys(T, ets:next(T, K))].

rkeys(T) -> rkeys(T, ets:last(T)).
rkeys(_, '$end_of_table') -> [];
rkeys(T, K) -> [K | rkeys(T, ets:prev(T, K))].

%% Info items that do not name a process or a reference.
info(T) ->
    [{I, ets:info(T, I)} || I <- [name, size, type, protection, keypos, named_table,
                                 heir, compressed, read_concurrency, write_concurrency,
                                 decentralized_counters, memory, node, fixed]].

%% Keys of many types (no atoms inside compound terms: erl hashes those by
%% their atom table index).
mixed(N) ->
    [case I rem 7 of
         0 -> I;
         1 -> {I, "t"};
         2 -> integer_to_binary(I);
         3 -> [I, I + 1];
         4 -> I * 1.5;
         5 -> I * 100000000000000000000;
         6 -> list_to_atom("a" ++ integer_to_list(I))
     end || I <- lists:seq(1, N)].

main() ->
    [creation(), infos(), sets(), bags(), ordered(), keypos(), counters(),
     elements(), order(), slots(), folds(), naming(), matching(), selecting(),
     chunks(), deleting(), replacing(), misc()].

creation() ->
    Types = [begin
                 T = ets:new(x, O),
                 R = {ets:info(T, type), ets:info(T, protection), is_reference(T)},
                 ets:delete(T),
                 R
             end || O <- [[], [set], [bag], [duplicate_bag], [ordered_set], [public],
                          [private], [bag, set], [ordered_set, {keypos, 3}],
                          [{read_concurrency, true}, {write_concurrency, true}],
                          [{write_concurrency, auto}], [compressed],
                          [{decentralized_counters, false}], [{heir, none}],
                          [{heir, self(), data}]]],
    N = ets:new(t_ets_named, [named_table]),
    Taken = t(fun() -> ets:new(t_ets_named, [named_table]) end),
    Unnamed = ets:new(t_ets_named, []),
    Bad = [t(fun() -> ets:new(X, O) end)
           || {X, O} <- [{x, [bogus]}, {"x", []}, {x, [{keypos, 0}]}, {x, foo},
                         {x, [set | bag]}, {x, [{write_concurrency, maybe}]},
                         {x, [{heir, notapid, d}]}, {x, [{heir, self()}]},
                         {x, [{read_concurrency, 1}]}, {x, [{keypos, a}]}]],
    ets:delete(Unnamed),
    true = ets:delete(N),
    {Types, N, Taken, Bad}.

infos() ->
    S = ets:new(i1, []),
    B = ets:new(i2, [bag, public, {keypos, 2}, named_table]),
    O = ets:new(i3, [ordered_set, private]),
    W = ets:new(i4, [{write_concurrency, true}, {read_concurrency, true}]),
    A = ets:new(i5, [{write_concurrency, auto}]),
    D = ets:new(i6, [ordered_set, {write_concurrency, true}]),
    ets:insert(S, [{1}, {2, 3}, {3, [a, b]}, {4, {x, y}}, {5, 1.5}]),
    ets:insert(O, [{1}, {2, 3}, {3, [a, b]}]),
    Before = [info(T) || T <- [S, B, O, W, A, D]],
    I1 = ets:info(S),
    Keys = [K || {K, _} <- I1],
    Checks = {ets:info(S, owner) =:= self(), ets:info(S, id) =:= S,
              proplists:get_value(id, I1) =:= S, ets:whereis(i2) =:= ets:info(B, id)},
    Errs = [t(fun() -> ets:info(S, bogus) end), t(fun() -> ets:info(S, 1) end),
            t(fun() -> ets:info(1) end), t(fun() -> ets:info(1, size) end)],
    [ets:delete(T) || T <- [S, B, O, W, A, D]],
    After = {ets:info(S), ets:info(S, size), ets:info(i2), ets:info(nosuch, size)},
    {Before, Keys, Checks, Errs, After}.

sets() ->
    T = ets:new(s, []),
    R1 = [ets:insert(T, {a, 1}), ets:insert(T, [{b, 2}, {c, 3}, {b, 4}]),
          ets:lookup(T, a), ets:lookup(T, b), ets:lookup(T, zz),
          ets:insert_new(T, {a, 9}), ets:insert_new(T, [{d, 4}, {a, 9}]),
          ets:insert_new(T, [{d, 4}, {e, 5}]), ets:insert_new(T, []),
          ets:member(T, d), ets:member(T, zz), ets:info(T, size)],
    R2 = [ets:insert(T, {1, int}), ets:insert(T, {1.0, float}), ets:lookup(T, 1),
          ets:lookup(T, 1.0), ets:delete(T, 1), ets:lookup(T, 1.0),
          ets:delete_object(T, {a, 2}), ets:lookup(T, a),
          ets:delete_object(T, {a, 1}), ets:lookup(T, a),
          ets:take(T, b), ets:take(T, b), ets:lookup_element(T, c, 2),
          ets:lookup_element(T, c, 1), ets:delete(T, nokey), ets:info(T, size)],
    Errs = [t(fun() -> ets:insert(T, x) end), t(fun() -> ets:insert(T, {}) end),
            t(fun() -> ets:insert(T, [{a} | b]) end), t(fun() -> ets:insert(T, [{a}, x]) end),
            t(fun() -> ets:insert_new(T, [x]) end),
            t(fun() -> ets:lookup_element(T, c, 3) end),
            t(fun() -> ets:lookup_element(T, nokey, 2) end),
            t(fun() -> ets:lookup_element(T, c, 0) end),
            t(fun() -> ets:delete_object(T, x) end),
            t(fun() -> ets:lookup(nosuch, a) end),
            t(fun() -> ets:lookup(make_ref(), a) end),
            t(fun() -> ets:lookup(123, a) end)],
    ets:delete(T),
    Gone = [t(fun() -> ets:lookup(T, a) end), t(fun() -> ets:insert(T, {a}) end),
            t(fun() -> ets:delete(T) end), t(fun() -> ets:first(T) end)],
    {R1, R2, Errs, Gone}.

bags() ->
    [begin
         T = ets:new(b, [Type]),
         ets:insert(T, {a, 1}), ets:insert(T, {b, 1}), ets:insert(T, {a, 2}),
         ets:insert(T, {a, 1}), ets:insert(T, [{c, 1}, {c, 2}, {c, 1}, {a, 3}]),
         R = [ets:lookup(T, a), ets:lookup(T, c), ets:tab2list(T), ets:info(T, size),
              ets:lookup_element(T, a, 2), ets:insert_new(T, {a, 5}),
              ets:insert_new(T, [{x, 1}, {x, 2}]), ets:lookup(T, x),
              ets:delete_object(T, {a, 1}), ets:lookup(T, a),
              ets:take(T, c), ets:lookup(T, c), keys(T),
              t(fun() -> ets:lookup_element(T, a, 3) end),
              ets:insert(T, {a, 1, 2}), t(fun() -> ets:lookup_element(T, a, 3) end),
              ets:delete(T, a), ets:tab2list(T), ets:info(T, size)],
         ets:delete(T),
         {Type, R}
     end || Type <- [bag, duplicate_bag]].

ordered() ->
    T = ets:new(o, [ordered_set]),
    Keys = [3, 1.5, a, "str", <<"bin">>, {1, 2}, [], 2, 1, b, {0}, 10000000000000000000000,
            -7, 2.0, [1 | 2], {a, b, c}, <<>>, -0.5],
    [ets:insert(T, {K, v}) || K <- Keys],
    R = [keys(T), rkeys(T), ets:tab2list(T), ets:lookup(T, 2.0), ets:lookup(T, 2),
         ets:member(T, 1.0), ets:next(T, 1.7), ets:prev(T, 1.7), ets:next(T, zzz),
         ets:prev(T, -100), ets:first(T), ets:last(T), ets:info(T, size),
         ets:insert(T, {1.0, replaced}), ets:lookup(T, 1), ets:delete(T, 2.0),
         ets:member(T, 2), ets:take(T, 1), ets:delete_object(T, {3, w}),
         ets:delete_object(T, {3.0, v}), ets:member(T, 3), ets:delete_object(T, {3, v}),
         ets:member(T, 3), ets:insert_new(T, {a, x}), ets:insert_new(T, {aa, x}),
         ets:slot(T, 0), ets:slot(T, ets:info(T, size)),
         t(fun() -> ets:slot(T, ets:info(T, size) + 1) end)],
    E = ets:new(e, [ordered_set]),
    R2 = [ets:first(E), ets:last(E), ets:next(E, a), ets:prev(E, a), ets:tab2list(E)],
    ets:delete(T), ets:delete(E),
    {R, R2}.

keypos() ->
    T = ets:new(k, [{keypos, 2}]),
    O = ets:new(k, [ordered_set, {keypos, 3}]),
    R = [ets:insert(T, [{x, 1, a}, {y, 2, b}, {z, 1, c}]), ets:lookup(T, 1),
         ets:lookup(T, x), keys(T), ets:update_counter(T, 7, {3, 1}, {q, 0, 5}), ets:lookup(T, 7),
         t(fun() -> ets:insert(T, {only}) end), ets:insert(O, [{a, b, 3}, {c, d, 1}]),
         keys(O), ets:tab2list(O), ets:update_element(O, 3, {1, new}), ets:lookup(O, 3),
         t(fun() -> ets:update_element(O, 3, {3, new}) end),
         t(fun() -> ets:update_counter(T, 2, {2, 1}) end), ets:match(O, {'$1', '_', 3})],
    ets:delete(T), ets:delete(O),
    R.

counters() ->
    T = ets:new(c, []),
    ets:insert(T, [{a, 1, 10, 100}, {b, 5}, {c, x, 1}, {big, 1 bsl 62, -(1 bsl 70)}]),
    R = [ets:update_counter(T, a, 1), ets:update_counter(T, a, -5),
         ets:update_counter(T, a, {3, 2}), ets:update_counter(T, a, {4, 10, 105, 0}),
         ets:update_counter(T, a, {4, 10, 105, 0}), ets:update_counter(T, a, {4, -3, 0, 99}),
         ets:update_counter(T, a, [{2, 1}, {3, -1}, {2, 1}]), ets:update_counter(T, a, []),
         ets:lookup(T, a), ets:update_counter(T, big, [{2, 1 bsl 62}, {3, 1 bsl 70}]),
         ets:update_counter(T, big, {2, -(1 bsl 63)}), ets:lookup(T, big),
         ets:update_counter(T, new, 7, {new, 0}), ets:update_counter(T, new2, 7, {zzz, 1, 2}),
         ets:update_counter(T, new3, [{2, 1}, {3, 2}], {x, 10, 20}),
         ets:lookup(T, new), ets:lookup(T, new2), ets:lookup(T, new3),
         ets:update_counter(T, b, {2, 1, 3, -1}), ets:update_counter(T, b, {2, 0, 0, 9})],
    Errs = [t(fun() -> ets:update_counter(T, nokey, 1) end),
            t(fun() -> ets:update_counter(T, c, 1) end),
            t(fun() -> ets:update_counter(T, a, {1, 1}) end),
            t(fun() -> ets:update_counter(T, a, {9, 1}) end),
            t(fun() -> ets:update_counter(T, a, {0, 1}) end),
            t(fun() -> ets:update_counter(T, a, x) end),
            t(fun() -> ets:update_counter(T, a, {2, 1, 2}) end),
            t(fun() -> ets:update_counter(T, a, [{2, 1}, {9, 1}]) end),
            t(fun() -> ets:update_counter(T, a, [{2, 1} | x]) end),
            t(fun() -> ets:update_counter(T, a, {2, 1, x, 0}) end),
            t(fun() -> ets:update_counter(T, nokey, 1, x) end),
            ets:lookup(T, a), ets:lookup(T, nokey)],
    B = ets:new(cb, [bag]),
    ets:insert(B, {a, 1}),
    BagErr = t(fun() -> ets:update_counter(B, a, 1) end),
    O = ets:new(co, [ordered_set]),
    ets:insert(O, {1, 0}),
    OR = [ets:update_counter(O, 1.0, 5), ets:lookup(O, 1), ets:update_counter(O, 2.0, 1, {2, 0}),
          ets:tab2list(O)],
    ets:delete(T), ets:delete(B), ets:delete(O),
    {R, Errs, BagErr, OR}.

elements() ->
    T = ets:new(u, []),
    ets:insert(T, {a, 1, 2, 3}),
    R = [ets:update_element(T, a, {2, x}), ets:update_element(T, a, [{3, y}, {4, z}, {3, w}]),
         ets:lookup(T, a), ets:update_element(T, nokey, {2, x}),
         ets:update_element(T, a, []),
         t(fun() -> ets:update_element(T, a, {1, b}) end),
         t(fun() -> ets:update_element(T, a, {5, b}) end),
         t(fun() -> ets:update_element(T, a, {0, b}) end),
         t(fun() -> ets:update_element(T, a, x) end),
         t(fun() -> ets:update_element(T, a, [{2, q}, {7, q}]) end),
         ets:lookup(T, a)],
    B = ets:new(ub, [duplicate_bag]),
    BagErr = t(fun() -> ets:update_element(B, a, {2, x}) end),
    ets:delete(T), ets:delete(B),
    {R, BagErr}.

order() ->
    Small = [begin
                 T = ets:new(o, [Type]),
                 [ets:insert(T, {K, I}) || {I, K} <- lists:enumerate(mixed(N))],
                 R = {Type, N, ets:tab2list(T), keys(T)},
                 ets:delete(T),
                 R
             end || Type <- [set, bag, duplicate_bag], N <- [1, 10, 40]],
    Large = [begin
                 T = ets:new(o, [Type | Opts]),
                 Keys = mixed(N),
                 [ets:insert(T, {K, 1}) || K <- Keys],
                 A = erlang:phash2({ets:tab2list(T), keys(T)}),
                 [ets:delete(T, K) || K <- lists:sublist(Keys, N div 2)],
                 B = erlang:phash2({ets:tab2list(T), keys(T)}),
                 ets:insert(T, [{K, 2} || K <- lists:sublist(Keys, N div 4)]),
                 C = erlang:phash2({ets:tab2list(T), keys(T)}),
                 Size = ets:info(T, size),
                 ets:delete_all_objects(T),
                 ets:insert(T, [{K, 3} || K <- lists:sublist(Keys, 20)]),
                 D = ets:tab2list(T),
                 ets:delete(T),
                 {Type, Opts, N, A, B, C, Size, D}
             end || Type <- [set, bag], N <- [100, 1000, 10000],
                    Opts <- [[], [{write_concurrency, true}], [{write_concurrency, auto}]]],
    {Small, Large}.

slots() ->
    T = ets:new(sl, []),
    ets:insert(T, [{I} || I <- lists:seq(1, 300)]),
    Slots = [ets:slot(T, I) || I <- [0, 1, 5, 100, 255]],
    Edge = [t(fun() -> ets:slot(T, 511) end), t(fun() -> ets:slot(T, 513) end), t(fun() -> ets:slot(T, -1) end),
            t(fun() -> ets:slot(T, x) end)],
    Nactive = length(lists:takewhile(fun(I) -> ets:slot(T, I) =/= '$end_of_table' end,
                                     lists:seq(0, 1000))),
    ets:delete(T),
    {Slots, Edge, Nactive}.

folds() ->
    T = ets:new(f, [ordered_set]),
    S = ets:new(f, [bag]),
    ets:insert(T, [{I, I * I} || I <- lists:seq(1, 10)]),
    ets:insert(S, [{I rem 3, I} || I <- lists:seq(1, 10)]),
    R = [ets:foldl(fun({K, V}, Acc) -> [K + V | Acc] end, [], T),
         ets:foldr(fun({K, V}, Acc) -> [K + V | Acc] end, [], T),
         ets:foldl(fun(O, Acc) -> [O | Acc] end, [], S),
         ets:foldr(fun(O, Acc) -> [O | Acc] end, [], S),
         ets:info(T, fixed),
         ets:safe_fixtable(T, true), ets:info(T, fixed), ets:safe_fixtable(T, false),
         ets:info(T, fixed), ets:info(T, safe_fixed)],
    ets:delete(T), ets:delete(S),
    R.

naming() ->
    n1 = ets:new(n1, [named_table, public]),
    U = ets:new(n2, []),
    R = [ets:insert(n1, {a}), ets:rename(n1, n3), t(fun() -> ets:lookup(n1, a) end),
         ets:lookup(n3, a), ets:info(n3, name), ets:whereis(n1), is_reference(ets:whereis(n3)),
         lists:member(n3, ets:all()), lists:member(U, ets:all()),
         ets:rename(U, n4) =:= U, ets:info(U, name), ets:info(U, named_table),
         t(fun() -> ets:lookup(n4, a) end), ets:whereis(n4),
         t(fun() -> ets:rename(n3, 1) end),
         ets:new(n5, [named_table]), t(fun() -> ets:rename(n3, n5) end),
         t(fun() -> ets:rename(n3, n3) end), ets:whereis(nosuch), t(fun() -> ets:whereis(1) end)],
    R2 = [t(fun() -> ets:give_away(n3, self(), gift) end),
          t(fun() -> ets:give_away(n3, notapid, gift) end),
          t(fun() -> ets:setopts(n3, {heir, self(), hd}) end),
          ets:info(n3, heir) =:= self(), ets:setopts(n3, [{heir, none}]), ets:info(n3, heir),
          t(fun() -> ets:setopts(n3, {heir, x, y}) end),
          t(fun() -> ets:setopts(n3, bogus) end)],
    ets:delete(n3), ets:delete(U), ets:delete(n5),
    {R, R2, lists:member(n3, ets:all())}.

matching() ->
    T = ets:new(m, [bag]),
    O = ets:new(m, [ordered_set]),
    Objs = [{a, 1, x}, {b, 2, y}, {a, 3, z}, {c, 1, x}, {d, [1, 2], {p, q}}, {e, 1.0, x}],
    ets:insert(T, Objs), ets:insert(O, Objs),
    R = [[ets:match(Tab, P), ets:match_object(Tab, P)]
         || Tab <- [T, O],
            P <- ['_', '$1', {'$1', 1, '_'}, {'_', '$1', x}, {a, '$1', '$2'}, {'$1', '$1', '_'},
                  {'$2', '_', '$1'}, {d, ['$1' | '_'], {'_', '$2'}}, {a, 3, z}, {zz, '_', '_'},
                  {'_', '_'}, [], {'$1', '$2', '$3'}]],
    Errs = [t(fun() -> ets:match(T, {'$a'}) end), t(fun() -> ets:match(nosuch, '_') end)],
    ets:delete(T), ets:delete(O),
    {R, Errs}.

selecting() ->
    S = ets:new(sel, []),
    O = ets:new(sel, [ordered_set]),
    Objs = [{I, I * I, integer_to_list(I)} || I <- lists:seq(1, 30)],
    ets:insert(S, Objs), ets:insert(O, Objs),
    Specs = [[{{'$1', '$2', '_'}, [{'>', '$2', 500}], ['$1']}],
             [{{'$1', '_', '_'}, [{'=:=', {'rem', '$1', 7}, 0}], ['$_']}],
             [{{'$1', '$2', '$3'}, [{is_integer, '$1'}, {'<', '$1', 4}], [{{'$3', '$2'}}]}],
             [{{5, '_', '_'}, [], ['$_']}, {{17, '$1', '_'}, [], ['$1']}],
             [{{'$1', '_', '_'}, [{'==', '$1', 3.0}], [true]}],
             [{'_', [], [{const, c}]}],
             [{{'$1', '_', '_'}, [{'>', '$1', 28}], [true]}, {'_', [], [false]}]],
    R = [[ets:select(Tab, Spec), ets:select_reverse(Tab, Spec), ets:select_count(Tab, Spec)]
         || Tab <- [S, O], Spec <- Specs],
    Errs = [t(fun() -> ets:select(S, bad) end), t(fun() -> ets:select(S, [{'_', [], bad}]) end),
            t(fun() -> ets:select(S, [{'_', [{bogus}], [true]}]) end),
            t(fun() -> ets:select_count(S, [x]) end), t(fun() -> ets:select(nosuch, []) end),
            ets:select(S, []), ets:select_count(S, [])],
    ets:delete(S), ets:delete(O),
    {R, Errs}.

chunk_all(Fun, '$end_of_table') -> [Fun, '$end_of_table'];
chunk_all(Fun, {L, C}) -> [L | chunk_all(Fun, ets:Fun(C))].

chunks() ->
    S = ets:new(ch, []),
    B = ets:new(ch, [bag]),
    O = ets:new(ch, [ordered_set]),
    ets:insert(S, [{I, I rem 4} || I <- lists:seq(1, 25)]),
    ets:insert(B, [{K, I} || K <- [a, b, c, d, e], I <- [1, 2, 3]]),
    ets:insert(O, [{I, I rem 4} || I <- lists:seq(1, 25)]),
    MS = [{{'$1', '$2'}, [{'=/=', '$2', 0}], ['$1']}],
    All = [{'_', [], ['$_']}],
    R = [[chunk_all(select, ets:select(Tab, Spec, N)) || Tab <- [S, B, O], Spec <- [MS, All],
                                                          N <- [1, 2, 4, 7, 100]],
         [chunk_all(select_reverse, ets:select_reverse(O, MS, N)) || N <- [1, 3, 50]],
         [chunk_all(match, ets:match(Tab, {'$1', 1}, 3)) || Tab <- [S, B, O]],
         [chunk_all(match_object, ets:match_object(Tab, {'_', 2}, 2)) || Tab <- [S, B, O]],
         [chunk_all(select, ets:select(S, [{{K, '_'}, [], ['$_']} || K <- [7, 3, 22]], N))
          || N <- [1, 2, 3]],
         ets:select(S, [{{nokey, '_'}, [], ['$_']}], 5),
         ets:select(S, [{{'_', 9}, [], ['$_']}], 5),
         ets:select('$end_of_table'),
         t(fun() -> ets:select(S, MS, 0) end), t(fun() -> ets:select(S, MS, x) end),
         t(fun() -> ets:select(bad_continuation) end),
         t(fun() -> ets:match(S, '_', -1) end)],
    [ets:delete(T) || T <- [S, B, O]],
    R.

deleting() ->
    [begin
         T = ets:new(d, [Type]),
         ets:insert(T, [{I, I rem 3} || I <- lists:seq(1, 40)] ++ [{1, x}, {2, y}]),
         R = [ets:select_delete(T, [{{'_', 0}, [], [true]}]), ets:info(T, size),
              ets:select_delete(T, [{{'$1', '_'}, [{'>', '$1', 30}], [true]},
                                    {{'$1', '_'}, [{'<', '$1', 5}], [false]}]),
              ets:match_delete(T, {'_', x}), ets:match_delete(T, {1, '_'}),
              lists:sort(ets:tab2list(T)),
              ets:select_delete(T, [{{5, '_'}, [], [true]}]),
              ets:select_delete(T, [{'_', [], [true]}]), ets:info(T, size),
              ets:delete_all_objects(T), ets:insert(T, {z}), ets:delete_all_objects(T),
              ets:info(T, size), ets:tab2list(T)],
         ets:delete(T),
         {Type, R}
     end || Type <- [set, bag, duplicate_bag, ordered_set]].

replacing() ->
    [begin
         T = ets:new(r, [Type]),
         ets:insert(T, [{I, I * 2} || I <- lists:seq(1, 10)]),
         R = [ets:select_replace(T, [{{'$1', '$2'}, [{'>', '$1', 5}], [{{'$1', {'+', '$2', 100}}}]}]),
              lists:sort(ets:tab2list(T)),
              t(fun() -> ets:select_replace(T, [{{'$1', '_'}, [{'<', '$1', 3}], [{const, {1, const}}]}]) end),
              ets:select_replace(T, [{{1, '_'}, [], [{const, {1, const}}]}]),
              ets:select_replace(T, [{{2, '$1'}, [], [{{2, {element, 1, '$_'}}}]}]),
              ets:select_replace(T, [{{'$1', '$2'}, [{'==', '$1', 3}], ['$_']}]),
              ets:select_replace(T, [{{'$1', '$2'}, [{'==', '$1', 4}],
                                      [{{{element, 1, '$_'}, changed}}]}]),
              lists:sort(ets:tab2list(T)),
              t(fun() -> ets:select_replace(T, [{{'$1', '$2'}, [], [{{'$2', '$1'}}]}]) end),
              t(fun() -> ets:select_replace(T, [{{'$1', '$2'}, [], ['$1']}]) end),
              t(fun() -> ets:select_replace(T, [{'_', [], [{{a, b}}]}]) end)],
         ets:delete(T),
         {Type, R}
     end || Type <- [set, ordered_set]]
        ++ [begin
                B = ets:new(rb, [bag]),
                BagErr = t(fun() -> ets:select_replace(B, [{'_', [], ['$_']}]) end),
                ets:delete(B),
                BagErr
            end].

misc() ->
    T = ets:new(mi, [public]),
    Big = lists:seq(1, 1000),
    ets:insert(T, {big, Big, <<"binary data that is longer than sixty-four bytes, to be refc">>}),
    [{big, L, Bin}] = ets:lookup(T, big),
    ets:insert(T, {big, replaced}),
    Copies = {length(L), byte_size(Bin), lists:sum(L)},
    P = ets:new(mi, [private]),
    ets:insert(P, {own}),
    R = [Copies, ets:lookup(P, own), ets:lookup(T, big),
         ets:insert(T, [{K} || K <- lists:seq(1, 5000)]), ets:info(T, size),
         ets:delete_all_objects(T), ets:info(T, size)],
    ets:delete(T), ets:delete(P),
    R.
