"""`ganalyze diagnose`: JSON shape, human summary, declared options, errors, --with-samples, accessor."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
from click.testing import CliRunner

import ganalyze  # noqa: F401  (registers df.gan)
from ganalyze.cli import main
from ganalyze.diagnose import LABELS

REPO = Path(__file__).resolve().parents[2]
CONSOLE = REPO / "sample_runs" / "dcgan_tutorial_console.log"
RING8 = REPO / "sample_runs" / "ring8_vanilla_collapse"


def test_json_shape_exactly_as_the_issue():
    res = CliRunner().invoke(main, ["diagnose", str(CONSOLE), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["run"] == str(CONSOLE)
    assert out["assumptions"]["loss"] == "nsgan" and out["assumptions"]["d_loss_reduction"] in ("sum", "mean")
    assert out["assumptions"]["scores"] in ("probability", "critic")
    assert isinstance(out["summary"], dict) and "main_finding" in out["summary"]
    prev_end = None
    for s in out["segments"]:
        assert set(s) >= {"start_step", "end_step", "label", "confidence", "evidence", "advice"}
        assert isinstance(s["start_step"], int) and isinstance(s["end_step"], int) and s["end_step"] >= s["start_step"]
        assert s["label"] in LABELS and 0.0 <= s["confidence"] <= 1.0
        assert all(isinstance(k, str) and (v is None or isinstance(v, float)) for k, v in s["evidence"].items())
        assert all(isinstance(a, str) for a in s["advice"])
        assert prev_end is None or s["start_step"] > prev_end
        prev_end = s["end_step"]


def test_text_summary_and_declared_options(tmp_path):
    csv = tmp_path / "log.csv"
    rng = np.random.default_rng(0)
    pd.DataFrame({"step": np.arange(600), "d_loss": 0.6 + 0.05 * rng.normal(size=600),
                  "g_loss": 0.9 + 0.1 * rng.normal(size=600)}).to_csv(csv, index=False)
    res = CliRunner().invoke(main, ["diagnose", str(csv), "--d-loss-reduction", "mean", "--loss", "nsgan"])
    assert res.exit_code == 0, res.output
    assert "timeline:" in res.stdout and "main finding:" in res.stdout and "d_loss_reduction=mean" in res.stdout
    # what the log cannot show, one line each, and the guesses with their reasons
    assert "not checkable (mode_collapse): mode collapse cannot be confirmed from losses alone" in res.stdout
    assert "--with-samples" in res.stdout and "guessed scores=probability" in res.stdout
    js = json.loads(CliRunner().invoke(main, ["diagnose", str(csv), "--json", "--per-step"]).stdout)
    assert {"label", "because", "to_settle"} == set(js["not_checkable"][0])
    assert {"name": "averaged", "value": False, "source": "declared", "reason": "declared when the run was read"} in \
        js["assumptions"]["details"]
    bad = CliRunner().invoke(main, ["diagnose", str(csv), "--scores", "logit"])
    assert bad.exit_code == 2
    missing = CliRunner().invoke(main, ["diagnose", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output


def test_with_samples_adds_checkpoint_diversity_evidence():
    res = CliRunner().invoke(main, ["diagnose", str(RING8), "--json", "--with-samples"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["summary"]["samples"]["checkpoints"] >= 2
    assert any(s["evidence"].get("sample_checkpoints", 0) >= 1 for s in out["segments"])
    # never diverse (<= 1/8 modes at every checkpoint, no onset step): the collapse is confirmed
    assert out["summary"]["samples"]["ever_diverse"] is False
    checked = [s for s in out["segments"] if s["label"] == "mode_collapse" and s["evidence"].get("sample_checkpoints")]
    assert checked and all(s["evidence"]["samples_confirm_collapse"] == 1.0 for s in checked)
    assert all(x["label"] != "mode_collapse" for x in out["not_checkable"])


def test_with_samples_without_checkpoints_is_a_user_error():
    res = CliRunner().invoke(main, ["diagnose", str(CONSOLE), "--with-samples"])
    assert res.exit_code == 2 and "checkpoints" in res.output


def test_accessor_phases_aligned_with_index():
    from ganalyze.runlog import read_run

    df = read_run(CONSOLE)
    df.index = df.index + 1000
    ph = df.gan.phases()
    assert ph.index.equals(df.index) and set(ph.unique()) <= set(LABELS)
    assert df.gan.diagnose().segments
