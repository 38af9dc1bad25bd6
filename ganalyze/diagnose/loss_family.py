"""The loss family a run's logged numbers point to (:func:`loss_from_values`), weighed against its notebook's
code (:func:`with_code`), and whether D's or G's logged loss holds terms besides its adversarial one
(:func:`d_loss_terms`, :func:`g_loss_terms`), with the column names those read (BEGAN's k_t and M, G's other loss
terms, an auxiliary classifier's, D's accuracy): for :func:`ganalyze.diagnose.metadata.infer_metadata`, where neither
the caller nor the run's metadata names the loss (precedence: that module's docstring).

- **loss**: BEGAN's ``k_t`` and convergence-measure columns -> ``began`` (unsupported); a D loss
  below 0 on any row -> a critic loss (``wgan-gp``): BCE, LSGAN and hinge D losses are sums of
  non-negative terms; a G loss <= 0 on (almost) every row with D >= 0 -> ``minimax``
  (log(1 - D(G(z))) <= 0), unless the first losses are an untrained hinge D's (D near 2, G near
  0: ``hinge``); a G loss of both signs with D >= 0 -> ``hinge``; D's loss under the BCE bound set
  by G's loss or by the logged D outputs -> ``lsgan``; else ``nsgan``.
"""
from __future__ import annotations

import math
import re

import numpy as np

from ganalyze import gan
from ganalyze.diagnose.arrays import MAX_SAMPLE, f64, finite_sample, num
from ganalyze.diagnose.assumption import Assumption
from ganalyze.diagnose.log_facts import accuracy_column, code_fake_label, is_d_accuracy, smoothing_floor
from ganalyze.diagnose.reduction import FIRST_STEP_MAX, SATURATED_LEVEL, bce_bound, by_epoch, untrained_reduction
from ganalyze.runlog.schema import G_CONTENT_TERMS, normalise_name

#: a notebook whose code builds a BCE loss, beside a D loss below 0 on fewer than this share of rows: BCE against
#: targets pushed below 0 (noisy labels), not a critic (whose loss sits below 0 most of the run; held-out batch 127's
#: Keras DCGAN: one negative epoch in 280)
FEW_NEGATIVE = 0.05

#: D's and G's losses both with a median under this (a non-negative D loss): a pair no loss family gives
#: together (a D not frozen in Keras' combined model: medians 0.0013 and 0.0005), read as nsgan so the
#: contradiction is said (set a priori below a weight-clipped critic's scale: a Julia WGAN printing its
#: positive Wasserstein estimate, 0.001, beside G's 0.045 is no such pair)
BOTH_AT_ZERO = 0.01

BEGAN_K = ("k_t", "kt", "k", "k_factor")      # "k_factor": the TF1 BEGAN prints' name for k_t
BEGAN_M = ("m_global", "convergence", "convergence_measure", "m", "measure", "m_global_measure")


def norm_name(name) -> str:
    """A column name as BEGAN's columns are matched: lower case, letters, digits and ``_``."""
    return "".join(ch for ch in str(name).lower() if ch.isalnum() or ch == "_")


def _began_columns(df) -> list:
    cols = {norm_name(c): c for c in df.columns}
    k = next((cols[n] for n in BEGAN_K if n in cols), None)
    m = next((cols[n] for n in BEGAN_M if n in cols), None)
    return [k, m] if k is not None and m is not None else []


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
    dd, gg = f64(d[::stride]), f64(g[::stride])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        fake = -np.log(-np.expm1(-gg))
        ratio = dd / fake
    ok = np.isfinite(ratio) & (gg > 0) & (dd > 0)
    return float(np.median(ratio[ok])) if ok.sum() >= 20 else float("nan")


#: rows of a D loss at exactly 0 that a BCE or least-squares loss cannot give before it reads as hinge
EXACT_ZERO_D_ROWS = 3
#: how the hinge guess from such rows starts its reason (``with_code`` knows it by it)
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
    dd, gg = f64(d[:MAX_SAMPLE]), f64(g[:MAX_SAMPLE])
    ok = np.isfinite(dd) & np.isfinite(gg)
    dd, gg = dd[ok], gg[ok]
    if not (dd == 0).any():
        return None
    zero = dd == 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        bce_least = 0.5 * -np.log(-np.expm1(-gg))
    if terms is not None:
        real, fake = (f64(t[:MAX_SAMPLE])[ok] for t in terms)
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


def loss_from_values(df, d, g, fd, fg, d_min, scores_a) -> tuple[Assumption, bool]:
    """The loss family the logged numbers point to (module docstring), and whether they show it
    (``True``: a BEGAN column, a negative D loss, an untrained hinge D's start, a G loss <= 0 or of
    both signs, a D loss far under the BCE bound of the logged D outputs) rather than suggest it
    (``False``: a D loss under the bound of G's loss, which a composite G also gives; critic-valued
    outputs, including a D loss under least squares' bound for them, which rules out LSGAN but not
    BCE on logits, as StyleGAN2-ADA logs them; no hint, the common case)."""
    began = _began_columns(df)
    neg_d = float((fd < -1e-6).mean()) if len(fd) else 0.0
    if d_min < -1e-6 and neg_d == 0.0:      # negative rows the sample skipped
        neg_d = float((f64(d) < -1e-6).sum() / max(np.isfinite(d).sum(), 1))
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


def negative_share(d) -> tuple[float, int]:
    """The share of finite D losses below 0, and how many rows that is."""
    x = f64(d)
    x = x[np.isfinite(x)]
    n = int((x < -1e-6).sum())
    return (n / len(x) if len(x) else 0.0), n


def with_code(by_numbers: Assumption, shown: bool, code: tuple[str, str] | None, negative_share: float,
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


def d_loss_terms(df, loss: str, fd, fg, d_min: float) -> Assumption | None:
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

#: median d_loss / 1/4 ((D(x) - 1)^2 + D(G(z))^2) below this is no least-squares loss (see _ls_bound_ratio)
LS_BOUND_RATIO = 0.5


def _ls_bound_ratio(df, d) -> float:
    """Median of d_loss / (1/4 ((D(x) - 1)^2 + D(G(z))^2)) over rows where that bound is > 0.05, with D's
    batch-mean outputs: by Jensen, a least-squares D loss is at least this (the paper's 1/2 terms,
    averaged over real and fake; plain MSE or a sum doubles it); NaN without both outputs or with
    fewer than 5 such rows. In-sample on the corpus: 2.0 or more on every LSGAN run, down to 0 on hinge runs."""
    dx, dgz = num(df, "d_x"), num(df, "d_g_z1")
    if dx is None or dgz is None:
        return float("nan")
    stride = max(1, len(d) // MAX_SAMPLE)
    dx, dgz, dd = f64(dx[::stride]), f64(dgz[::stride]), f64(d[::stride])
    bound = 0.25 * ((dx - 1.0) ** 2 + dgz ** 2)
    ok = np.isfinite(dd) & np.isfinite(bound) & (bound > 0.05)
    return float(np.median(dd[ok] / bound[ok])) if ok.sum() >= 5 else float("nan")


def _bce_bound_ratio(df, d) -> float:
    """Median of d_loss / (-log D(x) - log(1 - D(G(z)))) over rows where that bound is > 0.05
    (D outputs as probabilities; NaN without D(x) and D(G(z)) or with fewer than 5 such rows)."""
    dx, dgz = num(df, "d_x"), num(df, "d_g_z1")
    if dx is None or dgz is None:
        return float("nan")
    stride = max(1, len(d) // MAX_SAMPLE)
    dx, dgz, dd = f64(dx[::stride]), f64(dgz[::stride]), f64(d[::stride])
    bound = bce_bound(dx, dgz)
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


def _first_losses(df) -> tuple[int, float, float] | None:
    """(step, d_loss, g_loss) of the first row where both losses are finite, or None."""
    d, g = num(df, "d_loss"), num(df, "g_loss")
    if d is None or g is None:
        return None
    ok = np.isfinite(f64(d)) & np.isfinite(f64(g))
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
    if s0 > FIRST_STEP_MAX or by_epoch(df) or not HINGE_FIRST_D[0] < d0 < HINGE_FIRST_D[1] or abs(g0) >= HINGE_FIRST_G_MAX:
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


def g_loss_terms(df, loss: str, scores: str = "probability") -> Assumption | None:
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
    g_all = finite_sample(num(df, "g_loss"))
    if abs(g0) > G_ALWAYS_MAX and len(g_all) and float(np.median(np.abs(g_all))) > G_ALWAYS_MAX:
        return Assumption("g_loss_terms", "composite", "guess",
                          f"G's loss is {g0:.3g} at its first row and {float(np.median(np.abs(g_all))):.3g} (median) "
                          f"over the run: an adversarial {loss} loss that large needs D's logit on the fakes below "
                          f"-{G_ALWAYS_MAX:.0f} throughout, so it holds other terms (a content loss on 0-255 pixels): "
                          "the rules judge D's level alone and the advice quotes no G level")
    if loss == "nsgan" and len(g_all) >= 20 and (floor := float(np.quantile(g_all, 0.05))) > G_FLOOR_COMPOSITE:
        d_all = finite_sample(num(df, "d_loss"))
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
    if s0 > FIRST_STEP_MAX or by_epoch(df) or untrained_reduction(d0) is None or abs(g0) <= G_FIRST_MAX:
        return None
    if len(g_all) and float(np.median(np.abs(g_all))) <= G_FIRST_MAX:
        return None     # G's loss settles at adversarial levels: its first value was a transient, not other terms
    # (D's output on the fakes after its own step, d_g_z2, is the one the DCGAN tutorial's G loss is computed from:
    # "D(G(z)): 0.5501 / 0.0027" beside "Loss_G: 6.3462" at the first row, held-out batch 628/01)
    at = int(np.argmax(np.isfinite(f64(num(df, "d_loss"))) & np.isfinite(f64(num(df, "g_loss")))))
    for col in ("d_g_z1", "d_g_z2"):
        if (dgz := num(df, col)) is None:
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
    """The column half of :func:`g_loss_terms`."""
    if "g_loss_from" in (df.attrs or {}) or (g := num(df, "g_loss")) is None:
        return None
    adversarial = [c for c in df.columns if normalise_name(c) in G_ADVERSARIAL]
    if adversarial:           # G's total logged beside its own adversarial term
        a, gg = f64(num(df, adversarial[0])), f64(g)
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
    parts = np.column_stack([f64(num(df, c)) for c in names])
    total, g = parts.sum(axis=1), f64(g)
    ok = np.isfinite(total) & np.isfinite(g) & (total > 0)
    if ok.sum() < 3:
        return None
    below = float((total[ok] <= g[ok] * 1.001 + 1e-9).mean())
    share = float(np.median(total[ok] / np.maximum(g[ok], 1e-12)))
    if below < 0.9 or share < 0.25:
        return None
    for c in df.columns:      # G's total logged too, = g_loss + those terms: g_loss is a part of it, not the total
        if not is_g_total(c) or (other := num(df, c)) is None:
            continue
        o = f64(other)
        both = ok & np.isfinite(o)
        if both.sum() >= 3 and float((np.abs(o[both] - g[both] - total[both])
                                      <= 0.01 * np.abs(o[both]) + 1e-6).mean()) >= 0.9:
            return None
    return Assumption("g_loss_terms", "composite", "guess",
                      f"g_loss is at least the sum of the logged {', '.join(map(str, names))} on {below:.0%} of rows "
                      f"(a median {share:.0%} of it): G's logged loss totals them with its adversarial term, so the "
                      "rules judge D's level alone and the advice quotes no G level (the learned model still reads "
                      "G's loss as it is); log the adversarial term on its own to have it judged")
