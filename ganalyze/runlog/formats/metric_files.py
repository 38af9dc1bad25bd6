"""BigGAN-PyTorch's training logs (``utils.MyLogger`` of ajbrock/BigGAN-PyTorch, kept by its many
forks): a folder ``logs/<experiment>/`` with one text file per metric, ``<metric>.log``, one line
``itr: value`` per logged iteration (``value`` in the run's ``--logstyle``, ``%3.3f`` by default:
three decimals, so a loss below 0.0005 reads as 0).

Read: ``G_loss.log`` (g_loss), ``D_loss_real.log`` and ``D_loss_fake.log`` (the two parts of D's
loss), ``D_loss.log`` where a fork writes it; d_loss is ``D_loss_real + D_loss_fake`` otherwise,
as the code's ``D_loss`` (a sum: ``d_loss_reduction`` sum is a fact here, not a guess). The other
files (the singular values ``sv_log_interval`` writes, one file per layer) are left alone. ``step``
is ``itr`` as written (counted from 1: the code increments it before each iteration, and names
its sample sheets by the same number). A resumed run appends to the files from the checkpoint's
``itr`` on: the last write of a step wins (``duplicates_replaced``). The loss is guessed hinge
(the code's default ``loss_hinge_dis``; a negative G loss can only be hinge's ``-D(G(z))`` of the
two losses it ships), with critic scores. The metrics are those of the last D step of each
iteration (``--num_D_steps``). The ``metalog.txt`` the code writes beside them holds the run's
config as a Python dict literal: its ``D_lr``, ``G_lr`` and ``num_D_steps`` become the run's
``hparams`` (``lr_d``, ``lr_g``, ``d_steps``; ``g_steps`` 1), read with ``ast.literal_eval``
(a literal, never code), so the advice can quote them.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ganalyze.runlog.formats.common import NUM, NotThisFormat, Parsed
from ganalyze.runlog.formats.hparams import hparams_of

FILES = {"G_loss": "g_loss", "D_loss": "d_loss", "D_loss_real": "d_loss_real", "D_loss_fake": "d_loss_fake"}
_LINE = re.compile(r"^\s*(\d+)(?:\.0*)?\s*:\s*(" + NUM + r")\s*$")


def loss_files(folder: Path) -> dict[str, Path]:
    """``{our column: path}`` for the BigGAN-PyTorch loss files in ``folder``."""
    return {ours: folder / f"{name}.log" for name, ours in FILES.items() if (folder / f"{name}.log").is_file()}


def looks_like(folder: Path) -> bool:
    found = loss_files(folder)
    return "g_loss" in found or "d_loss" in found or {"d_loss_real", "d_loss_fake"} <= found.keys()


def _read_metric(path: Path, column: str) -> tuple[pd.Series, int, int]:
    """One ``itr: value`` file -> (values indexed by step, last write per step; rows replaced by
    a later write of the same step; lines that are not ``itr: value``)."""
    steps, values, bad = [], [], 0
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            m = _LINE.match(line)
            if m:
                steps.append(int(m.group(1)))
                values.append(float(m.group(2)))
            elif line.strip():
                bad += 1
    s = pd.Series(values, index=pd.Index(steps, dtype="int64", name="step"), name=column, dtype="float64")
    replaced = int(s.index.duplicated(keep="last").sum())
    return s[~s.index.duplicated(keep="last")], replaced, bad


def metalog_hparams(folder: Path) -> dict:
    """``hparams.hparams_of`` the ``config: {...}`` line of ``metalog.txt`` (its ``D_lr``, ``G_lr``,
    ``num_D_steps``; {} when there is none or it is no Python literal)."""
    path = folder / "metalog.txt"
    if not path.is_file():
        return {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("config:"):
            try:
                config = ast.literal_eval(line.split(":", 1)[1].strip())
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                return {}
            if not isinstance(config, dict):
                return {}
            return hparams_of(config)
    return {}


def parse_metric_folder(folder: Path) -> Parsed:
    """Read a BigGAN-PyTorch log folder (module doc) into a :class:`Parsed`."""
    found = loss_files(folder)
    if not looks_like(folder):
        raise NotThisFormat("no G_loss.log, D_loss.log or D_loss_real.log + D_loss_fake.log")
    parts, replaced, bad = [], 0, {}
    for ours, path in found.items():
        s, rep, n_bad = _read_metric(path, ours)
        parts.append(s)
        replaced = max(replaced, rep)
        if n_bad:
            bad[path.name] = n_bad
    frame = pd.concat(parts, axis=1, join="outer").sort_index()
    if frame.empty:
        raise NotThisFormat(f"its {', '.join(p.name for p in found.values())} hold no 'itr: value' line")
    meta = {"source_format": "biggan-logs", "step_from": "itr (BigGAN-PyTorch counts iterations from 1)"}
    if "d_loss" not in frame.columns and {"d_loss_real", "d_loss_fake"} <= set(frame.columns):
        frame["d_loss"] = frame["d_loss_real"] + frame["d_loss_fake"]
        meta["d_loss_from"] = "D_loss_real + D_loss_fake, as BigGAN-PyTorch's D_loss"
        meta["d_loss_reduction"] = "sum"
    if hparams := metalog_hparams(folder):
        meta["hparams"] = hparams
    if replaced:
        meta["duplicates_replaced"] = replaced
    if bad:
        meta["lines_skipped"] = bad
    g = frame["g_loss"].to_numpy() if "g_loss" in frame.columns else np.array([])
    why = ("its G loss goes negative, which of the code's two losses only hinge's -D(G(z)) does"
           if (g < 0).any() else "BigGAN-PyTorch's default D loss is loss_hinge_dis")
    guesses = {"loss": ("hinge", why), "scores": ("critic", "a hinge D outputs raw scores")}
    return Parsed(frame=frame.reset_index(), meta=meta, guesses=guesses,
                  fixed={c: c for c in frame.columns})
