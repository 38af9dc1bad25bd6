"""A critic loop: WGAN-GP (Gulrajani et al. 2017) and hinge (Miyato et al. 2018), Adam or RMSprop.

Each iteration trains the critic ``n_critic`` times (5 in the WGAN-GP paper), then G once. The
critic is an MLP without normalisation (layer norm is allowed by WGAN-GP; batch norm is not).
Logged: ``d_loss`` = the critic loss without the penalty (WGAN: E[C(G(z))] - E[C(x)], i.e. minus the
Wasserstein estimate; hinge: E[relu(1 - C(x))] + E[relu(1 + C(G(z)))], a sum), the penalty as
``gradient_penalty``, ``g_loss`` = -E[C(G(z))], raw critic means as ``d_x`` / ``d_g_z1`` / ``d_g_z2``
(scores = critic), gradient norms, learning rates, and the pairwise-distance ratio every check.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ganalyze.corpus.record import Recorder, grad_norm, initial_check, pdist_ratio
from ganalyze.corpus.schedule import apply_events

GP_WEIGHT = 10.0


def mlp(n_in: int, width: int, n_out: int, act) -> nn.Sequential:
    return nn.Sequential(nn.Linear(n_in, width), act(), nn.Linear(width, width), act(), nn.Linear(width, n_out))


def gradient_penalty(critic, real, fake, rng):
    alpha = torch.rand(real.shape[0], *([1] * (real.dim() - 1)), generator=rng)
    mix = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(mix).sum(), mix, create_graph=True)
    return (grad.flatten(1).norm(dim=1) - 1).square().mean()


def run(spec, data, rec: Recorder) -> dict:
    torch.manual_seed(spec.seed)
    rng = torch.Generator().manual_seed(spec.seed)
    shape, dim = data.sample_shape, data.flat_dim
    image = len(shape) == 3
    gen_body = mlp(spec.latent_dim, spec.g_width, dim, nn.ReLU)
    G = nn.Sequential(gen_body, *( [nn.Tanh()] if image else []), nn.Unflatten(1, tuple(shape)))
    C = nn.Sequential(nn.Flatten(), mlp(dim, spec.d_width, 1, lambda: nn.LeakyReLU(0.2)), nn.Flatten(0))
    if spec.optimizer == "rmsprop":
        opt_c = torch.optim.RMSprop(C.parameters(), lr=spec.lr_d, foreach=True)
        opt_g = torch.optim.RMSprop(G.parameters(), lr=spec.lr_g, foreach=True)
    else:
        opt_c = torch.optim.Adam(C.parameters(), lr=spec.lr_d, betas=(spec.beta1, spec.beta2), foreach=True)
        opt_g = torch.optim.Adam(G.parameters(), lr=spec.lr_g, betas=(spec.beta1, spec.beta2), foreach=True)
    bs = min(spec.batch_size, len(data.data))
    d_score = lambda x: (C(x), "critic")  # noqa: E731
    initial_check(rec, G, C, d_score)
    for step in range(spec.steps):
        apply_events(spec.events, step, opt_c, opt_g, G)
        for i in range(spec.n_critic):
            real = data.data[torch.randint(len(data.data), (bs,), generator=rng)]
            fake = G(torch.randn(bs, spec.latent_dim, generator=rng)).detach()
            c_real, c_fake = C(real), C(fake)
            if i == 0:
                c_fake_before = c_fake.detach().mean()
            if spec.loss == "hinge":
                loss_real, loss_fake = F.relu(1 - c_real).mean(), F.relu(1 + c_fake).mean()
                penalty = torch.zeros(())
            else:
                loss_real, loss_fake = -c_real.mean(), c_fake.mean()
                penalty = gradient_penalty(C, real, fake, rng)
            opt_c.zero_grad()
            (loss_real + loss_fake + GP_WEIGHT * penalty).backward()
            gn_c = grad_norm(C.parameters())
            opt_c.step()
        fake = G(torch.randn(bs, spec.latent_dim, generator=rng))
        c_gen = C(fake)
        g_loss = -c_gen.mean()
        opt_g.zero_grad()
        g_loss.backward()
        gn_g = grad_norm(G.parameters())
        opt_g.step()
        row = dict(d_loss=loss_real + loss_fake, d_loss_real=loss_real, d_loss_fake=loss_fake, g_loss=g_loss,
                   d_x=c_real.detach().mean(), d_g_z1=c_fake_before, d_g_z2=c_gen.detach().mean(),
                   grad_norm_d=gn_c, grad_norm_g=gn_g, lr_d=opt_c.param_groups[0]["lr"], lr_g=opt_g.param_groups[0]["lr"])
        if spec.loss == "wgan-gp":
            row["gradient_penalty"] = penalty.detach()
        if rec.due(step):
            row["div_pdist_ratio"] = pdist_ratio(fake, real)
        rec.log(step, **row)
        if rec.due(step):
            rec.check(step, G, C, d_score)
    return {"loss": spec.loss, "d_loss_reduction": "sum", "scores": "critic",
            "native_columns": ["d_loss", "g_loss", "gradient_penalty", "grad_norm_d", "grad_norm_g"]}
