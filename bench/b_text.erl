%% Text as lists of characters (no binaries): generating text, splitting it
%% into words, case folding, counting words in a map keyed by strings,
%% formatting numbers with integer_to_list and reading them back, joining.
-module(b_text).
-export([run/0]).

run() -> loop(150, 0).

loop(0, Acc) -> Acc;
loop(N, Acc) ->
    Text = text(4000, N * 7919, []),
    Words = words(Text),
    Lower = [lower(W) || W <- Words],
    Counts = count(Lower, #{}),
    Top = lists:sublist(lists:reverse(lists:keysort(2, maps:to_list(Counts))), 5),
    Numbers = [integer_to_list(length(W) * 1000 + I) || {I, W} <- lists:zip(lists:seq(1, length(Words)), Words)],
    Total = lists:sum([list_to_integer(S) || S <- Numbers]),
    Joined = lists:flatten(lists:join(", ", lists:sublist(Lower, 200))),
    Tokens = string:tokens(Joined, ", "),
    Csum = lists:foldl(fun(C, A) -> (A * 31 + C) rem 1000000007 end, 0, Joined),
    loop(N - 1, (Acc + Total + length(Tokens) + Csum + lists:sum([C || {_, C} <- Top])) rem 1000000007).

vocabulary() ->
    {"The", "quick", "brown", "Fox", "jumps", "over", "the", "LAZY", "dog", "and",
     "runs", "away", "from", "a", "Bear", "in", "Forest", "while", "birds", "sing"}.

%% Count words of pseudo-random text, with punctuation.
text(0, _Seed, Acc) -> lists:append(lists:reverse(Acc));
text(N, Seed, Acc) ->
    Next = (Seed * 1103515245 + 12345) rem 2147483648,
    Word = element(Next rem 20 + 1, vocabulary()),
    Sep = case Next rem 7 of
              0 -> ". ";
              1 -> ", ";
              _ -> " "
          end,
    text(N - 1, Next, [Sep, Word | Acc]).

words(Text) -> words(Text, [], []).

words([], [], Acc) -> lists:reverse(Acc);
words([], W, Acc) -> lists:reverse([lists:reverse(W) | Acc]);
words([C | Rest], W, Acc) when C >= $a, C =< $z; C >= $A, C =< $Z ->
    words(Rest, [C | W], Acc);
words([_ | Rest], [], Acc) -> words(Rest, [], Acc);
words([_ | Rest], W, Acc) -> words(Rest, [], [lists:reverse(W) | Acc]).

lower(W) -> [if C >= $A, C =< $Z -> C + 32; true -> C end || C <- W].

count([], M) -> M;
count([W | Ws], M) ->
    count(Ws, case M of
                  #{W := C} -> M#{W := C + 1};
                  _ -> M#{W => 1}
              end).
