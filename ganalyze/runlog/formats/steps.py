"""``step`` for every format: how it is made (declared ``step_from`` > the file's step column >
epoch + batch > kimg > one row per epoch > row number) and what happens when a step is
written more than once (restarts replace, logging calls of one step merge)."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.runlog.formats.columns import BATCH_NAMES
from ganalyze.runlog.schema import canonical_column, normalise_name

# Columns every logging call repeats (not a sign that a value was written twice).
BOOKKEEPING = {"epoch", "time_s", "timestamp", "batch", "file_step", "kimg", "tick", "wall_time"}


def _integral(values: pd.Series, what: str, source: str) -> np.ndarray:
    exact = pd.to_numeric(values, errors="coerce")
    if pd.api.types.is_integer_dtype(exact.dtype):
        arr = exact.to_numpy()
        if pd.api.types.is_unsigned_integer_dtype(exact.dtype) and len(arr) and arr.max() > np.iinfo(np.int64).max:
            i = int(np.argmax(arr > np.iinfo(np.int64).max))
            raise GanalyzeError(f"{source}: {what} has {int(arr[i])} at row {i}; allowed: integers within int64")
        return arr.astype("int64")                # integers stay exact (no float64 round trip)
    num = exact.to_numpy(dtype="float64")
    bad = ~np.isfinite(num) | (num != np.round(num))
    if bad.any():
        i = int(np.argmax(bad))
        raise GanalyzeError(f"{source}: {what} has non-integer value {values.iloc[i]!r} at row {i}; allowed: integers")
    if len(num) and (num.max() >= 2.0 ** 63 or num.min() < -(2.0 ** 63)):
        i = int(np.argmax((num >= 2.0 ** 63) | (num < -(2.0 ** 63))))
        raise GanalyzeError(f"{source}: {what} has {values.iloc[i]!r} at row {i}; allowed: integers within int64")
    return num.astype("int64")


def _find(df, name: str):
    if name in df.columns:
        return name
    norm = normalise_name(name)
    hits = [c for c in df.columns if normalise_name(c) == norm or canonical_column(name) == c]
    return hits[0] if hits else None


#: a printed batch total that no completed epoch's batch counter reaches this share of is not the
#: batches per epoch (a dataset size printed in its place; set a priori: half)
TOTAL_REACHED = 0.5


#: a batch counter that moves up at this many epoch changes or more (and never falls) counts the run's
#: iterations ("| 3750/120000 [.., epoch=1, ..]" then "| 7500/120000 [.., epoch=2, ..]": a tqdm bar over the
#: whole run beside an epoch postfix); set a priori
COUNTS_ON_CHANGES = 2


def _counts_on(epoch: np.ndarray, batch: np.ndarray) -> bool:
    """Whether ``batch`` is a run-wide counter: it never falls, ``epoch`` never falls, and at each of at least
    :data:`COUNTS_ON_CHANGES` epoch changes it moves up (a counter restarting each epoch falls there; one
    printed once per epoch at its last batch stays level)."""
    if len(batch) < 3:
        return False
    changes = np.diff(epoch) != 0
    return bool(changes.sum() >= COUNTS_ON_CHANGES and (np.diff(epoch) >= 0).all() and (np.diff(batch) >= 0).all()
                and (np.diff(batch)[changes] > 0).all())


def _epoch_batch(df, ecol, bcol, source) -> tuple[np.ndarray, str, str | None]:
    """step = epoch x batches per epoch + batch (0-based); batches per epoch from an
    ``n_batches`` column, else the largest batch index seen + 1 (a guess)."""
    epoch = _integral(df[ecol], f"column {ecol!r}", source)
    batch = _integral(df[bcol], f"column {bcol!r}", source)
    if _counts_on(epoch, batch):
        return (batch, f"{bcol} (the run's iteration)",
                f"{bcol} counts on across epochs (it never falls and moves up at each of the {ecol} changes), so it is "
                "the run's own iteration, not a batch within the epoch")
    not_batches = ""
    if "n_batches" in df.columns and df["n_batches"].notna().all():
        per = _integral(df["n_batches"], "batches per epoch", source)
        done = epoch < epoch.max()            # epochs the log saw end
        by_epoch = pd.Series(batch[done]).groupby(epoch[done])
        seen = by_epoch.max()
        # judged on two or more completed epochs of several printed batches each (a log printing one
        # batch per epoch says nothing of where its epochs end)
        if (len(seen) < 2 or by_epoch.size().median() < 3 or (seen.to_numpy() >= TOTAL_REACHED * per[done][0]).any()
                or len(np.unique(per)) > 1):
            return epoch * per + batch, f"{ecol} x batches per epoch (as printed) + {bcol}", None
        # "Iteration:[261/16700]" where each epoch ends near 261: the printed total is not the batches per
        # epoch (a dataset's size, len(dataset) for len(loader)); the epochs' own ends are
        not_batches = (f"the printed total {int(per[0])} is not the batches per epoch: {bcol} restarts each epoch "
                       f"after at most {int(seen.max())} (a dataset or batch size printed as the total?); ")
    first = int(batch.min()) if len(batch) else 0
    starts = pd.Series(batch).groupby(epoch).min()
    if first == 1 and len(starts) > 1 and (starts == 1).all():
        # every epoch counts its batches from 1 ("> 1 | 1/128 | .."): the largest one seen is the epoch's last
        per = int(batch.max())
        return (epoch * per + batch - 1, f"{ecol} x {per} + {bcol} - 1",
                f"{not_batches}{per} batches per epoch: {bcol} counts from 1 in every epoch, so its largest value "
                "seen is the epoch's last batch (the file does not say)")
    if first > 1 and (batch % first == 0).all():
        # printed at every first-th batch and never at 0 ("Iter: 100 .. 600"): the (i + 1) % 100 == 0 of a
        # 1-based print, so the largest one seen is the epoch's last batch
        per = int(batch.max())
        return (epoch * per + batch - 1, f"{ecol} x {per} + {bcol} - 1",
                f"{not_batches}{per} batches per epoch: {bcol} is printed at every {first}th batch and never at 0, so it counts "
                f"from 1 and its largest value seen is the epoch's last batch (the file does not say)")
    per = int(batch.max()) + 1
    return (epoch * per + batch, f"{ecol} x {per} + {bcol}",
            f"{not_batches}{per} batches per epoch: the largest {bcol} seen + 1 (the file does not say)")


#: rows a printed counter must repeat itself on, unchanged, to be read as no counter (a few rewrites of one step are
#: a resumed run's or a rerun cell's)
SAME_STEP_MIN_ROWS = 10


def make_step(df: pd.DataFrame, step_from, source: str, restarts_marked: bool = False) -> tuple[pd.DataFrame, str, str | None]:
    """Give ``df`` an int ``step`` column; return (df, how it was made, reason if guessed).
    ``restarts_marked``: the file marks its restarts (a loss_log's headers), so a step that goes
    back while the epoch moves on is a restart, not a batch counter restarting each epoch."""
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
        elif key == "row" or key.startswith("row*"):
            every = int(key[4:]) if key != "row" else 1
            steps = np.arange(len(df), dtype="int64") * every
            how = "row number" if every == 1 else f"row number x {every}"
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
    has_epoch = "epoch" in df.columns and pd.to_numeric(df["epoch"], errors="coerce").notna().all()
    batch_col = "batch" if "batch" in df.columns and df["batch"].notna().all() else None
    if "step" in df.columns and df["step"].notna().all():
        steps = _integral(df["step"], "column 'step'", source)
        if len(steps) >= SAME_STEP_MIN_ROWS and (steps == steps[0]).all() and not has_epoch and batch_col is None \
                and not restarts_marked:
            # "100 [Discriminator Loss: 1.15, acc.: 28.1%] [Generator Loss: 0.24]" on every line (held-out batch
            # 520/03's print of its epoch count, not its epoch): no counter; 99 of 100 rows had gone as rewrites
            return (df.rename(columns={"step": "file_step"}).assign(step=np.arange(len(df), dtype="int64")),
                    "row number", f"the printed counter is {int(steps[0])} on every one of the {len(steps)} rows, so "
                                  "it counts nothing: the row number is the step")
        # (a batch of one value on every row counts nothing: a pre-training phase's last "Batch 40" carried onto the
        # rows of the training proper, held-out batch 587/05, whose own "Step" restarts each epoch)
        one_batch = batch_col is not None and pd.to_numeric(df[batch_col], errors="coerce").nunique(dropna=False) == 1
        if has_epoch and (batch_col is None or one_batch) and len(steps) > 1 and not restarts_marked:
            epoch = pd.to_numeric(df["epoch"]).to_numpy()
            back = steps[1:] < steps[:-1]
            if back.any() and (np.diff(epoch)[back] > 0).all():
                # the "step" restarts whenever the epoch moves on: it counts batches within the epoch
                df = df.drop(columns=[batch_col] if one_batch else []).rename(columns={"step": "batch"})
                steps, how, g = _epoch_batch(df, "epoch", "batch", source)
                return df.assign(step=steps), how, ("the iteration column restarts at each new epoch, so it "
                                                    "counts batches within the epoch" + (f"; {g}" if g else ""))
        return df.assign(step=steps), "step column", None
    if has_epoch and batch_col is not None and not _one_row_per_epoch_at_one_batch(df, batch_col):
        steps, how, guess = _epoch_batch(df, "epoch", batch_col, source)
        return df.assign(step=steps), how, guess
    if "kimg" in df.columns and df["kimg"].notna().all():
        steps = np.round(pd.to_numeric(df["kimg"]).to_numpy() * 1000).astype("int64")
        return df.assign(step=steps), "kimg x 1000 (images shown)", None
    if batch_col is None and not has_epoch:     # "i: 100 / d_loss: .." : a loop index named like a batch counter
        batch_col = next((c for c in df.columns if normalise_name(c) in BATCH_NAMES and df[c].notna().all()), None)
    if batch_col is not None and not has_epoch:
        batch = pd.to_numeric(df[batch_col], errors="coerce").to_numpy(dtype="float64")
        if np.isfinite(batch).all() and (batch == np.round(batch)).all() and (np.diff(batch) > 0).all():
            return (df.assign(step=batch.astype("int64")), f"column {batch_col!r}",
                    f"no step or epoch column; {batch_col!r} rises on every row, so it counts batches over the run")
    if has_epoch:
        epoch = pd.to_numeric(df["epoch"]).to_numpy()
        if len(df) > 1 and (np.diff(epoch) == 0).any():
            # a line printed twice (the same epoch and values: a notebook's print and its logger both
            # writing) is one row; only other repeats of an epoch are rows within it
            values = df.drop(columns=[c for c in ("file_step", "time_s", "timestamp", "wall_time") if c in df.columns])
            same = (values.iloc[1:].to_numpy(dtype=object) == values.iloc[:-1].to_numpy(dtype=object)).all(axis=1)
            twice = np.r_[False, printed_twice(same)]
            if twice.any():
                warnings.warn(f"{source}: {int(twice.sum())} line(s) repeat the line before exactly (printed twice): "
                              "kept once", stacklevel=2)
                df, epoch = df[~twice].reset_index(drop=True), epoch[~twice]
        repeats = int((np.diff(epoch) == 0).sum()) if len(epoch) > 1 else 0
        # an epoch printed twice now and then (an aborted first line, a resumed epoch) is a rewrite
        # of that epoch (resolve_duplicates keeps the later write), not rows within an epoch
        if (epoch == np.round(epoch)).all() and repeats <= EPOCH_REPEATS_SHARE * len(epoch):
            return (df.assign(step=epoch.astype("int64")), "epoch",
                    "one row per epoch and no step column: the epoch is the step"
                    + (f" ({repeats} epoch(s) printed twice in a row: the later line is kept)" if repeats else ""))
    return (df.assign(step=np.arange(len(df), dtype="int64")), "row number",
            "no step, epoch/batch or kimg column: the row number is the step")


def _one_row_per_epoch_at_one_batch(df: pd.DataFrame, batch_col: str) -> bool:
    """Whether every row is printed at the same batch of a new epoch, no batch total given ("g loss in 0epoch,
    1batch : 0.61", one line per epoch): that batch says nothing of the epochs' size (read as "1 batch per epoch"
    it made 100 epochs 100 iterations), so the rows are read as one per epoch."""
    if "n_batches" in df.columns or len(df) < 3:
        return False
    batch = pd.to_numeric(df[batch_col], errors="coerce")
    epoch = pd.to_numeric(df["epoch"], errors="coerce").to_numpy(dtype="float64")
    return batch.nunique(dropna=False) == 1 and bool(np.isfinite(epoch).all() and (np.diff(epoch) > 0).all())


#: a log with no step column has one row per epoch when at most this share of its rows repeat the
#: epoch of the row before (more: several rows per epoch, stepped by the row number)
EPOCH_REPEATS_SHARE = 0.05
#: a jump between consecutive logged steps of this many median intervals is a gap in the log
GAP_FACTOR = 100


def epoch_print_steps(df: pd.DataFrame, every: int, one_based: bool = False) -> tuple[np.ndarray, str, str] | None:
    """(steps, how, why) for rows that carry an epoch and no batch, printed at batches 0, N, 2N, .. of each epoch
    (``every`` = N, the notebook code's ``if batch_i % print_every == 0``): an epoch that prints n rows holds
    (n - 1) N + 1 to n N batches, read as the middle, (n - 1/2) N, and row j of an epoch at j N in it; with
    ``one_based`` (``if (i + 1) % N == 0``) at batches N - 1, 2N - 1, ..: n N to (n + 1) N - 1 batches, read as
    (n + 1/2) N, row j at (j + 1) N - 1 (Udacity's
    MNIST template prints at batches 0, 400 and 800 of 938: stepped by the row number x 400, each epoch was
    read as 1,200 iterations, 28 % long; now 1,000). None where the rows carry no epoch, an epoch prints one
    row, or the epochs' row counts differ (the last epoch's may be fewer)."""
    if "epoch" not in df.columns or every < 1:
        return None
    epoch = pd.to_numeric(df["epoch"], errors="coerce").to_numpy(dtype="float64")
    if len(epoch) < 4 or not np.isfinite(epoch).all() or (np.diff(epoch) < 0).any():
        return None
    _, first, counts = np.unique(epoch, return_index=True, return_counts=True)
    full = counts[:-1] if len(counts) > 1 else counts
    n = int(full[0])
    if n < 2 or (full != n).any() or counts[-1] > n:
        return None
    per_epoch = int(round((n + 0.5 if one_based else n - 0.5) * every))
    index = np.repeat(np.arange(len(counts)), counts)
    within = np.arange(len(epoch)) - np.repeat(first, counts)
    steps = (index * per_epoch + within * every + (every - 1 if one_based else 0)).astype("int64")
    lo, hi = (n * every, (n + 1) * every - 1) if one_based else ((n - 1) * every + 1, n * every)
    at = f"{every - 1}, {2 * every - 1}" if one_based else f"0, {every}"
    return (steps, f"epoch x {per_epoch} + row in the epoch x {every}",
            f"each epoch prints {n} rows, at batches {at}, ..: it holds {lo}-{hi} batches, read as {per_epoch}")


def printed_twice(same: np.ndarray) -> np.ndarray:
    """Which of rows 1..n-1 repeat a line printed twice, from ``same`` (row i + 1 equals row i, exactly).
    Where most rows come in pairs (the whole log written twice), every run of k equal rows holds k / 2
    lines (rounded up); elsewhere only a lone pair is one line: three or more equal lines in a row are rows
    whose printed values coincide (losses flat at the print's 4 decimals, held-out batch 191)."""
    same = np.asarray(same, dtype=bool)
    starts = np.flatnonzero(np.diff(np.r_[0, same.astype(np.int8), 0]) == 1)
    ends = np.flatnonzero(np.diff(np.r_[0, same.astype(np.int8), 0]) == -1)      # runs of True: pairs (i, i + 1)
    rows = ends - starts + 1                    # equal rows in each run
    doubled = (rows == 2).sum() * 2 > 0.5 * (len(same) + 1)
    out = np.zeros(len(same), dtype=bool)
    for a, b, k in zip(starts, ends, rows):
        if k == 2 or doubled:
            out[a:b][::2] = True                # the second of each pair in the run
    return out


def step_gaps(steps: np.ndarray) -> list[tuple[int, int]]:
    """(last step before, first step after) of every jump of at least :data:`GAP_FACTOR` median
    intervals between consecutive logged steps (a README's "[...]" elision, lines cut from a
    console copy, a run resumed far later); ``ganalyze.diagnose.gaps`` names the gaps the diagnosis shuts."""
    steps = np.asarray(steps, dtype="int64")
    if len(steps) < 3:
        return []
    d = np.diff(steps)
    med = float(np.median(d[d > 0])) if (d > 0).any() else 0.0
    if med <= 0:
        return []
    at = np.flatnonzero(d >= GAP_FACTOR * med)
    return [(int(steps[i]), int(steps[i + 1])) for i in at]


def superseded_rows(steps: np.ndarray, segments) -> np.ndarray:
    """Rows a later session replaced (bool per row, in write order): ``segments`` numbers the
    sessions (non-decreasing); each session replaces every earlier row at or after its lowest step,
    also rows past the steps it reached itself (the branch it abandoned)."""
    segments = np.asarray(segments)
    if not len(steps) or segments[-1] == segments[0]:
        return np.zeros(len(steps), dtype=bool)
    seg_ids = np.unique(segments)
    seg_min = pd.Series(steps).groupby(segments).min().reindex(seg_ids).to_numpy(dtype="float64")
    later_min = np.append(np.minimum.accumulate(seg_min[::-1])[::-1][1:], np.inf)
    return steps >= later_min[np.searchsorted(seg_ids, segments)]


def appended_run_bounds(key: np.ndarray) -> list[tuple[int, int]]:
    """Row ranges of the runs a file holds one after another: a row whose counter ``key`` goes
    back to where the file began (at or below its first value) starts another run; one range
    when none does, or when a run would hold a single row (an aborted start is no run). A resume
    goes back to a checkpoint's later step and stays in its run (:func:`superseded_rows`)."""
    starts = (np.flatnonzero((key[1:] < key[:-1]) & (key[1:] <= key[0])) + 1).tolist()
    bounds = list(zip([0, *starts], [*starts, len(key)]))
    if len(bounds) == 1 or min(b - a for a, b in bounds) < 2:
        return [(0, len(key))]
    return bounds


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
    if len(steps) < 2 or (steps[1:] > steps[:-1]).all():
        return df, info
    # a line written twice with the same values (two logging calls, a handler added twice): a
    # repeat, not a rewrite; dropped before restarts are looked for (on_duplicate="error" refuses it)
    same = df.duplicated(subset=[c for c in df.columns if c not in BOOKKEEPING or c == "step"], keep="first").to_numpy()
    if same.any() and on_duplicate != "error":
        df, steps = df[~same], steps[~same]
        segments = None if segments is None else np.asarray(segments)[~same]
        info["repeated_rows_dropped"] = int(same.sum())
        if len(steps) < 2 or (steps[1:] > steps[:-1]).all():
            return df.reset_index(drop=True), info
    if segments is None:
        if not pd.Series(steps).duplicated().any():
            return df, info              # unsorted but unique steps: no rewrite, validate_frame sorts
        segments = np.concatenate([[0], np.cumsum(steps[1:] < steps[:-1])])
    segments = np.asarray(segments)
    n = len(df)
    keep = np.ones(n, dtype=bool)
    replaced = 0
    if segments[-1] > segments[0]:
        keep = ~superseded_rows(steps, segments)
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
        # every repeat right after the row before it (a print inside a critic's inner loop, five to a step):
        # the same step printed again at once, no restart
        runs = 1 + int(np.count_nonzero(steps[1:] != steps[:-1])) if len(steps) else 0
        in_a_row = runs == len(np.unique(steps)) and runs < n
        why = ("each printed again in a row (a print inside an inner loop, such as a critic's?)" if in_a_row
               else "a restart?")
        warnings.warn(f"{source}: {replaced} row(s) replaced by a later write of the same step "
                      f"(first: step {first_dup}; {why}); kept the last write", stacklevel=2)
        info["duplicates_replaced"] = replaced
    if merged:
        info["rows_merged"] = merged
    return kept.reset_index(drop=True), info
