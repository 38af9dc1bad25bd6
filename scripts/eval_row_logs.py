"""Rows with no step: which iterations-per-row the diagnosis reads such a log best with, on loops no model saw.

Usage: python scripts/eval_row_logs.py [--corpus data/corpus] [--loops dcgantf,ganhacks,dragan]
       [--every 1,10,100] [--scales 1,10,50] [--methods auto] [--max-runs N]

A notebook's print inside its batch loop (``Epoch 1/5.... Discriminator Loss: 1.2166....``), a list of
losses dumped to JSON, a pandas CSV of such lists: rows that carry no step, printed every k
iterations for a k the log does not give. The reader steps them by the row number. Each corpus run
of the given loops (loops 12-14 by default: the shipped model was fitted on loops 1-11 only) is cut
into such a log: its single-step values every ``k`` iterations (the ``--every``), under the issue's
two headline column sets; each is diagnosed with step = row number x ``s`` for each ``--scales`` s
(s = 1: each row read as one iteration, as such logs were read before stop 35), and with the true
steps (the oracle), and as the reader steps such a log now (``step_from`` "row number": the diagnosis
reads ``core.ROW_STEPS`` iterations a row, "as read"), with the run's true loss, reduction and score type, and scored step by step
against the run's LABELS.md labels (each iteration takes the label of the row that ends its block).
Prints macro-F1 per setting, interval and axis; the last line holds name=value pairs. Minutes;
never run in CI.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_epoch_logs import HEADLINE, loop_runs, variant_predictions  # noqa: E402
from train_diagnoser import print_table, summarise  # noqa: E402


def predictions(runs: dict, man: pd.DataFrame, method: str, scale: int | None, every: tuple[int, ...]) -> pd.DataFrame:
    """One scored row per (run, column set, interval): step = row x ``scale`` (None: the true step)."""
    def restep(frame: pd.DataFrame, true_steps: np.ndarray) -> pd.DataFrame:
        attrs = dict(frame.attrs)
        if scale == 0:          # as the reader steps such a log: core.ROW_STEPS iterations a row
            attrs["step_from"] = "row number"
        elif scale is not None:
            attrs["step_from"] = f"row*{scale}"
        frame = frame.assign(step=true_steps if scale is None else np.arange(len(frame)) * max(scale, 1))
        frame.attrs = attrs
        return frame

    return variant_predictions(runs, man, method, every, False, restep, lambda columns, k: f"{columns}/every{k}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="data/corpus")
    ap.add_argument("--loops", default="dcgantf,ganhacks,dragan")
    ap.add_argument("--every", default="1,10,100", help="iterations between the cut log's rows")
    ap.add_argument("--scales", default="1,10,50", help="iterations per row the diagnosis is told")
    ap.add_argument("--methods", default="auto")
    ap.add_argument("--max-runs", type=int, default=0, help="the first N runs only (0: all)")
    args = ap.parse_args(argv)
    from ganalyze.diagnose.truth import LABELS

    t0 = time.perf_counter()
    loops = set(args.loops.split(","))
    man, runs = loop_runs(args.corpus, loops, args.max_runs)
    every = tuple(int(x) for x in args.every.split(","))
    axes = [0] + [int(s) for s in args.scales.split(",")] + [None]
    print(f"{len(runs)} runs of {', '.join(sorted(loops))}; single-step rows every {args.every} iterations")
    out = {}
    for method in args.methods.split(","):
        for scale in axes:
            name = "true" if scale is None else "as read" if scale == 0 else f"row x{scale}"
            rows = predictions(runs, man, method, scale, every)
            for k in every:
                sel = rows[rows["variant"].str.endswith(f"/every{k}")]
                out[(method, name, k)] = summarise(sel, tuple(HEADLINE))
                print_table(f"method {method}, step = {name}, a row every {k} iterations", out[(method, name, k)],
                            list(LABELS))
            print(f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    print(" ".join(f"{m}_{a.replace(' ', '')}_every{k}_{tag}_macro_f1={s[h]['macro_f1']:.3f}"
                   for (m, a, k), s in out.items() for h, tag in zip(HEADLINE, ("div", "grads")) if h in s))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
