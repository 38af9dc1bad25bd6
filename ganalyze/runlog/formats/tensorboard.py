"""TensorBoard event files (via tbparse, imported only here, only when one is read).

Tags map to columns by name (``Loss/D`` -> d_loss) or by ``tb_tags`` / ``columns``; a tag
written again at the same step keeps its last write (by wall time). A tag that names the step
(``step``, ``global_step``, ...) is ignored with a warning: every event carries its own step.
A directory whose sub-directories each hold a D and a G loss of their own (Lightning's
``version_0/``, ``version_1/``, one folder per run) is several runs, read each as its own run.
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.runlog.formats.common import Parsed
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


def _load(path: Path) -> pd.DataFrame:
    from tbparse import SummaryReader

    try:
        with warnings.catch_warnings():   # tbparse uses pandas APIs pandas 3 deprecates
            warnings.simplefilter("ignore")
            return SummaryReader(str(path), extra_columns={"wall_time", "dir_name"}).scalars
    except Exception as err:  # tbparse raises various types for corrupt files
        raise GanalyzeError(f"path: {str(path)!r} could not be read as TensorBoard events ({err})") from None


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
        raise GanalyzeError(f"path: {str(path)!r} holds no TensorBoard scalars; allowed: event files with add_scalar data")
    tags = set(scalars["tag"].unique())
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
        wide, column_of, rewritten = _wide(part.drop(columns=["dir_name"]), mapping, source)
        meta = {"source_format": "tensorboard", "tb_tags": column_of}
        if rewritten:
            if on_duplicate == "error":
                raise GanalyzeError(f"{source}: {rewritten} value(s) written again at a step already logged "
                                    "(a restart?); allowed with on_duplicate='last' (--on-duplicate last)")
            warnings.warn(f"{source}: {rewritten} value(s) replaced by a later write at the same step "
                          "(a restart?); kept the last write", stacklevel=2)
            meta["duplicates_replaced"] = int(rewritten)
        out.append(Parsed(frame=wide, meta=meta, suffix=d,
                          fixed={c: c for c in wide.columns}, columns_applied=True))
    return out
