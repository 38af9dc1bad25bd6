"""ganalyze.gan is the one home of the GAN facts: the report and the diagnosis read them from there."""
import math

import numpy as np
import pandas as pd
import pytest

from ganalyze import gan
from ganalyze.diagnose import thresholds
from ganalyze.gan import Equilibrium, Level

REDUCTIONS = ("sum", "mean")


@pytest.mark.parametrize("loss", gan.LOSSES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_report_lines_and_diagnosis_levels_agree_with_gan(loss, reduction):
    from ganalyze.report import prepare

    eq = gan.equilibrium(loss, reduction)
    refs = {r.column: r.value for r in prepare.loss_references({"loss": loss, "d_loss_reduction": reduction})}
    profile = thresholds.profile_for(loss, reduction)
    assert refs["d_loss"] == eq.d.value == profile.d_eq
    if eq.g is not None:
        assert refs["g_loss"] == eq.g.value == profile.g_eq
    else:
        assert "g_loss" not in refs


def test_report_lines_and_diagnosis_thresholds_come_from_gan(monkeypatch):
    """Change the fact in ganalyze.gan: both the report's line and the diagnosis' level follow."""
    from ganalyze.report import prepare

    monkeypatch.setattr(gan, "equilibrium", lambda _loss, _reduction="sum", _terms="half": Equilibrium(
        Level(3.0, "3 (test)"), Level(0.5, "0.5 (test)"), Level(1.5, "1.5 (test)")))
    refs = {r.column: r.value for r in prepare.loss_references({"loss": "nsgan", "d_loss_reduction": "sum"})}
    assert refs == {"d_loss": 3.0, "g_loss": 0.5, "d_loss_real": 1.5, "d_loss_fake": 1.5}
    profile = thresholds.profile_for("nsgan", "sum")
    assert (profile.d_eq, profile.g_eq) == (3.0, 0.5)


def test_helix_picture_and_crossing_rate_use_the_same_normalisation(monkeypatch):
    from ganalyze.diagnose import helix_stats
    from ganalyze.report import prepare

    calls = []
    real = gan.helix_strands

    def spy(d, g, d_eq, g_eq):
        calls.append((d_eq, g_eq))
        return real(d, g, d_eq, g_eq)

    monkeypatch.setattr(gan, "helix_strands", spy)
    s = np.arange(600)
    df = pd.DataFrame({"step": s, "d_loss": 1.4 + 0.2 * np.sin(s / 20), "g_loss": -0.7 + 0.2 * np.sin(s / 20)})
    df.attrs = {"loss": "minimax", "d_loss_reduction": "sum", "scores": "probability"}
    helix_stats(df)
    prepare.helix_frame(df, span=10)
    assert calls == [(2 * gan.LN2, -gan.LN2)] * 2


def test_minimax_strands_are_oriented_like_nsgan():
    """Higher = that side losing, for minimax's negative G loss too (D winning -> G strand up)."""
    d = np.array([2 * gan.LN2, 0.1])
    nsgan_g = np.array([gan.LN2, 3.0])                        # -ln D(G(z)) rises as D wins
    minimax_g = np.log(1 - np.exp(-nsgan_g))                  # ln(1 - D(G(z))) rises to 0 as D wins
    for g, g_eq in ((nsgan_g, gan.LN2), (minimax_g, -gan.LN2)):
        dn, gn, _ = gan.helix_strands(d, g, 2 * gan.LN2, g_eq)
        assert dn[0] == pytest.approx(1) and gn[0] == pytest.approx(1)
        assert gn[1] > dn[1]                                   # gap > 0: D winning


def test_every_package_takes_its_choices_from_gan():
    from ganalyze import cli
    from ganalyze.runlog import schema
    from ganalyze.surface import objectives as surface_objectives
    from ganalyze.train import config as train_config

    assert schema.LOSSES is gan.LOSS_CHOICES and thresholds.LOSSES is gan.LOSS_CHOICES
    assert schema.D_LOSS_REDUCTIONS is gan.REDUCTION_CHOICES and schema.SCORES is gan.SCORE_CHOICES
    assert train_config.LOSSES is gan.LOSSES and surface_objectives.LOSS_TYPES is gan.LOSSES
    for name in ("summary", "diagnose"):
        opt = {p.name: p for p in cli.main.commands[name].params}
        assert tuple(opt["loss"].type.choices) == gan.LOSS_CHOICES
        assert tuple(opt["d_loss_reduction"].type.choices) == gan.REDUCTION_CHOICES
        assert tuple(opt["scores"].type.choices) == gan.SCORE_CHOICES


def test_healthy_bands_are_the_specs_and_the_score_plot_draws_them():
    import matplotlib.pyplot as plt

    from ganalyze.report import plots

    assert (gan.D_REAL_BAND.low, gan.D_REAL_BAND.high) == (0.7, 0.9)
    assert (gan.D_FAKE_BAND.low, gan.D_FAKE_BAND.high) == (0.1, 0.4)
    assert gan.D_FAKE_BAND.contains(np.array([0.05, 0.1, 0.4, 0.45, np.nan])).tolist() == [False, True, True, False, False]
    s = np.arange(300)
    df = pd.DataFrame({"step": s, "d_loss": 1.3, "g_loss": 0.8, "d_x": 0.8, "d_g_z1": 0.3})
    df.attrs = {"loss": "nsgan", "d_loss_reduction": "sum", "scores": "probability"}
    ax = plots.plot_scores(df)
    spans = sorted(p.get_y() for p in ax.patches if p.get_label().startswith("healthy"))
    assert spans == pytest.approx([gan.D_FAKE_BAND.low, gan.D_REAL_BAND.low])
    plt.close(ax.figure)


def test_equilibrium_values_are_the_loss_formulas_at_the_equilibrium():
    half = 0.5
    bce = -math.log(half)
    assert gan.equilibrium("nsgan", "sum").d.value == pytest.approx(2 * bce)
    assert gan.equilibrium("nsgan", "mean").d.value == pytest.approx(bce)
    assert gan.equilibrium("minimax", "sum").g.value == pytest.approx(math.log(1 - half))
    assert gan.equilibrium("lsgan", "sum").d.value == pytest.approx(0.5 * (half - 1) ** 2 + 0.5 * half ** 2)
    assert gan.equilibrium("hinge", "sum").d.value == pytest.approx(max(0, 1 - 0) + max(0, 1 + 0))
    assert gan.equilibrium("wgan-gp", "sum").g is None
    assert gan.equilibrium("nsgan", "unknown").d is None and gan.equilibrium("unknown") == Equilibrium()
