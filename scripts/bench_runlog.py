"""Benchmark of the run logger and reader (not a test).

Prints, in one run:
1. cost per ``RunLogger.log()`` call (8 values, half 0-d tensors, flushes included) vs a plain
   Python ``list.append`` of the same row;
2. training-loop overhead of logging: a small MLP GAN (plain torch, defined here) trained on
   random "images" with and without the logger, interleaved repeats, median step time;
3. time and peak memory (peak RSS, /proc/self/status VmHWM, in a fresh subprocess)
   of ``read_run`` on a 10-million-row run, against plain ``pandas.read_parquet``;
4. reading a live/killed run of 100, 1,000 and 10,000 part files (100 rows each): ours
   against the previous reader (each part merged against all earlier ones), and ``close()``
   of 1,000 and 10,000 parts;
5. rows lost over ~100 SIGKILLs aimed by fault injection at every stage of the commit
   protocol (flush, compaction, close(), resume): rows flushed before the kill must all be
   read back, contiguous (rows still in the buffer, younger than one flush interval, may go);
6. peak RSS of the whole ``ganalyze diagnose RUN`` command (imports included; the child's
   VmHWM at exit) at 10 M rows and, with ``--diagnose-rows 10000000,50000000``, at 50 M
   (issue 16's target: 50 M rows in <= 3 GB); ``--diagnose-only`` runs this part alone;
7. the same for ``ganalyze report RUN -o OUT`` (HTML + PNGs) of the same run, ``--report-rows``
   (default 10 M; ``10000000,50000000`` for the target), ``--report-only`` runs this part alone.

Ends with one line of ``name=value`` pairs. Usage: python scripts/bench_runlog.py [--rows 10000000]
[--parts 100,1000,10000] [--kills 100] [--diagnose-rows 10000000] [--diagnose-only]
[--report-rows 10000000] [--report-only]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import torch
from torch import nn

from ganalyze.runlog import RunLogger, read_run, store, write_run
from ganalyze.runlog.schema import normalise_meta


def bench_log_call(tmp: Path, n: int = 200_000) -> tuple[float, float]:
    t_d = torch.tensor(0.7)
    t_g = torch.tensor(1.3)
    t_x = torch.tensor(0.8)
    t_z = torch.tensor(0.2)
    rows = []
    t0 = time.perf_counter()
    for step in range(n):
        rows.append((step, dict(d_loss=t_d, g_loss=t_g, d_x=t_x, d_g_z1=t_z, d_g_z2=0.1, lr_d=2e-4, lr_g=2e-4, epoch=0.0)))
    append_s = time.perf_counter() - t0
    del rows
    t0 = time.perf_counter()
    with RunLogger(tmp / "calls") as log:
        for step in range(n):
            log.log(step, d_loss=t_d, g_loss=t_g, d_x=t_x, d_g_z1=t_z, d_g_z2=0.1, lr_d=2e-4, lr_g=2e-4, epoch=0.0)
        logged_s = time.perf_counter() - t0      # includes every flush but not close()'s merge
    return logged_s / n * 1e6, append_s / n * 1e6


class _Gen(nn.Module):
    def __init__(self, latent=64, hidden=256, out=784):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(latent, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, hidden),
                                 nn.LeakyReLU(0.2), nn.Linear(hidden, out), nn.Tanh())

    def forward(self, z):
        return self.net(z)


class _Disc(nn.Module):
    def __init__(self, inp=784, hidden=256):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(inp, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, hidden),
                                 nn.LeakyReLU(0.2), nn.Linear(hidden, 1))

    def forward(self, x):
        return self.net(x).squeeze(1)


def _gan_steps(n_steps: int, log: RunLogger | None, start: int, gen_rng: torch.Generator, state) -> float:
    """Non-saturating GAN steps; returns seconds per step. Both variants compute the same
    logged quantities (as 0-d tensors); only the log() call differs."""
    G, D, opt_g, opt_d, data = state
    bce = nn.functional.binary_cross_entropy_with_logits
    batch = 64
    t0 = time.perf_counter()
    for i in range(n_steps):
        real = data[torch.randint(0, data.shape[0], (batch,), generator=gen_rng)]
        z = torch.randn(batch, 64, generator=gen_rng)
        fake = G(z)
        out_real, out_fake = D(real), D(fake.detach())
        d_loss_real = bce(out_real, torch.ones(batch))
        d_loss_fake = bce(out_fake, torch.zeros(batch))
        d_loss = d_loss_real + d_loss_fake
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        out_fake2 = D(fake)
        g_loss = bce(out_fake2, torch.ones(batch))
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
        with torch.no_grad():
            d_x = out_real.sigmoid().mean()
            d_g_z1 = out_fake.sigmoid().mean()
            d_g_z2 = out_fake2.sigmoid().mean()
        if log is not None:
            log.log(start + i, d_loss=d_loss, g_loss=g_loss, d_loss_real=d_loss_real, d_loss_fake=d_loss_fake,
                    d_x=d_x, d_g_z1=d_g_z1, d_g_z2=d_g_z2, lr_d=2e-4, lr_g=2e-4)
    return (time.perf_counter() - t0) / n_steps


def bench_loop(tmp: Path, steps: int = 200, repeats: int = 9) -> tuple[float, float]:
    torch.manual_seed(0)
    gen_rng = torch.Generator().manual_seed(0)
    G, D = _Gen(), _Disc()
    state = (G, D, torch.optim.Adam(G.parameters(), 2e-4, betas=(0.5, 0.999)),
             torch.optim.Adam(D.parameters(), 2e-4, betas=(0.5, 0.999)),
             torch.rand(2048, 784, generator=gen_rng) * 2 - 1)
    _gan_steps(50, None, 0, gen_rng, state)       # warm-up
    plain, logged = [], []
    step = 0
    with RunLogger(tmp / "loop") as log:
        for _ in range(repeats):
            plain.append(_gan_steps(steps, None, 0, gen_rng, state))
            logged.append(_gan_steps(steps, log, step, gen_rng, state))
            step += steps
    return statistics.median(plain), statistics.median(logged)


_READ_CHILD = """
import json, sys, time
import pandas as pd
from ganalyze.runlog import read_run

def hwm_mb():   # peak resident set of this process (Linux VmHWM; ru_maxrss would include the parent's)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

before = hwm_mb()
t0 = time.perf_counter()
df = read_run(sys.argv[1]) if sys.argv[2] == "ours" else pd.read_parquet(sys.argv[1])
elapsed = time.perf_counter() - t0
after = hwm_mb()
print(json.dumps({"s": elapsed, "rows": len(df), "frame_mb": df.memory_usage(deep=True).sum() / 2**20,
                  "peak_mb": after, "growth_mb": after - before}))
"""


def bench_read(tmp: Path, rows: int) -> dict:
    rng = np.random.default_rng(0)
    steps = np.arange(rows, dtype=np.int64)
    import pandas as pd

    df = pd.DataFrame({"step": steps, "epoch": (steps // 1000).astype("float64"),
                       "time_s": steps * 0.01, "d_loss": rng.random(rows), "g_loss": rng.random(rows),
                       "d_x": rng.random(rows), "d_g_z1": rng.random(rows), "d_g_z2": rng.random(rows)})
    df.attrs = {"loss": "nsgan", "d_loss_reduction": "sum", "scores": "probability"}
    write_run(df, tmp / "big")
    del df
    out = {}
    for who in ("pandas", "ours"):
        res = subprocess.run([sys.executable, "-c", _READ_CHILD, str(tmp / "big" / "run.parquet"), who],
                             capture_output=True, text=True, check=True)
        out[who] = json.loads(res.stdout)
    return out


# ---- 4. many parts ------------------------------------------------------------------------
def _write_parts(run_dir: Path, n_parts: int, rows: int = 100) -> None:
    """A run killed after ``n_parts`` flushes without compaction (a logger of the previous
    version, or one stopped by SIGKILL in a loop that flushed faster than it compacted)."""
    meta = normalise_meta({"loss": "nsgan", "d_loss_reduction": "sum", "scores": "probability"})
    rng = np.random.default_rng(0)
    (run_dir / store.PARTS_DIR).mkdir(parents=True)
    for number in range(1, n_parts + 1):
        steps = np.arange((number - 1) * rows, number * rows, dtype=np.int64)
        table = pa.table({"step": steps, "d_loss": rng.random(rows), "g_loss": rng.random(rows),
                          "d_x": rng.random(rows), "time_s": steps * 0.01})
        store.write_table_atomic(table, store.part_path(run_dir, number), meta)


def _previous_reader(run_dir: Path) -> pa.Table:
    """The reader this issue replaced (kept verbatim in spirit): every part read whole, then
    each new part trims every table kept so far (quadratic in the number of parts)."""
    kept: list[pa.Table] = []
    for _, path in sorted(store.list_parts(run_dir)):
        table = pq.read_table(path)
        first = pc.min(table["step"]).as_py()
        trimmed = []
        for old in kept:
            steps = old["step"].to_numpy()
            if steps.size and steps.max() >= first:
                old = old.filter(pa.array(steps < first))
            if old.num_rows:
                trimmed.append(old)
        trimmed.append(table)
        kept = trimmed
    return pa.concat_tables([t.replace_schema_metadata(None) for t in kept], promote_options="permissive")


def bench_parts(tmp: Path, counts: list[int], baseline_max: int) -> dict:
    out = {}
    for n in counts:
        run = tmp / f"parts{n}"
        _write_parts(run, n)
        t0 = time.perf_counter()
        df = read_run(run)
        ours = time.perf_counter() - t0
        assert len(df) == n * 100 and df["step"].is_monotonic_increasing
        del df
        old = None
        if n <= baseline_max:
            t0 = time.perf_counter()
            table = _previous_reader(run)
            old = time.perf_counter() - t0
            assert table.num_rows == n * 100
        log = RunLogger(run, resume=True, background=False)
        t0 = time.perf_counter()
        log.close()
        close_s = time.perf_counter() - t0
        assert sorted(os.listdir(run)) == ["run.parquet"] and len(read_run(run)) == n * 100
        out[n] = {"read_s": ours, "old_read_s": old, "close_s": close_s}
        shutil.rmtree(run)
    return out


# ---- 5. kills at every stage --------------------------------------------------------------
_KILL_ZYGOTE = """
import json, os, signal, sys
from ganalyze.runlog import RunLogger, store

def session(run, first, last, offset, progress, resume):
    log = RunLogger(run, resume=resume, background=False, flush_every_rows=10**9, flush_every_s=1e9)
    fd = os.open(progress, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    for step in range(first, last + 1):
        log.log(step, d_loss=float(step + offset), g_loss=1.0)
        if step % 2 == 1:
            log.flush()
            os.write(fd, f"{step}\\n".encode())
    return log

def child(fn):
    pid = os.fork()
    if pid == 0:
        try:
            fn()
        finally:
            os._exit(0)
    return os.WIFSIGNALED(os.waitpid(pid, 0)[1])

killed = {}
for case in json.loads(sys.argv[1]):
    run, scenario, stage = case["run"], case["scenario"], case["stage"]
    if scenario == "resume":
        def setup():
            session(run, 0, 99, 0, run + ".setup", False)
            os.kill(os.getpid(), signal.SIGKILL)
        child(setup)
    def victim():
        store.fault_hook = store._kill_at(stage)
        if scenario == "fresh":
            session(run, 0, 159, 0, run + ".progress", False).close()
        else:
            session(run, 70, 229, 1000, run + ".progress", True).close()
    killed[run] = child(victim)
print(json.dumps(killed))
"""


def bench_kills(tmp: Path, n_kills: int) -> dict:
    once = [s for s in store.STAGES if s.startswith(("open", "close"))]
    many = [s for s in store.STAGES if s not in once]
    cases = []
    for scenario in ("fresh", "resume"):
        cases += [(scenario, s) for s in once]
    per = max(1, -(-(n_kills - len(cases)) // (2 * len(many))))
    for k in range(1, per + 1):
        for scenario in ("fresh", "resume"):
            cases += [(scenario, f"{s}#{k}") for s in many]
    cases = [{"run": str(tmp / f"kill{i}"), "scenario": sc, "stage": st} for i, (sc, st) in enumerate(cases)]
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", _KILL_ZYGOTE, json.dumps(cases)], capture_output=True, text=True,
                         check=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    killed = json.loads(res.stdout.splitlines()[-1])
    lost = bad = not_reached = 0
    for case in cases:
        run = Path(case["run"])
        if not killed[str(run)]:
            not_reached += 1
            continue
        progress = Path(str(run) + ".progress")
        durable = [int(x) for x in progress.read_text().split()] if progress.exists() else []
        if not ((run / store.RUN_FILE).exists() or store.list_parts(run)):
            lost += (max(durable) + 1) if durable else 0
            continue
        df = read_run(run)
        steps, d = df["step"].to_numpy(), df["d_loss"].to_numpy()
        if case["scenario"] == "fresh":
            want = set(range(max(durable) + 1)) if durable else set()
            ok = d == steps
        else:
            # Session 2 (values + 1000) supersedes 70.. as soon as its first part is renamed
            # (possibly just before the kill, so before it could report it).
            second = steps[(steps >= 70) & (d == steps + 1000)].tolist()
            top = max(durable + second) if durable or second else 99
            want = set(range(top + 1))
            ok = np.where(steps < 70, d == steps, d == (steps + 1000 if durable or second else steps))
        have = set(steps[ok].tolist())
        lost += len(want - have)
        bad += int(steps.tolist() != list(range(len(steps))))
        RunLogger(run, resume=True, background=False).close()           # stale lock taken over, run closed
        after = read_run(run)
        bad += int(not after.equals(df) or sorted(os.listdir(run)) != ["run.parquet"])
    return {"kills": len(cases) - not_reached, "not_reached": not_reached, "rows_lost": lost,
            "bad_states": bad, "s": time.perf_counter() - t0}


# ---- 6. diagnose memory -------------------------------------------------------------------
def _write_long_run(run: Path, rows: int) -> None:
    """A long run of 8 columns (step, epoch, time_s, the losses and D's scores), float32-exact."""
    rng = np.random.default_rng(1)
    steps = np.arange(rows, dtype=np.int64)
    import pandas as pd

    noise = rng.standard_normal(rows).astype(np.float32)
    df = pd.DataFrame({"step": steps, "epoch": (steps // 1000).astype("float64"), "time_s": steps * 0.01,
                       "d_loss": 1.3 + 0.1 * noise, "g_loss": 0.8 - 0.1 * noise,
                       "d_x": 0.6 + 0.05 * noise, "d_g_z1": 0.4 + 0.05 * noise, "d_g_z2": 0.4 + 0.04 * noise})
    del noise
    df.attrs = {"loss": "nsgan", "d_loss_reduction": "sum", "scores": "probability"}
    write_run(df, run)
    del df


def _cli_peak(command: list[str], what: str) -> dict:
    """Peak RSS (MB) and wall time (s) of one ``ganalyze COMMAND`` in a fresh process."""
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", _HWM_AT_EXIT + "from ganalyze.cli import main; main()", *command],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False,
                         env={**os.environ, "OMP_NUM_THREADS": "1"})
    elapsed = time.perf_counter() - t0
    if res.returncode != 0:
        raise SystemExit(f"{what} failed: {res.stderr.strip()[-500:]}")
    return {"peak_mb": _hwm_from(res.stderr), "s": elapsed}


def bench_diagnose(tmp: Path, rows: int) -> dict:
    """Peak RSS of the whole ``ganalyze diagnose`` process (imports included)."""
    run = tmp / f"diag{rows}"
    _write_long_run(run, rows)
    try:
        return _cli_peak(["diagnose", str(run)], f"diagnose at {rows} rows")
    finally:
        shutil.rmtree(run)


def bench_report(tmp: Path, rows: int) -> dict:
    """Peak RSS of the whole ``ganalyze report RUN -o OUT`` process (imports included)."""
    run = tmp / f"report{rows}"
    _write_long_run(run, rows)
    try:
        return _cli_peak(["report", str(run), "-o", str(tmp / f"report{rows}_out")], f"report at {rows} rows")
    finally:
        shutil.rmtree(run)
        shutil.rmtree(tmp / f"report{rows}_out", ignore_errors=True)


# The child reports its own peak RSS (VmHWM) at exit: os.wait4's ru_maxrss would count the
# parent's resident set at fork time when that is larger.
_HWM_AT_EXIT = """
import atexit, sys
def _hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            sys.stderr.write("VmHWM_kB=" + line.split()[1] + "\\n")
atexit.register(_hwm)
"""


def _hwm_from(stderr: str) -> float:
    return [int(line.split("=")[1]) for line in stderr.splitlines() if line.startswith("VmHWM_kB=")][-1] / 1024


_IMPORT_CHILD = "from ganalyze.cli import main; import ganalyze.diagnose, ganalyze.runlog; import pandas, pyarrow"


def bench_import_rss() -> float:
    res = subprocess.run([sys.executable, "-c", _HWM_AT_EXIT + _IMPORT_CHILD], capture_output=True, text=True,
                         check=True)
    return _hwm_from(res.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows of the read benchmark's run")
    parser.add_argument("--calls", type=int, default=200_000, help="log() calls to time")
    parser.add_argument("--parts", default="100,1000,10000", help="part counts of the many-parts benchmark")
    parser.add_argument("--baseline-parts", type=int, default=1000, help="largest part count the old reader runs on")
    parser.add_argument("--kills", type=int, default=100, help="SIGKILLs of the fault-injection benchmark")
    parser.add_argument("--diagnose-rows", default="10000000", help="run sizes for diagnose's peak memory")
    parser.add_argument("--diagnose-only", action="store_true", help="only part 6 (diagnose's peak memory)")
    parser.add_argument("--report-rows", default="10000000", help="run sizes for report's peak memory")
    parser.add_argument("--report-only", action="store_true", help="only part 7 (report's peak memory)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    report_sizes = [int(x) for x in args.report_rows.split(",") if x]
    if args.diagnose_only:
        return diagnose_only([int(x) for x in args.diagnose_rows.split(",") if x])
    if args.report_only:
        return report_only(report_sizes)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        log_us, append_us = bench_log_call(tmp, args.calls)
        print(f"log() call: {log_us:.2f} us   list.append: {append_us:.2f} us   ratio {log_us / append_us:.1f}x "
              f"(8 values, 4 of them 0-d tensors; flushes included)", flush=True)
        plain_s, logged_s = bench_loop(tmp)
        overhead = (logged_s - plain_s) / plain_s * 100
        call_share = log_us * 1e-6 / plain_s * 100   # noise-free estimate: one log() per step
        print(f"MLP GAN step: without logger {plain_s * 1e3:.3f} ms   with logger {logged_s * 1e3:.3f} ms   "
              f"overhead {overhead:+.2f} % measured (median of interleaved repeats; noise ~ +-2 % on a "
              f"shared CPU), {call_share:.2f} % from the log() call cost (target <= 3 %)", flush=True)
        read = bench_read(tmp, args.rows)
        ours, pandas_ = read["ours"], read["pandas"]
        print(f"read {ours['rows']:,} rows x 8 columns ({ours['frame_mb']:.0f} MB frame): "
              f"read_run {ours['s']:.2f} s, peak RSS {ours['peak_mb']:.0f} MB (+{ours['growth_mb']:.0f} MB); "
              f"pandas.read_parquet {pandas_['s']:.2f} s, peak RSS {pandas_['peak_mb']:.0f} MB "
              f"(+{pandas_['growth_mb']:.0f} MB)", flush=True)
        shutil.rmtree(tmp / "big")
        counts = [int(x) for x in args.parts.split(",") if x]
        parts = bench_parts(tmp, counts, args.baseline_parts)
        for n, r in parts.items():
            old = (f"previous reader {r['old_read_s']:.2f} s ({r['old_read_s'] / r['read_s']:.1f}x ours)"
                   if r["old_read_s"] is not None else "previous reader not run (quadratic)")
            print(f"{n:,} parts x 100 rows: read_run {r['read_s']:.2f} s, {old}; close() {r['close_s']:.2f} s",
                  flush=True)
        ratio = (parts[10000]["read_s"] / parts[1000]["read_s"]) if {1000, 10000} <= set(parts) else float("nan")
        print(f"read time 10,000 / 1,000 parts: {ratio:.1f}x (linear: 10x)", flush=True)
        kills = bench_kills(tmp, args.kills)
        print(f"{kills['kills']} SIGKILLs at every stage (flush, compaction, close, resume; {kills['not_reached']} "
              f"stages not reached): {kills['rows_lost']} flushed rows lost, {kills['bad_states']} runs not "
              f"contiguous or not closable ({kills['s']:.1f} s)", flush=True)
        import_mb, diag = _diagnose_part(tmp, [int(x) for x in args.diagnose_rows.split(",") if x])
        rep = _report_part(tmp, report_sizes)
    pairs = {
        "log_call_us": f"{log_us:.2f}", "append_us": f"{append_us:.3f}", "log_vs_append": f"{log_us / append_us:.1f}",
        "loop_overhead_pct": f"{overhead:.2f}", "log_call_share_pct": f"{call_share:.2f}",
        "read_rows": ours["rows"], "read_run_s": f"{ours['s']:.2f}", "read_run_peak_mb": f"{ours['peak_mb']:.0f}",
        "pandas_read_s": f"{pandas_['s']:.2f}", "pandas_read_peak_mb": f"{pandas_['peak_mb']:.0f}",
    }
    for n, r in parts.items():
        pairs[f"parts{n}_read_s"] = f"{r['read_s']:.3f}"
        if r["old_read_s"] is not None:
            pairs[f"parts{n}_old_read_s"] = f"{r['old_read_s']:.3f}"
        pairs[f"parts{n}_close_s"] = f"{r['close_s']:.3f}"
    pairs.update({"parts_10000_vs_1000": f"{ratio:.1f}", "kills": kills["kills"], "kill_rows_lost": kills["rows_lost"],
                  "kill_bad_states": kills["bad_states"], "cli_import_peak_mb": f"{import_mb:.0f}"})
    pairs.update(_size_pairs("diagnose", diag))
    pairs.update(_size_pairs("report", rep))
    print(" ".join(f"{k}={v}" for k, v in pairs.items()))


def _diagnose_part(tmp: Path, sizes: list[int]) -> tuple[float, dict]:
    import_mb = bench_import_rss()
    diag = {}
    for rows in sizes:
        diag[rows] = bench_diagnose(tmp, rows)
        print(f"ganalyze diagnose of {rows:,} rows x 8 columns: peak RSS {diag[rows]['peak_mb']:.0f} MB "
              f"({diag[rows]['s']:.1f} s; the CLI's imports alone: {import_mb:.0f} MB)", flush=True)
    return import_mb, diag


def _size_pairs(command: str, results: dict) -> dict:
    """name=value pairs of one command's peak memory and time per run size (in millions of rows)."""
    pairs = {}
    for rows, r in results.items():
        pairs[f"{command}_{rows // 1_000_000}M_peak_mb"] = f"{r['peak_mb']:.0f}"
        pairs[f"{command}_{rows // 1_000_000}M_s"] = f"{r['s']:.1f}"
    return pairs


def diagnose_only(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as d:
        import_mb, diag = _diagnose_part(Path(d), sizes)
    pairs = {"cli_import_peak_mb": f"{import_mb:.0f}", **_size_pairs("diagnose", diag)}
    print(" ".join(f"{k}={v}" for k, v in pairs.items()))


def _report_part(tmp: Path, sizes: list[int]) -> dict:
    rep = {}
    for rows in sizes:
        rep[rows] = bench_report(tmp, rows)
        print(f"ganalyze report of {rows:,} rows x 8 columns: peak RSS {rep[rows]['peak_mb']:.0f} MB "
              f"({rep[rows]['s']:.1f} s)", flush=True)
    return rep


def report_only(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as d:
        import_mb = bench_import_rss()
        print(f"the CLI's imports alone: {import_mb:.0f} MB", flush=True)
        rep = _report_part(Path(d), sizes)
    print(" ".join(f"{k}={v}" for k, v in {"cli_import_peak_mb": f"{import_mb:.0f}", **_size_pairs("report", rep)}.items()))


if __name__ == "__main__":
    main()
