%% Workload: an ETS-backed memoising cache for an expensive function (the
%% number of Collatz steps, with a bignum variant). Entries carry a
%% logical timestamp; hits and misses are counted with update_counter; an
%% ordered_set keyed by {LastUse, Key} gives least-recently-used eviction
%% when the cache is full; expiry removes old entries with select_delete;
%% statistics come from select_count, match and a fold. Returns a summary.
-module(w_cache).
-export([main/0]).

-define(CAPACITY, 150).
-define(TTL, 250).

-record(cache, {data, lru, stats}).

new() ->
    Stats = ets:new(stats, [set]),
    ets:insert(Stats, [{hits, 0}, {misses, 0}, {evictions, 0}, {expired, 0}]),
    #cache{data = ets:new(data, [set]), lru = ets:new(lru, [ordered_set]), stats = Stats}.

%% The cached value of Fun(Key) at logical time Now.
get(C = #cache{data = D, lru = L, stats = S}, Key, Fun, Now) ->
    case ets:lookup(D, Key) of
        [{Key, Value, Used}] ->
            ets:update_counter(S, hits, 1),
            ets:delete(L, {Used, Key}),
            ets:insert(L, {{Now, Key}}),
            ets:update_element(D, Key, {3, Now}),
            Value;
        [] ->
            ets:update_counter(S, misses, 1),
            Value = Fun(Key),
            make_room(C),
            ets:insert(D, {Key, Value, Now}),
            ets:insert(L, {{Now, Key}}),
            Value
    end.

make_room(#cache{data = D, lru = L, stats = S}) ->
    case ets:info(D, size) >= ?CAPACITY of
        true ->
            {Used, Old} = ets:first(L),
            ets:delete(L, {Used, Old}),
            ets:delete(D, Old),
            ets:update_counter(S, evictions, 1);
        false ->
            ok
    end.

%% Removes the entries last used before Now - TTL.
expire(#cache{data = D, lru = L, stats = S}, Now) ->
    Limit = Now - ?TTL,
    N = ets:select_delete(D, [{{'_', '_', '$1'}, [{'<', '$1', Limit}], [true]}]),
    N = ets:select_delete(L, [{{{'$1', '_'}}, [{'<', '$1', Limit}], [true]}]),
    ets:update_counter(S, expired, N),
    N.

collatz(1, Steps) -> Steps;
collatz(N, Steps) when N rem 2 =:= 0 -> collatz(N div 2, Steps + 1);
collatz(N, Steps) -> collatz(3 * N + 1, Steps + 1).

steps(K) -> collatz(K, 0).

big_steps(K) -> collatz(K * 1000000000000000000000 + 1, 0).

%% A deterministic stream of keys with locality: mostly recent ones.
key(I) ->
    case I rem 10 of
        0 -> (I * 7919) rem 5000 + 1;
        _ -> (I div 10) rem 600 + (I rem 7) + 1
    end.

main() ->
    C = new(),
    Results = [begin
                   Now = I,
                   K = key(I),
                   V = case K rem 11 of
                           0 -> get(C, {big, K}, fun({big, X}) -> big_steps(X) end, Now);
                           _ -> get(C, K, fun steps/1, Now)
                       end,
                   Expired = case I rem 1000 of
                                 0 -> expire(C, Now);
                                 _ -> 0
                             end,
                   V + Expired
               end || I <- lists:seq(1, 12000)],
    #cache{data = D, lru = L, stats = S} = C,
    Stats = lists:sort(ets:tab2list(S)),
    Size = {ets:info(D, size), ets:info(L, size)},
    Consistent = lists:sort([K || {{_, K}} <- ets:tab2list(L)]) =:=
        lists:sort([K || {K, _, _} <- ets:tab2list(D)]),
    Bigs = ets:select_count(D, [{{{big, '_'}, '_', '_'}, [], [true]}]),
    Long = lists:sort(ets:match(D, {'$1', '$2', '_'})),
    LongSteps = length([x || [_, V] <- Long, V > 100]),
    Oldest = ets:first(L),
    Newest = ets:last(L),
    Total = ets:foldl(fun({_, V, _}, A) -> A + V end, 0, D),
    [ets:delete(T) || T <- [D, L, S]],
    {Stats, Size, Consistent, Bigs, LongSteps, Oldest, Newest, Total,
     lists:sum(Results), lists:max(Results)}.
