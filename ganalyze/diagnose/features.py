"""Windowed statistics of a run, computed on step bins (vectorised; no loop over rows).

Rows are grouped into bins of ``bin_steps`` consecutive steps; per-bin sums (count, sum, sum of
squares, crossings, products of loss increments) are rolled over ``window_bins`` bins centred on
each bin, so every window statistic is in **steps**, whatever the logging interval.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ganalyze import gan
from ganalyze.diagnose.arrays import first_finite
from ganalyze.diagnose.window_features import nonfinite_loss_rows
from ganalyze.errors import GanalyzeError
from ganalyze.runlog.smooth import step_gaps


@dataclass(frozen=True)
class WindowConfig:
    """Window sizes. ``window`` [steps] is the span a label is judged on (centred), widened to
    ``min_rows`` logged rows when the run is logged sparsely (a window of one or two rows has no
    variance to judge: a log every 200 steps gets 12 x 200 = 2,400-step windows); ``bin_steps``
    the resolution of the labels (None: window / 5, at least the logging interval); ``warmup``
    [steps] the first steps labelled ``warmup`` (capped at a fifth of the run)."""

    window: int = 250
    bin_steps: int | None = None
    warmup: int = 200
    min_rows: int = 12


def _col(df, name):
    """The column as a numpy array without a copy where it already is one (float or integer
    dtypes; blocks of it are converted to float64 by :class:`_Bins`), else converted to float64
    (non-numeric values NaN). None when absent."""
    if name not in df.columns:
        return None
    col = df[name]
    if isinstance(col.dtype, np.dtype) and col.dtype.kind in "fiu":
        return col.to_numpy()
    return pd.to_numeric(col, errors="coerce").to_numpy(dtype="float64")


def prepare(df: pd.DataFrame) -> pd.DataFrame:
    """Check the required columns and return the frame sorted by step (rows with a missing step dropped)."""
    missing = [c for c in ("step", "d_loss", "g_loss") if c not in df.columns]
    if missing:
        raise GanalyzeError(f"df: missing column(s) {', '.join(missing)}; required: step, d_loss, g_loss "
                            f"(have: {', '.join(map(str, df.columns))})")
    if len(df) == 0:
        raise GanalyzeError("df: empty run (0 rows); allowed: a run with at least one logged step")
    step = pd.to_numeric(df["step"], errors="coerce")
    if step.isna().all():
        raise GanalyzeError("df['step']: no numeric steps; allowed: integer iteration counters")
    if not step.is_monotonic_increasing or step.isna().any():
        order = np.argsort(step.to_numpy(dtype="float64"), kind="stable")
        df = df.iloc[order]
        df = df[pd.to_numeric(df["step"], errors="coerce").notna()]
    return df


BLOCK_ROWS = 1 << 15     # rows per block of the per-row pass: temporaries of 256 kB stay in cache


class _Bins:
    """Per-bin sums (or maxima) over step-sorted rows whose bins are contiguous row ranges
    (``edges``: the n_bins + 1 row offsets). Rows are visited in blocks of whole bins of about
    BLOCK_ROWS rows, so per-row temporaries never span the run; each bin is reduced in one
    ``np.add.reduceat`` call, as over the whole array (same sums, bit for bit)."""

    def __init__(self, edges: np.ndarray):
        counts = np.diff(edges)
        self.n = len(counts)
        self.rows = int(edges[-1])
        self.which = np.flatnonzero(counts > 0)          # non-empty bins, in row order
        self.starts = edges[:-1][self.which]              # their first rows
        cuts = np.arange(BLOCK_ROWS, self.rows, BLOCK_ROWS)
        at = self.starts[np.clip(np.searchsorted(self.starts, cuts, "right") - 1, 0, None)] if len(cuts) else cuts
        self.blocks = np.unique(np.concatenate([[0], at, [self.rows]]).astype(np.int64))

    def reduce(self, rows, n_out: int, ufunc=np.add, empty: float = 0.0) -> list:
        """``rows(lo, hi)`` returns a list of ``n_out`` per-row float arrays for rows [lo, hi)
        (non-finite values count as ``empty`` for sums); returns their per-bin reductions."""
        out = [np.full(self.n, empty) for _ in range(n_out)]
        if self.rows == 0:
            return out
        j = np.searchsorted(self.starts, self.blocks)
        for lo, hi, j0, j1 in zip(self.blocks[:-1], self.blocks[1:], j[:-1], j[1:]):
            local = self.starts[j0:j1] - lo
            for o, v in zip(out, rows(int(lo), int(hi))):
                o[self.which[j0:j1]] = ufunc.reduceat(_finite_or_zero(v) if ufunc is np.add else v, local)
        return out


def _finite_or_zero(values):
    """float64 values with non-finite ones as 0 (booleans as 0/1)."""
    if values.dtype == bool:
        return values.astype("float64")
    if not np.isfinite(values).all():
        return np.where(np.isfinite(values), values, 0.0)
    return values


def _block(x, lo: int, hi: int) -> np.ndarray:
    return np.asarray(x[lo:hi], dtype=np.float64)


def _roll(a, w):
    """Centred rolling sum over bins (window w bins, truncated at the ends)."""
    c = np.concatenate([[0.0], np.cumsum(a)])
    n = len(a)
    lo = np.clip(np.arange(n) - w // 2, 0, n)
    hi = np.clip(np.arange(n) + (w - w // 2), 0, n)
    return c[hi] - c[lo]


def _roll_trailing(a, w):
    c = np.concatenate([[0.0], np.cumsum(a)])
    n = len(a)
    hi = np.arange(1, n + 1)
    lo = np.clip(hi - w, 0, n)
    return c[hi] - c[lo]


def _max_gap(steps: np.ndarray) -> int:
    """Largest gap between consecutive steps (``step_gaps``), block by block (no per-row copy)."""
    best = 0
    for lo in range(0, max(len(steps) - 1, 0), BLOCK_ROWS):
        gaps = step_gaps(steps[lo:lo + BLOCK_ROWS + 1])
        if len(gaps):
            best = max(best, int(gaps.max()))
    return best


def bin_layout(steps: np.ndarray, cfg: WindowConfig):
    """Bin size (steps), window (bins), each row's bin index, number of bins, logging interval
    and each bin's first step (float64). See :func:`bin_edges` (the same without a per-row array)."""
    bin_steps, window_bins, edges, n_bins, k, bin_start = bin_edges(steps, cfg)
    return bin_steps, window_bins, row_bins(edges, np.int64), n_bins, k, bin_start


def bin_edges(steps: np.ndarray, cfg: WindowConfig):
    """Bin size (steps), window (bins), the bins' row offsets ``edges`` (n_bins + 1: rows of bin
    i are ``edges[i]:edges[i + 1]``), number of bins, logging interval and each bin's first step
    (float64).

    Cost follows the rows, not the step values: a pause longer than ``2 * (window + bin)``
    steps (a run logged at steps 0 and 10**9, a restart at 2**62) is shortened to that length
    before binning. No window reaches across such a pause either way, so the window statistics
    are unchanged, and there are at most ~12 bins per row.
    """
    n = len(steps)
    stride = max(1, n // 100_000)
    # logging interval (median gap, subsampled on long runs)
    k = max(int(np.median(step_gaps(steps[::stride]))) // stride if n > 1 else 1, 1)
    span = int(steps[-1]) - int(steps[0]) + 1          # Python ints: exact at the int64 limits
    window = max(min(cfg.window, span // 3), cfg.min_rows * k, k, 1)   # >= min_rows logged rows
    bin_steps = cfg.bin_steps or max(window // 5, k, 1)
    max_gap = 2 * (window + bin_steps)
    if span < 2 ** 53 and not _max_gap(steps) > max_gap:
        last = int(steps[-1]) - int(steps[0])           # exact; every step has its place
        n_bins = last // bin_steps + 1
        bounds = np.arange(n_bins + 1, dtype=np.int64) * bin_steps
        bin_start = float(steps[0]) + bounds[:-1].astype(np.float64)
        # first row at or after each bin's first step (steps[0] + bound <= steps[-1]: no overflow)
        edges = np.searchsorted(steps, steps[0] + np.minimum(bounds, last), side="left")
        edges[bounds > last] = n
    else:
        gaps = step_gaps(steps)
        offset = np.concatenate([[0.0], np.cumsum(np.minimum(gaps.astype(np.float64), float(max_gap)))])
        del gaps
        n_bins = int(offset[-1] // bin_steps) + 1
        bounds = np.arange(n_bins + 1, dtype=np.float64) * bin_steps
        bin_start = np.interp(bounds[:-1], offset, steps.astype(np.float64))
        edges = np.searchsorted(offset, bounds, side="left")
    # rows are sorted by step: each bin is a contiguous run of rows (no per-row division)
    edges[-1] = n
    window_bins = max(int(round(window / bin_steps)), 1)
    return bin_steps, window_bins, edges, n_bins, k, bin_start


def row_bins(edges: np.ndarray, dtype=np.int64) -> np.ndarray:
    """Each row's bin index from the bins' row offsets."""
    return np.repeat(np.arange(len(edges) - 1, dtype=dtype), np.diff(edges))


def bin_features(df: pd.DataFrame, profile, cfg: WindowConfig = WindowConfig()) -> dict:
    """Per-bin window statistics (arrays of length n_bins) + layout; see module docstring.

    Memory follows the bins, not the rows: the row values are read in blocks (``_Bins``), so
    beyond the frame itself only a few per-block temporaries exist at any time. ``bin_edges``:
    the bins' row offsets (``row_bins`` gives each row's bin)."""
    steps = df["step"].to_numpy(dtype="int64")
    bin_steps, wb, edges, nb, k, bin_start = bin_edges(steps, cfg)
    bins = _Bins(edges)
    d = _col(df, "d_loss")
    g = _col(df, "g_loss")

    # ---- per-bin sums of the losses (finite rows only) and the first non-finite step -----------
    def loss_rows(lo, hi):
        db, gb = _block(d, lo, hi), _block(g, lo, hi)
        fin = np.isfinite(db) & np.isfinite(gb)
        db, gb = np.where(fin, db, 0.0), np.where(fin, gb, 0.0)
        return [fin, db, db * db, gb, gb * gb]

    cnt, d_b1, d_b2, g_b1, g_b2 = bins.reduce(loss_rows, 5)
    bad = nonfinite_loss_rows(d, g)          # a loss not written at a step is no non-finite loss
    first_bad_step = int(steps[int(np.argmax(bad))]) if bad.any() else None
    all_finite = int(cnt.sum()) == len(steps)      # no NaN/inf in either loss, written or not

    f = {"bin_steps": bin_steps, "window_bins": wb, "bin_edges": edges, "n_bins": nb, "log_every": k,
         "first_bad_step": first_bad_step, "bin_start": bin_start,
         "d_loss_first": first_finite(d), "g_loss_first": first_finite(g)}
    rc = _roll(cnt, wb)
    f["rows"] = rc
    safe = np.where(rc > 0, rc, np.nan)
    centre = (np.arange(nb) + 0.5) / wb          # bin centres in window units
    for name, b1, b2 in (("d_loss", d_b1, d_b2), ("g_loss", g_b1, g_b2)):
        s1, s2 = _roll(b1, wb), _roll(b2, wb)
        mean = s1 / safe
        f[f"{name}_mean"] = mean
        var = np.maximum(s2 / safe - mean ** 2, 0.0)
        f[f"{name}_std"] = np.sqrt(var)
        # history: everything before the window (expanding), for [practitioner-loss-curves]'s early-stop rule
        lo = np.clip(np.arange(nb) - wb // 2, 0, nb)
        c1 = np.concatenate([[0.0], np.cumsum(b1)])
        c2 = np.concatenate([[0.0], np.cumsum(b2)])
        cn = np.concatenate([[0.0], np.cumsum(cnt)])
        hn = cn[lo]
        hm = np.where(hn > 1, c1[lo] / np.maximum(hn, 1), np.nan)
        hv = np.where(hn > 1, c2[lo] / np.maximum(hn, 1) - hm ** 2, np.nan)
        f[f"{name}_hist_std"] = np.sqrt(np.maximum(hv, 0.0))
        # trend: count-weighted least-squares slope of the bin means inside the window, times the
        # window length (loss units per window)
        st, stt = _roll(cnt * centre, wb), _roll(cnt * centre * centre, wb)
        sty = _roll(b1 * centre, wb)
        den = rc * stt - st * st
        f[f"{name}_trend"] = np.where(den > 1e-12, (rc * sty - st * s1) / np.where(den > 1e-12, den, 1.0), np.nan)
    # bins whose own G-loss std exceeds twice the history's: an oscillation is sustained over many
    # bins, a one-off spike (e.g. right after a learning-rate change) fills only one
    bc = np.where(cnt > 1, cnt, np.nan)
    bin_std = np.sqrt(np.maximum(g_b2 / bc - (g_b1 / bc) ** 2, 0.0))
    loud = np.nan_to_num(bin_std > 2 * f["g_loss_hist_std"], nan=0.0).astype("float64")
    f["loud_share"] = _roll(loud, wb) / np.maximum(_roll(np.ones(nb), wb), 1)
    f["var_ratio"] = f["g_loss_std"] / np.where(f["g_loss_hist_std"] > 0, f["g_loss_hist_std"], np.nan)
    f["d_var_ratio"] = f["d_loss_std"] / np.where(f["d_loss_hist_std"] > 0, f["d_loss_hist_std"], np.nan)

    # helix: crossings of the normalised strands and anti-correlation of their increments
    strands = _Strands(d, g, profile)

    def helix_rows(lo, hi):
        cross, dd, dg = strands.increments(lo, hi)
        ok = np.ones(len(dd), dtype=bool) if all_finite else (np.isfinite(dd) & np.isfinite(dg))
        if lo == 0 and len(ok):
            ok[0] = False                   # the first row has no increment
        if not all_finite:
            dd, dg = np.where(ok, dd, 0.0), np.where(ok, dg, 0.0)
        return [ok, cross, dd, dg, dd * dd, dg * dg, dd * dg]

    pc, n_cross, *incs = bins.reduce(helix_rows, 7)
    f["crossing_rate"] = _roll(n_cross, wb) / np.where(_roll(pc, wb) > 0, _roll(pc, wb), np.nan)
    sums = {name: _roll(v, wb) for name, v in zip(("a", "b", "aa", "bb", "ab"), incs)}
    n = np.where(_roll(pc, wb) > 2, _roll(pc, wb), np.nan)
    cov = sums["ab"] / n - sums["a"] * sums["b"] / n ** 2
    va = sums["aa"] / n - (sums["a"] / n) ** 2
    vb = sums["bb"] / n - (sums["b"] / n) ** 2
    den = np.sqrt(np.maximum(va, 0) * np.maximum(vb, 0))
    f["anticorrelation"] = np.where(den > 1e-12, -cov / np.where(den > 1e-12, den, 1.0), np.nan)
    f["loss_gap"] = f["g_loss_mean"] - f["d_loss_mean"]

    # optional columns: window means (NaN where never logged)
    for name in ("d_x", "d_g_z1", "d_g_z2", "grad_norm_d", "grad_norm_g", "div_pdist_ratio", "lr_d", "lr_g",
                 "d_fake_q05", "d_fake_q95", "d_real_q05", "d_real_q95"):
        x = _col(df, name)
        if x is None:
            continue
        squares = name in ("div_pdist_ratio", "d_g_z1")

        def col_rows(lo, hi, x=x, squares=squares):
            xb = _block(x, lo, hi)
            return [np.isfinite(xb), xb, xb * xb] if squares else [np.isfinite(xb), xb]

        nbin, xs, *rest = bins.reduce(col_rows, 3 if squares else 2)
        c = _roll(nbin, wb)
        cs = np.where(c > 0, c, np.nan)
        f[name] = _roll(xs, wb) / cs
        if squares:
            # window std: a diversity / D(G(z)) that swings up and down within the window
            xx = rest[0]
            f[name + "_std"] = np.sqrt(np.maximum(_roll(xx, wb) / cs - f[name] ** 2, 0.0))
            # std in each half of the centred window (trailing half ends at the bin, leading half
            # starts there): a swing fills both halves, a single fall only one of them
            h = max(wb // 2, 1)
            halves = []
            for arr in (nbin, xs, xx):
                t = _roll_trailing(arr, h)
                lead = t
                if h > 1:   # the leading half starts at the bin: shift the trailing sums back h-1 bins
                    lead = np.full(nb, np.nan)
                    m = max(nb - (h - 1), 0)
                    lead[:m] = t[h - 1:h - 1 + m]
                halves.append((t, lead))
            sds = []
            for k in range(2):
                n_, a_, b_ = (halves[j][k] for j in range(3))
                m_ = a_ / np.where(n_ > 1, n_, np.nan)
                sds.append(np.sqrt(np.maximum(b_ / np.where(n_ > 1, n_, np.nan) - m_ ** 2, 0.0)))
            f[name + "_half_std"] = np.fmin(sds[0], sds[1])
        if name.startswith("grad_norm"):
            def max_rows(lo, hi, x=x):
                xb = _block(x, lo, hi)
                return [np.where(np.isfinite(xb), xb, -np.inf)]

            (mx,) = bins.reduce(max_rows, 1, ufunc=np.maximum, empty=-np.inf)
            f[name + "_max"] = pd.Series(mx).rolling(wb, center=True, min_periods=1).max().to_numpy()
        if name == "div_pdist_ratio":
            # reference: the best diversity the run has shown so far (collapse = falling from it)
            best = pd.Series(f[name]).cummax().to_numpy()
            f["div_pdist_ratio_best"] = best
    if "d_g_z1" in f or "d_g_z2" in f:
        f["d_g_z"] = f.get("d_g_z1", f.get("d_g_z2"))
    return f


class _Strands:
    """The normalised G and D strands (``ganalyze.gan.helix_strands``) block by block: with
    equilibrium levels the normalisation is per row, so each block is normalised on its own;
    robust z-scores need the whole run's median and IQR, so those strands are computed once."""

    def __init__(self, d, g, profile):
        self.d, self.g = d, g
        self.d_eq = profile.d_eq if profile.comparable else None
        self.g_eq = profile.g_eq if profile.comparable and profile.g_level_known else None
        per_row = bool(self.d_eq and self.g_eq and np.isfinite(self.d_eq) and np.isfinite(self.g_eq))
        self.whole = None if per_row else self._strands(0, len(d))

    def _strands(self, lo, hi):
        with np.errstate(invalid="ignore", over="ignore"):
            dn, gn, _ = gan.helix_strands(_block(self.d, lo, hi), _block(self.g, lo, hi), self.d_eq, self.g_eq)
        return dn, gn

    def increments(self, lo: int, hi: int):
        """(crossing indicator, D increment, G increment) of rows [lo, hi): row i against row
        i - 1 (the run's first row: no crossing, NaN increments). inf - inf is NaN, as intended:
        such rows carry no increment."""
        a = max(lo - 1, 0)
        dn, gn = (self.whole[0][a:hi], self.whole[1][a:hi]) if self.whole is not None else self._strands(a, hi)
        head = 1 if lo == 0 else 0              # the first row has no predecessor
        m = hi - lo
        cross = np.zeros(m, dtype=bool)
        dd = np.full(m, np.nan)
        dg = np.full(m, np.nan)
        if len(dn) > 1:
            with np.errstate(invalid="ignore", over="ignore"):
                diff = gn - dn
                np.less(diff[1:] * diff[:-1], 0, out=cross[head:])     # NaN compares False
                np.subtract(dn[1:], dn[:-1], out=dd[head:])
                np.subtract(gn[1:], gn[:-1], out=dg[head:])
        return cross, dd, dg


def helix_stats(df: pd.DataFrame, window: int | None = None) -> pd.DataFrame:
    """Per-row rolling ``crossing_rate`` and ``anticorrelation`` of the G and D losses (the "helix").

    ``crossing_rate``: fraction of consecutive logged rows between which the normalised G and D
    losses (``ganalyze.gan.helix_strands``: relative to each one's equilibrium level; robust
    z-scores for WGAN-GP and hinge) swap order, over a
    centred window of ``window`` steps (default 250). Per logged row, so a run logged every k steps
    shows up to k times fewer crossings per step than happened. ``anticorrelation``: minus the
    Pearson correlation of the step-to-step changes of the two losses in the window (+1: when D's
    loss goes up G's goes down, the healthy tug of war; near 0 or negative: parallel strands).
    Returns a DataFrame with ``step``, ``crossing_rate``, ``anticorrelation``, aligned with ``df.index``.
    """
    from ganalyze.diagnose.thresholds import profile_for, resolve_assumptions

    frame = prepare(df)
    a = resolve_assumptions(frame)
    cfg = WindowConfig(window=window or WindowConfig().window)
    f = bin_features(frame, profile_for(a["loss"], a["d_loss_reduction"], (frame.attrs or {}).get("lsgan_terms", "half")), cfg)
    counts = np.diff(f["bin_edges"])
    out = pd.DataFrame({"step": frame["step"].to_numpy(), "crossing_rate": np.repeat(f["crossing_rate"], counts),
                        "anticorrelation": np.repeat(f["anticorrelation"], counts)}, index=frame.index)
    return out.reindex(df.index) if not frame.index.equals(df.index) else out
