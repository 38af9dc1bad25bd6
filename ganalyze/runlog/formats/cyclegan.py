"""pix2pix / CycleGAN ``loss_log.txt`` (junyanz/pytorch-CycleGAN-and-pix2pix and the many repos
built on it: BicycleGAN, DeblurGAN, AttentionGAN, GANILLA, ...).

Lines ``(epoch: 1, iters: 100, time: 0.512, data: 0.254) D_A: 0.31 G_A: 0.45 cycle_A: 1.2 ...``
(also behind a ``[Rank 0]`` prefix and with commas between the values, as console copies of the
same print have); each ``===== Training Loss (date) =====`` header starts a (re)start, whose
rows replace the earlier rows from its first step on; a line back at the file's first (epoch,
iters) starts another run written after the first (``run1`` .. ``runN``, :func:`run_bounds`),
unless its first losses go on from where the run before it ended (``--continue_train`` with the
default ``--epoch_count 1``: :func:`chain_continued_runs`). ``iters`` counts images within the epoch
(iterations at the default batch size 1); step = (epoch - 1) x images per epoch + iters. Images
per epoch (the file does not say, so a guess, made per session since a restart may use other
data): the code prints when the session's image count reaches a multiple of ``print_freq``, so
where ``iters`` wraps at an epoch change, images per epoch = print interval + the epoch's last
``iters`` - the next epoch's first ``iters`` (the median over the session's epoch changes);
without an epoch change, the file's figure from the sessions that have one, else the largest
``iters``. A session whose ``iters`` keeps growing across
epoch changes counts images since it began (some forks): there step = ``iters``. A session whose
counter goes back 3 or more times holds the lines of two runs written at once (two processes on
one file): refused with a line saying so, since no rule tells which line belongs to which run.

CycleGAN (``D_A``/``G_A`` and ``D_B``/``G_B``): two runs, ``A`` and ``B`` (pick one with
``pair``); the other losses (``cycle_*``, ``idt_*``) stay as extra columns.
pix2pix (``G_GAN``, ``D_real``, ``D_fake``): d_loss = (D_real + D_fake) / 2, as its loss_D.
ComboGAN (``D: a, b, c, d | G: ...``, one value per domain): one run per domain, ``1`` .. ``n``.
SPADE/GauGAN and its forks (``GAN``, ``GAN_Feat``, ``VGG``, ``D_Fake``, ``D_real``): d_loss =
D_Fake + D_real (a sum, as its D loss), g_loss = GAN; loss hinge (its default ``--gan_mode``; the
``opt.txt`` beside the log says ``ls``, ``original``, ``w`` or ``hinge``).
BicycleGAN (``G_GAN``, ``D``, ``G_L1``, ``z_L1``, ``kl``): least squares with plain MSE terms, each
GAN term summed over ``--num_Ds`` (2) discriminator outputs, so d_loss = D / num_Ds (a sum of the
real and fake terms) and g_loss = G_GAN / num_Ds; ``train_opt.txt`` beside the log states both.
Other models of the family: ``D`` or ``D_real+fake`` (DeblurGAN, a critic loss) is
d_loss, ``D_real`` / ``D_fake`` beside it D's loss terms, and ``G_GAN`` (else ``G``) g_loss. E-GAN's
Visualizer prints ``giters`` (its ``total_iters``) in place of ``iters``: the step itself.
"""
from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.runlog.formats.common import NUM, NotThisFormat, Parsed
from ganalyze.runlog.formats.steps import appended_run_bounds

_HEADER = re.compile(r"^=+\s*Training Loss\s*\((.*)\)\s*=+\s*$")
# another section's header in a fork's loss_log ("===== Validation Loss (date) =====", "===== Model Saved
# (..) ====="): the rows under a validation header, printed in the training format, are no training steps
_OTHER_HEADER = re.compile(r"^=+\s*([A-Za-z][\w ]*?)\s*(?:\(.*\))?\s*=+\s*$")
_ROW = re.compile(r"^\s*(?:\[[^\]]*\]\s*)*\(epoch:\s*(\d+),\s*(iters|giters|total_iters):\s*(\d+)(?:,\s*time:\s*(" + NUM
                  + r"))?(?:,\s*data:\s*(" + NUM + r"))?\)\s*(.*)$")
#: counters of the run's iterations (E-GAN's Visualizer prints its total_iters as ``giters``), not of images in an epoch
GLOBAL_COUNTERS = ("giters", "total_iters")
NO_EPOCH_COMPLETED = "(no epoch completed)"
INTERLEAVED_BACKS = 3        # counter going back this often inside one session: two writers
_VALUE = re.compile(r"([A-Za-z_][\w+]*)\s*:\s*(" + NUM + r"(?:\s*,\s*" + NUM + r"(?![\w.]))*)")
LOOKS_LIKE = re.compile(r"^\s*(?:\[[^\]]*\]\s*)*\(epoch:\s*\d+,\s*iters:\s*\d+", re.MULTILINE)


def parse_loss_log(text: str) -> list[Parsed]:
    """Parse a loss_log.txt (module doc); one Parsed per generator/discriminator pair and run."""
    rows, segments, seg, headers = [], [], 0, 0
    validation = skipped = 0
    for line in text.splitlines():
        if _HEADER.match(line):
            headers += 1
            validation = 0
            if rows:
                seg += 1
            continue
        if (other := _OTHER_HEADER.match(line)) is not None:
            validation = "valid" in other.group(1).lower()      # any other section's header ends it
            continue
        m = _ROW.match(line)
        if not m:
            continue
        if validation:
            skipped += 1
            continue
        row = {"epoch": int(m.group(1)), "iters_in_epoch" if m.group(2) == "iters" else "iters_total": int(m.group(3))}
        if m.group(4) is not None:
            row["time_per_image_s"] = float(m.group(4))
        if m.group(5) is not None:
            row["data_time_s"] = float(m.group(5))
        for k, v in _VALUE.findall(m.group(6)):
            values = [float(x) for x in v.split(",")]
            if len(values) == 1:
                row[k] = values[0]
            else:                     # ComboGAN: one value per domain, "D: 0.11, 0.10, 0.11, 0.13"
                row.update({f"{k}_{j}": x for j, x in enumerate(values, start=1)})
        rows.append(row)
        segments.append(seg)
    if not rows:
        raise NotThisFormat("no '(epoch: N, iters: N, ...) NAME: value' line")
    if skipped:
        warnings.warn(f"skipping {skipped} row(s) under 'Validation Loss' headers: they are evaluations printed in the "
                      "training format, not training steps", stacklevel=2)
    frame = pd.DataFrame.from_records(rows)
    epoch = frame["epoch"].to_numpy()
    total = "iters_total" in frame.columns and "iters_in_epoch" not in frame.columns
    iters = frame["iters_total" if total else "iters_in_epoch"].ffill().fillna(0).to_numpy(dtype="int64")
    segs = np.asarray(segments)
    step = np.empty(len(frame), dtype="int64")
    how, sizes = [], {}
    for s in np.unique(segs):
        at = np.flatnonzero(segs == s)
        back = int(((np.diff(epoch[at]) < 0) | ((np.diff(epoch[at]) == 0) & (np.diff(iters[at]) < 0))).sum())
        if back >= INTERLEAVED_BACKS:
            raise GanalyzeError(f"the lines of two or more runs are interleaved in this loss_log: within one "
                                f"'Training Loss' session the (epoch, iters) counter goes back {back} times (two "
                                "processes wrote the same file); allowed: one run per loss_log (split the lines "
                                "by run, e.g. by their checkpoints directory)")
        sizes[s] = (None, "") if total else images_per_epoch(epoch[at], iters[at])
    # a session that completed no epoch shows only a lower bound on its images per epoch: it takes
    # the figure of the file's sessions that did (a short resumed session's own guess put its steps
    # inside the first session's range, whose later rows it then replaced)
    known = [per for per, why in sizes.values() if per is not None and not why.endswith(NO_EPOCH_COMPLETED)]
    for s, (per, why) in sizes.items():
        if per is not None and why.endswith(NO_EPOCH_COMPLETED) and known:
            borrowed = int(np.median(known))
            if borrowed >= per:
                sizes[s] = (borrowed, f"{borrowed} images per epoch in a session that completed no epoch: "
                                      "the figure of the file's sessions that did")
    for s, (per, why) in sizes.items():
        at = np.flatnonzero(segs == s)
        step[at] = iters[at] if per is None else (epoch[at] - 1) * per + iters[at]
        if why not in how:
            how.append(why)
    frame.insert(0, "step", step)
    frame["epoch"] = epoch - 1
    if total:
        guesses = {}
        meta_step = {"step_from": "giters / total_iters: the run's iteration counter"}
    else:
        guesses = {"step_from": ("(epoch - 1) x images per epoch + iters", "; ".join(how) +
                                 " (iters counts images: iterations at batch size 1)")}
        meta_step = {}
    bounds, chained = chain_continued_runs(frame, _fresh_sessions(run_bounds(epoch, iters), segs, epoch, iters))
    if chained:     # a script run again with --continue_train and the default --epoch_count 1 prints
        # from epoch 1 again while its networks go on from the checkpoint
        value, why = guesses.get("step_from", ("iters", ""))
        guesses["step_from"] = (value, "; ".join([why, *chained]).strip("; "))
    out = []
    for k, (a, b) in enumerate(bounds, start=1):
        part_segs = segs[a:b]
        meta = {"restarts": len(np.unique(part_segs)) - 1, "epoch_printed_from": 1, **meta_step}
        if len(bounds) > 1:
            meta["runs_in_file"] = len(bounds)
        for parsed in _family_runs(frame.iloc[a:b].reset_index(drop=True), part_segs, meta, dict(guesses)):
            if len(bounds) > 1:
                parsed.suffix = f"run{k}" if parsed.suffix is None else f"{parsed.suffix}_run{k}"
            out.append(parsed)
    return out


def _print_interval(epoch: np.ndarray, iters: np.ndarray) -> int | None:
    """The median step of ``iters`` between consecutive rows of one epoch (None without two)."""
    same = np.diff(epoch) == 0
    gaps = np.diff(iters)[same]
    gaps = gaps[gaps > 0]
    return int(np.median(gaps)) if len(gaps) else None


def _fresh_sessions(bounds: list, segs: np.ndarray, epoch: np.ndarray, iters: np.ndarray) -> list:
    """``bounds`` with a run also starting at each 'Training Loss' session that prints from the
    file's first epoch again at another print interval than the session before it (a new
    configuration started from scratch: its rows must not replace the earlier run's as a resume's
    would; :func:`run_bounds` only sees a line back at the file's first (epoch, iters))."""
    starts = [int(np.flatnonzero(segs == s)[0]) for s in np.unique(segs)]
    cuts = set()
    for prev, start, end in zip(starts, starts[1:], [*starts[2:], len(segs)]):
        if epoch[start] != epoch.min():
            continue
        before, after = (_print_interval(epoch[a:b], iters[a:b]) for a, b in ((prev, start), (start, end)))
        if before is not None and after is not None and before != after:
            cuts.add(start)
    if not cuts:
        return bounds
    out = []
    for a, b in bounds:
        inner = sorted(c for c in cuts if a < c < b and b - c > 1 and c - a > 1)
        out += [(x, y) for x, y in zip([a, *inner], [*inner, b])]
    return out


def run_bounds(epoch: np.ndarray, iters: np.ndarray) -> list[tuple[int, int]]:
    """Row ranges of the runs a loss_log holds one after another: the code appends to the file, so
    a script started again from scratch (or with ``--continue_train`` and the default
    ``--epoch_count 1``) prints from the file's first (epoch, iters) again. Such a line starts
    another run (``run1`` .. ``runN``) instead of its rows replacing the earlier run's, as a
    resume's rows do (a resume starts later: at ``--epoch_count``). One range when no line goes
    back that far, or when a run would hold a single line (an aborted start is no run)."""
    return appended_run_bounds(epoch.astype(np.int64) * (int(iters.max()) + 1) + iters)


#: rows at each end of a run whose median losses tell a continued run from one started from scratch
CONTINUE_ROWS = 3
#: a run continues the one before when its first losses are this much nearer (in log ratio) to where
#: that run ended than to where the file's first run began
CONTINUE_MARGIN = 2.0
_NOT_LOSSES = {"step", "epoch", "iters_in_epoch", "iters_total", "time_per_image_s", "data_time_s"}


def chain_continued_runs(frame: pd.DataFrame, bounds: list) -> tuple[list, list[str]]:
    """Appended runs (:func:`run_bounds`) that go on from the run before them rather than from
    scratch, chained into it: their first losses (median of :data:`CONTINUE_ROWS` rows, every
    logged loss) are :data:`CONTINUE_MARGIN` times nearer, as the median absolute log ratio, to the
    previous run's last losses than to the file's first run's first losses. Their steps are moved
    on by the previous run's last step (``frame["step"]`` is changed in place). Returns the
    bounds left and a sentence saying which runs were chained and why (none: an empty list)."""
    if len(bounds) < 2:
        return bounds, []
    cols = [c for c in frame.columns if c not in _NOT_LOSSES and pd.api.types.is_numeric_dtype(frame[c])]
    values = frame[cols].to_numpy(dtype=np.float64)
    step = frame["step"].to_numpy(copy=True)

    def level(a, b):
        with warnings.catch_warnings():      # a loss that is NaN on every row there: no level
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanmedian(np.where(np.isfinite(values[a:b]), values[a:b], np.nan), axis=0)

    def distance(x, y):
        with np.errstate(all="ignore"):
            r = np.abs(np.log(np.abs(x) + 1e-3) - np.log(np.abs(y) + 1e-3))
        return float(np.nanmedian(r)) if np.isfinite(r).any() else np.nan

    fresh = level(bounds[0][0], bounds[0][0] + CONTINUE_ROWS)
    out, why = [list(bounds[0])], []
    for k, (a, b) in enumerate(bounds[1:], start=2):
        start, prev_end = level(a, a + CONTINUE_ROWS), level(out[-1][1] - CONTINUE_ROWS, out[-1][1])
        near, scratch = distance(start, prev_end), distance(start, fresh)
        if np.isfinite(near) and np.isfinite(scratch) and scratch >= CONTINUE_MARGIN * max(near, 0.05):
            offset = int(step[out[-1][1] - 1])
            step[a:b] = step[a:b] + offset
            why.append((k, np.exp(near), np.exp(scratch)))
            out[-1][1] = b
        else:
            out.append([a, b])
    frame["step"] = step
    if not why:
        return [tuple(x) for x in out], []
    k, near, scratch = (np.array(x) for x in zip(*why))
    span = (lambda v: f"{v.min():.2f}x" if v.min() == v.max() else f"{v.min():.2f}-{v.max():.2f}x")  # noqa: E731
    said = (f"{'run' if len(k) == 1 else 'runs'} {', '.join(str(int(x)) for x in k)} of the file continue the run "
            f"before them, so their steps count on from its last: their first losses are {span(near)} from where "
            f"that run ended and {span(scratch)} from where the file's first run began (an epoch counter back at 1 "
            "after --continue_train)")
    return [tuple(x) for x in out], [said]


def _family_runs(frame: pd.DataFrame, segs: np.ndarray, meta: dict, guesses: dict) -> list[Parsed]:
    """One run's rows as the model family that printed them defines its runs (module doc)."""
    names = set(frame.columns)
    if {"D_A", "G_A", "D_B", "G_B"} <= names:
        meta["source_format"] = "cyclegan-loss-log"
        guesses["loss"] = ("lsgan", "CycleGAN's default --gan_mode lsgan")
        guesses["lsgan_terms"] = ("plain", "CycleGAN's GANLoss is nn.MSELoss, (D - target)^2 without the LSGAN paper's 1/2")
        guesses["d_loss_reduction"] = ("mean", "CycleGAN's loss_D = (loss_D_real + loss_D_fake) * 0.5")
        out = []
        for me, other in (("A", "B"), ("B", "A")):
            part = frame.drop(columns=[f"D_{other}", f"G_{other}"])
            out.append(Parsed(frame=part, meta={**meta, "pair": me}, guesses=dict(guesses), segments=segs,
                              suffix=me, fixed={f"D_{me}": "d_loss", f"G_{me}": "g_loss"}))
        return out
    domains = sorted(int(c[2:]) for c in names if re.fullmatch(r"D_\d+", c) and f"G_{c[2:]}" in names)
    if len(domains) > 1 and "D" not in names:
        meta["source_format"] = "combogan-loss-log"
        guesses["loss"] = ("lsgan", "ComboGAN (built on the CycleGAN code) trains with least squares")
        guesses["lsgan_terms"] = ("plain", "ComboGAN's GAN loss is nn.MSELoss, (D - target)^2 without the LSGAN paper's 1/2")
        guesses["d_loss_reduction"] = ("mean", "ComboGAN's D loss per domain = (real + fake) * 0.5, as CycleGAN's")
        out = []
        for k in domains:
            others = [f"{x}_{j}" for j in domains if j != k for x in ("D", "G")]
            out.append(Parsed(frame=frame.drop(columns=others), meta={**meta, "pair": str(k)}, guesses=dict(guesses),
                              segments=segs, suffix=str(k), fixed={f"D_{k}": "d_loss", f"G_{k}": "g_loss"}))
        return out
    if {"G_GAN", "D_real", "D_fake"} <= names and names & {"G_GAN_Feat", "G_VGG"}:
        return [_multiscale_run(
            frame, meta, guesses, segs, "pix2pixhd-loss-log", "pix2pixHD", "mean",
            "(D_real + D_fake) / 2 / num_D, as pix2pixHD's loss_D, per discriminator",
            "pix2pixHD's default (no --no_lsgan): least squares", PIX2PIXHD_SUMMED, PIX2PIXHD_NUM_D, "--num_D",
            {"G_GAN": "g_loss", "D_real": "d_loss_real", "D_fake": "d_loss_fake"})]
    if {"G_GAN", "D_real", "D_fake"} <= names:
        meta["source_format"] = "pix2pix-loss-log"
        meta["d_loss_reduction"] = "mean"
        meta["d_loss_from"] = "(D_real + D_fake) / 2, as pix2pix's loss_D"
        guesses["loss"] = ("nsgan", "pix2pix's default --gan_mode vanilla: BCE, G trained on real labels")
        frame["d_loss"] = 0.5 * (frame["D_real"] + frame["D_fake"])
        return [Parsed(frame=frame, meta=meta, guesses=guesses, segments=segs,
                       fixed={"G_GAN": "g_loss", "D_real": "d_loss_real", "D_fake": "d_loss_fake"})]
    spade = _spade_names(names)
    if spade is not None:
        fake, real = spade
        meta["source_format"] = "spade-loss-log"
        meta["d_loss_reduction"] = "sum"
        meta["d_loss_from"] = f"{fake} + {real}, as SPADE's D loss (the sum of its D_losses)"
        guesses["loss"] = ("hinge", "SPADE/GauGAN's default --gan_mode hinge (its GAN terms are averaged over the "
                                    "multi-scale discriminators, so they are one discriminator's levels)")
        frame["d_loss"] = frame[fake] + frame[real]
        return [Parsed(frame=frame, meta=meta, guesses=guesses, segments=segs,
                       fixed={"GAN": "g_loss", real: "d_loss_real", fake: "d_loss_fake"})]
    if {"G_GAN", "D"} <= names and names & {"z_L1", "kl"}:
        return [_multiscale_run(
            frame, meta, guesses, segs, "bicyclegan-loss-log", "BicycleGAN", "sum",
            "D / num_Ds, BicycleGAN's loss_D = loss_D_fake + loss_D_real, per discriminator",
            "BicycleGAN's default --gan_mode lsgan", BICYCLEGAN_SUMMED, BICYCLEGAN_NUM_DS, "--num_Ds",
            {"G_GAN": "g_loss", "D": "d_loss"})]
    meta["source_format"] = "cyclegan-loss-log"
    fixed = {}
    d_name = next((n for n in ("D", "D_real+fake") if n in names), None)
    if d_name is not None:
        fixed[d_name] = "d_loss"
        # this code's D_real / D_fake are D's loss terms (loss_D_real, loss_D_fake), never its outputs
        fixed.update({n: f"d_loss_{n[2:]}" for n in ("D_real", "D_fake") if n in names})
    g_name = next((n for n in ("G_GAN", "G") if n in names), None)
    if g_name is not None:
        fixed[g_name] = "g_loss"
    if d_name == "D_real+fake" and (frame[d_name] < 0).any():
        guesses["loss"] = ("wgan-gp", "its D_real+fake goes negative: a critic (Wasserstein) loss, as DeblurGAN's")
    return [Parsed(frame=frame, meta=meta, guesses=guesses, segments=segs, fixed=fixed)]


def _spade_names(names: set) -> tuple[str, str] | None:
    """SPADE/GauGAN's printed names (``GAN``, ``D_Fake``, ``D_real``; forks vary the case):
    (fake term, real term), or None when the log is not of that shape."""
    fake = next((n for n in ("D_Fake", "D_fake") if n in names), None)
    real = next((n for n in ("D_real", "D_Real") if n in names), None)
    if "GAN" in names and fake and real:
        return fake, real
    return None


_OPTION = re.compile(r"^\s*([A-Za-z_]\w*)\s*:\s*(\S+)")
# CycleGAN/pix2pix's gan_mode values, then SPADE's (ls, original, w: its Wasserstein loss without a penalty,
# read with the critic family's levels as the original WGAN code's logs are)
_GAN_MODES = {"lsgan": "lsgan", "vanilla": "nsgan", "wgangp": "wgan-gp", "hinge": "hinge",
              "ls": "lsgan", "original": "nsgan", "w": "wgan-gp"}


#: pix2pixHD's GAN terms, summed over its --num_D multi-scale discriminators (2 by default)
PIX2PIXHD_SUMMED = ("G_GAN", "D_real", "D_fake")
PIX2PIXHD_NUM_D = 2


def per_discriminator(frame: pd.DataFrame, num_d: int, summed: tuple = PIX2PIXHD_SUMMED) -> None:
    """Printed sums over ``num_d`` discriminators (``summed``, kept as ``<name>_sum_over_D``) -> one
    discriminator's levels, in place; pix2pixHD's d_loss is then (D_real + D_fake) / 2."""
    for c in summed:
        frame[c] = frame[f"{c}_sum_over_D"] / num_d
    if {"D_real", "D_fake"} <= set(summed):
        frame["d_loss"] = 0.5 * (frame["D_real"] + frame["D_fake"])


def _multiscale_run(frame, meta, guesses, segs, fmt: str, code: str, reduction: str, d_from: str, loss_why: str,
                    summed: tuple, num_d: int, option: str, fixed: dict) -> Parsed:
    """A least-squares model of the family whose printed GAN terms (``summed``) are sums over ``num_d``
    discriminators (pix2pixHD, BicycleGAN): plain MSE terms, read per discriminator (module doc)."""
    meta.update(source_format=fmt, d_loss_reduction=reduction, d_loss_from=d_from)
    guesses["loss"] = ("lsgan", loss_why)
    guesses["lsgan_terms"] = ("plain", f"{code}'s GANLoss is nn.MSELoss, (D - target)^2 without the LSGAN paper's 1/2")
    frame = frame.rename(columns={c: f"{c}_sum_over_D" for c in summed})
    per_discriminator(frame, num_d, summed)
    guesses["num_D"] = (num_d, f"{code}'s default {option} {num_d}: its GAN terms are summed over the multi-scale "
                               f"discriminators, so {', '.join(summed)} are divided by it (the printed sums are in "
                               "<name>_sum_over_D); train_opt.txt beside the log states it")
    return Parsed(frame=frame, meta=meta, guesses=guesses, segments=segs, fixed=fixed)


#: BicycleGAN's GAN terms (the encoded-z branch's D and G), summed over its --num_Ds outputs (2 by default)
BICYCLEGAN_SUMMED = ("G_GAN", "D")
BICYCLEGAN_NUM_DS = 2


def apply_options_file(parsed: Parsed, folder) -> None:
    """What the run's own ``train_opt.txt`` / ``opt.txt`` (written beside the loss_log by the
    CycleGAN/pix2pix code and pix2pixHD) says: ``gan_mode`` (CycleGAN/pix2pix; ``no_lsgan`` for
    pix2pixHD) gives the loss, stated by the file rather than guessed from the code's default;
    ``lr`` the learning rate of both networks (``hparams``); pix2pixHD's ``num_D`` the number of
    discriminators its printed GAN terms are summed over; ``batch_size`` (``batchSize``) the images
    per iteration, which ``iters`` counts (:func:`images_to_iterations`)."""
    from pathlib import Path

    path = next((Path(folder) / n for n in ("train_opt.txt", "opt.txt") if (Path(folder) / n).is_file()), None)
    if path is None:
        return
    opts = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[:400]:
        if m := _OPTION.match(line):
            opts.setdefault(m.group(1), m.group(2))
    loss = _GAN_MODES.get(opts.get("gan_mode", ""))
    if loss is None and opts.get("no_lsgan") in ("True", "False"):
        loss = "nsgan" if opts["no_lsgan"] == "True" else "lsgan"
    if loss is not None and "loss" not in parsed.meta:
        parsed.guesses.pop("loss", None)
        parsed.meta["loss"] = loss
        parsed.meta["loss_from"] = f"{path.name}: " + (f"gan_mode {opts['gan_mode']}" if "gan_mode" in opts
                                                        else f"no_lsgan {opts['no_lsgan']}")
        if loss != "lsgan":
            parsed.guesses.pop("lsgan_terms", None)
        elif parsed.meta.get("source_format") == "spade-loss-log":
            parsed.guesses.setdefault("lsgan_terms", ("plain", "SPADE's GANLoss with gan_mode ls is F.mse_loss, "
                                                               "(D - target)^2 without the LSGAN paper's 1/2"))
    if parsed.meta.get("source_format") == "pix2pixhd-loss-log" and opts.get("num_D", "").isdigit() \
            and int(opts["num_D"]) >= 1:
        parsed.guesses.pop("num_D", None)
        parsed.meta["num_D"] = int(opts["num_D"])
        per_discriminator(parsed.frame, int(opts["num_D"]))
    if parsed.meta.get("source_format") == "bicyclegan-loss-log" and opts.get("num_Ds", "").isdigit() \
            and int(opts["num_Ds"]) >= 1:
        parsed.guesses.pop("num_D", None)
        parsed.meta["num_D"] = int(opts["num_Ds"])
        per_discriminator(parsed.frame, int(opts["num_Ds"]), BICYCLEGAN_SUMMED)
    batch = opts.get("batch_size", opts.get("batchSize", ""))
    if batch.isdigit() and int(batch) > 1 and "step_from" in parsed.guesses:
        images_to_iterations(parsed, int(batch), path.name)
    try:
        lr = float(opts.get("lr", "nan"))
    except ValueError:
        lr = float("nan")
    if np.isfinite(lr) and lr > 0:
        parsed.meta.setdefault("hparams", {"lr_d": lr, "lr_g": lr})
    if batch.isdigit() and int(batch) >= 1:
        parsed.meta.setdefault("hparams", {})["batch_size"] = int(batch)


def images_to_iterations(parsed: Parsed, batch_size: int, source: str) -> None:
    """Steps counted in images (the family's ``iters`` and its total go up by the batch size per
    iteration) as iterations: divided by ``batch_size`` (from the options file ``source``), so the
    diagnosis's windows, stated in optimiser steps, are not ``batch_size`` times too long."""
    frame = parsed.frame
    frame["step"] = np.rint(frame["step"].to_numpy(dtype=np.float64) / batch_size).astype("int64")
    value, why = parsed.guesses["step_from"]
    why = why.replace("(iters counts images: iterations at batch size 1)",
                      f"(iters counts images; {source}: batch_size {batch_size}, so steps are images / {batch_size})")
    parsed.guesses["step_from"] = (f"({value}) / {batch_size}", why)


def images_per_epoch(epoch: np.ndarray, iters: np.ndarray) -> tuple[int | None, str]:
    """Images per epoch of one session's rows (module doc) and why; None when ``iters`` counts
    the session's images (it grows across every epoch change)."""
    change = np.flatnonzero(np.diff(epoch) > 0)
    if len(change) and (iters[change + 1] > iters[change]).all() and (iters[1:] >= iters[:-1]).all():
        return None, "iters grows across epoch changes: it counts the session's images, so it is the step"
    same = np.diff(epoch) == 0
    gaps = np.diff(iters)[same]
    gaps = gaps[gaps > 0]
    if len(change) and len(gaps):
        every = int(np.median(gaps))
        sizes = every + iters[change] - iters[change + 1]
        sizes = sizes[sizes >= iters[change]]
        if len(sizes):
            per = int(np.median(sizes))
            return per, (f"{per} images per epoch: prints every {every} images, and iters wraps from "
                         f"{int(iters[change[0]])} to {int(iters[change[0] + 1])} at an epoch change")
    done = epoch < epoch.max()
    if done.any():
        per = int(iters[done].max())
        return per, f"{per} images per epoch: the largest 'iters' of a completed epoch"
    return int(iters.max()), f"{int(iters.max())} images per epoch: the largest 'iters' seen {NO_EPOCH_COMPLETED}"
