"""``SweepConfig``: every knob of a sweep (the CLI takes its defaults from here)."""
from __future__ import annotations

from dataclasses import dataclass

from ganalyze.errors import GanalyzeError


@dataclass(frozen=True)
class SweepConfig:
    """How a sweep runs and what each run's row holds.

    ``workers``: local processes (None = one per CPU core; 0 = in this process, no pool).
    ``scheduler``: address of a Dask distributed scheduler (``tcp://host:8786``); when set the
    runs are analysed on that cluster instead (each worker reads its own runs, so they must see
    the same paths or URLs). ``retries``: how often a run is re-tried after the process analysing
    it died (a run whose analysis raises is not retried: it is a row with its error).
    ``in_flight``: runs submitted ahead of the results (None = 4 per worker); bounds the driver's
    memory whatever the number of runs. ``tail_rows``: the ``final_*`` columns are means over the
    last ``tail_rows`` logged rows. ``diversity``: score the last generator checkpoint (``gen.pth``)
    with ``diversity_n`` samples on ``device`` (slow; off by default).
    """

    workers: int | None = None
    scheduler: str | None = None
    retries: int = 2
    in_flight: int | None = None
    tail_rows: int = 50
    diversity: bool = False
    diversity_n: int = 1000
    device: str = "cpu"
    progress: bool = True

    def __post_init__(self):
        if self.workers is not None and not (isinstance(self.workers, int) and self.workers >= 0):
            raise GanalyzeError(f"workers: got {self.workers!r}; allowed: an integer >= 0 (0 = no pool)")
        if not (isinstance(self.retries, int) and self.retries >= 0):
            raise GanalyzeError(f"retries: got {self.retries!r}; allowed: an integer >= 0")
        if self.in_flight is not None and not (isinstance(self.in_flight, int) and self.in_flight >= 1):
            raise GanalyzeError(f"in_flight: got {self.in_flight!r}; allowed: an integer >= 1")
        if not (isinstance(self.tail_rows, int) and self.tail_rows >= 1):
            raise GanalyzeError(f"tail_rows: got {self.tail_rows!r}; allowed: an integer >= 1")
        if not (isinstance(self.diversity_n, int) and self.diversity_n >= 10):
            raise GanalyzeError(f"diversity_n: got {self.diversity_n!r}; allowed: an integer >= 10")
        if self.scheduler is not None and "://" not in self.scheduler:
            raise GanalyzeError(f"scheduler: got {self.scheduler!r}; allowed: an address such as tcp://host:8786")
