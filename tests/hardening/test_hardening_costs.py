"""Costs follow the rows, not the step values: step gaps never allocate per step."""
from __future__ import annotations

import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest

from ganalyze.diagnose import diagnose
from ganalyze.diagnose.features import WindowConfig, bin_layout
from ganalyze.runlog.smooth import debiased_ema, step_gaps


def test_bins_are_bounded_by_rows_whatever_the_gap():
    rows = 500
    for last in (10 ** 9, 10 ** 13, 2 ** 62, 2 ** 63 - 1):
        steps = np.concatenate([np.arange(rows - 1), [last]]).astype(np.int64)
        _, _, idx, n_bins, _, bin_start = bin_layout(steps, WindowConfig())
        assert n_bins <= 12 * rows + 1
        assert len(idx) == rows and (np.diff(idx) >= 0).all()
        assert bin_start[0] == 0 and bin_start[-1] <= last


def test_regular_runs_keep_their_exact_bins():
    steps = np.arange(0, 10_000, 5, dtype=np.int64)
    bin_steps, wb, idx, n_bins, k, bin_start = bin_layout(steps, WindowConfig())
    assert (k, bin_steps, wb) == (5, 50, 5)
    assert n_bins == 200 and np.array_equal(bin_start, np.arange(200) * 50.0)
    assert np.array_equal(idx, steps // 50)


def test_diagnose_memory_does_not_follow_the_step_range():
    rows = 2000
    df = pd.DataFrame({"step": np.concatenate([np.arange(rows - 1), [10 ** 12]]).astype(np.int64),
                       "d_loss": np.full(rows, 1.3), "g_loss": np.full(rows, 0.7)})
    tracemalloc.start()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = diagnose(df)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50 * 2 ** 20        # a bin per 50 steps would be 160 GB
    assert d.summary["last_step"] == 10 ** 12 and len(d.phases(df)) == rows


def test_a_pause_longer_than_the_window_leaves_the_labels_unchanged():
    rng = np.random.default_rng(0)
    n = 3000
    d_loss = 1.35 + 0.1 * rng.standard_normal(n)
    g_loss = 0.75 + 0.1 * rng.standard_normal(n)
    steps = np.arange(n, dtype=np.int64)
    paused = steps.copy()
    paused[1500:] += 10 ** 10
    # the rules' windows; the learned model also reads how far into training a row is (log10 of the
    # step), so 10**10 more steps is, for it, a different stage of training
    a = diagnose(pd.DataFrame({"step": steps, "d_loss": d_loss, "g_loss": g_loss}), method="rules")
    b = diagnose(pd.DataFrame({"step": paused, "d_loss": d_loss, "g_loss": g_loss}), method="rules")
    la, lb = a.phases(pd.DataFrame({"step": steps})), b.phases(pd.DataFrame({"step": paused}))
    # rows away from the pause see the same windows
    assert (np.asarray(la)[:1200] == np.asarray(lb)[:1200]).all()
    assert (np.asarray(la)[1800:] == np.asarray(lb)[1800:]).all()


def test_step_gaps_are_exact_across_the_int64_range():
    s = np.array([-(2 ** 63), -1, 2 ** 63 - 1], dtype=np.int64)
    assert step_gaps(s).tolist() == [2 ** 63 - 1, 2 ** 63]
    assert step_gaps(np.array([3, 1])).tolist() == [0]


@pytest.mark.parametrize("span", [5.0, 1e17, 1e300])
def test_smoothing_near_int64_limits_and_huge_spans(span):
    steps = np.array([2 ** 63 - 10 ** 6, 2 ** 63 - 10 ** 5, 2 ** 63 - 2, 2 ** 63 - 1], dtype=np.int64)
    x = np.array([1.0, 2.0, np.nan, 4.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = debiased_ema(x, steps, span)
        even = debiased_ema(np.array([1.0, 2.0, 3.0]), np.array([0, 1, 2]), span)
    assert np.isfinite(out[[0, 1, 3]]).all() and np.isnan(out[2])
    assert out[0] == 1.0
    assert 1.0 <= even[-1] <= 3.0


def test_smoothing_matches_the_recursion_on_irregular_steps():
    steps = np.array([0, 1, 2, 5, 9, 10 ** 12, 10 ** 12 + 3], dtype=np.int64)
    x = np.array([1.0, 2.0, 3.0, np.nan, 5.0, 7.0, 8.0])
    span = 5.0
    w = 1 - 2 / (span + 1)
    num = den = 0.0
    last = None
    want = []
    for xi, si in zip(x, steps):
        if not np.isfinite(xi):
            want.append(np.nan)
            continue
        if last is not None:
            num *= w ** float(si - last)
            den *= w ** float(si - last)
        num, den, last = num + xi, den + 1, si
        want.append(num / den)
    np.testing.assert_allclose(debiased_ema(x, steps, span), want, rtol=1e-6)
