%% Workload: search and combinatorics: n-queens, permutations, a sudoku
%% solver, knapsack and edit distance by dynamic programming, Hanoi, the game
%% of life and shortest paths on a grid.
-module(w_puzzle).
-export([main/0]).

main() ->
    [{queens_counts, [{N, length(queens(N))} || N <- lists:seq(1, 8)]},
     {queens_first_8, hd(queens(8))},
     {queens_bits_10, queens_count_bits(10)},
     {permutations_4, perms([1, 2, 3, 4])},
     {permutations_count_7, length(perms(lists:seq(1, 7)))},
     {combinations, combinations(3, [a, b, c, d, e])},
     {powerset, length(powerset(lists:seq(1, 12)))},
     {sudoku, sudoku(puzzle())},
     {knapsack, knapsack([{12, 4}, {2, 2}, {1, 1}, {4, 10}, {1, 2}, {3, 7}, {5, 8}], 15)},
     {edit_distance, [edit_distance(A, B) || {A, B} <- [{"kitten", "sitting"}, {"flaw", "lawn"},
                                                       {"", "abc"}, {"intention", "execution"}]]},
     {lcs, lcs("AGGTABQWERTY", "GXTXAYBWRT")},
     {hanoi_moves, length(hanoi(10, a, c, b))},
     {hanoi_3, hanoi(3, a, c, b)},
     {life_glider, life_run(glider(), 4)},
     {life_blinker, life_run([{1, 0}, {1, 1}, {1, 2}], 1)},
     {grid_bfs, bfs_grid(maze(), {0, 0}, {9, 9})},
     {coin_change, [coin_ways(A, [1, 2, 5, 10, 25, 50]) || A <- [0, 1, 10, 100, 300]]},
     {subset_sum, subset_sum([3, 34, 4, 12, 5, 2], 9)},
     {primes_sieve, lists:sublist(sieve(lists:seq(2, 2000)), 15)},
     {prime_count_10000, length(sieve_map(10000))},
     {collatz_longest, collatz_longest(10000)},
     {magic_square_3, magic_squares()},
     {word_ladder_len, ladder("cold", "warm", ["cold", "cord", "card", "ward", "warm", "word", "worm", "corm"])}].

queens(N) -> queens(N, N).

queens(_, 0) -> [[]];
queens(N, K) -> [[Q | Qs] || Qs <- queens(N, K - 1), Q <- lists:seq(1, N), safe(Q, Qs, 1)].

safe(_, [], _) -> true;
safe(Q, [Q1 | Qs], D) -> Q =/= Q1 andalso abs(Q - Q1) =/= D andalso safe(Q, Qs, D + 1).

%% Bit-mask backtracking count.
queens_count_bits(N) -> qbits((1 bsl N) - 1, 0, 0, 0).

qbits(All, Cols, _, _) when Cols =:= All -> 1;
qbits(All, Cols, L, R) -> qbits_try(All, Cols, L, R, All band bnot (Cols bor L bor R), 0).

qbits_try(_, _, _, _, 0, Acc) -> Acc;
qbits_try(All, Cols, L, R, Avail, Acc) ->
    Bit = Avail band (-Avail),
    N = qbits(All, Cols bor Bit, ((L bor Bit) bsl 1) band All, (R bor Bit) bsr 1),
    qbits_try(All, Cols, L, R, Avail bxor Bit, Acc + N).

perms([]) -> [[]];
perms(L) -> [[H | T] || H <- L, T <- perms(L -- [H])].

combinations(0, _) -> [[]];
combinations(_, []) -> [];
combinations(K, [H | T]) -> [[H | C] || C <- combinations(K - 1, T)] ++ combinations(K, T).

powerset([]) -> [[]];
powerset([H | T]) -> P = powerset(T), [[H | S] || S <- P] ++ P.

%% Sudoku: the grid is a map {Row, Col} -> Digit (0 for empty); backtracking
%% on the empty cell with the fewest candidates.
puzzle() ->
    ["530070000", "600195000", "098000060", "800060003", "400803001", "700020006", "060000280",
     "000419005", "000080079"].

sudoku(Rows) ->
    Grid = maps:from_list([{{R, C}, D - $0} || {R, Row} <- lists:zip(lists:seq(0, 8), Rows),
                                              {C, D} <- lists:zip(lists:seq(0, 8), Row)]),
    case solve(Grid) of
        false -> unsolvable;
        Solved -> [[$0 + maps:get({R, C}, Solved) || C <- lists:seq(0, 8)] || R <- lists:seq(0, 8)]
    end.

solve(Grid) ->
    Empty = [P || {P, 0} <- maps:to_list(Grid)],
    case Empty of
        [] -> Grid;
        _ ->
            {_, Pos, Cands} = lists:min([{length(Cs), P, Cs} || P <- Empty, Cs <- [candidates(P, Grid)]]),
            try_candidates(Pos, Cands, Grid)
    end.

try_candidates(_, [], _) -> false;
try_candidates(Pos, [D | Ds], Grid) ->
    case solve(Grid#{Pos := D}) of
        false -> try_candidates(Pos, Ds, Grid);
        Solved -> Solved
    end.

candidates({R, C}, Grid) ->
    BR = R div 3 * 3, BC = C div 3 * 3,
    Used = [maps:get({R, I}, Grid) || I <- lists:seq(0, 8)] ++ [maps:get({I, C}, Grid) || I <- lists:seq(0, 8)] ++
           [maps:get({BR + I, BC + J}, Grid) || I <- [0, 1, 2], J <- [0, 1, 2]],
    lists:seq(1, 9) -- Used.

%% 0/1 knapsack over {Weight, Value} items: best value and chosen items.
knapsack(Items, Cap) ->
    Table = lists:foldl(
              fun({W, V} = Item, Row) ->
                      maps:from_list([{C, best(maps:get(C, Row), C, W, V, Item, Row)} || C <- lists:seq(0, Cap)])
              end,
              maps:from_list([{C, {0, []}} || C <- lists:seq(0, Cap)]), Items),
    {Value, Chosen} = maps:get(Cap, Table),
    {Value, lists:reverse(Chosen)}.

best(Skip, C, W, V, Item, Row) when W =< C ->
    {PV, PItems} = maps:get(C - W, Row),
    max(Skip, {PV + V, [Item | PItems]});
best(Skip, _, _, _, _, _) -> Skip.

edit_distance(A, B) ->
    Row0 = lists:seq(0, length(B)),
    {_, Last} = lists:foldl(
                  fun(CA, {I, Prev}) ->
                          {I + 1, edit_row(CA, B, Prev, [I + 1])}
                  end, {0, Row0}, A),
    lists:last(Last).

edit_row(_, [], _, Acc) -> lists:reverse(Acc);
edit_row(CA, [CB | Bs], [Diag, Up | Prev], [Left | _] = Acc) ->
    Cost = if CA =:= CB -> 0; true -> 1 end,
    edit_row(CA, Bs, [Up | Prev], [min(min(Left + 1, Up + 1), Diag + Cost) | Acc]).

%% Longest common subsequence with a memo map.
lcs(A, B) ->
    {Len, _} = lcs(list_to_tuple(A), list_to_tuple(B), 1, 1, #{}),
    Len.

lcs(A, B, I, J, Memo) when I > tuple_size(A); J > tuple_size(B) -> {0, Memo};
lcs(A, B, I, J, Memo) ->
    case Memo of
        #{{I, J} := V} -> {V, Memo};
        _ ->
            {V, M2} = case element(I, A) =:= element(J, B) of
                          true -> {L, M1} = lcs(A, B, I + 1, J + 1, Memo), {L + 1, M1};
                          false ->
                              {L1, M1} = lcs(A, B, I + 1, J, Memo),
                              {L2, M3} = lcs(A, B, I, J + 1, M1),
                              {max(L1, L2), M3}
                      end,
            {V, M2#{{I, J} => V}}
    end.

hanoi(0, _, _, _) -> [];
hanoi(N, From, To, Via) -> hanoi(N - 1, From, Via, To) ++ [{From, To}] ++ hanoi(N - 1, Via, To, From).

glider() -> [{0, 1}, {1, 2}, {2, 0}, {2, 1}, {2, 2}].

life_run(Cells, 0) -> lists:sort(Cells);
life_run(Cells, N) -> life_run(life_step(Cells), N - 1).

life_step(Cells) ->
    Live = sets:from_list(Cells),
    Counts = lists:foldl(fun(P, Acc) -> maps:update_with(P, fun(C) -> C + 1 end, 1, Acc) end, #{},
                         [{X + DX, Y + DY} || {X, Y} <- Cells, DX <- [-1, 0, 1], DY <- [-1, 0, 1], {DX, DY} =/= {0, 0}]),
    [P || {P, C} <- maps:to_list(Counts), C =:= 3 orelse (C =:= 2 andalso sets:is_element(P, Live))].

maze() ->
    ["..#.......", ".##.####..", "....#..#..", "###.#.##.#", "....#.....", ".####.###.", "......#...",
     "#.####.#.#", "........#.", ".######..."].

bfs_grid(Rows, Start, Goal) ->
    Walls = sets:from_list([{X, Y} || {Y, Row} <- lists:zip(lists:seq(0, 9), Rows),
                                      {X, $#} <- lists:zip(lists:seq(0, 9), Row)]),
    bfs(queue:from_list([{Start, 0}]), Goal, Walls, sets:from_list([Start])).

bfs(Q, Goal, Walls, Seen) ->
    case queue:out(Q) of
        {empty, _} -> unreachable;
        {{value, {Goal, D}}, _} -> D;
        {{value, {{X, Y}, D}}, Q2} ->
            Next = [P || {PX, PY} = P <- [{X + 1, Y}, {X - 1, Y}, {X, Y + 1}, {X, Y - 1}],
                         PX >= 0, PX =< 9, PY >= 0, PY =< 9,
                         not sets:is_element(P, Walls), not sets:is_element(P, Seen)],
            bfs(lists:foldl(fun(P, Acc) -> queue:in({P, D + 1}, Acc) end, Q2, Next), Goal, Walls,
                lists:foldl(fun sets:add_element/2, Seen, Next))
    end.

coin_ways(Amount, Coins) ->
    Ways0 = erlang:make_tuple(Amount + 1, 0, [{1, 1}]),
    Ways = lists:foldl(
             fun(Coin, W) ->
                     lists:foldl(fun(A, Acc) -> setelement(A + 1, Acc, element(A + 1, Acc) + element(A - Coin + 1, Acc)) end,
                                 W, lists:seq(Coin, Amount))
             end, Ways0, [C || C <- Coins, C =< Amount]),
    element(Amount + 1, Ways).

subset_sum(Set, Target) ->
    Reachable = lists:foldl(fun(X, Acc) -> lists:usort(Acc ++ [S + X || S <- Acc, S + X =< Target]) end, [0], Set),
    lists:member(Target, Reachable).

sieve([]) -> [];
sieve([P | Xs]) -> [P | sieve([X || X <- Xs, X rem P =/= 0])].

%% Sieve of Eratosthenes with the composites kept as keys of a map.
sieve_map(N) ->
    Composites = sieve_mark(2, N, #{}),
    [I || I <- lists:seq(2, N), not is_map_key(I, Composites)].

sieve_mark(P, N, Comp) when P * P > N -> Comp;
sieve_mark(P, N, Comp) when is_map_key(P, Comp) -> sieve_mark(P + 1, N, Comp);
sieve_mark(P, N, Comp) ->
    sieve_mark(P + 1, N, lists:foldl(fun(M, Acc) -> Acc#{M => true} end, Comp, lists:seq(P * P, N, P))).

collatz_longest(N) ->
    lists:max([{collatz_len(I, 1), I} || I <- lists:seq(1, N)]).

collatz_len(1, L) -> L;
collatz_len(N, L) when N rem 2 =:= 0 -> collatz_len(N div 2, L + 1);
collatz_len(N, L) -> collatz_len(3 * N + 1, L + 1).

%% 3x3 magic squares built row by row from the triples that sum to 15.
magic_squares() ->
    Rows = [[A, B, C] || A <- lists:seq(1, 9), B <- lists:seq(1, 9), C <- [15 - A - B], C >= 1, C =< 9,
                         A =/= B, B =/= C, A =/= C],
    [R1 ++ R2 ++ R3 || [A, B, C] = R1 <- Rows, [D, E, F] = R2 <- Rows, R1 -- R2 =:= R1,
                       [G, H, I] = R3 <- Rows, (R1 ++ R2) -- R3 =:= R1 ++ R2,
                       A + D + G =:= 15, B + E + H =:= 15, C + F + I =:= 15, A + E + I =:= 15, C + E + G =:= 15].

ladder(From, To, Words) -> ladder_bfs([{From, [From]}], To, Words -- [From]).

ladder_bfs([], _, _) -> none;
ladder_bfs([{To, Path} | _], To, _) -> {length(Path), lists:reverse(Path)};
ladder_bfs([{W, Path} | Rest], To, Words) ->
    Next = [N || N <- Words, one_apart(W, N)],
    ladder_bfs(Rest ++ [{N, [N | Path]} || N <- Next], To, Words -- Next).

one_apart(A, B) -> length([x || {X, Y} <- lists:zip(A, B), X =/= Y]) =:= 1.
