%% A small interpreter: a stack machine whose program is a tuple of
%% instructions (a loop computing primes by trial division and a sum of
%% squares), and a tree-walking evaluator of expressions with an
%% environment in a map.
-module(b_interp).
-export([run/0]).

run() ->
    Primes = vm(primes_program(35000), 1, [], #{}),
    Squares = vm(squares_program(2250000), 1, [], #{}),
    Expr = eval_loop(110000, 0),
    {Primes, Squares, Expr}.

%% --- stack machine ----------------------------------------------------------

%% Counts the primes below Limit: for n in 2..Limit-1, trial division by
%% d while d*d =< n.
primes_program(Limit) ->
    list_to_tuple(
      [{push, 2}, {store, n}, {push, 0}, {store, count},
       %% 5: outer loop test
       {load, n}, {push, Limit}, lt, {jump_if_false, 33},
       {push, 2}, {store, d},
       %% 11: inner loop test: d*d > n -> prime
       {load, d}, {load, d}, mul, {load, n}, gt, {jump_if_true, 25},
       {load, n}, {load, d}, rem_op, {push, 0}, eq, {jump_if_true, 29},
       {inc, d}, {jump, 11},
       %% 25: prime
       {load, count}, {push, 1}, add, {store, count},
       %% 29: next n
       {inc, n}, {jump, 5}, nop, nop,
       %% 33
       {load, count}, halt]).

squares_program(N) ->
    list_to_tuple(
      [{push, 0}, {store, acc}, {push, 1}, {store, i},
       %% 5
       {load, i}, {push, N}, gt, {jump_if_true, 19},
       {load, i}, {load, i}, mul, {push, 1000003}, rem_op,
       {load, acc}, add, {store, acc}, {inc, i}, {jump, 5},
       %% 19
       {load, acc}, halt]).

vm(Code, Pc, Stack, Env) ->
    case element(Pc, Code) of
        {push, V} -> vm(Code, Pc + 1, [V | Stack], Env);
        {load, Name} -> vm(Code, Pc + 1, [map_get(Name, Env) | Stack], Env);
        {store, Name} ->
            [V | S] = Stack,
            vm(Code, Pc + 1, S, Env#{Name => V});
        {inc, Name} ->
            #{Name := V} = Env,
            vm(Code, Pc + 1, Stack, Env#{Name := V + 1});
        {jump, To} -> vm(Code, To, Stack, Env);
        {jump_if_true, To} ->
            [V | S] = Stack,
            vm(Code, if V -> To; true -> Pc + 1 end, S, Env);
        {jump_if_false, To} ->
            [V | S] = Stack,
            vm(Code, if V -> Pc + 1; true -> To end, S, Env);
        nop -> vm(Code, Pc + 1, Stack, Env);
        halt -> hd(Stack);
        Op ->
            [B, A | S] = Stack,
            vm(Code, Pc + 1, [binop(Op, A, B) | S], Env)
    end.

binop(add, A, B) -> A + B;
binop(mul, A, B) -> A * B;
binop(rem_op, A, B) -> A rem B;
binop(lt, A, B) -> A < B;
binop(gt, A, B) -> A > B;
binop(eq, A, B) -> A =:= B.

%% --- expression evaluator ---------------------------------------------------

eval_loop(0, Acc) -> Acc;
eval_loop(N, Acc) ->
    Env = #{x => N, y => N rem 17, z => 3},
    eval_loop(N - 1, (Acc + eval(expr(), Env)) rem 1000000007).

expr() ->
    {'let', t, {add, {mul, {var, x}, {var, y}}, {num, 7}},
     {'if', {lt, {var, t}, {num, 1000}},
      {add, {var, t}, {call, fun sum_to/1, {var, z}}},
      {sub, {mul, {var, t}, {var, z}},
       {call, fun sum_to/1, {add, {var, y}, {num, 10}}}}}}.

sum_to(N) -> lists:sum(lists:seq(1, N)).

eval({num, N}, _Env) -> N;
eval({var, V}, Env) -> map_get(V, Env);
eval({add, A, B}, Env) -> eval(A, Env) + eval(B, Env);
eval({sub, A, B}, Env) -> eval(A, Env) - eval(B, Env);
eval({mul, A, B}, Env) -> eval(A, Env) * eval(B, Env);
eval({lt, A, B}, Env) -> eval(A, Env) < eval(B, Env);
eval({'if', C, T, E}, Env) ->
    case eval(C, Env) of
        true -> eval(T, Env);
        false -> eval(E, Env)
    end;
eval({'let', V, E, Body}, Env) -> eval(Body, Env#{V => eval(E, Env)});
eval({call, F, Arg}, Env) -> F(eval(Arg, Env)).
