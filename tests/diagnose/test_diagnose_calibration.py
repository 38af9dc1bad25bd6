"""Temperature scaling and the calibration error, against numbers known by construction."""
from __future__ import annotations

import numpy as np
import pytest

from ganalyze.diagnose.calibration import (
    expected_calibration_error,
    fit_temperature,
    negative_log_likelihood,
    softmax_with_temperature,
)


def test_ece_of_a_model_that_says_three_quarters_and_is_right_half_the_time():
    conf = np.full(1000, 0.75)
    correct = np.arange(1000) % 2 == 0
    assert expected_calibration_error(conf, correct) == pytest.approx(0.25)


def test_ece_weights_each_bin_by_its_share_of_points():
    conf = np.array([0.95] * 10 + [0.55] * 30)
    correct = np.array([True] * 9 + [False] + [True] * 18 + [False] * 12)    # 0.9 and 0.6
    expected = 10 / 40 * abs(0.95 - 0.9) + 30 / 40 * abs(0.55 - 0.6)
    assert expected_calibration_error(conf, correct) == pytest.approx(expected)
    assert expected_calibration_error(np.array([1.0]), np.array([True])) == pytest.approx(0.0)


def test_temperature_keeps_the_label_and_flattens_the_probabilities():
    raw = np.random.default_rng(0).normal(size=(50, 8)) * 3
    p1, p3 = softmax_with_temperature(raw, 1.0), softmax_with_temperature(raw, 3.0)
    np.testing.assert_allclose(p3.sum(1), 1.0)
    assert np.array_equal(p1.argmax(1), p3.argmax(1))
    assert (p3.max(1) <= p1.max(1) + 1e-12).all()


def test_fitted_temperature_recovers_a_known_overconfidence():
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(20_000, 5)) * 1.5
    p = softmax_with_temperature(logits, 1.0)
    y = (p.cumsum(1) > rng.random((len(p), 1))).argmax(1)       # labels drawn from the true p
    t = fit_temperature(3.0 * logits, y)                          # a model 3x too sure
    assert t == pytest.approx(3.0, rel=0.1)
    conf = softmax_with_temperature(3.0 * logits, t).max(1)
    correct = (3.0 * logits).argmax(1) == y
    assert expected_calibration_error(conf, correct) < 0.02
    assert negative_log_likelihood(3.0 * logits, y, t) < negative_log_likelihood(3.0 * logits, y, 1.0)


def test_no_points_give_the_identity_temperature_and_no_error_value():
    assert fit_temperature(np.zeros((0, 3)), np.zeros(0, dtype=int)) == 1.0
    assert np.isnan(expected_calibration_error(np.zeros(0), np.zeros(0, dtype=bool)))
