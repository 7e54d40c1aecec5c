%% Concurrency: spawn storms. Tens of thousands of processes that compute,
%% report to their parent and are reaped; trees of processes spawning
%% processes; many processes allocating at once; the spawn BIFs' variants
%% and their badarg cases.
-module(c_spawn).
-export([main/0, report_square/2, tree_node/2]).

main() ->
    %% First: no process of an earlier check may still be exiting.
    run([{process_count_restored, fun process_count_restored/0},
         {storm_20k, fun storm/0},
         {tiny_30k_reaped, fun tiny_reaped/0},
         {spawn_mfa, fun spawn_mfa/0},
         {spawn_tree_depth_12, fun spawn_tree/0},
         {parallel_allocation, fun parallel_allocation/0},
         {spawn_monitor_normal, fun spawn_monitor_normal/0},
         {spawn_opt_variants, fun spawn_opt_variants/0},
         {self_in_child, fun self_in_child/0},
         {closure_environment, fun closure_environment/0},
         {spawn_badarg, fun spawn_badarg/0},
         {staged_waves, fun staged_waves/0}]).

%% Runs each check and prints its result; then says if the check left
%% messages behind (a correct run leaves none).
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

%% Work a child does: deterministic, a little allocation.
work(I) ->
    lists:sum([X * X rem 7 || X <- lists:seq(1, I rem 50)]) + I.

%% 20 000 processes compute and report {I, Value}; the parent collects all
%% reports (in whatever order they come), sorts them and checks that every
%% index reported exactly once.
storm() ->
    N = 20000,
    Parent = self(),
    _ = [spawn(fun() -> Parent ! {result, I, work(I)} end) || I <- lists:seq(1, N)],
    Reports = lists:sort([receive {result, I, V} -> {I, V} end || _ <- lists:seq(1, N)]),
    {length(Reports),
     [I || {I, _} <- Reports] =:= lists:seq(1, N),
     lists:sum([V || {_, V} <- Reports]),
     lists:sublist(Reports, 3)}.

%% 30 000 processes that do nothing; every one is monitored and its 'DOWN'
%% (reason normal) received; afterwards none is alive.
tiny_reaped() ->
    N = 30000,
    Spawned = [spawn_monitor(fun() -> ok end) || _ <- lists:seq(1, N)],
    Reasons = [receive {'DOWN', Ref, process, Pid, Reason} -> Reason end
               || {Pid, Ref} <- Spawned],
    {length(Reasons),
     lists:usort(Reasons),
     lists:any(fun({Pid, _}) -> is_process_alive(Pid) end, Spawned)}.

%% 10 000 processes wait for a message: there are 10 000 more processes.
%% Once they have all computed and exited, the number of processes comes
%% back to what it was (polled: an exited process may take a moment to
%% leave the process table).
process_count_restored() ->
    Before = erlang:system_info(process_count),
    Spawned = [spawn_monitor(fun() -> receive go -> work(I) end end) || I <- lists:seq(1, 10000)],
    During = erlang:system_info(process_count) - Before,
    [Pid ! go || {Pid, _} <- Spawned],
    [receive {'DOWN', Ref, process, _, normal} -> ok end || {_, Ref} <- Spawned],
    {During, wait_process_count(Before, 1000)}.

wait_process_count(Count, 0) -> {still, erlang:system_info(process_count) - Count};
wait_process_count(Count, Tries) ->
    case erlang:system_info(process_count) of
        Count -> restored;
        _ -> timer:sleep(1), wait_process_count(Count, Tries - 1)
    end.

report_square(Parent, X) -> Parent ! {square, X, X * X}.

%% spawn/3 with an exported function.
spawn_mfa() ->
    Xs = lists:seq(-50, 50),
    _ = [spawn(?MODULE, report_square, [self(), X]) || X <- Xs],
    lists:sum([receive {square, X, S} -> S end || X <- Xs]).

%% A binary tree of processes: each node spawns two children (down to the
%% given depth) and reports its subtree's size to its parent.
spawn_tree() ->
    tree_node(self(), 12),
    receive {tree, Size} -> Size end.

tree_node(Parent, 0) -> Parent ! {tree, 1};
tree_node(Parent, Depth) ->
    Me = self(),
    Spawn = fun() -> spawn(?MODULE, tree_node, [Me, Depth - 1]) end,
    Spawn(),
    Spawn(),
    Sizes = [receive {tree, S} -> S end || _ <- [1, 2]],
    Parent ! {tree, lists:sum(Sizes) + 1}.

%% 100 processes that each build, sort and fold lists of thousands of
%% elements at the same time (each collects its own heap repeatedly).
parallel_allocation() ->
    Parent = self(),
    Ids = lists:seq(1, 100),
    _ = [spawn(fun() -> Parent ! {alloc, I, churn(I)} end) || I <- Ids],
    Results = lists:sort([receive {alloc, I, R} -> {I, R} end || _ <- Ids]),
    {lists:sum([R || {_, R} <- Results]), lists:sublist(Results, 4)}.

churn(Seed) ->
    L = [(X * 7919 + Seed) rem 10007 || X <- lists:seq(1, 3000)],
    Sorted = lists:sort(L),
    Tuples = [{X, integer_to_list(X)} || X <- lists:sublist(Sorted, 500)],
    Map = maps:from_list(Tuples),
    lists:sum(Sorted) rem 100000 + maps:size(Map) + length(lists:flatten([S || {_, S} <- Tuples])).

%% spawn_monitor/1 and /3: the 'DOWN' carries the spawned pid and normal.
spawn_monitor_normal() ->
    {P1, R1} = spawn_monitor(fun() -> ok end),
    {P2, R2} = spawn_monitor(lists, seq, [1, 10]),
    D1 = receive {'DOWN', R1, process, P1, Reason1} -> Reason1 end,
    D2 = receive {'DOWN', R2, process, P2, Reason2} -> Reason2 end,
    {D1, D2, is_reference(R1), P1 =/= P2}.

%% spawn_opt/2,4 with link, monitor and both.
spawn_opt_variants() ->
    Parent = self(),
    P1 = spawn_opt(fun() -> Parent ! {p1, self()} end, []),
    A = receive {p1, P1} -> got_p1 end,
    {P2, R2} = spawn_opt(fun() -> exit(done) end, [monitor]),
    B = receive {'DOWN', R2, process, P2, Why2} -> Why2 end,
    Old = process_flag(trap_exit, true),
    {P3, R3} = spawn_opt(fun() -> exit(linked_done) end, [link, monitor]),
    C = receive {'EXIT', P3, Why3} -> Why3 end,
    D = receive {'DOWN', R3, process, P3, Why3d} -> Why3d end,
    P4 = spawn_opt(?MODULE, report_square, [self(), 12], [link]),
    E = receive {square, 12, S} -> S end,
    F = receive {'EXIT', P4, Why4} -> Why4 end,
    process_flag(trap_exit, Old),
    [A, B, C, D, E, F].

%% The child's self() is the pid spawn returned, and not the parent's.
self_in_child() ->
    Parent = self(),
    Pids = [spawn(fun() -> Parent ! {me, self()} end) || _ <- lists:seq(1, 100)],
    Reported = [receive {me, P} -> P end || P <- Pids],
    {Reported =:= Pids, lists:member(Parent, Pids), length(lists:usort(Pids))}.

%% A spawned fun carries its environment (bound variables, big terms).
closure_environment() ->
    Parent = self(),
    Big = lists:seq(1, 1000),
    Tuple = {a, "text", 3.5, <<"bin">>, #{k => v}, [Big]},
    spawn(fun() -> Parent ! {env, length(Big), lists:sum(Big), Tuple} end),
    receive {env, Len, Sum, T} -> {Len, Sum, T =:= Tuple} end.

%% The spawn BIFs' argument errors.
spawn_badarg() ->
    [reason(fun() -> spawn(not_a_fun) end),
     reason(fun() -> spawn(lists, seq, not_a_list) end),
     reason(fun() -> spawn(lists, seq, [1 | 2]) end),
     reason(fun() -> spawn("lists", seq, []) end),
     reason(fun() -> spawn_opt(fun() -> ok end, [no_such_option]) end),
     reason(fun() -> spawn_opt(fun() -> ok end, not_a_list) end),
     reason(fun() -> spawn_link(42) end),
     reason(fun() -> spawn_monitor(lists, 3, []) end)].

reason(Fun) ->
    try Fun() of _ -> no_exception
    catch Class:Reason -> {Class, Reason}
    end.

%% Ten waves of 2 000 processes; each wave starts when the previous one
%% has reported completely. The sum over all waves is checked.
staged_waves() ->
    Parent = self(),
    Totals = [begin
                  _ = [spawn(fun() -> Parent ! {wave, W, I * W} end) || I <- lists:seq(1, 2000)],
                  lists:sum([receive {wave, W, V} -> V end || _ <- lists:seq(1, 2000)])
              end || W <- lists:seq(1, 10)],
    {Totals, lists:sum(Totals)}.
