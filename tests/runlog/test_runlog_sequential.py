"""Runs printed one after the other, each line tagged with its run's name (ganalyze/runlog/formats/sequential.py)."""
import json

import numpy as np
import pytest

from ganalyze.runlog.formats.sequential import tagged_blocks
from ganalyze.runlog.readers import read_runs


def _gan_then_wgan(rng, n=30):
    """Held-out batch 473/10's shape: a GAN on a ring, then a WGAN, one line per 10 epochs, each under its tag."""
    d, g = rng.uniform(0.4, 0.7, n), rng.uniform(0.8, 1.6, n)
    c, w = rng.uniform(-0.4, -0.01, n), rng.uniform(1.0, 3.5, n)
    text = "".join(f"[GAN] Epoch {10 * (k + 1)}/{10 * n} | D Loss: {d[k]:.4f} | G Loss: {g[k]:.4f}\n" for k in range(n))
    text += "".join(f"[WGAN] Epoch {10 * (k + 1)}/{10 * n} | Critic Loss: {c[k]:.4f} | Generator Loss: {w[k]:.4f}\n"
                    for k in range(n))
    return text, d, c


def test_a_log_of_two_tagged_runs_reads_as_two_runs_named_by_their_tags(tmp_path):
    """Read as one log its rows joined by epoch and 'D Loss' and 'Critic Loss' both meant d_loss: refused."""
    text, d, c = _gan_then_wgan(np.random.default_rng(473))
    p = tmp_path / "train.log"
    p.write_text("loading the ring of 8 Gaussians\n" + text + "done\n")
    runs = read_runs(p)
    assert sorted(runs) == ["train:GAN", "train:WGAN"]
    assert runs["train:GAN"].d_loss.to_numpy() == pytest.approx(d, abs=1e-4)
    assert runs["train:WGAN"].d_loss.to_numpy() == pytest.approx(c, abs=1e-4)
    assert runs["train:GAN"].step.tolist() == runs["train:WGAN"].step.tolist()


def _nb(tmp_path, cells):
    nb = {"cells": [{"cell_type": "code", "source": "pass\n", "metadata": {}, "execution_count": k + 1,
                     "outputs": [{"output_type": "stream", "name": "stdout", "text": t}]}
                    for k, t in enumerate(cells)], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    p = tmp_path / "train.ipynb"
    p.write_text(json.dumps(nb))
    return p


def test_a_notebook_cell_of_two_tagged_runs_beside_another_training_cell(tmp_path):
    rng = np.random.default_rng(4731)
    text, d, c = _gan_then_wgan(rng)
    first = "".join(f"Epoch {k + 1}/20 D loss: {v:.4f} G loss: 1.2000\n" for k, v in enumerate(rng.uniform(0.5, 1, 20)))
    runs = read_runs(_nb(tmp_path, [first, "<Figure size 600x600 with 1 Axes>", text]))
    assert sorted(runs) == ["train:cell1", "train:cell3_GAN", "train:cell3_WGAN"]
    assert runs["train:cell3_WGAN"].d_loss.to_numpy() == pytest.approx(c, abs=1e-4)
    assert len(runs["train:cell1"]) == 20


def test_tags_that_alternate_or_name_a_log_level_are_one_run():
    alternating = "".join(f"[{'AB'[k % 2]}] step {k} d_loss: 0.5 g_loss: 1.0\n" for k in range(20))
    assert tagged_blocks(alternating) is None
    levels = "".join(f"[INFO] step {k} d_loss: 0.5 g_loss: 1.0\n" for k in range(10))
    levels += "".join(f"[WARNING] step {k} d_loss: 0.5 g_loss: 1.0\n" for k in range(10, 20))
    assert tagged_blocks(levels) is None
    stray = "[GAN] step 0 d_loss: 0.5 g_loss: 1.0\n" + "".join(f"step {k} d_loss: 0.5 g_loss: 1.0\n" for k in range(1, 20))
    assert tagged_blocks(stray) is None        # one tagged line among untagged ones
    two = "".join(f"[DCGAN] it {k} d_loss: 0.5 g_loss: 1.0\n" for k in range(3))
    two += "".join(f"[LSGAN] it {k} d_loss: 0.2 g_loss: 0.3\n" for k in range(3))
    assert [tag for tag, _ in tagged_blocks(two)] == ["DCGAN", "LSGAN"]


def _sweep(rng, settings=(1, 5, 10), epochs=30):
    """Held-out batch 646/00's shape: one cell trains afresh for each setting, each run from 'Epoch [1/N]' to
    'Epoch [N/N]', with a banner and an FID line between them."""
    d = {s: rng.uniform(0.05, 0.9, epochs) for s in settings}
    text = "Saving real images for FID computation...\n"
    for s in settings:
        text += f"\n=== Training with discriminator_update_steps = {s} ===\n"
        text += "".join(f"Epoch [{k + 1}/{epochs}] | Loss_D: {d[s][k]:.4f} | Loss_G: 1.{k:02d}00\n" for k in range(epochs))
        text += f"Discriminator Update Steps: {s} --> FID Score: 27.6996\n"
    return text, d


def test_runs_trained_to_their_last_epoch_one_after_another_in_a_cell_are_separate_runs(tmp_path):
    """They had been read as restarts, the last run's rows replacing the others' ("60 row(s) replaced by a later
    write"); a cell whose counter goes back before its last epoch is still a restart (an interrupted start)."""
    rng = np.random.default_rng(646)
    text, d = _sweep(rng)
    runs = read_runs(_nb(tmp_path, ["Using device: cuda\n", text]))
    assert sorted(runs) == ["train:run1", "train:run2", "train:run3"]
    for k, s in enumerate((1, 5, 10), start=1):
        assert runs[f"train:run{k}"].d_loss.to_numpy() == pytest.approx(d[s], abs=1e-4)
    cut = "".join(f"Epoch [{k + 1}/30] | Loss_D: 0.5{k:02d} | Loss_G: 1.{k:02d}00\n" for k in range(12))
    again = "".join(f"Epoch [{k + 1}/30] | Loss_D: 0.6{k:02d} | Loss_G: 1.{k:02d}00\n" for k in range(30))
    with pytest.warns(UserWarning, match="replaced by a later write"):
        runs = read_runs(_nb(tmp_path, ["Using device: cuda\n", cut + again]))
    assert list(runs) == ["train"] and runs["train"].d_loss.iloc[3] == 0.603


def test_runs_of_equal_schedules_one_after_another_in_a_cell_are_separate_runs(tmp_path):
    """Held-out batch 657/06: one cell trains a Keras GAN per ECG class, each printed from '0 [D loss: 0.6849, acc:
    0.8945] [G loss: 0.7126]' to '4500 [D loss: ..': no total printed, but each run ends at the same step, and each
    starts at an untrained network's losses. The last run's rows had replaced the others' ("20 row(s) replaced by a
    later write"). A step counter printed again each epoch, its losses going on from the last epoch's, stays one
    run's (its restarts still replace the earlier rows)."""
    rng = np.random.default_rng(657)
    d = np.column_stack([np.full(3, 0.69), 0.75 + 0.05 * np.arange(3)[:, None] + rng.uniform(0, 0.02, (3, 9))])
    g = np.column_stack([np.full(3, 0.71), 0.55 - 0.05 * np.arange(3)[:, None] + rng.uniform(0, 0.02, (3, 9))])
    text = "".join(f"{500 * k} [D loss: {d[r, k]:.4f}, acc: 0.8945] [G loss: {g[r, k]:.4f}]\n"
                   for r in range(3) for k in range(10))
    runs = read_runs(_nb(tmp_path, ["Training class 1\n", text]))
    assert sorted(runs) == ["train:run1", "train:run2", "train:run3"]
    assert runs["train:run2"].d_loss.to_numpy() == pytest.approx(d[1], abs=1e-4)
    epochs = "".join(f"Step [{100 * k}/469] D: {0.9 - 0.02 * (5 * e + k):.3f} G: {1.0 + 0.02 * (5 * e + k):.3f}\n"
                     for e in range(5) for k in range(5))
    with pytest.warns(UserWarning, match="replaced by a later write"):
        runs = read_runs(_nb(tmp_path, ["Training\n", epochs]))
    assert list(runs) == ["train"]
