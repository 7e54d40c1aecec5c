%% OTP's re module: run/2,3 and compile/1,2 with every compile and run
%% option, captures of every kind (indexes, names, duplicated names, unset
%% groups), global matches (empty ones included), unicode subjects and
%% patterns given as binaries, iolists and character lists, compile errors
%% and bad arguments; then replace/3,4 and split/2,3 (re.erl's own code
%% over run), and inspect/2. A compiled pattern's binary differs from erl's
%% (erl's holds PCRE's code), so only the rest of the tuple is compared.
-module(t_re).
-export([main/0]).

%% The result of F, or the exception without its stack trace.
r(F) ->
    try F()
    catch C:R -> {C, R}
    end.

%% A compile result with the pattern's binary left out.
shape({ok, {re_pattern, N, U, C, B}}) when is_binary(B) -> {ok, {re_pattern, N, U, C}};
shape(Other) -> Other.

mp(RE) -> mp(RE, []).
mp(RE, Opts) ->
    {ok, MP} = re:compile(RE, Opts),
    MP.

main() ->
    basic() ++ captures() ++ names() ++ compile_options() ++ run_options()
        ++ newlines() ++ global() ++ unicode() ++ errors() ++ replace() ++ split()
        ++ limits() ++ latin1() ++ misc() ++ error_causes().

%% The error_info cause of a badarg: `badopt` for options re refuses.
cause(F) ->
    try F() of
        Result -> {returned, Result}
    catch
        error:Reason:Stack ->
            [{_, _, _, Location} | _] = Stack,
            Info = proplists:get_value(error_info, Location, #{}),
            {Reason, maps:get(cause, Info, none)}
    end.

error_causes() ->
    {ok, MP} = re:compile("a"),
    [{cause_bad_run_option, cause(fun() -> re:run("a", "a", [bad]) end)},
     {cause_bad_compile_option, cause(fun() -> re:compile("a", [bad]) end)},
     {cause_run_option_in_compile, cause(fun() -> re:compile("a", [global]) end)},
     {cause_exec_option_in_compile, cause(fun() -> re:compile("a", [notbol]) end)},
     {cause_bad_capture, cause(fun() -> re:run("a", "a", [{capture, bad}]) end)},
     {cause_bad_capture_type, cause(fun() -> re:run("a", "a", [{capture, all, bad}]) end)},
     {cause_negative_offset, cause(fun() -> re:run("a", "a", [{offset, -1}]) end)},
     {cause_bad_newline, cause(fun() -> re:run("a", "a", [{newline, bad}]) end)},
     {cause_options_not_list, cause(fun() -> re:run("a", "a", bad) end)},
     {cause_improper_options, cause(fun() -> re:run("a", "a", [caseless | bad]) end)},
     {cause_compile_options_not_list, cause(fun() -> re:compile("a", bad) end)},
     {cause_compiled_unicode_mismatch, cause(fun() -> re:run("a", MP, [unicode]) end)},
     {cause_compile_option_with_mp, cause(fun() -> re:run("a", MP, [caseless]) end)},
     {cause_bad_subject, cause(fun() -> re:run(1, "a") end)},
     {cause_bad_pattern_type, cause(fun() -> re:run("a", 1) end)},
     {cause_bad_pattern, cause(fun() -> re:run("a", "(") end)},
     {cause_bad_compile_newline, cause(fun() -> re:compile("a", [{newline, x}]) end)},
     {cause_negative_limit, cause(fun() -> re:run("a", "a", [{match_limit, -1}]) end)}].

basic() ->
    [{plain, re:run("abcde", "cd")},
     {nomatch, re:run("abcde", "x")},
     {binary_subject, re:run(<<"hello world">>, <<"o w">>)},
     {iolist_subject, re:run(["he", [$l, <<"lo">>], " world"], "lo w")},
     {iolist_pattern, re:run("hello", [<<"l">>, "+"])},
     {empty_pattern, re:run("abc", "")},
     {empty_subject, re:run("", "a*")},
     {empty_both, re:run(<<>>, <<>>)},
     {groups, re:run("2024-11-22", "(\\d+)-(\\d+)-(\\d+)")},
     {unset_middle, re:run("ac", "(a)(b)?(c)")},
     {unset_trailing, re:run("ab", "(a)|(b)")},
     {unset_trailing2, re:run("a", "(a)(x)?(y)?")},
     {alternation_second, re:run("b", "(a)|(b)")},
     {compiled, re:run("xaay", mp("a+"))},
     {compiled_twice, [re:run(S, mp("[0-9]+")) || S <- ["a1", "22b", "none"]]},
     {long_binary, re:run(binary:copy(<<"ab">>, 100), "(ba){3}$")},
     {backref, re:run("abcabc", "(abc)\\1")},
     {lookahead, re:run("foobar", "foo(?=bar)")},
     {lookbehind, re:run("foobar", "(?<=foo)bar")},
     {neg_lookbehind, re:run("xbar", "(?<!foo)bar")},
     {atomic, re:run("aaab", "(?>a+)b")},
     {possessive, re:run("aaa", "a++a")},
     {lazy, re:run("<a><b>", "<.+?>")},
     {classes, re:run("Ab1_ \t", "\\w+\\s+")},
     {posix_class, re:run("abc123", "[[:digit:]]+")},
     {anchors, [re:run("abc", "^abc$"), re:run("abc\n", "^abc$"), re:run("xabc", "^abc")]},
     {word_boundary, re:run("a cat sat", "\\bsat\\b")},
     {escapes, re:run("a.b*c", "\\.b\\*")},
     {hex_escape, re:run("A", "\\x41")},
     {quantifier_range, re:run("aaaaa", "a{2,3}")},
     {subroutine, re:run("((()))", "^(\\((?1)*\\))$")},
     {conditional, [re:run(S, "^(<)?\\w+(?(1)>)$") || S <- ["<a>", "a", "<a"]]},
     {named_backref, re:run("abab", "(?<x>ab)\\k<x>")},
     {comment, re:run("ab", "a(?#comment)b")},
     {inline_caseless, re:run("ABC", "(?i)abc")},
     {quote, re:run("a+b", "\\Qa+b\\E")},
     {match_at_end, re:run("abc", "$")},
     {bin_capture, re:run(<<"key=value">>, "(\\w+)=(\\w+)", [{capture, all, binary}])}].

captures() ->
    S = "name: Alice, age: 42",
    RE = "(\\w+): (\\w+), (\\w+): (\\d+)",
    [{cap_all, re:run(S, RE, [{capture, all}])},
     {cap_all_list, re:run(S, RE, [{capture, all, list}])},
     {cap_all_binary, re:run(S, RE, [{capture, all, binary}])},
     {cap_first, re:run(S, RE, [{capture, first, list}])},
     {cap_all_but_first, re:run(S, RE, [{capture, all_but_first, binary}])},
     {cap_none, re:run(S, RE, [{capture, none}])},
     {cap_none_nomatch, re:run("x", RE, [{capture, none}])},
     {cap_empty_list, re:run(S, RE, [{capture, []}])},
     {cap_indexes, re:run(S, RE, [{capture, [4, 2, 0], list}])},
     {cap_index_out_of_range, re:run(S, RE, [{capture, [1, 9, 100], index}])},
     {cap_unset_kinds, [re:run("ac", "(a)(b)?(c)", [{capture, all, T}]) || T <- [index, list, binary]]},
     {cap_unset_list_kinds, [re:run("ac", "(a)(b)?(c)(d)?", [{capture, [2, 4, 3], T}]) || T <- [index, list, binary]]},
     {cap_last_wins, re:run(S, RE, [{capture, first}, {capture, [1], list}])},
     {cap_empty_group, re:run("ab", "a()b", [{capture, all, list}])},
     {cap_bad_type, r(fun() -> re:run(S, RE, [{capture, all, string}]) end)},
     {cap_bad_values, r(fun() -> re:run(S, RE, [{capture, foo}]) end)},
     {cap_bad_item, r(fun() -> re:run(S, RE, [{capture, [1.5]}]) end)},
     {cap_negative, r(fun() -> re:run(S, RE, [{capture, [-1]}]) end)},
     {cap_improper, r(fun() -> re:run(S, RE, [{capture, [1 | 2]}]) end)},
     {cap_bin_subject_sub, re:run(binary:copy(<<"x">>, 100), "x{70}", [{capture, all, binary}])}].

names() ->
    RE = "(?<year>\\d{4})-(?<month>\\d\\d)(?:-(?<day>\\d\\d))?",
    [{named_atoms, re:run("2024-11", RE, [{capture, [year, month, day], list}])},
     {named_strings, re:run("2024-11-05", RE, [{capture, ["day", <<"year">>, [<<"mo">>, "nth"]], binary}])},
     {named_missing, re:run("2024-11", RE, [{capture, [nope, year], index}])},
     {all_names, re:run("2024-11-05", RE, [{capture, all_names, list}])},
     {all_names_unset, re:run("2024-11", RE, [{capture, all_names, binary}])},
     {all_names_none, re:run("abc", "(b)", [{capture, all_names}])},
     {inspect, re:inspect(mp(RE), namelist)},
     {inspect_none, re:inspect(mp("(a)"), namelist)},
     {inspect_dup, re:inspect(mp("(?<n>a)|(?<n>b)|(?<m>c)", [dupnames]), namelist)},
     {inspect_bad, [r(fun() -> re:inspect(mp("a"), names) end),
                    r(fun() -> re:inspect({re_pattern, 0, 0, 0}, namelist) end),
                    r(fun() -> re:inspect("a", namelist) end)]},
     {dupnames_first_set, [re:run(S, "(?<n>a)x|(?<n>b)y", [dupnames, {capture, [n], list}]) || S <- ["ax", "by", "zz"]]},
     {dupnames_all_names, re:run("by", "(?<n>a)x|(?<n>b)y|(?<m>c)", [dupnames, {capture, all_names, index}])},
     {dupnames_error, shape(re:compile("(?<n>a)|(?<n>b)"))},
     {dup_inline, shape(re:compile("(?J)(?<n>a)|(?<n>b)"))},
     {python_names, re:run("ab", "(?P<first>a)(?P=first)?b", [{capture, [first], list}])},
     {names_global, re:run("k1=v1;k2=v2", "(?<k>\\w+)=(?<v>\\w+)", [global, {capture, all_names, binary}])}].

compile_options() ->
    [{compile_1, shape(re:compile("a(b)(c)"))},
     {compile_2, shape(re:compile(<<"a(b)">>, [caseless]))},
     {compile_unicode, shape(re:compile("é", [unicode]))},
     {compile_crlf, [shape(re:compile("a", [{newline, N}])) || N <- [cr, lf, crlf, any, anycrlf]]},
     {compile_inline_crlf, shape(re:compile("(*CRLF)a"))},
     {caseless, [re:run("ABC", "abc", [caseless]), re:run("ABC", "abc")]},
     {dotall, [re:run("a\nb", "a.b", [dotall]), re:run("a\nb", "a.b")]},
     {extended, re:run("abc", "a b  c # comment", [extended])},
     {multiline, [re:run("x\nabc", "^abc", [multiline]), re:run("abc\nx", "abc$", [multiline])]},
     {dollar_endonly, [re:run("abc\n", "abc$", [dollar_endonly]), re:run("abc\n", "abc$")]},
     {firstline, [re:run("ab\ncd", "cd", [firstline]), re:run("abcd\nx", "cd", [firstline])]},
     {no_auto_capture, re:run("ab", "(a)(?<n>b)", [no_auto_capture])},
     {ungreedy, [re:run("aaa", "a+", [ungreedy]), re:run("aaa", "a+?", [ungreedy])]},
     {anchored_compile, [re:run("xab", "ab", [anchored]), re:run("abx", "ab", [anchored])]},
     {anchored_mp, re:run("xab", mp("ab", [anchored]))},
     {no_start_optimize, re:run("abc", "c", [no_start_optimize])},
     {ucp, [re:run("é", "\\w", [unicode, ucp]), re:run("é", "\\w", [unicode])]},
     {never_utf, [shape(re:compile("a", [never_utf])), shape(re:compile("(*UTF)a", [never_utf]))]},
     {bsr_opts, [re:run("a\x{85}b", "a\\Rb", [bsr_anycrlf]), re:run("a\x{85}b", "a\\Rb", [bsr_unicode]),
            re:run("a\r\nb", "a\\Rb", [bsr_anycrlf])]},
     {compile_opts_with_mp, r(fun() -> re:run("a", mp("a"), [caseless]) end)},
     {unicode_with_mp, r(fun() -> re:run("a", mp("a"), [unicode]) end)},
     {run_opt_in_compile, [r(fun() -> re:compile("a", [O]) end)
                           || O <- [global, notbol, notempty, {offset, 1}, {capture, all}, report_errors,
                                    {match_limit, 5}]]},
     {bad_compile_opts, [r(fun() -> re:compile("a", O) end)
                         || O <- [[foo], [{newline, foo}], [{newline, "cr"}], bad, [caseless | x], [{foo, bar}]]]},
     {options_combined, re:run("X\nAB c", "^ab\\s*C$", [caseless, multiline, extended])}].

run_options() ->
    [{offset, [re:run("abcabc", "abc", [{offset, O}]) || O <- [0, 1, 3, 4, 6]]},
     {offset_lookbehind, re:run("xab", "(?<=x)a", [{offset, 1}])},
     {offset_caret, re:run("ab", "^b", [{offset, 1}])},
     {bad_offset, [r(fun() -> re:run("abc", "a", [{offset, O}]) end) || O <- [-1, a, 1.0]]},
     {notbol, [re:run("abc", "^a", [notbol]), re:run("x\nabc", "^a", [notbol, multiline])]},
     {noteol, [re:run("abc", "c$", [noteol]), re:run("abc\nx", "c$", [noteol, multiline])]},
     {notempty, [re:run("abc", "x*", [notempty]), re:run("abc", "a*", [notempty])]},
     {notempty_atstart, [re:run("abc", "x*", [notempty_atstart]), re:run("bc", "a*|c", [notempty_atstart])]},
     {anchored_run, [re:run("xab", mp("ab"), [anchored]), re:run("abx", mp("ab"), [anchored])]},
     {anchored_offset, re:run("xab", "ab", [anchored, {offset, 1}])},
     {report_errors_ok, re:run("abc", "b", [report_errors])},
     {report_errors_compile, re:run("abc", "(b", [report_errors])},
     {report_errors_mp, re:run("abc", mp("b"), [report_errors, {capture, all, list}])},
     {bad_run_opts, [r(fun() -> re:run("abc", "a", O) end)
                     || O <- [[foo], [{capture}], [{capture, all, list, x}], x, [global | y],
                              [{match_limit, -1}], [{newline, x}]]]}].

newlines() ->
    S = "a\r\nb\rc\nd",
    [{nl_default, re:run(S, "^.$", [multiline, global, {capture, all, list}])},
     {nl_each, [re:run(S, "^.$", [multiline, global, {newline, N}, {capture, all, list}])
                || N <- [cr, lf, crlf, any, anycrlf]]},
     {nl_at_run_time, re:run(S, mp("^.$", [multiline]), [global, {newline, cr}, {capture, all, list}])},
     {nl_inline, re:run(S, "(*CR)^.$", [multiline, global, {capture, all, list}])},
     {nl_combined, re:run("a\r\nb", "^b", [multiline, {newline, cr}, {newline, lf}])},
     {nl_inconsistent, [shape(re:compile("a", [{newline, lf}, {newline, any}])),
                        shape(re:compile("a", [bsr_anycrlf, bsr_unicode]))]},
     {dot_crlf, re:run("\r\n", ".", [{newline, crlf}])},
     {dollar_crlf, re:run("ab\r\n", "b$", [{newline, crlf}])}].

global() ->
    [{g_simple, re:run("a1b22c333", "\\d+", [global])},
     {g_list, re:run("a1b22c333", "\\d+", [global, {capture, all, list}])},
     {g_groups, re:run("k=1,j=2", "(\\w)=(\\d)", [global, {capture, all_but_first, binary}])},
     {g_first, re:run("k=1,j=2", "(\\w)=(\\d)", [global, {capture, first, list}])},
     {g_indexes, re:run("k=1,j=2", "(\\w)=(\\d)", [global, {capture, [2, 1], list}])},
     {g_none, re:run("aaa", "a", [global, {capture, none}])},
     {g_empty_capture, re:run("aaa", "a", [global, {capture, []}])},
     {g_nomatch, re:run("abc", "x", [global])},
     {g_empty_matches, re:run("abc", "x*", [global])},
     {g_empty_binary, re:run("abc", "x*", [global, {capture, all, binary}])},
     {g_lazy, re:run("aaa", "a*?", [global])},
     {g_star, re:run("baaac", "a*", [global, {capture, all, list}])},
     {g_empty_pattern, re:run("ab", "", [global])},
     {g_lookahead, re:run("ab", "(?=b)|ab", [global])},
     {g_offset, re:run("aXbXc", "X", [global, {offset, 2}])},
     {g_offset_end, re:run("abc", "", [global, {offset, 3}])},
     {g_offset_past, re:run("abc", "a", [global, {offset, 10}])},
     {g_crlf_empty, re:run("a\r\nb", "", [global, {newline, crlf}])},
     {g_lf_empty, re:run("a\r\nb", "", [global])},
     {g_unset, re:run("ab", "(a)|(b)", [global])},
     {g_unset_binary, re:run("ab", "(a)|(b)", [global, {capture, all, binary}])},
     {g_bad_type_match, r(fun() -> re:run("abc", "b", [global, {capture, all, foo}]) end)},
     {g_bad_type_nomatch, r(fun() -> re:run("abc", "z", [global, {capture, all, foo}]) end)},
     {g_bad_values, r(fun() -> re:run("abc", "b", [global, {capture, foo}]) end)},
     {g_mp, re:run(<<"one two three">>, mp("\\w+"), [global, {capture, first, binary}])},
     {g_notempty, re:run("abc", "x*|b", [global, notempty])},
     {g_anchored, re:run("aab", "a", [global, anchored])},
     {g_caret_multiline, re:run("ab\ncd\n", "^", [global, multiline])},
     {g_long, length(element(2, re:run(lists:duplicate(1000, $a), "a", [global])))}].

unicode() ->
    S = "żółw and ĆMA",
    B = unicode:characters_to_binary(S),
    [{u_list_subject, re:run(S, "ł", [unicode])},
     {u_bin_subject, re:run(B, "ł", [unicode])},
     {u_list_capture, re:run(S, "(\\w+) and (\\w+)", [unicode, ucp, {capture, all, list}])},
     {u_binary_capture, re:run(S, "(\\w+) and", [unicode, ucp, {capture, all_but_first, binary}])},
     {u_dot, re:run(S, "^...", [unicode, {capture, first, list}])},
     {u_no_unicode_dot, re:run(B, "^...", [{capture, first, list}])},
     {u_pattern_list, re:run(B, [$(, 16#142, $)], [unicode, {capture, all, index}])},
     {u_pattern_mixed, re:run(B, ["ó", <<"ł"/utf8>>], [unicode])},
     {u_caseless, re:run(S, "ćma", [unicode, caseless, {capture, all, list}])},
     {u_global_empty, re:run("żó", "", [unicode, global])},
     {u_global_list, re:run(S, "\\w+", [unicode, ucp, global, {capture, all, list}])},
     {u_global_nonucp, re:run(S, "\\w+", [unicode, global, {capture, all, list}])},
     {u_mp, re:run(S, mp("(ó)", [unicode]), [{capture, all, list}])},
     {u_mp_binary, re:run(B, mp("ó.", [unicode]), [{capture, all, binary}])},
     {u_properties, re:run("aΩ1", "\\p{Greek}", [unicode])},
     {u_x_escape, re:run(S, "\\x{142}", [unicode])},
     {u_bad_subject, r(fun() -> re:run(<<255, 0>>, "a", [unicode]) end)},
     {u_bad_subject_global, r(fun() -> re:run(<<"a", 255>>, "a", [unicode, global]) end)},
     {u_bad_list_subject, r(fun() -> re:run([16#110000], "a", [unicode]) end)},
     {u_offset_mid_char, r(fun() -> re:run(<<"ż"/utf8>>, "a", [unicode, {offset, 1}]) end)},
     {u_bad_pattern, shape(re:compile(<<255>>, [unicode]))},
     {u_latin1_big_char, r(fun() -> re:compile([256]) end)},
     {u_latin1_subject_big, r(fun() -> re:run([256], "a") end)},
     {u_bytes_without_unicode, re:run(<<"żółw"/utf8>>, "ó", [{capture, all, list}])},
     {u_odd_type, [r(fun() -> re:run(Sub, Pat, [unicode, {capture, all, foo}]) end)
                   || {Sub, Pat} <- [{"a", "a"}, {<<"a">>, "a"}, {<<"a">>, <<"a">>}]]},
     {u_odd_type_mp, [r(fun() -> re:run(Sub, mp("a", [unicode]), [{capture, all, foo}]) end)
                      || Sub <- ["a", <<"a">>]]},
     {u_utf8_inline, re:run(<<"żółw"/utf8>>, "(*UTF8)^.", [{capture, all, binary}])}].

errors() ->
    Bad = ["a(b", "a[b", "*a", "a)", "a{2,1}", "\\", "(?P<1a>x)", "[z-a]", "x(?z)",
           "(?<n>a)(?<n>b)", "\\k", "a**", "[[:foo:]]", "(?<", "\\p{Foo}", "(*FOO)", "\\1(a)",
           "a{99999}", "(?(1a)b)", "(?#abc", "[\\", "x{2}{3}+?+"],
    [{compile_errors, [{P, shape(re:compile(P))} || P <- Bad]},
     {run_bad_pattern, r(fun() -> re:run("a", "(") end)},
     {run_bad_pattern_report, re:run("a", "(", [report_errors])},
     {bad_subject, [r(fun() -> re:run(S, "a") end) || S <- [atom, 1, [a], {x}, <<1:3>>, [<<"a">> | b]]]},
     {bad_pattern, [r(fun() -> re:run("a", P) end) || P <- [atom, 1, {re_pattern, 0, 0, 0, <<"xx">>},
                                                           {re_pattern, a, 0, 0, <<>>}, {x, y, z, w, v}]]},
     {bad_compile_pattern, [r(fun() -> re:compile(P) end) || P <- [atom, 1, [x], {a}]]},
     {nul_in_pattern, [shape(re:compile(<<"a", 0, "b">>)), re:run(<<"a", 0, "b">>, <<"a", 0, "b">>)]},
     {bad_internal_run, r(fun() -> re:internal_run("a", "a", [], maybe) end)}].

replace() ->
    [{r_simple, re:replace("abcabc", "b", "X")},
     {r_global, re:replace("abcabc", "b", "X", [global])},
     {r_list, re:replace("abcabc", "b", "X", [global, {return, list}])},
     {r_binary, re:replace("abcabc", "b", "X", [{return, binary}])},
     {r_amp, re:replace("abc", "b", "[&]", [{return, list}])},
     {r_backrefs, re:replace("john smith", "(\\w+) (\\w+)", "\\2, \\1", [{return, list}])},
     {r_g_refs, re:replace("ab", "(a)(b)", "\\g{2}\\g1", [{return, list}])},
     {r_escaped, re:replace("ab", "a", "\\&\\\\", [{return, list}])},
     {r_unset_ref, re:replace("b", "(a)?b", "[\\1]", [{return, list}])},
     {r_empty_global, re:replace("abc", "", "-", [global, {return, list}])},
     {r_star_global, re:replace("baaac", "a*", "-", [global, {return, list}])},
     {r_caseless, re:replace("Hello HELLO", "hello", "bye", [global, caseless, {return, binary}])},
     {r_unicode, re:replace("żółw", "ó", "o", [unicode, {return, list}])},
     {r_unicode_bin, re:replace("żółw", "(.)", "<\\1>", [unicode, global, {return, binary}])},
     {r_mp, re:replace("a-b-c", mp("-"), "+", [global, {return, list}])},
     {r_offset, re:replace("aaa", "a", "b", [{offset, 1}, global, {return, list}])},
     {r_anchored, re:replace("aab", "a", "x", [anchored, global, {return, list}])},
     {r_bad_return, r(fun() -> re:replace("a", "a", "b", [{return, foo}]) end)},
     {r_bad_capture, r(fun() -> re:replace("a", "a", "b", [{capture, all}]) end)},
     {r_bad_pattern, r(fun() -> re:replace("a", "(", "b") end)},
     {r_iodata, iolist_to_binary(re:replace("x1y2", "\\d", "#", [global]))}].

split() ->
    [{s_simple, re:split("a,b,,c", ",")},
     {s_list, re:split("a,b,,c", ",", [{return, list}])},
     {s_trim, re:split("a,b,,c,,", ",", [{return, list}, trim])},
     {s_parts, re:split("a,b,c,d", ",", [{return, list}, {parts, 2}])},
     {s_parts0, re:split("a,b,,", ",", [{return, list}, {parts, 0}])},
     {s_parts_inf, re:split("a,b,,", ",", [{return, list}, {parts, infinity}])},
     {s_group, re:split("a1b2c", "(\\d)", [{return, list}, group])},
     {s_groups_inline, re:split("a1b2c", "(\\d)", [{return, list}])},
     {s_empty_pattern, re:split("abc", "", [{return, list}])},
     {s_empty_subject, re:split("", ",", [{return, list}])},
     {s_whitespace, re:split("  a  b c ", "\\s+", [{return, binary}, trim])},
     {s_unicode, re:split("ż,ó,ł", ",", [unicode, {return, list}])},
     {s_unicode_chars, re:split("żół", "", [unicode, {return, list}])},
     {s_mp, re:split(<<"1;2;3">>, mp(";"))},
     {s_unset_group, re:split("ab", "(x)?b", [{return, list}])},
     {s_bad_option, r(fun() -> re:split("a", ",", [global]) end)},
     {s_bad_parts, r(fun() -> re:split("a", ",", [{parts, -1}]) end)},
     {s_caseless, re:split("aXbxc", "x", [caseless, {return, list}])}].

limits() ->
    S = lists:duplicate(22, $a) ++ "b",
    RE = "(a+)+$",
    [{ml_error, re:run(S, RE, [{match_limit, 100}, report_errors])},
     {ml_silent, re:run(S, RE, [{match_limit, 100}])},
     {mlr_error, re:run(S, RE, [{match_limit_recursion, 5}, report_errors])},
     {ml_enough, re:run("aab", "a+b", [{match_limit, 1000}, report_errors])},
     {ml_global_error, re:run(S, RE, [global, {match_limit, 100}, report_errors])},
     {ml_default_completes, re:run(lists:duplicate(14, $a) ++ "b", RE)}].

%% Which of the 256 bytes each class takes, and which bytes match each
%% other caselessly: erts's PCRE uses Latin-1 character tables.
latin1() ->
    Bytes = lists:seq(0, 255),
    Classes = ["alpha", "digit", "upper", "lower", "alnum", "space", "xdigit", "graph", "print",
               "punct", "cntrl", "word", "blank"],
    Posix = [{C, [B || B <- Bytes, re:run(<<B>>, "[[:" ++ C ++ ":]]") =/= nomatch]} || C <- Classes],
    Escapes = [{E, [B || B <- Bytes, re:run(<<B>>, E) =/= nomatch]} || E <- ["\\w", "\\W", "\\s", "\\d", "\\h", "\\v"]],
    Caseless = [{B, [D || D <- Bytes, D =/= B, re:run(<<D>>, [$\\, $x, ${, integer_to_list(B, 16), $}], [caseless]) =/= nomatch]}
                || B <- Bytes],
    Unicode = [{E, [B || B <- lists:seq(128, 255), re:run(<<B/utf8>>, E, [unicode]) =/= nomatch]}
               || E <- ["\\w", "\\w+", "[[:alpha:]]", "[[:alpha:]]+", "\\s", "[[:punct:]]", "(?i)\\xe9"]],
    [{latin1_posix, Posix},
     {latin1_escapes, Escapes},
     {latin1_caseless, [X || {_, L} = X <- Caseless, L =/= []]},
     {latin1_in_unicode, Unicode},
     {latin1_word_boundary, re:run(<<"caf", 233, " x">>, "\\b", [global])},
     {latin1_caseless_words, re:run(<<"CAF", 201>>, <<"caf", 233>>, [caseless])}].

misc() ->
    [{version_is_binary, is_binary(re:version())},
     {internal_run, re:internal_run("abc", "b", [], true)},
     {internal_run_false, re:internal_run("abc", "b", [{capture, all, list}], false)},
     {grun_like_loop, re:run("a.b.c", "\\.", [global, {capture, none}])},
     {many_groups, re:run("abcdefghij", "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)", [{capture, all_but_first, list}])},
     {mixed_case_words, lists:sort([W || [W] <- element(2, re:run("The quick Brown fox Jumps",
                                                                  "\\b[A-Z]\\w*", [global, {capture, all, list}]))])}].
