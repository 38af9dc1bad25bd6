"""Would a logged FID help the labels? Held-out check of two relabelling rules (stop 29: no).

Usage: python scripts/eval_fid_rules.py HELDOUT_DIR [--every 1000] [--corpus data/corpus]

HELDOUT_DIR holds ``heldout_loop.parquet`` written by ``train_diagnoser.py --heldout-out DIR``
(every held-out run's true and predicted step labels and the model's raw scores). The truth's
Fréchet distance (``checks.parquet``) at every ``--every`` steps stands in for a logged FID. Rules,
thresholds fixed before scoring:

* A: no ``stagnation`` where the FID moved by 10 % or more between the evaluations around the step;
* B: no ``mode_collapse`` where the FID is at most 0.3 x its first value and within 10 % of its best.

A relabelled step takes the model's next-best label at its nearest evaluation point. Prints the
learned method's step-level macro-F1 per setting before and after; the last line holds name=value
pairs. Minutes; never run in CI.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))
from train_diagnoser import summarise  # noqa: E402

from ganalyze.diagnose.truth import LABELS  # noqa: E402

SETTINGS = ("diversity<=100", "losses+D+grads")


def relabel(pred, truth_len, steps, raw, fd: pd.Series, every: int) -> dict:
    """The rules' predictions of one (run, variant): {"A": ..., "B": ..., "AB": ...}."""
    labels = np.asarray(LABELS, dtype=object)
    n = truth_len
    ev = fd[(fd.index % every == 0) & np.isfinite(fd.to_numpy())]
    es, ef = ev.index.to_numpy(), ev.to_numpy()
    if len(es) < 2:
        return {k: pred for k in ("A", "B", "AB")}
    j = np.searchsorted(es, np.arange(n), side="left")           # the first evaluation at or after t
    ok = (j >= 1) & (j < len(es))
    jj = np.clip(j, 1, len(es) - 1)
    moved = ok & (np.abs(np.log(ef[jj] / ef[jj - 1])) >= np.log(1.1))
    improved = ok & (ef[jj] <= 0.3 * ef[0]) & (ef[jj] <= 1.1 * np.minimum.accumulate(ef)[jj])
    nearest = np.clip(np.searchsorted(steps, np.arange(n)), 0, len(steps) - 1)

    def next_best(excluded: str) -> np.ndarray:
        sc = raw[nearest].copy()
        sc[:, LABELS.index(excluded)] = -np.inf
        return labels[sc.argmax(1)]

    out = {}
    for name, rules in (("A", (("stagnation", moved),)), ("B", (("mode_collapse", improved),)),
                        ("AB", (("stagnation", moved), ("mode_collapse", improved)))):
        p = pred.copy()
        for label, where in rules:
            hit = (p == label) & where
            p[hit] = next_best(label)[hit]
        out[name] = p
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("heldout", help="a train_diagnoser.py --heldout-out folder")
    ap.add_argument("--every", type=int, default=1000, help="steps between the stand-in FID evaluations")
    ap.add_argument("--corpus", default=str(REPO / "data" / "corpus"))
    args = ap.parse_args(argv)
    path = Path(args.heldout) / "heldout_loop.parquet"
    if not path.is_file():
        print(f"error: heldout: got {args.heldout!r}, which holds no heldout_loop.parquet; allowed: a folder written "
              "by train_diagnoser.py --heldout-out", file=sys.stderr)
        return 2
    h = pd.read_parquet(path)
    h = h[~h["variant"].str.endswith("every500")].reset_index(drop=True)
    checks = pd.read_parquet(Path(args.corpus) / "checks.parquet", columns=["run_id", "step", "frechet_distance"])
    fd_of = {r: g.set_index("step")["frechet_distance"] for r, g in checks.groupby("run_id")}
    preds = {k: [] for k in ("base", "A", "B", "AB")}
    for r in h.itertuples():
        pred = np.asarray(r.pred, dtype=object)
        raw = np.asarray(r.raw, np.float32).reshape(-1, len(LABELS))
        preds["base"].append(pred)
        for k, p in relabel(pred, len(r.truth), np.asarray(r.steps), raw, fd_of[r.run_id], args.every).items():
            preds[k].append(p)
    pairs = []
    for k, p in preds.items():
        s = summarise(h.assign(pred=p), SETTINGS)
        print(f"{k:5s} " + "  ".join(f"{name} {v['macro_f1']:.3f} (stagnation {v['f1'].get('stagnation', np.nan):.2f}, "
                                     f"mode_collapse {v['f1'].get('mode_collapse', np.nan):.2f})" for name, v in s.items()))
        pairs += [f"{k}_{'diversity' if name.startswith('div') else 'grads'}={v['macro_f1']:.3f}" for name, v in s.items()]
    print(f"every={args.every} " + " ".join(pairs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
