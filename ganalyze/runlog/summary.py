"""What ``ganalyze summary RUN`` prints: size, steps, columns, metadata, loss statistics."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

STAT_COLUMNS = ("d_loss", "g_loss", "d_loss_real", "d_loss_fake", "d_x", "d_g_z1", "d_g_z2")


def run_summary(df: pd.DataFrame) -> dict:
    """A JSON-able summary of a run DataFrame (as returned by ``read_run``).

    ``stats`` per loss/score column: count of finite values, NaN and inf counts, mean, std,
    min, quartiles, max, first and last finite value. NaN/inf are excluded from the
    moments (and counted), so one diverged step does not turn the mean into inf.
    """
    steps = df["step"].to_numpy()
    gaps = np.diff(steps)
    out = {
        "rows": int(len(df)),
        "steps": {
            "first": int(steps[0]) if len(steps) else None,
            "last": int(steps[-1]) if len(steps) else None,
            "median_interval": float(np.median(gaps)) if len(gaps) else None,
        },
        "columns": {c: {"dtype": str(df[c].dtype), "non_null": int(df[c].notna().sum())} for c in df.columns},
        "meta": dict(df.attrs),
        "stats": {},
    }
    for col in STAT_COLUMNS:
        if col not in df.columns:
            continue
        v = df[col].to_numpy(dtype="float64")
        fin = v[np.isfinite(v)]
        st = {"finite": int(fin.size), "nan": int(np.isnan(v).sum()), "inf": int(np.isinf(v).sum())}
        if fin.size:
            q = np.quantile(fin, [0.0, 0.25, 0.5, 0.75, 1.0])
            st.update(mean=float(fin.mean()), std=float(fin.std(ddof=1)) if fin.size > 1 else 0.0,
                      min=float(q[0]), q25=float(q[1]), median=float(q[2]), q75=float(q[3]), max=float(q[4]),
                      first=float(fin[0]), last=float(fin[-1]))
        out["stats"][col] = st
    return out


def format_summary(summary: dict, name: str = "run") -> str:
    """Human-readable text of :func:`run_summary`."""
    s = summary["steps"]
    lines = [f"run: {name}",
             f"rows: {summary['rows']}   steps: {s['first']} .. {s['last']}"
             + (f"   (median interval {s['median_interval']:g})" if s["median_interval"] is not None else "")]
    lines.append("columns:")
    for col, info in summary["columns"].items():
        lines.append(f"  {col:<18} {info['dtype']:<8} {info['non_null']} non-null")
    lines.append("metadata:")
    for key in sorted(summary["meta"]):
        value = summary["meta"][key]
        text = json.dumps(value, sort_keys=True) if isinstance(value, (dict, list)) else str(value)
        lines.append(f"  {key}: {text}")
    if summary["stats"]:
        lines.append("statistics (finite values; NaN/inf counted separately):")
        head = f"  {'column':<12} {'n':>7} {'mean':>10} {'std':>10} {'min':>10} {'median':>10} {'max':>10} {'last':>10} {'nan':>5} {'inf':>5}"
        lines.append(head)
        for col, st in summary["stats"].items():
            if st["finite"]:
                lines.append(f"  {col:<12} {st['finite']:>7} {st['mean']:>10.4g} {st['std']:>10.4g} {st['min']:>10.4g} "
                             f"{st['median']:>10.4g} {st['max']:>10.4g} {st['last']:>10.4g} {st['nan']:>5} {st['inf']:>5}")
            else:
                lines.append(f"  {col:<12} {0:>7} {'-':>10} {'-':>10} {'-':>10} {'-':>10} {'-':>10} {'-':>10} {st['nan']:>5} {st['inf']:>5}")
    return "\n".join(lines)
