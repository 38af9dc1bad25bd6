"""`ganalyze surface` on the trainer's checkpoint format (untrained nets: the mechanics, not the training)."""
import json

import pytest
import torch
from click.testing import CliRunner

from ganalyze.cli import main
from ganalyze.surface.directions import make_direction
from ganalyze.surface.grid import evaluate_grid, evaluate_grid_pointwise
from ganalyze.surface.objectives import Objective
from ganalyze.train.checkpoint import save_checkpoint
from ganalyze.train.models import arch_spec, build_discriminator, build_generator


def _save_pair(folder, arch, loss="nsgan", step=0, seed=0):
    torch.manual_seed(seed)
    g, d = build_generator(arch), build_discriminator(arch)
    save_checkpoint(folder / "gen.pth", g, role="generator", arch=arch, loss=loss, step=step)
    save_checkpoint(folder / "disc.pth", d, role="discriminator", arch=arch, loss=loss, step=step)
    return g, d


@pytest.fixture
def ring_run(tmp_path):
    arch = arch_spec("mlp2d", hidden=32)
    run = tmp_path / "run"
    for i, step in enumerate((100, 200)):
        _save_pair(run / "checkpoints" / f"step_{step:06d}", arch, "hinge", step, seed=10 + i)
    _save_pair(run, arch, "hinge", 300)
    return run


def _invoke(args):
    r = CliRunner().invoke(main, ["surface", *args])
    return r.exit_code, r.stdout, r.stderr


def test_cli_writes_grid_json_pngs_and_overlays_the_run(ring_run, tmp_path):
    out = tmp_path / "out"
    code, stdout, stderr = _invoke([str(ring_run / "gen.pth"), str(ring_run / "disc.pth"), "--grid", "5",
                                    "--samples", "32", "--device", "cpu", "-o", str(out)])
    assert code == 0, stderr
    assert stdout.startswith("verdict: ") and "training path: 2 checkpoints projected" in stdout
    meta = json.loads((out / "surface.json").read_text())
    assert meta["loss"] == "hinge" and meta["loss_source"] == "checkpoint" and meta["dataset"] == "ring8"
    assert len(meta["checkpoints"]["gen"]["sha256"]) == 64 and meta["checkpoints"]["gen"]["step"] == 300
    assert [p["step"] for p in meta["training_path"]] == [100, 200]
    assert meta["batchnorm"].startswith("eval mode") and meta["seed"] == 0
    for name in ("grid.parquet", "surface.png", "contour.png"):
        assert (out / name).stat().st_size > 0


def test_plain_state_dict_needs_arch_and_mismatch_names_the_layer(tmp_path):
    torch.manual_seed(0)
    g, d = build_generator(arch_spec("mlp2d", hidden=64)), build_discriminator(arch_spec("mlp2d", hidden=64))
    torch.save(g.state_dict(), tmp_path / "g.pth")
    torch.save(d.state_dict(), tmp_path / "d.pth")
    args = [str(tmp_path / "g.pth"), str(tmp_path / "d.pth"), "--grid", "3", "--samples", "8", "-o", str(tmp_path / "o")]
    code, _, err = _invoke(args)
    assert code == 2 and "--arch" in err and len(err.strip().splitlines()) == 1
    code, _, err = _invoke([*args, "--arch", "mlp2d"])  # default hidden is 128, the file has 64
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "GEN: layer '0.weight' has shape (64, 16) in the checkpoint but (128, 16) in the mlp2d generator" in err
    code, out, err = _invoke([*args, "--arch", "mlp", "--no-path"])
    assert code == 2 and "'0.weight' has shape (64, 16) in the checkpoint but (256, 100) in the mlp generator" in err


def test_plain_state_dict_with_matching_arch_runs(tmp_path):
    arch = arch_spec("mlp2d")
    torch.manual_seed(0)
    torch.save(build_generator(arch).state_dict(), tmp_path / "g.pth")
    torch.save(build_discriminator(arch).state_dict(), tmp_path / "d.pth")
    code, out, err = _invoke([str(tmp_path / "g.pth"), str(tmp_path / "d.pth"), "--arch", "mlp2d", "--grid", "3",
                              "--samples", "8", "--loss", "lsgan", "-o", str(tmp_path / "o")])
    assert code == 0, err
    assert "loss lsgan (option)" in out


def test_directions_checkpoint_via_cli(ring_run, tmp_path):
    first = ring_run / "checkpoints" / "step_000100"
    code, out, err = _invoke([str(first / "gen.pth"), str(first / "disc.pth"), "--directions", "checkpoint",
                              "--to", str(ring_run / "gen.pth"), str(ring_run / "disc.pth"),
                              "--grid", "3", "--samples", "8", "--no-path", "-o", str(tmp_path / "o")])
    assert code == 0, err
    meta = json.loads((tmp_path / "o" / "surface.json").read_text())
    assert meta["checkpoints"]["to"]["gen"]["step"] == 300 and meta["training_path"] is None


def test_dcgan28_batchnorm_batched_equals_pointwise():
    arch = arch_spec("dcgan28")
    torch.manual_seed(0)
    g, d = build_generator(arch).eval(), build_discriminator(arch).eval()
    for m in list(g.modules()) + list(d.modules()):  # non-trivial running statistics
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
    rng = torch.Generator().manual_seed(0)
    dg = make_direction("filter", dict(g.named_parameters()), rng)
    dd = make_direction("filter", dict(d.named_parameters()), rng)
    z, x = torch.randn(4, 100, generator=rng), torch.rand(4, 1, 28, 28, generator=rng) * 2 - 1
    axis = torch.tensor([0.0, 0.5])
    fast = evaluate_grid(g, d, dg, dd, axis, axis, z, x, Objective("nsgan"))
    ref = evaluate_grid_pointwise(g, d, dg, dd, axis, axis, z, x, Objective("nsgan"))
    assert fast.first_layer_split == "0"
    torch.testing.assert_close(fast.g_loss, ref.g_loss, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(fast.d_loss, ref.d_loss, rtol=1e-5, atol=1e-6)


def test_run_with_generator_only_checkpoints_has_no_path(ring_run, tmp_path):
    for disc in ring_run.glob("checkpoints/step_*/disc.pth"):
        disc.unlink()
    base = [str(ring_run / "gen.pth"), str(ring_run / "disc.pth"), "--grid", "3", "--samples", "8"]
    code, out, err = _invoke([*base, "-o", str(tmp_path / "o")])
    assert code == 0, err
    assert "training path" not in out
    code, _, err = _invoke([*base, "--run", str(ring_run), "-o", str(tmp_path / "o2")])
    assert code == 2 and "--run" in err and len(err.strip().splitlines()) == 1


def test_generator_and_discriminator_of_different_runs_are_refused_in_one_line(tmp_path):
    """An MNIST generator with a ring8 discriminator: one line naming DISC, exit 2, no traceback."""
    from pathlib import Path

    from click.testing import CliRunner

    from ganalyze.cli import main

    root = Path(__file__).resolve().parents[2] / "sample_runs"
    r = CliRunner().invoke(main, ["surface", str(root / "mnist_mlp_healthy" / "gen.pth"),
                                  str(root / "ring8_vanilla_collapse" / "disc.pth"), "--grid", "3",
                                  "--samples", "8", "-o", str(tmp_path)])
    assert r.exit_code == 2, r.output
    assert "DISC" in r.stderr and "Traceback" not in r.output
