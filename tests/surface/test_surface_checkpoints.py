"""Untrusted checkpoints are refused cleanly: one stderr line, exit 2, no code run."""
import builtins

import pytest
import torch
from click.testing import CliRunner
from torch import nn

from ganalyze.cli import main
from ganalyze.errors import GanalyzeError
from ganalyze.surface.checkpoints import check_state_dict, read_checkpoint


class _Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):  # unpickling would create the marker file
        return (builtins.open, (self.marker, "w"))


def _run(args):
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.stderr, result.stdout


def test_malicious_pickle_is_refused_and_never_executed(tmp_path):
    marker = tmp_path / "pwned.txt"
    evil = tmp_path / "gen.pth"
    torch.save({"state_dict": _Evil(str(marker))}, evil)
    disc = tmp_path / "disc.pth"
    torch.save({"w": torch.zeros(2)}, disc)
    code, err, out = _run(["surface", str(evil), str(disc), "-o", str(tmp_path / "o")])
    assert code == 2
    assert not marker.exists()
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ganalyze: error: GEN:") and "weights_only=True" in lines[0]
    assert "Traceback" not in err and out == ""


@pytest.mark.parametrize(
    "content, match",
    [(b"", "is empty"), (b"not a zip and not a pickle", "refused by torch.load"), (None, "does not exist")],
)
def test_missing_empty_corrupt_files(tmp_path, content, match):
    p = tmp_path / "gen.pth"
    if content is not None:
        p.write_bytes(content)
    code, err, _ = _run(["surface", str(p), str(p)])
    assert code == 2 and len(err.strip().splitlines()) == 1 and match in err


def test_role_and_container_checks(tmp_path):
    p = tmp_path / "d.pth"
    torch.save({"format": "ganalyze-checkpoint", "role": "discriminator", "arch": {"name": "mlp"},
                "state_dict": {"w": torch.zeros(1)}}, p)
    with pytest.raises(GanalyzeError, match="GEN: .* is a discriminator checkpoint; expected a generator"):
        read_checkpoint(p, "GEN", "generator")
    q = tmp_path / "list.pth"
    torch.save([1, 2, 3], q)
    with pytest.raises(GanalyzeError, match="holds a list"):
        read_checkpoint(q, "DISC", "discriminator")
    plain = tmp_path / "plain.pth"
    torch.save({"module.0.weight": torch.zeros(3, 2)}, plain)
    ck = read_checkpoint(plain, "GEN", "generator")
    assert ck.plain and list(ck.state_dict) == ["0.weight"]  # DataParallel prefix stripped


def test_mismatched_shapes_name_the_first_layer_and_both_shapes():
    net = nn.Sequential(nn.Linear(4, 8), nn.LeakyReLU(), nn.Linear(8, 1))
    sd = net.state_dict()
    sd["2.weight"] = torch.zeros(1, 9)
    sd["0.bias"] = torch.zeros(7)
    with pytest.raises(GanalyzeError) as info:
        check_state_dict(net, sd, "DISC", "mlp discriminator")
    msg = str(info.value)
    assert "\n" not in msg and "'0.bias'" in msg and "(7,)" in msg and "(8,)" in msg
    sd = net.state_dict()
    sd["2.weight"] = torch.full((1, 8), float("nan"))
    with pytest.raises(GanalyzeError, match="NaN or inf"):
        check_state_dict(net, sd, "DISC", "mlp discriminator")


def test_bad_options_are_one_line(tmp_path):
    p = tmp_path / "x.pth"
    torch.save({"w": torch.zeros(1)}, p)
    for args, needle in (
        (["--grid", "40"], "--grid"),
        (["--directions", "sideways"], "--directions"),
        (["--span", "-1"], "--span"),
    ):
        code, err, _ = _run(["surface", str(p), str(p), *args])
        assert code == 2 and needle in err and len(err.strip().splitlines()) == 1, (args, err)
