%% The erlang module's BIFs on binaries and text: splitting and slicing,
%% list and bitstring conversions, checksums, atoms, integers and floats
%% as text. Bad arguments are caught and returned with the top frame of
%% their stack trace.
-module(t_binbif).
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

bytes(N) -> list_to_binary([I rem 256 || I <- lists:seq(1, N)]).

main() ->
    Big = bytes(300),
    Bins = [<<>>, <<1>>, <<1, 2, 3>>, <<1, 2, 3:4>>, <<5:3>>, bytes(70)],
    [{split_binary, [r(fun() -> split_binary(B, P) end) || B <- Bins, P <- [0, 1, 2, 3, 69, 70, 71]]},
     {split_binary_errors, [t(fun() -> split_binary(B, P) end)
                            || {B, P} <- [{<<1>>, -1}, {a, 0}, {<<1>>, a}, {<<1>>, 1 bsl 64}, {[1], 0}]]},
     {split_binary_big, [byte_size(X) || X <- tuple_to_list(split_binary(Big, id(100)))]},
     {binary_part_3, [r(fun() -> binary_part(B, P, L) end)
                      || B <- Bins, P <- [0, 1, 3], L <- [-2, -1, 0, 1, 2, 5]]},
     {binary_part_2, [r(fun() -> binary_part(B, PL) end)
                      || B <- [<<1, 2, 3>>, <<1, 2, 3:4>>],
                         PL <- [{0, 3}, {3, -3}, {1, 1}, {2, -2}, {4, 0}, {1, 2, 3}, [0, 1], {a, 1}, {0, b}]]},
     {binary_part_big, [byte_size(binary_part(Big, 10, 200)), binary_part(Big, 298, 2),
                        binary_part(Big, {300, -1})]},
     {binary_part_limits, [r(fun() -> binary_part(<<1, 2, 3>>, P, L) end)
                           || {P, L} <- [{1 bsl 64, 0}, {(1 bsl 64) - 1, 1}, {0, 1 bsl 63}, {1, -(1 bsl 63)},
                                         {3, -(1 bsl 63) + 1}, {-1, 1}, {1.0, 1}]]},
     {binary_part_errors, [t(fun() -> erlang:binary_part(id(<<1>>), id(0), id(2)) end),
                           t(fun() -> erlang:binary_part(id(<<1>>), id({0, 2})) end)]},
     {binary_part_guard, [guard_part(B) || B <- [<<1, 2>>, <<1>>, <<>>, <<9, 9, 9>>, not_binary]]},
     {binary_to_list_3, [r(fun() -> binary_to_list(B, S, E) end)
                         || B <- [<<1, 2, 3>>, <<1, 2, 3:4>>, <<>>], S <- [0, 1, 2, 3, 4], E <- [1, 2, 3, 4]]},
     {binary_to_list_3_errors, [t(fun() -> binary_to_list(id(B), id(S), id(E)) end)
                                || {B, S, E} <- [{a, 1, 1}, {<<1>>, a, 1}, {<<1>>, 1, 1 bsl 64}, {<<1>>, 2, 1}]]},
     {bitstring_to_list, [r(fun() -> bitstring_to_list(B) end)
                          || B <- Bins ++ [<<1:1>>, <<255, 255:7>>, a, [1]]]},
     {bitstring_to_list_big, length(bitstring_to_list(Big))},
     {list_to_bitstring, [r(fun() -> list_to_bitstring(L) end)
                          || L <- [[], [<<>>], [<<1:1>>], [1, 2, 3], [<<1:1>>, [<<1:3>>, 255] | <<7:3>>],
                                   [<<1:1>> | 2], <<1:1>>, [<<1:4>>, <<2:4>>], [[[<<3:2>>]], <<>>, 7 | <<1:1>>],
                                   [256], [-1], [a], [1 | a], [<<1:7>>, <<1:7>>, <<1:7>>, <<1:7>>, 255],
                                   [<<1, 2, 3>>, <<4:4>>, <<5, 6>>], "abc", [<<"abc">> | <<"def">>]]]},
     {list_to_bitstring_errors, [t(fun() -> list_to_bitstring(id(L)) end) || L <- [a, [a], [1 | 2]]]},
     {list_to_binary, [r(fun() -> list_to_binary(L) end)
                       || L <- [[], [[], []], [1, [2, <<3>>], <<4>>], [<<1:1>>], <<1>>, [<<1>> | <<2>>],
                                [1 | 2], [256], [-1], [1.0], "hello", [[[[[[65]]]]]]]]},
     {iolist_to_binary, [r(fun() -> iolist_to_binary(L) end)
                         || L <- [<<1, 2>>, <<1:1>>, [], [<<"a">>, "b", [$c | <<"d">>]], a, [a], [<<1:1>>]]]},
     {iolist_size, [r(fun() -> iolist_size(L) end)
                    || L <- [<<1, 2>>, [], [<<"a">>, "b", [$c | <<"d">>]], [Big, Big], a, <<1:1>>, [1 | 2]]]},
     {list_binary_errors, [t(fun() -> list_to_binary(id(a)) end), t(fun() -> iolist_to_binary(id([a])) end),
                           t(fun() -> iolist_size(id(a)) end), t(fun() -> binary_to_list(id(a)) end)]},
     {binary_to_list, [r(fun() -> binary_to_list(B) end) || B <- [<<>>, <<1, 2>>, <<1:1>>, a]]},
     {md5, [r(fun() -> erlang:md5(D) end)
            || D <- [<<>>, "abc", [<<"a">>, "bc"], Big, [Big, Big, "x"], bytes(55), bytes(56), bytes(64), a, [256],
                     <<1:1>>]]},
     {md5_context, [md5_parts(D, N) || D <- [bytes(200), <<"The quick brown fox">>], N <- [1, 3, 7, 64, 65]]},
     {md5_init_size, byte_size(erlang:md5_init())},
     {md5_context_errors, [t(fun() -> erlang:md5_update(id(<<1, 2>>), "a") end),
                           t(fun() -> erlang:md5_update(erlang:md5_update(erlang:md5_init(), bytes(64)), id(a)) end),
                           t(fun() -> erlang:md5_final(id(a)) end),
                           t(fun() -> erlang:md5_final(list_to_bitstring([binary:copy(<<0>>, 87), <<0:4>>])) end),
                           t(fun() -> erlang:md5_final(binary:copy(<<0>>, 89)) end),
                           t(fun() -> erlang:md5(id(a)) end)]},
     {crc32, [r(fun() -> erlang:crc32(D) end) || D <- [<<>>, "abc", [<<"a">>, "bc"], Big, [1 | <<2>>], a, [-1]]]},
     {crc32_2, [r(fun() -> erlang:crc32(C, D) end)
                || C <- [0, 1, 16#FFFFFFFF, 16#100000000, -1, a], D <- [<<>>, "abc", Big]]},
     {crc32_combine, [r(fun() -> erlang:crc32_combine(A, B, L) end)
                      || A <- [0, 123456789, 16#FFFFFFFF], B <- [0, 987654321], L <- [0, 1, 10, 300, 16#FFFFFFFF]]},
     {crc32_combine_check, crc32_combine_check(Big)},
     {crc32_combine_errors, [t(fun() -> erlang:crc32_combine(id(A), 1, 1) end) || A <- [-1, 1 bsl 32, a]]},
     {adler32, [r(fun() -> erlang:adler32(D) end) || D <- [<<>>, "abc", [<<"a">>, "bc"], Big, bytes(6000), a]]},
     {adler32_2, [r(fun() -> erlang:adler32(C, D) end)
                  || C <- [0, 1, 65520, 65521, 16#FFF0FFF0, 16#FFFFFFFF, 16#FFF1FFF1, 1 bsl 32, a],
                     D <- [<<>>, [], <<0>>, <<255>>, "abc", [1, [2], <<>>, 3], bytes(20), Big]]},
     {adler32_combine, [r(fun() -> erlang:adler32_combine(A, B, L) end)
                        || A <- [1, 16#FFFFFFFF, 123456], B <- [1, 16#FFFFFFFF], L <- [0, 1, 65521, 16#FFFFFFFF]]},
     {adler32_combine_check, adler32_combine_check(Big)},
     {checksum_errors, [t(fun() -> erlang:adler32(id(a)) end), t(fun() -> erlang:adler32(id(-1), "a") end),
                        t(fun() -> erlang:crc32(id(0), id(a)) end)]},
     {atom_to_binary, [r(fun() -> atom_to_binary(A) end) || A <- [abc, '', 'hello world', 'ärger', '€', "abc", 1]]},
     {atom_to_binary_2, [r(fun() -> atom_to_binary(A, E) end)
                         || A <- [abc, 'ärger', '€'], E <- [latin1, utf8, unicode, utf16, foo]]},
     {binary_to_atom, [r(fun() -> binary_to_atom(B) end)
                       || B <- [<<"abc">>, <<>>, <<"ärger"/utf8>>, <<255>>, <<1:1>>, abc, binary:copy(<<"a">>, 255),
                                binary:copy(<<"a">>, 256), binary:copy(<<"€"/utf8>>, 255),
                                binary:copy(<<"€"/utf8>>, 256)]]},
     {binary_to_atom_2, [r(fun() -> binary_to_atom(B, E) end)
                         || B <- [<<"abc">>, <<"ärger"/utf8>>, <<228>>, <<1:1>>, "abc"],
                            E <- [latin1, utf8, unicode, utf16, foo]]},
     {binary_to_existing_atom, [r(fun() -> binary_to_existing_atom(B) end)
                                || B <- [<<"abc">>, <<"t_binbif_surely_not_an_atom">>, <<255>>, a]]},
     {binary_to_existing_atom_2, [r(fun() -> binary_to_existing_atom(B, E) end)
                                  || B <- [<<"abc">>, <<228>>, <<"t_binbif_not_an_atom">>], E <- [latin1, utf8, x]]},
     {atom_errors, [t(fun() -> atom_to_binary(id(1)) end), t(fun() -> binary_to_atom(id(<<1:1>>), utf8) end),
                    t(fun() -> binary_to_atom(id(<<255>>), utf8) end),
                    t(fun() -> binary_to_existing_atom(id(<<"t_binbif_nope">>), latin1) end)]},
     {integer_to_binary, [r(fun() -> integer_to_binary(I) end)
                          || I <- [0, 7, -7, 1 bsl 59, -(1 bsl 59), 1 bsl 64, -(1 bsl 100), 1.0, a]]},
     {integer_to_binary_2, [r(fun() -> integer_to_binary(I, B) end)
                            || I <- [0, 255, -255, 1 bsl 70, -(1 bsl 70)], B <- [2, 10, 16, 36, 1, 37, a]]},
     {binary_to_integer, [r(fun() -> binary_to_integer(B) end)
                          || B <- [<<"0">>, <<"123">>, <<"-123">>, <<"+5">>, <<"007">>, <<>>, <<"-">>, <<"1.0">>,
                                   <<" 1">>, <<"123456789012345678901234567890">>, <<"1_000">>, "12", <<"12":4>>]]},
     {binary_to_integer_2, [r(fun() -> binary_to_integer(B, Base) end)
                            || B <- [<<"ff">>, <<"FF">>, <<"-zz">>, <<"102">>, <<"z">>],
                               Base <- [2, 16, 36, 37, 0]]},
     {float_to_binary, [r(fun() -> float_to_binary(F) end) || F <- [0.0, 1.5, -1.0e-300, 1.0e300, 1, a]]},
     {float_to_binary_2, [r(fun() -> float_to_binary(F, O) end)
                          || F <- [0.1, 123.456, -2.5e-7],
                             O <- [[], [short], [{decimals, 3}], [{decimals, 0}], [{decimals, 3}, compact],
                                   [{scientific, 2}], [{scientific, 0}], [{decimals, 254}], [{decimals, 254}, compact],
                                   [{decimals, 256}], [foo], [{scientific, -1}]]]},
     {binary_to_float, [r(fun() -> binary_to_float(B) end)
                        || B <- [<<"1.0">>, <<"-1.5e10">>, <<"1e10">>, <<"1.">>, <<".5">>, <<"1.0e">>, <<"2.5E-3">>,
                                 <<"1">>, <<"+1.0">>, <<" 1.0">>, <<"1.0 ">>, <<"1.7976931348623159e308">>, "1.0"]]},
     {number_text_errors, [t(fun() -> integer_to_binary(id(1), id(1)) end),
                           t(fun() -> binary_to_integer(id(<<"x">>)) end),
                           t(fun() -> binary_to_float(id(<<"x">>)) end),
                           t(fun() -> float_to_binary(id(1.0), id([x])) end)]},
     {sizes, [r(fun() -> {byte_size(B), bit_size(B)} end) || B <- Bins ++ [a]]}].

guard_part(B) when binary_part(B, 0, 2) =:= <<1, 2>> -> first_two;
guard_part(B) when binary_part(B, {byte_size(B), -1}) =:= <<9>> -> last_nine;
guard_part(_) -> other.

%% md5 of Data fed to md5_update in pieces of N bytes, with md5/1 of it.
md5_parts(Data, N) ->
    Context = md5_feed(erlang:md5_init(), Data, N),
    {erlang:md5_final(Context), erlang:md5(Data) =:= erlang:md5_final(Context)}.

md5_feed(Context, Data, N) when byte_size(Data) =< N -> erlang:md5_update(Context, Data);
md5_feed(Context, Data, N) ->
    {Piece, Rest} = split_binary(Data, N),
    md5_feed(erlang:md5_update(Context, [Piece]), Rest, N).

crc32_combine_check(Big) ->
    [begin
         {A, B} = split_binary(Big, N),
         erlang:crc32_combine(erlang:crc32(A), erlang:crc32(B), byte_size(B)) =:= erlang:crc32(Big)
     end || N <- [0, 1, 150, 299, 300]].

adler32_combine_check(Big) ->
    [begin
         {A, B} = split_binary(Big, N),
         erlang:adler32_combine(erlang:adler32(A), erlang:adler32(B), byte_size(B)) =:= erlang:adler32(Big)
     end || N <- [0, 1, 150, 299, 300]].
