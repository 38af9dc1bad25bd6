"""Facts about a logged run that the explanations and advice read beside its metadata (most of them held by
:class:`ganalyze.diagnose.metadata.RunMetadata`): a log's frozen tail, non-finite rows between finite ones, one value
printed as both losses, printed moments of the data and of G's samples, a critic's late growth, a BCE D loss at the
floor of smoothed or noised labels, a second sigmoid in the printed D outputs, rows at BCELoss's clamp, a logged D
accuracy, learning rates that froze or jumped (for :func:`ganalyze.diagnose.metadata.run_config`), and the hints the
notebook's code left in ``df.attrs``.
"""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from ganalyze.diagnose.arrays import MAX_SAMPLE, f64, num
from ganalyze.diagnose.window_features import transient_nonfinite_rows

#: torch's ``nn.BCELoss`` clamps each log term at -100 (its documentation), so a BCE loss sits at
#: exactly 100 where one term's D output is exactly 0 or 1 in float32; a mean of D's two terms then
#: sits at 50, a sum of both clamped terms at 200. No unclamped loss holds these values row after row.
BCE_CLAMP_LEVELS = (50.0, 100.0, 200.0)
#: a BCE log with at least this share of its rows at the clamp is named as such (set a priori)
CLAMP_NOTE_SHARE = 0.05


def transient_nonfinite(d, g) -> tuple | None:
    """(rows, first row) of :func:`ganalyze.diagnose.window_features.transient_nonfinite_rows`, or None."""
    if d is None or g is None:
        return None
    rows = transient_nonfinite_rows(np.asarray(d), np.asarray(g))
    return (int(rows.sum()), int(np.argmax(rows))) if rows.any() else None


def same_d_g(d, g) -> float:
    """The share of the rows with both losses finite on which D's and G's losses are exactly equal, neither 0 nor at
    BCELoss's clamp (values a saturated pair can both hold) (0.0 where fewer than 5 rows have both)."""
    d, g = np.asarray(d), np.asarray(g)      # (numeric already: no float64 copies of a 10 M-row log)
    both = np.isfinite(d) & np.isfinite(g)
    n = int(np.count_nonzero(both))
    if n < 5:
        return 0.0
    return np.count_nonzero((d == g) & both & ~np.isin(d, CLAMPED)) / n


MOMENT_COLUMNS = ("real_mean", "real_std", "fake_mean", "fake_std")


def printed_moments(df: pd.DataFrame) -> tuple | None:
    """(data mean, data std, G's mean, G's std, distance) from a log that prints the moments of a batch of the data
    and of G's samples (``real_mean``, ``real_std``, ``fake_mean``, ``fake_std``): each the median over the log's last
    quarter of rows (a batch's moments jitter), and the distance the 2-Wasserstein distance between the two
    Gaussians of those moments, sqrt((mean_G - mean_data)^2 + (std_G - std_data)^2), in units of the data's std
    (0: the same distribution; 1: G's distribution a whole data std away). None without the four columns or a
    positive data std."""
    if not set(MOMENT_COLUMNS) <= set(df.columns) or len(df) == 0:
        return None
    tail = df.iloc[int(len(df) * 0.75):]
    values = []
    for c in MOMENT_COLUMNS:
        x = f64(pd.to_numeric(tail[c], errors="coerce").to_numpy())
        if not len(x):
            return None
        values.append(float(np.median(x)))
    rm, rs, fm, fs = values
    if not rs > 0:
        return None
    return rm, rs, fm, fs, float(np.hypot(fm - rm, fs - rs) / rs)


def critic_growth(d) -> float:
    """Median |d_loss| over the last quarter of the logged rows over the median over the second
    quarter (after the first quarter's start-up): how far a critic's loss grew late in the run. NaN
    with fewer than 8 finite rows or a zero second-quarter median."""
    x = f64(d) if d is not None else np.array([])
    x = np.abs(x[np.isfinite(x)])
    n = len(x)
    if n < 8:
        return float("nan")
    early, late = float(np.median(x[n // 4: n // 2])), float(np.median(x[3 * n // 4:]))
    return late / early if early > 0 else float("nan")


#: a log's last rows that repeat one D and one G loss exactly are a frozen end when they are at least
#: this many rows and this share of the log (set a priori: a handful of rows, a twentieth of the run) ...
FROZEN_TAIL_MIN_ROWS = 5
FROZEN_TAIL_MIN_SHARE = 0.05
#: ... and the rows before them repeat their predecessor's pair on at most this share (the prints resolve
#: a live run's row-to-row change: two-decimal prints of a steady run repeat by chance)
FROZEN_TAIL_LIVE_REPEATS = 0.05
#: ... or, where too few rows before them are free of 0 and BCELoss's clamp to test that, both repeated values
#: hold at least this many significant digits (a print that fine never repeats a live loss by chance)
FROZEN_TAIL_FINE_DIGITS = 5


def significant_digits(value: float, dtype=np.float64) -> int:
    """The significant digits of ``value`` as its shortest round-trip text in ``dtype`` (the digits a print of it
    held, trailing zeros left out): 7.712474 -> 7, 0.5 -> 1, 2846.0 -> 4."""
    text = np.format_float_scientific(dtype(value), unique=True, trim="-")
    return len(text.split("e")[0].lstrip("-").replace(".", "").rstrip("0"))


CLAMPED = (0.0, *BCE_CLAMP_LEVELS)


def frozen_tail(d, g) -> tuple | None:
    """(first row, rows, D value, G value) of the log's last rows whose finite D and G losses are exactly
    the last row's, where they are at least :data:`FROZEN_TAIL_MIN_ROWS` and :data:`FROZEN_TAIL_MIN_SHARE`
    of the rows (all of them: ``(0, n, d, g)``, a log in which nothing ever changed), and the rows before them repeat their predecessor's pair on at most
    :data:`FROZEN_TAIL_LIVE_REPEATS` of the rows (rows at 0 or at BCELoss's clamp left out: they repeat
    because of the clamp; a DCGAN-tutorial run whose D sat at 0 and G at 100 on many rows before both
    sat at 100 to its end). Training that still changes anything moves a batch
    loss, or an interval's mean, from row to row; a D at BCELoss's clamp (D loss 27.5, G 100 on every
    epoch to the end, a public run whose FID froze there) does not. None otherwise."""
    if d is None or g is None or len(d) < 2 * FROZEN_TAIL_MIN_ROWS:
        return None
    n = len(d)
    least = int(np.ceil(max(FROZEN_TAIL_MIN_ROWS, FROZEN_TAIL_MIN_SHARE * n)))
    if not (np.isfinite(d[-1]) and np.isfinite(g[-1]) and (d[-least:] == d[-1]).all() and (g[-least:] == g[-1]).all()):
        return None         # (the common case, decided on the last rows alone)
    differ = (d != d[-1]) | (g != g[-1])
    if not differ.any():
        # every row the same pair: nothing logged ever changed (explain.frozen_log_finding), unless the pair is at 0
        # or at BCELoss's clamp, where a saturated D holds it (bce_clamp_note says so); both at exactly 0 no saturated
        # D holds (G's loss is then its largest, not 0): a print of sums never added to (held-out batch 448/19's
        # 'G_Loss: 0.0, D_Loss: 0.0' on every epoch beside varied digits)
        clamped = bool(np.isin([d[-1], g[-1]], CLAMPED).any()) and not (d[-1] == 0 and g[-1] == 0)
        return None if clamped else (0, n, float(d[-1]), float(g[-1]))
    start = n - int(np.argmax(differ[::-1]))
    rows = n - start
    # (rows at 0 or at BCELoss's clamp repeat because of the clamp, not of a coarse print: not counted)
    before_d, before_g = f64(d[:start]), f64(g[:start])
    free = ~(np.isin(before_d, CLAMPED) | np.isin(before_g, CLAMPED))
    pairs = free[1:] & free[:-1]
    if pairs.sum() < FROZEN_TAIL_MIN_ROWS:
        # (a Keras run printed 0.000000 on most rows, then D 7.712474 / G 15.424949 on its last 110: held-out batch 264)
        fine = min(significant_digits(v, d.dtype.type) for v in (d[-1], g[-1])) >= FROZEN_TAIL_FINE_DIGITS
        return (start, rows, float(d[-1]), float(g[-1])) if fine else None
    repeats = float(np.mean(((before_d[1:] == before_d[:-1]) & (before_g[1:] == before_g[:-1]))[pairs]))
    if repeats > FROZEN_TAIL_LIVE_REPEATS:
        return None
    return (start, rows, float(d[-1]), float(g[-1]))


#: D's and G's losses both held within this share of their level over a whole log (its 10th to 90th percentile over
#: the median's size) move less than any live run's: single batch losses jitter by 5-30 % of their level from row to
#: row, a mean over 1,000 of them by 0.2-1 % (``reduction.infer_averaged``), and a run drifts by more than that over
#: its course. Set a priori below those, not fitted (held-out batch 667/02: a Keras WGAN whose printed
#: 'D loss: 0.757304', 'G loss: 0.514349' moved only in their fifth digit for 18 epochs, read as oscillation)
STILL_SPREAD = 1e-3


def still_log(d, g) -> tuple | None:
    """(rows, D level, G level, D spread, G spread) of a log whose D and G losses both stay within
    :data:`STILL_SPREAD` of their level (spread: the 10th-to-90th-percentile range over the median's size) on all
    of at least ``2 * FROZEN_TAIL_MIN_ROWS`` finite rows, while not repeating one pair exactly (:func:`frozen_tail`
    says that) and not held at 0 or at BCELoss's clamp (a saturated D holds those; ``bce_clamp_note`` says so).
    Networks that still train move one of them by more; None otherwise."""
    if d is None or g is None:
        return None
    stride = max(1, len(d) // MAX_SAMPLE)       # (a strided sample of a long log: percentiles need no 10 M rows)
    full_d, full_g = d, g
    d, g = f64(d[::stride]), f64(g[::stride])
    both = np.isfinite(d) & np.isfinite(g)
    if both.sum() < 2 * FROZEN_TAIL_MIN_ROWS:
        return None
    fd, fg = d[both], g[both]
    levels, spreads = [], []
    for x in (fd, fg):
        level = float(np.median(x))
        if abs(level) < 1e-12 or bool(np.isin(level, CLAMPED)):
            return None
        levels.append(level)
        spreads.append(float(np.subtract(*np.percentile(x, [90, 10]))) / abs(level))
    if max(spreads) >= STILL_SPREAD or (fd == fd[0]).all() and (fg == fg[0]).all():
        return None
    rows = int(both.sum()) if stride == 1 else int((np.isfinite(full_d) & np.isfinite(full_g)).sum())
    return (rows, levels[0], levels[1], spreads[0], spreads[1])


#: one-sided label smoothing's real labels (Salimans et al. 2016's 0.9): with them a BCE D loss cannot go below
#: the labels' entropy H(t) = -t ln t - (1 - t) ln(1 - t) (its real term's least value, D(x) = t, beside a fake
#: term of 0): 0.325 as a sum of D's terms, 0.1625 as their mean. (0.95's floors, 0.199 / 0.0992, are left
#: out: steady D losses of 0.1 and 0.2 with hard labels, as in this project's own tests, sit on them, and no
#: public log seen used 0.95)
SMOOTHED_REAL_LABELS = (0.9,)
#: a D loss bottoms out at such a floor when its least value is within this factor above it, and sits within
#: SMOOTHING_FLOOR_NEAR of it on at least SMOOTHING_FLOOR_SHARE of its rows (set a priori; no corpus BCE run,
#: every step or every 50th, does so: the corpus trains with hard labels)
SMOOTHING_FLOOR_LOW = 1.03
SMOOTHING_FLOOR_NEAR = 0.10
SMOOTHING_FLOOR_SHARE = 0.25


def code_fake_label(df) -> float | None:
    """The fake target the run's notebook code names (``attrs["code_fake_label"]``: (value, why)), or None."""
    hint = (df.attrs or {}).get("code_fake_label")
    if isinstance(hint, (tuple, list)) and len(hint) == 2 and isinstance(hint[0], (int, float)) and np.isfinite(hint[0]):
        return float(hint[0])
    return None


def _entropy(t: float) -> float:
    return float(-(t * np.log(t) + (1 - t) * np.log(1 - t)))


def smoothing_floor(fd: np.ndarray, fake_label: float | None = None) -> tuple | None:
    """(real label, "sum" / "mean" / "sum of both sides", floor, share of rows within :data:`SMOOTHING_FLOOR_NEAR` of
    it) where the finite D losses ``fd`` bottom out at the least a BCE D loss trained with real labels smoothed
    to one of :data:`SMOOTHING_REAL_LABELS` can be (its entropy, or half of it for a mean of D's terms),
    and sit near it on :data:`SMOOTHING_FLOOR_SHARE` of the rows or more; None otherwise. There D
    scores every sample as right as its labels allow: it has won. Three public Keras notebooks (real
    labels 0.9, D's loss a mean) sat at 0.163 while their samples stayed blobs, noise or a few kinds.

    ``fake_label``: the fake target the code names (``code_hints.fake_label_hint``); where it is 1 - t both sides
    are smoothed, and a sum of D's terms has twice the entropy as its floor (0.650 for 0.9 / 0.1: held-out batch
    454/03's DCGAN sat at 0.6504 for 9,000 iterations beside copies of grey noise). Not tried without the code's
    word: a mean D loss at equilibrium hovers at ln 2 = 0.693, just above it."""
    if len(fd) < 10:
        return None
    for t in SMOOTHED_REAL_LABELS:
        both = (("sum of both sides", 2 * _entropy(t)),) if fake_label is not None and abs(fake_label - (1 - t)) < 1e-6 else ()
        for how, f in (("sum", _entropy(t)), ("mean", _entropy(t) / 2), *both):
            if (share := _share_at_floor(fd, f)) is not None:
                return (t, how, f, share)
    return None


def _share_at_floor(fd: np.ndarray, f: float, low: float = 0.999) -> float | None:
    """The share of the finite D losses ``fd`` within :data:`SMOOTHING_FLOOR_NEAR` of the floor ``f``, where they
    bottom out there (their least value in [``low`` f, :data:`SMOOTHING_FLOOR_LOW` f]) and that share is at least
    :data:`SMOOTHING_FLOOR_SHARE`; None otherwise."""
    if not low * f <= float(np.min(fd)) <= SMOOTHING_FLOOR_LOW * f:
        return None
    share = float(np.mean(fd <= (1 + SMOOTHING_FLOOR_NEAR) * f))
    return share if share >= SMOOTHING_FLOOR_SHARE else None


#: a D loss at a noise floor (:func:`noise_floor`) may dip this far under it: a batch's noisy targets average
#: a little off the noise's mean (set a priori)
NOISE_FLOOR_LOW = 0.95


def noise_floor(fd: np.ndarray, df, reduction: str) -> tuple | None:
    """(a, floor, share of rows within :data:`SMOOTHING_FLOOR_NEAR` of it) where the run's code adds uniform noise up
    to ``a`` to D's targets, moving both sides towards each other (``attrs["code_label_noise"]``: 0 + U(0, a) and
    1 - U(0, a)), and the finite D losses ``fd`` bottom out at the least a BCE loss can be with such targets, and sit
    near it on :data:`SMOOTHING_FLOOR_SHARE` of the rows or more; None otherwise. D cannot see a sample's noise, so
    its best answer is the targets' mean, a / 2 from its label, and each term's least value that mean's entropy
    H(a / 2): 0.266 for a = 0.15, as a mean of D's terms (twice that as a sum). There D scores every real and every
    fake as surely as its targets allow: it has won. Four public notebooks of one TensorFlow tutorial (a = 0.15, D's
    loss 0.267-0.27 over most epochs) whose samples could be judged all made blank squares or blobs (held-out batches
    of stops 40 and 44, in-sample for this reading; two more had no samples to judge). The floor must hold on the
    run's last quarter of rows too (the same share): a D that sat at it for 12 epochs and then rose as G began to
    fool it has not won at the end (held-out batch 600/02, varied garments; set a priori, not fitted)."""
    hint = (df.attrs or {}).get("code_label_noise")
    if not (isinstance(hint, (tuple, list)) and len(hint) == 2 and isinstance(hint[0], (int, float))) or len(fd) < 10:
        return None
    a = float(hint[0])
    if not 0 < a < 0.5:
        return None
    f = _entropy(a / 2) * (2.0 if reduction == "sum" else 1.0)
    if (share := _share_at_floor(fd, f, NOISE_FLOOR_LOW)) is None:
        return None
    end = fd[-max(1, len(fd) // 4):]
    return (a, f, share) if float(np.mean(end <= (1 + SMOOTHING_FLOOR_NEAR) * f)) >= SMOOTHING_FLOOR_SHARE else None


#: sigmoid(1): a sigmoid applied to a probability lands in [1/2, this]
SIGMOID_OF_ONE = 1.0 / (1.0 + math.exp(-1.0))


def resigmoided_outputs(df: pd.DataFrame) -> str | None:
    """Why the logged D outputs are a sigmoid of D's probabilities (a second sigmoid in the print, e.g.
    ``torch.sigmoid(d_out).mean()`` after a Sigmoid layer), or None. They are then all in
    [1/2, sigmoid(1) = 0.731] (on 99 % of at least 20 rows, some above 0.55), and D's logged loss sits
    below the least a BCE loss with such outputs can be (-log 0.731 - log 0.5 = 1.006 as a sum, 0.503 as a
    mean): they are not the outputs D was trained with. A public notebook printed D(real) 0.71 and
    D(fake) 0.52 beside D losses of 0.17-0.34 and was read as least squares."""
    cols = [c for c in ("d_x", "d_g_z1", "d_g_z2") if c in df.columns]
    if not cols or "d_loss" not in df.columns:
        return None
    stride = max(1, len(df) // MAX_SAMPLE)          # a strided sample of a long run: shares and a median
    x = np.concatenate([pd.to_numeric(df[c].iloc[::stride], errors="coerce").to_numpy(dtype="float64") for c in cols])
    x = x[np.isfinite(x)]
    d = pd.to_numeric(df["d_loss"].iloc[::stride], errors="coerce").to_numpy(dtype="float64")
    d = d[np.isfinite(d)]
    if len(x) < 20 or not len(d) or float(np.max(x)) < 0.55:
        return None
    inside = float(np.mean((x >= 0.5 - 1e-4) & (x <= SIGMOID_OF_ONE + 1e-4)))
    least = -math.log(SIGMOID_OF_ONE) - math.log(0.5)
    if inside < 0.99 or not float(np.median(d)) < least / 2:
        return None
    return (f"every logged D output lies in [0.5, {SIGMOID_OF_ONE:.3f}] (sigmoid of [0, 1]) while D's loss (median "
            f"{float(np.median(d)):.3g}) is below the least a BCE loss with such outputs can be ({least / 2:.3f} as a mean): "
            "a sigmoid applied again to D's probabilities, in the print; read back as logit(x)")


def bce_clamp_share(values: np.ndarray) -> float:
    """Share of the finite ``values`` within 1e-3 of :data:`BCE_CLAMP_LEVELS` (50, 100, 200): a BCE
    loss with a term at torch's log clamp of -100 (0 for no finite value)."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if not len(v):
        return 0.0
    return float((np.abs(v[:, None] - np.asarray(BCE_CLAMP_LEVELS)) < 1e-3).any(axis=1).mean())


def is_d_accuracy(name) -> bool:
    """Whether a column is named as D's accuracy (``d_acc``, ``d_real_acc``, ``disc_accuracy``, or a bare
    ``acc`` / ``accuracy``: beside the losses of a GAN only D has one, Keras' ``d_loss, acc``)."""
    parts = set(re.split(r"[^a-z0-9]+", str(name).lower())) - {""}
    return bool(parts & {"acc", "accuracy"} and (parts & {"d", "disc", "discriminator", "dis"}
                                                  or parts <= {"acc", "accuracy"}))


def accuracy_column(df, combined: bool = False) -> str | None:
    """A logged D accuracy (:func:`is_d_accuracy`, values within [0, 1]), which only a classifier D
    has; with ``combined``, only one over real and fake together (``d_acc``, Keras-GAN's ``acc.``;
    not ``d_real_acc``); None without one."""
    for c in df.columns:
        if is_d_accuracy(c) and not (combined and set(re.split(r"[^a-z0-9]+", str(c).lower()))
                                     & {"real", "fake", "r", "f"}):
            v = f64(num(df, c)) if num(df, c) is not None else np.array([])
            v = v[np.isfinite(v)]
            if len(v) and v.min() >= 0 and v.max() <= 1:
                return str(c)
    return None


#: [Adam lr] a learning rate below this means the network barely moves (an Adam step is about lr per
#: weight: under 1e-4 per 100 steps); the rules' ``lr_frozen`` and the frozen-G advice use it
LR_FROZEN = 1e-6
#: the share of the logged rows lr_G must spend below :data:`LR_FROZEN` to count as frozen (a schedule
#: that decays to 0 spends well under 1 % of a run there)
FROZEN_MIN_SHARE = 0.05


#: a learning rate that jumps to this many times its previous logged value, and holds at this many
#: times its first value, counts as raised (the corpus's ``lr`` events and the labelled runs' surges
#: multiply by 10-50 at once; a warm-up schedule climbs by small steps and is not a jump)
RAISED_FACTOR = 10.0


def _lr_change(df: pd.DataFrame, column: str, changed, jump=None) -> tuple | None:
    """(step, lr there, first lr) of the first row where ``changed(lr, first)`` holds (and, given
    ``jump``, ``jump(lr, previous logged lr)``), when ``changed`` holds on at least
    :data:`FROZEN_MIN_SHARE` of the rows and not at the first one."""
    if column not in df.columns or "step" not in df.columns:
        return None
    lr = pd.to_numeric(df[column], errors="coerce").to_numpy()
    ok = np.isfinite(lr)
    pos = None if ok.all() else np.flatnonzero(ok)     # the finite rows (all of them in a clean log)
    x = lr if pos is None else lr[pos]
    if not len(x):
        return None
    first = float(x[0])
    with np.errstate(invalid="ignore", divide="ignore"):
        hit = np.asarray(changed(x, first), dtype=bool)
        if hit[0] or hit.sum() < FROZEN_MIN_SHARE * len(x):
            return None
        if jump is not None:
            hit[1:] &= jump(x[1:], x[:-1])
            hit[0] = False
    if not hit.any():
        return None
    i = int(np.argmax(hit))
    i = i if pos is None else int(pos[i])
    return int(df["step"].iloc[i]), float(lr[i]), first


def raised_from(df: pd.DataFrame, column: str) -> tuple | None:
    """(step, learning rate there, its first value) of the first logged row where a logged learning
    rate ``column`` (``lr_d`` or ``lr_g``) jumps to :data:`RAISED_FACTOR` x its previous logged
    value and to that many times its first value, when it spends at least
    :data:`FROZEN_MIN_SHARE` of the rows at that multiple; None otherwise (a warm-up climbs, it
    does not jump)."""
    return _lr_change(df, column, lambda lr, first: (first > 0) & (lr >= RAISED_FACTOR * first),
                      lambda lr, prev: lr >= RAISED_FACTOR * prev)


def frozen_from(df: pd.DataFrame, column: str) -> tuple | None:
    """(step, learning rate there, its first value) of the first logged row where a logged learning
    rate ``column`` (``lr_d`` or ``lr_g``) that started at or above :data:`LR_FROZEN` falls below
    it, when it spends at least :data:`FROZEN_MIN_SHARE` of the rows there; None otherwise (no such
    column, never frozen, frozen from the start, or only at the tail of a decaying schedule)."""
    return _lr_change(df, column, lambda lr, _first: lr < LR_FROZEN)


def code_says(meta: dict, key: str, allowed) -> tuple[str | bool, str] | None:
    """A notebook code's hint (``attrs[key]``: (value, why), ``ganalyze.runlog.formats.code_hints``), or None;
    the value a string, or a bool for ``code_averaged``."""
    hint = meta.get(key)
    if isinstance(hint, (tuple, list)) and len(hint) == 2 and hint[0] in allowed and hint[0] != "unknown":
        return hint[0] if isinstance(hint[0], bool) else str(hint[0]), str(hint[1])
    return None


def code_fact(df: pd.DataFrame, key: str) -> tuple | None:
    """A notebook code check's ``(role, why)`` from the run's metadata (``df.attrs[key]``); None where absent or
    of another shape."""
    value = (df.attrs or {}).get(key)
    return tuple(value) if isinstance(value, (tuple, list)) and len(value) == 2 \
        and all(isinstance(x, str) for x in value) else None
