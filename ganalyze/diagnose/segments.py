"""Contiguous segments from per-bin labels: short blips merged, evidence averaged per segment."""
from __future__ import annotations

import numpy as np

from ganalyze.diagnose.model import LABELS

# statistics reported as evidence (window means over the segment's bins), when present
EVIDENCE_KEYS = ("d_loss_mean", "g_loss_mean", "d_loss_std", "g_loss_std", "d_loss_trend", "g_loss_trend",
                 "var_ratio", "loud_share", "crossing_rate", "anticorrelation", "loss_gap", "d_x", "d_g_z",
                 "grad_norm_d", "grad_norm_g", "grad_norm_d_max", "grad_norm_g_max", "div_pdist_ratio", "div_pdist_ratio_std", "d_g_z1_std", "lr_d", "lr_g",
                 "d_fake_q05", "d_fake_q95", "d_real_q05", "d_real_q95")
KEEP_SHORT = (LABELS.index("divergence"), LABELS.index("warmup"))


def runs(labels: np.ndarray):
    """(starts, ends_exclusive, values) of runs of equal values."""
    if len(labels) == 0:
        return np.array([], int), np.array([], int), labels[:0]
    change = np.flatnonzero(np.diff(labels)) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [len(labels)]])
    return starts, ends, labels[starts]


def merge_short(labels: np.ndarray, min_bins: int) -> np.ndarray:
    """Relabel runs shorter than ``min_bins`` bins with the preceding run's label (the following
    one at the start), except warmup and divergence; repeated until stable (few passes)."""
    labels = labels.copy()
    for _ in range(4):
        s, e, v = runs(labels)
        if len(s) <= 1:
            break
        short = ((e - s) < min_bins) & ~np.isin(v, KEEP_SHORT)
        if not short.any():
            break
        new_v = v.copy()
        for i in np.flatnonzero(short):      # loop over short runs (not rows)
            j = i - 1 if i > 0 else i + 1
            if v[j] not in KEEP_SHORT or i == 0:
                new_v[i] = new_v[j] if i > 0 else v[j]
        labels = np.repeat(new_v, e - s)
    return labels


def segment_table(f: dict, bin_labels: np.ndarray, bin_conf: np.ndarray):
    """Per segment of bins: (start_bin, end_bin_exclusive, label index, mean confidence, evidence dict)."""
    s, e, v = runs(bin_labels)
    out = []
    if len(s) == 0:
        return out
    n = (e - s).astype("float64")
    conf = np.add.reduceat(bin_conf, s) / n
    ev_means = {}
    for key in EVIDENCE_KEYS:
        if key not in f:
            continue
        x = np.asarray(f[key], dtype="float64")
        ok = np.isfinite(x)
        tot = np.add.reduceat(np.where(ok, x, 0.0), s)
        cnt = np.add.reduceat(ok.astype("float64"), s)
        ev_means[key] = np.where(cnt > 0, tot / np.maximum(cnt, 1), np.nan)
    # the median of the windows' mean losses beside their mean: one window's blow-up (a first epoch's G loss of 706
    # beside 2-5 after it, held-out batch 551/07) pulls the mean far from every other window
    for key in ("d_loss_mean", "g_loss_mean"):
        if key in f:
            x = np.asarray(f[key], dtype="float64")
            ev_means[key.replace("_mean", "_median")] = np.array(
                [np.nanmedian(x[a:b]) if np.isfinite(x[a:b]).any() else np.nan for a, b in zip(s, e)])
    for i in range(len(s)):
        out.append((int(s[i]), int(e[i]), int(v[i]), float(conf[i]), {k: float(a[i]) for k, a in ev_means.items()}))
    return out
