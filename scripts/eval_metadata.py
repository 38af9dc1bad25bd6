"""How often the metadata guesses are right on the labelled corpus, whose runs state their loss,
D-loss reduction and scores: the sum-vs-mean guess on every BCE run (nsgan, minimax), from the
losses alone and with D's outputs, per log variant (every k steps, or k-step means); and the
loss-family guess on every run from its losses alone (every step), per true family.

Usage: python scripts/eval_metadata.py [--corpus data/corpus]
Prints one line per variant and ends with ``name=value`` pairs; a run's guess is made on that
run alone. The sum-vs-mean rules were not fitted to these runs (their levels are the BCE losses
of an untrained D). The two LSGAN limits (``LSGAN_PAIR_RATIO``, ``LSGAN_BOUND_RATIO``) were read
off these same runs' distributions, and so were the hinge-start limits (``HINGE_FIRST_D``,
``HINGE_FIRST_G_MAX``), so the loss-family figures for LSGAN, hinge and nsgan are in-sample.
"""
from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

from ganalyze.corpus.variants import make_variant
from ganalyze.diagnose.metadata import infer_metadata

VARIANTS = ((1, False), (10, False), (50, False), (100, False), (50, True))


def loss_family_right(corpus: str, columns: tuple = ("d_loss", "g_loss")) -> dict:
    """{true family: (runs, right, most common wrong guesses)} of the loss guess from ``columns``
    (nothing declared), every step logged."""
    man = pd.read_parquet(f"{corpus}/manifest.parquet").set_index("run_id")
    steps = pd.read_parquet(f"{corpus}/steps", columns=["run_id", "step", *columns])
    guesses = {}
    for run_id, run in steps.groupby("run_id", sort=True):
        log = run.drop(columns="run_id").sort_values("step").dropna(axis=1, how="all").reset_index(drop=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            guesses[run_id] = infer_metadata(log).loss
    out = {}
    for loss, runs in man.groupby("loss"):
        g = pd.Series([guesses[r] for r in runs.index if r in guesses])
        wrong = g[g != loss].value_counts().head(2)
        out[loss] = (len(g), int((g == loss).sum()), ", ".join(f"{k} {v}" for k, v in wrong.items()))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="data/corpus")
    args = ap.parse_args()
    t0 = time.time()
    man = pd.read_parquet(f"{args.corpus}/manifest.parquet")
    man = man[man.loss.isin(["nsgan", "minimax"])].set_index("run_id")
    steps = pd.read_parquet(f"{args.corpus}/steps", columns=["run_id", "step", "d_loss", "g_loss", "d_x", "d_g_z1"],
                            filters=[("run_id", "in", list(man.index))])
    right: dict[tuple, list] = {}
    for run_id, run in steps.groupby("run_id", sort=True):
        truth = man.loc[run_id, "d_loss_reduction"]
        run = run.drop(columns="run_id")
        for cols in ("losses", "d_outputs"):
            for every, avg in VARIANTS:
                log = make_variant(run, columns=cols, every=every, is_averaged=avg)
                log.attrs = {"loss": man.loc[run_id, "loss"], "scores": "probability"}
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    guess = infer_metadata(log).d_loss_reduction
                right.setdefault((cols, every, avg), []).append(guess == truth)
    family = loss_family_right(args.corpus)
    family_dx = loss_family_right(args.corpus, ("d_loss", "g_loss", "d_x", "d_g_z1"))
    print(f"sum vs mean D loss, {len(man)} BCE runs ({(man.d_loss_reduction == 'mean').sum()} mean):")
    for (cols, every, avg), hits in right.items():
        print(f"  {cols:9s} {'mean of' if avg else 'every':7s} {every:3d} steps: {np.mean(hits):.1%} right")
    for what, fam in (("the losses alone", family), ("the losses and D's outputs where the loop logs them", family_dx)):
        print(f"loss family from {what} (every step), by the run's true family:")
        for loss, (n, hits, wrong) in fam.items():
            print(f"  {loss:8s} {n:4d} runs: {hits / n:.1%} right" + (f" (else: {wrong})" if wrong else ""))
    pairs = {f"{c}_{'avg' if a else 'every'}{e}": f"{np.mean(h):.3f}" for (c, e, a), h in right.items()}
    pairs.update({f"loss_right_{k}": f"{h / n:.3f}" for k, (n, h, _) in family.items()})
    pairs.update({f"loss_right_with_d_outputs_{k}": f"{h / n:.3f}" for k, (n, h, _) in family_dx.items()})
    print(" ".join(f"{k if k.startswith('loss_') else 'reduction_right_' + k}={v}" for k, v in pairs.items())
          + f" bce_runs={len(man)} seconds={time.time() - t0:.0f}")


if __name__ == "__main__":
    main()
