"""The per-epoch table of Keras' ``mnist_acgan`` example (and the notebooks and forks that print it).

After each epoch the example prints the epoch's mean losses, train and test, as a table::

    Testing for epoch 3:
    component              | loss | generation_loss | auxiliary_loss
    -----------------------------------------------------------------
    generator (train)      | 0.99 | 0.9530          | 0.0324
    generator (test)       | 0.84 | 0.8345          | 0.0083
    discriminator (train)  | 1.04 | 0.6878          | 0.3525
    discriminator (test)   | 0.73 | 0.6819          | 0.0526

One row per epoch (``step_from`` epoch): the ``(train)`` rows' ``generation_loss`` (D's real/fake
binary cross-entropy, G's on its fakes labelled real) are d_loss and g_loss, means over the
epoch's batches (``averaged``); ``loss`` (their total with the auxiliary classifier's) and the
auxiliary and ``(test)`` values stay as extra columns. The example trains D with one
``train_on_batch`` on the real and generated images together, so D's loss is the mean over both
halves (``d_loss_reduction`` mean).
"""
from __future__ import annotations

import re

import pandas as pd

from ganalyze.runlog.formats.common import NUM, NotThisFormat, Parsed

_EPOCH = re.compile(r"^\s*Testing for epoch (\d+)\s*:?\s*$", re.I)
_HEADER = re.compile(r"^\s*component\s*\|(.*)$", re.I | re.M)
_ROW = re.compile(r"^\s*(generator|discriminator) \((train|test)\)\s*\|(.*)$", re.I)
_NUMBER = re.compile(NUM)
LOOKS_LIKE = re.compile(r"(?im)^\s*component\s*\|\s*loss\s*\|\s*generation_loss")


def parse_acgan_table(text: str) -> Parsed:
    """The tables (module doc) -> one row per epoch; NotThisFormat when there is none."""
    header = _HEADER.search(text)
    if header is None:
        raise NotThisFormat("no 'component | loss | generation_loss | ...' table header")
    names = [c.strip() for c in header.group(1).split("|")]      # loss, generation_loss, auxiliary_loss
    rows, epoch = {}, None
    for line in text.splitlines():
        if m := _EPOCH.match(line):
            epoch = int(m.group(1))
        elif (m := _ROW.match(line)) and epoch is not None:
            prefix = "d" if m.group(1).lower() == "discriminator" else "g"
            tail = "" if m.group(2).lower() == "train" else "_test"
            row = rows.setdefault(epoch, {"epoch": epoch})
            for name, v in zip(names, _NUMBER.findall(m.group(3))):
                row[f"{prefix}_{name}{tail}"] = float(v)
    frame = pd.DataFrame(list(rows.values()))
    if frame.empty or not {"d_generation_loss", "g_generation_loss"} <= set(frame.columns):
        raise NotThisFormat("a table header but no 'generator (train)' and 'discriminator (train)' rows under "
                            "'Testing for epoch N:' lines")
    frame = frame.rename(columns={f"{p}_{a}{t}": f"{p}_{b}{t}" for p in "dg" for t in ("", "_test")
                                  for a, b in (("generation_loss", "loss"), ("loss", "total_with_aux"))})
    meta = {"source_format": "keras-acgan-table", "averaged": True, "d_loss_reduction": "mean",
            "averaged_over": "one epoch (the example prints each epoch's mean over its batches)",
            "d_loss_from": "discriminator (train) generation_loss: D's real/fake BCE without the auxiliary classifier's"}
    guesses = {"loss": ("nsgan", "Keras' mnist_acgan: binary cross-entropy, G trained on its fakes labelled real"),
               "scores": ("probability", "Keras' mnist_acgan: D's real/fake output is a sigmoid")}
    return Parsed(frame=frame, meta=meta, guesses=guesses, fixed={"d_loss": "d_loss", "g_loss": "g_loss"})
