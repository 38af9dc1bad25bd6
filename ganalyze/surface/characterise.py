"""What kind of point the checkpoint is on the (α, β) slice, and where a run's path projects.

A GAN equilibrium is a saddle of the game: along the generator's axis its loss has a minimum,
along the discriminator's axis the value function ``V = −d_loss`` has a maximum. We measure
both second derivatives at the origin by the central difference on the grid,
``f''(0) ≈ (f(h) − 2 f(0) + f(−h)) / h²`` with ``h`` the grid step (units: loss per axis-unit²;
the axis unit is the direction's, e.g. one filter norm for ``filter`` directions).

Where the numbers mislead: a curvature is only as good as the slice. Two random directions
see a 2-D cut of a million-dimensional saddle; a minimum along ``d_G`` says nothing about
other directions. A checkpoint mid-training is rarely stationary: the slopes are reported
too, and ``g_argmin_alpha``/``v_argmax_beta`` say where along each axis the extremum actually is.
A second difference smaller than float32 resolution of the losses counts as ``flat``.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
import torch

from ganalyze.errors import GanalyzeError
from ganalyze.surface.directions import project

_FLOAT32_REL = 1e-6


@dataclass(frozen=True)
class Characterisation:
    """Shape of the slice at the origin (the checkpoint)."""

    g_slope_alpha: float  # dg_loss/dα at 0 (central difference)
    g_curvature_alpha: float  # d²g_loss/dα² at 0
    v_slope_beta: float  # dV/dβ at 0, V = −d_loss
    v_curvature_beta: float  # d²V/dβ² at 0
    g_shape_alpha: str  # "minimum" | "maximum" | "flat" (sign of the curvature)
    v_shape_beta: str  # "maximum" | "minimum" | "flat"
    g_argmin_alpha: float  # α of the lowest g_loss on the β = 0 line
    v_argmax_beta: float  # β of the highest V on the α = 0 line
    saddle: bool  # g has a minimum along α and V a maximum along β
    verdict: str

    def to_dict(self) -> dict:
        return asdict(self)


def _second_difference(values: np.ndarray, k: int, h: float) -> tuple[float, float, str]:
    f_m, f_0, f_p = values[k - 1], values[k], values[k + 1]
    slope = (f_p - f_m) / (2 * h)
    second = f_p - 2 * f_0 + f_m
    curvature = second / h**2
    scale = max(abs(f_m), abs(f_0), abs(f_p), 1e-12)
    if abs(second) <= 8 * _FLOAT32_REL * scale:
        shape = "flat"
    else:
        shape = "minimum" if curvature > 0 else "maximum"
    return float(slope), float(curvature), shape


def _origin_index(axis: np.ndarray, name: str) -> tuple[int, float]:
    if axis.size < 3:
        raise GanalyzeError(f"grid: need at least 3 points per axis to measure curvature, got {axis.size}")
    k = int(np.argmin(np.abs(axis)))
    step = float(np.median(np.diff(axis)))
    if abs(axis[k]) > 1e-9 * max(1.0, abs(step)) or k == 0 or k == axis.size - 1:
        raise GanalyzeError(
            f"grid: the {name} axis must contain 0 as an interior point (use an odd grid size); got {axis.size} points"
        )
    return k, step


def characterise(grid: pd.DataFrame) -> Characterisation:
    """Curvatures, slopes and the saddle verdict from a grid DataFrame.

    ``grid`` has one row per point with columns ``alpha``, ``beta``, ``g_loss``, ``d_loss``
    (as returned by :func:`ganalyze.surface.loss_surface`).
    """
    for col in ("alpha", "beta", "g_loss", "d_loss"):
        if col not in grid.columns:
            raise GanalyzeError(f"grid: missing column {col!r}; need alpha, beta, g_loss, d_loss")
    g = grid.pivot(index="alpha", columns="beta", values="g_loss").sort_index().sort_index(axis=1)
    v = -grid.pivot(index="alpha", columns="beta", values="d_loss").sort_index().sort_index(axis=1)
    alphas, betas = g.index.to_numpy(float), g.columns.to_numpy(float)
    ka, ha = _origin_index(alphas, "alpha (generator)")
    kb, hb = _origin_index(betas, "beta (discriminator)")
    g_line = g.to_numpy()[:, kb]
    v_line = v.to_numpy()[ka, :]
    if not (np.isfinite(g_line).all() and np.isfinite(v_line).all()):
        raise GanalyzeError("grid: non-finite losses on the axes through the checkpoint; try a smaller --span")
    g_slope, g_curv, g_shape = _second_difference(g_line, ka, ha)
    v_slope, v_curv, v_shape = _second_difference(v_line, kb, hb)
    saddle = g_shape == "minimum" and v_shape == "maximum"
    g_argmin = float(alphas[int(np.argmin(g_line))])
    v_argmax = float(betas[int(np.argmax(v_line))])
    if saddle:
        verdict = (
            "saddle: the generator's loss curves up along α (a minimum for G) and the value function "
            "curves down along β (a maximum for D), as at a GAN equilibrium"
        )
    else:
        parts = []
        if g_shape != "minimum":
            parts.append(f"G's loss is {'flat' if g_shape == 'flat' else 'concave'} along α (no minimum for G)")
        if v_shape != "maximum":
            parts.append(f"V is {'flat' if v_shape == 'flat' else 'convex'} along β (no maximum for D)")
        verdict = "not a saddle: " + "; ".join(parts)
    if saddle and (abs(g_argmin) > abs(ha) * 1.01 or abs(v_argmax) > abs(hb) * 1.01):
        verdict += (
            f"; but not stationary on this slice: G's loss is lowest at α={g_argmin:.3g}, "
            f"V highest at β={v_argmax:.3g}"
        )
    return Characterisation(
        g_slope_alpha=g_slope,
        g_curvature_alpha=g_curv,
        v_slope_beta=v_slope,
        v_curvature_beta=v_curv,
        g_shape_alpha=g_shape,
        v_shape_beta=v_shape,
        g_argmin_alpha=g_argmin,
        v_argmax_beta=v_argmax,
        saddle=saddle,
        verdict=verdict,
    )


def project_path(
    origin_g: Mapping[str, torch.Tensor],
    origin_d: Mapping[str, torch.Tensor],
    dir_g: Mapping[str, torch.Tensor],
    dir_d: Mapping[str, torch.Tensor],
    checkpoints: Sequence[tuple[int, Mapping[str, torch.Tensor], Mapping[str, torch.Tensor]]],
) -> pd.DataFrame:
    """Project a run's checkpoints onto the (α, β) plane: the training path.

    ``checkpoints`` is a list of ``(step, gen_params, disc_params)``. Each player is projected on
    its own axis: ``α = <θ_G − θ_G0, d_G> / ‖d_G‖²``, ``β`` likewise. Returns a DataFrame with
    ``step, alpha, beta, g_residual, d_residual`` where the residuals are the share of each
    player's displacement the axis does not capture (≈ 1 for random directions: read the
    overlay as a hint, not a map; use ``--directions checkpoint`` for a faithful path).
    """
    rows = []
    for step, pg, pd_ in checkpoints:
        dg = {n: pg[n].to(origin_g[n]) - origin_g[n] for n in dir_g}
        dd = {n: pd_[n].to(origin_d[n]) - origin_d[n] for n in dir_d}
        a, ra = project(dg, dir_g)
        b, rb = project(dd, dir_d)
        rows.append({"step": int(step), "alpha": a, "beta": b, "g_residual": ra, "d_residual": rb})
    return pd.DataFrame(rows, columns=["step", "alpha", "beta", "g_residual", "d_residual"]).sort_values("step", ignore_index=True)


def axis_curvatures_autograd(gen, disc, dir_g, dir_d, noise, real, objective) -> dict[str, float]:
    """Exact second derivatives at the origin by autograd (``torch.func.grad`` twice).

    ``g_curvature_alpha = d²/dα² g_loss(θ_G + α d_G)`` at α = 0 and
    ``v_curvature_beta = d²/dβ² V(θ_D + β d_D)`` at β = 0 (V = −d_loss), on the same batches as
    the grid. An independent check of the grid's central differences: they agree for smooth
    networks as the grid step shrinks; with (Leaky)ReLU the autograd value ignores the kinks
    (which contribute nothing infinitesimally) while the grid's finite difference over one step
    feels them, so the two can differ: the grid value describes the surface at the plotted scale.
    """
    from torch.func import functional_call, grad

    p_g = {n: p.detach() for n, p in gen.named_parameters()}
    b_g = {n: b.detach() for n, b in gen.named_buffers()}
    p_d = {n: p.detach() for n, p in disc.named_parameters()}
    b_d = {n: b.detach() for n, b in disc.named_buffers()}

    def g_of_alpha(alpha):
        fake = functional_call(gen, ({n: p + alpha * dir_g[n] for n, p in p_g.items()}, b_g), (noise,))
        return objective.g(functional_call(disc, (p_d, b_d), (fake,)).reshape(-1))

    with torch.no_grad():
        fake0 = gen(noise)

    def v_of_beta(beta):
        params = ({n: p + beta * dir_d[n] for n, p in p_d.items()}, b_d)
        r = functional_call(disc, params, (real,)).reshape(-1)
        f = functional_call(disc, params, (fake0,)).reshape(-1)
        return -(objective.d_real(r) + objective.d_fake(f))

    zero = torch.zeros((), dtype=noise.dtype, device=noise.device)
    return {
        "g_curvature_alpha": float(grad(grad(g_of_alpha))(zero)),
        "v_curvature_beta": float(grad(grad(v_of_beta))(zero)),
    }
