"""surface_of_networks / save_surface end to end on a small 2-D GAN (no trainer needed)."""
import json

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from ganalyze.errors import GanalyzeError  # noqa: E402
from ganalyze.surface.api import GRID_COLUMNS, save_surface, surface_of_networks  # noqa: E402
from ganalyze.surface.config import SurfaceConfig  # noqa: E402
from ganalyze.surface.directions import make_direction  # noqa: E402
from ganalyze.surface.grid import evaluate_grid_pointwise  # noqa: E402
from ganalyze.surface.objectives import Objective  # noqa: E402


def _nets(seed):
    torch.manual_seed(seed)
    g = nn.Sequential(nn.Linear(3, 32), nn.LeakyReLU(0.2), nn.Linear(32, 2))
    d = nn.Sequential(nn.Linear(2, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1), nn.Flatten(0))
    return g, d


def _ring(n, seed=0):
    gen = torch.Generator().manual_seed(seed)
    angle = torch.randint(0, 8, (n,), generator=gen) * (2 * torch.pi / 8)
    return torch.stack([2 * angle.cos(), 2 * angle.sin()], 1) + 0.02 * torch.randn(n, 2, generator=gen)


def test_surface_of_networks_end_to_end(tmp_path):
    g, d = _nets(0)
    config = SurfaceConfig(grid=7, span=0.5, samples=64, seed=3, device="cpu")
    path_ckpts = []
    for step in (10, 20):
        g2, d2 = _nets(step)
        path_ckpts.append((step, dict(g2.named_parameters()), dict(d2.named_parameters())))
    surf = surface_of_networks(g, d, config, loss="nsgan", real=_ring(64), path_checkpoints=path_ckpts)
    grid = surf.grid
    assert list(grid.columns) == GRID_COLUMNS and len(grid) == 49
    assert sorted(grid["alpha"].unique()) == pytest.approx([-0.5, -1 / 3, -1 / 6, 0, 1 / 6, 1 / 3, 0.5])
    assert (grid["value"] == -grid["d_loss"]).all()
    # the grid equals an independent point-by-point walk with the same directions and batches
    rng = torch.Generator().manual_seed(3)
    dg = make_direction("filter", dict(g.named_parameters()), rng)
    dd = make_direction("filter", dict(d.named_parameters()), rng)
    z = torch.randn(64, 3, generator=rng)
    axis = torch.tensor(sorted(grid["alpha"].unique()))
    ref = evaluate_grid_pointwise(g, d, dg, dd, axis, axis, z, _ring(64), Objective("nsgan"))
    table = grid.pivot(index="alpha", columns="beta", values="g_loss").to_numpy()
    torch.testing.assert_close(torch.tensor(table), ref.g_loss, rtol=1e-5, atol=1e-6)
    meta = surf.meta
    assert meta["first_layer_split"] == "0" and meta["loss"] == "nsgan" and meta["directions"] == "filter"
    assert meta["direction_norms"]["generator"] > 0 and "no BatchNorm" in meta["batchnorm"]
    assert list(surf.path["step"]) == [10, 20] and surf.path["g_residual"].between(0, 1).all()

    files = save_surface(surf, tmp_path / "o", title="toy")
    back = pd.read_parquet(files["grid"])
    pd.testing.assert_frame_equal(back, grid)
    saved = json.loads(open(files["json"]).read())
    assert saved["characterisation"]["verdict"] == surf.characterisation.verdict
    assert len(saved["training_path"]) == 2
    for key in ("surface_png", "contour_png"):
        assert open(files[key], "rb").read(8) == b"\x89PNG\r\n\x1a\n"


def test_checkpoint_direction_needs_and_uses_second_pair():
    g, d = _nets(0)
    g2, d2 = _nets(1)
    config = SurfaceConfig(grid=5, span=1.0, samples=16, directions="checkpoint", device="cpu")
    with pytest.raises(GanalyzeError, match="^to: "):
        surface_of_networks(g, d, config, loss="lsgan", real=_ring(16))
    surf = surface_of_networks(g, d, config, loss="lsgan", real=_ring(16), to_networks=(g2, d2),
                               path_checkpoints=[(5, dict(g2.named_parameters()), dict(d2.named_parameters()))])
    # the second checkpoint projects exactly to (1, 1) with nothing left over
    row = surf.path.iloc[0]
    assert row["alpha"] == pytest.approx(1.0) and row["beta"] == pytest.approx(1.0)
    assert row["g_residual"] == pytest.approx(0.0, abs=1e-5)


def test_real_batch_shape_is_checked():
    g, d = _nets(0)
    with pytest.raises(GanalyzeError, match=r"real: batch has shape \(8, 2\); expected \(16, 2\)"):
        surface_of_networks(g, d, SurfaceConfig(grid=3, samples=16, device="cpu"), loss="hinge", real=_ring(8))
