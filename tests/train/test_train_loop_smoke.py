import json

import pytest
import torch

from ganalyze.errors import GanalyzeError
from ganalyze.gan import LOSSES, SCORE_KIND_OF
from ganalyze.runlog import read_run
from ganalyze.train import TrainConfig, train
from ganalyze.train.checkpoint import build_from_checkpoint, load_checkpoint

PER_STEP = ["step", "epoch", "time_s", "d_loss", "d_loss_real", "d_loss_fake", "g_loss", "d_x", "d_g_z1",
            "d_g_z2", "grad_norm_d", "grad_norm_g", "lr_d", "lr_g"]
SIGNALS = ["div_pdist_ratio", "d_real_q05", "d_real_q50", "d_real_q95", "d_fake_q05", "d_fake_q50", "d_fake_q95"]


@pytest.fixture(autouse=True)
def one_thread():
    """Two shared cores: one intra-op thread is ~10x faster than two under contention."""
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


def _cfg(arch, loss, **kw):
    base = dict(arch=arch, dataset="ring8" if arch == "mlp2d" else "mnist", loss=loss, steps=3,
                batch_size=4 if arch == "dcgan64" else 8, signal_every=2, checkpoint_every=1, sample_every=0,
                progress=False, device="cpu", ring8_points=200)
    base.update(kw)
    return TrainConfig(**base)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("arch", ["mlp", "dcgan28", "dcgan64", "mlp2d"])
def test_every_arch_and_loss_logs_columns_and_round_trips(tmp_path, arch, loss):
    run = tmp_path / "run"
    calls = []
    train(_cfg(arch, loss), run, on_interval=lambda s, _g, _d: calls.append(s) or {"gt_probe": float(s)})
    df = read_run(run)
    assert list(df["step"]) == [0, 1, 2]
    for col in PER_STEP:
        assert col in df.columns, col
        assert df[col].notna().all(), col
    for col in SIGNALS:
        assert df[col].notna().tolist() == [True, False, True], col
    assert (df["d_loss"] - df["d_loss_real"] - df["d_loss_fake"]).abs().max() < 1e-5
    assert df.attrs["loss"] == loss and df.attrs["d_loss_reduction"] == "sum"
    assert df.attrs["scores"] == SCORE_KIND_OF[loss]
    if df.attrs["scores"] == "probability":
        assert df[["d_x", "d_g_z1", "d_g_z2"]].stack().between(0, 1).all()
    assert calls == [0, 2] and df["gt_probe"].tolist()[2] == 2.0
    assert json.loads((run / "config.json").read_text())["loss"] == loss
    assert not (run / "checkpoints" / "step_000002").exists()   # the final one is gen.pth
    for folder in (run, run / "checkpoints" / "step_000001"):
        g = build_from_checkpoint(load_checkpoint(folder / "gen.pth"))
        d = build_from_checkpoint(load_checkpoint(folder / "disc.pth"))
        with torch.no_grad():
            x = g(torch.randn(2, g_latent(g)))
            assert d(x).shape == (2,)
    assert (run / "samples" / "step_000002.png").stat().st_size > 0


def g_latent(g):
    first = next(m for m in g.modules() if isinstance(m, (torch.nn.Linear, torch.nn.ConvTranspose2d)))
    return first.in_features if isinstance(first, torch.nn.Linear) else first.in_channels


def test_same_seed_same_first_losses_other_seed_differs(tmp_path):
    cols = ["d_loss", "g_loss", "d_x", "d_g_z2"]
    a = read_run(_run(tmp_path / "a", seed=3))[cols]
    b = read_run(_run(tmp_path / "b", seed=3))[cols]
    c = read_run(_run(tmp_path / "c", seed=4))[cols]
    assert a.equals(b)
    assert not a.equals(c)


def _run(path, seed):
    train(_cfg("mlp", "nsgan", seed=seed, checkpoint_every=0), path)
    return path


def test_d_steps_g_steps_and_clipping(tmp_path):
    train(_cfg("mlp2d", "nsgan", d_steps=2, g_steps=3, grad_clip=0.01, lr_g=1e-3), tmp_path / "r")
    df = read_run(tmp_path / "r")
    assert len(df) == 3 and (df["lr_g"] == 1e-3).all()


def test_bad_options_are_user_errors(tmp_path):
    with pytest.raises(GanalyzeError, match="loss"):
        TrainConfig(loss="wgan")
    with pytest.raises(GanalyzeError, match="arch"):
        TrainConfig(arch="mlp2d", dataset="mnist")
    with pytest.raises(GanalyzeError, match="batch_size"):
        train(_cfg("mlp2d", "nsgan", batch_size=500), tmp_path / "r")
    with pytest.raises(GanalyzeError, match="mnist_root"):
        train(_cfg("mlp", "nsgan", mnist_root=str(tmp_path / "nothing")), tmp_path / "r2")
