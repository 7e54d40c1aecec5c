%% Integer arithmetic: small/big boundaries, bignum operators, div/rem signs,
%% shifts and bitwise operators on negatives and bignums, conversions.
-module(t_int).
-export([main/0, id/1]).

%% 2^59 - 1 and -2^59 are the largest and smallest small integers on a
%% 64-bit BEAM; one step further gives a bignum.
-define(MAX_SMALL, 576460752303423487).
-define(MIN_SMALL, -576460752303423488).

main() ->
    Big = pow(10, 30) + 7,
    NegBig = -pow(3, 70),
    [{add_small, id(3) + id(4)},
     {sub_small, id(3) - id(10)},
     {mul_small, id(-6) * id(7)},
     {neg_small, -id(5)},
     {plus_unary, +id(-5)},
     {max_small_plus_1, id(?MAX_SMALL) + 1},
     {max_small_plus_1_minus_1, id(?MAX_SMALL) + 1 - 1},
     {min_small_minus_1, id(?MIN_SMALL) - 1},
     {min_small_minus_1_plus_1, id(?MIN_SMALL) - 1 + 1},
     {neg_min_small, -id(?MIN_SMALL)},
     {abs_min_small, abs(id(?MIN_SMALL))},
     {small_mul_overflow, id(16#7FFFFFFF) * id(16#7FFFFFFF) * id(16#7FFFFFFF)},
     {max_small_squared, id(?MAX_SMALL) * id(?MAX_SMALL)},
     {big_back_to_small, (id(?MAX_SMALL) * 4) div 8},
     {big_minus_big_is_small, (pow(2, 100) + 5) - pow(2, 100)},
     {big_eq_literal, pow(2, 64) =:= 18446744073709551616},
     {big_times_zero, pow(7, 40) * id(0)},
     {fact_20, fact(20)},
     {fact_25, fact(25)},
     {fact_100, fact(100)},
     {fact_1000_digits, length(integer_to_list(fact(1000)))},
     {fact_1000_mod, fact(1000) rem 1000000007},
     {fact_1000_trailing_zeros, trailing_zeros(fact(1000))},
     {fib_90, fib(90)},
     {fib_100, fib(100)},
     {fib_300, fib(300)},
     {fib_1000_mod, fib(1000) rem 998244353},
     {pow_2_64, pow(2, 64)},
     {pow_3_100, pow(3, 100)},
     {pow_neg7_33, pow(-7, 33)},
     {pow_neg2_64, pow(-2, 64)},
     {big_div_small, Big div 7},
     {big_rem_small, Big rem 7},
     {negbig_div_small, NegBig div 11},
     {negbig_rem_small, NegBig rem 11},
     {big_div_big, pow(10, 40) div Big},
     {big_rem_big, pow(10, 40) rem Big},
     {negbig_div_big, NegBig div pow(2, 70)},
     {negbig_rem_negbig, NegBig rem -pow(2, 70)},
     {small_div_big, id(12345) div Big},
     {big_div_1, Big div 1},
     {big_div_neg1, Big div -1},
     {min_small_div_neg1, id(?MIN_SMALL) div -1},
     {div_rem_signs, [{A, B, A div B, A rem B} || A <- [7, -7, 0, 9, -9], B <- [2, -2, 3, -3]]},
     {div_identity, lists:all(fun({A, B}) -> (A div B) * B + A rem B =:= A end,
                              [{A, B} || A <- [Big, NegBig, 17, -17, ?MAX_SMALL, ?MIN_SMALL],
                                         B <- [3, -3, pow(2, 65), -pow(5, 31), 1000000007]])},
     {bsl_59, id(1) bsl 59},
     {bsl_60, id(1) bsl 60},
     {bsl_64, id(1) bsl 64},
     {bsl_1000_bsr_999, (id(1) bsl 1000) bsr 999},
     {neg_bsl_70, id(-1) bsl 70},
     {neg1_bsr_1, id(-1) bsr 1},
     {neg5_bsr_1, id(-5) bsr 1},
     {negbig_bsr, (-(id(1) bsl 70)) bsr 69},
     {negbig_odd_bsr, (-(id(1) bsl 70) - 1) bsr 69},
     {bsl_negative, id(5) bsl -1},
     {bsr_negative, id(5) bsr -2},
     {bsr_far, id(12345) bsr 100},
     {neg_bsr_far, id(-12345) bsr 100},
     {big_bsr_far, Big bsr 200},
     {negbig_bsr_far, NegBig bsr 200},
     {bsl_zero, Big bsl 0},
     {zero_bsl_big_shift, id(0) bsl 100000},
     {band_neg, id(-1) band 16#FF},
     {bor_neg, id(-256) bor 15},
     {bxor_neg, id(-1) bxor 16#F0F0},
     {band_two_neg, id(-6) band id(-11)},
     {bor_two_neg, id(-6) bor id(-11)},
     {bxor_two_neg, id(-6) bxor id(-11)},
     {bnot_small, bnot id(0)},
     {bnot_neg, bnot id(-100)},
     {bnot_big, bnot Big},
     {bnot_negbig, bnot NegBig},
     {band_big, Big band (pow(2, 64) - 1)},
     {band_big_neg, NegBig band (pow(2, 80) - 1)},
     {bor_big_neg, NegBig bor pow(2, 90)},
     {bxor_big_big, Big bxor NegBig},
     {band_negbig_negbig, NegBig band -pow(7, 30)},
     {bor_negbig_negbig, NegBig bor -pow(7, 30)},
     {bxor_self, Big bxor Big},
     {band_big_to_small, (pow(2, 100) + 77) band 16#FFFF},
     {abs_big, abs(NegBig)},
     {min_max, {min(Big, NegBig), max(Big, NegBig), min(3, 3.0), max(3, 3.0)}},
     {compare_big, {pow(2, 64) > pow(2, 63), -pow(2, 64) < -1, NegBig < ?MIN_SMALL, Big > ?MAX_SMALL}},
     {big_float_eq, {pow(2, 53) == 9007199254740992.0, pow(2, 53) =:= 9007199254740992.0,
                     pow(2, 53) + 1 > 9007199254740992.0, pow(2, 64) == 18446744073709551616.0}},
     {float_of_big, float(pow(2, 64))},
     {float_of_negbig, float(NegBig)},
     {float_of_huge, ex(fun() -> float(pow(10, 400)) end)},
     {big_plus_float, pow(2, 70) + 0.5},
     {big_plus_float_overflow, ex(fun() -> pow(10, 400) + 1.0 end)},
     {to_list_big, integer_to_list(NegBig)},
     {to_list_base16, integer_to_list(Big, 16)},
     {to_list_base36_neg, integer_to_list(NegBig, 36)},
     {to_list_base2, integer_to_list(id(-37), 2)},
     {from_list_big, list_to_integer("-123456789012345678901234567890")},
     {from_list_base16, list_to_integer("-ff", 16)},
     {from_list_base36, list_to_integer("zzzzzzzzzzzzzzzz", 36)},
     {from_list_plus, list_to_integer("+42")},
     {roundtrip_bases, lists:all(fun(Base) -> list_to_integer(integer_to_list(NegBig, Base), Base) =:= NegBig end,
                                 lists:seq(2, 36))},
     {div_by_zero, ex(fun() -> id(1) div id(0) end)},
     {rem_by_zero, ex(fun() -> id(1) rem id(0) end)},
     {big_div_by_zero, ex(fun() -> Big div id(0) end)},
     {add_atom, ex(fun() -> id(a) + 1 end)},
     {div_float, ex(fun() -> id(4.0) div 2 end)},
     {band_float, ex(fun() -> id(4.0) band 2 end)},
     {bsl_float, ex(fun() -> id(4) bsl 1.0 end)},
     {bnot_float, ex(fun() -> bnot id(1.0) end)},
     {bsl_system_limit, ex(fun() -> id(1) bsl id(1 bsl 62) end)},
     {neg_atom, ex(fun() -> -id(a) end)},
     {sum_big_list, lists:sum([pow(2, I) || I <- lists:seq(0, 200)])},
     {product_list, lists:foldl(fun(X, Acc) -> X * Acc end, 1, lists:seq(1, 30))},
     {gcd, gcd(fact(50), pow(2, 100) * pow(3, 5) * 7)},
     {modpow, modpow(3, pow(10, 20) + 3, pow(10, 9) + 7)},
     {isqrt, isqrt(pow(10, 60) + 12345)},
     {apply_plus, erlang:'+'(id(?MAX_SMALL), 1)},
     {apply_times, apply(erlang, '*', [pow(2, 40), pow(2, 40)])},
     {trunc_int, {trunc(id(Big)), round(id(-7)), ceil(id(5)), floor(id(-5))}},
     {is_integer_big, {is_integer(Big), is_number(NegBig), is_float(Big)}},
     {neg_zero, {-0, id(0) =:= -id(0)}},
     {digits_sum_2_1000, lists:sum([D - $0 || D <- integer_to_list(pow(2, 1000))])}].

id(X) -> X.

%% Value of F(), or {Class, Reason} of the exception it raises.
ex(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

pow(_, 0) -> 1;
pow(B, E) when E rem 2 =:= 0 -> H = pow(B, E div 2), H * H;
pow(B, E) -> B * pow(B, E - 1).

fact(0) -> 1;
fact(N) -> N * fact(N - 1).

fib(N) -> fib(N, 0, 1).
fib(0, A, _) -> A;
fib(N, A, B) -> fib(N - 1, B, A + B).

trailing_zeros(N) when N rem 10 =:= 0 -> 1 + trailing_zeros(N div 10);
trailing_zeros(_) -> 0.

gcd(A, 0) -> A;
gcd(A, B) -> gcd(B, A rem B).

modpow(_, 0, _) -> 1;
modpow(B, E, M) when E band 1 =:= 1 -> (B * modpow(B, E - 1, M)) rem M;
modpow(B, E, M) -> H = modpow(B, E bsr 1, M), (H * H) rem M.

isqrt(N) -> isqrt(N, N).
isqrt(N, X) ->
    Y = (X + N div X) div 2,
    if Y >= X -> X; true -> isqrt(N, Y) end.
