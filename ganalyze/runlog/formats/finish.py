"""The finishing every text/JSON/TensorBoard reader shares, so that all formats follow one
set of rules: column names (``columns``), ``step`` and restarts (``steps``), and metadata
(declared > what the file says > guessed, guesses listed with their reasons in
``attrs["guessed"]``)."""
from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.runlog.formats.columns import (
    BATCH_NAMES,
    N_BATCHES_NAMES,
    map_columns,
    to_numbers,
)
from ganalyze.runlog.formats.common import Parsed
from ganalyze.runlog.formats.options import ReadOptions
from ganalyze.runlog.formats.running_mean import undo_running_means
from ganalyze.runlog.formats.steps import GAP_FACTOR, epoch_print_steps, make_step, resolve_duplicates, step_gaps
from ganalyze.runlog.schema import (
    G_CLASS_TERMS,
    G_CONTENT_TERMS,
    KNOWN_COLUMNS,
    aliases_of,
    canonical_column,
    normalise_meta,
    normalise_name,
)

#: names that mean D's output on real / fake samples in one script and its loss on them in another
_AMBIGUOUS_OUTPUTS = {"d_x": (normalise_name("d_real"),), "d_g_z1": (normalise_name("d_fake"),)}


def _outputs_that_are_loss_terms(df: pd.DataFrame, mapping: dict, user: dict) -> tuple[pd.DataFrame, str]:
    """A log with no D loss whose ``D_real``/``D_fake`` columns (read as D's outputs) never go below
    0 and go above 1: they are D's loss on real and on fake samples (a Keras ``train_on_batch`` on
    each, pix2pixHD's terms), not probabilities (never above 1) nor critic scores (which go below
    0). Renamed to ``d_loss_real``/``d_loss_fake`` (in ``mapping`` too), so D's loss is their sum;
    returns the reason ("" and ``df`` unchanged otherwise, or when the user named the columns)."""
    if "d_loss" in df.columns or user or not {"d_x", "d_g_z1"} <= set(df.columns):
        return df, ""
    raw = {ours: theirs for theirs, ours in mapping.items()}
    if any(normalise_name(raw.get(ours, ours)) not in names for ours, names in _AMBIGUOUS_OUTPUTS.items()):
        return df, ""
    vals = np.concatenate([pd.to_numeric(df[c], errors="coerce").to_numpy(dtype="float64") for c in _AMBIGUOUS_OUTPUTS])
    vals = vals[np.isfinite(vals)]
    if not len(vals) or vals.min() < 0 or vals.max() <= 1:
        return df, ""
    names = f"{raw.get('d_x', 'd_x')!r} and {raw.get('d_g_z1', 'd_g_z1')!r}"
    for ours, terms in (("d_x", "d_loss_real"), ("d_g_z1", "d_loss_fake")):
        if ours in raw:
            mapping[raw[ours]] = terms                  # columns_from says what they were read as
    return df.rename(columns={"d_x": "d_loss_real", "d_g_z1": "d_loss_fake"}), (
        f"{names} summed: the log has no total D loss, and they are D's loss on real and on fake samples, not its "
        f"outputs (never below 0, up to {vals.max():.3g}: above 1, so not probabilities; critic scores go below 0)")


# in a D name that is no D loss: D's outputs, its accuracy, a learning rate, a gradient norm, a term of D's loss
_NOT_D_LOSS = ("acc", "prob", "score", "lr", "grad", "norm", "real", "fake", "weight", "penalty")
#: ... or that name alone a penalty term ("d_gp", "D_r1"); "d_out_gp", a total with its penalty, is D's loss
_D_PENALTY = ("gp", "r1", "reg", "")


def _unnamed_columns(df: pd.DataFrame) -> list:
    """The columns that are none of ours and no counter: where a lone D or G value is looked for."""
    counters = BATCH_NAMES | N_BATCHES_NAMES | {"epoch", "nepochs", "step", "batch", "nbatches", "times"}
    return [c for c in df.columns if c not in KNOWN_COLUMNS and normalise_name(c) not in counters]


def _lone_d_value(df: pd.DataFrame, mapping: dict, user: dict) -> pd.DataFrame:
    """A log with G's loss and no D loss (nor D's terms) whose one unnamed value has a D name
    (``d_out_gp``, a notebook's print of its critic's total loss beside ``g_loss``): read as D's loss,
    with a warning that names it. Only where no other column could be it; not where the user named
    the columns."""
    if user or "d_loss" in df.columns or "g_loss" not in df.columns or {"d_loss_real", "d_loss_fake"} & set(df.columns):
        return df
    d_named = [c for c in _unnamed_columns(df) if normalise_name(c).startswith(("d", "critic", "netd"))]
    if len(d_named) != 1:
        return df
    name = str(d_named[0])
    rest = re.sub(r"^(?:netd|critic|disc|dis|d)", "", normalise_name(name))
    if rest in _D_PENALTY or any(w in rest for w in _NOT_D_LOSS):
        return df
    warnings.warn(f"reading {name!r} as D's loss: the log names no D loss, and it is the one value beside G's loss "
                  f"with a D name (give --columns d_loss=NAME if another column is D's loss)", stacklevel=3)
    mapping[name] = "d_loss"
    return df.rename(columns={name: "d_loss"})


# in a G name that is no G loss: its accuracy, a learning rate, a gradient norm, a content or class term, an error
# (``g_mse`` may be LSGAN's adversarial loss or a pixel term: left to --columns)
_NOT_G_LOSS = re.compile("|".join(("acc", "prob", "score", "lr", "grad", "norm", "weight", "penalty", "mse", "mae",
                                   *G_CONTENT_TERMS, *G_CLASS_TERMS)))


def _lone_g_value(df: pd.DataFrame, mapping: dict, user: dict) -> pd.DataFrame:
    """The other side of :func:`_lone_d_value`: a log with D's loss (or its two terms) and no G loss whose one unnamed
    value has a G name that is no content, class or other term (a Keras InfoGAN's "d_loss_real: 0.40 - d_loss_fake:
    0.41 - g_img_loss: 1.75 - cat_loss: 0.0074", held-out batch 623/02, refused): read as G's loss, with a warning
    that names it. Not where the user named the columns."""
    if user or "g_loss" in df.columns or not ("d_loss" in df.columns or {"d_loss_real", "d_loss_fake"} <= set(df.columns)):
        return df
    # ("g_img_loss", "gen_adv", "GImg": a G name; "gp", a gradient penalty, is none)
    g_named = [c for c in _unnamed_columns(df) if re.match(r"(?i)^(?:g|gen|generator|netg)[_ ]", str(c))
               or re.match(r"^(?:G|Gen|Generator|netG)(?=[A-Z])", str(c))]
    if len(g_named) != 1:
        return df
    name = str(g_named[0])
    rest = re.sub(r"^(?:netg|generator|gen|g)", "", normalise_name(name))
    if not rest or _NOT_G_LOSS.search(rest.removesuffix("loss")):
        return df
    warnings.warn(f"reading {name!r} as G's loss: the log names no G loss, and it is the one value beside D's loss "
                  f"with a G name (give --columns g_loss=NAME if another column is G's loss)", stacklevel=3)
    mapping[name] = "g_loss"
    return df.rename(columns={name: "g_loss"})


def _perceptual_as_g(df: pd.DataFrame, mapping: dict, user: dict, meta: dict) -> pd.DataFrame:
    """A log with D's loss and no G loss whose one G-side value is named ``perceptual loss`` (krasserm's
    super-resolution ``SrganTrainer``: 'perceptual loss = 0.1048, discriminator loss = 0.1692', held-out batch 569/07,
    refused): SRGAN's perceptual loss is G's whole objective (a content loss plus a weighted adversarial term), read
    as G's loss holding other terms, with a warning. Not where the user named the columns."""
    if user or "g_loss" in df.columns or not ({"d_loss"} <= set(df.columns) or {"d_loss_real", "d_loss_fake"} <= set(df.columns)):
        return df
    named = [c for c in df.columns if normalise_name(c) in ("perceptualloss", "perceptual", "lossperceptual")]
    if len(named) != 1:
        return df
    name = str(named[0])
    why = ("SRGAN's perceptual loss is G's whole objective: a content loss plus a weighted adversarial term, so its "
           "level is not the adversarial game's")
    warnings.warn(f"reading {name!r} as G's loss: the log names no G loss, and {why} (give --columns g_loss=NAME if "
                  "another column is G's loss)", stacklevel=3)
    mapping[name] = "g_loss"
    meta.setdefault("g_loss_composite", f"the log's {name!r}: {why}")
    return df.rename(columns={name: "g_loss"})


#: a second line kind naming D's and G's losses otherwise is a summary where the first has this many times its rows
SUMMARY_ROWS_RATIO = 2


def _player_columns(df: pd.DataFrame) -> dict[str, list]:
    """``d_loss`` / ``g_loss`` -> the columns whose names are aliases of it, in column order."""
    groups: dict[str, list] = {}
    for c in df.columns:
        if (canon := canonical_column(str(c))) in ("d_loss", "g_loss"):
            groups.setdefault(canon, []).append(c)
    return groups


def _summary_lines_left_out(df: pd.DataFrame, source: str) -> pd.DataFrame:
    """A log of two line kinds that name D's and G's losses each its own way, on no row both ("D loss: .. G loss: .."
    every step, "Epoch: 1 Loss: G: .. D: .. Time: 75" after each epoch: held-out batch 208, refused as "columns
    'G loss' and 'G' both mean 'g_loss'"): the kind with :data:`SUMMARY_ROWS_RATIO` times the other's rows is the
    log, the other its summaries (an epoch's means), left out with a warning. Unchanged otherwise."""
    groups = _player_columns(df)
    if not groups or any(len(cols) != 2 for cols in groups.values()):
        return df
    keep, drop = [], []
    for a, b in groups.values():
        na, nb = df[a].notna(), df[b].notna()
        if (na & nb).any():
            return df
        k, d = (a, b) if na.sum() >= nb.sum() else (b, a)
        keep.append(k)
        drop.append(d)
    kept_rows, dropped_rows = df[keep].notna().any(axis=1), df[drop].notna().any(axis=1)
    if (kept_rows & dropped_rows).any() or kept_rows.sum() < SUMMARY_ROWS_RATIO * dropped_rows.sum():
        return df
    warnings.warn(f"{source}: {int(dropped_rows.sum())} line(s) naming the losses {', '.join(map(repr, drop))} left out "
                  f"as summaries (an epoch's means): the {int(kept_rows.sum())} lines naming them "
                  f"{', '.join(map(repr, keep))} are the log (--columns chooses otherwise)", stacklevel=3)
    return df.loc[~dropped_rows.to_numpy()].drop(columns=drop).reset_index(drop=True)


def _spellings_merged(df: pd.DataFrame, source: str) -> pd.DataFrame:
    """One player's loss printed under two spellings on different lines while the other's has one name on every
    line ("initial: gen loss: 0.6939, disc_loss: 1.3806" before each "step: 500 , gen_loss: 3.89, disc_loss: 0.12",
    held-out batch 645/00, refused as "columns 'gen loss' and 'gen_loss' both mean 'g_loss'"): one column under the
    spelling most lines use, with a warning. Unchanged where the two share a line or the other player's name is
    not one (:func:`_summary_lines_left_out` reads two line kinds that each name both)."""
    groups = _player_columns(df)
    if sorted(len(cols) for cols in groups.values()) != [1, 2]:
        return df
    a, b = next(cols for cols in groups.values() if len(cols) == 2)
    na, nb = df[a].notna(), df[b].notna()
    if (na & nb).any():
        return df
    keep, drop = (a, b) if na.sum() >= nb.sum() else (b, a)
    warnings.warn(f"{source}: {int(df[drop].notna().sum())} line(s) name {_player(keep)} loss {drop!r} and "
                  f"{int(df[keep].notna().sum())} name it {keep!r}, never both on a line: read as one column",
                  stacklevel=3)
    out = df.drop(columns=[drop])
    out[keep] = df[keep].where(df[keep].notna(), df[drop])
    return out


def _player(name) -> str:
    """ "D's" or "G's", for the player whose loss column ``name`` names."""
    return "D's" if canonical_column(str(name)) == "d_loss" else "G's"


def resolve_meta(file_meta: dict, guesses: dict, options: ReadOptions) -> dict:
    """Declared (``options``) > what the file says (``file_meta``) > ``guesses``
    (``{key: (value, reason)}``). Guessed keys keep their reasons in ``meta["guessed"]``
    and their names in ``meta["inferred"]``; declared keys are listed in ``meta["declared"]``."""
    meta, guessed = {}, {}
    for key, (value, reason) in guesses.items():
        meta[key], guessed[key] = value, reason
    prior_guessed = dict(file_meta.get("guessed") or {})
    for key, value in file_meta.items():
        if key in ("guessed", "inferred", "declared"):
            continue
        meta[key] = value
        if key not in prior_guessed:
            guessed.pop(key, None)
    guessed.update({k: v for k, v in prior_guessed.items() if k in meta})
    for key in file_meta.get("inferred") or []:          # older files: inferred keys without reasons
        if key in meta and key not in guessed:
            guessed[key] = "inferred by the reader that wrote this file"
    declared = options.declared()
    for key, value in declared.items():
        meta[key] = value
        guessed.pop(key, None)
    meta["declared"] = sorted(set(file_meta.get("declared") or []) | set(declared))
    meta["guessed"] = guessed
    meta["inferred"] = sorted(guessed)
    return normalise_meta(meta)


def _crossed_print(hint, mapping: dict) -> bool:
    """Whether ``hint`` (``code_swapped_print``: ((D's printed label, G's), why)) names the very labels read as
    ``d_loss`` and ``g_loss`` here (``mapping``: raw name -> ours)."""
    if not (isinstance(hint, (tuple, list)) and len(hint) == 2 and isinstance(hint[0], (tuple, list)) and len(hint[0]) == 2):
        return False
    raw = {ours: normalise_name(str(name)) for name, ours in mapping.items() if ours in ("d_loss", "g_loss")}
    return raw.get("d_loss") == normalise_name(hint[0][0]) and raw.get("g_loss") == normalise_name(hint[0][1])


def finish(parsed: Parsed, options: ReadOptions, source: str) -> pd.DataFrame:
    """A reader's :class:`Parsed` -> a validated run DataFrame (rules in the module doc)."""
    df = parsed.frame
    if df is None or len(df) == 0:
        raise GanalyzeError(f"{source}: no rows with values; allowed: a log with at least one D and G loss")
    dup = df.columns[df.columns.duplicated()]
    if len(dup):
        raise GanalyzeError(f"{source}: column name {str(dup[0])!r} appears twice; allowed: one column per name")
    if "step" in df.columns:            # before anything casts it: inf, NaN, > int64, uint64 over 2^63
        from ganalyze.validate import _check_step_column

        _check_step_column(df["step"], source)
        missing_step = pd.to_numeric(df["step"], errors="coerce").isna().to_numpy()
        if missing_step.any():
            i = int(missing_step.argmax())
            raise GanalyzeError(f"{source}: column 'step': {df['step'].iloc[i]!r} at row {i}; allowed: an integer "
                                "step on every row (or no step column: then epoch/batch or the row number)")
    user = {} if parsed.columns_applied else options.columns
    if not user:
        df = _spellings_merged(_summary_lines_left_out(df, source), source)
    mapping = map_columns(list(df.columns), user, parsed.fixed, source)
    df = df.rename(columns=mapping)
    if not user and _crossed_print(parsed.meta.get("code_swapped_print"), mapping):
        # the print that wrote these rows labels each net's value with the other's name (code_hints.swapped_print_hint)
        df = df.rename(columns={"d_loss": "g_loss", "g_loss": "d_loss"})
        warnings.warn(f"{source}: read {parsed.meta['code_swapped_print'][0][0]!r} as G's loss and "
                      f"{parsed.meta['code_swapped_print'][0][1]!r} as D's: {parsed.meta['code_swapped_print'][1]}; "
                      "name them with --columns if not", stacklevel=2)
    if "batch" not in df.columns:
        bc = [c for c in df.columns if normalise_name(c) in BATCH_NAMES]
        if bc and "epoch" in df.columns:
            df = df.rename(columns={bc[0]: "batch"})
    nb = [c for c in df.columns if normalise_name(c) in N_BATCHES_NAMES]
    if nb and "n_batches" not in df.columns:
        df = df.rename(columns={nb[0]: "n_batches"})
    df, outputs_as_terms = _outputs_that_are_loss_terms(df, mapping, user)
    df = _lone_d_value(df, mapping, user)
    df = _lone_g_value(df, mapping, user)
    df = _perceptual_as_g(df, mapping, user, parsed.meta)
    parts = "d_loss" not in df.columns and {"d_loss_real", "d_loss_fake"} <= set(df.columns)
    missing = [c for c in ("d_loss", "g_loss") if c not in df.columns and not (c == "d_loss" and parts)]
    if missing:
        accepted = "; ".join(f"{c}: {', '.join(aliases_of(c))}" for c in missing)
        raise GanalyzeError(
            f"{source}: missing required column(s) {', '.join(missing)} (have: {', '.join(map(str, df.columns))}; "
            f"accepted names: {accepted}); name yours with --columns "
            f"{','.join(c + '=NAME' for c in missing)} (read_run(columns=...))")
    df = to_numbers(df, source)
    if parts:     # the log holds D's two terms but no total (mmgen/MMagic, many scripts): their sum
        df["d_loss"] = df["d_loss_real"] + df["d_loss_fake"]
        parsed.meta.setdefault("d_loss_from", outputs_as_terms or "d_loss_real + d_loss_fake (the log has no total D loss)")
        parsed.meta.setdefault("d_loss_reduction", "sum")
    for col, other in (("d_loss", "g_loss"), ("g_loss", "d_loss")):
        # all NaN while the other loss is finite throughout: never printed, not a diverged run
        # (a run that blew up at once writes nan into both, as Lightning's CSVLogger does)
        if len(df) and df[col].isna().all() and np.isfinite(
                pd.to_numeric(df[other], errors="coerce").to_numpy(dtype="float64")).all():
            raise GanalyzeError(f"{source}: column {col} holds no value on any row (its label was never printed "
                                "next to a number, or it is NaN throughout); allowed: a log with D and G loss values")
    df, how, step_guess = make_step(df, options.step_from, source, restarts_marked=parsed.segments is not None)
    if how == "row number" and options.step_from is None and (every := parsed.meta.get("code_print_every")):
        # rows that carry no step, printed every N iterations by the notebook's code
        one_based = re.search(r"\+\s*1\s*\)?\s*%", str(every[1])) is not None     # "if (i + 1) % 100 == 0:"
        if (placed := epoch_print_steps(df, every[0], one_based)) is not None:
            steps, how, why = placed
            df, step_guess = df.assign(step=steps), f"{every[1]}; {why}"
        else:
            df, how, _ = make_step(df.drop(columns="step"), (f"row*{every[0]}",), source)
            step_guess = every[1]
    dup = df.columns[df.columns.duplicated()]
    if len(dup):                          # two source columns mapped to one of ours
        raise GanalyzeError(f"{source}: two columns both mean {str(dup[0])!r}; allowed: one column per quantity "
                            "(choose with --columns)")
    drop = [c for c in ("n_batches", "n_epochs") if c in df.columns]
    if "batch" in df.columns and " + batch" in how:
        drop.append("batch")              # the step holds it
    if drop:
        df = df.drop(columns=drop)
    df, dup_info = resolve_duplicates(df, parsed.segments, options.on_duplicate, source)
    if gaps := step_gaps(df["step"].to_numpy()):
        a, b = gaps[0]
        warnings.warn(f"{source}: the logged steps jump from {a} to {b}" + (f" and {len(gaps) - 1} more time(s)"
                      if len(gaps) > 1 else "") + f" (>= {GAP_FACTOR} x the median interval): lines not logged or cut "
                      "from a copy: what the run did there is not in the log (diagnose names up to three gaps that leave out a tenth of the run or more)", stacklevel=2)
    running = None
    if options.averaged is None and "averaged" not in parsed.meta and "averaged" not in parsed.guesses:
        df, running = undo_running_means(df)
    order = ["step"] + (["epoch"] if "epoch" in df.columns else []) + [c for c in df.columns if c not in ("step", "epoch")]
    df = df[order]
    guesses = dict(parsed.guesses)
    if running:
        guesses["running_means"] = ("epoch", running)
    file_meta = dict(parsed.meta)
    if options.step_from is not None:
        file_meta["step_from"] = how
        guesses.pop("step_from", None)
    elif step_guess and not (how == "row number" and guesses.get("step_from", ("",))[0] == "row number"):
        guesses["step_from"] = (how, step_guess)         # (the reader's own reason for row order stays)
    elif "step_from" not in guesses and "step_from" not in file_meta:
        file_meta["step_from"] = how
    file_meta.update(dup_info)
    file_meta["columns_from"] = {str(raw): ours for raw, ours in mapping.items() if str(raw) != ours}
    meta = resolve_meta(file_meta, guesses, options)
    if options.step_from is not None:
        meta["declared"] = sorted(set(meta["declared"]) | {"step_from"})
    if options.columns:
        meta["declared"] = sorted(set(meta["declared"]) | {"columns"})
    df.attrs = meta
    from ganalyze.validate import validate_frame as checked  # the validation layer (validate.py)

    return checked(df, source=source)
