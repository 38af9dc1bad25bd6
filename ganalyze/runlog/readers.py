"""read_run / write_run: every supported source into one validated DataFrame.

Sources (picked by what ``path`` is):
- a run directory or its ``run.parquet`` (finished, still being written, or killed:
  ``run.parquet`` plus every complete part; a torn part is skipped with a warning);
- a CSV file with our column names or common aliases (``Loss_D``, ``errG``, ``D(x)``...);
- the console log of the PyTorch DCGAN tutorial (``[e/E][i/N]\\tLoss_D: ..``);
- a TensorBoard event directory (or one event file), via tbparse.

The result has ``step`` (int64) and float64 columns, sorted by step, with the run's
metadata in ``df.attrs`` (see docs/run_format.md).
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ganalyze import validate
from ganalyze.errors import GanalyzeError
from ganalyze.runlog import store
from ganalyze.runlog.schema import (
    canonical_column,
    normalise_meta,
    normalise_name,
    validate_frame,
)

_TEXT_SUFFIXES = {".log", ".txt", ".out"}
_CSV_SUFFIXES = {".csv", ".tsv"}


def read_run(path, loss=None, d_loss_reduction=None, scores=None, tb_tags=None) -> pd.DataFrame:
    """Read a run from any supported source (module doc) into a DataFrame.

    ``loss``, ``d_loss_reduction``, ``scores``: declare what the log cannot say; they
    override the file's metadata. ``tb_tags``: TensorBoard tag -> column mapping (a dict or
    ``"tag=column,tag2=column2"``); unmapped tags are matched by name (``Loss/D`` -> d_loss).
    """
    p = validate.run_path(path)   # regular files only: a FIFO would block, a loop would spin
    if not p.exists():
        raise GanalyzeError(f"path: {str(path)!r} does not exist; allowed: a run directory, .parquet, .csv, console .log or TensorBoard directory")
    if p.is_dir():
        if (p / store.RUN_FILE).exists() or (p / store.PARTS_DIR).is_dir():
            df, meta = _read_ganalyze_dir(p)
        elif _event_files(p):
            df, meta = _read_tensorboard(p, tb_tags)
        else:
            raise GanalyzeError(
                f"path: directory {str(path)!r} holds no run.parquet, run.parquet.parts/ or "
                "TensorBoard event files; allowed: a run directory or a TensorBoard log directory"
            )
    else:
        if p.stat().st_size == 0:
            raise GanalyzeError(f"path: {str(path)!r} is empty; allowed: a non-empty run file")
        with open(p, "rb") as fh:
            head = fh.read(4096)
        suffix = p.suffix.lower()
        if head[:4] == b"PAR1":
            if p.name == store.RUN_FILE:
                df, meta = _read_ganalyze_dir(p.parent)
            else:
                df, meta = _read_parquet_file(p)
        elif "tfevents" in p.name:
            df, meta = _read_tensorboard(p, tb_tags)
        elif suffix == ".parquet":
            raise GanalyzeError(f"path: {str(path)!r} is not a Parquet file (no PAR1 header); allowed: a Parquet run file")
        elif b"\x00" in head:
            raise GanalyzeError(
                f"path: {str(path)!r} is a binary file of unknown format; allowed: Parquet, CSV, "
                "DCGAN console log, TensorBoard events"
            )
        else:
            text_head = head.decode("utf-8", errors="replace")
            is_console = bool(_DCGAN_LINE.search(text_head)) or (
                suffix in _TEXT_SUFFIXES and not _looks_like_table_header(text_head))
            if suffix in _CSV_SUFFIXES or not is_console:
                df, meta = _read_csv(p, sep="\t" if suffix == ".tsv" else None)
            else:
                df, meta = _read_dcgan_console(p)
    df.attrs = normalise_meta(meta, loss=loss, d_loss_reduction=d_loss_reduction, scores=scores)
    return validate.validate_frame(df, source=str(path))


def write_run(df: pd.DataFrame, run_dir, meta: dict | None = None) -> Path:
    """Write ``df`` as ``run_dir/run.parquet`` (atomic rename); return the file's path.

    Metadata: ``df.attrs`` updated by ``meta``. The frame is validated first.
    """
    if not isinstance(df, pd.DataFrame):
        raise GanalyzeError(f"df: got {type(df).__name__}; allowed: a pandas DataFrame")
    merged = dict(df.attrs)
    merged.update(meta or {})
    merged = normalise_meta(merged)
    frame = validate_frame(df, source="df")
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata(None)
    path = run_dir / store.RUN_FILE
    store.write_table_atomic(table, path, merged)
    return path


# ---- Parquet --------------------------------------------------------------------------
def _table_to_frame(holder: list) -> pd.DataFrame:
    """Convert ``holder.pop()`` (the only reference to a Table) column by column, freeing
    each Arrow buffer once converted (self_destruct): peak memory ~ one copy, not two."""
    return holder.pop().to_pandas(self_destruct=True, split_blocks=True, use_threads=False)


def _read_ganalyze_dir(run_dir: Path) -> tuple[pd.DataFrame, dict]:
    if not store.list_parts(run_dir) and (run_dir / store.RUN_FILE).exists():
        return store.read_frame_columnwise(run_dir / store.RUN_FILE)   # finished run: the big case
    table, meta = store.read_run_dir(run_dir)
    if table is None:
        raise GanalyzeError(f"path: {str(run_dir)!r} holds no complete rows yet; allowed: a run with at least one flushed part")
    holder = [table]
    del table
    return _table_to_frame(holder), meta


def _read_parquet_file(path: Path) -> tuple[pd.DataFrame, dict]:
    holder = [store.read_table(path, tolerate_torn=False)]
    meta = store.table_meta(holder[0])
    return _table_to_frame(holder), meta


# ---- CSV ------------------------------------------------------------------------------
def _rename_aliases(columns, source: str) -> dict:
    mapping = {}
    taken = {}
    for col in columns:
        canon = canonical_column(col)
        if canon is None:
            canon = re.sub(r"[^0-9a-zA-Z_]+", "_", str(col)).strip("_").lower() or str(col)
        if canon in taken:
            raise GanalyzeError(
                f"{source}: columns {taken[canon]!r} and {col!r} both mean {canon!r}; allowed: one column per quantity"
            )
        taken[canon] = col
        mapping[col] = canon
    return mapping


def _read_csv(path: Path, sep=None) -> tuple[pd.DataFrame, dict]:
    if sep is None:   # the header line decides: comma, tab, semicolon, else whitespace
        with open(path, encoding="utf-8", errors="replace") as fh:
            header = fh.readline()
        sep = next((c for c in (",", "\t", ";") if c in header), r"\s+")
    try:
        raw = pd.read_csv(path, sep=sep, skipinitialspace=True)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as err:
        raise GanalyzeError(f"path: {str(path)!r} is not a readable CSV ({str(err).splitlines()[0]})") from None
    except pd.errors.EmptyDataError:
        raise GanalyzeError(f"path: {str(path)!r} has no CSV header or rows; allowed: a CSV with a header line") from None
    if raw.shape[1] < 2:
        raise GanalyzeError(
            f"path: {str(path)!r} does not look like a CSV run (found {raw.shape[1]} column); "
            "allowed: Parquet, CSV with a header, DCGAN console log, TensorBoard directory"
        )
    raw = raw.rename(columns=_rename_aliases(raw.columns, str(path)))
    # "D(G(z))" written as "before / after" (the DCGAN tutorial's format) -> two columns.
    if "d_g_z1" in raw.columns and not pd.api.types.is_numeric_dtype(raw["d_g_z1"].dtype) and "d_g_z2" not in raw.columns:
        parts = raw["d_g_z1"].astype(str).str.split("/", n=1, expand=True)
        if parts.shape[1] == 2:
            raw["d_g_z1"] = parts[0].str.strip()
            raw.insert(raw.columns.get_loc("d_g_z1") + 1, "d_g_z2", parts[1].str.strip())
    # Extra columns that are not numbers at all (labels, names) are dropped with a warning;
    # our own columns must be numeric (validate_frame says where they are not).
    drop = [c for c in raw.columns if canonical_column(c) is None and not c.startswith("gt_")
            and not pd.api.types.is_numeric_dtype(raw[c].dtype)
            and pd.to_numeric(raw[c], errors="coerce").isna().all()]
    if drop:
        warnings.warn(f"{path}: ignoring non-numeric column(s) {', '.join(drop)}", stacklevel=3)
        raw = raw.drop(columns=drop)
    return raw, {"source_format": "csv", "source_path": str(path)}


def _looks_like_table_header(text: str) -> bool:
    """First line names a d_loss and a g_loss column (a whitespace/CSV table in a .txt/.log)."""
    first = text.splitlines()[0] if text else ""
    names = {canonical_column(tok) for tok in re.split(r"[,\t;\s]+", first.strip()) if tok}
    return {"d_loss", "g_loss"} <= names


# ---- DCGAN tutorial console log -------------------------------------------------------
_NUM = r"([-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|nan|inf|infinity))"
_DCGAN_LINE = re.compile(r"^\s*\[\d+/\d+\]\[\d+/\d+\]", re.M)
_DCGAN_ROW = re.compile(
    r"^\s*\[(\d+)/(\d+)\]\[(\d+)/(\d+)\]\s+Loss_D:\s*" + _NUM + r"\s+Loss_G:\s*" + _NUM
    + r"\s+D\(x\):\s*" + _NUM + r"\s+D\(G\(z\)\):\s*" + _NUM + r"\s*/\s*" + _NUM + r"\s*$",
    re.I,
)


def _read_dcgan_console(path: Path) -> tuple[pd.DataFrame, dict]:
    """Parse ``[epoch/n_epochs][i/iters_per_epoch] Loss_D: .. Loss_G: .. D(x): .. D(G(z)): a / b``.

    step = epoch * iters_per_epoch + i. ``a`` is D(G(z)) before the D update (d_g_z1),
    ``b`` after it (d_g_z2). Other lines are ignored; a line that starts like a progress
    line but does not parse (e.g. a torn last line) is skipped with a warning.
    """
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = [ln for ln in text.splitlines() if _DCGAN_LINE.match(ln)]
    if not lines:
        raise GanalyzeError(
            f"path: {str(path)!r} has no '[epoch/N][i/N] Loss_D: ...' lines; allowed: a DCGAN tutorial "
            "console log, CSV, Parquet run or TensorBoard directory"
        )
    parsed = pd.Series(lines).str.extract(_DCGAN_ROW)
    bad = parsed[0].isna()
    if bad.any():
        warnings.warn(
            f"{path}: skipping {int(bad.sum())} progress line(s) that do not parse, first: {lines[int(np.argmax(bad))][:80]!r}",
            stacklevel=3,
        )
        parsed = parsed[~bad]
    if parsed.empty:
        raise GanalyzeError(f"path: {str(path)!r}: no progress line parses; allowed: the DCGAN tutorial's print format")
    ints = parsed[[0, 1, 2, 3]].astype("int64")
    vals = parsed[[4, 5, 6, 7, 8]].astype("float64")   # numpy parses nan, inf, -inf, infinity
    per_epoch = ints[3]
    df = pd.DataFrame({
        "step": ints[0] * per_epoch + ints[2],
        "epoch": ints[0].astype("float64"),
        "d_loss": vals[4], "g_loss": vals[5], "d_x": vals[6], "d_g_z1": vals[7], "d_g_z2": vals[8],
    }).reset_index(drop=True)
    meta = {
        "source_format": "dcgan-console",
        "source_path": str(path),
        # The print format is the tutorial's; its code fixes these (errD = errD_real + errD_fake,
        # BCE with real labels for G, sigmoid output). Marked as inferred, not declared.
        "loss": "nsgan", "d_loss_reduction": "sum", "scores": "probability",
        "inferred": ["loss", "d_loss_reduction", "scores"],
        "arch": "dcgan64",
        "n_epochs": int(ints[1].iloc[0]), "iters_per_epoch": int(per_epoch.iloc[0]),
    }
    return df, meta


# ---- TensorBoard ----------------------------------------------------------------------
def _event_files(path: Path) -> list[Path]:
    return sorted(path.rglob("*tfevents*"))


def _parse_tb_tags(tb_tags) -> dict:
    if tb_tags is None:
        return {}
    if isinstance(tb_tags, dict):
        return dict(tb_tags)
    mapping = {}
    for item in str(tb_tags).split(","):
        if not item.strip():
            continue
        if "=" not in item:
            raise GanalyzeError(f"tb_tags: got {item!r}; allowed: 'tag=column' pairs separated by commas")
        tag, col = item.split("=", 1)
        mapping[tag.strip()] = col.strip()
    return mapping


def default_tag_column(tag: str) -> str:
    """Column for a TensorBoard tag by name: the whole tag, then its last part, as an alias
    (``Loss/D`` -> d_loss, ``train/g_loss`` -> g_loss); otherwise the tag made a name."""
    parts = tag.split("/")
    for candidate in (tag, parts[-1], "_".join(reversed(parts[-2:]))):
        canon = canonical_column(candidate)
        if canon is not None:
            return canon
    return re.sub(r"[^0-9a-zA-Z_]+", "_", tag).strip("_").lower()


def _read_tensorboard(path: Path, tb_tags) -> tuple[pd.DataFrame, dict]:
    from tbparse import SummaryReader

    mapping = _parse_tb_tags(tb_tags)
    try:
        with warnings.catch_warnings():   # tbparse uses pandas APIs pandas 3 deprecates
            warnings.simplefilter("ignore")
            scalars = SummaryReader(str(path), extra_columns={"wall_time"}).scalars
    except Exception as err:  # tbparse raises various types for corrupt files
        raise GanalyzeError(f"path: {str(path)!r} could not be read as TensorBoard events ({err})") from None
    if scalars is None or scalars.empty:
        raise GanalyzeError(f"path: {str(path)!r} holds no TensorBoard scalars; allowed: event files with add_scalar data")
    tags = scalars["tag"].unique()
    unknown = [t for t in mapping if t not in set(tags)]
    if unknown:
        raise GanalyzeError(f"tb_tags: tag(s) {', '.join(unknown)} not in the events; available: {', '.join(map(str, tags))}")
    column_of = {t: mapping.get(t) or default_tag_column(t) for t in tags}
    cols = pd.Series(column_of)
    clash = cols[cols.duplicated(keep=False)]
    if len(clash):
        raise GanalyzeError(
            f"tb_tags: tags {', '.join(clash.index)} all map to {clash.iloc[0]!r}; allowed: name the mapping with tb_tags"
        )
    scalars = scalars.assign(column=scalars["tag"].map(column_of)).sort_values("wall_time", kind="stable")
    # Later writes win (a restarted run rewrites its steps).
    scalars = scalars.drop_duplicates(["step", "column"], keep="last")
    wide = scalars.pivot(index="step", columns="column", values="value")
    wide.columns.name = None
    if "time_s" not in wide.columns:
        wall = scalars.groupby("step")["wall_time"].min()
        wide["time_s"] = wall - wall.min()
    wide = wide.reset_index()
    wide["step"] = wide["step"].astype("int64")
    return wide, {"source_format": "tensorboard", "source_path": str(path),
                  "tb_tags": {str(k): str(v) for k, v in column_of.items()}}
