import pytest
import torch

from ganalyze.errors import GanalyzeError
from ganalyze.train.checkpoint import build_from_checkpoint, load_checkpoint, save_checkpoint
from ganalyze.train.models import ARCH_NAMES, arch_spec, build_discriminator, build_generator


@pytest.mark.parametrize("name", ARCH_NAMES)
def test_shapes_and_output_range(name):
    torch.manual_seed(0)
    spec = arch_spec(name)
    g, d = build_generator(spec), build_discriminator(spec)
    x = g(torch.randn(2, spec["latent_dim"]))
    assert list(x.shape[1:]) == spec["img_shape"]
    if name != "mlp2d":
        assert x.min() >= -1 and x.max() <= 1
    out = d(x)
    assert out.shape == (2,)
    assert not isinstance(list(d.children())[-1], torch.nn.Sigmoid)


def test_mlp_layer_sizes_match_seed_000():
    g, d = build_generator("mlp"), build_discriminator("mlp")
    g_lin = [(m.in_features, m.out_features) for m in g.modules() if isinstance(m, torch.nn.Linear)]
    d_lin = [(m.in_features, m.out_features) for m in d.modules() if isinstance(m, torch.nn.Linear)]
    assert g_lin == [(100, 256), (256, 512), (512, 1024), (1024, 784)]
    assert d_lin == [(784, 512), (512, 256), (256, 1)]


def test_unknown_arch_is_user_error():
    with pytest.raises(GanalyzeError, match="arch"):
        build_generator({"name": "resnet"})


@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_round_trip(tmp_path, dtype):
    torch.manual_seed(1)
    spec = arch_spec("dcgan28")
    g = build_generator(spec).eval()
    p = save_checkpoint(tmp_path / "gen.pth", g, role="generator", arch=spec, loss="nsgan", step=7,
                        config={"lr_g": 2e-4}, storage_dtype=dtype)
    raw = torch.load(p, weights_only=True)
    assert raw["format"] == "ganalyze-checkpoint" and raw["step"] == 7
    ckpt = load_checkpoint(p)
    g2 = build_from_checkpoint(ckpt)
    z = torch.randn(4, 100)
    tol = 0 if dtype == "float32" else 5e-3
    torch.testing.assert_close(g2(z), g(z), atol=tol, rtol=0 if tol == 0 else 1e-2)
    assert not list(tmp_path.glob("*.tmp"))


def test_load_errors(tmp_path):
    with pytest.raises(GanalyzeError, match="does not exist"):
        load_checkpoint(tmp_path / "nope.pth")
    (tmp_path / "empty.pth").write_bytes(b"")
    with pytest.raises(GanalyzeError, match="empty"):
        load_checkpoint(tmp_path / "empty.pth")
    (tmp_path / "junk.pth").write_bytes(b"not a torch file at all")
    with pytest.raises(GanalyzeError, match="weights_only"):
        load_checkpoint(tmp_path / "junk.pth")
    torch.save(build_generator("mlp").state_dict(), tmp_path / "plain.pth")
    with pytest.raises(GanalyzeError, match="not a ganalyze checkpoint"):
        load_checkpoint(tmp_path / "plain.pth")


def test_shape_mismatch_names_layer(tmp_path):
    g = build_generator(arch_spec("mlp", latent_dim=64))
    save_checkpoint(tmp_path / "gen.pth", g, role="generator", arch=arch_spec("mlp", latent_dim=64), loss="nsgan", step=0)
    ckpt = load_checkpoint(tmp_path / "gen.pth")
    ckpt["arch"]["latent_dim"] = 100
    with pytest.raises(GanalyzeError, match=r"'0.weight' has shape \(256, 64\) in the checkpoint but \(256, 100\) in the mlp generator"):
        build_from_checkpoint(ckpt)


def test_one_safe_loader_for_every_checkpoint_reader(tmp_path):
    """The surface's reader of untrusted files and the trainer's loader are the same function."""
    from ganalyze.surface import checkpoints as surface_checkpoints
    from ganalyze.train import checkpoint

    assert surface_checkpoints.load_weights_only is checkpoint.load_weights_only
    assert surface_checkpoints.check_state_dict is checkpoint.check_state_dict
    bad = tmp_path / "evil.pth"
    bad.write_bytes(b"cos\nsystem\n(S'echo hi'\ntR.")          # a pickle that would run code
    with pytest.raises(GanalyzeError, match=r"^GEN: .*refused by torch.load\(weights_only=True\)"):
        checkpoint.load_weights_only(bad, "GEN")
