"""What a diagnosis assumes about a run: loss family, sum vs mean D loss, probability vs critic
scores, logging interval and pre-averaging, each as an :class:`Assumption` that says where it came
from (``declared`` by the user, read from the ``file``'s metadata or columns, or a ``guess`` from
the numbers) and why.

Precedence per key: an argument (``--loss`` ...) or a key listed in ``df.attrs["declared"]``, then
the run's metadata (``df.attrs``, not ``unknown``), then inference over the **whole** run:

- **loss**: from the logged numbers, weighed against the notebook's code
  (:mod:`ganalyze.diagnose.loss_family`, whose docstring gives the reading).
- **d_loss_reduction** and **averaged**: :mod:`ganalyze.diagnose.reduction` (the Jensen bound, the D
  loss's level, an untrained D's first loss; the rows' noise).
- **scores**: D outputs (``d_x``, ``d_g_z1``, ``d_g_z2``, the quantile columns) outside [0, 1] ->
  ``critic``; inside -> ``probability`` for BCE losses; no D outputs -> from the loss family.
- **log_every**: the median gap between logged steps.

:class:`RunMetadata` also holds the facts about the log that the explanations and advice read
(:mod:`ganalyze.diagnose.log_facts`), and :class:`RunConfig` the settings the advice quotes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ganalyze import gan
from ganalyze.diagnose.arrays import MAX_SAMPLE, finite_range, finite_sample, first_finite, log_interval, num
from ganalyze.diagnose.assumption import Assumption
from ganalyze.diagnose.log_facts import (
    bce_clamp_share,
    code_fact,
    code_fake_label,
    code_says,
    critic_growth,
    frozen_from,
    frozen_tail,
    noise_floor,
    printed_moments,
    raised_from,
    same_d_g,
    smoothing_floor,
    still_log,
    transient_nonfinite,
)
from ganalyze.diagnose.loss_family import d_loss_terms, g_loss_terms, loss_from_values, negative_share, with_code
from ganalyze.diagnose.reduction import infer_averaged, infer_reduction
from ganalyze.errors import GanalyzeError

SUPPORTED_LOSSES = gan.LOSSES                 # the one list (ganalyze.gan)
UNSUPPORTED_LOSSES = gan.UNSUPPORTED_LOSSES
LOSSES = gan.LOSS_CHOICES
REDUCTIONS = gan.REDUCTION_CHOICES
SCORES = gan.SCORE_CHOICES
SOURCES = ("declared", "file", "guess")
LN2 = gan.LN2

D_OUTPUTS = ("d_x", "d_g_z1", "d_g_z2", "d_real_q05", "d_real_q50", "d_real_q95",
             "d_fake_q05", "d_fake_q50", "d_fake_q95")


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
    lr_d_frozen: tuple | None = None    # (step, lr_D there, lr_D's first value): see :func:`log_facts.frozen_from`
    lr_g_frozen: tuple | None = None    # the same for lr_G
    lr_d_raised: tuple | None = None    # (step, lr_D there, lr_D's first value): see :func:`log_facts.raised_from`
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
    #: loss), so its level says nothing about D's verdict (:func:`loss_family.g_loss_terms`)
    g_loss_terms: str = "adversarial"
    #: "adversarial", or "composite": D's logged loss holds a term besides its real/fake loss (an ACGAN's
    #: class loss), so its level says nothing about who wins (:func:`loss_family.d_loss_terms`)
    d_loss_terms: str = "adversarial"
    #: the median logged D loss over the run (NaN without a finite one): a held level the notes quote
    d_loss_median: float = float("nan")
    #: the median logged G loss over the run (NaN without a finite one)
    g_loss_median: float = float("nan")
    #: the lowest finite logged D loss (NaN without one): below 0, a BCE loss's floor is not 0 (noisy labels)
    d_loss_min: float = float("nan")
    #: for a critic loss, median |d_loss| over the run's last quarter of rows over that of its second
    #: quarter (:func:`log_facts.critic_growth`); NaN otherwise
    critic_growth: float = float("nan")
    #: the first finite logged D loss (NaN without one)
    d_loss_first: float = float("nan")
    #: for a BCE loss, the share of rows whose D or G loss sits at BCELoss's clamp
    #: (:func:`log_facts.bce_clamp_share`); 0 for other losses
    bce_clamp_share: float = 0.0
    #: the lowest and highest finite logged D and G losses over the run (a strided sample of a long one; NaN without one)
    d_loss_range: tuple = (float("nan"), float("nan"))
    g_loss_range: tuple = (float("nan"), float("nan"))
    #: whether the log holds the run's start (its first logged step is within one logging interval of 0, and it has a
    #: row after it: one row printed after the training loop is the run's end as much as its start, held-out batch 604/00)
    from_start: bool = False
    #: (first row, rows, D value, G value) of the log's last rows that repeat the same D and G losses
    #: exactly, to its end (:func:`log_facts.frozen_tail`); None where there are none
    frozen_tail: tuple | None = None
    #: (rows, first row) of the non-finite rows between finite ones that are no divergence
    #: (:func:`ganalyze.diagnose.window_features.transient_nonfinite_rows`); None where there are none
    transient_nonfinite: tuple | None = None
    #: (real label, "sum" or "mean", floor, share of rows within 10 % of it) where a BCE D loss bottoms out
    #: at the least one-sided label smoothing allows (:func:`log_facts.smoothing_floor`); None otherwise
    smoothing_floor: tuple | None = None
    #: (noise width a, floor, share of rows within 10 % of it) where a BCE D loss bottoms out at the least its
    #: targets, noised towards each other by up to a (the code's ``code_label_noise``), allow (:func:`log_facts.noise_floor`)
    noise_floor: tuple | None = None
    #: (data mean, data std, G's mean, G's std, their distance in data stds) over the log's last quarter of rows where
    #: it prints both distributions' moments (Dev Nag's 1-D GAN: real_mean, real_std, fake_mean, fake_std;
    #: :func:`log_facts.printed_moments`); None otherwise
    printed_moments: tuple | None = None
    #: the share of rows whose D and G losses are the same number (both finite; 0 with fewer than 5 such rows): a print
    #: that writes one value as both (held-out batch 634/03), whose levels say nothing of either player
    same_d_g: float = 0.0
    #: (rows, D level, G level, D spread, G spread) where both losses stay within ``log_facts.STILL_SPREAD`` of their
    #: level over the whole log (:func:`log_facts.still_log`); None otherwise
    still_log: tuple | None = None

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
    d = num(df, "d_loss")
    g = num(df, "g_loss")
    fd, fg = finite_sample(d), finite_sample(g)       # for shares and quantiles
    d_min = finite_range(d)[0]

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
    outs = [(c, finite_range(num(df, c))) for c in D_OUTPUTS if c in df.columns] if a is None or implied else []
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
    code = code_says(meta, "code_loss", LOSSES)
    beyond = meta.get("code_label_noise_beyond")
    beyond = str(beyond[1]) if isinstance(beyond, (tuple, list)) and len(beyond) == 2 else None
    if a is None:
        a = with_code(*loss_from_values(df, d, g, fd, fg, d_min, scores_a), code, *negative_share(d), beyond=beyond)
    elif a.source == "file" and "loss" in reader_inferred and code is not None:
        # the code says more than a print format
        a = with_code(*loss_from_values(df, d, g, fd, fg, d_min, scores_a), code, *negative_share(d), beyond=beyond)
    elif a.source == "file" and "loss" in reader_inferred and gan.is_bce(a.value):
        # a print format copied from the DCGAN tutorial implies its BCE loss; numbers that show another
        # loss win (a public LSGAN notebook printing the tutorial's line read as nsgan at 1.39 / 0.693)
        v, shown = loss_from_values(df, d, g, fd, fg, d_min, scores_a)
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
            and (code := code_says(meta, "code_d_loss_reduction", REDUCTIONS)) is not None and code[0] != a.value):
        # the code that printed the log says more than its print format (a CycleGAN-style notebook that adds
        # D's terms where CycleGAN's code halves them)
        a = Assumption("d_loss_reduction", code[0], "guess",
                       f"{code[1]} (the {fmt} log format implies {a.value}; the code says otherwise)")
    if a is None:
        a = infer_reduction(df, d, lname, scores_a.value)
    red_a = a

    # ---- logging interval and pre-averaging ----------------------------------------------------
    steps = df["step"].to_numpy(dtype="int64")
    k = log_interval(steps)
    sub = steps[: MAX_SAMPLE + 1]
    gaps = np.diff(sub) if len(sub) > 1 else np.array([1])
    share = float((gaps == k).mean()) if len(gaps) else 1.0
    out_k = Assumption("log_every", k, "file", f"median gap between logged steps ({share:.0%} of gaps are {k})")
    av = infer_averaged(d, g, k, averaged, meta)

    extra = []
    if lname == "wgan-gp":
        scale = float(np.subtract(*np.percentile(fd, [75, 25]))) if len(fd) > 3 else float("nan")
        med = float(np.median(np.abs(fd))) if len(fd) else float("nan")
        extra.append(Assumption("critic_scale", float(f"{med:.4g}"), "guess",
                                f"median |d_loss| {med:.3g} (IQR {scale:.3g}): a critic loss has no fixed level, "
                                "so its levels are judged against the run's own scale"))
    g_terms = g_loss_terms(df, lname, scores_a.value)
    if g_terms is not None:
        extra.append(g_terms)
    d_terms = d_loss_terms(df, lname, fd, fg, d_min)
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
                       printed_moments=printed_moments(df), same_d_g=same_d_g(d, g), still_log=still_log(d, g),
                       transient_nonfinite=transient_nonfinite(d, g))


def _lo_hi(x: np.ndarray) -> tuple:
    """The lowest and highest of a sample of finite values (NaNs without one)."""
    x = np.asarray(x, dtype="float64")
    return (float(x.min()), float(x.max())) if len(x) else (float("nan"), float("nan"))


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
    unzeroed, unstepped, crossed, detached, summed = (code_fact(df, key) for key in (
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
