"""What a diagnosis can and cannot say about a run, and its headline in the run's own numbers.

- :func:`not_checkable`: the labels the logged signals cannot rule in or out, each with why and
  what would settle it (a column to log, a flag to pass).
- :func:`healthy_cap`: the highest confidence a ``healthy`` reading may have when some pathology
  cannot be ruled out (a run that logs only losses is never "healthy, 0.85").
- :func:`headline`: the main-finding sentence, written from the measured statistics of the
  deciding segment (levels, crossing rate, anti-correlation, D outputs), never a stock sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ganalyze.diagnose.log_facts import BCE_CLAMP_LEVELS, CLAMP_NOTE_SHARE, FROZEN_TAIL_MIN_ROWS, SMOOTHING_FLOOR_NEAR
from ganalyze.diagnose.loss_family import G_ADVERSARIAL, is_g_term
from ganalyze.diagnose.metadata import SUPPORTED_LOSSES, RunMetadata
from ganalyze.diagnose.reduction import SATURATED_LEVEL
from ganalyze.gan import D_FAKE_BAND, D_REAL_BAND, LN2, is_bce
from ganalyze.runlog.schema import normalise_name

DIVERSITY = "div_pdist_ratio"
#: columns that show something of G's motion: on a pre-averaged log without any of them the model's
#: stagnation is ruled out (:func:`model_cannot_settle`, measured with this set in stop 21)
G_MOTION = ("lr_g", "grad_norm_g", DIVERSITY)
#: the column that settles stagnation on a per-step log: G's learning rate (a frozen G is lr 0). A
#: gradient norm does not (a frozen G logs ordinary ones; under Adam a small gradient still takes
#: full-size steps), nor does a batch diversity ratio (its sampling noise exceeds LABELS.md's 0.5 %
#: of the data's spread per 100 steps)
STAGNATION_SETTLED_BY = ("lr_g",)
#: held out, the share of the learned model's stagnation steps that were stagnation, by the most
#: informative G column logged (the thirteen-loop refit's leave-one-loop-out predictions, per-step
#: logs every 1-500 steps: losses 25 %, + D outputs 26 %, + grad norms 30 %, + diversity 41 %)
STAGNATION_PRECISION = {DIVERSITY: "41 %", "grad_norm_g": "30 %", None: "25-26 %"}
CRITIC_SPREAD = ("d_real_q05", "d_fake_q95")
CAP_BY_MISSING = (0.9, 0.6, 0.5, 0.4)    # healthy confidence cap for 0, 1, 2, >= 3 unchecked labels


#: a composite G loss whose other term is a class or code term (AC-GAN's class loss, InfoGAN's Q loss): its gradient
#: passes through D's own heads, so it is no content term (:func:`content_led_g`)
_CLASS_TERM = re.compile(r"(?i)cls|class|aux|info|categor|mutual|\bq_?loss|\bq\b")


def content_led_g(meta: RunMetadata, columns) -> str | None:
    """Why G learns mostly from content terms whose gradient does not pass through D's verdict (an image-to-image
    GAN: pix2pix's 100 x L1, SRGAN's content loss beside a 1e-3 adversarial weight), or None: G's logged loss is a
    total with non-adversarial terms other than a class term (``g_loss_terms`` composite, as the reader or the notebook's
    code says or the log's own columns of G's terms show; not where it is guessed from G's levels alone: a G loss of 11
    beside a D at 0.0001 is also a winning D's plain BCE, held-out batch 593/03), or the log holds such a term of G's
    beside G's adversarial loss (pix2pix's ``G_L1`` beside ``G_GAN``; ``columns``: the log's columns).

    Where it misleads: the weights are not read, so a content term weighted far below the adversarial one counts
    too; and a G led by its content term can still fail (it then draws the targets' blurry mean, which its content
    loss rewards)."""
    a = meta.assumption("g_loss_terms")
    if meta.g_loss_terms == "composite" and a is not None and a.source == "file" and not _CLASS_TERM.search(a.reason):
        return a.reason
    terms = [str(c) for c in columns
             if is_g_term(c) and normalise_name(c) not in G_ADVERSARIAL and not _CLASS_TERM.search(str(c))]
    if not terms:
        return None
    where = "which G's logged loss totals with its adversarial term" if meta.g_loss_terms == "composite" else \
        "beside its adversarial loss"
    return f"the log holds G's {', '.join(terms)}, {where}"


@dataclass(frozen=True)
class NotCheckable:
    """A label this run's log cannot settle: ``because`` (what is missing) and ``to_settle``
    (what to log or pass so that it can be checked)."""

    label: str
    because: str
    to_settle: str

    def to_dict(self) -> dict:
        return {"label": self.label, "because": self.because, "to_settle": self.to_settle}

    def line(self) -> str:
        return f"{self.label}: {self.because}; to settle it: {self.to_settle}"


def critic_scale_unsettled(loss: str, present) -> tuple[str, ...]:
    """The labels a critic log cannot settle for want of D's per-sample outputs (``d_dominant``
    and ``g_dominant`` of a ``loss`` wgan-gp log without :data:`CRITIC_SPREAD`); ``present``: the logged,
    non-empty columns (see :func:`model_cannot_settle`)."""
    if loss == "wgan-gp" and not all(c in present for c in CRITIC_SPREAD):
        return ("d_dominant", "g_dominant")
    return ()


def d_level_unsettled(meta: RunMetadata, present) -> tuple[str, ...]:
    """``d_dominant`` and ``g_dominant`` where D's logged loss holds another term
    (``meta.d_loss_terms == "composite"``: an ACGAN's class loss) and no D outputs are logged as
    probabilities: nothing in the log then says who wins. No corpus log has such a D loss, so the
    learned model's reading of one is no measured claim either."""
    if meta.d_loss_terms == "composite" and not (meta.scores == "probability" and "d_g_z1" in present):
        return ("d_dominant", "g_dominant")
    return ()


def model_cannot_settle(loss: str, averaged: bool, present) -> tuple[str, ...]:
    """The labels the learned model never gives on a log of this ``loss`` type, pre-averaged or
    not, with these logged non-empty columns (``present``): those :func:`not_checkable` lists where
    held-out measurement on the corpus's left-out training loops confirmed that the model's claims
    were little better than a guess, and ruling them out left the macro-F1 unchanged:
    ``d_dominant`` / ``g_dominant`` of a WGAN-GP log without :data:`CRITIC_SPREAD` (right on 23 % /
    0 % of the steps it claimed; recall 8 %), ``stagnation`` of a pre-averaged log without a
    G-motion column (:data:`G_MOTION`; right on 13 %, recall 13 %)."""
    out = critic_scale_unsettled(loss, present)
    if averaged and loss in SUPPORTED_LOSSES and not any(c in present for c in G_MOTION):
        out += ("stagnation",)
    return out


def not_checkable(meta: RunMetadata, present: set, with_samples: bool = False) -> list:
    """The :class:`NotCheckable` items of a run with metadata ``meta`` whose logged (non-empty)
    columns are ``present``; ``with_samples``: checkpoint diversity was measured."""
    out = []
    if not meta.supported:
        why = (f"the loss is {meta.loss!r}, outside the supported set ({', '.join(SUPPORTED_LOSSES)}): its "
               "levels mean nothing to the rules")
        fix = ("declare --loss with a supported type if the run uses one; otherwise " if meta.assumption("loss").source
               != "file" else "") + "only non-finite values, a logged diversity column and learning rates are judged"
        # D's logged outputs as probabilities still show who wins (the rules judge D(x) and D(G(z)))
        outputs = meta.scores == "probability" and "d_g_z1" in present
        if outputs:
            fix += ", and D's logged outputs (D(x), D(G(z)))"
        for label in (("oscillation", "stagnation") if outputs else ("d_dominant", "g_dominant", "oscillation",
                                                                      "stagnation")):
            out.append(NotCheckable(label, why, fix))
    # the held-out precisions quoted below: the learned method's labels on the losses-only and losses +
    # D-output logs of `train_diagnoser.py --heldout-out`, leave one loop out (stop 24's model)
    if DIVERSITY not in present and not with_samples:
        out.append(NotCheckable(
            "mode_collapse", "mode collapse cannot be confirmed from losses alone: nothing in this log measures "
            "the spread of the generator's samples (a mode_collapse label here is the learned model's reading of "
            "the loss patterns, right on 41-44 % of such steps held out)",
            "log a diversity column (RunLogger's div_pdist_ratio) or run with --with-samples on the run's "
            "generator checkpoints"))
        if meta.supported:
            out.append(NotCheckable(
                "oscillation", "a generator whose samples swing back and forth shows it in its diversity, not "
                "necessarily in the losses; only large loss swings (a practitioner's early-stop rule [practitioner-loss-curves]) are checked",
                "log a diversity column (div_pdist_ratio) every <= 100 steps"))
    if meta.supported and not any(c in present for c in STAGNATION_SETTLED_BY):
        out.append(NotCheckable("stagnation", _stagnation_unsettled(meta, present),
                                "log lr_g (RunLogger does); G's sample drift itself needs generator checkpoints "
                                "saved every <= 100 steps (--with-samples)"))
    if d_level_unsettled(meta, present):
        why = ("D's logged loss holds a term besides its real/fake loss (d_loss_terms=composite: "
               f"{meta.assumption('d_loss_terms').reason.split(':')[0]}), so its level says nothing of who wins")
        fix = "log D's real/fake loss on its own, or D's outputs D(x) and D(G(z))"
        out += [NotCheckable("d_dominant", why, fix), NotCheckable("g_dominant", why, fix)]
    elif critic_scale_unsettled(meta.loss, present):
        why = ("a critic's loss and mean outputs have no fixed scale: whether D separates real from fake "
               "(or is fooled) needs its per-sample outputs")
        fix = "log the per-sample quantile columns d_real_q05 and d_fake_q95 (RunLogger does)"
        out += [NotCheckable("d_dominant", why, fix), NotCheckable("g_dominant", why, fix)]
    return out


def _stagnation_unsettled(meta: RunMetadata, present) -> str:
    """Why a log without ``lr_g`` cannot settle stagnation, naming what its G columns do show."""
    if meta.averaged:
        over = f"a mean over about {meta.log_every} steps" if meta.log_every > 1 else "a running mean over earlier steps"
        return f"each row is {over}, so flat losses are expected and say nothing about whether G still moves"
    seen = ["both losses go flat"]
    if "grad_norm_g" in present:
        seen.append("G's gradient vanishes (grad_norm_g < 1e-4)")
    why = ("a generator that stopped moving is seen here only when " + " or ".join(seen) + "; nothing logged "
           "measures G's updates")
    if "grad_norm_g" in present:
        why += " (a frozen G, learning rate 0, logs ordinary gradient norms, and under Adam a small gradient still " \
               "takes full-size steps)"
    if DIVERSITY in present:
        why += "; the batch diversity ratio's sampling noise is larger than the 0.5 % of the data's spread per " \
               "100 steps that counts as stagnant"
    best = next((c for c in (DIVERSITY, "grad_norm_g") if c in present), None)
    return why + (f" (a stagnation label here is the learned model's reading, right on {STAGNATION_PRECISION[best]} "
                  "of such steps held out)")


def healthy_cap(items: list) -> float:
    """Highest confidence of a ``healthy`` segment when the labels of ``items`` cannot be ruled out."""
    n = len({i.label for i in items})
    return CAP_BY_MISSING[min(n, len(CAP_BY_MISSING) - 1)]


def _f(x, fmt="{:.3g}"):
    return fmt.format(x) if x is not None and np.isfinite(x) else None


def helix_phrase(cr: float, ac: float, scaled: str = "equilibrium") -> str:
    """The crossing and anti-correlation numbers in words that cannot contradict them; ``ac`` (the
    anti-correlation, minus the correlation of the two losses' changes) is quoted as that
    correlation, so a number beside "move together" is positive. ``scaled``: how the crossing
    strands were normalised (``gan.helix_strands``), "equilibrium" (each loss over its equilibrium
    level) or "own" (robust z-scores over the run, where a level is unknown: a critic's D loss below
    0 and its G loss above it still "cross" when both rise and fall against their own spread)."""
    parts = []
    if np.isfinite(cr):
        how = "often" if cr >= 0.2 else ("now and then" if cr >= 0.05 else "rarely")
        each = ("each scaled to its own median and spread over the run" if scaled == "own"
                else "each over its equilibrium level")
        parts.append(f"the G and D losses ({each}) cross {how} ({cr:.2f} of logged rows)")
    if np.isfinite(ac):
        if ac > 0.2:
            parts.append(f"their changes are anti-correlated (correlation {-ac:+.2f}: the tug of war)")
        elif ac < -0.2:
            parts.append(f"their changes move together (correlation {-ac:+.2f})")
        else:
            parts.append(f"their changes are unrelated (correlation {-ac:+.2f})")
    return ", ".join(parts)


def _pulled(mean: float, median: float | None) -> str:
    """``" (median M: a few windows pull the mean)"`` where the windows' median loss ``median`` is under half or over
    twice their mean ``mean`` (both of one sign): the mean then describes no typical stretch of the run."""
    if median is None or mean * median <= 0 or 0.5 <= abs(median / mean) <= 2:
        return ""
    return f" (median {median:.3g}: a few windows pull the mean)"


def evidence_phrase(label: str, ev: dict, profile, probability: bool = True) -> str:
    """The statistics that decided ``label`` in ``ev``, with their reference levels (the D-output
    bands of :mod:`ganalyze.gan` only when ``probability``: critic scores have none)."""
    def g(k):
        v = ev.get(k)
        return v if v is not None and np.isfinite(v) else None

    bits = []
    d, gl = g("d_loss_mean"), g("g_loss_mean")
    if d is not None and gl is not None:
        if not profile.g_level_known:
            eq = f" (D's equilibrium {profile.d_eq:.3g}; G's loss holds other terms)" if profile.comparable else ""
        else:
            eq = f" (equilibrium {profile.d_eq:.3g} / {profile.g_eq:.3g})" if profile.comparable else ""
        bits.append(f"D loss {d:.3g}{_pulled(d, g('d_loss_median'))}, G loss {gl:.3g}{_pulled(gl, g('g_loss_median'))}{eq}")
    dx, dgz = g("d_x"), g("d_g_z")
    if dx is not None or dgz is not None:
        bits.append("D(x) " + (_f(dx) or "n/a") + ", D(G(z)) " + (_f(dgz) or "n/a")
                    + (f" (healthy bands {D_REAL_BAND} / {D_FAKE_BAND})" if probability
                       and label in ("healthy", "d_dominant", "g_dominant") else ""))
    if label in ("mode_collapse", "oscillation", "healthy") and g("div_pdist_ratio") is not None:
        bits.append(f"div_pdist_ratio {g('div_pdist_ratio'):.3g} (1 = as spread as the data)")
    if label == "oscillation" and g("var_ratio") is not None:
        bits.append(f"recent/earlier G-loss std {g('var_ratio'):.3g}")
    if label == "stagnation":
        for k in ("lr_g", "grad_norm_g"):
            if g(k) is not None:
                bits.append(f"{k} {g(k):.3g}")
    if label == "divergence" and g("first_nonfinite_step") is not None:
        bits.append(f"first non-finite loss at step {int(g('first_nonfinite_step'))}")
    return "; ".join(bits)


#: a G or D loss this share beyond its equilibrium contradicts "G fools D" / "D wins"
DISAGREE_MARGIN = 0.1


def levels_disagree(label: str, ev: dict, profile, probability: bool = True, d_median: float | None = None) -> str:
    """Why a segment's own numbers contradict what ``label`` means (``model.DESCRIPTIONS``), or "".

    Only levels whose meaning is fixed are used: D(G(z)) as a probability (``probability``); G's
    loss where it is G's adversarial term alone (``profile.g_level_known``) under BCE or least
    squares, where a mean above its equilibrium means D(G(z)) < 1/2 on average; D's loss against its
    equilibrium; D's own logged accuracy (``d_accuracy``, over real and fake). The learned model
    reads labels from loss patterns, so it can name g_dominant over
    a stretch whose G loss says D still scores the fakes as fake (a public BicycleGAN log, from D-loss
    spikes): the headline then says so instead of the description. ``d_median``: the run's median D
    loss; a segment whose mean D loss is above the equilibrium while that median is below it holds
    spikes, not a D that does worse than guessing (a TimeGAN log: median 0.009, mean 1.66)."""
    def f(k):
        v = ev.get(k)
        return v if v is not None and np.isfinite(v) else None

    dgz, g, d, acc = f("d_g_z"), f("g_loss_mean"), f("d_loss_mean"), f("d_accuracy")
    # a logged diversity as spread as the data's or more is no narrowing (held-out batch 563/02: "mode_collapse"
    # beside G's printed spread 1.67 x the data's)
    if label == "mode_collapse" and (ratio := f("div_pdist_ratio")) is not None and ratio >= 1:
        return f"the logged div_pdist_ratio is {ratio:.3g} (>= 1: G's samples are as spread as the data's or more)"
    levels = profile.comparable and profile.name in ("nsgan", "minimax", "lsgan")
    # D's own logged accuracy over real and fake: with most fakes scored real (g_dominant) it is at most
    # 0.75; LABELS.md's d_dominant needs 0.85
    if label == "g_dominant" and acc is not None and acc > 0.75:
        return f"D's logged accuracy is {acc:.3g} (> 0.75): D tells most fakes from reals"
    if label == "d_dominant" and acc is not None and acc < 0.85:
        return f"D's logged accuracy is {acc:.3g} (< 0.85): D does not tell real from fake almost always"
    if label == "g_dominant":
        if probability and dgz is not None:
            return f"D(G(z)) is {dgz:.3g} (< 0.5): D scores most fakes as fake" if dgz < 0.5 else ""
        if levels and profile.g_level_known and g is not None and g > profile.g_eq + DISAGREE_MARGIN * abs(profile.g_eq):
            return f"G's loss {g:.3g} is above its equilibrium {profile.g_eq:.3g}: D scores most fakes as fake"
    if label == "d_dominant":
        if probability and dgz is not None:
            return f"D(G(z)) is {dgz:.3g} (> 0.5): D scores most fakes as real" if dgz > 0.5 else ""
        spiky = d_median is not None and np.isfinite(d_median) and d_median < profile.d_eq
        if levels and d is not None and d > (1 + DISAGREE_MARGIN) * profile.d_eq and not spiky:
            return f"D's loss {d:.3g} is above its equilibrium {profile.d_eq:.3g}: D does worse than guessing"
    return ""


#: D's loss held within this share of its equilibrium (mean and std) reads as pinned there
PINNED_SHARE = 0.01


def pinned_note(ev: dict, profile) -> str:
    """For a healthy reading whose D loss holds at its untrained level all along (mean and std
    within :data:`PINNED_SHARE` of the equilibrium): what else reads that way. A D whose outputs
    stay at 1/2 gives the equilibrium loss whether G has matched the data or D learns nothing
    (frozen, broken, or its lr 0); the log cannot tell them apart."""
    d, s = ev.get("d_loss_mean"), ev.get("d_loss_std")
    eq = profile.d_eq if profile.comparable else None
    if d is None or s is None or not eq or not np.isfinite(d) or not np.isfinite(s):
        return ""
    if abs(d - eq) > PINNED_SHARE * abs(eq) or s > PINNED_SHARE * abs(eq):
        return ""
    return (f"; D's loss holds at its untrained level ({d:.4g}, std {s:.2g}, equilibrium {eq:.3g}): a D that learns "
            "nothing (frozen, broken, lr 0) reads the same as a generator that matched the data; check D's "
            "gradients or the samples")


def uninformative_d_note(meta, profile) -> str:
    """For a BCE run whose D and G losses both hold at their untrained levels from its first logged step
    to its last (every logged value within :data:`PINNED_SHARE` x 2 of the equilibrium, D's and G's; a
    run whose first epochs' means sit above it, as D learns and loses its edge, is not this):
    D scores every sample 1/2 and G gets no gradient from it, so nothing was learned. A G that matched
    the data would have passed through a stretch where D tells real from fake, which a log holding the
    run's start would show (:func:`pinned_note` says the rest). A public notebook's D sat at 2 ln 2 and
    G at -ln 2 for 16,000 iterations while its samples stayed checkerboard noise; nothing was fitted."""
    if meta.loss not in ("nsgan", "minimax") or not meta.from_start or not profile.comparable:
        return ""
    band = 2 * PINNED_SHARE

    def pinned(lo, hi, eq, share=band):
        return np.isfinite(lo) and np.isfinite(hi) and abs(lo - eq) <= share * abs(eq) and abs(hi - eq) <= share * abs(eq)

    if not profile.g_level_known:
        # G's loss holds other terms (a CycleGAN's cycle and identity terms fall on their own): D's alone, held
        # at ln 2 (2 ln 2 summed) to the printed precision on every row, says D scored every sample 1/2 all along
        if not pinned(*meta.d_loss_range, profile.d_eq, PINNED_SHARE / 10):
            return ""
        return (f"; D's loss holds at its untrained level {profile.d_eq:.4g} on every row from the first logged step to "
                f"the last (D {meta.d_loss_range[0]:.4g}-{meta.d_loss_range[1]:.4g}): D scores every sample 1/2, so it "
                "learned nothing and its verdicts gave G no adversarial signal (G's loss, which holds other terms, can "
                "still fall by those); check that D's optimiser steps and that its loss reaches its weights, and the "
                "samples")
    if not all(pinned(lo, hi, eq) for (lo, hi), eq in ((meta.d_loss_range, profile.d_eq), (meta.g_loss_range, profile.g_eq))):
        return ""
    return (f"; D's and G's losses hold at their untrained levels from the first logged step to the last (D "
            f"{meta.d_loss_median:.4g}, G {meta.g_loss_median:.4g}; equilibrium {profile.d_eq:.3g} / {profile.g_eq:.3g}): "
            "D scores every sample 1/2 and G gets no gradient from it, so nothing was learned (a generator that "
            "matched the data passes through a stretch where D tells real from fake, which this log, holding the "
            "run's start, never shows); check that both optimisers step and that D sees both batches, and the samples")


#: a critic loss whose median magnitude over the run is below this is a dead critic (set a priori:
#: a live critic's loss, D(G(z)) - D(x) with or without a penalty, is 1e-4 or more even with
#: weight-clipped scores of order 0.01; a 1e-9 loss is float noise)
DEAD_CRITIC_LOSS = 1e-5


def dead_critic_note(meta) -> str:
    """For a critic loss about 0 all along (the metadata's ``critic_scale``, the median |d_loss|,
    under :data:`DEAD_CRITIC_LOSS`): a critic that scores real and fake alike gives G no signal,
    whatever the loss patterns read as (they are then float noise scaled up to the run's own
    scale). Nothing was fitted to set it; on the corpus's 38 such runs, all weight-clipped critics,
    2 % of the steps were healthy (stagnation 44 %, mode collapse 25 %)."""
    a = meta.assumption("critic_scale") if meta.loss == "wgan-gp" else None
    v = a.value if a is not None else None
    if not isinstance(v, (int, float)) or not np.isfinite(v) or v >= DEAD_CRITIC_LOSS:
        return ""
    return (f"; the critic's loss is about 0 throughout (median |d_loss| {v:.2g}): a critic that scores real and fake "
            "alike gives G no training signal, whatever the loss patterns read as (on the corpus's 38 such runs, 2 % "
            "of the steps were healthy); check the critic's learning rate, clipping range and gradients, or the samples")


def unzeroed_optimiser_note(meta) -> str:
    """For a notebook whose code steps an optimiser it never zeroes (``RunConfig.unzeroed_optimiser``): a fact of
    the run's code, not of its losses. ``backward()`` adds to the gradients already held, so each step of that
    network is the sum of every earlier step's gradients: its updates grow with the step count whatever the
    losses' patterns read as. Nothing fitted: of the 371 public PyTorch notebooks of held-out batches 81-235 that
    build an optimiser on a network's parameters (255 of them ended with good samples), the check finds 5, and none
    ended with good samples (3 failed, 2 diverged; two of them, batches 212 and 218, prompted the check;
    ``code_hints.unzeroed_optimiser_hint``)."""
    if meta.config.unzeroed_optimiser is None:
        return ""
    role, why = meta.config.unzeroed_optimiser
    return (f"; {why}: {role}'s gradients pile up over the run, so {'its' if role in ('D', 'G') else 'their'} "
            "updates grow with the step count, whatever "
            "the losses read as (the 5 of 371 public PyTorch notebooks this check found all ended with failed or "
            "diverged samples; none of the 255 that ended well was found)")


def unstepped_optimiser_note(meta) -> str:
    """For a notebook whose code zeroes a network's optimiser and never steps it (``RunConfig.unstepped_optimiser``):
    a fact of the run's code, not of its losses: that network never trains, so the losses are of a player left at
    its initial weights. Nothing fitted: over the 406 labelled public notebooks of held-out batches 81-246 that
    build an optimiser on a network's parameters, the check finds one (batch 243, a failed run, which prompted it;
    ``code_hints.unstepped_optimiser_hint``). The same for a network whose optimiser was built on the other
    network's parameters (``RunConfig.crossed_optimiser``; none of 1,049 public picks of stops 37-42; batch 272), and
    for a loss given ``requires_grad = True`` by hand (``RunConfig.detached_loss``: it has no graph; batch 510/04)."""
    fact = meta.config.unstepped_optimiser or meta.config.crossed_optimiser or meta.config.detached_loss
    if fact is None:
        return ""
    role, why = fact
    return f"; {why}, so the run cannot learn whatever the losses read as"


#: D's and G's BCE losses both held beyond this (the median over the run) are most likely sums over many
#: batches: one batch's mean reaches it only where D scores every sample as fake beyond Keras' clamp
#: (-ln 1e-7 = 16.1); set a priori above that clamp
SUMMED_ROWS_LEVEL = 20.0


#: G's printed distribution this many data stds (2-Wasserstein, :func:`log_facts.printed_moments`) or more from the
#: data's is no match: a whole standard deviation of the data, whatever the data's scale
MOMENTS_APART = 1.0


def moments_note(meta) -> str:
    """``"; G's samples do not match the data .."`` where the log prints both distributions' moments and G's sit
    :data:`MOMENTS_APART` data stds or more from the data's over its last quarter (held-out batch 563/02: a 1-D GAN
    whose G ended at mean 5.9, std 2.7 against the data's 4.0, 1.3, while D's losses sat at ln 2 and read healthy).
    The log's own measure of what G makes, so it leads a reading of the losses."""
    moments = getattr(meta, "printed_moments", None)
    if moments is None or moments[4] < MOMENTS_APART:
        return ""
    rm, rs, fm, fs, apart = moments
    return (f"; G's samples do not match the data by the log's own printed moments: over its last quarter G's mean "
            f"is {fm:.3g} and std {fs:.3g} against the data's {rm:.3g} and {rs:.3g}, {apart:.2g} data standard "
            f"deviations apart (2-Wasserstein distance of the two Gaussians; {MOMENTS_APART:g} or more is no match): "
            "G has not learned the data")


def saturated_d_note(meta) -> str:
    """For a BCE D loss whose median over the run is above ``reduction.SATURATED_LEVEL`` (6 ln 2):
    one of its terms is -log of a D output near 0 all along, so D scores the reals as fake or the
    fakes as real with certainty: a D gone wrong, whatever the loss patterns read as. Nothing was
    fitted to set it; on the corpus's 56 BCE runs with such a median, 5 % of the steps were healthy
    (G fooling D 43 %, divergence 18 %, mode collapse 17 %)."""
    v = meta.d_loss_median
    if meta.loss not in ("nsgan", "minimax") or not np.isfinite(v) or v <= SATURATED_LEVEL:
        return ""
    g = meta.g_loss_median
    if meta.config.summed_rows is not None:     # the code says each row is a total (held-out batches 533/00, 533/03)
        return (f"; D's loss holds {v:.3g} and G's {g:.3g} (medians over the run): {meta.config.summed_rows[1]}, so "
                "the level is as many times one step's as the rows sum steps and says nothing of who wins (divide by "
                "the batches per epoch)")
    av = meta.assumption("averaged")
    # (not where the code prints one step's value, or steps an optimiser it never zeroes: then the level is the
    # step's own, grown with the piled-up gradients)
    per_step = av is not None and av.value is False and (av.source == "declared" or av.reason.startswith("the notebook's code"))
    if meta.loss == "nsgan" and min(v, g) > SUMMED_ROWS_LEVEL and meta.bce_clamp_share < CLAMP_NOTE_SHARE \
            and not per_step and meta.config.unzeroed_optimiser is None:      # (BCELoss's clamp at 100 is said by bce_clamp_note)
        # G's -log D(G(z)) as far beyond as D's: D calling every sample fake with certainty, or (far more often in
        # a print: a notebook's 60 epochs of D 150 and G 250 beside varied digits) each row a sum over batches
        return (f"; D's loss holds {v:.3g} and G's {g:.3g} (medians over the run), beyond what one batch's mean gives "
                "unless D scores every sample, real or fake, as fake with certainty: most likely each row sums "
                "many batches' losses (an epoch's total: divide by the batches per epoch), which says nothing of "
                "who wins; else check D's last layer and labels, and the samples")
    return (f"; D's loss holds {v:.3g} (median over the run), beyond any level an unsaturated D gives: one of its "
            "terms is -log of a D output near 0, so D scores the reals as fake or the fakes as real with certainty "
            "(on the corpus's 56 such runs, 5 % of the steps were healthy); check D's last layer and labels, and "
            "the samples")


#: a BCE D loss (never below 0) whose median over the run is under this, for a sum of D's two terms
#: (half of it for their mean), is D at 0: ganhacks' "D loss goes to 0" failure, the advice's own
#: ``d_loss_zero`` level (set a priori there)
D_WON_LOSS = 0.05


def _d_at_zero(meta) -> bool:
    """A BCE D loss never below 0 whose median is under :data:`D_WON_LOSS` (a sum; half that for a mean)."""
    limit = D_WON_LOSS * (1.0 if meta.d_loss_reduction == "sum" else 0.5)
    return meta.loss in ("nsgan", "minimax") and meta.d_loss_min >= 0 and meta.d_loss_median < limit


def d_won_note(meta) -> str:
    """For a BCE D loss about 0 over the run (median under :data:`D_WON_LOSS` for a sum, half that
    for a mean, and never below 0: with noisy labels a BCE loss's floor is below 0 and a level near 0
    means less): D tells real from fake with certainty on most rows, whatever the loss patterns read
    as. Quoted from the corpus, not fitted: its 44 such BCE runs were 10 % healthy by step."""
    if not _d_at_zero(meta) or losses_contradict_note(meta):
        return ""
    return (f"; D's loss is about 0 throughout (median {meta.d_loss_median:.2g}): D tells real from fake with certainty on most rows, "
            "the failure ganhacks names (D loss going to 0), so G's gradients carry little (on the corpus's 44 such "
            "BCE runs, 10 % of the steps were healthy: d_dominant 28 %, mode collapse 24 %, stagnation 21 %)")


def noise_floor_note(meta) -> str:
    """For a BCE D loss at the floor of targets its code noised towards each other (``metadata.noise_floor``): D
    scores every real and every fake as surely as those targets allow, G fools it on none, at a level far above 0
    (so :func:`d_won_note` does not see it, and healthy's bands read it as moderate). A fact of the run's level, so
    it leads a reading of the loss patterns. Nothing was fitted; four public notebooks of one TensorFlow tutorial
    seen there whose samples could be judged made blank squares or blobs. LABELS.md's d_dominant asks D(G(z)) <=
    0.05; at this floor D answers a / 2 for a fake, so the label is not claimed."""
    x = meta.noise_floor
    if x is None:
        return ""
    a, f, share = x
    return (f"; D's loss bottoms out at {f:.3g} and sits within {SMOOTHING_FLOOR_NEAR:.0%} of it on {share:.0%} of the rows: "
            f"the least a BCE D loss can be when its targets are noised towards each other by up to {a:g} (the "
            f"entropy of their mean, {a / 2:g} from each label), so there D scores every real and every fake as surely "
            "as its noisy targets allow and G fools it on none (four public notebooks seen there whose samples could "
            "be judged all made blank squares or blobs; check the samples)")


def smoothing_floor_note(meta) -> str:
    """(Said by :func:`losses_contradict_note` instead where G's loss contradicts it.)"""
    return "" if losses_contradict_note(meta) else _smoothing_floor_note(meta)


def _smoothing_floor_note(meta) -> str:
    """For a BCE D loss that bottoms out at one-sided label smoothing's floor (``metadata.smoothing_floor``):
    there D scores every real and every fake as right as its smoothed labels allow (a level far above 0, so
    :func:`d_won_note` does not see it). Said beside the finding: of seven public notebooks seen at such a
    floor (stops 37-39), five made blobs, noise, a few kinds or one digit, two varied digits or blurry faces
    (one's D at the smoothed targets on both sides, G still learning). The floor also widens D's low band to just above it and makes the
    rules' d_dominant there a checked reading (``core.floor_ruled``). Nothing was fitted; no corpus run
    trains with smoothed labels. At 0.325 the floor is a sum of D's terms with reals smoothed to 0.9, or their mean with
    both sides smoothed (0.9 / 0.1): the sentence says both."""
    x = meta.smoothing_floor
    if x is None:
        return ""
    t, how, f, share = x
    labels = (f"real labels smoothed to {t} (the labels' entropy, halved for a mean of D's terms)" if how == "mean" else
              f"both sides smoothed ({t} / {1 - t:.1f}, as the code says) as a sum of D's terms (twice the labels' "
              "entropy)" if how == "sum of both sides" else
              f"real labels smoothed to {t} as a sum of D's terms, or both sides smoothed ({t} / {1 - t:.1f}) as their mean")
    return (f"; D's loss bottoms out at {f:.4g} and sits within {SMOOTHING_FLOOR_NEAR:.0%} of it on {share:.0%} of the rows: "
            f"the least a BCE D loss can be with {labels}, where D scores every sample as right as its labels allow: D "
            "has won on those rows (of seven public notebooks seen there, five made blobs, noise, a few kinds or one "
            "digit; check the samples)")


#: D's and G's losses equal on at least this share of the rows are one value printed twice, not two losses (set a priori:
#: two live losses are equal to every printed digit on almost no row; 0.9 until held-out batch 702/03, a Keras 3
#: train_on_batch print whose D and G columns were one running mean on 83 % of its rows, read healthy)
SAME_D_G_SHARE = 0.5


def losses_contradict_note(meta) -> str:
    """For a non-saturating BCE run whose D loss (never below 0) and G loss are both about 0 over the
    run (medians under :data:`D_WON_LOSS`, half that for D's mean): -log D(G(z)) about 0 is D scoring
    the fakes real, which D's own loss about 0 denies. No working objective holds both (nor does any
    of the corpus's 831 nsgan runs): D and G do not see the same fakes or labels. Every reading of
    who wins from these levels is void, so the note leads whatever the finding. Not where G's logged loss is known to
    hold other terms (``g_loss_terms == "composite"``: an SRGAN's content loss beside 0.001 x -log D(G(z)), held-out
    batch 569/03), whose level then says nothing of D's verdict: no contradiction. First, where D's and G's losses
    are the same number on :data:`SAME_D_G_SHARE` of the rows (``metadata.same_d_g``): one value printed as both
    (held-out batch 634/03, whose two columns fell together from 4.38 to 0.007, had been read as this contradiction
    and sent to check the training step)."""
    if meta.same_d_g >= SAME_D_G_SHARE:
        return (f"; D's and G's logged losses are the same number on {meta.same_d_g:.0%} of the rows: the print writes "
                "one value as both (check which variables it prints), so neither level says anything of D's or G's "
                "game: judge the run by its samples")
    if meta.g_loss_terms == "composite":
        return ""
    floor = meta.smoothing_floor
    if meta.loss == "nsgan" and floor is not None and floor[3] >= 0.5 and meta.g_loss_median < LN2:
        # D at label smoothing's floor on most rows (every sample scored as right as its labels allow) beside a
        # G loss under ln 2 (D scoring most fakes real): the same contradiction, at the smoothed labels' floor
        return (f"; D's loss sits at {floor[2]:.4g}, the least its labels smoothed to {floor[0]} allow, on {floor[3]:.0%} of "
                f"the rows, while G's non-saturating loss holds {meta.g_loss_median:.2g} (median; under ln 2: D scores "
                "most fakes as real): D's loss says it scores the fakes as fake, G's says as real; D and G do not see "
                "the same fakes or labels (a D frozen or swapped in the combined model, inputs or conditioning arranged "
                "differently in G's step): check the training step")
    if meta.loss != "nsgan" or not _d_at_zero(meta) or not meta.g_loss_median < D_WON_LOSS:
        return ""
    return (f"; D's and G's losses are both about 0 (medians {meta.d_loss_median:.2g} and {meta.g_loss_median:.2g}), which "
            "contradict each other: D's loss says it scores the fakes as fake, G's non-saturating loss "
            "-log D(G(z)) says D scores them as real; D and G do not see the same fakes or labels (a D "
            "frozen or swapped in the combined model, inputs or conditioning arranged differently in G's "
            "step): check the training step; or G's logged loss is mostly another term beside a lightly "
            "weighted adversarial one (an SRGAN's content loss with 0.001 x -log D(G(z))), whose level then "
            "says nothing of D's verdict")


#: a critic loss whose median magnitude over the run's last quarter is this many times that over its
#: second quarter has grown (set a priori, the upper of the bins 5 and 20 looked at)
CRITIC_GROWTH = 20.0


def critic_growth_note(meta) -> str:
    """For a critic loss that grew :data:`CRITIC_GROWTH`-fold or more from the run's second quarter
    to its last (``metadata.critic_growth``): said beside the finding, never leading it (a public
    conditional WGAN-GP whose losses grew 200-fold made letters with FID 11.5). Quoted from the
    corpus, not fitted: its 26 critic runs that grew so were 4 % healthy over their last quarter
    (divergence 49 %, stagnation 27 %; 18 % healthy for those that grew under 5-fold)."""
    v = meta.critic_growth
    if meta.loss != "wgan-gp" or not v >= CRITIC_GROWTH:
        return ""
    return (f"; the critic's loss grew {v:.0f}-fold from the run's second quarter to its last (median |d_loss|): the "
            "critic pulling away, a gradient penalty or clipping that no longer holds it, or a scale drifting with "
            "the data (on the corpus's 26 critic runs that grew 20-fold or more, 4 % of the last quarter's steps "
            "were healthy: divergence 49 %, stagnation 27 %); check the samples of the late checkpoints")


#: a D loss of a fixed-level family (BCE, least squares, hinge) whose median over the log is this many times its
#: equilibrium is off the game's scale (set a priori; ``scripts/eval_off_scale.py`` prints what the corpus says there)
OFF_SCALE = 20.0


def off_scale_note(meta, profile) -> str:
    """For a least-squares or hinge D loss whose median over the log is :data:`OFF_SCALE` times its equilibrium or
    more (``profile.d_eq``; not one holding other terms; a BCE D loss that high is said by :func:`saturated_d_note`):
    said beside the finding, never leading it. A public face GAN whose code
    never zeroed D's gradients logged least-squares D losses of 5-270 (equilibrium 0.5) and made pixel noise, read
    healthy (held-out batch 212). Quoted from the corpus, not fitted: steps past warm-up whose 50-step mean D loss
    sat over 20 x its equilibrium were 6 % healthy (divergence 42 %, g_dominant 20 %, mode collapse 18 %;
    ``python scripts/eval_off_scale.py``)."""
    eq, med = profile.d_eq, meta.d_loss_median
    if meta.loss not in ("lsgan", "hinge") or not (profile.comparable and np.isfinite(eq) and eq > 0 and np.isfinite(med)):
        return ""       # (a BCE D loss that high is said by saturated_d_note, and at BCELoss's clamp by bce_clamp_note)
    if med < OFF_SCALE * eq:
        return ""
    return (f"; D's loss sits at a median {med:.3g}, {med / eq:.0f} x its equilibrium {eq:.3g}: off the game's scale "
            "(D's outputs far from both targets, or its loss growing unchecked), which the labels here do not weigh; on "
            "the labelled corpus, steps whose 50-step mean D loss sat over 20 x its equilibrium were 6 % healthy "
            "(divergence 42 %, g_dominant 20 %, mode collapse 18 %): check the samples")


#: a critic loss beyond this in magnitude (the rules' exploded-loss bound) is no penalised critic's usual scale
HUGE_CRITIC_LOSS = 1e4


def huge_critic_note(meta) -> str:
    """For a critic loss beyond :data:`HUGE_CRITIC_LOSS` from its first logged row and over the run (median
    |d_loss|): a scale nothing bounds, not an explosion the log shows (the rules read a critic's loss past
    1e4 as divergence only where it grew 20-fold from its first value). A public conditional WGAN-GP taking
    its penalty at the real points printed critic losses of 1e9-1e10 from its first row while its samples
    stayed clean, varied anime faces; a course notebook printed each epoch's summed losses at -1.3e4. No
    corpus critic run starts beyond 63, so nothing was fitted to it."""
    a = meta.assumption("critic_scale") if meta.loss == "wgan-gp" else None
    v, first = a.value if a is not None else None, meta.d_loss_first
    if not isinstance(v, (int, float)) or not (v > HUGE_CRITIC_LOSS and abs(first) > HUGE_CRITIC_LOSS):
        return ""
    return (f"; the critic's loss sits at {v:.2g} (median |d_loss|) from its first logged row ({first:.2g}): a scale "
            "nothing bounds (a gradient penalty taken at the wrong points, no clipping) or losses summed over many "
            "batches (an epoch's total), not an explosion this log shows; its level says nothing of who wins or of "
            "the samples, which show whether G is harmed")


def frozen_tail_note(meta, steps) -> str:
    """For a log whose last rows repeat one D and one G loss exactly (``metadata.frozen_tail``): training
    stopped changing there, whatever the loss patterns read as (a live run moves its batch losses, and
    its interval means, from row to row); at BCELoss's clamp (a loss of exactly 100, 50 or 200) D's
    output is exactly 0 or 1 and that term passes no gradient. ``steps``: the shown step of each row.
    Nothing was fitted: a public run's losses sat at D 27.5 / G 100 for its last 16 epochs while its
    FID froze. Quoted from the corpus, not used: its 31 runs with such an end (one row per step; dead
    weight-clipped critics, D at the clamp) were 6 % healthy over those steps (stagnation 59 %, divergence
    22 %)."""
    tail = meta.frozen_tail
    if tail is None or tail[0] >= len(steps) or tail[1] >= len(steps):
        return ""           # (a log frozen from its first row: frozen_log_finding says so instead)
    first, rows, d, g = tail
    at = int(steps[first])
    clamp = is_bce(meta.loss) and any(abs(v - c) < 1e-3 for v in (d, g) for c in BCE_CLAMP_LEVELS)
    why = (", at BCELoss's clamp (a loss of exactly 100, or 50 / 200 for two terms): D's output there is exactly 0 or 1 "
           "and that term passes no gradient" if clamp else "")
    return (f"; from step {at} to the end of the log ({rows} rows, {rows / len(steps):.0%}) D's and G's losses repeat "
            f"exactly ({d:.6g} and {g:.6g}) on every row: a run that still trains moves them from row to row, so "
            f"training stopped changing at step {at}{why}; the run's last live checkpoint is from before step {at} (on "
            "the corpus's 31 runs with such an end, 6 % of those steps were healthy: stagnation 59 %, divergence 22 %)")


def frozen_log_finding(meta, steps) -> str:
    """The main finding of a log whose every row repeats one D and one G loss exactly (``metadata.frozen_tail``
    covering all rows): nothing logged changed over the run, so its losses show no phase of training, healthy or
    not (held-out batch 148: a TimeGAN whose data iterator ran dry after step 0 printed its first losses 100
    times, and read as healthy with averaged rows). "" otherwise."""
    tail = meta.frozen_tail
    if tail is None or tail[1] < len(steps) or len(steps) < 2 * FROZEN_TAIL_MIN_ROWS:
        return ""
    _, rows, d, g = tail
    return (f"nothing logged changes: all {rows} rows (steps {int(steps[0])}-{int(steps[-1])}) repeat D's and G's "
            f"losses exactly ({d:.6g} and {g:.6g}); a run that trains moves them from row to row, even as interval "
            "means, so nothing trained after the first row or the print repeats a stale value (a data iterator run "
            "dry, a loss computed once outside the loop, a running sum never added to): the losses cannot show what the run did; check the training "
            "loop and the samples")


def still_log_finding(meta, steps, profile) -> str:
    """The main finding of a log whose D and G losses both stay within ``log_facts.STILL_SPREAD`` of their level
    over the whole run without repeating exactly (``metadata.still_log``): they move only in their last printed
    digits, less than any live run's batch losses or interval means do, so the losses show no phase of training
    (held-out batch 667/02: a Keras WGAN whose 'D loss: 0.757304', 'G loss: 0.514349' held for 18 epochs read as
    "possible oscillation", its swings measured against their own tiny spread). "" otherwise, and where D's loss holds
    at its BCE equilibrium (:func:`pinned_note` and :func:`uninformative_d_note` say what that can mean) or the log
    prints G's own moments (:func:`moments_note` reads them)."""
    still = getattr(meta, "still_log", None)
    if still is None or len(steps) < 2 or getattr(meta, "printed_moments", None) is not None:
        return ""
    rows, d, g, d_spread, g_spread = still
    if profile.comparable and abs(d - profile.d_eq) <= PINNED_SHARE * abs(profile.d_eq):
        return ""
    return (f"nothing logged moves beyond its last digits: over all {rows} rows (steps {int(steps[0])}-{int(steps[-1])}) "
            f"D's loss stays within {100 * d_spread:.2g} % of {d:.6g} and G's within {100 * g_spread:.2g} % of "
            f"{g:.6g}, where single batch losses jitter by 5-30 % from row to row and even means over 1,000 steps by "
            "0.2-1 %: D's outputs hold still (a learning rate near 0, weights that never update, a D that answers the "
            "same for every input, a loss computed on fixed inputs), so the losses show no phase of training; check "
            "the training loop and the samples")


def _clamped_rows_are_the_frozen_tail(meta) -> bool:
    """Whether the log's rows at BCELoss's clamp are (to 1 % of the rows) its frozen end's, which
    :func:`frozen_tail_note` names with the clamp."""
    tail = meta.frozen_tail
    if tail is None or not any(abs(v - c) < 1e-3 for v in tail[2:] for c in BCE_CLAMP_LEVELS):
        return False
    first, rows = tail[0], tail[1]
    return meta.bce_clamp_share <= rows / (first + rows) + 0.01


def transient_nonfinite_note(meta, steps) -> str:
    """For a log whose non-finite losses sit between finite ones (``metadata.transient_nonfinite``): no divergence,
    said with where the first is. ``steps``: the shown step of each row."""
    if meta.transient_nonfinite is None:
        return ""
    rows, first = meta.transient_nonfinite
    return (f"; {rows} row(s) with a non-finite loss between finite ones (the first at step {int(steps[first])}) are "
            "read as no divergence: networks whose weights went NaN or inf write no finite loss again, so they come "
            "from the print (a running mean divided by its count of 0 at an epoch's first batch) or from steps a "
            "mixed-precision loss scaler skipped")


def bce_clamp_note(meta) -> str:
    """For a BCE log with ``log_facts.CLAMP_NOTE_SHARE`` or more of its rows at torch's BCELoss clamp
    (a loss of exactly 100, or 50 / 200 for D's mean / sum of two clamped terms): there D's output is
    exactly 0 or 1 in float32, the loss's size is the clamp's, not an explosion, and the saturated
    sigmoid passes no gradient through that term. The corpus's figures (8 BCE runs with >= 5 % such
    rows, their steps by LABELS.md) are quoted, not used: nothing was fitted to them."""
    share = meta.bce_clamp_share
    if not share >= CLAMP_NOTE_SHARE or _clamped_rows_are_the_frozen_tail(meta):
        return ""
    return (f"; {share:.0%} of the logged rows hold a loss of exactly 100 (or 50 / 200): torch's BCELoss clamps each "
            "log term at -100, so D's output there is exactly 0 or 1, the loss's size is the clamp's (no explosion) "
            "and the saturated sigmoid passes no gradient through that term (on the corpus's 8 BCE runs with 5 % or "
            "more such rows, those rows' steps were 12 % healthy, 41 % divergence, 37 % G fooling D)")


def headline(label: str | None, seg, share: float, description: str, profile, cap_note: str = "",
             probability: bool = True, lead: str = "healthy: no pathology found in the logged signals",
             pinned: bool = True, d_median: float | None = None) -> str:
    """The main finding: ``label`` (None: no pathology) from the deciding segment ``seg``'s
    evidence; ``share`` of logged steps it covers; ``probability``: D outputs are probabilities;
    ``lead``: the words before a healthy reading's levels; ``pinned``: say :func:`pinned_note`
    (not where :func:`uninformative_d_note` already leads); ``d_median``: the run's median D loss
    (:func:`levels_disagree`)."""
    if label is None:
        if seg is None:
            return "too short to judge beyond warm-up"
        ev = seg.evidence
        d_eq = profile.d_eq if profile.comparable else None           # as features._Strands scales them
        g_eq = profile.g_eq if profile.comparable and profile.g_level_known else None
        per_row = bool(d_eq and g_eq and np.isfinite(d_eq) and np.isfinite(g_eq))
        hx = helix_phrase(ev.get("crossing_rate", np.nan), ev.get("anticorrelation", np.nan),
                          "equilibrium" if per_row else "own")
        nums = evidence_phrase("healthy", ev, profile, probability)
        body = "; ".join(x for x in (nums, hx) if x)
        # (no figure where the segment's windows hold no D and G loss together: no empty "()", held-out batch 502/02)
        return lead + (f" ({body})" if body else "") + (pinned_note(ev, profile) if pinned else "") + cap_note
    nums = evidence_phrase(label, seg.evidence, profile, probability)
    if disagree := levels_disagree(label, seg.evidence, profile, probability, d_median):
        description = f"read from the loss patterns, but the logged levels disagree: {disagree}"
    return f"{label} from step {seg.start_step} ({share:.0%} of logged steps): {description}" + \
        (f" ({nums})" if nums else "")


def rule_phrase(label: str, ev: dict, scores: str, cfg, warmup_steps: int = 200) -> str:
    """The rule of ``ganalyze.diagnose.rules`` that labels a window ``label``, in words with its
    thresholds (``cfg``: the RuleConfig used); the branch follows what the segment's evidence
    ``ev`` holds (D outputs as probabilities, critic quantiles, or loss levels only)."""
    def has(k):
        v = ev.get(k)
        return v is not None and np.isfinite(v)

    prob = scores == "probability" and has("d_g_z")
    critic_q = scores != "probability" and has("d_real_q05") and has("d_fake_q95")
    if label == "warmup":
        return f"warm-up: the first {warmup_steps} steps (a fifth of a shorter run), before the windows fill"
    if label == "healthy":
        return "no pathology rule fired in these windows"
    if label == "divergence":
        return ("a non-finite loss from that step on, a window-mean loss beyond 1e4 (for a critic's loss, also "
                "20 x its first logged value), or D's gradient norm "
                f"(window mean > {cfg.grad_explode * 1e2:g} with peaks > {cfg.grad_explode * 1e3:g})")
    if label == "stagnation":
        return (f"both losses flat: window std < {cfg.stagnant_std * 5:g} and trend < {cfg.stagnant_trend:g} of "
                f"their level, and, for a loss with an equilibrium level, D's not within "
                f"{cfg.stagnant_eq_band:.0%} of it (a converged run is flat there), or grad_norm_g < 1e-4, or lr_g < {cfg.lr_frozen:g}")
    if label == "oscillation":
        if has("div_pdist_ratio_std") and ev["div_pdist_ratio_std"] > cfg.div_swing:
            return (f"G's logged diversity swings: window std of div_pdist_ratio > {cfg.div_swing:g} in both "
                    "halves of the window, after G had settled")
        return (f"the early-stop rule of [practitioner-loss-curves]: recent G-loss std > {cfg.var_ratio_high:g} x the history's in at "
                "least half of the window's bins")
    if label == "g_dominant":
        if prob:
            return f"window-mean D(G(z)) > {cfg.d_fake_high:g}"
        if critic_q:
            return "the median critic score of the fakes above that of the reals"
        return "G loss below its low band while D loss is above 1.1 x its equilibrium"
    if label == "d_dominant":
        if prob:
            return (f"window-mean D(G(z)) < {cfg.d_fake_low:g} with D loss below half its equilibrium or D(x) > "
                    f"0.85, or D loss < {cfg.d_loss_dead:g} x equilibrium with D(x) > 0.9 and D(G(z)) < 0.1")
        if critic_q:
            return "D separates the batches: 5 % quantile of the real scores above the 95 % quantile of the fakes"
        return "D loss below its low band while G loss is above its high band"
    if label == "mode_collapse":
        return (f"logged diversity fell below {cfg.div_collapse:g} x its best (best > {cfg.div_best_min:g}) and "
                f"stays < {cfg.div_low:g}, or stayed < {cfg.div_never:g} for >= {cfg.div_never_steps} steps "
                "after warm-up")
    return ""
