%% Checks external-format encodings made by oxbeam on erl.
%%
%% etf_check:main([File]): File has lines "<hex ours> <hex erl's>"; prints
%% one line "mismatch <line number>" for each pair that does not decode to
%% exactly equal terms, then "checked <count>".
-module(etf_check).
-export([main/1]).

main([File]) ->
    {ok, Text} = file:read_file(File),
    Lines = [L || L <- binary:split(Text, <<"\n">>, [global]), L =/= <<>>],
    lists:foldl(fun(Line, N) ->
                        [Ours, Theirs] = binary:split(Line, <<" ">>),
                        Same = try binary_to_term(binary:decode_hex(Ours)) =:=
                                       binary_to_term(binary:decode_hex(Theirs))
                               catch _:_ -> false
                               end,
                        Same orelse io:format("mismatch ~w~n", [N]),
                        N + 1
                end, 1, Lines),
    io:format("checked ~w~n", [length(Lines)]).
