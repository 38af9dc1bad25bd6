"""Sweeps: analyse hundreds of runs at once, locally or on Dask, from local disk or object storage.

>>> from ganalyze.sweep import analyse, run_sweep, SweepConfig    # doctest: +SKIP
>>> table = analyse(["runs/lr_*", "s3://bucket/sweep/*/run.parquet"], SweepConfig(workers=2))
>>> run_sweep(["runs/"], "out/sweep", by=["lr_d"])   # sweep.parquet, sweep.csv, sweep.html

Modules: ``sources`` (paths, globs, URLs -> runs), ``read`` (one run, only the needed columns),
``row`` (one run's table row), ``executors`` (serial, local processes, Dask), ``table``,
``plots`` and ``page`` (the HTML page), ``api``.
"""
from ganalyze.sweep.api import analyse, run_sweep
from ganalyze.sweep.config import SweepConfig
from ganalyze.sweep.sources import RunRef, discover

__all__ = ["analyse", "run_sweep", "SweepConfig", "RunRef", "discover"]
