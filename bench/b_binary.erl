%% Binaries: build a large buffer of length-prefixed records in a loop
%% (the append optimisation), parse it back with the bit syntax (match
%% contexts, sub-binaries, integers of several sizes and endiannesses),
%% and checksum the fields.
-module(b_binary).
-export([run/0]).

-define(RECORDS, 60000).
-define(ROUNDS, 8).

run() -> rounds(?ROUNDS, 0).

rounds(0, Sum) -> Sum;
rounds(N, Sum) ->
    Buffer = build(?RECORDS, <<>>),
    rounds(N - 1, (Sum + parse(Buffer, 0, 0)) rem 1000000007).

%% Each record: a 16-bit big-endian length, a 32-bit little-endian id, a
%% signed 16-bit value, a float, then a payload of the remaining length.
build(0, Acc) -> Acc;
build(N, Acc) ->
    Payload = payload(N),
    Len = 4 + 2 + 8 + byte_size(Payload),
    Value = (N * 7919) rem 65536 - 32768,
    build(N - 1, <<Acc/binary, Len:16, N:32/little, Value:16/signed, (N / 3):64/float,
                   Payload/binary>>).

payload(N) ->
    Size = N rem 23,
    << <<((N + I) band 255)>> || I <- lists:seq(1, Size) >>.

parse(<<>>, Count, Sum) ->
    Sum + Count;
parse(<<Len:16, Rest/binary>>, Count, Sum) ->
    PayloadLen = Len - 14,
    <<Id:32/little, Value:16/signed, F:64/float, Payload:PayloadLen/binary, Tail/binary>> = Rest,
    parse(Tail, Count + 1, (Sum + Id + Value + trunc(F) + bytes_sum(Payload, 0)) rem 1000000007).

bytes_sum(<<B, Rest/binary>>, Acc) -> bytes_sum(Rest, Acc + B);
bytes_sum(<<>>, Acc) -> Acc.
