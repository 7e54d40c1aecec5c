%% Concurrency: processes that crash. The exit reasons of processes killed
%% by errors, throws and exits as monitors and links see them, {Reason,
%% Stack} with the frame that raised, errors in BIFs, undef, function and
%% fun arity errors, and crashes inside a catch that are turned into exits.
%%
%% erl reports each crash on standard output ("Error in process ..." with
%% a pid and the time), so the logger is turned off first.
-module(c_errors).
-export([main/0, crash/1, clause_only/1]).

main() ->
    io:format("logger off: ~p~n", [logger:set_primary_config(level, none)]),
    run([{monitored_crashes, fun monitored_crashes/0},
         {linked_crashes, fun linked_crashes/0},
         {bif_errors, fun bif_errors/0},
         {undef_in_new_process, fun undef/0},
         {badarity_fun, fun badarity/0},
         {function_clause_args, fun function_clause/0},
         {caught_then_exit, fun caught_then_exit/0},
         {crash_leaves_others, fun crash_leaves_others/0},
         {crash_storm_1000, fun crash_storm/0},
         {error_with_big_reason, fun big_reason/0}]).

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

%% The reason with its stack cut to the first frame's module, function and
%% arity or arguments (lines depend on this file's layout).
summary({Reason, [{M, F, ArityOrArgs, _} | _]}) -> {Reason, {M, F, ArityOrArgs}};
summary(Reason) -> Reason.

%% Each kind of crash, by name, in an exported function (so the frame that
%% raised is named by the test, not by the compiler's fun numbering).
crash(badarith) -> 1 + list_to_integer("0") * abs(-1) / zero();
crash(badmatch) -> {ok, _} = id({error, x});
crash(case_clause) -> case id(3) of 1 -> one; 2 -> two end;
crash(if_clause) -> X = id(3), if X < 0 -> neg; X > 10 -> big end;
crash(try_clause) -> try id(5) of 1 -> one catch _ -> caught end;
crash(badfun) -> (id(not_a_fun))();
crash(error_atom) -> error(my_error);
crash(error_tuple) -> error({my_error, [1, 2]});
crash(throw) -> throw(thrown_value);
crash(exit) -> exit(my_exit);
crash(bif_badarg) -> element(1, id(atom)).

id(X) -> X.
zero() -> 0.

kinds() ->
    [badarith, badmatch, case_clause, if_clause, try_clause, badfun, error_atom,
     error_tuple, throw, exit, bif_badarg].

%% What a monitor sees for each kind of crash.
monitored_crashes() ->
    [begin
         {P, Ref} = spawn_monitor(?MODULE, crash, [K]),
         {K, summary(receive {'DOWN', Ref, process, P, Why} -> Why end)}
     end || K <- kinds()].

%% What a trapping linked process sees (the same reasons).
linked_crashes() ->
    Me = self(),
    %% Monitored from the spawn on: P may be done before a later monitor/2.
    {P, Ref} = spawn_monitor(fun() ->
                      process_flag(trap_exit, true),
                      R = [begin
                               C = spawn_link(?MODULE, crash, [K]),
                               receive {'EXIT', C, Why} -> summary(Why) end
                           end || K <- kinds()],
                      Me ! {linked, R}
              end),
    R = receive {linked, X} -> X end,
    receive {'DOWN', Ref, process, P, normal} -> ok end,
    R.

%% BIF errors: the first frame is the BIF with its arguments.
bif_errors() ->
    Cases = [fun() -> atom_to_list(id(42)) end,
             fun() -> element(5, id({a})) end,
             fun() -> list_to_integer(id("x1")) end,
             fun() -> erlang:send(id(42), msg) end,
             fun() -> hd(id([])) end],
    [begin
         {P, Ref} = spawn_monitor(F),
         receive {'DOWN', Ref, process, P, {Reason, [{M, Fn, Args, _} | _]}} -> {Reason, M, Fn, Args} end
     end || F <- Cases].

%% A process started on a function that does not exist dies with undef.
undef() ->
    {P, Ref} = spawn_monitor(?MODULE, no_such_function, [1, 2]),
    summary(receive {'DOWN', Ref, process, P, Why} -> Why end).

%% A fun of arity 1 spawned as a process: badarity.
badarity() ->
    {P, Ref} = spawn_monitor(fun() -> F = id(fun(X) -> X end), F() end),
    receive {'DOWN', Ref, process, P, {{badarity, {F, Args}}, _}} -> {badarity, is_function(F, 1), Args} end.

clause_only(one) -> 1.

function_clause() ->
    {P, Ref} = spawn_monitor(?MODULE, clause_only, [two]),
    summary(receive {'DOWN', Ref, process, P, Why} -> Why end).

%% A process catches its own error and exits with what it caught.
caught_then_exit() ->
    {P, Ref} = spawn_monitor(fun() ->
                                     R = try crash(badmatch) catch error:E -> {caught, E} end,
                                     exit(R)
                             end),
    receive {'DOWN', Ref, process, P, Why} -> Why end.

%% A crash kills only the crashing process and those linked to it.
crash_leaves_others() ->
    Me = self(),
    Bystander = spawn(fun() -> receive {ping, From} -> From ! {pong, self()} end end),
    {Linked, LRef} = spawn_monitor(fun() ->
                                           spawn_link(?MODULE, crash, [error_atom]),
                                           receive after infinity -> ok end
                                   end),
    LinkedWhy = summary(receive {'DOWN', LRef, process, Linked, Why} -> Why end),
    Bystander ! {ping, Me},
    Alive = receive {pong, Bystander} -> alive after 5000 -> dead end,
    {LinkedWhy, Alive}.

%% 1 000 processes crash in each of the ways; every reason is seen.
crash_storm() ->
    Kinds = kinds(),
    Spawned = [spawn_monitor(?MODULE, crash, [lists:nth(I rem length(Kinds) + 1, Kinds)])
               || I <- lists:seq(1, 1000)],
    Reasons = [summary(receive {'DOWN', Ref, process, P, Why} -> Why end) || {P, Ref} <- Spawned],
    Counts = lists:foldl(fun(R, Acc) -> orddict:update_counter(R, 1, Acc) end, [], Reasons),
    [{R, C} || {R, C} <- Counts].

%% A large exit reason is delivered whole.
big_reason() ->
    Big = {lists:seq(1, 10000), list_to_binary(lists:duplicate(100000, $z)), #{k => lists:seq(1, 100)}},
    {P, Ref} = spawn_monitor(fun() -> error(Big) end),
    receive {'DOWN', Ref, process, P, {Why, _}} -> Why =:= Big end.
