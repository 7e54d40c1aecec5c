%% Concurrency: message passing. Ping-pong, a ring of processes passing a
%% token around many times, order of messages from one sender, many
%% senders to one receiver, large terms copied between heaps, sending to
%% dead processes and to names, and a pipeline of stages.
-module(c_msg).
-export([main/0, ring_node/1]).

main() ->
    run([{ping_pong_10000, fun ping_pong/0},
         {ring_1000_x_100, fun() -> ring(1000, 100) end},
         {ring_2_x_5000, fun() -> ring(2, 5000) end},
         {ring_single, fun() -> ring(1, 10) end},
         {order_one_sender, fun order_one_sender/0},
         {order_many_senders, fun order_many_senders/0},
         {send_to_self, fun send_to_self/0},
         {send_returns_message, fun send_returns_message/0},
         {copy_terms, fun copy_terms/0},
         {copy_shared_subterms, fun copy_shared_subterms/0},
         {send_to_dead, fun send_to_dead/0},
         {send_to_names, fun send_to_names/0},
         {send_badarg, fun send_badarg/0},
         {pipeline, fun pipeline/0},
         {fan_out_fan_in, fun fan_out_fan_in/0},
         {echo_server_calls, fun echo_server/0}]).

run(Checks) ->
    lists:foreach(
      fun({Name, Check}) ->
              Result = try Check() catch Class:Reason -> {caught, Class, Reason} end,
              io:format("~p: ~p~n", [Name, Result]),
              case flush() of
                  [] -> ok;
                  Stray -> io:format("~p: ~p stray messages~n", [Name, length(Stray)])
              end
      end, Checks).

flush() ->
    receive M -> [M | flush()] after 0 -> [] end.

%% Two processes bounce a counter 10 000 times.
ping_pong() ->
    Parent = self(),
    Pong = spawn(fun() -> pong_loop(0) end),
    Ping = spawn(fun() -> ping_loop(Pong, 10000, Parent) end),
    Result = receive {ping_done, Ping, N} -> N end,
    Pong ! {stop, self()},
    Pongs = receive {pong_count, C} -> C end,
    {Result, Pongs}.

ping_loop(_Pong, 0, Parent) -> Parent ! {ping_done, self(), 0};
ping_loop(Pong, N, Parent) ->
    Pong ! {ping, self(), N},
    receive
        {pong, M} when M =:= N - 1 -> ping_loop(Pong, M, Parent)
    end.

pong_loop(Count) ->
    receive
        {ping, From, N} -> From ! {pong, N - 1}, pong_loop(Count + 1);
        {stop, From} -> From ! {pong_count, Count}
    end.

%% A ring of N processes; a token goes round M times, each process adding
%% one. The first process reports the final count and tells the ring to
%% stop; each process reports how many times it saw the token (the least
%% and the most are printed).
ring(N, M) ->
    Parent = self(),
    First = spawn(fun() -> ring_first(Parent, M) end),
    Others = [spawn(?MODULE, ring_node, [Parent]) || _ <- lists:seq(2, N)],
    Ring = [First | Others],
    Nexts = tl(Ring) ++ [First],
    [P ! {next, Next} || {P, Next} <- lists:zip(Ring, Nexts)],
    First ! start,
    Final = receive {ring_done, T} -> T end,
    Seen = [receive {seen, P, S} -> S end || P <- Ring],
    {Final, lists:min(Seen), lists:max(Seen)}.

ring_first(Parent, M) ->
    Next = receive {next, P} -> P end,
    receive start -> ok end,
    Next ! {token, 1},
    ring_first_loop(Parent, Next, M, 1).

ring_first_loop(Parent, Next, M, Seen) ->
    receive
        {token, T} when Seen < M -> Next ! {token, T + 1}, ring_first_loop(Parent, Next, M, Seen + 1);
        {token, T} -> Parent ! {ring_done, T}, Next ! stop, Parent ! {seen, self(), Seen},
                      receive stop -> ok end
    end.

ring_node(Parent) ->
    Next = receive {next, P} -> P end,
    ring_node_loop(Parent, Next, 0).

ring_node_loop(Parent, Next, Seen) ->
    receive
        {token, T} -> Next ! {token, T + 1}, ring_node_loop(Parent, Next, Seen + 1);
        stop -> Next ! stop, Parent ! {seen, self(), Seen}
    end.

%% Messages from one sender arrive in the order they were sent.
order_one_sender() ->
    Parent = self(),
    spawn(fun() -> [Parent ! {seq, I} || I <- lists:seq(1, 10000)] end),
    Got = [receive {seq, I} -> I end || _ <- lists:seq(1, 10000)],
    Got =:= lists:seq(1, 10000).

%% 50 senders each send 200 numbered messages; the interleaving is free,
%% but each sender's messages stay in order.
order_many_senders() ->
    Parent = self(),
    Senders = lists:seq(1, 50),
    _ = [spawn(fun() -> [Parent ! {from, S, I} || I <- lists:seq(1, 200)] end) || S <- Senders],
    All = [receive {from, S, I} -> {S, I} end || _ <- lists:seq(1, 50 * 200)],
    InOrder = lists:all(fun(S) -> [I || {S1, I} <- All, S1 =:= S] =:= lists:seq(1, 200) end,
                        Senders),
    {length(All), InOrder}.

%% Messages sent to oneself are received in order; the queue length
%% counts them.
send_to_self() ->
    [self() ! {n, I} || I <- lists:seq(1, 100)],
    {message_queue_len, Len} = process_info(self(), message_queue_len),
    Got = [receive {n, I} -> I end || _ <- lists:seq(1, 100)],
    {Len, Got =:= lists:seq(1, 100)}.

%% `Pid ! Msg` and erlang:send/2,3 return the message (or ok).
send_returns_message() ->
    A = (self() ! hello),
    B = erlang:send(self(), world),
    C = erlang:send(self(), again, [noconnect]),
    D = erlang:send(self(), last, [nosuspend]),
    Got = [receive X -> X end || _ <- [1, 2, 3, 4]],
    {A, B, C, D, Got}.

%% Terms of every kind sent to another process and back are equal.
copy_terms() ->
    Echo = spawn(fun Loop() -> receive {From, T} -> From ! {echo, T}, Loop(); stop -> ok end end),
    Terms = [42, -7, 1 bsl 100, 3.25, atom, "string", <<"binary">>,
             list_to_binary(lists:duplicate(1000, $x)), <<1, 2, 3:4>>,
             {tuple, [nested, {deeper, [1, 2, 3]}]}, #{a => 1, "b" => [2]},
             maps:from_list([{I, I * I} || I <- lists:seq(1, 100)]),
             fun lists:reverse/1, [improper | tail], lists:seq(1, 5000),
             self(), make_ref(), {}],
    Back = [begin Echo ! {self(), T}, receive {echo, R} -> R end end || T <- Terms],
    Echo ! stop,
    Fun = fun(X) -> {X, Terms} end,
    Echo2 = spawn(fun() -> receive {From, F} -> From ! {applied, F(1)} end end),
    Echo2 ! {self(), Fun},
    Applied = receive {applied, A} -> A end,
    {Back =:= Terms, length(Back), Applied =:= {1, Terms}}.

%% A term with much sharing (each level holds the previous twice) is sent
%% flat: the copy is equal, whatever its size on the receiver's heap.
copy_shared_subterms() ->
    Shared = lists:foldl(fun(_, Acc) -> {Acc, Acc} end, leaf, lists:seq(1, 12)),
    Parent = self(),
    spawn(fun() -> receive T -> Parent ! {back, T, leaves(T)} end end) ! Shared,
    receive {back, T, Leaves} -> {T =:= Shared, Leaves} end.

leaves(leaf) -> 1;
leaves({A, B}) -> leaves(A) + leaves(B).

%% Sending to a process that has exited is not an error.
send_to_dead() ->
    {Pid, Ref} = spawn_monitor(fun() -> ok end),
    receive {'DOWN', Ref, process, Pid, _} -> ok end,
    R = (Pid ! ignored),
    {R, is_process_alive(Pid)}.

%% Sending to a registered name and to {Name, node()}.
send_to_names() ->
    Parent = self(),
    Pid = spawn(fun Loop() -> receive {msg, X} -> Parent ! {got, X}, Loop(); stop -> ok end end),
    true = register(c_msg_target, Pid),
    c_msg_target ! {msg, 1},
    {c_msg_target, node()} ! {msg, 2},
    erlang:send(c_msg_target, {msg, 3}),
    Got = [receive {got, X} -> X end || _ <- [1, 2, 3]],
    c_msg_target ! stop,
    Ref = monitor(process, Pid),
    receive {'DOWN', Ref, process, Pid, normal} -> ok end,
    {Got, whereis(c_msg_target)}.

%% Sending to an unregistered name or a non-destination is badarg.
send_badarg() ->
    [reason(fun() -> c_msg_no_such_name ! x end),
     reason(fun() -> {c_msg_no_such_name, node()} ! x end),
     reason(fun() -> erlang:send(c_msg_no_such_name, x) end),
     reason(fun() -> 42 ! x end),
     reason(fun() -> "name" ! x end),
     reason(fun() -> {a, b, c} ! x end),
     reason(fun() -> erlang:send(self(), x, [bad_option]) end)].

reason(Fun) ->
    try Fun() of _ -> no_exception
    catch Class:Reason -> {Class, Reason}
    end.

%% A pipeline of 20 stages, each applying its function to every item it
%% receives and passing it on; the last stage reports to the parent.
pipeline() ->
    Parent = self(),
    Sink = spawn(fun() -> sink([]) end),
    Stages = lists:foldl(
               fun(K, Next) -> spawn(fun() -> stage(K, Next) end) end,
               Sink, lists:seq(1, 20)),
    [Stages ! {item, I} || I <- lists:seq(1, 500)],
    Stages ! {done, Parent},
    receive {sink, Items} -> {length(Items), lists:sum(Items), lists:sublist(Items, 5)} end.

stage(K, Next) ->
    receive
        {item, I} -> Next ! {item, I * 2 + K rem 3}, stage(K, Next);
        {done, Parent} -> Next ! {done, Parent}
    end.

sink(Acc) ->
    receive
        {item, I} -> sink([I | Acc]);
        {done, Parent} -> Parent ! {sink, lists:reverse(Acc)}
    end.

%% The parent sends one job to each of 100 workers and gathers the answers
%% by worker, in worker order (selectively).
fan_out_fan_in() ->
    Parent = self(),
    Workers = [spawn(fun() -> receive {job, N} -> Parent ! {answer, self(), N * N} end end)
               || _ <- lists:seq(1, 100)],
    [W ! {job, N} || {W, N} <- lists:zip(Workers, lists:seq(1, 100))],
    Answers = [receive {answer, W, A} -> A end || W <- lists:reverse(Workers)],
    {lists:sum(Answers), lists:sublist(Answers, 3)}.

%% A server process answering calls tagged with a fresh reference each.
echo_server() ->
    Server = spawn(fun echo_loop/0),
    Replies = [call(Server, {double, I}) || I <- lists:seq(1, 1000)],
    Last = call(Server, stop),
    {lists:sum(Replies), Last}.

call(Server, Request) ->
    Ref = make_ref(),
    Server ! {call, self(), Ref, Request},
    receive {reply, Ref, Reply} -> Reply end.

echo_loop() ->
    receive
        {call, From, Ref, {double, I}} -> From ! {reply, Ref, 2 * I}, echo_loop();
        {call, From, Ref, stop} -> From ! {reply, Ref, stopped}
    end.
