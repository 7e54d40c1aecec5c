%% OTP's binary module: searching with one and several patterns (fixed
%% cases and a seeded random sample), split options, replace, slicing,
%% bytes, copies, common prefixes and suffixes, unsigned integers. Bad
%% arguments are caught and returned with the top frame of their stack
%% trace.
-module(t_binmod).
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
    Subjects = [<<>>, <<"a">>, <<"abc">>, <<"abcabc">>, <<"aaaa">>, <<"abcde">>, <<"xyz">>, <<"banana">>],
    Patterns = [<<"a">>, <<"b">>, <<"abc">>, <<"aa">>, [<<"a">>], [<<"ab">>, <<"abc">>], [<<"b">>, <<"c">>],
                [<<"an">>, <<"nan">>, <<"a">>], [<<"ab">>, <<"bcd">>, <<"abcde">>, <<"c">>], [<<"zz">>, <<"q">>]],
    Scopes = [[], [{scope, {0, 3}}], [{scope, {1, 2}}], [{scope, {3, -2}}], [{scope, {2, 0}}], [{scope, {0, 0}}],
              [{scope, {1, 10}}], [{scope, {0, 2}}, {scope, {2, 2}}]],
    [{match_2, [r(fun() -> binary:match(S, P) end) || S <- Subjects, P <- Patterns]},
     {matches_2, [r(fun() -> binary:matches(S, P) end) || S <- Subjects, P <- Patterns]},
     {match_3, [r(fun() -> binary:match(S, P, O) end)
                || S <- [<<"abcabc">>, <<"banana">>], P <- Patterns, O <- Scopes]},
     {matches_3, [r(fun() -> binary:matches(S, P, O) end)
                  || S <- [<<"abcabc">>, <<"banana">>], P <- Patterns, O <- Scopes]},
     {compiled, [compiled(S, P) || S <- Subjects, P <- Patterns]},
     %% erl's compiled patterns hold references; a tuple made by hand or
     %% with the other tag is refused.
     {compiled_form, is_reference(element(2, binary:compile_pattern(<<"a">>))),
      is_reference(element(2, binary:compile_pattern([<<"a">>, <<"b">>]))),
      element(1, binary:compile_pattern([<<"a">>])),
      r(fun() -> binary:match(<<"abc">>, {bm, <<"a">>}) end),
      r(fun() -> binary:match(<<"abc">>, {ac, [<<"a">>, <<"b">>]}) end),
      r(fun() -> binary:match(<<"abc">>, {ac, element(2, binary:compile_pattern(<<"a">>))}) end),
      r(fun() -> binary:match(<<"abc">>, {bm, element(2, binary:compile_pattern([<<"a">>, <<"c">>]))}) end),
      r(fun() -> binary:match(<<"abc">>, {bm, make_ref()}) end),
      r(fun() -> binary:compile_pattern(binary:compile_pattern(<<"a">>)) end),
      binary:matches(<<"abcabc">>, binary:compile_pattern([<<"bc">>, <<"a">>]))},
     {compile_errors, [r(fun() -> binary:compile_pattern(P) end)
                       || P <- [<<>>, [], [<<>>], [<<"a">>, <<>>], [<<"a">> | <<"b">>], a, {bm, <<"a">>},
                                <<1:1>>, [<<1:1>>], ["a"]]]},
     {match_errors, [r(fun() -> binary:match(S, P, O) end)
                     || {S, P, O} <- [{a, <<"a">>, []}, {<<1:1>>, <<"a">>, []}, {<<"abc">>, <<>>, []},
                                      {<<"abc">>, a, []}, {<<"abc">>, <<"a">>, a}, {<<"abc">>, <<"a">>, [a]},
                                      {<<"abc">>, <<"a">>, [{scope, {2, 2}}]}, {<<"abc">>, <<"a">>, [{scope, 1}]},
                                      {<<"abc">>, <<"a">>, [{scope, {-1, 1}}]},
                                      {<<"abc">>, <<"a">>, [{scope, {0, 4}}]},
                                      {<<"abc">>, <<"a">>, [{scope, {1, -2}}]},
                                      {<<"abc">>, <<"a">>, [{scope, {0, 1}} | tail]},
                                      {<<>>, not_a_pattern, []}, {<<"abc">>, <<"a">>, [{scope, {0, 0}}]},
                                      {<<"abc">>, not_a_pattern, [{scope, {0, 0}}]},
                                      {<<"abc">>, <<"a">>, [global]}, {<<"abc">>, <<"a">>, [{scope, {3, 0}}]}]]},
     {error_frames, [t(fun() -> binary:match(id(<<"abc">>), id(<<>>)) end),
                     t(fun() -> binary:matches(id(<<"abc">>), id(<<"b">>), id([x])) end),
                     t(fun() -> binary:split(id(a), id(<<"b">>)) end),
                     t(fun() -> binary:compile_pattern(id([])) end),
                     t(fun() -> binary:part(id(<<"abc">>), id(2), id(2)) end),
                     t(fun() -> binary:at(id(<<>>), id(0)) end),
                     t(fun() -> binary:copy(id(<<"a">>), id(-1)) end),
                     t(fun() -> binary:decode_unsigned(id(<<1>>), id(middle)) end),
                     t(fun() -> binary:bin_to_list(id(<<"abc">>), id(2), id(5)) end),
                     t(fun() -> binary:replace(id(<<"abc">>), id(<<"b">>), id(x)) end),
                     t(fun() -> binary:replace(id(<<"abc">>), id(<<"b">>), id(<<"x">>), id([bad])) end)]},
     {split_2, [r(fun() -> binary:split(S, P) end) || S <- Subjects, P <- Patterns]},
     {split_3, [r(fun() -> binary:split(S, P, O) end)
                || S <- [<<"abcabc">>, <<",a,,b,,">>, <<",">>, <<",,">>, <<>>, <<"a,b">>],
                   P <- [<<",">>, <<"abc">>, [<<"b">>, <<",">>]],
                   O <- [[], [global], [trim], [trim_all], [global, trim], [global, trim_all], [trim, trim_all],
                         [{scope, {1, 3}}], [global, {scope, {1, 3}}], [global, trim_all, {scope, {0, 2}}]]]},
     {split_errors, [r(fun() -> binary:split(S, P, O) end)
                     || {S, P, O} <- [{<<"a">>, <<"a">>, [foo]}, {<<"a">>, <<"a">>, foo}, {<<"a">>, <<>>, []},
                                      {<<"a">>, <<"a">>, [{scope, {0, 2}}]}, {<<>>, bad, []},
                                      {<<"a,b">>, <<",">>, [global | trim]}]]},
     {random_matches, random_search(12345, 150, fun(H, P) -> binary:matches(H, P) end)},
     {random_match, random_search(777, 150, fun(H, P) -> binary:match(H, P) end)},
     {random_split, random_search(4242, 100, fun(H, P) -> binary:split(H, P, [global]) end)},
     {random_hash, erlang:phash2(random_search(99, 1500, fun(H, P) -> {binary:match(H, P), binary:matches(H, P)} end))},
     {long_subject, long_subject()},
     {replace, [r(fun() -> binary:replace(S, P, R, O) end)
                || S <- [<<"abcabc">>, <<"banana">>],
                   P <- [<<"a">>, [<<"an">>, <<"b">>]],
                   R <- [<<>>, <<"[]">>],
                   O <- [[], [global], [{insert_replaced, 1}], [global, {insert_replaced, [0, 2]}],
                         [global, {scope, {1, 3}}], [bad]]]},
     {replace_3, [binary:replace(<<"a-b-c">>, <<"-">>, <<"+">>),
                  binary:replace(<<"a-b-c">>, binary:compile_pattern([<<"-">>, <<"b">>]), <<"">>)]},
     {part, [r(fun() -> binary:part(B, P, L) end)
             || B <- [<<"abcde">>, <<1, 2, 3:4>>, a], P <- [0, 2, 5, 6], L <- [-3, -1, 0, 2, 3]]},
     {part_2, [r(fun() -> binary:part(<<"abcde">>, PL) end) || PL <- [{1, 2}, {5, -5}, {0, 6}, {1}, x]]},
     {at, [r(fun() -> binary:at(B, I) end)
           || B <- [<<"abc">>, <<>>, <<1, 2:3>>, a], I <- [0, 2, 3, -1, 1 bsl 64, x]]},
     {first_last, [r(fun() -> {binary:first(B), binary:last(B)} end)
                   || B <- [<<"abc">>, <<"z">>, <<>>, <<1, 2:3>>, a, bytes(100)]]},
     {bin_to_list, [r(fun() -> binary:bin_to_list(B) end) || B <- [<<"abc">>, <<>>, <<1:1>>, a]]},
     {bin_to_list_2, [r(fun() -> binary:bin_to_list(<<"abcdef">>, PL) end)
                      || PL <- [{0, 6}, {2, 2}, {6, -3}, {6, 0}, {0, 7}, {7, 0}, x]]},
     {bin_to_list_3, [r(fun() -> binary:bin_to_list(B, P, L) end)
                      || B <- [<<"abcdef">>, <<1, 2:4>>], P <- [0, 1, 6, 7], L <- [-2, 0, 1, 6]]},
     {list_to_bin, [r(fun() -> binary:list_to_bin(L) end)
                    || L <- [[], [1, <<2>>, [3]], "abc", <<"x">>, [a], [<<1:1>>], [1 | <<2>>]]]},
     {copy, [r(fun() -> binary:copy(B, N) end)
             || B <- [<<"ab">>, <<>>, <<1:1>>, a], N <- [0, 1, 3, -1, x]]},
     {copy_1, [r(fun() -> binary:copy(B) end) || B <- [<<"ab">>, <<>>, <<1:1>>, a]]},
     {copy_large, [byte_size(binary:copy(<<"abc">>, 1000)), binary:last(binary:copy(<<"abc">>, 1000))]},
     {referenced_byte_size, referenced()},
     {longest_common, [r(fun() -> {binary:longest_common_prefix(L), binary:longest_common_suffix(L)} end)
                       || L <- [[<<"abc">>], [<<"abc">>, <<"abd">>], [<<"xbc">>, <<"abc">>, <<"bc">>],
                                [<<>>, <<"a">>], [<<"same">>, <<"same">>], [], [a], [<<"a">> | <<"b">>],
                                [<<1:1>>], [<<"ab">>, <<1:1>>], [bytes(100), bytes(99)],
                                [bytes(100), binary:part(bytes(101), 1, 100)]]]},
     {decode_unsigned, [r(fun() -> {binary:decode_unsigned(B), binary:decode_unsigned(B, little)} end)
                        || B <- [<<>>, <<0>>, <<1>>, <<1, 0>>, <<0, 0, 1>>, <<255, 255, 255, 255, 255, 255, 255, 255>>,
                                 <<1, 0, 0, 0, 0, 0, 0, 0, 0>>, <<0, 0, 0, 0, 0, 0, 0, 0, 0, 1>>, bytes(20),
                                 <<1:1>>, a]]},
     {decode_unsigned_errors, [r(fun() -> binary:decode_unsigned(<<1>>, E) end) || E <- [big, little, native, 1]]},
     {encode_unsigned, [r(fun() -> {binary:encode_unsigned(I), binary:encode_unsigned(I, little)} end)
                        || I <- [0, 1, 255, 256, 65535, 1 bsl 32, (1 bsl 64) - 1, 1 bsl 64, 1 bsl 100,
                                 (1 bsl 200) + 12345, -1, -(1 bsl 70), 1.0, a]]},
     {encode_unsigned_errors, [r(fun() -> binary:encode_unsigned(1, E) end) || E <- [big, little, native, 1]]},
     {unsigned_round_trip, [binary:decode_unsigned(binary:encode_unsigned(I, E), E) =:= I
                            || I <- [0, 7, 1 bsl 63, (1 bsl 130) - 1], E <- [big, little]]}].

%% The results of searching with a compiled pattern ({bm | ac, Ref}).
compiled(S, P) ->
    CP = binary:compile_pattern(P),
    {element(1, CP), binary:match(S, CP), binary:matches(S, CP), binary:split(S, CP, [global])}.

%% A linear congruential generator, for a reproducible sample.
next(X) -> (X * 1103515245 + 12345) rem 2147483648.

random_bytes(X, 0, _Alphabet, Acc) -> {list_to_binary(Acc), X};
random_bytes(X, N, Alphabet, Acc) ->
    X1 = next(X),
    random_bytes(X1, N - 1, Alphabet, [$a + (X1 div 65536) rem Alphabet | Acc]).

%% N searches with random patterns (one to four, each one to four bytes of
%% a two- or three-letter alphabet) in random subjects of up to 40 bytes.
random_search(_X, 0, _Search) -> [];
random_search(X, N, Search) ->
    Alphabet = 2 + X rem 2,
    X1 = next(X),
    Count = 1 + (X1 div 65536) rem 4,
    {Patterns, X2} = lists:foldl(fun(_, {Acc, Y}) ->
                                         Y1 = next(Y),
                                         {P, Y2} = random_bytes(Y1, 1 + (Y1 div 65536) rem 4, Alphabet, []),
                                         {[P | Acc], Y2}
                                 end, {[], X1}, lists:seq(1, Count)),
    X3 = next(X2),
    {Subject, X4} = random_bytes(X3, (X3 div 65536) rem 41, Alphabet, []),
    [Search(Subject, Patterns) | random_search(X4, N - 1, Search)].

long_subject() ->
    Subject = iolist_to_binary([lists:duplicate(5000, $x), "needle", lists:duplicate(5000, $y), "needle"]),
    {binary:match(Subject, <<"needle">>), binary:matches(Subject, <<"needle">>),
     binary:matches(Subject, [<<"needle">>, <<"xn">>, <<"ey">>]), length(binary:split(Subject, <<"x">>, [global])),
     binary:split(Subject, <<"x">>, [global, trim_all]) =:=
         [iolist_to_binary(["needle", binary:copy(<<"y">>, 5000), "needle"])]}.

referenced() ->
    Big = bytes(300),
    [binary:referenced_byte_size(B)
     || B <- [<<"abc">>, Big, binary:part(Big, 0, 10), binary:part(Big, 0, 100), binary:copy(<<"abc">>, 30),
              element(2, split_binary(Big, 200)), binary:part(binary:part(Big, 10, 200), 5, 150)]] ++
        [r(fun() -> binary:referenced_byte_size(a) end)].
