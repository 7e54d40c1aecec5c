%% Workload: text processing with re, string and unicode. A generated web
%% server log (with some unicode user names and malformed lines) and a CSV
%% inventory are parsed: lines split with re:split, fields extracted with
%% named captures, case normalised with string:casefold, words counted,
%% values summed; the result is a summary of what was found.
-module(w_textproc).
-export([main/0]).

main() ->
    Log = log_text(600),
    Csv = csv_text(300),
    LogStats = log_stats(Log),
    CsvStats = csv_stats(Csv),
    LogStats ++ CsvStats ++ words(Log) ++ transforms().

%% ---- generated input -------------------------------------------------------

users() -> {"alice", "Bob", "chloé", "DMITRI", "Øystein", "zoë", "Ævar", "li"}.
paths() -> {"/", "/index.html", "/api/v1/items", "/api/v1/items/42", "/static/app.js",
            "/login", "/search?q=caf%C3%A9", "/admin"}.
methods() -> {"GET", "GET", "GET", "POST", "PUT", "DELETE"}.
statuses() -> {200, 200, 200, 201, 301, 404, 500, 403}.

next(Seed) -> (Seed * 1103515245 + 12345) rem 2147483648.

pick(Tuple, Seed) -> element(Seed rem tuple_size(Tuple) + 1, Tuple).

log_text(N) -> unicode:characters_to_binary(log_lines(N, 17, [])).

log_lines(0, _, Acc) -> lists:reverse(Acc);
log_lines(N, Seed, Acc) ->
    S1 = next(Seed), S2 = next(S1), S3 = next(S2), S4 = next(S3), S5 = next(S4),
    Line = case S5 rem 23 of
               0 -> "garbage line without structure\n";
               1 -> "\n";
               _ ->
                   io_lib:format("~B.~B.~B.~B - ~ts [2024-03-~2..0B ~2..0B:~2..0B:~2..0B] \"~s ~s HTTP/1.1\" ~B ~B~s",
                                 [10, S1 rem 4, S2 rem 8, S3 rem 250, pick(users(), S2),
                                  S4 rem 28 + 1, S1 rem 24, S2 rem 60, S3 rem 60,
                                  pick(methods(), S3), pick(paths(), S4), pick(statuses(), S5),
                                  S1 rem 50000, case S5 rem 3 of 0 -> "\r\n"; _ -> "\n" end])
           end,
    log_lines(N - 1, S5, [Line | Acc]).

csv_text(N) ->
    Header = "sku;name;category;qty;price\n",
    Rows = [csv_row(I) || I <- lists:seq(1, N)],
    unicode:characters_to_binary([Header | Rows]).

csv_row(I) ->
    Names = {"Widget", "Gadget", "Sprocket", "Gizmo", "Doohickey", "Thingamajig"},
    Cats = {"tools", "Toys", "TOOLS", "garden", "Garden ", " kitchen"},
    Seed = next(I * 7919),
    io_lib:format("SKU-~5..0B;~s ~s;~s;~B;~B.~2..0B\n",
                  [I, pick(Names, Seed), pick({"mini", "max", "pro", "lite"}, Seed div 7),
                   pick(Cats, Seed div 11), Seed rem 90, Seed rem 200, Seed rem 100]).

%% ---- the log ---------------------------------------------------------------

log_re() ->
    {ok, MP} = re:compile(
                 "^(?<ip>\\d+\\.\\d+\\.\\d+\\.\\d+) - (?<user>\\S+) "
                 "\\[(?<date>[\\d-]+) (?<hour>\\d\\d):\\d\\d:\\d\\d\\] "
                 "\"(?<method>[A-Z]+) (?<path>\\S+) HTTP/[\\d.]+\" "
                 "(?<status>\\d{3}) (?<bytes>\\d+)$", [unicode]),
    MP.

log_stats(Log) ->
    Lines = re:split(Log, "\\r?\\n", [unicode, trim]),
    MP = log_re(),
    Parsed = [re:run(L, MP, [{capture, [ip, user, hour, method, path, status, bytes], binary}])
              || L <- Lines],
    Entries = [E || {match, E} <- Parsed],
    Bad = length([x || nomatch <- Parsed]),
    ByStatus = count([binary_to_integer(S) || [_, _, _, _, _, S, _] <- Entries]),
    ByUser = count([string:casefold(U) || [_, U, _, _, _, _, _] <- Entries]),
    ByHour = count([binary_to_integer(H) div 6 || [_, _, H, _, _, _, _] <- Entries]),
    Bytes = lists:sum([binary_to_integer(B) || [_, _, _, _, _, _, B] <- Entries]),
    ApiPaths = [P || [_, _, _, _, P, _, _] <- Entries, re:run(P, "^/api/v\\d+/", [{capture, none}]) =:= match],
    ItemIds = lists:usort([binary_to_integer(Id) || P <- ApiPaths,
                                                   {match, [Id]} <- [re:run(P, "/items/(\\d+)$", [{capture, all_but_first, binary}])]]),
    Subnets = lists:usort([Net || [Ip | _] <- Entries,
                                  {match, [Net]} <- [re:run(Ip, "^(\\d+\\.\\d+)\\.", [{capture, all_but_first, list}])]]),
    Errors = [{M, P} || [_, _, _, M, P, S, _] <- Entries, re:run(S, "^5") =/= nomatch],
    Queries = [uri_decode(Q) || [_, _, _, _, P, _, _] <- Entries,
                                {match, [Q]} <- [re:run(P, "[?&]q=([^&]*)", [{capture, all_but_first, binary}])]],
    [{lines, length(Lines)},
     {parsed, length(Entries)},
     {malformed, Bad},
     {by_status, ByStatus},
     {by_user, [{unicode:characters_to_binary(U), C} || {U, C} <- ByUser]},
     {by_quarter_day, ByHour},
     {bytes_total, Bytes},
     {api_requests, length(ApiPaths)},
     {item_ids, ItemIds},
     {subnets, Subnets},
     {server_errors, length(Errors)},
     {first_errors, lists:sublist(lists:usort(Errors), 3)},
     {queries, lists:usort(Queries)},
     {non_ascii_users, lists:usort([U || [_, U, _, _, _, _, _] <- Entries,
                                         re:run(U, "[^\\x00-\\x7f]", [unicode]) =/= nomatch])}].

uri_decode(Bin) ->
    Decoded = re:replace(Bin, "%([0-9A-Fa-f]{2})", "\\1", [global, {return, list}]),
    %% the replace keeps the hex digits: decode them here
    unicode:characters_to_list(list_to_binary(hex_pairs(Bin)), unicode) ++ [$| | Decoded].

hex_pairs(<<$%, A, B, Rest/binary>>) -> [list_to_integer([A, B], 16) | hex_pairs(Rest)];
hex_pairs(<<C, Rest/binary>>) -> [C | hex_pairs(Rest)];
hex_pairs(<<>>) -> [].

%% ---- the CSV ---------------------------------------------------------------

csv_stats(Csv) ->
    [Header | Rows] = re:split(Csv, "\n", [trim, {return, list}, unicode]),
    Columns = re:split(Header, ";", [{return, list}]),
    Records = [re:split(R, ";", [{return, list}]) || R <- Rows],
    Valid = [R || R <- Records, length(R) =:= length(Columns)],
    Cats = count([string:casefold(string:trim(C)) || [_, _, C, _, _] <- Valid]),
    Value = lists:sum([list_to_integer(Q) * price_cents(P) || [_, _, _, Q, P] <- Valid]),
    Skus = [S || [S | _] <- Valid],
    SkuOk = lists:all(fun(S) -> re:run(S, "^SKU-\\d{5}$", [{capture, none}]) =:= match end, Skus),
    Kinds = count([K || [_, N | _] <- Valid,
                        {match, [K]} <- [re:run(N, "\\s(\\w+)$", [{capture, all_but_first, list}])]]),
    OutOfStock = length([x || [_, _, _, "0", _] <- Valid]),
    [{columns, Columns},
     {rows, length(Valid)},
     {categories, Cats},
     {stock_value_cents, Value},
     {skus_well_formed, SkuOk},
     {kinds, Kinds},
     {out_of_stock, OutOfStock}].

price_cents(P) ->
    {match, [E, C]} = re:run(P, "^(\\d+)\\.(\\d\\d)$", [{capture, all_but_first, list}]),
    list_to_integer(E) * 100 + list_to_integer(C).

%% ---- words -----------------------------------------------------------------

words(Log) ->
    {match, Found} = re:run(Log, "[\\p{L}]+", [unicode, global, {capture, first, binary}]),
    Words = [string:casefold(W) || [W] <- Found],
    Counts = count(Words),
    Top = lists:sublist(lists:sort(fun({A, X}, {B, Y}) -> {Y, A} =< {X, B} end, Counts), 8),
    Lengths = count([string:length(W) || W <- Words]),
    [{word_total, length(Words)},
     {word_distinct, length(Counts)},
     {word_top, Top},
     {word_lengths, Lengths}].

%% ---- small transforms ------------------------------------------------------

transforms() ->
    Text = <<"  The Quick  brown FOX — jumps over   the lazy dog; café, naïve, Ærø.  "/utf8>>,
    [{squeeze, re:replace(string:trim(Text), "\\s+", " ", [global, unicode, {return, binary}])},
     {title_case, [string:titlecase(string:casefold(W))
                   || W <- re:split(string:trim(Text), "[\\s;,.—]+", [unicode, trim, {return, binary}]), W =/= <<>>]},
     {snake, re:replace(<<"parseHTTPResponseCode">>, "([a-z])([A-Z])", "\\1_\\2", [global, {return, list}])},
     {dates, re:replace("2024-03-07 and 1999-12-31", "(\\d{4})-(\\d\\d)-(\\d\\d)", "\\3/\\2/\\1",
                        [global, {return, list}])},
     {vowels, length(element(2, re:run(Text, "[aeiouæøéï]", [unicode, caseless, global])))},
     {accents_stripped, unicode:characters_to_binary(
                          [C || C <- unicode:characters_to_nfd_list(<<"café naïve Ærø"/utf8>>), C < 16#300 orelse C > 16#36F])}].

count(Items) ->
    lists:sort(maps:to_list(lists:foldl(fun(K, M) -> maps:update_with(K, fun(V) -> V + 1 end, 1, M) end,
                                         #{}, Items))).
