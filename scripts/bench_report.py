"""Benchmark: time and peak memory of `ganalyze report` on a 10-million-row and a 1,000-row run.

Each measurement runs in a fresh child process (so peak RSS is that measurement's own):
  ours_10m   render_report on a 10M-row run (read + diagnose + all figures + HTML)
  ours_1k    the same on a 1,000-row run
  base_10m   baseline: the loss figure drawn the naive way (every raw point plotted, then the
             EMA line), same PNG size, on the same 10M rows
  fig_10m    ours: the same loss figure via plot_losses (smooth, then min/max per column)
The ratio base_10m / fig_10m compares like with like (one loss figure). The target of issue #5
is ours_10m <= 15 s. Usage: python scripts/bench_report.py [--rows 10000000]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def make_run(rows: int, seed: int = 0) -> pd.DataFrame:
    """A healthy-looking run with a few one-step spikes (which a report must still show)."""
    rng = np.random.default_rng(seed)
    s = np.arange(rows, dtype=np.int64)
    period = max(rows / 20, 10)
    d = 1.35 + 0.25 * np.sin(2 * np.pi * s / period) + 0.1 * rng.standard_normal(rows)
    g = 0.75 - 0.25 * np.sin(2 * np.pi * s / period) + 0.1 * rng.standard_normal(rows)
    g[rng.integers(0, rows, 5)] = 12.0
    df = pd.DataFrame({"step": s, "d_loss": d, "g_loss": g, "d_loss_real": 0.45 * d, "d_loss_fake": 0.55 * d,
                       "d_x": np.clip(0.8 + 0.05 * rng.standard_normal(rows), 0, 1),
                       "d_g_z1": np.clip(0.3 + 0.05 * rng.standard_normal(rows), 0, 1)})
    df.attrs = {"loss": "nsgan", "d_loss_reduction": "sum", "scores": "probability"}
    return df


def child(kind: str, run_dir: str, out: str) -> None:
    t0 = time.perf_counter()
    if kind == "report":
        from ganalyze.report import render_report

        render_report([run_dir], out)
    else:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from ganalyze.report import plots
        from ganalyze.runlog import read_run

        df = read_run(run_dir)
        t0 = time.perf_counter()           # figure only: reading is the same for both
        if kind == "naive_fig":
            from ganalyze.runlog.smooth import debiased_ema

            fig, ax = plt.subplots(figsize=(11, 3.6), layout="constrained")
            for col, color in (("d_loss", plots.D_COLOR), ("g_loss", plots.G_COLOR)):
                ax.plot(df["step"], df[col], color=color, alpha=0.3, linewidth=0.6)
                ax.plot(df["step"], debiased_ema(df[col].to_numpy(), df["step"].to_numpy(), len(df) / 100),
                        color=color, linewidth=1.8)
        else:
            fig = plots.plot_losses(df).figure
        fig.savefig(Path(out) / f"{kind}.png", dpi=110)
        plt.close(fig)
    seconds = time.perf_counter() - t0
    # VmHWM: this process's own peak RSS (ru_maxrss would carry the parent's over exec)
    status = Path("/proc/self/status").read_text()
    peak_mib = int(status.split("VmHWM:")[1].split()[0]) / 1024
    print(json.dumps({"seconds": seconds, "peak_mib": peak_mib}))


def measure(kind: str, run_dir: Path, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    res = subprocess.run([sys.executable, __file__, "--child", kind, str(run_dir), str(out)],
                         capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--child", nargs=3)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    from ganalyze.runlog import write_run

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, rows in (("big", args.rows), ("small", 1000)):
            df = make_run(rows)
            write_run(df, tmp / name, df.attrs)
            del df
        r = {
            "ours_1k": measure("report", tmp / "small", tmp / "out_small"),
            "ours_10m": measure("report", tmp / "big", tmp / "out_big"),
            "fig_10m": measure("fig", tmp / "big", tmp / "out_fig"),
            "base_10m": measure("naive_fig", tmp / "big", tmp / "out_fig"),
        }
    for k, v in r.items():
        print(f"{k:9s} {v['seconds']:7.2f} s   peak RSS {v['peak_mib']:7.0f} MiB", file=sys.stderr)
    ratio = r["base_10m"]["seconds"] / r["fig_10m"]["seconds"]
    print(f"loss figure on {args.rows:,} rows: naive {r['base_10m']['seconds']:.2f} s, "
          f"ours {r['fig_10m']['seconds']:.2f} s, ratio {ratio:.1f}x", file=sys.stderr)
    sys.stderr.flush()
    print(f"rows={args.rows} report_10m_s={r['ours_10m']['seconds']:.2f} report_10m_peak_mib={r['ours_10m']['peak_mib']:.0f} "
          f"report_1k_s={r['ours_1k']['seconds']:.2f} report_1k_peak_mib={r['ours_1k']['peak_mib']:.0f} "
          f"lossfig_naive_s={r['base_10m']['seconds']:.2f} lossfig_ours_s={r['fig_10m']['seconds']:.2f} "
          f"speedup_vs_naive={ratio:.1f}")


if __name__ == "__main__":
    main()
