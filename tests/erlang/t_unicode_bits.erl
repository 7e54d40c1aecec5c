%% The text functions of stdlib whose Erlang code runs bit syntax over the
%% natives: unicode:characters_to_binary/3 into every encoding,
%% unicode:bom_to_encoding/1, normalisation (unicode_util),
%% binary:encode_hex/1 and decode_hex/1. The program itself uses no bit
%% syntax expressions; it needs the VM's bit-syntax instructions.
-module(t_unicode_bits).
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

encodings() ->
    [latin1, utf8, unicode, utf16, {utf16, big}, {utf16, little}, utf32, {utf32, big}, {utf32, little}].

main() ->
    Data = [<<>>, "abc", "äbc", [228, <<"b">>], [8364], [16#1F600], [256], [-1], [16#D800], [16#110000],
            <<"€"/utf8>>, <<255>>, [<<"a">> | <<"b">>], [a], a],
    Encoded = [unicode:characters_to_binary("aä€😀", unicode, E) || E <- encodings(), E =/= latin1],
    [{to_binary_3, [r(fun() -> unicode:characters_to_binary(D, In, Out) end)
                    || D <- Data, In <- [latin1, utf8], Out <- encodings()]},
     {encoded, Encoded},
     {round_trip, [unicode:characters_to_list(B, E) =:= "aä€😀"
                   || {B, E} <- lists:zip(Encoded, [E || E <- encodings(), E =/= latin1])]},
     {from_wide, [r(fun() -> unicode:characters_to_binary(B, In, Out) end)
                  || B <- [<<0, 97, 0, 228>>, <<0, 97, 1, 0>>, <<0, 97, 16#D8>>, <<16#DC, 0>>],
                     In <- [utf16, {utf16, little}], Out <- [latin1, utf8, utf32]]},
     {frames, [t(fun() -> unicode:characters_to_binary(id([a]), id(utf8), id(utf16)) end),
               t(fun() -> unicode:characters_to_binary(id("a"), id(utf8), id(foo)) end)]},
     {boms, [unicode:bom_to_encoding(B)
             || B <- [<<239, 187, 191, "x">>, <<254, 255>>, <<255, 254>>, <<0, 0, 254, 255>>, <<255, 254, 0, 0>>,
                      <<"plain">>]]},
     {normalise, [{unicode:characters_to_nfc_list(S), unicode:characters_to_nfd_list(S),
                   unicode:characters_to_nfkc_list(S), unicode:characters_to_nfkd_list(S),
                   unicode:characters_to_nfc_binary(S)}
                  || S <- ["Å", [65, 778], "ﬁ", "é", <<"e", 204, 129>>, "abc"]]},
     {hex, [binary:encode_hex(B) || B <- [<<>>, <<0>>, <<1, 2, 3, 255>>, <<"hello world">>]]},
     {unhex, [r(fun() -> binary:decode_hex(B) end)
              || B <- [<<>>, <<"00">>, <<"0102ff">>, <<"0102FF">>, <<"abc">>, <<"zz">>]]}].
