"""Plots of a loss-surface grid: 3-D surfaces and contour maps.

Every function takes the grid DataFrame (columns ``alpha``, ``beta`` and the value column,
e.g. ``g_loss`` or ``value`` = V = −d_loss) plus an optional training ``path`` DataFrame
(``alpha``, ``beta``, ``step``, from :func:`ganalyze.surface.characterise.project_path`) and an
optional ``ax``, and returns the matplotlib Figure. The checkpoint (α = β = 0) is marked with a
red star; path points outside the plotted span are dropped from the overlay.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy.interpolate import RegularGridInterpolator  # noqa: E402

from ganalyze.errors import GanalyzeError  # noqa: E402

LABELS = {
    "g_loss": "generator loss",
    "d_loss": "discriminator loss",
    "value": "value V = −d_loss",
    "d_loss_fake": "D loss on fakes",
    "d_loss_real": "D loss on reals",
}
AXIS_G = "α  (generator direction)"
AXIS_D = "β  (discriminator direction)"


def _mesh(grid: pd.DataFrame, column: str):
    for col in ("alpha", "beta", column):
        if col not in grid.columns:
            raise GanalyzeError(f"grid: missing column {col!r}; have {', '.join(map(str, grid.columns))}")
    table = grid.pivot(index="alpha", columns="beta", values=column).sort_index().sort_index(axis=1)
    alphas = table.index.to_numpy(float)
    betas = table.columns.to_numpy(float)
    return alphas, betas, table.to_numpy(float)  # values[i, j] at (alphas[i], betas[j])


def _path_inside(path: pd.DataFrame | None, alphas, betas) -> pd.DataFrame | None:
    if path is None or len(path) == 0:
        return None
    inside = path["alpha"].between(alphas.min(), alphas.max()) & path["beta"].between(betas.min(), betas.max())
    return path[inside]


def _axes(ax, projection=None):
    if ax is not None:
        return ax.figure, ax
    fig = plt.figure(figsize=(6.4, 5.0))
    return fig, fig.add_subplot(111, projection=projection)


def plot_surface_3d(grid: pd.DataFrame, column: str = "g_loss", path: pd.DataFrame | None = None, ax=None):
    """3-D surface of ``column`` over (β, α) with the checkpoint and the training path marked."""
    alphas, betas, z = _mesh(grid, column)
    fig, ax = _axes(ax, projection="3d")
    B, A = np.meshgrid(betas, alphas)
    ax.plot_surface(B, A, z, cmap="viridis", linewidth=0, antialiased=True, alpha=0.9)
    interp = RegularGridInterpolator((alphas, betas), z)
    z0 = float(interp([[0.0, 0.0]])[0]) if alphas.min() <= 0 <= alphas.max() and betas.min() <= 0 <= betas.max() else np.nan
    ax.scatter([0.0], [0.0], [z0], color="red", marker="*", s=160, depthshade=False, label="checkpoint", zorder=10)
    inside = _path_inside(path, alphas, betas)
    if inside is not None and len(inside):
        zp = interp(inside[["alpha", "beta"]].to_numpy(float))
        ax.plot(inside["beta"], inside["alpha"], zp, color="white", marker="o", ms=3, lw=1.5, label="training path", zorder=11)
    ax.set_xlabel(AXIS_D)
    ax.set_ylabel(AXIS_G)
    ax.set_zlabel(LABELS.get(column, column))
    ax.set_title(LABELS.get(column, column))
    ax.legend(loc="upper left", fontsize="small")
    return fig


def plot_contour(grid: pd.DataFrame, column: str = "g_loss", path: pd.DataFrame | None = None, ax=None, levels: int = 20):
    """Filled contour map of ``column`` with the checkpoint (star) and the training path overlaid."""
    alphas, betas, z = _mesh(grid, column)
    fig, ax = _axes(ax)
    cf = ax.contourf(betas, alphas, z, levels=levels, cmap="viridis")
    ax.contour(betas, alphas, z, levels=levels, colors="k", linewidths=0.4, alpha=0.5)
    fig.colorbar(cf, ax=ax, label=LABELS.get(column, column))
    ax.plot([0.0], [0.0], marker="*", color="red", ms=14, ls="none", label="checkpoint")
    inside = _path_inside(path, alphas, betas)
    if inside is not None and len(inside):
        ax.plot(inside["beta"], inside["alpha"], color="white", marker="o", ms=3, lw=1.2, label="training path")
        for _, row in inside.iloc[[0, -1]].iterrows():
            ax.annotate(f"step {int(row['step'])}", (row["beta"], row["alpha"]), color="white", fontsize="x-small",
                        xytext=(3, 3), textcoords="offset points")
    ax.set_xlabel(AXIS_D)
    ax.set_ylabel(AXIS_G)
    ax.set_title(LABELS.get(column, column))
    ax.legend(loc="upper right", fontsize="small")
    return fig


def plot_surface_panels(grid: pd.DataFrame, path: pd.DataFrame | None = None, kind: str = "surface", title: str = ""):
    """Two panels side by side: the generator's loss and the value function V, as ``surface`` or ``contour``."""
    if kind not in ("surface", "contour"):
        raise GanalyzeError(f"kind: got {kind!r}; allowed: surface, contour")
    fig = plt.figure(figsize=(12, 5))
    for i, column in enumerate(("g_loss", "value")):
        if kind == "surface":
            plot_surface_3d(grid, column, path, ax=fig.add_subplot(1, 2, i + 1, projection="3d"))
        else:
            plot_contour(grid, column, path, ax=fig.add_subplot(1, 2, i + 1))
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
