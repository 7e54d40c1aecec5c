%% Concurrency: gen_statem. A code lock (state functions with state enter
%% calls): state transitions and their history, state timeouts (firing,
%% not reset by events, cancelled by a transition), event timeouts (firing,
%% cancelled by an event), generic timeouts (not cancelled by events),
%% postponed calls replayed after a transition, inserted events, reply
%% actions, stop from outside and from a callback, and a crashing call
%% caught by its caller.
%%
%% Timeouts that must fire are short; one that must not is checked after
%% waiting well beyond it. erl reports a crashing gen_statem on standard
%% output, so the logger is turned off first.
-module(c_statem).
-behaviour(gen_statem).
-export([main/0]).
-export([init/1, callback_mode/0, locked/3, open/3, terminate/3]).

main() ->
    io:format("logger off: ~p~n", [logger:set_primary_config(level, none)]),
    run([{transitions, fun transitions/0},
         {wrong_code_then_right, fun wrong_code/0},
         {state_timeout_fires, fun state_timeout_fires/0},
         {state_timeout_not_reset_by_events, fun state_timeout_not_reset/0},
         {state_timeout_cancelled_by_transition, fun state_timeout_cancelled/0},
         {event_timeout_fires, fun event_timeout_fires/0},
         {event_timeout_cancelled_by_event, fun event_timeout_cancelled/0},
         {generic_timeout_survives_events, fun generic_timeout/0},
         {postponed_call_replayed, fun postponed_call/0},
         {inserted_events, fun inserted_events/0},
         {stop_from_outside, fun stop_outside/0},
         {stop_from_callback, fun stop_callback/0},
         {crashing_call_caught, fun crashing_call/0},
         {call_noproc, fun call_noproc/0},
         {many_machines, fun many_machines/0}]).

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

summary({Reason, [{M, F, ArityOrArgs, _} | _]}) -> {Reason, {M, F, ArityOrArgs}};
summary(Reason) -> Reason.

%% --- the state machine ---------------------------------------------------

%% Data: the code, buttons pressed so far, the owner (told about timeouts
%% and termination), how long the lock stays open, the transitions seen.
init({Code, OpenMs, Owner}) ->
    {ok, locked, #{code => Code, input => [], owner => Owner, open_ms => OpenMs, history => []}}.

callback_mode() -> [state_functions, state_enter].

locked(enter, Old, D) ->
    {keep_state, record(Old, locked, D#{input := []})};
locked(cast, {button, B}, #{code := Code, input := Input} = D) ->
    case Input ++ [B] of
        Code -> {next_state, open, D};
        Longer when length(Longer) >= length(Code) -> {keep_state, D#{input := []}};
        Shorter -> {keep_state, D#{input := Shorter}}
    end;
locked(cast, {buttons, Bs}, _D) ->
    {keep_state_and_data, [{next_event, cast, {button, B}} || B <- Bs]};
locked({call, From}, {arm_event_timeout, Ms}, _D) ->
    {keep_state_and_data, [{reply, From, armed}, {timeout, Ms, idle}]};
locked({call, From}, {arm_generic_timeout, Ms}, _D) ->
    {keep_state_and_data, [{reply, From, armed}, {{timeout, bell}, Ms, ring}]};
locked(timeout, idle, #{owner := Owner}) ->
    Owner ! {event_timeout, self()},
    keep_state_and_data;
locked({call, _From}, {when_open, _}, _D) ->
    {keep_state_and_data, [postpone]};
locked(cast, explode, _D) ->
    {stop, {shutdown, exploded}};
locked(EventType, Event, D) ->
    common(EventType, Event, locked, D).

open(enter, Old, #{open_ms := Ms} = D) ->
    {keep_state, record(Old, open, D), [{state_timeout, Ms, lock}]};
open(state_timeout, lock, #{owner := Owner} = D) ->
    Owner ! {auto_locked, self()},
    {next_state, locked, D};
open(cast, {button, _}, _D) ->
    keep_state_and_data;
open({call, From}, lock_now, D) ->
    {next_state, locked, D, [{reply, From, locking}]};
open({call, From}, {when_open, Q}, _D) ->
    {keep_state_and_data, [{reply, From, {answered_when_open, Q}}]};
open({call, _From}, crash, #{code := Code}) ->
    {keep_state_and_data, [{reply, _From, hd(Code -- Code)}]};
open(EventType, Event, D) ->
    common(EventType, Event, open, D).

%% Events handled the same in every state.
common({call, From}, state, State, _D) ->
    {keep_state_and_data, [{reply, From, State}]};
common({call, From}, history, _State, #{history := H}) ->
    {keep_state_and_data, [{reply, From, lists:reverse(H)}]};
common({timeout, bell}, ring, _State, #{owner := Owner}) ->
    Owner ! {rang, self()},
    keep_state_and_data;
common(cast, {button, _}, _State, _D) ->
    keep_state_and_data.

record(Old, New, #{history := H} = D) -> D#{history := [{Old, New} | H]}.

terminate(Reason, State, #{owner := Owner}) ->
    Owner ! {terminated, self(), State, summary(Reason)}.

%% --- the checks ----------------------------------------------------------

start() -> start(30).

start(OpenMs) ->
    {ok, P} = gen_statem:start(?MODULE, {[1, 2, 3], OpenMs, self()}, []),
    P.

stop(P) ->
    ok = gen_statem:stop(P),
    receive {terminated, P, State, Why} -> {State, Why} after 5000 -> no_terminate end.

press(P, Buttons) ->
    [gen_statem:cast(P, {button, B}) || B <- Buttons],
    ok.

%% The right code opens the lock; lock_now locks it again.
transitions() ->
    P = start(10000),
    A = gen_statem:call(P, state),
    press(P, [1, 2, 3]),
    B = gen_statem:call(P, state),
    C = gen_statem:call(P, lock_now),
    D = gen_statem:call(P, state),
    H = gen_statem:call(P, history),
    {[A, B, C, D], H, stop(P)}.

%% A wrong code resets the input; the right one afterwards opens.
wrong_code() ->
    P = start(),
    press(P, [3, 2, 1, 1, 2]),
    A = gen_statem:call(P, state),
    press(P, [3]),
    B = gen_statem:call(P, state),
    {A, B, stop(P)}.

%% Open for 30 ms, then locked again by the state timeout.
state_timeout_fires() ->
    P = start(30),
    press(P, [1, 2, 3]),
    open = gen_statem:call(P, state),
    R = receive {auto_locked, P} -> auto_locked after 5000 -> none end,
    {R, gen_statem:call(P, state), gen_statem:call(P, history), stop(P)}.

%% Events in the open state do not restart its state timeout.
state_timeout_not_reset() ->
    P = start(60),
    press(P, [1, 2, 3]),
    T0 = erlang:monotonic_time(millisecond),
    [begin press(P, [9]), timer:sleep(5) end || _ <- lists:seq(1, 4)],
    R = receive {auto_locked, P} -> auto_locked after 5000 -> none end,
    Elapsed = erlang:monotonic_time(millisecond) - T0,
    {R, Elapsed >= 60, stop(P)}.

%% Leaving the open state cancels its state timeout.
state_timeout_cancelled() ->
    P = start(30),
    press(P, [1, 2, 3]),
    locking = gen_statem:call(P, lock_now),
    R = receive {auto_locked, P} -> fired after 100 -> not_fired end,
    {R, stop(P)}.

event_timeout_fires() ->
    P = start(),
    armed = gen_statem:call(P, {arm_event_timeout, 20}),
    R = receive {event_timeout, P} -> fired after 5000 -> not_fired end,
    {R, stop(P)}.

%% Any event cancels an event timeout.
event_timeout_cancelled() ->
    P = start(),
    armed = gen_statem:call(P, {arm_event_timeout, 100}),
    press(P, [7]),
    R = receive {event_timeout, P} -> fired after 200 -> not_fired end,
    {R, stop(P)}.

%% A generic timeout is not cancelled by events.
generic_timeout() ->
    P = start(),
    armed = gen_statem:call(P, {arm_generic_timeout, 40}),
    press(P, [7, 8, 9]),
    R = receive {rang, P} -> rang after 5000 -> not_rang end,
    {R, stop(P)}.

%% A call made while locked is postponed, and answered once open.
postponed_call() ->
    P = start(10000),
    Me = self(),
    Caller = spawn(fun() -> Me ! {answer, gen_statem:call(P, {when_open, question})} end),
    Waiting = receive {answer, _} -> too_early after 20 -> waiting end,
    press(P, [1, 2, 3]),
    Answer = receive {answer, A} -> A after 5000 -> none end,
    _ = Caller,
    {Waiting, Answer, stop(P)}.

%% next_event actions are handled before events already queued.
inserted_events() ->
    P = start(10000),
    gen_statem:cast(P, {buttons, [1, 2, 3]}),
    A = gen_statem:call(P, state),
    {A, stop(P)}.

stop_outside() ->
    P = start(),
    Ref = monitor(process, P),
    R = stop(P),
    {R, receive {'DOWN', Ref, process, P, Why} -> Why end}.

%% A callback returning stop: terminate/3 and the monitor see the reason.
stop_callback() ->
    P = start(),
    Ref = monitor(process, P),
    gen_statem:cast(P, explode),
    T = receive {terminated, P, State, Why} -> {State, Why} after 5000 -> no_terminate end,
    {T, receive {'DOWN', Ref, process, P, W} -> W end}.

%% A call whose handling crashes: the caller catches the exit.
crashing_call() ->
    P = start(10000),
    Ref = monitor(process, P),
    press(P, [1, 2, 3]),
    Caught = try gen_statem:call(P, crash)
             catch exit:{Reason, {gen_statem, call, [_, crash, infinity]}} -> {exit, summary(Reason)}
             end,
    T = receive {terminated, P, State, Why} -> {State, Why} after 5000 -> no_terminate end,
    {Caught, T, summary(receive {'DOWN', Ref, process, P, W} -> W end)}.

call_noproc() ->
    try gen_statem:call(c_statem_nobody, state)
    catch exit:{Reason, {gen_statem, call, [c_statem_nobody, state, infinity]}} -> {exit, Reason}
    end.

%% 200 machines opened at once; each locks itself again.
many_machines() ->
    Ps = [start(20) || _ <- lists:seq(1, 200)],
    [press(P, [1, 2, 3]) || P <- Ps],
    Locked = [receive {auto_locked, P} -> 1 after 5000 -> 0 end || P <- Ps],
    States = lists:usort([gen_statem:call(P, state) || P <- Ps]),
    Stops = lists:usort([stop(P) || P <- Ps]),
    {lists:sum(Locked), States, Stops}.
