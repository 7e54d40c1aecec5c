%% Binary construction as OTP 24 compiled it (bs_init2, bs_append,
%% bs_private_append, bs_put_*, bs_add, bs_utf*_size), which Elixir 1.14's
%% own modules still contain: every segment kind, appends, comprehensions
%% and the errors erl raises for them.
-module(t_bits_old).
-compile([no_bs_create_bin, no_type_opt]).
-export([main/0, id/1]).

id(X) -> X.

main() ->
    [{ints, ints()},
     {floats, floats()},
     {binaries, binaries()},
     {utf, utf()},
     {strings, strings()},
     {appends, appends()},
     {comprehensions, comprehensions()},
     {errors, errors()}].

ints() ->
    [{V, S, <<V:S>>, <<V:S/little>>, <<V:S/signed-native>>, <<1:1, V:S, 0:2>>}
     || V <- [?MODULE:id(X) || X <- [0, 1, -1, 255, 16#ABC, -16#ABCDE, 1 bsl 70 + 5]],
        S <- [?MODULE:id(Y) || Y <- [0, 1, 7, 8, 12, 16, 33, 64, 72]]].

floats() ->
    [{F, <<F:64/float>>, <<F:32/float-little>>, <<F:16/float>>, <<0:3, F:64/float, 0:5>>}
     || F <- [?MODULE:id(X) || X <- [0.0, 1.5, -2.25, 1.0e10, 3, 1 bsl 65]]].

binaries() ->
    B = ?MODULE:id(<<1, 2, 3, 4, 5>>),
    Odd = ?MODULE:id(<<5:3>>),
    N = ?MODULE:id(2),
    [<<B/binary, B/binary>>, <<B:N/binary, Odd/bits>>, <<Odd/bits, B/binary, Odd/bits>>,
     <<B:3/binary-unit:8, 0:N/unit:4>>, <<(?MODULE:id(<<>>))/binary>>].

utf() ->
    Cs = [?MODULE:id(C) || C <- [$a, 16#E9, 16#20AC, 16#1F600, 16#10FFFF]],
    [<< <<C/utf8>> || C <- Cs >>, << <<C/utf16>> || C <- Cs >>,
     << <<C/utf16-little>> || C <- Cs >>, << <<C/utf32>> || C <- Cs >>,
     [<<C/utf8, 1:1>> || C <- Cs]].

strings() ->
    X = ?MODULE:id(<<"mid">>),
    [<<"abc", X/binary, "xyz">>, <<"">>, <<"long string segment of some length", 0>>].

appends() ->
    Acc = lists:foldl(fun(I, A) -> <<A/binary, I:16>> end, <<>>, lists:seq(1, 3000)),
    Bits = lists:foldl(fun(I, A) -> <<A/bits, I:3>> end, <<>>, lists:seq(1, 50)),
    P = ?MODULE:id(<<"p">>),
    [byte_size(Acc), sum(Acc, 0), Bits, <<P/binary, "a">>, <<P/binary, "b">>].

sum(<<X:16, R/binary>>, S) -> sum(R, S + X);
sum(<<>>, S) -> S.

comprehensions() ->
    [<< <<X:4>> || X <- lists:seq(1, 9) >>,
     << <<(X * 3)>> || <<X>> <= ?MODULE:id(<<1, 2, 3>>) >>,
     byte_size(<< <<X:32>> || X <- lists:seq(1, 500) >>)].

errors() ->
    I = fun(X) -> ?MODULE:id(X) end,
    F = fun(Fun) -> try Fun() catch error:R -> R end end,
    [F(fun() -> <<(I(foo)):8>> end),
     F(fun() -> <<1:(I(-1))>> end),
     F(fun() -> <<1:(I(foo))>> end),
     F(fun() -> <<(I(foo))/binary>> end),
     F(fun() -> <<(I(<<1:3>>))/binary>> end),
     F(fun() -> <<(I(<<1>>)):2/binary>> end),
     F(fun() -> <<(I(foo)):64/float>> end),
     F(fun() -> <<(I(1.0)):(I(8))/float>> end),
     F(fun() -> <<(I(16#D800))/utf8>> end),
     F(fun() -> <<(I(-1))/utf16>> end),
     F(fun() -> <<(I(foo))/utf32>> end),
     F(fun() -> A = I(<<1:3>>), <<A/binary, 1>> end),
     F(fun() -> A = I(foo), <<A/binary, 1>> end),
     F(fun() -> <<1:(I(1 bsl 62))/unit:8>> end)].
