%% The bit syntax: building and matching every segment kind, sizes, units,
%% endianness, signedness, floats, unicode, bitstrings that are not whole
%% bytes, comprehensions, and the errors erl raises.
-module(t_bits).
-export([main/0, id/1]).

%% Opaque to the compiler's type analysis (a remote call).
id(X) -> X.

main() ->
    [{int_build, int_build()},
     {int_match, int_match()},
     {int_roundtrip, int_roundtrip()},
     {big_ints, big_ints()},
     {floats, floats()},
     {float_match, float_match()},
     {binaries, binaries()},
     {bitstrings, bitstrings()},
     {sub_matching, sub_matching()},
     {utf, utf()},
     {utf_match, utf_match()},
     {strings, strings()},
     {comprehensions, comprehensions()},
     {positions, positions()},
     {tails, tails()},
     {build_errors, build_errors()},
     {match_failures, match_failures()},
     {guards, guards()},
     {appends, appends()},
     {order, order()},
     {bifs, bifs()}].

%% ---- integers -----------------------------------------------------------

int_values() ->
    [0, 1, -1, 5, -5, 127, 128, -128, 255, 256, 16#ABC, -16#ABC, 16#7FFF,
     16#FFFF, 16#12345678, -16#12345678, 16#7FFFFFFFFFFFFFFF,
     16#FFFFFFFFFFFFFFFF, -16#8000000000000000, 1 bsl 70 + 3,
     -(1 bsl 70) - 3].

int_build() ->
    Sizes = [0, 1, 3, 7, 8, 9, 12, 15, 16, 17, 24, 31, 32, 33, 47, 63, 64, 65, 72, 80],
    [{S, [{V, bin3(?MODULE:id(V), ?MODULE:id(S))} || V <- int_values()]} || S <- Sizes].

bin3(V, S) ->
    {<<V:S>>, <<V:S/little>>, <<V:S/native>>, <<V:S/signed-big>>}.

int_match() ->
    Bins = [<<>>, <<1>>, <<255>>, <<1, 2, 3, 4, 5, 6, 7, 8, 9, 10>>,
            <<16#80, 0, 0, 0, 0, 0, 0, 0, 0>>, <<16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF, 16#FF>>,
            <<16#A5, 16#5A, 16#C3, 16#3C, 1:1>>],
    [{B, [match_int(?MODULE:id(B), S) || S <- [1, 2, 5, 8, 11, 16, 20, 33, 64, 65, 72]]}
     || B <- Bins].

match_int(B, S) ->
    case B of
        <<X:S, R/bits>> ->
            <<Y:S/little, _/bits>> = B,
            <<Z:S/signed, _/bits>> = B,
            <<W:S/signed-little, _/bits>> = B,
            <<N:S/native, _/bits>> = B,
            {X, Y, Z, W, N, R};
        _ ->
            nomatch
    end.

int_roundtrip() ->
    lists:all(
      fun({V, S}) ->
              M = (1 bsl S),
              U = ((V rem M) + M) rem M,
              Sg = if U >= M div 2 -> U - M; true -> U end,
              <<A:S>> = <<V:S>>,
              <<B:S/little>> = <<V:S/little>>,
              <<C:S/signed>> = <<V:S>>,
              <<D:S/signed-little>> = <<V:S/little>>,
              {A, B, C, D} =:= {U, U, Sg, Sg}
      end,
      [{V, S} || V <- int_values(), S <- lists:seq(1, 80)]).

big_ints() ->
    Big = 1 bsl 200 + 12345678901234567890,
    NBig = -Big,
    B1 = <<Big:256>>,
    B2 = <<NBig:256/little>>,
    B3 = <<Big:203/little>>,
    <<X1:256>> = B1,
    <<X2:256/signed-little>> = B2,
    <<X3:203/little>> = B3,
    <<X4:100, X5:156/signed>> = B1,
    Huge = 1 bsl 1000,
    <<H:1001>> = <<Huge:1001>>,
    [B1, B2, B3, X1 =:= Big, X2 =:= NBig, X3 =:= Big, X4, X5, H =:= Huge,
     <<(1 bsl 64):64>>, <<(-1 bsl 64 - 1):72>>, byte_size(<<0:4000>>)].

%% ---- floats ---------------------------------------------------------------

floats() ->
    Fs = [0.0, -0.0, 1.0, -1.5, 0.1, 3.141592653589793, 1.0e10, 1.0e-10,
          65504.0, 65520.0, 1.0e300, 6.0e-8, 2.0e-5, 1.0000000001, 1.0e38, 3.5e38],
    [{F, <<(?MODULE:id(F)):64/float>>, <<F:32/float>>, <<F:16/float>>,
      <<F:64/float-little>>, <<F:32/float-little>>, <<F:16/float-little>>,
      <<F:64/float-native>>}
     || F <- Fs] ++
        [<<(?MODULE:id(3)):64/float>>, <<(?MODULE:id(-7)):32/float>>,
         <<(?MODULE:id(1 bsl 80)):64/float>>, <<(?MODULE:id(1 bsl 80)):16/float>>,
         <<1:1, (?MODULE:id(2.5)):32/float, 0:7>>,
         <<(?MODULE:id(1.5)):4/float-unit:8>>,
         <<(1.0 + math:pow(2, -11) + math:pow(2, -40)):16/float>>].

float_match() ->
    Bins = [<<0, 0, 0, 0, 0, 0, 240, 63>>, <<63, 240, 0, 0, 0, 0, 0, 0>>,
            <<64, 73, 15, 219>>, <<60, 0>>, <<124, 0>>, <<252, 0>>, <<126, 0>>,
            <<127, 128, 0, 0>>, <<127, 240, 0, 0, 0, 0, 0, 0>>,
            <<127, 248, 0, 0, 0, 0, 0, 1>>, <<0, 1>>, <<128, 1>>, <<4, 0>>,
            <<123, 255>>, <<1:1, 60, 0:7>>],
    [{B, [mfloat(?MODULE:id(B), S) || S <- [16, 32, 64]]} || B <- Bins].

mfloat(B, S) ->
    R1 = case B of <<F:S/float, _/bits>> -> F; _ -> no end,
    R2 = case B of <<G:S/float-little, _/bits>> -> G; _ -> no end,
    R3 = case B of <<_:1, H:S/float, _/bits>> -> H; _ -> no end,
    {R1, R2, R3}.

%% ---- binaries ---------------------------------------------------------------

binaries() ->
    B = ?MODULE:id(<<1, 2, 3, 4, 5, 6, 7, 8>>),
    S = ?MODULE:id(3),
    <<X:S/binary, Rest/binary>> = B,
    <<Y:2/binary-unit:16, Z/bytes>> = B,
    <<U:3/bits, V:5/bitstring, W/bits>> = B,
    [X, Rest, Y, Z, U, V, W,
     <<B/binary, B/binary>>, <<X:2/binary, (?MODULE:id(<<9, 9>>))/binary>>,
     <<B:3/binary-unit:16>>, <<(?MODULE:id(U))/bits, 1:3>>,
     <<(?MODULE:id(<<1:4>>))/bits, (?MODULE:id(<<2:4>>))/bits>>,
     <<(?MODULE:id(<<"abc">>)):1/binary-unit:3>>,
     byte_size(<<B/binary, 0:7>>), bit_size(<<B/binary, 0:7>>),
     [<<(?MODULE:id(B)):N/binary>> || N <- lists:seq(0, 8)],
     [<<(?MODULE:id(B)):N/bits>> || N <- lists:seq(0, 64, 5)],
     binary_to_list(<<(?MODULE:id(<<"hello">>))/binary, " ", "world">>),
     big_binary()].

big_binary() ->
    L = lists:seq(0, 255),
    B = list_to_binary([L, L, L]),
    <<_:100/binary, Mid:300/binary, _/binary>> = B,
    <<_:3, Odd:500/bits, _/bits>> = B,
    {byte_size(Mid), first5(Mid), bit_size(Odd),
     binary_to_list(<<Odd:496/bits>>) =:= [(X bsl 3 band 255) bor (X + 1) bsr 5 rem 8 || X <- lists:seq(0, 61)],
     crc(B, 0)}.

first5(<<P:5/binary, _/binary>>) -> P.

crc(<<X:8, R/binary>>, Acc) -> crc(R, (Acc * 31 + X) rem 1000003);
crc(<<>>, Acc) -> Acc.

bitstrings() ->
    A = ?MODULE:id(<<5:3>>),
    B = ?MODULE:id(<<1:1>>),
    C = <<A/bits, B/bits, A/bits, 255, A/bits>>,
    <<P:4, Q:7, R/bits>> = C,
    [A, B, C, bit_size(C), P, Q, R, is_binary(C), is_bitstring(C),
     <<C/bits, C/bits>>, <<0:1, C/bits, 1:1>>,
     [<<X:N>> || N <- [1, 2, 3, 5, 7, 9, 13], X <- [0, 1, 3]],
     bit_size(<<C/bits, 0:3>>), byte_size(C),
     bits_rev(<<16#F0F0:16>>), bits_rev(<<1:1, 0:2, 1:1, 1:1>>),
     <<(?MODULE:id(<<1:1>>))/bitstring, (?MODULE:id(<<>>))/bits>>].

bits_rev(B) -> << <<X:1>> || <<X:1>> <= rev_list(B) >>.

rev_list(B) -> << <<X:1>> || X <- lists:reverse([X || <<X:1>> <= B]) >>.

sub_matching() ->
    B = ?MODULE:id(<<"The quick brown fox">>),
    <<_:4/binary, Word:5/binary, _/binary>> = B,
    <<_:3, Odd:13/bits, _/bits>> = B,
    <<Odd2:13/bits>> = Odd,
    Words = words(B, <<>>, []),
    [Word, Odd, Odd2 =:= Odd, <<Odd/bits, Odd/bits>>, Words,
     [byte_size(W) || W <- Words], split_at(B, $q), split_at(B, $z)].

words(<<" ", R/binary>>, W, Acc) -> words(R, <<>>, [W | Acc]);
words(<<C, R/binary>>, W, Acc) -> words(R, <<W/binary, C>>, Acc);
words(<<>>, W, Acc) -> lists:reverse([W | Acc]).

split_at(B, C) ->
    case B of
        <<Before:5/binary, C, After/binary>> -> {Before, After};
        _ -> none
    end.

%% ---- unicode -------------------------------------------------------------------

utf() ->
    Cs = [0, $a, 16#7F, 16#80, 16#7FF, 16#800, 16#FFFF, 16#10000, 16#10FFFF, 16#E9, 16#20AC, 16#1F600],
    [{C, <<(?MODULE:id(C))/utf8>>, <<C/utf16>>, <<C/utf16-little>>, <<C/utf32>>,
      <<C/utf32-little>>, <<1:1, C/utf8, 0:7>>}
     || C <- Cs] ++
        [<<"héllo"/utf8>>, <<"héllo"/utf16>>, <<"€"/utf32-little>>,
         <<"ab"/utf16-native>>].

utf_match() ->
    Samples = [<<"aé€😀"/utf8>>, <<16#C0, 16#80>>, <<16#E0, 16#80, 16#80>>,
               <<16#ED, 16#A0, 16#80>>, <<16#F4, 16#90, 16#80, 16#80>>,
               <<16#F0, 16#9F, 16#98>>, <<16#80>>, <<16#FF>>, <<16#C3>>,
               <<16#D8, 16#3D, 16#DE, 16#00>>, <<16#DC, 16#00>>, <<16#D8, 16#00, 16#00, 16#41>>,
               <<0, 0, 16#D8, 16#00>>, <<0, 16#11, 0, 0>>, <<0, 0, 0, 65>>,
               <<1:1, 16#C3, 16#A9, 0:7>>],
    [{S, utf8s(?MODULE:id(S), []), utf16s(S, []), utf16ls(S, []), utf32s(S, []),
      skip8(S)}
     || S <- Samples].

utf8s(<<C/utf8, R/bits>>, Acc) -> utf8s(R, [C | Acc]);
utf8s(R, Acc) -> {lists:reverse(Acc), R}.

utf16s(<<C/utf16, R/bits>>, Acc) -> utf16s(R, [C | Acc]);
utf16s(R, Acc) -> {lists:reverse(Acc), R}.

utf16ls(<<C/utf16-little, R/bits>>, Acc) -> utf16ls(R, [C | Acc]);
utf16ls(R, Acc) -> {lists:reverse(Acc), R}.

utf32s(<<C/utf32, R/bits>>, Acc) -> utf32s(R, [C | Acc]);
utf32s(R, Acc) -> {lists:reverse(Acc), R}.

skip8(B) ->
    case B of
        <<_/utf8, _/utf8, R/bits>> -> {two, R};
        <<_/utf8, R/bits>> -> {one, R};
        _ -> none
    end.

strings() ->
    S = ?MODULE:id(<<"GET /index.html HTTP/1.1">>),
    [method(S), method(<<"POST /x">>), method(<<"PUT">>), method(<<"GE">>),
     <<"abc", "def", 0, "">>, <<"x":8, "yz">>,
     case ?MODULE:id(<<1:1, "ab">>) of <<1:1, "ab">> -> yes; _ -> no end,
     case ?MODULE:id(<<"ab", 1:3>>) of <<"ab", X:3>> -> X; _ -> no end].

method(<<"GET ", Path/binary>>) -> {get, Path};
method(<<"POST ", Path/binary>>) -> {post, Path};
method(<<"PUT", _/binary>>) -> put;
method(_) -> unknown.

%% ---- comprehensions --------------------------------------------------------------

comprehensions() ->
    B = ?MODULE:id(<<1, 2, 3, 4, 5, 6, 7>>),
    [<< <<(X * 2)>> || <<X>> <= B >>,
     [X || <<X:4>> <= B],
     << <<X:4>> || <<X:4>> <= B, X > 2 >>,
     [{X, Y} || <<X:2, Y:3>> <= B],
     << <<X:3>> || X <- lists:seq(0, 7) >>,
     << <<X/binary, ",">> || X <- [<<"a">>, <<"bc">>, <<>>] >>,
     << <<C/utf8>> || C <- "añ€" >>,
     [C || <<C/utf8>> <= <<"añ€"/utf8>>],
     << <<(X + Y)>> || <<X>> <= B, <<Y>> <= <<10, 20>> >>,
     << <<X:N>> || N <- [1, 2, 3], X <- [1] >>,
     byte_size(<< <<X:32>> || X <- lists:seq(1, 1000) >>),
     [X || <<X:7/binary>> <= <<B/binary, B/binary, 0:3>>]].

%% ---- positions and tails ---------------------------------------------------------

positions() ->
    [kv(?MODULE:id(<<3, "abc", 2, "de", 0>>), []),
     kv(<<1, "a", 5, "bc">>, []),
     classify(<<1, 2, 3>>), classify(<<1, 2>>), classify(<<7, 0, 0, 0, 9>>),
     classify(<<>>), classify(<<9:4>>)].

kv(<<0>>, Acc) -> lists:reverse(Acc);
kv(<<N, V:N/binary, R/binary>>, Acc) -> kv(R, [V | Acc]);
kv(Other, Acc) -> {bad, Other, lists:reverse(Acc)}.

classify(<<1, X, 3>>) -> {a, X};
classify(<<1, X>>) -> {b, X};
classify(<<7, X:24, Y>>) -> {c, X, Y};
classify(<<_:4>>) -> d;
classify(<<>>) -> empty.

tails() ->
    [tail_of(?MODULE:id(<<1, 2, 3>>)), tail_of(<<1:3, 2:7>>),
     unit_test(<<1, 2, 3, 4>>), unit_test(<<1, 2, 3>>), unit_test(<<1:12>>),
     exact(<<1, 2>>), exact(<<1, 2, 3>>), exact(<<1>>)].

tail_of(<<_:2, T/bits>>) -> T.

unit_test(<<X:16, R/binary-unit:16>>) -> {even, X, R};
unit_test(<<X:8, R/binary>>) -> {bytes, X, R};
unit_test(B) -> {other, B}.

exact(<<A, B>>) -> {A, B};
exact(_) -> no.

%% ---- errors -------------------------------------------------------------------

build_errors() ->
    F = fun(Fun) ->
                try Fun() of
                    V -> {ok, V}
                catch
                    error:R:St -> {R, cause(St)}
                end
        end,
    I = fun(X) -> ?MODULE:id(X) end,
    [F(fun() -> <<(I(foo)):8>> end),
     F(fun() -> <<(I(1.5)):8>> end),
     F(fun() -> <<1:(I(-1))>> end),
     F(fun() -> <<1:(I(a))>> end),
     F(fun() -> <<1:(I(1 bsl 70))>> end),
     F(fun() -> <<1:(I(-(1 bsl 70)))>> end),
     F(fun() -> <<(I(foo))/binary>> end),
     F(fun() -> <<(I(<<1:3>>))/binary>> end),
     F(fun() -> <<(I(<<1:3>>)):1/binary>> end),
     F(fun() -> <<(I(<<1, 2>>)):3/binary>> end),
     F(fun() -> <<(I(<<1, 2, 3>>))/binary-unit:16>> end),
     F(fun() -> <<(I(7))/binary>> end),
     F(fun() -> <<(I(foo)):64/float>> end),
     F(fun() -> <<(I(1.0)):(I(7))/float>> end),
     F(fun() -> <<(I(foo)):(I(7))/float>> end),
     F(fun() -> <<(I(1 bsl 1100)):64/float>> end),
     F(fun() -> <<(I(-1))/utf8>> end),
     F(fun() -> <<(I(16#D800))/utf8>> end),
     F(fun() -> <<(I(16#110000))/utf16>> end),
     F(fun() -> <<(I(foo))/utf16>> end),
     F(fun() -> <<(I(16#DFFF))/utf32>> end),
     F(fun() -> <<(I(1.0))/utf32>> end),
     F(fun() -> <<1, (I(foo)):8, (I(bar))/binary>> end),
     F(fun() -> <<(I(foo)):8, (I(-3)):(I(-3))>> end),
     F(fun() -> <<(I(foo))/utf8, (I(bar))/utf32>> end),
     F(fun() -> <<(I(bar))/binary, 1:(I(x))>> end),
     F(fun() -> <<(I(foo))/binary, 1>> end),
     F(fun() -> A = I(<<1:3>>), <<A/binary, 1>> end),
     F(fun() -> A = I(foo), <<A/bits, 1>> end),
     F(fun() -> A = I(<<1>>), <<A/binary, (I(x)):8>> end),
     F(fun() -> <<(I(1)):(I(8))/unit:8>> end),
     F(fun() -> <<(I(1.0e300)):32/float>> end),
     F(fun() -> <<(I(1.0e10)):16/float>> end),
     F(fun() -> <<0:(I(4)), (I(<<1, 2, 3>>)):2/binary>> end),
     F(fun() -> A = I(<<1>>), <<A/binary, (I(foo)):(I(0))>> end),
     F(fun() -> A = I(<<1>>), <<A/binary, (I(foo)):(I(0))/float>> end),
     F(fun() -> A = I(<<1>>), <<A/binary, 1:(I(0))>> end),
     F(fun() -> A = I(<<1:1>>), <<A/bits, (I(<<>>)):(I(0))/binary>> end)].

%% The error_info cause of the top frame, which must be this module's.
cause([{?MODULE, _, _, Info} | _]) ->
    case lists:keyfind(error_info, 1, Info) of
        {error_info, #{cause := C, module := M, function := Fn}} -> {C, M, Fn};
        false -> no_info
    end;
cause([{M, F, A, _} | _]) ->
    {other_frame, M, F, A}.

match_failures() ->
    M = fun(B) ->
                case ?MODULE:id(B) of
                    <<X:8, Y:(X)/binary, Z/binary>> -> {X, Y, Z};
                    <<X:3, _/bits>> -> {short, X};
                    _ -> nomatch
                end
        end,
    Bad = fun(V) ->
                  try
                      <<_:8>> = ?MODULE:id(V),
                      ok
                  catch
                      error:R -> R
                  end
          end,
    S = fun(Size) ->
                case ?MODULE:id(<<1, 2, 3>>) of
                    <<A:Size, _/bits>> -> A;
                    _ -> nomatch
                end
        end,
    [M(<<2, 1, 2, 3>>), M(<<5, 1>>), M(<<>>), M(<<1:2>>), M(foo),
     Bad(<<1, 2>>), Bad(foo), Bad(<<1:7>>), Bad([1]),
     S(8), S(-1), S(100), S(24), S(0),
     try ?MODULE:id(fc(?MODULE:id(<<1, 2>>))) catch error:function_clause -> function_clause end].

fc(<<X:8>>) -> X.

%% ---- guards ---------------------------------------------------------------------

guards() ->
    G = fun(X) when is_binary(<<X:8>>) -> int8;
           (X) when byte_size(<<X/binary, 0>>) > 2 -> long_bin;
           (X) when is_bitstring(X), bit_size(X) rem 8 =/= 0 -> bits;
           (_) -> other
        end,
    [G(?MODULE:id(V)) || V <- [1, <<1, 2>>, <<1>>, <<1:3>>, foo, 1.0]].

%% ---- appends ---------------------------------------------------------------------

appends() ->
    Acc = grow(<<>>, 0, 2000),
    Base = ?MODULE:id(<<1, 2, 3>>),
    B1 = <<Base/binary, 4>>,
    B2 = <<Base/binary, 5>>,
    B3 = <<B1/binary, 6>>,
    B4 = <<B1/binary, 7>>,
    Bits = grow_bits(<<>>, 0, 100),
    Twice = <<Acc/binary, Acc/binary>>,
    [byte_size(Acc), crc(Acc, 0), B1, B2, B3, B4, Base, Bits, bit_size(Bits),
     byte_size(Twice), crc(Twice, 0), shared(?MODULE:id(<<"x">>))].

grow(Acc, N, N) -> Acc;
grow(Acc, I, N) -> grow(<<Acc/binary, (I rem 251), (I * 7):16>>, I + 1, N).

grow_bits(Acc, N, N) -> Acc;
grow_bits(Acc, I, N) -> grow_bits(<<Acc/bits, (I rem 2):1>>, I + 1, N).

%% Two binaries grown from one prefix stay independent.
shared(P) ->
    A = <<P/binary, "a">>,
    B = <<P/binary, "b">>,
    A2 = <<A/binary, "1">>,
    B2 = <<B/binary, "2">>,
    A3 = <<A/binary, "3">>,
    {P, A, B, A2, B2, A3}.

%% ---- order and BIFs -----------------------------------------------------------------

order() ->
    L = [<<1:1>>, <<>>, <<0:1>>, <<1, 2>>, <<1, 2:3>>, <<1, 2, 0:1>>, <<1>>,
         <<255>>, <<1, 1:1>>, <<0:7>>],
    Bs = [?MODULE:id(X) || X <- L],
    [lists:sort(Bs), [X == Y || X <- Bs, Y <- Bs], <<1, 2:3>> < <<1, 3:3>>,
     erlang:phash2(<<1, 2:3>>), erlang:phash2(<<1:1>>)].

bifs() ->
    B = ?MODULE:id(<<1, 2, 3, 4, 5>>),
    <<_:3, Odd/bits>> = B,
    [bit_size(Odd), byte_size(Odd), is_binary(Odd), binary_to_list(B),
     term_to_binary(Odd), binary_to_term(term_to_binary(Odd)) =:= Odd,
     size(B), iolist_size([B, <<1, 2>>]), list_to_binary([B, <<1:8>>, "z"])].
