"""Diversity of generated samples: a shipped MNIST classifier and the metrics the
mode-collapse literature uses (MNIST digits), plus VEEGAN's ring-of-8 mode counts.

    from ganalyze.diversity import score_digits, score_checkpoint, diversity_over_run
    score_digits(images).table()          # metric | generated | real_heldout | meaning
    diversity_over_run("runs/x", n=2000)  # one row per checkpoint, attrs["collapse_onset_step"]
"""
from ganalyze.diversity.classifier import classify, load_classifier
from ganalyze.diversity.mnist import DigitScores, DiversityConfig, real_reference, score_digits
from ganalyze.diversity.plots import plot_diversity_over_steps, save_per_class_grid
from ganalyze.diversity.ring8 import Ring8Scores, Ring8Spec, assign_modes, plot_ring8, score_ring8
from ganalyze.diversity.run import (CollapseRule, collapse_onset, diversity_over_run,
                                    score_checkpoint)

__all__ = ["classify", "load_classifier", "DigitScores", "DiversityConfig", "real_reference",
           "score_digits", "plot_diversity_over_steps", "save_per_class_grid", "Ring8Scores",
           "Ring8Spec", "assign_modes", "plot_ring8", "score_ring8", "CollapseRule",
           "collapse_onset", "diversity_over_run", "score_checkpoint"]
