"""Run format, crash-safe RunLogger and readers (see docs/run_format.md)."""
from ganalyze.runlog.formats.options import ReadOptions
from ganalyze.runlog.logger import LoggerConfig, RunLogger
from ganalyze.runlog.readers import read_run, read_runs, write_run
from ganalyze.runlog.smooth import debiased_ema

__all__ = ["RunLogger", "LoggerConfig", "read_run", "read_runs", "ReadOptions", "write_run", "debiased_ema"]
