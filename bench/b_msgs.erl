%% Many-to-one messaging: several senders flood one receiver, which sums
%% what it gets.
-module(b_msgs).
-export([run/0]).

-define(SENDERS, 8).
-define(PER_SENDER, 100000).

run() ->
    Self = self(),
    Receiver = spawn_link(fun() -> receiver(?SENDERS * ?PER_SENDER, 0, Self) end),
    [spawn_link(fun() -> send(Receiver, S, ?PER_SENDER) end) || S <- lists:seq(1, ?SENDERS)],
    receive {sum, Sum} -> Sum end.

send(_Receiver, _S, 0) -> ok;
send(Receiver, S, N) ->
    Receiver ! {msg, S, N},
    send(Receiver, S, N - 1).

receiver(0, Sum, Parent) -> Parent ! {sum, Sum};
receiver(Left, Sum, Parent) ->
    receive {msg, S, N} -> receiver(Left - 1, Sum + S * N, Parent) end.
