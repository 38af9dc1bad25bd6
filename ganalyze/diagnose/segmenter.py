"""Per-window label probabilities -> one label per evaluation point, not fragmented.

A Viterbi pass over the evaluation points (an HMM whose emission scores are the classifier's
log-probabilities) with a fixed cost per label switch: a switch is taken only when the new label
is more likely over enough consecutive points to pay for it. Two constraints come from the label
definitions (LABELS.md section 3): ``warmup`` can only be a prefix of the run (it never comes
back), and once the log holds a non-finite loss the label is ``divergence`` from there on.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SWITCH_COST = 4.0          # nats: a switch needs ~4 nats of evidence (e.g. 4 points at p 0.73 vs 0.27)


#: the most evaluation points of any corpus log the switch cost was chosen on (5,000 steps / 25)
FITTED_POINTS = 200


def length_scaled_cost(switch_cost: float, n_points: int, fitted_points: int = FITTED_POINTS) -> float:
    """The switch cost for a log of ``n_points`` evaluation points: as chosen up to the longest
    logs it was chosen on, then growing as sqrt(n_points / fitted_points). Where two labels are
    near-tied, the summed log-probability difference wanders like a random walk, which crosses a
    fixed cost about n / cost^2 times: a cost that grows as sqrt(n) keeps the number of such
    switches bounded on a 300,000-step log, as on the corpus's. Every corpus log is within
    ``fitted_points``, so the held-out figures are unchanged by it (and say nothing about it);
    on the 48 public logs it is what keeps long, near-tied timelines readable."""
    return switch_cost * max(1.0, n_points / fitted_points) ** 0.5


@dataclass(frozen=True)
class SegmenterConfig:
    switch_cost: float = SWITCH_COST
    floor: float = 1e-6             # probability floor before the log


def viterbi(proba: np.ndarray, labels: tuple[str, ...], nonfinite: np.ndarray | None = None,
            config: SegmenterConfig = SegmenterConfig()) -> np.ndarray:
    """Most likely label index per point. ``proba``: (n_points, n_labels); ``nonfinite``: bool per
    point, True from the first non-finite loss on (forces ``divergence``)."""
    n, k = proba.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    emit = np.log(np.clip(proba, config.floor, 1.0))
    warm = labels.index("warmup") if "warmup" in labels else -1
    div = labels.index("divergence") if "divergence" in labels else -1
    if nonfinite is not None and div >= 0:
        forced = np.asarray(nonfinite, dtype=bool)
        emit[forced] = np.log(config.floor)
        emit[forced, div] = 0.0
    trans = np.full((k, k), -config.switch_cost)
    np.fill_diagonal(trans, 0.0)
    if warm >= 0:
        trans[:, warm] = -np.inf                  # nothing switches back to warmup
        trans[warm, warm] = 0.0
    score = emit[0].copy()
    back = np.zeros((n, k), dtype=np.int32)
    for i in range(1, n):
        cand = score[:, None] + trans             # (from, to)
        back[i] = np.argmax(cand, axis=0)
        score = cand[back[i], np.arange(k)] + emit[i]
    path = np.empty(n, dtype=np.int64)
    path[-1] = int(np.argmax(score))
    for i in range(n - 1, 0, -1):
        path[i - 1] = back[i, path[i]]
    return path


def points_to_steps(points: np.ndarray, point_labels: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """Label of each step: that of the evaluation point nearest to it (ties: the earlier point)."""
    points = np.asarray(points)
    idx = np.clip(np.searchsorted(points, steps, "left"), 0, len(points) - 1)
    prev = np.clip(idx - 1, 0, len(points) - 1)
    use_prev = np.abs(steps - points[prev]) <= np.abs(points[idx] - steps)
    return np.asarray(point_labels)[np.where(use_prev, prev, idx)]


def point_rows(points: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """Rows per evaluation point for sorted integer ``steps``: the rows whose nearest point is
    each point (ties: the earlier point), as :func:`points_to_steps` assigns them, as counts
    (``np.repeat(point_labels, counts)`` labels every row without a per-row search)."""
    points = np.asarray(points, dtype=np.int64)
    if len(points) == 0:
        return np.zeros(0, dtype=np.int64)
    # a step s belongs to point j + 1 once s - p_j > p_(j+1) - s, i.e. s > p_j + (p_(j+1) - p_j) // 2
    last_of = points[:-1] + (points[1:] - points[:-1]) // 2
    edges = np.concatenate([[0], np.searchsorted(steps, last_of, side="right"), [len(steps)]])
    return np.diff(edges)
