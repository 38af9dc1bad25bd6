"""Data preparation for the report's figures: everything that is a number, nothing that draws.

Each function takes a run DataFrame (the run format, metadata in ``df.attrs``) and returns
plain arrays/DataFrames, so what a figure shows can be tested without looking at pixels.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.validate import check_image
from ganalyze.report.decimate import minmax_decimate
from ganalyze.runlog.smooth import debiased_ema, step_gaps

LN2 = math.log(2.0)


@dataclass(frozen=True)
class ReportConfig:
    """Defaults of ``ganalyze report`` (the CLI takes its defaults from here).

    span: EMA span in steps for the smoothed curves; None = 1% of the run's steps (>= 5).
    n_columns: pixel columns a long series is reduced to (min and max kept per column).
    dpi / width_in: PNG resolution and figure width in inches.
    """

    span: float | None = None
    n_columns: int = 2000
    dpi: int = 110
    width_in: float = 11.0
    max_sample_grids: int = 8


@dataclass(frozen=True)
class Reference:
    """A horizontal reference line: the value a loss takes at the GAN equilibrium."""

    column: str   # "d_loss", "g_loss", "d_loss_real", "d_loss_fake"
    value: float
    label: str    # says the convention, e.g. "2·ln 2 = 1.386 (BCE, D loss summed)"


def run_meta(df: pd.DataFrame) -> dict:
    """The run's metadata (``df.attrs``) with the three enumerations always present."""
    meta = dict(df.attrs or {})
    for key in ("loss", "d_loss_reduction", "scores"):
        meta.setdefault(key, "unknown")
    return meta


def loss_references(meta: dict) -> list[Reference]:
    """Equilibrium values of the logged losses (D(x) = D(G(z)) = 1/2 for BCE and LSGAN).

    - minimax / nsgan (BCE): each D part is -ln(1/2) = ln 2, so D loss = 2·ln 2 summed or
      ln 2 averaged; nsgan's G loss -ln D(G(z)) = ln 2; minimax's G loss ln(1 - D(G(z))) = -ln 2.
    - lsgan (0.5·MSE, targets 0/1): each D part 0.5·(1/2)² = 0.125, summed 0.25, G 0.125.
    - wgan-gp: D loss -> 0 as the critic's Wasserstein estimate closes; G has no fixed value.
    - hinge: D loss = 2 when D ≡ 0; G has no fixed value.
    An unknown reduction draws no D-total line (a wrong line misleads more than none).
    """
    loss, red = meta.get("loss", "unknown"), meta.get("d_loss_reduction", "unknown")
    refs: list[Reference] = []
    if loss in ("minimax", "nsgan"):
        refs += [Reference("d_loss_real", LN2, "ln 2 = 0.693 (BCE part at D = ½)"),
                 Reference("d_loss_fake", LN2, "ln 2 = 0.693 (BCE part at D = ½)")]
        if red == "sum":
            refs.append(Reference("d_loss", 2 * LN2, "2·ln 2 = 1.386 (BCE, D loss = real + fake)"))
        elif red == "mean":
            refs.append(Reference("d_loss", LN2, "ln 2 = 0.693 (BCE, D loss = mean of parts)"))
        if loss == "nsgan":
            refs.append(Reference("g_loss", LN2, "ln 2 = 0.693 (non-saturating G, −ln D(G(z)))"))
        else:
            refs.append(Reference("g_loss", -LN2, "−ln 2 = −0.693 (minimax G, ln(1 − D(G(z))))"))
    elif loss == "lsgan":
        refs += [Reference("d_loss_real", 0.125, "0.125 (LSGAN part at D = ½)"),
                 Reference("d_loss_fake", 0.125, "0.125 (LSGAN part at D = ½)"),
                 Reference("g_loss", 0.125, "0.125 (LSGAN G at D = ½)")]
        if red == "sum":
            refs.append(Reference("d_loss", 0.25, "0.25 (LSGAN, D loss = real + fake)"))
        elif red == "mean":
            refs.append(Reference("d_loss", 0.125, "0.125 (LSGAN, D loss = mean)"))
    elif loss == "wgan-gp":
        refs.append(Reference("d_loss", 0.0, "0 (WGAN-GP: critic gap closed)"))
    elif loss == "hinge":
        refs.append(Reference("d_loss", 2.0, "2 (hinge, D ≡ 0)"))
    return refs


# Seed 000's table of healthy ranges (probabilities): D(x) 0.7-0.9; D(G(z)) 0.1-0.3 in the
# table, 0.2-0.4 in its text; the spec's healthy label uses 0.1-0.4.
SCORE_BANDS = {"d_x": (0.7, 0.9), "d_g_z": (0.1, 0.4)}


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


_SMOOTH_CACHE: dict[int, dict] = {}


def smoothed(df: pd.DataFrame, column: str, span: float) -> tuple[np.ndarray, np.ndarray]:
    """(steps, debiased EMA) of the logged (non-NaN) rows of ``column``, memoised per
    DataFrame object (the loss figure and the helix share the work on 10M-row runs; the entry
    is dropped when the DataFrame is garbage-collected)."""
    import weakref

    key = (column, float(span), len(df))
    per_df = _SMOOTH_CACHE.get(id(df))
    if per_df is None:
        per_df = _SMOOTH_CACHE[id(df)] = {}
        weakref.finalize(df, _SMOOTH_CACHE.pop, id(df), None)
    if key not in per_df:
        values = df[column].to_numpy(dtype=np.float64)
        steps = df["step"].to_numpy()
        logged = ~np.isnan(values)
        if not logged.all():
            values, steps = values[logged], steps[logged]
        smooth = debiased_ema(values, steps, span) if len(values) > 1 else values.copy()
        per_df[key] = (steps, values, smooth)
    return per_df[key]


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


def helix_frame(df: pd.DataFrame, span: float | None = None, n_points: int = 600) -> tuple[pd.DataFrame, str]:
    """The two strands of the DNA-helix overlay, on a common scale, at ``n_points`` steps.

    Both losses are smoothed (debiased EMA, ``span`` steps) then put on one scale:
    - losses with an equilibrium value (BCE, LSGAN, known reduction): each loss divided by its
      own equilibrium value, so 1 = "at equilibrium" for both and the gap means who is winning;
    - otherwise: each loss minus its own median, divided by the pooled robust spread (IQR/1.349)
      of both, so crossings are visible but the absolute level is not comparable.
    ``gap = g_norm - d_norm``: > 0 means G's loss is relatively higher, i.e. D is winning.
    The strands are sampled at ``n_points`` evenly spaced steps (the smoothed series has no
    detail finer than ``span``; sampling, not min/max, keeps strands continuous for rungs).
    Returns (frame with step, d_norm, g_norm, gap; a one-line description of the scale).
    """
    require_columns(df, ["step", "d_loss", "g_loss"], "the helix overlay")
    steps = df["step"].to_numpy()
    if span is None:
        span = default_span(df)
    smooth_of = {}
    for col in ("d_loss", "g_loss"):
        col_steps, _, s = smoothed(df, col, span)
        s = np.where(np.isfinite(s), s, np.nan)
        if len(col_steps) != len(steps):       # put back the rows where the loss was not logged
            s = pd.Series(s, index=col_steps).reindex(steps).to_numpy()
        smooth_of[col] = s
    refs = {r.column: r.value for r in loss_references(run_meta(df))}
    if refs.get("d_loss", 0) > 0 and refs.get("g_loss", 0) > 0:
        d_norm = smooth_of["d_loss"] / refs["d_loss"]
        g_norm = smooth_of["g_loss"] / refs["g_loss"]
        scale = (f"each loss ÷ its equilibrium value (D {refs['d_loss']:.3f}, G {refs['g_loss']:.3f}); "
                 "1 = equilibrium")
    else:
        d_c = smooth_of["d_loss"] - np.nanmedian(smooth_of["d_loss"])
        g_c = smooth_of["g_loss"] - np.nanmedian(smooth_of["g_loss"])
        pooled = np.concatenate([d_c, g_c])
        q75, q25 = np.nanpercentile(pooled, [75, 25]) if np.isfinite(pooled).any() else (1.0, 0.0)
        spread = (q75 - q25) / 1.349 or 1.0
        d_norm, g_norm = d_c / spread, g_c / spread
        scale = "each loss minus its median, ÷ pooled robust spread (levels not comparable)"
    if len(steps) > n_points:
        at = np.linspace(steps[0], steps[-1], n_points)
        idx = np.clip(np.searchsorted(steps, at), 0, len(steps) - 1)
    else:
        idx = np.arange(len(steps))
    out = pd.DataFrame({"step": steps[idx], "d_norm": d_norm[idx], "g_norm": g_norm[idx]})
    out["gap"] = out["g_norm"] - out["d_norm"]
    return out, scale


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
