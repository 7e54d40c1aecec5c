%% OTP's own front end running on the VM: erl_scan, erl_parse, erl_pp and
%% erl_eval on small expressions.
-module(t_eval).
-export([main/0, id/1]).

main() ->
    Term = {config, [1, 2.5, -3], "text", 'Quoted atom', #{key => [value]}, {nested, {deep}}},
    [{scan_simple, erl_scan:string("foo(X, 12) -> X + 1.5 * \"str\" ++ 'Quoted'.")},
     {scan_columns, erl_scan:string("a + B\n  * 3.", {1, 1})},
     {scan_keywords, erl_scan:string("case X of _ when true -> fun end; try catch after receive")},
     {scan_numbers, erl_scan:string("2#1010 16#ff 36#zz $a $\\n 1.0e3 1_000 007")},
     {scan_text, erl_scan:string("x = 'y'", 1, [text])},
     {scan_operators, erl_scan:string("=:= =/= == /= =< >= < > ++ -- ! <- || => := :: .. ...")},
     {scan_error_string, erl_scan:string("\"unterminated")},
     {scan_error_char, erl_scan:string("a ` b")},
     {scan_tokens_continuation, scan_in_parts(["foo(", "X) -> ", "X. bar"])},
     {scan_reserved, [erl_scan:reserved_word(W) || W <- ['case', 'of', foo, 'andalso', 'maybe']]},
     {parse_exprs, parse("X = 1 + 2 * 3, [Y || Y <- [X, 2]].")},
     {parse_term, parse_term("{a, [1, 2.5], \"s\", #{k => v}, 'A b'}.")},
     {parse_term_roundtrip, parse_term(lists:flatten(io_lib:format("~p.", [Term]))) =:= {ok, Term}},
     {parse_form, parse_form("double(X) when is_integer(X) -> X * 2; double(_) -> error.")},
     {parse_form_record, parse_form("-record(r, {a = 1, b}).")},
     {parse_error, parse("1 + .")},
     {parse_error_unbalanced, parse("foo(1, [2).")},
     {abstract, erl_parse:abstract({a, [1, 2], "str", 1.5, -7, #{x => y}})},
     {abstract_normalise, erl_parse:normalise(erl_parse:abstract({a, [1, 2], "str", 1.5, -7}))},
     {pp_expr, pp("case X of {a, Y} when Y > 0 -> Y; _ -> [Z || Z <- lists:seq(1, 10), Z rem 2 =:= 0] end.")},
     {pp_form, pp_form("f(X, Y) -> Z = X + Y, if Z > 10 -> big; true -> {small, Z} end.")},
     {eval_arith, eval("1 + 2 * 3 - 10 div 3 + 7 rem 4.")},
     {eval_bindings, eval("X = 5, Y = X * X, {X, Y}.")},
     {eval_bound_in, eval("X + Y.", [{'X', 40}, {'Y', 2}])},
     {eval_new_bindings, eval_bindings("A = 1, B = A + 1, C = [A, B].")},
     {eval_lc, eval("[X * 2 || X <- [1, 2, 3, 4], X > 1].")},
     {eval_case, eval("case {a, 1} of {a, N} when N > 0 -> N + 1; _ -> none end.")},
     {eval_if, eval("if 1 > 2 -> a; true -> b end.")},
     {eval_fun, eval("F = fun(X) -> X * 10 end, F(4).")},
     {eval_named_fun, eval("Fact = fun F(0) -> 1; F(N) -> N * F(N - 1) end, Fact(20).")},
     {eval_fun_to_lists, eval("lists:map(fun(X) -> X + 1 end, [1, 2, 3]).")},
     {eval_foldl, eval("lists:foldl(fun(X, Acc) -> X + Acc end, 0, lists:seq(1, 100)).")},
     {eval_closure, eval("N = 3, Add = fun(X) -> X + N end, [Add(I) || I <- [1, 2]].")},
     {eval_map, eval("M = #{a => 1}, M2 = M#{a := 2, b => 3}, #{b := B} = M2, {M2, B}.")},
     {eval_try, eval("try throw(x) catch throw:X -> {caught, X} after ok end.")},
     {eval_try_error, eval("try 1 div 0 catch error:R -> R end.")},
     {eval_block, eval("begin A = 1, A + 1 end.")},
     {eval_bif, eval("{element(2, {x, y}), length([a, b]), atom_to_list(abc)}.")},
     {eval_remote, eval("string:to_upper(\"abc\") ++ lists:reverse(\"fed\").")},
     {eval_literals, eval("{2#1010 + 16#ff + $a, 1.5e3 * 2, -(3) band 7, bnot 0, \"abc\" ++ \"def\"}.")},
     {eval_match_list, eval("[H | T] = [1, 2, 3], {H, T}.")},
     {eval_andalso, eval("{true andalso false, false orelse 3, not true, 1 < 2 andalso 2 < 3}.")},
     {eval_comparison, eval("{1 == 1.0, 1 =:= 1.0, a < b, [1] > {1}}.")},
     {eval_string_ops, eval("string:split(\"a,b,c\", \",\", all).")},
     {eval_nested_funs, eval("Compose = fun(F, G) -> fun(X) -> F(G(X)) end end, (Compose(fun(X) -> X + 1 end, fun(X) -> X * 2 end))(5).")},
     {eval_badarith, eval("1 div 0.")},
     {eval_badmatch, eval("{a, b} = {a, c}.")},
     {eval_rebind, eval("A = 1, A = 2.")},
     {eval_unbound, eval("X + 1.")},
     {eval_case_clause, eval("case 3 of 1 -> one end.")},
     {eval_if_clause, eval("if false -> x end.")},
     {eval_function_clause, eval("(fun(a) -> ok end)(b).")},
     {eval_undef_local, eval("no_such_local_function(1).")},
     {eval_undef_remote, eval("t_eval_no_module:f(1).")},
     {eval_throw, eval("throw(up).")},
     {eval_exit, eval("exit(out).")},
     {eval_badarity, eval_badarity("(fun(X) -> X end)(1, 2).")},
     {calculator, [calc(E) || E <- ["1 + 2", "2 * (3 + 4)", "100 / 8", "2 - 3 - 4", "-5 * -5", "1 / 0"]]}].

id(X) -> X.

scan_in_parts(Parts) ->
    scan_in_parts(Parts, [], []).

scan_in_parts([], _Cont, Acc) -> lists:reverse(Acc);
scan_in_parts([P | Ps], Cont, Acc) ->
    case erl_scan:tokens(Cont, P, 1) of
        {done, Result, Rest} -> scan_in_parts(Ps, [], [{done, Result, Rest} | Acc]);
        {more, Cont1} -> scan_in_parts(Ps, Cont1, [more | Acc])
    end.

parse(S) ->
    {ok, Tokens, _} = erl_scan:string(S),
    erl_parse:parse_exprs(Tokens).

parse_term(S) ->
    {ok, Tokens, _} = erl_scan:string(S),
    erl_parse:parse_term(Tokens).

parse_form(S) ->
    {ok, Tokens, _} = erl_scan:string(S),
    erl_parse:parse_form(Tokens).

pp(S) ->
    {ok, [Expr]} = parse(S),
    lists:flatten(erl_pp:expr(Expr)).

pp_form(S) ->
    {ok, Form} = parse_form(S),
    lists:flatten(erl_pp:form(Form)).

%% Value of the expressions in S, or {Class, Reason} of what they raise.
eval(S) -> eval(S, []).

eval(S, Bound) ->
    {ok, Exprs} = parse(S),
    Bindings = lists:foldl(fun({Name, Value}, B) -> erl_eval:add_binding(Name, Value, B) end,
                           erl_eval:new_bindings(), Bound),
    try erl_eval:exprs(Exprs, Bindings) of
        {value, Value, _} -> Value
    catch
        Class:Reason -> {Class, Reason}
    end.

eval_bindings(S) ->
    {ok, Exprs} = parse(S),
    {value, Value, Bindings} = erl_eval:exprs(Exprs, erl_eval:new_bindings()),
    {Value, lists:sort(erl_eval:bindings(Bindings))}.

%% erl_eval's badarity reason holds the interpreted fun; keep the arguments.
eval_badarity(S) ->
    {ok, Exprs} = parse(S),
    try erl_eval:exprs(Exprs, erl_eval:new_bindings()) of
        {value, Value, _} -> Value
    catch
        error:{badarity, {Fun, Args}} -> {badarity, is_function(Fun), Args}
    end.

%% A calculator that borrows Erlang's own expression syntax: scan and parse
%% with OTP, then evaluate the abstract syntax tree itself.
calc(S) ->
    {ok, [Expr]} = parse(S ++ "."),
    try calc_expr(Expr) catch error:badarith -> division_by_zero end.

calc_expr({integer, _, N}) -> N;
calc_expr({op, _, '-', E}) -> -calc_expr(E);
calc_expr({op, _, '+', A, B}) -> calc_expr(A) + calc_expr(B);
calc_expr({op, _, '-', A, B}) -> calc_expr(A) - calc_expr(B);
calc_expr({op, _, '*', A, B}) -> calc_expr(A) * calc_expr(B);
calc_expr({op, _, '/', A, B}) -> calc_expr(A) / calc_expr(B).
