"""The shipped diagnosis on long runs (8,000-20,000 steps) that no model or threshold was fitted to.

Usage: python scripts/eval_long_runs.py CORPUS [--methods auto,learned,rules] [--every 1,10,100]

CORPUS is a corpus folder built from the ``very_long`` search, which the committed corpus does not
hold (the corpus's runs stop at 5,000 steps, practitioners' logs do not)::

    python scripts/make_corpus.py generate --only very_long --n-very-long 64 --work out/long_work
    python scripts/make_corpus.py build --work out/long_work --out out/long_corpus

(``build`` then prints ``check=failed`` and exits 1: its check is the committed corpus's, 300 runs
or more and every label on 5 % of the steps; the folder is written all the same.)

Each run is cut into log variants as the corpus's (``ganalyze.corpus.variants``: the issue's two
headline column sets, one row every k steps), read with its true loss, reduction and score type,
diagnosed through ``ganalyze.diagnose.diagnose`` exactly as a user's log is, and scored step by
step against its LABELS.md labels: macro-F1, per-label F1, detection delay and the ratio of
predicted to true segments. The model was fitted on every loop these runs come from, so this is a
held-out-runs figure on long logs, not a held-out-loop one. Prints a table per method; the last
line holds name=value pairs. Slow (minutes); never run in CI.
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


def predictions(runs: dict, man: pd.DataFrame, method: str, every: tuple[int, ...]) -> pd.DataFrame:
    """One row per (run, variant): the true step labels and ``diagnose``'s, mapped to steps."""
    from ganalyze.corpus.variants import make_variant
    from ganalyze.diagnose import diagnose
    from ganalyze.diagnose.segmenter import points_to_steps

    rows = []
    for run_id, df in runs.items():
        m = man.loc[run_id]
        truth = df["gt_label"].to_numpy()
        for columns in HEADLINE.values():
            for k in every:
                frame = make_variant(df, columns, k, False).drop(columns="gt_label")
                frame.attrs = {"loss": m["loss"], "d_loss_reduction": m["d_loss_reduction"], "scores": m["scores"]}
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    d = diagnose(frame, method=method)
                pred = points_to_steps(np.asarray(d.row_steps), np.asarray(d.row_labels), np.arange(len(truth)))
                rows.append({"run_id": run_id, "variant": f"{columns}/every{k}", "truth": truth, "pred": pred})
    return pd.DataFrame(rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--methods", default="auto,learned,rules")
    ap.add_argument("--every", default="1,10,100", help="logging intervals of the variants (steps)")
    args = ap.parse_args(argv)
    if not (Path(args.corpus) / "manifest.parquet").is_file():
        print(f"error: CORPUS: got {args.corpus!r}, which holds no manifest.parquet; allowed: a corpus folder "
              "written by scripts/make_corpus.py build", file=sys.stderr)
        return 2
    from ganalyze.corpus.store import iter_runs, load_manifest
    from ganalyze.diagnose.truth import LABELS

    t0 = time.perf_counter()
    man = load_manifest(args.corpus).set_index("run_id")
    runs = {row.name: df for row, df in iter_runs(args.corpus)}
    every = tuple(int(x) for x in args.every.split(","))
    steps = man.loc[list(runs), "steps"]
    print(f"{len(runs)} runs, {int(steps.min()):,}-{int(steps.max()):,} steps (median {int(steps.median()):,}), "
          f"loops: {', '.join(sorted(man.loc[list(runs), 'loop'].unique()))}")
    out = {}
    for method in args.methods.split(","):
        rows = predictions(runs, man, method, every)
        out[method] = summarise(rows, tuple(HEADLINE))
        print_table(f"method {method}, long runs (every {args.every} steps)", out[method], list(LABELS))
        print(f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    print(" ".join(f"{m}_{tag}_macro_f1={s[name]['macro_f1']:.3f} {m}_{tag}_segment_ratio={s[name]['segment_count_ratio']:.2f}"
                   for m, s in out.items() for name, tag in zip(HEADLINE, ("div", "grads")) if name in s))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
