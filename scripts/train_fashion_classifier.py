"""Train the Fashion-MNIST classifier that ships with ganalyze (ganalyze/diversity/fashion_cnn.pt).

It reads the class histogram of the sample grids that Fashion-MNIST notebooks show (``grid_digits``), as the MNIST
classifier does for digits: LABELS.md's class-histogram collapse. Same network as the MNIST one
(``classifier.MnistCNN``), trained on Fashion-MNIST's 60,000 training images and scored on its 10,000 test images
(the official split; none of them is trained on). Augmentation: horizontal flips (garments are mirror-symmetric as
classes) and a per-sample random affine (rotation +-8 deg, shift +-2 px, scale 0.9-1.1). Writes the weights with
the measured test accuracy and provenance inside, the same information as JSON beside them, and a small sample of
the test images (20 a class) the tests read (``tests/diversity/data/fashion_test_200.npz``).

The data: the four idx files of Fashion-MNIST (Debian's ``dataset-fashion-mnist`` puts them in
/usr/share/datasets/fashion-mnist; zalandoresearch's repository ships the same files).

    python scripts/train_fashion_classifier.py [--root /usr/share/datasets/fashion-mnist] [--epochs 14] [--seed 0]
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from ganalyze.diversity.classifier import FASHION_WEIGHTS_PATH, MnistCNN, save_classifier

sys.path.insert(0, str(Path(__file__).parent))
from train_classifier import accuracy, random_affine  # noqa: E402

TEST_SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "diversity" / "data" / "fashion_test_200.npz"


def read_idx(path: Path) -> np.ndarray:
    """An idx file (gzipped or not) as a uint8 array: images ``(n, 28, 28)`` or labels ``(n,)``."""
    try:
        raw = gzip.open(path).read() if path.suffix == ".gz" else path.read_bytes()
        if len(raw) < 4 or raw[:3] != b"\x00\x00\x08" or raw[3] not in (1, 3):
            raise ValueError("no idx header of unsigned bytes (00 00 08, 1 or 3 dimensions)")
        ndim = raw[3]
        shape = tuple(int.from_bytes(raw[4 + 4 * k:8 + 4 * k], "big") for k in range(ndim))
        return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)
    except (OSError, EOFError, ValueError) as err:
        raise SystemExit(f"--root: {path} is no Fashion-MNIST idx file ({err})") from None


def load_split(root: Path, part: str) -> tuple[torch.Tensor, torch.Tensor]:
    """``part`` ("train" or "t10k") as images ``(n, 1, 28, 28)`` in [-1, 1] and int64 labels."""
    def find(kind: str) -> Path:
        for name in (f"{part}-{kind}-idx{3 if kind == 'images' else 1}-ubyte.gz",
                     f"{part}-{kind}-idx{3 if kind == 'images' else 1}-ubyte"):
            if (root / name).is_file():
                return root / name
        raise SystemExit(f"--root: no {part} {kind} idx file in {root}")
    images = torch.from_numpy(read_idx(find("images")).astype(np.float32) / 127.5 - 1.0)[:, None]
    return images, torch.from_numpy(read_idx(find("labels")).astype(np.int64))


def gan_like(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """What a generator's garments look like beside the data's, applied to half the batch: speckle (Gaussian noise of
    std 0-0.35 on the [-1, 1] scale), a blur (a 3 x 3 mean, a third of them) and a changed contrast (gamma 0.6-1.6).
    Without it the first weights read a varied grid of speckled garments as 12 bags in 14 tiles (held-out batch 477/32)."""
    n = x.shape[0]
    pick = (torch.rand(n, generator=gen) < 0.5)[:, None, None, None]
    y = (x + 1) / 2
    gamma = torch.empty(n, 1, 1, 1).uniform_(0.6, 1.6, generator=gen)
    y = y.clamp_min(0) ** gamma
    blur = (torch.rand(n, generator=gen) < 0.33)[:, None, None, None]
    y = torch.where(blur, F.avg_pool2d(y, 3, 1, 1, count_include_pad=False), y)
    sigma = torch.rand(n, 1, 1, 1, generator=gen) * 0.35
    y = (y * 2 - 1 + sigma * torch.randn(x.shape, generator=gen)).clamp(-1, 1)
    return torch.where(pick, y, x)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default="/usr/share/datasets/fashion-mnist", help="folder of the four idx files")
    ap.add_argument("--epochs", type=int, default=14)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(FASHION_WEIGHTS_PATH))
    args = ap.parse_args(argv)

    root = Path(args.root)
    train_x, train_y = load_split(root, "train")
    test_x, test_y = load_split(root, "t10k")
    print(f"data: {root}: {len(train_y)} train, {len(test_y)} test", file=sys.stderr)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    model = MnistCNN()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    steps_per_epoch = math.ceil(len(train_y) / args.batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, epochs=args.epochs,
                                                steps_per_epoch=steps_per_epoch)
    t0 = time.perf_counter()
    for _ in tqdm(range(args.epochs), desc="epochs", file=sys.stderr):
        model.train()
        for idx in torch.randperm(len(train_y), generator=gen).split(args.batch_size):
            xb = train_x[idx]
            flip = torch.rand(len(idx), generator=gen) < 0.5
            xb = torch.where(flip[:, None, None, None], xb.flip(-1), xb)
            xb = random_affine(xb, gen, max_deg=8.0)
            xb = gan_like(xb, gen)
            loss = F.cross_entropy(model(xb), train_y[idx], label_smoothing=0.05)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
    train_s = time.perf_counter() - t0
    acc = accuracy(model, test_x, test_y)
    train_acc = accuracy(model, train_x, train_y)
    info = {
        "heldout_accuracy": round(acc, 4), "heldout_n": len(test_y),
        "train_accuracy": round(train_acc, 4), "train_n": len(train_y),
        "data_source": "Fashion-MNIST (Xiao et al. 2017; the idx files of Debian's dataset-fashion-mnist)",
        "split": "Fashion-MNIST train (60,000) / test (10,000)",
        "augmentation": "horizontal flip (p 0.5); per-sample random affine: rotation +-8 deg, shift +-2 px, "
                        "scale 0.9-1.1; on half the images, GAN-like speckle (noise std 0-0.35), a 3x3 blur (a third) "
                        "and gamma 0.6-1.6",
        "epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr,
        "optimizer": "AdamW(weight_decay=1e-4) + OneCycleLR, label_smoothing=0.05",
        "seed": args.seed, "train_seconds": round(train_s, 1),
        "input": "(N, 1, 28, 28) in [-1, 1], a light garment on a dark ground",
        "versions": {"torch": str(torch.__version__), "python": platform.python_version()},
        "script": "scripts/train_fashion_classifier.py",
    }
    save_classifier(model, args.out, info, dataset="fashion")
    Path(args.out).with_suffix(".json").write_text(json.dumps(info, indent=2) + "\n")
    if args.out == str(FASHION_WEIGHTS_PATH):
        # the tests' real garments: the first 20 test images of each class (uint8, as the idx file holds them)
        pick = np.concatenate([np.flatnonzero(test_y.numpy() == k)[:20] for k in range(10)])
        TEST_SAMPLE.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(TEST_SAMPLE, images=((test_x[pick, 0].numpy() + 1.0) * 127.5).round().astype(np.uint8),
                            labels=test_y[pick].numpy().astype(np.uint8))
    print(f"test accuracy {acc:.4f} on {len(test_y)} images (train {train_acc:.4f}), {train_s:.0f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
