"""TensorBoard event files (via tbparse, imported only here, only when one is read).

Tags map to columns by name (``Loss/D`` -> d_loss) or by ``tb_tags`` / ``columns``; a tag
written again at the same step keeps its last write (by wall time). A tag that names the step
(``step``, ``global_step``, ...) is ignored with a warning: every event carries its own step.
A directory whose sub-directories each hold a D and a G loss of their own (Lightning's
``version_0/``, ``version_1/``, one folder per run) is several runs, read each as its own run.

TF2's ``tf.summary.scalar`` stores scalars as tensors: those are read too. A file whose every
step holds the same number ``n`` of writes per tag, in order (the TF pix2pix tutorial logs
``step=step//1000``), is read as ``n`` consecutive steps per written step (a guess, said so).
StyleGAN2-ADA's events (``Progress/kimg`` and ``Loss/D/loss``) are read as its ``stats.jsonl``:
the step is ``Progress/kimg`` x 1000 (the events' own step is kimg, rounded down), tick means.
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.runlog.formats.common import Parsed
from ganalyze.runlog.formats.jsonlog import STYLEGAN_FIXED, stylegan2_guesses
from ganalyze.runlog.formats.steps import superseded_rows
from ganalyze.runlog.schema import canonical_column


def event_files(path: Path) -> list[Path]:
    return sorted(path.rglob("*tfevents*"))


def default_tag_column(tag: str) -> str:
    """Column for a TensorBoard tag by name: the whole tag, then its last part, as an alias
    (``Loss/D`` -> d_loss, ``train/g_loss`` -> g_loss); otherwise the tag made a name."""
    parts = tag.split("/")
    for candidate in (tag, parts[-1], "_".join(reversed(parts[-2:]))):
        canon = canonical_column(candidate)
        if canon is not None:
            return canon
    return re.sub(r"[^0-9a-zA-Z_]+", "_", tag).strip("_").lower()


def _as_number(value) -> float | None:
    """A 0-d numeric tensor's value (NaN and inf kept); None for anything else (images, text)."""
    try:
        return float(value) if np.ndim(value) == 0 and not isinstance(value, (str, bytes)) else None
    except (TypeError, ValueError):
        return None


#: an event file this small holds its header record (and at most a metadata record), no values
HEADER_ONLY_BYTES = 128


def _load(path: Path) -> pd.DataFrame:
    from tbparse import SummaryReader

    try:
        with warnings.catch_warnings():   # tbparse uses pandas APIs pandas 3 deprecates
            warnings.simplefilter("ignore")
            reader = SummaryReader(str(path), extra_columns={"wall_time", "dir_name"})
            scalars, tensors = reader.scalars, reader.tensors
    except Exception as err:  # tbparse raises various types for corrupt files
        raise GanalyzeError(f"path: {str(path)!r} could not be read as TensorBoard events ({err})") from None
    if tensors is not None and not tensors.empty:       # TF2 tf.summary.scalar: 0-d tensors
        value = tensors["value"].map(_as_number)
        tensors = tensors[value.map(lambda v: v is not None)].assign(value=lambda t: t["value"].map(_as_number).astype("float64"))
        if not tensors.empty:
            scalars = tensors if scalars is None or scalars.empty else pd.concat([scalars, tensors], ignore_index=True)
    return scalars


def _coarse_steps(scalars: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """``step = written step x n + index`` when every written step but the last holds exactly
    ``n > 1`` writes per tag, in write order (``step=step // n``); (frame, n), n = 1 otherwise."""
    ordered = scalars.sort_values("wall_time", kind="stable")
    counts = ordered.groupby(["tag", "step"]).size()
    if counts.max() < 2:
        return scalars, 1
    per_tag = counts.groupby(level="tag")
    full = pd.concat([g.iloc[:-1] for _, g in per_tag]) if per_tag.ngroups else counts
    n = int(counts.max())
    steps_go_back = ordered.groupby("tag")["step"].apply(lambda x: (x.diff().dropna() < 0).any()).any()
    if steps_go_back or len(full) == 0 or (full != n).any() or (per_tag.last() > n).any():
        return scalars, 1
    index = ordered.groupby(["tag", "step"]).cumcount()
    return ordered.assign(step=ordered["step"] * n + index), n


def superseded(scalars: pd.DataFrame) -> np.ndarray:
    """Rows a restart replaced (bool per row of ``scalars``, sorted by wall time): per tag, a step
    lower than the one written before starts another session, and every row an earlier session
    wrote at or after that session's first step belongs to the branch it abandoned, also beyond
    the steps the restart itself reached (keeping those spliced two branches of the run)."""
    out = np.zeros(len(scalars), dtype=bool)
    for _, at in scalars.groupby("tag", sort=False).indices.items():
        steps = scalars["step"].to_numpy()[at]
        out[at] = superseded_rows(steps, np.concatenate([[0], np.cumsum(np.diff(steps) < 0)]))
    return out


def _wide(scalars: pd.DataFrame, mapping: dict, source: str) -> tuple[pd.DataFrame, dict, int]:
    tags = list(scalars["tag"].unique())
    column_of = {t: mapping.get(t) or default_tag_column(t) for t in tags}
    as_step = [t for t, c in column_of.items() if c == "step"]
    if as_step:              # a logged "step"/"global_step" value: every event carries its step already
        warnings.warn(f"{source}: tag(s) {', '.join(map(repr, as_step))} name the step, which every "
                      "TensorBoard event carries itself; ignored (the events' step is used)", stacklevel=3)
        scalars = scalars[~scalars["tag"].isin(as_step)]
        column_of = {t: c for t, c in column_of.items() if c != "step"}
    cols = pd.Series(column_of, dtype=object)
    clash = cols[cols.duplicated(keep=False)]
    if len(clash):
        raise GanalyzeError(f"{source}: tags {', '.join(clash.index)} all map to {clash.iloc[0]!r}; "
                            "name the mapping with --tb-tags TAG=COLUMN (read_run(tb_tags=...))")
    scalars = scalars.assign(column=scalars["tag"].map(column_of)).sort_values("wall_time", kind="stable")
    before = len(scalars)
    scalars = scalars[~superseded(scalars)]
    scalars = scalars.drop_duplicates(["step", "column"], keep="last")   # a restart rewrites its steps
    wide = scalars.pivot(index="step", columns="column", values="value")
    wide.columns.name = None
    if "time_s" not in wide.columns:
        wall = scalars.groupby("step")["wall_time"].min()
        wide["time_s"] = wall - wall.min()
    wide = wide.reset_index()
    wide["step"] = wide["step"].astype("int64")
    return wide, {str(k): str(v) for k, v in column_of.items()}, before - len(scalars)


def parse_tensorboard(path: Path, tb_tags: dict, columns: dict, on_duplicate: str = "last") -> list[Parsed]:
    """Read the events under ``path``; one Parsed per run (module doc). A value written again
    at its step (a restarted run) replaces the earlier one, with a warning, or is refused
    (``on_duplicate="error"``)."""
    mapping = dict(tb_tags)
    mapping.update({theirs: ours for ours, theirs in columns.items()})
    scalars = _load(path)
    if scalars is None or scalars.empty:
        files = [path] if path.is_file() else sorted(path.rglob("*tfevents*"))
        if files and all(f.stat().st_size <= HEADER_ONLY_BYTES for f in files):
            raise GanalyzeError(f"path: {str(path)!r} holds no TensorBoard scalars: its {len(files)} event file(s) hold "
                                "nothing beyond the file header (the run stopped before its first logged value?); "
                                "allowed: event files with add_scalar or tf.summary.scalar data")
        raise GanalyzeError(f"path: {str(path)!r} holds no TensorBoard scalars; allowed: event files with add_scalar or tf.summary.scalar data")
    tags = set(scalars["tag"].unique())
    stylegan = "Progress/kimg" in tags and bool({"Loss/D/loss", "Loss/G/loss"} & tags)
    if stylegan:
        mapping = {**{t: c for t, c in STYLEGAN_FIXED.items() if t in tags}, **mapping}
    unknown = [t for t in tb_tags if t not in tags]
    if unknown:
        raise GanalyzeError(f"tb_tags: tag(s) {', '.join(unknown)} not in the events; available: {', '.join(sorted(tags))}")
    if "dir_name" not in scalars.columns:
        scalars = scalars.assign(dir_name="")
    scalars["dir_name"] = scalars["dir_name"].fillna("").astype(str)
    dirs = sorted(scalars["dir_name"].unique())
    runs = []
    if len(dirs) > 1:
        for d in dirs:
            own = scalars[scalars["dir_name"] == d]
            cols = {mapping.get(t) or default_tag_column(t) for t in own["tag"].unique()}
            if {"d_loss", "g_loss"} <= cols:
                runs.append(d)
    groups = [(d, scalars[scalars["dir_name"] == d]) for d in runs] if len(runs) > 1 else [(None, scalars)]
    out = []
    for d, part in groups:
        source = str(Path(path) / d) if d else str(path)
        part, per_step = _coarse_steps(part.drop(columns=["dir_name"]))
        wide, column_of, rewritten = _wide(part, mapping, source)
        meta, guesses = {"source_format": "tensorboard", "tb_tags": column_of}, {}
        if per_step > 1:
            guesses["step_from"] = (f"written step x {per_step} + the write's index within it",
                                    f"every written step holds {per_step} writes per tag, in order "
                                    f"(a log written with step=step // {per_step}, as the TF pix2pix tutorial does)")
        if stylegan and "kimg" in wide.columns and wide["kimg"].notna().all():
            wide = wide.rename(columns={"step": "file_step"})
            wide.insert(0, "step", np.round(wide["kimg"].to_numpy(dtype="float64") * 1000).astype("int64"))
            meta.update(source_format="stylegan2-tfevents", step_from="Progress/kimg x 1000 (images shown)",
                        averaged=True, averaged_over="one tick (each event holds the tick's mean)")
            guesses.update(stylegan2_guesses())
        if rewritten:
            if on_duplicate == "error":
                raise GanalyzeError(f"{source}: {rewritten} value(s) written again at a step already logged "
                                    "(a restart?); allowed with on_duplicate='last' (--on-duplicate last)")
            warnings.warn(f"{source}: {rewritten} value(s) replaced by a later write at the same step "
                          "(a restart?); kept the last write", stacklevel=2)
            meta["duplicates_replaced"] = int(rewritten)
        out.append(Parsed(frame=wide, meta=meta, guesses=guesses, suffix=d,
                          fixed={c: c for c in wide.columns}, columns_applied=True))
    return out
