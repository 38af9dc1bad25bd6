"""Benchmark: 10,000 MNIST samples generated, classified and scored (ganalyze diversity).

Ours: generator and classifier in large batches, metrics in torch on 500-sample chunks
(ganalyze.diversity.mnist.score_digits). Baseline, same work in the same process: the
straightforward way - generator and classifier in batches of 100 as in [mnist-gan-blog]'s
diversity test, metrics with scipy (cdist, linalg.sqrtm) per chunk.
Both produce the same numbers (checked below). The generator is the seed-000-sized MLP
(100-256-512-1024-784) from --gen GEN.pth if given (e.g. a sample run), else freshly
initialised (its outputs are noise-like, the work is the same).

    python scripts/bench_diversity.py [--gen sample_runs/.../gen.pth] [--n 10000]
"""
from __future__ import annotations

import argparse
import math
import time

import numpy as np
import scipy.linalg
import scipy.spatial.distance
import torch
from torch import nn

from ganalyze.diversity.classifier import classify, load_classifier, to_classifier_input
from ganalyze.diversity.mnist import DiversityConfig, _per_sample_metrics, real_reference, score_classified


def seed000_mlp() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(100, 256), nn.LeakyReLU(0.2), nn.Linear(256, 512),
                         nn.LeakyReLU(0.2), nn.Linear(512, 1024), nn.LeakyReLU(0.2),
                         nn.Linear(1024, 784), nn.Tanh(), nn.Unflatten(1, (1, 28, 28))).eval()


def load_gen(path):
    if not path:
        return seed000_mlp(), "freshly initialised seed-000 MLP"
    from ganalyze.diversity.generators import load_generator
    net, _ = load_generator(path)
    return net, path


def baseline(gen, noise, model, ref, config):
    """Seed-001 style: batches of 100 for generator and classifier, scipy metrics."""
    t = {}
    t0 = time.perf_counter()
    with torch.inference_mode():
        imgs = torch.cat([gen(z) for z in noise.split(100)])
    t["generate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    x = to_classifier_input(imgs)
    probs, feats = [], []
    with torch.inference_mode():
        for xb in x.split(100):
            logits, f = model.forward_features(xb)
            probs.append(logits.softmax(1))
            feats.append(f)
    probs, feats = torch.cat(probs), torch.cat(feats)
    t["classify"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    from ganalyze.diversity.classifier import Classified
    values = _per_sample_metrics(Classified(probs, probs.argmax(1), feats), config)
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(config.seed))
    f_all, x_all = feats[order].double().numpy(), x[order].flatten(1).double().numpy()
    real = ref.features_a.double().numpy()
    mu_r, cov_r = real.mean(0), np.cov(real, rowvar=False)
    d_rr = scipy.spatial.distance.cdist(real, real)
    r3 = np.sort(d_rr, 1)[:, 3]
    r5 = np.sort(d_rr, 1)[:, 5]
    acc = {k: 0.0 for k in ("frechet_distance", "precision", "recall", "density", "coverage",
                            "near_duplicate_rate")}
    n_chunks = len(x) // config.set_size
    for i in range(n_chunks):
        f = f_all[i * config.set_size:(i + 1) * config.set_size]
        xi = x_all[i * config.set_size:(i + 1) * config.set_size]
        mu, cov = f.mean(0), np.cov(f, rowvar=False)
        covmean = scipy.linalg.sqrtm(cov @ cov_r).real
        fd = ((mu - mu_r) ** 2).sum() + np.trace(cov + cov_r - 2 * covmean)
        d_rf = scipy.spatial.distance.cdist(real, f)
        rf3 = np.sort(scipy.spatial.distance.cdist(f, f), 1)[:, 3]
        dx = scipy.spatial.distance.cdist(xi, xi)
        np.fill_diagonal(dx, np.inf)
        one = {"frechet_distance": fd, "precision": (d_rf <= r3[:, None]).any(0).mean(),
               "recall": (d_rf <= rf3[None, :]).any(1).mean(),
               "density": (d_rf <= r5[:, None]).sum() / (5 * len(f)),
               "coverage": (d_rf <= r5[:, None]).any(1).mean(),
               "near_duplicate_rate": (dx.min(1) < ref.dup_threshold).mean()}
        for k, v in one.items():
            acc[k] += float(v) / n_chunks
    values.update(acc)
    t["score"] = time.perf_counter() - t0
    return values, t


def ours(gen, noise, config):
    t = {}
    t0 = time.perf_counter()
    with torch.inference_mode():
        imgs = torch.cat([gen(z) for z in noise.split(5000)])
    t["generate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    x = to_classifier_input(imgs)
    c = classify(x, batch_size=config.batch_size)
    t["classify"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    scores = score_classified(x, c, config)
    t["score"] = time.perf_counter() - t0
    return scores.values, t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gen", default=None)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    config = DiversityConfig(n=args.n)
    gen, what = load_gen(args.gen)
    noise = torch.randn(args.n, 100, generator=torch.Generator().manual_seed(0))
    model = load_classifier()
    t0 = time.perf_counter()
    ref = real_reference(config)  # once per process: classify the 1,000 held-out digits
    t_ref = time.perf_counter() - t0
    print(f"generator: {what}; n={args.n}; torch threads={torch.get_num_threads()}")
    print(f"real reference (once per process, loads the shipped held-out digits): {t_ref:.3f} s")
    ours(gen, noise[:1000], config)  # warm-up
    runs_ours, runs_base = [], []
    for _ in range(args.repeat):  # alternate, keep each side's fastest total (shared CPU)
        runs_ours.append(ours(gen, noise, config))
        runs_base.append(baseline(gen, noise, model, ref, config))
    v_ours, t_ours = min(runs_ours, key=lambda r: sum(r[1].values()))
    v_base, t_base = min(runs_base, key=lambda r: sum(r[1].values()))
    print(f"best of {args.repeat} alternating repeats per side")
    for k in v_ours:
        ok = math.isclose(v_ours[k], v_base[k], rel_tol=1e-3, abs_tol=1e-3)
        assert ok, f"baseline and ours disagree on {k}: {v_base[k]} vs {v_ours[k]}"
    print("stage times, ours:     " + "  ".join(f"{k}={v:.3f}s" for k, v in t_ours.items()))
    print("stage times, baseline: " + "  ".join(f"{k}={v:.3f}s" for k, v in t_base.items()))
    total_ours, total_base = sum(t_ours.values()), sum(t_base.values())
    print(f"total: ours {total_ours:.3f} s, baseline {total_base:.3f} s, "
          f"ratio {total_base / total_ours:.1f}x; all {len(v_ours)} metrics agree")
    print(f"speedup_vs_baseline={total_base / total_ours:.2f} ours_s={total_ours:.3f} "
          f"baseline_s={total_base:.3f} ours_with_reference_s={total_ours + t_ref:.3f} n={args.n}")


if __name__ == "__main__":
    main()
