"""Two tiny runs per corpus loop: the log has one row per iteration with the loop's conventions,
and the ground-truth checks hold LABELS.md's signals with values that make sense."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from ganalyze.corpus import datasets
from ganalyze.corpus.generate import read_raw, run_one, run_path
from ganalyze.corpus.schedule import Event
from ganalyze.corpus.spec import RunSpec
from ganalyze.corpus.store import label_raw_run
from ganalyze.diagnose.truth import SIGNALS

CASES = [
    ("trainer", "ring8", "nsgan", "plain"), ("trainer", "ring8", "wgan-gp", "plain"),
    ("dcgan", "ring8", "minimax", "plain"), ("dcgan", "digits8", "nsgan", "plain"),
    ("pacgan", "grid25", "lsgan", "pac2"), ("pacgan", "digits8", "nsgan", "minibatch"),
    ("critic", "grid25", "wgan-gp", "plain"), ("critic", "digits8", "hinge", "plain"),
    ("keras", "ring8", "nsgan", "plain"), ("keras", "mnist", "lsgan", "plain"),
    ("r1", "grid25", "nsgan", "plain"), ("r1", "digits8", "hinge", "plain"),
    ("tfsim", "ring8", "lsgan", "plain"), ("tfsim", "digits8", "nsgan", "plain"),
    ("sngan", "mnist", "hinge", "plain"), ("sngan", "grid25", "nsgan", "plain"),
    ("pytorchgan", "ring8", "nsgan", "plain"), ("pytorchgan", "digits8", "lsgan", "plain"),
    ("pytorchgan", "grid25", "wgan-gp", "plain"), ("goodfellow", "ring8", "minimax", "plain"),
    ("goodfellow", "mnist", "nsgan", "plain"), ("wganclip", "grid25", "wgan-gp", "plain"),
    ("wganclip", "digits8", "wgan-gp", "plain"), ("dcgantf", "ring8", "nsgan", "plain"),
    ("dcgantf", "digits8", "lsgan", "plain"), ("ganhacks", "grid25", "nsgan", "plain"),
    ("ganhacks", "mnist", "minimax", "plain"), ("dragan", "ring8", "nsgan", "plain"),
    ("dragan", "digits8", "lsgan", "plain"),
]


def _spec(loop, dataset, loss, design, steps=60, events=()):
    return RunSpec(run_id=f"t_{loop}_{dataset}_{loss}", loop=loop, dataset=dataset, loss=loss, steps=steps,
                   batch_size=32, lr_d=5e-4, lr_g=5e-4, beta1=0.5, beta2=0.999, n_critic=2 if loop in ("critic", "pytorchgan") else 1,
                   g_width=32, d_width=32, latent_dim=8, d_design=design, check_every=20, seed=3, events=events)


@pytest.mark.parametrize("loop,dataset,loss,design", CASES)
def test_loop_logs_every_iteration_and_ground_truth_every_check(tmp_path, loop, dataset, loss, design):
    torch.set_num_threads(1)
    spec = _spec(loop, dataset, loss, design)
    status = run_one(spec, tmp_path)
    assert status["status"] == "ok", status
    log, checks, meta = read_raw(run_path(tmp_path, spec.run_id))
    assert log["step"].tolist() == list(range(60))
    assert log["d_loss"].notna().all() and log["g_loss"].notna().all()
    assert meta["loop_meta"]["d_loss_reduction"] == ("mean" if loop in ("pacgan", "keras") or (loop == "pytorchgan" and loss != "wgan-gp")
                                                     or (loop == "dcgantf" and loss == "lsgan") else "sum")
    # checks: the untrained networks (0), then after 20, 40, 60 iterations (trainer: 1, 21, 41, 60)
    steps = checks["gt_step"].tolist()
    assert steps[0] == 0 and steps[-1] == 60 and len(steps) >= 4
    assert set(f"gt_{s}" for s in SIGNALS if s != "step") <= set(checks.columns)
    data = datasets.load(dataset)
    assert checks["gt_finite"].eq(1.0).all()
    assert checks["gt_modes_covered"].between(0, data.n_modes).all()
    assert checks["gt_class_histogram_kl"].between(0, math.log(data.n_modes) + 1e-9).all()
    assert checks["gt_high_quality_fraction"].between(0, 1).all()
    assert checks["gt_d_acc_real"].between(0, 1).all() and checks["gt_d_acc_fake"].between(0, 1).all()
    assert np.allclose(checks["gt_d_accuracy"], (checks["gt_d_acc_real"] + checks["gt_d_acc_fake"]) / 2)
    assert checks["gt_frechet_distance"].ge(0).all() and checks["gt_diversity_ratio"].gt(0).all()
    assert np.isnan(checks["gt_sample_drift"].iloc[0]) and checks["gt_sample_drift"].iloc[1:].gt(0).all()
    critic_scores = meta["loop_meta"]["scores"] == "critic" and loss != "lsgan"
    assert checks["gt_d_fake_mean"].isna().all() == critic_scores
    steps_df, table = label_raw_run(log, checks, meta)
    assert len(steps_df) == 60 and steps_df["gt_label"].iloc[0] in {"warmup", "divergence"} | set(table["label"])


def test_nan_injection_gives_divergence_from_the_next_check(tmp_path):
    spec = _spec("pacgan", "ring8", "nsgan", "spectral", steps=80, events=(Event(30, "nan"),))
    assert run_one(spec, tmp_path)["status"] == "ok"
    log, checks, meta = read_raw(run_path(tmp_path, spec.run_id))
    assert checks.loc[checks["gt_step"] >= 40, "gt_finite"].eq(0).all()
    labels = label_raw_run(log, checks, meta)[0]["gt_label"]
    assert (labels.iloc[20:] == "divergence").all() and (labels.iloc[:20] != "divergence").all()


def test_frozen_generator_stops_drifting(tmp_path):
    spec = _spec("critic", "ring8", "wgan-gp", "plain", steps=100, events=(Event(40, "freeze_g"),))
    assert run_one(spec, tmp_path)["status"] == "ok"
    log, checks, _ = read_raw(run_path(tmp_path, spec.run_id))
    assert log.loc[log["step"] >= 40, "lr_g"].eq(0).all()
    assert checks.loc[checks["gt_step"] > 40, "gt_sample_drift"].max() < 1e-6 < checks["gt_sample_drift"].iloc[1]


def test_dcgan_loop_dies_on_nan_like_the_tutorial(tmp_path):
    spec = _spec("dcgan", "ring8", "nsgan", "plain", steps=80, events=(Event(30, "nan"),))
    assert run_one(spec, tmp_path)["status"] == "ok"
    log, checks, meta = read_raw(run_path(tmp_path, spec.run_id))
    assert meta["loop_meta"]["crashed_at"] == 30 and len(log) == 30
    assert checks["gt_finite"].iloc[-1] == 0


def test_pytorchgan_loop_puts_the_penalty_in_d_loss_and_carries_g_between_its_steps(tmp_path):
    spec = _spec("pytorchgan", "ring8", "wgan-gp", "plain", steps=40)       # n_critic 2: G on even batches
    assert run_one(spec, tmp_path)["status"] == "ok"
    log, _, meta = read_raw(run_path(tmp_path, spec.run_id))
    parts = log["d_loss_real"] + log["d_loss_fake"] + 10 * log["gradient_penalty"]
    assert np.allclose(log["d_loss"], parts, rtol=1e-4, atol=1e-5)
    odd = log["step"] % 2 == 1                     # no G step: the latest G loss is carried
    assert np.array_equal(log.loc[odd, "g_loss"].to_numpy(), log["g_loss"].shift(1)[odd].to_numpy())
    assert meta["loop_meta"]["scores"] == "critic"
    spec = _spec("pytorchgan", "ring8", "nsgan", "plain", steps=40)
    assert run_one(spec, tmp_path)["status"] == "ok"
    log, _, meta = read_raw(run_path(tmp_path, spec.run_id))
    assert np.allclose(log["d_loss"], (log["d_loss_real"] + log["d_loss_fake"]) / 2, rtol=1e-5)
    assert meta["loop_meta"]["d_loss_reduction"] == "mean" and log["d_x"].between(0, 1).all()


def test_goodfellow_loop_ramps_sgd_momentum_and_a_beta1_event_sets_it(tmp_path):
    from ganalyze.corpus.loops.goodfellow import momentum_at
    from ganalyze.corpus.schedule import apply_events

    assert momentum_at(0, 90) == 0.5 and momentum_at(60, 90) == momentum_at(89, 90) == pytest.approx(0.7)
    net = torch.nn.Linear(2, 1)
    sgd, rms = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.5), torch.optim.RMSprop(net.parameters())
    apply_events((Event(3, "beta1", 0.9, 0.9),), 3, sgd, rms, net)
    assert sgd.param_groups[0]["momentum"] == 0.9 and rms.param_groups[0]["momentum"] == 0   # RMSprop untouched
    spec = _spec("goodfellow", "ring8", "nsgan", "plain", steps=40, events=(Event(20, "beta1", 0.9, 0.9),))
    assert run_one(spec, tmp_path)["status"] == "ok"
    log, _, meta = read_raw(run_path(tmp_path, spec.run_id))
    assert np.allclose(log["lr_d"], 5e-4 * meta["loop_meta"]["sgd_lr_scale"])
    assert np.allclose(log["d_loss"], log["d_loss_real"] + log["d_loss_fake"], rtol=1e-5)


def test_wganclip_loop_bursts_the_critic_and_its_clipped_critic_logs_small_losses(tmp_path):
    from ganalyze.corpus.loops.wganclip import critic_iters

    assert [critic_iters(s, 5) for s in (0, 24, 25, 499, 500, 501, 1000)] == [100, 100, 5, 5, 100, 5, 100]
    spec = _spec("wganclip", "ring8", "wgan-gp", "plain", steps=40)
    assert run_one(spec, tmp_path)["status"] == "ok"
    log, _, meta = read_raw(run_path(tmp_path, spec.run_id))
    assert np.allclose(log["d_loss"], log["d_loss_real"] + log["d_loss_fake"], rtol=1e-4, atol=1e-7)
    assert np.allclose(log["g_loss"], -log["d_g_z2"], rtol=1e-5)
    # weights in [-0.01, 0.01] through four layers of width 32: critic scores far below 1
    assert log[["d_x", "d_g_z1", "d_g_z2"]].abs().max().max() < 0.05
    assert meta["loop_meta"]["scores"] == "critic" and "gradient_penalty" not in log


def test_dcgantf_loop_prints_losses_of_one_evaluation_after_the_updates_and_halves_lsgan(tmp_path):
    from ganalyze.corpus.loops import dcgantf

    assert dcgantf.G_STEPS == 2
    spec = _spec("dcgantf", "ring8", "lsgan", "plain", steps=40)
    assert run_one(spec, tmp_path)["status"] == "ok"
    log, _, meta = read_raw(run_path(tmp_path, spec.run_id))
    assert np.allclose(log["d_loss"], log["d_loss_real"] + log["d_loss_fake"], rtol=1e-5)
    # halved LSGAN on one forward pass: 0.5 mean(f^2) - 0.5 mean((f - 1)^2) = mean(f) - 0.5 exactly,
    # which holds only when D's fake loss, G's loss and D(G(z)) come from the same evaluation
    assert np.allclose(log["d_loss_fake"] - log["g_loss"], log["d_g_z1"] - 0.5, atol=1e-5)
    assert (log["d_loss_real"] >= 0.5 * (log["d_x"] - 1) ** 2 - 1e-6).all()     # Jensen, halved
    assert meta["loop_meta"]["scores"] == "critic" and "d_g_z2" not in log


def test_ganhacks_loop_soft_flipped_targets_reach_below_zero_and_d_uses_sgd(tmp_path):
    from ganalyze.corpus.loops import ganhacks

    real, fake = ganhacks.soft_targets(20_000, torch.Generator().manual_seed(0))
    assert real.min() >= 0 and real.max() <= 1.2 and (real > 1).mean(dtype=torch.float32) > 0.3
    assert 0.03 < (real <= 0.3).float().mean() < 0.07 and 0.03 < (fake >= 0.7).float().mean() < 0.07
    spec = _spec("ganhacks", "ring8", "nsgan", "plain", steps=40)
    assert run_one(spec, tmp_path)["status"] == "ok"
    log, _, meta = read_raw(run_path(tmp_path, spec.run_id))
    assert np.allclose(log["d_loss"], log["d_loss_real"] + log["d_loss_fake"], rtol=1e-5)
    assert np.allclose(log["lr_d"], 5e-4 * meta["loop_meta"]["sgd_lr_scale"]) and np.allclose(log["lr_g"], 5e-4)
    assert meta["loop_meta"]["scores"] == "probability"


def test_dragan_loop_logs_d_loss_with_its_penalty_taken_near_the_real_data(tmp_path):
    from torch import nn

    from ganalyze.corpus.loops import dragan

    # D(x) = a . x has gradient a everywhere: the penalty is (|a| - 1)^2 wherever it is taken
    lin = nn.Linear(2, 1, bias=False)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor([[3.0, 4.0]]))
    penalty = dragan.dragan_penalty(nn.Sequential(lin, nn.Flatten(0)), torch.randn(64, 2), torch.Generator().manual_seed(0))
    assert torch.isclose(penalty, torch.tensor(16.0))
    spec = _spec("dragan", "ring8", "nsgan", "plain", steps=40)
    assert run_one(spec, tmp_path)["status"] == "ok"
    log, _, meta = read_raw(run_path(tmp_path, spec.run_id))
    gap = log["d_loss"] - (log["d_loss_real"] + log["d_loss_fake"])
    assert (gap >= -1e-5).all() and (gap > 1e-4).any()          # the logged D loss holds the penalty too
    assert meta["loop_meta"]["penalty"] == "dragan" and meta["loop_meta"]["scores"] == "probability"
    assert log["d_x"].between(0, 1).all()


def test_keras_loop_logs_the_mean_of_two_d_steps_and_keeps_running_on_nan(tmp_path):
    spec = _spec("keras", "ring8", "nsgan", "plain", steps=80, events=(Event(30, "nan"),))
    assert run_one(spec, tmp_path)["status"] == "ok"
    log, checks, meta = read_raw(run_path(tmp_path, spec.run_id))
    assert len(log) == 80 and meta["loop_meta"].get("crashed_at") is None   # logits: no crash, NaN rows
    ok = log["step"] < 30
    assert np.allclose(log.loc[ok, "d_loss"], (log.loc[ok, "d_loss_real"] + log.loc[ok, "d_loss_fake"]) / 2, rtol=1e-5)
    assert log.loc[~ok, "g_loss"].isna().all() and "d_g_z2" not in log and "epoch" not in log
    assert checks.loc[checks["gt_step"] >= 40, "gt_finite"].eq(0).all()
