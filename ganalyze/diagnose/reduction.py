"""Sum vs mean D loss (:func:`infer_reduction`) and pre-averaged rows (:func:`infer_averaged`): the
``d_loss_reduction`` and ``averaged`` assumptions of :func:`ganalyze.diagnose.metadata.infer_metadata` where neither
the caller nor the run's metadata says (precedence: that module's docstring).

- **d_loss_reduction**: ``d_loss_real``/``d_loss_fake`` logged -> exact (d_loss = their sum or
  their mean on the rows); else, for BCE with D outputs as probabilities, the in-batch Jensen bound
  -log mean D(x) - log(1 - mean D(G(z))) <= summed D loss on every row (a mean sits at about half of
  it); else the D loss's level over the run: a sustained D loss above 1.6 ln 2 is only reached by a
  sum (a mean of BCE terms is ln 2 when D guesses and exceeds that only while D is worse than
  chance), and an untrained D's first logged loss is 2 ln 2 as a sum, ln 2 as a mean. With no
  evidence either way: ``sum`` (the DCGAN tutorial's and the trainer's convention), as a guess.
- **averaged** (each row the mean of the steps since the previous row, as Chainer's LogReport or
  StyleGAN2-ADA's ticks write it): ``df.attrs["averaged"]`` / the argument, else detected when rows
  are >= ``AVERAGED_MIN_GAP`` steps apart and the row-to-row noise of both losses is below
  ``AVERAGED_NOISE`` of their level (per-step batch losses jitter by 5-30 % of their level; a mean
  over k steps by 1/sqrt(k) of that). A non-averaged log whose losses do not move at all is read
  as averaged too: its flatness then cannot be told from averaging, and the diagnosis says so.
"""
from __future__ import annotations

import numpy as np

from ganalyze.diagnose.arrays import MAX_SAMPLE, f64, log_interval, noise, num
from ganalyze.diagnose.assumption import Assumption
from ganalyze.diagnose.log_facts import CLAMPED, code_says, is_d_accuracy, smoothing_floor
from ganalyze.gan import LN2
from ganalyze.gan import LOSSES as SUPPORTED_LOSSES
from ganalyze.gan import REDUCTION_CHOICES as REDUCTIONS

SUM_LEVEL = 1.6 * LN2         # a sustained BCE D loss above this is a sum (see module docstring)
#: ... unless it is above this: D's output on one side saturated (-log of ~0), and a sum of the two
#: terms and their mean read alike (a sum this high needs D(x) and 1 - D(G(z)) both at 1/8, a mean both at 1/64)
SATURATED_LEVEL = 6 * LN2

#: on the corpus's BCE runs logged from step 200 (no untrained first loss), the share whose D loss never
#: holds above SUM_LEVEL over the run, for mean and sum runs: (every step), (every 50 steps), (50-step
#: means). A level never held above it is 3.5-6 times as likely from a mean: the guess then is mean
#: (was sum, the DCGAN tutorial's). Public logs in that case: 10 means of 17 (stop 35's batches), 14 of 21
#: (stop 36's; 5 of the 10 drawn after the change)
NEVER_HELD_LIKELIHOOD = {"mean": (0.675, 0.809, 0.779), "sum": (0.111, 0.221, 0.224)}

AVERAGED_MIN_GAP = 10         # steps between rows before pre-averaging is considered
AVERAGED_NOISE = 0.04         # relative row-to-row noise below which rows are read as averages
#: ... but not below this: rows that move less than 0.01 % of their level are no interval means of a live run (over
#: the 809 public runs of 10+ rows read at stop 55 the noise is exactly 0, 7e-6 or 1.4e-5, or 2e-4 and up; the two
#: runs in between, 548/05 and 643/03, were stuck at D(G(z)) = 0.5 with G's loss at 0.6931)
STILL_NOISE = 1e-4


def untrained_reduction(d0: float) -> str | None:
    """"sum" / "mean" when ``d0`` is an untrained D's BCE loss (within 25 % of 2 ln 2 / ln 2), else None."""
    if abs(d0 - 2 * LN2) < 0.25 * 2 * LN2:
        return "sum"
    if abs(d0 - LN2) < 0.25 * LN2:
        return "mean"
    return None


def _first_loss_says(s0: int, d0: float, v: str, note: str = "") -> Assumption:
    """The sum/mean assumption read from an untrained D's first loss ``d0`` at step ``s0``."""
    if v == "sum":
        return Assumption("d_loss_reduction", "sum", "guess", f"the first D loss (step {s0}) is {d0:.3g}: an "
                          "untrained D gives 2 ln 2 = 1.386 as a sum of the BCE terms, ln 2 = 0.693 as their mean" + note)
    return Assumption("d_loss_reduction", "mean", "guess", f"the first D loss (step {s0}) is {d0:.3g}, near ln 2 = "
                      "0.693: an untrained D gives the mean of its BCE terms there (a sum starts at 1.386)" + note)


def bce_bound(dx: np.ndarray, dgz: np.ndarray) -> np.ndarray:
    """-log D(x) - log(1 - D(G(z))) per row (a summed BCE D loss is never below it: Jensen)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.log(dx) - np.log1p(-dgz)


def by_epoch(df) -> bool:
    """Whether the log is stepped by the epoch (``attrs["step_from"] == "epoch"``): its first row ends a
    whole epoch of training, so it shows no untrained D (a TF loop's first epoch-end D loss of 0.82, a
    sum, had read as an untrained D's mean near ln 2)."""
    return (df.attrs or {}).get("step_from") == "epoch"


#: the first logged D loss counts as an untrained D's when logged at or before this step (a row
#: stamped later may be an interval's mean, in which a summed loss has already fallen towards ln 2)
FIRST_STEP_MAX = 2


def _smoothed_targets(df) -> bool:
    """Whether the run's metadata or its notebook's code smooths D's targets (``label_smoothing`` > 0)."""
    attrs = df.attrs or {}
    ls = attrs.get("label_smoothing")
    code = attrs.get("code_label_smoothing")
    if isinstance(code, (tuple, list)) and len(code) == 2:
        code = code[0]
    return any(isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v) and v > 0 for v in (ls, code))


def infer_reduction(df, d, loss, scores) -> Assumption:
    """Sum or mean of D's two BCE terms (module docstring); a reader's hint (``attrs[
    "d_loss_reduction_hint"]``: (value, why), a print format whose copies differ) decides only
    where the numbers show neither."""
    name = "d_loss_reduction"
    stride = max(1, len(d) // MAX_SAMPLE)      # shares and medians on at most ~MAX_SAMPLE rows
    full_d, d = d, f64(d[::stride])
    r, f = num(df, "d_loss_real"), num(df, "d_loss_fake")
    if r is not None and f is not None:
        r, f = f64(r[::stride]), f64(f[::stride])
        ok = np.isfinite(d) & np.isfinite(r) & np.isfinite(f)
        if ok.sum() >= 1:
            s = r[ok] + f[ok]
            tol = 1e-3 * np.maximum(np.abs(s), 1e-3)
            is_sum = float((np.abs(d[ok] - s) <= tol).mean())
            is_mean = float((np.abs(d[ok] - s / 2) <= tol).mean())
            if max(is_sum, is_mean) >= 0.9:
                v = "sum" if is_sum >= is_mean else "mean"
                return Assumption(name, v, "file", f"d_loss = {'' if v == 'sum' else '(' }d_loss_real + d_loss_fake"
                                  f"{'' if v == 'sum' else ') / 2'} on {max(is_sum, is_mean):.0%} of rows")
    hint = (df.attrs or {}).get("d_loss_reduction_hint")
    hint = tuple(hint) if isinstance(hint, (tuple, list)) and len(hint) == 2 and hint[0] in REDUCTIONS else None
    if hint is None and (acc := next((c for c in df.columns if is_d_accuracy(c)), None)):
        hint = ("mean", f"D's accuracy ({acc!r}) is logged beside its loss, as Keras' train_on_batch with "
                        "metrics=['accuracy'] returns it: a loss over the real and fake batch together, or 0.5 x the "
                        "two halves' sum (Keras-GAN)")
    if loss in ("lsgan", "hinge") and (code := code_says(df.attrs or {}, "code_d_loss_reduction", REDUCTIONS)):
        hint = code         # the notebook's own code, before its print format's convention
    if loss in ("lsgan", "hinge") and hint is not None:
        # nothing in a least-squares or hinge D loss's numbers tells a sum from a mean: the print format's
        # own convention (PyTorch-GAN's (real + fake) / 2) decides
        return Assumption(name, hint[0], "guess", f"{hint[1]}; no d_loss_real/d_loss_fake columns to tell otherwise")
    if loss not in ("minimax", "nsgan"):
        why = "not applicable to a critic loss" if loss == "wgan-gp" else \
            "not applicable: the loss is not modelled" if loss not in SUPPORTED_LOSSES else \
            f"no d_loss_real/d_loss_fake columns to tell; {loss} levels are taken as a sum of the real and fake terms"
        return Assumption(name, "sum", "guess", why)
    dx, dgz = num(df, "d_x"), num(df, "d_g_z1")
    # the bound is of BCE against targets 1 and 0: against smoothed targets (0.9) D's loss exceeds it where D is sure,
    # so a mean reads as a sum (held-out batch 242: median ratio 1.63 for a code's "(d_real + d_fake) * 0.5")
    smoothed = _smoothed_targets(df)
    if scores == "probability" and dx is not None and dgz is not None and not smoothed:
        bound = bce_bound(f64(dx[::stride]), f64(dgz[::stride]))
        ok = np.isfinite(d) & np.isfinite(bound) & (bound > 0.05)
        if ok.sum() >= 5:
            ratio = d[ok] / bound[ok]
            below = float((ratio < 0.9).mean())
            med = float(np.median(ratio))
            v = "mean" if below > 0.25 else "sum"
            return Assumption(name, v, "guess",
                              f"d_loss / (-log D(x) - log(1 - D(G(z)))) has median {med:.2f} and is below 0.9 on "
                              f"{below:.0%} of {int(ok.sum())} rows; a summed BCE D loss is never below that bound "
                              "(Jensen), a mean sits near half of it")
    if (code := code_says(df.attrs or {}, "code_d_loss_reduction", REDUCTIONS)) is not None:
        # the code that printed the loss, before what its levels suggest (a diverging D's mean holds above 1.11 too)
        against = ("D's outputs cannot check it against smoothed targets" if smoothed and dx is not None
                   and dgz is not None else "no d_loss_real/d_loss_fake or D output columns to check it against")
        return Assumption(name, code[0], "guess", f"{code[1]} ({against})")
    fin = np.isfinite(full_d)
    x = full_d[fin]
    if len(x) == 0:
        return Assumption(name, "sum", "guess", "no finite D loss; sum is the DCGAN tutorial's convention")
    if (floor := smoothing_floor(d[np.isfinite(d)])) is not None and floor[1] == "mean":
        # 0.1625 is a mean with reals smoothed to 0.9 and nothing else; 0.325 is that sum, or a mean with both
        # sides smoothed (0.9 / 0.1: a public DCGAN notebook), so it says nothing of the reduction
        return Assumption(name, floor[1], "guess",
                          f"d_loss bottoms out at {floor[2]:.4g}, the entropy of real labels smoothed to {floor[0]}"
                          f"{' halved' if floor[1] == 'mean' else ''}: the least a {floor[1]} of D's BCE terms can be with them")
    s0 = int(df["step"].to_numpy(dtype="int64")[np.argmax(fin)])
    d0 = float(x[0])
    first = None if by_epoch(df) else untrained_reduction(d0)
    if s0 <= FIRST_STEP_MAX and first:   # an untrained D's loss: the strongest sign (99 % right on the corpus's BCE runs)
        return _first_loss_says(s0, d0, first)
    if len(x) >= 3:   # the median of each three consecutive rows: a level held, not one spike
        a, b, c = x[:-2], x[1:-1], x[2:]
        held = np.maximum(np.minimum(a, b), np.minimum(np.maximum(a, b), c))
    else:
        held = np.array([float(np.median(f64(x)))])
    told = held[held <= SATURATED_LEVEL]     # beyond it one term saturated: a sum and a mean read alike
    hi = float(np.max(told)) if len(told) else float("nan")
    if hi > SUM_LEVEL:
        return Assumption(name, "sum", "guess",
                          f"d_loss holds {hi:.3g} over consecutive rows; a mean of BCE terms sits at ln 2 = 0.693 "
                          f"when D guesses and rarely exceeds {SUM_LEVEL:.2f}, a sum sits at 2 ln 2 = 1.386")
    if not len(told):
        return Assumption(name, "sum", "guess",
                          f"no evidence either way: d_loss holds above {SATURATED_LEVEL:.2g} throughout (a saturated "
                          "term, -log of a D output near 0, which a sum and a mean of the terms both show); sum is the "
                          "DCGAN tutorial's convention: declare --d-loss-reduction if it is a mean")
    k = log_interval(df["step"].to_numpy(dtype="int64"))
    if s0 <= k and first:      # logged within its first interval: weaker, but nothing above contradicts it
        return _first_loss_says(s0, d0, first, f", and it never holds above {SUM_LEVEL:.2f} over the run")
    if hint is not None:
        return Assumption(name, hint[0], "guess", f"{hint[1]}, and the numbers show neither (d_loss never holds "
                                                   f"above {SUM_LEVEL:.2f}, no untrained first loss, D outputs or parts)")
    return Assumption(name, "mean", "guess",
                      f"d_loss never holds above {SUM_LEVEL:.2f} over the run (no untrained first loss, D outputs or parts "
                      "logged): a mean of D's BCE terms sits at ln 2 = 0.693 when D guesses, a sum at 1.386, and on the "
                      "corpus's BCE runs logged from step 200 a level never held above it came 3.5-6 times as often from a "
                      "mean (NEVER_HELD_LIKELIHOOD); declare --d-loss-reduction sum if D's loss adds its two terms")


def infer_averaged(d, g, k, declared, meta) -> Assumption:
    name = "averaged"
    if declared is not None:
        return Assumption(name, bool(declared), "declared", "declared by the caller")
    declared_on_read = name in set(meta.get("declared") or [])
    if isinstance(meta.get("averaged"), (bool, np.bool_)) and declared_on_read:
        return Assumption(name, bool(meta["averaged"]), "declared", "declared when the run was read")
    if (code := code_says(meta, "code_averaged", (True, False))) is not None:
        # the code that printed the value, before a print format's convention or the rows' noise
        value = bool(code[0])
        return Assumption(name, value, "guess", f"{code[1]}; declare averaged={not value} if not")
    if isinstance(meta.get("averaged"), (bool, np.bool_)):
        return Assumption(name, bool(meta["averaged"]), "file", "the run's metadata says so")
    if k == 1:
        return Assumption(name, False, "file", "rows are 1 step apart: each row is one step's value")
    if k < AVERAGED_MIN_GAP:
        return Assumption(name, False, "guess", f"rows are {k} steps apart: read as per-step values")
    rel = []
    # rows with a value at exactly 0 or at BCELoss's clamp (D at 0 beside G at 100, row after row) hold still
    # because of the clamp, not because each row is a mean: left out of both columns' noise
    head_d, head_g = f64(d[:MAX_SAMPLE]), f64(g[:MAX_SAMPLE])
    clamped = np.isin(head_d, CLAMPED) | np.isin(head_g, CLAMPED)
    for x in (head_d, head_g):      # consecutive rows are needed: a contiguous block, not a strided sample
        x = np.where(clamped, np.nan, x)
        fx = x[np.isfinite(x)]
        if len(fx) < 8:
            return Assumption(name, False, "guess", "too few rows to tell; read as per-step values")
        level = float(np.median(np.abs(fx)))
        spread = float(np.subtract(*np.percentile(fx, [90, 10])))
        scale = max(level, spread, 1e-12)
        rel.append(noise(x) / scale)
    if all(np.isfinite(r) and r < STILL_NOISE for r in rel) and any(r > 0 for r in rel):
        return Assumption(name, False, "guess",
                          f"rows are {k} steps apart and the row-to-row noise is {rel[0]:.4%} (D) and {rel[1]:.4%} (G) of "
                          f"the losses' level (< {STILL_NOISE:.2%}): too still for a live run's interval means (single "
                          "batch losses jitter by 5-30 %, a mean over 1,000 of them by 0.2-1 %): read as per-step values "
                          "of networks that barely change; declare averaged=True if not")
    if all(np.isfinite(r) and r < AVERAGED_NOISE for r in rel):
        return Assumption(name, True, "guess",
                          f"rows are {k} steps apart and the row-to-row noise is {rel[0]:.2%} (D) and {rel[1]:.2%} (G) "
                          f"of the losses' level (< {AVERAGED_NOISE:.0%}; single-step batch losses jitter by 5-30 %): "
                          "each row reads as a mean over its interval; declare averaged=False if not")
    return Assumption(name, False, "guess", f"rows are {k} steps apart with row-to-row noise {rel[0]:.1%} (D), "
                      f"{rel[1]:.1%} (G) of the level: single-step values")
