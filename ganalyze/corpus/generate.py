"""Run one corpus spec end to end and write its raw result file (resumable unit of work).

``run_one(spec, work_dir)`` trains the spec's loop on its dataset with a ground-truth probe and
writes ``work_dir/runs/<run_id>.parquet``: the log (one row per iteration) with the check table
(``gt_*`` signals, NaN on rows without a check) joined on ``gt_step`` and the run's metadata in the
Parquet key-value metadata (key ``ganalyze_corpus``: spec, loop conventions, wall time, versions).
The file is written to a temporary name and renamed, so a killed worker leaves no half file.
"""
from __future__ import annotations

import io
import json
import os
import time
import traceback
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

META_KEY = b"ganalyze_corpus"


def run_path(work_dir: Path, run_id: str) -> Path:
    return Path(work_dir) / "runs" / f"{run_id}.parquet"


def run_one(spec, work_dir) -> dict:
    """Train ``spec`` and write its raw file; returns a short status dict (never raises)."""
    import torch

    from ganalyze.corpus import datasets
    from ganalyze.corpus.loops import LOOPS
    from ganalyze.corpus.measure import GroundTruthProbe
    from ganalyze.corpus.record import Recorder
    from ganalyze.runlog.schema import package_versions

    torch.set_num_threads(1)
    out = run_path(work_dir, spec.run_id)
    if out.exists():
        return {"run_id": spec.run_id, "status": "exists"}
    t0 = time.perf_counter()
    try:
        data = datasets.load(spec.dataset)
        latent = spec.latent_dim
        probe = GroundTruthProbe(data, latent, spec.seed)
        rec = Recorder(probe, spec.check_every, spec.steps)
        meta = LOOPS[spec.loop](spec, data, rec)
        log, truth = rec.frames()
    except Exception as err:  # a failed run is recorded, not fatal for the corpus
        return {"run_id": spec.run_id, "status": "error", "error": f"{type(err).__name__}: {err}",
                "trace": traceback.format_exc(limit=3)}
    seconds = time.perf_counter() - t0
    table = pa.Table.from_pandas(log, preserve_index=False)
    checks = truth.add_prefix("gt_")
    full = {
        "spec": spec.to_dict(), "loop_meta": meta, "seconds": seconds,
        "dataset": {"name": data.name, "kind": data.kind, "n_modes": data.n_modes,
                    "data_abs_mean": data.data_abs_mean, "fd_floor": data.fd_floor},
        "versions": package_versions(),
    }
    md = {META_KEY: json.dumps(full).encode(), b"checks": checks.to_json(orient="split").encode()}
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), **md})
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(f".tmp{os.getpid()}")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, out)
    return {"run_id": spec.run_id, "status": "ok", "seconds": round(seconds, 1), "rows": len(log)}


def read_raw(path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(log, checks, meta) of one raw run file."""
    table = pq.read_table(path)
    md = table.schema.metadata or {}
    meta = json.loads(md[META_KEY])
    checks = pd.read_json(io.StringIO(md[b"checks"].decode()), orient="split")
    log = table.to_pandas()
    for c in checks.columns:
        if c != "gt_step":
            checks[c] = checks[c].astype(np.float64)
    return log, checks, meta
