"""Calibrated confidence for the learned diagnosis: temperature scaling and its error measure.

A classifier's probability is *calibrated* when, among the points it gives probability 0.7,
70 % are right. Boosted trees trained with class weights are not (on held-out training loops the
uncalibrated model said 0.75 on average and was right 0.50 of the time). Temperature scaling
(Guo et al. 2017, "On Calibration of Modern Neural Networks") divides the model's raw scores
(log-odds, one per label) by one number T > 0 before the softmax: T > 1 flattens overconfident
probabilities, the argmax (the label) never changes. T is fitted by minimising the negative
log-likelihood of the true labels on predictions for runs the model did not see.

:func:`expected_calibration_error` is the usual 10-bin ECE: the points are binned by their
confidence (the probability of the predicted label); ECE = sum over bins of (share of points in
the bin) x |mean confidence - accuracy| in the bin. 0 is perfect; a model that says 0.75 and is
right half of the time has ECE 0.25. It can mislead when a few bins hold almost every point (the
other bins barely count) -- report the mean confidence and the accuracy beside it.
"""
from __future__ import annotations

import math

import numpy as np

T_BOUNDS = (0.05, 20.0)


def softmax_with_temperature(raw: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Probabilities (n, k) from raw scores (n, k) divided by ``temperature``."""
    z = np.asarray(raw, dtype=np.float64) / float(temperature)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def negative_log_likelihood(raw: np.ndarray, y: np.ndarray, temperature: float) -> float:
    """Mean -log p(true label) in nats."""
    z = np.asarray(raw, dtype=np.float64) / float(temperature)
    zmax = z.max(axis=1, keepdims=True)
    log_norm = zmax[:, 0] + np.log(np.exp(z - zmax).sum(axis=1))
    return float(np.mean(log_norm - z[np.arange(len(z)), y]))


def fit_temperature(raw: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> float:
    """The T in :data:`T_BOUNDS` minimising the (optionally weighted) NLL of labels ``y`` (int
    indices) under ``softmax(raw / T)``; 1.0 when there are no points."""
    from scipy.optimize import minimize_scalar

    raw = np.asarray(raw, dtype=np.float64)
    y = np.asarray(y, dtype=np.int64)
    if len(raw) == 0:
        return 1.0
    w = np.ones(len(raw)) if weights is None else np.asarray(weights, dtype=np.float64)
    w = w / w.sum()

    def nll(log_t: float) -> float:
        z = raw / math.exp(log_t)
        zmax = z.max(axis=1, keepdims=True)
        log_norm = zmax[:, 0] + np.log(np.exp(z - zmax).sum(axis=1))
        return float(np.sum(w * (log_norm - z[np.arange(len(z)), y])))

    res = minimize_scalar(nll, bounds=(math.log(T_BOUNDS[0]), math.log(T_BOUNDS[1])), method="bounded",
                          options={"xatol": 1e-4})
    return float(math.exp(res.x))


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """10-bin ECE (see the module docstring); bins are [0, 0.1), ..., [0.9, 1.0]."""
    conf = np.asarray(confidence, dtype=np.float64)
    corr = np.asarray(correct, dtype=np.float64)
    if len(conf) == 0:
        return math.nan
    idx = np.clip((conf * bins).astype(np.int64), 0, bins - 1)
    count = np.bincount(idx, minlength=bins)
    conf_sum = np.bincount(idx, weights=conf, minlength=bins)
    corr_sum = np.bincount(idx, weights=corr, minlength=bins)
    used = count > 0
    gap = np.abs(conf_sum[used] - corr_sum[used]) / count[used]
    return float(np.sum(count[used] / len(conf) * gap))
