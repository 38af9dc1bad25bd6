"""A GAN loop with a different discriminator design and a mean-reduced D loss.

``d_design``:
``pac2``      PacGAN (Lin et al. 2018): D judges packs of 2 samples concatenated (batch halves);
``spectral``  spectral normalisation on every linear layer (Miyato et al. 2018);
``dropout``   dropout 0.3 after each hidden layer (as in ganhacks' "use dropout in D");
``minibatch`` a minibatch-stddev feature (Karras et al. 2018) appended before the last layer.

Losses on D's logits: ``nsgan``/``minimax`` (BCE with logits; minimax G minimises
log(1 - D(G(z)))) and ``lsgan`` (least squares, targets 1/0). The logged ``d_loss`` is the **mean**
of the real and fake terms (``0.5 * (real + fake)``, as many repositories write it), ``d_fake``
is D's output on the fake batch *after* the D update (what G's step sees), and there is no
"before" value. G and D are MLPs of the drawn widths (images are flattened).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm

from ganalyze.corpus.record import Recorder, grad_norm, initial_check, pdist_ratio
from ganalyze.corpus.schedule import apply_events


class MinibatchStd(nn.Module):
    def forward(self, h):
        std = h.std(0, unbiased=False).mean().expand(h.shape[0], 1)
        return torch.cat([h, std], 1)


def make_generator(nz: int, width: int, shape) -> nn.Module:
    out = 1
    for s in shape:
        out *= s
    layers = [nn.Linear(nz, width), nn.LeakyReLU(0.2), nn.Linear(width, width), nn.LeakyReLU(0.2), nn.Linear(width, out)]
    if len(shape) == 3:
        layers.append(nn.Tanh())
    layers.append(nn.Unflatten(1, tuple(shape)))
    return nn.Sequential(*layers)


def make_discriminator(width: int, shape, design: str) -> tuple[nn.Module, int]:
    n_in = 1
    for s in shape:
        n_in *= s
    pack = 2 if design == "pac2" else 1
    lin = (lambda a, b: spectral_norm(nn.Linear(a, b))) if design == "spectral" else nn.Linear
    drop = [nn.Dropout(0.3)] if design == "dropout" else []
    layers = [nn.Flatten(), lin(n_in * pack, width), nn.LeakyReLU(0.2), *drop,
              lin(width, width), nn.LeakyReLU(0.2), *drop]
    if design == "minibatch":
        layers += [MinibatchStd(), nn.Linear(width + 1, 1)]
    else:
        layers.append(lin(width, 1))
    return nn.Sequential(*layers), pack


def run(spec, data, rec: Recorder) -> dict:
    torch.manual_seed(spec.seed)
    gen_rng = torch.Generator().manual_seed(spec.seed)
    shape = data.sample_shape
    G = make_generator(spec.latent_dim, spec.g_width, shape)
    D, pack = make_discriminator(spec.d_width, shape, spec.d_design)
    opt_d = torch.optim.Adam(D.parameters(), lr=spec.lr_d, betas=(spec.beta1, spec.beta2), foreach=True)
    opt_g = torch.optim.Adam(G.parameters(), lr=spec.lr_g, betas=(spec.beta1, spec.beta2), foreach=True)
    bs = max(2, min(spec.batch_size, len(data.data)) // pack * pack)

    def packed(x):                      # (B, ...) -> (B / pack, pack * dim): PacGAN's concatenation
        return x.reshape(x.shape[0] // pack, -1)

    def d_score(x):
        out = D(packed(x[: x.shape[0] // pack * pack])).view(-1)
        return out, ("lsgan" if spec.loss == "lsgan" else "logit")

    def d_terms(real_out, fake_out):
        if spec.loss == "lsgan":
            return F.mse_loss(real_out, torch.ones_like(real_out)), F.mse_loss(fake_out, torch.zeros_like(fake_out))
        smooth = torch.full_like(real_out, 1.0 - spec.label_smoothing)
        return (F.binary_cross_entropy_with_logits(real_out, smooth),
                F.binary_cross_entropy_with_logits(fake_out, torch.zeros_like(fake_out)))

    def g_objective(fake_out):
        if spec.loss == "lsgan":
            return F.mse_loss(fake_out, torch.ones_like(fake_out))
        if spec.loss == "minimax":
            return -F.softplus(fake_out).mean()          # E[log(1 - sigmoid(l))]
        return F.binary_cross_entropy_with_logits(fake_out, torch.ones_like(fake_out))

    def as_score(out):
        return out if spec.loss == "lsgan" else torch.sigmoid(out)

    initial_check(rec, G, D, d_score)
    for step in range(spec.steps):
        apply_events(spec.events, step, opt_d, opt_g, G)
        for _ in range(spec.n_critic):
            idx = torch.randint(len(data.data), (bs,), generator=gen_rng)
            real = data.data[idx]
            fake = G(torch.randn(bs, spec.latent_dim, generator=gen_rng))
            loss_real, loss_fake = d_terms(D(packed(real)).view(-1), D(packed(fake.detach())).view(-1))
            d_loss = 0.5 * (loss_real + loss_fake)
            opt_d.zero_grad()
            d_loss.backward()
            gn_d = grad_norm(D.parameters())
            opt_d.step()
        fake_out = D(packed(fake)).view(-1)
        g_loss = g_objective(fake_out)
        opt_g.zero_grad()
        g_loss.backward()
        gn_g = grad_norm(G.parameters())
        opt_g.step()
        with torch.no_grad():
            d_x = as_score(D(packed(real)).view(-1)).mean()
        row = dict(d_loss=d_loss, d_loss_real=loss_real, d_loss_fake=loss_fake, g_loss=g_loss, d_x=d_x,
                   d_g_z2=as_score(fake_out.detach()).mean(), grad_norm_d=gn_d, grad_norm_g=gn_g,
                   lr_d=opt_d.param_groups[0]["lr"], lr_g=opt_g.param_groups[0]["lr"])
        if rec.due(step):
            row["div_pdist_ratio"] = pdist_ratio(fake, real)
        rec.log(step, **row)
        if rec.due(step):
            rec.check(step, G, D, d_score)
    return {"loss": spec.loss, "d_loss_reduction": "mean",
            "scores": "critic" if spec.loss == "lsgan" else "probability",
            "native_columns": ["d_loss", "g_loss", "d_x", "d_g_z2", "grad_norm_d", "grad_norm_g"]}
