"""A sweep synthesised from the corpus: slices of the project's real trainer runs.

Each synthetic run is a contiguous slice (300 to 1,200 rows, steps rebased to 0) of one of the 21
real runs in ``data/labelled_runs`` and ``sample_runs``, with that run's metadata and its
hyperparameters (``lr_d``/``lr_g``: the median learning rate in effect in the slice, as the
labelled runs change it mid-run) written to ``config.json`` (every 10th run has none: the metadata's ``hparams``
are used then). Two broken runs are added: a ``run.parquet`` of garbage bytes and a CSV without a
``g_loss`` column.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_ROWS = 1200   # slices of 300..1200 rows: the sweep stays fast on a loaded 2-core machine
SOURCES = sorted((ROOT / "sample_runs").glob("*/run.parquet")) + sorted(
    (ROOT / "data" / "labelled_runs").glob("*.parquet"))


@pytest.fixture(scope="session")
def corpus():
    from ganalyze.runlog import read_run

    runs = []
    for p in SOURCES:
        df = read_run(p)
        name = p.parent.name if p.name == "run.parquet" else p.stem
        runs.append((name, df))
    return runs


def make_sweep(folder: Path, corpus, n: int, seed: int = 0, broken: bool = True) -> list[Path]:
    """``n`` runs under ``folder`` (``run_000`` ...); returns their directories (broken last)."""
    from ganalyze.runlog import write_run

    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    dirs = []
    for i in range(n):
        name, df = corpus[i % len(corpus)]
        length = int(rng.integers(300, min(len(df), MAX_ROWS) + 1))
        start = int(rng.integers(0, len(df) - length + 1))
        part = df.iloc[start:start + length].reset_index(drop=True)
        part["step"] = part["step"] - part["step"].iloc[0]
        meta = dict(df.attrs)
        hp = dict(meta.get("hparams") or {})
        hp.update(source_run=name, slice_start=start)
        for lr in ("lr_d", "lr_g"):    # the learning rate in effect in the slice (labelled runs change it)
            if lr in part.columns and part[lr].notna().any():
                hp[lr] = float(part[lr].median())
        meta["hparams"] = hp
        run_dir = folder / f"run_{i:03d}"
        write_run(part, run_dir, meta)
        if i % 10:
            (run_dir / "config.json").write_text(json.dumps({**hp, "sweep_index": i}))
        dirs.append(run_dir)
    if broken:
        bad = folder / "run_bad_parquet"
        bad.mkdir()
        (bad / "run.parquet").write_bytes(b"PAR1 this is not a parquet file PAR1")
        dirs.append(bad)
        csv = folder / "run_bad.csv"
        csv.write_text("step,d_loss\n0,1.0\n1,0.9\n")
        dirs.append(csv)
    return dirs


@pytest.fixture(scope="session")
def sweep_200(tmp_path_factory, corpus):
    folder = tmp_path_factory.mktemp("sweep200")
    return folder, make_sweep(folder, corpus, 200)


@pytest.fixture(scope="session")
def sweep_factory(corpus):
    return lambda folder, n, **kw: make_sweep(folder, corpus, n, **kw)
