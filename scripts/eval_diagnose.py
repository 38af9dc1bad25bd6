"""Score ``ganalyze.diagnose`` against the ground truth of data/labelled_runs/*.parquet.

Ground truth (gt_label) comes from what the generator and discriminator did during training
(scripts/make_labelled_runs.py), never from the logged losses. Prints step-level precision,
recall and F1 per label, macro-F1 (over the labels present in the ground truth), the delay from
each true regime change to its detection, and the same for a baseline of [practitioner-loss-curves]'s plain
threshold rules applied row by row. Ends with one ``name=value`` line.

Usage: python scripts/eval_diagnose.py [DIR]
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ganalyze.diagnose import LABELS, diagnose  # noqa: E402
from ganalyze.runlog import read_run  # noqa: E402


def baseline_seed000(df: pd.DataFrame) -> np.ndarray:
    """The rules of [practitioner-loss-curves] as printed, per row: D loss < 0.3 or D(G(z)) < 0.1 -> d_dominant;
    D(G(z)) > 0.5 -> g_dominant; std of the last 100 G losses > 2x the earlier ones' (its early-stop
    rule) -> oscillation; else healthy. Given warmup (first 200 steps) and divergence (non-finite
    from the first on) for free, so the comparison is about the other labels."""
    step = df["step"].to_numpy()
    d = df["d_loss"].to_numpy("float64")
    g = df["g_loss"].to_numpy("float64")
    dgz = df["d_g_z1"].to_numpy("float64") if "d_g_z1" in df else np.full(len(df), np.nan)
    lab = np.full(len(df), "healthy", dtype=object)
    gs = pd.Series(g)
    recent = gs.rolling(100, min_periods=100).std()
    hist = gs.shift(100).expanding(min_periods=2).std()
    lab[(recent > 2 * hist).to_numpy()] = "oscillation"
    lab[dgz > 0.5] = "g_dominant"
    lab[(d < 0.3) | (dgz < 0.1)] = "d_dominant"
    lab[step < 200] = "warmup"
    bad = ~(np.isfinite(d) & np.isfinite(g))
    if bad.any():
        lab[np.argmax(bad):] = "divergence"
    return lab


def scores(truth: np.ndarray, pred: np.ndarray) -> pd.DataFrame:
    rows = []
    for lab in LABELS:
        tp = int(((pred == lab) & (truth == lab)).sum())
        fp = int(((pred == lab) & (truth != lab)).sum())
        fn = int(((pred != lab) & (truth == lab)).sum())
        p = tp / (tp + fp) if tp + fp else float("nan")
        r = tp / (tp + fn) if tp + fn else float("nan")
        f1 = 2 * p * r / (p + r) if tp else 0.0
        rows.append({"label": lab, "support": tp + fn, "precision": p, "recall": r, "f1": f1})
    return pd.DataFrame(rows).set_index("label")


def delays(runs, key) -> list:
    """(run, step of the true change, new label, delay in steps or None if never detected)."""
    out = []
    for name, df, pred in runs:
        gt = df["gt_label"].to_numpy()
        step = df["step"].to_numpy()
        p = pred[key]
        change = np.flatnonzero(gt[1:] != gt[:-1]) + 1
        for c in change:
            if gt[c - 1] == "warmup":
                continue
            end = c
            while end < len(gt) and gt[end] == gt[c]:
                end += 1
            hit = np.flatnonzero(p[c:end] == gt[c])
            # a change counts only if the new label holds for at least 200 steps in the truth
            if step[end - 1] - step[c] < 200:
                continue
            # detection also counts if it came a little early (centred windows), up to 300 steps before
            early = np.flatnonzero((p[:c] == gt[c]) & (step[:c] >= step[c] - 300) & (gt[:c] != gt[c]))
            if len(early) and (p[c] == gt[c]):
                out.append((name, int(step[c]), gt[c], 0))
            else:
                out.append((name, int(step[c]), gt[c], int(step[c + hit[0]] - step[c]) if len(hit) else None))
    return out


def main():
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "data" / "labelled_runs"
    files = sorted(folder.glob("*.parquet"))
    if not files:
        sys.exit(f"no labelled runs in {folder}; run scripts/make_labelled_runs.py")
    runs = []
    for f in files:
        df = read_run(f)
        df = df[df["gt_label"].notna()].reset_index(drop=True)
        df["gt_label"] = np.asarray(LABELS, dtype=object)[df["gt_label"].to_numpy().astype(int)]
        ours = diagnose(df).phases(df).astype(str).to_numpy()
        runs.append((f.stem, df, {"ours": ours, "baseline": baseline_seed000(df)}))
        fr = pd.Series(ours).value_counts().to_dict()
        print(f"{f.stem:>16s}: truth {df['gt_label'].value_counts().to_dict()}  ours {fr}")
    truth = np.concatenate([r[1]["gt_label"].to_numpy() for r in runs])
    present = [lab for lab in LABELS if (truth == lab).any()]
    result = {}
    for key in ("ours", "baseline"):
        pred = np.concatenate([r[2][key] for r in runs])
        table = scores(truth, pred).loc[present]
        macro = float(table["f1"].mean())
        dl = delays(runs, key)
        found = [x[3] for x in dl if x[3] is not None]
        within = sum(1 for x in dl if x[3] is not None and x[3] <= 300)
        print(f"\n== {key}: step-level scores over {len(truth)} rows of {len(runs)} runs ==")
        print(table.to_string(float_format=lambda v: f"{v:.3f}"))
        print(f"macro-F1 = {macro:.3f}")
        print(f"regime changes: {len(dl)}; detected within 300 steps: {within}; "
              f"median delay {np.median(found) if found else float('nan'):.0f} steps; "
              f"missed: {sum(1 for x in dl if x[3] is None)}")
        for x in dl:
            print(f"   {x[0]:>16s} step {x[1]:>5d} -> {x[2]:<13s} delay {x[3]}")
        result[key] = (macro, float(table['f1'].min()), within, len(dl), float(np.median(found)) if found else float("nan"))
    o, b = result["ours"], result["baseline"]
    print(f"macro_f1={o[0]:.3f} baseline_macro_f1={b[0]:.3f} min_label_f1={o[1]:.3f} "
          f"changes_within_300={o[2]}/{o[3]} median_delay_steps={o[4]:.0f} baseline_min_label_f1={b[1]:.3f}")


if __name__ == "__main__":
    main()
