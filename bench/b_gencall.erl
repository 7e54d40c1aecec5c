%% gen_server calls: clients call a counter server through OTP's gen_server.
-module(b_gencall).
-behaviour(gen_server).
-export([run/0]).
-export([init/1, handle_call/3, handle_cast/2]).

-define(CLIENTS, 4).
-define(CALLS, 40000).

run() ->
    {ok, Server} = gen_server:start_link(?MODULE, 0, []),
    Self = self(),
    Clients = [spawn_link(fun() -> Self ! {self(), client(Server, C, ?CALLS, 0)} end)
               || C <- lists:seq(1, ?CLIENTS)],
    Results = [receive {Client, R} -> R end || Client <- Clients],
    Total = gen_server:call(Server, total),
    unlink(Server),
    exit(Server, kill),
    {lists:sum(Results), Total}.

client(_Server, _C, 0, Acc) -> Acc;
client(Server, C, N, Acc) ->
    Reply = gen_server:call(Server, {add, C}),
    client(Server, C, N - 1, Acc + Reply rem 7).

init(Count) -> {ok, Count}.

handle_call({add, C}, _From, Count) -> {reply, C, Count + C};
handle_call(total, _From, Count) -> {reply, Count, Count}.

handle_cast(_Msg, Count) -> {noreply, Count}.
