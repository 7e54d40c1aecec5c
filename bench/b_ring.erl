%% Message passing around a ring: N processes, a token sent round M times.
-module(b_ring).
-export([run/0]).

-define(PROCS, 1000).
-define(ROUNDS, 500).

run() ->
    Self = self(),
    First = spawn_link(fun() -> first(Self) end),
    First ! {start, ?PROCS, ?ROUNDS},
    receive {done, Hops} -> Hops end.

%% The first process builds the ring and counts the rounds.
first(Parent) ->
    receive {start, N, Rounds} -> ok end,
    Next = build(N - 1, self()),
    Next ! {token, 1},
    Hops = loop_first(Next, Rounds, 1),
    Next ! stop,
    Parent ! {done, Hops}.

build(0, Next) -> Next;
build(N, Next) -> build(N - 1, spawn_link(fun() -> relay(Next) end)).

relay(Next) ->
    receive
        {token, Hops} -> Next ! {token, Hops + 1}, relay(Next);
        stop -> Next ! stop
    end.

loop_first(_Next, 0, Hops) ->
    Hops;
loop_first(Next, Rounds, _) ->
    receive
        {token, Hops} ->
            case Rounds of
                1 -> Hops;
                _ -> Next ! {token, Hops + 1}, loop_first(Next, Rounds - 1, Hops)
            end
    end.
