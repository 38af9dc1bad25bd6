"""Directions, characterisation of known saddles, and the training-path projection."""
import numpy as np
import pandas as pd
import pytest
import torch
from torch import nn

from ganalyze.errors import GanalyzeError
from ganalyze.gan import LOSSES
from ganalyze.surface.characterise import characterise, project_path
from ganalyze.surface.directions import direction_norm, make_direction, project
from ganalyze.surface.grid import evaluate_grid
from ganalyze.surface.objectives import Objective


def _params():
    torch.manual_seed(3)
    net = nn.Sequential(nn.Conv2d(3, 5, 3), nn.BatchNorm2d(5), nn.Flatten(), nn.Linear(20, 7))
    return dict(net.named_parameters())


def test_filter_normalised_direction_gives_each_filter_its_weight_norm():
    params = _params()
    d = make_direction("filter", params, torch.Generator().manual_seed(0))
    for name, p in params.items():
        if p.dim() <= 1:  # biases and BatchNorm scale/shift are not moved
            assert torch.count_nonzero(d[name]) == 0, name
            continue
        want = p.detach().flatten(1).norm(dim=1)
        got = d[name].flatten(1).norm(dim=1)
        torch.testing.assert_close(got, want, rtol=1e-5, atol=0)
        # a real random direction, not a copy of the weights
        assert not torch.allclose(d[name], p.detach())


def test_layer_and_random_norms_and_seeding():
    params = _params()
    d_layer = make_direction("layer", params, torch.Generator().manual_seed(0))
    for name, p in params.items():
        if p.dim() > 1:
            assert abs(float(d_layer[name].norm()) - float(p.detach().norm())) < 1e-4 * float(p.detach().norm())
    d1 = make_direction("random", params, torch.Generator().manual_seed(5))
    d2 = make_direction("random", params, torch.Generator().manual_seed(5))
    d3 = make_direction("random", params, torch.Generator().manual_seed(6))
    assert abs(direction_norm(d1) - direction_norm(params)) < 1e-4 * direction_norm(params)
    assert all(torch.equal(d1[n], d2[n]) for n in params)
    assert not all(torch.equal(d1[n], d3[n]) for n in params)
    with pytest.raises(GanalyzeError, match="^directions: "):
        make_direction("sideways", params, torch.Generator())


def test_checkpoint_direction_and_projection():
    a = _params()
    b = {n: p.detach() + 0.1 * torch.randn_like(p) for n, p in a.items()}
    d = make_direction("checkpoint", a, params_to=b)
    half = {n: 0.5 * d[n] for n in d}
    t, resid = project(half, d)
    assert t == pytest.approx(0.5) and resid == pytest.approx(0.0, abs=1e-6)
    bad = dict(b)
    bad["3.weight"] = torch.zeros(7, 21)
    with pytest.raises(GanalyzeError, match=r"3\.weight.*\(7, 21\).*\(7, 20\)"):
        make_direction("checkpoint", a, params_to=bad)


def _quadratic_grid(g_fn, d_fn, n=9, span=1.0):
    axis = np.linspace(-span, span, n)
    A, B = np.meshgrid(axis, axis, indexing="ij")
    return pd.DataFrame({"alpha": A.ravel(), "beta": B.ravel(), "g_loss": g_fn(A, B).ravel(), "d_loss": d_fn(A, B).ravel()})


def test_toy_quadratic_game_with_known_saddle():
    # g = 2α² + αβ/2 + 0.3 (minimum along α, curvature 4); d_loss = 1.5β² − αβ, V = −d_loss (curvature −3)
    grid = _quadratic_grid(lambda a, b: 2 * a**2 + 0.5 * a * b + 0.3 + 0.2 * a, lambda a, b: 1.5 * b**2 - a * b + 0.1 * b)
    c = characterise(grid)
    assert c.g_curvature_alpha == pytest.approx(4.0, rel=1e-9)
    assert c.v_curvature_beta == pytest.approx(-3.0, rel=1e-9)
    assert c.g_slope_alpha == pytest.approx(0.2) and c.v_slope_beta == pytest.approx(-0.1)
    assert c.saddle and c.verdict.startswith("saddle")
    assert c.g_shape_alpha == "minimum" and c.v_shape_beta == "maximum"


def test_toy_game_that_is_not_a_saddle():
    # G sits on a maximum of its loss; D's value is convex along β
    grid = _quadratic_grid(lambda a, b: -a**2 + b, lambda a, b: -(b**2) + 0 * a)
    c = characterise(grid)
    assert not c.saddle
    assert c.g_shape_alpha == "maximum" and c.v_shape_beta == "minimum"
    assert "no minimum for G" in c.verdict and "no maximum for D" in c.verdict
    flat = characterise(_quadratic_grid(lambda a, _b: 1 + 0 * a, lambda _a, b: -(b**2)))
    assert flat.g_shape_alpha == "flat" and not flat.saddle


def test_characterise_needs_origin_on_grid():
    grid = _quadratic_grid(lambda a, _b: a**2, lambda _a, b: b**2, n=8)
    with pytest.raises(GanalyzeError, match="^grid: "):
        characterise(grid)


class _LinG(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.w = nn.Linear(1, 1, bias=False)
        self.w.weight.data.fill_(w)

    def forward(self, z):
        return self.w(z)


def test_bilinear_lsgan_game_end_to_end_has_the_analytic_curvatures():
    """G(z) = g·z, D(x) = d·x, LSGAN: along α, g_loss'' = d²·E[z²]; along β, V'' = −(E[x²] + g²·E[z²])."""
    g_w, d_w = 0.7, -1.3
    gen, disc = _LinG(g_w), _LinG(d_w)
    one = {"w.weight": torch.ones(1, 1)}
    gen_rng = torch.Generator().manual_seed(0)
    z = torch.randn(64, 1, generator=gen_rng)
    x = 2.0 + 0.5 * torch.randn(64, 1, generator=gen_rng)
    axis = torch.linspace(-0.5, 0.5, 11, dtype=torch.float64)
    gen, disc, z, x = gen.double(), disc.double(), z.double(), x.double()
    one = {"w.weight": torch.ones(1, 1, dtype=torch.float64)}
    vals = evaluate_grid(gen, disc, one, one, axis, axis, z, x, Objective("lsgan"))
    n = len(axis)
    grid = pd.DataFrame({
        "alpha": vals.alphas.repeat_interleave(n).numpy(), "beta": vals.betas.repeat(n).numpy(),
        "g_loss": vals.g_loss.reshape(-1).numpy(), "d_loss": vals.d_loss.reshape(-1).numpy(),
    })
    c = characterise(grid)
    ez2, ex2 = float((z**2).mean()), float((x**2).mean())
    assert c.g_curvature_alpha == pytest.approx(d_w**2 * ez2, rel=1e-6)
    assert c.v_curvature_beta == pytest.approx(-(ex2 + g_w**2 * ez2), rel=1e-6)
    assert c.saddle


def test_project_path_recovers_positions_along_the_axes():
    og = {"w": torch.zeros(4)}
    od = {"v": torch.ones(3)}
    dg = {"w": torch.tensor([1.0, 0, 0, 0])}
    dd = {"v": torch.tensor([0.0, 2.0, 0])}
    ckpts = [
        (200, {"w": torch.tensor([0.5, 0, 0, 0])}, {"v": torch.tensor([1.0, 2.0, 1.0])}),
        (100, {"w": torch.tensor([0.25, 1.0, 0, 0])}, {"v": torch.ones(3)}),
    ]
    path = project_path(og, od, dg, dd, ckpts)
    assert list(path["step"]) == [100, 200]
    assert path["alpha"].tolist() == pytest.approx([0.25, 0.5])
    assert path["beta"].tolist() == pytest.approx([0.0, 0.5])
    assert path["g_residual"].iloc[0] == pytest.approx(1.0 / np.hypot(0.25, 1.0))
    assert path["g_residual"].iloc[1] == pytest.approx(0.0)


def test_grid_curvature_matches_autograd_on_a_smooth_gan():
    """Independent check: central differences on a fine grid == exact autograd second derivatives."""
    from ganalyze.surface.characterise import axis_curvatures_autograd

    torch.manual_seed(0)
    gen = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 6), nn.Tanh()).double()
    disc = nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, 1), nn.Flatten(0)).double()
    rng = torch.Generator().manual_seed(2)
    dg = make_direction("filter", dict(gen.named_parameters()), rng)
    dd = make_direction("filter", dict(disc.named_parameters()), rng)
    z = torch.randn(64, 4, generator=rng, dtype=torch.float64)
    x = torch.randn(64, 6, generator=rng, dtype=torch.float64).tanh()
    axis = torch.linspace(-1e-3, 1e-3, 5, dtype=torch.float64)
    obj = Objective("nsgan")
    vals = evaluate_grid(gen, disc, dg, dd, axis, axis, z, x, obj)
    n = len(axis)
    grid = pd.DataFrame({"alpha": vals.alphas.repeat_interleave(n).numpy(), "beta": vals.betas.repeat(n).numpy(),
                         "g_loss": vals.g_loss.reshape(-1).numpy(), "d_loss": vals.d_loss.reshape(-1).numpy()})
    c = characterise(grid)
    exact = axis_curvatures_autograd(gen, disc, dg, dd, z, x, obj)
    assert c.g_curvature_alpha == pytest.approx(exact["g_curvature_alpha"], rel=1e-4)
    assert c.v_curvature_beta == pytest.approx(exact["v_curvature_beta"], rel=1e-4)


@pytest.mark.parametrize("loss", LOSSES)
def test_objective_wraps_trainer_losses_batched(loss):
    """The vmapped trainer losses equal the textbook formulas row by row."""
    import torch.nn.functional as F

    g = torch.Generator().manual_seed(0)
    r, f = torch.randn(3, 4, 16, generator=g), torch.randn(3, 4, 16, generator=g)
    ref = {
        "minimax": (F.softplus(-r), F.softplus(f), -F.softplus(f)),
        "nsgan": (F.softplus(-r), F.softplus(f), F.softplus(-f)),
        "lsgan": (0.5 * (r - 1) ** 2, 0.5 * f**2, 0.5 * (f - 1) ** 2),
        "wgan-gp": (-r, f, -f),
        "hinge": (F.relu(1 - r), F.relu(1 + f), -f),
    }[loss]
    o = Objective(loss)
    for got, want in zip((o.d_real(r), o.d_fake(f), o.g(f)), ref):
        assert got.shape == (3, 4)
        torch.testing.assert_close(got, want.mean(-1), rtol=1e-6, atol=1e-6)
