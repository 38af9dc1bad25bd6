"""A GAN loop written the way the Keras GAN examples are (``Keras-GAN``'s gan.py / lsgan.py, ported).

What differs from the other corpus loops (the point of a fifth, independently written loop):

* D is updated **twice per iteration**, as two ``train_on_batch`` calls would: one optimiser step
  on a real batch, then one on a fake batch (each its own batch-norm statistics);
* D ends in a logit and the losses are computed from logits (``BCEWithLogits``: a NaN never
  crashes the run, the log just reads NaN, as Keras prints it);
* the logged D loss is Keras' ``0.5 * np.add(d_loss_real, d_loss_fake)``: the **mean** of the two
  parts, each measured *before* its own step;
* LSGAN is Keras' ``loss='mse'`` with targets 1 / 0 (no 0.5 factor: D's equilibrium is 0.25, G's
  0.25), non-saturating BCE otherwise (the combined model trained with "valid" labels);
* G and D are MLPs with LeakyReLU(0.2) and, in G, batch norm with Keras' momentum 0.8 (PyTorch's
  0.2); G is trained on the same noise the fake batch came from;
* logged: ``d_loss``, ``d_loss_real``, ``d_loss_fake``, ``g_loss``, D's mean probability on the
  real and on the fake batch at D's steps (``d_x``, ``d_g_z1``; nothing after the G step), global
  gradient norms (D's at its fake step), learning rates and, every check, the pairwise-distance
  ratio. No epoch column.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from ganalyze.corpus.record import Recorder, grad_norm, initial_check, pdist_ratio
from ganalyze.corpus.schedule import apply_events

KERAS_BN_MOMENTUM = 0.8          # Keras' moving-average weight of the old value; PyTorch's = 1 - it


def generator(nz: int, width: int, shape: tuple, image: bool) -> nn.Module:
    out = math.prod(shape)
    bn = lambda n: nn.BatchNorm1d(n, momentum=1 - KERAS_BN_MOMENTUM)  # noqa: E731
    layers = [nn.Linear(nz, width), nn.LeakyReLU(0.2), bn(width),
              nn.Linear(width, 2 * width), nn.LeakyReLU(0.2), bn(2 * width),
              nn.Linear(2 * width, out)]
    if image:
        layers.append(nn.Tanh())
    return nn.Sequential(*layers, nn.Unflatten(1, tuple(shape)))


def discriminator(width: int, shape: tuple) -> nn.Module:
    n_in = math.prod(shape)
    return nn.Sequential(nn.Flatten(), nn.Linear(n_in, 2 * width), nn.LeakyReLU(0.2),
                         nn.Linear(2 * width, width), nn.LeakyReLU(0.2), nn.Linear(width, 1), nn.Flatten(0))


def run(spec, data, rec: Recorder) -> dict:
    torch.manual_seed(spec.seed)
    rng = torch.Generator().manual_seed(spec.seed)
    shape = tuple(data.sample_shape)
    G = generator(spec.latent_dim, spec.g_width, shape, len(shape) == 3)
    D = discriminator(spec.d_width, shape)
    lsgan = spec.loss == "lsgan"

    def loss_fn(logits, target: float):
        if lsgan:        # Keras 'mse' on the sigmoid output
            return (torch.sigmoid(logits) - target).square().mean()
        return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, target))

    opt_d = torch.optim.Adam(D.parameters(), lr=spec.lr_d, betas=(spec.beta1, spec.beta2), foreach=True)
    opt_g = torch.optim.Adam(G.parameters(), lr=spec.lr_g, betas=(spec.beta1, spec.beta2), foreach=True)
    valid = 1.0 - spec.label_smoothing
    d_score = lambda x: (torch.sigmoid(D(x)), "probability")  # noqa: E731
    initial_check(rec, G, D, d_score)
    bs = min(spec.batch_size, len(data.data))
    for step in range(spec.steps):
        apply_events(spec.events, step, opt_d, opt_g, G)
        for _ in range(spec.n_critic):
            real = data.data[torch.randint(len(data.data), (bs,), generator=rng)]
            noise = torch.randn(bs, spec.latent_dim, generator=rng)
            with torch.no_grad():
                fake = G(noise)
            # d_loss_real = discriminator.train_on_batch(imgs, valid)
            logits_real = D(real)
            d_loss_real = loss_fn(logits_real, valid)
            opt_d.zero_grad()
            d_loss_real.backward()
            opt_d.step()
            # d_loss_fake = discriminator.train_on_batch(gen_imgs, fake)
            logits_fake = D(fake)
            d_loss_fake = loss_fn(logits_fake, 0.0)
            opt_d.zero_grad()
            d_loss_fake.backward()
            gn_d = grad_norm(D.parameters())
            opt_d.step()
        # g_loss = combined.train_on_batch(noise, valid)
        g_out = D(G(noise))
        g_loss = loss_fn(g_out, 1.0)
        opt_g.zero_grad()
        g_loss.backward()
        gn_g = grad_norm(G.parameters())
        opt_g.step()
        row = dict(d_loss=0.5 * (d_loss_real.detach() + d_loss_fake.detach()), d_loss_real=d_loss_real,
                   d_loss_fake=d_loss_fake, g_loss=g_loss, d_x=torch.sigmoid(logits_real.detach()).mean(),
                   d_g_z1=torch.sigmoid(logits_fake.detach()).mean(), grad_norm_d=gn_d, grad_norm_g=gn_g,
                   lr_d=opt_d.param_groups[0]["lr"], lr_g=opt_g.param_groups[0]["lr"])
        if rec.due(step):
            row["div_pdist_ratio"] = pdist_ratio(fake, real)
        rec.log(step, **row)
        if rec.due(step):
            rec.check(step, G, D, d_score)
    return {"loss": spec.loss, "d_loss_reduction": "mean", "scores": "probability",
            "native_columns": ["d_loss", "g_loss", "d_x", "d_g_z1"]}
