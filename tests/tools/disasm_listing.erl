%% Prints OTP's view of .beam files, from beam_disasm:file/1, in the
%% normalised form of `oxbeam dis --normalized`:
%%
%%   module M MD5
%%   function F Arity EntryLabel
%%   genop_name Operand...
%%
%% where each instruction line gives the generic instruction's name (mapping
%% beam_disasm's grouped forms {test,Op,...}, {bif,...}, {gc_bif,...},
%% {arithfbif,...} back to genop names) and then, in operand order, its
%% x/y/fr registers, labels (fN), atoms (raw text), [] and integers.
%% Everything else (unsigned numbers, strings, import and lambda references)
%% is left out, and so are literals and floats unless asked for: with the
%% extra argument `literals` they are printed with ~w (the form of
%% `oxbeam dis --normalized-with-literals`).
%%
%% Usage: erl -noshell -pa DIR -run disasm_listing main LISTFILE OUTFILE [literals]
%% where LISTFILE names one .beam file per line. A file beam_disasm cannot
%% read gives the line "error File Reason".
-module(disasm_listing).
-export([main/1]).

-record(beam_file, {module, labeled_exports = [], attributes = [],
                    compile_info = [], code = []}).
-record(function, {name, arity, entry, code = []}).
-record(tr, {r, t}).

main([ListFile, OutFile]) ->
    main([ListFile, OutFile, "no_literals"]);
main([ListFile, OutFile, Literals]) ->
    put(literals, Literals =:= "literals"),
    {ok, List} = file:read_file(ListFile),
    Files = [binary_to_list(F) || F <- binary:split(List, <<"\n">>, [global]), F =/= <<>>],
    {ok, Out} = file:open(OutFile, [write, raw, binary, delayed_write]),
    lists:foreach(fun(F) -> ok = file:write(Out, file_listing(F)) end, Files),
    ok = file:close(Out),
    halt(0).

file_listing(File) ->
    case beam_disasm:file(File) of
        #beam_file{module = M, code = Functions} ->
            Entries = maps:from_list([{{M, N, A}, E}
                                      || #function{name = N, arity = A, entry = E} <- Functions]),
            {ok, {M, MD5}} = beam_lib:md5(File),
            [<<"module ">>, atom_to_binary(M), $\s, hex(MD5), $\n
             | [function_listing(F, Entries) || F <- restore_prefix_order(Functions)]];
        Error ->
            io_lib:format("error ~s ~w~n", [File, Error])
    end.

%% beam_disasm moves the label and line instructions before each func_info
%% into that function, but for every function after the first it reverses
%% them (its labels_r/2 accumulates them backwards); put them back in file
%% order.
restore_prefix_order([First | Rest]) ->
    [First | [F#function{code = restore_prefix(Is)} || #function{code = Is} = F <- Rest]];
restore_prefix_order([]) ->
    [].

restore_prefix(Is) ->
    {Prefix, Rest} = lists:splitwith(fun(I) -> element(1, I) =/= func_info end, Is),
    lists:reverse(Prefix, Rest).

function_listing(#function{name = N, arity = A, entry = E, code = Is}, Entries) ->
    [<<"function ">>, atom_to_binary(N), $\s, integer_to_binary(A), $\s,
     integer_to_binary(E), $\n
     | [[atom_to_binary(name(I)), leaves(operands(I, Entries)), $\n] || I <- Is]].

hex(Bin) ->
    [io_lib:format("~2.16.0b", [B]) || <<B>> <= Bin].

%% The generic instruction behind a beam_disasm form.
name({test, Op, _, _}) -> Op;
name({test, has_map_fields, _, _, _}) -> has_map_fields;
name({bif, _, nofail, [], _}) -> bif0;
name({bif, _, _, [_], _}) -> bif1;
name({bif, _, _, [_, _], _}) -> bif2;
name({gc_bif, _, _, _, Args, _}) -> list_to_atom("gc_bif" ++ integer_to_list(length(Args)));
name({arithfbif, Op, _, _, _}) -> Op;
name(I) when is_tuple(I) -> element(1, I);
name(I) when is_atom(I) -> I.

%% The parts of an instruction that hold its operands, with local calls'
%% {M,F,A} turned back into the entry label they name.
operands({call, N, MFA}, Entries) -> [N, {f, maps:get(MFA, Entries)}];
operands({call_last, N, MFA, D}, Entries) -> [N, {f, maps:get(MFA, Entries)}, D];
operands({call_only, N, MFA}, Entries) -> [N, {f, maps:get(MFA, Entries)}];
operands({raise, {f, 0}, Regs, {x, 0}}, _) -> Regs;
operands({make_fun2, _MFA, _, _, _}, _) -> [];
operands({make_fun3, _MFA, _, _, Dst, Env}, _) -> [Dst, Env];
operands({bif, _Name, F, Args, Dst}, _) -> [F, Args, Dst];
operands({gc_bif, _Name, F, Live, Args, Dst}, _) -> [F, Live, Args, Dst];
operands({arithfbif, _Op, F, Args, Dst}, _) -> [F, Args, Dst];
operands({test, _Op, F, Args}, _) -> [F, Args];
operands({test, _Op, F, Src, List}, _) -> [F, Src, List];
operands(I, _) when is_tuple(I) -> tl(tuple_to_list(I));
operands(_, _) -> [].

leaves(Operands) -> lists:reverse(leaves(Operands, [])).

leaves({x, N}, Acc) when is_integer(N) -> [[<<" x">>, integer_to_binary(N)] | Acc];
leaves({y, N}, Acc) when is_integer(N) -> [[<<" y">>, integer_to_binary(N)] | Acc];
leaves({fr, N}, Acc) when is_integer(N) -> [[<<" fr">>, integer_to_binary(N)] | Acc];
leaves({f, N}, Acc) when is_integer(N) -> [[<<" f">>, integer_to_binary(N)] | Acc];
leaves({atom, A}, Acc) when is_atom(A) -> [[$\s, atom_to_binary(A)] | Acc];
leaves({integer, N}, Acc) when is_integer(N) -> [[$\s, integer_to_binary(N)] | Acc];
%% OTP 25's beam_disasm leaves bs_create_bin's operands undecoded.
leaves({i, N}, Acc) when is_integer(N) -> [[$\s, integer_to_binary(N)] | Acc];
leaves(nil, Acc) -> [<<" []">> | Acc];
leaves(#tr{r = R}, Acc) -> leaves(R, Acc);
leaves({literal, T}, Acc) -> literal(T, Acc);
leaves({float, F}, Acc) -> literal(F, Acc);
leaves({string, _}, Acc) -> Acc;
leaves({extfunc, _, _, _}, Acc) -> Acc;
leaves({field_flags, _}, Acc) -> Acc;
leaves({u, _}, Acc) -> Acc;
leaves({h, _}, Acc) -> Acc;
leaves(T, Acc) when is_tuple(T) -> leaves(tuple_to_list(T), Acc);
leaves([H | T], Acc) -> leaves(T, leaves(H, Acc));
leaves(_, Acc) -> Acc.

literal(T, Acc) ->
    case get(literals) of
        true -> [[$\s, io_lib:format("~w", [T])] | Acc];
        false -> Acc
    end.
