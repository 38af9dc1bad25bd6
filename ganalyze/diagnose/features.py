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
    if name not in df.columns:
        return None
    return pd.to_numeric(df[name], errors="coerce").to_numpy(dtype="float64")


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


class _Bins:
    """Sums of row values per bin for sorted rows (np.add.reduceat over contiguous bins)."""

    def __init__(self, idx, n):
        self.idx = idx          # held so that its id() cannot be reused while cached
        self.n = n
        self.starts = np.flatnonzero(np.concatenate([[True], idx[1:] != idx[:-1]])) if len(idx) else idx[:0]
        self.which = idx[self.starts]

    def __call__(self, values):
        out = np.zeros(self.n)
        if len(values):
            out[self.which] = np.add.reduceat(values, self.starts)
        return out


_BINS = {}


def _bin_sum(idx, values, n):
    """Per-bin sum of ``values`` (non-finite values count as 0)."""
    b = _BINS.get(id(idx))
    if b is None or b.idx is not idx or b.n != n:
        b = _Bins(idx, n)
        _BINS.clear()
        _BINS[id(idx)] = b
    if values.dtype == bool:
        values = values.astype("float64")
    elif not np.isfinite(values).all():
        values = np.where(np.isfinite(values), values, 0.0)
    return b(values)


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


def bin_layout(steps: np.ndarray, cfg: WindowConfig):
    """Bin size (steps), window (bins), each row's bin index, number of bins, logging interval
    and each bin's first step (float64).

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
    gaps = step_gaps(steps)
    max_gap = 2 * (window + bin_steps)
    if span < 2 ** 53 and not (len(gaps) and int(gaps.max()) > max_gap):
        offset = steps - steps[0]                       # exact; every step has its place
        n_bins = int(offset[-1]) // bin_steps + 1
        bounds = np.arange(n_bins + 1, dtype=np.int64) * bin_steps
        bin_start = float(steps[0]) + bounds[:-1].astype(np.float64)
    else:
        offset = np.concatenate([[0.0], np.cumsum(np.minimum(gaps.astype(np.float64), float(max_gap)))])
        n_bins = int(offset[-1] // bin_steps) + 1
        bounds = np.arange(n_bins + 1, dtype=np.float64) * bin_steps
        bin_start = np.interp(bounds[:-1], offset, steps.astype(np.float64))
    # rows are sorted by step: each bin is a contiguous run of rows (no per-row division)
    edges = np.searchsorted(offset, bounds, side="left")
    edges[-1] = n
    idx = np.repeat(np.arange(n_bins, dtype=np.int64), np.diff(edges))
    window_bins = max(int(round(window / bin_steps)), 1)
    return bin_steps, window_bins, idx, n_bins, k, bin_start


def bin_features(df: pd.DataFrame, profile, cfg: WindowConfig = WindowConfig()) -> dict:
    """Per-bin window statistics (arrays of length n_bins) + layout; see module docstring."""
    steps = df["step"].to_numpy(dtype="int64")
    bin_steps, wb, idx, nb, k, bin_start = bin_layout(steps, cfg)
    d = _col(df, "d_loss")
    g = _col(df, "g_loss")
    finite_row = np.isfinite(d) & np.isfinite(g)
    bad = np.flatnonzero(~finite_row)
    first_bad_step = int(steps[bad[0]]) if len(bad) else None

    ones = finite_row.astype("float64")
    cnt = _bin_sum(idx, ones, nb)
    f = {"bin_steps": bin_steps, "window_bins": wb, "row_bin": idx, "n_bins": nb, "log_every": k,
         "first_bad_step": first_bad_step, "bin_start": bin_start}
    rc = _roll(cnt, wb)
    f["rows"] = rc
    safe = np.where(rc > 0, rc, np.nan)
    all_finite = bool(finite_row.all())
    centre = (np.arange(nb) + 0.5) / wb          # bin centres in window units
    for name, x in (("d_loss", d), ("g_loss", g)):
        xs = x if all_finite else np.where(finite_row, x, 0.0)
        b1, b2 = _bin_sum(idx, xs, nb), _bin_sum(idx, xs * xs, nb)
        s1, s2 = _roll(b1, wb), _roll(b2, wb)
        mean = s1 / safe
        f[f"{name}_mean"] = mean
        var = np.maximum(s2 / safe - mean ** 2, 0.0)
        f[f"{name}_std"] = np.sqrt(var)
        # history: everything before the window (expanding), for seed 000's early-stop rule
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
        if name == "g_loss":
            g_b1, g_b2 = b1, b2
    # bins whose own G-loss std exceeds twice the history's: an oscillation is sustained over many
    # bins, a one-off spike (e.g. right after a learning-rate change) fills only one
    bc = np.where(cnt > 1, cnt, np.nan)
    bin_std = np.sqrt(np.maximum(g_b2 / bc - (g_b1 / bc) ** 2, 0.0))
    loud = np.nan_to_num(bin_std > 2 * f["g_loss_hist_std"], nan=0.0).astype("float64")
    f["loud_share"] = _roll(loud, wb) / np.maximum(_roll(np.ones(nb), wb), 1)
    f["var_ratio"] = f["g_loss_std"] / np.where(f["g_loss_hist_std"] > 0, f["g_loss_hist_std"], np.nan)
    f["d_var_ratio"] = f["d_loss_std"] / np.where(f["d_loss_hist_std"] > 0, f["d_loss_hist_std"], np.nan)

    # helix: crossings of the normalised strands and anti-correlation of their increments
    hx = _helix_rows(d, g, profile)
    cross, dd, dg = hx["cross"], hx["dd"], hx["dg"]
    dd[:1] = 0.0
    dg[:1] = 0.0
    ok = np.ones(len(dd), dtype=bool) if all_finite else (np.isfinite(dd) & np.isfinite(dg))
    ok[:1] = False                       # the first row has no increment
    if not all_finite:
        dd, dg = np.where(ok, dd, 0.0), np.where(ok, dg, 0.0)
    pc = _bin_sum(idx, ok, nb)
    f["crossing_rate"] = _roll(_bin_sum(idx, cross, nb), wb) / np.where(_roll(pc, wb) > 0, _roll(pc, wb), np.nan)
    sums = {}
    for name, v in (("a", dd), ("b", dg), ("aa", dd * dd), ("bb", dg * dg), ("ab", dd * dg)):
        sums[name] = _roll(_bin_sum(idx, v, nb), wb)
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
        okx = np.isfinite(x)
        c = _roll(_bin_sum(idx, okx, nb), wb)
        cs = np.where(c > 0, c, np.nan)
        xs = _bin_sum(idx, x, nb)
        f[name] = _roll(xs, wb) / cs
        if name in ("div_pdist_ratio", "d_g_z1"):
            # window std: a diversity / D(G(z)) that swings up and down within the window
            xx = _bin_sum(idx, x * x, nb)
            f[name + "_std"] = np.sqrt(np.maximum(_roll(xx, wb) / cs - f[name] ** 2, 0.0))
            # std in each half of the centred window (trailing half ends at the bin, leading half
            # starts there): a swing fills both halves, a single fall only one of them
            h = max(wb // 2, 1)
            nbin = _bin_sum(idx, okx, nb)
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
            mx = pd.Series(np.where(okx, x, -np.inf)).groupby(idx).max().reindex(range(nb), fill_value=-np.inf)
            f[name + "_max"] = pd.Series(mx.to_numpy()).rolling(wb, center=True, min_periods=1).max().to_numpy()
        if name == "div_pdist_ratio":
            # reference: the best diversity the run has shown so far (collapse = falling from it)
            best = pd.Series(f[name]).cummax().to_numpy()
            f["div_pdist_ratio_best"] = best
    if "d_g_z1" in f or "d_g_z2" in f:
        f["d_g_z"] = f.get("d_g_z1", f.get("d_g_z2"))
    return f


def _helix_rows(d, g, profile):
    """Per-row crossing indicator and loss increments of the normalised strands (inf - inf
    is NaN here, as intended: such rows carry no increment)."""
    with np.errstate(invalid="ignore", over="ignore"):
        return _helix_rows_unchecked(d, g, profile)


def _helix_rows_unchecked(d, g, profile):
    # the one normalisation, shared with the report's helix picture (ganalyze.gan)
    dn, gn, _ = gan.helix_strands(d, g, profile.d_eq if profile.comparable else None,
                                  profile.g_eq if profile.comparable else None)
    diff = gn - dn
    cross = np.zeros(len(d), dtype=bool)
    dd = np.empty(len(d))
    dg = np.empty(len(d))
    dd[:1] = np.nan
    dg[:1] = np.nan
    if len(d) > 1:
        with np.errstate(invalid="ignore", over="ignore"):
            np.multiply(diff[1:], diff[:-1], out=diff[:-1])   # diff is scratch from here on
            np.less(diff[:-1], 0, out=cross[1:])              # NaN compares False
            np.subtract(dn[1:], dn[:-1], out=dd[1:])
            np.subtract(gn[1:], gn[:-1], out=dg[1:])
    return {"cross": cross, "dd": dd, "dg": dg, "d_norm": dn, "g_norm": gn}


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
    f = bin_features(frame, profile_for(a["loss"], a["d_loss_reduction"]), cfg)
    rb = f["row_bin"]
    out = pd.DataFrame({"step": frame["step"].to_numpy(), "crossing_rate": f["crossing_rate"][rb],
                        "anticorrelation": f["anticorrelation"][rb]}, index=frame.index)
    return out.reindex(df.index) if not frame.index.equals(df.index) else out
