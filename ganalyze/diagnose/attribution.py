"""Which window features moved the learned model to each segment's label, in plain words.

LightGBM's ``predict(..., pred_contrib=True)`` gives, per evaluation point, each feature's
additive contribution (TreeSHAP) to each label's raw score (log-odds of the softmax, before it is
turned into a probability). For a segment labelled L, :func:`attribute_segments` averages the
contributions to L's score over a bounded, evenly spaced sample of the segment's evaluation points
and reports the ``k`` features with the largest mean contribution (the ones that pushed the model
towards L most), with the feature's mean value over the same points and a description with units.

Cost: TreeSHAP on the shipped model takes about 20 ms per point on one CPU core, so at most
``budget`` points are explained per run (spread over the segments, at least one per segment).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

BUDGET = 32            # points explained per run (TreeSHAP ~15-20 ms each on one core)
PER_SEGMENT = 8        # most points explained per segment
TOP = 3

_WINDOW = {"c100": "over the 100 steps around", "c400": "over the 400 steps around",
           "c1600": "over the 1,600 steps around", "a200": "over the next 200 steps"}
_LOSS = {"d_loss": "D loss", "g_loss": "G loss", "d_loss_real": "D loss on reals", "d_loss_fake": "D loss on fakes"}
_LOSS_STAT = {"z": "{} mean {}, in run IQRs from the run's median",
              "eq": "{} mean {}, as a multiple of its equilibrium level (LSGAN: at the paper's ½·MSE level, "
                    "as the model was fitted, whatever the log's lsgan_terms)",
              "std": "{} std {}, in run IQRs",
              "slope": "{} slope {}, in run IQRs per 1,000 steps"}
_NET = {"d": "D", "g": "G"}
_FIXED = {
    "div_of_best_so_far": "logged diversity (div_pdist_ratio, 400-step mean) as a fraction of its best so far",
    "div_of_run_best": "logged diversity (div_pdist_ratio, 400-step mean) as a fraction of the run's best",
    "div_run_best": "the run's best logged diversity ratio (1 = as spread as the data)",
    "lr_ratio_log": "log10 of lr_D / lr_G",
    "lr_d_rel_log": "log10 of lr_D over its first value", "lr_g_rel_log": "log10 of lr_G over its first value",
    "lr_d_zero": "lr_D is 0 (1 = yes)", "lr_g_zero": "lr_G is 0 (1 = yes)",
    "nonfinite_so_far": "a non-finite loss was logged so far (1 = yes)",
    "nonfinite_share_c100": "share of non-finite losses over the 100 steps around",
    "log_step": "log10 of the step (capped at 3 = step 1,000+)",
    "log_interval": "log10 of the logging interval in steps", "averaged": "rows are interval means (1 = yes)",
    "reduction_mean": "D loss is the mean (1) or the sum (0) of its real and fake terms",
    "scores_probability": "D outputs are probabilities (1) or critic scores (0)",
}


_SHORT_WINDOW = {"c100": "100 steps", "c400": "400 steps", "c1600": "1,600 steps", "a200": "next 200 steps"}
_SHORT = {"z": "{} z-score", "eq": "{} / equilibrium", "std": "{} std / IQR", "slope": "{} slope, IQR per 1k steps",
          "dg_corr": "D-G loss correlation", "dg_cross": "D-G loss crossing rate", "dg_gap": "D-G normalised loss gap",
          "d_x_p": "D(x)", "d_gz_p": "D(G(z))", "d_gap": "D(x) - D(G(z))", "div_mean": "div_pdist_ratio",
          "div_std": "div_pdist_ratio std", "log": "log10 {} grad norm", "rel": "log10 {} grad norm / run median",
          "std_g": "std of log10 {} grad norm"}


def short_name(name: str) -> str:
    """A few words for a window feature (the text output's line); :func:`describe_feature` has the
    full description with units."""
    m = re.fullmatch(r"(d_loss_real|d_loss_fake|d_loss|g_loss)_(z|eq|std|slope)_(c100|c400|c1600|a200)", name)
    if m:
        return f"{_SHORT[m.group(2)].format(_LOSS[m.group(1)])} ({_SHORT_WINDOW[m.group(3)]})"
    m = re.fullmatch(r"(dg_corr|dg_cross|dg_gap|d_x_p|d_gz_p|d_gap|div_mean|div_std)_(c100|c400|c1600|a200)", name)
    if m:
        return f"{_SHORT[m.group(1)]} ({_SHORT_WINDOW[m.group(2)]})"
    m = re.fullmatch(r"grad_norm_(d|g)_(log|rel|std)_(c100|c400|c1600|a200)", name)
    if m:
        key = "std_g" if m.group(2) == "std" else m.group(2)
        return f"{_SHORT[key].format(_NET[m.group(1)])} ({_SHORT_WINDOW[m.group(3)]})"
    m = re.fullmatch(r"(d_loss_z|g_loss_z|d_gap|div_mean)_(swing_c800|turns_c800|from_start|moved_so_far)", name)
    if m:
        what = {"d_loss_z": "D loss", "g_loss_z": "G loss", "d_gap": "D(x) - D(G(z))", "div_mean": "div_pdist_ratio"}[m.group(1)]
        return {"swing_c800": f"{what} swing (±400 steps)", "turns_c800": f"{what} turns (±400 steps)",
                "from_start": f"{what} change from start", "moved_so_far": f"{what} largest move so far"}[m.group(2)]
    return describe_feature(name)


_TRAJ = {"d_loss_z": ("the D loss's 100-step mean", "run IQRs"), "g_loss_z": ("the G loss's 100-step mean", "run IQRs"),
         "d_gap": ("D(x) - D(G(z)) over 100 steps", "probability; critic scores in run IQRs"),
         "div_mean": ("the logged diversity ratio's 100-step mean", "1 = as spread as the data")}


def describe_feature(name: str) -> str:
    """A window feature's name (:mod:`ganalyze.diagnose.window_features`) in words with units."""
    if name in _FIXED:
        return _FIXED[name]
    if name.startswith("loss_"):
        return f"the loss type is {name[5:]} (1 = yes)"
    m = re.fullmatch(r"(d_loss_real|d_loss_fake|d_loss|g_loss)_(z|eq|std|slope)_(c100|c400|c1600|a200)", name)
    if m:
        return _LOSS_STAT[m.group(2)].format(_LOSS[m.group(1)], _WINDOW[m.group(3)])
    m = re.fullmatch(r"(dg_corr|dg_cross|dg_gap|d_x_p|d_gz_p|d_gap|div_mean|div_std)_(c100|c400|c1600|a200)", name)
    if m:
        w = _WINDOW[m.group(2)]
        return {"dg_corr": f"correlation of the D and G losses {w} (-1 to 1)",
                "dg_cross": f"share of logged rows where the normalised D and G losses cross, {w}",
                "dg_gap": f"normalised D loss minus normalised G loss {w}",
                "d_x_p": f"mean D(x) {w} (probability)",
                "d_gz_p": f"mean D(G(z)) {w} (probability)",
                "d_gap": f"D(x) - D(G(z)) {w} (probabilities; critic scores in run IQRs)",
                "div_mean": f"logged diversity div_pdist_ratio {w} (1 = as spread as the data)",
                "div_std": f"std of the logged diversity ratio {w}"}[m.group(1)]
    m = re.fullmatch(r"(d_loss_z|g_loss_z|d_gap|div_mean)_(swing_c800|turns_c800|from_start|moved_so_far)", name)
    if m:
        what, unit = _TRAJ[m.group(1)]
        return {"swing_c800": f"range (max - min) of {what} over the 800 steps around ({unit})",
                "turns_c800": f"turning points of {what} over the 800 steps around, read every 100 steps (count)",
                "from_start": f"{what} minus its first value in the log ({unit})",
                "moved_so_far": f"largest distance of {what} from its first value up to here ({unit})"}[m.group(2)]
    m = re.fullmatch(r"grad_norm_(d|g)_(log|rel|std)_(c100|c400|c1600|a200)", name)
    if m:
        net, w = _NET[m.group(1)], _WINDOW[m.group(3)]
        return {"log": f"log10 of {net}'s gradient norm {w}",
                "rel": f"log10 of {net}'s gradient norm {w} over its run median",
                "std": f"std of log10 {net}'s gradient norm {w}"}[m.group(2)]
    return name


@dataclass(frozen=True)
class FeatureEffect:
    """One feature's push towards ``label`` (the model's label of the segment: the log-based one
    when the checkpoints overrode it): ``value`` (mean over the explained points; None when not
    logged), ``contribution`` (mean TreeSHAP contribution to the label's raw score, log-odds),
    ``points`` (how many points were explained)."""

    feature: str
    value: float | None
    contribution: float
    points: int
    label: str = ""

    def to_dict(self) -> dict:
        return {"feature": self.feature, "description": describe_feature(self.feature), "value": self.value,
                "contribution": round(self.contribution, 4), "points": self.points, "label": self.label}

    def phrase(self) -> str:
        v = "not logged" if self.value is None else f"{self.value:.3g}"
        return f"{short_name(self.feature)} {v} ({self.contribution:+.2f})"


def sample_points(points: np.ndarray, start: int, end: int, k: int) -> np.ndarray:
    """Indices of at most ``k`` evenly spaced evaluation points with ``start <= step <= end``;
    the nearest point when none lies inside."""
    lo, hi = np.searchsorted(points, start, "left"), np.searchsorted(points, end, "right")
    if hi <= lo:
        mid = (start + end) / 2
        return np.array([int(np.clip(np.searchsorted(points, mid), 0, len(points) - 1))])
    if hi - lo <= k:
        return np.arange(lo, hi)
    return np.unique(np.round(np.linspace(lo, hi - 1, k)).astype(np.int64))


def attribute_segments(model, feats: pd.DataFrame, points: np.ndarray, segments: list, budget: int = BUDGET,
                       top: int = TOP) -> list:
    """Per segment ``(start_step, end_step, label)``: its ``top`` :class:`FeatureEffect` items
    (empty when the model does not know the label or there are no points). One TreeSHAP call for
    all segments, over at most ``max(budget, len(segments))`` points. Features without a value at
    the segment's points (their column was not logged, or the window was too short) are not
    listed, although their absence can move the trees."""
    if len(points) == 0 or not segments:
        return [[] for _ in segments]
    k = int(np.clip(budget // len(segments), 1, PER_SEGMENT))
    picks = [sample_points(points, s, e, k) for s, e, _ in segments]
    x = feats.reindex(columns=list(model.features)).to_numpy(dtype=np.float32)
    rows = np.unique(np.concatenate(picks))
    nf, nl = len(model.features), len(model.labels)
    contrib = np.asarray(model.booster.predict(x[rows], pred_contrib=True, num_threads=1), dtype=np.float64)
    contrib = contrib.reshape(len(rows), nl, nf + 1)[:, :, :nf]
    where = {int(r): i for i, r in enumerate(rows)}
    out = []
    for (_, _, label), pick in zip(segments, picks):
        if label not in model.labels:
            out.append([])
            continue
        li = model.labels.index(label)
        idx = [where[int(p)] for p in pick]
        mean_c = contrib[idx, li, :].mean(axis=0)
        vals = x[pick]
        # only features with a value here: an absent column moves the trees too (missing is a
        # branch), but "not logged" is no evidence a reader can check in the log
        mean_c = np.where(np.isfinite(vals).any(axis=0), mean_c, -np.inf)
        best = [f for f in np.argsort(-mean_c, kind="stable")[:top] if np.isfinite(mean_c[f])]
        effects = []
        for f in best:
            col = vals[:, f]
            ok = np.isfinite(col)
            effects.append(FeatureEffect(model.features[f], float(col[ok].mean()) if ok.any() else None,
                                         float(mean_c[f]), len(pick), label))
        out.append(effects)
    return out
