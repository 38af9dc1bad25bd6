"""DRAGAN (Kodali et al. 2017, "On Convergence and Stability of GANs") as the popular PyTorch
collections write it (znxlwm/pytorch-generative-model-collections' ``DRAGAN.py``, LynnHo's
DCGAN-LSGAN-WGAN-GP-DRAGAN): the fourteenth corpus loop, written independently of the others.

What differs from the other loops:

* **a gradient penalty on a BCE or LSGAN discriminator**, taken near the real data only:
  x_hat = x + alpha * 0.5 * std(x) * beta, beta ~ U(0, 1) per element and alpha ~ U(0, 1) per
  sample (a point between a real sample and a perturbed copy of it), penalty
  ``10 * (||grad_x D(x_hat)|| - 1)**2`` per sample, averaged over the batch;
* **the logged D loss includes the penalty** (D_loss = real + fake + penalty, as the collections'
  script logs it): a BCE D loss that can sit above 2 ln 2 while D is winning, and whose floor is
  the penalty, not 0;
* batch norm in G, none in D (the penalty is per sample), Adam for both, one D step per G step on
  the same noise (G's step recomputes G(z) after D's update).

The non-saturating G loss on a sigmoid D (the collections' script) or LSGAN on D's raw output
(LynnHo's ``lsgan`` option: targets 1 / 0, D loss the sum of the two mean squared errors, G's
``(D(G(z)) - 1)**2``). Logged: ``epoch``, ``d_loss`` (with the penalty), ``d_loss_real``,
``d_loss_fake``, ``g_loss``, D's mean output on the real and fake batches (``d_x``, ``d_g_z1``: a
probability for BCE, the raw LSGAN score otherwise; ``d_g_z2`` in G's step), gradient norms,
learning rates and, every check, the pairwise-distance ratio.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from ganalyze.corpus.batches import EpochBatches
from ganalyze.corpus.record import Recorder, grad_norm, initial_check, pdist_ratio
from ganalyze.corpus.schedule import apply_events

PENALTY_WEIGHT = 10.0        # lambda of the DRAGAN penalty
PERTURB_SCALE = 0.5          # x_hat reaches at most 0.5 std(x) beyond the real sample


def generator(nz: int, width: int, shape: tuple, image: bool) -> nn.Module:
    layers = [nn.Linear(nz, width), nn.BatchNorm1d(width), nn.ReLU(), nn.Linear(width, width),
              nn.BatchNorm1d(width), nn.ReLU(), nn.Linear(width, math.prod(shape))]
    if image:
        layers.append(nn.Tanh())
    return nn.Sequential(*layers, nn.Unflatten(1, tuple(shape)))


def discriminator(width: int, shape: tuple) -> nn.Module:
    return nn.Sequential(nn.Flatten(), nn.Linear(math.prod(shape), width), nn.LeakyReLU(0.2),
                         nn.Linear(width, width), nn.LeakyReLU(0.2), nn.Linear(width, 1), nn.Flatten(0))


def dragan_penalty(D: nn.Module, real: torch.Tensor, rng: torch.Generator) -> torch.Tensor:
    """``(||grad D(x_hat)|| - 1)**2`` averaged over the batch, x_hat near the real samples (unweighted)."""
    beta = torch.rand(real.shape, generator=rng)
    alpha = torch.rand((real.shape[0],) + (1,) * (real.dim() - 1), generator=rng)
    x_hat = (real + alpha * PERTURB_SCALE * real.std() * beta).requires_grad_(True)
    grad, = torch.autograd.grad(D(x_hat).sum(), x_hat, create_graph=True)
    return ((grad.flatten(1).norm(dim=1) - 1.0) ** 2).mean()


def run(spec, data, rec: Recorder) -> dict:
    torch.manual_seed(spec.seed)
    rng = torch.Generator().manual_seed(spec.seed)
    shape = tuple(data.sample_shape)
    lsgan = spec.loss == "lsgan"
    G = generator(spec.latent_dim, spec.g_width, shape, len(shape) == 3)
    D = discriminator(spec.d_width, shape)
    opt_g = torch.optim.Adam(G.parameters(), lr=spec.lr_g, betas=(spec.beta1, spec.beta2), foreach=True)
    opt_d = torch.optim.Adam(D.parameters(), lr=spec.lr_d, betas=(spec.beta1, spec.beta2), foreach=True)
    shown = (lambda t: t.mean()) if lsgan else (lambda t: torch.sigmoid(t).mean())
    d_score = lambda x: (D(x), "lsgan" if lsgan else "logit")  # noqa: E731
    initial_check(rec, G, D, d_score)
    batches = EpochBatches(data.data, spec.batch_size, rng)
    bs = batches.batch_size

    def adv(out, target: float):
        if lsgan:
            return ((out - target) ** 2).mean()
        return F.binary_cross_entropy_with_logits(out, torch.full_like(out, target))

    for step in range(spec.steps):
        apply_events(spec.events, step, opt_d, opt_g, G)
        z = torch.randn(bs, spec.latent_dim, generator=rng)
        for _ in range(spec.n_critic):
            real = batches.next()
            fake = G(z)
            real_out, fake_out = D(real), D(fake.detach())
            loss_real, loss_fake = adv(real_out, 1.0), adv(fake_out, 0.0)
            d_loss = loss_real + loss_fake + PENALTY_WEIGHT * dragan_penalty(D, real, rng)
            opt_d.zero_grad()
            d_loss.backward()
            gn_d = grad_norm(D.parameters())
            opt_d.step()
        fake = G(z)                                   # G's step: the same noise, after D's update
        g_out = D(fake)
        g_loss = adv(g_out, 1.0)
        opt_g.zero_grad()
        g_loss.backward()
        gn_g = grad_norm(G.parameters())
        opt_g.step()
        row = dict(epoch=batches.epoch, d_loss=d_loss.detach(), d_loss_real=loss_real.detach(),
                   d_loss_fake=loss_fake.detach(), g_loss=g_loss.detach(), d_x=shown(real_out.detach()),
                   d_g_z1=shown(fake_out.detach()), d_g_z2=shown(g_out.detach()),
                   grad_norm_d=gn_d, grad_norm_g=gn_g, lr_d=opt_d.param_groups[0]["lr"], lr_g=opt_g.param_groups[0]["lr"])
        if rec.due(step):
            row["div_pdist_ratio"] = pdist_ratio(fake.detach(), real)
        rec.log(step, **row)
        if rec.due(step):
            rec.check(step, G, D, d_score)
    return {"loss": spec.loss, "d_loss_reduction": "sum", "scores": "critic" if lsgan else "probability",
            "penalty": "dragan", "penalty_weight": PENALTY_WEIGHT, "native_columns": ["d_loss", "g_loss"]}
