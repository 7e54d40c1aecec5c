%% zlib: compress/uncompress, zip/unzip and gzip/gunzip round trips from
%% empty to 1 MB, the compressed bytes themselves (by MD5) at every level
%% and window size, streams fed and drained in several calls with every
%% flush, dictionaries, crc32 of raw streams, inflateChunk/safeInflate,
%% the errors (corrupt input, wrong state, bad options, another process),
%% and the stream as a reference.
-module(t_zlib).
-export([main/0]).
%% The deprecated functions are tested too.
-compile(nowarn_deprecated_function).

%% The result of F, or the exception's class and reason.
t(F) ->
    try F()
    catch C:R -> {C, R}
    end.

%% N bytes of text-like, compressible data.
text(N) ->
    Words = [<<"alpha ">>, <<"beta ">>, <<"gamma ">>, <<"delta\n">>, <<"epsilon ">>, <<"zeta, ">>],
    text(N, 1, Words, []).

text(N, _, _, Acc) when N =< 0 -> binary:part(iolist_to_binary(lists:reverse(Acc)), 0, 0);
text(N, I, Words, Acc) ->
    W = lists:nth(I rem length(Words) + 1, Words),
    Chunk = [W, integer_to_binary(I * 7919 rem 1000), $\s],
    Size = iolist_size(Chunk),
    case Size >= N of
        true -> iolist_to_binary(lists:reverse([binary:part(iolist_to_binary(Chunk), 0, N) | Acc]));
        false -> text(N - Size, I + 1, Words, [Chunk | Acc])
    end.

%% N bytes from a linear congruential generator: hardly compressible.
noise(N) -> noise(N, 12345, []).

noise(0, _, Acc) -> list_to_binary(Acc);
noise(N, X, Acc) ->
    Y = (X * 1103515245 + 12345) band 16#7FFFFFFF,
    noise(N - 1, Y, [(Y bsr 16) band 255 | Acc]).

md5(IoData) -> binary:encode_unsigned(binary:decode_unsigned(erlang:md5(IoData)) rem 16#FFFFFFFF).

sizes() -> [0, 1, 100, 5000, 70000, 1 bsl 20].

round_trips() ->
    [begin
         Text = text(N),
         Noise = noise(min(N, 200000)),
         C = zlib:compress(Text),
         G = zlib:gzip(Text),
         Z = zlib:zip(Text),
         CN = zlib:compress(Noise),
         {N, byte_size(Text), md5(C), byte_size(C), md5(G), md5(Z), md5(CN), byte_size(CN),
          zlib:uncompress(C) =:= Text, zlib:gunzip(G) =:= Text, zlib:unzip(Z) =:= Text,
          zlib:uncompress(CN) =:= Noise, zlib:uncompress([C]) =:= Text,
          zlib:compress(binary_to_list(binary:part(Text, 0, min(N, 300)))) =:=
              zlib:compress(binary:part(Text, 0, min(N, 300)))}
     end || N <- sizes()].

%% One stream: deflateInit/6 with these options, the data in pieces.
deflate_with(Level, Bits, Data) ->
    Z = zlib:open(),
    ok = zlib:deflateInit(Z, Level, deflated, Bits, 8, default),
    Out = [zlib:deflate(Z, Piece) || Piece <- pieces(Data, 3000)],
    Last = zlib:deflate(Z, <<>>, finish),
    ok = zlib:deflateEnd(Z),
    ok = zlib:close(Z),
    iolist_to_binary([Out, Last]).

inflate_with(Bits, Data) ->
    Z = zlib:open(),
    ok = zlib:inflateInit(Z, Bits),
    Out = [zlib:inflate(Z, Piece) || Piece <- pieces(Data, 777)],
    ok = zlib:inflateEnd(Z),
    ok = zlib:close(Z),
    iolist_to_binary(Out).

%% The widest window of the same kind as B.
widest(B) when B < 0 -> -15;
widest(B) when B > 16 -> 31;
widest(_) -> 15.

pieces(Bin, Size) when byte_size(Bin) =< Size -> [Bin];
pieces(Bin, Size) ->
    <<Piece:Size/binary, Rest/binary>> = Bin,
    [Piece | pieces(Rest, Size)].

levels_and_windows() ->
    Data = text(60000),
    [{levels, [{L, md5(C), byte_size(C), inflate_with(15, C) =:= Data}
               || L <- [none, best_speed, default, best_compression, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
                  C <- [deflate_with(L, 15, Data)]]},
     {windows, [{B, md5(C), byte_size(C), inflate_with(widest(B), C) =:= Data}
                || B <- [8, 9, 10, 12, 15, -9, -12, -15, 25, 27, 31],
                   C <- [deflate_with(default, B, Data)]]},
     %% zlib makes a window of 8 one of 9, which an inflater of 8 refuses.
     {narrow, t(fun() -> inflate_with(8, deflate_with(default, 8, Data)) end),
      inflate_with(9, deflate_with(default, 9, Data)) =:= Data},
     {auto_detect, inflate_with(47, deflate_with(default, 31, Data)) =:= Data,
      inflate_with(47, deflate_with(default, 15, Data)) =:= Data,
      inflate_with(32, zlib:gzip(Data)) =:= Data},
     {bad_windows, [t(fun() -> deflate_with(default, B, Data) end) || B <- [-8, 24, 40, 7, 48, 16]],
      [t(fun() -> inflate_with(B, zlib:compress(Data)) end) || B <- [17, 33, 48, -16]]}].

flushes() ->
    Data = text(20000),
    Z = zlib:open(),
    ok = zlib:deflateInit(Z),
    A = zlib:deflate(Z, binary:part(Data, 0, 5000), sync),
    B = zlib:deflate(Z, binary:part(Data, 5000, 5000), none),
    C = zlib:deflate(Z, binary:part(Data, 10000, 5000), full),
    D = zlib:deflate(Z, [binary:part(Data, 15000, 2500), binary_to_list(binary:part(Data, 17500, 2500))], finish),
    ok = zlib:deflateEnd(Z),
    Whole = iolist_to_binary([A, B, C, D]),
    %% A sync flush ends on a byte boundary: what came so far inflates.
    Y = zlib:open(),
    ok = zlib:inflateInit(Y),
    Part = iolist_to_binary(zlib:inflate(Y, iolist_to_binary(A))),
    Rest = iolist_to_binary(zlib:inflate(Y, iolist_to_binary([B, C, D]))),
    ok = zlib:inflateEnd(Y),
    %% deflateReset and reuse.
    ok = zlib:deflateInit(Y, best_speed),
    First = iolist_to_binary(zlib:deflate(Y, <<"one">>, finish)),
    ok = zlib:deflateReset(Y),
    Second = iolist_to_binary(zlib:deflate(Y, <<"one">>, finish)),
    ok = zlib:deflateEnd(Y),
    ok = zlib:close(Y),
    [{flushed, md5(A), md5(B), md5(C), md5(D), md5(Whole), zlib:uncompress(Whole) =:= Data},
     {partial, Part =:= binary:part(Data, 0, 5000), <<Part/binary, Rest/binary>> =:= Data},
     {reset, First =:= Second, First},
     {params, params()},
     {empty_finish, zlib:compress([]), zlib:zip(<<>>), byte_size(zlib:gzip("")), zlib:uncompress(zlib:compress(<<>>))}].

params() ->
    Z = zlib:open(),
    ok = zlib:deflateInit(Z, 4),
    Before = zlib:deflate(Z, text(3000)),
    ok = zlib:deflateParams(Z, best_compression, default),
    Out = [Before, zlib:deflate(Z, text(3000), finish)],
    ok = zlib:deflateEnd(Z),
    ok = zlib:close(Z),
    Bin = iolist_to_binary(Out),
    {md5(Bin), zlib:uncompress(Bin) =:= <<(text(3000))/binary, (text(3000))/binary>>}.

dictionaries() ->
    Dict = <<"alpha beta gamma delta epsilon zeta">>,
    Data = text(2000),
    Z = zlib:open(),
    ok = zlib:deflateInit(Z),
    Adler = zlib:deflateSetDictionary(Z, Dict),
    Comp = iolist_to_binary(zlib:deflate(Z, Data, finish)),
    ok = zlib:deflateEnd(Z),
    ok = zlib:inflateInit(Z),
    Need = t(fun() -> zlib:inflate(Z, Comp) end),
    ok = zlib:inflateSetDictionary(Z, Dict),
    Out = iolist_to_binary(zlib:inflate(Z, [])),
    ok = zlib:inflateEnd(Z),
    ok = zlib:inflateInit(Z),
    NoExc = zlib:inflate(Z, Comp, [{exception_on_need_dict, false}]),
    ok = zlib:inflateSetDictionary(Z, Dict),
    Out2 = iolist_to_binary(zlib:inflate(Z, [])),
    ok = zlib:inflateEnd(Z),
    ok = zlib:inflateInit(Z),
    WrongDict = t(fun() -> zlib:inflate(Z, Comp) end),
    BadSet = t(fun() -> zlib:inflateSetDictionary(Z, <<"other">>) end),
    ok = zlib:close(Z),
    %% A raw stream takes its dictionary up front.
    R = zlib:open(),
    ok = zlib:deflateInit(R, default, deflated, -15, 8, default),
    RawAdler = zlib:deflateSetDictionary(R, Dict),
    RawComp = iolist_to_binary(zlib:deflate(R, Data, finish)),
    RawCrc = zlib:crc32(R),
    ok = zlib:deflateEnd(R),
    ok = zlib:inflateInit(R, -15),
    ok = zlib:inflateSetDictionary(R, Dict),
    RawOut = iolist_to_binary(zlib:inflate(R, RawComp)),
    RawCrc2 = zlib:crc32(R),
    ok = zlib:inflateEnd(R),
    ok = zlib:close(R),
    [{adler, Adler, Adler =:= erlang:adler32(Dict), md5(Comp)},
     {need, Need, Out =:= Data},
     {no_exception, element(1, NoExc), element(2, NoExc), Out2 =:= Data},
     {wrong, WrongDict, BadSet},
     {raw, RawAdler, md5(RawComp), RawOut =:= Data, RawCrc, RawCrc =:= erlang:crc32(Data), RawCrc2}].

chunked() ->
    Data = text(30000),
    C = zlib:compress(Data),
    Z = zlib:open(),
    ok = zlib:inflateInit(Z),
    ok = zlib:setBufSize(Z, 4096),
    Size = zlib:getBufSize(Z),
    Chunks = chunk_loop(Z, zlib:inflateChunk(Z, C), []),
    ok = zlib:inflateEnd(Z),
    ok = zlib:inflateInit(Z),
    Safe = safe_loop(Z, zlib:safeInflate(Z, C), 0, []),
    ok = zlib:inflateEnd(Z),
    ok = zlib:close(Z),
    [{chunks, Size, [byte_size(B) || B <- Chunks], iolist_to_binary(Chunks) =:= Data},
     {safe, element(1, Safe), iolist_to_binary(element(2, Safe)) =:= Data}].

chunk_loop(Z, {more, Out}, Acc) -> chunk_loop(Z, zlib:inflateChunk(Z), [iolist_to_binary(Out) | Acc]);
chunk_loop(_, Out, Acc) -> lists:reverse([iolist_to_binary(Out) | Acc]).

safe_loop(Z, {continue, Out}, N, Acc) -> safe_loop(Z, zlib:safeInflate(Z, []), N + 1, [Out | Acc]);
safe_loop(_, {finished, Out}, N, Acc) -> {N, lists:reverse([Out | Acc])}.

errors() ->
    Data = text(5000),
    C = zlib:compress(Data),
    <<Head:100/binary, _:8, Tail/binary>> = C,
    Corrupt = <<Head/binary, 0, Tail/binary>>,
    Z = zlib:open(),
    Self = self(),
    Other = spawn(fun() -> receive {Self, Stream} -> Self ! {self(), t(fun() -> zlib:deflateInit(Stream) end)} end end),
    Other ! {self(), Z},
    Foreign = receive {Other, R} -> R end,
    [{corrupt, t(fun() -> zlib:uncompress(Corrupt) end), t(fun() -> zlib:uncompress(<<1, 2, 3>>) end),
      t(fun() -> zlib:uncompress(<<"not zlib data at all">>) end),
      t(fun() -> zlib:gunzip(C) end), t(fun() -> zlib:unzip(<<255, 255, 255, 255>>) end),
      t(fun() -> zlib:uncompress(binary:part(C, 0, byte_size(C) - 6)) end),
      t(fun() -> zlib:gunzip(<<(zlib:gzip(Data))/binary, "trailing">>) end)},
     {bad_data, t(fun() -> zlib:compress(a) end), t(fun() -> zlib:compress([1, 2 | 3]) end),
      t(fun() -> zlib:compress([256]) end), t(fun() -> zlib:uncompress(a) end)},
     {state, t(fun() -> zlib:deflate(Z, <<"x">>) end), t(fun() -> zlib:inflate(Z, <<"x">>) end),
      t(fun() -> zlib:deflateEnd(Z) end), t(fun() -> zlib:inflateEnd(Z) end), t(fun() -> zlib:crc32(Z) end),
      zlib:deflateInit(Z), t(fun() -> zlib:deflateInit(Z) end), t(fun() -> zlib:inflateInit(Z) end),
      t(fun() -> zlib:inflate(Z, C) end),
      zlib:deflate(Z, <<"abc">>), t(fun() -> zlib:deflateEnd(Z) end),
      zlib:inflateInit(Z), t(fun() -> zlib:inflateEnd(Z) end),
      zlib:inflateInit(Z), zlib:inflate(Z, binary:part(C, 0, 20)), t(fun() -> zlib:inflateEnd(Z) end),
      zlib:deflateInit(Z), zlib:deflateEnd(Z),
      zlib:deflateInit(Z), zlib:deflate(Z, <<>>), t(fun() -> zlib:deflateEnd(Z) end),
      zlib:deflateInit(Z), zlib:deflate(Z, <<>>, finish), zlib:deflateEnd(Z),
      zlib:close(Z), t(fun() -> zlib:close(Z) end), t(fun() -> zlib:deflateInit(Z) end)},
     {options, [t(fun() -> S = zlib:open(), zlib:deflateInit(S, L, M, W, Mem, St) end)
                || {L, M, W, Mem, St} <- [{10, deflated, 15, 8, default}, {default, stored, 15, 8, default},
                                          {default, deflated, 15, 0, default}, {default, deflated, 15, 8, fast},
                                          {-1, deflated, 15, 8, default}, {default, deflated, x, 8, default}]],
      t(fun() -> zlib:deflate(zlib:open(), <<>>, sometimes) end),
      t(fun() -> S = zlib:open(), zlib:inflateInit(S, 15, never) end),
      t(fun() -> zlib:setBufSize(zlib:open(), 3) end)},
     {not_a_stream, t(fun() -> zlib:deflateInit(make_ref()) end), t(fun() -> zlib:close(atomics:new(1, [])) end),
      t(fun() -> zlib:inflateInit(self()) end), t(fun() -> zlib:crc32(a, <<>>) end)},
     {foreign, Foreign},
     {handover, handover()},
     {eos, eos()}].

%% set_controlling_process hands a stream to another process.
handover() ->
    Z = zlib:open(),
    Self = self(),
    Pid = spawn(fun() ->
                        receive {Self, S} ->
                                ok = zlib:deflateInit(S),
                                Out = iolist_to_binary(zlib:deflate(S, <<"handed over">>, finish)),
                                ok = zlib:deflateEnd(S),
                                ok = zlib:set_controlling_process(S, Self),
                                Self ! {self(), Out}
                        end
                end),
    ok = zlib:set_controlling_process(Z, Pid),
    Mine = t(fun() -> zlib:deflateInit(Z) end),
    Pid ! {Self, Z},
    Out = receive {Pid, O} -> O end,
    Back = zlib:inflateInit(Z),
    {Mine, zlib:uncompress(Out), Back, zlib:close(Z), t(fun() -> zlib:set_controlling_process(Z, self()) end),
     t(fun() -> zlib:set_controlling_process(zlib:open(), a) end)}.

%% Input after the end of a stream: cut (the default), reset, error.
eos() ->
    One = zlib:compress(<<"first">>),
    Two = zlib:compress(<<"second">>),
    Run = fun(Mode) ->
                  Z = zlib:open(),
                  ok = zlib:inflateInit(Z, 15, Mode),
                  R = t(fun() -> iolist_to_binary(zlib:inflate(Z, <<One/binary, Two/binary>>)) end),
                  zlib:close(Z),
                  R
          end,
    {[Run(M) || M <- [cut, reset, error]], zlib:gunzip([zlib:gzip("a"), zlib:gzip("b")])}.

checksums() ->
    Z = zlib:open(),
    R = [zlib:crc32(Z, <<"hello">>), zlib:crc32(Z, zlib:crc32(Z, <<"he">>), "llo"),
         zlib:adler32(Z, <<"hello">>), zlib:adler32(Z, zlib:adler32(Z, <<"he">>), <<"llo">>),
         zlib:crc32_combine(Z, zlib:crc32(Z, <<"he">>), zlib:crc32(Z, <<"llo">>), 3),
         zlib:adler32_combine(Z, zlib:adler32(Z, <<"he">>), zlib:adler32(Z, <<"llo">>), 3)],
    zlib:close(Z),
    R.

refs() ->
    Z = zlib:open(),
    Y = zlib:open(),
    Text = lists:flatten(io_lib:format("~w", [Z])),
    R = [is_reference(Z), Z =:= Z, Z =:= Y, Z =/= make_ref(), lists:prefix("#Ref<0.", Text),
         length(string:tokens(Text, ".")), length(lists:usort([Z, Y, Z, make_ref()]))],
    zlib:close(Z),
    zlib:close(Y),
    R.

main() ->
    [{round_trips, round_trips()},
     {levels_and_windows, levels_and_windows()},
     {flushes, flushes()},
     {dictionaries, dictionaries()},
     {chunked, chunked()},
     {errors, errors()},
     {checksums, checksums()},
     {refs, refs()}].
