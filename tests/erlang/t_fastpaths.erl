%% The interpreter's inline paths and superinstructions against erl:
%% element/2 and map_get/2 as instructions (values, errors, guard failures),
%% select_val over mixed tables, map updates with missing and repeated keys,
%% comparisons of small integers, floats and atoms, and fused instruction
%% pairs entered in the middle (jumps landing on their second instruction).
-module(t_fastpaths).
-export([main/0]).

main() ->
    [elements(), map_gets(), selects(), updates(), compares(), fused()].

err(F) ->
    try norm(F()) catch C:R -> {C, R} end.

%% Maps of more than 32 keys holding atoms are ordered differently from
%% erl's (docs/architecture.md, "Maps"): compared by content.
norm(M) when is_map(M), map_size(M) > 32 -> lists:sort(maps:to_list(M));
norm(X) -> X.

el(I, T) -> element(I, T).
mg(K, M) -> map_get(K, M).
ge(I, T) when element(I, T) =:= a -> yes;
ge(_, _) -> no.
gm(K, M) when map_get(K, M) =:= 1 -> yes;
gm(_, _) -> no.

elements() ->
    [err(fun() -> el(I, T) end)
     || I <- [0, 1, 2, 3, a, 1.0, -1, 1 bsl 70], T <- [{a}, {a, b}, [a], {}]]
    ++ [ge(I, T) || I <- [1, 2, x], T <- [{a}, {b, a}, y]].

map_gets() ->
    Big = maps:from_list([{K, K * 2} || K <- lists:seq(1, 40)]),
    [err(fun() -> mg(K, M) end)
     || K <- [a, b, 1, 1.0, <<"k">>, {t}, 40, 41],
        M <- [#{}, #{a => 1, 1 => one, <<"k">> => bin, {t} => tup}, Big, x]]
    ++ [gm(K, M) || K <- [k, j], M <- [#{k => 1}, #{k => 2}, #{}, 3]].

sel(X) ->
    case X of
        a -> 1; b -> 2; 3 -> three; -7 -> minus; 1.0 -> float; <<"x">> -> bin;
        {t} -> tup; [] -> nil; 1 bsl 80 -> big; "s" -> str; _ -> other
    end.

arity(T) ->
    case T of
        {} -> 0; {_} -> 1; {_, _} -> 2; {_, _, _, _, _} -> 5; _ -> other
    end.

selects() ->
    [sel(V) || V <- [a, b, c, 3, 3.0, -7, 1.0, 1, <<"x">>, <<"y">>, {t}, {u}, [], 1 bsl 80,
                     (1 bsl 80) + 1, "s", "t", self()]]
    ++ [arity(T) || T <- [{}, {a}, {a, b}, {a, b, c}, {1, 2, 3, 4, 5}, [a], x]].

upd(M, K1, K2) -> M#{K1 := 2, K2 := 3}.
put2(M, K1, K2) -> M#{K1 => 2, K2 => 3}.
put1(M, K) -> M#{K => 1}.

updates() ->
    M = #{a => 1, 1 => x, 1.0 => y},
    Big = maps:from_list([{K, K} || K <- lists:seq(1, 40)]),
    [err(fun() -> upd(Map, K1, K2) end)
     || Map <- [M, Big, #{}, x], K1 <- [a, z, 1, 2.0], K2 <- [a, y, 1.0, 40]]
    ++ [err(fun() -> put2(Map, K1, K2) end)
        || Map <- [M, Big, x], K1 <- [a, z, 1], K2 <- [a, 1.0, 41]]
    ++ [put1(M, K) || K <- [a, 1, 1.0, 2, -0.0, b]]
    ++ [maps:get(a, M), maps:find(1.0, M), maps:find(2, M), map_size(put1(Big, 0))].

lt(A, B) -> A < B.
ge2(A, B) -> A >= B.
eq(A, B) -> A == B.
ne(A, B) -> A /= B.
eqx(A, B) -> A =:= B.
nex(A, B) -> A =/= B.

compares() ->
    Vs = [0, 1, -1, 1.0, -0.0, 0.0, 2.5, 1 bsl 70, a, b, aa, {1}, {1.0}, [1], "a", <<"a">>, #{}],
    [[F(A, B) || A <- Vs, B <- Vs]
     || F <- [fun lt/2, fun ge2/2, fun eq/2, fun ne/2, fun eqx/2, fun nex/2]].

%% Moves and calls whose second instruction is also a jump target.
count([], N) -> N;
count([_ | T], N) -> count(T, N + 1).

walk({L, R}, Acc) -> walk(L, walk(R, Acc + 1));
walk(_, Acc) -> Acc.

swap3(A, B, C, 0) -> {A, B, C};
swap3(A, B, C, N) -> swap3(C, A, B, N - 1).

fused() ->
    Tree = lists:foldl(fun(I, T) -> {T, {I, nil}} end, nil, lists:seq(1, 50)),
    [count(lists:seq(1, 100), 0), walk(Tree, 0), swap3(a, b, c, 7),
     lists:reverse(lists:seq(1, 20)), [X * 2 || X <- lists:seq(1, 10), X rem 3 =/= 0]].
