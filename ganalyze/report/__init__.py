"""Reports: plotting functions (DataFrame in, matplotlib Axes/Figure out) and the HTML report.

>>> from ganalyze.report import plot_losses, helix_figure, render_report

Names are imported on first use, so ``ganalyze.report.config`` (the CLI's defaults) loads
without pandas or matplotlib.
"""
from __future__ import annotations

from ganalyze.report.config import ReportConfig

_LAZY = {
    "render_report": "build", "minmax_decimate": "decimate",
    "plot_losses": "plots", "plot_scores": "plots", "plot_helix": "plots", "plot_helix_stats": "plots",
    "helix_figure": "plots", "plot_phases": "plots", "plot_quantiles": "plots", "plot_grads": "plots",
    "plot_learning_rates": "plots", "grads_figure": "plots", "plot_samples": "plots",
    "samples_figure": "plots", "plot_compare": "plots", "compare_figure": "plots",
}

__all__ = ["ReportConfig", *_LAZY]


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"ganalyze.report.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'ganalyze.report' has no attribute {name!r}")
