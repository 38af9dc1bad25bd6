"""Make the committed sample runs in sample_runs/ with the reference trainer, and print the
independent evidence of each run's intended behaviour (ground truth from the generator's samples).

    .venv/bin/python scripts/make_sample_runs.py [--only NAME ...] [--out sample_runs]

Ground truth logged as extra columns every ``eval_every`` steps (via ``train(on_interval=...)``):
ring8 -> ``gt_modes_covered`` (modes with >= 1 of 1,000 samples within 3 std = 0.06 of the centre)
and ``gt_high_quality`` (share of samples within 3 std of some mode); MNIST -> ``gt_classes_covered``
(digit classes with >= 1 % of 1,000 samples, by the shipped classifier of ganalyze.diversity) and
``gt_top_class_share`` (share of the most frequent class). The script ends by printing one line per
run with its final numbers and whether the intended behaviour holds (exit 1 if one does not).
Runs single-threaded (torch.set_num_threads(1)): on the shared 2-core box that is ~10x faster.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import torch

from ganalyze.runlog import read_run
from ganalyze.train import TrainConfig, train
from ganalyze.train.data import ring8_modes_covered

COMMON = dict(progress=True, device="cpu", storage_dtype="float16", sample_every=500, signal_every=25)

RUNS = {
    # name: (config, expectation text)
    "mnist_mlp_healthy": TrainConfig(arch="mlp", loss="nsgan", steps=9000, checkpoint_every=3000, eval_every=250,
                                     seed=0, **{**COMMON, "sample_every": 1000}),
    "mnist_collapse": TrainConfig(arch="mlp", loss="nsgan", steps=1200, lr_g=1e-3, lr_d=2e-4, g_steps=3,
                                  checkpoint_every=300, eval_every=100, seed=0, **COMMON),
    "ring8_vanilla_collapse": TrainConfig(arch="mlp2d", dataset="ring8", loss="nsgan", steps=3000, batch_size=256,
                                          lr_d=1e-4, lr_g=1e-3, checkpoint_every=1000, eval_every=100, seed=0,
                                          **COMMON),
    "mnist_d_dominant": TrainConfig(arch="mlp", loss="minimax", steps=800, lr_d=2e-3, lr_g=5e-5, d_steps=3,
                                    checkpoint_every=0, eval_every=200, seed=0, **COMMON),
    "mnist_diverging": TrainConfig(arch="mlp", loss="wgan-gp", gp_weight=0.0, steps=800, lr_d=1e-3, lr_g=1e-3,
                                   checkpoint_every=0, eval_every=200, seed=0, **COMMON),
}


def ring8_truth(step, gen, _disc):
    with torch.no_grad():
        z = torch.randn(1000, gen[0].in_features, generator=torch.Generator().manual_seed(step))
        s = ring8_modes_covered(gen(z))
    return {"gt_modes_covered": float(s["modes_covered"]), "gt_high_quality": s["high_quality"]}


def mnist_truth(step, gen, _disc):
    from ganalyze.diversity import classify
    from ganalyze.diversity.metrics import class_histogram, modes_covered

    with torch.no_grad():
        x = gen(torch.randn(1000, 100, generator=torch.Generator().manual_seed(step)))
    labels = classify(x).labels
    hist = class_histogram(labels).float()
    return {"gt_classes_covered": float(modes_covered(labels)), "gt_top_class_share": float(hist.max() / hist.sum())}


# Intermediate checkpoints kept (the final gen.pth/disc.pth is always kept): a float16 MLP
# generator is 2.9 MB, and sample_runs/ must stay under 30 MB.
KEEP_CHECKPOINTS = {"mnist_mlp_healthy": (3000,), "mnist_collapse": (300, 600), "ring8_vanilla_collapse": (1000, 2000)}


def slim(run: Path, last_step: int) -> None:
    """Keep sample_runs/ under 30 MB: only the KEEP_CHECKPOINTS steps stay, with gen.pth only
    (diversity over steps needs generators; the loss surface uses the final gen.pth/disc.pth)."""
    keep = KEEP_CHECKPOINTS.get(run.name, ())
    for folder in sorted((run / "checkpoints").glob("step_*")):
        if folder.name == f"step_{last_step:06d}" or int(folder.name[5:]) not in keep:
            shutil.rmtree(folder)
        elif (folder / "disc.pth").exists():
            (folder / "disc.pth").unlink()


def check(name: str, df) -> tuple[bool, str]:
    """The intended behaviour of each run, in numbers from the logged ground truth and losses."""
    last = df.iloc[-1]
    if name == "ring8_vanilla_collapse":
        m = df["gt_modes_covered"].dropna()
        hq = df["gt_high_quality"].dropna()
        spread = df["div_pdist_ratio"].dropna().tail(20).mean()   # generated / real pairwise distance
        return m.iloc[-1] <= 2 and spread < 0.5, (f"modes_covered final={m.iloc[-1]:.0f}/8 max={m.max():.0f}/8 "
                                                  f"high_quality final={hq.iloc[-1]:.3f} "
                                                  f"div_pdist_ratio last-20-signal mean={spread:.2f}")
    c = df["gt_classes_covered"].dropna()
    top = df["gt_top_class_share"].dropna()
    if name == "mnist_mlp_healthy":
        return c.iloc[-1] >= 7 and top.iloc[-1] < 0.5, f"classes_covered final={c.iloc[-1]:.0f}/10 top_class_share={top.iloc[-1]:.2f}"
    if name == "mnist_collapse":
        spread = df["div_pdist_ratio"].dropna().tail(10).mean()
        return (c.iloc[-1] <= 3 and top.iloc[-1] >= 0.5,
                f"classes_covered final={c.iloc[-1]:.0f}/10 top_class_share={top.iloc[-1]:.2f} "
                f"div_pdist_ratio last-10-signal mean={spread:.3f}")
    tail = df.tail(max(1, len(df) // 5))
    if name == "mnist_d_dominant":
        dgz, dx = tail["d_g_z1"].mean(), tail["d_x"].mean()
        return dgz < 0.05 and dx > 0.9, f"last-20% mean d_x={dx:.3f} d_g_z1={dgz:.4f} g_loss={tail['g_loss'].mean():.4f} (saturated)"
    if name == "mnist_diverging":
        head = df.head(max(1, len(df) // 5))
        grow = tail["d_loss"].abs().mean() / max(head["d_loss"].abs().mean(), 1e-12)
        return grow > 10 or not torch.isfinite(torch.tensor(last["d_loss"])), \
            f"|d_loss| last 20% / first 20% = {grow:.1f}x, final d_loss={last['d_loss']:.4g} g_loss={last['g_loss']:.4g}"
    return False, "unknown run"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", default=None, choices=sorted(RUNS))
    ap.add_argument("--out", default="sample_runs")
    ap.add_argument("--check-only", action="store_true", help="do not train; check the existing runs")
    args = ap.parse_args()
    torch.set_num_threads(1)
    names = args.only or list(RUNS)
    ok_all = True
    lines = []
    for name in names:
        run = Path(args.out) / name
        if not args.check_only:
            if run.exists():
                shutil.rmtree(run)
            t = time.perf_counter()
            cfg = RUNS[name]
            truth = ring8_truth if cfg.dataset == "ring8" else mnist_truth
            result = train(cfg, run, on_interval=truth)
            slim(run, result.steps - 1)
            print(f"{name}: trained in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        ok, msg = check(name, read_run(run))
        ok_all &= bool(ok)
        lines.append(f"{name}: {'OK' if ok else 'NOT AS INTENDED'}: {msg}")
    print("\n".join(lines))
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
