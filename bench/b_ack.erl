%% Recursion: Ackermann's function (deep non-tail recursion, a growing stack).
-module(b_ack).
-export([run/0]).

run() -> [ack(2, N) || N <- lists:seq(1, 200, 10)] ++ [ack(3, 8), ack(3, 9), ack(3, 11)].

ack(0, N) -> N + 1;
ack(M, 0) -> ack(M - 1, 1);
ack(M, N) -> ack(M - 1, ack(M, N - 1)).
