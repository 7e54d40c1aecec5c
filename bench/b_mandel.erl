%% Float loops: the Mandelbrot set on a grid, counting the points that stay
%% bounded and summing the iteration counts.
-module(b_mandel).
-export([run/0]).

-define(SIZE, 600).
-define(MAX_ITER, 100).

run() -> rows(0, 0, 0).

rows(?SIZE, Inside, Iters) -> {Inside, Iters};
rows(Y, Inside, Iters) ->
    Ci = 2.0 * Y / ?SIZE - 1.0,
    {In, It} = cols(0, Ci, Inside, Iters),
    rows(Y + 1, In, It).

cols(?SIZE, _Ci, Inside, Iters) -> {Inside, Iters};
cols(X, Ci, Inside, Iters) ->
    Cr = 2.0 * X / ?SIZE - 1.5,
    case iterate(0.0, 0.0, Cr, Ci, 0) of
        ?MAX_ITER -> cols(X + 1, Ci, Inside + 1, Iters + ?MAX_ITER);
        N -> cols(X + 1, Ci, Inside, Iters + N)
    end.

iterate(_Zr, _Zi, _Cr, _Ci, ?MAX_ITER) -> ?MAX_ITER;
iterate(Zr, Zi, Cr, Ci, N) ->
    Zr2 = Zr * Zr,
    Zi2 = Zi * Zi,
    if
        Zr2 + Zi2 > 4.0 -> N;
        true -> iterate(Zr2 - Zi2 + Cr, 2.0 * Zr * Zi + Ci, Cr, Ci, N + 1)
    end.
