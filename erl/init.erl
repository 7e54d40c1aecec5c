%% The `init` of oxbeam's direct mode (DESIGN §6), in place of OTP's
%% preloaded init (which boots from a boot script; that is boot mode).
%%
%% The first process runs boot/1: it registers as `init`, starts the io
%% servers (`user`, `standard_error`) and runs the command line's -s, -run
%% and -eval items, in order, in one process of their own, as erl's init
%% does. The functions on that path are named as erl's (do_boot/3,
%% start_em/1, start_it/1) and the module has no line information, so a
%% crashing item shows the same stack trace as on erl. If an item crashes,
%% init prints {"init terminating in do_boot", Reason} and halts with
%% status 1; otherwise the system goes on until halt/0,1,2 or stop/0,1.
%%
%% The command line's flags and plain arguments are held by the VM:
%% get_argument/1, get_arguments/0 and get_plain_arguments/0 are natives
%% (src/bif/init.rs).
-module(init).

-export([boot/1, stop/0, stop/1, reboot/0, get_status/0, script_id/0,
         get_argument/1, get_arguments/0, get_plain_arguments/0,
         notify_when_started/1, wait_until_started/0, fetch_loaded/0,
         ensure_loaded/1, objfile_extension/0, archive_extension/0,
         code_path_choice/0]).

-record(state, {boot_pid,
                status = {starting, started},
                subscribed = []}).

%% ---- the API -------------------------------------------------------------

get_argument(_Flag) ->
    erlang:nif_error(undef).

get_arguments() ->
    erlang:nif_error(undef).

get_plain_arguments() ->
    erlang:nif_error(undef).

stop() ->
    init ! {stop, stop},
    ok.

%% Status is an exit status or a slogan (a string of bytes).
stop(Status) when is_integer(Status), Status >= 0 ->
    init ! {stop, {stop, Status}},
    ok;
stop(Status) when is_list(Status) ->
    case lists:all(fun(B) -> is_integer(B) andalso B >= 0 andalso B < 256 end, Status) of
        true ->
            init ! {stop, {stop, Status}},
            ok;
        false ->
            erlang:error(badarg)
    end;
stop(_Status) ->
    erlang:error(badarg).

%% Without heart, a reboot is a stop.
reboot() ->
    init ! {stop, stop},
    ok.

get_status() ->
    request(get_status).

%% The identity of the boot script erl runs by default (start_clean).
script_id() ->
    {"Erlang/OTP", erlang:system_info(otp_release)}.

notify_when_started(Pid) ->
    request({notify_when_started, Pid}).

wait_until_started() ->
    receive
        {init, started} -> ok
    end.

%% Modules loaded during boot, which a code server would take over: none.
fetch_loaded() ->
    [].

ensure_loaded(Module) ->
    code:ensure_loaded(Module).

objfile_extension() ->
    ".beam".

archive_extension() ->
    ".ez".

code_path_choice() ->
    case get_argument(code_path_choice) of
        {ok, [["strict"]]} -> strict;
        _ -> relaxed
    end.

request(Request) ->
    init ! {self(), Request},
    receive
        {init, Reply} -> Reply
    end.

%% ---- the init process ----------------------------------------------------

%% Items are the command line's -s, -run and -eval items, in order:
%% {eval, String}, or [Module, Function | Args] for -s and -run (the
%% arguments are atoms for -s, strings for -run; Function is start when
%% not given), or [] for a -s with nothing after it.
boot(Items) ->
    register(init, self()),
    process_flag(trap_exit, true),
    User = oxbeam_io:start(user),
    oxbeam_io:start(standard_error),
    group_leader(User, self()),
    ok = oxbeam_kernel:start(),
    Init = self(),
    BootPid = spawn_link(fun() -> do_boot(Init, Items, User) end),
    loop(#state{boot_pid = BootPid}).

loop(#state{boot_pid = BootPid} = State) ->
    receive
        {'EXIT', BootPid, normal} ->
            [Pid ! {init, started} || Pid <- State#state.subscribed],
            loop(State#state{status = {started, started}, subscribed = []});
        {'EXIT', BootPid, Reason} ->
            erlang:display({"init terminating in do_boot", Reason}),
            halt("init terminating in do_boot (" ++ describe(Reason, 0) ++ ")");
        {stop, How} ->
            stop_system(How);
        {From, get_status} ->
            From ! {init, State#state.status},
            loop(State);
        {From, {notify_when_started, Pid}} ->
            case State#state.status of
                {started, _} ->
                    From ! {init, started},
                    loop(State);
                _ ->
                    From ! {init, ok},
                    loop(State#state{subscribed = [Pid | State#state.subscribed]})
            end;
        _Other ->
            loop(State)
    end.

%% Halts once the io servers have written what they were sent before.
stop_system(How) ->
    sync_io(user),
    sync_io(standard_error),
    case How of
        {stop, Status} -> halt(Status);
        _ -> halt()
    end.

sync_io(Name) ->
    case whereis(Name) of
        undefined ->
            ok;
        Pid ->
            Ref = erlang:monitor(process, Pid),
            Pid ! {io_request, self(), Ref, getopts},
            receive
                {io_reply, Ref, _} -> ok;
                {'DOWN', Ref, process, _, _} -> ok
            after 5000 ->
                ok
            end,
            erlang:demonitor(Ref, [flush])
    end.

%% ---- the items of the command line ---------------------------------------

%% A crash ends the process with the exit reason erl's would have
%% ({Reason, Stack} for an error), as an exit: erl halts before its logger
%% reports the crash, so there must be no report here either.
do_boot(_Init, Items, _User) ->
    process_flag(trap_exit, true),
    try start_em(Items) of
        _ -> ok
    catch
        error:Reason:Stack -> exit({Reason, Stack});
        throw:Value:Stack -> exit({{nocatch, Value}, Stack});
        exit:Reason -> exit(Reason)
    end.

start_em([Item | Items]) ->
    case whereis(user) of
        undefined -> ok;
        User -> group_leader(User, self())
    end,
    start_it(Item),
    start_em(Items);
start_em([]) ->
    ok.

start_it([]) ->
    ok;
start_it({eval, String}) ->
    {ok, Tokens, _} = erl_scan:string(String),
    Terminated = case lists:reverse(Tokens) of
                     [{dot, _} | _] -> Tokens;
                     Reversed -> lists:reverse([{dot, erl_anno:new(1)} | Reversed])
                 end,
    {ok, Exprs} = erl_parse:parse_exprs(Terminated),
    {value, _Value, _Bindings} = erl_eval:exprs(Exprs, erl_eval:new_bindings()),
    ok;
start_it([Module]) ->
    Module:start();
start_it([Module, Function]) ->
    Module:Function();
start_it([Module, Function | Args]) ->
    Module:Function(Args).

%% ---- the slogan of a crash -------------------------------------------------

%% A term as erl's init writes it in a crash slogan: nested at most four
%% deep ("{_}" and "[_]" below), atoms unquoted, lists of printable ASCII
%% as text, binaries, maps, funs and references as nothing.
describe(List, Depth) when is_list(List), Depth < 4 ->
    Flat = flat(List),
    case Flat =/= [] andalso lists:all(fun plain_char/1, Flat) of
        true -> Flat;
        false -> "[" ++ commas([describe(E, Depth + 1) || E <- proper(List)]) ++ "]"
    end;
describe(List, _Depth) when is_list(List) ->
    "[_]";
describe(Tuple, Depth) when is_tuple(Tuple), Depth < 4 ->
    "{" ++ commas([describe(E, Depth + 1) || E <- tuple_to_list(Tuple)]) ++ "}";
describe(Tuple, _Depth) when is_tuple(Tuple) ->
    "{_}";
describe(Atom, _Depth) when is_atom(Atom) ->
    atom_to_list(Atom);
describe(Pid, _Depth) when is_pid(Pid) ->
    pid_to_list(Pid);
describe(Float, _Depth) when is_float(Float) ->
    float_to_list(Float);
describe(Integer, _Depth) when is_integer(Integer) ->
    integer_to_list(Integer);
describe(_Other, _Depth) ->
    "".

plain_char(C) ->
    is_integer(C) andalso ((C >= 32 andalso C =< 126) orelse C =:= $\n
                           orelse C =:= $\r orelse C =:= $\t).

flat([H | T]) when is_list(H) -> flat(H) ++ flat(T);
flat([H | T]) -> [H | flat(T)];
flat(_) -> [].

proper([H | T]) -> [H | proper(T)];
proper(_) -> [].

commas([]) -> [];
commas([Last]) -> Last;
commas([First | Rest]) -> First ++ "," ++ commas(Rest).
