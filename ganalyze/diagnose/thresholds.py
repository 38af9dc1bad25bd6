"""Loss-aware reference levels and thresholds (what to assume when the run does not say: metadata.py).

[practitioner-loss-curves]'s numbers are for a BCE GAN whose ``d_loss`` is the **sum** of the real and fake terms
(equilibrium D(x) = D(G(z)) = 1/2 gives d_loss = 2 ln 2 = 1.386, g_loss = ln 2 = 0.693). A mean
D loss halves the D levels. LSGAN (0.5*MSE terms, targets 1/0), hinge and WGAN-GP are on other
scales, and their D outputs are critic values, not probabilities: the D(x)/D(G(z)) bands of [practitioner-loss-curves]
do not apply to them, only the loss levels relative to their own equilibrium and the run's history.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ganalyze import gan
from ganalyze.diagnose.metadata import (
    LOSSES,
    REDUCTIONS,
    SCORES,
    SUPPORTED_LOSSES,
    infer_metadata,
)
from ganalyze.gan import is_bce

__all__ = ["LOSSES", "REDUCTIONS", "SCORES", "LossProfile", "profile_for", "resolve_assumptions"]

#: a summed BCE D loss below this is D winning by LABELS.md's d_dominant: D(G(z)) at its 0.05 and D(x) at the 0.85
#: the rules ask of a D sure of the reals (rules.py's ``strong_real``), -ln 0.85 - ln 0.95 = 0.214 (half for a mean).
#: [practitioner-loss-curves]' 0.3 (a D(x) of 0.78 at D(G(z)) 0.05) read D winning beside healthy samples: on the
#: labelled corpus's nsgan runs (100-step means, G above 1.5), 43 % of the steps with D between 0.2 and 0.3 were
#: healthy and 14 % d_dominant, against 11 % and 43 % below 0.2; set from LABELS.md's own levels, not fitted
D_WINS_SUM = -math.log(0.85) - math.log(0.95)


@dataclass(frozen=True)
class LossProfile:
    """Levels of one loss type, in the run's own loss units.

    ``d_eq``/``g_eq``: D and G loss at the equilibrium (D can't tell real from fake);
    ``d_low``: D loss below this means D wins (BCE: :data:`D_WINS_SUM`, 0.214 for a sum; [practitioner-loss-curves]
    said 0.3);
    ``g_high``: G loss above this is "persistently high" ([practitioner-loss-curves]: 1.5 for BCE);
    ``g_low``: G loss below this is "abnormally low" (G fools D);
    ``comparable``: whether D and G losses are on comparable scales around an equilibrium
    (False for WGAN-GP, whose losses are signed critic estimates); ``g_level_known``: False when
    G's logged loss holds other terms (``RunMetadata.g_loss_terms == "composite"``): the rules
    then judge D's level alone and the advice quotes no G level.
    """

    name: str
    d_eq: float
    g_eq: float
    d_low: float
    g_high: float
    g_low: float
    comparable: bool = True
    g_level_known: bool = True


def profile_for(loss: str, reduction: str, lsgan_terms: str = "half") -> LossProfile:
    """The :class:`LossProfile` of a (resolved) loss type and D-loss reduction; ``lsgan_terms``
    (``gan.LSGAN_TERMS``): LSGAN's terms carry the paper's ½ or are plain MSE (twice the levels)."""
    half = 0.5 if reduction == "mean" else 1.0
    if loss in SUPPORTED_LOSSES:
        eq = gan.equilibrium(loss, "mean" if reduction == "mean" else "sum", lsgan_terms)   # levels: ganalyze.gan
    if is_bce(loss):
        # G loss: nsgan -log D(G(z)); minimax logs log(1 - D(G(z))) which is negative -> handled by
        # its own levels: equilibrium -ln 2, "high" means close to 0 (D wins).
        if loss == "minimax":
            return LossProfile("minimax", eq.d.value, eq.g.value, D_WINS_SUM * half, -0.2, -1.2)
        return LossProfile("nsgan", eq.d.value, eq.g.value, D_WINS_SUM * half, 1.5, 0.45)
    if loss == "lsgan":
        k = 2.0 if lsgan_terms == "plain" else 1.0
        return LossProfile("lsgan", eq.d.value, eq.g.value, 0.05 * half * k, 0.35 * k, 0.04 * k)
    if loss == "hinge":
        return LossProfile("hinge", eq.d.value, eq.g.value, 0.3 * half, 1.0, -0.5)
    if loss == "wgan-gp":
        return LossProfile("wgan-gp", eq.d.value, 0.0, -np.inf, np.inf, -np.inf, comparable=False)
    if loss in LOSSES and loss not in SUPPORTED_LOSSES and loss != "unknown":
        # BEGAN, relativistic, ...: no levels are known; only loss-free signals are judged
        return LossProfile(loss, 0.0, 0.0, -np.inf, np.inf, -np.inf, comparable=False)
    from ganalyze.errors import GanalyzeError

    raise GanalyzeError(f"loss: {loss!r}; allowed: {', '.join(LOSSES)}")


def resolve_assumptions(df: pd.DataFrame, loss=None, d_loss_reduction=None, scores=None) -> dict:
    """The ``{"loss", "d_loss_reduction", "scores", "inferred", "note", ...}`` dict of
    :func:`ganalyze.diagnose.metadata.infer_metadata` (kept for callers of the old interface)."""
    return infer_metadata(df, loss, d_loss_reduction, scores).as_dict()
