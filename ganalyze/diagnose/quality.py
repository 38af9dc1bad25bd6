"""The run's own image-quality evaluations where it logs them and higher is better: a super-resolution or
image-to-image GAN's ``psnr`` (dB) and ``ssim`` (0-1) against its targets. Quoted beside the finding, like the
run's own FID (``core.logged_fid``), never used for the labels: a D that wins the game (SRGAN's adversarial
term weighs 1e-3 in G's loss) says little of the outputs where these say they improved (held-out batch 199:
PSNR 15.7 -> 21.0 dB, SSIM 0.17 -> 0.47, then steady, beside a D loss near 0)."""
from __future__ import annotations

import numpy as np
import pandas as pd

#: the logged metrics read, in this order, with their names in words (higher is better for each)
HIGHER_IS_BETTER = {"psnr": "PSNR", "ssim": "SSIM"}
#: the last value at least this share of the first's size above it reads as improved (a priori: a twentieth)
IMPROVED_SHARE = 0.05
#: ... with the last value keeping at least this share of the gain to the best (no fall after it)
KEPT_SHARE = 0.75


def logged_quality(frame: pd.DataFrame, steps=None) -> dict:
    """``{name: {"first", "first_step", "best", "best_step", "last", "last_step", "evaluations", "reading"}}``
    for each of :data:`HIGHER_IS_BETTER` the frame logs with at least two finite values; ``{}`` without any.
    ``steps``: the step of each row as reported (the frame's ``step`` column where None; no copy of the frame).
    ``reading`` is "improved" where the last value is :data:`IMPROVED_SHARE` of the first's size above it and
    keeps :data:`KEPT_SHARE` of the gain to the best, "worse" where it lost more than half of a gain the best
    made over the first, else ""."""
    out = {}
    for name in HIGHER_IS_BETTER:
        if name not in frame.columns:
            continue
        v = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype="float64")
        ok = np.isfinite(v)
        if ok.sum() < 2:
            continue
        at = np.asarray(frame["step"] if steps is None else steps)[ok]
        v = v[ok]
        b = int(np.argmax(v))
        first, best, last = float(v[0]), float(v[b]), float(v[-1])
        gain = best - first
        reading = ("improved" if last - first >= IMPROVED_SHARE * abs(first) and last - first >= KEPT_SHARE * gain
                   else "worse" if gain > IMPROVED_SHARE * abs(first) and best - last > 0.5 * gain else "")
        out[name] = {"first": first, "first_step": int(at[0]), "best": best, "best_step": int(at[b]),
                     "last": last, "last_step": int(at[-1]), "evaluations": int(ok.sum()), "reading": reading}
    return out


def quality_phrase(quality: dict) -> str:
    """The readings of :func:`logged_quality` in words, "" where none says anything."""
    parts = []
    improved = [(HIGHER_IS_BETTER[n], q) for n, q in quality.items() if q["reading"] == "improved"]
    if improved:
        parts.append(f"by the run's own {' and '.join(w for w, _ in improved)}, its outputs improved over the run ("
                     + ", ".join(f"{w} {q['first']:.4g} -> {q['last']:.4g}" for w, q in improved) + ")")
    parts += [f"by the run's own {HIGHER_IS_BETTER[n]}, its outputs got worse after step {q['best_step']} (best "
              f"{q['best']:.4g}, last {q['last']:.4g})" for n, q in quality.items() if q["reading"] == "worse"]
    return "; ".join(parts)
