"""The finishing every text/JSON/TensorBoard reader shares, so that all formats follow one
set of rules: column names (the user's ``columns`` > the format's own > aliases), numbers,
``step`` (``step_from`` > the file's step column > epoch/batch > kimg > epoch > row number),
restarts (a later write of a step replaces the earlier rows) and metadata (declared > what
the file says > guessed, guesses listed with their reasons in ``attrs["guessed"]``)."""
from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.runlog.formats.common import Parsed
from ganalyze.runlog.formats.options import ReadOptions
from ganalyze.runlog.schema import aliases_of, canonical_column, normalise_meta, normalise_name, validate_frame

# Column names meaning "batch index within the epoch" and "batches per epoch".
BATCH_NAMES = {normalise_name(n) for n in ("batch", "batch_idx", "batch_index", "batch_i", "epoch_iter",
                                           "iter_in_epoch", "step_in_epoch", "i")}
N_BATCHES_NAMES = {normalise_name(n) for n in ("n_batches", "num_batches", "total_batches",
                                               "batches_per_epoch", "iters_per_epoch", "steps_per_epoch")}
_PREFIXES = ("train", "training", "main", "trainer")
# Columns every logging call repeats (not a sign that a value was written twice).
BOOKKEEPING = {"epoch", "time_s", "timestamp", "batch", "file_step", "kimg", "tick", "wall_time"}


def snake(name) -> str:
    """A column name made plain: ``"Some Metric/x"`` -> ``"some_metric_x"``."""
    return re.sub(r"[^0-9a-zA-Z_]+", "_", str(name)).strip("_").lower() or "col"


def fallback_names(raw: str) -> list[str]:
    """Other spellings under which a column may be one of ours: its last path part, its last
    two parts reversed (``dis/loss`` -> ``loss_dis``), without a W&B panel prefix
    (``run-3 - d_loss``), a Lightning ``_step`` suffix or a ``train_`` prefix."""
    out = []
    name = str(raw)
    if " - " in name:
        name = name.split(" - ", 1)[1]
        out.append(name)
    parts = [p for p in re.split(r"[/.]", name) if p]
    if len(parts) > 1:
        out += [parts[-1], "_".join(reversed(parts[-2:])), "_".join(parts[-2:])]
    for cand in list(out) + [name]:
        low = cand.lower()
        if low.endswith("_step"):
            out.append(cand[:-5])
        for pre in _PREFIXES:
            if low.startswith(pre + "_") or low.startswith(pre + "/"):
                out.append(cand[len(pre) + 1:])
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
        raw = theirs if theirs in cols else by_norm.get(normalise_name(theirs))
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
    for raw in cols:
        if raw not in mapping:
            name = snake(raw)
            if name in taken:
                name = "file_" + name          # e.g. the file's own d_loss when --columns chose another
            while name in taken:
                name += "_"
            mapping[raw], taken[name] = name, raw
    return mapping


def to_numbers(df: pd.DataFrame, source: str) -> pd.DataFrame:
    """Text columns -> numbers (``62.5%`` -> 62.5, ``a / b`` D(G(z)) split); extra columns
    with no number at all are dropped with a warning. Our own columns must be numeric
    (validate_frame says where they are not)."""
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
        if text.str.endswith("%").any():
            df[col] = text.str.rstrip("%")
        if canonical_column(col) is None and not col.startswith("gt_") and col not in ("step", "batch", "n_batches", "kimg"):
            if pd.to_numeric(df[col], errors="coerce").isna().all():
                drop.append(col)
    if drop:
        warnings.warn(f"{source}: ignoring non-numeric column(s) {', '.join(drop)}", stacklevel=2)
        df = df.drop(columns=drop)
    return df


def _integral(values: pd.Series, what: str, source: str) -> np.ndarray:
    num = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
    bad = ~np.isfinite(num) | (num != np.round(num))
    if bad.any():
        i = int(np.argmax(bad))
        raise GanalyzeError(f"{source}: {what} has non-integer value {values.iloc[i]!r} at row {i}; allowed: integers")
    return num.astype("int64")


def _find(df, name: str):
    if name in df.columns:
        return name
    norm = normalise_name(name)
    hits = [c for c in df.columns if normalise_name(c) == norm or canonical_column(name) == c]
    return hits[0] if hits else None


def _epoch_batch(df, ecol, bcol, source) -> tuple[np.ndarray, str, str | None]:
    """step = epoch x batches per epoch + batch (0-based); batches per epoch from an
    ``n_batches`` column, else the largest batch index seen + 1 (a guess)."""
    epoch = _integral(df[ecol], f"column {ecol!r}", source)
    batch = _integral(df[bcol], f"column {bcol!r}", source)
    if "n_batches" in df.columns and df["n_batches"].notna().all():
        per = _integral(df["n_batches"], "batches per epoch", source)
        return epoch * per + batch, f"{ecol} x batches per epoch (as printed) + {bcol}", None
    per = int(batch.max()) + 1
    return (epoch * per + batch, f"{ecol} x {per} + {bcol}",
            f"{per} batches per epoch: the largest {bcol} seen + 1 (the file does not say)")


def make_step(df: pd.DataFrame, step_from, source: str) -> tuple[pd.DataFrame, str, str | None]:
    """Give ``df`` an int ``step`` column; return (df, how it was made, reason if guessed)."""
    guess = None
    if step_from is not None:
        key = step_from[0].lower()
        if "step" in df.columns and not (len(step_from) == 1 and _find(df, step_from[0]) == "step"):
            df = df.rename(columns={"step": "file_step"})
        if len(step_from) == 2:
            ecol, bcol = (_find(df, c) for c in step_from)
            if ecol is None or bcol is None:
                raise GanalyzeError(f"step_from: {','.join(step_from)} are not both columns of {source}; "
                                    f"available: {', '.join(map(str, df.columns))}")
            steps, how, guess = _epoch_batch(df, ecol, bcol, source)
        elif key == "row":
            steps, how = np.arange(len(df), dtype="int64"), "row number"
        elif key == "kimg":
            col = _find(df, "kimg")
            if col is None:
                raise GanalyzeError(f"step_from: kimg, but {source} has no kimg column; available: {', '.join(map(str, df.columns))}")
            steps, how = np.round(pd.to_numeric(df[col]).to_numpy() * 1000).astype("int64"), "kimg x 1000 (images shown)"
        else:
            col = _find(df, step_from[0])
            if col is None:
                raise GanalyzeError(f"step_from: {step_from[0]!r} is not a column of {source}; "
                                    f"allowed: row, kimg, epoch, EPOCH,BATCH or one of {', '.join(map(str, df.columns))}")
            steps, how = _integral(df[col], f"column {col!r}", source), f"column {col!r}"
        df = df.assign(step=steps)
        return df, how, guess
    has_epoch = "epoch" in df.columns and df["epoch"].notna().all()
    batch_col = "batch" if "batch" in df.columns and df["batch"].notna().all() else None
    if "step" in df.columns and df["step"].notna().all():
        steps = _integral(df["step"], "column 'step'", source)
        if has_epoch and batch_col is None and len(steps) > 1:
            epoch = pd.to_numeric(df["epoch"]).to_numpy()
            back = np.diff(steps) < 0
            if back.any() and (np.diff(epoch)[back] > 0).all():
                # the "step" restarts whenever the epoch moves on: it counts batches within the epoch
                df = df.rename(columns={"step": "batch"})
                steps, how, g = _epoch_batch(df, "epoch", "batch", source)
                return df.assign(step=steps), how, ("the iteration column restarts at each new epoch, so it "
                                                    "counts batches within the epoch" + (f"; {g}" if g else ""))
        return df.assign(step=steps), "step column", None
    if has_epoch and batch_col is not None:
        steps, how, guess = _epoch_batch(df, "epoch", batch_col, source)
        return df.assign(step=steps), how, guess
    if "kimg" in df.columns and df["kimg"].notna().all():
        steps = np.round(pd.to_numeric(df["kimg"]).to_numpy() * 1000).astype("int64")
        return df.assign(step=steps), "kimg x 1000 (images shown)", None
    if has_epoch:
        epoch = pd.to_numeric(df["epoch"]).to_numpy()
        if (epoch == np.round(epoch)).all() and (len(epoch) < 2 or (np.diff(epoch) != 0).all()):
            return (df.assign(step=epoch.astype("int64")), "epoch",
                    "one row per epoch and no step column: the epoch is the step")
    return (df.assign(step=np.arange(len(df), dtype="int64")), "row number",
            "no step, epoch/batch or kimg column: the row number is the step")


def resolve_duplicates(df: pd.DataFrame, segments, on_duplicate: str, source: str) -> tuple[pd.DataFrame, dict]:
    """Restarts and rows that share a step, in write order.

    A restart begins where the file marks one (``segments``) or, when some step occurs twice,
    where ``step`` goes back; each
    restart replaces the earlier rows with ``step >=`` its first step (the RunLogger's resume
    rule). Rows left with the same step are merged column by column (W&B / Lightning write one
    row per logging call); where two of them hold a value for the same column the later wins
    and the earlier row counts as replaced. ``on_duplicate="error"`` refuses instead.
    """
    info = {}
    steps = df["step"].to_numpy()
    if len(steps) < 2 or (np.diff(steps) > 0).all():
        return df, info
    if segments is None:
        if not pd.Series(steps).duplicated().any():
            return df, info              # unsorted but unique steps: no rewrite, validate_frame sorts
        segments = np.concatenate([[0], np.cumsum(np.diff(steps) < 0)])
    segments = np.asarray(segments)
    n = len(df)
    keep = np.ones(n, dtype=bool)
    replaced = 0
    if segments[-1] > segments[0]:
        seg_ids, first_idx = np.unique(segments, return_index=True)
        seg_min = pd.Series(steps).groupby(segments).min().reindex(seg_ids).to_numpy()
        later_min = np.append(np.minimum.accumulate(seg_min[::-1])[::-1][1:], np.iinfo(np.int64).max)
        limit = later_min[np.searchsorted(seg_ids, segments)]
        keep = steps < limit
        replaced = int(n - keep.sum())
    first_dup = None
    if replaced:
        first_dup = int(steps[~keep].min())
    kept = df[keep]
    dup = kept["step"].duplicated(keep=False)
    merged = 0
    if dup.any():
        counts = kept[dup].groupby("step").count()
        sizes = kept[dup].groupby("step").size()
        values = counts.drop(columns=[c for c in counts.columns if c in BOOKKEEPING])
        rewrite = (values > 1).any(axis=1)
        rewritten = int((sizes[rewrite] - 1).sum())
        if rewritten and first_dup is None:
            first_dup = int(rewrite[rewrite].index[0])
        replaced += rewritten
        merged = int((sizes[~rewrite] - 1).sum())
        kept = kept.groupby("step", sort=True, as_index=False).last()
    if replaced and on_duplicate == "error":
        raise GanalyzeError(f"{source}: step {first_dup} is written again later ({replaced} row(s) would be "
                            "replaced, a restart?); allowed with on_duplicate='last' (--on-duplicate last)")
    if replaced:
        warnings.warn(f"{source}: {replaced} row(s) replaced by a later write of the same step "
                      f"(first: step {first_dup}; a restart?); kept the last write", stacklevel=2)
        info["duplicates_replaced"] = replaced
    if merged:
        info["rows_merged"] = merged
    return kept.reset_index(drop=True), info


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


def finish(parsed: Parsed, options: ReadOptions, source: str) -> pd.DataFrame:
    """A reader's :class:`Parsed` -> a validated run DataFrame (rules in the module doc)."""
    df = parsed.frame
    if df is None or len(df) == 0:
        raise GanalyzeError(f"{source}: no rows with values; allowed: a log with at least one D and G loss")
    user = {} if parsed.columns_applied else options.columns
    mapping = map_columns(list(df.columns), user, parsed.fixed, source)
    df = df.rename(columns=mapping)
    if "batch" not in df.columns:
        bc = [c for c in df.columns if normalise_name(c) in BATCH_NAMES]
        if bc and "epoch" in df.columns:
            df = df.rename(columns={bc[0]: "batch"})
    nb = [c for c in df.columns if normalise_name(c) in N_BATCHES_NAMES]
    if nb and "n_batches" not in df.columns:
        df = df.rename(columns={nb[0]: "n_batches"})
    missing = [c for c in ("d_loss", "g_loss") if c not in df.columns]
    if missing:
        accepted = "; ".join(f"{c}: {', '.join(aliases_of(c))}" for c in missing)
        raise GanalyzeError(
            f"{source}: missing required column(s) {', '.join(missing)} (have: {', '.join(map(str, df.columns))}; "
            f"accepted names: {accepted}); name yours with --columns "
            f"{','.join(c + '=NAME' for c in missing)} (read_run(columns=...))")
    df = to_numbers(df, source)
    df, how, step_guess = make_step(df, options.step_from, source)
    drop = [c for c in ("n_batches", "n_epochs") if c in df.columns]
    if "batch" in df.columns and " + batch" in how:
        drop.append("batch")              # the step holds it
    if drop:
        df = df.drop(columns=drop)
    df, dup_info = resolve_duplicates(df, parsed.segments, options.on_duplicate, source)
    order = ["step"] + (["epoch"] if "epoch" in df.columns else []) + [c for c in df.columns if c not in ("step", "epoch")]
    df = df[order]
    guesses = dict(parsed.guesses)
    file_meta = dict(parsed.meta)
    if options.step_from is not None:
        file_meta["step_from"] = how
        guesses.pop("step_from", None)
    elif step_guess:
        guesses["step_from"] = (how, step_guess)
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
    return validate_frame(df, source=source)
