"""A loop with StyleGAN2-ADA's training conventions (``training/loss.py`` / ``training_loop.py``),
on small MLPs: the sixth corpus loop, written independently of the others.

What differs from the other loops:

* **G is updated first**, then D (StyleGAN2's phase order Gmain, Dmain, Dreg), each on fresh noise;
* the non-saturating loss in softplus form: D loss = softplus(D(G(z))) + softplus(-D(x)) (a **sum**
  of two batch means; StyleGAN2's ``Loss/D/loss``), G loss = softplus(-D(G(z))); or the hinge loss
  (BigGAN) with raw critic scores;
* **lazy R1 regularisation**: every ``R1_INTERVAL`` steps an extra D step on
  ``gamma / 2 * |grad_x D(x)|^2 * R1_INTERVAL`` (gamma drawn per run from the spec's seed), logged as
  ``gradient_penalty`` on those steps only (NaN between);
* the **exponential moving average of G** (``G_ema``; ``ema_kimg`` 10 with ramp-up 0.05) is what
  the ground truth measures, as StyleGAN's metrics do: the samples a user looks at lag the
  generator being trained;
* logged: ``d_loss``, ``d_loss_real``, ``d_loss_fake``, ``g_loss``, D's mean probability (nsgan) or
  raw score (hinge) on the real and fake batch of D's step (``d_x``, ``d_g_z1``) and on G's batch
  before D's step (``d_g_z2`` is not logged: G moves before D here), gradient norms, learning rates,
  the pairwise-distance ratio (of ``G_ema``'s samples) every check.
"""
from __future__ import annotations

import copy
import random

import torch
import torch.nn.functional as F
from torch import nn

from ganalyze.corpus.record import Recorder, grad_norm, initial_check, pdist_ratio
from ganalyze.corpus.schedule import apply_events

R1_INTERVAL = 16
EMA_KIMG, EMA_RAMPUP = 10.0, 0.05


def mlp(n_in: int, width: int, n_out: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(n_in, width), nn.LeakyReLU(0.2), nn.Linear(width, width), nn.LeakyReLU(0.2),
                         nn.Linear(width, width), nn.LeakyReLU(0.2), nn.Linear(width, n_out))


def r1_penalty(D, real: torch.Tensor) -> torch.Tensor:
    real = real.detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(D(real).sum(), real, create_graph=True)
    return grad.flatten(1).square().sum(1).mean()


def run(spec, data, rec: Recorder) -> dict:
    torch.manual_seed(spec.seed)
    rng = torch.Generator().manual_seed(spec.seed)
    gamma = 10 ** random.Random(spec.seed).uniform(-1.5, 1.0)        # R1 weight, 0.03 .. 10
    shape, dim = tuple(data.sample_shape), data.flat_dim
    image = len(shape) == 3
    G = nn.Sequential(mlp(spec.latent_dim, spec.g_width, dim), *([nn.Tanh()] if image else []), nn.Unflatten(1, shape))
    D = nn.Sequential(nn.Flatten(), mlp(dim, spec.d_width, 1), nn.Flatten(0))
    G_ema = copy.deepcopy(G).eval().requires_grad_(False)
    opt_g = torch.optim.Adam(G.parameters(), lr=spec.lr_g, betas=(spec.beta1, spec.beta2), foreach=True)
    opt_d = torch.optim.Adam(D.parameters(), lr=spec.lr_d, betas=(spec.beta1, spec.beta2), foreach=True)
    hinge = spec.loss == "hinge"
    kind = "critic" if hinge else "logit"
    d_score = lambda x: (D(x), kind)  # noqa: E731
    shown = (lambda t: t.mean()) if hinge else (lambda t: torch.sigmoid(t).mean())
    initial_check(rec, G_ema, D, d_score)
    bs = min(spec.batch_size, len(data.data))
    for step in range(spec.steps):
        apply_events(spec.events, step, opt_d, opt_g, G)
        # Gmain: maximise D(G(z)) (softplus(-D(G(z))); hinge: -D(G(z)))
        gen_logits = D(G(torch.randn(bs, spec.latent_dim, generator=rng)))
        g_loss = -gen_logits.mean() if hinge else F.softplus(-gen_logits).mean()
        opt_g.zero_grad()
        g_loss.backward()
        gn_g = grad_norm(G.parameters())
        opt_g.step()
        # Dmain, n_critic times
        for _ in range(spec.n_critic):
            real = data.data[torch.randint(len(data.data), (bs,), generator=rng)]
            with torch.no_grad():
                fake = G(torch.randn(bs, spec.latent_dim, generator=rng))
            real_logits, fake_logits = D(real), D(fake)
            if hinge:
                loss_real, loss_fake = F.relu(1 - real_logits).mean(), F.relu(1 + fake_logits).mean()
            else:
                loss_real, loss_fake = F.softplus(-real_logits).mean(), F.softplus(fake_logits).mean()
            opt_d.zero_grad()
            (loss_real + loss_fake).backward()
            gn_d = grad_norm(D.parameters())
            opt_d.step()
        row = dict(d_loss=(loss_real + loss_fake).detach(), d_loss_real=loss_real, d_loss_fake=loss_fake,
                   g_loss=g_loss, d_x=shown(real_logits.detach()), d_g_z1=shown(fake_logits.detach()),
                   grad_norm_d=gn_d, grad_norm_g=gn_g, lr_d=opt_d.param_groups[0]["lr"], lr_g=opt_g.param_groups[0]["lr"])
        # Dreg: lazy R1 on real data
        if step % R1_INTERVAL == 0:
            penalty = r1_penalty(D, real)
            opt_d.zero_grad()
            (penalty * (gamma / 2) * R1_INTERVAL).backward()
            opt_d.step()
            row["gradient_penalty"] = penalty.detach()
        # G_ema, with StyleGAN2-ADA's ramp-up of the averaging horizon
        ema_nimg = min(EMA_KIMG * 1000, (step + 1) * bs * EMA_RAMPUP)
        beta = 0.5 ** (bs / max(ema_nimg, 1e-8))
        with torch.no_grad():
            for p_ema, p in zip(G_ema.parameters(), G.parameters()):
                p_ema.lerp_(p, 1 - beta)
        if rec.due(step):
            with torch.no_grad():
                row["div_pdist_ratio"] = pdist_ratio(G_ema(torch.randn(bs, spec.latent_dim, generator=rng)), real)
        rec.log(step, **row)
        if rec.due(step):
            rec.check(step, G_ema, D, d_score)
    return {"loss": spec.loss, "d_loss_reduction": "sum", "scores": "critic" if hinge else "probability",
            "r1_gamma": gamma, "native_columns": ["d_loss", "g_loss", "gradient_penalty", "d_x", "d_g_z1"]}
