"""Start-up time of the CLI: ``ganalyze --help`` and ``ganalyze summary`` of a 1,000-row CSV.

Ours: the CLI as it is (module level imports only click and torch-free config modules; each
command imports what it needs). Baseline, same process, same work: the same CLI started after
importing what every command used to import first (torch, torchvision, matplotlib.pyplot, the
report and diversity packages) -- the start-up cost the lazy imports remove.

Each command runs ``--repeat`` times in a fresh interpreter; the median wall time is reported.
``-X importtime`` gives the import time of ``ganalyze.cli`` (cumulative, microseconds -> s).
Goals (issue 14, idle 2-core machine): --help < 0.5 s, summary of 1,000 rows < 1.5 s.

    python scripts/bench_cli.py [--repeat 5]

Last line: ``help_s=... help_baseline_s=... help_speedup=... summary_s=... ...``.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
EAGER = ("import torch, torchvision, matplotlib.pyplot, ganalyze.report.build, ganalyze.diversity.run; ")
RUN_CLI = "import sys; from ganalyze.cli import main; sys.argv[0] = 'ganalyze'; main()"


def _env() -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1")
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _wall(code: str, args: list[str], repeat: int) -> float:
    """Median wall seconds of ``python -c code args`` (stdout discarded; must exit 0)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, *args], env=_env(), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _import_time(prelude: str) -> float:
    """Seconds spent importing (``-X importtime``: sum of the top-level imports' cumulative
    microseconds) by ``prelude`` + ``import ganalyze.cli``."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", prelude + "import ganalyze.cli"],
                         env=_env(), check=True, capture_output=True, text=True).stderr
    total = 0
    for line in out.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[0].startswith("import time:") and not parts[2].startswith("  "):
            if parts[1].strip().isdigit():
                total += int(parts[1])
    return total / 1e6


def _heavy_modules_loaded(args: list[str]) -> list[str]:
    """Which of torch / torchvision / matplotlib are in sys.modules after the command ran."""
    code = (f"import sys, atexit; atexit.register(lambda: print('LOADED', [m for m in ('torch', 'torchvision', "
            f"'matplotlib') if m in sys.modules], file=sys.stderr)); {RUN_CLI}")
    res = subprocess.run([sys.executable, "-c", code, *args], env=_env(), capture_output=True, text=True)
    line = [x for x in res.stderr.splitlines() if x.startswith("LOADED")]
    return eval(line[-1][len("LOADED "):]) if line else ["?"]   # a list literal we printed ourselves


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "run.csv"
        rng = np.random.default_rng(0)
        s = np.arange(1000)
        pd.DataFrame({"step": s, "d_loss": 1.3 + 0.2 * np.sin(s / 30) + 0.05 * rng.standard_normal(1000),
                      "g_loss": 0.8 - 0.2 * np.sin(s / 30) + 0.05 * rng.standard_normal(1000),
                      "d_x": 0.8 + 0.02 * rng.standard_normal(1000),
                      "d_g_z1": 0.3 + 0.02 * rng.standard_normal(1000)}).to_csv(csv, index=False)
        work = {"help": ["--help"], "version": ["--version"], "summary": ["summary", str(csv)]}
        results = {}
        for name, cli_args in work.items():
            ours = _wall(RUN_CLI, cli_args, args.repeat)
            base = _wall(EAGER + RUN_CLI, cli_args, args.repeat)
            loaded = _heavy_modules_loaded(cli_args)
            results[name] = (ours, base)
            print(f"{name:8s} ours {ours:6.3f} s   baseline (eager imports) {base:6.3f} s   "
                  f"ratio {base / ours:5.1f}x   heavy modules loaded: {', '.join(loaded) or 'none'}")
        imp_ours, imp_base = _import_time(""), _import_time(EAGER)
        print(f"import time (-X importtime, all top-level imports): ours {imp_ours:.3f} s, "
              f"baseline {imp_base:.3f} s, ratio {imp_base / imp_ours:.1f}x")
        print("goals: help < 0.5 s -> " + ("met" if results["help"][0] < 0.5 else "NOT met")
              + "; summary of 1,000 rows < 1.5 s -> " + ("met" if results["summary"][0] < 1.5 else "NOT met"))
    (h, hb), (s_, sb) = results["help"], results["summary"]
    print(f"help_s={h:.3f} help_baseline_s={hb:.3f} help_speedup={hb / h:.1f} summary_s={s_:.3f} "
          f"summary_baseline_s={sb:.3f} summary_speedup={sb / s_:.1f} import_s={imp_ours:.3f} import_baseline_s={imp_base:.3f}")


if __name__ == "__main__":
    main()
