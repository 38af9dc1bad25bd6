"""Column names and values, the same for every format: the user's ``columns`` > the format's
own meaning > aliases (also by a name's last path part, reversed parts, without W&B/Lightning
decorations) > snake_case; text cells to numbers."""
from __future__ import annotations

import re
import warnings

import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.runlog.formats.common import (
    NON_ASCII_WORD,
    REWRITTEN_LABELS,
    ascii_label,
    english_label,
    printed_label_names,
)
from ganalyze.runlog.schema import canonical_column, normalise_name

BATCH_NAMES = {normalise_name(n) for n in ("batch", "batch_idx", "batch_index", "batch_i", "epoch_iter",
                                           "iter_in_epoch", "step_in_epoch", "i")}
N_BATCHES_NAMES = {normalise_name(n) for n in ("n_batches", "num_batches", "total_batches",
                                               "batches_per_epoch", "iters_per_epoch", "steps_per_epoch")}
_PREFIXES = ("train", "training", "main", "trainer", "average", "avg", "mean", "running", "epoch", "res", "result",
             "results")
#: ... and before a loss only (a TF1 WGAN-GP's "batch_loss_D: -0.088, batch_loss_G: -0.94", held-out batch 635/04; a
#: "batch_time" is no wall time)
_LOSS_PREFIX = re.compile(r"(?i)^batch[_ /](?=\w*loss)")
#: ... and words between a network's name and "loss" ("Generator Training Loss", "D train loss")
_INFIXES = re.compile(r"(?i)[ _](?:training|train)(?=[ _]loss\b)")
#: names that are one of ours only where no column has a closer name: a G loss's adversarial term
#: (StarGAN's ``G/loss_fake``, BasicSR's ``l_g_gan``), which is G's loss when the log has no total
#: of its own (a script that also logs ``G/loss`` keeps that as ``g_loss``)
SECOND_CHOICE = {normalise_name(k): v for k, v in (
    ("G_loss_fake", "g_loss"), ("G_loss_adv", "g_loss"), ("l_g_gan", "g_loss"), ("D_loss_adv", "d_loss"),
    ("gan_loss", "g_loss"),      # the Keras DCGAN scripts' combined model: G's loss through the frozen D
    # ... named after the model ("dcgan Loss:  [0.943, 0.102] \t discriminator loss [0.638, 0.660]", Keras
    # train_on_batch's [loss, accuracy], held-out batch 669/04)
    ("dcgan_loss", "g_loss"),
    ("adversarial_loss", "g_loss"),     # PyImageSearch's Keras DCGAN: the combined (adversarial) model's loss
    ("adversarial", "g_loss"))}         # aladdinpersson's ESRGAN: "critic=-7.63, adversarial=0.0216, l1=.., vgg=.."


#: a player's total named as such ("Generator_Loss_Total", "total_D_loss"): the loss itself where the log
#: has no plainer name for it (then the plainer name wins, and the total stays an extra column); D's also with "total"
#: between its name and the loss ("Discriminator total error", held-out batch 651/05; G's so named stays a column of
#: its own: TensorFlow's pix2pix prints "Generator Total Loss" beside its adversarial "Generator GAN Loss")
_TOTAL = re.compile(r"(?i)^total[ _]|[ _]total$|(?<=^discriminator )total (?=(?:loss|error|cost)$)")


def snake(name) -> str:
    """A column name made plain: ``"Some Metric/x"`` -> ``"some_metric_x"``."""
    return re.sub(r"[^0-9a-zA-Z_]+", "_", str(name)).strip("_").lower() or "col"


def fallback_names(raw: str) -> list[str]:
    """Other spellings under which a column may be one of ours: its last path part, its last
    two parts reversed (``dis/loss`` -> ``loss_dis``), without a W&B panel prefix
    (``run-3 - d_loss``), a Lightning ``_step`` suffix, a ``train_``, ``average_``, ``mean_`` or ``epoch_`` prefix, a
    ``total`` word at either end; an
    adversarial term of :data:`SECOND_CHOICE` adds the loss it stands for."""
    out = []
    name = str(raw)
    if " - " in name:
        name = name.split(" - ", 1)[1]
        out.append(name)
    parts = [p for p in re.split(r"[/.]", name) if p]
    if len(parts) > 1:
        out += [parts[-1], "_".join(reversed(parts[-2:])), "_".join(parts[-2:])]
    todo = list(out) + [name]
    for cand in todo:       # (prefixes stripped in turn: torchgan's "Mean Running Discriminator Loss")
        if normalise_name(cand) in SECOND_CHOICE:
            out.append(SECOND_CHOICE[normalise_name(cand)])
        low = cand.lower()
        if low.endswith("_step"):
            out.append(cand[:-5])
        for pre in _PREFIXES:
            if low.startswith((pre + "_", pre + "/", pre + " ")):
                out.append(cand[len(pre) + 1:])
                if len(todo) < 16:
                    todo.append(cand[len(pre) + 1:])
        if _INFIXES.search(cand):
            out.append(_INFIXES.sub("", cand))
        if _LOSS_PREFIX.match(cand):
            out.append(_LOSS_PREFIX.sub("", cand))
        if (bare := _TOTAL.sub("", cand)) != cand and bare:
            out.append(bare)
    return out


def map_columns(columns, user: dict, fixed: dict, source: str) -> dict:
    """raw name -> our name for every column. ``user``: our -> raw (declared, wins);
    ``fixed``: raw -> ours (the format's own meaning); then exact aliases; then fallbacks
    (:func:`_fallback_names`, shortest raw name first); the rest become snake_case."""
    cols = [c for c in columns]
    by_norm = {}
    for c in cols:
        by_norm.setdefault(normalise_name(c), c)
    mapping, taken, declared = {}, {}, set()
    for ours, theirs in user.items():
        raw = theirs if theirs in cols else None
        if raw is None and isinstance(theirs, str) and NON_ASCII_WORD.search(theirs):
            # a label in letters the readers spell in ASCII ("경찰 Loss" -> "gyeongchal Loss"): its letters outside
            # ASCII are no punctuation to drop ("경찰 Loss" is no column "Loss")
            raw = by_norm.get(normalise_name(ascii_label(theirs)))
        if raw is None:
            raw = by_norm.get(normalise_name(theirs))
        if raw is None and isinstance(theirs, str):      # a label the console reader translated ("Perda D")
            raw = by_norm.get(normalise_name(english_label(theirs)))
        if raw is None and isinstance(theirs, str):      # ... or wrote another way ("d1_loss": "d1", D's real term;
            # "Generator 손실함수(g_loss)": "g_loss")
            raw = next((by_norm[n] for c in (*REWRITTEN_LABELS.get(theirs.strip().lower(), ()), *printed_label_names(theirs))
                        if (n := normalise_name(c)) in by_norm), None)
        if raw is None:
            raise GanalyzeError(f"columns: {theirs!r} (for {ours}) is not a column of {source}; "
                                f"available: {', '.join(map(str, cols))}")
        mapping[raw], taken[ours] = ours, raw
        declared.add(ours)
    for raw, ours in fixed.items():
        if raw in cols and raw not in mapping and ours not in taken:
            mapping[raw], taken[ours] = ours, raw
    for raw in cols:
        if raw in mapping:
            continue
        canon = canonical_column(raw)
        if canon is None:
            continue
        if canon in taken:
            if canon in declared:
                continue           # the user chose another column for it: this one stays an extra
            raise GanalyzeError(
                f"{source}: columns {taken[canon]!r} and {raw!r} both mean {canon!r}; "
                f"choose one with --columns {canon}=NAME (read_run(columns={{'{canon}': NAME}}))")
        mapping[raw], taken[canon] = canon, raw
    for raw in sorted((c for c in cols if c not in mapping), key=lambda c: len(str(c))):
        for cand in fallback_names(raw):
            canon = canonical_column(cand)
            if canon is not None and canon not in taken:
                mapping[raw], taken[canon] = canon, raw
                break
    _unsuffixed_sibling(cols, mapping, taken, source)
    for raw in cols:
        if raw not in mapping:
            name = snake(raw)
            if name in taken:
                name = "file_" + name          # e.g. the file's own d_loss when --columns chose another
            while name in taken:
                name += "_"
            mapping[raw], taken[name] = name, raw
    return mapping


#: a loss column named for one player by a suffix beside the same name bare (``losses_d`` and
#: ``losses``, pandas' columns of two lists ``losses`` / ``losses_d``): the bare one is the other player's.
#: A Keras GAN's combined model (``gan.train_on_batch``) is G's: ``Loss`` beside ``GanLoss`` is D's.
_SIBLING_SUFFIX = {"d": ("d_loss", "g_loss"), "g": ("g_loss", "d_loss")}
_SIBLING_PREFIX = {"d": ("d",), "g": ("g", "gan")}
_SIBLING_BASES = ("loss", "losses")


def _unsuffixed_sibling(cols, mapping: dict, taken: dict, source: str) -> None:
    """Where one of ``d_loss`` / ``g_loss`` was found as ``<base>_d`` or ``d_<base>`` (``_g``, ``g_``), base
    "loss" or "losses", and the other is missing, a column named ``<base>`` alone is the other player's
    loss (an f-GAN's ``losses`` / ``losses_d``; a TF notebook's ``loss: .. d_loss: ..``; a Keras notebook's
    ``Loss : .., Accuracy : .., GanLoss : ..``, held-out batch 476/23). Warned, since
    the name alone does not say it."""
    for suffix, (found, other) in _SIBLING_SUFFIX.items():
        if found not in taken or other in taken:
            continue
        norm = normalise_name(taken[found])
        base = next((b for b in _SIBLING_BASES
                     if norm == b + suffix or norm in (pre + b for pre in _SIBLING_PREFIX[suffix])), None)
        bare = next((c for c in cols if c not in mapping and base and normalise_name(c) == base), None)
        if bare is not None:
            mapping[bare], taken[other] = other, bare
            warnings.warn(f"{source}: read column {bare!r} as {other} (beside {taken[found]!r}, {found}); "
                          f"if it is not, say which is with --columns {other}=NAME", stacklevel=3)


def names_a_loss(label) -> bool:
    """Whether a printed label names a loss (``D loss``, or an alias of one of our loss columns: ``d``, ``errG``): a
    ``%`` after its value is the print's format, not a share (held-out batch 446/50's ``d=0.658%, g=0.759%``)."""
    return "loss" in str(label).lower() or "loss" in (canonical_column(str(label)) or "")


def to_numbers(df: pd.DataFrame, source: str) -> pd.DataFrame:
    """Text columns -> numbers (``62.5%`` -> 0.625, ``a / b`` D(G(z)) split, a ``time_s`` of ``0:00:07``
    -> seconds); extra columns with no number at all, or with text among their numbers, are dropped with
    a warning. Our own columns
    must be numeric (validate_frame says where they are not)."""
    if "d_g_z1" in df.columns and "d_g_z2" not in df.columns and not pd.api.types.is_numeric_dtype(df["d_g_z1"].dtype):
        parts = df["d_g_z1"].astype(str).str.split("/", n=1, expand=True)
        if parts.shape[1] == 2:
            df = df.copy()
            df["d_g_z1"] = parts[0].str.strip()
            df.insert(df.columns.get_loc("d_g_z1") + 1, "d_g_z2", parts[1].str.strip())
    drop = []
    for col in df.columns:
        if pd.api.types.is_numeric_dtype(df[col].dtype) or pd.api.types.is_bool_dtype(df[col].dtype):
            continue
        text = df[col].astype(str).str.strip()
        if col == "time_s" and text.str.contains(":").any():     # "0:00:07", "1 day, 2:03:04": a duration
            seconds = pd.to_timedelta(text.str.replace(",", ""), errors="coerce").dt.total_seconds()
            if seconds.notna().any() and (seconds.notna() | df[col].isna()).all():
                df[col] = seconds
                continue
        pct = text.str.endswith("%")
        if pct.any():            # "62.5%" -> 0.625, as the console reader does; a loss's "%" is the print's format
            num = pd.to_numeric(text.str.rstrip("%"), errors="coerce")
            share = num if names_a_loss(col) else num.where(~pct, num / 100.0)
            df[col] = share.where(num.notna(), df[col])
        if canonical_column(col) is None and not col.startswith("gt_") and col not in ("step", "batch", "n_batches", "kimg"):
            num = pd.to_numeric(df[col], errors="coerce")
            blank = df[col].isna() | text.str.lower().isin(["", "nan", "none", "null"])
            # no number at all, or text among its numbers (a hyper-parameter dump's "[0.1 0.5 ...]"): not
            # one of our columns, so it is left out rather than refusing the log
            if num.isna().all() or (num.isna() & ~blank).any():
                drop.append(col)
    if drop:
        warnings.warn(f"{source}: ignoring non-numeric column(s) {', '.join(drop)}", stacklevel=2)
        df = df.drop(columns=drop)
    return df
