"""Our own format: a run directory (``run.parquet`` and/or ``run.parquet.parts/``) or any
Parquet file with our columns. Read column by column (peak memory ~ one copy)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.runlog import store


def _table_to_frame(holder: list) -> pd.DataFrame:
    """Convert ``holder.pop()`` (the only reference to a Table) column by column, freeing
    each Arrow buffer once converted (self_destruct): peak memory ~ one copy, not two."""
    return holder.pop().to_pandas(self_destruct=True, split_blocks=True, use_threads=False)


def is_run_dir(path: Path) -> bool:
    return (path / store.RUN_FILE).exists() or (path / store.PARTS_DIR).is_dir()


def read_run_dir(run_dir: Path) -> tuple[pd.DataFrame, dict]:
    """A finished, live or killed run directory (a torn part is skipped with a warning)."""
    if not store.list_parts(run_dir) and (run_dir / store.RUN_FILE).exists():
        return store.read_frame_columnwise(run_dir / store.RUN_FILE)   # finished run: the big case
    table, meta = store.read_run_dir(run_dir)
    if table is None:
        raise GanalyzeError(f"path: {str(run_dir)!r} holds no complete rows yet; allowed: a run with at least one flushed part")
    holder = [table]
    del table
    return _table_to_frame(holder), meta


def read_parquet_file(path: Path) -> tuple[pd.DataFrame, dict]:
    """A Parquet file that is not a run directory's ``run.parquet``."""
    holder = [store.read_table(path, tolerate_torn=False)]
    meta = store.table_meta(holder[0])
    meta.setdefault("source_format", "parquet")
    return _table_to_frame(holder), meta
