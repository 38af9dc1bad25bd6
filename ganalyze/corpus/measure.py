"""The LABELS.md ground-truth signals of a generator/discriminator pair, measured at a check.

:class:`GroundTruthProbe` holds what stays fixed over a run: ``n_fixed`` (>= 1,000) fixed noise
vectors, its own ``torch.Generator`` for the fresh real and fake batches (so measuring never
draws from the training RNG), and the dataset's references. Calling it with ``(step, gen, d_score)``
returns one row of signals (names exactly as LABELS.md section 1):

``modes_covered``         mixture: modes with >= 1 % of the fixed-noise samples within 3 std of the
                          centre; images: classes with >= 2 % of the samples (classifier argmax)
``class_histogram_kl``    KL(nearest-mode / predicted-class histogram || uniform), nats
``high_quality_fraction`` mixture: share within 3 std of some mode; images: share with classifier
                          confidence >= 0.9 whose feature vector lies inside some real feature's
                          3-NN ball (Kynkäänniemi et al. 2019; 2,000 real digits)
``frechet_distance``      Fréchet distance of the samples to the real reference (2-D points for
                          mixtures, 10,000 of them; classifier features for images)
``diversity_ratio``       mean pairwise L2 distance of 500 samples / the same for 500 real samples
``sample_drift``          RMS change of G(fixed noise) since the previous check / the data's RMS spread
                          (NaN at the first check). NOT scaled to 100 steps here: truth.py does that
``d_acc_real``, ``d_acc_fake``, ``d_accuracy``  D on 256 fresh real and 256 fresh fake samples at 0.5
                          (probabilities) or at the midpoint of the mean real and mean fake output (critics)
``d_fake_mean``           mean D probability on the fresh fakes (NaN for WGAN/hinge critics, which have
                          no probability; LSGAN's raw output, whose targets are 0 and 1)
``finite``                1.0 if every sample and D output is finite, else 0.0
``sample_abs_mean``       mean |x| of the samples (inf when any is not finite)

``d_score(x) -> (scores, kind)``: the loop's discriminator wrapped to return per-sample outputs and
their kind: "logit" (sigmoid gives the probability), "probability", "lsgan" or "critic". ``None``
when no discriminator is at hand (a generator checkpoint saved without one): the D signals are NaN
and ``finite`` reads the samples only.
"""
from __future__ import annotations

import math

import torch

from ganalyze.corpus.datasets import CorpusData, mixture_sample

N_FIXED = 1000
N_FRESH = 256
N_PDIST = 500


def _kl_uniform(counts: torch.Tensor) -> float:
    p = counts.double() / max(1.0, float(counts.sum()))
    nz = p > 0
    return float((p[nz] * (p[nz] * len(counts)).log()).sum())


class GroundTruthProbe:
    def __init__(self, data: CorpusData, latent_dim: int, seed: int, n_fixed: int = N_FIXED):
        from ganalyze.diversity.metrics import gaussian_stats

        self.data = data
        self.latent_dim = latent_dim
        self.rng = torch.Generator().manual_seed(seed + 1_000_003)
        self.fixed_noise = torch.randn(n_fixed, latent_dim, generator=torch.Generator().manual_seed(seed + 77))
        self._prev: torch.Tensor | None = None
        self._real_stats = gaussian_stats(data.real_features)

    # ---- pieces -------------------------------------------------------------------------------
    def _real_batch(self, n: int) -> torch.Tensor:
        d = self.data
        if d.kind == "mixture":
            return mixture_sample(d.centres, d.std, n, self.rng)
        idx = torch.randint(len(d.data), (n,), generator=self.rng)
        return d.data[idx]

    def _mixture_signals(self, x: torch.Tensor) -> dict:
        from ganalyze.diversity.metrics import frechet_distance_to

        d = self.data
        dist = torch.cdist(x, d.centres)
        dmin, nearest = dist.min(1)
        near = dmin <= 3 * d.std
        counts_near = torch.bincount(nearest[near], minlength=d.n_modes)
        return {
            "modes_covered": float((counts_near >= 0.01 * len(x)).sum()),
            "class_histogram_kl": _kl_uniform(torch.bincount(nearest, minlength=d.n_modes)),
            "high_quality_fraction": float(near.float().mean()),
            "frechet_distance": frechet_distance_to(self._real_stats, x),
        }

    def _image_signals(self, x: torch.Tensor) -> dict:
        from ganalyze.corpus.classifiers import image_features
        from ganalyze.diversity.metrics import frechet_distance_to

        d = self.data
        probs, feats = image_features(d.name, x)
        conf, cls = probs.max(1)
        counts = torch.bincount(cls, minlength=10)
        inside = (torch.cdist(feats, d.manifold) <= d.real_radii[None, :]).any(1)
        return {
            "modes_covered": float((counts >= 0.02 * len(x)).sum()),
            "class_histogram_kl": _kl_uniform(counts),
            "high_quality_fraction": float(((conf >= 0.9) & inside).float().mean()),
            "frechet_distance": frechet_distance_to(self._real_stats, feats),
        }

    def _d_signals(self, gen, d_score) -> dict:
        if d_score is None:
            return {"d_acc_real": math.nan, "d_acc_fake": math.nan, "d_accuracy": math.nan,
                    "d_fake_mean": math.nan, "_finite_d": True}
        real = self._real_batch(N_FRESH)
        fake = gen(torch.randn(N_FRESH, self.latent_dim, generator=self.rng))
        s_real, kind = d_score(real)
        s_fake, _ = d_score(fake)
        s_real, s_fake = s_real.float().flatten(), s_fake.float().flatten()
        finite = bool(torch.isfinite(s_real).all() and torch.isfinite(s_fake).all() and torch.isfinite(fake).all())
        if kind == "logit":
            s_real, s_fake, kind = torch.sigmoid(s_real), torch.sigmoid(s_fake), "probability"
        if kind == "probability":
            acc_real = float((s_real > 0.5).float().mean())
            acc_fake = float((s_fake < 0.5).float().mean())
            fake_mean = float(s_fake.mean())
        else:
            mid = (s_real.mean() + s_fake.mean()) / 2
            acc_real = float((s_real > mid).float().mean())
            acc_fake = float((s_fake < mid).float().mean())
            fake_mean = float(s_fake.mean()) if kind == "lsgan" else math.nan
        if not finite:
            acc_real = acc_fake = fake_mean = math.nan
        return {"d_acc_real": acc_real, "d_acc_fake": acc_fake, "d_accuracy": (acc_real + acc_fake) / 2,
                "d_fake_mean": fake_mean, "_finite_d": finite}

    # ---- one check ----------------------------------------------------------------------------
    @torch.inference_mode()
    def __call__(self, step: int, gen, d_score) -> dict:
        d = self.data
        x = gen(self.fixed_noise).float().reshape(len(self.fixed_noise), *d.sample_shape)
        flat = x.flatten(1)
        finite_x = bool(torch.isfinite(flat).all())
        row: dict = {"step": int(step)}
        if finite_x:
            row.update(self._mixture_signals(flat) if d.kind == "mixture" else self._image_signals(x))
            row["diversity_ratio"] = float(torch.pdist(flat[:N_PDIST]).mean()) / d.pdist_mean
            row["sample_abs_mean"] = float(flat.abs().mean())
            if self._prev is not None and bool(torch.isfinite(self._prev).all()):
                row["sample_drift"] = float((flat - self._prev).square().sum(1).mean().sqrt()) / d.rms_spread
            else:
                row["sample_drift"] = math.nan
        else:
            for k in ("modes_covered", "class_histogram_kl", "high_quality_fraction", "frechet_distance",
                      "diversity_ratio", "sample_drift"):
                row[k] = math.nan
            row["sample_abs_mean"] = math.inf
        self._prev = flat.clone()
        ds = self._d_signals(gen, d_score)
        row["finite"] = 1.0 if (finite_x and ds.pop("_finite_d")) else 0.0
        row.update(ds)
        return row
