"""Method auto's held-out figures under other rules votes, from train_diagnoser's held-out files.

Usage: python scripts/rescore_auto.py HELDOUT_DIR EVAL_JSON [--schemes loop,dataset]
           [--variant NAME='{"final": [...], "votes": {...}, "bonus": 1, "share": 0.25}' ...]

HELDOUT_DIR is ``train_diagnoser.py --baseline --heldout-out DIR``'s folder (``heldout_<scheme>.parquet``:
every held-out (run, variant)'s truth and the held-out model's raw scores at its evaluation points;
``rules_baseline.parquet``: the rules' step labels), EVAL_JSON that run's ``--out`` (the segmenter's
switch cost chosen on the held-out folds). Each variant is a ``learned.RulesVote``: the labels the
rules always win (``final``), each label's vote in nats (``votes``, else ``bonus``) and the blind
share. Without ``--variant``: the shipped model JSON's vote. Prints the step-level macro-F1 and
per-label F1 per setting for each variant, as train_diagnoser scores ``auto``; the last line holds
name=value pairs. Minutes; never run in CI.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))
import train_diagnoser as td  # noqa: E402

from ganalyze.diagnose.learned import RulesVote  # noqa: E402
from ganalyze.diagnose.truth import LABELS  # noqa: E402

HEADLINE = ("diversity<=100", "losses+D+grads", "losses only", "all columns")


def variant_arg(text: str) -> tuple[str, RulesVote]:
    """``NAME=JSON`` -> (name, RulesVote)."""
    name, _, spec = text.partition("=")
    try:
        s = json.loads(spec)
    except json.JSONDecodeError as err:
        raise argparse.ArgumentTypeError(f"got {text!r}: {err}; allowed: NAME='{{\"final\": [...], \"votes\": {{...}}}}'")
    return name, RulesVote(float(s.get("bonus", 1.0)), tuple(s.get("final", ())), dict(s.get("votes", {})),
                           float(s.get("share", 0.25)))


def heldout_rows(path: Path, manifest: pd.DataFrame) -> pd.DataFrame:
    """A held-out file as train_diagnoser's scored rows (raw scores as points x labels, the true
    label per point, the labels ruled out and those the rules cannot see on each log variant)."""
    h = pd.read_parquet(path)
    labels = list(LABELS)
    h["steps"] = h["steps"].map(np.asarray)
    h["nonfinite"] = h["nonfinite"].map(lambda a: np.asarray(a, dtype=bool))
    h["truth"] = h["truth"].map(lambda a: np.asarray(a, dtype=object))
    h["raw"] = [np.asarray(r, np.float64).reshape(len(s), len(labels)) for r, s in zip(h["raw"], h["steps"])]
    h["y"] = [np.array([labels.index(t[min(int(s), len(t) - 1)]) for s in st]) for t, st in zip(h["truth"], h["steps"])]
    h["temperature"] = 1.0

    h["drop"] = [td.unsettled(manifest.loc[r, "loss"], v) for r, v in zip(h["run_id"], h["variant"])]
    h["blind"] = [td.rules_blind(manifest.loc[r, "loss"], manifest.loc[r, "d_loss_reduction"], manifest.loc[r, "scores"], v)
                  for r, v in zip(h["run_id"], h["variant"])]
    return h


def corpus_manifest(corpus: str | Path) -> pd.DataFrame:
    """The corpus manifest indexed by run id."""
    manifest = pd.read_parquet(Path(corpus) / "manifest.parquet")
    return manifest.set_index("run_id") if "run_id" in manifest.columns else manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("heldout_dir")
    ap.add_argument("eval_json")
    ap.add_argument("--schemes", default="loop,dataset")
    ap.add_argument("--corpus", default=str(REPO / "data" / "corpus"))
    ap.add_argument("--variant", type=variant_arg, action="append", default=[])
    args = ap.parse_args(argv)
    manifest = corpus_manifest(args.corpus)
    evaluation = json.loads(Path(args.eval_json).read_text())
    base = pd.read_parquet(Path(args.heldout_dir) / "rules_baseline.parquet")
    base["pred"], base["truth"] = base["pred"].map(np.asarray), base["truth"].map(np.asarray)
    variants = args.variant or [("shipped", RulesVote.from_info(
        json.loads((REPO / "ganalyze" / "diagnose" / "diagnoser_model.json").read_text()).get("ensemble")))]
    pairs = []
    for scheme in [s for s in args.schemes.split(",") if s]:
        rows = heldout_rows(Path(args.heldout_dir) / f"heldout_{scheme}.parquet", manifest)
        cost = evaluation["fitted_on_heldout_folds"]["segmenter"][scheme]["switch_cost_all_folds"]
        for name, vote in variants:
            s = td.summarise(td.ensemble_preds(rows, base, list(LABELS), cost, vote).drop(columns=["conf"]))
            print(f"## auto, leave one {scheme} out, vote {name}: final {list(vote.final)}, votes {vote.label_votes}, "
                  f"blind share {vote.blind_share}")
            for setting in HEADLINE:
                if setting in s:
                    f1 = " ".join(f"{k} {v:.2f}" for k, v in s[setting]["f1"].items())
                    print(f"  {setting:16s} macro-F1 {s[setting]['macro_f1']:.3f}   {f1}")
                    key = setting.replace("<=100", "").replace("+", "_").replace(" ", "_")
                    pairs.append(f"{scheme}_{name}_{key}={s[setting]['macro_f1']:.3f}")
            sys.stdout.flush()
    print(" ".join(pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
