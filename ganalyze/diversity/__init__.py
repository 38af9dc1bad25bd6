"""Diversity of generated samples: a shipped MNIST classifier and the metrics the
mode-collapse literature uses (MNIST digits), plus VEEGAN's ring-of-8 mode counts.

    from ganalyze.diversity import score_digits, score_checkpoint, diversity_over_run
    score_digits(images).table()          # metric | generated | real_heldout | meaning
    diversity_over_run("runs/x", n=2000)  # one row per checkpoint, attrs["collapse_onset_step"]
"""
from __future__ import annotations

from ganalyze.diversity.config import DiversityConfig

# imported on first use, so that ``DiversityConfig`` (the CLI's defaults) loads without torch
_LAZY = {
    "classify": "classifier", "load_classifier": "classifier",
    "DigitScores": "mnist", "real_reference": "mnist", "score_digits": "mnist",
    "plot_diversity_over_steps": "plots", "save_per_class_grid": "plots",
    "Ring8Scores": "ring8", "Ring8Spec": "ring8", "assign_modes": "ring8", "plot_ring8": "ring8",
    "score_ring8": "ring8",
    "CollapseRule": "run", "collapse_onset": "run", "diversity_over_run": "run", "score_checkpoint": "run",
}

__all__ = ["DiversityConfig", *_LAZY]


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"ganalyze.diversity.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'ganalyze.diversity' has no attribute {name!r}")
