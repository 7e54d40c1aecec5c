%% Workload: bignum-heavy computations: digits of pi and e, large
%% factorials and Fibonacci numbers, binomials, modular arithmetic,
%% primality testing, integer roots and rationals.
-module(w_bignum).
-export([main/0]).

main() ->
    [{pi_200_digits, pi_digits(200)},
     {e_100_digits, e_digits(100)},
     {sqrt2_100_digits, isqrt(2 * pow(10, 200))},
     {fact_300, fact(300)},
     {fact_2000_digit_sum, digit_sum(fact(2000))},
     {fact_2000_length, length(integer_to_list(fact(2000)))},
     {fib_1000, fib(1000)},
     {fib_10000_digits, length(integer_to_list(fib(10000)))},
     {fib_matrix_agrees, fib_matrix(777) =:= fib(777)},
     {binomial_100_50, binomial(100, 50)},
     {pascal_row_30, [binomial(30, K) || K <- lists:seq(0, 30)]},
     {catalan, [catalan(N) || N <- [0, 1, 2, 3, 10, 50, 100]]},
     {bell_numbers, [bell(N) || N <- lists:seq(0, 25, 5)]},
     {partitions, [partitions(N) || N <- [10, 50, 100, 200]]},
     {mersenne_primes, [P || P <- lists:seq(2, 130), is_prime(P), lucas_lehmer(P)]},
     {miller_rabin, [{N, miller_rabin(N)} || N <- [561, 1105, 7919, pow(2, 61) - 1, pow(2, 89) - 1,
                                                   pow(2, 67) - 1, 170141183460469231731687303715884105727,
                                                   170141183460469231731687303715884105729]]},
     {modpow, modpow(2, pow(10, 18), pow(10, 9) + 7)},
     {mod_inverse, mod_inverse(pow(3, 100), pow(2, 127) - 1)},
     {rsa_roundtrip, rsa()},
     {gcd_lcm, {gcd(fact(100), pow(6, 80)), lcm_list(lists:seq(1, 50))}},
     {factorize, [factorize(N) || N <- [360, 9999991, 600851475143, pow(2, 32) + 1, 1234567890123]]},
     {cube_root, iroot(pow(123456789, 3) + 17, 3)},
     {big_collatz_steps, collatz_steps(pow(2, 100) + 1, 0)},
     {rational_harmonic_30, harmonic(30)},
     {continued_fraction_sqrt2, convergent(lists:duplicate(40, 2), 1)},
     {bernoulli, [bernoulli(N) || N <- [0, 1, 2, 4, 10, 20]]},
     {base_conversion, [integer_to_list(pow(7, 77), B) || B <- [2, 16, 36]]},
     {bit_tricks, {popcount(pow(3, 200)), bit_length(pow(3, 200)), pow(3, 200) band (pow(2, 64) - 1),
                   (pow(3, 200) bsr 250) bxor 12345}},
     {negative_big, {-fact(30) div 7, -fact(30) rem 7, (-fact(30)) bsr 10, bnot fact(25)}},
     {float_conversion, {float(fact(20)), float(fib(300)), trunc(1.0e200) =:= pow(10, 200),
                         round(float(pow(2, 80)))}},
     {sum_of_powers, lists:sum([pow(I, 10) || I <- lists:seq(1, 100)])},
     {ackermann_like, pow(2, pow(2, 4))}].

pow(_, 0) -> 1;
pow(B, E) when E rem 2 =:= 0 -> H = pow(B, E div 2), H * H;
pow(B, E) -> B * pow(B, E - 1).

fact(N) -> fact(N, 1).
fact(0, Acc) -> Acc;
fact(N, Acc) -> fact(N - 1, N * Acc).

fib(N) -> fib(N, 0, 1).
fib(0, A, _) -> A;
fib(N, A, B) -> fib(N - 1, B, A + B).

fib_matrix(N) -> element(2, mpow({1, 1, 1, 0}, N)).

mpow(_, 0) -> {1, 0, 0, 1};
mpow(M, N) when N rem 2 =:= 0 -> H = mpow(M, N div 2), mmul(H, H);
mpow(M, N) -> mmul(M, mpow(M, N - 1)).

mmul({A, B, C, D}, {E, F, G, H}) -> {A * E + B * G, A * F + B * H, C * E + D * G, C * F + D * H}.

digit_sum(N) -> lists:sum([D - $0 || D <- integer_to_list(N)]).

%% Machin: pi = 16 atan(1/5) - 4 atan(1/239), in fixed point with guard digits.
pi_digits(N) ->
    Scale = pow(10, N + 10),
    Pi = 16 * arccot(5, Scale) - 4 * arccot(239, Scale),
    Pi div pow(10, 10).

arccot(X, Scale) -> arccot(X, Scale, Scale div X, X * X, 1, 0).

arccot(_, _, 0, _, _, Sum) -> Sum;
arccot(X, Scale, Term, X2, N, Sum) ->
    Add = case (N div 2) rem 2 of 0 -> Term div N; 1 -> -(Term div N) end,
    arccot(X, Scale, Term div X2, X2, N + 2, Sum + Add).

e_digits(N) ->
    Scale = pow(10, N + 10),
    e_sum(Scale, 1, Scale) div pow(10, 10).

e_sum(_, _, 0) -> 0;
e_sum(Scale, K, Term) -> Term + e_sum(Scale, K + 1, Term div K).

isqrt(N) -> isqrt(N, N).
isqrt(N, X) ->
    Y = (X + N div X) div 2,
    if Y >= X -> X; true -> isqrt(N, Y) end.

iroot(N, K) -> iroot(N, K, pow(2, bit_length(N) div K + 1)).
iroot(N, K, X) ->
    Y = ((K - 1) * X + N div pow(X, K - 1)) div K,
    if Y >= X -> X; true -> iroot(N, K, Y) end.

binomial(N, K) -> binomial(N, K, 1, 1).
binomial(_, 0, Num, Den) -> Num div Den;
binomial(N, K, Num, Den) -> binomial(N - 1, K - 1, Num * N, Den * K).

catalan(N) -> binomial(2 * N, N) div (N + 1).

%% Bell numbers via the Bell triangle: B(n) heads row n + 1.
bell(N) -> hd(lists:foldl(fun(_, Row) -> next_bell_row(Row) end, [1], lists:seq(1, N))).

next_bell_row(Row) ->
    lists:reverse(lists:foldl(fun(X, [Prev | _] = Acc) -> [Prev + X | Acc] end, [lists:last(Row)], Row)).

%% Integer partitions with Euler's pentagonal recurrence, memoised in a map.
partitions(N) -> maps:get(N, lists:foldl(fun(I, M) -> M#{I => part(I, M)} end, #{0 => 1}, lists:seq(1, N))).

part(N, M) -> part(N, M, 1, 0).
part(N, M, K, Acc) ->
    G1 = K * (3 * K - 1) div 2,
    G2 = K * (3 * K + 1) div 2,
    if
        G1 > N -> Acc;
        true ->
            Sign = case K rem 2 of 1 -> 1; 0 -> -1 end,
            T = maps:get(N - G1, M) + (if G2 =< N -> maps:get(N - G2, M); true -> 0 end),
            part(N, M, K + 1, Acc + Sign * T)
    end.

is_prime(N) when N < 2 -> false;
is_prime(N) -> is_prime(N, 2).
is_prime(N, D) when D * D > N -> true;
is_prime(N, D) when N rem D =:= 0 -> false;
is_prime(N, D) -> is_prime(N, D + 1).

lucas_lehmer(2) -> true;
lucas_lehmer(P) ->
    M = pow(2, P) - 1,
    lists:foldl(fun(_, S) -> (S * S - 2) rem M end, 4, lists:seq(1, P - 2)) =:= 0.

modpow(_, 0, M) -> 1 rem M;
modpow(B, E, M) when E rem 2 =:= 0 -> H = modpow(B, E div 2, M), H * H rem M;
modpow(B, E, M) -> B * modpow(B, E - 1, M) rem M.

miller_rabin(N) when N < 4 -> N >= 2;
miller_rabin(N) when N rem 2 =:= 0 -> false;
miller_rabin(N) ->
    {D, S} = split_twos(N - 1, 0),
    lists:all(fun(A) -> mr_witness(A rem N, D, S, N) end, [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37]).

split_twos(D, S) when D rem 2 =:= 0 -> split_twos(D div 2, S + 1);
split_twos(D, S) -> {D, S}.

mr_witness(0, _, _, _) -> true;
mr_witness(A, D, S, N) ->
    X = modpow(A, D, N),
    X =:= 1 orelse X =:= N - 1 orelse mr_square(X, S - 1, N).

mr_square(_, 0, _) -> false;
mr_square(X, S, N) ->
    Y = X * X rem N,
    Y =:= N - 1 orelse mr_square(Y, S - 1, N).

egcd(A, 0) -> {A, 1, 0};
egcd(A, B) ->
    {G, X, Y} = egcd(B, A rem B),
    {G, Y, X - (A div B) * Y}.

mod_inverse(A, M) ->
    {1, X, _} = egcd(A rem M, M),
    ((X rem M) + M) rem M.

rsa() ->
    P = pow(2, 89) - 1, Q = pow(2, 107) - 1,
    N = P * Q, Phi = (P - 1) * (Q - 1), E = 65537,
    D = mod_inverse(E, Phi),
    Msg = 123456789012345678901234567890,
    Cipher = modpow(Msg, E, N),
    {Cipher, modpow(Cipher, D, N) =:= Msg}.

gcd(A, 0) -> abs(A);
gcd(A, B) -> gcd(B, A rem B).

lcm_list(L) -> lists:foldl(fun(X, Acc) -> Acc * X div gcd(Acc, X) end, 1, L).

factorize(N) -> factorize(N, 2, []).
factorize(1, _, Acc) -> lists:reverse(Acc);
factorize(N, D, Acc) when D * D > N -> lists:reverse([N | Acc]);
factorize(N, D, Acc) when N rem D =:= 0 -> factorize(N div D, D, [D | Acc]);
factorize(N, 2, Acc) -> factorize(N, 3, Acc);
factorize(N, D, Acc) -> factorize(N, D + 2, Acc).

collatz_steps(1, S) -> S;
collatz_steps(N, S) when N rem 2 =:= 0 -> collatz_steps(N div 2, S + 1);
collatz_steps(N, S) -> collatz_steps(3 * N + 1, S + 1).

%% Rationals as reduced {Num, Den}.
rat_add({A, B}, {C, D}) -> rat_norm(A * D + C * B, B * D).
rat_norm(N, D) -> G = gcd(N, D), S = if D < 0 -> -1; true -> 1 end, {S * N div G, S * D div G}.

harmonic(N) -> lists:foldl(fun(I, Acc) -> rat_add(Acc, {1, I}) end, {0, 1}, lists:seq(1, N)).

convergent([], Acc) -> Acc;
convergent(Terms, A0) ->
    {N, D} = lists:foldr(fun(T, {Num, Den}) -> {T * Num + Den, Num} end, {1, 0}, Terms),
    rat_norm(A0 * N + D, N).

%% Bernoulli numbers B_n (B_1 = -1/2) via the Akiyama-Tanigawa algorithm.
bernoulli(N) ->
    A = lists:foldl(
          fun(M, Row) ->
                  Row1 = Row ++ [{1, M + 1}],
                  at_reduce(M, Row1)
          end, [], lists:seq(0, N)),
    B = hd(A),
    case N of 1 -> rat_norm(-element(1, B), element(2, B)); _ -> B end.

at_reduce(M, Row) ->
    at_reduce(M, lists:reverse(Row), []).

at_reduce(0, [A], Acc) -> [A | Acc];
at_reduce(J, [AJ, AJm1 | Rest], Acc) ->
    {N1, D1} = AJm1, {N2, D2} = AJ,
    {DN, DD} = rat_norm(N1 * D2 - N2 * D1, D1 * D2),
    New = rat_norm(J * DN, DD),
    at_reduce(J - 1, [New | Rest], [AJ | Acc]).

popcount(0) -> 0;
popcount(N) -> (N band 1) + popcount(N bsr 1).

bit_length(0) -> 0;
bit_length(N) -> 1 + bit_length(N bsr 1).
