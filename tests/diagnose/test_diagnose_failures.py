"""The failures of issue 11, each on a log of the same shape written here: a WGAN-GP critic log
without D(x), a summed BCE log where D wins early, logs every 200 steps (plain and pre-averaged),
a failed DCGAN-tutorial console log, a never-diverse ring8 run, a BEGAN log, a healthy run whose
losses rarely cross, and a minimax run with lr_D = 40 x lr_G."""
import json
import math

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from ganalyze.cli import main
from ganalyze.diagnose import diagnose
from ganalyze.diagnose.model import Segment
from ganalyze.runlog import read_run, read_runs

LN2 = math.log(2)


def _share(d, df, label, lo=None, hi=None):
    ph = d.phases(df).astype(str)
    m = np.ones(len(df), bool)
    if lo is not None:
        m &= df["step"].to_numpy() >= lo
    if hi is not None:
        m &= df["step"].to_numpy() < hi
    return float((ph[m] == label).mean())


def wgan_gp_log(n=4000, seed=0):
    """A healthy WGAN-GP run as critic logs show it: the critic loss dips to about -8 early and
    recovers toward -1.5 as G improves; the G loss (-mean critic(G(z))) wanders across 0."""
    rng = np.random.default_rng(seed)
    t = np.arange(n, dtype=float)
    d = -1.5 - 6.5 * np.exp(-t / 600) * (1 - np.exp(-t / 40)) + 0.4 * rng.normal(size=n)
    g = 3 * np.sin(t / 450) + 0.8 * rng.normal(size=n)
    return pd.DataFrame({"step": np.arange(n), "d_loss": d, "g_loss": g})


def test_healthy_wgan_gp_without_d_outputs_is_a_critic_not_minimax_d_dominant():
    df = wgan_gp_log()
    d = diagnose(df)
    a = d.assumptions
    assert a["loss"] == "wgan-gp" and a["scores"] == "critic", a
    why = next(x for x in d.to_dict()["assumptions"]["details"] if x["name"] == "loss")
    assert why["source"] == "guess" and "negative" in why["reason"]
    assert _share(d, df, "d_dominant") == 0.0, d.text()
    assert "D loss is at 0" not in d.text()
    labels = {x["label"] for x in d.to_dict()["not_checkable"]}
    assert {"d_dominant", "g_dominant", "mode_collapse"} <= labels
    healthy = [s for s in d.segments if s.label == "healthy"]
    assert healthy and max(s.confidence for s in healthy) <= 0.5   # three labels cannot be ruled out
    assert d.summary["healthy_confidence_cap"] == 0.4 and "confidence capped at 0.40" in d.summary["main_finding"]


def summed_bce_d_wins_early(n=3000, seed=0, outputs=False, parts=False):
    """BCE, d_loss = real + fake: an untrained D at 2 ln 2, D wins within 60 steps (D loss 0.15,
    G loss 3.5), then the game recovers from step 1200 (D 1.2, G 0.9)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    w = rng.normal(size=n)
    win = np.exp(-t / 20)
    d = np.where(t < 1200, 0.15 + (2 * LN2 - 0.15) * win + 0.05 * w, 1.2 + 0.12 * w)
    g = np.where(t < 1200, 3.5 - (3.5 - LN2) * win + 0.4 * rng.normal(size=n), 0.9 - 0.15 * w)
    df = pd.DataFrame({"step": t, "d_loss": np.abs(d), "g_loss": np.abs(g)})
    if outputs:   # D outputs consistent with both losses and a summed D loss (Jensen gap 25 %)
        dgz = 0.9 * np.exp(-df["g_loss"].to_numpy())
        fake = -np.log1p(-dgz)
        real = np.maximum(df["d_loss"].to_numpy() / 1.25 - fake, 0.005)
        df["d_x"] = np.exp(-real)
        df["d_g_z1"] = dgz
    if parts:
        df["d_loss_real"] = df["d_loss"] * 0.45
        df["d_loss_fake"] = df["d_loss"] * 0.55
    return df


def test_summed_log_where_d_wins_early_is_read_as_a_sum():
    for kw in ({}, {"outputs": True}, {"parts": True}):
        df = summed_bce_d_wins_early(**kw)
        d = diagnose(df)
        assert d.assumptions["d_loss_reduction"] == "sum", (kw, d.assumptions["note"])
        assert _share(d, df, "d_dominant", 300, 1100) > 0.8, (kw, d.text())
        assert _share(d, df, "healthy", 1500) > 0.8, (kw, d.text())
        assert len(d.segments) <= 6, (kw, d.text())    # not fragmented into dozens of segments
    src = {kw: diagnose(summed_bce_d_wins_early(**{kw: True})).metadata.assumption("d_loss_reduction").source
           for kw in ("outputs", "parts")}
    assert src == {"outputs": "guess", "parts": "file"}
    halved = summed_bce_d_wins_early(parts=True)
    halved["d_loss"] = halved["d_loss"] / 2     # now the mean of its parts
    assert diagnose(halved).assumptions["d_loss_reduction"] == "mean"


def per_step_healthy(n, seed=0):
    rng = np.random.default_rng(seed)
    w = rng.normal(size=n)
    return (1.25 + 0.12 * w + 0.05 * rng.normal(size=n),
            0.95 - 0.15 * w + 0.05 * rng.normal(size=n))


def test_log_every_200_steps_is_not_stagnation():
    d_all, g_all = per_step_healthy(40_000)
    every = np.arange(0, 40_000, 200)
    df = pd.DataFrame({"step": every, "d_loss": d_all[every], "g_loss": g_all[every]})
    d = diagnose(df)
    assert d.assumptions["log_every"] == 200 and d.assumptions["averaged"] is False
    assert d.assumptions["window_steps"] >= 12 * 200
    assert _share(d, df, "stagnation") < 0.05, d.text()
    assert _share(d, df, "healthy", 2000) > 0.9, d.text()


def test_pre_averaged_log_is_not_stagnation_and_says_why():
    """StyleGAN2-ADA / Chainer LogReport style: each row the mean over the last 200 steps, while G
    learns (the losses drift slowly)."""
    d_all, g_all = per_step_healthy(40_000, seed=1)
    d_all = d_all - 0.2 * np.linspace(0, 1, 40_000)
    means = lambda x: x.reshape(-1, 200).mean(axis=1)
    df = pd.DataFrame({"step": np.arange(199, 40_000, 200), "d_loss": means(d_all) / 2, "g_loss": means(g_all)})
    d = diagnose(df)
    av = d.metadata.assumption("averaged")
    assert av.value is True and av.source == "guess" and "200 steps" in av.reason
    assert _share(d, df, "stagnation") == 0.0, d.text()
    stag = [x for x in d.not_checkable if x.label == "stagnation"]
    assert stag and "mean over about 200 steps" in stag[0].because
    df.attrs = {"averaged": False}      # declared per-step: the flat rows are then read as flat losses
    per_step = diagnose(df)
    assert _share(per_step, df, "stagnation") > 0.0
    assert "mean over" not in next(x for x in per_step.not_checkable if x.label == "stagnation").because


def test_stylegan2_ticks_stamped_in_images_are_read_by_the_rules_not_called_g_dominant():
    """StyleGAN2-ADA's stats.jsonl: 12 ticks stamped every 4,000 images (FID 418 -> 29 in the run
    this shape comes from). No corpus log is that sparse (the model saw a row at least every 500
    steps), so auto hands it to the rules, which read warm-up then healthy."""
    from pathlib import Path

    df = read_run(Path(__file__).resolve().parents[1] / "data" / "logs" / "stylegan2_stats.jsonl")
    d = diagnose(df)
    assert d.assumptions["log_every"] == 4000 and d.assumptions["method"] == "rules"
    assert [s.label for s in d.segments] == ["warmup", "healthy"], d.text()
    assert d.summary["main_finding"].startswith("healthy")
    # the same log stamped in ticks (one row per step) is dense enough for the model
    ticks = read_run(Path(__file__).resolve().parents[1] / "data" / "logs" / "stylegan2_stats.jsonl", step_from="tick")
    assert diagnose(ticks).assumptions["method"] == "learned"
    assert "g_dominant" not in {s.label for s in diagnose(ticks).segments}


def test_weight_clipped_wgan_console_log_is_read_per_generator_step_and_not_called_divergence(tmp_path):
    """The original WGAN code's prints ([epoch/E][critic batch/B][G iteration], 100 critic batches
    per G step for the first 25 and every 500th) of a corpus run of its loop (ring8, 5,000 G steps,
    no divergence in its truth; losses of order 1e-5 from the clipped critic). Read with the batch
    counter as the step, the run looked 5.6x longer and the default found a divergence and an
    oscillation in it; per G step it spans 5,000 steps and nothing explodes."""
    from pathlib import Path

    from ganalyze.corpus.loops.wganclip import critic_iters

    part = Path(__file__).resolve().parents[2] / "data" / "corpus" / "steps" / "loop=wganclip" / "part-0.parquet"
    run = pd.read_parquet(part, filters=[("run_id", "==", "r12001_wganclip_ring8_wgan-gp")])
    assert len(run) == 5000 and "divergence" not in set(run["gt_label"].astype(str))
    batches = np.cumsum([critic_iters(s, 5) for s in run["step"]])
    lines = [f"[{b // 1000}/25][{b % 1000}/1000][{s + 1}] Loss_D: {d:f} Loss_G: {g:f} Loss_D_real: {r:f} Loss_D_fake {-f:f}"
             for b, s, d, g, r, f in zip(batches, run["step"], run["d_loss"], run["g_loss"], run["d_loss_real"],
                                         run["d_loss_fake"])]
    p = tmp_path / "wgan.log"
    p.write_text("\n".join(lines) + "\n")
    df = read_run(p)
    assert df["step"].tolist() == list(range(5000)) and np.allclose(df["d_loss_fake"], run["d_loss_fake"], atol=1e-6)
    d = diagnose(df)
    assert d.assumptions["loss"] == "wgan-gp" and d.assumptions["log_every"] == 1
    assert not {"divergence", "oscillation"} & {s.label for s in d.segments}, d.text()
    assert "mode_collapse" in {x.label for x in d.not_checkable}


def test_wgan_gp_tflib_prints_of_a_healthy_critic_run_are_not_called_d_dominant(tmp_path):
    """A WGAN-GP corpus run (digits8, 4,268 steps, healthy for 86 % of its steps by its truth, the
    rest d_dominant from a planted freeze) printed as the WGAN-GP authors' tflib code prints it: the
    mean since the previous print, at iterations 0-4 and then every 100th. A negative critic loss,
    no D outputs, one averaged row per 100 steps: read as a critic loss, healthy, with d_dominant
    named as what the log cannot settle (it needs per-sample critic scores)."""
    from pathlib import Path

    part = Path(__file__).resolve().parents[2] / "data" / "corpus" / "steps" / "loop=critic" / "part-0.parquet"
    run = pd.read_parquet(part, columns=["run_id", "step", "d_loss", "g_loss", "gt_label"],
                          filters=[("run_id", "==", "r3069_critic_digits8_wgan-gp")])
    assert len(run) == 4268 and (run["gt_label"].astype(str) == "healthy").mean() > 0.85
    printed = [s for s in run["step"] if s < 5 or s % 100 == 99]
    since = np.searchsorted(printed, run["step"].to_numpy())          # rows averaged into each print
    means = run.groupby(since)[["d_loss", "g_loss"]].mean().iloc[:len(printed)]      # the unprinted tail dropped
    lines = [f"iter {s}\ttrain disc cost\t{d}\ttime\t0.08\ttrain gen cost\t{g}"
             for s, d, g in zip(printed, means["d_loss"], means["g_loss"])]
    p = tmp_path / "wgan_gp.log"
    p.write_text("\n".join(lines) + "\n")
    df = read_run(p)
    assert df["step"].tolist() == printed and np.allclose(df["d_loss"], means["d_loss"])
    d = diagnose(df)
    assert d.assumptions["loss"] == "wgan-gp" and d.assumptions["averaged"] is True
    assert "d_dominant" not in {s.label for s in d.segments} and d.summary["main_finding"].startswith("healthy"), d.text()
    assert {"d_dominant", "g_dominant"} <= {x.label for x in d.not_checkable}


def _comparisons_hold(text: str) -> list[str]:
    """Every "X (< Y)" / "X (> Y)" the text prints, where it does not hold."""
    import re

    num = r"(-?\d[\d.]*(?:e[-+]?\d+)?)"
    return [m.group(0) for m in re.finditer(num + r"\)? \(([<>]) " + num + r"\)", text)
            if not (float(m.group(1)) < float(m.group(3)) if m.group(2) == "<" else float(m.group(1)) > float(m.group(3)))]


def test_biggan_pytorch_logs_of_a_hinge_run_read_as_a_summed_hinge_loss_and_advice_holds_its_numbers(tmp_path):
    """A hinge-loss corpus run (grid25, 3,678 steps, healthy for 84 % of its steps by its truth)
    written as BigGAN-PyTorch's MyLogger writes it: G_loss.log, D_loss_real.log, D_loss_fake.log,
    'itr: %3.3f' from itr 1. d_loss is their sum (hinge's level 2 at D = 0), the run reads healthy,
    and no advice line prints a comparison its own numbers contradict (a hinge D loss of 0.44 was
    once printed as "0.444 (< 0.3)")."""
    from pathlib import Path

    part = Path(__file__).resolve().parents[2] / "data" / "corpus" / "steps" / "loop=critic" / "part-0.parquet"
    run = pd.read_parquet(part, columns=["run_id", "step", "d_loss", "d_loss_real", "d_loss_fake", "g_loss", "gt_label"],
                          filters=[("run_id", "==", "r3036_critic_grid25_hinge")])
    assert len(run) == 3678 and (run["gt_label"].astype(str) == "healthy").mean() > 0.8
    for name, col in (("G_loss", "g_loss"), ("D_loss_real", "d_loss_real"), ("D_loss_fake", "d_loss_fake")):
        (tmp_path / f"{name}.log").write_text("".join("%d: %3.3f\n" % (s + 1, v) for s, v in zip(run["step"], run[col])))
    df = read_run(tmp_path)
    assert df["step"].tolist() == (run["step"] + 1).tolist() and np.allclose(df["d_loss"], run["d_loss"], atol=1.5e-3)
    d = diagnose(df)
    assert (d.assumptions["loss"], d.assumptions["d_loss_reduction"]) == ("hinge", "sum")
    assert d.summary["main_finding"].startswith("healthy"), d.text()
    advice = [a for s in d.segments for a in s.advice] + list(d.summary.get("advice") or [])
    assert not _comparisons_hold(d.text() + "\n".join(advice)), _comparisons_hold(d.text())
    assert _comparisons_hold("D loss averages 0.444 (< 0.3) over steps 39-363") == ["0.444 (< 0.3)"]


def _console(tmp_path, rows):
    lines = [f"[{e}/5][{i}/1583]\tLoss_D: {dl:.4f}\tLoss_G: {gl:.4f}\tD(x): {dx:.4f}\tD(G(z)): {a:.4f} / {b:.4f}"
             for e, i, dl, gl, dx, a, b in rows]
    p = tmp_path / "train.log"
    p.write_text("Starting Training Loop...\n" + "\n".join(lines) + "\n")
    return p


def test_failed_dcgan_tutorial_run_is_not_healthy_in_its_second_half(tmp_path):
    real = read_run(__import__("pathlib").Path(__file__).resolve().parents[2] / "sample_runs" /
                    "dcgan_tutorial_console.log")
    rng = np.random.default_rng(0)
    rows = []
    for j, r in enumerate(real.itertuples()):
        e, i = divmod(int(r.step), 1583)
        if j < len(real) // 2:
            rows.append((e, i, r.d_loss, r.g_loss, r.d_x, r.d_g_z1, r.d_g_z2))
        else:   # D has won: D loss ~0.01, D(x) ~1, D(G(z)) ~0 (some batches up to 0.15)
            a = 0.002 if rng.random() > 0.15 else 0.15
            rows.append((e, i, 0.01 + 0.005 * rng.random(), 7 + rng.normal(), 0.995, a, a / 3))
    df = read_run(_console(tmp_path, rows))
    d = diagnose(df)
    half = int(df["step"].iloc[len(df) // 2])
    assert _share(d, df, "healthy", half + 300) == 0.0, d.text()   # half a window after the switch
    assert _share(d, df, "d_dominant", half + 600) > 0.9, d.text()
    assert d.summary["main_finding"].startswith("d_dominant"), d.summary["main_finding"]
    # the tutorial's G loss is the non-saturating one: it keeps its gradient (only minimax's fades)
    assert "non-saturating loss keeps a gradient" in d.summary["main_finding"]
    minimax = diagnose(df, loss="minimax").summary["main_finding"]
    assert "gradients vanish (the minimax G loss saturates)" in minimax and "keeps a gradient" not in minimax


def never_diverse_ring8(n=2000, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    w = rng.normal(size=n)
    div = np.where(t % 25 == 0, np.clip(0.15 + 0.06 * rng.normal(size=n), 0.02, None), np.nan)
    df = pd.DataFrame({"step": t, "d_loss": 1.25 + 0.12 * w, "g_loss": 0.95 - 0.15 * w,
                       "d_x": np.clip(0.72 + 0.05 * rng.normal(size=n), 0, 1), "d_g_z1": np.clip(0.3 + 0.05 * w, 0, 1),
                       "div_pdist_ratio": div})
    df.attrs = {"loss": "nsgan", "d_loss_reduction": "sum", "scores": "probability"}
    return df


def test_never_diverse_ring8_run_is_mode_collapse():
    df = never_diverse_ring8()
    d = diagnose(df)
    assert _share(d, df, "mode_collapse", 300) > 0.95, d.text()
    assert d.summary["main_finding"].startswith("mode_collapse")
    assert "cannot be checked" not in d.summary["main_finding"]          # the diversity column settles it
    blind = diagnose(df.drop(columns="div_pdist_ratio"))       # a main finding the log cannot settle says so
    unsettled = {x.label for x in blind.not_checkable}
    assert "mode_collapse" in unsettled
    for label in unsettled:
        if blind.summary["main_finding"].startswith(label):
            assert f"[{label} cannot be checked in this log" in blind.summary["main_finding"]
    # a generator that spreads by step ~450 (as the healthy MNIST run does) is not collapsed once it
    # spreads; the rules read its narrow start as still learning, the default (auto) as a collapse
    # that ended, which LABELS.md allows (a diversity ratio <= 0.3 is a collapse predicate)
    late = df.copy()
    late.loc[late.step >= 450, "div_pdist_ratio"] = np.where(late.step[late.step >= 450] % 25 == 0, 0.9, np.nan)
    assert _share(diagnose(late), late, "mode_collapse", 450) == 0.0
    assert _share(diagnose(late, method="rules"), late, "mode_collapse") == 0.0


def began_log(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    m = 0.08 + 0.25 * np.exp(-t / 800) + 0.01 * rng.normal(size=n)
    k = np.clip(np.cumsum(0.001 * rng.normal(size=n)) + 0.02, 0, 1)
    lf = 0.1 + 0.02 * rng.normal(size=n)
    return pd.DataFrame({"step": t, "d_loss": m + 0.05 - k * lf, "g_loss": lf, "k_t": k, "M_global": m})


def test_began_log_is_reported_as_unsupported(tmp_path):
    df = began_log()
    d = diagnose(df)
    assert d.assumptions["loss"] == "began" and d.assumptions["supported"] is False
    assert d.summary["main_finding"].startswith("unsupported loss type 'began'")
    assert "--loss" in d.summary["main_finding"] and "k_t" in d.summary["main_finding"]
    nc = {x["label"] for x in d.to_dict()["not_checkable"]}
    assert {"d_dominant", "g_dominant", "stagnation", "mode_collapse"} <= nc
    assert all(s.label in ("warmup", "healthy") and (s.label != "healthy" or s.confidence <= 0.4) for s in d.segments)
    csv = tmp_path / "began.csv"
    df.to_csv(csv, index=False)
    res = CliRunner().invoke(main, ["diagnose", str(csv)])
    assert res.exit_code == 0 and "unsupported loss 'began'" in res.stdout and "not checkable" in res.stdout
    # a relativistic run cannot be told from nsgan by its numbers: declaring it makes it unsupported
    res = CliRunner().invoke(main, ["diagnose", str(csv), "--loss", "relativistic", "--json"])
    assert res.exit_code == 0, res.output
    assert "unsupported loss type 'relativistic'" in __import__("json").loads(res.stdout)["summary"]["main_finding"]
    # a TF1 BEGAN notebook prints 'convergence_measure: .. loss_D: .. loss_G: .. k_factor: ..': it was
    # guessed least squares by its levels and read as stagnation while M_global fell 40 %
    log = tmp_path / "began.txt"
    log.write_text("".join(f"Epochs: {s / 860:.3f} global step: {s}  convergence_measure: {0.026 * 0.95 ** k:.6g}  "
                           f"loss_D: {0.022 * 0.95 ** k:.6g}  loss_G: {0.019 * 0.95 ** k:.6g}  k_factor: "
                           f"{0.48 + 0.005 * (-1) ** k:.6g} (3100.0 examples/sec; 0.020 sec/batch)\n"
                           for k, s in enumerate(range(1000, 43000, 1000))))
    printed = diagnose(read_run(log))
    assert printed.assumptions["loss"] == "began" and "k_factor" in printed.summary["main_finding"]


def test_healthy_headline_is_written_from_the_measured_crossing_rate():
    rng = np.random.default_rng(3)
    n = 3000
    w = rng.normal(size=n)
    # G above its equilibrium level and D below its own: the normalised strands rarely cross
    df = pd.DataFrame({"step": np.arange(n), "d_loss": 1.2 + 0.05 * w, "g_loss": 0.9 - 0.06 * w,
                       "d_x": 0.75 + 0.02 * rng.normal(size=n), "d_g_z1": 0.25 + 0.02 * w,
                       "div_pdist_ratio": np.where(np.arange(n) % 25 == 0, 0.95, np.nan),
                       "lr_g": 2e-4, "lr_d": 2e-4})
    df.attrs = {"loss": "nsgan", "d_loss_reduction": "sum", "scores": "probability"}
    d = diagnose(df)
    main_finding = d.summary["main_finding"]
    assert main_finding.startswith("healthy") and "often" not in main_finding, main_finding
    cr = float(np.nanmean(d.helix_stats(df)["crossing_rate"].iloc[300:]))
    assert cr < 0.05 and "rarely" in main_finding, (cr, main_finding)
    assert "D loss 1.2" in main_finding and "D(x) 0.75" in main_finding
    # nothing capped; the confidence is the model's own calibrated probability (~0.57 here)
    assert not d.not_checkable and max(s.confidence for s in d.segments if s.label == "healthy") > 0.5


def test_minimax_run_with_lr_ratio_40_gets_config_advice_with_sources_once():
    rng = np.random.default_rng(4)
    n = 2400
    t = np.arange(n)
    d = np.where(t < 100, 1.3, 0.01 + 0.003 * rng.random(n))
    g = np.where(t < 100, -0.7, -0.002 - 0.001 * rng.random(n))
    # D wins twice, with a short recovery in between: two d_dominant segments
    d[1200:1500], g[1200:1500] = 1.2 + 0.1 * rng.normal(size=300), -0.7 + 0.05 * rng.normal(size=300)
    dgz = np.where(d < 0.1, 0.001, 0.3)
    df = pd.DataFrame({"step": t, "d_loss": d, "g_loss": g, "d_x": np.where(d < 0.1, 0.999, 0.7), "d_g_z1": dgz,
                       "lr_d": 2e-3, "lr_g": 5e-5})
    df.attrs = {"loss": "minimax", "d_loss_reduction": "sum", "scores": "probability",
                "hparams": {"lr_d": 2e-3, "lr_g": 5e-5, "d_steps": 3, "g_steps": 1, "label_smoothing": 0.0}}
    for method in ("auto", "rules"):
        dg = diagnose(df, method=method)
        assert sum(s.label == "d_dominant" for s in dg.segments) >= 2, dg.text()
        adv = dg.summary["advice"]
        text = "\n".join(adv)
        assert "non-saturating" in adv[0] and "Goodfellow" in adv[0]
        assert "lr_D = 40 x lr_G" in text and "TTUR" in text
        assert "one D step per G step" in text and "DCGAN paper" in text
        assert "label smoothing" in text and "Salimans" in text
        assert "multiply D's learning rate by 0.8" not in text      # the practitioner's tweak is not the fix here
        assert all(a.endswith("]") for a in adv)                     # every item cites its source
        assert len(adv) == len(set(adv))
    # not repeated per segment (the rules' segments end where the losses recover, so both have D loss ~0.01)
    assert sum("D loss is at 0" in a for a in adv) == 1
    # the same run with smoothing already on is not told to add it
    df.attrs["hparams"]["label_smoothing"] = 0.1
    assert "label smoothing" not in "\n".join(diagnose(df).summary["advice"])


def test_a_g_loss_with_an_l1_term_is_not_judged_by_its_level():
    """pix2pix-style scripts log G = G_GAN + 100 x L1 (38 at step 0, where an untrained D makes the
    adversarial term ln 2): G's level is flagged as composite, the rules judge D's level alone,
    and no advice or headline quotes G's level against the BCE levels."""
    rng = np.random.default_rng(4)
    n = 3000
    t = np.arange(n)
    d = np.where(t == 0, 0.716, 0.08 + 0.04 * rng.random(n))            # a mean BCE D loss: D wins
    g = 0.7 + 100 * (0.38 * np.exp(-t / 800) + 0.08) + rng.normal(0, 0.5, n)
    g[0] = 38.4
    df = pd.DataFrame({"step": t, "d_loss": d, "g_loss": g})
    diag = diagnose(df)
    assert diag.metadata.g_loss_terms == "composite"
    assert diag.assumptions["g_loss_terms"] == "composite" and "100 x L1" in diag.assumptions["note"]
    text = diag.text()
    assert "G's loss holds other terms" in text and "G-D loss gap" not in text and "G loss averages" not in text
    assert _share(diag, df, "d_dominant", 500) > 0.8, text
    # a composite G guessed from its levels alone is no content-led G (held-out batch 593/03: a plain BCE G at 11 beside
    # a winning D read so): D's win leads
    assert diag.summary["main_finding"].startswith("d_dominant"), diag.summary["main_finding"]
    plain = df.assign(g_loss=np.where(t == 0, 0.69, g / 10))                # adversarial from step 0
    assert diagnose(plain).metadata.g_loss_terms == "adversarial"


def test_a_log_of_one_row_per_epoch_says_how_to_give_its_iterations(tmp_path):
    p = tmp_path / "loss_log.csv"
    rng = np.random.default_rng(5)
    p.write_text("epoch,critic_loss,gen_loss\n" + "".join(f"{e},{-400 + e + rng.normal():.3f},{-50 + rng.normal():.3f}\n"
                                                           for e in range(1, 201)))
    df = read_run(p)
    assert df.attrs["step_from"] == "epoch"
    main = diagnose(df).summary["main_finding"]
    assert "its steps are epochs" in main and "--step-from row*N" in main and "200 in all" in main
    longer = diagnose(read_run(p, step_from="row*469")).summary["main_finding"]
    assert "--step-from" not in longer


def test_a_log_whose_rows_carry_no_step_says_how_it_was_stepped(tmp_path):
    """A public SRGAN history.csv (100 epoch means under pandas' index) read "too short to judge
    beyond warm-up" with nothing to say why: its rows carry no step, so each was read as one
    iteration. The headline says so, and how to give the iterations."""
    rng = np.random.default_rng(4)
    p = tmp_path / "history.csv"
    pd.DataFrame({"netD": 0.3 + 0.02 * rng.standard_normal(100),
                  "netG": 0.9 + 0.05 * rng.standard_normal(100)}).to_csv(p)
    run = read_run(p)
    assert run.attrs["step_from"] in ("pandas index column", "row number")
    d = diagnose(run)
    main = d.summary["main_finding"]
    assert "its rows carry no step: read as 10 training iterations each, 100 in all" in main
    assert "--step-from row*N" in main
    assert "carry no step" not in diagnose(read_run(p, step_from="row*500")).summary["main_finding"]
    # read as ROW_STEPS iterations a row (prints every 10 batches), warm-up ends within the log and
    # every step reported is the row's own
    assert not main.startswith("too short") and d.assumptions["iterations_per_step"] == 10
    assert d.segments[-1].end_step == 99 and d.phases(run).astype(str).iloc[-1] != "warmup"
    # a longer list of losses is more often every iteration's: one iteration a row, as before
    q = tmp_path / "losses.csv"
    pd.DataFrame({"netD": 0.3 + 0.02 * rng.standard_normal(1500),
                  "netG": 0.9 + 0.05 * rng.standard_normal(1500)}).to_csv(q)
    assert "iterations_per_step" not in diagnose(read_run(q)).assumptions


def test_a_log_of_one_row_per_epoch_is_read_in_iterations_and_reported_in_epochs(tmp_path):
    """A notebook's 47 epoch means of a balanced BCE run (the author's samples were good) read
    "too short to judge beyond warm-up": stepped by the epoch, the first 200 "steps" of warm-up
    were 200 epochs. Read as core.EPOCH_STEPS iterations per epoch, warm-up is over within two
    epochs; every step reported is still the epoch, and a NaN epoch is named as that epoch."""
    from ganalyze.diagnose.core import EPOCH_STEPS

    rng = np.random.default_rng(11)
    e = np.arange(1, 48)
    df = pd.DataFrame({"epoch": e, "d_loss": 1.25 + 0.05 * rng.standard_normal(47) - 0.3 * np.exp(-e / 3),
                       "g_loss": 0.85 + 0.05 * rng.standard_normal(47) + 0.5 * np.exp(-e / 3)})
    p = tmp_path / "history.csv"
    df.to_csv(p, index=False)
    run = read_run(p)
    assert run.attrs["step_from"] == "epoch" and run.step.tolist() == e.tolist()
    d = diagnose(run)
    assert not d.summary["main_finding"].startswith("too short"), d.summary["main_finding"]
    assert f"read as {EPOCH_STEPS} training iterations each" in d.summary["main_finding"]
    assert d.assumptions["iterations_per_step"] == EPOCH_STEPS and f"iterations_per_step={EPOCH_STEPS}" in d.text()
    assert d.segments[0].start_step == 1 and d.segments[-1].end_step == 47
    assert list(d.row_steps) == e.tolist()
    warm = [s for s in d.segments if s.label == "warmup"]
    assert not warm or warm[-1].end_step <= 3
    broken = run.assign(d_loss=np.where(run.step >= 30, np.nan, run.d_loss),
                        g_loss=np.where(run.step >= 30, np.nan, run.g_loss))
    out = diagnose(broken)
    assert out.summary["main_finding"].startswith("divergence from step 30")
    assert out.summary["first_nonfinite_step"] == 30
    # an iteration counter is no epoch: stepped by it, the same rows are read as logged
    declared = diagnose(read_run(p, step_from="epoch"))        # --step-from epoch: the same epochs
    assert declared.assumptions["iterations_per_step"] == EPOCH_STEPS and declared.segments[-1].end_step == 47
    # an 'epoch' counter printed every 20 (Keras-style scripts call each iteration an epoch) is no
    # one-row-per-epoch log: read as iterations, and said so
    every20 = tmp_path / "every20.txt"
    every20.write_text("".join(f"epoch {k}  g_loss: {g:.4f}, d_loss: {dl:.4f}\n"
                               for k, g, dl in zip(range(0, 2000, 20), np.tile(df.g_loss, 3), np.tile(df.d_loss, 3))))
    sparse = diagnose(read_run(every20))
    assert "iterations_per_step" not in sparse.assumptions and "an 'epoch' counter printed every 20" in \
        sparse.summary["main_finding"]
    # ... nor is an 'epochs' column that counts 10,000 single iterations
    long = tmp_path / "long.csv"
    pd.DataFrame({"epochs": np.arange(10000), "d_loss": np.resize(df.d_loss.to_numpy(), 10000),
                  "g_loss": np.resize(df.g_loss.to_numpy(), 10000)}).to_csv(long, index=False)
    counted = diagnose(read_run(long))
    assert "iterations_per_step" not in counted.assumptions and "an 'epoch' counter on 10000 rows" in \
        counted.summary["main_finding"]
    given = diagnose(read_run(p, step_from="row*469"))
    assert "iterations_per_step" not in given.assumptions and given.segments[-1].end_step == 46 * 469


def test_a_brief_divergence_only_the_model_reads_is_not_the_headline():
    """Divergence the log shows (a non-finite or exploded value, named by a rule) is always the main
    finding; a brief one only the model reads into finite, moderate losses competes like any
    other pathology (a public SRGAN log got 'divergence ... turned non-finite or exploded' from a
    1 % segment at confidence 0.19 with every loss finite and near its equilibrium)."""
    from ganalyze.diagnose.core import _summary
    from ganalyze.diagnose.metadata import infer_metadata
    from ganalyze.diagnose.model import LABELS, Segment
    from ganalyze.diagnose.thresholds import profile_for

    steps = np.arange(5000)
    # (losses that move a little from row to row: a log whose every row repeats one pair is "nothing logged changes")
    df = pd.DataFrame({"step": steps, "d_loss": 1.3 + 0.01 * np.sin(steps), "g_loss": 0.8 + 0.01 * np.cos(steps)})
    meta = infer_metadata(df)
    spans = [(0, 199, "warmup"), (200, 2999, "healthy"), (3000, 3049, "divergence"), (3050, 4999, "healthy")]

    def main_finding(rule, first_bad):
        # read at 0.5: a firm reading (core.UNSHOWN_DIVERGENCE_MIN_CONFIDENCE)
        segs = [Segment(a, b, lab, 0.5, rule=rule if lab == "divergence" else None) for a, b, lab in spans]
        rows = np.array([sum(b - a + 1 for a, b, lab in spans if lab == x) for x in LABELS])
        return _summary(segs, [[] for _ in segs], rows, steps, meta, [], {"first_bad_step": first_bad},
                        profile_for("nsgan", "sum"), [], 1.0)["main_finding"]

    assert main_finding(None, None).startswith("healthy") and "also: divergence 3000-3049" in main_finding(None, None)
    # a main finding the log cannot settle (mode collapse without a diversity column) says so
    from ganalyze.diagnose.explain import not_checkable

    unchecked = not_checkable(meta, set())
    spans_mc = [(0, 199, "warmup"), (200, 4999, "mode_collapse")]
    segs = [Segment(a, b, lab, 0.3) for a, b, lab in spans_mc]
    rows = np.array([sum(b - a + 1 for a, b, lab in spans_mc if lab == x) for x in LABELS])
    main = _summary(segs, [[] for _ in segs], rows, steps, meta, [], {"first_bad_step": None},
                    profile_for("nsgan", "sum"), unchecked, 0.4)["main_finding"]
    assert main.startswith("possible mode_collapse from step 200") and "[mode_collapse cannot be checked in this log" in main
    # ... and a pathology it can check leads over it (d_dominant: D loss levels), the other one "unconfirmed";
    # the unchecked label's advice holds only if the samples confirm it
    from ganalyze.diagnose.advice import Advice

    spans_dd = [(0, 199, "warmup"), (200, 2999, "mode_collapse"), (3000, 4999, "d_dominant")]
    segs = [Segment(a, b, lab, 0.3) for a, b, lab in spans_dd]
    rows = np.array([sum(b - a + 1 for a, b, lab in spans_dd if lab == x) for x in LABELS])
    tips = [[], [Advice("collapse", "add minibatch discrimination.", "salimans")], []]
    out = _summary(segs, tips, rows, steps, meta, [], {"first_bad_step": None}, profile_for("nsgan", "sum"),
                   unchecked, 0.4)
    assert out["main_finding"].startswith("d_dominant from step 3000") and out["main_finding_checkable"]
    assert "also: mode_collapse 200-2999 (unconfirmed)" in out["main_finding"]
    assert out["advice"] == ["(steps 200-2999, brief) (if the samples confirm mode_collapse) add minibatch "
                             "discrimination. [Salimans et al. 2016]"]
    rows2 = np.array([sum(b - a + 1 for a, b, lab in spans_dd[:2] if lab == x) for x in LABELS])
    assert not _summary(segs[:2], tips[:2], rows2, steps[:3000], meta, [], {"first_bad_step": None},
                        profile_for("nsgan", "sum"), unchecked, 0.4)["main_finding_checkable"]
    assert main_finding("a non-finite loss", None).startswith("divergence")
    assert main_finding(None, 3000).startswith("divergence")


def test_divergence_read_into_finite_losses_is_possible_and_its_advice_says_so():
    """A divergence only the model reads, in a log whose losses are all finite and moderate and
    which holds no diversity column or samples, is a reading of the loss patterns: 'possible
    divergence', '(unconfirmed)' when listed, and advice that says no loss exploded (a public
    SRGAN-style log was told 'the samples or D's outputs turned non-finite or exploded' and
    'losses are non-finite or exploded: restart from the last finite checkpoint', every value
    finite)."""
    from ganalyze.diagnose.advice import segment_advice
    from ganalyze.diagnose.core import _summary
    from ganalyze.diagnose.metadata import infer_metadata
    from ganalyze.diagnose.model import LABELS, Segment
    from ganalyze.diagnose.thresholds import profile_for

    steps = np.arange(5000)
    df = pd.DataFrame({"step": steps, "d_loss": 1.3 + 0.01 * np.sin(steps), "g_loss": 0.8 + 0.01 * np.cos(steps)})
    meta, profile = infer_metadata(df), profile_for("nsgan", "sum")

    def summary(spans, rule=None, present=()):
        # read at 0.5: a firm reading (core.UNSHOWN_DIVERGENCE_MIN_CONFIDENCE)
        segs = [Segment(a, b, lab, 0.5, rule=rule if lab == "divergence" else None) for a, b, lab in spans]
        rows = np.array([sum(b - a + 1 for a, b, lab in spans if lab == x) for x in LABELS])
        tips = [segment_advice(lab, {}, profile, meta, {}, a, b, shown=rule is not None) for a, b, lab in spans]
        return _summary(segs, tips, rows, steps, meta, list(present), {"first_bad_step": None}, profile, [], 1.0)

    ends = [(0, 199, "warmup"), (200, 2999, "healthy"), (3000, 4999, "divergence")]
    out = summary(ends)
    assert out["main_finding"].startswith("possible divergence from step 3000")
    assert "[no logged loss is non-finite or exploded" in out["main_finding"] and not out["main_finding_checkable"]
    assert out["advice"][0].startswith("(if the samples confirm divergence) no logged loss is non-finite or exploded "
                                       "from step 3000 on, so look at the samples there")
    assert "also: divergence 3000-3049 (unconfirmed)" in summary(
        [(0, 199, "warmup"), (200, 2999, "healthy"), (3000, 3049, "divergence"), (3050, 4999, "healthy")])["main_finding"]
    # shown by a rule (an exploded loss), or with a diversity column that would show exploding samples: a finding
    ruled = summary(ends, rule="a window-mean loss beyond 1e4")
    assert ruled["main_finding"].startswith("divergence from step 3000") and ruled["main_finding_checkable"]
    assert ruled["advice"][0].startswith("losses are non-finite or exploded from about step 3000: restart")
    assert summary(ends, present=["div_pdist_ratio"])["main_finding"].startswith("divergence from step 3000")


def test_a_log_of_a_few_rows_is_read_but_draws_no_finding():
    """A log of fewer rows than the sparsest log the diagnosis is validated on (10) gets its
    readings listed, not a main finding (a public notebook's single printed line at step 11,012
    was 'possible divergence ... 100 % of logged steps'); a non-finite loss is still shown."""
    few = pd.DataFrame({"step": [11012, 11512, 12012], "d_loss": [-9.9, -8.1, -9.0], "g_loss": [-24.2, -20.0, -22.5]})
    d = diagnose(few)
    assert d.summary["main_finding"].startswith("too few rows to judge: 3 logged row(s)")
    assert not d.summary["main_finding_checkable"]
    broken = few.assign(d_loss=[1.2, np.nan, np.nan], g_loss=[0.8, np.nan, np.nan])
    assert diagnose(broken).summary["main_finding"].startswith("divergence from step 11512")


def test_a_single_row_is_read_as_nothing():
    """Held-out batch 405: a Keras DCGAN trained for one epoch prints one bar ('6332/6332 .. d_loss: 0.6308 -
    g_loss: 1.0013'); its finding said '(read from them: divergence 6331-6331)', the model's prior at that step, and
    advised what to do 'if the samples confirm divergence'. One row shows no change: no reading, no segment advice."""
    one = pd.DataFrame({"step": [6331], "d_loss": [0.6308], "g_loss": [1.0013]})
    s = diagnose(one).summary
    assert s["main_finding"] == ("too few rows to judge: 1 logged row(s), where the diagnosis is validated on logs "
                                 "of 10 rows or more")
    assert not any("confirm" in a for a in s["advice"])


def test_a_few_rows_weak_reading_says_it_is_weak():
    """Held-out batch 416: a Coursera pix2pix notebook stopped after two displays (D 0.62 -> 0.58, G 0.90 ->
    0.95, no value non-finite) listed '(read from them: divergence 200-400)' as if two calm rows showed it. A
    reading under the main finding's confidence floors is tagged there as it is in the 'also:' list."""
    two = pd.DataFrame({"step": [200, 400], "d_loss": [0.62, 0.58], "g_loss": [0.90, 0.95]})
    main = diagnose(two).summary["main_finding"]
    assert main.startswith("too few rows to judge: 2 logged row(s)")
    assert "divergence 200-400 (weak reading, mean confidence 0." in main


def test_a_log_spanning_fewer_steps_than_a_window_draws_no_finding():
    """13 consecutive batches of one epoch pasted into an issue (balanced BCE losses, steps 520-532)
    were 'possible mode_collapse (100 % of logged steps)': a log spanning fewer training steps than
    the model's shortest window (100) gets its readings listed, not a main finding. Where the steps
    are epochs or row numbers the unit is unknown and the span is no reason to refuse."""
    rng = np.random.default_rng(0)
    brief = pd.DataFrame({"step": np.arange(520, 533), "d_loss": 1.0 + 0.3 * rng.standard_normal(13),
                          "g_loss": 1.4 + 0.4 * rng.standard_normal(13)})
    d = diagnose(brief)
    assert d.summary["main_finding"].startswith("too short to judge: the log spans 13 training steps (13 rows)")
    assert "--step-from row*N" in d.summary["main_finding"] and not d.summary["main_finding_checkable"]
    epochs = brief.assign(step=np.arange(20, 33))
    epochs.attrs["step_from"] = "epoch"
    assert not diagnose(epochs).summary["main_finding"].startswith("too short to judge: the log spans")
    epochs.attrs["step_from"] = "pandas index column"      # an unnamed first column of 0, 1, 2, ...
    assert not diagnose(epochs).summary["main_finding"].startswith("too short to judge: the log spans")
    # held-out batch 243: 100 rows one step apart are 100 training steps (read as 99, too short)
    hundred = pd.DataFrame({"step": np.arange(100), "d_loss": 1.0 + 0.3 * rng.standard_normal(100),
                            "g_loss": 1.4 + 0.4 * rng.standard_normal(100)})
    assert not diagnose(hundred).summary["main_finding"].startswith("too short to judge: the log spans")
    longer = brief.assign(step=520 + np.arange(13) * 10)    # the same rows every 10 steps span 130
    assert not diagnose(longer).summary["main_finding"].startswith("too short to judge: the log spans")
    broken = brief.assign(d_loss=np.r_[brief.d_loss[:6], [np.nan] * 7], g_loss=np.r_[brief.g_loss[:6], [np.nan] * 7])
    assert diagnose(broken).summary["main_finding"].startswith("divergence from step 526")



def test_a_g_loss_that_totals_its_logged_terms_is_composite():
    """A log with G's L1 / VGG / FFT terms beside a G loss at least their sum (a public dehazing
    GAN's per-epoch CSV): G's loss is their total with the adversarial term, so its level is not
    judged; pix2pix's G_GAN, far below its G_L1, stays adversarial."""
    from ganalyze.diagnose.inputs import diagnose_columns
    from ganalyze.diagnose.metadata import infer_metadata

    rng = np.random.default_rng(3)
    n = 300
    l1, vgg = 1.4 - np.arange(n) / 400, 1.9 - np.arange(n) / 300
    total = pd.DataFrame({"step": np.arange(n), "d_loss": 0.4 + 0.05 * rng.random(n), "train_L1": l1,
                          "train_VGG": vgg, "g_loss": l1 + vgg + 1.2 + 0.1 * rng.random(n)})
    meta = infer_metadata(total)
    assert meta.g_loss_terms == "composite" and "train_L1, train_VGG" in meta.assumption("g_loss_terms").reason
    assert set(diagnose_columns(total.columns)) == set(total.columns)      # the CLI reads them too
    d = diagnose(total[diagnose_columns(total.columns)])
    assert d.assumptions["g_loss_terms"] == "composite" and "G's loss holds other terms" in d.summary["main_finding"]
    pix = total.rename(columns={"train_L1": "G_L1"}).assign(G_L1=100 * l1, g_loss=0.7 + 0.1 * rng.random(n))
    assert infer_metadata(pix.drop(columns="train_VGG")).g_loss_terms == "adversarial"
    # G's total logged beside its own adversarial term (SinGAN's G, G_adv, G_recon): composite when
    # the total is above the term, not when the other terms are a sliver of it
    adv = 0.7 + 0.1 * rng.random(n)
    singan = pd.DataFrame({"step": np.arange(n), "d_loss": -0.5 + 0.05 * rng.random(n), "G_adv": adv,
                           "G_recon": np.full(n, 0.05), "g_loss": adv + 10 * 0.05})
    meta = infer_metadata(singan)
    assert meta.g_loss_terms == "composite" and "--columns g_loss=G_adv" in meta.assumption("g_loss_terms").reason
    assert "G_adv" in diagnose_columns(singan.columns)
    assert infer_metadata(singan.assign(G_recon=0.0005, g_loss=adv + 0.005)).g_loss_terms == "adversarial"
    # G's total logged as well (a public colourisation script's g_loss, l1_loss, g_loss_total = their sum):
    # g_loss above its L1 term is the adversarial part, not a total
    parts = pd.DataFrame({"step": np.arange(n), "d_loss": 1.3 + 0.05 * rng.random(n), "g_loss": adv,
                          "l1_loss": 0.5 - np.arange(n) / 1000, "g_loss_total": adv + 0.5 - np.arange(n) / 1000})
    assert "g_loss_total" in diagnose_columns(parts.columns)
    assert infer_metadata(parts).g_loss_terms == "adversarial"
    assert infer_metadata(parts.drop(columns="g_loss_total")).g_loss_terms == "composite"
    # GauGAN's gen_loss: its hinge term plus the logged feature-matching, VGG and KL terms
    gau = pd.DataFrame({"step": np.arange(n), "d_loss": 1.05 + 0.01 * rng.random(n), "feat_loss": np.full(n, 10.8),
                        "vgg_loss": np.full(n, 16.9), "kl_loss": np.full(n, 89.1), "g_loss": 117.85 + 0.1 * rng.random(n)})
    assert infer_metadata(gau).g_loss_terms == "composite" and "kl_loss" in diagnose_columns(gau.columns)


def test_a_healthy_reading_with_d_pinned_at_its_untrained_level_says_what_else_reads_so():
    """D's loss at 2 ln 2 +- 0.001 for thousands of steps (a public diffusion-GAN log): a D whose
    outputs stay at 1/2, whether G matched the data or D learns nothing; a healthy headline says so.
    Ordinary healthy noise does not."""
    from ganalyze.diagnose.explain import headline, pinned_note
    from ganalyze.diagnose.model import Segment
    from ganalyze.diagnose.thresholds import profile_for

    prof = profile_for("nsgan", "sum")
    assert "a D that learns nothing" in pinned_note({"d_loss_mean": 1.386, "d_loss_std": 0.001}, prof)
    assert pinned_note({"d_loss_mean": 1.30, "d_loss_std": 0.08}, prof) == ""
    assert pinned_note({"d_loss_mean": 1.386, "d_loss_std": 0.05}, prof) == ""
    seg = Segment(200, 2999, "healthy", 0.4, {"d_loss_mean": 1.3862, "d_loss_std": 0.0008, "g_loss_mean": 0.72})
    assert "D's loss holds at its untrained level (1.386, std 0.0008" in headline(None, seg, 0.0, "", prof)


def test_a_few_last_rows_or_scattered_flickers_are_not_the_main_finding():
    """A public ComboGAN log of 600 rows got 'possible stagnation' as its main finding from its last
    4 rows, and a pix2pixHD log 'possible oscillation from step 100' from a dozen short segments at
    confidence 0.3. Held out on the corpus, pathologies read on under 10 % of a log's rows, and final
    segments under 5 % of them, were mostly not in the run's truth (core.MAIN_MIN_SHARE,
    FINAL_MIN_SHARE): they are listed under 'also', not made the headline."""
    from ganalyze.diagnose.core import main_candidates
    from ganalyze.diagnose.model import Segment

    steps = np.arange(0, 60000, 100)             # 600 rows
    end_blip = [Segment(0, 59599, "healthy", 0.4), Segment(59600, 59900, "stagnation", 0.3)]
    assert main_candidates(end_blip, steps, {"healthy": 0.99, "stagnation": 0.01}, shown=False) == []
    ends_in = [Segment(0, 53899, "healthy", 0.4), Segment(54000, 59900, "stagnation", 0.3)]   # 10 % of the rows
    assert main_candidates(ends_in, steps, {"healthy": 0.9, "stagnation": 0.1}, shown=False) == ["stagnation"]
    flicker = []
    for k in range(12):                          # 12 x 4 rows of oscillation between healthy stretches: 8 %
        a = 100 * (50 * k + 10)
        flicker += [Segment(flicker[-1].end_step + 100 if flicker else 0, a - 100, "healthy", 0.2),
                    Segment(a, a + 300, "oscillation", 0.3)]
    flicker.append(Segment(flicker[-1].end_step + 100, 59900, "healthy", 0.2))
    assert main_candidates(flicker, steps, {"healthy": 0.92, "oscillation": 0.08}, shown=False) == []
    assert main_candidates(flicker, steps, {"healthy": 0.88, "oscillation": 0.12}, shown=False) == ["oscillation"]
    # divergence the log shows stays the headline however short
    nan_end = [Segment(0, 59799, "healthy", 0.4), Segment(59800, 59900, "divergence", 1.0, rule="a non-finite loss")]
    assert main_candidates(nan_end, steps, {"healthy": 0.997, "divergence": 0.003}, shown=True) == ["divergence"]


def test_oscillation_from_the_first_logged_row_is_not_told_to_roll_back_before_it():
    """The pix2pixHD log's advice said 'the losses swing far more than earlier in the run (steps
    100-3700); stop or roll back to the checkpoint before step 100', step 100 being its first row."""
    from ganalyze.diagnose.advice import segment_advice
    from ganalyze.diagnose.metadata import infer_metadata
    from ganalyze.diagnose.thresholds import profile_for

    meta = infer_metadata(pd.DataFrame({"step": range(10), "d_loss": [1.4] * 10, "g_loss": [0.7] * 10}))
    profile = profile_for("nsgan", "sum")
    first = " ".join(a.text for a in segment_advice("oscillation", {}, profile, meta, {}, 100, 3700, at_log_start=True))
    assert "roll back" not in first and "earlier in the run" not in first
    assert "the losses swing from the start of the log (steps 100-3700); lower both learning rates" in first
    later = " ".join(a.text for a in segment_advice("oscillation", {}, profile, meta, {}, 9500, 11400))
    assert "stop or roll back to the checkpoint before step 9500" in later
    # a learned oscillation whose recent G-loss swings are no larger than the history's (a public
    # WGAN-GP log: 0.58x) was told 'the losses swing far more than earlier in the run' and to roll back
    calm = " ".join(a.text for a in segment_advice("oscillation", {"var_ratio": 0.58}, profile, meta, {}, 9500, 11400))
    assert "far more than earlier" not in calm and "roll back" not in calm and "0.58x the history's" in calm
    grown = " ".join(a.text for a in segment_advice("oscillation", {"var_ratio": 3.1}, profile, meta, {}, 9500, 11400))
    assert "early-stop rule fires" in grown and "roll back to the checkpoint before step 9500" in grown
    diverged = " ".join(a.text for a in segment_advice("divergence", {}, profile, meta, {}, 100, 900, shown=False,
                                                       at_log_start=True))
    assert "before step 100" not in diverged and "restart with lower learning rates" in diverged


def test_lsgan_printed_in_the_dcgan_tutorial_format_is_read_as_lsgan(tmp_path):
    """Two public LSGAN notebooks print the DCGAN tutorial's line, whose format implies its BCE loss:
    D 0.09 and G 0.31 beside D(x) 0.74 and D(G(z)) 0.26 were judged against BCE's 1.39 / 0.693. The
    D loss is far below the BCE bound -log D(x) - log(1 - D(G(z))) of the logged outputs, which the
    numbers show whatever the format implies; a BCE run printed the same way stays nsgan."""
    rng = np.random.default_rng(3)
    rows, bce = [], []
    for k in range(200):
        dx, dgz = 0.74 + 0.05 * rng.standard_normal(), 0.26 + 0.05 * rng.standard_normal()
        e, i = divmod(50 * (k + 1), 938)
        rows.append((e, i, 0.5 * ((dx - 1) ** 2 + dgz ** 2) * (1 + 0.2 * rng.standard_normal()),
                     0.5 * (dgz - 1) ** 2, dx, dgz, dgz * 0.9))
        bce.append((e, i, -np.log(dx) - np.log(1 - dgz), -np.log(dgz * 0.9), dx, dgz, dgz * 0.9))
    d = diagnose(read_run(_console(tmp_path, rows)))
    assert d.assumptions["loss"] == "lsgan", d.text()
    assert "log format implies nsgan; its numbers say otherwise" in d.text()
    assert diagnose(read_run(_console(tmp_path, bce))).assumptions["loss"] == "nsgan"


def test_g_dominant_whose_own_levels_say_d_is_not_fooled_is_possible_and_says_why():
    """A public BicycleGAN-code log led with 'g_dominant ...: G fools D: D scores most fakes as real
    (D loss 2.22, G loss 0.963 (equilibrium 1.39 / 0.693))', a label the model read from D-loss
    spikes while G's own loss, above its equilibrium, says D scores the fakes as fake."""
    from ganalyze.diagnose.core import _summary
    from ganalyze.diagnose.explain import levels_disagree
    from ganalyze.diagnose.metadata import infer_metadata
    from ganalyze.diagnose.model import LABELS, Segment
    from ganalyze.diagnose.thresholds import profile_for

    nsgan = profile_for("nsgan", "sum")
    assert levels_disagree("g_dominant", {"g_loss_mean": 0.963, "d_loss_mean": 2.2}, nsgan, probability=False) == \
        "G's loss 0.963 is above its equilibrium 0.693: D scores most fakes as fake"
    assert levels_disagree("g_dominant", {"g_loss_mean": 0.3, "d_loss_mean": 2.2}, nsgan, probability=False) == ""
    assert levels_disagree("g_dominant", {"g_loss_mean": 0.3, "d_g_z": 0.3}, nsgan) == \
        "D(G(z)) is 0.3 (< 0.5): D scores most fakes as fake"
    assert levels_disagree("d_dominant", {"d_loss_mean": 2.0, "g_loss_mean": 3.0}, nsgan, probability=False) == \
        "D's loss 2 is above its equilibrium 1.39: D does worse than guessing"
    assert levels_disagree("g_dominant", {"g_loss_mean": 9.0}, profile_for("wgan-gp", "sum"), probability=False) == ""

    steps = np.arange(1000)
    df = pd.DataFrame({"step": steps, "d_loss": 2.2 + 0.01 * np.sin(steps), "g_loss": 0.96 + 0.002 * np.cos(steps)})
    meta = infer_metadata(df, loss="nsgan", d_loss_reduction="sum")
    spans = [(0, 199, "warmup", {}), (200, 999, "g_dominant", {"d_loss_mean": 2.2, "g_loss_mean": 0.963})]
    segs = [Segment(a, b, lab, 0.4, evidence=ev) for a, b, lab, ev in spans]
    rows = np.array([sum(b - a + 1 for a, b, lab, _ in spans if lab == x) for x in LABELS])
    from ganalyze.diagnose.advice import Advice

    tip = [Advice("d_lr_up", "D is too weak; raise D's learning rate x1.5.", "seed000")]
    out = _summary(segs, [[], tip], rows, steps, meta, [], {"first_bad_step": None}, nsgan, [], 1.0)
    assert out["main_finding"].startswith("possible g_dominant from step 200 (80% of logged steps): read from the "
                                          "loss patterns, but the logged levels disagree: G's loss 0.963 is above"), \
        out["main_finding"]
    assert "G fools D" not in out["main_finding"] and not out["main_finding_checkable"]
    # and its advice is conditional, as for a label the log cannot check (a CycleGAN history's
    # 'possible d_dominant' at a D loss above its equilibrium was told to lower D's learning rate)
    assert any(a.startswith("(if the samples confirm g_dominant) D is too weak") for a in out["advice"]), out["advice"]


def test_lsgan_terms_can_be_declared(tmp_path):
    """Least squares written as nn.MSELoss (plain terms, twice the paper's levels) had no flag: a
    public LSGAN epoch CSV was judged at half its levels whatever the user knew."""
    from click.testing import CliRunner

    from ganalyze.cli import main

    p = tmp_path / "losses.csv"
    p.write_text("step,d_loss,g_loss\n" + "".join(f"{s},{0.5 + 0.01 * (s % 3):.3f},{0.25 + 0.01 * (s % 2):.3f}\n"
                                                  for s in range(300)))
    plain = diagnose(read_run(p, loss="lsgan", lsgan_terms="plain"))
    assert plain.metadata.lsgan_terms == "plain" and plain.metadata.assumption("lsgan_terms").source == "declared"
    assert "(equilibrium 0.5 / 0.25)" in plain.text()
    half = diagnose(read_run(p, loss="lsgan"))
    assert half.metadata.lsgan_terms == "half" and "0.25 / 0.125" in half.text()
    out = CliRunner().invoke(main, ["diagnose", "--no-samples", "--loss", "lsgan", "--lsgan-terms", "plain", str(p)])
    assert out.exit_code == 0 and "lsgan_terms=plain" in out.output and "guessed lsgan_terms" not in out.output
    bad = CliRunner().invoke(main, ["diagnose", "--lsgan-terms", "double", str(p)])
    assert bad.exit_code == 2 and "'double' is not one of 'half', 'plain'" in bad.output


def test_divergence_read_weakly_off_finite_losses_is_not_the_main_finding():
    """keras-io's WGAN-GP example printed epoch means (critic loss rising steadily from -7.5 to -2.5,
    nothing non-finite) and led with 'possible divergence' at confidence 0.30. Held out on the
    corpus, divergence the log does not show, read at a mean confidence under 0.4, was in the run's
    truth for 18-37 % of the logs (core.UNSHOWN_DIVERGENCE_MIN_CONFIDENCE): it is listed as a weak
    reading, not made the headline; divergence the log shows leads at any confidence."""
    from ganalyze.diagnose.core import main_candidates
    from ganalyze.diagnose.model import Segment

    steps = np.arange(0, 2000, 100)
    weak = [Segment(0, 900, "divergence", 0.3), Segment(1000, 1900, "healthy", 0.2)]
    assert main_candidates(weak, steps, {"divergence": 0.5, "healthy": 0.5}, shown=False) == []
    firm = [Segment(0, 900, "divergence", 0.45), Segment(1000, 1900, "healthy", 0.2)]
    assert main_candidates(firm, steps, {"divergence": 0.5, "healthy": 0.5}, shown=False) == ["divergence"]
    assert main_candidates(weak, steps, {"divergence": 0.5, "healthy": 0.5}, shown=True) == ["divergence"]
    # confidence is weighted by the rows: a long weak stretch is not lifted by a one-row confident one
    mixed = [Segment(0, 800, "divergence", 0.3), Segment(900, 900, "divergence", 0.9), Segment(1000, 1900, "healthy", 0.2)]
    assert main_candidates(mixed, steps, {"divergence": 0.5, "healthy": 0.5}, shown=False) == []


def test_any_pathology_read_under_the_confidence_floor_is_not_the_main_finding():
    """Public DCGAN notebooks whose samples were fine (TensorFlow-Examples) and BMSG-GAN's
    relativistic hinge led with 'd_dominant' read at a confidence of 0.07-0.10. Held out on the
    corpus, headlines read under 0.15 (core.MAIN_MIN_CONFIDENCE) held their label in the run's truth
    for 4 of 15 logs: such a pathology is listed as a weak reading, not made the headline."""
    from ganalyze.diagnose.core import MAIN_MIN_CONFIDENCE, main_candidates

    steps = np.arange(0, 2000, 100)
    fr = {"d_dominant": 0.5, "healthy": 0.5}
    weak = [Segment(0, 900, "healthy", 0.2), Segment(1000, 1900, "d_dominant", MAIN_MIN_CONFIDENCE - 0.05)]
    assert main_candidates(weak, steps, fr, shown=False) == []
    firm = [Segment(0, 900, "healthy", 0.2), Segment(1000, 1900, "d_dominant", MAIN_MIN_CONFIDENCE + 0.05)]
    assert main_candidates(firm, steps, fr, shown=False) == ["d_dominant"]


def test_keras_wgan_gp_epoch_means_do_not_lead_with_divergence(tmp_path):
    """The same shape as keras-io's WGAN-GP print (one progress-bar line per epoch, the critic loss
    rising steadily towards 0, G's loss settling): every value finite and moderate, so divergence
    is at most a weak reading, listed after the headline."""
    d = np.linspace(-7.5, -2.5, 40)
    g = np.concatenate([np.linspace(-16, 6, 8), np.linspace(6, 10, 32)])
    lines = []
    for k, (a, b) in enumerate(zip(d, g)):
        lines += [f"Epoch {k + 1}/40", f"118/118 [==============================] - 30s 250ms/step - "
                                       f"d_loss: {a:.4f} - g_loss: {b:.4f}"]
    p = tmp_path / "wgan_gp_keras.txt"
    p.write_text("\n".join(lines) + "\n")
    d = diagnose(read_run(p))
    main_finding = d.summary["main_finding"]
    assert not main_finding.startswith(("divergence", "possible divergence")), main_finding
    assert "divergence" not in {s.label for s in d.segments} or "(weak reading, mean confidence 0.3" in main_finding


def test_a_dead_critic_is_named_whatever_the_loss_patterns_read():
    """A public StudioGAN WGAN log (weight clipping) printed critic losses of 1e-9 for 100k steps
    while its FID stayed at 310: the critic scored real and fake alike. Scaled by its own scale the
    noise read as 'possible oscillation'; the main finding now says the critic gives no signal."""
    rng = np.random.default_rng(11)
    n = 400
    steps = np.arange(100, 100 * (n + 1), 100)
    g = np.r_[np.full(50, 0.009), 0.15 + 0.03 * rng.standard_normal(n - 50)]
    dead = pd.DataFrame({"step": steps, "d_loss": 5e-9 * rng.standard_normal(n), "g_loss": g})
    d = diagnose(dead, loss="wgan-gp")
    # the fact leads: what the patterns read ("possible oscillation" here) is no checked finding
    assert d.summary["main_finding"].startswith("The critic's loss is about 0 throughout (median |d_loss| "), d.text()
    assert "; read from the loss patterns: " in d.summary["main_finding"] and d.summary["main_finding_checkable"]
    live = dead.assign(d_loss=-1.5 + 0.2 * rng.standard_normal(n))
    assert "about 0 throughout" not in diagnose(live, loss="wgan-gp").summary["main_finding"]


def test_a_bce_d_loss_held_far_above_its_levels_is_named():
    """A time-series GAN's D loss sat at 11.5 (its real term at the code's log floor) and a
    DCGAN-tensorflow issue's at 62-92 beside a G loss of exactly 0: D certain of a wrong answer on
    one side. The headline had called them 'possible divergence' from a weak reading, or nothing."""
    rng = np.random.default_rng(12)
    n = 300
    steps = np.arange(n) * 10
    broken = pd.DataFrame({"step": steps, "d_loss": 11.5 + 0.05 * rng.standard_normal(n), "g_loss": np.linspace(2, 9, n)})
    main_finding = diagnose(broken, loss="nsgan").summary["main_finding"]
    assert "D's loss holds 11.5 (median over the run), beyond any level an unsaturated D gives" in main_finding
    if not main_finding.startswith("D's loss holds"):       # after a finding the log can check
        assert not main_finding.startswith(("possible", "healthy")), main_finding
    # a DCGAN-tensorflow issue's 13 rows (D 62-92, G exactly 0): too short for the windows, not for a median
    short = pd.DataFrame({"step": np.arange(13), "d_loss": 62 + 30 * rng.random(13), "g_loss": np.zeros(13)})
    brief = diagnose(short, loss="nsgan").summary
    assert brief["main_finding"].startswith("D's loss holds") and "; beyond that, too short to judge" in brief["main_finding"]
    fine = broken.assign(d_loss=1.2 + 0.1 * rng.standard_normal(n), g_loss=0.9 + 0.1 * rng.standard_normal(n))
    assert "beyond any level" not in diagnose(fine, loss="nsgan").summary["main_finding"]
    assert "beyond any level" not in diagnose(broken, loss="wgan-gp").summary["main_finding"]


def test_a_bce_loss_at_torchs_clamp_is_named_and_gets_no_level_tuning():
    """A conditional GAN's BCELoss history: D's loss exactly 100.0 (its real term at BCELoss's log
    clamp of -100) on nearly every row, G's 0 then exactly 100. It read 'healthy: no pathology found'
    from a 75-row segment, and its advice tuned learning rates off a G loss of 85 ('x1.2')."""
    rng = np.random.default_rng(33)
    n = 4000
    d = np.r_[np.abs(0.03 * rng.standard_normal(200)), np.where(rng.random(300) < 0.7, 100.0, 40 * rng.random(300)),
              np.full(n - 500, 100.0)]
    g = np.r_[80 + 20 * rng.random(200), np.zeros(300), np.full(n - 500, 100.0)]
    clamped = pd.DataFrame({"step": np.arange(n), "d_loss": d, "g_loss": g})
    res = diagnose(clamped, loss="nsgan")
    main_finding, advice = res.summary["main_finding"], res.summary["advice"]
    assert "hold a loss of exactly 100 (or 50 / 200): torch's BCELoss clamps each log term at -100" in main_finding
    # healthy on a sliver of the run, the rest read weakly or briefly: no "no pathology found"
    assert "healthy: no pathology found" not in main_finding, main_finding
    assert "no pathology read firmly enough to be the main finding (healthy on " in main_finding, main_finding
    # (its last 3,500 rows repeat D 100 / G 100 exactly: the frozen end's checkpoint advice leads since stop 36)
    assert advice[0].startswith("keep a checkpoint from before step 500"), advice
    assert advice[1].startswith("9") and "nn.BCEWithLogitsLoss" in advice[1], advice
    assert not any("learning rate by 1.2" in a or "raise D's learning rate" in a for a in advice), advice
    # the same levels off the clamp (ordinary values) are no clamp
    off = clamped.assign(d_loss=np.where(d == 100.0, 99.7 + 0.2 * rng.random(n), d),
                         g_loss=np.where(g == 100.0, 99.7 + 0.2 * rng.random(n), g))
    assert "BCELoss clamps" not in diagnose(off, loss="nsgan").summary["main_finding"]


def test_a_loss_high_from_its_first_row_has_not_exploded():
    """A Keras SRGAN's G loss (MSE on 0-255 pixels plus the adversarial term) starts at 1.2e5 and
    falls to 3e4: the rules' 'window-mean loss beyond 1e4' made it 'divergence from step 0'. Such a G
    loss holds other terms (metadata: composite), and the rules judge no composite G's level."""
    rng = np.random.default_rng(22)
    n = 150
    steps = np.arange(n) * 20
    content = pd.DataFrame({"step": steps, "g_loss": 1.2e5 * np.exp(-steps / 2500) * (1 + 0.05 * rng.standard_normal(n)),
                            "d_loss": 1.2 + 0.1 * rng.standard_normal(n)})
    labels = {s.label for s in diagnose(content, method="rules").segments}
    assert "divergence" not in labels, labels
    # and a G loss that large at its first row and over the run holds other terms (no G-level advice)
    # whatever D's first loss (here D has won from the start, 1e-8: not an untrained D's)
    won = content.assign(d_loss=1e-8 * rng.random(n))
    assert diagnose(won).assumptions.get("g_loss_terms") == "composite"
    grown = content.assign(g_loss=np.where(steps < 1500, 1.0 + 0.1 * rng.random(n), 1e5 * (1 + rng.random(n))))
    assert diagnose(grown, method="rules").summary["main_finding"].startswith("divergence from step")


def test_a_log_that_starts_mid_run_has_no_warm_up():
    """A GitHub issue's log kept from step 37,350 on was labelled warm-up for its first rows (with
    --loss relativistic, read by the rules alone): a run's warm-up is its first hundreds of steps."""
    rng = np.random.default_rng(13)
    n = 200
    late = pd.DataFrame({"step": 37350 + 50 * np.arange(n), "d_loss": 1.2 + 0.1 * rng.standard_normal(n),
                         "g_loss": 0.9 + 0.1 * rng.standard_normal(n)})
    assert "warmup" not in {s.label for s in diagnose(late, method="rules").segments}
    early = late.assign(step=50 * np.arange(n))
    assert diagnose(early, method="rules").segments[0].label == "warmup"


def test_a_loss_with_no_finite_window_gives_no_numpy_warning():
    """An SRGAN statistics CSV whose D and G losses are never finite on the same row (an unmodelled
    loss, so the rules scale by the loss's own level) printed numpy's 'All-NaN slice encountered'."""
    import warnings

    df = pd.DataFrame({"step": [1, 2], "d_loss": [np.nan, 0.8], "g_loss": [0.1, np.nan]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        d = diagnose(df, loss="other")
    assert d.summary["main_finding"].startswith("too few rows to judge")


def test_a_main_finding_the_run_recovered_from_says_so_and_scopes_its_advice():
    """D led for the first fifth of a DCGAN-tutorial run (D(G(z)) about 0.01), then the run was
    healthy to its end: the headline read 'd_dominant from step 38' with unscoped advice to change
    both learning rates, as if D still won. The label stays the headline (it held); it says it ended,
    and its advice is scoped to its steps."""
    rng = np.random.default_rng(23)
    n, k = 3000, 600
    early = np.arange(n) < k
    d_x = np.where(early, 0.97, 0.75) + 0.03 * rng.standard_normal(n)
    d_g = np.where(early, 0.01, 0.3) + np.where(early, 0.003, 0.05) * rng.standard_normal(n)
    d_g = np.clip(d_g, 1e-4, 0.99)
    df = pd.DataFrame({"step": np.arange(n), "d_x": np.clip(d_x, 0.01, 0.999), "d_g_z1": d_g,
                       "d_loss": -np.log(np.clip(d_x, 0.01, 0.999)) - np.log(1 - d_g), "g_loss": -np.log(d_g)})
    res = diagnose(df, loss="nsgan", d_loss_reduction="sum")
    labels = [s.label for s in res.segments]
    assert labels[-1] == "healthy" and "d_dominant" in labels, labels
    main_finding = res.summary["main_finding"]
    # healthy on most of the log to its end: where the run is now leads (since stop 34), the label beside it
    assert main_finding.startswith("recovered: healthy from step ") and "; before that, d_dominant from step" \
        in main_finding and "; it ended at step " in main_finding, main_finding
    scoped = [a for a in res.summary["advice"] if "learning rate" in a and "G's" in a]
    assert scoped and all(", since recovered) " in a for a in scoped), res.summary["advice"]
    # a healthy end on a quarter to a half of the rows: the label leads and says it ended
    late = diagnose(pd.concat([df.iloc[:k], df.iloc[:k].assign(step=df.step[:k] + k), df.iloc[k:2 * k].assign(
        step=df.step[k:2 * k] + k)], ignore_index=True), loss="nsgan", d_loss_reduction="sum").summary["main_finding"]
    assert late.startswith("d_dominant from step") and "; it ended at step " in late, late
    assert "read as healthy from step" in late and "to the end of the log" in late
    # a run that stays D-dominant to its end has not recovered
    won = df.iloc[:k].copy()
    won = pd.concat([won, won.assign(step=won.step + k), won.assign(step=won.step + 2 * k)], ignore_index=True)
    stays = diagnose(won, loss="nsgan", d_loss_reduction="sum").summary["main_finding"]
    assert stays.startswith("d_dominant from step") and "it ended at step" not in stays, stays


def test_a_bce_d_loss_about_0_all_run_is_named_first():
    """A Keras conditional GAN run at 10x the usual learning rate printed D's losses as 0.000 on
    nearly every row (a few spikes) and G's in the hundreds: it read 'healthy'. A BCE D loss about 0
    all along is D certain on every row, whatever the patterns read; with noisy labels (a D loss that
    goes below 0) such a level means less, and nothing is said."""
    rng = np.random.default_rng(41)
    n = 1200
    d = np.where(rng.random(n) < 0.96, 0.0, 30 * rng.random(n))
    g = 1000 * np.exp(0.4 * rng.standard_normal(n))
    won = pd.DataFrame({"step": np.arange(15600, 15600 + n), "d_loss": d, "g_loss": g})
    main_finding = diagnose(won, loss="nsgan", d_loss_reduction="sum").summary["main_finding"]
    assert "D's loss is about 0 throughout (median 0)" in main_finding, main_finding
    # it leads a reading the log cannot check or a healthy one (here the model reads D winning anyway)
    assert main_finding.startswith(("D's loss is about 0", "d_dominant")), main_finding
    noisy = won.assign(d_loss=0.004 * rng.standard_normal(n), g_loss=5.6 + 0.5 * rng.standard_normal(n))
    assert "about 0 throughout" not in diagnose(noisy, loss="nsgan", d_loss_reduction="mean").summary["main_finding"]
    fine = won.assign(d_loss=1.2 + 0.1 * rng.standard_normal(n), g_loss=0.9 + 0.1 * rng.standard_normal(n))
    assert "about 0 throughout" not in diagnose(fine, loss="nsgan").summary["main_finding"]


def test_a_reading_the_log_cannot_check_is_not_said_to_have_ended():
    """A weight-clipped WGAN whose fixed-noise samples were one identical digit from epoch 5 to the
    end read 'possible mode_collapse ... it ended at step 3: healthy to the end': the end of a
    reading the log cannot check is as unchecked as the reading itself. A checkable one (D winning,
    read from D's outputs) is said to have ended."""
    from ganalyze.diagnose.core import _summary
    from ganalyze.diagnose.explain import not_checkable
    from ganalyze.diagnose.metadata import infer_metadata
    from ganalyze.diagnose.thresholds import profile_for
    from ganalyze.diagnose.truth import LABELS

    steps = np.arange(3000)
    frame = pd.DataFrame({"step": steps, "d_loss": 1.3 + 0.01 * np.sin(steps), "g_loss": 0.8 + 0.01 * np.cos(steps)})
    meta, present = infer_metadata(frame, loss="nsgan", d_loss_reduction="sum"), {"d_loss", "g_loss"}

    def main_finding(label):
        segs = [Segment(0, 199, "warmup", 0.6), Segment(200, 999, label, 0.6), Segment(1000, 2999, "healthy", 0.5)]
        rows = np.zeros(len(LABELS))
        for seg in segs:
            rows[LABELS.index(seg.label)] += seg.end_step - seg.start_step + 1
        return _summary(segs, [[], [], []], rows, steps, meta, present, {"first_bad_step": None},
                        profile_for("nsgan", "sum"), not_checkable(meta, present), 0.4)["main_finding"]

    unchecked = main_finding("mode_collapse")
    assert unchecked.startswith("possible mode_collapse") and "it ended at step" not in unchecked, unchecked
    checked = main_finding("d_dominant")
    assert checked.startswith("recovered: healthy from step 1000 to the end of the log") and "it ended at step 999" in checked


def test_who_wins_read_from_a_composite_g_loss_alone_is_only_possible():
    """A TF pix2pix notebook (G's total: adversarial BCE + 100 x L1 at 20-40, D's summed BCE 0.05-2, no
    D outputs) led with 'd_dominant' whose second reason was 'G loss / equilibrium 33.6': a level
    that holds other terms says nothing of D's verdict, and the rules, judging D's level alone,
    did not read it. Such a reading is 'possible', and says why."""
    rng = np.random.default_rng(53)
    e = np.arange(100)
    g = 21 + 15 * np.exp(-e / 25) + 3 * rng.standard_normal(100) + rng.uniform(0.8, 4.5, 100)     # 20-40
    d = np.r_[0.21, np.minimum(2.3, np.exp(np.log(0.33) + 0.8 * rng.standard_normal(99)))]
    res = diagnose(pd.DataFrame({"step": 10 * e, "d_loss": d, "g_loss": g}), loss="nsgan")
    assert res.assumptions["g_loss_terms"] == "composite"
    main_finding = res.summary["main_finding"]
    # (since stop 34 the rules' healthy reading of what the log holds leads, the model's beside it)
    assert main_finding.startswith("healthy by what this log can show"), main_finding
    assert "possible d_dominant from step" in main_finding and "holds other terms (g_loss_terms=composite)" in main_finding
    assert res.summary["unconfirmed_reading"]["because"] == "read from a G loss that holds other terms"


def test_a_critic_loss_that_grew_many_fold_is_said_beside_the_finding():
    """A conditional WGAN-GP's epoch means of the critic and G losses grew 50-200-fold over the run
    and it read healthy with nothing said. The growth is said beside whatever the finding is (never
    leading it: that run's samples were fine), with the corpus's figures for such runs."""
    rng = np.random.default_rng(61)
    n = 400
    scale = np.exp(np.linspace(0, np.log(2000), n))       # the last quarter ~45x the second
    df = pd.DataFrame({"step": np.arange(n) * 100, "d_loss": -1.2 * scale * (1 + 0.1 * rng.standard_normal(n)),
                       "g_loss": 1.5 * scale * (1 + 0.1 * rng.standard_normal(n))})
    main_finding = diagnose(df, loss="wgan-gp").summary["main_finding"]
    assert "the critic's loss grew" in main_finding and not main_finding.startswith("the critic"), main_finding
    steady = df.assign(d_loss=-1.2 * (1 + 0.1 * rng.standard_normal(n)), g_loss=1.5 * (1 + 0.1 * rng.standard_normal(n)))
    assert "the critic's loss grew" not in diagnose(steady, loss="wgan-gp").summary["main_finding"]


def test_single_image_losses_are_not_led_by_readings_the_log_cannot_check(tmp_path):
    """Four working CycleGAN runs at batch size 1 (each row one image's loss, jittering by 30-45 %)
    were headlined "possible oscillation" and told to halve both learning rates; so is almost every
    invented flat run of that shape. The model was fitted on batches of 16-256: with the run's
    options saying batch size 1, its readings of what the log cannot check are listed, not led with."""
    rng = np.random.default_rng(1)
    levels = {"D_A": 0.22, "G_A": 0.50, "cycle_A": 1.5, "idt_A": 0.4, "D_B": 0.27, "G_B": 0.38, "cycle_B": 0.9,
              "idt_B": 0.7}
    lines = ["================ Training Loss (Mon Jan  6 10:00:00 2025) ================\n"]
    for ep in range(1, 5):
        for it in range(100, 1101, 100):
            vals = " ".join(f"{k}: {v * np.exp(rng.normal(0, 0.4 if k[0] in 'DG' else 0.25) - 0.08):.3f}"
                            for k, v in levels.items())
            lines.append(f"(epoch: {ep}, iters: {it}, time: 0.210, data: 0.004) {vals} \n")
    (tmp_path / "loss_log.txt").write_text("".join(lines))
    opt = ("----------------- Options ---------------\n               batch_size: {}\n                    model: "
           "cycle_gan\n                 gan_mode: lsgan\n----------------- End -------------------\n")
    (tmp_path / "train_opt.txt").write_text(opt.format(1))
    for name, df in read_runs(tmp_path / "loss_log.txt").items():
        main_finding = diagnose(df).summary["main_finding"]
        assert not main_finding.startswith(("possible oscillation", "possible mode_collapse", "possible stagnation")), \
            (name, main_finding)


def test_bce_losses_both_about_0_contradict_each_other_and_say_so():
    """A Keras conditional GAN rewritten for 1-D signals trained G through a D fed differently: both
    losses fell to about 0 (D 5e-13, G 1e-10) and it read "D tells real from fake with certainty".
    G's non-saturating loss about 0 says D scores the fakes real; D's own loss about 0 says it does
    not: the objective is broken, and the headline says so."""
    rng = np.random.default_rng(89)
    n = 2000
    df = pd.DataFrame({"step": np.arange(n), "d_loss": 1e-11 * rng.random(n), "g_loss": 1e-9 * rng.random(n)})
    main_finding = diagnose(df, loss="nsgan", d_loss_reduction="mean").summary["main_finding"]
    assert main_finding.startswith("D's and G's losses are both about 0"), main_finding
    assert "D tells real from fake with certainty" not in main_finding
    # undeclared, with Keras' D accuracy printed to 6 decimals (held-out batch 73: a D not frozen in the
    # combined model): the zeros were read as a hinge's relu floor and the pair as least squares; both at 0
    # say no family, so the common one is guessed and the contradiction is said
    keras = pd.DataFrame({"step": np.arange(n), "d_loss": np.round(2e-3 * rng.random(n) * (rng.random(n) < 0.7), 6),
                          "d_acc": 1.0, "g_loss": np.round(1e-3 * rng.random(n), 6)})
    res = diagnose(keras)
    assert res.assumptions["loss"] == "nsgan" and res.summary["main_finding"].startswith("D's and G's losses are both about 0")
    # held-out batches 223 and 230: a Keras CGAN whose G never learned (ten alike near-black images), printed every
    # 1,000 iterations; after the note, "read from the loss patterns: healthy", a reading these losses cannot give
    cgan = pd.DataFrame({"step": 1000 * np.arange(1, 61), "d_loss": 10 ** rng.uniform(-7, -4, 60), "d_acc": 1.0,
                         "g_loss": 10 ** rng.uniform(-4, -1, 60)})
    main_finding = diagnose(cgan).summary["main_finding"]
    assert main_finding.startswith("D's and G's losses are both about 0") and "healthy" not in main_finding
    assert main_finding.endswith("show no pathology, which says nothing of the run: judge it by its samples")
    # held-out batch 569/03: an SRGAN whose G loss is known to hold its content term: G's level then says nothing
    # of D's verdict, so there is no contradiction to lead with
    srgan = df.copy()
    srgan.attrs["g_loss_composite"] = "the notebook's code: `G_loss = content_loss + 1e-3 * adversarial_loss`"
    main_finding = diagnose(srgan, loss="nsgan", d_loss_reduction="mean").summary["main_finding"]
    assert "contradict each other" not in main_finding, main_finding


def test_a_critic_loss_beyond_1e4_from_its_first_row_is_its_scale_not_an_explosion():
    """A course notebook printing each epoch's critic loss summed over its 391 iterations (-1.3e4 at
    epoch 1, shrinking; G's sum 3e4 -> 9e4): the rules' 'window-mean loss beyond 1e4' read divergence
    from epoch 1. A critic's loss has no fixed level, so past 1e4 it must also be 20 x its first value;
    a critic that starts at -2 and blows up past 1e4 is still divergence."""
    rng = np.random.default_rng(23)
    e = np.arange(30)
    sums = pd.DataFrame({"step": e, "d_loss": -391 * (32 * np.exp(-e / 4) + 6) * rng.uniform(0.8, 1.2, 30),
                         "g_loss": 391 * (83 + 5 * e) * rng.uniform(0.9, 1.1, 30)})
    d = diagnose(sums, method="rules", loss="wgan-gp")
    assert "divergence" not in {s.label for s in d.segments}
    t = np.arange(3000)
    blown = pd.DataFrame({"step": t, "d_loss": np.where(t < 1500, -2.0, -2.0 * 10 ** ((t - 1500) / 150)) + 0.1 * rng.normal(size=3000),
                          "g_loss": rng.normal(0, 1, 3000)})
    d = diagnose(blown, method="rules", loss="wgan-gp")
    assert d.segments[-1].label == "divergence" and 1500 <= d.segments[-1].start_step <= 2300
    assert "sits at" not in d.summary["main_finding"]          # it grew: the scale note is not for it
    # a conditional WGAN-GP whose penalty is taken at the real points prints critic losses of 1e9-1e10
    # from its first row while its samples stay clean: the scale is said, and leads a reading it cannot check
    t = np.arange(1200)
    huge = pd.DataFrame({"step": t, "d_loss": -3e9 + 2e9 * rng.normal(size=1200), "g_loss": 1e9 * rng.normal(size=1200)})
    main = diagnose(huge, loss="wgan-gp").summary["main_finding"]
    assert main.startswith("The critic's loss sits at") and "not an explosion this log shows" in main


def test_an_unchecked_reading_does_not_lead_where_the_checkable_signals_read_healthy():
    """A critic log whose loss settles with jitter and whose G loss wanders (no diversity column, no D
    outputs): the learned model reads oscillation on most of it, which this log cannot check, while the
    rules, judging only what it holds, read healthy throughout. Public runs of this shape with fine
    samples (critic notebooks, a StyleGAN2 port, Keras DCGANs) led with 'possible oscillation' or
    'possible stagnation'. The checkable reading leads now, the model's beside it; the step labels stay."""
    rng = np.random.default_rng(0)
    t = np.arange(3000)
    df = pd.DataFrame({"step": 10 * t, "d_loss": -1.5 - 4 * np.exp(-t / 500) + 0.8 * rng.normal(size=3000),
                       "g_loss": 2 * np.sin(t / 300) + 1.5 * rng.normal(size=3000)})
    auto = diagnose(df, loss="wgan-gp")
    main = auto.summary["main_finding"]
    assert main.startswith("healthy by what this log can show: the rules, which judge only its logged signals, "
                           "read healthy on 100% of its judged rows ("), main
    assert "the learned model reads possible oscillation from step" in main and "cannot check" in main
    assert "oscillation" in {s.label for s in auto.segments}          # the timeline keeps the model's labels
    reading = auto.summary["unconfirmed_reading"]                     # and the JSON names the reading
    assert reading["label"] == "oscillation" and reading["because"] == "cannot be checked in this log"
    assert 0 < reading["share"] <= 1 and f"from step {reading['start_step']}" in main
    assert any(a.startswith("(if the samples confirm oscillation)") for a in auto.summary["advice"])   # not "brief"
    learned = diagnose(df, loss="wgan-gp", method="learned").summary["main_finding"]
    assert learned.startswith("possible oscillation"), learned        # the model alone is unchanged


def _flat_per_step(n, d_level, g_level, seed=0):
    """Per-step BCE losses (mean D loss) that hold one level with minibatch noise and no trend: a
    large batch's sampling noise, 1.6 % of D's level and 4 % of G's."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"step": np.arange(n), "d_loss": d_level + 0.011 * rng.normal(size=n),
                         "g_loss": g_level + 0.032 * rng.normal(size=n)})


def test_a_converged_run_flat_at_the_equilibrium_is_no_stagnation():
    """A public Keras DCGAN print (held-out batch 47) after 15,000 steps: D 0.668 +- 0.011 and G
    0.787 +- 0.032, around the mean-BCE equilibrium ln 2. The rules read its flat stretches as
    stagnation; on the corpus, flat windows at that level are stagnation in about 1 % of cases
    (a frozen G lets D pull away from the equilibrium), so flat losses there are no stagnation."""
    df = _flat_per_step(3000, 0.668, 0.787)
    df.attrs = {"loss": "nsgan", "d_loss_reduction": "mean"}
    rules = diagnose(df, method="rules")
    assert _share(rules, df, "stagnation") == 0.0, rules.text()
    assert rules.summary["main_finding"].startswith("healthy"), rules.summary["main_finding"]
    # the same flatness away from the equilibrium (D at 0.3 of its level, G at 2.3) is still read
    away = _flat_per_step(3000, 0.2, 1.6)
    away.attrs = {"loss": "nsgan", "d_loss_reduction": "mean"}
    assert _share(diagnose(away, method="rules"), away, "stagnation") > 0.5


def test_d_and_g_losses_both_beyond_a_batchs_level_are_said_as_likely_sums():
    """A notebook printed each epoch's sum of 234 per-batch losses (D about 150, G about 250) beside
    varied digits (held-out batch 54); the headline led with 'D scores the reals as fake or the fakes as
    real with certainty'. Both that far beyond one batch's level are most likely sums over batches."""
    rng = np.random.default_rng(54)
    n = 60
    df = pd.DataFrame({"step": np.arange(n), "d_loss": 150 + 3 * rng.standard_normal(n),
                       "g_loss": 245 + 15 * rng.standard_normal(n)})
    main = diagnose(df, loss="nsgan").summary["main_finding"]
    assert main.startswith("D's loss holds") and "sums many batches' losses" in main
    assert "with certainty (on the corpus" not in main
    # G thousands from its first row (guessed a composite G) beside D in the hundreds: sums too (held-out batch 63)
    big = pd.DataFrame({"step": np.arange(n), "d_loss": 400 + 30 * rng.standard_normal(n),
                        "g_loss": 5700 + 300 * rng.standard_normal(n)})
    assert "sums many batches' losses" in diagnose(big, loss="nsgan").summary["main_finding"]
    # both at BCELoss's clamp (exactly 100: a D output of exactly 0 or 1) is no sum: the clamp's own note says it
    clamped = df.assign(d_loss=100.0, g_loss=100.0)
    assert "sums many batches' losses" not in diagnose(clamped, loss="nsgan").summary["main_finding"]


def test_d_and_g_at_their_untrained_levels_from_the_start_say_nothing_was_learned():
    """A public notebook's minimax run (held-out batch 56): D's loss 1.386 and G's -0.693 from its
    first print to its last, 16,000 iterations, samples checkerboard noise; the headline was 'healthy'
    with the note that a D learning nothing reads like a matched generator. A log holding the run's
    start would show a matched generator's learning: both pinned from there, nothing was learned."""
    rng = np.random.default_rng(56)
    steps = np.arange(0, 16_001, 500)
    n = len(steps)
    dead = pd.DataFrame({"step": steps, "d_loss": 2 * LN2 + 3e-4 * rng.standard_normal(n),
                         "g_loss": -LN2 + 3e-4 * rng.standard_normal(n)})
    main = diagnose(dead, loss="minimax", d_loss_reduction="sum").summary["main_finding"]
    assert main.startswith("D's and G's losses hold at their untrained levels") and "nothing was learned" in main
    assert "reads the same as a generator that matched the data" not in main
    late = dead.assign(step=dead["step"] + 15_000)        # a log kept from step 15,000 on: it cannot tell
    main = diagnose(late, loss="minimax", d_loss_reduction="sum").summary["main_finding"]
    assert "nothing was learned" not in main and "reads the same as a generator that matched the data" in main
    # epoch means whose first epochs sit above the level (D learned, then lost its edge: held-out batch 56's
    # other run, whose samples were varied digits) are no run that never learned
    settled = dead.assign(d_loss=dead["d_loss"] + np.r_[0.25, 0.12, 0.07, np.zeros(n - 3)])
    assert "nothing was learned" not in diagnose(settled, loss="minimax", d_loss_reduction="sum").summary["main_finding"]
    noisy = dead.assign(d_loss=2 * LN2 + 0.05 * rng.standard_normal(n), g_loss=-LN2 + 0.05 * rng.standard_normal(n))
    assert "nothing was learned" not in diagnose(noisy, loss="minimax", d_loss_reduction="sum").summary["main_finding"]
    # one row (held-out batch 604/00: 'loss_D 0.6931, loss_G 0.6932' printed once, after a 30-epoch loop, beside points
    # over the data's cloud) is the run's end as much as its start: nothing says it learned nothing
    once = pd.DataFrame({"step": [0], "d_loss": [0.6931033], "g_loss": [0.6932357]})
    assert "nothing was learned" not in diagnose(once, loss="nsgan", d_loss_reduction="mean").summary["main_finding"]


def test_a_log_whose_end_repeats_one_pair_of_losses_says_training_froze_there():
    """A public run (held-out batch 65) printed D 27.5 / G 100 on each of its last 16 of 120 epochs
    (BCELoss's clamp: G's term passes no gradient) while its FID froze; the headline was 'healthy' with
    a note that 13 % of the rows sit at the clamp, nowhere saying where. It says the step now, leads a
    healthy reading with it, and advises the checkpoint before it."""
    rng = np.random.default_rng(65)
    n = 120
    d = 1.2 + 0.3 * rng.standard_normal(n)
    g = 1.5 + 0.4 * rng.standard_normal(n)
    d[104:], g[104:] = 27.5, 100.0
    df = pd.DataFrame({"step": np.arange(n) * 50, "d_loss": d, "g_loss": g})
    s = diagnose(df, loss="nsgan").summary
    assert s["main_finding"].startswith("From step 5200 to the end of the log (16 rows, 13%)"), s["main_finding"]
    assert "BCELoss's clamp" in s["main_finding"] and "hold a loss of exactly 100" not in s["main_finding"]
    assert s["advice"][0].startswith("keep a checkpoint from before step 5200")
    live = df.assign(d_loss=1.2 + 0.3 * rng.standard_normal(n), g_loss=1.5 + 0.4 * rng.standard_normal(n))
    s = diagnose(live, loss="nsgan").summary
    assert "repeat exactly" not in s["main_finding"] and not s["advice"][0].startswith("keep a checkpoint")


def test_a_d_loss_at_label_smoothings_floor_says_d_has_won():
    """Keras notebooks with real labels smoothed to 0.9 and D's loss a mean of its terms (held-out batches
    68 and 77) sat at 0.1625 (the labels' entropy halved, the least such a loss can be) while their
    samples stayed blobs: read healthy, and once beside a G loss of 0.2 read as least squares. The floor
    is named (D has won there), it says BCE and mean, and beside a G loss under ln 2 the contradiction."""
    rng = np.random.default_rng(77)
    n = 100
    floor = 0.5 * -(0.9 * np.log(0.9) + 0.1 * np.log(0.1))
    d = np.where(rng.random(n) < 0.5, floor, floor + rng.uniform(0, 0.3, n)).round(4)
    won = pd.DataFrame({"step": np.arange(n) * 100, "d_loss": d, "g_loss": 3 + rng.uniform(0, 2, n)})
    res = diagnose(won)
    assert res.assumptions["loss"] == "nsgan" and res.assumptions["d_loss_reduction"] == "mean"
    assert "D's loss bottoms out at 0.1625" in res.summary["main_finding"] and "D has won" in res.summary["main_finding"]
    pinned = pd.DataFrame({"step": np.arange(n) * 100, "d_loss": np.full(n, 0.163), "g_loss": 0.2 + 0.03 * rng.random(n)})
    res = diagnose(pinned)
    assert res.assumptions["loss"] == "nsgan", res.assumptions["note"]
    assert res.summary["main_finding"].startswith("D's loss sits at 0.1625, the least its labels smoothed to 0.9 allow")
    # 0.325 is a sum with reals smoothed to 0.9 or a mean with both sides smoothed (a public DCGAN notebook whose
    # samples were varied digits): said beside a healthy reading, never leading it, and no reduction read from it
    both = won.assign(d_loss=np.where(rng.random(n) < 0.6, 2 * floor, 2 * floor + rng.uniform(0, 0.1, n)).round(4),
                      g_loss=2.08 + 0.02 * rng.random(n))
    res = diagnose(both)
    assert "or both sides smoothed (0.9 / 0.1) as their mean" in res.summary["main_finding"]
    assert not res.summary["main_finding"].startswith("D's loss bottoms out")
    assert "bottoms out" not in res.assumptions["note"].split("d_loss_reduction=")[-1].split("; scores=")[0]
    # a hard-label D whose loss wanders through 0.16-0.5 does not bottom out there
    free = won.assign(d_loss=rng.uniform(0.16, 0.5, n))
    assert "bottoms out" not in diagnose(free).summary["main_finding"]


def test_d_outputs_printed_through_a_second_sigmoid_are_read_back():
    """A notebook printed torch.sigmoid(D(x)).mean() after D's own Sigmoid layer (held-out batch 77): every
    D output in [0.5, 0.731] beside D losses of 0.17-0.34, which no BCE loss with such outputs allows; the
    run was read as least squares (rules: g_dominant). The outputs are read back as logit(x)."""
    rng = np.random.default_rng(770)
    n = 70
    p_real, p_fake = rng.uniform(0.8, 0.95, n), rng.uniform(0.05, 0.2, n)
    sig = lambda v: 1 / (1 + np.exp(-v))
    d = -np.log(p_real) - np.log(1 - p_fake)
    df = pd.DataFrame({"step": np.arange(n) * 50, "d_loss": d, "g_loss": -np.log(p_fake) + 0.3 * rng.random(n),
                       "d_x": sig(p_real), "d_g_z1": sig(p_fake)})
    res = diagnose(df)
    assert res.assumptions["loss"] == "nsgan" and "read back as logit(x)" in res.assumptions["d_outputs_from"]
    assert "D(G(z)) 0.1" in res.summary["main_finding"], res.summary["main_finding"]
    # the same outputs as the ones D was trained with (losses that high allow them): left as logged
    honest = df.assign(d_x=p_real * 0.2 + 0.5, d_g_z1=0.5 + 0.1 * rng.random(n), d_loss=1.2 + 0.1 * rng.random(n))
    assert "d_outputs_from" not in diagnose(honest).assumptions


def test_an_acgan_d_loss_holding_its_class_term_names_no_winner():
    """Held-out batch 84: an ACGAN printing D's loss with its class NLL (below 0 on 30 % of the epochs)
    was read as a summed BCE and headlined d_dominant while its samples were varied. Its level says
    nothing of who wins: neither method may claim d_dominant or g_dominant, and the text says why."""
    rng = np.random.default_rng(11)
    n = 300
    d = np.where(rng.random(n) < 0.3, -0.15 * rng.random(n), 0.02 + 0.2 * rng.random(n))
    d[::29] = 1.6
    df = pd.DataFrame({"step": np.arange(n) * 100, "d_loss": d, "g_loss": 4 + 2 * rng.random(n)})
    for method in ("auto", "rules", "learned"):
        diag = diagnose(df, method=method)
        labels = {s.label for s in diag.segments}
        assert not labels & {"d_dominant", "g_dominant"}, (method, labels)
        assert diag.assumptions["d_loss_terms"] == "composite"
        assert {"d_dominant", "g_dominant"} <= {u.label for u in diag.not_checkable}


def test_d_loss_spikes_do_not_make_a_winning_d_read_as_worse_than_guessing():
    """Held-out batch 96: a TimeGAN log whose D loss sits at 0.009 (median) with spikes to 30 read
    'D's loss is about 0 throughout (median 0.009)' and, in the same line, 'D's loss 1.66 is above its
    equilibrium 1.39: D does worse than guessing' (the mean of the spikes)."""
    rng = np.random.default_rng(5)
    n = 400
    d = 0.009 * (1 + rng.random(n))
    d[::12] = 30 + 10 * rng.random(len(d[::12]))
    df = pd.DataFrame({"step": np.arange(n) * 100, "d_loss": d, "g_loss": 4.7 + rng.random(n)})
    text = diagnose(df, loss="nsgan", d_loss_reduction="sum").summary["main_finding"]
    assert "about 0 throughout" in text and "d_dominant" in text, text
    assert "worse than guessing" not in text and "levels contradict" not in text, text


def test_a_winning_d_read_off_its_logged_outputs_is_no_weak_reading():
    """Held-out batch 110: a conditional DCGAN logged D(x) 1.000 and D(G(z)) 0.000 over 73 % of its epochs; the
    rules read d_dominant there off those outputs (LABELS.md's predicate, on the training batch), the model gave
    it 0.08, and a five-row healthy stretch led the headline. A label the rules read off D's logged
    probabilities on every segment is a checked reading: no confidence floor keeps it from leading."""
    from ganalyze.diagnose.core import main_candidates, outputs_ruled, weak_labels

    rule = "window-mean D(G(z)) < 0.05 with D loss below half its equilibrium or D(x) > 0.85"
    segs = [Segment(0, 2, "warmup", 0.4, rule="warm-up"), Segment(3, 7, "healthy", 0.2, rule="no pathology rule"),
            Segment(8, 29, "d_dominant", 0.08, rule=rule)]
    steps = np.arange(30)
    fractions = {"warmup": 0.1, "healthy": 0.17, "d_dominant": 0.73}
    assert "d_dominant" in weak_labels(segs, steps, False)
    assert outputs_ruled(segs, ["d_x", "d_g_z1"], "probability") == {"d_dominant"}
    assert outputs_ruled(segs, [], "probability") == set() and outputs_ruled(segs, ["d_g_z1"], "critic") == set()
    assert main_candidates(segs, steps, fractions, False, {"d_dominant"}) == ["d_dominant"]
    unruled = segs[:2] + [Segment(8, 29, "d_dominant", 0.08)]
    assert outputs_ruled(unruled, ["d_x", "d_g_z1"], "probability") == set()


def test_d_at_one_sided_smoothings_floor_with_g_high_is_d_dominant():
    """Held-out batch 152: a PyTorch MNIST GAN, real labels smoothed to 0.9, D's terms added (the code says so), sat
    at 0.325 on 72 % of its rows beside G losses near 10; its samples collapsed to one digit. The rules' 0.3 band
    lies below that floor, so nothing fired and a healthy stretch led. At the floor D's loss fixes its outputs
    (D(G(z)) ~ 0, D(x) ~ 0.9: LABELS.md's d_dominant); read as a mean of both sides smoothed (0.9 / 0.1) it
    does not (the test above)."""
    rng = np.random.default_rng(152)
    n = 120
    floor = -(0.9 * np.log(0.9) + 0.1 * np.log(0.1))
    d = np.where(rng.random(n) < 0.85, floor + rng.uniform(0, 0.01, n), floor + rng.uniform(0.02, 0.25, n))
    d[:15] = rng.uniform(0.8, 1.3, 15)
    g = np.r_[rng.uniform(0.8, 2.5, 15), 9 + rng.standard_normal(n - 15)]
    df = pd.DataFrame({"step": np.arange(n) * 400, "d_loss": d, "g_loss": g})
    res = diagnose(df, d_loss_reduction="sum")
    assert res.summary["main_finding"].startswith("d_dominant from step"), res.summary["main_finding"]
    assert "bottoms out at 0.3251" in res.summary["main_finding"]


def test_d_at_smoothings_floor_beside_a_huge_g_loss_is_d_dominant_not_a_composite_g():
    """Held-out batch 200: a Udacity MNIST GAN (reals smoothed to 0.9, D's terms added) sat at 0.3251 on 86 of 120
    rows beside G losses of 23-101, its samples salt-and-pepper noise to the end. G's level was guessed to hold
    other terms (a non-saturating loss above 16 needs D(G(z)) under 1e-7, which D at its floor gives), and a
    two-row stretch the model alone read d_dominant kept the rules' reading off the headline: healthy led. The
    floor is D's 0 (no composite guess), and the rules' reading leads where its segments hold most of the rows."""
    from ganalyze.diagnose.core import floor_ruled

    rng = np.random.default_rng(200)
    n = 120
    floor = -(0.9 * np.log(0.9) + 0.1 * np.log(0.1))
    d = np.r_[1.3, np.where(rng.random(n - 1) < 0.75, floor, floor + rng.uniform(0.0, 0.02, n - 1))].round(4)
    g = np.r_[1.0, rng.uniform(23, 101, n - 1)]
    df = pd.DataFrame({"step": np.arange(n) * 400, "d_loss": d, "g_loss": g})
    res = diagnose(df, d_loss_reduction="sum")
    assert res.metadata.g_loss_terms == "adversarial"
    assert res.summary["main_finding"].startswith("d_dominant from step"), res.summary["main_finding"]
    # held-out batch 211: D at the floor has its real labels smoothed already: no advice to smooth them
    assert not any("label smoothing" in a for a in res.summary["advice"]), res.summary["advice"]
    rule = "D loss below its low band while G loss is above its high band"
    segs = [Segment(0, 0, "warmup", 0.4, {"rows": 1.0}), Segment(400, 800, "d_dominant", 0.17, {"rows": 2.0}),
            Segment(1200, 2800, "healthy", 0.12, {"rows": 5.0}, rule="no pathology rule"),
            Segment(3200, 47600, "d_dominant", 0.08, {"rows": 112.0}, rule=rule)]
    assert floor_ruled(segs, res.metadata) == {"d_dominant"}
    assert floor_ruled(segs[:3] + [Segment(3200, 47600, "d_dominant", 0.08, {"rows": 112.0})], res.metadata) == set()


def test_a_log_that_stops_early_in_its_planned_epochs_says_so(tmp_path):
    """Held-out batch 168: 'Epoch 1/25... Discriminator Loss: 1.3852... Generator Loss: 0.6271' stopped in epoch 2 of
    25 (interrupted); its losses looked like early, healthy training while the samples were blobs, and the
    reading said healthy without a word of the rest of the run. It says where the log stops; a run logged to
    its last epoch says nothing of the kind."""
    rng = np.random.default_rng(168)

    def log(epochs, total):
        return "".join(f"Epoch {e}/{total}... Discriminator Loss: {1.2 + 0.2 * rng.random():.4f}... Generator Loss: "
                       f"{0.7 + 0.3 * rng.random():.4f}\n" for e in range(1, epochs + 1) for _ in range(45))

    p = tmp_path / "early.log"
    p.write_text(log(2, 25))
    res = diagnose(read_run(p))
    assert "the log stops in epoch 2 of the 25 its run planned" in res.summary["main_finding"]
    assert res.summary["planned_epochs"] == {"last_logged": 2, "planned": 25}
    q = tmp_path / "done.log"
    q.write_text(log(4, 4))
    assert "planned_epochs" not in diagnose(read_run(q)).summary


def test_the_models_d_dominant_does_not_lead_where_the_rules_read_healthy():
    """Held-out batches 167 and 173: Udacity face GANs whose D drifted down slowly (an LSGAN here, D 0.24 -> 0.10,
    G 0.58 -> 0.80, noisy rows) led with the model's d_dominant over the last tenth of the run while the rules read
    healthy on over 90 % of it; the samples were varied faces. Of 13 such public logs whose samples could be
    judged, 12 were fine. The model's reading is said beside a healthy headline, as an unchecked one is."""
    rng = np.random.default_rng(0)
    n = 1300
    t = np.linspace(0, 1, n)
    df = pd.DataFrame({"step": np.arange(n) * 50, "d_loss": (0.24 - 0.14 * t) * np.exp(0.55 * rng.standard_normal(n)),
                       "g_loss": (0.58 + 0.22 * t) * np.exp(0.35 * rng.standard_normal(n))})
    df.attrs = {"loss": "lsgan", "d_loss_reduction": "sum", "lsgan_terms": "plain", "declared": ["loss", "d_loss_reduction"]}
    res = diagnose(df)
    assert res.summary["main_finding"].startswith("healthy by what this log can show"), res.summary["main_finding"]
    assert "the learned model reads possible d_dominant" in res.summary["main_finding"]
    assert res.summary["unconfirmed_reading"]["label"] == "d_dominant"
    assert diagnose(df, method="rules").summary["main_finding"].startswith("healthy")


def test_d_just_above_smoothings_floor_is_within_labels_d_dominant():
    """Held-out batch 181: an MNIST GAN with reals smoothed to 0.9 and D's terms summed held D at 0.364-0.373 and G
    at 13-20 (its samples collapsed to one digit); the band 10 % above the 0.325 floor (0.358) missed it. The band
    is the floor plus the most D's fake term adds within LABELS.md's D(G(z)) <= 0.05, -ln 0.95: 0.376."""
    rng = np.random.default_rng(181)
    n = 300
    floor = -(0.9 * np.log(0.9) + 0.1 * np.log(0.1))
    d = np.r_[rng.uniform(0.8, 1.3, 30), floor + rng.uniform(0.0, 0.09, n - 30)]
    g = np.r_[rng.uniform(0.8, 2.5, 30), 14 + 2 * rng.standard_normal(n - 30)]
    df = pd.DataFrame({"step": np.arange(n) * 400, "d_loss": d, "g_loss": g})
    res = diagnose(df, d_loss_reduction="sum", method="rules")
    assert res.summary["main_finding"].startswith("d_dominant from step"), res.summary["main_finding"]
    assert diagnose(df, d_loss_reduction="sum").summary["main_finding"].startswith("d_dominant from step")


def test_a_d_loss_held_at_ln_2_beside_a_composite_g_says_d_learned_nothing():
    """Held-out batch 182: a Keras CycleGAN printed 'monet_disc_loss: 0.6931' on all 25 epochs (D's mean, its output
    never off 1/2) while G's loss, holding cycle and identity terms, fell 1.83 -> 1.49; read healthy. Its outputs
    were copies of the inputs."""
    rng = np.random.default_rng(182)
    df = pd.DataFrame({"step": np.arange(25) * 300, "d_loss": np.full(25, 0.6931),
                       "g_loss": np.linspace(1.83, 1.49, 25) + 0.01 * rng.standard_normal(25)})
    df.attrs = {"g_loss_composite": "a CycleGAN's G loss", "loss": "nsgan", "d_loss_reduction": "mean",
                "declared": ["loss", "d_loss_reduction"]}
    res = diagnose(df)
    assert res.summary["main_finding"].startswith("D's loss holds at its untrained level 0.6931 on every row")


def test_a_d_loss_far_off_its_equilibrium_is_said_beside_the_finding():
    """Held-out batch 212: a face GAN whose code never zeroed D's gradients logged least-squares D losses of 5-270
    (plain terms summed: equilibrium 0.5) and made pixel noise; read healthy with nothing said of the level. A D
    loss whose median is 20 x its family's equilibrium or more is said beside the finding, with what the corpus's
    labels were there (quoted, not fitted); a critic's loss, or a D loss near its level, says nothing of the kind."""
    rng = np.random.default_rng(212)
    n = 60
    d = np.r_[rng.uniform(5, 13, 20), rng.uniform(5, 270, n - 20)]
    g = rng.uniform(2, 12, n)
    df = pd.DataFrame({"step": np.arange(n) * 50, "d_loss": d, "g_loss": g})
    df.attrs["lsgan_terms"] = "plain"        # as the reader sets it (nn.MSELoss, or --lsgan-terms plain)
    res = diagnose(df, loss="lsgan", d_loss_reduction="sum")
    assert "x its equilibrium 0.5: off the game's scale" in res.summary["main_finding"], res.summary["main_finding"]
    assert "6 % healthy" in res.summary["main_finding"]
    near = df.assign(d_loss=rng.uniform(0.3, 0.7, n), g_loss=rng.uniform(0.2, 0.4, n))
    assert "off the game's scale" not in diagnose(near, loss="lsgan", d_loss_reduction="sum").summary["main_finding"]
    critic = df.assign(d_loss=-d)
    assert "off the game's scale" not in diagnose(critic, loss="wgan-gp").summary["main_finding"]


def test_a_frozen_end_after_rows_at_zero_reads_as_stagnation():
    """Held-out batch 264: a Keras GAN printed D 0.000000 / G 0.000000 on most of its first 30 rows (D at its
    clamp), then D 7.712474 / G 15.424949 on every row to the end: too few live rows to test the print's
    resolution, so no frozen end was found, and the loss patterns read healthy. Repeats to 7 significant digits
    are no coarse print: the end is frozen, and nothing trains there (LABELS.md's stagnation)."""
    from ganalyze.diagnose.log_facts import frozen_tail

    rng = np.random.default_rng(64)
    n = 140
    d, g = np.zeros(n), np.zeros(n)
    d[0], g[0] = 2.652147, 0.001643
    live = rng.choice(np.arange(1, 28), 6, replace=False)
    d[live], g[live] = np.round(rng.uniform(0.0005, 0.2, 6), 6), np.round(rng.uniform(0.0005, 0.4, 6), 6)
    d[30:], g[30:] = 7.712474, 15.424949
    assert frozen_tail(d, g) == (30, 110, 7.712474, 15.424949)
    df = pd.DataFrame({"step": np.arange(n), "d_loss": d, "g_loss": g})
    for method in ("auto", "rules"):
        r = diagnose(df, loss="nsgan", d_loss_reduction="mean", averaged=False, method=method)
        last = r.segments[-1]
        assert (last.label, last.start_step, last.end_step) == ("stagnation", 30, 139), method
        assert "repeat exactly" in last.rule and last.confidence <= 0.59
        assert not r.summary["main_finding"].startswith("healthy")
        assert "stagnation" not in {x.label for x in r.not_checkable}
        assert "mode_collapse" in {x.label for x in r.not_checkable}
    # a coarse print (two digits) repeating after rows at zero is no evidence: no frozen end
    d2, g2 = d.copy(), g.copy()
    d2[30:], g2[30:] = 7.7, 15.0
    assert frozen_tail(d2, g2) is None


def test_a_summed_d_loss_at_both_sides_smoothings_floor_is_named_where_the_code_smooths_both():
    """Held-out batch 454/03: 'real_label = 0.9', 'fake_label = 0.1' and D's loss the sum of its BCE terms, at 0.6504
    for 9,000 iterations (twice the labels' entropy, 0.6502, the least it can be) beside copies of grey noise: read
    healthy, the floor unnamed. Named where the code says both sides are smoothed; not without its word (a mean D
    loss at equilibrium hovers at ln 2 = 0.693, just above)."""
    from ganalyze.diagnose.log_facts import smoothing_floor
    from ganalyze.runlog.formats.code_hints import fake_label_hint

    rng = np.random.default_rng(454)
    n = 60
    floor = -2 * (0.9 * np.log(0.9) + 0.1 * np.log(0.1))
    d = np.where(rng.random(n) < 0.7, floor + 2e-4, floor + rng.uniform(0, 0.05, n)).round(4)
    df = pd.DataFrame({"step": np.arange(n) * 200, "d_loss": d, "g_loss": 2.08 + 0.02 * rng.random(n)})
    assert smoothing_floor(d) is None
    assert smoothing_floor(d, fake_label=0.1)[1] == "sum of both sides" and abs(smoothing_floor(d, 0.1)[2] - floor) < 1e-12
    df.attrs["code_fake_label"] = fake_label_hint([(15, "fake_label = 0.1")])
    assert df.attrs["code_fake_label"][0] == 0.1 and fake_label_hint([(15, "fake_label = 0")]) is None
    main = diagnose(df, loss="nsgan").summary["main_finding"]
    assert "both sides smoothed (0.9 / 0.1, as the code says) as a sum of D's terms" in main and "D has won" in main


def test_a_level_read_from_fewer_rows_than_any_validated_log_does_not_lead():
    """Held-out batches 446/53 and 450/02: one row at step 1,000 of 20,000 (D's loss 0.009, 99.6 % accuracy) and three
    rows of an early warm-up, each beside varied digits, led with "D's loss is about 0 throughout ...; beyond that, too
    few rows": a moment's level read as the run's. The abstention leads and the level follows as what the rows show;
    from 10 rows on the level leads as before."""
    one = pd.DataFrame({"step": [1000], "d_loss": [0.009], "g_loss": [5.24]})
    main = diagnose(one, loss="nsgan").summary["main_finding"]
    assert main.startswith("too few rows to judge: 1 logged row(s)") and "what its rows show: D's loss is about 0" in main
    rng = np.random.default_rng(446)
    ten = pd.DataFrame({"step": np.arange(12) * 100, "d_loss": 0.01 * rng.random(12), "g_loss": 5 + rng.random(12)})
    main = diagnose(ten, loss="nsgan").summary["main_finding"]
    assert "what its rows show" not in main and "D's loss is about 0" in main


def _dev_nag_log(fake_std: np.ndarray, seed: int) -> str:
    """Dev Nag's 1-D GAN's print every 100 'epochs' (one step each): D's and G's BCE terms near ln 2, the data's and
    G's batch mean and std (one batch of 100 each: about 7 % sampling noise on a std)."""
    rng = np.random.default_rng(seed)
    noise = lambda: 0.003 * rng.standard_normal()  # noqa: E731
    return "".join(f"Epoch {100 * k}: D ({0.693 + noise()} real_err, {0.693 + noise()} fake_err) G ({0.693 + noise()} "
                   f"err); Real Dist ([{4 + 0.12 * rng.standard_normal()}, {1.25 * (1 + 0.07 * rng.standard_normal())}]),"
                   f"  Fake Dist ([{4 + 0.12 * rng.standard_normal()}, {s * (1 + 0.07 * rng.standard_normal())}])\n"
                   for k, s in enumerate(fake_std))


def test_a_1d_gans_batch_spread_is_no_oscillation_but_its_collapse_is_read(tmp_path):
    """Held-out batches 466/01, 466/08 and 479/04: Dev Nag's 1-D GAN converged (the fitted densities overlap), and
    its log's spread, fake_std / real_std of one printed batch each, swung from 0.01 to 2 in its first rows and then
    by its sampling noise: read as oscillation on 95-98 % of the steps. Such a spread shows no oscillation (said under
    'not checkable'); a spread that falls to a sliver still reads as mode collapse."""
    settled = np.r_[0.012, 0.02, 1.2, 0.03, 1.4, 0.7, 1.1, 2.5, 0.2, 1.4, np.full(40, 1.25)]
    p = tmp_path / "devnag.txt"
    p.write_text(_dev_nag_log(settled, 479))
    res = CliRunner().invoke(main, ["diagnose", str(p), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert "oscillation" not in {s["label"] for s in out["segments"]}
    assert not out["summary"]["main_finding"].startswith(("oscillation", "possible oscillation"))
    assert any(u["label"] == "oscillation" and "one batch" in u["because"] for u in out["not_checkable"])
    collapsed = np.r_[np.full(10, 1.25), np.full(40, 0.02)]
    p.write_text(_dev_nag_log(collapsed, 480))
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(p), "--json"]).stdout)
    assert out["summary"]["main_finding"].startswith("mode_collapse")


def test_d_wins_by_its_level_where_labels_md_puts_it():
    """The rules' "D loss below its low band" is LABELS.md's d_dominant: D(G(z)) at 0.05 with D(x) at 0.85 gives a summed
    BCE D loss of -ln 0.85 - ln 0.95 = 0.214 (half for a mean). [practitioner-loss-curves]' 0.3 read D winning at
    D 0.26-0.34 beside G 3.6-4.2 in public notebooks whose samples were varied digits (held-out batches 541/07,
    544/00b); on the corpus's nsgan runs 43 % of such steps were healthy and 14 % d_dominant."""
    from ganalyze.diagnose.thresholds import D_WINS_SUM, profile_for

    assert D_WINS_SUM == pytest.approx(0.2138, abs=1e-4)
    assert profile_for("nsgan", "sum").d_low == pytest.approx(D_WINS_SUM)
    assert profile_for("minimax", "mean").d_low == pytest.approx(D_WINS_SUM / 2)
    rng = np.random.default_rng(541)
    n = 3000
    for level, won in ((0.28, False), (0.15, True)):
        d = np.where(np.arange(n) < 100, 2 * LN2, level) + 0.03 * rng.normal(size=n)
        df = pd.DataFrame({"step": np.arange(n), "d_loss": np.abs(d), "g_loss": 3.6 + 0.3 * rng.normal(size=n)})
        df.attrs = {"loss": "nsgan", "d_loss_reduction": "sum"}
        res = diagnose(df, method="rules")
        assert (_share(res, df, "d_dominant", 500) > 0.8) is won, (level, res.text())


def test_d_winning_over_a_g_led_by_content_terms_leads_with_healthy_for_g():
    """Held-out batch 587 (four SRGAN notebooks, outputs near their targets, PSNR 15 -> 25 dB): D's loss 0.001-0.1 and a
    G loss of content terms plus 1e-3 x its adversarial term read "d_dominant" (or "D's loss is about 0 ... G's
    gradients carry little"). G's gradient there comes from its content term, not through D: the headline leads with
    healthy for G and says why; D's win stays on the steps (LABELS.md's d_dominant is D's outputs) and its advice waits
    for the outputs. A G loss whose other term is a class term (AC-GAN) is no such G, nor is a plain adversarial one."""
    rng = np.random.default_rng(587)
    n = 600
    t = np.arange(n)
    d = np.where(t < 60, 1.3 - t / 60, 0.03) * rng.uniform(0.5, 1.5, n)
    g = np.where(t < 60, 1.0, 0.2) * rng.uniform(0.8, 1.2, n)
    df = pd.DataFrame({"step": 10 * t, "d_loss": d, "g_loss": g})
    df.attrs["g_loss_composite"] = "the notebook's code: `g_loss = content_loss + 1e-3 * adv_loss`"
    res = diagnose(df, loss="nsgan", d_loss_reduction="sum")
    main = res.summary["main_finding"]
    assert main.startswith("healthy for G by what this log can show: D wins by its losses (d_dominant from step"), main
    assert "content_loss + 1e-3 * adv_loss" in main and "D's loss is about 0" not in main
    assert res.summary["label_fractions"]["d_dominant"] > 0.5
    assert res.summary["unconfirmed_reading"]["label"] == "d_dominant"
    assert all(a.startswith("(if the samples confirm d_dominant)") for a in res.summary["advice"] if "D's learning rate" in a)
    # pix2pix's G_L1 logged beside its adversarial G_GAN: the same
    pix = pd.DataFrame({"step": 10 * t, "d_loss": d, "g_loss": 4 + g, "G_L1": 20 * g})
    assert diagnose(pix, loss="nsgan", d_loss_reduction="sum").summary["main_finding"].startswith("healthy for G")
    # an AC-GAN's class term, or no other term at all: D's win leads as before
    acgan = df.copy()
    acgan.attrs["g_loss_composite"] = "the notebook's code: `g_loss = adv_loss + aux_cls_loss`"
    plain = df.copy()
    plain.attrs = {}
    for other in (acgan, plain):
        assert not diagnose(other, loss="nsgan", d_loss_reduction="sum").summary["main_finding"].startswith("healthy")


def test_an_unconfirmed_reading_between_a_finding_and_a_healthy_end_does_not_hide_the_recovery():
    """Held-out batches 611/03b and 615/02a: g_dominant on the first stretch, then an oscillation or stagnation the
    log cannot check (listed as unconfirmed), then healthy to the end on most rows: the headline led with
    g_dominant, as if the run had not recovered. An unconfirmed reading no longer blocks the recovery, which
    counts from the first healthy segment; a checked pathology after the finding still does."""
    from ganalyze.diagnose.core import _recovery
    from ganalyze.diagnose.model import Segment

    def segs(*spans):
        return [Segment(a, b, label, 0.5) for a, b, label in spans]
    steps = np.arange(0, 1525, 25)
    between = segs((0, 25, "warmup"), (50, 375, "g_dominant"), (400, 675, "oscillation"), (700, 1500, "healthy"))
    assert _recovery(between, steps, "g_dominant") == ("", None)
    ended, healed = _recovery(between, steps, "g_dominant", passable={"oscillation"})
    assert healed is not None and healed[0] == 700 and healed[2] == 375 and healed[1] > 0.5, (ended, healed)
    at_end = segs((0, 30, "warmup"), (40, 160, "g_dominant"), (170, 830, "healthy"), (840, 920, "stagnation"))
    healed = _recovery(at_end, np.arange(0, 930, 10), "g_dominant", passable={"stagnation"})[1]
    assert healed is not None and healed[0] == 170
    # the reading after the finding is no healthy end of its own, nor is a checked pathology passable
    assert _recovery(segs((0, 375, "g_dominant"), (400, 1500, "oscillation")), steps, "g_dominant",
                     passable={"oscillation"}) == ("", None)
    assert _recovery(between, steps, "g_dominant", passable={"stagnation"}) == ("", None)
    # an end the unconfirmed readings share with healthy (held-out batch 614/08: stagnation and healthy in turn
    # after a D that won) is no healthy end
    turns = segs((0, 375, "d_dominant"), (400, 575, "healthy"), (600, 875, "stagnation"), (900, 1175, "healthy"),
                 (1200, 1500, "stagnation"))
    assert _recovery(turns, steps, "d_dominant", passable={"stagnation"}) == ("", None)


def test_one_value_printed_as_both_losses_is_said_as_a_print_bug():
    """Held-out batch 634/03: 'Generator loss: 0.00697 Discriminator loss: 0.00697' on every row, falling together from
    4.38 (a print that wrote one mean twice): read as 'D's and G's losses are both about 0, which contradict each other
    ... check the training step'. Two columns equal on nearly every row are one value printed as both; it leads."""
    n = 100
    v = 4.38 * np.exp(-np.arange(n) / 15.0) + 0.005
    same = pd.DataFrame({"step": np.arange(n) * 469, "d_loss": v, "g_loss": v})
    main_finding = diagnose(same, loss="nsgan").summary["main_finding"]
    assert main_finding.startswith("D's and G's logged losses are the same number on 100% of the rows"), main_finding
    apart = same.assign(g_loss=v * 1.7 + 0.3)
    assert "the same number" not in diagnose(apart, loss="nsgan").summary["main_finding"]
    # held-out batch 702/03: a Keras 3 train_on_batch print, '1999 [D loss: 0.7584, acc.: 16.69%] [G loss: 0.7584]', one
    # running mean as both on 83 % of its 2,000 rows (its first rows apart), was read healthy
    rng = np.random.default_rng(702)
    run = 0.7584 + 0.3 * np.exp(-np.arange(2000) / 200.0)
    d = run + np.where(np.arange(2000) < 340, rng.uniform(0.01, 0.2, 2000), 0.0)
    late = pd.DataFrame({"step": np.arange(2000), "d_loss": d, "g_loss": run})
    assert diagnose(late, loss="nsgan").summary["main_finding"].startswith(
        "D's and G's logged losses are the same number on 83% of the rows")
    # both at 0 (a saturated pair's printed zeros) is no one value printed twice
    zeros = pd.DataFrame({"step": np.arange(200), "d_loss": np.zeros(200), "g_loss": np.zeros(200)})
    assert "the same number" not in diagnose(zeros, loss="nsgan").summary["main_finding"]


def test_a_non_finite_loss_between_finite_ones_is_no_divergence(tmp_path):
    """Held-out batch 648/02: a running mean printed after every batch from a count of 0, so each epoch's first row
    reads 'Epoch 12: g_loss: inf d_loss: inf' and the next 'Epoch 12: g_loss: 5.52 d_loss: 0.84': "divergence from
    step 190" beside varied digits. A run whose losses go NaN for good, or flicker to NaN on many rows, still diverges."""
    from ganalyze.diagnose.window_features import nonfinite_loss_rows, transient_nonfinite_rows

    rng = np.random.default_rng(648)
    lines = []
    for e in range(12, 20):
        lines.append(f"Epoch {e}: g_loss: inf d_loss: inf\n")
        lines += [f"Epoch {e}: g_loss: {g:.8f} d_loss: {d:.8f}\n"
                  for d, g in zip(rng.uniform(0.45, 0.75, 120), rng.uniform(2.2, 3.6, 120))]
    p = tmp_path / "running.txt"
    p.write_text("".join(lines))
    d = diagnose(read_run(p))
    assert "divergence" not in {s.label for s in d.segments}
    assert "8 row(s) with a non-finite loss between finite ones (the first at step 0)" in d.summary["main_finding"]
    x = rng.uniform(0.4, 0.8, 400)
    ended = np.concatenate([x[:300], np.full(100, np.nan)])
    assert nonfinite_loss_rows(ended, ended).sum() == 100 and not transient_nonfinite_rows(ended, ended).any()
    flicker = np.where(np.arange(400) % 4 == 0, np.inf, x)
    flicker[:200] = x[:200]
    assert nonfinite_loss_rows(flicker, x).sum() == 50
    onset = np.concatenate([np.where(np.arange(300) % 50 == 49, np.nan, x[:300]), np.full(100, np.nan)])
    assert nonfinite_loss_rows(onset, onset).sum() == 106 and not transient_nonfinite_rows(onset, onset).any()


def test_a_one_row_log_without_a_step_is_not_called_a_print_every_ten_batches(tmp_path):
    """d2l's DCGAN notebook prints one line after training, "loss_D 0.064, loss_G 6.693" (held-out batch 666/01):
    the headline had said "read as one training iteration, 1 in all, as a print every 10 batches", which
    contradicts itself. One row is one row: say only that it carries no step, and how to give one."""
    p = tmp_path / "history.csv"
    pd.DataFrame({"loss_D": [0.064], "loss_G": [6.693]}).to_csv(p, index=False)
    main = diagnose(read_run(p)).summary["main_finding"]
    assert main.startswith("too few rows to judge")
    assert "its one row carries no step" in main and "--step-from row*N" in main
    assert "every 10 batches" not in main and "1 in all" not in main


def test_g_fooling_d_unchecked_by_samples_says_how_often_such_runs_were_fine():
    """Held-out batch 706/03a-c: a conditional DCGAN's 'Loss_D: 0.5215 Loss_G: 0.6991 D(x): 0.8250 D(G(z)): 0.5479',
    D(G(z)) 0.55-0.6 all run beside clean, varied digits, led with g_dominant and the advice to strengthen D. The
    reading stays (D's outputs on the fakes, LABELS.md's g_dominant); the headline now says how often public runs so
    read ended with good samples, as a winning D's does."""
    rng = np.random.default_rng(706)
    n = 120
    df = pd.DataFrame({"step": np.arange(n) * 500, "d_loss": 0.53 + 0.03 * rng.standard_normal(n),
                       "g_loss": 0.60 + 0.03 * rng.standard_normal(n), "d_x": 0.86 + 0.01 * rng.standard_normal(n),
                       "d_g_z1": 0.57 + 0.01 * rng.standard_normal(n)})
    main_finding = diagnose(df, loss="nsgan", d_loss_reduction="mean").summary["main_finding"]
    assert main_finding.startswith("g_dominant"), main_finding
    assert "G fooling D is no sure sign of bad samples either: of 11 public notebooks" in main_finding
