"""A loop that follows the "ganhacks" tips (soumith/ganhacks, "How to Train a GAN? Tips and tricks
to make GANs work"), as many practitioners' DCGAN loops do: the thirteenth corpus loop, written
independently of the others.

What differs from the other loops:

* **soft and noisy labels** (tips 6 and 7): each real sample's target is drawn from U(0.7, 1.2) and
  each fake's from U(0.0, 0.3), and 5 % of the samples in D's step get the other side's target
  (flipped labels). Targets above 1 would make BCE's real term negative once D is sure of a real
  sample; with the flipped targets and the instance noise D never is (no row of the corpus's 120
  runs of this loop has a D loss below 0), but its loss never reaches 0 either; the spec's one-sided
  label smoothing is not used (the soft targets replace it);
* **instance noise** (tip 13, "add noise to inputs, decay over time"): Gaussian noise of std
  ``0.1 x`` the data's spread is added to every input of D in D's step and G's step, decaying
  linearly to 0 at half the run;
* **SGD for D, Adam for G** (tip 9): D's SGD (momentum 0.5) at 20 x the spec's D rate (Adam rates
  are far too small for SGD);
* separate real and fake batches for D (tip 4), LeakyReLU in both networks (tip 5), the
  non-saturating G loss (tip 2) or the minimax one; D loss = real + fake (a **sum** of two
  batch means of BCE with logits).
Logged: ``epoch``, ``d_loss``, ``d_loss_real``, ``d_loss_fake``, ``g_loss``, D's mean probability on
the real batch (``d_x``), on the fake batch in D's step (``d_g_z1``) and in G's step (``d_g_z2``),
gradient norms, learning rates and, every check, the pairwise-distance ratio. The ground truth
measures the networks without instance noise, as LABELS.md defines it.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from ganalyze.corpus.batches import EpochBatches
from ganalyze.corpus.record import Recorder, grad_norm, initial_check, pdist_ratio
from ganalyze.corpus.schedule import apply_events

REAL_TARGETS, FAKE_TARGETS = (0.7, 1.2), (0.0, 0.3)
FLIP_SHARE = 0.05
NOISE_START = 0.1            # instance noise std at step 0, in units of the data's spread
SGD_LR_SCALE, SGD_MOMENTUM = 20.0, 0.5


def generator(nz: int, width: int, shape: tuple, image: bool) -> nn.Module:
    layers = [nn.Linear(nz, width), nn.LeakyReLU(0.2), nn.Linear(width, width), nn.LeakyReLU(0.2),
              nn.Linear(width, math.prod(shape))]
    if image:
        layers.append(nn.Tanh())
    return nn.Sequential(*layers, nn.Unflatten(1, tuple(shape)))


def discriminator(width: int, shape: tuple) -> nn.Module:
    return nn.Sequential(nn.Flatten(), nn.Linear(math.prod(shape), width), nn.LeakyReLU(0.2),
                         nn.Linear(width, width), nn.LeakyReLU(0.2), nn.Linear(width, 1), nn.Flatten(0))


def soft_targets(n: int, rng: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """(real, fake) targets of one D step: soft (U(0.7, 1.2) / U(0, 0.3)), FLIP_SHARE of them swapped."""
    real = torch.empty(n).uniform_(*REAL_TARGETS, generator=rng)
    fake = torch.empty(n).uniform_(*FAKE_TARGETS, generator=rng)
    flip_r, flip_f = torch.rand(n, generator=rng) < FLIP_SHARE, torch.rand(n, generator=rng) < FLIP_SHARE
    real[flip_r] = torch.empty(int(flip_r.sum())).uniform_(*FAKE_TARGETS, generator=rng)
    fake[flip_f] = torch.empty(int(flip_f.sum())).uniform_(*REAL_TARGETS, generator=rng)
    return real, fake


def run(spec, data, rec: Recorder) -> dict:
    torch.manual_seed(spec.seed)
    rng = torch.Generator().manual_seed(spec.seed)
    shape = tuple(data.sample_shape)
    G = generator(spec.latent_dim, spec.g_width, shape, len(shape) == 3)
    D = discriminator(spec.d_width, shape)
    opt_g = torch.optim.Adam(G.parameters(), lr=spec.lr_g, betas=(spec.beta1, spec.beta2), foreach=True)
    opt_d = torch.optim.SGD(D.parameters(), lr=spec.lr_d * SGD_LR_SCALE, momentum=SGD_MOMENTUM, foreach=True)
    spread = float(data.data.std())
    d_score = lambda x: (D(x), "logit")  # noqa: E731
    initial_check(rec, G, D, d_score)
    batches = EpochBatches(data.data, spec.batch_size, rng)
    bs = batches.batch_size

    for step in range(spec.steps):
        apply_events(spec.events, step, opt_d, opt_g, G)
        sigma = NOISE_START * spread * max(0.0, 1.0 - step / (spec.steps / 2))

        def noisy(x):
            return x + sigma * torch.randn(x.shape, generator=rng) if sigma > 0 else x

        for _ in range(spec.n_critic):
            real = batches.next()
            fake = G(torch.randn(bs, spec.latent_dim, generator=rng))
            t_real, t_fake = soft_targets(bs, rng)
            real_out = D(noisy(real))                       # separate real and fake batches
            loss_real = F.binary_cross_entropy_with_logits(real_out, t_real)
            fake_out = D(noisy(fake.detach()))
            loss_fake = F.binary_cross_entropy_with_logits(fake_out, t_fake)
            d_loss = loss_real + loss_fake
            opt_d.zero_grad()
            d_loss.backward()
            gn_d = grad_norm(D.parameters())
            opt_d.step()
        g_out = D(noisy(fake))
        if spec.loss == "minimax":      # minimise log(1 - D(G(z))) = -BCE(D(G(z)), 0)
            g_loss = -F.binary_cross_entropy_with_logits(g_out, torch.zeros_like(g_out))
        else:
            g_loss = F.binary_cross_entropy_with_logits(g_out, torch.ones_like(g_out))
        opt_g.zero_grad()
        g_loss.backward()
        gn_g = grad_norm(G.parameters())
        opt_g.step()
        row = dict(epoch=batches.epoch, d_loss=d_loss.detach(), d_loss_real=loss_real.detach(),
                   d_loss_fake=loss_fake.detach(), g_loss=g_loss.detach(), d_x=torch.sigmoid(real_out.detach()).mean(),
                   d_g_z1=torch.sigmoid(fake_out.detach()).mean(), d_g_z2=torch.sigmoid(g_out.detach()).mean(),
                   grad_norm_d=gn_d, grad_norm_g=gn_g, lr_d=opt_d.param_groups[0]["lr"], lr_g=opt_g.param_groups[0]["lr"])
        if rec.due(step):
            row["div_pdist_ratio"] = pdist_ratio(fake, real)
        rec.log(step, **row)
        if rec.due(step):
            rec.check(step, G, D, d_score)
    return {"loss": spec.loss, "d_loss_reduction": "sum", "scores": "probability", "sgd_lr_scale": SGD_LR_SCALE,
            "native_columns": ["d_loss", "g_loss", "d_x", "d_g_z1", "d_g_z2"]}
