import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PolyCollection

import ganalyze  # noqa: F401  (registers df.gan)
from ganalyze.errors import GanalyzeError
from ganalyze.report import plots


def _labels(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_losses_draw_raw_smooth_components_and_equilibrium_lines(healthy_df):
    ax = plots.plot_losses(healthy_df, span=20)
    labels = _labels(ax)
    assert "D loss" in labels and "G loss" in labels and "D loss on real" in labels
    eq = [line for line in ax.get_lines() if line.get_label().startswith("D equilibrium")]
    assert len(eq) == 1 and eq[0].get_ydata()[0] == pytest.approx(2 * math.log(2))
    assert "BCE, D loss = real + fake" in eq[0].get_label()
    g_eq = [line for line in ax.get_lines() if line.get_label().startswith("G equilibrium")]
    assert g_eq[0].get_ydata()[0] == pytest.approx(math.log(2))
    raw = [line for line in ax.get_lines() if line.get_label() == "_raw:d_loss"][0]
    assert raw.get_alpha() < 0.5          # raw is faint, smoothed on top
    assert "nsgan" in ax.get_title(loc="left")


def test_losses_of_a_10k_row_run_are_reduced_but_keep_the_spike(healthy_df):
    df = pd.concat([healthy_df] * 5, ignore_index=True)
    df["step"] = np.arange(len(df))
    df.loc[7777, "g_loss"] = 25.0
    df.attrs = healthy_df.attrs
    ax = plots.plot_losses(df, span=20, n_columns=500)
    raw = [line for line in ax.get_lines() if line.get_label() == "_raw:g_loss"][0]
    assert len(raw.get_ydata()) <= 1000 and max(raw.get_ydata()) == 25.0


def test_scores_have_healthy_bands_only_for_probabilities(healthy_df):
    ax = plots.plot_scores(healthy_df)
    bands = [p for p in ax.patches if "healthy" in p.get_label()]
    assert len(bands) == 2
    assert "D(G(z)) after D step (what G saw)" in _labels(ax)
    df = healthy_df.copy()
    df.attrs = {**healthy_df.attrs, "scores": "critic"}
    ax2 = plots.plot_scores(df)
    assert not [p for p in ax2.patches if "healthy" in p.get_label()]


def test_helix_has_two_strands_rungs_coloured_gap_and_crossings(healthy_df, dominant_df):
    fig = plots.plot_helix(healthy_df, span=10)
    ax = fig.axes[0]
    labels = _labels(ax)
    assert "D loss strand" in labels and "G loss strand" in labels
    assert any(lab.startswith("crossings (") for lab in labels)
    n_cross = int([lab for lab in labels if lab.startswith("crossings")][0].split("(")[1].rstrip(")"))
    assert n_cross >= 5
    assert any(isinstance(c, LineCollection) and len(c.get_segments()) > 50 for c in ax.collections)
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 2
    fig2 = plots.plot_helix(dominant_df, span=10)
    assert not any(lab.startswith("crossings") for lab in _labels(fig2.axes[0]))


def test_helix_with_stats_panel_shows_crossing_rate_and_anticorrelation(healthy_df):
    stats = pd.DataFrame({"step": healthy_df["step"], "crossing_rate": 0.01, "anticorrelation": 0.8})
    fig = plots.plot_helix(healthy_df, span=10, stats=stats)
    assert len(fig.axes) == 3
    assert "anti-correlation +0.80" in fig.axes[0].get_title(loc="left")


def test_phases_quantiles_grads_and_accessor(healthy_df):
    phases = pd.Series(["warmup"] * 200 + ["healthy"] * 1800)
    ax = plots.plot_phases(healthy_df, phases=phases)
    assert [t.get_text() for t in ax.texts] == ["warmup", "healthy"]
    ax = plots.plot_losses(healthy_df, phases=phases)
    assert sum(p.get_label().startswith("_phase:") for p in ax.patches) == 2
    ax = plots.plot_quantiles(healthy_df)
    assert "D on real batch: median" in _labels(ax)
    fig = plots.plot_grads(healthy_df)
    assert fig.axes[0].get_yscale() == "log" and len(fig.axes) == 2
    assert healthy_df.gan.plot.losses() is not None
    assert healthy_df.gan.plot.helix().axes


def test_missing_columns_raise_user_errors(healthy_df):
    with pytest.raises(GanalyzeError, match="d_real_q05"):
        plots.plot_quantiles(healthy_df[["step", "d_loss", "g_loss"]])
    with pytest.raises(GanalyzeError, match="grad_norm_d"):
        plots.plot_grads(healthy_df[["step", "d_loss", "g_loss"]])
    with pytest.raises(GanalyzeError, match="g_loss"):
        plots.plot_helix(healthy_df[["step", "d_loss"]])
    with pytest.raises(GanalyzeError, match="sample grids"):
        plots.plot_samples([])


def test_non_finite_losses_are_marked_not_silently_dropped(healthy_df):
    df = healthy_df.copy()
    df.attrs = healthy_df.attrs
    df.loc[1500:, "d_loss"] = np.inf
    df.loc[1800:, "g_loss"] = np.nan
    ax = plots.plot_losses(df)
    labels = _labels(ax)
    assert "D loss non-finite from step 1,500 (500 rows)" in labels
    assert "G loss non-finite from step 1,800 (200 rows)" in labels


def test_exploding_losses_switch_to_symlog(healthy_df):
    df = healthy_df.copy()
    df.attrs = healthy_df.attrs
    df.loc[1500:, "d_loss"] = np.linspace(1, 5e6, 500)
    ax = plots.plot_losses(df)
    assert ax.get_yscale() == "symlog" and "exploding" in ax.get_ylabel()
    assert plots.plot_losses(healthy_df).get_yscale() == "linear"
