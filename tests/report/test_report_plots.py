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
    ax = plots.plot_helix(healthy_df, span=10)
    labels = _labels(ax)
    assert "D loss strand" in labels and "G loss strand" in labels
    assert any(lab.startswith("crossings (") for lab in labels)
    n_cross = int([lab for lab in labels if lab.startswith("crossings")][0].split("(")[1].rstrip(")"))
    assert n_cross >= 5
    assert any(isinstance(c, LineCollection) and len(c.get_segments()) > 50 for c in ax.collections)
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 2
    ax2 = plots.plot_helix(dominant_df, span=10)
    assert not any(lab.startswith("crossings") for lab in _labels(ax2))


def test_helix_figure_has_crossing_rate_and_anticorrelation_on_their_own_axes(healthy_df):
    stats = pd.DataFrame({"step": healthy_df["step"], "crossing_rate": 0.01, "anticorrelation": 0.8})
    fig = plots.helix_figure(healthy_df, stats, span=10)
    strands, cr, ac = fig.axes
    assert len(fig.axes) == 3                                  # no twin axis: the zero line is not on the rate's axis
    assert "run mean 0.01" in cr.get_title(loc="left") and cr.get_ylim()[0] == 0
    assert "run mean +0.80" in ac.get_title(loc="left") and ac.get_ylim() == pytest.approx((-1.05, 1.05))
    assert len(plots.helix_figure(healthy_df, span=10).axes) == 1


@pytest.mark.parametrize("loss", ["minimax", "nsgan", "lsgan", "wgan-gp", "hinge"])
def test_helix_is_readable_for_every_loss_type(healthy_df, loss):
    """Each loss type's strands stay on a readable scale (minimax once scaled to ±190,000)."""
    df = healthy_df.copy()
    if loss == "minimax":                # minimax G logs ln(1 - D(G(z))) < 0; around -ln 2 here
        df["g_loss"] = -df["g_loss"]
    df.attrs = {**healthy_df.attrs, "loss": loss, "scores": "probability" if loss in ("minimax", "nsgan") else "critic"}
    ax = plots.plot_helix(df, span=10)
    lo, hi = ax.get_ylim()
    assert -10 < lo < hi < 10
    frame = [line for line in ax.get_lines() if line.get_label() == "D loss strand"][0]
    assert np.isfinite(frame.get_ydata()).all()


def test_axes_level_functions_draw_into_the_given_axes(healthy_df, tmp_path):
    from PIL import Image

    grids = []
    for step in (0, 500):
        path = tmp_path / f"step_{step:06d}.png"
        Image.new("L", (40, 40), color=step % 255).save(path)
        grids.append((step, path))
    fig, axes = plt.subplots(2, 4)
    calls = [lambda a: plots.plot_losses(healthy_df, a), lambda a: plots.plot_scores(healthy_df, a),
             lambda a: plots.plot_helix(healthy_df, a), lambda a: plots.plot_quantiles(healthy_df, a),
             lambda a: plots.plot_grads(healthy_df, a), lambda a: plots.plot_learning_rates(healthy_df, a),
             lambda a: plots.plot_samples(grids, a), lambda a: plots.plot_compare({"a": healthy_df}, "d_loss", a)]
    for a, call in zip(axes.flat, calls):
        assert call(a) is a
    assert len(fig.axes) == 8                                  # nothing added, nothing dropped
    assert [t.get_text() for t in axes.flat[6].texts] == ["step 0", "step 500"]
    assert len(axes.flat[6].images) == 2
    plt.close(fig)


def test_figure_level_functions_return_figures(healthy_df, dominant_df):
    fig = plots.grads_figure(healthy_df)                       # constant learning rates: no flat panel
    assert len(fig.axes) == 1 and "learning rates constant" in fig.axes[0].get_title(loc="right")
    df = healthy_df.copy()
    df["lr_g"] = np.linspace(2e-4, 1e-4, len(df))
    assert len(plots.grads_figure(df).axes) == 2
    fig = plots.compare_figure({"healthy": healthy_df, "dominant": dominant_df})
    assert len([a for a in fig.axes if a.get_visible()]) == 4
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["healthy", "dominant"]


def test_smoothing_follows_the_frame_as_it_is_now(healthy_df):
    """No cache keyed by the frame's id(): assigning a column changes what is drawn."""
    ax = plots.plot_losses(healthy_df, span=10)
    before = [line for line in ax.get_lines() if line.get_label() == "D loss"][0].get_ydata().max()
    healthy_df["d_loss"] = healthy_df["d_loss"] + 10.0
    ax = plots.plot_losses(healthy_df, span=10)
    after = [line for line in ax.get_lines() if line.get_label() == "D loss"][0].get_ydata().max()
    assert after == pytest.approx(before + 10.0)


def test_phases_quantiles_grads_and_accessor(healthy_df):
    phases = pd.Series(["warmup"] * 200 + ["healthy"] * 1800)
    ax = plots.plot_phases(healthy_df, phases=phases)
    assert [t.get_text() for t in ax.texts] == ["warmup", "healthy"]
    ax = plots.plot_losses(healthy_df, phases=phases)
    assert sum(p.get_label().startswith("_phase:") for p in ax.patches) == 2
    ax = plots.plot_quantiles(healthy_df)
    assert "D on real batch: median" in _labels(ax)
    ax = plots.plot_grads(healthy_df)
    assert ax.get_yscale() == "log"
    for name in ("losses", "scores", "helix", "quantiles", "grads"):   # the accessor: all Axes
        assert isinstance(getattr(healthy_df.gan.plot, name)(), plt.Axes)


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
