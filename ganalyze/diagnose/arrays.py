"""Array helpers the run-metadata inference shares (:mod:`ganalyze.diagnose.metadata`, :mod:`~.loss_family`,
:mod:`~.reduction`, :mod:`~.log_facts`): a loss column's values without a float64 copy of a long run, strided samples
of at most :data:`MAX_SAMPLE` rows, finite ranges, the row-to-row noise and the logging interval.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

MAX_SAMPLE = 500_000


def num(df, name):
    """The column's values: the frame's own array for float64 and float32 columns (a float32
    column is never copied whole; every sample taken from it is converted to float64 by
    :func:`f64`, so results equal those of the same values held as float64), else converted
    to float64."""
    if name not in df.columns:
        return None
    col = df[name]
    if col.dtype in (np.float64, np.float32):
        return col.to_numpy(copy=False)
    return pd.to_numeric(col, errors="coerce").to_numpy(dtype="float64")


def f64(x: np.ndarray) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def finite_sample(x: np.ndarray) -> np.ndarray:
    """The finite values of ``x`` (float64), evenly strided down to at most MAX_SAMPLE rows
    (robust shares and quantiles do not need 10 M rows; exact extremes use :func:`finite_range`)."""
    if len(x) > MAX_SAMPLE:
        x = x[:: len(x) // MAX_SAMPLE]
    return f64(x[np.isfinite(x)])


def finite_range(x: np.ndarray):
    """(min, max) over the finite values (NaN ignored, +-inf skipped), NaN when there are none."""
    lo, hi = np.fmin.reduce(x) if len(x) else np.nan, np.fmax.reduce(x) if len(x) else np.nan
    if not (np.isfinite(lo) and np.isfinite(hi)) and len(x):
        f = x[np.isfinite(x)]
        lo, hi = (f.min(), f.max()) if len(f) else (np.nan, np.nan)
    return float(lo), float(hi)


def log_interval(steps: np.ndarray) -> int:
    """Median gap between logged steps (1 for a single row); subsampled on very long runs."""
    if len(steps) < 2:
        return 1
    stride = max(1, len(steps) // 100_000)
    gaps = np.diff(steps[::stride]) / stride
    return max(round(float(np.median(gaps))), 1)


def noise(x: np.ndarray) -> float:
    """Robust std of the row-to-row noise: 1.4826 MAD of the first differences / sqrt(2)."""
    dx = np.diff(x[np.isfinite(x)])
    if len(dx) < 4:
        return float("nan")
    return float(1.4826 * np.median(np.abs(dx - np.median(dx))) / math.sqrt(2))


def first_finite(x) -> float:
    """The first finite value in the first 10,000 rows of a loss column ``x`` (NaN without one, or
    without the column): the level a log starts at (the critic-scale note, the rules' exploded loss)."""
    head = f64(x[:10_000]) if x is not None else np.array([])
    fin = np.isfinite(head)
    return float(head[np.argmax(fin)]) if fin.any() else float("nan")
