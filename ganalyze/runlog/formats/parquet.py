"""Our own format: a run directory (``run.parquet`` and/or ``run.parquet.parts/``) or any
Parquet file with our columns. Read column by column (peak memory ~ one copy)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ganalyze.runlog import store


def _table_to_frame(holder: list) -> pd.DataFrame:
    """Convert ``holder.pop()`` (the only reference to a Table) column by column, freeing
    each Arrow buffer once converted (self_destruct): peak memory ~ one copy, not two."""
    return holder.pop().to_pandas(self_destruct=True, split_blocks=True, use_threads=False)


def is_run_dir(path: Path) -> bool:
    """Whether ``path`` holds a run: its parts folder, or its merged ``run.parquet``. Asked in that order: a closing
    writer commits ``run.parquet`` before it removes the parts folder, so one of the two is seen whenever the
    check runs (asked the other way round, a reader racing ``close()`` could find the file not yet there and then
    the folder already gone, and call the run folder no run)."""
    return (path / store.PARTS_DIR).is_dir() or (path / store.RUN_FILE).exists()


def read_run_dir(run_dir: Path, columns=None, float32: bool = False) -> tuple[pd.DataFrame, dict]:
    """A finished, live or killed run directory (a torn part is skipped with a warning; see the
    commit protocol in ``ganalyze.runlog.store``). ``columns``/``float32``: as
    :func:`ganalyze.runlog.store.read_run_frame`."""
    return store.read_run_frame(run_dir, columns, float32)


def read_parquet_file(path: Path) -> tuple[pd.DataFrame, dict]:
    """A Parquet file that is not a run directory's ``run.parquet``."""
    holder = [store.read_table(path, tolerate_torn=False)]
    meta = store.table_meta(holder[0])
    meta.setdefault("source_format", "parquet")
    return _table_to_frame(holder), meta
