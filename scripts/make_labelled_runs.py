"""Train ring8 runs that show each behaviour and label every logged step from INDEPENDENT ground truth.

Each run uses the trainer (``ganalyze.train.train``) with ``on_interval`` recording, every
``eval_every`` steps, what the networks actually do (never the logged losses):

  gt_modes_covered  modes of ring8 with >= 1 of 1000 fresh generated points within 3 std
  gt_high_quality   share of those points within 3 std of some mode
  gt_d_acc_real     D's accuracy on 512 fresh real points (sigmoid(logit) > 0.5)
  gt_d_acc_fake     D's accuracy on 512 fresh generated points (sigmoid(logit) < 0.5)
  gt_d_fake_prob    mean sigmoid(D(G(z))) on those fresh fakes
  gt_g_move         mean distance the fixed-noise outputs moved since the previous eval, per 100 steps
  gt_finite         1 if every fresh output of G and D is finite
  gt_modes_reached  modes that are the nearest centre of >= 5 % of the 1000 fresh points, however far
                    (where G's mass goes, not how sharp it is: a blurry G spread round the ring
                    reaches 8, a blob reaches 1-2)
  gt_fixed_cx/cy    centroid of G's outputs on 1000 fixed noise vectors (data units; ring radius 2)

Regime switches happen mid-run through the optimisers (captured when the trainer builds them):
at ``switch`` the D / G learning rates are multiplied as the run's spec says (e.g. D's lr x20).

Ground-truth label of each eval point (priority top-down), then held until the next eval point:
  divergence     gt_finite == 0 (and every later point)
  warmup         step < 200
  oscillation    centroid rule (see below): a blob swinging back and forth is oscillation first
  mode_collapse  modes_covered <= 3 after some earlier point had >= 5, and (runs with
                 gt_modes_reached) modes_reached <= 3: the mass sits on few modes, not merely off-centre
  d_dominant     gt_d_acc_fake > 0.98 and gt_d_fake_prob < 0.05 (D rejects every fresh fake)
  g_dominant     gt_d_fake_prob > 0.5 (D calls G's fresh fakes real)
  oscillation    the fixed-noise centroid swings back and forth: over the last 6 eval points (250
                 steps) its path length is > 2 (one ring radius) while its net displacement is < half
                 of the path, once G had settled (path < 1 over 6 evals at some earlier point); or over the last 4 eval points gt_d_fake_prob
                 spans > 0.35, or modes_covered swings (>= 2 reversals among changes of >= 2 modes)
  stagnation     gt_g_move < 0.005 per 100 steps at this and the previous eval point (G does not move)
  healthy        otherwise

Usage: python scripts/make_labelled_runs.py [--only NAME ...] [--steps N]
Writes data/labelled_runs/NAME.parquet (the trainer's run.parquet + gt_label per row, stored as the
index into ganalyze.diagnose.LABELS; no checkpoints).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import torch

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "data" / "labelled_runs"

# name: (TrainConfig overrides, switch step or None, lr multipliers at the switch {d, g}, special)
RUNS = {
    "healthy": (dict(lr_d=1e-3, lr_g=1e-3), None, {}, None),
    "d_lr_x20": (dict(lr_d=1e-3, lr_g=1e-3), 1200, {"d": 20.0}, None),
    "g_frozen": (dict(lr_d=1e-3, lr_g=1e-3), 1200, {"g": 1e-4}, None),
    "d_frozen": (dict(lr_d=1e-3, lr_g=1e-3), 1200, {"d": 1e-4, "g": 3.0}, None),
    "both_frozen": (dict(lr_d=1e-3, lr_g=1e-3), 1200, {"d": 1e-4, "g": 1e-4}, None),
    "lr_x10": (dict(lr_d=1e-3, lr_g=1e-3), 1200, {"d": 10.0, "g": 10.0}, None),
    "g_lr_x10": (dict(lr_d=1e-3, lr_g=1e-3), 1200, {"g": 10.0}, None),
    "g_lr_x30_d_x01": (dict(lr_d=1e-3, lr_g=1e-3), 1200, {"g": 30.0, "d": 0.1}, None),
    "g_frozen_d_x10": (dict(lr_d=1e-3, lr_g=1e-3), 1200, {"d": 10.0, "g": 1e-4}, None),
    "lr_x50": (dict(lr_d=1e-3, lr_g=1e-3), 1200, {"d": 50.0, "g": 50.0}, None),
    "g_frozen_d_x3_long": (dict(lr_d=1e-3, lr_g=1e-3, steps=4500), 800, {"d": 3.0, "g": 1e-4}, None),
    "g_frozen_early_d_x3": (dict(lr_d=1e-3, lr_g=1e-3), 250, {"d": 3.0, "g": 1e-4}, None),
    "nan_at_1800": (dict(lr_d=1e-3, lr_g=1e-3), 1800, {}, "nan"),
    "lr_x20": (dict(lr_d=1e-3, lr_g=1e-3), 1200, {"d": 20.0, "g": 20.0}, None),
    "lr_x20_beta09": (dict(lr_d=1e-3, lr_g=1e-3), 1200, {"d": 20.0, "g": 20.0}, "beta09"),
    "lr_x10_beta09": (dict(lr_d=1e-3, lr_g=1e-3), 1200, {"d": 10.0, "g": 10.0}, "beta09"),
}


class OptimiserSpy:
    """Record the Adam optimisers the trainer builds (D's first, then G's)."""

    def __init__(self):
        self.made = []
        self._orig = torch.optim.Adam

    def __enter__(self):
        spy = self

        class Adam(self._orig):
            def __init__(self, *a, **k):
                super().__init__(*a, **k)
                spy.made.append(self)

        torch.optim.Adam = Adam
        return self

    def __exit__(self, *exc):
        torch.optim.Adam = self._orig


def ground_truth_probe(spy, switch, mult, special, seed=0):
    from ganalyze.train.data import ring8_centres, ring8_modes_covered, ring8_sample

    g = torch.Generator().manual_seed(seed + 123)
    fixed = torch.randn(1000, 16, generator=torch.Generator().manual_seed(seed + 7))
    state = {"prev": None, "prev_step": None, "switched": False}

    def on_interval(step, gen, disc):
        if switch is not None and step >= switch and not state["switched"]:
            state["switched"] = True
            opt_d, opt_g = spy.made[-2], spy.made[-1]
            for opt, key in ((opt_d, "d"), (opt_g, "g")):
                for pg in opt.param_groups:
                    pg["lr"] *= mult.get(key, 1.0)
                    if special == "beta09":     # momentum 0.9 ([dcgan-paper] uses 0.5): overshooting players
                        pg["betas"] = (0.9, pg["betas"][1])
            if special == "nan":
                with torch.no_grad():
                    list(gen.parameters())[-1].fill_(float("nan"))
        with torch.no_grad():
            z = torch.randn(1000, 16, generator=g)
            fake = gen(z)
            real = ring8_sample(512, g)
            p_real = torch.sigmoid(disc(real))
            p_fake = torch.sigmoid(disc(fake[:512]))
            out_fixed = gen(fixed)
            centre = out_fixed.mean(0) if torch.isfinite(out_fixed).all() else torch.full((2,), float("nan"))
        finite = bool(torch.isfinite(fake).all() and torch.isfinite(p_fake).all())
        near = torch.cdist(torch.nan_to_num(fake, nan=1e6), ring8_centres()).argmin(1) if finite else None
        reached = float((torch.bincount(near, minlength=8) >= 50).sum()) if finite else 0.0
        cov = ring8_modes_covered(torch.nan_to_num(fake, nan=1e6)) if finite else {"modes_covered": 0, "high_quality": 0.0}
        move = float("nan")
        if state["prev"] is not None and finite:
            move = float((out_fixed - state["prev"]).norm(dim=1).mean()) * 100.0 / max(step - state["prev_step"], 1)
        state["prev"], state["prev_step"] = out_fixed.clone(), step
        return {"gt_modes_covered": float(cov["modes_covered"]), "gt_high_quality": float(cov["high_quality"]),
                "gt_d_acc_real": float((p_real > 0.5).float().mean()), "gt_d_acc_fake": float((p_fake < 0.5).float().mean()),
                "gt_d_fake_prob": float(p_fake.mean()), "gt_g_move": move, "gt_finite": float(finite),
                "gt_modes_reached": reached, "gt_fixed_cx": float(centre[0]), "gt_fixed_cy": float(centre[1])}

    return on_interval


def _reversals(modes: pd.Series) -> int:
    """Direction reversals of modes_covered among changes of >= 2 modes (swings, not progress)."""
    ch = np.diff(modes.to_numpy())
    ch = ch[np.abs(ch) >= 2]
    return int((np.sign(ch[1:]) != np.sign(ch[:-1])).sum()) if len(ch) > 1 else 0


def _centroid_path(ev: pd.DataFrame, i: int, n: int = 6):
    """(path length, net displacement) of the fixed-noise centroid over the last n eval points, or None."""
    if "gt_fixed_cx" not in ev.columns or i < n - 1:
        return None
    c = ev[["gt_fixed_cx", "gt_fixed_cy"]].iloc[i - n + 1:i + 1].to_numpy()
    if not np.isfinite(c).all():
        return None
    return float(np.linalg.norm(np.diff(c, axis=0), axis=1).sum()), float(np.linalg.norm(c[-1] - c[0]))


def _centroid_swings(ev: pd.DataFrame, i: int, settled: bool) -> bool:
    """After G first settled, its fixed-noise centroid travelled > 2 (a ring radius) over the last 6
    eval points but ended less than half that path from where it started: G's mass moves back and
    forth. (Before it first settles, i.e. while it is still learning where the data is, the blob
    hopping round the ring is the learning phase, not the pathology of the early-stop rule of [practitioner-loss-curves].)"""
    pn = _centroid_path(ev, i)
    return settled and pn is not None and pn[0] > 2.0 and pn[1] < 0.5 * pn[0]


def label_ground_truth(df: pd.DataFrame) -> pd.Series:
    """gt_label per row from the gt_* columns (rules in the module docstring)."""
    ev = df[df["gt_finite"].notna()].reset_index(drop=True)
    labels = []
    seen_high = False
    diverged = False
    settled = False                     # G's centroid has once been calm (path < 1 over 6 evals)
    for i, r in ev.iterrows():          # one row per eval point (tens), not per logged step
        seen_high = seen_high or r.gt_modes_covered >= 5
        pn = _centroid_path(ev, i)
        settled = settled or (pn is not None and pn[0] < 1.0)
        lo = max(0, i - 3)
        win = ev.iloc[lo:i + 1]
        prev_move = ev.gt_g_move.iloc[i - 1] if i > 0 else np.nan
        diverged = diverged or r.gt_finite == 0
        if diverged:
            lab = "divergence"
        elif r.step < 200:
            lab = "warmup"
        elif _centroid_swings(ev, i, settled):
            lab = "oscillation"
        elif seen_high and r.gt_modes_covered <= 3 and not (r.get("gt_modes_reached", 0) > 3):
            lab = "mode_collapse"
        elif r.gt_d_acc_fake > 0.98 and r.gt_d_fake_prob < 0.05:
            lab = "d_dominant"
        elif r.gt_d_fake_prob > 0.5:
            lab = "g_dominant"
        elif len(win) >= 4 and (np.ptp(win.gt_d_fake_prob) > 0.35 or _reversals(win.gt_modes_covered) >= 2):
            lab = "oscillation"
        elif r.gt_g_move < 0.005 and prev_move < 0.005:
            lab = "stagnation"
        else:
            lab = "healthy"
        labels.append(lab)
    at = pd.Series(labels, index=ev["step"].to_numpy())
    # each logged row takes the label of the latest eval point at or before it (first point before it)
    pos = np.clip(np.searchsorted(at.index.to_numpy(), df["step"].to_numpy(), side="right") - 1, 0, len(at) - 1)
    return pd.Series(at.to_numpy()[pos], index=df.index, name="gt_label")


def make(name, steps, seed=0):
    from ganalyze.runlog import read_run
    from ganalyze.train import TrainConfig, train

    over, switch, mult, special = RUNS[name]
    over = dict(over)
    steps = over.pop("steps", steps)
    cfg = TrainConfig(arch="mlp2d", dataset="ring8", loss="nsgan", steps=steps, batch_size=128, seed=seed,
                      device="cpu", eval_every=50, signal_every=25, checkpoint_every=0, sample_every=0,
                      progress=False, **over)
    tmp = Path(tempfile.mkdtemp(prefix=f"lab_{name}_"))
    try:
        with OptimiserSpy() as spy:
            train(cfg, tmp / "run", on_interval=ground_truth_probe(spy, switch, mult, special, seed))
        df = read_run(tmp / "run")
    finally:
        pass
    from ganalyze.diagnose import LABELS

    # stored as the index into ganalyze.diagnose.LABELS (run columns must be numeric)
    df["gt_label"] = label_ground_truth(df).map({lab: i for i, lab in enumerate(LABELS)}).astype("int8")
    meta = dict(df.attrs)
    meta["labelled_run"] = {"name": name, "switch_step": switch, "lr_multipliers": mult, "special": special}
    OUT.mkdir(parents=True, exist_ok=True)
    keep = df.drop(columns=[c for c in ("time_s", "epoch") if c in df.columns])
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(keep, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"ganalyze": json.dumps(meta, default=str).encode()})
    pq.write_table(table, OUT / f"{name}.parquet", compression="zstd")
    shutil.rmtree(tmp, ignore_errors=True)
    print(name, label_ground_truth(df).value_counts().to_dict(), file=sys.stderr)


def relabel():
    """Recompute gt_label of the stored runs from their gt_* columns (after editing the rules)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ganalyze.diagnose import LABELS

    for f in sorted(OUT.glob("*.parquet")):
        t = pq.read_table(f)
        df = t.to_pandas()
        df["gt_label"] = label_ground_truth(df).map({lab: i for i, lab in enumerate(LABELS)}).astype("int8")
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False).replace_schema_metadata(t.schema.metadata),
                       f, compression="zstd")
        print(f.stem, df["gt_label"].map(dict(enumerate(LABELS))).value_counts().to_dict(), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--relabel", action="store_true", help="only recompute gt_label of the stored runs")
    ap.add_argument("--only", nargs="*", default=None, choices=list(RUNS))
    ap.add_argument("--steps", type=int, default=2500)
    args = ap.parse_args()
    if args.relabel:
        return relabel()
    torch.set_num_threads(1)
    for name in args.only or list(RUNS):
        make(name, args.steps)


if __name__ == "__main__":
    main()
