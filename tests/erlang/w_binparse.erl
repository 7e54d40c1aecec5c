%% Workload: binary protocols in bit syntax. A generated buffer of
%% type-length-value records and PNG-like chunks (with a CRC-32 written in
%% bit syntax) is encoded, decoded and checked; a base64 codec and a
%% varint (LEB128) codec run over it; big binaries are grown in loops.
-module(w_binparse).
-export([main/0]).

main() ->
    Records = records(3000),
    Tlv = encode_tlv(Records),
    Decoded = decode_tlv(Tlv),
    Chunks = [{<<"IHDR">>, <<640:32, 480:32, 8, 6, 0, 0, 0>>},
              {<<"tEXt">>, <<"Comment", 0, "bit syntax">>},
              {<<"IDAT">>, Tlv},
              {<<"IEND">>, <<>>}],
    Png = encode_png(Chunks),
    Parsed = decode_png(Png),
    B64 = b64_encode(Tlv),
    Varints = encode_varints(lists:seq(0, 5000, 7) ++ [1 bsl 40, 1 bsl 70, 123456789]),
    [{records, length(Records)},
     {tlv_size, byte_size(Tlv)},
     {tlv_roundtrip, Decoded =:= Records},
     {tlv_head, binary_to_list(first(Tlv, 40))},
     {tlv_sum, checksum(Tlv)},
     {png_size, byte_size(Png)},
     {png_chunks, [{T, byte_size(D), C} || {T, D, C} <- Parsed]},
     {png_roundtrip, [{T, D} || {T, D, _} <- Parsed] =:= Chunks},
     {png_corrupt, decode_png(corrupt(Png, 100))},
     {crc_check, crc32(<<"123456789">>)},
     {b64_size, byte_size(B64)},
     {b64_head, first(B64, 60)},
     {b64_roundtrip, b64_decode(B64) =:= Tlv},
     {b64_small, [{S, b64_encode(S), b64_decode(b64_encode(S))}
                  || S <- [<<>>, <<"f">>, <<"fo">>, <<"foo">>, <<"foob">>, <<"fooba">>, <<"foobar">>]]},
     {varints, byte_size(Varints), checksum(Varints)},
     {varints_roundtrip, decode_varints(Varints, []) =:= lists:seq(0, 5000, 7) ++ [1 bsl 40, 1 bsl 70, 123456789]},
     {bits_packed, pack_bits()},
     {big_loop, big_loop(200000)},
     {utf8_text, utf8_text()}].

first(B, N) when byte_size(B) >= N -> <<P:N/binary, _/binary>> = B, P;
first(B, _) -> B.

%% ---- records: {Type, Value} -------------------------------------------------

records(N) -> [record(I) || I <- lists:seq(1, N)].

record(I) ->
    case I rem 5 of
        0 -> {int, I * 7919 - 10000};
        1 -> {name, list_to_binary(["item", integer_to_list(I)])};
        2 -> {float, I / 8};
        3 -> {flags, <<(I band 7):3, (I rem 2):1, (I rem 3):2>>};
        4 -> {big, I bsl 90 + I}
    end.

encode_tlv(Records) -> << <<(tlv(R))/binary>> || R <- Records >>.

tlv({int, V}) -> <<1, 8:16, V:64/signed>>;
tlv({name, B}) -> <<2, (byte_size(B)):16, B/binary>>;
tlv({float, F}) -> <<3, 8:16, F:64/float-little>>;
tlv({flags, Bits}) -> <<4, 1:16, Bits/bits, 0:(8 - bit_size(Bits))>>;
tlv({big, V}) ->
    Bytes = (bit_size(<<V:128>>) + 7) div 8,
    <<5, Bytes:16, V:Bytes/unit:8-little>>.

decode_tlv(<<>>) -> [];
decode_tlv(<<1, 8:16, V:64/signed, Rest/binary>>) -> [{int, V} | decode_tlv(Rest)];
decode_tlv(<<2, Len:16, B:Len/binary, Rest/binary>>) -> [{name, B} | decode_tlv(Rest)];
decode_tlv(<<3, 8:16, F:64/float-little, Rest/binary>>) -> [{float, F} | decode_tlv(Rest)];
decode_tlv(<<4, 1:16, Bits:6/bits, _:2, Rest/binary>>) -> [{flags, Bits} | decode_tlv(Rest)];
decode_tlv(<<5, Len:16, V:Len/unit:8-little, Rest/binary>>) -> [{big, V} | decode_tlv(Rest)].

checksum(B) -> checksum(B, 0).

checksum(<<X:32, Rest/binary>>, Acc) -> checksum(Rest, (Acc bxor X) * 31 rem 4294967291);
checksum(<<X:8, Rest/binary>>, Acc) -> checksum(Rest, (Acc + X) rem 4294967291);
checksum(<<>>, Acc) -> Acc.

%% ---- PNG-like chunks ---------------------------------------------------------

encode_png(Chunks) ->
    Body = << <<(byte_size(Data)):32, Type:4/binary, Data/binary,
               (crc32(<<Type/binary, Data/binary>>)):32>>
              || {Type, Data} <- Chunks >>,
    <<137, "PNG", 13, 10, 26, 10, Body/binary>>.

decode_png(<<137, "PNG", 13, 10, 26, 10, Rest/binary>>) -> chunks(Rest);
decode_png(_) -> not_png.

chunks(<<>>) -> [];
chunks(<<Len:32, Type:4/binary, Data:Len/binary, Crc:32, Rest/binary>>) ->
    case crc32(<<Type/binary, Data/binary>>) of
        Crc -> [{Type, Data, Crc} | chunks(Rest)];
        Other -> [{bad_crc, Type, Crc, Other}]
    end;
chunks(Other) -> [{truncated, byte_size(Other)}].

corrupt(B, At) ->
    <<Pre:At/binary, X, Post/binary>> = B,
    <<Pre/binary, (X bxor 16#20), Post/binary>>.

crc32(B) -> crc32(B, 16#FFFFFFFF) bxor 16#FFFFFFFF.

crc32(<<X, Rest/binary>>, Crc) -> crc32(Rest, crc_byte(8, Crc bxor X));
crc32(<<>>, Crc) -> Crc.

crc_byte(0, C) -> C;
crc_byte(N, C) when C band 1 =:= 1 -> crc_byte(N - 1, (C bsr 1) bxor 16#EDB88320);
crc_byte(N, C) -> crc_byte(N - 1, C bsr 1).

%% ---- base64 ---------------------------------------------------------------------

b64_encode(Bin) -> b64_encode(Bin, <<>>).

b64_encode(<<A:6, B:6, C:6, D:6, Rest/binary>>, Acc) ->
    b64_encode(Rest, <<Acc/binary, (enc(A)), (enc(B)), (enc(C)), (enc(D))>>);
b64_encode(<<A:6, B:6, C:4>>, Acc) -> <<Acc/binary, (enc(A)), (enc(B)), (enc(C bsl 2)), $=>>;
b64_encode(<<A:6, B:2>>, Acc) -> <<Acc/binary, (enc(A)), (enc(B bsl 4)), $=, $=>>;
b64_encode(<<>>, Acc) -> Acc.

enc(N) when N < 26 -> $A + N;
enc(N) when N < 52 -> $a + N - 26;
enc(N) when N < 62 -> $0 + N - 52;
enc(62) -> $+;
enc(63) -> $/.

dec(C) when C >= $A, C =< $Z -> C - $A;
dec(C) when C >= $a, C =< $z -> C - $a + 26;
dec(C) when C >= $0, C =< $9 -> C - $0 + 52;
dec($+) -> 62;
dec($/) -> 63.

b64_decode(B) -> b64_decode(B, <<>>).

b64_decode(<<A, B, $=, $=>>, Acc) -> <<Acc/bits, (dec(A)):6, ((dec(B)) bsr 4):2>>;
b64_decode(<<A, B, C, $=>>, Acc) -> <<Acc/bits, (dec(A)):6, (dec(B)):6, ((dec(C)) bsr 2):4>>;
b64_decode(<<A, B, C, D, Rest/binary>>, Acc) ->
    b64_decode(Rest, <<Acc/bits, (dec(A)):6, (dec(B)):6, (dec(C)):6, (dec(D)):6>>);
b64_decode(<<>>, Acc) -> Acc.

%% ---- varints ------------------------------------------------------------------------

encode_varints(Ns) -> << <<(varint(N))/binary>> || N <- Ns >>.

varint(N) when N < 128 -> <<0:1, N:7>>;
varint(N) -> <<1:1, (N band 127):7, (varint(N bsr 7))/binary>>.

decode_varints(<<>>, Acc) -> lists:reverse(Acc);
decode_varints(B, Acc) ->
    {N, Rest} = varint_decode(B, 0, 0),
    decode_varints(Rest, [N | Acc]).

varint_decode(<<0:1, X:7, Rest/binary>>, Shift, Acc) -> {Acc bor (X bsl Shift), Rest};
varint_decode(<<1:1, X:7, Rest/binary>>, Shift, Acc) ->
    varint_decode(Rest, Shift + 7, Acc bor (X bsl Shift)).

%% ---- bit packing and big loops -----------------------------------------------------

pack_bits() ->
    Vals = [I rem 32 || I <- lists:seq(1, 4000)],
    Packed = << <<V:5>> || V <- Vals >>,
    Unpacked = [V || <<V:5>> <= Packed],
    Grown = lists:foldl(fun(V, Acc) -> <<Acc/bits, V:5>> end, <<>>, Vals),
    {bit_size(Packed), Unpacked =:= Vals, Grown =:= Packed, checksum(<<Packed/bits, 0:(8 - bit_size(Packed) rem 8)>>)}.

big_loop(N) ->
    B = grow(<<>>, 0, N),
    {byte_size(B), checksum(B), count_zeros(B, 0)}.

grow(Acc, N, N) -> Acc;
grow(Acc, I, N) -> grow(<<Acc/binary, (I * 2654435761):32>>, I + 1, N).

count_zeros(<<0, Rest/binary>>, N) -> count_zeros(Rest, N + 1);
count_zeros(<<_, Rest/binary>>, N) -> count_zeros(Rest, N);
count_zeros(<<>>, N) -> N.

utf8_text() ->
    Text = << <<C/utf8>> || C <- lists:seq(32, 2000, 3) ++ lists:seq(16#1F600, 16#1F650) >>,
    Cps = [C || <<C/utf8>> <= Text],
    Utf16 = << <<C/utf16-little>> || C <- Cps >>,
    Back = [C || <<C/utf16-little>> <= Utf16],
    {byte_size(Text), length(Cps), byte_size(Utf16), Back =:= Cps, checksum(Text)}.
