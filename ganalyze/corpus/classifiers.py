"""Classifiers that turn generated images into ground truth (classes, confidence, features).

``mnist``   the shipped :class:`ganalyze.diversity.classifier.MnistCNN` (128-d penultimate features).
``digits8`` :class:`Digits8MLP`, 64 -> 128 -> 64 (penultimate features) -> 10, trained on 1,437 of
            scikit-learn's 1,797 8x8 digits by ``scripts/train_digits8_classifier.py``; the other 360
            are held out (accuracy stored with the weights). Weights ship as ``digits8_mlp.pt``, a
            dict of plain tensors (loads with ``weights_only=True``).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import torch
from torch import nn

from ganalyze.errors import GanalyzeError

DIGITS8_WEIGHTS = Path(__file__).with_name("digits8_mlp.pt")
DIGITS8_FORMAT = "ganalyze-digits8-classifier"
DIGITS8_SPLIT_SEED = 0
DIGITS8_HELDOUT = 360


class Digits8MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Flatten(), nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())
        self.head = nn.Linear(64, 10)

    def forward_features(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        f = self.body(x)
        return self.head(f), f

    def forward(self, x):
        return self.forward_features(x)[0]


def digits8_split() -> tuple[torch.Tensor, torch.Tensor]:
    """Boolean masks (train, held-out) over scikit-learn's digits, fixed by DIGITS8_SPLIT_SEED."""
    from ganalyze.corpus.datasets import digits8_images_and_labels

    n = len(digits8_images_and_labels()[1])
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(DIGITS8_SPLIT_SEED))
    held = torch.zeros(n, dtype=torch.bool)
    held[perm[:DIGITS8_HELDOUT]] = True
    return ~held, held


def train_digits8(epochs: int = 60, seed: int = 0) -> tuple[Digits8MLP, dict]:
    """Train :class:`Digits8MLP` (Adam 1e-3, weight decay 1e-4, batch 64, pixel noise of std 0.1)."""
    from ganalyze.corpus.datasets import digits8_images_and_labels

    torch.manual_seed(seed)
    x, y = digits8_images_and_labels()
    tr, held = digits8_split()
    model = Digits8MLP()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    g = torch.Generator().manual_seed(seed)
    xt, yt = x[tr], y[tr]
    for _ in range(epochs):
        for idx in torch.randperm(len(xt), generator=g).split(64):
            xb = xt[idx] + 0.1 * torch.randn(xt[idx].shape, generator=g)
            loss = nn.functional.cross_entropy(model(xb), yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        acc = float((model(x[held]).argmax(1) == y[held]).float().mean())
    return model, {"heldout_accuracy": acc, "heldout": int(held.sum()), "train": int(tr.sum()),
                   "epochs": epochs, "seed": seed, "data": "sklearn.datasets.load_digits (1,797 8x8 digits)"}


def save_digits8(model: Digits8MLP, info: dict, path: Path = DIGITS8_WEIGHTS) -> None:
    state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
    torch.save({"format": DIGITS8_FORMAT, "format_version": 1, "info": info, "state_dict": state}, str(path))


@lru_cache(maxsize=1)
def load_digits8(path: str = str(DIGITS8_WEIGHTS)) -> Digits8MLP:
    try:
        blob = torch.load(path, map_location="cpu", weights_only=True)
        model = Digits8MLP()
        if not isinstance(blob, dict) or blob.get("format") != DIGITS8_FORMAT:
            raise ValueError("not a digits8 classifier file")
        model.load_state_dict(blob["state_dict"])
    except Exception as err:
        raise GanalyzeError(f"digits8 classifier: {path!r} could not be loaded ({type(err).__name__}: "
                            f"{str(err).splitlines()[0] if str(err) else ''}); run scripts/train_digits8_classifier.py") from None
    return model.eval().requires_grad_(False)


@torch.inference_mode()
def image_features(dataset: str, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(softmax probabilities (N, 10), penultimate features (N, F)) for generated or real images.
    Non-finite inputs must be filtered by the caller; values are clamped to [-1, 1]."""
    if dataset == "mnist":
        from ganalyze.diversity.classifier import classify

        out = classify(images.reshape(-1, 1, 28, 28).clamp(-1, 1))
        return out.probs, out.features
    if dataset == "digits8":
        logits, feats = load_digits8().forward_features(images.reshape(-1, 1, 8, 8).clamp(-1, 1))
        return logits.softmax(1), feats
    raise ValueError(f"dataset: got {dataset!r}; allowed: mnist | digits8")
