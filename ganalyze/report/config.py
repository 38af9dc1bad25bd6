"""``ReportConfig``: defaults of ``ganalyze report`` (no pandas or matplotlib import, so the CLI
reads them cheaply)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportConfig:
    """Defaults of ``ganalyze report`` (the CLI takes its defaults from here).

    span: EMA span in steps for the smoothed curves; None = 1% of the run's steps (>= 5).
    n_columns: pixel columns a long series is reduced to (min and max kept per column).
    dpi: PNG resolution. max_sample_grids: sample grids shown (all when there are at most this
    many, else an even subset keeping the first and the last; the report says how many).
    """

    span: float | None = None
    n_columns: int = 2000
    dpi: int = 110
    max_sample_grids: int = 8
