"""One row per epoch: which step axis the diagnosis reads such a log best with, on loops no model saw.

Usage: python scripts/eval_epoch_logs.py [--corpus data/corpus] [--loops dcgantf,ganhacks,dragan]
       [--epoch-iters 20,50] [--methods auto,learned]

A practitioner's notebook or Keras history often holds one row per epoch (the epoch's mean losses)
and no iteration counter; the reader then steps it by the epoch. Each corpus run of the given loops
(loops 12-14 by default: the shipped model was fitted on loops 1-11 only, so nothing here was
fitted to them) is cut into such a log: means over consecutive blocks of ``E`` iterations (the
``--epoch-iters``), one row per block, under the issue's two headline column sets. Each log is
diagnosed three ways, with the run's true loss, reduction and score type and ``averaged=True``:

- ``epoch, unscaled``: step = the epoch's index (0, 1, 2, ...), windows and warm-up in epochs, as a
  one-row-per-epoch log was read before stop 32;
- ``epoch, as read``: the same steps with the reader's ``step_from`` "epoch", as such a log is read
  now: ``core.EPOCH_STEPS`` (100) iterations per epoch, the sparsest pre-averaged interval the model
  is validated on;
- ``true``: step = the iteration that ends the block (the oracle: what ``--step-from row*E`` gives).

and scored step by step against the run's LABELS.md labels (each iteration takes the label of the
row of its block). Prints macro-F1 per setting and method; the last line holds name=value pairs.
Minutes; never run in CI.
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_diagnoser import print_table, summarise  # noqa: E402

HEADLINE = {"diversity<=100": "diversity", "losses+D+grads": "grad_norms"}
AXES = ("epoch, unscaled", "epoch, as read", "true")


def variant_predictions(runs: dict, man: pd.DataFrame, method: str, intervals: tuple[int, ...], averaged: bool,
                        restep, name) -> pd.DataFrame:
    """One scored row per (run, column set, interval) of ``runs``: each run cut by ``make_variant``
    (a row every ``k`` iterations, block means when ``averaged``) under the issue's two headline column
    sets, given the run's true loss, reduction and score type, re-stepped by ``restep(frame, true_steps)``
    (which returns the frame the diagnosis reads), and every iteration labelled by the row whose block
    holds it; ``name(columns, k)`` names the variant for ``summarise``."""
    from ganalyze.corpus.variants import make_variant
    from ganalyze.diagnose import diagnose

    rows = []
    for run_id, df in runs.items():
        m = man.loc[run_id]
        truth = df.sort_values("step")["gt_label"].to_numpy()
        steps = np.arange(len(truth))
        for columns in HEADLINE.values():
            for k in intervals:
                frame = make_variant(df, columns, k, averaged).drop(columns="gt_label")
                if len(frame) < 2:
                    continue
                true_steps = frame["step"].to_numpy()
                frame.attrs = {"loss": m["loss"], "d_loss_reduction": m["d_loss_reduction"], "scores": m["scores"]}
                frame = restep(frame, true_steps)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    d = diagnose(frame, method=method, **({"averaged": True} if averaged else {}))
                row_labels = np.asarray(d.row_labels)
                block = np.clip(np.searchsorted(true_steps, steps, "left"), 0, len(true_steps) - 1)
                rows.append({"run_id": run_id, "variant": name(columns, k), "truth": truth, "pred": row_labels[block]})
    return pd.DataFrame(rows)


def predictions(runs: dict, man: pd.DataFrame, method: str, axis: str, epoch_iters: tuple[int, ...]) -> pd.DataFrame:
    """One scored row per (run, column set, epoch length), the log's step as ``axis`` says."""
    def restep(frame: pd.DataFrame, true_steps: np.ndarray) -> pd.DataFrame:
        attrs = dict(frame.attrs, **({"step_from": "epoch"} if axis == "epoch, as read" else {}))
        frame = frame.assign(step=true_steps if axis == "true" else np.arange(len(frame)))
        frame.attrs = attrs
        return frame

    # summarise's settings name logging intervals 1-100; E stands in as "avg"
    return variant_predictions(runs, man, method, epoch_iters, True, restep,
                               lambda columns, e: f"{columns}/every{min(e, 100)}")


def loop_runs(corpus, loops: set, max_runs: int = 0) -> tuple[pd.DataFrame, dict]:
    """(the manifest indexed by run_id, {run_id: steps frame}) of the corpus runs of ``loops``, the first
    ``max_runs`` only where it is not 0."""
    from ganalyze.corpus.store import iter_runs, load_manifest

    man = load_manifest(corpus).set_index("run_id")
    runs = {}
    for row, df in iter_runs(corpus):
        if man.loc[row.name, "loop"] in loops:
            runs[row.name] = df
            if max_runs and len(runs) >= max_runs:
                break
    return man, runs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="data/corpus")
    ap.add_argument("--loops", default="dcgantf,ganhacks,dragan")
    ap.add_argument("--epoch-iters", default="20,50", help="iterations per epoch of the cut logs")
    ap.add_argument("--methods", default="auto,learned")
    ap.add_argument("--max-runs", type=int, default=0, help="the first N runs only (0: all)")
    args = ap.parse_args(argv)
    from ganalyze.diagnose.truth import LABELS

    t0 = time.perf_counter()
    loops = set(args.loops.split(","))
    man, runs = loop_runs(args.corpus, loops, args.max_runs)
    epoch_iters = tuple(int(x) for x in args.epoch_iters.split(","))
    print(f"{len(runs)} runs of {', '.join(sorted(loops))}; epochs of {args.epoch_iters} iterations, epoch means")
    out = {}
    for method in args.methods.split(","):
        for axis in AXES:
            rows = predictions(runs, man, method, axis, epoch_iters)
            out[(method, axis)] = summarise(rows, tuple(HEADLINE))
            print_table(f"method {method}, step = {axis}", out[(method, axis)], list(LABELS))
            print(f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    print(" ".join(f"{m}_{a.replace(' ', '').replace(',', '_')}_{tag}_macro_f1={s[name]['macro_f1']:.3f}"
                   for (m, a), s in out.items() for name, tag in zip(HEADLINE, ("div", "grads")) if name in s))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
