%% Concurrency: process_info/1,2 and process_flag/2, the items whose values
%% do not depend on timing or memory: message_queue_len and messages,
%% links, trap_exit, status of a waiting process, registered_name,
%% dictionary, group_leader, current_function and initial_call, priority,
%% and the badarg cases.
-module(c_pinfo).
-export([main/0, idle/0]).

main() ->
    run([{message_queue_len, fun message_queue_len/0},
         {messages, fun messages/0},
         {links, fun links/0},
         {trap_exit, fun trap_exit/0},
         {status_waiting, fun status_waiting/0},
         {status_self, fun status_self/0},
         {registered_name, fun registered_name/0},
         {dictionary, fun dictionary/0},
         {group_leader, fun group_leader_items/0},
         {current_function_waiting, fun current_function/0},
         {initial_call, fun initial_call/0},
         {priority, fun priority/0},
         {item_list_order, fun item_list/0},
         {all_items_keys, fun all_items_keys/0},
         {numeric_items_are_integers, fun numeric_items/0},
         {garbage_collection_settings, fun gc_settings/0},
         {dead_process_undefined, fun dead_process/0},
         {process_info_badarg, fun process_info_badarg/0},
         {process_flag_badarg, fun process_flag_badarg/0},
         {is_process_alive, fun alive/0},
         {processes_lists_self, fun processes_list/0}]).

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

reason(Fun) ->
    try Fun() of R -> {returned, R}
    catch Class:Reason -> {Class, Reason}
    end.

%% Waits for `stop` only: other messages stay in its queue.
idle() ->
    receive stop -> ok end.

%% A process in idle/0, with a monitor to see it go.
start_idle() ->
    spawn_monitor(?MODULE, idle, []).

stop_idle({Pid, Ref}) ->
    Pid ! stop,
    receive {'DOWN', Ref, process, Pid, Reason} -> Reason after 5000 -> no_down end.

%% Polls until the process's status is waiting (bounded).
wait_status(Pid, Want) -> wait_status(Pid, Want, 2000).

wait_status(Pid, _, 0) -> process_info(Pid, status);
wait_status(Pid, Want, Tries) ->
    case process_info(Pid, status) of
        {status, Want} = S -> S;
        _ -> timer:sleep(1), wait_status(Pid, Want, Tries - 1)
    end.

%% Messages the process does not match stay queued and are counted; the
%% process_info request is ordered after the messages from the same sender.
message_queue_len() ->
    {P, _} = S = start_idle(),
    A = process_info(P, message_queue_len),
    [P ! {junk, I} || I <- lists:seq(1, 5)],
    B = process_info(P, message_queue_len),
    [P ! {junk, I} || I <- lists:seq(6, 1000)],
    C = process_info(P, message_queue_len),
    stop_idle(S),
    {A, B, C}.

messages() ->
    {P, _} = S = start_idle(),
    [P ! M || M <- [one, {two, 2}, "three"]],
    R = process_info(P, messages),
    stop_idle(S),
    self() ! mine,
    Own = process_info(self(), messages),
    receive mine -> ok end,
    {R, Own}.

%% links: the linked pids; both ends see the link.
links() ->
    {P, _} = S = start_idle(),
    {links, Before} = process_info(self(), links),
    link(P),
    {links, Mine} = process_info(self(), links),
    {links, Theirs} = process_info(P, links),
    unlink(P),
    {links, After} = process_info(self(), links),
    stop_idle(S),
    {Mine -- Before =:= [P], Theirs =:= [self()], After =:= Before}.

%% process_flag(trap_exit, _) returns the old value; process_info shows it.
trap_exit() ->
    A = process_info(self(), trap_exit),
    Old1 = process_flag(trap_exit, true),
    B = process_info(self(), trap_exit),
    Old2 = process_flag(trap_exit, false),
    C = process_info(self(), trap_exit),
    Me = self(),
    P = spawn(fun() -> process_flag(trap_exit, true), Me ! {set, self()}, receive stop -> ok end end),
    receive {set, P} -> ok end,
    D = process_info(P, trap_exit),
    P ! stop,
    {A, Old1, B, Old2, C, D}.

%% A process blocked in receive is waiting.
status_waiting() ->
    {P, _} = S = start_idle(),
    R = wait_status(P, waiting),
    stop_idle(S),
    R.

status_self() ->
    process_info(self(), status).

registered_name() ->
    {P, _} = S = start_idle(),
    A = process_info(P, registered_name),
    true = register(c_pinfo_named, P),
    B = process_info(P, registered_name),
    C = lists:keyfind(registered_name, 1, process_info(P)),
    stop_idle(S),
    {A, B, C}.

%% Another process's dictionary (sorted: its order is the table's).
dictionary() ->
    Me = self(),
    P = spawn(fun() ->
                      put(alpha, 1),
                      put({complex, key}, [a, list]),
                      put(beta, 2),
                      put(alpha, one),
                      erase(beta),
                      Me ! {ready, self()},
                      receive stop -> ok end
              end),
    receive {ready, P} -> ok end,
    {dictionary, D} = process_info(P, dictionary),
    P ! stop,
    put(c_pinfo_own, value),
    {dictionary, Own} = process_info(self(), dictionary),
    erase(c_pinfo_own),
    {lists:sort(D), lists:keyfind(c_pinfo_own, 1, Own)}.

%% A new process has its parent's group leader; group_leader/2 changes it
%% and the change is inherited by the processes it spawns.
group_leader_items() ->
    Me = self(),
    {P, _} = S = start_idle(),
    {group_leader, GL} = process_info(P, group_leader),
    Inherited = GL =:= group_leader(),
    true = group_leader(Me, P),
    {group_leader, GL2} = process_info(P, group_leader),
    Changed = GL2 =:= Me,
    stop_idle(S),
    Q = spawn(fun() ->
                      group_leader(Me, self()),
                      Child = spawn(fun() -> receive stop -> ok end end),
                      {group_leader, CGL} = process_info(Child, group_leader),
                      Child ! stop,
                      Me ! {child_gl, CGL =:= Me}
              end),
    ChildInherits = receive {child_gl, X} -> X end,
    _ = Q,
    {Inherited, Changed, ChildInherits}.

%% A process waiting in idle/0 is in idle/0.
current_function() ->
    {P, _} = S = start_idle(),
    {status, waiting} = wait_status(P, waiting),
    R = process_info(P, current_function),
    stop_idle(S),
    R.

%% initial_call: the MFA of spawn/3; erlang:apply/2 for a fun.
initial_call() ->
    {P, _} = S = start_idle(),
    A = process_info(P, initial_call),
    stop_idle(S),
    {Q, _} = S2 = spawn_monitor(fun() -> receive stop -> ok end end),
    B = process_info(Q, initial_call),
    stop_idle(S2),
    {A, B}.

priority() ->
    A = process_info(self(), priority),
    Old = process_flag(priority, high),
    B = process_info(self(), priority),
    Old2 = process_flag(priority, low),
    C = process_info(self(), priority),
    process_flag(priority, normal),
    {A, Old, B, Old2, C}.

%% process_info/2 with a list answers in the order asked.
item_list() ->
    {P, _} = S = start_idle(),
    P ! junk,
    R = process_info(P, [trap_exit, message_queue_len, registered_name, priority, links]),
    stop_idle(S),
    R.

%% The items process_info/1 gives, by key.
all_items_keys() ->
    {P, _} = S = start_idle(),
    Keys = [K || {K, _} <- process_info(P)],
    stop_idle(S),
    Keys.

%% Sizes and counters: integers (their values depend on the VM).
numeric_items() ->
    Items = [heap_size, total_heap_size, stack_size, reductions, memory],
    [{I, is_integer(element(2, process_info(self(), I)))} || I <- Items].

%% The garbage-collection settings given to spawn_opt, as process_info
%% reports them (heap sizes rounded up to BEAM's size table).
gc_settings() ->
    Me = self(),
    Get = fun(Opts) ->
                  P = spawn_opt(fun() -> Me ! {gc, self(), process_info(self(), garbage_collection)} end,
                                Opts),
                  receive {gc, P, {garbage_collection, GC}} ->
                          [{K, V} || {K, V} <- GC, K =/= minor_gcs]
                  end
          end,
    {Get([]), Get([{min_heap_size, 1000}, {fullsweep_after, 10}])}.

dead_process() ->
    {P, Ref} = spawn_monitor(fun() -> ok end),
    receive {'DOWN', Ref, process, P, _} -> ok end,
    [process_info(P), process_info(P, status), process_info(P, [status, links])].

process_info_badarg() ->
    [reason(fun() -> process_info(self(), no_such_item) end),
     reason(fun() -> process_info(self(), [status, no_such_item]) end),
     reason(fun() -> process_info(not_a_pid, status) end),
     reason(fun() -> process_info(self(), "status") end),
     reason(fun() -> process_info(c_pinfo_name, status) end)].

process_flag_badarg() ->
    [reason(fun() -> process_flag(trap_exit, maybe) end),
     reason(fun() -> process_flag(no_such_flag, true) end),
     reason(fun() -> process_flag(priority, urgent) end)].

alive() ->
    {P, Ref} = spawn_monitor(fun() -> receive stop -> ok end end),
    A = is_process_alive(P),
    P ! stop,
    receive {'DOWN', Ref, process, P, _} -> ok end,
    B = is_process_alive(P),
    {is_process_alive(self()), A, B, reason(fun() -> is_process_alive(not_a_pid) end)}.

processes_list() ->
    {P, _} = S = start_idle(),
    Ps = processes(),
    R = {lists:member(self(), Ps), lists:member(P, Ps), lists:all(fun is_pid/1, Ps)},
    stop_idle(S),
    R.
