%% The io server of oxbeam's direct mode (DESIGN §6): the process behind
%% `user` (standard output and input, the group leader of the programs run
%% from the command line) and behind `standard_error`.
%%
%% It speaks OTP's io protocol -- {io_request, From, ReplyAs, Request}
%% answered by {io_reply, ReplyAs, Reply} -- and gives the replies that
%% OTP 25's `user` gives under `erl -noshell`, so that OTP's own `io`
%% module behaves as on erl: the device starts as latin1 with list input,
%% output requests fail with {error, put_chars}, options other than
%% binary/list and encoding with {error, enotsup}, unknown requests with
%% {error, {request, Request}}.
%%
%% Output is converted to the device's encoding and written by natives
%% (src/bif/oxbeam_io.rs) into the VM's one standard output, which
%% erlang:display/1 also writes to; it is flushed whenever no request is
%% left to handle. Input is read by a thread of the VM when the server
%% asks for it (read_input/0), which sends what it read back as a message
%% {oxbeam_io_input, Binary | eof | {error, Reason}}, so no scheduler
%% thread ever waits on standard input. A request that needs input waits
%% in a queue while output requests of other processes go on.
-module(oxbeam_io).

-export([start/1, server/1]).

%% Natives: their bodies are replaced by src/bif/oxbeam_io.rs.
-export([put_chars/4, flush/1, read_input/0]).

-record(state, {
    %% Where output goes: stdout or stderr.
    device,
    %% The options of setopts/1: the device's encoding, and whether input
    %% is returned as binaries.
    encoding = latin1,
    binary = false,
    %% Input read and not consumed yet (bytes in the device's encoding),
    %% whether standard input has ended, and whether a read is under way.
    buffer = <<>>,
    eof = false,
    reading = false,
    %% Whether standard input is read at all: not with -noinput (erl's
    %% user then has output only, and a read waits forever).
    input = true,
    %% Requests that need input, oldest first: {From, ReplyAs, Requests,
    %% Progress}, where Requests are those left to do (several for a
    %% {requests, List} request) and Progress tells how far the first one
    %% got (start: its prompt is not written yet).
    waiting
}).

%% Starts the server of `Name` (user or standard_error) and registers it.
start(Name) ->
    Pid = spawn(?MODULE, server, [Name]),
    register(Name, Pid),
    Pid.

server(Name) ->
    process_flag(trap_exit, true),
    Device = case Name of
                 standard_error -> stderr;
                 _ -> stdout
             end,
    Input = Device =:= stdout andalso init:get_argument(noinput) =:= error,
    loop(#state{device = Device, input = Input, waiting = queue:new()}).

loop(S) ->
    receive
        {io_request, From, ReplyAs, Request} when is_pid(From) ->
            %% A malformed request (an improper option list, say) is
            %% refused; it does not bring the server down.
            S1 = try
                     request(From, ReplyAs, Request, S)
                 catch
                     _:_ ->
                         reply(From, ReplyAs, {error, {request, Request}}),
                         S
                 end,
            loop(idle(S1));
        {oxbeam_io_input, Data} ->
            loop(idle(serve_waiting(input(Data, S))));
        _Other ->
            loop(S)
    end.

%% Writes out buffered output once no message is left to handle.
idle(#state{device = Device} = S) ->
    case process_info(self(), message_queue_len) of
        {message_queue_len, 0} -> flush(Device);
        _ -> ok
    end,
    S.

request(From, ReplyAs, Request, S) ->
    Requests = flatten_requests([Request]),
    %% standard_error takes no input requests: they are unknown to it.
    case S#state.device =:= stdout andalso lists:any(fun is_input/1, Requests) of
        false ->
            {_Status, Reply, S1} = run(Requests, S),
            reply(From, ReplyAs, Reply),
            S1;
        true ->
            Item = {From, ReplyAs, Requests, start},
            serve_waiting(S#state{waiting = queue:in(Item, S#state.waiting)})
    end.

reply(From, ReplyAs, Reply) ->
    From ! {io_reply, ReplyAs, Reply}.

%% The requests of nested {requests, List} requests, in order.
flatten_requests([{requests, Rs} | More]) when is_list(Rs) ->
    flatten_requests(Rs ++ More);
flatten_requests([R | More]) ->
    [R | flatten_requests(More)];
flatten_requests([]) ->
    [].

%% Input requests, in the forms with an encoding and the older ones
%% (latin1) without.
is_input(R) -> input_form(R) =/= none.

input_form({get_line, Enc, Prompt}) when Enc =:= latin1; Enc =:= unicode ->
    {get_line, Enc, Prompt};
input_form({get_chars, Enc, Prompt, N}) when Enc =:= latin1; Enc =:= unicode ->
    {get_chars, Enc, Prompt, N};
input_form({get_until, Enc, Prompt, M, F, As}) when Enc =:= latin1; Enc =:= unicode ->
    {get_until, Enc, Prompt, M, F, As};
input_form({get_line, Prompt}) -> {get_line, latin1, Prompt};
input_form({get_chars, Prompt, N}) -> {get_chars, latin1, Prompt, N};
input_form({get_until, Prompt, M, F, As}) -> {get_until, latin1, Prompt, M, F, As};
input_form(_) -> none.

%% Runs requests that need no input in order while each succeeds:
%% {Status, Reply, State} of the last one run.
run([R | Rs], S) ->
    case output(R, S) of
        {ok, _, S1} when Rs =/= [] -> run(Rs, S1);
        Done -> Done
    end;
run([], S) ->
    {ok, ok, S}.

output({put_chars, Enc, Chars}, S) when Enc =:= latin1; Enc =:= unicode ->
    write(Enc, Chars, S);
output({put_chars, Enc, M, F, A}, S) when Enc =:= latin1; Enc =:= unicode ->
    case catch apply(M, F, A) of
        Data when is_list(Data); is_binary(Data) -> write(Enc, Data, S);
        _ -> {error, {error, put_chars}, S}
    end;
output({put_chars, Chars}, S) ->
    write(latin1, Chars, S);
output({put_chars, M, F, A}, S) ->
    output({put_chars, latin1, M, F, A}, S);
output(getopts, #state{device = stderr} = S) ->
    {ok, [{encoding, S#state.encoding}], S};
output(getopts, S) ->
    {ok, [{binary, S#state.binary}, {encoding, S#state.encoding}], S};
output({setopts, Opts}, S) when is_list(Opts) ->
    setopts(Opts, S);
output({get_geometry, What}, S) when What =:= columns; What =:= rows ->
    %% Not a terminal, as for erl with its output redirected.
    {error, {error, enotsup}, S};
output(Request, S) ->
    {error, {error, {request, Request}}, S}.

write(Enc, Chars, #state{device = Device, encoding = DeviceEnc} = S) ->
    case put_chars(Device, Enc, DeviceEnc, Chars) of
        ok -> {ok, ok, S};
        error -> {error, {error, put_chars}, S}
    end.

%% setopts: binary/list (also {binary, Bool}, {list, Bool}; not on
%% standard_error) and {encoding, latin1 | unicode | utf8} (also latin1,
%% unicode alone).
setopts(Opts0, S) ->
    Expanded = [case O of
                    latin1 -> {encoding, latin1};
                    unicode -> {encoding, unicode};
                    _ -> O
                end || O <- Opts0],
    Opts = proplists:unfold(proplists:substitute_negations([{list, binary}], Expanded)),
    Valid = case S#state.device of
                stdout -> fun valid_option/1;
                stderr -> fun({encoding, _} = O) -> valid_option(O); (_) -> false end
            end,
    case lists:all(Valid, Opts) of
        false ->
            {error, {error, enotsup}, S};
        true ->
            Enc = case proplists:get_value(encoding, Opts) of
                      undefined -> S#state.encoding;
                      latin1 -> latin1;
                      _ -> unicode
                  end,
            Binary = case proplists:get_value(binary, Opts) of
                         true -> true;
                         false -> false;
                         _ -> S#state.binary
                     end,
            {ok, ok, S#state{encoding = Enc, binary = Binary}}
    end.

valid_option({binary, _}) -> true;
valid_option({encoding, Enc}) -> Enc =:= latin1 orelse Enc =:= unicode orelse Enc =:= utf8;
valid_option(_) -> false.

%% ---- input -------------------------------------------------------------

%% What the reading thread sent.
input(Data, S) when is_binary(Data) ->
    S#state{buffer = iolist_to_binary([S#state.buffer, Data]), reading = false};
input(_EofOrError, S) ->
    S#state{eof = true, reading = false}.

%% Answers the waiting requests, oldest first, as far as the input read
%% so far allows; asks for more input when the oldest needs it.
serve_waiting(#state{waiting = Waiting} = S) ->
    case queue:out(Waiting) of
        {empty, _} ->
            S;
        {{value, {From, ReplyAs, Requests, Progress}}, Rest} ->
            case run_waiting(Requests, Progress, S#state{waiting = Rest}) of
                {done, Reply, S1} ->
                    reply(From, ReplyAs, Reply),
                    serve_waiting(S1);
                {wait, Requests1, Progress1, S1} ->
                    Item = {From, ReplyAs, Requests1, Progress1},
                    want_input(S1#state{waiting = queue:in_r(Item, S1#state.waiting)})
            end
    end.

run_waiting([R | Rs], Progress, S) ->
    Result = case input_form(R) of
                 none -> output(R, S);
                 Input -> get_input(Input, Progress, S)
             end,
    case Result of
        {wait, Progress1, S1} -> {wait, [R | Rs], Progress1, S1};
        {ok, _, S1} when Rs =/= [] -> run_waiting(Rs, start, S1);
        {_Status, Reply, S1} -> {done, Reply, S1}
    end.

want_input(#state{reading = false, eof = false, input = true} = S) ->
    read_input(),
    S#state{reading = true};
want_input(S) ->
    S.

%% One input request: {ok | error, Reply, State}, or {wait, Progress,
%% State} until more input comes. The prompt is written first; at the end
%% of input with nothing left, the reply is eof.
get_input(Request, start, S) ->
    case prompt(element(3, Request), S) of
        error ->
            {error, {error, prompt_error(Request, S)}, S};
        ok when S#state.eof, S#state.buffer =:= <<>> ->
            {ok, eof, S};
        ok ->
            collect(Request, started, S)
    end;
get_input(Request, Progress, S) ->
    collect(Request, Progress, S).

prompt_error({get_line, _, _}, #state{binary = true}) -> get_line;
prompt_error(_, _) -> get_chars.

prompt('', _S) ->
    ok;
prompt(Prompt, #state{device = Device, encoding = Enc}) ->
    put_chars(Device, unicode, Enc, io_lib:format_prompt(Prompt, Enc)).

%% A line: up to and including the first newline ("\r\n" read as "\n"),
%% or what is left at the end of input. Progress is how much of the
%% buffer is known to hold no newline.
collect({get_line, Enc, _}, Progress, #state{buffer = Buf} = S) ->
    Scanned = case Progress of
                  {line, N} -> N;
                  _ -> 0
              end,
    Size = byte_size(Buf),
    case binary:match(Buf, <<"\n">>, [{scope, {Scanned, Size - Scanned}}]) of
        {Pos, 1} ->
            {Line, Rest} = split_binary(Buf, Pos + 1),
            deliver(Enc, without_cr(Line), S#state{buffer = Rest});
        nomatch when S#state.eof, Size =:= 0 ->
            {ok, eof, S};
        nomatch when S#state.eof ->
            deliver(Enc, Buf, S#state{buffer = <<>>});
        nomatch ->
            {wait, {line, Size}, S}
    end;
collect({get_chars, Enc, _, N}, Progress, S) ->
    collect_with(io_lib, collect_chars, N, Enc, Progress, S);
collect({get_until, Enc, _, M, F, As}, Progress, S) ->
    collect_with(io_lib, get_until, {M, F, As}, Enc, Progress, S).

without_cr(Line) ->
    Size = byte_size(Line),
    case Size >= 2 andalso binary:at(Line, Size - 2) =:= $\r of
        true -> iolist_to_binary([binary:part(Line, 0, Size - 2), $\n]);
        false -> Line
    end.

deliver(Enc, Bin, S) ->
    case cast(Bin, Enc, S) of
        {ok, Data} -> {ok, Data, S};
        error -> {error, {error, {no_translation, S#state.encoding, Enc}}, S}
    end.

%% Input through one of io_lib's collectors, as OTP's servers do it:
%% Module:Function(State, Data, Encoding, Extra) is given the input until
%% it answers {stop, Result, Rest}, then `eof` once input has ended.
collect_with(M, F, Extra, Enc, Progress, #state{buffer = Buf} = S) when Buf =/= <<>> ->
    State = collector_state(Progress),
    case cast(Buf, Enc, S) of
        error ->
            {error, {error, err_func(M, F, Extra)}, S#state{buffer = <<>>}};
        {ok, Data} ->
            case catch M:F(State, Data, Enc, Extra) of
                {stop, Result, Rest} ->
                    {ok, Result, S#state{buffer = uncast(Rest, Enc, S)}};
                {'EXIT', _} ->
                    {error, {error, err_func(M, F, Extra)}, S#state{buffer = <<>>}};
                State1 ->
                    collect_with(M, F, Extra, Enc, {collecting, State1},
                                 S#state{buffer = <<>>})
            end
    end;
collect_with(M, F, Extra, Enc, Progress, #state{eof = true} = S) ->
    case catch M:F(collector_state(Progress), eof, Enc, Extra) of
        {stop, Result, _} -> {ok, Result, S};
        {'EXIT', _} -> {error, {error, err_func(M, F, Extra)}, S};
        _ -> {ok, eof, S}
    end;
collect_with(_M, _F, _Extra, _Enc, Progress, S) ->
    {wait, {collecting, collector_state(Progress)}, S}.

collector_state({collecting, State}) -> State;
collector_state(_) -> start.

err_func(io_lib, get_until, {_, F, _}) -> F;
err_func(_, F, _) -> F.

%% Input bytes (in the device's encoding) as the request wants them: a
%% list of characters or a binary, in the request's encoding.
cast(Bin, Enc, #state{binary = false, encoding = latin1}) when Enc =:= latin1; Enc =:= unicode ->
    {ok, binary_to_list(Bin)};
cast(Bin, Enc, #state{binary = false, encoding = unicode}) ->
    case unicode:characters_to_list(Bin, unicode) of
        Chars when is_list(Chars), Enc =:= unicode -> {ok, Chars};
        Chars when is_list(Chars) ->
            case lists:all(fun(C) -> C =< 255 end, Chars) of
                true -> {ok, Chars};
                false -> error
            end;
        _ -> error
    end;
cast(Bin, Enc, #state{binary = true, encoding = Enc}) ->
    {ok, Bin};
cast(Bin, Enc, #state{binary = true, encoding = DeviceEnc}) ->
    case unicode:characters_to_binary(Bin, DeviceEnc, Enc) of
        Converted when is_binary(Converted) -> {ok, Converted};
        _ -> error
    end.

%% What a collector left over, as input to read next. A list goes back to
%% the device's encoding. A binary stays as it is, in the request's
%% encoding, and is read again as if the device had sent it: erl's user
%% keeps it so (a latin1 device in binary mode hands what is left after
%% a unicode get_chars to the next request converted once more).
uncast(Rest, _Enc, _S) when Rest =:= eof; Rest =:= []; Rest =:= <<>> ->
    <<>>;
uncast(Rest, _Enc, _S) when is_binary(Rest) ->
    Rest;
uncast(Rest, _Enc, #state{encoding = DeviceEnc}) ->
    case catch unicode:characters_to_binary(Rest, unicode, DeviceEnc) of
        Bin when is_binary(Bin) -> Bin;
        _ -> <<>>
    end.

%% ---- natives -------------------------------------------------------------

%% Converts Chars (chardata in encoding Enc) to the device's encoding as
%% OTP's user does -- characters a latin1 device cannot show are written
%% as \x{...} -- and writes them: ok, or error for chardata that is not.
put_chars(_Device, _Enc, _DeviceEnc, _Chars) ->
    erlang:nif_error(undef).

%% Writes out what was written to the device.
flush(_Device) ->
    erlang:nif_error(undef).

%% Asks for one read of standard input for the calling process; the answer
%% comes as a message {oxbeam_io_input, Binary | eof | {error, Reason}}.
read_input() ->
    erlang:nif_error(undef).
