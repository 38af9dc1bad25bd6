"""``analyse(paths) -> DataFrame`` and ``run_sweep(paths, out_dir)`` (table + page + reports)."""
from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.sweep.config import SweepConfig
from ganalyze.sweep.executors import local_workers, run_rows, warm_worker
from ganalyze.sweep.sources import RunRef, discover
from ganalyze.sweep.table import HP, build_table, swept_hparams, write_table

MAX_DEFAULT_BY = 6   # small-multiple sections drawn when --by is not given


def analyse(paths, config: SweepConfig = SweepConfig(), client=None) -> pd.DataFrame:
    """One row per run of ``paths`` (paths, globs, folders of runs, fsspec URLs; see
    ``ganalyze.sweep.sources``), in their order. Columns: ``ganalyze.sweep.row``. Local process
    pool by default; ``config.scheduler`` or a ``distributed.Client`` runs it on Dask. A run that
    fails is a row with its ``error``; the sweep itself only fails when no run can be found."""
    refs = paths if paths and all(isinstance(p, RunRef) for p in paths) else discover(paths)
    from tqdm.auto import tqdm

    rows: list = [None] * len(refs)
    where = (f"dask {config.scheduler}" if config.scheduler else "dask") if (client or config.scheduler) \
        else f"{local_workers(config)} local worker(s)"
    with tqdm(total=len(refs), desc=f"sweep ({where})", unit="run", file=sys.stderr,
              disable=not config.progress, mininterval=0.5) as bar:
        for i, row in run_rows(refs, config, client):
            rows[i] = row
            bar.update(1)
    return build_table(rows)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "run"


def _render_one(ref: RunRef, out_dir: str) -> str:
    """Render one run's report into ``out_dir``; remote runs are copied to a temporary folder."""
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    import contextlib
    import io

    from ganalyze.report import render_report
    from ganalyze.runlog.formats.options import ReadOptions

    # the report's own progress lines would interleave across workers: the sweep has its bar
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        if not ref.is_url:     # one run of a file holding several is that run's report alone
            render_report([ref.source], out_dir, read_options=ReadOptions(pair=ref.pair) if ref.pair else None)
            return out_dir
        import fsspec

        fs, path = fsspec.core.url_to_fs(ref.source)
        with tempfile.TemporaryDirectory() as tmp:
            local = Path(tmp) / _slug(ref.name)
            local.mkdir()
            fs.get(path, str(local / "run.parquet"))
            render_report([local], out_dir)
    return out_dir


def render_reports(table: pd.DataFrame, refs: list[RunRef], out_dir, config: SweepConfig) -> dict:
    """Each analysed run's own report under ``out_dir/reports/NNNN-name/``; run name -> link
    relative to ``out_dir``. Rendered with the local process pool; a report that fails is
    reported on stderr and left without a link."""
    from concurrent.futures import ProcessPoolExecutor

    out = Path(out_dir)
    failed = set(table.loc[table["error"].notna(), "run"])
    jobs = [(i, ref) for i, ref in enumerate(refs) if ref.name not in failed]
    links = {}
    import multiprocessing
    from concurrent.futures import Future

    from tqdm.auto import tqdm

    def folder_of(i, ref):
        return str(out / "reports" / f"{i:04d}-{_slug(ref.name)}")

    def serial():   # workers=0: in this process, as the sweep itself
        for i, ref in jobs:
            fut = Future()
            try:
                fut.set_result(_render_one(ref, folder_of(i, ref)))
            except Exception as err:  # noqa: BLE001 - reported below
                fut.set_exception(err)
            yield fut, (i, ref)

    def pooled(pool):
        futs = {pool.submit(_render_one, ref, folder_of(i, ref)): (i, ref) for i, ref in jobs}
        return futs.items()

    workers = local_workers(config)
    pool = None if workers == 0 else ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver"),
                                                         initializer=warm_worker, initargs=(dict(os.environ),))
    try:
        for fut, (i, ref) in tqdm(serial() if pool is None else pooled(pool), total=len(jobs), desc="reports",
                                  unit="run", file=sys.stderr, disable=not config.progress):
            try:
                folder = Path(fut.result())
                links[ref.name] = (folder / "report.html").relative_to(out).as_posix()
            except Exception as err:  # noqa: BLE001 - one report failing does not stop the sweep
                print(f"ganalyze: warning: no report for {ref.name}: {str(err).splitlines()[0]}", file=sys.stderr)
    finally:
        if pool is not None:
            pool.shutdown()
    return links


def run_sweep(paths, out_dir, config: SweepConfig = SweepConfig(), by=None, reports: bool = False,
              client=None) -> dict:
    """Analyse the runs and write ``sweep.parquet``, ``sweep.csv`` and ``sweep.html`` (plus each
    run's report with ``reports``) into ``out_dir``. ``by``: hyperparameters for the small
    multiples (default: the swept ones, at most MAX_DEFAULT_BY). Returns ``{"table": DataFrame,
    "files": [paths]}``."""
    from ganalyze.sweep.page import write_page

    refs = discover(paths)
    table = analyse(refs, config, client)
    swept = swept_hparams(table)
    if by:
        missing = [b for b in by if HP + b not in table.columns]
        if missing:
            have = ", ".join(c[len(HP):] for c in table.columns if c.startswith(HP)) or "none"
            raise GanalyzeError(f"by: no hyperparameter {', '.join(map(repr, missing))} in these runs; allowed: {have}")
        by = list(by)
    else:
        by = swept[:MAX_DEFAULT_BY]
    files = write_table(table, out_dir)
    links = render_reports(table, refs, out_dir, config) if reports else {}
    page = write_page(table, out_dir, by, links, {f.name: f.name for f in files})
    return {"table": table, "files": files + [page], "by": by, "reports": links}
