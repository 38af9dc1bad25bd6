"""What a D loss far above its equilibrium says on the labelled corpus (stop 40), for the note beside a finding.

Usage: python scripts/eval_off_scale.py [--corpus data/corpus] [--window 50] [--factor 20]

For every run whose D loss has a fixed level (BCE, least squares, hinge: not a critic's), the mean D loss over
each step's last ``--window`` logged steps is divided by the loss's equilibrium (``thresholds.profile_for``; the
corpus's least squares carries the paper's 1/2). Prints the ground-truth labels (LABELS.md, from the generator's
samples) of the steps past warm-up where it is over ``--factor``, and over 5 and 50 beside it; the last line holds
name=value pairs. A minute on 2 cores; never run in CI. Nothing is fitted: ``explain.OFF_SCALE`` is set a priori
and this prints what the corpus says at it.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from ganalyze.diagnose.thresholds import profile_for  # noqa: E402


def window_ratios(corpus: Path, window: int) -> pd.DataFrame:
    """One row per logged step of every fixed-level run: its loss family, ground-truth label and windowed D loss
    over the equilibrium."""
    manifest = pd.read_parquet(corpus / "manifest.parquet").set_index("run_id")
    parts = []
    for f in sorted((corpus / "steps").rglob("*.parquet")):
        steps = pd.read_parquet(f, columns=["run_id", "step", "d_loss", "gt_label"])
        for run_id, g in steps.groupby("run_id", sort=False):
            loss, red = manifest.loc[run_id, "loss"], manifest.loc[run_id, "d_loss_reduction"]
            if loss == "wgan-gp":
                continue
            eq = profile_for(loss, red).d_eq
            ratio = g.sort_values("step")["d_loss"].rolling(window, min_periods=max(2, window // 5)).mean() / eq
            parts.append(pd.DataFrame({"loss": loss, "label": g.sort_values("step")["gt_label"].to_numpy(),
                                       "ratio": ratio.to_numpy()}))
    return pd.concat(parts, ignore_index=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=REPO / "data" / "corpus")
    ap.add_argument("--window", type=int, default=50)
    ap.add_argument("--factor", type=float, default=20.0)
    args = ap.parse_args()
    rows = window_ratios(args.corpus, args.window)
    rows = rows[rows["label"] != "warmup"]
    out = {}
    for factor in sorted({5.0, args.factor, 50.0}):
        over = rows[rows["ratio"] > factor]
        shares = over["label"].value_counts(normalize=True)
        print(f"window-mean D loss > {factor:g} x equilibrium: {len(over)} steps past warm-up of {len(rows)}; labels: "
              + ", ".join(f"{k} {v:.0%}" for k, v in shares.items()))
        if factor == args.factor:
            out = {"steps": len(over), **{f"share_{k}": round(float(v), 3) for k, v in shares.items()}}
    print(" ".join(f"{k}={v}" for k, v in out.items()))


if __name__ == "__main__":
    main()
