"""A loop written like the single-file scripts of the popular "PyTorch-GAN" collection
(``implementations/gan``, ``lsgan``, ``wgan_gp``): the ninth corpus loop, written independently of
the others.

What differs from the other loops:

* **G is updated first, on the batch D is then trained on**: ``gen_imgs = G(z)``; G's loss on
  ``D(gen_imgs)``; G's step; then D's step on ``gen_imgs.detach()`` (the samples of the G from
  *before* its step) and the real batch;
* D loss = the **mean** of its real and fake parts (``(real_loss + fake_loss) / 2``), with
  ``nn.BCELoss`` on a Sigmoid output (nsgan) or ``nn.MSELoss`` on D's raw output (LSGAN);
* WGAN-GP as those scripts write it: D steps on every batch, **G only every ``n_critic``-th batch**,
  the logged D loss **includes** ``lambda_gp * gradient_penalty`` (lambda 10), and the G loss and
  D(G(z)) of G's step are the latest ones printed (carried between G steps, as a logger that prints
  its latest value);
* the scripts' networks: G = Linear blocks with ``BatchNorm1d(out, 0.8)`` (the second argument is
  **eps = 0.8**, a well-known quirk of those scripts, not momentum) and LeakyReLU(0.2), widening
  x2 per block; D = Linear + LeakyReLU(0.2) blocks, narrowing;
* Adam for both players with the spec's rates; batches are shuffled passes over the data (epochs).
Logged: ``epoch``, ``d_loss``, ``d_loss_real``, ``d_loss_fake``, ``g_loss``, D's mean output on the
real batch (``d_x``), on the fake batch in D's step (``d_g_z1``) and in G's step (``d_g_z2``),
gradient norms, learning rates, ``gradient_penalty`` (WGAN-GP) and, every check, the
pairwise-distance ratio.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from ganalyze.corpus.batches import EpochBatches
from ganalyze.corpus.loops.critic import gradient_penalty  # the same penalty (lambda below), the same draws
from ganalyze.corpus.record import Recorder, grad_norm, initial_check, pdist_ratio
from ganalyze.corpus.schedule import apply_events

LAMBDA_GP = 10.0


def generator(nz: int, width: int, shape: tuple, image: bool) -> nn.Module:
    """Two widening blocks (width, 2 * width), the first without batch norm, as the scripts' G."""
    def block(n_in, n_out, normalize=True):
        layers = [nn.Linear(n_in, n_out)]
        if normalize:
            layers.append(nn.BatchNorm1d(n_out, 0.8))
        layers.append(nn.LeakyReLU(0.2))
        return layers

    layers = [*block(nz, width, normalize=False), *block(width, 2 * width), nn.Linear(2 * width, math.prod(shape))]
    if image:
        layers.append(nn.Tanh())
    return nn.Sequential(*layers, nn.Unflatten(1, tuple(shape)))


def discriminator(width: int, shape: tuple, sigmoid: bool) -> nn.Module:
    layers = [nn.Flatten(), nn.Linear(math.prod(shape), 2 * width), nn.LeakyReLU(0.2),
              nn.Linear(2 * width, width), nn.LeakyReLU(0.2), nn.Linear(width, 1)]
    if sigmoid:
        layers.append(nn.Sigmoid())
    return nn.Sequential(*layers, nn.Flatten(0))


def run(spec, data, rec: Recorder) -> dict:
    torch.manual_seed(spec.seed)
    rng = torch.Generator().manual_seed(spec.seed)
    shape = tuple(data.sample_shape)
    wgan, lsgan = spec.loss == "wgan-gp", spec.loss == "lsgan"
    G = generator(spec.latent_dim, spec.g_width, shape, len(shape) == 3)
    D = discriminator(spec.d_width, shape, sigmoid=not (wgan or lsgan))
    opt_g = torch.optim.Adam(G.parameters(), lr=spec.lr_g, betas=(spec.beta1, spec.beta2), foreach=True)
    opt_d = torch.optim.Adam(D.parameters(), lr=spec.lr_d, betas=(spec.beta1, spec.beta2), foreach=True)
    valid = 1.0 - spec.label_smoothing
    n_critic = spec.n_critic if wgan else 1   # the nsgan / LSGAN scripts update both players every batch

    def adversarial(out, target: float):
        if lsgan:
            return F.mse_loss(out, torch.full_like(out, target))
        return F.binary_cross_entropy(out, torch.full_like(out, target))

    kind = "critic" if wgan else ("lsgan" if lsgan else "probability")
    d_score = lambda x: (D(x), kind)  # noqa: E731
    initial_check(rec, G, D, d_score)
    batches = EpochBatches(data.data, spec.batch_size, rng)
    bs = batches.batch_size
    last_g: dict = {}
    crashed_at = None
    for step in range(spec.steps):
        apply_events(spec.events, step, opt_d, opt_g, G)
        real = batches.next()
        try:
            gen = G(torch.randn(bs, spec.latent_dim, generator=rng))
            if not wgan:
                # Train Generator (first, on the batch D then sees)
                g_out = D(gen)
                g_loss = adversarial(g_out, 1.0)
                opt_g.zero_grad()
                g_loss.backward()
                last_g = dict(g_loss=g_loss.detach(), d_g_z2=g_out.detach().mean(), grad_norm_g=grad_norm(G.parameters()))
                opt_g.step()
                # Train Discriminator
                real_out, fake_out = D(real), D(gen.detach())
                real_loss, fake_loss = adversarial(real_out, valid), adversarial(fake_out, 0.0)
                d_loss = (real_loss + fake_loss) / 2
                opt_d.zero_grad()
                d_loss.backward()
                gn_d = grad_norm(D.parameters())
                opt_d.step()
                penalty = None
            else:
                real_out, fake_out = D(real), D(gen.detach())
                real_loss, fake_loss = -real_out.mean(), fake_out.mean()
                penalty = gradient_penalty(D, real, gen.detach(), rng)
                d_loss = real_loss + fake_loss + LAMBDA_GP * penalty
                opt_d.zero_grad()
                d_loss.backward()
                gn_d = grad_norm(D.parameters())
                opt_d.step()
                if step % n_critic == 0:
                    gen = G(torch.randn(bs, spec.latent_dim, generator=rng))
                    g_out = D(gen)
                    g_loss = -g_out.mean()
                    opt_g.zero_grad()
                    g_loss.backward()
                    last_g = dict(g_loss=g_loss.detach(), d_g_z2=g_out.detach().mean(),
                                  grad_norm_g=grad_norm(G.parameters()))
                    opt_g.step()
        except RuntimeError:     # nn.BCELoss refuses NaN outputs: the script dies here
            crashed_at = step
            rec.check(step, G, D, d_score)
            break
        row = dict(epoch=batches.epoch, d_loss=d_loss.detach(), d_loss_real=real_loss.detach(),
                   d_loss_fake=fake_loss.detach(), d_x=real_out.detach().mean(), d_g_z1=fake_out.detach().mean(),
                   grad_norm_d=gn_d, lr_d=opt_d.param_groups[0]["lr"], lr_g=opt_g.param_groups[0]["lr"], **last_g)
        if penalty is not None:
            row["gradient_penalty"] = penalty.detach()
        if rec.due(step):
            row["div_pdist_ratio"] = pdist_ratio(gen, real)
        rec.log(step, **row)
        if rec.due(step):
            rec.check(step, G, D, d_score)
    # LSGAN's raw output and the WGAN critic have no probability: labelled with the critic rules
    return {"loss": spec.loss, "d_loss_reduction": "sum" if wgan else "mean", "scores": "probability" if kind == "probability" else "critic",
            "crashed_at": crashed_at, "native_columns": ["d_loss", "g_loss"]}
