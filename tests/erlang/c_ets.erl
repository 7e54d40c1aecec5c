%% Concurrency: ETS between processes. A table dies with its owner (before
%% monitors hear of the exit); an heir receives 'ETS-TRANSFER' and becomes
%% the owner; give_away; access rights of public, protected and private
%% tables from other processes; named tables seen by all; many processes
%% inserting and updating counters at once with deterministic totals; a
%% table deleted while others use it.
-module(c_ets).
-export([main/0]).

main() ->
    run([{owner_exit_deletes, fun owner_exit_deletes/0},
         {heir_gets_table, fun heir_gets_table/0},
         {heir_dead_deletes, fun heir_dead/0},
         {heir_chain, fun heir_chain/0},
         {give_away, fun give_away/0},
         {give_away_errors, fun give_away_errors/0},
         {access_rights, fun access_rights/0},
         {named_table_shared, fun named_table/0},
         {concurrent_counters, fun concurrent_counters/0},
         {concurrent_inserts, fun concurrent_inserts/0},
         {concurrent_bag, fun concurrent_bag/0},
         {deleted_while_used, fun deleted_while_used/0}]).

run(Checks) ->
    lists:foreach(
      fun({Name, Check}) ->
              Result = try Check() catch Class:Reason -> {caught, Class, Reason} end,
              io:format("~p: ~p~n", [Name, Result]),
              case flush() of
                  [] -> ok;
                  Stray -> io:format("~p: ~p stray messages~n", [Name, length(Stray)])
              end
      end, Checks).

flush() ->
    receive M -> [M | flush()] after 0 -> [] end.

%% The exception erl raises, without the stack trace (it names table ids).
err(F) ->
    try F() catch C:R -> {C, R} end.

%% Runs F in a new process and waits until it has ended; returns F's
%% result.
in_process(F) ->
    Self = self(),
    {Pid, Ref} = spawn_monitor(fun() -> Self ! {self(), F()} end),
    receive {Pid, Result} -> ok end,
    receive {'DOWN', Ref, process, Pid, _} -> ok end,
    Result.

owner_exit_deletes() ->
    T = in_process(fun() -> ets:new(t, [public]) end),
    N = in_process(fun() -> ets:new(c_ets_owned, [named_table, public]) end),
    {ets:info(T), ets:info(N), ets:whereis(c_ets_owned), err(fun() -> ets:insert(T, {a}) end),
     lists:member(c_ets_owned, ets:all())}.

heir_gets_table() ->
    Self = self(),
    T = in_process(fun() ->
                           T = ets:new(h, [{heir, Self, my_data}]),
                           ets:insert(T, {k, v}),
                           T
                   end),
    Got = receive {'ETS-TRANSFER', T, From, Data} -> {is_pid(From), From =/= Self, Data}
          after 1000 -> timeout end,
    R = {Got, ets:info(T, owner) =:= Self, ets:info(T, heir) =:= Self, ets:lookup(T, k),
         ets:insert(T, {k2, v2})},
    ets:delete(T),
    R.

heir_dead() ->
    Dead = spawn(fun() -> ok end),
    Ref = monitor(process, Dead),
    receive {'DOWN', Ref, _, _, _} -> ok end,
    T = in_process(fun() -> ets:new(h, [{heir, Dead, x}]) end),
    {ets:info(T), flush()}.

%% The heir becomes the owner (and stays the heir); when it exits in turn
%% the table is deleted.
heir_chain() ->
    Self = self(),
    Middle = spawn(fun() ->
                           receive {'ETS-TRANSFER', T, _, D} -> Self ! {middle, T, D} end,
                           receive stop -> ok end
                   end),
    T = in_process(fun() -> ets:new(h, [{heir, Middle, first}]) end),
    Got = receive {middle, T, D} -> D after 1000 -> timeout end,
    Owner = ets:info(T, owner) =:= Middle,
    Ref = monitor(process, Middle),
    Middle ! stop,
    receive {'DOWN', Ref, _, _, _} -> ok end,
    {Got, Owner, ets:info(T)}.

give_away() ->
    Self = self(),
    T = ets:new(g, [protected]),
    ets:insert(T, {a, 1}),
    Receiver = spawn(fun() ->
                             receive {'ETS-TRANSFER', T, From, Gift} ->
                                     Self ! {got, From =:= Self, Gift,
                                             ets:insert(T, {b, 2})}
                             end,
                             receive stop -> ok end
                     end),
    true = ets:give_away(T, Receiver, {gift, 42}),
    Got = receive {got, F, G, I} -> {F, G, I} after 1000 -> timeout end,
    R = {Got, ets:info(T, owner) =:= Receiver, err(fun() -> ets:insert(T, {c, 3}) end),
         lists:sort(ets:tab2list(T))},
    Ref = monitor(process, Receiver),
    Receiver ! stop,
    receive {'DOWN', Ref, _, _, _} -> ok end,
    {R, ets:info(T)}.

give_away_errors() ->
    T = ets:new(g, [public]),
    Other = spawn(fun() -> receive stop -> ok end end),
    Dead = spawn(fun() -> ok end),
    Ref = monitor(process, Dead),
    receive {'DOWN', Ref, _, _, _} -> ok end,
    NotMine = in_process(fun() -> err(fun() -> ets:give_away(T, self(), x) end) end),
    R = [err(fun() -> ets:give_away(T, self(), x) end),
         err(fun() -> ets:give_away(T, Dead, x) end),
         err(fun() -> ets:give_away(T, not_a_pid, x) end),
         NotMine,
         in_process(fun() -> err(fun() -> ets:setopts(T, {heir, none}) end) end)],
    Other ! stop,
    ets:delete(T),
    R.

access_rights() ->
    Pub = ets:new(a, [public]),
    Prot = ets:new(a, [protected]),
    Priv = ets:new(a, [private]),
    [ets:insert(T, {k, 1}) || T <- [Pub, Prot, Priv]],
    Ops = fun(T) ->
                  [err(fun() -> ets:lookup(T, k) end),
                   err(fun() -> ets:insert(T, {k, 2}) end),
                   err(fun() -> ets:member(T, k) end),
                   err(fun() -> ets:update_counter(T, k, 1) end),
                   err(fun() -> ets:delete(T, k) end),
                   err(fun() -> ets:first(T) end),
                   err(fun() -> ets:select(T, [{'_', [], ['$_']}]) end),
                   err(fun() -> ets:info(T, size) end),
                   err(fun() -> ets:delete(T) end)]
          end,
    Remote = in_process(fun() -> [Ops(T) || T <- [Pub, Prot, Priv]] end),
    Local = [ets:info(T, size) || T <- [Pub, Prot, Priv]],
    [ets:delete(T) || T <- [Prot, Priv]],
    {Remote, Local, ets:info(Pub)}.

named_table() ->
    c_ets_named = ets:new(c_ets_named, [named_table, public, ordered_set]),
    Pids = [spawn_monitor(fun() -> ets:insert(c_ets_named, {I, self() =/= undefined}) end)
            || I <- lists:seq(1, 20)],
    [receive {'DOWN', Ref, _, _, _} -> ok end || {_, Ref} <- Pids],
    Seen = in_process(fun() -> {ets:info(c_ets_named, size), ets:first(c_ets_named),
                                ets:last(c_ets_named)} end),
    Taken = in_process(fun() -> err(fun() -> ets:new(c_ets_named, [named_table]) end) end),
    ets:delete(c_ets_named),
    {Seen, Taken}.

%% Workers bump shared counters; the totals do not depend on scheduling.
concurrent_counters() ->
    T = ets:new(cnt, [public, {write_concurrency, true}]),
    ets:insert(T, [{total, 0}, {odd, 0, 0}]),
    Workers = 8,
    Each = 500,
    Pids = [spawn_monitor(
              fun() ->
                      [begin
                           ets:update_counter(T, total, 1),
                           ets:update_counter(T, odd, [{2, I rem 2}, {3, 1}]),
                           ets:update_counter(T, {worker, W}, 1, {{worker, W}, 0})
                       end || I <- lists:seq(1, Each)]
              end) || W <- lists:seq(1, Workers)],
    [receive {'DOWN', Ref, _, _, Reason} -> Reason end || {_, Ref} <- Pids],
    R = {ets:lookup(T, total), ets:lookup(T, odd),
         lists:sort([V || {{worker, _}, V} <- ets:tab2list(T)])},
    ets:delete(T),
    R.

concurrent_inserts() ->
    T = ets:new(ins, [public, set]),
    Pids = [spawn_monitor(
              fun() ->
                      [ets:insert(T, {W * 1000 + I, W}) || I <- lists:seq(1, 300)],
                      [ets:delete(T, W * 1000 + I) || I <- lists:seq(1, 300), I rem 3 =:= 0]
              end) || W <- lists:seq(1, 6)],
    [receive {'DOWN', Ref, _, _, Reason} -> Reason end || {_, Ref} <- Pids],
    R = {ets:info(T, size), lists:sum([K || {K, _} <- ets:tab2list(T)]),
         length(ets:select(T, [{{'_', 3}, [], [true]}]))},
    ets:delete(T),
    R.

concurrent_bag() ->
    T = ets:new(bg, [public, duplicate_bag]),
    Pids = [spawn_monitor(fun() -> [ets:insert(T, {key, W}) || _ <- lists:seq(1, 50)] end)
            || W <- lists:seq(1, 4)],
    [receive {'DOWN', Ref, _, _, _} -> ok end || {_, Ref} <- Pids],
    R = {length(ets:lookup(T, key)), lists:usort(ets:lookup_element(T, key, 2)),
         ets:select_count(T, [{{key, 2}, [], [true]}])},
    ets:delete(T),
    R.

deleted_while_used() ->
    Self = self(),
    T = ets:new(d, [public]),
    ets:insert(T, {a, 1}),
    Reader = spawn(fun() ->
                           receive go -> ok end,
                           Self ! {reader, err(fun() -> ets:lookup(T, a) end),
                                   err(fun() -> ets:insert(T, {b}) end)}
                   end),
    ets:delete(T),
    Reader ! go,
    receive {reader, L, I} -> {L, I} after 1000 -> timeout end.
