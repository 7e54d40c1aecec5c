%% unicode:characters_to_binary/1,2 and characters_to_list/1,2 in every
%% input encoding: valid data, bad characters anywhere in nested data
%% (with the rest erl returns), characters cut at the end of binaries and
%% of the data, badarg with its frame, and a seeded random sample of byte
%% soup. unicode:bin_is_7bit/1. (characters_to_binary/3 with an output
%% encoding other than UTF-8 runs bit syntax in unicode.erl: t_unicode_bits.)
-module(t_unicode).
-export([main/0, id/1]).

id(X) -> X.

%% The result of F, or the exception with the frame erl reports on top.
t(F) ->
    try F()
    catch C:R:S -> {C, R, hd(S)}
    end.

%% The result of F, or the exception without its frame.
r(F) ->
    try F()
    catch C:R -> {C, R}
    end.

both(Data, Encoding) ->
    {r(fun() -> unicode:characters_to_binary(Data, Encoding) end),
     r(fun() -> unicode:characters_to_list(Data, Encoding) end)}.

main() ->
    Utf8Data = [<<>>, [], <<"abc">>, "abc", <<"ärger"/utf8>>, [<<"€"/utf8>>, 8364, [[955]], <<>> | <<"x">>],
                [1114111], [1114112], [-1], [55296], [57343], [55295, 57344], [16#10000],
                [99999999999999999999], [1, 99999999999999999999 | atom], [[1, 99999999999999999999] | atom],
                [[1 | atom], 99999999999999999999], [a], [1.0], [<<1:1>>], <<1:1>>, [1 | <<2:3>>], a, 1,
                [$a, [$b, -1, $c], $d], [$a, [$b, 16#D800, $c], $d], [[[[[[[[$x, -5]]]]]]], $y],
                [<<"ok">>, <<255>>, <<"more">>], [<<"a", 255>>], <<"a", 255>>, [[<<"a", 255>>]],
                [<<"a">> | <<"b", 255, "c">>], [[$a] | <<255>>], [<<>>, [[]], [] | <<>>],
                [256, 255], [<<"x">>, 300, <<"y">>], "Ünïcödé"],
    Bytes = [<<16#C3>>, <<16#C3, 16#A4>>, <<16#C0, 16#80>>, <<16#C1, 16#BF>>, <<16#C2, 16#80>>, <<16#C0>>,
             <<16#E0, 16#80>>, <<16#E0, 16#80, 16#80>>, <<16#E0, 16#A0, 16#80>>, <<16#ED, 16#9F, 16#BF>>,
             <<16#ED, 16#A0, 16#80>>, <<16#ED, 16#A0>>, <<16#EF, 16#BF, 16#BF>>, <<16#E2, 16#41>>, <<16#E2>>,
             <<16#F0, 16#80, 16#80, 16#80>>, <<16#F0, 16#90, 16#80, 16#80>>, <<16#F4, 16#8F, 16#BF, 16#BF>>,
             <<16#F4, 16#90, 16#80, 16#80>>, <<16#F5, 16#80, 16#80, 16#80>>, <<16#F5>>, <<16#F4, 16#90>>,
             <<16#F0, 16#90, 16#80>>, <<16#F0, 16#41, 16#80>>, <<16#F0, 16#90, 16#41>>, <<16#F8, 16#80>>,
             <<16#FF>>, <<16#80>>, <<16#BF, "a">>, <<"ab", 16#E2, 16#82>>, <<"ab", 16#E2, 16#82, 16#AC>>],
    Split = [[<<16#E2>>, <<16#82>>, <<16#AC, "x">>], [<<16#E2>>, <<16#41>>], [<<16#E2>>, <<16#82, 16#41>>],
             [<<16#C3>>, 65], [<<16#C3>>, [<<16#A4>>]], [<<16#C3>>, [], <<16#A4>>], [<<16#F0>>, <<>>, <<16#90>>,
             <<16#80>>, <<16#80>>], [<<16#F0>>, <<16#90>>, <<16#80>>], [<<16#F0, 16#90>>, [<<16#80>> | <<16#41>>]],
             [<<"a", 16#C3>> | <<16#A4>>], [<<16#C3>> | <<16#41>>], [[<<16#E2, 16#82>>], 65],
             [<<16#E2, 16#82>>, <<16#FF>>], [<<16#C3>>, <<16#A4, 16#C3>>]],
    [{utf8, [both(D, E) || D <- Utf8Data, E <- [utf8, unicode]]},
     {latin1, [both(D, latin1) || D <- Utf8Data]},
     {utf8_bytes, [both(B, utf8) || B <- Bytes]},
     {utf8_bytes_in_list, [both([B], utf8) || B <- Bytes]},
     {utf8_bytes_nested, [both([$<, [B, $>]], utf8) || B <- Bytes]},
     {latin1_bytes, [both(B, latin1) || B <- Bytes]},
     {utf8_split, [both(S, utf8) || S <- Split]},
     {wide, [both(D, E) || D <- wide_data(), E <- [utf16, {utf16, big}, {utf16, little}, utf32, {utf32, big},
                                                      {utf32, little}]]},
     {wide_cut, [both(D, E) || D <- wide_cut_data(), E <- [utf16, {utf16, little}, utf32, {utf32, little}]]},
     {wide_long, wide_long()},
     {bad_encodings, [t(fun() -> unicode:characters_to_binary(id("a"), E) end)
                      || E <- [foo, {utf16, middle}, {utf8, big}, {utf32}, "utf8", latin2]]},
     {bad_encodings_list, [t(fun() -> unicode:characters_to_list(id(<<"a">>), E) end)
                           || E <- [foo, {utf16, middle}, {utf8, big}]]},
     {badarg_frames, [t(fun() -> unicode:characters_to_binary(id(a), id(utf8)) end),
                      t(fun() -> unicode:characters_to_binary(id([a]), id(latin1)) end),
                      t(fun() -> unicode:characters_to_binary(id([a]), id(utf16)) end),
                      t(fun() -> unicode:characters_to_list(id(<<1:1>>), id(utf8)) end),
                      t(fun() -> unicode:characters_to_list(id([1 | a]), id({utf32, little})) end),
                      t(fun() -> unicode:characters_to_binary(id(a)) end),
                      t(fun() -> unicode:characters_to_list(id(a)) end)]},
     {arity_1, [{r(fun() -> unicode:characters_to_binary(D) end), r(fun() -> unicode:characters_to_list(D) end)}
                || D <- Utf8Data ++ Bytes]},
     {to_binary_3_utf8_out, [r(fun() -> unicode:characters_to_binary(D, In, Out) end)
                             || D <- [<<"ab">>, "äb", [<<"€"/utf8>>, 228], <<228>>, [256], [-1], a],
                                In <- [latin1, utf8, unicode], Out <- [utf8, unicode]]},
     {bin_is_7bit, [unicode:bin_is_7bit(B) || B <- [<<>>, <<"abc">>, <<"a", 128>>, <<127>>, <<1:1>>, <<1, 2:3>>,
                                                    a, "abc", list_to_binary(lists:seq(0, 127))]]},
     {long, long()},
     {random_utf8, random_sample(2024, 120)},
     {random_hash, erlang:phash2(random_sample(7, 1500))}].

wide_data() ->
    [<<>>, [], <<0, 97, 0, 98>>, <<97, 0, 98, 0>>, <<0, 0, 0, 97>>, <<97, 0, 0, 0>>,
     <<16#D8, 16#3D, 16#DE, 16#00>>, <<16#3D, 16#D8, 16#00, 16#DE>>, <<0, 0, 16#F6, 16#00>>, <<0, 16#F6, 0, 0>>,
     <<16#DC, 0>>, <<0, 16#DC>>, <<16#D8, 0, 0, 16#41>>, <<0, 16#D8, 16#41, 0>>, <<0, 16#11, 0, 0>>,
     <<0, 0, 16#11, 0>>, <<0, 0, 16#D8, 0>>, <<0, 16#D8, 0, 0>>, <<16#FF, 16#FE, 0, 0>>, <<16#FE, 16#FF, 0, 0>>,
     [97, 98], [16#10FFFF], [16#110000], [-1], [16#DFFF], [99999999999999999999], [a], [1.0], [97 | a], a, 1,
     [<<0, 97>>, 98, [<<0, 99>>]], [<<0, 97>> | <<0, 98>>], [[<<0, 97, 0>>]], [<<0, 97>>, 16#110000, atom],
     [<<0, 97>>, [[<<16#DC, 0, 0, 98>>, 99]], 100], [[[<<16#DC, 0>>]] | <<0, 98>>], [<<1:1>>], <<1:1>>,
     [<<"ab">>, atom], [[], [[]], <<>>], "héllo"].

%% Characters cut across binaries and at the end, in each width.
wide_cut_data() ->
    [<<0>>, <<0, 97, 16#D8>>, <<0, 97, 16#D8, 0>>, <<0, 97, 16#D8, 0, 16#DC>>, <<0, 0, 0>>, <<0, 0>>,
     <<0, 0, 1>>, <<0, 17, 0>>, <<0, 16#D8, 16#3D>>, <<16#3D, 16#D8, 0>>, <<16#FF, 16#FF, 0>>, <<16#FE, 16#FF, 0>>,
     <<0, 16#DC>>, <<16#DC>>, <<16#DB>>, <<16#E0>>,
     [<<0, 97, 16#D8>>, 65], [<<0, 97, 16#D8>>, <<0>>, <<16#DC, 0, 0, 98>>],
     [<<0, 97, 16#D8>>, <<0>>, <<16#DC, 0, 0>>], [[<<0, 97, 16#D8>> | <<0>>], <<16#DC, 0, 0, 98>>],
     [<<16#D8>>, <<0, 16#DC>>, <<0>>], [<<0, 0>>, <<0>>, <<97>>], [<<97, 0>>, <<0>>, [<<0>>]],
     [<<0>>, [<<0>>, [<<0>>]], <<97>>], [1, 2 | <<0, 0, 0>>], [<<0>> | <<0>>], [<<0>>, [], <<0, 0, 97>>],
     [<<0, 0, 0>>, [65]], [<<16#D8, 0>>, [[65]]], [<<16#D8, 0>>, <<16#41, 0>>], [<<0, 16#D8>>, <<0, 16#41>>],
     [<<0, 0, 16#D8>>, <<0>>, 65], [<<16#D8>>, <<>>, <<>>]].

%% Binaries over 8192 bytes are walked in pieces by unicode.erl: errors
%% and cut characters around the piece boundary.
wide_long() ->
    A = binary:copy(<<0, 97>>, 4095),
    [shape(both(D, E))
     || D <- [iolist_to_binary([A, <<0, 98>>, <<16#DC, 0, 0, 99>>]), iolist_to_binary([A, <<0, 98, 16#DC, 0>>]),
              iolist_to_binary([A, <<0>>, <<98, 16#D8, 0, 16#DC, 0>>]), [<<0, 97>>, iolist_to_binary([A, <<0>>])],
              [iolist_to_binary([A, <<0, 98, 16#D8, 0>>]), <<16#DC, 0, 16#DC, 0>>, 65],
              iolist_to_binary([A, A, A, <<0, 99, 0>>])],
        E <- [utf16]] ++
    [byte_size(unicode:characters_to_binary(binary:copy(<<0, 0, 0, 97>>, 5000), utf32))].

%% A term with its long binaries and lists summarised.
shape(B) when is_binary(B), byte_size(B) > 16 ->
    {binary, byte_size(B), binary:part(B, byte_size(B), -4)};
shape(L) when is_list(L) ->
    case length(L) > 16 of
        true -> {list, length(L), lists:nthtail(length(L) - 2, L)};
        false -> [shape(X) || X <- L]
    end;
shape(T) when is_tuple(T) -> list_to_tuple([shape(X) || X <- tuple_to_list(T)]);
shape(X) -> X.

long() ->
    Text = lists:flatten(lists:duplicate(3000, "aé€𝄞")),
    Bin = unicode:characters_to_binary(Text),
    [byte_size(Bin), length(unicode:characters_to_list(Bin)), unicode:characters_to_list(Bin) =:= Text,
     unicode:characters_to_binary([Bin, Text]) =:= iolist_to_binary([Bin, Bin]),
     unicode:characters_to_binary(Text ++ [-1]) =:= {error, Bin, [-1]},
     both([Bin, <<"x", 255, "y">> | Text], utf8) =:= {{error, iolist_to_binary([Bin, "x"]), [<<255, "y">> | Text]},
                                                       {error, Text ++ "x", [<<255, "y">> | Text]}},
     length(unicode:characters_to_list(lists:duplicate(20000, 255), latin1))].

%% A linear congruential generator, for a reproducible sample.
next(X) -> (X * 1103515245 + 12345) rem 2147483648.

%% Random bytes, more than half of them ASCII, some of them lead and
%% continuation bytes.
random_bytes(X, 0, Acc) -> {Acc, X};
random_bytes(X, N, Acc) ->
    X1 = next(X),
    R = X1 div 65536,
    B = case R rem 4 of
            0 -> 16#80 + R div 4 rem 64;
            1 -> lists:nth(1 + R div 4 rem 8, [16#C3, 16#E2, 16#F0, 16#ED, 16#E0, 16#F4, 16#C0, 16#FF]);
            _ -> $a + R div 4 rem 26
        end,
    random_bytes(X1, N - 1, [B | Acc]).

%% Bytes cut into a random mix of binaries, integers and nested lists.
chop(X, [], Acc) -> {lists:reverse(Acc), X};
chop(X, Bytes, Acc) ->
    X1 = next(X),
    R = X1 div 65536,
    N = min(length(Bytes), 1 + R rem 4),
    {Piece, Rest} = lists:split(N, Bytes),
    Item = case R div 4 rem 4 of
               0 -> list_to_binary(Piece);
               1 -> Piece;
               2 -> [list_to_binary(Piece)];
               3 -> hd(Piece)
           end,
    chop(X1, Rest, [Item | Acc]).

random_sample(_X, 0) -> [];
random_sample(X, N) ->
    X1 = next(X),
    {Bytes, X2} = random_bytes(X1, X1 div 65536 rem 12, []),
    {Data, X3} = chop(X2, Bytes, []),
    [both(Data, utf8), both(list_to_binary(Bytes), utf8) | random_sample(X3, N - 1)].
