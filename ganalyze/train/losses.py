"""GAN losses on raw discriminator outputs (the list of [gan-losses-blog], formulas from the papers).

Every loss returns per-term **batch means**; the logged ``d_loss`` is ``d_loss_real + d_loss_fake``
(a sum, as [practitioner-loss-curves] and [dcgan-tutorial]), so ``d_loss_reduction = "sum"`` for all of them.

``minimax``  D: BCE(D(x), 1) + BCE(D(G(z)), 0). G minimises the saturating E[log(1 - D(G(z)))]; its
             logged value is therefore **negative** (-> -inf as G wins, ~0 when D rejects every fake).
``nsgan``    D as minimax; G: BCE(D(G(z)), 1) = -E[log D(G(z))] (non-saturating, the default).
``lsgan``    D: 0.5 E[(D(x)-1)^2] + 0.5 E[D(G(z))^2]; G: 0.5 E[(D(G(z))-1)^2] (Mao et al., a=0, b=c=1).
``wgan-gp``  D: -E[D(x)] + E[D(G(z))] (+ lambda * gradient penalty, logged separately as
             ``gradient_penalty`` and NOT part of ``d_loss``); G: -E[D(G(z))]. Values are unbounded.
``hinge``    D: E[relu(1 - D(x))] + E[relu(1 + D(G(z)))]; G: -E[D(G(z))].

BCE losses use ``binary_cross_entropy_with_logits`` (D returns logits). Scores: ``probability``
(sigmoid of the logit) for minimax/nsgan, ``critic`` (raw output) for the rest.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from ganalyze.gan import SCORE_KIND_OF, is_bce

SCORES = SCORE_KIND_OF   # loss type -> "probability" | "critic" (ganalyze.gan)


def d_loss_terms(loss: str, d_real: torch.Tensor, d_fake: torch.Tensor, label_smoothing: float = 0.0
                 ) -> tuple[torch.Tensor, torch.Tensor]:
    """``(d_loss_real, d_loss_fake)`` for discriminator outputs on a real and a fake batch."""
    if is_bce(loss):
        real = F.binary_cross_entropy_with_logits(d_real, torch.full_like(d_real, 1.0 - label_smoothing))
        fake = F.binary_cross_entropy_with_logits(d_fake, torch.zeros_like(d_fake))
        return real, fake
    if loss == "lsgan":
        return 0.5 * (d_real - 1).square().mean(), 0.5 * d_fake.square().mean()
    if loss == "wgan-gp":
        return -d_real.mean(), d_fake.mean()
    if loss == "hinge":
        return F.relu(1 - d_real).mean(), F.relu(1 + d_fake).mean()
    raise ValueError(f"unknown loss {loss!r}")


def g_loss(loss: str, d_fake: torch.Tensor) -> torch.Tensor:
    """The generator's loss for D's outputs on its batch (after the D update)."""
    if loss == "minimax":
        return -F.softplus(d_fake).mean()          # E[log(1 - sigmoid(l))] = -E[softplus(l)]
    if loss == "nsgan":
        return F.binary_cross_entropy_with_logits(d_fake, torch.ones_like(d_fake))
    if loss == "lsgan":
        return 0.5 * (d_fake - 1).square().mean()
    if loss in ("wgan-gp", "hinge"):
        return -d_fake.mean()
    raise ValueError(f"unknown loss {loss!r}")


def gradient_penalty(disc: torch.nn.Module, real: torch.Tensor, fake: torch.Tensor,
                     generator: torch.Generator | None = None) -> torch.Tensor:
    """WGAN-GP penalty E[(||grad_x D(x_hat)||_2 - 1)^2] on random interpolates (Gulrajani et al. 2017)."""
    shape = (real.shape[0],) + (1,) * (real.dim() - 1)
    alpha = torch.rand(shape, device=real.device, dtype=real.dtype, generator=generator)
    x_hat = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    out = disc(x_hat)
    (grad,) = torch.autograd.grad(out.sum(), x_hat, create_graph=True)
    return (grad.flatten(1).norm(dim=1) - 1).square().mean()


def scores(loss: str, d_out: torch.Tensor) -> torch.Tensor:
    """D's per-sample output in the logged units: sigmoid probability for BCE losses, raw otherwise."""
    return torch.sigmoid(d_out) if SCORES[loss] == "probability" else d_out
