"""What a diagnosis assumes about a run: loss family, sum vs mean D loss, probability vs critic
scores, logging interval and pre-averaging, each as an :class:`Assumption` that says where it came
from (``declared`` by the user, read from the ``file``'s metadata or columns, or a ``guess`` from
the numbers) and why.

Precedence per key: an argument (``--loss`` ...) or a key listed in ``df.attrs["declared"]``, then
the run's metadata (``df.attrs``, not ``unknown``), then inference over the **whole** run:

- **loss**: BEGAN's ``k_t`` and convergence-measure columns -> ``began`` (unsupported); a D loss
  below 0 on any row -> a critic loss (``wgan-gp``): BCE, LSGAN and hinge D losses are sums of
  non-negative terms; a G loss <= 0 on (almost) every row with D >= 0 -> ``minimax``
  (log(1 - D(G(z))) <= 0), unless the first losses are an untrained hinge D's (D near 2, G near
  0: ``hinge``); a G loss of both signs with D >= 0 -> ``hinge``; D's loss under the BCE bound set
  by G's loss or by the logged D outputs -> ``lsgan``; else ``nsgan``.
- **d_loss_reduction**: ``d_loss_real``/``d_loss_fake`` logged -> exact (d_loss = their sum or
  their mean on the rows); else, for BCE with D outputs as probabilities, the in-batch Jensen bound
  -log mean D(x) - log(1 - mean D(G(z))) <= summed D loss on every row (a mean sits at about half of
  it); else the D loss's level over the run: a sustained D loss above 1.6 ln 2 is only reached by a
  sum (a mean of BCE terms is ln 2 when D guesses and exceeds that only while D is worse than
  chance), and an untrained D's first logged loss is 2 ln 2 as a sum, ln 2 as a mean. With no
  evidence either way: ``sum`` (the DCGAN tutorial's and the trainer's convention), as a guess.
- **scores**: D outputs (``d_x``, ``d_g_z1``, ``d_g_z2``, the quantile columns) outside [0, 1] ->
  ``critic``; inside -> ``probability`` for BCE losses; no D outputs -> from the loss family.
- **log_every**: the median gap between logged steps.
- **averaged** (each row the mean of the steps since the previous row, as Chainer's LogReport or
  StyleGAN2-ADA's ticks write it): ``df.attrs["averaged"]`` / the argument, else detected when rows
  are >= ``AVERAGED_MIN_GAP`` steps apart and the row-to-row noise of both losses is below
  ``AVERAGED_NOISE`` of their level (per-step batch losses jitter by 5-30 % of their level; a mean
  over k steps by 1/sqrt(k) of that). A non-averaged log whose losses do not move at all is read
  as averaged too: its flatness then cannot be told from averaging, and the diagnosis says so.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ganalyze import gan
from ganalyze.errors import GanalyzeError
from ganalyze.runlog.schema import G_CONTENT_TERMS, normalise_name

SUPPORTED_LOSSES = gan.LOSSES                 # the one list (ganalyze.gan)
UNSUPPORTED_LOSSES = gan.UNSUPPORTED_LOSSES
LOSSES = gan.LOSS_CHOICES
REDUCTIONS = gan.REDUCTION_CHOICES
SCORES = gan.SCORE_CHOICES
SOURCES = ("declared", "file", "guess")
LN2 = gan.LN2

SUM_LEVEL = 1.6 * LN2         # a sustained BCE D loss above this is a sum (see module docstring)
#: ... unless it is above this: D's output on one side saturated (-log of ~0), and a sum of the two
#: terms and their mean read alike (a sum this high needs D(x) and 1 - D(G(z)) both at 1/8, a mean both at 1/64)
SATURATED_LEVEL = 6 * LN2
#: a notebook whose code builds a BCE loss, beside a D loss below 0 on fewer than this share of rows: BCE against
#: targets pushed below 0 (noisy labels), not a critic (whose loss sits below 0 most of the run; held-out batch 127's
#: Keras DCGAN: one negative epoch in 280)
FEW_NEGATIVE = 0.05
#: on the corpus's BCE runs logged from step 200 (no untrained first loss), the share whose D loss never
#: holds above SUM_LEVEL over the run, for mean and sum runs: (every step), (every 50 steps), (50-step
#: means). A level never held above it is 3.5-6 times as likely from a mean: the guess then is mean
#: (was sum, the DCGAN tutorial's). Public logs in that case: 10 means of 17 (stop 35's batches), 14 of 21
#: (stop 36's; 5 of the 10 drawn after the change)
NEVER_HELD_LIKELIHOOD = {"mean": (0.675, 0.809, 0.779), "sum": (0.111, 0.221, 0.224)}
#: D's and G's losses both with a median under this (a non-negative D loss): a pair no loss family gives
#: together (a D not frozen in Keras' combined model: medians 0.0013 and 0.0005), read as nsgan so the
#: contradiction is said (set a priori below a weight-clipped critic's scale: a Julia WGAN printing its
#: positive Wasserstein estimate, 0.001, beside G's 0.045 is no such pair)
BOTH_AT_ZERO = 0.01
#: torch's ``nn.BCELoss`` clamps each log term at -100 (its documentation), so a BCE loss sits at
#: exactly 100 where one term's D output is exactly 0 or 1 in float32; a mean of D's two terms then
#: sits at 50, a sum of both clamped terms at 200. No unclamped loss holds these values row after row.
BCE_CLAMP_LEVELS = (50.0, 100.0, 200.0)
#: a BCE log with at least this share of its rows at the clamp is named as such (set a priori)
CLAMP_NOTE_SHARE = 0.05
AVERAGED_MIN_GAP = 10         # steps between rows before pre-averaging is considered
AVERAGED_NOISE = 0.04         # relative row-to-row noise below which rows are read as averages
#: ... but not below this: rows that move less than 0.01 % of their level are no interval means of a live run (over
#: the 809 public runs of 10+ rows read at stop 55 the noise is exactly 0, 7e-6 or 1.4e-5, or 2e-4 and up; the two
#: runs in between, 548/05 and 643/03, were stuck at D(G(z)) = 0.5 with G's loss at 0.6931)
STILL_NOISE = 1e-4
D_OUTPUTS = ("d_x", "d_g_z1", "d_g_z2", "d_real_q05", "d_real_q50", "d_real_q95",
             "d_fake_q05", "d_fake_q50", "d_fake_q95")
MAX_SAMPLE = 500_000
BEGAN_K = ("k_t", "kt", "k", "k_factor")      # "k_factor": the TF1 BEGAN prints' name for k_t
BEGAN_M = ("m_global", "convergence", "convergence_measure", "m", "measure", "m_global_measure")


@dataclass(frozen=True)
class Assumption:
    """One thing the diagnosis assumes: ``name`` (``loss``, ``d_loss_reduction``, ``scores``,
    ``log_every``, ``averaged``, ``critic_scale``), its ``value``, its ``source`` (``declared``:
    the user said so; ``file``: the run's metadata or columns say so; ``guess``: inferred from the
    numbers) and the ``reason`` in one sentence."""

    name: str
    value: object
    source: str
    reason: str

    def to_dict(self) -> dict:
        v = self.value
        if isinstance(v, (np.floating, float)):
            v = float(v) if np.isfinite(v) else None
        elif isinstance(v, (np.integer,)):
            v = int(v)
        elif isinstance(v, np.bool_):
            v = bool(v)
        return {"name": self.name, "value": v, "source": self.source, "reason": self.reason}


@dataclass(frozen=True)
class RunConfig:
    """Training settings the advice can quote, from ``df.attrs["hparams"]`` or the logged
    ``lr_d``/``lr_g`` columns (NaN / None when unknown). Learning rates in Adam units;
    ``d_steps``/``g_steps``: updates per iteration; ``label_smoothing``: real-label target offset
    (0.1 = targets 0.9)."""

    lr_d: float = float("nan")
    lr_g: float = float("nan")
    d_steps: int | None = None
    g_steps: int | None = None
    label_smoothing: float | None = None
    gp_weight: float | None = None
    source: str = ""
    lr_d_frozen: tuple | None = None    # (step, lr_D there, lr_D's first value): see :func:`frozen_from`
    lr_g_frozen: tuple | None = None    # the same for lr_G
    lr_d_raised: tuple | None = None    # (step, lr_D there, lr_D's first value): see :func:`raised_from`
    lr_g_raised: tuple | None = None    # the same for lr_G
    batch_size: int | None = None       # images per optimiser step, where the run's options say it
    #: (role, why) where the notebook's code steps an optimiser it never zeroes ("D", "G" or "D and G";
    #: ``code_hints.unzeroed_optimiser_hint``): that network's gradients pile up over the run
    unzeroed_optimiser: tuple | None = None
    #: (role, why) where the notebook's code builds an optimiser on one network, zeroes it and never steps it ("D" or
    #: "G"; ``code_hints.unstepped_optimiser_hint``): that network's weights never change
    unstepped_optimiser: tuple | None = None
    #: (role, why) where the notebook's code builds the optimiser named for one network on the other's parameters
    #: and none on its own ("D" or "G"; ``code_hints.crossed_optimiser_hint``): that network's weights never change
    crossed_optimiser: tuple | None = None
    #: (role, why) where the notebook's code sets ``requires_grad = True`` on a loss it back-propagates ("D", "G",
    #: "D and G" or "a network"; ``code_hints.detached_loss_hint``): the loss has no graph, so no weight changes
    detached_loss: tuple | None = None
    #: ("D", why) where the notebook's code prints the sum of a list of D's per-step losses
    #: (``code_hints.summed_rows_hint``): each row is a total over many steps, its level no one step's
    summed_rows: tuple | None = None

    @property
    def lr_ratio(self) -> float:
        """lr_D / lr_G (NaN when either is unknown)."""
        return self.lr_d / self.lr_g if np.isfinite(self.lr_d) and np.isfinite(self.lr_g) and self.lr_g > 0 \
            else float("nan")


@dataclass(frozen=True)
class RunMetadata:
    """The resolved metadata of a run (see module docstring) with one :class:`Assumption` each."""

    loss: str
    d_loss_reduction: str
    scores: str
    log_every: int
    averaged: bool
    assumptions: tuple = ()
    config: RunConfig = field(default_factory=RunConfig)
    lsgan_terms: str = "half"     # gan.LSGAN_TERMS: LSGAN terms with the paper's ½ or plain MSE
    #: "adversarial", or "composite": G's logged loss holds other terms (pix2pix's λ·L1, a content
    #: loss), so its level says nothing about D's verdict (:func:`_g_loss_terms`)
    g_loss_terms: str = "adversarial"
    #: "adversarial", or "composite": D's logged loss holds a term besides its real/fake loss (an ACGAN's
    #: class loss), so its level says nothing about who wins (:func:`_d_loss_terms`)
    d_loss_terms: str = "adversarial"
    #: the median logged D loss over the run (NaN without a finite one): a held level the notes quote
    d_loss_median: float = float("nan")
    #: the median logged G loss over the run (NaN without a finite one)
    g_loss_median: float = float("nan")
    #: the lowest finite logged D loss (NaN without one): below 0, a BCE loss's floor is not 0 (noisy labels)
    d_loss_min: float = float("nan")
    #: for a critic loss, median |d_loss| over the run's last quarter of rows over that of its second
    #: quarter (:func:`critic_growth`); NaN otherwise
    critic_growth: float = float("nan")
    #: the first finite logged D loss (NaN without one)
    d_loss_first: float = float("nan")
    #: for a BCE loss, the share of rows whose D or G loss sits at BCELoss's clamp
    #: (:func:`bce_clamp_share`); 0 for other losses
    bce_clamp_share: float = 0.0
    #: the lowest and highest finite logged D and G losses over the run (a strided sample of a long one; NaN without one)
    d_loss_range: tuple = (float("nan"), float("nan"))
    g_loss_range: tuple = (float("nan"), float("nan"))
    #: whether the log holds the run's start (its first logged step is within one logging interval of 0, and it has a
    #: row after it: one row printed after the training loop is the run's end as much as its start, held-out batch 604/00)
    from_start: bool = False
    #: (first row, rows, D value, G value) of the log's last rows that repeat the same D and G losses
    #: exactly, to its end (:func:`frozen_tail`); None where there are none
    frozen_tail: tuple | None = None
    #: (rows, first row) of the non-finite rows between finite ones that are no divergence
    #: (:func:`ganalyze.diagnose.window_features.transient_nonfinite_rows`); None where there are none
    transient_nonfinite: tuple | None = None
    #: (real label, "sum" or "mean", floor, share of rows within 10 % of it) where a BCE D loss bottoms out
    #: at the least one-sided label smoothing allows (:func:`smoothing_floor`); None otherwise
    smoothing_floor: tuple | None = None
    #: (noise width a, floor, share of rows within 10 % of it) where a BCE D loss bottoms out at the least its
    #: targets, noised towards each other by up to a (the code's ``code_label_noise``), allow (:func:`noise_floor`)
    noise_floor: tuple | None = None
    #: (data mean, data std, G's mean, G's std, their distance in data stds) over the log's last quarter of rows where
    #: it prints both distributions' moments (Dev Nag's 1-D GAN: real_mean, real_std, fake_mean, fake_std;
    #: :func:`printed_moments`); None otherwise
    printed_moments: tuple | None = None
    #: the share of rows whose D and G losses are the same number (both finite; 0 with fewer than 5 such rows): a print
    #: that writes one value as both (held-out batch 634/03), whose levels say nothing of either player
    same_d_g: float = 0.0

    @property
    def supported(self) -> bool:
        return self.loss in SUPPORTED_LOSSES

    @property
    def inferred(self) -> list:
        """Names of the loss/reduction/scores keys that were guessed."""
        return [a.name for a in self.assumptions
                if a.source == "guess" and a.name in ("loss", "d_loss_reduction", "scores")]

    @property
    def note(self) -> str:
        return "; ".join(f"{a.name}={a.value} because {a.reason}" for a in self.assumptions
                         if a.source == "guess")

    def assumption(self, name: str) -> Assumption | None:
        return next((a for a in self.assumptions if a.name == name), None)

    def as_dict(self) -> dict:
        """The ``{"loss", "d_loss_reduction", "scores", "inferred", "note"}`` dict the rules read."""
        return {"loss": self.loss, "d_loss_reduction": self.d_loss_reduction, "scores": self.scores,
                "inferred": self.inferred, "note": self.note, "averaged": self.averaged,
                "log_every": self.log_every, "lsgan_terms": self.lsgan_terms, "g_loss_terms": self.g_loss_terms,
                "d_loss_terms": self.d_loss_terms}


def _check(name, value, allowed):
    if value is not None and value not in allowed:
        raise GanalyzeError(f"{name}: {value!r}; allowed: {', '.join(allowed)}")


def _num(df, name):
    """The column's values: the frame's own array for float64 and float32 columns (a float32
    column is never copied whole; every sample taken from it is converted to float64 by
    :func:`_f64`, so results equal those of the same values held as float64), else converted
    to float64."""
    if name not in df.columns:
        return None
    col = df[name]
    if col.dtype in (np.float64, np.float32):
        return col.to_numpy(copy=False)
    return pd.to_numeric(col, errors="coerce").to_numpy(dtype="float64")


def _f64(x: np.ndarray) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _finite_sample(x: np.ndarray) -> np.ndarray:
    """The finite values of ``x`` (float64), evenly strided down to at most MAX_SAMPLE rows
    (robust shares and quantiles do not need 10 M rows; exact extremes use :func:`_range`)."""
    if len(x) > MAX_SAMPLE:
        x = x[:: len(x) // MAX_SAMPLE]
    return _f64(x[np.isfinite(x)])


def _range(x: np.ndarray):
    """(min, max) over the finite values (NaN ignored, +-inf skipped), NaN when there are none."""
    lo, hi = np.fmin.reduce(x) if len(x) else np.nan, np.fmax.reduce(x) if len(x) else np.nan
    if not (np.isfinite(lo) and np.isfinite(hi)) and len(x):
        f = x[np.isfinite(x)]
        lo, hi = (f.min(), f.max()) if len(f) else (np.nan, np.nan)
    return float(lo), float(hi)


def norm_name(name) -> str:
    """A column name as BEGAN's columns are matched: lower case, letters, digits and ``_``."""
    return "".join(ch for ch in str(name).lower() if ch.isalnum() or ch == "_")


def log_interval(steps: np.ndarray) -> int:
    """Median gap between logged steps (1 for a single row); subsampled on very long runs."""
    if len(steps) < 2:
        return 1
    stride = max(1, len(steps) // 100_000)
    gaps = np.diff(steps[::stride]) / stride
    return max(round(float(np.median(gaps))), 1)


def _noise(x: np.ndarray) -> float:
    """Robust std of the row-to-row noise: 1.4826 MAD of the first differences / sqrt(2)."""
    dx = np.diff(x[np.isfinite(x)])
    if len(dx) < 4:
        return float("nan")
    return float(1.4826 * np.median(np.abs(dx - np.median(dx))) / math.sqrt(2))


def _began_columns(df) -> list:
    cols = {norm_name(c): c for c in df.columns}
    k = next((cols[n] for n in BEGAN_K if n in cols), None)
    m = next((cols[n] for n in BEGAN_M if n in cols), None)
    return [k, m] if k is not None and m is not None else []


def infer_metadata(df: pd.DataFrame, loss=None, d_loss_reduction=None, scores=None,
                   averaged: bool | None = None) -> RunMetadata:
    """Resolve loss, D-loss reduction, score type, logging interval and pre-averaging of a run
    (``step``-sorted frame with ``d_loss``/``g_loss``); see the module docstring."""
    _check("loss", loss, LOSSES)
    _check("d_loss_reduction", d_loss_reduction, REDUCTIONS)
    _check("scores", scores, SCORES)
    meta = dict(df.attrs or {})
    declared_keys = set(meta.get("declared") or [])
    reader_inferred = set(meta.get("inferred") or [])
    fmt = meta.get("source_format") or "file"
    d = _num(df, "d_loss")
    g = _num(df, "g_loss")
    fd, fg = _finite_sample(d), _finite_sample(g)       # for shares and quantiles
    d_min = _range(d)[0]

    def given(key, arg, allowed):
        if arg not in (None, "unknown"):
            return Assumption(key, arg, "declared", "declared by the caller")
        m = meta.get(key)
        if m in (None, "unknown"):
            return None
        if m not in allowed:
            if key == "loss":   # a loss type this tool does not model: report it, never reject the run
                return Assumption(key, "other", "file", f"the run's metadata names loss {m!r}, "
                                  f"not one of {', '.join(SUPPORTED_LOSSES)}")
            raise GanalyzeError(f"df.attrs[{key!r}]: {m!r}; allowed: {', '.join(allowed)}")
        if key in declared_keys:
            return Assumption(key, m, "declared", "declared when the run was read")
        if key in reader_inferred:
            why = (meta.get("guessed") or {}).get(key)       # the reader's own reason, where it gave one
            return Assumption(key, m, "file", why if isinstance(why, str) and why else f"implied by the {fmt} log format")
        return Assumption(key, m, "file", "the run's metadata says so")

    # ---- scores: D outputs outside [0, 1] are critic values ----------------------------------
    a = given("scores", scores, SCORES)
    implied = a is not None and a.source == "file" and "scores" in reader_inferred and a.value == "probability"
    outs = [(c, _range(_num(df, c))) for c in D_OUTPUTS if c in df.columns] if a is None or implied else []
    outs = [(c, r) for c, r in outs if np.isfinite(r[0])]
    if implied and outs and any(lo < -1e-6 or hi > 1 + 1e-6 for _, (lo, hi) in outs):
        # a print format copied from the DCGAN tutorial implies probabilities; a critic printed through it (held-out
        # batch 253: "D(G(z)): -0.0905") logs raw scores, which the probability bands misread as D winning
        a = None
    if a is None and outs:
        c, (lo, hi) = max(outs, key=lambda t: max(-t[1][0], t[1][1] - 1))
        if lo < -1e-6 or hi > 1 + 1e-6:
            a = Assumption("scores", "critic", "guess", f"{c} reaches {lo if lo < 0 else hi:.3g}, outside "
                           "[0, 1]: raw critic outputs, not probabilities")
        else:
            a = Assumption("scores", "probability", "guess",
                           f"every logged D output ({', '.join(c for c, _ in outs)}) stays within [0, 1]")
    scores_a = a

    # ---- loss family --------------------------------------------------------------------------
    a = given("loss", loss, LOSSES)
    code = _code_says(meta, "code_loss", LOSSES)
    beyond = meta.get("code_label_noise_beyond")
    beyond = str(beyond[1]) if isinstance(beyond, (tuple, list)) and len(beyond) == 2 else None
    if a is None:
        a = _with_code(*_loss_from_values(df, d, g, fd, fg, d_min, scores_a), code, *_negative_share(d), beyond=beyond)
    elif a.source == "file" and "loss" in reader_inferred and code is not None:
        # the code says more than a print format
        a = _with_code(*_loss_from_values(df, d, g, fd, fg, d_min, scores_a), code, *_negative_share(d), beyond=beyond)
    elif a.source == "file" and "loss" in reader_inferred and gan.is_bce(a.value):
        # a print format copied from the DCGAN tutorial implies its BCE loss; numbers that show another
        # loss win (a public LSGAN notebook printing the tutorial's line read as nsgan at 1.39 / 0.693)
        v, shown = _loss_from_values(df, d, g, fd, fg, d_min, scores_a)
        if shown and v.value != a.value:
            a = Assumption("loss", v.value, "guess", f"{v.reason} (the {fmt} log format implies {a.value}; "
                           "its numbers say otherwise)")
    loss_a = a
    lname = loss_a.value

    if scores_a is None and lname not in SUPPORTED_LOSSES:
        scores_a = Assumption("scores", "critic", "guess", "no D output column; not applicable: the loss is not modelled")
    if scores_a is None:
        v = "probability" if lname in ("minimax", "nsgan") else "critic"
        reason = ("no D output column; BCE losses come with sigmoid probabilities" if v == "probability"
                  else f"no D output column; a {lname} discriminator outputs raw scores")
        scores_a = Assumption("scores", v, "guess", reason)

    # ---- sum vs mean --------------------------------------------------------------------------
    a = given("d_loss_reduction", d_loss_reduction, REDUCTIONS)
    if a is not None and lname == "wgan-gp" and a.source == "file" and "d_loss_reduction" in reader_inferred:
        a = None    # a print format's sum or mean of BCE terms (Keras-GAN's) says nothing of a critic's loss
    if (a is not None and a.source == "file" and "d_loss_reduction" in reader_inferred
            and (code := _code_says(meta, "code_d_loss_reduction", REDUCTIONS)) is not None and code[0] != a.value):
        # the code that printed the log says more than its print format (a CycleGAN-style notebook that adds
        # D's terms where CycleGAN's code halves them)
        a = Assumption("d_loss_reduction", code[0], "guess",
                       f"{code[1]} (the {fmt} log format implies {a.value}; the code says otherwise)")
    if a is None:
        a = _reduction(df, d, lname, scores_a.value)
    red_a = a

    # ---- logging interval and pre-averaging ----------------------------------------------------
    steps = df["step"].to_numpy(dtype="int64")
    k = log_interval(steps)
    sub = steps[: MAX_SAMPLE + 1]
    gaps = np.diff(sub) if len(sub) > 1 else np.array([1])
    share = float((gaps == k).mean()) if len(gaps) else 1.0
    out_k = Assumption("log_every", k, "file", f"median gap between logged steps ({share:.0%} of gaps are {k})")
    av = _averaged(d, g, k, averaged, meta)

    extra = []
    if lname == "wgan-gp":
        scale = float(np.subtract(*np.percentile(fd, [75, 25]))) if len(fd) > 3 else float("nan")
        med = float(np.median(np.abs(fd))) if len(fd) else float("nan")
        extra.append(Assumption("critic_scale", float(f"{med:.4g}"), "guess",
                                f"median |d_loss| {med:.3g} (IQR {scale:.3g}): a critic loss has no fixed level, "
                                "so its levels are judged against the run's own scale"))
    g_terms = _g_loss_terms(df, lname, scores_a.value)
    if g_terms is not None:
        extra.append(g_terms)
    d_terms = _d_loss_terms(df, lname, fd, fg, d_min)
    if d_terms is not None:
        extra.append(d_terms)
    assumptions = (loss_a, red_a, scores_a, out_k, av, *extra)
    terms = meta.get("lsgan_terms") if meta.get("lsgan_terms") in gan.LSGAN_TERMS else "half"
    if lname == "lsgan" and "lsgan_terms" in declared_keys:
        assumptions = (*assumptions, Assumption("lsgan_terms", terms, "declared", "declared when the run was read"))
    elif lname == "lsgan" and terms == "plain":
        why = (meta.get("guessed") or {}).get("lsgan_terms") or "the run's metadata says so"
        assumptions = (*assumptions, Assumption("lsgan_terms", "plain", "file", f"LSGAN terms are plain MSE: {why}"))
    return RunMetadata(loss=lname, d_loss_reduction=red_a.value, scores=scores_a.value, log_every=k,
                       averaged=bool(av.value), assumptions=assumptions, config=run_config(df), lsgan_terms=terms,
                       g_loss_terms="composite" if g_terms is not None else "adversarial",
                       d_loss_terms="composite" if d_terms is not None else "adversarial",
                       d_loss_median=float(np.median(fd)) if len(fd) else float("nan"), d_loss_min=float(d_min),
                       g_loss_median=float(np.median(fg)) if len(fg) else float("nan"),
                       bce_clamp_share=max(bce_clamp_share(fd), bce_clamp_share(fg)) if gan.is_bce(lname) else 0.0,
                       critic_growth=critic_growth(d) if lname == "wgan-gp" else float("nan"),
                       d_loss_first=first_finite(d), d_loss_range=_lo_hi(fd), g_loss_range=_lo_hi(fg),
                       from_start=len(steps) > 1 and int(steps[0]) <= k, frozen_tail=frozen_tail(d, g),
                       smoothing_floor=smoothing_floor(fd, code_fake_label(df)) if lname in ("nsgan", "minimax") else None,
                       noise_floor=noise_floor(fd, df, red_a.value) if lname in ("nsgan", "minimax") else None,
                       printed_moments=printed_moments(df), same_d_g=same_d_g(d, g),
                       transient_nonfinite=transient_nonfinite(d, g))


def transient_nonfinite(d, g) -> tuple | None:
    """(rows, first row) of :func:`ganalyze.diagnose.window_features.transient_nonfinite_rows`, or None."""
    from ganalyze.diagnose.window_features import transient_nonfinite_rows

    if d is None or g is None:
        return None
    rows = transient_nonfinite_rows(np.asarray(d), np.asarray(g))
    return (int(rows.sum()), int(np.argmax(rows))) if rows.any() else None


def same_d_g(d, g) -> float:
    """The share of the rows with both losses finite on which D's and G's losses are exactly equal (0.0 where fewer
    than 5 rows have both)."""
    d, g = np.asarray(d), np.asarray(g)      # (numeric already: no float64 copies of a 10 M-row log)
    both = np.isfinite(d) & np.isfinite(g)
    n = int(np.count_nonzero(both))
    return np.count_nonzero((d == g) & both) / n if n >= 5 else 0.0


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
        x = _f64(pd.to_numeric(tail[c], errors="coerce").to_numpy())
        if not len(x):
            return None
        values.append(float(np.median(x)))
    rm, rs, fm, fs = values
    if not rs > 0:
        return None
    return rm, rs, fm, fs, float(np.hypot(fm - rm, fs - rs) / rs)


def _lo_hi(x: np.ndarray) -> tuple:
    """The lowest and highest of a sample of finite values (NaNs without one)."""
    x = np.asarray(x, dtype="float64")
    return (float(x.min()), float(x.max())) if len(x) else (float("nan"), float("nan"))


def first_finite(x) -> float:
    """The first finite value in the first 10,000 rows of a loss column ``x`` (NaN without one, or
    without the column): the level a log starts at (the critic-scale note, the rules' exploded loss)."""
    head = _f64(x[:10_000]) if x is not None else np.array([])
    fin = np.isfinite(head)
    return float(head[np.argmax(fin)]) if fin.any() else float("nan")


def critic_growth(d) -> float:
    """Median |d_loss| over the last quarter of the logged rows over the median over the second
    quarter (after the first quarter's start-up): how far a critic's loss grew late in the run. NaN
    with fewer than 8 finite rows or a zero second-quarter median."""
    x = _f64(d) if d is not None else np.array([])
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


_CLAMPED = (0.0, *BCE_CLAMP_LEVELS)


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
        clamped = bool(np.isin([d[-1], g[-1]], _CLAMPED).any()) and not (d[-1] == 0 and g[-1] == 0)
        return None if clamped else (0, n, float(d[-1]), float(g[-1]))
    start = n - int(np.argmax(differ[::-1]))
    rows = n - start
    # (rows at 0 or at BCELoss's clamp repeat because of the clamp, not of a coarse print: not counted)
    before_d, before_g = _f64(d[:start]), _f64(g[:start])
    free = ~(np.isin(before_d, _CLAMPED) | np.isin(before_g, _CLAMPED))
    pairs = free[1:] & free[:-1]
    if pairs.sum() < FROZEN_TAIL_MIN_ROWS:
        # (a Keras run printed 0.000000 on most rows, then D 7.712474 / G 15.424949 on its last 110: held-out batch 264)
        fine = min(significant_digits(v, d.dtype.type) for v in (d[-1], g[-1])) >= FROZEN_TAIL_FINE_DIGITS
        return (start, rows, float(d[-1]), float(g[-1])) if fine else None
    repeats = float(np.mean(((before_d[1:] == before_d[:-1]) & (before_g[1:] == before_g[:-1]))[pairs]))
    if repeats > FROZEN_TAIL_LIVE_REPEATS:
        return None
    return (start, rows, float(d[-1]), float(g[-1]))


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


def _untrained_reduction(d0: float) -> str | None:
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


def _bce_bound(dx: np.ndarray, dgz: np.ndarray) -> np.ndarray:
    """-log D(x) - log(1 - D(G(z))) per row (a summed BCE D loss is never below it: Jensen)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.log(dx) - np.log1p(-dgz)


#: d_loss / (-log D(x) - log(1 - D(G(z)))) below this is no BCE loss (corpus: BCE runs 0.44 and up
#: as a mean, 0.90 and up as a sum; LSGAN runs with probability outputs 0.01-0.45, median 0.18 / 0.37)
LSGAN_BOUND_RATIO = 0.4


#: median d_loss / -log(1 - exp(-g_loss)) below this is no BCE loss (see _bce_pair_ratio)
LSGAN_PAIR_RATIO = 0.45


def _bce_pair_ratio(d, g) -> float:
    """Median over rows of d_loss / -log(1 - exp(-g_loss)). With BCE, g = -log D(G(z)) (Jensen:
    a batch mean at least -log of the mean output), so D's fake term -log(1 - D(G(z))) is about
    -log(1 - exp(-g)), and D's loss holds it (all of it as a sum, half as a mean): the ratio is
    about 1 or more (sum) or 0.5 or more (mean). NaN with fewer than 20 rows where both are > 0."""
    if d is None or g is None:
        return float("nan")
    stride = max(1, len(d) // MAX_SAMPLE)
    dd, gg = _f64(d[::stride]), _f64(g[::stride])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        fake = -np.log(-np.expm1(-gg))
        ratio = dd / fake
    ok = np.isfinite(ratio) & (gg > 0) & (dd > 0)
    return float(np.median(ratio[ok])) if ok.sum() >= 20 else float("nan")


#: rows of a D loss at exactly 0 that a BCE or least-squares loss cannot give before it reads as hinge
EXACT_ZERO_D_ROWS = 3
#: how the hinge guess from such rows starts its reason (``_with_code`` knows it by it)
EXACT_ZERO_WHY = "d_loss is exactly 0"
#: G losses a least-squares run can print beside a D loss rounded to 0 (half or plain terms, sum or mean)
LS_ZERO_G = (0.2, 1.5)


def _printed_decimals(x: np.ndarray) -> int | None:
    """The fewest decimals every value of ``x`` is printed with (0-8), None beyond (full floats)."""
    for k in range(9):
        scaled = x * 10.0 ** k
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-3):
            return k
    return None


def _exact_zero_d(d, g, terms=None) -> tuple[int, int | None, float, float] | None:
    """(rows, decimals printed (None: full floats), lowest and highest G loss there) when D's loss is exactly 0 on at least
    :data:`EXACT_ZERO_D_ROWS` rows where neither BCE nor least squares can print 0: BCE's D loss
    holds D's fake term -log(1 - D(G(z))) = -log(1 - exp(-g)) (half of it as a mean), above the
    print's resolution while g is small enough; least squares is 0 only with D(x) = 1 and D(G(z)) =
    0, where G's loss is (0 - 1)^2 = 1 (0.5 with the paper's 1/2; :data:`LS_ZERO_G` round both, as
    a D loss rounded to 0 allows D(G(z)) a little off 0). None otherwise. No corpus BCE or
    LSGAN run has such a row; 80 of its hinge runs do (relu terms reach 0 exactly). ``terms``: D's
    real and fake terms where the log prints them (pix2pix's ``D_real: 0.000 D_fake: 0.000``): the
    print's resolution is the terms', and BCE's whole fake term must reach it (a mean of two terms
    printed to 3 decimals holds 4, which read a BCE run at G 9 as hinge)."""
    if d is None or g is None:
        return None
    dd, gg = _f64(d[:MAX_SAMPLE]), _f64(g[:MAX_SAMPLE])
    ok = np.isfinite(dd) & np.isfinite(gg)
    dd, gg = dd[ok], gg[ok]
    if not (dd == 0).any():
        return None
    zero = dd == 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        bce_least = 0.5 * -np.log(-np.expm1(-gg))
    if terms is not None:
        real, fake = (_f64(t[:MAX_SAMPLE])[ok] for t in terms)
        zero &= fake == 0
        both = np.r_[real, fake]
        k = _printed_decimals(both[np.isfinite(both)])
        bce_least = 2 * bce_least         # the whole fake term, against the terms' own resolution
    else:
        k = _printed_decimals(dd)
    resolution = 0.5 * 10.0 ** -k if k is not None else 0.0
    # least squares prints a D loss under its resolution only with D(x) near 1 and D(G(z)) near 0,
    # where G's loss is near 0.5 (the paper's 1/2) or 1 (plain MSE): a wide band round both
    rows = zero & (gg > 0) & (bce_least > resolution) & ((gg < LS_ZERO_G[0]) | (gg > LS_ZERO_G[1]))
    if int(rows.sum()) < EXACT_ZERO_D_ROWS:
        return None
    return int(rows.sum()), k, float(gg[rows].min()), float(gg[rows].max())


def _loss_from_values(df, d, g, fd, fg, d_min, scores_a) -> tuple[Assumption, bool]:
    """The loss family the logged numbers point to (module docstring), and whether they show it
    (``True``: a BEGAN column, a negative D loss, an untrained hinge D's start, a G loss <= 0 or of
    both signs, a D loss far under the BCE bound of the logged D outputs) rather than suggest it
    (``False``: a D loss under the bound of G's loss, which a composite G also gives; critic-valued
    outputs, including a D loss under least squares' bound for them, which rules out LSGAN but not
    BCE on logits, as StyleGAN2-ADA logs them; no hint, the common case)."""
    began = _began_columns(df)
    neg_d = float((fd < -1e-6).mean()) if len(fd) else 0.0
    if d_min < -1e-6 and neg_d == 0.0:      # negative rows the sample skipped
        neg_d = float((_f64(d) < -1e-6).sum() / max(np.isfinite(d).sum(), 1))
    if began:
        return (Assumption("loss", "began", "guess", f"columns {began[0]!r} and {began[1]!r} are BEGAN's "
                           "equilibrium variable k_t and convergence measure M; declare --loss if it is another loss"), True)
    elif neg_d > 0 and d_min >= -NOISY_LABEL_FLOOR and (acc := accuracy_column(df)) is not None:
        return (Assumption("loss", "nsgan", "guess",
                           f"d_loss dips below 0 (min {d_min:.3g}) only as far as BCE against noisy labels beyond [0, 1] "
                           f"goes, and D's accuracy is logged ({acc}): a classifier D (a critic's loss has no floor, "
                           "and no accuracy); declare --loss if it is a critic"), True)
    elif neg_d > 0 and _bounded_negative_d(fd, fg, neg_d, d_min):
        return (Assumption("loss", "nsgan", "guess",
                           f"d_loss dips below 0 on {neg_d:.0%} of rows, never below {d_min:.3g}, while it reaches "
                           f"{float(np.max(fd)):.3g} and G's loss is never negative: a classifier D with an extra term "
                           "(an NLL class term on probabilities, noisy labels), not a critic, whose loss sits below 0 "
                           "most of the time and whose G loss -D(G(z)) takes both signs; declare --loss if it is a "
                           "critic"), False)
    elif neg_d > 0:
        return (Assumption("loss", "wgan-gp", "guess",
                           f"d_loss is negative on {_share(neg_d)} of rows (min {d_min:.3g}): BCE, LSGAN and hinge "
                           "D losses are sums of non-negative terms, so this is a critic (Wasserstein) loss"), True)
    elif (hinge := _hinge_start(df)) is not None:
        return hinge, True
    elif len(fg) and float((fg <= 1e-6).mean()) >= 0.99 and float((fg < -1e-3).mean()) > 0.01:
        # (> 1 % clearly negative, not most: once D wins, log(1 - D(G(z))) sits at -0.0)
        return (Assumption("loss", "minimax", "guess", f"the G loss is <= 0 on {(fg <= 1e-6).mean():.0%} of rows "
                           "with a non-negative D loss: the saturating log(1 - D(G(z))) of the original minimax GAN"), True)
    elif len(fg) and int((fg < -1e-3).sum()) >= HINGE_NEGATIVE_G_ROWS:
        # a BCE or least-squares G loss is never below 0 (none of the corpus's 906 such runs has
        # one negative row), so a few rows suffice: StudioGAN's SNGAN log has 5 in 1,000
        return (Assumption("loss", "hinge", "guess", f"the G loss takes both signs ({int((fg < -1e-3).sum())} rows "
                           f"below 0, min {float(fg.min()):.3g}) with a non-negative D loss: -D(G(z)) of a hinge "
                           "loss (a BCE or least-squares G loss is never below 0)"), True)
    elif len(fd) and len(fg) and max(float(np.median(fd)), float(np.median(fg))) < BOTH_AT_ZERO:
        # (the tests below would read the pair as least squares or hinge: a D loss far below G's BCE floor)
        return (Assumption("loss", "nsgan", "guess",
                           f"D's and G's losses are both about 0 (medians {float(np.median(fd)):.2g} and "
                           f"{float(np.median(fg)):.2g}), which no loss family gives together (D's loss at 0 puts "
                           "D(G(z)) at its fake target, where G's loss is largest), so they do not tell the family; "
                           "the non-saturating BCE loss, the common case"), False)
    elif (floor := smoothing_floor(fd, code_fake_label(df))) is not None:
        # (a least-squares D loss with smoothed labels reaches 0; the pair tests below would read this one as LSGAN)
        return (Assumption("loss", "nsgan", "guess",
                           f"d_loss bottoms out at {floor[2]:.4g}, the entropy of real labels smoothed to {floor[0]}"
                           f"{' halved (a mean of the terms)' if floor[1] == 'mean' else ''}"
                           f"{', doubled (fake labels smoothed too, a sum of the terms)' if floor[1] == 'sum of both sides' else ''}"
                           ": the least a BCE D loss with "
                           "them can be (least squares reaches 0); the non-saturating BCE loss, the common case"), False)
    elif scores_a is not None and scores_a.value == "probability" and \
            np.isfinite(ratio := _bce_bound_ratio(df, d)) and ratio < LSGAN_BOUND_RATIO:
        return (Assumption("loss", "lsgan", "guess",
                           f"d_loss is a median {ratio:.2f} of -log D(x) - log(1 - D(G(z))) from the logged D "
                           f"outputs; a BCE D loss is at least half of it (0.44 or more on every corpus BCE run), "
                           f"a least-squares one far less (0.01-0.45): LSGAN with sigmoid outputs"), True)
    elif scores_a is not None and scores_a.value == "critic" and \
            np.isfinite(ratio := _ls_bound_ratio(df, d)) and ratio < LS_BOUND_RATIO:
        return (Assumption("loss", "hinge", "guess",
                           f"d_loss is a median {ratio:.2f} of 1/4 ((D(x) - 1)^2 + D(G(z))^2) from the logged D outputs, "
                           "the least a least-squares D loss can be with them (2.0 or more on every corpus LSGAN run); "
                           "non-negative losses that low with critic-valued outputs are a hinge loss"), False)
    elif not any(is_d_accuracy(c) for c in df.columns) and not isinstance((df.attrs or {}).get("g_loss_composite"), str) \
            and (zeros := _exact_zero_d(d, g, (df["d_loss_real"].to_numpy(), df["d_loss_fake"].to_numpy())
                                        if {"d_loss_real", "d_loss_fake"} <= set(df.columns) else None)) is not None:
        # (the argument rests on G's loss being its adversarial term: not where the reader knows it holds others)
        # (a D accuracy beside the loss is Keras' metrics=['accuracy'] on a sigmoid classifier, BCE: its loss
        # prints 0.000000 where D and G contradict each other, a D not frozen in the combined model)
        n, k, lo, hi = zeros
        return (Assumption("loss", "hinge", "guess",
                           f"{EXACT_ZERO_WHY} ({f'printed to {k} decimals' if k is not None else 'as logged'}) on "
                           f"{n} rows where G's loss ({lo:.3g}-{hi:.3g}) "
                           "puts a BCE D loss above that print's resolution and a least-squares one at 0 only with "
                           "G's loss at 0.5 or 1: only a hinge's relu terms reach 0 exactly (a relativistic hinge "
                           "too: then declare --loss relativistic)"), True)
    elif not isinstance((df.attrs or {}).get("g_loss_composite"), str) and \
            np.isfinite(ratio := _bce_pair_ratio(d, g)) and 0 < ratio < LSGAN_PAIR_RATIO:
        # (a G loss the reader knows holds other terms says nothing of D's fake term)
        return (Assumption("loss", "lsgan", "guess",
                           f"d_loss is a median {ratio:.2f} of -log(1 - exp(-g_loss)): with a BCE loss, G's loss "
                           "-log D(G(z)) fixes D's fake term -log(1 - D(G(z))), which D's loss contains (half of it "
                           "as a mean), so a BCE D loss is not below 0.5 of it (0.53 or more on 99 % of the corpus's "
                           "nsgan runs); both losses this low are least squares, unless G's loss holds other terms "
                           "(SRGAN's content loss): then declare --loss"), False)
    elif scores_a is not None and scores_a.value == "critic":
        lvl = float(np.median(fd)) if len(fd) else float("nan")
        return (Assumption("loss", "hinge" if lvl > 0.8 else "lsgan", "guess",
                           f"non-negative losses with critic-valued D outputs; median d_loss {lvl:.3g} "
                           f"{'> 0.8 (hinge sits near 2)' if lvl > 0.8 else '<= 0.8 (LSGAN sits near 0.25)'}"), False)
    else:
        return (Assumption("loss", "nsgan", "guess", "non-negative D and G losses and no other hint: the "
                           "non-saturating BCE loss (DCGAN tutorial) is the common case"), False)


def _negative_share(d) -> tuple[float, int]:
    """The share of finite D losses below 0, and how many rows that is."""
    x = _f64(d)
    x = x[np.isfinite(x)]
    n = int((x < -1e-6).sum())
    return (n / len(x) if len(x) else 0.0), n


def _code_says(meta: dict, key: str, allowed) -> tuple[str | bool, str] | None:
    """A notebook code's hint (``attrs[key]``: (value, why), ``ganalyze.runlog.formats.code_hints``), or None;
    the value a string, or a bool for ``code_averaged``."""
    hint = meta.get(key)
    if isinstance(hint, (tuple, list)) and len(hint) == 2 and hint[0] in allowed and hint[0] != "unknown":
        return hint[0] if isinstance(hint[0], bool) else str(hint[0]), str(hint[1])
    return None


def _with_code(by_numbers: Assumption, shown: bool, code: tuple[str, str] | None, negative_share: float,
               negative_rows: int = 0, beyond: str | None = None) -> Assumption:
    """The loss family from the numbers and from the notebook's code: numbers that show a family win (a
    negative D loss is no BCE, whatever the code holds), except a hinge read from G's loss taking both signs
    where the code has a Wasserstein critic (a critic's G loss -D(G(z)) takes both signs too; minimax, read from G's
    loss at or below 0 beside a D loss never below 0, yields to such code too) and a hinge read from
    D's loss at exactly 0 where the code has another family (that reading needs both losses from one D); where the
    numbers only suggest, the code decides; and BCE in the code beside a D loss negative on fewer than
    ``FEW_NEGATIVE`` of rows (``negative_share``), or on one row alone (``negative_rows``: one epoch in 20, held-out
    batch 242), stays BCE: targets pushed below 0 by label noise; so does BCE beside code that noises targets holding
    ones (``beyond``, ``code_label_noise_beyond``'s reason: Chollet's Keras GAN, held-out batches 327 and 332),
    however often D's loss is negative."""
    if code is None:
        return by_numbers
    value, why = code
    if shown and gan.is_bce(value) and by_numbers.value == "wgan-gp" and beyond is not None:
        return Assumption("loss", value, "guess", f"{why}; d_loss is negative on {_share(negative_share)} of rows, as "
                                                  f"BCE against targets above 1 is: {beyond}")
    if shown and gan.is_bce(value) and by_numbers.value == "wgan-gp" and (negative_share < FEW_NEGATIVE
                                                                         or negative_rows == 1):
        on = f"{_share(negative_share)} of rows" if negative_share < FEW_NEGATIVE else "one row"
        return Assumption("loss", value, "guess", f"{why}; d_loss dips below 0 on only {on}, "
                                                  "as BCE against targets pushed below 0 (noisy labels) does, not a "
                                                  "critic's loss, which stays negative")
    if shown and by_numbers.value == "hinge" and by_numbers.reason.startswith(HINGE_START_WHY) and value != "hinge":
        # one row's reading: labels swapped and softened (real targets 0-0.3) start a BCE D near 2 and G near 0 too
        # (held-out batch 258)
        return Assumption("loss", value, "guess", f"{why}; the first losses alone fit an untrained hinge D (D "
                                                  f"{by_numbers.reason.split(' are D ')[1].split(':')[0]}), which one row "
                                                  "cannot tell from BCE against swapped or softened labels")
    if shown and by_numbers.value == "hinge" and by_numbers.reason.startswith(EXACT_ZERO_WHY) and value != "hinge":
        # the argument holds only where both losses are measured on one D; a loop that logs D's loss before D's
        # step and G's after it (held-out batch 191, Adam at betas (0.2, 0.09)) pairs two D's: the code says
        return Assumption("loss", value, "guess", f"{why}; d_loss prints 0 on rows where G's loss puts a {value} D loss "
                                                  "above the print's resolution, which holds when both come from one D: "
                                                  "a loop that logs D's loss before D's step and G's after it pairs two")
    if value == by_numbers.value:
        return Assumption("loss", value, "guess", f"{by_numbers.reason}; {why} agrees" if shown else
                          f"{why}; the numbers show no family of their own and fit it")
    # (a critic's G loss -D(G(z)) is <= 0 wherever the critic scores the fakes above 0, and with the penalty inside
    # its loss the critic's loss stays >= 0 where it fails to separate: minimax's sign pattern, which held-out batches
    # 404, 425, 426 and 430's WGAN-GP notebooks showed; the code's critic decides)
    if shown and not (value == "wgan-gp" and by_numbers.value in ("hinge", "minimax")):
        return Assumption("loss", by_numbers.value, "guess", f"{by_numbers.reason} ({why}, but its numbers show "
                                                               "otherwise)")
    return Assumption("loss", value, "guess", f"{why}; the numbers show no family of their own (their guess: "
                                              f"{by_numbers.value})")


def _share(x: float) -> str:
    """A share of rows in words that never reads 0 % where some rows are counted ("under 1%")."""
    return "under 1%" if 0 < x < 0.005 else f"{x:.0%}"


def _bounded_negative_d(fd, fg, neg_d: float, d_min: float) -> bool:
    """A D loss below 0 on a minority of rows, never below -:data:`NOISY_LABEL_FLOOR`, reaching above
    that floor, beside a G loss never below 0: a BCE classifier with an extra term (an ACGAN's NLL on
    probabilities, noisy labels) rather than a critic. None of the corpus's 255 critic runs has this
    shape (set a priori; its weight-clipped critics stay within +-0.1 on both sides, penalised ones
    sit below 0 or log G losses of both signs), and no other corpus run has a negative D loss."""
    return bool(len(fd) and len(fg) and neg_d < 0.5 and d_min >= -NOISY_LABEL_FLOOR
                and float(np.max(fd)) > NOISY_LABEL_FLOOR and float(np.min(fg)) >= 0)


#: the words of a column that measures a class term (an ACGAN's auxiliary classifier): "cls_acc", "class_loss"
_CLASS_WORDS = {"cls", "class", "classification", "classifier", "aux", "auxiliary", "categorical"}
_CLASS_MEASURES = {"acc", "accuracy", "loss", "err", "error", "ce", "nll"}


def is_class_term(name) -> bool:
    """Whether a column is named as an auxiliary classifier's loss or accuracy (``Cls acc``,
    ``class_loss``, ``aux_acc``; not LABELS.md's ``class_histogram_kl``)."""
    parts = set(re.split(r"[^a-z0-9]+", str(name).lower()))
    return bool(parts & _CLASS_WORDS and parts & _CLASS_MEASURES) and not str(name).startswith("gt_")


def class_term_column(df) -> str | None:
    """A logged column of an auxiliary classifier's loss or accuracy (:func:`is_class_term`), None without one."""
    return next((str(c) for c in df.columns if is_class_term(c) and df[c].notna().any()), None)


def _d_loss_terms(df, loss: str, fd, fg, d_min: float) -> Assumption | None:
    """A "composite" assumption when D's logged loss holds a term besides its real/fake loss, so its
    level says nothing about who wins: a BCE or least-squares log with an auxiliary classifier's column
    (:func:`class_term_column`: an ACGAN, whose D loss adds the class loss), or a BCE D loss below 0
    on a minority of rows, never far (:func:`_bounded_negative_d`), with no D accuracy logged (an
    ACGAN's NLL on softmax probabilities lies in [-1, 0]; BCE against noisy labels beyond [0, 1] dips
    too, and either way D's level is off the BCE scale the levels are judged on). None otherwise; no
    corpus run has either shape."""
    if loss not in ("nsgan", "minimax", "lsgan"):
        return None
    if (col := class_term_column(df)) is not None:
        return Assumption("d_loss_terms", "composite", "guess",
                          f"column {col!r} measures an auxiliary classifier (an ACGAN): D's logged loss holds its "
                          "class term, so its level says nothing of who wins; log D's real/fake loss on its own, "
                          "or D(x) and D(G(z)), to have it judged")
    neg_d = float((fd < -1e-6).mean()) if len(fd) else 0.0
    if gan.is_bce(loss) and d_min < -1e-6 and accuracy_column(df) is None and _bounded_negative_d(fd, fg, neg_d, d_min):
        return Assumption("d_loss_terms", "composite", "guess",
                          f"d_loss dips below 0 (min {d_min:.3g}), which no BCE loss against labels in [0, 1] does: "
                          "it holds another term (an ACGAN's class NLL on probabilities) or labels beyond [0, 1], "
                          "so its level says nothing of who wins; log D's real/fake loss on its own, or D(x) and "
                          "D(G(z)), to have it judged")
    return None


#: BCE against labels pushed beyond [0, 1] (noise of 0.1, Foster's Keras DCGAN) dips below 0 by at most a
#: few tenths; with D's accuracy logged, a D loss no lower than this is a classifier's, not a critic's
NOISY_LABEL_FLOOR = 0.5


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
            v = _f64(_num(df, c)) if _num(df, c) is not None else np.array([])
            v = v[np.isfinite(v)]
            if len(v) and v.min() >= 0 and v.max() <= 1:
                return str(c)
    return None


#: median d_loss / 1/4 ((D(x) - 1)^2 + D(G(z))^2) below this is no least-squares loss (see _ls_bound_ratio)
LS_BOUND_RATIO = 0.5


def _ls_bound_ratio(df, d) -> float:
    """Median of d_loss / (1/4 ((D(x) - 1)^2 + D(G(z))^2)) over rows where that bound is > 0.05, with D's
    batch-mean outputs: by Jensen, a least-squares D loss is at least this (the paper's 1/2 terms,
    averaged over real and fake; plain MSE or a sum doubles it); NaN without both outputs or with
    fewer than 5 such rows. In-sample on the corpus: 2.0 or more on every LSGAN run, down to 0 on hinge runs."""
    dx, dgz = _num(df, "d_x"), _num(df, "d_g_z1")
    if dx is None or dgz is None:
        return float("nan")
    stride = max(1, len(d) // MAX_SAMPLE)
    dx, dgz, dd = _f64(dx[::stride]), _f64(dgz[::stride]), _f64(d[::stride])
    bound = 0.25 * ((dx - 1.0) ** 2 + dgz ** 2)
    ok = np.isfinite(dd) & np.isfinite(bound) & (bound > 0.05)
    return float(np.median(dd[ok] / bound[ok])) if ok.sum() >= 5 else float("nan")


def _bce_bound_ratio(df, d) -> float:
    """Median of d_loss / (-log D(x) - log(1 - D(G(z)))) over rows where that bound is > 0.05
    (D outputs as probabilities; NaN without D(x) and D(G(z)) or with fewer than 5 such rows)."""
    dx, dgz = _num(df, "d_x"), _num(df, "d_g_z1")
    if dx is None or dgz is None:
        return float("nan")
    stride = max(1, len(d) // MAX_SAMPLE)
    dx, dgz, dd = _f64(dx[::stride]), _f64(dgz[::stride]), _f64(d[::stride])
    bound = _bce_bound(dx, dgz)
    ok = np.isfinite(dd) & np.isfinite(bound) & (bound > 0.05)
    return float(np.median(dd[ok] / bound[ok])) if ok.sum() >= 5 else float("nan")


#: an untrained D's adversarial BCE G loss: ln 2 (nsgan) or -ln 2 (minimax); on the corpus's 894
#: BCE runs the first G loss is within 0.37-1.40 (1-99 %), never beyond 4.1 in absolute value
G_FIRST_MAX = 5.0
#: a BCE G loss whose first value and median over the run are both beyond this holds other terms
#: whatever D's first loss (an adversarial one that large needs D's logit on fakes below -1,000 all
#: along; PyTorch's BCELoss even clamps each log at -100)
G_ALWAYS_MAX = 1000.0
#: ... or a non-saturating G loss whose 5th percentile over the run is above this, beside a D loss
#: neither about 0 (D_WON_LEVEL) nor saturated (SATURATED_LEVEL): -ln(1e-7), Keras' clamp of a BCE
#: on probabilities (its G loss never exceeds it), D(G(z)) under 1e-7 on 95 % of the rows otherwise.
#: None of the corpus's 831 nsgan runs keeps its G loss above 8 on 95 % of its rows; pix2pix's G_GAN
#: + 100 L1 sits at 20-40 all run; a public DCGAN on 300 anime faces whose D won held G at 12 (at 10,
#: the first choice, it was read as composite)
G_FLOOR_COMPOSITE = -math.log(1e-7)
#: a summed BCE D loss whose median is under this is D at 0 (explain.D_WON_LOSS; advice's d_loss_zero)
D_WON_LEVEL = 0.05


#: an untrained hinge D scores about 0, so its loss max(0, 1 - D(x)) + max(0, 1 + D(G(z))) starts
#: near 2 and G's -D(G(z)) near 0 (BCE's G starts near ln 2, LSGAN's near 0.125-1, minimax's near
#: -ln 2). These limits were read off the corpus's first losses (in-sample, see eval_metadata.py).
HINGE_FIRST_D = (1.5, 2.3)
HINGE_FIRST_G_MAX = 0.2
#: how :func:`_hinge_start`'s reason begins (one row's reading, which a notebook's code outweighs)
HINGE_START_WHY = "the first losses"
#: rows with a G loss below -1e-3 (and D's never below 0, G's not <= 0 throughout) that make it hinge
HINGE_NEGATIVE_G_ROWS = 2


def _by_epoch(df) -> bool:
    """Whether the log is stepped by the epoch (``attrs["step_from"] == "epoch"``): its first row ends a
    whole epoch of training, so it shows no untrained D (a TF loop's first epoch-end D loss of 0.82, a
    sum, had read as an untrained D's mean near ln 2)."""
    return (df.attrs or {}).get("step_from") == "epoch"


def _first_losses(df) -> tuple[int, float, float] | None:
    """(step, d_loss, g_loss) of the first row where both losses are finite, or None."""
    d, g = _num(df, "d_loss"), _num(df, "g_loss")
    if d is None or g is None:
        return None
    ok = np.isfinite(_f64(d)) & np.isfinite(_f64(g))
    if not ok.any():
        return None
    i = int(np.argmax(ok))
    return int(df["step"].to_numpy(dtype="int64")[i]), float(d[i]), float(g[i])


def _hinge_start(df) -> Assumption | None:
    """A "hinge" guess when the first losses (step <= ``FIRST_STEP_MAX``) are an untrained hinge
    D's: D's within ``HINGE_FIRST_D`` and G's within ±``HINGE_FIRST_G_MAX``. Catches hinge runs
    whose G loss never goes negative (the both-signs test misses them). None otherwise."""
    first = _first_losses(df)
    if first is None:
        return None
    s0, d0, g0 = first
    if s0 > FIRST_STEP_MAX or _by_epoch(df) or not HINGE_FIRST_D[0] < d0 < HINGE_FIRST_D[1] or abs(g0) >= HINGE_FIRST_G_MAX:
        return None
    return Assumption("loss", "hinge", "guess",
                      f"{HINGE_START_WHY} (step {s0}) are D {d0:.3g} and G {g0:.3g}: an untrained hinge D scores about "
                      "0, so its loss max(0, 1 - D(x)) + max(0, 1 + D(G(z))) starts near 2 and G's -D(G(z)) near 0 "
                      "(a BCE G loss starts near ln 2 = 0.693, LSGAN's near 0.125-1, minimax's near -0.693)")


#: a logged column named as one of G's non-adversarial terms (L1, VGG, cycle, ...:
#: :data:`ganalyze.runlog.schema.G_CONTENT_TERMS`), matched as a whole word of its name; D's, validation and
#: learning-rate columns are never such terms
_G_TERM = re.compile(r"(?:^|_)(?:" + "|".join(G_CONTENT_TERMS) + r")(?:_|$)")
_NOT_G_TERM = re.compile(r"^(?:d|dis|disc|discriminator|val|valid|test|lr)(?:_|$)")


def _g_loss_terms(df, loss: str, scores: str = "probability") -> Assumption | None:
    """A "composite" assumption when G's logged loss holds other terms: the log's columns of G's
    non-adversarial terms (:data:`_G_TERM`: ``train_L1``, ``train_VGG``, ...) add up to no more
    than it on 90 % of rows and to a quarter of it or more (the logged loss is their total with the
    adversarial term; pix2pix's ``G_GAN`` is far below its ``G_L1``), unless the reader says which
    term g_loss is (``g_loss_from``); or, for a BCE loss, G's first logged loss (step 0-2) is beyond
    ``G_FIRST_MAX`` while D's first loss is an untrained D's (within 25 % of ln 2 or 2 ln 2): then
    D(G(z)) is near 1/2 and G's adversarial loss is near ln 2, so the rest is other terms (pix2pix
    logs G_GAN + λ·L1 with λ = 100, SRGAN a content loss), unless D's logged output on the fakes
    there (``d_g_z1``, or ``d_g_z2`` after D's step: a probability, or a logit when ``scores`` is critic) is below 0.2, which
    makes G's adversarial loss large by itself: a summed D loss near 2 ln 2 can be one large term
    (StyleGAN2-ADA's first tick: D(G(z)) a logit of -6.6, G's loss 6.57, D's 1.11), or G's median
    loss over the run is itself within ``G_FIRST_MAX`` (a log of epoch ends whose first row is a
    spike: a composite G stays above its adversarial levels). A reader that knows G's loss is a
    total says so in ``df.attrs["g_loss_composite"]`` (the reason). None otherwise."""
    if isinstance(why := (df.attrs or {}).get("g_loss_composite"), str):
        return Assumption("g_loss_terms", "composite", "file", why)
    if (by_columns := _g_terms_logged(df)) is not None:
        return by_columns
    if loss not in ("nsgan", "minimax") or (first := _first_losses(df)) is None:
        return None
    s0, d0, g0 = first
    g_all = _finite_sample(_num(df, "g_loss"))
    if abs(g0) > G_ALWAYS_MAX and len(g_all) and float(np.median(np.abs(g_all))) > G_ALWAYS_MAX:
        return Assumption("g_loss_terms", "composite", "guess",
                          f"G's loss is {g0:.3g} at its first row and {float(np.median(np.abs(g_all))):.3g} (median) "
                          f"over the run: an adversarial {loss} loss that large needs D's logit on the fakes below "
                          f"-{G_ALWAYS_MAX:.0f} throughout, so it holds other terms (a content loss on 0-255 pixels): "
                          "the rules judge D's level alone and the advice quotes no G level")
    if loss == "nsgan" and len(g_all) >= 20 and (floor := float(np.quantile(g_all, 0.05))) > G_FLOOR_COMPOSITE:
        d_all = _finite_sample(_num(df, "d_loss"))
        d_med = float(np.median(d_all)) if len(d_all) else float("nan")
        # (D at one-sided label smoothing's floor has won as surely as one at 0: D(G(z)) about 0 and G's adversarial
        # loss as large as D's logit on the fakes is low; held-out batch 200: D at 0.3251 on 86 of 120 rows, G 23-101)
        if D_WON_LEVEL <= d_med <= SATURATED_LEVEL and smoothing_floor(d_all, code_fake_label(df)) is None:
            return Assumption("g_loss_terms", "composite", "guess",
                              f"G's loss stays above {floor:.3g} on 95 % of rows while D's loss is {d_med:.3g} (median), "
                              f"neither about 0 nor saturated: a non-saturating G loss above {G_FLOOR_COMPOSITE:.3g} all "
                              "along needs D(G(z)) under 5e-5 throughout, which no corpus run holds (none keeps its G "
                              "loss above 8 on 95 % of its rows), so it holds other terms (pix2pix's 100 x L1): the rules "
                              "judge D's level alone and the advice quotes no G level")
    if s0 > FIRST_STEP_MAX or _by_epoch(df) or _untrained_reduction(d0) is None or abs(g0) <= G_FIRST_MAX:
        return None
    if len(g_all) and float(np.median(np.abs(g_all))) <= G_FIRST_MAX:
        return None     # G's loss settles at adversarial levels: its first value was a transient, not other terms
    # (D's output on the fakes after its own step, d_g_z2, is the one the DCGAN tutorial's G loss is computed from:
    # "D(G(z)): 0.5501 / 0.0027" beside "Loss_G: 6.3462" at the first row, held-out batch 628/01)
    at = int(np.argmax(np.isfinite(_f64(_num(df, "d_loss"))) & np.isfinite(_f64(_num(df, "g_loss")))))
    for col in ("d_g_z1", "d_g_z2"):
        if (dgz := _num(df, col)) is None:
            continue
        v = float(dgz[at])
        p = 1.0 / (1.0 + math.exp(-max(min(v, 50.0), -50.0))) if scores == "critic" else v
        if np.isfinite(p) and p < 0.2:
            return None
    return Assumption("g_loss_terms", "composite", "guess",
                      f"the first G loss (step {s0}) is {g0:.3g} while D's is {d0:.3g}, an untrained D's: "
                      f"its adversarial {loss} loss would be near {'-' if loss == 'minimax' else ''}ln 2, so G's logged loss "
                      "holds other terms (pix2pix's 100 x L1, a content loss): the rules judge D's level alone and the "
                      "advice quotes no G level (the learned model still reads G's loss as it is); log the adversarial "
                      "term on its own (pix2pix's G_GAN) to have it judged")


def is_g_term(name) -> bool:
    """Whether a column is named as one of G's non-adversarial loss terms (``train_L1``, ``G_VGG``),
    or as G's adversarial term logged beside its total (:data:`G_ADVERSARIAL`)."""
    low = str(name).lower()
    return low != "g_loss" and (normalise_name(low) in G_ADVERSARIAL
                                or (bool(_G_TERM.search(low)) and not _NOT_G_TERM.search(low)))


def is_g_total(name) -> bool:
    """Whether a column is named as G's total loss beside ``g_loss`` (``g_loss_total``, ``G_total``,
    ``gen_total_loss``): with it, a ``g_loss`` that is at most the total is one of its parts."""
    parts = re.split(r"[^a-z0-9]+", str(name).lower())
    return "total" in parts and bool(set(parts) & {"g", "gen", "generator"}) and str(name).lower() != "g_loss"


#: G's adversarial term under its own name (SinGAN's ``G_adv``, BasicSR's ``l_g_gan``), normalised
G_ADVERSARIAL = {"gadv", "glossadv", "gadvloss", "lossgadv", "lggan", "ggan", "gganloss", "lossgan"}


def _g_terms_logged(df) -> Assumption | None:
    """The column half of :func:`_g_loss_terms`."""
    if "g_loss_from" in (df.attrs or {}) or (g := _num(df, "g_loss")) is None:
        return None
    adversarial = [c for c in df.columns if normalise_name(c) in G_ADVERSARIAL]
    if adversarial:           # G's total logged beside its own adversarial term
        a, gg = _f64(_num(df, adversarial[0])), _f64(g)
        ok = np.isfinite(a) & np.isfinite(gg)
        above = float((gg[ok] > a[ok] + 0.05 * np.abs(a[ok]) + 1e-6).mean()) if ok.sum() >= 3 else 0.0
        if above >= 0.9:
            return Assumption("g_loss_terms", "composite", "guess",
                              f"g_loss is above G's own adversarial term {adversarial[0]} on {above:.0%} of rows: "
                              "it is their total with G's other terms, so the rules judge D's level alone and the "
                              "advice quotes no G level (the learned model still reads G's loss as it is); declare "
                              f"--columns g_loss={adversarial[0]} to have the adversarial term judged")
    names = [c for c in df.columns if is_g_term(c) and normalise_name(c) not in G_ADVERSARIAL]
    if not names:
        return None
    parts = np.column_stack([_f64(_num(df, c)) for c in names])
    total, g = parts.sum(axis=1), _f64(g)
    ok = np.isfinite(total) & np.isfinite(g) & (total > 0)
    if ok.sum() < 3:
        return None
    below = float((total[ok] <= g[ok] * 1.001 + 1e-9).mean())
    share = float(np.median(total[ok] / np.maximum(g[ok], 1e-12)))
    if below < 0.9 or share < 0.25:
        return None
    for c in df.columns:      # G's total logged too, = g_loss + those terms: g_loss is a part of it, not the total
        if not is_g_total(c) or (other := _num(df, c)) is None:
            continue
        o = _f64(other)
        both = ok & np.isfinite(o)
        if both.sum() >= 3 and float((np.abs(o[both] - g[both] - total[both])
                                      <= 0.01 * np.abs(o[both]) + 1e-6).mean()) >= 0.9:
            return None
    return Assumption("g_loss_terms", "composite", "guess",
                      f"g_loss is at least the sum of the logged {', '.join(map(str, names))} on {below:.0%} of rows "
                      f"(a median {share:.0%} of it): G's logged loss totals them with its adversarial term, so the "
                      "rules judge D's level alone and the advice quotes no G level (the learned model still reads "
                      "G's loss as it is); log the adversarial term on its own to have it judged")


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


def _reduction(df, d, loss, scores) -> Assumption:
    """Sum or mean of D's two BCE terms (module docstring); a reader's hint (``attrs[
    "d_loss_reduction_hint"]``: (value, why), a print format whose copies differ) decides only
    where the numbers show neither."""
    name = "d_loss_reduction"
    stride = max(1, len(d) // MAX_SAMPLE)      # shares and medians on at most ~MAX_SAMPLE rows
    full_d, d = d, _f64(d[::stride])
    r, f = _num(df, "d_loss_real"), _num(df, "d_loss_fake")
    if r is not None and f is not None:
        r, f = _f64(r[::stride]), _f64(f[::stride])
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
    if loss in ("lsgan", "hinge") and (code := _code_says(df.attrs or {}, "code_d_loss_reduction", REDUCTIONS)):
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
    dx, dgz = _num(df, "d_x"), _num(df, "d_g_z1")
    # the bound is of BCE against targets 1 and 0: against smoothed targets (0.9) D's loss exceeds it where D is sure,
    # so a mean reads as a sum (held-out batch 242: median ratio 1.63 for a code's "(d_real + d_fake) * 0.5")
    smoothed = _smoothed_targets(df)
    if scores == "probability" and dx is not None and dgz is not None and not smoothed:
        bound = _bce_bound(_f64(dx[::stride]), _f64(dgz[::stride]))
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
    if (code := _code_says(df.attrs or {}, "code_d_loss_reduction", REDUCTIONS)) is not None:
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
    first = None if _by_epoch(df) else _untrained_reduction(d0)
    if s0 <= FIRST_STEP_MAX and first:   # an untrained D's loss: the strongest sign (99 % right on the corpus's BCE runs)
        return _first_loss_says(s0, d0, first)
    if len(x) >= 3:   # the median of each three consecutive rows: a level held, not one spike
        a, b, c = x[:-2], x[1:-1], x[2:]
        held = np.maximum(np.minimum(a, b), np.minimum(np.maximum(a, b), c))
    else:
        held = np.array([float(np.median(_f64(x)))])
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


def _averaged(d, g, k, declared, meta) -> Assumption:
    name = "averaged"
    if declared is not None:
        return Assumption(name, bool(declared), "declared", "declared by the caller")
    declared_on_read = name in set(meta.get("declared") or [])
    if isinstance(meta.get("averaged"), (bool, np.bool_)) and declared_on_read:
        return Assumption(name, bool(meta["averaged"]), "declared", "declared when the run was read")
    if (code := _code_says(meta, "code_averaged", (True, False))) is not None:
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
    head_d, head_g = _f64(d[:MAX_SAMPLE]), _f64(g[:MAX_SAMPLE])
    clamped = np.isin(head_d, _CLAMPED) | np.isin(head_g, _CLAMPED)
    for x in (head_d, head_g):      # consecutive rows are needed: a contiguous block, not a strided sample
        x = np.where(clamped, np.nan, x)
        fx = x[np.isfinite(x)]
        if len(fx) < 8:
            return Assumption(name, False, "guess", "too few rows to tell; read as per-step values")
        level = float(np.median(np.abs(fx)))
        spread = float(np.subtract(*np.percentile(fx, [90, 10])))
        scale = max(level, spread, 1e-12)
        rel.append(_noise(x) / scale)
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


def _code_fact(df: pd.DataFrame, key: str) -> tuple | None:
    """A notebook code check's ``(role, why)`` from the run's metadata (``df.attrs[key]``); None where absent or
    of another shape."""
    value = (df.attrs or {}).get(key)
    return tuple(value) if isinstance(value, (tuple, list)) and len(value) == 2 \
        and all(isinstance(x, str) for x in value) else None


def run_config(df: pd.DataFrame) -> RunConfig:
    """The settings advice can quote (see :class:`RunConfig`)."""
    hp = (df.attrs or {}).get("hparams") or {}
    src = []

    def f(key):
        v = hp.get(key)
        try:
            v = float(v)
        except (TypeError, ValueError):
            return float("nan")
        return v if np.isfinite(v) else float("nan")

    lr_d, lr_g = f("lr_d"), f("lr_g")
    if np.isfinite(lr_d) or np.isfinite(lr_g):
        src.append("hparams")
    for col, cur in (("lr_d", lr_d), ("lr_g", lr_g)):
        if not np.isfinite(cur) and col in df.columns:
            x = pd.to_numeric(df[col], errors="coerce").to_numpy("float64")
            x = x[np.isfinite(x)]
            if len(x):
                if col == "lr_d":
                    lr_d = float(np.median(x))
                else:
                    lr_g = float(np.median(x))
                src.append(f"{col} column")
    ds, gs = f("d_steps"), f("g_steps")
    ls = f("label_smoothing")
    code = (df.attrs or {}).get("code_label_smoothing")
    if not np.isfinite(ls) and isinstance(code, (tuple, list)) and len(code) == 2 and isinstance(code[0], (int, float)):
        ls = float(code[0])          # the notebook's own code smooths the real labels
        src.append("the notebook's code")
    gp = f("gp_weight")
    unzeroed, unstepped, crossed, detached, summed = (_code_fact(df, key) for key in (
        "code_unzeroed_optimiser", "code_unstepped_optimiser", "code_crossed_optimiser", "code_detached_loss",
        "code_summed_rows"))
    return RunConfig(gp_weight=gp if np.isfinite(gp) else None, lr_d=lr_d, lr_g=lr_g, d_steps=int(ds) if np.isfinite(ds) else None,
                     g_steps=int(gs) if np.isfinite(gs) else None,
                     label_smoothing=ls if np.isfinite(ls) else None, source=", ".join(src),
                     lr_d_frozen=frozen_from(df, "lr_d"), lr_g_frozen=frozen_from(df, "lr_g"),
                     lr_d_raised=raised_from(df, "lr_d"), lr_g_raised=raised_from(df, "lr_g"),
                     batch_size=int(bs) if np.isfinite(bs := f("batch_size")) and bs >= 1 else None,
                     unzeroed_optimiser=unzeroed, unstepped_optimiser=unstepped, crossed_optimiser=crossed,
                     detached_loss=detached, summed_rows=summed)
