"""Run format, crash-safe RunLogger and readers (see docs/run_format.md)."""
from ganalyze.runlog.logger import LoggerConfig, RunLogger
from ganalyze.runlog.readers import read_run, write_run
from ganalyze.runlog.smooth import debiased_ema

__all__ = ["RunLogger", "LoggerConfig", "read_run", "write_run", "debiased_ema"]
