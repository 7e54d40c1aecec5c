%% Concurrency: the kernel processes a program finds at start (the
%% logger, kernel_sup, logger_sup and their children), the logger's
%% configuration, reports reaching a logger handler (a crashed process's
%% report from the runtime, a gen_server's crash report, logger:error
%% calls), timer_server started on demand under kernel_sup, spawning
%% BIFs and erlang:apply, and the calendar BIFs the logger's formatter
%% uses.
-module(c_kernel).
-export([main/0, log/2]).
%% A gen_server that crashes on request, for a crash report.
-export([init/1, handle_call/3, handle_cast/2]).

main() ->
    Checks = [{kernel_processes, fun kernel_processes/0},
              {logger_config, fun logger_config/0},
              {reports_reach_handlers, fun reports/0},
              {timer_server_on_demand, fun timer_server/0},
              {spawn_bifs_and_apply, fun spawn_apply/0},
              {calendar_bifs, fun calendar_bifs/0}],
    lists:foreach(fun({Name, Check}) ->
                          io:format("~p: ~p~n", [Name, catch Check()])
                  end, Checks).

%% The default handler writes crash reports to standard output when it
%% gets to them, which may be after halt/0: it is silenced before the
%% first crash, and a probe handler takes the reports instead.

kernel_processes() ->
    Named = [logger, kernel_sup, logger_sup, kernel_safe_sup, init, user],
    {[{N, is_pid(whereis(N))} || N <- Named],
     lists:sort([Id || {Id, _, _, _} <- supervisor:which_children(logger_sup)]),
     lists:member(logger_sup, [Id || {Id, _, _, _} <- supervisor:which_children(kernel_sup)])}.

logger_config() ->
    #{primary := Primary, handlers := Handlers} = logger:get_config(),
    {Primary, [{Id, Module, maps:get(formatter, H), maps:get(filter_default, H)}
               || #{id := Id, module := Module} = H <- Handlers]}.

%% A handler of this module sends every event's formatted text to the
%% process in its config; the default handler is silenced meanwhile.
log(#{msg := Msg, level := Level, meta := Meta}, #{config := #{to := To}}) ->
    Text = case Msg of
               {report, Report} -> {report, maps:get(label, Report, none)};
               {string, String} -> lists:flatten(io_lib:format("~ts", [String]));
               {Format, Args} -> lists:flatten(io_lib:format(Format, Args))
           end,
    To ! {logged, Level, Text, maps:is_key(error_logger, Meta)}.

reports() ->
    ok = logger:set_handler_config(default, level, none),
    ok = logger:add_handler(probe, ?MODULE, #{config => #{to => self()}}),
    {Pid, Ref} = spawn_monitor(fun() -> erlang:error({crashed, on_purpose}) end),
    receive {'DOWN', Ref, process, Pid, _} -> ok end,
    Crash = receive_logged(),
    logger:error("plain ~p", [42]),
    Plain = receive_logged(),
    {ok, Server} = gen_server:start(?MODULE, [], []),
    MRef = monitor(process, Server),
    gen_server:cast(Server, crash),
    receive {'DOWN', MRef, process, Server, _} -> ok end,
    ServerCrash = [receive_logged(), receive_logged()],
    ok = logger:remove_handler(probe),
    PidText = pid_to_list(Pid),
    {case Crash of
         {logged, error, Text, true} ->
             {error, lists:prefix("Error in process " ++ PidText ++ " with exit value:", Text),
              lists:member(${, Text)};
         Other -> Other
     end,
     Plain,
     ServerCrash}.

receive_logged() ->
    receive {logged, _, _, _} = L -> L after 2000 -> nothing_logged end.

timer_server() ->
    Before = whereis(timer_server),
    {ok, TRef} = timer:send_interval(10, ping),
    Got = receive ping -> ping after 1000 -> none end,
    After = whereis(timer_server),
    InSup = lists:member(timer_server,
                         [Id || {Id, _, _, _} <- supervisor:which_children(kernel_sup)]),
    Cancel = timer:cancel(TRef),
    receive ping -> ok after 30 -> ok end,
    receive ping -> ok after 0 -> ok end,
    {Before, Got, is_pid(After), InSup, Cancel}.

spawn_apply() ->
    Self = self(),
    spawn(erlang, send, [Self, a]),
    spawn(erlang, apply, [erlang, send, [Self, b]]),
    spawn(erlang, apply, [fun(X) -> Self ! X end, [c]]),
    spawn(erlang, apply, [fun() -> Self ! d end, []]),
    Got = lists:sort([receive M -> M after 1000 -> none end || _ <- [1, 2, 3, 4]]),
    {P, Ref} = spawn_monitor(erlang, apply, [lists, nth, [5, []]]),
    Reason = receive {'DOWN', Ref, _, P, Why} -> element(1, Why) end,
    {Got, Reason}.

calendar_bifs() ->
    Times = [0, -1, 951782400, 1700000000, 1 bsl 40],
    {[erlang:posixtime_to_universaltime(T) || T <- Times],
     [erlang:universaltime_to_posixtime(erlang:posixtime_to_universaltime(T)) || T <- Times],
     [catch erlang:universaltime_to_posixtime(D)
      || D <- [{{2024, 2, 30}, {0, 0, 0}}, {{2023, 2, 29}, {0, 0, 0}}, {{2024, 2, 29}, {0, 0, 0}},
               {{-1, 1, 1}, {0, 0, 0}}, {{2024, 1, 1}, {24, 0, 0}}, {{2024, 1, 1}, {0, 60, 0}},
               {{2024, 1, 1}, {0, 0, 60}}, {2024, 1, 1}, {{a, 1, 1}, {0, 0, 0}}]],
     [catch erlang:posixtime_to_universaltime(X) || X <- [1.0, a, 1 bsl 63]],
     calendar:universal_time_to_local_time({{2024, 7, 1}, {12, 0, 0}}),
     erlang:localtime_to_universaltime({{2024, 7, 1}, {12, 0, 0}}),
     calendar:gregorian_seconds_to_datetime(63900000000),
     calendar:system_time_to_rfc3339(1700000000, [{offset, "Z"}])}.

init([]) -> {ok, state}.

handle_call(_Request, _From, State) -> {reply, ok, State}.

handle_cast(crash, _State) -> erlang:error(on_purpose).
