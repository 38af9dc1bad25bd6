"""Mode counts for the ring of 8 Gaussians (VEEGAN Table 1 / PacGAN conventions).

The target: ``n_modes`` isotropic 2-D Gaussians with standard deviation ``std`` whose
means lie evenly on a circle of ``radius`` (the first at angle 0). Each generated point is
assigned to its nearest mode centre:

- ``high_quality``: share of points within 3 std of their nearest centre (VEEGAN "% high
  quality samples"; real data: 98.9 %, the 2-D Gaussian mass within 3 std).
- ``modes_covered``: modes that receive at least ``min_share`` of all points as high-quality
  points (PacGAN: a mode is lost with fewer than 20 of 2,500, i.e. 0.8 %).
- ``kl_modes``: KL(mode histogram of high-quality points || uniform) = ln 8 - H, in nats:
  0 when all 8 modes are equally hit, ln 8 = 2.079 when only one is, ln(8/3) = 0.981 for
  three equal modes. NaN when no point is high quality.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import matplotlib.pyplot as plt
import pandas as pd
import torch

from ganalyze.errors import GanalyzeError
from ganalyze.train.data import RING8, Ring8Spec, nearest_mode

__all__ = ["Ring8Spec", "RING8", "Ring8Scores", "assign_modes", "score_ring8", "real_ring8", "plot_ring8"]


@dataclass(frozen=True)
class Ring8Scores:
    modes_covered: int
    high_quality: float
    kl_modes: float
    n: int
    mode_counts: list   # high-quality points per mode

    def to_dict(self) -> dict:
        return asdict(self)


def assign_modes(points: torch.Tensor, spec: Ring8Spec = RING8) -> pd.DataFrame:
    """One row per point: x, y, mode (nearest centre index), dist (to it), high_quality."""
    if not torch.is_tensor(points) or points.ndim != 2 or points.shape[1] != 2 or len(points) == 0:
        shape = tuple(points.shape) if torch.is_tensor(points) else type(points).__name__
        raise GanalyzeError(f"points: got {shape}; expected a non-empty (N, 2) tensor "
                            "(ring8 generator output)")
    p = points.detach().to(torch.float64).cpu()
    mode, dist, on_mode = nearest_mode(p, spec)
    return pd.DataFrame({"x": p[:, 0].numpy(), "y": p[:, 1].numpy(), "mode": mode.numpy(),
                         "dist": dist.numpy(), "high_quality": on_mode.numpy()})


def score_ring8(points: torch.Tensor, spec: Ring8Spec = RING8) -> Ring8Scores:
    """Modes covered, high-quality share and KL over modes (see module docstring)."""
    table = assign_modes(points, spec)
    good = table.loc[table["high_quality"], "mode"]
    counts = good.value_counts().reindex(range(spec.n_modes), fill_value=0)
    covered = int((counts >= spec.min_share * len(table)).sum())
    if len(good):
        share = counts / counts.sum()
        nz = share[share > 0]
        kl = float(math.log(spec.n_modes) + (nz * nz.map(math.log)).sum())
    else:
        kl = math.nan
    return Ring8Scores(covered, float(table["high_quality"].mean()), kl, len(table),
                       counts.astype(int).tolist())


def real_ring8(n: int, spec: Ring8Spec = RING8, generator: torch.Generator | None = None,
               modes: list[int] | None = None) -> torch.Tensor:
    """``n`` points from the target ring (optionally only from the listed ``modes``)."""
    modes_t = torch.tensor(modes if modes is not None else range(spec.n_modes))
    pick = modes_t[torch.randint(len(modes_t), (n,), generator=generator)]
    noise = torch.randn(n, 2, generator=generator, dtype=torch.float64) * spec.std
    return (spec.centers()[pick] + noise).to(torch.float32)


def plot_ring8(table: pd.DataFrame, spec: Ring8Spec = RING8, ax=None, max_points=5000):
    """Scatter of generated points (from :func:`assign_modes`) over the target modes, with
    each mode's 3-std circle; high-quality points dark, the rest grey. Returns the Axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 5))
    t = table.iloc[:max_points]
    good = t["high_quality"]
    ax.scatter(t.loc[~good, "x"], t.loc[~good, "y"], s=3, c="0.65", label="off-mode")
    ax.scatter(t.loc[good, "x"], t.loc[good, "y"], s=3, c="tab:blue", label="within 3 std")
    for cx, cy in spec.centers().tolist():
        ax.add_patch(plt.Circle((cx, cy), 3 * spec.std, fill=False, color="tab:red", lw=1))
    ax.scatter(*spec.centers().T.numpy(), marker="x", c="tab:red", s=30, label="mode centre")
    scores = score_ring8(torch.tensor(table[["x", "y"]].to_numpy()), spec)
    ax.set_title(f"ring8: {scores.modes_covered}/{spec.n_modes} modes, "
                 f"{scores.high_quality:.1%} high quality, KL {scores.kl_modes:.3f} nats")
    ax.set_aspect("equal")
    ax.legend(loc="upper right", fontsize=7, markerscale=3)
    return ax
