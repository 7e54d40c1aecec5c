%% Regular expressions through OTP's re: precompiled and textual patterns
%% run over generated log lines (named captures, global matches, anchored
%% checks), re:replace and re:split (re.erl's Erlang code over re:run), and
%% a unicode pass. The checksum sums what was found.
-module(b_re).
-export([run/0]).

run() ->
    Lines = lines(400, 42, []),
    Text = iolist_to_binary(lists:join(<<"\n">>, Lines)),
    {ok, Line} = re:compile("^(?<ip>\\d+\\.\\d+\\.\\d+\\.\\d+) (?<user>\\w+) "
                            "\"(?<method>GET|POST|PUT) (?<path>/\\S*)\" (?<status>\\d{3}) (?<size>\\d+)$"),
    {ok, Word} = re:compile("\\b[a-z]{4,}\\b", [caseless]),
    loop(40, Lines, Text, Line, Word, 0).

loop(0, _, _, _, _, Acc) -> Acc;
loop(N, Lines, Text, Line, Word, Acc) ->
    Fields = [F || L <- Lines,
                   {match, F} <- [re:run(L, Line, [{capture, [status, size, user], binary}])]],
    Sizes = lists:sum([binary_to_integer(S) || [_, S, _] <- Fields]),
    Errors = length([x || [<<"5", _/binary>>, _, _] <- Fields]),
    {match, Words} = re:run(Text, Word, [global, {capture, first, index}]),
    Numbers = case re:run(Text, "\\d+", [global, {capture, all, list}]) of
                  {match, Ns} -> length(Ns);
                  nomatch -> 0
              end,
    Posts = length([L || L <- Lines, re:run(L, "\"POST ", [{capture, none}]) =:= match]),
    Masked = re:replace(Text, "(\\d+)\\.(\\d+)\\.\\d+\\.\\d+", "\\1.\\2.x.x", [global, {return, binary}]),
    Parts = re:split(Text, "[\\s\"]+", [trim]),
    Uni = re:run(<<"čaj, káva, žluťoučký kůň"/utf8>>, "\\w+", [unicode, ucp, global, {capture, all, list}]),
    Csum = Sizes + Errors * 7 + length(Words) * 3 + Numbers + Posts + byte_size(Masked)
        + length(Parts) + length(element(2, Uni)),
    loop(N - 1, Lines, Text, Line, Word, (Acc + Csum) rem 1000000007).

users() -> {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"}.
paths() -> {"/", "/index.html", "/api/items", "/api/items/42", "/static/app.js", "/login"}.
methods() -> {"GET", "GET", "POST", "PUT"}.
statuses() -> {"200", "200", "201", "404", "500", "302"}.

lines(0, _, Acc) -> Acc;
lines(N, Seed, Acc) ->
    S = (Seed * 1103515245 + 12345) rem 2147483648,
    Pick = fun(T, K) -> element((S div K) rem tuple_size(T) + 1, T) end,
    Line = iolist_to_binary(
             [integer_to_list(10 + S rem 5), ".", integer_to_list(S rem 7), ".", integer_to_list(S rem 255),
              ".", integer_to_list(S rem 99), " ", Pick(users(), 3), " \"", Pick(methods(), 5), " ",
              Pick(paths(), 7), "\" ", Pick(statuses(), 11), " ", integer_to_list(S rem 100000)]),
    lines(N - 1, S, [Line | Acc]).
