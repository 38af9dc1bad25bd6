"""The sweep table: rows in run order, typed columns, the swept hyperparameters, files on disk."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ganalyze.sweep.row import fixed_columns

INT_COLUMNS = ("onset_step", "first_nonfinite_step", "n_segments", "rows", "first_step", "last_step",
               "div_step", "div_modes_covered")
HP = "hp."


def _tidy_hparam(col: pd.Series) -> pd.Series:
    """One dtype per hyperparameter column: bool, int, float, else text (None stays missing)."""
    vals = col.dropna()
    if vals.empty:
        return col.astype("object")
    if all(isinstance(v, (bool, np.bool_)) for v in vals):
        return col.astype("boolean")
    if all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in vals):
        return col.astype("Int64")
    if all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)) for v in vals):
        return col.astype("float64")
    return col.map(lambda v: None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)).astype("object")


def build_table(rows: list[dict]) -> pd.DataFrame:
    """Rows (``analyse_run`` dicts, in run order) as a DataFrame: fixed columns then ``hp.*`` sorted."""
    fixed = fixed_columns()
    hp = sorted({c for r in rows for c in r if c.startswith(HP)})
    # object columns first (no float coercion of ints with gaps), then one dtype per column
    df = pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype="object") for c in fixed + hp},
                      index=pd.RangeIndex(len(rows)))
    for c in INT_COLUMNS:
        df[c] = pd.to_numeric(df[c], errors="coerce").round().astype("Int64")
    for c in df.columns:
        if c.startswith("share_") or c.startswith("final_") or c in (
                "wall_s", "last_div_pdist_ratio", "div_kl_uniform", "analyse_s"):
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    for c in hp:
        df[c] = _tidy_hparam(df[c])
    for c in ("run", "verdict", "onset_label", "main_finding", "assumed_loss", "assumed_d_loss_reduction",
              "assumed_scores", "source", "error", "worker"):
        df[c] = df[c].astype("object").where(df[c].notna(), None)
    return df


def swept_hparams(df: pd.DataFrame) -> list[str]:
    """Hyperparameter names (without ``hp.``) that take more than one value across the runs."""
    out = []
    for c in df.columns:
        if c.startswith(HP) and df[c].dropna().astype(str).nunique() > 1:
            out.append(c[len(HP):])
    return out


def write_table(df: pd.DataFrame, out_dir) -> list[Path]:
    """``sweep.parquet`` and ``sweep.csv`` in ``out_dir`` (created); returns their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pq_path, csv_path = out / "sweep.parquet", out / "sweep.csv"
    df.to_parquet(pq_path, index=False)
    df.to_csv(csv_path, index=False)
    return [pq_path, csv_path]
