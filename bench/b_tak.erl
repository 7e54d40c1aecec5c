%% Recursion: Takeuchi's function, three-argument calls and comparisons.
-module(b_tak).
-export([run/0]).

run() -> loop(3000, 0).

loop(0, Acc) -> Acc;
loop(N, Acc) -> loop(N - 1, Acc + tak(18, 12, 6)).

tak(X, Y, Z) when Y < X ->
    tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) -> Z.
