"""Batched grid evaluation equals a plain point-by-point walk."""
import pytest
import torch
from torch import nn

from ganalyze.surface.directions import make_direction
from ganalyze.surface.grid import evaluate_grid, evaluate_grid_pointwise, find_first_affine_layer
from ganalyze.surface.objectives import LOSS_TYPES, Objective


class SmallG(nn.Module):
    def __init__(self, latent=8, out=12):
        super().__init__()
        self.model = nn.Sequential(nn.Linear(latent, 16), nn.LeakyReLU(0.2), nn.Linear(16, out), nn.Tanh())

    def forward(self, z):
        return self.model(z).view(z.size(0), 1, 3, 4)


class SmallD(nn.Module):
    def __init__(self, inp=12):
        super().__init__()
        self.model = nn.Sequential(nn.Linear(inp, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))

    def forward(self, x):
        return self.model(x.view(x.size(0), -1)).squeeze(1)


class ConvBND(nn.Module):
    """Conv + BatchNorm discriminator (eval mode uses running stats)."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 4, 2), nn.BatchNorm2d(4), nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(4 * 2 * 3, 1)
        )

    def forward(self, x):
        return self.net(x).view(-1)


def _setup(disc_cls, seed=0):
    torch.manual_seed(seed)
    g, d = SmallG(), disc_cls()
    for m in d.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
    g.eval(), d.eval()
    gen = torch.Generator().manual_seed(1)
    dg = make_direction("filter", dict(g.named_parameters()), gen)
    dd = make_direction("random", dict(d.named_parameters()), gen)
    z = torch.randn(32, 8, generator=gen)
    x = torch.rand(32, 1, 3, 4, generator=gen) * 2 - 1
    return g, d, dg, dd, z, x


@pytest.mark.parametrize(
    "loss, disc_cls", [(loss, SmallD) for loss in LOSS_TYPES] + [("nsgan", ConvBND), ("hinge", ConvBND)]
)
def test_batched_equals_pointwise(loss, disc_cls):
    g, d, dg, dd, z, x = _setup(disc_cls)
    alphas = torch.linspace(-1, 1, 5)
    betas = torch.linspace(-1, 1, 7)
    obj = Objective(loss)
    fast = evaluate_grid(g, d, dg, dd, alphas, betas, z, x, obj, chunk_bytes=4096)  # force small chunks
    ref = evaluate_grid_pointwise(g, d, dg, dd, alphas, betas, z, x, obj)
    assert fast.first_layer_split is not None  # the affine split was taken for both nets
    for name in ("g_loss", "d_loss", "d_loss_fake"):
        a, b = getattr(fast, name), getattr(ref, name)
        assert a.shape == (5, 7)
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(fast.d_loss_real, ref.d_loss_real, rtol=1e-5, atol=1e-6)


def test_without_split_also_equal():
    g, d, dg, dd, z, x = _setup(SmallD)
    obj = Objective("nsgan")
    fast = evaluate_grid(g, d, dg, dd, [-0.5, 0.0, 0.5], [-0.5, 0.0, 0.5], z, x, obj, split_first_layer=False)
    ref = evaluate_grid_pointwise(g, d, dg, dd, [-0.5, 0.0, 0.5], [-0.5, 0.0, 0.5], z, x, obj)
    assert fast.first_layer_split is None
    torch.testing.assert_close(fast.d_loss, ref.d_loss, rtol=1e-5, atol=1e-6)


def test_split_refused_when_first_layer_is_not_fed_the_input():
    class Scaled(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(12, 1)

        def forward(self, x):
            return self.lin(torch.tanh(x.view(x.size(0), -1))).view(-1)

    assert find_first_affine_layer(Scaled(), torch.randn(4, 1, 3, 4)) is None
    assert find_first_affine_layer(SmallD(), torch.randn(4, 1, 3, 4)).path == "model.0"


def test_split_skips_parameter_free_flatten():
    d = nn.Sequential(nn.Flatten(), nn.Linear(12, 4), nn.LeakyReLU(0.2), nn.Linear(4, 1), nn.Flatten(0))
    assert find_first_affine_layer(d, torch.randn(4, 1, 3, 4)).path == "1"
