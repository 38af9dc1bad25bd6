"""Reduce a long series to what a screen can show without hiding spikes.

A 10-million-point line drawn into 2,000 pixel columns is, on screen, one vertical bar per
column from the column's minimum to its maximum. :func:`minmax_decimate` keeps exactly those
two values per column, so the picture matches plotting every point but costs 2 points per
column. Plain subsampling (every k-th point) would silently drop the one-step spikes that are
often the most important thing in a GAN log.

Convention: within one column the minimum is placed at the column's first step and the maximum
at its last step, i.e. a point's position is exact only to the column's width (one pixel at the
intended resolution). Smooth *before* decimating: an EMA of the decimated series is not the EMA
of the series.
"""
from __future__ import annotations

import numpy as np


def minmax_decimate(x, y, n_columns: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """Keep the min and the max of ``y`` in each of ``n_columns`` equal-width bins of ``x``.

    ``x`` must be increasing (steps). NaN values of ``y`` are ignored (a column of only NaN
    keeps NaN, so a line shows a gap there); +/-inf are kept (they are findings).
    Returns at most ``2 * n_columns`` points, in ``x`` order. Series already short enough are
    returned unchanged (as float arrays). Cost: two ``reduceat`` passes, ~10 ms per 10M points.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"x and y must be 1-D of the same length, got {x.shape} and {y.shape}")
    if n_columns < 1:
        raise ValueError(f"n_columns must be >= 1, got {n_columns}")
    if len(x) <= 2 * n_columns:
        return x, y
    edges = np.linspace(x[0], x[-1], n_columns + 1)
    starts = np.unique(np.searchsorted(x, edges[:-1], side="left"))
    starts = starts[starts < len(x)]
    starts[0] = 0
    ends = np.append(starts[1:], len(x)) - 1
    col_min = np.fmin.reduceat(y, starts)
    col_max = np.fmax.reduceat(y, starts)
    out_x = np.empty(2 * len(starts))
    out_y = np.empty(2 * len(starts))
    out_x[0::2], out_x[1::2] = x[starts], x[ends]
    out_y[0::2], out_y[1::2] = col_min, col_max
    return out_x, out_y
