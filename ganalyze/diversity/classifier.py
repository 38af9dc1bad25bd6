"""The MNIST classifier shipped with ganalyze, and how to run it on generated digits.

``MnistCNN``: conv(1->16, 5x5, stride 2) ReLU -> conv(16->32, 3x3, stride 2) ReLU ->
linear(32*7*7=1568->128) ReLU (the 128-d *penultimate features* used by the Fréchet distance,
precision/recall, density/coverage) -> linear(128->10) logits.
Inputs: (N, 1, 28, 28) in [-1, 1], as MNIST generators output. 64x64 generator
output (dcgan64) is resized to 28x28 with ``F.interpolate(..., mode="bilinear",
antialias=True)`` before classification.

The weights ship as ``mnist_cnn.pt`` (a dict of plain types, loaded with
``weights_only=True``) with ``mnist_cnn.json`` beside it: held-out accuracy,
data source, split and training settings (written by ``scripts/train_classifier.py``).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from ganalyze.errors import GanalyzeError

WEIGHTS_PATH = Path(__file__).with_name("mnist_cnn.pt")
FORMAT = "ganalyze-mnist-classifier"
#: the same network trained on Fashion-MNIST's ten garments (``scripts/train_fashion_classifier.py``): it reads the
#: class histogram of a Fashion-MNIST notebook's sample grid (``grid_digits``); not used by the diversity metrics
FASHION_WEIGHTS_PATH = Path(__file__).with_name("fashion_cnn.pt")
FASHION_FORMAT = "ganalyze-fashion-mnist-classifier"
#: each dataset's weights and their file's format tag
CLASSIFIERS = {"mnist": (WEIGHTS_PATH, FORMAT), "fashion": (FASHION_WEIGHTS_PATH, FASHION_FORMAT)}
#: the script that writes each format's weights (named in a load's errors)
_SCRIPTS = {FORMAT: "scripts/train_classifier.py", FASHION_FORMAT: "scripts/train_fashion_classifier.py"}
#: Fashion-MNIST's class names, by label (Xiao et al. 2017)
FASHION_CLASSES = ("T-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
                   "ankle boot")
FEATURE_DIM = 128


class MnistCNN(nn.Module):
    """Small CNN (about 0.2 M parameters). ``forward`` returns logits (N, 10)."""

    def __init__(self, feature_dim: int = FEATURE_DIM):
        super().__init__()
        self.conv = nn.Sequential(
            # strided convolutions instead of conv + max-pool: about 0.5 M multiply-adds per
            # digit, so 10,000 digits classify in ~0.2 s on two CPU cores
            nn.Conv2d(1, 16, 5, stride=2, padding=2), nn.ReLU(),
            nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
            nn.Flatten(),
        )
        self.features = nn.Sequential(nn.Linear(32 * 7 * 7, feature_dim), nn.ReLU())
        self.head = nn.Linear(feature_dim, 10)
        self.dropout = nn.Dropout(0.3)

    def forward_features(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Return (logits (N, 10), penultimate features (N, 128))."""
        feats = self.features(self.conv(x))
        return self.head(self.dropout(feats)), feats

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_features(x)[0]


def save_classifier(model: MnistCNN, path: str | Path, info: dict, dataset: str = "mnist") -> None:
    """Write the weights as a plain dict (loads with weights_only=True); ``info`` holds
    the held-out accuracy and training provenance and is also stored inside the file. ``dataset``
    (a key of :data:`CLASSIFIERS`) sets the file's format tag."""
    state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
    torch.save({"format": CLASSIFIERS[dataset][1], "format_version": 1, "feature_dim": model.head.in_features,
                "info": info, "state_dict": state}, str(path))


def load_classifier(path: str | Path | None = None, device: str | torch.device = "cpu",
                    dataset: str = "mnist") -> MnistCNN:
    """Load the shipped classifier of ``dataset`` (``"mnist"`` or ``"fashion"``; or the file at ``path``, of that
    dataset's format) in eval mode on ``device``."""
    if dataset not in CLASSIFIERS:
        raise GanalyzeError(f"dataset: got {dataset!r}; allowed: {', '.join(map(repr, CLASSIFIERS))}")
    weights, fmt = CLASSIFIERS[dataset]
    return _load_cached(str(path or weights), str(device), fmt)


@lru_cache(maxsize=4)
def _load_cached(path: str, device: str, fmt: str = FORMAT) -> MnistCNN:
    try:
        blob = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise GanalyzeError(f"classifier weights: {path!r} does not exist; run "
                            f"{_SCRIPTS[fmt]} to create them") from None
    except Exception as err:  # corrupt or unsafe pickle
        raise GanalyzeError(f"classifier weights: {path!r} could not be loaded "
                            f"({type(err).__name__}); expected a file written by "
                            f"{_SCRIPTS[fmt]}") from None
    if not isinstance(blob, dict) or blob.get("format") != fmt:
        raise GanalyzeError(f"classifier weights: {path!r} is not a {fmt} file")
    model = MnistCNN(int(blob.get("feature_dim", FEATURE_DIM)))
    try:
        model.load_state_dict(blob["state_dict"])
    except (RuntimeError, KeyError) as err:
        raise GanalyzeError(f"classifier weights: {path!r} do not match MnistCNN "
                            f"({str(err).splitlines()[0]})") from None
    return model.to(device).eval().requires_grad_(False)


def classifier_info(path: str | Path | None = None) -> dict:
    """Held-out accuracy and provenance recorded with the weights."""
    blob = torch.load(str(path or WEIGHTS_PATH), map_location="cpu", weights_only=True)
    return dict(blob["info"])


def to_classifier_input(images: torch.Tensor) -> torch.Tensor:
    """Check and shape generator output for the classifier: (N, 1, 28, 28) in [-1, 1].

    Accepts (N, 784), (N, 28, 28), (N, 1, 28, 28) or (N, 1, 64, 64) (resized to 28x28
    with antialiased bilinear interpolation; the classifier was trained at 28x28).
    Values are clamped to [-1, 1].
    """
    if not torch.is_tensor(images) or images.ndim < 2 or images.shape[0] == 0:
        raise GanalyzeError(f"images: got {_shape(images)}; expected a non-empty tensor "
                            "(N, 1, 28, 28), (N, 784) or (N, 1, 64, 64)")
    x = images.detach().to(torch.float32)
    if x.ndim == 2 and x.shape[1] == 784:
        x = x.reshape(-1, 1, 28, 28)
    elif x.ndim == 3 and tuple(x.shape[1:]) == (28, 28):
        x = x.unsqueeze(1)
    if x.ndim != 4 or x.shape[1] != 1 or x.shape[2] != x.shape[3] or x.shape[2] not in (28, 64):
        raise GanalyzeError(f"images: got shape {tuple(images.shape)}; expected (N, 1, 28, 28), "
                            "(N, 784) or (N, 1, 64, 64) grey digits")
    if not torch.isfinite(x).all():
        raise GanalyzeError("images: contain NaN or inf; the generator output is not finite")
    if x.shape[2] == 64:
        x = F.interpolate(x, size=(28, 28), mode="bilinear", antialias=True, align_corners=False)
    return x.clamp_(-1.0, 1.0)


def _shape(obj) -> str:
    return f"shape {tuple(obj.shape)}" if torch.is_tensor(obj) else type(obj).__name__


@dataclass(frozen=True)
class Classified:
    """Classifier output on a set of images: ``probs`` (N, 10) softmax probabilities,
    ``labels`` (N,) argmax class, ``features`` (N, 128) penultimate activations."""

    probs: torch.Tensor
    labels: torch.Tensor
    features: torch.Tensor


@torch.inference_mode()
def classify(images: torch.Tensor, model: MnistCNN | None = None, batch_size: int = 500,
             device: str | torch.device = "cpu") -> Classified:
    """Run the classifier in batches; returns CPU tensors (see :class:`Classified`)."""
    model = model if model is not None else load_classifier(device=device)
    x = to_classifier_input(images)
    dev = next(model.parameters()).device
    probs, feats = [], []
    for chunk in x.split(batch_size):
        logits, f = model.forward_features(chunk.to(dev))
        probs.append(logits.softmax(1).cpu())
        feats.append(f.cpu())
    p = torch.cat(probs)
    return Classified(p, p.argmax(1), torch.cat(feats))
