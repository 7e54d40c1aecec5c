%% Bignums: factorials by repeated multiplication and by splitting the
%% product, then their digit sums by division.
-module(b_bigfact).
-export([run/0]).

run() -> [check(N) || N <- [1000, 2000, 4000, 6000, 8000, 10000, 12000]].

check(N) ->
    F = fact(N, 1),
    F = product(1, N),
    {N, digit_sum(F, 0), F rem 1000000007}.

fact(0, Acc) -> Acc;
fact(N, Acc) -> fact(N - 1, Acc * N).

%% The product of Lo..Hi by halves (balanced operand sizes).
product(Lo, Hi) when Lo >= Hi -> Lo;
product(Lo, Hi) ->
    Mid = (Lo + Hi) div 2,
    product(Lo, Mid) * product(Mid + 1, Hi).

%% Nine digits at a time.
digit_sum(0, Acc) -> Acc;
digit_sum(N, Acc) -> digit_sum(N div 1000000000, Acc + digits(N rem 1000000000, 0)).

digits(0, Acc) -> Acc;
digits(N, Acc) -> digits(N div 10, Acc + N rem 10).
