%% Floats: arithmetic, conversions, rounding, float_to_list/1,2 and
%% io_lib:format of floats, badarith on overflow.
-module(t_float).
-export([main/0, id/1]).

main() ->
    Samples = samples(),
    [{add, id(0.1) + id(0.2)},
     {sub, id(1.0) - id(0.9)},
     {mul, id(1.1) * id(1.1)},
     {divide, id(1) / id(3)},
     {divide_exact, id(6) / id(3)},
     {divide_neg, id(-7) / id(2)},
     {int_plus_float, id(1) + id(0.5)},
     {float_eq_int, {id(1.0) == 1, id(1.0) =:= 1, id(1.0) /= 1, id(1.0) =/= 1}},
     {zero_signs, {id(0.0) == id(-0.0), id(0.0) =:= id(-0.0), -id(0.0)}},
     {neg_zero_mul, id(-1.0) * id(0.0)},
     {float_1, [float(X) || X <- [0, 1, -1, 123456789, 1 bsl 62, -(1 bsl 70), 3.5]]},
     {round, [round(X) || X <- [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, 1.0e20, -1.0e20]]},
     {trunc, [trunc(X) || X <- [2.7, -2.7, 0.1, -0.1, 1.0e19, 1.0e300]]},
     {ceil, [ceil(X) || X <- [2.1, -2.1, 2.0, -0.5, 1.0e17]]},
     {floor, [floor(X) || X <- [2.9, -2.1, -2.0, 0.5, -1.0e17]]},
     {math_floor_ceil, [math:floor(-2.5), math:ceil(-2.5), math:floor(3), math:ceil(3.0001)]},
     {abs, [abs(id(-1.5)), abs(id(2.25)), abs(id(-0.0))]},
     {min_max, [min(id(1), id(1.0)), max(id(1), id(1.0)), min(id(2.0), id(1)), max(id(-0.0), id(0.0))]},
     {math, [math:sqrt(2), math:pow(2, 0.5), math:exp(1), math:log(10), math:log2(1024),
             math:log10(1000), math:sin(1), math:cos(1), math:tan(0.5), math:atan(1),
             math:atan2(1, -1), math:pi(), math:sqrt(1.0e300)]},
     {precision_loss, {id(1.0e16) + 1.0, id(1.0e16) + 2.0, id(9007199254740993) + 0.0}},
     {overflow_mul, ex(fun() -> id(1.0e308) * 10 end)},
     {overflow_add, ex(fun() -> id(1.7976931348623157e308) + id(1.7976931348623157e308) end)},
     {overflow_pow, ex(fun() -> math:pow(10, id(400)) end)},
     {overflow_exp, ex(fun() -> math:exp(id(1000)) end)},
     {div_zero, ex(fun() -> id(1.0) / id(0.0) end)},
     {div_zero_int, ex(fun() -> id(1) / id(0) end)},
     {div_neg_zero, ex(fun() -> id(1.0) / id(-0.0) end)},
     {sqrt_neg, ex(fun() -> math:sqrt(id(-1)) end)},
     {log_zero, ex(fun() -> math:log(id(0)) end)},
     {float_atom, ex(fun() -> float(id(a)) end)},
     {round_atom, ex(fun() -> round(id("1.5")) end)},
     {underflow, id(1.0e-300) * id(1.0e-300)},
     {denormal, id(5.0e-324) / 2},
     {float_to_list_1, [float_to_list(X) || X <- Samples]},
     {float_to_list_short, [float_to_list(X, [short]) || X <- Samples]},
     {float_to_list_decimals, [float_to_list(X, [{decimals, D}]) || X <- [0.1, 2.5, -1.005, 123.456, 1.0e10],
                                                                    D <- [0, 1, 3, 10]]},
     {float_to_list_compact, [float_to_list(X, [{decimals, 6}, compact]) || X <- [0.1, 2.5, 100.0, 1.0e-7, 0.125]]},
     {float_to_list_scientific, [float_to_list(X, [{scientific, D}]) || X <- [0.1, 12345.678, -1.0e-10],
                                                                       D <- [0, 2, 5, 17]]},
     {float_to_list_big_decimals, float_to_list(1.0e20, [{decimals, 2}])},
     {float_to_list_badarg, ex(fun() -> float_to_list(id(1.0), [{decimals, 300}]) end)},
     {list_to_float, [list_to_float(S) || S <- ["1.5", "-0.0", "1.0e10", "2.5E-3", "123.456e+2"]]},
     {list_to_float_bad, [ex(fun() -> list_to_float(S) end) || S <- ["1", "1.", ".5", "1e5", "abc"]]},
     {format_w, fmt("~w", Samples)},
     {format_p, fmt("~p", Samples)},
     {format_f, fmt("~f", Samples)},
     {format_e, fmt("~e", Samples)},
     {format_g, fmt("~g", Samples)},
     {format_f_prec, [fmt1("~.2f", X) || X <- [3.14159, -2.675, 0.005, 1.0e6, 0.0]]},
     {format_f_width, [fmt1("~10.3f|", X) || X <- [3.14159, -2.675, 123456.789]]},
     {format_e_prec, [fmt1("~.3e", X) || X <- [3.14159, -0.000123, 1.0e100]]},
     {format_g_prec, [fmt1("~.3g", X) || X <- [3.14159, 0.0001, 123456.0, 1.0e-5]]},
     {format_f_int_arg, ex(fun() -> fmt1("~f", id(1)) end)},
     {sum, lists:sum([X / 10 || X <- lists:seq(1, 100)])},
     {harmonic, lists:foldl(fun(N, Acc) -> Acc + 1 / N end, 0.0, lists:seq(1, 1000))},
     {newton_sqrt2, newton(2.0, 1.0, 20)},
     {is_float, [is_float(X) || X <- [1.0, 1, -0.0, 1.0e300]]},
     {float_vs_big, {1.0e30 < (1 bsl 100), 1.0e31 > (1 bsl 100), 1.2676506002282294e30 == (1 bsl 100)}},
     {sort_mixed, lists:sort([3, 2.5, -1, -1.0, 1.0e10, 0, 0.0, -0.0, 2])}].

id(X) -> X.

%% Value of F(), or {Class, Reason} of the exception it raises.
ex(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

samples() ->
    [0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 100.0, 0.5, 1.5, 1.0e15, 1.0e16,
     123456789012345680.0, 1.0e22, 1.0e23, 1.0e-5, 0.0001, 5.0e-324, 2.2250738585072014e-308,
     1.7976931348623157e308, 3.141592653589793, 2.718281828459045, -123.456, 9007199254740992.0,
     0.1 + 0.2, 1.0e100, 1.234e-100, 4.35, 0.07, 1000000.0, 12345678.9].

fmt(Format, Xs) -> [fmt1(Format, X) || X <- Xs].

fmt1(Format, X) -> lists:flatten(io_lib:format(Format, [X])).

newton(_, X, 0) -> X;
newton(A, X, N) -> newton(A, (X + A / X) / 2, N - 1).
