"""Readers: CSV with aliases, the DCGAN tutorial console log (PyTorch DCGAN tutorial), TensorBoard dirs."""
import re
from pathlib import Path

import numpy as np
import pytest

from ganalyze.errors import GanalyzeError
from ganalyze.runlog import read_run
from ganalyze.runlog.readers import default_tag_column

REPO = Path(__file__).parents[2]


def test_csv_with_aliases(tmp_path):
    p = tmp_path / "log.csv"
    p.write_text(
        "iteration,Loss_D,Loss_G,D(x),D(G(z)),errD_real,lrG,note\n"
        "0,1.4,0.7,0.5,0.45 / 0.40,0.7,0.0002,warm\n"
        "10,1.2,0.9,0.6,0.35 / 0.33,0.6,0.0002,ok\n"
        "20,nan,inf,0.7,0.25 / 0.20,0.5,0.0002,ok\n"
    )
    with pytest.warns(UserWarning, match="note"):
        df = read_run(p, loss="minimax", d_loss_reduction="mean")
    assert list(df.columns) == ["step", "d_loss", "g_loss", "d_x", "d_g_z1", "d_g_z2", "d_loss_real", "lr_g"]
    assert df["step"].tolist() == [0, 10, 20]
    assert df["d_g_z1"].tolist() == [0.45, 0.35, 0.25] and df["d_g_z2"].tolist() == [0.40, 0.33, 0.20]
    assert np.isnan(df.d_loss[2]) and df.g_loss[2] == np.inf
    assert df.attrs["source_format"] == "csv" and df.attrs["loss"] == "minimax"
    assert df.attrs["d_loss_reduction"] == "mean" and df.attrs["scores"] == "unknown"


@pytest.mark.parametrize("header", ["step,errD,errG", "global_step,lossD,lossG", "Step,D_loss,G_loss",
                                    "iter,loss_d,loss_g", "step,d_loss,g_loss"])
def test_csv_alias_spellings(tmp_path, header):
    p = tmp_path / "a.csv"
    p.write_text(header + "\n0,1,2\n1,3,4\n")
    df = read_run(p)
    assert df[["step", "d_loss", "g_loss"]].to_numpy().tolist() == [[0, 1, 2], [1, 3, 4]]


def _check_console_rows(progress, df):
    assert len(df) == len(progress)
    # Independent check of every row against the printed text.
    for line, row in zip(progress, df.itertuples()):
        e, _, i, n = map(int, re.findall(r"\d+", line)[:4])
        nums = [float(x) for x in re.findall(r"[-\d.]+(?=\s|$)", line.split("]", 2)[2])]
        assert row.step == e * n + i and row.epoch == e
        assert [row.d_loss, row.g_loss, row.d_x, row.d_g_z1, row.d_g_z2] == nums
    assert df.attrs["source_format"] == "dcgan-console" and df.attrs["d_loss_reduction"] == "sum"
    assert df.attrs["n_epochs"] == 5 and df.attrs["iters_per_epoch"] == 1583
    assert df.step.iloc[-1] == 4 * 1583 + 1550


_PROGRESS = re.compile(r"^\[\d+/\d+\]\[\d+/\d+\]")


def test_bundled_dcgan_console_log_parses():
    sample = (REPO / "sample_runs" / "dcgan_tutorial_console.log").read_text().splitlines()
    progress = [ln for ln in sample if _PROGRESS.match(ln)]
    assert len(progress) == 160 and sample == ["Starting Training Loop..."] + progress
    _check_console_rows(progress, read_run(REPO / "sample_runs" / "dcgan_tutorial_console.log"))


def test_dcgan_console_log_inside_an_article_parses_and_ignores_the_prose(tmp_path):
    """A tutorial page pasted whole: prose, the training code (with its own format string and
    bracketed numbers) and the progress lines; only the progress lines become rows."""
    sample = (REPO / "sample_runs" / "dcgan_tutorial_console.log").read_text().splitlines()
    progress = [ln for ln in sample if _PROGRESS.match(ln)]
    noise = ["# Training Loop", "Lists to keep track of progress: img_list = [] G_losses = [] D_losses = []",
             "print('[%d/%d][%d/%d]\\tLoss_D: %.4f\\tLoss_G: %.4f\\tD(x): %.4f\\tD(G(z)): %.4f / %.4f'",
             "      % (epoch, num_epochs, i, len(dataloader), errD.item(), errG.item(), D_x, D_G_z1, D_G_z2))",
             "Loss_D: the sum of the losses for the all real and all fake batches, log(D(x)) + log(1 - D(G(z))).",
             "[1/5] of the epochs are shown below", "Starting Training Loop..."]
    article = []
    for i, line in enumerate(progress):
        article.append(line)
        if i % 20 == 0:
            article += noise
    (tmp_path / "article.txt").write_text("\n".join(noise + article + noise), encoding="utf-8")
    df = read_run(tmp_path / "article.txt")
    _check_console_rows(progress, df)
    assert read_run(REPO / "sample_runs" / "dcgan_tutorial_console.log").equals(df)


def test_dcgan_console_torn_last_line_is_skipped_with_warning(tmp_path):
    p = tmp_path / "train.log"
    p.write_text("Starting Training Loop...\n"
                 "[0/5][0/1583]\tLoss_D: 2.0937\tLoss_G: 5.2059\tD(x): 0.5704\tD(G(z)): 0.6680 / 0.0090\n"
                 "[0/5][50/1583]\tLoss_D: nan\tLoss_G: 12.2064\tD(x): 0.9364\tD(G(z)): 0.1409 / 0.0000\n"
                 "[0/5][100/1583]\tLoss_D: 0.35")
    with pytest.warns(UserWarning, match="1 progress line"):
        df = read_run(p, loss="lsgan")
    assert df.step.tolist() == [0, 50] and np.isnan(df.d_loss[1])
    assert df.attrs["loss"] == "lsgan" and "loss" not in df.attrs["inferred"]


def _write_tb(logdir, tags_values, steps):
    from torch.utils.tensorboard import SummaryWriter

    w = SummaryWriter(str(logdir))
    for s in steps:
        for tag, fn in tags_values.items():
            w.add_scalar(tag, fn(s), s)
    w.close()


def test_tensorboard_default_tag_matching(tmp_path):
    _write_tb(tmp_path / "tb", {"Loss/D": lambda s: 1.0 + s, "Loss/G": lambda s: 2.0 * s,
                                "train/d_x": lambda _s: 0.5, "eval/fid": lambda s: 30.0 - s},
              steps=range(0, 50, 5))
    df = read_run(tmp_path / "tb")
    assert df.step.tolist() == list(range(0, 50, 5))
    assert df.d_loss.tolist() == [1.0 + s for s in df.step]
    assert df.g_loss.tolist() == [2.0 * s for s in df.step]
    assert (df.d_x == 0.5).all() and df.fid.tolist() == [30.0 - s for s in df.step]
    assert df.attrs["source_format"] == "tensorboard" and df.attrs["tb_tags"]["Loss/D"] == "d_loss"
    assert (df.time_s >= 0).all()


def test_tensorboard_named_mapping(tmp_path):
    _write_tb(tmp_path / "tb", {"critic_value": lambda s: -s, "gen_obj": lambda s: s / 2}, steps=range(4))
    with pytest.raises(GanalyzeError, match="missing required column"):
        read_run(tmp_path / "tb")
    df = read_run(tmp_path / "tb", tb_tags="critic_value=d_loss,gen_obj=g_loss", loss="wgan-gp")
    assert df.d_loss.tolist() == [0.0, -1.0, -2.0, -3.0] and df.attrs["loss"] == "wgan-gp"
    df2 = read_run(tmp_path / "tb", tb_tags={"critic_value": "d_loss", "gen_obj": "g_loss"})
    assert df2.g_loss.tolist() == [0.0, 0.5, 1.0, 1.5]
    with pytest.raises(GanalyzeError, match="tb_tags"):
        read_run(tmp_path / "tb", tb_tags="nosuch=d_loss")


def test_default_tag_column_names():
    assert default_tag_column("Loss/D") == "d_loss"
    assert default_tag_column("D/loss") == "d_loss"
    assert default_tag_column("train/g_loss") == "g_loss"
    assert default_tag_column("Loss_D") == "d_loss"
    assert default_tag_column("Some Metric/x") == "some_metric_x"


@pytest.mark.parametrize("name,text", [
    ("a.tsv", "step\terrD\terrG\n0\t1\t2\n1\t3\t4\n"),
    ("a.txt", "iter  Loss_D  Loss_G\n0  1  2\n1  3  4\n"),
    ("a.log", "step;d_loss;g_loss\n0;1;2\n1;3;4\n"),
])
def test_delimited_tables_in_other_files(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    df = read_run(p)
    assert df[["step", "d_loss", "g_loss"]].to_numpy().tolist() == [[0, 1, 2], [1, 3, 4]]
    assert df.attrs["source_format"] == "csv"
