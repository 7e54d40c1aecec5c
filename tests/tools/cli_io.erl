%% Functions that tests/cli_vs_erl.rs calls from the command line (-s,
%% -run, -eval) on erl and on oxbeam: they print with io and read standard
%% input through the group leader.
-module(cli_io).
-export([start/0, show/1, lines/0, terms/0, chars/1, caught/0, device/0]).

start() ->
    io:format("start/0~n").

%% -s passes atoms, -run strings.
show(Args) ->
    io:format("~p~n", [Args]).

%% Every line of standard input, as read, then eof.
lines() ->
    case io:get_line("") of
        eof -> io:format("eof~n");
        Line -> io:format("~w~n", [Line]), lines()
    end.

%% Every term on standard input (io:read/1), to the end or an error.
terms() ->
    case io:read("term> ") of
        {ok, Term} -> io:format("~n~p~n", [Term]), terms();
        Other -> io:format("~n~p~n", [Other])
    end.

%% Standard input in chunks of N characters (-run gives N as a string).
chars([N]) ->
    case io:get_chars("", list_to_integer(N)) of
        eof -> io:format("eof~n");
        Chars -> io:format("~w~n", [Chars]), chars([N])
    end.

%% io's errors for bad arguments, caught: the reason and the top frame.
caught() ->
    Calls = [fun() -> io:format("~p") end,
             fun() -> io:format("~d~n", [a]) end,
             fun() -> io:format("~s", [[1 | 2]]) end,
             fun() -> io:put_chars([a]) end,
             fun() -> io:put_chars(<<255>>) end,
             fun() -> io:format(no_such_device, "x", []) end,
             fun() -> io:fwrite("~p ~p~n", [only_one]) end,
             fun() -> io:write(self(), term) end],
    [io:format("~p~n", [try F() catch C:R:S -> {C, R, without_pids(hd(S))} end]) || F <- Calls],
    ok.

without_pids({M, F, Args, Location}) ->
    {M, F, [case is_pid(A) of true -> pid; false -> A end || A <- Args], Location}.

%% What the group leader answers besides writing.
device() ->
    io:format("~p~n", [[io:getopts(), io:columns(), io:rows(),
                        io:setopts([{echo, false}]), io:request(bad_request),
                        io:getopts(standard_error), io:setopts(standard_error, [binary]),
                        io:get_line(standard_error, ""),
                        io:setopts([binary, {encoding, latin1}]), io:getopts(),
                        io:setopts([list]), io:getopts()]]).
