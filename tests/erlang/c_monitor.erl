%% Concurrency: monitors. Monitors of live, dead and dying processes,
%% 'DOWN' messages and their reasons (noproc included), demonitor with and
%% without flush and info, monitors by registered name, many monitors at
%% once, the order of 'DOWN' after a process's last messages, and the
%% monitors / monitored_by items of process_info.
-module(c_monitor).
-export([main/0]).

main() ->
    run([{monitor_live, fun monitor_live/0},
         {down_fields, fun down_fields/0},
         {monitor_dead_noproc, fun monitor_dead/0},
         {monitor_after_kill_noproc, fun monitor_after_kill/0},
         {monitor_after_exit_signal_noproc, fun monitor_after_exit_signal/0},
         {three_monitors_three_downs, fun three_monitors/0},
         {demonitor_live, fun demonitor_live/0},
         {demonitor_flush_queued_down, fun demonitor_flush/0},
         {demonitor_info_queued_down, fun demonitor_info_queued/0},
         {demonitor_info_variants, fun demonitor_info_variants/0},
         {demonitor_badarg, fun demonitor_badarg/0},
         {monitor_registered_name, fun monitor_registered/0},
         {monitor_name_node_tuple, fun monitor_name_node/0},
         {monitor_unregistered_name, fun monitor_unregistered/0},
         {monitor_self, fun monitor_self/0},
         {monitor_badarg, fun monitor_badarg/0},
         {monitor_1000_killed, fun monitor_many/0},
         {monitor_is_one_way, fun monitor_one_way/0},
         {down_after_last_messages, fun down_after_messages/0},
         {process_info_monitors, fun process_info_monitors/0},
         {monitor_reason_kinds, fun monitor_reasons/0}]).

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

%% A process that waits for an order: {exit, Reason}, or a fun to run.
waiter() ->
    spawn(fun waiter_loop/0).

waiter_loop() ->
    receive
        {exit, Reason} -> exit(Reason);
        {do, From, Fun} -> From ! {did, self(), Fun()}, waiter_loop()
    end.

do(P, Fun) ->
    P ! {do, self(), Fun},
    receive {did, P, R} -> R end.

await_down(Ref) ->
    receive {'DOWN', Ref, process, _, Reason} -> Reason after 5000 -> no_down end.

dead_pid() ->
    {Pid, Ref} = spawn_monitor(fun() -> ok end),
    normal = await_down(Ref),
    Pid.

%% Polls until a message is in the queue (bounded).
wait_queued() -> wait_queued(2000).

wait_queued(0) -> nothing_queued;
wait_queued(Tries) ->
    case process_info(self(), message_queue_len) of
        {message_queue_len, 0} -> timer:sleep(1), wait_queued(Tries - 1);
        {message_queue_len, _} -> queued
    end.

%% A live process monitored, then told to exit: 'DOWN' with its reason.
monitor_live() ->
    P = waiter(),
    Ref = monitor(process, P),
    P ! {exit, {finished, 1}},
    await_down(Ref).

%% The 'DOWN' message names the monitor, the kind and the process.
down_fields() ->
    P = waiter(),
    Ref = erlang:monitor(process, P),
    P ! {exit, bye},
    receive {'DOWN', R, Type, Object, Reason} -> {R =:= Ref, Type, Object =:= P, Reason} end.

%% A monitor of a process that is gone: 'DOWN' with noproc at once.
monitor_dead() ->
    P = dead_pid(),
    Ref = monitor(process, P),
    receive {'DOWN', Ref, process, P, Reason} -> Reason after 5000 -> no_down end.

%% exit(P, kill) then monitor(process, P): the two signals go in order from
%% this process to P, so the monitor finds P gone: noproc.
monitor_after_kill() ->
    Ps = [waiter() || _ <- lists:seq(1, 100)],
    Reasons = [begin exit(P, kill), await_down(monitor(process, P)) end || P <- Ps],
    lists:usort(Reasons).

%% The same with a custom exit signal.
monitor_after_exit_signal() ->
    Ps = [waiter() || _ <- lists:seq(1, 100)],
    Reasons = [begin exit(P, shot), await_down(monitor(process, P)) end || P <- Ps],
    lists:usort(Reasons).

%% Each monitor of a process gets its own 'DOWN'.
three_monitors() ->
    P = waiter(),
    Refs = [monitor(process, P) || _ <- [1, 2, 3]],
    P ! {exit, three},
    {length(lists:usort(Refs)), [await_down(R) || R <- Refs]}.

%% After demonitor/1 no 'DOWN' comes for that monitor (another monitor of
%% the same process shows that the process did die).
demonitor_live() ->
    P = waiter(),
    Ref1 = monitor(process, P),
    Ref2 = monitor(process, P),
    D = demonitor(Ref1),
    P ! {exit, gone},
    Why = await_down(Ref2),
    Late = receive {'DOWN', Ref1, _, _, _} -> got_down after 0 -> no_down end,
    {D, Why, Late}.

%% demonitor(Ref, [flush]) removes a 'DOWN' already queued.
demonitor_flush() ->
    P = waiter(),
    Ref = monitor(process, P),
    P ! {exit, gone},
    Queued = wait_queued(),
    R = demonitor(Ref, [flush]),
    {Queued, R, flush()}.

%% Once the 'DOWN' is queued, the monitor is gone: [info] says false, and
%% the message stays without flush.
demonitor_info_queued() ->
    P = waiter(),
    Ref = monitor(process, P),
    P ! {exit, gone},
    Queued = wait_queued(),
    R = demonitor(Ref, [info]),
    Kept = receive {'DOWN', Ref, process, P, Why} -> {kept, Why} after 0 -> none end,
    {Queued, R, Kept}.

%% demonitor with [info] on a live monitor: true; again: false; with
%% [flush, info] too; demonitor/1 is true whatever.
demonitor_info_variants() ->
    P = waiter(),
    Ref = monitor(process, P),
    A = demonitor(Ref, [info]),
    B = demonitor(Ref, [info]),
    C = demonitor(Ref),
    Ref2 = monitor(process, P),
    D = demonitor(Ref2, [flush, info]),
    E = demonitor(Ref2, [flush, info]),
    F = demonitor(make_ref(), [info]),
    G = demonitor(make_ref(), []),
    Ref3 = monitor(process, P),
    P ! {exit, done},
    done = await_down(Ref3),
    [A, B, C, D, E, F, G].

demonitor_badarg() ->
    [reason(fun() -> demonitor(not_a_ref) end),
     reason(fun() -> demonitor(self()) end),
     reason(fun() -> demonitor(make_ref(), [no_such_option]) end),
     reason(fun() -> demonitor(make_ref(), not_a_list) end)].

reason(Fun) ->
    try Fun() of R -> {returned, R}
    catch Class:Reason -> {Class, Reason}
    end.

%% A monitor by registered name: the 'DOWN' names {Name, Node}.
monitor_registered() ->
    P = waiter(),
    true = register(c_monitor_target, P),
    Ref = monitor(process, c_monitor_target),
    P ! {exit, by_name},
    receive {'DOWN', Ref, process, Object, Reason} -> {Object, Reason} after 5000 -> no_down end.

%% A monitor by {Name, node()}.
monitor_name_node() ->
    P = waiter(),
    true = register(c_monitor_target2, P),
    Ref = monitor(process, {c_monitor_target2, node()}),
    P ! {exit, by_tuple},
    receive {'DOWN', Ref, process, Object, Reason} -> {Object, Reason} after 5000 -> no_down end.

%% A name nobody has: 'DOWN' with noproc at once.
monitor_unregistered() ->
    Ref = monitor(process, c_monitor_nobody),
    receive {'DOWN', Ref, process, Object, Reason} -> {Object, Reason} after 5000 -> no_down end.

%% A process may monitor itself; demonitor removes it.
monitor_self() ->
    Ref = monitor(process, self()),
    {monitors, Ms} = process_info(self(), monitors),
    Listed = lists:member({process, self()}, Ms),
    R = demonitor(Ref),
    {monitors, After} = process_info(self(), monitors),
    {is_reference(Ref), Listed, R, After}.

monitor_badarg() ->
    [reason(fun() -> monitor(process, 42) end),
     reason(fun() -> monitor(process, "name") end),
     reason(fun() -> monitor(no_such_type, self()) end),
     reason(fun() -> monitor(process, {a, b, c}) end),
     reason(fun() -> monitor(process, {name, not_a_node, x}) end)].

%% 1 000 monitored processes killed: 1 000 'DOWN' with killed.
monitor_many() ->
    Ps = [waiter() || _ <- lists:seq(1, 1000)],
    Refs = [monitor(process, P) || P <- Ps],
    [exit(P, kill) || P <- Ps],
    Reasons = [await_down(R) || R <- Refs],
    {length(Reasons), lists:usort(Reasons)}.

%% The monitored process does not notice its monitoring process dying.
monitor_one_way() ->
    Watched = waiter(),
    {Watcher, WRef} = spawn_monitor(fun() -> monitor(process, Watched), exit(watcher_gone) end),
    watcher_gone = await_down(WRef),
    Alive = do(Watched, fun() -> alive end),
    {monitored_by, By} = process_info(Watched, monitored_by),
    Watched ! {exit, normal},
    {Alive, lists:member(Watcher, By)}.

%% Messages a process sends before it exits arrive before its 'DOWN'.
down_after_messages() ->
    Me = self(),
    {_, Ref} = spawn_monitor(fun() -> [Me ! {last, I} || I <- lists:seq(1, 100)], exit(done) end),
    Why = await_down(Ref),
    {message_queue_len, Len} = process_info(self(), message_queue_len),
    Got = [receive {last, I} -> I end || _ <- lists:seq(1, 100)],
    {Why, Len, Got =:= lists:seq(1, 100)}.

%% process_info's monitors (of the monitoring process) and monitored_by
%% (of the monitored one), for pids and names.
process_info_monitors() ->
    P = waiter(),
    true = register(c_monitor_named, P),
    {monitors, Before} = process_info(self(), monitors),
    R1 = monitor(process, P),
    R2 = monitor(process, c_monitor_named),
    {monitors, Ms} = process_info(self(), monitors),
    {monitored_by, By} = process_info(P, monitored_by),
    New = lists:sort([case M of {process, P} -> {process, pid}; Other -> Other end
                      || M <- Ms -- Before]),
    Me = self(),
    ByMe = length([B || B <- By, B =:= Me]),
    demonitor(R1),
    demonitor(R2),
    {monitored_by, ByAfter} = process_info(P, monitored_by),
    P ! {exit, normal},
    {New, ByMe, ByAfter}.

%% Reasons of every kind reach the monitor unchanged.
monitor_reasons() ->
    Reasons = [normal, kill, killed, shutdown, {shutdown, why}, noproc, [1, 2], "s",
               <<"b">>, 3.0, -1, #{}, {}],
    [begin P = waiter(), Ref = monitor(process, P), P ! {exit, R}, await_down(Ref) =:= R end
     || R <- Reasons].
