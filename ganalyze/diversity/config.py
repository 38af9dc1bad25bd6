"""``DiversityConfig``: settings of ``ganalyze diversity`` (no torch import, so the CLI can read
its defaults cheaply)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DiversityConfig:
    """Settings of ``ganalyze diversity`` (the CLI takes its defaults from here)."""

    n: int = 10_000               # generated samples
    seed: int = 0                 # noise seed (and resampling seed)
    batch_size: int = 500         # classifier / generator batch (larger is slower on CPU: cache)
    min_share: float = 0.01       # a class counts as a covered mode at >= 1 % of samples
    k_cover: int = 100            # [mnist-gan-blog]: do k samples show all ten digits?
    n_resamples: int = 2000       # draws for P(all ten in k)
    pr_k: int = 3                 # Kynkäänniemi 2019
    dc_k: int = 5                 # Naeem 2020
    set_size: int = 500           # size of the sets in set-to-set metrics (half of held-out)
    dup_percentile: float = 1.0   # near-duplicate threshold: this percentile of real NN distances
