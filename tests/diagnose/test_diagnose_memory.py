"""Memory that follows the data: block-wise passes give the whole-run values bit for bit, a
float32 frame diagnoses exactly like the same values in float64, and the columns the diagnosis
reads are enough to diagnose."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ganalyze.diagnose import diagnose
from ganalyze.diagnose import features as bin_module
from ganalyze.diagnose import window_features as window_module
from ganalyze.diagnose.features import bin_features, prepare
from ganalyze.diagnose.inputs import diagnose_columns
from ganalyze.diagnose.segmenter import point_rows, points_to_steps
from ganalyze.diagnose.thresholds import profile_for
from ganalyze.diagnose.window_features import LogMeta, window_features
from ganalyze.runlog.readers import read_run

SAMPLES = Path(__file__).resolve().parents[2] / "sample_runs"


def _log(n=4000, seed=1):
    rng = np.random.default_rng(seed)
    step = np.cumsum(rng.integers(1, 4, n))
    d = 1.3 + 0.2 * rng.standard_normal(n)
    g = 0.9 + 0.3 * rng.standard_normal(n)
    d[2500], g[3100] = np.nan, np.inf
    div = np.where(np.arange(n) % 9 == 0, rng.random(n), np.nan)
    return pd.DataFrame({"step": step, "d_loss": d, "g_loss": g, "d_x": rng.random(n), "d_g_z1": rng.random(n),
                         "grad_norm_d": np.exp(rng.standard_normal(n)), "div_pdist_ratio": div,
                         "d_loss_real": d / 2, "d_loss_fake": d / 2, "lr_d": np.full(n, 2e-4), "lr_g": np.full(n, 2e-4)})


@pytest.mark.parametrize("loss", ["nsgan", "wgan-gp"])
def test_block_passes_equal_one_pass_over_the_whole_run(monkeypatch, loss):
    df = _log()
    profile, meta = profile_for(loss, "sum"), LogMeta(loss, "sum", "probability" if loss == "nsgan" else "critic")
    whole_bins, whole_windows = bin_features(df, profile), window_features(df, meta)
    monkeypatch.setattr(bin_module, "BLOCK_ROWS", 7)
    monkeypatch.setattr(window_module, "BLOCK_ROWS", 7)
    bins, windows = bin_features(df, profile), window_features(df, meta)
    assert whole_bins.keys() == bins.keys()
    for key, value in whole_bins.items():
        if isinstance(value, np.ndarray):
            assert np.array_equal(value, bins[key], equal_nan=True), key
        else:
            assert value == bins[key], key
    assert whole_windows.equals(windows)
    # and one feature from first principles: the centred 100-step mean of the D loss as a z-score
    row = len(whole_windows) // 2
    point = whole_windows.index[row]
    x = df["d_loss"].to_numpy()
    inside = np.abs(df["step"].to_numpy() - point) <= 50
    med = np.median(x[np.isfinite(x)])
    q75, q25 = np.percentile(x[np.isfinite(x)], [75, 25])
    want = (np.nanmean(np.where(np.isfinite(x[inside]), x[inside], np.nan)) - med) / (q75 - q25)
    assert whole_windows["d_loss_z_c100"].iloc[row] == pytest.approx(want, rel=1e-5)


def test_rows_per_point_match_the_nearest_point_rule():
    rng = np.random.default_rng(2)
    for _ in range(50):
        steps = np.unique(rng.integers(-40, 500, rng.integers(1, 300)))
        points = np.unique(rng.integers(-50, 520, rng.integers(1, 40)))
        nearest = points_to_steps(points, np.arange(len(points)), steps)
        assert np.array_equal(np.repeat(np.arange(len(points)), point_rows(points, steps)), nearest)


@pytest.mark.parametrize("method", ["rules", "learned"])
def test_float32_frame_diagnoses_exactly_like_float64(method):
    df = read_run(SAMPLES / "mnist_collapse")
    values = [c for c in df.columns if c != "step"]
    as64, as32 = df.copy(), df.copy()
    for c in values:
        as64[c] = df[c].astype(np.float32).astype(np.float64)
        as32[c] = df[c].astype(np.float32)
    a, b = diagnose(as64, method=method), diagnose(as32, method=method)
    assert a.to_dict() == b.to_dict()
    assert a.phases(as64).equals(b.phases(as32))


def test_the_columns_diagnose_reads_are_enough():
    df = read_run(SAMPLES / "mnist_mlp_healthy")
    df["epoch"] = df["step"] // 100
    df["wall_time"] = df["step"] * 0.1
    kept = diagnose_columns(df.columns)
    assert "epoch" not in kept and "wall_time" not in kept and {"step", "d_loss", "g_loss"} <= set(kept)
    assert diagnose(df).to_dict() == diagnose(df[kept]).to_dict()
    began = prepare(pd.DataFrame({"step": [0, 1], "d_loss": [0.1, 0.2], "g_loss": [0.1, 0.2],
                                  "K_t": [0.0, 0.01], "M_global": [0.3, 0.2], "misc": [1, 2]}))
    assert diagnose_columns(began.columns) == ["step", "d_loss", "g_loss", "K_t", "M_global"]
