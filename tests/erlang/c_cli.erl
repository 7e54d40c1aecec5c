%% The command line: functions called by the cases of cli_cases.txt (with
%% -s, -run and -eval), and main/0, which prints what the command line of
%% a concurrency program gives: no plain arguments, -noshell present, the
%% evaluating process's settings.
-module(c_cli).
-export([main/0, start/0, say/1, show_args/1, plain/0, flag/1, spawned_print/0]).

main() ->
    io:format("plain arguments: ~p~n", [init:get_plain_arguments()]),
    io:format("noshell: ~p~n", [init:get_argument(noshell)]),
    io:format("unknown flag: ~p~n", [init:get_argument(c_cli_no_such_flag)]),
    io:format("extra: ~p~n", [init:get_argument(extra)]),
    io:format("trap_exit: ~p~n", [process_info(self(), trap_exit)]),
    io:format("registered: ~p~n", [process_info(self(), registered_name)]),
    io:format("io server alive: ~p~n", [is_process_alive(group_leader())]),
    io:format("same group leader as user: ~p~n", [group_leader() =:= whereis(user)]).

%% The function -s and -run call when none is named.
start() ->
    io:format("start/0 called~n").

%% -s M F A1 A2 calls F([A1, A2]) with atoms, -run with strings; -eval can
%% call it with anything.
say(What) ->
    io:format("say: ~p~n", [What]).

show_args(Args) ->
    io:format("args: ~p~n", [Args]).

plain() ->
    io:format("plain arguments: ~p~n", [init:get_plain_arguments()]).

%% A user flag (-Name Values...) as init keeps it.
flag([Name]) -> flag(Name);
flag(Name) when is_list(Name) -> flag(list_to_atom(Name));
flag(Name) ->
    io:format("~p: ~p~n", [Name, init:get_argument(Name)]).

%% Output from another process, which the evaluating process waits for.
spawned_print() ->
    Me = self(),
    {Pid, Ref} = spawn_monitor(fun() -> io:format("from a spawned process~n"), Me ! printed end),
    receive printed -> ok end,
    receive {'DOWN', Ref, process, Pid, normal} -> ok end,
    io:format("after it~n").
