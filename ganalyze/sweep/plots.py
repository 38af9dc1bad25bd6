"""Small multiples: each label's share of the steps against one swept hyperparameter.

``plot_shares_by(table, hparam)`` draws one panel per label that occurs in the sweep; each dot is
one run (share of its logged steps with that label), the line/diamonds the mean per value.
Numeric hyperparameters get a numeric axis (log scale when all values are positive and span a
factor >= 10); others one slot per value, dots jittered sideways (seeded, so the picture is stable).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ganalyze.sweep.table import HP


def label_columns(table: pd.DataFrame) -> list[str]:
    """``share_<label>`` columns with a non-zero share in some run, in LABELS order."""
    ok = table[table["error"].isna()] if "error" in table.columns else table
    return [c for c in table.columns if c.startswith("share_") and ok[c].fillna(0).gt(0).any()]


def _numeric(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)


def plot_shares_by(table: pd.DataFrame, hparam: str, colors: dict | None = None):
    """Figure of small multiples (module doc). ``hparam`` without the ``hp.`` prefix."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    if colors is None:
        from ganalyze.report.plots import PHASE_COLORS as colors
    col = HP + hparam
    ok = table[table["error"].isna() & table[col].notna()] if "error" in table.columns else table[table[col].notna()]
    shares = label_columns(ok) or ["share_healthy"]
    n = len(shares)
    ncols = min(n, 4)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.1 * ncols, 2.5 * nrows), squeeze=False,
                             layout="constrained", sharey=True)
    x_raw = ok[col]
    numeric = _numeric(x_raw)
    rng = np.random.default_rng(0)
    if numeric:
        x = x_raw.to_numpy(dtype="float64")
        positive = (x > 0).all() and x.size and x.max() / x.min() >= 10
        keys = np.unique(x)
        xticks = None
    else:
        cats = sorted(x_raw.astype(str).unique())
        pos = {c: i for i, c in enumerate(cats)}
        x = x_raw.astype(str).map(pos).to_numpy(dtype="float64") + rng.uniform(-0.18, 0.18, len(x_raw))
        keys = np.arange(len(cats), dtype="float64")
        xticks = cats
        positive = False
    for k, share in enumerate(shares):
        ax = axes[k // ncols][k % ncols]
        label = share[len("share_"):]
        y = ok[share].to_numpy(dtype="float64")
        color = colors.get(label, "#555555")
        ax.scatter(x, y, s=10, alpha=0.55, color=color, linewidths=0, label="runs")
        groups = x_raw.to_numpy(dtype="float64") if numeric else np.round(x)
        means = np.array([y[groups == v].mean() if (groups == v).any() else np.nan for v in keys])
        if numeric:
            ax.plot(keys, means, color="#1d2330", lw=1.2, marker="o", ms=3, label="mean per value")
        else:
            ax.scatter(keys, means, color="#1d2330", marker="D", s=22, zorder=3, label="mean per value")
            ax.set_xticks(keys, [t if len(t) <= 12 else t[:11] + "…" for t in xticks], rotation=30,
                          ha="right", fontsize=7)
        if positive:
            ax.set_xscale("log")
        ax.set_title(label, fontsize=9, color=color if label != "warmup" else "#555555")
        ax.set_ylim(-0.04, 1.04)
        ax.grid(alpha=0.25)
        if k % ncols == 0:
            ax.set_ylabel("share of steps")
        if k // ncols == nrows - 1:
            ax.set_xlabel(hparam, fontsize=8)
    for k in range(n, nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    fig.suptitle(f"label shares against {hparam} ({len(ok)} runs)", fontsize=10)
    return fig


def verdict_counts(table: pd.DataFrame, hparam: str, max_values: int = 12) -> pd.DataFrame:
    """Runs per (value of ``hparam``, verdict); numeric hyperparameters with more than
    ``max_values`` distinct values are cut into quantile bins."""
    col = HP + hparam
    ok = table[table["error"].isna() & table[col].notna()] if "error" in table.columns else table[table[col].notna()]
    key = ok[col]
    if _numeric(key) and key.nunique() > max_values:
        key = pd.qcut(key.astype("float64"), q=min(max_values, 8), duplicates="drop").astype(str)
    out = pd.crosstab(key.rename(hparam), ok["verdict"])
    return out
