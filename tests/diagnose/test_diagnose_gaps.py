"""Gaps in a log (``ganalyze.diagnose.gaps``): a notebook's trimmed output leaves stretches of the run
without a row. Held-out batch 190: Colab kept steps 500-2500, 7000-9500 and 43500-46000 of a course
notebook's print every 500 steps; the first row after each gap stood alone in its window and led the
headline ("possible g_dominant from step 500") on a run whose samples ended varied."""
import numpy as np
import pandas as pd

from ganalyze.diagnose import diagnose
from ganalyze.diagnose.gaps import close_gaps, log_gaps, missing_share


def _run(steps, seed=190):
    """An nsgan run (D's loss the mean of its terms), one row per printed step: balanced, then D
    ahead for a stretch, then balanced again."""
    rng = np.random.default_rng(seed)
    n = len(steps)
    d = np.where((np.arange(n) >= n // 3) & (np.arange(n) < 2 * n // 3), 0.05, 0.45) + rng.normal(0, 0.02, n)
    g = np.where(d < 0.2, 4.3, 1.6) + rng.normal(0, 0.1, n)
    return pd.DataFrame({"step": steps, "d_loss": d, "g_loss": g})


def test_log_gaps_finds_a_few_long_jumps_and_not_a_logging_pattern():
    steps = np.r_[np.arange(500, 3000, 500), np.arange(7000, 10000, 500), np.arange(43500, 46500, 500)]
    assert log_gaps(steps) == [(2500, 7000), (9500, 43500)]
    assert missing_share(steps, log_gaps(steps)) == (4500 + 34000) / (46000 - 500)
    closed = close_gaps(steps, log_gaps(steps))
    assert np.all(np.diff(closed) == 500) and closed[0] == 500
    # rows in bursts once an epoch (a logging pattern), an odd late row, a regular log: no gaps
    bursts = np.concatenate([np.arange(e * 1000, e * 1000 + 40, 10) for e in range(10)])
    assert log_gaps(bursts) == []
    assert log_gaps(np.r_[np.arange(0, 3000, 100), 3250]) == []
    assert log_gaps(np.arange(0, 5000, 100)) == []


def test_a_gapped_log_reads_as_its_rows_laid_end_to_end_and_says_where_the_gaps_are():
    contiguous = np.arange(100, 100 * 61, 100)
    gapped = contiguous.copy()
    gapped[20:] += 4500
    gapped[40:] += 34000
    a, b = diagnose(_run(gapped)), diagnose(_run(contiguous))
    assert np.array_equal(a.row_codes, b.row_codes)
    assert [(s.label, s.start_step) for s in a.segments] == [(s.label, int(gapped[np.searchsorted(contiguous, s.start_step)]))
                                                             for s in b.segments]
    assert a.summary["log_gaps"] == [{"from_step": 2000, "to_step": 6600}, {"from_step": 8500, "to_step": 42600}]
    assert "gaps in the log: no rows for steps 2000-6600, 8500-42600" in a.text()
    assert "log_gaps" not in b.summary and "gaps in the log" not in b.text()
