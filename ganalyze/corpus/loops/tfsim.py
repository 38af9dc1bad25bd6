"""A loop written like the TensorFlow 2 DCGAN tutorial's ``train_step`` (ported; the seventh loop).

What differs from the other loops:

* **simultaneous updates**: one forward pass (``with tf.GradientTape() as gen_tape,
  tf.GradientTape() as disc_tape``) gives both losses; both players' gradients are taken from it
  and applied together, so D never sees the G of this step and G is graded by the D before its
  update;
* ``BinaryCrossentropy(from_logits=True)``: D loss = real + fake (a **sum** of two batch means),
  G loss non-saturating; or LSGAN as plain MSE on D's **raw output** (no sigmoid; targets 1 / 0);
* the tutorial's networks as MLPs: G Dense(no bias) + BatchNorm + LeakyReLU blocks, D Dense +
  LeakyReLU + **Dropout(0.3)** (D is graded with dropout on, as in the tutorial);
* Adam for both with the spec's rates; the batch is a shuffled pass over the data (epochs).
Logged: ``epoch``, ``d_loss``, ``d_loss_real``, ``d_loss_fake``, ``g_loss``, D's mean probability
(nsgan) or raw output (LSGAN) on the real and fake batch (``d_x``, ``d_g_z1``), gradient norms,
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


def generator(nz: int, width: int, shape: tuple, image: bool) -> nn.Module:
    out = math.prod(shape)
    layers = [nn.Linear(nz, width, bias=False), nn.BatchNorm1d(width), nn.LeakyReLU(0.3),
              nn.Linear(width, width, bias=False), nn.BatchNorm1d(width), nn.LeakyReLU(0.3),
              nn.Linear(width, out, bias=False)]
    if image:
        layers.append(nn.Tanh())
    return nn.Sequential(*layers, nn.Unflatten(1, tuple(shape)))


def discriminator(width: int, shape: tuple) -> nn.Module:
    n_in = math.prod(shape)
    return nn.Sequential(nn.Flatten(), nn.Linear(n_in, width), nn.LeakyReLU(0.3), nn.Dropout(0.3),
                         nn.Linear(width, width), nn.LeakyReLU(0.3), nn.Dropout(0.3), nn.Linear(width, 1),
                         nn.Flatten(0))


def run(spec, data, rec: Recorder) -> dict:
    torch.manual_seed(spec.seed)
    rng = torch.Generator().manual_seed(spec.seed)
    shape = tuple(data.sample_shape)
    G = generator(spec.latent_dim, spec.g_width, shape, len(shape) == 3)
    D = discriminator(spec.d_width, shape)
    lsgan = spec.loss == "lsgan"
    opt_g = torch.optim.Adam(G.parameters(), lr=spec.lr_g, betas=(spec.beta1, spec.beta2), foreach=True)
    opt_d = torch.optim.Adam(D.parameters(), lr=spec.lr_d, betas=(spec.beta1, spec.beta2), foreach=True)
    valid = 1.0 - spec.label_smoothing

    def loss_fn(out, target: float):
        if lsgan:
            return (out - target).square().mean()
        return F.binary_cross_entropy_with_logits(out, torch.full_like(out, target))

    shown = (lambda t: t.mean()) if lsgan else (lambda t: torch.sigmoid(t).mean())
    d_score = lambda x: (D(x), "lsgan" if lsgan else "logit")  # noqa: E731
    initial_check(rec, G, D, d_score)
    batches = EpochBatches(data.data, spec.batch_size, rng)
    bs = batches.batch_size
    g_params, d_params = list(G.parameters()), list(D.parameters())
    for step in range(spec.steps):
        apply_events(spec.events, step, opt_d, opt_g, G)
        real = batches.next()
        fake = G(torch.randn(bs, spec.latent_dim, generator=rng))
        real_out, fake_out = D(real), D(fake)
        gen_loss = loss_fn(fake_out, 1.0)
        real_loss, fake_loss = loss_fn(real_out, valid), loss_fn(fake_out, 0.0)
        disc_loss = real_loss + fake_loss
        # both tapes: each player's gradient of its own loss, from the same forward pass
        grads_g = torch.autograd.grad(gen_loss, g_params, retain_graph=True)
        grads_d = torch.autograd.grad(disc_loss, d_params)
        for p, g in zip(g_params, grads_g):
            p.grad = g
        for p, g in zip(d_params, grads_d):
            p.grad = g
        gn_g, gn_d = grad_norm(g_params), grad_norm(d_params)
        opt_g.step()
        opt_d.step()
        row = dict(epoch=batches.epoch, d_loss=disc_loss.detach(), d_loss_real=real_loss.detach(),
                   d_loss_fake=fake_loss.detach(), g_loss=gen_loss.detach(), d_x=shown(real_out.detach()),
                   d_g_z1=shown(fake_out.detach()), grad_norm_d=gn_d, grad_norm_g=gn_g,
                   lr_d=opt_d.param_groups[0]["lr"], lr_g=opt_g.param_groups[0]["lr"])
        if rec.due(step):
            row["div_pdist_ratio"] = pdist_ratio(fake, real)
        rec.log(step, **row)
        if rec.due(step):
            rec.check(step, G, D, d_score)
    # LSGAN's raw output has no probability: labelled with the critic rules, as the pacgan loop's
    return {"loss": spec.loss, "d_loss_reduction": "sum", "scores": "critic" if lsgan else "probability",
            "native_columns": ["d_loss", "g_loss"]}
