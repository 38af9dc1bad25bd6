"""Samples as ground truth: LABELS.md's predicates on checkpoint checks (check_verdicts), how they
confirm or override the log's labels (apply_checks), and the whole path on a real trainer run
(on by default for a run folder with checkpoints, --no-samples, --with-samples)."""
import json
import math

import numpy as np
import pandas as pd
import pytest
import torch
from click.testing import CliRunner

from ganalyze.cli import main
from ganalyze.diagnose import LABELS, diagnose
from ganalyze.diagnose.override import apply_checks
from ganalyze.diagnose.samples import SampleChecks, SampleConfig, _coarse_to_fine, check_verdicts, measure_checkpoints
from ganalyze.diagnose.truth import TruthSpec

RING = TruthSpec("mixture", 8, False, 1.27, 0.1)


def _signals(steps, modes, kl, hq, fd, drift=None, d=None):
    n = len(steps)
    t = pd.DataFrame({"step": steps, "modes_covered": modes, "class_histogram_kl": kl, "high_quality_fraction": hq,
                      "frechet_distance": fd, "diversity_ratio": np.full(n, 0.5),
                      "sample_drift": drift if drift is not None else np.full(n, 0.5), "finite": np.ones(n),
                      "sample_abs_mean": np.full(n, 1.2)})
    d = d or {}
    for k in ("d_acc_real", "d_acc_fake", "d_accuracy", "d_fake_mean"):
        t[k] = d.get(k, np.full(n, np.nan))
    return t


def _checks(signals, spec=RING):
    held, checkable, cand, never = check_verdicts(signals, spec)
    return SampleChecks(signals, held, checkable, cand, "ring8", spec.n_modes, never, len(signals), len(signals))


def test_a_never_diverse_blob_is_a_collapse_and_a_spread_ring_is_healthy():
    # one blob between the modes: no sample near a mode, flat nearest-mode histogram (LABELS.md's
    # histogram test does not fire), never more than half the modes: collapsed
    blob = _signals([200, 400, 600], [0, 1, 0], [0.05, 0.1, 0.05], [0.0, 0.01, 0.0], [4.0, 5.0, 4.5])
    held, checkable, cand, never = check_verdicts(blob, RING)
    assert never and list(cand) == ["mode_collapse"] * 3 and not held["healthy"].any()
    ring = _signals([200, 400], [8, 8], [0.01, 0.02], [0.97, 0.98], [0.05, 0.04])
    held, checkable, cand, never = check_verdicts(ring, RING)
    assert not never and list(cand) == ["healthy", "healthy"]
    # no D signals: D's labels cannot be checked; 200-step gaps: stagnation cannot either ...
    assert not checkable["d_dominant"].any() and not checkable["g_dominant"].any()
    assert not checkable["stagnation"].any() and checkable["healthy"].all()
    # ... unless G moved less than 0.5 % of the data's spread over the whole gap (then it is still)
    still = _signals([200, 400, 600], [8, 8, 8], [0.01] * 3, [0.97] * 3, [0.05] * 3, drift=[np.nan, 0.001, 0.2])
    held, checkable, cand, _ = check_verdicts(still, RING)
    assert checkable["stagnation"].tolist() == [False, True, False] and cand[1] == "stagnation"
    d = {"d_acc_real": [1.0, 1.0], "d_acc_fake": [1.0, 1.0], "d_accuracy": [1.0, 1.0], "d_fake_mean": [0.01, 0.01]}
    dom = _signals([200, 400], [8, 8], [0.01, 0.02], [0.97, 0.98], [0.05, 0.04], d=d)
    held, checkable, cand, _ = check_verdicts(dom, RING)
    assert checkable["d_dominant"].all() and list(cand) == ["d_dominant", "d_dominant"]


def test_apply_checks_overrides_only_what_the_checks_can_settle():
    steps = np.arange(600)
    L = {name: i for i, name in enumerate(LABELS)}
    rows = np.full(600, L["healthy"])
    rows[:100] = L["warmup"]
    rows[450:] = L["d_dominant"]
    blob = _checks(_signals([200, 400, 599], [0, 0, 0], [0.1] * 3, [0.0] * 3, [4.0] * 3))
    v = apply_checks(rows, steps, blob)
    # healthy can be checked on samples: the collapse overrides it; warm-up stays; d_dominant
    # (not checkable without disc.pth, and LABELS.md puts it before mode_collapse) stays
    assert (v.codes[:100] == L["warmup"]).all() and (v.codes[100:400] == L["mode_collapse"]).all()
    assert v.overridden[100:400].all() and not v.overridden[:100].any()
    # the interval of the check at 599 (401-599) also holds d_dominant rows; its healthy rows are overridden
    assert (v.codes[450:] == L["d_dominant"]).all() and (v.codes[401:450] == L["mode_collapse"]).all()
    # a check whose label some row of its interval already carries confirms those rows, changes nothing else
    rows2 = rows.copy()
    rows2[300:400] = L["mode_collapse"]
    v2 = apply_checks(rows2, steps, blob)
    assert (v2.codes[201:300] == L["healthy"]).all() and v2.confirmed[300:400].all()
    # locked rows (from the first non-finite loss on) never change
    v3 = apply_checks(rows, steps, blob, locked=steps >= 150)
    assert (v3.codes[150:] == v3.log_codes[150:]).all()


@pytest.fixture(scope="module")
def ring_run(tmp_path_factory):
    """A real ring8 run from the trainer (nsgan, lr_G = 10 x lr_D: one blob from the start) with a
    generator and a discriminator checkpoint every 50 steps."""
    from ganalyze.train import TrainConfig, train

    n = torch.get_num_threads()
    torch.set_num_threads(1)
    run = tmp_path_factory.mktemp("samples") / "ring"
    try:
        train(TrainConfig(arch="mlp2d", dataset="ring8", loss="nsgan", steps=200, batch_size=32, lr_d=1e-4,
                          lr_g=1e-3, checkpoint_every=50, sample_every=0, progress=False, device="cpu",
                          ring8_points=500, seed=0), run)
    finally:
        torch.set_num_threads(n)
    return run


def test_real_run_never_diverse_collapse_overrides_a_log_without_diversity(ring_run):
    from ganalyze.runlog import read_run

    checks = measure_checkpoints(ring_run, SampleConfig(max_checkpoints=3), progress=False)
    # 3 of 4 checkpoints (50, 100, 150 and the final 199): evenly spaced, first and last kept
    assert checks.found == 4 and checks.evaluated == 3 and list(checks.steps) == [50, 150, 199]
    assert checks.never_diverse and list(checks.candidate[1:]) == ["mode_collapse"] * 2
    assert checks.signals["has_disc"].all() and checks.seconds < 30
    # a time budget measures the last checkpoint first, then the widest spread, and says what it left out
    quick = measure_checkpoints(ring_run, SampleConfig(max_seconds=0.0), progress=False)
    assert list(quick.steps) == [199] and "3 of the 4 chosen checkpoints not measured" in quick.notes[0]
    assert _coarse_to_fine(8) == [7, 0, 3, 1, 5, 2, 4, 6] and _coarse_to_fine(1) == [0]
    # drift between checks in step order, whatever order they were measured in (LABELS.md's formula)
    full = measure_checkpoints(ring_run, progress=False)
    assert np.isnan(full.signals["sample_drift"][0]) and (full.signals["sample_drift"][1:] > 0).all()
    # the same run logged without its diversity column: the rules cannot see the collapse in the log
    # alone (the learned model, in the default method, reads it from the losses)
    df = read_run(ring_run).drop(columns=["div_pdist_ratio"])
    alone = diagnose(df, method="rules")
    assert "mode_collapse" not in {s.label for s in alone.segments}
    d = diagnose(df, samples=checks, method="rules")
    over = [s for s in d.segments if s.samples["overridden_by_samples"]]
    assert over and all(s.label == "mode_collapse" and s.confidence == pytest.approx(0.9) for s in over)
    o = over[0].samples["overridden_by_samples"]
    assert o["sample_label"] == "mode_collapse" and o["log_label"] != "mode_collapse" and o["rows"] > 0
    assert over[0].rule.startswith("LABELS.md's mode_collapse predicate on the checkpoints")
    assert "modes covered 0" in o["evidence"] or "modes covered 1" in o["evidence"]
    assert d.summary["samples"]["overridden_segments"] == len(over)
    assert d.summary["main_finding"].startswith("mode_collapse")
    assert f"the checkpoints override the log at steps {over[0].start_step}-{over[0].end_step} " \
        f"({o['log_label']} -> mode_collapse)" in d.summary["main_finding"]
    assert d.phases(df).eq("mode_collapse").mean() > 0.5
    assert all(x.label != "mode_collapse" for x in d.not_checkable)
    text = d.text()
    assert "samples override the log's" in text and "3 of 4 generator checkpoints checked" in text


def test_cli_checks_samples_by_default_and_not_with_no_samples(ring_run):
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(ring_run), "--json", "--max-checkpoints", "2"]).stdout)
    smp = out["summary"]["samples"]
    assert smp["checkpoints_evaluated"] == 2 and smp["checkpoints_found"] == 4 and smp["dataset"] == "ring8"
    assert smp["ever_diverse"] is False and smp["device"] == "cpu" and math.isfinite(smp["seconds"])
    for s in out["segments"]:     # keys added, never renamed
        assert {"start_step", "end_step", "label", "confidence", "evidence", "advice", "rule",
                "confirmed_by_samples", "overridden_by_samples"} <= set(s)
    checked = [s for s in out["segments"] if s["label"] == "mode_collapse"]
    assert checked and all(s["confirmed_by_samples"] or s["overridden_by_samples"] for s in checked)
    plain = json.loads(CliRunner().invoke(main, ["diagnose", str(ring_run), "--json", "--no-samples"]).stdout)
    assert "samples" not in plain["summary"] and "confirmed_by_samples" not in plain["segments"][0]
    both = CliRunner().invoke(main, ["diagnose", str(ring_run), "--with-samples", "--no-samples"])
    assert both.exit_code == 2 and "choose one" in both.output


def test_default_samples_skip_a_run_they_cannot_measure_with_a_warning(ring_run, tmp_path):
    import shutil

    run = tmp_path / "run"
    shutil.copytree(ring_run, run)
    (run / "gen.pth").write_bytes(b"not a checkpoint")
    res = CliRunner().invoke(main, ["diagnose", str(run), "--json"])
    assert res.exit_code == 0 and "ganalyze: warning: samples not checked" in res.stderr
    assert "samples" not in json.loads(res.stdout)["summary"]
    strict = CliRunner().invoke(main, ["diagnose", str(run), "--with-samples"])
    assert strict.exit_code == 2 and "Traceback" not in strict.output


def test_checkpoints_without_a_discriminator_leave_d_unchecked_not_diverged():
    from pathlib import Path

    ring8 = Path(__file__).resolve().parents[2] / "sample_runs" / "ring8_vanilla_collapse"
    checks = measure_checkpoints(ring8, progress=False)     # step_*/ hold gen.pth only; the final has disc.pth
    assert checks.signals["has_disc"].tolist() == [False, False, True]
    assert (checks.signals["finite"] == 1.0).all() and "divergence" not in set(checks.candidate)
    assert checks.checkable["d_dominant"].tolist() == [False, False, True]
    assert np.isnan(checks.signals["d_accuracy"][0]) and np.isfinite(checks.signals["d_accuracy"][2])


def test_asking_whether_a_run_has_checkpoints_does_not_import_torch(tmp_path):
    """diagnose asks before every run; importing torch for it cost ~0.5 GB on logs without any."""
    import subprocess
    import sys

    code = ("import sys; from ganalyze.diagnose.samples import has_checkpoints; "
            f"assert has_checkpoints({str(tmp_path)!r}) is False; print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
