"""``diagnose(df) -> Diagnosis``: label every logged step with one of LABELS, with evidence and advice."""
from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pandas as pd

from ganalyze.diagnose.advice import Advice, run_advice, segment_advice
from ganalyze.diagnose.arrays import log_interval
from ganalyze.diagnose.explain import (
    DIVERSITY,
    NotCheckable,
    bce_clamp_note,
    content_led_g,
    critic_growth_note,
    d_level_unsettled,
    d_won_note,
    dead_critic_note,
    frozen_log_finding,
    frozen_tail_note,
    headline,
    healthy_cap,
    huge_critic_note,
    levels_disagree,
    losses_contradict_note,
    model_cannot_settle,
    moments_note,
    noise_floor_note,
    not_checkable,
    off_scale_note,
    rule_phrase,
    saturated_d_note,
    smoothing_floor_note,
    still_log_finding,
    transient_nonfinite_note,
    uninformative_d_note,
    unstepped_optimiser_note,
    unzeroed_optimiser_note,
)
from ganalyze.diagnose.features import WindowConfig, bin_features, prepare
from ganalyze.diagnose.gaps import close_gaps, log_gaps, missing_share
from ganalyze.diagnose.log_facts import accuracy_column, resigmoided_outputs
from ganalyze.diagnose.metadata import infer_metadata
from ganalyze.diagnose.model import LABELS, Diagnosis, Segment, description
from ganalyze.diagnose.override import segment_verdict
from ganalyze.diagnose.quality import logged_quality, quality_phrase
from ganalyze.diagnose.rules import RuleConfig, classify_bins
from ganalyze.diagnose.segments import merge_short, segment_table
from ganalyze.diagnose.thresholds import profile_for
from ganalyze.gan import is_bce

OPTIONAL_SIGNALS = ("d_x", "d_g_z1", "d_g_z2", "grad_norm_d", "grad_norm_g", "div_pdist_ratio")
#: share of the logged rows a pathology needs to be the main finding. Held out (the shipped model's
#: leave-one-loop-out folds, method auto, every log variant), a pathology read on 5-10 % of a corpus
#: log's steps was in that run's truth (on >= 5 % of its steps) for 49 % of the logs (stagnation 18 %,
#: d_dominant 30 %, oscillation 34 %), on 10-25 % for 58 %, on more for 74 %
MAIN_MIN_SHARE = 0.10
#: ... or, for the label the run ends in, the share of the logged rows its final segment needs: held
#: out, final segments under 5 % of a corpus log's rows held their label anywhere in the truth of
#: those steps for 33 % of the logs (5-10 %: 40 %; 10-25 %: 56 %); the forward windows are cut short there
FINAL_MIN_SHARE = 0.05
LOOKAHEAD_STEPS = 200   # the learned model's widest forward window (window_features.AHEAD steps)
EARLY_SHARE = 0.15      # ... unless it ends within this share of the run's steps and the run goes on to another label
#: the fewest rows a main finding is drawn from: the sparsest log variant the diagnosis is validated on
#: (a 5,000-step corpus run written every 500 steps) holds 10
MIN_ROWS_TO_JUDGE = 10
#: ... and the fewest training steps a log must span (last logged step - first): the model's shortest
#: window (``window_features.WIDTHS[0]``); the corpus's shortest run has 101 steps. Not applied where
#: the steps are epochs or row numbers (a unit the log does not give)
MIN_SPAN_TO_JUDGE = 100
#: ``step_from`` of a log stepped by an epoch counter printed every N epochs where the notebook's code says each epoch
#: is a pass over the data (``code_hints.true_epochs_hint``: a loop over batches inside the epoch's)
TRUE_EPOCHS = "epoch (passes over the data, by the notebook's code)"
#: how a reader stepped a log when the log does not say what a step is (``df.attrs["step_from"]``)
UNKNOWN_STEP_UNITS = ("epoch", "column 'epoch'", "row number", "pandas index column", TRUE_EPOCHS)
#: ``step_from`` of a log stepped by its epochs: the reader's guess, or ``--step-from epoch``
EPOCH_STEPPED = ("epoch", "column 'epoch'")
#: divergence read off the loss patterns alone (no logged value non-finite or exploded) is the main
#: finding only at this mean confidence: held out (as above), such readings on >= 10 % of a log's
#: steps were in the run's truth for 18-37 % of the logs below it (316 logs) and 69 % at 0.4-0.6;
#: every other label holds about half or more of its logs at any confidence. Read off that table,
#: so in-sample for the choice (``scripts/eval_main_finding.py`` prints it)
UNSHOWN_DIVERGENCE_MIN_CONFIDENCE = 0.4
#: any other pathology is the main finding only at this mean confidence: held out (as above), the 15
#: corpus logs whose headline was read under it (all d_dominant) held it in their truth for 4; without
#: such headlines 5 more of the 16,380 (log, variant)s get a right headline or none. Public logs read
#: d_dominant at 0.07-0.10 over runs whose samples or FID were fine (a TensorFlow-Examples DCGAN,
#: BMSG-GAN's relativistic hinge); in-sample for the choice, like the divergence floor
MAIN_MIN_CONFIDENCE = 0.15
#: with no pathology to lead and a fact of the run's level leading instead (a saturated D, a dead
#: critic), "read from the loss patterns: healthy" needs healthy on at least this share of the rows
#: after warm-up; below it the rest are pathologies read too weakly or briefly to lead, and the
#: headline says that (set a priori: a majority of the judged rows). Without such a fact a healthy
#: minority still reads "healthy": public runs whose samples were fine read so beside weak d_dominant
HEALTHY_MIN_SHARE = 0.5
#: method auto: a pathology the log cannot check (or whose own levels contradict it) leads only where
#: the rules, which judge what the log holds, read healthy on less than this share of the judged rows
#: (their non-warm-up rows); above it the headline is healthy by what the log can show, with the model's
#: reading beside it. On stop 34's unbiased public notebook batches such "possible" headlines were wrong
#: on 5 of 6 runs the samples could judge (the batches that prompted it: in-sample for the choice); on stop 29's held-out corpus files, where the rules read
#: healthy on 80 % or more, an oscillation headline's label is in the run's truth on 520 of 959 logs
#: (mode collapse 1,300 of 1,982, stagnation 149 of 303): the corpus's runs are mostly pathological by
#: construction, practitioners' logs mostly not. Step labels, and so every step-level figure, are unchanged
CHECKED_HEALTHY_SHARE = 0.8
#: the same for the model's d_dominant where the rules (D's level against its band, D's logged outputs, the
#: label-smoothing floor) read healthy on CHECKED_HEALTHY_SHARE of the judged rows: D winning by the model's
#: reading of the loss patterns alone. On the 566 public picks of stops 37-39 (re-read on stop 39's tool, so
#: in-sample for the choice) 18 logs led so; of the 13 whose samples could be judged 12 ended with varied,
#: plausible samples (one after a bad stretch) and 1 collapsed (which d_dominant did not name either). Step
#: labels are unchanged
D_ALONE_UNCONFIRMED = "d_dominant"
#: a main finding followed by healthy (or warm-up) segments only, to the end of the log, on at least
#: this share of the logged rows is said to have ended, and its advice is scoped to its steps (set a
#: priori: a quarter of the run; the label stays the headline, as LABELS.md's precedence and the
#: run-level figures above count it)
RECOVERED_MIN_SHARE = 0.25
#: ... and where that healthy end holds at least this share (most) of the rows, the headline leads with it
#: ("recovered: healthy from step M ...; before that, d_dominant from step 50 ..."): public DCGAN-tutorial
#: runs whose first epoch D won and whose samples were fine led with d_dominant (set a priori; the
#: labels and the label said are unchanged, only the order of the sentence)
RECOVERED_LEADS_SHARE = 0.5
#: ... and readings the log cannot check (unconfirmed) may stand within that healthy end on at most this share of its
#: rows: more, and the end is theirs as much as healthy's (set a priori)
PASSABLE_IN_END_SHARE = 0.25
#: said after a d_dominant main finding the samples did not check: held out, a winning D is no sure sign of
#: bad samples. Counted from the held-out public batches of stops 37 (81-113), 39 (150-190) and 40 (191-217), each
#: at collection, before any change it prompted: the runs scored on a d_dominant main finding whose samples
#: could be judged (stop 37: 22, 12 of them fine; stop 39: 24, 18 fine, 1 collapsed, 5 failed; stop 40: 11, 5
#: fine, 2 collapsed, 3 failed, 1 blew up; stop 43: 9, 6 fine, 2 collapsed, 1 failed; stop 44: 21, 8 fine, 4
#: collapsed, 9 failed; an ESRGAN judged by its PSNR alone is not counted)
D_WON_SAMPLES_NOTE = ("; D winning is no sure sign of bad samples: of 87 public notebooks led by this reading whose "
                      "samples could be judged, 49 ended with varied, plausible samples (13 collapsed, 22 failed, 2 blew "
                      "up, 1 recovered), so look at the samples before acting on it")
#: ... and after a g_dominant one: counted the same way, at collection, from the held-out public batches of stops
#: 51-57 (526-706): 11 runs scored on a g_dominant main finding whose samples could be judged, 8 fine (among them
#: 706/03a-c, a conditional DCGAN whose D(G(z)) held 0.55-0.6 beside D(x) 0.86 and clean digits), 3 failed
G_WON_SAMPLES_NOTE = ("; G fooling D is no sure sign of bad samples either: of 11 public notebooks led by this reading "
                      "whose samples could be judged, 8 ended with varied, plausible samples (3 failed), so look at the "
                      "samples before acting on it")
#: said after a d_dominant main finding over a G that learns mostly from content terms (``explain.content_led_g``), whose
#: headline leads with healthy for G: the label stays on its steps (LABELS.md's d_dominant is D's outputs, which hold),
#: so no step-level figure moves; the count is the public notebooks of stops 51-54 read so by the tool of stop 54's end
#: whose outputs could be judged: in part the runs that prompted it (in-sample); 5 of the 18 were read so when first
#: judged, held out (591/08 of stop 53; 608/02, 608/04, 620/00, 620/03 of stop 54), all fine
CONTENT_LED_D_WON_NOTE = ("; of 18 public image-to-image runs (SRGAN, ESRGAN, pix2pix, CycleGAN) read so whose outputs "
                          "could be judged, 14 ended with outputs near their targets and 4 failed (pale blobs, a black "
                          "panel, blank maps, a grey texture): judge G by its outputs against their targets (PSNR, SSIM, "
                          "the samples), not by D's loss")
#: a log of one row per epoch with no iteration counter (the reader's ``step_from`` "epoch") is read
#: as this many training iterations per epoch: the model's windows and warm-up are in iterations, and
#: 100 is the sparsest pre-averaged interval it is validated on. Stepped by the epoch itself, such
#: logs read as warm-up throughout (held out, loops 12-14 cut into epoch means of 20 and 50
#: iterations: macro-F1 0.15 / 0.13 by the epoch, 0.57 / 0.44 at 100 per epoch;
#: ``scripts/eval_epoch_logs.py``). Chosen before that measurement; every step shown is the epoch
EPOCH_STEPS = 100
SEVERITY = ("divergence", "mode_collapse", "d_dominant", "oscillation", "g_dominant", "stagnation")


METHODS = ("rules", "learned", "auto")


def diagnose(df: pd.DataFrame, loss=None, d_loss_reduction=None, scores=None, averaged: bool | None = None,
             window: WindowConfig = WindowConfig(), rules: RuleConfig = RuleConfig(),
             method: str = "auto", samples=None, shown=None) -> Diagnosis:
    """Diagnose a run DataFrame (``step``, ``d_loss``, ``g_loss`` + optional columns).

    ``loss``/``d_loss_reduction``/``scores``/``averaged`` declare what a log cannot say; they win
    over the run's metadata (``df.attrs``), which wins over inference from the whole run (see
    ``ganalyze.diagnose.metadata``; every assumption, with its source and reason, is in
    ``Diagnosis.metadata`` and the JSON's ``assumptions["details"]``). A loss outside the supported set (BEGAN, relativistic) is reported
    as unsupported and only loss-free signals are judged. Windows are in steps, widened to at least
    ``window.min_rows`` logged rows; runs shorter than a window get proportionally smaller windows.
    A non-finite loss labels ``divergence`` from its step on. Confidence is lowered when the loss
    type was guessed or when D's scores are not logged, and ``healthy`` is capped when a pathology
    cannot be ruled out with the logged signals (``not_checkable``).

    ``method``: ``auto`` (default) labels the steps with the model trained on the labelled corpus
    (``ganalyze.diagnose.learned``) with the hand-set rules' label as one more vote: the rules'
    label at each evaluation point adds the model's ``rules_votes`` (that label's vote, 0-2 nats) to the
    model's score of that label, so a confident model keeps its label and an unsure one (a log
    unlike the corpus's) takes the rules'; the rules alone for an unsupported loss type, steps
    beyond ±2**52 or a log sparser than any the model was fitted on (a row less often than every
    ``learned.MAX_LOG_EVERY`` steps, e.g. StyleGAN2-ADA's ticks stamped in images). ``learned``: the model alone; ``rules``: the rules alone (``rules.py``).
    With the model, confidence = its calibrated probability of the label averaged over the
    segment; labels the log cannot settle for want of a critic's per-sample outputs are never
    given (``explain.model_cannot_settle``: a critic's dominance without its per-sample outputs,
    stagnation in a pre-averaged log without a G-motion column); a divergence the model starts less than
    ``LOOKAHEAD_STEPS`` before the first non-finite value starts at it (its windows see the NaN
    coming). Evidence and advice come from the same windowed statistics whatever the method;
    each segment also says why: the three window features that pushed the model towards its label
    (``top_features``, ``ganalyze.diagnose.attribution``) and the rule that fired where the rules
    agree (``rule``). Held-out scores of all three: README, Diagnosis.

    ``samples``: checks measured on the run's generator checkpoints
    (``ganalyze.diagnose.samples.measure_checkpoints``): LABELS.md's predicates there confirm or
    override the log-based labels (``ganalyze.diagnose.override``); each segment then says so
    (``confirmed_by_samples`` / ``overridden_by_samples``) and ``summary["samples"]`` holds the checks.

    ``shown``: the last sample grid a notebook shows for the run (``ganalyze.diagnose.shown``), in
    ``summary["shown_samples"]``; where its tiles are near copies of one image, mode collapse by those
    samples leads the main finding (the losses' reading follows it) with the collapse advice.
    """
    if method not in METHODS:
        from ganalyze.errors import GanalyzeError

        raise GanalyzeError(f"method: got {method!r}; allowed: {', '.join(METHODS)}")
    frame = prepare(df)
    step_from = (df.attrs or {}).get("step_from")
    if step_from in EPOCH_STEPPED and _code_true_epochs(df.attrs) is not None:
        step_from = TRUE_EPOCHS
    scale = logged_step_iterations(step_from, frame["step"].to_numpy())      # iterations per logged step
    if scale > 1:
        frame = frame.assign(step=frame["step"].to_numpy(dtype="int64") * scale)
    logged_steps = frame["step"].to_numpy(dtype="int64")
    if gaps := log_gaps(logged_steps):      # windows are laid over the rows either side as consecutive
        frame = frame.assign(step=close_gaps(logged_steps, gaps))
    if (resigmoided := resigmoided_outputs(frame)) is not None:     # undo a print's second sigmoid
        with np.errstate(all="ignore"):
            frame = frame.assign(**{c: np.log(v / (1 - v)) for c in ("d_x", "d_g_z1", "d_g_z2") if c in frame.columns
                                    for v in [pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype="float64")]})
    meta = infer_metadata(frame, loss, d_loss_reduction, scores, averaged)
    a = dict(meta.as_dict(), min_rows=window.min_rows)
    profile = profile_for(a["loss"], a["d_loss_reduction"], a["lsgan_terms"])
    if meta.g_loss_terms == "composite":      # G's level holds other terms: D's alone is judged
        profile = dataclasses.replace(profile, g_level_known=False)
    if meta.d_loss_terms == "composite":      # D's level holds other terms: no level is judged against an equilibrium
        profile = dataclasses.replace(profile, comparable=False)
    if one_sided_floor(meta) and profile.comparable:
        # D at one-sided label smoothing's floor scores every sample as right as its labels allow (D(G(z)) ~ 0,
        # D(x) at the smoothed label: LABELS.md's d_dominant); the practitioner's 0.3 lies below that floor, so
        # D's low band reaches to just above it
        profile = dataclasses.replace(profile, d_low=max(profile.d_low, floor_band(meta.smoothing_floor)))
    f = bin_features(frame, profile, window)
    bin_lab, bin_conf = classify_bins(f, profile, a, rules, window.warmup)
    bin_lab = merge_short(bin_lab, min_bins=max(2, f["window_bins"] // 2))

    steps = frame["step"].to_numpy(dtype="int64")
    shown_steps = logged_steps // scale     # the log's own steps (epochs where scaled), for everything reported
    rows_per_bin = np.diff(f["bin_edges"])
    row_lab = np.repeat(bin_lab.astype(np.int8), rows_per_bin)      # one byte per row
    div_i = LABELS.index("divergence")
    if f["first_bad_step"] is not None:
        row_lab[steps >= f["first_bad_step"]] = div_i
        early = (steps < f["first_bad_step"]) & (row_lab == div_i)
        if early.any():   # rows of the first bad bin before the first non-finite value
            prev = row_lab[~early & (steps < f["first_bad_step"])]
            row_lab[early] = prev[-1] if len(prev) else LABELS.index("warmup")

    logged = {c for c in frame.columns if c not in ("step", "d_loss", "g_loss") and frame[c].notna().any()}
    # a spread a reader derived from one printed batch's statistics (Dev Nag's 1-D GAN: fake_std / real_std) is no
    # measured diversity column like those the model was fitted on: its sampling noise (about 10 % a row) and a toy's
    # first swing read as oscillation on 95-98 % of three converged runs' steps (held-out batches 466/01, 466/08,
    # 479/04). The model does not give oscillation there; a spread that falls to a sliver still reads as a collapse
    derived_spread = "div_pdist_ratio" in logged and bool((df.attrs or {}).get("div_pdist_ratio_from"))
    use_learned = method == "learned" or (method == "auto" and meta.supported)
    reach = max((int(steps[0]), int(steps[-1])), key=abs) if len(steps) else 0
    if use_learned:
        from ganalyze.diagnose.learned import MAX_LOG_EVERY

        why = f"steps within ±2**52 (this log reaches {reach})" if abs(reach) >= 2 ** 52 else \
            f"a row at least every {MAX_LOG_EVERY} steps (this log: one every {f['log_every']})" \
            if f["log_every"] > MAX_LOG_EVERY else None
        if why is not None:
            use_learned = False
            if method == "learned":     # auto falls back quietly: assumptions["method"] says "rules"
                warnings.warn(f"method: the learned model's windows need {why}; the rules labelled it", stacklevel=2)
    row_conf = None
    if use_learned:
        from ganalyze.diagnose.learned import learned_labels
        from ganalyze.diagnose.window_features import LogMeta

        rules_codes = None
        if method == "auto":       # the rules vote with the model (learned.with_rules_vote)
            from ganalyze.diagnose.learned import load_model

            ours_to_model = np.array([load_model().labels.index(x) for x in LABELS], dtype=np.int8)
            rules_codes = ours_to_model[row_lab]
        learned = learned_labels(frame, LogMeta(a["loss"] if meta.supported else "unknown", a["d_loss_reduction"],
                                                a["scores"], bool(meta.averaged)), rules_codes=rules_codes,
                                 drop=model_cannot_settle(a["loss"], bool(meta.averaged), logged)
                                 + d_level_unsettled(meta, logged) + (("oscillation",) if derived_spread else ()),
                                 blind=tuple(sorted({x.label for x in not_checkable(meta, logged)})))
        to_ours = np.array([LABELS.index(x) for x in learned.labels], dtype=np.int8)
        rules_lab = row_lab                      # kept: auto names the rule where it agrees
        row_lab = to_ours[learned.row_codes]
        row_conf = learned.row_confidence
        if f["first_bad_step"] is not None:
            bad = int(f["first_bad_step"])
            row_lab[steps >= bad] = div_i
            # the model's windows look up to LOOKAHEAD_STEPS ahead, so it sees a NaN coming: a
            # divergence that only starts that close before the first non-finite value starts at it
            before = np.flatnonzero(steps < bad)
            run = before[::-1][np.cumprod(row_lab[before[::-1]] == div_i).astype(bool)]
            if len(run) and steps[run[-1]] >= bad - LOOKAHEAD_STEPS:
                prev = run[-1] - 1
                row_lab[run] = row_lab[prev] if prev >= 0 else LABELS.index("warmup")

    frozen = frozen_rows(meta, len(row_lab))
    model_lab = row_lab         # what the model (or the rules) read, for the attributions (apply_checks copies)
    if frozen is not None:      # nothing trains where the losses repeat exactly: stagnation (a divergence read stays)
        row_lab = row_lab.copy()
        stuck = frozen & (row_lab != div_i)
        row_lab[stuck] = LABELS.index("stagnation")

    verdicts = None
    if samples is not None:
        from ganalyze.diagnose.override import apply_checks

        locked = steps >= f["first_bad_step"] if f["first_bad_step"] is not None else None
        verdicts = apply_checks(row_lab, shown_steps, samples, locked)
        row_lab = verdicts.codes

    factor = 1.0
    if a["inferred"]:
        factor *= 0.85 if a["inferred"] != ["d_loss_reduction"] or not is_bce(profile.name) else 0.9
    present = [c for c in OPTIONAL_SIGNALS if c in frame.columns and frame[c].notna().any()]
    if not present:
        factor *= 0.8
    unchecked = not_checkable(meta, logged, with_samples=samples is not None)
    if derived_spread and samples is None:
        unchecked.append(NotCheckable(
            "oscillation",
            "the log's spread is G's and the data's printed spreads of one batch each (fake_std / real_std), whose "
            "sampling noise swings it by about 10 % a row: its swings are not read as oscillation",
            "log a diversity column measured on many samples (RunLogger's div_pdist_ratio) every <= 100 steps"))
    if frozen is not None:     # losses that repeat exactly show a stop, which flat windows alone cannot
        unchecked = [x for x in unchecked if x.label != "stagnation"]
    cap = healthy_cap(unchecked)

    # segments over rows (row-level labels can split a bin at the divergence point)
    change = np.flatnonzero(np.diff(row_lab)) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [len(row_lab)]])
    # evidence from the bins each segment spans
    start_bins = np.searchsorted(f["bin_edges"], starts, side="right") - 1
    lr = {c: _column(frame, c) for c in ("lr_d", "lr_g")}
    accuracy = _column(frame, acc_col) if (acc_col := accuracy_column(frame, combined=True)) else None
    bin_seg = np.zeros(f["n_bins"], dtype=np.int64)
    for i, b in enumerate(start_bins):
        bin_seg[b:] = i
    table = {t[0]: t for t in segment_table(f, bin_seg, bin_conf)}
    effects = None
    if use_learned:
        from ganalyze.diagnose.attribution import attribute_segments
        from ganalyze.diagnose.learned import load_model

        model_codes = model_lab         # what the model said
        spans = [(int(steps[s]), int(steps[e - 1]), LABELS[np.bincount(model_codes[s:e]).argmax()])
                 for s, e in zip(starts, ends)]
        effects = attribute_segments(load_model(), learned.features, learned.points, spans)
    segments, seg_advice = [], []
    for i, (s, e) in enumerate(zip(starts, ends)):
        b0 = start_bins[i]
        _, _, _, conf, ev = table.get(b0, (0, 0, 0, 0.5, {}))
        label = LABELS[row_lab[s]]
        if label == "divergence" and f["first_bad_step"] is not None and steps[s] >= f["first_bad_step"]:
            ev = dict(ev, first_nonfinite_step=float(_shown(f["first_bad_step"], steps, shown_steps)))
        ev = {k: v for k, v in ev.items() if np.isfinite(v)}
        ev["rows"] = float(e - s)
        lr_seg = {k: _finite_mean(v, s, e) for k, v in lr.items()}
        if accuracy is not None and np.isfinite(acc := _finite_mean(accuracy, s, e)):
            ev["d_accuracy"] = acc          # D's own logged accuracy over real and fake (explain.levels_disagree)
        agrees = not use_learned or (method == "auto" and np.bincount(rules_lab[s:e]).argmax() == row_lab[s])
        adv = segment_advice(label, ev, profile, meta, lr_seg, int(shown_steps[s]), int(shown_steps[e - 1]),
                             shown="first_nonfinite_step" in ev or agrees,
                             at_log_start=all(LABELS[row_lab[x]] == "warmup" for x in starts[:i]))
        if row_conf is not None:        # the model's probability of this label over the segment
            conf = float(np.mean(row_conf[s:e]))
        if frozen is not None and frozen[s] and label == "stagnation":
            conf = FROZEN_TAIL_STAGNATION
        c = float(np.clip(conf * factor, 0, 1))
        lines = [x.render() for x in adv]
        smp = None
        if verdicts is not None:
            sv = segment_verdict(verdicts, s, e, label, samples, samples.data_kind)
            ev.update(sv.evidence)
            c = sv.confidence if sv.confidence is not None else min(1.0, c + 0.1) if sv.confirmed else c
            c *= sv.confidence_factor
            smp = {"confirmed_by_samples": sv.confirmed, "overridden_by_samples": sv.overridden}
            lines += [sv.advice] if sv.advice else []
        if label == "healthy":
            c = min(c, cap)
        rule = rule_phrase(label, ev, a["scores"], rules, window.warmup) if agrees else None
        if frozen is not None and label == "stagnation" and frozen[s]:
            rule = (f"D's and G's losses repeat exactly ({meta.frozen_tail[2]:.6g} and {meta.frozen_tail[3]:.6g}) from "
                    "here to the end of the log: nothing trains there")
        if smp is not None and smp["overridden_by_samples"]:
            rule = f"LABELS.md's {label} predicate on the checkpoints (overrides the log)"
        segments.append(Segment(int(shown_steps[s]), int(shown_steps[e - 1]), label, c, ev, lines,
                                top_features=effects[i] if effects is not None else None, rule=rule, samples=smp))
        seg_advice.append(adv)

    seg_rows = np.zeros(len(LABELS), dtype=np.int64)
    np.add.at(seg_rows, row_lab[starts], ends - starts)
    f_shown = dict(f, first_bad_step=None if f["first_bad_step"] is None else _shown(f["first_bad_step"], steps, shown_steps))
    checked_healthy = None
    if method == "auto" and use_learned:     # what the rules, reading only what the log holds, call healthy
        judged = rules_lab != LABELS.index("warmup")
        checked_healthy = float(np.mean(rules_lab[judged] == LABELS.index("healthy"))) if judged.any() else None
    # near copies of one image in the notebook's last grid: the generator's own output, beside which a reading of
    # the losses is second, unless a non-finite loss came first (a fact of the log; LABELS.md puts divergence first)
    copies_lead = shown is not None and shown.collapsed and f_shown["first_bad_step"] is None
    what = ("are near copies of one image" if shown is not None and shown.near_copies
            else f"are mostly one {shown.class_noun if shown is not None else 'digit'}")
    if copies_lead and shown.noise_like:       # one texture, not a sample of the data: G never learned it
        lead = (Advice("collapse", f"the last samples shown (cell {shown.cell}) are near copies of one noise-like "
                       "texture, not a sample of the data: check that the images D sees are scaled as G's output "
                       "layer draws them (tanh: [-1, 1]) and that D's loss is not pinned near 0 from the first "
                       "epochs, then lower the learning rates; minibatch discrimination treats a collapse onto the "
                       "data's modes, not this.", "ganhacks"),)
    else:
        lead = (Advice("collapse", f"the last samples shown (cell {shown.cell}) {what}: add minibatch "
                       "discrimination or feature matching, or restart from a checkpoint before the samples narrowed.",
                       "salimans"),) if copies_lead else ()
    summary = _summary(segments, seg_advice, seg_rows, shown_steps, meta, present, f_shown, profile, unchecked, cap,
                       step_from=step_from, checked_healthy=checked_healthy, lead=lead,
                       content=content_led_g(meta, frame.columns))
    if (planned := unfinished_run(frame, df.attrs or {})) is not None:
        last, n = planned
        summary["planned_epochs"] = {"last_logged": last, "planned": n}
        summary["main_finding"] += (f"; the log stops in epoch {last} of the {n} its run planned: what the rest of "
                                    "the run did is not in it, and early training can look healthy in the losses "
                                    "while the samples are still noise")
    if gaps:
        summary["log_gaps"] = [{"from_step": int(a // scale), "to_step": int(b // scale)} for a, b in gaps]
        summary["log_gaps_share"] = round(missing_share(logged_steps, gaps), 3)
    if quality := logged_quality(frame, shown_steps):
        summary["logged_quality"] = quality
        if said := quality_phrase(quality):       # the run's own evidence beside the reading of its losses
            summary["main_finding"] += f"; {said}"
    if (fid := logged_fid(frame.assign(step=shown_steps))) is not None:
        summary["logged_fid"] = fid
        if fid["reading"]:         # the run's own evidence beside the reading of its losses
            summary["main_finding"] += f"; by the run's own FID, {fid['reading']}"
        if fid_got_worse(fid):
            summary["advice"] = [f"keep the checkpoint nearest step {fid['best_step']}: the run's own FID is best there "
                                 f"({fid['best']:.4g}) and {fid['last'] / fid['best']:.1f}x worse at the end "
                                 "[the run's logged FID]"] + summary["advice"][:9]
    if frozen_tail_note(meta, shown_steps):
        at = int(shown_steps[meta.frozen_tail[0]])
        summary["advice"] = [f"keep a checkpoint from before step {at}: the losses repeat exactly from there to the end "
                             "of the log, so nothing after it was learned, and restart from it with what the other "
                             "advice changes [the log's own losses]"] + summary["advice"][:9]
    if samples is not None:
        over = [(x.start_step, x.end_step, x.samples["overridden_by_samples"]) for x in segments
                if x.samples["overridden_by_samples"]]
        if over:
            summary["main_finding"] += "; the checkpoints override the log at " + ", ".join(
                f"steps {a}-{b} ({o['log_label']} -> {o['sample_label']})" for a, b, o in over[:3]) + \
                (" ..." if len(over) > 3 else "")
        summary["samples"] = dict(samples.summary(),
                                  overridden_segments=sum(bool(x.samples["overridden_by_samples"]) for x in segments),
                                  confirmed_segments=sum(bool(x.samples["confirmed_by_samples"]) for x in segments))
    if shown is not None:
        summary["shown_samples"] = shown.to_dict()
        if copies_lead:     # (its advice leads the run's: ``lead`` above)
            summary["main_finding"] = (f"mode_collapse by the samples the notebook shows: {shown.describe()}; the "
                                       f"losses alone read: {summary['main_finding']}")
            summary["main_finding_checkable"] = True
        elif shown.collapsed:
            summary["main_finding"] += f"; the samples the notebook shows: {shown.describe()}"
    assumptions = {"loss": a["loss"], "d_loss_reduction": a["d_loss_reduction"], "scores": a["scores"],
                   "inferred": a["inferred"], "note": a["note"], "window_steps": int(f["window_bins"] * f["bin_steps"]),
                   "bin_steps": int(f["bin_steps"]), "log_every": int(f["log_every"]), "averaged": meta.averaged,
                   "supported": meta.supported, "method": "learned" if use_learned else "rules"}
    if scale > 1:       # window_steps, bin_steps and log_every are in these iterations
        assumptions["iterations_per_step"] = scale
    if a["loss"] == "lsgan":
        assumptions["lsgan_terms"] = meta.lsgan_terms
    if meta.g_loss_terms == "composite":
        assumptions["g_loss_terms"] = meta.g_loss_terms
    if meta.d_loss_terms == "composite":
        assumptions["d_loss_terms"] = meta.d_loss_terms
    if (df.attrs or {}).get("d_loss_from"):    # the reader built D's loss from columns of the log
        assumptions["d_loss_from"] = str(df.attrs["d_loss_from"])
    if resigmoided is not None:
        assumptions["d_outputs_from"] = resigmoided
    helix = {"crossing_rate": f["crossing_rate"], "anticorrelation": f["anticorrelation"],
             "rows_per_bin": rows_per_bin, "index": frame.index}
    return Diagnosis(segments, assumptions, summary, shown_steps, row_lab, helix,
                     not_checkable=[u for u in unchecked if not (u.label == "mode_collapse" and shown is not None
                                                                 and shown.collapsed)],     # (the samples show it)
                     metadata=meta)


#: the confidence of a frozen end's stagnation (:func:`frozen_rows`): on the corpus's 31 runs whose losses
#: repeat exactly to their end, 59 % of those steps were stagnation by LABELS.md (divergence 22 %, healthy 6 %)
FROZEN_TAIL_STAGNATION = 0.59


def frozen_rows(meta, n_rows: int) -> np.ndarray | None:
    """The rows of a log's frozen end (``metadata.frozen_tail``: its last rows repeat one D and one G loss
    exactly, after rows that moved), or None. A run that still trains moves its batch losses, or their interval
    means, from row to row; where both repeat to the printed digit nothing trains, so G's samples stop moving:
    LABELS.md's stagnation. A log frozen from its first row is not one (``explain.frozen_log_finding``: its
    losses show no phase at all)."""
    tail = meta.frozen_tail
    if tail is None or not 0 < tail[0] < n_rows or tail[0] + tail[1] != n_rows:
        return None
    return np.arange(n_rows) >= tail[0]


def _shown(step, steps: np.ndarray, shown_steps: np.ndarray) -> int:
    """The log's own step (:func:`diagnose`'s ``shown_steps``) of the row at analysis step ``step``
    (gaps shut, iterations where scaled)."""
    i = min(int(np.searchsorted(steps, step)), len(steps) - 1)
    return int(shown_steps[i])


def logged_fid(frame: pd.DataFrame) -> dict | None:
    """The run's own FID evaluations (a logged ``fid`` column, lower is better): the first, the best
    and the last finite value with their steps and the number of evaluations; None without any.
    Quoted, not used for the labels: on the corpus a falling Frechet distance leaves mode collapse
    as likely as elsewhere, and stagnation too at an evaluation every 500-1,000 steps (stop 29)."""
    if "fid" not in frame.columns:
        return None
    v = _column(frame, "fid")
    ok = np.isfinite(v)
    if not ok.any():
        return None
    steps = frame["step"].to_numpy()[ok]
    v = v[ok]
    b = int(np.argmin(v))
    out = {"first": float(v[0]), "first_step": int(steps[0]), "best": float(v[b]), "best_step": int(steps[b]),
           "last": float(v[-1]), "last_step": int(steps[-1]), "evaluations": int(ok.sum())}
    out["reading"] = fid_reading(out)
    return out


#: a last logged FID this many times its best, after it, says the samples got worse (run-to-run FID
#: noise is a few per cent; set a priori, nothing fitted)
FID_WORSE = 2.0
#: ... and a first FID this many times the last, with the last within FID_NEAR_BEST of the best,
#: says the samples improved over the run
FID_IMPROVED = 1.5
FID_NEAR_BEST = 1.25


#: a log whose last epoch is at most this share of the epochs its run planned (the printed "Epoch 2/25")
#: stopped early (interrupted, or cut by the notebook's author); said, not judged
UNFINISHED_SHARE = 0.25


def unfinished_run(frame: pd.DataFrame, attrs: dict) -> tuple[int, int] | None:
    """(last logged epoch, planned epochs) where the log's printed epoch total (``attrs["n_epochs"]``) is at
    least 4 and its last epoch at most :data:`UNFINISHED_SHARE` of it; None otherwise (no total printed, or
    a run logged to its end)."""
    n = attrs.get("n_epochs")
    if not isinstance(n, (int, np.integer)) or n < 4 or "epoch" not in frame.columns:
        return None
    epochs = pd.to_numeric(frame["epoch"], errors="coerce").to_numpy(dtype="float64")
    if not np.isfinite(epochs).any():
        return None
    last = int(np.nanmax(epochs)) + 1          # (the column counts from 0)
    return (last, int(n)) if last <= UNFINISHED_SHARE * n else None


def fid_got_worse(fid: dict) -> bool:
    """Whether the last logged FID is at least :data:`FID_WORSE` times its best, logged before it."""
    return fid["best"] > 0 and fid["last"] >= FID_WORSE * fid["best"] and fid["best_step"] < fid["last_step"]


def fid_reading(fid: dict) -> str:
    """What the run's own FID evaluations (:func:`logged_fid`'s dict) say in words, or "" when they
    say neither of: worse after their best (last >= :data:`FID_WORSE` x best), improved over the run
    (first >= :data:`FID_IMPROVED` x last, last <= :data:`FID_NEAR_BEST` x best)."""
    first, best, last = fid["first"], fid["best"], fid["last"]
    if fid_got_worse(fid):
        return (f"the samples got worse after step {fid['best_step']}: the last FID is {last / best:.1f}x its best; "
                f"the checkpoint nearest step {fid['best_step']} is the run's best by its own FID")
    if last > 0 and first >= FID_IMPROVED * last and last <= FID_NEAR_BEST * best:
        return f"the samples improved over the run (FID {first:.4g} -> {last:.4g})"
    return ""


def _column(frame: pd.DataFrame, name: str):
    """A column as numpy values, without a copy when it is numeric already (None when absent)."""
    if name not in frame.columns:
        return None
    col = frame[name]
    if isinstance(col.dtype, np.dtype) and col.dtype.kind in "fiu":
        return col.to_numpy()
    return pd.to_numeric(col, errors="coerce").to_numpy("float64")


def _finite_mean(values, s: int, e: int) -> float:
    """Mean of the finite values of rows [s, e) in float64 (NaN when there are none)."""
    if values is None:
        return np.nan
    v = np.asarray(values[s:e], dtype=np.float64)
    return float(np.nanmean(v)) if np.isfinite(v).any() else np.nan


def _summary(segments, seg_advice, seg_rows, steps, meta, present, f, profile, unchecked, cap,
             step_from: str | None = None, checked_healthy: float | None = None, lead: tuple = (),
             content: str | None = None) -> dict:
    counts = seg_rows / max(len(steps), 1)
    fractions = {lab: float(counts[i]) for i, lab in enumerate(LABELS) if counts[i] > 0}
    shown = f.get("first_bad_step") is not None or any(s.label == "divergence" and s.rule for s in segments)
    ruled = outputs_ruled(segments, present, meta.scores) | floor_ruled(segments, meta)
    candidates = main_candidates(segments, steps, fractions, shown, ruled)
    # a pathology this log can check leads over one it cannot (a reading of the loss patterns only,
    # right on well under half of such steps held out); with none, the unchecked one is "possible"
    cannot = {u.label for u in unchecked}
    # divergence read into finite, moderate losses, with neither a diversity column nor samples to
    # show exploding samples: a reading of the loss patterns like the labels above
    if not shown and DIVERSITY not in present and not any(s.samples for s in segments):
        cannot.add("divergence")
    # a label its own segment's levels contradict (explain.levels_disagree) is no checked finding either
    prob = meta.scores == "probability"
    disagree = {lab for lab in candidates
                if levels_disagree(lab, next(s for s in segments if s.label == lab).evidence, profile, prob,
                                   meta.d_loss_median)}
    # who wins, read by the model alone (the rules, which judge D's level alone here, did not agree)
    # from a G loss that holds other terms and no logged D output: the G level it read means nothing
    composite_read = {lab for lab in candidates if lab in ("d_dominant", "g_dominant")
                      and meta.g_loss_terms == "composite" and not {"d_x", "d_g_z1"} & set(present)
                      and not any(s.rule for s in segments if s.label == lab)}
    disagree |= composite_read
    # single-image losses (batch size 1, from the run's options) jitter far beyond the batches of 16-256
    # the model was fitted and validated on: its readings of what the log cannot check are listed, not led with
    single = {lab for lab in candidates if lab in cannot} if meta.config.batch_size == 1 else set()
    candidates = [lab for lab in candidates if lab not in single]
    worst = next((lab for lab in candidates if lab not in cannot | disagree),
                 candidates[0] if candidates else None)
    # an unconfirmed reading does not lead where what the log can check reads healthy (CHECKED_HEALTHY_SHARE)
    demoted = None
    # ... nor does the model's d_dominant where the rules, judging D's level against its band (or D's logged
    # outputs), read healthy on that share: D_ALONE_UNCONFIRMED
    model_only = {D_ALONE_UNCONFIRMED} - ruled
    if (worst is not None and worst in cannot | disagree | model_only and checked_healthy is not None
            and checked_healthy >= CHECKED_HEALTHY_SHARE):
        demoted, worst = worst, None
    # ... nor D's win over a G that learns mostly from content terms, whose gradient does not pass through D
    # (CONTENT_LED_D_WON_NOTE): D winning is D's own state there, not G's starvation
    # (also where D's loss sits at 0 and the model's d_dominant is too weak to lead: d_won_note's "G's gradients carry
    # little" is no claim to make of such a G)
    content_led = content is not None and (worst == "d_dominant" or (
        worst is None and demoted is None and "d_dominant" in fractions and bool(d_won_note(meta))))
    if content_led:
        demoted, worst = "d_dominant", None
    weak = weak_labels(segments, steps, shown, ruled)
    contradiction = losses_contradict_note(meta)
    uninformative = uninformative_d_note(meta, profile)
    untrained = unstepped_optimiser_note(meta)
    code_facts = untrained + unzeroed_optimiser_note(meta)      # (what the code does, read from no row)
    level = (code_facts + moments_note(meta) + frozen_tail_note(meta, steps) + dead_critic_note(meta) + huge_critic_note(meta) + saturated_d_note(meta) + contradiction
             + ("" if content_led else d_won_note(meta)) + noise_floor_note(meta) + bce_clamp_note(meta) + uninformative)
    def tagged(s) -> str:      # a listed reading, with why it is not a finding of its own
        return (f"{s.label} {s.start_step}-{s.end_step}"
                + (f" (weak reading, mean confidence {label_confidence(segments, steps, s.label):.2f})"
                   if s.label in weak
                   else " (unconfirmed; single-image losses, batch size 1, are beyond the batches the model was "
                        "validated on)" if s.label in single
                   else " (unconfirmed)" if s.label in cannot else ""))

    brief = [tagged(s) + (" (to the end)" if s is segments[-1] else "")
             for s in segments if s.label in SEVERITY and s.label not in (worst, demoted)]
    ended = ""          # "it ended at step N ...": a supported, checked main finding the run recovered from
    if not meta.supported:
        ok = "; ".join(f"{s.label} {s.start_step}-{s.end_step}" for s in segments if s.label in SEVERITY)
        outs = "D's logged outputs (probabilities), " if "d_g_z1" in present and meta.scores == "probability" else ""
        told = meta.assumption("loss").source == "file"     # the reader knows the loss: declaring another misreads it
        main = (f"unsupported loss type {meta.loss!r} ({meta.assumption('loss').reason}): only non-finite values, "
                f"{outs}a logged diversity column, learning rates and gradient norms were judged"
                + ("" if told else "; declare --loss (minimax, nsgan, lsgan, wgan-gp, hinge) if the run uses one of these")
                + (f"; found: {ok}" if ok else ""))
        main_seg = next((s for s in segments if s.label == worst), None)
    elif worst is None:
        healthy = [s for s in segments if s.label == "healthy"]
        longest = max(healthy, key=lambda s: s.end_step - s.start_step, default=None)
        note = ""
        if longest is not None and unchecked:
            labels = sorted({u.label for u in unchecked})
            note = f"; confidence capped at {cap:.2f}: {', '.join(labels)} cannot be ruled out with the logged signals"
        # beside a fact of the run's level (a saturated D, a dead critic: it leads, below), healthy on
        # under half the rows after warm-up is no "no pathology found": the rest are pathologies read
        # too weakly or briefly to lead
        judged = sum(v for k, v in fractions.items() if k != "warmup")
        h = fractions.get("healthy", 0.0)
        if demoted is not None:
            seg = longest or next(s for s in segments if s.label == demoted)
            why = ("which this log cannot check" if demoted in cannot
                   else "read from G's logged loss, which holds other terms (g_loss_terms=composite), so its level "
                        "says nothing of D's verdict" if demoted in composite_read
                   else "which the logged levels contradict" if demoted in disagree
                   else "which the rules' bands for D's and G's levels do not confirm (of 13 such public notebooks "
                        "whose samples could be judged, 12 ended with varied, plausible samples)")
            if content_led:
                won = next(s for s in segments if s.label == demoted)
                main = (headline(None, won, 0.0, "", profile, "", meta.scores == "probability",
                                 lead=f"healthy for G by what this log can show: D wins by its losses (d_dominant from "
                                      f"step {won.start_step}, {fractions[demoted]:.0%} of logged steps)",
                                 pinned=not uninformative)
                        + f"; but G learns mostly from content terms whose gradient does not pass through D ({content}), "
                          "as pix2pix's L1 and SRGAN's content loss do, so a winning D starves no such G"
                        + CONTENT_LED_D_WON_NOTE)
            else:
                main = (headline(None, seg, 0.0, "", profile, note, meta.scores == "probability",
                                 lead=f"healthy by what this log can show: the rules, which judge only its logged "
                                      f"signals, read healthy on {checked_healthy:.0%} of its judged rows",
                                 pinned=not uninformative)
                        + f"; the learned model reads possible {demoted} from step "
                          f"{next(s for s in segments if s.label == demoted).start_step} ({fractions[demoted]:.0%} of "
                          f"logged steps) from the loss patterns, {why}"
                          + (" [see 'not checkable']" if demoted in cannot | disagree else ""))
        elif longest is not None and level and h < HEALTHY_MIN_SHARE * judged:
            main = ("no pathology read firmly enough to be the main finding (healthy on "
                    + (f"{h:.0%}" if h >= 0.01 else f"{h:.1%}") + " of the logged rows)")
        elif longest is not None:
            main = headline(None, longest, 0.0, "", profile, note, meta.scores == "probability", pinned=not uninformative)
        elif any(s.label in SEVERITY for s in segments):
            main = "no pathology read firmly enough to be the main finding"
        else:
            main = "too short to judge beyond warm-up"
        main_seg = None
    else:
        main_seg = next(s for s in segments if s.label == worst)
        main = headline(worst, main_seg, fractions[worst], description(worst, meta.loss), profile,
                        probability=meta.scores == "probability", d_median=meta.d_loss_median)
        last = segments[-1]
        if last.label == worst and last is not main_seg and \
                last.start_step - main_seg.end_step >= AGAIN_GAP * (int(steps[-1]) - int(steps[0])):
            # the headline's segment is its first; where the label comes back at the end after a long other stretch,
            # say so (held-out batch 231: "d_dominant from step 3000" named a blip, the stretch 276000-295000 that
            # ends the run went unsaid)
            main += f"; {worst} again from step {last.start_step} to the end"
        if worst == "divergence" and worst in cannot:
            main = "possible " + main + (" [no logged loss is non-finite or exploded: a reading of the loss patterns; "
                                         "samples that blow up behind finite losses show only in a diversity column "
                                         "or in the samples (--with-samples)]")
        elif worst in composite_read:
            main = "possible " + main + (" [read by the learned model from G's logged loss, which holds other terms "
                                         "(g_loss_terms=composite), so its level says nothing of D's verdict; D's "
                                         "level alone does not show it]")
        elif worst in disagree:
            main = "possible " + main
        elif worst in cannot:    # the log cannot settle it: say so where it is claimed
            main = "possible " + main + (f" [{worst} cannot be checked in this log: a reading of the loss patterns, "
                                         "see 'not checkable']")
        if worst not in cannot | disagree:      # an unchecked reading's end is as unchecked as its start
            ended, healed = _recovery(segments, steps, worst, passable=cannot - {worst})
            if healed is not None:      # healthy on most of the log, to its end: where the run is now leads
                main = (f"recovered: healthy from step {healed[0]} to the end of the log ({healed[1]:.0%} of logged "
                        f"steps); before that, {main}; it ended at step {healed[2]}")
            else:
                main += ended
        if worst == "d_dominant" and not any(s.samples for s in segments):
            main += D_WON_SAMPLES_NOTE
        elif worst == "g_dominant" and not any(s.samples for s in segments):
            main += G_WON_SAMPLES_NOTE
    # the training steps the log covers: its first row's interval and the rest (100 rows 1 step apart are 100 steps,
    # held-out batch 243's "spans 99 training steps (100 rows)")
    span = 0
    if len(steps) > 1:
        span = int(steps[-1]) - int(steps[0]) + log_interval(steps)
    brief_span = span < MIN_SPAN_TO_JUDGE and step_from not in UNKNOWN_STEP_UNITS
    few = (len(steps) < MIN_ROWS_TO_JUDGE or brief_span) and not (worst == "divergence" and shown)
    if few:     # no log this sparse or this brief was validated: its readings are listed, not made a finding
        # (one row shows no change: a label read from it is the model's prior at that step, held-out batch 405's
        # one-row Keras log "read" divergence from its step alone; a weak or unconfirmed reading says so, as the
        # "also:" list does: held-out batch 416's two flat rows "read" divergence at confidence 0.32)
        found = [tagged(s) for s in segments if s.label != "warmup"] if len(steps) > 1 else []
        read = f" (read from them: {', '.join(found[:4])})" if found else ""
        if len(steps) < MIN_ROWS_TO_JUDGE:
            main = (f"too few rows to judge: {len(steps)} logged row(s), where the diagnosis is validated on logs of "
                    f"{MIN_ROWS_TO_JUDGE} rows or more" + read)
        else:
            main = (f"too short to judge: the log spans {span} training steps ({len(steps)} rows), where the "
                    f"diagnosis's shortest window is {MIN_SPAN_TO_JUDGE} steps and it is validated on runs of "
                    f"{MIN_SPAN_TO_JUDGE} steps or more" + read + "; if its steps count epochs, give the iterations "
                    "per epoch with --step-from row*N")
    elif brief:
        main += "; also: " + ", ".join(brief[:4]) + (" ..." if len(brief) > 4 else "")
    checked = worst not in cannot | disagree and not few       # (a healthy run's finding is checked)
    # a fact of the whole run's loss level (a dead critic, a saturated D, D at 0, BCELoss's clamp) leads a reading of the loss
    # patterns that the log cannot check, and a healthy reading, which it contradicts
    # (also in a log too short for the windows: a median level needs no window)
    leads = bool(level) and (few or worst is None or not checked or bool(contradiction) or bool(untrained))
    if frozen := frozen_log_finding(meta, steps) or ("" if level else still_log_finding(meta, steps, profile)):
        # no phase of training shows in a log that never changes, or changes only in its last digits (unless a fact
        # of its level says more: D and G pinned at their untrained levels, a D at 0 or saturated)
        main, leads, level = frozen, False, ""
    if leads and len(steps) < MIN_ROWS_TO_JUDGE:
        # a level read from fewer rows than any log validated is that moment's, not the run's: the abstention leads
        # (held-out batch 446/53: one row at step 1,000 of 20,000, D's loss 0.009 beside varied early digits, led with
        # "D's loss is about 0 throughout"); what the code does holds whatever the rows, and still leads
        from_rows = level[len(code_facts):]
        main += ("; what its rows show: " + from_rows[2:]) if from_rows else ""
        if code_facts:
            main = code_facts[2].upper() + code_facts[3:] + "; beyond that, " + main
    elif leads:
        fact = level[2:]
        main = fact[0].upper() + fact[1:] + ("; beyond that, " if few else "; read from the loss patterns: ") + main
        if (contradiction or untrained) and worst is None and not few:
            # healthy is a reading of who wins too, which losses that contradict each other cannot give (held-out
            # batches 223 and 230: a Keras CGAN whose G never learned read "..: healthy" after this note)
            main = (fact[0].upper() + fact[1:] + "; the loss patterns, read from these losses, show no pathology, "
                    "which says nothing of the run: judge it by its samples")
    else:
        main += level
    # beside the finding, never leading it
    main += critic_growth_note(meta) + smoothing_floor_note(meta) + off_scale_note(meta, profile)
    main += transient_nonfinite_note(meta, steps) + _epochs_hint(step_from, steps)
    if demoted is not None:     # its advice is the run's (conditional on the samples), not a brief blip's
        main_seg = next(s for s in segments if s.label == demoted)
    if len(steps) < 2 or frozen:
        # no segment's advice from a single row (above), nor from loss patterns in a log that does not move ("the
        # losses swing" of swings in the last digits); the configuration's still holds
        seg_advice = [[] for _ in seg_advice]
    # (D's win over a content-led G is acted on only where its outputs fall short: "if the samples confirm it")
    advice = _run_advice(segments, seg_advice, worst or demoted, main_seg, meta,
                         cannot | disagree | ({demoted} if content_led else set()), bool(ended), lead)
    missing = [c for c in ("d_x", "d_g_z1", "div_pdist_ratio", "grad_norm_d") if c not in present]
    out = {"main_finding": main, "label_fractions": fractions, "advice": advice[:10],
           "n_rows": int(len(steps)), "first_step": int(steps[0]), "last_step": int(steps[-1]),
           "main_finding_checkable": checked or leads,
           "first_nonfinite_step": f["first_bad_step"], "signals_used": present,
           "signals_missing": missing, "healthy_confidence_cap": cap, "lr_changes": _lr_changes(meta.config)}
    if demoted is not None:     # the model's reading the checkable one led over, for tools reading the JSON
        out["unconfirmed_reading"] = {"label": demoted, "start_step": int(main_seg.start_step),
                                      "share": fractions[demoted], "checkable": False,
                                      "because": "G learns mostly from content terms, whose gradient does not pass "
                                                 "through D" if content_led
                                      else "cannot be checked in this log" if demoted in cannot
                                      else "read from a G loss that holds other terms" if demoted in composite_read
                                      else "the logged levels contradict it" if demoted in disagree
                                      else "the rules read healthy on most of the judged rows"}
    return out


def main_candidates(segments, steps: np.ndarray, fractions: dict, shown: bool, ruled=frozenset()) -> list[str]:
    """The pathologies that may be a run's main finding, most severe first (:data:`SEVERITY`).

    The main finding is the most severe label that matters for the run as a whole: divergence the
    log shows (a non-finite or exploded value the rules name, ``shown``) always; otherwise a
    pathology on >= :data:`MAIN_MIN_SHARE` of the logged rows (``fractions``: label -> share), or
    the one the run ends in when its final segment holds >= :data:`FINAL_MIN_SHARE` of them. A
    brief blip inside a long healthy run, a few last rows, and a pathology only in the first
    :data:`EARLY_SHARE` of a run that goes on to something else (an MNIST generator starts on one
    blurry blob and spreads within ~1,000 steps) are mentioned, not made the headline; so is a
    pathology read at a mean confidence under :data:`MAIN_MIN_CONFIDENCE`, or divergence the log
    does not show under :data:`UNSHOWN_DIVERGENCE_MIN_CONFIDENCE` (:func:`weak_labels`; ``ruled``:
    :func:`outputs_ruled`)."""
    if not segments or not len(steps):
        return []
    weak = weak_labels(segments, steps, shown, ruled)
    final_rows = np.count_nonzero(np.asarray(steps) >= segments[-1].start_step) / len(steps)
    final = segments[-1].label if final_rows >= FINAL_MIN_SHARE else None
    span = max(int(steps[-1]) - int(steps[0]), 1)
    early = {s.label for s in segments} - {s.label for s in segments
                                           if s.end_step - int(steps[0]) >= EARLY_SHARE * span}
    return [lab for lab in SEVERITY if lab in fractions and lab not in weak and
            ((lab == "divergence" and shown) or lab == final or
             (fractions[lab] >= MAIN_MIN_SHARE and lab not in early))]


def label_confidence(segments, steps: np.ndarray, label: str) -> float:
    """A label's confidence over the run: its segments' confidences weighted by their logged rows
    (NaN when no segment has it)."""
    steps = np.asarray(steps)         # sorted: each segment's rows by two binary searches, not a scan
    rows = [(int(np.searchsorted(steps, s.end_step, "right") - np.searchsorted(steps, s.start_step, "left")),
             s.confidence) for s in segments if s.label == label]
    total = sum(n for n, _ in rows)
    return sum(n * c for n, c in rows) / total if total else float("nan")


def outputs_ruled(segments, present, scores: str) -> set[str]:
    """``d_dominant`` / ``g_dominant`` where the label's segments that carry the rule reading it off D's
    logged outputs as probabilities (D(G(z)) under 0.05 with D(x) high, or over 0.55) hold
    :data:`RULED_ROW_SHARE` of its rows: LABELS.md's own predicates, on the training batch's outputs, so a
    checked reading whatever the model's probability (a public conditional DCGAN logged D(x) 1.000 and D(G(z)) 0.000 over 73 % of its epochs,
    the model gave d_dominant 0.08 there, and a five-row healthy stretch led)."""
    if scores != "probability" or "d_g_z1" not in present:
        return set()
    labels = {s.label for s in segments if s.label in ("d_dominant", "g_dominant")}
    return {lab for lab in labels if _mostly_ruled(segments, lab)}


#: a label is read off the rules where segments the rules agree with hold this share of its rows (a short
#: segment the model alone adds before or after them does not unmake the reading)
RULED_ROW_SHARE = 0.8


def _mostly_ruled(segments, label: str) -> bool:
    """Whether segments of ``label`` that carry the rule that read it hold :data:`RULED_ROW_SHARE` of its rows."""
    segs = [s for s in segments if s.label == label]
    rows = [float(s.evidence.get("rows", 1.0)) for s in segs]
    ruled = sum(r for s, r in zip(segs, rows) if s.rule)
    return bool(segs) and ruled >= RULED_ROW_SHARE * sum(rows)


#: LABELS.md's d_dominant asks D(G(z)) <= 0.05: a BCE fake term -log(1 - D(G(z))) of at most -ln 0.95
D_FAKE_TERM_AT_LABEL = -math.log(1 - 0.05)


def floor_band(floor: tuple) -> float:
    """D's low band at one-sided label smoothing's floor (``metadata.smoothing_floor``: (label, "sum" or "mean",
    floor, share)): the floor plus the most D's fake term can add while D(G(z)) stays within LABELS.md's 0.05
    (half that for a mean of D's terms), 0.376 above the 0.325 of reals smoothed to 0.9 and summed. A D loss
    below it keeps D(G(z)) under 0.05 on average, whatever the real term adds."""
    return floor[2] + D_FAKE_TERM_AT_LABEL * (1.0 if floor[1] == "sum" else 0.5)


def floor_ruled(segments, meta) -> set[str]:
    """``d_dominant`` where its segments that carry the rule hold :data:`RULED_ROW_SHARE` of its rows and D's
    BCE loss bottoms out at one-sided label smoothing's floor (``metadata.smoothing_floor``). There the rule's band is :func:`floor_band`, below which
    D's loss itself fixes its outputs: D(G(z)) within LABELS.md's 0.05 on average (the fake term's excess,
    -log(1 - D(G(z))), is at most -ln 0.95) and D(x) near the smoothed label, LABELS.md's d_dominant, so a
    checked reading whatever the model's probability (a public MNIST notebook at the 0.325 floor on 72 % of its
    rows, collapsed to one digit, led with a five-row healthy stretch; another, at 0.364-0.373 with G at 13-20,
    collapsed to one digit too)."""
    if not one_sided_floor(meta):
        return set()
    return {"d_dominant"} if _mostly_ruled(segments, "d_dominant") else set()


def one_sided_floor(meta) -> bool:
    """Whether D's loss sits at the floor of real labels smoothed on one side only, the fakes' target still 0
    (``metadata.smoothing_floor`` read with the run's own reduction: 0.325 as a sum, 0.1625 as a mean). At
    0.325 read as a mean, both sides were smoothed (0.9 / 0.1): D(G(z)) sits at 0.1 there, no d_dominant."""
    floor = meta.smoothing_floor
    return floor is not None and floor[1] == meta.d_loss_reduction


def weak_labels(segments, steps: np.ndarray, shown: bool, ruled=frozenset()) -> set[str]:
    """The pathologies read too weakly to be the main finding: a mean confidence over the run
    (:func:`label_confidence`) under :data:`MAIN_MIN_CONFIDENCE`, or for divergence the log does not
    show (``shown`` false), under :data:`UNSHOWN_DIVERGENCE_MIN_CONFIDENCE`; not one the rules read off D's
    logged outputs on every segment (``ruled``, :func:`outputs_ruled`)."""
    out = set()
    for lab in {s.label for s in segments if s.label in SEVERITY}:
        if (lab == "divergence" and shown) or lab in ruled:
            continue
        floor = UNSHOWN_DIVERGENCE_MIN_CONFIDENCE if lab == "divergence" else MAIN_MIN_CONFIDENCE
        if label_confidence(segments, steps, lab) < floor:
            out.add(lab)
    return out


def _lr_changes(cfg) -> list:
    """The logged learning rates that froze or jumped mid-run (``log_facts.frozen_from`` /
    ``raised_from``), for the JSON: column, change, step, the rate there and its first value."""
    out = []
    for column, change, found in (("lr_d", "frozen", cfg.lr_d_frozen), ("lr_g", "frozen", cfg.lr_g_frozen),
                                  ("lr_d", "raised", cfg.lr_d_raised), ("lr_g", "raised", cfg.lr_g_raised)):
        if found is not None:
            out.append({"column": column, "change": change, "step": found[0], "lr": found[1], "first": found[2]})
    return out


def _recovery(segments, steps: np.ndarray, worst: str, passable=frozenset()) -> tuple[str, tuple | None]:
    """For a main finding the run recovered from: its label's last segment is followed by healthy (or
    warm-up) segments only, to the end of the log, on at least :data:`RECOVERED_MIN_SHARE` of the
    logged rows: the phrase that says so (else ""), and, where that healthy end holds most of the rows
    (:data:`RECOVERED_LEADS_SHARE`), (its first step, its share, the finding's last step) for a headline
    that leads with it (else None). Segments of a ``passable`` label (a reading the log cannot check, listed as
    unconfirmed) may stand before that end, which counts from the first healthy segment after the finding, and
    within it on at most :data:`PASSABLE_IN_END_SHARE` of its rows (held-out batch 611/03b: g_dominant 50-375, an
    unconfirmed oscillation 400-675, healthy 700-1500 to the end, had led with g_dominant; 615/02a: g_dominant
    40-160, healthy 170-830, an unconfirmed stagnation 840-920)."""
    last = max((s for s in segments if s.label == worst), key=lambda s: s.end_step)
    after = [s for s in segments if s.start_step > last.end_step]
    while after and after[0].label in passable:
        after = after[1:]
    if (not after or after[0].label not in ("healthy", "warmup")
            or any(s.label not in ("healthy", "warmup") and s.label not in passable for s in after)):
        return "", None
    steps = np.asarray(steps)
    in_end = np.count_nonzero(steps >= after[0].start_step)
    unchecked = sum(np.count_nonzero((steps >= s.start_step) & (steps <= s.end_step)) for s in after
                    if s.label in passable)
    if unchecked > PASSABLE_IN_END_SHARE * in_end:
        return "", None
    share = in_end / max(len(steps), 1)
    if share < RECOVERED_MIN_SHARE:
        return "", None
    healed = (after[0].start_step, share, last.end_step) if share >= RECOVERED_LEADS_SHARE else None
    return (f"; it ended at step {last.end_step}: read as healthy from step {after[0].start_step} to the end of the "
            f"log ({share:.0%} of logged steps)"), healed


def _run_advice(segments, seg_advice, worst, main_seg, meta, cannot=frozenset(), recovered: bool = False,
                lead: tuple = ()) -> list:
    """Advice for the run, each rule (:class:`~ganalyze.diagnose.advice.Advice` key) once: ``lead`` first (the
    samples a notebook shows), then the configuration's (loss type, lr ratio, update ratio),
    then the main finding's segment advice, then other segments' (advice for a brief, past
    blip is prefixed with its steps so it does not read as the verdict; advice for a label the log
    cannot check, or whose own levels contradict it, ``cannot``, with "if the samples confirm it",
    since only they can)."""
    def brief(s):
        return s.label in SEVERITY and s.label != worst and s is not segments[-1]

    items = [(x, "") for x in lead] + [(x, "") for x in run_advice({s.label for s in segments if not brief(s)}, meta)]
    order = sorted(range(len(segments)), key=lambda i: (segments[i] is not main_seg, i))
    for i in order:
        s = segments[i]
        tag = (f"(steps {s.start_step}-{s.end_step}, brief) " if brief(s)
               else f"(steps {s.start_step}-{s.end_step}, since recovered) " if recovered and s.label == worst else "")
        if s.label in cannot:
            tag += f"(if the samples confirm {s.label}) "
        items += [(x, tag) for x in seg_advice[i]]
    out, seen = [], set()
    for x, tag in items:
        if x.key in seen:
            continue
        seen.add(x.key)
        out.append(tag + x.render())
    return out


#: the headline says its label comes back at the end where the stretch between holds this share of the logged span
#: (set a priori: a short break in one reading is no return)
AGAIN_GAP = 0.2


#: a log whose rows carry no step is told how to give its iterations up to this many rows (more rows
#: than a run has epochs: such a log is rarely one row per epoch)
ROW_HINT_MAX_ROWS = 1000


#: ... and an "epoch" counter logged on more rows than this counts iterations: runs logged once per
#: true epoch rarely pass a couple of thousand epochs, Keras-style loops that call each batch an
#: epoch run for tens of thousands (set a priori)
EPOCH_ROWS_MAX = 2000


#: ``step_from`` of a log whose rows carry no step (a print without a counter, a dumped list of losses)
ROW_STEPPED = ("row number", "pandas index column")
#: ... such a log of at most :data:`ROW_HINT_MAX_ROWS` rows is read as this many training iterations per
#: row: prints inside a batch loop come every k batches. Measured on loops 12-14, which the shipped model
#: never saw (``python scripts/eval_row_logs.py --max-runs 40 --scales 1,10,25``: single-step rows every
#: 1 / 10 / 100 iterations, macro-F1 with the diversity column 0.51 / 0.25 / 0.07 read one iteration a row,
#: 0.31 / 0.52 / 0.25 read ten, 0.27 / 0.46 / 0.38 read 25; from losses, D outputs and gradient norms
#: 0.29 / 0.12 / 0.05, 0.23 / 0.28 / 0.14, 0.22 / 0.25 / 0.16). Ten was chosen off that table (in-sample for
#: the choice among three); a longer log is more often a list of every iteration's losses and is read as one a row
ROW_STEPS = 10


def logged_step_iterations(step_from: str | None, steps: np.ndarray) -> int:
    """Training iterations per logged step where the log does not give them: :data:`EPOCH_STEPS` for
    a log of one row per epoch (:func:`epoch_rows`), :data:`ROW_STEPS` for a log of at most
    :data:`ROW_HINT_MAX_ROWS` rows that carry no step, else 1."""
    if epoch_rows(step_from, steps):
        return EPOCH_STEPS
    if step_from in ROW_STEPPED and 1 < len(steps) <= ROW_HINT_MAX_ROWS:
        return ROW_STEPS
    return 1


def epoch_rows(step_from: str | None, steps: np.ndarray) -> bool:
    """Whether a log holds one row per epoch (stepped by its epoch, consecutive epochs a median 1
    apart, at most :data:`EPOCH_ROWS_MAX` rows): read as :data:`EPOCH_STEPS` iterations each. An
    "epoch" counter that moves on by more per row, or runs to tens of thousands, is no such log:
    Keras-style scripts call each training iteration an epoch and print every k; unless the notebook's
    code says its epochs are passes over the data (:data:`TRUE_EPOCHS`: a print every k true epochs, each
    then read as :data:`EPOCH_STEPS` iterations, so its rows stand k times that apart)."""
    if step_from == TRUE_EPOCHS:
        return 1 < len(steps) <= EPOCH_ROWS_MAX
    return (step_from in EPOCH_STEPPED and 1 < len(steps) <= EPOCH_ROWS_MAX
            and float(np.median(np.diff(steps))) <= 1)


def _code_true_epochs(attrs) -> tuple | None:
    """The notebook's ``(N, why)`` that its epochs are passes over the data, printed every N (``attrs["code_true_epochs"]``),
    or None."""
    value = (attrs or {}).get("code_true_epochs")
    return tuple(value) if isinstance(value, (tuple, list)) and len(value) == 2 and isinstance(value[1], str) else None


def _epochs_hint(step_from: str | None, steps: np.ndarray) -> str:
    """A log whose steps are epochs is read as :data:`EPOCH_STEPS` iterations per epoch, one whose
    rows carry no step as one iteration per row: say so, and the option that gives the real iterations."""
    if step_from in ROW_STEPPED and 0 < len(steps) <= ROW_HINT_MAX_ROWS:
        if len(steps) == 1:
            return (" (its one row carries no step; if it is an epoch or N iterations, give --step-from row*N, "
                    "read_run(step_from='row*N'))")
        return (f" (its rows carry no step: read as {ROW_STEPS} training iterations each, {len(steps)} in all, as a "
                f"print every {ROW_STEPS} batches; if a row is an epoch or N iterations, give --step-from row*N, "
                "read_run(step_from='row*N'))")
    if step_from == TRUE_EPOCHS and epoch_rows(step_from, steps) and (gap := int(np.median(np.diff(steps)))) > 1:
        return (f" (its steps are epochs printed every {gap}, as the notebook's code loops over batches inside each "
                f"epoch: read as {EPOCH_STEPS} training iterations each, so its rows stand {gap * EPOCH_STEPS} "
                "iterations apart; give the real iterations per row with --step-from row*N, read_run(step_from='row*N'))")
    if step_from not in (*EPOCH_STEPPED, TRUE_EPOCHS) or not len(steps):
        return ""
    if not epoch_rows(step_from, steps):
        gap = int(np.median(np.diff(steps))) if len(steps) > 1 else 1
        how = f"printed every {gap}" if gap > 1 else f"on {len(steps)} row{'s' if len(steps) != 1 else ''}"
        return (f" (its steps are an 'epoch' counter {how}: read as training iterations, as scripts that call "
                "each iteration an epoch write it; if they are true epochs, give the iterations per epoch with "
                "--step-from row*N, read_run(step_from='row*N'))")
    return (f" (its steps are epochs, one row each, {int(steps[-1]) - int(steps[0]) + 1} in all, read as "
            f"{EPOCH_STEPS} training iterations each: the windows are in iterations; give the real iterations per "
            "epoch with --step-from row*N, read_run(step_from='row*N'))")
