"""A loop with the original WGAN's procedure (Arjovsky et al. 2017, Algorithm 1 and its public
PyTorch code): the eleventh corpus loop, written independently of the others.

What differs from the other loops:

* the critic is kept Lipschitz by **weight clipping** (every critic parameter clamped to
  [-``CLIP``, ``CLIP``] before each critic step), not by a gradient penalty or spectral norm, so
  its outputs and the logged losses are small numbers (order 1e-3 .. 1e-1, not 1 .. 100);
* **RMSprop** for both players (the paper: momentum-based optimisers made the critic unstable);
* the critic is trained ``WARM_CRITIC_ITERS`` = 100 times per G step for the first
  ``WARM_G_ITERS`` = 25 G steps and on every ``BURST_EVERY``-th G step, else ``n_critic`` times
  (the code's ``Diters``), so the critic loss jumps every 500 steps;
* the code's MLP networks: four linear layers with ReLU in both, **no tanh** at G's output (its
  samples are unbounded also on images), the critic's score is its raw output.

Logged once per G step (the code prints per G iteration): ``d_loss`` = E[C(G(z))] - E[C(x)] of the
last critic step (the code's ``Loss_D`` = errD_real - errD_fake with its critic sign flipped, so
real data scores high here as in the other critic loops; minus the Wasserstein estimate),
``d_loss_real`` = -E[C(x)] (the code's ``Loss_D_real``), ``d_loss_fake`` = E[C(G(z))] (minus its
``Loss_D_fake``), ``g_loss`` = -E[C(G(z))] (its ``Loss_G``), the raw critic means ``d_x`` /
``d_g_z1`` (fake batch, first critic step) / ``d_g_z2`` (G's batch), gradient norms, learning rates
and, every check, the pairwise-distance ratio. No penalty column: there is none. The loss type is
declared ``wgan-gp``, the only critic loss of that form ganalyze knows (its levels: no equilibrium,
critic scores).
"""
from __future__ import annotations

import math

import torch
from torch import nn

from ganalyze.corpus.record import Recorder, grad_norm, initial_check, pdist_ratio
from ganalyze.corpus.schedule import apply_events

CLIP = 0.01
WARM_CRITIC_ITERS, WARM_G_ITERS, BURST_EVERY = 100, 25, 500


def mlp(n_in: int, width: int, n_out: int) -> nn.Sequential:
    """The code's MLP_G / MLP_D body: four linear layers, ReLU between them."""
    return nn.Sequential(nn.Linear(n_in, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(),
                         nn.Linear(width, width), nn.ReLU(), nn.Linear(width, n_out))


def critic_iters(g_step: int, n_critic: int) -> int:
    """How many critic steps precede G step ``g_step`` (the code's ``Diters``)."""
    return WARM_CRITIC_ITERS if g_step < WARM_G_ITERS or g_step % BURST_EVERY == 0 else n_critic


def run(spec, data, rec: Recorder) -> dict:
    torch.manual_seed(spec.seed)
    rng = torch.Generator().manual_seed(spec.seed)
    shape = tuple(data.sample_shape)
    G = nn.Sequential(mlp(spec.latent_dim, spec.g_width, math.prod(shape)), nn.Unflatten(1, shape))
    C = nn.Sequential(nn.Flatten(), mlp(math.prod(shape), spec.d_width, 1), nn.Flatten(0))
    opt_c = torch.optim.RMSprop(C.parameters(), lr=spec.lr_d, foreach=True)
    opt_g = torch.optim.RMSprop(G.parameters(), lr=spec.lr_g, foreach=True)
    bs = min(spec.batch_size, len(data.data))
    d_score = lambda x: (C(x), "critic")  # noqa: E731
    initial_check(rec, G, C, d_score)
    for step in range(spec.steps):
        apply_events(spec.events, step, opt_c, opt_g, G)
        for i in range(critic_iters(step, spec.n_critic)):
            with torch.no_grad():
                for p in C.parameters():
                    p.clamp_(-CLIP, CLIP)
            real = data.data[torch.randint(len(data.data), (bs,), generator=rng)]
            with torch.no_grad():
                fake = G(torch.randn(bs, spec.latent_dim, generator=rng))
            c_real, c_fake = C(real), C(fake)
            if i == 0:
                c_fake_before = c_fake.detach().mean()
            loss_real, loss_fake = -c_real.mean(), c_fake.mean()
            opt_c.zero_grad()
            (loss_real + loss_fake).backward()
            gn_c = grad_norm(C.parameters())
            opt_c.step()
        fake = G(torch.randn(bs, spec.latent_dim, generator=rng))
        c_gen = C(fake)
        g_loss = -c_gen.mean()
        opt_g.zero_grad()
        g_loss.backward()
        gn_g = grad_norm(G.parameters())
        opt_g.step()
        row = dict(d_loss=(loss_real + loss_fake).detach(), d_loss_real=loss_real.detach(),
                   d_loss_fake=loss_fake.detach(), g_loss=g_loss.detach(), d_x=c_real.detach().mean(),
                   d_g_z1=c_fake_before, d_g_z2=c_gen.detach().mean(), grad_norm_d=gn_c, grad_norm_g=gn_g,
                   lr_d=opt_c.param_groups[0]["lr"], lr_g=opt_g.param_groups[0]["lr"])
        if rec.due(step):
            row["div_pdist_ratio"] = pdist_ratio(fake, real)
        rec.log(step, **row)
        if rec.due(step):
            rec.check(step, G, C, d_score)
    return {"loss": spec.loss, "d_loss_reduction": "sum", "scores": "critic", "lipschitz": f"weight clipping {CLIP}",
            "critic_iters": [WARM_CRITIC_ITERS, WARM_G_ITERS, BURST_EVERY],
            "native_columns": ["d_loss", "g_loss", "d_loss_real", "d_loss_fake"]}
