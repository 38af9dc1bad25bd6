"""A loop with the original GAN paper's training procedure (Goodfellow et al. 2014, Algorithm 1 and
its public code): the tenth corpus loop, written independently of the others.

What differs from the other loops (all of which use Adam or RMSprop):

* **SGD with momentum** for both players; the momentum rises linearly from 0.5 to 0.7 over the
  first two thirds of the run, as in the paper's code (a ``beta1`` event sets it to its value
  instead and ends the ramp); the learning rate is the spec's times ``SGD_LR_SCALE`` (SGD needs
  rates ~50x Adam's: the spec's 5e-5 .. 2e-3 become 2.5e-3 .. 0.1, the paper used 0.1);
* a **maxout** discriminator (pieces ``MAXOUT_PIECES``) with dropout on its input (0.2) and hidden
  layer (0.5), graded with dropout on; a ReLU MLP generator;
* ``k`` = ``n_critic`` D steps per G step, each on a fresh minibatch; the minimax G loss
  mean log(1 - D(G(z))) (saturating) or the paper's suggested non-saturating -log D(G(z));
* D loss = -mean log D(x) - mean log(1 - D(G(z))) (a **sum** of two batch means), from logits.
Logged: ``d_loss``, ``d_loss_real``, ``d_loss_fake``, ``g_loss``, D's mean probability on the real
and fake batch of the last D step (``d_x``, ``d_g_z1``) and on G's batch (``d_g_z2``), gradient
norms, learning rates and, every check, the pairwise-distance ratio.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from ganalyze.corpus.record import Recorder, grad_norm, initial_check, pdist_ratio
from ganalyze.corpus.schedule import apply_events

SGD_LR_SCALE = 50.0
MAXOUT_PIECES = 4
MOMENTUM_START, MOMENTUM_END, MOMENTUM_RAMP = 0.5, 0.7, 2 / 3


class Maxout(nn.Module):
    def __init__(self, n_in: int, n_out: int, pieces: int = MAXOUT_PIECES):
        super().__init__()
        self.n_out, self.pieces = n_out, pieces
        self.lin = nn.Linear(n_in, n_out * pieces)

    def forward(self, x):
        return self.lin(x).view(x.shape[0], self.n_out, self.pieces).amax(-1)


def generator(nz: int, width: int, shape: tuple, image: bool) -> nn.Module:
    layers = [nn.Linear(nz, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(), nn.Linear(width, math.prod(shape))]
    if image:
        layers.append(nn.Tanh())
    return nn.Sequential(*layers, nn.Unflatten(1, tuple(shape)))


def discriminator(width: int, shape: tuple) -> nn.Module:
    """Maxout layers with dropout; outputs a logit (D's probability is its sigmoid)."""
    return nn.Sequential(nn.Flatten(), nn.Dropout(0.2), Maxout(math.prod(shape), width), nn.Dropout(0.5),
                         Maxout(width, width), nn.Dropout(0.5), nn.Linear(width, 1), nn.Flatten(0))


def momentum_at(step: int, steps: int) -> float:
    return MOMENTUM_START + (MOMENTUM_END - MOMENTUM_START) * min(1.0, step / max(1.0, MOMENTUM_RAMP * steps))


def run(spec, data, rec: Recorder) -> dict:
    torch.manual_seed(spec.seed)
    rng = torch.Generator().manual_seed(spec.seed)
    shape = tuple(data.sample_shape)
    G = generator(spec.latent_dim, spec.g_width, shape, len(shape) == 3)
    D = discriminator(spec.d_width, shape)
    opt_g = torch.optim.SGD(G.parameters(), lr=spec.lr_g * SGD_LR_SCALE, momentum=MOMENTUM_START, foreach=True)
    opt_d = torch.optim.SGD(D.parameters(), lr=spec.lr_d * SGD_LR_SCALE, momentum=MOMENTUM_START, foreach=True)
    valid = 1.0 - spec.label_smoothing
    d_score = lambda x: (D(x), "logit")  # noqa: E731
    initial_check(rec, G, D, d_score)
    bs = min(spec.batch_size, len(data.data))
    ramp = True
    for step in range(spec.steps):
        apply_events(spec.events, step, opt_d, opt_g, G)
        if any(e.kind == "beta1" and e.step <= step for e in spec.events):
            ramp = False
        if ramp:
            for opt in (opt_d, opt_g):
                for group in opt.param_groups:
                    group["momentum"] = momentum_at(step, spec.steps)
        for _ in range(spec.n_critic):
            real = data.data[torch.randint(len(data.data), (bs,), generator=rng)]
            with torch.no_grad():
                fake = G(torch.randn(bs, spec.latent_dim, generator=rng))
            real_logit, fake_logit = D(real), D(fake)
            loss_real = F.binary_cross_entropy_with_logits(real_logit, torch.full_like(real_logit, valid))
            loss_fake = F.binary_cross_entropy_with_logits(fake_logit, torch.zeros_like(fake_logit))
            opt_d.zero_grad()
            (loss_real + loss_fake).backward()
            gn_d = grad_norm(D.parameters())
            opt_d.step()
        fake = G(torch.randn(bs, spec.latent_dim, generator=rng))
        gen_logit = D(fake)
        if spec.loss == "minimax":     # minimise log(1 - D(G(z))) = -softplus(logit)
            g_loss = -F.softplus(gen_logit).mean()
        else:                          # maximise log D(G(z))
            g_loss = F.softplus(-gen_logit).mean()
        opt_g.zero_grad()
        g_loss.backward()
        gn_g = grad_norm(G.parameters())
        opt_g.step()
        row = dict(d_loss=(loss_real + loss_fake).detach(), d_loss_real=loss_real.detach(),
                   d_loss_fake=loss_fake.detach(), g_loss=g_loss.detach(),
                   d_x=torch.sigmoid(real_logit.detach()).mean(), d_g_z1=torch.sigmoid(fake_logit.detach()).mean(),
                   d_g_z2=torch.sigmoid(gen_logit.detach()).mean(), grad_norm_d=gn_d, grad_norm_g=gn_g,
                   lr_d=opt_d.param_groups[0]["lr"], lr_g=opt_g.param_groups[0]["lr"])
        if rec.due(step):
            row["div_pdist_ratio"] = pdist_ratio(fake, real)
        rec.log(step, **row)
        if rec.due(step):
            rec.check(step, G, D, d_score)
    return {"loss": spec.loss, "d_loss_reduction": "sum", "scores": "probability",
            "momentum": [MOMENTUM_START, MOMENTUM_END], "sgd_lr_scale": SGD_LR_SCALE,
            "native_columns": ["d_loss", "g_loss"]}
