"""Each loss type's generator and discriminator loss, batched over grid points.

A thin wrapper around the trainer's :mod:`ganalyze.train.losses` (the same code that trained
the checkpoint): those functions take one batch of D outputs and return batch means, so each
is ``torch.func.vmap``-ed over the leading grid dimensions. Inputs are D's raw outputs (logits
for BCE losses) of shape ``(..., N)``; outputs have shape ``(...)``.

Conventions (docs/ARCHITECTURE.md): ``d_loss = d_loss_real + d_loss_fake`` (a sum); the value
function the discriminator maximises is ``V = −d_loss``. ``minimax``'s generator loss is
``E[log(1 − D(G(z)))]`` (negative). One-sided label smoothing ``s`` (BCE losses) makes D's real
target ``1 − s``, as in training.

WGAN-GP: the gradient penalty is a regulariser of the critic, not part of the game's value, and
the trainer logs it apart from ``d_loss``; the surface leaves it out (the output JSON says so).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch.func import vmap

from ganalyze.errors import GanalyzeError
from ganalyze.gan import LOSSES as LOSS_TYPES
from ganalyze.train import losses as train_losses


def _batched(fn, x: torch.Tensor) -> torch.Tensor:
    lead = x.shape[:-1]
    if not lead:
        return fn(x)
    return vmap(fn)(x.reshape(-1, x.shape[-1])).reshape(lead)


@dataclass(frozen=True)
class Objective:
    """The two players' losses for one loss type, batched over leading dimensions."""

    loss: str
    label_smoothing: float = 0.0

    def __post_init__(self):
        if self.loss not in LOSS_TYPES:
            raise GanalyzeError(f"loss: got {self.loss!r}; allowed: {', '.join(LOSS_TYPES)}")
        if not 0.0 <= self.label_smoothing < 0.5:
            raise GanalyzeError(f"label_smoothing: got {self.label_smoothing}; allowed: a number in [0, 0.5)")

    def d_real(self, r: torch.Tensor) -> torch.Tensor:
        """D's loss on the real batch (``d_loss_real``)."""
        return _batched(lambda t: train_losses.d_loss_terms(self.loss, t, t, self.label_smoothing)[0], r)

    def d_fake(self, f: torch.Tensor) -> torch.Tensor:
        """D's loss on the fake batch (``d_loss_fake``)."""
        return _batched(lambda t: train_losses.d_loss_terms(self.loss, t, t, self.label_smoothing)[1], f)

    def g(self, f: torch.Tensor) -> torch.Tensor:
        """The generator's loss on D's outputs for its batch."""
        return _batched(lambda t: train_losses.g_loss(self.loss, t), f)

    @property
    def notes(self) -> str:
        if self.loss == "wgan-gp":
            return "gradient penalty not included: d_loss is the critic's adversarial term E[D(G(z))] - E[D(x)]"
        if self.label_smoothing:
            return f"one-sided label smoothing {self.label_smoothing}: D's real target is {1 - self.label_smoothing}"
        return ""
