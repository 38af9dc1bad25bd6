"""read_run / read_runs / write_run: every supported log into one validated DataFrame.

The formats and the rules they share live in ``ganalyze.runlog.formats`` (one module per
family; docs/run_format.md has the "formats read" table). The result has ``step`` (int64)
and float64 columns, sorted by step, with the run's metadata in ``df.attrs``.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ganalyze import validate
from ganalyze.errors import GanalyzeError
from ganalyze.runlog import store
from ganalyze.runlog.formats import read_sources
from ganalyze.runlog.formats.options import ReadOptions
from ganalyze.runlog.formats.tensorboard import default_tag_column
from ganalyze.runlog.schema import normalise_meta

REQUIRED = ("step", "d_loss", "g_loss")

__all__ = ["ReadOptions", "default_tag_column", "read_run", "read_runs", "run_base_name", "write_run"]


def run_base_name(path) -> str:
    """A run's name from its path: the directory of a ``run.parquet``, a directory's name,
    else the file name without its suffix."""
    p = Path(path)
    return p.parent.name if p.name == store.RUN_FILE else (p.name if p.is_dir() else p.stem)


def _options(options: ReadOptions | None, kwargs: dict) -> ReadOptions:
    if options is not None:
        if any(v is not None for v in kwargs.values()):
            raise GanalyzeError("options: pass either a ReadOptions or keyword arguments, not both")
        return options
    return ReadOptions.make(**kwargs)


def read_runs(path, loss=None, d_loss_reduction=None, scores=None, tb_tags=None, *, columns=None,
              step_from=None, averaged=None, pair=None, on_duplicate=None, lsgan_terms=None,
              options: ReadOptions | None = None, keep=None, float32: bool = False) -> dict[str, pd.DataFrame]:
    """Every run at ``path`` as ``{name: DataFrame}``: one for most logs; ``NAME:A`` and
    ``NAME:B`` for a CycleGAN loss_log; ``NAME:version_0``, ... for a TensorBoard directory
    whose sub-directories are separate runs. ``pair`` keeps only the run of that name.
    Arguments as :func:`read_run`, and for long runs, memory:
    ``keep``: a callable picking, from a run's column names, the columns to keep (``step``,
    ``d_loss`` and ``g_loss`` always); a finished run directory then reads only those.
    ``float32``: float64 columns whose values are all exactly float32 (a PyTorch loss's
    ``.item()`` is) come back as float32: half the memory, the same numbers."""
    opts = _options(options, {"loss": loss, "d_loss_reduction": d_loss_reduction, "scores": scores,
                              "tb_tags": tb_tags, "columns": columns, "step_from": step_from,
                              "averaged": averaged, "pair": pair, "on_duplicate": on_duplicate,
                              "lsgan_terms": lsgan_terms})
    wanted = None if keep is None else (lambda names: _kept(names, keep))
    # regular files only: a FIFO would block, a loop spin
    found = read_sources(validate.run_path(path), opts, wanted, float32)
    base = run_base_name(path)
    out = {}
    for suffix, df in found:
        dropped = [] if wanted is None else [c for c in df.columns if c not in set(wanted(list(df.columns)))]
        if dropped:
            attrs = dict(df.attrs)
            df = df.drop(columns=dropped)
            df.attrs = attrs
        if float32:
            for name in df.columns:
                if name != "step" and df[name].dtype == np.float64:
                    df[name] = store.float32_when_exact(df[name].to_numpy())
        if suffix is not None:
            df.attrs["pair" if "pair" in df.attrs else "run_in_file"] = suffix
        out[f"{base}:{suffix}" if suffix is not None else base] = df
    return out


def _kept(names: list[str], keep) -> list[str]:
    picked = set(keep(list(names)))
    return [c for c in names if c in REQUIRED or c in picked]


def read_run(path, loss=None, d_loss_reduction=None, scores=None, tb_tags=None, *, columns=None,
             step_from=None, averaged=None, pair=None, on_duplicate=None, lsgan_terms=None,
             options: ReadOptions | None = None) -> pd.DataFrame:
    """Read one run from any supported log (docs/run_format.md, "Formats read").

    What you declare wins over what the file says, which wins over a reader's guess
    (guesses and their reasons: ``df.attrs["guessed"]``):
    ``loss``, ``d_loss_reduction``, ``scores``: what the log cannot say.
    ``tb_tags``: TensorBoard tag -> column (``{"critic": "d_loss"}`` or ``"critic=d_loss,gen=g_loss"``).
    ``columns``: our column -> the file's (``{"d_loss": "D"}`` or ``"d_loss=D,g_loss=G"``).
    ``step_from``: ``"row"``, ``"kimg"``, ``"epoch"``, a column, or ``"EPOCH,BATCH"`` columns.
    ``averaged``: True when each value is a mean over the interval since the previous line.
    ``lsgan_terms``: ``"half"`` (the LSGAN paper's ½(D - target)²) or ``"plain"`` (plain MSE).
    ``pair``: which run of a file holding several (``"A"``/``"B"`` for CycleGAN, a
    sub-directory for TensorBoard); without it such a file is refused with the list.
    ``on_duplicate``: ``"last"`` (default: a rewritten step replaces the earlier rows, counted
    in ``attrs["duplicates_replaced"]``, with a warning) or ``"error"``.
    ``options``: all of the above as one :class:`ReadOptions` instead.
    """
    runs = read_runs(path, loss, d_loss_reduction, scores, tb_tags, columns=columns, step_from=step_from,
                     averaged=averaged, pair=pair, on_duplicate=on_duplicate, lsgan_terms=lsgan_terms,
                     options=options)
    if len(runs) > 1:
        names = list(runs)
        suffixes = [n.rsplit(":", 1)[1] for n in names]
        raise GanalyzeError(f"path: {str(path)!r} holds {len(runs)} runs ({', '.join(names)}); "
                            f"choose one with --pair {'|'.join(suffixes)} (read_run(pair=...)), "
                            "or read them all with read_runs / any ganalyze command")
    return next(iter(runs.values()))


def write_run(df: pd.DataFrame, run_dir, meta: dict | None = None) -> Path:
    """Write ``df`` as ``run_dir/run.parquet`` (atomic rename); return the file's path.

    Metadata: ``df.attrs`` updated by ``meta``. The frame is validated first, by the same layer
    as every read (:func:`ganalyze.validate.validate_frame`): what is written reads back as is.
    """
    if not isinstance(df, pd.DataFrame):
        raise GanalyzeError(f"df: got {type(df).__name__}; allowed: a pandas DataFrame")
    merged = dict(df.attrs)
    merged.update(meta or {})
    merged = normalise_meta(merged)
    frame = validate.validate_frame(df, source="df")   # the one validation layer, as on every read
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata(None)
    path = run_dir / store.RUN_FILE
    store.write_table_atomic(table, path, merged)
    return path
