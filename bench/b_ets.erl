%% ETS: a phase in one process (inserts into a set and an ordered_set,
%% lookups, update_counter, a select and a fold), then four processes at
%% once inserting, looking up and bumping shared counters in a public
%% table with write_concurrency. The checksum is a sum over the tables'
%% final contents, the same whatever the scheduling.
-module(b_ets).
-export([run/0]).

-define(KEYS, 60000).
-define(WORKERS, 4).
-define(OPS, 120000).

run() ->
    Single = single(),
    Shared = shared(),
    {Single, Shared}.

single() ->
    S = ets:new(s, [set]),
    O = ets:new(o, [ordered_set]),
    [begin
         ets:insert(S, {I, I * 7, {tag, I rem 13}}),
         ets:insert(O, {I rem 5000, I})
     end || I <- lists:seq(1, ?KEYS)],
    Hits = lookups(S, ?KEYS, 0),
    [ets:update_counter(S, I, {2, 3}) || I <- lists:seq(1, ?KEYS, 2)],
    Big = ets:select_count(S, [{{'_', '$1', '_'}, [{'>', '$1', 100000}], [true]}]),
    Sum = ets:foldl(fun({_, V}, A) -> A + V end, 0, O),
    Walk = walk(O, ets:first(O), 0),
    ets:delete(S),
    ets:delete(O),
    {Hits, Big, Sum, Walk}.

lookups(_, 0, Acc) -> Acc;
lookups(T, N, Acc) ->
    [{_, V, _}] = ets:lookup(T, N),
    lookups(T, N - 1, Acc + V rem 10).

walk(_, '$end_of_table', N) -> N;
walk(T, K, N) -> walk(T, ets:next(T, K), N + 1).

shared() ->
    T = ets:new(shared, [public, {write_concurrency, true}]),
    ets:insert(T, {counter, 0}),
    Self = self(),
    Pids = [spawn(fun() -> worker(T, W, ?OPS), Self ! {done, self()} end)
            || W <- lists:seq(1, ?WORKERS)],
    [receive {done, P} -> ok end || P <- Pids],
    Total = ets:lookup_element(T, counter, 2),
    Size = ets:info(T, size),
    Sum = ets:foldl(fun({counter, _}, A) -> A; ({_, V}, A) -> A + V end, 0, T),
    ets:delete(T),
    {Total, Size, Sum}.

worker(_, _, 0) -> ok;
worker(T, W, N) ->
    Key = {W, N rem 2000},
    ets:update_counter(T, Key, 1, {Key, 0}),
    ets:update_counter(T, counter, 1),
    case ets:lookup(T, {W, (N + 7) rem 2000}) of
        [{_, _}] -> ok;
        [] -> ok
    end,
    worker(T, W, N - 1).
