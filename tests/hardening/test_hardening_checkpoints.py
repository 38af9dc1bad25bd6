"""Hostile checkpoints: every malformed file or ``arch``/``config`` entry is one line, checked
before anything is allocated; a malicious pickle never runs."""
from __future__ import annotations

import os
import pickle

import pytest
import torch
from hostile import assert_clean_error, cli, run_dir

from ganalyze.errors import GanalyzeError
from ganalyze.surface.checkpoints import build_network, read_checkpoint
from ganalyze.train.checkpoint import build_from_checkpoint, load_checkpoint, save_checkpoint
from ganalyze.train.models import arch_spec, build_discriminator, build_generator
from ganalyze.validate import validate_arch


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    d = tmp_path_factory.mktemp("ckpt")
    torch.manual_seed(0)
    spec = arch_spec("mlp2d")
    cfg = {"dataset": "ring8", "arch": "mlp2d", "loss": "nsgan"}
    g = save_checkpoint(d / "gen.pth", build_generator(spec), role="generator", arch=spec, loss="nsgan", step=10, config=cfg)
    dd = save_checkpoint(d / "disc.pth", build_discriminator(spec), role="discriminator", arch=spec, loss="nsgan",
                         step=10, config=cfg)
    return g, dd


def _mutated(src, dst, change):
    obj = torch.load(src, weights_only=True)
    change(obj)
    torch.save(obj, dst)
    return dst


ARCH_CASES = {
    "latent 1e9": (lambda o: o["arch"].update(latent_dim=10 ** 9), "latent_dim: 1000000000"),
    "image 1e4 x 1e4": (lambda o: o["arch"].update(name="mlp", img_shape=[1, 10 ** 4, 10 ** 4]), "img_shape[1]: 10000"),
    "image values": (lambda o: o["arch"].update(name="mlp", img_shape=[4, 1000, 1000]), "4,000,000 values"),
    "latent string": (lambda o: o["arch"].update(latent_dim="16"), "'16' (str)"),
    "latent None": (lambda o: o["arch"].update(latent_dim=None), "None (NoneType)"),
    "latent negative": (lambda o: o["arch"].update(latent_dim=-3), "latent_dim: -3"),
    "latent dict": (lambda o: o["arch"].update(latent_dim={"a": 1}), "(dict)"),
    "latent bool": (lambda o: o["arch"].update(latent_dim=True), "(bool)"),
    "hidden huge": (lambda o: o["arch"].update(hidden=10 ** 7), "hidden: 10000000"),
    "name dict": (lambda o: o["arch"].update(name={"x": 1}), "arch.name"),
    "arch list": (lambda o: o.update(arch=[1, 2]), "has no valid 'arch'"),
    "config list": (lambda o: o.update(config=[1, 2]), "config: a list"),
    "ring modes 1e9": (lambda o: o["config"].update(ring_modes=10 ** 9), "ring_modes: 1000000000"),
    "ring std NaN": (lambda o: o["config"].update(ring_std=float("nan")), "nan"),
    "step string": (lambda o: o.update(step="abc"), "step: 'abc'"),
    "format version 99": (lambda o: o.update(format_version=99), "99"),
}


@pytest.mark.parametrize("case", list(ARCH_CASES))
def test_hostile_arch_and_config_entries(tmp_path, pair, case):
    change, needle = ARCH_CASES[case]
    bad = _mutated(pair[0], tmp_path / "gen.pth", change)
    with pytest.raises(GanalyzeError, match="allowed|expected|damaged|reads") as err:
        load_checkpoint(bad)
    assert needle in str(err.value) and "\n" not in str(err.value)
    if case != "arch list":
        with pytest.raises(GanalyzeError, match="allowed") as err2:
            read_checkpoint(bad, "GEN", "generator")
        assert needle in str(err2.value)


def test_diversity_and_surface_refuse_a_huge_arch_in_one_line(tmp_path, pair):
    bad = _mutated(pair[0], tmp_path / "gen.pth", ARCH_CASES["latent 1e9"][0])
    assert_clean_error(cli(["diversity", bad, "--n", "10", "-o", tmp_path / "out"]), "latent_dim: 1000000000")
    assert_clean_error(cli(["surface", bad, pair[1], "--grid", "3", "--samples", "8", "--no-path",
                            "-o", tmp_path / "s"]), "latent_dim: 1000000000")


def test_with_samples_refuses_a_bomb_generator(tmp_path, pair):
    run = run_dir(tmp_path / "run")
    _mutated(pair[0], run / "gen.pth", ARCH_CASES["ring modes 1e9"][0])
    assert_clean_error(cli(["diagnose", "--with-samples", run]), "ring_modes")


def test_plain_state_dict_with_an_override_is_checked_before_building(pair):
    ck = read_checkpoint(pair[0], "GEN", "generator")
    object.__setattr__(ck, "arch", {"name": "mlp", "latent_dim": 10 ** 8})
    with pytest.raises(GanalyzeError, match="latent_dim: 100000000; allowed: an integer from 1 to 4096"):
        build_network(ck, "generator", "GEN")
    with pytest.raises(GanalyzeError, match="arch.img_shape"):
        build_generator({"name": "mlp", "img_shape": "28x28"})


@pytest.mark.parametrize("kind", ["truncated", "random", "empty", "zip-junk", "fifo", "dir", "evil-pickle",
                                  "pop-from-empty"])
def test_malformed_checkpoint_files(tmp_path, pair, kind):
    bad = tmp_path / "gen.pth"
    data = pair[0].read_bytes()
    if kind == "truncated":
        bad.write_bytes(data[: len(data) // 2])
    elif kind == "random":
        bad.write_bytes(os.urandom(512))
    elif kind == "empty":
        bad.write_bytes(b"")
    elif kind == "pop-from-empty":      # a pickle stream that makes the unpickler pop an empty stack
        bad.write_bytes(b"\x80\x02e.")
    elif kind == "zip-junk":
        bad.write_bytes(b"PK\x03\x04" + os.urandom(300))
    elif kind == "fifo":
        os.mkfifo(bad)
    elif kind == "dir":
        bad.mkdir()
    else:
        class Evil:
            def __reduce__(self):
                return (os.system, (f"touch {tmp_path / 'pwned'}",))
        bad.write_bytes(pickle.dumps({"format": "ganalyze-checkpoint", "x": Evil()}))
    assert_clean_error(cli(["diversity", bad, "--n", "10", "-o", tmp_path / "out"]))
    assert_clean_error(cli(["surface", bad, pair[1], "--grid", "3", "--samples", "8", "--no-path", "-o", tmp_path / "s"]))
    assert not (tmp_path / "pwned").exists()


def test_valid_pair_still_loads_and_builds(pair):
    net = build_from_checkpoint(load_checkpoint(pair[0]))
    assert net(torch.zeros(2, 16)).shape == (2, 2)
    assert validate_arch(arch_spec("dcgan64"))["ngf"] == 64
