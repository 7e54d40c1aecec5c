%% Concurrency: exit signals and links. Propagation through trees of linked
%% processes with and without trap_exit, for normal, kill, custom reasons,
%% exit/1 and exit/2 (from the process itself and from others), links to
%% dead processes (noproc), unlink, and long chains.
%%
%% The scenarios use "puppets": processes that run the funs they are sent.
%% Every outcome is awaited, never guessed from timing: the processes that
%% should die are waited for by monitor (up to 5 s, then reported alive), a
%% trapping survivor waits for each 'EXIT' it should get (up to 5 s, then
%% reports none), and the others are asked whether they are alive.
-module(c_exit).
-export([main/0]).

main() ->
    run([{tree_custom_reason, fun tree_custom/0},
         {tree_exit_1_self, fun tree_exit_self/0},
         {tree_kill, fun tree_kill/0},
         {tree_exit_1_kill, fun tree_exit_kill_reason/0},
         {tree_normal, fun tree_normal/0},
         {tree_trapping_middle, fun tree_trapping_middle/0},
         {exit_2_normal_not_trapping, fun exit2_normal_not_trapping/0},
         {exit_2_normal_trapping, fun exit2_normal_trapping/0},
         {exit_2_custom_trapping, fun exit2_custom_trapping/0},
         {exit_2_kill_trapping, fun exit2_kill_trapping/0},
         {exit_2_from_third_process, fun exit2_from_third/0},
         {exit_self_normal, fun exit_self_normal/0},
         {exit_self_normal_trapping, fun exit_self_normal_trapping/0},
         {exit_self_kill, fun exit_self_kill/0},
         {exit_2_dead_and_badarg, fun exit2_dead_and_badarg/0},
         {link_dead_not_trapping, fun link_dead_not_trapping/0},
         {link_dead_trapping, fun link_dead_trapping/0},
         {link_self_and_badarg, fun link_self_and_badarg/0},
         {unlink_stops_propagation, fun unlink_stops_propagation/0},
         {link_twice_one_link, fun link_twice/0},
         {spawn_link_child_exits, fun spawn_link_child_exits/0},
         {chain_of_1000, fun chain_of_1000/0},
         {star_of_500, fun star_of_500/0},
         {trap_exit_messages_stay, fun trap_exit_messages_stay/0},
         {exit_reasons_kept, fun exit_reasons_kept/0}]).

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

%% A process that runs the funs it is sent, trapping exits or not (set
%% before this returns).
puppet(Trap) ->
    Parent = self(),
    Pid = spawn(fun() -> process_flag(trap_exit, Trap), Parent ! {ready, self()}, puppet_loop() end),
    receive {ready, Pid} -> Pid end.

puppet_loop() ->
    receive
        {do, From, Fun} -> From ! {did, self(), Fun()}, puppet_loop();
        stop -> ok
    end.

%% Runs Fun in puppet P and returns its result (or {dead, Reason}).
do(P, Fun) ->
    Ref = monitor(process, P),
    P ! {do, self(), Fun},
    receive
        {did, P, Result} -> demonitor(Ref, [flush]), Result;
        {'DOWN', Ref, process, P, Reason} -> {dead, Reason}
    end.

%% Makes puppet P run Fun without waiting for it.
async(P, Fun) ->
    P ! {do, self(), Fun},
    ok.

%% A scenario: puppets named in Nodes ({Name, TrapExit}), linked as Links
%% says; Act(PidOf) is run by this process; then the puppets named in Dies
%% are awaited, each trapping puppet named in Hears waits for an 'EXIT'
%% from each name listed for it, and the remaining puppets say if they are
%% alive. Returns what happened, by name.
scenario(Nodes, Links, Act, Dies, Hears) ->
    Pids = [{Name, puppet(Trap)} || {Name, Trap} <- Nodes],
    PidOf = fun(Name) -> {Name, Pid} = lists:keyfind(Name, 1, Pids), Pid end,
    NameOf = fun(Pid) -> case lists:keyfind(Pid, 2, Pids) of {N, _} -> N; false -> other end end,
    [true = do(PidOf(A), fun() -> link(PidOf(B)) end) || {A, B} <- Links],
    Monitors = [{Name, monitor(process, Pid)} || {Name, Pid} <- Pids],
    Act(PidOf),
    Dead = [{Name, await_down(PidOf(Name), element(2, lists:keyfind(Name, 1, Monitors)))}
            || Name <- Dies],
    Heard = [{Trapper, From, do(PidOf(Trapper), fun() -> await_exit(PidOf(From)) end)}
             || {Trapper, Froms} <- Hears, From <- Froms],
    Survivors = [Name || {Name, _} <- Nodes, not lists:member(Name, Dies)],
    Extra = [{Name, do(PidOf(Name), fun() -> [{NameOf(F), Why} || {'EXIT', F, Why} <- flush()] end)}
             || {Name, true} <- Nodes, not lists:member(Name, Dies)],
    Alive = [{Name, do(PidOf(Name), fun() -> alive end)} || Name <- Survivors],
    [PidOf(Name) ! stop || Name <- Survivors],
    [await_down(PidOf(Name), element(2, lists:keyfind(Name, 1, Monitors))) || Name <- Survivors],
    [{died, Dead}, {heard, Heard}, {alive, Alive}, {unexpected_exits, [E || {_, [_ | _]} = E <- Extra]}].

await_down(Pid, Ref) ->
    receive {'DOWN', Ref, process, Pid, Reason} -> Reason after 5000 -> still_alive end.

await_exit(From) ->
    receive {'EXIT', From, Reason} -> Reason after 5000 -> none end.

%% The tree used by several scenarios: a trapping root r linked to a, a to
%% b and c, c to d.
tree(Trapping) ->
    Nodes = [{r, true}, {a, false}, {b, false}, {c, false}, {d, false}],
    Trap = fun({N, T}) -> {N, T orelse lists:member(N, Trapping)} end,
    {lists:map(Trap, Nodes), [{r, a}, {a, b}, {a, c}, {c, d}]}.

%% d is sent an exit signal with a custom reason: the whole tree dies with
%% it, the trapping root gets the 'EXIT' from a.
tree_custom() ->
    {Nodes, Links} = tree([]),
    scenario(Nodes, Links, fun(P) -> exit(P(d), {custom, [1, 2]}) end,
             [d, c, a, b], [{r, [a]}]).

%% d calls exit/1 itself.
tree_exit_self() ->
    {Nodes, Links} = tree([]),
    scenario(Nodes, Links, fun(P) -> async(P(d), fun() -> exit(bye) end) end,
             [d, c, a, b], [{r, [a]}]).

%% d is killed: it dies with killed, and killed is what its links get.
tree_kill() ->
    {Nodes, Links} = tree([]),
    scenario(Nodes, Links, fun(P) -> exit(P(d), kill) end, [d, c, a, b], [{r, [a]}]).

%% d calls exit(kill): the reason kill travels along the links (and is not
%% the untrappable kill signal: the trapping root gets it as a message).
tree_exit_kill_reason() ->
    {Nodes, Links} = tree([]),
    scenario(Nodes, Links, fun(P) -> async(P(d), fun() -> exit(kill) end) end,
             [d, c, a, b], [{r, [a]}]).

%% d exits normally: nobody else dies.
tree_normal() ->
    {Nodes, Links} = tree([]),
    scenario(Nodes, Links, fun(P) -> async(P(d), fun() -> exit(normal) end) end, [d], []).

%% c traps exits: d's death stops at c, which gets the 'EXIT' message.
tree_trapping_middle() ->
    {Nodes, Links} = tree([c]),
    scenario(Nodes, Links, fun(P) -> exit(P(d), custom) end, [d], [{c, [d]}]).

%% exit(P, normal) to a process not trapping exits does nothing.
exit2_normal_not_trapping() ->
    P = puppet(false),
    true = exit(P, normal),
    R = do(P, fun() -> alive end),
    P ! stop,
    R.

%% exit(P, normal) to a trapping process becomes an 'EXIT' message naming
%% the sender.
exit2_normal_trapping() ->
    P = puppet(true),
    Me = self(),
    exit(P, normal),
    R = do(P, fun() -> receive {'EXIT', Me, normal} -> got_exit_message after 5000 -> none end end),
    P ! stop,
    R.

%% A custom reason to a trapping process is a message too.
exit2_custom_trapping() ->
    P = puppet(true),
    Me = self(),
    exit(P, {please, stop}),
    R = do(P, fun() -> receive {'EXIT', Me, Why} -> Why after 5000 -> none end end),
    P ! stop,
    R.

%% kill cannot be trapped: the trapping process dies with killed and its
%% trapping link gets killed.
exit2_kill_trapping() ->
    scenario([{t, true}, {u, true}], [{t, u}], fun(P) -> exit(P(t), kill) end, [t], [{u, [t]}]).

%% exit/2 sent by one puppet to another, trapping: the 'EXIT' names the
%% sender; to a non-trapping one: it dies with the reason.
exit2_from_third() ->
    scenario([{x, false}, {t, true}, {v, false}], [],
             fun(P) -> do(P(x), fun() -> exit(P(t), from_x), exit(P(v), from_x) end) end,
             [v], [{t, [x]}]).

%% exit(self(), normal) ends a process that does not trap exits, with
%% reason normal.
exit_self_normal() ->
    {Pid, Ref} = spawn_monitor(fun() -> exit(self(), normal), receive after infinity -> ok end end),
    await_down(Pid, Ref).

%% A trapping process that calls exit(self(), normal) gets a message.
exit_self_normal_trapping() ->
    P = puppet(true),
    R = do(P, fun() ->
                      Me = self(),
                      exit(Me, normal),
                      receive {'EXIT', Me, normal} -> got_own_exit after 5000 -> none end
              end),
    P ! stop,
    R.

%% exit(self(), kill) kills, trapping or not.
exit_self_kill() ->
    [begin
         {Pid, Ref} = spawn_monitor(fun() -> process_flag(trap_exit, Trap), exit(self(), kill),
                                             receive after infinity -> ok end end),
         {Trap, await_down(Pid, Ref)}
     end || Trap <- [false, true]].

%% exit/2 to a dead process is true; to a non-pid it is badarg.
exit2_dead_and_badarg() ->
    {Pid, Ref} = spawn_monitor(fun() -> ok end),
    normal = await_down(Pid, Ref),
    [exit(Pid, kill), exit(Pid, normal),
     reason(fun() -> exit(not_a_pid, kill) end),
     reason(fun() -> exit(42, normal) end),
     reason(fun() -> exit({name, node()}, kill) end)].

reason(Fun) ->
    try Fun() of R -> {returned, R}
    catch Class:Reason -> {Class, Reason}
    end.

dead_pid() ->
    {Pid, Ref} = spawn_monitor(fun() -> ok end),
    normal = await_down(Pid, Ref),
    Pid.

%% link/1 to a dead process without trapping exits raises noproc.
link_dead_not_trapping() ->
    Dead = dead_pid(),
    P = puppet(false),
    R = do(P, fun() -> try link(Dead) catch error:Why -> {error, Why} end end),
    Alive = do(P, fun() -> alive end),
    P ! stop,
    {R, Alive}.

%% link/1 to a dead process when trapping returns true, then an 'EXIT'
%% with noproc arrives.
link_dead_trapping() ->
    Dead = dead_pid(),
    P = puppet(true),
    R = do(P, fun() ->
                      L = link(Dead),
                      {L, receive {'EXIT', Dead, Why} -> Why after 5000 -> none end}
              end),
    P ! stop,
    R.

%% link(self()) is true and harmless; links to non-pids are badarg.
link_self_and_badarg() ->
    {links, Before} = process_info(self(), links),
    R = link(self()),
    {links, After} = process_info(self(), links),
    [R, Before =:= After,
     reason(fun() -> link(not_a_pid) end),
     reason(fun() -> link(make_ref()) end),
     reason(fun() -> unlink(42) end),
     unlink(dead_pid())].

%% After unlink, a death is not propagated.
unlink_stops_propagation() ->
    scenario([{a, false}, {b, false}, {c, false}], [{a, b}, {b, c}],
             fun(P) ->
                     true = do(P(b), fun() -> unlink(P(c)) end),
                     exit(P(a), cut)
             end,
             [a, b], []).

%% Linking twice makes one link; one unlink removes it.
link_twice() ->
    P = puppet(false),
    Q = puppet(false),
    Count = fun(X) -> {links, L} = process_info(X, links), length(L) end,
    true = do(P, fun() -> link(Q) end),
    true = do(P, fun() -> link(Q) end),
    true = do(Q, fun() -> link(P) end),
    Linked = {Count(P), Count(Q)},
    true = do(Q, fun() -> unlink(P) end),
    Unlinked = {Count(P), Count(Q)},
    P ! stop,
    Q ! stop,
    {Linked, Unlinked}.

%% spawn_link: a trapping parent gets the child's exit reason, normal
%% included; a non-trapping parent dies with a non-normal one.
spawn_link_child_exits() ->
    Trapping = puppet(true),
    Reasons = do(Trapping, fun() ->
                                   [begin
                                        C = spawn_link(fun() -> exit(Why) end),
                                        receive {'EXIT', C, Got} -> Got after 5000 -> none end
                                    end || Why <- [normal, shutdown, {shutdown, x}, oops]]
                           end),
    Trapping ! stop,
    {Parent, Ref} = spawn_monitor(fun() ->
                                          spawn_link(fun() -> exit(child_failed) end),
                                          receive after infinity -> ok end
                                  end),
    {Reasons, await_down(Parent, Ref)}.

%% 1 000 processes linked in a chain below a trapping head. Once every
%% member is monitored, the last one exits with a reason: every other
%% member dies with it, the head hears it from the first member.
chain_of_1000() ->
    Head = puppet(true),
    Me = self(),
    async(Head, fun() ->
                        First = spawn_link(fun() -> chain(999, Me) end),
                        receive {'EXIT', First, Why} -> Why after 10000 -> none end
                end),
    Members = [receive {chain_member, P} -> P end || _ <- lists:seq(1, 1000)],
    Monitors = [{P, monitor(process, P)} || P <- Members],
    receive {chain_last, Last} -> Last ! go end,
    Reasons = [await_down(P, R) || {P, R} <- Monitors],
    Heard = receive {did, Head, Result} -> Result end,
    Head ! stop,
    {Heard, length(Reasons), lists:usort(Reasons)}.

chain(0, Test) ->
    Test ! {chain_member, self()},
    Test ! {chain_last, self()},
    receive go -> exit(end_of_chain) end;
chain(N, Test) ->
    Test ! {chain_member, self()},
    spawn_link(fun() -> chain(N - 1, Test) end),
    receive after infinity -> ok end.

%% 500 processes linked to one centre; when the centre is killed they all
%% die with killed.
star_of_500() ->
    Me = self(),
    {Centre, CRef} = spawn_monitor(fun() -> receive after infinity -> ok end end),
    Spokes = [spawn(fun() -> link(Centre), Me ! {linked, self()}, receive after infinity -> ok end end)
              || _ <- lists:seq(1, 500)],
    [receive {linked, S} -> ok end || S <- Spokes],
    Refs = [{S, monitor(process, S)} || S <- Spokes],
    {links, Links} = process_info(Centre, links),
    exit(Centre, kill),
    CentreWhy = await_down(Centre, CRef),
    Reasons = [await_down(S, R) || {S, R} <- Refs],
    {length(Links), CentreWhy, length(Reasons), lists:usort(Reasons)}.

%% 'EXIT' messages already queued stay ordinary messages when trap_exit is
%% turned off.
trap_exit_messages_stay() ->
    P = puppet(true),
    R = do(P, fun() ->
                      C = spawn_link(fun() -> exit(first) end),
                      Queued = wait_queued(1000),
                      true = process_flag(trap_exit, false),
                      {Queued, receive {'EXIT', C, Why} -> {still_there, Why} after 0 -> gone end}
              end),
    P ! stop,
    R.

%% Waits (polling) until a message is queued.
wait_queued(0) -> nothing_queued;
wait_queued(Tries) ->
    case process_info(self(), message_queue_len) of
        {message_queue_len, 0} -> timer:sleep(1), wait_queued(Tries - 1);
        {message_queue_len, _} -> queued
    end.

%% Whatever term the reason is, links and monitors see the same term.
exit_reasons_kept() ->
    Reasons = [normal, shutdown, {shutdown, 1}, "string", 42, 1.5, {a, [b, {c}]},
               #{why => reason}, <<"bin">>, [], killed, noproc],
    P = puppet(true),
    Linked = do(P, fun() ->
                           [begin
                                C = spawn_link(fun() -> exit(Why) end),
                                receive {'EXIT', C, Got} -> Got =:= Why after 5000 -> none end
                            end || Why <- Reasons]
                   end),
    P ! stop,
    Monitored = [begin
                     {C, Ref} = spawn_monitor(fun() -> exit(Why) end),
                     await_down(C, Ref) =:= Why
                 end || Why <- Reasons],
    {Linked, Monitored}.
