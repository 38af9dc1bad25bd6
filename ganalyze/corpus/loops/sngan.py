"""A loop with SNGAN's conventions (Miyato et al. 2018; the eighth corpus loop), with conv nets.

What differs from the other loops:

* **convolutional** G and D on images (8-32 channels, then twice that), also on 28x28 MNIST (the other loops use MLPs there):
  G projects the noise to a 7x7 (MNIST) or 2x2 (8x8 digits) map and upsamples with transposed
  convolutions, batch norm and ReLU; D is strided convolutions and a linear head, LeakyReLU(0.1);
  MLPs for 2-D points;
* **spectral normalisation on every D layer** (``torch.nn.utils.parametrizations.spectral_norm``);
* hinge loss (D = E[relu(1 - D(x))] + E[relu(1 + D(G(z)))], a sum; G = -E[D(G(z))]) or the
  non-saturating BCE on logits; ``n_critic`` D steps per G step (5 drawn most often, as in SNGAN);
* **linear learning-rate decay** to 0 over the run for half the runs (drawn from the spec's seed),
  composed with the run's regime changes;
* G is trained on a fresh batch of twice the batch size (SNGAN's ``gen_batch_size = 2 x``).
Logged: ``d_loss``, ``d_loss_real``, ``d_loss_fake``, ``g_loss``, D's raw mean score (hinge) or
mean probability (nsgan) on the real and fake batch of its last step (``d_x``, ``d_g_z1``) and on
G's batch (``d_g_z2``), gradient norms, learning rates and, every check, the pairwise-distance ratio.
"""
from __future__ import annotations

import math
import random

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm

from ganalyze.corpus.record import Recorder, grad_norm, initial_check, pdist_ratio
from ganalyze.corpus.schedule import apply_events


def channels(width: int) -> int:
    """Conv channels from the drawn width: an eighth, 8..32 (28x28 convolutions on a shared CPU)."""
    return max(8, min(32, width // 8))


def generator(nz: int, width: int, shape: tuple) -> nn.Module:
    if len(shape) != 3:
        return nn.Sequential(nn.Linear(nz, width), nn.BatchNorm1d(width), nn.ReLU(),
                             nn.Linear(width, width), nn.BatchNorm1d(width), nn.ReLU(), nn.Linear(width, math.prod(shape)))
    ch = channels(width)
    base = 7 if shape[1] == 28 else 2
    return nn.Sequential(nn.Linear(nz, 2 * ch * base * base), nn.Unflatten(1, (2 * ch, base, base)),
                         nn.BatchNorm2d(2 * ch), nn.ReLU(),
                         nn.ConvTranspose2d(2 * ch, ch, 4, 2, 1), nn.BatchNorm2d(ch), nn.ReLU(),
                         nn.ConvTranspose2d(ch, shape[0], 4, 2, 1), nn.Tanh())


def discriminator(width: int, shape: tuple) -> nn.Module:
    sn = spectral_norm
    if len(shape) != 3:
        return nn.Sequential(nn.Flatten(), sn(nn.Linear(math.prod(shape), width)), nn.LeakyReLU(0.1),
                             sn(nn.Linear(width, width)), nn.LeakyReLU(0.1), sn(nn.Linear(width, 1)), nn.Flatten(0))
    ch = channels(width)
    side = shape[1] // 4
    return nn.Sequential(sn(nn.Conv2d(shape[0], ch, 4, 2, 1)), nn.LeakyReLU(0.1),
                         sn(nn.Conv2d(ch, 2 * ch, 4, 2, 1)), nn.LeakyReLU(0.1), nn.Flatten(),
                         sn(nn.Linear(2 * ch * side * side, 1)), nn.Flatten(0))


def run(spec, data, rec: Recorder) -> dict:
    torch.manual_seed(spec.seed)
    rng = torch.Generator().manual_seed(spec.seed)
    decay = random.Random(spec.seed).random() < 0.5
    shape = tuple(data.sample_shape)
    G = generator(spec.latent_dim, spec.g_width, shape)
    D = discriminator(spec.d_width, shape)
    hinge = spec.loss == "hinge"
    opt_g = torch.optim.Adam(G.parameters(), lr=spec.lr_g, betas=(spec.beta1, spec.beta2), foreach=True)
    opt_d = torch.optim.Adam(D.parameters(), lr=spec.lr_d, betas=(spec.beta1, spec.beta2), foreach=True)
    shown = (lambda t: t.mean()) if hinge else (lambda t: torch.sigmoid(t).mean())
    d_score = lambda x: (D(x), "critic" if hinge else "logit")  # noqa: E731
    initial_check(rec, G, D, d_score)
    bs = min(spec.batch_size, len(data.data))
    for step in range(spec.steps):
        apply_events(spec.events, step, opt_d, opt_g, G)
        for _ in range(spec.n_critic):
            real = data.data[torch.randint(len(data.data), (bs,), generator=rng)]
            with torch.no_grad():
                fake = G(torch.randn(bs, spec.latent_dim, generator=rng))
            real_out, fake_out = D(real), D(fake)
            if hinge:
                loss_real, loss_fake = F.relu(1 - real_out).mean(), F.relu(1 + fake_out).mean()
            else:
                loss_real = F.binary_cross_entropy_with_logits(real_out, torch.ones_like(real_out) * (1 - spec.label_smoothing))
                loss_fake = F.binary_cross_entropy_with_logits(fake_out, torch.zeros_like(fake_out))
            opt_d.zero_grad()
            (loss_real + loss_fake).backward()
            gn_d = grad_norm(D.parameters())
            opt_d.step()
        gen_out = D(G(torch.randn(2 * bs, spec.latent_dim, generator=rng)))
        g_loss = -gen_out.mean() if hinge else F.binary_cross_entropy_with_logits(gen_out, torch.ones_like(gen_out))
        opt_g.zero_grad()
        g_loss.backward()
        gn_g = grad_norm(G.parameters())
        opt_g.step()
        row = dict(d_loss=(loss_real + loss_fake).detach(), d_loss_real=loss_real.detach(), d_loss_fake=loss_fake.detach(),
                   g_loss=g_loss.detach(), d_x=shown(real_out.detach()), d_g_z1=shown(fake_out.detach()),
                   d_g_z2=shown(gen_out.detach()), grad_norm_d=gn_d, grad_norm_g=gn_g,
                   lr_d=opt_d.param_groups[0]["lr"], lr_g=opt_g.param_groups[0]["lr"])
        if rec.due(step):
            row["div_pdist_ratio"] = pdist_ratio(fake, real)
        rec.log(step, **row)
        if decay:        # linear decay to 0 at the last step, on top of whatever the events set
            left, before = spec.steps - step - 1, spec.steps - step
            for opt in (opt_d, opt_g):
                for group in opt.param_groups:
                    group["lr"] = group["lr"] * left / before
        if rec.due(step):
            rec.check(step, G, D, d_score)
    return {"loss": spec.loss, "d_loss_reduction": "sum", "scores": "critic" if hinge else "probability",
            "lr_decay": "linear" if decay else "none", "native_columns": ["d_loss", "g_loss", "d_x", "d_g_z1", "d_g_z2"]}
