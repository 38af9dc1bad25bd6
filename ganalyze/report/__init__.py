"""Reports: plotting functions (DataFrame in, matplotlib Figure/Axes out) and the HTML report.

>>> from ganalyze.report import plot_losses, plot_helix, render_report
"""
from ganalyze.report.build import render_report
from ganalyze.report.decimate import minmax_decimate
from ganalyze.report.plots import (plot_compare, plot_grads, plot_helix, plot_losses, plot_phases,
                                   plot_quantiles, plot_samples, plot_scores)
from ganalyze.report.prepare import ReportConfig

__all__ = ["render_report", "minmax_decimate", "ReportConfig", "plot_losses", "plot_scores",
           "plot_helix", "plot_phases", "plot_quantiles", "plot_grads", "plot_samples", "plot_compare"]
