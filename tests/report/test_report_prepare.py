import math

import numpy as np
import pandas as pd
import pytest

from ganalyze.errors import GanalyzeError
from ganalyze.report import prepare


def _refs(**meta):
    return {r.column: r.value for r in prepare.loss_references(meta)}


def test_equilibrium_values_per_loss_type_and_reduction():
    ln2 = math.log(2)
    assert _refs(loss="nsgan", d_loss_reduction="sum") == pytest.approx(
        {"d_loss": 2 * ln2, "g_loss": ln2, "d_loss_real": ln2, "d_loss_fake": ln2})
    assert _refs(loss="nsgan", d_loss_reduction="mean")["d_loss"] == pytest.approx(ln2)
    assert _refs(loss="minimax", d_loss_reduction="sum")["g_loss"] == pytest.approx(-ln2)
    assert "d_loss" not in _refs(loss="nsgan", d_loss_reduction="unknown")
    assert _refs(loss="lsgan", d_loss_reduction="sum")["d_loss"] == pytest.approx(0.25)
    assert _refs(loss="unknown", d_loss_reduction="sum") == {}
    # the equilibrium formula itself: BCE at D = 1/2
    assert -math.log(0.5) - math.log(1 - 0.5) == pytest.approx(_refs(loss="nsgan", d_loss_reduction="sum")["d_loss"])


def _crossings(frame):
    sign = np.sign(frame["gap"].to_numpy())
    return int(((sign[1:] * sign[:-1]) < 0).sum())


def test_helix_strands_cross_in_healthy_and_separate_in_d_dominant(healthy_df, dominant_df):
    healthy, scale = prepare.helix_frame(healthy_df, span=10)
    dominant, _ = prepare.helix_frame(dominant_df, span=10)
    assert "equilibrium" in scale
    # ground truth: the healthy series swap order every half period (pi*60 steps)
    expected = len(healthy_df) / (math.pi * 60)
    assert _crossings(healthy) >= 0.7 * expected
    assert _crossings(dominant) <= 1
    # D-dominant: G strand above D strand (D winning) at the end, by a wide margin
    assert dominant["gap"].iloc[-100:].min() > 2
    # normalised: healthy strands centre on 1 = equilibrium
    assert healthy["d_norm"].median() == pytest.approx(1.35 / (2 * math.log(2)), rel=0.05)


def test_helix_without_equilibrium_uses_robust_common_scale(healthy_df):
    df = healthy_df.copy()
    df.attrs = {"loss": "wgan-gp", "d_loss_reduction": "unknown", "scores": "critic"}
    frame, scale = prepare.helix_frame(df, span=10)
    assert "robust z-score" in scale
    assert abs(frame["d_norm"].median()) < 0.2 and abs(frame["g_norm"].median()) < 0.2


def test_curve_drops_unlogged_rows_and_requires_column(healthy_df):
    c = prepare.curve(healthy_df, "d_real_q50", span=5)
    assert len(c["raw"][0]) == 40
    with pytest.raises(GanalyzeError, match="d_foo"):
        prepare.curve(healthy_df, "d_foo")


def test_phase_spans_are_contiguous():
    phases = pd.Series(["warmup"] * 3 + ["healthy"] * 4 + ["d_dominant"] * 2)
    assert prepare.phase_spans(phases, np.arange(0, 90, 10)) == [
        (0, 20, "warmup"), (30, 60, "healthy"), (70, 80, "d_dominant")]


def test_sample_grids_thinned_keeping_first_and_last(tmp_path):
    from PIL import Image

    (tmp_path / "samples").mkdir()
    for step in range(0, 2000, 100):
        Image.new("L", (8, 8)).save(tmp_path / "samples" / f"step_{step:06d}.png")
    grids = prepare.sample_grids(tmp_path, max_grids=5)
    assert [s for s, _ in grids][0] == 0 and grids[-1][0] == 1900 and len(grids) == 5
    assert prepare.sample_grids(None) == []


def test_phase_spans_from_segments():
    from types import SimpleNamespace as Seg

    segs = [Seg(start_step=0, end_step=99, label="warmup"), Seg(start_step=100, end_step=499, label="healthy")]
    assert prepare.phase_spans(segs, None) == [(0, 99, "warmup"), (100, 499, "healthy")]
    assert prepare.phase_spans(None, None) == []
