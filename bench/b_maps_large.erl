%% Map work on large (HAMT) maps: building one of 20,000 integer keys,
%% updating every key, looking keys up, folding and deleting.
-module(b_maps_large).
-export([run/0]).

run() -> loop(12, 0).

loop(0, Acc) -> Acc;
loop(N, Acc) ->
    Size = 20000,
    M0 = build(Size, #{}),
    M1 = update(Size, M0),
    Hits = lookups(3 * Size, M1, 0),
    M2 = maps:fold(fun(K, _V, A) when K rem 3 =:= 0 -> maps:remove(K, A);
                      (K, V, A) -> A#{V => K}
                   end,
                   M1, M1),
    M3 = maps:from_list([{{k, K}, K} || K <- lists:seq(1, 5000)]),
    Sum = maps:fold(fun(_, V, A) -> A + V end, 0, M3),
    loop(N - 1, (Acc + Hits + maps:size(M2) + Sum) rem 1000000007).

build(0, M) -> M;
build(K, M) -> build(K - 1, M#{K => K * 3}).

update(0, M) -> M;
update(K, M) ->
    #{K := V} = M,
    update(K - 1, M#{K := V + 1}).

lookups(0, _M, Acc) -> Acc;
lookups(I, M, Acc) ->
    case M of
        #{I := V} -> lookups(I - 1, M, Acc + V);
        #{} -> lookups(I - 1, M, Acc + 1)
    end.
