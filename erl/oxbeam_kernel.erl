%% The part of OTP's kernel application that direct mode starts (DESIGN
%% §6): the supervisors `kernel_sup` and `kernel_safe_sup`, with the
%% logger's supervisor under `kernel_sup`, as erl's kernel has them. OTP's
%% own modules add their servers to these on demand (timer:start/0 adds
%% `timer_server` to `kernel_sup`), and the logger's handler processes run
%% under `logger_sup`.
%%
%% start/0 is called by init before the command line's items run: it
%% starts OTP's logger server (registered as `logger`), the supervisors,
%% and the logger's `default` handler (OTP's logger_std_h on standard_io),
%% configured as erl's kernel configures it by default.
%%
%% There is no application controller yet, but OTP's modules read
%% application environments (application:get_env/2) straight from its
%% table, `ac_tab`. start/0 creates that table, empty and owned by the
%% caller (init), so every key reads as unset, which is what erl's kernel
%% and stdlib have by default.
-module(oxbeam_kernel).
-behaviour(supervisor).

-export([start/0, init/1]).

start() ->
    ac_tab = ets:new(ac_tab, [set, public, named_table, {read_concurrency, true}]),
    {ok, _} = logger_server:start_link(),
    {ok, _} = supervisor:start_link({local, kernel_sup}, ?MODULE, kernel_sup),
    ok = logger:add_handler(default, logger_std_h,
                            #{filter_default => stop,
                              filters => default_handler_filters(),
                              formatter => {logger_formatter,
                                            #{legacy_header => true,
                                              single_line => false}}}),
    ok = logger:remove_handler(simple).

%% The filters kernel puts on its default handler (logger.erl's
%% get_default_handler_filters/0).
default_handler_filters() ->
    [{remote_gl, {fun logger_filters:remote_gl/2, stop}},
     {domain, {fun logger_filters:domain/2, {log, super, [otp, sasl]}}},
     {no_domain, {fun logger_filters:domain/2, {log, undefined, []}}}].

init(kernel_sup) ->
    SafeSup = #{id => kernel_safe_sup,
                start => {supervisor, start_link, [{local, kernel_safe_sup}, ?MODULE, safe]},
                restart => permanent,
                shutdown => infinity,
                type => supervisor,
                modules => [?MODULE]},
    LoggerSup = #{id => logger_sup,
                  start => {logger_sup, start_link, []},
                  restart => permanent,
                  shutdown => infinity,
                  type => supervisor,
                  modules => [logger_sup]},
    {ok, {#{strategy => one_for_all, intensity => 0, period => 1}, [SafeSup, LoggerSup]}};
init(safe) ->
    {ok, {#{strategy => one_for_one, intensity => 4, period => 3600}, []}}.
