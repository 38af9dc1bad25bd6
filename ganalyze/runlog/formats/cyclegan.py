"""pix2pix / CycleGAN ``loss_log.txt`` (junyanz/pytorch-CycleGAN-and-pix2pix).

Lines ``(epoch: 1, iters: 100, time: 0.512, data: 0.254) D_A: 0.31 G_A: 0.45 cycle_A: 1.2 ...``;
each ``===== Training Loss (date) =====`` header starts a (re)start, whose rows replace the
earlier rows from its first step on. ``iters`` counts images within the epoch (iterations
at the default batch size 1); step = (epoch - 1) x images per epoch + iters, with images
per epoch the largest ``iters`` of a completed epoch (a guess: the file does not say).

CycleGAN (``D_A``/``G_A`` and ``D_B``/``G_B``): two runs, ``A`` and ``B`` (pick one with
``pair``); the other losses (``cycle_*``, ``idt_*``) stay as extra columns.
pix2pix (``G_GAN``, ``D_real``, ``D_fake``): d_loss = (D_real + D_fake) / 2, as its loss_D.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ganalyze.runlog.formats.common import NUM, NotThisFormat, Parsed

_HEADER = re.compile(r"^=+\s*Training Loss\s*\((.*)\)\s*=+\s*$")
_ROW = re.compile(r"^\s*\(epoch:\s*(\d+),\s*iters:\s*(\d+)(?:,\s*time:\s*(" + NUM + r"))?(?:,\s*data:\s*(" + NUM + r"))?\)\s*(.*)$")
_VALUE = re.compile(r"([A-Za-z_][\w]*)\s*:\s*(" + NUM + r")")
LOOKS_LIKE = re.compile(r"^\s*\(epoch:\s*\d+,\s*iters:\s*\d+", re.MULTILINE)


def parse_loss_log(text: str) -> list[Parsed]:
    """Parse a loss_log.txt (module doc); one Parsed per generator/discriminator pair."""
    rows, segments, seg, headers = [], [], 0, 0
    for line in text.splitlines():
        if _HEADER.match(line):
            headers += 1
            if rows:
                seg += 1
            continue
        m = _ROW.match(line)
        if not m:
            continue
        row = {"epoch": int(m.group(1)), "iters_in_epoch": int(m.group(2))}
        if m.group(3) is not None:
            row["time_per_image_s"] = float(m.group(3))
        if m.group(4) is not None:
            row["data_time_s"] = float(m.group(4))
        row.update({k: float(v) for k, v in _VALUE.findall(m.group(5))})
        rows.append(row)
        segments.append(seg)
    if not rows:
        raise NotThisFormat("no '(epoch: N, iters: N, ...) NAME: value' line")
    frame = pd.DataFrame.from_records(rows)
    epoch = frame["epoch"].to_numpy()
    iters = frame["iters_in_epoch"].to_numpy()
    done = epoch < epoch.max()
    per = int(iters[done].max()) if done.any() else int(iters.max())
    why = ("largest 'iters' of a completed epoch" if done.any() else
           "largest 'iters' seen (no epoch completed)")
    frame.insert(0, "step", (epoch - 1) * per + iters)
    frame["epoch"] = epoch - 1
    names = set(frame.columns)
    guesses = {"step_from": (f"(epoch - 1) x {per} + iters",
                             (f"{per} images per epoch: the {why}; iters counts images "
                              "(= iterations at batch size 1)"))}
    meta = {"restarts": int(seg), "epoch_printed_from": 1}
    segs = np.asarray(segments)
    if {"D_A", "G_A", "D_B", "G_B"} <= names:
        meta["source_format"] = "cyclegan-loss-log"
        guesses["loss"] = ("lsgan", "CycleGAN's default --gan_mode lsgan")
        guesses["d_loss_reduction"] = ("mean", "CycleGAN's loss_D = (loss_D_real + loss_D_fake) * 0.5")
        out = []
        for me, other in (("A", "B"), ("B", "A")):
            part = frame.drop(columns=[f"D_{other}", f"G_{other}"])
            out.append(Parsed(frame=part, meta={**meta, "pair": me}, guesses=dict(guesses), segments=segs,
                              suffix=me, fixed={f"D_{me}": "d_loss", f"G_{me}": "g_loss"}))
        return out
    if {"G_GAN", "D_real", "D_fake"} <= names:
        meta["source_format"] = "pix2pix-loss-log"
        meta["d_loss_reduction"] = "mean"
        meta["d_loss_from"] = "(D_real + D_fake) / 2, as pix2pix's loss_D"
        guesses["loss"] = ("nsgan", "pix2pix's default --gan_mode vanilla: BCE, G trained on real labels")
        frame["d_loss"] = 0.5 * (frame["D_real"] + frame["D_fake"])
        return [Parsed(frame=frame, meta=meta, guesses=guesses, segments=segs,
                       fixed={"G_GAN": "g_loss", "D_real": "d_loss_real", "D_fake": "d_loss_fake"})]
    meta["source_format"] = "cyclegan-loss-log"
    return [Parsed(frame=frame, meta=meta, guesses=guesses, segments=segs)]
