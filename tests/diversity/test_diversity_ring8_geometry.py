"""One ring-of-8 geometry and one on-mode rule for the trainer's ground truth and the metric."""
import torch

from ganalyze.diversity import ring8
from ganalyze.train import data


def test_the_metric_scores_against_the_trainers_ring():
    assert ring8.Ring8Spec is data.Ring8Spec and ring8.RING8 is data.RING8
    assert torch.allclose(data.ring8_centres().double(), data.RING8.centers(), atol=1e-6)
    real = data.ring8_sample(4000, torch.Generator().manual_seed(0))
    truth = data.ring8_modes_covered(real)
    scores = ring8.score_ring8(real)
    assert truth["modes_covered"] == scores.modes_covered == 8
    assert abs(truth["high_quality"] - scores.high_quality) < 1e-6 and scores.high_quality > 0.98


def test_thresholds_differ_only_in_how_many_points_a_mode_needs():
    """Ground truth counts a mode at 1 on-mode point; the metric at min_share (0.8 %) of all points."""
    g = torch.Generator().manual_seed(1)
    pts = torch.cat([ring8.real_ring8(995, generator=g, modes=[0]), ring8.real_ring8(5, generator=g, modes=[3])])
    assert data.ring8_modes_covered(pts)["modes_covered"] == 2
    assert ring8.score_ring8(pts).modes_covered == 1
    mode, _, on = data.nearest_mode(pts.double())
    assert set(mode[on].tolist()) == {0, 3}
