"""Ground-truth labels of a GAN run from signals measured on the networks (``shared/LABELS.md``).

This module is the code form of LABELS.md and nothing else: it takes the ground-truth signals
measured every K <= 100 steps (section 1; the measuring lives elsewhere), decides which label
predicates hold at each check (section 2), turns checks into one label per training step
(section 3) and scores a predicted labelling against the truth (section 4).

Conventions
-----------
* A *check* is one row of the signal table. Its ``step`` s is the number of training iterations
  the networks had done when they were measured. Steps of a run are ``0 .. n_steps - 1``; the
  check at s_j labels steps s_(j-1) .. s_j - 1 (s_(-1) = 0), so a check at step 0 labels no step
  and a run of ``n_steps`` iterations normally has its last check at ``n_steps``.
* A missing (NaN) signal makes every predicate that reads it false. ``finite`` must be given at
  every check; a non-finite ``sample_abs_mean`` also counts as a non-finite sample.
* Comparisons are exactly those of LABELS.md: ``<=``/``>=`` include the boundary value, ``>``
  (divergence) does not.

Public API: :data:`LABELS`, :data:`PRIORITY`, :data:`SIGNALS`, :class:`TruthSpec`,
:func:`check_predicates`, :func:`check_candidates`, :func:`check_labels`, :func:`step_labels`,
:func:`label_run`, :func:`segments`, :func:`zigzag_turning_points`, :func:`score`,
:class:`ScoreTable`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from ganalyze.errors import GanalyzeError

LABELS = ("warmup", "healthy", "d_dominant", "g_dominant", "mode_collapse",
          "stagnation", "oscillation", "divergence")
# the cause a person should act on first comes first (LABELS.md section 2)
PRIORITY = ("divergence", "stagnation", "d_dominant", "g_dominant", "oscillation",
            "mode_collapse", "healthy")
SIGNALS = ("step", "modes_covered", "class_histogram_kl", "high_quality_fraction", "frechet_distance",
           "diversity_ratio", "sample_drift", "d_acc_real", "d_acc_fake", "d_accuracy", "d_fake_mean",
           "finite", "sample_abs_mean")
DATA_KINDS = ("mixture", "image")

# --- thresholds, exactly as in LABELS.md section 2 --------------------------------------------
DIVERGENCE_ABS_FACTOR = 10.0          # sample_abs_mean > 10 x the data's mean |x|
STAGNATION_DRIFT_PER_100 = 0.005      # sample_drift per 100 steps <= 0.005
DRIFT_STEPS = 100.0                   # the drift is scaled to this many steps
D_DOM_FAKE_MEAN = 0.05                # probabilities: d_fake_mean <= 0.05 ...
D_DOM_ACCURACY = 0.85                 # ... and d_accuracy >= 0.85
D_DOM_CRITIC_ACC_FAKE = 0.98          # critics: d_acc_fake >= 0.98 ...
D_DOM_CRITIC_ACCURACY = 0.9           # ... and d_accuracy >= 0.9
G_DOM_FAKE_MEAN = 0.55                # d_fake_mean >= 0.55 ...
G_DOM_ACC_FAKE = 0.5                  # ... and d_acc_fake <= 0.5
OSC_WINDOW_STEPS = 400                # turning points within +-400 steps of the check
OSC_MIN_TURNING_POINTS = 3
OSC_FD_SWING_DECADES = 0.5            # zig-zag swing on log10(max(FD, floor))
OSC_ACC_SWING = 0.3                   # zig-zag swing on d_accuracy
MIX_COLLAPSE_KL = math.log(2.0)       # mixture: class_histogram_kl >= ln 2, or ...
MIX_COLLAPSE_HQ = 0.05                # ... high_quality_fraction >= 0.05 and modes <= n_modes / 2
IMG_COLLAPSE_MODES = 2                # images: modes_covered <= 2 and kl >= 1.5, or ...
IMG_COLLAPSE_KL = 1.5
IMG_COLLAPSE_DIVERSITY = 0.3          # ... diversity_ratio <= 0.3
MIX_HEALTHY_FD = 0.1                  # mixture: FD <= 0.1 and kl <= 0.2
MIX_HEALTHY_KL = 0.2
IMG_HEALTHY_MODES = 4                 # images: modes_covered >= 4 and diversity_ratio >= 0.5
IMG_HEALTHY_DIVERSITY = 0.5


@dataclass(frozen=True)
class TruthSpec:
    """What the predicates need to know about a run besides its signals.

    ``data_kind``: ``"mixture"`` (2-D mixtures of Gaussians) or ``"image"`` (MNIST, 8x8 digits).
    ``n_modes``: mixture components (8 ring8, 25 grid25) or image classes (10); mixture
    mode collapse uses ``modes_covered <= n_modes / 2``.
    ``critic``: D's outputs are raw scores (WGAN-GP, hinge, LSGAN): ``d_dominant`` then uses the
    critic rule (``d_acc_fake >= 0.98`` and ``d_accuracy >= 0.9``). ``g_dominant`` is the same
    rule for both (``d_fake_mean >= 0.55`` and ``d_acc_fake <= 0.5``, LABELS.md gives no critic
    variant): it is applied to whatever ``d_fake_mean`` the signal table holds, so for a critic it
    can only hold if the measuring side stores a probability-like ``d_fake_mean``.
    ``data_abs_mean``: the real data's mean |x| (divergence: ``sample_abs_mean`` > 10 x this).
    ``fd_floor``: floor under the Fréchet distance before the oscillation zig-zag takes log10
    (0.1 for 2-D mixtures, 20 for MNIST classifier features; other feature spaces: the caller's).
    """

    data_kind: str
    n_modes: int
    critic: bool
    data_abs_mean: float
    fd_floor: float

    def __post_init__(self) -> None:
        if self.data_kind not in DATA_KINDS:
            raise GanalyzeError(f"TruthSpec.data_kind: got {self.data_kind!r}, expected one of {DATA_KINDS}")
        if int(self.n_modes) != self.n_modes or self.n_modes < 1:
            raise GanalyzeError(f"TruthSpec.n_modes: got {self.n_modes!r}, expected a positive integer")
        if not (math.isfinite(self.data_abs_mean) and self.data_abs_mean > 0):
            raise GanalyzeError(f"TruthSpec.data_abs_mean: got {self.data_abs_mean!r}, expected a finite number > 0")
        if not (math.isfinite(self.fd_floor) and self.fd_floor > 0):
            raise GanalyzeError(f"TruthSpec.fd_floor: got {self.fd_floor!r}, expected a finite number > 0")


# --- section 2: predicates ----------------------------------------------------------------------

def _column(signals: pd.DataFrame, name: str) -> np.ndarray:
    """A signal as float64 (NaN where missing)."""
    return pd.to_numeric(signals[name], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _check_steps(steps: np.ndarray | Sequence[int], what: str = "signals['step']") -> np.ndarray:
    """Check steps as int64, validated: whole, >= 0, strictly increasing."""
    arr = np.asarray(steps)
    if arr.ndim != 1:
        raise GanalyzeError(f"{what}: expected a 1-D sequence of steps, got shape {arr.shape}")
    if arr.size == 0:
        return arr.astype("int64")
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        raise GanalyzeError(f"{what}: expected integer steps, got dtype {arr.dtype}")
    if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)) or np.any(arr < 0):
        raise GanalyzeError(f"{what}: steps must be whole numbers >= 0")
    out = arr.astype("int64")
    if np.any(np.diff(out) <= 0):
        bad = int(np.flatnonzero(np.diff(out) <= 0)[0])
        raise GanalyzeError(f"{what}: steps must be strictly increasing (step {out[bad]} is followed by {out[bad + 1]})")
    return out


def zigzag_turning_points(values: np.ndarray | Sequence[float], swing: float) -> np.ndarray:
    """Positions of the turning points that a zig-zag filter with threshold ``swing`` finds.

    The filter splits the series into alternating up and down legs. A *turning point* is the
    extreme of a leg: the highest value of an up leg (a peak) or the lowest of a down leg (a
    trough) after which the series moves back by at least ``swing`` (``>=``) before going past it.
    Before the first turning point the direction is open: the running maximum and minimum since
    the start are tracked, and the first one that the series retraces by ``>= swing`` is the first
    turning point. After that, each leg's running extreme is confirmed as a turning point as soon
    as a value lies ``>= swing`` on the other side of it, and that value starts the next leg's
    running extreme. So consecutive turning points alternate peak/trough and differ by ``>= swing``;
    an extreme that is never retraced by ``swing`` (e.g. the end of the series) is not one.

    Conventions: non-finite values are skipped (the filter runs on the finite ones); among equal
    values the first is the extreme; the series' first value is never a turning point (nothing
    reverses there; a series that only falls from its start has no turning point).

    Returns indices into ``values`` (int64, increasing).
    """
    x = np.asarray(values, dtype="float64")
    if not swing > 0:
        raise GanalyzeError(f"zigzag_turning_points: swing must be > 0, got {swing!r}")
    pos = np.flatnonzero(np.isfinite(x))
    v = x[pos].tolist()                          # a Python loop over a list is the fast path here
    tps: list[int] = []
    if len(v) < 2:
        return np.array([], dtype="int64")
    hi = lo = v[0]
    i_hi = i_lo = 0
    direction = 0                                # +1 in an up leg, -1 in a down leg, 0 open
    for i in range(1, len(v)):
        xi = v[i]
        if direction == 0:
            if xi - lo >= swing:                 # rose by >= swing from the running minimum
                tps.append(i_lo)
                direction, hi, i_hi = 1, xi, i
            elif hi - xi >= swing:               # fell by >= swing from the running maximum
                tps.append(i_hi)
                direction, lo, i_lo = -1, xi, i
            else:
                if xi > hi:
                    hi, i_hi = xi, i
                if xi < lo:
                    lo, i_lo = xi, i
        elif direction == 1:
            if xi > hi:
                hi, i_hi = xi, i
            elif hi - xi >= swing:               # the up leg's peak is confirmed
                tps.append(i_hi)
                direction, lo, i_lo = -1, xi, i
        else:
            if xi < lo:
                lo, i_lo = xi, i
            elif xi - lo >= swing:               # the down leg's trough is confirmed
                tps.append(i_lo)
                direction, hi, i_hi = 1, xi, i
    out = pos[np.asarray(tps, dtype="int64")]
    return out[out != pos[0]]                    # the first value is never a turning point


def _oscillating(steps: np.ndarray, values: np.ndarray, swing: float) -> np.ndarray:
    """Per check: >= 3 zig-zag turning points within +-400 steps, and the check between the first
    and the last of them (both inclusive)."""
    tp_steps = steps[zigzag_turning_points(values, swing)]
    lo = np.searchsorted(tp_steps, steps - OSC_WINDOW_STEPS, side="left")
    hi = np.searchsorted(tp_steps, steps + OSC_WINDOW_STEPS, side="right")
    enough = (hi - lo) >= OSC_MIN_TURNING_POINTS
    if not enough.any():
        return enough
    first = tp_steps[np.minimum(lo, len(tp_steps) - 1)]
    last = tp_steps[np.maximum(hi - 1, 0)]
    return enough & (first <= steps) & (steps <= last)


def check_predicates(signals: pd.DataFrame, spec: TruthSpec) -> pd.DataFrame:
    """Which LABELS.md predicates hold at each check.

    ``signals`` has the columns :data:`SIGNALS`, one row per check, ``step`` strictly increasing.
    Returns a frame with the same index and one bool column per label in :data:`PRIORITY` (in that
    order), plus ``nonfinite`` (a sample or a D output was not finite: divergence that is final).

    * divergence: ``finite`` is false or ``sample_abs_mean`` is not finite, or
      ``sample_abs_mean > 10 * spec.data_abs_mean``.
    * stagnation: ``sample_drift`` (RMS change since the previous check / data spread) scaled to
      100 steps with the actual gap, ``drift * 100 / (s_j - s_(j-1)) <= 0.005``; never at the first
      check (it has no previous check).
    * d_dominant: ``d_fake_mean <= 0.05 and d_accuracy >= 0.85``; critics
      (``spec.critic``): ``d_acc_fake >= 0.98 and d_accuracy >= 0.9``.
    * g_dominant: ``d_fake_mean >= 0.55 and d_acc_fake <= 0.5`` (see :class:`TruthSpec` for critics).
    * oscillation: :func:`zigzag_turning_points` over the checks of
      ``log10(max(frechet_distance, spec.fd_floor))`` with swing 0.5, or of ``d_accuracy`` with
      swing 0.3 (each series on its own; the filter runs over the whole run). It holds at a check
      when >= 3 turning points of one series lie within +-400 steps of the check (inclusive) and
      the check lies between the first and the last of those (inclusive).
    * mode_collapse: mixture: ``class_histogram_kl >= ln 2`` or (``high_quality_fraction >= 0.05``
      and ``modes_covered <= n_modes / 2``); image: (``modes_covered <= 2`` and
      ``class_histogram_kl >= 1.5``) or ``diversity_ratio <= 0.3``.
    * healthy: mixture: ``frechet_distance <= 0.1 and class_histogram_kl <= 0.2``; image:
      ``modes_covered >= 4 and diversity_ratio >= 0.5``.
    """
    if not isinstance(signals, pd.DataFrame):
        raise GanalyzeError(f"check_predicates: expected a DataFrame of signals, got {type(signals).__name__}")
    missing = [c for c in SIGNALS if c not in signals.columns]
    if missing:
        raise GanalyzeError(f"check_predicates: signal table lacks column(s) {', '.join(missing)}")
    steps = _check_steps(signals["step"].to_numpy())
    if signals["finite"].isna().any():
        raise GanalyzeError("check_predicates: 'finite' is missing at some checks (it must be true or false at every check)")
    finite = signals["finite"].to_numpy().astype(bool)

    col = {name: _column(signals, name) for name in SIGNALS if name not in ("step", "finite")}
    abs_mean = col["sample_abs_mean"]
    nonfinite = ~finite | ~np.isfinite(abs_mean)    # NaN/inf mean |x| means a non-finite sample
    with np.errstate(invalid="ignore", divide="ignore"):
        divergence = nonfinite | (abs_mean > DIVERGENCE_ABS_FACTOR * spec.data_abs_mean)

        gap = np.diff(steps.astype("float64"), prepend=np.nan)   # NaN at the first check
        drift_100 = col["sample_drift"] * (DRIFT_STEPS / gap)
        stagnation = drift_100 <= STAGNATION_DRIFT_PER_100

        acc, acc_fake, fake_mean = col["d_accuracy"], col["d_acc_fake"], col["d_fake_mean"]
        if spec.critic:
            d_dominant = (acc_fake >= D_DOM_CRITIC_ACC_FAKE) & (acc >= D_DOM_CRITIC_ACCURACY)
        else:
            d_dominant = (fake_mean <= D_DOM_FAKE_MEAN) & (acc >= D_DOM_ACCURACY)
        g_dominant = (fake_mean >= G_DOM_FAKE_MEAN) & (acc_fake <= G_DOM_ACC_FAKE)

        fd = col["frechet_distance"]
        log_fd = np.log10(np.maximum(fd, spec.fd_floor))          # NaN stays NaN
        oscillation = (_oscillating(steps, log_fd, OSC_FD_SWING_DECADES)
                       | _oscillating(steps, acc, OSC_ACC_SWING))

        kl, modes = col["class_histogram_kl"], col["modes_covered"]
        if spec.data_kind == "mixture":
            mode_collapse = (kl >= MIX_COLLAPSE_KL) | (
                (col["high_quality_fraction"] >= MIX_COLLAPSE_HQ) & (modes <= spec.n_modes / 2))
            healthy = (fd <= MIX_HEALTHY_FD) & (kl <= MIX_HEALTHY_KL)
        else:
            diversity = col["diversity_ratio"]
            mode_collapse = ((modes <= IMG_COLLAPSE_MODES) & (kl >= IMG_COLLAPSE_KL)) | (
                diversity <= IMG_COLLAPSE_DIVERSITY)
            healthy = (modes >= IMG_HEALTHY_MODES) & (diversity >= IMG_HEALTHY_DIVERSITY)

    held = {"divergence": divergence, "stagnation": stagnation, "d_dominant": d_dominant,
            "g_dominant": g_dominant, "oscillation": oscillation, "mode_collapse": mode_collapse,
            "healthy": healthy}
    out = pd.DataFrame({name: held[name].astype(bool) for name in PRIORITY}, index=signals.index)
    out["nonfinite"] = nonfinite.astype(bool)
    return out


def _priority(intended: str | None) -> tuple[str, ...]:
    """PRIORITY, with ``intended`` moved to the front when given."""
    if intended is None:
        return PRIORITY
    if intended not in PRIORITY:
        raise GanalyzeError(f"intended label: got {intended!r}, expected one of {PRIORITY}")
    return (intended,) + tuple(p for p in PRIORITY if p != intended)


def check_candidates(predicates: pd.DataFrame, intended: str | None = None) -> pd.Series:
    """Per check, the first label in :data:`PRIORITY` order whose predicate holds; None where none does.

    ``intended``: LABELS.md lets a run whose configuration was built to show one behaviour be
    labelled with it wherever its predicate holds, even when another also holds; that label then
    goes first. A non-finite check (column ``nonfinite``, when present) is divergence regardless.
    """
    missing = [c for c in PRIORITY if c not in predicates.columns]
    if missing:
        raise GanalyzeError(f"check_candidates: predicate table lacks column(s) {', '.join(missing)}")
    order = _priority(intended)
    n = len(predicates)
    conds = [predicates[name].to_numpy(dtype=bool) for name in order]
    choices = [np.full(n, name, dtype=object) for name in order]
    if "nonfinite" in predicates.columns:
        conds.insert(0, predicates["nonfinite"].to_numpy(dtype=bool))
        choices.insert(0, np.full(n, "divergence", dtype=object))
    cand = np.select(conds, choices, default=None) if n else np.array([], dtype=object)
    return pd.Series(cand, index=predicates.index, name="candidate", dtype=object)


# --- section 3: from checks to steps --------------------------------------------------------------

def check_labels(predicates: pd.DataFrame, intended: str | None = None) -> np.ndarray:
    """The label in force after each check (LABELS.md section 3), object array, one per check.

    The run starts in ``warmup``. At check j the candidate c_j (:func:`check_candidates`) becomes
    the label when c_j's predicate also held at check j-1 (persistence: the candidate *holds* at
    two consecutive checks; it need not have been the candidate at j-1). ``divergence`` becomes
    the label at once, and for good when the check is non-finite (``nonfinite`` column): every
    later check is divergence too. A check where no predicate holds, or whose candidate is not
    persistent, keeps the current label; ``warmup`` is never a candidate, so it never comes back.
    """
    cand = check_candidates(predicates, intended).to_numpy()
    nonfinite = (predicates["nonfinite"].to_numpy(dtype=bool) if "nonfinite" in predicates.columns
                 else np.zeros(len(predicates), dtype=bool))
    held = {name: predicates[name].to_numpy(dtype=bool) for name in PRIORITY}
    out = np.empty(len(cand), dtype=object)
    current, final = "warmup", False
    for j, c in enumerate(cand):
        if not final and c is not None and c != current:
            if c == "divergence":
                current = c
            elif j > 0 and held[c][j - 1]:
                current = c
        if not final and nonfinite[j]:
            current, final = "divergence", True
        out[j] = current
    return out


def step_labels(check_steps: np.ndarray | Sequence[int], predicates: pd.DataFrame, n_steps: int,
                intended: str | None = None) -> np.ndarray:
    """One label per training step ``0 .. n_steps - 1`` (object array of label strings).

    ``check_steps``: the checks' steps, strictly increasing; ``predicates``: the matching rows of
    :func:`check_predicates` (the persistence rule needs which predicates held, not only the
    candidates). The check at s_j labels steps s_(j-1) .. s_j - 1 with the label in force after it
    (:func:`check_labels`); the first check labels 0 .. s_0 - 1. Steps after the last check keep
    its label (they are in the state it left; divergence there is final anyway); a run without
    checks is all ``warmup``. Checks past ``n_steps`` only label steps below ``n_steps``.
    """
    steps = _check_steps(check_steps, "check_steps")
    if int(n_steps) != n_steps or n_steps < 0:
        raise GanalyzeError(f"step_labels: n_steps must be a whole number >= 0, got {n_steps!r}")
    n_steps = int(n_steps)
    if len(steps) != len(predicates):
        raise GanalyzeError(f"step_labels: {len(steps)} check steps but {len(predicates)} predicate rows")
    if len(steps) == 0:
        return np.full(n_steps, "warmup", dtype=object)
    per_check = check_labels(predicates, intended)
    ends = np.minimum(steps, n_steps)
    counts = np.diff(ends, prepend=0)
    labels = np.repeat(per_check, counts)
    tail = n_steps - len(labels)
    if tail:
        labels = np.concatenate([labels, np.full(tail, per_check[-1], dtype=object)])
    return labels


def label_run(signals: pd.DataFrame, spec: TruthSpec, n_steps: int, intended: str | None = None) -> pd.DataFrame:
    """Ground-truth label of every step of one run.

    Returns a frame with columns ``step`` (0 .. n_steps - 1, int64) and ``gt_label`` (str);
    ``attrs["checks"]`` holds the check-level table: ``step``, one bool column per predicate,
    ``nonfinite``, ``candidate`` (None where nothing holds) and ``label`` (in force after the check).
    ``intended``: see :func:`check_candidates`.
    """
    pred = check_predicates(signals, spec)
    steps = _check_steps(signals["step"].to_numpy())
    labels = step_labels(steps, pred, n_steps, intended)
    checks = pred.copy()
    checks.insert(0, "step", steps)
    checks["candidate"] = check_candidates(pred, intended)
    checks["label"] = check_labels(pred, intended)
    out = pd.DataFrame({"step": np.arange(int(n_steps), dtype="int64"), "gt_label": labels})
    out.attrs["checks"] = checks.reset_index(drop=True)
    return out


def segments(labels: np.ndarray | Sequence[str]) -> list[tuple[str, int, int]]:
    """Runs of equal consecutive labels as ``(label, start, end)`` with both ends inclusive
    (positions in ``labels``, i.e. steps when ``labels`` covers steps 0 .. n-1)."""
    arr = np.asarray(labels, dtype=object)
    if arr.size == 0:
        return []
    change = np.flatnonzero(arr[1:] != arr[:-1]) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change - 1, [arr.size - 1]])
    return [(arr[s], int(s), int(e)) for s, e in zip(starts, ends)]


# --- section 4: scoring -----------------------------------------------------------------------

@dataclass(frozen=True)
class ScoreTable:
    """Step-level scores of a predicted labelling against the ground truth.

    ``table``: one row per label (index ``label``) with ``support`` (true steps), ``predicted``
    (predicted steps), ``tp``, ``precision`` (NaN when never predicted), ``recall`` (NaN when not
    in the truth), ``f1`` (2 tp / (support + predicted); 0 for a true label never found, NaN when
    the label is neither true nor predicted), ``segments`` (true segments), ``found`` (segments
    with a detection) and ``median_delay`` (steps, over found segments; NaN when none).
    ``macro_f1``: mean ``f1`` over the labels with ``support > 0``.
    ``delays``: one row per true segment: ``run``, ``label``, ``start``, ``end`` (inclusive,
    positions within the run), ``delay`` (steps from the segment's start to the first step inside
    it predicted with the same label; None when never). ``median_delay``: over all found segments.
    """

    table: pd.DataFrame
    macro_f1: float
    delays: pd.DataFrame
    median_delay: float


def _as_runs(x) -> list[np.ndarray]:
    """One 1-D object array per run: a single labelling, or a list/tuple of per-run labellings."""
    if isinstance(x, (list, tuple)) and len(x) and not isinstance(x[0], str) and np.ndim(x[0]) == 1:
        return [np.asarray(r, dtype=object) for r in x]
    arr = np.asarray(x, dtype=object)
    if arr.ndim != 1:
        raise GanalyzeError(f"score: expected a 1-D labelling or a list of them, got shape {arr.shape}")
    return [arr]


def score(truth, pred, labels: Sequence[str] | None = None) -> ScoreTable:
    """Score ``pred`` against ``truth`` per LABELS.md section 4.

    ``truth``/``pred``: one labelling (a sequence of label strings, one per step) or a list of
    per-run labellings (same number of runs and equal lengths run by run). Step counts are
    pooled over runs; segments and delays are per run. ``labels``: the rows of the table
    (default: :data:`LABELS` then any other value seen, sorted by its string).
    """
    t_runs, p_runs = _as_runs(truth), _as_runs(pred)
    if len(t_runs) != len(p_runs):
        raise GanalyzeError(f"score: {len(t_runs)} true runs but {len(p_runs)} predicted runs")
    for k, (t, p) in enumerate(zip(t_runs, p_runs)):
        if len(t) != len(p):
            raise GanalyzeError(f"score: run {k} has {len(t)} true but {len(p)} predicted steps")
    t_all = np.concatenate(t_runs) if t_runs else np.array([], dtype=object)
    p_all = np.concatenate(p_runs) if p_runs else np.array([], dtype=object)
    t_inv, t_uniq = pd.factorize(t_all)                      # hashing once: the fast path on ~1M steps
    p_inv, p_uniq = pd.factorize(p_all)
    if labels is None:
        seen = set(t_uniq) | set(p_uniq)
        labels = list(LABELS) + sorted((v for v in seen if v not in LABELS and pd.notna(v)), key=str)
    labels = list(labels)
    if len(set(labels)) != len(labels):
        raise GanalyzeError(f"score: labels must be distinct, got {labels}")

    position = {label: k for k, label in enumerate(labels)}

    def codes(inv: np.ndarray, uniq) -> np.ndarray:
        """Index into ``labels`` per step; -1 for values not in labels (and missing ones)."""
        lut = np.array([position.get(v, -1) for v in uniq] + [-1], dtype="int64")
        return lut[inv]                                        # factorize marks missing as -1 -> lut[-1]

    t_codes, p_codes = codes(t_inv, t_uniq), codes(p_inv, p_uniq)
    k = len(labels)
    support = np.bincount(t_codes[t_codes >= 0], minlength=k)
    predicted = np.bincount(p_codes[p_codes >= 0], minlength=k)
    hit = (t_codes == p_codes) & (t_codes >= 0)
    tp = np.bincount(t_codes[hit], minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(predicted > 0, tp / predicted, np.nan)
        recall = np.where(support > 0, tp / support, np.nan)
        f1 = np.where(support + predicted > 0, 2 * tp / (support + predicted), np.nan)

    rows = []
    for r, (t, p) in enumerate(zip(t_runs, p_runs)):
        n = len(t)
        if n == 0:
            continue
        idx = np.arange(n)
        # next_hit[i]: first position >= i where the prediction equals the truth (n if none)
        next_hit = np.minimum.accumulate(np.where(t == p, idx, n)[::-1])[::-1]
        for lab, s, e in segments(t):
            if lab not in labels:
                continue
            first = next_hit[s]
            rows.append((r, lab, s, e, int(first - s) if first <= e else None))
    delays = pd.DataFrame(rows, columns=["run", "label", "start", "end", "delay"]).astype(
        {"run": "int64", "start": "int64", "end": "int64"})
    delays["delay"] = pd.Series([row[4] for row in rows], dtype=object)   # int, or None when never found
    found = delays[delays["delay"].notna()]
    found_delay = found["delay"].astype("float64")

    table = pd.DataFrame({"support": support, "predicted": predicted, "tp": tp, "precision": precision,
                          "recall": recall, "f1": f1}, index=pd.Index(labels, name="label"))
    table["segments"] = delays.groupby("label").size().reindex(labels, fill_value=0).to_numpy()
    table["found"] = found.groupby("label").size().reindex(labels, fill_value=0).to_numpy()
    table["median_delay"] = found_delay.groupby(found["label"]).median().reindex(labels).to_numpy()
    present = support > 0
    macro = float(np.mean(f1[present])) if present.any() else float("nan")
    median = float(found_delay.median()) if len(found_delay) else float("nan")
    return ScoreTable(table=table, macro_f1=macro, delays=delays, median_delay=median)
