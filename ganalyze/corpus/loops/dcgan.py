"""A GAN loop written like the PyTorch DCGAN tutorial (``examples/dcgan`` / the beginner tutorial).

Discriminator ends in ``nn.Sigmoid`` and is trained with ``nn.BCELoss``: ``errD_real.backward()``,
``errD_fake.backward()``, ``errD = errD_real + errD_fake`` (a **sum** of two batch means), then G
is trained on the same fake batch with labels "real" (non-saturating) or, for ``minimax``, by
minimising log(1 - D(G(z))) (saturating). Logged per iteration, as the tutorial prints:
Loss_D, Loss_G, D(x), D(G(z)) before / after the D step; plus gradient norms, learning rates and,
every ``check_every`` steps, the generated/real pairwise-distance ratio.
Models: MLPs with BatchNorm for 2-D points and MNIST; small conv nets for 8x8 digits (channels a
quarter of the drawn width). Adam with ``foreach=True`` (same maths, fewer kernel launches on the CPU).
"""
from __future__ import annotations

import torch
from torch import nn

from ganalyze.corpus.batches import EpochBatches
from ganalyze.corpus.record import Recorder, grad_norm, initial_check, pdist_ratio
from ganalyze.corpus.schedule import apply_events


def weights_init(m):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find("BatchNorm") != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


class Generator(nn.Module):
    def __init__(self, nz, width, shape):
        super().__init__()
        self.shape = shape
        if shape == (1, 8, 8):
            width = max(8, width // 4)       # conv channels: a quarter of the drawn MLP width
            self.main = nn.Sequential(
                nn.Unflatten(1, (nz, 1, 1)),
                nn.ConvTranspose2d(nz, width, 4, 1, 0, bias=False), nn.BatchNorm2d(width), nn.ReLU(True),
                nn.ConvTranspose2d(width, 1, 4, 2, 1, bias=False), nn.Tanh())
        else:
            out = 1
            for s in shape:
                out *= s
            layers = [nn.Linear(nz, width), nn.BatchNorm1d(width), nn.ReLU(True),
                      nn.Linear(width, width), nn.BatchNorm1d(width), nn.ReLU(True), nn.Linear(width, out)]
            if len(shape) == 3:
                layers.append(nn.Tanh())
            self.main = nn.Sequential(*layers)

    def forward(self, z):
        return self.main(z).view(z.shape[0], *self.shape)


class Discriminator(nn.Module):
    def __init__(self, width, shape):
        super().__init__()
        if shape == (1, 8, 8):
            width = max(8, width // 4)
            self.main = nn.Sequential(
                nn.Conv2d(1, width, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
                nn.Conv2d(width, width * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(width * 2),
                nn.LeakyReLU(0.2, inplace=True),
                nn.Conv2d(width * 2, 1, 2, 1, 0, bias=False), nn.Sigmoid())
        else:
            n_in = 1
            for s in shape:
                n_in *= s
            self.main = nn.Sequential(nn.Flatten(), nn.Linear(n_in, width), nn.LeakyReLU(0.2, inplace=True),
                                      nn.Linear(width, width), nn.LeakyReLU(0.2, inplace=True),
                                      nn.Linear(width, 1), nn.Sigmoid())

    def forward(self, x):
        return self.main(x).view(-1)


def run(spec, data, rec: Recorder) -> dict:
    torch.manual_seed(spec.seed)
    rng = torch.Generator().manual_seed(spec.seed)
    shape = data.sample_shape
    netG = Generator(spec.latent_dim, spec.g_width, shape)
    netD = Discriminator(spec.d_width, shape)
    netG.apply(weights_init)
    netD.apply(weights_init)
    criterion = nn.BCELoss()
    real_label, fake_label = 1.0 - spec.label_smoothing, 0.0
    optimizerD = torch.optim.Adam(netD.parameters(), lr=spec.lr_d, betas=(spec.beta1, spec.beta2), foreach=True)
    optimizerG = torch.optim.Adam(netG.parameters(), lr=spec.lr_g, betas=(spec.beta1, spec.beta2), foreach=True)
    d_score = lambda x: (netD(x), "probability")  # noqa: E731
    initial_check(rec, netG, netD, d_score)
    batches = EpochBatches(data.data, spec.batch_size, rng)
    bs = batches.batch_size

    def iteration(step):
        for _ in range(spec.n_critic):
            real = batches.next()
            # (1) Update D network: maximize log(D(x)) + log(1 - D(G(z)))
            netD.zero_grad()
            label = torch.full((bs,), real_label)
            output = netD(real)
            errD_real = criterion(output, label)
            errD_real.backward()
            D_x = output.mean()
            noise = torch.randn(bs, spec.latent_dim, generator=rng)
            fake = netG(noise)
            label.fill_(fake_label)
            output = netD(fake.detach())
            errD_fake = criterion(output, label)
            errD_fake.backward()
            D_G_z1 = output.mean()
            errD = errD_real + errD_fake
            gnorm_d = grad_norm(netD.parameters())
            optimizerD.step()
        # (2) Update G network
        netG.zero_grad()
        output = netD(fake)
        if spec.loss == "minimax":      # saturating: minimise log(1 - D(G(z))) = -BCE(D(G(z)), 0)
            errG = -criterion(output, torch.full((bs,), fake_label))
        else:                           # non-saturating: maximise log(D(G(z)))
            errG = criterion(output, torch.full((bs,), 1.0))
        errG.backward()
        D_G_z2 = output.mean()
        gnorm_g = grad_norm(netG.parameters())
        optimizerG.step()
        row = dict(epoch=batches.epoch, d_loss=errD, d_loss_real=errD_real, d_loss_fake=errD_fake, g_loss=errG,
                   d_x=D_x, d_g_z1=D_G_z1, d_g_z2=D_G_z2, grad_norm_d=gnorm_d, grad_norm_g=gnorm_g,
                   lr_d=optimizerD.param_groups[0]["lr"], lr_g=optimizerG.param_groups[0]["lr"])
        if rec.due(step):
            row["div_pdist_ratio"] = pdist_ratio(fake, real)
        rec.log(step, **row)

    crashed_at = None
    for step in range(spec.steps):
        apply_events(spec.events, step, optimizerD, optimizerG, netG)
        try:
            iteration(step)
        except RuntimeError:   # nn.BCELoss refuses NaN outputs: the run dies here, as the tutorial's would
            crashed_at = step
            rec.check(step, netG, netD, d_score)
            break
        if rec.due(step):
            rec.check(step, netG, netD, d_score)
    return {"loss": spec.loss, "d_loss_reduction": "sum", "scores": "probability", "crashed_at": crashed_at,
            "native_columns": ["d_loss", "g_loss", "d_x", "d_g_z1", "d_g_z2"]}
