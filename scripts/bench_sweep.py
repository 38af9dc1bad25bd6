"""Benchmark: `ganalyze sweep` over 1,000 runs x 10,000 rows; runs per second and driver memory.

Runs are made from the project's corpus (data/labelled_runs, sample_runs): each is one real run
tiled to 10,000 rows (steps renumbered), with a little seeded noise so no two are equal, and a
config.json whose lr_d/lr_g/seed vary as in a sweep. Each measurement runs in a fresh child
process (its peak RSS is the driver's own; worker processes are not counted):

  w1      baseline: the local process pool with 1 worker
  w2      ours: the local process pool with 2 workers (same runs)
          (w1 and w2 alternate over --rounds chunks of the runs, each chunk in a fresh process, so
          that the shared machine's changing load hits both alike; their runs/s is over all chunks)
  w2_all  the 2-worker pool over all runs in one sweep (one pool start-up)
  dask    a Dask LocalCluster, 2 worker processes x 1 thread (timed after the cluster is up; the
          scheduler lives in the driver process, so its memory counts there)
  w2_small  the 2-worker pool on a quarter of the runs: the driver's peak memory should not grow
          with the number of runs (compare with w2_all)

Pool start-up (forkserver, imports) is inside the w1/w2 times. The machine is shared: other
jobs compete for its 2 cores, so absolute numbers vary from run to run; the ratio w2/w1 is the
figure of merit (goal >= 1.7x). Usage:
  python scripts/bench_sweep.py [--runs 1000] [--rows 10000] [--dir DIR (kept, reused)]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ("step", "d_loss", "g_loss", "d_loss_real", "d_loss_fake", "d_x", "d_g_z1", "d_g_z2",
           "grad_norm_d", "grad_norm_g", "lr_d", "lr_g", "div_pdist_ratio", "time_s")


def make_runs(folder: Path, n: int, rows: int) -> None:
    """``n`` runs of ``rows`` rows under ``folder`` (module doc); skipped if already there."""
    from ganalyze.runlog import read_run, write_run

    done = folder / f".done-{n}-{rows}"
    if done.exists():
        return
    sources = sorted((ROOT / "data" / "labelled_runs").glob("*.parquet")) + sorted(
        (ROOT / "sample_runs").glob("*/run.parquet"))
    corpus = [read_run(p) for p in sources]
    rng = np.random.default_rng(0)
    lrs = (5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3)
    for i in range(n):
        src = corpus[i % len(corpus)]
        idx = np.arange(rows) % len(src)
        df = src.iloc[idx][[c for c in COLUMNS if c in src.columns]].reset_index(drop=True)
        df["step"] = np.arange(rows, dtype=np.int64)
        for c in ("d_loss", "g_loss"):
            df[c] = df[c] * (1 + 0.01 * rng.standard_normal(rows))
        hp = {**(src.attrs.get("hparams") or {}), "lr_d": lrs[i % 6], "lr_g": lrs[(i // 6) % 6], "seed": i}
        run = folder / f"run_{i:04d}"
        write_run(df, run, {**src.attrs, "hparams": hp})
        (run / "config.json").write_text(json.dumps(hp))
    done.touch()


def child(mode: str, folder: str, n: int, start: int = 0) -> None:
    from ganalyze.sweep import SweepConfig, analyse, discover

    refs = discover([folder])[start:start + n]
    startup = 0.0
    if mode == "dask":
        from distributed import Client, LocalCluster

        t0 = time.perf_counter()
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=50) as lc, Client(lc) as client:
            client.run(lambda: __import__("ganalyze.sweep.row"))     # workers import the analysis once
            startup = time.perf_counter() - t0
            t0 = time.perf_counter()
            table = analyse(refs, SweepConfig(progress=False), client=client)
            seconds = time.perf_counter() - t0
    else:
        workers = 1 if mode == "w1" else 2
        t0 = time.perf_counter()
        table = analyse(refs, SweepConfig(workers=workers, progress=False))
        seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"mode": mode, "runs": len(refs), "seconds": seconds, "startup_s": startup,
                      "errors": int(table["error"].notna().sum()), "rows": int(table["rows"].sum()),
                      "peak_mb": peak_mb, "verdicts": table["verdict"].value_counts().to_dict()}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--dir", default=None, help="Folder for the runs (kept and reused); default: a temporary one.")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--folder", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--rounds", type=int, default=4,
                    help="w1/w2 alternate over this many chunks of the runs (load drift hits both alike).")
    a = ap.parse_args()
    if a.child:
        return child(a.child, a.folder, a.runs, a.start)
    tmp = None
    if a.dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench_sweep_")
        folder = Path(tmp.name)
    else:
        folder = Path(a.dir)
        folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    make_runs(folder, a.runs, a.rows)
    print(f"made {a.runs:,} runs x {a.rows:,} rows in {time.perf_counter() - t0:.0f} s under {folder}", file=sys.stderr)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}

    def measure(mode: str, n: int, start: int = 0) -> dict:
        out = subprocess.run([sys.executable, __file__, "--child", mode, "--folder", str(folder), "--runs", str(n),
                              "--start", str(start)], capture_output=True, text=True, env=env)
        if out.returncode != 0:
            sys.exit(f"{mode} failed:\n{out.stderr[-3000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])

    # throughput: 1 and 2 workers alternate over chunks of the runs, so that a change in the
    # shared machine's load between measurements hits both alike
    chunk = -(-a.runs // a.rounds)
    paired = {"w1": [], "w2": []}
    for k in range(a.rounds):
        for mode in ("w1", "w2") if k % 2 == 0 else ("w2", "w1"):
            paired[mode].append(measure(mode, min(chunk, a.runs - k * chunk), k * chunk))
    for mode, rs in paired.items():
        print(f"{mode:>8s} chunks: " + ", ".join(f"{r['runs'] / r['seconds']:.1f}" for r in rs) + " runs/s", file=sys.stderr)
    res = {m: {"mode": m, "runs": sum(r["runs"] for r in rs), "seconds": sum(r["seconds"] for r in rs),
               "startup_s": 0.0, "errors": sum(r["errors"] for r in rs), "rows": sum(r["rows"] for r in rs),
               "peak_mb": max(r["peak_mb"] for r in rs), "verdicts": {}} for m, rs in paired.items()}
    for m, rs in paired.items():
        for r in rs:
            for v, c in r["verdicts"].items():
                res[m]["verdicts"][v] = res[m]["verdicts"].get(v, 0) + c
    for mode in ("w1", "w2"):
        r = res[mode]
        print(f"{mode:>8s}: {r['runs']:,} runs ({r['rows']:,} rows) in {r['seconds']:.1f} s = "
              f"{r['runs'] / r['seconds']:.1f} runs/s over {a.rounds} chunks, {r['errors']} errors")
    for mode, n in (("w2_all", a.runs), ("dask", a.runs), ("w2_small", max(1, a.runs // 4))):
        r = res[mode] = measure("w2" if mode != "dask" else "dask", n)
        extra = f", cluster start-up {r['startup_s']:.1f} s (not counted)" if mode == "dask" else ""
        print(f"{mode:>8s}: {r['runs']:,} runs ({r['rows']:,} rows) in {r['seconds']:.1f} s = "
              f"{r['runs'] / r['seconds']:.1f} runs/s, {r['errors']} errors, driver peak RSS {r['peak_mb']:.0f} MB{extra}")
    w1, w2, dk, small, full = res["w1"], res["w2"], res["dask"], res["w2_small"], res["w2_all"]
    rate = {k: v["runs"] / v["seconds"] for k, v in res.items()}
    assert w1["verdicts"] == w2["verdicts"] == dk["verdicts"] == full["verdicts"], "executors disagree"
    print(f"ratio_w2_over_w1={rate['w2'] / rate['w1']:.2f} w1_runs_per_s={rate['w1']:.1f} "
          f"w2_runs_per_s={rate['w2']:.1f} w2_all_runs_per_s={rate['w2_all']:.1f} dask_runs_per_s={rate['dask']:.1f} "
          f"driver_peak_mb_{small['runs']}={small['peak_mb']:.0f} driver_peak_mb_{full['runs']}={full['peak_mb']:.0f} "
          f"dask_driver_peak_mb={dk['peak_mb']:.0f} runs={a.runs} rows_per_run={a.rows} cores={os.cpu_count()}")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
