"""Score a set of generated digits against held-out real digits.

Per-sample metrics (modes covered, P(100 samples cover all ten), KL from uniform,
mean confidence, inception score) use all N generated samples; their real reference uses
the 1,000 held-out digits. Set-to-set metrics (Fréchet distance, precision / recall,
density / coverage, near-duplicate rate) depend on the set sizes, so they are computed
the same way for both sides: the held-out digits are split in two halves of 500 (50 per
class) - half A is the real reference set, half B plays "generated" for the real
reference value - and the N generated samples are cut into chunks of 500 whose scores
against half A are averaged.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache

import pandas as pd
import torch

from ganalyze.diversity import metrics as M
from ganalyze.diversity.classifier import Classified, classify, load_classifier, to_classifier_input
from ganalyze.diversity.config import DiversityConfig
from ganalyze.diversity.realdata import heldout_digits
from ganalyze.errors import GanalyzeError

METRICS = {  # name -> (what it means, direction of "more diverse / better")
    "modes_covered": ("classes with >= 1 % of samples (of 10)", "higher"),
    "p_all_ten_in_100": ("P(100 samples show all ten digits), resampled", "higher"),
    "kl_uniform": ("KL(class histogram || uniform) = ln10 - H, nats", "lower"),
    "mean_confidence": ("mean top-class probability", "higher"),
    "inception_score": ("exp E KL(p(y|x) || p(y)), 1..10", "higher"),
    "frechet_distance": ("Fréchet distance, classifier features, 500 vs 500", "lower"),
    "precision": ("Kynkäänniemi precision, k=3 (fidelity)", "higher"),
    "recall": ("Kynkäänniemi recall, k=3 (diversity)", "higher"),
    "density": ("Naeem density, k=5 (~1 for real)", "~1"),
    "coverage": ("Naeem coverage, k=5 (diversity)", "higher"),
    "near_duplicate_rate": ("share with a near-identical other sample (pixels)", "lower"),
}


@dataclass(frozen=True)
class RealReference:
    """Held-out real digits classified, split into the reference half A and half B."""

    images_a: torch.Tensor
    features_a: torch.Tensor
    dup_threshold: float
    values: dict
    histogram: list


@dataclass
class DigitScores:
    """Metrics of one set of generated digits beside their held-out real values."""

    values: dict
    reference: dict
    histogram: list                 # predicted-class counts of the generated samples
    reference_histogram: list       # same for the 1,000 held-out digits
    n: int
    classified: Classified | None = field(default=None, repr=False)

    def table(self) -> pd.DataFrame:
        """One row per metric: generated, real_heldout, meaning, better."""
        rows = [{"metric": k, "generated": self.values[k], "real_heldout": self.reference[k],
                 "meaning": METRICS[k][0], "better": METRICS[k][1]} for k in METRICS]
        return pd.DataFrame(rows)

    def to_dict(self) -> dict:
        return {"n": self.n, "generated": self.values, "real_heldout": self.reference,
                "class_histogram": self.histogram,
                "real_class_histogram": self.reference_histogram}


def _per_sample_metrics(c: Classified, config: DiversityConfig) -> dict:
    gen = torch.Generator().manual_seed(config.seed)
    return {
        "modes_covered": M.modes_covered(c.labels, 10, config.min_share),
        "p_all_ten_in_100": M.p_all_classes_in_k(c.labels, config.k_cover, 10,
                                                 config.n_resamples, gen),
        "kl_uniform": M.kl_from_uniform(c.labels),
        "mean_confidence": M.mean_confidence(c.probs),
        "inception_score": M.inception_score(c.probs),
    }


def _set_metrics(features: torch.Tensor, images: torch.Tensor,
                 features_a: torch.Tensor, dup_threshold: float, config: DiversityConfig) -> dict:
    """Average over chunks of ``config.set_size`` of the set-to-set metrics against half A."""
    size = min(config.set_size, len(features))
    n_chunks = max(1, len(features) // size)
    stats_a = M.gaussian_stats(features_a)
    radii_pr, radii_dc = M.knn_radii(features_a, config.pr_k), M.knn_radii(features_a, config.dc_k)
    acc: dict[str, float] = {}
    for i in range(n_chunks):
        f = features[i * size:(i + 1) * size]
        x = images[i * size:(i + 1) * size]
        dist = torch.cdist(features_a, f)
        p, r = M.precision_recall(features_a, f, config.pr_k, radii_pr, dist)
        d, cov = M.density_coverage(features_a, f, config.dc_k, radii_dc, dist)
        one = {"frechet_distance": M.frechet_distance_to(stats_a, f), "precision": p,
               "recall": r, "density": d, "coverage": cov,
               "near_duplicate_rate": M.near_duplicate_rate(x, dup_threshold)}
        for k, v in one.items():
            acc[k] = acc.get(k, 0.0) + v / n_chunks
    return acc


@lru_cache(maxsize=4)
def _reference_cached(device: str, config: DiversityConfig) -> RealReference:
    images, labels = heldout_digits()
    model = load_classifier(device=device)
    c = classify(images, model, config.batch_size, device)
    per_class = config.set_size // 10
    # held-out digits come class by class, 100 each, in a seeded random order within a class
    pos = torch.arange(len(labels)) % 100
    a, b = pos < per_class, (pos >= per_class) & (pos < 2 * per_class)
    nn_a = M.nearest_neighbour_distances(images[a])
    dup_threshold = float(torch.quantile(nn_a.to(torch.float64), config.dup_percentile / 100))
    values = _per_sample_metrics(c, config)
    values.update(_set_metrics(c.features[b], images[b], c.features[a], dup_threshold,
                               config))
    return RealReference(images[a], c.features[a], dup_threshold, values,
                         M.class_histogram(c.labels).tolist())


def real_reference(config: DiversityConfig = DiversityConfig(), device="cpu") -> RealReference:
    """Metrics of the held-out real digits (cached per device and config)."""
    return _reference_cached(str(device), config)


def score_digits(images: torch.Tensor, config: DiversityConfig = DiversityConfig(),
                 device: str | torch.device = "cpu") -> DigitScores:
    """Classify ``images`` ((N, 1, 28, 28) / (N, 784) / (N, 1, 64, 64) in [-1, 1]) and
    compute every metric, beside its value on held-out real digits."""
    x = to_classifier_input(images)
    if len(x) < 2 * config.dc_k:
        raise GanalyzeError(f"n: got {len(x)} images; at least {2 * config.dc_k} are needed "
                            "for the k-NN metrics")
    c = classify(x, load_classifier(device=device), config.batch_size, device)
    return score_classified(x, c, config, device)


def score_classified(x: torch.Tensor, c: Classified, config: DiversityConfig = DiversityConfig(),
                     device: str | torch.device = "cpu") -> DigitScores:
    """:func:`score_digits` for images ``x`` (classifier input) already classified as ``c``."""
    ref = real_reference(_ref_config(config), device)
    values = _per_sample_metrics(c, config)
    # chunks must be random subsets even when the caller's tensor is ordered (e.g. by class)
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(config.seed))
    values.update(_set_metrics(c.features[order], x[order], ref.features_a,
                               ref.dup_threshold, config))
    return DigitScores(values, dict(ref.values), M.class_histogram(c.labels).tolist(),
                       list(ref.histogram), len(x), c)


def _ref_config(config: DiversityConfig) -> DiversityConfig:
    """The reference does not depend on n / seed / batch size: normalise them for the cache."""
    d = asdict(config)
    d.update(n=DiversityConfig.n, batch_size=DiversityConfig.batch_size)
    return DiversityConfig(**d)
