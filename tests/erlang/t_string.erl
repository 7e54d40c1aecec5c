%% Strings as lists: the string module (new and old API) and the conversion
%% BIFs between strings, atoms and numbers.
-module(t_string).
-export([main/0, id/1]).

main() ->
    S = id("  Hello, World!  "),
    Csv = id("name,age,,city"),
    [{split_leading, string:split(Csv, ",")},
     {split_all, string:split(Csv, ",", all)},
     {split_trailing, string:split(Csv, ",", trailing)},
     {split_multi_char, string:split("a::b::c", "::", all)},
     {split_missing, string:split("abc", "x")},
     {trim, string:trim(S)},
     {trim_leading, string:trim(S, leading)},
     {trim_trailing, string:trim(S, trailing)},
     {trim_chars, string:trim("xxabcxyx", both, "xy")},
     {to_upper, string:to_upper("abc Def 123")},
     {to_lower, string:to_lower("ABC dEF 123")},
     {uppercase, string:uppercase("hello")},
     {lowercase, string:lowercase("HeLLo")},
     {titlecase, string:titlecase("hello world")},
     {casefold, string:casefold("MiXeD")},
     {find, {string:find("hello world", "o"), string:find("hello world", "o", trailing),
             string:find("hello", "z")}},
     {replace, {string:replace("a-b-c", "-", "+"), string:replace("a-b-c", "-", "+", all),
                string:replace("a-b-c", "-", "+", trailing)}},
     {pad, [string:pad("ab", 5), string:pad("ab", 5, leading), string:pad("ab", 6, both, $*),
            string:pad("abcdef", 3)]},
     {lexemes, {string:lexemes("  a  b c  ", " "), string:lexemes("a,b;c,,d", ",;")}},
     {tokens, string:tokens("a,b;;c", ",;")},
     {join, string:join(["x", "y", "z"], "--")},
     {length, [string:length(X) || X <- ["", "abc", "héllo"]]},
     {slice, {string:slice("hello world", 6), string:slice("hello world", 0, 5), string:slice("ab", 5)}},
     {reverse, string:reverse("stressed")},
     {equal, {string:equal("abc", "abc"), string:equal("abc", "ABC"), string:equal("abc", "ABC", true)}},
     {prefix, {string:prefix("foobar", "foo"), string:prefix("foobar", "bar")}},
     {is_empty, {string:is_empty(""), string:is_empty(" ")}},
     {chomp, {string:chomp("line\n"), string:chomp("line\r\n"), string:chomp("line")}},
     {take, {string:take("aaabbb", "a"), string:take("aaabbb", "a", true)}},
     {next_grapheme, string:next_grapheme("abc")},
     {next_codepoint, string:next_codepoint("xyz")},
     {to_integer, [string:to_integer(X) || X <- ["123abc", "-42", "abc", "+7 ", ""]]},
     {to_float, [string:to_float(X) || X <- ["1.5e3x", "-0.25", "3", "abc"]]},
     {old_api, {string:str("hello", "ll"), string:rstr("hello hello", "ll"), string:chr("hello", $l),
                string:rchr("hello", $l), string:substr("hello", 2, 3), string:strip("  x  "),
                string:strip("--x--", both, $-), string:left("ab", 4, $.), string:right("ab", 4, $.),
                string:centre("ab", 6), string:copies("ab", 3), string:words("a b  c"),
                string:sub_word("a b c", 2), string:chars($z, 3), string:span("aabc", "a"),
                string:cspan("abc", "c"), string:sub_string("hello", 2, 4)}},
     {unicode_upper, string:uppercase("straße ñ")},
     {unicode_lower, string:lowercase("ÀÉÎ")},
     {unicode_reverse, string:reverse("añb")},
     {unicode_split, string:split("α-β-γ", "-", all)},
     {integer_to_list, [integer_to_list(N) || N <- [0, 7, -7, 1 bsl 64, -(1 bsl 64)]]},
     {integer_to_list_base, [integer_to_list(255, B) || B <- [2, 8, 10, 16, 36]]},
     {list_to_integer, [list_to_integer(X) || X <- ["0", "-0", "007", "+15", "123456789012345678901234567890"]]},
     {list_to_integer_base, [list_to_integer(X, B) || {X, B} <- [{"ff", 16}, {"FF", 16}, {"-101", 2},
                                                                  {"zz", 36}, {"777", 8}]]},
     {list_to_integer_bad, [ex(fun() -> list_to_integer(X) end) || X <- ["", "12a", "1.0", " 1", "-"]]},
     {list_to_integer_bad_base, [ex(fun() -> list_to_integer(X, B) end) || {X, B} <- [{"12", 2}, {"1", 37},
                                                                                       {"1", 1}, {"g", 16}]]},
     {integer_to_list_bad, ex(fun() -> integer_to_list(id(1.0)) end)},
     {atom_to_list, [atom_to_list(A) || A <- [abc, 'with space', 'Ünï', '', '42']]},
     {list_to_atom, [list_to_atom(X) || X <- ["abc", "with space", "Ünï", "", "42"]]},
     {list_to_atom_unicode, atom_to_list(list_to_atom([955, 8364]))},
     {list_to_existing_atom, list_to_existing_atom("list_to_existing_atom")},
     {list_to_existing_atom_missing, ex(fun() -> list_to_existing_atom(id("t_string never made this atom " ++ "zq")) end)},
     {atom_length, ex(fun() -> list_to_atom(lists:duplicate(id(256), $a)) end)},
     {atom_length_ok, length(atom_to_list(list_to_atom(lists:duplicate(id(255), $a))))},
     {list_to_atom_bad, ex(fun() -> list_to_atom(id([a])) end)},
     {float_conversions, {float_to_list(1.5), list_to_float("2.5e2"), integer_to_list(-0)}},
     {tuple_list_conv, {tuple_to_list({a, "b"}), list_to_tuple("ab")}},
     {char_arith, [C + 1 || C <- "HAL"]},
     {caesar, caesar("Hello, World!", 13)},
     {caesar_roundtrip, caesar(caesar("The quick brown fox", 13), 13)},
     {word_count, word_count("the cat and the hat and the bat")},
     {is_palindrome, [palindrome(X) || X <- ["racecar", "A man, a plan, a canal: Panama", "hello", ""]]},
     {rle, {rle("aaabccddddd"), unrle(rle("aaabccddddd"))}},
     {char_classes, [char_class(C) || C <- "a Z9_\n"]},
     {printable, {io_lib:printable_list("abc"), io_lib:printable_list([1, 2]),
                  io_lib:printable_unicode_list([955]), io_lib:printable_list([955])}},
     {string_compare, {"abc" < "abd", "abc" < "ab", "Z" < "a", "" < "a"}},
     {nested_strings, lists:flatten(["ab", [$c, "de"], [], [[$f]]])},
     {chars_to_list, unicode:characters_to_list([97, [98, 99], 8364])}].

id(X) -> X.

%% Value of F(), or {Class, Reason} of the exception it raises.
ex(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

caesar(S, N) -> [shift(C, N) || C <- S].

shift(C, N) when C >= $a, C =< $z -> $a + (C - $a + N) rem 26;
shift(C, N) when C >= $A, C =< $Z -> $A + (C - $A + N) rem 26;
shift(C, _) -> C.

word_count(S) ->
    Counts = lists:foldl(fun(W, Acc) -> orddict:update_counter(W, 1, Acc) end, [], string:lexemes(S, " ")),
    lists:sort(fun({_, A}, {_, B}) -> A >= B end, Counts).

palindrome(S) ->
    Clean = [C || C <- string:to_lower(S), C >= $a, C =< $z],
    Clean =:= lists:reverse(Clean).

rle([]) -> [];
rle([C | Rest]) -> rle(Rest, C, 1).
rle([C | Rest], C, N) -> rle(Rest, C, N + 1);
rle(Rest, C, N) -> [{C, N} | rle(Rest)].

unrle(Runs) -> lists:append([lists:duplicate(N, C) || {C, N} <- Runs]).

char_class(C) when C >= $a, C =< $z -> lower;
char_class(C) when C >= $A, C =< $Z -> upper;
char_class(C) when C >= $0, C =< $9 -> digit;
char_class($\s) -> space;
char_class($\n) -> newline;
char_class(_) -> other.
