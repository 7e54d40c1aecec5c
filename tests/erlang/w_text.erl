%% Workload: text processing on strings: word statistics, CSV, templates,
%% word wrapping, a tiny regex-free pattern matcher, Huffman coding, LZ77-like
%% compression and base64 written by hand.
-module(w_text).
-export([main/0]).

main() ->
    Text = text(),
    Words = words(Text),
    [{word_count, length(Words)},
     {distinct_words, length(lists:usort(Words))},
     {top_words, top(10, Words)},
     {longest_words, lists:sublist(lists:sort(fun(A, B) -> {length(A), A} >= {length(B), B} end, lists:usort(Words)), 5)},
     {letter_histogram, letter_histogram(Text)},
     {sentences, length(string:lexemes(Text, ".!?"))},
     {capitalized, capitalize_sentences("hello there. this is a test! is it? yes.")},
     {wrap_40, wrap(lists:sublist(Text, 300), 40)},
     {justify, justify("the quick brown fox jumps over the lazy dog", 50)},
     {csv, parse_csv("name,qty,price\n\"Widget, large\",3,9.5\nGadget,10,\"1.25\"\n\"Quote \"\"this\"\"\",1,0.5\n")},
     {csv_totals, csv_totals()},
     {template, render("Dear {{name}}, your order #{{id}} of {{count}} items ships {{when}}.",
                       #{"name" => "Ada", "id" => "4711", "count" => "3", "when" => "today"})},
     {glob, [{P, S, glob(P, S)} || {P, S} <- [{"*.erl", "main.erl"}, {"a?c", "abc"}, {"a*b*c", "axxbyyc"},
                                             {"a*b", "ab"}, {"*x*", "abc"}, {"", ""}, {"**a", "bba"}]]},
     {huffman_codes, huffman("abracadabra alakazam")},
     {huffman_encoded_length, length(huffman_encode(Text))},
     {lz_compress, lz_compress("abababababcabcabcabcxyz")},
     {lz_roundtrip, lz_decompress(lz_compress(Text)) =:= Text},
     {lz_ratio, {length(Text), length(lz_compress(Text))}},
     {base64, [b64(S) || S <- ["", "f", "fo", "foo", "foob", "fooba", "foobar", "Hello, World!"]]},
     {base64_roundtrip, unb64(b64(Text)) =:= Text},
     {rot13_words, [rot13(W) || W <- lists:sublist(Words, 8)]},
     {anagrams, anagram_groups(["listen", "silent", "enlist", "google", "gooegl", "cat", "act", "tac", "dog"])},
     {palindromic_substring, longest_palindrome("forgeeksskeegfor")},
     {soundex, [soundex(N) || N <- ["Robert", "Rupert", "Rubin", "Ashcraft", "Tymczak", "Pfister"]]},
     {roman, [to_roman(N) || N <- [1, 4, 9, 14, 40, 90, 400, 1994, 2024, 3999]]},
     {roman_back, lists:all(fun(N) -> from_roman(to_roman(N)) =:= N end, lists:seq(1, 3999, 7))},
     {number_words, [say(N) || N <- [0, 7, 13, 42, 100, 999, 1001, 123456, 1000000]]},
     {diff, diff(string:lexemes("a b c d e f", " "), string:lexemes("a c d x e f g", " "))}].

text() ->
    "It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of "
    "foolishness, it was the epoch of belief, it was the epoch of incredulity, it was the season of Light, "
    "it was the season of Darkness, it was the spring of hope, it was the winter of despair, we had everything "
    "before us, we had nothing before us, we were all going direct to Heaven, we were all going direct the "
    "other way. In short, the period was so far like the present period, that some of its noisiest authorities "
    "insisted on its being received, for good or for evil, in the superlative degree of comparison only! "
    "There were a king with a large jaw and a queen with a plain face, on the throne of England; there were a "
    "king with a large jaw and a queen with a fair face, on the throne of France. Was it clear? It was.".

words(Text) ->
    [string:lowercase(W) || W <- string:lexemes(Text, " ,.;!?\n")].

top(N, Words) ->
    Counts = lists:foldl(fun(W, M) -> maps:update_with(W, fun(C) -> C + 1 end, 1, M) end, #{}, Words),
    lists:sublist(lists:sort(fun({W1, C1}, {W2, C2}) -> {C1, W2} >= {C2, W1} end, maps:to_list(Counts)), N).

letter_histogram(Text) ->
    Counts = lists:foldl(fun(C, T) when C >= $a, C =< $z -> setelement(C - $a + 1, T, element(C - $a + 1, T) + 1);
                            (_, T) -> T
                         end, erlang:make_tuple(26, 0), string:lowercase(Text)),
    [{[$a + I - 1], N} || {I, N} <- lists:zip(lists:seq(1, 26), tuple_to_list(Counts)), N > 0].

capitalize_sentences(S) -> cap(S, true).

cap([], _) -> [];
cap([C | T], true) when C >= $a, C =< $z -> [C - 32 | cap(T, false)];
cap([C | T], _) when C =:= $.; C =:= $!; C =:= $? -> [C | cap(T, true)];
cap([$\s | T], Up) -> [$\s | cap(T, Up)];
cap([C | T], _) -> [C | cap(T, false)].

wrap(Text, Width) ->
    {Lines, Last} = lists:foldl(
                      fun(W, {Done, []}) -> {Done, W};
                         (W, {Done, Cur}) when length(Cur) + 1 + length(W) =< Width -> {Done, Cur ++ " " ++ W};
                         (W, {Done, Cur}) -> {[Cur | Done], W}
                      end, {[], []}, string:lexemes(Text, " ")),
    lists:reverse([Last | Lines]).

justify(Line, Width) ->
    Ws = string:lexemes(Line, " "),
    Gaps = length(Ws) - 1,
    Spaces = Width - length(lists:append(Ws)),
    {Base, Extra} = {Spaces div Gaps, Spaces rem Gaps},
    lists:append([W ++ lists:duplicate(if I =< Extra -> Base + 1; I =< Gaps -> Base; true -> 0 end, $\s)
                  || {I, W} <- lists:zip(lists:seq(1, length(Ws)), Ws)]).

%% CSV with quoted fields and doubled quotes.
parse_csv(S) -> csv_rows(S, [], [], []).

csv_rows([], [], [], Rows) -> lists:reverse(Rows);
csv_rows([], Field, Fields, Rows) -> lists:reverse([lists:reverse([lists:reverse(Field) | Fields]) | Rows]);
csv_rows([$\n | T], Field, Fields, Rows) -> csv_rows(T, [], [], [lists:reverse([lists:reverse(Field) | Fields]) | Rows]);
csv_rows([$, | T], Field, Fields, Rows) -> csv_rows(T, [], [lists:reverse(Field) | Fields], Rows);
csv_rows([$" | T], [], Fields, Rows) -> csv_quoted(T, [], Fields, Rows);
csv_rows([C | T], Field, Fields, Rows) -> csv_rows(T, [C | Field], Fields, Rows).

csv_quoted([$", $" | T], Field, Fields, Rows) -> csv_quoted(T, [$" | Field], Fields, Rows);
csv_quoted([$" | T], Field, Fields, Rows) -> csv_rows(T, Field, Fields, Rows);
csv_quoted([C | T], Field, Fields, Rows) -> csv_quoted(T, [C | Field], Fields, Rows).

csv_totals() ->
    Rows = parse_csv(lists:flatten([io_lib:format("item~B,~B,~.2f~n", [I, I * 3 rem 7, I / 8]) || I <- lists:seq(1, 40)])),
    lists:foldl(fun([_, Q, P], {TQ, TP}) -> {TQ + list_to_integer(Q), TP + list_to_integer(Q) * list_to_float(P)} end,
                {0, 0.0}, Rows).

render(Template, Vars) ->
    case string:split(Template, "{{") of
        [Done] -> Done;
        [Before, Rest] ->
            [Key, After] = string:split(Rest, "}}"),
            Before ++ maps:get(Key, Vars, "?") ++ render(After, Vars)
    end.

glob([], []) -> true;
glob([$* | P], S) -> glob(P, S) orelse (S =/= [] andalso glob([$* | P], tl(S)));
glob([$? | P], [_ | S]) -> glob(P, S);
glob([C | P], [C | S]) -> glob(P, S);
glob(_, _) -> false.

%% Huffman coding with a deterministic tie-break (weight, then tree order).
huffman(S) ->
    Freq = lists:foldl(fun(C, M) -> maps:update_with(C, fun(N) -> N + 1 end, 1, M) end, #{}, S),
    Tree = build_tree(lists:sort([{N, {leaf, C}} || {C, N} <- maps:to_list(Freq)])),
    lists:sort(codes(Tree, [])).

build_tree([{_, T}]) -> T;
build_tree([{N1, T1}, {N2, T2} | Rest]) -> build_tree(lists:sort([{N1 + N2, {node, T1, T2}} | Rest])).

codes({leaf, C}, []) -> [{C, "0"}];
codes({leaf, C}, Path) -> [{C, lists:reverse(Path)}];
codes({node, L, R}, Path) -> codes(L, [$0 | Path]) ++ codes(R, [$1 | Path]).

huffman_encode(S) ->
    Codes = maps:from_list(huffman(S)),
    lists:append([maps:get(C, Codes) || C <- S]).

%% LZ77-style: {Offset, Length} back-references of length >= 3, else literals.
lz_compress(S) -> lz(S, [], []).

lz([], _, Out) -> lists:reverse(Out);
lz(S, Window, Out) ->
    case longest_match(S, Window) of
        {Off, Len} when Len >= 3 ->
            {Taken, Rest} = lists:split(Len, S),
            lz(Rest, lists:sublist(lists:reverse(Taken) ++ Window, 64), [{Off, Len} | Out]);
        _ ->
            [C | Rest] = S,
            lz(Rest, lists:sublist([C | Window], 64), [C | Out])
    end.

longest_match(S, Window) ->
    W = lists:reverse(Window),
    N = length(W),
    lists:foldl(fun(I, {_, BestLen} = Best) ->
                        Len = match_len(lists:nthtail(I, W) ++ S, S, 0, 30),
                        if Len > BestLen -> {N - I, Len}; true -> Best end
                end, {0, 0}, lists:seq(0, N - 1)).

match_len([C | A], [C | B], N, Max) when N < Max -> match_len(A, B, N + 1, Max);
match_len(_, _, N, _) -> N.

lz_decompress(Tokens) -> lists:reverse(lists:foldl(fun lz_expand/2, [], Tokens)).

lz_expand({Off, Len}, Acc) -> copy_back(Off, Len, Acc);
lz_expand(C, Acc) -> [C | Acc].

copy_back(_, 0, Acc) -> Acc;
copy_back(Off, Len, Acc) -> copy_back(Off, Len - 1, [lists:nth(Off, Acc) | Acc]).

%% Base64 by hand (standard alphabet, padded).
b64_alphabet() -> "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".

b64([A, B, C | T]) -> b64_quad((A bsl 16) bor (B bsl 8) bor C, 4) ++ b64(T);
b64([A, B]) -> lists:sublist(b64_quad((A bsl 16) bor (B bsl 8), 4), 3) ++ "=";
b64([A]) -> lists:sublist(b64_quad(A bsl 16, 4), 2) ++ "==";
b64([]) -> [].

b64_quad(N, K) -> [lists:nth(((N bsr (6 * (K - I))) band 63) + 1, b64_alphabet()) || I <- lists:seq(1, K)].

unb64(S) ->
    Index = maps:from_list(lists:zip(b64_alphabet(), lists:seq(0, 63))),
    unb64(S, Index).

unb64([], _) -> [];
unb64([A, B, $=, $=], I) -> N = b64_val([A, B], I, 2), [N bsr 4];
unb64([A, B, C, $=], I) -> N = b64_val([A, B, C], I, 3), [N bsr 10, (N bsr 2) band 255];
unb64([A, B, C, D | T], I) -> N = b64_val([A, B, C, D], I, 4), [N bsr 16, (N bsr 8) band 255, N band 255 | unb64(T, I)].

b64_val(Cs, I, _) -> lists:foldl(fun(C, Acc) -> (Acc bsl 6) bor maps:get(C, I) end, 0, Cs).

rot13(W) -> [if C >= $a, C =< $z -> $a + (C - $a + 13) rem 26; true -> C end || C <- W].

anagram_groups(Ws) ->
    Groups = lists:foldl(fun(W, M) -> maps:update_with(lists:sort(W), fun(L) -> [W | L] end, [W], M) end, #{}, Ws),
    lists:sort([lists:sort(G) || G <- maps:values(Groups)]).

longest_palindrome(S) ->
    T = list_to_tuple(S), N = tuple_size(T),
    {Start, Len} = lists:foldl(fun(C, Best) ->
                                       max_pal(expand(T, N, C, C), max_pal(expand(T, N, C, C + 1), Best))
                               end, {1, 1}, lists:seq(1, N)),
    lists:sublist(S, Start, Len).

expand(T, N, L, R) when L >= 1, R =< N ->
    case element(L, T) =:= element(R, T) of
        true -> expand(T, N, L - 1, R + 1);
        false -> {L + 1, R - L - 1}
    end;
expand(_, _, L, R) -> {L + 1, R - L - 1}.

max_pal({_, L1} = A, {_, L2}) when L1 > L2 -> A;
max_pal(_, B) -> B.

soundex([First | Rest]) ->
    Code = fun(C) -> soundex_digit(string:to_lower(C)) end,
    Digits = dedup_codes([Code(First) | [Code(C) || C <- Rest]], [$h, $w]),
    S = [string:to_upper(First) | [D || D <- tl(Digits), D =/= $0]],
    lists:sublist(S ++ "000", 4).

%% Adjacent letters with the same code collapse, also across h and w.
dedup_codes([A | T], Skip) -> [A | dedup_rest(A, T, Skip)].
dedup_rest(_, [], _) -> [];
dedup_rest(Prev, [skip | T], Skip) -> dedup_rest(Prev, T, Skip);
dedup_rest(Prev, [Prev | T], Skip) -> dedup_rest(Prev, T, Skip);
dedup_rest(_, [D | T], Skip) -> [D | dedup_rest(D, T, Skip)].

soundex_digit(C) ->
    case C of
        _ when C =:= $h; C =:= $w -> skip;
        _ -> case [D || {Letters, D} <- [{"bfpv", $1}, {"cgjkqsxz", $2}, {"dt", $3}, {"l", $4}, {"mn", $5}, {"r", $6}],
                        lists:member(C, Letters)] of
                 [D] -> D;
                 [] -> $0
             end
    end.

to_roman(0) -> [];
to_roman(N) ->
    {V, S} = hd([P || {V, _} = P <- [{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"},
                                        {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}], V =< N]),
    S ++ to_roman(N - V).

from_roman(S) ->
    Vals = [maps:get(C, #{$I => 1, $V => 5, $X => 10, $L => 50, $C => 100, $D => 500, $M => 1000}) || C <- S],
    from_roman_vals(Vals).

from_roman_vals([A, B | T]) when A < B -> B - A + from_roman_vals(T);
from_roman_vals([A | T]) -> A + from_roman_vals(T);
from_roman_vals([]) -> 0.

say(0) -> "zero";
say(N) -> string:trim(say_big(N)).

say_big(N) when N >= 1000000 -> say_big(N div 1000000) ++ " million " ++ say_big(N rem 1000000);
say_big(N) when N >= 1000 -> say_big(N div 1000) ++ " thousand " ++ say_big(N rem 1000);
say_big(N) when N >= 100 -> say_big(N div 100) ++ " hundred " ++ say_big(N rem 100);
say_big(N) when N >= 20 ->
    Tens = lists:nth(N div 10 - 1, ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]),
    case N rem 10 of 0 -> Tens; U -> Tens ++ "-" ++ say_big(U) end;
say_big(0) -> "";
say_big(N) ->
    lists:nth(N, ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                  "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]).

%% Line diff from the longest common subsequence table.
diff(A, B) ->
    TA = list_to_tuple(A), TB = list_to_tuple(B),
    Table = lcs_table(TA, TB),
    lists:reverse(backtrack(TA, TB, tuple_size(TA), tuple_size(TB), Table)).

lcs_table(TA, TB) ->
    lists:foldl(
      fun(I, T) ->
              lists:foldl(fun(J, T2) ->
                                  V = case element(I, TA) =:= element(J, TB) of
                                          true -> maps:get({I - 1, J - 1}, T2, 0) + 1;
                                          false -> max(maps:get({I - 1, J}, T2, 0), maps:get({I, J - 1}, T2, 0))
                                      end,
                                  T2#{{I, J} => V}
                          end, T, lists:seq(1, tuple_size(TB)))
      end, #{}, lists:seq(1, tuple_size(TA))).

backtrack(_, _, 0, 0, _) -> [];
backtrack(TA, TB, I, J, T) when I > 0, J > 0, element(I, TA) =:= element(J, TB) ->
    [{same, element(I, TA)} | backtrack(TA, TB, I - 1, J - 1, T)];
backtrack(TA, TB, I, J, T) when J > 0, (I =:= 0 orelse map_get({I, J - 1}, T) >= map_get({I - 1, J}, T)) ->
    [{add, element(J, TB)} | backtrack(TA, TB, I, J - 1, T)];
backtrack(TA, TB, I, J, T) -> [{del, element(I, TA)} | backtrack(TA, TB, I - 1, J, T)].
