"""Each loss type's generator and discriminator loss, batched over grid points.

All functions take D's raw outputs (logits for BCE losses) of shape ``(..., N)`` and return
the batch mean over the last dimension, shape ``(...)``. Conventions follow the trainer
(docs/ARCHITECTURE.md): ``d_loss = d_loss_real + d_loss_fake`` (a sum), and the value
function the discriminator maximises is ``V = −d_loss``.

| loss     | d_loss_real            | d_loss_fake          | g_loss                 |
|----------|------------------------|----------------------|------------------------|
| minimax  | softplus(−r)           | softplus(f)          | −softplus(f) = log(1−D) |
| nsgan    | softplus(−r)           | softplus(f)          | softplus(−f)           |
| lsgan    | ½(r−1)²                | ½f²                  | ½(f−1)²                |
| wgan-gp  | −r                     | f                    | −f                     |
| hinge    | relu(1−r)              | relu(1+f)            | −f                     |

WGAN-GP: the gradient penalty is a regulariser of the critic, not part of the game's value,
and needs an input-gradient per grid point; the surface leaves it out (the output JSON says so).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from ganalyze.errors import GanalyzeError
from ganalyze.surface.config import LOSS_TYPES


def _mean(t: torch.Tensor) -> torch.Tensor:
    return t.mean(dim=-1)


@dataclass(frozen=True)
class Objective:
    """The two players' losses for one loss type (see the module table)."""

    loss: str

    def __post_init__(self):
        if self.loss not in LOSS_TYPES:
            raise GanalyzeError(f"loss: got {self.loss!r}; allowed: {', '.join(LOSS_TYPES)}")

    def d_real(self, r: torch.Tensor) -> torch.Tensor:
        if self.loss in ("minimax", "nsgan"):
            return _mean(F.softplus(-r))
        if self.loss == "lsgan":
            return _mean(0.5 * (r - 1.0) ** 2)
        if self.loss == "wgan-gp":
            return _mean(-r)
        return _mean(F.relu(1.0 - r))

    def d_fake(self, f: torch.Tensor) -> torch.Tensor:
        if self.loss in ("minimax", "nsgan"):
            return _mean(F.softplus(f))
        if self.loss == "lsgan":
            return _mean(0.5 * f**2)
        if self.loss == "wgan-gp":
            return _mean(f)
        return _mean(F.relu(1.0 + f))

    def g(self, f: torch.Tensor) -> torch.Tensor:
        if self.loss == "minimax":
            return _mean(-F.softplus(f))
        if self.loss == "nsgan":
            return _mean(F.softplus(-f))
        if self.loss == "lsgan":
            return _mean(0.5 * (f - 1.0) ** 2)
        return _mean(-f)

    @property
    def notes(self) -> str:
        if self.loss == "wgan-gp":
            return "gradient penalty not included: d_loss is the critic's adversarial term E[D(G(z))] - E[D(x)]"
        return ""
