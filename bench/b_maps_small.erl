%% Map work on small (flat, at most 32 keys) maps: building, updating with
%% := and =>, matching in heads, maps:get/find/put.
-module(b_maps_small).
-export([run/0]).

run() -> loop(4000000, #{a => 0, b => 1, c => 2, d => 3, e => 4}, 0).

loop(0, M, Acc) -> Acc + maps:get(a, M) + maps:size(M);
loop(N, M = #{a := A, b := B, c := C}, Acc) ->
    M1 = M#{a := (A + B) rem 1000, b := (B + C) rem 1000},
    M2 = case N rem 4 of
             0 -> M1#{N rem 20 => N};
             _ -> M1
         end,
    Found = case maps:find(N rem 20, M2) of
                {ok, V} -> V;
                error -> 0
            end,
    Acc1 = (Acc + maps:get(c, M2) + Found + map_size(M2)) rem 1000000007,
    loop(N - 1, maps:put(c, (C + 1) rem 1000, M2), Acc1).
