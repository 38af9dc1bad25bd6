"""Log variants derived on the fly from a corpus run, as outside training loops write their logs.

A corpus run holds every iteration and every column its loop computes. People's logs hold less:

* ``every``: one row every k iterations (k = 1, 10, 50, 100, 500), the row of that iteration only
  (the PyTorch DCGAN tutorial prints every 50; many repositories log every 100);
* ``averaged``: one row per interval of k iterations holding the interval's **mean** (Chainer's
  ``LogReport``, StyleGAN2-ADA's ``stats.jsonl`` ticks), stamped with the interval's last step;
* ``columns``: a subset, cumulative in the order of :data:`COLUMN_SETS` — losses only; + D outputs;
  + gradient norms; + a diversity column every ``diversity_every`` steps; + learning rates.

``make_variant(df, columns="grad_norms", every=1, averaged=False)`` returns a new frame with
``step`` plus the kept columns; ``gt_label`` is carried along when present (per kept row: the label
of that row's step; for averaged rows, the label of the interval's last step).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

LOSSES = ("d_loss", "g_loss")
D_OUTPUTS = ("d_x", "d_g_z1", "d_g_z2")
GRAD_NORMS = ("grad_norm_d", "grad_norm_g")
DIVERSITY = ("div_pdist_ratio",)
LEARNING_RATES = ("lr_d", "lr_g")
COLUMN_SETS = {
    "losses": LOSSES,
    "d_outputs": LOSSES + D_OUTPUTS,
    "grad_norms": LOSSES + D_OUTPUTS + GRAD_NORMS,
    "diversity": LOSSES + D_OUTPUTS + GRAD_NORMS + DIVERSITY,
    "lr": LOSSES + D_OUTPUTS + GRAD_NORMS + DIVERSITY + LEARNING_RATES,
}
INTERVALS = (1, 10, 50, 100, 500)


def subset(df: pd.DataFrame, columns: str) -> pd.DataFrame:
    if columns not in COLUMN_SETS:
        raise ValueError(f"columns: got {columns!r}; allowed: {', '.join(COLUMN_SETS)}")
    keep = ["step"] + [c for c in COLUMN_SETS[columns] if c in df.columns and df[c].notna().any()]
    if "gt_label" in df.columns:
        keep.append("gt_label")
    return df[keep]


def every_k(df: pd.DataFrame, k: int) -> pd.DataFrame:
    """Rows whose step is a multiple of ``k`` (sparse columns such as the diversity ratio keep the
    value of the nearest earlier row that had one, as a logger that prints its latest value)."""
    if k <= 1:
        return df.reset_index(drop=True)
    sparse = [c for c in DIVERSITY if c in df.columns]
    out = df.copy()
    if sparse:
        out[sparse] = out[sparse].ffill()
    return out[out["step"].to_numpy() % k == 0].reset_index(drop=True)


def averaged(df: pd.DataFrame, k: int) -> pd.DataFrame:
    """Means over consecutive intervals of ``k`` iterations, stamped with the last step of each."""
    if k <= 1:
        return df.reset_index(drop=True)
    steps = df["step"].to_numpy()
    bins = steps // k
    num = df.drop(columns=[c for c in ("gt_label", "run_id", "loop") if c in df.columns]).drop(columns="step")
    means = num.groupby(bins).mean()
    last = df.groupby(bins).tail(1)
    out = pd.DataFrame({"step": last["step"].to_numpy()}, index=means.index)
    out = pd.concat([out, means], axis=1)
    if "gt_label" in df.columns:
        out["gt_label"] = last["gt_label"].to_numpy()
    return out.reset_index(drop=True)


def make_variant(df: pd.DataFrame, columns: str = "lr", every: int = 1, is_averaged: bool = False) -> pd.DataFrame:
    """One log variant of a run (see the module docstring)."""
    base = df.sort_values("step")
    base = averaged(base, every) if is_averaged else every_k(base, every)
    out = subset(base, columns)
    return out.astype({c: np.float32 for c in out.columns if c not in ("step", "gt_label")})
