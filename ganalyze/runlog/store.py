"""On-disk layout of a run: ``run.parquet`` plus the logger's ``run.parquet.parts/``.

Files are always written to a temporary name in the same directory and renamed into
place with ``os.replace`` (atomic on POSIX), so a reader never sees a half-written
``run.parquet`` or part. A part can still be torn if the machine loses power before the
OS writes it back (we do not fsync unless asked); such a part is skipped with a warning.

Supersession rule (used for resumed runs): sources are applied in write order
(``run.parquet`` first, then parts by number); each source replaces the rows already
collected whose step is >= its first step. Within one logging session parts are strictly
increasing, so the rule only bites where a resumed session restarted at an earlier step.
"""
from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ganalyze.errors import GanalyzeError
from ganalyze.runlog.schema import META_KEY, meta_from_json, meta_to_json

RUN_FILE = "run.parquet"
PARTS_DIR = "run.parquet.parts"
_PART_RE = re.compile(r"^part-(\d+)\.parquet$")


def part_path(run_dir: Path, number: int) -> Path:
    return run_dir / PARTS_DIR / f"part-{number:06d}.parquet"


def list_parts(run_dir: Path) -> list[tuple[int, Path]]:
    """Complete-looking part files (not temporaries), sorted by number."""
    parts_dir = run_dir / PARTS_DIR
    if not parts_dir.is_dir():
        return []
    out = []
    for entry in os.scandir(parts_dir):
        m = _PART_RE.match(entry.name)
        if m:
            out.append((int(m.group(1)), Path(entry.path)))
    return sorted(out)


def write_table_atomic(table: pa.Table, path: Path, meta: dict, fsync: bool = False) -> None:
    """Write ``table`` with ``meta`` (JSON under key ``ganalyze``) to ``path`` atomically."""
    schema_meta = dict(table.schema.metadata or {})
    schema_meta[META_KEY] = meta_to_json(meta)
    table = table.replace_schema_metadata(schema_meta)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            pq.write_table(table, fh, compression="snappy")
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def read_table(path: Path, *, tolerate_torn: bool) -> pa.Table | None:
    """Read one Parquet file; a torn file is None (with a warning) if tolerated."""
    try:
        return pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as err:
        if tolerate_torn and not path.exists():
            raise _PartVanished(path) from None
        if tolerate_torn:
            warnings.warn(f"skipping torn run part {path} ({str(err).splitlines()[0]})", stacklevel=3)
            return None
        if path.stat().st_size == 0:
            raise GanalyzeError(f"path: {path} is empty; allowed: a Parquet run file") from None
        raise GanalyzeError(f"path: {path} is not a readable Parquet file ({str(err).splitlines()[0]})") from None


def read_frame_columnwise(path: Path):
    """A finished ``run.parquet`` as a DataFrame, one column at a time.

    Each column goes Arrow -> numpy (zero-copy where possible) before the next is read and
    the frame is assembled without consolidation, so peak memory is about the frame plus
    one column's read buffers (a whole-table read + to_pandas holds ~2 copies).
    """
    import pandas as pd

    try:
        pf = pq.ParquetFile(path, memory_map=False)
    except (pa.ArrowInvalid, OSError) as err:
        if path.stat().st_size == 0:
            raise GanalyzeError(f"path: {path} is empty; allowed: a Parquet run file") from None
        raise GanalyzeError(f"path: {path} is not a readable Parquet file ({str(err).splitlines()[0]})") from None
    meta = meta_from_json((pf.schema_arrow.metadata or {}).get(META_KEY))
    columns = {}
    try:
        for name in pf.schema_arrow.names:
            table = pf.read(columns=[name], use_threads=False)
            col = table.column(0)
            if pa.types.is_floating(col.type) or (pa.types.is_integer(col.type) and col.null_count == 0):
                columns[name] = col.to_numpy()
            else:
                columns[name] = col.to_pandas()
            del table, col
    except (pa.ArrowInvalid, OSError) as err:
        raise GanalyzeError(f"path: {path} is not a readable Parquet file ({str(err).splitlines()[0]})") from None
    return pd.DataFrame(columns, copy=False), meta


def table_meta(table: pa.Table) -> dict:
    return meta_from_json((table.schema.metadata or {}).get(META_KEY))


def merge_sources(tables: list[pa.Table]) -> pa.Table | None:
    """Concatenate tables in write order applying the supersession rule (module doc)."""
    kept: list[pa.Table] = []
    for table in tables:
        if table.num_rows == 0:
            continue
        first = pc.min(table["step"]).as_py()
        # Drop rows already collected that this source supersedes.
        trimmed = []
        for old in kept:
            steps = old["step"].to_numpy()
            if steps.size and steps.max() >= first:
                old = old.filter(pa.array(steps < first))
            if old.num_rows:
                trimmed.append(old)
        trimmed.append(table)
        kept = trimmed
    if not kept:
        return tables[-1] if tables else None
    if len(kept) == 1:
        return kept[0]
    kept = [t.replace_schema_metadata(None) for t in kept]
    return pa.concat_tables(kept, promote_options="permissive")


class _PartVanished(Exception):
    """A part disappeared while reading: the writer merged and removed it (close())."""


def read_run_dir(run_dir: Path) -> tuple[pa.Table | None, dict]:
    """Everything readable in a run directory: merged table and the latest metadata.

    If the writer's ``close()`` merges and deletes the parts while we read, the read is
    retried, so a reader racing a closing writer sees the merged run, not a partial one.
    """
    for _ in range(5):
        try:
            return _read_run_dir_once(run_dir)
        except _PartVanished:
            continue
    return _read_run_dir_once(run_dir)


def _read_run_dir_once(run_dir: Path) -> tuple[pa.Table | None, dict]:
    sources: list[pa.Table] = []
    meta: dict = {}
    run_file = run_dir / RUN_FILE
    if run_file.exists():
        table = read_table(run_file, tolerate_torn=False)
        meta = table_meta(table)
        sources.append(table)
    for _, path in list_parts(run_dir):
        if not path.exists():
            raise _PartVanished(path)
        table = read_table(path, tolerate_torn=True)
        if table is None:
            continue
        meta = table_meta(table) or meta
        sources.append(table)
    if not sources:
        return None, meta
    merged = merge_sources(sources)
    return merged, meta


def steps_on_disk(run_dir: Path) -> np.ndarray:
    table, _ = read_run_dir(run_dir)
    if table is None:
        return np.empty(0, dtype=np.int64)
    return table["step"].to_numpy()
