"""Debiased exponential moving average, as TensorBoard's smoothing slider, step-aware.

For finite points ``x_i`` at steps ``s_i`` and the smoothed value at step ``s_t``::

    w   = 1 - 2 / (span + 1)          # decay per *step* (pandas' ``span`` convention)
    y_t = sum_{i<=t} w**(s_t - s_i) * x_i  /  sum_{i<=t} w**(s_t - s_i)

With one point per step this is exactly TensorBoard's debiased EMA
(``last = w*last + (1-w)*x; y = last / (1 - w**n)``); where steps are irregular a gap of
``g`` steps decays the old weight by ``w**g`` instead of ``w``, so a run logged every 50
steps and one logged every step smooth alike for the same ``span`` (measured in steps).
Computed on all points (no downsampling). Non-finite values (NaN, inf) are passed
through unchanged and do not enter the average (as TensorBoard). Note: the first few
smoothed values rest on few points (debiasing makes them unbiased, not less noisy).
Implemented with pandas' row-wise ``ewm`` for evenly spaced, all-finite series and its
time-aware ``ewm`` (steps as seconds) otherwise; agrees with the exact
recursion to ~1e-7 relative (pandas' time arithmetic), far below any loss noise.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ganalyze.errors import GanalyzeError


def debiased_ema(values, steps, span: float) -> np.ndarray:
    """Smoothed ``values`` (float64 array, same length); ``span`` in steps, >= 1."""
    try:
        span = float(span)
    except (TypeError, ValueError):
        raise GanalyzeError(f"span: got {span!r}; allowed: a number of steps >= 1") from None
    if not (span >= 1 and math.isfinite(span)):
        raise GanalyzeError(f"span: got {span!r}; allowed: a number of steps >= 1")
    x = np.asarray(values)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    s = np.asarray(steps)
    if x.shape != s.shape or x.ndim != 1:
        raise GanalyzeError(f"steps: got shape {s.shape} for values of shape {x.shape}; allowed: two 1-d arrays of equal length")
    finite = np.isfinite(x)
    if span == 1 or not finite.any():
        return x.astype(np.float64)
    increasing, even_gap = _gap_summary(s)
    if not increasing:
        raise GanalyzeError("steps: not strictly increasing; allowed: strictly increasing steps")
    # -ln(w) with w = 1 - 2/(span + 1), via log1p: positive for every finite span (w itself
    # rounds to 1.0 for spans over ~1e16, where ln(w) = 0 would divide by zero)
    neg_log_w = -math.log1p(-2.0 / (span + 1.0))
    if even_gap is not None and finite.all():
        # evenly spaced, all finite: the formula is pandas' row-wise ewm with alpha = 1 - w**gap
        # (~25x faster than the time-aware ewm on 10M rows); alpha kept > 0 for huge spans
        del finite                # a long run's memory: only x and the result from here on
        alpha = max(-math.expm1(-neg_log_w * even_gap), np.finfo(np.float64).tiny)
        return _ewm_blockwise(x, min(alpha, 1.0))
    x = np.asarray(x, dtype=np.float64)
    out = x.copy()
    halflife = math.log(2.0) / neg_log_w          # in steps
    xs = x[finite]
    # pandas' time-aware ewm computes exactly the formula above (adjust=True) on datetimes;
    # steps become nanosecond offsets from the first finite point. A gap of more than 64
    # half-lives leaves weights below 2**-64 (nothing, in float64), so longer gaps are
    # shortened to that; the offsets are then scaled to fit int64 nanoseconds whatever the
    # step values (steps near the int64 limits, 10**13-step gaps) and the half-life.
    g = step_gaps(s[finite]).astype(np.float64)
    np.minimum(g, 64.0 * halflife, out=g)
    offsets = np.concatenate([[0.0], np.cumsum(g)])
    scale = min(1e9, 2.0 ** 62 / max(float(offsets[-1]), halflife, 1.0))   # nanoseconds per step
    times = pd.to_datetime(np.round(offsets * scale).astype(np.int64), unit="ns")
    smoothed = pd.Series(xs).ewm(halflife=pd.Timedelta(nanoseconds=max(halflife * scale, 1.0)),
                                 times=times).mean()
    out[finite] = smoothed.to_numpy()
    return out


def _gap_summary(steps: np.ndarray, block: int = 1 << 21) -> tuple[bool, float | None]:
    """(strictly increasing?, the common gap as a float when every gap is the same, else None),
    from :func:`step_gaps` block by block (no gap array as long as the run)."""
    increasing, first, even = True, None, True
    for a in range(0, max(len(steps) - 1, 0), block):
        g = step_gaps(steps[a:a + block + 1])
        if not (g > 0).all():
            increasing = False
            break
        if first is None:
            first = g[0]
        even = even and bool((g == first).all())
    return increasing, (float(first) if increasing and even and first is not None else None)


def _ewm_blockwise(x: np.ndarray, alpha: float, block: int = 1 << 21) -> np.ndarray:
    """pandas' ``Series(x).ewm(alpha=alpha, adjust=True).mean()`` (float64), block by block:
    memory of one float64 result plus one block, whatever ``x``'s length and dtype.

    Within a block pandas gives ``y_j = num_j / den_j`` with ``den_j = sum_{i<=j} w**i``
    (``w = 1 - alpha``); the earlier blocks' numerator N and denominator D, decayed by
    ``w**(j+1)``, are added to both: ``(w**(j+1) N + y_j den_j) / (w**(j+1) D + den_j)``,
    the same average up to float64 rounding (measured <= 1e-9 relative over 1,400 blocks)."""
    out = np.empty(len(x), dtype=np.float64)
    log_w = math.log1p(-alpha) if alpha < 1.0 else -math.inf
    num = den = 0.0
    for a in range(0, len(x), block):
        xb = np.asarray(x[a:a + block], dtype=np.float64)
        yb = pd.Series(xb).ewm(alpha=alpha, adjust=True).mean().to_numpy()
        j = np.arange(1, len(xb) + 1, dtype=np.float64)
        with np.errstate(invalid="ignore"):
            decay = np.exp(j * log_w)                                   # w**(j+1) for row j
            den_b = -np.expm1(j * log_w) / alpha if alpha < 1.0 else np.ones(len(xb))   # sum_{i<=j} w**i
        if a == 0:
            out[:len(xb)] = yb
        else:
            out[a:a + len(xb)] = (decay * num + yb * den_b) / (decay * den + den_b)
        num = float(decay[-1] * num + yb[-1] * den_b[-1])
        den = float(decay[-1] * den + den_b[-1])
    return out


def step_gaps(steps) -> np.ndarray:
    """Differences of consecutive integer steps as uint64 where they are non-negative (exact
    even between -2**63 and 2**63 - 1, where int64 subtraction overflows); a negative
    difference (unsorted steps) comes back as 0."""
    s = np.asarray(steps)
    if len(s) < 2:
        return np.zeros(0, dtype=np.uint64)
    if not np.issubdtype(s.dtype, np.integer):
        d = np.diff(s.astype(np.float64))
        return np.where(d > 0, d, 0).astype(np.uint64)
    s = s.astype(np.int64, copy=False)
    up = s[1:] > s[:-1]
    d = s[1:].view(np.uint64) - s[:-1].view(np.uint64)   # modular: exact for s[1] > s[0]
    d[~up] = 0
    return d
