"""The seed architectures, rebuilt from a plain ``arch`` dict (the checkpoint's ``arch`` entry).

Conventions (docs/ARCHITECTURE.md):

- Generators map ``(N, latent_dim)`` noise to ``(N, C, H, W)`` images in ``[-1, 1]`` (Tanh), or to
  ``(N, 2)`` points for ``mlp2d`` (no output activation: ring8 lives at radius 2).
- Discriminators return the **raw** output, shape ``(N,)``: a logit for the BCE losses (the seeds
  end in ``nn.Sigmoid``; we drop it and use ``binary_cross_entropy_with_logits``, which is the same
  maths without the ``log(0)`` overflow), a critic value for wgan-gp / hinge / lsgan.

Architectures:

``mlp``      [practitioner-loss-curves]. G: latent-256-512-1024-784, LeakyReLU(0.2), Tanh. D: 784-512-256-1, LeakyReLU(0.2).
``dcgan28``  [mnist-gan-blog]. G: ConvT 100->256 (4x4) ->128 (8x8) ->64 (16x16) ->1 (28x28, k4 s2 p3),
             BatchNorm+ReLU, Tanh. D: Conv 1->64 (14) ->128 (7) ->256 (3) ->1 (k3), BatchNorm (also on
             the first layer, as the seed) + LeakyReLU(0.2).
``dcgan64``  [dcgan-tutorial] (ngf = ndf = 64, nc = 1): 64x64 digits.
``mlp2d``    ring8 testbed (Metz et al. 2016 style): G latent-128-128-2 ReLU; D 2-128-128-1 LeakyReLU(0.2).
"""
from __future__ import annotations

from torch import nn

from ganalyze.errors import GanalyzeError
from ganalyze.validate import validate_arch

ARCH_NAMES = ("mlp", "dcgan28", "dcgan64", "mlp2d")

_DEFAULTS = {
    "mlp": {"latent_dim": 100, "img_shape": [1, 28, 28]},
    "dcgan28": {"latent_dim": 100, "img_shape": [1, 28, 28]},
    "dcgan64": {"latent_dim": 100, "img_shape": [1, 64, 64], "ngf": 64, "ndf": 64},
    "mlp2d": {"latent_dim": 16, "img_shape": [2], "hidden": 128},
}


def arch_spec(name: str, **overrides) -> dict:
    """The full ``arch`` dict for ``name`` (defaults filled in), as stored in checkpoints."""
    if name not in _DEFAULTS:
        raise GanalyzeError(f"arch: got {name!r}; expected one of {', '.join(ARCH_NAMES)}")
    spec = {"name": name, **_DEFAULTS[name]}
    spec.update({k: v for k, v in overrides.items() if v is not None})
    spec["img_shape"] = [int(s) for s in spec["img_shape"]]
    return spec


def _spec(arch: dict | str) -> dict:
    if isinstance(arch, str):
        return arch_spec(arch)
    if not isinstance(arch, dict) or "name" not in arch:
        raise GanalyzeError(f"arch: got {arch!r}; expected a dict with a 'name' in {', '.join(ARCH_NAMES)}")
    validate_arch(arch)   # types and size limits before any layer is allocated
    extra = {k: v for k, v in arch.items() if k != "name"}
    return arch_spec(arch["name"], **extra)


class Reshape(nn.Module):
    """``x.view(N, *shape)`` as a module, so generators stay one ``nn.Sequential``."""

    def __init__(self, *shape: int):
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x):
        return x.view(x.shape[0], *self.shape)

    def extra_repr(self) -> str:
        return f"shape={self.shape}"


class Squeeze(nn.Module):
    """Flatten the discriminator's ``(N, 1[, 1, 1])`` output to ``(N,)``."""

    def forward(self, x):
        return x.reshape(x.shape[0])


def build_generator(arch: dict | str) -> nn.Module:
    """The generator for ``arch`` (dict with ``name`` and optional ``latent_dim``/``img_shape``...)."""
    s = _spec(arch)
    z = int(s["latent_dim"])
    name = s["name"]
    if name == "mlp":
        out = 1
        for d in s["img_shape"]:
            out *= d
        return nn.Sequential(
            nn.Linear(z, 256), nn.LeakyReLU(0.2),
            nn.Linear(256, 512), nn.LeakyReLU(0.2),
            nn.Linear(512, 1024), nn.LeakyReLU(0.2),
            nn.Linear(1024, out), nn.Tanh(),
            Reshape(*s["img_shape"]),
        )
    if name == "dcgan28":
        _check_shape(s, 28)
        c = s["img_shape"][0]
        return nn.Sequential(
            Reshape(z, 1, 1),
            nn.ConvTranspose2d(z, 256, 4, 1, 0, bias=False), nn.BatchNorm2d(256), nn.ReLU(True),
            nn.ConvTranspose2d(256, 128, 4, 2, 1, bias=False), nn.BatchNorm2d(128), nn.ReLU(True),
            nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(True),
            nn.ConvTranspose2d(64, c, 4, 2, 3, bias=False), nn.Tanh(),
        )
    if name == "dcgan64":
        _check_shape(s, 64)
        c, ngf = s["img_shape"][0], int(s["ngf"])
        return nn.Sequential(
            Reshape(z, 1, 1),
            nn.ConvTranspose2d(z, ngf * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 8), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
            nn.ConvTranspose2d(ngf, c, 4, 2, 1, bias=False), nn.Tanh(),
        )
    h = int(s["hidden"])  # mlp2d
    return nn.Sequential(
        nn.Linear(z, h), nn.ReLU(True),
        nn.Linear(h, h), nn.ReLU(True),
        nn.Linear(h, s["img_shape"][0]),
    )


def build_discriminator(arch: dict | str) -> nn.Module:
    """The discriminator for ``arch``; returns raw outputs of shape ``(N,)`` (no Sigmoid)."""
    s = _spec(arch)
    name = s["name"]
    if name == "mlp":
        n_in = 1
        for d in s["img_shape"]:
            n_in *= d
        return nn.Sequential(
            nn.Flatten(),
            nn.Linear(n_in, 512), nn.LeakyReLU(0.2),
            nn.Linear(512, 256), nn.LeakyReLU(0.2),
            nn.Linear(256, 1), Squeeze(),
        )
    if name == "dcgan28":
        _check_shape(s, 28)
        c = s["img_shape"][0]
        return nn.Sequential(
            nn.Conv2d(c, 64, 4, 2, 1, bias=False), nn.BatchNorm2d(64), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(64, 128, 4, 2, 1, bias=False), nn.BatchNorm2d(128), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(128, 256, 4, 2, 1, bias=False), nn.BatchNorm2d(256), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(256, 1, 3, 1, 0, bias=False), Squeeze(),
        )
    if name == "dcgan64":
        _check_shape(s, 64)
        c, ndf = s["img_shape"][0], int(s["ndf"])
        return nn.Sequential(
            nn.Conv2d(c, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 4), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 8), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False), Squeeze(),
        )
    h = int(s["hidden"])  # mlp2d
    return nn.Sequential(
        nn.Linear(s["img_shape"][0], h), nn.LeakyReLU(0.2),
        nn.Linear(h, h), nn.LeakyReLU(0.2),
        nn.Linear(h, 1), Squeeze(),
    )


def _check_shape(s: dict, size: int) -> None:
    shape = s["img_shape"]
    if len(shape) != 3 or shape[1] != size or shape[2] != size:
        raise GanalyzeError(f"arch: {s['name']} needs img_shape [C, {size}, {size}]; got {shape}")


def dcgan_weights_init(module: nn.Module) -> None:
    """DCGAN init ([dcgan-paper], [dcgan-tutorial]): conv weights ~ N(0, 0.02), BatchNorm weight ~ N(1, 0.02), bias 0.

    Use as ``net.apply(dcgan_weights_init)``; draws from torch's global RNG (seed it first).
    """
    cls = module.__class__.__name__
    if cls.find("Conv") != -1:
        nn.init.normal_(module.weight.data, 0.0, 0.02)
    elif cls.find("BatchNorm") != -1:
        nn.init.normal_(module.weight.data, 1.0, 0.02)
        nn.init.constant_(module.bias.data, 0)
