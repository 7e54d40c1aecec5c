%% Concurrency: gen_server. Calls, casts and info messages, replies from
%% other processes, timeouts (of the server and of calls, with late replies
%% dropped), hibernation, handle_continue, the ways init can fail, stop,
%% a call that crashes the server caught by the caller, names, many
%% clients, and send_request/wait_response.
%%
%% erl reports a crashing gen_server on standard output (with pids and the
%% time), so the logger is turned off first.
-module(c_gen_server).
-behaviour(gen_server).
-export([main/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, handle_continue/2, terminate/2]).

main() ->
    io:format("logger off: ~p~n", [logger:set_primary_config(level, none)]),
    run([{calls, fun calls/0},
         {casts_then_call, fun casts_then_call/0},
         {info_message, fun info_message/0},
         {deferred_reply, fun deferred_reply/0},
         {server_timeout, fun server_timeout/0},
         {call_timeout_late_reply_dropped, fun call_timeout/0},
         {hibernate_keeps_state, fun hibernate/0},
         {handle_continue, fun handle_continue/0},
         {init_results, fun init_results/0},
         {stop_normal, fun stop_normal/0},
         {stop_custom_reason, fun stop_custom/0},
         {stop_from_handle_call, fun stop_from_call/0},
         {crashing_call_caught, fun crashing_call/0},
         {crashing_cast, fun crashing_cast/0},
         {registered_name, fun registered_name/0},
         {call_noproc, fun call_noproc/0},
         {many_clients, fun many_clients/0},
         {send_request, fun send_request/0},
         {sys_get_state, fun sys_get_state/0},
         {linked_owner_exit, fun linked_owner_exit/0}]).

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

id(X) -> X.

%% The reason with its stack cut to the first frame's function.
summary({Reason, [{M, F, ArityOrArgs, _} | _]}) -> {Reason, {M, F, ArityOrArgs}};
summary(Reason) -> Reason.

%% --- the server ----------------------------------------------------------

%% State: the owner (told about timeouts and termination) and a total.
init({ok, Owner}) -> {ok, #{owner => Owner, total => 0}};
init({continue, Owner}) -> {ok, #{owner => Owner, total => 0, steps => [init]}, {continue, first}};
init({stop, _Owner}) -> {stop, refused};
init({ignore, _Owner}) -> ignore;
init({crash, _Owner}) -> error(init_crashed);
init({bad_return, _Owner}) -> not_a_valid_return.

handle_call({add, N}, _From, #{total := T} = S) -> {reply, T + N, S#{total := T + N}};
handle_call(get, _From, #{total := T} = S) -> {reply, T, S};
handle_call({sleep, Ms}, _From, S) -> timer:sleep(Ms), {reply, slept, S};
handle_call(crash, _From, S) -> {reply, 1 / id(0), S};
handle_call({stop, Why}, _From, S) -> {stop, Why, stopping, S};
handle_call(defer, From, S) ->
    spawn(fun() -> gen_server:reply(From, {deferred, self() =/= From}) end),
    {noreply, S};
handle_call(hibernate, _From, S) -> {reply, hibernating, S, hibernate};
handle_call({then_timeout, Ms}, _From, S) -> {reply, ok, S, Ms};
handle_call(steps, _From, S) -> {reply, lists:reverse(maps:get(steps, S, [])), S}.

handle_cast({add, N}, #{total := T} = S) -> {noreply, S#{total := T + N}};
handle_cast(crash, S) -> {noreply, S#{total := element(1, id(not_a_tuple))}};
handle_cast({tell, Pid, Msg}, S) -> Pid ! Msg, {noreply, S}.

handle_info({ping, From}, S) -> From ! {pong, self()}, {noreply, S};
handle_info(timeout, #{owner := Owner} = S) -> Owner ! server_timeout, {noreply, S};
handle_info(_Other, S) -> {noreply, S}.

handle_continue(first, #{steps := Steps} = S) -> {noreply, S#{steps := [first | Steps]}, {continue, second}};
handle_continue(second, #{steps := Steps} = S) -> {noreply, S#{steps := [second | Steps]}}.

terminate(Reason, #{owner := Owner}) -> Owner ! {terminated, self(), summary(Reason)}.

%% --- the checks ----------------------------------------------------------

start() ->
    {ok, Pid} = gen_server:start(?MODULE, {ok, self()}, []),
    Pid.

%% Stops the server and returns what terminate/2 saw.
stop(Pid) ->
    ok = gen_server:stop(Pid),
    receive {terminated, Pid, Why} -> Why after 5000 -> no_terminate end.

calls() ->
    P = start(),
    Sums = [gen_server:call(P, {add, N}) || N <- lists:seq(1, 10)],
    Total = gen_server:call(P, get, infinity),
    {Sums, Total, stop(P)}.

%% Casts and then a call from the same process: the call sees the casts.
casts_then_call() ->
    P = start(),
    [ok = gen_server:cast(P, {add, N}) || N <- lists:seq(1, 100)],
    Total = gen_server:call(P, get),
    stop(P),
    Total.

info_message() ->
    P = start(),
    P ! {ping, self()},
    P ! unknown_message,
    R = receive {pong, P} -> pong after 5000 -> none end,
    {R, gen_server:call(P, get), stop(P)}.

%% handle_call returns noreply; another process answers with reply/2.
deferred_reply() ->
    P = start(),
    R = gen_server:call(P, defer),
    stop(P),
    R.

%% A timeout in a reply tuple sends the server `timeout` when idle.
server_timeout() ->
    P = start(),
    ok = gen_server:call(P, {then_timeout, 10}),
    R = receive server_timeout -> fired after 5000 -> none end,
    stop(P),
    R.

%% A call that times out exits the caller with timeout; the late reply is
%% dropped (the call's alias is gone), so no message is left.
call_timeout() ->
    P = start(),
    R = try gen_server:call(P, {sleep, 100}, 10)
        catch exit:{timeout, {gen_server, call, [_, Req, Tmo]}} -> {timeout, Req, Tmo}
        end,
    Next = gen_server:call(P, get),
    timer:sleep(10),
    {R, Next, flush(), stop(P)}.

hibernate() ->
    P = start(),
    7 = gen_server:call(P, {add, 7}),
    hibernating = gen_server:call(P, hibernate),
    R = gen_server:call(P, {add, 1}),
    stop(P),
    R.

%% init returns a continue; the steps run before the first call.
handle_continue() ->
    {ok, P} = gen_server:start(?MODULE, {continue, self()}, []),
    R = gen_server:call(P, steps),
    stop(P),
    R.

%% init: stop, ignore, a crash, a bad return.
init_results() ->
    [summarise_start(gen_server:start(?MODULE, {How, self()}, []))
     || How <- [stop, ignore, crash, bad_return]].

summarise_start({error, Reason}) -> {error, summary(Reason)};
summarise_start(Other) -> Other.

stop_normal() ->
    P = start(),
    Ref = monitor(process, P),
    Why = stop(P),
    Down = receive {'DOWN', Ref, process, P, D} -> D end,
    {Why, Down, is_process_alive(P)}.

stop_custom() ->
    P = start(),
    Ref = monitor(process, P),
    ok = gen_server:stop(P, {shutdown, custom}, infinity),
    Why = receive {terminated, P, W} -> W end,
    Down = receive {'DOWN', Ref, process, P, D} -> D end,
    {Why, Down}.

%% handle_call returns stop with a reply: the caller gets the reply and
%% the server stops with the reason.
stop_from_call() ->
    P = start(),
    Ref = monitor(process, P),
    Reply = gen_server:call(P, {stop, {shutdown, asked}}),
    Why = receive {terminated, P, W} -> W end,
    Down = receive {'DOWN', Ref, process, P, D} -> D end,
    {Reply, Why, Down}.

%% A call whose handling crashes: the caller's call exits with the
%% server's reason, which the caller catches; terminate and the monitor
%% see the same reason.
crashing_call() ->
    P = start(),
    Ref = monitor(process, P),
    Caught = try gen_server:call(P, crash)
             catch exit:{Reason, {gen_server, call, [_, crash]}} -> {exit, summary(Reason)}
             end,
    Why = receive {terminated, P, W} -> W end,
    Down = summary(receive {'DOWN', Ref, process, P, D} -> D end),
    {Caught, Why, Down}.

%% A cast that crashes the server; the caster is not affected.
crashing_cast() ->
    P = start(),
    Ref = monitor(process, P),
    ok = gen_server:cast(P, crash),
    Why = receive {terminated, P, W} -> W end,
    Down = summary(receive {'DOWN', Ref, process, P, D} -> D end),
    {Why, Down, gen_server:cast(P, {add, 1})}.

%% A locally registered server; a second start under the name fails.
registered_name() ->
    {ok, P} = gen_server:start({local, c_gen_server_named}, ?MODULE, {ok, self()}, []),
    Same = whereis(c_gen_server_named) =:= P,
    5 = gen_server:call(c_gen_server_named, {add, 5}),
    ok = gen_server:cast(c_gen_server_named, {add, 1}),
    Total = gen_server:call({c_gen_server_named, node()}, get),
    Again = case gen_server:start({local, c_gen_server_named}, ?MODULE, {ok, self()}, []) of
                {error, {already_started, P}} -> already_started;
                Other -> Other
            end,
    {Same, Total, Again, stop(P), whereis(c_gen_server_named)}.

%% Calls to nothing exit with noproc.
call_noproc() ->
    {Dead, Ref} = spawn_monitor(fun() -> ok end),
    receive {'DOWN', Ref, _, _, _} -> ok end,
    [try gen_server:call(To, get)
     catch exit:{Reason, {gen_server, call, [_, get]}} -> {exit, Reason}
     end || To <- [c_gen_server_nobody, Dead]].

%% 100 client processes make 100 calls each.
many_clients() ->
    P = start(),
    Me = self(),
    Clients = [spawn(fun() -> [gen_server:call(P, {add, 1}) || _ <- lists:seq(1, 100)],
                              Me ! {client_done, self()} end)
               || _ <- lists:seq(1, 100)],
    [receive {client_done, C} -> ok end || C <- Clients],
    Total = gen_server:call(P, get),
    stop(P),
    Total.

%% Asynchronous requests: several in flight, answers collected by id.
send_request() ->
    P = start(),
    Ids = [gen_server:send_request(P, {add, N}) || N <- [10, 20, 30]],
    Answers = [gen_server:wait_response(Id, 5000) || Id <- Ids],
    Received = gen_server:receive_response(gen_server:send_request(P, get), 5000),
    stop(P),
    {Answers, Received}.

sys_get_state() ->
    P = start(),
    3 = gen_server:call(P, {add, 3}),
    #{total := T} = sys:get_state(P),
    stop(P),
    T.

%% A server started with start_link by a process that then exits: the
%% server (not trapping exits) dies with the owner's reason; terminate is
%% not called.
linked_owner_exit() ->
    Me = self(),
    {Owner, ORef} = spawn_monitor(fun() ->
                                          {ok, S} = gen_server:start_link(?MODULE, {ok, Me}, []),
                                          Me ! {server, S},
                                          receive go -> exit(owner_quit) end
                                  end),
    S = receive {server, X} -> X end,
    SRef = monitor(process, S),
    Owner ! go,
    OwnerWhy = receive {'DOWN', ORef, process, Owner, W1} -> W1 end,
    ServerWhy = receive {'DOWN', SRef, process, S, W2} -> W2 end,
    Terminated = receive {terminated, S, _} -> called after 0 -> not_called end,
    {OwnerWhy, ServerWhy, Terminated}.
