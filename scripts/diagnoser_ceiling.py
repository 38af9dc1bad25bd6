"""How far the logged signals go: the learned diagnosis's features and trees scored in-sample, on
held-out runs of the training loops they were fitted on, and on a held-out training loop.

Usage: python scripts/diagnoser_ceiling.py [--cache out/diagnoser_examples.parquet] [--rows 250000]
                                           [--rounds 200] [--run-folds 5] [--seed 0]

The examples cache is the one ``scripts/train_diagnoser.py`` writes (every corpus run under every
log variant, featurised as ``diagnose`` featurises a log). Each fit samples ``--rows`` rows of its
training runs and is fitted by ``train_diagnoser.fit`` (its class and run weights and tree
settings, 2 threads). Scores are point-level (each evaluation point against the LABELS.md label of
its step, no segmenter), macro-F1 over the labels present, for the issue's two headline settings
(log variants every 1-100 steps):

* ``in_sample``: one fit on every run, scored on the rows it was fitted on;
* ``heldout_runs``: runs split into ``--run-folds`` folds at random (every loop in every fold),
  each fold scored by a fit on the others;
* ``heldout_loops``: leave one training loop out (mean over the loops, as the README's table).

A gap between the first two is runs the model has not seen; between the last two, a training loop
it has not seen; the in-sample score itself bounds what these features and trees can separate at
all. Prints one table; the last line holds name=value pairs. Not a test, and slow (~17 fits,
~15 min on 2 cores). Seeded.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_diagnoser import META_COLUMNS, REPO, SETTINGS, fit, variant_in_setting  # noqa: E402

HEADLINE = ("diversity<=100", "losses+D+grads")


def point_macro_f1(booster, test: pd.DataFrame, features, labels) -> dict:
    """Point-level macro-F1 per headline setting of ``test``'s rows."""
    from sklearn.metrics import f1_score

    out = {}
    code = {lab: i for i, lab in enumerate(labels)}
    for name in HEADLINE:
        rows = test[[variant_in_setting(v, SETTINGS[name]) for v in test["variant"]]]
        y = rows["label"].map(code).to_numpy()
        pred = booster.predict(rows[features].to_numpy(np.float32), num_threads=2).argmax(1)
        out[name] = float(f1_score(y, pred, labels=sorted(set(y)), average="macro"))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", default=str(REPO / "out" / "diagnoser_examples.parquet"))
    ap.add_argument("--rows", type=int, default=250_000, help="training rows sampled per fit")
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--run-folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if not Path(args.cache).is_file():
        print(f"error: --cache: got {args.cache!r}, which does not exist; allowed: the examples cache "
              "python scripts/train_diagnoser.py writes", file=sys.stderr)
        return 2
    from ganalyze.diagnose.truth import LABELS

    labels = list(LABELS)
    t0 = time.perf_counter()
    ex = pd.read_parquet(args.cache)
    features = [c for c in ex.columns if c not in META_COLUMNS]
    rng = np.random.default_rng(args.seed)

    def sample(frame):
        return frame.iloc[np.sort(rng.choice(len(frame), min(args.rows, len(frame)), replace=False))]

    def progress(what):
        print(f"{what} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)

    scores = {}
    train = sample(ex)
    scores["in_sample"] = point_macro_f1(fit(train, features, labels, args.rounds, args.seed, threads=2), train, features, labels)
    progress("in-sample fit scored")
    runs = rng.permutation(sorted(ex["run_id"].unique()))
    fold_of = {r: k % args.run_folds for k, r in enumerate(runs)}
    fold = ex["run_id"].map(fold_of).to_numpy()
    per = []
    for k in range(args.run_folds):
        booster = fit(sample(ex[fold != k]), features, labels, args.rounds, args.seed, threads=2)
        per.append(point_macro_f1(booster, ex[fold == k], features, labels))
        progress(f"held-out runs, fold {k + 1}/{args.run_folds}")
    scores["heldout_runs"] = {n: float(np.mean([p[n] for p in per])) for n in HEADLINE}
    per = []
    for loop in sorted(ex["loop"].unique()):
        booster = fit(sample(ex[ex["loop"] != loop]), features, labels, args.rounds, args.seed, threads=2)
        per.append(point_macro_f1(booster, ex[ex["loop"] == loop], features, labels))
        progress(f"held-out loop {loop}")
    scores["heldout_loops"] = {n: float(np.mean([p[n] for p in per])) for n in HEADLINE}

    print(f"point-level macro-F1 ({len(ex['run_id'].unique()):,} runs, {args.rows:,} rows per fit, {args.rounds} rounds)")
    print(f"{'scored on':<16}" + "".join(f"{n:>18}" for n in HEADLINE))
    for what, s in scores.items():
        print(f"{what:<16}" + "".join(f"{s[n]:>18.3f}" for n in HEADLINE))
    print(" ".join(f"{what}_{tag}={scores[what][n]:.3f}" for what in scores
                   for n, tag in zip(HEADLINE, ("div", "grads"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
