%% Generates a corpus of varied terms on erl, for tests/etf_vs_erl.rs.
%%
%% term_corpus:main([OutFile, CountText]) writes, for each generated term T,
%% one line (the ~w text as UTF-8):
%%   T <hex default> <hex minor_version 0> <hex minor_version 2> <hex compressed>\t<~w of T>
%% and, for pairs of generated terms, lines:
%%   C <i> <j> <-1|0|1 by < and >> <== as 0/1> <=:= as 0/1>
%% A term's line starts with U instead of T when it holds a map of more than
%% 32 keys with atoms or funs in its keys: erl orders such a map by a hash of
%% atom-table indices, which another VM cannot share, so only its content can
%% be compared.
%% The seed is fixed, so the corpus is the same on every run (but for pids,
%% refs and funs, which name the running node's objects).
-module(term_corpus).
-export([main/1]).

main([OutFile, CountText]) ->
    Count = list_to_integer(CountText),
    rand:seed(exsss, {17, 4711, 2024}),
    Terms = fixed_terms() ++ [gen(3) || _ <- lists:seq(1, Count)],
    {ok, Out} = file:open(OutFile, [write, raw, binary]),
    lists:foreach(fun(T) -> ok = file:write(Out, term_line(T)) end, Terms),
    Indexed = list_to_tuple(Terms),
    N = tuple_size(Indexed),
    Pairs = [{I, I} || I <- lists:seq(1, N, 7)]
        ++ [{rand:uniform(N), rand:uniform(N)} || _ <- lists:seq(1, 4 * N)]
        ++ similar_pairs(Indexed),
    lists:foreach(fun({I, J}) ->
                          ok = file:write(Out, compare_line(I, J, element(I, Indexed), element(J, Indexed)))
                  end, Pairs),
    ok = file:close(Out).

term_line(T) ->
    Encodings = [term_to_binary(T),
                 term_to_binary(T, [{minor_version, 0}]),
                 term_to_binary(T, [{minor_version, 2}]),
                 term_to_binary(T, [compressed])],
    Hex = lists:join(" ", [binary:encode_hex(B) || B <- Encodings]),
    Kind = case order_depends_on_atom_indices(T) of
               true -> "U ";
               false -> "T "
           end,
    Text = unicode:characters_to_binary(io_lib:format("~w", [T])),
    iolist_to_binary([Kind, Hex, "\t", Text, "\n"]).

order_depends_on_atom_indices(T) when is_map(T), map_size(T) > 32 ->
    lists:any(fun has_atom_or_fun/1, maps:keys(T))
        orelse lists:any(fun order_depends_on_atom_indices/1, maps:values(T));
order_depends_on_atom_indices(T) when is_map(T) ->
    lists:any(fun order_depends_on_atom_indices/1, maps:keys(T) ++ maps:values(T));
order_depends_on_atom_indices(T) when is_tuple(T) ->
    lists:any(fun order_depends_on_atom_indices/1, tuple_to_list(T));
order_depends_on_atom_indices([H | T]) ->
    order_depends_on_atom_indices(H) orelse order_depends_on_atom_indices(T);
order_depends_on_atom_indices(_) ->
    false.

has_atom_or_fun(T) when is_atom(T); is_function(T) -> true;
has_atom_or_fun(T) when is_tuple(T) -> lists:any(fun has_atom_or_fun/1, tuple_to_list(T));
has_atom_or_fun([H | T]) -> has_atom_or_fun(H) orelse has_atom_or_fun(T);
has_atom_or_fun(T) when is_map(T) -> lists:any(fun has_atom_or_fun/1, maps:keys(T) ++ maps:values(T));
has_atom_or_fun(_) -> false.

compare_line(I, J, A, B) ->
    Cmp = if A < B -> -1; A > B -> 1; true -> 0 end,
    Eq = if A == B -> 1; true -> 0 end,
    Exact = if A =:= B -> 1; true -> 0 end,
    io_lib:format("C ~w ~w ~w ~w ~w~n", [I - 1, J - 1, Cmp, Eq, Exact]).

%% Pairs of terms that are close (same kind), where ordering is subtle.
similar_pairs(Terms) ->
    N = tuple_size(Terms),
    Kinds = [{I, kind(element(I, Terms))} || I <- lists:seq(1, N)],
    ByKind = lists:foldl(fun({I, K}, Acc) -> maps:update_with(K, fun(L) -> [I | L] end, [I], Acc) end,
                         #{}, Kinds),
    lists:append([pairs_within(Is) || Is <- maps:values(ByKind)]).

pairs_within(Is) ->
    T = list_to_tuple(Is),
    N = tuple_size(T),
    [{element(rand:uniform(N), T), element(rand:uniform(N), T)} || _ <- lists:seq(1, min(200, 4 * N))].

kind(T) when is_number(T) -> number;
kind(T) when is_atom(T) -> atom;
kind(T) when is_reference(T) -> reference;
kind(T) when is_function(T) -> function;
kind(T) when is_port(T) -> port;
kind(T) when is_pid(T) -> pid;
kind(T) when is_tuple(T) -> tuple;
kind(T) when is_map(T) -> map;
kind(T) when is_list(T) -> list;
kind(T) when is_bitstring(T) -> bitstring.

%% Terms at the edges of each encoding.
fixed_terms() ->
    Ints = [0, 1, -1, 255, 256, -256, 2147483647, 2147483648, -2147483648, -2147483649,
            (1 bsl 59) - 1, 1 bsl 59, -(1 bsl 59), -(1 bsl 59) - 1, (1 bsl 64) - 1, 1 bsl 64,
            -(1 bsl 64), 1 bsl 2040, (1 bsl 2040) - 1, 1 bsl 2048, -(1 bsl 3000) + 12345],
    Floats = [0.0, -0.0, 1.0, -1.0, 0.1, 1/3, 1.0e15, 1.0e16, 123456789012345680.0, 1.0e-4,
              1.0e-5, 5.0e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 100.0,
              1.0e22, 1.0e23, 9007199254740993.0, 0.5, 3.14159, -2.5e-10],
    Atoms = ['', a, 'A', 'hello world', 'case', 'of', 'end', 'a@b', a_B9, 'é', 'héllo', 'Ärger',
             '日本語', 'smile😀', 'quote\'s', 'back\\slash', 'new\nline', 'tab\there', [],
             '[]', '{}', 'true', 'false', 'nil', 'ok', 'a.b', '_x', '9', 'ß', '×', 'þorn',
             list_to_atom(lists:duplicate(255, $z)), list_to_atom(lists:duplicate(255, 16#1F600))],
    Lists = [[], [1, 2, 3], "hello", [1 | 2], [a | b], [[]], [256, 1], lists:seq(1, 300),
             lists:duplicate(65535, $x), lists:duplicate(65536, $y), [1.5, -3], "é日",
             [[1, 2] | [3 | 4]]],
    Bins = [<<>>, <<1, 2, 3>>, <<0:1>>, <<1, 2:3>>, <<255:7>>, list_to_binary(lists:seq(0, 255)),
            binary:copy(<<"abc">>, 100), <<7:65>>, element(2, split_binary(<<1, 2, 3, 4, 5>>, 2))],
    Tuples = [{}, {a}, {1, 2}, list_to_tuple(lists:seq(1, 255)), list_to_tuple(lists:seq(1, 256)),
              {{}, [], <<>>, #{}}],
    Maps = [#{}, #{a => 1}, #{1 => a, 1.0 => b}, #{[] => x, {} => y, <<>> => z},
            maps:from_list([{I, I * I} || I <- lists:seq(1, 32)]),
            maps:from_list([{I, I * I} || I <- lists:seq(1, 33)]),
            maps:from_list([{I, I} || I <- lists:seq(1, 200)]),
            maps:from_list([{list_to_atom("k" ++ integer_to_list(I)), I} || I <- lists:seq(1, 60)]),
            maps:from_list([{integer_to_binary(I), {I}} || I <- lists:seq(1, 100)]),
            maps:from_list([{float(I), I} || I <- lists:seq(1, 40)] ++ [{I, I} || I <- lists:seq(1, 40)])],
    Others = [self(), make_ref(), list_to_port("#Port<0.5>"), fun lists:map/2,
              erlang:make_fun('A b', 'c d', 3), fun erlang:'+'/2,
              fun() -> ok end, closure(7), closure([a, b]), closure(self()),
              external_pid(), external_port(), external_ref(), list_to_pid("<0.1000.3>")],
    Ints ++ [-I || I <- Ints] ++ Floats ++ [-F || F <- Floats] ++ Atoms ++ Lists ++ Bins
        ++ Tuples ++ Maps ++ Others.

closure(X) -> fun(Y) -> {X, Y} end.

%% Terms of another node, built from hand-written external format bytes.
external_pid() ->
    binary_to_term(<<131, 88, 119, 10, "other@host", 0, 0, 0, 42, 0, 0, 0, 7, 0, 0, 0, 3>>).

external_port() ->
    binary_to_term(<<131, 120, 119, 10, "other@host", 0, 0, 0, 0, 0, 0, 0, 99, 0, 0, 0, 3>>).

external_ref() ->
    binary_to_term(<<131, 90, 0, 3, 119, 10, "other@host", 0, 0, 0, 3, 1:32, 2:32, 3:32>>).

%% A random term, at most Depth levels of containers deep.
gen(0) -> gen_leaf();
gen(Depth) ->
    case rand:uniform(10) of
        N when N =< 5 -> gen_leaf();
        6 -> list_to_tuple(gen_list(Depth - 1, rand:uniform(5) - 1));
        7 -> gen_list(Depth - 1, rand:uniform(6) - 1);
        8 -> gen_improper(Depth - 1);
        9 -> maps:from_list([{gen(Depth - 1), gen(Depth - 1)} || _ <- lists:seq(1, rand:uniform(6) - 1)]);
        10 -> maps:from_list([{gen_large_map_key(), gen_leaf()} || _ <- lists:seq(1, 30 + rand:uniform(40))])
    end.

gen_list(Depth, Len) -> [gen(Depth) || _ <- lists:seq(1, Len)].

gen_improper(Depth) ->
    gen_list(Depth, rand:uniform(3)) ++ gen_leaf_nonlist().

%% Keys whose hash does not involve atom indices (see U lines; the fixed
%% terms have large maps with atom keys).
gen_large_map_key() ->
    K = gen_leaf(),
    case has_atom_or_fun(K) of
        true -> gen_large_map_key();
        false -> K
    end.

gen_leaf_nonlist() ->
    case gen_leaf() of
        L when is_list(L) -> gen_leaf_nonlist();
        T -> T
    end.

gen_leaf() ->
    case rand:uniform(12) of
        1 -> rand:uniform(256) - 1;
        2 -> rand:uniform(1 bsl 40) - (1 bsl 39);
        3 -> (rand:uniform(1 bsl 62) - (1 bsl 61)) * (rand:uniform(1 bsl 62));
        4 -> rand:uniform(1 bsl 70) * (1 bsl rand:uniform(300)) * pick([1, -1]);
        5 -> random_float();
        6 -> pick(['', x, 'Y', 'with space', 'é', 'ünï', '日本', 'if', 'x@y', 'ok', 'true']);
        7 -> [rand:uniform(300) - 1 || _ <- lists:seq(1, rand:uniform(8) - 1)];
        8 -> rand:bytes(rand:uniform(80) - 1);
        9 -> Bytes = rand:bytes(rand:uniform(10)),
             Bits = rand:uniform(7),
             <<Bytes/binary, (rand:uniform(1 bsl Bits) - 1):Bits>>;
        10 -> rand:uniform(2000) - 1000 + 0.5;
        11 -> pick([self(), make_ref(), list_to_port("#Port<0.7>"), fun lists:reverse/1,
                    closure(rand:uniform(100))]);
        12 -> rand:bytes(65 + rand:uniform(200))
    end.

random_float() ->
    <<F/float>> = <<(random_finite_bits()):64>>,
    F.

random_finite_bits() ->
    Bits = rand:uniform(1 bsl 64) - 1,
    case (Bits bsr 52) band 16#7FF of
        16#7FF -> random_finite_bits();
        _ -> Bits
    end.

pick(List) -> lists:nth(rand:uniform(length(List)), List).
