"""How often a pathology the diagnosis reads on a share of a log is in that run's truth, held out:
the evidence behind ``diagnose.core.MAIN_MIN_SHARE`` and ``FINAL_MIN_SHARE``.

Usage: python scripts/eval_main_finding.py HELDOUT_DIR EVAL_JSON [--scheme loop] [--corpus data/corpus]

HELDOUT_DIR and EVAL_JSON as for ``scripts/rescore_auto.py`` (``train_diagnoser.py --baseline
--heldout-out DIR``'s held-out files and that run's ``--out``): method ``auto``'s step labels on
every held-out (run, log variant), segmented with the switch cost chosen on the held-out folds.
For every pathology a log's labels hold, by the share of the log's steps it covers: the share of
such logs whose truth holds it on >= 5 % of the steps (run-level precision); and for the label
the log ends in, by the share of its final segment: the share of such logs whose truth holds that
label anywhere in the segment's steps. Prints both tables; the last line holds name=value pairs.
Minutes; never run in CI. The thresholds were read off these tables, so a precision quoted from
them for the shipped thresholds is in-sample for that choice (the labels themselves are held out).
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
import rescore_auto  # noqa: E402
import train_diagnoser as td  # noqa: E402

from ganalyze.diagnose.learned import RulesVote  # noqa: E402
from ganalyze.diagnose.truth import LABELS  # noqa: E402

PATHOLOGIES = [x for x in LABELS if x not in ("warmup", "healthy")]
SHARE_BINS = [0, 0.05, 0.1, 0.25, 0.5, 1.0]
FINAL_BINS = [0, 0.05, 0.1, 0.25, 1.0]
CONF_BINS = [0, 0.15, 0.2, 0.25, 0.3, 0.4, 0.6, 1.0]
PRESENT = 0.05          # a label is in a run's truth when it holds on this share of the steps


def log_readings(pred, truth, point_conf=None, nonfinite=None) -> list[dict]:
    """Per pathology in one held-out log's step labels: its share of the steps, whether the truth
    holds it, and (for the label the log ends in) its final segment's share and whether the truth
    holds it anywhere there. ``point_conf``: (point steps, the model's calibrated probability of
    each point's segmented label), to add the label's mean confidence over its points as
    ``diagnose`` reports it per segment; ``nonfinite``: the log's per-point non-finite flags, to
    tell divergence the log shows from divergence read off the loss patterns."""
    p, t = np.asarray(pred, dtype=object), np.asarray(truth, dtype=object)
    n, out = len(p), []
    k = n - 1
    while k > 0 and p[k - 1] == p[-1]:
        k -= 1
    for lab in sorted(set(p) & set(PATHOLOGIES)):
        rec = {"label": lab, "share": float((p == lab).mean()), "present": bool((t == lab).mean() >= PRESENT)}
        if nonfinite is not None:
            rec["shown"] = bool(np.asarray(nonfinite).any())
        if point_conf is not None:
            at = point_conf[0][p[point_conf[0]] == lab]
            rec["confidence"] = float(point_conf[1][np.isin(point_conf[0], at)].mean()) if len(at) else np.nan
        if p[-1] == lab:
            rec.update(final_share=(n - k) / n, final_present=bool((t[k:] == lab).any()))
        out.append(rec)
    return out


def point_confidence(row, pred, temperature: float) -> tuple[np.ndarray, np.ndarray]:
    """(point steps clipped to the truth, the calibrated probability of each point's segmented
    label): the model's own scores without the labels ruled out, at the shipped temperature."""
    from ganalyze.diagnose.calibration import softmax_with_temperature
    from ganalyze.diagnose.learned import without_labels

    labels = list(LABELS)
    steps = np.clip(np.asarray(row.steps, dtype=int), 0, len(pred) - 1)
    proba = softmax_with_temperature(without_labels(row.raw, tuple(labels), row.drop), temperature)
    idx = np.array([labels.index(x) for x in np.asarray(pred, dtype=object)[steps]])
    return steps, proba[np.arange(len(steps)), idx]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("heldout_dir")
    ap.add_argument("eval_json")
    ap.add_argument("--scheme", default="loop")
    ap.add_argument("--corpus", default=str(REPO / "data" / "corpus"))
    args = ap.parse_args(argv)
    manifest = rescore_auto.corpus_manifest(args.corpus)
    rows = rescore_auto.heldout_rows(Path(args.heldout_dir) / f"heldout_{args.scheme}.parquet", manifest)
    base = pd.read_parquet(Path(args.heldout_dir) / "rules_baseline.parquet")
    base["pred"] = base["pred"].map(np.asarray)
    cost = json.loads(Path(args.eval_json).read_text())["fitted_on_heldout_folds"]["segmenter"][args.scheme][
        "switch_cost_all_folds"]
    vote = RulesVote.from_info(json.loads((REPO / "ganalyze" / "diagnose" / "diagnoser_model.json").read_text())
                               .get("ensemble"))
    out = td.ensemble_preds(rows, base, list(LABELS), cost, vote)
    info = json.loads((REPO / "ganalyze" / "diagnose" / "diagnoser_model.json").read_text())
    temperature = info["calibration"]["temperature"]
    d = pd.DataFrame([r for row, p in zip(out.itertuples(), out["pred"])
                      for r in log_readings(p, row.truth, point_confidence(row, p, temperature), row.nonfinite)])
    d["bin"] = pd.cut(d["share"], SHARE_BINS)
    print(f"## a pathology read on a share of a held-out log's steps (leave one {args.scheme} out, auto): "
          f"share of such logs whose truth holds it on >= {PRESENT:.0%} of the steps")
    table = d.pivot_table(index="label", columns="bin", values="present", aggfunc="mean", observed=True)
    table.loc["all"] = d.groupby("bin", observed=True)["present"].mean()
    print(table.round(2).to_string())
    f = d.dropna(subset=["final_share"]).copy()
    f["bin"] = pd.cut(f["final_share"], FINAL_BINS)
    print("\n## the label a held-out log ends in, by its final segment's share of the steps: share of such logs "
          "whose truth holds it anywhere in that segment")
    g = f.groupby("bin", observed=True)["final_present"]
    print(pd.DataFrame({"logs": g.size(), "truth_holds_it": g.mean().round(2)}).to_string())
    c = d[d["share"] >= 0.1].copy()
    c["conf_bin"] = pd.cut(c["confidence"], CONF_BINS)
    print("\n## a pathology read on >= 10 % of a held-out log's steps, by its mean confidence over its points: "
          "logs, and the share whose truth holds it on >= 5 % of the steps")
    g = c.groupby(["label", "conf_bin"], observed=True)["present"]
    print(pd.DataFrame({"logs": g.size(), "truth_holds_it": g.mean().round(2)}).unstack("label").to_string())
    dv = c[c["label"] == "divergence"]
    g = dv.groupby(["shown", "conf_bin"], observed=True)["present"]
    print("\n## divergence read on >= 10 % of the steps, by whether a logged value is non-finite (shown)")
    print(pd.DataFrame({"logs": g.size(), "truth_holds_it": g.mean().round(2)}).unstack("shown").to_string())
    ga = c.groupby("conf_bin", observed=True)["present"]
    print(pd.DataFrame({"logs": ga.size(), "truth_holds_it": ga.mean().round(2)}).to_string())
    by = d.groupby("bin", observed=True)["present"].mean()
    fb = f.groupby("bin", observed=True)["final_present"].mean()
    print(" ".join([f"share_{iv.left:g}_{iv.right:g}={v:.2f}" for iv, v in by.items()]
                   + [f"final_{iv.left:g}_{iv.right:g}={v:.2f}" for iv, v in fb.items()]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
