"""The numbers a diagnosis' verdict rests on, named, with units and the healthy range beside each.

A segment's evidence holds ~25 window statistics; a reader needs the 3-5 that decided its label.
:func:`deciding_numbers` picks them per label (in order of weight) and describes each one; the
healthy ranges come from :mod:`ganalyze.gan` (bands, equilibrium levels) and from the diagnosis'
own rule thresholds (:class:`ganalyze.diagnose.rules.RuleConfig`), never from a copy.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ganalyze import gan

#: Evidence keys that decide each label, most telling first.
DECIDING = {
    "healthy": ("d_x", "d_g_z", "d_loss_mean", "g_loss_mean", "anticorrelation"),
    "d_dominant": ("d_g_z", "d_x", "d_loss_mean", "g_loss_mean"),
    "g_dominant": ("d_g_z", "g_loss_mean", "d_loss_mean", "d_x"),
    "mode_collapse": ("div_pdist_ratio", "d_g_z", "g_loss_mean", "d_loss_mean"),
    "oscillation": ("var_ratio", "loud_share", "div_pdist_ratio_std", "g_loss_std", "d_g_z"),
    "stagnation": ("d_loss_std", "g_loss_std", "lr_g", "grad_norm_g", "d_loss_trend"),
    "divergence": ("first_nonfinite_step", "grad_norm_d_max", "d_loss_mean", "g_loss_mean"),
    "warmup": ("d_loss_mean", "g_loss_mean", "d_g_z"),
}


@dataclass(frozen=True)
class Number:
    """One deciding number: ``name`` (what it is), ``value``, ``unit``, ``healthy`` (range as text,
    "" when none applies) and ``inside`` (True/False against that range, None when there is none)."""

    key: str
    name: str
    value: float
    unit: str
    healthy: str
    inside: bool | None


def _rules():
    from ganalyze.diagnose.rules import RuleConfig

    return RuleConfig()


def describe(key: str, value: float, assumptions: dict) -> Number:
    """The :class:`Number` for one evidence key of a run diagnosed under ``assumptions``
    (resolved ``loss``, ``d_loss_reduction``, ``scores``)."""
    prob = assumptions.get("scores") == "probability"
    eq = gan.equilibrium(assumptions.get("loss", "unknown"), assumptions.get("d_loss_reduction", "unknown"),
                         assumptions.get("lsgan_terms", "half"))
    rules = _rules()
    name, unit, healthy, inside = key, "", "", None
    if key in ("d_x", "d_g_z"):
        band = gan.SCORE_BANDS[key]
        name = "D(x), window mean" if key == "d_x" else "D(G(z)), window mean"
        unit = "probability" if prob else "critic output"
        if prob:
            healthy, inside = str(band), bool(band.contains(value))
    elif key in ("d_loss_mean", "g_loss_mean"):
        level = eq.d if key == "d_loss_mean" else eq.g
        name = ("D loss" if key == "d_loss_mean" else "G loss") + ", window mean"
        unit = f"{assumptions.get('loss', '')} loss"
        if level is not None:
            healthy = f"around {level.value:.3g} (equilibrium)"
    elif key in ("d_loss_std", "g_loss_std"):
        name, unit = ("D" if key == "d_loss_std" else "G") + " loss std in the window", "loss units"
    elif key == "d_loss_trend":
        name, unit = "D loss change over the window", "loss units per window"
    elif key == "anticorrelation":
        name, unit, healthy = "anti-correlation of the loss changes", "−1 … +1", "> 0 (tug of war)"
        inside = value > 0
    elif key == "crossing_rate":
        name, unit = "helix crossing rate", "crossings per logged row"
    elif key == "var_ratio":
        name, unit = "G-loss std, recent ÷ history", "ratio"
        healthy, inside = f"≤ {rules.var_ratio_high:g}", value <= rules.var_ratio_high
    elif key == "loud_share":
        name, unit = "share of the window's bins with a loud G loss", "fraction"
        healthy, inside = "< 0.5", value < 0.5
    elif key == "div_pdist_ratio":
        name, unit = "sample spread ÷ a real batch's", "ratio (1 = as spread as the data)"
        healthy, inside = f"≥ {rules.div_low:g}", value >= rules.div_low
    elif key == "div_pdist_ratio_std":
        name, unit = "swing of the sample spread in the window", "std of the ratio"
        healthy, inside = f"≤ {rules.div_swing:g}", value <= rules.div_swing
    elif key in ("grad_norm_d", "grad_norm_g", "grad_norm_d_max", "grad_norm_g_max"):
        who = "D" if "_d" in key else "G"
        name = f"‖∇{who}‖" + (", window max" if key.endswith("_max") else ", window mean")
        unit = "L2 norm"
        healthy, inside = f"< {rules.grad_explode:g} (ganhacks)", value < rules.grad_explode
    elif key in ("lr_d", "lr_g"):
        name, unit = ("learning rate of " + ("D" if key == "lr_d" else "G")), "per Adam step"
        healthy, inside = f"> {rules.lr_frozen:g}", value > rules.lr_frozen
    elif key == "first_nonfinite_step":
        name, unit, healthy, inside = "first non-finite loss", "step", "none", False
    return Number(key, name, float(value), unit, healthy, inside)


def deciding_numbers(label: str, evidence: dict, assumptions: dict, at_most: int = 5) -> list[Number]:
    """Up to ``at_most`` described numbers that decided ``label`` (those the segment's evidence has
    and that are finite), most telling first."""
    out = []
    for key in DECIDING.get(label, ()):
        v = evidence.get(key)
        if v is None or not math.isfinite(float(v)):
            continue
        out.append(describe(key, float(v), assumptions))
        if len(out) == at_most:
            break
    return out


def verdict_segment(diagnosis):
    """The segment the verdict is about: the longest segment with the main finding's label, else
    the longest non-warmup segment."""
    segments = list(diagnosis.segments)
    if not segments:
        return None
    main = str(diagnosis.summary.get("main_finding", "")).removeprefix("possible ")   # a label the log cannot check
    label = main.split(" ", 1)[0].rstrip(":")
    hit = [s for s in segments if s.label == label]
    if hit:
        return max(hit, key=lambda s: s.end_step - s.start_step)
    rest = [s for s in segments if s.label != "warmup"] or segments
    return max(rest, key=lambda s: s.end_step - s.start_step)
