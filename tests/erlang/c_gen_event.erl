%% Concurrency: OTP's gen_event. A manager with several handlers: notify
%% and sync_notify reach every handler in order, calls reach one, handlers
%% are deleted and swapped (state passed along), a crashing handler is
%% removed (a supervised one tells its supervisor with gen_event_EXIT),
%% and stopping the manager terminates every handler.
-module(c_gen_event).
-behaviour(gen_event).
-export([main/0]).
-export([init/1, handle_event/2, handle_call/2, handle_info/2, terminate/2]).

main() ->
    logger:set_handler_config(default, level, none),
    Checks = [{notify_and_call, fun notify_and_call/0},
              {delete_and_swap, fun delete_and_swap/0},
              {crashing_handler, fun crashing_handler/0},
              {supervised_handler, fun supervised_handler/0},
              {stop_terminates, fun stop_terminates/0},
              {named_manager, fun named_manager/0}],
    lists:foreach(fun({Name, Check}) ->
                          io:format("~p: ~p~n", [Name, catch Check()])
                  end, Checks).

%% A handler {?MODULE, Id} keeps the events it saw; its owner hears of
%% terminate/2.
init({{Id, Owner}, {OldId, done}}) -> {ok, #{id => Id, owner => Owner, seen => [{from, OldId}]}};
init({Id, Owner}) -> {ok, #{id => Id, owner => Owner, seen => []}}.

handle_event(crash, #{id := crashy}) -> erlang:error(handler_crashed);
handle_event(Event, #{seen := Seen} = State) -> {ok, State#{seen := [Event | Seen]}}.

handle_call(seen, #{seen := Seen} = State) -> {ok, lists:reverse(Seen), State};
handle_call({swap, NewId}, #{owner := Owner} = State) ->
    {swap_handler, swapped, swapping, State, {?MODULE, NewId}, {NewId, Owner}};
handle_call(ping, State) -> {ok, pong, State}.

handle_info(Info, #{seen := Seen} = State) -> {ok, State#{seen := [{info, Info} | Seen]}}.

terminate(Reason, #{id := Id, owner := Owner}) ->
    Owner ! {terminated, Id, summary(Reason)},
    {Id, done};
terminate(_Reason, _State) ->
    ok.

summary({error, {E, _Stack}}) -> {error, E};
summary(Other) -> Other.

start() ->
    {ok, M} = gen_event:start(),
    M.

add(M, Id) ->
    ok = gen_event:add_handler(M, {?MODULE, Id}, {Id, self()}).

notify_and_call() ->
    M = start(),
    add(M, a),
    add(M, b),
    gen_event:notify(M, one),
    ok = gen_event:sync_notify(M, two),
    M ! three,
    Seen = [gen_event:call(M, {?MODULE, Id}, seen) || Id <- [a, b]],
    Unknown = gen_event:call(M, {?MODULE, nobody}, seen),
    Handlers = lists:sort(gen_event:which_handlers(M)),
    gen_event:stop(M),
    flush_terminated(),
    {Seen, Unknown, Handlers}.

delete_and_swap() ->
    M = start(),
    add(M, a),
    add(M, b),
    gen_event:sync_notify(M, x),
    Deleted = gen_event:delete_handler(M, {?MODULE, a}, going),
    Term1 = receive {terminated, a, R1} -> R1 after 1000 -> none end,
    DeletedAgain = gen_event:delete_handler(M, {?MODULE, a}, going),
    Swapped = gen_event:call(M, {?MODULE, b}, {swap, c}),
    Term2 = receive {terminated, b, R2} -> R2 after 1000 -> none end,
    gen_event:sync_notify(M, y),
    SeenC = gen_event:call(M, {?MODULE, c}, seen),
    Handlers = gen_event:which_handlers(M),
    gen_event:stop(M),
    flush_terminated(),
    {Deleted, Term1, DeletedAgain, Swapped, Term2, SeenC, Handlers}.

crashing_handler() ->
    M = start(),
    add(M, crashy),
    add(M, steady),
    ok = gen_event:sync_notify(M, crash),
    Term = receive {terminated, crashy, R} -> R after 1000 -> none end,
    gen_event:sync_notify(M, after_crash),
    Seen = gen_event:call(M, {?MODULE, steady}, seen),
    Handlers = gen_event:which_handlers(M),
    gen_event:stop(M),
    flush_terminated(),
    {Term, Seen, Handlers, is_process_alive(M)}.

supervised_handler() ->
    M = start(),
    ok = gen_event:add_sup_handler(M, {?MODULE, crashy}, {crashy, self()}),
    ok = gen_event:sync_notify(M, crash),
    Exit = receive {gen_event_EXIT, {?MODULE, crashy}, Reason} -> summary(Reason) after 1000 -> none end,
    ok = gen_event:add_sup_handler(M, {?MODULE, s}, {s, self()}),
    Deleted = gen_event:delete_handler(M, {?MODULE, s}, bye),
    NoExit = receive {gen_event_EXIT, _, _} = E -> E after 100 -> no_exit_message end,
    gen_event:stop(M),
    flush_terminated(),
    {Exit, Deleted, NoExit}.

stop_terminates() ->
    M = start(),
    add(M, a),
    add(M, b),
    Ref = monitor(process, M),
    ok = gen_event:stop(M),
    Terms = lists:sort([receive {terminated, Id, R} -> {Id, R} after 1000 -> none end
                        || _ <- [1, 2]]),
    Down = receive {'DOWN', Ref, process, M, Why} -> Why after 1000 -> none end,
    {Terms, Down}.

named_manager() ->
    {ok, M} = gen_event:start({local, c_gen_event_mgr}),
    add(c_gen_event_mgr, a),
    gen_event:notify(c_gen_event_mgr, hello),
    Seen = gen_event:call(c_gen_event_mgr, {?MODULE, a}, seen),
    Already = gen_event:start({local, c_gen_event_mgr}),
    gen_event:stop(c_gen_event_mgr),
    flush_terminated(),
    {Seen, element(1, Already), element(1, element(2, Already)) =:= already_started,
     whereis(c_gen_event_mgr), is_pid(M)}.

flush_terminated() ->
    receive {terminated, _, _} -> flush_terminated() after 50 -> ok end.
