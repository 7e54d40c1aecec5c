%% Workload: a small language implemented in Erlang. A tokenizer and a
%% recursive-descent parser produce an AST; a tree-walking evaluator with
%% closures and a compiler to a stack machine run the same programs. A JSON
%% reader and writer over strings complete the text-processing side.
-module(w_interp).
-export([main/0]).

main() ->
    Programs = programs(),
    [{tokens, tokenize("let x = 3 * (4 + 5) in if x > 20 then x else 0 - x")},
     {ast, parse("let f = fun n -> n * 2 in f(21)")},
     {eval, [{Name, eval_program(Src)} || {Name, Src} <- Programs]},
     {vm, [{Name, vm_program(Src)} || {Name, Src} <- Programs, not uses_funs(Src)]},
     {vm_code, compile(parse("1 + 2 * 3 - 4"))},
     {eval_errors, [eval_program(Src) || Src <- ["1 / 0", "y + 1", "3(4)", "let f = fun x -> x in f(1, 2)"]]},
     {parse_errors, [catch_parse(Src) || Src <- ["1 +", "let x = in 3", "(1 + 2", "1 2"]]},
     {json_parse, json_parse("{\"name\": \"oxbeam\", \"version\": [0, 1, 2], \"ok\": true, \"none\": null,"
                             " \"pi\": 3.25, \"neg\": -17, \"nested\": {\"a\": [], \"b\": {}}, \"esc\": \"q\\\"\\n\"}")},
     {json_roundtrip, json_roundtrip()},
     {json_print, json_print(#{<<"list">> => [1, 2.5, <<"x">>], <<"flag">> => false, <<"n">> => null})},
     {rpn, [rpn(S) || S <- ["3 4 + 2 *", "5 1 2 + 4 * + 3 -", "2 3 ^ 2 ^", "10 3 /"]]},
     {brainfuck, brainfuck("++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>.<-.<.+++.------.--------.>>+.")}].

programs() ->
    [{arith, "1 + 2 * 3 - 4 / 2"},
     {precedence, "(1 + 2) * (3 + 4) - 2 * 3 * 4"},
     {comparison, "if 3 < 4 then 10 else 20"},
     {let_nested, "let a = 5 in let b = a * a in b - a"},
     {shadowing, "let x = 1 in let x = x + 10 in x * 2"},
     {closure, "let n = 10 in let add = fun x -> x + n in add(5)"},
     {higher_order, "let twice = fun f -> fun x -> f(f(x)) in let inc = fun x -> x + 1 in twice(twice(inc))(0)"},
     {recursion, "letrec fact = fun n -> if n < 2 then 1 else n * fact(n - 1) in fact(25)"},
     {fib, "letrec fib = fun n -> if n < 2 then n else fib(n - 1) + fib(n - 2) in fib(18)"},
     {multi_arg, "let add3 = fun a b c -> a * 100 + b * 10 + c in add3(1, 2, 3)"},
     {loop_sum, "letrec sum = fun i acc -> if i == 0 then acc else sum(i - 1, acc + i) in sum(10000, 0)"},
     {big_numbers, "letrec pow = fun b e -> if e == 0 then 1 else b * pow(b, e - 1) in pow(2, 100)"},
     {conditionals, "if 1 == 1 then if 2 > 3 then 1 else 2 else 3"},
     {integer_div, "17 / 5 * 5 + 17 % 5"}].

uses_funs(Src) -> string:find(Src, "fun") =/= nomatch.

%% --- tokenizer -------------------------------------------------------------

tokenize([]) -> [];
tokenize([C | Rest]) when C =:= $\s; C =:= $\n; C =:= $\t -> tokenize(Rest);
tokenize([C | _] = S) when C >= $0, C =< $9 ->
    {Digits, Rest} = lists:splitwith(fun(D) -> D >= $0 andalso D =< $9 end, S),
    [{int, list_to_integer(Digits)} | tokenize(Rest)];
tokenize([C | _] = S) when C >= $a, C =< $z ->
    {Word, Rest} = lists:splitwith(fun(D) -> (D >= $a andalso D =< $z) orelse (D >= $0 andalso D =< $9) end, S),
    [word(Word) | tokenize(Rest)];
tokenize("->" ++ Rest) -> ['->' | tokenize(Rest)];
tokenize("==" ++ Rest) -> ['==' | tokenize(Rest)];
tokenize([C | Rest]) -> [list_to_atom([C]) | tokenize(Rest)].

word(W) ->
    case lists:member(W, ["let", "letrec", "in", "if", "then", "else", "fun"]) of
        true -> list_to_atom(W);
        false -> {id, W}
    end.

%% --- parser ------------------------------------------------------------------
%% expr    := let | letrec | if | fun | compare
%% compare := sum (('<' | '>' | '==') sum)?
%% sum     := term (('+' | '-') term)*
%% term    := app (('*' | '/' | '%') app)*
%% app     := atom ('(' args ')')*

parse(Src) ->
    case expr(tokenize(Src)) of
        {E, []} -> E;
        {_, Rest} -> error({trailing_tokens, Rest})
    end.

catch_parse(Src) ->
    try parse(Src) catch error:Reason -> {parse_error, Reason} end.

expr(['let', {id, X}, '=' | T]) ->
    {V, ['in' | T2]} = expect_in(expr(T)),
    {B, T3} = expr(T2),
    {{'let', X, V, B}, T3};
expr(['letrec', {id, X}, '=' | T]) ->
    {V, ['in' | T2]} = expect_in(expr(T)),
    {B, T3} = expr(T2),
    {{letrec, X, V, B}, T3};
expr(['if' | T]) ->
    {C, ['then' | T2]} = expr(T),
    {A, ['else' | T3]} = expr(T2),
    {B, T4} = expr(T3),
    {{'if', C, A, B}, T4};
expr(['fun' | T]) ->
    {Params, ['->' | T2]} = lists:splitwith(fun(Tok) -> Tok =/= '->' end, T),
    {Body, T3} = expr(T2),
    {{'fun', [P || {id, P} <- Params], Body}, T3};
expr(T) ->
    {L, T2} = sum(T),
    case T2 of
        [Op | T3] when Op =:= '<'; Op =:= '>'; Op =:= '==' -> {R, T4} = sum(T3), {{op, Op, L, R}, T4};
        _ -> {L, T2}
    end.

expect_in({_, ['in' | _]} = R) -> R;
expect_in({_, Rest}) -> error({expected_in, Rest}).

sum(T) -> {L, T2} = term(T), sum_rest(L, T2).

sum_rest(L, [Op | T]) when Op =:= '+'; Op =:= '-' -> {R, T2} = term(T), sum_rest({op, Op, L, R}, T2);
sum_rest(L, T) -> {L, T}.

term(T) -> {L, T2} = app(T), term_rest(L, T2).

term_rest(L, [Op | T]) when Op =:= '*'; Op =:= '/'; Op =:= '%' -> {R, T2} = app(T), term_rest({op, Op, L, R}, T2);
term_rest(L, T) -> {L, T}.

app(T) -> {F, T2} = atom_expr(T), app_rest(F, T2).

app_rest(F, ['(' | T]) ->
    {Args, T2} = args(T, []),
    app_rest({call, F, Args}, T2);
app_rest(F, T) -> {F, T}.

args([')' | T], []) -> {[], T};
args(T, Acc) ->
    {A, T2} = expr(T),
    case T2 of
        [',' | T3] -> args(T3, [A | Acc]);
        [')' | T3] -> {lists:reverse([A | Acc]), T3};
        _ -> error({bad_args, T2})
    end.

atom_expr([{int, N} | T]) -> {{int, N}, T};
atom_expr([{id, X} | T]) -> {{var, X}, T};
atom_expr(['(' | T]) ->
    case expr(T) of
        {E, [')' | T2]} -> {E, T2};
        {_, Rest} -> error({expected_close, Rest})
    end;
atom_expr(T) -> error({unexpected, T}).

%% --- tree-walking evaluator --------------------------------------------------

eval_program(Src) ->
    try eval(parse(Src), #{}) of
        {closure, _, _, _} -> closure;
        V -> V
    catch
        throw:{runtime, Why} -> {runtime_error, Why}
    end.

eval({int, N}, _) -> N;
eval({var, X}, Env) ->
    case Env of
        #{X := {rec, F}} -> F();
        #{X := V} -> V;
        _ -> throw({runtime, {unbound, X}})
    end;
eval({op, Op, L, R}, Env) -> binop(Op, eval(L, Env), eval(R, Env));
eval({'let', X, V, B}, Env) -> eval(B, Env#{X => eval(V, Env)});
eval({letrec, X, V, B}, Env) ->
    Self = fun Self() -> eval(V, Env#{X => {rec, Self}}) end,
    eval(B, Env#{X => {rec, Self}});
eval({'if', C, A, B}, Env) ->
    case eval(C, Env) of
        true -> eval(A, Env);
        false -> eval(B, Env);
        Other -> throw({runtime, {not_boolean, Other}})
    end;
eval({'fun', Params, Body}, Env) -> {closure, Params, Body, Env};
eval({call, F, Args}, Env) ->
    case eval(F, Env) of
        {closure, Params, Body, CEnv} when length(Params) =:= length(Args) ->
            Bound = maps:from_list(lists:zip(Params, [eval(A, Env) || A <- Args])),
            eval(Body, maps:merge(CEnv, Bound));
        {closure, Params, _, _} -> throw({runtime, {arity, length(Params), length(Args)}});
        Other -> throw({runtime, {not_a_function, Other}})
    end.

binop('+', A, B) -> A + B;
binop('-', A, B) -> A - B;
binop('*', A, B) -> A * B;
binop('/', _, 0) -> throw({runtime, division_by_zero});
binop('/', A, B) -> A div B;
binop('%', A, B) -> A rem B;
binop('<', A, B) -> A < B;
binop('>', A, B) -> A > B;
binop('==', A, B) -> A =:= B.

%% --- compiler to a stack machine (first-order programs) ---------------------
%% Instructions: {push, N}, {load, X}, {store, X}, {op, Op}, {jump_if_false, L},
%% {jump, L}, {label, L}; variables live in a map, labels are resolved first.

vm_program(Src) ->
    Code = compile(parse(Src)),
    run(list_to_tuple(Code), labels(Code), 1, [], #{}).

compile(Ast) -> {Code, _} = comp(Ast, 0), Code.

comp({int, N}, L) -> {[{push, N}], L};
comp({var, X}, L) -> {[{load, X}], L};
comp({op, Op, A, B}, L) ->
    {CA, L1} = comp(A, L),
    {CB, L2} = comp(B, L1),
    {CA ++ CB ++ [{op, Op}], L2};
comp({'let', X, V, B}, L) ->
    {CV, L1} = comp(V, L),
    {CB, L2} = comp(B, L1),
    {CV ++ [{store, X}] ++ CB, L2};
comp({'if', C, A, B}, L) ->
    Else = L, End = L + 1,
    {CC, L1} = comp(C, L + 2),
    {CA, L2} = comp(A, L1),
    {CB, L3} = comp(B, L2),
    {CC ++ [{jump_if_false, Else}] ++ CA ++ [{jump, End}, {label, Else}] ++ CB ++ [{label, End}], L3}.

labels(Code) ->
    maps:from_list([{L, I} || {I, {label, L}} <- lists:zip(lists:seq(1, length(Code)), Code)]).

run(Code, _, PC, [Top], _) when PC > tuple_size(Code) -> Top;
run(Code, Labels, PC, Stack, Vars) ->
    case element(PC, Code) of
        {push, N} -> run(Code, Labels, PC + 1, [N | Stack], Vars);
        {load, X} -> run(Code, Labels, PC + 1, [maps:get(X, Vars) | Stack], Vars);
        {store, X} -> [V | S] = Stack, run(Code, Labels, PC + 1, S, Vars#{X => V});
        {op, Op} -> [B, A | S] = Stack, run(Code, Labels, PC + 1, [binop(Op, A, B) | S], Vars);
        {jump_if_false, L} ->
            [C | S] = Stack,
            run(Code, Labels, case C of true -> PC + 1; false -> maps:get(L, Labels) end, S, Vars);
        {jump, L} -> run(Code, Labels, maps:get(L, Labels), Stack, Vars);
        {label, _} -> run(Code, Labels, PC + 1, Stack, Vars)
    end.

%% --- JSON over strings (objects as maps with binary keys) --------------------

json_parse(S) ->
    {V, Rest} = json_value(skip_ws(S)),
    [] = skip_ws(Rest),
    V.

json_value("{" ++ T) -> json_object(skip_ws(T), #{});
json_value("[" ++ T) -> json_array(skip_ws(T), []);
json_value("\"" ++ T) -> {S, Rest} = json_string(T, []), {list_to_binary(S), Rest};
json_value("true" ++ T) -> {true, T};
json_value("false" ++ T) -> {false, T};
json_value("null" ++ T) -> {null, T};
json_value(T) -> json_number(T).

json_object("}" ++ T, Acc) -> {Acc, T};
json_object(T, Acc) ->
    {K, T2} = json_value(T),
    ":" ++ T3 = skip_ws(T2),
    {V, T4} = json_value(skip_ws(T3)),
    case skip_ws(T4) of
        "," ++ T5 -> json_object(skip_ws(T5), Acc#{K => V});
        "}" ++ T5 -> {Acc#{K => V}, T5}
    end.

json_array("]" ++ T, []) -> {[], T};
json_array(T, Acc) ->
    {V, T2} = json_value(T),
    case skip_ws(T2) of
        "," ++ T3 -> json_array(skip_ws(T3), [V | Acc]);
        "]" ++ T3 -> {lists:reverse([V | Acc]), T3}
    end.

json_string("\"" ++ T, Acc) -> {lists:reverse(Acc), T};
json_string("\\n" ++ T, Acc) -> json_string(T, [$\n | Acc]);
json_string("\\\"" ++ T, Acc) -> json_string(T, [$" | Acc]);
json_string("\\\\" ++ T, Acc) -> json_string(T, [$\\ | Acc]);
json_string([C | T], Acc) -> json_string(T, [C | Acc]).

json_number(T) ->
    {Num, Rest} = lists:splitwith(fun(C) -> lists:member(C, "-+.eE0123456789") end, T),
    case lists:member($., Num) of
        true -> {list_to_float(Num), Rest};
        false -> {list_to_integer(Num), Rest}
    end.

skip_ws([C | T]) when C =:= $\s; C =:= $\n; C =:= $\t; C =:= $\r -> skip_ws(T);
skip_ws(T) -> T.

json_print(V) -> lists:flatten(json_out(V)).

json_out(true) -> "true";
json_out(false) -> "false";
json_out(null) -> "null";
json_out(N) when is_integer(N) -> integer_to_list(N);
json_out(F) when is_float(F) -> float_to_list(F, [short]);
json_out(B) when is_binary(B) -> [$", json_escape(binary_to_list(B)), $"];
json_out(L) when is_list(L) -> [$[, lists:join($,, [json_out(X) || X <- L]), $]];
json_out(M) when is_map(M) ->
    [${, lists:join($,, [[json_out(K), $:, json_out(V)] || {K, V} <- lists:sort(maps:to_list(M))]), $}].

json_escape(S) -> lists:flatmap(fun($") -> "\\\""; ($\n) -> "\\n"; ($\\) -> "\\\\"; (C) -> [C] end, S).

json_roundtrip() ->
    Doc = #{<<"users">> => [#{<<"id">> => I, <<"name">> => list_to_binary("user" ++ integer_to_list(I)),
                              <<"score">> => I * 1.5, <<"tags">> => [<<"a">>, <<"b\"q">>]} || I <- lists:seq(1, 5)],
            <<"count">> => 5, <<"meta">> => #{<<"empty">> => [], <<"none">> => null}},
    Text = json_print(Doc),
    {length(Text), json_parse(Text) =:= Doc}.

%% --- small stack languages ---------------------------------------------------

rpn(S) ->
    [Result] = lists:foldl(fun rpn_step/2, [], string:lexemes(S, " ")),
    Result.

rpn_step("+", [B, A | S]) -> [A + B | S];
rpn_step("-", [B, A | S]) -> [A - B | S];
rpn_step("*", [B, A | S]) -> [A * B | S];
rpn_step("/", [B, A | S]) -> [A / B | S];
rpn_step("^", [B, A | S]) -> [pow(A, B) | S];
rpn_step(N, S) -> [list_to_integer(N) | S].

pow(_, 0) -> 1;
pow(A, B) -> A * pow(A, B - 1).

%% Brainfuck with a zipper tape; output collected as a string.
brainfuck(Prog) ->
    Code = list_to_tuple(Prog),
    bf(Code, 1, jumps(Prog), {[], 0, []}, []).

bf(Code, PC, _, _, Out) when PC > tuple_size(Code) -> lists:reverse(Out);
bf(Code, PC, J, {L, C, R} = Tape, Out) ->
    case element(PC, Code) of
        $+ -> bf(Code, PC + 1, J, {L, (C + 1) band 255, R}, Out);
        $- -> bf(Code, PC + 1, J, {L, (C - 1) band 255, R}, Out);
        $> -> bf(Code, PC + 1, J, case R of [] -> {[C | L], 0, []}; [H | T] -> {[C | L], H, T} end, Out);
        $< -> bf(Code, PC + 1, J, case L of [] -> {[], 0, [C | R]}; [H | T] -> {T, H, [C | R]} end, Out);
        $. -> bf(Code, PC + 1, J, Tape, [C | Out]);
        $[ when C =:= 0 -> bf(Code, maps:get(PC, J) + 1, J, Tape, Out);
        $] when C =/= 0 -> bf(Code, maps:get(PC, J) + 1, J, Tape, Out);
        _ -> bf(Code, PC + 1, J, Tape, Out)
    end.

jumps(Prog) -> jumps(Prog, 1, [], #{}).

jumps([], _, [], J) -> J;
jumps([$[ | T], I, Stack, J) -> jumps(T, I + 1, [I | Stack], J);
jumps([$] | T], I, [Open | Stack], J) -> jumps(T, I + 1, Stack, J#{Open => I, I => Open});
jumps([_ | T], I, Stack, J) -> jumps(T, I + 1, Stack, J).
