%% io_lib:format/2 with every control sequence, field widths, precisions,
%% padding and adjustment, and the other io_lib writers.
-module(t_format).
-export([main/0, id/1]).

main() ->
    Nested = {config, [{name, "server"}, {port, 8080}, {hosts, ["alpha.example.org", "beta.example.org",
              "gamma.example.org"]}, {limits, #{max => 1000, min => 1}}, {ratio, 0.75}, {flags, [a, b, c]}]},
    Long = lists:seq(1, 40),
    [{tilde_w, f("~w", [{atom, "str", 1.5, [1, 2], {}, #{k => v}}])},
     {tilde_p, f("~p", [{atom, "str", 1.5, [1, 2], {}, #{k => v}}])},
     {tilde_p_nested, f("~p", [Nested])},
     {tilde_p_long_list, f("~p", [Long])},
     {tilde_p_width, f("~40p", [Nested])},
     {tilde_p_string_list, f("~p", [["abc", "def", [104, 105, 1000]]])},
     {tilde_lp, f("~lp", [["abc", "def"]])},
     {tilde_tp_unicode, f("~tp", [[955, 8364]])},
     {tilde_p_unicode, f("~p", [[955, 8364]])},
     {tilde_p_latin1, f("~p", ["åäö"])},
     {tilde_P_depth, f("~P", [Nested, 5])},
     {tilde_W_depth, f("~W", [Long, 6])},
     {tilde_p_improper, f("~p ~w", [[1, 2 | 3], [a | b]])},
     {tilde_p_quoted_atoms, f("~p ~w ~p ~p ~p", ['hello world', 'Cap', '', 'a\'b', 'é'])},
     {tilde_p_special_atoms, f("~w ~w ~w ~w", ['[]', '{}', 'and', 'fun'])},
     {tilde_p_negative, f("~p ~w", [[-1, -2.5], {-3}])},
     {tilde_p_map_nested, f("~p", [#{a => #{b => [1, 2]}, "k" => {x}}])},
     {tilde_s, f("~s|~s|~s", ["abc", abc, ["a", ["b", [$c]]]])},
     {tilde_s_width, f("~10s|~-10s|~3s|~.2s|~5.2s|", ["abc", "abc", "abcdef", "abcdef", "abcdef"])},
     {tilde_s_pad, f("~10.3.*s|", [$., "abcdef"])},
     {tilde_ts, f("~ts|~10ts|", [[955, 8364], [1046]])},
     {tilde_c, f("~c|~5c|~-3c|~.3c|", [$a, $b, $c, $d])},
     {tilde_tc, f("~tc", [955])},
     {tilde_e, f("~e|~.2e|~12.4e|~-12.3e|", [3.14159, 3.14159, -3.14159, 31.4159])},
     {tilde_f, f("~f|~.1f|~.1f|~10.2f|~-10.2f|~010.3f|", [3.14159, 2.5, 0.05, -1.5, 1.5, 3.14159])},
     {tilde_f_pad, f("~10.2.xf|~*.*f|", [1.5, 8, 3, 2.0])},
     {tilde_g, f("~g|~.3g|~g|~g|~g|", [3.14159, 3.14159, 1.0e-10, 1.0e20, 100.0])},
     {tilde_b, f("~b|~.2b|~.16b|~.36b|~8b|~-8b|~8.2.0b|", [255, 5, 255, 35, 42, 42, 5])},
     {tilde_B, f("~B|~.16B|~.2B|~B|", [-255, -255, 10, 1 bsl 70])},
     {tilde_x, f("~x|~.16x|~.16X|~8.16.0X|", [255, "p", 255, "0x", 255, "#", 255, "$"])},
     {tilde_hash, f("~#|~.16#|~.2#|~.36#|", [255, 255, -5, 1295])},
     {tilde_plus, f("~+|~.16+|~.2+|", [255, 255, -5])},
     {tilde_i, f("a~ib~ic", [ignored, {also, ignored}])},
     {tilde_n, f("line1~nline2~n", [])},
     {tilde_tilde, f("100~~ ~~w", [])},
     {star_width, f("~*w|~-*w|~.*f|", [6, abc, 6, abc, 2, 1.23456])},
     {width_too_small, f("~3w|~2w|~1p|", [12345, abc, [1, 2]])},
     {numbers_as_w, f("~w ~w ~w ~w ~w", [0, -0, 1 bsl 80, -1.5e-7, 0.1])},
     {float_p_list, f("~p", [[0.1, 1.0e22, 5.0e-324, -0.0, 123.456]])},
     {binary_w, f("~w ~w ~w", [<<>>, <<1, 2, 3>>, <<1:4>>])},
     {binary_p, f("~p ~p", [<<"text">>, <<200, 1>>])},
     {many_args, f("~w~w~w~w~w~w~w~w~w~w", lists:seq(1, 10))},
     {fwrite, lists:flatten(io_lib:fwrite("~w-~w", [a, b]))},
     {write, lists:flatten(io_lib:write({a, [1, 2], "s"}))},
     {write_depth, lists:flatten(io_lib:write(Long, 5))},
     {print, lists:flatten(io_lib:print(Nested))},
     {write_atom, [lists:flatten(io_lib:write_atom(A)) || A <- [abc, 'A', 'a b', '', 'ok?', 'é', 'λ']]},
     {write_string, [lists:flatten(io_lib:write_string(S)) || S <- ["abc", "a\"b", "tab\there", "nl\n", [0, 7, 127]]]},
     {write_char, [lists:flatten(io_lib:write_char(C)) || C <- [$a, $\n, $\s, 0, $\\]]},
     {quote_atom, [io_lib:quote_atom(A, atom_to_list(A)) || A <- [abc, 'A', 'a-b']]},
     {char_list, [io_lib:char_list(X) || X <- ["abc", [a], [-1], [1114112]]]},
     {deep_char_list, [io_lib:deep_char_list(X) || X <- [["a", ["b"]], [[a]]]]},
     {latin1_char_list, [io_lib:latin1_char_list(X) || X <- ["abc", [955]]]},
     {printable, [io_lib:printable_list(X) || X <- ["abc\n", [200], [1000], [7], [8]]]},
     {nl, io_lib:nl()},
     {indentation, io_lib:indentation("ab\tcd", 2)},
     {build_text, lists:flatten(io_lib:build_text(io_lib:scan_format("~w and ~s", [x, "y"])))},
     {format_table, format_table([{"apples", 3, 0.5}, {"kiwis", 12, 0.25}, {"watermelons", 1, 3.0}])},
     {bad_args, [ex(fun() -> f(Fmt, Args) end) || {Fmt, Args} <- [{"~w", []}, {"~w", [a, b]}, {"~d", [1]},
                                                                   {"~s", [1]}, {"~f", [1]}, {"~c", [a]},
                                                                   {"~a", [abc]}, {"~b", [1.0]}, {"~q", [1]},
                                                                   {"~.0f", [2.5]}]]}].

id(X) -> X.

%% Value of F(), or {Class, Reason} of the exception it raises.
ex(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

f(Format, Args) -> lists:flatten(io_lib:format(Format, Args)).

format_table(Rows) ->
    Header = f("~-12s~6s~8s~n", ["fruit", "count", "price"]),
    Lines = [f("~-12s~6B~8.2f~n", [Name, Count, Price]) || {Name, Count, Price} <- Rows],
    Total = f("~-12s~6B~8.2f~n", ["total", lists:sum([C || {_, C, _} <- Rows]),
                                  lists:sum([C * P || {_, C, P} <- Rows])]),
    lists:append([Header | Lines] ++ [Total]).
