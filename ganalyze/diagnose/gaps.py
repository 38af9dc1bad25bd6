"""Gaps in a log: stretches of the run with no row, where a notebook's output was trimmed (Colab and
Jupyter keep the head and tail of a long cell's output), a saved output lost some epochs, or a logger
stopped and restarted. What the run did in a gap is not in the log; the diagnosis says so and reads
the rows either side as consecutive, so no window straddles a gap with one row on its far side.
"""
from __future__ import annotations

import numpy as np

#: a step difference this many times the log's median interval is a gap (a print every N steps with
#: an odd late or early row stays well under it; set a priori, nothing fitted)
GAP_FACTOR = 5.0
#: more gaps than this are a logging pattern (bursts of rows once an epoch), not lost output
MAX_GAPS = 3
#: gaps that together leave out less than this share of the logged span are not worth a word
MIN_MISSING_SHARE = 0.1
#: a log needs at least this many rows for its median interval to say what a gap is
MIN_ROWS = 8
#: the median interval is taken over an even sample of about this many intervals (a 10-million-row log's
#: median costs 0.7 s; the sample's, a millisecond)
MEDIAN_SAMPLE = 100_000


def log_gaps(steps: np.ndarray) -> list[tuple[int, int]]:
    """(last step before, first step after) of each gap in a step-sorted log, or [] where there is
    none by the definition above (a jump over :data:`GAP_FACTOR` x the median interval, at most
    :data:`MAX_GAPS` of them, together over :data:`MIN_MISSING_SHARE` of the span)."""
    steps = np.asarray(steps)
    if len(steps) < MIN_ROWS:
        return []
    d = np.diff(steps).astype("float64")
    sample = d[:: max(1, len(d) // MEDIAN_SAMPLE)]          # the median interval from an even sample of them
    positive = sample[sample > 0]
    if not len(positive):
        return []
    med = float(np.median(positive))
    at = np.flatnonzero(d > GAP_FACTOR * med)
    span = steps[-1] - steps[0]
    if not len(at) or len(at) > MAX_GAPS or span <= 0 or (d[at] - med).sum() < MIN_MISSING_SHARE * span:
        return []
    return [(int(steps[i]), int(steps[i + 1])) for i in at]


def close_gaps(steps: np.ndarray, gaps: list[tuple[int, int]]) -> np.ndarray:
    """The steps with each gap shut to the median interval: what the windows are laid over, so rows
    either side of a gap read as consecutive (the steps reported stay the log's own)."""
    steps = np.asarray(steps, dtype="int64")
    if not gaps:
        return steps
    d = np.diff(steps)
    sample = d[:: max(1, len(d) // MEDIAN_SAMPLE)]
    med = int(max(1, np.median(sample[sample > 0])))
    shift = np.zeros(len(steps), dtype="int64")
    for before, after in gaps:
        shift[steps >= after] += after - before - med
    return steps - shift


def missing_share(steps: np.ndarray, gaps: list[tuple[int, int]]) -> float:
    """The share of the logged span (first to last step) that the gaps leave without a row."""
    steps = np.asarray(steps, dtype="int64")
    span = max(int(steps[-1]) - int(steps[0]), 1)
    return float(sum(b - a for a, b in gaps)) / span
