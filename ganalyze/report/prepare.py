"""Data preparation for the report's figures: everything that is a number, nothing that draws.

Each function takes a run DataFrame (the run format, metadata in ``df.attrs``) and returns
plain arrays/DataFrames, so what a figure shows can be tested without looking at pixels.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ganalyze import gan
from ganalyze.errors import GanalyzeError
from ganalyze.report.config import ReportConfig  # noqa: F401  (re-exported: the report's defaults)
from ganalyze.report.decimate import first_at_or_after, minmax_decimate
from ganalyze.runlog.smooth import debiased_ema, step_gaps
from ganalyze.validate import check_image


@dataclass(frozen=True)
class Reference:
    """A horizontal reference line: the value a loss takes at the GAN equilibrium."""

    column: str   # "d_loss", "g_loss", "d_loss_real", "d_loss_fake"
    value: float
    label: str    # says the convention, e.g. "1.386 (BCE at D = ½, D loss = real + fake)"


def run_meta(df: pd.DataFrame) -> dict:
    """The run's metadata (``df.attrs``) with the three enumerations always present."""
    meta = dict(df.attrs or {})
    for key in ("loss", "d_loss_reduction", "scores"):
        meta.setdefault(key, "unknown")
    return meta


def loss_references(meta: dict) -> list[Reference]:
    """Equilibrium values of the logged losses for the run's declared loss type and reduction,
    from :func:`ganalyze.gan.equilibrium` (the diagnosis' levels come from the same place).
    An unknown reduction draws no D-total line (a wrong line misleads more than none)."""
    eq = gan.equilibrium(meta.get("loss", "unknown"), meta.get("d_loss_reduction", "unknown"),
                         meta.get("lsgan_terms", "half"))
    refs: list[Reference] = []
    if eq.d_part is not None:
        refs += [Reference("d_loss_real", eq.d_part.value, eq.d_part.label),
                 Reference("d_loss_fake", eq.d_part.value, eq.d_part.label)]
    if eq.d is not None:
        refs.append(Reference("d_loss", eq.d.value, eq.d.label))
    if eq.g is not None:
        refs.append(Reference("g_loss", eq.g.value, eq.g.label))
    return refs


def default_span(df: pd.DataFrame) -> float:
    """EMA span in steps: 1% of the run's step range, but at least 8 logged rows (runs logged
    every k steps, like the DCGAN tutorial's every 50) and at least 5 steps."""
    steps = df["step"].to_numpy()
    if len(steps) < 2:
        return 5.0
    extent = float(steps[-1]) - float(steps[0])   # as floats: no int64 overflow near its limits
    gap = float(np.median(step_gaps(steps[: min(len(steps), 10_001)])))
    return float(max(5.0, round(extent / 100.0), 8 * gap))


def require_columns(df: pd.DataFrame, columns, what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise GanalyzeError(
            f"df: missing column(s) {', '.join(missing)} for {what} "
            f"(have: {', '.join(map(str, df.columns))}); allowed: a run with those columns"
        )


def smoothed(df: pd.DataFrame, column: str, span: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(steps, values, debiased EMA) of the logged (non-NaN) rows of ``column``. Computed on each
    call from the frame as it is now (no cache: a notebook may assign ``df["d_loss"] = ...``).
    ``values`` keep the column's float dtype (float32 of a long run: no float64 copy); the EMA
    is float64."""
    values = df[column].to_numpy()
    if not np.issubdtype(values.dtype, np.floating):
        values = values.astype(np.float64)
    steps = df["step"].to_numpy()
    logged = ~np.isnan(values)
    if not logged.all():
        values, steps = values[logged], steps[logged]
    smooth = debiased_ema(values, steps, span) if len(values) > 1 else values.astype(np.float64)
    return steps, values, smooth


def curve(df: pd.DataFrame, column: str, span: float | None = None, n_columns: int = 2000) -> dict:
    """One series ready to draw: raw and EMA-smoothed, each reduced to min/max per column.

    Returns ``{"raw": (x, y), "smooth": (x, y), "span": span}``; rows where the column is
    NaN (not logged there) are dropped first, so every-k-steps columns draw as lines.
    """
    require_columns(df, ["step", column], f"the {column} curve")
    if span is None:
        span = default_span(df)
    steps, values, smooth = smoothed(df, column, span)
    if len(values) == 0:
        empty = (np.array([]), np.array([]))
        return {"raw": empty, "smooth": empty, "span": span}
    return {"raw": minmax_decimate(steps, values, n_columns),
            "smooth": minmax_decimate(steps, smooth, n_columns), "span": span}


def has_values(df: pd.DataFrame, column: str) -> bool:
    return column in df.columns and bool(df[column].notna().any())


def helix_frame(df: pd.DataFrame, span: float | None = None, n_points: int = 600,
                assumptions: dict | None = None) -> tuple[pd.DataFrame, str]:
    """The two strands of the DNA-helix overlay, on a common scale, at ``n_points`` steps.

    Both losses are smoothed (debiased EMA, ``span`` steps), then put on one scale by
    :func:`ganalyze.gan.helix_strands`, the normalisation the diagnosis' crossing rate uses:
    relative to each loss's equilibrium value (BCE, LSGAN) or robust z-scores (WGAN-GP, hinge).
    ``assumptions``: the diagnosis' resolved ``loss`` / ``d_loss_reduction``; None = resolve them
    the way the diagnosis does (declared metadata, else inferred from the numbers).
    ``gap = g_norm - d_norm``: > 0 means G's loss is relatively higher, i.e. D is winning.
    The strands are sampled at ``n_points`` evenly spaced steps (the smoothed series has no
    detail finer than ``span``; sampling, not min/max, keeps strands continuous for rungs).
    Returns (frame with step, d_norm, g_norm, gap; a one-line description of the scale).
    """
    require_columns(df, ["step", "d_loss", "g_loss"], "the helix overlay")
    steps = df["step"].to_numpy()
    if span is None:
        span = default_span(df)
    if len(steps) > n_points:
        at = np.linspace(steps[0], steps[-1], n_points)
        idx = np.clip(first_at_or_after(steps, at), 0, len(steps) - 1)
    else:
        idx = np.arange(len(steps))

    def smooth_of(col):
        col_steps, _, s = smoothed(df, col, span)
        finite = np.isfinite(s)
        if not finite.all():
            s = np.where(finite, s, np.nan)
        if len(col_steps) != len(steps):       # put back the rows where the loss was not logged
            s = pd.Series(s, index=col_steps).reindex(steps).to_numpy()
        return s

    if assumptions is None:
        from ganalyze.diagnose.thresholds import resolve_assumptions

        assumptions = resolve_assumptions(df)
    eq = gan.equilibrium(assumptions["loss"], assumptions["d_loss_reduction"], assumptions.get("lsgan_terms", "half"))
    d_eq, g_eq = eq.d.value if eq.d else None, eq.g.value if eq.g else None
    if assumptions.get("g_loss_terms") == "composite":   # G's level holds other terms: z-scores, as the diagnosis
        g_eq = None
    # memory of a long run: one smoothed series at a time, kept only at the sampled steps
    d_norm, g_norm, scale = gan.helix_strands(smooth_of("d_loss")[idx], smooth_of("g_loss")[idx], d_eq, g_eq)
    if "z-score" in scale:   # the robust z-scores need the whole series (per-step scaling does not)
        s = smooth_of("d_loss")
        d_norm = gan.helix_strands(s, s[:1], d_eq, g_eq)[0][idx]
        s = smooth_of("g_loss")
        g_norm = gan.helix_strands(s[:1], s, d_eq, g_eq)[1][idx]
        del s
    out = pd.DataFrame({"step": steps[idx], "d_norm": d_norm, "g_norm": g_norm})
    out["gap"] = out["g_norm"] - out["d_norm"]
    return out, scale


def helix_table(diagnosis) -> pd.DataFrame:
    """The diagnosis' helix table (:meth:`Diagnosis.helix_stats`) without one row per logged row.

    The rolling crossing rate and anti-correlation are constant within each window bin of the
    feature pass, so each bin becomes two rows, at its first and its last logged step, with the
    bin's values; ``rows`` is the number of logged rows a row stands for (the bin's count on the
    first, 0 on the second), so :func:`helix_mean` is the per-logged-row mean of the full table.
    A line through these rows is the full table's step function (50 M rows: ~400k, not 50 M)."""
    h = diagnosis.helix
    counts = np.asarray(h["rows_per_bin"], dtype=np.int64)
    edges = np.concatenate([[0], np.cumsum(counts)])
    used = counts > 0
    first, last = edges[:-1][used], edges[1:][used] - 1
    steps = np.asarray(diagnosis.row_steps)
    x = np.empty(2 * len(first), dtype=steps.dtype)
    x[0::2], x[1::2] = steps[first], steps[last]
    rows = np.zeros(2 * len(first), dtype=np.int64)
    rows[0::2] = counts[used]
    out = {"step": x, "rows": rows}
    for col in ("crossing_rate", "anticorrelation"):
        out[col] = np.repeat(np.asarray(h[col], dtype=np.float64)[used], 2)
    return pd.DataFrame(out)


def helix_mean(stats: pd.DataFrame, column: str) -> float:
    """Mean of a helix table's ``column`` per logged row: weighted by ``rows`` in a
    :func:`helix_table`, plain (NaN skipped) in a per-row ``helix_stats`` table."""
    y = stats[column].to_numpy(dtype=np.float64)
    ok = ~np.isnan(y)
    if not ok.any():
        return float("nan")
    if "rows" not in stats.columns:
        return float(np.mean(y[ok]))
    w = stats["rows"].to_numpy(dtype=np.float64)[ok]
    return float(np.sum(y[ok] * w) / np.sum(w)) if w.sum() > 0 else float("nan")


def phase_spans(phases, steps) -> list[tuple[int, int, str]]:
    """Contiguous (first_step, last_step, label) stretches of the phase timeline.

    ``phases``: a per-row label Series (``Diagnosis.phases(df)``), or the diagnosis' segments
    (objects with start_step, end_step, label, or such tuples) — cheaper on long runs.
    """
    if phases is None:
        return []
    if isinstance(phases, (list, tuple)):
        out = []
        for seg in phases:
            if isinstance(seg, tuple):
                out.append((int(seg[0]), int(seg[1]), str(seg[2])))
            else:
                out.append((int(seg.start_step), int(seg.end_step), str(seg.label)))
        return out
    codes, names = pd.factorize(pd.Series(phases).reset_index(drop=True))
    steps = np.asarray(steps)
    if len(codes) == 0:
        return []
    change = np.flatnonzero(codes[1:] != codes[:-1]) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change - 1, [len(codes) - 1]])
    return [(int(steps[a]), int(steps[b]), str(names[codes[a]])) for a, b in zip(starts, ends)]


def sample_grids(run_dir: Path | None, max_grids: int = 8) -> list[tuple[int, Path]]:
    """(step, path) of the fixed-noise grids ``samples/step_NNNNNN.png``, evenly thinned to
    ``max_grids`` (always keeping the first and the last)."""
    if run_dir is None:
        return []
    folder = Path(run_dir) / "samples"
    if not folder.is_dir():
        return []
    found = []
    for p in folder.glob("step_*.png"):
        try:
            step = int(p.stem.split("_", 1)[1])
        except ValueError:
            continue
        try:   # header only: a corrupt, empty, huge or non-file entry is skipped, not fatal
            check_image(p, "sample grid")
        except GanalyzeError as err:
            warnings.warn(f"skipping {err}", stacklevel=2)
            continue
        found.append((step, p))
    found.sort()
    if len(found) > max_grids:
        keep = np.unique(np.linspace(0, len(found) - 1, max_grids).round().astype(int))
        found = [found[i] for i in keep]
    return found
