"""Benchmark of the run logger and reader (not a test).

Prints, in one run:
1. cost per ``RunLogger.log()`` call (8 values, half 0-d tensors, flushes included) vs a plain
   Python ``list.append`` of the same row;
2. training-loop overhead of logging: a small MLP GAN (plain torch, defined here) trained on
   random "images" with and without the logger, interleaved repeats, median step time;
3. time and peak memory (peak RSS, /proc/self/status VmHWM, in a fresh subprocess)
   of ``read_run`` on a 10-million-row run, against plain ``pandas.read_parquet``.

Ends with one line of ``name=value`` pairs. Usage: python scripts/bench_runlog.py [--rows 10000000]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from ganalyze.runlog import RunLogger, write_run


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows of the read benchmark's run")
    parser.add_argument("--calls", type=int, default=200_000, help="log() calls to time")
    args = parser.parse_args()
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        log_us, append_us = bench_log_call(tmp, args.calls)
        print(f"log() call: {log_us:.2f} us   list.append: {append_us:.2f} us   ratio {log_us / append_us:.1f}x "
              f"(8 values, 4 of them 0-d tensors; flushes included)")
        plain_s, logged_s = bench_loop(tmp)
        overhead = (logged_s - plain_s) / plain_s * 100
        call_share = log_us * 1e-6 / plain_s * 100   # noise-free estimate: one log() per step
        print(f"MLP GAN step: without logger {plain_s * 1e3:.3f} ms   with logger {logged_s * 1e3:.3f} ms   "
              f"overhead {overhead:+.2f} % measured (median of interleaved repeats; noise ~ +-2 % on a "
              f"shared CPU), {call_share:.2f} % from the log() call cost (target <= 3 %)")
        read = bench_read(tmp, args.rows)
        ours, pandas_ = read["ours"], read["pandas"]
        print(f"read {ours['rows']:,} rows x 8 columns ({ours['frame_mb']:.0f} MB frame): "
              f"read_run {ours['s']:.2f} s, peak RSS {ours['peak_mb']:.0f} MB (+{ours['growth_mb']:.0f} MB); "
              f"pandas.read_parquet {pandas_['s']:.2f} s, peak RSS {pandas_['peak_mb']:.0f} MB "
              f"(+{pandas_['growth_mb']:.0f} MB)")
    print(f"log_call_us={log_us:.2f} append_us={append_us:.3f} log_vs_append={log_us / append_us:.1f} "
          f"loop_overhead_pct={overhead:.2f} log_call_share_pct={call_share:.2f} read_rows={ours['rows']} read_run_s={ours['s']:.2f} "
          f"read_run_peak_mb={ours['peak_mb']:.0f} pandas_read_s={pandas_['s']:.2f} "
          f"pandas_read_peak_mb={pandas_['peak_mb']:.0f}")


if __name__ == "__main__":
    main()
