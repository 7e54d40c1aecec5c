%% Concurrency: supervisor. Restarts of crashed children under one_for_one,
%% one_for_all and rest_for_one; permanent, transient and temporary
%% children; the maximum restart intensity reached; the order children are
%% shut down in; start_child, terminate_child, restart_child, delete_child,
%% count_children; a child that fails to start; simple_one_for_one; and
%% nested supervisors.
%%
%% Restarts are awaited by polling which_children until the crashed
%% child's pid has changed (bounded). erl reports every crash and restart
%% on standard output (with pids and the time), so the logger is turned
%% off first.
-module(c_sup).
-behaviour(supervisor).
-export([main/0, init/1, start_worker/2, start_failing/1, start_sup/1]).

main() ->
    io:format("logger off: ~p~n", [logger:set_primary_config(level, none)]),
    run([{one_for_one, fun one_for_one/0},
         {one_for_all, fun one_for_all/0},
         {rest_for_one, fun rest_for_one/0},
         {restart_types_normal_exit, fun restart_types_normal/0},
         {restart_types_crash, fun restart_types_crash/0},
         {max_intensity_reached, fun max_intensity/0},
         {intensity_not_reached, fun intensity_not_reached/0},
         {shutdown_order, fun shutdown_order/0},
         {dynamic_children, fun dynamic_children/0},
         {start_child_errors, fun start_child_errors/0},
         {failing_child_at_start, fun failing_child/0},
         {simple_one_for_one, fun simple_one_for_one/0},
         {nested_supervisors, fun nested/0}]).

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

%% --- supervisor callback and children ------------------------------------

init({Flags, Specs}) -> {ok, {Flags, Specs}}.

%% A worker: a plain linked process. With a reporter it traps exits
%% (before start_worker returns) and tells the reporter when the
%% supervisor shuts it down.
start_worker(Id, Reporter) ->
    Starter = self(),
    Pid = spawn_link(fun() ->
                             process_flag(trap_exit, Reporter =/= none),
                             Starter ! {worker_ready, self()},
                             worker_loop(Id, Reporter)
                     end),
    receive {worker_ready, Pid} -> {ok, Pid} end.

worker_loop(Id, Reporter) ->
    receive
        {exit, Why} -> exit(Why);
        {'EXIT', _, Why} -> Reporter ! {stopping, Id}, exit(Why);
        {ping, From} -> From ! {pong, Id}, worker_loop(Id, Reporter)
    end.

start_failing(Why) -> {error, Why}.

start_sup(Arg) -> supervisor:start_link(?MODULE, Arg).

worker_spec(Id) -> worker_spec(Id, permanent, none).

worker_spec(Id, Restart, Reporter) ->
    #{id => Id, start => {?MODULE, start_worker, [Id, Reporter]}, restart => Restart}.

%% --- helpers -------------------------------------------------------------

%% Starts a supervisor (not linked to this process, so its exit is seen
%% by a monitor only).
start(Flags, Specs) ->
    {ok, Sup} = supervisor:start_link(?MODULE, {Flags, Specs}),
    unlink(Sup),
    Sup.

stop(Sup) ->
    Ref = monitor(process, Sup),
    exit(Sup, shutdown),
    receive {'DOWN', Ref, process, Sup, Why} -> Why after 5000 -> no_down end.

%% Child id -> pid, sorted by id.
children(Sup) ->
    lists:sort([{Id, Pid} || {Id, Pid, _, _} <- supervisor:which_children(Sup)]).

pid_of(Sup, Id) ->
    {Id, Pid} = lists:keyfind(Id, 1, children(Sup)), Pid.

%% Polls until child Id has a pid other than Old (bounded).
await_restart(Sup, Id, Old) -> await_restart(Sup, Id, Old, 2000).

await_restart(_, _, _, 0) -> not_restarted;
await_restart(Sup, Id, Old, Tries) ->
    case lists:keyfind(Id, 1, children(Sup)) of
        {Id, New} when is_pid(New), New =/= Old -> restarted;
        _ -> timer:sleep(1), await_restart(Sup, Id, Old, Tries - 1)
    end.

%% Which children have new pids, comparing two snapshots.
changed(Before, After) ->
    [{Id, case lists:keyfind(Id, 1, Before) of {Id, Pid} -> same; _ -> new end}
     || {Id, Pid} <- After].

%% Kills child Id and waits until it has been restarted.
crash_and_wait(Sup, Id, Why) ->
    Before = children(Sup),
    Old = pid_of(Sup, Id),
    Old ! {exit, Why},
    Restarted = await_restart(Sup, Id, Old),
    {Restarted, changed(Before, children(Sup))}.

flags(Strategy) -> #{strategy => Strategy, intensity => 10, period => 10}.

%% --- the checks ----------------------------------------------------------

one_for_one() ->
    Sup = start(flags(one_for_one), [worker_spec(a), worker_spec(b), worker_spec(c)]),
    R = crash_and_wait(Sup, b, crashed),
    {R, stop(Sup)}.

one_for_all() ->
    Sup = start(flags(one_for_all), [worker_spec(a), worker_spec(b), worker_spec(c)]),
    R = crash_and_wait(Sup, b, crashed),
    {R, stop(Sup)}.

rest_for_one() ->
    Sup = start(flags(rest_for_one), [worker_spec(a), worker_spec(b), worker_spec(c)]),
    R = crash_and_wait(Sup, b, crashed),
    {R, stop(Sup)}.

%% Children exiting normally: only the permanent one is restarted, the
%% temporary one is removed. (A final call to the supervisor, after its
%% children's monitors fired, sees the outcome.)
restart_types_normal() ->
    Sup = start(flags(one_for_one), [worker_spec(p, permanent, none), worker_spec(t, transient, none),
                                     worker_spec(m, temporary, none)]),
    [P, T, M] = [pid_of(Sup, Id) || Id <- [p, t, m]],
    [begin Ref = monitor(process, Pid), Pid ! {exit, normal},
           receive {'DOWN', Ref, _, _, _} -> ok end end || Pid <- [T, M]],
    restarted = begin P ! {exit, normal}, await_restart(Sup, p, P) end,
    Shape = [{Id, is_pid(Pid)} || {Id, Pid} <- children(Sup)],
    Counts = supervisor:count_children(Sup),
    {Shape, Counts, stop(Sup)}.

%% Children crashing: permanent and transient are restarted, temporary is
%% removed.
restart_types_crash() ->
    Sup = start(flags(one_for_one), [worker_spec(p, permanent, none), worker_spec(t, transient, none),
                                     worker_spec(m, temporary, none)]),
    [P, T, M] = [pid_of(Sup, Id) || Id <- [p, t, m]],
    Ref = monitor(process, M),
    M ! {exit, crashed},
    receive {'DOWN', Ref, _, _, _} -> ok end,
    T ! {exit, crashed},
    A = await_restart(Sup, t, T),
    P ! {exit, crashed},
    B = await_restart(Sup, p, P),
    {A, B, [Id || {Id, _} <- children(Sup)], stop(Sup)}.

%% Intensity 2 in 10 s: the third crash in a row is one too many; the
%% supervisor shuts its children down and exits with shutdown.
max_intensity() ->
    Sup = start(#{strategy => one_for_one, intensity => 2, period => 10}, [worker_spec(a), worker_spec(b)]),
    SupRef = monitor(process, Sup),
    First = [crash_and_wait(Sup, a, crashed) || _ <- [1, 2]],
    B = pid_of(Sup, b),
    BRef = monitor(process, B),
    pid_of(Sup, a) ! {exit, crashed},
    SupWhy = receive {'DOWN', SupRef, process, Sup, W} -> W after 5000 -> no_down end,
    BWhy = receive {'DOWN', BRef, process, B, W2} -> W2 after 5000 -> no_down end,
    {[R || {R, _} <- First], SupWhy, BWhy}.

%% Intensity 0: no restart allowed; the first crash ends the supervisor.
intensity_not_reached() ->
    Sup = start(#{strategy => one_for_one, intensity => 0, period => 1}, [worker_spec(a)]),
    Ref = monitor(process, Sup),
    pid_of(Sup, a) ! {exit, crashed},
    receive {'DOWN', Ref, process, Sup, W} -> W after 5000 -> no_down end.

%% On shutdown the children are stopped last-started first.
shutdown_order() ->
    Me = self(),
    Sup = start(flags(one_for_one), [worker_spec(Id, permanent, Me) || Id <- [first, second, third, fourth]]),
    Why = stop(Sup),
    Order = [receive {stopping, Id} -> Id end || _ <- [1, 2, 3, 4]],
    {Why, Order}.

%% start_child, terminate_child, restart_child, delete_child,
%% get_childspec and count_children.
dynamic_children() ->
    Sup = start(flags(one_for_one), []),
    {ok, P1} = supervisor:start_child(Sup, worker_spec(x)),
    {ok, _} = supervisor:start_child(Sup, worker_spec(y)),
    Counts1 = supervisor:count_children(Sup),
    Spec = supervisor:get_childspec(Sup, x),
    ok = supervisor:terminate_child(Sup, x),
    Terminated = {is_process_alive(P1), lists:keyfind(x, 1, children(Sup))},
    {ok, P2} = supervisor:restart_child(Sup, x),
    Restarted = is_pid(P2) andalso P2 =/= P1,
    RestartRunning = supervisor:restart_child(Sup, x),
    DeleteRunning = supervisor:delete_child(Sup, x),
    ok = supervisor:terminate_child(Sup, x),
    ok = supervisor:delete_child(Sup, x),
    Deleted = {supervisor:get_childspec(Sup, x), [Id || {Id, _} <- children(Sup)]},
    Counts2 = supervisor:count_children(Sup),
    {Counts1, element(1, Spec), Terminated, Restarted, summarise(RestartRunning),
     DeleteRunning, Deleted, Counts2, stop(Sup)}.

summarise({error, {already_started, Pid}}) when is_pid(Pid) -> {error, already_started};
summarise(Other) -> Other.

start_child_errors() ->
    Sup = start(flags(one_for_one), [worker_spec(a)]),
    Dup = supervisor:start_child(Sup, worker_spec(a)),
    Bad = supervisor:start_child(Sup, #{id => bad, start => not_an_mfa}),
    Fails = supervisor:start_child(Sup, #{id => f, start => {?MODULE, start_failing, [nope]}}),
    Unknown = [supervisor:terminate_child(Sup, nobody), supervisor:restart_child(Sup, nobody),
               supervisor:delete_child(Sup, nobody), supervisor:get_childspec(Sup, nobody)],
    {summarise(Dup), element(1, Bad), Fails, Unknown, stop(Sup)}.

%% A child that fails to start makes the whole supervisor fail to start,
%% after stopping the children already started. The starting process
%% traps exits: the failed supervisor's exit comes to it as a message.
failing_child() ->
    Me = self(),
    Specs = [worker_spec(ok1, permanent, Me),
             #{id => broken, start => {?MODULE, start_failing, [bad_start]}},
             worker_spec(never, permanent, Me)],
    {Starter, Ref} = spawn_monitor(
                       fun() ->
                               process_flag(trap_exit, true),
                               R = supervisor:start_link(?MODULE, {flags(one_for_one), Specs}),
                               Exit = receive {'EXIT', _, Why} -> Why after 5000 -> none end,
                               Me ! {started, R, Exit}
                       end),
    Result = receive {started, R, Exit} -> {R, Exit} end,
    normal = receive {'DOWN', Ref, process, Starter, W} -> W end,
    Stopped = receive {stopping, Id} -> Id after 5000 -> none end,
    {Result, Stopped}.

%% simple_one_for_one: children from one template, extra arguments given
%% to start_child, stopped by pid.
simple_one_for_one() ->
    Sup = start(#{strategy => simple_one_for_one, intensity => 10, period => 10},
                [#{id => tmpl, start => {?MODULE, start_worker, []}}]),
    Pids = [begin {ok, P} = supervisor:start_child(Sup, [N, none]), P end || N <- lists:seq(1, 5)],
    Counts = supervisor:count_children(Sup),
    Pongs = [begin P ! {ping, self()}, receive {pong, N} -> N end end || P <- Pids],
    ok = supervisor:terminate_child(Sup, lists:nth(2, Pids)),
    After = length(supervisor:which_children(Sup)),
    Third = lists:nth(3, Pids),
    Third ! {exit, crashed},
    Restarted = await_count(Sup, Third, 2000),
    {Counts, Pongs, After, Restarted, stop(Sup)}.

%% Polls until the child list no longer holds Old but has 4 children.
await_count(_, _, 0) -> not_restarted;
await_count(Sup, Old, Tries) ->
    Pids = [P || {_, P, _, _} <- supervisor:which_children(Sup)],
    case length(Pids) =:= 4 andalso not lists:member(Old, Pids) of
        true -> restarted;
        false -> timer:sleep(1), await_count(Sup, Old, Tries - 1)
    end.

%% A supervisor under a supervisor: a crash below the inner one restarts
%% only the crashed worker; the inner supervisor dying (intensity 0)
%% restarts it.
nested() ->
    Inner = {#{strategy => one_for_one, intensity => 0, period => 1}, [worker_spec(w1), worker_spec(w2)]},
    Outer = start(flags(one_for_one),
                  [worker_spec(sibling),
                   #{id => inner, start => {?MODULE, start_sup, [Inner]}, type => supervisor}]),
    InnerSup = pid_of(Outer, inner),
    Types = lists:sort([{Id, Type} || {Id, _, Type, _} <- supervisor:which_children(Outer)]),
    Before = children(Outer),
    pid_of(InnerSup, w1) ! {exit, crashed},
    Restarted = await_restart(Outer, inner, InnerSup),
    {Types, Restarted, changed(Before, children(Outer)),
     [Id || {Id, _} <- children(pid_of(Outer, inner))], stop(Outer)}.
