%% Concurrency: the process registry. register/2, unregister/1, whereis/1
%% and registered/0, their badarg cases, names freed when their process
%% exits, and many names at once.
-module(c_reg).
-export([main/0]).

main() ->
    run([{register_whereis, fun register_whereis/0},
         {register_self, fun register_self/0},
         {unregister, fun unregister_name/0},
         {register_badarg, fun register_badarg/0},
         {unregister_whereis_badarg, fun unregister_whereis_badarg/0},
         {name_freed_on_exit, fun name_freed_on_exit/0},
         {name_freed_on_kill, fun name_freed_on_kill/0},
         {register_1000_names, fun many_names/0},
         {registered_name_item, fun registered_name_item/0},
         {send_after_unregister, fun send_after_unregister/0},
         {rename, fun rename/0},
         {registered_is_atoms, fun registered_is_atoms/0}]).

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

%% A process that waits until told to stop (and then exits with the reason
%% given); the returned monitor shows when it is gone.
sleeper() ->
    spawn_monitor(fun() -> receive {stop, Why} -> exit(Why) end end).

stop({Pid, Ref}, Why) ->
    Pid ! {stop, Why},
    receive {'DOWN', Ref, process, Pid, Reason} -> Reason after 5000 -> no_down end.

register_whereis() ->
    {P, _} = S = sleeper(),
    R = register(c_reg_a, P),
    Found = whereis(c_reg_a) =:= P,
    Listed = lists:member(c_reg_a, registered()),
    stop(S, normal),
    {R, Found, Listed}.

register_self() ->
    true = register(c_reg_me, self()),
    Me = whereis(c_reg_me) =:= self(),
    true = unregister(c_reg_me),
    {Me, whereis(c_reg_me)}.

unregister_name() ->
    {P, _} = S = sleeper(),
    true = register(c_reg_b, P),
    R = unregister(c_reg_b),
    After = {whereis(c_reg_b), lists:member(c_reg_b, registered())},
    Again = reason(fun() -> unregister(c_reg_b) end),
    stop(S, normal),
    {R, After, Again}.

register_badarg() ->
    {P, _} = S1 = sleeper(),
    {Q, _} = S2 = sleeper(),
    {Dead, _} = S3 = sleeper(),
    stop(S3, normal),
    true = register(c_reg_taken, P),
    Results =
        [{undefined_name, reason(fun() -> register(undefined, Q) end)},
         {name_taken, reason(fun() -> register(c_reg_taken, Q) end)},
         {same_name_same_pid, reason(fun() -> register(c_reg_taken, P) end)},
         {second_name, reason(fun() -> register(c_reg_other, P) end)},
         {dead_process, reason(fun() -> register(c_reg_dead, Dead) end)},
         {string_name, reason(fun() -> register("c_reg_s", Q) end)},
         {not_a_pid, reason(fun() -> register(c_reg_x, not_a_pid) end)},
         {integer_name, reason(fun() -> register(42, Q) end)}],
    Unchanged = whereis(c_reg_taken) =:= P andalso whereis(c_reg_other) =:= undefined,
    stop(S1, normal),
    stop(S2, normal),
    {Results, Unchanged}.

unregister_whereis_badarg() ->
    [reason(fun() -> unregister(c_reg_never) end),
     reason(fun() -> unregister("c_reg_never") end),
     reason(fun() -> whereis("c_reg_never") end),
     reason(fun() -> whereis(c_reg_never) end),
     reason(fun() -> whereis(42) end)].

%% A name is freed when its process exits, and can be taken again.
name_freed_on_exit() ->
    {P, _} = S = sleeper(),
    true = register(c_reg_c, P),
    Why = stop(S, {custom, exit}),
    Freed = whereis(c_reg_c),
    {P2, _} = S2 = sleeper(),
    Retaken = register(c_reg_c, P2),
    stop(S2, normal),
    {Why, Freed, Retaken, whereis(c_reg_c)}.

name_freed_on_kill() ->
    {P, Ref} = sleeper(),
    true = register(c_reg_d, P),
    exit(P, kill),
    Why = receive {'DOWN', Ref, process, P, R} -> R after 5000 -> no_down end,
    {Why, whereis(c_reg_d), lists:member(c_reg_d, registered())}.

%% 1 000 processes, each under its own name; every name finds its process;
%% registered() grows by 1 000 and shrinks back when they exit.
many_names() ->
    Before = length(registered()),
    Sleepers = [sleeper() || _ <- lists:seq(1, 1000)],
    Names = [list_to_atom("c_reg_many_" ++ integer_to_list(I)) || I <- lists:seq(1, 1000)],
    [true = register(N, P) || {N, {P, _}} <- lists:zip(Names, Sleepers)],
    Grown = length(registered()) - Before,
    AllFound = lists:all(fun({N, {P, _}}) -> whereis(N) =:= P end, lists:zip(Names, Sleepers)),
    [N ! {stop, normal} || N <- Names],
    [receive {'DOWN', Ref, process, P, normal} -> ok end || {P, Ref} <- Sleepers],
    {Grown, AllFound, length(registered()) - Before,
     lists:usort([whereis(N) || N <- Names])}.

%% process_info's registered_name: the name, or [] when there is none.
registered_name_item() ->
    {P, _} = S = sleeper(),
    A = process_info(P, registered_name),
    true = register(c_reg_e, P),
    B = process_info(P, registered_name),
    true = unregister(c_reg_e),
    C = process_info(P, registered_name),
    stop(S, normal),
    {A, B, C}.

%% Sending to a name after it was unregistered is badarg.
send_after_unregister() ->
    {P, _} = S = sleeper(),
    true = register(c_reg_f, P),
    true = unregister(c_reg_f),
    R = reason(fun() -> c_reg_f ! hello end),
    stop(S, normal),
    R.

%% A process can drop its name and take another.
rename() ->
    {P, _} = S = sleeper(),
    true = register(c_reg_old, P),
    true = unregister(c_reg_old),
    true = register(c_reg_new, P),
    R = {whereis(c_reg_old), whereis(c_reg_new) =:= P},
    stop(S, normal),
    R.

registered_is_atoms() ->
    lists:all(fun is_atom/1, registered()).
