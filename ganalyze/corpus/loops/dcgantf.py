"""A loop written like carpedm20's ``DCGAN-tensorflow`` (``model.py``'s ``train``), long the most
starred DCGAN code, and the TensorFlow LSGAN forks of it: the twelfth corpus loop, written
independently of the others.

What differs from the other loops:

* **G is updated twice per iteration**: after D's step(s), two G steps on the same noise batch
  (the code's "Run g_optim twice to make sure that d_loss does not go to zero (different from
  paper)");
* **the printed losses are evaluated after the updates**: the code calls ``d_loss_fake.eval``,
  ``d_loss_real.eval`` and ``g_loss.eval`` on the iteration's batch and noise once every step is
  done, so the log shows the loss of the networks *after* the iteration, not the one that was
  minimised (D's outputs ``d_x``, ``d_g_z1`` are logged from the same evaluation);
* ``sigmoid_cross_entropy_with_logits``: D loss = ``d_loss_real + d_loss_fake`` (a **sum** of two
  batch means), G loss non-saturating; or LSGAN as the forks write it, **halved**:
  ``0.5 * mean((D(x) - 1)^2) + 0.5 * mean(D(G(z))^2)`` for D (the mean of its two parts) and
  ``0.5 * mean((D(G(z)) - 1)^2)`` for G, on D's raw output;
* batch norm in **both** networks (D: every hidden layer but the first, LeakyReLU 0.2; G: ReLU),
  evaluated in training mode, as ``batch_norm(train=True)`` in the code's evaluation;
* Adam for both players with the spec's rates; batches are shuffled passes over the data (epochs).
Logged: ``epoch``, ``d_loss``, ``d_loss_real``, ``d_loss_fake``, ``g_loss``, ``d_x``, ``d_g_z1``,
gradient norms (D's last step, G's second step), learning rates and, every check, the
pairwise-distance ratio.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from ganalyze.corpus.batches import EpochBatches
from ganalyze.corpus.record import Recorder, grad_norm, initial_check, pdist_ratio
from ganalyze.corpus.schedule import apply_events

G_STEPS = 2     # G steps per iteration, as the code


def generator(nz: int, width: int, shape: tuple, image: bool) -> nn.Module:
    layers = [nn.Linear(nz, width), nn.BatchNorm1d(width), nn.ReLU(),
              nn.Linear(width, width), nn.BatchNorm1d(width), nn.ReLU(),
              nn.Linear(width, math.prod(shape))]
    if image:
        layers.append(nn.Tanh())
    return nn.Sequential(*layers, nn.Unflatten(1, tuple(shape)))


def discriminator(width: int, shape: tuple) -> nn.Module:
    """Logits out; batch norm on the second hidden layer only (the code's ``d_bn1``, none on ``h0``)."""
    return nn.Sequential(nn.Flatten(), nn.Linear(math.prod(shape), width), nn.LeakyReLU(0.2),
                         nn.Linear(width, width), nn.BatchNorm1d(width), nn.LeakyReLU(0.2),
                         nn.Linear(width, 1), nn.Flatten(0))


def run(spec, data, rec: Recorder) -> dict:
    torch.manual_seed(spec.seed)
    rng = torch.Generator().manual_seed(spec.seed)
    shape = tuple(data.sample_shape)
    G = generator(spec.latent_dim, spec.g_width, shape, len(shape) == 3)
    D = discriminator(spec.d_width, shape)
    lsgan = spec.loss == "lsgan"
    opt_d = torch.optim.Adam(D.parameters(), lr=spec.lr_d, betas=(spec.beta1, spec.beta2), foreach=True)
    opt_g = torch.optim.Adam(G.parameters(), lr=spec.lr_g, betas=(spec.beta1, spec.beta2), foreach=True)
    valid = 1.0 - spec.label_smoothing

    def part(out, target: float):
        """One part of a loss: a batch mean (halved for LSGAN, as the forks)."""
        if lsgan:
            return 0.5 * (out - target).square().mean()
        return F.binary_cross_entropy_with_logits(out, torch.full_like(out, target))

    shown = (lambda t: t.mean()) if lsgan else (lambda t: torch.sigmoid(t).mean())
    d_score = lambda x: (D(x), "lsgan" if lsgan else "logit")  # noqa: E731
    initial_check(rec, G, D, d_score)
    batches = EpochBatches(data.data, spec.batch_size, rng)
    bs = batches.batch_size

    for step in range(spec.steps):
        apply_events(spec.events, step, opt_d, opt_g, G)
        for _ in range(spec.n_critic):
            real = batches.next()
            z = torch.randn(bs, spec.latent_dim, generator=rng)
            d_loss = part(D(real), valid) + part(D(G(z).detach()), 0.0)
            opt_d.zero_grad()
            d_loss.backward()
            gn_d = grad_norm(D.parameters())
            opt_d.step()
        for _ in range(G_STEPS):        # "Run g_optim twice", on the same z
            g_loss = part(D(G(z)), 1.0)
            opt_g.zero_grad()
            g_loss.backward()
            gn_g = grad_norm(G.parameters())
            opt_g.step()
        with torch.no_grad():           # errD_fake, errD_real, errG: evaluated after the updates
            fake = G(z)
            real_out, fake_out = D(real), D(fake)
            err_real, err_fake, err_g = part(real_out, valid), part(fake_out, 0.0), part(fake_out, 1.0)
        row = dict(epoch=batches.epoch, d_loss=err_real + err_fake, d_loss_real=err_real, d_loss_fake=err_fake,
                   g_loss=err_g, d_x=shown(real_out), d_g_z1=shown(fake_out), grad_norm_d=gn_d, grad_norm_g=gn_g,
                   lr_d=opt_d.param_groups[0]["lr"], lr_g=opt_g.param_groups[0]["lr"])
        if rec.due(step):
            row["div_pdist_ratio"] = pdist_ratio(fake, real)
        rec.log(step, **row)
        if rec.due(step):
            rec.check(step, G, D, d_score)
    # LSGAN's raw output has no probability: labelled with the critic rules, as the tfsim loop's
    return {"loss": spec.loss, "d_loss_reduction": "mean" if lsgan else "sum",
            "scores": "critic" if lsgan else "probability", "native_columns": ["d_loss", "g_loss"]}
