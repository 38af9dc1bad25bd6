"""``diagnose(df) -> Diagnosis``: label every logged step with one of LABELS, with evidence and advice."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ganalyze.diagnose.advice import advice_for
from ganalyze.diagnose.features import WindowConfig, bin_features, prepare
from ganalyze.diagnose.model import DESCRIPTIONS, LABELS, Diagnosis, Segment
from ganalyze.diagnose.rules import RuleConfig, classify_bins
from ganalyze.diagnose.segments import merge_short, segment_table
from ganalyze.diagnose.thresholds import profile_for, resolve_assumptions
from ganalyze.gan import is_bce

OPTIONAL_SIGNALS = ("d_x", "d_g_z1", "d_g_z2", "grad_norm_d", "grad_norm_g", "div_pdist_ratio")
MAIN_MIN_SHARE = 0.05   # share of logged steps a pathology needs to be the main finding
SEVERITY = ("divergence", "mode_collapse", "d_dominant", "oscillation", "g_dominant", "stagnation")


def diagnose(df: pd.DataFrame, loss=None, d_loss_reduction=None, scores=None,
             window: WindowConfig = WindowConfig(), rules: RuleConfig = RuleConfig()) -> Diagnosis:
    """Diagnose a run DataFrame (``step``, ``d_loss``, ``g_loss`` + optional columns).

    ``loss``/``d_loss_reduction``/``scores`` declare what a log without metadata cannot say; the
    run's metadata (``df.attrs``) wins when it is not ``unknown``. Windows are in steps (runs logged
    every k steps work); runs shorter than a window get proportionally smaller windows. A
    non-finite loss labels ``divergence`` from its step on. Confidence is lowered when the loss
    type was inferred or when D's scores are not logged.
    """
    frame = prepare(df)
    a = resolve_assumptions(frame, loss, d_loss_reduction, scores)
    profile = profile_for(a["loss"], a["d_loss_reduction"])
    f = bin_features(frame, profile, a, window)
    bin_lab, bin_conf = classify_bins(f, profile, a, rules, window.warmup)
    bin_lab = merge_short(bin_lab, min_bins=max(2, f["window_bins"] // 2))

    steps = frame["step"].to_numpy(dtype="int64")
    row_lab = bin_lab[f["row_bin"]].astype(np.int64)
    div_i = LABELS.index("divergence")
    if f["first_bad_step"] is not None:
        row_lab[steps >= f["first_bad_step"]] = div_i
        early = (steps < f["first_bad_step"]) & (row_lab == div_i)
        if early.any():   # rows of the first bad bin before the first non-finite value
            prev = row_lab[~early & (steps < f["first_bad_step"])]
            row_lab[early] = prev[-1] if len(prev) else LABELS.index("warmup")

    factor = 1.0
    if a["inferred"]:
        factor *= 0.85 if a["inferred"] != ["d_loss_reduction"] or not is_bce(profile.name) else 0.9
    present = [c for c in OPTIONAL_SIGNALS if c in frame.columns and frame[c].notna().any()]
    if not present:
        factor *= 0.8

    # segments over rows (row-level labels can split a bin at the divergence point)
    change = np.flatnonzero(np.diff(row_lab)) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [len(row_lab)]])
    # evidence from the bins each segment spans
    bins_of = f["row_bin"]
    seg_bins = np.full(f["n_bins"], -1)
    lr = {c: pd.to_numeric(frame[c], errors="coerce").to_numpy("float64") if c in frame.columns else None
          for c in ("lr_d", "lr_g")}
    bin_seg = np.zeros(f["n_bins"], dtype=np.int64)
    for i, s in enumerate(starts):
        bin_seg[bins_of[s]:] = i
    del seg_bins
    table = {t[0]: t for t in segment_table(f, bin_seg, bin_conf)}
    segments = []
    for i, (s, e) in enumerate(zip(starts, ends)):
        b0 = bins_of[s]
        _, _, _, conf, ev = table.get(b0, (0, 0, 0, 0.5, {}))
        label = LABELS[row_lab[s]]
        if label == "divergence" and f["first_bad_step"] is not None and steps[s] >= f["first_bad_step"]:
            ev = dict(ev, first_nonfinite_step=float(f["first_bad_step"]))
        ev = {k: v for k, v in ev.items() if np.isfinite(v)}
        ev["rows"] = float(e - s)
        lr_seg = {k: (float(np.nanmean(v[s:e])) if v is not None and np.isfinite(v[s:e]).any() else np.nan)
                  for k, v in lr.items()}
        adv = advice_for(label, ev, profile, a, lr_seg, int(steps[s]), int(steps[e - 1]))
        segments.append(Segment(int(steps[s]), int(steps[e - 1]), label, float(np.clip(conf * factor, 0, 1)), ev, adv))

    summary = _summary(segments, row_lab, steps, a, present, f)
    assumptions = {"loss": a["loss"], "d_loss_reduction": a["d_loss_reduction"], "scores": a["scores"],
                   "inferred": a["inferred"], "note": a["note"], "window_steps": int(f["window_bins"] * f["bin_steps"]),
                   "bin_steps": int(f["bin_steps"]), "log_every": int(f["log_every"])}
    helix = {"crossing_rate": f["crossing_rate"], "anticorrelation": f["anticorrelation"],
             "row_bin": f["row_bin"], "index": frame.index}
    return Diagnosis(segments, assumptions, summary, steps, row_lab.astype(np.int8), helix)


def _summary(segments, row_lab, steps, a, present, f) -> dict:
    counts = np.bincount(row_lab, minlength=len(LABELS)) / max(len(row_lab), 1)
    fractions = {lab: float(counts[i]) for i, lab in enumerate(LABELS) if counts[i] > 0}
    # The main finding is the most severe label that matters for the run as a whole: divergence
    # always, otherwise a pathology covering >= MAIN_MIN_SHARE of the steps or the one the run ends
    # in. A brief blip inside a long healthy run is mentioned, not made the headline.
    final = segments[-1].label if segments else None
    worst = next((lab for lab in SEVERITY if lab in fractions and
                  (lab == "divergence" or lab == final or fractions[lab] >= MAIN_MIN_SHARE)), None)
    brief = [f"{s.label} {s.start_step}-{s.end_step}" for s in segments
             if s.label in SEVERITY and s.label != worst]
    if worst is None:
        main = "healthy: " + DESCRIPTIONS["healthy"] if "healthy" in fractions else "too short to judge beyond warm-up"
        main_seg = None
    else:
        main_seg = next(s for s in segments if s.label == worst)
        share = fractions[worst]
        main = (f"{worst} from step {main_seg.start_step} ({share:.0%} of logged steps): {DESCRIPTIONS[worst]}")
    if brief:
        main += "; brief: " + ", ".join(brief[:4]) + (" ..." if len(brief) > 4 else "")
    advice = []
    for s in segments:
        # advice for a brief, past blip is marked with its steps so it does not read as the verdict
        tag = f"(steps {s.start_step}-{s.end_step}, brief) " if s.label in SEVERITY and s.label != worst \
            and s is not segments[-1] else ""
        for x in s.advice:
            if tag + x not in advice:
                advice.append(tag + x)
    if main_seg is not None:   # the main finding's advice first
        advice = list(main_seg.advice) + [x for x in advice if x not in main_seg.advice]
    missing = [c for c in ("d_x", "d_g_z1", "div_pdist_ratio", "grad_norm_d") if c not in present]
    return {"main_finding": main, "label_fractions": fractions, "advice": advice[:8],
            "n_rows": int(len(steps)), "first_step": int(steps[0]), "last_step": int(steps[-1]),
            "first_nonfinite_step": f["first_bad_step"], "signals_used": present,
            "signals_missing": missing}
