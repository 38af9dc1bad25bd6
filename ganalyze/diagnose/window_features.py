"""Per-window features of a logged run for the learned diagnosis: scale-free, per loss type,
per logging interval, robust to pre-averaged logs and to missing columns.

A run is looked at from *evaluation points* (every ``stride`` steps; the stride follows the
logging interval and caps the number of points per run, so cost follows rows, never steps).
Around each point, windows of several widths **in steps** (centred 100 / 400 / 1,600 and the
200 steps ahead) give statistics computed in O(rows) from prefix sums:

* losses (``d_loss``, ``g_loss``, ``d_loss_real``, ``d_loss_fake``): window mean as a robust
  z-score against the run (``(mean - run median) / run IQR``), as a multiple of the loss type's
  equilibrium level where one exists (``gan.py``-style levels: 2 ln 2 for a summed BCE D loss,
  ln 2 for a mean one and for the non-saturating G loss, ...), window std / run IQR, slope per
  1,000 steps / run IQR; the correlation of D's and G's losses and the rate at which their
  equilibrium-normalised values cross;
* D outputs (``d_x``, ``d_g_z``: after the D step when logged, else before): window means as
  probabilities (NaN for critics), and the critic gap ``(d_x - d_g_z) / run IQR``;
* gradient norms: log10 of the window mean, log10 ratio to the run median, relative std;
* the logged diversity ratio ``div_pdist_ratio``: window mean, std, its fraction of the best
  value logged so far and of the run's best (a fall from the best) — NaN when not logged;
* learning rates: log10 lr_D / lr_G, log10 of each against its first value, zero flags;
* non-finite losses (any so far; share in the window), the step (log10; not the share of the run,
  which would change as a live log grows) and the log itself: log10 of the logging interval, a pre-averaged flag, the loss
  family (one-hot) and the D-loss reduction.
Missing columns give NaN features (the tree model treats them as missing); a window with fewer
than 3 rows gives NaN for its statistics.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

LN2 = math.log(2.0)
LOSS_FAMILIES = ("nsgan", "minimax", "lsgan", "wgan-gp", "hinge")
WIDTHS = (100, 400, 1600)
AHEAD = 200
MAX_POINTS = 4000

#: the largest step the log_step feature tells apart (later steps read as this one)
STEP_CAP = 1000


@dataclass(frozen=True)
class LogMeta:
    """What the features need to know about the log (declared, read from the file, or guessed).
    ``loss``: one of LOSS_FAMILIES or "unknown"; ``d_loss_reduction``: sum | mean | unknown;
    ``scores``: probability | critic | unknown; ``averaged``: rows hold interval means."""

    loss: str = "unknown"
    d_loss_reduction: str = "unknown"
    scores: str = "unknown"
    averaged: bool = False


def equilibrium(loss: str, reduction: str) -> tuple[float, float]:
    """(D loss, G loss) at D's indifference point, in the run's units; NaN where not defined.
    BCE: D = 2 ln 2 summed (ln 2 as a mean), G = ln 2 (non-saturating) or -ln 2 (minimax's
    E[log(1 - D)]); LSGAN with 0.5*MSE terms: D 0.25 summed, G 0.125; hinge: D 2 summed, G 0;
    WGAN-GP: none (signed critic estimates)."""
    half = 0.5 if reduction == "mean" else 1.0 if reduction == "sum" else math.nan
    if loss == "nsgan":
        return 2 * LN2 * half, LN2
    if loss == "minimax":
        return 2 * LN2 * half, -LN2
    if loss == "lsgan":
        return 0.25 * half, 0.125
    if loss == "hinge":
        return 2.0 * half, math.nan
    return math.nan, math.nan


def feature_columns() -> list[str]:
    """The names of the features :func:`window_features` computes (the same for every log: a
    missing column gives NaN features, never fewer)."""
    frame = pd.DataFrame({"step": np.arange(8), "d_loss": np.ones(8), "g_loss": np.ones(8)})
    return list(window_features(frame, LogMeta()).columns)


def eval_points(steps: np.ndarray, max_points: int = MAX_POINTS, min_stride: int = 25) -> np.ndarray:
    """Evaluation steps: every ``stride`` steps from the first logged step to the last, where
    stride = max(min_stride, median logging interval, span / max_points)."""
    steps = np.asarray(steps, dtype=np.int64)
    if len(steps) == 0:
        return steps
    gap = int(_median_diff(steps)) if len(steps) > 1 else 1
    span = int(steps[-1] - steps[0])
    stride = max(min_stride, gap, math.ceil(span / max_points) if span else 1)
    return np.arange(steps[0], steps[-1] + 1, stride, dtype=np.int64)


BLOCK_ROWS = 1 << 15         # rows per block of a per-row pass (temporaries of 256 kB stay in cache)
ROBUST_SAMPLE = 1_000_000    # robust scales of longer columns: from an evenly strided sample


def _median_diff(x: np.ndarray) -> float:
    """``np.median(np.diff(x))`` (the same value) with one temporary instead of two: the
    differences are partitioned in place."""
    d = np.diff(x)
    k = len(d) // 2
    if len(d) % 2:
        d.partition(k)
        return float(d[k])
    d.partition([k - 1, k])
    return (float(d[k - 1]) + float(d[k])) / 2


def _exact_ints(steps: np.ndarray) -> bool:
    """Sorted integer steps whose differences are all exact in float64."""
    return steps.dtype.kind in "iu" and (len(steps) == 0 or max(abs(int(steps[0])), abs(int(steps[-1]))) < 2 ** 52)


def _search(steps: np.ndarray):
    """``searchsorted`` over the steps as float64 (the windows' edges are floats) without a
    float64 copy of the steps when they are integers below 2**53 (exact as floats): the
    first step >= v is the first step >= ceil(v), the first step > v the first > floor(v)."""
    if _exact_ints(steps):
        def search(v, side):
            v = np.asarray(v, dtype=np.float64)
            edge = np.ceil(v) if side == "left" else np.floor(v)
            return np.searchsorted(steps, edge.astype(np.int64), side)
        return search
    t = steps.astype(np.float64)
    return lambda v, side: np.searchsorted(t, v, side)


class _AtRows:
    """Prefix values known only at the query rows ``at`` (sorted, unique); indexed by row."""

    def __init__(self, at: np.ndarray, values: np.ndarray):
        self.at, self.values = at, values

    def __getitem__(self, rows):
        pos = np.searchsorted(self.at, rows)
        if not np.array_equal(self.at[np.minimum(pos, len(self.at) - 1)], rows):
            raise IndexError("prefix sum asked at a row that is not a query row")
        return self.values[pos]


class _Segments:
    """Prefix sums of per-row values, kept only at the query rows ``at`` (sorted, unique, from 0
    to n_rows) and computed in blocks of about BLOCK_ROWS rows that end at query rows: cost
    O(rows), memory O(query rows + block) instead of several full-length cumulative sums."""

    def __init__(self, at: np.ndarray):
        self.at = np.asarray(at, dtype=np.int64)
        n_rows = int(self.at[-1])
        cuts = np.arange(BLOCK_ROWS, n_rows, BLOCK_ROWS)
        near = self.at[np.searchsorted(self.at, cuts)] if len(cuts) else cuts
        self.blocks = np.unique(np.concatenate([[0], near, [n_rows]]).astype(np.int64))

    def _walk(self, rows):
        """Yield (lo, hi, query-row slice j0:j1 of the block's interior and end, row arrays)."""
        j = np.searchsorted(self.at, self.blocks)
        for lo, hi, j0, j1 in zip(self.blocks[:-1], self.blocks[1:], j[:-1], j[1:]):
            if hi > lo:
                yield int(lo), int(hi), j0 + 1, j1 + 1, rows(int(lo), int(hi))

    def prefix(self, rows, k: int, counts: tuple = ()) -> list:
        """Prefix sums (rows [0, q) for each query row q) of the ``k`` per-row float64 arrays
        ``rows(lo, hi)`` returns (fresh arrays: they are used as scratch), accumulated row
        after row as ``np.cumsum`` over the whole column would (the same values, bit for bit:
        window variances are differences of these sums and cancel). The arrays numbered in
        ``counts`` hold small integers (0/1 flags): their sums are exact in any order, so
        they are summed per segment instead."""
        out = [np.zeros(len(self.at)) for _ in range(k)]
        carry = [0.0] * k
        for lo, _, j0, j1, arrays in self._walk(rows):
            take = self.at[j0:j1] - lo - 1         # last row of each query prefix, in the block
            for i, v in enumerate(arrays):     # fresh float64 temporaries: seeded in place
                if i in counts:
                    out[i][j0:j1] = np.add.reduceat(v, np.concatenate([[0], take[:-1] + 1]))
                    continue
                v[0] += carry[i]
                c = np.cumsum(v)
                out[i][j0:j1] = c[take]
                carry[i] = c[-1]
        for i in counts:
            np.cumsum(out[i], out=out[i])
        return [_AtRows(self.at, v) for v in out]

    def prefix_max(self, rows) -> _AtRows:
        """Running maximum (rows [0, q); -inf for q = 0) of one per-row array."""
        out = np.full(len(self.at), -np.inf)
        best = -np.inf
        for lo, _, j0, j1, (v,) in self._walk(rows):
            c = np.maximum.accumulate(v)
            c = np.maximum(c, best)
            out[j0:j1] = c[self.at[j0:j1] - lo - 1]
            best = c[-1]
        return _AtRows(self.at, out)

    def moments(self, values, k: int = 1) -> list:
        """One :class:`_Prefix` per per-row array of ``values(lo, hi)`` (NaN/inf rows skipped)."""
        def rows(lo, hi):
            out = []
            for x in values(lo, hi):
                ok = np.isfinite(x)
                xv = np.where(ok, x, 0.0)
                out += [ok.astype(np.float64), xv, xv * xv]
            return out

        sums = self.prefix(rows, 3 * k, counts=tuple(range(0, 3 * k, 3)))
        return [_Prefix(*sums[3 * i:3 * i + 3]) for i in range(k)]


class _Prefix:
    """Prefix count, sum and sum of squares of one column (NaN/inf rows skipped) at the query
    rows, for O(1) window statistics. The slope is the difference of the means of the window's
    two halves over half its width (prefix sums of t * x would lose all precision at steps ~1e7)."""

    def __init__(self, n: _AtRows, sx: _AtRows, sxx: _AtRows):
        self.n, self.sx, self.sxx = n, sx, sxx

    def mean(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n = self.n[b] - self.n[a]
        with np.errstate(invalid="ignore", divide="ignore"):
            return n, (self.sx[b] - self.sx[a]) / n

    def stats(self, a: np.ndarray, b: np.ndarray, mid: np.ndarray | None = None, half: float = 1.0):
        """(count, mean, std, slope per step) over rows [a, b); ``mid`` splits the window for the slope."""
        n, mean = self.mean(a, b)
        with np.errstate(invalid="ignore", divide="ignore"):
            var = (self.sxx[b] - self.sxx[a]) / n - mean ** 2
            if mid is not None:
                n1, m1 = self.mean(a, mid)
                n2, m2 = self.mean(mid, b)
                slope = np.where((n1 >= 1) & (n2 >= 1), (m2 - m1) / half, np.nan)
            else:
                slope = np.full(len(a), np.nan)
        few = n < 3
        std = np.sqrt(np.clip(var, 0, None))
        mean, slope = mean.copy(), slope
        for arr in (mean, std, slope):
            arr[few] = np.nan
        return n, mean, std, slope


def _sample(x: np.ndarray) -> np.ndarray:
    """``x`` itself up to ROBUST_SAMPLE rows, else every k-th row (at most ROBUST_SAMPLE)."""
    return x if len(x) <= ROBUST_SAMPLE else x[:: -(-len(x) // ROBUST_SAMPLE)]


def _robust_scale(x: np.ndarray) -> tuple[float, float]:
    """(median, IQR) of the finite values; on more than ROBUST_SAMPLE rows, of an evenly strided
    sample of ROBUST_SAMPLE rows (the corpus runs the model is trained on are far shorter)."""
    x = _sample(x)
    v = np.asarray(x[np.isfinite(x)], dtype=np.float64)
    if len(v) == 0:
        return math.nan, math.nan
    med = float(np.median(v))
    q75, q25 = np.percentile(v, [75, 25])
    iqr = float(q75 - q25)
    if not iqr > 0:
        iqr = float(np.mean(np.abs(v - med))) or (abs(med) * 0.1) or 1.0
    return med, iqr


def _col(frame: pd.DataFrame, name: str) -> np.ndarray | None:
    """The column's values (no copy for numeric dtypes: blocks are converted to float64 by
    :func:`_block`); None when absent or never finite."""
    if name not in frame.columns:
        return None
    x = _raw(frame, name)
    return x if np.isfinite(x).any() else None


def _raw(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A present column's values (no copy for numeric dtypes), non-numeric values as NaN."""
    col = frame[name]
    if isinstance(col.dtype, np.dtype) and col.dtype.kind in "fiu":
        return col.to_numpy()
    return pd.to_numeric(col, errors="coerce").to_numpy(dtype=np.float64)


def _block(x: np.ndarray, lo: int, hi: int) -> np.ndarray:
    return np.asarray(x[lo:hi], dtype=np.float64)


#: non-finite rows with finite losses written after them, at most this share of the rows from the first of them to the
#: last finite one, are no divergence (:func:`transient_nonfinite_rows`; set a priori: none of the corpus's 174 runs
#: with a non-finite loss writes a finite one after it)
TRANSIENT_NONFINITE_SHARE = 0.1


def nonfinite_loss_rows(d_loss: np.ndarray, g_loss: np.ndarray) -> np.ndarray:
    """Rows whose losses count as non-finite (bool per row): either loss infinite, or both NaN.
    A row where one loss is NaN and the other finite is, in a log, that loss not written at that
    step (D and G written at different steps, a TensorBoard file cut between D's write and G's),
    unless the next row that is not of that kind is non-finite: a network turning NaN makes one
    loss NaN a step or two before the other (rows of the corpus's diverging runs). A log that
    ends on such rows ends unwritten, not non-finite. Rows between finite ones that
    :func:`transient_nonfinite_rows` reads as a print's artefact are not counted."""
    bad = _nonfinite_rows(d_loss, g_loss)
    if bad.any():
        bad &= ~_transient(bad, d_loss, g_loss)
    return bad


def transient_nonfinite_rows(d_loss: np.ndarray, g_loss: np.ndarray) -> np.ndarray:
    """Non-finite rows (as :func:`nonfinite_loss_rows` reads them before this) with a row of finite losses after
    them, where they are at most :data:`TRANSIENT_NONFINITE_SHARE` of the rows from the first of them to the last
    finite row (bool per row; all False otherwise). Networks whose weights went NaN or inf write no finite loss
    again, so these come from the print (a running mean divided by its count of 0 at each epoch's first batch,
    "Epoch 12: g_loss: inf d_loss: inf" then "g_loss: 5.52 d_loss: 0.84", held-out batch 648/02, read as a
    divergence) or from steps a mixed-precision loss scaler skipped. Many such rows (an unstable run flickering
    to NaN), or any in a log that ends non-finite (their onset: held-out batch 560/04's sporadic NaNs before its
    all-NaN end), stay non-finite."""
    bad = _nonfinite_rows(d_loss, g_loss)
    return _transient(bad, d_loss, g_loss) if bad.any() else bad


def _transient(bad: np.ndarray, d_loss: np.ndarray, g_loss: np.ndarray) -> np.ndarray:
    written = ~bad & (np.isfinite(d_loss) | np.isfinite(g_loss))
    none = np.zeros(len(bad), dtype=bool)
    if not written.any():
        return none
    first, last = int(np.argmax(bad)), len(bad) - 1 - int(np.argmax(written[::-1]))
    if first > last or bad[last + 1:].any():
        return none     # (a log that ends non-finite diverged: the non-finite rows before its end were the onset)
    inner = bad.copy()
    inner[last + 1:] = False
    if inner.sum() > TRANSIENT_NONFINITE_SHARE * (last - first + 1):
        return none
    return inner


def _nonfinite_rows(d_loss: np.ndarray, g_loss: np.ndarray) -> np.ndarray:
    d_nan, g_nan = np.isnan(d_loss), np.isnan(g_loss)
    bad = (d_nan & g_nan) | np.isinf(d_loss) | np.isinf(g_loss)
    one = (d_nan ^ g_nan) & ~bad
    if one.any():
        n = len(bad)
        nxt = np.minimum.accumulate(np.where(one, n, np.arange(n))[::-1])[::-1]   # next row not of that kind
        bad = np.where(one, np.append(bad, False)[nxt], bad)
    return bad


def window_features(frame: pd.DataFrame, meta: LogMeta, points: np.ndarray | None = None) -> pd.DataFrame:
    """Feature table, one row per evaluation point (index: the point's step). ``frame`` must be
    sorted by ``step`` and hold ``step``, ``d_loss``, ``g_loss`` (other columns optional)."""
    steps = frame["step"].to_numpy()
    if steps.dtype.kind not in "iuf":
        steps = steps.astype(np.float64)
    search = _search(steps)
    if points is None:
        points = eval_points(frame["step"].to_numpy())
    p = np.asarray(points, dtype=np.float64)
    n_rows = len(steps)
    feats: dict[str, np.ndarray] = {}
    windows = {f"c{w}": (p - w / 2, p + w / 2) for w in WIDTHS}
    windows[f"a{AHEAD}"] = (p, p + AHEAD)
    bounds = {k: (search(lo, "left"), search(hi, "right")) for k, (lo, hi) in windows.items()}
    mids = {k: (search((lo + hi) / 2, "left"), (hi[0] - lo[0]) / 2) for k, (lo, hi) in windows.items()}

    idx = np.clip(search(p, "right") - 1, 0, n_rows - 1)   # last row at or before each point
    at = np.unique(np.concatenate([[0, n_rows], idx + 1, *(v for ab in bounds.values() for v in ab),
                                   *(m for m, _ in mids.values())]))
    seg = _Segments(at)

    # LSGAN at the paper's ½ whatever meta.lsgan_terms says: the model was fitted so (4 of the
    # corpus's 5 LSGAN loops log plain MSE under these levels), and a feature must mean what it meant
    d_eq, g_eq = equilibrium(meta.loss, meta.d_loss_reduction)
    eq = {"d_loss": d_eq, "g_loss": g_eq, "d_loss_real": d_eq / 2, "d_loss_fake": d_eq / 2}
    normed = {}
    for name in ("d_loss", "g_loss", "d_loss_real", "d_loss_fake"):
        x = _col(frame, name)
        med, iqr = _robust_scale(x) if x is not None else (math.nan, math.nan)
        pre = seg.moments(lambda lo, hi, x=x: [_block(x, lo, hi)])[0] if x is not None else None
        for wk, (a, b) in bounds.items():
            if pre is None:
                for s in ("z", "eq", "std", "slope"):
                    feats[f"{name}_{s}_{wk}"] = np.full(len(p), np.nan)
                continue
            _, mean, std, slope = pre.stats(a, b, *mids[wk])
            feats[f"{name}_z_{wk}"] = (mean - med) / iqr
            e = eq[name]
            feats[f"{name}_eq_{wk}"] = mean / abs(e) if np.isfinite(e) and e != 0 else np.full(len(p), np.nan)
            feats[f"{name}_std_{wk}"] = std / iqr
            feats[f"{name}_slope_{wk}"] = slope * 1000.0 / iqr
        if x is not None:
            e = eq[name]
            if np.isfinite(e) and e != 0:
                normed[name] = lambda lo, hi, x=x, e=e: _block(x, lo, hi) / abs(e)
            else:
                normed[name] = lambda lo, hi, x=x, med=med, iqr=iqr: (_block(x, lo, hi) - med) / iqr

    # D vs G: correlation and crossing rate of the normalised losses
    if "d_loss" in normed and "g_loss" in normed:
        def dg_rows(lo, hi):
            a0 = max(lo - 1, 0)                 # one row before the block: crossings need the previous sign
            dn, gn = normed["d_loss"](a0, hi), normed["g_loss"](a0, hi)
            ok = np.isfinite(dn) & np.isfinite(gn)
            sign = np.sign(np.subtract(dn, gn, out=np.full(len(dn), np.nan), where=ok))  # inf - inf: no warning
            cross = np.zeros(hi - lo)             # the run's first row: no crossing
            cross[1 - (lo - a0):] = (sign[1:] * sign[:-1] < 0).astype(float)
            dn, gn, ok = dn[lo - a0:], gn[lo - a0:], ok[lo - a0:]
            with np.errstate(invalid="ignore", over="ignore"):   # inf x 0 and overflow: masked just below
                prod = dn * gn
            out = []
            for x, fin in ((dn, ok), (gn, ok), (prod, ok & np.isfinite(prod))):   # rows skipped: not finite
                xv = np.where(fin, x, 0.0)
                out += [fin.astype(np.float64), xv, xv * xv]
            return out + [cross]

        sums = seg.prefix(dg_rows, 10, counts=(0, 3, 6, 9))
        pd_, pg_, pdg = (_Prefix(*sums[3 * i:3 * i + 3]) for i in range(3))
        c_cross = sums[9]
        for wk, (a, b) in bounds.items():
            n, md, sd, _ = pd_.stats(a, b)
            _, mg, sg, _ = pg_.stats(a, b)
            _, mdg, _, _ = pdg.stats(a, b)
            with np.errstate(invalid="ignore", divide="ignore"):
                feats[f"dg_corr_{wk}"] = np.clip((mdg - md * mg) / (sd * sg), -1, 1)
                feats[f"dg_cross_{wk}"] = np.where(n >= 3, (c_cross[b] - c_cross[a]) / np.maximum(n - 1, 1), np.nan)
                feats[f"dg_gap_{wk}"] = md - mg
    else:
        for wk in bounds:
            feats[f"dg_corr_{wk}"] = feats[f"dg_cross_{wk}"] = feats[f"dg_gap_{wk}"] = np.full(len(p), np.nan)

    # D outputs
    d_x = _col(frame, "d_x")
    d_gz = _col(frame, "d_g_z2")
    if d_gz is None:
        d_gz = _col(frame, "d_g_z1")
    prob = meta.scores == "probability" or (meta.scores == "unknown" and d_x is not None
                                             and np.nanmin(d_x) >= 0 and np.nanmax(d_x) <= 1)
    _, dx_iqr = _robust_scale(d_x) if d_x is not None else (math.nan, math.nan)
    px = seg.moments(lambda lo, hi: [_block(d_x, lo, hi)])[0] if d_x is not None else None
    pz = seg.moments(lambda lo, hi: [_block(d_gz, lo, hi)])[0] if d_gz is not None else None
    for wk, (a, b) in bounds.items():
        mx = px.stats(a, b)[1] if px else np.full(len(p), np.nan)
        mz = pz.stats(a, b)[1] if pz else np.full(len(p), np.nan)
        feats[f"d_x_p_{wk}"] = mx if prob else np.full(len(p), np.nan)
        feats[f"d_gz_p_{wk}"] = mz if prob else np.full(len(p), np.nan)
        feats[f"d_gap_{wk}"] = (mx - mz) if prob else (mx - mz) / dx_iqr

    # gradient norms
    for name in ("grad_norm_d", "grad_norm_g"):
        x = _col(frame, name)
        if x is None:
            for wk in bounds:
                feats[f"{name}_log_{wk}"] = feats[f"{name}_rel_{wk}"] = feats[f"{name}_std_{wk}"] = np.full(len(p), np.nan)
            continue

        def log_rows(lo, hi, x=x):
            return [np.log10(np.clip(_block(x, lo, hi), 1e-12, None))]

        sample = _sample(x)
        med = float(np.nanmedian(np.log10(np.clip(np.asarray(sample, dtype=np.float64), 1e-12, None))))
        pre = seg.moments(log_rows)[0]
        for wk, (a, b) in bounds.items():
            _, mean, std, _ = pre.stats(a, b)
            feats[f"{name}_log_{wk}"] = mean
            feats[f"{name}_rel_{wk}"] = mean - med
            feats[f"{name}_std_{wk}"] = std

    # logged diversity
    div = _col(frame, "div_pdist_ratio")
    if div is not None:
        def div_rows(lo, hi):
            v = _block(div, lo, hi)
            return [np.where(np.isfinite(v), v, -np.inf)]

        best_so_far = seg.prefix_max(div_rows)[idx + 1]      # best over rows [0, idx]
        run_best = float(np.nanmax(div))
        pre = seg.moments(lambda lo, hi: [_block(div, lo, hi)])[0]
        for wk, (a, b) in bounds.items():
            n, mean, std, _ = pre.stats(a, b)
            mean = np.where(n >= 1, (pre.sx[b] - pre.sx[a]) / np.maximum(n, 1), np.nan)
            feats[f"div_mean_{wk}"] = mean
            feats[f"div_std_{wk}"] = std
        with np.errstate(invalid="ignore", divide="ignore"):
            feats["div_of_best_so_far"] = feats["div_mean_c400"] / best_so_far
            feats["div_of_run_best"] = feats["div_mean_c400"] / run_best
        feats["div_run_best"] = np.full(len(p), run_best)
    else:
        for wk in bounds:
            feats[f"div_mean_{wk}"] = feats[f"div_std_{wk}"] = np.full(len(p), np.nan)
        feats["div_of_best_so_far"] = feats["div_of_run_best"] = feats["div_run_best"] = np.full(len(p), np.nan)

    # learning rates at the point
    lr_d, lr_g = _col(frame, "lr_d"), _col(frame, "lr_g")
    at_point = {k: (np.asarray(x[idx], dtype=np.float64) if x is not None else None) for k, x in
                (("lr_d", lr_d), ("lr_g", lr_g))}
    with np.errstate(invalid="ignore", divide="ignore"):
        if lr_d is not None and lr_g is not None:
            feats["lr_ratio_log"] = np.log10(at_point["lr_d"] / at_point["lr_g"])
        else:
            feats["lr_ratio_log"] = np.full(len(p), np.nan)
        for name, x in (("lr_d", lr_d), ("lr_g", lr_g)):
            if x is None:
                feats[f"{name}_rel_log"] = feats[f"{name}_zero"] = np.full(len(p), np.nan)
                continue
            first = float(x[int(np.argmax(np.isfinite(x)))])
            xp = at_point[name]
            feats[f"{name}_rel_log"] = np.log10(np.clip(xp, 1e-30, None) / first) if first > 0 else np.full(len(p), np.nan)
            feats[f"{name}_zero"] = (xp == 0).astype(float)

    # non-finite losses
    raw = [_raw(frame, c) for c in ("d_loss", "g_loss")]

    bad = nonfinite_loss_rows(raw[0], raw[1])

    def bad_rows(lo, hi):
        return [bad[lo:hi].astype(np.float64)]

    (c_bad,) = seg.prefix(bad_rows, 1, counts=(0,))
    feats["nonfinite_so_far"] = (c_bad[idx + 1] > 0).astype(float)
    a, b = bounds["c100"]
    feats["nonfinite_share_c100"] = np.where(b > a, (c_bad[b] - c_bad[a]) / np.maximum(b - a, 1), np.nan)

    # position and log properties
    # (no share of the run: it depends on where the log ends, so a run still being written would
    # read differently at the same step; dropped with no loss of held-out score, LOLO 0.485 -> 0.491)
    # the step up to STEP_CAP only: enough for the warm-up, no "late in the run" reading (the corpus's
    # runs all end at 5,000 steps, so "late" meant the end of a corpus run, not of the user's)
    feats["log_step"] = np.log10(np.minimum(np.maximum(p, 0), STEP_CAP) + 1)   # a step below 0 as 0
    # the median gap in float64 (integer gaps are exact floats here: no float copy of the steps)
    gap = _median_diff(steps if _exact_ints(steps) else steps.astype(np.float64)) if n_rows > 1 else 1.0
    feats["log_interval"] = np.full(len(p), math.log10(max(gap, 1.0)))
    feats["averaged"] = np.full(len(p), float(meta.averaged))
    for fam in LOSS_FAMILIES:
        feats[f"loss_{fam}"] = np.full(len(p), float(meta.loss == fam))
    feats["reduction_mean"] = np.full(len(p), {"mean": 1.0, "sum": 0.0}.get(meta.d_loss_reduction, np.nan))
    feats["scores_probability"] = np.full(len(p), 1.0 if prob else 0.0)
    feats.update(trajectory_features(feats, p))
    out = pd.DataFrame(feats, index=pd.Index(points, name="step"))
    return out.astype(np.float32)


TRAJECTORY = ("d_loss_z", "g_loss_z", "d_gap", "div_mean")   # the c100 series the trajectory features follow
SWING_HALF = 400       # steps each side: LABELS.md's oscillation looks for turning points within ±400 steps
SWING_STEP = 100       # the series is read every 100 steps (its own window width) for the turning points
TURN_SHARE = 0.25      # a turn counts when the series moves back by this share of its range in the window ...
#: ... and by at least this much in the series' own units (run IQRs for the losses' z-scores, D's
#: probability for the gap, the pairwise-distance ratio for diversity): noise does not zig-zag
MIN_TURN = {"d_loss_z": 0.5, "g_loss_z": 0.5, "d_gap": 0.1, "div_mean": 0.05}


def trajectory_features(feats: dict, p: np.ndarray) -> dict:
    """Features of each series' path between evaluation points (O(points), from the c100 window
    means already computed), for labels defined by a path rather than a level:

    * ``{s}_swing_c800``: max - min of the c100 mean over the ±400 steps around the point (the
      amplitude LABELS.md's oscillation measures on FD and D's accuracy);
    * ``{s}_turns_c800``: turning points of that path read every 100 steps, a turn counting when
      the series moves back by ``TURN_SHARE`` of its range in the window and by ``MIN_TURN`` (a
      zig-zag filter);
    * ``{s}_from_start``: the c100 mean minus its first finite value in the log, and
      ``{s}_moved_so_far``: the largest ``|from_start|`` up to the point (warm-up ends when the run
      first settles somewhere else than where it started).
    ``s``: the robust z-scores of the two losses, D's output gap, the logged diversity ratio."""
    out = {}
    offsets = np.arange(-SWING_HALF, SWING_HALF + 1, SWING_STEP, dtype=np.float64)
    for name in TRAJECTORY:
        x = np.asarray(feats[f"{name}_c100"], dtype=np.float64)
        ok = np.isfinite(x)
        if ok.sum() < 2:
            for k in ("swing_c800", "turns_c800", "from_start", "moved_so_far"):
                out[f"{name}_{k}"] = np.full(len(p), np.nan)
            continue
        at = p[:, None] + offsets[None, :]
        inside = (at >= p[ok][0]) & (at <= p[ok][-1])
        path = np.where(inside, np.interp(at, p[ok], x[ok]), np.nan)     # (points, 9)
        n_in = inside.sum(axis=1)
        with np.errstate(invalid="ignore"):
            hi, lo = np.nanmax(np.where(inside, path, -np.inf), axis=1), np.nanmin(np.where(inside, path, np.inf), axis=1)
        swing = np.where(n_in >= 3, hi - lo, np.nan)
        out[f"{name}_swing_c800"] = swing
        out[f"{name}_turns_c800"] = np.where(n_in >= 3, _zigzag_turns(path, np.fmax(TURN_SHARE * swing, MIN_TURN[name])), np.nan)
        first = x[ok][0]
        moved = x - first
        out[f"{name}_from_start"] = moved
        out[f"{name}_moved_so_far"] = np.fmax.accumulate(np.where(ok, np.abs(moved), np.nan))
    return out


def _zigzag_turns(path: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """Turning points per row of ``path`` (NaN columns skipped): the direction flips when the
    series moves back from its latest extreme by more than ``threshold`` (0 turns for a flat row)."""
    n = path.shape[0]
    ext = np.full(n, np.nan)
    direction = np.zeros(n)
    turns = np.zeros(n)
    thr = np.where(np.isfinite(threshold) & (threshold > 0), threshold, np.inf)
    for j in range(path.shape[1]):
        v = path[:, j]
        ok = np.isfinite(v)
        start = ok & np.isnan(ext)
        ext = np.where(start, v, ext)
        ok &= ~start
        up, down = ok & (v - ext > thr), ok & (ext - v > thr)
        turns += ((direction == 1) & down) | ((direction == -1) & up)
        new_dir = np.where(up & (direction != 1), 1, np.where(down & (direction != -1), -1, direction))
        extend = ok & (((direction == 1) & (v > ext)) | ((direction == -1) & (v < ext)))
        ext = np.where(extend | (new_dir != direction), v, ext)
        direction = new_dir
    return turns
