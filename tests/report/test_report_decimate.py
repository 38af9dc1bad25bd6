import numpy as np
import pytest

from ganalyze.report.decimate import minmax_decimate


def test_keeps_every_column_min_and_max_and_a_single_spike():
    rng = np.random.default_rng(1)
    x = np.arange(100_000)
    y = rng.standard_normal(len(x))
    y[43_210] = 40.0          # one-step spike: plain subsampling would lose it
    y[77_777] = -35.0
    xd, yd = minmax_decimate(x, y, n_columns=500)
    assert len(xd) == 1000 and np.all(np.diff(xd) >= 0)
    assert yd.max() == 40.0 and yd.min() == -35.0
    # brute force per column: same bin edges
    edges = np.linspace(x[0], x[-1], 501)
    starts = np.searchsorted(x, edges[:-1])
    for k in (0, 123, 499):
        end = starts[k + 1] if k + 1 < len(starts) else len(x)
        assert yd[2 * k] == y[starts[k]:end].min()
        assert yd[2 * k + 1] == y[starts[k]:end].max()


def test_nan_is_ignored_inf_kept_short_unchanged():
    x = np.arange(10_000)
    y = np.zeros(len(x))
    y[:100] = np.nan
    y[5000] = np.inf
    xd, yd = minmax_decimate(x, y, n_columns=100)
    assert np.isnan(yd[:2]).all()              # the all-NaN first column stays a gap
    assert np.isinf(yd).sum() == 1
    xs, ys = minmax_decimate(x[:50], y[:50], n_columns=100)
    assert len(xs) == 50


def test_bad_shapes_raise():
    with pytest.raises(ValueError):
        minmax_decimate(np.arange(5), np.arange(4))
