%% Concurrency: process priorities. Busy processes of priority low get
%% fewer time slices than busy normal ones when both wait for a scheduler;
%% a high-priority process is not held up by busy normal ones.
-module(c_prio).
-export([main/0]).

main() ->
    process_flag(priority, max),
    io:format("flags: ~p~n", [flags()]),
    io:format("low_vs_normal: ~p~n", [low_vs_normal()]),
    io:format("high_gets_through: ~p~n", [high_gets_through()]).

%% process_flag(priority, P) returns the old priority; bad values are badarg.
flags() ->
    Self = self(),
    Pid = spawn(fun() ->
                        Old = process_flag(priority, low),
                        Low = process_flag(priority, high),
                        High = process_flag(priority, normal),
                        Bad = (catch process_flag(priority, urgent)),
                        Self ! {self(), [Old, Low, High, element(1, element(2, Bad))]}
                end),
    receive {Pid, Seen} -> Seen end.

%% Five normal and one low busy process share the schedulers for a while;
%% the low one counts far fewer loop turns than any normal one.
low_vs_normal() ->
    Self = self(),
    Spawn = fun(Prio) ->
                    spawn_opt(fun() -> busy(Self, 0) end, [{priority, Prio}])
            end,
    Normals = [Spawn(normal) || _ <- [1, 2, 3, 4, 5]],
    Low = Spawn(low),
    receive after 400 -> ok end,
    [P ! stop || P <- [Low | Normals]],
    LowCount = count(Low),
    NormalCounts = [count(P) || P <- Normals],
    {LowCount * 4 < lists:min(NormalCounts), LowCount > 0}.

busy(Parent, N) ->
    receive
        stop -> Parent ! {self(), N}
    after 0 ->
        busy(Parent, N + 1)
    end.

count(Pid) ->
    receive {Pid, N} -> N end.

%% While normal processes are busy, a high-priority one still answers fast.
high_gets_through() ->
    Self = self(),
    Busy = [spawn(fun() -> busy(Self, 0) end) || _ <- [1, 2, 3, 4]],
    High = spawn_opt(fun() -> receive {ping, From} -> From ! pong end end,
                     [{priority, high}]),
    T0 = erlang:monotonic_time(millisecond),
    High ! {ping, self()},
    Answer = receive pong -> pong after 2000 -> timeout end,
    Elapsed = erlang:monotonic_time(millisecond) - T0,
    [P ! stop || P <- Busy],
    [count(P) || P <- Busy],
    {Answer, Elapsed < 200}.
