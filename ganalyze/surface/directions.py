"""Directions in parameter space along which one player's weights are moved.

A direction is a ``dict[str, Tensor]`` with the same names and shapes as the network's
``named_parameters()`` (buffers such as BatchNorm running statistics are never moved).
The point on the axis at coordinate ``t`` is ``θ + t·d``.

Kinds (``DIRECTION_KINDS``):

- ``filter``: Li et al. (2018) filter-normalised random direction. Every weight tensor with
  two or more dimensions gets a Gaussian direction, and each *filter* — a slice along
  dimension 0, i.e. one output neuron of a Linear layer or one output channel of a Conv
  layer (for ConvTranspose layers dimension 0 is the input channel; we follow Li et al.'s
  code, which also slices dimension 0) — is rescaled to the Frobenius norm of the same
  filter of the weights. One-dimensional parameters (biases, BatchNorm/LayerNorm scale and
  shift) get a zero direction: they are not moved. At t = 1 every filter has moved by its
  own norm, so the axis is in units of "one filter norm".
- ``layer``: as ``filter`` but each whole weight tensor is scaled to that tensor's norm.
- ``random``: i.i.d. Gaussian over every parameter (biases and norm parameters included),
  rescaled as a whole so that ``‖d‖ = ‖θ‖`` (the network's global parameter norm). Not
  normalised per layer, so small layers are moved proportionally more than in ``filter``.
- ``checkpoint``: ``θ_to − θ`` (every parameter); t = 1 is the second checkpoint.

Random kinds draw from the ``torch.Generator`` passed in (on the CPU, so the same seed
gives the same direction on every device) and are moved to the parameter's device.
"""
from __future__ import annotations

from collections.abc import Mapping

import torch

from ganalyze.errors import GanalyzeError
from ganalyze.surface.config import DIRECTION_KINDS

_EPS = 1e-10

Direction = dict[str, torch.Tensor]


def _gaussian_like(p: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    g = torch.randn(p.shape, generator=generator, dtype=torch.float64)
    return g.to(device=p.device, dtype=p.dtype)


def filter_normalized_direction(params: Mapping[str, torch.Tensor], generator: torch.Generator) -> Direction:
    """Li et al. (2018) direction: each filter (slice along dim 0) scaled to the weight filter's norm."""
    out: Direction = {}
    for name, p in params.items():
        if p.dim() <= 1:
            out[name] = torch.zeros_like(p)
            continue
        d = _gaussian_like(p, generator)
        d_norm = d.flatten(1).norm(dim=1)
        p_norm = p.detach().flatten(1).norm(dim=1)
        scale = p_norm / (d_norm + _EPS)
        out[name] = d * scale.view(-1, *([1] * (p.dim() - 1)))
    return out


def layer_normalized_direction(params: Mapping[str, torch.Tensor], generator: torch.Generator) -> Direction:
    """Each weight tensor's direction scaled to that tensor's norm; 1-D parameters not moved."""
    out: Direction = {}
    for name, p in params.items():
        if p.dim() <= 1:
            out[name] = torch.zeros_like(p)
            continue
        d = _gaussian_like(p, generator)
        out[name] = d * (p.detach().norm() / (d.norm() + _EPS))
    return out


def random_direction(params: Mapping[str, torch.Tensor], generator: torch.Generator) -> Direction:
    """Gaussian over every parameter, scaled as a whole to the network's parameter norm."""
    out: Direction = {name: _gaussian_like(p, generator) for name, p in params.items()}
    total_d = direction_norm(out)
    total_p = direction_norm(params)
    scale = total_p / (total_d + _EPS)
    return {name: d * scale for name, d in out.items()}


def checkpoint_direction(params: Mapping[str, torch.Tensor], params_to: Mapping[str, torch.Tensor]) -> Direction:
    """``θ_to − θ`` for every parameter; both must have the same names and shapes."""
    out: Direction = {}
    for name, p in params.items():
        if name not in params_to:
            raise GanalyzeError(
                f"to: second checkpoint has no parameter {name!r}; both checkpoints must have the same architecture"
            )
        q = params_to[name]
        if tuple(q.shape) != tuple(p.shape):
            raise GanalyzeError(
                f"to: parameter {name!r} has shape {tuple(q.shape)} in the second checkpoint "
                f"but {tuple(p.shape)} in the first; both must have the same architecture"
            )
        out[name] = q.detach().to(device=p.device, dtype=p.dtype) - p.detach()
    return out


def make_direction(
    kind: str,
    params: Mapping[str, torch.Tensor],
    generator: torch.Generator | None = None,
    params_to: Mapping[str, torch.Tensor] | None = None,
) -> Direction:
    """Dispatch on ``kind`` (one of ``DIRECTION_KINDS``)."""
    if kind == "checkpoint":
        if params_to is None:
            raise GanalyzeError("directions: 'checkpoint' needs a second pair of checkpoints (to=...)")
        return checkpoint_direction(params, params_to)
    if generator is None:
        raise GanalyzeError(f"directions: {kind!r} needs a seeded torch.Generator")
    makers = {"filter": filter_normalized_direction, "layer": layer_normalized_direction, "random": random_direction}
    if kind not in makers:
        raise GanalyzeError(f"directions: got {kind!r}; allowed: {', '.join(DIRECTION_KINDS)}")
    return makers[kind](params, generator)


def direction_norm(direction: Mapping[str, torch.Tensor]) -> float:
    """Global L2 norm over all tensors (float64 accumulation)."""
    total = sum(float(t.detach().double().pow(2).sum()) for t in direction.values())
    return total ** 0.5


def project(displacement: Mapping[str, torch.Tensor], direction: Mapping[str, torch.Tensor]) -> tuple[float, float]:
    """Coordinate ``t`` of ``displacement`` on ``direction`` and the share of it left unexplained.

    ``t = <Δ, d> / <d, d>`` (least squares onto the 1-D axis), so ``θ + t·d`` is the point of the
    axis nearest to ``θ + Δ``. Returns ``(t, residual_fraction)`` with
    ``residual_fraction = ‖Δ − t·d‖ / ‖Δ‖`` (1 = orthogonal to the axis, 0 = on it). Random
    directions in a million-dimensional space are nearly orthogonal to any training path, so
    their projections are tiny and the residual is ≈ 1: the overlay is then only a hint.
    """
    dot = 0.0
    dd = 0.0
    delta_sq = 0.0
    for name, d in direction.items():
        delta = displacement[name].detach().double()
        dv = d.detach().double().to(delta.device)
        dot += float((delta * dv).sum())
        dd += float((dv * dv).sum())
        delta_sq += float((delta * delta).sum())
    if dd <= 0.0:
        return 0.0, 1.0 if delta_sq > 0 else 0.0
    t = dot / dd
    resid_sq = max(delta_sq - t * t * dd, 0.0)
    return t, (resid_sq ** 0.5) / (delta_sq ** 0.5) if delta_sq > 0 else 0.0
