%% Recursion: naive doubly recursive Fibonacci on small integers.
-module(b_fib).
-export([run/0]).

run() -> fib(39).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).
