%% Records: creation with defaults, access, update, matching, record_info,
%% nested records and the errors of a wrong record.
-module(t_record).
-export([main/0, id/1]).

-record(person, {name, age = 0, email = none, tags = []}).
-record(point, {x = 0 :: integer(), y = 0 :: integer()}).
-record(line, {from = #point{}, to = #point{x = 1, y = 1}}).
-record(empty, {}).
-record(counter, {count = 0, history = []}).

main() ->
    P = id(#person{name = "Ann", age = 31}),
    P2 = P#person{email = "ann@example.org", tags = [admin]},
    L = id(#line{to = #point{x = 3, y = 4}}),
    People = [#person{name = N, age = A} || {N, A} <- [{"Bob", 25}, {"Cy", 40}, {"Di", 31}, {"Ed", 25}]],
    [{create, P},
     {defaults, #person{}},
     {access, {P#person.name, P#person.age, P#person.email}},
     {update, P2},
     {update_keeps_original, P},
     {update_many, P#person{name = "Anne", age = P#person.age + 1}},
     {field_index, {#person.name, #person.age, #person.tags, #point.y}},
     {record_info, {record_info(fields, person), record_info(size, person), record_info(fields, empty),
                    record_info(size, empty)}},
     {empty_record, #empty{}},
     {nested_default, #line{}},
     {nested, L},
     {nested_access, {(L#line.to)#point.x, L#line.to#point.y}},
     {nested_update, L#line{from = (L#line.from)#point{x = -1}}},
     {is_record, {is_record(P, person), is_record(P, point), is_record({person}, person),
                  is_record(id(#point{}), point, 3)}},
     {tuple_view, {element(1, P), tuple_size(P), setelement(#person.age, P, 99)}},
     {match_head, [greet(X) || X <- [P, P2, #person{name = "Kid", age = 5}]]},
     {match_case, [kind(X) || X <- [P, #point{x = 1}, L, #empty{}, {other}]]},
     {guard_field, [adult(X) || X <- People]},
     {keysort_by_field, [N || #person{name = N} <- lists:keysort(#person.age, People)]},
     {sort_by_fun, [N || #person{name = N} <- lists:sort(fun(A, B) -> {A#person.age, A#person.name} >=
                                                                 {B#person.age, B#person.name} end, People)]},
     {keyfind_by_field, lists:keyfind("Cy", #person.name, People)},
     {comprehension_filter, [N || #person{name = N, age = 25} <- People]},
     {counter, lists:foldl(fun bump/2, #counter{}, [a, b, c])},
     {distance, distance(L)},
     {wildcard_fields, #person{name = x, _ = filled}},
     {bad_record_access, ex(fun() -> (id(#point{}))#person.name end)},
     {bad_record_update, ex(fun() -> (id({not_a_record, 1}))#point{x = 5} end)},
     {bad_record_atom, ex(fun() -> (id(atom))#point.x end)},
     {record_match_fail, ex(fun() -> #point{x = 1} = id(#point{x = 2}) end)}].

id(X) -> X.

%% Value of F(), or {Class, Reason} of the exception it raises.
ex(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

greet(#person{name = Name, email = none}) -> {hello, Name};
greet(#person{name = Name, email = Email, tags = [admin | _]}) -> {hello_admin, Name, Email}.

kind(#person{}) -> person;
kind(#point{x = X, y = Y}) -> {point, X, Y};
kind(#line{from = #point{x = X}}) -> {line_from_x, X};
kind(#empty{}) -> empty;
kind(_) -> unknown.

adult(#person{name = N, age = A}) when A >= 30 -> {adult, N};
adult(#person{name = N}) -> {young, N}.

bump(Event, #counter{count = C, history = H} = Counter) ->
    Counter#counter{count = C + 1, history = [Event | H]}.

distance(#line{from = #point{x = X1, y = Y1}, to = #point{x = X2, y = Y2}}) ->
    math:sqrt((X2 - X1) * (X2 - X1) + (Y2 - Y1) * (Y2 - Y1)).
