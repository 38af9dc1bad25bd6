"""Loss-aware reference levels and thresholds, and what to assume when the run does not say.

Seed 000's numbers are for a BCE GAN whose ``d_loss`` is the **sum** of the real and fake terms
(equilibrium D(x) = D(G(z)) = 1/2 gives d_loss = 2 ln 2 = 1.386, g_loss = ln 2 = 0.693). A mean
D loss halves the D levels. LSGAN (0.5*MSE terms, targets 1/0), hinge and WGAN-GP are on other
scales, and their D outputs are critic values, not probabilities: the D(x)/D(G(z)) bands of seed 000
do not apply to them, only the loss levels relative to their own equilibrium and the run's history.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ganalyze import gan
from ganalyze.errors import GanalyzeError
from ganalyze.gan import LN2, is_bce
from ganalyze.gan import LOSS_CHOICES as LOSSES
from ganalyze.gan import REDUCTION_CHOICES as REDUCTIONS
from ganalyze.gan import SCORE_CHOICES as SCORES


@dataclass(frozen=True)
class LossProfile:
    """Levels of one loss type, in the run's own loss units.

    ``d_eq``/``g_eq``: D and G loss at the equilibrium (D can't tell real from fake);
    ``d_low``: D loss below this means D wins (seed 000: 0.3 for a summed BCE);
    ``g_high``: G loss above this is "persistently high" (seed 000: 1.5 for BCE);
    ``g_low``: G loss below this is "abnormally low" (G fools D);
    ``comparable``: whether D and G losses are on comparable scales around an equilibrium
    (False for WGAN-GP, whose losses are signed critic estimates).
    """

    name: str
    d_eq: float
    g_eq: float
    d_low: float
    g_high: float
    g_low: float
    comparable: bool = True


def profile_for(loss: str, reduction: str) -> LossProfile:
    """The :class:`LossProfile` of a (resolved) loss type and D-loss reduction."""
    half = 0.5 if reduction == "mean" else 1.0
    eq = gan.equilibrium(loss, "mean" if reduction == "mean" else "sum")   # levels: ganalyze.gan
    if is_bce(loss):
        # G loss: nsgan -log D(G(z)); minimax logs log(1 - D(G(z))) which is negative -> handled by
        # its own levels: equilibrium -ln 2, "high" means close to 0 (D wins).
        if loss == "minimax":
            return LossProfile("minimax", eq.d.value, eq.g.value, 0.3 * half, -0.2, -1.2)
        return LossProfile("nsgan", eq.d.value, eq.g.value, 0.3 * half, 1.5, 0.45)
    if loss == "lsgan":
        return LossProfile("lsgan", eq.d.value, eq.g.value, 0.05 * half, 0.35, 0.04)
    if loss == "hinge":
        return LossProfile("hinge", eq.d.value, eq.g.value, 0.3 * half, 1.0, -0.5)
    if loss == "wgan-gp":
        return LossProfile("wgan-gp", eq.d.value, 0.0, -np.inf, np.inf, -np.inf, comparable=False)
    raise GanalyzeError(f"loss: {loss!r}; allowed: {', '.join(LOSSES)}")


def _check(name, value, allowed):
    if value is not None and value not in allowed:
        raise GanalyzeError(f"{name}: {value!r}; allowed: {', '.join(allowed)}")


def resolve_assumptions(df: pd.DataFrame, loss=None, d_loss_reduction=None, scores=None) -> dict:
    """What the diagnosis assumes about the loss: run metadata wins, then the arguments, then
    inference from the numbers. Returns ``{"loss", "d_loss_reduction", "scores", "inferred": [...],
    "note": str}``; ``inferred`` names the keys that were guessed (confidence is lowered for them)."""
    _check("loss", loss, LOSSES)
    _check("d_loss_reduction", d_loss_reduction, REDUCTIONS)
    _check("scores", scores, SCORES)
    meta = dict(df.attrs or {})
    out, inferred, notes = {}, [], []
    for key, arg in (("loss", loss), ("d_loss_reduction", d_loss_reduction), ("scores", scores)):
        m = meta.get(key)
        out[key] = m if m not in (None, "unknown") else (arg if arg not in (None, "unknown") else None)
    d = pd.to_numeric(df["d_loss"], errors="coerce").to_numpy(dtype="float64")
    g = pd.to_numeric(df["g_loss"], errors="coerce").to_numpy(dtype="float64")
    head = max(5, min(len(d) // 20, 200))
    d0 = float(np.nanmedian(d[:head])) if np.isfinite(d[:head]).any() else float("nan")
    if out["scores"] is None:
        if "d_x" in df.columns and "d_g_z1" in df.columns or "d_x" in df.columns:
            dx = pd.to_numeric(df["d_x"], errors="coerce").to_numpy(dtype="float64")
            fin = dx[np.isfinite(dx)]
            out["scores"] = "probability" if len(fin) and fin.min() >= 0 and fin.max() <= 1 else "critic"
            notes.append(f"scores={out['scores']} because d_x {'stays' if out['scores'] == 'probability' else 'leaves'} [0, 1]")
        else:
            out["scores"] = "probability" if out["loss"] is None or is_bce(out["loss"]) else "critic"
            notes.append(f"scores={out['scores']} assumed (no d_x column)")
        inferred.append("scores")
    if out["loss"] is None:
        gmin = np.nanmin(g) if np.isfinite(g).any() else 0.0
        dmin = np.nanmin(d) if np.isfinite(d).any() else 0.0
        if (dmin < -0.05 or gmin < -0.05) and out["scores"] == "critic":
            out["loss"] = "wgan-gp"
            notes.append("loss=wgan-gp because losses go negative with critic scores")
        elif gmin < 0 and out["scores"] == "probability":
            out["loss"] = "minimax"
            notes.append("loss=minimax because the G loss is negative with probability scores")
        else:
            out["loss"] = "nsgan"
            notes.append("loss=nsgan (BCE) assumed")
        inferred.append("loss")
    if out["d_loss_reduction"] is None:
        if is_bce(out["loss"]) and np.isfinite(d0):
            out["d_loss_reduction"] = "mean" if abs(d0 - LN2) < abs(d0 - 2 * LN2) else "sum"
            notes.append(f"d_loss_reduction={out['d_loss_reduction']} because d_loss starts at {d0:.3g} "
                         f"(sum of BCE terms starts near 2 ln 2 = 1.386, a mean near ln 2 = 0.693)")
        else:
            out["d_loss_reduction"] = "sum"
            notes.append("d_loss_reduction=sum assumed (the trainer's and seed 000's convention)")
        inferred.append("d_loss_reduction")
    out["inferred"] = inferred
    out["note"] = "; ".join(notes)
    return out
