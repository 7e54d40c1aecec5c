%% Concurrency: time. receive ... after, erlang:send_after/3,4,
%% start_timer/3,4, cancel_timer/1,2 and read_timer/1,2, timer:sleep/1 and
%% the timer module's send_after, send_interval, apply_after and cancel.
%%
%% Only what does not depend on the machine's speed is printed: the order
%% in which timers fire (their times are at least 15 ms apart), whether a
%% message came, and bounds on remaining times (never their values).
-module(c_timer).
-export([main/0]).

main() ->
    run([{after_order, fun after_order/0},
         {sleep_at_least, fun sleep_at_least/0},
         {after_at_least, fun after_at_least/0},
         {send_after_order, fun send_after_order/0},
         {send_after_zero, fun send_after_zero/0},
         {send_after_twelve_shuffled, fun send_after_shuffled/0},
         {start_timer_message, fun start_timer_message/0},
         {start_timer_absolute, fun start_timer_absolute/0},
         {cancel_active, fun cancel_active/0},
         {cancel_fired, fun cancel_fired/0},
         {cancel_async, fun cancel_async/0},
         {read_timer, fun read_timer/0},
         {timer_to_name, fun timer_to_name/0},
         {timer_outlives_setter, fun timer_outlives_setter/0},
         {timer_to_dead_process, fun timer_to_dead/0},
         {timer_bifs_badarg, fun timer_badarg/0},
         {timer_send_after, fun timer_send_after/0},
         {timer_send_interval, fun timer_send_interval/0},
         {timer_apply_after, fun timer_apply_after/0},
         {timer_cancel, fun timer_cancel/0},
         {timer_tc_result, fun timer_tc/0},
         {message_before_timeout, fun message_before_timeout/0}]).

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

now_ms() -> erlang:monotonic_time(millisecond).

%% Three processes wait 60, 20 and 40 ms (receive ... after) and report:
%% the reports come shortest first.
after_order() ->
    Me = self(),
    [spawn(fun() -> receive after T -> Me ! {waited, T} end end) || T <- [60, 20, 40]],
    [receive {waited, T} -> T end || _ <- [1, 2, 3]].

%% timer:sleep(T) takes at least T ms.
sleep_at_least() ->
    [begin T0 = now_ms(), ok = timer:sleep(T), now_ms() - T0 >= T end || T <- [0, 1, 15, 30]].

after_at_least() ->
    [begin T0 = now_ms(), receive after T -> ok end, now_ms() - T0 >= T end || T <- [1, 15, 30]].

%% Timers set out of order fire in order of their times.
send_after_order() ->
    [erlang:send_after(T, self(), {fired, T}) || T <- [75, 15, 45]],
    [receive {fired, T} -> T end || _ <- [1, 2, 3]].

send_after_zero() ->
    erlang:send_after(0, self(), zero),
    receive zero -> got after 5000 -> none end.

%% Twelve timers 15 ms apart, set in a scrambled order.
send_after_shuffled() ->
    Times = [15 * ((I * 5) rem 12 + 1) || I <- lists:seq(0, 11)],
    [erlang:send_after(T, self(), {tick, T}) || T <- Times],
    Got = [receive {tick, T} -> T end || _ <- Times],
    {Got =:= lists:sort(Times), Got =:= Times}.

%% start_timer sends {timeout, TimerRef, Msg}.
start_timer_message() ->
    Ref = erlang:start_timer(10, self(), payload),
    receive {timeout, R, Msg} -> {R =:= Ref, Msg} after 5000 -> none end.

%% A timer at an absolute monotonic time.
start_timer_absolute() ->
    At = now_ms() + 20,
    Ref = erlang:start_timer(At, self(), absolute, [{abs, true}]),
    receive {timeout, Ref, absolute} -> now_ms() >= At after 5000 -> none end.

%% Cancelling an active timer gives its remaining time (at most what was
%% set) and the message never comes.
cancel_active() ->
    Ref = erlang:send_after(50, self(), never),
    Left = erlang:cancel_timer(Ref),
    Came = receive never -> came after 100 -> did_not_come end,
    {is_integer(Left) andalso Left >= 0 andalso Left =< 50, Came, erlang:cancel_timer(Ref)}.

%% Cancelling a timer that has fired gives false.
cancel_fired() ->
    Ref = erlang:send_after(5, self(), fired),
    receive fired -> ok end,
    {erlang:cancel_timer(Ref), erlang:read_timer(Ref)}.

%% The asynchronous cancel answers with a message.
cancel_async() ->
    Active = erlang:start_timer(1000, self(), x),
    ok = erlang:cancel_timer(Active, [{async, true}, {info, true}]),
    A = receive {cancel_timer, Active, Left} -> is_integer(Left) andalso Left =< 1000 end,
    Fired = erlang:send_after(1, self(), y),
    receive y -> ok end,
    ok = erlang:cancel_timer(Fired, [{async, true}, {info, true}]),
    B = receive {cancel_timer, Fired, Result} -> Result end,
    C = erlang:cancel_timer(make_ref(), [{info, false}]),
    {A, B, C}.

%% read_timer: the remaining time while active, false after.
read_timer() ->
    Ref = erlang:start_timer(1000, self(), later),
    Left = erlang:read_timer(Ref),
    Active = is_integer(Left) andalso Left > 0 andalso Left =< 1000,
    Async = erlang:read_timer(Ref, [{async, true}]),
    AsyncLeft = receive {read_timer, Ref, L} -> is_integer(L) andalso L =< 1000 end,
    erlang:cancel_timer(Ref),
    {Active, Async, AsyncLeft, erlang:read_timer(Ref), erlang:read_timer(make_ref())}.

%% A timer to a registered name is delivered to whoever has the name when
%% it fires; to a name nobody has, it is dropped.
timer_to_name() ->
    true = register(c_timer_me, self()),
    erlang:send_after(10, c_timer_me, by_name),
    A = receive by_name -> got after 5000 -> none end,
    true = unregister(c_timer_me),
    erlang:send_after(10, c_timer_nobody, lost),
    B = receive lost -> got after 50 -> none end,
    {A, B}.

%% A timer keeps running after the process that set it exits.
timer_outlives_setter() ->
    Me = self(),
    {_, Ref} = spawn_monitor(fun() -> erlang:send_after(20, Me, from_dead_setter) end),
    receive {'DOWN', Ref, _, _, normal} -> ok end,
    receive from_dead_setter -> got after 5000 -> none end.

%% A timer to a dead process is cancelled at once; one to a live process
%% is cancelled when the process exits (polled for up to 500 ms; the timer
%% itself would only fire after 5 s).
timer_to_dead() ->
    {Dead, Ref} = spawn_monitor(fun() -> ok end),
    receive {'DOWN', Ref, _, _, normal} -> ok end,
    AtOnce = erlang:read_timer(erlang:send_after(5000, Dead, too_late)),
    {Live, Ref2} = spawn_monitor(fun() -> receive stop -> ok end end),
    T = erlang:send_after(5000, Live, too_late),
    Active = is_integer(erlang:read_timer(T)),
    Live ! stop,
    receive {'DOWN', Ref2, _, _, normal} -> ok end,
    {AtOnce, Active, wait_cancelled(T, 500)}.

wait_cancelled(_, 0) -> still_active;
wait_cancelled(T, Tries) ->
    case erlang:read_timer(T) of
        false -> cancelled;
        _ -> timer:sleep(1), wait_cancelled(T, Tries - 1)
    end.

timer_badarg() ->
    [reason(fun() -> erlang:send_after(-1, self(), x) end),
     reason(fun() -> erlang:send_after(1.5, self(), x) end),
     reason(fun() -> erlang:send_after(10, 42, x) end),
     reason(fun() -> erlang:start_timer(10, self(), x, [no_such_option]) end),
     reason(fun() -> erlang:cancel_timer(not_a_ref) end),
     reason(fun() -> erlang:read_timer(42) end),
     reason(fun() -> erlang:start_timer(1 bsl 64, self(), x) end)].

%% The timer module: send_after, to self and to a pid.
timer_send_after() ->
    {ok, _} = timer:send_after(10, hello_self),
    A = receive hello_self -> got after 5000 -> none end,
    {ok, _} = timer:send_after(10, self(), hello_pid),
    B = receive hello_pid -> got after 5000 -> none end,
    {A, B}.

%% send_interval ticks until cancelled; after the cancel (and a flush of
%% ticks already sent) no tick comes.
timer_send_interval() ->
    {ok, TRef} = timer:send_interval(5, tick),
    Ticks = [receive tick -> tick after 5000 -> none end || _ <- lists:seq(1, 5)],
    Cancel = timer:cancel(TRef),
    flush_ticks(),
    Late = receive tick -> late_tick after 40 -> no_more end,
    {Ticks, Cancel, Late}.

flush_ticks() ->
    receive tick -> flush_ticks() after 0 -> ok end.

timer_apply_after() ->
    {ok, _} = timer:apply_after(10, erlang, send, [self(), applied]),
    receive applied -> got after 5000 -> none end.

%% timer:cancel of a pending timer, then of a non-timer.
timer_cancel() ->
    {ok, TRef} = timer:send_after(1000, never),
    A = timer:cancel(TRef),
    B = timer:cancel(not_a_timer),
    {A, B}.

timer_tc() ->
    {Time, Value} = timer:tc(lists, seq, [1, 5]),
    {is_integer(Time) andalso Time >= 0, Value}.

%% A message that arrives before the timeout is taken.
message_before_timeout() ->
    Me = self(),
    spawn(fun() -> timer:sleep(10), Me ! early end),
    receive early -> early after 5000 -> timeout end.
