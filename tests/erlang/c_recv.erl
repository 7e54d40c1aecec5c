%% Concurrency: receive. Selective receive on deep mailboxes, `after 0`,
%% timeouts as variables, guards and bound variables in patterns, the
%% make_ref/receive pattern with thousands of unrelated messages queued,
%% nested receives, and what stays in the queue after each.
-module(c_recv).
-export([main/0]).

main() ->
    run([{pick_one_of_5000, fun pick_one/0},
         {pick_all_in_reverse, fun pick_reverse/0},
         {pick_by_guard, fun pick_by_guard/0},
         {pick_by_bound_variable, fun pick_by_bound/0},
         {after_0_empty, fun after_0_empty/0},
         {after_0_nonmatching, fun after_0_nonmatching/0},
         {after_0_matching, fun after_0_matching/0},
         {after_variable_timeouts, fun after_variable/0},
         {after_infinity_variable, fun after_infinity/0},
         {after_bad_timeout, fun after_bad_timeout/0},
         {ref_call_deep_queue, fun ref_call_deep_queue/0},
         {ref_calls_interleaved, fun ref_calls_interleaved/0},
         {monitor_ref_reply, fun monitor_ref_reply/0},
         {nested_receive, fun nested_receive/0},
         {receive_in_catch, fun receive_in_catch/0},
         {queue_after_selective, fun queue_after_selective/0},
         {receive_any_order, fun receive_any_order/0},
         {priority_by_two_passes, fun priority_two_passes/0},
         {late_message_matched, fun late_message/0},
         {flush_count, fun flush_count/0}]).

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

queue_len() ->
    {message_queue_len, N} = process_info(self(), message_queue_len),
    N.

%% One message out of 5 000 queued; the others stay, in order.
pick_one() ->
    [self() ! {m, I} || I <- lists:seq(1, 5000)],
    Got = receive {m, 2500} = M -> M end,
    Len = queue_len(),
    Rest = [receive {m, I} -> I end || _ <- lists:seq(1, 4999)],
    {Got, Len, Rest =:= lists:seq(1, 2499) ++ lists:seq(2501, 5000)}.

%% 3 000 messages received last-first, each by its number.
pick_reverse() ->
    N = 3000,
    [self() ! {r, I} || I <- lists:seq(1, N)],
    Got = [receive {r, I} -> I end || I <- lists:seq(N, 1, -1)],
    {Got =:= lists:seq(N, 1, -1), queue_len()}.

%% The first message satisfying a guard is taken, wherever it is.
pick_by_guard() ->
    [self() ! {v, I} || I <- [5, 3, 17, 8, 42, 1, 99, 64]],
    Big = receive {v, X} when X > 40 -> X end,
    Even = receive {v, Y} when Y rem 2 =:= 0 -> Y end,
    Tuple = receive {v, Z} when is_integer(Z), Z > 10, Z < 50 -> Z end,
    Rest = flush(),
    {Big, Even, Tuple, Rest}.

%% A pattern with a bound variable matches only that value.
pick_by_bound() ->
    Key = make_ref(),
    Other = make_ref(),
    self() ! {Other, wrong},
    self() ! {Key, right},
    self() ! {Other, wrong_again},
    A = receive {Key, V} -> V end,
    B = [W || {R, W} <- flush(), R =:= Other],
    {A, B}.

%% `after 0` on an empty mailbox times out at once.
after_0_empty() ->
    receive _ -> got_something after 0 -> timeout end.

%% `after 0` with only non-matching messages: timeout, messages kept.
after_0_nonmatching() ->
    [self() ! {other, I} || I <- lists:seq(1, 1000)],
    R = receive wanted -> got after 0 -> timeout end,
    {R, queue_len(), length(flush())}.

%% `after 0` with a matching message deep in the queue takes it.
after_0_matching() ->
    [self() ! {other, I} || I <- lists:seq(1, 1000)],
    self() ! wanted,
    R = receive wanted -> got after 0 -> timeout end,
    {R, queue_len(), length(flush())}.

%% Timeouts given by variables; a short one fires, messages sent before a
%% long one are taken first.
after_variable() ->
    Short = 10,
    Long = 10000,
    A = receive nothing -> got after Short -> timeout end,
    self() ! now,
    B = receive now -> got after Long -> timeout end,
    Parent = self(),
    spawn(fun() -> timer:sleep(20), Parent ! delayed end),
    C = receive delayed -> got_delayed after Long -> timeout end,
    {A, B, C}.

%% `after Timeout` with Timeout bound to infinity waits for the message.
after_infinity() ->
    Parent = self(),
    T = infinity,
    spawn(fun() -> timer:sleep(10), Parent ! finally end),
    receive finally -> got after T -> timeout end.

%% A timeout that is not a non-negative integer or infinity raises
%% timeout_value.
after_bad_timeout() ->
    [reason(fun() -> T = -1, receive x -> ok after T -> ok end end),
     reason(fun() -> T = 1.5, receive x -> ok after T -> ok end end),
     reason(fun() -> T = forever, receive x -> ok after T -> ok end end),
     reason(fun() -> T = 1 bsl 40, receive x -> ok after T -> ok end end)].

reason(Fun) ->
    try Fun() of R -> {returned, R}
    catch Class:Reason -> {Class, Reason}
    end.

%% A request tagged with make_ref(), answered by a server while 10 000
%% unrelated messages wait in the caller's queue (the marker pattern).
ref_call_deep_queue() ->
    Server = spawn(fun server/0),
    [self() ! {noise, I} || I <- lists:seq(1, 10000)],
    Replies = [call(Server, I) || I <- lists:seq(1, 200)],
    Server ! stop,
    Noise = [receive {noise, I} -> I end || _ <- lists:seq(1, 10000)],
    {lists:sum(Replies), Noise =:= lists:seq(1, 10000)}.

call(Server, X) ->
    Ref = make_ref(),
    Server ! {call, self(), Ref, X},
    receive {Ref, Reply} -> Reply end.

server() ->
    receive
        {call, From, Ref, X} -> From ! {Ref, X * 3}, server();
        stop -> ok
    end.

%% Several requests in flight at once, answered in reverse order; each
%% answer is matched by its own reference.
ref_calls_interleaved() ->
    Parent = self(),
    Server = spawn(fun() ->
                           Reqs = [receive {req, R, X} -> {R, X} end || _ <- lists:seq(1, 50)],
                           [Parent ! {R, X + 1000} || {R, X} <- lists:reverse(Reqs)]
                   end),
    Refs = [begin R = make_ref(), Server ! {req, R, I}, R end || I <- lists:seq(1, 50)],
    Answers = [receive {R, A} -> A end || R <- Refs],
    Answers =:= lists:seq(1001, 1050).

%% The monitor-based call: the reply is matched by the monitor reference;
%% after demonitor with flush nothing is left.
monitor_ref_reply() ->
    Server = spawn(fun() -> receive {From, Ref, Q} -> From ! {Ref, {answer, Q}} end end),
    Ref = monitor(process, Server),
    Server ! {self(), Ref, question},
    Answer = receive {Ref, A} -> A; {'DOWN', Ref, _, _, Why} -> {down, Why} end,
    demonitor(Ref, [flush]),
    Answer.

%% A receive inside the body of another receive's clause.
nested_receive() ->
    self() ! outer,
    self() ! {inner, 1},
    self() ! {inner, 2},
    receive
        outer ->
            A = receive {inner, 2} -> two end,
            B = receive {inner, X} -> X end,
            {A, B}
    end.

%% A receive in a try, the clause raising: the message is consumed.
receive_in_catch() ->
    self() ! {boom, 1},
    self() ! keep,
    R = try receive {boom, N} -> error({raised, N}) end
        catch error:E -> E
        end,
    {R, flush()}.

%% After several selective receives the remaining messages are in their
%% original order.
queue_after_selective() ->
    [self() ! I || I <- lists:seq(1, 20)],
    Taken = [receive X when X =:= K -> X end || K <- [7, 3, 15, 20, 1]],
    {Taken, flush()}.

%% Receiving with several clauses takes the first queued message that
%% matches any clause.
receive_any_order() ->
    self() ! c,
    self() ! b,
    self() ! a,
    First = receive a -> a; b -> b end,
    Second = receive a -> a; c -> c end,
    {First, Second, flush()}.

%% Two passes: urgent messages first (after 0), then the rest.
priority_two_passes() ->
    [self() ! M || M <- [{normal, 1}, {urgent, 1}, {normal, 2}, {urgent, 2}, {normal, 3}]],
    Urgent = take_urgent(),
    Normal = [N || {normal, N} <- flush()],
    {Urgent, Normal}.

take_urgent() ->
    receive {urgent, N} -> [N | take_urgent()] after 0 -> [] end.

%% A receive that is waiting when the message arrives takes it, with
%% non-matching messages arriving before it.
late_message() ->
    Parent = self(),
    spawn(fun() ->
                  [Parent ! {early, I} || I <- lists:seq(1, 100)],
                  timer:sleep(10),
                  Parent ! late
          end),
    R = receive late -> late after 5000 -> timeout end,
    {R, length(flush())}.

%% Everything sent is flushed, nothing more.
flush_count() ->
    [self() ! I || I <- lists:seq(1, 777)],
    length(flush()).
