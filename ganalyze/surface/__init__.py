"""Loss-surface slice around a checkpoint pair: α moves the generator, β the discriminator.

    from ganalyze.surface import loss_surface, compute_surface, SurfaceConfig
    df = loss_surface("runs/x/gen.pth", "runs/x/disc.pth", SurfaceConfig(grid=21))
    df.attrs["surface"]["characterisation"]["verdict"]

Modules: ``config`` (SurfaceConfig), ``directions`` (filter/layer/random/checkpoint),
``objectives`` (each loss type's two losses), ``grid`` (batched evaluation), ``characterise``
(curvatures, saddle verdict, training path), ``plots``, ``checkpoints`` (safe loading), ``api``.
Exports are imported lazily so that ``ganalyze.surface.config`` stays free of torch.
"""
from __future__ import annotations

from ganalyze.surface.config import SurfaceConfig

_LAZY = {
    "loss_surface": "ganalyze.surface.api",
    "compute_surface": "ganalyze.surface.api",
    "save_surface": "ganalyze.surface.api",
    "Surface": "ganalyze.surface.api",
    "characterise": "ganalyze.surface.characterise",
    "project_path": "ganalyze.surface.characterise",
    "make_direction": "ganalyze.surface.directions",
    "evaluate_grid": "ganalyze.surface.grid",
    "plot_surface_3d": "ganalyze.surface.plots",
    "plot_contour": "ganalyze.surface.plots",
    "plot_surface_panels": "ganalyze.surface.plots",
}

__all__ = ["SurfaceConfig", *_LAZY]


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ganalyze.surface' has no attribute {name!r}")
