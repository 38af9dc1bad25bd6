"""Every log format of docs/run_format.md "Formats read", read unchanged from a small fixture
(tests/data/logs/): steps, values, and what the metadata says was guessed."""
import json
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ganalyze.errors import GanalyzeError
from ganalyze.runlog import read_run
from ganalyze.runlog.readers import read_runs

LOGS = Path(__file__).parents[1] / "data" / "logs"


def _read(name, **kw):
    return read_run(LOGS / name, **kw)


def test_notebook_stream_outputs_hold_the_dcgan_log():
    nb = json.loads((LOGS / "dcgan_tutorial.ipynb").read_text())
    printed = "".join("".join(o["text"]) for c in nb["cells"] if c["cell_type"] == "code"
                      for o in c["outputs"] if o["output_type"] == "stream")
    progress = [ln for ln in printed.splitlines() if ln.startswith("[")]
    df = _read("dcgan_tutorial.ipynb")
    assert len(df) == len(progress) == 6
    assert df.step.tolist() == [0, 50, 100, 120, 170, 220]          # epoch x 120 + i
    first = progress[0].split("\t")
    assert df.d_loss[0] == float(first[1].split()[1]) and df.g_loss[0] == float(first[2].split()[1])
    assert df.d_g_z2[5] == float(progress[5].rsplit("/", 1)[1])
    a = df.attrs
    assert a["source_format"] == "notebook/dcgan-console"
    assert set(a["guessed"]) == {"loss", "d_loss_reduction", "scores"} and "DCGAN tutorial" in a["guessed"]["loss"]
    assert a["n_epochs"] == 2 and a["iters_per_epoch"] == 120 and "arch" not in a


@pytest.mark.parametrize("name,steps,fmt", [
    ("dcgan_spaced_brackets.log", [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110], "dcgan-console"),
    ("dcgan_text_before_bracket.log", [0, 10, 20, 30, 40, 50, 60, 70], "console"),
    ("dcgan_D_loss_tabs.txt", [0, 10, 20, 30, 40, 50], "console"),
    ("pytorch_gan.log", [0, 200, 400, 600, 800, 938, 1138, 1338, 1538, 1738], "pytorch-gan-console"),
])
def test_dcgan_console_variants(name, steps, fmt):
    text = (LOGS / name).read_text().splitlines()
    rows = [ln for ln in text if "oss" in ln and ":" in ln]
    df = _read(name)
    assert df.step.tolist() == steps and df.attrs["source_format"] == fmt
    # the first D and G values of the first row, as printed
    nums = [float(t.rstrip("]")) for t in rows[0].replace("\t", " ").split() if t.rstrip("]").replace(".", "").isdigit()
            and "." in t]
    assert [df.d_loss[0], df.g_loss[0]] == nums[:2]
    if fmt == "dcgan-console":
        assert df.attrs["d_loss_reduction"] == "sum" and "d_loss_reduction" in df.attrs["guessed"]
    elif fmt == "pytorch-gan-console":      # its scripts print the mean of D's two terms: a hint to the numbers
        assert df.attrs["d_loss_reduction_hint"][0] == "mean" and df.attrs["loss"] == "unknown"
    else:                                   # not the tutorial's full print: nothing is assumed
        assert df.attrs["guessed"] == {} and df.attrs["loss"] == "unknown"


def test_keras_progress_bars_running_means():
    df = _read("keras_fit.log")
    # Epoch e/50 (1-based) with progress 10/50 and 50/50 (1-based): step = (e-1)*50 + b - 1
    assert df.step.tolist() == [9, 49, 59, 99, 109, 149]
    assert df.epoch.tolist() == [0, 0, 1, 1, 2, 2]
    assert df.d_loss[1] == 1.5038 and df.g_loss[1] == 0.9512 and "eta" not in df.columns
    assert df.attrs["source_format"] == "keras-console" and df.attrs["averaged"] is True
    assert "running mean" in df.attrs["guessed"]["averaged"]
    # the examples' mean is a hint the numbers overrule (copies of their train_step sum the halves)
    assert df.attrs["d_loss_reduction"] == "unknown" and "train_step" in df.attrs["d_loss_reduction_hint"][1]
    assert read_run(LOGS / "keras_fit.log", averaged=False).attrs["averaged"] is False


def test_keras_fit_log_whose_d_loss_holds_a_sums_level_is_read_as_a_sum(tmp_path):
    """A Keras fit() GAN whose train_step returns real_loss + fake_loss was given 'mean' from the
    keras.io examples' convention; its D loss settled at 1.2-1.3 beside a G loss of 0.9-1.0, a sum's
    level. With no such evidence the examples' mean stays."""
    from ganalyze.diagnose.metadata import infer_metadata

    rng = np.random.default_rng(3)

    def log(d_level):
        return "".join(f"Epoch {e}/60\n250/250 [==============================] - 8s 31ms/step - g_loss: "
                       f"{0.95 + 0.05 * rng.standard_normal():.4f} - d_loss: {d_level + 0.03 * rng.standard_normal():.4f}\n"
                       for e in range(1, 61))
    p = tmp_path / "fit.log"
    p.write_text(log(1.25))
    assert infer_metadata(read_run(p)).d_loss_reduction == "sum"
    p.write_text(log(0.40))
    red = infer_metadata(read_run(p)).assumption("d_loss_reduction")
    assert red.value == "mean" and "train_step" in red.reason


def test_keras_gan_console():
    df = _read("keras_gan.log")
    assert df.step.tolist() == list(range(30))
    assert df.d_loss[0] == 0.65 and df.g_loss[0] == 1.2 and df.d_acc[1] == pytest.approx(0.55)
    a = df.attrs
    assert a["source_format"] == "keras-gan-console" and a["d_loss_reduction"] == "mean"
    # the format's conventions: D's mean, and plain MSE terms should the loss be least squares (lsgan.py)
    assert set(a["guessed"]) == {"d_loss_reduction", "lsgan_terms"} and a["loss"] == "unknown"
    declared = _read("keras_gan.log", d_loss_reduction="sum")
    assert declared.attrs["d_loss_reduction"] == "sum" and set(declared.attrs["guessed"]) == {"lsgan_terms"}
    assert declared.attrs["declared"] == ["d_loss_reduction"]


def test_cyclegan_loss_log_two_pairs_and_restart():
    with pytest.warns(UserWarning, match="6 row"):
        runs = read_runs(LOGS / "cyclegan_loss_log.txt")
    assert list(runs) == ["cyclegan_loss_log:A", "cyclegan_loss_log:B"]
    a, b = runs.values()
    # 400 images per epoch (iters of the completed epochs); the restart from epoch 2 replaced 6 rows
    assert a.step.tolist() == list(range(100, 1300, 100))
    assert a.attrs["duplicates_replaced"] == 6 and a.attrs["restarts"] == 1
    last = (LOGS / "cyclegan_loss_log.txt").read_text().splitlines()[-1]
    values = dict(zip(last.split(")")[1].split()[::2], map(float, last.split(")")[1].split()[1::2])))
    assert a.d_loss.iloc[-1] == values["D_A:"] and a.g_loss.iloc[-1] == values["G_A:"]
    assert b.d_loss.iloc[-1] == values["D_B:"] and a.cycle_b.iloc[-1] == values["cycle_B:"]
    assert "g_b" not in a.columns and a.attrs["pair"] == "A" and b.attrs["pair"] == "B"
    assert a.attrs["loss"] == "lsgan" and set(a.attrs["guessed"]) == {"loss", "d_loss_reduction", "lsgan_terms", "step_from"}
    with pytest.raises(GanalyzeError, match=r"holds 2 runs .*--pair A\|B"), warnings.catch_warnings():
        warnings.simplefilter("ignore")        # the restart warnings, asserted above
        read_run(LOGS / "cyclegan_loss_log.txt")
    with pytest.warns(UserWarning):
        only_b = read_run(LOGS / "cyclegan_loss_log.txt", pair="B")
    assert only_b.equals(b)
    with pytest.raises(GanalyzeError, match="pair: 'C'.*allowed: A, B"):
        read_run(LOGS / "cyclegan_loss_log.txt", pair="C")
    with pytest.raises(GanalyzeError, match="step 500 is written again"):
        read_run(LOGS / "cyclegan_loss_log.txt", pair="A", on_duplicate="error")


def test_pix2pix_loss_log():
    df = _read("pix2pix_loss_log.txt")
    assert df.step.tolist() == list(range(100, 1300, 100))
    assert df.d_loss.tolist() == pytest.approx(((df.d_loss_real + df.d_loss_fake) / 2).tolist())
    assert df.g_loss[0] == 2.4 and df.g_l1[0] == 25.0
    a = df.attrs
    assert a["source_format"] == "pix2pix-loss-log" and a["d_loss_reduction"] == "mean"
    assert "d_loss_reduction" not in a["guessed"] and a["loss"] == "nsgan" and "loss" in a["guessed"]


def test_spade_loss_log(tmp_path):
    """SPADE/GauGAN's loss_log (GAN, GAN_Feat, VGG, D_Fake, D_real): its D terms are losses, summed
    into D's loss, never D's outputs (the aliases would read D_real as D(x)); hinge unless opt.txt
    names another gan_mode in SPADE's own words."""
    lines = ["================ Training Loss (Sun Mar  1 12:00:00 2021) ================"]
    lines += [f"(epoch: {1 + k // 4}, iters: {(k % 4 + 1) * 100}, time: 0.123) GAN: 0.{k + 10} GAN_Feat: 2.1 "
              f"VGG: 3.4 D_Fake: 0.6 D_real: 1.{k + 10} " for k in range(12)]
    (tmp_path / "loss_log.txt").write_text("\n".join(lines) + "\n")
    df = read_run(tmp_path / "loss_log.txt")
    assert df.step.tolist() == [(k // 4) * 400 + (k % 4 + 1) * 100 for k in range(12)]
    assert "d_x" not in df.columns and "d_g_z1" not in df.columns
    assert df.d_loss.tolist() == pytest.approx([0.6 + 1.10 + k / 100 for k in range(12)])
    assert df.g_loss[0] == 0.10 and df.gan_feat[0] == 2.1
    a = df.attrs
    assert a["source_format"] == "spade-loss-log" and a["d_loss_reduction"] == "sum"
    assert a["loss"] == "hinge" and "gan_mode hinge" in a["guessed"]["loss"]
    (tmp_path / "opt.txt").write_text("------------ Options -------------\n   gan_mode: ls   \t[default: hinge]\n")
    stated = read_run(tmp_path / "loss_log.txt")
    assert stated.attrs["loss"] == "lsgan" and "loss" not in stated.attrs["guessed"]
    assert stated.attrs["lsgan_terms"] == "plain"


def test_a_stylegan_run_folder_reads_its_stats_in_iterations_with_its_fid(tmp_path):
    """A StyleGAN2-ADA training-runs folder (stats.jsonl, training_options.json, metric-fid50k_full.jsonl;
    no TensorBoard file) was refused as a folder; its FID fell 418 -> 29 and went unread, and
    its steps counted images, 8 per iteration at batch 8."""
    recs = (LOGS / "stylegan2_stats.jsonl").read_text()
    kimg = [json.loads(ln)["Progress/kimg"]["mean"] for ln in recs.splitlines()]
    (tmp_path / "stats.jsonl").write_text(recs)
    (tmp_path / "log.txt").write_text("tick 0     kimg 0.0      time 30s\n")
    with pytest.raises(GanalyzeError):          # no training_options.json and no stats.jsonl: no run folder
        read_run(tmp_path / "log.txt")
    opts = {"batch_size": 8, "G_opt_kwargs": {"lr": 0.002}, "D_opt_kwargs": {"lr": 0.0025}, "resume_pkl": ""}
    (tmp_path / "training_options.json").write_text(json.dumps(opts))
    (tmp_path / "metric-fid50k_full.jsonl").write_text("".join(
        json.dumps({"results": {"fid50k_full": v}, "metric": "fid50k_full",
                    "snapshot_pkl": f"network-snapshot-{round(k):06d}.pkl"}) + "\n"
        for k, v in ((kimg[0], 418.0), (kimg[-1], 29.3))) + "{torn")
    df = read_run(tmp_path)
    assert df.step.tolist() == [round(k * 1000 / 8) for k in kimg]
    assert df.attrs["step_from"].startswith("kimg x 1000 / batch_size 8") and df.attrs["hparams"] == {"lr_g": 0.002,
                                                                                                      "lr_d": 0.0025}
    assert df.fid.iloc[0] == 418.0 and df.fid.iloc[-1] == 29.3 and df.fid.iloc[1:-1].isna().all()
    assert "resumed_from" not in df.attrs
    from ganalyze.diagnose import diagnose

    assert diagnose(df).summary["logged_fid"]["best"] == 29.3


def test_chainer_logreport_json_list():
    recs = json.loads((LOGS / "log").read_text())
    df = _read("log")
    assert df.step.tolist() == [r["iteration"] for r in recs]
    assert df.d_loss.tolist() == [r["main/loss_dis"] for r in recs]
    assert df.g_loss.tolist() == [r["main/loss_gen"] for r in recs]
    assert df.time_s.tolist() == [r["elapsed_time"] for r in recs]
    assert df.attrs["source_format"] == "chainer-logreport" and df.attrs["averaged"] is True
    assert set(df.attrs["guessed"]) == {"averaged"}


def test_stylegan2_stats_jsonl():
    recs = [json.loads(ln) for ln in (LOGS / "stylegan2_stats.jsonl").read_text().splitlines()]
    df = _read("stylegan2_stats.jsonl")
    assert df.step.tolist() == [round(r["Progress/kimg"]["mean"] * 1000) for r in recs]
    assert df.d_loss.tolist() == [r["Loss/D/loss"]["mean"] for r in recs]
    assert df.d_x.tolist() == [r["Loss/scores/real"]["mean"] for r in recs]
    a = df.attrs
    assert a["source_format"] == "stylegan2-stats" and a["averaged"] is True and "averaged" not in a["guessed"]
    assert a["step_from"].startswith("kimg") and a["scores"] == "critic"
    assert set(a["guessed"]) == {"loss", "d_loss_reduction", "scores"}
    by_tick = _read("stylegan2_stats.jsonl", step_from="tick")
    assert by_tick.step.tolist() == list(range(12)) and "step_from" in by_tick.attrs["declared"]


def test_generic_jsonl_nested():
    df = _read("generic.jsonl")
    assert df.step.tolist() == list(range(0, 200, 10))
    first = json.loads((LOGS / "generic.jsonl").read_text().splitlines()[0])
    assert df.d_loss[0] == first["loss"]["D"] and df.g_loss[0] == first["loss"]["G"]
    assert df.attrs["source_format"] == "jsonl"


def test_key_value_lines():
    df = _read("keyvalue.log")
    assert df.step.tolist() == list(range(15)) and df.d_loss[2] == 1.54 and df.cost_time_m[0] == 1.2
    assert df.attrs["source_format"] == "key-value" and "epoch" in df.attrs["guessed"]["step_from"]


@pytest.mark.parametrize("name,steps,guess", [
    ("epoch_batch.csv", [0, 25, 50, 75, 76, 101, 126, 151, 152, 177, 202, 227], "76 batches per epoch"),
    ("epoch_only_gen_disc.csv", list(range(1, 13)), "the epoch is the step"),
    ("unnamed_index_G_D.csv", list(range(14)), "pandas' index"),
    ("loss_dis_gen.tsv", list(range(10)), "row number"),
])
def test_tables_without_a_step_column(name, steps, guess):
    df = _read(name)
    assert df.step.tolist() == steps and guess in df.attrs["guessed"]["step_from"]
    raw = (LOGS / name).read_text().splitlines()
    header = raw[0].replace("\t", ",").split(",")
    cells = raw[-1].replace("\t", ",").split(",")
    d_name = next(h for h in header if h in ("errD", "Disc Loss", "D", "loss_dis"))
    assert df.d_loss.iloc[-1] == float(cells[header.index(d_name)])


def test_step_from_declared_wins():
    df = _read("epoch_batch.csv", step_from="row")
    assert df.step.tolist() == list(range(12)) and "step_from" not in df.attrs["guessed"]
    assert "step_from" in df.attrs["declared"]
    df = _read("epoch_batch.csv", step_from="epoch,batch")
    assert df.step.iloc[-1] == 2 * 76 + 75
    with pytest.raises(GanalyzeError, match="step_from: 'nosuch' is not a column"):
        _read("epoch_batch.csv", step_from="nosuch")


def test_wandb_history_rows_per_step_are_merged():
    df = _read("wandb_history.csv")
    assert df.step.tolist() == list(range(12))
    assert df.d_loss.notna().all() and df.g_loss.notna().all()
    assert df.fid.notna().sum() == 3 and df.fid[3] == 74
    assert df.attrs["rows_merged"] == 24 - 12 + 3 and "duplicates_replaced" not in df.attrs
    assert df.time_s[0] == 0.5          # the step's last runtime


def test_wandb_panel_export():
    df = _read("wandb_panel.csv")
    assert df.step.tolist() == list(range(0, 120, 10)) and list(df.columns) == ["step", "d_loss", "g_loss"]
    assert df.attrs["wandb_run"] == "dcgan-7" and df.attrs["export"] == "wandb-panel"


def test_lightning_csvlogger():
    df = _read("lightning_metrics.csv")
    assert df.step.tolist() == [9, 19, 29, 39, 49, 59]
    assert df.d_loss.notna().all() and df.g_loss.notna().all()
    assert df.d_loss_epoch.notna().sum() == 3 and df.val_fid.tolist()[1::2] == [70, 67, 64]
    assert "duplicates_replaced" not in df.attrs


def test_tensor_strings_quoted_or_not():
    df = _read("tensor_strings.csv")
    assert df.step.tolist() == list(range(0, 100, 10))
    assert df.d_loss[0] == 1.3 and df.d_loss[1] == 1.4571 and df.g_loss[1] == 1.1733


def test_restarted_console_log_keeps_the_last_write():
    with pytest.warns(UserWarning, match="4 row"):
        df = _read("dcgan_restarted.log")
    assert df.step.tolist() == list(range(0, 120, 10))
    # the second session re-ran epoch 1 with values +1
    assert df.d_loss[4] == pytest.approx(math.floor((1.30 + 0.25 * math.sin(0.7 * 4) - 0.016) * 1e4 + 0.5) / 1e4 + 1)
    assert df.attrs["duplicates_replaced"] == 4


def test_columns_option_maps_any_name(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("it,critic_value,gen_obj\n0,-1.5,2.0\n1,-1.0,1.5\n")
    with pytest.raises(GanalyzeError, match="missing required column"):
        read_run(p)
    df = read_run(p, columns="d_loss=critic_value,g_loss=gen_obj", loss="wgan-gp")
    assert df.d_loss.tolist() == [-1.5, -1.0] and df.attrs["loss"] == "wgan-gp"
    assert df.attrs["columns_from"] == {"critic_value": "d_loss", "gen_obj": "g_loss", "it": "step"}
    with pytest.raises(GanalyzeError, match="columns: 'nope'.*available: it, critic_value, gen_obj"):
        read_run(p, columns="d_loss=nope")


def _write_tb(logdir, steps, scale):
    from torch.utils.tensorboard import SummaryWriter

    w = SummaryWriter(str(logdir))
    for s in steps:
        w.add_scalar("Loss/D", scale * (1.0 + s), s)
        w.add_scalar("Loss/G", scale * 2.0 * s, s)
    w.close()


def test_tensorboard_version_dirs_are_separate_runs(tmp_path):
    _write_tb(tmp_path / "lightning_logs" / "version_0", range(0, 30, 10), 1.0)
    _write_tb(tmp_path / "lightning_logs" / "version_1", range(0, 50, 10), 10.0)
    runs = read_runs(tmp_path / "lightning_logs")
    assert list(runs) == ["lightning_logs:version_0", "lightning_logs:version_1"]
    assert runs["lightning_logs:version_0"].step.tolist() == [0, 10, 20]
    assert runs["lightning_logs:version_1"].d_loss.tolist() == [10.0 * (1 + s) for s in range(0, 50, 10)]
    with pytest.raises(GanalyzeError, match=r"holds 2 runs .*--pair version_0\|version_1"):
        read_run(tmp_path / "lightning_logs")
    one = read_run(tmp_path / "lightning_logs", pair="version_1")
    assert len(one) == 5 and one.attrs["run_in_file"] == "version_1"
    assert read_run(tmp_path / "lightning_logs" / "version_0").g_loss.tolist() == [0.0, 20.0, 40.0]


def test_tensorboard_columns_option_names_tags(tmp_path):
    from torch.utils.tensorboard import SummaryWriter

    w = SummaryWriter(str(tmp_path / "tb"))
    for s in range(3):
        w.add_scalar("critic", -float(s), s)
        w.add_scalar("gen", s / 2, s)
    w.close()
    df = read_run(tmp_path / "tb", columns="d_loss=critic,g_loss=gen")
    assert df.d_loss.tolist() == [0.0, -1.0, -2.0] and df.g_loss.tolist() == [0.0, 0.5, 1.0]


def test_tf2_tensor_scalars_written_with_a_coarse_step_are_read_in_order(tmp_path):
    """TF2's tf.summary.scalar stores 0-d tensors (torch's new_style=True writes the same); the TF
    pix2pix tutorial writes step=step // 1000, so each written step holds 1,000 steps in order."""
    from torch.utils.tensorboard import SummaryWriter

    w = SummaryWriter(str(tmp_path / "tb"))
    for s in range(10):                        # 4 writes per written step; the last step is partial
        w.add_scalar("disc_loss", 1.0 + s, s // 4, new_style=True)
        w.add_scalar("gen_gan_loss", 0.5 * s, s // 4, new_style=True)
        w.add_scalar("gen_total_loss", 100.0 + s, s // 4, new_style=True)
    w.close()
    df = read_run(tmp_path / "tb")
    assert df.step.tolist() == list(range(10)) and df.d_loss.tolist() == [1.0 + s for s in range(10)]
    assert df.g_loss.tolist() == [0.5 * s for s in range(10)]        # the adversarial part, not the total
    assert "step=step // 4" in df.attrs["guessed"]["step_from"]


def test_stylegan2_ada_events_read_as_its_stats_jsonl(tmp_path):
    """StyleGAN2-ADA writes its tick means with global_step = kimg (rounded down): the step is
    Progress/kimg x 1000, as for stats.jsonl, and Loss/scores/* are D's logits."""
    from torch.utils.tensorboard import SummaryWriter

    w = SummaryWriter(str(tmp_path / "tb"))
    for tick, kimg in enumerate((0.032, 4.032, 8.032)):
        for tag, v in {"Loss/D/loss": 1.2 - 0.1 * tick, "Loss/G/loss": 0.9 + tick, "Loss/scores/real": 0.5,
                       "Loss/scores/fake": -0.5, "Progress/kimg": kimg, "Progress/tick": tick}.items():
            w.add_scalar(tag, v, int(kimg))
    w.close()
    df = read_run(tmp_path / "tb")
    assert df.step.tolist() == [32, 4032, 8032] and df.attrs["source_format"] == "stylegan2-tfevents"
    assert df.d_x.tolist() == [0.5] * 3 and df.attrs["scores"] == "critic" and df.attrs["averaged"]
    assert df.attrs["loss"] == "nsgan" and "loss" in df.attrs["guessed"]


def test_legacy_inferred_meta_of_written_runs_becomes_guessed(tmp_path):
    from ganalyze.runlog import write_run

    df = _read("dcgan_spaced_brackets.log")
    write_run(df, tmp_path / "run")
    back = read_run(tmp_path / "run")
    assert back.attrs["guessed"] == df.attrs["guessed"] and back.attrs["loss"] == "nsgan"
    declared = read_run(tmp_path / "run", loss="lsgan")
    assert declared.attrs["loss"] == "lsgan" and "loss" not in declared.attrs["guessed"]
    assert np.array_equal(back.d_loss.to_numpy(), df.d_loss.to_numpy())


def test_console_numbers_of_every_shape(tmp_path):
    p = tmp_path / "train.out"
    p.write_text("it=0 D_loss=1e-3 G_loss=-2.5 acc=50%\n"
                 "it=1 D_loss=nan G_loss=-inf acc=75.5%\n"
                 "it=2 D_loss=.25 G_loss=3 acc=100%\n"
                 "it=3 D_loss=2.5E+1 G_loss=+0.5 acc=0%\n")
    df = read_run(p)
    assert df.step.tolist() == [0, 1, 2, 3]
    assert df.d_loss[0] == 1e-3 and np.isnan(df.d_loss[1]) and df.d_loss[2] == 0.25 and df.d_loss[3] == 25.0
    assert df.g_loss.tolist() == [-2.5, -np.inf, 3.0, 0.5]
    assert df.acc.tolist() == [0.5, 0.755, 1.0, 0.0]


def test_tensorboard_restart_rewrites_are_counted_or_refused(tmp_path):
    _write_tb(tmp_path / "tb", range(0, 40, 10), 1.0)
    _write_tb(tmp_path / "tb", range(20, 50, 10), 3.0)        # resumed from step 20, same directory
    with pytest.warns(UserWarning, match="4 value"):
        df = read_run(tmp_path / "tb")
    assert df.step.tolist() == [0, 10, 20, 30, 40] and df.d_loss.tolist() == [1.0, 11.0, 63.0, 93.0, 123.0]
    assert df.attrs["duplicates_replaced"] == 4
    with pytest.raises(GanalyzeError, match="written again"):
        read_run(tmp_path / "tb", on_duplicate="error")


def test_percent_cells_are_fractions_and_text_columns_are_dropped(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("step,d_loss,g_loss,d_acc,note\n0,1.3,0.7,62.5%,start\n1,1.2,0.8,50%,ok\n")
    with pytest.warns(UserWarning, match="ignoring non-numeric column.*note"):
        df = read_run(p)
    assert df.d_acc.tolist() == [0.625, 0.5] and "note" not in df.columns
    # an extra column with text among its numbers (a hyper-parameter dump's first row) is dropped too: it
    # refused the log ("column 'params' has non-numeric value '[0.1 0.5 ...]'") though nothing read it
    p.write_text("step,d_loss,g_loss,params\n0,1.3,0.7,[0.1 0.5 1.0]\n1,1.2,0.8,2\n2,1.1,0.9,\n")
    with pytest.warns(UserWarning, match="ignoring non-numeric column.*params"):
        assert read_run(p).d_loss.tolist() == [1.3, 1.2, 1.1]


@pytest.mark.parametrize("lines,steps,d_loss", [
    # "Step N, time: [D loss: .., acc: ..] [G loss: .., acc: ..]" (acc belongs to the bracket's D or G)
    (["Step 100, 34min: [D loss: 0.701930, acc: 0.507812]  [G loss: 0.835322, acc: 0.207031]",
      "Step 200, 35min: [D loss: 0.600000, acc: 0.500000]  [G loss: 0.900000, acc: 0.200000]"], [100, 200], 0.70193),
    # "epoch-batch [D loss ...]"
    (["0-0 [D loss: 1.276546, acc.: 19.23%] [G loss: 0.915510] [Time: 6.406097]",
      "0-1 [D loss: 1.179309, acc.: 51.92%] [G loss: 0.589891] [Time: 3.348730]",
      "1-0 [D loss: 0.725383, acc.: 55.77%] [G loss: 1.024403] [Time: 3.455094]"], [0, 1, 2], 1.276546),
    # "G loss::" (double colon) and an elapsed time with a unit
    (["[Epoch 0/200] [D loss: 0.682269] [G loss:: 0.351552] [Elapsed Time: 19.42s",
      "[Epoch 1/200] [D loss: 0.561312] [G loss:: 2.071228] [Elapsed Time: 38.81s"], [0, 1], 0.682269),
    # "Epoch [e/E], Step [i/N]" with i printed from 1 (reaches N)
    (["Epoch [0/200], Step [300/600], d_loss: 0.0473, g_loss: 4.4, D(x): 0.99, D(G(z)): 0.04",
      "Epoch [0/200], Step [600/600], d_loss: 0.0400, g_loss: 4.5, D(x): 0.98, D(G(z)): 0.05",
      "Epoch [1/200], Step [300/600], d_loss: 0.0300, g_loss: 4.6, D(x): 0.97, D(G(z)): 0.06"], [299, 599, 899], 0.0473),
    # values in brackets after their label, no colon; a batch counter without its total, from 1
    (["Epoch [0] Batch [1] Disc Loss [1.4451617002487183] Gen Loss [0.726980447769165]",
      "Epoch [0] Batch [2] Disc Loss [1.4160327911376953] Gen Loss [0.5872454643249512]",
      "Saving checkpoint...Time for epoch 1 is 341.2 sec",
      "Epoch [1] Batch [1] Disc Loss [1.3962370157241821] Gen Loss [0.5030408501625061]"], [0, 1, 2], 1.4451617002487183),
    # a counter glued to its number ("iteration700"), restarting at each epoch; printed at every 100th
    # iteration and never at 0, so counted from 1: 200 per epoch
    (["epoch 0 iteration100, G Loss: 0.7387809753417969, D Loss: 1.3862414360046387",
      "epoch 0 iteration200, G Loss: 0.7219143509864807, D Loss: 1.386215090751648",
      "epoch 1 iteration100, G Loss: 0.7420035004615784, D Loss: 1.3866664171218872"], [99, 199, 299], 1.3862414360046387),
    # a lone "[n/N]" counter with a total in the thousands counts iterations (U-GAT-IT), not epochs
    (["[    1/10000] time: 2.8011 d_loss: 25.01542282, g_loss: 16371.08007812",
      "[    2/10000] time: 4.5108 d_loss: 496.77969360, g_loss: 17830.16015625"], [1, 2], 25.01542282),
    # ... and with a total under a thousand, epochs (a time-series GAN's README; it was read as
    # steps 1, 2, 3: the template's probe line, not the printed total, decided)
    (["[1/50]\tLoss_D: 1.3978\tLoss_G: 0.6393", "[2/50]\tLoss_D: 1.3843\tLoss_G: 0.7217",
      "[3/50]\tLoss_D: 1.3909\tLoss_G: 0.6461"], [0, 1, 2], 1.3978),
])
def test_console_line_variants_of_public_gan_code(tmp_path, lines, steps, d_loss):
    p = tmp_path / "out.txt"
    p.write_text("\n".join(lines) + "\n")
    df = read_run(p)
    assert df.step.tolist() == steps and df.d_loss[0] == d_loss
    assert "time_s" not in df.columns or df.time_s.notna().all() and (df.time_s > 1).all()
    pytorch_gan = {"lsgan_terms"} if df.attrs["source_format"] == "pytorch-gan-console" else set()   # its nn.MSELoss
    assert df.attrs["guessed"].keys() <= {"step_from"} | pytorch_gan and df.attrs["loss"] == "unknown"


def test_stargan_slash_names_sum_d_terms_and_take_g_adversarial_term(tmp_path):
    """StarGAN's ``D/loss_real: .., D/loss_fake: .., D/loss_cls: .., G/loss_fake: ..``: no total is
    printed, so D's loss is its real + fake terms (the critic loss, without the penalty and the
    classification term) and G's loss its adversarial term; a ``G/loss`` total, where a fork logs
    one, would win over it."""
    lines = [f"Elapsed [0:00:{k:02d}], Iteration [{10 * (k + 1)}/200000], D/loss_real: -{k + 1}.5000, "
             f"D/loss_fake: 0.{k + 1}000, D/loss_cls: 2.7000, D/loss_gp: 0.4000, G/loss_fake: -0.{k + 2}000, "
             f"G/loss_rec: 0.3000, G/loss_cls: 1.9000" for k in range(5)]
    (tmp_path / "stargan.txt").write_text("\n".join(lines) + "\n")
    df = read_run(tmp_path / "stargan.txt")
    assert df.step.tolist() == [10, 20, 30, 40, 50]
    assert df.d_loss.tolist() == pytest.approx([-(k + 1.5) + (k + 1) / 10 for k in range(5)])
    assert df.g_loss.tolist() == pytest.approx([-(k + 2) / 10 for k in range(5)])
    assert df.d_loss_cls[0] == 2.7 and df.g_loss_rec[0] == 0.3
    assert "no total D loss" in df.attrs["d_loss_from"]
    (tmp_path / "fork.txt").write_text("\n".join(ln + f", G/loss: {k}.5" for k, ln in enumerate(lines)) + "\n")
    fork = read_run(tmp_path / "fork.txt")
    assert fork.g_loss.tolist() == [0.5, 1.5, 2.5, 3.5, 4.5] and fork.g_loss_fake[0] == -0.2
    # a fork that prints the iteration on a line of its own and the values on the next
    two = [f"[2025-08-05 06:27:{k:02d}] Iteration [{5 * (k + 1)}/3000]\nD/loss_real: -0.{k + 1}000 | D/loss_fake: 0.0200 | "
           f"D/loss_gp: 0.3400 | G/loss_fake: -0.0200 | G/loss_rec: 0.5800 | " for k in range(4)]
    (tmp_path / "two.txt").write_text("\n".join(two) + "\n")
    t = read_run(tmp_path / "two.txt")
    assert t.step.tolist() == [5, 10, 15, 20] and t.d_loss.tolist() == pytest.approx([-0.08, -0.18, -0.28, -0.38])


_BASICSR_OPTIONS = """2021-03-01 12:00:00,001 INFO:
  name: ESRGAN_x4
  model_type: {model}
  train:[
    optim_g:[
      type: Adam
      lr: 0.0001
    ]
    optim_d:[
      type: Adam
      lr: 0.0002
    ]
    pixel_opt:[
      type: L1Loss
      loss_weight: 0.01
    ]
    gan_opt:[
      type: GANLoss
      gan_type: {gan_type}
      loss_weight: 0.1
    ]
  ]
"""


@pytest.mark.parametrize("model,gan_type,loss,reduction", [
    ("ESRGANModel", "vanilla", "relativistic", "mean"),
    ("RealESRGANModel", "vanilla", "nsgan", "sum"),
    ("SRGANModel", "lsgan", "lsgan", "sum"),
])
def test_basicsr_log_reads_its_options_dump(tmp_path, model, gan_type, loss, reduction):
    """BasicSR's lines (an iteration printed with thousands separators, l_d_real + l_d_fake, l_g_gan)
    and its options dump: the model and gan_type give the loss (ESRGAN's is relativistic: unsupported,
    and its halved D terms add up to a mean), gan_opt's loss_weight undoes the weight on l_g_gan
    (the pixel loss's weight is not it), optim_g/optim_d the learning rates."""
    lines = [f"2021-03-01 12:{k:02d}:00,123 INFO: [train..][epoch:  0, iter:{500 * (k + 1):8,d}, lr:(1.000e-04,)] "
             f"[eta: 1 day, 2:03:04, time (data): 0.512 (0.003)] l_g_pix: 1.2e-02 l_g_percep: 3.4e+00 "
             f"l_g_gan: {0.05 + k / 100:.4e} l_d_real: 6.0e-01 out_d_real: 1.5e+00 l_d_fake: 7.0e-01 "
             f"out_d_fake: -1.2e+00 " for k in range(6)]
    p = tmp_path / "train_ESRGAN_x4_20210301.log"
    p.write_text(_BASICSR_OPTIONS.format(model=model, gan_type=gan_type) + "\n".join(lines) + "\n")
    df = read_run(p)
    assert df.step.tolist() == [500, 1000, 1500, 2000, 2500, 3000]
    assert df.d_loss.tolist() == pytest.approx([1.3] * 6)
    assert df.g_loss.tolist() == pytest.approx([(0.05 + k / 100) / 0.1 for k in range(6)])
    assert df.l_g_gan_weighted[0] == pytest.approx(0.05) and df.d_x[0] == 1.5 and df.d_g_z1[0] == -1.2
    assert not {"eta", "data"} & set(df.columns)
    a = df.attrs
    assert a["source_format"] == "basicsr-console" and a["loss"] == loss and "loss" not in a["guessed"]
    assert a["d_loss_reduction"] == reduction and a["scores"] == "critic"
    assert a["averaged"] is False and "get_current_log" in a["guessed"]["averaged"]
    assert a["hparams"] == {"lr_g": 0.0001, "lr_d": 0.0002}
    p.write_text(_BASICSR_OPTIONS.format(model=model, gan_type=gan_type).replace("loss_weight: 0.1", "loss_weight: 0.0")
                 + "\n".join(lines) + "\n")
    zero = read_run(p)                 # a GAN weight of 0 (a fine-tune without the adversarial term): said, not divided by
    assert zero.g_loss[0] == pytest.approx(0.05) and "GAN weight is 0" in zero.attrs["g_loss_from"]
    old = tmp_path / "old.log"         # the old ESRGAN codes' line, no options dump: nothing assumed
    old.write_text("".join(f"21-03-01 12:00:00.123 - INFO: <epoch:  0, iter:{1000 * (k + 1):8,d}, lr:1.000e-04> "
                           f"l_g_pix: 1.0e-02 l_g_fea: 1.5e+00 l_g_gan: 3.0e-02 l_d_real: 5.0e-02 l_d_fake: 4.0e-02 "
                           f"D_real: 7.1e+00 D_fake: -6.2e+00 \n" for k in range(4)))
    o = read_run(old)
    assert o.step.tolist() == [1000, 2000, 3000, 4000] and o.d_loss[0] == pytest.approx(0.09)
    assert o.g_loss[0] == 0.03 and o.d_x[0] == 7.1 and o.attrs["loss"] == "unknown"
    assert "does not state" in o.attrs["g_loss_from"]


def test_epoch_means_named_average_are_read(tmp_path):
    """``Epoch Num,Average FID,Average Generator Loss,Average Discriminator Loss`` (a TF GauGAN's CSV):
    the ``Average`` prefix is a decoration like ``train_``, ``Epoch Num`` the epoch."""
    (tmp_path / "losses.csv").write_text("Epoch Num,Average FID,Average Generator Loss,Average Discriminator Loss\n"
                                         + "".join(f"{k},{90 - k},{600 - k},{5 / (k + 1)}\n" for k in range(5)))
    df = read_run(tmp_path / "losses.csv")
    assert df.step.tolist() == [0, 1, 2, 3, 4] and df.g_loss[1] == 599 and df.d_loss[4] == 1.0
    assert df.attrs["step_from"] == "epoch" and df.fid.tolist() == [90, 89, 88, 87, 86]


def test_durations_names_and_terms_of_public_csv_logs(tmp_path):
    """A StarGAN CSV whose elapsed time is ``0:00:07`` (a duration, not refused as text), and a Keras
    DCGAN's pandas CSV (``disc_fake_loss, disc_real_loss, gan_loss, mean_disc_loss``: the combined
    model's loss is G's, the mean of D's terms its loss, whose reduction the terms then show)."""
    (tmp_path / "log.csv").write_text("Elapsed Time,Iteration,D/loss_real,D/loss_fake,D/loss_gp,G/loss_fake\n"
                                      "0:00:07,100,-3.9,-0.7,0.01,0.4\n0:01:11,200,-2.5,-0.4,0.01,0.6\n"
                                      "\"1 day, 2:03:04\",300,-2.0,-0.3,0.01,0.5\n")
    df = read_run(tmp_path / "log.csv")
    assert df.time_s.tolist() == [7.0, 71.0, 93784.0] and df.step.tolist() == [100, 200, 300]
    assert df.d_loss.tolist() == pytest.approx([-4.6, -2.9, -2.3]) and df.g_loss.tolist() == [0.4, 0.6, 0.5]
    (tmp_path / "keras.csv").write_text("epochs,disc_fake_loss,disc_real_loss,gan_loss,mean_disc_loss\n"
                                        + "".join(f"{k},0.{6 + k},0.{4 + k},0.9,{(0.6 + 0.4 + 0.2 * k) / 2}\n"
                                                  for k in range(3)))
    k = read_run(tmp_path / "keras.csv")
    assert k.step.tolist() == [0, 1, 2] and k.g_loss.tolist() == [0.9] * 3
    assert k.d_loss.tolist() == pytest.approx(((k.d_loss_real + k.d_loss_fake) / 2).tolist())


def test_evaluations_printed_on_lines_of_their_own_are_columns_at_their_step(tmp_path):
    """StudioGAN prints its losses every 100 steps and, every 2,000, "FID score (Step: N, ...): v" and
    "Inception score (Step: N, ...): v" lines: columns fid / inception_score at those steps, NaN
    elsewhere; its "Best FID score" line repeats the best so far and is not read."""
    lines = []
    for k in range(1, 9):
        lines.append(f"[INFO] 2020-09-18 23:4{k}:00 > Step: {500 * k:7d} Progress: {k}.0% Elapsed: 0:0{k}:00 "
                     f"temperature: no ada_p: No Discriminator_loss: 0.8{k} Generator_loss: 1.{k} ")
        if k % 2 == 0:
            lines += [f"[INFO] 2020-09-18 23:4{k}:30 > FID score (Step: {500 * k}, Using test moments): {50 - k}.5",
                      f"[INFO] 2020-09-18 23:4{k}:30 > Inception score (Step: {500 * k}, 10000 generated images): {k}.25",
                      f"[INFO] 2020-09-18 23:4{k}:30 > Best FID score (Step: {500 * k}, Using test moments): 1.0"]
    (tmp_path / "studiogan.log").write_text("\n".join(lines) + "\n")
    df = read_run(tmp_path / "studiogan.log")
    assert df.step.tolist() == [500 * k for k in range(1, 9)] and df.d_loss[0] == 0.81
    assert df.fid.tolist()[1::2] == [48.5, 46.5, 44.5, 42.5] and df.fid.isna().tolist()[0::2] == [True] * 4
    assert df.inception_score.dropna().tolist() == [2.25, 4.25, 6.25, 8.25]
    # past a day its elapsed time reads "1 day, 0:00:57": a time, as "0:09:33" is, not the value 1
    (tmp_path / "day.log").write_text("".join(f"[INFO] > Step: {100 * k:7d} Progress: 0.{k}% Elapsed: {k} day{'s' * (k > 1)}, "
                                              f"0:00:57 Gen_loss: 4.4 Dis_loss: 0.4{k} \n" for k in range(1, 4)))
    day = read_run(tmp_path / "day.log")
    assert "elapsed" not in day.columns and "time_s" not in day.columns and day.d_loss.tolist() == [0.41, 0.42, 0.43]


def test_studiogan_config_line_states_the_loss_rates_and_extra_terms(tmp_path):
    """StudioGAN writes its configuration as a dict line at the top of each log: its adv_loss is the
    loss (an ACGAN hinge run, every value positive with the classifier's CE added, was guessed nsgan
    and judged at 1.39 / 0.693), its learning rates and D steps per iteration the run's settings,
    and ACGAN's classifier term makes G's logged loss composite."""
    from ganalyze.diagnose.metadata import infer_metadata

    config = ("{'model': {'architecture': 'resnet', 'conditional_strategy': 'ACGAN', 'd_spectral_norm': True}, "
              "'optimization': {'optimizer': 'Adam', 'batch_size': 64, 'd_lr': 0.0004, 'g_lr': 0.0001, "
              "'g_steps_per_iter': 1, 'd_steps_per_iter': 5, 'total_step': 20000}, 'loss_function': {'adv_loss': 'hinge'}}")
    lines = ["[INFO] 2021-01-01 10:00:00 > Run name : ACGAN-train", f"[INFO] 2021-01-01 10:00:00 > {config}"]
    lines += [f"[INFO] 2021-01-01 10:00:00 > Step: {100 * k:7d} Progress: 0.{k}% Elapsed: 0:01:00 temperature: no "
              f"ada_p: No Discriminator_loss: {1.6 - k / 100:.4f} Generator_loss: {2.5 + k / 50:.4f} " for k in range(1, 41)]
    p = tmp_path / "ACGAN-train.log"
    p.write_text("\n".join(lines) + "\n")
    df = read_run(p)
    assert df.attrs["loss"] == "hinge" and df.attrs["source_format"] == "studiogan-console"
    assert df.attrs["hparams"] == {"lr_d": 0.0004, "lr_g": 0.0001, "d_steps": 5.0, "g_steps": 1.0}
    meta = infer_metadata(df)
    assert meta.loss == "hinge" and meta.d_loss_reduction == "sum" and meta.g_loss_terms == "composite"
    assert meta.config.d_steps == 5 and meta.config.lr_d == 0.0004
    # unconditional least squares: LSGAN, G's loss its adversarial term
    p.write_text("\n".join(ln.replace("'ACGAN'", "'no'").replace("'hinge'", "'least_square'") for ln in lines) + "\n")
    ls = infer_metadata(read_run(p))
    assert ls.loss == "lsgan" and ls.g_loss_terms == "adversarial"


def test_a_console_log_that_starts_again_from_its_first_step_holds_several_runs(tmp_path):
    """SinGAN trains one GAN per scale and prints "Iteration 0 .. 2000" for each: a counter that goes
    back to where the file began starts another run (run1, run2, ...), each read whole; a resume,
    which goes back to a checkpoint's later step, still replaces (dcgan_restarted.log)."""
    lines = []
    for scale in range(3):
        lines.append(f"Scale #{scale + 1}")
        lines += [f"2022-04-16 16:07:2{k} - INFO - Iteration {200 * k}, D: -{scale}.{k + 1}, D_gp: 0.3, "
                  f"G: 0.{k + 1}, G_adv: 0.0{k + 1}" for k in range(5)]
    (tmp_path / "singan.log").write_text("\n".join(lines) + "\n")
    runs = read_runs(tmp_path / "singan.log")
    assert list(runs) == ["singan:run1", "singan:run2", "singan:run3"]
    for scale, df in enumerate(runs.values()):
        assert df.step.tolist() == [0, 200, 400, 600, 800] and df.d_loss[0] == -(scale + 0.1)
        assert df.attrs["runs_in_file"] == 3 and df.attrs["run_in_file"] == f"run{scale + 1}"
    with pytest.raises(GanalyzeError, match="holds 3 runs"):
        read_run(tmp_path / "singan.log")
    assert read_run(tmp_path / "singan.log", pair="run2").d_loss.tolist() == [-1.1, -1.2, -1.3, -1.4, -1.5]


def test_a_step_counter_that_starts_again_each_epoch_is_one_run(tmp_path):
    """'epoch 1 iteration100': an iteration counter that starts again with each epoch goes back at
    every epoch, but (epoch, iteration) does not: one run, not one run per epoch (a public
    diffusion-GAN log was split into 64 runs of 7 rows)."""
    lines = [f"epoch {e} iteration{100 * (k + 1)}, G Loss: 0.7{k}, D Loss: 1.38{k}" for e in range(6) for k in range(7)]
    (tmp_path / "losses.txt").write_text("\n".join(lines) + "\n")
    runs = read_runs(tmp_path / "losses.txt")
    assert list(runs) == ["losses"] and len(runs["losses"]) == 42
    assert runs["losses"].step.is_monotonic_increasing
    twice = lines + lines                       # the script run again from the start: another run
    (tmp_path / "twice.txt").write_text("\n".join(twice) + "\n")
    assert list(read_runs(tmp_path / "twice.txt")) == ["twice:run1", "twice:run2"]


def test_coursera_wgan_prints_with_a_stray_code_line(tmp_path):
    """'Step 50: Generator loss: -0.13, critic loss: 2.04' (the Coursera WGAN-GP notebook): the
    counter, then spaced labels; before, 'Generator loss' was read as 'loss' and the log refused
    for a missing g_loss. A code line of the notebook's markdown export that holds a loss and no
    step ('gen_loss = -1 * ...') is skipped with a warning, not a refusal for a NaN step."""
    lines = ["    gen_loss = -1 * torch.mean(crit_fake_pred)", "```"]
    lines += [f"    Step {50 * k}: Generator loss: {k / 10 - 0.5:.3f}, critic loss: {2 - k / 5:.3f}" for k in range(1, 9)]
    (tmp_path / "wgan.md").write_text("\n".join(lines) + "\n")
    with pytest.warns(UserWarning, match="skipping 1 line.*gen_loss = -1"):
        df = read_run(tmp_path / "wgan.md")
    assert df.step.tolist() == [50 * k for k in range(1, 9)] and df.g_loss[0] == -0.4 and df.d_loss[0] == 1.8
    assert "gen_loss" not in df.columns


def test_a_console_log_two_processes_wrote_at_once_is_refused(tmp_path):
    """A ``logging`` file two training processes append to at the same time alternates their lines
    (epochs 7, 0, 8, 1, 9, 2, ...: a public DCGAN-tensorflow log): refused in one line, where its
    lines were read as two runs with a third of them 'replaced by a restart'; a log resumed twice
    from checkpoints still reads."""
    a = [f"Epoch: [{e:2d}] [3164/3165] time: {1000 * (e + 1)}.0, dis_loss: 0.3{e % 10}, gen_loss: 3.{e % 10}" for e in range(12)]
    b = [f"Epoch: [{e:2d}] [3164/3165] time: {1100 * (e + 1)}.0, dis_loss: 0.4{e % 10}, gen_loss: 2.{e % 10}" for e in range(8)]
    lines = a[:6] + [x for pair in zip(a[6:], b[:6]) for x in pair]
    (tmp_path / "dcgan.log").write_text("\n".join(lines) + "\n")
    with pytest.raises(GanalyzeError, match="interleaved in this log: its step or epoch counter goes back 6 times in the 12 lines"):
        read_runs(tmp_path / "dcgan.log")
    resumed = a[:8] + [x.replace("gen_loss: 3.", "gen_loss: 4.") for x in a[5:10]] + a[8:]   # two resumes
    (tmp_path / "resumed.log").write_text("\n".join(resumed) + "\n")
    with pytest.warns(UserWarning, match="replaced by a later write"):
        assert read_run(tmp_path / "resumed.log").epoch.tolist() == list(range(12))


def test_wgan_console_steps_are_generator_iterations_and_its_fake_loss_is_negated(tmp_path):
    """The original WGAN code prints [epoch/E][critic batch/B][generator iteration] once per G
    step (100 critic batches per G step early on), a label without a colon, and Loss_D_fake in
    its critic's sign: Loss_D = Loss_D_real - Loss_D_fake."""
    p = tmp_path / "wgan.txt"
    p.write_text("[0/25][100/1583][1] Loss_D: -0.0123 Loss_G: 0.0153 Loss_D_real: -0.0122 Loss_D_fake 0.0001 time: 0:00:38.2\n"
                 "[0/25][200/1583][2] Loss_D: -0.0323 Loss_G: 0.0253 Loss_D_real: -0.0222 Loss_D_fake 0.0101 time: 0:00:40.1\n"
                 "[0/25][205/1583][3] Loss_D: -0.0300 Loss_G: 0.0250 Loss_D_real: -0.0200 Loss_D_fake 0.0100 time: 0:00:40.3\n")
    df = read_run(p)
    assert df.step.tolist() == [0, 1, 2] and df.attrs["source_format"] == "wgan-console"
    assert np.allclose(df.d_loss, df.d_loss_real + df.d_loss_fake) and df.d_loss_fake.tolist() == [-0.0001, -0.0101, -0.01]
    assert df.attrs["loss"] == "wgan-gp" and "generator iterations" in df.attrs["step_from"]
    assert "time_s" not in df.columns or (df.time_s > 1).all()


def test_iteration_column_that_restarts_each_epoch_counts_batches(tmp_path):
    p = tmp_path / "log.csv"
    p.write_text("epoch,iter,errD,errG\n0,0,1.4,0.7\n0,50,1.3,0.8\n0,99,1.2,0.9\n1,0,1.1,1.0\n1,50,1.0,1.1\n")
    df = read_run(p)
    assert df.step.tolist() == [0, 50, 99, 100, 150]
    assert "restarts at each new epoch" in df.attrs["guessed"]["step_from"] and "duplicates_replaced" not in df.attrs


def test_wandb_panel_export_of_two_runs_is_two_runs(tmp_path):
    p = tmp_path / "panel.csv"
    p.write_text('"Step","run-a - d_loss","run-a - g_loss","run-b - d_loss","run-b - g_loss"\n'
                 '"0","1.4","0.7","1.3","0.8"\n"10","1.2","0.9",,\n"20","1.1","1.0","1.0","1.1"\n')
    runs = read_runs(p)
    assert list(runs) == ["panel:run-a", "panel:run-b"]
    assert runs["panel:run-a"].step.tolist() == [0, 10, 20]
    assert runs["panel:run-b"].step.tolist() == [0, 20] and runs["panel:run-b"].g_loss.tolist() == [0.8, 1.1]


def test_tflib_plot_prints_of_the_wgan_gp_code():
    """igul222/improved_wgan_training's ``lib.plot.flush()``: ``iter N`` then tab-separated
    name/value pairs in any order, each the mean since the previous print (iterations 0-4, then
    every 100th); the first line has no G cost (G is not trained at iteration 0)."""
    df = _read("tflib_plot.log")
    assert df.step.tolist() == [0, 1, 2, 3, 4, 99, 199, 299, 399]
    assert math.isnan(df.g_loss[0]) and df.g_loss[2] == 0.16121 and df.d_loss[5] == -2.90873   # not the dev cost
    a = df.attrs
    assert a["source_format"] == "tflib-plot" and a["averaged"] is True and "every 100" in a["guessed"]["averaged"]
    assert a["loss"] == "wgan-gp" and a["scores"] == "critic" and "goes negative" in a["guessed"]["loss"]
    assert a["columns_from"]["train disc cost"] == "d_loss" and a["columns_from"].get("time") != "time_s"


def test_tflib_plot_prints_without_a_g_cost_or_from_a_bce_mode(tmp_path):
    """``gan_toy.py`` plots only ``disc cost``: one line naming the missing G loss. A D cost that
    never goes negative (the code's dcgan mode) gets no loss guess from the reader."""
    p = tmp_path / "toy.log"
    p.write_text("iter 99\tdisc cost\t-0.811114370823\niter 199\tdisc cost\t-0.382090866566\n")
    with pytest.raises(GanalyzeError, match=r"missing required column\(s\) g_loss"):
        read_run(p)
    p.write_text("iter 99\ttrain disc cost\t0.61\ttrain gen cost\t0.93\niter 199\ttrain disc cost\t0.58\ttrain gen cost\t1.02\n")
    a = read_run(p).attrs
    assert a["source_format"] == "tflib-plot" and "loss" not in a["guessed"] and a["averaged"] is True


def test_a_pickle_is_refused_without_being_loaded(tmp_path):
    import pickle

    class Boom:
        def __reduce__(self):
            return (exec, ("raise SystemExit('unpickled')",))

    for name, payload in (("log.pkl", {"train disc cost": {99: -1.0}}), ("trap.bin", Boom())):
        p = tmp_path / name
        p.write_bytes(pickle.dumps(payload, protocol=2))
        with pytest.raises(GanalyzeError, match="is a Python pickle, which ganalyze never loads"):
            read_run(p)


def test_biggan_pytorch_log_folder():
    """BigGAN-PyTorch's utils.MyLogger: one ``<metric>.log`` of ``itr: value`` lines per metric
    (here resumed at itr 6, so 7 and 8 are written twice; the later write wins); d_loss is the
    sum of D_loss_real and D_loss_fake, as the code's D_loss; the singular-value files are left
    alone; a negative G loss makes the hinge guess sure of its reason."""
    df = _read("biggan_logs")
    assert df.step.tolist() == [1, 2, 3, 4, 5, 6, 7, 8]
    assert df.g_loss.tolist()[-2:] == [0.508, 0.722] and df.g_loss[2] == -0.12
    assert np.allclose(df.d_loss, df.d_loss_real + df.d_loss_fake) and df.d_loss[0] == 1.002 + 0.998
    a = df.attrs
    assert a["source_format"] == "biggan-logs" and a["duplicates_replaced"] == 2
    assert a["d_loss_reduction"] == "sum" and "d_loss_reduction" not in a["guessed"]
    assert a["loss"] == "hinge" and "goes negative" in a["guessed"]["loss"] and a["scores"] == "critic"
    assert not any("sv" in c for c in df.columns)


def test_a_folder_of_no_known_log_says_what_it_looked_for(tmp_path):
    (tmp_path / "notes.log").write_text("1: 0.5\n")
    with pytest.raises(GanalyzeError, match="BigGAN-PyTorch G_loss.log"):
        read_run(tmp_path)
    (tmp_path / "G_loss.log").write_text("1: 0.5\n2: 0.4\n")
    with pytest.raises(GanalyzeError, match=r"missing required column\(s\) d_loss"):
        read_run(tmp_path)


def test_lucidrains_stylegan2_pytorch_prints_are_every_50_steps():
    """``G: .. | D: .. | GP: .. | PL: ..`` printed after every 50th step, glued to the tqdm bar it
    was written behind: no step in the line, so step = (row + 1) x 50, guessed with its reason;
    the bar's own counters are not read as the step."""
    df = _read("stylegan2_pytorch.log")
    assert df.step.tolist() == [50 * (k + 1) for k in range(12)] and df.g_loss[0] == 0.34 and df.d_loss[0] == 1.79
    a = df.attrs
    assert a["source_format"] == "stylegan2-pytorch-console" and "every 50th step" in a["guessed"]["step_from"]
    assert (a["loss"], a["d_loss_reduction"], a["scores"]) == ("hinge", "sum", "critic")
    assert _read("stylegan2_pytorch.log", step_from="row").step.tolist() == list(range(12))


def test_lucidrains_lightweight_gan_resumed_counts_on_from_its_bar(tmp_path):
    """lightweight-gan prints the same line with ``SS`` behind a tqdm bar that starts at the resumed
    step (``68000/200000``) and lags its refresh (68044, 68097, ...): step = the first bar's counter
    + 50 per print, hinge; before, the line was not recognised (row numbers 0..7 as steps, nsgan)."""
    bars = [68000, 68044, 68097, 68144, 68197, 68244]
    p = tmp_path / "lightweight.log"
    p.write_text("continuing from previous epoch - 68\n" + "".join(
        f"mydog<./data>:  34% {b}/200000 [02:01<94:05:16,  2.57s/it]G: {2 + k / 10:.2f} | D: 0.0{k} | GP: 0.11 | SS: 0.01\n"
        for k, b in enumerate(bars)))
    df = read_run(p)
    assert df.step.tolist() == [68000 + 50 * k for k in range(6)] and df.g_loss[1] == 2.1 and df.ss[0] == 0.01
    assert df.attrs["loss"] == "hinge" and "68000: a resumed run" in df.attrs["guessed"]["step_from"]


def test_step_from_row_times_n(tmp_path):
    p = tmp_path / "every100.log"
    p.write_text("".join(f"D_loss: {1.3 - k / 100:.3f} G_loss: {0.8 + k / 50:.3f}\n" for k in range(6)))
    assert read_run(p).step.tolist() == list(range(6)) and "row number" in read_run(p).attrs["guessed"]["step_from"]
    df = read_run(p, step_from="row*100")
    assert df.step.tolist() == [0, 100, 200, 300, 400, 500] and df.attrs["step_from"] == "row number x 100"
    for bad in ("row*0", "row*x", "row*-5"):
        with pytest.raises(GanalyzeError, match=r"step_from: got .*; allowed: row, row\*N"):
            read_run(p, step_from=bad)


def test_mlflow_run_folder():
    """mlruns/<experiment>/<run>/: metrics/<name> files of '<timestamp> <value> <step>' lines
    (``loss/D`` is a sub-folder), a step logged again (a resume) read from its later line; params
    give the learning rates for the advice and the loss (a guess naming the param)."""
    df = _read("mlflow_run")
    assert df.step.tolist() == [0, 100, 200, 300, 400, 500, 600, 700]
    assert df.d_loss.iloc[-1] == 1.0 and df.g_loss.iloc[-1] == 1.5 and df.d_x[0] == 0.5
    a = df.attrs
    assert a["source_format"] == "mlflow" and a["hparams"] == {"lr_d": 0.0004, "lr_g": 0.0001}
    assert a["loss"] == "nsgan" and "gan_loss=nsgan" in a["guessed"]["loss"]
    assert read_run(LOGS / "mlflow_run" / "metrics").step.tolist() == df.step.tolist()


def test_mlflow_values_logged_without_a_step_are_refused(tmp_path):
    (tmp_path / "metrics").mkdir()
    (tmp_path / "meta.yaml").write_text("run_id: x\n")
    for name in ("d_loss", "g_loss"):
        (tmp_path / "metrics" / name).write_text("1701000000000 1.3 0\n1701000001000 1.2 0\n1701000002000 1.1 0\n")
    with pytest.raises(GanalyzeError, match="every metric value was logged at step 0"):
        read_run(tmp_path)


def test_lightning_hparams_yaml_beside_the_log_gives_the_settings(tmp_path):
    """Lightning's loggers write hparams.yaml in each version_N folder: its learning rates reach
    the run's hparams (safe_load only: a file with Python object tags is skipped, not built)."""
    import shutil

    from ganalyze.diagnose.advice import run_advice
    from ganalyze.diagnose.metadata import infer_metadata

    run = tmp_path / "lightning_logs" / "version_0"
    run.mkdir(parents=True)
    shutil.copy(LOGS / "lightning_metrics.csv", run / "metrics.csv")
    (run / "hparams.yaml").write_text("latent_dim: 100\nlr_d: 0.0008\nlr_g: 0.0001\nb1: 0.5\nbatch_size: 256\n")
    df = read_run(run / "metrics.csv")
    assert df.attrs["hparams"] == {"lr_d": 0.0008, "lr_g": 0.0001}
    advice = {a.key: a.text for a in run_advice({"d_dominant"}, infer_metadata(df, loss="nsgan", d_loss_reduction="sum"))}
    assert "lr_D = 8 x lr_G" in advice["lr_ratio"]
    (run / "hparams.yaml").write_text("lr: 0.0002\nmodel: !!python/object/apply:os.system ['echo built']\n")
    assert "hparams" not in read_run(run / "metrics.csv").attrs
    (run / "hparams.yaml").write_text("model:\n  optimizer:\n    lr: 0.0002\n")
    assert read_run(run / "metrics.csv").attrs["hparams"] == {"lr_d": 0.0002, "lr_g": 0.0002}


@pytest.mark.parametrize("name,fmt", [("mmgen_train.log", "console"), ("mmgen_train.log.json", "mmcv-json")])
def test_mmgen_text_and_json_logs(name, fmt):
    """MMGeneration (mmcv's text and JSON logger hooks): 'Iter [100/1000000]' is the step when no
    epoch is printed; D's loss is logged only as its two terms, so d_loss is their sum (said in
    d_loss_from, reduction sum); G's adversarial loss is loss_disc_fake_g; the JSON header record
    (env_info, config) and its text columns are dropped."""
    df = _read(name)
    assert df.step.tolist() == [100, 200, 300, 400, 500, 600, 700, 800] and df.attrs["source_format"] == fmt
    assert np.allclose(df.d_loss, df.d_loss_real + df.d_loss_fake) and df.attrs["d_loss_reduction"] == "sum"
    assert "no total D loss" in df.attrs["d_loss_from"] and df.g_loss.notna().all()
    assert df.lr_d.iloc[0] == df.lr_g.iloc[0] == 0.0002 and not {"env_info", "config", "seed"} & set(df.columns)


def test_iteration_counter_without_epoch_is_the_step(tmp_path):
    p = tmp_path / "train.log"
    p.write_text("Iteration 500/10000 d_loss: 1.21 g_loss: 0.93\nIteration 1000/10000 d_loss: 1.11 g_loss: 1.03\n")
    assert read_run(p).step.tolist() == [500, 1000]
    p.write_text("[Epoch 0/5] [Batch 10/50] [D loss: 1.2] [G loss: 0.9]\n[Epoch 1/5] [Batch 10/50] [D loss: 1.1] [G loss: 1.0]\n")
    assert read_run(p).step.tolist() == [10, 60]                    # epoch x batches + batch, as before


def test_stylegan_progress_log_says_where_its_losses_are(tmp_path):
    p = tmp_path / "log.txt"
    p.write_text("Loading training set...\n\nNum images:  70000\n\n"
                 "tick 0     kimg 0.0      time 1m 02s       sec/tick 14.6    sec/kimg 3640.22 maintenance 47.2   "
                 "cpumem 4.53   gpumem 10.13  augment 0.000\n"
                 "tick 1     kimg 4.0      time 5m 02s       sec/tick 230.6   sec/kimg 57.65   maintenance 0.0    "
                 "cpumem 4.60   gpumem 5.31   augment 0.011\n")
    with pytest.raises(GanalyzeError, match="prints no losses; allowed: the stats.jsonl"):
        read_run(p)


def _loss_log(tmp_path, sessions, name="loss_log.txt"):
    """A loss_log of ``sessions``: each a list of (epoch, iters, {name: value}) rows under a header."""
    lines = []
    for k, rows in enumerate(sessions):
        lines.append(f"================ Training Loss (Sun Mar  {3 + k} 10:00:00 2024) ================")
        lines += [f"(epoch: {e}, iters: {i}, time: 0.200, data: 0.010) " + " ".join(f"{n}: {v:.3f}" for n, v in vals.items())
                  for e, i, vals in rows]
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n")
    return p


def _printed(epoch_size, every, n, first_epoch=1):
    """(epoch, iters) as the CycleGAN code prints them: whenever the session's image count t
    reaches a multiple of ``every`` (iters: images into the current epoch)."""
    return [(first_epoch + (t - 1) // epoch_size, (t - 1) % epoch_size + 1) for t in range(every, every * n + 1, every)]


def test_loss_log_images_per_epoch_from_where_iters_wraps(tmp_path):
    """180 images per epoch, a print every 100: epoch 1 prints iters 100, epoch 2 prints 20, 120.
    The largest iters of a completed epoch (100) would make epochs 100 images long."""
    rows = [(e, i, {"D_A": 0.3, "G_A": 0.5, "D_B": 0.2, "G_B": 0.6}) for e, i in _printed(180, 100, 9)]
    assert [r[:2] for r in rows[:3]] == [(1, 100), (2, 20), (2, 120)]
    a = read_runs(_loss_log(tmp_path, [rows]))["loss_log:A"]
    assert a.step.tolist() == list(range(100, 1000, 100))
    assert "180 images per epoch: prints every 100 images" in a.attrs["guessed"]["step_from"]


def test_loss_log_run_started_again_is_another_run_not_a_resume(tmp_path):
    """The code appends to loss_log.txt: a session printing from the file's first (epoch, iters)
    again is another run (run1, run2), where its rows used to replace the whole first run; a
    session from a later epoch stays a resume of the run before it."""
    pix = {"G_GAN": 2.0, "G_L1": 20.0, "D_real": 0.3, "D_fake": 0.4}
    first = [(e, i, pix) for e, i in _printed(400, 100, 12)]
    resume = [(e, i, {**pix, "G_GAN": 3.0}) for e, i in _printed(400, 100, 4, first_epoch=3)]
    again = [(e, i, {**pix, "G_GAN": 5.0}) for e, i in _printed(400, 100, 6)]
    with pytest.warns(UserWarning, match="4 row"):      # the resume from epoch 3 rewrote steps 900-1200
        runs = read_runs(_loss_log(tmp_path, [first, resume, again]))
    assert list(runs) == ["loss_log:run1", "loss_log:run2"]
    one, two = runs.values()
    assert one.step.tolist() == list(range(100, 1300, 100)) and one.g_loss.tolist() == [2.0] * 8 + [3.0] * 4
    assert one.attrs["restarts"] == 1 and one.attrs["runs_in_file"] == 2 and one.attrs["run_in_file"] == "run1"
    assert two.step.tolist() == list(range(100, 700, 100)) and set(two.g_loss) == {5.0}
    assert two.attrs["restarts"] == 0
    cyc = {"D_A": 0.3, "G_A": 0.5, "D_B": 0.2, "G_B": 0.6}
    pairs = read_runs(_loss_log(tmp_path, [[(e, i, cyc) for e, i in _printed(400, 100, 4)]] * 2, name="cyc.txt"))
    assert list(pairs) == ["cyc:A_run1", "cyc:B_run1", "cyc:A_run2", "cyc:B_run2"]
    assert pairs["cyc:B_run2"].attrs["pair"] == "B_run2"
    # a lone line printed from the start again is no run: read as before (a restart replacing rows)
    with pytest.warns(UserWarning, match="row"):
        lone = read_runs(_loss_log(tmp_path, [first, again[:1]], name="lone.txt"))
    assert list(lone) == ["lone"]


def test_egan_loss_log_counts_total_iterations_and_prints_d_loss_terms(tmp_path):
    """E-GAN's Visualizer prints the run's iteration counter as ``giters`` (the step itself, not
    images into the epoch) and D_real / D_fake as loss_D's terms (D = their sum + D_gp), not D's
    outputs; before, the line was read by the console reader with the epoch as its step."""
    p = tmp_path / "loss_log.txt"
    p.write_text("================ Training Loss (Sat Apr 18 14:47:36 2020) ================\n" + "".join(
        f"(epoch: {1 + k // 4}, giters: {130 * (k + 1)}, time: 0.039, data: 0.179) G_real: 0.000 G_fake: 2.{k} "
        f"D_real: 0.40{k} D_fake: 0.30{k} D_gp: 0.000 G: 2.{k} D: {0.7 + 2 * k / 1000:.3f} \n" for k in range(8)))
    df = read_run(p)
    assert df.step.tolist() == [130 * (k + 1) for k in range(8)] and df.epoch.tolist() == [k // 4 for k in range(8)]
    assert df.d_loss_real[1] == 0.401 and df.d_loss_fake[1] == 0.301 and "d_x" not in df.columns
    assert df.g_loss[3] == 2.3 and df.attrs["step_from"].startswith("giters")
    from ganalyze.diagnose.metadata import infer_metadata

    assert infer_metadata(df).d_loss_reduction == "sum"       # D = D_real + D_fake, from the terms


def test_loss_log_variants_of_the_cyclegan_family(tmp_path):
    # a console copy: "[Rank 0] " before the line and commas between the values
    p = tmp_path / "train.log"
    p.write_text("".join(f"[Rank 0] (epoch: {e}, iters: {i}, time: 1.294, data: 0.907) , D_A: 1.016, G_A: 1.631, "
                         f"cycle_A: 1.308, D_B: 0.201, G_B: 0.552, cycle_B: 4.563\nEpoch {e}/200:   1%|  | 1/180\n"
                         for e, i in _printed(180, 100, 4)))
    a = read_runs(p)["train:A"]
    assert a.step.tolist() == [100, 200, 300, 400] and a.d_loss[0] == 1.016 and a.g_loss[0] == 1.631
    # BicycleGAN: D and G_GAN, least squares with plain MSE terms summed over --num_Ds 2 outputs (a public
    # BicycleGAN-code log was judged as nsgan at 1.39 / 0.693, where one output's chance levels are 0.5 / 0.25)
    bicycle = read_run(_loss_log(tmp_path, [[(1, 100 * k, {"G_GAN": 7.0 - k, "D": 2.4, "G_L1": 8.0, "z_L1": 0.4, "kl": 0.001})
                                            for k in range(1, 8)]]))
    assert bicycle.g_loss.tolist() == [3.0, 2.5, 2.0, 1.5, 1.0, 0.5, 0.0] and (bicycle.d_loss == 1.2).all()
    assert (bicycle.d_sum_over_d == 2.4).all() and bicycle.attrs["loss"] == "lsgan"
    assert bicycle.attrs["lsgan_terms"] == "plain" and bicycle.attrs["d_loss_reduction"] == "sum"
    (tmp_path / "train_opt.txt").write_text("----------------- Options ---------------\n             num_Ds: 3\n"
                                            "           gan_mode: lsgan\n")
    three = read_run(_loss_log(tmp_path, [[(1, 100 * k, {"G_GAN": 6.0, "D": 3.0, "z_L1": 0.4, "kl": 0.001})
                                           for k in range(1, 8)]]))
    assert (three.d_loss == 1.0).all() and (three.g_loss == 2.0).all() and three.attrs["num_D"] == 3
    (tmp_path / "train_opt.txt").unlink()
    # DeblurGAN: "D_real+fake", a critic loss
    deblur = read_run(_loss_log(tmp_path, [[(1, 100 * k, {"G_GAN": 18.0, "G_L1": 2900.0, "D_real+fake": -28.5 + k})
                                           for k in range(1, 8)]]))
    assert deblur.d_loss[0] == -27.5 and deblur.attrs["loss"] == "wgan-gp" and "D_real+fake" in deblur.attrs["guessed"]["loss"]


def test_loss_log_sessions_get_their_own_epoch_size_and_cumulative_iters_are_the_step(tmp_path):
    vals = {"G_GAN": 1.0, "D_real": 0.6, "D_fake": 0.5}
    first = [(e, i, vals) for e, i in _printed(400, 100, 12)]                 # 400 images per epoch
    second = [(e, i, vals) for e, i in _printed(250, 100, 10, first_epoch=4)]  # resumed on other data: 250
    with pytest.warns(UserWarning, match="replaced by a later write"):
        df = read_run(_loss_log(tmp_path, [first, second]))
    # session 1: step = t (100 .. 1200); session 2: 3 x 250 + t' (850 .. 1750) replaces steps >= 850
    assert df.step.tolist() == list(range(100, 900, 100)) + list(range(850, 1800, 100))
    assert "400 images per epoch" in df.attrs["guessed"]["step_from"] and "250 images per epoch" in df.attrs["guessed"]["step_from"]
    cumulative = [(1 + (k - 1) // 5, 100 * k, vals) for k in range(1, 16)]    # iters never wraps
    df = read_run(_loss_log(tmp_path, [cumulative], name="cumulative.txt"))
    assert df.step.tolist() == [100 * k for k in range(1, 16)] and "counts the session's images" in df.attrs["guessed"]["step_from"]


def test_loss_log_session_that_completed_no_epoch_takes_the_files_epoch_size(tmp_path):
    """A public CycleGAN log resumed for 5 lines (no epoch completed) had that session's largest
    iters taken as its epoch size: its steps fell inside the first session, whose 668 later rows
    were dropped as an abandoned branch. It takes the file's other sessions' figure now, so only
    the redone epoch's rows are replaced."""
    vals = {"D_A": 0.3, "G_A": 0.5, "D_B": 0.2, "G_B": 0.6}
    first = [(e, i, vals) for e, i in _printed(400, 100, 20)]           # epochs 1-5, steps 100 .. 2000
    lone = [(5, 100, {**vals, "G_A": 0.7})]                              # resumed at epoch 5 for one line
    third = [(e, i, {**vals, "G_A": 0.8}) for e, i in _printed(400, 100, 6, first_epoch=5)]
    with pytest.warns(UserWarning, match="replaced by a later write"):
        df = read_runs(_loss_log(tmp_path, [first, lone, third]))["loss_log:A"]
    assert df.step.tolist() == list(range(100, 1700, 100)) + list(range(1700, 2300, 100))
    assert df.g_loss.tolist() == [0.5] * 16 + [0.8] * 6
    assert "in a session that completed no epoch: the figure of the file's sessions that did" in df.attrs["guessed"]["step_from"]


def test_loss_log_run_continued_with_the_epoch_counter_back_at_1_is_one_run(tmp_path):
    """CycleGAN's --continue_train with the default --epoch_count 1 prints from epoch 1 again while
    the networks go on from the checkpoint (a public GANILLA log of 17 sessions was read as 9
    fresh runs, each with its own warm-up at D losses of 0.03). A session that starts where the
    last one ended, far from where the file's first began, continues it; one that starts at the
    first session's levels is a run from scratch (test above)."""
    def session(d0, d1):
        return [(e, i, {"D_A": d0 + (d1 - d0) * k / 11, "G_A": 0.4 + 0.4 * (0.3 - d0 - (d1 - d0) * k / 11),
                        "cycle_A": 2.0 * (d0 + (d1 - d0) * k / 11) / 0.3, "D_B": 0.8 * (d0 + (d1 - d0) * k / 11),
                        "G_B": 0.5, "cycle_B": 1.8 * (d0 + (d1 - d0) * k / 11) / 0.3})
                for k, (e, i) in enumerate(_printed(400, 100, 12))]
    runs = read_runs(_loss_log(tmp_path, [session(0.30, 0.12), session(0.12, 0.05), session(0.05, 0.02)]))
    assert list(runs) == ["loss_log:A", "loss_log:B"]
    a = runs["loss_log:A"]
    assert a.step.tolist() == list(range(100, 3700, 100)) and a.attrs.get("runs_in_file") is None
    assert "runs 2, 3 of the file continue the run before them" in a.attrs["guessed"]["step_from"]
    # the same sessions each started afresh at the first one's levels: three runs
    fresh = read_runs(_loss_log(tmp_path, [session(0.30, 0.12)] * 3, name="fresh.txt"))
    assert list(fresh) == [f"fresh:{p}_run{k}" for k in (1, 2, 3) for p in "AB"]
    # a loss NaN on every row of a run's start has no level there: no stray numpy warning
    nan_start = [(e, i, {**v, "D_B": float("nan")}) for e, i, v in session(0.12, 0.05)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        runs = read_runs(_loss_log(tmp_path, [session(0.30, 0.12), nan_start], name="nan.txt"))
    assert "continue the run before them" in runs["nan:A"].attrs["guessed"]["step_from"]


def test_loss_log_written_by_two_processes_at_once_is_refused(tmp_path):
    vals = {"G_GAN": 1.0, "D_real": 0.6, "D_fake": 0.5}
    one = [(3, 100 * k, vals) for k in range(1, 7)]
    two = [(1, 100 * k, vals) for k in range(1, 7)]
    mixed = [r for pair in zip(one, two) for r in pair]
    with pytest.raises(GanalyzeError, match="interleaved in this loss_log: .* goes back 6 times"):
        read_run(_loss_log(tmp_path, [mixed]))


def test_cyclegan_lsgan_terms_are_plain_mse_and_its_levels_double():
    """CycleGAN's GANLoss is nn.MSELoss: at D = 1/2 each term is 0.25, not the LSGAN paper's 0.125;
    the reader says so (lsgan_terms plain, guessed), and the levels the diagnosis and report quote
    follow (D loss, the mean of its two terms, 0.25; G 0.25)."""
    from ganalyze import gan
    from ganalyze.diagnose import diagnose
    from ganalyze.diagnose.thresholds import profile_for

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = read_run(LOGS / "cyclegan_loss_log.txt", pair="A")
    assert a.attrs["lsgan_terms"] == "plain" and "nn.MSELoss" in a.attrs["guessed"]["lsgan_terms"]
    eq = gan.equilibrium("lsgan", "mean", "plain")
    assert (eq.d.value, eq.g.value, eq.d_part.value) == (0.25, 0.25, 0.25)
    assert gan.equilibrium("lsgan", "mean").d.value == 0.125                         # the paper's ½ (our trainer)
    assert profile_for("lsgan", "mean", "plain").d_low == 2 * profile_for("lsgan", "mean").d_low
    d = diagnose(a)
    assert d.assumptions["lsgan_terms"] == "plain" and "equilibrium 0.25 / 0.25" in d.text()


def _notebook(tmp_path, cells):
    nb = {"cells": [{"cell_type": "code", "source": [], "metadata": {}, "execution_count": k,
                     "outputs": [{"output_type": "stream", "name": "stdout", "text": text}]}
                    for k, text in enumerate(cells, start=1)],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    p = tmp_path / "train.ipynb"
    p.write_text(json.dumps(nb))
    return p


def test_notebook_training_cells_that_start_again_are_separate_runs(tmp_path):
    """A second training cell whose steps start again is another run (named by its first cell),
    not a resume whose rows would replace the first run's; a cell that prints losses but no D loss
    is left out with a warning instead of becoming NaN rows of the run."""
    long = "".join(f"Iteration [{i:5d}/250000] | d_real_loss: 0.83 | d_fake_loss: 0.26 | g_loss: 0.70\n"
                   for i in range(500, 5500, 500))
    again = "".join(f"Iteration [{i:5d}/  800] | d_real_loss: 0.50 | d_fake_loss: 0.40 | g_loss: 0.90\n"
                    for i in range(100, 900, 100))
    runs = read_runs(_notebook(tmp_path, ["Models moved to GPU.\n", long, again]))
    assert list(runs) == ["train:cell2", "train:cell3"]
    assert runs["train:cell2"].step.tolist() == list(range(500, 5500, 500)) and len(runs["train:cell3"]) == 8
    test_only = "".join(f"Iteration [{i:5d}/   10] | cls_x_acc: 0.52 | cls_y_acc: 0.55 | g_loss: 0.94\n" for i in range(1, 11))
    with pytest.warns(UserWarning, match=r"left out: notebook cells 3-3: missing required column\(s\) d_loss"):
        df = read_run(_notebook(tmp_path, ["setup\n", long, test_only]))
    assert df.step.tolist() == list(range(500, 5500, 500)) and df.d_loss.notna().all()


def test_a_run_continued_in_the_next_cell_from_the_next_epoch_stays_one_run(tmp_path):
    """Held-out batch 557/04: 'train_epoch(.., epoch=0)' in one cell ('Epoch 0 finished'), then 'for epoch in
    range(1, 3): train_epoch(..)' in the next ('Epoch 1 finished', 'Epoch 2 finished'): the second cell's own parse
    counts its epochs from 0, so the run was split in two (1 row and 2 rows). Epochs compare as printed; a cell
    whose epochs start again is still another run."""
    def epochs(first, last):
        return "".join(f"Epoch {e} finished\nDiscriminator loss: {0.7 + 0.01 * e}, Generator loss: {1.4 - 0.01 * e}\n"
                       for e in range(first, last))
    runs = read_runs(_notebook(tmp_path, [epochs(0, 1), epochs(1, 12)]))
    assert len(runs) == 1 and len(next(iter(runs.values()))) == 12
    assert next(iter(runs.values())).d_loss.tolist() == pytest.approx([0.7 + 0.01 * e for e in range(12)])
    runs = read_runs(_notebook(tmp_path, [epochs(0, 12), epochs(0, 12)]))
    assert [len(df) for df in runs.values()] == [12, 12]


def test_a_notebook_whose_cells_hold_no_run_is_refused_in_one_line(tmp_path):
    """A public cWGAN-GP notebook clears its output every epoch: one setup cell and one cell with a
    single print whose critic loss was named c_loss (a D-loss name since stop 33; here a name no reader
    knows, c_total, keeps the cell runless). Reading its cells as groups raised UnboundLocalError (the
    group's name was set after the parse that failed)."""
    cells = ["Installation finished.\n",
             "Epoch: 120\tepoch time 1.31 min\n\t c_wass_loss: -7.5494 | c_gp: 0.0058 | c_total: -7.4915 | g_loss: 0.5703 | \n"]
    with pytest.raises(GanalyzeError, match="none of its training cells reads as a run"), \
            pytest.warns(UserWarning, match="left out: notebook cells"):
        read_run(_notebook(tmp_path, cells))


def test_a_loss_label_never_printed_with_a_number_is_refused(tmp_path):
    p = tmp_path / "log.csv"
    p.write_text("step,d_loss,g_loss\n0,,0.7\n1,,0.8\n")
    with pytest.raises(GanalyzeError, match="column d_loss holds no value on any row"):
        read_run(p)


def test_a_run_that_diverged_at_once_is_read_and_called_divergence(tmp_path):
    """Lightning's CSVLogger writes nan into both losses of a run that blew up at its first step:
    an all-NaN G loss beside a D loss that went non-finite is a diverged run, not a missing column."""
    from ganalyze.diagnose import diagnose

    p = tmp_path / "metrics.csv"
    p.write_text("step,epoch,train_disc_loss,train_gen_loss\n0,0,1.6e+24,nan\n"
                 + "".join(f"{s},0,nan,nan\n" for s in range(1, 40)))
    df = read_run(p)
    assert len(df) == 40 and df.g_loss.isna().all()
    assert {seg.label for seg in diagnose(df).segments} == {"divergence"}


def test_console_losses_printed_only_as_nan_are_a_diverged_run(tmp_path):
    """A console log whose D loss is printed as ``nan`` on every line, and whose G loss goes nan
    too, diverged from its first step: read and called divergence (was: refused as "missing
    d_loss", the all-NaN column dropped before the divergence check saw it)."""
    from ganalyze.diagnose import diagnose

    p = tmp_path / "train.log"
    p.write_text("".join(f"[{i}/300] Loss_D: nan Loss_G: {'nan' if i >= 20 else 1 + i / 100}\n" for i in range(300)))
    df = read_run(p)
    assert len(df) == 300 and df.d_loss.isna().all() and df.g_loss.notna().sum() == 20
    assert {seg.label for seg in diagnose(df).segments} == {"divergence"}
    p.write_text("".join(f"[{i}/300] Loss_D: nan Loss_G: 0.7\n" for i in range(300)))
    with pytest.raises(GanalyzeError, match="column d_loss holds no value on any row"):
        read_run(p)


def test_d_real_and_d_fake_above_1_are_d_loss_terms(tmp_path):
    """A Keras script's prints ('Epoch 0/2000' then 'D_real: .., D_fake: .., G: ..', the BCE of
    train_on_batch on a real and on a fake batch): with no total D loss, D_real/D_fake that go
    above 1 and never below 0 are D's two loss terms, summed into d_loss (they are read as D's
    outputs by name, and were refused as "missing d_loss"), and the diagnosis says it read them so;
    values within [0, 1] stay D's outputs.
    'Epoch 0/N' counts from 0, so the first row is step 0 (was -1: Keras's own epochs start at 1)."""
    import warnings

    from ganalyze.diagnose import diagnose

    rng = np.random.default_rng(0)
    lines = []
    for e in range(0, 600, 10):
        real, fake = rng.uniform(0.05, 1.5, size=2)
        lines += [f"Epoch {e}/2000", f"D_real: {real:.4f}, D_fake: {fake:.4f}, G: {rng.uniform(1, 3):.4f}, C: 1.0"]
    p = tmp_path / "output.log"
    p.write_text("\n".join(lines) + "\n")
    df = read_run(p)
    assert df.step.iloc[0] == 0 and (df.step >= 0).all()
    assert np.allclose(df.d_loss, df.d_loss_real + df.d_loss_fake) and "d_x" not in df.columns
    assert df.attrs["columns_from"]["D_real"] == "d_loss_real" and "not its outputs" in df.attrs["d_loss_from"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        d = diagnose(df)
    assert d.segments and d.assumptions["d_loss_from"] == df.attrs["d_loss_from"]
    assert "  read d_loss as 'D_real' and 'D_fake' summed" in d.text().splitlines()[1]   # the diagnosis says so
    p.write_text("\n".join(ln.replace("D_real: 1.", "D_real: 0.").replace("D_fake: 1.", "D_fake: 0.") for ln in lines) + "\n")
    with pytest.raises(GanalyzeError, match=r"missing required column\(s\) d_loss"):
        read_run(p)


def test_combogan_loss_log_has_one_run_per_domain(tmp_path):
    """ComboGAN prints one value per domain ('D: 0.111, 0.105, 0.111 | G: ...'): one run per
    domain (was: the first domain's value only, the others silently dropped)."""
    p = tmp_path / "loss_log.txt"
    p.write_text("================ Training Loss (Fri Jun 21 05:19:51 2024) ================\n" + "".join(
        f"(epoch: 1, iters: {100 * k}, time: 0.291) D: 0.1{k}, 0.2{k}, 0.3{k} | G: 1.1{k}, 1.2{k}, 1.3{k} | "
        f"Cyc: 0.09, 0.03, 0.05 | \n" for k in range(1, 7)))
    runs = read_runs(p)
    assert list(runs) == ["loss_log:1", "loss_log:2", "loss_log:3"]
    two = runs["loss_log:2"]
    assert two.d_loss.tolist() == [0.21, 0.22, 0.23, 0.24, 0.25, 0.26] and two.g_loss[0] == 1.21
    assert two.attrs["source_format"] == "combogan-loss-log" and two.attrs["lsgan_terms"] == "plain"


def test_loss_log_reads_the_train_opt_txt_beside_it(tmp_path):
    """The CycleGAN/pix2pix code writes its options to train_opt.txt next to loss_log.txt: its
    gan_mode is the loss (stated by the file, not the code's default guessed) and lr the learning
    rate of both networks; pix2pixHD's no_lsgan likewise."""
    import shutil

    shutil.copy(LOGS / "cyclegan_loss_log.txt", tmp_path / "loss_log.txt")
    (tmp_path / "train_opt.txt").write_text(
        "----------------- Options ---------------\n               batch_size: 1                             \n"
        "                 gan_mode: vanilla                       \t[default: lsgan]\n"
        "                       lr: 0.0004                        \t[default: 0.0002]\n"
        "----------------- End -------------------\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = read_run(tmp_path / "loss_log.txt", pair="A")
    assert a.attrs["loss"] == "nsgan" and "loss" not in a.attrs["guessed"] and "lsgan_terms" not in a.attrs["guessed"]
    assert a.attrs["loss_from"] == "train_opt.txt: gan_mode vanilla"
    assert a.attrs["hparams"] == {"lr_d": 0.0004, "lr_g": 0.0004, "batch_size": 1}       # images per optimiser step
    hd = tmp_path / "hd"
    hd.mkdir()
    (hd / "loss_log.txt").write_text("".join(
        f"(epoch: 1, iters: {100 * k}, time: 0.2, data: 0.01) G_GAN: 0.52 G_GAN_Feat: 3.1 G_VGG: 2.9 D_real: 0.49 D_fake: 0.47\n"
        for k in range(1, 8)))
    df = read_run(hd / "loss_log.txt")
    assert df.attrs["source_format"] == "pix2pixhd-loss-log" and df.attrs["loss"] == "lsgan"
    # its GAN terms are sums over --num_D discriminators (2 by default): one discriminator's levels
    assert df.attrs["num_D"] == 2 and "--num_D 2" in df.attrs["guessed"]["num_D"]
    assert np.allclose(df.g_loss, 0.26) and np.allclose(df.d_loss, 0.24) and np.allclose(df.d_real_sum_over_d, 0.49)
    (hd / "opt.txt").write_text("------------ Options -------------\nno_lsgan: True\nnum_D: 3\n-------------- End ----------------\n")
    stated = read_run(hd / "loss_log.txt")
    assert stated.attrs["loss"] == "nsgan" and stated.attrs["num_D"] == 3 and "num_D" not in stated.attrs["guessed"]
    assert np.allclose(stated.d_loss_real, 0.49 / 3) and np.allclose(stated.g_loss, 0.52 / 3)
    # the family's iters count images: with batch_size 4 an iteration is 4 of them (two public
    # CycleGAN-code logs at batch 4 had windows 4x too long in optimiser steps)
    (tmp_path / "train_opt.txt").write_text("----------------- Options ---------------\n               batch_size: 4\n"
                                            "----------------- End -------------------\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        four = read_run(tmp_path / "loss_log.txt", pair="A")
    assert four.step.tolist() == [s // 4 for s in a.step] and "batch_size 4, so steps are images / 4" in \
        four.attrs["guessed"]["step_from"]
    (hd / "opt.txt").write_text("------------ Options -------------\nbatchSize: 2\n-------------- End ----------------\n")
    assert read_run(hd / "loss_log.txt").step.tolist() == [50 * k for k in range(1, 8)]


def test_new_readers_refuse_bad_input_in_one_line(tmp_path):
    """An empty or garbled BigGAN-PyTorch folder is one error naming the folder (was a traceback);
    a tflib first line whose values are 'nan' is not taken for a table header with a repeated name."""
    folder = tmp_path / "bg"
    folder.mkdir()
    (folder / "G_loss.log").write_text("")
    (folder / "D_loss.log").write_text("garbage\n")
    with pytest.raises(GanalyzeError, match="BigGAN-PyTorch log folder .* hold no 'itr: value' line"):
        read_run(folder)
    p = tmp_path / "tfl.log"
    p.write_text("iter 0\ttrain disc cost\tnan\ttime\tnan\ttrain gen cost\t0.5\niter 1\ttrain disc cost\t0.4\ttime\t0.1\ttrain gen cost\t0.6\n")
    df = read_run(p)
    assert df.attrs["source_format"] == "tflib-plot" and math.isnan(df.d_loss[0]) and df.d_loss[1] == 0.4


def test_json_object_of_loss_lists_is_a_table_of_its_longest_lists(tmp_path):
    """A notebook's loss lists dumped as one JSON object (the DCGAN tutorial's G_losses and
    D_losses): one row per item; a shorter per-epoch list beside them is left out and named."""
    p = tmp_path / "losses.json"
    p.write_text(json.dumps({"G_losses": [2.0, 1.5, 1.2, 1.1], "D_losses": [1.4, 1.2, None, 1.0],
                             "epoch_means": [1.3, 1.1], "name": "run 1"}))
    df = read_run(p)
    assert df.step.tolist() == [0, 1, 2, 3] and df.g_loss.tolist() == [2.0, 1.5, 1.2, 1.1]
    assert math.isnan(df.d_loss[2]) and df.attrs["lists_left_out"] == "epoch_means (2 items)"
    p.write_text(json.dumps({"a": [1, 2], "b": "text"}))
    with pytest.raises(GanalyzeError, match="missing required column"):
        read_run(p)


def test_a_pandas_index_that_starts_again_leaves_the_row_order_as_the_step(tmp_path):
    """A resumed session's losses appended to the old CSV without ignore_index: the unnamed
    index starts again, but every row is a later step (not a restart replacing the old rows)."""
    p = tmp_path / "losses.csv"
    p.write_text(",discriminator,Generator\n0,0.7,38.4\n1,0.6,30.1\n2,0.5,20.2\n0,0.4,12.0\n1,0.3,11.0\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")             # nothing is replaced
        df = read_run(p)
    assert df.step.tolist() == [0, 1, 2, 3, 4] and df.d_loss.tolist() == [0.7, 0.6, 0.5, 0.4, 0.3]
    assert "starts again at row 3" in df.attrs["guessed"]["step_from"]
    p.write_text(",d_loss,g_loss\n0,0.7,1.0\n1,0.6,1.1\n")
    assert "pandas' index" in read_run(p).attrs["guessed"]["step_from"]


def test_labelled_lists_of_numbers_are_columns(tmp_path):
    """A notebook's loss lists written as sections ('Generator Losses:' then one number per line)."""
    p = tmp_path / "losses.txt"
    p.write_text("Generator Losses:\n2.33\n2.34\n2.32\n\nDiscriminator Losses:\n0.42\n0.40\n0.39\n")
    df = read_run(p)
    assert df.step.tolist() == [0, 1, 2] and df.g_loss.tolist() == [2.33, 2.34, 2.32] and df.d_loss.tolist() == [0.42, 0.40, 0.39]
    assert df.attrs["source_format"] == "sections" and "row number" in df.attrs["guessed"]["step_from"]
    p.write_text("Generator Losses:\n2.33\n2.34\nDiscriminator Losses:\n0.42\n")
    with pytest.raises(GanalyzeError, match="'Discriminator Losses': 1\\), fewer than two"):
        read_run(p)


def test_running_means_since_the_epoch_began_are_undone(tmp_path):
    """A TF custom loop printing a Mean metric's result() after every batch: x_n is the mean of
    the epoch's first n losses. The reader finds it (the undone values change as much at every
    batch, where per-step values undone by mistake would grow with n) and gives the per-step
    losses back, keeping the printed ones; the same losses printed per step are left alone."""
    rng = np.random.default_rng(7)
    epochs, per = 4, 150
    t = np.arange(epochs * per)
    d = 1.2 - 0.3 * t / len(t) + rng.normal(0, 0.08, len(t))
    g = 0.9 + 0.4 * t / len(t) + rng.normal(0, 0.15, len(t))

    def lines(dv, gv):
        return "".join(f"Epoch [{s // per}] Batch [{s % per + 1}] Disc Loss [{dv[s]:.9f}] Gen Loss [{gv[s]:.9f}]\n"
                       for s in t)

    def running(v):
        return np.concatenate([np.cumsum(v[e * per:(e + 1) * per]) / np.arange(1, per + 1) for e in range(epochs)])

    p = tmp_path / "out.txt"
    p.write_text(lines(running(d), running(g)))
    df = read_run(p)
    assert df.step.tolist() == t.tolist() and df.attrs["running_means"] == "epoch"
    assert np.allclose(df.d_loss, d, atol=1e-5) and np.allclose(df.g_loss, g, atol=1e-5)
    assert np.allclose(df.g_loss_running_mean, running(g), atol=1e-8)
    assert "running_means" in df.attrs["guessed"]
    p.write_text(lines(d, g))
    plain = read_run(p)
    assert "running_means" not in plain.attrs and np.allclose(plain.d_loss, d, atol=1e-8)
    p.write_text(lines(running(d), running(g)))
    declared = read_run(p, averaged=False)           # the user said each row is that step's value
    assert "running_means" not in declared.attrs and np.allclose(declared.d_loss, running(d), atol=1e-8)


def test_a_per_epoch_setting_printed_at_the_start_is_no_epoch(tmp_path):
    """U-GAT-IT prints "# iteration per epoch :  10000" before training: a rate, not an epoch counter
    for the rows after it (they were all given epoch 10000)."""
    (tmp_path / "out.txt").write_text("# dataset :  selfie2anime\n# iteration per epoch :  10000\n"
                                      "[    1/10000] time: 2.8011 d_loss: 25.01542282, g_loss: 16371.08007812\n"
                                      "[    2/10000] time: 4.5108 d_loss: 496.77969360, g_loss: 17830.16015625\n")
    df = read_run(tmp_path / "out.txt")
    assert df.step.tolist() == [1, 2] and "epoch" not in df.columns


def test_dis_loss_real_and_fake_are_d_loss_terms(tmp_path):
    """DCGAN-tensorflow's forks name D's terms dis_loss_real / dis_loss_fake beside dis_loss (a
    public TensorBoard file): D's loss terms, from which the sum-vs-mean reading follows."""
    from ganalyze.diagnose.metadata import infer_metadata

    p = tmp_path / "losses.csv"
    p.write_text("step,dis_loss,gen_loss,dis_loss_real,dis_loss_fake\n" + "".join(
        f"{k},{0.5 + 0.3 + k / 100:.3f},2.0,0.5,{0.3 + k / 100:.3f}\n" for k in range(10)))
    df = read_run(p)
    assert {"d_loss_real", "d_loss_fake"} <= set(df.columns)
    assert infer_metadata(df).d_loss_reduction == "sum"


def test_a_notebook_without_training_prints_says_so_not_missing_columns(tmp_path):
    """A notebook whose outputs hold no loss lines (plots only) is refused for that, not read as a
    table of its own JSON ('missing d_loss, g_loss (have: cell_type, execution_count)')."""
    p = _notebook(tmp_path, ["Text(0.5, 1.0, 'Discriminator loss function')\n", "<Figure size 1080x648 with 1 Axes>\n"])
    with pytest.raises(GanalyzeError) as err:
        read_run(p)
    assert "Jupyter notebook: its printed output" in str(err.value) and "missing required" not in str(err.value)


def test_a_headerless_csv_reads_when_columns_name_its_columns_by_position(tmp_path):
    """A public colourisation script appends six numbers a line without a header: refused, with no way
    to name its columns but editing the file. --columns d_loss=col4 names them by position now."""
    p = tmp_path / "losses.csv"
    p.write_text("1.606,0.777,0.830,1.381,0.688,0.693\n1.628,0.751,0.876,1.352,0.677,0.675\n"
                 "1.622,0.744,0.877,1.367,0.680,0.688\n")
    with pytest.raises(GanalyzeError, match=r"holds numbers, not column names \(name them by position: --columns "
                                            r"d_loss=colN,g_loss=colM, col1 the first of 6\)"):
        read_run(p)
    df = read_run(p, columns={"d_loss": "col4", "g_loss": "col2"})
    assert df.d_loss.tolist() == [1.381, 1.352, 1.367] and df.g_loss.tolist() == [0.777, 0.751, 0.744]
    assert df.step.tolist() == [0, 1, 2]


def test_label_dash_value_groups_under_epoch_lines_read(tmp_path):
    """A public WGAN-GP notebook prints 'Epoch N' alone, then '[Step - 51] [Discriminator Loss - 9.74]
    [Gradient Penalty - 9.76] [Generator Loss - -0.49' (no closing bracket), Step restarting each
    epoch: refused ('no line holds a labelled D or G loss')."""
    lines = []
    for e in (1, 2, 3):
        lines.append(f"\nEpoch {e}")
        lines += [f"[Step - {b}] [Discriminator Loss - {-0.2 - e / 10 + b / 1e4:.4f}] [Gradient Penalty - 0.1{b}] "
                  f"[Generator Loss - {-0.45 + b / 1e4:.4f}" for b in (51, 101, 151)]
    (tmp_path / "train.txt").write_text("\n".join(lines) + "\n")
    df = read_run(tmp_path / "train.txt")
    assert len(df) == 9 and df.epoch.tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2] and df.attrs["epoch_printed_from"] == 1
    assert df.step.is_monotonic_increasing and df.step.iloc[3] > df.step.iloc[2]
    assert df.d_loss.iloc[0] == pytest.approx(-0.2949) and df.g_loss.iloc[-1] == pytest.approx(-0.4349)
    assert "gradient_penalty" in df.columns


def test_network_sections_of_name_value_pairs_read(tmp_path):
    """A public InfoGAN-style script prints '94: [D] real 0.049 fake 0.056 q -0.49  [G] fake 2.87 reg 0.16
    q -0.76' (D's two BCE terms, no total; G's loss, a regulariser and a latent loss): it was read as a
    whitespace table whose header was the first line and refused ("column 'd_loss' has non-numeric
    value '[D]'"). Under [D], real and fake are D's loss terms; under [G], fake is G's loss."""
    rng = np.random.default_rng(3)
    lines = [f"{t}: [D] real {0.45 + 0.05 * rng.random():.6f} fake {0.5 + 0.05 * rng.random():.6f} q -0.{700 + t} "
             f" [G] fake {1.2 + 0.1 * rng.random():.6f} reg 0.{160 + t} q -0.{800 + t}" for t in range(1, 41)]
    (tmp_path / "train.log").write_text("Start training\n" + "\n".join(lines) + "\n")
    df = read_run(tmp_path / "train.log")
    assert len(df) == 40 and df.step.tolist() == list(range(1, 41))
    assert df.d_loss.to_numpy() == pytest.approx((df.d_loss_real + df.d_loss_fake).to_numpy())
    assert df.d_loss_real.iloc[0] == pytest.approx(float(lines[0].split()[3]))
    assert df.g_loss.iloc[-1] == pytest.approx(float(lines[-1].split()[10]))
    assert df.g_reg.iloc[0] == pytest.approx(0.161) and df.d_q.iloc[0] == pytest.approx(-0.701)
    assert df.g_q.iloc[-1] == pytest.approx(-0.840) and "d_x" not in df.columns


def test_a_g_pretraining_phase_before_the_adversarial_run_is_left_out(tmp_path):
    """A public SRGAN script pre-trains G (its prints hold G's loss only), then starts the epochs again
    with D: the file was refused whole ('(run1): column d_loss holds no value on any row')."""
    pre = [f"Epoch [{e}/50], Avg G Loss: {0.09 / e:.5f}" for e in range(1, 11)]
    adv = [f"Epoch: [{e}/100], Avg G Loss: {0.03 + e / 1000:.5f}, Avg D Loss: {1.2 - e / 100:.5f}" for e in range(1, 31)]
    p = tmp_path / "train.log"
    p.write_text("Using device: cuda\n" + "\n".join(pre) + "\nEarly stopping triggered.\n" + "\n".join(adv) + "\n")
    with pytest.warns(UserWarning, match=r"left out: .*\(run1\): column d_loss holds no value on any row"):
        runs = read_runs(p)
    assert list(runs) == ["train:run2"] and len(runs["train:run2"]) == 30 and runs["train:run2"].d_loss.notna().all()
    p.write_text("\n".join(pre) + "\nagain\n" + "\n".join(pre) + "\n")       # no run with a D loss: refused
    with pytest.raises(GanalyzeError):
        read_runs(p)


def test_the_keras_mnist_acgan_epoch_table_reads_one_row_per_epoch(tmp_path):
    """Keras' mnist_acgan example prints each epoch's mean losses as a table (train and test,
    total / generation / auxiliary): a public notebook of it was refused."""
    def block(e, d, g):
        return (f"Epoch {e}/10\nTesting for epoch {e}:\n"
                "component              | loss | generation_loss | auxiliary_loss\n" + "-" * 65 + "\n"
                f"generator (train)      | {g + 0.5:.2f} | {g:.4f}          | 0.4968\n"
                f"generator (test)       | 0.93 | 0.8674          | 0.0650\n"
                f"discriminator (train)  | {d + 0.9:.2f} | {d:.4f}          | 0.9297\n"
                f"discriminator (test)   | 0.80 | 0.6680          | 0.1302\n")
    (tmp_path / "acgan.txt").write_text("".join(block(e, 0.67 + e / 1000, 0.97 - e / 100) for e in range(1, 4)))
    df = read_run(tmp_path / "acgan.txt")
    assert df.d_loss.tolist() == [0.671, 0.672, 0.673] and df.g_loss.tolist() == [0.96, 0.95, 0.94]
    assert df.d_total_with_aux.iloc[0] == 1.57 and df.d_loss_test.iloc[0] == 0.668 and len(df) == 3
    a = df.attrs
    assert a["averaged"] is True and a["d_loss_reduction"] == "mean" and a["loss"] == "nsgan"
    assert a["source_format"] == "keras-acgan-table" and a["step_from"] == "epoch"


def test_a_tenth_batch_of_public_log_shapes_reads(tmp_path):
    """Udacity's 'Epoch 1/2... Discriminator Loss: 0.9001... Generator Loss: 1.2290' raised ValueError
    (the table reader took the first line for a header); Chollet's '50/5000: d_loss: 0.55,  a_loss: 0.61.'
    was refused (a_loss, the combined model's loss, is G's) and its iterations were row numbers; a CSV
    whose only counter is 'batch' was stepped by row number."""
    (tmp_path / "udacity.txt").write_text("".join(
        f"Epoch {1 + k // 10}/2... Discriminator Loss: {0.9 - k / 100:.4f}... Generator Loss: {1.2 + k / 100:.4f}\n"
        for k in range(20)))
    df = read_run(tmp_path / "udacity.txt")
    assert len(df) == 20 and df.d_loss.iloc[0] == 0.9 and df.g_loss.iloc[-1] == 1.39
    (tmp_path / "chollet.txt").write_text("".join(
        f"    {s}/5000: d_loss: {0.55 + s / 1e5:.4f},  a_loss: {0.61 + s / 1e5:.4f}.  (3.4 min)\n"
        for s in range(50, 1050, 50)))
    df = read_run(tmp_path / "chollet.txt")
    assert df.step.tolist() == list(range(50, 1050, 50)) and df.g_loss.iloc[0] == 0.6105
    (tmp_path / "batches.csv").write_text("batch,d_loss,g_loss\n" + "".join(f"{b},{-3 + b / 1e3},{1.4}\n"
                                                                           for b in range(1, 100, 5)))
    df = read_run(tmp_path / "batches.csv")
    assert df.step.tolist() == list(range(1, 100, 5)) and df.attrs["step_from"] == "column 'batch'"


def test_records_printed_one_value_per_line_read_one_row_each(tmp_path):
    """A public TimeseriesGAN prints each epoch as '[2/30]' then 'Lr_D: ..', 'Loss_D: ..', 'D(x): ..'
    on lines of their own between blank lines: it read as two half-empty rows per epoch, D(x) lost."""
    blocks = [f"    [{e}/30] \n    Lr_D: 0.00500 \n    Loss_D: {1.36 + e / 1000:.4f} \n    Loss_G: {0.71 - e / 1000:.4f} \n"
              f"    D(x): 0.5053 \n    D(G(z)): 0.4951 / 0.4999\n" for e in range(1, 6)]
    (tmp_path / "train_output.txt").write_text("Training starts\n    \n" + "    \n".join(blocks))
    df = read_run(tmp_path / "train_output.txt")
    assert len(df) == 5 and df.d_loss.notna().all() and df.g_loss.iloc[-1] == 0.705
    assert df.d_x.tolist() == [0.5053] * 5 and df.d_g_z2.iloc[0] == 0.4999 and df.lr_d.iloc[0] == 0.005
    # single-value lines that are rows of their own (no blank lines between records) are not joined
    (tmp_path / "plain.txt").write_text("".join(f"Loss_D: {1.3 + k / 100:.2f} Loss_G: 0.7\n" for k in range(6)))
    assert len(read_run(tmp_path / "plain.txt")) == 6


def test_keras3_progress_bars_in_a_notebook_read_one_row_per_epoch_end(tmp_path):
    """Keras 3 draws its bar in colour with '━' and prints the epoch's last line twice around an
    epoch-end callback's output: a public notebook read as two rows per epoch stepped by row number."""
    bar = "\x1b[1m313/313\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m \x1b[1m{t}s\x1b[0m 240ms/step"
    cells = [f"Epoch {e}/300\n" + bar.format(t=0) + f" - d_acc: 0.85 - d_loss: {0.26 - e / 100:.4f} - g_loss: 4.15\n"
             f"Saved to ./output/generated_img_{e:03d}.png\n" + "\b" * 40 + "\r" + bar.format(t=80)
             + f" - d_acc: 0.85 - d_loss: {0.26 - e / 100 + 0.0002:.4f} - g_loss: 4.1497\n" for e in range(1, 6)]
    df = read_run(_notebook(tmp_path, cells))
    assert len(df) == 5 and df.step.tolist() == [313 * e + 312 for e in range(5)]
    assert df.d_loss.iloc[0] == 0.2502 and df.attrs["iters_per_epoch"] == 313


def test_a_preview_excerpt_above_the_full_log_is_no_run_of_its_own(tmp_path):
    """A README quotes a run's first and last line in a <summary> preview, then pastes the whole log:
    the preview read as a 2-row 'run1' with a diagnosis of its own."""
    line = "[{e}/3][{i}/1000]\tLoss_D: {d:.4f}\tLoss_G: {g:.4f}\tD(x): 0.8000\tD(G(z)): 0.2000 / 0.1500"
    rows = [line.format(e=k // 20, i=50 * (k % 20), d=0.35 + k / 1000, g=3.69 - k / 1000) for k in range(60)]
    text = f"<details>\n<summary>{rows[0]} <br />\n...\n  <br />  {rows[-1]}\n</summary>\n" + "\n".join(rows) + "\n"
    (tmp_path / "README.md").write_text(text)
    runs = read_runs(tmp_path / "README.md")
    assert len(runs) == 1 and len(next(iter(runs.values()))) == 60
    again = "\n".join(rows[:30]) + "\n" + "\n".join(r.replace("Loss_D: 0.3", "Loss_D: 0.4") for r in rows[:10])
    (tmp_path / "two.txt").write_text(again + "\n")      # a second, different run stays a run
    assert list(read_runs(tmp_path / "two.txt")) == ["two:run1", "two:run2"]


def test_a_log_with_lines_cut_out_says_where_it_jumps(tmp_path):
    """A README pastes steps 0-10, '[...]', then steps 5109-5115 of a Keras-GAN print: read as one
    run logged every step, the seven rows after the cut read as 39 % of the run, with no word of the gap."""
    rows = [f"{s} [D loss: {0.38 - s / 100:.6f}, acc.: 80.00%] [G loss: 0.72]" for s in range(11)]
    rows += ["[...]"] + [f"{s} [D loss: 0.660000, acc.: 55.00%] [G loss: 0.84]" for s in range(5109, 5116)]
    (tmp_path / "README.txt").write_text("\n".join(rows) + "\n")
    with pytest.warns(UserWarning, match=r"the logged steps jump from 10 to 5109 \(>= 100 x the median interval\)"):
        df = read_run(tmp_path / "README.txt")
    assert len(df) == 18


def test_an_initial_line_before_the_first_step_is_step_0(tmp_path):
    """TensorFlow-Examples print 'initial: gen_loss: 0.69, disc_loss: 1.40' before 'step: 500, ...':
    the line was dropped, and with it the untrained D's summed loss that tells sum from mean."""
    (tmp_path / "out.txt").write_text("initial: gen_loss: 0.690000, disc_loss: 1.400000\n" + "".join(
        f"step: {s}, gen_loss: 2.15, disc_loss: 0.43\n" for s in range(500, 5500, 500)))
    df = read_run(tmp_path / "out.txt")
    assert df.step.tolist()[:2] == [0, 500] and df.d_loss.iloc[0] == 1.4
    from ganalyze.diagnose.metadata import infer_metadata

    assert infer_metadata(df, loss="nsgan").d_loss_reduction == "sum"


def test_a_csv_that_gained_a_column_part_way_says_so(tmp_path):
    p = tmp_path / "log.csv"
    p.write_text("Epoch,D_Loss,G_Loss\n1,0.9,1.8\n2,0.8,1.7\n3,0.7,1.6,22.0\n")
    with pytest.raises(GanalyzeError, match="line 4 has 4 fields where the header names 3: the writer added a column"):
        read_run(p)


def test_a_csv_holding_two_runs_one_after_another_reads_both(tmp_path):
    """A per-epoch CSV a script appended a second full run to (epochs 1..N, then 1..N again, a
    public dehazing GAN's train_log.csv): two runs, as in a console log, where the second used to
    replace the first whole ('100 row(s) replaced by a later write ... a restart?')."""
    rows = [f"{e},{4 - e / 10:.2f},{0.3 + r / 10:.2f}" for r in range(2) for e in range(1, 11)]
    (tmp_path / "train_log.csv").write_text("epoch,train_G,train_D\n" + "\n".join(rows) + "\n")
    runs = read_runs(tmp_path / "train_log.csv")
    assert list(runs) == ["train_log:run1", "train_log:run2"]
    assert [df.d_loss[0] for df in runs.values()] == [0.3, 0.4] and all(len(df) == 10 for df in runs.values())


def test_lightning_version_folders_are_runs(tmp_path):
    """Lightning's CSVLogger writes lightning_logs/version_N/metrics.csv: a version folder reads as
    its metrics.csv, the lightning_logs/ folder as one run per version (both were refused as
    directories holding no run)."""
    for v, d0 in ((0, 1.3), (1, 1.1)):
        folder = tmp_path / "lightning_logs" / f"version_{v}"
        folder.mkdir(parents=True)
        (folder / "metrics.csv").write_text("step,epoch,d_loss,g_loss\n" + "".join(
            f"{50 * k},0,{d0 + k / 100:.2f},0.8\n" for k in range(6)))
    one = read_run(tmp_path / "lightning_logs" / "version_1")
    assert one.step.tolist() == [50 * k for k in range(6)] and one.d_loss[0] == 1.1
    runs = read_runs(tmp_path / "lightning_logs")
    assert list(runs) == ["lightning_logs:version_0", "lightning_logs:version_1"]
    assert read_run(tmp_path / "lightning_logs", pair="version_0").d_loss[0] == 1.3
    with pytest.raises(GanalyzeError, match="pair: 'version_7' is not a run"):
        read_runs(tmp_path / "lightning_logs", pair="version_7")


def test_tensorboard_restart_supersedes_the_abandoned_branch(tmp_path):
    """A run restarted from a checkpoint at step 50 that stopped at 60 (a second events file):
    the first session's steps from 50 on belong to the branch the restart abandoned, also those
    past 60, which the restart never rewrote (a public DCGAN run read its old branch's 24010-30408
    after the restart's 23920-24000: two branches spliced)."""
    from torch.utils.tensorboard import SummaryWriter

    for session, (steps, d, t0) in enumerate(((range(0, 101, 10), 1.0, 1000.0), (range(50, 61, 10), 2.0, 5000.0))):
        w = SummaryWriter(str(tmp_path / "tb"), filename_suffix=f".s{session}")
        for k, s in enumerate(steps):
            w.add_scalar("Loss/D", d, s, walltime=t0 + k)
            w.add_scalar("Loss/G", 0.7, s, walltime=t0 + k)
        w.close()
    with pytest.warns(UserWarning, match="replaced by a later write"):
        df = read_run(tmp_path / "tb")
    assert df.step.tolist() == [0, 10, 20, 30, 40, 50, 60]
    assert df.d_loss.tolist() == [1.0] * 5 + [2.0, 2.0]


def test_columns_names_our_columns_or_their_aliases(tmp_path):
    """--columns d_g_z=fake maps to d_g_z1, the column the diagnosis reads (it was kept as a column
    'd_g_z' that nothing read: 'D(G(z)) n/a'); a name that is none of ours is refused."""
    p = tmp_path / "c.csv"
    p.write_text("step,dl,gl,fake\n0,1.3,0.7,0.4\n1,1.2,0.8,0.41\n")
    df = read_run(p, columns="d_loss=dl,g_loss=gl,d_g_z=fake")
    assert df.d_g_z1.tolist() == [0.4, 0.41]
    with pytest.raises(GanalyzeError, match="columns: got 'foo' as a column of ours; allowed: step, d_loss"):
        read_run(p, columns="d_loss=dl,foo=fake")


def test_a_line_written_twice_is_a_repeat_not_a_restart(tmp_path):
    """Two logging calls writing the same values for the same batch (a public WGAN-GP logging
    file) repeat a row: dropped and counted, no 'a restart?' warning; --on-duplicate error still
    refuses it."""
    lines = []
    for k in range(6):
        line = f"Epoch [0/5] Batch [{k}/199] Loss D: {-1.5 + k / 10:.2f}, loss G: {0.3 + k / 10:.2f}"
        lines += [line, line] if k % 2 else [line]
    (tmp_path / "train.log").write_text("\n".join(lines) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = read_run(tmp_path / "train.log")
    assert len(df) == 6 and df.attrs.get("repeated_rows_dropped") == 3
    with pytest.raises(GanalyzeError, match="is written again later"):
        read_run(tmp_path / "train.log", on_duplicate="error")


def test_gan_zoo_scale_iteration_prints_are_one_run_per_scale(tmp_path):
    """pytorch_GAN_zoo's '[scale : iteration] loss G : .. loss D : ..' (a public progressive GAN):
    each scale counts its iterations from 0, so each is a run, and a resume inside a scale replaces
    from its step; before, the row number was the step and the scales one series."""
    lines = ["Running PGAN", "size (4, 4)"]
    lines += [f"[0 : {100 * k:6d}] loss G : {600 - k:.3f} loss D : {7000 - 10 * k:.3f}" for k in range(1, 9)]
    lines += ["Changing alpha to 0.000"]
    lines += [f"[1 : {100 * k:6d}] loss G : {30 - k:.3f} loss D : {-5 + k / 10:.3f}" for k in range(1, 7)]
    (tmp_path / "train_log.txt").write_text("\n".join(lines) + "\n")
    runs = read_runs(tmp_path / "train_log.txt")
    assert list(runs) == ["train_log:run1", "train_log:run2"]
    assert runs["train_log:run1"].step.tolist() == [100 * k for k in range(1, 9)]
    assert runs["train_log:run2"].g_loss[0] == 29.0 and runs["train_log:run2"].d_loss[0] == -4.9


def test_more_names_of_d_terms_and_outputs(tmp_path):
    """Names public logs give D's loss terms and outputs (TF2 'discriminator_real_loss', a
    SummaryWriter's 'D/Real_Prob', SAGAN's 'd_out_real'): ours, so the sum-vs-mean reading and
    the D-output bands use them."""
    p = tmp_path / "m.csv"
    p.write_text("step,discriminator_loss,generator_loss,discriminator_real_loss,discriminator_fake_loss,D/Real_Prob,"
                 "D/Fake_Prob\n" + "".join(f"{k},{0.6 + k / 100:.2f},1.0,0.3,{0.3 + k / 100:.2f},0.8,0.2\n" for k in range(5)))
    df = read_run(p)
    assert {"d_loss_real", "d_loss_fake", "d_x", "d_g_z1"} <= set(df.columns)
    assert df.d_x[0] == 0.8 and df.d_g_z1[0] == 0.2


def test_a_json_object_with_several_record_lists_reads_the_one_with_losses(tmp_path):
    """A public script writes {"config": ..., "history": [per-epoch records], "checkpoints": [...]}:
    it was refused ('neither one list of records nor lists of numbers'); the history is the run."""
    doc = {"config": {"epochs": 12}, "device": "mps",
           "history": [{"epoch": e, "generator_loss": 0.5 + e / 100, "discriminator_loss": 1.4 - e / 100,
                        "discriminator_accuracy": 0.49, "batches": 312} for e in range(1, 13)],
           "checkpoints": [{"epoch": e, "path": f"ckpt_{e}.pt"} for e in (1, 6, 12)]}
    (tmp_path / "contrast.json").write_text(json.dumps(doc))
    df = read_run(tmp_path / "contrast.json")
    assert len(df) == 12 and df.d_loss.iloc[0] == 1.39 and df.g_loss.iloc[-1] == 0.62


def test_l_d_and_l_g_are_the_d_and_g_losses(tmp_path):
    """A public CycleGAN variant dumps {"L_G": [...], "L_D": [...]}; a pandas history names them netD /
    netG; DiffAugment code logs D's outputs as d_real_aug / d_fake_aug."""
    (tmp_path / "losses.json").write_text(json.dumps({"L_G": [2.69, 1.55, 1.40], "L_D": [0.36, 0.3, 0.25]}))
    df = read_run(tmp_path / "losses.json")
    assert df.d_loss.tolist() == [0.36, 0.3, 0.25] and df.g_loss.tolist() == [2.69, 1.55, 1.40]
    (tmp_path / "history.csv").write_text(",netG,netD,d_real_aug,d_fake_aug\n0,0.37,0.23,0.3,-0.4\n1,0.31,0.14,0.4,-0.5\n")
    df = read_run(tmp_path / "history.csv")
    assert df.g_loss.tolist() == [0.37, 0.31] and df.d_loss.tolist() == [0.23, 0.14]
    assert df.d_x.tolist() == [0.3, 0.4] and df.d_g_z1.tolist() == [-0.4, -0.5]


def test_one_row_per_epoch_with_an_epoch_printed_twice_is_still_stepped_by_epoch(tmp_path):
    """A public DCGAN log of one 'epoch=N lr=.. D_loss=.. G_loss=..' line per epoch began with two
    'epoch=0' lines (an aborted start): the repeat made the row number the step, and the run's
    epochs hint was lost. A rare repeat is a rewrite of that epoch; many are rows within epochs."""
    lines = ["epoch=0 lr=0.0002 D_loss=1.71 G_loss=9.3"]
    lines += [f"epoch={e} lr=0.0002 D_loss={1.2 - e / 100:.3f} G_loss={2.5 + e / 50:.3f}" for e in range(40)]
    p = tmp_path / "INFO.txt"
    p.write_text("\n".join(lines) + "\n")
    with pytest.warns(UserWarning, match="1 row"):
        df = read_run(p)
    assert df.step.tolist() == list(range(40)) and df.attrs["step_from"] == "epoch"
    assert df.d_loss[0] == 1.2 and "printed twice in a row" in df.attrs["guessed"]["step_from"]
    several = [f"epoch={e // 4} lr=0.0002 D_loss={1.2 - e / 400:.3f} G_loss={2.5 + e / 200:.3f}" for e in range(40)]
    p.write_text("\n".join(several) + "\n")
    assert read_run(p).attrs["step_from"] == "row number"


def test_cyclegan_history_with_a_d_loss_per_domain_is_one_run_per_domain(tmp_path):
    """A public Keras CycleGAN's pandas history (',G_loss,D_X_loss,D_Y_loss', one G total) was
    refused for want of a d_loss column; it is two runs now, X and Y, each with its D's loss and
    the shared G total marked composite, and CycleGAN's least squares (D's loss the mean of its
    plain MSE terms: 0.25 at chance) as the guess; a history with a G per domain uses each G."""
    import pandas as pd

    from ganalyze.diagnose.metadata import infer_metadata

    rng = np.random.default_rng(9)
    n = 60
    p = tmp_path / "model_history.csv"
    pd_frame = {"": np.arange(n), "G_loss": 6 + rng.normal(0, 0.3, n), "D_X_loss": 0.25 + rng.normal(0, 0.01, n),
                "D_Y_loss": 0.22 + rng.normal(0, 0.01, n)}
    pd.DataFrame(pd_frame).to_csv(p, index=False)
    runs = read_runs(p)
    assert list(runs) == ["model_history:X", "model_history:Y"]
    x = runs["model_history:X"]
    assert np.allclose(x.d_loss, pd_frame["D_X_loss"]) and np.allclose(x.g_loss, pd_frame["G_loss"])
    assert "d_y_loss" not in x.columns and x.attrs["pair"] == "X" and x.attrs["loss"] == "lsgan"
    meta = infer_metadata(x)
    assert meta.g_loss_terms == "composite" and meta.lsgan_terms == "plain" and meta.d_loss_reduction == "mean"
    own = pd.DataFrame({"epoch": np.arange(n), "D_A": pd_frame["D_X_loss"], "G_A": 0.5 + 0 * pd_frame["G_loss"],
                        "D_B": pd_frame["D_Y_loss"], "G_B": 0.6 + 0 * pd_frame["G_loss"]})
    own.to_csv(tmp_path / "ab.csv", index=False)
    b = read_runs(tmp_path / "ab.csv")["ab:B"]
    assert np.allclose(b.g_loss, 0.6) and infer_metadata(b).g_loss_terms == "adversarial"
    # the Keras CycleGAN examples' fit() print names each network by its domain (a Kaggle Monet
    # notebook was refused): one run per domain, each G its generator's total (adversarial, cycle
    # and identity terms), the loss left to the numbers (that example's D loss is BCE)
    keras = tmp_path / "monet.txt"
    keras.write_text("".join(f"Epoch {e}/25\n300/300 [==============================] - 40s 130ms/step - "
                             f"monet_gen_loss: {4.9 - e / 10:.4f} - photo_gen_loss: {5.1 - e / 10:.4f} - "
                             f"monet_disc_loss: {0.63 - e / 500:.4f} - photo_disc_loss: {0.64 - e / 400:.4f}\n"
                             for e in range(1, 26)))
    monet = read_runs(keras)
    assert list(monet) == ["monet:monet", "monet:photo"]
    photo = monet["monet:photo"]
    assert np.isclose(photo.d_loss[0], 0.6375) and np.isclose(photo.g_loss[0], 5.0) and "monet_gen_loss" not in photo
    pm = infer_metadata(photo)
    assert pm.g_loss_terms == "composite" and pm.loss == "nsgan" and "Keras CycleGAN" in pm.assumption("g_loss_terms").reason
    # held-out batch 570/08: the network first and the total before it ("total_gen_monet_loss", "disc_monet_loss"):
    # refused for want of d_loss and g_loss
    keras.write_text(keras.read_text().replace("monet_gen_loss", "total_gen_monet_loss").replace(
        "photo_gen_loss", "total_gen_photo_loss").replace("monet_disc_loss", "disc_monet_loss").replace(
        "photo_disc_loss", "disc_photo_loss"))
    again = read_runs(keras)
    assert list(again) == ["monet:monet", "monet:photo"] and np.isclose(again["monet:photo"].d_loss[0], 0.6375)
    assert np.isclose(again["monet:photo"].g_loss[0], 5.0)
    # D's real and fake terms named before the network are no domains: D's loss is their sum
    pd.DataFrame({"step": np.arange(n), "real_disc_loss": 0.3, "fake_disc_loss": 0.4, "gen_loss": 1.2}).to_csv(
        tmp_path / "rf.csv", index=False)
    rf = read_runs(tmp_path / "rf.csv")
    assert list(rf) == ["rf"] and np.allclose(rf["rf"].d_loss, 0.7)
    # D's output on real data (D_x) beside d_loss is no domain
    pd.DataFrame({"step": np.arange(n), "d_loss": 1.2, "g_loss": 0.8, "D_x": 0.6, "D_y": 0.4}).to_csv(tmp_path / "dx.csv", index=False)
    assert list(read_runs(tmp_path / "dx.csv")) == ["dx"]


def test_dcgan_torch_batch_counter_runs_from_0_to_its_printed_total(tmp_path):
    """dcgan.torch prints 'Epoch: [e][ i / T ]' with i from 0 to T (T + 1 batches): read as 1-based
    (it reaches its total), the first batch became -1 and every epoch's last batch collided with
    the next epoch's first, two rows dropped as a restart."""
    lines = [f"Epoch: [{e}][{i:8d} / {13:8d}]\t Time: 0.300  DataTime: 0.000    Err_G: {1 + i / 20:.4f}  "
             f"Err_D: {1.3 - i / 40:.4f}\t" for e in (1, 2, 3) for i in range(14)]
    p = tmp_path / "art_dcgan.log"
    p.write_text("\n".join(lines) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = read_run(p)
    assert df.step.tolist() == list(range(42)) and df.g_loss[13] == 1.65 and df.g_loss[14] == 1.0


def test_pytorch_gan_print_implies_a_mean_d_loss(tmp_path):
    """eriklindernoren/PyTorch-GAN's scripts print '[Epoch a/b] [Batch c/d] [D loss: x] [G loss: y]'
    with d_loss = (real_loss + fake_loss) / 2; a log of that print was guessed a sum (the DCGAN
    tutorial's convention) and judged against 1.39 instead of 0.693. Copies that sum D's terms
    exist (a Fashion-MNIST README's first D loss is 1.4), so the print is a hint the numbers
    overrule."""
    from ganalyze.diagnose.metadata import infer_metadata

    rng = np.random.default_rng(14)
    path = tmp_path / "train.log"
    path.write_text("".join(f"[Epoch {e}/200] [Batch {b}/938] [D loss: {0.35 + 0.03 * rng.standard_normal():.6f}] "
                            f"[G loss: {0.9 + 0.1 * rng.standard_normal():.6f}]\n"
                            for e in range(3) for b in range(0, 938, 100)))
    df = read_run(path)
    assert df.attrs["source_format"] == "pytorch-gan-console" and df.step.tolist()[:3] == [0, 100, 200]
    meta = infer_metadata(df)
    assert meta.d_loss_reduction == "mean" and "PyTorch-GAN" in meta.assumption("d_loss_reduction").reason
    # a copy of the print whose code sums D's terms shows it in an untrained D's first loss, 2 ln 2
    path.write_text(path.read_text().replace("[D loss: ", "[D loss: 1.386294] [x: ", 1))
    first = read_run(path)
    assert infer_metadata(first).d_loss_reduction == "sum"
    # the tutorials built on it print once per epoch, without the batch (three public notebooks, each
    # of whose code halves D's loss, were guessed a sum)
    path.write_text("".join(f"[Epoch {e}/200] [D loss: {0.35 + 0.03 * rng.standard_normal():.6f}] "
                            f"[G loss: {0.9 + 0.1 * rng.standard_normal():.6f}] [Elapsed time: {11.8 * (e + 1):.2f}s]\n"
                            for e in range(40)))
    per_epoch = read_run(path)
    assert per_epoch.attrs["source_format"] == "pytorch-gan-console" and per_epoch.attrs["step_from"] == "epoch"
    assert infer_metadata(per_epoch).d_loss_reduction == "mean"


def test_keras_gan_wgan_prints_one_minus_its_losses(tmp_path):
    """Keras-GAN's wgan.py prints '%d [D loss: %f] [G loss: %f]' % (epoch, 1 - d_loss[0], 1 - g_loss[0]):
    a notebook of 4,000 such rows (0.99992-0.99998 and 1.00003-1.00015) read as BCE near 1.0 and
    'possible oscillation' from fifth-decimal jitter. Its losses are read back and the family is
    the critic's; a BCE Keras-GAN log near 1.0 that moves is left alone."""
    rng = np.random.default_rng(15)
    p = tmp_path / "wgan.txt"
    p.write_text("".join(f"{k} [D loss: {1 - 4e-5 + 5e-6 * rng.standard_normal():.6f}] "
                         f"[G loss: {1 + 7e-5 + 2e-5 * rng.standard_normal():.6f}]\n" for k in range(200)))
    df = read_run(p)
    assert df.attrs["loss"] == "wgan-gp" and "1 - each Wasserstein loss" in df.attrs["loss_from"]
    assert 0 < df.d_loss.median() < 1e-4 and -2e-4 < df.g_loss.median() < 0
    bce = tmp_path / "dcgan.txt"
    bce.write_text("".join(f"{k} [D loss: {0.7 + 0.2 * rng.random():.6f}, acc.: 50.00%] [G loss: {1.0 + 0.3 * rng.random():.6f}]\n"
                           for k in range(200)))
    assert read_run(bce).attrs["loss"] == "unknown"


def test_event_files_holding_only_their_header_say_so(tmp_path):
    """Two public repositories committed TensorBoard folders whose event files hold only the file
    header (their runs stopped before the first logged value): the refusal says so."""
    from torch.utils.tensorboard import SummaryWriter

    SummaryWriter(str(tmp_path / "runs")).close()
    with pytest.raises(GanalyzeError, match=r"its 1 event file\(s\) hold nothing beyond the file header"):
        read_run(tmp_path / "runs")


def test_vits_train_log_reads_its_loss_lists(tmp_path):
    """The VITS family's train.log (VITS, so-vits-svc: a 'Train Epoch: N [p%]' line, then a bare list
    [loss_disc, loss_gen, loss_fm, loss_mel, loss_kl, global_step, lr]) was refused ('no line holds a
    labelled D or G loss'). D's and G's entries are least-squares sums over HiFi-GAN's six
    discriminators: read per discriminator, the sums kept; so-vits-svc 4.x's 'Losses: [..], step: N,
    lr: X' line reads the same."""
    rng = np.random.default_rng(20)
    head = ("2023-03-28 10:00:00,000\t32k\tINFO\t{'train': {'log_interval': 200, 'learning_rate': 0.0001, "
            "'c_mel': 45, 'c_kl': 1.0}, 'model_dir': './logs/32k'}\n")
    lines, lines4 = [], []
    for k in range(60):
        d, g = 2.5 - k / 100 + 0.1 * rng.standard_normal(), 2.4 + k / 60 + 0.1 * rng.standard_normal()
        rest = [12.0 + rng.random(), 40.0 - k / 3, 1.0 + 0.05 * rng.random()]
        epoch = f"2023-03-28 10:{k // 60:02d}:{k % 60:02d},000\t32k\tINFO\tTrain Epoch: {1 + k // 4} [{25 * (k % 4)}%]\n"
        lines.append(epoch + f"2023-03-28 10:00:00,001\t32k\tINFO\t{[d, g, *rest, 200 * k, 1e-4 * 0.9999 ** k]}\n")
        lines4.append(epoch + f"2023-03-28 10:00:00,001\tINFO\tLosses: {[d, g, *rest]}, step: {200 * k}, "
                              f"lr: {1e-4 * 0.9999 ** k}, reference_loss: {d + g + sum(rest)}\n")
        if k % 4 == 3:
            lines[-1] += f"2023-03-28 10:00:30,000\t32k\tINFO\t====> Epoch: {1 + k // 4}\n"
    (tmp_path / "train.log").write_text(head + "".join(lines))
    (tmp_path / "train4.log").write_text(head + "".join(lines4))
    for name in ("train.log", "train4.log"):
        df = read_run(tmp_path / name)
        assert df.attrs["source_format"] == "vits-train-log" and df.step.tolist() == list(range(0, 12000, 200))
        assert df.d_loss.to_numpy() == pytest.approx(df.loss_disc_sum_over_d.to_numpy() / 6)
        assert df.g_loss.to_numpy() == pytest.approx(df.loss_gen_sum_over_d.to_numpy() / 6)
        assert {"loss_fm", "loss_mel", "loss_kl", "lr_g", "lr_d"} <= set(df.columns)
        assert df.attrs["loss"] == "lsgan" and df.attrs["lsgan_terms"] == "plain" and df.attrs["averaged"] is False
        assert df.attrs["d_loss_reduction"] == "sum" and df.epoch.iloc[-1] == 15


def test_a_closing_message_glued_to_the_last_row_leaves_the_row(tmp_path):
    """A notebook printed 'Training complete.' right after its last row, without a newline ('...
    D Loss: 0.2695Training complete.'): that row, the run's end state, was dropped as a torn line."""
    rows = [f"Epoch {e} | G Loss: {3 + e / 100:.4f} | D Loss: {0.3 - e / 1000:.4f}" for e in range(1, 13)]
    p = tmp_path / "log.txt"
    p.write_text("\n".join(rows) + "Training complete.")
    df = read_run(p)
    assert len(df) == 12 and df.d_loss.iloc[-1] == pytest.approx(0.288)
    torn = tmp_path / "torn.txt"              # a row cut mid-number still goes
    torn.write_text("\n".join(rows) + "\nEpoch 13 | G Loss: 3.1")
    with pytest.warns(UserWarning, match="torn last line"):
        assert len(read_run(torn)) == 12


def test_srgan_statistics_csv_reads_d_outputs_and_an_unmodelled_loss(tmp_path):
    """leftthomas/SRGAN's statistics CSV (Epoch, Loss_D, Loss_G, Score_D, Score_G, PSNR, SSIM; dozens of
    super-resolution repositories commit it) was read as least squares with no D outputs and called
    g_dominant: its D loss is 1 - D(x) + D(G(z)), its G loss mostly MSE. Score_D / Score_G are D(x) /
    D(G(z)); the loss is reported as unmodelled, with the reason, and G's loss as composite."""
    import pandas as pd

    from ganalyze.diagnose import diagnose

    e = np.arange(1, 41)
    dx, dgz = 0.53 + 0.004 * e, 0.52 - 0.005 * e
    pd.DataFrame({"Epoch": e, "Loss_D": 1 - dx + dgz, "Loss_G": 0.02 / np.sqrt(e), "Score_D": dx, "Score_G": dgz,
                  "PSNR": 23.5 + 0.01 * e, "SSIM": 0.807 + 0.0001 * e}).to_csv(tmp_path / "srf_4_train_results.csv",
                                                                             index=False)
    df = read_run(tmp_path / "srf_4_train_results.csv")
    assert df.attrs["source_format"] == "srgan-statistics" and df.d_x.iloc[0] == pytest.approx(0.534)
    assert df.d_g_z1.iloc[-1] == pytest.approx(0.32) and {"psnr", "ssim"} <= set(df.columns)
    d = diagnose(df)
    assert d.assumptions["loss"] == "other" and d.assumptions["g_loss_terms"] == "composite"
    main = d.summary["main_finding"]
    assert main.startswith("unsupported loss type 'other' (leftthomas/SRGAN's statistics CSV: its D loss is "
                           "1 - D(x) + D(G(z))") and "D's logged outputs (probabilities)" in main
    # the reader identified the loss: no "declare --loss" (a declared BCE or LSGAN misreads it), and
    # who wins is judged from D's logged outputs, so only oscillation and stagnation go unchecked
    assert "declare --loss" not in main and "declare --loss" not in d.text()
    assert {u.label for u in d.not_checkable} >= {"oscillation", "stagnation"}
    assert not {u.label for u in d.not_checkable} & {"d_dominant", "g_dominant"}


def test_a_console_line_printed_twice_is_one_row(tmp_path):
    """A Keras SRGAN notebook printed each 'epoch N  g_loss: .., d_loss: ..' line twice from epoch
    1040 on: the repeats made the epoch column look like rows within epochs, and the log was stepped
    by its row number. Exact repeats are one row (warned); the epoch counter stays the step."""
    lines = [f"epoch {e}  g_loss: {1.2e5 - 25 * e:.6f}, d_loss: {1e-9 * (e % 7):.6g}" for e in range(0, 3000, 20)]
    doubled = lines[:52] + [x for line in lines[52:] for x in (line, line)]
    p = tmp_path / "train.txt"
    p.write_text("\n".join(doubled) + "\n")
    with pytest.warns(UserWarning, match="98 line.s. repeat the line before exactly"):
        df = read_run(p)
    assert len(df) == 150 and df.step.tolist() == list(range(0, 3000, 20)) and df.attrs["step_from"] == "epoch"
    # held-out batch 191: eight lines an epoch whose losses are flat at the print's 4 decimals ('Epoch [    5/   10] |
    # d_loss: 0.0000 | g_loss: 0.0000' eight times) are eight rows, not one line written eight times
    flat = [f"Epoch [{e:5d}/   10] | d_loss: {max(0.0, 0.9 - e / 3):.4f} | g_loss: {max(0.0, 0.5 - e / 5):.4f}"
            for e in range(1, 11) for _ in range(8)]
    q = tmp_path / "flat.txt"
    q.write_text("\n".join(flat) + "\n")
    assert len(read_run(q)) == 80
    # ... while in a log written twice throughout, two rows whose values coincide are four equal lines: two rows
    moving = [f"Epoch [{k // 8 + 1:5d}/   10] | d_loss: {0.9 - k / 100:.4f} | g_loss: {0.5 + k / 100:.4f}" for k in range(80)]
    moving[41] = moving[40]
    r = tmp_path / "doubled.txt"
    r.write_text("\n".join(x for line in moving for x in (line, line)) + "\n")
    assert len(read_run(r)) == 80


def test_timegan_print_reads_its_adversarial_losses(tmp_path):
    """TimeGAN's reference print ('step: 1000/50000, d_loss: .., g_loss_u: .., g_loss_s: .., g_loss_v: ..,
    e_loss_t0: ..', after the embedding and supervisor phases' e_loss / s_loss lines) was refused ('missing
    g_loss'): g_loss_u is G's adversarial loss, and D's loss adds three BCE terms (2/3 of it is on the
    real + fake scale)."""
    pre = [f"step: {s}/20000, e_loss: {0.29 - s / 1e5:.4f}" for s in range(0, 20000, 1000)]
    joint = [f"step: {s}/20000, d_loss: {1.9 - s / 2e4:.4f}, g_loss_u: {0.9 + s / 1e4:.4f}, g_loss_s: 0.0200, "
             f"g_loss_v: 0.0500, e_loss_t0: 0.0015" for s in range(0, 20000, 1000)]
    p = tmp_path / "timegan.log"
    p.write_text("Start Embedding Network Training\n" + "\n".join(pre) + "\nStart Joint Training\n" + "\n".join(joint) + "\n")
    df = read_run(p)
    assert df.attrs["source_format"] == "timegan-console" and len(df) == 20 and df.attrs["loss"] == "nsgan"
    assert df.d_loss.iloc[0] == pytest.approx(1.9 * 2 / 3) and df.d_loss_three_terms.iloc[0] == pytest.approx(1.9)
    assert df.g_loss.iloc[-1] == pytest.approx(2.8) and df.attrs["d_loss_reduction"] == "sum"


def test_a_bracketed_label_with_fake_and_real_parts_reads_them(tmp_path):
    """MelGAN-VC prints '[Epoch 0/5000] [Batch 600] [D loss f: 0.13 r: 0.17] [G loss: 1.7] [ID loss: 0.19]':
    the parts became bare columns 'f' and 'r' and the log was refused ('missing d_loss'). They are D's
    fake and real terms; D's loss their sum."""
    rng = np.random.default_rng(23)
    p = tmp_path / "melganvc.txt"
    p.write_text("".join(f"[Epoch {e}/5000] [Batch {b}] [D loss f: {0.1 + 0.05 * rng.random()} r: {0.15 + 0.05 * rng.random()}] "
                         f"[G loss: {1.8 - e / 10}] [ID loss: 0.19] [LR: 0.0002]\n" for e in range(5) for b in range(0, 3000, 600)))
    df = read_run(p)
    assert {"d_loss_fake", "d_loss_real"} <= set(df.columns) and "f" not in df.columns and len(df) == 25
    assert df.d_loss.to_numpy() == pytest.approx((df.d_loss_fake + df.d_loss_real).to_numpy())


def test_name_double_dash_bracket_prints_read(tmp_path):
    """An ACGAN script printed 'Epoch--[3 / 120], Loss_Discriminator--[0.29], Loss_Generator--[4.8],
    Accuracy--[35.4]': refused ('no line holds a labelled D or G loss'), even with --columns."""
    p = tmp_path / "train.txt"
    p.write_text("".join(f"Epoch--[{e} / 120], Loss_Discriminator--[{0.5 - e / 100:.4f}], "
                         f"Loss_Generator--[{4.8 + e / 50:.4f}],Accuracy--[{35 + e / 2:.2f}]\n" for e in range(40)))
    df = read_run(p)
    assert len(df) == 40 and df.step.tolist() == list(range(40)) and df.d_loss.iloc[1] == pytest.approx(0.49)
    assert df.g_loss.iloc[0] == pytest.approx(4.8) and "accuracy" in df.columns


def test_discrim_loss_is_d_loss():
    """A history CSV's ',discrim_loss' column (beside a gen_loss file) was no D loss name."""
    from ganalyze.runlog.schema import canonical_column

    assert canonical_column("discrim_loss") == "d_loss" and canonical_column("discrim_losses") == "d_loss"


def test_keras_gan_acgan_print_is_bce_with_a_composite_g(tmp_path):
    """Keras-GAN's acgan.py prints '%d [D loss: %f, acc.: %.2f%%, op_acc: %.2f%%] [G loss: %f]': both
    losses add the auxiliary classifier's cross-entropy, and a G loss of 0.05 beside a D loss of 0.8
    was read as least squares."""
    p = tmp_path / "acgan.txt"
    p.write_text("".join(f"{k} [D loss: {0.85 - k / 5000:.6f}, acc.: {97 + (k % 3) / 2:.2f}%, op_acc: {75 + k / 100:.2f}%] "
                         f"[G loss: {0.05 + 0.01 * (k % 5):.6f}]\n" for k in range(2000)))
    from ganalyze.diagnose.metadata import infer_metadata

    meta = infer_metadata(read_run(p))
    assert meta.loss == "nsgan" and meta.g_loss_terms == "composite" and meta.d_loss_reduction == "mean"


def test_a_bare_loss_column_beside_its_d_suffixed_sibling_is_g_loss(tmp_path):
    """An f-GAN's pandas CSV of two lists, ',losses,losses_d,losses_test,...': 'losses_d' is D's loss
    and 'losses' was no G name, so the file was refused for a missing g_loss. The bare sibling of a
    suffixed loss is the other player's, with a warning; a declared column still wins."""
    p = tmp_path / "losses.csv"
    n = 300
    pd.DataFrame({"losses": 0.5 + 0.01 * np.arange(n) / n, "losses_d": np.full(n, 1.01),
                  "losses_test": np.full(n, 0.5), "mse": np.full(n, 1.04)}).to_csv(p)
    with pytest.warns(UserWarning, match="read column 'losses' as g_loss"):
        df = read_run(p)
    assert df.g_loss.iloc[-1] == pytest.approx(0.5 + 0.01 * (n - 1) / n) and df.d_loss.iloc[0] == pytest.approx(1.01)
    assert "losses_test" in df.columns
    declared = read_run(p, columns={"g_loss": "losses_test"})
    assert declared.g_loss.iloc[-1] == pytest.approx(0.5) and "losses" in declared.columns


def test_srgans_perceptual_loss_beside_d_alone_is_gs_whole_objective(tmp_path):
    """Held-out batch 569/07: krasserm's SrganTrainer prints '19850/20000, perceptual loss = 0.1048, discriminator
    loss = 0.1692' (G's objective, a content loss plus 1e-3 x the adversarial one): refused for a missing g_loss. It is
    read as G's loss holding other terms, with a warning; beside a G loss of its own it stays a term of G's."""
    from ganalyze.diagnose.metadata import infer_metadata

    p = tmp_path / "srgan.txt"
    p.write_text("".join(f"{50 * k}/20000, perceptual loss = {0.18 - k / 4000:.4f}, discriminator loss = "
                         f"{0.2 + (k % 7) / 100:.4f}\n" for k in range(1, 41)))
    with pytest.warns(UserWarning, match="reading 'perceptual_loss' as G's loss"):
        df = read_run(p)
    assert df.g_loss.iloc[0] == pytest.approx(0.18 - 1 / 4000, abs=1e-4) and df.d_loss.iloc[1] == pytest.approx(0.22)
    assert infer_metadata(df).g_loss_terms == "composite"
    p.write_text("".join(f"step {k}, g_loss = 1.{k % 9}, perceptual loss = 0.1{k % 9}, d_loss = 0.5\n"
                         for k in range(40)))
    assert read_run(p).g_loss.iloc[1] == pytest.approx(1.1)


def test_a_line_opening_with_its_step_out_of_the_runs_steps(tmp_path):
    """Held-out batches 569/07 and 555/02: '50/20000, perceptual loss = ..' and '799/800 [D loss: 2.67 | D accuracy:
    50.39] [G loss: 3.08]' open with the step out of the run's steps; it was left unread and the rows numbered. A
    Keras bar's '469/469 [===' and a tqdm bar's '3/100 [00:01<' are no such step."""
    p = tmp_path / "log.txt"
    p.write_text("".join(f"{50 * k}/20000, g_loss = 0.1{k % 9}, d_loss = 0.5{k % 7}\n" for k in range(1, 31)))
    assert read_run(p).step.tolist()[:3] == [50, 100, 150]
    p.write_text("".join(f"{k}/800 [D loss: 2.{k % 9} | D accuracy: 50.39] [G loss: 3.0{k % 9}]\n" for k in range(30)))
    df = read_run(p)
    assert df.step.tolist()[:3] == [0, 1, 2] and df.g_loss.iloc[1] == pytest.approx(3.01)
    assert "row number" not in str(df.attrs.get("guessed", {}).get("step_from", ""))


def test_colon_bracketed_values_are_read(tmp_path):
    """A course notebook's 'D(x): [0.76] D(G): [0.55/0.33] GLoss: [11.4] DLoss: [3.04]' print was
    refused (and its error read the console as a CSV): a colon then the value, or a pair, in brackets."""
    rng = np.random.default_rng(5)
    vals = rng.uniform(0.1, 0.9, size=(600, 5))
    p = tmp_path / "acgan.txt"
    p.write_text("".join(f"[{k // 200}/3] [{k % 200}/200] D(x): [{v[0]:.4f}] D(G): [{v[1]:.4f}/{v[2]:.4f}] "
                         f"GLoss: [{5 + v[3]:.4f}] DLoss: [{3 - v[4]:.4f}] DLabel: [12.1]\n"
                         for k, v in enumerate(vals)))
    df = read_run(p)
    assert len(df) == 600 and df.step.iloc[-1] == 599
    assert df.g_loss.to_numpy() == pytest.approx(5 + vals[:, 3], abs=1e-4)
    assert df.d_loss.to_numpy() == pytest.approx(3 - vals[:, 4], abs=1e-4)
    assert df.d_g_z1.to_numpy() == pytest.approx(vals[:, 1], abs=1e-4)
    assert df.d_g_z2.to_numpy() == pytest.approx(vals[:, 2], abs=1e-4)
    assert df.d_x.to_numpy() == pytest.approx(vals[:, 0], abs=1e-4)


def test_name_space_value_prints_of_both_losses_are_read(tmp_path):
    """'D-loss -24.99, G-loss 99.22, FID Score: 316.3' and 'discriminator loss -20.17, generator loss
    118.46': a D and a G loss named without a colon were refused; such names are read where a line
    holds both, other words before a number are left alone."""
    p = tmp_path / "wgan.txt"
    p.write_text("".join(f"Epoch  [{e}/40] Batch 781/782                   D-loss {-20 - e / 10:.3f}, "
                         f"G-loss {100 + e:.3f}, FID Score: {300 - e:.3f} \n" for e in range(1, 41)))
    df = read_run(p)
    assert len(df) == 40 and df.d_loss.iloc[0] == pytest.approx(-20.1) and df.g_loss.iloc[-1] == pytest.approx(140)
    assert df.fid.iloc[0] == pytest.approx(299) and df.step.iloc[0] == 781
    q = tmp_path / "wgan2.txt"
    q.write_text("".join(f"Epoch {e}/10: discriminator loss {-20 + e:.3f}, generator loss {118 - e:.3f}\n"
                         for e in range(1, 11)))
    df2 = read_run(q)
    assert df2.d_loss.iloc[0] == pytest.approx(-19) and df2.g_loss.iloc[0] == pytest.approx(117)


def test_an_epoch_summary_printed_one_value_per_line_is_one_row(tmp_path):
    """A course notebook's WGAN-GP printed each epoch as a block ('[EPOCH SUMMARY] Epoch 3:' then
    'Average Discriminator Loss: ..', 'Average Generator Loss: ..', 'FID Score: ..' on lines of their
    own): each line became a half-empty row, two rows per epoch stepped by the row number."""
    rng = np.random.default_rng(9)
    blocks = []
    for e in range(1, 31):
        d, g, fid = -1000 * rng.random(), 3e3 * (1 + rng.random()), 230 - e
        blocks.append(f"[EPOCH {e}/30] Beginning training\n[IMAGE SAVE] Saved generated images at iteration "
                      f"{500 * (e - 1)}\n[EPOCH SUMMARY] Epoch {e}:\n  Average Discriminator Loss: {d:.4f}\n"
                      f"  Average Generator Loss: {g:.4f}\n  FID Score: {fid:.4f}\n[SAVE] Fake images saved for "
                      f"epoch {e}\n")
    p = tmp_path / "wgan.txt"
    p.write_text("===== WGAN-GP Training Initialization =====\n\n" + "\n".join(blocks))
    df = read_run(p)
    assert len(df) == 30 and df.d_loss.notna().all() and df.g_loss.notna().all()
    assert df.epoch.tolist() == list(range(30)) and df.d_loss.lt(0).all()
    # an epoch line followed by many batch lines printing D and G on separate lines is no one row per epoch: one
    # row per D and G pair (held-out batch 114; before, one half-empty row per line)
    q = tmp_path / "lines.txt"
    q.write_text("".join(f"Epoch {e}:\n" + "".join(f"D loss: {rng.random():.4f}\nG loss: {rng.random():.4f}\n"
                                                    for _ in range(3)) for e in range(1, 6)))
    lines = read_run(q)
    assert len(lines) == 15 and lines.d_loss.notna().all() and lines.g_loss.notna().all()


def test_machinelearningmastery_d1_d2_print_is_read_with_d_loss_their_sum(tmp_path):
    """'>3, 17/234, d1=0.693, d2=0.702 g=0.689' (machinelearningmastery's Keras GAN tutorials) and its
    'Epoch>3, Batch 17/234, ...' variant were refused: d1 / d2 are D's losses on its real and fake half
    batches, D's loss their sum; '>N' is the epoch and 'b/N' the batch, both from 1."""
    rng = np.random.default_rng(13)
    v = rng.uniform(0.4, 0.9, size=(3 * 50, 3))
    lines = [f">{e}, {b}/50, d1={v[k, 0]:.3f}, d2={v[k, 1]:.3f} g={v[k, 2]:.3f}"
             for k, (e, b) in enumerate((e, b) for e in range(1, 4) for b in range(1, 51))]
    p = tmp_path / "mlm.txt"
    p.write_text("\n".join(lines) + "\n")
    df = read_run(p)
    assert len(df) == 150 and df.step.tolist() == list(range(150)) and df.attrs["source_format"] == "keras-mlm-console"
    assert df.d_loss.to_numpy() == pytest.approx(np.round(v[:, 0], 3) + np.round(v[:, 1], 3))
    assert df.d_loss_real.iloc[0] == pytest.approx(round(v[0, 0], 3)) and df.g_loss.iloc[-1] == pytest.approx(round(v[-1, 2], 3))
    assert df.attrs["d_loss_reduction"] == "sum"
    q = tmp_path / "mlm2.txt"
    q.write_text("1/1 [==============================] - 0s 6ms/step\n".join(
        line.replace(">", "Epoch>").replace(", ", ", Batch ", 1) + "\n" for line in lines))
    assert read_run(q).step.tolist() == list(range(150))
    # halves printed only as nan (a run that diverged at once) stay D's loss, non-finite, not "missing d_loss"
    n = tmp_path / "mlm_nan.txt"
    n.write_text(">1, 1/2, d1=nan, d2=nan g=nan\n>1, 2/2, d1=nan, d2=nan g=nan\n")
    assert read_run(n).d_loss.isna().all()


def test_machinelearningmastery_wgan_c1_c2_print_is_a_critic_whose_loss_is_their_sum(tmp_path):
    """Held-out batch 421: '>1, c1=-2.074, c2=0.028 g=-0.369' (machinelearningmastery's Keras WGAN tutorial,
    copied into many repositories) was refused for a missing d_loss: c1 / c2 are the critic's losses on the
    reals and the fakes (mean(y_true * y_pred), reals labelled -1), the critic's loss their sum, g G's loss;
    one line per iteration, counted from 1."""
    rng = np.random.default_rng(21)
    c1, c2, g = -rng.uniform(2, 9, 60), rng.uniform(0, 1, 60), rng.uniform(-0.5, 0.5, 60)
    p = tmp_path / "wgan.txt"
    p.write_text("".join(f">{k + 1}, c1={c1[k]:.3f}, c2={c2[k]:.3f} g={g[k]:.3f}\n" for k in range(60)))
    df = read_run(p)
    assert df.attrs["source_format"] == "keras-mlm-wgan-console" and df.step.tolist() == list(range(1, 61))
    assert df.d_loss.to_numpy() == pytest.approx(np.round(c1, 3) + np.round(c2, 3))
    assert df.d_loss_real.iloc[0] == pytest.approx(round(c1[0], 3)) and df.g_loss.iloc[-1] == pytest.approx(round(g[-1], 3))
    assert df.attrs["loss"] == "wgan-gp" and df.attrs["scores"] == "critic" and df.attrs["d_loss_reduction"] == "sum"


def test_a_model_summary_printed_before_training_is_no_rows(tmp_path):
    """Held-out batch 424/01: torchinfo's summaries of G and D ('│    └─BatchNorm2d: 2-3  [64, 1024, 4, 4]  2,048',
    'Total mult-adds (G): 98.18') were read as 13 rows of D's loss 2 and one of G's loss 98 (labels 'd', 'G)'), and
    the run's own loss line was dropped as an epoch summary beside them."""
    summary = ("=" * 60 + "\nLayer (type:depth-idx)                   Output Shape              Param #\n" + "=" * 60 + "\n"
               "Generator                                --                        --\n"
               "├─Sequential: 1-1                        [64, 1024, 4, 4]          --\n"
               + "".join(f"│    └─BatchNorm2d: 2-{k}                 [64, 512, 8, 8]           1,024\n"
                         f"│    └─Conv2d: 2-{k + 1}                      [64, 512, 8, 8]           4,719,104\n"
                         for k in range(1, 14, 2))
               + "=" * 60 + "\nTotal params: 10,501,313\nTotal mult-adds (G): 98.18\n" + "=" * 60 + "\n"
               "Input size (MB): 0.07\nForward/backward pass size (MB): 1090.52\n" + "=" * 60 + "\n")
    rng = np.random.default_rng(23)
    d, g = -rng.uniform(5, 25, 12), rng.uniform(-8, 8, 12)
    log = "".join(f"Training epoch {k + 1}:\n    g_loss: {g[k]:.3f} d_loss: {d[k]:.3f} grad_pen: 8.027\n" for k in range(12))
    p = tmp_path / "summary_then_log.txt"
    p.write_text(summary + summary.replace("Generator ", "Critic    ") + log)
    df = read_run(p)
    assert len(df) == 12 and df.d_loss.to_numpy() == pytest.approx(np.round(d, 3))
    assert df.g_loss.to_numpy() == pytest.approx(np.round(g, 3))


def test_costs_named_gen_and_disc_are_the_losses(tmp_path):
    """Held-out batch 433/14: 'epoch:0|gen_cost:0.761746|disc_loss:1.231368|learning_rate:0' was refused for a
    missing g_loss (g_cost was known, gen_cost not)."""
    p = tmp_path / "costs.txt"
    p.write_text("".join(f"epoch:{e}|gen_cost:{0.7 + 0.01 * e:.6f}|disc_loss:{1.2 - 0.01 * e:.6f}|learning_rate:0\n"
                         for e in range(12)))
    df = read_run(p)
    assert len(df) == 12 and df.g_loss.iloc[3] == pytest.approx(0.73) and df.d_loss.iloc[3] == pytest.approx(1.17)
    q = tmp_path / "costs2.txt"
    q.write_text("".join(f"step {k} disc_cost: {1.3 - 0.01 * k:.4f} generator_cost: {0.8:.4f}\n" for k in range(12)))
    assert read_run(q).d_loss.iloc[2] == pytest.approx(1.28)


def test_a_colon_followed_by_a_sign_space_is_read(tmp_path):
    """CTGAN's verbose print f"Epoch {i+1}, Loss G: {loss_g: .4f},Loss D: {loss_d: .4f}" leaves a
    space for the sign ('Loss G:  3.6931,Loss D: -0.0437'): the two spaces cut the label from its
    value and the log was refused, even with --columns."""
    rng = np.random.default_rng(17)
    g, d = 3.5 + rng.standard_normal(80), 0.05 * rng.standard_normal(80)
    p = tmp_path / "ctgan.txt"
    p.write_text("".join(f"Epoch {k + 1}, Loss G: {g[k]: .4f},Loss D: {d[k]: .4f}\n" for k in range(80)))
    df = read_run(p)
    assert len(df) == 80 and df.epoch.tolist() == list(range(80))
    assert df.g_loss.to_numpy() == pytest.approx(np.round(g, 4)) and df.d_loss.to_numpy() == pytest.approx(np.round(d, 4))


def test_an_fid_printed_alone_on_its_line_goes_to_the_row_before_it(tmp_path):
    """A course notebook printed 'Fretchet Distance:  398.6' (sic) on a line of its own after each
    epoch's last loss line, and an epoch summary block 'FID Score: 230.7': both were dropped."""
    rng = np.random.default_rng(19)
    out, fids = [], []
    for e in range(1, 11):
        out += [f"Epoch [{e}/10] Batch {b}/500                   Loss Discriminator: {0.5 + 0.1 * rng.random():.3f}, "
                f"loss Generator: {1 + rng.random():.3f}" for b in range(0, 500, 100)]
        fids.append(400 - 15 * e + rng.random())
        out.append(f"Fretchet Distance:  {fids[-1]}")
    p = tmp_path / "hw4.txt"
    p.write_text("\n".join(out) + "\n")
    df = read_run(p)
    assert len(df) == 50 and df.fid.notna().sum() == 10
    assert df.fid.dropna().to_numpy() == pytest.approx(fids) and np.isfinite(df.fid.to_numpy()[4::5]).all()
    q = tmp_path / "blocks.txt"
    q.write_text("".join(f"[EPOCH SUMMARY] Epoch {e}:\n  Average Discriminator Loss: {-5 - e}\n  Average Generator Loss: "
                         f"{30 + e}\n  FID Score: {300 - e}.5\n" for e in range(1, 21)))
    blocks = read_run(q)
    assert len(blocks) == 20 and blocks.fid.tolist() == [300 - e + 0.5 for e in range(1, 21)]


def test_spaced_names_on_a_line_without_separators_are_read_whole(tmp_path):
    """'Generator Loss: 0.19 Discriminator Loss: -4.97' (a spectral-norm WGAN-GP notebook) and
    Julia's '[ Info: [3]: critic loss: 0.03 generator loss: 0.02': with single spaces between the
    pairs each name was read as its last word, 'Loss' twice, and the log was refused."""
    rng = np.random.default_rng(31)
    g, d = rng.random(60), -5 * rng.random(60)
    p = tmp_path / "sn.txt"
    p.write_text("".join(f"Generator Loss: {g[k]} Discriminator Loss: {d[k]}\n" for k in range(60)))
    df = read_run(p)
    assert df.g_loss.to_numpy() == pytest.approx(g) and df.d_loss.to_numpy() == pytest.approx(d)
    q = tmp_path / "julia.log"
    q.write_text("[ Info: Beginning training loop...\n" + "".join(
        f"[ Info: [{k + 1}]: critic loss: {d[k]:.4f} generator loss: {g[k]:.4f}\n" for k in range(60)))
    jl = read_run(q)
    assert jl.d_loss.to_numpy() == pytest.approx(np.round(d, 4)) and jl.g_loss.to_numpy() == pytest.approx(np.round(g, 4))
    # an epoch's summary among per-step rows ('Mean D loss: .. Mean G loss: ..', MelGAN-VC) is no row
    m = tmp_path / "melganvc.txt"
    m.write_text("".join(f"[D loss f: {d[k]:.4f} r: {g[k]:.4f}] [G loss: {g[k]:.4f}] [ID loss: 0.1] [LR: 0.0001]\n"
                         + ("Mean D loss: 0.08 Mean G loss: 0.91 Mean ID loss: 0.10\n" if k % 20 == 19 else "")
                         for k in range(60)))
    mel = read_run(m)
    assert len(mel) == 60 and mel.d_loss.notna().all()


def test_a_tqdm_bar_per_epoch_gives_the_iterations_per_epoch(tmp_path):
    """'Epoch 3/50: 100%|██████████| 704/704 [01:19<00:00, 8.94it/s, G_loss=-0.06, D_loss=-0.01]' (tqdm
    with a postfix, one finished bar per epoch): the bar's 704/704 are the epoch's iterations, so a
    row is step epoch * 704 + 703, not one of 100 iterations per epoch; 'Epoch 3/50' with its 100%
    was read as a column of its own."""
    rng = np.random.default_rng(37)
    g, d = -0.05 + 0.01 * rng.standard_normal(20), -0.01 + 0.01 * rng.standard_normal(20)
    p = tmp_path / "tqdm.txt"
    p.write_text("Starting training...\n" + "".join(
        f"Epoch {e + 1}/20: 100%|██████████| 704/704 [01:19<00:00,  8.94it/s, G_loss={g[e]:.4g}, D_loss={d[e]:.4g}]\n"
        for e in range(20)))
    df = read_run(p)
    assert df.step.tolist() == [704 * e + 703 for e in range(20)] and df.attrs["iters_per_epoch"] == 704
    assert list(df.columns) == ["step", "epoch", "g_loss", "d_loss"]


def test_fosters_generative_deep_learning_prints_are_read(tmp_path):
    """The book's Keras code prints '%d [D loss: (%.3f)(R %.3f, F %.3f)] [D acc: (%.3f)(%.3f, %.3f)] [G loss:
    %.3f] [G acc: %.3f]' and, for its WGAN-GP, '%d (%d, %d) [D loss: (%.1f)(R %.1f, F %.1f, G %.1f)] [G loss:
    %.1f]' (G: the gradient penalty): a total in parentheses then its parts; both were refused. So was
    Keras-GAN's '[D loss: 0.71 acc_real: 0.52 acc_fake: 0.10]' without commas ('loss' alone)."""
    rng = np.random.default_rng(47)
    r, f = rng.uniform(0.5, 0.9, 100), rng.uniform(0.5, 0.9, 100)
    p = tmp_path / "gan.txt"
    p.write_text("Instructions for updating:\n" + "".join(
        f"{k} [D loss: ({(r[k] + f[k]) / 2:.3f})(R {r[k]:.3f}, F {f[k]:.3f})] [D acc: (0.500)(0.520, 0.480)] "
        f"[G loss: {1 - r[k] / 3:.3f}] [G acc: 0.400]\n" for k in range(100)))
    df = read_run(p)
    assert df.d_loss_real.to_numpy() == pytest.approx(np.round(r, 3)) and df.d_loss_fake.iloc[0] == pytest.approx(round(f[0], 3))
    assert df.step.tolist() == list(range(100)) and {"d_acc", "d_acc_real", "d_acc_fake", "g_acc"} <= set(df.columns)
    q = tmp_path / "wgangp.txt"
    q.write_text("".join(f"{k} (5, 1) [D loss: ({-25 + k / 10:.1f})(R 47.5, F -76.3, G {0.4 + k / 100:.1f})] "
                         f"[G loss: {73 - k / 10:.1f}]\n" for k in range(100)))
    w = read_run(q)
    assert w.step.tolist() == list(range(100)) and w.d_loss.iloc[10] == pytest.approx(-24.0)
    assert w.gradient_penalty.iloc[-1] == pytest.approx(1.4) and w.d_loss_real.iloc[0] == pytest.approx(47.5)
    q.write_text(q.read_text().replace(", G ", ", GP "))       # later forks label the penalty GP
    assert read_run(q).gradient_penalty.iloc[-1] == pytest.approx(1.4)
    c = tmp_path / "nocomma.txt"
    c.write_text("".join(f"{k} [D loss: {0.7 - k / 1000:.6f} acc_real: 0.52 acc_fake: 0.10] [G loss: {0.55 + k / 100:.6f}]\n"
                         for k in range(100)))
    nc = read_run(c)
    assert nc.d_loss.iloc[50] == pytest.approx(0.65) and nc.g_loss.iloc[0] == pytest.approx(0.55)


def test_dcgan_tutorial_counters_in_four_brackets_are_epoch_and_batch(tmp_path):
    """'[0][5][50][1583]\\tLoss_D: ..' (a copy of the DCGAN tutorial printing each counter in brackets
    of its own): epoch 0 of 5, batch 50 of 1583; it was stepped by the row number."""
    rng = np.random.default_rng(59)
    p = tmp_path / "dcgan.txt"
    p.write_text("Start Training\n" + "".join(
        f"[{e}][4][{b}][1400]\tLoss_D: {1 + 0.1 * rng.random():.4f}\tLoss_G: {2 + rng.random():.4f}\t"
        f"D(x): {0.6 + 0.1 * rng.random():.4f}\tD(G(z)): 0.3359 / 0.2858\n" for e in range(4) for b in range(0, 1400, 50)))
    df = read_run(p)
    assert df.step.tolist() == [1400 * e + b for e in range(4) for b in range(0, 1400, 50)]
    assert df.attrs["source_format"] == "dcgan-console" and df.d_g_z2.iloc[0] == pytest.approx(0.2858)


def test_pytorch_gan_and_keras_gan_least_squares_prints_keep_their_scripts_conventions(tmp_path):
    """PyTorch-GAN's cgan.py / lsgan.py (nn.MSELoss, d_loss = (real + fake) / 2) was judged as a sum:
    the format's 'mean' hint decided only BCE logs, and a least-squares D loss's numbers never tell.
    Keras-GAN's lsgan.py (loss='mse') was judged with the paper's 1/2 terms (equilibrium 0.125)."""
    from ganalyze.diagnose.metadata import infer_metadata

    rng = np.random.default_rng(67)
    p = tmp_path / "pytorch_gan.txt"
    p.write_text("".join(f"[Epoch {e}/20] [Batch {b}/938] [D loss: {0.2 + 0.05 * rng.random():f}] "
                         f"[G loss: {0.45 + 0.1 * rng.random():f}]\n" for e in range(20) for b in range(0, 938, 100)))
    meta = infer_metadata(read_run(p), loss="lsgan")
    assert meta.d_loss_reduction == "mean" and "(real_loss + fake_loss) / 2" in meta.assumption("d_loss_reduction").reason
    assert meta.lsgan_terms == "plain"
    q = tmp_path / "keras_gan.txt"
    q.write_text("".join(f"{k} [D loss: {0.2 + 0.05 * rng.random():f}, acc.: {50 + 10 * rng.random():.2f}%] "
                         f"[G loss: {0.5 + 0.1 * rng.random():f}]\n" for k in range(600)))
    kmeta = infer_metadata(read_run(q), loss="lsgan")
    assert kmeta.lsgan_terms == "plain" and kmeta.d_loss_reduction == "mean"


def test_loss_log_rows_under_a_validation_header_are_no_training_steps(tmp_path):
    """A CycleGAN fork prints '===== Validation Loss (date) =====' and then evaluation rows in the
    training format ('(epoch: 1, iters: 1, ...) D_A: ..'): they split epoch 1 off as a run of its own,
    overwrote training rows and drew single-step labels. They are skipped, with a warning."""
    rng = np.random.default_rng(71)

    def row(ep, it):
        return (f"(epoch: {ep}, iters: {it}, time: 0.196, data: 0.002) D_A: {0.2 + 0.1 * rng.random():.3f} "
                f"G_A: {0.5 + 0.2 * rng.random():.3f} cycle_A: 1.4 D_B: {0.2 + 0.1 * rng.random():.3f} G_B: 0.4 cycle_B: 1.2 \n")
    out = ["================ Training Loss (Mon Jan  6 10:00:00 2025) ================\n"]
    for ep in range(1, 6):
        out += [row(ep, it) for it in range(100, 1401, 100)]
        out.append(f"================ Validation Loss (Mon Jan  6 10:0{ep}:00 2025) ================\n")
        out += [row(ep, it) for it in (1, 101, 201)]
        out.append(f"================ Model Saved (Mon Jan  6 10:0{ep}:30 2025) ================\n")
    (tmp_path / "loss_log.txt").write_text("".join(out))
    with pytest.warns(UserWarning, match="skipping 15 row.s. under 'Validation Loss' headers"):
        runs = read_runs(tmp_path / "loss_log.txt")
    assert sorted(runs) == ["loss_log:A", "loss_log:B"] and all(len(df) == 70 for df in runs.values())


def test_a_fresh_loss_log_session_at_another_print_interval_is_another_run(tmp_path):
    """A CycleGAN loss_log: a first run printed every 100 images over 4 epochs, then a new 'Training
    Loss' session from epoch 1 printing every 300 (a new configuration from scratch). Its first line
    was not back at the file's first (epoch, iters), so it read as a resume and its rows replaced
    the first run's (418 of 420, dropped behind one warning). It is another run now."""
    rng = np.random.default_rng(73)

    def rows(epochs, every):
        return "".join(f"(epoch: {ep}, iters: {it}, time: 0.2, data: 0.01) D_A: {0.25 * rng.random():.3f} "
                       f"G_A: {0.5 * rng.random():.3f} D_B: {0.25 * rng.random():.3f} G_B: {0.5 * rng.random():.3f} \n"
                       for ep in range(1, epochs + 1) for it in range(every, 3001, every))
    head = "================ Training Loss (Mon Jan  6 1{}:00:00 2025) ================\n"
    (tmp_path / "loss_log.txt").write_text(head.format(0) + rows(4, 100) + head.format(5) + rows(6, 300))
    runs = read_runs(tmp_path / "loss_log.txt")
    assert sorted(runs) == ["loss_log:A_run1", "loss_log:A_run2", "loss_log:B_run1", "loss_log:B_run2"]
    assert len(runs["loss_log:A_run1"]) == 120 and len(runs["loss_log:A_run2"]) == 60


def test_keras_critic_and_adversarial_loss_names_and_step_epoch_batch(tmp_path):
    """Foster's Keras WGAN-GP prints '- c_loss: -10.36 - c_wass_loss: .. - c_gp: .. - g_loss: ..' (c_loss:
    the critic's total) and PyImageSearch's Keras DCGAN '[INFO] Step 1_25: discriminator_loss=..,
    adversarial_loss=..' (G's loss through the combined model; epoch 1, batch 25): both were refused."""
    rng = np.random.default_rng(79)
    p = tmp_path / "wgangp.txt"
    p.write_text("".join(f"Epoch {e}/25\n900/900 [==============================] - 31s 27ms/step - c_loss: "
                         f"{-10 + rng.random():.4f} - c_wass_loss: -13.2 - c_gp: 0.29 - g_loss: {-1 + rng.random():.4f}\n"
                         for e in range(1, 26)))
    df = read_run(p)
    assert len(df) == 25 and df.d_loss.lt(-9).all() and "c_wass_loss" in df.columns
    q = tmp_path / "pyimagesearch.txt"
    q.write_text("".join(f"[INFO] starting epoch {e} of 10...\n" + "".join(
        f"[INFO] Step {e}_{b}: discriminator_loss={0.6 + 0.1 * rng.random():.6f}, adversarial_loss={0.8 + rng.random():.6f}\n"
        for b in range(0, 500, 25)) for e in range(1, 11)))
    dq = read_run(q)
    assert len(dq) == 200 and dq.g_loss.gt(0.79).all() and dq.step.iloc[21] == dq.step.iloc[20] + 25


def test_d_of_g_of_z_printed_with_an_arrow_is_the_tutorials_pair(tmp_path):
    """A per-epoch variant of the DCGAN tutorial's print: 'D(G(z)): 0.1206 → 0.1311' (before and
    after G's step, as the tutorial's '0.1206 / 0.1311'); the second value was dropped."""
    p = tmp_path / "dcgan.txt"
    p.write_text("".join(f"[Epoch {e:2d}/40]  Loss_D: 0.3479  Loss_G: 4.5783  D(x): 0.9745  D(G(z)): 0.12{e:02d} \u2192 0.13{e:02d}\n"
                         for e in range(1, 41)))
    df = read_run(p)
    assert df.d_g_z1.iloc[0] == pytest.approx(0.1201) and df.d_g_z2.iloc[-1] == pytest.approx(0.1340)


def test_keras_gan_aae_print_is_bce_with_a_composite_g(tmp_path):
    """Keras-GAN's aae.py prints '%d [D loss: %f, acc: %.2f%%] [G loss: %f, mse: %f]': G's loss is the
    combined model's total, 0.999 x the reconstruction MSE + 0.001 x the adversarial BCE. It was read
    as a GAN's G, guessed least squares from the pair of levels, and a run drawing clear digits
    headlined 'possible g_dominant'."""
    from ganalyze.diagnose.metadata import infer_metadata

    rng = np.random.default_rng(97)
    p = tmp_path / "aae.txt"
    p.write_text("".join(f"{k} [D loss: {0.4 + 0.05 * rng.random():f}, acc: {80 + 5 * rng.random():.2f}%] "
                         f"[G loss: {0.05 + 0.01 * rng.random():f}, mse: {0.05 + 0.01 * rng.random():f}]\n"
                         for k in range(2000)))
    df = read_run(p)
    assert "aae.py" in df.attrs["g_loss_composite"]
    meta = infer_metadata(df)
    assert meta.loss == "nsgan" and meta.g_loss_terms == "composite"


def test_a_bare_tqdm_bar_reads_its_counter_and_drops_the_postfix_redraw(tmp_path):
    """A tqdm bar over epochs with ``set_postfix(Generator loss=.., Critic loss=..)`` and no 'Epoch' word
    shows each epoch's values twice: at n = k (the postfix) and at n = k + 1 (``update()``). Read before
    as 2 rows per epoch stepped by the row number; now one row per epoch, its counter the epoch."""
    rng = np.random.default_rng(34)
    g, c = rng.normal(0.3, 0.2, 30), -1 - 0.1 * np.arange(30) + rng.normal(0, 0.05, 30)
    lines = ["  0%|          | 0/30 [00:00<?, ?it/s]\x1b[A", "Critic Update: 0"]
    for e in range(30):
        post = f"Generator loss={g[e]:.7f}, Critic loss={c[e]:.7f}]"
        lines += [f"  {e * 3}%|▎         | {e}/30 [01:40<40:00, 40.00s/it, {post}\x1b[A",
                  f"  {e * 3 + 3}%|▎         | {e + 1}/30 [02:40<40:00, 40.00s/it, {post}\x1b[A", "Critic Update: 0"]
    p = tmp_path / "bar.txt"
    p.write_text("\n".join(lines) + "\n")
    df = read_run(p)
    assert len(df) == 30 and df.epoch.tolist() == list(range(30))
    np.testing.assert_allclose(df.d_loss, np.round(c, 7), atol=1e-7)
    np.testing.assert_allclose(df.g_loss, np.round(g, 7), atol=1e-7)


def test_a_bare_tqdm_bar_over_iterations_steps_by_its_counter(tmp_path):
    """A bar over 5,000 iterations refreshed every few of them (tqdm's mininterval): the counter is the
    step, each refresh one row; identical values one count apart would be a redraw, other rows stay."""
    rng = np.random.default_rng(35)
    steps = np.arange(0, 5000, 7)
    d, g = rng.normal(1.2, 0.1, len(steps)), rng.normal(0.9, 0.1, len(steps))
    p = tmp_path / "bar.txt"
    p.write_text("".join(f" {s // 50}%|█  | {s}/5000 [00:10<01:00, 80.1it/s, d_loss={d[k]:.4f}, g_loss={g[k]:.4f}]\n"
                         for k, s in enumerate(steps)))
    df = read_run(p)
    assert df.step.tolist() == steps.tolist() and "epoch" not in df.columns


def test_epochs_with_a_colon_is_the_epoch_but_a_fraction_of_epochs_is_not(tmp_path):
    """'Epochs:3 || Generator_Loss: 36.5 || Discriminator_Loss: 0.21' numbers epochs (was read by the row
    number); 'Epochs: 1.163 global step: 1000  loss_D: ..' is a fraction of the data seen beside the step."""
    rng = np.random.default_rng(36)
    p = tmp_path / "epochs.txt"
    p.write_text("".join(f"Epochs:{e} || Generator_Loss: {rng.normal(35, 2):.3f} || Discriminator_Loss: "
                         f"{rng.uniform(0.1, 0.4):.3f}\n" for e in range(3, 43)))
    df = read_run(p)
    assert df.epoch.tolist() == list(range(3, 43)) and df.attrs["step_from"] == "epoch"
    q = tmp_path / "fraction.txt"
    q.write_text("".join(f"Epochs: {s / 860:.3f} global step: {s}  loss_D: {rng.uniform(0.1, 0.3):.6f}  loss_G: "
                         f"{rng.uniform(0.2, 0.4):.6f} (4040.9 examples/sec; 0.016 sec/batch)\n"
                         for s in range(1000, 43000, 1000)))
    df = read_run(q)
    assert df.step.tolist() == list(range(1000, 43000, 1000)) and "epoch" not in df.columns


def test_a_loss_log_written_out_as_a_table_reads_as_the_loss_log(tmp_path):
    """A DVC plots stage writes pix2pix's loss_log as ``epoch, iters, G_GAN, G_L1, D_real, D_fake``: it was
    refused ('missing g_loss'), and with --columns g_loss=G_GAN its D_real / D_fake were read as D's
    outputs. Read as the loss_log: D's loss terms, d_loss their mean, iters restarting each epoch."""
    rng = np.random.default_rng(39)
    rows = [(e, i, *rng.uniform(0.2, 2, 4)) for e in range(1, 5) for i in range(100, 1001, 100)]
    p = tmp_path / "cityscapes_loss.csv"
    p.write_text("epoch, iters, G_GAN, G_L1, D_real, D_fake\n" + "".join(
        f"{e}, {i}, {a:.3f}, {10 * b:.3f}, {c:.3f}, {d:.3f}\n" for e, i, a, b, c, d in rows))
    df = read_run(p)
    assert df.step.tolist() == [(e - 1) * 1000 + i for e in range(1, 5) for i in range(100, 1001, 100)]
    assert {"d_loss_real", "d_loss_fake"} <= set(df.columns) and not {"d_x", "d_g_z1"} & set(df.columns)
    np.testing.assert_allclose(df.d_loss, 0.5 * (df.d_loss_real + df.d_loss_fake))
    assert df.attrs["loss"] == "nsgan" and df.attrs["source_format"] == "pix2pix-loss-log (as a table)"


def test_a_batch_counter_printed_every_nth_and_never_at_0_counts_from_1(tmp_path):
    """'Train Epoch: 1 [Iter: 100]' .. '[Iter: 600]' with no total and no 0: the (i + 1) % 100 == 0 of a
    1-based print, so 600 batches per epoch (it was read as 601, drifting a step per epoch)."""
    rng = np.random.default_rng(41)
    p = tmp_path / "train.txt"
    p.write_text("".join(f"Train Epoch: {e} [Iter: {i}]\t Gloss: {rng.normal(1.3, 0.1):.6f} Dloss: "
                         f"{rng.normal(0.9, 0.1):.6f}\n" for e in range(1, 6) for i in range(100, 601, 100)))
    df = read_run(p)
    assert df.step.tolist() == [(e - 1) * 600 + i - 1 for e in range(1, 6) for i in range(100, 601, 100)]
    assert "counts from 1" in df.attrs["guessed"]["step_from"]


def test_the_last_losses_printed_again_without_the_epoch_are_no_row(tmp_path):
    """A script that prints 'Epoch: N, Loss D: .., Loss G: ..' each epoch and the last losses again when
    training ends ('  Loss D: ..   Loss G: ..'): 40 epochs read as 41 rows, the re-print a step of its own."""
    rng = np.random.default_rng(44)
    d, g = rng.normal(0.6, 0.05, 40), rng.normal(0.9, 0.05, 40)
    p = tmp_path / "nohup.out"
    p.write_text("".join(f"Epoch: {e}, Loss D: {float(d[e])!r}, Loss G: {float(g[e])!r}, MMD: 0.06\n" for e in range(40))
                 + f"  Loss D: {float(d[-1])!r}   Loss G: {float(g[-1])!r}\n")
    with pytest.warns(UserWarning, match="no epoch among lines that print their epoch"):
        df = read_run(p)
    assert df.epoch.tolist() == list(range(40)) and df.d_loss.tolist() == d.tolist()


def test_biggan_pytorch_progress_records_read_with_itr_as_the_step(tmp_path):
    """BigGAN-PyTorch prints 'k/N (  p%) (TE/ETA: ..) itr: 1, G_loss : -0.345, D_loss_real : +0.529,
    D_loss_fake : +0.274' after a '\\r'; a SLURM .out without the '\\r's holds many records to a line, after
    'Number of params in G: 3900512 D: 3811207'. It was refused (the params line read as a loss row: 'G' and
    'G_loss' both G's loss); now every record is a row, itr the step, d_loss the sum of the two terms."""
    rng = np.random.default_rng(43)
    recs = [f"{i % 40 + 1}/40 ({100 * (i % 40) / 40:6.2f}%) " + ("(TE/ETA: 0:01 / 0:40) " if i % 40 else "")
            + f"itr: {i + 1}, G_loss : {rng.normal(0, 0.5):+.3f}, D_loss_real : {rng.uniform(0.1, 0.9):+.3f}, "
              f"D_loss_fake : {rng.uniform(0.1, 0.5):+.3f}" for i in range(120)]
    evals = [f"Itr {k + 40}: PYTORCH UNOFFICIAL Inception Score is {5 + k / 40:.3f} +/- 0.055, PYTORCH UNOFFICIAL FID "
             f"is {37 - k / 4:.4f}" for k in range(0, 120, 40)]
    p = tmp_path / "biggan.out"
    p.write_text("Param count for Gs initialized parameters: 3900001\nNumber of params in G: 3900512 D: 3811207\n"
                 "Beginning training at epoch 0...\n" + "\n".join(" ".join(recs[k:k + 40]) + "\n" + evals[k // 40]
                                                           for k in range(0, 120, 40)) + "\n")
    df = read_run(p)
    assert df.step.tolist() == list(range(1, 121)) and "itr" not in df.columns
    assert df.set_index("step").fid.dropna().to_dict() == {40: 37.0, 80: 27.0, 120: 17.0}
    assert df.inception_score.notna().sum() == 3
    np.testing.assert_allclose(df.d_loss, df.d_loss_real + df.d_loss_fake)
    assert df.g_loss.abs().max() < 3 and df.attrs["d_loss_reduction"] == "sum"


def test_an_epoch_summary_among_batch_rows_is_no_row(tmp_path):
    """'[Epoch 41/120] [Batch 1/400][D loss 0.07] [G loss 2.05]' rows with 'Epoch: 41 -> Dis loss: 0.0712 Gen
    loss: 2.093' after each epoch: the two names of D's loss were refused as 'both mean d_loss'; the summary
    lines, with no batch among rows that print theirs, are skipped with a warning."""
    rng = np.random.default_rng(45)
    lines = []
    for e in range(41, 56):
        for b in (1, 201, 400):
            lines.append(f"[Epoch {e}/120] [Batch {b}/400][D loss {rng.uniform(0.05, 0.1):.5f}] [G loss {rng.uniform(1.8, 2.3):.5f}]")
        lines += ["", f"Epoch: {e} -> Dis loss: {rng.uniform(0.05, 0.1):.4f} Gen loss: {rng.uniform(1.8, 2.3):.3f}",
                  "Validation Set: PSNR: 24.76, SSIM: 0.696"]
    p = tmp_path / "esrgan.txt"
    p.write_text("\n".join(lines) + "\n")
    with pytest.warns(UserWarning, match="no batch among lines that print their batch"):
        df = read_run(p)
    assert len(df) == 45 and df.d_loss.notna().all() and df.step.is_monotonic_increasing


def test_epoch_lines_printed_after_their_rows_close_their_epoch(tmp_path):
    """'Batch: 50 Generator Loss: .. Discriminator Loss: ..' rows, then 'Epoch [1 / 3] average loss generator
    vs. discrim.: 2.07 vs. 0.33' after them: read as headers, epoch 1's rows were dropped and every later
    row went to the epoch before its own. Rows before the first such line and none after the last: trailers."""
    rng = np.random.default_rng(46)
    lines = ["Training ..."]
    for e in range(1, 4):
        lines += [f"Batch: {b} Generator Loss: {float(rng.normal(2, 0.05))!r} Discriminator Loss: {float(rng.normal(0.33, 0.01))!r}"
                  for b in range(50, 451, 50)]
        lines += [f"Epoch [{e} / 3] average loss generator vs. discrim.: 2.07 vs. 0.33", ""]
    p = tmp_path / "trailers.txt"
    p.write_text("\n".join(lines) + "\n")
    df = read_run(p)
    assert len(df) == 27 and df.epoch.tolist() == [e for e in range(3) for _ in range(9)]


def test_a_lone_e_key_is_the_epoch_and_an_iter_dash_counter_the_step(tmp_path):
    """'E: 3, G: 4.45, D: 0.17, T: 13.2' (E the epoch) and 'Iter-5000; D_loss: ..; G_loss: ..' were stepped by
    their row numbers (50 epochs read as 50 iterations: 'too short to judge')."""
    rng = np.random.default_rng(47)
    p = tmp_path / "e.txt"
    p.write_text("".join(f"E: {e}, G: {float(rng.normal(3, 0.5))!r}, D: {float(rng.uniform(0.1, 0.4))!r}, T: 13.2\n" for e in range(1, 51)))
    df = read_run(p)
    assert df.epoch.tolist() == list(range(50)) and df.attrs["step_from"] == "epoch" and "t" in df.columns
    q = tmp_path / "iter.txt"
    q.write_text("".join(f"Iter-{i}; D_loss: {float(rng.uniform(0.4, 0.9))!r}; G_loss: {float(rng.uniform(2, 3))!r}\n"
                         for i in range(0, 40000, 1000)))
    assert read_run(q).step.tolist() == list(range(0, 40000, 1000))


def test_hyphenated_names_tensor_reprs_and_a_bare_loss_beside_d_loss(tmp_path):
    """'for epoch :1/10 batch : 1... G-loss: 1.92.. and D-loss :0.42...' was read as a whitespace table and
    crashed ('could not convert string to float'); a TF notebook printing tensors without .numpy(),
    'loss: tf.Tensor(1.03, shape=(), dtype=float32) d_loss:  tf.Tensor(0.90, ...)', was refused; 'D_z'
    printed beside 'D_x' is D(G(z)) (it was an unknown column)."""
    rng = np.random.default_rng(46)
    p = tmp_path / "dots.txt"
    p.write_text("".join(f"for epoch :{e}/10 batch : {b}... G-loss: {float(rng.normal(1.8, 0.1))!r}.. and D-loss "
                         f":{float(rng.normal(0.4, 0.03))!r}...\n" for e in range(1, 11) for b in range(1, 402, 50)))
    df = read_run(p)
    assert len(df) == 90 and df.d_loss.between(0.2, 0.6).all() and df.g_loss.between(1.2, 2.4).all()
    q = tmp_path / "tf.txt"
    q.write_text("".join(f"epoch  {e} complete\nloss: tf.Tensor({rng.uniform(1, 3):.7f}, shape=(), dtype=float32) "
                         f"d_loss:  tf.Tensor({rng.uniform(0.5, 1):.7f}, shape=(), dtype=float32)\ncondition  Shirt\n"
                         for e in range(36)))
    with pytest.warns(UserWarning, match="read column 'loss' as g_loss"):
        df = read_run(q)
    assert df.epoch.tolist() == list(range(36)) and df.g_loss.between(1, 3).all() and df.d_loss.between(0.5, 1).all()
    r = tmp_path / "dz.txt"
    r.write_text("".join(f"TRAIN --- epoch: {e:3d} --- generator loss: 1.07 --- discriminator loss: 1.01 --- "
                         f"D_x: 0.62 --- D_z: 0.{38 - e % 5} --- time: 122.9\n" for e in range(1, 33)))
    assert read_run(r).d_g_z1.between(0.3, 0.4).all()


def test_running_means_check_leaves_a_text_column_to_validation():
    """A column of ours still holding text when the running-means check runs (a prose log read as a table)
    raised a raw ValueError; it is read as NaN there, and validation refuses the log with one line."""
    from ganalyze.runlog.formats.running_mean import undo_running_means

    df = pd.DataFrame({"step": range(100), "epoch": [0] * 100, "d_loss": ["D-loss"] + [0.5] * 99, "g_loss": [1.0] * 100})
    out, why = undo_running_means(df)
    assert why is None and out is df


def test_a_keras_line_of_zeros_after_running_out_of_data_is_no_step(tmp_path):
    """Keras prints 'Your input ran out of data; interrupting training' and one more progress line whose
    every value is 0: it was read as the run's last step (every loss 0)."""
    rng = np.random.default_rng(47)
    lines = []
    for e in range(1, 31):
        lines += [f"Epoch {e}/100", f"1/1 [==============================] - 4s 4s/step - c_loss: {rng.normal(-3, 0.3):.4f} "
                                    f"- c_gp: 0.0600 - g_loss: {rng.normal(1.4, 0.2):.4f}"]
    lines += ["Epoch 31/100", "WARNING:tensorflow:Your input ran out of data; interrupting training. Make sure that your "
              "dataset or generator can generate at least `steps_per_epoch * epochs` batches (in this case, 100 batches).",
              "1/1 [==============================] - 0s 150ms/step - c_loss: 0.0000e+00 - c_gp: 0.0000e+00 - g_loss: 0.0000e+00"]
    p = tmp_path / "fit.txt"
    p.write_text("\n".join(lines) + "\n")
    with pytest.warns(UserWarning, match="ran out of data"):
        df = read_run(p)
    assert len(df) == 30 and (df.d_loss != 0).all()


def test_a_keras_redraw_just_before_the_final_line_is_no_second_row(tmp_path):
    """A notebook's capture of a Keras bar redrawn with backspaces keeps '186/188 [..] - ETA: 0s - d_loss: ..'
    before each epoch's final '188/188' line: a near copy of it, read as a second row per epoch (89 rows
    for 50 epochs). An earlier in-progress line ('10/50 ... ETA', the fixture keras_fit.log) stays a row."""
    rng = np.random.default_rng(48)
    lines = []
    for e in range(1, 21):
        d, g = rng.normal(0.69, 0.01), rng.normal(0.75, 0.01)
        lines += [f"Epoch {e}/20", f"{rng.integers(184, 188)}/188 [============================>.] - ETA: 0s - d_loss: "
                  f"{d + 0.002:.4f} - g_loss: {g - 0.001:.4f}" + "\b" * 80 + f"\r188/188 [==============================] "
                  f"- 4s 21ms/step - d_loss: {d:.4f} - g_loss: {g:.4f}"]
    p = tmp_path / "fit.txt"
    p.write_text("\n".join(lines) + "\n")
    df = read_run(p)
    assert df.step.tolist() == [188 * e + 187 for e in range(20)]


def test_an_evaluation_record_after_the_last_epoch_is_no_epoch_and_misspelt_names_read(tmp_path):
    """A course notebook printed each epoch as three lines ('Epoch: 3/40', ' Generator_loss: ..',
    ' Disriminator_loss: ..', sic) and, once training ended, an 'Eval' record of the same two lines:
    the misspelt D loss was unknown (refused: "missing d_loss"), and with it named the Eval record made
    epoch 40 hold each line twice, so no epoch was joined (82 half-empty rows for 40 epochs)."""
    rng = np.random.default_rng(4)
    text = "".join(f"Epoch: {e}/40 \n Generator_loss: {0.7 + 0.01 * rng.random():.16f} \n"
                   f" Disriminator_loss: {1.1 - 0.01 * rng.random():.16f}\n" for e in range(1, 41))
    p = tmp_path / "out.txt"
    p.write_text(text + "Eval \n Generator_loss: 0.65 \n Disriminator_loss: 0.96\n=== Visualize image ===\n")
    with pytest.warns(UserWarning, match="after 'Eval'"):
        df = read_run(p)
    assert len(df) == 40 and df.d_loss.notna().all() and df.g_loss.notna().all()
    assert df.epoch.tolist() == list(range(40)) and 0.65 not in df.g_loss.tolist()
    # without the evaluation header, a last epoch printed twice is not silently cut
    q = tmp_path / "twice.txt"
    q.write_text(text + "Generator_loss: 0.65 \nDisriminator_loss: 0.96\n")
    assert len(read_run(q)) == 82


def test_d_of_g_printed_at_both_networks_steps_is_d_g_z1_and_d_g_z2(tmp_path):
    """'D(x): 0.91, Discriminator - D(G(x)): 0.06, Generator - D(G(x)): 0.02' (a DCGAN experiments
    notebook): D's output on the fakes before D's step and at G's step. Both were read as one
    'd_g_x' column (the second value), which nothing used as D(G(z))."""
    lines = [f"Epoch [{e}/10], step [{s}/469], d_loss: 0.{17 + s // 100}, g_loss: 4.{s // 100}, D(x): 0.9{s // 100}, "
             f"Discriminator - D(G(x)): 0.0{s // 100 + 4}, Generator - D(G(x)): 0.0{s // 100}\n"
             for e in range(1, 4) for s in (100, 200, 300, 400)]
    p = tmp_path / "out.txt"
    p.write_text("".join(lines))
    df = read_run(p)
    assert df.d_g_z1.tolist()[:4] == [0.05, 0.06, 0.07, 0.08] and df.d_g_z2.tolist()[:4] == [0.01, 0.02, 0.03, 0.04]
    assert "d_g_x" not in df.columns and df.d_x.iloc[0] == 0.91


def test_sagan_pytorch_g_step_and_d_step_are_one_step_counter(tmp_path):
    """SAGAN-pytorch forks print 'Elapsed [0:00:05], G_step [100/4000], D_step[100/4000], ..': one
    counter printed twice, read as epoch 100 of 4000 and batch 100 of 4000 (steps up to 16 million)."""
    lines = "".join(f"Elapsed [0:00:0{k % 10}.58], G_step [{100 * k}/4000], D_step[{100 * k}/4000], "
                    f"d_loss: -{3 + k % 4}.2, g_loss: {250 - k}.5, \n" + ("saving model\n" if k % 10 == 0 else "")
                    for k in range(41))
    p = tmp_path / "out.txt"
    p.write_text(lines)
    df = read_run(p)
    assert df.step.tolist() == list(range(0, 4001, 100)) and "epoch" not in df.columns
    assert df.g_loss.iloc[1] == 249.5 and df.d_loss.iloc[1] == -4.2


def test_the_one_d_named_value_beside_g_loss_is_d_loss_with_a_warning(tmp_path):
    """A WGAN notebook printed its critic's total loss as 'd_out_gp' beside 'g_loss' (held-out batch
    48): refused as "missing d_loss". The one unnamed value with a D name is D's loss, said in a
    warning; a D accuracy, a penalty alone, or two such values stay refused."""
    rows = "".join(f"{100 * k},{-3.0 - k % 3},{200.0 - k}\n" for k in range(12))
    p = tmp_path / "a.csv"
    p.write_text("step,d_out_gp,g_loss\n" + rows)
    with pytest.warns(UserWarning, match="reading 'd_out_gp' as D's loss"):
        df = read_run(p)
    assert df.d_loss.iloc[1] == -4.0 and df.attrs["columns_from"]["d_out_gp"] == "d_loss"
    for header in ("step,d_acc,g_loss", "step,d_gp,g_loss", "step,D_r1,g_loss"):
        q = tmp_path / "b.csv"
        q.write_text(header + "\n" + rows)
        with pytest.raises(GanalyzeError, match="missing required column"):
            read_run(q)
    q.write_text("step,d_out_gp,d_total2,g_loss\n" + "".join(f"{k},1,2,3\n" for k in range(12)))
    with pytest.raises(GanalyzeError, match="missing required column"):
        read_run(q)


def test_records_of_one_value_per_line_join_by_their_epoch_and_batch(tmp_path):
    """Held-out batches 50 and 51: the D and G losses printed on lines of their own read as alternate
    half-empty rows stepped by the row number. Each record is one row: 'Epoch: 20 Loss D.: ..' /
    'Epoch: 20 Loss G.: ..' (the epoch on each line); 'Epoch number: 400' / 'discriminator loss: ..
    discriminator acc: 85.4 %' / 'gan loss: ..' (an iteration count called the epoch); and
    'epoch: [1/8] iteration: [100/469]' / 'Time ..' / 'Loss_D = x (ave = y)' / 'Loss_G = ..' between
    timestamp rulers (the iteration the rows' batch; each running mean its own column)."""
    rng = np.random.default_rng(5)
    p = tmp_path / "two.txt"
    p.write_text("".join(f"Epoch: {e} Loss D.: {0.6 + 0.1 * rng.random()}\nEpoch: {e} Loss G.: {0.8 + 0.1 * rng.random()}\n"
                         for e in range(20, 60)))
    df = read_run(p)
    assert len(df) == 40 and df.step.tolist() == list(range(20, 60)) and df.d_loss.notna().all() and df.g_loss.notna().all()
    q = tmp_path / "three.txt"
    q.write_text("Model: \"sequential_2\"\nTotal params: 612,337\n" + "".join(
        f"Epoch number: {400 * k}\ndiscriminator loss: {0.2 + 0.01 * k:.2f} discriminator acc: {80 + k / 10:.1f} %\n"
        f"gan loss: {1.0 + 0.1 * k:.2f}\n" for k in range(1, 31)))
    df = read_run(q)
    assert len(df) == 30 and df.step.tolist() == [400 * k for k in range(1, 31)]
    assert df.g_loss.iloc[0] == 1.1 and df.d_loss.iloc[0] == 0.21 and df.d_loss.notna().all()
    r = tmp_path / "four.txt"
    blocks = []
    for e in range(1, 6):
        for i in range(100, 500, 100):
            d, g = 0.3 + 0.01 * i / 100, 2.0 + e / 10
            blocks.append(f"2020-03-01 08:0{e}:00 {'-' * 40}\n\nepoch: [{e}/5] iteration: [{i}/469]\tLearning rate: "
                          f"0.0002\nTime 150.000s / 100iters, (1.500)\tData load 0.016s / 100iters, (0.000160)\n"
                          f"Loss_D = {d:.8f} (ave = {d / 2:.8f})\nLoss_G = {g:.8f} (ave = {g / 2:.8f})\n\n")
    r.write_text("display: 100\nepoches: 5\nbatch_size: 64\n" + "".join(blocks))
    df = read_run(r)
    assert len(df) == 20 and df.step.iloc[:2].tolist() == [100, 200] and df.step.iloc[4] == 469 + 100
    assert df.d_loss.iloc[0] == 0.31 and df.loss_d_ave.iloc[0] == 0.155 and df.loss_g_ave.iloc[0] == 1.05
    assert "ave" not in df.columns and df.g_loss.notna().all()


def test_prose_and_prefixed_loss_labels_read(tmp_path):
    """'Epoch 3 , loss from generator 4.69, loss from discriminator 0.003' (no colon) and epoch means
    labelled 'epoch_d_loss: ..\\tepoch_g_loss: ..' under 'Epoch [3/60]:' were refused (held-out batch 51)."""
    p = tmp_path / "prose.txt"
    p.write_text("".join(f"Epoch {e} , loss from generator {4 + e / 10}, loss from discriminator {0.01 / e}\n"
                         for e in range(1, 31)))
    df = read_run(p)
    assert len(df) == 30 and df.g_loss.iloc[0] == 4.1 and df.d_loss.iloc[1] == 0.005
    q = tmp_path / "prefixed.txt"
    q.write_text("Generator(\n  (fc1): Linear(in_features=100, out_features=256, bias=True)\n)\nTraining on [cpu]...\n"
                 + "".join(f"Epoch [{e}/30]:\nepoch_d_loss: {1.2 + e / 100}\tepoch_g_loss: {1.0 - e / 100}\n"
                           for e in range(1, 31)))
    df = read_run(q)
    assert len(df) == 30 and df.d_loss.iloc[0] == 1.21 and df.g_loss.iloc[-1] == pytest.approx(0.7)


def test_a_printed_total_no_epoch_reaches_is_not_the_batches_per_epoch(tmp_path):
    """'Epoch:[3/30], Iteration:[261/16700]': the author printed the dataset's size as the total, and
    each epoch ends near 261; read as 16,700 batches per epoch, every epoch boundary was a gap of
    'lines not logged' (held-out batch 51). The epochs' own ends give the batches per epoch."""
    p = tmp_path / "log.txt"
    p.write_text("".join(f"Epoch:[{e}/5], Iteration:[{i}/16700], loss_D:{5 + i / 1000}, loss_G: {-3 - e / 10}\n"
                         for e in range(1, 6) for i in range(1, 262, 10)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # no "steps jump" warning
        df = read_run(p)
    assert df.step.iloc[:3].tolist() == [0, 10, 20] and df.step.iloc[27] == 261
    assert "not the batches per epoch" in df.attrs["guessed"]["step_from"]
    # a total the counter reaches (or only one printed batch per epoch) is the batches per epoch, as printed
    q = tmp_path / "ok.txt"
    q.write_text("".join(f"Epoch:[{e}/5], Iteration:[{i}/300], loss_D:1.2, loss_G: 0.9\n"
                         for e in range(1, 6) for i in range(1, 262, 10)))
    assert read_run(q).step.iloc[27] == 300


def test_a_console_refusal_names_the_labels_it_saw(tmp_path):
    """'Epoch: 0001, DX: 0.106, DGz: 0.037, Loss: 3.83, Elapsed Time: 1.95' (D's two BCE halves and
    G's loss under names of no one's convention): refused, now naming the labels and the option."""
    p = tmp_path / "log.txt"
    p.write_text("".join(f"Epoch: {e:04d}, DX: 0.1{e}, DGz: 0.0{e}, Loss: 3.{e}, Elapsed Time: {e * 1.95}\n"
                         for e in range(1, 40)))
    with pytest.raises(GanalyzeError, match="labels 'Epoch', 'DX', 'DGz', 'Loss', 'Elapsed Time'.*d_loss_real=NAME"):
        read_run(p)
    df = read_run(p, columns={"d_loss_real": "DX", "d_loss_fake": "DGz", "g_loss": "Loss"})
    assert df.d_loss.iloc[0] == pytest.approx(0.11 + 0.01)


def test_shapes_of_held_out_batches_52_and_53(tmp_path):
    """Refused or read as alternate half-empty rows stepped by the row number before: Chinese labels
    (with a colon or glued to the number), Keras' return_dict printed as D's loss, a leading
    '%4d:' iteration, a table printed with '|' between its cells, and a record whose batch counter is
    'Batch Num: [b/N]' with D's outputs on a line of their own."""
    def read(name, text):
        p = tmp_path / name
        p.write_text(text)
        return read_run(p)

    for colon in (": ", ""):
        df = read("cn.txt", "".join(f"Epoch {e}/30... 判别器损失{colon}0.8{e:02d}(判别真实的{colon}0.4{e:02d}+ 判别生成的{colon}"
                                    f"0.4)... 生成器损失{colon}2.{e:02d}\n" for e in range(1, 31)))
        assert len(df) == 30 and df.d_loss.iloc[0] == 0.801 and df.g_loss.iloc[1] == 2.02
        assert df.d_loss_real.iloc[0] == 0.401 and df.d_loss_fake.iloc[0] == 0.4
    df = read("dict.txt", "".join(f"Epoch: {e} Discr Loss: {{'loss': 0.5{e:02d}, 'accuracy': 0.0}} Gen Loss: 1.{e:02d}\n"
                                  for e in range(30)))
    assert df.d_loss.iloc[3] == 0.503 and df.g_loss.iloc[3] == 1.03 and df.accuracy.eq(0).all()
    df = read("lead.txt", "".join(f"{50 * k:4d}: dloss:{0.6 + k / 1000:8.4f}   gloss:{1.1:8.4f}\n" for k in range(40)))
    assert df.step.tolist() == [50 * k for k in range(40)] and df.d_loss.iloc[1] == 0.601
    df = read("pipe.txt", "> Epoch | Batch | Generator Loss | Disc Loss\n" + "".join(
        "".join(f"> {e} | {b}/128 | 0.9{b:02d} | 1.2{b:02d}\n" for b in range(1, 48)) + f"Epoch time is {e}.5 sec\n"
        for e in range(1, 5)) + "Total training time is 20 sec\n")
    assert len(df) == 4 * 47 and df.g_loss.iloc[0] == 0.901 and df.d_loss.iloc[46] == 1.247
    assert df.step.diff().dropna().eq(1).all()          # 128 is no batch count here: the epochs end at 47
    df = read("rec.txt", "".join(f"Epoch: [{e}/150], Batch Num: [{b}/500]\nDiscriminator Loss: 0.7{b // 100}, Generator "
                                 f"Loss: 1.{b // 100}\nD(x): 0.8{e}, D(G(z)): 0.2{e}\n"
                                 for e in range(6) for b in range(0, 500, 100)))
    assert len(df) == 30 and df.step.iloc[:6].tolist() == [0, 100, 200, 300, 400, 500]
    assert df.d_x.iloc[5] == 0.81 and df.d_g_z1.iloc[5] == 0.21 and df.d_loss.iloc[1] == 0.71


def test_an_fid_line_with_its_epoch_between_pytorch_gan_rows_is_the_fid_of_that_epochs_last_row(tmp_path):
    """'[Epoch 4/60] [FID score: 156.58]' every 5 epochs among PyTorch-GAN rows was dropped silently
    (held-out batch 52): it is the FID of the row printed before it, so the diagnosis can quote it."""
    lines = []
    for e in range(20):
        lines += [f"[Epoch {e}/20] [Batch {b}/391] [D loss: 0.5{b // 100}] [G loss: 1.2{b // 100}]" for b in range(0, 400, 100)]
        if e % 5 == 4:
            lines.append(f"[Epoch {e}/20] [FID score: {200 - 10 * e:.4f}]")
    p = tmp_path / "log.txt"
    p.write_text("\n".join(lines) + "\n")
    df = read_run(p)
    assert len(df) == 80 and df.fid.notna().sum() == 4
    assert df.loc[df.fid.notna(), "epoch"].tolist() == [4, 9, 14, 19] and df.fid.dropna().iloc[0] == 160.0
    assert df.loc[df.fid.notna(), "step"].iloc[0] == 4 * 391 + 300


def test_a_notebooks_own_bar_of_epochs_is_no_keras_bar(tmp_path):
    """'3/500 [====================] 117/117' then 'Discriminator loss:  0.31' / 'Generator loss:  2.52'
    (a hand-written bar: the epoch of 500, then the batches done) was read as Keras' bar (batch 3 of
    500) and its values guessed running means (held-out batch 52). Keras' own bar stays Keras'."""
    p = tmp_path / "log.txt"
    p.write_text("".join(f"{e}/500 [{'=' * 20}] 117/117\nDiscriminator loss:  0.{30 + e % 5}\nGenerator loss:  2.{40 + e}\n\n"
                         for e in range(1, 41)))
    df = read_run(p)
    assert df.step.iloc[:2].tolist() == [116, 233] and df.attrs["source_format"] != "keras-console"
    assert "averaged" not in df.attrs["guessed"] and df.d_loss.iloc[0] == 0.31
    k = _read("keras_fit.log")
    assert k.attrs["source_format"] == "keras-console"


def test_a_loop_index_named_i_is_the_step_where_nothing_else_counts(tmp_path):
    """'i: 6100 / d_loss: .. / g_loss: ..' (an LSGAN notebook, held-out batch 55): 'i' was kept as a
    column and the row number made the step."""
    p = tmp_path / "log.txt"
    p.write_text("".join(f"i: {100 * k} / d_loss: {0.2 + k / 1000} / g_loss: {0.3 - k / 1000}\n" for k in range(40)))
    df = read_run(p)
    assert df.step.tolist() == [100 * k for k in range(40)] and "'i' rises on every row" in df.attrs["guessed"]["step_from"]


def test_shapes_of_held_out_batch_54(tmp_path):
    """A number glued to the next label ('Loss D: 0.0892Loss G: 3.18', '0.20/-0.04FID = 420.1'), one
    label for a D/G pair ('D/G 0.2000/-0.0383'), 'Epochs 3 D loss ..' and D's and G's losses on lines
    of their own in turn with no counter, the copy cut at its head (Colab's truncated output)."""
    def read(name, text):
        p = tmp_path / name
        p.write_text(text)
        return read_run(p)

    df = read("glued.txt", "".join(f"Epoch [{e}/2] Batch [{b}/938] Loss D: 0.0{b // 100 + 1}92Loss G: 3.{e}\n"
                                   for e in range(1, 6) for b in range(0, 938, 200)))
    assert len(df) == 25 and df.d_loss.iloc[1] == 0.0392 and df.g_loss.iloc[-1] == 3.5 and df.step.iloc[5] == 938
    df = read("pair.txt", "".join(f"Epoch {e:03d} | AVG Loss >>D/G -0.{e:02d}00/-0.0{e % 9}83FID = {400 - e}.06\n"
                                  for e in range(1, 31)))
    assert df.d_loss.iloc[0] == -0.01 and df.g_loss.iloc[0] == -0.0183 and df.fid.iloc[0] == 399.06
    df = read("epochs.txt", "".join(f"Epochs {e} D loss {150 + e % 3}.5 G loss {240 + e % 7}.25\n" for e in range(1, 31)))
    assert df.step.tolist() == list(range(30)) and df.d_loss.iloc[0] == 151.5
    with pytest.warns(UserWarning, match="skipping the first loss line"):
        df = read("alt.txt", "Streaming output truncated to the last 5000 lines.\ndiscriminator_loss:  0.0034\n"
                  + "".join(f"generator_loss:  1{k % 10}.5\ndiscriminator_loss:  0.00{k % 10}1\n" for k in range(40)))
    assert len(df) == 40 and df.g_loss.iloc[1] == 11.5 and df.d_loss.iloc[1] == 0.0011


def test_shapes_of_held_out_batches_58_and_59(tmp_path):
    """Dev Nag's 'GANs in 50 lines' print (refused twice; its samples' spread beside the data's is a
    diversity column), machinelearningmastery's print with 'dloss1= dacc1= dloss2= dacc3= g1=' (refused),
    'Step: [ 40 / 60 ]' restarting each epoch beside 'Epoch: [ 1 / 4 ]' (read as the step: 80 of 140
    rows replaced as restarts), and 'D(x) 0.68, D(G(x)) 0.28' without colons on the line after the
    losses (dropped)."""
    def read(name, text):
        p = tmp_path / name
        p.write_text(text)
        return read_run(p)

    df = read("devnag.txt", "Using data [Raw data]\n" + "".join(
        f"Epoch {100 * k}: D (0.6{k % 10} real_err, 0.7{k % 10} fake_err) G (0.6{k % 7} err); Real Dist ([4.0{k % 10}, "
        f"1.25]),  Fake Dist ([3.9, 0.{25 if k < 20 else 12}]) \n" for k in range(40)))
    assert df.step.tolist() == [100 * k for k in range(40)] and df.d_loss.iloc[1] == pytest.approx(0.61 + 0.71)
    assert df.g_loss.iloc[1] == 0.61 and df.div_pdist_ratio.iloc[0] == pytest.approx(0.2)
    assert df.div_pdist_ratio.iloc[-1] == pytest.approx(0.12 / 1.25) and "fake_std / real_std" in df.attrs["div_pdist_ratio_from"]
    df = read("mlm.txt", "".join(f">{e}, {b}/20, dloss1=0.6{b % 10}, dacc1=0.78 dloss2=0.5{b % 10} dacc3=1.000 g1=0.8{b % 10}\n"
                                 for e in range(1, 4) for b in range(1, 21)))
    assert df.attrs["source_format"] == "keras-mlm-console" and len(df) == 60 and df.g_loss.iloc[0] == 0.81
    assert df.attrs["averaged"] is False
    df = read("steps.txt", "".join(f"Epoch: [ {e} / 4 ],  Step: [ {s} / 60 ], D_loss:  0.7{s % 10} , G_loss:  1.0{s % 10}\n"
                                   for e in range(1, 4) for s in range(60)))
    assert len(df) == 180 and df.step.tolist() == list(range(180))
    df = read("dx.txt", "".join(f"Epoch {e}, Step {p}%, d_loss: 0.8{e}{k}, g_loss: 1.5{e}\nD(x) 0.6{e}{k}, D(G(x)) 0.2{e}\n"
                                for e in range(1, 11) for k, p in enumerate((31.9, 63.9, 95.8))))
    assert len(df) == 30 and df.d_x.iloc[3] == 0.620 and df.d_g_z1.iloc[3] == 0.22 and df.d_loss.iloc[4] == 0.821


def test_shapes_of_held_out_batch_61(tmp_path):
    """Chollet's 'discriminator loss at step 50:\\t 1.43 \\t-- adversarial loss at step 50:\\t 0.27'
    (refused: the step sat inside the label), and machinelearningmastery's '>10, 150/468, d1=..' cut at
    its head by Colab, whose epoch (printed from 1, as its batch shows) was read from 0: a whole epoch late."""
    p = tmp_path / "chollet.txt"
    p.write_text("UserWarning: Discrepancy between trainable weights\n" + "".join(
        f"discriminator loss at step {100 * k}:\t 0.6{k % 10} \t-- adversarial loss at step {100 * k}:\t 0.7{k % 10}\n"
        for k in range(30)))
    df = read_run(p)
    assert df.step.tolist() == [100 * k for k in range(30)] and df.d_loss.iloc[1] == 0.61 and df.g_loss.iloc[1] == 0.71
    q = tmp_path / "mlm.txt"
    q.write_text("Streaming output truncated to the last 5000 lines.\n" + "".join(
        f">{e}, {b}/120, d1=0.5{b % 10}, d2=0.4{b % 10} g=1.9{b % 10}\n" for e in range(7, 10) for b in range(1, 121)))
    df = read_run(q)
    assert df.step.iloc[0] == 6 * 120 and df.step.iloc[-1] == 9 * 120 - 1 and df.attrs["epoch_printed_from"] == 1


def test_chollets_print_at_epoch_with_a_loss_that_changes_sign_is_one_row_an_epoch(tmp_path):
    """Held-out batch 444/20: a copy of Chollet's print says 'at epoch N' ('Start epoch 0', 'Epoch =  0',
    'discriminator loss at epoch 0: 0.40', 'adversarial loss at epoch 0: 2.07', a figure's repr): refused; and once
    read, the epochs whose D loss printed below 0 ('-0.01', noised targets) were line kinds of their own, so no epoch's
    two lines were joined: 200 half rows for 100 epochs."""
    d = [0.40, 0.04, -0.01, 0.52, 0.51, -0.02, 0.6, 0.55, 0.58, 0.49, -0.03, 0.61]
    p = tmp_path / "chollet_epochs.txt"
    p.write_text("".join(f"\nStart epoch {e}\nEpoch =  {e}\ndiscriminator loss at epoch {e}: {d[e]:.2f}\n"
                         f"adversarial loss at epoch {e}: {2 + e / 10:.2f}\n<Figure size 432x432 with 16 Axes>\n"
                         for e in range(12)))
    df = read_run(p)
    assert len(df) == 12 and df.epoch.tolist() == list(range(12))
    assert df.d_loss.tolist() == pytest.approx(d) and df.g_loss.iloc[3] == pytest.approx(2.3)


def test_an_iteration_line_heading_a_record_of_one_value_per_line_is_its_step(tmp_path):
    """'Iteration 11' on a line of its own, then 'D: ..', 'val_D: ..', 'train_mse:..', 'G: ..' each on
    its own (a video-prediction WGAN-GP notebook, held-out batch 60): the header was no line the reader
    looked at, so the step was the row number."""
    p = tmp_path / "log.txt"
    p.write_text("".join(f"Iteration {10 * k + 1}\nD: 0.10{k:02d}\nval_D: 0.0006\ntrain_mse:0.34\nG: -0.6{k:02d}\n"
                         f"val_G: -0.61\nval_mse:0.32\n" + ("Validation does not improve\n" if k % 3 else "")
                         for k in range(30)))
    df = read_run(p)
    assert df.step.tolist() == [10 * k + 1 for k in range(30)] and df.d_loss.iloc[2] == 0.1002 and df.g_loss.iloc[2] == -0.602


def test_shapes_of_held_out_batches_62_and_63(tmp_path):
    """Refused or misread at the stop's end: Keras 3's list of arrays printed as G's loss, another copy of
    the 1-D GAN print ('200: D: 0.69/0.70 G: 0.69 (Real: [4.0, 1.27], Fake: [3.9, 1.2])': D's fake term was
    left out and the moments dropped), 'Generator Training Loss: ..' and '[1/12, 100/375] D_loss: ..'."""
    def read(name, text):
        p = tmp_path / name
        p.write_text(text)
        return read_run(p)

    df = read("keras3.txt", "".join(f"{k} [D loss: 0.5{k % 10}, acc.: 70.0%] [G loss: [array(0.6{k % 10}, dtype=float32), "
                                    f"array(0.6{k % 10}, dtype=float32), array(0.57, dtype=float32)]]\n" for k in range(30)))
    assert df.g_loss.iloc[3] == 0.63 and df.d_loss.iloc[3] == 0.53
    df = read("devnag.txt", "".join(f"{200 * k}: D: 0.6{k % 10}/0.7{k % 10} G: 0.69 (Real: [4.0, 1.25], Fake: [3.9, 0.5])\n"
                                    for k in range(30)))
    assert df.d_loss.iloc[1] == pytest.approx(0.61 + 0.71) and df.div_pdist_ratio.iloc[0] == pytest.approx(0.4)
    df = read("training.txt", "".join(f"Epoch: {e}\nGenerator Training Loss: {800 + e}.5, Discriminator Training loss: {200 - e}.5\n"
                                      for e in range(30)))
    assert len(df) == 30 and df.g_loss.iloc[1] == 801.5 and df.d_loss.iloc[1] == 199.5
    df = read("comma.txt", "".join(f"[{e}/12, {b}/375] D_loss: 0.6{b // 100} G_loss: 1.2{b // 100}\n"
                                   for e in range(1, 5) for b in (100, 200, 300, 375)))
    assert df.step.iloc[:4].tolist() == [99, 199, 299, 374] and df.step.iloc[4] == 375 + 99


def test_a_1d_gan_print_diverged_from_its_first_line_keeps_ds_terms(tmp_path):
    """D's real and fake terms printed only as nan (a run that diverged at once) stay columns, as a D
    loss printed only as nan does, so the divergence is read instead of "missing d_loss"."""
    p = tmp_path / "log.txt"
    p.write_text("".join(f"Epoch {100 * k}: D (nan real_err, nan fake_err) G (nan err); Real Dist ([4.0, 1.2]),  "
                         "Fake Dist ([nan, nan])\n" for k in range(12)))
    df = read_run(p)
    assert df.d_loss.isna().all() and df.g_loss.isna().all() and len(df) == 12


def test_machinelearningmastery_bracketed_values_and_iteration_lead_are_read(tmp_path):
    """machinelearningmastery's pix2pix print '>12, d1[0.518] d2[0.694] g[32.284]' (the iteration alone
    after '>', each value in brackets) read G's loss only and was refused for D; its Keras GAN print
    '>3, dr[0.037,0.991], df[0.666,0.652], g[1.290,0.006]' between progress bars was refused: both are
    D's losses on the reals and the fakes (their sum D's loss) and G's, the second values kept apart."""
    rng = np.random.default_rng(64)
    v = rng.uniform(0.1, 0.9, size=(40, 3)).round(3)
    p = tmp_path / "pix2pix.txt"
    p.write_text("".join(f">{k + 1}, d1[{a:.3f}] d2[{b:.3f}] g[{20 * c:.3f}]\n" for k, (a, b, c) in enumerate(v)))
    df = read_run(p)
    assert df.step.tolist() == list(range(1, 41)) and df.attrs["source_format"] == "keras-mlm-console"
    assert df.d_loss.to_numpy() == pytest.approx(v[:, 0] + v[:, 1]) and df.g_loss.to_numpy() == pytest.approx(20 * v[:, 2])
    q = tmp_path / "keras.txt"
    q.write_text("".join(f"1875/1875 [==============================] - 9s 5ms/step\n>{k + 1}, dr[{a:.3f},0.991], "
                         f"df[{b:.3f},0.652], g[{c:.3f},0.006]\n" for k, (a, b, c) in enumerate(v)))
    df = read_run(q)
    assert df.step.tolist() == list(range(1, 41)) and df.d_loss_real.to_numpy() == pytest.approx(v[:, 0])
    assert df.d_loss.to_numpy() == pytest.approx(v[:, 0] + v[:, 1]) and df.g_loss.to_numpy() == pytest.approx(v[:, 2])
    assert df.d1_2.iloc[0] == 0.991 and df.g_2.iloc[0] == 0.006
    # the tutorials' plain '>N, d1=.., d2=.. g=..' print: N is the iteration, not the row number
    r = tmp_path / "plain.txt"
    r.write_text("".join(f">{k + 1}, d1={a:.3f}, d2={b:.3f} g={c:.3f}\n" for k, (a, b, c) in enumerate(v)))
    assert read_run(r).step.tolist() == list(range(1, 41))


def test_a_record_printed_right_after_a_preamble_is_kept(tmp_path):
    """Records of one value per line between blank lines ('Iter: 0' / 'D loss: ..' / 'G_loss: ..'), the
    first printed right after two 'Extracting data/..' lines with no blank line between: that first
    record (the run's step 0) was dropped."""
    rng = np.random.default_rng(65)
    body = "\n".join(f"Iter: {500 * k}\nD loss: {rng.uniform(0, 1):.4f}\nG_loss: {rng.uniform(1, 5):.3f}\n" for k in range(12))
    p = tmp_path / "log.txt"
    p.write_text("Extracting data/train-images.gz\nExtracting data/train-labels.gz\n" + body)
    df = read_run(p)
    assert df.step.tolist() == [500 * k for k in range(12)] and len(df) == 12


def test_a_loss_label_without_a_colon_beside_labelled_values_is_read(tmp_path):
    """'Epoch: 0  Discriminator loss: 0.01  Generator loss 4.18' (held-out batch 66): G's label has no
    colon, and the log was refused even with --columns; a D or G name and its number without a colon
    is read where the line's other loss is labelled with one."""
    rng = np.random.default_rng(66)
    v = rng.uniform(0.1, 4, size=(40, 2))
    p = tmp_path / "log.txt"
    p.write_text("".join(f"Epoch: {e}  Discriminator loss: {a}  Generator loss {b}\n" for e, (a, b) in enumerate(v)))
    df = read_run(p)
    assert df.d_loss.to_numpy() == pytest.approx(v[:, 0]) and df.g_loss.to_numpy() == pytest.approx(v[:, 1])
    assert df.epoch.tolist() == list(range(40))


def test_starting_epoch_lines_give_the_rows_after_them_their_epoch(tmp_path):
    """'Starting epoch 3...' on a line of its own before 'g_loss: .., d_loss: ..' (held-out batch 66) was
    not read as the epoch, so the rows had no step."""
    p = tmp_path / "log.txt"
    p.write_text("".join(f"Starting epoch {e}...\ng_loss: 3.{e}, d_loss: 0.4{e}\n" for e in range(20)))
    df = read_run(p)
    assert df.epoch.tolist() == list(range(20)) and df.attrs["step_from"] != "row number"


def test_bare_number_rows_under_epoch_lines_read_by_position(tmp_path):
    """A TF1 notebook printed 'Epoch 1' then rows of two bare numbers, D's loss and G's (held-out batch
    65): refused, with a hint (--columns) that did not read it either. The refusal says to name the
    columns by position, and --columns d_loss=col1,g_loss=col2 reads it, each row with its epoch."""
    rng = np.random.default_rng(65)
    v = rng.uniform(0.05, 7, size=(12, 4, 2))
    p = tmp_path / "log.txt"
    p.write_text("".join(f"Epoch {e + 1}\n" + "".join(f"{a:.8f}  {b:.7f}\n" for a, b in v[e]) for e in range(12)))
    with pytest.raises(GanalyzeError, match="name them by position, --columns d_loss=colN"):
        read_run(p)
    df = read_run(p, columns={"d_loss": "col1", "g_loss": "col2"})
    assert len(df) == 48 and df.d_loss.to_numpy() == pytest.approx(v[:, :, 0].ravel(), abs=1e-7)
    assert df.epoch.tolist() == [e + 1 for e in range(12) for _ in range(4)]


def test_network_named_bracket_groups_with_loss_keys_are_read(tmp_path):
    """'1 > [Discriminator:-> loss: 0.63, accuracy: 49.46%] [Generator:-> loss: 1.06]' between Keras bars
    (held-out batch 68): both networks' values keyed 'loss', so the log was refused; each group's
    network names its keys now, and the leading number is the iteration (a copy that lost its middle
    keeps the gap)."""
    rng = np.random.default_rng(68)
    steps = list(range(1, 21)) + list(range(95, 115))
    v = rng.uniform(0.3, 1.2, size=(len(steps), 2)).round(6)
    p = tmp_path / "log.txt"
    p.write_text("".join(f"1/1 [==============================] - 0s 14ms/step\n{s} > [Discriminator:-> loss: {a:.6f}, "
                         f"accuracy: 49.46%] [Generator:-> loss: {b:.6f}]\n" for s, (a, b) in zip(steps, v)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # (the gap's warning)
        df = read_run(p)
    assert df.step.tolist() == steps and df.d_loss.to_numpy() == pytest.approx(v[:, 0]) and df.g_loss.to_numpy() == pytest.approx(v[:, 1])
    assert df.discriminator_accuracy.iloc[0] == pytest.approx(0.4946)


def test_epoch_arrow_generat_loss_and_a_bare_batch_after_the_epoch_are_read(tmp_path):
    """'Epoch ==> 3/40, Discrim_loss=0.64, Generat_loss=0.82' (held-out batch 70): G's truncated name was
    not read (refused) and neither was the arrowed epoch; 'epoch=12, 9/24, d_loss=..' (batch 71): the bare
    batch counter after the epoch was dropped, so the rows were stepped by their number."""
    p = tmp_path / "arrow.txt"
    p.write_text("".join(f"Epoch ==> {e}/40, Discrim_loss=0.6{e % 10}, Generat_loss=0.8{e % 10}\n" for e in range(1, 41)))
    df = read_run(p)
    assert df.epoch.tolist() == list(range(40)) and df.g_loss.iloc[2] == 0.83 and df.d_loss.iloc[2] == 0.63
    q = tmp_path / "bare.txt"
    q.write_text("".join(f"epoch={e}, {b}/24, d_loss=0.6{b % 10}, g_loss=0.7{b % 10}, accuracy=51.2\n"
                         for e in range(12, 15) for b in range(1, 25)))
    df = read_run(q)
    assert df.attrs["step_from"] != "row number" and np.all(np.diff(df.step) == 1) and len(df) == 72
    assert df.step.iloc[24] - df.step.iloc[0] == 24         # one epoch of 24 batches on


def test_total_d_loss_and_epoch_no_lines_are_read(tmp_path):
    """Keras' '- total_d_loss: 0.34 - g_total_loss: 1.77' (held-out batch 72) was refused: only d_total_loss
    was D's name; 'Epoch no - 3' on a line of its own above the losses (batch 73) was not the epoch."""
    p = tmp_path / "keras.txt"
    p.write_text("".join(f"Epoch {e}/40\n120/120 [==============================] - 12s 98ms/step - total_d_loss: 0.3{e % 10} "
                         f"- g_total_loss: 1.7{e % 10}\n" for e in range(1, 41)))
    df = read_run(p)
    assert len(df) == 40 and df.d_loss.iloc[1] == 0.32 and df.g_loss.iloc[1] == 1.72
    q = tmp_path / "epochs.txt"
    q.write_text("".join(f"Epoch no - {e}\nDiscriminator Loss : 30{e % 10}.5 \t Generator_loss : 18{e % 10}.2\n"
                         for e in range(1, 31)))
    df = read_run(q)
    assert df.epoch.tolist() == list(range(30)) and df.attrs["step_from"] != "row number"


def test_generation_loss_time_for_epoch_numpy_array_and_percent_before_the_number_are_read(tmp_path):
    """Held-out batches 74-75: 'Generation loss: .. Discriminator loss: ..' under the TensorFlow DCGAN
    tutorial's 'Time for epoch 3 is 13.2 sec' (G's loss read as a bare 'loss', refused; the epoch not
    read); 'Disc loss:[0.4886 0.5391]' (Keras' [loss, accuracy] printed as a numpy array: refused);
    'Disc acc: %100.0%' (the accuracies dropped)."""
    p = tmp_path / "tf.txt"
    p.write_text("".join(f"Time for epoch {e} is 13.{e} sec\nGeneration loss: 0.7{e % 10} Discriminator loss: 1.3{e % 10} \n"
                         for e in range(1, 31)))
    df = read_run(p)
    assert df.epoch.tolist() == list(range(30)) and df.g_loss.iloc[1] == 0.72 and df.d_loss.iloc[1] == 1.32
    q = tmp_path / "array.txt"
    q.write_text("".join(f"It:{250 * k} Disc loss:[0.48{k % 10}  0.5{k % 10}  ] acc:5{k % 10}.0 gen loss:3.{k % 10}\n"
                         for k in range(1, 31)))
    df = read_run(q)
    assert df.step.iloc[0] == 250 and df.d_loss.iloc[1] == 0.482 and df.g_loss.iloc[1] == 3.2
    r = tmp_path / "percent.txt"
    r.write_text("".join(f"Starting epoch {e}\n[Disc loss: 1.9{e % 10}; Disc acc: %100.0%, Cls acc: %4{e % 10}.5%] "
                         f"[G loss: 2.5{e % 10}]\n" for e in range(1, 31)))
    df = read_run(r)
    assert df.d_loss.iloc[1] == 1.92 and df.cls_acc.iloc[1] == pytest.approx(0.425) and df.acc.iloc[0] == 1.0


def test_a_d_loss_printed_as_a_tuple_is_read_as_its_two_terms(tmp_path):
    """'G_loss: 0.86, D_loss: (0.62, 0.26)' (held-out batch 76: a step function returning
    loss_real.item(), loss_fake.item()) was refused, even with --columns: the tuple is D's two terms,
    D's loss their sum."""
    p = tmp_path / "log.txt"
    p.write_text("".join(f"epoch: {e}/20, batch: {b}/300, G_loss: 0.8{b // 50}, D_loss: (0.6{b // 50}, 0.2{b // 50})\n"
                         for e in range(4) for b in range(0, 300, 50)))
    df = read_run(p)
    assert len(df) == 24 and df.d_loss_real.iloc[1] == 0.61 and df.d_loss_fake.iloc[1] == 0.21
    assert df.d_loss.iloc[1] == pytest.approx(0.82) and df.g_loss.iloc[1] == 0.81


def test_an_fid_without_a_colon_on_a_loss_row_is_read(tmp_path):
    """'09:12:52 : Epoch 0 - Loss Discriminator 0.49 - Loss Generator 1.73 - FID 451.52' (held-out batch 78):
    the losses were read without colons but the run's own FID was dropped."""
    p = tmp_path / "log.txt"
    p.write_text("".join(f"09:12:{e:02d} : Epoch {e} - Loss Discriminator 0.4{e % 10} - Loss Generator 1.7{e % 10} - "
                         f"FID {450 - 5 * e}.5\n" for e in range(30)))
    df = read_run(p)
    assert df.fid.iloc[2] == 440.5 and df.d_loss.iloc[2] == 0.42 and df.g_loss.iloc[2] == 1.72


def test_keras_bars_at_their_epochs_end_without_epoch_lines_are_one_epoch_each(tmp_path):
    """A notebook calling fit() one epoch at a time prints only each epoch's finished bar ('547/547 [===] -
    64s - d_loss: .. - g_loss: ..') and no 'Epoch k/N' line (held-out batch 79): the rows were stepped by
    their number although the bar says 547 iterations each."""
    p = tmp_path / "log.txt"
    p.write_text("".join(f"547/547 [==============================] - 64s 118ms/step - d_loss: 0.6{e % 10} - "
                         f"g_loss: 0.8{e % 10}\nepochs  {e}\nScore :  [[0.45 0.55]]\n" for e in range(30)))
    df = read_run(p)
    assert df.step.tolist() == [547 * e + 546 for e in range(30)] and df.d_loss.iloc[2] == 0.62
    # held-out batch 564/03: a progressive GAN's phases, bars of 10,000 then 20,000 steps, the last cut off mid-bar,
    # were read as one step a row (11 rows: "too short to judge beyond warm-up")
    lengths = [10000] * 9 + [20000] * 3
    phases = "".join(f"\nModel resolution:{4 * 2 ** (k // 2)}x{4 * 2 ** (k // 2)}\nSTABLE\n{n}/{n} [==============================] - "
                     f"138s 14ms/step - d_loss: -5.{k:02d} - g_loss: 3.{k:02d}\n" for k, n in enumerate(lengths))
    p.write_text(phases + " 9909/20000 [=============>................] - ETA: 1:25:21 - d_loss: -6.6999 - g_loss: 4.9235\n")
    df = read_run(p)
    ends = np.cumsum(lengths) - 1
    assert df.step.tolist() == [*ends.tolist(), int(ends[-1]) + 9909] and df.d_loss.iloc[3] == -5.03
    assert "counted through the bars" in df.attrs["guessed"]["step_from"]


def test_gen_dis_pair_loss_percent_batch_dash_fid_at_epoch_and_tqdm_description_are_read(tmp_path):
    """Held-out batches 81-85: 'Gen/Dis Loss: 2.76/0.27' (G first: its first value had been read as D's,
    then refused for want of G); '%.4f%%' after a loss ('[Discriminator loss: 0.6911%, ...]': both losses
    divided by 100, read as a contradiction); 'Batch - 1562/1563' (the batch not read: 100 iterations an
    epoch assumed); 'FID score at Epoch 3: 276.5' on its own line (not read); tqdm's description
    'epoch loss_g 1.75 loss_d 0.93:   8%|..' (refused)."""
    p = tmp_path / "gendis.txt"
    p.write_text("".join(f"Epoch: 00{e // 10 + 1}/006 | Gen/Dis Loss: 2.{e:02d}/0.{e + 10:02d}\n" for e in range(30)))
    df = read_run(p)
    assert df.g_loss.iloc[1] == 2.01 and df.d_loss.iloc[1] == 0.11
    q = tmp_path / "percent_loss.txt"
    q.write_text("".join(f"{50 * k} [Discriminator loss: 0.69{k % 10}1%, acc.: 5{k % 10}.50%] [Generator loss: 0.8{k % 10}57%]\n"
                         for k in range(30)))
    df = read_run(q)
    assert df.d_loss.iloc[1] == 0.6911 and df.g_loss.iloc[1] == 0.8157 and df.discriminator_acc.iloc[1] == 0.515
    r = tmp_path / "batch_dash.txt"
    r.write_text("".join(f"Epoch - [{e}/100] Batch - 1562/1563 Discriminator Loss: -1.5{e % 10}, Generator loss: 0.74{e % 10}, "
                         f"FID Score: 43{e % 10}.9 \n" for e in range(30)))
    df = read_run(r)
    assert df.step.iloc[:2].tolist() == [1562, 3125] and df.d_loss.iloc[1] == -1.51
    s = tmp_path / "fid_at_epoch.txt"
    s.write_text("".join(f"[Epoch {e}/100] [C loss: -0.2{e % 10}] [G loss: -0.3{e % 10}]\n[Validation D loss: -0.2{e % 10}]\n"
                         f"FID score at Epoch {e}: {376.5 - e}\n" for e in range(30)))
    df = read_run(s)
    assert df.fid.iloc[:2].tolist() == [376.5, 375.5] and df.d_loss.iloc[1] == -0.21
    t = tmp_path / "tqdm_description.txt"
    t.write_text("".join(f"epoch loss_g 1.{k % 10}5 loss_d 0.9{k % 10}:  {k}%|▊         | {k}/300 [00:30<05:37,  1.23s/it]\n"
                         for k in range(1, 31)))
    df = read_run(t)
    assert df.g_loss.iloc[1] == 1.25 and df.d_loss.iloc[1] == 0.92


def test_a_table_loss_printed_with_a_percent_sign_is_not_a_share(tmp_path):
    p = tmp_path / "pct.csv"
    p.write_text("step,d_loss,g_loss,acc\n" + "".join(f"{k},0.6{k % 10}%,0.7{k % 10}%,5{k % 10}%\n" for k in range(30)))
    df = read_run(p)
    assert df.d_loss.iloc[1] == 0.61 and df.g_loss.iloc[2] == 0.72 and df.acc.iloc[3] == 0.53


def test_an_epoch_print_after_its_own_tqdm_bar_takes_the_bars_length_as_iterations(tmp_path):
    """Held-out batch 81: '[Epoch 1/100] [C loss: ..] [G loss: ..]' printed after that epoch's tqdm bar
    ('100%|##| 450/450 [01:58<00:00, ..]') on a line of its own, an evaluation's '1/1' bars between
    them, was read as 100 iterations an epoch; the bars say 450. Bars of different lengths say nothing."""
    def log(lengths):
        return "".join(f"100%|##########| 1/1 [00:00<00:00,  2.98it/s]\nFID score at Epoch {e}: {300 - e}\n"
                       f"100%|##########| {n}/{n} [01:58<00:00,  3.78it/s]\n"
                       f"[Epoch {e}/100] [C loss: -0.2{e % 10}] [G loss: -0.3{e % 10}]\n" for e, n in enumerate(lengths))
    p = tmp_path / "bars.txt"
    p.write_text(log([450] * 30))
    df = read_run(p)
    assert df.step.iloc[:3].tolist() == [449, 899, 1349] and df.attrs["iters_per_epoch"] == 450
    q = tmp_path / "mixed.txt"
    q.write_text(log([450, 300] * 15))
    df = read_run(q)
    assert df.step.iloc[:3].tolist() == [0, 1, 2] and "iters_per_epoch" not in df.attrs


def test_jacobgil_keras_dcgan_prints_and_error_names_are_read(tmp_path):
    """Held-out batches 86 and 88: jacobgil/keras-dcgan's Python-2 prints ("('Epoch is', 0)", then one
    line a loss, 'batch 3 d_loss : 0.72') and 'Discriminator error:  tensor(1.5872, device=..)' were
    refused ('no line holds a labelled D or G loss'), with --columns too."""
    p = tmp_path / "jacobgil.txt"
    p.write_text("".join(f"('Epoch is', {e})\n('Number of batches', 468)\n" + "".join(
        f"batch {b} d_loss : 0.7{b % 10}0649\nbatch {b} g1_loss : 0.2{b % 10}0129\nbatch {b} g_loss : 0.9{b % 10}6239\n"
        for b in range(20)) for e in range(2)))
    df = read_run(p)
    assert len(df) == 40 and df.epoch.tolist() == [0] * 20 + [1] * 20
    assert df.d_loss.iloc[21] == 0.710649 and df.g_loss.iloc[21] == 0.916239 and df.step.iloc[21] == 21
    q = tmp_path / "error.txt"
    q.write_text("".join(f"Epoch  {e}\nresults/run/{e}_107.txt\nDiscriminator error:  tensor(1.{e:02d}72, device='cuda:0', "
                         f"grad_fn=<ThAddBackward>)\nGenerator error:  tensor(0.{e:02d}80, device='cuda:0', "
                         f"grad_fn=<BinaryCrossEntropyBackward>)\n\n" for e in range(30)))
    df = read_run(q)
    assert len(df) == 30 and df.d_loss.iloc[1] == 1.0172 and df.g_loss.iloc[2] == 0.0280


def test_a_tqdm_description_counter_is_no_column(tmp_path):
    """Held-out batch 86: Lightning's bar 'Epoch 3: 100%|..| 430/430 [.., g_loss_step=3.68, ..]' made a
    column 'Epoch 987650' (the reader's probe value for the counter, as the name of tqdm's 100%)."""
    p = tmp_path / "lightning.txt"
    p.write_text("".join(f"Epoch {e}: 100%|##########| 430/430 [00:10<00:00, 42.91it/s, v_num=21, g_loss_step=3.{e:02d}, "
                         f"d_loss_step=0.{e:02d}]\n" for e in range(20)))
    df = read_run(p)
    assert not [c for c in df.columns if "987650" in c or c.lower().startswith("epoch ")], list(df.columns)
    assert df.d_loss.iloc[3] == 0.03


def test_a_notebook_committed_cut_short_keeps_the_outputs_before_the_cut(tmp_path):
    """Held-out batch 88: a notebook whose JSON ends inside an image (committed cut short) was refused
    ('not a notebook'); its training cell's prints before the cut are a whole log."""
    log = "".join(f"{1000 * k} [D loss: 0.54{k}, acc.: 71.88%] [G loss: 0.95{k}]\n" for k in range(11))
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["say \"text\": 1"]},
                    {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [
                        {"name": "stdout", "output_type": "stream", "text": log.splitlines(keepends=True)},
                        {"data": {"image/png": "iVBORw0KGgo" * 50, "text/plain": ["<Figure>"]},
                         "metadata": {}, "output_type": "display_data"}], "source": ["train()"]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 2}
    full = json.dumps(nb, indent=1)
    p = tmp_path / "cut.ipynb"
    p.write_text(full[: full.index("iVBORw0KGgo") + 200])
    with pytest.warns(UserWarning, match="breaks off at character"):
        df = read_run(p)
    assert len(df) == 11 and df.d_loss.iloc[2] == 0.542 and df.step.iloc[-1] == 10000
    q = tmp_path / "broken.ipynb"
    q.write_text('{"cells": [{"cell_type": "code", "outputs": [{"text": ["0 [D lo')
    with pytest.raises(GanalyzeError, match="not a notebook"):
        read_run(q)


def test_a_step_printed_five_times_in_a_row_is_no_restart(tmp_path):
    """Held-out batch 90: a WGAN-GP notebook prints inside its five-step critic loop, so each step
    comes five times in a row; the warning asked 'a restart?' (a step written again later still does:
    test_tensorboard_restart_supersedes_the_abandoned_branch and the tests beside it)."""
    p = tmp_path / "critic_loop.txt"
    p.write_text("".join(f"Epoch [{e}/200], Step [{b}/600], d_loss: -3.{k}{b // 200}, g_loss: -2.{k}9, D(x): 6.22, "
                         f"D(G(z)): 2.19\n" for e in range(3) for b in (200, 400, 600) for k in range(5)))
    with pytest.warns(UserWarning, match="printed again in a row") as caught:
        df = read_run(p)
    assert len(df) == 9 and df.d_loss.iloc[0] == -3.41 and not any("restart" in str(w.message) for w in caught)


def test_an_epoch_print_after_its_bars_first_frame_takes_its_length(tmp_path):
    """Held-out batch 95: a notebook keeps only the first frame of each epoch's bar ('  0%|  | 0/497 [..')
    before 'Epoch [1/10], loss_g: ..'; 497 iterations an epoch, read as 100. A bar over the epochs
    themselves ('3/10') is no epoch's length."""
    p = tmp_path / "frames.txt"
    p.write_text("".join(f"  0%|          | 0/497 [00:00<?, ?it/s]\nEpoch [{e}/10], loss_g: 3.{e}, loss_d: 0.{e}1, "
                         f"real_score: 0.94, fake_score: 0.20\n" for e in range(1, 11)))
    df = read_run(p)
    assert df.step.iloc[:2].tolist() == [496, 993] and df.attrs["iters_per_epoch"] == 497
    q = tmp_path / "epoch_bar.txt"
    q.write_text("".join(f" {10 * e}%|#    | {e}/10 [00:0{e}<00:10, ?it/s]\nEpoch [{e}/10], loss_g: 3.{e}, loss_d: 0.{e}1\n"
                         for e in range(1, 11)))
    assert "iters_per_epoch" not in read_run(q).attrs


def test_a_wide_equals_sign_and_a_label_line_above_its_value_are_read(tmp_path):
    """Held-out batches 94 and 97: print('Epoch = ', e, 'd_loss =', d, 'g_loss = ', g) writes 'g_loss =  2.53'
    (G's loss lost, refused, --columns too); print('Generator Loss : '); print(g) puts the value on the
    line below its label (refused, --columns too)."""
    p = tmp_path / "wide.txt"
    p.write_text("".join(f"Epoch =  {e} d_loss = 0.5{e:02d} g_loss =  2.5{e:02d}\n" for e in range(20)))
    df = read_run(p)
    assert df.g_loss.iloc[3] == 2.503 and df.d_loss.iloc[3] == 0.503
    q = tmp_path / "below.txt"
    q.write_text("\x1b[1;30;43mStreaming output truncated to the last 5000 lines.\x1b[0m\n" + "".join(
        f"Generator Loss : \n0.67{k:02d}\nDiscriminator Loss :\n0.80{k:02d}\n" for k in range(40)))
    df = read_run(q)
    assert len(df) == 40 and df.g_loss.iloc[5] == 0.6705 and df.d_loss.iloc[5] == 0.8005


def test_a_record_continued_on_the_next_line_is_one_row_stepped_by_its_batch_line(tmp_path):
    """Held-out batch 93: an SRGAN notebook printed '\tBatch: 11/50', then 'err_D_real: ..; err_D_fake: ..;
    err_G: ..; D_x: ..' and on the next line ' adversarial_loss: .., vgg_loss: .., pixel_loss: ..' under
    'Epoch: 3' lines: the second line made a row of its own without D's loss, read as non-finite
    ('divergence from step 1'), and the steps were row numbers."""
    lines = ["Warmup: 10", "\tBatch: 1/50", "\tMAE G: 0.0531"]
    for e in range(1, 21):
        lines.append(f"Epoch: {e}")
        for b in range(1, 51, 10):
            lines += [f"\tBatch: {b}/50", f"\terr_D_real: 0.5{e:02d}; err_D_fake: 0.8{b:02d};  err_G: 0.0071; D_x: 0.5674; "
                      f"D_Gz1: 0.5670; D_Gz2: 0.4136", "\t adversarial_loss: 0.0006, vgg_loss: 0.0009, pixel_loss: 0.0056"]
    p = tmp_path / "srgan.txt"
    p.write_text("\n".join(lines) + "\n")
    df = read_run(p)
    assert len(df) == 100 and df.d_loss.notna().all() and df.vgg_loss.notna().all()
    assert df.step.iloc[:3].tolist() == [0, 10, 20] and df.step.iloc[5] == 50


def test_a_step_printed_with_thousands_separators_before_a_pipe_is_the_step(tmp_path):
    """Held-out batch 96: ML4T's TimeGAN prints f'{step:6,.0f} | d_loss: {d:6.4f} | g_loss_u: ..' (' 1,000 |
    d_loss: 1.0544 | ..'): the steps were read as row numbers (90 iterations for a run of 10,000)."""
    p = tmp_path / "timegan.txt"
    p.write_text("".join(f"{k * 1000:6,.0f} | d_loss: 1.{k:02d}44 | g_loss_u: 2.4087 | g_loss_s: 0.0002 | g_loss_v: 0.0535 | "
                         f"e_loss_t0: 0.0082\n" for k in range(12)))
    df = read_run(p)
    assert df.step.tolist() == [1000 * k for k in range(12)] and df.attrs["step_from"] == "step column"


def test_names_and_counters_of_held_out_batches_98_to_103(tmp_path):
    """'res_gen_loss' / 'res_disc_loss' (refused); 'Discriminaotr loss' (sic; refused); '[0/50][100/1583] ..
    | Tempo por batch: 1.66 segundos' (the time read as the batch: row-numbered steps); 'ep 90 d_loss :
    0.29' and 'ep 90 g_loss : 2.19' on lines of their own (refused, --columns too)."""
    p = tmp_path / "res.txt"
    p.write_text("".join(f"Epoch [{e}/120], res_gen_loss: 9.{e:02d}, res_disc_loss: 0.{e:02d}, res_disc_score: 0.97\n"
                         for e in range(1, 31)))
    df = read_run(p)
    assert df.g_loss.iloc[1] == 9.02 and df.d_loss.iloc[1] == 0.02
    q = tmp_path / "typo.txt"
    q.write_text("".join(f"{100 * k}: [Discriminaotr loss: 0.5{k:02d}, acc: 0.71]  [GAN loss: 1.6{k:02d}, acc: 0.09]\n"
                         for k in range(30)))
    df = read_run(q)
    assert df.d_loss.iloc[2] == 0.502 and df.g_loss.iloc[2] == 1.602
    r = tmp_path / "tempo.txt"
    r.write_text("".join(f"[{e}/50][{b}/1583] Loss_D: 1.2 Loss_G: 3.1 D(x): 0.6 D(G(z)): 0.3 / 0.2 | Tempo por batch: 1.6{b // 100} "
                         f"segundos\n" for e in range(3) for b in range(100, 1583, 100)))
    df = read_run(r)
    assert df.step.iloc[:2].tolist() == [100, 200] and df.step.iloc[15] == 1683
    s = tmp_path / "ep.txt"
    s.write_text("".join(f"ep {e} d_loss : 0.2{e:02d}\nep {e} g_loss : 2.1{e:02d}\n" for e in range(0, 100, 10)))
    df = read_run(s)
    assert len(df) == 10 and df.epoch.iloc[3] == 30 and df.d_loss.iloc[3] == 0.230 and df.g_loss.iloc[3] == 2.130


def test_a_bar_over_the_epochs_is_no_epochs_length_and_keras_am_loss_is_gs(tmp_path):
    """Held-out batch 99: 'Epoch: 3' / 'D Loss: .., AM Loss: ..' (a Keras GAN's stacked "adversarial
    model": G's loss; refused) between the frames of a tqdm bar over the 30 epochs ('2/30 [03:03<..'),
    whose 30 was taken as the iterations of an epoch."""
    p = tmp_path / "am.txt"
    p.write_text("".join(f"{100 * e // 30:3d}%|#   | {e}/30 [01:34<45:39, 94.48s/it]\nEpoch: {e + 1}\n"
                         f"D Loss: 0.2{e:02d}, AM Loss: 2.8{e:02d}\n" for e in range(30)))
    df = read_run(p)
    assert df.g_loss.iloc[1] == 2.801 and "iters_per_epoch" not in df.attrs and df.step.iloc[:3].tolist() == [0, 1, 2]
    q = tmp_path / "crit.txt"
    q.write_text("".join(f"Epoch: {e}/50 -- Batch: 41/469 -- Crit Loss: -13{e % 10}.06 -- Gen Loss: 11{e % 10}.4\n"
                         for e in range(1, 31)))
    assert read_run(q).d_loss.iloc[1] == -132.06


def test_a_named_pair_of_losses_and_a_keras_list_are_read_in_order(tmp_path):
    """Held-out batch 106: 'd_loss/g_loss: -6.0/0.99' (the two values swapped: the second read as D's) and
    Keras' train_on_batch [loss, accuracy] printed as a list, 'Discriminator Loss: [0.031, 0.99]' (refused,
    --columns too)."""
    p = tmp_path / "pair.txt"
    p.write_text("".join(f"[{k:2d}/30][{k:7d}][   11.64s]\td_loss/g_loss: -6.{k:02d}/0.{k:02d}\n" for k in range(30)))
    df = read_run(p)
    assert df.d_loss.iloc[3] == -6.03 and df.g_loss.iloc[3] == 0.03
    q = tmp_path / "list.txt"
    q.write_text("".join(f"Epoch: {e} \t Discriminator Loss: [0.0{e:02d}, 0.99] \t\t Generator Loss: 10.{e:02d}\n"
                         for e in range(30)))
    df = read_run(q)
    assert df.d_loss.iloc[3] == 0.003 and df.g_loss.iloc[3] == 10.03


def test_a_timegan_port_printing_its_epoch_as_step_on_every_batch_line_is_read(tmp_path):
    """Held-out batches 105 and 107: a PyTorch TimeGAN port prints 'step: 3/50, D_loss: .., G_loss_U: ..,
    G_loss_S: .., E_loss_t0: ..' on each of an epoch's 100 batch lines (refused: 'G_loss_U' unknown; with
    --columns, all but the last line of each epoch dropped as rewrites: 'too few rows')."""
    p = tmp_path / "timegan.txt"
    p.write_text("Start Joint Training\n" + "".join(
        f"step: {e}/50, D_loss: 0.{e:02d}{b:02d}, G_loss_U: 3.{b:02d}, G_loss_S: 0.00015, E_loss_t0: 2.54\n"
        for e in range(12) for b in range(20)) + "Finish Joint Training\n")
    df = read_run(p)
    assert len(df) == 240 and df.step.iloc[21] == 21 and df.g_loss.iloc[21] == 3.01
    assert "every batch's line" in df.attrs["step_runs"]


def test_a_step_that_counts_prints_beside_epoch_and_batch_is_no_iteration(tmp_path):
    """Held-out batches 101 and 111: 'Epoch: 1/50 -- Step: 2 -- Batch: 41/469 -- Crit Loss: .. -- Gen Loss: ..'
    prints every 40th batch; its 'Step' counts the prints and had been read as the iteration (x40 too few)."""
    p = tmp_path / "prints.txt"
    p.write_text("".join(f"Epoch: {e}/50 -- Step: {12 * (e - 1) + k + 1} -- Batch: {40 * k + 1}/469 -- Crit Loss: -13{k % 10}.06 "
                         f"-- Gen Loss: 11{k % 10}.4\n" for e in range(1, 4) for k in range(12)))
    df = read_run(p)
    assert df.step.iloc[:3].tolist() == [0, 40, 80] and df.step.iloc[12] == 469 and "print_counter_dropped" in df.attrs


def test_d_and_g_lines_of_one_batch_counter_pair_into_one_row(tmp_path):
    """Held-out batch 110: 'batch 5 d_loss : ..' then 'batch 5 g_loss : ..' with no epoch line: 155 half rows
    stepped by the row number (the batch counter read, not used)."""
    p = tmp_path / "pairs.txt"
    p.write_text("".join(f"batch {b} d_loss : 0.7{b:02d}\nbatch {b} g_loss : 0.9{b:02d}\n" for b in range(30)))
    df = read_run(p)
    assert len(df) == 30 and df.d_loss.notna().all() and df.g_loss.iloc[3] == 0.903


def test_a_downloads_byte_count_is_no_step_beside_the_rows_own(tmp_path):
    """Held-out batch 110: a notebook's '!wget' printed '... saved [26421880/26421880]' before the training
    cell's 'Steps :2000 :Generator Loss:..,Discriminator Loss : ..': refused ("columns 'Steps' and 'step'
    both mean 'step'")."""
    p = tmp_path / "wget.txt"
    p.write_text("2019-12-26 22:03:59 (16.7 MB/s) - 'train-images-idx3-ubyte.gz' saved [26421880/26421880]\n"
                 "2019-12-26 22:04:01 (288 KB/s) - 'train-labels-idx1-ubyte.gz' saved [29515/29515]\n"
                 + "".join(f"Steps :{2000 * k} :Generator Loss:2.1{k:02d},Discriminator Loss : 0.3{k:02d}\n" for k in range(30)))
    df = read_run(p)
    assert df.step.iloc[:2].tolist() == [0, 2000] and df.d_loss.iloc[1] == 0.301


def test_a_loop_counter_is_the_step(tmp_path):
    """Held-out batch 113: 'Loop: 49900, Generator_loss: .., Discriminator_loss: ..' (the iteration, printed every
    100) was kept as a column and the rows stepped by their number."""
    p = tmp_path / "loop.txt"
    p.write_text("".join(f"Loop: {100 * k}, Generator_loss: -0.00{k:02d}, Discriminator_loss: 0.00{k:02d}\n" for k in range(30)))
    assert read_run(p).step.iloc[:3].tolist() == [0, 100, 200]


def test_an_epoch_then_an_iteration_in_brackets_is_stepped_by_the_iteration(tmp_path):
    """Held-out batches 106 and 108: '[ 9/10][      9][   11.64s]\\td_loss/g_loss: -6.0/0.99' (a run of ten
    single-image iterations) was stepped by the epoch, read as 100 iterations each, and judged healthy."""
    p = tmp_path / "brackets.txt"
    p.write_text("".join(f"[{e:2d}/10][{e:7d}][{11.6 + e:8.2f}s]\td_loss/g_loss: -6.{e}/0.9{e}\n" for e in range(10)))
    df = read_run(p)
    assert df.step.tolist() == list(range(10)) and df.d_loss.iloc[2] == -6.2
    from ganalyze.diagnose import diagnose
    assert diagnose(df).summary["main_finding"].startswith("too short to judge")


def test_spaced_losses_on_lines_of_their_own_under_an_epoch_line_are_read(tmp_path):
    """Held-out batch 101: 'Epoch 0:' then 'generator loss -41.078419 ' and 'disciminator loss -11.376164' (sic; no
    colon) on lines of their own, two blank lines between records: refused, --columns too."""
    p = tmp_path / "spaced.txt"
    p.write_text("".join(f"Epoch {e}:\ngenerator loss -4{e % 10}.078419 \ndisciminator loss -1{e % 10}.376164\n\n\n"
                         for e in range(30)))
    df = read_run(p)
    assert len(df) == 30 and df.g_loss.iloc[2] == -42.078419 and df.d_loss.iloc[2] == -12.376164


def test_a_refused_notebook_quotes_its_printed_numbers_not_its_json(tmp_path):
    """Held-out batch 100: a notebook printing rows of two bare numbers was refused with "(starts '{ | "cells":
    [')": its JSON, not the lines that hold the numbers."""
    log = "".join(f"0.{k:02d}5559 11.5116\n" for k in range(12))
    nb = {"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "source": ["train()"], "outputs": [
        {"name": "stdout", "output_type": "stream", "text": ["Downloading data ...\n"]},
        {"name": "stdout", "output_type": "stream", "text": log.splitlines(keepends=True)}]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 2}
    p = tmp_path / "bare.ipynb"
    p.write_text(json.dumps(nb))
    with pytest.raises(GanalyzeError) as err:
        read_run(p)
    assert "printed output holds lines such as '0.005559 11.5116" in str(err.value) and '"cells"' not in str(err.value)


def test_a_refused_notebook_quotes_its_labelled_numbers_before_warnings(tmp_path):
    """Held-out batches 421 and 429: refusals quoted TensorFlow's deprecation warnings and a dataset's licence
    (lines with numbers in them) before the training prints, and a Keras bar's labels were cut off by its counter
    and colour codes: lines labelling two numbers come first, quoted from their first label."""
    warning = "W0906 09:58:23.171111 140560706840448 deprecation_wrapper.py:119] The name tf.Session is deprecated.\n"
    bar = "".join(f"\x1b[1m249/249\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m \x1b[1m0s\x1b[0m 910ms/step - "
                  f"perdidax_d: -20.{k}046 - perdidax_g: -39.8443\n" for k in range(5))
    nb = {"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "source": ["train()"], "outputs": [
        {"name": "stderr", "output_type": "stream", "text": [warning] * 3},
        {"name": "stdout", "output_type": "stream", "text": bar.splitlines(keepends=True)}]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 2}
    p = tmp_path / "keras.ipynb"
    p.write_text(json.dumps(nb))
    with pytest.raises(GanalyzeError) as err:
        read_run(p)
    quoted = str(err.value).split("; tried")[0]
    assert "perdidax_d: -20.0046 - perdidax_g: -39.8443 |" in quoted and "W0906" not in quoted


def test_abbreviated_names_ending_in_a_period_are_read(tmp_path):
    """Held-out batch 98: 'Epoch 0, Iteration 101/1012 \\t Loss Gen. 5.69, Loss Dic. 2.57' under a module print
    ('BatchNorm2d(512, eps=1e-05, momentum=0.1, ..)') was refused, --columns too: the period after the abbreviated
    name hid the value and 'Dic' named no discriminator."""
    rng = np.random.default_rng(98)
    g, d = 3 + rng.random(33), rng.random(33)
    lines = ["  (batchnorm1): BatchNorm2d(512, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n"] * 3
    lines += [f"Epoch {k // 11}, Iteration {1 + 100 * (k % 11)}/1012 \t Loss Gen. {g[k]:.2f}, Loss Dic. {d[k]:.2f}\n"
              for k in range(33)]
    p = tmp_path / "celeba.txt"
    p.write_text("".join(lines))
    df = read_run(p)
    assert df.g_loss.to_numpy() == pytest.approx(np.round(g, 2)) and df.d_loss.to_numpy() == pytest.approx(np.round(d, 2))
    assert df.step.tolist()[10:12] == [1000, 1012]


def test_rows_of_bare_numbers_read_with_the_columns_named_by_position(tmp_path):
    """Held-out batch 100: 'print d_l, g_l' every 10 iterations ('0.695559 11.5116') names no column. Refused, the
    error says how to name them by position; read once named (the rows' figure reprs left out), with a step too."""
    d, g = np.linspace(0.7, 0.1, 12), np.linspace(3.0, 5.0, 12)
    log = "<matplotlib.figure.Figure at 0x1124c87d0>\n" + "".join(f"{d[k]:.6f} {g[k]:.4f}\n" for k in range(12))
    p = tmp_path / "bare.txt"
    p.write_text(log)
    with pytest.raises(GanalyzeError, match=r"12 lines of 2 bare numbers .*--columns d_loss=1,g_loss=2"):
        read_run(p)
    df = read_run(p, columns="d_loss=1,g_loss=2", step_from="row*10")
    assert df.d_loss.to_numpy() == pytest.approx(np.round(d, 6)) and df.g_loss.to_numpy() == pytest.approx(np.round(g, 4))
    assert df.step.tolist() == list(range(0, 120, 10)) and df.attrs["source_format"] == "bare-numbers"
    swapped = read_run(p, columns="g_loss=1,d_loss=2")
    assert swapped.g_loss.iloc[0] == pytest.approx(0.7) and "row number is the step" in swapped.attrs["guessed"]["step_from"]
    q = tmp_path / "stepped.txt"
    q.write_text("".join(f"{50 * k} {d[k]:.4f} {g[k]:.4f}\n" for k in range(12)))
    assert read_run(q, columns="step=1,d_loss=2,g_loss=3").step.tolist() == list(range(0, 600, 50))
    with pytest.raises(GanalyzeError, match=r"columns: got d_loss=5 for lines of 3 bare numbers .*allowed: positions 1 to 3"):
        read_run(q, columns="d_loss=5,g_loss=3")


def test_bracketed_values_after_an_equals_sign_on_tab_continued_lines_are_read(tmp_path):
    """Held-out batch 118: StarGAN's Keras port prints 'Iteration: [160010/200000]', then on TAB-indented lines
    'D/loss_real = [-2.3522], D/loss_fake = [1.5287], D/loss_cls =  [0.1435], ..' and 'G/loss_fake = [-1.4656], ..':
    refused (each value in brackets after '='; a line of D's two terms alone named no loss), --columns too."""
    rng = np.random.default_rng(118)
    real, fake, g = -2 - rng.random(30), 1 + rng.random(30), -1 - rng.random(30)
    p = tmp_path / "stargan.txt"
    p.write_text(" Finished preprocessing the CelebA dataset...\n" + "".join(
        f"Iteration: [{160010 + 10 * k}/200000]\n\tD/loss_real = [{real[k]:.4f}], D/loss_fake = [{fake[k]:.4f}], "
        f"D/loss_cls =  [0.1435], D/loss_gp = [0.0026]\n\tG/loss_fake = [{g[k]:.4f}], G/loss_rec = [0.0716], "
        f"G/loss_cls = [0.0714]\n" for k in range(30)))
    df = read_run(p)
    assert df.step.tolist() == list(range(160010, 160310, 10)) and df.g_loss.to_numpy() == pytest.approx(np.round(g, 4))
    assert df.d_loss.to_numpy() == pytest.approx(np.round(real, 4) + np.round(fake, 4)) and df.d_loss_cls.iloc[0] == 0.1435


def test_learning_rates_named_by_player_under_one_lr_label_are_no_losses(tmp_path):
    """Held-out batch 116: a CTGAN copy prints 'Epoch [5/300], Train - G Loss: 1.4565, D Loss: 0.0373, LR - Generator:
    0.000200, Discriminator: 0.000200': the learning rates' player names clashed with the losses and the log was
    refused."""
    g, d = np.linspace(1.6, 0.4, 20), np.linspace(-0.03, 0.08, 20)
    p = tmp_path / "ctgan.txt"
    p.write_text("".join(f"Epoch [{e + 1}/300], Train - G Loss: {g[e]:.4f}, D Loss: {d[e]:.4f}, LR - Generator: 0.000200, "
                         f"Discriminator: 0.000100, Early stop counter: 0/20\n" for e in range(20)))
    df = read_run(p)
    assert df.g_loss.to_numpy() == pytest.approx(np.round(g, 4)) and df.d_loss.to_numpy() == pytest.approx(np.round(d, 4))
    assert (df.lr_g == 0.0002).all() and (df.lr_d == 0.0001).all()


def test_d_and_g_lines_in_turn_under_an_epoch_line_of_their_own_are_paired(tmp_path):
    """Held-out batch 114: a TF2 DCGAN prints 'index =  36433' / 'Epoch =  3' / 'Discriminator  tf.Tensor(0.69, ..)' /
    'Genrator  tf.Tensor(0.92, ..)' per step: D and G were read on rows of their own, each column half empty."""
    rng = np.random.default_rng(114)
    d, g = 0.5 + rng.random(40) / 4, 0.6 + rng.random(40) / 3
    p = tmp_path / "tf2.txt"
    p.write_text("".join(f"index =  {36433 + k}\nEpoch =  {3 + k // 20}\nDiscriminator  tf.Tensor({d[k]:.7f}, shape=(), "
                         f"dtype=float32)\nGenrator  tf.Tensor({g[k]:.7f}, shape=(), dtype=float32)\n" for k in range(40)))
    df = read_run(p)
    assert len(df) == 40 and df.d_loss.to_numpy() == pytest.approx(np.round(d, 7))
    assert df.g_loss.to_numpy() == pytest.approx(np.round(g, 7))


def test_dashed_counter_lines_above_a_block_of_values_make_one_row(tmp_path):
    """Held-out batch 123: a Keras CycleGAN prints 'Epoch---------------- 83 / 100', 'Loop index---------------- 1 / 30',
    then 'D_loss:  0.56', 'G_loss:  2.28', .. on lines of their own: each value line became a row of its own, the
    others' NaN read as non-finite losses and the run as diverging from step 0."""
    rng = np.random.default_rng(123)
    d, g = rng.random(90), 2 + rng.random(90)
    p = tmp_path / "cyclegan.txt"
    p.write_text("--- Caching data ---\n\n\n" + "".join(
        f"Epoch---------------- {1 + k // 30} / 100\nLoop index---------------- {1 + k % 30} / 30\nD_loss:  {d[k]:.8f}\n"
        f"G_loss:  {g[k]:.7f}\nreconstruction_loss:  1.70\ndA_loss: 0.27\nDB_loss: 0.30\nTime passed 0:14:31 : ETA in "
        f"0:03:11\n\n\n" for k in range(90)))
    df = read_run(p)
    assert len(df) == 90 and df.d_loss.to_numpy() == pytest.approx(np.round(d, 8)) and df.g_loss.notna().all()
    assert df.step.tolist() == list(range(90)) and df.epoch.iloc[-1] == 2


@pytest.mark.parametrize("head,expect", [
    ("EPOCH  {e}/10\n", "epoch"),                                     # held-out batch 130
    ("Epoch {e} of 20 | Time taken - 9.49s\n", "epoch"),               # held-out batch 126
])
def test_an_epoch_line_above_each_loss_line_gives_its_epoch(tmp_path, head, expect):
    p = tmp_path / "epochs.txt"
    p.write_text("".join(head.format(e=e) + f"Generator loss: {1 + e / 100:.4f}, Discriminator loss: 0.{e:02d}\n"
                         for e in range(1, 16)))
    df = read_run(p)
    assert df.attrs["step_from"] == expect and df.epoch.tolist() == list(range(15)) and df.d_loss.iloc[3] == 0.04


def test_counters_in_parentheses_are_read(tmp_path):
    """Held-out batch 120: 'Epoch (1/50)  Iter (1875/1875)  d_loss: 0.51 ..' was read as one row per 10 iterations."""
    p = tmp_path / "paren.txt"
    p.write_text("".join(f"Epoch ({e}/50)  Iter (1875/1875)  d_loss: 0.5{e % 10}  g_loss: 1.{e:02d}\n" for e in range(1, 21)))
    df = read_run(p)
    assert df.attrs["iters_per_epoch"] == 1875 and df.step.iloc[1] - df.step.iloc[0] == 1875


def test_loss_of_a_network_named_twice_is_read(tmp_path):
    """Held-out batch 134: a pix2pix homework prints '[3/20] - using time: 15.21 seconds', then 'loss of discriminator D:
    0.494' and 'loss of generator G: 20.150' on lines of their own: refused, --columns too."""
    p = tmp_path / "pix2pix.txt"
    p.write_text("training start!\n" + "".join(
        f"Start training epoch {e}\n[{e}/20] - using time: 15.{e:02d} seconds\nloss of discriminator D: 0.{480 + e}\n"
        f"loss of generator G: {26 - e * 0.8:.3f}\n\n\n" for e in range(1, 21)))
    df = read_run(p)
    assert len(df) == 20 and df.d_loss.iloc[0] == 0.481 and df.g_loss.iloc[-1] == pytest.approx(10.0)


def test_keras_loss_and_accuracy_lists_inside_brackets_or_after_an_equals_sign_are_read(tmp_path):
    """Held-out batch 136: '0 [D loss: [0.6936, 0.21875], [G loss: 0.6925]' and 'EPOCH ===  0' / 'Generator loss =
    [0.70, 1.0]' / 'Discriminator_loss =  0.17' (Keras' train_on_batch [loss, accuracy]): refused, --columns too."""
    p = tmp_path / "cgan.txt"
    p.write_text("".join(f"{k} [D loss: [0.69{k:02d}, 0.21875], [G loss: 0.70{k:02d}]\n" for k in range(20)))
    df = read_run(p)
    assert df.d_loss.iloc[3] == 0.6903 and df.g_loss.iloc[3] == 0.7003 and len(df) == 20
    q = tmp_path / "blocks.txt"
    q.write_text("".join(f"EPOCH ===  {10 * e}\n1/1 [==============================] - 0s 46ms/step\nGenerator loss =  "
                         f"[0.70{e:02d}, 1.0]\nDiscriminator_loss =  0.17{e:02d}\n" for e in range(20)))
    blocks = read_run(q)
    assert blocks.epoch.tolist()[:3] == [0, 10, 20] and blocks.g_loss.iloc[2] == 0.7002 and blocks.d_loss.iloc[2] == 0.1702


def test_d1_and_d2_without_a_g_are_not_the_tutorials_d_halves(tmp_path):
    """Held-out batch 125: a radar GAN prints '>100, d1=0.357, d2=1.665' (D's loss and G's; no 'g='): read as
    machinelearningmastery's D halves, it was refused, and --columns d_loss=d1,g_loss=d2 then named no column."""
    p = tmp_path / "radar.txt"
    p.write_text("".join(f">{k}, d1=0.{300 + k}, d2=1.{600 + k}\n6/6 [==============================] - 0s 2ms/step\n"
                         for k in range(1, 41)))
    with pytest.raises(GanalyzeError, match=r"labels 'd1', 'd2'.*--columns d_loss=NAME,g_loss=NAME"):
        read_run(p)
    df = read_run(p, columns="d_loss=d1,g_loss=d2")
    assert df.d_loss.iloc[0] == 0.301 and df.g_loss.iloc[0] == 1.601 and len(df) == 40


def test_chinese_labels_with_a_network_letter_between_word_and_loss_are_read_by_the_word(tmp_path):
    """Held-out batch 142: '[4/5][900/938]鉴别器G损失:0.08 生成器D损失：3.69 真数据判真比例：0.96 假数据判真比例：0.037/0.044'
    (discriminator-G-loss, generator-D-loss: the letters swapped in the print; a fullwidth colon): refused, --columns
    too. The word names the network; the two shares judged real are D(x) and D(G(z))."""
    p = tmp_path / "cn.txt"
    p.write_text("".join(f"[{e}/5][{b}/938]鉴别器G损失:0.{10 + e}{b // 300} 生成器D损失：3.{e}{b // 300} "
                         f"真数据判真比例：0.9{e} 假数据判真比例：0.0{e}/0.1{e}\n" for e in range(5) for b in (0, 300, 600, 900)))
    df = read_run(p)
    assert df.d_loss.iloc[1] == 0.101 and df.g_loss.iloc[1] == 3.01 and df.d_x.iloc[0] == 0.9
    assert df.d_g_z1.iloc[4] == 0.01 and df.d_g_z2.iloc[4] == 0.11 and df.step.iloc[4] == 938


def test_rows_of_numbers_under_a_line_of_names_read_by_those_names(tmp_path):
    """Held-out batch 140: Chainer's PrintReport, 'epoch       iteration   loss_dis    loss_gen' over rows such as
    '\\x1b[4A\\x1b[J31          9900        1.73834     -0.0848668', its progress bar drawn between them: refused,
    --columns too. The names name the columns; the rows are LogReport's interval means."""
    bar = ("\x1b[J     total [###...............................................]  6.00%\nthis epoch [####......]"
           " 40.00%\n       {it} iter, {e} epoch / 100 epochs\n   0.58 iters/sec. Estimated time to finish: 10:07:24.\n")
    p = tmp_path / "chainer.log"
    p.write_text("epoch       iteration   loss_dis    loss_gen  \n" + "".join(
        f"\x1b[4A\x1b[J{k // 3:<12d}{100 * (k + 1):<12d}{1.7 + k / 100:<12.6g}{0.1 - k / 100:<12.6g}\n"
        + bar.format(it=100 * (k + 1), e=k // 3) for k in range(30)))
    df = read_run(p)
    assert df.step.tolist() == list(range(100, 3100, 100)) and df.d_loss.iloc[2] == pytest.approx(1.72)
    assert df.g_loss.iloc[-1] == pytest.approx(-0.19) and df.attrs["averaged"] is True


def test_an_architecture_in_a_loss_label_and_an_epoch_slash_iter_label_are_read(tmp_path):
    """Held-out batches 144 and 145: Coursera's pix2pix prints 'Epoch 0: Step 200: Generator (U-Net) loss: 77.59,
    Discriminator loss: 0.65' (refused: a column 'loss' and no G), and an InfoGAN 'Epoch/Iter:0/99, Dloss: 0.98,
    Gloss: 3.32' (the pair read as two columns, the batch lost and 125 of 150 rows dropped as repeats)."""
    p = tmp_path / "pix2pix.txt"
    p.write_text("".join(f"Epoch {e}: Step {e * 1200 + s}: Generator (U-Net) loss: {70 + s / 100:.8f}, Discriminator "
                         f"loss: 0.{s}\n" for e in range(3) for s in range(200, 1400, 200)))
    df = read_run(p)
    assert len(df) == 18 and df.g_loss.iloc[0] == 72.0 and df.d_loss.iloc[0] == 0.2 and df.step.iloc[-1] == 3600
    q = tmp_path / "infogan.txt"
    q.write_text("".join(f"Epoch/Iter:{e}/{it + 99}, Dloss: 0.9{it // 100}, Gloss: 3.{e:02d}\n"
                         for e in range(25) for it in range(0, 600, 100)))
    ei = read_run(q)
    assert len(ei) == 150 and ei.step.tolist()[:7] == [99, 199, 299, 399, 499, 599, 699]


def test_a_folder_of_loss_lists_one_number_per_line_is_read(tmp_path):
    """Held-out batches 131 and 155: 'np.savetxt' of each loss into its own file (d_loss.txt beside g_loss.txt;
    a CycleGAN's loss_D_X.txt, loss_D_Y.txt and loss_G.txt), one number per line: refused, the folder and each
    file ('no line of bare numbers'). The folder reads, each file a column named by its name; one file alone
    reads with its siblings; lists of different lengths are refused, saying so; a lone list says what is missing."""
    rng = np.random.default_rng(131)
    d, g = rng.uniform(0.2, 1.4, 40), rng.uniform(0.5, 3.0, 40)
    run = tmp_path / "run"
    run.mkdir()
    np.savetxt(run / "D_losses.txt", d)
    (run / "loss_G.txt").write_text("".join(f"{v}\n" for v in g))
    (run / "notes.txt").write_text("lr 2e-4\n")
    np.savetxt(run / "fid.txt", rng.uniform(20, 90, 12))       # a list of another length: left out
    df = read_run(run)
    assert df.d_loss.to_numpy() == pytest.approx(d) and df.g_loss.to_numpy() == pytest.approx(g)
    assert df.step.tolist() == list(range(40)) and df.attrs["source_format"] == "value-lists"
    with pytest.warns(UserWarning, match="read with the other loss lists"):
        assert read_run(run / "loss_G.txt").g_loss.to_numpy() == pytest.approx(g)
    cyc = tmp_path / "cyclegan"
    cyc.mkdir()
    for name, v in (("loss_D_X", d), ("loss_D_Y", d[::-1]), ("loss_G", g)):
        np.savetxt(cyc / f"{name}.txt", v)
    runs = read_runs(cyc)
    assert sorted(runs) == ["cyclegan:X", "cyclegan:Y"] and runs["cyclegan:Y"].d_loss.to_numpy() == pytest.approx(d[::-1])
    np.savetxt(run / "loss_G.txt", g[:30])
    with pytest.raises(GanalyzeError, match=r"differ in length \(D_losses 40, loss_G 30 values\)"):
        read_run(run)
    (run / "loss_G.txt").unlink()
    with pytest.raises(GanalyzeError, match=r"missing required column\(s\) g_loss"):
        read_run(run / "D_losses.txt")


def test_loss_and_epoch_in_portuguese_spanish_or_french_are_read(tmp_path):
    """Held-out batch 156: 'Época [0/200] Batch 0/8 | Perda D: 1.7180 | Perda G: 4.7658' (Portuguese) was refused
    although its refusal named 'Perda D'/'Perda G' as the most printed labels. The words for loss and epoch are read
    in Portuguese, Spanish, French, Italian and German."""
    rng = np.random.default_rng(156)
    d, g = rng.uniform(0.3, 1.8, 30), rng.uniform(2, 9, 30)
    p = tmp_path / "pt.log"
    p.write_text("Iniciando o treinamento adversarial na GPU...\n" + "".join(
        f"Época [{k}/200] Batch 0/8 | Perda D: {d[k]:.4f} | Perda G: {g[k]:.4f}\n--> Amostra da época {k} salva\n\n"
        for k in range(30)))
    df = read_run(p)
    assert df.d_loss.to_numpy() == pytest.approx(d, abs=1e-4) and df.g_loss.to_numpy() == pytest.approx(g, abs=1e-4)
    assert df.step.tolist() == [8 * k for k in range(30)]
    q = tmp_path / "es.log"
    q.write_text("".join(f"Epoca {k + 1}: Pérdida D: {d[k]:.4f}, Pérdida G: {g[k]:.4f}\n" for k in range(30)))
    assert read_run(q).g_loss.to_numpy() == pytest.approx(g, abs=1e-4)
    r = tmp_path / "fr.log"
    r.write_text("".join(f"Époque {k + 1} - Perte D : {d[k]:.4f} - Perte G : {g[k]:.4f}\n" for k in range(30)))
    assert read_run(r).d_loss.to_numpy() == pytest.approx(d, abs=1e-4)
    # a user's --columns naming the original label (the refusal before this suggested it) reads as before
    assert read_run(p, columns={"d_loss": "Perda D", "g_loss": "Perda G"}).d_loss.to_numpy() == pytest.approx(d, abs=1e-4)


def test_keras_verbose_2_lines_give_the_batches_per_epoch(tmp_path):
    """Held-out batch 157: a Keras CycleGAN fitted with verbose=2 prints 'Epoch 1/50' then '300/300 - 37s -
    monet_disc_loss: 0.6529 - ..', no bar: each epoch was read as 100 iterations. The counter gives 300."""
    rng = np.random.default_rng(157)
    d, g = rng.uniform(0.55, 0.7, 20), rng.uniform(2.5, 5.5, 20)
    p = tmp_path / "fit.log"
    p.write_text("".join(f"Epoch {k + 1}/20\n300/300 - 37s - d_loss: {d[k]:.4f} - g_loss: {g[k]:.4f}\n"
                         for k in range(20)))
    df = read_run(p)
    assert df.step.tolist() == [300 * k + 299 for k in range(20)] and df.d_loss.to_numpy() == pytest.approx(d, abs=1e-4)


def test_mmgeneration_log_lines_are_read(tmp_path):
    """Held-out batch 170: MMGeneration's logger ('Iter [100/80000]\\tlr_generators: 2.000e-04 lr_discriminators:
    2.000e-04, eta: .., loss_gan_d_fake: 0.6280, loss_gan_d_real: 0.6280, loss: 36.3230, loss_gan_g: 1.2315,
    loss_l1: 35.0916', a pix2pix) was refused: no name was D's or G's. D's two terms are read (their sum D's
    loss), loss_gan_g is G's adversarial loss; 'loss' (G's total with the L1 term) is left as it is."""
    rng = np.random.default_rng(170)
    fake, real, g, l1 = rng.uniform(0.2, 0.7, 30), rng.uniform(0.2, 0.7, 30), rng.uniform(1, 3, 30), rng.uniform(30, 36, 30)
    p = tmp_path / "20210926_164046.log"
    p.write_text("".join(
        f"2021-09-26 16:41:26,614 - mmgen - INFO - Iter [{100 * (k + 1)}/80000]\tlr_generators: 2.000e-04 "
        f"lr_discriminators: 2.000e-04, eta: 8:19:31, time: 0.375, data_time: 0.004, memory: 4533, loss_gan_d_fake: "
        f"{fake[k]:.4f}, loss_gan_d_real: {real[k]:.4f}, loss: {g[k] + l1[k]:.4f}, loss_gan_g: {g[k]:.4f}, "
        f"loss_l1: {l1[k]:.4f}\n" for k in range(30)))
    df = read_run(p)
    assert df.step.tolist() == [100 * (k + 1) for k in range(30)] and df.g_loss.to_numpy() == pytest.approx(g, abs=1e-4)
    assert df.d_loss.to_numpy() == pytest.approx(fake + real, abs=2e-4) and df.attrs["d_loss_reduction"] == "sum"
    assert df.lr_g.iloc[0] == pytest.approx(2e-4)


def test_fastais_fit_table_shown_as_html_only_is_read(tmp_path):
    """Held-out batch 176: fast.ai's lesson7-wgan notebook (copied into five repositories) shows its fit table only as
    HTML ('<tr><th>1</th><th>-0.842719</th>..', its text/plain '<IPython.core.display.HTML object>'): refused, no
    printed log. The table's rows are read under its header (gen_loss, disc_loss), fastai v2's 'time' column and
    '#na#' validation losses too, and the values are smoothed over each epoch."""
    rng = np.random.default_rng(176)
    g, d = rng.uniform(0.1, 0.6, 30), rng.uniform(-1.1, -0.2, 30)
    v1 = "Total time: 1:54:23 <p><table style='width:300px; margin-bottom:10px'>\n  <tr>\n    <th>epoch</th>\n" \
         "    <th>train_loss</th>\n    <th>gen_loss</th>\n    <th>disc_loss</th>\n  </tr>\n" + "".join(
             f"  <tr>\n    <th>{k + 1}</th>\n    <th>{d[k]:.6f}</th>\n    <th>{g[k]:.6f}</th>\n    <th>{d[k]:.6f}</th>\n  </tr>\n"
             for k in range(30)) + "</table>\n"
    v2 = "<table border=\"1\" class=\"dataframe\"><thead><tr><th>epoch</th><th>train_loss</th><th>valid_loss</th>" \
         "<th>gen_loss</th><th>disc_loss</th><th>time</th></tr></thead><tbody>" + "".join(
             f"<tr><td>{k}</td><td>{d[k]:.6f}</td><td>#na#</td><td>{g[k]:.6f}</td><td>{d[k]:.6f}</td><td>00:41</td></tr>"
             for k in range(30)) + "</tbody></table>"
    for name, html in (("v1", v1), ("v2", v2)):
        nb = {"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "source": ["learn.fit(30, 2e-4)"],
                         "outputs": [{"output_type": "display_data", "metadata": {}, "data": {
                             "text/plain": ["<IPython.core.display.HTML object>"], "text/html": html.splitlines(True)}}]}],
              "metadata": {}, "nbformat": 4, "nbformat_minor": 2}
        p = tmp_path / f"{name}.ipynb"
        p.write_text(json.dumps(nb))
        df = read_run(p)
        assert df.g_loss.to_numpy() == pytest.approx(g, abs=1e-6) and df.d_loss.to_numpy() == pytest.approx(d, abs=1e-6)
        assert df.attrs["averaged"] is True and len(df) == 30


def test_keras_io_cyclegan_names_pair_each_generator_with_the_d_that_judges_it(tmp_path):
    """Held-out batch 194: keras.io's CycleGAN example prints 'disc_X_loss - disc_Y_loss - gen_F_loss - gen_G_loss'
    (G maps X to Y and is judged by disc_Y; F maps Y to X, judged by disc_X): refused, no name was D's or G's. One
    run per D, its G the one that D judges (the letters differ), each G's printed loss its total (composite)."""
    from ganalyze.diagnose.metadata import infer_metadata

    rng = np.random.default_rng(194)
    dx, dy, gf, gg = (rng.uniform(lo, hi, 12) for lo, hi in ((0.05, 0.09), (0.2, 0.3), (1.8, 4.5), (5.0, 7.0)))
    p = tmp_path / "fit.log"
    p.write_text("".join(f"Epoch {k + 1}/12\n300/300 ━━━━━━━━━━━━━━━━━━━━ 41s 134ms/step - disc_X_loss: {dx[k]:.4f} - "
                         f"disc_Y_loss: {dy[k]:.4f} - gen_F_loss: {gf[k]:.4f} - gen_G_loss: {gg[k]:.4f}\n"
                         for k in range(12)))
    runs = read_runs(p)
    assert list(runs) == ["fit:X", "fit:Y"]
    x, y = runs["fit:X"], runs["fit:Y"]
    assert x.d_loss.to_numpy() == pytest.approx(dx, abs=1e-4) and x.g_loss.to_numpy() == pytest.approx(gf, abs=1e-4)
    assert y.d_loss.to_numpy() == pytest.approx(dy, abs=1e-4) and y.g_loss.to_numpy() == pytest.approx(gg, abs=1e-4)
    assert infer_metadata(y).g_loss_terms == "composite"


def test_korean_discriminator_and_generator_labels_are_read(tmp_path):
    """Held-out batch 197: a Korean TensorFlow tutorial prints 'Epoch : 0, 판별망의 성능 : nan, 생성망의 성능 : nan'
    (the discriminator's and generator's "performance", their losses): refused, no label was D's or G's. 판별자 /
    판별망 / 판별기 are the discriminator and 생성자 / 생성망 / 생성기 the generator, with 손실 ("loss") or 성능."""
    p = tmp_path / "train.log"
    p.write_text("".join(f"Epoch : {e}, 판별망의 성능 : {-1.2 + e / 100:.4f}, 생성망의 성능 : {-0.7 - e / 50:.4f}\n"
                         for e in range(12)) + "최적화 완료!\n")
    df = read_run(p)
    assert df.d_loss.to_numpy() == pytest.approx([-1.2 + e / 100 for e in range(12)], abs=1e-4)
    assert df.g_loss.to_numpy() == pytest.approx([-0.7 - e / 50 for e in range(12)], abs=1e-4)
    q = tmp_path / "nan.log"
    q.write_text("".join(f"[{e}/20] 판별자 손실: nan 생성자 손실: nan\n" for e in range(12)))
    assert read_run(q).d_loss.isna().all()


def test_korean_chollet_steps_and_russian_labels_are_read(tmp_path):
    """Held-out batches 327 and 329. Chollet's Keras GAN in its Korean edition prints two lines a step, '스텝 100에서
    판별자 손실: 0.69' then '스텝 100에서 적대적 손실: 0.81' ("at step 100, discriminator loss" / "adversarial loss", the
    GAN model's, G's); a Russian PyTorch notebook 'Эпоха: 491, потери дискриминатора: 0.1404, потери генератора:
    7.1107' ("epoch", "losses of the discriminator / generator"). Both were refused, also with --columns."""
    d, g = [0.69 - k / 500 for k in range(12)], [0.81 + k / 100 for k in range(12)]
    p = tmp_path / "ko.log"
    p.write_text("".join(f"스텝 {100 * k}에서 판별자 손실: {d[k]:.4f}\n스텝 {100 * k}에서 적대적 손실: {g[k]:.4f}\n"
                         for k in range(12)))
    df = read_run(p)
    assert df.step.tolist() == [100 * k for k in range(12)]
    assert df.d_loss.to_numpy() == pytest.approx(d, abs=1e-4) and df.g_loss.to_numpy() == pytest.approx(g, abs=1e-4)
    # --columns naming the labels as printed (the batches' retry) reads the same
    named = read_run(p, columns={"d_loss": "판별자 손실", "g_loss": "적대적 손실"})
    assert named.g_loss.to_numpy() == pytest.approx(g, abs=1e-4)
    q = tmp_path / "ru.log"
    q.write_text("".join(f"Эпоха: {10 * k + 1}, потери дискриминатора: {d[k]:.4f}, потери генератора: {g[k]:.4f}\n"
                         for k in range(12)))
    df = read_run(q)
    assert df.epoch.tolist() == [10 * k for k in range(12)]      # (0-based)
    assert df.d_loss.to_numpy() == pytest.approx(d, abs=1e-4) and df.g_loss.to_numpy() == pytest.approx(g, abs=1e-4)
    r = tmp_path / "ru_critic.log"      # the critic's loss ("ошибка критика") is D's
    r.write_text("".join(f"Эпоха {k}: ошибка критика: {-d[k]:.4f}, ошибка генератора: {g[k]:.4f}\n" for k in range(12)))
    assert read_run(r).d_loss.to_numpy() == pytest.approx([-x for x in d], abs=1e-4)


def test_a_loss_label_then_is_then_its_value(tmp_path):
    """Held-out batch 335: a Fashion-MNIST notebook prints 'Epoch number 0 Disc loss is 0.6856 and gen loss is
    0.7104' every iteration: refused, also with --columns naming both labels."""
    d, g = [0.69 - k / 500 for k in range(30)], [0.71 + k / 100 for k in range(30)]
    p = tmp_path / "is.log"
    p.write_text("".join(f"Epoch number {k // 10} Disc loss is {d[k]} and gen loss is {g[k]}\n" for k in range(30)))
    df = read_run(p)
    assert df.d_loss.to_numpy() == pytest.approx(d) and df.g_loss.to_numpy() == pytest.approx(g)
    assert df.epoch.tolist() == [k // 10 for k in range(30)] and df.step.tolist() == list(range(30))
    # held-out batch 431/12: the label glued to its network, 'Epoch 0: g_loss is 3.423425 and d_loss is 0.862056'
    q = tmp_path / "glued.log"
    q.write_text("".join(f"Epoch {k}: g_loss is {g[k]} and d_loss is {d[k]}\n" for k in range(30)))
    df = read_run(q)
    assert df.d_loss.to_numpy() == pytest.approx(d) and df.g_loss.to_numpy() == pytest.approx(g)


def test_a_tqdm_bar_whose_description_names_the_step(tmp_path):
    """Held-out batch 324: a TF notebook's epoch bar 'Current step 468: 100%|##########| 468/468 [00:27<00:00, 17.27it/s,
    disc_loss=1.08, gen_loss=0.907]' (the running iteration count) was read one step a row, 20 epochs as 20 steps."""
    d, g = [1.1 + k / 100 for k in range(20)], [0.9 - k / 200 for k in range(20)]
    p = tmp_path / "bars.log"
    p.write_text("".join(f"Epoch: {k + 1}/20\nCurrent step {468 * (k + 1)}: 100%|\u2588\u2588\u2588\u2588| 468/468 "
                         f"[00:11<00:00, 40.88it/s, disc_loss={d[k]:.3g}, gen_loss={g[k]:.3g}]\n"
                         f"Time for epoch {k + 1} is 12.3 sec\n" for k in range(20)), encoding="utf-8")
    df = read_run(p)
    assert df.step.tolist() == [468 * (k + 1) for k in range(20)]
    assert df.d_loss.to_numpy() == pytest.approx(d, abs=1e-3) and df.g_loss.to_numpy() == pytest.approx(g, abs=1e-3)


def test_machinelearningmastery_print_with_numbered_d_losses_and_a_gan_loss(tmp_path):
    """Held-out batch 204: '>1, 1/5, d1_loss=0.691,d2_loss=0.976, gan_loss=0.692, d1_acc=0.300, d2_acc=0.000' (a
    spectrogram GAN on machinelearningmastery's loop) was refused, missing d_loss; with '--columns d_loss=d1_loss'
    D's loss was its real half alone. d1_loss and d2_loss are D's halves, gan_loss G's."""
    rng = np.random.default_rng(204)
    d1, d2, g = rng.uniform(0.2, 0.7, 40), rng.uniform(0.2, 0.9, 40), rng.uniform(0.6, 1.1, 40)
    p = tmp_path / "train.log"
    p.write_text("".join(f"1/1 [==============================] - 2s 2s/step\n>{k // 5 + 1}, {k % 5 + 1}/5, "
                         f"d1_loss={d1[k]:.3f},d2_loss={d2[k]:.3f}, gan_loss={g[k]:.3f}, d1_acc=0.300, d2_acc=0.000\n"
                         for k in range(40)))
    df = read_run(p)
    assert df.step.tolist() == list(range(40)) and df.g_loss.to_numpy() == pytest.approx(g, abs=1e-3)
    assert df.d_loss.to_numpy() == pytest.approx(d1 + d2, abs=2e-3)
    # a user's --columns naming the printed label still reads (the stop-40 re-read found it refused)
    assert read_run(p, columns={"d_loss": "d1_loss"}).d_loss.to_numpy() == pytest.approx(d1, abs=1e-3)


def test_epoch_and_batch_by_their_initials_with_d_and_g_on_lines_of_their_own(tmp_path):
    """Held-out batch 210: 'E: 0; B: 3; DLoss: 0.684780' then 'E: 0; B: 3; GLoss: 0.696190', every batch: each line
    was read as a row holding one loss (48,213 rows, steps the row numbers). E and B are the epoch and the batch,
    and each pair of lines is one row."""
    rng = np.random.default_rng(210)
    d, g = rng.uniform(0.6, 0.7, 30), rng.uniform(0.69, 1.0, 30)
    p = tmp_path / "train.log"
    p.write_text("".join(f"E: {k // 10}; B: {k % 10}; DLoss: {d[k]:.6f}\nE: {k // 10}; B: {k % 10}; GLoss: {g[k]:.6f}\n"
                         for k in range(30)))
    df = read_run(p)
    assert df.step.tolist() == list(range(30)) and df.epoch.tolist() == [k // 10 for k in range(30)]
    assert df.d_loss.to_numpy() == pytest.approx(d, abs=1e-6) and df.g_loss.to_numpy() == pytest.approx(g, abs=1e-6)


def test_epoch_summary_lines_that_name_the_losses_otherwise_are_left_out(tmp_path):
    """Held-out batch 208: a DCGAN notebook prints 'Epoch:  1', ten '     D loss: 1.409 G loss: 0.629' lines, then
    'Epoch: 1 Loss: G: 0.687 D: 1.347 Time: 75 Avg Time: 75.3': refused, "columns 'G loss' and 'G' both mean
    'g_loss'", and with --columns the summaries' rows read as NaN losses, a divergence. Two line kinds that name
    the losses each their own way, on no row both: the summaries (a tenth of the rows) are left out, warned."""
    rng = np.random.default_rng(208)
    d, g = rng.uniform(1.3, 1.45, 60), rng.uniform(0.6, 0.75, 60)
    lines = []
    for e in range(6):
        lines.append(f"Epoch:  {e + 1}")
        lines += [f"     D loss: {d[10 * e + k]} G loss: {g[10 * e + k]}" for k in range(10)]
        lines.append(f"Epoch: {e + 1} Loss: G: {g[10 * e:10 * e + 10].mean()} D: {d[10 * e:10 * e + 10].mean()} Time: 75 "
                     "Avg Time: 75.26")
    p = tmp_path / "train.log"
    p.write_text("\n".join(lines) + "\n")
    with pytest.warns(UserWarning, match="6 line.s. naming the losses 'D', 'G' left out as summaries"):
        df = read_run(p)
    assert len(df) == 60 and df.d_loss.to_numpy() == pytest.approx(d) and df.g_loss.notna().all()


def test_an_epoch_counter_followed_by_a_label_after_a_space(tmp_path):
    """Held-out batch 216: 'Epoch 1/2 Discriminator loss 0.0081 ... Generator loss 9.6902 ...' was refused (missing
    d_loss: the first label was read as part of the counter's), also with --columns 'd_loss=Discriminator loss'."""
    rng = np.random.default_rng(216)
    d, g = rng.uniform(0.2, 1.0, 20), rng.uniform(1.0, 3.0, 20)
    p = tmp_path / "train.log"
    p.write_text("".join(f"Epoch {k // 10 + 1}/2 Discriminator loss {d[k]:.4f} ... Generator loss {g[k]:.4f} ...\n"
                         for k in range(20)))
    df = read_run(p)
    assert df.d_loss.to_numpy() == pytest.approx(d, abs=1e-4) and df.g_loss.to_numpy() == pytest.approx(g, abs=1e-4)
    assert df.epoch.tolist() == [k // 10 for k in range(20)]


def _nb(tmp_path, cells, name="train.ipynb"):
    """A notebook of code cells, each given as a list of its stream outputs' texts."""
    nb = {"cells": [{"cell_type": "code", "source": "pass\n", "metadata": {}, "execution_count": k + 1,
                     "outputs": [{"output_type": "stream", "name": "stdout", "text": t} for t in texts]}
                    for k, texts in enumerate(cells)], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    p = tmp_path / name
    p.write_text(json.dumps(nb))
    return p


def test_a_steps_label_and_no_step_from_a_download_in_an_earlier_cell(tmp_path):
    """Held-out batch 225: 'Steps: 2000: Generator Loss: 5.55, Discriminator Loss:0.0197', after a cell whose wget
    printed "saved [5148/5148]": every row took step 5148 and 49 of 50 were dropped as rewrites of one step."""
    rng = np.random.default_rng(225)
    d, g = rng.uniform(0.1, 1.0, 30), rng.uniform(1.0, 5.0, 30)
    wget = "2019-10-17 18:32:41 (665 MB/s) - 't10k-labels-idx1-ubyte.gz' saved [5148/5148]\n\n"
    steps = "".join(f"Steps: {2000 * k}: Generator Loss: {g[k]}, Discriminator Loss:{d[k]}\n" for k in range(30))
    df = read_run(_nb(tmp_path, [[wget], [steps]]))
    assert df.step.tolist() == [2000 * k for k in range(30)] and df.d_loss.to_numpy() == pytest.approx(d)
    bare = "".join(f"Generator Loss: {g[k]}, Discriminator Loss:{d[k]}\n" for k in range(30))
    df = read_run(_nb(tmp_path, [[wget], [bare]], "bare.ipynb"))
    assert len(df) == 30 and df.g_loss.to_numpy() == pytest.approx(g)


def test_a_loop_print_split_over_stream_outputs_reads_as_one(tmp_path):
    """Held-out batch 229: 'generator_loss 0.69' / 'discriminator_loss 1.42' on lines of their own, 1,200 steps over
    nine stream outputs after 600 lines of '(100, 28, 28, 1)': refused (the shapes hid the labels), and once read,
    each output's last pair alone (the outputs joined by blank lines read as nine records)."""
    rng = np.random.default_rng(229)
    d, g = rng.uniform(0.5, 12.0, 90), rng.uniform(1e-5, 0.7, 90)
    parts = ["".join(f"generator_loss {g[k]}\ndiscriminator_loss {d[k]}\n" for k in range(30 * j, 30 * j + 30))
             for j in range(3)]
    df = read_run(_nb(tmp_path, [["(100, 28, 28, 1)\n" * 600], parts]))
    assert len(df) == 90 and df.d_loss.to_numpy() == pytest.approx(d) and df.g_loss.to_numpy() == pytest.approx(g)


def test_a_networks_letter_joined_to_its_quantity_by_a_colon(tmp_path):
    """Held-out batch 229: 'epoch 1 [D:loss 0.57 D:acc 53.12] [G:loss 0.53]' was refused."""
    rng = np.random.default_rng(2291)
    d, a, g = rng.uniform(0.2, 0.7, 40), rng.uniform(50, 90, 40), rng.uniform(0.5, 3.7, 40)
    p = tmp_path / "train.log"
    p.write_text("".join(f"epoch {k + 1} [D:loss {d[k]:.2f} D:acc {a[k]:.2f}] [G:loss {g[k]:.2f}]\n" for k in range(40)))
    df = read_run(p)
    assert df.d_loss.to_numpy() == pytest.approx(d, abs=0.006) and df.g_loss.to_numpy() == pytest.approx(g, abs=0.006)
    assert df.d_acc.to_numpy() == pytest.approx(a, abs=0.006)


def test_a_bare_counter_in_brackets_opening_each_line(tmp_path):
    """Held-out batch 230: '[025] D: 1.3775 | G: 1.9632 (adv: 0.7720, L1: 0.0053, FFT: 0.1084)' every 25 epochs read
    as rows ten iterations apart; the counter is the epoch (an iteration where it reaches 1,000)."""
    rng = np.random.default_rng(230)
    d, g = rng.uniform(1.3, 1.4, 12), rng.uniform(0.8, 2.0, 12)
    lines = "".join(f"[{25 * (k + 1):03}] D: {d[k]:.4f} | G: {g[k]:.4f} (adv: 0.77, L1: 0.005, FFT: 0.1)\n" for k in range(12))
    p = tmp_path / "train.log"
    p.write_text(lines)
    df = read_run(p)
    assert df.epoch.tolist() == [25 * (k + 1) for k in range(12)]
    assert df.d_loss.to_numpy() == pytest.approx(d, abs=1e-4)
    p.write_text(lines.replace("[", "[1").replace("]", "0]"))      # [10250] .. : iterations
    df = read_run(p)
    assert "epoch" not in df and df.step.iloc[-1] > 1000


def test_a_label_after_a_batch_counter_with_its_total(tmp_path):
    """Held-out batch 233: 'Epoch [0/50] Batch 0/1875 Loss D: 0.7017, Loss G: 1.1081' was refused (no d_loss: 'Loss D'
    read as part of the counter's label), also with --columns 'd_loss=Loss D'."""
    rng = np.random.default_rng(233)
    d, g = rng.uniform(0.4, 0.8, 20), rng.uniform(0.8, 1.6, 20)
    p = tmp_path / "train.log"
    p.write_text("".join(f"Epoch [{k // 10}/50] Batch {200 * (k % 10)}/1875 Loss D: {d[k]:.4f}, Loss G: {g[k]:.4f}\n"
                         for k in range(20)))
    df = read_run(p)
    assert df.d_loss.to_numpy() == pytest.approx(d, abs=1e-4) and df.g_loss.to_numpy() == pytest.approx(g, abs=1e-4)
    assert df.step.iloc[1] - df.step.iloc[0] == 200


def test_spanish_and_portuguese_network_names_and_torchgans_running_means(tmp_path):
    """Held-out batch 232: 'Pérdida del discriminador: 0.0106, Pérdida del generador: 9.358' was refused (its message
    named the labels 'Loss del discriminador'); batch 234: torchgan's 'Mean Running Discriminator Loss : 1.2' under
    'Epoch N Summary', and 'netD_loss' / 'netG_loss'."""
    rng = np.random.default_rng(232)
    d, g = rng.uniform(0.01, 0.8, 12), rng.uniform(1.0, 9.0, 12)
    for name, line in (("es.log", "Pérdida del discriminador: {d}, Pérdida del generador: {g}\n"),
                       ("pt.log", "Perda do discriminador: {d} Perda do gerador: {g}\n"),
                       ("fr.log", "Perte du discriminateur: {d}, Perte du générateur: {g}\n"),
                       ("net.log", "netD_loss: {d}, netG_loss: {g}\n")):
        p = tmp_path / name
        p.write_text("".join(line.format(d=d[k], g=g[k]) for k in range(12)), encoding="utf-8")
        df = read_run(p)
        assert df.d_loss.to_numpy() == pytest.approx(d) and df.g_loss.to_numpy() == pytest.approx(g), name
    p = tmp_path / "es.log"
    assert len(read_run(p, columns={"d_loss": "Pérdida del discriminador", "g_loss": "Pérdida del generador"})) == 12
    blocks = "".join(f"Saving Model at './model/gan{e % 5}.model'\nEpoch {e + 1} Summary\ngenerator Mean Gradients : 1.1\n"
                     f"discriminator Mean Gradients : 6.1\nMean Running Discriminator Loss : {d[e]}\n"
                     f"Mean Running Generator Loss : {g[e]}\nGenerating and Saving Images to ./images/epoch{e + 1}.png\n\n"
                     for e in range(12))
    p = tmp_path / "torchgan.log"
    p.write_text(blocks)
    df = read_run(p)
    assert df.d_loss.to_numpy() == pytest.approx(d) and df.g_loss.to_numpy() == pytest.approx(g)


def test_a_label_followed_by_its_epoch_and_batch_and_one_row_per_epoch(tmp_path):
    """Held-out batch 239: a TF1 notebook prints, once per epoch at its first batch, 'g loss in 0epoch, 1batch :
    0.616' then 'd loss in 0epoch, 1batch : 1.606': refused, its suggested --columns read a printed pixel array.
    Read, the constant batch made '1 batch per epoch'; the rows are one per epoch."""
    rng = np.random.default_rng(239)
    d, g = rng.uniform(1.2, 1.6, 30), rng.uniform(0.5, 1.5, 30)
    p = tmp_path / "train.log"
    p.write_text("".join(f"g loss in {e}epoch, 1batch : {g[e]}\nd loss in {e}epoch, 1batch : {d[e]}\n" for e in range(30)))
    df = read_run(p)
    assert df.d_loss.to_numpy() == pytest.approx(d) and df.g_loss.to_numpy() == pytest.approx(g)
    assert df.step.tolist() == list(range(30)) and df.attrs["step_from"] == "epoch"
    # with the batch total printed, the batch places the rows within their epochs as before
    p.write_text("".join(f"Epoch [{e}/30] Batch [1/469] d_loss: {d[e]} g_loss: {g[e]}\n" for e in range(30)))
    steps = read_run(p).step.to_numpy()
    assert (np.diff(steps) == 469).all()


def test_a_tqdm_bar_over_the_whole_run_beside_an_epoch_postfix_counts_iterations(tmp_path):
    """Held-out batch 244: 'Training:   3%|▎ | 3750/120000 [.., epoch=1, errD=-.919, errG=-.02]' (one bar over the
    whole run, the epoch in its postfix) was read as epoch x 120000 + 3750 (steps to 3,839,999 for 120,000
    iterations), and its 3 % as a column 'training'."""
    lines, rng = [], np.random.default_rng(0)
    for epoch in range(1, 9):
        for done in (3750 * epoch, 3750 * epoch + 20):
            share = 100 * done // 120000
            lines.append(f"Training: {share:3d}%|▎         | {done}/120000 [00:42<17:31, 110.52it/s, "
                         f"epoch={epoch + (done % 3750 > 0)}, errD={-0.9 + 0.05 * rng.random():.3f}, "
                         f"errG={0.1 * rng.random():.3f}]")
    path = tmp_path / "bar.log"
    path.write_text("\n".join(lines) + "\n")
    df = read_run(path)
    assert "training" not in df.columns
    assert df["step"].max() < 40_000 and df["step"].is_monotonic_increasing
    assert "the run's own iteration" in df.attrs["guessed"]["step_from"]
    # a batch counter that restarts each epoch keeps the epoch x batches reading
    restart = tmp_path / "restart.log"
    restart.write_text("".join(f"Epoch {e} Batch {b}/300 d_loss: 0.6{b % 7} g_loss: 0.8{b % 5}\n"
                               for e in range(4) for b in (0, 100, 200)))
    assert read_run(restart)["step"].max() == 3 * 300 + 200


def test_machinelearningmastery_print_without_its_batch_total_and_with_gl(tmp_path):
    """Held-out batch 245: '>10, 60, d1=0.0000011, acc1=0.875, d2=0.00018 acc2=0.094 gl=0.0000586' (the tutorial's
    print without the batches' total, G's loss named gl) was refused."""
    rng = np.random.default_rng(4)
    path = tmp_path / "mlm.log"
    path.write_text("".join(f">{e}, {b}, d1={0.5 * rng.random():.10f}, acc1={rng.random():.10f}, d2={0.5 * rng.random():.10f} "
                            f"acc2={rng.random():.10f} gl={1 + rng.random():.10f} \n" for e in range(1, 5) for b in range(1, 64)))
    df = read_run(path)
    assert len(df) == 4 * 63 and df["step"].max() == 4 * 63 - 1
    assert df.attrs["d_loss_reduction"] == "sum" and df["g_loss"].between(1, 2).all()


def test_chollets_two_lines_of_one_step(tmp_path):
    """Held-out batch 241: Chollet's first-edition GAN prints "print(step, 'discriminator loss:', d_loss)" then
    "print(step, 'adversarial loss:', a_loss)" (the combined model's loss: G's); refused as 'missing g_loss'."""
    path = tmp_path / "chollet.log"
    path.write_text("".join(f"{s} discriminator loss: {0.7 + 0.001 * (s % 7):.8f}\n{s} adversarial loss: "
                            f"{0.8 - 0.001 * (s % 5):.8f}\n" for s in range(0, 3000, 100)))
    df = read_run(path)
    assert len(df) == 30 and df["step"].iloc[-1] == 2900 and df["g_loss"].between(0.79, 0.81).all()


def test_lines_led_by_the_network_that_owns_their_loss(tmp_path):
    """Held-out batch 249: 'discriminator epoch: 0, step: 500/2427, loss: 1.040' then 'generator epoch: 0, step:
    500/2427, loss: 0.577': the first word says whose loss it is; refused ('no labelled D or G loss')."""
    path = tmp_path / "role.log"
    path.write_text("".join(f"discriminator epoch: {e}, step: {s}/2427, loss: {1.3 + 0.01 * (s % 7):.3f}\n"
                            f"generator epoch: {e}, step: {s}/2427, loss: {0.6 + 0.01 * (s % 5):.3f}\n"
                            for e in range(5) for s in range(0, 2427, 500)))
    df = read_run(path)
    assert len(df) == 25 and df["d_loss"].between(1.3, 1.4).all() and df["g_loss"].between(0.6, 0.7).all()
    assert df["step"].iloc[-1] == 4 * 2427 + 2000


def test_a_notebook_cut_by_colab_says_its_start_is_missing(tmp_path):
    """Held-out batch 246: Colab kept only a cell's last 5000 lines; the reading said nothing of the missing start."""
    text = "Streaming output truncated to the last 5000 lines.\n" + "".join(
        f"Step {s}: D loss: {0.6 + 0.01 * (s % 7):.3f} G loss: {0.9 + 0.01 * (s % 5):.3f}\n" for s in range(508, 1000))
    nb = {"cells": [{"cell_type": "code", "source": "train()\n", "metadata": {}, "execution_count": 1,
                     "outputs": [{"output_type": "stream", "name": "stdout", "text": text}]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "cut.ipynb"
    path.write_text(json.dumps(nb))
    with pytest.warns(UserWarning, match="cut to its last 5000 lines"):
        df = read_run(path)
    assert df["step"].iloc[0] == 508


def test_a_critic_printed_through_the_dcgan_tutorials_line_logs_critic_scores(tmp_path):
    """Held-out batch 253: a WGAN-GP printing the DCGAN tutorial's line ('D(G(z)): -0.0905 / -0.0876') kept the
    format's probabilities, and the rules judged raw critic scores against the probability bands (d_dominant)."""
    from ganalyze.diagnose.metadata import infer_metadata

    rng = np.random.default_rng(8)
    path = tmp_path / "critic.log"
    path.write_text("".join(f"[{k // 10}/5][{50 * (k % 10)}/468]\tLoss_D: {-0.5 + 0.2 * rng.random():.4f}\tLoss_G: "
                            f"{0.2 * rng.standard_normal():.4f}\tD(x): {0.5 + 0.3 * rng.random():.4f}\tD(G(z)): "
                            f"{-0.1 + 0.05 * rng.standard_normal():.4f} / {-0.1 + 0.05 * rng.standard_normal():.4f}\n"
                            for k in range(50)))
    meta = infer_metadata(read_run(path))
    assert meta.loss == "wgan-gp" and meta.scores == "critic"
    # the tutorial's own probabilities keep the format's reading
    path.write_text("".join(f"[{k // 10}/5][{50 * (k % 10)}/468]\tLoss_D: {1.2 + 0.2 * rng.random():.4f}\tLoss_G: "
                            f"{0.9 + 0.2 * rng.random():.4f}\tD(x): {0.5 + 0.3 * rng.random():.4f}\tD(G(z)): "
                            f"{0.3 + 0.05 * rng.random():.4f} / {0.3 + 0.05 * rng.random():.4f}\n" for k in range(50)))
    assert infer_metadata(read_run(path)).scores == "probability"


def test_a_network_named_loss_label_keeps_its_name(tmp_path):
    """The rewrite of 'discriminator epoch: 0, .., loss: 1.04' leaves 'Discriminator loss: 0.7' (a label of its own)
    as printed: the reading names the label the file holds."""
    path = tmp_path / "named.log"
    path.write_text("".join(f"Epoch {e}: Discriminator loss: {0.6 + 0.01 * (e % 7):.3f}, Generator loss: "
                            f"{0.9 + 0.01 * (e % 5):.3f}\n" for e in range(30)))
    df = read_run(path)
    assert "Discriminator loss" in df.attrs["columns_from"]


def test_columns_named_as_printed_still_read_after_the_reader_names_them(tmp_path):
    """Nothing a user wrote is lost: '--columns d_loss_real=d1,d_loss_fake=d2,g_loss=gl' (what held-out batch 245
    needed before '>E, B, d1=..' was read) and 'g_loss=adversarial loss' (batch 241) name labels the reader now
    renames itself; they still read (they were refused: 'd1' is not a column)."""
    mlm = tmp_path / "mlm.log"
    mlm.write_text("".join(f">{e}, {b}, d1={0.3 + 0.01 * b:.6f}, acc1=0.5, d2={0.4:.6f} acc2=0.5 gl={1.2:.6f}\n"
                           for e in range(1, 4) for b in range(1, 30)))
    df = read_run(mlm, columns={"d_loss_real": "d1", "d_loss_fake": "d2", "g_loss": "gl"})
    assert df["g_loss"].eq(1.2).all() and df["d_loss_real"].iloc[1] == pytest.approx(0.32)
    chollet = tmp_path / "chollet.log"
    chollet.write_text("".join(f"{s} discriminator loss: 0.7{s % 7}\n{s} adversarial loss: 0.8{s % 5}\n"
                               for s in range(0, 3000, 100)))
    assert len(read_run(chollet, columns={"g_loss": "adversarial loss", "d_loss": "discriminator loss"})) == 30


def test_fastprogress_lines_held_only_as_html(tmp_path):
    """Held-out batch 243: fastprogress's 'master_bar.write' put the whole log in one HTML output ('Epoch 1/30 g_loss
    3.35006 d_loss 0.16072<p>Epoch 2/30 ..'), its text/plain only '<IPython.core.display.HTML object>': refused."""
    page = "<p>".join(f"Epoch {e}/30 g_loss {3.3 - 0.03 * e:.5f} d_loss {0.16 + 0.006 * e:.5f}" for e in range(1, 31))
    outputs = [{"output_type": "display_data", "metadata": {},
                "data": {"text/plain": ["<IPython.core.display.HTML object>"], "text/html": ["<style>p {color: red}</style>"]}},
               {"output_type": "display_data", "metadata": {},
                "data": {"text/plain": ["<IPython.core.display.HTML object>"], "text/html": [page]}}]
    nb = {"cells": [{"cell_type": "code", "source": "mb.write(..)\n", "metadata": {}, "execution_count": 1,
                     "outputs": outputs}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "fastprogress.ipynb"
    path.write_text(json.dumps(nb))
    df = read_run(path)
    assert len(df) == 30 and df["g_loss"].iloc[0] == pytest.approx(3.27) and df["d_loss"].iloc[-1] == pytest.approx(0.34)


def test_losses_printed_as_sentences_under_episode_headings(tmp_path):
    """Held-out batch 250: 'Episode 3' heads each iteration, then 'The generator loss is 0.68' (every second one) and
    'The discriminator loss is 1.36', with a PIL image's repr between: refused ('no line holds a labelled D or G
    loss'), also with --columns."""
    lines = []
    for i in range(40):
        lines.append(f"Episode {i}")
        if i % 2 == 0:
            lines += [f"The generator loss is {0.7 + 0.01 * i}", "<PIL.Image.Image image mode=L size=28x28 at 0x7F25>"]
        lines.append(f"The discriminator loss is {1.38 - 0.005 * i}")
    path = tmp_path / "sentences.log"
    path.write_text("\n".join(lines) + "\n")
    df = read_run(path)
    assert df["step"].tolist() == list(range(40))
    assert df["d_loss"].notna().all() and df["g_loss"].notna().sum() == 20
    assert df["g_loss"].iloc[4] == pytest.approx(0.74) and df["d_loss"].iloc[39] == pytest.approx(1.185)


def test_the_dcgan_tutorials_line_with_d_named_loss_c(tmp_path):
    """Held-out batch 246: the DCGAN tutorial's line with D's loss printed as 'Loss_C' (a BCE D named 'crit'):
    refused until --columns d_loss=Loss_C."""
    path = tmp_path / "loss_c.log"
    path.write_text("".join(f"[{k // 10}/5][{50 * (k % 10)}/469]\tLoss_C: {0.5 + 0.01 * k:.4f}\tLoss_G: 1.9561\t"
                            f"D(x): 0.7856\tD(G(z)): 0.2264 / 0.2044\n" for k in range(30)))
    df = read_run(path)
    assert df["d_loss"].iloc[3] == pytest.approx(0.53) and df["d_x"].eq(0.7856).all()


def test_colab_cutting_another_cells_output_says_nothing_of_the_log(tmp_path):
    """Held-out batch 266: Colab cut an unzip cell's 'inflating: ..' lines; the training cell's log was whole from
    '[0/5][0/469]', yet the reading warned that the run's start was missing."""
    unzip = "Streaming output truncated to the last 5000 lines.\n" + "".join(f"  inflating: img/{k}.png\n" for k in range(50))
    log = "".join(f"[{k // 10}/5][{50 * (k % 10)}/469]\tLoss_D: {0.6 + 0.01 * (k % 7):.4f}\tLoss_G: 1.5\n"
                  for k in range(30))
    nb = {"cells": [{"cell_type": "code", "source": src, "metadata": {}, "execution_count": k, "outputs": [
        {"output_type": "stream", "name": "stdout", "text": text}]} for k, (src, text) in
        enumerate([("!unzip data.zip\n", unzip), ("train()\n", log)], start=1)],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "unzip.ipynb"
    path.write_text(json.dumps(nb))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(read_run(path)) == 30


@pytest.mark.parametrize("lines, first, last", [
    # Edward's progress line (held-out batch 264): refused, 'Gen Loss' lost after the '[ p%]: ' prefix
    (["Iteration     1 [  0%]: Gen Loss = 0.667: Disc Loss = 1.303"]
     + [f"Iteration {k * 1000:5d} [{k * 100 // 15:3d}%]: Gen Loss = {4 - k * 0.1:.3f}: Disc Loss = {0.1 + k * 0.04:.3f}"
        for k in range(1, 16)], (1, 1.303, 0.667), (15000, 0.7, 2.5)),
    # a TF1 CGAN's 'Step 50: D: loss = .. G: loss=..' (batch 265): refused
    ([f"Step {k * 50}: D: loss = {1.2 + 0.001 * k:.7f} G: loss={0.8 - 0.001 * k:.7f} " for k in range(30)],
     (0, 1.2, 0.8), (1450, 1.229, 0.771)),
    # a Korean print naming each label in English in brackets (batch 265): refused without --columns
    ([f"반복(Epoch): {k * 100}, Generator 손실함수(g_loss): {1.3 + 0.01 * k:.6f}, Discriminator 손실함수(d_loss): "
      f"{0.9 - 0.01 * k:.6f}" for k in range(30)], (0, 0.9, 1.3), (2900, 0.61, 1.59)),
    # a Keras 3 notebook's 'N/TOTAL d_loss: ..' between Keras' own bars (batch 269): the row number was the step
    ([f"{k * 100}/1000 d_loss: {0.7 + 0.001 * k} g_loss: {0.72 + 0.002 * k}\n\x1b[1m8/8\x1b[0m \x1b[32m━━━━━━━━\x1b[0m "
      "\x1b[1m0s\x1b[0m 3ms/step " for k in range(11)], (0, 0.7, 0.72), (1000, 0.71, 0.74)),
    # an epoch heading between dashes above each pair (batch 274): the row number was the step
    ([f"--------------- epoch {e} ---------------\nDiscriminator loss: {0.53 + 0.001 * e}\nGenerator loss: "
      f"{1.1 + 0.001 * e}" for e in range(10, 101, 10)], (10, 0.54, 1.11), (100, 0.63, 1.2)),
    # each loss on its own line with the epoch inside its label, between tqdm bars (batch 273): refused
    ([f"100%|##########| 1/1 [00:24<00:00, 24.64s/it]/it]\nDiscriminator Loss EPOCH {e}: {0.001 * e:.4f}\n"
      f"Generator Loss EPOCH {e}: {10 - 0.01 * e:.4f}" for e in range(40, 401, 40)], (40, 0.04, 9.6), (400, 0.4, 6.0)),
    # the DCGAN tutorial's counters with bars, '[1|200][500|1875]' (batch 271): the row number times 500 was the step
    ([f"[{e}|200][{b}|1875]\tLoss_D: {0.68 + 0.001 * b / 500:.4f}\tLoss_G: 0.5159\tD(x): 0.7094\tD(G(z)): 0.6264 / "
      "0.6021\nfake data saved" for e in range(1, 6) for b in range(0, 1876, 500)], (0, 0.68, 0.5159), (9000, 0.683, 0.5159)),
    # a semi-supervised GAN's real-vs-fake D loss beside its class loss (batch 275): refused, no 'd_loss'
    ([f"{s} [D loss supervised: 0.0023, acc.: 100.00%] [D loss unsupervised: {0.16 + 0.001 * s / 800:.4f}] "
      "[G loss: 3.555443]" for s in range(800, 8001, 800)], (800, 0.161, 3.555443), (8000, 0.17, 3.555443)),
    # tqdm's description with the last loss's colon before the bar's share (batch 281): D's loss lost, refused
    ([f"epoch: {e}/30, G loss: {0.44 + 0.01 * e:.7f}, D loss: {1.57 - 0.01 * e:.7f}: 100%|##########| 600/600 "
      "[00:22<00:00, 26.90it/s]" for e in range(1, 31)], (599, 1.56, 0.45), (17999, 1.27, 0.74)),
    # Udacity's face-generation print after a step counter (batch 284): D's loss lost, refused
    ([f"Step {s} Epoch 1/2 Discriminator Loss: {2.9 - 0.001 * s:.4f}... Generator Loss: {0.1 + 0.001 * s:.4f}..."
      for s in range(10, 400, 10)], (10, 2.89, 0.11), (390, 2.51, 0.49)),
])
def test_console_shapes_of_held_out_batches_264_284(tmp_path, lines, first, last):
    path = tmp_path / "run.log"
    path.write_text("\n".join(lines) + "\n")
    df = read_run(path)
    for row, (step, d, g) in ((df.iloc[0], first), (df.iloc[-1], last)):
        assert row["step"] == step and row["d_loss"] == pytest.approx(d) and row["g_loss"] == pytest.approx(g)


@pytest.mark.parametrize("lines, columns", [
    ([f"반복(Epoch): {k * 100}, Generator 손실함수(g_loss): {1.3 + 0.01 * k:.6f}, Discriminator 손실함수(d_loss): "
      f"{0.9 - 0.01 * k:.6f}" for k in range(30)],
     {"d_loss": "Discriminator 손실함수(d_loss)", "g_loss": "Generator 손실함수(g_loss)"}),
    ([f"Step {k * 50}: D: loss = {1.2 + 0.001 * k:.7f} G: loss={0.8 - 0.001 * k:.7f} " for k in range(30)],
     {"d_loss": "D: loss", "g_loss": "G: loss"}),
    ([f"Discriminator Loss EPOCH {e}: {0.001 * e:.4f}\nGenerator Loss EPOCH {e}: {10 - 0.01 * e:.4f}" for e in range(40, 401, 40)],
     {"d_loss": "Discriminator Loss EPOCH", "g_loss": "Generator Loss EPOCH"}),
    ([f"Episode {i}\nThe generator loss is {0.7 + 0.01 * i}\nThe discriminator loss is {1.38 - 0.005 * i}" for i in range(30)],
     {"d_loss": "The discriminator loss is", "g_loss": "The generator loss is"}),
])
def test_columns_named_as_printed_read_after_this_stops_rewrites(tmp_path, lines, columns):
    """The re-read of held-out batches 264-285: '--columns' naming labels as printed (what a refusal had suggested,
    batches 250, 265 and 273) was refused once the reader wrote those labels another way ('Generator 손실함수(g_loss)'
    as 'g_loss', 'D: loss' as 'D_loss'): nothing a user wrote is lost."""
    path = tmp_path / "run.log"
    path.write_text("\n".join(lines) + "\n")
    df = read_run(path, columns=columns)
    assert df["d_loss"].notna().sum() >= 10 and df["g_loss"].notna().sum() >= 10


@pytest.mark.parametrize("lines, first, last, step_from", [
    # a cross-entropy loss's label with its colon left out (stop 43's batch 280): refused, also with --columns
    ([f"Epoch {e}: Gen CE loss: {1.4 + 0.001 * e:.2f} Disc CE loss {0.45 - 0.0005 * e:.2f} Time elapsed: 5.21 Disc acc: "
      f"0.995 Correct: 59700\nGenerated Images Sample:\n<matplotlib.figure.Figure at 0x7f51fccba6a0>" for e in range(0, 500, 10)],
     (0, 0.45, 1.4), (490, 0.21, 1.89), "epoch"),
    # '[E/N EPOCHS, I ITER]' at each epoch's last batch (batch 285): read as rows without a counter
    ([f"[{e}/500 EPOCHS, 468 ITER] G:{1 + 0.01 * e}, D:{0.1 + 0.001 * e}" for e in range(1, 501)],
     (0, 0.101, 1.01), (499, 0.6, 6.0), "epoch"),
    # an epoch per row given only by a complete tqdm bar (batch 281): read as rows, 1,093 iterations each
    ([f"g_loss {2 + 0.01 * e:.2f} d_loss {0.5 - 0.01 * e:.2f}: 100%|##########| 1093/1093 [01:21<00:00, 13.47it/s]"
      for e in range(20)], (1092, 0.5, 2.0), (21859, 0.31, 2.19), "epoch x batches per epoch"),
    # a semicolon for D's label's colon (stop 44's batch 294): D's loss lost, refused also with --columns
    ([f"steps: {s}, Disc loss; {0.56 - 0.000001 * s}, Gen Loss: {8.3 - 0.00005 * s}" for s in range(0, 98001, 2000)],
     (0, 0.56, 8.3), (98000, 0.462, 3.4), "step column"),
    # 'Epoch:  N' on its own line, then D's and G's lines, the head cut by Colab above an 'Epoch:' line (batch 291):
    # the D and G lines of every epoch were rows of their own, half empty, stepped by the row number
    (["Discriminator Loss:  0.0967\nReal Mean:  0.978\nFake Mean:  0.0317\nGenerator Loss:  -5.565"]
     + [f"Epoch:  {e}\nDiscriminator Loss:  {0.1 + 0.0001 * e}\nReal Mean:  0.97\nFake Mean:  0.02\nGenerator Loss:  "
        f"{-5 - 0.001 * e}" for e in range(1002, 1031)], (1002, 0.2002, -6.002), (1030, 0.203, -6.03), "epoch"),
])
def test_console_shapes_left_by_stop_43_and_of_batches_291_294(tmp_path, lines, first, last, step_from):
    path = tmp_path / "run.log"
    path.write_text("\n".join(lines) + "\n")
    df = read_run(path)
    for row, (step, d, g) in ((df.iloc[0], first), (df.iloc[-1], last)):
        assert row["step"] == step and row["d_loss"] == pytest.approx(d) and row["g_loss"] == pytest.approx(g)
    assert (df.attrs.get("step_from") or df.attrs["guessed"]["step_from"][0]).startswith(step_from)


def test_tqdm_bars_that_stop_mid_way_or_differ_are_no_epochs(tmp_path):
    """Only a bar complete on every row, of one length, makes each row an epoch: a bar caught mid-way (a
    notebook's stream of redraws) says nothing of where its rows fall, and rows stay rows."""
    path = tmp_path / "run.log"
    path.write_text("".join(f"g_loss {2 + 0.01 * k:.2f} d_loss 0.50: {k}%|#   | {k * 10}/1000 [00:0{k % 10}<01:00, 13.47it/s]\n"
                            for k in range(1, 21)))
    df = read_run(path)
    assert df["step"].tolist() == list(range(20)) and "epoch" not in df.columns and "epoch_from" not in df.attrs


def test_a_bracketed_batch_under_epoch_headings_is_the_batch_of_that_epoch(tmp_path):
    """Held-out batch 300: a CycleGAN notebook's own loop prints 'Epoch 2/10' and then '[100] G_loss: 11.44, D_photo:
    0.27, D_monet: 0.19' every 100 batches. The bracketed number was read as the epoch and the heading made it a
    Keras log (running means): 27 of 30 rows were dropped as duplicates. It is the batch within the heading's epoch,
    each row the step's own values."""
    path = tmp_path / "run.log"
    path.write_text("".join(f"\nEpoch {e}/10\n" + "".join(f"[{i}] G_loss: {7 + 0.1 * e:.2f}, D_photo: 0.2{i // 100}, "
                                                        f"D_monet: 0.1{i // 100}\n" for i in (0, 100, 200))
                            for e in range(1, 11)))
    df = read_run(path, columns={"d_loss": "D_monet"})
    assert len(df) == 30 and df.attrs["source_format"] == "console" and "averaged" not in df.attrs.get("guessed", {})
    assert df["step"].tolist()[:4] == [0, 100, 200, 201] and df["epoch"].tolist()[:4] == [0, 0, 0, 1]
    # without the headings the lead number stays the epoch (or the step from 1,000 on)
    path.write_text("".join(f"[{e}] G_loss: {7 + 0.1 * e:.2f}, D_loss: 0.2\n" for e in range(30)))
    assert read_run(path)["step"].tolist() == list(range(30))


def test_a_networks_loss_after_an_arrow_is_read():
    """Held-out batch 296: 'Epoch 21/30000 ---- Discriminator: loss -> 7.99 ||| Generator: loss -> 0.13' was
    refused, also with --columns."""
    from ganalyze.runlog.formats.console import parse_console

    text = "".join(f"Epoch {e}/30000 ---- Discriminator: loss -> {6.8 - 0.001 * e} ||| Generator: loss -> {7.5 + 0.001 * e}\n"
                   for e in range(1, 400, 20))
    frame = parse_console(text).frame
    assert frame.filter(like="iscriminator").iloc[0, 0] == pytest.approx(6.799)
    assert frame.filter(like="enerator").iloc[-1, 0] == pytest.approx(7.881)


def test_a_notebook_split_into_runs_says_only_its_runs_own_warnings(tmp_path):
    """Held-out batch 285's notebook: a CGAN cell printing '[1/500 EPOCHS, 468 ITER] G:.., D:..' and a pix2pix cell
    printing 'EPOCH[1] - STEP[10]  Generator_loss:..'. Read as one output first, the second cell's lines had no batch
    beside the first's and were 'skipped' with a warning, though each cell then read as its own run, every line kept."""
    def cell(log):
        return {"cell_type": "code", "source": "train()\n", "metadata": {}, "execution_count": 1,
                "outputs": [{"output_type": "stream", "name": "stdout", "text": log}]}

    first = "".join(f"[{e}/30 EPOCHS, 468 ITER] G:{1 + 0.01 * e}, D:{0.5 + 0.001 * e}\n" for e in range(1, 31))
    second = "".join(f"EPOCH[1] - STEP[{s}]\tGenerator_loss:{0.9 + 0.001 * s}\tDiscriminator_loss:{1.2 - 0.001 * s}\n"
                     for s in range(10, 310, 10))
    p = tmp_path / "two.ipynb"
    p.write_text(json.dumps({"cells": [cell(first), cell(second)], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        runs = read_runs(p)
    assert sorted(len(df) for df in runs.values()) == [30, 30]
    assert not [w for w in said if "skipping" in str(w.message)], [str(w.message) for w in said]


def test_rich_tables_of_epoch_summaries_are_read(tmp_path):
    """Held-out batch 313: a WGAN-GP notebook prints each epoch as a ``rich`` table ("Epoch 1 Summary" over "┃
    Discriminator Loss ┃ Generator Loss ┃ Time Taken (seconds) ┃" and "│ -30.19 │ 10.85 │ 273.8 │", ANSI colours
    between): refused, also with --columns."""
    def table(e, d, g):
        return (f"\x1b[3m                         Epoch {e} Summary                          \x1b[0m\n"
                "┏━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━┓\n"
                "┃\x1b[1m Discriminator Loss \x1b[0m┃\x1b[1m Generator Loss     \x1b[0m┃\x1b[1m Time Taken (seconds) \x1b[0m┃\n"
                "┡━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━┩\n"
                f"│\x1b[36m {d} \x1b[0m│\x1b[36m {g} \x1b[0m│\x1b[36m 273.8042471408844    \x1b[0m│\n"
                "└────────────────────┴────────────────────┴──────────────────────┘\n")

    path = tmp_path / "run.log"
    path.write_text("".join(table(e, -30 + e, 10 - 0.3 * e) for e in range(1, 26)))
    df = read_run(path)
    assert len(df) == 25 and df["d_loss"].iloc[0] == pytest.approx(-29) and df["g_loss"].iloc[-1] == pytest.approx(2.5)
    assert df["step"].tolist() == list(range(25))


def test_columns_naming_the_network_alone_read_after_the_arrow_rewrite(tmp_path):
    """The re-read of stop 44's batch 296: '--columns d_loss=Discriminator,g_loss=Generator' (what the refusal of
    'Discriminator: loss -> 7.99 ||| Generator: loss -> 0.13' had listed) was refused once the reader named those
    labels 'Discriminator_loss' itself: nothing a user wrote is lost."""
    path = tmp_path / "run.log"
    path.write_text("".join(f"Epoch {e}/30000 ---- Discriminator: loss -> {6.8 - 0.001 * e} ||| Generator: loss -> "
                            f"{7.5 + 0.001 * e}\n" for e in range(1, 400, 20)))
    df = read_run(path, columns={"d_loss": "Discriminator", "g_loss": "Generator"})
    assert df["d_loss"].iloc[0] == pytest.approx(6.799) and df["g_loss"].iloc[-1] == pytest.approx(7.881)


def test_a_pipe_table_printed_after_other_cells_prints_reads_from_its_header(tmp_path):
    """Held-out batch 436/61: a TensorFlow notebook printed its version and a model summary, then its training cell
    '> Epoch | Batch | Generator Loss | Disc Loss' over '> 1 | 3/256 | 0.68 | 1.37' rows with 'Epoch time is ..'
    between epochs: refused ('no log format'), as the '|' table was read only from a file's first line."""
    rng = np.random.default_rng(436)
    g, d = rng.uniform(0.6, 1.6, (3, 40)), rng.uniform(0.7, 1.6, (3, 40))
    train = [("> Epoch | Batch | Generator Loss | Disc Loss\n" if e == 0 else f"Epoch time is 2{e}.5 sec\n")
        + "".join(f"> {e + 1} | {b + 1}/256 | {g[e, b]} | {d[e, b]}\n" for b in range(40)) for e in range(3)]
    df = read_run(_nb(tmp_path, [["'2.2.0'\n"], ['Model: "sequential"\n_____\nLayer (type) | Output Shape\n'], train]))
    assert len(df) == 120 and df.g_loss.to_numpy() == pytest.approx(g.ravel())
    assert df.d_loss.to_numpy() == pytest.approx(d.ravel()) and df.epoch.iloc[-1] == 3
    assert df.step.is_monotonic_increasing


def test_a_per_cent_sign_after_a_loss_named_by_one_letter_is_the_prints_format(tmp_path):
    """Held-out batch 446/50: machinelearningmastery's '>%d, %d/%d, d=%.3f, g=%.3f' printed as '1, 3 234,
    d=0.6677%, g=0.7442%' (a stray '%' in the format): 'd' and 'g' name D's and G's losses, yet the values were read
    as per cent (0.0067, 0.0074) and both losses called 'about 0'. A share's '%' still divides (D's accuracy)."""
    def read(name, text):
        p = tmp_path / name
        p.write_text(text)
        return read_run(p)

    rng = np.random.default_rng(446)
    d, g = rng.uniform(0.6, 0.7, 60), rng.uniform(0.7, 0.8, 60)
    text = "".join(f"4/4 [==============================] - 0s 58ms/step\n1, {k + 1} 234, d={d[k]}%, g={g[k]}%\n"
                   for k in range(60))
    df = read("pct.txt", text)
    assert df.d_loss.to_numpy() == pytest.approx(d) and df.g_loss.to_numpy() == pytest.approx(g)
    df = read("acc.txt", "".join(f"{k} [D loss: {d[k]}, acc.: 62.5%] [G loss: {g[k]}]\n" for k in range(60)))
    assert df.d_loss.to_numpy() == pytest.approx(d) and df.filter(like="acc").iloc[:, 0].eq(0.625).all()


def test_japanese_loss_and_epoch_labels_read(tmp_path):
    """Held-out batch 453/12: 'エポック数 1/100 D ロス: 0.3824 G ロス: 3.2805' (epochs, D's and G's 'ロス', loss) was
    refused, and its message suggested --columns d_loss='D ロス', which the reader then refused the same way."""
    rng = np.random.default_rng(453)
    d, g = rng.uniform(0.3, 1.0, 30), rng.uniform(1.5, 4.5, 30)
    p = tmp_path / "jp.txt"
    p.write_text("".join(f"エポック数 {e + 1}/100 D ロス: {d[e]:.4f} G ロス: {g[e]:.4f}\n" for e in range(30)))
    df = read_run(p)
    assert df.d_loss.to_numpy() == pytest.approx(d, abs=1e-4) and df.g_loss.to_numpy() == pytest.approx(g, abs=1e-4)
    assert df.epoch.is_monotonic_increasing and len(df) == 30


def test_a_refusal_suggests_only_labels_the_reader_can_be_told_about(tmp_path):
    """A refusal names the most printed line's labels for --columns; labels with spaces outside [..] are read by
    their last word ('Dx ab: 0.38 Gx ab: 3.2' reads 'ab' twice), so naming them could never work: the message says
    to print them as one word instead. Labels it reads are still offered, and --columns with them reads."""
    p = tmp_path / "spaced.txt"
    p.write_text("".join(f"epoch {e} Dx ab: 0.3{e} Gx ab: 3.{e}\n" for e in range(10)))
    with pytest.raises(GanalyzeError, match="cannot tell apart") as err:
        read_run(p)
    assert "if some are the losses" not in str(err.value)
    q = tmp_path / "named.txt"
    q.write_text("".join(f"epoch {e} DX: 0.3{e} DGz: 0.2{e} Loss: 3.{e}\n" for e in range(10)))
    with pytest.raises(GanalyzeError, match="labels 'DX', 'DGz', 'Loss'.*--columns d_loss=NAME"):
        read_run(q)
    assert read_run(q, columns={"d_loss": "DX", "g_loss": "Loss"}).d_loss.iloc[3] == 0.33


def test_one_label_for_both_nets_values_reads_each_nets_loss(tmp_path):
    """Held-out batch 456/10 (and a refusal of stop 47): a course template's 'Epoch [1 / 20] average loss generator vs.
    discrim.: 4.309718 vs. 0.294273': one label, G's value then D's. Refused; read in the label's order (either)."""
    rng = np.random.default_rng(456)
    d, g = rng.uniform(0.1, 1.0, 20), rng.uniform(1.0, 6.0, 20)
    p = tmp_path / "vs.txt"
    p.write_text("Training ...\n" + "".join(f"Epoch [{e + 1} / 20] average loss generator vs. discrim.: {g[e]:.6f} vs. "
                                            f"{d[e]:.6f}\n" for e in range(20)))
    df = read_run(p)
    assert df.g_loss.to_numpy() == pytest.approx(g, abs=1e-6) and df.d_loss.to_numpy() == pytest.approx(d, abs=1e-6)
    q = tmp_path / "vs2.txt"
    q.write_text("".join(f"Epoch [{e + 1} / 20] loss discriminator vs. generator: {d[e]:.6f} vs. {g[e]:.6f}\n"
                         for e in range(20)))
    df = read_run(q)
    assert df.g_loss.to_numpy() == pytest.approx(g, abs=1e-6) and df.d_loss.to_numpy() == pytest.approx(d, abs=1e-6)


def test_an_epoch_in_parentheses_leading_a_line_of_labelled_values(tmp_path):
    """Held-out batch 468/16: f'({ep})D: {dloss:.4f} G: {gloss:.4f} [{batch}/{len(data)}]' printed '(10)D: 0.5686 G:
    0.8594 [1050/1050]': the epoch was dropped, each epoch's rows read as rewrites of the first's steps and all but
    the last epoch's 21 rows replaced ('a restart?')."""
    rng = np.random.default_rng(468)
    d, g = rng.uniform(0.5, 0.7, (4, 21)), rng.uniform(0.7, 0.9, (4, 21))
    p = tmp_path / "paren.txt"
    p.write_text("Files already downloaded and verified\n" + "".join(
        f"({e + 1})D: {d[e, b]:.4f} G: {g[e, b]:.4f} [{50 * (b + 1)}/1050]\n" for e in range(4) for b in range(21)))
    df = read_run(p)
    assert len(df) == 84 and df.epoch.tolist() == [e for e in range(4) for _ in range(21)]
    assert df.d_loss.to_numpy() == pytest.approx(d.ravel(), abs=1e-4) and df.step.is_monotonic_increasing


def test_a_python_dict_printed_whole_reads_its_quoted_keys(tmp_path):
    """Held-out batch 470/08: a TF 1 GAN printed its metrics as a dict each epoch, "{'G Loss': 9.2552, 'Epoch': 0,
    'D Loss': 0.0079}": refused ('no labelled D or G loss'), and --columns could not name a quoted key either. Each
    quoted key is a label; JSON's double quotes too; a dict whose values are no numbers is left alone."""
    rng = np.random.default_rng(470)
    d, g = rng.uniform(0.001, 0.3, 12), rng.uniform(2, 20, 12)
    lines = [f"{{'G Loss': {g[e]!r}, 'Epoch': {e}, 'D Loss': {d[e]!r}}}" for e in range(12)]
    p = _nb(tmp_path, [["Extracting MNIST_data\\train-images-idx3-ubyte.gz\n" + "\n".join(lines) + "\n"]])
    df = read_run(p)
    assert len(df) == 12 and df.epoch.tolist() == list(range(12))
    assert df.d_loss.to_numpy() == pytest.approx(d) and df.g_loss.to_numpy() == pytest.approx(g)
    q = tmp_path / "metrics.txt"
    q.write_text("".join(f'{{"step": {100 * k}, "loss_D": {d[k]:.5f}, "loss_G": {g[k]:.5f}}}\n' for k in range(12)))
    df = read_run(q)
    assert df.step.tolist() == [100 * k for k in range(12)] and df.g_loss.to_numpy() == pytest.approx(g, abs=1e-5)
    r = tmp_path / "config.txt"
    r.write_text("{'lr': 'adam', 'name': 'dcgan'}\n" * 12)
    with pytest.raises(GanalyzeError):
        read_run(r)


def test_a_line_led_by_a_nets_name_holds_that_nets_keys(tmp_path):
    """Held-out batch 476/32: a Keras GAN printed each net's history on its own line, the keys the same on both,
    "Gen status:  val_loss: 1.05939 val_acc: 0.09375 loss: 1.09822 acc: 0.16406 epochs: 9189." then "Disc status:
    val_loss: .. loss: 0.59281 ..": refused, and no --columns could tell the two 'loss' keys apart. Each line's keys
    are its net's."""
    rng = np.random.default_rng(476)
    d, g = rng.uniform(0.5, 0.7, 12), rng.uniform(0.9, 1.2, 12)
    text = "".join(f"Iteration: {250 * k}/5000\n"
                   f"Gen status:  val_loss: 1.05939 val_acc: 0.09375 loss: {g[k]:.5f} acc: 0.16406 epochs: {9 * k}. \n"
                   f"Disc status: val_loss: 0.64456 val_acc: 0.59375 loss: {d[k]:.5f} acc: 0.67969 epochs: {7 * k}\n"
                   for k in range(12))
    df = read_run(_nb(tmp_path, [[text]]))
    assert len(df) == 12 and df.step.tolist() == [250 * k for k in range(12)]
    assert df.d_loss.to_numpy() == pytest.approx(d, abs=1e-5) and df.g_loss.to_numpy() == pytest.approx(g, abs=1e-5)


def test_a_label_padded_before_its_colon_reads(tmp_path):
    """Held-out batch 478/06: "\\tAVG loss critic:  -250.42" then "\\tAVG loss generator    :  69.35", the second label
    padded to line up with the first: G's loss was not read ('missing required column g_loss')."""
    rng = np.random.default_rng(478)
    d, g = rng.uniform(-260, -200, 12), rng.uniform(50, 80, 12)
    text = "".join(f"*** DONE WITH EPOCH {e}  ***\n\tAVG loss critic:  {d[e]!r}\n\tAVG loss generator    :  {g[e]!r}\n"
                   for e in range(12))
    df = read_run(_nb(tmp_path, [[text]]))
    assert len(df) == 12
    assert df.d_loss.to_numpy() == pytest.approx(d) and df.g_loss.to_numpy() == pytest.approx(g)


def test_a_step_that_starts_again_every_epoch_is_the_batch_within_it(tmp_path):
    """Held-out batch 490/07: 'Epoch:  52/200, Iterations:  300, d_loss: ..' printed at the 300th batch of every
    epoch: the constant 300 was read as the step, and all but the last of 54 rows were dropped as rewrites of it. A
    step that falls or repeats where the epoch moves on is the batch within the epoch; a global step is kept."""
    rng = np.random.default_rng(490)
    d = rng.uniform(0.3, 1.5, 54)
    p = _nb(tmp_path, [["".join(f"Epoch: {e + 1:3d}/200, Iterations:  300, d_loss: {d[e]:.4f}, g_loss: 2.0000, "
                                f"D(x): 0.80, D(G(z)): 0.20\n" for e in range(54))]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # no row replaced by a later write
        df = read_run(p)
    assert len(df) == 54 and df.d_loss.to_numpy() == pytest.approx(d, abs=1e-4) and df.step.is_monotonic_increasing
    q = tmp_path / "global.txt"
    q.write_text("".join(f"Epoch: {e}, Iteration: {300 * (e + 1)}, d_loss: {d[e]:.4f}, g_loss: 2.0\n" for e in range(12)))
    assert read_run(q).step.tolist() == [300 * (e + 1) for e in range(12)]


def test_a_long_dict_printed_over_many_lines_is_read_at_once(tmp_path):
    """Held-out batch 475/06 printed a dict of 2,000 file names over 93,000 characters, pprint's '...}' at its end: the
    dict-print link's first pattern spanned lines and backtracked without end on it (30 lines took minutes). Only a
    dict on one line is a row; the notebook is read, or refused, at once."""
    import time

    names = ",\n ".join(f"'/data/pokemon_sprites_processed/gen4_platinum/{k}-o.jpg': {k % 11}" for k in range(400))
    d = np.linspace(0.5, 0.7, 12)
    p = _nb(tmp_path, [["{" + names + ",\n ...}\n"], ["".join(f"{{'d_loss': {v}, 'g_loss': 1.5}}\n" for v in d)]])
    start = time.perf_counter()
    df = read_run(p)
    assert time.perf_counter() - start < 20
    assert df.d_loss.to_numpy() == pytest.approx(d)


def test_a_keras_gans_generator_adversarial_loss_is_gs(tmp_path):
    """Held-out batch 493/04: a Keras DCGAN printed '1: [Discriminator loss: 0.005050, acc: 0.998047]' then '1: [GA
    loss: 0.109980, acc: 0.957031]', its combined generator-adversarial model's loss: refused ('no labelled D or G
    loss'). 'GA loss' is G's, as 'A loss' and 'AM loss' are."""
    rng = np.random.default_rng(493)
    d, g = rng.uniform(0.01, 0.3, 12), rng.uniform(0.1, 10, 12)
    text = "".join(f"{k}: [Discriminator loss: {d[k]:.6f}, acc: 0.99]\n{k}: [GA loss: {g[k]:.6f}, acc: 0.05]\n"
                   for k in range(12))
    df = read_run(_nb(tmp_path, [[text]]))
    assert len(df) == 12 and df.step.tolist() == list(range(12))
    assert df.d_loss.to_numpy() == pytest.approx(d, abs=1e-6) and df.g_loss.to_numpy() == pytest.approx(g, abs=1e-6)


def test_a_bare_loss_beside_a_keras_gan_loss_is_ds(tmp_path):
    """Held-out batch 476/23: a Keras MNIST GAN printed '[ Iteration : 1000, Loss : 0.148, Accuracy : 94.1, GanLoss :
    5.195 ]' (D's train_on_batch, then the combined model's): refused ('missing d_loss'). 'GanLoss' is G's, so the
    bare 'Loss' beside it is D's, read with a warning as a bare 'loss' beside 'g_loss' is."""
    rng = np.random.default_rng(476)
    d, g = rng.uniform(0.05, 0.4, 20), rng.uniform(2, 8, 20)
    text = "".join(f"[ Iteration : {1000 * (k + 1)}, Loss : {d[k]!r}, Accuracy : 90.0, GanLoss : {g[k]!r} ]\n"
                   for k in range(20))
    with pytest.warns(UserWarning, match="read column 'Loss' as d_loss"):
        df = read_run(_nb(tmp_path, [[text]]))
    assert df.step.tolist() == [1000 * (k + 1) for k in range(20)]
    assert df.d_loss.to_numpy() == pytest.approx(d) and df.g_loss.to_numpy() == pytest.approx(g)


def test_a_print_glued_to_a_keras_bar_with_lines_of_no_epoch_reads(tmp_path):
    """Held-out batch 498/24: a notebook's own 'Epoch: 1 | Discriminator Loss: .. | Generator Loss: ..' glued to a Keras
    predict bar ('4/5 [====>..] - ETA: 5s'), whose closing '5/5 [====] - 6s 1s/step' lines hold no epoch: a
    TypeError traceback ('bool & float') in the check for throttled redraws, and 'ETA: 46sEpoch: 1' read as a column
    'sEpoch'."""
    rng = np.random.default_rng(498)
    text = ""
    for e in range(1, 13):
        for b in range(1, 5):
            eta = f"{10 * (5 - b)}s" if b < 4 else "5s "          # Keras pads a one-digit ETA
            text += (f"{b}/5 [{'=' * (6 * b)}>{'.' * (30 - 6 * b)}] - ETA: {eta}Epoch: {e} | Discriminator Loss: "
                     f"{rng.uniform(0.5, 2.5):.6f} | Generator Loss: {rng.uniform(4, 9):.6f}\n")
        text += f"5/5 [==============================] - 6s 1s/step\nEpoch: {e} | Discriminator Loss: 1.5 | Generator Loss: 6.0\n"
    df = read_run(_nb(tmp_path, [[text]]))
    assert len(df) == 48 and df.d_loss.between(0.5, 2.5).all() and df.g_loss.between(4, 9).all()
    assert df.epoch.tolist() == [e for e in range(12) for _ in range(4)]     # the glued 'ETA: 46sEpoch' too
    assert not {"s_epoch", "sepoch", "eta"} & set(df.columns)                 # no unit read as a label


def test_a_tabulate_grid_of_epochs_and_a_dm_loss_beside_an_am_loss(tmp_path):
    """Held-out batch 499/03 printed its losses after training as tabulate's fancy_grid ('╒═══╤', '│   Epoch │
    Generator Loss │ Discriminator Loss │ FID Score │', rows between '├───┼' rules): refused. Held-out batch 496/11's
    Keras DCGAN printed 'Step: 0 DM loss: [0.5978, 0.6719] AM loss: [0.9710, 0.2539]' (its discriminator and
    adversarial models' [loss, accuracy]): refused, 'DM loss' no name of D's."""
    rng = np.random.default_rng(499)
    g, d, fid = rng.uniform(5, 12, 20), rng.uniform(0, 0.05, 20), rng.uniform(450, 720, 20)
    widths = (9, 18, 22, 13)

    def line(left, fill, mid, right):
        return left + mid.join(fill * w for w in widths) + right

    def row(cells):
        return "\u2502" + "\u2502".join(f" {c:>{w - 2}} " for c, w in zip(cells, widths)) + "\u2502"

    table = [line("\u2552", "\u2550", "\u2564", "\u2555"), row(["Epoch", "Generator Loss", "Discriminator Loss", "FID Score"]),
             line("\u255e", "\u2550", "\u256a", "\u2561")]
    for e in range(20):
        table += [row([e + 1, f"{g[e]:.4f}", f"{d[e]:.4f}", f"{fid[e]:.3f}"]), line("\u251c", "\u2500", "\u253c", "\u2524")]
    table[-1] = line("\u2558", "\u2550", "\u2567", "\u255b")
    table = "\n".join(table)
    df = read_run(_nb(tmp_path, [["Using device: cpu\nTraining process for DCGAN:\n" + table + "\nsaved\n"]]))
    assert df.epoch.tolist() == list(range(20))
    assert df.g_loss.to_numpy() == pytest.approx(g, abs=1e-4) and df.d_loss.to_numpy() == pytest.approx(d, abs=1e-4)
    assert df.fid.to_numpy() == pytest.approx(fid, abs=1e-3)
    dm = rng.uniform(0.5, 0.7, 15)
    text = "".join(f"Step: {10 * k} DM loss: [{dm[k]:.7f}, 0.67] AM loss: [0.97, 0.25]\n" for k in range(15))
    df = read_run(_nb(tmp_path, [[text]], name="keras.ipynb"))
    assert df.d_loss.to_numpy() == pytest.approx(dm, abs=1e-6) and (df.g_loss == 0.97).all()


def test_records_under_an_iteration_heading_that_starts_again_every_epoch(tmp_path):
    """Held-out batch 502/02's WGAN-GP printed 'Epoch 1', then every 50 iterations 'Iteration 51', 'D: ..', 'GP: ..',
    'Gradient norm: ..', 'G: ..' on lines of their own, the iteration counted again in every epoch: each line was a
    row of its own (913 rows for 457 records, D's and G's never on one row)."""
    rng = np.random.default_rng(502)
    d, g = rng.uniform(-1, 1, 24), rng.uniform(-1, 0, 24)
    text, k = "", 0
    for e in range(1, 5):
        text += f"Epoch {e}\n"
        for it in range(1, 252, 50):
            text += f"Iteration {it}\nD: {d[k]!r}\nGP: 0.5\nGradient norm: 0.9\nG: {g[k]!r}\n"
            k += 1
    df = read_run(_nb(tmp_path, [[text]]))
    assert len(df) == 24 and df.d_loss.to_numpy() == pytest.approx(d) and df.g_loss.to_numpy() == pytest.approx(g)
    assert df.epoch.tolist() == [e for e in range(4) for _ in range(6)] and df.step.is_monotonic_increasing


def test_a_padded_print_keeps_its_non_finite_rows(tmp_path):
    """'D loss:   0.5' (a label padded before its value) was read, but 'D loss:   nan' was not: a padded print's
    diverged rows were dropped and the run read as if it had stopped before them."""
    p = tmp_path / "padded.log"
    p.write_text("".join(f"Epoch {e} | D loss:   {v} | G loss   :   {v}\n" for e, v in
                         enumerate(["0.5", "0.6", "0.55", "nan", "NaN", "inf"], start=1)))
    df = read_run(p)
    assert len(df) == 6 and df.d_loss.iloc[:3].tolist() == [0.5, 0.6, 0.55]
    assert not np.isfinite(df.d_loss.iloc[3:]).any() and not np.isfinite(df.g_loss.iloc[3:]).any()


def test_a_notebooks_gan_table_after_a_table_of_ds_pre_training(tmp_path):
    """Held-out batch 508/11 printed D's pre-training as ' loss_real |  loss_fake |   acc_real |   acc_fake' over 25
    rows, then its GAN's '     Epoch |  Loss Disc |   Loss Gen': only the first table was tried (refused, 'no column
    named like a D or G loss'), and its rows used up the search for a header."""
    rng = np.random.default_rng(508)
    pre = " loss_real |  loss_fake |   acc_real |   acc_fake\n" + "".join(
        f"      {rng.uniform(0.4, 0.7):.2f} |       {rng.uniform(0.1, 0.7):.2f} |       0.50 |       0.90\n" for _ in range(25))
    d, g = rng.uniform(0.5, 0.9, 10), rng.uniform(0.5, 2.5, 10)
    gan = "     Epoch |  Loss Disc |   Loss Gen\n" + "".join(f"{e + 1:>10} | {d[e]:>10.2f} | {g[e]:>10.2f}\n" for e in range(10))
    df = read_run(_nb(tmp_path, [[pre], ["<Figure size 640x480 with 1 Axes>\n"], [gan]]))
    assert len(df) == 10 and df.d_loss.to_numpy() == pytest.approx(d, abs=0.006)
    assert df.g_loss.to_numpy() == pytest.approx(g, abs=0.006)


def test_a_print_of_names_then_as_many_values(tmp_path):
    """Held-out batch 515/19's BEGAN printed 'Epoch, G_loss, D_loss, convergence_metric 1 678.47 272.35 0.2338' (the
    names in one string, then the values) on every epoch: refused. Each name takes its value; a line whose counts
    differ is left as it is."""
    rng = np.random.default_rng(515)
    g, d, m = rng.uniform(0.1, 5, 30), rng.uniform(10, 60, 30), rng.uniform(0.03, 0.2, 30)
    text = "".join(f"saving images\nEpoch, G_loss, D_loss, convergence_metric {e + 1} {g[e]!r} {d[e]!r} {m[e]!r}\n"
                   for e in range(30))
    df = read_run(_nb(tmp_path, [[text + "Epoch, G_loss, D_loss 31 0.5\n"]]))
    assert len(df) == 30 and df.epoch.tolist() == list(range(30))
    assert df.g_loss.to_numpy() == pytest.approx(g) and df.d_loss.to_numpy() == pytest.approx(d)
    assert df.convergence_metric.to_numpy() == pytest.approx(m)


def test_keras_verbose_2_lines_are_read_by_their_epoch_heading(tmp_path):
    """Held-out batch 519/01: Keras' verbose=2 prints 'Epoch 2/60' then '469/469 - 41s - d_loss: 0.6990 - g_loss:
    0.6566 - 41s/epoch - 88ms/step'; the rates' 'epoch - 88' was read as epoch 88 on every row, and 59 of 60 epochs
    were dropped as rewrites of one step."""
    rng = np.random.default_rng(519)
    d = rng.uniform(0.4, 0.7, 60)
    text = "".join(f"Epoch {e + 1}/60\n469/469 - 41s - d_loss: {d[e]:.4f} - g_loss: 0.6566 - 41s/epoch - "
                   f"{88 + e % 3}ms/step\n" for e in range(60))
    df = read_run(_nb(tmp_path, [[text]]))
    assert len(df) == 60 and df.epoch.tolist() == list(range(60)) and df.d_loss.to_numpy() == pytest.approx(d, abs=1e-4)


def test_a_counter_printed_the_same_on_every_row_is_no_step(tmp_path):
    """Held-out batch 520/03 printed its epoch count, not its epoch: '100 [Discriminator Loss: 1.152339,acc.: 28.12%]
    [Generator Loss: 0.235557]' on all 100 lines; 99 rows went as rewrites of step 100. Ten rows or more of one
    unchanging counter are read by their order; a few rewrites of one step are still rewrites."""
    rng = np.random.default_rng(520)
    d, g = rng.uniform(1.1, 1.3, 30), rng.uniform(0.18, 0.24, 30)
    text = "".join(f"(32, 28, 28)\n100 [Discriminator Loss: {d[k]:.6f},acc.: 28.12%] [Generator Loss: {g[k]:.6f}]\n"
                   for k in range(30))
    df = read_run(_nb(tmp_path, [[text]]))
    assert df.step.tolist() == list(range(30)) and df.d_loss.to_numpy() == pytest.approx(d, abs=1e-6)
    few = tmp_path / "few.log"
    few.write_text("".join(f"100 [D loss: {v:.3f}] [G loss: 0.2]\n" for v in d[:4]))
    with pytest.warns(UserWarning, match="replaced by a later write"):
        assert len(read_run(few)) == 1


@pytest.mark.parametrize("spelling", ["advesarial", "adverserial", "adversial", "adversarial"])
def test_a_misspelt_adversarial_loss_is_gs(tmp_path, spelling):
    """Held-out batch 511/04's Keras GAN printed 'discriminator loss: 0.7101419' then 'advesarial loss: 0.6996342' (its
    combined model's): refused, the misspelling no name of G's. 'adversarial' is mended as 'generator' and
    'discriminator' are."""
    rng = np.random.default_rng(511)
    d, g = rng.uniform(0.5, 0.8, 12), rng.uniform(0.6, 1.5, 12)
    text = "".join(f"discriminator loss: {d[k]:.7f}\n{spelling} loss: {g[k]:.7f}\n<Figure size 144x144 with 4 Axes>\n"
                   for k in range(12))
    df = read_run(_nb(tmp_path, [[text]]))
    assert df.d_loss.to_numpy() == pytest.approx(d, abs=1e-6) and df.g_loss.to_numpy() == pytest.approx(g, abs=1e-6)


def test_a_running_best_metric_is_not_the_runs_own(tmp_path):
    """Held-out batch 510/03 printed 'Best FID: 59.2969 Best IS: 5.8791' on every progress line: its last word made it
    the run's FID (and hid the evaluations' own 'FID: 140.68', which had got worse). A best-so-far is its own column."""
    rng = np.random.default_rng(510)
    text = "".join(f"Epoch: {e} | Step: {400 * e} Progress: {e}.0% Elapsed: 0:01:{e:02d} Gen_loss: {rng.uniform(1, 8):.3f} "
                   f"Dis_loss: {rng.uniform(0.01, 0.5):.4f} Cls_loss: N/A Best FID: {60 - e:.4f} Best IS: 5.8791\n"
                   for e in range(1, 21))
    p = tmp_path / "train.log"
    p.write_text(text)
    df = read_run(p)
    assert "fid" not in df.columns and "inception_score" not in df.columns
    assert df.best_fid.tolist() == [60.0 - e for e in range(1, 21)]


def test_d_errors_on_x_and_z_are_its_real_and_fake_terms(tmp_path):
    """'Epoch:1 Iter: 100 errD_x: 0.16 errD_z: 0.15 errG: 2.05' (held-out batch 527/05: three runs of one course
    notebook refused for a missing d_loss): D's error on x (reals) and on z (G's samples) are its two terms."""
    rng = np.random.default_rng(527)
    v = rng.uniform(0.02, 0.4, size=(20, 2)).round(2)
    g = rng.uniform(1.8, 3.2, size=20).round(2)
    p = tmp_path / "log.txt"
    p.write_text("".join(f"Epoch:{1 + k // 10} Iter: {100 * (k + 1)} errD_x: {a:.2f} errD_z: {b:.2f} errG: {c:.2f}\n"
                         for k, ((a, b), c) in enumerate(zip(v, g))))
    df = read_run(p)
    assert df.d_loss_real.to_numpy() == pytest.approx(v[:, 0]) and df.d_loss_fake.to_numpy() == pytest.approx(v[:, 1])
    assert df.d_loss.to_numpy() == pytest.approx(v.sum(axis=1))
    assert df.g_loss.to_numpy() == pytest.approx(g)


def test_one_label_naming_g_then_d_with_an_underscored_loss(tmp_path):
    """'Generator/Discriminator_Loss: 6.71/0.001' (held-out batch 527/08): the pair under one label was read as one
    column 'd_loss' (holding G's value) and another, and refused for a missing g_loss."""
    rng = np.random.default_rng(5278)
    v = rng.uniform(0.001, 9, size=(12, 2)).round(3)
    p = tmp_path / "log.txt"
    p.write_text("".join(f"Generator/Discriminator_Loss: {a}/{b}\n" for a, b in v))
    df = read_run(p)
    assert df.g_loss.to_numpy() == pytest.approx(v[:, 0]) and df.d_loss.to_numpy() == pytest.approx(v[:, 1])


def test_bare_rows_of_a_loss_and_a_counter_offer_no_d_and_g_pair(tmp_path):
    """'print(gan_loss, i)' printed '0.7835 99' (held-out batch 527/03): the refusal offered
    '--columns d_loss=1,g_loss=2', which reads the epoch as G's loss. A column counting up in whole numbers is
    named as a counter, and where one number is left no pair is offered; beside two losses it is offered as the step."""
    rng = np.random.default_rng(5273)
    g = rng.uniform(0.6, 1.2, size=30)
    p = tmp_path / "log.txt"
    p.write_text("".join(f"{x} {k}\n" for k, x in enumerate(g)))
    with pytest.raises(GanalyzeError) as err:
        read_run(p)
    assert "column 2 counts up in whole numbers" in str(err.value) and "d_loss=1,g_loss=2" not in str(err.value)
    assert "1 other number, no pair of D's and G's losses" in str(err.value)
    p.write_text("".join(f"{k} {x} {x + 1}\n" for k, x in enumerate(g)))
    with pytest.raises(GanalyzeError, match=r"--columns step=1,d_loss=2,g_loss=3"):
        read_run(p)
    p.write_text("".join(f"{x} {x + 1}\n" for x in g))       # two losses: offered as before
    with pytest.raises(GanalyzeError, match=r"--columns d_loss=1,g_loss=2 \(step=N"):
        read_run(p)
    # held-out batch 566/05: "tf.print(gen_loss)" printed one number a line; the refusal said "no line of bare numbers"
    p.write_text("i:  0\n" + "".join(f"{x:.9f}\n" for x in g))
    with pytest.raises(GanalyzeError) as err:
        read_run(p)
    assert f"30 lines of one bare number each (such as '{g[0]:.9f}')" in str(err.value)
    assert "no line of bare numbers" not in str(err.value)
    # held-out batch 571/01: "print(i)" above each block's "real [0.66]" / "fake [0.67]": those numbers count up
    p.write_text("".join(f"{1000 * k}\nreal [0.6{k % 9}]\nfake [0.7{k % 9}]\n" for k in range(12)))
    with pytest.raises(GanalyzeError) as err:
        read_run(p)
    assert "12 lines of one whole number each, counting up ('0' .. '11000'): a counter, no loss" in str(err.value)


def test_alternating_g_and_d_lines_each_with_their_own_parts_under_an_epoch_heading(tmp_path):
    """Held-out batch 570/06: a CycleGAN notebook printed '[Epoch 25 / 90]', then '[Generator loss: 3.32 | identity:
    0.18 GAN: 0.57 cycle: 0.18]', then '[Discriminator loss: 0.20 | D_X: 0.19 D_Y: 0.22]': each block read as two half
    rows and the epoch went unread. The two line kinds hold disjoint columns, D's loss in one and G's in the other:
    one row per block, its epoch the heading's. Two kinds that each hold both losses are no such pair."""
    p = tmp_path / "log.txt"
    p.write_text("".join(f"[Epoch {e} / 90]\n[Generator loss: 3.{e:02d} | identity: 0.18 GAN: 0.57 cycle: 0.18]\n"
                         f"[Discriminator loss: 0.2{e % 10} | D_X: 0.19 D_Y: 0.21]\n" for e in range(1, 13)))
    df = read_run(p)
    assert len(df) == 12 and df.g_loss.iloc[2] == pytest.approx(3.03) and df.d_loss.iloc[2] == pytest.approx(0.23)
    assert df.epoch.tolist() == list(range(12)) and df.d_loss.notna().all() and df.g_loss.notna().all()
    p.write_text("".join(f"a: d_loss {0.1 * (k % 5):.2f} g_loss 1.{k % 9}\nb: d_loss 0.{k % 8} g_loss 2.{k % 7}\n"
                         for k in range(12)))
    assert len(read_run(p)) == 24


def test_alternating_lines_of_a_run_stopped_between_d_and_g(tmp_path):
    """'batch 77 d_loss : 0.5778' then a KeyboardInterrupt, G's line of that batch never printed (held-out batch
    530/01, a Keras notebook's 'Epoch is 0' / 'Number of batches 454' heading): the odd line was taken for a head cut,
    the pairs then disagreed on their batch, and 155 lines read as 155 half rows. The tail's line is left out."""
    rng = np.random.default_rng(530)
    v = rng.uniform(0.3, 2.4, size=(40, 2)).round(6)
    p = tmp_path / "log.txt"
    p.write_text("Epoch is 0\nNumber of batches 454\n"
                 + "".join(f"batch {k} d_loss : {a:.6f}\nbatch {k} g_loss : {b:.6f}\n" for k, (a, b) in enumerate(v))
                 + "batch 40 d_loss : 0.577820\n")
    with pytest.warns(UserWarning, match="skipping the last loss line"):
        df = read_run(p)
    assert len(df) == 40 and df.batch.tolist() == list(range(40))
    assert df.d_loss.to_numpy() == pytest.approx(v[:, 0]) and df.g_loss.to_numpy() == pytest.approx(v[:, 1])


def test_rows_with_no_epoch_after_each_epoch_s_bar_are_those_epochs(tmp_path):
    """'100%|██████████| 2533/2533 [07:16<00:00,  7.29it/s]' then 'd_loss: [-0.71795]; g_loss: [0.25149]; ..', one
    per epoch, no epoch printed (held-out batch 539/00): read as 10 iterations a row, ten epochs of 2,533 were 100
    iterations, all warm-up. Each row ends an epoch of the bar's length; a second cell whose bars are another length
    is another run, although its first step comes after the first run's last."""
    rng = np.random.default_rng(539)

    def cell(n, epochs):
        v = rng.uniform(-1.1, 0.9, size=(epochs, 2)).round(5)
        return ["".join(f"100%|██████████| {n}/{n} [07:16<00:00,  7.29it/s]\nd_loss: [{a}]; g_loss: [{b}]\n"
                        for a, b in v)], v

    (first, _), (second, v2) = cell(256, 5), cell(2533, 10)
    p = tmp_path / "log.txt"
    p.write_text(second[0])
    df = read_run(p)
    assert df.step.tolist() == [2533 * (e + 1) - 1 for e in range(10)]
    assert df.d_loss.to_numpy() == pytest.approx(v2[:, 0])
    runs = read_runs(_nb(tmp_path, [first, second]))
    assert [len(df) for df in runs.values()] == [5, 10], list(runs)
    assert [df.step.iloc[-1] for df in runs.values()] == [256 * 5 - 1, 2533 * 10 - 1]


def test_a_network_letter_before_each_of_two_domain_words_is_a_run_per_domain(tmp_path):
    """A CycleGAN's tqdm postfix 'g_monet=1.17, g_photo=1.19, d_monet=0.25, d_photo=0.29' (held-out batch 538/09):
    refused, no label naming D's or G's loss. Each word with both letters is a domain, one run each; numbers of a
    network's own (d_acc beside d_lr) are no domains."""
    rng = np.random.default_rng(538)
    v = rng.uniform(0.2, 2.9, size=(12, 4)).round(2)
    p = tmp_path / "log.txt"
    p.write_text("".join(f"Epoch {e + 1}/12: 100%|##########| 220/220 [11:45<00:00, 3.20s/it, g_monet={a}, "
                         f"g_photo={b}, d_monet={c}, d_photo={d}]\n" for e, (a, b, c, d) in enumerate(v)))
    runs = read_runs(p)
    assert sorted(runs) == ["log:monet", "log:photo"]
    assert runs["log:monet"].d_loss.to_numpy() == pytest.approx(v[:, 2])
    assert runs["log:photo"].g_loss.to_numpy() == pytest.approx(v[:, 1])
    assert "generator's total" in runs["log:photo"].attrs["g_loss_composite"]
    p.write_text("".join(f"Epoch {e + 1}/12 d_loss={a} g_loss={b} d_acc={c} d_lr={d} g_acc={c} g_lr={d}\n"
                         for e, (a, b, c, d) in enumerate(v)))
    assert list(read_runs(p)) == ["log"]


def test_livelossplot_summaries_and_named_losses_of_held_out_batches_535_and_538(tmp_path):
    """livelossplot's 'Loss' / '\\tD_Loss  \\t (min: 0.520, max: 1.490, cur: 0.957)' (535/08), 'Generative Loss' /
    'Discriminative Loss' (538/02) and TensorFlow pix2pix's 'Generator GAN Loss' beside its total and L1 terms
    (538/03) were refused; each now reads (the value now, G's adversarial term)."""
    rng = np.random.default_rng(535)
    v = rng.uniform(0.4, 2.0, size=(12, 2)).round(3)
    p = tmp_path / "log.txt"
    p.write_text("".join(f"Loss\n\tD_Loss           \t (min:    0.520, max:    1.490, cur:    {a:.3f})\n"
                         f"\tG_Loss           \t (min:    0.645, max:    2.046, cur:    {b:.3f})\n" for a, b in v))
    df = read_run(p)
    assert df.d_loss.to_numpy() == pytest.approx(v[:, 0]) and df.g_loss.to_numpy() == pytest.approx(v[:, 1])
    p.write_text("".join(f"Epoch #{k}: Generative Loss: {b}, Discriminative Loss: {a}\n" for k, (a, b) in enumerate(v)))
    df = read_run(p)
    assert df.d_loss.to_numpy() == pytest.approx(v[:, 0]) and df.g_loss.to_numpy() == pytest.approx(v[:, 1])
    p.write_text("".join(f"Step: {k}k\nGenerator Total Loss: {b + 20}\nGenerator GAN Loss: {b}\nGenerator L1 Loss: 0.27\n"
                         f"Discriminator Loss: {a}\n" for k, (a, b) in enumerate(v)))
    df = read_run(p)
    assert df.g_loss.to_numpy() == pytest.approx(v[:, 1]) and df.d_loss.to_numpy() == pytest.approx(v[:, 0])


def test_shapes_of_held_out_batch_540(tmp_path):
    """'generated_loss :  0.313  Discriminator_loss :  15.33' (540/01: refused for a missing g_loss) and a chest X-ray
    CycleGAN's 'Generator loss: 2.53, Discriminator AP loss: 0.30, Discriminator PA loss: 0.26' (540/02: refused for a
    missing d_loss): G's loss by its name, and a run per domain named by the word after the network."""
    rng = np.random.default_rng(540)
    v = rng.uniform(0.2, 2.6, size=(16, 3)).round(4)
    p = tmp_path / "log.txt"
    p.write_text("".join(f"generated_loss :  {a}        Discriminator_loss :  {b}\n" for a, b, _ in v))
    df = read_run(p)
    assert df.g_loss.to_numpy() == pytest.approx(v[:, 0]) and df.d_loss.to_numpy() == pytest.approx(v[:, 1])
    p.write_text("".join(f"Generator loss: {a}, Discriminator AP loss: {b}, Discriminator PA loss: {c}\n" for a, b, c in v))
    runs = read_runs(p)
    assert sorted(runs) == ["log:ap", "log:pa"]
    assert runs["log:pa"].d_loss.to_numpy() == pytest.approx(v[:, 2]) and "one G loss" in runs["log:pa"].attrs["g_loss_composite"]
    p.write_text("".join(f"Generator loss: {a}, Discriminator real loss: {b}, Discriminator fake loss: {c}\n" for a, b, c in v))
    assert list(read_runs(p)) == ["log"]          # D's two terms are no domains


def test_each_loss_on_its_own_line_with_its_counter_in_brackets_after_the_label(tmp_path):
    """Held-out batch 577/03: a DCGAN tutorial printed 'Generator loss ( 4800 Epoch) : 1.3066843' then
    'Descriminator loss ( 4800 Epoch) : 0.8421808' every 200 iterations: refused, no line held a labelled loss. The
    bracketed counter is the row's step, each pair one row; D's name read through its misspelling."""
    rng = np.random.default_rng(577)
    v = rng.uniform(0.5, 2.0, size=(25, 2)).round(7)
    p = tmp_path / "log.txt"
    p.write_text("".join(f"Generator loss ( {200 * k} Epoch) : {b}\nDescriminator loss ( {200 * k} Epoch) : {a}\n"
                         for k, (a, b) in enumerate(v)))
    df = read_run(p)
    assert len(df) == 25 and df.step.tolist() == list(range(0, 4801, 200))
    assert df.d_loss.to_numpy() == pytest.approx(v[:, 0]) and df.g_loss.to_numpy() == pytest.approx(v[:, 1])


def test_loss_lines_after_a_listing_longer_than_the_probed_head(tmp_path):
    """Held-out batch 576/03: a notebook listed its 67,715 CelebA image paths (2 MB) before the training cell printed
    'Epoch 1/2... batch: 51... G-loss:0.967... D-loss: 0.293': the print shapes were probed on the text's first
    256 KB only, which never reached the losses, and the notebook was refused. Lines with a decimal after the head are
    probed too."""
    rng = np.random.default_rng(576)
    v = rng.uniform(0.2, 2.0, size=(12, 2))
    listing = "".join(f"./img_align_celeba/{k:06d}.jpg\n" for k in range(12_000))
    log = "".join(f"Epoch 1/2... batch: {1 + 50 * k}... G-loss:{b!r}... D-loss: {a!r}\n" for k, (a, b) in enumerate(v))
    p = tmp_path / "log.txt"
    p.write_text(listing + log)
    assert len(listing) > 262_144
    df = read_run(p)
    assert len(df) == 12 and df.d_loss.to_numpy() == pytest.approx(v[:, 0]) and df.g_loss.to_numpy() == pytest.approx(v[:, 1])


def test_bare_rows_under_a_header_of_two_word_names_apart_by_tabs_and_a_rule(tmp_path):
    """Held-out batch 577/01: a tabular GAN printed 'Epoch\\t\\tG loss\\t\\tC loss', a rule of '=' and then rows such
    as '01\\t\\t1.5449\\t\\t3.6144': refused, the header split at every space held five words for three numbers. The
    names stand apart by tabs, and the rule between them and the rows is no header; G comes first here."""
    rng = np.random.default_rng(577)
    v = rng.uniform(0.0, 4.0, size=(12, 2)).round(4)
    p = tmp_path / "log.txt"
    p.write_text("Epoch\t\tG loss\t\tC loss\n" + "=" * 45 + "\n"
                 + "".join(f"{k + 1:02d}\t\t{g:.4f}\t\t{c:.4f}\n" for k, (g, c) in enumerate(v)))
    df = read_run(p)
    assert len(df) == 12 and df.epoch.tolist() == list(range(1, 13))
    assert df.g_loss.to_numpy() == pytest.approx(v[:, 0]) and df.d_loss.to_numpy() == pytest.approx(v[:, 1])
    p.write_text("Epoch\t\tG loss\t\tmy note\n" + "".join(f"{k + 1:02d}\t\t{g:.4f}\t\t{c:.4f}\n"
                                                         for k, (g, c) in enumerate(v)))
    with pytest.raises(GanalyzeError, match="missing required column"):
        read_run(p)


def test_the_cyclegan_papers_g_and_f_each_pair_with_the_d_that_judges_them(tmp_path):
    """Held-out batch 558/05: 'Epoch [1/10], Step [50/517], D_X Loss: 0.0138, D_Y Loss: 0.0039, G Loss: 5.7706, F Loss:
    4.4576' (the CycleGAN paper's names: G maps X to Y, judged by D_Y; F maps Y to X, judged by D_X): refused, 'D_X
    Loss' was no domain's D loss and F's loss no G's. One run per D, each with the generator it judges (composite)."""
    from ganalyze.diagnose.metadata import infer_metadata

    rng = np.random.default_rng(558)
    dx, dy, g, f = (rng.uniform(lo, hi, 12) for lo, hi in ((0.05, 0.09), (0.2, 0.3), (5.0, 7.0), (1.8, 4.5)))
    p = tmp_path / "train.log"
    p.write_text("".join(f"Epoch [1/10], Step [{50 * (k + 1)}/517], D_X Loss: {dx[k]:.4f}, D_Y Loss: {dy[k]:.4f}, "
                         f"G Loss: {g[k]:.4f}, F Loss: {f[k]:.4f}\n" for k in range(10)))
    runs = read_runs(p)
    assert list(runs) == ["train:X", "train:Y"]
    x, y = runs["train:X"], runs["train:Y"]
    assert x.d_loss.to_numpy() == pytest.approx(dx[:10], abs=1e-4) and x.g_loss.to_numpy() == pytest.approx(f[:10], abs=1e-4)
    assert y.d_loss.to_numpy() == pytest.approx(dy[:10], abs=1e-4) and y.g_loss.to_numpy() == pytest.approx(g[:10], abs=1e-4)
    assert infer_metadata(y).g_loss_terms == "composite"


def test_a_step_restarting_each_epoch_after_a_pretraining_phase_that_printed_batches(tmp_path):
    """Held-out batch 587/05: an SRGAN printed 'Pre-train Epoch 2, Batch 40, Pixel Loss: 0.05' lines, then 'Epoch 99/100,
    Step 40, G Loss: 1.267, D Loss: 0.6508' with its Step restarting each epoch: the pre-training's last batch, 40, was
    carried onto every training row, so the Step was taken for the run's own counter and 495 of 500 rows went as
    rewrites of steps 0-40. A batch of one value throughout counts nothing; the Step counts batches in the epoch."""
    lines = [f"Pre-train Epoch {e}, Batch {b}, Pixel Loss: 0.{b + 10}" for e in range(3) for b in range(0, 50, 10)]
    lines += [f"Epoch {e}/100, Step {s}, G Loss: {1 + 0.001 * e + 0.0001 * s:.4f}, D Loss: {0.6 + 0.001 * s:.4f}"
              for e in range(1, 101) for s in range(0, 50, 10)]
    p = tmp_path / "train.log"
    p.write_text("\n".join(lines) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = read_run(p)
    assert len(df) == 500 and df.step.is_monotonic_increasing and df.step.is_unique
    assert df.g_loss.iloc[-1] == pytest.approx(1.104) and df.d_loss.iloc[-1] == pytest.approx(0.64)


def test_labels_pointing_at_their_values_with_an_arrow(tmp_path):
    """Held-out batch 585/02: 'gLoss ==> 0.7957' then 'dLoss ==> 1.2767' between tqdm bars: refused, no label met its
    value with ':' or '='. An arrow of '=' signs is the label's colon; each pair is one row."""
    rng = np.random.default_rng(585)
    v = rng.uniform(0.5, 2.0, size=(12, 2)).round(4)
    p = tmp_path / "train.log"
    p.write_text("".join(f"100%|##########| 40/40 [00:07<00:00,  5.5it/s]\ngLoss ==> {g}\ndLoss ==> {d}\n" for g, d in v))
    df = read_run(p)
    assert len(df) == 12 and df.g_loss.to_numpy() == pytest.approx(v[:, 0]) and df.d_loss.to_numpy() == pytest.approx(v[:, 1])


def test_sagan_trainers_d_out_names_are_its_loss_terms_and_its_arguments_its_loss(tmp_path):
    """Held-out batch 595/01: heykeetae's SAGAN trainer prints 'Elapsed [..], G_step [151130/1000000],
    D_step[151130/1000000], d_out_real: 0.1640, d_out_fake: 0.1449, g_loss_fake: 1.0433', formatting d_loss_real,
    d_loss_fake and g_loss_fake: refused, 'd_out_real' read as D's output on the reals and no D loss found. Its printed
    arguments ('Namespace(model='sagan', adv_loss='hinge', .., g_lr=0.0001, d_lr=0.0004, ..)') give the loss."""
    from ganalyze.diagnose.metadata import infer_metadata

    rng = np.random.default_rng(595)
    v = rng.uniform(0.0, 0.3, size=(30, 2)).round(4)
    g = rng.uniform(0.8, 1.2, 30).round(4)
    text = ("Namespace(model='sagan', adv_loss='hinge', imsize=128, total_step=1000000, g_lr=0.0001, d_lr=0.0004, "
            "log_step=10)\n" + "".join(
                f"Elapsed [0:{k:02d}:00.1], G_step [{10 * (k + 1)}/1000000], D_step[{10 * (k + 1)}/1000000], "
                f"d_out_real: {a:.4f}, d_out_fake: {b:.4f}, g_loss_fake: {c:.4f}\n" for k, ((a, b), c) in enumerate(zip(v, g))))
    p = tmp_path / "sagan.log"
    p.write_text(text)
    df = read_run(p)
    assert len(df) == 30 and df.step.iloc[-1] == 300
    assert df.d_loss.to_numpy() == pytest.approx(v.sum(axis=1), abs=2e-4) and df.g_loss.to_numpy() == pytest.approx(g)
    assert "d_x" not in df.columns and "d_g_z1" not in df.columns
    meta = infer_metadata(df)
    assert meta.loss == "hinge" and meta.d_loss_reduction == "sum"


def test_each_value_in_brackets_after_its_label(tmp_path):
    """Held-out batch 596/03: a CycleGAN printed 'Epoch: (  0) (  100/  962), Gen Loss: (0.787643), ID Loss: (1.757116),
    Cycle Loss (3.922130),Total Gen Loss (6.466888), Disc A loss (0.385008), Disc B Loss (0.315408)': refused, no label
    met its value. A value in brackets is its label's, with or without the colon; the run splits per domain's D."""
    rng = np.random.default_rng(596)
    v = rng.uniform(0.2, 0.9, size=(20, 3)).round(6)
    p = tmp_path / "train.log"
    p.write_text("".join(f"Epoch: (  {k // 9}) (  {100 * (k % 9 + 1)}/  962), Gen Loss: ({g:.6f}), ID Loss: (1.757116), "
                         f"Cycle Loss (3.922130),Total Gen Loss (6.466888), Disc A loss ({a:.6f}), Disc B Loss ({b:.6f})\n"
                         for k, (g, a, b) in enumerate(v)))
    runs = read_runs(p)
    assert sorted(runs) == ["train:a", "train:b"]
    a = runs["train:a"]
    assert len(a) == 20 and a.d_loss.to_numpy() == pytest.approx(v[:, 1]) and a.g_loss.to_numpy() == pytest.approx(v[:, 0])
    assert a.step.is_monotonic_increasing and a.step.is_unique


def test_two_cells_that_each_fit_a_fresh_cyclegan_are_two_runs_per_domain(tmp_path):
    """Held-out batches 589/06 and 602/04: a notebook fit a CycleGAN in one cell ('Epoch 1/5' .. '300/300 - ..
    monet_gen_loss: .. - monet_disc_loss: ..'), then a fresh one in a later cell under the same names: read as one
    run per domain whose later rows replaced the earlier (a restart), the first model never diagnosed. Each cell's
    fit is a run, split per domain."""
    def fit(epochs, batches, g0):
        return "".join(f"Epoch {e}/{epochs}\n{batches}/{batches} [==============================] - 40s 130ms/step - "
                       f"monet_gen_loss: {g0 - e / 10:.4f} - photo_gen_loss: {g0 + 0.2 - e / 10:.4f} - "
                       f"monet_disc_loss: {0.63 - e / 500:.4f} - photo_disc_loss: {0.64 - e / 400:.4f}\n"
                       for e in range(1, epochs + 1))
    p = _nb(tmp_path, [["loading 300 Monet images\n"], [fit(12, 300, 22.0)], ["<Figure size 1200x1200 with 10 Axes>\n"],
                       [fit(14, 3519, 2.5)]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runs = read_runs(p)
    assert sorted(runs) == ["train:cell2_monet", "train:cell2_photo", "train:cell4_monet", "train:cell4_photo"]
    assert len(runs["train:cell2_monet"]) == 12 and runs["train:cell2_monet"].g_loss.iloc[0] == pytest.approx(21.9)
    assert len(runs["train:cell4_photo"]) == 14 and runs["train:cell4_photo"].g_loss.iloc[0] == pytest.approx(2.6)


def test_one_label_over_slash_separated_parts_and_its_epoch_summary_lines(tmp_path):
    """Held-out batch 591/09: the PyTorch SRGAN scripts print '[1/100][6/10] Discriminator_Loss: 1.3662
    Generator_Loss (Content/Advers/Total): 0.1434/0.5671/0.1439 (SSIM) = (0.1173)' and, at each epoch's end, the same
    under 'Mean_': refused (no G loss). Each part takes its own value; the total is G's loss; the summary lines, which
    left every per-step row's losses empty in their columns, are skipped."""
    rng = np.random.default_rng(591)
    lines, want = [], []
    for e in range(1, 21):
        for b in (1, 6):
            d, c, a = rng.uniform(0.6, 1.4), rng.uniform(0.01, 0.1), rng.uniform(0.01, 2.0)
            lines.append(f"[{e}/100][{b}/10] Discriminator_Loss: {d:.4f} Generator_Loss (Content/Advers/Total): "
                         f"{c:.4f}/{a:.4f}/{c + 1e-3 * a:.4f} (SSIM) = (0.5366)")
            want.append((d, c, a, c + 1e-3 * a))
        lines.append(f"[{e}/100][10/10] Mean_Discriminator_Loss: 0.9833 Mean_Generator_Loss (Content/Advers/Total): "
                     "0.0458/0.1585/0.0459 (Mean_SSIM) = (0.5243)")
    p = tmp_path / "train.log"
    p.write_text("\n".join(lines) + "\n")
    with pytest.warns(UserWarning, match="skipping 20 summary line"):
        df = read_run(p)
    want = np.round(np.array(want), 4)
    assert len(df) == 40 and df.d_loss.to_numpy() == pytest.approx(want[:, 0], abs=1e-4)
    assert df.g_loss.to_numpy() == pytest.approx(want[:, 3], abs=1e-4)
    assert df.generator_loss_content.to_numpy() == pytest.approx(want[:, 1], abs=1e-4)
    assert df.generator_loss_advers.to_numpy() == pytest.approx(want[:, 2], abs=1e-4)
    assert not any(c.startswith("mean_") for c in df.columns)


@pytest.mark.parametrize("fmt", ["Epoch {e} Loss D/G: {d:.4f}/{g:.4f}", "Epoch {e}, loss (D/G): {d:.4f}/{g:.4f}",
                                 "Train Epoch: {e} [64/60000 (0%)] Loss D/G: {d:.4f}/{g:.4f}"])
def test_a_loss_label_before_a_slash_separated_d_g_pair(tmp_path, fmt):
    """'Loss D/G: 0.5216/1.4225' had been read as a column 'loss_d_loss' beside G's (refused: no D loss); 'loss (D/G):
    1.1/0.8' as G's loss and a stray column. The label before the pair, and brackets around it, belong to it."""
    rng = np.random.default_rng(7)
    v = rng.uniform(0.2, 2.0, size=(25, 2)).round(4)
    p = tmp_path / "train.log"
    p.write_text("".join(fmt.format(e=e, d=d, g=g) + "\n" for e, (d, g) in enumerate(v)))
    df = read_run(p)
    assert df.d_loss.to_numpy() == pytest.approx(v[:, 0]) and df.g_loss.to_numpy() == pytest.approx(v[:, 1])
    assert [c for c in df.columns if "loss" in c] == ["d_loss", "g_loss"]


def test_a_critic_and_an_adversarial_term_named_alone_are_d_and_g(tmp_path):
    """Held-out batch 608/00: aladdinpersson's ESRGAN prints a tqdm bar per epoch, '100%|##| 27/27 [00:21<00:00,
    1.24it/s, adversarial=0.0216, critic=-7.63, gp=0.211, l1=0.000439, vgg=0.832]': refused (no D or G loss). A column
    named 'critic' is the critic's loss (as 'discriminator' is D's); 'adversarial' is G's adversarial term, G's loss
    where the log has no total, its content terms l1 and vgg beside it."""
    rng = np.random.default_rng(608)
    v = rng.uniform(-60, 60, size=(30, 2)).round(3)
    cells = []
    for e, (c, a) in enumerate(v):
        cells += [f"=> Saving checkpoint\nRunning : {e + 1} / 500\n",
                  f"100%|\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588| 27/27 [00:21<00:00,  1.24it/s, "
                  f"adversarial={a / 100:.4g}, critic={c:.4g}, gp=0.211, l1=0.000439, vgg=0.832]\n"]
    nb = {"cells": [{"cell_type": "code", "source": "pass\n", "metadata": {}, "execution_count": 1,
                     "outputs": [{"output_type": "stream", "name": "stdout" if k % 2 == 0 else "stderr", "text": t}
                                 for k, t in enumerate(cells)]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    p = tmp_path / "esrgan.ipynb"
    p.write_text(json.dumps(nb))
    df = read_run(p)
    assert len(df) == 30 and df.d_loss.to_numpy() == pytest.approx(v[:, 0], rel=1e-3)
    assert df.g_loss.to_numpy() == pytest.approx(v[:, 1] / 100, rel=1e-3)
    assert {"gp", "l1", "vgg"} <= set(df.columns)


def test_per_domain_losses_named_by_a_one_letter_domain_and_dsc(tmp_path):
    """Held-out batch 596/02: a TensorFlow Monet CycleGAN printed 'epoch: 0,\\t m_gen loss: 4.03,\\t p_gen loss: 5.09,
    m_dsc loss: 1.29, p_dsc loss: 0.79': refused (no D or G loss). 'dsc' is a discriminator, the loss after a space
    is the loss, and each domain letter is a run of its own."""
    rng = np.random.default_rng(596)
    v = rng.uniform(0.5, 5.0, size=(20, 4)).round(6)
    p = tmp_path / "train.log"
    p.write_text("".join(f"epoch: {e},\t m_gen loss: {a},\t p_gen loss: {b}, m_dsc loss: {c}, p_dsc loss: {d}\n"
                         for e, (a, b, c, d) in enumerate(v)))
    runs = read_runs(p)
    assert sorted(runs) == ["train:m", "train:p"]
    assert runs["train:m"].d_loss.to_numpy() == pytest.approx(v[:, 2])
    assert runs["train:m"].g_loss.to_numpy() == pytest.approx(v[:, 0])
    assert runs["train:p"].d_loss.to_numpy() == pytest.approx(v[:, 3])


@pytest.mark.parametrize("fmt, runs_named", [
    # CycleGAN re-implementations name each G by the domains it maps (held-out batch 620/07): "A2B" had been cut to "B"
    ("[{e}/20]\tloss_G_A2B: {a:.4f}\tloss_G_B2A: {b:.4f}\tloss_D_A: {c:.4f}\tloss_D_B: {d:.4f}", ["A", "B"]),
    # keras.io's names printed in words (619/00)
    ("Epoch {e} Gen G Loss: {a:.4f}, Gen F Loss: {b:.4f}, Disc X Loss: {c:.4f}, Disc Y Loss: {d:.4f}", ["X", "Y"]),
    # any two letters where each has its own D and G, night and day (619/06)
    ("epoch {e} loss_G_n={a:.4f} D_n_loss={c:.4f} loss_G_d={b:.4f} D_d_loss = {d:.4f}", ["D", "N"]),
])
def test_cyclegan_losses_named_per_domain_in_more_ways(tmp_path, fmt, runs_named):
    """Held-out batches 619-620: a CycleGAN's D and G losses per domain under names the reader had refused ('missing
    required column(s) d_loss, g_loss'): each domain is a run of its own, with its D and the G judged by it."""
    rng = np.random.default_rng(619)
    v = rng.uniform(0.1, 3.0, size=(25, 4)).round(4)
    p = tmp_path / "train.log"
    p.write_text("".join(fmt.format(e=e, a=a, b=b, c=c, d=d) + "\n" for e, (a, b, c, d) in enumerate(v)))
    runs = read_runs(p)
    assert sorted(runs) == [f"train:{k}" for k in runs_named]
    d_losses = sorted(tuple(df.d_loss.round(4)) for df in runs.values())
    assert d_losses == sorted([tuple(v[:, 2]), tuple(v[:, 3])])
    assert all(len(df) == 25 and df.g_loss.notna().all() for df in runs.values())


def test_a_digit_inside_a_name_is_no_number_glued_to_a_label():
    """'loss_G_A2B: 2.95' had been rewritten 'loss_G_A2, B: 2.95' as if '2' were a value glued to a label 'B';
    '0.0892Loss G: 3.18' still parts."""
    from ganalyze.runlog.formats.console import _GLUED_LABEL
    assert _GLUED_LABEL.sub(r"\1, ", "loss_G_A2B: 2.95\tID_B2A: 0.6") == "loss_G_A2B: 2.95\tID_B2A: 0.6"
    assert _GLUED_LABEL.sub(r"\1, ", "Loss D: 0.0892Loss G: 3.18") == "Loss D: 0.0892, Loss G: 3.18"
    assert _GLUED_LABEL.sub(r"\1, ", "D/G 0.20/-0.04FID = 420.1") == "D/G 0.20/-0.04, FID = 420.1"


def test_labels_in_other_letters_stay_apart_and_columns_names_them_as_printed(tmp_path):
    """Held-out batch 626/07: 'Epoch [01/50] | 경찰 Loss: 0.3778 | 도둑 Loss: 4.5855' ("police" and "thief", D and G):
    both labels had been read as 'Loss', one overwriting the other, and --columns with the printed labels was
    refused. Each word in letters outside ASCII is spelt in ASCII, so the labels stay apart, and --columns takes them
    as printed; a plain 'Loss' column is not what '경찰 Loss' names."""
    from ganalyze.runlog.formats.common import ascii_label

    rng = np.random.default_rng(626)
    v = rng.uniform(0.2, 5.0, size=(30, 2)).round(4)
    p = tmp_path / "train.log"
    p.write_text("".join(f"Epoch [{e + 1:02d}/50] | 경찰 Loss: {d:.4f} | 도둑 Loss: {g:.4f}\n" for e, (d, g) in enumerate(v)))
    with pytest.raises(GanalyzeError, match="gyeongcal Loss"):
        read_run(p)
    df = read_run(p, columns={"d_loss": "경찰 Loss", "g_loss": "도둑 Loss"})
    assert df.d_loss.to_numpy() == pytest.approx(v[:, 0]) and df.g_loss.to_numpy() == pytest.approx(v[:, 1])
    assert ascii_label("pérdida D") == "perdida D" and ascii_label("判别") == "u5224u522b"
    # a label of ASCII letters alone is not touched, nor is a CSV's own column name read from its header
    csv = tmp_path / "log.csv"
    csv.write_text("step,Loss,경찰 Loss,g_loss\n" + "".join(f"{k},9,{d},{g}\n" for k, (d, g) in enumerate(v)))
    assert read_run(csv, columns={"d_loss": "경찰 Loss"}).d_loss.to_numpy() == pytest.approx(v[:, 0])


def test_the_one_g_named_value_beside_d_terms_is_gs_loss(tmp_path):
    """Held-out batch 623/02: a Keras InfoGAN printed '1875/1875 [====] - 34s 18ms/step - d_loss_real: 0.3997 -
    d_loss_fake: 0.4108 - g_img_loss: 1.7492 - cat_loss: 0.0074': refused (no G loss). The one value with a G name that
    is no content, class or other term is G's loss, said in a warning; a lone G content term is not."""
    rng = np.random.default_rng(623)
    v = rng.uniform(0.1, 2.0, size=(20, 4)).round(4)

    def log(g_name):
        return "".join(f"Epoch {e + 1}/20\n1875/1875 [==============================] - 34s 18ms/step - d_loss_real: {a:.4f}"
                       f" - d_loss_fake: {b:.4f} - {g_name}: {g:.4f} - cat_loss: {c:.4f}\n" for e, (a, b, g, c) in enumerate(v))
    p = tmp_path / "train.log"
    p.write_text(log("g_img_loss"))
    with pytest.warns(UserWarning, match="reading 'g_img_loss' as G's loss"):
        df = read_run(p)
    assert df.g_loss.to_numpy() == pytest.approx(v[:, 2]) and df.d_loss.to_numpy() == pytest.approx(v[:, 0] + v[:, 1])
    p.write_text(log("g_l1_loss"))
    with pytest.raises(GanalyzeError, match="missing required column"):
        read_run(p)
    # a critic-only log's gradient penalty is no G loss (Aladdin Persson's ProGAN: "gp=0.0151, loss_critic=0.159")
    p.write_text("".join(f"Epoch [{e}/30]\n100%|##########| 333/333 [00:06<00:00, 51.37it/s, gp={a:.4f}, "
                         f"loss_critic={b:.4f}]\n" for e, (a, b, _, _) in enumerate(v)))
    with pytest.raises(GanalyzeError, match="missing required column"):
        read_run(p)


def test_labels_with_digits_before_values_in_brackets(tmp_path):
    """Held-out batch 630/00: a Keras pix2pix printed 'Epoch 137039: d1[9.39e-07], d2[6.79e-08], g[0.49]': G's value was
    read, D's two terms were left out (a label of a value in brackets held no digit), and the log was refused. d1 and
    d2 are D's real and fake terms, as in the same tutorial's 'd1=.., d2=.., g=..'."""
    rng = np.random.default_rng(630)
    v = rng.uniform(1e-8, 1e-6, size=(30, 2))
    g = rng.uniform(0.4, 0.6, 30)
    p = tmp_path / "train.log"
    p.write_text("".join(f"Epoch {137000 + k}: d1[{a!r}], d2[{b!r}], g[{c!r}]\n" for k, ((a, b), c) in enumerate(zip(v, g))))
    df = read_run(p)
    assert df.d_loss.to_numpy() == pytest.approx(v.sum(axis=1)) and df.g_loss.to_numpy() == pytest.approx(g)


def test_a_batch_prefix_before_a_loss_name(tmp_path):
    """Held-out batch 635/04: a TF1 WGAN-GP printed 'epoch: 20, batch_loss_D: -0.0879, batch_loss_G: -0.9399': refused
    (no D or G loss), as a 'train_' or 'epoch_' prefix is not."""
    rng = np.random.default_rng(635)
    v = rng.uniform(-1.0, 0.1, size=(20, 2)).round(4)
    p = tmp_path / "train.log"
    p.write_text("".join(f"epoch: {e}, batch_loss_D: {d}, batch_loss_G: {g}, batch_time: 0.{e + 10}\n"
                         for e, (d, g) in enumerate(v)))
    df = read_run(p)
    assert df.d_loss.to_numpy() == pytest.approx(v[:, 0]) and df.g_loss.to_numpy() == pytest.approx(v[:, 1])
    assert "time_s" not in df.columns       # a batch's time is no wall time: the prefix goes before a loss only


def test_a_keras_loss_array_after_an_equals_sign_or_no_colon_is_its_first_value(tmp_path):
    """Held-out batches 636/06 and 620/02: Keras' train_on_batch [loss, accuracy] printed as a numpy array after
    '=' ('gan_loss=[0.761 0.36 ]'), and a Keras CycleGAN's 'discriminator loss [0.683 0.565 ]' / 'genarator loss
    [10.63, 0.70, ...]' with no colon (its combined model's total, then each output's loss): both refused."""
    p = tmp_path / "eq.txt"
    p.write_text("".join(f"\nEpoch: ({e}/2500)\tdiscriminator_loss=0.69{e // 100:02d},\t gan_loss=[0.7{e // 100:02d} 0.36 ]\n"
                         for e in range(100, 2600, 100)))
    df = read_run(p)
    assert len(df) == 25 and df.d_loss.iloc[2] == 0.6903 and df.g_loss.iloc[2] == 0.703
    q = tmp_path / "nocolon.txt"
    q.write_text("".join(f"discriminator loss [0.6{k:02d} 0.5654297 ]\ngenarator loss [1{k % 10}.5, 0.70, 0.41, 0.38, "
                         f"0.31, 0.90, 1.63]\n--------------- train {k} ---------------\n" for k in range(1, 31)))
    df = read_run(q)
    assert len(df) == 30 and df.d_loss.iloc[2] == 0.603 and df.g_loss.iloc[2] == 13.5


def test_abbreviated_player_names_and_g_fake_loss_without_a_colon_are_read(tmp_path):
    """Held-out batches 638/03 and 639/07: 'step 1163 | dis 0.6489 | gen 1.6342' ("discriminator" and "generator"
    abbreviated, as both are read in full) and 'Epoch [199/200]  d_total_loss 0.5423  g_fake_loss 1.9557' (G's loss on
    the fakes, as loss_G_fake is read): both refused, the second with "column 'epoch' has non-numeric value"."""
    p = tmp_path / "dis_gen.txt"
    p.write_text("".join(f"step {k} | dis 0.6{k:02d}29 | gen 0.69{k:02d}3\n" for k in range(30)))
    df = read_run(p)
    assert len(df) == 30 and df.d_loss.iloc[2] == 0.60229 and df.g_loss.iloc[2] == 0.69023
    q = tmp_path / "fake.txt"
    q.write_text("".join(f"Epoch [{k}/200]  d_total_loss 0.54{k:02d}  g_fake_loss 1.95{k:02d}\n" for k in range(30)))
    df = read_run(q)
    assert len(df) == 30 and df.d_loss.iloc[2] == 0.5402 and df.g_loss.iloc[2] == 1.9502


def test_one_players_loss_spelt_two_ways_on_different_lines_is_one_column(tmp_path):
    """Held-out batch 645/00: 'initial: gen loss: 0.693858, disc_loss: 1.380566' before 'step: 500 , gen_loss: ..,
    disc_loss: ..' lines: refused as "columns 'gen loss' and 'gen_loss' both mean 'g_loss'". Two spellings on one
    line stay refused."""
    p = tmp_path / "two.txt"
    p.write_text("initial: gen loss: 0.693858, disc_loss: 1.380566\n"
                 + "".join(f"step: {k * 500} , gen_loss: 3.{k:02d}2690, disc_loss: 0.1{k:02d}172\n" for k in range(1, 13)))
    with pytest.warns(UserWarning, match="1 line\\(s\\) name G's loss 'gen loss' and 12 name it 'gen_loss'"):
        df = read_run(p)
    assert len(df) == 13 and df.g_loss.iloc[0] == 0.693858 and df.g_loss.iloc[2] == 3.022690 and df.d_loss.iloc[0] == 1.380566
    q = tmp_path / "same_line.txt"
    q.write_text("".join(f"step: {k * 500} , gen loss: 2.1, gen_loss: 3.{k:02d}2690, disc_loss: 0.1{k:02d}172\n"
                         for k in range(1, 13)))
    with pytest.raises(GanalyzeError, match="both mean 'g_loss'"):
        read_run(q)


def test_a_spaced_d_loss_line_beside_a_g_loss_line_with_a_colon_is_read(tmp_path):
    """Held-out batch 643/02: a Keras evaluation block every 100 steps, 'Discriminator Loss  0.6268' (two spaces, no
    colon) then 'Generator Loss:  0.9110' on the next line: refused, "missing required column(s) d_loss"."""
    p = tmp_path / "blocks.txt"
    p.write_text("".join(f"Epoch number:  {k * 100}\n*** Training ***\nDiscriminator Loss  0.6{k:02d}8478631973267\n"
                         f"Generator Loss:  0.9{k:02d}0121726989746\nDiscriminator Accuracy on REAL images:  0.56\n"
                         for k in range(1, 12)))
    df = read_run(p)
    assert len(df) == 11 and df.step.iloc[1] == 200 and df.d_loss.iloc[1] == pytest.approx(0.6028478631973267)
    assert df.g_loss.iloc[1] == pytest.approx(0.9020121726989746)


def test_cyclegan_generators_named_by_the_letters_they_map_between(tmp_path):
    """Held-out batch 649/02: 'loss_Dx: 0.7053 | loss_Dy: 0.6961 | loss_Gxy: 0.6931 | loss_Gyx: 0.6931 | loss_cycle:
    0.8793' (refused: no d_loss / g_loss); also 'g_XtoY_loss' and 'D_X: .. D_Y: .. G_XY: .. G_YX: ..', where D_X is
    domain X's D, not D(x). Each generator is judged by its target domain's D (G_YX's fakes by D_X). 'g_lr' stays no
    map."""
    from ganalyze.runlog.formats.domains import domain_loss

    p = tmp_path / "xy.txt"
    p.write_text("".join(f"epoch: 0 | step: {k * 100} | loss_Dx: 0.70{k:02d} | loss_Dy: 0.69{k:02d} | loss_Gxy: "
                         f"0.69{k:02d} | loss_Gyx: 0.68{k:02d} | loss_cycle: 0.87{k:02d}\n" for k in range(20)))
    runs = read_runs(p)
    assert sorted(runs) == ["xy:X", "xy:Y"]
    assert runs["xy:X"].d_loss.iloc[2] == 0.7002 and runs["xy:X"].g_loss.iloc[2] == 0.6802
    assert runs["xy:Y"].d_loss.iloc[2] == 0.6902 and runs["xy:Y"].g_loss.iloc[2] == 0.6902
    q = tmp_path / "dx.txt"
    q.write_text("".join(f"[{k}/200] D_X: 0.30{k:02d} D_Y: 0.31{k:02d} G_XY: 0.9{k:02d} G_YX: 0.8{k:02d} cycle: 1.2\n"
                         for k in range(20)))
    runs = read_runs(q)
    assert runs["dx:X"].d_loss.iloc[2] == 0.3002 and runs["dx:X"].g_loss.iloc[2] == 0.802
    assert domain_loss("g_XtoY_loss") == ("g", "Y") and domain_loss("g_lr") is None and domain_loss("G_XX") is None


def test_a_total_word_between_a_players_name_and_loss_or_error(tmp_path):
    """Held-out batch 651/05: 'Discriminator total error:  1.4385' beside 'Generator error:  0.6931' (refused: no
    d_loss)."""
    p = tmp_path / "total.txt"
    p.write_text("".join(f"Current epoch:  {k * 50}\nDiscriminator real data error:  0.74{k:02d}\nDiscriminator fake data "
                         f"error:  0.69{k:02d}\nDiscriminator total error:  1.43{k:02d}\nGenerator error:  0.69{k:02d}\n"
                         for k in range(20)))
    df = read_run(p)
    assert len(df) == 20 and df.d_loss.iloc[2] == 1.4302 and df.g_loss.iloc[2] == 0.6902


def test_a_players_name_glued_to_the_korean_or_chinese_word_for_loss(tmp_path):
    """Held-out batch 655/02: 'iter : 20000[D손실 : 0.3000], [정확도 : 85.54] [G손실 : 2.4057]' (손실, "loss"; 정확도,
    "accuracy"): read as 'Dsonsil' and 'Gsonsil' and refused. The Chinese 损失 the same way."""
    p = tmp_path / "ko.txt"
    p.write_text("".join(f"iter : {k * 1000}[D손실 : 0.30{k:02d}06338071823], [정확도 : 85.546875] "
                         f"[G손실 : 2.40{k:02d}114124298096]\n" for k in range(1, 21)))
    df = read_run(p)
    assert len(df) == 20 and df.step.iloc[2] == 3000 and df.d_loss.iloc[2] == pytest.approx(0.3003063380718)
    assert df.g_loss.iloc[2] == pytest.approx(2.4003114124298)
    q = tmp_path / "zh.txt"
    q.write_text("".join(f"epoch {k}: D损失 = 0.5{k:02d}, G损失 = 1.2{k:02d}\n" for k in range(20)))
    df = read_run(q)
    assert df.d_loss.iloc[3] == 0.503 and df.g_loss.iloc[3] == 1.203


def test_comet_mls_own_lines_are_no_rows_of_the_run(tmp_path):
    """Held-out batch 656/05: Comet's end-of-run summary under ANSI colours ('COMET INFO:     discriminator_loss [4690]
    : (0.0024, 15.33)', 'COMET INFO:     d_hidden      : 64') after the training cell had been read as a second run
    of 3 rows whose D loss 'holds 64' (divergence)."""
    log = "".join(f"[{k}/10][0/469] Loss_D: 0.5{k:02d} Loss_G: 2.1{k:02d} D(x): 0.80 D(G(z)): 0.20 / 0.18\n"
                  for k in range(20))
    comet = "".join(f"\x1b[1;38;5;39mCOMET INFO:\x1b[0m {line}\n" for line in (
        "Comet.ml Experiment Summary", "  Metrics [count] (min, max):",
        "    discriminator_loss [4690] : (0.0024591516703367233, 15.329544067382812)",
        "    generator_loss [4690]     : (0.0025084028020501137, 29.02336883544922)", "  Parameters:",
        "    d_hidden      : 64", "    g_hidden      : 256", "    epochs        : 10"))
    p = tmp_path / "train.ipynb"
    cells = [{"cell_type": "code", "source": "pass\n", "metadata": {}, "execution_count": k + 1,
              "outputs": [{"output_type": "stream", "name": "stdout", "text": t}]} for k, t in enumerate([log, comet])]
    p.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    runs = read_runs(p)
    assert list(runs) == ["train"] and len(runs["train"]) == 20


def test_ds_two_terms_under_three_word_names_without_a_colon(tmp_path):
    """Held-out batch 657/05: 'Epoch 94 | Accuracy 0.64 | Gen Loss 0.813072 | Disc Fake Loss 0.636108 | Disc Valid Loss
    0.656287| Time 23.86 sec' (refused: no line read as labelled losses); "valid" names the real images' targets, as
    Keras-GAN's `valid = np.ones(..)` does."""
    p = tmp_path / "pipes.txt"
    p.write_text("".join(f"Epoch {e} | Accuracy 0.79 | Gen Loss 0.9{e:02d}759 | Disc Fake Loss 0.5{e:02d}064 | Disc Valid "
                         f"Loss 0.4{e:02d}551| Time 23.42 sec\n" for e in range(1, 31)))
    df = read_run(p)
    assert len(df) == 30 and df.g_loss.iloc[2] == 0.903759
    assert df.d_loss_fake.iloc[2] == 0.503064 and df.d_loss_real.iloc[2] == 0.403551


def test_a_keras_combined_model_named_dcgan_is_gs_loss(tmp_path):
    """Held-out batch 669/04: a Keras DCGAN prints its combined model's train_on_batch [loss, accuracy] under the
    model's name, 'dcgan Loss:  [0.943, 0.102] \\t discriminator loss [0.638, 0.660]', as Keras-GAN's scripts print
    'gan_loss': refused with "missing required column(s) g_loss (have: dcgan_loss, d_loss, epoch)"."""
    p = tmp_path / "dcgan.txt"
    p.write_text("".join(f"Epoch {k}\ndcgan Loss:  [0.9{k:02d}1, 0.1015625] \t discriminator loss [0.6{k:02d}5, "
                         "0.66015625]\n" for k in range(0, 100, 5)))
    df = read_run(p)
    assert len(df) == 20 and df.g_loss.iloc[2] == 0.9101 and df.d_loss.iloc[2] == 0.6105


def test_spanish_loss_names_with_the_players_letter_after_an_underscore_are_read(tmp_path):
    """Held-out batch 670/00: a Keras WGAN-GP's fit() bar with Spanish names, '249/249 - 259s 911ms/step - perdida_d:
    -20.4078 - perdida_g: -39.9201' ("pérdida" = loss): refused, as "Pérdida del discriminador" was read already."""
    p = tmp_path / "es.txt"
    p.write_text("".join(f"Epoch {k}/30\n249/249 - 259s 911ms/step - perdida_d: -20.{k:02d}78 - perdida_g: -39.{k:02d}01\n"
                         for k in range(1, 31)))
    df = read_run(p)
    assert len(df) == 30 and df.d_loss.iloc[2] == -20.0378 and df.g_loss.iloc[2] == -39.0301


def test_a_generator_misspelt_genorator_on_its_own_line_is_gs_loss(tmp_path):
    """Held-out batch 672/00: a TF1 GAN prints each epoch as stacked lines, '=======Epoch :  1  =====' then
    'Genorator :  -1.6297112' and 'Discriminator :  -0.46166104': refused with "missing required column(s) g_loss"."""
    p = tmp_path / "genorator.txt"
    p.write_text("".join(f"=======Epoch :  {k}  =======================================\nGenorator :  -1.6{k:02d}7112\n"
                         f"Discriminator :  -0.4{k:02d}66104\n" for k in range(1, 31)))
    df = read_run(p)
    assert len(df) == 30 and df.g_loss.iloc[2] == -1.6037112 and df.d_loss.iloc[2] == -0.40366104


def test_a_minibatch_players_loss_at_step_n_is_read_with_its_step(tmp_path):
    """Held-out batch 675/18: a TF1 notebook prints 'Minibatch G loss at step 200: 3.661780' (its D print commented
    out): the refusal said no line holds a labelled D or G loss. Both players so printed read as a run, and G's
    alone now names the missing D loss."""
    p = tmp_path / "mb.txt"
    p.write_text("".join(f"Minibatch D loss at step {k}: 0.6{k // 100:02d}\nMinibatch G loss at step {k}: 1.5{k // 100:02d}\n"
                         for k in range(0, 3000, 100)))
    df = read_run(p)
    assert len(df) == 30 and df.step.iloc[2] == 200 and df.d_loss.iloc[2] == 0.602 and df.g_loss.iloc[2] == 1.502
    q = tmp_path / "g_only.txt"
    q.write_text("".join(f"Minibatch G loss at step {k}: 3.6{k // 100:02d}\n" for k in range(0, 3000, 100)))
    with pytest.raises(GanalyzeError, match="d_loss"):
        read_run(q)


def test_a_bare_counter_opening_each_line_of_labelled_losses_is_the_step(tmp_path):
    """Held-out batch 689/05: a TF2 loop prints `print(epoch, 'd loss:', d, 'g loss:', g)` every 100 iterations,
    '100 d loss: 0.7210 g loss: 2.3617': the leading counter was dropped, the rows read as one step each and the run
    as too short to judge. One such line alone is not read as a counter."""
    p = tmp_path / "bare.txt"
    p.write_text("".join(f"{k} d loss: 0.7{k // 100:02d} g loss: 2.3{k // 100:02d}\n" for k in range(0, 3000, 100)))
    df = read_run(p)
    assert len(df) == 30 and df.step.iloc[2] == 200 and df.d_loss.iloc[2] == 0.702 and df.g_loss.iloc[2] == 2.302


def test_one_tag_after_both_players_loss_labels_is_the_runs_name(tmp_path):
    """Held-out batch 700/03: 'Epoch [0/10], Generator Loss (Min-Max GAN): 6.3173, Discriminator Loss (Min-Max GAN):
    0.4824' (and '(LS GAN)' in a second run): refused, "which this reader cannot tell apart". Different tags on one
    line name parts of a loss and stay."""
    p = tmp_path / "tagged.txt"
    p.write_text("".join(f"Epoch [{k}/30], Generator Loss (Min-Max GAN): 3.{k:02d}73, Discriminator Loss (Min-Max GAN): "
                         f"0.4{k:02d}4\n" for k in range(30)))
    df = read_run(p)
    assert len(df) == 30 and df.g_loss.iloc[2] == 3.0273 and df.d_loss.iloc[2] == 0.4024
    q = tmp_path / "parts.txt"
    q.write_text("".join(f"Step {k}: D loss (real): 0.3{k:02d}, D loss (fake): 0.2{k:02d}, G loss: 1.{k:02d}\n"
                         for k in range(30)))
    df = read_run(q)
    assert df.g_loss.iloc[2] == 1.02 and {c for c in df.columns if c.startswith("d_loss")} != {"d_loss"}


def test_a_pandas_table_with_nan_before_the_training_is_no_traceback(tmp_path):
    """Held-out batch 702/03: a notebook printed a pandas table with NaN cells ('3         NaN    0.795455         NaN')
    before its training cell: reading its rows as bare numbers raised 'ValueError: cannot convert float NaN to
    integer', a traceback instead of the run."""
    cells = [{"cell_type": "code", "source": "df.describe()\n", "metadata": {}, "execution_count": 1,
              "outputs": [{"output_type": "stream", "name": "stdout",
                           "text": "".join(f"{k}         NaN    0.{k:02d}5455         NaN\n" for k in range(40))}]},
             {"cell_type": "code", "source": "train()\n", "metadata": {}, "execution_count": 2,
              "outputs": [{"output_type": "stream", "name": "stdout",
                           "text": "".join(f"{k} [D loss: 0.6{k:02d}, acc.: 60.00%] [G loss: 0.8{k:02d}]\n"
                                           for k in range(40))}]}]
    p = tmp_path / "nan_table.ipynb"
    p.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    df = read_run(p)
    assert len(df) == 40 and df.d_loss.iloc[3] == 0.603


def test_an_index_in_brackets_ends_a_label_and_the_code_names_it(tmp_path):
    """Held-out batch 712/00 (machinelearningmastery's loop): f"Epoch: {i + 1} / {epochs}   Descriminator Loss[1]:
    {d_loss1:.3f}    Descriminator Loss[2]: {d_loss2:.3f}    GAN loss: {g_loss:.3f}" printed 'Descriminator Loss[1]:
    0.703': D's loss was read as the index, 2 on every row ("D is too weak"). Alone, the labels name no loss of D's;
    in the notebook, its print names them D's real and fake terms (d_loss1, d_loss2)."""
    lines = "".join(f"Epoch: {k} / 30   Descriminator Loss[1]: 0.7{k:02d}    Descriminator Loss[2]: 0.6{k:02d}    "
                    f"GAN loss: 0.2{k:02d}\n" for k in range(1, 31))
    p = tmp_path / "indexed.txt"
    p.write_text(lines)
    with pytest.raises(GanalyzeError, match="descriminator_loss_1"):
        read_run(p)
    code = ("for i in range(epochs):\n    d_loss1, _ = d_model.train_on_batch(X_real, y_real)\n"
            "    d_loss2, _ = d_model.train_on_batch(X_fake, y_fake)\n    g_loss = gan_model.train_on_batch(X_gan, y_gan)\n"
            "    print(f\"Epoch: {i + 1} / {epochs}   Descriminator Loss[1]: {d_loss1:.3f}    Descriminator Loss[2]: "
            "{d_loss2:.3f}    GAN loss: {g_loss:.3f}\")\n")
    cells = [{"cell_type": "code", "source": "import numpy as np\n", "metadata": {}, "execution_count": 1, "outputs": []},
             {"cell_type": "code", "source": code, "metadata": {}, "execution_count": 2,
              "outputs": [{"output_type": "stream", "name": "stdout", "text": lines}]}]
    q = tmp_path / "indexed.ipynb"
    q.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    df = read_run(q)
    assert len(df) == 30 and df.d_loss_real.iloc[2] == 0.703 and df.d_loss_fake.iloc[2] == 0.603
    assert df.g_loss.iloc[2] == 0.203


def test_a_loss_label_glued_to_its_value_is_read(tmp_path):
    """Held-out batch 691/05: a PyTorch DCGAN prints f'epoch {e}, D_loss{d}, G_loss{g}', 'epoch 1,
    D_loss0.6042962915607607, G_loss0.7956929593198081': refused with "no line holds a labelled D or G loss"."""
    p = tmp_path / "glued.txt"
    p.write_text("".join(f"epoch {k}, D_loss0.6{k:02d}2962915607607, G_loss0.7{k:02d}6929593198081\n" for k in range(1, 21)))
    df = read_run(p)
    assert len(df) == 20 and df.d_loss.iloc[2] == 0.6032962915607607 and df.g_loss.iloc[2] == 0.7036929593198081


def test_both_players_named_in_brackets_over_a_list_of_their_losses(tmp_path):
    """Held-out batch 713/05: 'epoch 29 ---- losses[d/g]: [0.0, 3736.0967]' (Keras' two train_on_batch losses printed
    as one list under one label): refused, "no line holds a labelled D or G loss". The names say the order."""
    p = tmp_path / "dg_list.txt"
    p.write_text("".join(f"epoch {k} ---- losses[d/g]: [0.0{k:02d}, 4{k:02d}.5]\n" for k in range(30)))
    df = read_run(p)
    assert len(df) == 30 and df.d_loss.iloc[2] == 0.002 and df.g_loss.iloc[2] == 402.5
    q = tmp_path / "gd_array.txt"
    q.write_text("".join(f"epoch {k} losses[G/D]: [4{k:02d}.5 0.0{k:02d}]\n" for k in range(30)))
    df = read_run(q)
    assert df.d_loss.iloc[2] == 0.002 and df.g_loss.iloc[2] == 402.5
