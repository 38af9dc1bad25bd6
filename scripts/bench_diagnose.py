"""Diagnose a 10-million-row run: time, peak memory, rows per second, for the default
(``diagnose(df)``, method auto: the learned model with the rules' vote, so both run), the rules
alone (``method="rules"``) and the learned model alone (``method="learned"``), the model's
loading included; baseline = per-row pandas rolling windows (rolling mean/std/corr of
the losses over 250 rows + the rules of [practitioner-loss-curves] per row), the straightforward
way to compute the same kind of statistics.

Each side runs in a fresh child process on the same synthetic run (same seed) so that its peak
resident memory (ru_maxrss, includes the 10M-row frame itself and the imports) is its own.
Target (issue 11): 10M rows in <= 5 s and < 2 GB for each method. Ends with one ``name=value``
line. Usage: python scripts/bench_diagnose.py [--rows N] [--repeats R] (each child runs R times;
the fastest run is reported: the CPU is shared)
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd


def make_run(rows: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    wob = rng.standard_normal(rows, dtype=np.float32)
    step = np.arange(rows, dtype=np.int64)
    d = (1.25 + 0.12 * wob).astype("float64")
    g = (0.95 - 0.15 * wob + 0.05 * rng.standard_normal(rows, dtype=np.float32)).astype("float64")
    d[rows // 2: rows // 2 + rows // 10] = 0.05      # a D-dominant stretch
    g[rows // 2: rows // 2 + rows // 10] = 5.0
    dgz = np.clip(0.3 + 0.05 * wob, 0, 1).astype("float64")
    dgz[rows // 2: rows // 2 + rows // 10] = 0.01
    div = np.full(rows, np.nan)
    div[::50] = 0.95
    df = pd.DataFrame({"step": step, "d_loss": d, "g_loss": g, "d_g_z1": dgz, "div_pdist_ratio": div})
    df.attrs = {"loss": "nsgan", "d_loss_reduction": "sum", "scores": "probability"}
    return df


def rules(df):
    from ganalyze.diagnose import diagnose

    d = diagnose(df, method="rules")
    return d.phases(df), len(d.segments)


def auto(df):
    from ganalyze.diagnose import diagnose

    d = diagnose(df)
    return d.phases(df), len(d.segments)


def learned(df):
    from ganalyze.diagnose import diagnose

    d = diagnose(df, method="learned")
    return d.phases(df), len(d.segments)


def baseline(df):
    w = 250
    d, g = df["d_loss"], df["g_loss"]
    dm, gm = d.rolling(w, center=True, min_periods=1).mean(), g.rolling(w, center=True, min_periods=1).mean()
    gs = g.rolling(w, center=True, min_periods=2).std()
    hist = g.expanding(min_periods=2).std()
    corr = d.diff().rolling(w, center=True, min_periods=3).corr(g.diff())
    lab = np.full(len(df), "healthy", dtype=object)
    lab[(gs > 2 * hist).to_numpy()] = "oscillation"
    lab[(dm < 0.3).to_numpy() & (gm > 1.5).to_numpy()] = "d_dominant"
    lab[(corr > 0.5).to_numpy()] = "stagnation"
    runs = int((lab[1:] != lab[:-1]).sum()) + 1
    return pd.Series(lab, index=df.index), runs


SIDES = {"auto": auto, "rules": rules, "learned": learned, "baseline": baseline}


def child(which: str, rows: int) -> None:
    df = make_run(rows)
    t0 = time.perf_counter()
    labels, n_seg = SIDES[which](df)      # imports and (learned) the model's loading included
    sec = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    share = float((labels.iloc[len(df) // 2 + len(df) // 40: len(df) // 2 + len(df) // 12] == "d_dominant").mean())
    print(json.dumps({"seconds": sec, "peak_mb": peak_mb, "segments": n_seg, "d_dominant_found": share}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--repeats", type=int, default=2, help="child processes per side; the fastest is reported")
    ap.add_argument("--child", choices=list(SIDES))
    a = ap.parse_args()
    if a.child:
        return child(a.child, a.rows)
    res = {}
    for which in SIDES:
        runs = []
        for _ in range(max(a.repeats, 1)):
            out = subprocess.run([sys.executable, __file__, "--child", which, "--rows", str(a.rows)],
                                 capture_output=True, text=True, check=True)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        res[which] = r = min(runs, key=lambda x: x["seconds"])
        print(f"{which:>8s}: {a.rows:,} rows in {r['seconds']:.2f} s ({a.rows / r['seconds']:,.0f} rows/s), "
              f"peak RSS {r['peak_mb']:.0f} MB, {r['segments']} segments, planted d_dominant found on "
              f"{r['d_dominant_found']:.0%} of its rows")
    o, lrn, b, au = res["rules"], res["learned"], res["baseline"], res["auto"]
    print(f"speedup_vs_baseline={b['seconds'] / au['seconds']:.2f} auto_s={au['seconds']:.2f} "
          f"auto_peak_gb={au['peak_mb'] / 1024:.2f} rules_speedup_vs_baseline={b['seconds'] / o['seconds']:.2f} "
          f"rules_s={o['seconds']:.2f} "
          f"rules_rows_per_s={a.rows / o['seconds']:.0f} rules_peak_gb={o['peak_mb'] / 1024:.2f} "
          f"learned_s={lrn['seconds']:.2f} learned_peak_gb={lrn['peak_mb'] / 1024:.2f} "
          f"learned_speedup_vs_baseline={b['seconds'] / lrn['seconds']:.2f} "
          f"baseline_s={b['seconds']:.2f} baseline_peak_gb={b['peak_mb'] / 1024:.2f} rows={a.rows}")


if __name__ == "__main__":
    main()
