"""Plots: elements present (surface, contour levels, checkpoint star, training path), figures closed."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from mpl_toolkits.mplot3d.art3d import Poly3DCollection  # noqa: E402

from ganalyze.errors import GanalyzeError  # noqa: E402
from ganalyze.surface.plots import plot_contour, plot_surface_3d, plot_surface_panels  # noqa: E402


@pytest.fixture
def grid():
    axis = np.linspace(-1, 1, 7)
    a, b = np.meshgrid(axis, axis, indexing="ij")
    g = a**2 - 0.5 * b
    d = b**2 + 0.1 * a
    return pd.DataFrame({"alpha": a.ravel(), "beta": b.ravel(), "g_loss": g.ravel(), "d_loss": d.ravel(), "value": -d.ravel()})


@pytest.fixture
def path():
    return pd.DataFrame({"step": [100, 200, 300, 5000], "alpha": [-0.5, -0.25, 0.0, 9.0], "beta": [0.3, 0.1, 0.0, 0.0]})


def test_contour_marks_checkpoint_and_path(grid, path):
    fig = plot_contour(grid, "g_loss", path)
    ax = fig.axes[0]
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    star = lines["checkpoint"]
    assert star.get_marker() == "*" and list(star.get_xdata()) == [0.0] and list(star.get_ydata()) == [0.0]
    trail = lines["training path"]
    # the point outside the span (alpha = 9) is dropped; x is beta, y is alpha
    assert list(trail.get_xdata()) == [0.3, 0.1, 0.0] and list(trail.get_ydata()) == [-0.5, -0.25, 0.0]
    assert ax.get_xlabel().startswith("β") and ax.get_ylabel().startswith("α")
    assert [t.get_text() for t in ax.texts] == ["step 100", "step 300"]
    plt.close(fig)


def test_surface_3d_has_surface_and_star_at_the_checkpoint_height(grid, path):
    fig = plot_surface_3d(grid, "g_loss", path)
    ax = fig.axes[0]
    assert any(isinstance(c, Poly3DCollection) for c in ax.collections)
    assert ax.get_title() == "generator loss"
    trail = [ln for ln in ax.get_lines() if ln.get_label() == "training path"][0]
    xs, ys, zs = trail.get_data_3d()
    np.testing.assert_allclose(zs, np.asarray(ys) ** 2 - 0.5 * np.asarray(xs), atol=0.1)  # on the surface
    plt.close(fig)


def test_panels_and_bad_input(grid):
    fig = plot_surface_panels(grid, None, kind="contour", title="t")
    titles = [a.get_title() for a in fig.axes if a.get_title()]
    assert titles == ["generator loss", "value V = −d_loss"]
    plt.close(fig)
    with pytest.raises(GanalyzeError, match="missing column 'g_loss'"):
        plot_contour(grid.drop(columns="g_loss"))
    with pytest.raises(GanalyzeError, match="kind"):
        plot_surface_panels(grid, kind="pie")
