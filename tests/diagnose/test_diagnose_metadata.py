"""metadata.infer_metadata: every assumption says where it came from and why; sum vs mean from the
whole run; critic vs probability; loss families; logging interval and pre-averaging; run config."""
import math

import numpy as np
import pandas as pd
import pytest

from ganalyze.diagnose.metadata import Assumption, infer_metadata, run_config
from ganalyze.errors import GanalyzeError
from ganalyze.runlog import read_run

LN2 = math.log(2)


def _frame(d, g, **cols):
    n = len(d)
    return pd.DataFrame({"step": cols.pop("step", np.arange(n)), "d_loss": d, "g_loss": g, **cols})


def _get(meta, name) -> Assumption:
    return meta.assumption(name)


def test_sources_declared_file_guess():
    rng = np.random.default_rng(0)
    df = _frame(1.3 + 0.1 * rng.normal(size=300), 0.8 + 0.1 * rng.normal(size=300))
    df.attrs = {"loss": "nsgan", "scores": "unknown", "d_loss_reduction": "sum", "declared": ["d_loss_reduction"]}
    m = infer_metadata(df, scores="probability")
    assert _get(m, "scores").source == "declared" and _get(m, "loss").source == "file"
    assert _get(m, "d_loss_reduction").source == "declared"
    df.attrs = {"loss": "nsgan", "d_loss_reduction": "sum", "scores": "probability", "source_format": "dcgan-console",
                "inferred": ["loss", "d_loss_reduction", "scores"]}
    m = infer_metadata(df, loss="lsgan")     # the caller's declaration wins over the file
    assert m.loss == "lsgan" and "dcgan-console" in _get(m, "scores").reason
    bare = df.copy()
    bare.attrs = {}
    m = infer_metadata(bare)
    assert {a.name for a in m.assumptions if a.source == "guess"} >= {"loss", "d_loss_reduction", "scores"}
    assert all(a.reason for a in m.assumptions)
    assert m.assumptions[0].to_dict()["source"] == "guess"
    with pytest.raises(GanalyzeError, match="scores"):
        infer_metadata(bare, scores="logit")


def test_loss_families_from_signs_and_columns():
    rng = np.random.default_rng(1)
    n = 400
    assert infer_metadata(_frame(-2 + rng.normal(size=n), rng.normal(size=n))).loss == "wgan-gp"
    assert infer_metadata(_frame(1.3 + 0.1 * rng.random(n), -0.7 - 0.1 * rng.random(n))).loss == "minimax"
    assert infer_metadata(_frame(1.8 + 0.1 * rng.random(n), 0.3 * rng.normal(size=n))).loss == "hinge"
    m = infer_metadata(_frame(0.2 + 0.01 * rng.random(n), 0.1 + 0.01 * rng.random(n), k_t=rng.random(n),
                              convergence=rng.random(n)))
    assert m.loss == "began" and not m.supported and "k_t" in _get(m, "loss").reason
    other = _frame(np.ones(n), np.ones(n))
    other.attrs = {"loss": "ragan"}
    assert infer_metadata(other).loss == "other"
    crit = infer_metadata(_frame(0.3 + 0.01 * rng.random(n), 0.2 + 0.01 * rng.random(n), d_x=3 + rng.normal(size=n)))
    assert crit.scores == "critic" and "outside [0, 1]" in _get(crit, "scores").reason


def test_sum_vs_mean_from_the_whole_run():
    rng = np.random.default_rng(2)
    n = 2000
    t = np.arange(n)
    # D wins within 30 steps and stays winning: only the first row shows the level of a summed BCE
    d = np.where(t == 0, 2 * LN2, 0.2 + 0.03 * rng.random(n))
    m = infer_metadata(_frame(d, 4 + rng.random(n)))
    assert m.d_loss_reduction == "sum" and "first D loss" in _get(m, "d_loss_reduction").reason
    assert infer_metadata(_frame(np.where(t == 0, LN2, 0.1), 4 + rng.random(n))).d_loss_reduction == "mean"
    # a summed D loss that holds above 1.6 ln 2 somewhere later in the run
    d2 = np.where((t > 1500) & (t < 1600), 1.5, 0.3) + 0.02 * rng.random(n)
    m2 = infer_metadata(_frame(d2, 3 + rng.random(n), step=t + 500))
    assert m2.d_loss_reduction == "sum" and "holds" in _get(m2, "d_loss_reduction").reason
    # a mean D loss that starts at ln 2 and later holds far above 1.6 ln 2 (D fooled: its fake term
    # -log(1 - D(G(z))) is large): the untrained D's level at step 0 wins over the later level
    d3 = np.where(t == 0, LN2, np.where((t > 500) & (t < 900), 6.0, 0.4)) + 0.02 * rng.random(n)
    m3 = infer_metadata(_frame(d3, 3 + rng.random(n)))
    assert m3.d_loss_reduction == "mean" and "first D loss (step 0)" in _get(m3, "d_loss_reduction").reason
    # the same log pre-averaged (its first row stamped at step 49): no untrained D's value to read
    # (then the level alone: never held above 1.11, which a mean gives 3.5-6 times as often as a sum)
    assert infer_metadata(_frame(d3[49::50], 3 + rng.random(n // 50), step=t[49::50])).d_loss_reduction == "mean"


def test_log_interval_and_pre_averaging():
    rng = np.random.default_rng(3)
    x = rng.normal(size=20_000)
    steps = np.arange(0, 20_000, 100)
    plain = _frame(1.2 + 0.15 * x[steps], 0.9 + 0.2 * x[steps], step=steps)
    m = infer_metadata(plain)
    assert m.log_every == 100 and not m.averaged
    avg = _frame(1.2 + 0.15 * x.reshape(-1, 100).mean(1), 0.9 + 0.2 * x.reshape(-1, 100).mean(1), step=steps)
    m = infer_metadata(avg)
    assert m.averaged and _get(m, "averaged").source == "guess"
    avg.attrs = {"averaged": False}
    assert not infer_metadata(avg).averaged and _get(infer_metadata(avg), "averaged").source == "file"
    assert infer_metadata(plain, averaged=True).averaged


def test_losses_that_barely_move_are_no_interval_means():
    """Held-out batch 643/03: an MXNet DCGAN's last batch each epoch, 'discriminator loss = 1.006415, generator loss =
    0.693142' then 1.006414, 1.006413 ... (D(G(z)) stuck at 1/2, its samples one grey texture): its 0.0014 % row-to-row
    noise read as interval means, so its flat losses were expected and the run healthy."""
    k = np.arange(16)
    rng = np.random.default_rng(643)
    df = _frame((1.006428 - 1e-6 * k + rng.normal(0, 3e-6, 16)).round(6), (0.693142 + rng.normal(0, 2e-6, 16)).round(6),
                step=100 * k)
    m = infer_metadata(df)
    assert m.averaged is False and "too still for a live run's interval means" in _get(m, "averaged").reason
    x = rng.normal(size=1600)
    means = _frame(1.2 + 0.15 * x.reshape(-1, 100).mean(1), 0.9 + 0.2 * x.reshape(-1, 100).mean(1), step=100 * k)
    assert infer_metadata(means).averaged


def test_run_config_from_hparams_or_columns():
    df = _frame(np.ones(10), np.ones(10), lr_d=np.full(10, 4e-4), lr_g=np.full(10, 1e-4))
    cfg = run_config(df)
    assert cfg.lr_ratio == pytest.approx(4.0) and "lr_d column" in cfg.source
    df.attrs = {"hparams": {"lr_d": 2e-3, "lr_g": 5e-5, "d_steps": 3, "g_steps": 1, "label_smoothing": 0.1}}
    cfg = run_config(df)
    assert cfg.lr_ratio == pytest.approx(40.0) and cfg.d_steps == 3 and cfg.label_smoothing == 0.1


def test_lsgan_with_sigmoid_outputs_told_from_bce_by_its_d_outputs():
    """D(x) and D(G(z)) in [0, 1] with a D loss far below -log D(x) - log(1 - D(G(z))): least
    squares (0.5 (D(x) - 1)^2 + 0.5 D(G(z))^2), which a BCE D loss never is."""
    rng = np.random.default_rng(6)
    n = 500
    dx = np.clip(0.7 + 0.05 * rng.normal(size=n), 0.01, 0.99)
    dgz = np.clip(0.3 + 0.05 * rng.normal(size=n), 0.01, 0.99)
    ls = _frame(0.5 * (dx - 1) ** 2 + 0.5 * dgz ** 2, 0.5 * (dgz - 1) ** 2, d_x=dx, d_g_z1=dgz)
    m = infer_metadata(ls)
    assert m.loss == "lsgan" and m.scores == "probability" and "least-squares" in _get(m, "loss").reason
    bce = _frame(-np.log(dx) - np.log1p(-dgz), -np.log(dgz), d_x=dx, d_g_z1=dgz)
    assert infer_metadata(bce).loss == "nsgan"
    assert infer_metadata(bce.assign(d_loss=bce.d_loss / 2)).loss == "nsgan"      # a mean BCE: half the bound


def test_hinge_told_from_lsgan_by_its_critic_outputs():
    """A public SNGAN-style log: D(x) ~2.7, D(G(z)) ~-1.6, D loss ~0.1, G loss = -D(G(z)) ~1.6, never
    negative, was guessed LSGAN. Least squares cannot give a D loss that low with those outputs
    (it is at least 1/4 ((D(x) - 1)^2 + D(G(z))^2)); a hinge loss can."""
    rng = np.random.default_rng(7)
    n = 200
    dx, dgz = 2.7 + 0.3 * rng.normal(size=n), -1.6 - 0.2 * rng.normal(size=n)
    hinge = _frame(np.abs(0.1 + 0.03 * rng.normal(size=n)), -dgz, d_x=dx, d_g_z1=dgz)
    m = infer_metadata(hinge)
    assert m.loss == "hinge" and m.scores == "critic" and "least-squares D loss can be" in _get(m, "loss").reason
    ls_dx, ls_dgz = 0.6 + 0.1 * rng.normal(size=n), 0.4 + 0.1 * rng.normal(size=n) - 1.0   # outputs below 0: critic
    ls = _frame(0.5 * ((ls_dx - 1) ** 2 + ls_dgz ** 2) + 0.01, 0.5 * (ls_dgz - 1) ** 2, d_x=ls_dx, d_g_z1=ls_dgz)
    assert infer_metadata(ls).loss == "lsgan"


def test_hinge_told_by_its_untrained_start_when_g_loss_never_goes_negative():
    """A hinge run whose D wins from the start: D(G(z)) < 0 throughout, so G's loss -D(G(z)) is
    never negative and the both-signs test cannot see it. An untrained hinge D scores about 0, so
    the first losses are D near 2 and G near 0, which no BCE, LSGAN or minimax start gives."""
    rng = np.random.default_rng(3)
    n = 600
    t = np.linspace(0, 1, n)
    real = 1.5 * t + 0.02 * rng.normal(size=n)
    fake = -1.5 * t - np.abs(0.02 * rng.normal(size=n))
    df = _frame(np.maximum(0, 1 - real) + np.maximum(0, 1 + fake), -fake)
    assert (df.g_loss >= 0).all() and df.d_loss.iloc[0] == pytest.approx(2, abs=0.1)
    m = infer_metadata(df)
    assert m.loss == "hinge" and "untrained hinge D" in _get(m, "loss").reason
    bce_start = df.copy()
    bce_start["d_loss"] += 1e-3      # no D loss at exactly 0, itself a hinge's mark (test below)
    bce_start.loc[0, ["d_loss", "g_loss"]] = [2 * LN2, LN2]       # BCE's untrained start instead
    assert infer_metadata(bce_start).loss != "hinge"
    assert infer_metadata(df, loss="nsgan").loss == "nsgan"                       # declared wins


def test_a_few_negative_g_losses_make_it_hinge():
    """StudioGAN's SNGAN log: hinge losses logged from step 100 (no untrained start), G's loss
    -D(G(z)) below 0 on 5 of 1,000 rows. A BCE or least-squares G loss is never below 0, so those
    rows settle it (was: nsgan, the both-signs test wanted more than 1 % of the rows)."""
    rng = np.random.default_rng(5)
    n = 1000
    g = np.abs(1.2 + 0.3 * rng.normal(size=n))
    g[rng.choice(n, 5, replace=False)] = -0.2
    df = _frame(np.abs(0.7 + 0.1 * rng.normal(size=n)), g, step=100 * np.arange(1, n + 1))
    m = infer_metadata(df)
    assert m.loss == "hinge" and "5 rows below 0" in _get(m, "loss").reason
    one = df.copy()
    one["g_loss"] = np.abs(g)
    one.loc[7, "g_loss"] = -0.2                    # one row: not enough to call it
    assert infer_metadata(one).loss != "hinge"


def test_saturated_minimax_run_is_minimax_not_hinge():
    """Minimax G's loss log(1 - D(G(z))) is never above 0; once D wins it sits at -0.0 (the
    saturation the non-saturating loss avoids), so most rows are not clearly negative. It is
    still minimax, not a hinge loss (was: hinge, on 17 of the corpus's 266 minimax runs)."""
    n = 600
    dgz = np.concatenate([np.linspace(0.5, 0.01, 150), np.full(n - 150, 1e-7)])
    dx = np.concatenate([np.linspace(0.5, 0.99, 150), np.full(n - 150, 0.999)])
    df = _frame(-np.log(dx) - np.log1p(-dgz), np.log1p(-dgz))
    assert (df.g_loss <= 0).all() and (df.g_loss < -1e-3).mean() < 0.5
    assert infer_metadata(df).loss == "minimax"


def test_lsgan_told_from_bce_by_its_two_losses_alone():
    """No D outputs: with BCE, G's loss -log D(G(z)) fixes D's fake term -log(1 - D(G(z))), so D's
    loss is at least about -log(1 - exp(-g)) (half of it as a mean). LSGAN's losses are both far
    lower; nsgan's, summed or averaged, are not."""
    rng = np.random.default_rng(8)
    n = 800
    dgz = np.clip(0.35 + 0.08 * rng.normal(size=n), 0.05, 0.95)
    dx = np.clip(0.65 + 0.08 * rng.normal(size=n), 0.05, 0.95)
    ls = _frame(0.5 * (dx - 1) ** 2 + 0.5 * dgz ** 2, 0.5 * (dgz - 1) ** 2)
    m = infer_metadata(ls)
    assert m.loss == "lsgan" and "least squares" in _get(m, "loss").reason
    bce = _frame(-np.log(dx) - np.log1p(-dgz), -np.log(dgz))
    assert infer_metadata(bce).loss == "nsgan" and infer_metadata(bce.assign(d_loss=bce.d_loss / 2)).loss == "nsgan"
    assert infer_metadata(ls, loss="nsgan").loss == "nsgan"                       # declared wins


def test_a_large_first_g_loss_explained_by_d_on_the_fakes_is_adversarial():
    """StyleGAN2-ADA's first tick (a run folder read in iterations, so its first row is step 1): G's
    loss 6.57 beside D's 1.11 read as 'G's loss holds other terms', but D's logit on the fakes there is
    -6.6: softplus(6.6) is G's adversarial loss, and D's sum near 2 ln 2 is one large real term."""
    n = 50
    d = np.r_[1.11, np.full(n - 1, 0.9)]
    g = np.r_[6.57, np.full(n - 1, 1.3)]
    logged = _frame(d, g, d_x=np.r_[-0.4, np.full(n - 1, 0.8)], d_g_z1=np.r_[-6.6, np.full(n - 1, -0.9)])
    assert infer_metadata(logged, loss="nsgan", scores="critic").g_loss_terms == "adversarial"
    # without D's outputs a G loss that settles at adversarial levels was a first-row spike (a
    # public log of epoch ends: 17.3 then 3.4, 2.6, 2.0 ... read as 'G's loss holds other terms')
    bare = logged.drop(columns=["d_x", "d_g_z1"])
    assert infer_metadata(bare, loss="nsgan").g_loss_terms == "adversarial"
    # ... and one that stays far above them holds other terms (pix2pix's G_GAN + 100 x L1)
    assert infer_metadata(bare.assign(g_loss=np.r_[6.57, np.full(n - 1, 12.0)]), loss="nsgan").g_loss_terms == "composite"
    # held-out batch 628/01: the DCGAN tutorial's "D(G(z)): 0.5501 / 0.0027" beside "Loss_G: 6.3462" (then G at 11):
    # G's loss is computed from the second value, D's output after its own step, which explains it
    tutorial = _frame(np.r_[1.63, np.full(n - 1, 0.4)], np.r_[6.35, np.full(n - 1, 11.0)],
                      d_x=np.r_[0.56, np.full(n - 1, 0.9)], d_g_z1=np.r_[0.55, np.full(n - 1, 0.1)],
                      d_g_z2=np.r_[0.0027, np.full(n - 1, 2e-5)])
    assert infer_metadata(tutorial, loss="nsgan").g_loss_terms == "adversarial"
    assert infer_metadata(tutorial.drop(columns="d_g_z2"), loss="nsgan").g_loss_terms == "composite"


def test_a_format_implied_bce_on_logits_is_not_overridden_by_the_least_squares_bound():
    """StyleGAN2-ADA logs D's logits; confident logits give a BCE D loss far under least squares'
    bound too, which rules out LSGAN, not BCE: the format's nsgan stays."""
    n = 100
    df = _frame(np.full(n, 0.1), np.full(n, 3.05), d_x=np.full(n, 3.0), d_g_z1=np.full(n, -3.0))
    df.attrs.update(loss="nsgan", inferred=["loss"], source_format="stylegan2-stats")
    assert infer_metadata(df).loss == "nsgan"
    df.attrs.clear()
    assert infer_metadata(df).loss == "hinge"        # with no format to say so, hinge is the reading


def test_bce_against_noisy_labels_dips_below_zero_without_becoming_a_critic():
    """Foster's Keras DCGAN trains D on labels 1 + 0.1 U and -0.1 U: its BCE dips to -0.24, and the
    log holds D's accuracy. It read as a Wasserstein critic; a critic's loss has no such floor."""
    rng = np.random.default_rng(8)
    n = 60
    d = 0.1 - 0.002 * np.arange(n) + 0.05 * rng.normal(size=n)
    noisy = _frame(d, 4 + 0.05 * np.arange(n), d_acc=np.linspace(0.83, 0.96, n), d_real_acc=np.full(n, 0.9))
    m = infer_metadata(noisy)
    assert d.min() < 0 and m.loss == "nsgan" and "noisy labels" in _get(m, "loss").reason
    assert infer_metadata(noisy.drop(columns=["d_acc", "d_real_acc"])).loss == "wgan-gp"
    assert infer_metadata(noisy.assign(d_loss=d - 3)).loss == "wgan-gp"      # far below 0: a critic
    from ganalyze.diagnose.inputs import diagnose_columns

    assert {"d_acc", "d_real_acc"} <= set(diagnose_columns(noisy.columns))


def test_keras_gan_print_of_a_wgan_gp_critic_keeps_no_bce_reduction(tmp_path):
    """Keras-GAN's print ('N [D loss: x] [G loss: y]') implies d_loss = 0.5 (real + fake) for its
    BCE GANs; its WGAN-GP prints the critic model's loss, where that says nothing: a public
    WGAN-GP log kept 'Keras-GAN prints d_loss = 0.5 * (real + fake) BCE' as its reduction."""
    from ganalyze.runlog import read_run

    rng = np.random.default_rng(5)
    p = tmp_path / "wgan_gp.txt"
    p.write_text("".join(f"{10 * k} [D loss: {-0.9 + 0.1 * rng.standard_normal():.6f}] "
                         f"[G loss: {-8 + k / 20 + rng.standard_normal():.6f}]\n" for k in range(300)))
    df = read_run(p)
    assert df.attrs["source_format"] == "keras-gan-console" and "BCE" not in df.attrs["guessed"]["d_loss_reduction"]
    meta = infer_metadata(df)
    red = meta.assumption("d_loss_reduction")
    assert meta.loss == "wgan-gp" and red.reason == "not applicable to a critic loss"


def test_a_saturated_d_loss_says_nothing_of_sum_or_mean():
    """A time-series GAN's D loss sat at 11.5 (its real term at the code's log floor) and was read
    as 'a sum: d_loss holds 11.5 over consecutive rows'; one saturated term reads the same summed
    or averaged. A level an unsaturated D holds above 1.11 still says sum."""
    n = 300
    steps = np.arange(n) * 10 + 100
    saturated = pd.DataFrame({"step": steps, "d_loss": 11.5 + 0.01 * np.sin(np.arange(n)),
                              "g_loss": np.linspace(2, 9, n)})
    red = infer_metadata(saturated, loss="nsgan").assumption("d_loss_reduction")
    assert red.reason.startswith("no evidence either way: d_loss holds above 4.2 throughout"), red.reason
    summed = saturated.assign(d_loss=np.r_[np.full(100, 1.35), np.full(n - 100, 11.5)])
    red = infer_metadata(summed, loss="nsgan").assumption("d_loss_reduction")
    assert red.value == "sum" and red.reason.startswith("d_loss holds 1.35 over consecutive rows"), red.reason


def test_a_d_loss_exactly_0_where_bce_cannot_print_it_is_a_hinge_loss():
    """BMSG-GAN's relativistic hinge prints d_loss 0.000000 beside G losses of 7-41 (a GitHub issue's
    log, read as nsgan with 'D loss is at 0: D has won'). A BCE D loss holds -log(1 - e^-g), 9e-4 at
    g = 7, which six decimals show; least squares is 0 only with G's loss at 1 (or 0.5). Exact
    zeros with larger G losses only say that the fake term is under the print's resolution."""
    g = np.array([20.78, 12.68, 11.16, 22.16, 15.88, 13.96, 30.81, 17.49, 10.83, 37.01, 12.68, 6.97, 18.5, 16.49])
    d = np.where(np.arange(len(g)) % 5 == 4, 0.050298, 0.0)
    meta = infer_metadata(_frame(d, g, step=np.arange(len(g)) * 498))
    loss = meta.assumption("loss")
    assert meta.loss == "hinge" and "exactly 0 (printed to 6 decimals) on 5 rows" in loss.reason, loss.reason
    # printed to 2 decimals, 0.00 is what a BCE D loss at g = 7 shows: no evidence
    assert infer_metadata(_frame(np.round(d, 2) + 0 * g, np.round(g, 2), step=np.arange(len(g)))).loss == "nsgan"
    # least squares at D's perfect answer: G's loss 1 (plain MSE) beside a D loss of 0
    assert infer_metadata(_frame(np.zeros(30), np.full(30, 1.0))).loss != "hinge"
    # ... and a little off it when D's loss is rounded to 0 (plain terms, D(G(z)) about -0.06)
    assert infer_metadata(_frame(np.r_[0.01, np.zeros(29)], np.linspace(1.10, 1.14, 30).round(2))).loss != "hinge"
    # a G loss the reader knows holds other terms (a Keras CycleGAN's adversarial + 5 x L1 + 10 x cycle) says
    # nothing of D's fake term: no hinge from it (held-out batch 123)
    composite = _frame(d, g, step=np.arange(len(g)) * 498)
    composite.attrs["g_loss_composite"] = "the notebook's code: model.compile(loss=['mse', 'mae', 'mae', 'mae'], ..)"
    assert infer_metadata(composite).loss != "hinge"


def test_exact_zeros_of_printed_d_terms_are_judged_at_the_terms_resolution():
    """pix2pix's loss_log prints D's terms to 3 decimals ('D_real: 0.000 D_fake: 0.000' beside G_GAN 9-20 once D
    wins, held-out batch 292); their mean holds 4 decimals, at whose resolution a BCE fake term at G 9 (1.2e-4)
    would show, so a BCE run read as hinge. The fake term printed to 3 decimals shows BCE's only up to G 7.6."""
    rng = np.random.default_rng(0)
    g = rng.uniform(8.5, 14, 60).round(3)
    real = np.where(np.arange(60) % 5 == 0, 0.001, 0.0)
    frame = _frame((real + 0.0) * 0.5, g).assign(d_loss_real=real, d_loss_fake=0.0)
    assert infer_metadata(frame).loss == "nsgan"
    # where G's loss puts BCE's fake term above 0.0005 (G 2-4), its 0.000 is a hinge's
    low = frame.assign(g_loss=rng.uniform(2, 4, 60).round(3))
    assert infer_metadata(low).loss == "hinge"


def test_bce_clamp_share_counts_rows_at_bcelosss_clamp_for_bce_losses_only():
    """torch's BCELoss clamps each log term at -100: a loss of exactly 100 (or 50 / 200 for D's mean /
    sum of two clamped terms) row after row is that clamp; 99.7 is an ordinary (if huge) value."""
    n = 1000
    d = np.r_[np.full(300, 100.0), np.full(100, 50.0), np.full(100, 200.0), np.linspace(1.0, 1.4, 500)]
    df = pd.DataFrame({"step": np.arange(n), "d_loss": d, "g_loss": np.full(n, 0.9)})
    assert infer_metadata(df, loss="nsgan").bce_clamp_share == pytest.approx(0.5)
    assert infer_metadata(df.assign(d_loss=d - 0.3), loss="nsgan").bce_clamp_share == 0.0
    assert infer_metadata(df, loss="wgan-gp").bce_clamp_share == 0.0


def test_a_d_loss_dipping_slightly_below_0_beside_a_positive_g_loss_is_no_critic():
    """An ACGAN whose class term is NLLLoss on softmax probabilities (each term in [-1, 0]) logs a D
    loss below 0 on some rows (never below -0.2) and up to 1.2, with G's loss always positive: it was
    guessed a Wasserstein critic. A critic's loss sits below 0 most of the time, or its G loss takes
    both signs; weight-clipped critics stay tiny on both sides."""
    rng = np.random.default_rng(7)
    n = 2000
    d = np.maximum(-0.17, 0.05 + 0.4 * np.arange(n) / n + 0.25 * rng.standard_normal(n))
    g = rng.lognormal(np.log(4.0), 0.45, n)
    df = pd.DataFrame({"step": np.arange(n), "d_loss": d, "g_loss": g})
    a = infer_metadata(df).assumption("loss")
    assert a.value == "nsgan" and "not a critic" in a.reason and a.source == "guess"
    # a critic: below 0 most of the time, or a G loss of both signs
    assert infer_metadata(df.assign(d_loss=d - 0.6)).loss == "wgan-gp"
    assert infer_metadata(df.assign(g_loss=g - 4.0)).loss == "wgan-gp"
    clipped = df.assign(d_loss=0.004 * rng.standard_normal(n), g_loss=0.005 + 0.001 * rng.random(n))
    assert infer_metadata(clipped).loss == "wgan-gp"


def test_a_bce_g_loss_that_never_falls_below_kerass_clamp_beside_a_live_d_is_composite():
    """A TensorFlow pix2pix notebook logged G's total (adversarial BCE + 100 x L1, 20-40 all run)
    beside D's summed BCE (0.02-2.3): with a first D loss that was no untrained D's, G's loss was
    read as adversarial, giving 'd_dominant' and advice to raise G's learning rate from the L1 level."""
    rng = np.random.default_rng(29)
    n = 300
    d = np.clip(0.4 * np.exp(0.8 * rng.standard_normal(n)), 0.02, 2.3)
    g = 20 + 20 * rng.random(n)
    pix = pd.DataFrame({"step": np.arange(n), "d_loss": np.r_[0.21, d[1:]], "g_loss": g})
    a = infer_metadata(pix, loss="nsgan").assumption("g_loss_terms")
    assert a is not None and a.value == "composite" and "pix2pix" in a.reason
    # a D about 0 (D won, G's adversarial loss genuinely huge) or saturated (diverging) is no such case
    assert infer_metadata(pix.assign(d_loss=0.0), loss="nsgan").g_loss_terms == "adversarial"
    assert infer_metadata(pix.assign(d_loss=9.5 + d), loss="nsgan").g_loss_terms == "adversarial"
    assert infer_metadata(pix.assign(g_loss=4 + g / 10), loss="nsgan").g_loss_terms == "adversarial"


def test_a_won_dcgans_g_loss_of_12_is_adversarial_not_composite():
    """A DCGAN on 300 anime faces whose D won held D at 0.09 and G at 12 for 200 epochs: read as a
    composite G by a floor of 10. The floor is Keras' BCE clamp, -ln(1e-7) = 16.1."""
    rng = np.random.default_rng(83)
    n = 200
    won = pd.DataFrame({"step": np.arange(n) * 100, "d_loss": 0.09 + 0.01 * rng.random(n), "g_loss": 12 + rng.random(n)})
    assert infer_metadata(won, loss="nsgan").g_loss_terms == "adversarial"
    pix = won.assign(d_loss=0.45 + 0.1 * rng.random(n), g_loss=20 + 20 * rng.random(n))
    assert infer_metadata(pix, loss="nsgan").g_loss_terms == "composite"


def test_a_log_stepped_by_the_epoch_has_no_untrained_first_row(tmp_path):
    """A TF loop printing its last batch's losses at each epoch's end: the first row (D 0.82, a sum of two
    BCE terms after a whole epoch) read as an untrained D's mean near ln 2. Stepped by the epoch, the first
    row says nothing of the reduction; the same numbers stepped by the iteration still do."""
    rng = np.random.default_rng(42)
    d = np.r_[0.816, 0.69 * np.exp(-np.arange(1, 120) / 40) + 0.02 + rng.uniform(0, 0.01, 119)]
    g = np.r_[0.75, 1 + np.arange(1, 120) / 12 + rng.normal(0, 0.1, 119)]
    p = tmp_path / "epochs.txt"
    p.write_text("".join(f"Epoch {e + 1}, Generator Loss: {float(g[e])!r}, Discriminator Loss: {float(d[e])!r}\n" for e in range(120)))
    df = read_run(p)
    assert df.attrs["step_from"] == "epoch"
    meta = infer_metadata(df)
    # (guessed from the level alone now: never held above 1.11, likelier a mean; the loop summed, D winning)
    assert "first D loss" not in meta.assumption("d_loss_reduction").reason
    assert "never holds above 1.11" in meta.assumption("d_loss_reduction").reason
    by_step = df.copy()
    by_step.attrs = {k: v for k, v in df.attrs.items() if k != "step_from"}
    assert infer_metadata(by_step).assumption("d_loss_reduction").value == "mean"


def test_a_d_accuracy_beside_the_loss_says_mean_where_the_numbers_say_neither():
    """Keras notebooks print 'discriminator loss: 0.18 discriminator acc: 85.4 %' (train_on_batch with
    metrics=['accuracy'] on the real and fake batch together: a mean). With no untrained first row and
    a D loss never above 1.11, the guess was sum by convention (held-out batches 49 and 51: two Keras
    means read as sums)."""
    rng = np.random.default_rng(2)
    n = 40
    df = pd.DataFrame({"step": 400 * np.arange(1, n + 1), "d_loss": 0.3 + 0.05 * rng.random(n),
                       "acc": 80 + 5 * rng.random(n), "g_loss": 3.5 + rng.random(n)})
    a = infer_metadata(df).assumption("d_loss_reduction")
    assert a.value == "mean" and a.source == "guess" and "accuracy ('acc')" in a.reason
    # without it the level alone: never held above 1.11, likelier a mean (NEVER_HELD_LIKELIHOOD)
    bare = infer_metadata(df.drop(columns="acc")).assumption("d_loss_reduction")
    assert bare.value == "mean" and "accuracy" not in bare.reason and "never holds above 1.11" in bare.reason
    # the numbers still win: an untrained first loss at 2 ln 2 is a sum, accuracy or not
    first = df.copy()
    first.loc[0, ["step", "d_loss"]] = [0, 1.386]
    assert infer_metadata(first).assumption("d_loss_reduction").value == "sum"


def test_frozen_tail_finds_the_last_rows_that_repeat_one_pair_of_losses():
    """A log whose last rows repeat one D and one G loss exactly (a public run at BCELoss's clamp, D 27.5 /
    G 100, for its last 16 of 120 epochs) has a frozen end; a live run's rows, a frozen run from its first
    row at BCELoss's clamp, too few repeated rows, and a coarse print that repeats its pairs all along have none."""
    from ganalyze.diagnose.log_facts import frozen_tail

    rng = np.random.default_rng(5)
    d, g = rng.uniform(0.5, 1.5, 120), rng.uniform(1.0, 3.0, 120)
    d[104:], g[104:] = 27.5, 100.0
    assert frozen_tail(d, g) == (104, 16, 27.5, 100.0)
    df = pd.DataFrame({"step": np.arange(120), "d_loss": d, "g_loss": g})
    assert infer_metadata(df).frozen_tail == (104, 16, 27.5, 100.0)
    assert frozen_tail(d[:108], g[:108]) is None                    # 4 rows: too few
    assert frozen_tail(np.full(120, 27.5), np.full(120, 100.0)) is None          # at BCELoss's clamp from row 0
    # every row one pair off the clamp (held-out batch 148: a TimeGAN whose data iterator ran dry printed its
    # first losses 100 times): the whole log, which the main finding says
    assert frozen_tail(np.full(100, 2.1248), np.full(100, 0.6346)) == (0, 100, 2.1248, 0.6346)
    from ganalyze.diagnose import diagnose
    stale = pd.DataFrame({"step": np.arange(100) * 10, "d_loss": 2.1248, "g_loss": 0.6346})
    main = diagnose(stale).summary["main_finding"]
    assert main.startswith("nothing logged changes: all 100 rows (steps 0-990) repeat") and "healthy" not in main
    # both at exactly 0 on every row (held-out batch 448/19: 'G_Loss: 0.0, D_Loss: 0.0' every epoch, sums never added
    # to, beside varied digits): no saturated D holds that pair, so nothing is read from it ('possible stagnation' was)
    assert frozen_tail(np.zeros(10), np.zeros(10)) == (0, 10, 0.0, 0.0)
    zeros = pd.DataFrame({"step": np.arange(10), "d_loss": 0.0, "g_loss": 0.0})
    main = diagnose(zeros, loss="nsgan").summary["main_finding"]
    assert main.startswith("nothing logged changes: all 10 rows") and "never added to" in main and "stagnation" not in main
    assert frozen_tail(np.zeros(100), np.full(100, 100.0)) is None        # D perfect, G at BCELoss's clamp: a state
    live_d, live_g = rng.uniform(0.5, 1.5, 120), rng.uniform(1.0, 3.0, 120)
    assert frozen_tail(live_d, live_g) is None
    coarse_d, coarse_g = np.round(live_d, 0), np.round(live_g, 0)   # repeats its pairs by chance all along
    coarse_d[100:], coarse_g[100:] = 1.0, 2.0
    assert frozen_tail(coarse_d, coarse_g) is None


def test_rows_held_at_bcelosss_clamp_are_no_sign_of_a_frozen_print_or_of_means():
    """A DCGAN-tutorial run (held-out batch 71) printed D 0.0000 beside G 100.0000 on many rows (D perfect, G
    at BCELoss's clamp) before both sat at 100 to its end: those repeats hid its frozen end (read as a print
    too coarse to tell), and D's rows at 0 read as pre-averaged (0 % row-to-row noise)."""
    from ganalyze.diagnose.log_facts import frozen_tail

    rng = np.random.default_rng(71)
    n = 300
    d = np.where(rng.random(n) < 0.4, 0.0, rng.uniform(0.01, 2.0, n)).round(4)
    g = np.where(d == 0.0, 100.0, rng.uniform(2.0, 40.0, n)).round(4)
    d[269:], g[269:] = 100.0, 100.0
    assert frozen_tail(d, g) == (269, 31, 100.0, 100.0)
    df = pd.DataFrame({"step": 50 * np.arange(n), "d_loss": d, "g_loss": g})
    meta = infer_metadata(df, loss="nsgan")
    assert meta.averaged is False and "single-step values" in meta.assumption("averaged").reason


def test_an_acgan_d_loss_with_its_class_term_is_composite():
    """Held-out batches 74 and 84: an ACGAN's D loss adds its class loss (an NLL on softmax
    probabilities dips below 0; a cross-entropy sits above), so its level says nothing of who wins;
    it had been judged as a BCE sum (d_dominant on 37 % of a run whose samples were varied)."""
    rng = np.random.default_rng(3)
    n = 300
    d = np.where(rng.random(n) < 0.3, -0.15 * rng.random(n), 0.05 + 0.4 * rng.random(n))
    d[::37] = 1.6
    acgan = _frame(d, 4 + rng.random(n))
    m = infer_metadata(acgan)
    assert m.loss == "nsgan" and m.d_loss_terms == "composite" and "class NLL" in _get(m, "d_loss_terms").reason
    cls = _frame(0.05 + 0.4 * rng.random(n), 4 + rng.random(n), cls_acc=np.linspace(0.3, 0.9, n))
    m = infer_metadata(cls)
    assert m.d_loss_terms == "composite" and "'cls_acc'" in _get(m, "d_loss_terms").reason
    plain = _frame(0.05 + 0.4 * rng.random(n), 4 + rng.random(n))
    assert infer_metadata(plain).d_loss_terms == "adversarial"
    noisy = _frame(d, 4 + rng.random(n), d_acc=np.full(n, 0.9))      # noisy labels: D's accuracy says so
    assert infer_metadata(noisy).d_loss_terms == "adversarial"


def test_a_d_loss_exactly_0_leaves_a_notebooks_bce_code_standing():
    """Held-out batch 191: a Udacity face GAN (nn.BCEWithLogitsLoss in the code) prints 'd_loss: 0.0000' beside G
    losses of 3-70; read as hinge. The exact-zero argument needs both losses from one D; that loop logs D's loss
    before D's step and G's after it (Adam at betas (0.2, 0.09)). The code's family stands; without code the
    numbers still read hinge."""
    g = np.array([20.78, 12.68, 11.16, 22.16, 15.88, 13.96, 30.81, 17.49, 10.83, 37.01, 12.68, 6.97, 18.5, 16.49])
    d = np.where(np.arange(len(g)) % 5 == 4, 0.050298, 0.0)
    coded = _frame(d, g, step=np.arange(len(g)) * 50)
    coded.attrs["code_loss"] = ("nsgan", "the notebook's code: `criterion = nn.BCEWithLogitsLoss()` (cell 28)")
    meta = infer_metadata(coded)
    assert meta.loss == "nsgan" and "pairs two" in meta.assumption("loss").reason
    assert infer_metadata(_frame(d, g, step=np.arange(len(g)) * 50)).loss == "hinge"


def test_a_penalised_critic_that_never_separates_is_no_minimax_where_the_code_says_critic():
    """Held-out batches 404, 425, 426 and 430: WGAN-GP notebooks whose critic loss, penalty inside, stays above 0
    (the critic fails to separate) while G's loss -D(G(z)) stays at or below 0 were read as minimax (log(1 - D(G(z)))
    has that sign pattern), 'but its numbers show otherwise'. Where the code holds a Wasserstein critic, it decides;
    without code the numbers still read minimax."""
    rng = np.random.default_rng(47)
    n = 60
    d, g = 4.0 + rng.random(n), -0.05 - 0.5 * rng.random(n)
    coded = _frame(d, g, step=np.arange(n) * 100)
    coded.attrs["code_loss"] = ("wgan-gp", "the notebook's code: `gp = gradient_penalty(critic, real, fake)` (cell 32): "
                                           "a Wasserstein critic (gradient penalty or weight clipping)")
    meta = infer_metadata(coded)
    assert meta.loss == "wgan-gp" and "their guess: minimax" in meta.assumption("loss").reason
    assert infer_metadata(_frame(d, g, step=np.arange(n) * 100)).loss == "minimax"


def test_a_log_whose_losses_move_only_in_their_last_digits_says_nothing_trains():
    """Held-out batch 667/02: a Keras WGAN printed 'D loss: 0.757304', 'G loss: 0.514349' for 18 epochs, each moving
    only in its fifth digit (a spread of 0.005 % and 0.02 % of the level); the learned model, reading the swings against
    their own tiny spread, said "possible oscillation" and advised lowering both learning rates. Losses that still
    (``log_facts.still_log``) are read as a log that cannot show training; a live run's interval means are not."""
    from ganalyze.diagnose import diagnose
    from ganalyze.diagnose.log_facts import STILL_SPREAD, still_log

    rng = np.random.default_rng(7)
    d = np.round(0.7573 + 1.5e-5 * rng.standard_normal(18), 6)
    g = np.round(0.51435 + 4e-5 * rng.standard_normal(18), 6)
    rows, d_level, g_level, d_spread, g_spread = still_log(d, g)
    assert rows == 18 and d_level == pytest.approx(0.7573, abs=1e-4) and max(d_spread, g_spread) < STILL_SPREAD
    df = pd.DataFrame({"step": np.arange(18) * 100, "d_loss": d, "g_loss": g})
    out = diagnose(df, loss="wgan-gp").summary
    assert out["main_finding"].startswith("nothing logged moves beyond its last digits: over all 18 rows")
    assert not any("swing" in a for a in out["advice"])
    # means over 1,000 steps of a steady run still move by 0.2-1 % of their level: no such finding
    live = pd.DataFrame({"step": np.arange(40) * 1000, "d_loss": 1.30 * (1 + 0.004 * rng.standard_normal(40)),
                         "g_loss": 0.80 * (1 + 0.006 * rng.standard_normal(40))})
    assert still_log(live.d_loss.to_numpy(), live.g_loss.to_numpy()) is None
    assert "nothing logged moves" not in diagnose(live).summary["main_finding"]
    # one pair repeated exactly is frozen_tail's (its own finding), and losses held at BCELoss's clamp are a state
    assert still_log(np.full(20, 0.7573), np.full(20, 0.5143)) is None
    assert still_log(np.full(20, 100.0), 1e-5 * rng.standard_normal(20) + 0.3) is None
