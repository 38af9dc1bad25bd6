"""explain.py: what a log cannot settle, the healthy cap, and phrases that follow the numbers."""
import re

import numpy as np
import pandas as pd
import pytest

from ganalyze.diagnose import diagnose
from ganalyze.diagnose.explain import healthy_cap, helix_phrase, not_checkable
from ganalyze.diagnose.metadata import infer_metadata


def _meta(loss="nsgan", averaged=False, n=300, step=1):
    df = pd.DataFrame({"step": np.arange(n) * step, "d_loss": 1.0 + 0.1 * np.sin(np.arange(n)),
                       "g_loss": 0.8 + 0.1 * np.cos(np.arange(n))})
    return infer_metadata(df, loss=loss, d_loss_reduction="sum", scores="probability", averaged=averaged)


def test_not_checkable_follows_the_logged_columns():
    m = _meta()
    bare = {x.label for x in not_checkable(m, set())}
    assert bare == {"mode_collapse", "oscillation", "stagnation"}
    # diversity settles collapse and oscillation, not stagnation (its sampling noise is larger than a
    # stagnant G's drift); lr_g settles stagnation alone
    assert {x.label for x in not_checkable(m, {"div_pdist_ratio"})} == {"stagnation"}
    assert not not_checkable(m, {"div_pdist_ratio", "lr_g"})
    assert {x.label for x in not_checkable(m, {"lr_g"})} == {"mode_collapse", "oscillation"}
    assert {x.label for x in not_checkable(m, set(), with_samples=True)} == {"stagnation"}
    avg = not_checkable(_meta(averaged=True, step=200), {"d_x"})
    assert any(x.label == "stagnation" and "mean over about 200 steps" in x.because for x in avg)
    wgan = _meta(loss="wgan-gp")
    assert {"d_dominant", "g_dominant"} <= {x.label for x in not_checkable(wgan, {"div_pdist_ratio", "lr_g"})}
    assert not not_checkable(wgan, {"div_pdist_ratio", "lr_g", "d_real_q05", "d_fake_q95"})
    assert {x.label for x in not_checkable(wgan, {"div_pdist_ratio", "d_real_q05", "d_fake_q95"})} == {"stagnation"}
    began = {x.label for x in not_checkable(_meta(loss="began"), {"div_pdist_ratio"})}
    assert began == {"d_dominant", "g_dominant", "oscillation", "stagnation"}


def test_a_g_gradient_norm_does_not_settle_stagnation_and_the_reason_names_what_it_shows():
    """A frozen G (lr 0) logs ordinary gradient norms; only a vanishing gradient is visible."""
    m = _meta()
    stag = next(x for x in not_checkable(m, {"grad_norm_g", "d_x"}) if x.label == "stagnation")
    assert "grad_norm_g < 1e-4" in stag.because and "frozen G" in stag.because
    assert "lr_g" in stag.to_settle and "30 %" in stag.because
    div = next(x for x in not_checkable(m, {"grad_norm_g", "div_pdist_ratio"}) if x.label == "stagnation")
    assert "sampling noise" in div.because and "41 %" in div.because
    bare = next(x for x in not_checkable(m, set()) if x.label == "stagnation")
    assert "grad_norm_g" not in bare.because and "sampling noise" not in bare.because


def test_healthy_cap_falls_with_each_unchecked_label():
    m = _meta()
    caps = [healthy_cap(not_checkable(m, cols)) for cols in ({"div_pdist_ratio", "lr_g"}, {"div_pdist_ratio"},
                                                             {"lr_g"}, set())]
    assert caps == [0.9, 0.6, 0.5, 0.4]


def test_helix_phrase_never_contradicts_its_numbers():
    assert "rarely (0.02" in helix_phrase(0.02, 0.6) and "often" not in helix_phrase(0.02, 0.6)
    assert "often (0.35" in helix_phrase(0.35, 0.6) and "anti-correlated (correlation -0.60" in helix_phrase(0.35, 0.6)
    # a public WGAN-GP log read "their changes move together (-0.32)": the number is quoted as the
    # correlation of the changes, positive beside "move together"
    assert "move together (correlation +0.32)" in helix_phrase(0.1, -0.32) and helix_phrase(np.nan, np.nan) == ""


def test_a_frozen_discriminator_gets_advice_not_a_division_by_zero():
    from ganalyze.diagnose.advice import run_advice

    df = pd.DataFrame({"step": np.arange(400), "d_loss": 1.3, "g_loss": 0.8, "lr_d": 0.0, "lr_g": 2e-4})
    advice = run_advice({"mode_collapse"}, infer_metadata(df, loss="nsgan", d_loss_reduction="sum"))
    keys = [a.key for a in advice]
    assert "lr_d_zero" in keys and "lr_ratio_g" not in keys


def test_a_learning_rate_that_freezes_or_jumps_mid_run_is_said_whatever_the_labels():
    """data/labelled_runs: ring8, learning rates x 1e-4 (both_frozen, d_frozen) or x 20 (lr_x20) from
    step 1,200. The labels after the change are the model's reading; the advice says from the lr
    columns what changed, once (D and G alike in one item), and no later segment is told to
    multiply a frozen or jumped learning rate by 0.8-1.5."""
    from pathlib import Path

    from ganalyze.diagnose import diagnose
    from ganalyze.diagnose.advice import run_advice
    from ganalyze.diagnose.log_facts import frozen_from, raised_from

    runs = Path(__file__).resolve().parents[2] / "data" / "labelled_runs"
    both = pd.read_parquet(runs / "both_frozen.parquet")
    assert frozen_from(both, "lr_g") == (1201, pytest.approx(1e-7), pytest.approx(1e-3))
    advice = diagnose(both).summary["advice"]
    said = [a for a in advice if " fall" in a and "from step 1201" in a]
    assert [(c["column"], c["change"], c["step"]) for c in diagnose(both).summary["lr_changes"]] == \
        [("lr_d", "frozen", 1201), ("lr_g", "frozen", 1201)]
    assert len(said) == 1 and said[0].startswith("lr_D and lr_G fall to 1e-07") and "Kingma" in said[0]
    d_only = pd.read_parquet(runs / "d_frozen.parquet")
    assert frozen_from(d_only, "lr_g") is None and frozen_from(d_only, "lr_d")[0] == 1201
    advice = diagnose(d_only).summary["advice"]
    assert any(a.startswith("lr_D falls to") for a in advice)
    assert not any("from 1e-07 to" in a for a in advice), advice       # no "raise D's lr x1.5 from 1e-07"
    surge = pd.read_parquet(runs / "lr_x20.parquet")
    assert raised_from(surge, "lr_d") == raised_from(surge, "lr_g") == (1201, pytest.approx(0.02), pytest.approx(1e-3))
    advice = diagnose(surge).summary["advice"]
    assert [a for a in advice if " jump" in a][0].startswith("lr_D and lr_G jump to 0.02 at step 1201 (20 x")
    assert not any("from 0.02 to" in a for a in advice), advice        # no "G's lr x1.2 (from 0.02 to 0.024)"
    # a schedule that only ends near 0, a warm-up that climbs 1,000-fold, a log frozen from its
    # first row, or no lr column: nothing
    n = np.arange(1000)
    decay = pd.DataFrame({"step": n, "d_loss": 1.3, "g_loss": 0.8, "lr_g": np.maximum(2e-4 * (1 - n / 999), 0.0)})
    assert frozen_from(decay, "lr_g") is None and raised_from(decay, "lr_g") is None
    warm = decay.assign(lr_g=2e-7 + 2e-4 * np.minimum(n / 300, 1))
    assert raised_from(warm, "lr_g") is None and frozen_from(warm, "lr_g") is None
    assert frozen_from(decay.assign(lr_g=0.0), "lr_g") is None and frozen_from(decay, "lr_d") is None
    keys = [a.key for a in run_advice({"healthy"}, infer_metadata(decay, loss="nsgan", d_loss_reduction="sum"))]
    assert not [k for k in keys if k.startswith(("lr_frozen", "lr_raised"))]


def test_update_ratio_advice_knows_several_critic_steps_are_the_method():
    """A D that wins with 4 D steps per G step: a BCE run is told one D step per G step (DCGAN);
    a hinge run (BigGAN-PyTorch's num_D_steps 4, read from its metalog.txt) is told to halve the
    critic steps, not to drop a method that needs several."""
    from pathlib import Path

    from ganalyze.diagnose.advice import run_advice
    from ganalyze.runlog import read_run

    biggan = read_run(Path(__file__).resolve().parents[1] / "data" / "logs" / "biggan_logs")
    assert biggan.attrs["hparams"] == {"lr_d": 0.0002, "lr_g": 0.0002, "d_steps": 4, "g_steps": 1}
    hinge = {a.key: a for a in run_advice({"d_dominant"}, infer_metadata(biggan))}
    assert "try fewer (2)" in hinge["update_ratio"].text and hinge["update_ratio"].source == "wgangp"
    df = pd.DataFrame({"step": np.arange(400), "d_loss": 0.1, "g_loss": 4.0})
    df.attrs["hparams"] = {"d_steps": 4, "g_steps": 1}
    bce = {a.key: a for a in run_advice({"d_dominant"}, infer_metadata(df, loss="nsgan", d_loss_reduction="sum"))}
    assert bce["update_ratio"].text.endswith("use one D step per G step.") and bce["update_ratio"].source == "dcgan"


def test_d_output_bands_are_quoted_for_probabilities_only_and_come_from_gan_py():
    from ganalyze.diagnose.explain import evidence_phrase
    from ganalyze.diagnose.thresholds import profile_for
    from ganalyze.gan import D_FAKE_BAND, D_REAL_BAND

    ev = {"d_loss_mean": 1.3, "g_loss_mean": 0.9, "d_x": 0.66, "d_g_z": -0.56}
    prob = evidence_phrase("healthy", ev, profile_for("nsgan", "sum"), probability=True)
    critic = evidence_phrase("healthy", ev, profile_for("nsgan", "sum"), probability=False)
    assert f"healthy bands {D_REAL_BAND} / {D_FAKE_BAND}" in prob
    assert "band" not in critic and "D(G(z)) -0.56" in critic


def test_g_dominant_advice_quotes_a_number_it_has():
    """Without a D(G(z)) column the advice said "D(G(z)) is n/a (> 0.5)"; it now quotes D's loss
    against its equilibrium, and D(G(z)) where it is logged."""
    import pandas as pd

    from ganalyze.diagnose.advice import segment_advice
    from ganalyze.diagnose.metadata import infer_metadata
    from ganalyze.diagnose.thresholds import profile_for

    meta = infer_metadata(pd.DataFrame({"step": range(10), "d_loss": [1.4] * 10, "g_loss": [0.5] * 10}))
    profile = profile_for("nsgan", "sum")
    lr = {"lr_d": float("nan"), "lr_g": float("nan")}
    no_dgz = " ".join(a.text for a in segment_advice("g_dominant", {"d_loss_mean": 11.7, "g_loss_mean": 1.9},
                                                     profile, meta, lr, 38, 237))
    assert "n/a" not in no_dgz and "D loss averages 11.7 (8.44 x its equilibrium 1.39)" in no_dgz
    dgz = " ".join(a.text for a in segment_advice("g_dominant", {"d_loss_mean": 1.5, "d_g_z": 0.71},
                                                  profile, meta, lr, 38, 237))
    assert "D(G(z)) is 0.71 (> 0.5)" in dgz
    strong = [a.key for a in segment_advice("g_dominant", {"d_loss_mean": 0.21, "g_loss_mean": 4.4},
                                            profile, meta, lr, 500, 500)]
    assert "d_lr_up" not in strong and "check_diversity" in strong   # D at 0.15 x its equilibrium is not weak



def test_d_lr_advice_needs_a_d_loss_below_its_equilibrium():
    """A HiFi-GAN-style least-squares D summed over six discriminators (2.5, five times one D's
    equilibrium 0.5) labelled d_dominant from G's level was told to multiply D's learning rate by
    0.8: a D loss above its equilibrium is D doing worse than chance, so the number cannot say that."""
    from ganalyze.diagnose.advice import segment_advice
    from ganalyze.diagnose.metadata import infer_metadata
    from ganalyze.diagnose.thresholds import profile_for

    meta = infer_metadata(pd.DataFrame({"step": range(10), "d_loss": [2.5] * 10, "g_loss": [2.0] * 10}), loss="lsgan")
    profile = profile_for("lsgan", "sum", "plain")
    lr = {"lr_d": float("nan"), "lr_g": float("nan")}
    above = [a.key for a in segment_advice("d_dominant", {"d_loss_mean": 2.5, "g_loss_mean": 2.0}, profile, meta, lr, 200, 400)]
    below = [a.key for a in segment_advice("d_dominant", {"d_loss_mean": 0.1, "g_loss_mean": 2.0}, profile, meta, lr, 200, 400)]
    assert "d_lr_down" not in above and "d_lr_down" in below


def test_labels_read_from_losses_alone_say_how_often_such_readings_are_right():
    m = _meta()
    because = {x.label: x.because for x in not_checkable(m, set())}
    assert "41-44 % of such steps held out" in because["mode_collapse"]
    assert "25-26 % of such steps held out" in because["stagnation"]


def test_a_logged_d_accuracy_contradicts_dominance_it_rules_out():
    """A Keras-GAN ACGAN run headlined 'G fools D: D scores most fakes as real' while it logged D's
    accuracy at 97-99 %: with most fakes scored real, D's accuracy over real and fake is at most 0.75,
    and LABELS.md's d_dominant needs 0.85."""
    from ganalyze.diagnose.explain import levels_disagree
    from ganalyze.diagnose.log_facts import accuracy_column
    from ganalyze.diagnose.thresholds import profile_for

    profile = profile_for("nsgan", "mean")
    assert levels_disagree("g_dominant", {"d_accuracy": 0.975}, profile).startswith("D's logged accuracy is 0.975")
    assert levels_disagree("g_dominant", {"d_accuracy": 0.6}, profile) == ""
    assert levels_disagree("d_dominant", {"d_accuracy": 0.6}, profile).startswith("D's logged accuracy is 0.6 (< 0.85)")
    assert levels_disagree("d_dominant", {"d_accuracy": 0.95}, profile) == ""
    frame = pd.DataFrame({"step": range(3), "d_loss": 1.0, "g_loss": 1.0, "d_real_acc": 0.9, "d_acc": 0.8})
    assert accuracy_column(frame, combined=True) == "d_acc"          # not the real-only one
    assert accuracy_column(frame.drop(columns="d_acc"), combined=True) is None


def test_helix_phrase_says_how_the_crossing_losses_were_scaled():
    """A critic's D loss (always below 0) and G loss (above it) 'cross often' only as robust
    z-scores over the run; the phrase says so, and says 'over its equilibrium level' for BCE."""
    from ganalyze.diagnose.explain import helix_phrase

    assert "each scaled to its own median and spread over the run) cross often" in helix_phrase(0.37, 0.0, "own")
    assert "each over its equilibrium level) cross rarely" in helix_phrase(0.02, 0.0)


def test_stagnation_advice_quotes_the_usual_settings_of_the_runs_loss():
    """Weight-clipped WGAN runs read as stagnation were pointed to 'the DCGAN settings are Adam 2e-4,
    beta1 0.5', which a critic is not trained with; a critic gets WGAN-GP's (and WGAN's) settings."""
    from ganalyze.diagnose.advice import segment_advice
    from ganalyze.diagnose.thresholds import profile_for

    lr = {"lr_d": float("nan"), "lr_g": float("nan")}
    critic = infer_metadata(pd.DataFrame({"step": range(10), "d_loss": [-1.5] * 10, "g_loss": [0.3] * 10}))
    (c,) = segment_advice("stagnation", {}, profile_for("wgan-gp", "sum"), critic, lr, 200, 400)
    assert "WGAN-GP settings are Adam 1e-4, betas (0, 0.9)" in c.text and "RMSprop 5e-5" in c.text and c.source == "wgangp"
    bce = infer_metadata(pd.DataFrame({"step": range(10), "d_loss": [1.4] * 10, "g_loss": [0.7] * 10}))
    (b,) = segment_advice("stagnation", {}, profile_for("nsgan", "sum"), bce, lr, 200, 400)
    assert "DCGAN settings are Adam 2e-4" in b.text and b.source == "dcgan"


def test_a_label_that_comes_back_at_the_end_is_said_in_the_headline():
    """Held-out batch 231: 'd_dominant from step 3000 (17%)' named a short early stretch; the d_dominant stretch that
    ended the run (276000-295000, after 220,000 healthy steps) went unsaid."""
    rng = np.random.default_rng(231)
    t = np.arange(3000)
    bad = (t < 400) | (t > 2400)
    df = pd.DataFrame({"step": t, "d_loss": np.where(bad, 0.02, 1.3) * rng.uniform(0.8, 1.2, 3000),
                       "g_loss": np.where(bad, 6.0, 0.8) * rng.uniform(0.8, 1.2, 3000)})
    for method in ("rules", "auto"):
        res = diagnose(df, loss="nsgan", d_loss_reduction="sum", method=method)
        last = res.segments[-1]
        assert last.label == "d_dominant" and res.segments[1].label == "d_dominant", method
        assert f"; d_dominant again from step {last.start_step} to the end" in res.summary["main_finding"], method
    once = df.assign(d_loss=np.where(t > 2400, 1.3, df.d_loss), g_loss=np.where(t > 2400, 0.8, df.g_loss))
    assert "again from step" not in diagnose(once, loss="nsgan", d_loss_reduction="sum", method="rules").summary["main_finding"]


def test_a_d_at_its_noised_targets_floor_is_not_told_to_smooth_its_labels():
    """A run whose code noises D's targets (the TensorFlow tutorial of held-out batches 296, 301, 302) softens them
    already: at their floor, D's segment advice does not add one-sided label smoothing."""
    import dataclasses

    from ganalyze.diagnose.advice import segment_advice
    from ganalyze.diagnose.thresholds import profile_for

    meta = infer_metadata(pd.DataFrame({"step": range(10), "d_loss": [0.1] * 10, "g_loss": [4.0] * 10}), loss="nsgan",
                          d_loss_reduction="mean")
    profile = profile_for("nsgan", "mean")
    lr = {"lr_d": float("nan"), "lr_g": float("nan")}

    def keys(m):
        return [a.key for a in segment_advice("d_dominant", {"d_loss_mean": 0.27, "g_loss_mean": 2.8}, profile, m, lr,
                                              500, 9000)]

    assert "label_smoothing" in keys(meta)
    assert "label_smoothing" not in keys(dataclasses.replace(meta, noise_floor=(0.15, 0.266, 0.87)))


def test_a_healthy_headline_with_no_loss_figures_has_no_empty_brackets(tmp_path):
    """Held-out batch 502/02: D's and G's losses on rows of their own (a critic's every other step, G's between) left
    the healthy headline's figures empty: 'read healthy on 100% of its judged rows ()'."""
    import warnings

    from ganalyze.diagnose import diagnose
    from ganalyze.runlog import read_run

    rng = np.random.default_rng(502)
    p = tmp_path / "split.log"
    p.write_text("".join(f"step {k} d_loss: {-0.5 + 0.1 * rng.standard_normal():.4f} gp: 0.1\n" if k % 2 == 0 else
                         f"step {k} g_loss: {-0.2 + 0.1 * rng.standard_normal():.4f}\n" for k in range(400)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        main = diagnose(read_run(p)).to_dict()["summary"]["main_finding"]
    assert main.startswith("healthy") and "()" not in main


def test_a_mean_loss_one_window_pulls_is_quoted_with_its_median():
    """Held-out batch 551/07: a Keras run's first epoch printed 'g_loss: 706.5601', every other epoch 1.9-4.7; the
    healthy headline quoted 'G loss 29.9', a level no stretch of the run had. The windows' median is quoted beside
    such a mean; a mean near its median is quoted alone."""
    rng = np.random.default_rng(551)
    n = 20                                                  # one row per epoch of 1,987 steps
    d, g = rng.uniform(0.25, 0.35, n), rng.uniform(1.9, 4.7, n)
    df = pd.DataFrame({"step": 1987 * np.arange(1, n + 1), "d_loss": d, "g_loss": g.copy()})
    plain = diagnose(df, loss="nsgan", d_loss_reduction="mean", method="rules")
    assert plain.summary["main_finding"].startswith("healthy") and "median" not in plain.summary["main_finding"]
    g[0] = 706.56
    pulled = diagnose(df.assign(g_loss=g), loss="nsgan", d_loss_reduction="mean", method="rules")
    seg, main = pulled.segments[0], pulled.summary["main_finding"]
    assert seg.evidence["g_loss_mean"] > 10 and 1.9 <= seg.evidence["g_loss_median"] <= 4.7
    assert main.startswith("healthy"), main
    assert f"(median {seg.evidence['g_loss_median']:.3g}: a few windows pull the mean)" in main
    assert re.search(r"D loss 0\.\d+, G loss", main), main           # D's mean is its median: said alone


def test_g_moments_printed_far_from_the_data_s_lead_a_healthy_reading():
    """Held-out batch 563/02: Dev Nag's 1-D GAN printed 'Real Dist ([4.07, 1.28]), Fake Dist ([5.98, 2.70])' while D's
    losses sat at ln 2: read healthy (rules), or mode_collapse beside G's spread 1.67 x the data's (learned). The log's
    own moments say G never matched the data: 1.8 data stds apart (2-Wasserstein). G near the data's moments, or
    narrower than it (a collapse, which the spread shows), gives no such note."""
    from ganalyze.diagnose.explain import levels_disagree
    from ganalyze.diagnose.inputs import diagnose_columns
    from ganalyze.diagnose.metadata import infer_metadata

    rng = np.random.default_rng(563)
    n = 50

    def run(fake_mean, fake_std):
        return pd.DataFrame({"step": 100 * np.arange(n), "d_loss": 1.3868 + rng.normal(0, 3e-4, n),
                             "g_loss": 0.6929 + rng.normal(0, 2e-4, n),
                             "real_mean": 4.0 + rng.normal(0, 0.05, n), "real_std": 1.27 + rng.normal(0, 0.02, n),
                             "fake_mean": fake_mean + rng.normal(0, 0.05, n), "fake_std": fake_std + rng.normal(0, 0.02, n)})

    far = run(5.9, 2.65)
    rm, rs, fm, fs, apart = infer_metadata(far).printed_moments
    assert rs == pytest.approx(1.27, abs=0.05) and fm == pytest.approx(5.9, abs=0.05) and apart == pytest.approx(1.8, abs=0.1)
    for method in ("rules", "auto"):
        main = diagnose(far[diagnose_columns(far.columns)], method=method).summary["main_finding"]
        assert main.startswith("G's samples do not match the data by the log's own printed moments"), main
        assert re.search(r"1\.[6-9] data standard deviations apart", main), main
    for near in (run(4.1, 1.25), run(4.05, 0.2)):
        assert infer_metadata(near).printed_moments[4] < 1
        assert "do not match the data" not in diagnose(near, method="rules").summary["main_finding"]
    # a logged spread as wide as the data's or wider contradicts a collapse
    from ganalyze.diagnose.thresholds import profile_for

    bce = profile_for("nsgan", "sum")
    assert "as spread as the data's or more" in levels_disagree("mode_collapse", {"div_pdist_ratio": 1.67}, bce)
    assert levels_disagree("mode_collapse", {"div_pdist_ratio": 0.2}, bce) == ""
