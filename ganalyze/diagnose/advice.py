"""Advice per segment, phrased for the run at hand, from seed 000's tuning rules and ganhacks.

Seed 000: D loss < 0.3 -> D's lr x0.8; G loss > 1.5 -> G's lr x1.2; |G - D| > 0.5 -> weaker
side's lr x1.5; loss gap > 0.7 -> update the weaker side twice per step (2:1); recent loss std >
2x history's -> early stop. ganhacks: gradient norms over 100 or D loss at 0 signal failure.
The loss levels are seed 000's for a summed BCE; they are rescaled for the run's loss type.
"""
from __future__ import annotations

import numpy as np

from ganalyze.gan import is_bce


def _fmt(x):
    return f"{x:.3g}" if np.isfinite(x) else "n/a"


def advice_for(label: str, ev: dict, profile, assumptions: dict, lr: dict, start: int, end: int) -> list:
    """Advice strings for one segment. ``lr``: the run's logged learning rates ({'lr_d': x, 'lr_g': y}
    over the segment, NaN if not logged) so the advice names concrete values."""
    out = []
    d, g = ev.get("d_loss_mean", np.nan), ev.get("g_loss_mean", np.nan)
    lr_d, lr_g = lr.get("lr_d", np.nan), lr.get("lr_g", np.nan)

    def new(lr_val, mult):
        return f" (from {_fmt(lr_val)} to {_fmt(lr_val * mult)})" if np.isfinite(lr_val) else ""

    bce = is_bce(profile.name)
    if label == "d_dominant":
        if np.isfinite(d) and (d < profile.d_low or not bce):
            out.append(f"D loss averages {_fmt(d)} (< {_fmt(profile.d_low)}) over steps {start}-{end}: "
                       f"multiply D's learning rate by 0.8{new(lr_d, 0.8)}.")
        if bce and np.isfinite(g) and g > profile.g_high:
            out.append(f"G loss averages {_fmt(g)} (> {_fmt(profile.g_high)}): multiply G's learning rate by 1.2{new(lr_g, 1.2)}.")
        if np.isfinite(g - d) and abs(g - d) > 0.5 and profile.comparable:
            out.append(f"the G-D loss gap is {_fmt(g - d)} (> 0.5): raise the weaker side's (G's) learning "
                       f"rate x1.5{new(lr_g, 1.5)}, or update G twice per D update (2:1).")
        out.append("or weaken D (fewer layers, dropout, one-sided label smoothing 0.9).")
    elif label == "g_dominant":
        out.append(f"D(G(z)) is {_fmt(ev.get('d_g_z', np.nan))} (> 0.5): D is too weak; raise D's learning rate "
                   f"x1.5{new(lr_d, 1.5)} or update D twice per G update (2:1).")
        out.append("check the generated samples' diversity: a fooled D often hides a narrowing generator.")
    elif label == "mode_collapse":
        out.append(f"sample diversity fell (div_pdist_ratio {_fmt(ev.get('div_pdist_ratio', np.nan))}): "
                   "add minibatch discrimination / more latent dimensions, or restart from the checkpoint "
                   f"before step {start}.")
    elif label == "oscillation":
        vr, swing = ev.get("var_ratio", np.nan), ev.get("div_pdist_ratio_std", np.nan)
        if np.isfinite(vr) and vr > 2:
            why = f"recent G-loss std is {_fmt(vr)}x the history's (> 2): seed 000's early-stop rule fires"
        elif np.isfinite(swing):
            why = (f"the generator's sample spread swings (div_pdist_ratio std {_fmt(swing)} within the "
                   "window): its mass is moving back and forth")
        else:
            why = "the losses swing far more than earlier in the run"
        out.append(f"{why}; stop or roll back to the checkpoint before step {start}, "
                   f"then lower both learning rates (e.g. x0.5{new(lr_d, 0.5)}).")
    elif label == "stagnation":
        out.append(f"losses are flat over steps {start}-{end}: check the gradient flow "
                   f"(grad norms D {_fmt(ev.get('grad_norm_d', np.nan))}, G {_fmt(ev.get('grad_norm_g', np.nan))}) "
                   "and the learning rates; add input noise to D or raise the learning rates.")
    elif label == "divergence":
        out.append(f"losses are non-finite or exploded from about step {start}: restart from the last "
                   "finite checkpoint with lower learning rates and gradient clipping.")
    gmax = max(ev.get("grad_norm_d_max", np.nan), ev.get("grad_norm_g_max", np.nan))
    if np.isfinite(gmax) and gmax > 100 and label not in ("warmup",):
        out.append(f"gradient norms reach {_fmt(gmax)} (> 100, ganhacks): clip gradients (e.g. max norm 10).")
    if bce and np.isfinite(d) and d < 0.05 * (profile.d_eq / 1.386) and label != "divergence":
        out.append("D loss is at 0 (ganhacks failure sign): D has won; G's gradients vanish.")
    return out
